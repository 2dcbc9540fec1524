//! Property tests of the expression engine:
//!
//! * symbolic derivatives agree with AD (num-dual) at random points, for every function;
//! * the normal form is sound: it evaluates to the same value as the expression;
//! * printing round-trips: parse(print(e)) has the normal form of e (text and normal form);
//! * random bytes and random token soups never panic, and errors carry a position;
//! * pathological nesting is an error or works, never a stack overflow.

use num_dual::Dual64;
use proptest::prelude::*;
use ska_verify::Error;
use ska_verify::expr::{Engine, Func, Program, Var};

#[derive(Debug, Clone)]
enum T {
    Num(i32, u8),
    Var(usize),
    Neg(Box<T>),
    Bin(char, Box<T>, Box<T>),
    Pow(Box<T>, &'static str),
    PowVar(Box<T>, Box<T>),
    Func(Func, Box<T>),
}

const VARS: [&str; 5] = ["x", "y", "x'", "y'", "t"];

fn render(t: &T) -> String {
    match t {
        T::Num(n, 0) => format!("{n}"),
        T::Num(n, d) => format!("({n}/{d})"),
        T::Var(i) => VARS[*i].to_string(),
        T::Neg(a) => format!("(-{})", render(a)),
        T::Bin(op, a, b) => format!("({} {op} {})", render(a), render(b)),
        T::Pow(a, k) => format!("({})^{k}", render(a)),
        T::PowVar(a, b) => format!("(2 + sin({}))^({})", render(a), render(b)),
        T::Func(f, a) => format!("{}({})", f.name(), render(a)),
    }
}

fn tree() -> impl Strategy<Value = T> {
    let leaf = prop_oneof![
        (-3i32..=3, 0u8..=3).prop_map(|(n, d)| T::Num(n, d)),
        (0usize..VARS.len()).prop_map(T::Var),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| T::Neg(Box::new(a))),
            (
                prop_oneof![Just('+'), Just('-'), Just('*'), Just('/')],
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| T::Bin(op, Box::new(a), Box::new(b))),
            (
                inner.clone(),
                prop_oneof![
                    Just("2"),
                    Just("3"),
                    Just("(-1)"),
                    Just("(1/2)"),
                    Just("(-3/2)")
                ]
            )
                .prop_map(|(a, k)| T::Pow(Box::new(a), k)),
            // Variable exponents are leaves: a constant subtree such as (-3)^3 as exponent would
            // make the normal form expand a 27th power, exact but ill-conditioned in floating
            // point, which is not what this property is about.
            (inner.clone(), (0usize..VARS.len()).prop_map(T::Var))
                .prop_map(|(a, b)| T::PowVar(Box::new(a), Box::new(b))),
            (proptest::sample::select(Func::ALL.to_vec()), inner)
                .prop_map(|(f, a)| T::Func(f, Box::new(a))),
        ]
    })
}

fn point() -> impl Strategy<Value = [f64; 5]> {
    proptest::array::uniform5(-1.5f64..1.5)
}

fn engine() -> Engine {
    Engine::new(&["x", "y"]).unwrap()
}

fn var_of(i: usize) -> Var {
    [
        Var::Coord(0),
        Var::Coord(1),
        Var::Vel(0),
        Var::Vel(1),
        Var::Time,
    ][i]
}

/// Evaluate `p` at the point, with the ε part seeded on variable `seed` (if any).
fn eval_dual(p: &Program, pt: &[f64; 5], seed: Option<usize>) -> Dual64 {
    let d = |i: usize| {
        let x = Dual64::from_re(pt[i]);
        if seed == Some(i) { x.derivative() } else { x }
    };
    p.eval1(d(4), &[d(0), d(1)], &[d(2), d(3)], &[])
}

fn agree(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        max_global_rejects: 1 << 20,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("proptest-regressions/expr_props.txt"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn symbolic_derivatives_agree_with_ad(t in tree(), pt in point(), v in 0usize..5) {
        let mut en = engine();
        let e = en.parse(&render(&t)).unwrap();
        let d = en.d(e, var_of(v));
        let ad = eval_dual(&Program::compile(en.graph(), &[e]), &pt, Some(v));
        let dp = Program::compile(en.graph(), &[d]);
        let sym = eval_dual(&dp, &pt, None).re;
        prop_assume!(ad.re.is_finite() && ad.eps.is_finite() && ad.eps.abs() < 1e8);
        // Skip ill-conditioned points (e.g. asin′ at the edge of its domain), where a relative
        // perturbation of 1e-13 of the point already moves the derivative beyond the tolerance.
        let nudged = pt.map(|x| x * (1.0 + 1e-13));
        prop_assume!(agree(sym, eval_dual(&dp, &nudged, None).re, 1e-10));
        prop_assert!(agree(sym, ad.eps, 1e-9), "d/d{} {}: symbolic {sym} vs AD {}", VARS[v], render(&t), ad.eps);
    }

    #[test]
    fn normal_form_is_sound(t in tree(), pt in point()) {
        let mut en = engine();
        let e = en.parse(&render(&t)).unwrap();
        let Ok(n) = en.normalized_expr(e) else { return Ok(()) };
        // Only points where the expression is defined: every intermediate value finite.
        let original = Program::compile(en.graph(), &[e]);
        let at = |i: usize| pt[i];
        let v = original.eval_finite(at(4), &[at(0), at(1)], &[at(2), at(3)], &[]);
        prop_assume!(v.as_ref().is_some_and(|v| v[0].abs() < 1e6));
        let v = v.map_or(f64::NAN, |v| v[0]);
        // ... and well-conditioned: if a relative perturbation of 1e-13 of the point moves the
        // value beyond the tolerance (sin(sinh(36)) ...), no two formulas can agree in f64.
        let nudged = pt.map(|x| x * (1.0 + 1e-13));
        let v2 = eval_dual(&original, &nudged, None).re;
        prop_assume!(agree(v, v2, 1e-10));
        let w = eval_dual(&Program::compile(en.graph(), &[n]), &pt, None).re;
        prop_assert!(agree(v, w, 1e-8), "{} = {v}, normal form {} = {w}", render(&t), en.text(n));
    }

    #[test]
    fn printing_round_trips(t in tree()) {
        let mut en = engine();
        let e = en.parse(&render(&t)).unwrap();
        let text = en.text(e);
        let back = en.parse(&text).unwrap();
        let (Ok(a), Ok(b)) = (en.normalize(e), en.normalize(back)) else { return Ok(()) };
        prop_assert_eq!(a, b, "{} printed as {}", render(&t), text);
        let nf = en.normal_text(e).unwrap();
        let again = en.parse(&nf).unwrap();
        prop_assert_eq!(en.normalize(again).ok(), Some(a), "normal form {} does not re-parse to itself", nf);
        // LaTeX printing never panics and is not empty.
        prop_assert!(!en.latex(e).is_empty() && !en.normal_latex(e).unwrap().is_empty());
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut en = engine();
        if let Err(e) = en.parse_bytes(&bytes) {
            match e {
                Error::Parse(p) => prop_assert!(p.line >= 1 && p.column >= 1),
                other => prop_assert!(false, "not a parse error: {other}"),
            }
        }
    }

    #[test]
    fn token_soup_never_panics(toks in proptest::collection::vec(proptest::sample::select(vec![
        "x", "y", "x'", "y''", "t", "pi", "e", "1", "2.5", "1e-3", "+", "-", "*", "/", "^", "(", ")",
        ",", ";", "=", "let", "S", "sin", "sigma", "softplus", "ln", "sqrt", "d", "dt", "el",
        "energy", "momentum", "'", "\n", "#", "@", "é", "1e", "..", "1.5e-9999999",
        "9223372036854775808", "(1/4294967295)", "1000",
    ]), 0..24)) {
        let mut en = engine();
        let src = toks.join(" ");
        match en.parse(&src) {
            Ok(e) => {
                let _ = en.normal_text(e);
                let _ = en.text(e);
            }
            Err(Error::Parse(p)) => {
                prop_assert!(p.line >= 1 && p.column >= 1);
                prop_assert!(p.column <= p.source_line.chars().count() + 1, "{p}");
            }
            Err(other) => prop_assert!(false, "not a parse error: {other}"),
        }
    }
}

#[test]
fn ten_thousand_parentheses_are_an_error_not_a_crash() {
    let mut en = engine();
    for src in [
        format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000)),
        format!("{}x", "-".repeat(10_000)),
        format!("x{}", "^x".repeat(10_000)),
        format!("{}x{}", "sin(".repeat(10_000), ")".repeat(10_000)),
        "(".repeat(10_000),
    ] {
        match en.parse(&src) {
            Err(Error::Parse(p)) => assert!(p.message.contains("nesting"), "{p}"),
            other => panic!("expected a nesting error, got {other:?}"),
        }
    }
    // Nesting within the limit works.
    let ok = format!("{}x{}", "(".repeat(200), ")".repeat(200));
    assert!(en.parse(&ok).is_ok());
}

#[test]
fn long_flat_inputs_work_iteratively() {
    let mut en = engine();
    let n = 100_000;
    let src = vec!["x"; n].join(" + ");
    let e = en.parse(&src).unwrap();
    assert_eq!(en.normal_text(e).unwrap(), format!("{n}*x"));
    assert_eq!(en.text(e).len(), src.len());
    let prod = vec!["x"; 2000].join("*");
    let e = en.parse(&prod).unwrap();
    assert_eq!(en.normal_text(e).unwrap(), "x^2000");
    let d = en.d(e, Var::Coord(0));
    assert_eq!(en.normal_text(d).unwrap(), "2000*x^1999");
}

#[test]
fn errors_point_at_the_problem() {
    let mut en = engine();
    let cases: [(&str, usize, &str); 9] = [
        ("x + sigm(y)", 5, "sigma"),
        ("x + z", 5, "unknown name"),
        ("2x", 2, "explicitly"),
        ("sin(x, y)", 1, "takes 1 argument"),
        ("x +", 4, "ends too early"),
        ("(x + y", 7, "`)`"),
        ("x ** 2", 3, "`^`"),
        ("x'''", 1, "primes"),
        ("x = 1", 3, "let"),
    ];
    for (src, column, needle) in cases {
        match en.parse(src) {
            Err(Error::Parse(p)) => {
                assert_eq!(p.column, column, "{src}: {p}");
                assert!(p.to_string().contains(needle), "{src}: {p}");
                let caret_line = p.to_string().lines().nth(3).unwrap().to_string();
                assert_eq!(caret_line.find('^'), Some(4 + column - 1), "{src}:\n{p}");
            }
            other => panic!("{src}: expected a parse error, got {other:?}"),
        }
    }
    assert!(matches!(en.parse(""), Err(Error::Parse(_))));
    assert!(matches!(
        en.parse("   \n  # only a comment"),
        Err(Error::Parse(_))
    ));
}
