//! The published training figures (arXiv 2503.13942 and 2504.03214), from the reference
//! trainer: per-layer histories against the step index, output activations, entropy against
//! ‖Z‖_F (2503 Fig. 6), the phase portrait ‖Z‖_F against knowledge flow (2504 Fig. 3), the Tensor
//! Net against ‖Z‖_F (2504 Fig. 5) and layer × step heatmaps of entropy and cosine.
//!
//! One training run feeds every figure. Its per-layer histories are written in the published
//! layout (rows `Layer l`, columns `K=j`), byte for byte what `ska-verify train` writes, so the
//! CSV beside each history figure is the trainer's own output.

use super::output::Csv;
use super::render::{self, Legend, Plot, Series, layer_color, line_panel};
use crate::error::Result;
use crate::ska::data::{Dataset, source};
use crate::ska::init::{InitSpec, initial_network};
use crate::ska::metrics::Metric;
use crate::ska::output::{layer_csv, output_csv};
use crate::ska::run::{RunResult, run};
use crate::ska::{Network, TrainConfig, UpdateRule};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::PathBuf;

/// Where the training data and initial weights come from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingSource {
    /// MNIST folder; `None` = the built-in synthetic digits.
    pub mnist: Option<PathBuf>,
    /// First N images per class.
    pub per_class: Option<usize>,
    /// Initial weights.
    pub init: InitSpec,
}

/// The published configuration: 784-256-128-64-10, K = 50, η = 0.01, float32.
pub const LAYERS: [usize; 4] = [256, 128, 64, 10];
/// Iterations.
pub const K: usize = 50;
/// Learning rate.
pub const ETA: f64 = 0.01;

/// A finished run and a label for captions.
#[derive(Debug, Clone)]
pub struct TrainingRun {
    /// Histories and summaries.
    pub result: RunResult,
    /// "synthetic digits" or "MNIST subset", for captions.
    pub data_label: String,
}

/// The data and initial network of the published configuration.
pub fn inputs(src: &TrainingSource) -> Result<(Dataset, Network<f64>)> {
    let data: Dataset = source::load(src.mnist.as_deref(), src.per_class, 0)?;
    let mut sizes = vec![data.features()];
    sizes.extend(LAYERS);
    let net = initial_network(&src.init, &sizes)?;
    Ok((data, net))
}

/// The caption label of the data.
pub fn label(src: &TrainingSource, data: &Dataset) -> String {
    match &src.mnist {
        Some(_) => format!("MNIST, {} images", data.len()),
        None => format!("synthetic digits, {} images", data.len()),
    }
}

/// Run the reference trainer in the published configuration.
pub fn train(src: &TrainingSource) -> Result<TrainingRun> {
    let (data, net) = inputs(src)?;
    train_on(src, &data, &net)
}

/// Run the reference trainer in the published configuration on already loaded inputs.
pub fn train_on(src: &TrainingSource, data: &Dataset, net: &Network<f64>) -> Result<TrainingRun> {
    let config = TrainConfig {
        k: K,
        eta: ETA,
        rule: UpdateRule::Reference,
    };
    let result = run::<f32>(data, net, config, &mut [])?;
    let data_label = label(src, data);
    Ok(TrainingRun { result, data_label })
}

/// The per-layer history figures: (name, metric, title, y description).
pub const HISTORIES: [(&str, Metric, &str, &str); 7] = [
    (
        "train_entropy",
        Metric::StepEntropy,
        "Step entropy per layer",
        "H_k = −(1/ln 2) Σ Z⊙ΔD",
    ),
    (
        "train_cosine",
        Metric::Cosine,
        "Cosine alignment per layer",
        "cos(Z, ΔD)",
    ),
    (
        "train_z_norm",
        Metric::ZNorm,
        "Knowledge magnitude per layer",
        "‖Z‖_F",
    ),
    (
        "train_weight_norm",
        Metric::WeightNorm,
        "Weight norm per layer",
        "‖W‖_F",
    ),
    (
        "train_tensor_net",
        Metric::TensorNet,
        "Tensor Net per layer",
        "Σ ΔZ⊙(D − Z⊙D′/ln 2)",
    ),
    (
        "train_knowledge_flow",
        Metric::KnowledgeFlow,
        "Knowledge flow per layer",
        "‖ΔZ‖_F / η",
    ),
    (
        "train_lagrangian",
        Metric::Lagrangian,
        "SKA Lagrangian per layer",
        "−Σ Z⊙D′⊙ΔZ / η",
    ),
];

/// Parse a published-layout CSV (`,K=1,...` / `Layer l,...`) into series.
pub fn parse_layer_csv(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .skip(1)
                .filter_map(|v| v.parse().ok())
                .collect()
        })
        .collect()
}

/// Lines per layer against the step index j of the CSV's `K=j` columns.
pub struct LayerLines<'a> {
    /// Published-layout CSV text.
    pub csv: &'a str,
    /// Caption.
    pub title: String,
    /// y description.
    pub y_desc: &'a str,
    /// x description.
    pub x_desc: &'a str,
    /// Names of the series (default `layer l`).
    pub names: Option<Vec<String>>,
}

fn log_range(values: impl Iterator<Item = f64> + Clone) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .clone()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    (lo > 0.0 && hi / lo > 100.0).then(|| (lo / 2.0, hi * 2.0))
}

impl Plot for LayerLines<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (_top, body) = render::titled(root, &self.title)?;
        let rows = parse_layer_csv(self.csv);
        let series: Vec<Series> = rows
            .iter()
            .enumerate()
            .map(|(l, v)| Series {
                name: self
                    .names
                    .as_ref()
                    .and_then(|n| n.get(l).cloned())
                    .unwrap_or(format!("layer {}", l + 1)),
                color: if rows.len() <= render::LAYER_COLORS.len() {
                    layer_color(l + 1)
                } else {
                    output_color(l)
                },
                points: v
                    .iter()
                    .enumerate()
                    .map(|(j, &y)| ((j + 1) as f64, y))
                    .collect(),
                markers: v.len() <= 60,
                dashed: false,
            })
            .collect();
        let log = log_range(rows.iter().flatten().copied());
        line_panel(
            &body,
            None,
            self.x_desc,
            self.y_desc,
            &series,
            log,
            Legend::Right(150),
        )
    }
}

/// Ten distinguishable colours for the output neurons: the layer palette, then four more.
fn output_color(j: usize) -> RGBColor {
    const MORE: [RGBColor; 4] = [
        RGBColor(0, 0, 0),
        RGBColor(240, 228, 66),
        RGBColor(128, 128, 128),
        RGBColor(150, 60, 40),
    ];
    let j = j % (render::LAYER_COLORS.len() + MORE.len());
    match render::LAYER_COLORS.get(j) {
        Some(&c) => c,
        None => MORE[j - render::LAYER_COLORS.len()],
    }
}

/// The CSV of one history figure (the trainer's published-layout file).
pub fn history_csv(run: &TrainingRun, metric: Metric) -> String {
    layer_csv(run.result.history.get(metric))
}

/// The output activations: the trainer's `output_neuron_activation.csv` (one row per step,
/// one column per output neuron).
pub fn output_activation_csv(run: &TrainingRun) -> String {
    output_csv(&run.result.outputs)
}

/// Output neuron means against the step.
pub struct Outputs<'a> {
    /// `output_neuron_activation.csv` text.
    pub csv: &'a str,
    /// Caption.
    pub title: String,
}

impl Plot for Outputs<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (_top, body) = render::titled(root, &self.title)?;
        let rows: Vec<Vec<f64>> = self
            .csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').filter_map(|v| v.parse().ok()).collect())
            .collect();
        let width = rows.first().map_or(0, |r| r.len().saturating_sub(1));
        let series: Vec<Series> = (0..width)
            .map(|j| Series {
                name: format!("neuron {j}"),
                color: output_color(j),
                points: rows.iter().map(|r| (r[0], r[j + 1])).collect(),
                markers: false,
                dashed: j >= 6,
            })
            .collect();
        line_panel(
            &body,
            None,
            "step k",
            "batch mean of output D",
            &series,
            None,
            Legend::Right(150),
        )
    }
}

/// Rows (layer, k, ‖Z‖_F, step entropy, knowledge flow, Tensor Net, entropy-minimum flag,
/// Net-crossing flag) for the scatter figures, k = 1..K−1.
pub fn scatter_data(run: &TrainingRun) -> Csv {
    let h = &run.result.history;
    let z = h.get(Metric::ZNorm);
    let e = h.get(Metric::StepEntropy);
    let f = h.get(Metric::KnowledgeFlow);
    let n = h.get(Metric::TensorNet);
    let mut csv = Csv::new(&[
        "layer",
        "k",
        "z_norm",
        "step_entropy",
        "knowledge_flow",
        "tensor_net",
        "entropy_minimum",
        "net_zero_crossing",
    ]);
    for (l, s) in run.result.summaries.iter().enumerate() {
        let crossings: Vec<usize> = s.net_zero_crossings.iter().map(|c| c.k).collect();
        for j in 0..e[l].len() {
            let k = j + 1;
            csv.push(vec![
                (l + 1).into(),
                k.into(),
                z[l][k].into(),
                e[l][j].into(),
                f[l][j].into(),
                n[l][j].into(),
                usize::from(s.entropy_min.k == k).into(),
                usize::from(crossings.contains(&k)).into(),
            ]);
        }
    }
    csv
}

/// Which scatter: entropy vs ‖Z‖ (2503 Fig. 6), ‖Z‖ vs knowledge flow (2504 Fig. 3), Tensor Net
/// vs ‖Z‖ (2504 Fig. 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScatterKind {
    /// x = ‖Z‖_F, y = step entropy, colour = step.
    EntropyVsZ,
    /// x = ‖Z‖_F, y = knowledge flow, entropy minima marked.
    Phase,
    /// x = ‖Z‖_F, y = Tensor Net, entropy minima and Net zero crossings marked.
    NetVsZ,
}

/// A 2 × 2 panel, one layer each, drawn from [`scatter_data`].
pub struct Scatter<'a> {
    /// The data.
    pub csv: &'a Csv,
    /// Caption.
    pub title: String,
    /// Which quantities.
    pub kind: ScatterKind,
}

/// Colour of step k of K on a dark-blue → yellow ramp.
fn step_color(k: f64, kmax: f64) -> RGBColor {
    let t = (k / kmax.max(1.0)).clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(lerp(40.0, 240.0), lerp(40.0, 200.0), lerp(140.0, 30.0))
}

impl Plot for Scatter<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (top, body) = render::titled(root, &self.title)?;
        let c = |name: &str| self.csv.column(name);
        let (layer, k, z) = (c("layer"), c("k"), c("z_norm"));
        let y = match self.kind {
            ScatterKind::EntropyVsZ => c("step_entropy"),
            ScatterKind::Phase => c("knowledge_flow"),
            ScatterKind::NetVsZ => c("tensor_net"),
        };
        let (emin, cross) = (c("entropy_minimum"), c("net_zero_crossing"));
        let y_desc = match self.kind {
            ScatterKind::EntropyVsZ => "step entropy H_k",
            ScatterKind::Phase => "knowledge flow ‖ΔZ‖/η",
            ScatterKind::NetVsZ => "Tensor Net",
        };
        let kmax = k.iter().fold(0.0_f64, |m, &v| m.max(v));
        let layers = layer.iter().fold(0.0_f64, |m, &v| m.max(v)) as usize;
        let panels = body.split_evenly((2, 2));
        for (p, area) in panels.iter().enumerate().take(layers.min(4)) {
            let l = (p + 1) as f64;
            let idx: Vec<usize> = (0..layer.len()).filter(|&i| layer[i] == l).collect();
            let xr = render::padded_range(idx.iter().map(|&i| z[i]), 0.06);
            let yr = render::padded_range(idx.iter().map(|&i| y[i]), 0.08);
            let mut chart = ChartBuilder::on(area)
                .caption(format!("layer {}", p + 1), (render::FONT, render::LABEL))
                .margin(8)
                .x_label_area_size(40)
                .y_label_area_size(70)
                .build_cartesian_2d(xr, yr)
                .map_err(render::err)?;
            chart
                .configure_mesh()
                .x_desc("‖Z‖_F")
                .y_desc(y_desc)
                .axis_desc_style((render::FONT, render::TICK))
                .label_style((render::FONT, render::TICK - 2))
                .x_labels(5)
                .y_labels(5)
                .light_line_style(WHITE.mix(0.0))
                .draw()
                .map_err(render::err)?;
            let path: Vec<(f64, f64)> = idx.iter().map(|&i| (z[i], y[i])).collect();
            chart
                .draw_series(LineSeries::new(path, BLACK.mix(0.25).stroke_width(1)))
                .map_err(render::err)?;
            chart
                .draw_series(
                    idx.iter()
                        .map(|&i| Circle::new((z[i], y[i]), 4, step_color(k[i], kmax).filled())),
                )
                .map_err(render::err)?;
            if self.kind != ScatterKind::EntropyVsZ {
                chart
                    .draw_series(
                        idx.iter().filter(|&&i| emin[i] > 0.0).map(|&i| {
                            Cross::new((z[i], y[i]), 9, RGBColor(200, 0, 0).stroke_width(3))
                        }),
                    )
                    .map_err(render::err)?;
            }
            if self.kind == ScatterKind::NetVsZ {
                chart
                    .draw_series(idx.iter().filter(|&&i| cross[i] > 0.0).map(|&i| {
                        TriangleMarker::new((z[i], y[i]), 8, RGBColor(0, 120, 0).filled())
                    }))
                    .map_err(render::err)?;
            }
        }
        // Key: colour ramp and markers, in the caption strip.
        let key = match self.kind {
            ScatterKind::EntropyVsZ => "colour: step k (dark early → yellow late)".to_string(),
            ScatterKind::Phase => "colour: step k; red ×: entropy minimum".to_string(),
            ScatterKind::NetVsZ => {
                "colour: step k; red ×: entropy minimum; green ▲: Net zero crossing".to_string()
            }
        };
        top.draw(&Text::new(
            key,
            (16, 34),
            (render::FONT, render::TICK - 3)
                .into_font()
                .color(&BLACK.mix(0.8)),
        ))
        .map_err(render::err)?;
        Ok(())
    }
}

/// A layer × step heatmap of one published-layout history.
pub struct Heatmap<'a> {
    /// Published-layout CSV text.
    pub csv: &'a str,
    /// Caption.
    pub title: String,
    /// Colour-bar description.
    pub value_desc: &'a str,
}

/// A diverging colour: blue (negative) → white (0) → red (positive), scaled by `max_abs`.
fn diverging(v: f64, max_abs: f64) -> RGBColor {
    let t = (v / max_abs.max(1e-300)).clamp(-1.0, 1.0);
    let mix = |a: f64, b: f64, s: f64| (a + (b - a) * s).round() as u8;
    if t < 0.0 {
        let s = -t;
        RGBColor(
            mix(255.0, 33.0, s),
            mix(255.0, 102.0, s),
            mix(255.0, 172.0, s),
        )
    } else {
        RGBColor(
            mix(255.0, 178.0, t),
            mix(255.0, 24.0, t),
            mix(255.0, 43.0, t),
        )
    }
}

impl Plot for Heatmap<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (_top, body) = render::titled(root, &self.title)?;
        let (main, bar) = body.split_horizontally(body.dim_in_pixel().0 - 160);
        let rows = parse_layer_csv(self.csv);
        let steps = rows.iter().map(Vec::len).max().unwrap_or(0);
        let max_abs = rows.iter().flatten().fold(0.0_f64, |m, v| m.max(v.abs()));
        let nl = rows.len();
        let mut chart = ChartBuilder::on(&main)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(0.5..(steps as f64 + 0.5), 0.5..(nl as f64 + 0.5))
            .map_err(render::err)?;
        chart
            .configure_mesh()
            .x_desc("update k")
            .y_desc("layer")
            .axis_desc_style((render::FONT, render::LABEL))
            .label_style((render::FONT, render::TICK))
            .y_labels(nl)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_label_formatter(&render::int)
            .disable_mesh()
            .draw()
            .map_err(render::err)?;
        chart
            .draw_series(rows.iter().enumerate().flat_map(|(l, r)| {
                r.iter().enumerate().map(move |(j, &v)| {
                    let (x, y) = ((j + 1) as f64, (l + 1) as f64);
                    Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        diverging(v, max_abs).filled(),
                    )
                })
            }))
            .map_err(render::err)?;
        // Colour bar.
        let mut cb = ChartBuilder::on(&bar)
            .margin_top(24)
            .margin_bottom(60)
            .margin_left(16)
            .margin_right(8)
            .y_label_area_size(0)
            .right_y_label_area_size(90)
            .build_cartesian_2d(0.0..1.0, -max_abs..max_abs)
            .map_err(render::err)?;
        cb.configure_mesh()
            .disable_x_axis()
            .disable_mesh()
            .y_desc(self.value_desc)
            .axis_desc_style((render::FONT, render::TICK))
            .label_style((render::FONT, render::TICK - 3))
            .y_labels(5)
            .draw()
            .map_err(render::err)?;
        let n = 100;
        cb.draw_series((0..n).map(|i| {
            let a = -max_abs + 2.0 * max_abs * i as f64 / n as f64;
            let b = a + 2.0 * max_abs / n as f64;
            Rectangle::new(
                [(0.0, a), (1.0, b)],
                diverging(0.5 * (a + b), max_abs).filled(),
            )
        }))
        .map_err(render::err)?;
        Ok(())
    }
}
