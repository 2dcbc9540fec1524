//! The analysis behind `ska-verify check`: everything a researcher wants to know about a typed
//! Lagrangian, symbolic where possible and numeric (exact AD) otherwise, as one report.
//!
//! * Euler–Lagrange equations, energy function: symbolic, in normal form.
//! * Regularity: the AD mass matrix ∂²L/∂q̇² at seeded random states; the largest rank seen.
//! * Null Lagrangian: `proved` when every EL component normalizes to 0; otherwise the AD
//!   residual on seeded random trajectories decides — `holds` if the norm-wise relative
//!   residual stays below [`HOLDS_TOLERANCE`] on every trajectory (zero numerically, not
//!   proved), `refuted` (with a trajectory, a time and the value, printed so it can be pasted
//!   back as `--trajectory`) if one exceeds [`REFUTE_THRESHOLD`] with an absolute residual above
//!   [`ABS_FLOOR`], `inconclusive` otherwise.
//!   Samples outside L's domain (NaN) are skipped, never counted as zero or as a refutation.
//!   A component whose normal form is a nonzero polynomial in the variables alone is refuted
//!   symbolically (a nonzero polynomial is not the zero function), however small it is.
//! * Why a null Lagrangian is null: if L = Σ aᵢ(q,t) q̇ᵢ + b(q,t), it is a total derivative iff
//!   ∂aᵢ/∂qⱼ = ∂aⱼ/∂qᵢ and ∂aᵢ/∂t = ∂b/∂qᵢ; when those normalize to 0 the report says so.
//! * Energy conservation: for regular, time-independent L, integrate from a seeded random state
//!   and report the relative drift of h.

use super::engine::Engine;
use super::graph::{Id, Var};
use super::lagrangian::{ExprLagrangian, ExprTrajectory};
use super::normal::Atom;
use super::print::Style;
use crate::error::Result;
use crate::mechanics::trajectory::{Fourier, Polynomial, RandomTrajectory};
use crate::mechanics::{
    IntegratorOptions, Residual, energy, euler_lagrange, integrate, normwise_relative, regularity,
};
use crate::verify::{HOLDS_TOLERANCE, REFUTE_THRESHOLD};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Largest relative energy drift that counts as conserved.
pub const CONSERVED_TOLERANCE: f64 = 1e-6;
/// Smallest |residual| that can refute: below it, a residual is rounding noise whatever its
/// relative size.
pub const ABS_FLOOR: f64 = 1e-12;
/// The most degrees of freedom for which energy conservation is integrated (each step solves
/// with an AD mass matrix, O(N²) evaluations of L).
pub const MAX_INTEGRATED_DOF: usize = 16;
/// Largest norm-wise relative residual with which a given trajectory counts as a solution.
pub const SOLVES_TOLERANCE: f64 = 1e-9;

/// Options of [`check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    /// Seed of every random choice.
    pub seed: u64,
    /// Random trajectories for the numeric null test.
    pub trajectories: usize,
    /// Sample times per trajectory, uniform in [−1, 1].
    pub times_per_trajectory: usize,
    /// Random states at which the mass matrix rank is measured.
    pub rank_states: usize,
    /// Integration time for the energy-conservation test.
    pub t_end: f64,
    /// Time span on which a given trajectory is checked.
    pub span: (f64, f64),
    /// Sample points on that span.
    pub span_points: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            seed: 42,
            trajectories: 32,
            times_per_trajectory: 8,
            rank_states: 8,
            t_end: 10.0,
            span: (0.0, 10.0),
            span_points: 101,
        }
    }
}

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
    /// Whether it solves the EL equations (relative residual ≤ [`SOLVES_TOLERANCE`]).
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

fn finite(r: &Residual) -> bool {
    r.residual
        .iter()
        .chain(&r.dt_momentum)
        .chain(&r.force)
        .all(|x| x.is_finite())
}

/// Why a symbolically null L is null.
fn null_reason(en: &mut Engine, l: Id) -> String {
    if en.is_zero(l).unwrap_or(false) {
        return "L is identically 0".into();
    }
    let n = en.dof();
    let Ok(Some((a, b))) = en.velocity_linear_parts(l) else {
        return "every Euler–Lagrange component normalizes to 0".into();
    };
    let mut closed = true;
    'outer: for i in 0..n {
        for j in 0..n {
            let dij = en.d(a[i], Var::Coord(j as u32));
            let dji = en.d(a[j], Var::Coord(i as u32));
            if !en.same(dij, dji).unwrap_or(false) {
                closed = false;
                break 'outer;
            }
        }
        let dat = en.d(a[i], Var::Time);
        let dbq = en.d(b, Var::Coord(i as u32));
        if !en.same(dat, dbq).unwrap_or(false) {
            closed = false;
            break;
        }
    }
    if closed {
        let coeffs: Vec<String> = a.iter().map(|&ai| en.best_text(ai, Style::Text)).collect();
        format!(
            "L is a total time derivative: L = Σ aᵢ(q,t)·qᵢ' + b(q,t) with a = ({}), b = {}, and \
             ∂aᵢ/∂qⱼ = ∂aⱼ/∂qᵢ, ∂aᵢ/∂t = ∂b/∂qᵢ (so L = dF/dt for some F(q,t))",
            coeffs.join(", "),
            en.best_text(b, Style::Text)
        )
    } else {
        "every Euler–Lagrange component normalizes to 0".into()
    }
}

fn null_report(
    en: &mut Engine,
    l: Id,
    lag: &ExprLagrangian,
    el: &[Id],
    opts: &CheckOptions,
) -> NullReport {
    let proved = el.iter().all(|&r| en.is_zero(r).unwrap_or(false));
    if proved {
        return NullReport {
            verdict: NullVerdict::Proved,
            reason: null_reason(en, l),
            max_relative_residual: None,
            trajectories: 0,
            skipped_samples: 0,
            counterexample: None,
        };
    }
    // A component whose normal form is a nonzero polynomial in the variables alone is a
    // nonzero function: refuted symbolically, whatever the sampled sizes.
    let polynomial_residual = el.iter().find_map(|&r| {
        let p = en.normalize(r).ok()?;
        let poly = en.normalizer().poly(p);
        let pure = !poly.is_zero()
            && poly.0.iter().all(|(m, _)| {
                m.0.iter()
                    .all(|&(a, k)| k > 0 && matches!(en.normalizer().atom(a), Atom::Var(_)))
            });
        pure.then(|| en.print_normal(p, Style::Text))
    });
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let n = en.dof();
    let mut worst = 0.0_f64;
    let mut worst_sample: Option<Counterexample> = None;
    let mut skipped = 0;
    let mut used = 0;
    let mut counterexample: Option<Counterexample> = None;
    for _ in 0..opts.trajectories {
        let traj = RandomTrajectory::draw(&mut rng, n, 1.0);
        let samples: Vec<Residual> = (0..opts.times_per_trajectory)
            .map(|_| euler_lagrange(lag, &traj, rng.random_range(-1.0..=1.0)))
            .collect();
        let (ok, bad): (Vec<Residual>, Vec<Residual>) = samples.into_iter().partition(finite);
        skipped += bad.len();
        if ok.is_empty() {
            continue;
        }
        used += 1;
        let rel = normwise_relative(&ok);
        let at = ok
            .iter()
            .max_by(|a, b| a.max_abs().total_cmp(&b.max_abs()))
            .cloned();
        // A refutation needs a residual that is large relative to its terms *and* above the
        // rounding floor: an L that is 0 up to rounding has both terms at noise level.
        let refutes =
            rel > REFUTE_THRESHOLD && at.as_ref().is_some_and(|r| r.max_abs() > ABS_FLOOR);
        if refutes
            && counterexample.as_ref().is_none_or(|c| rel > c.relative)
            && let Some(r) = at
        {
            counterexample = Some(Counterexample {
                trajectory: trajectory_text(&traj, en.coords()),
                time: r.t,
                residual: r.residual,
                relative: rel,
            });
        }
        if let Some(r) = ok.iter().max_by(|a, b| a.max_abs().total_cmp(&b.max_abs()))
            && worst_sample.as_ref().is_none_or(|w| rel > w.relative)
            && r.max_abs() > 0.0
        {
            worst_sample = Some(Counterexample {
                trajectory: trajectory_text(&traj, en.coords()),
                time: r.t,
                residual: r.residual.clone(),
                relative: rel,
            });
        }
        worst = worst.max(rel);
    }
    if counterexample.is_none()
        && let Some(text) = &polynomial_residual
    {
        counterexample = worst_sample;
        return NullReport {
            verdict: NullVerdict::Refuted,
            reason: format!(
                "an Euler–Lagrange component normalizes to the nonzero polynomial {text},                  which no trajectory can make vanish identically"
            ),
            max_relative_residual: Some(worst),
            trajectories: used,
            skipped_samples: skipped,
            counterexample,
        };
    }
    let (verdict, reason) = if used == 0 {
        (
            NullVerdict::Inconclusive,
            "no random sample lies in the domain of L".to_string(),
        )
    } else if counterexample.is_some() {
        (
            NullVerdict::Refuted,
            "the Euler–Lagrange residual is not zero on a random trajectory".to_string(),
        )
    } else if worst <= HOLDS_TOLERANCE {
        (
            NullVerdict::Holds,
            format!(
                "the residual is zero to {HOLDS_TOLERANCE:e} (relative) on {used} random \
                 trajectories, but its normal form is not 0: not proved"
            ),
        )
    } else {
        (
            NullVerdict::Inconclusive,
            format!(
                "the relative residual {worst:e} is between {HOLDS_TOLERANCE:e} and \
                 {REFUTE_THRESHOLD:e}"
            ),
        )
    };
    NullReport {
        verdict,
        reason,
        max_relative_residual: Some(worst),
        trajectories: used,
        skipped_samples: skipped,
        counterexample: if verdict == NullVerdict::Refuted {
            counterexample
        } else {
            None
        },
    }
}

fn conservation(
    lag: &ExprLagrangian,
    regular: bool,
    time_independent: bool,
    opts: &CheckOptions,
) -> Conservation {
    let n = lag.coords().len();
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x5eed);
    let q0: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..=1.0)).collect();
    let qdot0: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..=1.0)).collect();
    let mut c = Conservation {
        status: "not applicable".into(),
        reason: String::new(),
        relative_drift: None,
        t_end: opts.t_end,
        q0: q0.clone(),
        qdot0: qdot0.clone(),
    };
    if !regular {
        c.reason = "L is degenerate, so its EL equations do not determine a motion".into();
        return c;
    }
    if !time_independent {
        c.reason = "L depends on t explicitly, so dh/dt = −∂L/∂t along solutions".into();
        return c;
    }
    if n > MAX_INTEGRATED_DOF {
        c.reason = format!(
            "skipped: integrating more than {MAX_INTEGRATED_DOF} degrees of freedom is too slow here"
        );
        return c;
    }
    let options = IntegratorOptions {
        max_steps: 200_000,
        ..IntegratorOptions::default()
    };
    match integrate(lag, 0.0, &q0, &qdot0, opts.t_end, options) {
        Err(e) => {
            c.status = "failed".into();
            c.reason = format!("integration failed: {e}");
        }
        Ok(sol) => {
            let h: Vec<f64> = (0..sol.times.len())
                .map(|k| energy(lag, sol.times[k], &sol.q[k], &sol.qdot[k]))
                .collect();
            let scale = h.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
            let dev = h.iter().fold(0.0_f64, |m, x| m.max((x - h[0]).abs()));
            let drift = if dev == 0.0 { 0.0 } else { dev / scale };
            c.relative_drift = Some(drift);
            if drift <= CONSERVED_TOLERANCE {
                c.status = "conserved".into();
                c.reason = format!(
                    "h drifts by {drift:.1e} (relative) over {} integrator steps to t = {}",
                    sol.steps(),
                    opts.t_end
                );
            } else {
                c.status = "not conserved".into();
                c.reason = format!("h drifts by {drift:.1e} (relative) to t = {}", opts.t_end);
            }
        }
    }
    c
}

fn trajectory_report(
    lag: &ExprLagrangian,
    traj: &ExprTrajectory,
    text: &str,
    opts: &CheckOptions,
) -> TrajectoryReport {
    let (a, b) = opts.span;
    let m = opts.span_points.max(2) - 1;
    let samples: Vec<Residual> = (0..=m)
        .map(|k| euler_lagrange(lag, traj, a + (b - a) * k as f64 / m as f64))
        .collect();
    let (ok, bad): (Vec<Residual>, Vec<Residual>) = samples.into_iter().partition(finite);
    let worst = ok.iter().max_by(|x, y| x.max_abs().total_cmp(&y.max_abs()));
    let max_abs = worst.map_or(f64::NAN, Residual::max_abs);
    let rel = if ok.is_empty() {
        f64::NAN
    } else {
        normwise_relative(&ok)
    };
    TrajectoryReport {
        trajectory: text.to_string(),
        span: opts.span,
        points: ok.len(),
        skipped: bad.len(),
        max_abs_residual: max_abs,
        worst_time: worst.map_or(f64::NAN, |r| r.t),
        max_relative_residual: rel,
        solves: !ok.is_empty() && rel <= SOLVES_TOLERANCE,
    }
}

/// Analyse Lagrangian `l` of `en` (and, optionally, a trajectory given by its components).
pub fn check(
    en: &mut Engine,
    l: Id,
    trajectory: Option<(&[Id], &str)>,
    opts: &CheckOptions,
) -> Result<CheckReport> {
    let lag = en.lagrangian(l)?;
    let n = en.dof();
    let el = en.el(l)?;
    let mut euler_lagrange = Vec::new();
    let mut euler_lagrange_latex = Vec::new();
    let mut all_normalized = true;
    for &r in &el {
        match en.normalize(r) {
            Ok(p) => {
                euler_lagrange.push(format!("{} = 0", en.print_normal(p, Style::Text)));
                euler_lagrange_latex.push(format!("{} = 0", en.print_normal(p, Style::Latex)));
            }
            Err(_) => {
                all_normalized = false;
                euler_lagrange.push(format!("{} = 0", en.text(r)));
                euler_lagrange_latex.push(format!("{} = 0", en.latex(r)));
            }
        }
    }

    // Regularity at seeded random states.
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x4a11);
    let mut ranks = Vec::new();
    for _ in 0..opts.rank_states.max(1) {
        let t = rng.random_range(-1.0..=1.0);
        let q: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..=1.0)).collect();
        let v: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..=1.0)).collect();
        let reg = regularity(&lag, t, &q, &v);
        if reg.singular_values.iter().all(|s| s.is_finite()) {
            ranks.push(reg.rank);
        }
    }
    let rank_max = ranks.iter().copied().max().unwrap_or(0);
    let rank_min = ranks.iter().copied().min().unwrap_or(0);
    let regular = !ranks.is_empty() && rank_max == n;

    let dldt = en.d(l, Var::Time);
    let time_independent = en.is_zero(dldt).unwrap_or(false);

    let null_lagrangian = null_report(en, l, &lag, &el, opts);
    let h = en.energy(l);
    let energy = en.best_text(h, Style::Text);
    let energy_latex = en.best_text(h, Style::Latex);
    let energy_conservation = conservation(&lag, regular, time_independent, opts);
    let trajectory = match trajectory {
        Some((comps, text)) => {
            let traj = en.trajectory(comps)?;
            Some(trajectory_report(&lag, &traj, text, opts))
        }
        None => None,
    };
    Ok(CheckReport {
        coords: en.coords().to_vec(),
        lagrangian: en.text(l),
        dof: n,
        euler_lagrange,
        euler_lagrange_latex,
        euler_lagrange_normalized: all_normalized,
        regular,
        mass_matrix_rank: rank_max,
        mass_matrix_rank_min: rank_min,
        mass_matrix_rank_varies: rank_min != rank_max,
        rank_states: ranks.len(),
        time_independent,
        null_lagrangian,
        energy,
        energy_latex,
        energy_conservation,
        trajectory,
        seed: opts.seed,
    })
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
