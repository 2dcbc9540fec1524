//! Golden Euler–Lagrange residuals from SymPy for 27 chosen and 16 seeded random Lagrangians
//! (tests/golden/generate_el.py →
//! tests/golden/el_golden.json): our AD residual (`ska-verify residual`'s computation) and our
//! symbolic EL equations — raw and in normal form — evaluated along the same trajectories must
//! agree with SymPy to 1e-10, relative to max(|golden|, 1).

use ska_verify::expr::{Engine, Program};
use ska_verify::mechanics::{euler_lagrange, jet};

const TOL: f64 = 1e-10;

fn close(ours: f64, golden: f64) -> bool {
    (ours - golden).abs() <= TOL * golden.abs().max(1.0)
}

#[test]
fn residuals_agree_with_sympy() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("golden/el_golden.json")).expect("golden JSON");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20, "only {} golden cases", cases.len());
    let mut functions_seen = std::collections::BTreeSet::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let coords: Vec<String> = case["coords"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        let src = case["lagrangian"].as_str().unwrap();
        for f in ska_verify::expr::Func::ALL {
            if src.contains(&format!("{}(", f.name())) {
                functions_seen.insert(f.name());
            }
        }
        let mut en = Engine::new(&coords).unwrap();
        let l = en.parse(src).unwrap();
        let comps = en
            .parse_trajectory(case["trajectory"].as_str().unwrap())
            .unwrap();
        let lag = en.lagrangian(l).unwrap();
        let traj = en.trajectory(&comps).unwrap();
        let el = en.el(l).unwrap();
        let raw = Program::compile(en.graph(), &el);
        let normal: Vec<_> = el.iter().map(|&r| en.normalized_expr(r).unwrap()).collect();
        let normal = Program::compile(en.graph(), &normal);
        let times = case["times"].as_array().unwrap();
        let rows = case["residual"].as_array().unwrap();
        for (t, row) in times.iter().zip(rows) {
            let t = t.as_f64().unwrap();
            let golden: Vec<f64> = row
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            let ad = euler_lagrange(&lag, &traj, t).residual;
            let j = jet(&traj, t);
            let sym = raw.eval(t, &j.q, &j.qdot, &j.qddot);
            let nf = normal.eval(t, &j.q, &j.qdot, &j.qddot);
            for i in 0..golden.len() {
                let g = golden[i];
                assert!(
                    close(ad[i], g),
                    "{name} AD r[{i}]({t}) = {} vs SymPy {g}",
                    ad[i]
                );
                assert!(
                    close(sym[i], g),
                    "{name} symbolic r[{i}]({t}) = {} vs {g}",
                    sym[i]
                );
                assert!(
                    close(nf[i], g),
                    "{name} normal form r[{i}]({t}) = {} vs {g}",
                    nf[i]
                );
            }
        }
    }
    // Every function of the language appears in some golden Lagrangian.
    for f in ska_verify::expr::Func::ALL {
        assert!(
            functions_seen.contains(f.name()),
            "no golden case uses {}",
            f.name()
        );
    }
}
