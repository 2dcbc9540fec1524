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
        // torch evaluates float32 sigmoid as 1/(1 + exp(−z)) with a vectorised exp of ≤ 1 ulp
        // error; `exp_f32` is of the same kind and lets this loop vectorise.
        let e = exp_f32(-self);
        if self < -88.0 { 0.0 } else { 1.0 / (1.0 + e) }
    }
}

/// e^x for float32 in a form the compiler vectorises (Cephes `expf`, about 1 ulp on
/// [−87, 88]): x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by a degree-7 polynomial, 2ⁿ by building
/// the exponent bits. Arguments are clamped to [−87, 88] (results 1.6e−38 and 1.65e38); callers
/// that need 0 or ∞ outside that range select it themselves, as [`Real::sigmoid`] does.
#[inline]
pub fn exp_f32(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // 1.5·2²³: adding and subtracting it rounds to the nearest integer without a libm call.
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let t = x * LOG2E + ROUND;
    let n = t - ROUND;
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_1e-4_f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let er = p * r * r + r + 1.0;
    // The low mantissa bits of t hold n (t = 1.5·2²³ + n); shifting n + 127 into the exponent
    // field discards the rest. Integer ops on the bits, so no float→int conversion is needed.
    let scale = f32::from_bits(t.to_bits().wrapping_add(127) << 23);
    er * scale
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
    fn exp_f32_is_within_two_ulps() {
        let mut worst = 0i64;
        let mut x = -87.0f32;
        while x <= 88.0 {
            let want = (x as f64).exp() as f32;
            let got = super::exp_f32(x);
            worst = worst.max((got.to_bits() as i64 - want.to_bits() as i64).abs());
            x += 0.000_731;
        }
        assert!(worst <= 2, "{worst} ulps");
        assert_eq!(super::exp_f32(0.0), 1.0);
    }

    #[test]
    fn sigmoid_is_finite_at_extremes() {
        assert_eq!(Real::sigmoid(-1.0e4_f32), 0.0);
        assert_eq!(Real::sigmoid(1.0e4_f32), 1.0);
        assert_eq!(Real::sigmoid(0.0_f64), 0.5);
        assert_eq!(<f32 as Real>::of(0.1).f64(), 0.1_f32 as f64);
    }
}
