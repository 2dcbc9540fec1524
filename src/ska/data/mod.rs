//! The images the trainer sees: a built-in synthetic set, or MNIST from IDX files.
//!
//! Either way the batch is the whole set, pixels as byte/255 in the trainer's float type,
//! flattened row by row to rows·cols features (the published code's preprocessing; no
//! mean/std normalisation). Labels are kept for reports and for baselines that use them — the
//! SKA loop never reads them.

pub mod idx;
pub mod source;
pub mod synthetic;

use super::real::Real;
use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// Number of classes (digits 0–9).
pub const CLASSES: usize = 10;

/// A set of grey-scale images with labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// Image height.
    pub rows: usize,
    /// Image width.
    pub cols: usize,
    /// Pixels, image after image, row-major, 0..=255 (`len() · rows · cols` of them).
    pub pixels: Vec<u8>,
    /// One label per image.
    pub labels: Vec<u8>,
    /// Where the images came from (for reports).
    pub source: String,
}

impl Dataset {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True if there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Features per image, rows·cols.
    pub fn features(&self) -> usize {
        self.rows * self.cols
    }

    /// The batch X (images × features), x = byte/255 computed in `T` (as float32 in the
    /// published code).
    pub fn to_matrix<T: Real>(&self) -> DMatrix<T> {
        let f = self.features();
        let scale = T::of(255.0);
        DMatrix::from_fn(self.len(), f, |i, j| {
            T::of(self.pixels[i * f + j] as f64) / scale
        })
    }

    /// The first `n` images of each class, in their original order. Errors if a class has
    /// fewer than `n` images or a label is not a digit.
    pub fn first_per_class(&self, n: usize) -> Result<Dataset> {
        let f = self.features();
        let mut count = [0usize; CLASSES];
        let mut pixels = Vec::with_capacity(n * CLASSES * f);
        let mut labels = Vec::with_capacity(n * CLASSES);
        for (i, &label) in self.labels.iter().enumerate() {
            let c = label as usize;
            if c >= CLASSES {
                return Err(Error::Invalid {
                    what: format!("label of image {i} in {}", self.source),
                    reason: format!("{label} is not a digit 0–9"),
                });
            }
            if count[c] < n {
                count[c] += 1;
                labels.push(label);
                pixels.extend_from_slice(&self.pixels[i * f..(i + 1) * f]);
                if labels.len() == n * CLASSES {
                    break;
                }
            }
        }
        if let Some(c) = count.iter().position(|&k| k < n) {
            return Err(Error::Invalid {
                what: "--per-class".into(),
                reason: format!(
                    "class {c} has only {} images in {}, {n} were asked for",
                    count[c], self.source
                ),
            });
        }
        Ok(Dataset {
            rows: self.rows,
            cols: self.cols,
            pixels,
            labels,
            source: format!("{} (first {n} per class)", self.source),
        })
    }
}
