//! The canonical normal form: expanded sums of monomials with exact rational coefficients.
//!
//! A normal form is a [`Poly`] Σ cₖ·mₖ: coefficients are exact rationals (big integers, so no
//! overflow), monomials are products of **atoms** raised to nonzero integer powers, sorted, with
//! like terms collected and zero terms dropped. Atoms are
//!
//! * the variables (coordinates, velocities, accelerations, t) and π;
//! * function applications f(p) whose argument p is itself a normal form;
//! * roots p^(1/q) (q ≥ 2), from `sqrt`, and non-integer rational powers;
//! * sums s that only occur in denominators: 1/(x+1) is the atom (x+1) to the power −1,
//!   with s scaled so its leading coefficient is 1. A monomial has at most one such atom,
//!   always to the power −1: every other negative power in it is multiplied into that
//!   expanded common denominator.
//!
//! Atoms and atom arguments are interned, so two normal forms are equal iff their ids are
//! equal. The rules applied on the way (each an identity of real functions on the domain where
//! the input is defined, so the normal form is *sound*: equal normal forms mean equal
//! functions):
//!
//! * products and non-negative integer powers are expanded; x·x⁻¹ = 1;
//! * all exponentials in a monomial are merged, exp(a)·exp(b) = exp(a+b); e is exp(1);
//!   exp(k·ln u + w) = uᵏ·exp(w) (k integer, |k| ≤ 4); ln(exp w) = w; a^b = exp(b·ln a) for
//!   non-constant b (and exp(w)^b = exp(w·b));
//! * (p^(1/q))^k = p^⌊k/q⌋·p^((k mod q)/q) (the root is only real for p ≥ 0), reduced by
//!   gcd(k, q);
//! * parity: f(−p) = −f(p) for sin, tan, asin, atan, sinh, tanh; f(−p) = f(p) for cos, cosh;
//!   acos(−p) = π − acos(p); σ(−p) = 1 − σ(p); softplus(−p) = softplus(p) − p, applied
//!   whenever p's leading coefficient is negative, so f(x−y) and f(y−x) meet;
//! * sin² = 1 − cos² and cosh² = 1 + sinh² (even powers of sin and cosh are rewritten);
//! * exact values at 0 (sin 0 = 0, cos 0 = 1, σ(0) = ½, ...), ln 1 = 0, exact rational roots.
//!
//! The normal form is not complete — sin(2x) is not 2 sin x cos x here — so unequal normal forms do
//! *not* prove two functions different; callers fall back to numerics. Forms that would grow
//! past [`MAX_TERMS`] terms, need powers of sums beyond [`MAX_SUM_POWER`] or nest past
//! [`MAX_NEST`] levels are refused with
//! [`Error::Symbolic`] ("not normalized"), never truncated.

use super::func::Func;
use super::graph::{FxMap, Graph, Id, Node, Rational, Var};
use crate::error::{Error, Result};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The most term pairs one product may multiply out.
pub const MAX_PAIRS: usize = 1_000_000;
/// The largest power of a sum (of two or more terms) that is expanded.
pub const MAX_SUM_POWER: i64 = 64;
/// The most terms a normal form may have.
pub const MAX_TERMS: usize = 100_000;
/// The deepest nesting of atoms (a function of a function of ...).
pub const MAX_NEST: u32 = 512;
/// The largest exponent of an atom in a monomial.
pub const MAX_EXPONENT: u32 = 1 << 20;
/// The largest integer power of a monomial.
pub const MAX_POWER: i64 = 1000;
/// The largest k for which exp(k ln u) is rewritten as uᵏ (larger powers would bloat the
/// normal form with expanded binomials).
pub const MAX_LOG_POWER: i64 = 4;
/// The largest size (bits) of a coefficient's numerator or denominator.
pub const MAX_BITS: u64 = 1 << 14;

/// An interned atom.
pub type AtomId = u32;

/// An interned normal form; equal ids ⇔ equal normal forms (within one [`Normalizer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolyId(pub(crate) u32);

/// A product of atoms to nonzero integer powers, sorted by atom.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Mono(pub Vec<(AtomId, i32)>);

/// A sum of monomials with nonzero rational coefficients, sorted by monomial.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Poly(pub Vec<(Mono, Rational)>);

/// The building blocks of monomials.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Atom {
    /// A variable.
    Var(Var),
    /// π.
    Pi,
    /// f(p) (never `sqrt`, which is a [`Atom::Root`]).
    Func(Func, PolyId),
    /// p^(1/q), q ≥ 2.
    Root(PolyId, u32),
    /// An unexpanded sum (leading coefficient 1), used for denominators.
    Sum(PolyId),
}

fn too_big(reason: impl Into<String>) -> Error {
    Error::Symbolic {
        operation: "normalize".into(),
        reason: reason.into(),
    }
}

fn q_int(n: i64) -> Rational {
    Rational::from_integer(BigInt::from(n))
}

fn check_bits(r: &Rational) -> Result<()> {
    if r.numer().bits() > MAX_BITS || r.denom().bits() > MAX_BITS {
        return Err(too_big("a coefficient exceeds the size limit"));
    }
    Ok(())
}

impl Poly {
    /// The zero polynomial.
    pub fn zero() -> Self {
        Poly(Vec::new())
    }

    /// A constant.
    pub fn constant(r: Rational) -> Self {
        if r.is_zero() {
            Poly::zero()
        } else {
            Poly(vec![(Mono::default(), r)])
        }
    }

    /// Whether this is 0.
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// The value, if this is a constant.
    pub fn as_constant(&self) -> Option<Rational> {
        match self.0.as_slice() {
            [] => Some(Rational::zero()),
            [(m, c)] if m.0.is_empty() => Some(c.clone()),
            _ => None,
        }
    }

    /// The leading (last) coefficient; zero for the zero polynomial.
    pub fn leading(&self) -> Rational {
        self.0.last().map_or(Rational::zero(), |(_, c)| c.clone())
    }

    fn from_map(map: BTreeMap<Mono, Rational>) -> Self {
        Poly(map.into_iter().filter(|(_, c)| !c.is_zero()).collect())
    }

    fn scale(&self, r: &Rational) -> Self {
        if r.is_zero() {
            return Poly::zero();
        }
        Poly(self.0.iter().map(|(m, c)| (m.clone(), c * r)).collect())
    }

    fn neg(&self) -> Self {
        Poly(self.0.iter().map(|(m, c)| (m.clone(), -c)).collect())
    }

    /// The single atom with power 1 and coefficient 1 this polynomial is, if any.
    pub fn as_atom(&self) -> Option<AtomId> {
        match self.0.as_slice() {
            [(m, c)] if c.is_one() && m.0.len() == 1 && m.0[0].1 == 1 => Some(m.0[0].0),
            _ => None,
        }
    }
}

fn add_into(acc: &mut BTreeMap<Mono, Rational>, p: &Poly, sign: &Rational) {
    for (m, c) in &p.0 {
        let v = c * sign;
        match acc.get_mut(m) {
            Some(x) => *x += v,
            None => {
                acc.insert(m.clone(), v);
            }
        }
    }
}

/// Interns atoms and normal forms and converts expressions of a [`Graph`] to normal form.
#[derive(Debug, Default)]
pub struct Normalizer {
    atoms: Vec<Atom>,
    atom_ids: FxMap<Atom, AtomId>,
    atom_depth: Vec<u32>,
    /// Whether products involving the atom may need a rewriting rule.
    atom_fix: Vec<bool>,
    polys: Vec<Poly>,
    poly_ids: FxMap<Poly, PolyId>,
    memo: FxMap<Id, Rc<Poly>>,
}

impl Normalizer {
    /// An empty normalizer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The atom behind an id.
    pub fn atom(&self, a: AtomId) -> &Atom {
        &self.atoms[a as usize]
    }

    /// The normal form behind an id.
    pub fn poly(&self, p: PolyId) -> &Poly {
        &self.polys[p.0 as usize]
    }

    /// Intern a polynomial.
    pub fn intern(&mut self, p: Poly) -> PolyId {
        if let Some(&id) = self.poly_ids.get(&p) {
            return id;
        }
        let id = PolyId(self.polys.len() as u32);
        self.polys.push(p.clone());
        self.poly_ids.insert(p, id);
        id
    }

    fn poly_depth(&self, p: &Poly) -> u32 {
        p.0.iter()
            .flat_map(|(m, _)| m.0.iter())
            .map(|&(a, _)| self.atom_depth[a as usize])
            .max()
            .unwrap_or(0)
    }

    fn atom_id(&mut self, atom: Atom) -> Result<AtomId> {
        if let Some(&id) = self.atom_ids.get(&atom) {
            return Ok(id);
        }
        let depth = match &atom {
            Atom::Var(_) | Atom::Pi => 1,
            Atom::Func(_, p) | Atom::Root(p, _) | Atom::Sum(p) => {
                1 + self.poly_depth(&self.polys[p.0 as usize])
            }
        };
        if depth > MAX_NEST {
            return Err(too_big(format!("atoms nest deeper than {MAX_NEST} levels")));
        }
        let id = self.atoms.len() as AtomId;
        self.atoms.push(atom.clone());
        self.atom_depth.push(depth);
        self.atom_fix.push(matches!(
            atom,
            Atom::Func(Func::Exp | Func::Sin | Func::Cosh, _) | Atom::Root(..) | Atom::Sum(_)
        ));
        self.atom_ids.insert(atom, id);
        Ok(id)
    }

    fn atom_poly(&mut self, atom: Atom) -> Result<Poly> {
        let id = self.atom_id(atom)?;
        Ok(Poly(vec![(Mono(vec![(id, 1)]), Rational::one())]))
    }

    /// The monomial atom^k as a polynomial (k ≠ 0), through the monomial fix-ups.
    fn atom_pow(&mut self, atom: Atom, k: i32) -> Result<Poly> {
        let id = self.atom_id(atom)?;
        self.fix_mono(vec![(id, k)])
    }

    /// a + b.
    pub fn add(&self, a: &Poly, b: &Poly) -> Poly {
        let mut acc = BTreeMap::new();
        add_into(&mut acc, a, &Rational::one());
        add_into(&mut acc, b, &Rational::one());
        Poly::from_map(acc)
    }

    /// a · b.
    pub fn mul(&mut self, a: &Poly, b: &Poly) -> Result<Poly> {
        if a.is_zero() || b.is_zero() {
            return Ok(Poly::zero());
        }
        if a.0.len().saturating_mul(b.0.len()) > MAX_PAIRS {
            return Err(too_big(format!(
                "a product of {} by {} terms is too large",
                a.0.len(),
                b.0.len()
            )));
        }
        let mut acc: BTreeMap<Mono, Rational> = BTreeMap::new();
        for (ma, ca) in &a.0 {
            for (mb, cb) in &b.0 {
                let c = ca * cb;
                check_bits(&c)?;
                if ma.0.is_empty() || mb.0.is_empty() {
                    let m = if ma.0.is_empty() { mb } else { ma };
                    *acc.entry(m.clone()).or_insert_with(Rational::zero) += c;
                    continue;
                }
                match self.merge_plain(ma, mb) {
                    Some(m) => *acc.entry(m).or_insert_with(Rational::zero) += c,
                    None => {
                        let mut merged = ma.0.clone();
                        merged.extend_from_slice(&mb.0);
                        let p = self.fix_mono(merged)?;
                        add_into(&mut acc, &p, &c);
                    }
                }
            }
            if acc.len() > MAX_TERMS {
                return Err(too_big(format!("a product would exceed {MAX_TERMS} terms")));
            }
        }
        Ok(Poly::from_map(acc))
    }

    /// The product of two sorted monomials by a merge, when none of the rewriting rules of
    /// [`Normalizer::fix_mono`] can apply (no exp, sin, cosh, root or sum atoms, exponents in
    /// range); `None` sends the product through `fix_mono`.
    fn merge_plain(&self, a: &Mono, b: &Mono) -> Option<Mono> {
        let (a, b) = (&a.0, &b.0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let take = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    i += 1;
                    j += 1;
                    let k = x.1.checked_add(y.1)?;
                    if k == 0 {
                        continue;
                    }
                    (x.0, k)
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    i += 1;
                    *x
                }
                (Some(x), None) => {
                    i += 1;
                    *x
                }
                (_, Some(y)) => {
                    j += 1;
                    *y
                }
                (None, None) => break,
            };
            if self.atom_fix[take.0 as usize] || take.1.unsigned_abs() > MAX_EXPONENT {
                return None;
            }
            out.push(take);
        }
        Some(Mono(out))
    }

    /// Canonicalize a product of atom powers (see the module docs), returning a polynomial.
    fn fix_mono(&mut self, mut factors: Vec<(AtomId, i32)>) -> Result<Poly> {
        factors.sort_unstable_by_key(|&(a, _)| a);
        let mut merged: Vec<(AtomId, i32)> = Vec::with_capacity(factors.len());
        for (a, k) in factors {
            match merged.last_mut() {
                Some((b, j)) if *b == a => {
                    *j = j
                        .checked_add(k)
                        .ok_or_else(|| too_big("an exponent overflows"))?;
                }
                _ => merged.push((a, k)),
            }
        }
        merged.retain(|&(_, k)| k != 0);
        if merged.iter().any(|&(_, k)| k.unsigned_abs() > MAX_EXPONENT) {
            return Err(too_big(format!("an exponent exceeds {MAX_EXPONENT}")));
        }
        // A monomial with a sum in its denominator gets one common denominator: every
        // negative power (other than exponentials) is multiplied into one expanded sum, so
        // 1/((x+1)(x+2)), 1/(x+1)/(x+2) and 1/(x²+3x+2) all meet.
        let negs: Vec<(AtomId, i32)> = merged
            .iter()
            .copied()
            .filter(|&(a, k)| k < 0 && !matches!(self.atoms[a as usize], Atom::Func(Func::Exp, _)))
            .collect();
        let has_sum = negs
            .iter()
            .any(|&(a, _)| matches!(self.atoms[a as usize], Atom::Sum(_)));
        if has_sum && !(negs.len() == 1 && negs[0].1 == -1) {
            let mut den = Poly::constant(Rational::one());
            for &(a, k) in &negs {
                let base = match self.atoms[a as usize] {
                    Atom::Sum(p) => self.poly(p).clone(),
                    _ => Poly(vec![(Mono(vec![(a, 1)]), Rational::one())]),
                };
                let f = self.pow_int(&base, i64::from(-k))?;
                den = self.mul(&den, &f)?;
            }
            let inv = self.inverse(&den)?;
            let rest: Vec<(AtomId, i32)> =
                merged.into_iter().filter(|f| !negs.contains(f)).collect();
            let rest = if rest.is_empty() {
                Poly::constant(Rational::one())
            } else {
                self.fix_mono(rest)?
            };
            return self.mul(&rest, &inv);
        }
        // Which factors need rewriting?
        let mut keep = Vec::with_capacity(merged.len());
        let mut exps: Vec<(PolyId, i32)> = Vec::new();
        let mut extra: Vec<Poly> = Vec::new();
        for &(a, k) in &merged {
            match self.atoms[a as usize].clone() {
                Atom::Func(Func::Exp, p) => exps.push((p, k)),
                // sin² = 1 − cos², cosh² = 1 + sinh²: powers |k| ≥ 2 of sin and cosh are
                // rewritten, so the Pythagorean identities normalize.
                Atom::Func(f @ (Func::Sin | Func::Cosh), p) if k.abs() >= 2 => {
                    if k % 2 != 0 {
                        keep.push((a, k.signum()));
                    }
                    let arg = self.poly(p).clone();
                    let other = if f == Func::Sin {
                        Func::Cos
                    } else {
                        Func::Sinh
                    };
                    let o = self.apply(other, &arg)?;
                    let o2 = self.mul(&o, &o)?;
                    let sign = if f == Func::Sin {
                        -Rational::one()
                    } else {
                        Rational::one()
                    };
                    let base = self.add(&Poly::constant(Rational::one()), &o2.scale(&sign));
                    // k / 2 truncates toward zero: sin⁻³ = sin⁻¹ (1 − cos²)⁻¹.
                    extra.push(self.pow_int(&base, i64::from(k / 2))?);
                }
                Atom::Sum(p) if k > 0 => {
                    let s = self.poly(p).clone();
                    extra.push(self.pow_int(&s, i64::from(k))?);
                }
                Atom::Root(p, q) => {
                    let qi = q as i32;
                    let (whole, rest) = (k / qi, k % qi);
                    if whole == 0 && rest.gcd(&qi) == 1 {
                        keep.push((a, k));
                        continue;
                    }
                    let base = self.poly(p).clone();
                    if whole != 0 {
                        extra.push(self.pow_int(&base, i64::from(whole))?);
                    }
                    if rest != 0 {
                        let g = rest.gcd(&qi);
                        let r = self.atom_id(Atom::Root(p, (qi / g) as u32))?;
                        keep.push((r, rest / g));
                    }
                }
                _ => keep.push((a, k)),
            }
        }
        if exps.len() == 1 && exps[0].1 == 1 {
            let e = self.atom_id(Atom::Func(Func::Exp, exps[0].0))?;
            keep.push((e, 1));
            exps.clear();
        }
        if !exps.is_empty() {
            let mut arg = Poly::zero();
            for (p, k) in exps {
                let s = self.poly(p).scale(&q_int(i64::from(k)));
                arg = self.add(&arg, &s);
            }
            extra.push(self.exp(&arg)?);
        }
        keep.sort_unstable_by_key(|&(a, _)| a);
        let mut out = Poly(vec![(Mono(keep), Rational::one())]);
        for e in extra {
            out = self.mul(&out, &e)?;
        }
        Ok(out)
    }

    /// 1/p, or an error for p = 0.
    pub fn inverse(&mut self, p: &Poly) -> Result<Poly> {
        match p.0.as_slice() {
            [] => Err(too_big("division by zero")),
            [(m, c)] => {
                let f: Vec<(AtomId, i32)> = m.0.iter().map(|&(a, k)| (a, -k)).collect();
                let inv = c.recip();
                if f.is_empty() {
                    return Ok(Poly::constant(inv));
                }
                Ok(self.fix_mono(f)?.scale(&inv))
            }
            _ => {
                let lead = p.leading();
                let unit = p.scale(&lead.recip());
                let id = self.intern(unit);
                Ok(self.atom_pow(Atom::Sum(id), -1)?.scale(&lead.recip()))
            }
        }
    }

    /// p^k for an integer k.
    pub fn pow_int(&mut self, p: &Poly, k: i64) -> Result<Poly> {
        if k == 0 {
            return Ok(Poly::constant(Rational::one()));
        }
        if k.unsigned_abs() > MAX_POWER.unsigned_abs() {
            return Err(too_big(format!(
                "power {k} exceeds the expansion limit {MAX_POWER}"
            )));
        }
        if p.is_zero() {
            return if k > 0 {
                Ok(Poly::zero())
            } else {
                Err(too_big("division by zero"))
            };
        }
        if k < 0 {
            let inv = self.inverse(p)?;
            return self.pow_int(&inv, -k);
        }
        if let [(m, c)] = p.0.as_slice() {
            let kk = k as i32;
            let coeff = num_traits::pow(c.clone(), k as usize);
            check_bits(&coeff)?;
            if m.0.is_empty() {
                return Ok(Poly::constant(coeff));
            }
            let mut f = Vec::with_capacity(m.0.len());
            for &(a, e) in &m.0 {
                f.push((
                    a,
                    e.checked_mul(kk)
                        .ok_or_else(|| too_big("an exponent overflows"))?,
                ));
            }
            return Ok(self.fix_mono(f)?.scale(&coeff));
        }
        if k > MAX_SUM_POWER {
            return Err(too_big(format!(
                "power {k} of a sum of {} terms exceeds the expansion limit {MAX_SUM_POWER}",
                p.0.len()
            )));
        }
        let mut result = Poly::constant(Rational::one());
        let mut base = p.clone();
        let mut e = k;
        while e > 0 {
            if e & 1 == 1 {
                result = self.mul(&result, &base)?;
            }
            e >>= 1;
            if e > 0 {
                base = self.mul(&base, &base)?;
            }
        }
        Ok(result)
    }

    /// exp(p), pulling out integer multiples of logarithms: exp(k ln u + w) = uᵏ exp(w).
    fn exp(&mut self, p: &Poly) -> Result<Poly> {
        let mut rest = Vec::new();
        let mut factors = Vec::new();
        for (m, c) in &p.0 {
            if let ([(a, 1)], true) = (m.0.as_slice(), c.is_integer())
                && let Atom::Func(Func::Ln, u) = self.atoms[*a as usize]
                && let Some(k) = c.to_integer().to_i64()
                && k.unsigned_abs() <= MAX_LOG_POWER.unsigned_abs()
            {
                factors.push((u, k));
                continue;
            }
            rest.push((m.clone(), c.clone()));
        }
        let rest = Poly(rest);
        let mut out = if rest.is_zero() {
            Poly::constant(Rational::one())
        } else {
            let id = self.intern(rest);
            self.atom_poly(Atom::Func(Func::Exp, id))?
        };
        for (u, k) in factors {
            let base = self.poly(u).clone();
            let f = self.pow_int(&base, k)?;
            out = self.mul(&out, &f)?;
        }
        Ok(out)
    }

    /// p^(a/b) for a reduced fraction with b ≥ 2.
    fn root(&mut self, p: &Poly, a: i64, b: u32) -> Result<Poly> {
        if let Some(c) = p.as_constant() {
            if c.is_zero() {
                return if a > 0 {
                    Ok(Poly::zero())
                } else {
                    Err(too_big("division by zero"))
                };
            }
            if c.is_positive() {
                let (n, d) = (c.numer(), c.denom());
                let (rn, rd) = (n.nth_root(b), d.nth_root(b));
                if num_traits::pow(rn.clone(), b as usize) == *n
                    && num_traits::pow(rd.clone(), b as usize) == *d
                {
                    return self.pow_int(&Poly::constant(Rational::new(rn, rd)), a);
                }
            }
        }
        let id = self.intern(p.clone());
        let k = i32::try_from(a).map_err(|_| too_big("an exponent overflows"))?;
        self.atom_pow(Atom::Root(id, b), k)
    }

    /// f(p), with the parity rules and exact special values.
    pub fn apply(&mut self, f: Func, p: &Poly) -> Result<Poly> {
        let one = Poly::constant(Rational::one());
        if p.is_zero() {
            let v = match f {
                Func::Sin | Func::Tan | Func::Asin | Func::Atan | Func::Sinh | Func::Tanh => {
                    Some(Rational::zero())
                }
                Func::Cos | Func::Cosh | Func::Exp => Some(Rational::one()),
                Func::Sigma => Some(Rational::new(1.into(), 2.into())),
                Func::Sqrt => Some(Rational::zero()),
                Func::Acos | Func::Ln | Func::Softplus => None,
            };
            if let Some(v) = v {
                return Ok(Poly::constant(v));
            }
            if f == Func::Acos {
                let pi = self.atom_poly(Atom::Pi)?;
                return Ok(pi.scale(&Rational::new(1.into(), 2.into())));
            }
        }
        let negative = p.leading().is_negative();
        match f {
            Func::Exp => return self.exp(p),
            Func::Sqrt => return self.root(p, 1, 2),
            Func::Ln => {
                if p.as_constant().is_some_and(|c| c.is_one()) {
                    return Ok(Poly::zero());
                }
                if let Some(a) = p.as_atom()
                    && let Atom::Func(Func::Exp, w) = self.atoms[a as usize]
                {
                    return Ok(self.poly(w).clone());
                }
            }
            Func::Sin | Func::Tan | Func::Asin | Func::Atan | Func::Sinh | Func::Tanh
                if negative =>
            {
                return Ok(self.apply(f, &p.neg())?.neg());
            }
            Func::Cos | Func::Cosh if negative => return self.apply(f, &p.neg()),
            Func::Acos if negative => {
                let pi = self.atom_poly(Atom::Pi)?;
                let a = self.apply(f, &p.neg())?;
                return Ok(self.add(&pi, &a.neg()));
            }
            Func::Sigma if negative => {
                let s = self.apply(f, &p.neg())?;
                return Ok(self.add(&one, &s.neg()));
            }
            Func::Softplus if negative => {
                let s = self.apply(f, &p.neg())?;
                return Ok(self.add(&s, p));
            }
            _ => {}
        }
        let id = self.intern(p.clone());
        self.atom_poly(Atom::Func(f, id))
    }

    /// base^exponent for normal forms.
    fn power(&mut self, base: &Poly, exponent: &Poly) -> Result<Poly> {
        if let Some(r) = exponent.as_constant() {
            if r.is_integer() {
                let k = r
                    .to_integer()
                    .to_i64()
                    .ok_or_else(|| too_big("an exponent overflows"))?;
                return self.pow_int(base, k);
            }
            let b = r
                .denom()
                .to_i32()
                .and_then(|b| u32::try_from(b).ok())
                .filter(|&b| b >= 2)
                .ok_or_else(|| too_big("a root index overflows"))?;
            let a = r
                .numer()
                .to_i64()
                .ok_or_else(|| too_big("an exponent overflows"))?;
            return self.root(base, a, b);
        }
        // a^b = exp(b ln a); exp(w)^b = exp(w b).
        let log = match base.as_atom() {
            Some(a) if matches!(self.atoms[a as usize], Atom::Func(Func::Exp, _)) => {
                let Atom::Func(_, w) = self.atoms[a as usize] else {
                    unreachable!("matched above")
                };
                self.poly(w).clone()
            }
            _ => self.apply(Func::Ln, base)?,
        };
        let arg = self.mul(exponent, &log)?;
        self.exp(&arg)
    }

    /// The normal form of expression `root` of `g`.
    ///
    /// ```
    /// use ska_verify::expr::Engine;
    /// let mut en = Engine::new(&["z"]).unwrap();
    /// // The SKA residual is exactly zero in normal form.
    /// let l = en.parse("-z*sigma(z)*(1-sigma(z))*z'").unwrap();
    /// let r = en.el(l).unwrap();
    /// assert!(en.is_zero(r[0]).unwrap());
    /// // Products are expanded and like terms collected with exact coefficients.
    /// let e = en.parse("(z + 1/2)^2 - z^2").unwrap();
    /// assert_eq!(en.normal_text(e).unwrap(), "z + 1/4");
    /// ```
    pub fn normalize(&mut self, g: &Graph, root: Id) -> Result<PolyId> {
        let p = self.normalize_rc(g, root)?;
        Ok(self.intern((*p).clone()))
    }

    fn normalize_rc(&mut self, g: &Graph, root: Id) -> Result<Rc<Poly>> {
        if let Some(p) = self.memo.get(&root) {
            return Ok(p.clone());
        }
        let order = g.reachable(&[root]);
        // Sums nested only in sums are flattened into their outermost sum, so a long chain
        // a + b + c + ... costs O(n), not O(n²).
        let mut uses: FxMap<Id, (u32, bool)> = FxMap::default();
        for &id in &order {
            let is_sum = matches!(g.node(id), Node::Add(..) | Node::Neg(_));
            for c in g.node(id).children() {
                let e = uses.entry(c).or_insert((0, true));
                e.0 += 1;
                e.1 &= is_sum;
            }
        }
        let inline = |memo: &FxMap<Id, Rc<Poly>>, id: Id| {
            id != root
                && matches!(g.node(id), Node::Add(..) | Node::Neg(_))
                && !memo.contains_key(&id)
                && uses
                    .get(&id)
                    .is_some_and(|&(n, only_sums)| n == 1 && only_sums)
        };
        for &id in &order {
            if self.memo.contains_key(&id) || inline(&self.memo, id) {
                continue;
            }
            let get = |memo: &FxMap<Id, Rc<Poly>>, c: &Id| memo[c].clone();
            let p = match g.node(id) {
                Node::Num(r) => Poly::constant(r.clone()),
                Node::Pi => self.atom_poly(Atom::Pi)?,
                Node::Var(v) => self.atom_poly(Atom::Var(*v))?,
                Node::Add(..) | Node::Neg(_) => {
                    let mut acc = BTreeMap::new();
                    let mut stack = vec![(id, true)];
                    while let Some((n, positive)) = stack.pop() {
                        if n != id && !inline(&self.memo, n) {
                            let sign = if positive {
                                Rational::one()
                            } else {
                                -Rational::one()
                            };
                            add_into(&mut acc, &self.memo[&n], &sign);
                            continue;
                        }
                        match g.node(n) {
                            Node::Add(a, b) => {
                                stack.push((*b, positive));
                                stack.push((*a, positive));
                            }
                            Node::Neg(a) => stack.push((*a, !positive)),
                            _ => unreachable!("only sums are inlined"),
                        }
                    }
                    if acc.len() > MAX_TERMS {
                        return Err(too_big(format!("a sum exceeds {MAX_TERMS} terms")));
                    }
                    Poly::from_map(acc)
                }
                Node::Mul(a, b) => {
                    let (pa, pb) = (get(&self.memo, a), get(&self.memo, b));
                    self.mul(&pa, &pb)?
                }
                Node::Pow(a, b) => {
                    let (pa, pb) = (get(&self.memo, a), get(&self.memo, b));
                    self.power(&pa, &pb)?
                }
                Node::Func(f, a) => {
                    let pa = get(&self.memo, a);
                    self.apply(*f, &pa)?
                }
            };
            self.memo.insert(id, Rc::new(p));
        }
        Ok(self.memo[&root].clone())
    }

    /// Rebuild a normal form as an expression of `g` (for evaluation and printing).
    pub fn to_graph(&self, g: &mut Graph, p: PolyId) -> Id {
        let poly = self.poly(p).clone();
        self.poly_to_graph(g, &poly)
    }

    fn poly_to_graph(&self, g: &mut Graph, p: &Poly) -> Id {
        let mut acc = g.int(0);
        for (m, c) in &p.0 {
            let mut term = g.num(c.clone());
            for &(a, k) in &m.0 {
                let base = self.atom_to_graph(g, a);
                let f = g.powi(base, i64::from(k));
                term = g.mul(term, f);
            }
            acc = g.add(acc, term);
        }
        acc
    }

    fn atom_to_graph(&self, g: &mut Graph, a: AtomId) -> Id {
        match self.atom(a).clone() {
            Atom::Var(v) => g.var(v),
            Atom::Pi => g.pi(),
            Atom::Func(f, p) => {
                let x = self.poly_to_graph(g, &self.poly(p).clone());
                g.func(f, x)
            }
            Atom::Root(p, q) => {
                let x = self.poly_to_graph(g, &self.poly(p).clone());
                if q == 2 {
                    g.func(Func::Sqrt, x)
                } else {
                    let e = g.ratio(1, i64::from(q));
                    g.pow(x, e)
                }
            }
            Atom::Sum(p) => self.poly_to_graph(g, &self.poly(p).clone()),
        }
    }

    /// L = Σᵢ aᵢ q̇ᵢ + b with aᵢ, b free of velocities: `Some((a, b))`, else `None`.
    pub fn split_velocity_linear(
        &mut self,
        p: PolyId,
        dof: usize,
    ) -> Option<(Vec<PolyId>, PolyId)> {
        let poly = self.poly(p).clone();
        let mut a: Vec<BTreeMap<Mono, Rational>> = vec![BTreeMap::new(); dof];
        let mut b = BTreeMap::new();
        for (m, c) in &poly.0 {
            let mut vel = None;
            let mut rest = Vec::new();
            for &(atom, k) in &m.0 {
                match self.atoms[atom as usize] {
                    Atom::Var(Var::Vel(i)) => {
                        if k != 1 || vel.is_some() {
                            return None;
                        }
                        vel = Some(i as usize);
                    }
                    Atom::Var(Var::Acc(_)) => return None,
                    _ => {
                        if self.mentions_velocity(atom) {
                            return None;
                        }
                        rest.push((atom, k));
                    }
                }
            }
            let target = match vel {
                Some(i) if i < dof => &mut a[i],
                Some(_) => return None,
                None => &mut b,
            };
            target.insert(Mono(rest), c.clone());
        }
        let a = a
            .into_iter()
            .map(|m| self.intern(Poly::from_map(m)))
            .collect();
        let b = self.intern(Poly::from_map(b));
        Some((a, b))
    }

    fn mentions_velocity(&self, atom: AtomId) -> bool {
        let mut stack = vec![atom];
        while let Some(a) = stack.pop() {
            match self.atoms[a as usize] {
                Atom::Var(Var::Vel(_) | Var::Acc(_)) => return true,
                Atom::Var(_) | Atom::Pi => {}
                Atom::Func(_, p) | Atom::Root(p, _) | Atom::Sum(p) => {
                    stack.extend(
                        self.poly(p)
                            .0
                            .iter()
                            .flat_map(|(m, _)| m.0.iter().map(|x| x.0)),
                    );
                }
            }
        }
        false
    }
}
