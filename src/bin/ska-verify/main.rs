//! `ska-verify`: the command-line front end. It parses arguments, validates them, calls the
//! library and maps the outcome to an exit code:
//!
//! * 0 — every claim came out as expected;
//! * 1 — some claim was contradicted;
//! * 2 — usage or input error (bad arguments, unreadable or malformed input).

mod causality;
mod check;
mod data_args;
mod derive;
mod figures;
mod lagrangian_args;
mod prove;
mod residual;
mod time_invariance;
mod train;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code: every claim as expected.
pub const EXIT_OK: u8 = 0;
/// Exit code: a claim was contradicted.
pub const EXIT_CONTRADICTED: u8 = 1;
/// Exit code: usage or input error.
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "ska-verify",
    version,
    about = "Check claims about Lagrangians and learning rules: Euler–Lagrange residuals by dual \
             numbers, null-Lagrangian tests, the SKA papers' equations",
    after_help = "Exit codes: 0 all claims as expected, 1 a claim contradicted, 2 usage or input error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run every built-in check on seeded random trajectories and print a table.
    Verify(verify::Args),
    /// Regenerate the papers' figures (SVG, PNG) and the CSV data behind each.
    Figures(figures::Args),
    /// Run the reference SKA trainer and write its histories (CSV) and summary.json.
    Train(train::Args),
    /// Analyse a Lagrangian: EL equations, regularity, null Lagrangian, energy, a trajectory.
    Check(check::Args),
    /// The exact (AD) Euler–Lagrange residual along a trajectory at given times.
    Residual(residual::Args),
    /// Symbolic momenta, EL equations, energy function and mass matrix.
    Derive(derive::Args),
    /// Check the causal structure of a trainer's update at every iteration and layer (exit 1 on
    /// any violation: `--trainer backprop` is the control that must be flagged).
    Causality(causality::Args),
    /// Compare runs with equal η·K on the clock t = η·k; least action along each trajectory
    /// (exit 1 if a quantity expected to be invariant does not converge as η → 0).
    TimeInvariance(time_invariance::Args),
    /// Check proof files (default proofs/): every claim proved, holding or refuted.
    Prove(prove::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; clap knows which is which.
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Verify(args) => verify::run(args),
        Command::Figures(args) => figures::run(args),
        Command::Train(args) => train::run_cmd(args),
        Command::Check(args) => check::run(args),
        Command::Residual(args) => residual::run(args),
        Command::Derive(args) => derive::run(args),
        Command::Causality(args) => causality::run(args),
        Command::TimeInvariance(args) => time_invariance::run(args),
        Command::Prove(args) => prove::run(args),
    };
    ExitCode::from(code)
}
