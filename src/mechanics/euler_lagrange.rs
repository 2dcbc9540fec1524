//! The Euler–Lagrange residual r(t) = d/dt ∂L/∂q̇ − ∂L/∂q along a trajectory, by AD.
//!
//! The trajectory is evaluated once on a second-order jet in t, giving q, q̇, q̈ exactly
//! ([`super::jet`]). Then, for every component i:
//!
//! * one evaluation of L on `Dual<Dual64>` — outer ε seeded on q̇ᵢ, inner ε carrying the time
//!   direction (q ↦ q + q̇ δt, q̇ ↦ q̇ + q̈ δt, t ↦ t + δt) — yields ∂L/∂q̇ᵢ in the outer ε and its
//!   total time derivative d/dt ∂L/∂q̇ᵢ in the inner ε of the same number;
//! * one evaluation on `Dual64` seeded on qᵢ yields ∂L/∂qᵢ.
//!
//! Forward mode thus costs 2N evaluations of L per residual: O(N²) for an O(N) Lagrangian.

use super::{Jet, Lagrangian, Trajectory, jet};
use crate::scalar::Scalar;
use num_dual::{Dual, Dual64};

/// The Euler–Lagrange residual at one time, with the two terms it is the difference of.
#[derive(Debug, Clone, PartialEq)]
pub struct Residual {
    /// Time t.
    pub t: f64,
    /// rᵢ = d/dt ∂L/∂q̇ᵢ − ∂L/∂qᵢ.
    pub residual: Vec<f64>,
    /// d/dt ∂L/∂q̇ᵢ along the trajectory.
    pub dt_momentum: Vec<f64>,
    /// ∂L/∂qᵢ (the generalized force).
    pub force: Vec<f64>,
}

impl Residual {
    /// max |rᵢ|.
    pub fn max_abs(&self) -> f64 {
        self.residual.iter().fold(0.0, |m, r| m.max(r.abs()))
    }

    /// max over i of |rᵢ| / (|d/dt ∂L/∂q̇ᵢ| + |∂L/∂qᵢ|): the point-wise residual relative to the
    /// size of the two terms it is the difference of (0 where both terms are exactly 0). See
    /// [`normwise_relative`] for why the checks measure along a whole trajectory instead.
    pub fn max_relative(&self) -> f64 {
        let mut m: f64 = 0.0;
        for i in 0..self.residual.len() {
            let scale = self.dt_momentum[i].abs() + self.force[i].abs();
            let r = self.residual[i].abs();
            let rel = if scale > 0.0 {
                r / scale
            } else if r == 0.0 {
                0.0
            } else {
                f64::INFINITY
            };
            m = m.max(rel);
        }
        m
    }
}

/// Lift plain values to constants of a dual type.
pub(crate) fn lift<D: Scalar>(x: &[f64]) -> Vec<D> {
    x.iter().map(|&v| D::from(v)).collect()
}

/// The Euler–Lagrange residual of `lag` at the state `jet` (q, q̇, q̈ at time t).
pub fn euler_lagrange_at<L: Lagrangian + ?Sized>(lag: &L, jet: &Jet) -> Residual {
    let n = lag.dof();
    assert_eq!(jet.q.len(), n, "jet and Lagrangian dimensions differ");
    type Dd = Dual<Dual64>;
    // The time direction as the inner ε: q + q̇ δt, q̇ + q̈ δt, t + δt.
    let t_d = Dd::from_re(Dual64::new(jet.t, 1.0));
    let q_d: Vec<Dd> = (0..n)
        .map(|j| Dd::from_re(Dual64::new(jet.q[j], jet.qdot[j])))
        .collect();
    let mut v_d: Vec<Dd> = (0..n)
        .map(|j| Dd::from_re(Dual64::new(jet.qdot[j], jet.qddot[j])))
        .collect();

    let t1 = jet.t.into();
    let mut q1: Vec<Dual64> = lift(&jet.q);
    let v1: Vec<Dual64> = lift(&jet.qdot);

    let mut residual = Vec::with_capacity(n);
    let mut dt_momentum = Vec::with_capacity(n);
    let mut force = Vec::with_capacity(n);
    for i in 0..n {
        v_d[i].eps = Dual64::from(1.0);
        let l = lag.lagrangian(t_d, &q_d, &v_d);
        v_d[i].eps = Dual64::from(0.0);
        let dp = l.eps.eps;

        q1[i].eps = 1.0;
        let f = lag.lagrangian(t1, &q1, &v1).eps;
        q1[i].eps = 0.0;

        residual.push(dp - f);
        dt_momentum.push(dp);
        force.push(f);
    }
    Residual {
        t: jet.t,
        residual,
        dt_momentum,
        force,
    }
}

/// The Euler–Lagrange residual of `lag` along `traj` at time `t`.
///
/// ```
/// use ska_verify::mechanics::{euler_lagrange, systems::{SkaNeuron, HarmonicOscillator}};
/// use ska_verify::mechanics::trajectory::Polynomial;
/// let z = Polynomial { coefficients: vec![vec![0.3, -1.0, 2.0]] };
/// // The SKA Lagrangian is a total time derivative: its residual vanishes on any path.
/// assert!(euler_lagrange(&SkaNeuron, &z, 0.7).max_relative() < 1e-14);
/// // The oscillator's does not.
/// assert!(euler_lagrange(&HarmonicOscillator::default(), &z, 0.7).max_relative() > 0.1);
/// ```
pub fn euler_lagrange<L: Lagrangian + ?Sized, T: Trajectory + ?Sized>(
    lag: &L,
    traj: &T,
    t: f64,
) -> Residual {
    euler_lagrange_at(lag, &jet(traj, t))
}

/// The norm-wise relative residual of a set of samples along one trajectory:
///
/// > max_{t,i} |rᵢ(t)| / max_{t,i} (|d/dt ∂L/∂q̇ᵢ(t)| + |∂L/∂qᵢ(t)|).
///
/// This is the measure the checks use. The point-wise ratio ([`Residual::max_relative`]) is
/// ill-conditioned wherever both terms pass through zero together (for SKA, where
/// d/dz (z σ′(z)) = 0, near |z| ≈ 2.4): there the two terms are themselves the result of
/// cancellation and carry absolute rounding errors of the size of the *uncancelled* parts, so
/// their ratio says nothing about whether the identity holds. Measuring against the size of the
/// terms along the whole trajectory is the usual norm-wise backward error and is free of that
/// artefact. NaN anywhere gives NaN; 0/0 (every term exactly 0) gives 0.
pub fn normwise_relative(samples: &[Residual]) -> f64 {
    let mut num: f64 = 0.0;
    let mut den: f64 = 0.0;
    for r in samples {
        for i in 0..r.residual.len() {
            let (a, s) = (
                r.residual[i].abs(),
                r.dt_momentum[i].abs() + r.force[i].abs(),
            );
            if a.is_nan() || s.is_nan() {
                return f64::NAN;
            }
            num = num.max(a);
            den = den.max(s);
        }
    }
    if num == 0.0 {
        0.0
    } else if den == 0.0 {
        f64::INFINITY
    } else {
        num / den
    }
}

/// The norm-wise relative residual ([`normwise_relative`]) of `lag` along `traj` at `times`.
pub fn max_relative_residual<L: Lagrangian + ?Sized, T: Trajectory + ?Sized>(
    lag: &L,
    traj: &T,
    times: &[f64],
) -> f64 {
    let samples: Vec<Residual> = times
        .iter()
        .map(|&t| euler_lagrange(lag, traj, t))
        .collect();
    normwise_relative(&samples)
}
