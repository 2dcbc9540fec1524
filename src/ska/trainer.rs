//! The executor: runs the published SKA loop one iteration at a time and hands a read-only view
//! of its state to observers after each iteration.
//!
//! Iteration k = 0..K−1 (the published loop, DESIGN.md):
//!
//! 1. if k > 0, the buffers of iteration k−1 become D_{k−1}, Z_{k−1} (a swap: the code's
//!    "D_prev, Z_prev ← D, Z" at the end of every iteration);
//! 2. forward pass Z_k^(l) = A^(l−1)·W^(l) + b^(l), D_k^(l) = σ(Z_k^(l)) (2503 eqs. 1–2);
//! 3. if k > 0, every layer updates from its own state
//!    ([`layer_update`](super::update::layer_update), 2503 eq. 31 in the code's form):
//!    W ← W + ΔW, b ← b + Δb;
//! 4. observers see the state (Z_k, D_k, Z_{k−1}, D_{k−1}, the updated W, b and ΔW, Δb).
//!
//! Iterations 0 and 1 see the same weights, so ΔD = 0 at k = 1 and every per-step metric is 0
//! there. The hot loop allocates nothing after construction; metrics live in observers
//! ([`super::metrics`]), so they cannot change the trajectory. A run ends with a named
//! [`Termination`]. [`Trainer::step`] and [`Trainer::view`] run and inspect one iteration at a
//! time; [`super::record::Recorder`] keeps every layer's state and update.

use super::network::{Network, forward};
use super::real::Real;
use super::update::{
    LayerState, LayerUpdate, UpdateRule, layer_update_into, layer_update_into_transposed,
};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use std::ops::ControlFlow;

/// What to run: K iterations with learning rate η and an update rule.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TrainConfig {
    /// Number of iterations K (forward passes); K − 1 updates.
    pub k: usize,
    /// Learning rate η > 0.
    pub eta: f64,
    /// Which layer input the update uses.
    pub rule: UpdateRule,
}

impl Default for TrainConfig {
    /// The published run: K = 50, η = 0.01, the reference rule.
    fn default() -> Self {
        Self {
            k: 50,
            eta: 0.01,
            rule: UpdateRule::Reference,
        }
    }
}

impl TrainConfig {
    /// Checks K ≥ 2 (one update needs two forward passes) and η finite and > 0.
    pub fn validate(&self) -> Result<()> {
        if self.k < 2 {
            return Err(Error::Invalid {
                what: "K".into(),
                reason: format!(
                    "K = {} iterations gives no update (the first update is at k = 1); use K ≥ 2",
                    self.k
                ),
            });
        }
        if !(self.eta.is_finite() && self.eta > 0.0) {
            return Err(Error::Invalid {
                what: "learning rate η".into(),
                reason: format!("η = {} must be a finite number > 0, e.g. 0.01", self.eta),
            });
        }
        Ok(())
    }
}

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Termination {
    /// All K iterations ran.
    Completed {
        /// Iterations run (= K).
        iterations: usize,
    },
    /// The output of the forward pass contained NaN (a diverging run).
    NonFinite {
        /// Iteration at which it was seen.
        iteration: usize,
    },
    /// An observer asked to stop.
    Observer {
        /// Iteration after which it stopped.
        iteration: usize,
        /// The observer's reason.
        reason: String,
    },
}

/// Reads the trainer state after each iteration (metrics, recorders, progress bars).
pub trait Observer<T: Real> {
    /// Called after iteration `view.k()`; `ControlFlow::Break(reason)` stops the run.
    fn observe(&mut self, view: &IterationView<'_, T>) -> ControlFlow<String>;
}

/// The buffers of one layer, allocated once.
#[derive(Debug, Clone)]
struct LayerBuffers<T: Real> {
    z: DMatrix<T>,
    d: DMatrix<T>,
    z_prev: DMatrix<T>,
    d_prev: DMatrix<T>,
    g: DMatrix<T>,
    update: LayerUpdate<T>,
}

/// Layer 1 restricted to the input features that are non-zero somewhere in the batch.
///
/// A feature (pixel) that is 0 in every image contributes 0·W to Z^(1) and receives
/// ΔW = Σ_batch 0·G = 0, so its row of W^(1) never changes and can be left out of both products
/// (MNIST's 1,000-image subset uses 609 of 784 pixels: 22% of layer 1's work). Every other
/// entry of ΔW^(1) is the same sum over the batch in the same order; only Z^(1) is summed over
/// fewer (zero) terms.
#[derive(Debug, Clone)]
struct ActiveInput<T: Real> {
    /// Indices of the features that are non-zero somewhere.
    columns: Vec<usize>,
    /// X restricted to those columns.
    x: DMatrix<T>,
    /// Its transpose, contiguous (X is constant, so this is made once).
    x_t: DMatrix<T>,
    /// The matching rows of W^(1) (kept equal to the network's).
    w: DMatrix<T>,
    /// The update of those rows.
    update: LayerUpdate<T>,
}

impl<T: Real> ActiveInput<T> {
    /// `None` when every feature is used (or none is).
    fn new(x: &DMatrix<T>, w: &DMatrix<T>) -> Option<Self> {
        let columns: Vec<usize> = (0..x.ncols())
            .filter(|&p| x.column(p).iter().any(|v| *v != T::zero()))
            .collect();
        if columns.is_empty() || columns.len() == x.ncols() {
            return None;
        }
        let x = x.select_columns(&columns);
        let x_t = x.transpose();
        let w = w.select_rows(&columns);
        let update = LayerUpdate::zeros(columns.len(), w.ncols());
        Some(Self {
            columns,
            x,
            x_t,
            w,
            update,
        })
    }

    /// Copies the network's W^(1) rows in (after outside changes to the parameters).
    fn gather(&mut self, w: &DMatrix<T>) {
        for j in 0..w.ncols() {
            for (a, &p) in self.columns.iter().enumerate() {
                self.w[(a, j)] = w[(p, j)];
            }
        }
    }
}

/// The executor of the SKA loop.
#[derive(Debug, Clone)]
pub struct Trainer<T: Real> {
    config: TrainConfig,
    eta: T,
    x: DMatrix<T>,
    network: Network<T>,
    layers: Vec<LayerBuffers<T>>,
    /// Layer 1 on the used features only (None if all are used).
    active: Option<ActiveInput<T>>,
    /// The parameters were handed out mutably since the last step.
    dirty: bool,
    /// Iterations completed so far (the next one is number `done`).
    done: usize,
}

impl<T: Real> Trainer<T> {
    /// A trainer for the batch `x` (batch × n_0) and initial `network`.
    pub fn new(config: TrainConfig, x: DMatrix<T>, network: Network<T>) -> Result<Self> {
        config.validate()?;
        let sizes = network.sizes().to_vec();
        if x.ncols() != sizes[0] {
            return Err(Error::Dimension {
                what: "input features of the data vs. the network's input width".into(),
                expected: sizes[0],
                found: x.ncols(),
            });
        }
        let batch = x.nrows();
        if batch == 0 {
            return Err(Error::Invalid {
                what: "data".into(),
                reason: "the batch is empty; give at least one image".into(),
            });
        }
        let layers = (0..network.layers())
            .map(|l| {
                let n = sizes[l + 1];
                LayerBuffers {
                    z: DMatrix::zeros(batch, n),
                    d: DMatrix::zeros(batch, n),
                    z_prev: DMatrix::zeros(batch, n),
                    d_prev: DMatrix::zeros(batch, n),
                    g: DMatrix::zeros(batch, n),
                    update: LayerUpdate::zeros(sizes[l], n),
                }
            })
            .collect();
        let active = ActiveInput::new(&x, &network.weights[0]);
        Ok(Self {
            config,
            eta: T::of(config.eta),
            x,
            network,
            layers,
            active,
            dirty: false,
            done: 0,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The current parameters.
    pub fn network(&self) -> &Network<T> {
        &self.network
    }

    /// The parameters, mutable (for experiments that perturb a layer between iterations).
    pub fn network_mut(&mut self) -> &mut Network<T> {
        self.dirty = true;
        &mut self.network
    }

    /// The batch X.
    pub fn data(&self) -> &DMatrix<T> {
        &self.x
    }

    /// Replaces the batch X seen from the next iteration on (same shape), for experiments on
    /// the update's causal structure (two runs whose inputs differ only after iteration k).
    pub fn replace_data(&mut self, x: DMatrix<T>) -> Result<()> {
        if x.shape() != self.x.shape() {
            return Err(Error::Invalid {
                what: "replacement batch".into(),
                reason: format!(
                    "shape {}×{}, expected {}×{}",
                    x.nrows(),
                    x.ncols(),
                    self.x.nrows(),
                    self.x.ncols()
                ),
            });
        }
        self.x = x;
        self.active = ActiveInput::new(&self.x, &self.network.weights[0]);
        Ok(())
    }

    /// Iterations completed so far.
    pub fn iterations_done(&self) -> usize {
        self.done
    }

    /// True when all K iterations ran.
    pub fn finished(&self) -> bool {
        self.done >= self.config.k
    }

    /// Runs the next iteration (see the module doc); returns `false` if the output became NaN.
    /// Calling it after K iterations runs further iterations of the same loop.
    pub fn step(&mut self) -> bool {
        let k = self.done;
        if k > 0 {
            for buf in &mut self.layers {
                std::mem::swap(&mut buf.z, &mut buf.z_prev);
                std::mem::swap(&mut buf.d, &mut buf.d_prev);
            }
        }
        if self.dirty {
            if let Some(a) = &mut self.active {
                a.gather(&self.network.weights[0]);
            }
            self.dirty = false;
        }
        for l in 0..self.layers.len() {
            let (before, rest) = self.layers.split_at_mut(l);
            let buf = &mut rest[0];
            match (l, &self.active) {
                (0, Some(a)) => {
                    forward(&a.x, &a.w, &self.network.biases[0], &mut buf.z, &mut buf.d)
                }
                (0, None) => self
                    .network
                    .forward_layer(0, &self.x, &mut buf.z, &mut buf.d),
                _ => self
                    .network
                    .forward_layer(l, &before[l - 1].d, &mut buf.z, &mut buf.d),
            }
        }
        if k > 0 {
            for l in 0..self.layers.len() {
                let (before, rest) = self.layers.split_at_mut(l);
                let buf = &mut rest[0];
                if let (0, Some(a)) = (l, &mut self.active) {
                    let state = LayerState {
                        input: &a.x,
                        z: &buf.z,
                        d: &buf.d,
                        d_prev: &buf.d_prev,
                    };
                    layer_update_into_transposed(
                        &state,
                        &a.x_t,
                        self.eta,
                        &mut buf.g,
                        &mut a.update,
                    );
                    a.w += &a.update.delta_w;
                    // Scatter into the full-size update and weights; unused rows keep ΔW = 0.
                    let w = &mut self.network.weights[0];
                    let (full, used) = (w.nrows(), a.w.nrows());
                    let columns = w
                        .as_mut_slice()
                        .chunks_exact_mut(full)
                        .zip(buf.update.delta_w.as_mut_slice().chunks_exact_mut(full))
                        .zip(a.w.as_slice().chunks_exact(used))
                        .zip(a.update.delta_w.as_slice().chunks_exact(used));
                    for (((w_col, dw_col), aw_col), adw_col) in columns {
                        for ((&p, &wv), &dv) in a.columns.iter().zip(aw_col).zip(adw_col) {
                            w_col[p] = wv;
                            dw_col[p] = dv;
                        }
                    }
                    buf.update.delta_b.copy_from(&a.update.delta_b);
                    self.network.biases[0] += &buf.update.delta_b;
                    continue;
                }
                let input = match (l, self.config.rule) {
                    (0, _) => &self.x,
                    (_, UpdateRule::Reference) => &before[l - 1].d_prev,
                    (_, UpdateRule::LocalExact) => &before[l - 1].d,
                };
                let state = LayerState {
                    input,
                    z: &buf.z,
                    d: &buf.d,
                    d_prev: &buf.d_prev,
                };
                layer_update_into(&state, self.eta, &mut buf.g, &mut buf.update);
                self.network.weights[l] += &buf.update.delta_w;
                self.network.biases[l] += &buf.update.delta_b;
            }
        }
        self.done = k + 1;
        let out = &self.layers[self.layers.len() - 1].d;
        // D = σ(Z) is in [0, 1] unless a NaN reached it.
        out.iter().all(|v| v.is_finite())
    }

    /// The state after the last iteration (call after [`Trainer::step`]).
    pub fn view(&self) -> IterationView<'_, T> {
        IterationView { trainer: self }
    }

    /// Runs the remaining iterations, calling every observer after each one.
    pub fn run(&mut self, observers: &mut [&mut dyn Observer<T>]) -> Termination {
        while !self.finished() {
            let ok = self.step();
            let view = self.view();
            for o in observers.iter_mut() {
                if let ControlFlow::Break(reason) = o.observe(&view) {
                    return Termination::Observer {
                        iteration: view.k(),
                        reason,
                    };
                }
            }
            if !ok {
                return Termination::NonFinite {
                    iteration: self.done - 1,
                };
            }
        }
        Termination::Completed {
            iterations: self.done,
        }
    }
}

/// Read access to the trainer after an iteration.
#[derive(Debug, Clone, Copy)]
pub struct IterationView<'a, T: Real> {
    trainer: &'a Trainer<T>,
}

impl<'a, T: Real> IterationView<'a, T> {
    /// The iteration just run, k (0-based).
    pub fn k(&self) -> usize {
        self.trainer.done.saturating_sub(1)
    }
    /// True if this iteration updated the parameters (k > 0).
    pub fn updated(&self) -> bool {
        self.trainer.done > 1
    }
    /// η.
    pub fn eta(&self) -> T {
        self.trainer.eta
    }
    /// The configuration.
    pub fn config(&self) -> &'a TrainConfig {
        &self.trainer.config
    }
    /// The batch X.
    pub fn data(&self) -> &'a DMatrix<T> {
        &self.trainer.x
    }
    /// The parameters after this iteration's update.
    pub fn network(&self) -> &'a Network<T> {
        &self.trainer.network
    }
    /// Number of layers L.
    pub fn layers(&self) -> usize {
        self.trainer.layers.len()
    }
    /// Layer `l` (0-based).
    pub fn layer(&self, l: usize) -> LayerView<'a, T> {
        LayerView { view: *self, l }
    }
}

/// Read access to one layer after an iteration.
#[derive(Debug, Clone, Copy)]
pub struct LayerView<'a, T: Real> {
    view: IterationView<'a, T>,
    l: usize,
}

impl<'a, T: Real> LayerView<'a, T> {
    fn buf(&self) -> &'a LayerBuffers<T> {
        &self.view.trainer.layers[self.l]
    }
    /// Z_k (batch × n_l).
    pub fn z(&self) -> &'a DMatrix<T> {
        &self.buf().z
    }
    /// D_k = σ(Z_k).
    pub fn d(&self) -> &'a DMatrix<T> {
        &self.buf().d
    }
    /// Z_{k−1} (None at k = 0).
    pub fn z_prev(&self) -> Option<&'a DMatrix<T>> {
        self.view.updated().then(|| &self.buf().z_prev)
    }
    /// D_{k−1} (None at k = 0).
    pub fn d_prev(&self) -> Option<&'a DMatrix<T>> {
        self.view.updated().then(|| &self.buf().d_prev)
    }
    /// The input of this layer's forward pass, A_k^(l−1) (X for the first layer).
    pub fn forward_input(&self) -> &'a DMatrix<T> {
        let t = self.view.trainer;
        if self.l == 0 {
            &t.x
        } else {
            &t.layers[self.l - 1].d
        }
    }
    /// The input this iteration's update used (rule-dependent; None at k = 0).
    pub fn update_input(&self) -> Option<&'a DMatrix<T>> {
        let t = self.view.trainer;
        if !self.view.updated() {
            return None;
        }
        Some(match (self.l, t.config.rule) {
            (0, _) => &t.x,
            (_, UpdateRule::Reference) => &t.layers[self.l - 1].d_prev,
            (_, UpdateRule::LocalExact) => &t.layers[self.l - 1].d,
        })
    }
    /// The state this iteration's update was computed from (None at k = 0).
    pub fn state(&self) -> Option<LayerState<'a, T>> {
        let input = self.update_input()?;
        let b = self.buf();
        Some(LayerState {
            input,
            z: &b.z,
            d: &b.d,
            d_prev: &b.d_prev,
        })
    }
    /// The update applied at this iteration (None at k = 0).
    pub fn update(&self) -> Option<&'a LayerUpdate<T>> {
        self.view.updated().then(|| &self.buf().update)
    }
    /// W^(l) after this iteration's update.
    pub fn weights(&self) -> &'a DMatrix<T> {
        &self.view.trainer.network.weights[self.l]
    }
    /// b^(l) after this iteration's update.
    pub fn bias(&self) -> &'a DVector<T> {
        &self.view.trainer.network.biases[self.l]
    }
}
