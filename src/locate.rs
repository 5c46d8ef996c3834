//! Diagnostics located after the fact: a fault found while composing a page, pointed at the
//! line of the plan or edition that asked for it (the file is read again, on the error path
//! only).

/// The first `n` characters of `text`, with … when cut, for messages.
pub fn clip(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

/// A diagnostic at the line of `file` that sets `key` (read again: only on the error path).
pub fn at_key(file: &std::path::Path, key: &str, msg: String) -> crate::error::Diagnostic {
    let src = std::fs::read_to_string(file).unwrap_or_default();
    let at = crate::model::layout::key_offset(&src, key);
    crate::error::Diagnostic::at(file, &src, at, msg)
}

/// A diagnostic at the first line of `file` holding `text` (its first characters), else at the
/// line that sets `key`.
pub fn at_text(
    file: &std::path::Path,
    (text, key): (&str, &str),
    msg: String,
) -> crate::error::Diagnostic {
    let src = std::fs::read_to_string(file).unwrap_or_default();
    let head: String = text.trim().chars().take(8).collect();
    let at = (!head.is_empty())
        .then(|| src.find(&head))
        .flatten()
        .unwrap_or_else(|| crate::model::layout::key_offset(&src, key));
    crate::error::Diagnostic::at(file, &src, at, msg)
}
