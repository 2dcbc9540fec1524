//! Figure `el_residuals`: Euler–Lagrange residual magnitudes on many random trajectories —
//! SKA against non-null controls (seed paper eq. 9; the residual of a null Lagrangian vanishes
//! on every path, that of a genuine Lagrangian does not).
//!
//! Each point is one random trajectory's norm-wise relative residual
//! max|r| / max(|d/dt ∂L/∂q̇| + |∂L/∂q|) over 8 times in [−1, 1]. Exact zeros are drawn at the
//! floor of the log axis ([`FLOOR`]) and kept as 0 in the CSV.

use super::output::{Cell, Csv};
use super::render::{self, LABEL, LEGEND, Plot, SERIES_COLORS, TICK, err};
use crate::mechanics::systems::{
    ChargedParticle, HarmonicOscillator, Pendulum, SkaLayer, SkaNeuron,
};
use crate::mechanics::trajectory::RandomTrajectory;
use crate::mechanics::{Lagrangian, euler_lagrange, normwise_relative};
use crate::verify::{HOLDS_TOLERANCE, REFUTE_THRESHOLD};
use plotters::coord::Shift;
use plotters::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Where exact zeros are drawn on the log axis.
pub const FLOOR: f64 = 1e-18;

fn residuals<L: Lagrangian>(lag: &L, n: usize, seed: u64, scale: f64, csv: &mut Csv) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for k in 0..n {
        let traj = RandomTrajectory::draw(&mut rng, lag.dof(), scale);
        let samples: Vec<_> = (0..8)
            .map(|_| euler_lagrange(lag, &traj, rng.random_range(-1.0..=1.0)))
            .collect();
        let rel = normwise_relative(&samples);
        csv.push(vec![lag.name().into(), k.into(), rel.into()]);
    }
}

/// The data: one row per (system, trajectory).
pub fn data(trajectories: usize, seed: u64) -> Csv {
    let mut csv = Csv::new(&["system", "trajectory", "relative_residual"]);
    residuals(&SkaNeuron, trajectories, seed, 4.0, &mut csv);
    residuals(&SkaLayer { n: 8 }, trajectories, seed, 4.0, &mut csv);
    residuals(
        &HarmonicOscillator::default(),
        trajectories,
        seed,
        1.0,
        &mut csv,
    );
    residuals(&Pendulum::default(), trajectories, seed, 1.0, &mut csv);
    residuals(
        &ChargedParticle::default(),
        trajectories,
        seed,
        1.0,
        &mut csv,
    );
    residuals(
        &ChargedParticle::velocity_linear(2.0),
        trajectories,
        seed,
        1.0,
        &mut csv,
    );
    csv
}

/// The picture, drawn from the CSV alone.
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
        let mut systems: Vec<String> = Vec::new();
        for r in &self.csv.rows {
            if let Cell::Text(s) = &r[0]
                && !systems.contains(s)
            {
                systems.push(s.clone());
            }
        }
        let idx = self.csv.column("trajectory");
        let rel = self.csv.column("relative_residual");
        let n = idx.iter().fold(0.0_f64, |m, &v| m.max(v)) + 1.0;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (render::FONT, render::CAPTION))
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(84)
            .build_cartesian_2d(0.0..n, (FLOOR..10.0).log_scale())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("random trajectory (index)")
            .y_desc("|r| / (|d/dt ∂L/∂q′| + |∂L/∂q|)   (0 drawn at 1e-18)")
            .axis_desc_style((render::FONT, LABEL))
            .label_style((render::FONT, TICK))
            .y_label_formatter(&render::sci)
            .x_label_formatter(&render::int)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (line, label) in [
            (HOLDS_TOLERANCE, "holds below"),
            (REFUTE_THRESHOLD, "refuted above"),
        ] {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(0.0, line), (n, line)],
                    6,
                    4,
                    BLACK.mix(0.5).stroke_width(1),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{label} {line:.0e}"),
                    (n * 0.01, line * 2.5),
                    (render::FONT, TICK).into_font().color(&BLACK.mix(0.7)),
                )))
                .map_err(err)?;
        }
        for (s, name) in systems.iter().enumerate() {
            let color = SERIES_COLORS[s % SERIES_COLORS.len()];
            // Offset each system slightly in x so overlapping clouds stay visible.
            let dx = (s as f64 - systems.len() as f64 / 2.0) * 0.08;
            let pts: Vec<(f64, f64)> = self
                .csv
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| matches!(&r[0], Cell::Text(t) if t == name))
                .map(|(i, _)| (idx[i] + dx, rel[i].max(FLOOR)))
                .collect();
            chart
                .draw_series(
                    pts.into_iter()
                        .map(move |p| Circle::new(p, 3, color.filled())),
                )
                .map_err(err)?
                .label(name.as_str())
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::MiddleRight)
            .label_font((render::FONT, LEGEND))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}
