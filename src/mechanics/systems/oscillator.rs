//! The harmonic oscillator and the free particle: the simplest regular Lagrangians.
//!
//! Oscillator: L = ½ m q̇² − ½ k q², EL: m q̈ + k q = 0, exact q = A cos(ωt + φ), ω = √(k/m),
//! energy h = ½ m q̇² + ½ k q² conserved.
//! Free particle in d dimensions: L = ½ m |q̇|², EL: m q̈ = 0, exact q = q₀ + v t.

use crate::mechanics::{Lagrangian, Trajectory};
use crate::scalar::Scalar;

/// L = ½ m q̇² − ½ k q².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HarmonicOscillator {
    /// Mass m > 0.
    pub mass: f64,
    /// Spring constant k > 0.
    pub stiffness: f64,
}

impl Default for HarmonicOscillator {
    fn default() -> Self {
        Self {
            mass: 1.0,
            stiffness: 1.0,
        }
    }
}

impl Lagrangian for HarmonicOscillator {
    fn dof(&self) -> usize {
        1
    }
    fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
        qdot[0] * qdot[0] * (0.5 * self.mass) - q[0] * q[0] * (0.5 * self.stiffness)
    }
    fn name(&self) -> String {
        "harmonic oscillator".into()
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

/// q(t) = A cos(ωt + φ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cosine {
    /// Amplitude A.
    pub amplitude: f64,
    /// Angular frequency ω.
    pub omega: f64,
    /// Phase φ.
    pub phase: f64,
}

impl Trajectory for Cosine {
    fn dof(&self) -> usize {
        1
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        vec![(t * self.omega + self.phase).cos() * self.amplitude]
    }
}

impl HarmonicOscillator {
    /// The exact solution A cos(ωt + φ), ω = √(k/m).
    pub fn exact_solution(&self, amplitude: f64, phase: f64) -> Cosine {
        Cosine {
            amplitude,
            omega: (self.stiffness / self.mass).sqrt(),
            phase,
        }
    }
}

/// L = ½ m |q̇|² in `dim` dimensions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FreeParticle {
    /// Mass m > 0.
    pub mass: f64,
    /// Number of dimensions.
    pub dim: usize,
}

impl Default for FreeParticle {
    fn default() -> Self {
        Self { mass: 1.0, dim: 3 }
    }
}

impl Lagrangian for FreeParticle {
    fn dof(&self) -> usize {
        self.dim
    }
    fn lagrangian<D: Scalar>(&self, _t: D, _q: &[D], qdot: &[D]) -> D {
        qdot.iter().fold(D::from(0.0), |a, &v| a + v * v) * (0.5 * self.mass)
    }
    fn name(&self) -> String {
        "free particle".into()
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

/// Straight-line motion q(t) = q₀ + v t.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Position at t = 0.
    pub origin: Vec<f64>,
    /// Constant velocity.
    pub velocity: Vec<f64>,
}

impl Trajectory for Line {
    fn dof(&self) -> usize {
        self.origin.len()
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        self.origin
            .iter()
            .zip(&self.velocity)
            .map(|(&o, &v)| t * v + o)
            .collect()
    }
}

impl FreeParticle {
    /// The exact solution q₀ + v t.
    pub fn exact_solution(&self, origin: Vec<f64>, velocity: Vec<f64>) -> Line {
        Line { origin, velocity }
    }
}
