//! What a run over proof files prints: one row (or JSON object) per claim, with the evidence —
//! the largest relative error, or the counterexample — so a refuted claim can be re-checked by
//! hand.

use super::checker::{Outcome, Verdict};
use crate::verify::Expected;
use serde::Serialize;

/// One checked claim of a proof file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimReport {
    /// The file (as given).
    pub file: String,
    /// The claim's name.
    pub claim: String,
    /// Its line in the file.
    pub line: usize,
    /// The equation as written.
    pub equation: String,
    /// `holds` for `claim`, `refuted` for `refute`.
    pub expected: Expected,
    /// What the checker found.
    pub verdict: Verdict,
    /// Whether the verdict matches the expectation.
    pub ok: bool,
    /// The evidence.
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl ClaimReport {
    /// The evidence in one cell: the counterexample, or the largest relative error.
    pub fn evidence(&self) -> String {
        let o = &self.outcome;
        match (&o.counterexample, o.verdict) {
            (Some(c), Verdict::Refuted) => match &o.difference {
                Some(d) => format!("{c} (exactly: lhs − rhs = {d})"),
                None => c.to_string(),
            },
            (Some(c), _) => format!("{}; {}", o.reason, c),
            (None, Verdict::Error | Verdict::Inconclusive) => o.reason.clone(),
            (None, _) => match o.max_relative_error {
                Some(e) => format!("max rel. error {e:.1e}"),
                None => String::new(),
            },
        }
    }
}

/// The claims as an aligned text table.
pub fn table(claims: &[ClaimReport]) -> String {
    let mut rows = vec![[
        "file".to_string(),
        "claim".to_string(),
        "expected".to_string(),
        "verdict".to_string(),
        "points".to_string(),
        "".to_string(),
        "max rel. error / counterexample".to_string(),
    ]];
    for c in claims {
        let file = std::path::Path::new(&c.file)
            .file_name()
            .map_or(c.file.clone(), |f| f.to_string_lossy().into_owned());
        rows.push([
            format!("{file}:{}", c.line),
            c.claim.clone(),
            match c.expected {
                Expected::Holds => "holds".into(),
                Expected::Refuted => "refuted".into(),
            },
            c.verdict.to_string(),
            c.outcome.points.to_string(),
            if c.ok {
                "ok".into()
            } else {
                "UNEXPECTED".into()
            },
            c.evidence(),
        ]);
    }
    let widths: Vec<usize> = (0..7)
        .map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0))
        .collect();
    let mut s = String::new();
    for r in &rows {
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

/// One JSON object per claim (keys `file`, `claim`, `expected`, `verdict`, `ok`, and the
/// evidence: `line`, `equation`, `reason`, `max_relative_error`, `points`, `domain_errors`,
/// `counterexample`, `symbolic_zero`, `difference`).
pub fn json(claims: &[ClaimReport]) -> serde_json::Value {
    serde_json::to_value(claims).unwrap_or(serde_json::Value::Null)
}
