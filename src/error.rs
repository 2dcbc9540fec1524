//! The one error type of ska-verify.
//!
//! Errors carry what went wrong and the numbers involved (time, expected, found), so a failed
//! check reads like a counterexample rather than a stack trace. Later modules add variants for
//! their own failure modes (parse spans, file paths).

use thiserror::Error;

/// Every failure the library reports.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// Dimensions of two objects that must agree do not.
    #[error("dimension mismatch: {what} has {found} components, expected {expected}")]
    Dimension {
        /// What was being combined.
        what: String,
        /// Expected number of components.
        expected: usize,
        /// Number of components found.
        found: usize,
    },
    /// A Lagrangian's mass matrix ∂²L/∂q̇² is singular, so q̈ cannot be solved for.
    #[error(
        "the Lagrangian is degenerate at t = {time}: mass matrix ∂²L/∂q̇² has rank {rank} of {dof}, \
         so the Euler–Lagrange equations cannot be solved for q̈"
    )]
    Degenerate {
        /// Time at which the mass matrix was singular.
        time: f64,
        /// Numerical rank found.
        rank: usize,
        /// Number of degrees of freedom.
        dof: usize,
    },
    /// A computation produced a non-finite value.
    #[error("non-finite value ({value}) in {what} at t = {time}")]
    NonFinite {
        /// What was being computed.
        what: String,
        /// Time of evaluation.
        time: f64,
        /// The offending value.
        value: f64,
    },
    /// The integrator could not meet its tolerance.
    #[error("integration failed at t = {time}: {reason}")]
    Integration {
        /// Time reached.
        time: f64,
        /// Why it stopped.
        reason: String,
    },
    /// Drawing a figure failed.
    #[error("figure {figure}: {message}")]
    Plot {
        /// Figure name.
        figure: String,
        /// What went wrong.
        message: String,
    },
    /// An argument is out of its domain.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// What was invalid.
        what: String,
        /// Why, and how to fix it.
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {detail}")]
    Io {
        /// The file or directory.
        path: String,
        /// What failed (the operating system's message), and how to fix it where known.
        detail: String,
    },
    /// An IDX (MNIST) file is malformed: bad magic number, truncated, or inconsistent.
    #[error("invalid IDX file {path}: {detail}")]
    Idx {
        /// The file.
        path: String,
        /// What is wrong, with the numbers found.
        detail: String,
    },
    /// An .npz/.npy file of initial weights is malformed or does not fit the network.
    #[error("invalid weights file {path}: {detail}")]
    Npz {
        /// The file (and entry, as `file.npz:W1.npy`).
        path: String,
        /// What is wrong, with the numbers found.
        detail: String,
    },
    /// Malformed input to the expression language, with its position and a fix (boxed: the
    /// details are large and errors should stay cheap to move).
    #[error("{0}")]
    Parse(Box<ParseError>),
    /// A symbolic operation could not be carried out (e.g. it would need third derivatives,
    /// or a normal form grew past its size limit).
    #[error("cannot {operation}: {reason}")]
    Symbolic {
        /// The operation attempted.
        operation: String,
        /// Why it failed.
        reason: String,
    },
}

/// Where and why input to the expression language is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where the text came from (`--lagrangian`, a file name, ...); empty if unknown.
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What the parser expected at this position (empty if nothing specific).
    pub expected: String,
    /// The offending line of the input.
    pub source_line: String,
    /// How to fix it, if the parser can tell.
    pub hint: Option<String>,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&render_parse(
            &self.origin,
            self.line,
            self.column,
            &self.message,
            &self.expected,
            &self.source_line,
            &self.hint,
        ))
    }
}

/// The caret message of [`Error::Parse`]:
///
/// ```text
/// error in --lagrangian at line 1, column 4: unknown function `sigm`
///   |
/// 1 | z*sigm(z)
///   |   ^ expected a function name
///   = hint: did you mean `sigma`?
/// ```
fn render_parse(
    origin: &str,
    line: usize,
    column: usize,
    message: &str,
    expected: &str,
    source_line: &str,
    hint: &Option<String>,
) -> String {
    let place = if origin.is_empty() {
        String::new()
    } else {
        format!(" in {origin}")
    };
    let num = line.to_string();
    let pad = " ".repeat(num.len());
    // The caret goes under the column-th character; tabs are kept so it lines up.
    let lead: String = source_line
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let mut out = format!(
        "error{place} at line {line}, column {column}: {message}\n{pad} |\n{num} | {source_line}\n{pad} | {lead}^"
    );
    if !expected.is_empty() {
        out.push_str(&format!(" expected {expected}"));
    }
    if let Some(h) = hint {
        out.push_str(&format!("\n{pad} = hint: {h}"));
    }
    out
}

impl Error {
    /// An I/O failure on `path`.
    pub fn io(path: &std::path::Path, err: &std::io::Error) -> Self {
        Error::Io {
            path: path.display().to_string(),
            detail: err.to_string(),
        }
    }
}

/// Result with the crate's [`enum@Error`].
pub type Result<T> = std::result::Result<T, Error>;
