//! One iteration of a learning rule written once, generic over the scalar, so that num-dual
//! can differentiate the update ΔW^(l)_k exactly with respect to any layer's weights or the
//! labels (check (d)).
//!
//! A [`StepModel`] maps the parameters used at iteration k, the batch, the targets and the
//! state carried from iteration k − 1 (for SKA: every layer's D_{k−1}) to every layer's update.
//! The carried state enters as constants: the derivative is the dependence of iteration k's
//! update on the parameters *at* iteration k, with the past held fixed. Matrices are plain
//! nalgebra `DMatrix<S>` with hand-written loops (the dual path runs on a small batch subset).

use crate::scalar::{Scalar, sigmoid};
use crate::ska::update::UpdateRule;
use nalgebra::{DMatrix, DVector};

/// The scalars a [`StepModel`] runs on: [`Scalar`] (f64, `Dual64`, ...) that nalgebra can store.
pub trait Num: Scalar + nalgebra::Scalar {}

impl<T: Scalar + nalgebra::Scalar> Num for T {}

/// Parameters (W^(l), b^(l)) of every layer, in any scalar.
pub type Params<S> = Vec<(DMatrix<S>, DVector<S>)>;

/// What one iteration of a rule produces.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelStep<S> {
    /// Every layer's (ΔW, Δb), or `None` if the iteration applies no update (SKA at k = 0).
    pub updates: Option<Params<S>>,
    /// The state carried to the next iteration (SKA: every layer's D_k; backprop: nothing).
    pub carried: Vec<DMatrix<S>>,
}

/// One iteration of a learning rule, generic over the scalar.
pub trait StepModel: Clone {
    /// The rule's name in reports.
    fn name(&self) -> String;
    /// Iteration k's updates from the parameters used at k, the batch `x` (batch × n_0), the
    /// targets (batch × n_L) and the carried state (`None` at k = 0).
    fn step<S: Num>(
        &self,
        params: &Params<S>,
        x: &DMatrix<f64>,
        targets: &DMatrix<S>,
        carried: Option<&[DMatrix<f64>]>,
    ) -> ModelStep<S>;
}

/// A·B for matrices of any scalar (B may be real: `lift` it first).
pub fn matmul<S: Num>(a: &DMatrix<S>, b: &DMatrix<S>) -> DMatrix<S> {
    let (n, k, m) = (a.nrows(), a.ncols(), b.ncols());
    let mut c = DMatrix::from_element(n, m, S::from(0.0));
    for j in 0..m {
        for p in 0..k {
            let bpj = b[(p, j)];
            if bpj == S::from(0.0) {
                continue;
            }
            for i in 0..n {
                c[(i, j)] += a[(i, p)] * bpj;
            }
        }
    }
    c
}

/// Aᵀ·B.
pub fn matmul_tn<S: Num>(a: &DMatrix<S>, b: &DMatrix<S>) -> DMatrix<S> {
    let (k, n, m) = (a.nrows(), a.ncols(), b.ncols());
    DMatrix::from_fn(n, m, |i, j| {
        let mut s = S::from(0.0);
        for p in 0..k {
            s += a[(p, i)] * b[(p, j)];
        }
        s
    })
}

/// A real matrix as constants of scalar S.
pub fn lift<S: Num>(a: &DMatrix<f64>) -> DMatrix<S> {
    a.map(S::from)
}

/// Forward pass Z^(l) = A^(l−1)·W^(l) + b^(l), D^(l) = σ(Z^(l)) (2503 eqs. 1–2).
pub fn forward<S: Num>(params: &Params<S>, x: &DMatrix<f64>) -> Vec<(DMatrix<S>, DMatrix<S>)> {
    let mut out: Vec<(DMatrix<S>, DMatrix<S>)> = Vec::with_capacity(params.len());
    let x = lift::<S>(x);
    for (l, (w, b)) in params.iter().enumerate() {
        let input = if l == 0 { &x } else { &out[l - 1].1 };
        let mut z = matmul(input, w);
        for j in 0..z.ncols() {
            for i in 0..z.nrows() {
                z[(i, j)] += b[j];
            }
        }
        let d = z.map(sigmoid);
        out.push((z, d));
    }
    out
}

/// (−η·Aᵀ·G/B, −η·mean_batch G).
fn mean_update<S: Num>(a: &DMatrix<S>, g: &DMatrix<S>, eta: f64) -> (DMatrix<S>, DVector<S>) {
    let batch = a.nrows() as f64;
    let dw = matmul_tn(a, g).map(|v| v * (-eta / batch));
    let db = DVector::from_fn(g.ncols(), |j, _| {
        let mut s = S::from(0.0);
        for i in 0..g.nrows() {
            s += g[(i, j)];
        }
        s * (-eta / batch)
    });
    (dw, db)
}

/// The SKA loop of [`crate::ska::trainer`] (2503 eq. 31, the code's form): at k ≥ 1 every layer
/// descends G = −(1/ln 2)(Z⊙D(1−D) + D − D_{k−1}) with its input per [`UpdateRule`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkaModel {
    /// Learning rate η.
    pub eta: f64,
    /// Which input the update uses.
    pub rule: UpdateRule,
}

impl StepModel for SkaModel {
    fn name(&self) -> String {
        format!("SKA ({})", self.rule)
    }
    fn step<S: Num>(
        &self,
        params: &Params<S>,
        x: &DMatrix<f64>,
        _targets: &DMatrix<S>,
        carried: Option<&[DMatrix<f64>]>,
    ) -> ModelStep<S> {
        let fw = forward(params, x);
        let updates = carried.map(|prev| {
            let c = -1.0 / std::f64::consts::LN_2;
            (0..params.len())
                .map(|l| {
                    let (z, d) = &fw[l];
                    let dp = &prev[l];
                    let g = DMatrix::from_fn(z.nrows(), z.ncols(), |i, j| {
                        let (zi, di) = (z[(i, j)], d[(i, j)]);
                        (zi * di * (-di + 1.0) + (di - dp[(i, j)])) * c
                    });
                    let input: DMatrix<S> = match (l, self.rule) {
                        (0, _) => lift(x),
                        (_, UpdateRule::Reference) => lift(&prev[l - 1]),
                        (_, UpdateRule::LocalExact) => fw[l - 1].1.clone(),
                    };
                    mean_update(&input, &g, self.eta)
                })
                .collect()
        });
        ModelStep {
            updates,
            carried: fw.into_iter().map(|(_, d)| d).collect(),
        }
    }
}

/// Backpropagation on the MSE loss (see [`crate::ska::backprop`]): δ^(L) = (D − Y)⊙D(1−D),
/// δ^(l) = (δ^(l+1)·W^(l+1)ᵀ)⊙D(1−D), ΔW = −η·Aᵀδ/B; updates at every iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackpropModel {
    /// Learning rate η.
    pub eta: f64,
}

impl StepModel for BackpropModel {
    fn name(&self) -> String {
        "backprop (MSE)".into()
    }
    fn step<S: Num>(
        &self,
        params: &Params<S>,
        x: &DMatrix<f64>,
        targets: &DMatrix<S>,
        _carried: Option<&[DMatrix<f64>]>,
    ) -> ModelStep<S> {
        let fw = forward(params, x);
        let layers = params.len();
        let mut deltas: Vec<DMatrix<S>> = vec![DMatrix::zeros(0, 0); layers];
        let d_out = &fw[layers - 1].1;
        deltas[layers - 1] = DMatrix::from_fn(d_out.nrows(), d_out.ncols(), |i, j| {
            let d = d_out[(i, j)];
            (d - targets[(i, j)]) * d * (-d + 1.0)
        });
        for l in (0..layers - 1).rev() {
            let w_next_t = params[l + 1].0.transpose();
            let back = matmul(&deltas[l + 1], &w_next_t);
            let d = &fw[l].1;
            deltas[l] = DMatrix::from_fn(d.nrows(), d.ncols(), |i, j| {
                let di = d[(i, j)];
                back[(i, j)] * di * (-di + 1.0)
            });
        }
        let xs: DMatrix<S> = lift(x);
        let updates = (0..layers)
            .map(|l| {
                let input = if l == 0 { &xs } else { &fw[l - 1].1 };
                mean_update(input, &deltas[l], self.eta)
            })
            .collect();
        ModelStep {
            updates: Some(updates),
            carried: Vec::new(),
        }
    }
}
