//! The symbolic EL equations of the N = 256 nonlinear chain (timed in `benches/derive.rs`) equal the
//! AD residual of the built-in `Chain` system along its exact solution and a random path.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use ska_verify::expr::{Engine, Program};
use ska_verify::mechanics::systems::Chain;
use ska_verify::mechanics::{Trajectory, euler_lagrange, jet, trajectory::RandomTrajectory};

fn chain(n: usize) -> (Vec<String>, String) {
    ska_verify::mechanics::systems::Chain::new(n).expression()
}

#[test]
fn chain_256_symbolic_el_matches_ad() {
    let n = 256;
    let (coords, src) = chain(n);
    let mut en = Engine::new(&coords).unwrap();
    let l = en.parse(&src).unwrap();
    let el = en.el(l).unwrap();
    let normal: Vec<_> = el.iter().map(|&r| en.normalized_expr(r).unwrap()).collect();

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
