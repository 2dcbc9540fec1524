//! `ska-verify figures`: regenerate the figures and the data behind them.

use super::{EXIT_OK, EXIT_USAGE};
use ska_verify::figures::{self, Options, render::Format, training::TrainingSource};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Arguments of `figures`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output folder (created if missing).
    #[arg(long, default_value = "figures")]
    out: PathBuf,
    /// Only these figures (comma-separated names; see figures/README.md).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Picture formats, comma-separated: svg, png.
    #[arg(long, value_delimiter = ',', default_value = "svg,png")]
    format: Vec<String>,
    /// Folder with the MNIST training IDX files for the training figures (default: synthetic digits).
    #[arg(long, value_name = "DIR")]
    mnist: Option<PathBuf>,
    /// Take the first N images of each class, in file order.
    #[arg(long, value_name = "N")]
    per_class: Option<usize>,
    /// Initial weights of the training figures: seed:S, torch:S or FILE.npz.
    #[arg(long, default_value = "torch:42", value_name = "SPEC")]
    init: String,
}

pub fn run(args: Args) -> u8 {
    let mut formats = Vec::new();
    for f in &args.format {
        match f.trim().to_ascii_lowercase().as_str() {
            "svg" => formats.push(Format::Svg),
            "png" => formats.push(Format::Png),
            other => {
                eprintln!("error: unknown format '{other}' in --format (use svg, png or svg,png)");
                return EXIT_USAGE;
            }
        }
    }
    formats.sort();
    formats.dedup();
    if formats.is_empty() {
        eprintln!("error: --format needs at least one of svg, png");
        return EXIT_USAGE;
    }
    let init = match args.init.parse() {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let opts = Options {
        out: args.out,
        only: args.only.iter().map(|s| s.trim().to_string()).collect(),
        formats,
        training: TrainingSource {
            mnist: args.mnist,
            per_class: args.per_class,
            init,
        },
    };
    let specs = match figures::select(&opts.only) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(specs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let result = figures::run(&opts, |w| {
        if let Some(b) = &bar {
            b.set_message(w.name);
            b.inc(1);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    match result {
        Ok(written) => {
            for w in &written {
                println!("{:<24} {}", w.name, w.files.join(" "));
            }
            println!("{} figures in {}", written.len(), opts.out.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
