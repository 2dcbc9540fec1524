//! Choosing the images for a run: MNIST from a folder (optionally the first N per class) or the
//! built-in synthetic digits. Shared by every command that trains (train, figures, ...).

use super::{Dataset, idx, synthetic};
use crate::error::{Error, Result};
use std::path::Path;

/// Load the dataset: `mnist` folder (IDX files, plain or .gz) or the synthetic digits
/// (`per_class` images per class, default [`synthetic::DEFAULT_PER_CLASS`], seed `data_seed`).
/// `per_class` takes the first N images of each class in file order.
pub fn load(mnist: Option<&Path>, per_class: Option<usize>, data_seed: u64) -> Result<Dataset> {
    if per_class == Some(0) {
        return Err(Error::Invalid {
            what: "--per-class 0".into(),
            reason: "take at least 1 image per class".into(),
        });
    }
    match mnist {
        Some(dir) => {
            let all = idx::read_mnist_dir(dir)?;
            match per_class {
                Some(n) => all.first_per_class(n),
                None => Ok(all),
            }
        }
        None => {
            let n = per_class.unwrap_or(synthetic::DEFAULT_PER_CLASS);
            if n > synthetic::MAX_PER_CLASS {
                return Err(Error::Invalid {
                    what: format!("--per-class {n}"),
                    reason: format!(
                        "the synthetic set has at most {} images per class",
                        synthetic::MAX_PER_CLASS
                    ),
                });
            }
            Ok(synthetic::synthetic(n, data_seed))
        }
    }
}
