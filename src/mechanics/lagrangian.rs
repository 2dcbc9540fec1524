//! The [`Lagrangian`] trait: L(t, q, q̇), written once, generic over the scalar.
//!
//! A Lagrangian is the only thing a user writes. Everything the variational core derives
//! (Euler–Lagrange residual, momenta, energy function, mass matrix, q̈, integrated solutions)
//! comes from evaluating this one function on dual numbers.

use crate::scalar::Scalar;

/// The largest number of degrees of freedom the variational core accepts.
pub const MAX_DOF: usize = 1024;

/// A Lagrangian L(t, q, q̇) with `dof()` generalized coordinates (1 ≤ N ≤ [`MAX_DOF`]).
///
/// `lagrangian` must be written generically over [`Scalar`] so it can be evaluated on `f64` and
/// on nested dual numbers; `q` and `qdot` have exactly `dof()` components.
///
/// ```
/// use ska_verify::mechanics::Lagrangian;
/// use ska_verify::scalar::Scalar;
///
/// /// L = ½ q̇² − ½ q²
/// struct Spring;
/// impl Lagrangian for Spring {
///     fn dof(&self) -> usize { 1 }
///     fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
///         (qdot[0] * qdot[0] - q[0] * q[0]) * 0.5
///     }
/// }
/// assert_eq!(Spring.lagrangian(0.0, &[1.0], &[2.0]), 1.5);
/// ```
pub trait Lagrangian {
    /// Number of generalized coordinates N.
    fn dof(&self) -> usize;

    /// L(t, q, q̇).
    fn lagrangian<D: Scalar>(&self, t: D, q: &[D], qdot: &[D]) -> D;

    /// A short human-readable name, for reports.
    fn name(&self) -> String {
        std::any::type_name::<Self>()
            .rsplit("::")
            .next()
            .unwrap_or("Lagrangian")
            .to_string()
    }

    /// Whether L is known to have no explicit time dependence (∂L/∂t = 0).
    ///
    /// Used only to decide whether energy conservation is expected; the default `false` is
    /// always safe. Implementations that return `true` are checked against AD in the tests.
    fn is_time_independent(&self) -> bool {
        false
    }
}

impl<L: Lagrangian + ?Sized> Lagrangian for &L {
    fn dof(&self) -> usize {
        (**self).dof()
    }
    fn lagrangian<D: Scalar>(&self, t: D, q: &[D], qdot: &[D]) -> D {
        (**self).lagrangian(t, q, qdot)
    }
    fn name(&self) -> String {
        (**self).name()
    }
    fn is_time_independent(&self) -> bool {
        (**self).is_time_independent()
    }
}
