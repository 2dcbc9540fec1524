//! The expression DAG: a hash-consed arena of nodes.
//!
//! Every expression lives in a [`Graph`] as an [`Id`] into an arena `Vec<Node>`; a
//! `HashMap<Node, Id>` makes structurally identical subtrees the same node. Children are always
//! created before their parents, so **ids are a topological order**: every pass (evaluation,
//! differentiation, normal form, printing) runs iteratively over ids instead of recursing, and
//! no input, however deeply nested, can overflow the stack.
//!
//! The smart constructors ([`Graph::add`], [`Graph::mul`], ...) fold exact constants and the
//! trivial identities (x + 0, x·1, x·0, x¹, −(−x)) so derivatives do not fill the arena with
//! zeros. Subtraction is `a + (−b)`, division `a · b^(−1)`.

use super::func::Func;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};
use std::collections::HashMap;

/// An exact rational number.
pub type Rational = BigRational;

/// A node's index in its [`Graph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub(crate) u32);

impl Id {
    /// The index into the arena.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A variable: a coordinate qᵢ, its velocity q̇ᵢ, its acceleration q̈ᵢ, or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Var {
    /// qᵢ (written `x`).
    Coord(u32),
    /// q̇ᵢ (written `x'`).
    Vel(u32),
    /// q̈ᵢ (written `x''`).
    Acc(u32),
    /// t.
    Time,
}

impl Var {
    /// The coordinate index, if the variable belongs to a coordinate.
    pub fn coord(self) -> Option<usize> {
        match self {
            Var::Coord(i) | Var::Vel(i) | Var::Acc(i) => Some(i as usize),
            Var::Time => None,
        }
    }
}

/// One node of the DAG.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// An exact rational constant.
    Num(Rational),
    /// π.
    Pi,
    /// A variable.
    Var(Var),
    /// a + b
    Add(Id, Id),
    /// a · b
    Mul(Id, Id),
    /// −a
    Neg(Id),
    /// a^b
    Pow(Id, Id),
    /// f(a)
    Func(Func, Id),
}

impl Node {
    /// The children of the node (0, 1 or 2 ids).
    pub fn children(&self) -> impl Iterator<Item = Id> {
        let (a, b) = match *self {
            Node::Num(_) | Node::Pi | Node::Var(_) => (None, None),
            Node::Neg(a) | Node::Func(_, a) => (Some(a), None),
            Node::Add(a, b) | Node::Mul(a, b) | Node::Pow(a, b) => (Some(a), Some(b)),
        };
        a.into_iter().chain(b)
    }
}

/// The largest integer exponent folded exactly for constants.
const MAX_FOLD_EXPONENT: i64 = 64;

/// FxHash (the rustc hasher): hash-consing and memo tables hash small keys millions of
/// times, where SipHash's DoS resistance buys nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_u8(&mut self, x: u8) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// A hash-consed arena of expression nodes. Ids 0 and 1 are the constants 0 and 1.
#[derive(Debug, Clone)]
pub struct Graph {
    nodes: Vec<Node>,
    index: FxMap<Node, Id>,
    pub(crate) diff_memo: FxMap<(Id, Var), Id>,
    /// The topological order of the last expression differentiated (a gradient
    /// differentiates one expression by many variables in a row).
    pub(crate) last_order: Option<(Id, std::rc::Rc<Vec<Id>>)>,
}

impl Default for Graph {
    fn default() -> Self {
        Self::new()
    }
}

impl Graph {
    /// The constant 0.
    pub const ZERO: Id = Id(0);
    /// The constant 1.
    pub const ONE: Id = Id(1);

    /// An empty graph (holding only 0 and 1).
    pub fn new() -> Self {
        let mut g = Self {
            nodes: Vec::new(),
            index: FxMap::default(),
            diff_memo: FxMap::default(),
            last_order: None,
        };
        g.intern(Node::Num(Rational::zero()));
        g.intern(Node::Num(Rational::one()));
        g
    }

    /// Number of distinct nodes (including the constants 0 and 1).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph holds nothing but the constants 0 and 1.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 2
    }

    /// The node behind `id`.
    pub fn node(&self, id: Id) -> &Node {
        &self.nodes[id.index()]
    }

    /// The node's constant value, if it is a rational constant.
    pub fn as_num(&self, id: Id) -> Option<&Rational> {
        match self.node(id) {
            Node::Num(r) => Some(r),
            _ => None,
        }
    }

    fn intern(&mut self, node: Node) -> Id {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        let id = Id(u32::try_from(self.nodes.len()).expect("fewer than 2^32 nodes"));
        self.nodes.push(node.clone());
        self.index.insert(node, id);
        id
    }

    /// A rational constant.
    pub fn num(&mut self, r: Rational) -> Id {
        self.intern(Node::Num(r))
    }

    /// An integer constant.
    pub fn int(&mut self, n: i64) -> Id {
        match n {
            0 => return Self::ZERO,
            1 => return Self::ONE,
            _ => {}
        }
        self.num(Rational::from_integer(BigInt::from(n)))
    }

    /// The constant p/q (q ≠ 0).
    pub fn ratio(&mut self, p: i64, q: i64) -> Id {
        self.num(Rational::new(BigInt::from(p), BigInt::from(q)))
    }

    /// π.
    pub fn pi(&mut self) -> Id {
        self.intern(Node::Pi)
    }

    /// Euler's number e, represented as exp(1).
    pub fn e(&mut self) -> Id {
        let one = self.int(1);
        self.func(Func::Exp, one)
    }

    /// A variable.
    pub fn var(&mut self, v: Var) -> Id {
        self.intern(Node::Var(v))
    }

    fn is_zero(&self, id: Id) -> bool {
        id == Self::ZERO
    }

    fn is_one(&self, id: Id) -> bool {
        id == Self::ONE
    }

    /// a + b.
    pub fn add(&mut self, a: Id, b: Id) -> Id {
        if self.is_zero(a) {
            return b;
        }
        if self.is_zero(b) {
            return a;
        }
        if let (Some(x), Some(y)) = (self.as_num(a), self.as_num(b)) {
            let s = x + y;
            return self.num(s);
        }
        self.intern(Node::Add(a, b))
    }

    /// −a.
    pub fn neg(&mut self, a: Id) -> Id {
        match self.node(a) {
            Node::Num(r) => {
                let r = -r.clone();
                self.num(r)
            }
            Node::Neg(x) => *x,
            _ => self.intern(Node::Neg(a)),
        }
    }

    /// a − b.
    pub fn sub(&mut self, a: Id, b: Id) -> Id {
        let nb = self.neg(b);
        self.add(a, nb)
    }

    /// a · b.
    pub fn mul(&mut self, a: Id, b: Id) -> Id {
        if self.is_zero(a) || self.is_zero(b) {
            return self.int(0);
        }
        if self.is_one(a) {
            return b;
        }
        if self.is_one(b) {
            return a;
        }
        if let (Some(x), Some(y)) = (self.as_num(a), self.as_num(b)) {
            let p = x * y;
            return self.num(p);
        }
        let minus_one = |g: &Self, id| g.as_num(id).is_some_and(|r| *r == -Rational::one());
        if minus_one(self, a) {
            return self.neg(b);
        }
        if minus_one(self, b) {
            return self.neg(a);
        }
        self.intern(Node::Mul(a, b))
    }

    /// a / b (a · b^(−1); exact for nonzero constant b).
    pub fn div(&mut self, a: Id, b: Id) -> Id {
        if let Some(y) = self.as_num(b)
            && !y.is_zero()
        {
            let inv = y.recip();
            let c = self.num(inv);
            return self.mul(a, c);
        }
        let m1 = self.int(-1);
        let inv = self.pow(b, m1);
        self.mul(a, inv)
    }

    /// a^b.
    pub fn pow(&mut self, a: Id, b: Id) -> Id {
        if self.is_zero(b) {
            return self.int(1);
        }
        if self.is_one(b) || self.is_one(a) {
            return a;
        }
        if let (Some(x), Some(y)) = (self.as_num(a), self.as_num(b))
            && y.is_integer()
            && let Some(k) = y.to_integer().to_i64()
            && k.unsigned_abs() <= MAX_FOLD_EXPONENT.unsigned_abs()
            && !(x.is_zero() && k < 0)
        {
            let mut r = Rational::one();
            for _ in 0..k.unsigned_abs() {
                r *= x;
            }
            if k < 0 {
                r = r.recip();
            }
            return self.num(r);
        }
        self.intern(Node::Pow(a, b))
    }

    /// a^k for an integer k.
    pub fn powi(&mut self, a: Id, k: i64) -> Id {
        let k = self.int(k);
        self.pow(a, k)
    }

    /// f(a).
    pub fn func(&mut self, f: Func, a: Id) -> Id {
        self.intern(Node::Func(f, a))
    }

    /// The ids reachable from `roots`, ascending (a topological order), found iteratively.
    pub fn reachable(&self, roots: &[Id]) -> Vec<Id> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<Id> = roots.to_vec();
        let mut out = Vec::new();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            out.push(id);
            stack.extend(self.node(id).children());
        }
        out.sort_unstable();
        out
    }

    /// The variables an expression depends on, ascending.
    pub fn free_vars(&self, root: Id) -> Vec<Var> {
        let mut vars: Vec<Var> = self
            .reachable(&[root])
            .into_iter()
            .filter_map(|id| match self.node(id) {
                Node::Var(v) => Some(*v),
                _ => None,
            })
            .collect();
        vars.sort_unstable();
        vars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_subtrees_are_one_node() {
        let mut g = Graph::new();
        let x = g.var(Var::Coord(0));
        let a = g.func(Func::Sin, x);
        let b = g.func(Func::Sin, x);
        assert_eq!(a, b);
        let s1 = g.add(a, x);
        let n = g.len();
        let s2 = g.add(b, x);
        assert_eq!((s1, g.len()), (s2, n));
    }

    #[test]
    fn constants_fold_exactly() {
        let mut g = Graph::new();
        let a = g.ratio(1, 3);
        let b = g.ratio(1, 6);
        let s = g.add(a, b);
        assert_eq!(g.as_num(s), Some(&Rational::new(1.into(), 2.into())));
        let two = g.int(2);
        let p = g.powi(two, -3);
        assert_eq!(g.as_num(p), Some(&Rational::new(1.into(), 8.into())));
        let x = g.var(Var::Time);
        let zero = g.int(0);
        assert_eq!(g.mul(x, zero), zero);
        let nx = g.neg(x);
        assert_eq!(g.neg(nx), x);
    }
}
