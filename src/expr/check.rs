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
pub use super::report::{
    CheckReport, Conservation, Counterexample, NullReport, NullVerdict, TrajectoryReport, render,
    trajectory_text,
};
use crate::error::Result;
use crate::mechanics::trajectory::RandomTrajectory;
use crate::mechanics::{
    IntegratorOptions, Residual, energy, euler_lagrange, integrate, normwise_relative, regularity,
};
use crate::verify::{HOLDS_TOLERANCE, REFUTE_THRESHOLD};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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
