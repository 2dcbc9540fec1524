//! The command line: help, version, `verify` (table and JSON) and exit codes.

use assert_cmd::Command;

fn bin() -> Command {
    Command::cargo_bin("ska-verify").unwrap()
}

#[test]
fn help_and_version_exit_zero() {
    let out = bin()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("verify") && text.contains("Exit codes"));
    let out = bin()
        .arg("--version")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains(env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn verify_reports_ska_null_and_controls_not_null() {
    let out = bin()
        .args(["verify", "--trajectories", "32", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let checks = doc["checks"].as_array().unwrap();
    let find = |system: &str, claim: &str| {
        checks
            .iter()
            .find(|c| c["system"] == system && c["claim"].as_str().unwrap().contains(claim))
            .unwrap_or_else(|| panic!("no check {system} / {claim}"))
    };
    let ska = find("SKA neuron", "null");
    assert_eq!(ska["verdict"], "holds");
    assert!(ska["max_relative_residual"].as_f64().unwrap() < 1e-12);
    for control in [
        "harmonic oscillator",
        "pendulum",
        "magnetic field, velocity-linear (m = 0)",
    ] {
        let c = find(control, "null");
        assert_eq!(c["verdict"], "refuted", "{control}");
        assert!(c["counterexample"]["residual"].is_array());
    }
    assert_eq!(doc["ok"], true);
}

#[test]
fn verify_table_has_the_columns() {
    let out = bin()
        .arg("verify")
        .arg("--trajectories")
        .arg("8")
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for col in [
        "system",
        "claim",
        "verdict",
        "max rel. residual",
        "trajectories",
        "seed",
    ] {
        assert!(text.contains(col), "missing column {col}");
    }
    assert!(text.contains("0 unexpected"));
}

#[test]
fn bad_arguments_exit_two_with_a_message() {
    for args in [
        vec!["verify", "--trajectories", "0"],
        vec!["verify", "--trajectories", "many"],
        vec!["verify", "--no-such-flag"],
        vec!["no-such-command"],
        vec![],
    ] {
        let out = bin()
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        assert!(!out.is_empty(), "{args:?}: no message");
    }
}
