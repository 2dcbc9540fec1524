//! The scalar bound used everywhere, and numerically stable logistic functions for it.
//!
//! Every Lagrangian and trajectory in ska-verify is written once, generic over [`Scalar`], so the
//! same code runs on `f64` and on every num-dual type (`Dual64`, `Dual2_64`, `HyperDual64`,
//! `Dual<Dual64>`, ...). Derivatives are therefore exact — never finite differences.
//!
//! num-dual has no sigmoid or softplus. A naive `1/(1+exp(-z))` gives NaN derivatives at
//! z = −800 (exp overflows to ∞ and is multiplied by 0) and `σ(1−σ)` rounds to 0 at z = 40.
//! The forms here branch on the real part so that no intermediate overflows:
//!
//! * σ(z) = 1/(1+e^{−z}) for z ≥ 0, e^{z}/(1+e^{z}) for z < 0;
//! * σ(z)(1−σ(z)) = e^{−|z|}/(1+e^{−|z|})², which is σ′(z);
//! * softplus(z) = ln(1+e^{z}) = max(z,0) + ln(1+e^{−|z|}).
//!
//! ```
//! use ska_verify::scalar::{sigmoid, sigmoid_prime, softplus};
//! use num_dual::{Dual2_64, DualNum};
//! let z = Dual2_64::from_re(-800.0).derivative();
//! let s = sigmoid(z);
//! assert!(s.re.is_finite() && s.v1.is_finite() && s.v2.is_finite());
//! assert!(sigmoid_prime(40.0_f64) > 0.0);
//! assert!((softplus(0.0_f64) - std::f64::consts::LN_2).abs() < 1e-16);
//! ```

use num_dual::DualNum;

/// The scalar type every Lagrangian and trajectory is generic over: `f64` or any num-dual
/// number built on `f64`, at any nesting depth.
pub trait Scalar: DualNum<Primitive = f64> + Copy {}

impl<T: DualNum<Primitive = f64> + Copy> Scalar for T {}

/// A constant as a scalar of type `D`.
#[inline]
pub fn c<D: Scalar>(value: f64) -> D {
    D::from(value)
}

/// The real (innermost, primal) part of a scalar.
#[inline]
pub fn re<D: Scalar>(x: D) -> f64 {
    x.re()
}

/// e^{−|z|}, computed without overflow, with exact derivatives of the branch taken.
#[inline]
fn exp_neg_abs<D: Scalar>(z: D) -> D {
    if z.re() >= 0.0 { (-z).exp() } else { z.exp() }
}

/// Logistic sigmoid σ(z) = 1/(1+e^{−z}), stable for every z.
#[inline]
pub fn sigmoid<D: Scalar>(z: D) -> D {
    let e = exp_neg_abs(z);
    if z.re() >= 0.0 {
        (e + 1.0).recip()
    } else {
        e / (e + 1.0)
    }
}

/// σ′(z) = σ(z)(1−σ(z)) = e^{−|z|}/(1+e^{−|z|})², stable for every z (no cancellation in 1−σ).
#[inline]
pub fn sigmoid_prime<D: Scalar>(z: D) -> D {
    let e = exp_neg_abs(z);
    let d = e + 1.0;
    e / (d * d)
}

/// softplus(z) = ln(1+e^{z}) = max(z, 0) + ln(1+e^{−|z|}), stable for every z.
#[inline]
pub fn softplus<D: Scalar>(z: D) -> D {
    let tail = exp_neg_abs(z).ln_1p();
    if z.re() >= 0.0 { z + tail } else { tail }
}

/// ln σ(z) = −softplus(−z), stable for every z.
#[inline]
pub fn log_sigmoid<D: Scalar>(z: D) -> D {
    -softplus(-z)
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_dual::{Dual2_64, HyperDual64};

    fn jet(z: f64) -> Dual2_64 {
        Dual2_64::from_re(z).derivative()
    }

    #[test]
    fn finite_values_and_derivatives_up_to_800() {
        for i in -1600..=1600 {
            let z = i as f64 * 0.5;
            for f in [sigmoid::<Dual2_64>, sigmoid_prime, softplus, log_sigmoid] {
                let y = f(jet(z));
                assert!(
                    y.re.is_finite() && y.v1.is_finite() && y.v2.is_finite(),
                    "z = {z}: {y:?}"
                );
            }
        }
    }

    #[test]
    fn derivatives_are_the_analytic_ones() {
        for &z in &[-30.0, -3.0, -0.5, 0.0, 0.7, 4.0, 35.0] {
            let s = sigmoid(jet(z));
            let p = sigmoid_prime(z);
            assert!(
                (s.v1 - p).abs() <= 1e-15 * p.max(1e-300) + 1e-300,
                "σ' at {z}"
            );
            let pp = p * (1.0 - 2.0 * sigmoid(z));
            assert!((s.v2 - pp).abs() <= 1e-14 * pp.abs() + 1e-300, "σ'' at {z}");
            let sp = softplus(jet(z));
            assert!((sp.v1 - sigmoid(z)).abs() <= 1e-15, "softplus' at {z}");
            assert!((sp.v2 - p).abs() <= 1e-15 * p + 1e-300, "softplus'' at {z}");
        }
    }

    #[test]
    fn sigmoid_prime_keeps_relative_precision_in_the_tails() {
        // σ'(40) = e^{-40}/(1+e^{-40})², relative precision, where s(1-s) would round to 0.
        let exact = (-40.0_f64).exp() / (1.0 + (-40.0_f64).exp()).powi(2);
        assert!((sigmoid_prime(40.0) - exact).abs() <= 1e-15 * exact);
        assert_eq!(sigmoid_prime(40.0), sigmoid_prime(-40.0));
    }

    #[test]
    fn branch_point_is_smooth() {
        let a = sigmoid(HyperDual64::from_re(0.0).derivative1().derivative2());
        assert!((a.re - 0.5).abs() < 1e-16 && (a.eps1 - 0.25).abs() < 1e-16);
        assert!(a.eps1eps2.abs() < 1e-16);
    }
}
