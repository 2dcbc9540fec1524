//! `ska-verify train`: run the reference SKA trainer and write its histories.

use super::data_args::{DataArgs, Inputs};
use super::{EXIT_CONTRADICTED, EXIT_OK, EXIT_USAGE};
use ska_verify::ska::data::Dataset;
use ska_verify::ska::run::{RunResult, run};
use ska_verify::ska::{
    IterationView, Network, Observer, Real, Termination, TrainConfig, UpdateRule, output,
};
use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::PathBuf;

/// Arguments of `train`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Iterations K (forward passes; K − 1 updates), at least 2.
    #[arg(long, default_value_t = 50, allow_negative_numbers = true)]
    k: usize,
    /// Learning rate η > 0.
    #[arg(long, default_value_t = 0.01, allow_negative_numbers = true)]
    eta: f64,
    /// Update rule: reference (the published loop) or local-exact (exact gradient of H_k).
    #[arg(long, default_value = "reference")]
    variant: String,
    /// Compute in f64 instead of f32 (the published run is f32).
    #[arg(long)]
    f64: bool,
    /// Print iterations per second and ms per iteration.
    #[arg(long)]
    time: bool,
    /// Output folder (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

fn usage(msg: impl std::fmt::Display) -> u8 {
    eprintln!("error: {msg}");
    EXIT_USAGE
}

/// Progress bar on a terminal (stderr), nothing otherwise.
struct Progress(Option<indicatif::ProgressBar>);

impl<T: Real> Observer<T> for Progress {
    fn observe(&mut self, _view: &IterationView<'_, T>) -> ControlFlow<String> {
        if let Some(p) = &self.0 {
            p.inc(1);
        }
        ControlFlow::Continue(())
    }
}

/// Peak resident memory of this process in KiB (VmHWM), if the platform reports it.
fn peak_memory_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub fn run_cmd(args: Args) -> u8 {
    let rule: UpdateRule = match args.variant.parse() {
        Ok(r) => r,
        Err(e) => return usage(format!("--variant: {e}")),
    };
    let config = TrainConfig {
        k: args.k,
        eta: args.eta,
        rule,
    };
    if let Err(e) = config.validate() {
        let flag = if args.k < 2 { "--k" } else { "--eta" };
        return usage(format!("{flag}: {e}"));
    }
    let Inputs {
        data,
        network: net,
        init,
        sizes,
    } = match args.data.load() {
        Ok(i) => i,
        Err(e) => return usage(e),
    };
    if let Err(e) = output::prepare_dir(&args.out) {
        return usage(e);
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let p = indicatif::ProgressBar::new(args.k as u64);
        p.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} iterations {per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        p
    });
    let mut progress = Progress(bar);
    let result = if args.f64 {
        train_as::<f64>(&data, &net, config, &mut progress)
    } else {
        train_as::<f32>(&data, &net, config, &mut progress)
    };
    if let Some(p) = &progress.0 {
        p.finish_and_clear();
    }
    let result = match result {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    if let Err(e) = output::write_histories(&args.out, &result.history, &result.outputs) {
        return usage(e);
    }
    let peak = peak_memory_kib();
    let summary = serde_json::json!({
        "data": { "source": data.source, "images": data.len(), "features": data.features() },
        "layers": sizes,
        "init": init.to_string(),
        "k": config.k,
        "eta": config.eta,
        "variant": rule.name(),
        "precision": if args.f64 { "f64" } else { "f32" },
        "termination": result.termination,
        "iterations": result.iterations,
        "updates": result.iterations.saturating_sub(1),
        "elapsed_s": result.elapsed.as_secs_f64(),
        "steps_per_s": result.steps_per_second(),
        "ms_per_step": 1e3 / result.steps_per_second(),
        "matmul_threads_env": std::env::var("MATMUL_NUM_THREADS").ok(),
        "peak_memory_kib": peak,
        "layers_summary": result.summaries,
        "files": output::history_files(),
    });
    let text = match serde_json::to_string_pretty(&summary) {
        Ok(t) => t + "\n",
        Err(e) => return usage(format!("cannot serialise the summary: {e}")),
    };
    if let Err(e) = output::write_atomic(&args.out, "summary.json", text.as_bytes()) {
        return usage(e);
    }
    if args.time {
        println!(
            "{} iterations in {:.3} s: {:.1} steps/s, {:.2} ms/step (peak memory {} KiB)",
            result.iterations,
            result.elapsed.as_secs_f64(),
            result.steps_per_second(),
            1e3 / result.steps_per_second(),
            peak.map_or("unknown".to_string(), |p| p.to_string())
        );
    }
    match &result.termination {
        Termination::Completed { .. } => {
            eprintln!(
                "wrote {} files to {}",
                output::history_files().len() + 1,
                args.out.display()
            );
            EXIT_OK
        }
        other => {
            eprintln!(
                "the run stopped early: {other:?}; histories up to there are in {}",
                args.out.display()
            );
            EXIT_CONTRADICTED
        }
    }
}

fn train_as<T: Real>(
    data: &Dataset,
    net: &Network<f64>,
    config: TrainConfig,
    progress: &mut Progress,
) -> ska_verify::Result<RunResult> {
    run::<T>(data, net, config, &mut [progress])
}
