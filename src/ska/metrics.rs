//! The quantities the SKA papers plot, computed by observers after each iteration.
//!
//! Per layer, with sums over the whole batch × width tensor, ΔD = D_k − D_{k−1},
//! ΔZ = Z_k − Z_{k−1}, D′ = D_k ⊙ (1 − D_k) (DESIGN.md, "metric definitions"):
//!
//! | metric | definition | when |
//! |---|---|---|
//! | step entropy (2503 eq. 4, per step) | H = −(1/ln 2) Σ Z⊙ΔD | every update |
//! | cosine (2503 eq. 9) | Σ Z⊙ΔD / (‖Z‖_F ‖ΔD‖_F), 0 if a norm is 0 | every update |
//! | ‖Z‖_F | √Σ Z² | every forward pass |
//! | ‖W‖_F | √Σ W², after the update | every update |
//! | Tensor Net (code's sign) | Σ ΔZ⊙(D − (1/ln 2) Z⊙D′) | every update |
//! | Tensor Net (2504 eq. 8's sign) | Σ ΔZ⊙(D + (1/ln 2) Z⊙D′) | every update |
//! | knowledge flow | ‖ΔZ‖_F / η | every update |
//! | Lagrangian (2504) | −Σ Z⊙D′⊙ΔZ / η | every update |
//!
//! plus the batch mean of each output neuron at every forward pass ([`OutputMeans`]).
//! The element-wise differences are formed in the trainer's float type (as the published code
//! does in float32); products and sums accumulate in f64. One fused pass per layer
//! ([`StepSums`]) gives every per-update metric.

use super::real::Real;
use super::trainer::{IterationView, Observer};
use nalgebra::DMatrix;
use std::f64::consts::LN_2;
use std::ops::ControlFlow;

/// A per-layer metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// −(1/ln 2) Σ Z⊙ΔD.
    StepEntropy,
    /// Σ Z⊙ΔD / (‖Z‖‖ΔD‖).
    Cosine,
    /// ‖Z‖_F at every forward pass.
    ZNorm,
    /// ‖W‖_F after every update.
    WeightNorm,
    /// Σ ΔZ⊙(D − (1/ln 2) Z⊙D′) (the code's sign).
    TensorNet,
    /// Σ ΔZ⊙(D + (1/ln 2) Z⊙D′) (the sign of 2504 eq. 8).
    TensorNetPaper,
    /// ‖ΔZ‖_F / η.
    KnowledgeFlow,
    /// −Σ Z⊙D′⊙ΔZ / η.
    Lagrangian,
}

impl Metric {
    /// Every metric, in output order.
    pub const ALL: [Metric; 8] = [
        Metric::StepEntropy,
        Metric::Cosine,
        Metric::ZNorm,
        Metric::WeightNorm,
        Metric::TensorNet,
        Metric::TensorNetPaper,
        Metric::KnowledgeFlow,
        Metric::Lagrangian,
    ];

    /// The CSV file it is written to (the published names where one exists).
    pub fn file_name(self) -> &'static str {
        match self {
            Metric::StepEntropy => "entropy_history.csv",
            Metric::Cosine => "cosine_history.csv",
            Metric::ZNorm => "frobenius_history.csv",
            Metric::WeightNorm => "weight_frobenius_history.csv",
            Metric::TensorNet => "tensor_net_history.csv",
            Metric::TensorNetPaper => "tensor_net_paper_sign_history.csv",
            Metric::KnowledgeFlow => "knowledge_flow_history.csv",
            Metric::Lagrangian => "lagrangian_history.csv",
        }
    }

    /// True for metrics recorded at every forward pass (k = 0..K−1); the others are recorded
    /// at every update (k = 1..K−1).
    pub fn every_forward_pass(self) -> bool {
        matches!(self, Metric::ZNorm)
    }
}

/// The sums over one layer's batch × width tensor that every per-update metric is made of.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StepSums {
    /// Σ Z⊙ΔD.
    pub z_dd: f64,
    /// Σ Z².
    pub z_sq: f64,
    /// Σ ΔD².
    pub dd_sq: f64,
    /// Σ ΔZ⊙D.
    pub dz_d: f64,
    /// Σ ΔZ⊙Z⊙D′.
    pub dz_z_dp: f64,
    /// Σ ΔZ².
    pub dz_sq: f64,
}

impl StepSums {
    /// One fused pass over Z_k, D_k, Z_{k−1}, D_{k−1} (equal shapes). Each sum is accumulated
    /// in f64 over [`LANES`] interleaved partial sums (a fixed order, so results are
    /// reproducible bit for bit, and a loop the compiler vectorises).
    pub fn new<T: Real>(
        z: &DMatrix<T>,
        d: &DMatrix<T>,
        z_prev: &DMatrix<T>,
        d_prev: &DMatrix<T>,
    ) -> Self {
        let mut acc = [[0.0f64; LANES]; 6];
        #[inline(always)]
        fn term<T: Real>(zi: T, di: T, zp: T, dp: T) -> [f64; 6] {
            let dd = (di - dp).f64();
            let dz = (zi - zp).f64();
            let dprime = (di * (T::one() - di)).f64();
            let z = zi.f64();
            [
                z * dd,
                z * z,
                dd * dd,
                dz * di.f64(),
                dz * z * dprime,
                dz * dz,
            ]
        }
        let (z, d, zp, dp) = (
            z.as_slice(),
            d.as_slice(),
            z_prev.as_slice(),
            d_prev.as_slice(),
        );
        let n = z.len().min(d.len()).min(zp.len()).min(dp.len());
        let (z, d, zp, dp) = (&z[..n], &d[..n], &zp[..n], &dp[..n]);
        let chunks = z
            .chunks_exact(LANES)
            .zip(d.chunks_exact(LANES))
            .zip(zp.chunks_exact(LANES))
            .zip(dp.chunks_exact(LANES));
        for (((zc, dc), zpc), dpc) in chunks {
            for lane in 0..LANES {
                let t = term(zc[lane], dc[lane], zpc[lane], dpc[lane]);
                for (a, v) in acc.iter_mut().zip(t) {
                    a[lane] += v;
                }
            }
        }
        for j in n - n % LANES..n {
            let t = term(z[j], d[j], zp[j], dp[j]);
            for (a, v) in acc.iter_mut().zip(t) {
                a[0] += v;
            }
        }
        let total = |a: &[f64; LANES]| a.iter().sum::<f64>();
        StepSums {
            z_dd: total(&acc[0]),
            z_sq: total(&acc[1]),
            dd_sq: total(&acc[2]),
            dz_d: total(&acc[3]),
            dz_z_dp: total(&acc[4]),
            dz_sq: total(&acc[5]),
        }
    }

    /// Step entropy −(1/ln 2) Σ Z⊙ΔD.
    pub fn step_entropy(&self) -> f64 {
        -self.z_dd / LN_2
    }
    /// Cosine Σ Z⊙ΔD/(‖Z‖‖ΔD‖), 0 if either norm is 0.
    pub fn cosine(&self) -> f64 {
        let n = self.z_sq.sqrt() * self.dd_sq.sqrt();
        if n == 0.0 { 0.0 } else { self.z_dd / n }
    }
    /// Tensor Net with the code's sign, Σ ΔZ⊙(D − (1/ln 2) Z⊙D′).
    pub fn tensor_net(&self) -> f64 {
        self.dz_d - self.dz_z_dp / LN_2
    }
    /// Tensor Net with the sign of 2504 eq. 8, Σ ΔZ⊙(D + (1/ln 2) Z⊙D′).
    pub fn tensor_net_paper(&self) -> f64 {
        self.dz_d + self.dz_z_dp / LN_2
    }
    /// Knowledge flow ‖ΔZ‖_F/η.
    pub fn knowledge_flow(&self, eta: f64) -> f64 {
        self.dz_sq.sqrt() / eta
    }
    /// Lagrangian −Σ Z⊙D′⊙ΔZ/η.
    pub fn lagrangian(&self, eta: f64) -> f64 {
        -self.dz_z_dp / eta
    }
}

/// Interleaved partial sums per accumulated quantity (see [`StepSums::new`]).
pub const LANES: usize = 4;

/// Frobenius norm √Σ x², accumulated in f64 over [`LANES`] partial sums.
pub fn frobenius<T: Real>(m: &DMatrix<T>) -> f64 {
    let mut acc = [0.0f64; LANES];
    let chunks = m.as_slice().chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, &x) in acc.iter_mut().zip(c) {
            *a += x.f64() * x.f64();
        }
    }
    for &x in rest {
        acc[0] += x.f64() * x.f64();
    }
    acc.iter().sum::<f64>().sqrt()
}

/// What one layer's pass over its tensors gives.
enum Pass {
    /// k = 0: ‖Z‖_F only.
    First(f64),
    /// k ≥ 1: the fused sums and ‖W‖_F.
    Step(StepSums, f64),
}

/// Observer recording every [`Metric`] per layer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// η of the run (knowledge flow and Lagrangian divide by it).
    eta: f64,
    /// `series[m][l]`: metric `Metric::ALL[m]` of layer l, in recording order.
    series: Vec<Vec<Vec<f64>>>,
}

impl History {
    /// An empty history for a run with learning rate η.
    pub fn new(eta: f64) -> Self {
        Self {
            eta,
            series: vec![Vec::new(); Metric::ALL.len()],
        }
    }

    /// The recorded values of `metric`, one series per layer. Per-update metrics start at
    /// k = 1, ‖Z‖_F at k = 0.
    pub fn get(&self, metric: Metric) -> &[Vec<f64>] {
        let i = Metric::ALL.iter().position(|&m| m == metric).unwrap_or(0);
        &self.series[i]
    }

    fn push(&mut self, metric: Metric, layer: usize, value: f64) {
        let i = Metric::ALL.iter().position(|&m| m == metric).unwrap_or(0);
        let s = &mut self.series[i];
        if s.len() <= layer {
            s.resize(layer + 1, Vec::new());
        }
        s[layer].push(value);
    }
}

impl<T: Real> Observer<T> for History {
    fn observe(&mut self, view: &IterationView<'_, T>) -> ControlFlow<String> {
        // The per-layer passes are independent; the first (widest) layer may run on a second
        // thread (`parallel::map_items`), which changes no sum.
        let big = view.layer(0).z().len() >= super::parallel::MIN_PARALLEL;
        let passes = super::parallel::map_items(view.layers(), big, |l| {
            let layer = view.layer(l);
            match (layer.z_prev(), layer.d_prev()) {
                (Some(z_prev), Some(d_prev)) => Pass::Step(
                    StepSums::new(layer.z(), layer.d(), z_prev, d_prev),
                    frobenius(layer.weights()),
                ),
                _ => Pass::First(frobenius(layer.z())),
            }
        });
        for (l, pass) in passes.into_iter().enumerate() {
            match pass {
                Pass::First(z_norm) => self.push(Metric::ZNorm, l, z_norm),
                Pass::Step(s, w_norm) => {
                    // Σ Z² of the fused pass, in the same order as `frobenius(Z)`.
                    self.push(Metric::ZNorm, l, s.z_sq.sqrt());
                    self.push(Metric::StepEntropy, l, s.step_entropy());
                    self.push(Metric::Cosine, l, s.cosine());
                    self.push(Metric::WeightNorm, l, w_norm);
                    self.push(Metric::TensorNet, l, s.tensor_net());
                    self.push(Metric::TensorNetPaper, l, s.tensor_net_paper());
                    self.push(Metric::KnowledgeFlow, l, s.knowledge_flow(self.eta));
                    self.push(Metric::Lagrangian, l, s.lagrangian(self.eta));
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// Observer recording the batch mean of every output neuron at every forward pass.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutputMeans {
    /// `steps[k][j]`: mean over the batch of output neuron j at iteration k.
    pub steps: Vec<Vec<f64>>,
}

impl<T: Real> Observer<T> for OutputMeans {
    fn observe(&mut self, view: &IterationView<'_, T>) -> ControlFlow<String> {
        let d = view.layer(view.layers() - 1).d();
        let b = d.nrows() as f64;
        let means = d
            .as_slice()
            .chunks_exact(d.nrows())
            .map(|c| c.iter().map(|x| x.f64()).sum::<f64>() / b)
            .collect();
        self.steps.push(means);
        ControlFlow::Continue(())
    }
}

/// Summary of one layer's history: cumulative entropy, its minimum, the Tensor Net sign changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LayerSummary {
    /// Layer number (1-based, as in the CSV rows).
    pub layer: usize,
    /// Σ_k H_k, the cumulative step entropy after the last update.
    pub cumulative_entropy: f64,
    /// The most negative step entropy and the iteration k where it occurs.
    pub entropy_min: AtIteration,
    /// The sign changes of the Tensor Net (code's sign) between consecutive updates (zeros
    /// skipped): the characteristic time where the Net crosses zero.
    pub net_zero_crossings: Vec<Crossing>,
}

/// A value at an iteration.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AtIteration {
    /// Iteration k.
    pub k: usize,
    /// The value there.
    pub value: f64,
}

/// A zero crossing of a per-update series.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Crossing {
    /// First iteration k with the new sign.
    pub k: usize,
    /// The crossing point between k − 1 and k by linear interpolation (fractional iteration).
    pub k_interpolated: f64,
}

/// The cumulative step entropy Σ_{j ≤ k} H_j of each layer, per update.
pub fn cumulative_entropy(history: &History) -> Vec<Vec<f64>> {
    history
        .get(Metric::StepEntropy)
        .iter()
        .map(|s| {
            s.iter()
                .scan(0.0, |acc, &h| {
                    *acc += h;
                    Some(*acc)
                })
                .collect()
        })
        .collect()
}

/// Per-layer summaries (per-update series start at k = 1).
pub fn summarize(history: &History) -> Vec<LayerSummary> {
    let entropy = history.get(Metric::StepEntropy);
    let net = history.get(Metric::TensorNet);
    let cumulative = cumulative_entropy(history);
    (0..entropy.len())
        .map(|l| {
            let h = &entropy[l];
            let entropy_min = h.iter().enumerate().fold(
                AtIteration {
                    k: 1,
                    value: f64::INFINITY,
                },
                |best, (i, &v)| {
                    if v < best.value {
                        AtIteration { k: i + 1, value: v }
                    } else {
                        best
                    }
                },
            );
            let mut crossings = Vec::new();
            let mut last: Option<(usize, f64)> = None;
            for (i, &v) in net
                .get(l)
                .map(|v| v.as_slice())
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                if v == 0.0 || !v.is_finite() {
                    continue;
                }
                let k = i + 1;
                if let Some((kp, vp)) = last
                    && (vp < 0.0) != (v < 0.0)
                {
                    let t = kp as f64 + (k - kp) as f64 * vp / (vp - v);
                    crossings.push(Crossing {
                        k,
                        k_interpolated: t,
                    });
                }
                last = Some((k, v));
            }
            LayerSummary {
                layer: l + 1,
                cumulative_entropy: cumulative[l].last().copied().unwrap_or(0.0),
                entropy_min,
                net_zero_crossings: crossings,
            }
        })
        .collect()
}
