//! The papers' figures, regenerated: one function per figure, data first (a CSV of exactly
//! what is plotted), picture second (SVG and PNG drawn from that CSV alone).
//!
//! Every figure is deterministic (seeded, no timestamps), so a rerun writes identical bytes,
//! and every file is written atomically. [`run`] writes the requested figures and a
//! `README.md` listing each one: title, the claim it illustrates, and the command and data it
//! came from.

pub mod action_paths;
pub mod el_residuals;
pub mod energy;
pub mod output;
pub mod render;
pub mod total_derivative;

use crate::error::{Error, Result};
use output::{Csv, atomic_write};
use render::{Format, Plot, save};
use std::path::{Path, PathBuf};

/// Seed of every random element in the figures.
pub const SEED: u64 = 2025;

/// A figure's identity and provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// File stem and `--only` name.
    pub name: &'static str,
    /// Caption.
    pub title: &'static str,
    /// The claim it illustrates.
    pub claim: &'static str,
    /// How the data were made.
    pub source: &'static str,
}

/// Every figure, in output order.
pub const FIGURES: &[Spec] = &[
    Spec {
        name: "el_residuals",
        title: "Euler–Lagrange residuals on random trajectories",
        claim: "Seed paper eq. 9: the SKA residual vanishes on every trajectory (to rounding, \
                ~1e-16), while genuine Lagrangians — oscillator, pendulum, magnetic field, even \
                its purely velocity-linear form — have residuals of order 1.",
        source: "200 seeded random trajectories per system (polynomials, Fourier series, sums), \
                 8 times each in [−1, 1]; exact AD residuals, norm-wise relative.",
    },
    Spec {
        name: "action_paths",
        title: "Action over paths with shared end points",
        claim: "SKA's action depends on the end points only: S = F(z(T)) − F(z(0)) on every path, \
                so least action selects no trajectory. A regular Lagrangian's action varies.",
        source: "100 seeded paths z(0) = −1 → z(1) = 2 with random sine bumps; composite \
                 Gauss–Legendre quadrature.",
    },
    Spec {
        name: "ska_total_derivative",
        title: "SKA Lagrangian is a total time derivative",
        claim: "L = −zσ(z)(1−σ(z))ż equals dF/dt with F = softplus(z) − zσ(z), and \
                F = ln 2 · H_Shannon(σ(z)).",
        source: "z(t) = 0.5 + 3 sin 1.3t − cos 2.6t; L evaluated directly, dF/dt by AD, H from its \
                 definition.",
    },
    Spec {
        name: "energy",
        title: "Energy function along motions",
        claim: "Seed paper §5.1: SKA's energy function ż ∂L/∂ż − L is identically 0 (the conserved \
                'learning energy' is trivially zero); regular time-independent systems conserve a \
                non-zero h; a time-dependent L does not.",
        source: "SKA on a smooth path; pendulum, Kepler (e = 0.6) and Caldirola–Kanai integrated \
                 with the adaptive Dormand–Prince integrator (rtol 1e-11).",
    },
];

/// Options of [`run`].
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Output folder (created if missing).
    pub out: PathBuf,
    /// Names to produce (all when empty).
    pub only: Vec<String>,
    /// Picture formats.
    pub formats: Vec<Format>,
}

/// What [`run`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// Figure name.
    pub name: &'static str,
    /// Files written.
    pub files: Vec<String>,
}

fn write_figure<P: Plot>(
    dir: &Path,
    spec: &Spec,
    csv: &Csv,
    plot: &P,
    formats: &[Format],
) -> Result<Written> {
    let mut files = save(dir, spec.name, plot, formats)?;
    let path = dir.join(format!("{}.csv", spec.name));
    atomic_write(&path, csv.to_text().as_bytes())?;
    files.push(path.display().to_string());
    Ok(Written {
        name: spec.name,
        files,
    })
}

/// Compute and write one figure.
pub fn make(dir: &Path, spec: &Spec, formats: &[Format]) -> Result<Written> {
    let title = spec.title.to_string();
    match spec.name {
        "el_residuals" => {
            let csv = el_residuals::data(200, SEED);
            write_figure(
                dir,
                spec,
                &csv,
                &el_residuals::Figure { csv: &csv, title },
                formats,
            )
        }
        "action_paths" => {
            let csv = action_paths::data(100, SEED);
            write_figure(
                dir,
                spec,
                &csv,
                &action_paths::Figure { csv: &csv, title },
                formats,
            )
        }
        "ska_total_derivative" => {
            let csv = total_derivative::data();
            write_figure(
                dir,
                spec,
                &csv,
                &total_derivative::Figure { csv: &csv, title },
                formats,
            )
        }
        "energy" => {
            let csv = energy::data()?;
            write_figure(
                dir,
                spec,
                &csv,
                &energy::Figure { csv: &csv, title },
                formats,
            )
        }
        other => Err(unknown(other)),
    }
}

fn unknown(name: &str) -> Error {
    let names: Vec<&str> = FIGURES.iter().map(|s| s.name).collect();
    Error::Invalid {
        what: format!("figure name '{name}'"),
        reason: format!("known figures: {}", names.join(", ")),
    }
}

/// The specs selected by `only` (all when empty), or an error naming the unknown one.
pub fn select(only: &[String]) -> Result<Vec<&'static Spec>> {
    if only.is_empty() {
        return Ok(FIGURES.iter().collect());
    }
    only.iter()
        .map(|n| {
            FIGURES
                .iter()
                .find(|s| s.name == n)
                .ok_or_else(|| unknown(n))
        })
        .collect()
}

/// The README listing every figure.
pub fn readme(formats: &[Format]) -> String {
    let exts: Vec<&str> = formats.iter().map(|f| f.ext()).collect();
    let mut s = String::from(
        "# Figures\n\nRegenerated by `cargo run --release -- figures --out figures`. Every figure \
         comes as ",
    );
    s.push_str(&exts.join(" and "));
    s.push_str(
        " plus a CSV of exactly what is plotted (same stem), so it can be rebuilt in \
         pgfplots or matplotlib. All inputs are seeded: a rerun gives identical bytes.\n\n",
    );
    s.push_str("| figure | title | claim it illustrates | data |\n|---|---|---|---|\n");
    for f in FIGURES {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            f.name, f.title, f.claim, f.source
        ));
    }
    s
}

/// Write the selected figures and the README into `opts.out`; `progress` is called after each.
pub fn run(opts: &Options, mut progress: impl FnMut(&Written)) -> Result<Vec<Written>> {
    let specs = select(&opts.only)?;
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, &e))?;
    let mut out = Vec::new();
    for spec in specs {
        let w = make(&opts.out, spec, &opts.formats)?;
        progress(&w);
        out.push(w);
    }
    atomic_write(
        &opts.out.join("README.md"),
        readme(&opts.formats).as_bytes(),
    )?;
    Ok(out)
}
