//! The symbolic EL equations of the N = 256 nonlinear chain: derived quickly, and equal to the
//! AD residual of the built-in `Chain` system along its exact solution and a random path.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use ska_verify::expr::{Engine, Program};
use ska_verify::mechanics::systems::Chain;
use ska_verify::mechanics::{Trajectory, euler_lagrange, jet, trajectory::RandomTrajectory};
use std::time::Instant;

fn chain(n: usize) -> (Vec<String>, String) {
    let coords: Vec<String> = (1..=n).map(|i| format!("x{i}")).collect();
    let mut l = String::new();
    for c in &coords {
        l.push_str(&format!("{c}'^2/2 - (1 - cos({c})) + "));
    }
    l.push('0');
    for w in coords.windows(2) {
        let d = format!("({} - {})", w[1], w[0]);
        l.push_str(&format!(" - ({d}^2/2 + 0.25*0.5*{d}^4)"));
    }
    (coords, l)
}

#[test]
fn chain_256_symbolic_el_matches_ad() {
    let n = 256;
    let (coords, src) = chain(n);
    let start = Instant::now();
    let mut en = Engine::new(&coords).unwrap();
    let l = en.parse(&src).unwrap();
    let el = en.el(l).unwrap();
    let normal: Vec<_> = el.iter().map(|&r| en.normalized_expr(r).unwrap()).collect();
    let elapsed = start.elapsed();
    eprintln!("N = {n}: parse + EL + normal form in {elapsed:?}");
    // A generous bound that still catches a quadratic blow-up (the test profile is optimized).
    assert!(elapsed.as_secs_f64() < 5.0, "took {elapsed:?}");

    let program = Program::compile(en.graph(), &normal);
    let sys = Chain::new(n);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let random = RandomTrajectory::draw(&mut rng, n, 1.0);
    for t in [-0.7, 0.2, 0.9] {
        let j = jet(&random, t);
        let symbolic = program.eval(t, &j.q, &j.qdot, &j.qddot);
        let ad = euler_lagrange(&sys, &random, t);
        for (i, s) in symbolic.iter().enumerate() {
            let scale = ad.dt_momentum[i].abs() + ad.force[i].abs();
            assert!(
                (s - ad.residual[i]).abs() <= 1e-12 * scale.max(1.0),
                "component {i} at t = {t}: {s} vs {}",
                ad.residual[i]
            );
        }
    }
    // The exact synchronous separatrix solution satisfies the symbolic equations.
    let exact = sys.exact_solution(0.0);
    assert_eq!(exact.dof(), n);
    let j = jet(&exact, 0.3);
    let r = program.eval(0.3, &j.q, &j.qdot, &j.qddot);
    assert!(r.iter().all(|x| x.abs() < 1e-12), "{:?}", &r[..4]);
}
