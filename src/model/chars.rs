//! Control characters in the input: refused with their position, never dropped in silence.
//!
//! A NUL, a BEL or an escape (copied in from a wire feed, a terminal or a broken export) has no
//! glyph and no meaning on a page: set, it would vanish while the copy-fit counts it; so every
//! text that reaches the page is checked here and a control character is an error naming the
//! file, the line and the character. Line feeds and tabs are white space; a carriage return
//! ends a line (Windows and old Mac files).

use crate::error::{Diagnostic, Result};
use std::path::Path;

/// The first control character of `text` that may not appear in copy: any C0 or C1 control
/// but line feed, carriage return and tab, and DEL. Returns its byte offset and the character.
pub fn first_control(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// The short name of a control character, for messages (`NUL`, `BEL`, `ESC`, …).
fn name(c: char) -> &'static str {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
        "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
        "ESC", "FS", "GS", "RS", "US",
    ];
    match c as u32 {
        n @ 0..=31 => C0.get(n as usize).copied().unwrap_or("control"),
        0x7F => "DEL",
        _ => "C1 control",
    }
}

/// Describes a control character: `U+0007 (BEL)`.
fn describe(c: char) -> String {
    format!("U+{:04X} ({})", c as u32, name(c))
}

/// Refuses a file's text (a story) holding a control character, pointing at it.
pub fn check_source(path: &Path, source: &str) -> Result<()> {
    match first_control(source) {
        None => Ok(()),
        Some((at, c)) => Err(control_at(path, source, at, c).into()),
    }
}

/// The diagnostic for the control character `c` at byte `at` of a file's text (also where
/// it is written as a reference, as in XML's `&#x85;`).
pub fn control_at(path: &Path, source: &str, at: usize, c: char) -> Diagnostic {
    Diagnostic::at(
        path,
        source,
        at,
        format!("control character {} in the text", describe(c)),
    )
    .with_hint(
        "delete it: it has no glyph and would vanish from the page (most editors do not \
         show it; `grep -nP '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]' FILE` finds it)",
    )
}

/// Refuses a TOML string `value` of `key` holding a control character (written as an escape
/// such as `\u0007`); the diagnostic points at the escape in `source` when it can be found,
/// else at the key.
pub fn check_value(path: &Path, source: &str, key: &str, value: &str) -> Result<()> {
    let Some((_, c)) = first_control(value) else {
        return Ok(());
    };
    let n = c as u32;
    let escapes = [
        format!("\\u{n:04X}"),
        format!("\\u{n:04x}"),
        format!("\\U{n:08X}"),
        format!("\\U{n:08x}"),
        format!("\\x{n:02X}"),
        format!("\\x{n:02x}"),
        match c {
            '\u{8}' => "\\b".into(),
            '\u{c}' => "\\f".into(),
            '\u{1b}' => "\\e".into(),
            _ => String::from("\u{0}"),
        },
    ];
    let at = escapes
        .iter()
        .filter_map(|e| source.find(e.as_str()))
        .min()
        .or_else(|| source.find(&format!("{key} =")))
        .or_else(|| source.find(key))
        .unwrap_or(0);
    Err(Diagnostic::at(
        path,
        source,
        at,
        format!("`{key}` holds the control character {}", describe(c)),
    )
    .with_hint("remove the escape: a control character has no glyph and would vanish from the page")
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_but_white_space_is_not() {
        assert_eq!(first_control("正文\t一\r\n二\n"), None);
        assert_eq!(first_control("正文\u{0}"), Some((6, '\u{0}')));
        assert_eq!(first_control("a\u{7f}"), Some((1, '\u{7f}')));
        assert_eq!(first_control("a\u{85}"), Some((1, '\u{85}')));
    }

    #[test]
    fn messages_name_the_character_and_its_place() {
        let src = "+++\nheadline = \"a\"\n+++\n\n第一段\u{7}正文\n";
        let e = check_source(Path::new("s.md"), src)
            .unwrap_err()
            .to_string();
        assert!(e.contains("s.md:5:4") && e.contains("U+0007 (BEL)"), "{e}");
        let src = "number = 1\ncaption = \"说明\\u001B文字\"\n";
        let e = check_value(Path::new("p.toml"), src, "caption", "说明\u{1b}文字")
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.toml:2:") && e.contains("U+001B (ESC)"), "{e}");
        assert!(e.contains("`caption`"), "{e}");
    }
}
