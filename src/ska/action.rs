//! Least action along the real learning trajectory.
//!
//! Each layer's pre-activations Z_k (batch × n), recorded at t_k = η·k, are read as a trajectory
//! z(t) of the n-neuron SKA Lagrangian (seed paper eq. 5), one copy per sample,
//!
//!   L(z, ż) = −Σᵢ zᵢ σ′(zᵢ) żᵢ,   σ′ = σ(1 − σ).
//!
//! L is a null Lagrangian: L = dF/dt with F(z) = Σᵢ softplus(zᵢ) − zᵢσ(zᵢ)
//! ([`ska_potential`], F′(z) = −zσ′(z)), so the action between two instants is F(end) − F(start)
//! for *every* path, including the one learning takes. The discrete action uses the midpoint
//! rule on each step (ż from differences, Δt = η):
//!
//!   S = Σ_k L(z̄_k, (Z_k − Z_{k−1})/η)·η = Σ_k Σ_{samples, neurons} −z̄ σ′(z̄)(Z_k − Z_{k−1}),
//!   z̄ = (Z_k + Z_{k−1})/2,
//!
//! and F(Z_k) − F(Z_{k−1}) − F′(z̄)ΔZ = F‴(z̄)ΔZ³/24 + O(ΔZ⁵) per element, so S/ΔF → 1 with an
//! error of order ΔZ² ∝ η² at fixed t. [`ActionObserver`] accumulates S and F in f64 while the
//! trainer runs (it keeps one copy of the last Z per layer, not the history).

use super::real::Real;
use super::trainer::{IterationView, Observer};
use crate::mechanics::systems::ska_potential;
use crate::scalar::sigmoid_prime;
use std::ops::ControlFlow;

/// One layer's action and potential difference.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LayerAction {
    /// Layer (1-based).
    pub layer: usize,
    /// The discrete action Σ L Δt (midpoint rule).
    pub action: f64,
    /// F(Z_0) summed over samples and neurons.
    pub f_start: f64,
    /// F(Z_{K−1}).
    pub f_end: f64,
    /// F(Z_{K−1}) − F(Z_0).
    pub delta_f: f64,
    /// S / ΔF (1 up to the discretization error).
    pub ratio: f64,
    /// S − ΔF.
    pub error: f64,
}

/// Observer accumulating each layer's discrete action and F at the start and the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionObserver {
    action: Vec<f64>,
    f_start: Vec<f64>,
    last_z: Vec<Vec<f64>>,
}

/// Σ F(z) over a matrix's entries.
fn potential(z: &[f64]) -> f64 {
    z.iter().map(|&v| ska_potential(v)).sum()
}

impl<T: Real> Observer<T> for ActionObserver {
    fn observe(&mut self, view: &IterationView<'_, T>) -> ControlFlow<String> {
        let layers = view.layers();
        if self.last_z.len() != layers {
            self.action = vec![0.0; layers];
            self.f_start = vec![0.0; layers];
            self.last_z = vec![Vec::new(); layers];
        }
        for l in 0..layers {
            let z = view.layer(l).z();
            let last = &mut self.last_z[l];
            if last.is_empty() {
                last.extend(z.iter().map(|v| v.f64()));
                self.f_start[l] = potential(last);
                continue;
            }
            let mut s = 0.0;
            for (p, v) in last.iter_mut().zip(z.iter()) {
                let b = v.f64();
                let mid = 0.5 * (*p + b);
                s += -mid * sigmoid_prime(mid) * (b - *p);
                *p = b;
            }
            self.action[l] += s;
        }
        ControlFlow::Continue(())
    }
}

impl ActionObserver {
    /// The per-layer results (empty before the first iteration).
    pub fn result(&self) -> Vec<LayerAction> {
        (0..self.last_z.len())
            .map(|l| {
                let f_end = potential(&self.last_z[l]);
                let delta_f = f_end - self.f_start[l];
                LayerAction {
                    layer: l + 1,
                    action: self.action[l],
                    f_start: self.f_start[l],
                    f_end,
                    delta_f,
                    ratio: self.action[l] / delta_f,
                    error: self.action[l] - delta_f,
                }
            })
            .collect()
    }
}

/// The discrete action and ΔF of one recorded trajectory `z[k]` (every entry one coordinate),
/// outside a trainer (same formulas as [`ActionObserver`]).
pub fn action_along(z: &[Vec<f64>]) -> Option<LayerAction> {
    let first = z.first()?;
    let last = z.last()?;
    let mut action = 0.0;
    for w in z.windows(2) {
        for (&a, &b) in w[0].iter().zip(&w[1]) {
            let mid = 0.5 * (a + b);
            action += -mid * sigmoid_prime(mid) * (b - a);
        }
    }
    let (f_start, f_end) = (potential(first), potential(last));
    let delta_f = f_end - f_start;
    Some(LayerAction {
        layer: 1,
        action,
        f_start,
        f_end,
        delta_f,
        ratio: action / delta_f,
        error: action - delta_f,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midpoint_action_converges_to_delta_f_at_second_order() {
        // z(t) = 3 sin(2t) − 1 on [0, 1] for two coordinates, sampled at N + 1 points.
        let path = |n: usize| -> Vec<Vec<f64>> {
            (0..=n)
                .map(|k| {
                    let t = k as f64 / n as f64;
                    vec![3.0 * (2.0 * t).sin() - 1.0, 0.5 + 2.0 * t * t]
                })
                .collect()
        };
        let e1 = action_along(&path(50)).unwrap().error.abs();
        let e2 = action_along(&path(100)).unwrap().error.abs();
        let r = action_along(&path(100)).unwrap();
        assert!((r.ratio - 1.0).abs() < 1e-4, "{r:?}");
        let order = (e1 / e2).log2();
        assert!((order - 2.0).abs() < 0.1, "order {order}");
    }
}
