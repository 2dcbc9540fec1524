//! Golden CLI tests of `check`, `residual` and `derive`: the acceptance cases of the
//! expression-language issue, exit codes, JSON keys and the caret message.

use assert_cmd::Command;
use serde_json::Value;

fn cli() -> Command {
    Command::cargo_bin("ska-verify").expect("binary")
}

fn check_json(args: &[&str]) -> Value {
    let out = cli()
        .arg("check")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn ska_lagrangian_is_degenerate_null_proved_with_zero_energy() {
    let v = check_json(&[
        "--coords",
        "z",
        "--lagrangian",
        "-z*sigma(z)*(1-sigma(z))*z'",
    ]);
    assert_eq!(v["dof"], 1);
    assert_eq!(v["regular"], false);
    assert_eq!(v["mass_matrix_rank"], 0);
    assert_eq!(v["null_lagrangian"]["verdict"], "proved");
    assert!(
        v["null_lagrangian"]["reason"]
            .as_str()
            .unwrap()
            .contains("total time derivative")
    );
    assert_eq!(v["euler_lagrange"][0], "0 = 0");
    assert_eq!(v["energy"], "0");
}

#[test]
fn ska_with_definitions_and_text_output() {
    cli()
        .args(["check", "--coords", "z", "--let", "S=sigma(z)"])
        .args(["--lagrangian", "-z*S*(1-S)*z'"])
        .assert()
        .success()
        .stdout(predicates::str::contains("null Lagrangian   proved"))
        .stdout(predicates::str::contains("degenerate"));
}

#[test]
fn oscillator_is_regular_not_null_conserves_energy_and_sine_solves_it() {
    let v = check_json(&[
        "--coords",
        "x",
        "--lagrangian",
        "x'^2/2 - x^2/2",
        "--trajectory",
        "x = sin(t)",
    ]);
    assert_eq!(v["regular"], true);
    assert_eq!(v["mass_matrix_rank"], 1);
    assert_eq!(v["null_lagrangian"]["verdict"], "refuted");
    assert!(v["null_lagrangian"]["counterexample"]["time"].is_number());
    assert_eq!(v["euler_lagrange"][0], "x'' + x = 0");
    assert_eq!(v["energy"], "x'^2/2 + x^2/2");
    assert_eq!(v["energy_conservation"]["status"], "conserved");
    assert!(v["energy_conservation"]["relative_drift"].as_f64().unwrap() < 1e-6);
    assert_eq!(v["trajectory"]["solves"], true);
    assert!(v["trajectory"]["max_abs_residual"].as_f64().unwrap() < 1e-12);
}

#[test]
fn a_trajectory_that_does_not_solve_exits_1() {
    cli()
        .args(["check", "--coords", "x", "--lagrangian", "x'^2/2 - x^2/2"])
        .args(["--trajectory", "x = t^2"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("does NOT solve"));
}

#[test]
fn x_times_velocity_is_null_and_the_trap_is_not() {
    let v = check_json(&["--coords", "x", "--lagrangian", "x*x'"]);
    assert_eq!(v["null_lagrangian"]["verdict"], "proved");
    let v = check_json(&["--coords", "x", "--lagrangian", "exp(x)*x' + t*x'"]);
    assert_eq!(v["null_lagrangian"]["verdict"], "refuted");
    assert_eq!(v["euler_lagrange"][0], "1 = 0");
    let r = v["null_lagrangian"]["counterexample"]["residual"][0]
        .as_f64()
        .unwrap();
    assert!((r - 1.0).abs() < 1e-12, "{r}");
}

#[test]
fn residual_json_has_one_row_per_time() {
    let out = cli()
        .args(["residual", "--coords", "x,y"])
        .args(["--lagrangian", "x'^2/2 + y'^2/2 - x*y"])
        .args([
            "--trajectory",
            "x = sin(t); y = t^2",
            "--times",
            "0,0.5,1.5",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["times"], serde_json::json!([0.0, 0.5, 1.5]));
    let rows = v["residual"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    // r_x = x'' + y = -sin t + t², r_y = y'' + x = 2 + sin t.
    for (row, t) in rows.iter().zip([0.0_f64, 0.5, 1.5]) {
        let rx = row[0].as_f64().unwrap();
        let ry = row[1].as_f64().unwrap();
        assert!((rx - (-t.sin() + t * t)).abs() < 1e-14);
        assert!((ry - (2.0 + t.sin())).abs() < 1e-14);
    }
}

#[test]
fn derive_prints_momenta_equations_energy_and_mass_matrix() {
    cli()
        .args(["derive", "--coords", "x", "--lagrangian", "x'^2/2 - x^2/2"])
        .assert()
        .success()
        .stdout(predicates::str::contains("p[x] = x'"))
        .stdout(predicates::str::contains("[x]  x'' + x = 0"))
        .stdout(predicates::str::contains("h = x'^2/2 + x^2/2"))
        .stdout(predicates::str::contains("[ 1 ]"));
    cli()
        .args([
            "derive",
            "--coords",
            "x",
            "--lagrangian",
            "x'^2/2 - x^2/2",
            "--latex",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("\\ddot{x} + x = 0"))
        .stdout(predicates::str::contains("\\frac{\\dot{x}^{2}}{2}"));
}

#[test]
fn malformed_input_exits_2_with_a_caret() {
    cli()
        .args(["check", "--coords", "z", "--lagrangian", "-z*sigm(z)*z'"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "line 1, column 4: unknown function `sigm`",
        ))
        .stderr(predicates::str::contains("1 | -z*sigm(z)*z'\n  |    ^"))
        .stderr(predicates::str::contains("did you mean `sigma`?"));
    cli()
        .args(["check", "--coords", "x", "--lagrangian", "x +"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("^"));
    cli()
        .args([
            "check",
            "--coords",
            "x",
            "--lagrangian",
            "x'^2",
            "--trajectory",
            "y = t",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`y` is not a coordinate"));
    cli()
        .args(["check", "--coords", "t", "--lagrangian", "t"])
        .assert()
        .code(2);
    let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
    cli()
        .args(["check", "--coords", "x", "--lagrangian", &deep])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nesting"));
    cli()
        .args(["residual", "--coords", "x", "--lagrangian", "x'^2"])
        .args(["--trajectory", "x = t", "--times", "0,a"])
        .assert()
        .code(2);
}

#[test]
fn residual_command_agrees_with_sympy_on_every_golden_case() {
    let doc: Value =
        serde_json::from_str(include_str!("golden/el_golden.json")).expect("golden JSON");
    for case in doc["cases"].as_array().unwrap() {
        let coords: Vec<&str> = case["coords"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let times: Vec<String> = case["times"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap().to_string())
            .collect();
        let out = cli()
            .args(["residual", "--coords", &coords.join(",")])
            .args(["--lagrangian", case["lagrangian"].as_str().unwrap()])
            .args(["--trajectory", case["trajectory"].as_str().unwrap()])
            .args(["--times", &times.join(","), "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", case["name"]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        for (ours, golden) in v["residual"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["residual"].as_array().unwrap())
        {
            for (a, b) in ours
                .as_array()
                .unwrap()
                .iter()
                .zip(golden.as_array().unwrap())
            {
                let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
                assert!(
                    (a - b).abs() <= 1e-10 * b.abs().max(1.0),
                    "{}: {a} vs SymPy {b}",
                    case["name"]
                );
            }
        }
    }
}

#[test]
fn every_trajectory_solves_the_ska_lagrangian() {
    let v = check_json(&[
        "--coords",
        "z",
        "--lagrangian",
        "-z*sigma(z)*(1-sigma(z))*z'",
        "--trajectory",
        "z = sin(t)",
    ]);
    assert_eq!(v["trajectory"]["solves"], true);
    assert!(v["trajectory"]["max_abs_residual"].as_f64().unwrap() < 1e-14);
}

#[test]
fn residual_accepts_negative_times_and_reports_domain_errors_as_null() {
    let out = cli()
        .args(["residual", "--coords", "x", "--lagrangian", "ln(x)*x'^2"])
        .args(["--trajectory", "x = t", "--times", "-1,1", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("{\"times\":[-1.0,1.0],\"residual\":"),
        "{text}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    // ln(-1) is undefined: null, never a number; at t = 1: r = 2 ln(x) x'' + x'^2/x = 1.
    assert!(v["residual"][0][0].is_null());
    assert!((v["residual"][1][0].as_f64().unwrap() - 1.0).abs() < 1e-14);
}
