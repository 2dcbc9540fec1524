//! Symbolic partial derivatives on the DAG, memoized per (node, variable).
//!
//! ∂/∂v is computed bottom-up over the nodes reachable from the expression, in id order (a
//! topological order), so it is iterative and each shared subexpression is differentiated once.
//! The memo lives in the [`Graph`], so differentiating many expressions that share structure
//! (all the momenta of a chain) reuses work across calls.
//!
//! The rules are the textbook ones; the non-obvious choices are those that make derivatives
//! of the logistic functions land in the normal form's vocabulary:
//! σ′ = σ(1−σ), softplus′ = σ, ln′ u = u⁻¹, √u′ = ½ (√u)⁻¹, tan′ = 1 + tan², tanh′ = 1 − tanh².

use super::func::Func;
use super::graph::{Graph, Id, Node, Var};

/// f′(a): the derivative of the function at its argument.
fn func_derivative(g: &mut Graph, f: Func, a: Id) -> Id {
    let one = g.int(1);
    match f {
        Func::Sin => g.func(Func::Cos, a),
        Func::Cos => {
            let s = g.func(Func::Sin, a);
            g.neg(s)
        }
        Func::Tan => {
            let t = g.func(Func::Tan, a);
            let t2 = g.powi(t, 2);
            g.add(one, t2)
        }
        Func::Asin | Func::Acos => {
            let a2 = g.powi(a, 2);
            let r = g.sub(one, a2);
            let h = g.ratio(-1, 2);
            let d = g.pow(r, h);
            if f == Func::Asin { d } else { g.neg(d) }
        }
        Func::Atan => {
            let a2 = g.powi(a, 2);
            let r = g.add(one, a2);
            g.powi(r, -1)
        }
        Func::Sinh => g.func(Func::Cosh, a),
        Func::Cosh => g.func(Func::Sinh, a),
        Func::Tanh => {
            let t = g.func(Func::Tanh, a);
            let t2 = g.powi(t, 2);
            g.sub(one, t2)
        }
        Func::Exp => g.func(Func::Exp, a),
        Func::Ln => g.powi(a, -1),
        Func::Sqrt => {
            let s = g.func(Func::Sqrt, a);
            let inv = g.powi(s, -1);
            let half = g.ratio(1, 2);
            g.mul(half, inv)
        }
        Func::Sigma => {
            let s = g.func(Func::Sigma, a);
            let c = g.sub(one, s);
            g.mul(s, c)
        }
        Func::Softplus => g.func(Func::Sigma, a),
    }
}

/// ∂e/∂v, holding every other variable fixed.
///
/// ```
/// use ska_verify::expr::Engine;
/// let mut en = Engine::new(&["x"]).unwrap();
/// let e = en.parse("x^3 + sin(x)").unwrap();
/// let x = en.var("x").unwrap();
/// let d = en.d(e, x);
/// let expected = en.parse("3*x^2 + cos(x)").unwrap();
/// assert!(en.same(d, expected).unwrap());
/// ```
pub fn partial(g: &mut Graph, e: Id, v: Var) -> Id {
    if let Some(&d) = g.diff_memo.get(&(e, v)) {
        return d;
    }
    let order = match &g.last_order {
        Some((root, order)) if *root == e => order.clone(),
        _ => {
            let order = std::rc::Rc::new(g.reachable(&[e]));
            g.last_order = Some((e, order.clone()));
            order
        }
    };
    // Only nodes that depend on v have a nonzero derivative; find them in one cheap pass.
    let mut depends = vec![false; g.len()];
    for &id in order.iter() {
        depends[id.index()] = match g.node(id) {
            Node::Var(w) => *w == v,
            n => n.children().any(|c| depends[c.index()]),
        };
    }
    if !depends[e.index()] {
        return Graph::ZERO;
    }
    for &id in order.iter() {
        if !depends[id.index()] || g.diff_memo.contains_key(&(id, v)) {
            continue;
        }
        let d = derive_node(g, id, v, &depends);
        g.diff_memo.insert((id, v), d);
    }
    g.diff_memo[&(e, v)]
}

fn derive_node(g: &mut Graph, id: Id, v: Var, depends: &[bool]) -> Id {
    let zero = Graph::ZERO;
    let d = |g: &Graph, c: Id| {
        if depends[c.index()] {
            g.diff_memo[&(c, v)]
        } else {
            zero
        }
    };
    match g.node(id).clone() {
        Node::Num(_) | Node::Pi => zero,
        Node::Var(w) => {
            if w == v {
                Graph::ONE
            } else {
                zero
            }
        }
        Node::Add(a, b) => {
            let (da, db) = (d(g, a), d(g, b));
            g.add(da, db)
        }
        Node::Neg(a) => {
            let da = d(g, a);
            g.neg(da)
        }
        Node::Mul(a, b) => {
            let (da, db) = (d(g, a), d(g, b));
            let l = g.mul(da, b);
            let r = g.mul(a, db);
            g.add(l, r)
        }
        Node::Pow(a, b) => {
            let (da, db) = (d(g, a), d(g, b));
            if db == zero {
                if da == zero {
                    return zero;
                }
                // b · a^(b−1) · a′
                let one = g.int(1);
                let bm1 = g.sub(b, one);
                let p = g.pow(a, bm1);
                let bp = g.mul(b, p);
                g.mul(bp, da)
            } else {
                // a^b · (b′ ln a + b a′/a)
                let ab = g.pow(a, b);
                let ln = g.func(Func::Ln, a);
                let t1 = g.mul(db, ln);
                let q = g.div(da, a);
                let t2 = g.mul(b, q);
                let s = g.add(t1, t2);
                g.mul(ab, s)
            }
        }
        Node::Func(f, a) => {
            let da = d(g, a);
            if da == zero {
                return zero;
            }
            let fp = func_derivative(g, f, a);
            g.mul(fp, da)
        }
    }
}
