//! Writing figure outputs: atomically (no half-written file survives an interruption) and
//! deterministically (CSV numbers in Rust's shortest round-trip form, so reruns are
//! byte-identical and the data can be re-read exactly).

use crate::error::{Error, Result};
use std::fs;
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically: a temporary file in the same directory, flushed and
/// synced, then renamed over the target.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| Error::Invalid {
            what: "output path".into(),
            reason: format!("{} has no file name", path.display()),
        })?
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, &e)
    })
}

/// A table of plotted data: a header and rows of cells (numbers or labels).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csv {
    /// Column names.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
}

/// One CSV cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A label (quoted per RFC 4180 when it holds a comma, quote or line break).
    Text(String),
    /// A number (shortest representation that round-trips).
    Num(f64),
    /// An integer.
    Int(i64),
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Num(v)
    }
}
impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        Cell::Int(v as i64)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_string())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}

impl Csv {
    /// An empty table with the given columns.
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Append a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.header.len());
        self.rows.push(row);
    }

    /// The values of a numeric column (NaN for non-numeric cells).
    pub fn column(&self, name: &str) -> Vec<f64> {
        let j = self.header.iter().position(|h| h == name);
        self.rows
            .iter()
            .map(|r| match j.map(|j| &r[j]) {
                Some(Cell::Num(v)) => *v,
                Some(Cell::Int(v)) => *v as f64,
                _ => f64::NAN,
            })
            .collect()
    }

    /// The table as CSV text.
    pub fn to_text(&self) -> String {
        let mut s = self.header.join(",");
        s.push('\n');
        for r in &self.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => quote(t),
                    Cell::Num(v) => format!("{v}"),
                    Cell::Int(v) => format!("{v}"),
                })
                .collect();
            s.push_str(&cells.join(","));
            s.push('\n');
        }
        s
    }
}

/// A CSV field: as is, or in double quotes with inner quotes doubled (RFC 4180).
fn quote(t: &str) -> String {
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let mut c = Csv::new(&["a", "b"]);
        c.push(vec![0.1.into(), (1.0 / 3.0).into()]);
        let text = c.to_text();
        let line = text.lines().nth(1).unwrap();
        let vals: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        assert_eq!(vals, vec![0.1, 1.0 / 3.0]);
    }

    #[test]
    fn labels_with_commas_are_quoted() {
        let mut c = Csv::new(&["name", "v"]);
        c.push(vec!["a, b".into(), 1.0.into()]);
        c.push(vec!["say \"hi\"".into(), 2.0.into()]);
        assert_eq!(c.to_text(), "name,v\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("ska-verify-aw-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.csv");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        let missing = dir.join("no-such-dir").join("y.csv");
        assert!(matches!(
            atomic_write(&missing, b"z"),
            Err(Error::Io { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }
}
