//! Check (b), temporal causality (prefix determinism): the parameters after update k must not
//! depend on anything the run sees after iteration k.
//!
//! For every k a fresh copy of the initial learner is run through iterations 0..=k on the
//! original batch and compared bit by bit, layer by layer, with the reference run's parameters
//! after update k; then its inputs are perturbed (X → 1 − X, target rows rotated by one) and it
//! runs iteration k + 1, whose parameters must now differ from the reference run's — evidence
//! that the perturbation reaches the parameters, so the check could fail. (K itself only bounds
//! the loop: `Trainer::step` never reads it.) Cost: Σ_k (k + 2) ≈ K²/2 iterations.

use super::compare;
use super::learner::Learner;
use super::report::Comparison;
use crate::ska::network::Network;
use crate::ska::real::Real;
use nalgebra::DMatrix;

/// The perturbed inputs of the second run: X' = 1 − X, targets rotated by one row.
pub fn perturbed<T: Real>(x: &DMatrix<T>, y: &DMatrix<T>) -> (DMatrix<T>, DMatrix<T>) {
    let xp = x.map(|v| T::one() - v);
    let n = y.nrows();
    let order: Vec<usize> = (0..n).map(|i| (i + 1) % n).collect();
    (xp, y.select_rows(&order))
}

/// Per layer, the comparison of the parameters after update k; and whether the perturbed run
/// differs from the reference after update k + 1 (`None` if `next` is not given).
pub fn check<T: Real, L: Learner<T>>(
    initial: &L,
    k: usize,
    after_k: &Network<T>,
    next: Option<&Network<T>>,
) -> (Vec<Comparison>, Option<bool>) {
    let mut run = initial.clone();
    for _ in 0..=k {
        run.step();
    }
    let layers = after_k.layers();
    let cmp = (0..layers)
        .map(|l| compare::layer(run.network(), after_k, l))
        .collect();
    let visible = next.map(|n1| {
        let (x, y) = run.batch();
        let (xp, yp) = perturbed(x, y);
        if run.set_batch(xp, yp).is_err() {
            return false;
        }
        run.step();
        (0..layers).any(|l| !compare::layer(run.network(), n1, l).identical())
    });
    (cmp, visible)
}
