//! Figures: each renders into a temporary folder, its CSV is what it claims to show
//! (recomputed here from the library), and two runs give identical bytes.

use ska_verify::figures::{self, FIGURES, Options, render::Format};
use ska_verify::mechanics::systems::{SkaNeuron, ska_potential};
use ska_verify::mechanics::{Lagrangian, jet};
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ska-verify-fig-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Split one CSV line, honouring RFC 4180 quotes.
fn fields(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn read_csv(dir: &std::path::Path, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(dir.join(format!("{name}.csv"))).unwrap();
    let mut lines = text.lines();
    let header = fields(lines.next().unwrap());
    let rows: Vec<Vec<String>> = lines.map(fields).collect();
    assert!(
        rows.iter().all(|r| r.len() == header.len()),
        "ragged CSV {name}"
    );
    (header, rows)
}

#[test]
fn every_figure_renders_deterministically() {
    let (a, b) = (tmp("a"), tmp("b"));
    // The time-invariance study (1,025 training steps) runs once, in its own test.
    let quick: Vec<String> = FIGURES
        .iter()
        .map(|s| s.name.to_string())
        .filter(|n| !n.starts_with("time_invariance"))
        .collect();
    for dir in [&a, &b] {
        let opts = Options {
            out: dir.clone(),
            only: quick.clone(),
            formats: vec![Format::Svg, Format::Png],
            training: Default::default(),
        };
        let written = figures::run(&opts, |_| {}).unwrap();
        assert_eq!(written.len(), quick.len());
    }
    for spec in FIGURES.iter().filter(|s| quick.iter().any(|q| q == s.name)) {
        for ext in ["svg", "png", "csv"] {
            let f = format!("{}.{ext}", spec.name);
            let (x, y) = (
                std::fs::read(a.join(&f)).unwrap(),
                std::fs::read(b.join(&f)).unwrap(),
            );
            assert!(x.len() > 500, "{f} is suspiciously small");
            assert!(x == y, "{f} differs between two runs");
        }
        let png = std::fs::read(a.join(format!("{}.png", spec.name))).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
    let readme = std::fs::read_to_string(a.join("README.md")).unwrap();
    for spec in FIGURES {
        assert!(readme.contains(spec.name) && readme.contains(spec.title));
    }
    // No temporary files left behind.
    for e in std::fs::read_dir(&a).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(!n.starts_with('.'), "leftover {n}");
    }
    std::fs::remove_dir_all(&a).unwrap();
    std::fs::remove_dir_all(&b).unwrap();
}

#[test]
fn csvs_show_what_they_claim() {
    let d = tmp("c");
    let opts = Options {
        out: d.clone(),
        only: vec![
            "ska_total_derivative".into(),
            "action_paths".into(),
            "el_residuals".into(),
        ],
        formats: vec![Format::Svg],
        training: Default::default(),
    };
    figures::run(&opts, |_| {}).unwrap();

    // L(t) and dF/dt: recompute L on the documented path and compare exactly; dF/dt agrees.
    let (h, rows) = read_csv(&d, "ska_total_derivative");
    assert_eq!(h, ["t", "z", "L", "dF_dt", "F", "ln2_H_bits"]);
    let path = figures::total_derivative::path();
    for r in &rows {
        let v: Vec<f64> = r.iter().map(|x| x.parse().unwrap()).collect();
        let j = jet(&path, v[0]);
        let l: f64 = SkaNeuron.lagrangian(v[0], &j.q, &j.qdot);
        assert_eq!(v[2], l);
        assert!(
            (v[3] - l).abs() <= 1e-13 * (1.0 + l.abs()),
            "dF/dt {} vs L {l}",
            v[3]
        );
        let f = ska_potential(j.q[0]);
        assert!(
            (v[4] - f).abs() <= 2.0 * f64::EPSILON * f,
            "F {} vs {f}",
            v[4]
        );
        assert!((v[4] - v[5]).abs() <= 1e-15);
    }

    // Actions: SKA's equal F(2) − F(−1) on every path; the oscillator's spread.
    let (_, rows) = read_csv(&d, "action_paths");
    let want = ska_potential(2.0) - ska_potential(-1.0);
    let mut osc = Vec::new();
    for r in &rows {
        let s: f64 = r[2].parse().unwrap();
        if r[0] == "SKA neuron" {
            assert!((s - want).abs() < 1e-12, "SKA action {s} vs {want}");
        } else {
            osc.push(s);
        }
    }
    let spread = osc.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
        - osc.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(
        spread > 1.0,
        "oscillator actions should differ, spread {spread}"
    );

    // Residuals: SKA below the holds tolerance, controls of order 1.
    let (_, rows) = read_csv(&d, "el_residuals");
    for r in &rows {
        let rel: f64 = r[2].parse().unwrap();
        if r[0].starts_with("SKA") {
            assert!(rel < 1e-12, "{r:?}");
        } else {
            assert!(rel > 1e-3, "{r:?}");
        }
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn unknown_names_are_errors() {
    let e = figures::select(&["nope".to_string()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("nope") && e.contains("el_residuals"), "{e}");
}

/// The training figures' CSVs are byte for byte the trainer's published-layout files.
#[test]
fn training_csvs_are_the_trainers_histories() {
    use ska_verify::ska::metrics::Metric;
    let d = tmp("t");
    let opts = Options {
        out: d.clone(),
        only: vec![
            "train_entropy".into(),
            "train_z_norm".into(),
            "train_output_activation".into(),
            "heatmap_cosine".into(),
        ],
        formats: vec![Format::Svg],
        training: Default::default(),
    };
    figures::run(&opts, |_| {}).unwrap();
    let run = figures::training::train(&Default::default()).unwrap();
    let hist = d.join("trainer");
    std::fs::create_dir_all(&hist).unwrap();
    ska_verify::ska::output::write_histories(&hist, &run.result.history, &run.result.outputs)
        .unwrap();
    for (fig, file) in [
        ("train_entropy", Metric::StepEntropy.file_name()),
        ("train_z_norm", Metric::ZNorm.file_name()),
        ("heatmap_cosine", Metric::Cosine.file_name()),
        ("train_output_activation", "output_neuron_activation.csv"),
    ] {
        let a = std::fs::read(d.join(format!("{fig}.csv"))).unwrap();
        let b = std::fs::read(hist.join(file)).unwrap();
        assert!(a == b, "{fig}.csv differs from the trainer's {file}");
    }
    // 49 updates, 50 forward passes, 4 layers: the published shape.
    let text = std::fs::read_to_string(d.join("train_entropy.csv")).unwrap();
    assert_eq!(text.lines().count(), 5);
    assert_eq!(text.lines().next().unwrap().split(',').count(), 50);
    let text = std::fs::read_to_string(d.join("train_z_norm.csv")).unwrap();
    assert_eq!(text.lines().next().unwrap().split(',').count(), 51);
    std::fs::remove_dir_all(&d).unwrap();
}

/// The causal-structure figure shows SKA's exact zeros and backprop's full dependence.
#[test]
fn causal_structure_csv_has_exact_zeros_for_ska_only() {
    let d = tmp("cs");
    let opts = Options {
        out: d.clone(),
        only: vec!["causal_structure".into()],
        formats: vec![Format::Svg],
        training: Default::default(),
    };
    figures::run(&opts, |_| {}).unwrap();
    let (_, rows) = read_csv(&d, "causal_structure");
    assert_eq!(rows.len(), 2 * 4 * 5);
    for r in &rows {
        let l: usize = r[1].parse().unwrap();
        let v: f64 = r[3].parse().unwrap();
        let downstream = r[2] == "labels" || r[2][1..].parse::<usize>().unwrap() > l;
        match (r[0].as_str(), downstream) {
            ("SKA", true) => assert_eq!(v, 0.0, "{r:?}"),
            ("SKA", false) => assert!(v > 0.0, "{r:?}"),
            ("backprop", _) => assert!(v > 0.0, "{r:?}"),
            _ => panic!("unexpected row {r:?}"),
        }
    }
    std::fs::remove_dir_all(&d).unwrap();
}

/// Time invariance: the study's curves and deviations, and the pictures drawn from them are
/// deterministic (rendered twice from the same data).
#[test]
fn time_invariance_figures() {
    use ska_verify::figures::render::svg;
    use ska_verify::figures::time_invariance::{Curves, Deviations, curves, deviations, run_study};
    let (data, net) = figures::training::inputs(&Default::default()).unwrap();
    let report = run_study(&data, &net).unwrap();
    let c = curves(&report);
    let dv = deviations(&report);
    assert_eq!(report.runs.len(), 6);
    // Five quantities × five non-finest runs.
    assert_eq!(dv.rows.len(), 25);
    let entropy: Vec<f64> = dv
        .rows
        .iter()
        .zip(dv.column("relative_deviation"))
        .filter(
            |(r, _)| matches!(&r[0], ska_verify::figures::output::Cell::Text(s) if s == "entropy"),
        )
        .map(|(_, v)| v)
        .collect();
    // The raw step entropy is not invariant: it deviates by more than its scaled form.
    assert!(entropy.iter().all(|&v| v > 0.5), "{entropy:?}");
    let a = svg(
        "time_invariance",
        &Curves {
            csv: &c,
            title: "t".into(),
        },
    )
    .unwrap();
    let b = svg(
        "time_invariance",
        &Curves {
            csv: &c,
            title: "t".into(),
        },
    )
    .unwrap();
    assert!(a == b && a.len() > 1000);
    let a = svg(
        "d",
        &Deviations {
            csv: &dv,
            title: "d".into(),
        },
    )
    .unwrap();
    let b = svg(
        "d",
        &Deviations {
            csv: &dv,
            title: "d".into(),
        },
    )
    .unwrap();
    assert!(a == b && a.len() > 1000);
}
