//! The line structure of a proof file: which statement each line is, and where its parts
//! start, so that errors inside an expression point at the right column of the right line.
//!
//! A proof file is a list of one-line statements (`#` starts a comment, blank lines are
//! ignored):
//!
//! ```text
//! coords z                     # starts a section with these coordinates
//! domain z in [-3, 3]          # where the random samples are drawn (optional)
//! let S = sigma(z)             # a definition (the expression language's `let`)
//! claim NAME: lhs == rhs       # expected true
//! refute NAME: lhs == rhs      # expected false
//! ```
//!
//! Expressions themselves are parsed by [`crate::expr`]; this module only splits lines and
//! hands each expression over with its columns preserved (the text before it is blanked, not
//! cut), so the expression parser's caret lands under the right character of the file.

use crate::error::{Error, ParseError};
use crate::verify::Expected;

/// One statement of a proof file.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `coords x, y`: the names, and the column of each.
    Coords(Vec<(String, usize)>),
    /// `domain v in [lo, hi]`: v is a coordinate, a velocity, an acceleration or `t`.
    Domain {
        /// The variable as written (`z`, `z'`, `z''`, `t`).
        var: String,
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// `let NAME = expr` (the text handed to the expression parser, columns preserved).
    Let(String),
    /// `claim NAME: lhs == rhs` or `refute NAME: lhs == rhs`.
    Claim(ClaimSyntax),
}

/// The parts of a claim line.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimSyntax {
    /// `claim` expects the equation to hold, `refute` expects it to fail.
    pub expected: Expected,
    /// The claim's name.
    pub name: String,
    /// The 1-based column of the name.
    pub name_column: usize,
    /// The left side, blank-padded so its columns are those of the file.
    pub lhs: String,
    /// The right side, blank-padded likewise.
    pub rhs: String,
    /// The equation as written (`lhs == rhs`, trimmed).
    pub text: String,
}

/// A statement with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// The line as written (without the newline).
    pub source: String,
    /// What it says.
    pub statement: Statement,
}

/// A caret error at `line`, column `column` (1-based, in characters).
pub fn error_at(
    origin: &str,
    number: usize,
    source: &str,
    column: usize,
    message: impl Into<String>,
    hint: Option<String>,
) -> Error {
    Error::Parse(Box::new(ParseError {
        origin: origin.to_string(),
        line: number,
        column,
        message: message.into(),
        expected: String::new(),
        source_line: source.to_string(),
        hint,
    }))
}

/// Move an error of the expression parser (which saw one line) to line `number` of the file.
pub fn relocate(e: Error, origin: &str, number: usize, source: &str) -> Error {
    match e {
        Error::Parse(mut p) => {
            p.origin = origin.to_string();
            p.line = number;
            p.source_line = source.to_string();
            Error::Parse(p)
        }
        other => error_at(origin, number, source, 1, other.to_string(), None),
    }
}

/// The text before `end` (a byte offset) with every character replaced by a blank (tabs
/// kept), so that what follows keeps its column.
fn blank(s: &str, end: usize) -> String {
    s[..end]
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect()
}

/// 1-based character column of byte offset `pos` in `s`.
fn column(s: &str, pos: usize) -> usize {
    s[..pos].chars().count() + 1
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

/// Split a proof file into statements. Expressions are not parsed here.
pub fn lines(src: &str, origin: &str) -> Result<Vec<Line>, Error> {
    let mut out = Vec::new();
    for (k, raw) in src.split('\n').enumerate() {
        let number = k + 1;
        let source = raw.trim_end_matches('\r');
        let code = match source.find('#') {
            Some(i) => &source[..i],
            None => source,
        };
        let trimmed = code.trim_start();
        if trimmed.trim().is_empty() {
            continue;
        }
        let start = code.len() - trimmed.len();
        let word_len = trimmed
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(trimmed.len());
        let word = &trimmed[..word_len];
        let rest_at = start + word_len;
        let err = |pos: usize, msg: String, hint: Option<String>| {
            error_at(origin, number, source, column(source, pos), msg, hint)
        };
        let statement = match word {
            "coords" => Statement::Coords(coords(code, rest_at, &err)?),
            "domain" => domain(code, rest_at, &err)?,
            "let" => Statement::Let(code.to_string()),
            "claim" | "refute" => {
                let expected = if word == "claim" {
                    Expected::Holds
                } else {
                    Expected::Refuted
                };
                Statement::Claim(claim(code, rest_at, expected, &err)?)
            }
            _ => {
                return Err(err(
                    start,
                    format!("unknown statement `{}`", trimmed.trim_end()),
                    Some(
                        "a line is `coords ...`, `domain ...`, `let NAME = ...`, \
                         `claim NAME: lhs == rhs`, `refute NAME: lhs == rhs` or a `#` comment"
                            .into(),
                    ),
                ));
            }
        };
        out.push(Line {
            number,
            source: source.to_string(),
            statement,
        });
    }
    Ok(out)
}

type ErrFn<'a> = dyn Fn(usize, String, Option<String>) -> Error + 'a;

fn coords(code: &str, at: usize, err: &ErrFn) -> Result<Vec<(String, usize)>, Error> {
    let mut names = Vec::new();
    let mut pos = at;
    for part in code[at..].split(',') {
        let lead = part.len() - part.trim_start().len();
        let name = part.trim();
        if !is_name(name) {
            return Err(err(
                pos + lead,
                if name.is_empty() {
                    "missing coordinate name".into()
                } else {
                    format!("`{name}` is not a coordinate name")
                },
                Some("write `coords x` or `coords x, y` (names separated by commas)".into()),
            ));
        }
        names.push((name.to_string(), column(code, pos + lead)));
        pos += part.len() + 1;
    }
    Ok(names)
}

fn domain(code: &str, at: usize, err: &ErrFn) -> Result<Statement, Error> {
    let rest = &code[at..];
    let hint = || Some("write `domain x in [-1, 2]` (x a coordinate, x', x'' or t)".to_string());
    let Some(in_at) = rest.find(" in ") else {
        return Err(err(at, "expected `VARIABLE in [lo, hi]`".into(), hint()));
    };
    let var = rest[..in_at].trim().to_string();
    let range = rest[in_at + 4..].trim();
    let range_at =
        at + in_at + 4 + (rest[in_at + 4..].len() - rest[in_at + 4..].trim_start().len());
    let base = var.trim_end_matches('\'');
    if !is_name(base) || var.len() - base.len() > 2 {
        return Err(err(at + 1, format!("`{var}` is not a variable"), hint()));
    }
    let inner = range
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .ok_or_else(|| err(range_at, "expected `[lo, hi]`".into(), hint()))?;
    let mut ends = inner.split(',').map(|s| s.trim().parse::<f64>());
    let (lo, hi) = match (ends.next(), ends.next(), ends.next()) {
        (Some(Ok(lo)), Some(Ok(hi)), None) if lo.is_finite() && hi.is_finite() && lo < hi => {
            (lo, hi)
        }
        _ => {
            return Err(err(
                range_at,
                "expected two finite numbers lo < hi".into(),
                hint(),
            ));
        }
    };
    Ok(Statement::Domain { var, lo, hi })
}

fn claim(code: &str, at: usize, expected: Expected, err: &ErrFn) -> Result<ClaimSyntax, Error> {
    let rest = &code[at..];
    let hint = || Some("write `claim NAME: lhs == rhs`".to_string());
    let Some(colon) = rest.find(':') else {
        return Err(err(
            code.len(),
            "missing `:` after the claim's name".into(),
            hint(),
        ));
    };
    let name = rest[..colon].trim();
    let name_at = at + (rest.len() - rest.trim_start().len());
    if !is_name(name) {
        return Err(err(
            name_at,
            if name.is_empty() {
                "missing claim name".into()
            } else {
                format!("`{name}` is not a claim name")
            },
            hint(),
        ));
    }
    let body_at = at + colon + 1;
    let body = &code[body_at..];
    let Some(eq) = body.find("==") else {
        return Err(err(
            code.len(),
            "missing `==`".into(),
            Some("a claim is an equation `lhs == rhs`".into()),
        ));
    };
    if let Some(second) = body[eq + 2..].find("==") {
        return Err(err(
            body_at + eq + 2 + second,
            "a second `==`".into(),
            Some("one equation per claim".into()),
        ));
    }
    let eq_at = body_at + eq;
    Ok(ClaimSyntax {
        expected,
        name: name.to_string(),
        name_column: column(code, name_at),
        lhs: format!("{}{}", blank(code, body_at), &code[body_at..eq_at]),
        rhs: format!("{}{}", blank(code, eq_at + 2), &code[eq_at + 2..]),
        text: body.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_sides_keep_their_columns() {
        let l = lines("claim c1: x == y  # comment", "f").unwrap();
        let Statement::Claim(c) = &l[0].statement else {
            panic!("not a claim")
        };
        assert_eq!(c.name, "c1");
        assert_eq!(c.lhs.find('x'), Some(10));
        assert_eq!(c.rhs.find('y'), Some(15));
        assert_eq!(c.text, "x == y");
    }

    #[test]
    fn bad_lines_point_at_the_problem() {
        let e = lines("coords x\n\nclaim c x == 1", "f.proof")
            .unwrap_err()
            .to_string();
        assert!(e.contains("f.proof at line 3"), "{e}");
        let e = lines("proof x", "f").unwrap_err().to_string();
        assert!(
            e.contains("column 1") && e.contains("unknown statement"),
            "{e}"
        );
        let e = lines("coords x,", "f").unwrap_err().to_string();
        assert!(e.contains("missing coordinate name"), "{e}");
        let e = lines("domain x in [2, 1]", "f").unwrap_err().to_string();
        assert!(e.contains("lo < hi"), "{e}");
        let e = lines("claim a: x == y == z", "f").unwrap_err().to_string();
        assert!(e.contains("second `==`") && e.contains("column 17"), "{e}");
    }
}
