//! The control: plain backpropagation on the same network, data and initial weights.
//!
//! The seed paper's Table 1 contrasts SKA's update, which needs only the layer's current state,
//! with backpropagation's, which needs "future" quantities: the downstream layers and the
//! output error. To measure that contrast the causality checker needs a backprop trainer that
//! differs from the SKA loop in nothing but the update. This is it: the same sigmoid layers
//! Z = A·W + b (W in × out), the same batch (the whole data set, pixels byte/255), the same
//! initial weights, full-batch gradient descent with the same η.
//!
//! Loss (documented choice): the mean squared error on one-hot targets Y (batch × classes),
//!
//!   E = (1/2B) Σ_{batch, outputs} (D^(L) − Y)²,
//!
//! with the δ recursion of backpropagation (σ′ = D ⊙ (1 − D)):
//!
//!   δ^(L) = (D^(L) − Y) ⊙ D^(L) ⊙ (1 − D^(L))                       ([`output_delta`]),
//!   δ^(l) = (δ^(l+1) · W^(l+1)ᵀ) ⊙ D^(l) ⊙ (1 − D^(l)),  l < L     ([`hidden_delta`]),
//!   ΔW^(l) = −η · A^(l−1)ᵀ · δ^(l) / B,   Δb^(l) = −η · mean_batch(δ^(l))   ([`delta_update`]).
//!
//! [`hidden_delta`]'s signature is the point: the update of layer l cannot be formed without the
//! downstream layer's δ^(l+1) and weights W^(l+1) — and, through δ^(L), the labels. Every
//! iteration k = 0..K−1 runs a forward pass and updates every layer (K updates; the SKA loop
//! makes K − 1, from k = 1).

use super::network::Network;
use super::real::Real;
use super::trainer::TrainConfig;
use super::update::{LayerUpdate, UpdateRule, transposed_view};
use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// One-hot targets Y (batch × classes): Y(i, labels(i)) = 1.
pub fn one_hot<T: Real>(labels: &[u8], classes: usize) -> Result<DMatrix<T>> {
    if let Some((i, &c)) = labels
        .iter()
        .enumerate()
        .find(|&(_, &c)| c as usize >= classes)
    {
        return Err(Error::Invalid {
            what: format!("label of image {i}"),
            reason: format!(
                "{c} does not fit an output layer of {classes} neurons (one-hot targets need \
                 as many outputs as classes; end --layers with 10)"
            ),
        });
    }
    Ok(DMatrix::from_fn(labels.len(), classes, |i, j| {
        if labels[i] as usize == j {
            T::one()
        } else {
            T::zero()
        }
    }))
}

/// δ^(L) = (D^(L) − Y) ⊙ D^(L)(1 − D^(L)): the output error, the only place labels enter.
pub fn output_delta<T: Real>(d_out: &DMatrix<T>, targets: &DMatrix<T>, delta: &mut DMatrix<T>) {
    for ((e, &d), &y) in delta
        .as_mut_slice()
        .iter_mut()
        .zip(d_out.as_slice())
        .zip(targets.as_slice())
    {
        *e = (d - y) * d * (T::one() - d);
    }
}

/// δ^(l) = (δ^(l+1)·W^(l+1)ᵀ) ⊙ D^(l)(1 − D^(l)): needs the *downstream* layer's error and
/// weights — the anti-causal dependence the SKA papers contrast with.
pub fn hidden_delta<T: Real>(
    delta_next: &DMatrix<T>,
    w_next: &DMatrix<T>,
    d: &DMatrix<T>,
    delta: &mut DMatrix<T>,
) {
    let small = [delta_next.nrows(), w_next.nrows(), w_next.ncols()]
        .iter()
        .any(|&n| n <= GEMM_MIN_DIM);
    if small {
        delta.gemm(T::one(), delta_next, &w_next.transpose(), T::zero());
    } else {
        delta.gemm(T::one(), delta_next, &transposed_view(w_next), T::zero());
    }
    for (e, &di) in delta.as_mut_slice().iter_mut().zip(d.as_slice()) {
        *e *= di * (T::one() - di);
    }
}

/// ΔW = −η·Aᵀ·δ/B, Δb = −η·mean_batch(δ) into `out` (same batch mean as the SKA update).
pub fn delta_update<T: Real>(
    input: &DMatrix<T>,
    delta: &DMatrix<T>,
    eta: T,
    out: &mut LayerUpdate<T>,
) {
    let batch = input.nrows();
    let scale = -eta / T::of(batch as f64);
    let small = [input.nrows(), input.ncols(), delta.ncols()]
        .iter()
        .any(|&n| n <= GEMM_MIN_DIM);
    if small {
        out.delta_w
            .gemm(scale, &input.transpose(), delta, T::zero());
    } else {
        out.delta_w
            .gemm(scale, &transposed_view(input), delta, T::zero());
    }
    let eta_over_batch = eta / T::of(batch as f64);
    for (j, col) in delta.as_slice().chunks_exact(batch).enumerate() {
        let mut s = T::zero();
        for &x in col {
            s += x;
        }
        out.delta_b[j] = -(s * eta_over_batch);
    }
}

/// nalgebra hands a product to matrixmultiply only when every dimension exceeds this (smaller
/// products with strided views take a generic path, so those use an owned transpose).
const GEMM_MIN_DIM: usize = 5;

/// Full-batch gradient descent on the MSE loss by backpropagation (see the module doc).
#[derive(Debug, Clone)]
pub struct Backprop<T: Real> {
    k: usize,
    eta_f64: f64,
    eta: T,
    x: DMatrix<T>,
    targets: DMatrix<T>,
    network: Network<T>,
    z: Vec<DMatrix<T>>,
    d: Vec<DMatrix<T>>,
    delta: Vec<DMatrix<T>>,
    updates: Vec<LayerUpdate<T>>,
    loss: f64,
    done: usize,
}

impl<T: Real> Backprop<T> {
    /// A trainer for K iterations with learning rate η on batch `x` (batch × n_0) and one-hot
    /// `targets` (batch × n_L).
    pub fn new(
        k: usize,
        eta: f64,
        x: DMatrix<T>,
        targets: DMatrix<T>,
        network: Network<T>,
    ) -> Result<Self> {
        TrainConfig {
            k,
            eta,
            rule: UpdateRule::Reference,
        }
        .validate()?;
        let sizes = network.sizes().to_vec();
        check_batch(&sizes, &x, &targets)?;
        let batch = x.nrows();
        let layers = network.layers();
        let mats = |l: usize| DMatrix::zeros(batch, sizes[l + 1]);
        Ok(Self {
            k,
            eta_f64: eta,
            eta: T::of(eta),
            z: (0..layers).map(mats).collect(),
            d: (0..layers).map(mats).collect(),
            delta: (0..layers).map(mats).collect(),
            updates: (0..layers)
                .map(|l| LayerUpdate::zeros(sizes[l], sizes[l + 1]))
                .collect(),
            x,
            targets,
            network,
            loss: f64::NAN,
            done: 0,
        })
    }

    /// η.
    pub fn eta(&self) -> f64 {
        self.eta_f64
    }
    /// Number of iterations K.
    pub fn iterations(&self) -> usize {
        self.k
    }
    /// Iterations completed so far.
    pub fn iterations_done(&self) -> usize {
        self.done
    }
    /// True when all K iterations ran.
    pub fn finished(&self) -> bool {
        self.done >= self.k
    }
    /// The current parameters.
    pub fn network(&self) -> &Network<T> {
        &self.network
    }
    /// The parameters, mutable (for perturbation experiments).
    pub fn network_mut(&mut self) -> &mut Network<T> {
        &mut self.network
    }
    /// The batch X.
    pub fn data(&self) -> &DMatrix<T> {
        &self.x
    }
    /// The targets Y.
    pub fn targets(&self) -> &DMatrix<T> {
        &self.targets
    }
    /// Replaces the batch and targets seen from the next iteration on (same shapes).
    pub fn replace_batch(&mut self, x: DMatrix<T>, targets: DMatrix<T>) -> Result<()> {
        if x.shape() != self.x.shape() || targets.shape() != self.targets.shape() {
            return Err(Error::Invalid {
                what: "replacement batch".into(),
                reason: format!(
                    "shapes {:?}/{:?}, expected {:?}/{:?}",
                    x.shape(),
                    targets.shape(),
                    self.x.shape(),
                    self.targets.shape()
                ),
            });
        }
        self.x = x;
        self.targets = targets;
        Ok(())
    }
    /// The loss E of the last forward pass (before its update).
    pub fn loss(&self) -> f64 {
        self.loss
    }
    /// The updates of the last iteration (zeros before the first).
    pub fn updates(&self) -> &[LayerUpdate<T>] {
        &self.updates
    }
    /// Z^(l) and D^(l) of the last forward pass.
    pub fn layer_state(&self, l: usize) -> (&DMatrix<T>, &DMatrix<T>) {
        (&self.z[l], &self.d[l])
    }

    /// One iteration: forward pass, δ recursion from the output down, then every layer's
    /// update (all from the same pre-update weights). Returns `false` if the output is NaN.
    pub fn step(&mut self) -> bool {
        let layers = self.network.layers();
        for l in 0..layers {
            let (before, rest) = self.d.split_at_mut(l);
            let input = if l == 0 { &self.x } else { &before[l - 1] };
            self.network
                .forward_layer(l, input, &mut self.z[l], &mut rest[0]);
        }
        let out = &self.d[layers - 1];
        let b = out.nrows() as f64;
        self.loss = out
            .iter()
            .zip(self.targets.iter())
            .map(|(&d, &y)| (d - y).f64().powi(2))
            .sum::<f64>()
            / (2.0 * b);
        output_delta(out, &self.targets, &mut self.delta[layers - 1]);
        for l in (0..layers - 1).rev() {
            let (lower, upper) = self.delta.split_at_mut(l + 1);
            hidden_delta(
                &upper[0],
                &self.network.weights[l + 1],
                &self.d[l],
                &mut lower[l],
            );
        }
        for l in 0..layers {
            let input = if l == 0 { &self.x } else { &self.d[l - 1] };
            delta_update(input, &self.delta[l], self.eta, &mut self.updates[l]);
        }
        for l in 0..layers {
            self.network.weights[l] += &self.updates[l].delta_w;
            self.network.biases[l] += &self.updates[l].delta_b;
        }
        self.done += 1;
        self.d[layers - 1].iter().all(|v| v.is_finite())
    }

    /// Runs the remaining iterations; the loss after each forward pass.
    pub fn run(&mut self) -> Vec<f64> {
        let mut losses = Vec::new();
        while !self.finished() {
            let ok = self.step();
            losses.push(self.loss);
            if !ok {
                break;
            }
        }
        losses
    }
}

/// Checks X (batch × n_0) and Y (batch × n_L) against the network widths.
fn check_batch<T: Real>(sizes: &[usize], x: &DMatrix<T>, targets: &DMatrix<T>) -> Result<()> {
    if x.ncols() != sizes[0] {
        return Err(Error::Dimension {
            what: "input features of the data vs. the network's input width".into(),
            expected: sizes[0],
            found: x.ncols(),
        });
    }
    if x.nrows() == 0 {
        return Err(Error::Invalid {
            what: "data".into(),
            reason: "the batch is empty; give at least one image".into(),
        });
    }
    let out = sizes[sizes.len() - 1];
    if targets.shape() != (x.nrows(), out) {
        return Err(Error::Invalid {
            what: "targets".into(),
            reason: format!(
                "shape {}×{}, expected {}×{} (batch × output width)",
                targets.nrows(),
                targets.ncols(),
                x.nrows(),
                out
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DVector;

    #[test]
    fn one_hot_rejects_labels_beyond_the_outputs() {
        let y = one_hot::<f64>(&[0, 2, 1], 3).unwrap();
        assert_eq!(y[(1, 2)], 1.0);
        assert_eq!(y.sum(), 3.0);
        assert!(one_hot::<f64>(&[3], 3).is_err());
    }

    #[test]
    fn gradient_descent_lowers_the_loss() {
        let sizes = [4, 7, 3];
        let w = vec![
            DMatrix::from_fn(4, 7, |i, j| ((i * 7 + j) as f64 * 0.37).sin()),
            DMatrix::from_fn(7, 3, |i, j| ((i * 3 + j) as f64 * 0.71).cos()),
        ];
        let b = vec![DVector::zeros(7), DVector::zeros(3)];
        let net = Network::new(&sizes, w, b).unwrap();
        let x = DMatrix::from_fn(6, 4, |i, j| ((i + 2 * j) % 5) as f64 / 4.0);
        let y = one_hot::<f64>(&[0, 1, 2, 0, 1, 2], 3).unwrap();
        let mut bp = Backprop::new(200, 0.5, x, y, net).unwrap();
        let losses = bp.run();
        assert_eq!(losses.len(), 200);
        assert!(
            losses[199] < 0.9 * losses[0],
            "{} vs {}",
            losses[199],
            losses[0]
        );
    }
}
