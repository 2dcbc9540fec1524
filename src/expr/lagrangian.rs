//! Parsed expressions as inputs of the variational core: [`ExprLagrangian`] implements
//! [`Lagrangian`] and [`ExprTrajectory`] implements [`Trajectory`], both by evaluating a
//! compiled [`Program`] over whatever scalar the core asks for (f64, dual, hyper-dual, ...).
//! That is how `ska-verify residual` gets exact AD values for a typed-in Lagrangian.

use super::eval::Program;
use super::graph::{Graph, Id, Var};
use crate::error::{Error, Result};
use crate::mechanics::{Lagrangian, Trajectory};
use crate::scalar::Scalar;

/// A Lagrangian L(t, q, q̇) given by an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprLagrangian {
    coords: Vec<String>,
    program: Program,
    time_independent: bool,
    text: String,
}

impl ExprLagrangian {
    /// Compile expression `l` of `g` with coordinates `coords`.
    pub fn new(g: &Graph, coords: &[String], l: Id, text: String) -> Result<Self> {
        let vars = g.free_vars(l);
        if vars.iter().any(|v| matches!(v, Var::Acc(_))) {
            return Err(Error::Invalid {
                what: "Lagrangian".into(),
                reason: "it depends on an acceleration; only first-order Lagrangians \
                         L(t, q, q') are supported"
                    .into(),
            });
        }
        if coords.is_empty() {
            return Err(Error::Invalid {
                what: "Lagrangian".into(),
                reason: "declare at least one coordinate".into(),
            });
        }
        Ok(Self {
            coords: coords.to_vec(),
            program: Program::compile(g, &[l]),
            time_independent: !vars.contains(&Var::Time),
            text,
        })
    }

    /// The coordinate names.
    pub fn coords(&self) -> &[String] {
        &self.coords
    }
}

impl Lagrangian for ExprLagrangian {
    fn dof(&self) -> usize {
        self.coords.len()
    }
    fn lagrangian<D: Scalar>(&self, t: D, q: &[D], qdot: &[D]) -> D {
        self.program.eval1(t, q, qdot, &[])
    }
    fn name(&self) -> String {
        self.text.clone()
    }
    fn is_time_independent(&self) -> bool {
        self.time_independent
    }
}

/// A trajectory q(t) given by one expression in t per coordinate.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprTrajectory {
    program: Program,
}

impl ExprTrajectory {
    /// Compile the components (which may only depend on t).
    pub fn new(g: &Graph, components: &[Id]) -> Result<Self> {
        for &c in components {
            if g.free_vars(c).iter().any(|v| *v != Var::Time) {
                return Err(Error::Invalid {
                    what: "trajectory".into(),
                    reason: "a trajectory may only depend on t".into(),
                });
            }
        }
        Ok(Self {
            program: Program::compile(g, components),
        })
    }
}

impl Trajectory for ExprTrajectory {
    fn dof(&self) -> usize {
        self.program.outputs()
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        self.program.eval(t, &[], &[], &[])
    }
}
