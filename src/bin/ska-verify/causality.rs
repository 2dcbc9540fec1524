//! `ska-verify causality`: the four causality checks at every iteration and layer of one run.

use super::data_args::{DataArgs, Inputs};
use super::{EXIT_CONTRADICTED, EXIT_OK, EXIT_USAGE};
use ska_verify::ska::causality::{CausalityReport, CheckOptions, TrainerKind, check_trainer};
use ska_verify::ska::{TrainConfig, UpdateRule};
use std::path::PathBuf;

/// Arguments of `causality`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Trainer to check: ska (the reference loop) or backprop (the control).
    #[arg(long, default_value = "ska")]
    trainer: String,
    #[command(flatten)]
    data: DataArgs,
    /// Iterations K (the default keeps the run to seconds: the prefix check costs ≈ K²/2 steps).
    #[arg(long, default_value_t = 10, allow_negative_numbers = true)]
    k: usize,
    /// Learning rate η > 0.
    #[arg(long, default_value_t = 0.01, allow_negative_numbers = true)]
    eta: f64,
    /// SKA update rule: reference or local-exact.
    #[arg(long, default_value = "reference")]
    variant: String,
    /// Run the bitwise checks in f64 instead of f32.
    #[arg(long)]
    f64: bool,
    /// Images in the dual-number subset (the first ones of the batch).
    #[arg(long, default_value_t = 8, value_name = "N")]
    dual_batch: usize,
    /// Random directions per layer and for the labels in the dual-number check.
    #[arg(long, default_value_t = 2, value_name = "N")]
    directions: usize,
    /// Seed of the random replacements, permutations and directions.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Also write dependency_matrix.csv, dependency_per_iteration.csv and report.json here.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn usage(msg: impl std::fmt::Display) -> u8 {
    eprintln!("error: {msg}");
    EXIT_USAGE
}

pub fn run(args: Args) -> u8 {
    let kind: TrainerKind = match args.trainer.parse() {
        Ok(k) => k,
        Err(e) => return usage(e),
    };
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
        return usage(format!("{e} (--k, --eta)"));
    }
    if args.dual_batch == 0 || args.directions == 0 {
        return usage("--dual-batch and --directions must be at least 1");
    }
    let Inputs { data, network, .. } = match args.data.load() {
        Ok(i) => i,
        Err(e) => return usage(e),
    };
    let opts = CheckOptions {
        dual_batch: args.dual_batch,
        directions: args.directions,
        seed: args.seed,
    };
    let report = if args.f64 {
        check_trainer::<f64>(kind, &data, &network, config, &opts)
    } else {
        check_trainer::<f32>(kind, &data, &network, config, &opts)
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let doc = json(&report, &data.source);
    if let Some(dir) = &args.out
        && let Err(e) = write(dir, &report, &doc)
    {
        return usage(e);
    }
    if args.json {
        match serde_json::to_string_pretty(&doc) {
            Ok(t) => println!("{t}"),
            Err(e) => return usage(format!("cannot serialise the report: {e}")),
        }
    } else {
        println!("data: {} ({} images)", data.source, data.len());
        print!("{}", report.table());
    }
    if report.violations.is_empty() {
        EXIT_OK
    } else {
        EXIT_CONTRADICTED
    }
}

fn json(report: &CausalityReport, source: &str) -> serde_json::Value {
    let mut doc = serde_json::to_value(report).unwrap_or_default();
    if let Some(o) = doc.as_object_mut() {
        o.insert("data".into(), source.into());
        o.insert("causal".into(), report.is_causal().into());
        o.insert("violation_count".into(), report.violations.len().into());
    }
    doc
}

fn write(
    dir: &std::path::Path,
    report: &CausalityReport,
    doc: &serde_json::Value,
) -> ska_verify::Result<()> {
    use ska_verify::ska::output::{prepare_dir, write_atomic};
    prepare_dir(dir)?;
    write_atomic(
        dir,
        "dependency_matrix.csv",
        report.matrix_csv().to_text().as_bytes(),
    )?;
    write_atomic(
        dir,
        "dependency_per_iteration.csv",
        report.iterations_csv().to_text().as_bytes(),
    )?;
    let text = serde_json::to_string_pretty(doc).unwrap_or_default() + "\n";
    write_atomic(dir, "report.json", text.as_bytes())
}
