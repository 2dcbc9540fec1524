//! Evaluation over any [`Scalar`]: an expression DAG compiled to a straight-line program.
//!
//! [`Program::compile`] lists the nodes reachable from the outputs in id order (a topological
//! order) and turns them into instructions that read earlier slots, so evaluation is one loop —
//! iterative, and every shared subexpression is computed once. The same program runs on `f64`
//! and on every num-dual type, which is what makes a parsed expression a
//! [`Lagrangian`](crate::mechanics::Lagrangian) for the AD-based variational core.
//!
//! σ and softplus use the overflow-free forms of [`crate::scalar`]; integer constant exponents
//! use `powi` (so `x^2` is defined for negative x), other constant exponents `powf`, and
//! variable exponents `powd`.

use super::func::Func;
use super::graph::{Graph, Id, Node, Var};
use crate::scalar::{Scalar, sigmoid, softplus};
use num_traits::ToPrimitive;

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Const(f64),
    Var(Var),
    Add(usize, usize),
    Mul(usize, usize),
    Neg(usize),
    PowI(usize, i32),
    PowF(usize, f64),
    Pow(usize, usize),
    Func(Func, usize),
}

/// A compiled expression (or several sharing one program).
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    ops: Vec<Op>,
    outputs: Vec<usize>,
}

/// Apply a built-in function to a scalar.
pub fn apply<D: Scalar>(f: Func, x: D) -> D {
    match f {
        Func::Sin => x.sin(),
        Func::Cos => x.cos(),
        Func::Tan => x.tan(),
        Func::Asin => x.asin(),
        Func::Acos => x.acos(),
        Func::Atan => x.atan(),
        Func::Sinh => x.sinh(),
        Func::Cosh => x.cosh(),
        Func::Tanh => x.tanh(),
        Func::Exp => x.exp(),
        Func::Ln => x.ln(),
        Func::Sqrt => x.sqrt(),
        Func::Sigma => sigmoid(x),
        Func::Softplus => softplus(x),
    }
}

impl Program {
    /// Compile the expressions `roots` of `g` into one program with one output per root.
    pub fn compile(g: &Graph, roots: &[Id]) -> Self {
        let order = g.reachable(roots);
        let mut slot = std::collections::HashMap::with_capacity(order.len());
        let mut ops = Vec::with_capacity(order.len());
        for id in order {
            let s = |c: &Id| slot[c];
            let op = match g.node(id) {
                Node::Num(r) => Op::Const(r.to_f64().unwrap_or(f64::NAN)),
                Node::Pi => Op::Const(std::f64::consts::PI),
                Node::Var(v) => Op::Var(*v),
                Node::Add(a, b) => Op::Add(s(a), s(b)),
                Node::Mul(a, b) => Op::Mul(s(a), s(b)),
                Node::Neg(a) => Op::Neg(s(a)),
                Node::Pow(a, b) => match g.as_num(*b) {
                    Some(r) if r.is_integer() && r.to_integer().to_i32().is_some() => {
                        Op::PowI(s(a), r.to_integer().to_i32().unwrap_or(0))
                    }
                    Some(r) => Op::PowF(s(a), r.to_f64().unwrap_or(f64::NAN)),
                    None => Op::Pow(s(a), s(b)),
                },
                Node::Func(f, a) => Op::Func(*f, s(a)),
            };
            slot.insert(id, ops.len());
            ops.push(op);
        }
        let outputs = roots.iter().map(|r| slot[r]).collect();
        Self { ops, outputs }
    }

    /// Number of instructions (distinct reachable nodes).
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the program has no instructions.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Number of outputs.
    pub fn outputs(&self) -> usize {
        self.outputs.len()
    }

    /// Evaluate every output at time `t`, coordinates `q`, velocities `qdot` and accelerations
    /// `qddot`. A variable whose slice is too short evaluates to NaN (never a panic).
    pub fn eval<D: Scalar>(&self, t: D, q: &[D], qdot: &[D], qddot: &[D]) -> Vec<D> {
        let v = self.eval_all(t, q, qdot, qddot);
        self.outputs.iter().map(|&o| v[o]).collect()
    }

    /// Every instruction's value.
    fn eval_all<D: Scalar>(&self, t: D, q: &[D], qdot: &[D], qddot: &[D]) -> Vec<D> {
        let nan = D::from(f64::NAN);
        let mut v: Vec<D> = Vec::with_capacity(self.ops.len());
        for op in &self.ops {
            let x = match *op {
                Op::Const(c) => D::from(c),
                Op::Var(var) => match var {
                    Var::Time => t,
                    Var::Coord(i) => q.get(i as usize).copied().unwrap_or(nan),
                    Var::Vel(i) => qdot.get(i as usize).copied().unwrap_or(nan),
                    Var::Acc(i) => qddot.get(i as usize).copied().unwrap_or(nan),
                },
                Op::Add(a, b) => v[a] + v[b],
                Op::Mul(a, b) => v[a] * v[b],
                Op::Neg(a) => -v[a],
                Op::PowI(a, k) => v[a].powi(k),
                Op::PowF(a, k) => v[a].powf(k),
                Op::Pow(a, b) => v[a].powd(v[b]),
                Op::Func(f, a) => apply(f, v[a]),
            };
            v.push(x);
        }
        v
    }

    /// [`Program::eval`], or `None` if any intermediate value is not finite — a domain error
    /// (ln 0, ln of a negative number, 1/0, √ of a negative number) or an overflow somewhere
    /// inside the expression, even if the final value looks finite (softplus(ln 0) = 0 in
    /// floating point, but ln 0 is undefined).
    pub fn eval_finite<D: Scalar>(&self, t: D, q: &[D], qdot: &[D], qddot: &[D]) -> Option<Vec<D>> {
        let v = self.eval_all(t, q, qdot, qddot);
        if v.iter().all(|x| x.re().is_finite()) {
            Some(self.outputs.iter().map(|&o| v[o]).collect())
        } else {
            None
        }
    }

    /// Evaluate the first output (0 if there is none).
    pub fn eval1<D: Scalar>(&self, t: D, q: &[D], qdot: &[D], qddot: &[D]) -> D {
        self.eval(t, q, qdot, qddot)
            .into_iter()
            .next()
            .unwrap_or(D::from(0.0))
    }
}
