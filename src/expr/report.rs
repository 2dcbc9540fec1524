//! The report of `ska-verify check` — plain data (serializable to JSON) and its text
//! rendering — kept apart from the analysis in [`super::check`] that fills it in.

use crate::mechanics::trajectory::{Fourier, Polynomial, RandomTrajectory};
use serde::Serialize;

/// Null-Lagrangian verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NullVerdict {
    /// Every EL component normalizes to exactly 0.
    Proved,
    /// Numerically zero on every random trajectory; not proved.
    Holds,
    /// Not zero on some trajectory (counterexample given).
    Refuted,
    /// Neither (small but not negligible residuals, or no sample in L's domain).
    Inconclusive,
}

impl std::fmt::Display for NullVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NullVerdict::Proved => "proved",
            NullVerdict::Holds => "holds",
            NullVerdict::Refuted => "refuted",
            NullVerdict::Inconclusive => "inconclusive",
        })
    }
}

/// Where the EL residual is not zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterexample {
    /// The trajectory, in the expression language (usable as `--trajectory`).
    pub trajectory: String,
    /// Time t.
    pub time: f64,
    /// The residual vector r(t).
    pub residual: Vec<f64>,
    /// Norm-wise relative residual along that trajectory.
    pub relative: f64,
}

/// Is L a null Lagrangian (a total time derivative)?
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NullReport {
    /// The verdict.
    pub verdict: NullVerdict,
    /// Why, in words.
    pub reason: String,
    /// Largest norm-wise relative residual over the random trajectories (numeric test only).
    pub max_relative_residual: Option<f64>,
    /// Random trajectories tried (0 when proved symbolically).
    pub trajectories: usize,
    /// Samples skipped because L or its derivatives were not finite there.
    pub skipped_samples: usize,
    /// A refuting sample.
    pub counterexample: Option<Counterexample>,
}

/// Is the energy function conserved along an integrated solution?
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conservation {
    /// `conserved`, `not conserved`, `not applicable` or `failed`.
    pub status: String,
    /// Why.
    pub reason: String,
    /// max |h(t) − h(0)| / max |h|, if integrated.
    pub relative_drift: Option<f64>,
    /// Integration time.
    pub t_end: f64,
    /// Initial q.
    pub q0: Vec<f64>,
    /// Initial q̇.
    pub qdot0: Vec<f64>,
}

/// Does a given trajectory solve the EL equations?
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrajectoryReport {
    /// The trajectory as typed.
    pub trajectory: String,
    /// Time span checked.
    pub span: (f64, f64),
    /// Sample points (finite ones).
    pub points: usize,
    /// Points skipped (non-finite residual).
    pub skipped: usize,
    /// max over samples and components of |rᵢ(t)|.
    pub max_abs_residual: f64,
    /// Time of that maximum.
    pub worst_time: f64,
    /// Norm-wise relative residual along the trajectory.
    pub max_relative_residual: f64,
    /// Whether it solves the EL equations (relative residual ≤ [`SOLVES_TOLERANCE`](super::check::SOLVES_TOLERANCE)).
    pub solves: bool,
}

/// Everything `ska-verify check` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// Coordinate names.
    pub coords: Vec<String>,
    /// L as typed (definitions inlined).
    pub lagrangian: String,
    /// Number of degrees of freedom.
    pub dof: usize,
    /// The EL equations `residual = 0`, in normal form where possible.
    pub euler_lagrange: Vec<String>,
    /// The same in LaTeX.
    pub euler_lagrange_latex: Vec<String>,
    /// Whether every EL component could be normalized.
    pub euler_lagrange_normalized: bool,
    /// Whether the mass matrix had full rank at some sampled state.
    pub regular: bool,
    /// Largest mass-matrix rank seen.
    pub mass_matrix_rank: usize,
    /// Smallest mass-matrix rank seen.
    pub mass_matrix_rank_min: usize,
    /// Whether the rank differed between states.
    pub mass_matrix_rank_varies: bool,
    /// States at which the rank was measured (finite mass matrix).
    pub rank_states: usize,
    /// Whether ∂L/∂t = 0.
    pub time_independent: bool,
    /// Null-Lagrangian verdict.
    pub null_lagrangian: NullReport,
    /// The energy function h = q̇·∂L/∂q̇ − L (normal form).
    pub energy: String,
    /// The same in LaTeX.
    pub energy_latex: String,
    /// Energy conservation along an integrated solution.
    pub energy_conservation: Conservation,
    /// The given trajectory, if any.
    pub trajectory: Option<TrajectoryReport>,
    /// Seed of every random choice.
    pub seed: u64,
}

fn num(x: f64) -> String {
    let s = format!("{x}");
    if x < 0.0 { format!("({s})") } else { s }
}

fn poly_text(c: &[f64]) -> String {
    let mut terms = Vec::new();
    for (k, &a) in c.iter().enumerate() {
        terms.push(match k {
            0 => num(a),
            1 => format!("{}*t", num(a)),
            _ => format!("{}*t^{k}", num(a)),
        });
    }
    terms.join(" + ")
}

fn fourier_text(f: &Fourier, i: usize) -> String {
    let mut terms = vec![num(f.cos[i][0])];
    for k in 1..f.cos[i].len() {
        let w = f.omega * k as f64;
        terms.push(format!("{}*cos({}*t)", num(f.cos[i][k]), num(w)));
        terms.push(format!("{}*sin({}*t)", num(f.sin[i][k]), num(w)));
    }
    terms.join(" + ")
}

/// A random trajectory in the expression language: `x = ...; y = ...`.
pub fn trajectory_text(traj: &RandomTrajectory, coords: &[String]) -> String {
    let comp = |i: usize| match traj {
        RandomTrajectory::Polynomial(Polynomial { coefficients }) => poly_text(&coefficients[i]),
        RandomTrajectory::Fourier(f) => fourier_text(f, i),
        RandomTrajectory::Sum(s) => format!(
            "{} + {}",
            poly_text(&s.0.coefficients[i]),
            fourier_text(&s.1, i)
        ),
    };
    coords
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = {}", comp(i)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The report as readable text.
pub fn render(r: &CheckReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let dofs = if r.dof == 1 { "degree" } else { "degrees" };
    let _ = writeln!(s, "Lagrangian        L = {}", r.lagrangian);
    let _ = writeln!(
        s,
        "coordinates       {} ({} {dofs} of freedom)",
        r.coords.join(", "),
        r.dof
    );
    let _ = writeln!(s, "\nEuler–Lagrange equations  d/dt ∂L/∂q' − ∂L/∂q = 0:");
    for (i, (e, l)) in r
        .euler_lagrange
        .iter()
        .zip(&r.euler_lagrange_latex)
        .enumerate()
    {
        let _ = writeln!(s, "  [{}]  {e}", r.coords[i]);
        let _ = writeln!(s, "        LaTeX: {l}");
    }
    if !r.euler_lagrange_normalized {
        let _ = writeln!(
            s,
            "  (some components are shown unsimplified: too large to normalize)"
        );
    }
    let class = if r.regular { "regular" } else { "degenerate" };
    let varies = if r.mass_matrix_rank_varies {
        format!(
            " (rank varies: {} to {})",
            r.mass_matrix_rank_min, r.mass_matrix_rank
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "\nmass matrix       rank {} of {} (max over {} random states){varies} → {class}",
        r.mass_matrix_rank, r.dof, r.rank_states
    );
    let nl = &r.null_lagrangian;
    let _ = writeln!(s, "null Lagrangian   {} — {}", nl.verdict, nl.reason);
    if let Some(c) = &nl.counterexample {
        let res: Vec<String> = c.residual.iter().map(|x| format!("{x:.6e}")).collect();
        let _ = writeln!(
            s,
            "                  counterexample: residual ({}) at t = {} (relative {:.2e}) on\n                  {}",
            res.join(", "),
            c.time,
            c.relative,
            c.trajectory
        );
    }
    let _ = writeln!(s, "energy function   h = {}", r.energy);
    let _ = writeln!(s, "                  LaTeX: {}", r.energy_latex);
    let _ = writeln!(
        s,
        "time dependence   {}",
        if r.time_independent {
            "none (∂L/∂t = 0)"
        } else {
            "explicit (∂L/∂t ≠ 0 or not proved 0)"
        }
    );
    let c = &r.energy_conservation;
    let _ = writeln!(s, "energy            {}: {}", c.status, c.reason);
    if let Some(t) = &r.trajectory {
        let _ = writeln!(
            s,
            "trajectory        {}\n                  max |residual| {:.3e} at t = {} (relative {:.2e}, {} points on [{}, {}]{}) → {}",
            t.trajectory,
            t.max_abs_residual,
            t.worst_time,
            t.max_relative_residual,
            t.points,
            t.span.0,
            t.span.1,
            if t.skipped > 0 {
                format!(", {} outside the domain", t.skipped)
            } else {
                String::new()
            },
            if t.solves {
                "solves the Euler–Lagrange equations"
            } else {
                "does NOT solve the Euler–Lagrange equations"
            }
        );
    }
    s
}
