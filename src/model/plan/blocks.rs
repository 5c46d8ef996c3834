//! Free text blocks of a page plan (`[[text]]`, input-format.md Part 2): 导读, section labels
//! (栏目名), notices and 压图题, each in a frame of its own that may lie over a photo but never
//! over a story; and the masthead's band, which no frame may enter.

use super::{Ctx, GridArea, RawStory, StoryPlacement};
use crate::error::{read_text, Result};
use crate::model::Cmyk;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// A free text block.
#[derive(Debug, Clone)]
pub struct TextBlock {
    /// Its frame.
    pub area: GridArea,
    /// Its text: paragraphs separated by `\n` (forced breaks).
    pub text: String,
    /// Its type style.
    pub style: String,
    /// The colour of its type (the style's unless the block gives one).
    pub colour: Cmyk,
    /// A colour filled behind it.
    pub tint: Option<Cmyk>,
    /// How its lines sit across the frame (along them, for a vertical block: top, centre,
    /// foot).
    pub align: Align,
    /// Horizontal, or vertical (lines top to bottom, right to left, centred across the frame).
    pub direction: super::Direction,
}

/// Where a text block's lines sit across its frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// At the left.
    Start,
    /// Centred.
    Center,
    /// At the right.
    End,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawText {
    columns: Spanned<String>,
    lines: Spanned<String>,
    text: Option<Spanned<String>>,
    file: Option<Spanned<String>>,
    style: Option<Spanned<String>>,
    colour: Option<Spanned<String>>,
    tint: Option<Spanned<String>>,
    #[serde(default = "start")]
    align: Align,
    direction: Option<Spanned<String>>,
}

fn start() -> Align {
    Align::Start
}

/// A `[[text]]` checked: its frame on the grid, its text (given, or read from a file beside
/// the plan), its style and colours known to the layout.
pub(super) fn text_block(ctx: &Ctx, dir: &Path, raw: &RawText) -> Result<TextBlock> {
    let area = ctx.area(&raw.columns, &raw.lines)?;
    let text = match (&raw.text, &raw.file) {
        (Some(t), None) => {
            super::super::chars::check_value(ctx.path, ctx.src, "text", t.get_ref())?;
            if let Some((_, what)) = markup(t.get_ref()) {
                return Err(ctx
                    .err(
                        t.span().start,
                        format!("this [[text]] holds {what}, which a text block does not set"),
                    )
                    .with_hint(MARKUP_HINT)
                    .into());
            }
            unescape(t.get_ref())
        }
        (None, Some(f)) => {
            let path = ctx.existing(dir, f)?;
            let src = read_text(&path)?;
            super::super::chars::check_source(&path, &src)?;
            let body = body_of(&src);
            if let Some((at, what)) = markup(body) {
                let offset = src.len() - body.len() + at;
                return Err(crate::error::Diagnostic::at(
                    &path,
                    &src,
                    offset,
                    format!("{what}, which a text block does not set"),
                )
                .with_hint(MARKUP_HINT)
                .into());
            }
            paragraphs(body)
        }
        _ => {
            return Err(ctx
                .err(
                    raw.columns.span().start,
                    "a [[text]] needs `text = \"…\"` or `file = \"….md\"` (one of them)".into(),
                )
                .into())
        }
    };
    if text.trim().is_empty() {
        return Err(ctx
            .err(raw.columns.span().start, "this [[text]] has no text".into())
            .into());
    }
    let direction = super::direction(ctx, "direction", raw.direction.as_ref())?.unwrap_or_default();
    let style = match &raw.style {
        Some(s) if !ctx.layout.styles.contains_key(s.get_ref()) => {
            let known = ctx.layout.styles.keys().cloned().collect::<Vec<_>>();
            return Err(ctx
                .err(s.span().start, format!("unknown style `{}`", s.get_ref()))
                .with_hint(format!(
                    "styles of layout {}: {}",
                    ctx.layout.name,
                    known.join(", ")
                ))
                .into());
        }
        Some(s) => s.get_ref().clone(),
        None => "kicker".to_string(),
    };
    let colour = match &raw.colour {
        Some(c) => ctx.colour(c)?,
        None => ctx.layout.style(&style).colour,
    };
    let tint = match &raw.tint {
        Some(t) => Some(ctx.colour(t)?),
        None => None,
    };
    Ok(TextBlock {
        area,
        text,
        style,
        colour,
        tint,
        align: raw.align,
        direction,
    })
}

/// What to do about Markdown markup in a text block.
const MARKUP_HINT: &str = "a text block sets plain paragraphs (emphasis is not built yet): \
remove the markers, or escape a literal one as \\* or \\[";

/// A text file's body: after a front matter between `+++` (or `---`) lines.
fn body_of(src: &str) -> &str {
    for fence in ["+++", "---"] {
        if let Some(rest) = src.strip_prefix(fence) {
            if let Some(at) = rest.find(&format!("\n{fence}")) {
                let after = &rest[at + 1 + fence.len()..];
                return after.strip_prefix('\n').unwrap_or(after);
            }
        }
    }
    src
}

/// The first Markdown markup in `text` that a text block would print as written: its byte
/// offset and what it is (a heading, emphasis, emphasis dots). Escaped marks are text.
fn markup(text: &str) -> Option<(usize, &'static str)> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('#') {
            return Some((at + line.len() - t.len(), "a Markdown heading (#)"));
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => i += 1,
                b'*' => return Some((at + i, "Markdown emphasis (* or **)")),
                b']' if line.get(i + 1..).is_some_and(|r| r.starts_with("{.")) => {
                    return Some((at + i, "emphasis dots ([…]{.dots})"))
                }
                _ => {}
            }
            i += 1;
        }
        at += line.len();
    }
    None
}

/// `text` with its escapes (`\*`, `\[`, `\]`, `\\`) made the characters they stand for.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&n)) if matches!(n, '*' | '[' | ']' | '\\' | '#') => {
                out.push(n);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A text body's paragraphs (separated by blank lines), each on one line, escapes undone.
fn paragraphs(body: &str) -> String {
    body.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(""))
        .filter(|p| !p.is_empty())
        .map(|p| unescape(&p))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A frame and the byte offset of the plan key that places it.
pub(super) type Located = (usize, GridArea);

/// The frames a page's furniture may not share: a text block over a story, two text blocks,
/// any frame in the masthead's band. `raw_*` locate the frames at fault.
pub(super) fn check_furniture(
    ctx: &Ctx,
    (raw_stories, stories): (&[RawStory], &[StoryPlacement]),
    (raw_texts, texts): (&[RawText], &[TextBlock]),
    masthead: Option<(usize, GridArea)>,
    (photos, ads): (&[Located], &[Located]),
) -> Result<()> {
    // An ad's slot is the advertiser's: no story, photo, text block or other ad in it.
    for (k, (at, slot)) in ads.iter().enumerate() {
        let others = stories
            .iter()
            .map(|s| (s.area, "story"))
            .chain(texts.iter().map(|t| (t.area, "text block")))
            .chain(photos.iter().map(|(_, a)| (*a, "photo")))
            .chain(ads.iter().take(k).map(|(_, a)| (*a, "ad")));
        for (area, what) in others {
            if area.overlaps(slot) {
                return Err(ctx
                    .err(
                        *at,
                        format!("this ad's slot ({slot}) overlaps a {what} frame ({area})"),
                    )
                    .with_hint(
                        "an ad is placed as delivered: nothing else may share its grid cells",
                    )
                    .into());
            }
        }
    }
    for (i, t) in texts.iter().enumerate() {
        let at = raw_texts.get(i).map_or(0, |r| r.columns.span().start);
        if let Some(s) = stories.iter().find(|s| s.area.overlaps(&t.area)) {
            return Err(ctx
                .err(
                    at,
                    format!(
                        "this [[text]] ({}) overlaps the frame of story `{}` ({})",
                        t.area,
                        s.file.display(),
                        s.area
                    ),
                )
                .with_hint("a text block may lie over a photo, never over a story")
                .into());
        }
        if let Some(o) = texts.iter().take(i).find(|o| o.area.overlaps(&t.area)) {
            return Err(ctx
                .err(
                    at,
                    format!(
                        "this [[text]] ({}) overlaps another one ({})",
                        t.area, o.area
                    ),
                )
                .into());
        }
    }
    let Some((key, band)) = masthead else {
        return Ok(());
    };
    let frames = raw_stories
        .iter()
        .zip(stories)
        .map(|(r, s)| (r.columns.span().start, s.area, "story"))
        .chain(
            raw_texts
                .iter()
                .zip(texts)
                .map(|(r, t)| (r.columns.span().start, t.area, "text")),
        )
        .chain(photos.iter().map(|(at, a)| (*at, *a, "photo")))
        .chain(ads.iter().map(|(at, a)| (*at, *a, "ad")));
    for (at, area, what) in frames {
        if area.overlaps(&band) {
            return Err(ctx
                .err(
                    at,
                    format!("this {what} frame ({area}) enters the masthead's band ({band})"),
                )
                .with_hint(format!(
                    "`masthead = true` (line {}) gives the band to the nameplate; move the frame \
                     below line {} or beside columns {}-{}",
                    ctx.line_of(key),
                    band.lines.1,
                    band.columns.0,
                    band.columns.1
                ))
                .into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_is_its_paragraphs() {
        let src = "+++\nid = \"x\"\n+++\n今日导读\n第二行\n\n\n要闻　第2版\n";
        assert_eq!(paragraphs(body_of(src)), "今日导读第二行\n要闻　第2版");
        let src = "---\ntitle: x\n---\n正文一段\n";
        assert_eq!(paragraphs(body_of(src)), "正文一段");
        assert_eq!(paragraphs("星号\\*与\\[括号\\]"), "星号*与[括号]");
    }

    #[test]
    fn markup_a_text_block_would_print_is_found() {
        assert_eq!(markup("这是**加粗**").map(|m| m.0), Some(6));
        assert!(markup("*楷体*").is_some());
        assert_eq!(markup("一行\n# 标题").map(|m| m.0), Some(7));
        assert!(markup("[着重号]{.dots}").unwrap().1.contains("dots"));
        assert_eq!(markup("星号\\*与\\[括号\\] 和 [普通方括号]"), None);
    }
}
