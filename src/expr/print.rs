//! Printing expressions and normal forms as readable text and as LaTeX.
//!
//! Text output is valid input: `parse(print(e))` has the same normal form as `e` (tested on
//! random trees). Parentheses are minimal under the grammar's precedences (sum < product <
//! unary minus < power < atom); velocities print as `x'`, accelerations `x''`, e as `e`.
//!
//! Expressions are printed iteratively with an explicit work stack, so a sum of 10⁵ terms
//! prints without deep recursion. Normal forms are printed recursively over their atom
//! nesting, which the normalizer bounds by [`MAX_NEST`](super::normal::MAX_NEST).

use super::func::Func;
use super::graph::{Graph, Id, Node, Rational, Var};
use super::normal::{Atom, Mono, Normalizer, Poly, PolyId};
use num_traits::{One, Signed};

/// Output syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The expression language itself.
    Text,
    /// LaTeX math.
    Latex,
}

const SUM: u8 = 1;
const PROD: u8 = 2;
const UNARY: u8 = 3;
const ATOM: u8 = 5;

const GREEK: [&str; 24] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
    "omega", "varphi",
];

/// A variable's name in `style`, given the coordinate names.
pub fn var_name(coords: &[String], v: Var, style: Style) -> String {
    let base = |i: u32| {
        coords
            .get(i as usize)
            .cloned()
            .unwrap_or_else(|| format!("q{i}"))
    };
    let latex_base = |i: u32| {
        let n = base(i);
        if n.chars().count() == 1 {
            return n;
        }
        let (stem, digits) = n.split_at(n.trim_end_matches(|c: char| c.is_ascii_digit()).len());
        let stem = if GREEK.contains(&stem) {
            format!("\\{stem}")
        } else if stem.chars().count() == 1 {
            stem.to_string()
        } else {
            format!("\\mathit{{{}}}", stem.replace('_', "\\_"))
        };
        if digits.is_empty() {
            stem
        } else {
            format!("{stem}_{{{digits}}}")
        }
    };
    match (v, style) {
        (Var::Time, _) => "t".into(),
        (Var::Coord(i), Style::Text) => base(i),
        (Var::Vel(i), Style::Text) => format!("{}'", base(i)),
        (Var::Acc(i), Style::Text) => format!("{}''", base(i)),
        (Var::Coord(i), Style::Latex) => latex_base(i),
        (Var::Vel(i), Style::Latex) => format!("\\dot{{{}}}", latex_base(i)),
        (Var::Acc(i), Style::Latex) => format!("\\ddot{{{}}}", latex_base(i)),
    }
}

fn rational_text(r: &Rational, style: Style) -> String {
    let (n, d) = (r.numer().abs(), r.denom());
    let sign = if r.is_negative() { "-" } else { "" };
    if d.is_one() {
        format!("{sign}{n}")
    } else if style == Style::Latex {
        format!("{sign}\\frac{{{n}}}{{{d}}}")
    } else {
        format!("{sign}{n}/{d}")
    }
}

fn is_e(g: &Graph, id: Id) -> bool {
    matches!(g.node(id), Node::Func(Func::Exp, a) if g.as_num(*a).is_some_and(|r| r.is_one()))
}

fn level(g: &Graph, id: Id) -> u8 {
    match g.node(id) {
        Node::Num(r) => {
            if !r.is_integer() {
                PROD
            } else if r.is_negative() {
                UNARY
            } else {
                ATOM
            }
        }
        Node::Pi | Node::Var(_) | Node::Func(..) => ATOM,
        Node::Add(..) => SUM,
        Node::Mul(..) => PROD,
        Node::Neg(_) => UNARY,
        Node::Pow(_, b) if g.as_num(*b).is_some_and(|r| *r == -Rational::one()) => PROD,
        Node::Pow(..) => 4,
    }
}

enum Item {
    Node(Id, u8),
    Text(String),
}

/// Print expression `root` of `g`.
pub fn expr(g: &Graph, coords: &[String], root: Id, style: Style) -> String {
    let latex = style == Style::Latex;
    let (open, close) = if latex {
        ("\\left(", "\\right)")
    } else {
        ("(", ")")
    };
    let mut out = String::new();
    let mut stack = vec![Item::Node(root, 0)];
    while let Some(item) = stack.pop() {
        let (id, min) = match item {
            Item::Text(s) => {
                out.push_str(&s);
                continue;
            }
            Item::Node(id, min) => (id, min),
        };
        let mut parts: Vec<Item> = Vec::new();
        let t = |s: &str| Item::Text(s.to_string());
        match g.node(id) {
            Node::Num(r) => parts.push(Item::Text(rational_text(r, style))),
            Node::Pi => parts.push(t(if latex { "\\pi" } else { "pi" })),
            Node::Var(v) => parts.push(Item::Text(var_name(coords, *v, style))),
            Node::Add(a, b) => {
                parts.push(Item::Node(*a, SUM));
                match g.node(*b) {
                    Node::Neg(c) => {
                        parts.push(t(" - "));
                        parts.push(Item::Node(*c, PROD));
                    }
                    Node::Num(r) if r.is_negative() => {
                        parts.push(t(" - "));
                        parts.push(Item::Text(rational_text(&-r, style)));
                    }
                    _ => {
                        parts.push(t(" + "));
                        parts.push(Item::Node(*b, PROD));
                    }
                }
            }
            Node::Mul(a, b) => {
                let inv = match g.node(*b) {
                    Node::Pow(c, k) if g.as_num(*k).is_some_and(|r| *r == -Rational::one()) => {
                        Some(*c)
                    }
                    _ => None,
                };
                let frac = g
                    .as_num(*b)
                    .filter(|r| !r.is_integer() && r.is_positive())
                    .cloned();
                match (inv, latex) {
                    (None, false) if frac.is_some() => {
                        let r = frac.unwrap_or_default();
                        parts.push(Item::Node(*a, PROD));
                        if !r.numer().is_one() {
                            parts.push(Item::Text(format!("*{}", r.numer())));
                        }
                        parts.push(Item::Text(format!("/{}", r.denom())));
                    }
                    (None, true) if frac.is_some() => {
                        let r = frac.unwrap_or_default();
                        parts.push(t("\\frac{"));
                        if !r.numer().is_one() {
                            parts.push(Item::Text(format!("{} \\cdot ", r.numer())));
                        }
                        parts.push(Item::Node(*a, PROD));
                        parts.push(Item::Text(format!("}}{{{}}}", r.denom())));
                    }
                    (Some(c), false) => {
                        parts.push(Item::Node(*a, PROD));
                        parts.push(t("/"));
                        parts.push(Item::Node(c, UNARY + 1));
                    }
                    (Some(c), true) => {
                        parts.push(t("\\frac{"));
                        parts.push(Item::Node(*a, 0));
                        parts.push(t("}{"));
                        parts.push(Item::Node(c, 0));
                        parts.push(t("}"));
                    }
                    (None, _) => {
                        parts.push(Item::Node(*a, PROD));
                        parts.push(t(if latex { " \\cdot " } else { "*" }));
                        parts.push(Item::Node(*b, UNARY));
                    }
                }
            }
            Node::Neg(a) => {
                parts.push(t("-"));
                parts.push(Item::Node(*a, UNARY));
            }
            Node::Pow(a, b) if !latex && g.as_num(*b).is_some_and(|r| *r == -Rational::one()) => {
                parts.push(t("1/"));
                parts.push(Item::Node(*a, UNARY + 1));
            }
            Node::Pow(a, b) => {
                if latex {
                    parts.push(t("{"));
                    parts.push(Item::Node(*a, ATOM));
                    parts.push(t("}^{"));
                    parts.push(Item::Node(*b, 0));
                    parts.push(t("}"));
                } else {
                    parts.push(Item::Node(*a, ATOM));
                    parts.push(t("^"));
                    parts.push(Item::Node(*b, UNARY));
                }
            }
            Node::Func(f, a) => {
                if is_e(g, id) {
                    parts.push(t("e"));
                } else if latex && *f == Func::Sqrt {
                    parts.push(t("\\sqrt{"));
                    parts.push(Item::Node(*a, 0));
                    parts.push(t("}"));
                } else {
                    parts.push(Item::Text(if latex {
                        format!("{}{open}", f.latex())
                    } else {
                        format!("{}(", f.name())
                    }));
                    parts.push(Item::Node(*a, 0));
                    parts.push(t(if latex { close } else { ")" }));
                }
            }
        }
        let paren = level(g, id) < min;
        if paren {
            stack.push(t(if latex { close } else { ")" }));
        }
        stack.extend(parts.into_iter().rev());
        if paren {
            stack.push(t(if latex { open } else { "(" }));
        }
    }
    out
}

/// Prints normal forms of one [`Normalizer`].
pub struct NormalPrinter<'a> {
    /// The normalizer holding the atoms.
    pub norm: &'a Normalizer,
    /// Coordinate names.
    pub coords: &'a [String],
    /// Output syntax.
    pub style: Style,
}

impl NormalPrinter<'_> {
    /// Print an interned normal form.
    pub fn print(&self, p: PolyId) -> String {
        self.poly(self.norm.poly(p))
    }

    fn latex(&self) -> bool {
        self.style == Style::Latex
    }

    /// Print a polynomial: terms by descending derivative order (accelerations first), then
    /// descending degree.
    pub fn poly(&self, p: &Poly) -> String {
        if p.is_zero() {
            return "0".into();
        }
        let mut terms: Vec<(i64, u8, String, bool)> =
            p.0.iter()
                .map(|(m, c)| {
                    let deg: i64 = m.0.iter().map(|&(_, k)| i64::from(k)).sum();
                    let order =
                        m.0.iter()
                            .map(|&(a, _)| match self.norm.atom(a) {
                                Atom::Var(Var::Acc(_)) => 2,
                                Atom::Var(Var::Vel(_)) => 1,
                                _ => 0,
                            })
                            .max()
                            .unwrap_or(0);
                    (deg, order, self.term(m, &c.abs()), c.is_negative())
                })
                .collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)).then(a.2.cmp(&b.2)));
        // Lead with a positive term of the same rank if there is one: `y - x`, not `-x + y`.
        if terms[0].3
            && let Some(k) = terms
                .iter()
                .position(|t| !t.3 && (t.0, t.1) == (terms[0].0, terms[0].1))
        {
            let t = terms.remove(k);
            terms.insert(0, t);
        }
        let mut out = String::new();
        for (i, (_, _, text, neg)) in terms.iter().enumerate() {
            match (i, neg) {
                (0, true) => out.push('-'),
                (0, false) => {}
                (_, true) => out.push_str(" - "),
                (_, false) => out.push_str(" + "),
            }
            out.push_str(text);
        }
        out
    }

    /// One term |c|·m.
    fn term(&self, m: &Mono, c: &Rational) -> String {
        let latex = self.latex();
        let join = if latex { " \\, " } else { "*" };
        let mut num: Vec<String> = Vec::new();
        let mut den: Vec<String> = Vec::new();
        if !c.numer().is_one() {
            num.push(c.numer().to_string());
        }
        if !c.denom().is_one() {
            den.push(c.denom().to_string());
        }
        // Factors in reading order: π, coordinates, velocities, accelerations, t, functions.
        let mut factors: Vec<(u32, i32)> = m.0.clone();
        factors.sort_by_key(|&(a, _)| match self.norm.atom(a) {
            Atom::Pi => (0, 0, a),
            Atom::Var(Var::Coord(i)) => (1, *i, a),
            Atom::Var(Var::Vel(i)) => (2, *i, a),
            Atom::Var(Var::Acc(i)) => (3, *i, a),
            Atom::Var(Var::Time) => (4, 0, a),
            _ => (5, 0, a),
        });
        for (a, k) in factors {
            let f = self.factor(a, k.abs());
            if k > 0 { num.push(f) } else { den.push(f) }
        }
        let num_s = if num.is_empty() {
            "1".to_string()
        } else {
            num.join(join)
        };
        if den.is_empty() {
            return num_s;
        }
        if latex {
            return format!("\\frac{{{num_s}}}{{{}}}", den.join(join));
        }
        if den.len() == 1 {
            format!("{num_s}/{}", den[0])
        } else {
            format!("{num_s}/({})", den.join(join))
        }
    }

    /// atom^k for k ≥ 1.
    fn factor(&self, a: u32, k: i32) -> String {
        let latex = self.latex();
        let pow = |base: String| -> String {
            if k == 1 {
                base
            } else if latex {
                format!("{base}^{{{k}}}")
            } else {
                format!("{base}^{k}")
            }
        };
        match self.norm.atom(a) {
            Atom::Root(p, q) => {
                let inner = self.norm.poly(*p);
                if *q == 2 {
                    let s = if latex {
                        format!("\\sqrt{{{}}}", self.poly(inner))
                    } else {
                        format!("sqrt({})", self.poly(inner))
                    };
                    return pow(s);
                }
                let base = self.base(inner);
                if latex {
                    format!("{base}^{{\\frac{{{k}}}{{{q}}}}}")
                } else {
                    format!("{base}^({k}/{q})")
                }
            }
            _ => pow(self.atom(a)),
        }
    }

    /// A polynomial as the base of a power: bare if it is a single atom, else parenthesized.
    fn base(&self, p: &Poly) -> String {
        match p.as_atom() {
            Some(a) if !matches!(self.norm.atom(a), Atom::Sum(_) | Atom::Root(..)) => self.atom(a),
            _ => {
                if self.latex() {
                    format!("\\left({}\\right)", self.poly(p))
                } else {
                    format!("({})", self.poly(p))
                }
            }
        }
    }

    fn atom(&self, a: u32) -> String {
        let latex = self.latex();
        match self.norm.atom(a) {
            Atom::Var(v) => var_name(self.coords, *v, self.style),
            Atom::Pi => if latex { "\\pi" } else { "pi" }.into(),
            Atom::Func(f, p) => {
                let inner = self.norm.poly(*p);
                if *f == Func::Exp && inner.as_constant().is_some_and(|c| c.is_one()) {
                    return "e".into();
                }
                if latex {
                    format!("{}\\left({}\\right)", f.latex(), self.poly(inner))
                } else {
                    format!("{}({})", f.name(), self.poly(inner))
                }
            }
            Atom::Sum(p) => {
                if latex {
                    format!("\\left({}\\right)", self.poly(self.norm.poly(*p)))
                } else {
                    format!("({})", self.poly(self.norm.poly(*p)))
                }
            }
            Atom::Root(..) => self.factor(a, 1),
        }
    }
}
