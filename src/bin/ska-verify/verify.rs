//! `ska-verify verify`: the built-in checks as a table or JSON.

use super::{EXIT_CONTRADICTED, EXIT_OK, EXIT_USAGE};
use ska_verify::verify::{self, Options};

/// Arguments of `verify`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Random trajectories per null-Lagrangian check (≥ 1).
    #[arg(long, default_value_t = 256)]
    trajectories: usize,
    /// Seed of the random trajectories.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print JSON (an object with a `checks` array) instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> u8 {
    if args.trajectories == 0 {
        eprintln!("error: --trajectories must be at least 1");
        return EXIT_USAGE;
    }
    let opts = Options {
        trajectories: args.trajectories,
        seed: args.seed,
        ..Options::default()
    };
    let checks = verify::run(&opts);
    let causal = verify::causality(args.seed);
    let proofs = verify::run_proofs(args.seed);
    let all_ok = checks.iter().all(|c| c.ok) && causal.iter().all(|c| c.ok) && proofs.ok;
    if args.json {
        let doc = serde_json::json!({
            "checks": checks,
            "causality": causal,
            "proofs": proofs,
            "ok": all_ok
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializable report")
        );
    } else {
        print!("{}", verify::table(&checks));
        println!(
            "\ncausal structure of the update (ska-verify causality, K = {}, synthetic digits):",
            verify::CAUSALITY_K
        );
        print!("{}", verify::causality_table(&causal));
        let bad = checks.iter().filter(|c| !c.ok).count() + causal.iter().filter(|c| !c.ok).count();
        let total = checks.len() + causal.len();
        println!(
            "\n{} checks, {} as expected, {} unexpected",
            total,
            total - bad,
            bad
        );
        match &proofs.dir {
            None => println!("\nproof files: no proofs/ directory found (run from the crate root)"),
            Some(dir) => {
                println!("\nproof files ({dir}):");
                print!("{}", ska_verify::proof::table(&proofs.claims));
                for e in &proofs.errors {
                    eprintln!("{e}");
                }
                let bad = proofs.claims.iter().filter(|c| !c.ok).count();
                println!(
                    "\n{} claims, {} as expected, {} unexpected{}",
                    proofs.claims.len(),
                    proofs.claims.len() - bad,
                    bad,
                    if proofs.errors.is_empty() {
                        String::new()
                    } else {
                        format!(", {} files not parsed", proofs.errors.len())
                    }
                );
            }
        }
    }
    if all_ok { EXIT_OK } else { EXIT_CONTRADICTED }
}
