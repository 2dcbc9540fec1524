//! Property tests: the SKA Lagrangian (and the built-in total derivative) has an
//! Euler–Lagrange residual that vanishes on every trajectory, to rounding.

mod common;

use common::{TIMES, random_trajectory};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use ska_verify::mechanics::systems::{SkaLayer, SkaNeuron, TotalDerivative, ska_potential};
use ska_verify::mechanics::{Residual, Trajectory, euler_lagrange, jet, normwise_relative};
use ska_verify::scalar::{sigmoid, softplus};

fn samples<L: ska_verify::mechanics::Lagrangian, T: Trajectory>(l: &L, x: &T) -> Vec<Residual> {
    TIMES.iter().map(|&t| euler_lagrange(l, x, t)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/null_lagrangians.txt"))),
        ..ProptestConfig::default()
    })]

    /// Seed paper eq. 9: d/dt ∂L/∂ż − ∂L/∂z = 0 for every z(t).
    #[test]
    fn ska_neuron_residual_vanishes(seed in any::<u64>(), scale in 0.1f64..12.0) {
        let z = random_trajectory(seed, 1, scale);
        let s = samples(&SkaNeuron, &z);
        let rel = normwise_relative(&s);
        prop_assert!(rel < 1e-12, "relative residual {rel:e} on {z:?}");
        // The two terms are genuinely non-zero: the identity is not 0 = 0 by accident.
        let size: f64 = s.iter().map(|r| r.force[0].abs()).fold(0.0, f64::max);
        prop_assert!(size > 0.0);
    }

    #[test]
    fn ska_layer_residual_vanishes(seed in any::<u64>(), n in 1usize..24, scale in 0.1f64..12.0) {
        let z = random_trajectory(seed, n, scale);
        let rel = normwise_relative(&samples(&SkaLayer { n }, &z));
        prop_assert!(rel < 1e-12, "relative residual {rel:e}");
    }

    #[test]
    fn total_derivative_residual_vanishes(seed in any::<u64>(), scale in 0.1f64..3.0) {
        let q = random_trajectory(seed, 2, scale);
        let rel = normwise_relative(&samples(&TotalDerivative, &q));
        prop_assert!(rel < 1e-12, "relative residual {rel:e}");
    }

    /// L = dF/dt with F = softplus(z) − zσ(z): the Lagrangian along a path equals the time
    /// derivative of F along it (AD of F on the trajectory's jet).
    #[test]
    fn ska_is_the_time_derivative_of_its_potential(seed in any::<u64>(), t in -1.0f64..1.0) {
        use num_dual::Dual64;
        use ska_verify::mechanics::Lagrangian;
        let z = random_trajectory(seed, 1, 6.0);
        let zt = z.position(Dual64::from_re(t).derivative())[0];
        let dfdt = ska_potential(zt).eps;
        let j = jet(&z, t);
        let l: f64 = SkaNeuron.lagrangian(t, &j.q, &j.qdot);
        // AD of F adds and cancels σ(−|z|)ż terms: rounding is relative to their size.
        let size = l.abs() + (sigmoid(-j.q[0].abs()) * j.qdot[0]).abs();
        prop_assert!((l - dfdt).abs() <= 1e-14 * size, "L = {l}, dF/dt = {dfdt}");
    }
}

/// F(z) = ln 2 · H(σ(z)) with H the Shannon entropy in bits, H = −p log₂ p − q log₂ q,
/// p = σ(z), q = 1 − p = σ(−z) (logs from the stable log-sigmoid, ln p = −softplus(−z)).
#[test]
fn ska_potential_is_scaled_shannon_entropy() {
    for i in -400..=400 {
        let z = i as f64 * 0.1;
        let (p, q) = (sigmoid(z), sigmoid(-z));
        let (lp, lq) = (-softplus(-z), -softplus(z));
        let h_bits = -(p * lp + q * lq) / std::f64::consts::LN_2;
        let f = ska_potential(z);
        let g = std::f64::consts::LN_2 * h_bits;
        assert!(
            (f - g).abs() <= 4.0 * f64::EPSILON * f,
            "z = {z}: F = {f}, ln2·H = {g}"
        );
    }
}

/// No NaN anywhere in the SKA built-ins for |z| ≤ 800, including second derivatives.
#[test]
fn ska_residual_is_finite_far_out() {
    use ska_verify::mechanics::trajectory::Polynomial;
    for &z0 in &[-800.0, -400.0, -40.0, 40.0, 400.0, 800.0] {
        let z = Polynomial {
            coefficients: vec![vec![z0, 0.5, -0.25]],
        };
        let r = euler_lagrange(&SkaNeuron, &z, 0.0);
        assert!(
            r.residual[0].is_finite() && r.force[0].is_finite(),
            "z0 = {z0}: {r:?}"
        );
        assert!(r.max_relative() <= 1e-12 || r.residual[0] == 0.0);
        let m = ska_verify::mechanics::mass_matrix(&SkaNeuron, 0.0, &[z0], &[1.0]);
        assert_eq!(m[(0, 0)], 0.0);
    }
}
