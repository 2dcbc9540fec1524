//! A null Lagrangian built as the total time derivative of a non-trivial F(q, t).
//!
//! F(x, y, t) = y sin x + t x² + y cos t, and
//! L = dF/dt = (y cos x + 2 t x) ẋ + (sin x + cos t) ẏ + x² − y sin t.
//!
//! Like SKA's, its Euler–Lagrange residual vanishes on every trajectory — but it is
//! two-dimensional, couples the coordinates and depends explicitly on t, so it exercises every
//! path of the residual code.

use crate::mechanics::Lagrangian;
use crate::scalar::Scalar;

/// L = dF/dt for F(x, y, t) = y sin x + t x² + y cos t.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TotalDerivative;

impl TotalDerivative {
    /// F(x, y, t) itself.
    pub fn potential<D: Scalar>(t: D, q: &[D]) -> D {
        q[1] * q[0].sin() + t * q[0] * q[0] + q[1] * t.cos()
    }
}

impl Lagrangian for TotalDerivative {
    fn dof(&self) -> usize {
        2
    }
    fn lagrangian<D: Scalar>(&self, t: D, q: &[D], qdot: &[D]) -> D {
        let (x, y) = (q[0], q[1]);
        (y * x.cos() + t * x * 2.0) * qdot[0] + (x.sin() + t.cos()) * qdot[1] + x * x - y * t.sin()
    }
    fn name(&self) -> String {
        "null Lagrangian dF/dt".into()
    }
}
