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
