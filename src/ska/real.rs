//! The float type the trainer is generic over.
//!
//! The published run is float32, so `f32` is the default and is what reproduces the published
//! histories; `f64` is there to separate the algorithm from its rounding (`--f64`). Both go
//! through nalgebra's GEMM, which dispatches `f32`/`f64` to matrixmultiply.
//!
//! The bound is nalgebra's [`RealField`] plus `Copy`, with two conversions to and from `f64`
//! (metrics accumulate in `f64`).

use nalgebra::RealField;

/// A real scalar the trainer runs on: `f32` or `f64`.
pub trait Real: RealField + Copy + std::fmt::Display + Send + Sync + 'static {
    /// Short name of the type, for reports (`"f32"`, `"f64"`).
    const NAME: &'static str;
    /// The nearest value of this type to `x`.
    fn of(x: f64) -> Self;
    /// This value widened (or kept) as `f64`.
    fn f64(self) -> f64;
    /// The logistic sigmoid σ(z) = 1/(1 + e^{−z}) as the published code computes it
    /// (no branch: `e^{−z}` overflows to ∞ for very negative z and σ rounds to 0, never NaN).
    fn sigmoid(self) -> Self;
}

impl Real for f32 {
    const NAME: &'static str = "f32";
    #[inline]
    fn of(x: f64) -> Self {
        x as f32
    }
    #[inline]
    fn f64(self) -> f64 {
        self as f64
    }
    #[inline]
    fn sigmoid(self) -> Self {
        1.0 / (1.0 + (-self).exp())
    }
}

impl Real for f64 {
    const NAME: &'static str = "f64";
    #[inline]
    fn of(x: f64) -> Self {
        x
    }
    #[inline]
    fn f64(self) -> f64 {
        self
    }
    #[inline]
    fn sigmoid(self) -> Self {
        1.0 / (1.0 + (-self).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::Real;

    #[test]
    fn sigmoid_is_finite_at_extremes() {
        assert_eq!(Real::sigmoid(-1.0e4_f32), 0.0);
        assert_eq!(Real::sigmoid(1.0e4_f32), 1.0);
        assert_eq!(Real::sigmoid(0.0_f64), 0.5);
        assert_eq!(<f32 as Real>::of(0.1).f64(), 0.1_f32 as f64);
    }
}
