//! Time invariance (arXiv 2504.03214): runs with the same η·K should trace the same curves in
//! t = η·k. This module measures how far they do.
//!
//! Each (η, K) pair runs the reference trainer on the same data and initial weights. Per layer
//! the histories are put on the clock t = η·k (per-update metrics k = 1..K−1, ‖Z‖_F k = 0..K−1)
//! and compared with the finest run (smallest η), linearly interpolated at each run's own t:
//!
//! * step entropy H_k = −(1/ln 2) Σ Z⊙ΔD is a per-*step* quantity, ≈ η·dH/dt: it is **not**
//!   invariant, it scales with η ([`Deviation::scale_ratio`] ≈ η / η_finest);
//! * H_k/η, the cosine, ‖Z‖_F and the knowledge flow ‖ΔZ‖_F/η are rates or states: they should
//!   converge as η → 0.
//!
//! The update at k = 1 has ΔD = 0 by construction (iterations 0 and 1 see the same weights),
//! so per-update comparisons start at k = 2. The published loop's iteration k sees k − 1
//! updates and ΔD_k spans updates k − 2 → k − 1, so on the clock t = η·k every curve lags by
//! O(η): the expected convergence order is 1. The deviation of a run is
//! max_layers max_t |q_run(t) − q_finest(t)| / max_t |q_finest(t)| over t ≤ the horizon; the
//! order is the least-squares slope of log deviation against log η over the non-finest runs
//! (measured against the finest run, not the limit, so it reads high as η approaches η_finest).
//! Each run also yields the least-action comparison of [`super::action`].

use super::action::{ActionObserver, LayerAction};
use super::data::Dataset;
use super::metrics::Metric;
use super::network::Network;
use super::real::Real;
use super::run::run;
use super::trainer::{Termination, TrainConfig};
use super::update::UpdateRule;
use crate::error::{Error, Result};
use crate::figures::output::{Cell, Csv};
use serde::Serialize;
use std::fmt::Write as _;

/// The default (η, K) pairs, η·K ≈ 0.5.
pub const DEFAULT_PAIRS: [(f64, usize); 6] = [
    (0.02, 25),
    (0.01, 50),
    (0.005, 100),
    (0.0033, 150),
    (0.0025, 200),
    (0.001, 500),
];

/// A per-layer quantity compared across runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Step entropy H_k (scales with η).
    Entropy,
    /// H_k / η.
    EntropyOverEta,
    /// Cosine Σ Z⊙ΔD/(‖Z‖‖ΔD‖).
    Cosine,
    /// ‖Z‖_F.
    ZNorm,
    /// ‖ΔZ‖_F / η.
    KnowledgeFlow,
}

impl Quantity {
    /// Every quantity, in output order.
    pub const ALL: [Quantity; 5] = [
        Quantity::Entropy,
        Quantity::EntropyOverEta,
        Quantity::Cosine,
        Quantity::ZNorm,
        Quantity::KnowledgeFlow,
    ];
    /// Name in tables and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Entropy => "entropy",
            Quantity::EntropyOverEta => "entropy/eta",
            Quantity::Cosine => "cosine",
            Quantity::ZNorm => "z_norm",
            Quantity::KnowledgeFlow => "knowledge_flow",
        }
    }
    /// Whether it should converge as η → 0 at fixed t (all but the per-step entropy).
    pub fn expected_invariant(self) -> bool {
        !matches!(self, Quantity::Entropy)
    }
}

/// One run's histories on the clock t = η·k.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSeries {
    /// η.
    pub eta: f64,
    /// K.
    pub k: usize,
    /// `values[q][l]`: (k, t, value) of quantity `Quantity::ALL[q]` for layer l.
    pub values: Vec<Vec<Vec<(usize, f64, f64)>>>,
    /// Least action per layer.
    pub action: Vec<LayerAction>,
    /// Wall time in seconds.
    pub elapsed_s: f64,
}

impl RunSeries {
    /// The (k, t, value) points of `q` for layer l.
    pub fn points(&self, q: Quantity, l: usize) -> &[(usize, f64, f64)] {
        let i = Quantity::ALL.iter().position(|&x| x == q).unwrap_or(0);
        &self.values[i][l]
    }
    /// Number of layers.
    pub fn layers(&self) -> usize {
        self.values.first().map_or(0, Vec::len)
    }
}

/// How far one run's quantity is from the finest run's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Deviation {
    /// η of the run.
    pub eta: f64,
    /// K of the run.
    pub k: usize,
    /// The quantity.
    pub quantity: Quantity,
    /// max over layers and t of |q − q_finest|.
    pub max_abs: f64,
    /// max over layers of (max_t |q − q_finest|) / max_t |q_finest|.
    pub relative: f64,
    /// Points compared.
    pub points: usize,
    /// Median over points of q / q_finest (≈ η/η_finest for the step entropy).
    pub scale_ratio: f64,
}

/// The observed convergence order of one quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Order {
    /// The quantity.
    pub quantity: Quantity,
    /// Slope of log(relative deviation) against log η.
    pub order: f64,
    /// Whether it should converge.
    pub expected_invariant: bool,
}

/// The study: runs, deviations, orders, and the least-action comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyReport {
    /// Every run, in the order given.
    pub runs: Vec<RunSeries>,
    /// Index of the finest run (smallest η).
    pub finest: usize,
    /// Compared over t ≤ this.
    pub horizon: f64,
    /// Deviation of every non-finest run, per quantity.
    pub deviations: Vec<Deviation>,
    /// Convergence order per quantity.
    pub orders: Vec<Order>,
    /// Order of the least-action error |S/ΔF − 1| in η (max over layers).
    pub action_order: f64,
}

/// Linear interpolation of (t, v) points (t increasing) at t; `None` outside their span.
pub fn interpolate(points: &[(usize, f64, f64)], t: f64) -> Option<f64> {
    let i = points.partition_point(|p| p.1 < t);
    if i < points.len() && points[i].1 == t {
        return Some(points[i].2);
    }
    if i == 0 || i >= points.len() {
        return None;
    }
    let (a, b) = (points[i - 1], points[i]);
    let w = (t - a.1) / (b.1 - a.1);
    Some(a.2 + w * (b.2 - a.2))
}

/// Least-squares slope of log y against log x over the finite, positive pairs (None if < 2).
pub fn log_log_slope(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let pts: Vec<(f64, f64)> = xs
        .iter()
        .zip(ys)
        .filter(|(x, y)| **x > 0.0 && **y > 0.0 && x.is_finite() && y.is_finite())
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let (mx, my) = (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Parses `η:K,η:K,...`.
pub fn parse_pairs(s: &str) -> Result<Vec<(f64, usize)>> {
    let bad = |reason: String| Error::Invalid {
        what: format!("--pairs `{s}`"),
        reason,
    };
    let pairs = s
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (e, k) = p
                .split_once(':')
                .ok_or_else(|| bad(format!("`{p}` is not η:K, e.g. 0.01:50")))?;
            let eta: f64 = e
                .trim()
                .parse()
                .map_err(|_| bad(format!("`{e}` is not a number")))?;
            let k: usize = k
                .trim()
                .parse()
                .map_err(|_| bad(format!("`{k}` is not an iteration count")))?;
            Ok((eta, k))
        })
        .collect::<Result<Vec<_>>>()?;
    if pairs.len() < 2 {
        return Err(bad("give at least two pairs (one is the reference)".into()));
    }
    Ok(pairs)
}

/// One run of the reference trainer with its series and action.
pub fn run_series<T: Real>(
    data: &Dataset,
    initial: &Network<f64>,
    eta: f64,
    k: usize,
    rule: UpdateRule,
) -> Result<RunSeries> {
    let config = TrainConfig { k, eta, rule };
    let mut action = ActionObserver::default();
    let r = run::<T>(data, initial, config, &mut [&mut action])?;
    if !matches!(r.termination, Termination::Completed { .. }) {
        return Err(Error::Invalid {
            what: format!("run η = {eta}, K = {k}"),
            reason: format!("stopped early: {:?}", r.termination),
        });
    }
    let per_update = |m: Metric, scale: f64| -> Vec<Vec<(usize, f64, f64)>> {
        r.history
            .get(m)
            .iter()
            .map(|s| {
                s.iter()
                    .enumerate()
                    .map(|(i, &v)| (i + 1, eta * (i + 1) as f64, v * scale))
                    .collect()
            })
            .collect()
    };
    let znorm = r
        .history
        .get(Metric::ZNorm)
        .iter()
        .map(|s| {
            s.iter()
                .enumerate()
                .map(|(i, &v)| (i, eta * i as f64, v))
                .collect()
        })
        .collect();
    let values = Quantity::ALL
        .iter()
        .map(|q| match q {
            Quantity::Entropy => per_update(Metric::StepEntropy, 1.0),
            Quantity::EntropyOverEta => per_update(Metric::StepEntropy, 1.0 / eta),
            Quantity::Cosine => per_update(Metric::Cosine, 1.0),
            Quantity::ZNorm => Vec::clone(&znorm),
            Quantity::KnowledgeFlow => per_update(Metric::KnowledgeFlow, 1.0),
        })
        .collect();
    Ok(RunSeries {
        eta,
        k,
        values,
        action: action.result(),
        elapsed_s: r.elapsed.as_secs_f64(),
    })
}

/// Runs every pair and compares them over t ≤ `horizon`.
pub fn study<T: Real>(
    data: &Dataset,
    initial: &Network<f64>,
    pairs: &[(f64, usize)],
    horizon: f64,
    rule: UpdateRule,
) -> Result<StudyReport> {
    if pairs.len() < 2 {
        return Err(Error::Invalid {
            what: "pairs".into(),
            reason: "need at least two (η, K) pairs".into(),
        });
    }
    if !(horizon.is_finite() && horizon > 0.0) {
        return Err(Error::Invalid {
            what: "--t".into(),
            reason: format!("{horizon} must be a finite time > 0, e.g. 0.5"),
        });
    }
    let runs = pairs
        .iter()
        .map(|&(eta, k)| run_series::<T>(data, initial, eta, k, rule))
        .collect::<Result<Vec<_>>>()?;
    let finest = (0..runs.len())
        .min_by(|&a, &b| runs[a].eta.total_cmp(&runs[b].eta))
        .unwrap_or(0);
    let fine = &runs[finest];
    let mut deviations = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        if i == finest {
            continue;
        }
        for q in Quantity::ALL {
            deviations.push(deviation(r, fine, q, horizon));
        }
    }
    let etas = |q: Quantity| -> (Vec<f64>, Vec<f64>) {
        deviations
            .iter()
            .filter(|d| d.quantity == q)
            .map(|d| (d.eta, d.relative))
            .unzip()
    };
    let orders = Quantity::ALL
        .iter()
        .map(|&q| {
            let (x, y) = etas(q);
            Order {
                quantity: q,
                order: log_log_slope(&x, &y).unwrap_or(f64::NAN),
                expected_invariant: q.expected_invariant(),
            }
        })
        .collect();
    let (x, y): (Vec<f64>, Vec<f64>) = runs
        .iter()
        .map(|r| {
            let e = r
                .action
                .iter()
                .map(|a| (a.ratio - 1.0).abs())
                .fold(0.0f64, f64::max);
            (r.eta, e)
        })
        .unzip();
    let action_order = log_log_slope(&x, &y).unwrap_or(f64::NAN);
    Ok(StudyReport {
        runs,
        finest,
        horizon,
        deviations,
        orders,
        action_order,
    })
}

/// The deviation of `r` from `fine` in `q` over t ≤ horizon (per-update quantities from k = 2).
fn deviation(r: &RunSeries, fine: &RunSeries, q: Quantity, horizon: f64) -> Deviation {
    let first_k = if q == Quantity::ZNorm { 0 } else { 2 };
    let mut max_abs = 0.0f64;
    let mut relative = 0.0f64;
    let mut points = 0;
    let mut ratios = Vec::new();
    for l in 0..r.layers() {
        let fp = fine.points(q, l);
        let mut dev = 0.0f64;
        let mut scale = 0.0f64;
        for &(k, t, v) in r.points(q, l) {
            if k < first_k || t > horizon + 1e-12 {
                continue;
            }
            let Some(f) = interpolate(fp, t) else {
                continue;
            };
            dev = dev.max((v - f).abs());
            scale = scale.max(f.abs());
            if f != 0.0 {
                ratios.push(v / f);
            }
            points += 1;
        }
        max_abs = max_abs.max(dev);
        if scale > 0.0 {
            relative = relative.max(dev / scale);
        }
    }
    ratios.sort_by(f64::total_cmp);
    let scale_ratio = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);
    Deviation {
        eta: r.eta,
        k: r.k,
        quantity: q,
        max_abs,
        relative,
        points,
        scale_ratio,
    }
}

impl StudyReport {
    /// The finest run.
    pub fn finest_run(&self) -> &RunSeries {
        &self.runs[self.finest]
    }

    /// True when every quantity expected to converge has a positive order.
    pub fn converges(&self) -> bool {
        self.orders
            .iter()
            .filter(|o| o.expected_invariant)
            .all(|o| o.order > 0.0)
    }

    /// Every run's points: `eta,K,layer,k,t,quantity,value`.
    pub fn series_csv(&self) -> Csv {
        let mut c = Csv::new(&["eta", "K", "layer", "k", "t", "quantity", "value"]);
        for r in &self.runs {
            for q in Quantity::ALL {
                for l in 0..r.layers() {
                    for &(k, t, v) in r.points(q, l) {
                        c.push(vec![
                            r.eta.into(),
                            r.k.into(),
                            (l + 1).into(),
                            k.into(),
                            t.into(),
                            q.name().into(),
                            v.into(),
                        ]);
                    }
                }
            }
        }
        c
    }

    /// `eta,K,quantity,max_abs_deviation,relative_deviation,points,scale_ratio`.
    pub fn deviations_csv(&self) -> Csv {
        let mut c = Csv::new(&[
            "eta",
            "K",
            "quantity",
            "max_abs_deviation",
            "relative_deviation",
            "points",
            "scale_ratio",
        ]);
        for d in &self.deviations {
            c.push(vec![
                d.eta.into(),
                d.k.into(),
                d.quantity.name().into(),
                d.max_abs.into(),
                d.relative.into(),
                d.points.into(),
                d.scale_ratio.into(),
            ]);
        }
        c
    }

    /// `quantity,order,expected_invariant`.
    pub fn orders_csv(&self) -> Csv {
        let mut c = Csv::new(&["quantity", "order", "expected_invariant"]);
        for o in &self.orders {
            c.push(vec![
                o.quantity.name().into(),
                o.order.into(),
                Cell::Text(o.expected_invariant.to_string()),
            ]);
        }
        c
    }

    /// `eta,K,layer,action,F_start,F_end,delta_F,ratio,error`.
    pub fn action_csv(&self) -> Csv {
        let mut c = Csv::new(&[
            "eta", "K", "layer", "action", "F_start", "F_end", "delta_F", "ratio", "error",
        ]);
        for r in &self.runs {
            for a in &r.action {
                c.push(vec![
                    r.eta.into(),
                    r.k.into(),
                    a.layer.into(),
                    a.action.into(),
                    a.f_start.into(),
                    a.f_end.into(),
                    a.delta_f.into(),
                    a.ratio.into(),
                    a.error.into(),
                ]);
            }
        }
        c
    }

    /// The report as text: deviations, orders, what is invariant, least action.
    pub fn table(&self) -> String {
        let fine = self.finest_run();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "time invariance: {} runs, reference η = {} (K = {}), compared at t = η·k ≤ {} \
             (per-update metrics from k = 2), relative deviation = max_layers max_t |q − q_ref| / max_t |q_ref|\n",
            self.runs.len(),
            fine.eta,
            fine.k,
            self.horizon
        );
        let mut rows = vec![{
            let mut h = vec!["η".to_string(), "K".into(), "η·K".into(), "time s".into()];
            h.extend(Quantity::ALL.iter().map(|q| q.name().to_string()));
            h.push("entropy / entropy_ref".into());
            h.push("η/η_ref".into());
            h
        }];
        for (i, r) in self.runs.iter().enumerate() {
            let mut row = vec![
                r.eta.to_string(),
                r.k.to_string(),
                format!("{:.3}", r.eta * r.k as f64),
                format!("{:.2}", r.elapsed_s),
            ];
            if i == self.finest {
                row.extend(Quantity::ALL.iter().map(|_| "(reference)".to_string()));
                row.push("1".into());
                row.push("1".into());
            } else {
                for q in Quantity::ALL {
                    let d = self
                        .deviations
                        .iter()
                        .find(|d| d.eta == r.eta && d.k == r.k && d.quantity == q);
                    row.push(d.map_or("-".into(), |d| format!("{:.3e}", d.relative)));
                }
                let ratio = self
                    .deviations
                    .iter()
                    .find(|d| d.eta == r.eta && d.k == r.k && d.quantity == Quantity::Entropy)
                    .map_or(f64::NAN, |d| d.scale_ratio);
                row.push(format!("{ratio:.3}"));
                row.push(format!("{:.3}", r.eta / fine.eta));
            }
            rows.push(row);
        }
        s.push_str(&super::causality::report::align(&rows));
        let _ = writeln!(
            s,
            "\nobserved convergence order as η → 0 (log-log slope of the relative deviation vs η):"
        );
        for o in &self.orders {
            let _ = writeln!(
                s,
                "  {:<15} {:>6.2}   {}",
                o.quantity.name(),
                o.order,
                if o.expected_invariant {
                    if o.order > 0.0 {
                        "invariant: converges as η → 0"
                    } else {
                        "expected invariant, but does NOT converge"
                    }
                } else {
                    "not invariant: the step entropy scales with η (see entropy / entropy_ref ≈ η/η_ref)"
                }
            );
        }
        let _ = writeln!(
            s,
            "\nleast action along the learning trajectory (midpoint rule, Δt = η): S = Σ L Δt vs ΔF = F(Z_end) − F(Z_0):"
        );
        let mut rows = vec![
            ["η", "K", "layer", "S", "ΔF", "S/ΔF", "S − ΔF"]
                .map(String::from)
                .to_vec(),
        ];
        for r in &self.runs {
            for a in &r.action {
                rows.push(vec![
                    r.eta.to_string(),
                    r.k.to_string(),
                    a.layer.to_string(),
                    format!("{:.6e}", a.action),
                    format!("{:.6e}", a.delta_f),
                    format!("{:.9}", a.ratio),
                    format!("{:.2e}", a.error),
                ]);
            }
        }
        s.push_str(&super::causality::report::align(&rows));
        let _ = writeln!(
            s,
            "order of max_layers |S/ΔF − 1| in η: {:.2} (the midpoint rule's error is O(ΔZ²) ∝ η²)",
            self.action_order
        );
        s
    }
}
