//! Recursive-descent parser: tokens → nodes of the [`Graph`], with named definitions inlined.
//!
//! Grammar (lowest precedence first; `^` is right-associative and binds tighter than unary
//! minus, so `-x^2` is `-(x^2)` and `2^-x` is `2^(-x)`):
//!
//! ```text
//! program   := { statement (";" | newline) }
//! statement := "let" NAME "=" sum | COORD "=" sum (trajectories) | sum
//! sum       := product { ("+" | "-") product }
//! product   := unary { ("*" | "/") unary }
//! unary     := ("-" | "+") unary | power
//! power     := primary [ "^" unary ]
//! primary   := NUMBER | NAME { "'" } | NAME "(" sum { "," sum } ")" | "(" sum ")"
//! ```
//!
//! Recursion is bounded by [`MAX_DEPTH`] nesting levels (parentheses, unary signs, exponents,
//! calls); deeper input is an error, never a stack overflow. Errors carry the byte offset,
//! converted to line and column by [`super::lexer::locate`], plus a hint.

use super::calculus;
use super::diff::partial;
use super::func::Func;
use super::graph::{Graph, Id, Node, Var};
use super::lexer::{LexError, Tok, Token, lex, locate};
use super::suggest::nearest;
use crate::error::{Error, ParseError, Result};
use std::collections::HashMap;

/// The deepest nesting the parser accepts.
pub const MAX_DEPTH: usize = 256;

/// Names that cannot be coordinates or definitions.
pub const RESERVED: [&str; 9] = ["t", "pi", "e", "let", "d", "dt", "el", "energy", "momentum"];

/// The symbolic operators usable inside expressions, with their arity.
const OPERATORS: [(&str, usize); 5] = [
    ("d", 2),
    ("dt", 1),
    ("el", 2),
    ("energy", 1),
    ("momentum", 2),
];

/// What a piece of input is allowed to contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `let` statements and exactly one final expression.
    Expression,
    /// Like `Expression`, but a final `el(L)` may have one component per coordinate.
    Vector,
    /// `let` statements only; `NAME = expr` is accepted as `let NAME = expr`.
    Definitions,
    /// `let` statements and one `COORD = expr` per coordinate, using only t.
    Trajectory,
}

/// The named definitions in scope (name → node), in the order they were made.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    map: HashMap<String, Id>,
    order: Vec<String>,
}

impl Definitions {
    /// The node a name stands for.
    pub fn get(&self, name: &str) -> Option<Id> {
        self.map.get(name).copied()
    }

    /// Names in definition order.
    pub fn names(&self) -> &[String] {
        &self.order
    }

    pub(crate) fn insert(&mut self, name: String, id: Id) {
        self.order.push(name.clone());
        self.map.insert(name, id);
    }
}

/// What a program parsed to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// The final expression, if any.
    pub expr: Option<Id>,
    /// If the final expression is exactly `el(L)`: every Euler–Lagrange component.
    pub vector: Option<Vec<Id>>,
    /// Trajectory equations: coordinate index → expression.
    pub assignments: Vec<Option<Id>>,
}

struct PErr {
    pos: usize,
    message: String,
    expected: String,
    hint: Option<String>,
}

type R<T> = std::result::Result<T, PErr>;

fn perr(pos: usize, message: impl Into<String>) -> PErr {
    PErr {
        pos,
        message: message.into(),
        expected: String::new(),
        hint: None,
    }
}

impl PErr {
    fn expected(mut self, e: impl Into<String>) -> Self {
        self.expected = e.into();
        self
    }
    fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

/// Turn a byte-offset error into the crate's caret error.
pub(crate) fn parse_error(
    src: &str,
    origin: &str,
    pos: usize,
    message: String,
    expected: String,
    hint: Option<String>,
) -> Error {
    let (line, column, source_line) = locate(src, pos);
    Error::Parse(Box::new(ParseError {
        origin: origin.to_string(),
        line,
        column,
        message,
        expected,
        source_line,
        hint,
    }))
}

/// The UTF-8 text of `bytes`, or a parse error at the first invalid byte.
pub(crate) fn utf8<'a>(bytes: &'a [u8], origin: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let text = std::str::from_utf8(valid).unwrap_or("");
        parse_error(
            text,
            origin,
            text.len(),
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            String::new(),
            Some("save the input as UTF-8 text".into()),
        )
    })
}

struct Parser<'a> {
    toks: Vec<Token>,
    at: usize,
    depth: usize,
    g: &'a mut Graph,
    coords: &'a [String],
    defs: &'a mut Definitions,
    mode: Mode,
    /// `el(L)` calls with one argument: (first token, token after the call, components).
    vector_el: Vec<(usize, usize, Vec<Id>)>,
    /// Whether a final `el(L)` may have several components.
    allow_vector: bool,
}

/// Parse `src` in `mode`, adding nodes to `g` and definitions to `defs`.
pub(crate) fn parse(
    src: &str,
    origin: &str,
    mode: Mode,
    g: &mut Graph,
    coords: &[String],
    defs: &mut Definitions,
) -> Result<Parsed> {
    let toks = lex(src).map_err(|LexError { pos, message, hint }| {
        parse_error(src, origin, pos, message, String::new(), hint)
    })?;
    let mut p = Parser {
        toks,
        at: 0,
        depth: 0,
        g,
        coords,
        defs,
        mode,
        vector_el: Vec::new(),
        allow_vector: mode == Mode::Vector,
    };
    p.program()
        .map_err(|e| parse_error(src, origin, e.pos, e.message, e.expected, e.hint))
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.at].tok
    }

    fn peek2(&self) -> &Tok {
        &self.toks[(self.at + 1).min(self.toks.len() - 1)].tok
    }

    fn pos(&self) -> usize {
        self.toks[self.at].pos
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.at].clone();
        if self.at + 1 < self.toks.len() {
            self.at += 1;
        }
        t
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(perr(
                self.pos(),
                format!("nesting deeper than {MAX_DEPTH} levels"),
            )
            .hint("split the expression with `let NAME = ...` definitions"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn program(&mut self) -> R<Parsed> {
        let mut out = Parsed {
            expr: None,
            vector: None,
            assignments: vec![None; self.coords.len()],
        };
        let mut expr_pos = None;
        loop {
            while *self.peek() == Tok::Sep {
                self.bump();
            }
            if *self.peek() == Tok::Eof {
                break;
            }
            let start = self.pos();
            match (self.peek().clone(), self.peek2().clone()) {
                (Tok::Ident(k), _) if k == "let" => {
                    self.bump();
                    self.definition()?;
                }
                (Tok::Ident(name), Tok::Equals) if self.mode == Mode::Definitions => {
                    let _ = name;
                    self.definition()?;
                }
                (Tok::Ident(name), Tok::Equals) if self.mode == Mode::Trajectory => {
                    let Some(i) = self.coords.iter().position(|c| *c == name) else {
                        let mut e = perr(start, format!("`{name}` is not a coordinate"))
                            .expected("a declared coordinate");
                        if let Some(s) = nearest(&name, self.coords.iter().map(String::as_str)) {
                            e = e.hint(format!("did you mean `{s}`?"));
                        }
                        return Err(e);
                    };
                    self.bump();
                    self.bump();
                    let e = self.sum()?;
                    if out.assignments[i].is_some() {
                        return Err(perr(start, format!("`{name}` is given twice"))
                            .hint("give each coordinate exactly one equation"));
                    }
                    out.assignments[i] = Some(e);
                }
                _ => {
                    if !matches!(self.mode, Mode::Expression | Mode::Vector) {
                        let what = if self.mode == Mode::Trajectory {
                            "an equation `COORD = expression`"
                        } else {
                            "a definition `NAME = expression`"
                        };
                        return Err(perr(start, "expected a statement").expected(what));
                    }
                    if let Some(p) = expr_pos {
                        let _: usize = p;
                        return Err(perr(start, "a second expression")
                            .expected("end of input")
                            .hint("only the last statement may be an expression; name the others with `let`"));
                    }
                    let first = self.at;
                    out.expr = Some(self.sum()?);
                    expr_pos = Some(start);
                    let end = self.at;
                    if let Some(k) = self
                        .vector_el
                        .iter()
                        .position(|v| (v.0, v.1) == (first, end))
                    {
                        let comps = self.vector_el.remove(k).2;
                        if !self.allow_vector && comps.len() != 1 {
                            return Err(perr(
                                self.toks[first].pos,
                                format!("`el(L)` has {} components here", comps.len()),
                            )
                            .hint("pick a component with `el(L, x)`"));
                        }
                        out.vector = Some(comps);
                    }
                }
            }
            match self.peek() {
                Tok::Sep | Tok::Eof => {}
                _ => return Err(self.unexpected_after_expression()),
            }
        }
        if let Some((first, _, _)) = self.vector_el.first() {
            return Err(perr(
                self.toks[*first].pos,
                "`el(L)` without a coordinate has one component per coordinate",
            )
            .hint("use it alone as a whole side, or pick a component with `el(L, x)`"));
        }
        match self.mode {
            Mode::Expression | Mode::Vector if out.expr.is_none() => {
                Err(perr(self.pos(), "empty input")
                    .expected("an expression")
                    .hint("write an expression such as `x'^2/2 - x^2/2`"))
            }
            Mode::Trajectory => {
                if let Some(i) = out.assignments.iter().position(Option::is_none) {
                    let c = &self.coords[i];
                    return Err(
                        perr(self.pos(), format!("no equation for coordinate `{c}`"))
                            .expected(format!("`{c} = ...`"))
                            .hint("separate equations with `;`, e.g. `x = sin(t); y = t^2`"),
                    );
                }
                Ok(out)
            }
            _ => Ok(out),
        }
    }

    fn unexpected_after_expression(&self) -> PErr {
        let tok = self.peek();
        let e = perr(self.pos(), format!("unexpected {}", tok.describe()))
            .expected("an operator or the end of the expression");
        match tok {
            Tok::RParen => e.hint("this `)` has no matching `(`"),
            Tok::Num(_) | Tok::Ident(_) | Tok::LParen => {
                e.hint("multiplication must be written explicitly, e.g. `2*x`")
            }
            Tok::Equals => e.hint("`=` only appears in `let NAME = ...` definitions"),
            Tok::Prime => e.hint("only a coordinate name can carry primes, e.g. `x'`"),
            _ => e,
        }
    }

    fn definition(&mut self) -> R<()> {
        let pos = self.pos();
        let name = match self.bump().tok {
            Tok::Ident(n) => n,
            other => {
                return Err(perr(pos, format!("unexpected {}", other.describe()))
                    .expected("a name to define"));
            }
        };
        if RESERVED.contains(&name.as_str()) || Func::from_name(&name).is_some() {
            return Err(perr(pos, format!("`{name}` is a built-in name"))
                .hint("choose another name for the definition"));
        }
        if self.coords.contains(&name) {
            return Err(perr(pos, format!("`{name}` is a coordinate"))
                .hint("choose another name for the definition"));
        }
        if self.defs.get(&name).is_some() {
            return Err(perr(pos, format!("`{name}` is already defined"))
                .hint("definitions cannot be changed; choose another name"));
        }
        if *self.peek() != Tok::Equals {
            return Err(
                perr(self.pos(), format!("unexpected {}", self.peek().describe()))
                    .expected("`=`")
                    .hint(format!("write `let {name} = expression`")),
            );
        }
        self.bump();
        let e = self.sum()?;
        self.defs.insert(name, e);
        Ok(())
    }

    fn sum(&mut self) -> R<Id> {
        let mut a = self.product()?;
        loop {
            match self.peek() {
                Tok::Plus => {
                    self.bump();
                    let b = self.product()?;
                    a = self.g.add(a, b);
                }
                Tok::Minus => {
                    self.bump();
                    let b = self.product()?;
                    a = self.g.sub(a, b);
                }
                _ => return Ok(a),
            }
        }
    }

    fn product(&mut self) -> R<Id> {
        let mut a = self.unary()?;
        loop {
            match self.peek() {
                Tok::Star => {
                    self.bump();
                    let b = self.unary()?;
                    a = self.g.mul(a, b);
                }
                Tok::Slash => {
                    self.bump();
                    let b = self.unary()?;
                    a = self.g.div(a, b);
                }
                _ => return Ok(a),
            }
        }
    }

    fn unary(&mut self) -> R<Id> {
        match self.peek() {
            Tok::Minus | Tok::Plus => {
                let neg = *self.peek() == Tok::Minus;
                self.bump();
                self.enter()?;
                let x = self.unary();
                self.leave();
                let x = x?;
                Ok(if neg { self.g.neg(x) } else { x })
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> R<Id> {
        let base = self.primary()?;
        if *self.peek() == Tok::Caret {
            self.bump();
            self.enter()?;
            let e = self.unary();
            self.leave();
            let e = e?;
            return Ok(self.g.pow(base, e));
        }
        Ok(base)
    }

    fn primary(&mut self) -> R<Id> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Num(r) => {
                self.bump();
                Ok(self.g.num(r))
            }
            Tok::LParen => {
                self.bump();
                self.enter()?;
                let e = self.sum();
                self.leave();
                let e = e?;
                if *self.peek() != Tok::RParen {
                    let mut err =
                        perr(self.pos(), format!("unexpected {}", self.peek().describe()))
                            .expected("`)`");
                    if matches!(self.peek(), Tok::Num(_) | Tok::Ident(_) | Tok::LParen) {
                        err = err.hint("multiplication must be written explicitly, e.g. `2*x`");
                    } else {
                        err = err.hint("add the missing `)`");
                    }
                    return Err(err);
                }
                self.bump();
                Ok(e)
            }
            Tok::Ident(name) => {
                self.bump();
                if *self.peek() == Tok::LParen {
                    return self.call(&name, pos);
                }
                let mut primes = 0usize;
                while *self.peek() == Tok::Prime {
                    self.bump();
                    primes += 1;
                }
                self.name(&name, primes, pos)
            }
            Tok::Eof | Tok::Sep => {
                Err(perr(pos, "the expression ends too early").expected("a number, a name or `(`"))
            }
            other => {
                let mut e = perr(pos, format!("unexpected {}", other.describe()))
                    .expected("a number, a name or `(`");
                if other == Tok::RParen {
                    e = e.hint("empty parentheses or a missing operand");
                }
                Err(e)
            }
        }
    }

    fn known_names(&self) -> Vec<String> {
        let mut v: Vec<String> = vec!["t".into(), "pi".into(), "e".into()];
        if self.mode != Mode::Trajectory {
            v.extend(self.coords.iter().cloned());
        }
        v.extend(self.defs.names().iter().cloned());
        v
    }

    fn name(&mut self, name: &str, primes: usize, pos: usize) -> R<Id> {
        if primes > 2 {
            return Err(perr(pos, format!("`{name}` with {primes} primes"))
                .hint("only velocities `x'` and accelerations `x''` are supported"));
        }
        let no_primes = |what: &str| -> R<()> {
            if primes > 0 {
                Err(perr(
                    pos,
                    format!("`{name}'`: {what} has no time derivative here"),
                )
                .hint("only coordinates carry primes; use `dt(...)` for time derivatives"))
            } else {
                Ok(())
            }
        };
        match name {
            "t" => {
                no_primes("time")?;
                return Ok(self.g.var(Var::Time));
            }
            "pi" => {
                no_primes("a constant")?;
                return Ok(self.g.pi());
            }
            "e" => {
                no_primes("a constant")?;
                return Ok(self.g.e());
            }
            _ => {}
        }
        if let Some(i) = self.coords.iter().position(|c| c == name) {
            if self.mode == Mode::Trajectory {
                return Err(perr(pos, format!("`{name}` in a trajectory"))
                    .hint("a trajectory gives each coordinate as a function of `t` alone"));
            }
            let i = i as u32;
            let v = match primes {
                0 => Var::Coord(i),
                1 => Var::Vel(i),
                _ => Var::Acc(i),
            };
            return Ok(self.g.var(v));
        }
        if let Some(id) = self.defs.get(name) {
            no_primes("a definition")?;
            if self.mode == Mode::Trajectory && self.g.free_vars(id).iter().any(|v| *v != Var::Time)
            {
                return Err(perr(pos, format!("`{name}` depends on a coordinate"))
                    .hint("a trajectory gives each coordinate as a function of `t` alone"));
            }
            return Ok(id);
        }
        if Func::from_name(name).is_some() || OPERATORS.iter().any(|(n, _)| *n == name) {
            return Err(perr(pos, format!("`{name}` is a function"))
                .hint(format!("call it with an argument, e.g. `{name}(x)`")));
        }
        let known = self.known_names();
        let mut e = perr(pos, format!("unknown name `{name}`"));
        e = match nearest(name, known.iter().map(String::as_str)) {
            Some(s) => e.hint(format!("did you mean `{s}`?")),
            None => e.hint(
                "declare coordinates with --coords (or `coords` in a proof file), \
                 or define the name with `let NAME = ...`",
            ),
        };
        Err(e)
    }

    fn call(&mut self, name: &str, pos: usize) -> R<Id> {
        let func = Func::from_name(name);
        let op = OPERATORS.iter().find(|(n, _)| *n == name).map(|&(_, a)| a);
        if func.is_none() && op.is_none() {
            if self.coords.iter().any(|c| c == name) || self.defs.get(name).is_some() {
                return Err(perr(pos, format!("`{name}` is not a function"))
                    .hint(format!("write `{name}*(...)` to multiply")));
            }
            let names = Func::ALL
                .iter()
                .map(|f| f.name())
                .chain(OPERATORS.iter().map(|(n, _)| *n));
            let mut e = perr(pos, format!("unknown function `{name}`")).expected("a function name");
            if let Some(s) = nearest(name, names) {
                e = e.hint(format!("did you mean `{s}`?"));
            } else {
                e = e.hint(format!(
                    "the functions are {}",
                    Func::ALL.map(|f| f.name()).join(", ")
                ));
            }
            return Err(e);
        }
        let first = self.at - 1;
        self.bump(); // (
        self.enter()?;
        let args = self.arguments();
        self.leave();
        let args = args?;
        if name == "el" && args.len() == 1 {
            let comps = calculus::euler_lagrange(self.g, args[0], self.coords.len())
                .map_err(|e| perr(pos, e.to_string()))?;
            let first_component = comps.first().copied().unwrap_or(Graph::ZERO);
            self.vector_el.push((first, self.at, comps));
            return Ok(first_component);
        }
        let arity = if func.is_some() { 1 } else { op.unwrap_or(1) };
        if args.len() != arity {
            let s = if arity == 1 { "" } else { "s" };
            return Err(perr(
                pos,
                format!("`{name}` takes {arity} argument{s}, found {}", args.len()),
            ));
        }
        if let Some(f) = func {
            return Ok(self.g.func(f, args[0]));
        }
        self.operator(name, &args, pos)
    }

    fn arguments(&mut self) -> R<Vec<Id>> {
        let mut args = Vec::new();
        if *self.peek() == Tok::RParen {
            self.bump();
            return Ok(args);
        }
        loop {
            args.push(self.sum()?);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    self.bump();
                    return Ok(args);
                }
                other => {
                    let mut e = perr(self.pos(), format!("unexpected {}", other.describe()))
                        .expected("`,` or `)`");
                    if matches!(other, Tok::Num(_) | Tok::Ident(_) | Tok::LParen) {
                        e = e.hint("multiplication must be written explicitly, e.g. `2*x`");
                    }
                    return Err(e);
                }
            }
        }
    }

    fn coordinate_arg(&self, id: Id, pos: usize, op: &str) -> R<usize> {
        match self.g.node(id) {
            Node::Var(Var::Coord(i)) => Ok(*i as usize),
            _ => Err(perr(
                pos,
                format!("the second argument of `{op}` must be a coordinate"),
            )
            .hint(format!("e.g. `{op}(L, x)`"))),
        }
    }

    fn operator(&mut self, name: &str, args: &[Id], pos: usize) -> R<Id> {
        let n = self.coords.len();
        let sym = |e: Error| perr(pos, e.to_string());
        match name {
            "d" => match self.g.node(args[1]) {
                Node::Var(v) => {
                    let v = *v;
                    Ok(partial(self.g, args[0], v))
                }
                _ => Err(
                    perr(pos, "the second argument of `d` must be a variable")
                        .hint("differentiate by a coordinate, a velocity `x'`, an acceleration `x''` or `t`"),
                ),
            },
            "dt" => calculus::dt(self.g, args[0]).map_err(sym),
            "el" => {
                let i = self.coordinate_arg(args[1], pos, "el")?;
                calculus::euler_lagrange_component(self.g, args[0], i).map_err(sym)
            }
            "energy" => Ok(calculus::energy(self.g, args[0], n)),
            _ => {
                let i = self.coordinate_arg(args[1], pos, "momentum")?;
                Ok(calculus::momentum(self.g, args[0], i))
            }
        }
    }
}
