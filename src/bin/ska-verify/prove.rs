//! `ska-verify prove [FILE|DIR ...] [--json]`: check proof files, print a table (or JSON) and
//! exit 0 if every claim came out as expected, 1 if one did not, 2 if a file is unreadable or
//! malformed.

use super::{EXIT_CONTRADICTED, EXIT_OK, EXIT_USAGE};
use ska_verify::proof::{self, ClaimReport, Options};
use std::path::PathBuf;

/// Arguments of `prove`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Proof files or directories of `*.proof` files (default: proofs/).
    paths: Vec<PathBuf>,
    /// Print a JSON array, one object per claim, instead of a table.
    #[arg(long)]
    json: bool,
    /// Seed of the random sample points.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

pub fn run(args: Args) -> u8 {
    let paths = if args.paths.is_empty() {
        match proof::default_dir() {
            Some(d) => vec![d],
            None => {
                eprintln!(
                    "error: no proofs/ directory here; name the files or directories to check"
                );
                return EXIT_USAGE;
            }
        }
    } else {
        args.paths
    };
    let files = match proof::collect_files(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if files.is_empty() {
        eprintln!(
            "error: no .proof files in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return EXIT_USAGE;
    }
    let opts = Options {
        seed: args.seed,
        ..Options::default()
    };
    let mut claims: Vec<ClaimReport> = Vec::new();
    let mut malformed = 0;
    for f in &files {
        match proof::check_file(f, &opts) {
            Ok(c) => claims.extend(c),
            Err(e) => {
                malformed += 1;
                eprintln!("{e}");
            }
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&proof::json(&claims)).unwrap_or_default()
        );
    } else {
        print!("{}", proof::table(&claims));
        let bad = claims.iter().filter(|c| !c.ok).count();
        println!(
            "\n{} files, {} claims, {} as expected, {} unexpected",
            files.len(),
            claims.len(),
            claims.len() - bad,
            bad
        );
    }
    if malformed > 0 {
        EXIT_USAGE
    } else if claims.iter().all(|c| c.ok) {
        EXIT_OK
    } else {
        EXIT_CONTRADICTED
    }
}
