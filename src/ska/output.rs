//! The files a run writes, in the published layout, written atomically.
//!
//! Per-layer histories: a header `,K=1,K=2,...` and one row `Layer l,v1,v2,...` per layer. The
//! per-update metrics have K − 1 columns (updates k = 1..K−1), ‖Z‖_F has K (forward passes
//! k = 0..K−1), as in `../shared/reference/ska-2503/`. The output means: header
//! `Step,Neuron 0,...`, one row per forward pass. Numbers use Rust's shortest round-trip
//! formatting. Every file is written to a temporary name in the target folder and renamed, so a
//! reader never sees half a file.

use super::metrics::{History, Metric, OutputMeans};
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

/// A per-layer history as CSV text (`series[l]` is layer l + 1).
pub fn layer_csv(series: &[Vec<f64>]) -> String {
    let columns = series.iter().map(Vec::len).max().unwrap_or(0);
    let mut s = String::new();
    for j in 1..=columns {
        let _ = write!(s, ",K={j}");
    }
    s.push('\n');
    for (l, row) in series.iter().enumerate() {
        let _ = write!(s, "Layer {}", l + 1);
        for v in row {
            let _ = write!(s, ",{}", v + 0.0); // + 0.0 prints −0 as 0
        }
        s.push('\n');
    }
    s
}

/// The output-neuron means as CSV text.
pub fn output_csv(means: &OutputMeans) -> String {
    let width = means.steps.first().map_or(0, Vec::len);
    let mut s = String::from("Step");
    for j in 0..width {
        let _ = write!(s, ",Neuron {j}");
    }
    s.push('\n');
    for (k, row) in means.steps.iter().enumerate() {
        let _ = write!(s, "{k}");
        for v in row {
            let _ = write!(s, ",{}", v + 0.0); // + 0.0 prints −0 as 0
        }
        s.push('\n');
    }
    s
}

/// Writes `contents` to `dir/name` atomically (temporary file in `dir`, then rename); see
/// [`atomic_write`](crate::figures::output::atomic_write).
pub fn write_atomic(dir: &Path, name: &str, contents: &[u8]) -> Result<()> {
    crate::figures::output::atomic_write(&dir.join(name), contents)
}

/// Creates `dir` if needed and checks that files can be created in it.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.display().to_string(),
        detail: format!("cannot create the output folder: {e}; choose a writable --out"),
    })?;
    write_atomic(dir, ".write-test", b"")?;
    let _ = std::fs::remove_file(dir.join(".write-test"));
    Ok(())
}

/// The names of the history files a run writes (published names first).
pub fn history_files() -> Vec<&'static str> {
    let mut v: Vec<_> = Metric::ALL.iter().map(|m| m.file_name()).collect();
    v.push(OUTPUT_FILE);
    v.push(CUMULATIVE_FILE);
    v
}

/// File of the output-neuron means.
pub const OUTPUT_FILE: &str = "output_neuron_activation.csv";
/// File of the cumulative step entropy.
pub const CUMULATIVE_FILE: &str = "cumulative_entropy_history.csv";

/// Writes every history CSV of a run into `dir`.
pub fn write_histories(dir: &Path, history: &History, outputs: &OutputMeans) -> Result<()> {
    for m in Metric::ALL {
        write_atomic(dir, m.file_name(), layer_csv(history.get(m)).as_bytes())?;
    }
    write_atomic(dir, OUTPUT_FILE, output_csv(outputs).as_bytes())?;
    let cumulative = super::metrics::cumulative_entropy(history);
    write_atomic(dir, CUMULATIVE_FILE, layer_csv(&cumulative).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_csv_has_the_published_layout() {
        let s = layer_csv(&[vec![0.0, 1.5], vec![2.0, -3.25]]);
        assert_eq!(s, ",K=1,K=2\nLayer 1,0,1.5\nLayer 2,2,-3.25\n");
    }

    #[test]
    fn output_csv_layout() {
        let m = OutputMeans {
            steps: vec![vec![0.5, 0.25], vec![0.125, 1.0]],
        };
        assert_eq!(
            output_csv(&m),
            "Step,Neuron 0,Neuron 1\n0,0.5,0.25\n1,0.125,1\n"
        );
    }
}
