//! What a causality run found: per iteration the per-layer outcome of the four checks and the
//! layer × layer dependency matrix; for the run, the violation list and the aggregated matrix.
//! Plain structs (serde-serialisable, CSV-able through [`CausalityReport::matrix_csv`]) so the
//! figures can plot them.

use crate::figures::output::{Cell, Csv};
use serde::Serialize;
use std::fmt::Write as _;

/// The four checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// (a) ΔW^(l)_k unchanged when the parameters of every layer m > l are replaced.
    LocalityDownstream,
    /// (a) ΔW^(l)_k unchanged when the labels are permuted.
    LocalityLabels,
    /// (b) parameters after update k unchanged when the inputs differ after iteration k.
    PrefixDeterminism,
    /// (c) ΔW^(l)_k recomputed from the recorded local state alone equals the applied one.
    StateSufficiency,
    /// (d) ∂ΔW^(l)_k/∂W^(m) = 0 exactly for m > l (dual numbers).
    SensitivityDownstream,
    /// (d) ∂ΔW^(l)_k/∂Y = 0 exactly (dual numbers).
    SensitivityLabels,
}

impl CheckKind {
    /// Short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::LocalityDownstream => "a:downstream",
            CheckKind::LocalityLabels => "a:labels",
            CheckKind::PrefixDeterminism => "b:prefix",
            CheckKind::StateSufficiency => "c:state",
            CheckKind::SensitivityDownstream => "d:dW/dW(m>l)",
            CheckKind::SensitivityLabels => "d:dW/dY",
        }
    }
}

/// One contradicted claim, with the numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// Iteration k.
    pub iteration: usize,
    /// Layer l (1-based).
    pub layer: usize,
    /// Which check.
    pub check: CheckKind,
    /// The evidence, e.g. "max |ΔW diff| = 3e-5 over 1234 entries" or "|∂ΔW/∂W3| = 2e-4".
    pub evidence: String,
    /// The number behind it (a max absolute difference or derivative).
    pub value: f64,
    /// Layer m (1-based) the dependence is on, for the downstream checks.
    pub on_layer: Option<usize>,
}

/// Outcome of one bitwise comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Comparison {
    /// Number of entries whose bits differ (±0 count as equal).
    pub differing: usize,
    /// Largest absolute difference.
    pub max_abs: f64,
}

impl Comparison {
    /// True if bit-identical.
    pub fn identical(&self) -> bool {
        self.differing == 0
    }
}

/// Per-layer outcome at one iteration (`None`: the check does not apply, e.g. the top layer has
/// no downstream layers, or the rule declares no local form).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerOutcome {
    /// Layer (1-based).
    pub layer: usize,
    /// (a) downstream replaced.
    pub downstream: Option<Comparison>,
    /// (a) labels permuted.
    pub labels: Option<Comparison>,
    /// (b) parameters of this layer after update k, inputs perturbed after k.
    pub prefix: Option<Comparison>,
    /// (c) recomputation from the local state.
    pub state: Option<Comparison>,
    /// (d) max |∂ΔW^(l)/∂W^(m)| over directions, m = 1..L.
    pub sensitivity: Vec<f64>,
    /// (d) max |∂ΔW^(l)/∂Y| over directions.
    pub label_sensitivity: f64,
}

/// One iteration's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IterationReport {
    /// Iteration k.
    pub iteration: usize,
    /// Per layer.
    pub layers: Vec<LayerOutcome>,
    /// Did the perturbed-input run differ at update k + 1 (the perturbation takes effect, so
    /// the prefix check could fail)? `None` for the last iteration.
    pub prefix_perturbation_visible: Option<bool>,
}

impl IterationReport {
    /// The dependency matrix: `[l][m]` = max |∂ΔW^(l)_k/∂W^(m)|.
    pub fn matrix(&self) -> Vec<Vec<f64>> {
        self.layers.iter().map(|o| o.sensitivity.clone()).collect()
    }
}

/// The whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CausalityReport {
    /// Trainer name.
    pub trainer: String,
    /// Layer widths n_0..n_L.
    pub sizes: Vec<usize>,
    /// Iterations K.
    pub k: usize,
    /// η.
    pub eta: f64,
    /// Float type of the bitwise checks.
    pub precision: String,
    /// Images in the batch; of them, in the dual-number subset.
    pub batch: usize,
    /// Images used by the dual-number check (the first ones of the batch).
    pub dual_batch: usize,
    /// Random directions per (layer m) and for the labels.
    pub directions: usize,
    /// Seed of the random replacements, permutations and directions.
    pub seed: u64,
    /// Per iteration with an update.
    pub iterations: Vec<IterationReport>,
    /// Every violation.
    pub violations: Vec<Violation>,
    /// `[l][m]` = max over iterations of max |∂ΔW^(l)/∂W^(m)|.
    pub dependency_matrix: Vec<Vec<f64>>,
    /// `[l]` = max over iterations of max |∂ΔW^(l)/∂Y|.
    pub label_dependency: Vec<f64>,
    /// `[l][m]` = the update of layer l depends on W^(m) (a non-zero derivative somewhere).
    pub depends: Vec<Vec<bool>>,
    /// Wall time in seconds.
    pub elapsed_s: f64,
}

impl CausalityReport {
    /// True when the matrix is lower-triangular (no dependence on any W^(m), m > l) and no
    /// label dependence: the causal structure SKA claims.
    pub fn is_causal(&self) -> bool {
        self.depends
            .iter()
            .enumerate()
            .all(|(l, row)| row.iter().skip(l + 1).all(|&d| !d))
            && self.label_dependency.iter().all(|&v| v == 0.0)
    }

    /// Number of violations per check kind.
    pub fn count(&self, kind: CheckKind) -> usize {
        self.violations.iter().filter(|v| v.check == kind).count()
    }

    /// The aggregated dependency matrix as CSV: `layer,W1..WL,labels`.
    pub fn matrix_csv(&self) -> Csv {
        let l = self.dependency_matrix.len();
        let mut header = vec!["layer".to_string()];
        header.extend((1..=l).map(|m| format!("W{m}")));
        header.push("labels".into());
        let mut csv = Csv {
            header,
            rows: Vec::new(),
        };
        for (i, row) in self.dependency_matrix.iter().enumerate() {
            let mut cells: Vec<Cell> = vec![format!("dW{}", i + 1).into()];
            cells.extend(row.iter().map(|&v| Cell::Num(v)));
            cells.push(Cell::Num(self.label_dependency[i]));
            csv.push(cells);
        }
        csv
    }

    /// The per-iteration dependency matrices in long form: `iteration,layer,on,value`.
    pub fn iterations_csv(&self) -> Csv {
        let mut csv = Csv::new(&["iteration", "layer", "on", "max_abs_derivative"]);
        for it in &self.iterations {
            for o in &it.layers {
                for (m, &v) in o.sensitivity.iter().enumerate() {
                    csv.push(vec![
                        it.iteration.into(),
                        o.layer.into(),
                        format!("W{}", m + 1).into(),
                        v.into(),
                    ]);
                }
                csv.push(vec![
                    it.iteration.into(),
                    o.layer.into(),
                    "labels".into(),
                    o.label_sensitivity.into(),
                ]);
            }
        }
        csv
    }

    /// A text table per iteration and the aggregated matrices.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}: layers {:?}, K = {}, η = {}, {} (bitwise checks), batch {} (dual check on the \
             first {}, {} direction(s) per layer and for the labels), seed {}",
            self.trainer,
            self.sizes,
            self.k,
            self.eta,
            self.precision,
            self.batch,
            self.dual_batch,
            self.directions,
            self.seed
        );
        let _ = writeln!(
            s,
            "(a) ΔW^(l)_k bit-identical with W^(m>l) replaced / labels permuted; (b) W^(l) after \
             update k identical when the inputs change after k; (c) ΔW^(l)_k recomputed from \
             (input, Z_k, D_k, D_(k-1)); (d) max |∂ΔW^(l)_k/∂W^(m)| for m > l and ≤ l, and \
             |∂ΔW/∂Y|\n"
        );
        let cmp = |c: &Option<Comparison>| match c {
            None => "n/a".to_string(),
            Some(c) if c.identical() => "identical".to_string(),
            Some(c) => format!("DIFF {:.1e}", c.max_abs),
        };
        let mut rows = vec![
            [
                "k",
                "layer",
                "(a) W(m>l)",
                "(a) labels",
                "(b) prefix",
                "(c) state",
                "(d) m>l",
                "(d) m<=l",
                "(d) labels",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for it in &self.iterations {
            for o in &it.layers {
                let l = o.layer - 1;
                let down = o
                    .sensitivity
                    .iter()
                    .skip(l + 1)
                    .fold(0.0f64, |a, &b| a.max(b));
                let up = o
                    .sensitivity
                    .iter()
                    .take(l + 1)
                    .fold(f64::INFINITY, |a, &b| a.min(b));
                rows.push(vec![
                    it.iteration.to_string(),
                    o.layer.to_string(),
                    cmp(&o.downstream),
                    cmp(&o.labels),
                    cmp(&o.prefix),
                    cmp(&o.state),
                    if l + 1 == o.sensitivity.len() {
                        "n/a".into()
                    } else {
                        format!("{down:.2e}")
                    },
                    format!("min {up:.2e}"),
                    format!("{:.2e}", o.label_sensitivity),
                ]);
            }
        }
        s.push_str(&align(&rows));
        let _ = writeln!(
            s,
            "\ndependency matrix, max over iterations of max |∂ΔW^(l)/∂W^(m)| (rows l, columns \
             m; last column the labels):"
        );
        let l = self.dependency_matrix.len();
        let mut m = vec![{
            let mut h = vec!["".to_string()];
            h.extend((1..=l).map(|j| format!("W{j}")));
            h.push("labels".into());
            h
        }];
        for (i, row) in self.dependency_matrix.iter().enumerate() {
            let mut r = vec![format!("ΔW{}", i + 1)];
            r.extend(row.iter().map(|v| fmt_dep(*v)));
            r.push(fmt_dep(self.label_dependency[i]));
            m.push(r);
        }
        s.push_str(&align(&m));
        let _ = writeln!(s, "\ndepends (x = non-zero derivative in some iteration):");
        let mut d = vec![];
        for (i, row) in self.depends.iter().enumerate() {
            let mut line = format!("ΔW{} ", i + 1);
            for &b in row {
                line.push_str(if b { " x" } else { " ." });
            }
            line.push_str(if self.label_dependency[i] != 0.0 {
                "  | labels x"
            } else {
                "  | labels ."
            });
            d.push(line);
        }
        let _ = writeln!(s, "{}", d.join("\n"));
        let _ = writeln!(
            s,
            "\nstructure: {}",
            if self.is_causal() {
                "lower-triangular, no label dependence (causal: layer l's update needs layers ≤ l only)"
            } else {
                "NOT lower-triangular or label-dependent (the update of some layer needs downstream layers or the labels)"
            }
        );
        let _ = writeln!(s, "\nviolations: {}", self.violations.len());
        for kind in [
            CheckKind::LocalityDownstream,
            CheckKind::LocalityLabels,
            CheckKind::PrefixDeterminism,
            CheckKind::StateSufficiency,
            CheckKind::SensitivityDownstream,
            CheckKind::SensitivityLabels,
        ] {
            let n = self.count(kind);
            if n > 0 {
                let layers: std::collections::BTreeSet<usize> = self
                    .violations
                    .iter()
                    .filter(|v| v.check == kind)
                    .map(|v| v.layer)
                    .collect();
                let its: std::collections::BTreeSet<usize> = self
                    .violations
                    .iter()
                    .filter(|v| v.check == kind)
                    .map(|v| v.iteration)
                    .collect();
                let _ = writeln!(
                    s,
                    "  {:<14} {n:>4} (layers {:?}, {} iterations)",
                    kind.name(),
                    layers,
                    its.len()
                );
            }
        }
        let _ = writeln!(s, "elapsed: {:.2} s", self.elapsed_s);
        s
    }
}

fn fmt_dep(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        format!("{v:.2e}")
    }
}

/// Rows of cells as text, each column padded to its widest cell.
pub fn align(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|j| {
            rows.iter()
                .map(|r| r.get(j).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, &w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    s
}
