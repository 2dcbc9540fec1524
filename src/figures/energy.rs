//! Figure `energy`: the energy function h = q̇·∂L/∂q̇ − L along motions.
//!
//! For SKA, h is identically 0 on every path (L is linear in ż, so ż ∂L/∂ż = L): the
//! "learning energy" of seed paper §5.1 is conserved only trivially. For regular,
//! time-independent systems integrated with the adaptive integrator (pendulum, Kepler) h is a
//! non-zero constant up to the integrator's tolerance; for the time-dependent Caldirola–Kanai
//! oscillator (∂L/∂t ≠ 0) it is not conserved — the control.

use super::output::Csv;
use super::render::{self, Legend, Plot, SERIES_COLORS, Series, line_panel};
use crate::error::Result;
use crate::mechanics::systems::{DampedOscillator, Kepler, Pendulum, SkaNeuron};
use crate::mechanics::{IntegratorOptions, Lagrangian, Solution, energy, integrate, jet};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The four motions, in legend order.
pub const NAMES: [&str; 4] = [
    "SKA neuron (any path)",
    "pendulum (integrated)",
    "Kepler e = 0.6 (integrated)",
    "Caldirola–Kanai (integrated)",
];

/// Floor for drawing exact zeros on the log axis.
pub const FLOOR: f64 = 1e-17;

fn push_solution<L: Lagrangian>(csv: &mut Csv, name: &str, lag: &L, sol: &Solution) {
    let h0 = energy(lag, sol.times[0], &sol.q[0], &sol.qdot[0]);
    for k in 0..sol.times.len() {
        let h = energy(lag, sol.times[k], &sol.q[k], &sol.qdot[k]);
        csv.push(vec![
            name.into(),
            sol.times[k].into(),
            h.into(),
            ((h - h0).abs() / h0.abs()).into(),
        ]);
    }
}

/// The data: system, t, h, |h − h(0)| / |h(0)| (for SKA the last column is |h|).
pub fn data() -> Result<Csv> {
    let mut csv = Csv::new(&["system", "t", "h", "relative_drift"]);
    let z = super::total_derivative::path();
    for i in 0..=200 {
        let t = 10.0 * i as f64 / 200.0;
        let j = jet(&z, t);
        let h = energy(&SkaNeuron, t, &j.q, &j.qdot);
        csv.push(vec![NAMES[0].into(), t.into(), h.into(), h.abs().into()]);
    }
    let opts = IntegratorOptions {
        rtol: 1e-11,
        atol: 1e-13,
        ..IntegratorOptions::default()
    };
    let pe = Pendulum::default();
    let sol = integrate(&pe, 0.0, &[2.0], &[0.0], 10.0, opts)?;
    push_solution(&mut csv, NAMES[1], &pe, &sol);
    let ke = Kepler::default();
    let orbit = ke.exact_solution(1.0, 0.6);
    let j = jet(&orbit, 0.0);
    let sol = integrate(&ke, 0.0, &j.q, &j.qdot, 10.0, opts)?;
    push_solution(&mut csv, NAMES[2], &ke, &sol);
    let dm = DampedOscillator::default();
    let x = dm.exact_solution(1.0, 0.0);
    let j = jet(&x, 0.0);
    let sol = integrate(&dm, 0.0, &j.q, &j.qdot, 10.0, opts)?;
    push_solution(&mut csv, NAMES[3], &dm, &sol);
    Ok(csv)
}

/// The picture: h(t) (left) and its relative drift on a log axis (right).
pub struct Figure<'a> {
    /// The data.
    pub csv: &'a Csv,
    /// Caption.
    pub title: String,
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
        let (left, right) = body.split_vertically(300);
        let names = NAMES;
        let t = self.csv.column("t");
        let h = self.csv.column("h");
        let d = self.csv.column("relative_drift");
        let pick = |name: &str, v: &[f64], floor: f64| -> Vec<(f64, f64)> {
            self.csv
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| matches!(&r[0], super::output::Cell::Text(s) if s == name))
                .map(|(i, _)| (t[i], v[i].max(floor)))
                .collect()
        };
        let series = |v: &[f64], floor: f64| -> Vec<Series> {
            names
                .iter()
                .enumerate()
                .map(|(c, n)| Series {
                    name: (*n).into(),
                    color: SERIES_COLORS[c],
                    points: pick(n, v, floor),
                    markers: false,
                    dashed: false,
                })
                .collect()
        };
        line_panel(
            &left,
            None,
            "t",
            "h = q′·∂L/∂q′ − L",
            &series(&h, f64::NEG_INFINITY),
            None,
            Legend::Right(300),
        )?;
        line_panel(
            &right,
            None,
            "t",
            "|h − h(0)|/|h(0)|; SKA: |h|",
            &series(&d, FLOOR),
            Some((FLOOR, 10.0)),
            Legend::Blank(300),
        )?;
        Ok(())
    }
}
