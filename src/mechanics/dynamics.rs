//! Solving the Euler–Lagrange equations for the accelerations (regular Lagrangians).
//!
//! Expanding d/dt ∂L/∂q̇ = ∂L/∂q gives M q̈ = φ with
//!
//! > M = ∂²L/∂q̇², φ = ∂L/∂q − (∂²L/∂q̇∂q) q̇ − ∂²L/∂q̇∂t (the forcing).
//!
//! The last two terms together are d/dt ∂L/∂q̇ along (q̇, q̈ = 0), so one `Dual<Dual64>`
//! evaluation per component gives them, exactly as in the residual. When M is singular the
//! solve is refused with [`Error::Degenerate`] rather than dividing by zero.

use super::euler_lagrange::lift;
use super::regularity::{mass_matrix, numerical_rank};
use super::{Lagrangian, force};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use num_dual::{Dual, Dual64};

/// φ = ∂L/∂q − (∂²L/∂q̇∂q) q̇ − ∂²L/∂q̇∂t at (t, q, q̇).
pub fn forcing<L: Lagrangian + ?Sized>(lag: &L, t: f64, q: &[f64], qdot: &[f64]) -> Vec<f64> {
    let n = lag.dof();
    type Dd = Dual<Dual64>;
    let t_d = Dd::from_re(Dual64::new(t, 1.0));
    let q_d: Vec<Dd> = (0..n)
        .map(|j| Dd::from_re(Dual64::new(q[j], qdot[j])))
        .collect();
    let mut v_d: Vec<Dd> = lift(qdot);
    let f = force(lag, t, q, qdot);
    (0..n)
        .map(|i| {
            v_d[i].eps = Dual64::from(1.0);
            let mixed = lag.lagrangian(t_d, &q_d, &v_d).eps.eps;
            v_d[i].eps = Dual64::from(0.0);
            f[i] - mixed
        })
        .collect()
}

/// q̈ = M⁻¹ φ at (t, q, q̇), or [`Error::Degenerate`] when M is singular there.
///
/// ```
/// use ska_verify::mechanics::{qddot, systems::{HarmonicOscillator, SkaNeuron}};
/// assert_eq!(qddot(&HarmonicOscillator::default(), 0.0, &[0.5], &[0.0]).unwrap(), vec![-0.5]);
/// assert!(qddot(&SkaNeuron, 0.0, &[0.5], &[1.0]).is_err()); // degenerate: M = 0
/// ```
pub fn qddot<L: Lagrangian + ?Sized>(lag: &L, t: f64, q: &[f64], qdot: &[f64]) -> Result<Vec<f64>> {
    let n = lag.dof();
    let m: DMatrix<f64> = mass_matrix(lag, t, q, qdot);
    let phi = DVector::from_vec(forcing(lag, t, q, qdot));
    let svd = m.svd(true, true);
    let rank = numerical_rank(svd.singular_values.as_slice());
    if rank < n {
        return Err(Error::Degenerate {
            time: t,
            rank,
            dof: n,
        });
    }
    let x = svd.solve(&phi, 0.0).map_err(|reason| Error::Invalid {
        what: "mass matrix solve".into(),
        reason: reason.into(),
    })?;
    let out: Vec<f64> = x.iter().copied().collect();
    if let Some(bad) = out.iter().find(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            what: "q̈".into(),
            time: t,
            value: *bad,
        });
    }
    Ok(out)
}
