//! [`Engine`]: one session of the expression language — coordinates, definitions, the DAG and
//! the normalizer — behind a small API that the CLI and the proof checker share.

use super::calculus;
use super::diff;
use super::func::Func;
use super::graph::{Graph, Id, Var};
use super::lagrangian::{ExprLagrangian, ExprTrajectory};
use super::normal::{Normalizer, PolyId};
use super::parser::{self, Definitions, Mode, RESERVED};
use super::print::{self, NormalPrinter, Style};
use crate::error::{Error, Result};
use crate::mechanics::MAX_DOF;

/// A session: declared coordinates, named definitions, expressions and their normal forms.
///
/// ```
/// use ska_verify::expr::Engine;
/// let mut en = Engine::new(&["x"]).unwrap();
/// let l = en.parse("x'^2/2 - x^2/2").unwrap();
/// let el = en.el(l).unwrap();
/// assert_eq!(en.normal_text(el[0]).unwrap(), "x'' + x");
/// let h = en.energy(l);
/// assert_eq!(en.normal_text(h).unwrap(), "x'^2/2 + x^2/2");
/// ```
#[derive(Debug)]
pub struct Engine {
    graph: Graph,
    coords: Vec<String>,
    defs: Definitions,
    norm: Normalizer,
}

fn valid_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

impl Engine {
    /// A session with the given coordinate names (identifiers, distinct, not `t`, `pi`, `e`
    /// or a function name; at most [`MAX_DOF`]).
    pub fn new<S: AsRef<str>>(coords: &[S]) -> Result<Self> {
        let coords: Vec<String> = coords
            .iter()
            .map(|c| c.as_ref().trim().to_string())
            .collect();
        let invalid = |reason: String| Error::Invalid {
            what: "coordinates".into(),
            reason,
        };
        if coords.len() > MAX_DOF {
            return Err(invalid(format!(
                "at most {MAX_DOF} coordinates are supported"
            )));
        }
        for (i, c) in coords.iter().enumerate() {
            if !valid_identifier(c) {
                return Err(invalid(format!(
                    "`{c}` is not a name (letters, digits and `_`, starting with a letter)"
                )));
            }
            if RESERVED.contains(&c.as_str()) || Func::from_name(c).is_some() {
                return Err(invalid(format!("`{c}` is a built-in name; choose another")));
            }
            if coords[..i].contains(c) {
                return Err(invalid(format!("`{c}` is declared twice")));
            }
        }
        Ok(Self {
            graph: Graph::new(),
            coords,
            defs: Definitions::default(),
            norm: Normalizer::new(),
        })
    }

    /// The coordinate names.
    pub fn coords(&self) -> &[String] {
        &self.coords
    }

    /// Number of coordinates.
    pub fn dof(&self) -> usize {
        self.coords.len()
    }

    /// The expression DAG.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The expression DAG, for building expressions directly.
    pub fn graph_mut(&mut self) -> &mut Graph {
        &mut self.graph
    }

    /// The normalizer.
    pub fn normalizer(&self) -> &Normalizer {
        &self.norm
    }

    /// The variable written `name` (`x`, `x'`, `x''` or `t`), as an expression.
    pub fn var(&mut self, name: &str) -> Option<Var> {
        let name = name.trim();
        if name == "t" {
            return Some(Var::Time);
        }
        let base = name.trim_end_matches('\'');
        let primes = name.len() - base.len();
        let i = self.coords.iter().position(|c| c == base)? as u32;
        match primes {
            0 => Some(Var::Coord(i)),
            1 => Some(Var::Vel(i)),
            2 => Some(Var::Acc(i)),
            _ => None,
        }
    }

    /// The expression of a variable.
    pub fn var_expr(&mut self, v: Var) -> Id {
        self.graph.var(v)
    }

    /// Parse an expression: optional `let NAME = ...` statements (separated by `;` or new
    /// lines), then one expression. Definitions persist in the session.
    ///
    /// ```
    /// use ska_verify::expr::Engine;
    /// let mut en = Engine::new(&["z"]).unwrap();
    /// let l = en.parse("let S = sigma(z); -z*S*(1-S)*z'").unwrap();
    /// assert_eq!(en.text(l), "-z*sigma(z)*(1 - sigma(z))*z'");
    /// let err = en.parse("z*sigm(z)").unwrap_err().to_string();
    /// assert!(err.contains("did you mean `sigma`?"), "{err}");
    /// ```
    pub fn parse(&mut self, src: &str) -> Result<Id> {
        self.parse_from(src, "")
    }

    /// [`Engine::parse`], naming the input (`origin`) in error messages.
    pub fn parse_from(&mut self, src: &str, origin: &str) -> Result<Id> {
        let p = parser::parse(
            src,
            origin,
            Mode::Expression,
            &mut self.graph,
            &self.coords,
            &mut self.defs,
        )?;
        p.expr.ok_or_else(|| Error::Invalid {
            what: "expression".into(),
            reason: "empty input".into(),
        })
    }

    /// Parse a side of a (componentwise) equation: an expression, or exactly `el(L)`, which
    /// gives every Euler–Lagrange component (one per coordinate). Anything else gives one
    /// component.
    ///
    /// ```
    /// use ska_verify::expr::Engine;
    /// let mut en = Engine::new(&["x", "y"]).unwrap();
    /// en.define("L = x'^2/2 + y'^2/2 - x*y").unwrap();
    /// let r = en.parse_vector("el(L)", "").unwrap();
    /// assert_eq!(r.len(), 2);
    /// assert_eq!(en.normal_text(r[1]).unwrap(), "y'' + x");
    /// assert_eq!(en.parse_vector("energy(L)", "").unwrap().len(), 1);
    /// ```
    pub fn parse_vector(&mut self, src: &str, origin: &str) -> Result<Vec<Id>> {
        let p = parser::parse(
            src,
            origin,
            Mode::Vector,
            &mut self.graph,
            &self.coords,
            &mut self.defs,
        )?;
        match (p.vector, p.expr) {
            (Some(v), _) => Ok(v),
            (None, Some(e)) => Ok(vec![e]),
            (None, None) => Err(Error::Invalid {
                what: "expression".into(),
                reason: "empty input".into(),
            }),
        }
    }

    /// [`Engine::parse`] on bytes: non-UTF-8 input is a parse error at the first bad byte.
    pub fn parse_bytes(&mut self, bytes: &[u8]) -> Result<Id> {
        let s = parser::utf8(bytes, "")?;
        self.parse(s)
    }

    /// Add definitions: `S = sigma(z)` or `let S = sigma(z)`, several separated by `;`.
    pub fn define(&mut self, src: &str) -> Result<()> {
        self.define_from(src, "")
    }

    /// [`Engine::define`], naming the input in error messages.
    pub fn define_from(&mut self, src: &str, origin: &str) -> Result<()> {
        parser::parse(
            src,
            origin,
            Mode::Definitions,
            &mut self.graph,
            &self.coords,
            &mut self.defs,
        )?;
        Ok(())
    }

    /// The expression a definition stands for.
    pub fn definition(&self, name: &str) -> Option<Id> {
        self.defs.get(name)
    }

    /// Parse a trajectory `x = sin(t); y = t^2`: one equation per coordinate, using only `t`
    /// (and definitions that only use `t`). Returns the components in coordinate order.
    pub fn parse_trajectory(&mut self, src: &str) -> Result<Vec<Id>> {
        self.parse_trajectory_from(src, "")
    }

    /// [`Engine::parse_trajectory`], naming the input in error messages.
    pub fn parse_trajectory_from(&mut self, src: &str, origin: &str) -> Result<Vec<Id>> {
        let p = parser::parse(
            src,
            origin,
            Mode::Trajectory,
            &mut self.graph,
            &self.coords,
            &mut self.defs,
        )?;
        let comps: Vec<Id> = p.assignments.into_iter().flatten().collect();
        for &c in &comps {
            if self.graph.free_vars(c).iter().any(|v| *v != Var::Time) {
                return Err(Error::Invalid {
                    what: "trajectory".into(),
                    reason: "a trajectory may only depend on t (a definition it uses mentions \
                             a coordinate)"
                        .into(),
                });
            }
        }
        Ok(comps)
    }

    /// ∂e/∂v.
    pub fn d(&mut self, e: Id, v: Var) -> Id {
        diff::partial(&mut self.graph, e, v)
    }

    /// d/dt e along a trajectory (error if e depends on an acceleration).
    pub fn dt(&mut self, e: Id) -> Result<Id> {
        calculus::dt(&mut self.graph, e)
    }

    /// The Euler–Lagrange residual d/dt ∂L/∂q̇ᵢ − ∂L/∂qᵢ, one component per coordinate.
    pub fn el(&mut self, l: Id) -> Result<Vec<Id>> {
        calculus::euler_lagrange(&mut self.graph, l, self.coords.len())
    }

    /// pᵢ = ∂L/∂q̇ᵢ.
    pub fn momentum(&mut self, l: Id, i: usize) -> Id {
        calculus::momentum(&mut self.graph, l, i)
    }

    /// h = Σ q̇ᵢ ∂L/∂q̇ᵢ − L.
    pub fn energy(&mut self, l: Id) -> Id {
        calculus::energy(&mut self.graph, l, self.coords.len())
    }

    /// Mᵢⱼ = ∂²L/∂q̇ᵢ∂q̇ⱼ.
    pub fn mass_matrix(&mut self, l: Id) -> Vec<Vec<Id>> {
        calculus::mass_matrix(&mut self.graph, l, self.coords.len())
    }

    /// a − b.
    pub fn sub(&mut self, a: Id, b: Id) -> Id {
        self.graph.sub(a, b)
    }

    /// The normal form of `e` ([`Error::Symbolic`] if it would exceed the size limits).
    pub fn normalize(&mut self, e: Id) -> Result<PolyId> {
        self.norm.normalize(&self.graph, e)
    }

    /// Whether `e` normalizes to exactly 0 (`Ok(false)` does not prove e ≠ 0).
    pub fn is_zero(&mut self, e: Id) -> Result<bool> {
        let p = self.normalize(e)?;
        Ok(self.norm.poly(p).is_zero())
    }

    /// Whether `a` and `b` have the same normal form (then they are equal as functions).
    pub fn same(&mut self, a: Id, b: Id) -> Result<bool> {
        let d = self.graph.sub(a, b);
        self.is_zero(d)
    }

    /// The normal form of `e` rebuilt as an expression.
    pub fn normalized_expr(&mut self, e: Id) -> Result<Id> {
        let p = self.normalize(e)?;
        Ok(self.norm.to_graph(&mut self.graph, p))
    }

    /// `e` printed as written (structure kept, minimal parentheses).
    pub fn text(&self, e: Id) -> String {
        print::expr(&self.graph, &self.coords, e, Style::Text)
    }

    /// `e` as LaTeX, structure kept.
    pub fn latex(&self, e: Id) -> String {
        print::expr(&self.graph, &self.coords, e, Style::Latex)
    }

    /// The normal form of `e`, printed.
    pub fn normal_text(&mut self, e: Id) -> Result<String> {
        let p = self.normalize(e)?;
        Ok(self.print_normal(p, Style::Text))
    }

    /// The normal form of `e`, as LaTeX.
    pub fn normal_latex(&mut self, e: Id) -> Result<String> {
        let p = self.normalize(e)?;
        Ok(self.print_normal(p, Style::Latex))
    }

    /// Print an interned normal form.
    pub fn print_normal(&self, p: PolyId, style: Style) -> String {
        NormalPrinter {
            norm: &self.norm,
            coords: &self.coords,
            style,
        }
        .print(p)
    }

    /// The normal form of `e` printed if it can be normalized, else `e` as written.
    pub fn best_text(&mut self, e: Id, style: Style) -> String {
        match self.normalize(e) {
            Ok(p) => self.print_normal(p, style),
            Err(_) => print::expr(&self.graph, &self.coords, e, style),
        }
    }

    /// If L = Σᵢ aᵢ(q, t) q̇ᵢ + b(q, t) in normal form: the expressions (a, b).
    pub fn velocity_linear_parts(&mut self, l: Id) -> Result<Option<(Vec<Id>, Id)>> {
        let p = self.normalize(l)?;
        let Some((a, b)) = self.norm.split_velocity_linear(p, self.coords.len()) else {
            return Ok(None);
        };
        let a = a
            .into_iter()
            .map(|ai| self.norm.to_graph(&mut self.graph, ai))
            .collect();
        let b = self.norm.to_graph(&mut self.graph, b);
        Ok(Some((a, b)))
    }

    /// `l` as a [`Lagrangian`](crate::mechanics::Lagrangian) for the AD-based core (error if
    /// it depends on an acceleration).
    pub fn lagrangian(&self, l: Id) -> Result<ExprLagrangian> {
        ExprLagrangian::new(&self.graph, &self.coords, l, self.text(l))
    }

    /// Components (one per coordinate, depending on t only) as a
    /// [`Trajectory`](crate::mechanics::Trajectory).
    pub fn trajectory(&self, components: &[Id]) -> Result<ExprTrajectory> {
        ExprTrajectory::new(&self.graph, components)
    }
}
