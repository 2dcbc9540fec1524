//! The variational core: Lagrangians and trajectories over dual numbers, and everything
//! derived from them by automatic differentiation — Euler–Lagrange residuals, momenta, the
//! energy function, the mass matrix and regularity, accelerations and forward integration.
//!
//! Nothing here is derived by hand and nothing uses finite differences: a [`Lagrangian`] is
//! evaluated on num-dual numbers whose derivative parts carry exactly the partial derivatives
//! needed.

pub mod dynamics;
pub mod euler_lagrange;
pub mod integrate;
pub mod lagrangian;
pub mod momentum;
pub mod regularity;
pub mod systems;
pub mod trajectory;

pub use dynamics::{forcing, qddot};
pub use euler_lagrange::{
    Residual, euler_lagrange, euler_lagrange_at, max_relative_residual, normwise_relative,
};
pub use integrate::{IntegratorOptions, Solution, integrate};
pub use lagrangian::{Lagrangian, MAX_DOF};
pub use momentum::{energy, force, momentum, partial_t};
pub use regularity::{Regularity, RegularityClass, mass_matrix, regularity};
pub use trajectory::{Jet, Trajectory, jet};
