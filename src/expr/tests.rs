//! Unit tests of the engine as a whole: parse → derive → normalize → print.

use super::*;

fn engine(coords: &[&str]) -> Engine {
    Engine::new(coords).unwrap()
}

fn nf(en: &mut Engine, src: &str) -> String {
    let e = en.parse(src).unwrap();
    en.normal_text(e).unwrap()
}

#[test]
fn ska_residual_is_exactly_zero() {
    let mut en = engine(&["z"]);
    let l = en.parse("-z*sigma(z)*(1-sigma(z))*z'").unwrap();
    let r = en.el(l).unwrap();
    assert_eq!(en.normal_text(r[0]).unwrap(), "0");
    let h = en.energy(l);
    assert_eq!(en.normal_text(h).unwrap(), "0");
}

#[test]
fn oscillator() {
    let mut en = engine(&["x"]);
    let l = en.parse("x'^2/2 - x^2/2").unwrap();
    let r = en.el(l).unwrap();
    assert_eq!(en.normal_text(r[0]).unwrap(), "x'' + x");
    let h = en.energy(l);
    assert_eq!(en.normal_text(h).unwrap(), "x'^2/2 + x^2/2");
}

#[test]
fn null_and_trap() {
    let mut en = engine(&["x"]);
    let l = en.parse("x*x'").unwrap();
    let r = en.el(l).unwrap();
    assert!(en.is_zero(r[0]).unwrap());
    let l = en.parse("exp(x)*x' + t*x'").unwrap();
    let r = en.el(l).unwrap();
    assert_eq!(en.normal_text(r[0]).unwrap(), "1");
}

#[test]
fn normal_form_rules() {
    let mut en = engine(&["x", "y"]);
    assert_eq!(nf(&mut en, "(x+1)^2 - x^2 - 2*x"), "1");
    assert_eq!(nf(&mut en, "exp(x)*exp(-x)"), "1");
    assert_eq!(nf(&mut en, "e^x - exp(x)"), "0");
    assert_eq!(nf(&mut en, "ln(exp(x+y)) - x"), "y");
    assert_eq!(nf(&mut en, "sigma(-x) + sigma(x)"), "1");
    assert_eq!(nf(&mut en, "sin(y-x) + sin(x-y)"), "0");
    assert_eq!(nf(&mut en, "cos(y-x) - cos(x-y)"), "0");
    assert_eq!(nf(&mut en, "softplus(-x) - softplus(x) + x"), "0");
    assert_eq!(nf(&mut en, "sqrt(x)^2"), "x");
    assert_eq!(nf(&mut en, "sqrt(x)*sqrt(x)*sqrt(x) - x*sqrt(x)"), "0");
    assert_eq!(nf(&mut en, "x/x"), "1");
    assert_eq!(nf(&mut en, "1/(x+1) - 2/(2*x+2)"), "0");
    assert_eq!(nf(&mut en, "x^(1/2) - sqrt(x)"), "0");
    assert_eq!(nf(&mut en, "2.5 - 5/2 + 1e-3 - 1/1000"), "0");
    assert_eq!(nf(&mut en, "sqrt(4) + sin(0) + cos(0)"), "3");
    assert_eq!(nf(&mut en, "exp(2*ln(x))"), "x^2");
}

#[test]
fn printing_round_trips() {
    let mut en = engine(&["x", "y"]);
    for src in [
        "-x^2",
        "(-x)^2",
        "x^y^2",
        "(x^y)^2",
        "x - (y - x)",
        "x/(2*y)",
        "2^-x",
        "-sin(x)*cos(y)/3",
        "1/(x + 1)^2 + sqrt(x*y) + x^(1/3)",
        "e^x + pi*x' - x''",
        "sigma(x)*softplus(y) - tanh(x)/cosh(y)",
    ] {
        let e = en.parse(src).unwrap();
        let printed = en.text(e);
        let back = en.parse(&printed).unwrap();
        assert!(en.same(e, back).unwrap(), "{src} -> {printed}");
        let n = en.normal_text(e).unwrap();
        let back = en.parse(&n).unwrap();
        let p1 = en.normalize(e).unwrap();
        let p2 = en.normalize(back).unwrap();
        assert_eq!(p1, p2, "{src} -> normal {n}");
    }
}

#[test]
fn parse_errors() {
    let mut en = engine(&["z"]);
    let msg = en.parse("z*sigm(z)").unwrap_err().to_string();
    assert!(msg.contains("column 3") && msg.contains("sigma"), "{msg}");
    let msg = en.parse("").unwrap_err().to_string();
    assert!(msg.contains("empty"), "{msg}");
    let msg = en.parse("z + ").unwrap_err().to_string();
    assert!(msg.contains("column 5"), "{msg}");
    let msg = en.parse("sin(z, z)").unwrap_err().to_string();
    assert!(msg.contains("takes 1 argument"), "{msg}");
    let msg = en.parse("z )").unwrap_err().to_string();
    assert!(msg.contains("no matching"), "{msg}");
    let deep = format!("{}z{}", "(".repeat(10_000), ")".repeat(10_000));
    let msg = en.parse(&deep).unwrap_err().to_string();
    assert!(msg.contains("nesting"), "{msg}");
    assert!(en.parse_bytes(b"z + \xff").is_err());
}

#[test]
fn symbolic_operators_in_the_language() {
    let mut en = engine(&["z"]);
    en.define("S = sigma(z); L = -z*S*(1-S)*z'").unwrap();
    let cases = [
        ("el(L, z)", "0"),
        ("el(L)", "0"),
        ("energy(L)", "0"),
        ("d(L, z') + z*sigma(z)*(1 - sigma(z))", "0"),
        ("L - dt(softplus(z) - z*S)", "0"),
        ("momentum(L, z) - d(L, z')", "0"),
        ("d(sin(z)*t, t)", "sin(z)"),
        ("dt(z^2)", "2*z*z'"),
        ("dt(z'^2)", "2*z'*z''"),
        ("d(softplus(z), z) - S", "0"),
    ];
    for (src, expected) in cases {
        assert_eq!(nf(&mut en, src), expected, "{src}");
    }
    // dt of an acceleration would need a third derivative.
    assert!(en.parse("dt(z'')").is_err());
    assert!(en.parse("d(z, 2)").is_err());
    assert!(en.parse("el(L) + 1").is_err());
    let mut en2 = engine(&["x", "y"]);
    en2.define("L = x'^2/2 + y'^2/2 - x*y").unwrap();
    assert!(en2.parse("el(L)").is_err());
    assert_eq!(en2.parse_vector("el(L)", "").unwrap().len(), 2);
}

#[test]
fn trajectories_only_use_time() {
    let mut en = engine(&["x", "y"]);
    let c = en.parse_trajectory("x = sin(t); y = t^2").unwrap();
    assert_eq!(c.len(), 2);
    assert!(en.parse_trajectory("x = sin(t)").is_err());
    assert!(en.parse_trajectory("x = y; y = t").is_err());
    assert!(en.parse_trajectory("x = t; x = t; y = t").is_err());
    assert!(en.parse_trajectory("x = t; y = x'").is_err());
    en.define("T = t^2").unwrap();
    assert!(en.parse_trajectory("x = T; y = T + 1").is_ok());
}

#[test]
fn velocity_linear_split() {
    let mut en = engine(&["x", "y"]);
    let l = en.parse("x*y' + y*x' + t*x'^2").unwrap();
    assert!(en.velocity_linear_parts(l).unwrap().is_none());
    let l = en.parse("x*y' + sin(y)*x' + t").unwrap();
    let (a, b) = en.velocity_linear_parts(l).unwrap().unwrap();
    assert_eq!(en.normal_text(a[0]).unwrap(), "sin(y)");
    assert_eq!(en.normal_text(a[1]).unwrap(), "x");
    assert_eq!(en.normal_text(b).unwrap(), "t");
}

#[test]
fn latex_output() {
    let mut en = engine(&["theta", "x1"]);
    let e = en
        .parse("theta'^2/2 + sigma(x1)*x1'' - sqrt(theta)")
        .unwrap();
    let s = en.normal_latex(e).unwrap();
    assert!(s.contains("\\frac{\\dot{\\theta}^{2}}{2}"), "{s}");
    assert!(s.contains("\\sigma\\left(x_{1}\\right)"), "{s}");
    assert!(
        s.contains("\\ddot{x}_{1}") || s.contains("\\ddot{x_{1}}"),
        "{s}"
    );
    assert!(s.contains("\\sqrt{\\theta}"), "{s}");
}

#[test]
fn pythagorean_identities() {
    let mut en = engine(&["x", "y"]);
    assert_eq!(nf(&mut en, "sin(x)^2 + cos(x)^2"), "1");
    assert_eq!(nf(&mut en, "cosh(x - y)^2 - sinh(y - x)^2"), "1");
    assert_eq!(nf(&mut en, "sin(x)^3 + sin(x)*cos(x)^2 - sin(x)"), "0");
    let l = en.parse("x'^2*sin(x)^2 + x'^2*cos(x)^2 - x^2").unwrap();
    let r = en.el(l).unwrap();
    assert_eq!(en.normal_text(r[0]).unwrap(), "2*x'' + 2*x");
}

fn null_verdict(coords: &[&str], src: &str) -> check::NullVerdict {
    let mut en = engine(coords);
    let l = en.parse(src).unwrap();
    let r = check::check(&mut en, l, None, &check::CheckOptions::default()).unwrap();
    r.null_lagrangian.verdict
}

#[test]
fn null_lagrangian_verdicts() {
    use check::NullVerdict::*;
    assert_eq!(null_verdict(&["z"], "-z*sigma(z)*(1-sigma(z))*z'"), Proved);
    assert_eq!(null_verdict(&["x", "y"], "x*y' + y*x' + t*x"), Refuted);
    assert_eq!(null_verdict(&["x", "y"], "x*y' + y*x'"), Proved);
    assert_eq!(null_verdict(&["x"], "exp(x)*x' + t*x'"), Refuted);
    // Null, but only through cos² − sin² = cos 2t, which the normal form does not know.
    assert_eq!(null_verdict(&["x"], "x'*sin(t)*cos(t) + x*cos(2*t)"), Holds);
    // Zero up to rounding: never refuted on rounding noise.
    assert_ne!(
        null_verdict(&["x"], "(sin(2*x) - 2*sin(x)*cos(x))*x'^2"),
        Refuted
    );
    // A tiny non-null part is below every numeric tolerance, but the residual normalizes to
    // the nonzero polynomial -x/(5·10¹²): refuted symbolically.
    assert_eq!(null_verdict(&["x"], "x*x' + 1e-13*x^2"), Refuted);
    // A magnetic-field Lagrangian is velocity-linear but not null.
    assert_eq!(null_verdict(&["x", "y"], "(x*y' - y*x')/2"), Refuted);
}

#[test]
fn vector_el_outside_parse_vector_is_a_positioned_parse_error() {
    // Found by the fuzzer: this used to be an error without a position.
    let mut en = engine(&["x", "y"]);
    match en.parse("let S = y^2; el(S*x'*S*x^y)") {
        Err(crate::Error::Parse(p)) => assert_eq!((p.line, p.column), (1, 14), "{p}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn extreme_literals_and_exponents_are_errors_or_work() {
    let mut en = engine(&["x", "y"]);
    for src in [
        "1.5e-9999999",
        "1e-9999999999999999999",
        "x^-9223372036854775808",
        "x^(1/4294967295)",
        "x^(1/2147483648)",
        "2^9223372036854775807",
        "x^1000000*x^1000000*x^1000000",
        "(x + 1)^100000",
        "exp(-9223372036854775808*ln(x))",
    ] {
        if let Ok(e) = en.parse(src) {
            let _ = en.normal_text(e);
            let _ = en.text(e);
            let d = en.d(e, crate::expr::Var::Coord(0));
            let _ = en.normal_text(d);
        }
    }
    // A huge root index is never mistaken for something else.
    let e = en.parse("x^(1/4294967295)").unwrap();
    assert!(en.normalize(e).is_err());
    // Definitions that use coordinates cannot sneak into trajectories.
    en.define("Y = y^2").unwrap();
    match en.parse_trajectory("x = Y; y = t") {
        Err(crate::Error::Parse(p)) => assert_eq!(p.column, 5),
        other => panic!("{other:?}"),
    }
}

#[test]
fn expansion_limits_fail_fast_and_cleanly() {
    let mut en = engine(&["x", "y"]);
    let e = en.parse("(x + y)^1000").unwrap();
    let start = std::time::Instant::now();
    assert!(matches!(
        en.normalize(e),
        Err(crate::Error::Symbolic { .. })
    ));
    assert!(start.elapsed().as_secs_f64() < 0.5);
    let e = en.parse("(x + 1)^64 - (1 + x)^64").unwrap();
    assert!(en.is_zero(e).unwrap());
    let e = en.parse("x^1000/x^999").unwrap();
    assert_eq!(en.normal_text(e).unwrap(), "x");
}
