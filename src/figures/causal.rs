//! Figure `causal_structure`: the layer × layer dependency matrices of SKA and of
//! backpropagation side by side — the picture of the seed paper's Table 1.
//!
//! Entry (l, m) is max |∂ΔW^(l)/∂W^(m)| over iterations and random directions, computed exactly
//! with dual numbers by the causality checker ([`crate::ska::causality`]); the last column is
//! the dependence on the labels. SKA's matrix is lower-triangular with exact zeros above the
//! diagonal and in the label column (each layer's update reads only current, local state);
//! backpropagation's is full (downstream layers and the output error enter every update).

use super::output::{Cell, Csv};
use super::render::{self, Plot};
use crate::error::Result;
use crate::ska::causality::{CheckOptions, TrainerKind, check_trainer};
use crate::ska::data::Dataset;
use crate::ska::{Network, TrainConfig, UpdateRule};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Iterations of the causality runs behind the figure.
pub const K: usize = 10;

/// The data: one row per (trainer, layer l, dependence on): the dependency value.
pub fn data(data: &Dataset, initial: &Network<f64>) -> Result<Csv> {
    let config = TrainConfig {
        k: K,
        eta: 0.01,
        rule: UpdateRule::Reference,
    };
    let mut csv = Csv::new(&["trainer", "layer", "depends_on", "max_abs_derivative"]);
    for (kind, name) in [
        (TrainerKind::Ska, "SKA"),
        (TrainerKind::Backprop, "backprop"),
    ] {
        let r = check_trainer::<f32>(kind, data, initial, config, &CheckOptions::default())?;
        for (l, row) in r.dependency_matrix.iter().enumerate() {
            for (m, &v) in row.iter().enumerate() {
                csv.push(vec![
                    name.into(),
                    (l + 1).into(),
                    format!("W{}", m + 1).into(),
                    v.into(),
                ]);
            }
            csv.push(vec![
                name.into(),
                (l + 1).into(),
                "labels".into(),
                r.label_dependency[l].into(),
            ]);
        }
    }
    Ok(csv)
}

/// The picture: two annotated matrices, white for exact zeros, colour by log₁₀ of the value.
pub struct Figure<'a> {
    /// The data.
    pub csv: &'a Csv,
    /// Caption.
    pub title: String,
}

fn shade(v: f64, lo: f64, hi: f64) -> RGBColor {
    if v == 0.0 {
        return WHITE;
    }
    let t = ((v.log10() - lo) / (hi - lo).max(1e-9)).clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(222.0, 8.0), mix(235.0, 48.0), mix(247.0, 107.0))
}

impl Plot for Figure<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (_top, body) = render::titled(root, &self.title)?;
        let text = |r: &Vec<Cell>, j: usize| match &r[j] {
            Cell::Text(s) => s.clone(),
            _ => String::new(),
        };
        let values = self.csv.column("max_abs_derivative");
        let layers = self.csv.column("layer");
        let nl = layers.iter().fold(0.0_f64, |m, &v| m.max(v)) as usize;
        let logs: Vec<f64> = values
            .iter()
            .filter(|v| **v > 0.0)
            .map(|v| v.log10())
            .collect();
        let lo = logs.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = logs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let panels = body.split_evenly((1, 2));
        for (p, trainer) in ["SKA", "backprop"].iter().enumerate() {
            let cols: Vec<String> = (1..=nl)
                .map(|m| format!("W{m}"))
                .chain(["labels".into()])
                .collect();
            let mut chart = ChartBuilder::on(&panels[p])
                .caption(
                    format!("{trainer}: max |∂ΔW_l / ∂(·)|"),
                    (render::FONT, render::LABEL),
                )
                .margin(16)
                .x_label_area_size(56)
                .y_label_area_size(70)
                .build_cartesian_2d(0.5..(cols.len() as f64 + 0.5), (nl as f64 + 0.5)..0.5)
                .map_err(render::err)?;
            let colnames = cols.clone();
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(cols.len())
                .y_labels(nl)
                .x_label_formatter(&|v| {
                    let i = v.round() as usize;
                    colnames.get(i.wrapping_sub(1)).cloned().unwrap_or_default()
                })
                .y_label_formatter(&|v| format!("ΔW{:.0}", v))
                .x_desc("dependence on")
                .y_desc("update of layer")
                .axis_desc_style((render::FONT, render::TICK))
                .label_style((render::FONT, render::TICK))
                .draw()
                .map_err(render::err)?;
            for (i, r) in self.csv.rows.iter().enumerate() {
                if text(r, 0) != *trainer {
                    continue;
                }
                let l = layers[i];
                let name = text(r, 2);
                let m = cols.iter().position(|c| *c == name).unwrap_or(0) as f64 + 1.0;
                let v = values[i];
                let fill = shade(v, lo, hi);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(m - 0.5, l - 0.5), (m + 0.5, l + 0.5)],
                        fill.filled(),
                    )))
                    .map_err(render::err)?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(m - 0.5, l - 0.5), (m + 0.5, l + 0.5)],
                        BLACK.mix(0.3).stroke_width(1),
                    )))
                    .map_err(render::err)?;
                let label = if v == 0.0 {
                    "0".to_string()
                } else {
                    format!("{v:.1e}")
                };
                let dark = v > 0.0 && (v.log10() - lo) / (hi - lo).max(1e-9) > 0.55;
                let color = if dark { WHITE } else { BLACK };
                chart
                    .draw_series(std::iter::once(Text::new(
                        label,
                        (m - 0.36, l - 0.08),
                        (render::FONT, render::TICK - 3).into_font().color(&color),
                    )))
                    .map_err(render::err)?;
            }
        }
        Ok(())
    }
}
