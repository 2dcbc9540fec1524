//! Deciding one equation `lhs == rhs`: symbolically first, then by evaluation at seeded random
//! points — and never calling a false equation true.
//!
//! 1. **Symbolic**: the normal form ([`crate::expr::normal`]) of every component of lhs − rhs.
//!    All 0 ⇒ the sides are equal as functions (the normal form is sound; it is not complete).
//! 2. **Numeric**, always (it also cross-checks step 1): both sides are evaluated — the
//!    operators `d`, `dt`, `el`, `energy`, `momentum` having been expanded into exact
//!    derivative expressions — at [`Options::points`] uniform random points of the domain box
//!    (each variable t, q, q̇, q̈ in its `domain`, default [−2, 2]) and at
//!    [`Options::trajectories`] × 2 points on seeded random trajectories (the mechanics core's
//!    [`RandomTrajectory`], mapped into the box, with q̇ and q̈ from a second-order dual number).
//!    At each point the error |lhs − rhs| is measured relative to the largest magnitude of any
//!    subterm of either side — the scale of the rounding errors of that evaluation (a `0 == 0`
//!    identity such as an Euler–Lagrange residual is a cancellation of large terms).
//!
//! Verdicts ([`Verdict`]), in this order:
//! * `refuted` — at some point the relative error exceeds [`REFUTE_THRESHOLD`] and the absolute
//!   error exceeds [`ABS_FLOOR`] (both sides defined there); the worst such point is reported.
//!   (If the normal form said 0, this is an internal inconsistency and the verdict is `error`.)
//!   Also `refuted`, exactly, when the normal form of lhs − rhs is a nonzero polynomial in the
//!   variables and π with rational coefficients (a canonical form, so the function is not 0)
//!   and some sample lies in the domain: then even a difference far below the rounding noise
//!   (`x == x + 1e-15`) is caught.
//! * `error` — a sample point lies outside the domain of a side (ln or √ of a negative number,
//!   division by zero, an overflow: any non-finite intermediate value), or no point could be
//!   sampled. Never a pass: restrict the sampling with `domain`.
//! * `proved` — the normal form of lhs − rhs is 0.
//! * `holds` — every relative error is at most [`HOLDS_TOLERANCE`]: numerically true, not proved.
//! * `inconclusive` — none of these (an error between the two thresholds). It matches neither
//!   `claim` nor `refute`.
//!
//! The thresholds are the ones of `ska-verify verify` and `check`
//! ([`crate::verify`], [`crate::expr::check`]).

use crate::expr::check::ABS_FLOOR;
use crate::expr::normal::Atom;
use crate::expr::{Engine, Id, Normalizer, PolyId, Program, Style, Var};
use crate::mechanics::jet;
use crate::mechanics::trajectory::{Jet, RandomTrajectory};
use crate::verify::{HOLDS_TOLERANCE, REFUTE_THRESHOLD};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::HashMap;

/// The default sampling interval of every variable.
pub const DEFAULT_DOMAIN: (f64, f64) = (-2.0, 2.0);

/// What the evidence says of an equation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The normal form of lhs − rhs is 0 (and no sample contradicts it).
    Proved,
    /// Zero to [`HOLDS_TOLERANCE`] at every sample; not proved.
    Holds,
    /// Not zero at some sample (counterexample given).
    Refuted,
    /// A sample lies outside the domain of a side, or nothing could be sampled.
    Error,
    /// Small but not negligible differences: neither holds nor refuted.
    Inconclusive,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Proved => "proved",
            Verdict::Holds => "holds",
            Verdict::Refuted => "refuted",
            Verdict::Error => "error",
            Verdict::Inconclusive => "inconclusive",
        })
    }
}

/// Sampling options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Seed of every random choice.
    pub seed: u64,
    /// Uniform random points of the domain box.
    pub points: usize,
    /// Random trajectories (two times on each).
    pub trajectories: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 42,
            points: 64,
            trajectories: 32,
        }
    }
}

/// The sampling box: an interval per variable (default [`DEFAULT_DOMAIN`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Domain {
    ranges: HashMap<Var, (f64, f64)>,
}

impl Domain {
    /// Sample `v` in [lo, hi].
    pub fn set(&mut self, v: Var, lo: f64, hi: f64) {
        self.ranges.insert(v, (lo, hi));
    }

    /// The interval of `v`.
    pub fn range(&self, v: Var) -> (f64, f64) {
        self.ranges.get(&v).copied().unwrap_or(DEFAULT_DOMAIN)
    }

    fn declared(&self, v: Var) -> bool {
        self.ranges.contains_key(&v)
    }

    fn contains(&self, v: Var, x: f64) -> bool {
        let (lo, hi) = self.range(v);
        (lo..=hi).contains(&x)
    }
}

/// A point where the two sides differ (or, for `error`, where a side is undefined).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterexample {
    /// The variables the equation depends on, with their values.
    pub point: Vec<(String, f64)>,
    /// Which component of a componentwise equation (0 for a scalar one).
    pub component: usize,
    /// The left side's value there (NaN for a domain error).
    pub lhs: f64,
    /// The right side's value there.
    pub rhs: f64,
    /// |lhs − rhs| relative to the scale of the evaluation.
    pub relative: f64,
}

impl std::fmt::Display for Counterexample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at: Vec<String> = self
            .point
            .iter()
            .map(|(n, x)| format!("{n} = {x:.6}"))
            .collect();
        let at = if at.is_empty() {
            "everywhere".to_string()
        } else {
            format!("at {}", at.join(", "))
        };
        write!(f, "{at}")?;
        if self.component > 0 {
            write!(f, " (component {})", self.component + 1)?;
        }
        write!(f, ": lhs = {:.9e}, rhs = {:.9e}", self.lhs, self.rhs)
    }
}

/// The outcome of checking one equation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The verdict (serialized by the report that holds the outcome).
    #[serde(skip)]
    pub verdict: Verdict,
    /// Why, in words.
    pub reason: String,
    /// Largest relative error over the finite samples (None if there were none).
    pub max_relative_error: Option<f64>,
    /// Sample points evaluated (both sides finite).
    pub points: usize,
    /// Sample points outside the domain of a side.
    pub domain_errors: usize,
    /// For `refuted`: the worst point; for `error`: the first point outside the domain.
    pub counterexample: Option<Counterexample>,
    /// Whether the normal form of lhs − rhs is 0.
    pub symbolic_zero: bool,
    /// When the normal form of lhs − rhs is a nonzero polynomial in the variables and π (which
    /// refutes the equation exactly): that polynomial.
    pub difference: Option<String>,
}

fn point_of(
    names: &[(Var, String)],
    t: f64,
    q: &[f64],
    v: &[f64],
    a: &[f64],
) -> Vec<(String, f64)> {
    names
        .iter()
        .map(|(var, n)| {
            let x = match *var {
                Var::Time => t,
                Var::Coord(i) => q[i as usize],
                Var::Vel(i) => v[i as usize],
                Var::Acc(i) => a[i as usize],
            };
            (n.clone(), x)
        })
        .collect()
}

/// Whether a nonzero normal form is a (Laurent) polynomial in the variables and π: distinct
/// monomials of those are linearly independent functions, so it is not the zero function.
fn polynomial(norm: &Normalizer, p: PolyId) -> bool {
    norm.poly(p).0.iter().all(|(m, _)| {
        m.0.iter()
            .all(|(a, _)| matches!(norm.atom(*a), Atom::Var(_) | Atom::Pi))
    })
}

fn var_name(coords: &[String], v: Var) -> String {
    match v {
        Var::Time => "t".into(),
        Var::Coord(i) => coords[i as usize].clone(),
        Var::Vel(i) => format!("{}'", coords[i as usize]),
        Var::Acc(i) => format!("{}''", coords[i as usize]),
    }
}

/// Check `lhs == rhs` componentwise (a side with one component is compared with every
/// component of the other). The sides must have equal lengths or one of them length 1.
pub fn check(en: &mut Engine, lhs: &[Id], rhs: &[Id], domain: &Domain, opts: &Options) -> Outcome {
    let k = lhs.len().max(rhs.len());
    let pairs: Vec<(Id, Id)> = (0..k)
        .map(|i| {
            (
                lhs[if lhs.len() == 1 { 0 } else { i }],
                rhs[if rhs.len() == 1 { 0 } else { i }],
            )
        })
        .collect();

    // 1. Symbolic.
    let mut symbolic_zero = true;
    let mut normalized = true;
    // A component whose difference normalizes to a nonzero polynomial in the variables and π
    // (exact rational coefficients): such a form is canonical, so the sides differ.
    let mut certified: Option<(usize, String)> = None;
    for (c, &(l, r)) in pairs.iter().enumerate() {
        let diff = en.sub(l, r);
        match en.normalize(diff) {
            Ok(p) if en.normalizer().poly(p).is_zero() => {}
            Ok(p) => {
                symbolic_zero = false;
                if certified.is_none() && polynomial(en.normalizer(), p) {
                    certified = Some((c, en.print_normal(p, Style::Text)));
                }
            }
            Err(_) => {
                symbolic_zero = false;
                normalized = false;
            }
        }
    }

    // 2. Numeric.
    let n = en.dof();
    let coords = en.coords().to_vec();
    let g = en.graph();
    let roots: Vec<Id> = pairs.iter().flat_map(|&(l, r)| [l, r]).collect();
    let order = g.reachable(&roots);
    let slot: HashMap<Id, usize> = order.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let program = Program::compile(g, &order);
    let mut vars: Vec<Var> = Vec::new();
    for &r in &roots {
        for v in g.free_vars(r) {
            if !vars.contains(&v) {
                vars.push(v);
            }
        }
    }
    vars.sort();
    let names: Vec<(Var, String)> = vars.iter().map(|&v| (v, var_name(&coords, v))).collect();

    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut samples: Vec<Jet> = Vec::new();
    for _ in 0..opts.points {
        let mut draw = |v: Var| {
            let (lo, hi) = domain.range(v);
            rng.random_range(lo..=hi)
        };
        let t = draw(Var::Time);
        let q: Vec<f64> = (0..n as u32).map(|i| draw(Var::Coord(i))).collect();
        let v: Vec<f64> = (0..n as u32).map(|i| draw(Var::Vel(i))).collect();
        let a: Vec<f64> = (0..n as u32).map(|i| draw(Var::Acc(i))).collect();
        samples.push(Jet {
            t,
            q,
            qdot: v,
            qddot: a,
        });
    }
    let (tlo, thi) = domain.range(Var::Time);
    let (tc, th) = ((tlo + thi) / 2.0, (thi - tlo) / 2.0);
    for _ in 0..opts.trajectories {
        let traj = RandomTrajectory::draw(&mut rng, n.max(1), 1.0);
        for _ in 0..2 {
            let tau: f64 = rng.random_range(-1.0..=1.0);
            let j = jet(&traj, tau);
            let t = tc + th * tau;
            let mut q = Vec::with_capacity(n);
            let mut v = Vec::with_capacity(n);
            let mut a = Vec::with_capacity(n);
            for i in 0..n {
                let (lo, hi) = domain.range(Var::Coord(i as u32));
                let (c, h) = ((lo + hi) / 2.0, (hi - lo) / 4.0);
                q.push(c + h * j.q[i]);
                v.push(h * j.qdot[i] / th);
                a.push(h * j.qddot[i] / (th * th));
            }
            let inside = (0..n as u32).all(|i| {
                domain.contains(Var::Coord(i), q[i as usize])
                    && (!domain.declared(Var::Vel(i))
                        || domain.contains(Var::Vel(i), v[i as usize]))
                    && (!domain.declared(Var::Acc(i))
                        || domain.contains(Var::Acc(i), a[i as usize]))
            });
            if inside {
                samples.push(Jet {
                    t,
                    q,
                    qdot: v,
                    qddot: a,
                });
            }
        }
    }

    let mut points = 0;
    let mut domain_errors = 0;
    let mut first_bad: Option<Counterexample> = None;
    let mut worst_rel: Option<f64> = None;
    let mut refutation: Option<Counterexample> = None;
    // The sample with the largest difference in the certified component.
    let mut largest: Option<(f64, Counterexample)> = None;
    for Jet {
        t,
        q,
        qdot: v,
        qddot: a,
    } in &samples
    {
        let Some(vals) = program.eval_finite(*t, q, v, a) else {
            domain_errors += 1;
            if first_bad.is_none() {
                let all = program.eval(*t, q, v, a);
                let (l, r) = pairs[0];
                first_bad = Some(Counterexample {
                    point: point_of(&names, *t, q, v, a),
                    component: 0,
                    lhs: all[slot[&l]],
                    rhs: all[slot[&r]],
                    relative: f64::NAN,
                });
            }
            continue;
        };
        points += 1;
        let scale = vals.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        for (c, &(l, r)) in pairs.iter().enumerate() {
            let (lv, rv) = (vals[slot[&l]], vals[slot[&r]]);
            let diff = (lv - rv).abs();
            let rel = if diff == 0.0 { 0.0 } else { diff / scale };
            worst_rel = Some(worst_rel.map_or(rel, |w: f64| w.max(rel)));
            if certified.as_ref().is_some_and(|x| x.0 == c)
                && largest.as_ref().is_none_or(|x| diff > x.0)
            {
                largest = Some((
                    diff,
                    Counterexample {
                        point: point_of(&names, *t, q, v, a),
                        component: c,
                        lhs: lv,
                        rhs: rv,
                        relative: rel,
                    },
                ));
            }
            if rel > REFUTE_THRESHOLD
                && diff > ABS_FLOOR
                && refutation.as_ref().is_none_or(|x| rel > x.relative)
            {
                refutation = Some(Counterexample {
                    point: point_of(&names, *t, q, v, a),
                    component: c,
                    lhs: lv,
                    rhs: rv,
                    relative: rel,
                });
            }
        }
    }

    let tried = format!("{points} points");
    let difference = certified.as_ref().map(|c| c.1.clone());
    let (verdict, reason, counterexample) = if let Some(cx) = refutation {
        if symbolic_zero {
            (
                Verdict::Error,
                "internal inconsistency: the normal form of lhs − rhs is 0 but the sides differ \
                 numerically (please report this)"
                    .to_string(),
                Some(cx),
            )
        } else {
            (
                Verdict::Refuted,
                format!("the sides differ (relative error {:.2e})", cx.relative),
                Some(cx),
            )
        }
    } else if let (Some((_, text)), Some((_, cx))) = (&certified, largest) {
        (
            Verdict::Refuted,
            format!(
                "lhs − rhs normalizes to the nonzero polynomial {text} (exact), so the sides \
                 differ wherever both are defined"
            ),
            Some(cx),
        )
    } else if domain_errors > 0 {
        (
            Verdict::Error,
            format!(
                "{domain_errors} of {} sample points lie outside the domain of a side (a \
                 non-finite value: ln or sqrt of a negative number, division by zero, overflow); \
                 restrict the sampling with `domain`",
                points + domain_errors
            ),
            first_bad,
        )
    } else if points == 0 {
        (
            Verdict::Error,
            "no sample point lies in the declared domain".to_string(),
            None,
        )
    } else if symbolic_zero {
        (
            Verdict::Proved,
            format!("the normal form of lhs − rhs is 0 (and {tried} agree)"),
            None,
        )
    } else if worst_rel.unwrap_or(0.0) <= HOLDS_TOLERANCE {
        let why = if normalized {
            "its normal form is not 0"
        } else {
            "its normal form is too large to compute"
        };
        (
            Verdict::Holds,
            format!("zero to {HOLDS_TOLERANCE:e} (relative) at {tried}, but {why}: not proved"),
            None,
        )
    } else {
        (
            Verdict::Inconclusive,
            format!(
                "the largest relative error {:.2e} is between {HOLDS_TOLERANCE:e} and \
                 {REFUTE_THRESHOLD:e}",
                worst_rel.unwrap_or(0.0)
            ),
            None,
        )
    };
    Outcome {
        verdict,
        reason,
        max_relative_error: worst_rel,
        points,
        domain_errors,
        counterexample,
        symbolic_zero,
        difference,
    }
}
