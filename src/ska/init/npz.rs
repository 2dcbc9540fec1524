//! Initial weights from an `.npz` file (NumPy's zip of `.npy` arrays), as published.
//!
//! The file holds `W1..WL` (n_{l−1} × n_l, float32 or float64, C or Fortran order) and
//! `b1..bL` (length n_l, or 1 × n_l). Shapes are checked against the layer sizes; every problem
//! (not a zip, missing array, unsupported dtype, wrong shape, truncated data) is an
//! [`Error::Npz`] naming the file and entry, never a panic.
//!
//! The `.npy` format (NumPy NEP 1): magic `\x93NUMPY`, major and minor version bytes, a
//! little-endian header length (u16 for version 1, u32 for 2 and 3), then an ASCII Python dict
//! `{'descr': '<f4', 'fortran_order': False, 'shape': (784, 256), }`, then the raw data.

use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use std::io::Read;
use std::path::Path;

/// Weights W^(1..L) and biases b^(1..L), in f64.
pub type Parameters = (Vec<DMatrix<f64>>, Vec<DVector<f64>>);

/// A parsed `.npy` array: its shape and its values in C (row-major) order.
#[derive(Debug, Clone, PartialEq)]
pub struct NpyArray {
    /// The shape, outermost first.
    pub shape: Vec<usize>,
    /// The values, row-major.
    pub data: Vec<f64>,
}

/// Parses one `.npy` file's bytes (`name` is used in error messages).
pub fn parse_npy(bytes: &[u8], name: &str) -> Result<NpyArray> {
    let err = |detail: String| Error::Npz {
        path: name.to_string(),
        detail,
    };
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(err(
            "not an .npy array (missing the \\x93NUMPY magic)".into()
        ));
    }
    let major = bytes[6];
    let (header_len, start): (usize, usize) = match major {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 => {
            if bytes.len() < 12 {
                return Err(err("truncated .npy header".into()));
            }
            (
                u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
                12,
            )
        }
        v => return Err(err(format!("unsupported .npy format version {v}"))),
    };
    let end = start
        .checked_add(header_len)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| {
            err(format!(
                "truncated .npy header ({header_len} bytes announced)"
            ))
        })?;
    let header = std::str::from_utf8(&bytes[start..end])
        .map_err(|_| err("the .npy header is not text".into()))?;
    let descr = dict_value(header, "descr")
        .ok_or_else(|| err(format!("no 'descr' in header {header:?}")))?;
    let descr = descr.trim_matches(|c| c == '\'' || c == '"');
    let fortran = dict_value(header, "fortran_order")
        .ok_or_else(|| err(format!("no 'fortran_order' in header {header:?}")))?
        == "True";
    let shape_text = dict_value(header, "shape")
        .ok_or_else(|| err(format!("no 'shape' in header {header:?}")))?;
    let shape: Vec<usize> = shape_text
        .trim_matches(|c| c == '(' || c == ')')
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>()
                .map_err(|_| err(format!("bad shape {shape_text}")))
        })
        .collect::<Result<_>>()?;
    let count = shape
        .iter()
        .try_fold(1usize, |a, &n| a.checked_mul(n))
        .ok_or_else(|| err(format!("shape {shape_text} overflows")))?;
    let width = match descr {
        "<f4" | "|f4" => 4,
        "<f8" | "|f8" => 8,
        other => {
            return Err(err(format!(
                "dtype {other} is not supported; store float32 ('<f4') or float64 ('<f8')"
            )));
        }
    };
    let body = &bytes[end..];
    if body.len() != count * width {
        return Err(err(format!(
            "shape {shape:?} of {descr} needs {} data bytes, the file has {}",
            count * width,
            body.len()
        )));
    }
    let mut data: Vec<f64> = if width == 4 {
        body.chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64)
            .collect()
    } else {
        body.chunks_exact(8)
            .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect()
    };
    if fortran && shape.len() == 2 {
        let (r, c) = (shape[0], shape[1]);
        let col_major = data;
        data = (0..r * c).map(|i| col_major[(i % c) * r + i / c]).collect();
    } else if fortran && shape.len() > 2 {
        return Err(err(
            "Fortran-order arrays of more than 2 dimensions are not supported".into(),
        ));
    }
    Ok(NpyArray { shape, data })
}

/// The text after `'key':` in a Python dict literal, up to the next top-level comma.
fn dict_value<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!("'{key}':");
    let i = header.find(&pat)? + pat.len();
    let rest = header[i..].trim_start();
    let mut depth = 0i32;
    for (j, ch) in rest.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | '}' if depth == 0 => return Some(rest[..j].trim()),
            _ => {}
        }
    }
    None
}

/// Reads `W1..WL`, `b1..bL` from an `.npz` file and checks them against `sizes`
/// (n_0, ..., n_L). Returns the weights (n_{l−1} × n_l) and biases in f64 (exact for float32).
pub fn read_npz(path: &Path, sizes: &[usize]) -> Result<Parameters> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::Io {
        path: shown.clone(),
        detail: format!("cannot open the weights file: {e}"),
    })?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| Error::Npz {
        path: shown.clone(),
        detail: format!("not a readable .npz (zip) archive: {e}"),
    })?;
    let mut read_entry = |name: &str| -> Result<NpyArray> {
        let entry_path = format!("{shown}:{name}");
        let mut entry = zip.by_name(name).map_err(|e| Error::Npz {
            path: shown.clone(),
            detail: format!("no array {name} ({e}); the file needs W1..WL and b1..bL"),
        })?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| Error::Npz {
            path: entry_path.clone(),
            detail: format!("cannot read: {e}"),
        })?;
        parse_npy(&bytes, &entry_path)
    };
    let mut weights = Vec::new();
    let mut biases = Vec::new();
    for l in 1..sizes.len() {
        let (n_in, n_out) = (sizes[l - 1], sizes[l]);
        let w = read_entry(&format!("W{l}.npy"))?;
        if w.shape != [n_in, n_out] {
            return Err(Error::Npz {
                path: format!("{shown}:W{l}.npy"),
                detail: format!(
                    "shape {:?}, the layer sizes need [{n_in}, {n_out}] (in × out); check --layers",
                    w.shape
                ),
            });
        }
        weights.push(DMatrix::from_row_slice(n_in, n_out, &w.data));
        let b = read_entry(&format!("b{l}.npy"))?;
        if !(b.shape == [n_out] || b.shape == [1, n_out]) {
            return Err(Error::Npz {
                path: format!("{shown}:b{l}.npy"),
                detail: format!("shape {:?}, the layer sizes need [{n_out}]", b.shape),
            });
        }
        biases.push(DVector::from_vec(b.data));
    }
    Ok((weights, biases))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(descr: &str, fortran: bool, shape: &str, payload: &[u8]) -> Vec<u8> {
        let mut h = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        while (10 + h.len() + 1) % 64 != 0 {
            h.push(' ');
        }
        h.push('\n');
        let mut v = b"\x93NUMPY\x01\x00".to_vec();
        v.extend_from_slice(&(h.len() as u16).to_le_bytes());
        v.extend_from_slice(h.as_bytes());
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn parses_c_and_fortran_order() {
        let vals: Vec<u8> = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        let c = parse_npy(&npy("<f4", false, "(2, 3)", &vals), "c").unwrap();
        assert_eq!(c.shape, vec![2, 3]);
        assert_eq!(c.data, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let f = parse_npy(&npy("<f4", true, "(2, 3)", &vals), "f").unwrap();
        assert_eq!(f.data, vec![1.0, 3.0, 5.0, 2.0, 4.0, 6.0]);
        let v = parse_npy(&npy("<f8", false, "(2,)", &[0u8; 16]), "v").unwrap();
        assert_eq!(v.shape, vec![2]);
    }

    #[test]
    fn rejects_malformed_arrays() {
        assert!(parse_npy(b"garbage", "g").is_err());
        assert!(parse_npy(&npy("<f4", false, "(2, 3)", &[0u8; 20]), "short").is_err());
        assert!(parse_npy(&npy("<i4", false, "(2,)", &[0u8; 8]), "int").is_err());
        let mut truncated = npy("<f4", false, "(1,)", &[0u8; 4]);
        truncated.truncate(20);
        assert!(parse_npy(&truncated, "t").is_err());
    }
}
