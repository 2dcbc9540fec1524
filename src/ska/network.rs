//! The network the SKA papers train: fully connected sigmoid layers, nothing else.
//!
//! Layer l maps its input A^(l−1) (batch × n_{l−1}; A^(0) = X, the images) to
//!
//! * Z^(l) = A^(l−1)·W^(l) + b^(l)   (2503 eq. 1; W stored n_{l−1} × n_l, as in the code release),
//! * D^(l) = σ(Z^(l))                (2503 eq. 2, the "decision probabilities"),
//!
//! and A^(l) = D^(l). There is no output loss and labels are never used.
//! Matrices are nalgebra column-major, so a column of Z is one neuron over the batch and the
//! bias is added to contiguous memory.

use super::real::Real;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// The parameters of every layer: weights W^(l) (n_{l−1} × n_l) and biases b^(l) (n_l).
#[derive(Debug, Clone, PartialEq)]
pub struct Network<T: Real> {
    /// Widths n_0 (input features), n_1, ..., n_L.
    sizes: Vec<usize>,
    /// W^(1..L), each n_{l−1} × n_l.
    pub weights: Vec<DMatrix<T>>,
    /// b^(1..L), each of length n_l.
    pub biases: Vec<DVector<T>>,
}

impl<T: Real> Network<T> {
    /// A network from its widths (`sizes[0]` = input features) and parameters, shapes checked.
    pub fn new(sizes: &[usize], weights: Vec<DMatrix<T>>, biases: Vec<DVector<T>>) -> Result<Self> {
        validate_sizes(sizes)?;
        let layers = sizes.len() - 1;
        if weights.len() != layers || biases.len() != layers {
            return Err(Error::Dimension {
                what: "network parameters (weight matrices, bias vectors)".into(),
                expected: layers,
                found: weights.len().min(biases.len()),
            });
        }
        for l in 0..layers {
            let w = &weights[l];
            if w.shape() != (sizes[l], sizes[l + 1]) {
                return Err(Error::Invalid {
                    what: format!("W{}", l + 1),
                    reason: format!(
                        "shape {}×{}, the layer sizes need {}×{} (in × out)",
                        w.nrows(),
                        w.ncols(),
                        sizes[l],
                        sizes[l + 1]
                    ),
                });
            }
            if biases[l].len() != sizes[l + 1] {
                return Err(Error::Invalid {
                    what: format!("b{}", l + 1),
                    reason: format!(
                        "length {}, the layer sizes need {}",
                        biases[l].len(),
                        sizes[l + 1]
                    ),
                });
            }
        }
        Ok(Self {
            sizes: sizes.to_vec(),
            weights,
            biases,
        })
    }

    /// The same network with every parameter converted to another float type.
    pub fn cast<U: Real>(&self) -> Network<U> {
        Network {
            sizes: self.sizes.clone(),
            weights: self
                .weights
                .iter()
                .map(|w| w.map(|x| U::of(x.f64())))
                .collect(),
            biases: self
                .biases
                .iter()
                .map(|b| b.map(|x| U::of(x.f64())))
                .collect(),
        }
    }

    /// Widths n_0, ..., n_L.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Number of layers L.
    pub fn layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// Forward pass of one layer into preallocated buffers: Z = A·W + b, D = σ(Z).
    pub fn forward_layer(
        &self,
        l: usize,
        input: &DMatrix<T>,
        z: &mut DMatrix<T>,
        d: &mut DMatrix<T>,
    ) {
        forward(input, &self.weights[l], &self.biases[l], z, d);
    }
}

/// Z = A·W + b and D = σ(Z) into preallocated buffers (2503 eqs. 1–2).
pub fn forward<T: Real>(
    input: &DMatrix<T>,
    w: &DMatrix<T>,
    b: &DVector<T>,
    z: &mut DMatrix<T>,
    d: &mut DMatrix<T>,
) {
    // Z = 1·A·W + 0·Z (matrixmultiply for f32/f64, no allocation).
    z.gemm(T::one(), input, w, T::zero());
    let rows = z.nrows();
    let b = b.as_slice();
    super::parallel::columns_mut2(
        z.as_mut_slice(),
        rows,
        d.as_mut_slice(),
        rows,
        |c0, zs, ds| {
            for (j, (zc, dc)) in zs
                .chunks_exact_mut(rows)
                .zip(ds.chunks_exact_mut(rows))
                .enumerate()
            {
                let bj = b[c0 + j];
                for (zi, di) in zc.iter_mut().zip(dc.iter_mut()) {
                    *zi += bj;
                    *di = zi.sigmoid();
                }
            }
        },
    );
}

/// Checks layer widths: at least an input and one layer, no zero width.
pub fn validate_sizes(sizes: &[usize]) -> Result<()> {
    if sizes.len() < 2 {
        return Err(Error::Invalid {
            what: "layer sizes".into(),
            reason: "need the input width and at least one layer, e.g. --layers 256,128,64,10"
                .into(),
        });
    }
    if let Some(i) = sizes.iter().position(|&n| n == 0) {
        return Err(Error::Invalid {
            what: "layer sizes".into(),
            reason: format!("width {i} is 0; every layer needs at least one neuron"),
        });
    }
    Ok(())
}
