//! `ska-verify residual`: the exact (AD) Euler–Lagrange residual of a typed Lagrangian along a
//! typed trajectory at given times.

use super::lagrangian_args::LagrangianArgs;
use super::{EXIT_OK, EXIT_USAGE};
use ska_verify::mechanics::euler_lagrange;

/// Arguments of `residual`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    lagrangian: LagrangianArgs,
    /// The trajectory, one equation per coordinate: "x = sin(t); y = t^2".
    #[arg(long, allow_hyphen_values = true)]
    trajectory: String,
    /// Times, comma-separated (e.g. 0,0.5,1.5).
    #[arg(
        long,
        value_delimiter = ',',
        required = true,
        allow_hyphen_values = true
    )]
    times: Vec<f64>,
    /// Print JSON `{"times": [...], "residual": [[...], ...]}` instead of a table.
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
    let built = en
        .parse_trajectory_from(&args.trajectory, "--trajectory")
        .map_err(|e| e.to_string())
        .and_then(|c| en.trajectory(&c).map_err(|e| format!("error: {e}")))
        .and_then(|traj| {
            en.lagrangian(l)
                .map(|lag| (lag, traj))
                .map_err(|e| format!("error: {e}"))
        });
    let (lag, traj) = match built {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return EXIT_USAGE;
        }
    };
    let rows: Vec<Vec<f64>> = args
        .times
        .iter()
        .map(|&t| euler_lagrange(&lag, &traj, t).residual)
        .collect();
    if args.json {
        // A struct, so the keys come out in this order: times, then residual.
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            times: &'a [f64],
            residual: &'a [Vec<f64>],
        }
        let doc = Doc {
            times: &args.times,
            residual: &rows,
        };
        match serde_json::to_string(&doc) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        }
    } else {
        let header: Vec<String> = en.coords().iter().map(|c| format!("r[{c}]")).collect();
        println!("{:>12}  {}", "t", header.join("  "));
        for (t, r) in args.times.iter().zip(&rows) {
            let cells: Vec<String> = r.iter().map(|x| format!("{x:>22.15e}")).collect();
            println!("{t:>12}  {}", cells.join("  "));
        }
    }
    EXIT_OK
}
