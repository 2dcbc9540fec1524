//! The causality checker on small networks: SKA passes all four checks, the backprop control
//! and a deliberately non-local rule are flagged, and the dual-number sensitivities agree with
//! central finite differences.

use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use ska_verify::ska::backprop::{Backprop, one_hot};
use ska_verify::ska::causality::sensitivity::{DualInputs, direction};
use ska_verify::ska::causality::{
    self, CheckKind, CheckOptions, Learner, ModelLearner, ModelStep, Num, Params, SkaLearner,
    SkaModel, StepModel, TrainerKind,
};
use ska_verify::ska::data::{Dataset, synthetic::synthetic};
use ska_verify::ska::init::{InitSpec, initial_network};
use ska_verify::ska::{Network, TrainConfig, UpdateRule};

fn small() -> (Dataset, Network<f64>) {
    let data = synthetic(2, 0); // 20 images
    let net = initial_network(&InitSpec::Seed(3), &[784, 12, 8, 10]).unwrap();
    (data, net)
}

fn config(k: usize) -> TrainConfig {
    TrainConfig {
        k,
        eta: 0.05,
        rule: UpdateRule::Reference,
    }
}

fn opts() -> CheckOptions {
    CheckOptions {
        dual_batch: 6,
        directions: 2,
        seed: 7,
    }
}

#[test]
fn ska_passes_all_four_checks_in_f32_and_f64() {
    let (data, net) = small();
    for rule in [UpdateRule::Reference, UpdateRule::LocalExact] {
        let cfg = TrainConfig { rule, ..config(6) };
        for report in [
            causality::check_trainer::<f32>(TrainerKind::Ska, &data, &net, cfg, &opts()).unwrap(),
            causality::check_trainer::<f64>(TrainerKind::Ska, &data, &net, cfg, &opts()).unwrap(),
        ] {
            assert!(
                report.violations.is_empty(),
                "{rule}: {:?}",
                report.violations
            );
            assert_eq!(report.iterations.len(), 5, "updates k = 1..5");
            assert!(report.is_causal());
            for it in &report.iterations {
                for o in &it.layers {
                    let l = o.layer - 1;
                    // Every check actually ran (top layer: no downstream layers).
                    assert_eq!(o.downstream.is_some(), l + 1 < 3);
                    assert!(o.labels.unwrap().identical());
                    assert!(o.prefix.unwrap().identical());
                    assert!(o.state.unwrap().identical());
                    for (m, &v) in o.sensitivity.iter().enumerate() {
                        if m > l {
                            assert_eq!(v, 0.0, "k {} l {l} m {m}", it.iteration);
                        } else {
                            assert!(v > 0.0, "k {} l {l} m {m}: no sensitivity", it.iteration);
                        }
                    }
                    assert_eq!(o.label_sensitivity, 0.0);
                }
                // The perturbed run really diverges at k + 1 (so (b) could have failed).
                if it.iteration + 1 < 6 {
                    assert_eq!(it.prefix_perturbation_visible, Some(true));
                }
            }
        }
    }
}

#[test]
fn backprop_is_flagged_at_every_iteration_for_every_layer_below_the_top() {
    let (data, net) = small();
    let report =
        causality::check_trainer::<f32>(TrainerKind::Backprop, &data, &net, config(5), &opts())
            .unwrap();
    assert_eq!(report.iterations.len(), 5, "backprop updates at k = 0..4");
    assert!(!report.is_causal());
    for k in 0..5 {
        for layer in 1..=3 {
            let has = |check: CheckKind| {
                report
                    .violations
                    .iter()
                    .any(|v| v.iteration == k && v.layer == layer && v.check == check)
            };
            if layer < 3 {
                assert!(has(CheckKind::LocalityDownstream), "k {k} layer {layer}");
                assert!(has(CheckKind::SensitivityDownstream), "k {k} layer {layer}");
            }
            assert!(has(CheckKind::LocalityLabels), "k {k} layer {layer}");
            assert!(has(CheckKind::SensitivityLabels), "k {k} layer {layer}");
            assert!(
                !has(CheckKind::PrefixDeterminism),
                "backprop is causal in time"
            );
        }
    }
    // Every entry of the matrix is non-zero: the update of layer l needs every layer.
    assert!(report.depends.iter().flatten().all(|&d| d));
}

/// SKA plus a term that reads the next layer's current output: ΔW^(l) += c·mean(D^(l+1)).
#[derive(Debug, Clone, Copy)]
struct NonLocal(SkaModel);

impl StepModel for NonLocal {
    fn name(&self) -> String {
        "SKA + next-layer term".into()
    }
    fn step<S: Num>(
        &self,
        params: &Params<S>,
        x: &DMatrix<f64>,
        targets: &DMatrix<S>,
        carried: Option<&[DMatrix<f64>]>,
    ) -> ModelStep<S> {
        let mut out = self.0.step(params, x, targets, carried);
        let fw = causality::model::forward(params, x);
        if let Some(u) = &mut out.updates {
            for l in 0..u.len() - 1 {
                let d = &fw[l + 1].1;
                let mean = d.iter().fold(S::from(0.0), |a, &v| a + v) / (d.len() as f64);
                u[l].0 = u[l].0.map(|w| w + mean * 1e-3);
            }
        }
        out
    }
}

fn model_learner<M: StepModel>(
    m: M,
    data: &Dataset,
    net: &Network<f64>,
    k: usize,
) -> ModelLearner<M> {
    let y = one_hot::<f64>(&data.labels, 10).unwrap();
    ModelLearner::new(m, 0.05, k, data.to_matrix(), y, net.clone()).unwrap()
}

#[test]
fn a_non_local_rule_is_flagged_and_its_local_part_is_not() {
    let (data, net) = small();
    let ska = SkaModel {
        eta: 0.05,
        rule: UpdateRule::Reference,
    };
    let clean = causality::check(&model_learner(ska, &data, &net, 4), &opts()).unwrap();
    assert!(clean.violations.is_empty(), "{:?}", clean.violations);
    let bad = causality::check(&model_learner(NonLocal(ska), &data, &net, 4), &opts()).unwrap();
    assert!(!bad.is_causal());
    for k in 1..4 {
        for layer in 1..3 {
            for check in [
                CheckKind::LocalityDownstream,
                CheckKind::SensitivityDownstream,
            ] {
                assert!(
                    bad.violations
                        .iter()
                        .any(|v| v.iteration == k && v.layer == layer && v.check == check),
                    "k {k} layer {layer} {check:?}"
                );
            }
        }
    }
    // The next-layer term only reaches layer l's update through layer l + 1.
    let d = &bad.depends;
    assert!(d[0][1] && !d[0][2] && d[1][2]);
    // It reads no labels, and the top layer stays local.
    assert_eq!(bad.count(CheckKind::SensitivityLabels), 0);
    assert!(bad.violations.iter().all(|v| v.layer < 3));
}

fn learner_at<T: ska_verify::ska::Real, L: Learner<T>>(mut l: L, k: usize) -> L {
    for _ in 0..k {
        l.step();
    }
    l
}

/// max |dual − central FD| / max |dual| over every layer's update, direction in W^(m).
fn fd_agreement<M: StepModel>(inputs: &DualInputs<M>, m: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (r, c) = inputs.params[m].0.shape();
    let v = direction(&mut rng, r, c);
    let dual = inputs.along_weights(m, &v).unwrap();
    let h = 1e-5;
    let plus = inputs.shifted(m, &v, h).unwrap();
    let minus = inputs.shifted(m, &v, -h).unwrap();
    (0..dual.len())
        .map(|l| {
            let mut scale = 0.0f64;
            let mut err = 0.0f64;
            for i in 0..dual[l].0.len() {
                let e = dual[l].0.as_slice()[i].eps;
                let fd = (plus[l].0.as_slice()[i] - minus[l].0.as_slice()[i]) / (2.0 * h);
                scale = scale.max(e.abs());
                err = err.max((e - fd).abs());
            }
            (scale, err)
        })
        .collect()
}

#[test]
fn dual_sensitivities_agree_with_central_differences() {
    let (data, net) = small();
    let ska = learner_at(SkaLearner::<f64>::new(&data, &net, config(5)).unwrap(), 2);
    let inputs = DualInputs::of(&ska, 10);
    for m in 0..3 {
        for (l, (scale, err)) in fd_agreement(&inputs, m, m as u64).into_iter().enumerate() {
            if l < m {
                assert_eq!(scale, 0.0, "SKA l {l} m {m}");
            } else {
                assert!(scale > 0.0, "SKA l {l} m {m}");
                assert!(err <= 1e-6 * scale, "SKA l {l} m {m}: {err} vs {scale}");
            }
        }
    }
    let y = one_hot::<f64>(&data.labels, 10).unwrap();
    let bp = Backprop::new(5, 0.05, data.to_matrix(), y, net.clone()).unwrap();
    let bp = learner_at(bp, 2);
    let inputs = DualInputs::of(&bp, 10);
    for m in 0..3 {
        for (l, (scale, err)) in fd_agreement(&inputs, m, 10 + m as u64)
            .into_iter()
            .enumerate()
        {
            assert!(scale > 0.0, "backprop l {l} m {m}");
            assert!(
                err <= 1e-6 * scale,
                "backprop l {l} m {m}: {err} vs {scale}"
            );
        }
    }
}

/// The generic models are the same rules as the trainers (f64, full batch).
#[test]
fn models_equal_the_trainers() {
    let (data, net) = small();
    let rel = |a: &DMatrix<f64>, b: &DMatrix<f64>| (a - b).abs().max() / b.abs().max();
    for rule in [UpdateRule::Reference, UpdateRule::LocalExact] {
        let cfg = TrainConfig { rule, ..config(4) };
        let mut ska = SkaLearner::<f64>::new(&data, &net, cfg).unwrap();
        let model = SkaModel { eta: 0.05, rule };
        let mut ml = model_learner(model, &data, &net, 4);
        for k in 0..4 {
            let a = ska.step();
            let b = ml.step();
            assert_eq!(a.is_some(), k > 0);
            if let (Some(a), Some(b)) = (a, b) {
                for (ua, ub) in a.iter().zip(&b) {
                    assert!(rel(&ub.delta_w, &ua.delta_w) < 1e-10, "{rule} k {k}");
                }
            }
        }
    }
    let y = one_hot::<f64>(&data.labels, 10).unwrap();
    let mut bp = Backprop::new(4, 0.05, data.to_matrix(), y, net.clone()).unwrap();
    let mut ml = model_learner(causality::BackpropModel { eta: 0.05 }, &data, &net, 4);
    for k in 0..4 {
        let a = Learner::step(&mut bp).unwrap();
        let b = ml.step().unwrap();
        for (ua, ub) in a.iter().zip(&b) {
            assert!(rel(&ub.delta_w, &ua.delta_w) < 1e-10, "backprop k {k}");
            let db = DVector::from(ub.delta_b.clone());
            assert!((&db - &ua.delta_b).abs().max() <= 1e-10 * ua.delta_b.abs().max().max(1e-300));
        }
    }
}

/// The bitwise comparison detects a one-ulp change (the checks are not vacuous).
#[test]
fn comparison_detects_one_ulp_and_ignores_the_sign_of_zero() {
    use ska_verify::ska::causality::compare::matrices;
    let a = DMatrix::from_row_slice(1, 3, &[1.0f32, 0.0, -2.5]);
    let mut b = a.clone();
    b[(0, 1)] = -0.0;
    assert!(matrices(&a, &b).identical());
    b[(0, 0)] = f32::from_bits(1.0f32.to_bits() + 1);
    let c = matrices(&a, &b);
    assert_eq!(c.differing, 1);
    assert!(c.max_abs > 0.0);
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let (data, _) = small();
    let net = initial_network(&InitSpec::Seed(1), &[784, 5, 3]).unwrap();
    // One-hot targets need 10 outputs for digit labels.
    assert!(
        causality::check_trainer::<f32>(TrainerKind::Backprop, &data, &net, config(3), &opts())
            .is_err()
    );
    assert!("sgd".parse::<TrainerKind>().is_err());
}

mod cli {
    use assert_cmd::Command;

    fn bin() -> Command {
        Command::cargo_bin("ska-verify").unwrap()
    }

    const SMALL: [&str; 6] = ["--per-class", "2", "--layers", "12,8,10", "--k", "3"];

    #[test]
    fn causality_exit_codes_and_json() {
        let out = bin()
            .arg("causality")
            .args(SMALL)
            .arg("--json")
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["violations"].as_array().unwrap().len(), 0);
        let m = doc["dependency_matrix"].as_array().unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m[0][2], 0.0);
        assert!(m[2][0].as_f64().unwrap() > 0.0);
        let out = bin()
            .args(["causality", "--trainer", "backprop", "--json"])
            .args(SMALL)
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let v = doc["violations"].as_array().unwrap();
        assert!(!v.is_empty());
        for key in ["iteration", "layer", "check", "evidence"] {
            assert!(v[0].get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn causality_bad_arguments_exit_two() {
        for args in [
            vec!["causality", "--trainer", "sgd"],
            vec!["causality", "--k", "1"],
            vec!["causality", "--eta", "-1"],
            vec!["causality", "--layers", "0,3"],
            vec!["causality", "--mnist", "/no/such/dir"],
            vec!["causality", "--dual-batch", "0"],
        ] {
            let out = bin().args(&args).assert().code(2);
            assert!(
                !out.get_output().stderr.is_empty(),
                "{args:?} gave no message"
            );
        }
    }
}
