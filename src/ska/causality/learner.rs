//! What the causality checker runs: a trainer it can clone, perturb and step.
//!
//! The bitwise checks (a)–(c) run the *real* implementation (the optimized [`Trainer`], the
//! nalgebra [`Backprop`]), not a re-implementation: a [`Learner`] is a trainer that can be cloned
//! before an iteration, have its parameters or its batch replaced, and be stepped once. Its
//! [`Learner::model`] is the same rule written generically for the dual-number check (d).
//!
//! Three learners: [`SkaLearner`] (the reference SKA trainer, which never sees the targets it
//! is handed), [`Backprop`] (the control), and [`ModelLearner`], which runs any [`StepModel`]
//! in f64 on the full batch — so a test can check a rule of its own (for instance a deliberately
//! non-local one) without touching the trainer.

use super::model::{ModelStep, Params, SkaModel, StepModel};
use crate::error::{Error, Result};
use crate::ska::backprop::{Backprop, one_hot};
use crate::ska::data::Dataset;
use crate::ska::network::Network;
use crate::ska::real::Real;
use crate::ska::record::LayerRecord;
use crate::ska::trainer::{TrainConfig, Trainer};
use crate::ska::update::LayerUpdate;
use nalgebra::{DMatrix, DVector};

/// A trainer under test.
pub trait Learner<T: Real>: Clone {
    /// The generic form of the rule (for check (d)).
    type Model: StepModel;
    /// Name in reports.
    fn name(&self) -> String;
    /// η.
    fn eta(&self) -> f64;
    /// Iterations K of the run.
    fn iterations(&self) -> usize;
    /// The current parameters.
    fn network(&self) -> &Network<T>;
    /// The parameters, mutable (replaced by the locality check).
    fn network_mut(&mut self) -> &mut Network<T>;
    /// The batch X and the targets Y the next iteration will see.
    fn batch(&self) -> (&DMatrix<T>, &DMatrix<T>);
    /// Replaces X and Y from the next iteration on (same shapes).
    fn set_batch(&mut self, x: DMatrix<T>, targets: DMatrix<T>) -> Result<()>;
    /// Runs the next iteration; the updates it applied, one per layer (`None` if none).
    fn step(&mut self) -> Option<Vec<LayerUpdate<T>>>;
    /// Layer l's local state (input, Z_k, D_k, D_{k−1}) and update at the last iteration, if the
    /// rule claims an update that is a function of that state alone (check (c)).
    fn local_record(&self, l: usize) -> Option<LayerRecord<T>>;
    /// The state carried into the next iteration besides the parameters, as f64 (`None`
    /// before the first iteration or if the rule carries none).
    fn carried(&self) -> Option<Vec<DMatrix<f64>>>;
    /// The rule in generic form.
    fn model(&self) -> Self::Model;
}

/// The reference SKA trainer as a [`Learner`]. It stores the targets it is given so that the
/// label check can hand it permuted ones, but [`Trainer`] has no way to read them.
#[derive(Debug, Clone)]
pub struct SkaLearner<T: Real> {
    trainer: Trainer<T>,
    targets: DMatrix<T>,
}

impl<T: Real> SkaLearner<T> {
    /// The trainer for `data` from `initial` (cast to T) with `config`; targets one-hot.
    pub fn new(data: &Dataset, initial: &Network<f64>, config: TrainConfig) -> Result<Self> {
        let classes = *initial.sizes().last().unwrap_or(&1);
        // One-hot over the output width (or more columns if a label does not fit; SKA never
        // reads them, only the label check permutes them).
        let targets = one_hot(&data.labels, classes.max(max_label(data) + 1))?;
        Ok(Self {
            trainer: Trainer::new(config, data.to_matrix(), initial.cast())?,
            targets,
        })
    }
    /// The trainer inside.
    pub fn trainer(&self) -> &Trainer<T> {
        &self.trainer
    }
}

fn max_label(data: &Dataset) -> usize {
    data.labels.iter().copied().max().unwrap_or(0) as usize
}

impl<T: Real> Learner<T> for SkaLearner<T> {
    type Model = SkaModel;
    fn name(&self) -> String {
        format!("SKA ({})", self.trainer.config().rule)
    }
    fn eta(&self) -> f64 {
        self.trainer.config().eta
    }
    fn iterations(&self) -> usize {
        self.trainer.config().k
    }
    fn network(&self) -> &Network<T> {
        self.trainer.network()
    }
    fn network_mut(&mut self) -> &mut Network<T> {
        self.trainer.network_mut()
    }
    fn batch(&self) -> (&DMatrix<T>, &DMatrix<T>) {
        (self.trainer.data(), &self.targets)
    }
    fn set_batch(&mut self, x: DMatrix<T>, targets: DMatrix<T>) -> Result<()> {
        if targets.shape() != self.targets.shape() {
            return Err(Error::Invalid {
                what: "replacement targets".into(),
                reason: format!(
                    "shape {:?}, expected {:?}",
                    targets.shape(),
                    self.targets.shape()
                ),
            });
        }
        self.trainer.replace_data(x)?;
        self.targets = targets;
        Ok(())
    }
    fn step(&mut self) -> Option<Vec<LayerUpdate<T>>> {
        self.trainer.step();
        let view = self.trainer.view();
        (0..view.layers())
            .map(|l| view.layer(l).update().cloned())
            .collect()
    }
    fn local_record(&self, l: usize) -> Option<LayerRecord<T>> {
        let lv = self.trainer.view().layer(l);
        let state = lv.state()?;
        Some(LayerRecord {
            input: state.input().clone(),
            z: state.z().clone(),
            d: state.d().clone(),
            d_prev: state.d_prev().clone(),
            update: lv.update()?.clone(),
        })
    }
    fn carried(&self) -> Option<Vec<DMatrix<f64>>> {
        if self.trainer.iterations_done() == 0 {
            return None;
        }
        let view = self.trainer.view();
        Some(
            (0..view.layers())
                .map(|l| view.layer(l).d().map(|v| v.f64()))
                .collect(),
        )
    }
    fn model(&self) -> SkaModel {
        SkaModel {
            eta: self.trainer.config().eta,
            rule: self.trainer.config().rule,
        }
    }
}

impl<T: Real> Learner<T> for Backprop<T> {
    type Model = super::model::BackpropModel;
    fn name(&self) -> String {
        "backprop (MSE)".into()
    }
    fn eta(&self) -> f64 {
        Backprop::eta(self)
    }
    fn iterations(&self) -> usize {
        Backprop::iterations(self)
    }
    fn network(&self) -> &Network<T> {
        Backprop::network(self)
    }
    fn network_mut(&mut self) -> &mut Network<T> {
        Backprop::network_mut(self)
    }
    fn batch(&self) -> (&DMatrix<T>, &DMatrix<T>) {
        (self.data(), self.targets())
    }
    fn set_batch(&mut self, x: DMatrix<T>, targets: DMatrix<T>) -> Result<()> {
        self.replace_batch(x, targets)
    }
    fn step(&mut self) -> Option<Vec<LayerUpdate<T>>> {
        Backprop::step(self);
        Some(self.updates().to_vec())
    }
    /// Backprop claims no update that is a function of the layer's local state: δ^(l) needs
    /// W^(l+1..L) and the labels.
    fn local_record(&self, _l: usize) -> Option<LayerRecord<T>> {
        None
    }
    fn carried(&self) -> Option<Vec<DMatrix<f64>>> {
        None
    }
    fn model(&self) -> Self::Model {
        super::model::BackpropModel {
            eta: Backprop::eta(self),
        }
    }
}

/// Any [`StepModel`] run in f64 on the full batch, as a [`Learner`] (for rules that exist only
/// in generic form, e.g. test variants).
#[derive(Debug, Clone)]
pub struct ModelLearner<M: StepModel> {
    model: M,
    eta: f64,
    k: usize,
    network: Network<f64>,
    x: DMatrix<f64>,
    targets: DMatrix<f64>,
    carried: Option<Vec<DMatrix<f64>>>,
}

impl<M: StepModel> ModelLearner<M> {
    /// A learner running `model` for K iterations (η is for reports).
    pub fn new(
        model: M,
        eta: f64,
        k: usize,
        x: DMatrix<f64>,
        targets: DMatrix<f64>,
        network: Network<f64>,
    ) -> Result<Self> {
        if x.ncols() != network.sizes()[0] || targets.nrows() != x.nrows() {
            return Err(Error::Dimension {
                what: "batch vs. network input width / targets".into(),
                expected: network.sizes()[0],
                found: x.ncols(),
            });
        }
        Ok(Self {
            model,
            eta,
            k,
            network,
            x,
            targets,
            carried: None,
        })
    }
}

/// The network's parameters as [`Params`].
pub fn params_of(net: &Network<f64>) -> Params<f64> {
    net.weights
        .iter()
        .cloned()
        .zip(net.biases.iter().cloned())
        .collect()
}

impl<M: StepModel> Learner<f64> for ModelLearner<M> {
    type Model = M;
    fn name(&self) -> String {
        self.model.name()
    }
    fn eta(&self) -> f64 {
        self.eta
    }
    fn iterations(&self) -> usize {
        self.k
    }
    fn network(&self) -> &Network<f64> {
        &self.network
    }
    fn network_mut(&mut self) -> &mut Network<f64> {
        &mut self.network
    }
    fn batch(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.x, &self.targets)
    }
    fn set_batch(&mut self, x: DMatrix<f64>, targets: DMatrix<f64>) -> Result<()> {
        if x.shape() != self.x.shape() || targets.shape() != self.targets.shape() {
            return Err(Error::Invalid {
                what: "replacement batch".into(),
                reason: "shapes differ from the original batch".into(),
            });
        }
        self.x = x;
        self.targets = targets;
        Ok(())
    }
    fn step(&mut self) -> Option<Vec<LayerUpdate<f64>>> {
        let ModelStep { updates, carried } = self.model.step(
            &params_of(&self.network),
            &self.x,
            &self.targets,
            self.carried.as_deref(),
        );
        self.carried = Some(carried);
        let updates = updates?;
        let out: Vec<LayerUpdate<f64>> = updates
            .into_iter()
            .map(
                |(delta_w, delta_b): (DMatrix<f64>, DVector<f64>)| LayerUpdate { delta_w, delta_b },
            )
            .collect();
        for (l, u) in out.iter().enumerate() {
            self.network.weights[l] += &u.delta_w;
            self.network.biases[l] += &u.delta_b;
        }
        Some(out)
    }
    fn local_record(&self, _l: usize) -> Option<LayerRecord<f64>> {
        None
    }
    fn carried(&self) -> Option<Vec<DMatrix<f64>>> {
        self.carried.clone().filter(|c| !c.is_empty())
    }
    fn model(&self) -> M {
        self.model.clone()
    }
}
