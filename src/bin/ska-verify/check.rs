//! `ska-verify check`: EL equations, regularity, null-Lagrangian verdict, energy and, with
//! `--trajectory`, whether that trajectory solves the equations.

use super::lagrangian_args::LagrangianArgs;
use super::{EXIT_CONTRADICTED, EXIT_OK, EXIT_USAGE};
use ska_verify::expr::check::{CheckOptions, check, render};

/// Arguments of `check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    lagrangian: LagrangianArgs,
    /// A trajectory to test, one equation per coordinate: "x = sin(t); y = t^2".
    #[arg(long, allow_hyphen_values = true)]
    trajectory: Option<String>,
    /// Seed of the random states and trajectories.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> u8 {
    let (mut en, l) = match args.lagrangian.build() {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return EXIT_USAGE;
        }
    };
    let traj = match &args.trajectory {
        Some(src) => match en.parse_trajectory_from(src, "--trajectory") {
            Ok(c) => Some((c, src.clone())),
            Err(e) => {
                eprintln!("{e}");
                return EXIT_USAGE;
            }
        },
        None => None,
    };
    let opts = CheckOptions {
        seed: args.seed,
        ..CheckOptions::default()
    };
    let report = match check(
        &mut en,
        l,
        traj.as_ref().map(|(c, s)| (c.as_slice(), s.as_str())),
        &opts,
    ) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        }
    } else {
        print!("{}", render(&report));
    }
    // A given trajectory is a claim ("this solves the equations"): exit 1 if it does not.
    match &report.trajectory {
        Some(t) if !t.solves => EXIT_CONTRADICTED,
        _ => EXIT_OK,
    }
}
