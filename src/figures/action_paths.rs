//! Figure `action_paths`: the action S = ∫ L dt over many random paths with shared end points.
//!
//! For SKA every path gives the same value, S = F(z(T)) − F(z(0)) with
//! F = softplus(z) − zσ(z): the action of a total time derivative depends on the end points
//! only, so "least action" selects nothing. For a regular Lagrangian (the unit oscillator) the
//! action varies from path to path and is stationary only on the true motion.
//!
//! Paths: z(t) = a + (b − a) t/T + Σₖ cₖ sin(kπt/T), k = 1..4, cₖ uniform in [−2/k, 2/k];
//! S by composite 5-point Gauss–Legendre quadrature on 64 panels.

use super::output::{Cell, Csv};
use super::render::{self, LABEL, LEGEND, Plot, SERIES_COLORS, TICK, err};
use crate::mechanics::systems::{HarmonicOscillator, SkaNeuron, ska_potential};
use crate::mechanics::{Lagrangian, Trajectory, jet};
use crate::scalar::Scalar;
use plotters::coord::Shift;
use plotters::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// End points z(0) = A, z(T) = B and the duration T.
pub const A: f64 = -1.0;
/// End value.
pub const B: f64 = 2.0;
/// Duration.
pub const T: f64 = 1.0;

/// A path with fixed end points and random sine bumps.
#[derive(Debug, Clone)]
pub struct BumpPath {
    /// Bump amplitudes cₖ.
    pub c: Vec<f64>,
}

impl Trajectory for BumpPath {
    fn dof(&self) -> usize {
        1
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        let mut z = t * ((B - A) / T) + A;
        for (k, &ck) in self.c.iter().enumerate() {
            z += (t * (std::f64::consts::PI * (k + 1) as f64 / T)).sin() * ck;
        }
        vec![z]
    }
}

/// ∫₀ᵀ L(t, q, q̇) dt by composite Gauss–Legendre (5 nodes × 64 panels).
pub fn action<L: Lagrangian, X: Trajectory>(lag: &L, path: &X) -> f64 {
    const X5: [f64; 5] = [
        -0.906_179_845_938_664,
        -0.538_469_310_105_683,
        0.0,
        0.538_469_310_105_683,
        0.906_179_845_938_664,
    ];
    const W5: [f64; 5] = [
        0.236_926_885_056_189,
        0.478_628_670_499_366,
        0.568_888_888_888_889,
        0.478_628_670_499_366,
        0.236_926_885_056_189,
    ];
    let panels = 64;
    let h = T / panels as f64;
    let mut s = 0.0;
    for p in 0..panels {
        let mid = (p as f64 + 0.5) * h;
        for (x, w) in X5.iter().zip(W5) {
            let t = mid + 0.5 * h * x;
            let j = jet(path, t);
            let l: f64 = lag.lagrangian(t, &j.q, &j.qdot);
            s += 0.5 * h * w * l;
        }
    }
    s
}

/// The data: one row per (system, path): the action and, for SKA, F(B) − F(A).
pub fn data(paths: usize, seed: u64) -> Csv {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let predicted = ska_potential(B) - ska_potential(A);
    let mut csv = Csv::new(&["system", "path", "action", "endpoint_prediction"]);
    let ho = HarmonicOscillator::default();
    for k in 0..paths {
        let c: Vec<f64> = (1..=4)
            .map(|k| rng.random_range(-2.0..=2.0) / k as f64)
            .collect();
        let path = BumpPath { c };
        csv.push(vec![
            "SKA neuron".into(),
            k.into(),
            action(&SkaNeuron, &path).into(),
            predicted.into(),
        ]);
        csv.push(vec![
            "harmonic oscillator".into(),
            k.into(),
            action(&ho, &path).into(),
            f64::NAN.into(),
        ]);
    }
    csv
}

/// The picture: left, the actions of both systems; right, SKA's deviation from F(B) − F(A).
pub struct Figure<'a> {
    /// The data.
    pub csv: &'a Csv,
    /// Caption.
    pub title: String,
}

impl Plot for Figure<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let (_top, body) = render::titled(root, &self.title)?;
        let (left, right) = body.split_horizontally(560);
        let sys: Vec<String> = self
            .csv
            .rows
            .iter()
            .map(|r| match &r[0] {
                Cell::Text(t) => t.clone(),
                _ => String::new(),
            })
            .collect();
        let path = self.csv.column("path");
        let s = self.csv.column("action");
        let pred = self.csv.column("endpoint_prediction");
        let n = path.iter().fold(0.0_f64, |m, &v| m.max(v)) + 1.0;
        let (lo, hi) = s
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let pad = 0.08 * (hi - lo).max(1e-9);
        let mut chart = ChartBuilder::on(&left)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..n, (lo - pad)..(hi + 3.0 * pad))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("path (index), all with z(0) = −1, z(1) = 2")
            .y_desc("action S = ∫ L dt")
            .x_label_formatter(&render::int)
            .axis_desc_style((render::FONT, LABEL))
            .label_style((render::FONT, TICK))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (c, name) in ["harmonic oscillator", "SKA neuron"].iter().enumerate() {
            let color = SERIES_COLORS[c + 1];
            let pts: Vec<(f64, f64)> = (0..s.len())
                .filter(|&i| sys[i] == *name)
                .map(|i| (path[i], s[i]))
                .collect();
            chart
                .draw_series(
                    pts.into_iter()
                        .map(move |p| Circle::new(p, 3, color.filled())),
                )
                .map_err(err)?
                .label(*name)
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font((render::FONT, LEGEND))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(err)?;

        // Right: |S − (F(B) − F(A))| for SKA, log scale.
        let dev: Vec<(f64, f64)> = (0..s.len())
            .filter(|&i| sys[i] == "SKA neuron")
            .map(|i| (path[i], (s[i] - pred[i]).abs().max(1e-18)))
            .collect();
        let mut chart = ChartBuilder::on(&right)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..n, (1e-18..1e-6).log_scale())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("path (index)")
            .y_desc("SKA: |S − (F(2) − F(−1))|, 0 at 1e-18")
            .x_labels(4)
            .x_label_formatter(&render::int)
            .axis_desc_style((render::FONT, LABEL))
            .label_style((render::FONT, TICK))
            .y_label_formatter(&render::sci)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let color = SERIES_COLORS[2];
        chart
            .draw_series(
                dev.into_iter()
                    .map(move |p| Circle::new(p, 3, color.filled())),
            )
            .map_err(err)?;
        Ok(())
    }
}
