//! The plane pendulum, a nonlinear regular Lagrangian.
//!
//! L = ½ m l² θ̇² + m g l cos θ, EL: m l² θ̈ + m g l sin θ = 0, i.e. θ̈ = −ω² sin θ, ω = √(g/l).
//! Exact solution used here: the separatrix (the motion with energy exactly m g l),
//! θ(t) = 4 atan(e^{ω(t − t₀)}) − π, which rises from −π to π; it satisfies θ̇ = 2ω cos(θ/2).

use crate::mechanics::{Lagrangian, Trajectory};
use crate::scalar::Scalar;
use std::f64::consts::PI;

/// L = ½ m l² θ̇² + m g l cos θ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pendulum {
    /// Bob mass m.
    pub mass: f64,
    /// Rod length l.
    pub length: f64,
    /// Gravitational acceleration g.
    pub gravity: f64,
}

impl Default for Pendulum {
    fn default() -> Self {
        Self {
            mass: 1.0,
            length: 1.0,
            gravity: 9.81,
        }
    }
}

impl Lagrangian for Pendulum {
    fn dof(&self) -> usize {
        1
    }
    fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
        let ml = self.mass * self.length;
        qdot[0] * qdot[0] * (0.5 * ml * self.length) + q[0].cos() * (ml * self.gravity)
    }
    fn name(&self) -> String {
        "pendulum".into()
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

/// θ(t) = 4 atan(e^{ω(t − t₀)}) − π: the pendulum's separatrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Separatrix {
    /// ω = √(g/l).
    pub omega: f64,
    /// Time at which θ = 0.
    pub t0: f64,
}

impl Trajectory for Separatrix {
    fn dof(&self) -> usize {
        1
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        vec![((t - self.t0) * self.omega).exp().atan() * 4.0 - PI]
    }
}

impl Pendulum {
    /// The separatrix solution passing θ = 0 at `t0`.
    pub fn exact_solution(&self, t0: f64) -> Separatrix {
        Separatrix {
            omega: (self.gravity / self.length).sqrt(),
            t0,
        }
    }
}
