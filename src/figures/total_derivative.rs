//! Figure `ska_total_derivative`: the SKA Lagrangian L(t) and dF/dt overlaid along a
//! trajectory, with F = softplus(z) − zσ(z) = ln 2 · H_Shannon(σ(z)) below.
//!
//! L = −zσ(z)(1−σ(z))ż is evaluated directly; dF/dt by AD of F along the path (a dual number
//! in t); H in bits from its definition −p log₂ p − (1−p) log₂(1−p), p = σ(z). The two curves
//! coincide because L is a total time derivative — the reason its Euler–Lagrange residual
//! vanishes identically.

use super::output::Csv;
use super::render::{self, Corner, Legend, Plot, SERIES_COLORS, Series, line_panel};
use crate::mechanics::systems::{SkaNeuron, ska_potential};
use crate::mechanics::trajectory::Fourier;
use crate::mechanics::{Lagrangian, Trajectory, jet};
use crate::scalar::{sigmoid, softplus};
use num_dual::Dual64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The path z(t) = 0.5 + 3 sin(1.3 t) − cos(2.6 t), t ∈ [0, 6].
pub fn path() -> Fourier {
    Fourier {
        omega: 1.3,
        cos: vec![vec![0.5, 0.0, -1.0]],
        sin: vec![vec![0.0, 3.0, 0.0]],
    }
}

/// The data: t, z, L, dF/dt, F and ln 2 · H_bits at 241 times.
pub fn data() -> Csv {
    let z = path();
    let mut csv = Csv::new(&["t", "z", "L", "dF_dt", "F", "ln2_H_bits"]);
    for i in 0..=240 {
        let t = 6.0 * i as f64 / 240.0;
        let j = jet(&z, t);
        let l: f64 = SkaNeuron.lagrangian(t, &j.q, &j.qdot);
        let zt = z.position(Dual64::new(t, 1.0))[0];
        let f = ska_potential(zt);
        let zr = j.q[0];
        let (p, q) = (sigmoid(zr), sigmoid(-zr));
        let h_bits = (p * softplus(-zr) + q * softplus(zr)) / std::f64::consts::LN_2;
        csv.push(vec![
            t.into(),
            zr.into(),
            l.into(),
            f.eps.into(),
            f.re.into(),
            (std::f64::consts::LN_2 * h_bits).into(),
        ]);
    }
    csv
}

/// The picture: L and dF/dt (top), F and ln 2·H (bottom).
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
        let (upper, lower) = body.split_vertically(300);
        let t = self.csv.column("t");
        let col = |name: &str| -> Vec<(f64, f64)> {
            t.iter().copied().zip(self.csv.column(name)).collect()
        };
        let every4 = |v: Vec<(f64, f64)>| v.into_iter().step_by(4).collect::<Vec<_>>();
        line_panel(
            &upper,
            None,
            "t",
            "L and dF/dt",
            &[
                Series {
                    name: "L = −zσ(z)(1−σ(z))z′".into(),
                    color: SERIES_COLORS[1],
                    points: col("L"),
                    markers: false,
                    dashed: false,
                },
                Series {
                    name: "dF/dt (AD), F = softplus(z) − zσ(z)".into(),
                    color: SERIES_COLORS[2],
                    points: every4(col("dF_dt")),
                    markers: true,
                    dashed: true,
                },
            ],
            None,
            Legend::Inside(Corner::UpperRight),
        )?;
        line_panel(
            &lower,
            None,
            "t",
            "F and ln 2 · H(σ(z))",
            &[
                Series {
                    name: "F(z(t))".into(),
                    color: SERIES_COLORS[3],
                    points: col("F"),
                    markers: false,
                    dashed: false,
                },
                Series {
                    name: "ln 2 · H_bits(σ(z(t)))".into(),
                    color: SERIES_COLORS[4],
                    points: every4(col("ln2_H_bits")),
                    markers: true,
                    dashed: true,
                },
            ],
            None,
            Legend::Inside(Corner::LowerMiddle),
        )?;
        Ok(())
    }
}
