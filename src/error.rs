//! Typed errors and diagnostics that point at the user's file, line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem found in the input, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub path: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    /// The offending source line, for the caret display.
    pub source_line: Option<String>,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic about a whole file.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            position: None,
            source_line: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A diagnostic at a byte offset of `source` (the file's text).
    pub fn at(path: &Path, source: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(source.len());
        let before = source.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = source
            .get(line_start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        let line_text = source
            .get(line_start..)
            .and_then(|s| s.lines().next())
            .unwrap_or("")
            .to_string();
        Diagnostic {
            path: path.to_path_buf(),
            position: Some((line, col)),
            source_line: Some(line_text),
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)?;
        if let (Some(src), Some((line, col))) = (&self.source_line, self.position) {
            let num = line.to_string();
            let pad = " ".repeat(num.len());
            // Wide (CJK) characters take two terminal cells.
            let caret_pad: usize = src
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
                .sum();
            write!(
                f,
                "\n{pad} |\n{num} | {src}\n{pad} | {}^",
                " ".repeat(caret_pad)
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: a file that is missing, malformed or inconsistent.
    #[error("{0}")]
    Input(Box<Diagnostic>),
    /// Copy that did not fit its frames.
    #[error("{0}")]
    Overset(String),
    /// A character that no font of the layout can set.
    #[error("{0}")]
    MissingGlyph(Box<Diagnostic>),
    /// The PDF writer failed.
    #[error("pdf: {0}")]
    Pdf(String),
    /// Several problems found in one pass over an input.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n\nerror: "))]
    Many(Vec<Error>),
    /// Writing output failed.
    #[error("{path}: {source}")]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(Box::new(d))
    }
}

impl Error {
    /// One error, or all of several.
    pub fn many(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            if let Some(e) = errors.pop() {
                return e;
            }
        }
        Error::Many(errors)
    }
}

/// Result with the library's error.
pub type Result<T> = std::result::Result<T, Error>;

/// Largest story, plan or layout file accepted (a resource bound).
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a UTF-8 text file, with a diagnostic naming the file on failure.
pub fn read_text(path: &Path) -> Result<String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_TEXT_BYTES {
        let msg = format!(
            "file is {} MB, over the {} MB limit for a text file",
            size >> 20,
            MAX_TEXT_BYTES >> 20
        );
        return Err(Diagnostic::file(path, msg)
            .with_hint("split the copy into several stories")
            .into());
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let d = Diagnostic::file(path, format!("cannot read file: {e}"));
        if e.kind() == std::io::ErrorKind::NotFound {
            d.with_hint("check the path; paths in a plan are relative to the plan's folder")
        } else {
            d
        }
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let gbk = looks_like_gbk(e.as_bytes());
        let src = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let (msg, hint) = if gbk {
            (
                "file is not UTF-8: it looks like GBK/GB18030",
                "convert it: `iconv -f GB18030 -t UTF-8 FILE > FILE.utf8`",
            )
        } else {
            ("file is not valid UTF-8", "save the file as UTF-8")
        };
        Error::from(Diagnostic::at(path, &src, off, msg).with_hint(hint))
    })
}

/// Turns a TOML error into a diagnostic. `offset` is where the TOML text starts in `source`.
pub fn toml_diagnostic(
    path: &Path,
    source: &str,
    offset: usize,
    err: &toml::de::Error,
) -> Diagnostic {
    let msg = err.message().trim().to_string();
    let at = err.span().map_or(offset, |s| offset + s.start);
    let mut d = Diagnostic::at(
        path,
        source,
        at,
        msg.lines().next().unwrap_or("").to_string(),
    );
    if msg.contains("unknown field") {
        d = d.with_hint(did_you_mean(&msg).unwrap_or_else(|| {
            "remove the key or check its spelling against the input format".into()
        }));
    } else if msg.contains("missing field") {
        d = d.with_hint("add the required key");
    }
    d
}

/// "did you mean `columns`?" for serde's "unknown field `colums`, expected one of …".
fn did_you_mean(msg: &str) -> Option<String> {
    let quoted: Vec<&str> = msg.split('`').skip(1).step_by(2).collect();
    let (bad, known) = quoted.split_first()?;
    let best = known.iter().min_by_key(|k| edit_distance(bad, k))?;
    let hint = if edit_distance(bad, best) <= 3 {
        format!("did you mean `{best}`?")
    } else {
        format!("known keys here: {}", known.join(", "))
    };
    Some(hint)
}

/// Levenshtein distance between two strings (by characters).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev + usize::from(ca != *cb);
            let del = row.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
            let ins = row.get(j).copied().unwrap_or(usize::MAX) + 1;
            prev = row.get(j + 1).copied().unwrap_or(0);
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = sub.min(del).min(ins);
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// Whether bytes that are not UTF-8 look like GBK/GB18030: high bytes come in lead/trail pairs.
pub fn looks_like_gbk(bytes: &[u8]) -> bool {
    let (mut pairs, mut high, mut i) = (0usize, 0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        if b >= 0x80 {
            high += 1;
            let trail = bytes.get(i + 1).copied().unwrap_or(0);
            if (0x81..=0xFE).contains(&b) && (0x40..=0xFE).contains(&trail) && trail != 0x7F {
                pairs += 1;
                high += 1;
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    high > 0 && pairs * 2 * 10 >= high * 9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_the_fault() {
        let src = "a = 1\ncolumns = \"1-99\"\n";
        let d = Diagnostic::at(Path::new("p.toml"), src, 16, "bad").with_hint("fix it");
        assert_eq!(d.position, Some((2, 11)));
        let s = d.to_string();
        assert!(s.starts_with("p.toml:2:11: bad"), "{s}");
        assert!(s.contains("2 | columns = \"1-99\"\n  |           ^"), "{s}");
        assert!(s.ends_with("hint: fix it"));
    }

    #[test]
    fn suggestions_and_encodings() {
        let m = "unknown field `colums`, expected one of `file`, `columns`, `lines`";
        assert_eq!(did_you_mean(m).as_deref(), Some("did you mean `columns`?"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        // 卫东 in GBK: CE C0 B6 AB.
        assert!(looks_like_gbk(&[0xCE, 0xC0, 0xB6, 0xAB, b'\n']));
        assert!(!looks_like_gbk(&[0xFF, 0x00, 0x80]));
    }
}
