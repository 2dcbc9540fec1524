//! Forward integration of regular Lagrangian systems: adaptive Dormand–Prince 5(4).
//!
//! The state is (q, q̇) and its derivative (q̇, q̈) with q̈ = M⁻¹φ from [`qddot`]; a degenerate
//! mass matrix stops the integration with [`Error::Degenerate`]. Steps are error-controlled
//! (mixed absolute/relative tolerance, embedded 4th-order estimate, PI-free classic controller).
//!
//! The result is itself a [`Trajectory`]: between steps it is the quintic Hermite interpolant
//! matching q, q̇ and q̈ at both ends, which is C² and generic over the scalar, so the
//! Euler–Lagrange residual can be evaluated *between* the integrator's nodes — an independent
//! check that integrated curves are extremals (Theorem 1, numerically).

use super::{Lagrangian, Trajectory, qddot};
use crate::error::{Error, Result};
use crate::scalar::Scalar;

/// Tolerances and limits of [`integrate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntegratorOptions {
    /// Relative tolerance per component.
    pub rtol: f64,
    /// Absolute tolerance per component.
    pub atol: f64,
    /// Largest number of attempted steps before giving up.
    pub max_steps: usize,
}

impl Default for IntegratorOptions {
    fn default() -> Self {
        Self {
            rtol: 1e-10,
            atol: 1e-12,
            max_steps: 1_000_000,
        }
    }
}

/// An integrated solution: nodes (tₖ, qₖ, q̇ₖ, q̈ₖ) and a C² interpolant between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Node times, increasing.
    pub times: Vec<f64>,
    /// q at each node.
    pub q: Vec<Vec<f64>>,
    /// q̇ at each node.
    pub qdot: Vec<Vec<f64>>,
    /// q̈ at each node.
    pub qddot: Vec<Vec<f64>>,
    /// Rejected step attempts.
    pub rejected: usize,
}

impl Solution {
    /// Number of accepted steps.
    pub fn steps(&self) -> usize {
        self.times.len().saturating_sub(1)
    }
}

// Dormand–Prince 5(4) tableau.
const C: [f64; 7] = [0.0, 0.2, 0.3, 0.8, 8.0 / 9.0, 1.0, 1.0];
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [0.2, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [
        19372.0 / 6561.0,
        -25360.0 / 2187.0,
        64448.0 / 6561.0,
        -212.0 / 729.0,
        0.0,
        0.0,
    ],
    [
        9017.0 / 3168.0,
        -355.0 / 33.0,
        46732.0 / 5247.0,
        49.0 / 176.0,
        -5103.0 / 18656.0,
        0.0,
    ],
    [
        35.0 / 384.0,
        0.0,
        500.0 / 1113.0,
        125.0 / 192.0,
        -2187.0 / 6784.0,
        11.0 / 84.0,
    ],
];
/// 5th-order weights minus the embedded 4th-order weights.
const E: [f64; 7] = [
    71.0 / 57600.0,
    0.0,
    -71.0 / 16695.0,
    71.0 / 1920.0,
    -17253.0 / 339200.0,
    22.0 / 525.0,
    -1.0 / 40.0,
];

/// State derivative (q̇, q̈) of y = (q, q̇).
fn rhs<L: Lagrangian + ?Sized>(lag: &L, t: f64, y: &[f64]) -> Result<Vec<f64>> {
    let n = lag.dof();
    let (q, v) = y.split_at(n);
    let a = qddot(lag, t, q, v)?;
    let mut out = Vec::with_capacity(2 * n);
    out.extend_from_slice(v);
    out.extend_from_slice(&a);
    Ok(out)
}

/// Integrate the Euler–Lagrange equations of a regular `lag` from (t0, q0, q̇0) to `t_end`.
///
/// ```
/// use ska_verify::mechanics::{integrate, IntegratorOptions, systems::HarmonicOscillator};
/// let sol = integrate(&HarmonicOscillator::default(), 0.0, &[1.0], &[0.0],
///                     std::f64::consts::PI, IntegratorOptions::default()).unwrap();
/// assert!((sol.q.last().unwrap()[0] + 1.0).abs() < 1e-8); // cos(π) = −1
/// ```
pub fn integrate<L: Lagrangian + ?Sized>(
    lag: &L,
    t0: f64,
    q0: &[f64],
    qdot0: &[f64],
    t_end: f64,
    opts: IntegratorOptions,
) -> Result<Solution> {
    let n = lag.dof();
    if q0.len() != n || qdot0.len() != n {
        return Err(Error::Dimension {
            what: "initial condition".into(),
            expected: n,
            found: q0.len().min(qdot0.len()),
        });
    }
    if t_end.partial_cmp(&t0) != Some(std::cmp::Ordering::Greater)
        || !t_end.is_finite()
        || !t0.is_finite()
    {
        return Err(Error::Invalid {
            what: "time span".into(),
            reason: format!("need finite t0 < t_end, got t0 = {t0}, t_end = {t_end}"),
        });
    }
    if !(opts.rtol > 0.0 && opts.atol >= 0.0) {
        return Err(Error::Invalid {
            what: "tolerance".into(),
            reason: "rtol must be > 0 and atol ≥ 0".into(),
        });
    }
    let m = 2 * n;
    let mut y: Vec<f64> = q0.iter().chain(qdot0).copied().collect();
    let mut t = t0;
    let mut k1 = rhs(lag, t, &y)?;
    let mut sol = Solution {
        times: vec![t],
        q: vec![y[..n].to_vec()],
        qdot: vec![y[n..].to_vec()],
        qddot: vec![k1[n..].to_vec()],
        rejected: 0,
    };

    // Initial step (Hairer, Nørsett & Wanner, II.4), capped by the span.
    let scale = |y: &[f64], i: usize| opts.atol + opts.rtol * y[i].abs();
    let norm = |v: &[f64], y: &[f64]| {
        (v.iter()
            .enumerate()
            .map(|(i, x)| (x / scale(y, i)).powi(2))
            .sum::<f64>()
            / m as f64)
            .sqrt()
    };
    let d0 = norm(&y, &y);
    let d1 = norm(&k1, &y);
    let mut h = if d0 < 1e-5 || d1 < 1e-5 {
        1e-6
    } else {
        0.01 * d0 / d1
    };
    h = h.min(t_end - t0);

    let mut k = vec![vec![0.0; m]; 7];
    let mut ytmp = vec![0.0; m];
    let mut attempts = 0;
    while t < t_end {
        attempts += 1;
        if attempts > opts.max_steps {
            return Err(Error::Integration {
                time: t,
                reason: format!("more than {} step attempts", opts.max_steps),
            });
        }
        if t + h > t_end {
            h = t_end - t;
        }
        if h <= 1e-14 * t.abs().max(1.0) {
            return Err(Error::Integration {
                time: t,
                reason: format!("step size underflow (h = {h:e})"),
            });
        }
        k[0].clone_from(&k1);
        for s in 1..7 {
            for i in 0..m {
                let mut acc = y[i];
                for (j, kj) in k.iter().enumerate().take(s) {
                    acc += h * A[s][j] * kj[i];
                }
                ytmp[i] = acc;
            }
            k[s] = rhs(lag, t + C[s] * h, &ytmp)?;
        }
        // ytmp now holds the 5th-order solution (stage 7 is evaluated there: FSAL).
        let mut err2 = 0.0;
        for i in 0..m {
            let e: f64 = (0..7).map(|s| E[s] * k[s][i]).sum::<f64>() * h;
            let sc = opts.atol + opts.rtol * y[i].abs().max(ytmp[i].abs());
            err2 += (e / sc).powi(2);
        }
        let err = (err2 / m as f64).sqrt();
        if !err.is_finite() {
            return Err(Error::NonFinite {
                what: "integration error estimate".into(),
                time: t,
                value: err,
            });
        }
        if err <= 1.0 {
            t = if t_end - (t + h) <= 1e-15 * t_end.abs().max(1.0) {
                t_end
            } else {
                t + h
            };
            y.clone_from(&ytmp);
            k1.clone_from(&k[6]);
            sol.times.push(t);
            sol.q.push(y[..n].to_vec());
            sol.qdot.push(y[n..].to_vec());
            sol.qddot.push(k1[n..].to_vec());
        } else {
            sol.rejected += 1;
        }
        let factor = if err == 0.0 {
            5.0
        } else {
            (0.9 * err.powf(-0.2)).clamp(0.2, 5.0)
        };
        h *= factor;
    }
    Ok(sol)
}

impl Trajectory for Solution {
    fn dof(&self) -> usize {
        self.q[0].len()
    }

    /// Quintic Hermite interpolation on the step containing t (clamped to the first/last step
    /// outside the span).
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        let tr = t.re();
        let last = self.times.len() - 1;
        if last == 0 {
            return self.q[0].iter().map(|&v| D::from(v)).collect();
        }
        let k = match self.times.binary_search_by(|x| x.total_cmp(&tr)) {
            Ok(i) => i.min(last - 1),
            Err(i) => i.clamp(1, last) - 1,
        };
        let (t0, t1) = (self.times[k], self.times[k + 1]);
        let h = t1 - t0;
        let s = (t - t0) / h;
        let s2 = s * s;
        let s3 = s2 * s;
        let s4 = s3 * s;
        let s5 = s4 * s;
        let h0 = s3 * (-10.0) + s4 * 15.0 - s5 * 6.0 + 1.0;
        let h1 = s - s3 * 6.0 + s4 * 8.0 - s5 * 3.0;
        let h2 = (s2 - s3 * 3.0 + s4 * 3.0 - s5) * 0.5;
        let h3 = s3 * 10.0 - s4 * 15.0 + s5 * 6.0;
        let h4 = s3 * (-4.0) + s4 * 7.0 - s5 * 3.0;
        let h5 = (s3 - s4 * 2.0 + s5) * 0.5;
        (0..self.dof())
            .map(|i| {
                h0 * self.q[k][i]
                    + h1 * (h * self.qdot[k][i])
                    + h2 * (h * h * self.qddot[k][i])
                    + h3 * self.q[k + 1][i]
                    + h4 * (h * self.qdot[k + 1][i])
                    + h5 * (h * h * self.qddot[k + 1][i])
            })
            .collect()
    }
}
