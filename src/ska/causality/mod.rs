//! The causal structure of a learning rule's update, checked at every iteration and layer.
//!
//! The seed paper's Table 1 and Theorem 2 say SKA's update of layer l at step k depends only on
//! current, local quantities — layer l's input, Z_k, D_k and D_{k−1} — while backpropagation's
//! depends on downstream layers and on the output error (the labels). This module turns the
//! claim into four checks run on the real trainer, iteration by iteration:
//!
//! * (a) [`locality`] — ΔW^(l)_k is bit-identical when every layer m > l is replaced by random
//!   parameters at iteration k, and when the labels are permuted;
//! * (b) [`prefix`] — two runs whose inputs agree up to iteration k and differ afterwards have
//!   bit-identical parameters after update k;
//! * (c) [`sufficiency`] — recomputing ΔW^(l)_k from the recorded local state alone gives the
//!   applied update bit for bit;
//! * (d) [`sensitivity`] — the exact directional derivatives (num-dual) of ΔW^(l)_k with respect
//!   to W^(m): 0.0 for m > l and non-zero for m ≤ l under SKA; for backprop non-zero for m > l
//!   and with respect to the labels.
//!
//! Each iteration yields a layer × layer dependency matrix ([`IterationReport::matrix`]); the run
//! yields the violations ([`CausalityReport::violations`]) — empty for SKA — and the matrix
//! aggregated over iterations. The same checker run on the [`Backprop`] control reports its
//! violations: the evidence that the checker can fail.

pub mod compare;
pub mod learner;
pub mod locality;
pub mod model;
pub mod prefix;
pub mod report;
pub mod sensitivity;
pub mod sufficiency;

pub use learner::{Learner, ModelLearner, SkaLearner};
pub use model::{BackpropModel, ModelStep, Num, Params, SkaModel, StepModel};
pub use report::{
    CausalityReport, CheckKind, Comparison, IterationReport, LayerOutcome, Violation,
};

use crate::error::Result;
use crate::ska::backprop::{Backprop, one_hot};
use crate::ska::data::Dataset;
use crate::ska::network::Network;
use crate::ska::real::Real;
use crate::ska::trainer::TrainConfig;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// How much work a check does.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CheckOptions {
    /// Images in the dual-number subset (the first ones of the batch).
    pub dual_batch: usize,
    /// Random directions per layer m and for the labels.
    pub directions: usize,
    /// Seed of the replacements, permutations and directions.
    pub seed: u64,
}

impl Default for CheckOptions {
    /// 8 images, 2 directions, seed 0: (L + 1)·2 dual evaluations on 8 images per iteration.
    fn default() -> Self {
        Self {
            dual_batch: 8,
            directions: 2,
            seed: 0,
        }
    }
}

/// Runs every check at every iteration of `initial` (a learner before its first iteration).
pub fn check<T: Real, L: Learner<T>>(initial: &L, opts: &CheckOptions) -> Result<CausalityReport> {
    let start = Instant::now();
    let k_total = initial.iterations();
    let sizes = initial.network().sizes().to_vec();
    let layers = sizes.len() - 1;
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut base = initial.clone();
    let mut after: Vec<Network<T>> = Vec::with_capacity(k_total);
    let mut iterations = Vec::new();
    let mut violations = Vec::new();
    for k in 0..k_total {
        let before = base.clone();
        let applied = base.step();
        after.push(base.network().clone());
        let Some(applied) = applied else { continue };
        let sens = sensitivity::sensitivities(&before, opts.dual_batch, opts.directions, &mut rng);
        let label_cmp = locality::labels(&before, &applied, &mut rng);
        let mut outcomes = Vec::with_capacity(layers);
        for l in 0..layers {
            let downstream = locality::downstream(&before, &applied, l, &mut rng);
            let labels = label_cmp.as_ref().map(|(c, _)| c[l]);
            let state = sufficiency::check(&base, l);
            let (sensitivity, label_sensitivity) = match &sens {
                Some(s) => (s.weights[l].clone(), s.labels[l]),
                None => (vec![0.0; layers], 0.0),
            };
            outcomes.push(LayerOutcome {
                layer: l + 1,
                downstream,
                labels,
                prefix: None,
                state,
                sensitivity,
                label_sensitivity,
            });
        }
        iterations.push((k, outcomes));
    }
    // (b) needs the reference parameters after every update.
    let mut reports = Vec::with_capacity(iterations.len());
    for (k, mut outcomes) in iterations {
        let (cmp, visible) = prefix::check(initial, k, &after[k], after.get(k + 1));
        for (o, c) in outcomes.iter_mut().zip(cmp) {
            o.prefix = Some(c);
        }
        for o in &outcomes {
            collect(k, o, &mut violations);
        }
        reports.push(IterationReport {
            iteration: k,
            layers: outcomes,
            prefix_perturbation_visible: visible,
        });
    }
    let mut dependency_matrix = vec![vec![0.0f64; layers]; layers];
    let mut label_dependency = vec![0.0f64; layers];
    for r in &reports {
        for (l, o) in r.layers.iter().enumerate() {
            for (acc, &v) in dependency_matrix[l].iter_mut().zip(&o.sensitivity) {
                *acc = acc.max(v);
            }
            label_dependency[l] = label_dependency[l].max(o.label_sensitivity);
        }
    }
    let depends = dependency_matrix
        .iter()
        .map(|row| row.iter().map(|&v| v != 0.0).collect())
        .collect();
    let (x, _) = initial.batch();
    Ok(CausalityReport {
        trainer: initial.name(),
        sizes,
        k: k_total,
        eta: initial.eta(),
        precision: T::NAME.into(),
        batch: x.nrows(),
        dual_batch: opts.dual_batch.min(x.nrows()),
        directions: opts.directions,
        seed: opts.seed,
        iterations: reports,
        violations,
        dependency_matrix,
        label_dependency,
        depends,
        elapsed_s: start.elapsed().as_secs_f64(),
    })
}

/// The violations one layer's outcome shows.
fn collect(k: usize, o: &LayerOutcome, out: &mut Vec<Violation>) {
    let layer = o.layer;
    let mut bitwise = |c: &Option<Comparison>, check: CheckKind, what: &str| {
        if let Some(c) = c
            && !c.identical()
        {
            out.push(Violation {
                iteration: k,
                layer,
                check,
                evidence: format!(
                    "{what}: {} entries differ, max |diff| = {:.3e}",
                    c.differing, c.max_abs
                ),
                value: c.max_abs,
                on_layer: None,
            });
        }
    };
    bitwise(
        &o.downstream,
        CheckKind::LocalityDownstream,
        "ΔW, Δb with W^(m>l), b^(m>l) replaced",
    );
    bitwise(
        &o.labels,
        CheckKind::LocalityLabels,
        "ΔW, Δb with labels permuted",
    );
    bitwise(
        &o.prefix,
        CheckKind::PrefixDeterminism,
        "W, b after update k with inputs changed after k",
    );
    bitwise(
        &o.state,
        CheckKind::StateSufficiency,
        "ΔW, Δb recomputed from (input, Z_k, D_k, D_(k-1))",
    );
    for (m, &v) in o.sensitivity.iter().enumerate().skip(layer) {
        if v != 0.0 {
            out.push(Violation {
                iteration: k,
                layer,
                check: CheckKind::SensitivityDownstream,
                evidence: format!("max |∂ΔW^({layer})/∂W^({})·V| = {v:.3e}", m + 1),
                value: v,
                on_layer: Some(m + 1),
            });
        }
    }
    if o.label_sensitivity != 0.0 {
        out.push(Violation {
            iteration: k,
            layer,
            check: CheckKind::SensitivityLabels,
            evidence: format!("max |∂ΔW^({layer})/∂Y·V| = {:.3e}", o.label_sensitivity),
            value: o.label_sensitivity,
            on_layer: None,
        });
    }
}

/// Which trainer a causality run checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrainerKind {
    /// The reference SKA trainer (with its update rule from the config).
    Ska,
    /// The backpropagation control.
    Backprop,
}

impl std::str::FromStr for TrainerKind {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "ska" => Ok(TrainerKind::Ska),
            "backprop" => Ok(TrainerKind::Backprop),
            _ => Err(crate::error::Error::Invalid {
                what: "--trainer".into(),
                reason: format!("`{s}` is not one; use `ska` or `backprop`"),
            }),
        }
    }
}

/// Checks `kind` trained on `data` from `initial` with `config` (η, K; the rule for SKA), in T.
pub fn check_trainer<T: Real>(
    kind: TrainerKind,
    data: &Dataset,
    initial: &Network<f64>,
    config: TrainConfig,
    opts: &CheckOptions,
) -> Result<CausalityReport> {
    match kind {
        TrainerKind::Ska => check(&SkaLearner::<T>::new(data, initial, config)?, opts),
        TrainerKind::Backprop => {
            let classes = *initial.sizes().last().unwrap_or(&0);
            let y = one_hot::<T>(&data.labels, classes)?;
            let bp = Backprop::new(config.k, config.eta, data.to_matrix(), y, initial.cast())?;
            check(&bp, opts)
        }
    }
}
