//! Proof files: the papers' equations written down once, in `proofs/*.proof`, and checked by
//! `cargo test` and `ska-verify prove` — each one proved symbolically, holding numerically,
//! or refuted with a counterexample.
//!
//! Why a file format rather than Rust tests: a reader should be able to check the claims of a
//! paper against a text that looks like the paper (`claim eq9: el(L) == 0`), and add one
//! without writing code. The format is documented in `proofs/README.md`; the pieces:
//! [`syntax`] (lines and statements, with caret positions), [`checker`] (the verdict of one
//! equation), [`report`] (table and JSON).
//!
//! ```
//! use ska_verify::proof::{self, Verdict};
//! let text = "\
//! coords z
//! let S = sigma(z)
//! let L = -z*S*(1-S)*z'
//! claim eq9: el(L) == 0
//! claim null: L == dt(softplus(z) - z*S)
//! refute wrong_sign: d(L, z') == z*S*(1-S)
//! ";
//! let claims = proof::check_source(text, "example.proof", &proof::Options::default()).unwrap();
//! assert_eq!(claims.len(), 3);
//! assert_eq!(claims[0].verdict, Verdict::Proved);
//! assert_eq!(claims[2].verdict, Verdict::Refuted);
//! assert!(claims.iter().all(|c| c.ok));
//! // A malformed line is an error with the file, line, column and a caret.
//! let err = proof::check_source("coords z\nclaim c: sigm(z) == 0", "f.proof", &Default::default())
//!     .unwrap_err()
//!     .to_string();
//! assert!(err.contains("f.proof at line 2, column 10"), "{err}");
//! ```

pub mod checker;
pub mod report;
pub mod syntax;

pub use checker::{Counterexample, Domain, Options, Outcome, Verdict};
pub use report::{ClaimReport, json, table};

use crate::error::{Error, Result};
use crate::expr::Engine;
use crate::verify::Expected;
use std::path::{Path, PathBuf};
use syntax::{Statement, error_at, relocate};

/// Whether a verdict is what the claim expects: `claim` needs `proved` or `holds`, `refute`
/// needs `refuted`. `error` and `inconclusive` match neither.
pub fn matches(expected: Expected, verdict: Verdict) -> bool {
    match expected {
        Expected::Holds => matches!(verdict, Verdict::Proved | Verdict::Holds),
        Expected::Refuted => verdict == Verdict::Refuted,
    }
}

/// Check every claim of a proof text. `origin` (a file name) appears in reports and errors.
/// Malformed text (a bad line, an expression that does not parse, sides of different lengths,
/// a repeated claim name) is an [`Error::Parse`] with line, column and caret.
pub fn check_source(src: &str, origin: &str, opts: &Options) -> Result<Vec<ClaimReport>> {
    let lines = syntax::lines(src, origin)?;
    let mut engine: Option<Engine> = None;
    let mut domain = Domain::default();
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in &lines {
        let at = |column: usize, msg: String, hint: Option<String>| {
            error_at(origin, line.number, &line.source, column, msg, hint)
        };
        let need = |en: &mut Option<Engine>| -> Result<()> {
            if en.is_none() {
                return Err(at(
                    1,
                    "no coordinates declared".into(),
                    Some("start the file with `coords x` (or `coords x, y`)".into()),
                ));
            }
            Ok(())
        };
        match &line.statement {
            Statement::Coords(cs) => {
                let list: Vec<&str> = cs.iter().map(|(n, _)| n.as_str()).collect();
                let col = cs.first().map_or(1, |c| c.1);
                engine = Some(Engine::new(&list).map_err(|e| at(col, e.to_string(), None))?);
                domain = Domain::default();
            }
            Statement::Domain { var, lo, hi } => {
                need(&mut engine)?;
                let Some(en) = engine.as_mut() else { continue };
                let Some(v) = en.var(var) else {
                    return Err(at(
                        line.source.find(var.as_str()).map_or(1, |p| p + 1),
                        format!(
                            "`{var}` is not a declared coordinate, velocity, acceleration or t"
                        ),
                        None,
                    ));
                };
                domain.set(v, *lo, *hi);
            }
            Statement::Let(code) => {
                need(&mut engine)?;
                let Some(en) = engine.as_mut() else { continue };
                en.define_from(code, origin)
                    .map_err(|e| relocate(e, origin, line.number, &line.source))?;
            }
            Statement::Claim(c) => {
                need(&mut engine)?;
                let Some(en) = engine.as_mut() else { continue };
                let name_col = c.name_column;
                if names.contains(&c.name) {
                    return Err(at(
                        name_col,
                        format!("claim `{}` is defined twice", c.name),
                        Some("give every claim of a file its own name".into()),
                    ));
                }
                names.push(c.name.clone());
                let side = |en: &mut Engine, s: &str| {
                    en.parse_vector(s, origin)
                        .map_err(|e| relocate(e, origin, line.number, &line.source))
                };
                let lhs = side(en, &c.lhs)?;
                let rhs = side(en, &c.rhs)?;
                if lhs.len() != rhs.len() && lhs.len() != 1 && rhs.len() != 1 {
                    return Err(at(
                        name_col,
                        format!("the sides have {} and {} components", lhs.len(), rhs.len()),
                        Some("compare equally long sides, or a vector with a scalar".into()),
                    ));
                }
                let outcome = checker::check(en, &lhs, &rhs, &domain, opts);
                out.push(ClaimReport {
                    file: origin.to_string(),
                    claim: c.name.clone(),
                    line: line.number,
                    equation: c.text.clone(),
                    expected: c.expected,
                    ok: matches(c.expected, outcome.verdict),
                    verdict: outcome.verdict,
                    outcome,
                });
            }
        }
    }
    Ok(out)
}

/// Read and check one proof file.
pub fn check_file(path: &Path, opts: &Options) -> Result<Vec<ClaimReport>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let origin = path.display().to_string();
    let src = std::str::from_utf8(&bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
        let line = valid.matches('\n').count() + 1;
        let source = valid.rsplit('\n').next().unwrap_or("");
        error_at(
            &origin,
            line,
            source,
            source.chars().count() + 1,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            Some("save the file as UTF-8 text".into()),
        )
    })?;
    check_source(src, &origin, opts)
}

/// The proof files named by `paths`: a file as is, a directory as its `*.proof` files in
/// name order (not recursive).
pub fn collect_files<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, &e))?;
        if meta.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, &e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "proof") && f.is_file())
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.to_path_buf());
        }
    }
    Ok(out)
}

/// The `proofs/` directory: `./proofs` if it exists, else the one of the source tree this
/// binary was built from (if it still exists).
pub fn default_dir() -> Option<PathBuf> {
    let here = PathBuf::from("proofs");
    if here.is_dir() {
        return Some(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs");
    built.is_dir().then_some(built)
}
