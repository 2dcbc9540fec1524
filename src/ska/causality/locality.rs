//! Check (a), layer locality: replace what layer l's update must not read and step once.
//!
//! From the learner's state just before iteration k, (i) the parameters W^(m), b^(m) of every
//! layer m > l are replaced by random values (uniform in [−1, 1], far from the trained ones, so
//! the downstream forward pass changes completely), or (ii) the rows of the targets are permuted;
//! the iteration is run and ΔW^(l)_k, Δb^(l)_k are compared bit by bit with the unperturbed
//! run's. Seed paper Table 1 / Theorem 2: SKA's update of layer l needs only layer l's state.

use super::compare;
use super::learner::Learner;
use super::report::Comparison;
use crate::ska::real::Real;
use crate::ska::update::LayerUpdate;
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// ΔW^(l)_k with every layer m > l replaced, compared with `base` (None: no update, or l is the
/// top layer).
pub fn downstream<T: Real, L: Learner<T>>(
    before: &L,
    base: &[LayerUpdate<T>],
    l: usize,
    rng: &mut ChaCha8Rng,
) -> Option<Comparison> {
    let layers = base.len();
    if l + 1 >= layers {
        return None;
    }
    let mut run = before.clone();
    {
        let net = run.network_mut();
        for m in l + 1..layers {
            let (r, c) = net.weights[m].shape();
            net.weights[m] = DMatrix::from_fn(r, c, |_, _| T::of(rng.random_range(-1.0..=1.0)));
            net.biases[m] = DVector::from_fn(c, |_, _| T::of(rng.random_range(-1.0..=1.0)));
        }
    }
    let upd = run.step()?;
    Some(compare::updates(&upd[l], &base[l]))
}

/// Every layer's update with the target rows permuted (a seeded shuffle), compared with `base`.
/// Also returns how many target rows the permutation changed (0 would make the check vacuous).
pub fn labels<T: Real, L: Learner<T>>(
    before: &L,
    base: &[LayerUpdate<T>],
    rng: &mut ChaCha8Rng,
) -> Option<(Vec<Comparison>, usize)> {
    let mut run = before.clone();
    let (x, y) = run.batch();
    let (x, y) = (x.clone(), y.clone());
    let mut order: Vec<usize> = (0..y.nrows()).collect();
    order.shuffle(rng);
    let permuted = y.select_rows(&order);
    let changed = (0..y.nrows())
        .filter(|&i| permuted.row(i) != y.row(i))
        .count();
    run.set_batch(x, permuted).ok()?;
    let upd = run.step()?;
    Some((
        upd.iter()
            .zip(base)
            .map(|(a, b)| compare::updates(a, b))
            .collect(),
        changed,
    ))
}
