//! A custom Lagrangian, checked end to end: a particle in a quartic well, L = ½ q̇² − ¼ q⁴.
//!
//! Run with `cargo run --example custom_lagrangian`.

use ska_verify::prelude::*;

struct Quartic;

impl Lagrangian for Quartic {
    fn dof(&self) -> usize {
        1
    }
    fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
        qdot[0] * qdot[0] * 0.5 - q[0].powi(4) * 0.25
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

fn main() -> Result<()> {
    let r = regularity(&Quartic, 0.0, &[1.0], &[0.0]);
    println!("mass matrix rank {} of {} → {:?}", r.rank, r.dof, r.class);

    // Integrate from rest at q = 1 and check the result against the EL equations.
    let sol = integrate(
        &Quartic,
        0.0,
        &[1.0],
        &[0.0],
        10.0,
        IntegratorOptions::default(),
    )?;
    let h0 = energy(&Quartic, 0.0, &sol.q[0], &sol.qdot[0]);
    let k = sol.steps();
    let h1 = energy(&Quartic, sol.times[k], &sol.q[k], &sol.qdot[k]);
    println!(
        "{} steps, energy {h0} → {h1} (drift {:.1e})",
        k,
        (h1 - h0).abs() / h0
    );
    let mid = 0.5 * (sol.times[k / 2] + sol.times[k / 2 + 1]);
    let res = euler_lagrange(&Quartic, &sol, mid);
    println!(
        "residual between nodes at t = {mid:.3}: {:.1e}",
        res.max_abs()
    );

    // A random curve is not a solution.
    let path = Polynomial {
        coefficients: vec![vec![1.0, 0.0, -0.5]],
    };
    println!(
        "residual on q = 1 − t²/2 at t = 1: {:.3}",
        euler_lagrange(&Quartic, &path, 1.0).residual[0]
    );
    Ok(())
}
