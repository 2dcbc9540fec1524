//! Arbitrary bytes through the whole expression pipeline: parse (as an expression, as
//! definitions and as a trajectory), print, normalize, re-parse the printed forms, derive the
//! Euler–Lagrange equations and evaluate. Nothing may panic; errors must carry a position.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ska_verify::Error;
use ska_verify::expr::{Engine, Program};

fuzz_target!(|data: &[u8]| {
    let Ok(mut en) = Engine::new(&["x", "y"]) else {
        return;
    };
    match en.parse_bytes(data) {
        Err(Error::Parse(p)) => assert!(p.line >= 1 && p.column >= 1),
        Err(other) => panic!("parse returned a non-parse error: {other}"),
        Ok(e) => {
            // Printed text re-parses, except that folded constants may exceed the literal
            // range (e.g. 1e300*1e300 prints as a 601-digit integer).
            let reparse = |en: &mut Engine, s: &str| match en.parse(s) {
                Ok(id) => Some(id),
                Err(Error::Parse(p)) if p.message == "number out of range" => None,
                Err(other) => panic!("printed form {s:?} does not re-parse: {other}"),
            };
            let text = en.text(e);
            if let Some(back) = reparse(&mut en, &text)
                && let (Ok(a), Ok(b)) = (en.normalize(e), en.normalize(back))
            {
                assert_eq!(a, b, "print/parse changed the normal form: {text}");
            }
            if let Ok(n) = en.normal_text(e) {
                let _ = reparse(&mut en, &n);
            }
            let _ = en.latex(e);
            if let Ok(el) = en.el(e) {
                for r in el {
                    let _ = en.normal_text(r);
                }
            }
            let p = Program::compile(en.graph(), &[e]);
            let _ = p.eval1(0.5, &[0.1, -0.2], &[0.3, 0.4], &[0.0, 1.0]);
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = en.parse_trajectory(s);
        let _ = en.define(s);
    }
});
