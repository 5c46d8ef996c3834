//! Story files: `+++` TOML front matter (kicker, headline, subhead, byline), then the copy;
//! `.xml` wire stories (NITF, NewsML-G2) are read by `super::wire`.

use crate::error::{read_text, toml_diagnostic, Diagnostic, Result};
use serde::Deserialize;
use std::path::Path;

/// One story as the editor wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// The file name without its extension (`.md`, `.xml`).
    pub id: String,
    /// 引题 (kicker), above the headline.
    pub kicker: Option<String>,
    /// 主题 (main headline); `\n` forces a break.
    pub headline: String,
    /// 副题 (subhead), below the headline.
    pub subhead: Option<String>,
    /// 电头 such as `本报讯（记者…）`, set at the start of the first paragraph.
    pub byline: Option<String>,
    /// 转版题: a short headline at the head of the story's first frame on a later page.
    pub continued: Option<String>,
    /// Paragraphs and cross-heads in order.
    pub blocks: Vec<Block>,
    /// Warnings about the copy, each with its line: Markdown it does not read (a list, a
    /// quote, a link, a heading other than `## `), set as it stands; in a wire story, markup
    /// it does not map (emphasis, media, tables, unknown elements).
    pub notes: Vec<String>,
}

/// A unit of copy.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of body text (lines already joined).
    Paragraph(String),
    /// A cross-head (分题), from a line starting with `## `.
    CrossHead(String),
    /// A paragraph with emphasis: its plain text and the spans (`**…**`, `*…*`, `[…]{.dots}`).
    Rich(String, Vec<super::emphasis::Span>),
}

impl Block {
    /// The block's text (without markers).
    pub fn text(&self) -> &str {
        match self {
            Block::Paragraph(t) | Block::CrossHead(t) | Block::Rich(t, _) => t,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    kicker: Option<String>,
    headline: String,
    subhead: Option<String>,
    byline: Option<String>,
    continued: Option<String>,
}

/// Reads and parses a story file.
pub fn load_story(path: &Path) -> Result<Story> {
    let source = read_text(path)?;
    parse_story(path, &source)
}

/// Parses a story's text; `path` names it in diagnostics. An `.xml` file, or one not named
/// `.md` whose text starts with `<`, is a wire story (NITF or NewsML-G2).
pub fn parse_story(path: &Path, source: &str) -> Result<Story> {
    if is_wire(path, source) {
        return super::wire::parse_wire(path, source);
    }
    parse_markdown(path, source)
}

/// Whether a story file is XML: by its `.xml` name, or (not named `.md`) by its first
/// character.
pub fn is_wire(path: &Path, source: &str) -> bool {
    let ext = |e: &str| path.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    ext("xml")
        || !ext("md")
            && source
                .trim_start_matches(|c: char| c == '\u{feff}' || c.is_ascii_whitespace())
                .starts_with('<')
}

/// Parses a Markdown story: `+++` front matter, then the copy.
fn parse_markdown(path: &Path, source: &str) -> Result<Story> {
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    super::chars::check_source(path, source)?;
    // A lone carriage return (an old Mac file) ends a line: read as a line feed, byte for
    // byte, so positions in messages stay those of the file.
    let lf;
    let source = if source.contains('\r') {
        lf = lone_cr_as_lf(source);
        lf.as_str()
    } else {
        source
    };
    let src = source.strip_prefix('\u{feff}').unwrap_or(source);
    let bom = source.len() - src.len();
    let first = src.lines().next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(Diagnostic::at(path, source, bom, "story does not start with `+++` front matter")
            .with_hint("begin the file with a line `+++`, the TOML keys (headline = \"…\"), and a closing `+++`")
            .into());
    }
    let fm_start = bom + first.len() + 1;
    let rest = src.get(first.len() + 1..).unwrap_or("");
    let close = find_closing(rest).ok_or_else(|| {
        Diagnostic::at(path, source, bom, "front matter is not closed")
            .with_hint("add a line `+++` after the front matter keys")
    })?;
    let fm_text = rest.get(..close).unwrap_or("");
    let fm: FrontMatter =
        toml::from_str(fm_text).map_err(|e| toml_diagnostic(path, source, fm_start, &e))?;
    for (key, value) in [
        ("kicker", &fm.kicker),
        ("subhead", &fm.subhead),
        ("byline", &fm.byline),
        ("continued", &fm.continued),
    ] {
        super::chars::check_value(path, source, key, value.as_deref().unwrap_or(""))?;
    }
    super::chars::check_value(path, source, "headline", &fm.headline)?;
    if fm.headline.trim().is_empty() {
        return Err(
            Diagnostic::at(path, source, fm_start, "the headline is empty")
                .with_hint("write the story's 主题 in `headline = \"…\"`")
                .into(),
        );
    }
    let body = rest.get(close..).unwrap_or("");
    let body = body.split_once('\n').map_or("", |(_, b)| b);
    let blocks = parse_blocks(body);
    let body_line = source
        .get(..source.len() - body.len())
        .map_or(1, |h| h.lines().count() + 1);
    let notes = unread_markdown(body, body_line);
    if blocks.is_empty() {
        return Err(
            Diagnostic::file(path, "the story has no copy after its front matter")
                .with_hint("add at least one paragraph, or leave the story out of the page plan")
                .into(),
        );
    }
    Ok(Story {
        id,
        kicker: non_empty(fm.kicker),
        headline: fm.headline,
        subhead: non_empty(fm.subhead),
        byline: non_empty(fm.byline),
        continued: non_empty(fm.continued),
        blocks,
        notes,
    })
}

/// `text` with every carriage return not followed by a line feed made a line feed (the same
/// length: one byte for one).
fn lone_cr_as_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') {
            '\n'
        } else {
            c
        });
    }
    out
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// Byte offset (within `rest`) of the closing `+++` line.
fn find_closing(rest: &str) -> Option<usize> {
    let mut off = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some(off);
        }
        off += line.len();
    }
    None
}

/// Splits copy into paragraphs (runs of non-blank lines) and cross-heads.
fn parse_blocks(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para = String::new();
    let flush = |para: &mut String, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            let (plain, spans, _) = super::emphasis::parse(para);
            para.clear();
            blocks.push(if spans.is_empty() {
                Block::Paragraph(plain)
            } else {
                Block::Rich(plain, spans)
            });
        }
    };
    // A carriage return ends a line, alone (old Mac files) as before a line feed.
    for line in body.split('\n').flat_map(|l| l.split('\r')) {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut para, &mut blocks);
        } else if let Some(head) = line.strip_prefix("## ") {
            flush(&mut para, &mut blocks);
            blocks.push(Block::CrossHead(head.trim().to_string()));
        } else {
            join_line(&mut para, line);
        }
    }
    flush(&mut para, &mut blocks);
    blocks
}

/// Lines of the copy that look like Markdown paiban does not read — set as they stand, so a
/// `- ` or `> ` or `[text](url)` would print: a note each, with its line (`first` is the
/// copy's first line in the file).
fn unread_markdown(body: &str, first: usize) -> Vec<String> {
    let mut notes = Vec::new();
    for (k, line) in body.lines().enumerate() {
        let t = line.trim_start();
        let numbered = t
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        let hashes = t.chars().take_while(|c| *c == '#').count();
        let heading = hashes > 0 && hashes != 2 && t[hashes..].starts_with(' ');
        let what = if heading {
            Some("a heading other than `## ` (a cross-head)")
        } else if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || numbered {
            Some("a list item")
        } else if t.starts_with("> ") {
            Some("a block quote")
        } else if t.contains("](") && t.contains('[') {
            Some("a link")
        } else if super::emphasis::parse(t).2 {
            Some("an emphasis marker (*) left open")
        } else {
            None
        };
        if let Some(what) = what {
            notes.push(format!(
                "line {}: {what} is not read as Markdown; it is set as written",
                first + k
            ));
        }
    }
    notes
}

/// Joins a line to a paragraph: no space between CJK, one space between Latin words.
fn join_line(para: &mut String, line: &str) {
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if latin(para.chars().last()) && latin(line.chars().next()) {
        para.push(' ');
    }
    para.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Story> {
        parse_story(Path::new("stories/a.md"), s)
    }

    #[test]
    fn paragraphs_crossheads_and_joins() {
        let s = parse("+++\nheadline = \"标题\"\nbyline = \"本报讯\"\n+++\n\n第一段\n接着\n\n## 小标题\nGDP\ngrowth\n").unwrap();
        assert_eq!(s.id, "a");
        assert_eq!(s.byline.as_deref(), Some("本报讯"));
        assert_eq!(
            s.blocks,
            vec![
                Block::Paragraph("第一段接着".into()),
                Block::CrossHead("小标题".into()),
                Block::Paragraph("GDP growth".into())
            ]
        );
    }

    #[test]
    fn markdown_it_does_not_read_is_noted_with_its_line() {
        let s = parse(
            "+++\nheadline = \"标题\"\n+++\n\n第一段\n\n### 小标题\n- 一项\n1. 二项\n> 引文\n见[链接](http://x.cn)\n#话题#正文\n## 分题\n",
        )
        .unwrap();
        let lines: Vec<&str> = s
            .notes
            .iter()
            .map(|n| n.split(':').next().unwrap())
            .collect();
        assert_eq!(
            lines,
            ["line 7", "line 8", "line 9", "line 10", "line 11"],
            "{:?}",
            s.notes
        );
        assert!(s.notes[0].contains("heading") && s.notes[1].contains("list"));
        assert!(s.notes[3].contains("quote") && s.notes[4].contains("link"));
    }

    #[test]
    fn an_old_mac_file_reads_as_lines() {
        let s = parse("+++\rheadline = \"标题\"\r+++\r\r第一段\r接着\r\r第二段\r").unwrap();
        assert_eq!(s.headline, "标题");
        assert_eq!(
            s.blocks,
            vec![
                Block::Paragraph("第一段接着".into()),
                Block::Paragraph("第二段".into())
            ]
        );
        let e = parse("+++\rheadline = 3\r+++\r\r正文\r")
            .unwrap_err()
            .to_string();
        assert!(e.contains("stories/a.md:2:"), "{e}");
    }

    #[test]
    fn carriage_returns_end_lines_and_controls_are_refused() {
        // Windows line ends, and an old Mac file's lone CR, end lines as a line feed does.
        let s =
            parse("+++\r\nheadline = \"标题\"\r\n+++\r\n\r\n第一\r段\r\n\r\n第二段\r\n").unwrap();
        assert_eq!(
            s.blocks,
            vec![
                Block::Paragraph("第一段".into()),
                Block::Paragraph("第二段".into())
            ]
        );
        let e = parse("+++\nheadline = \"标\\u0000题\"\n+++\n\n正文\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("stories/a.md:2:") && e.contains("U+0000 (NUL)"),
            "{e}"
        );
        let e = parse("+++\nheadline = \"标题\"\n+++\n\n正\u{1b}文\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("stories/a.md:5:2") && e.contains("U+001B (ESC)"),
            "{e}"
        );
    }

    #[test]
    fn broken_front_matter_points_at_line() {
        let e = parse("+++\nheadline = \"标题\nkicker = 1\n+++\n正文\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("stories/a.md:2:"), "{s}");
        let e = parse("+++\nheadlin = \"x\"\n+++\n正文\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown field") && e.contains("stories/a.md:2:1"),
            "{e}"
        );
        let e = parse("+++\nkicker = \"x\"\n+++\n正文\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing field `headline`"), "{e}");
        let e = parse("+++\nheadline = \"x\"\n正文\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not closed"), "{e}");
        let e = parse("headline = \"x\"\n").unwrap_err().to_string();
        assert!(e.contains("does not start with `+++`"), "{e}");
        let e = parse("+++\nheadline = \"x\"\n+++\n\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no copy"), "{e}");
    }
}
