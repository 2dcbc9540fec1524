//! The per-layer SKA weight update, as a function of that layer's state only.
//!
//! The step entropy of layer l at iteration k (2503 eq. 4 in its discrete, per-step form) is
//!
//!   H_k^(l) = −(1/ln 2) Σ_{batch, neurons} Z_k ⊙ (D_k − D_{k−1}).
//!
//! Holding D_{k−1} fixed, with Z_k = A·W + b and D_k = σ(Z_k),
//!
//!   ∂H_k^(l)/∂Z_k = −(1/ln 2) (Z_k ⊙ D_k ⊙ (1 − D_k) + ΔD_k) =: G    (the code's form of 2503 eq. 31;
//!                                                                   the paper leaves ΔD unscaled)
//!   ∂H_k^(l)/∂W   = Aᵀ · G,   ∂H_k^(l)/∂b = Σ_batch G.
//!
//! Both update rules descend this gradient averaged over the batch:
//!
//!   ΔW = −η · Aᵀ·G / batch,   Δb = −η · mean_batch(G),   W ← W + ΔW, b ← b + Δb.
//!
//! They differ only in the layer input A (see [`UpdateRule`]). [`layer_update`] takes a
//! [`LayerState`] — the layer's input, Z_k, D_k, D_{k−1} — and η, and nothing else: it cannot
//! read another layer's parameters or the labels, which is the locality claim of the papers made
//! visible in a type signature.

use super::real::Real;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector, Dyn, MatrixView};
use std::fmt;
use std::str::FromStr;

/// Which layer input the update uses; the gradient G is the same for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateRule {
    /// Exactly the published loop: the input of layer 1 is X, the input of layer l > 1 is the
    /// *previous* iteration's D_{k−1}^(l−1) (what the code release does; not a gradient of
    /// H_k^(l) because Z_k was computed from D_k^(l−1)).
    Reference,
    /// The exact gradient of H_k^(l) with respect to W^(l) at fixed D_{k−1}: the input of layer
    /// l > 1 is the current D_k^(l−1), the one Z_k^(l) was computed from.
    LocalExact,
}

impl UpdateRule {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            UpdateRule::Reference => "reference",
            UpdateRule::LocalExact => "local-exact",
        }
    }
}

impl fmt::Display for UpdateRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for UpdateRule {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "reference" => Ok(UpdateRule::Reference),
            "local-exact" => Ok(UpdateRule::LocalExact),
            _ => Err(Error::Invalid {
                what: "update rule".into(),
                reason: format!("`{s}` is not one; use `reference` or `local-exact`"),
            }),
        }
    }
}

/// Everything one layer's update may depend on: its input A, Z_k, D_k and D_{k−1}
/// (shapes checked on construction).
#[derive(Debug, Clone, Copy)]
pub struct LayerState<'a, T: Real> {
    pub(crate) input: &'a DMatrix<T>,
    pub(crate) z: &'a DMatrix<T>,
    pub(crate) d: &'a DMatrix<T>,
    pub(crate) d_prev: &'a DMatrix<T>,
}

impl<'a, T: Real> LayerState<'a, T> {
    /// The state of a layer: input A (batch × n_in), Z_k, D_k, D_{k−1} (each batch × n_out).
    pub fn new(
        input: &'a DMatrix<T>,
        z: &'a DMatrix<T>,
        d: &'a DMatrix<T>,
        d_prev: &'a DMatrix<T>,
    ) -> Result<Self> {
        let batch = input.nrows();
        for (what, m) in [("Z_k", z), ("D_k", d), ("D_{k-1}", d_prev)] {
            if m.shape() != z.shape() || m.nrows() != batch {
                return Err(Error::Invalid {
                    what: format!("layer state {what}"),
                    reason: format!(
                        "shape {}×{}, expected {}×{} (batch × layer width, batch of the input)",
                        m.nrows(),
                        m.ncols(),
                        batch,
                        z.ncols()
                    ),
                });
            }
        }
        if batch == 0 {
            return Err(Error::Invalid {
                what: "layer state".into(),
                reason: "empty batch".into(),
            });
        }
        Ok(Self {
            input,
            z,
            d,
            d_prev,
        })
    }

    /// The layer input A (batch × n_in).
    pub fn input(&self) -> &'a DMatrix<T> {
        self.input
    }
    /// Z_k (batch × n_out).
    pub fn z(&self) -> &'a DMatrix<T> {
        self.z
    }
    /// D_k = σ(Z_k).
    pub fn d(&self) -> &'a DMatrix<T> {
        self.d
    }
    /// D_{k−1}, the previous iteration's D of this layer.
    pub fn d_prev(&self) -> &'a DMatrix<T> {
        self.d_prev
    }
}

/// The change a layer's update applies: W ← W + ΔW, b ← b + Δb.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerUpdate<T: Real> {
    /// ΔW = −η·Aᵀ·G/batch (n_in × n_out).
    pub delta_w: DMatrix<T>,
    /// Δb = −η·mean_batch(G) (n_out).
    pub delta_b: DVector<T>,
}

impl<T: Real> LayerUpdate<T> {
    /// A zero update for a layer of the given shape (the buffer the trainer reuses).
    pub fn zeros(n_in: usize, n_out: usize) -> Self {
        Self {
            delta_w: DMatrix::zeros(n_in, n_out),
            delta_b: DVector::zeros(n_out),
        }
    }
}

/// The update of one layer from its own state (allocating; see [`layer_update_into`]).
pub fn layer_update<T: Real>(state: &LayerState<'_, T>, eta: T) -> LayerUpdate<T> {
    let mut g = DMatrix::zeros(state.z.nrows(), state.z.ncols());
    let mut out = LayerUpdate::zeros(state.input.ncols(), state.z.ncols());
    layer_update_into(state, eta, &mut g, &mut out);
    out
}

/// [`layer_update`] into preallocated buffers: `g` (batch × n_out) receives G, `out` the update.
/// Buffers of the wrong shape are resized (allocating once).
pub fn layer_update_into<T: Real>(
    state: &LayerState<'_, T>,
    eta: T,
    g: &mut DMatrix<T>,
    out: &mut LayerUpdate<T>,
) {
    update_into(state, None, eta, g, out);
}

/// [`layer_update_into`] with Aᵀ supplied as a contiguous matrix (equal to
/// `state.input().transpose()`, which the caller guarantees; the trainer keeps one for the
/// constant images X, whose transposed view would be re-read with a large stride every step).
pub(crate) fn layer_update_into_transposed<T: Real>(
    state: &LayerState<'_, T>,
    input_t: &DMatrix<T>,
    eta: T,
    g: &mut DMatrix<T>,
    out: &mut LayerUpdate<T>,
) {
    update_into(state, Some(input_t), eta, g, out);
}

fn update_into<T: Real>(
    state: &LayerState<'_, T>,
    input_t: Option<&DMatrix<T>>,
    eta: T,
    g: &mut DMatrix<T>,
    out: &mut LayerUpdate<T>,
) {
    let (batch, n_out) = state.z.shape();
    let n_in = state.input.ncols();
    if g.shape() != (batch, n_out) {
        *g = DMatrix::zeros(batch, n_out);
    }
    if out.delta_w.shape() != (n_in, n_out) || out.delta_b.len() != n_out {
        *out = LayerUpdate::zeros(n_in, n_out);
    }
    // G = −(1/ln 2)(Z ⊙ D ⊙ (1 − D) + (D − D_prev))  — as the code release computes it.
    // Δb = −η·mean_batch(G) in the same pass (column j of G is neuron j over the batch).
    let c = -T::one() / T::ln_2();
    let eta_over_batch = eta / T::of(batch as f64);
    let (z, d, p) = (
        state.z.as_slice(),
        state.d.as_slice(),
        state.d_prev.as_slice(),
    );
    super::parallel::columns_mut2(
        g.as_mut_slice(),
        batch,
        out.delta_b.as_mut_slice(),
        1,
        |c0, gs, dbs| {
            for (j, (gc, db)) in gs.chunks_exact_mut(batch).zip(dbs.iter_mut()).enumerate() {
                let o = (c0 + j) * batch;
                let (zc, dc, pc) = (&z[o..o + batch], &d[o..o + batch], &p[o..o + batch]);
                for (((gi, &zi), &di), &pi) in gc.iter_mut().zip(zc).zip(dc).zip(pc) {
                    *gi = c * (zi * di * (T::one() - di) + (di - pi));
                }
                let mut s = T::zero();
                for &gi in gc.iter() {
                    s += gi;
                }
                *db = -(s * eta_over_batch);
            }
        },
    );
    // ΔW = (−η/batch)·Aᵀ·G through GEMM on a transposed *view* of A (no copy, no tr_mul).
    let scale = -eta / T::of(batch as f64);
    if let Some(a_t) = input_t.filter(|a_t| a_t.shape() == (n_in, batch)) {
        out.delta_w.gemm(scale, a_t, g, T::zero());
    } else if n_in > GEMM_MIN_DIM && n_out > GEMM_MIN_DIM && batch > GEMM_MIN_DIM {
        out.delta_w
            .gemm(scale, &transposed_view(state.input), g, T::zero());
    } else {
        // nalgebra sends products with a dimension ≤ 5 to a generic loop that mis-indexes
        // strided views; for such tiny layers an owned transpose is cheap and safe.
        out.delta_w
            .gemm(scale, &state.input.transpose(), g, T::zero());
    }
}

/// nalgebra hands a product to matrixmultiply only when every dimension exceeds this.
const GEMM_MIN_DIM: usize = 5;

/// Aᵀ as a strided view of A's column-major storage (element (j, i) of Aᵀ is A[i + j·rows]).
pub fn transposed_view<T: Real>(a: &DMatrix<T>) -> TransposedView<'_, T> {
    let (rows, cols) = a.shape();
    MatrixView::from_slice_with_strides_generic(
        a.as_slice(),
        Dyn(cols),
        Dyn(rows),
        Dyn(rows),
        Dyn(1),
    )
}

/// A matrix view with both strides dynamic (what [`transposed_view`] returns).
pub type TransposedView<'a, T> = MatrixView<'a, T, Dyn, Dyn, Dyn, Dyn>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposed_view_is_the_transpose() {
        let a = DMatrix::from_fn(3, 4, |i, j| (i * 10 + j) as f64);
        assert_eq!(transposed_view(&a).into_owned(), a.transpose());
    }

    #[test]
    fn state_rejects_mismatched_shapes() {
        let a = DMatrix::<f32>::zeros(4, 3);
        let z = DMatrix::<f32>::zeros(4, 2);
        let bad = DMatrix::<f32>::zeros(5, 2);
        assert!(LayerState::new(&a, &z, &z, &z).is_ok());
        assert!(LayerState::new(&a, &z, &bad, &z).is_err());
        assert!(LayerState::new(&a, &z, &z, &bad).is_err());
    }

    #[test]
    fn rule_names_round_trip() {
        for r in [UpdateRule::Reference, UpdateRule::LocalExact] {
            assert_eq!(r.name().parse::<UpdateRule>().unwrap(), r);
        }
        assert!("backprop".parse::<UpdateRule>().is_err());
    }
}
