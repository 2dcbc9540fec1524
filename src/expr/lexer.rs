//! Tokens of the expression language, each with the byte offset where it starts.
//!
//! The lexer is a separate pass so the parser sees a flat token list and every error can point
//! at a byte offset, which [`locate`] turns into the line, column and source line of the caret
//! message. Number literals are converted to **exact rationals** from their decimal digits
//! (`2.5` is 5/2, `1e-3` is 1/1000), so the normal form never sees a rounded float.

use super::graph::Rational;
use num_bigint::BigInt;
use num_traits::{One, Zero};

/// The largest decimal exponent accepted in a literal (f64 overflows beyond 308 anyway).
const MAX_EXPONENT: i64 = 400;
/// The most digits accepted in one literal.
const MAX_DIGITS: usize = 400;

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A number literal, exactly.
    Num(Rational),
    /// An identifier.
    Ident(String),
    /// `'` (a prime directly after an identifier marks a time derivative).
    Prime,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    Equals,
    /// `;` or a line break: ends a statement.
    Sep,
    /// End of input.
    Eof,
}

impl Tok {
    /// How the token is named in messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Num(_) => "a number".into(),
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Prime => "`'`".into(),
            Tok::Plus => "`+`".into(),
            Tok::Minus => "`-`".into(),
            Tok::Star => "`*`".into(),
            Tok::Slash => "`/`".into(),
            Tok::Caret => "`^`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Equals => "`=`".into(),
            Tok::Sep => "end of statement".into(),
            Tok::Eof => "end of input".into(),
        }
    }
}

/// A token and the byte offset of its first character.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub pos: usize,
}

/// A lexical error: byte offset, message, hint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LexError {
    pub pos: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Line (1-based), column (1-based, in characters) and the text of the line at byte `pos`.
pub fn locate(src: &str, pos: usize) -> (usize, usize, String) {
    let mut pos = pos.min(src.len());
    while !src.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &src[..pos];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
    let column = src[start..pos].chars().count() + 1;
    let text = src[start..end].trim_end_matches('\r').to_string();
    (line, column, text)
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Split `src` into tokens (always ending with [`Tok::Eof`]).
pub(crate) fn lex(src: &str) -> Result<Vec<Token>, LexError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = src[i..].chars().next().unwrap_or('\0');
        let start = i;
        let single = |t: Tok| Some(t);
        let tok = match c {
            ' ' | '\t' | '\r' => None,
            '\n' | ';' => single(Tok::Sep),
            '#' => {
                // Comment to the end of the line.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            '+' => single(Tok::Plus),
            '-' => single(Tok::Minus),
            '*' => {
                if bytes.get(i + 1) == Some(&b'*') {
                    return Err(LexError {
                        pos: i,
                        message: "`**` is not an operator".into(),
                        hint: Some("write powers with `^`, e.g. `x^2`".into()),
                    });
                }
                single(Tok::Star)
            }
            '/' => single(Tok::Slash),
            '^' => single(Tok::Caret),
            '(' => single(Tok::LParen),
            ')' => single(Tok::RParen),
            ',' => single(Tok::Comma),
            '=' => {
                if bytes.get(i + 1) == Some(&b'=') {
                    return Err(LexError {
                        pos: i,
                        message: "`==` is not part of an expression".into(),
                        hint: Some(
                            "comparisons belong in proof files (`claim name: a == b`)".into(),
                        ),
                    });
                }
                single(Tok::Equals)
            }
            '\'' | '\u{2019}' => single(Tok::Prime),
            c if c.is_ascii_digit() || c == '.' => {
                let (r, len) = number(src, i)?;
                out.push(Token {
                    tok: Tok::Num(r),
                    pos: start,
                });
                i += len;
                continue;
            }
            c if is_ident_start(c) => {
                let mut j = i;
                while j < bytes.len() && is_ident_char(bytes[j] as char) {
                    j += 1;
                }
                out.push(Token {
                    tok: Tok::Ident(src[i..j].to_string()),
                    pos: start,
                });
                i = j;
                continue;
            }
            other => {
                let hint = match other {
                    '·' | '×' => Some("write multiplication with `*`".to_string()),
                    '−' => Some("use the ASCII minus `-`".to_string()),
                    '[' | ']' | '{' | '}' => Some("group with round parentheses `( )`".to_string()),
                    _ => None,
                };
                return Err(LexError {
                    pos: i,
                    message: format!("unexpected character `{}`", other.escape_debug()),
                    hint,
                });
            }
        };
        if let Some(tok) = tok {
            out.push(Token { tok, pos: start });
        }
        i += c.len_utf8();
    }
    out.push(Token {
        tok: Tok::Eof,
        pos: src.len(),
    });
    Ok(out)
}

/// An exact decimal literal starting at byte `i`: digits [`.` digits] [`e` [sign] digits].
fn number(src: &str, i: usize) -> Result<(Rational, usize), LexError> {
    let b = src.as_bytes();
    let mut j = i;
    let mut digits = String::new();
    while j < b.len() && b[j].is_ascii_digit() {
        digits.push(b[j] as char);
        j += 1;
    }
    let mut frac = 0i64;
    if j < b.len() && b[j] == b'.' {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            digits.push(b[j] as char);
            frac += 1;
            j += 1;
        }
    }
    if digits.is_empty() {
        return Err(LexError {
            pos: i,
            message: "a number needs at least one digit".into(),
            hint: Some("write `0.5`, not `.`".into()),
        });
    }
    let mut exp = 0i64;
    if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
        let mut k = j + 1;
        let mut neg = false;
        if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
            neg = b[k] == b'-';
            k += 1;
        }
        let estart = k;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k == estart {
            return Err(LexError {
                pos: j,
                message: "missing digits after the exponent marker `e`".into(),
                hint: Some("write e.g. `1e-3`; for Euler's number times x write `e*x`".into()),
            });
        }
        let text = &src[estart..k];
        exp = if text.len() > 6 {
            i64::MAX
        } else {
            text.parse().unwrap_or(i64::MAX)
        };
        if neg {
            exp = -exp;
        }
        j = k;
    }
    if j < b.len() && is_ident_start(b[j] as char) {
        return Err(LexError {
            pos: j,
            message: "a number is directly followed by a name".into(),
            hint: Some("multiplication must be written explicitly, e.g. `2*x`".into()),
        });
    }
    let scale = exp.saturating_sub(frac);
    let significant = digits.trim_start_matches('0');
    if significant.len() > MAX_DIGITS
        || (!significant.is_empty() && scale.unsigned_abs() > MAX_EXPONENT.unsigned_abs())
    {
        return Err(LexError {
            pos: i,
            message: "number out of range".into(),
            hint: Some(format!(
                "literals are limited to {MAX_DIGITS} digits and magnitudes 1e±{MAX_EXPONENT}"
            )),
        });
    }
    let mantissa: BigInt = if significant.is_empty() {
        BigInt::zero()
    } else {
        significant.parse().unwrap_or_default()
    };
    let r = if mantissa.is_zero() {
        Rational::zero()
    } else {
        let p = num_traits::pow(BigInt::from(10), scale.unsigned_abs() as usize);
        if scale >= 0 {
            Rational::from_integer(mantissa * p)
        } else {
            Rational::new(mantissa, p)
        }
    };
    if !mantissa_ok(&r) {
        return Err(LexError {
            pos: i,
            message: "number out of range".into(),
            hint: Some("the value overflows a 64-bit float".into()),
        });
    }
    Ok((r, j - i))
}

fn mantissa_ok(r: &Rational) -> bool {
    use num_traits::ToPrimitive;
    r.is_one() || r.to_f64().is_some_and(f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Rational {
        match &lex(s).unwrap()[0].tok {
            Tok::Num(r) => r.clone(),
            t => panic!("{t:?}"),
        }
    }

    #[test]
    fn literals_are_exact() {
        assert_eq!(num("2.5"), Rational::new(5.into(), 2.into()));
        assert_eq!(num("1e-3"), Rational::new(1.into(), 1000.into()));
        assert_eq!(num("0.1"), Rational::new(1.into(), 10.into()));
        assert_eq!(num("12E2"), Rational::from_integer(1200.into()));
        assert_eq!(num("0e999"), Rational::zero());
    }

    #[test]
    fn locate_counts_characters() {
        let src = "a\nσ + b";
        let pos = src.find('b').unwrap();
        assert_eq!(locate(src, pos), (2, 5, "σ + b".to_string()));
    }

    #[test]
    fn bad_literals_are_errors() {
        assert!(lex("1e").is_err());
        assert!(lex("1e999").is_err());
        assert!(lex("2x").is_err());
        assert!(lex("x ** 2").is_err());
    }
}
