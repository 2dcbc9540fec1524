//! Controls: for every non-null built-in the AD residual equals the Euler–Lagrange expression
//! derived on paper (independently of the code under test), is clearly non-zero on random
//! trajectories, and vanishes on the system's exact solution.

mod common;

use common::{TIMES, random_trajectory};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use ska_verify::mechanics::systems::*;
use ska_verify::mechanics::{Jet, Lagrangian, Trajectory, euler_lagrange, jet, normwise_relative};

/// The analytic residual d/dt ∂L/∂q̇ − ∂L/∂q of each control, from its documented L.
fn analytic(system: &Control, j: &Jet) -> Vec<f64> {
    let (t, q, v, a) = (j.t, &j.q, &j.qdot, &j.qddot);
    match system {
        Control::Oscillator(s) => vec![s.mass * a[0] + s.stiffness * q[0]],
        Control::Free(s) => a.iter().map(|x| s.mass * x).collect(),
        Control::Pendulum(s) => {
            vec![s.mass * s.length * s.length * a[0] + s.mass * s.gravity * s.length * q[0].sin()]
        }
        Control::Kepler(s) => {
            let r3 = (q[0] * q[0] + q[1] * q[1]).powf(1.5);
            vec![
                s.mass * a[0] + s.mass * s.mu * q[0] / r3,
                s.mass * a[1] + s.mass * s.mu * q[1] / r3,
            ]
        }
        Control::Chain(s) => {
            let n = s.n;
            let spring = |i: usize| {
                // F_i for the bond between i and i+1 (0-based), zero outside the chain.
                if i + 1 >= n {
                    return 0.0;
                }
                let d = q[i + 1] - q[i];
                s.kappa * d + s.beta * d * d * d
            };
            (0..n)
                .map(|i| {
                    let left = if i == 0 { 0.0 } else { spring(i - 1) };
                    s.mass * a[i] + s.onsite * q[i].sin() - spring(i) + left
                })
                .collect()
        }
        Control::Magnetic(s) => vec![s.mass * a[0] - s.qb * v[1], s.mass * a[1] + s.qb * v[0]],
        Control::Damped(s) => {
            let e = (s.gamma * t).exp();
            vec![e * (s.mass * a[0] + s.gamma * s.mass * v[0] + s.stiffness * q[0])]
        }
    }
}

#[derive(Debug, Clone)]
enum Control {
    Oscillator(HarmonicOscillator),
    Free(FreeParticle),
    Pendulum(Pendulum),
    Kepler(Kepler),
    Chain(Chain),
    Magnetic(ChargedParticle),
    Damped(DampedOscillator),
}

impl Lagrangian for Control {
    fn dof(&self) -> usize {
        match self {
            Control::Oscillator(s) => s.dof(),
            Control::Free(s) => s.dof(),
            Control::Pendulum(s) => s.dof(),
            Control::Kepler(s) => s.dof(),
            Control::Chain(s) => s.dof(),
            Control::Magnetic(s) => s.dof(),
            Control::Damped(s) => s.dof(),
        }
    }
    fn lagrangian<D: ska_verify::scalar::Scalar>(&self, t: D, q: &[D], v: &[D]) -> D {
        match self {
            Control::Oscillator(s) => s.lagrangian(t, q, v),
            Control::Free(s) => s.lagrangian(t, q, v),
            Control::Pendulum(s) => s.lagrangian(t, q, v),
            Control::Kepler(s) => s.lagrangian(t, q, v),
            Control::Chain(s) => s.lagrangian(t, q, v),
            Control::Magnetic(s) => s.lagrangian(t, q, v),
            Control::Damped(s) => s.lagrangian(t, q, v),
        }
    }
}

fn controls() -> Vec<(Control, f64)> {
    vec![
        (
            Control::Oscillator(HarmonicOscillator {
                mass: 1.7,
                stiffness: 0.6,
            }),
            1.0,
        ),
        (Control::Free(FreeParticle { mass: 2.5, dim: 3 }), 1.0),
        (Control::Pendulum(Pendulum::default()), 1.5),
        // Keep Kepler away from r = 0: offset the random path.
        (Control::Kepler(Kepler { mass: 0.8, mu: 1.3 }), 0.2),
        (Control::Chain(Chain::new(6)), 1.0),
        (Control::Magnetic(ChargedParticle::default()), 1.0),
        (
            Control::Magnetic(ChargedParticle::velocity_linear(1.5)),
            1.0,
        ),
        (Control::Damped(DampedOscillator::default()), 1.0),
    ]
}

/// Shift a 2-D path to (1.5, 0) so Kepler's r stays ≥ 0.5.
struct Offset<T>(T, f64);
impl<T: Trajectory> Trajectory for Offset<T> {
    fn dof(&self) -> usize {
        self.0.dof()
    }
    fn position<D: ska_verify::scalar::Scalar>(&self, t: D) -> Vec<D> {
        let mut x = self.0.position(t);
        x[0] += self.1;
        x
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/controls.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn ad_residual_matches_analytic_and_is_nonzero(seed in any::<u64>()) {
        for (sys, scale) in controls() {
            let offset = if matches!(sys, Control::Kepler(_)) { 1.5 } else { 0.0 };
            let path = Offset(random_trajectory(seed, sys.dof(), scale), offset);
            let mut samples = Vec::new();
            for &t in &TIMES {
                let j = jet(&path, t);
                let r = euler_lagrange(&sys, &path, t);
                let want = analytic(&sys, &j);
                #[allow(clippy::needless_range_loop)] // four parallel vectors
                for i in 0..sys.dof() {
                    let size = r.dt_momentum[i].abs() + r.force[i].abs();
                    prop_assert!(
                        (r.residual[i] - want[i]).abs() <= 1e-12 * size.max(want[i].abs()),
                        "{sys:?} component {i} at t = {t}: AD {} vs analytic {}",
                        r.residual[i], want[i]
                    );
                }
                samples.push(r);
            }
            let rel = normwise_relative(&samples);
            prop_assert!(rel > 1e-3, "{sys:?}: residual {rel:e} should be clearly non-zero");
        }
    }
}

#[test]
fn exact_solutions_solve_the_equations() {
    let times: Vec<f64> = (0..=40).map(|i| -2.0 + 0.1 * i as f64).collect();
    let check = |name: &str, l: &dyn Fn(f64) -> ska_verify::mechanics::Residual| {
        let samples: Vec<_> = times.iter().map(|&t| l(t)).collect();
        let rel = normwise_relative(&samples);
        assert!(rel < 1e-12, "{name}: exact solution has residual {rel:e}");
    };
    let ho = HarmonicOscillator {
        mass: 1.7,
        stiffness: 0.6,
    };
    check("oscillator", &|t| {
        euler_lagrange(&ho, &ho.exact_solution(0.8, 1.1), t)
    });
    let fp = FreeParticle { mass: 2.5, dim: 2 };
    let line = fp.exact_solution(vec![1.0, 2.0], vec![-0.5, 0.25]);
    let r = euler_lagrange(&fp, &line, 0.3);
    assert_eq!(r.residual, vec![0.0, 0.0]);
    let pe = Pendulum {
        mass: 0.7,
        length: 1.3,
        gravity: 9.81,
    };
    check("pendulum", &|t| {
        euler_lagrange(&pe, &pe.exact_solution(-0.2), t)
    });
    let ke = Kepler { mass: 0.8, mu: 1.3 };
    for e in [0.0, 0.3, 0.8] {
        check("kepler", &|t| {
            euler_lagrange(&ke, &ke.exact_solution(1.2, e), t)
        });
    }
    let ch = Chain::new(5);
    check("chain", &|t| {
        euler_lagrange(&ch, &ch.exact_solution(0.3), t)
    });
    let cp = ChargedParticle {
        mass: 1.3,
        qb: -0.7,
    };
    check("magnetic", &|t| {
        euler_lagrange(&cp, &cp.exact_solution([0.2, 0.1], 1.4, 0.5), t)
    });
    let dm = DampedOscillator::default();
    check("damped", &|t| {
        euler_lagrange(&dm, &dm.exact_solution(1.2, -0.4), t)
    });
    // The velocity-linear field forces ẋ = ẏ = 0: a constant position solves it.
    let cv = ChargedParticle::velocity_linear(1.5);
    let rest = FreeParticle::default().exact_solution(vec![0.4, -0.3], vec![0.0, 0.0]);
    assert_eq!(euler_lagrange(&cv, &rest, 0.7).max_abs(), 0.0);
}

/// The exact solutions are not trivially "solutions" of anything: they fail for a system with
/// different parameters (guards against a residual that is always small on them).
#[test]
fn exact_solutions_fail_for_other_parameters() {
    let ho = HarmonicOscillator {
        mass: 1.0,
        stiffness: 1.0,
    };
    let wrong = HarmonicOscillator {
        mass: 1.0,
        stiffness: 1.2,
    };
    let x = ho.exact_solution(1.0, 0.0);
    let samples: Vec<_> = [0.1, 0.7, 1.3]
        .iter()
        .map(|&t| euler_lagrange(&wrong, &x, t))
        .collect();
    assert!(normwise_relative(&samples) > 1e-3);
    let ke = Kepler::default();
    let orbit = Kepler { mass: 1.0, mu: 1.1 }.exact_solution(1.0, 0.5);
    let samples: Vec<_> = [0.1, 0.7, 1.3]
        .iter()
        .map(|&t| euler_lagrange(&ke, &orbit, t))
        .collect();
    assert!(normwise_relative(&samples) > 1e-3);
}
