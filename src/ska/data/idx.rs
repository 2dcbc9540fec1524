//! Reader for the IDX files MNIST is distributed in (plain or gzip-compressed).
//!
//! IDX (LeCun et al.): a big-endian u32 magic 0x0000_08NN where 08 = unsigned bytes and NN = the
//! number of dimensions, then NN big-endian u32 sizes, then the data. MNIST images are
//! 0x00000803 (count × 28 × 28), labels 0x00000801 (count). A gzip stream (magic 1f 8b) is
//! decompressed first. Wrong magic numbers, truncated or over-long files, corrupt gzip data and
//! image/label count mismatches are [`Error::Idx`] with the path — never a panic.

use super::Dataset;
use crate::error::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The file names tried for the training images, in order (each also with `.gz`).
pub const IMAGE_NAMES: [&str; 2] = ["train-images-idx3-ubyte", "train-images.idx3-ubyte"];
/// The file names tried for the training labels, in order (each also with `.gz`).
pub const LABEL_NAMES: [&str; 2] = ["train-labels-idx1-ubyte", "train-labels.idx1-ubyte"];

fn idx_err(path: &Path, detail: impl Into<String>) -> Error {
    Error::Idx {
        path: path.display().to_string(),
        detail: detail.into(),
    }
}

/// The bytes of a file, gunzipped if it starts with the gzip magic.
fn read_maybe_gz(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        detail: format!("cannot read: {e}"),
    })?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| idx_err(path, format!("corrupt gzip data: {e}")))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Parses IDX bytes of unsigned bytes with `dims` dimensions; returns the sizes and the data.
pub fn parse_idx(bytes: &[u8], dims: u8, path: &Path) -> Result<(Vec<usize>, Vec<u8>)> {
    if bytes.len() < 4 {
        return Err(idx_err(
            path,
            format!("{} bytes, too short for an IDX header", bytes.len()),
        ));
    }
    let magic = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let expected = 0x0800 | dims as u32;
    if magic != expected {
        return Err(idx_err(
            path,
            format!(
                "magic number 0x{magic:08x}, expected 0x{expected:08x} (unsigned bytes, {dims} \
                 dimension{})",
                if dims == 1 { "" } else { "s" }
            ),
        ));
    }
    let header = 4 + 4 * dims as usize;
    if bytes.len() < header {
        return Err(idx_err(
            path,
            format!("truncated header: {} bytes of {header}", bytes.len()),
        ));
    }
    let sizes: Vec<usize> = (0..dims as usize)
        .map(|i| {
            let o = 4 + 4 * i;
            u32::from_be_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]) as usize
        })
        .collect();
    let count = sizes
        .iter()
        .try_fold(1usize, |a, &n| a.checked_mul(n))
        .ok_or_else(|| idx_err(path, format!("sizes {sizes:?} overflow")))?;
    let body = &bytes[header..];
    if body.len() != count {
        return Err(idx_err(
            path,
            format!(
                "sizes {sizes:?} need {count} data bytes, the file has {} ({})",
                body.len(),
                if body.len() < count {
                    "truncated"
                } else {
                    "trailing bytes"
                }
            ),
        ));
    }
    Ok((sizes, body.to_vec()))
}

/// Reads an IDX image file (count × rows × cols).
pub fn read_images(path: &Path) -> Result<(usize, usize, usize, Vec<u8>)> {
    let (s, data) = parse_idx(&read_maybe_gz(path)?, 3, path)?;
    Ok((s[0], s[1], s[2], data))
}

/// Reads an IDX label file.
pub fn read_labels(path: &Path) -> Result<Vec<u8>> {
    Ok(parse_idx(&read_maybe_gz(path)?, 1, path)?.1)
}

fn find(dir: &Path, names: &[&str]) -> Result<PathBuf> {
    let mut tried = Vec::new();
    for n in names {
        for candidate in [n.to_string(), format!("{n}.gz")] {
            let p = dir.join(&candidate);
            if p.is_file() {
                return Ok(p);
            }
            tried.push(candidate);
        }
    }
    Err(Error::Io {
        path: dir.display().to_string(),
        detail: format!(
            "no MNIST file found (tried {}); point --mnist at the folder holding the IDX files",
            tried.join(", ")
        ),
    })
}

/// Reads the MNIST training images and labels from `dir`.
pub fn read_mnist_dir(dir: &Path) -> Result<Dataset> {
    let ip = find(dir, &IMAGE_NAMES)?;
    let lp = find(dir, &LABEL_NAMES)?;
    let (n, rows, cols, pixels) = read_images(&ip)?;
    let labels = read_labels(&lp)?;
    if labels.len() != n {
        return Err(idx_err(
            &lp,
            format!(
                "{} labels, but {} holds {n} images",
                labels.len(),
                ip.display()
            ),
        ));
    }
    Ok(Dataset {
        rows,
        cols,
        pixels,
        labels,
        source: dir.display().to_string(),
    })
}
