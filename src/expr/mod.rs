//! The expression language and symbolic engine: type a Lagrangian, get its Euler–Lagrange
//! equations, momenta, energy function and mass matrix — symbolically, in a canonical normal
//! form, as text or LaTeX — and evaluate it over any num-dual scalar so the AD-based
//! [`mechanics`](crate::mechanics) core can check it numerically.
//!
//! ```
//! use ska_verify::expr::Engine;
//! let mut en = Engine::new(&["z"]).unwrap();
//! // The SKA Lagrangian: its Euler–Lagrange residual normalizes to exactly 0 ...
//! let l = en.parse("-z*sigma(z)*(1-sigma(z))*z'").unwrap();
//! let r = en.el(l).unwrap();
//! assert!(en.is_zero(r[0]).unwrap());
//! // ... because it is the time derivative of F = softplus(z) − z σ(z).
//! let f = en.parse("softplus(z) - z*sigma(z)").unwrap();
//! let df = en.dt(f).unwrap();
//! assert!(en.same(l, df).unwrap());
//! ```
//!
//! Pipeline: [`lexer`] → [`parser`] (definitions inlined) → [`graph`] (a hash-consed DAG) →
//! [`diff`] / [`calculus`] (symbolic derivatives, memoized per node) → [`normal`] (expanded,
//! collected, exact rational coefficients) → [`print`](mod@print) (text, LaTeX) or [`eval`] (a
//! straight-line program over any scalar, wrapped as a Lagrangian or trajectory in
//! [`lagrangian`]). [`check`] combines them into the analysis behind `ska-verify check`, whose
//! result is a [`report`]. The language is documented in `docs/expression-language.md`.

pub mod calculus;
pub mod check;
pub mod diff;
pub mod engine;
pub mod eval;
pub mod func;
pub mod graph;
pub mod lagrangian;
pub mod lexer;
pub mod normal;
pub mod parser;
pub mod print;
pub mod report;
mod suggest;

pub use engine::Engine;
pub use eval::Program;
pub use func::Func;
pub use graph::{Graph, Id, Node, Rational, Var};
pub use lagrangian::{ExprLagrangian, ExprTrajectory};
pub use normal::{Normalizer, PolyId};
pub use parser::MAX_DEPTH;
pub use print::Style;

#[cfg(test)]
mod tests;
