//! Bitwise comparison of matrices and updates — the standard of checks (a)–(c).
//!
//! Two values are identical when their bits agree after mapping −0 to +0 (x + 0.0): ±0 are the
//! same update (W + 0 and W − 0 agree), and a GEMM with a negative α writes −0 where a skipped
//! product leaves +0. Nothing else is forgiven: no tolerance, NaN only equals the same NaN.

use super::report::Comparison;
use crate::ska::network::Network;
use crate::ska::real::Real;
use crate::ska::update::LayerUpdate;
use nalgebra::DMatrix;

fn bits<T: Real>(x: T) -> u64 {
    (x.f64() + 0.0).to_bits()
}

/// Compares two sequences of values bit by bit.
fn compare_iter<'a, T: Real>(
    a: impl Iterator<Item = &'a T>,
    b: impl Iterator<Item = &'a T>,
) -> Comparison {
    let mut c = Comparison {
        differing: 0,
        max_abs: 0.0,
    };
    for (&x, &y) in a.zip(b) {
        if bits(x) != bits(y) {
            c.differing += 1;
            let d = (x.f64() - y.f64()).abs();
            c.max_abs = c.max_abs.max(if d.is_nan() { f64::INFINITY } else { d });
        }
    }
    c
}

/// Two matrices (a shape mismatch counts every entry of the larger as differing).
pub fn matrices<T: Real>(a: &DMatrix<T>, b: &DMatrix<T>) -> Comparison {
    if a.shape() != b.shape() {
        return Comparison {
            differing: a.len().max(b.len()),
            max_abs: f64::INFINITY,
        };
    }
    compare_iter(a.iter(), b.iter())
}

/// Merges two comparisons.
pub fn both(a: Comparison, b: Comparison) -> Comparison {
    Comparison {
        differing: a.differing + b.differing,
        max_abs: a.max_abs.max(b.max_abs),
    }
}

/// Two updates (ΔW and Δb).
pub fn updates<T: Real>(a: &LayerUpdate<T>, b: &LayerUpdate<T>) -> Comparison {
    let w = matrices(&a.delta_w, &b.delta_w);
    let bb = if a.delta_b.len() == b.delta_b.len() {
        compare_iter(a.delta_b.iter(), b.delta_b.iter())
    } else {
        Comparison {
            differing: a.delta_b.len().max(b.delta_b.len()),
            max_abs: f64::INFINITY,
        }
    };
    both(w, bb)
}

/// Layer l's parameters (W^(l), b^(l)) of two networks.
pub fn layer<T: Real>(a: &Network<T>, b: &Network<T>, l: usize) -> Comparison {
    let w = matrices(&a.weights[l], &b.weights[l]);
    let bb = compare_iter(a.biases[l].iter(), b.biases[l].iter());
    both(w, bb)
}
