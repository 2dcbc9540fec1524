//! The mass matrix M = ∂²L/∂q̇², its numerical rank, and the regular/degenerate classification.
//!
//! A Lagrangian is regular at a state when M is invertible there: the Euler–Lagrange equations
//! M q̈ = ∂L/∂q − (∂²L/∂q̇∂q) q̇ − ∂²L/∂q̇∂t can then be solved for q̈ and define dynamics. When M
//! is singular the Lagrangian is degenerate: some accelerations are not determined (SKA's
//! L = −zσ(z)(1−σ(z))ż has M = 0, so its Euler–Lagrange equation determines nothing).

use super::Lagrangian;
use super::euler_lagrange::lift;
use nalgebra::DMatrix;
use num_dual::HyperDual64;
use serde::Serialize;

/// Relative tolerance on singular values below which M counts as rank-deficient:
/// σₖ ≤ `RANK_TOLERANCE` · σ_max drops out of the rank.
pub const RANK_TOLERANCE: f64 = 1e-10;

/// M = ∂²L/∂q̇ᵢ∂q̇ⱼ at (t, q, q̇), exact (N(N+1)/2 hyper-dual evaluations).
pub fn mass_matrix<L: Lagrangian + ?Sized>(
    lag: &L,
    t: f64,
    q: &[f64],
    qdot: &[f64],
) -> DMatrix<f64> {
    let n = lag.dof();
    let t2 = HyperDual64::from(t);
    let q2: Vec<HyperDual64> = lift(q);
    let mut v2: Vec<HyperDual64> = lift(qdot);
    let mut m = DMatrix::zeros(n, n);
    for i in 0..n {
        for j in i..n {
            v2[i].eps1 = 1.0;
            v2[j].eps2 = 1.0;
            let h = lag.lagrangian(t2, &q2, &v2).eps1eps2;
            v2[i].eps1 = 0.0;
            v2[j].eps2 = 0.0;
            m[(i, j)] = h;
            m[(j, i)] = h;
        }
    }
    m
}

/// Whether the mass matrix is invertible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegularityClass {
    /// rank M = N: q̈ is determined by (t, q, q̇).
    Regular,
    /// rank M < N: the Euler–Lagrange equations do not determine every acceleration.
    Degenerate,
}

/// The mass matrix at one state, with its singular values and numerical rank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regularity {
    /// Regular or degenerate.
    pub class: RegularityClass,
    /// Numerical rank of M (singular values above [`RANK_TOLERANCE`] · σ_max).
    pub rank: usize,
    /// Number of degrees of freedom N.
    pub dof: usize,
    /// Singular values of M, descending.
    pub singular_values: Vec<f64>,
}

/// Numerical rank of a symmetric matrix from its singular values.
pub fn numerical_rank(singular_values: &[f64]) -> usize {
    let max = singular_values.iter().fold(0.0_f64, |m, s| m.max(s.abs()));
    if max == 0.0 || !max.is_finite() {
        return 0;
    }
    singular_values
        .iter()
        .filter(|s| s.abs() > RANK_TOLERANCE * max)
        .count()
}

/// Classify `lag` at (t, q, q̇) as regular or degenerate.
///
/// ```
/// use ska_verify::mechanics::{regularity, RegularityClass, systems::{SkaNeuron, Pendulum}};
/// assert_eq!(regularity(&SkaNeuron, 0.0, &[0.5], &[1.0]).class, RegularityClass::Degenerate);
/// assert_eq!(regularity(&Pendulum::default(), 0.0, &[0.5], &[1.0]).rank, 1);
/// ```
pub fn regularity<L: Lagrangian + ?Sized>(lag: &L, t: f64, q: &[f64], qdot: &[f64]) -> Regularity {
    let m = mass_matrix(lag, t, q, qdot);
    let mut singular_values: Vec<f64> = m.singular_values().iter().copied().collect();
    singular_values.sort_by(|a, b| b.total_cmp(a));
    let rank = numerical_rank(&singular_values);
    let dof = lag.dof();
    Regularity {
        class: if rank == dof {
            RegularityClass::Regular
        } else {
            RegularityClass::Degenerate
        },
        rank,
        dof,
        singular_values,
    }
}
