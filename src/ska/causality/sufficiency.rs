//! Check (c), state sufficiency: the update of layer l at iteration k is recomputed from the
//! recorded local state alone — the layer input, Z_k, D_k, D_{k−1}, copied into a
//! [`LayerRecord`] — by [`LayerRecord::recompute`] (the function [`layer_update`] whose
//! signature admits nothing else), and compared bit by bit with the update the trainer applied.
//! A rule that declares no local form (backprop: δ^(l) needs W^(l+1..L) and the labels) gets
//! "n/a" here; checks (a) and (d) show why.
//!
//! One detail of the trainer is mirrored: it forms layer 1's products over the input features
//! that are non-zero somewhere in the batch only (an all-zero pixel contributes 0 to Z and gets
//! ΔW = 0). The sums over the batch are the same, but the GEMM's blocking depends on the matrix
//! shape, so the bits of ΔW^(1) are only reproduced on the same shape: [`recompute`] restricts
//! the recorded input the same way (a function of the recorded input alone) and scatters back.

use super::compare;
use super::learner::Learner;
use super::report::Comparison;
use crate::error::Result;
use crate::ska::real::Real;
use crate::ska::record::LayerRecord;
use crate::ska::update::{LayerState, LayerUpdate, layer_update};

/// ΔW, Δb from the record alone, computed as the trainer computes them (see the module doc).
pub fn recompute<T: Real>(record: &LayerRecord<T>, eta: T) -> Result<LayerUpdate<T>> {
    let x = &record.input;
    let used: Vec<usize> = (0..x.ncols())
        .filter(|&p| x.column(p).iter().any(|v| *v != T::zero()))
        .collect();
    if used.is_empty() || used.len() == x.ncols() {
        return record.recompute(eta);
    }
    let xs = x.select_columns(&used);
    let state = LayerState::new(&xs, &record.z, &record.d, &record.d_prev)?;
    let part = layer_update(&state, eta);
    let mut out = LayerUpdate::zeros(x.ncols(), record.z.ncols());
    for j in 0..out.delta_w.ncols() {
        for (r, &p) in used.iter().enumerate() {
            out.delta_w[(p, j)] = part.delta_w[(r, j)];
        }
    }
    out.delta_b = part.delta_b;
    Ok(out)
}

/// The comparison for layer l after the learner's last iteration (None: no local form or no
/// update; a record that cannot be recomputed, e.g. inconsistent shapes, counts as differing).
pub fn check<T: Real, L: Learner<T>>(learner: &L, l: usize) -> Option<Comparison> {
    let record: LayerRecord<T> = learner.local_record(l)?;
    Some(match recompute(&record, T::of(learner.eta())) {
        Ok(u) => compare::updates(&u, &record.update),
        Err(_) => Comparison {
            differing: record.update.delta_w.len(),
            max_abs: f64::INFINITY,
        },
    })
}
