//! Symbolic mechanics on the DAG: total time derivative, momenta, Euler–Lagrange residual,
//! energy function and mass matrix.
//!
//! These are the symbolic twins of [`crate::mechanics`]: the same quantities, as expressions
//! rather than numbers, so they can be printed, normalized (proved zero) and compared with the
//! AD values in the tests.
//!
//! * d/dt e = Σᵢ (∂e/∂qᵢ q̇ᵢ + ∂e/∂q̇ᵢ q̈ᵢ) + ∂e/∂t — refused if e depends on some q̈ᵢ, whose
//!   time derivative (a third derivative) is not a variable of the language;
//! * pᵢ = ∂L/∂q̇ᵢ, rᵢ = d/dt pᵢ − ∂L/∂qᵢ, h = Σᵢ q̇ᵢ pᵢ − L, Mᵢⱼ = ∂pᵢ/∂q̇ⱼ.

use super::diff::partial;
use super::graph::{Graph, Id, Var};
use crate::error::{Error, Result};

/// The total time derivative of `e` along a trajectory.
pub fn dt(g: &mut Graph, e: Id) -> Result<Id> {
    let mut acc = g.int(0);
    for v in g.free_vars(e) {
        let term = match v {
            Var::Coord(i) => {
                let d = partial(g, e, v);
                let vel = g.var(Var::Vel(i));
                g.mul(d, vel)
            }
            Var::Vel(i) => {
                let d = partial(g, e, v);
                let a = g.var(Var::Acc(i));
                g.mul(d, a)
            }
            Var::Time => partial(g, e, v),
            Var::Acc(_) => {
                return Err(Error::Symbolic {
                    operation: "take the time derivative".into(),
                    reason: "the expression depends on an acceleration, so its time derivative \
                             needs a third derivative, which the language does not have"
                        .into(),
                });
            }
        };
        acc = g.add(acc, term);
    }
    Ok(acc)
}

fn first_order(g: &Graph, l: Id) -> Result<()> {
    if g.free_vars(l).iter().any(|v| matches!(v, Var::Acc(_))) {
        return Err(Error::Symbolic {
            operation: "derive the Euler–Lagrange equations".into(),
            reason: "the Lagrangian depends on an acceleration; only first-order Lagrangians \
                     L(t, q, q') are supported"
                .into(),
        });
    }
    Ok(())
}

/// pᵢ = ∂L/∂q̇ᵢ.
pub fn momentum(g: &mut Graph, l: Id, i: usize) -> Id {
    partial(g, l, Var::Vel(i as u32))
}

/// The Euler–Lagrange residual component rᵢ = d/dt ∂L/∂q̇ᵢ − ∂L/∂qᵢ.
pub fn euler_lagrange_component(g: &mut Graph, l: Id, i: usize) -> Result<Id> {
    first_order(g, l)?;
    component(g, l, i)
}

fn component(g: &mut Graph, l: Id, i: usize) -> Result<Id> {
    let p = momentum(g, l, i);
    let dp = dt(g, p)?;
    let f = partial(g, l, Var::Coord(i as u32));
    Ok(g.sub(dp, f))
}

/// Every component of the Euler–Lagrange residual, for `dof` coordinates.
pub fn euler_lagrange(g: &mut Graph, l: Id, dof: usize) -> Result<Vec<Id>> {
    first_order(g, l)?;
    (0..dof).map(|i| component(g, l, i)).collect()
}

/// The energy function h = Σᵢ q̇ᵢ ∂L/∂q̇ᵢ − L.
pub fn energy(g: &mut Graph, l: Id, dof: usize) -> Id {
    let mut acc = g.int(0);
    for i in 0..dof {
        let p = momentum(g, l, i);
        let v = g.var(Var::Vel(i as u32));
        let term = g.mul(v, p);
        acc = g.add(acc, term);
    }
    g.sub(acc, l)
}

/// The mass matrix Mᵢⱼ = ∂²L/∂q̇ᵢ∂q̇ⱼ (row-major).
pub fn mass_matrix(g: &mut Graph, l: Id, dof: usize) -> Vec<Vec<Id>> {
    (0..dof)
        .map(|i| {
            let p = momentum(g, l, i);
            (0..dof)
                .map(|j| partial(g, p, Var::Vel(j as u32)))
                .collect()
        })
        .collect()
}
