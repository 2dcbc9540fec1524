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

/// Result with the crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
