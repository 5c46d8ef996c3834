//! Inline emphasis in story copy (input-format.md Part 2): `**黑体强调**` (strong, the layout's
//! `strong` style), `*楷体*` (emphasis, its `emphasis` style) and `[着重号]{.dots}` (emphasis
//! dots under each Han character, clreq). `\*`, `\[`, `\]` and `\\` are the characters
//! themselves. A marker left open is set as written, with a note.

use std::ops::Range;

/// A kind of emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// 黑体强调: the `strong` style.
    Strong,
    /// 楷体: the `emphasis` style.
    Emphasis,
    /// 着重号: a dot under each Han character.
    Dots,
}

/// A span of emphasis: byte range in the paragraph's plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range in the plain text.
    pub range: Range<usize>,
    /// Its kind.
    pub kind: Emphasis,
}

/// A paragraph's plain text and its emphasis spans (in order, not overlapping), and whether a
/// marker was left open (set as written).
pub fn parse(text: &str) -> (String, Vec<Span>, bool) {
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut open: Option<(usize, Emphasis)> = None;
    let mut unclosed = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let n = c.len_utf8();
        if c == '\\' {
            if let Some(e) = rest[1..]
                .chars()
                .next()
                .filter(|e| matches!(e, '*' | '[' | ']' | '\\'))
            {
                out.push(e);
                rest = &rest[1 + e.len_utf8()..];
                continue;
            }
        }
        match (c, open) {
            ('*', _) if rest.starts_with("**") => {
                match open {
                    Some((from, Emphasis::Strong)) => {
                        spans.push(Span {
                            range: from..out.len(),
                            kind: Emphasis::Strong,
                        });
                        open = None;
                    }
                    None if closes(&rest[2..], "**") => open = Some((out.len(), Emphasis::Strong)),
                    _ => {
                        out.push_str("**");
                        unclosed = true;
                    }
                }
                rest = &rest[2..];
                continue;
            }
            ('*', Some((from, Emphasis::Emphasis))) => {
                spans.push(Span {
                    range: from..out.len(),
                    kind: Emphasis::Emphasis,
                });
                open = None;
            }
            ('*', None) if closes(&rest[1..], "*") => open = Some((out.len(), Emphasis::Emphasis)),
            ('[', None) => {
                if let Some(end) = dots_end(&rest[1..]) {
                    let inner = &rest[1..1 + end];
                    let from = out.len();
                    out.push_str(&unescape(inner));
                    spans.push(Span {
                        range: from..out.len(),
                        kind: Emphasis::Dots,
                    });
                    rest = &rest[1 + end + "]{.dots}".len()..];
                    continue;
                }
                out.push(c);
            }
            ('*', _) => {
                out.push(c);
                unclosed = true;
            }
            _ => out.push(c),
        }
        rest = &rest[n..];
    }
    if let Some((from, _)) = open {
        // Never closed after all: the text stays, unemphasised.
        let _ = from;
        unclosed = true;
    }
    spans.retain(|s| !s.range.is_empty());
    (out, spans, unclosed)
}

/// Whether `rest` holds an unescaped `marker` later on.
fn closes(rest: &str, marker: &str) -> bool {
    let mut r = rest;
    while let Some(i) = r.find(['\\', '*']) {
        if r[i..].starts_with('\\') {
            r = r.get(i + 2..).unwrap_or("");
            continue;
        }
        if r[i..].starts_with(marker) && (marker == "**" || !r[i..].starts_with("**")) {
            return true;
        }
        r = &r[i + 1..];
    }
    false
}

/// The end of `…]{.dots}` in `rest` (the text after `[`): the offset of its `]`.
fn dots_end(rest: &str) -> Option<usize> {
    let mut i = 0;
    let bytes = rest.as_bytes();
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b']' => return rest[i..].starts_with("]{.dots}").then_some(i),
            b'[' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Escapes undone inside a dots span.
fn unescape(s: &str) -> String {
    parse(s).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> (String, Vec<(String, Emphasis)>) {
        let (plain, spans, _) = parse(text);
        let v = spans
            .iter()
            .map(|s| (plain[s.range.clone()].to_string(), s.kind))
            .collect();
        (plain, v)
    }

    #[test]
    fn markers_become_spans_of_plain_text() {
        let (plain, v) = kinds("这是**加粗**和*楷体*，还有[着重号]{.dots}。");
        assert_eq!(plain, "这是加粗和楷体，还有着重号。");
        assert_eq!(
            v,
            vec![
                ("加粗".into(), Emphasis::Strong),
                ("楷体".into(), Emphasis::Emphasis),
                ("着重号".into(), Emphasis::Dots)
            ]
        );
    }

    #[test]
    fn escapes_and_open_markers_are_text() {
        let (plain, spans, open) = parse("星号\\*与\\[括号\\]，单个*星号");
        assert_eq!(plain, "星号*与[括号]，单个*星号");
        assert!(spans.is_empty());
        assert!(open);
        let (plain, spans, _) = parse("[普通方括号]与5*3=15");
        assert_eq!(plain, "[普通方括号]与5*3=15");
        assert!(spans.is_empty());
    }
}
