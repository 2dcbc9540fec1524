//! A charged particle in a uniform magnetic field B ẑ, in the plane (symmetric gauge).
//!
//! L = ½ m (ẋ² + ẏ²) + (qB/2)(x ẏ − y ẋ); EL: m ẍ = qB ẏ, m ÿ = −qB ẋ.
//!
//! The magnetic term is linear in the velocity but is **not** a total time derivative: its
//! Euler–Lagrange contribution is the Lorentz force (−qB ẏ, qB ẋ), which is non-zero. With m = 0
//! the whole Lagrangian is velocity-linear, degenerate, and still not null — the control that
//! catches a checker which calls every velocity-linear Lagrangian null (as SKA's is).
//!
//! Exact solution (m > 0): cyclotron motion x = x_c + R cos(ωt + φ), y = y_c − R sin(ωt + φ),
//! ω = qB/m. For m = 0 the equations force ẋ = ẏ = 0: any constant position.

use crate::mechanics::{Lagrangian, Trajectory};
use crate::scalar::Scalar;

/// L = ½ m |q̇|² + (qB/2)(x ẏ − y ẋ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChargedParticle {
    /// Mass m ≥ 0 (0 gives the purely velocity-linear Lagrangian).
    pub mass: f64,
    /// Charge times field strength, qB.
    pub qb: f64,
}

impl Default for ChargedParticle {
    fn default() -> Self {
        Self { mass: 1.0, qb: 2.0 }
    }
}

impl ChargedParticle {
    /// The massless, purely velocity-linear form L = (qB/2)(x ẏ − y ẋ).
    pub fn velocity_linear(qb: f64) -> Self {
        Self { mass: 0.0, qb }
    }

    /// Cyclotron motion about (x_c, y_c) with radius R and phase φ (requires m > 0).
    pub fn exact_solution(&self, center: [f64; 2], radius: f64, phase: f64) -> Cyclotron {
        Cyclotron {
            center,
            radius,
            omega: if self.mass > 0.0 {
                self.qb / self.mass
            } else {
                0.0
            },
            phase,
        }
    }
}

impl Lagrangian for ChargedParticle {
    fn dof(&self) -> usize {
        2
    }
    fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
        let kinetic = (qdot[0] * qdot[0] + qdot[1] * qdot[1]) * (0.5 * self.mass);
        let magnetic = (q[0] * qdot[1] - q[1] * qdot[0]) * (0.5 * self.qb);
        kinetic + magnetic
    }
    fn name(&self) -> String {
        if self.mass == 0.0 {
            "magnetic field, velocity-linear (m = 0)".into()
        } else {
            "charged particle in magnetic field".into()
        }
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

/// x = x_c + R cos(ωt + φ), y = y_c − R sin(ωt + φ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cyclotron {
    /// Centre (x_c, y_c).
    pub center: [f64; 2],
    /// Radius R.
    pub radius: f64,
    /// Cyclotron frequency ω = qB/m.
    pub omega: f64,
    /// Phase φ.
    pub phase: f64,
}

impl Trajectory for Cyclotron {
    fn dof(&self) -> usize {
        2
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        let (s, c) = (t * self.omega + self.phase).sin_cos();
        vec![
            c * self.radius + self.center[0],
            -s * self.radius + self.center[1],
        ]
    }
}
