//! Time invariance on a small network: the rates converge as η → 0 at fixed η·K, the step
//! entropy scales with η, and the action along the learning trajectory equals ΔF up to a
//! discretization error that shrinks like η².

use ska_verify::ska::UpdateRule;
use ska_verify::ska::data::synthetic::synthetic;
use ska_verify::ska::init::{InitSpec, initial_network};
use ska_verify::ska::time_invariance::{
    Quantity, StudyReport, interpolate, log_log_slope, parse_pairs, study,
};

const PAIRS: [(f64, usize); 5] = [(0.08, 7), (0.04, 13), (0.02, 25), (0.01, 50), (0.0025, 200)];

fn report() -> StudyReport {
    let data = synthetic(2, 0);
    let net = initial_network(&InitSpec::Seed(5), &[784, 16, 12, 10]).unwrap();
    study::<f64>(&data, &net, &PAIRS, 0.5, UpdateRule::Reference).unwrap()
}

fn deviations(r: &StudyReport, q: Quantity) -> Vec<f64> {
    r.deviations
        .iter()
        .filter(|d| d.quantity == q)
        .map(|d| d.relative)
        .collect()
}

#[test]
fn rates_converge_and_the_step_entropy_scales_with_eta() {
    let r = report();
    assert_eq!(r.finest, 4);
    for q in [
        Quantity::EntropyOverEta,
        Quantity::Cosine,
        Quantity::ZNorm,
        Quantity::KnowledgeFlow,
    ] {
        let d = deviations(&r, q);
        eprintln!("{q:?}: {d:?}");
        assert_eq!(d.len(), 4);
        for w in d.windows(2) {
            assert!(w[1] < w[0], "{q:?}: {d:?} does not shrink with η");
        }
    }
    for o in &r.orders {
        eprintln!("{:?} order {}", o.quantity, o.order);
    }
    assert!(r.converges());
    // Per-step entropy: H(η)/H(η_ref) → η/η_ref as η → 0 (the coarsest run is far from it).
    let miss: Vec<f64> = r
        .deviations
        .iter()
        .filter(|d| d.quantity == Quantity::Entropy)
        .map(|d| (d.scale_ratio / (d.eta / 0.0025) - 1.0).abs())
        .collect();
    eprintln!("entropy scale-ratio misses: {miss:?}");
    for w in miss.windows(2) {
        assert!(w[1] < w[0], "{miss:?}");
    }
    assert!(miss[3] < 0.05, "{miss:?}");
}

#[test]
fn action_equals_delta_f_up_to_a_second_order_error() {
    let r = report();
    let errors: Vec<f64> = r
        .runs
        .iter()
        .map(|run| {
            run.action
                .iter()
                .map(|a| (a.ratio - 1.0).abs())
                .fold(0.0, f64::max)
        })
        .collect();
    eprintln!("{errors:?}, order {}", r.action_order);
    for w in errors.windows(2) {
        assert!(w[1] < w[0], "{errors:?}");
    }
    assert!(errors[4] < 1e-4, "{errors:?}");
    assert!(r.action_order > 1.5, "order {}", r.action_order);
}

#[test]
fn helpers() {
    let pts = [(0, 0.0, 1.0), (1, 1.0, 3.0), (2, 2.0, 4.0)];
    assert_eq!(interpolate(&pts, 0.5), Some(2.0));
    assert_eq!(interpolate(&pts, 2.0), Some(4.0));
    assert_eq!(interpolate(&pts, 2.5), None);
    let slope = log_log_slope(&[1.0, 2.0, 4.0], &[3.0, 12.0, 48.0]).unwrap();
    assert!((slope - 2.0).abs() < 1e-12);
    assert_eq!(
        parse_pairs("0.01:50, 0.02:25").unwrap(),
        vec![(0.01, 50), (0.02, 25)]
    );
    assert!(parse_pairs("0.01").is_err());
    assert!(parse_pairs("0.01:50").is_err());
    assert!(parse_pairs("x:5,0.1:2").is_err());
}

mod cli {
    use assert_cmd::Command;

    #[test]
    fn writes_the_csv_files_and_rejects_bad_pairs() {
        let dir = std::env::temp_dir().join(format!("ska-ti-cli-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Command::cargo_bin("ska-verify")
            .unwrap()
            .args(["time-invariance", "--per-class", "1", "--layers", "8,10"])
            .args(["--pairs", "0.04:13,0.02:25,0.01:50", "--out"])
            .arg(&dir)
            .assert()
            .code(0);
        for f in [
            "time_invariance_series.csv",
            "time_invariance_deviation.csv",
            "time_invariance_order.csv",
            "least_action.csv",
        ] {
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            assert!(text.lines().count() > 1, "{f} is empty");
        }
        let _ = std::fs::remove_dir_all(&dir);
        for bad in ["0.01", "0.01:50", "-1:5,0.1:3", "0.1:1,0.2:5"] {
            Command::cargo_bin("ska-verify")
                .unwrap()
                .args([
                    "time-invariance",
                    "--per-class",
                    "1",
                    "--layers",
                    "8,10",
                    "--pairs",
                    bad,
                ])
                .assert()
                .code(2);
        }
    }
}
