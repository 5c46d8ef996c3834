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
    /// A font role missing from the edition's fonts, or a font that could not be subset.
    #[error("{0}")]
    Font(Box<Diagnostic>),
    /// The on-screen proof could not be rendered or encoded.
    #[error("proof: {0}")]
    Preview(String),
    /// paiban broke one of its own rules (a bug): the build stops rather than make a wrong page.
    #[error("internal error: {0} (a bug in paiban: please report it with the input)")]
    Internal(String),
    /// Several problems found in one pass over an input.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n\nerror: "))]
    Many(Vec<Error>),
    /// Writing output failed.
    #[error("{}: cannot write: {source}{}", .path.display(), io_hint(.source))]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A hint for a failed write, after its message (empty when there is nothing to add).
fn io_hint(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            "\n  = hint: the disk is full: free some space and build again \
             (nothing was written; earlier files are untouched)"
        }
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            "\n  = hint: choose an output folder you may write to (-o)"
        }
        std::io::ErrorKind::FileTooLarge => {
            "\n  = hint: the file is over the size this system allows for one file"
        }
        _ => "",
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(Box::new(d))
    }
}

impl Error {
    /// One error, or all of several in source order: the errors of a file together (the
    /// files in the order their first error came), by line and column; errors with no place
    /// in a file last.
    pub fn many(mut errors: Vec<Error>) -> Error {
        let mut files: Vec<PathBuf> = Vec::new();
        for d in errors.iter().filter_map(Error::diagnostic) {
            if !files.contains(&d.path) {
                files.push(d.path.clone());
            }
        }
        errors.sort_by_key(|e| match e.diagnostic() {
            Some(d) => (
                files
                    .iter()
                    .position(|f| *f == d.path)
                    .unwrap_or(usize::MAX),
                d.position.unwrap_or((0, 0)),
            ),
            None => (usize::MAX, (usize::MAX, usize::MAX)),
        });
        if errors.len() == 1 {
            if let Some(e) = errors.pop() {
                return e;
            }
        }
        Error::Many(errors)
    }

    /// The diagnostic of an error about a place in an input file.
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        match self {
            Error::Input(d) | Error::MissingGlyph(d) | Error::Font(d) => Some(d),
            _ => None,
        }
    }
}

/// Result with the library's error.
pub type Result<T> = std::result::Result<T, Error>;

/// Largest story, plan or layout file accepted (a resource bound).
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// Why a path cannot be read as an input file. Every input (story, plan, layout, font,
/// photo) and every cache entry is checked the same way, so the message names the real
/// problem: a folder, a FIFO or a device given as a file is never "not found", and never
/// read (a FIFO would block the build forever, `/dev/zero` would be read forever).
#[derive(Debug)]
pub enum FileProblem {
    /// Nothing at the path (or a folder on the way to it is missing or a file).
    NotFound,
    /// A symbolic link whose target is missing.
    BrokenLink,
    /// A folder.
    Folder,
    /// Something that is neither a file nor a folder: "a FIFO", "a device", "a socket".
    NotRegular(&'static str),
    /// Symbolic links that lead back to themselves (ELOOP).
    LinkLoop,
    /// The user may not read it.
    PermissionDenied,
    /// Any other failure of the system.
    Other(std::io::Error),
}

impl FileProblem {
    /// The problem an I/O error of an open or `stat` stands for. `path` tells a broken
    /// symbolic link from a missing file.
    pub fn from_io(path: &Path, e: std::io::Error) -> Self {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return FileProblem::LinkLoop;
        }
        match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => {
                let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
                if link {
                    FileProblem::BrokenLink
                } else {
                    FileProblem::NotFound
                }
            }
            std::io::ErrorKind::PermissionDenied => FileProblem::PermissionDenied,
            std::io::ErrorKind::IsADirectory => FileProblem::Folder,
            _ => FileProblem::Other(e),
        }
    }

    /// The problem with a file of this type, `None` for a regular file.
    pub fn of_type(t: std::fs::FileType) -> Option<Self> {
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some(FileProblem::Folder);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some(FileProblem::NotRegular("a FIFO"));
            }
            if t.is_socket() {
                return Some(FileProblem::NotRegular("a socket"));
            }
            if t.is_char_device() || t.is_block_device() {
                return Some(FileProblem::NotRegular("a device"));
            }
        }
        Some(FileProblem::NotRegular("not a file"))
    }

    /// The problem said of `subject` ("file", "font file", "file `stories/a.md`").
    pub fn describe(&self, subject: &str) -> String {
        match self {
            FileProblem::NotFound => format!("{subject} not found"),
            FileProblem::BrokenLink => {
                format!("{subject} not found: it is a symbolic link to a missing file")
            }
            FileProblem::Folder => format!("{subject} is a folder, not a file"),
            FileProblem::NotRegular(kind) => format!("{subject} is not a regular file ({kind})"),
            FileProblem::LinkLoop => {
                format!(
                    "{subject} cannot be opened: symbolic-link loop (a link leads back to itself)"
                )
            }
            FileProblem::PermissionDenied => format!("{subject} cannot be read: permission denied"),
            FileProblem::Other(e) => format!("{subject} cannot be read: {e}"),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            FileProblem::NotFound | FileProblem::BrokenLink => {
                "check the path; paths in a plan are relative to the plan's folder"
            }
            FileProblem::Folder => "give the path of a file, not of a folder",
            FileProblem::NotRegular(_) => {
                "give a regular file: a FIFO, a device or a socket cannot be read as input"
            }
            FileProblem::LinkLoop => "fix the symbolic links on the path",
            FileProblem::PermissionDenied => "make the file readable for this user (chmod a+r)",
            FileProblem::Other(_) => "check the file and the disk it is on",
        }
    }

    /// A diagnostic naming `path`: the problem said of `subject`, with its hint.
    pub fn diagnostic(&self, path: &Path, subject: &str) -> Diagnostic {
        Diagnostic::file(path, self.describe(subject)).with_hint(self.hint())
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe("file"))
    }
}

/// The metadata of `path` when it is a regular file (symbolic links followed), else why not.
/// For checks before the file is opened; [`open_regular`] is the one to read with.
pub fn regular_file(path: &Path) -> std::result::Result<std::fs::Metadata, FileProblem> {
    let meta = std::fs::metadata(path).map_err(|e| FileProblem::from_io(path, e))?;
    match FileProblem::of_type(meta.file_type()) {
        None => Ok(meta),
        Some(p) => Err(p),
    }
}

/// Opens `path` for reading when it is a regular file, with its metadata (from the open
/// file, so a file swapped after a check is seen). Opened without blocking: a FIFO put in
/// place of the file is refused, never waited on. Use this for every input file, e.g.
/// `let (file, meta) = open_regular(path).map_err(|p| p.diagnostic(path, "photo"))?;`.
pub fn open_regular(
    path: &Path,
) -> std::result::Result<(std::fs::File, std::fs::Metadata), FileProblem> {
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options
        .open(path)
        .map_err(|e| FileProblem::from_io(path, e))?;
    let meta = file.metadata().map_err(|e| FileProblem::from_io(path, e))?;
    match FileProblem::of_type(meta.file_type()) {
        None => Ok((file, meta)),
        Some(p) => Err(p),
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "file is 8,388,609 bytes, over the limit of 8,388,608 bytes (8 MiB)": a size over a
/// limit in exact bytes (never rounded to look equal), the limit also in MiB or KiB when it
/// is a whole number of them.
pub fn over_limit(subject: &str, size: u64, limit: u64) -> String {
    let unit = if limit >= 1 << 20 && limit.is_multiple_of(1 << 20) {
        format!(" ({} MiB)", limit >> 20)
    } else if limit >= 1 << 10 && limit.is_multiple_of(1 << 10) {
        format!(" ({} KiB)", limit >> 10)
    } else {
        String::new()
    };
    format!(
        "{subject} is {} bytes, over the limit of {} bytes{unit}",
        thousands(size),
        thousands(limit)
    )
}

/// Reads a UTF-8 text file (story, plan, layout), with a diagnostic naming the file and
/// the real problem on failure: missing, a folder, a FIFO or device, too large, not UTF-8.
pub fn read_text(path: &Path) -> Result<String> {
    use std::io::Read;
    let (file, meta) = open_regular(path).map_err(|p| p.diagnostic(path, "file"))?;
    let too_large = |size: u64| {
        Error::from(
            Diagnostic::file(path, over_limit("file", size, MAX_TEXT_BYTES))
                .with_hint("split the copy into several stories"),
        )
    };
    if meta.len() > MAX_TEXT_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Never more than the limit, even if the file grows while it is read.
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FileProblem::from_io(path, e).diagnostic(path, "file"))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(path, e))
}

/// The diagnostic for a file that is not UTF-8: GBK/GB18030 only when the bytes decode
/// cleanly as GB18030 into what looks like Chinese text; otherwise the first bad byte and
/// its place (and a note when the text reads plausibly as Latin-1/Windows-1252).
fn not_utf8(path: &Path, e: std::string::FromUtf8Error) -> Error {
    let off = e.utf8_error().valid_up_to();
    let bytes = e.as_bytes();
    let src = String::from_utf8_lossy(bytes).into_owned();
    let d = Diagnostic::at(path, &src, off, String::new());
    let (line, col) = d.position.unwrap_or((1, 1));
    let byte = bytes.get(off).copied().unwrap_or(0);
    let (msg, hint) = if looks_like_gbk(bytes) {
        (
            "file is not UTF-8: it looks like GBK/GB18030".to_string(),
            "convert it: `iconv -f GB18030 -t UTF-8 FILE > FILE.utf8`",
        )
    } else if looks_like_latin1(bytes) {
        (
            format!(
                "file is not valid UTF-8 (byte 0x{byte:02X} at line {line}, column {col}): \
                 it may be Latin-1/Windows-1252 text"
            ),
            "save the file as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`)",
        )
    } else {
        (
            format!("file is not valid UTF-8 (byte 0x{byte:02X} at line {line}, column {col})"),
            "save the file as UTF-8 text; if it is not a text file, check the path",
        )
    };
    // A binary file's "line" would put control characters on the terminal: place only.
    let source_line = d
        .source_line
        .filter(|l| !l.chars().any(|c| c.is_control() && c != '\t'));
    Error::from(
        Diagnostic {
            message: msg,
            source_line,
            ..d
        }
        .with_hint(hint),
    )
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
    } else if unquoted_range(source, at) {
        d = d.with_hint("ranges are strings: write them in quotes, e.g. lines = \"1-24\"");
    }
    d
}

/// Whether the TOML line at byte `at` of `source` sets `columns` or `lines` to an unquoted
/// range (`lines = 1-24`, which TOML reads as a broken date).
fn unquoted_range(source: &str, at: usize) -> bool {
    let start = source
        .get(..at)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |k| k + 1);
    let line = source
        .get(start..)
        .and_then(|l| l.lines().next())
        .unwrap_or("");
    let Some((key, value)) = line.split_once('=') else {
        return false;
    };
    let value = value.trim();
    matches!(key.trim(), "columns" | "lines")
        && !value.starts_with('"')
        && value.contains('-')
        && value.chars().next().is_some_and(|c| c.is_ascii_digit())
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
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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

/// Whether bytes that are not UTF-8 are GBK/GB18030 Chinese text. Judged on the lines that
/// are not UTF-8 (a file may have UTF-8 front matter and copy pasted in GBK): they must
/// decode cleanly as GB18030 (every byte in a valid one-, two- or four-byte sequence) and
/// hold no user-defined (private-use) codes, the file no control characters, and at least
/// half of their non-ASCII characters must be from GB 2312 (the common hanzi, CJK punctuation and
/// full-width forms that make up nearly all Chinese text; Latin-1 or binary bytes that
/// happen to pair up land mostly in the rare GBK extensions instead).
pub fn looks_like_gbk(bytes: &[u8]) -> bool {
    if bytes.iter().any(|&b| is_control(b)) {
        return false; // binary data, not text
    }
    let (mut common, mut wide) = (0usize, 0usize);
    for line in bytes.split(|&b| b == b'\n') {
        if std::str::from_utf8(line).is_ok() {
            continue;
        }
        match gb18030_counts(line) {
            Some((c, w)) => {
                common += c;
                wide += w;
            }
            None => return false,
        }
    }
    wide > 0 && common * 2 >= wide
}

/// For text that decodes cleanly as GB18030 with no control characters and no user-defined
/// codes: how many of its multi-byte characters are from GB 2312, and how many there are.
fn gb18030_counts(bytes: &[u8]) -> Option<(usize, usize)> {
    let (mut common, mut wide, mut i) = (0usize, 0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if is_control(b) {
                return None;
            }
            i += 1;
            continue;
        }
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        match (b, next(1)) {
            (0x81..=0xFE, t @ (0x40..=0x7E | 0x80..=0xFE)) => {
                match gb_class(b, t) {
                    GbClass::Common => common += 1,
                    GbClass::Rare => {}
                    GbClass::Private => return None,
                }
                wide += 1;
                i += 2;
            }
            (0x81..=0xFE, 0x30..=0x39)
                if (0x81..=0xFE).contains(&next(2)) && (0x30..=0x39).contains(&next(3)) =>
            {
                wide += 1;
                i += 4;
            }
            _ => return None,
        }
    }
    Some((common, wide))
}

/// What a two-byte GBK code is.
enum GbClass {
    /// GB 2312: hanzi, CJK punctuation, full-width forms and the other symbol rows.
    Common,
    /// The GBK extensions (rarer hanzi and symbols).
    Rare,
    /// User-defined areas: no text has these.
    Private,
}

/// The class of the two-byte GBK code `lead trail` (both in their valid ranges).
fn gb_class(lead: u8, trail: u8) -> GbClass {
    let high = trail >= 0xA1;
    match lead {
        0xA1..=0xA9 if high => GbClass::Common,
        0xB0..=0xF7 if high => GbClass::Common,
        0xAA..=0xAF | 0xF8..=0xFE if high => GbClass::Private,
        0xA1..=0xA7 => GbClass::Private,
        _ => GbClass::Rare,
    }
}

/// A C0 control character other than tab, line feed, form feed and carriage return, or DEL.
fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F
}

/// Whether bytes that are not UTF-8 read plausibly as Latin-1/Windows-1252 text: no control
/// characters, every high byte a character of Windows-1252, and mostly ASCII letters with a
/// few accented ones among them.
pub fn looks_like_latin1(bytes: &[u8]) -> bool {
    let (mut letters, mut high, mut visible) = (0usize, 0usize, 0usize);
    for &b in bytes {
        if b < 0x80 {
            if is_control(b) {
                return false;
            }
            letters += usize::from(b.is_ascii_alphabetic());
            visible += usize::from(!b.is_ascii_whitespace());
        } else {
            // 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned in Windows-1252.
            if matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
                return false;
            }
            high += 1;
            visible += 1;
        }
    }
    high > 0 && high * 3 <= visible && letters * 2 >= visible
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_errors_come_in_source_order() {
        let plan = "a\nb\nc\nd\n";
        let at = |file: &str, offset: usize| -> Error {
            Diagnostic::at(Path::new(file), plan, offset, format!("{file}@{offset}")).into()
        };
        let e = Error::many(vec![
            at("p.toml", 6),
            Error::Internal("no place".into()),
            at("story.md", 2),
            at("p.toml", 0),
            at("story.md", 0),
            at("p.toml", 4),
        ]);
        let Error::Many(all) = e else {
            panic!("not several")
        };
        let order: Vec<String> = all
            .iter()
            .map(|e| e.diagnostic().map_or("-".into(), |d| d.message.clone()))
            .collect();
        assert_eq!(
            order,
            [
                "p.toml@0",
                "p.toml@4",
                "p.toml@6",
                "story.md@0",
                "story.md@2",
                "-"
            ]
        );
    }

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

    /// 卫东新闻。 in GBK, and texts that are not GBK although their high bytes pair up.
    #[test]
    fn gbk_only_when_it_decodes_as_chinese_text() {
        let gbk = b"+++\nheadline = 1\n+++\n\xCE\xC0\xB6\xAB\xD0\xC2\xCE\xC5\xA1\xA3\n";
        assert!(looks_like_gbk(gbk));
        // UTF-8 front matter (标题) over copy in GBK: judged by the lines that are not UTF-8.
        let mixed = b"+++\nheadline = \"\xE6\xA0\x87\xE9\xA2\x98\"\n+++\n\xCE\xC0\xB6\xAB\n";
        assert!(looks_like_gbk(mixed));
        // A four-byte GB18030 sequence (U+0080) among hanzi is still GB18030.
        assert!(looks_like_gbk(b"\xCE\xC0\x81\x30\x81\x30\xB6\xAB"));
        // Latin-1: a lone high byte before a space or at the end is no GBK pair.
        assert!(!looks_like_gbk(b"caf\xE9 au lait"));
        assert!(!looks_like_gbk(b"d\xE9j\xE0"));
        // Pairs, but all in the rare GBK extensions (Latin-1 letters before ASCII ones).
        assert!(!looks_like_gbk(b"\xE9te \xE0la \xE8re"));
        // Control characters (binary data), user-defined codes, a truncated sequence.
        assert!(!looks_like_gbk(b"\x89PNG\r\n\x1A\n\xCE\xC0"));
        assert!(!looks_like_gbk(b"\xCE\xC0\x00\xB6\xAB"));
        assert!(!looks_like_gbk(b"\xAA\xA1\xCE\xC0"));
        assert!(!looks_like_gbk(b"\xCE\xC0\xB6"));
        assert!(!looks_like_gbk(b"\xCE\xC0\x81\x30\x81"));
        // Latin-1 is said to be plausible only for text.
        assert!(looks_like_latin1(b"caf\xE9 au lait, d\xE9j\xE0 vu"));
        assert!(!looks_like_latin1(b"\x89PNG\r\n\x1A\n\xCE\xC0"));
        assert!(!looks_like_latin1(b"\xCE\xC0\xB6\xAB"));
    }

    fn message(r: Result<String>) -> String {
        match r {
            Err(Error::Input(d)) => d.to_string(),
            Err(e) => panic!("not an input error: {e}"),
            Ok(s) => panic!("read: {s:?}"),
        }
    }

    #[test]
    fn not_utf8_names_the_byte_and_its_place() {
        let dir = crate::test_dir("not-utf8");
        let p = dir.join("s.md");
        std::fs::write(&p, b"+++\nheadline = \"x\"\n+++\nab\xFF\xFEcd\n").unwrap();
        let m = message(read_text(&p));
        assert!(
            m.contains("s.md:4:3: file is not valid UTF-8 (byte 0xFF at line 4, column 3)"),
            "{m}"
        );
        assert!(m.contains("save the file as UTF-8"), "{m}");
        assert!(!m.contains("GBK") && !m.contains("iconv -f GB18030"), "{m}");
        std::fs::write(&p, b"Caf\xE9 au lait, d\xE9j\xE0 vu\n").unwrap();
        let m = message(read_text(&p));
        assert!(m.contains("(byte 0xE9 at line 1, column 4)"), "{m}");
        assert!(m.contains("it may be Latin-1/Windows-1252"), "{m}");
        std::fs::write(&p, b"\xCE\xC0\xB6\xAB\n").unwrap();
        let m = message(read_text(&p));
        assert!(m.contains("it looks like GBK/GB18030"), "{m}");
        assert!(m.contains("iconv -f GB18030"), "{m}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sizes_over_a_limit_are_stated_in_bytes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(8_388_609), "8,388,609");
        assert_eq!(
            over_limit("photo", 67_108_865, 64 << 20),
            "photo is 67,108,865 bytes, over the limit of 67,108,864 bytes (64 MiB)"
        );
        assert_eq!(
            over_limit("x", 1001, 1000),
            "x is 1,001 bytes, over the limit of 1,000 bytes"
        );
        let dir = crate::test_dir("too-large");
        let p = dir.join("big.md");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(MAX_TEXT_BYTES + 1).unwrap(); // sparse: nothing written
        let m = message(read_text(&p));
        assert!(
            m.contains("file is 8,388,609 bytes, over the limit of 8,388,608 bytes (8 MiB)"),
            "{m}"
        );
        f.set_len(MAX_TEXT_BYTES).unwrap();
        assert_eq!(
            read_text(&p).unwrap().len() as u64,
            MAX_TEXT_BYTES,
            "at the limit"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn each_kind_of_non_file_is_named() {
        use std::os::unix::fs::symlink;
        let dir = crate::test_dir("file-kinds");
        let said = |p: &Path| message(read_text(p));
        std::fs::create_dir(dir.join("folder")).unwrap();
        assert!(said(&dir.join("folder")).contains("file is a folder, not a file"));
        let fifo = dir.join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        // Returns at once (a blocking open would wait for a writer forever).
        assert!(said(&fifo).contains("file is not a regular file (a FIFO)"));
        assert!(said(Path::new("/dev/zero")).contains("not a regular file (a device)"));
        symlink("/dev/zero", dir.join("zero-link")).unwrap();
        assert!(said(&dir.join("zero-link")).contains("(a device)"));
        symlink("loop-b", dir.join("loop-a")).unwrap();
        symlink("loop-a", dir.join("loop-b")).unwrap();
        let m = said(&dir.join("loop-a"));
        assert!(m.contains("symbolic-link loop"), "{m}");
        symlink("gone", dir.join("dangling")).unwrap();
        assert!(said(&dir.join("dangling")).contains("not found: it is a symbolic link"));
        let m = said(&dir.join("none.md"));
        assert!(m.contains("none.md: file not found"), "{m}");
        assert!(regular_file(&dir.join("fifo")).is_err());
        assert!(regular_file(&dir.join("folder")).is_err());
        // Permission (root may read anything, so from the error itself).
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let p = FileProblem::from_io(&dir, denied);
        assert_eq!(p.describe("file"), "file cannot be read: permission denied");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
