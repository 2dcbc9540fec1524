//! `ska-verify time-invariance`: runs with equal η·K compared on the clock t = η·k, and the
//! least action along each run's trajectory.

use super::data_args::{DataArgs, Inputs};
use super::{EXIT_CONTRADICTED, EXIT_OK, EXIT_USAGE};
use ska_verify::figures::output::atomic_write;
use ska_verify::ska::UpdateRule;
use ska_verify::ska::time_invariance::{DEFAULT_PAIRS, StudyReport, parse_pairs, study};
use std::path::PathBuf;

/// Arguments of `time-invariance`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Compare the runs at t = η·k ≤ T.
    #[arg(
        long = "t",
        default_value_t = 0.5,
        value_name = "T",
        allow_negative_numbers = true
    )]
    horizon: f64,
    /// The runs as η:K pairs (default 0.02:25,0.01:50,0.005:100,0.0033:150,0.0025:200,0.001:500).
    #[arg(long, value_name = "η:K,...")]
    pairs: Option<String>,
    #[command(flatten)]
    data: DataArgs,
    /// SKA update rule: reference or local-exact.
    #[arg(long, default_value = "reference")]
    variant: String,
    /// Compute in f64 instead of f32.
    #[arg(long)]
    f64: bool,
    /// Print JSON (deviations, orders, action) instead of tables.
    #[arg(long)]
    json: bool,
    /// Write time_invariance_series.csv, time_invariance_deviation.csv,
    /// time_invariance_order.csv and least_action.csv here.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn usage(msg: impl std::fmt::Display) -> u8 {
    eprintln!("error: {msg}");
    EXIT_USAGE
}

pub fn run(args: Args) -> u8 {
    let pairs = match &args.pairs {
        Some(p) => match parse_pairs(p) {
            Ok(p) => p,
            Err(e) => return usage(e),
        },
        None => DEFAULT_PAIRS.to_vec(),
    };
    let rule: UpdateRule = match args.variant.parse() {
        Ok(r) => r,
        Err(e) => return usage(format!("--variant: {e}")),
    };
    for &(eta, k) in &pairs {
        let cfg = ska_verify::ska::TrainConfig { k, eta, rule };
        if let Err(e) = cfg.validate() {
            return usage(format!("--pairs {eta}:{k}: {e}"));
        }
    }
    let Inputs { data, network, .. } = match args.data.load() {
        Ok(i) => i,
        Err(e) => return usage(e),
    };
    if let Some(dir) = &args.out
        && let Err(e) = ska_verify::ska::output::prepare_dir(dir)
    {
        return usage(e);
    }
    let report = if args.f64 {
        study::<f64>(&data, &network, &pairs, args.horizon, rule)
    } else {
        study::<f32>(&data, &network, &pairs, args.horizon, rule)
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    if let Some(dir) = &args.out
        && let Err(e) = write(dir, &report)
    {
        return usage(e);
    }
    if args.json {
        let doc = serde_json::json!({
            "data": data.source,
            "horizon": report.horizon,
            "reference": { "eta": report.finest_run().eta, "k": report.finest_run().k },
            "deviations": report.deviations,
            "orders": report.orders,
            "action": report.runs.iter().map(|r| serde_json::json!({
                "eta": r.eta, "k": r.k, "layers": r.action, "elapsed_s": r.elapsed_s,
            })).collect::<Vec<_>>(),
            "action_order": report.action_order,
            "converges": report.converges(),
        });
        match serde_json::to_string_pretty(&doc) {
            Ok(t) => println!("{t}"),
            Err(e) => return usage(format!("cannot serialise the report: {e}")),
        }
    } else {
        println!("data: {} ({} images)", data.source, data.len());
        print!("{}", report.table());
    }
    if report.converges() {
        EXIT_OK
    } else {
        EXIT_CONTRADICTED
    }
}

fn write(dir: &std::path::Path, report: &StudyReport) -> ska_verify::Result<()> {
    for (name, csv) in [
        ("time_invariance_series.csv", report.series_csv()),
        ("time_invariance_deviation.csv", report.deviations_csv()),
        ("time_invariance_order.csv", report.orders_csv()),
        ("least_action.csv", report.action_csv()),
    ] {
        atomic_write(&dir.join(name), csv.to_text().as_bytes())?;
    }
    Ok(())
}
