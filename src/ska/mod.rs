//! The reference SKA trainer (arXiv 2503.13942, 2504.03214): the published forward-only loop,
//! its metrics, data and initialisation — faithful enough to reproduce the published histories.
//!
//! * [`network`] — sigmoid layers Z = A·W + b, D = σ(Z);
//! * [`update`] — the per-layer update from the layer's own state ([`layer_update`]), rules
//!   `reference` and `local-exact`;
//! * [`trainer`] — the executor ([`Trainer`]), observers and the named [`Termination`];
//! * [`metrics`] — step entropy, cosine, norms, Tensor Net, knowledge flow, Lagrangian;
//! * [`data`] — the built-in synthetic digits and the MNIST IDX reader;
//! * [`init`] — seeded, torch-compatible and `.npz` initial weights;
//! * [`record`] — an observer keeping every layer's state and update (for causality checks);
//! * [`backprop`] — the control: backpropagation (MSE) on the same network and data;
//! * [`causality`] — the update's causal structure checked at every iteration and layer;
//! * [`time_invariance`] — runs with equal η·K compared on the clock t = η·k;
//! * [`action`] — the discrete SKA action along the learning trajectory vs F(end) − F(start);
//! * [`output`] — the published CSV layout, written atomically; [`run`] — one whole run;
//! * [`parallel`] — element-wise passes split over threads.
//!
//! ```
//! use ska_verify::ska::{self, data::synthetic::synthetic, init::InitSpec, TrainConfig};
//! let data = synthetic(2, 0);                       // 20 images
//! let net = ska::init::initial_network(&InitSpec::Seed(1), &[784, 16, 10]).unwrap();
//! let cfg = TrainConfig { k: 5, ..TrainConfig::default() };
//! let run = ska::run::run::<f32>(&data, &net, cfg, &mut []).unwrap();
//! assert_eq!(run.history.get(ska::Metric::StepEntropy)[0].len(), 4); // updates k = 1..4
//! assert_eq!(run.history.get(ska::Metric::StepEntropy)[0][0], 0.0);  // k = 1: ΔD = 0
//! ```

pub mod action;
pub mod backprop;
pub mod causality;
pub mod data;
pub mod init;
pub mod metrics;
pub mod network;
pub mod output;
pub mod parallel;
pub mod real;
pub mod record;
pub mod run;
pub mod time_invariance;
pub mod trainer;
pub mod update;

pub use metrics::{History, Metric, OutputMeans, StepSums};
pub use network::Network;
pub use real::Real;
pub use record::{LayerRecord, Recorder};
pub use trainer::{IterationView, LayerView, Observer, Termination, TrainConfig, Trainer};
pub use update::{LayerState, LayerUpdate, UpdateRule, layer_update, layer_update_into};
