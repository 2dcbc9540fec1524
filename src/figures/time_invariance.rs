//! Figures `time_invariance` and `time_invariance_deviation`: runs with equal η·K compared on
//! the clock t = η·k (arXiv 2504.03214's characteristic-time claim), from the study in
//! [`crate::ska::time_invariance`].
//!
//! The first shows entropy/η and the cosine of every layer against t for the six (η, K) pairs;
//! the second the relative deviation of each quantity from the finest run against η on log-log
//! axes, whose slope is the observed convergence order. The raw step entropy scales with η and
//! is shown in the second figure as the quantity that is *not* invariant.

use super::output::{Cell, Csv};
use super::render::{self, Plot, Series};
use crate::error::Result;
use crate::ska::data::Dataset;
use crate::ska::time_invariance::{DEFAULT_PAIRS, Quantity, StudyReport, study};
use crate::ska::{Network, UpdateRule};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Horizon t ≤ 0.5 of the comparison (the default of `ska-verify time-invariance`).
pub const HORIZON: f64 = 0.5;

/// Run the study with the default pairs.
pub fn run_study(data: &Dataset, initial: &Network<f64>) -> Result<StudyReport> {
    study::<f32>(
        data,
        initial,
        &DEFAULT_PAIRS,
        HORIZON,
        UpdateRule::Reference,
    )
}

/// Curves: one row per (η, K, quantity, layer, k): t and the value (entropy/η and cosine).
pub fn curves(report: &StudyReport) -> Csv {
    let mut csv = Csv::new(&["eta", "K", "quantity", "layer", "k", "t", "value"]);
    for r in &report.runs {
        for q in [Quantity::EntropyOverEta, Quantity::Cosine] {
            for l in 0..r.layers() {
                for &(k, t, v) in r.points(q, l) {
                    csv.push(vec![
                        r.eta.into(),
                        r.k.into(),
                        q.name().into(),
                        (l + 1).into(),
                        k.into(),
                        t.into(),
                        v.into(),
                    ]);
                }
            }
        }
    }
    csv
}

/// Deviations: one row per (quantity, η): the relative deviation from the finest run, and the
/// quantity's observed order.
pub fn deviations(report: &StudyReport) -> Csv {
    let mut csv = Csv::new(&["quantity", "eta", "K", "relative_deviation", "order"]);
    for d in &report.deviations {
        let order = report
            .orders
            .iter()
            .find(|o| o.quantity == d.quantity)
            .map_or(f64::NAN, |o| o.order);
        csv.push(vec![
            d.quantity.name().into(),
            d.eta.into(),
            d.k.into(),
            d.relative.into(),
            order.into(),
        ]);
    }
    csv
}

fn eta_color(i: usize, n: usize) -> RGBColor {
    let t = i as f64 / (n.max(2) - 1) as f64;
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(230.0, 20.0), mix(120.0, 40.0), mix(20.0, 140.0))
}

/// 2 × 4 panels: entropy/η (top) and cosine (bottom) per layer, one line per (η, K).
pub struct Curves<'a> {
    /// The data ([`curves`]).
    pub csv: &'a Csv,
    /// Caption.
    pub title: String,
}

fn text(c: &Cell) -> &str {
    match c {
        Cell::Text(s) => s,
        _ => "",
    }
}

impl Plot for Curves<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (_top, body) = render::titled(root, &self.title)?;
        let (grid, legend) = body.split_horizontally(body.dim_in_pixel().0 - 190);
        let eta = self.csv.column("eta");
        let kk = self.csv.column("K");
        let layer = self.csv.column("layer");
        let (t, v) = (self.csv.column("t"), self.csv.column("value"));
        let mut runs: Vec<(f64, f64)> = Vec::new();
        for i in 0..eta.len() {
            if !runs.contains(&(eta[i], kk[i])) {
                runs.push((eta[i], kk[i]));
            }
        }
        let nl = layer.iter().fold(0.0_f64, |m, &x| m.max(x)) as usize;
        let panels = grid.split_evenly((2, nl.max(1)));
        for (qi, q) in ["entropy/eta", "cosine"].iter().enumerate() {
            for l in 1..=nl {
                let series: Vec<Series> = runs
                    .iter()
                    .enumerate()
                    .map(|(ri, &(e, k))| Series {
                        name: format!("η = {e}, K = {k}"),
                        color: eta_color(ri, runs.len()),
                        points: (0..eta.len())
                            .filter(|&i| {
                                eta[i] == e
                                    && layer[i] == l as f64
                                    && text(&self.csv.rows[i][2]) == *q
                                    && t[i] <= HORIZON
                            })
                            .map(|i| (t[i], v[i]))
                            .collect(),
                        markers: false,
                        dashed: false,
                    })
                    .collect();
                let area = &panels[qi * nl + l - 1];
                let what = if *q == "cosine" { "cosine" } else { "H_k/η" };
                compact_panel(area, &format!("layer {l}: {what}"), &series)?;
            }
        }
        let items: Vec<Series> = runs
            .iter()
            .enumerate()
            .map(|(ri, &(e, k))| Series {
                name: format!("η={e}, K={k}"),
                color: eta_color(ri, runs.len()),
                points: vec![],
                markers: false,
                dashed: false,
            })
            .collect();
        render::draw_legend(&legend, &items)
    }
}

/// Compact tick label: 3 significant digits, scientific beyond 10⁴.
fn compact(v: &f64) -> String {
    if *v != 0.0 && (v.abs() >= 1e4 || v.abs() < 1e-2) {
        format!("{v:.1e}")
    } else {
        format!("{v:.2}")
    }
}

/// A small panel: caption, 3 x ticks, 5 y ticks, no axis descriptions.
fn compact_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    series: &[Series],
) -> std::result::Result<(), String>
where
    DB::ErrorType: 'static,
{
    let xr = render::padded_range(
        series.iter().flat_map(|s| s.points.iter().map(|p| p.0)),
        0.0,
    );
    let yr = render::padded_range(
        series.iter().flat_map(|s| s.points.iter().map(|p| p.1)),
        0.06,
    );
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (render::FONT, render::TICK))
        .margin(6)
        .x_label_area_size(28)
        .y_label_area_size(58)
        .build_cartesian_2d(xr, yr)
        .map_err(render::err)?;
    chart
        .configure_mesh()
        .x_labels(3)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&compact)
        .label_style((render::FONT, render::TICK - 4))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(render::err)?;
    for s in series {
        chart
            .draw_series(LineSeries::new(s.points.clone(), s.color.stroke_width(2)))
            .map_err(render::err)?;
    }
    Ok(())
}

/// Relative deviation against η, log-log, one line per quantity.
pub struct Deviations<'a> {
    /// The data ([`deviations`]).
    pub csv: &'a Csv,
    /// Caption.
    pub title: String,
}

impl Plot for Deviations<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (_top, body) = render::titled(root, &self.title)?;
        let eta = self.csv.column("eta");
        let dev = self.csv.column("relative_deviation");
        let order = self.csv.column("order");
        let mut names: Vec<String> = Vec::new();
        for r in &self.csv.rows {
            let n = text(&r[0]).to_string();
            if !names.contains(&n) {
                names.push(n);
            }
        }
        let (xlo, xhi) = eta
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(a, b), &e| (a.min(e), b.max(e)));
        let pos: Vec<f64> = dev.iter().copied().filter(|d| *d > 0.0).collect();
        let ylo = pos.iter().cloned().fold(f64::INFINITY, f64::min);
        let yhi = pos.iter().cloned().fold(0.0_f64, f64::max);
        let (plot, legend) = body.split_horizontally(body.dim_in_pixel().0 - 360);
        let mut chart = ChartBuilder::on(&plot)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(80)
            .build_cartesian_2d(
                (xlo / 1.5..xhi * 1.5).log_scale(),
                (ylo / 3.0..yhi * 3.0).log_scale(),
            )
            .map_err(render::err)?;
        chart
            .configure_mesh()
            .x_desc("η (each run: K = t_end / η)")
            .y_desc("max relative deviation from the finest run")
            .axis_desc_style((render::FONT, render::LABEL))
            .label_style((render::FONT, render::TICK))
            .x_label_formatter(&|v| format!("{v:.0e}"))
            .y_label_formatter(&render::sci)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(render::err)?;
        let mut items = Vec::new();
        for (c, n) in names.iter().enumerate() {
            let color = render::SERIES_COLORS[c % render::SERIES_COLORS.len()];
            let idx: Vec<usize> = (0..eta.len())
                .filter(|&i| text(&self.csv.rows[i][0]) == n && dev[i] > 0.0)
                .collect();
            let pts: Vec<(f64, f64)> = idx.iter().map(|&i| (eta[i], dev[i])).collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
                .map_err(render::err)?;
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))
                .map_err(render::err)?;
            let o = idx.first().map_or(f64::NAN, |&i| order[i]);
            let what = if n == "entropy" { " (∝ η)" } else { "" };
            items.push(Series {
                name: format!("{n}: order {o:.2}{what}"),
                color,
                points: vec![],
                markers: false,
                dashed: false,
            });
        }
        render::draw_legend(&legend, &items)
    }
}
