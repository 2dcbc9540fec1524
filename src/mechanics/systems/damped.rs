//! A time-dependent Lagrangian: the Caldirola–Kanai damped oscillator.
//!
//! L = e^{γt} (½ m q̇² − ½ k q²); EL: m q̈ + γ m q̇ + k q = 0 (after dividing by e^{γt}).
//! ∂L/∂t = γ L ≠ 0, so the energy function h = e^{γt}(½ m q̇² + ½ k q²) is *not* conserved
//! (dh/dt = −∂L/∂t along solutions). Exact (underdamped) solution:
//! q = A e^{−γt/2} cos(Ωt + φ), Ω = √(k/m − γ²/4).

use crate::mechanics::{Lagrangian, Trajectory};
use crate::scalar::Scalar;

/// L = e^{γt} (½ m q̇² − ½ k q²).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DampedOscillator {
    /// Mass m.
    pub mass: f64,
    /// Spring constant k.
    pub stiffness: f64,
    /// Damping rate γ.
    pub gamma: f64,
}

impl Default for DampedOscillator {
    fn default() -> Self {
        Self {
            mass: 1.0,
            stiffness: 4.0,
            gamma: 0.3,
        }
    }
}

impl Lagrangian for DampedOscillator {
    fn dof(&self) -> usize {
        1
    }
    fn lagrangian<D: Scalar>(&self, t: D, q: &[D], qdot: &[D]) -> D {
        (t * self.gamma).exp()
            * (qdot[0] * qdot[0] * (0.5 * self.mass) - q[0] * q[0] * (0.5 * self.stiffness))
    }
    fn name(&self) -> String {
        "time-dependent oscillator (Caldirola–Kanai)".into()
    }
}

/// q = A e^{−γt/2} cos(Ωt + φ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DampedCosine {
    /// Amplitude A.
    pub amplitude: f64,
    /// Decay rate γ/2.
    pub decay: f64,
    /// Ω.
    pub omega: f64,
    /// φ.
    pub phase: f64,
}

impl Trajectory for DampedCosine {
    fn dof(&self) -> usize {
        1
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        vec![(t * (-self.decay)).exp() * (t * self.omega + self.phase).cos() * self.amplitude]
    }
}

impl DampedOscillator {
    /// The underdamped exact solution (requires γ² < 4k/m).
    pub fn exact_solution(&self, amplitude: f64, phase: f64) -> DampedCosine {
        DampedCosine {
            amplitude,
            decay: 0.5 * self.gamma,
            omega: (self.stiffness / self.mass - 0.25 * self.gamma * self.gamma).sqrt(),
            phase,
        }
    }
}
