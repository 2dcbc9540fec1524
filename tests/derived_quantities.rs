//! Momentum, energy, ∂L/∂t and the mass matrix by AD, against central finite differences
//! (the only place finite differences appear: as an independent check of the AD).

mod common;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ska_verify::mechanics::systems::*;
use ska_verify::mechanics::{
    Lagrangian, RegularityClass, energy, mass_matrix, momentum, partial_t, regularity,
};

fn fd_momentum<L: Lagrangian>(l: &L, t: f64, q: &[f64], v: &[f64]) -> Vec<f64> {
    (0..l.dof())
        .map(|i| {
            let h = 1e-5 * v[i].abs().max(1.0);
            let (mut vp, mut vm) = (v.to_vec(), v.to_vec());
            vp[i] += h;
            vm[i] -= h;
            (l.lagrangian(t, q, &vp) - l.lagrangian(t, q, &vm)) / (2.0 * h)
        })
        .collect()
}

fn state(seed: u64, n: usize) -> (f64, Vec<f64>, Vec<f64>) {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let t = r.random_range(-1.0..1.0);
    let q = (0..n).map(|_| r.random_range(-1.0..1.0)).collect();
    let v = (0..n).map(|_| r.random_range(-1.0..1.0)).collect();
    (t, q, v)
}

macro_rules! fd_checks {
    ($name:ident, $sys:expr, $shift:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/derived_quantities.txt"))),
        ..ProptestConfig::default()
    })]
            #[test]
            fn $name(seed in any::<u64>()) {
                let sys = $sys;
                let (t, mut q, v) = state(seed, sys.dof());
                q[0] += $shift;
                let p = momentum(&sys, t, &q, &v);
                let p_fd = fd_momentum(&sys, t, &q, &v);
                let l: f64 = sys.lagrangian(t, &q, &v);
                let scale = p.iter().chain(&p_fd).fold(l.abs(), |m, x| m.max(x.abs())).max(1e-3);
                for i in 0..sys.dof() {
                    prop_assert!((p[i] - p_fd[i]).abs() <= 1e-7 * scale,
                        "p[{i}] AD {} vs FD {}", p[i], p_fd[i]);
                }
                let h_fd: f64 = p_fd.iter().zip(&v).map(|(p, v)| p * v).sum::<f64>() - l;
                let h = energy(&sys, t, &q, &v);
                prop_assert!((h - h_fd).abs() <= 1e-7 * scale, "h AD {h} vs FD {h_fd}");
                let dt = 1e-5;
                let lt_fd = (sys.lagrangian(t + dt, &q, &v) - sys.lagrangian(t - dt, &q, &v)) / (2.0 * dt);
                let lt = partial_t(&sys, t, &q, &v);
                prop_assert!((lt - lt_fd).abs() <= 1e-7 * scale, "∂L/∂t AD {lt} vs FD {lt_fd}");
                if sys.is_time_independent() {
                    prop_assert_eq!(lt, 0.0);
                }
            }
        }
    };
}

fd_checks!(ska_neuron, SkaNeuron, 0.0);
fd_checks!(ska_layer, SkaLayer { n: 5 }, 0.0);
fd_checks!(oscillator, HarmonicOscillator::default(), 0.0);
fd_checks!(pendulum, Pendulum::default(), 0.0);
fd_checks!(kepler, Kepler::default(), 2.0);
fd_checks!(chain, Chain::new(4), 0.0);
fd_checks!(magnetic, ChargedParticle::default(), 0.0);
fd_checks!(damped, DampedOscillator::default(), 0.0);
fd_checks!(total_derivative, TotalDerivative, 0.0);

#[test]
fn ska_energy_function_is_identically_zero() {
    for seed in 0..200 {
        let (t, q, v) = state(seed, 6);
        let q: Vec<f64> = q.iter().map(|x| x * 10.0).collect();
        let h = energy(&SkaLayer { n: 6 }, t, &q, &v);
        // Rounding is relative to the size of the summands q̇ᵢ pᵢ, not to their sum.
        let p = momentum(&SkaLayer { n: 6 }, t, &q, &v);
        let size: f64 = p.iter().zip(&v).map(|(p, v)| (p * v).abs()).sum();
        assert!(size > 0.0);
        assert!(
            h.abs() <= 4.0 * f64::EPSILON * size,
            "h = {h}, Σ|q̇p| = {size}"
        );
    }
}

#[test]
fn oscillator_energy_is_the_textbook_one() {
    let s = HarmonicOscillator {
        mass: 2.0,
        stiffness: 3.0,
    };
    let h = energy(&s, 0.4, &[0.5], &[-1.5]);
    assert!((h - (0.5 * 2.0 * 2.25 + 0.5 * 3.0 * 0.25)).abs() < 1e-15);
}

#[test]
fn mass_matrices_and_regularity() {
    // SKA: M = 0, rank 0.
    let r = regularity(&SkaLayer { n: 4 }, 0.0, &[0.1, 2.0, -3.0, 9.0], &[1.0; 4]);
    assert_eq!((r.class, r.rank), (RegularityClass::Degenerate, 0));
    // Velocity-linear magnetic field and the total derivative: degenerate, rank 0.
    let m = ChargedParticle::velocity_linear(2.0);
    assert_eq!(regularity(&m, 0.0, &[0.3, 0.4], &[1.0, -1.0]).rank, 0);
    assert_eq!(
        regularity(&TotalDerivative, 0.5, &[0.3, 0.4], &[1.0, -1.0]).rank,
        0
    );
    // Regular ones: M = m·I (free particle), m l² (pendulum), e^{γt} m (damped).
    let fp = FreeParticle { mass: 2.5, dim: 3 };
    let mm = mass_matrix(&fp, 0.0, &[0.0; 3], &[1.0, 2.0, 3.0]);
    assert_eq!(mm, nalgebra::DMatrix::identity(3, 3) * 2.5);
    let pe = Pendulum {
        mass: 2.0,
        length: 1.5,
        gravity: 9.81,
    };
    assert!((mass_matrix(&pe, 0.0, &[0.3], &[0.1])[(0, 0)] - 4.5).abs() < 1e-15);
    let dm = DampedOscillator::default();
    let m00 = mass_matrix(&dm, 1.0, &[0.3], &[0.1])[(0, 0)];
    assert!((m00 - (0.3_f64).exp()).abs() < 1e-15);
    let ch = regularity(&Chain::new(7), 0.0, &[0.1; 7], &[0.2; 7]);
    assert_eq!((ch.class, ch.rank), (RegularityClass::Regular, 7));
    // A rank-1 mass matrix in 2 dof: L = ½(ẋ + ẏ)².
    struct Sheared;
    impl Lagrangian for Sheared {
        fn dof(&self) -> usize {
            2
        }
        fn lagrangian<D: ska_verify::scalar::Scalar>(&self, _t: D, _q: &[D], v: &[D]) -> D {
            (v[0] + v[1]) * (v[0] + v[1]) * 0.5
        }
    }
    let r = regularity(&Sheared, 0.0, &[0.0, 0.0], &[1.0, 0.0]);
    assert_eq!((r.class, r.rank), (RegularityClass::Degenerate, 1));
}
