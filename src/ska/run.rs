//! One whole run: data + initial network + configuration → histories, termination, timing.

use super::data::Dataset;
use super::metrics::{History, LayerSummary, OutputMeans, summarize};
use super::network::Network;
use super::real::Real;
use super::trainer::{Observer, Termination, TrainConfig, Trainer};
use crate::error::Result;
use std::time::{Duration, Instant};

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Every per-layer metric.
    pub history: History,
    /// Batch means of the output neurons.
    pub outputs: OutputMeans,
    /// Why the run stopped.
    pub termination: Termination,
    /// Wall time of the loop (forward passes, updates and observers).
    pub elapsed: Duration,
    /// Iterations run.
    pub iterations: usize,
    /// Per-layer summaries (cumulative entropy, entropy minimum, Net zero crossings).
    pub summaries: Vec<LayerSummary>,
}

impl RunResult {
    /// Iterations per second of the loop.
    pub fn steps_per_second(&self) -> f64 {
        self.iterations as f64 / self.elapsed.as_secs_f64().max(1e-12)
    }
}

/// Trains `initial` (cast to `T`) on `data` with `config`; `extra` observers run after the
/// metric observers.
pub fn run<T: Real>(
    data: &Dataset,
    initial: &Network<f64>,
    config: TrainConfig,
    extra: &mut [&mut dyn Observer<T>],
) -> Result<RunResult> {
    let mut trainer = Trainer::new(config, data.to_matrix::<T>(), initial.cast::<T>())?;
    let mut history = History::new(config.eta);
    let mut outputs = OutputMeans::default();
    let start = Instant::now();
    let termination = {
        let mut observers: Vec<&mut dyn Observer<T>> = vec![&mut history, &mut outputs];
        observers.extend(extra.iter_mut().map(|o| &mut **o as &mut dyn Observer<T>));
        trainer.run(&mut observers)
    };
    let elapsed = start.elapsed();
    let summaries = summarize(&history);
    Ok(RunResult {
        history,
        outputs,
        termination,
        elapsed,
        iterations: trainer.iterations_done(),
        summaries,
    })
}
