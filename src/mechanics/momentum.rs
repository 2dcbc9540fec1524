//! Generalized momentum pᵢ = ∂L/∂q̇ᵢ, explicit time derivative ∂L/∂t and the energy function
//! h = q̇·∂L/∂q̇ − L, by AD.
//!
//! Noether: along a solution dh/dt = −∂L/∂t, so h is conserved when L has no explicit time
//! dependence. For a null Lagrangian linear in q̇ (such as SKA's), h is identically 0.

use super::Lagrangian;
use super::euler_lagrange::lift;
use num_dual::Dual64;

/// pᵢ = ∂L/∂q̇ᵢ at (t, q, q̇).
pub fn momentum<L: Lagrangian + ?Sized>(lag: &L, t: f64, q: &[f64], qdot: &[f64]) -> Vec<f64> {
    let t1 = Dual64::from(t);
    let q1: Vec<Dual64> = lift(q);
    let mut v1: Vec<Dual64> = lift(qdot);
    (0..lag.dof())
        .map(|i| {
            v1[i].eps = 1.0;
            let p = lag.lagrangian(t1, &q1, &v1).eps;
            v1[i].eps = 0.0;
            p
        })
        .collect()
}

/// ∂L/∂t at (t, q, q̇), holding q and q̇ fixed.
pub fn partial_t<L: Lagrangian + ?Sized>(lag: &L, t: f64, q: &[f64], qdot: &[f64]) -> f64 {
    let q1: Vec<Dual64> = lift(q);
    let v1: Vec<Dual64> = lift(qdot);
    lag.lagrangian(Dual64::from_re(t).derivative(), &q1, &v1)
        .eps
}

/// ∂L/∂qᵢ at (t, q, q̇): the generalized force.
pub fn force<L: Lagrangian + ?Sized>(lag: &L, t: f64, q: &[f64], qdot: &[f64]) -> Vec<f64> {
    let t1 = Dual64::from(t);
    let mut q1: Vec<Dual64> = lift(q);
    let v1: Vec<Dual64> = lift(qdot);
    (0..lag.dof())
        .map(|i| {
            q1[i].eps = 1.0;
            let f = lag.lagrangian(t1, &q1, &v1).eps;
            q1[i].eps = 0.0;
            f
        })
        .collect()
}

/// The energy function h = Σᵢ q̇ᵢ ∂L/∂q̇ᵢ − L at (t, q, q̇).
///
/// ```
/// use ska_verify::mechanics::{energy, systems::{HarmonicOscillator, SkaNeuron}};
/// // ½q̇² + ½q² for the unit oscillator …
/// assert!((energy(&HarmonicOscillator::default(), 0.0, &[1.0], &[2.0]) - 2.5).abs() < 1e-15);
/// // … and identically 0 for SKA, whose L is linear in ż.
/// assert_eq!(energy(&SkaNeuron, 0.0, &[1.3], &[-0.4]), 0.0);
/// ```
pub fn energy<L: Lagrangian + ?Sized>(lag: &L, t: f64, q: &[f64], qdot: &[f64]) -> f64 {
    let p = momentum(lag, t, q, qdot);
    let l: f64 = lag.lagrangian(t, q, qdot);
    p.iter().zip(qdot).map(|(p, v)| p * v).sum::<f64>() - l
}
