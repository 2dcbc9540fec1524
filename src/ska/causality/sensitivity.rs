//! Check (d), exact sensitivities: directional derivatives of every layer's update at
//! iteration k with respect to each layer's weights and to the labels, by dual numbers.
//!
//! The learner's rule in generic form ([`StepModel`]) is evaluated on `Dual64` over an f64 copy
//! of the parameters used at iteration k, on the first `subset` images of the batch (the
//! dependence structure is per image, so a subset shows it; the cost is linear in the subset).
//! For a direction V (standard normal entries, scaled to unit Frobenius norm) in W^(m) the
//! weights are W^(m) + εV; every entry's ε-part of ΔW^(l)_k and Δb^(l)_k is then
//! ∂(ΔW^(l)_k)/∂W^(m)·V exactly. The state carried from iteration k − 1 (D_{k−1}) enters as a
//! constant: this is the dependence on the parameters *at* iteration k. Under SKA the ε-parts
//! of layers l < m are exactly 0.0 (no operation mixes them in), not merely small.
//! Evaluations per iteration: (L + 1) × directions.

use super::learner::Learner;
use super::model::{Params, StepModel, lift};
use crate::ska::real::Real;
use nalgebra::{DMatrix, DVector};
use num_dual::Dual64;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// `[l][m]` max |∂ΔW^(l)/∂W^(m)·V| over directions, and `[l]` max |∂ΔW^(l)/∂Y·V|.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivities {
    /// Weights.
    pub weights: Vec<Vec<f64>>,
    /// Labels.
    pub labels: Vec<f64>,
}

/// A unit-norm standard-normal direction (Box–Muller on the seeded generator).
pub fn direction(rng: &mut ChaCha8Rng, rows: usize, cols: usize) -> DMatrix<f64> {
    let mut v = DMatrix::from_fn(rows, cols, |_, _| {
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    });
    let n = v.norm();
    if n > 0.0 {
        v /= n;
    }
    v
}

/// The first `n` rows.
fn head(m: &DMatrix<f64>, n: usize) -> DMatrix<f64> {
    m.rows(0, n.min(m.nrows())).into_owned()
}

/// Max |ε-part| of every layer's (ΔW, Δb).
fn eps_max(updates: &Params<Dual64>) -> Vec<f64> {
    updates
        .iter()
        .map(|(w, b)| {
            w.iter()
                .chain(b.iter())
                .fold(0.0f64, |a, d| a.max(d.eps.abs()))
        })
        .collect()
}

/// The dual-number inputs at the learner's next iteration.
pub struct DualInputs<M: StepModel> {
    /// The rule.
    pub model: M,
    /// Parameters used at iteration k (f64).
    pub params: Params<f64>,
    /// Batch subset.
    pub x: DMatrix<f64>,
    /// Targets subset.
    pub y: DMatrix<f64>,
    /// Carried state subset.
    pub carried: Option<Vec<DMatrix<f64>>>,
}

impl<M: StepModel> DualInputs<M> {
    /// From a learner about to run iteration k, on its first `subset` images.
    pub fn of<T: Real, L: Learner<T, Model = M>>(learner: &L, subset: usize) -> Self {
        let net = learner.network().cast::<f64>();
        let (x, y) = learner.batch();
        let x = head(&x.map(|v| v.f64()), subset);
        let y = head(&y.map(|v| v.f64()), subset);
        let carried = learner
            .carried()
            .map(|c| c.iter().map(|m| head(m, subset)).collect());
        Self {
            model: learner.model(),
            params: super::learner::params_of(&net),
            x,
            y,
            carried,
        }
    }

    /// The parameters as duals, with ε-part `v` on W^(m) (if given).
    pub fn dual_params(&self, perturb: Option<(usize, &DMatrix<f64>)>) -> Params<Dual64> {
        self.params
            .iter()
            .enumerate()
            .map(|(l, (w, b))| {
                let wd = match perturb {
                    Some((m, v)) if m == l => DMatrix::from_fn(w.nrows(), w.ncols(), |i, j| {
                        Dual64::new(w[(i, j)], v[(i, j)])
                    }),
                    _ => lift(w),
                };
                let bd: DVector<Dual64> = b.map(Dual64::from);
                (wd, bd)
            })
            .collect()
    }

    /// The directional derivative of every layer's update along `v` in W^(m) (`None`: the
    /// iteration applies no update).
    pub fn along_weights(&self, m: usize, v: &DMatrix<f64>) -> Option<Params<Dual64>> {
        let p = self.dual_params(Some((m, v)));
        self.model
            .step(&p, &self.x, &lift(&self.y), self.carried.as_deref())
            .updates
    }

    /// The directional derivative of every layer's update along `v` in the targets.
    pub fn along_labels(&self, v: &DMatrix<f64>) -> Option<Params<Dual64>> {
        let p = self.dual_params(None);
        let y = DMatrix::from_fn(self.y.nrows(), self.y.ncols(), |i, j| {
            Dual64::new(self.y[(i, j)], v[(i, j)])
        });
        self.model
            .step(&p, &self.x, &y, self.carried.as_deref())
            .updates
    }

    /// Every layer's update in f64 with W^(m) replaced by W^(m) + h·v (for finite differences).
    pub fn shifted(&self, m: usize, v: &DMatrix<f64>, h: f64) -> Option<Params<f64>> {
        let mut p = self.params.clone();
        p[m].0 += v * h;
        self.model
            .step(&p, &self.x, &self.y, self.carried.as_deref())
            .updates
    }
}

/// Max |directional derivative| of every layer's update w.r.t. every W^(m) and the labels, over
/// `directions` random directions each (`None` if the iteration applies no update).
pub fn sensitivities<T: Real, L: Learner<T>>(
    before: &L,
    subset: usize,
    directions: usize,
    rng: &mut ChaCha8Rng,
) -> Option<Sensitivities> {
    let inputs = DualInputs::of(before, subset);
    let layers = inputs.params.len();
    let mut weights = vec![vec![0.0f64; layers]; layers];
    for (m, (w, _)) in inputs.params.iter().enumerate() {
        let (r, c) = w.shape();
        for _ in 0..directions {
            let v = direction(rng, r, c);
            let upd = inputs.along_weights(m, &v)?;
            for (l, e) in eps_max(&upd).into_iter().enumerate() {
                weights[l][m] = weights[l][m].max(e);
            }
        }
    }
    let mut labels = vec![0.0f64; layers];
    for _ in 0..directions {
        let v = direction(rng, inputs.y.nrows(), inputs.y.ncols());
        let upd = inputs.along_labels(&v)?;
        for (l, e) in eps_max(&upd).into_iter().enumerate() {
            labels[l] = labels[l].max(e);
        }
    }
    Some(Sensitivities { weights, labels })
}
