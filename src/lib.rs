//! # ska-verify
//!
//! Check claims about Lagrangians and learning rules instead of believing them.
//!
//! Write a Lagrangian once, generic over the scalar type, and ska-verify derives its
//! Euler–Lagrange residual, momenta, energy function, mass matrix and dynamics by automatic
//! differentiation with dual numbers — exact derivatives, no hand derivation, no finite
//! differences.
//!
//! ```
//! use ska_verify::prelude::*;
//!
//! /// A particle on a line in a quartic well: L = ½ q̇² − ¼ q⁴.
//! struct Quartic;
//! impl Lagrangian for Quartic {
//!     fn dof(&self) -> usize { 1 }
//!     fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
//!         qdot[0] * qdot[0] * 0.5 - q[0].powi(4) * 0.25
//!     }
//! }
//!
//! // Its Euler–Lagrange residual along q = t² is q̈ + q³ = 2 + t⁶.
//! let path = Polynomial { coefficients: vec![vec![0.0, 0.0, 1.0]] };
//! let r = euler_lagrange(&Quartic, &path, 1.5);
//! assert!((r.residual[0] - (2.0 + 1.5_f64.powi(6))).abs() < 1e-12);
//! // It is regular, and its integrated solutions conserve the energy ½ q̇² + ¼ q⁴.
//! assert_eq!(regularity(&Quartic, 0.0, &[1.0], &[0.0]).class, RegularityClass::Regular);
//! let sol = integrate(&Quartic, 0.0, &[1.0], &[0.0], 10.0, IntegratorOptions::default()).unwrap();
//! let h = |k: usize| energy(&Quartic, sol.times[k], &sol.q[k], &sol.qdot[k]);
//! assert!((h(sol.steps()) - h(0)).abs() < 1e-8);
//!
//! // The SKA Lagrangian −zσ(z)(1−σ(z))ż is a total time derivative: its residual is zero on
//! // every path, its energy function is zero, and it is degenerate.
//! let r = euler_lagrange(&SkaNeuron, &path, 1.5);
//! assert!(r.max_relative() < 1e-14);
//! assert_eq!(regularity(&SkaNeuron, 0.0, &[1.0], &[2.0]).rank, 0);
//! ```
//!
//! Modules: [`scalar`] (the scalar bound and stable logistic functions), [`mechanics`] (the
//! variational core and built-in systems), [`expr`] (the expression language and symbolic
//! engine behind `ska-verify check`), [`proof`] (proof files: the papers' equations as
//! claims, checked by `ska-verify prove` and `cargo test`), [`ska`] (the reference SKA trainer, its metrics, data
//! and initialisation), [`figures`] (the papers' figures and their data), [`verify`] (the
//! built-in checks behind `ska-verify verify`).

pub mod error;
pub mod expr;
pub mod figures;
pub mod mechanics;
pub mod proof;
pub mod scalar;
pub mod ska;
pub mod verify;

pub use error::{Error, ParseError, Result};

/// The names most programs need.
pub mod prelude {
    pub use crate::error::{Error, Result};
    pub use crate::mechanics::systems::*;
    pub use crate::mechanics::trajectory::{Fourier, Polynomial, RandomTrajectory, Sum};
    pub use crate::mechanics::{
        IntegratorOptions, Lagrangian, RegularityClass, Residual, Trajectory, energy,
        euler_lagrange, integrate, jet, mass_matrix, momentum, qddot, regularity,
    };
    pub use crate::scalar::{Scalar, sigmoid, sigmoid_prime, softplus};
}
