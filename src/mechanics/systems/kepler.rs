//! The Kepler problem in the plane.
//!
//! L = ½ m (ẋ² + ẏ²) + m μ / r, r = √(x² + y²); EL: ẍ = −μ x / r³, ÿ = −μ y / r³.
//! Exact solution: the ellipse with semi-major axis a and eccentricity e, periapsis on +x,
//! x = a (cos E − e), y = a √(1−e²) sin E, where the eccentric anomaly E solves Kepler's
//! equation E − e sin E = n (t − τ), n = √(μ/a³). E is found by Newton's method carried out in
//! the scalar type itself, so derivatives of the orbit in t are exact too.

use crate::mechanics::{Lagrangian, Trajectory};
use crate::scalar::Scalar;

/// L = ½ m |q̇|² + m μ / |q| in the plane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kepler {
    /// Orbiting mass m.
    pub mass: f64,
    /// Gravitational parameter μ = G M.
    pub mu: f64,
}

impl Default for Kepler {
    fn default() -> Self {
        Self { mass: 1.0, mu: 1.0 }
    }
}

impl Lagrangian for Kepler {
    fn dof(&self) -> usize {
        2
    }
    fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
        let r = (q[0] * q[0] + q[1] * q[1]).sqrt();
        (qdot[0] * qdot[0] + qdot[1] * qdot[1]) * (0.5 * self.mass)
            + r.recip() * (self.mass * self.mu)
    }
    fn name(&self) -> String {
        "Kepler (2-D)".into()
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

/// A Keplerian ellipse with periapsis on the +x axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeplerOrbit {
    /// Semi-major axis a.
    pub a: f64,
    /// Eccentricity 0 ≤ e < 1.
    pub e: f64,
    /// Gravitational parameter μ.
    pub mu: f64,
    /// Time of periapsis passage τ.
    pub tau: f64,
}

impl KeplerOrbit {
    /// Newton iterations for Kepler's equation; quadratic convergence from E₀ = M + e sin M
    /// reaches machine precision in well under this many for e ≤ 0.9.
    const NEWTON_STEPS: usize = 30;
}

impl Trajectory for KeplerOrbit {
    fn dof(&self) -> usize {
        2
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        let n = (self.mu / self.a.powi(3)).sqrt();
        let m = (t - self.tau) * n;
        let mut ecc = m + m.sin() * self.e;
        for _ in 0..Self::NEWTON_STEPS {
            let f = ecc - ecc.sin() * self.e - m;
            let fp = -ecc.cos() * self.e + 1.0;
            ecc -= f / fp;
        }
        let b = self.a * (1.0 - self.e * self.e).sqrt();
        vec![(ecc.cos() - self.e) * self.a, ecc.sin() * b]
    }
}

impl Kepler {
    /// The ellipse of semi-major axis `a`, eccentricity `e`, periapsis at t = 0.
    pub fn exact_solution(&self, a: f64, e: f64) -> KeplerOrbit {
        KeplerOrbit {
            a,
            e,
            mu: self.mu,
            tau: 0.0,
        }
    }
}
