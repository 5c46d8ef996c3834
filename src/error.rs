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

/// Result with the library's error.
pub type Result<T> = std::result::Result<T, Error>;

/// Reads a UTF-8 text file, with a diagnostic naming the file on failure.
pub fn read_text(path: &Path) -> Result<String> {
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
        let src = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Error::from(
            Diagnostic::at(path, &src, off, "file is not valid UTF-8").with_hint(
                "save the file as UTF-8 (it may be GBK/GB18030: `iconv -f GB18030 -t UTF-8`)",
            ),
        )
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
    let mut d = Diagnostic::at(path, source, at, msg.clone());
    if msg.contains("unknown field") {
        d = d.with_hint("remove the key or check its spelling against the input format");
    } else if msg.contains("missing field") {
        d = d.with_hint("add the required key");
    }
    d
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
}
