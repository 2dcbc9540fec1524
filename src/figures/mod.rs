//! The papers' figures, regenerated: one function per figure, data first (a CSV of exactly
//! what is plotted), picture second (SVG and PNG drawn from that CSV alone).
//!
//! Every figure is deterministic (seeded, no timestamps), so a rerun writes identical bytes,
//! and every file is written atomically. [`run`] writes the requested figures and a
//! `README.md` listing each one: title, the claim it illustrates, and the command and data it
//! came from.

pub mod action_paths;
pub mod causal;
pub mod el_residuals;
pub mod energy;
pub mod output;
pub mod render;
pub mod time_invariance;
pub mod total_derivative;
pub mod training;

use crate::error::{Error, Result};
use output::atomic_write;
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
    Spec {
        name: "causal_structure",
        title: "Causal structure: SKA vs backpropagation",
        claim: "Seed paper Table 1 / Theorem 2: SKA's update of layer l depends on layers m ≤ l \
                only (exact zeros above the diagonal and for the labels); backpropagation's \
                depends on downstream layers and on the labels.",
        source: "ska-verify causality on the training data and init below, K = 10, η = 0.01, \
                 float32; exact dual-number derivatives on the first 8 images, 2 random \
                 directions per entry, maximum over iterations.",
    },
    Spec {
        name: "time_invariance",
        title: "Equal η·K: H/η and cosine against t = η·k",
        claim: "2504: learning dynamics coincide when η·K is fixed — entropy/η and the cosine of \
                every layer on the clock t = η·k for (η, K) = (0.02, 25) … (0.001, 500).",
        source: "ska-verify time-invariance on the training data and init below, float32, \
                 compared for t ≤ 0.5.",
    },
    Spec {
        name: "time_invariance_deviation",
        title: "Deviation from the finest run against η",
        claim: "How fast each quantity converges as η → 0 (log-log slope = observed order); the \
                raw step entropy does not converge: it scales with η.",
        source: "The same study as `time_invariance`.",
    },
    Spec {
        name: "train_entropy",
        title: "Step entropy per layer",
        claim: "2503 Fig. 2: the per-step SKA entropy H_k = −(1/ln 2) Σ Z⊙ΔD of each layer \
                (the per-step term, not the cumulative sum) against the update index.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "train_cosine",
        title: "Cosine alignment per layer",
        claim: "2503 Fig. 3: alignment cos(Z, ΔD) of knowledge and decision shifts per layer.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "train_z_norm",
        title: "Knowledge magnitude per layer",
        claim: "2503 Fig. 4: ‖Z‖_F per layer at every forward pass.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "train_weight_norm",
        title: "Weight norm per layer",
        claim: "2503 Fig. 5: ‖W‖_F per layer after every update.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "train_tensor_net",
        title: "Tensor Net per layer",
        claim: "2504 eq. 8 / Fig. 4: the Tensor Net Σ ΔZ⊙(D − Z⊙D′/ln 2) (the code's sign; the \
                paper prints + on the second term) and its zero crossings.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "train_knowledge_flow",
        title: "Knowledge flow per layer",
        claim: "2504: the knowledge flow ‖ΔZ‖_F/η, whose decay with the entropy is proposed as a \
                stopping criterion.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "train_lagrangian",
        title: "SKA Lagrangian per layer",
        claim: "2504 §5: the Lagrangian −Σ Z⊙D′⊙ΔZ/η along the learning trajectory (a total time \
                derivative, so its sum telescopes to F(end) − F(start)).",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "train_output_activation",
        title: "Output neuron activations",
        claim: "2503 Fig. 7: batch mean of each output neuron's decision probability per step \
                (labels are never used).",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "entropy_vs_z_norm",
        title: "Step entropy against ‖Z‖_F",
        claim: "2503 Fig. 6: each layer's entropy trajectory in the (‖Z‖_F, H_k) plane, coloured \
                by step.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "phase_portrait",
        title: "Phase portrait: ‖Z‖_F against knowledge flow",
        claim: "2504 Fig. 3: knowledge magnitude against its rate of change, entropy minima marked.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "tensor_net_vs_z_norm",
        title: "Tensor Net against ‖Z‖_F",
        claim: "2504 Fig. 5: the Tensor Net against ‖Z‖_F with entropy minima and Net zero \
                crossings marked.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "heatmap_entropy",
        title: "Step entropy, layer × update",
        claim: "Where in depth and time the entropy changes: one cell per layer and update.",
        source: TRAINING_SOURCE,
    },
    Spec {
        name: "heatmap_cosine",
        title: "Cosine alignment, layer × update",
        claim: "Alignment of Z with ΔD per layer and update.",
        source: TRAINING_SOURCE,
    },
];

/// Provenance of every training figure.
pub const TRAINING_SOURCE: &str = "One run of the reference trainer (the published loop): \
    784-256-128-64-10 sigmoid layers, K = 50, η = 0.01, float32, whole set as one batch; data \
    and init as given to `figures` (see the top of this file).";

/// Options of [`run`].
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Output folder (created if missing).
    pub out: PathBuf,
    /// Names to produce (all when empty).
    pub only: Vec<String>,
    /// Picture formats.
    pub formats: Vec<Format>,
    /// Data and initial weights of the training figures.
    pub training: training::TrainingSource,
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
    csv: &str,
    plot: &P,
    formats: &[Format],
) -> Result<Written> {
    let mut files = save(dir, spec.name, plot, formats)?;
    let path = dir.join(format!("{}.csv", spec.name));
    atomic_write(&path, csv.as_bytes())?;
    files.push(path.display().to_string());
    Ok(Written {
        name: spec.name,
        files,
    })
}

/// The training run, inputs and study shared by the training figures, made on first use.
pub struct Context {
    source: training::TrainingSource,
    run: Option<training::TrainingRun>,
    inputs: Option<(crate::ska::data::Dataset, crate::ska::Network<f64>)>,
    study: Option<crate::ska::time_invariance::StudyReport>,
}

impl Context {
    /// A context that trains from `source` when a training figure first needs it.
    pub fn new(source: training::TrainingSource) -> Self {
        Self {
            source,
            run: None,
            inputs: None,
            study: None,
        }
    }

    /// The data and initial network of the published configuration (loaded once).
    pub fn inputs(&mut self) -> Result<&(crate::ska::data::Dataset, crate::ska::Network<f64>)> {
        if self.inputs.is_none() {
            self.inputs = Some(training::inputs(&self.source)?);
        }
        Ok(self.inputs.as_ref().expect("just set"))
    }

    /// The time-invariance study (run once).
    pub fn study(&mut self) -> Result<&crate::ska::time_invariance::StudyReport> {
        if self.study.is_none() {
            let (d, n) = self.inputs()?;
            let s = time_invariance::run_study(d, n)?;
            self.study = Some(s);
        }
        Ok(self.study.as_ref().expect("just set"))
    }

    /// The caption label of the data ("MNIST, 1000 images", "synthetic digits, ...").
    pub fn training_label(&mut self) -> Result<String> {
        self.inputs()?;
        let (d, _) = self.inputs.as_ref().expect("just loaded");
        Ok(training::label(&self.source, d))
    }

    /// The training run (made once).
    pub fn training(&mut self) -> Result<&training::TrainingRun> {
        if self.run.is_none() {
            self.inputs()?;
            let (d, n) = self.inputs.as_ref().expect("just loaded");
            self.run = Some(training::train_on(&self.source, d, n)?);
        }
        Ok(self.run.as_ref().expect("just set"))
    }
}

/// Compute and write one figure.
pub fn make(dir: &Path, spec: &Spec, formats: &[Format], ctx: &mut Context) -> Result<Written> {
    let title = spec.title.to_string();
    if let Some(&(_, metric, _, y_desc)) = training::HISTORIES.iter().find(|h| h.0 == spec.name) {
        let run = ctx.training()?;
        let csv = training::history_csv(run, metric);
        let x_desc = if metric == crate::ska::metrics::Metric::ZNorm {
            "forward pass (K=j is iteration j − 1)"
        } else {
            "update k"
        };
        let plot = training::LayerLines {
            csv: &csv,
            title: format!("{title} ({})", run.data_label),
            y_desc,
            x_desc,
            names: None,
        };
        return write_figure(dir, spec, &csv, &plot, formats);
    }
    match spec.name {
        "el_residuals" => {
            let csv = el_residuals::data(200, SEED);
            let plot = el_residuals::Figure { csv: &csv, title };
            write_figure(dir, spec, &csv.to_text(), &plot, formats)
        }
        "action_paths" => {
            let csv = action_paths::data(100, SEED);
            let plot = action_paths::Figure { csv: &csv, title };
            write_figure(dir, spec, &csv.to_text(), &plot, formats)
        }
        "ska_total_derivative" => {
            let csv = total_derivative::data();
            let plot = total_derivative::Figure { csv: &csv, title };
            write_figure(dir, spec, &csv.to_text(), &plot, formats)
        }
        "energy" => {
            let csv = energy::data()?;
            let plot = energy::Figure { csv: &csv, title };
            write_figure(dir, spec, &csv.to_text(), &plot, formats)
        }
        "causal_structure" => {
            let label = ctx.training_label()?;
            let (d, n) = ctx.inputs()?;
            let csv = causal::data(d, n)?;
            let plot = causal::Figure {
                csv: &csv,
                title: format!("{title} ({label})"),
            };
            write_figure(dir, spec, &csv.to_text(), &plot, formats)
        }
        "time_invariance" => {
            let label = ctx.training_label()?;
            let csv = time_invariance::curves(ctx.study()?);
            let plot = time_invariance::Curves {
                csv: &csv,
                title: format!("{title} ({label})"),
            };
            write_figure(dir, spec, &csv.to_text(), &plot, formats)
        }
        "time_invariance_deviation" => {
            let label = ctx.training_label()?;
            let csv = time_invariance::deviations(ctx.study()?);
            let plot = time_invariance::Deviations {
                csv: &csv,
                title: format!("{title} ({label})"),
            };
            write_figure(dir, spec, &csv.to_text(), &plot, formats)
        }
        "train_output_activation" => {
            let run = ctx.training()?;
            let csv = training::output_activation_csv(run);
            let plot = training::Outputs {
                csv: &csv,
                title: format!("{title} ({})", run.data_label),
            };
            write_figure(dir, spec, &csv, &plot, formats)
        }
        "entropy_vs_z_norm" | "phase_portrait" | "tensor_net_vs_z_norm" => {
            let run = ctx.training()?;
            let csv = training::scatter_data(run);
            let kind = match spec.name {
                "entropy_vs_z_norm" => training::ScatterKind::EntropyVsZ,
                "phase_portrait" => training::ScatterKind::Phase,
                _ => training::ScatterKind::NetVsZ,
            };
            let plot = training::Scatter {
                csv: &csv,
                title: format!("{title} ({})", run.data_label),
                kind,
            };
            write_figure(dir, spec, &csv.to_text(), &plot, formats)
        }
        "heatmap_entropy" | "heatmap_cosine" => {
            let run = ctx.training()?;
            let (metric, desc) = if spec.name == "heatmap_entropy" {
                (crate::ska::metrics::Metric::StepEntropy, "H_k")
            } else {
                (crate::ska::metrics::Metric::Cosine, "cos(Z, ΔD)")
            };
            let csv = training::history_csv(run, metric);
            let plot = training::Heatmap {
                csv: &csv,
                title: format!("{title} ({})", run.data_label),
                value_desc: desc,
            };
            write_figure(dir, spec, &csv, &plot, formats)
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
pub fn readme(formats: &[Format], training: &training::TrainingSource) -> String {
    let exts: Vec<&str> = formats.iter().map(|f| f.ext()).collect();
    let mut s = String::from(
        "# Figures\n\nMade by `ska-verify figures` (the command for this folder is below). Every figure \
         comes as ",
    );
    s.push_str(&exts.join(" and "));
    s.push_str(
        " plus a CSV of exactly what is plotted (same stem), so it can be rebuilt in \
         pgfplots or matplotlib. All inputs are seeded: a rerun gives identical bytes.\n\n",
    );
    let data = match &training.mnist {
        Some(_) => format!(
            "the MNIST subset (`--mnist DIR{}`)",
            training
                .per_class
                .map_or(String::new(), |n| format!(" --per-class {n}"))
        ),
        None => "the built-in **synthetic digits** (no `--mnist` given: these are not the \
                 published data)"
            .to_string(),
    };
    s.push_str(&format!(
        "Training figures (`train_*`, scatter and heatmap figures) come from {data} with initial \
         weights `--init {}`. The published figures use the 1,000-image MNIST subset (the first \
         100 images of each class of the MNIST training set) and the init \
         `init-torch-seed42.npz`, equivalently `--init torch:42`:\n\n\
         ```sh\ncargo run --release -- figures --out figures --mnist DIR --init torch:42\n```\n\n\
         where DIR holds `train-images-idx3-ubyte` and `train-labels-idx1-ubyte` (plain or .gz); \
         with the full MNIST training files add `--per-class 100`.\n\n",
        training.init
    ));
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
    let mut ctx = Context::new(opts.training.clone());
    for spec in specs {
        let w = make(&opts.out, spec, &opts.formats, &mut ctx)?;
        progress(&w);
        out.push(w);
    }
    atomic_write(
        &opts.out.join("README.md"),
        readme(&opts.formats, &opts.training).as_bytes(),
    )?;
    Ok(out)
}
