//! Wire stories: IPTC NITF 3.x and NewsML-G2 (with inline NITF or XHTML) read into a `Story`.
//!
//! Mapped (input-format.md Part 2, "Story copy: emphasis and wire formats"): `hedline/hl1`
//! (NewsML-G2: `contentMeta/headline`, else the inline NITF's `hl1`, else XHTML's first `h1`)
//! → headline; `hedline/hl2` (NewsML-G2: `headline role="hlrole:sub"`) → subhead; `byline`
//! (NewsML-G2: `contentMeta/by`) → byline; body `p` → paragraphs; body `hl2` and XHTML `h2` →
//! cross-heads. Elements are matched by local name, never by prefix or namespace. XML layout
//! white space is collapsed by script (`collapse`).
//!
//! What it does not do, each reported in `Story::notes` with its line, never dropped in
//! silence: emphasis (`em`, `b`, `strong`, `i`: set as plain text, one note per story); media
//! (`media`, `img`, `figure`: named, never placed, photos come from the page plan); tables and
//! lists (set as paragraphs, one per row or item); other markup it does not know (its text set
//! as a paragraph where it stands in the copy, else named with its text); printable fields with
//! no place in a story (a `dateline`, an `abstract`, NewsML-G2's `description`: named with their
//! text); transcoding (the text is UTF-8: a declaration of another encoding is noted, the UTF-8
//! read); `remoteContent` (not fetched). Metadata (NITF `head`, NewsML-G2 `itemMeta` and the
//! rest of `contentMeta`) is not copy and is skipped.

use super::story::{Block, Story};
use crate::error::{Diagnostic, Result};
use roxmltree::{Document, Node, ParsingOptions};
use std::path::Path;

/// More notes than this on one story are summed up in one last note.
const MAX_NOTES: usize = 60;
/// Containers nested deeper than this are read as one paragraph of their text.
const MAX_DEPTH: usize = 48;
/// Marks a forced break (`<br/>`) in a headline until white space is collapsed.
const BREAK: char = '\0';

/// Where an emphasis element opens and closes in a paragraph's raw text: Unicode
/// noncharacters (for a program's internal use; refused in copy, so never confused with
/// text), taken out again before the paragraph is stored.
const OPEN_STRONG: char = '\u{FDD0}';
const OPEN_EMPHASIS: char = '\u{FDD1}';
const CLOSE: char = '\u{FDD2}';

/// Whether `c` is one of the emphasis markers.
fn is_marker(c: char) -> bool {
    matches!(c, OPEN_STRONG | OPEN_EMPHASIS | CLOSE)
}

/// Reads a NITF or NewsML-G2 story; `path` names it in diagnostics, its stem is the story's id.
pub fn parse_wire(path: &Path, source: &str) -> Result<Story> {
    super::chars::check_source(path, source)?;
    let options = ParsingOptions {
        // NITF files often name their DTD; it is never fetched (no entity resolver), and
        // roxmltree bounds entity expansion.
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(source, options)
        .map_err(|e| xml_diagnostic(path, source, &e))?;
    let mut reader = Reader::new(path, source);
    reader.note_encoding();
    let root = doc.root_element();
    match root.tag_name().name() {
        "nitf" => reader.nitf(root)?,
        "newsItem" => reader.news_item(root)?,
        other => {
            let (message, hint) = if other == "newsMessage" {
                (
                    "this NewsML-G2 file is a newsMessage (a bundle of items)".to_string(),
                    "save each story's newsItem as a file of its own",
                )
            } else {
                (
                    format!("the root element `<{other}>` is neither NITF (`<nitf>`) nor NewsML-G2 (`<newsItem>`)"),
                    "a wire story is an .xml file whose root element is nitf or newsItem; \
                     write other stories as Markdown (.md)",
                )
            };
            return Err(Diagnostic::at(path, source, root.range().start, message)
                .with_hint(hint)
                .into());
        }
    }
    reader.finish(root)
}

/// What a wire story gives, gathered as the document is walked.
struct Reader<'s> {
    path: &'s Path,
    source: &'s str,
    /// Byte offsets where lines start, for the line numbers of notes.
    line_starts: Vec<usize>,
    headline: Option<Field>,
    subhead: Option<Field>,
    byline: Option<Field>,
    blocks: Vec<Block>,
    /// Notes with the line they are about, in the order found.
    notes: Vec<(usize, String)>,
    /// Inline elements already noted (once per story each).
    noted_inline: Vec<&'static str>,
}

/// A headline, subhead or byline and the element it came from.
struct Field {
    text: String,
    /// Byte offset of the element, for an error about it.
    at: usize,
    /// The element's name, for notes.
    name: String,
}

/// How an element is read where copy is expected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// `p`: a paragraph.
    Paragraph,
    /// `hl2`, `h2`: a cross-head.
    CrossHead,
    /// `h1`, `hl1` in the body: the headline when there is none, else a cross-head.
    TopHead,
    /// `h3`–`h6`: a cross-head, noted.
    MinorHead,
    /// `div`, `section`, `body.content`, …: read through, silently.
    Container,
    /// `block`, `bq`, `blockquote`, `aside`, `fn`, `note`: read through, noted.
    NotedContainer,
    /// `ul`, `ol`, `dl`: one paragraph per item, noted.
    List,
    /// `table`, `nitf-table`: one paragraph per row, noted.
    Table,
    /// `media`, `img`, `figure`, …: named in a note, not set.
    Media,
    /// `hr`: named in a note.
    Rule,
    /// `pre`: a paragraph, noted.
    Preformatted,
    /// `script`, `style`: named in a note, not set.
    Code,
    /// Text-level markup (`em`, `person`, `a`, `br`, …): part of a paragraph.
    Inline,
    /// Anything else.
    Unknown,
}

fn kind_of(name: &str) -> Kind {
    match name {
        "p" => Kind::Paragraph,
        "hl2" | "h2" => Kind::CrossHead,
        "hl1" | "h1" => Kind::TopHead,
        "h3" | "h4" | "h5" | "h6" => Kind::MinorHead,
        "body.content" | "div" | "section" | "article" | "main" | "header" | "footer"
        | "hgroup" | "body" => Kind::Container,
        "block" | "bq" | "blockquote" | "aside" | "fn" | "note" => Kind::NotedContainer,
        "ul" | "ol" | "dl" => Kind::List,
        "table" | "nitf-table" => Kind::Table,
        "media" | "img" | "figure" | "picture" | "video" | "audio" | "object" | "embed"
        | "iframe" | "svg" | "math" | "media-reference" => Kind::Media,
        "hr" => Kind::Rule,
        "pre" => Kind::Preformatted,
        "script" | "style" | "noscript" | "template" => Kind::Code,
        _ if inline_note(name).is_some() => Kind::Inline,
        _ => Kind::Unknown,
    }
}

/// For text-level markup: `Some(None)` when it is read silently (NITF's semantic tags, XHTML's
/// spans), `Some(Some(note))` when its text is set but something of it is not.
fn inline_note(name: &str) -> Option<Option<&'static str>> {
    Some(match name {
        "person" | "org" | "location" | "chron" | "money" | "num" | "event" | "function"
        | "object.title" | "virtloc" | "classifier" | "copyrite" | "postaddr" | "lang"
        | "pronounce" | "byttl" | "alt-code" | "city" | "state" | "region" | "country"
        | "sublocation" | "addressee" | "care.of" | "delivery.point" | "delivery.office"
        | "postcode" | "frac" | "frac-num" | "frac-den" | "sub-num" | "span" | "abbr"
        | "acronym" | "cite" | "time" | "dfn" | "data" | "bdi" | "bdo" | "var" | "kbd" | "samp"
        | "code" | "small" | "wbr" => None,
        "em" | "b" | "strong" | "i" => Some(
            "emphasis (`<em>`, `<b>`, `<strong>`, `<i>`) outside a paragraph (a headline, a \
             cross-head, a byline) is set as plain text",
        ),
        "a" => Some("a link (`<a>`): its text is set, its address is not"),
        "q" => Some("a quotation (`<q>`) is set as its text, without quotation marks added"),
        "sub" | "sup" => Some("subscript and superscript (`<sub>`, `<sup>`) are set on the line"),
        "u" | "s" | "strike" | "del" | "ins" | "mark" | "tt" | "big" | "font" => Some(
            "text formatting (`<u>`, `<s>`, `<del>`, `<ins>`, `<mark>`, `<font>`, …) is set as \
             plain text",
        ),
        "br" => Some("a line break (`<br/>`) inside a paragraph is not kept: the text runs on"),
        _ => return None,
    })
}

impl<'s> Reader<'s> {
    fn new(path: &'s Path, source: &'s str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Reader {
            path,
            source,
            line_starts,
            headline: None,
            subhead: None,
            byline: None,
            blocks: Vec::new(),
            notes: Vec::new(),
            noted_inline: Vec::new(),
        }
    }

    /// The 1-based line of a node.
    fn line(&self, node: Node) -> usize {
        let at = node.range().start;
        self.line_starts.partition_point(|&s| s <= at).max(1)
    }

    fn note(&mut self, node: Node, text: impl Into<String>) {
        let line = self.line(node);
        self.notes.push((line, text.into()));
    }

    /// A note when the XML declaration names an encoding other than UTF-8: the text was read
    /// as UTF-8 (it is valid UTF-8, or it would not have been read), not transcoded.
    fn note_encoding(&mut self) {
        let src = self.source.trim_start_matches('\u{feff}');
        let Some(decl) = src
            .strip_prefix("<?xml")
            .and_then(|d| d.split_once("?>"))
            .map(|(d, _)| d)
        else {
            return;
        };
        let Some(value) = decl.split_once("encoding").and_then(|(_, rest)| {
            let rest = rest.trim_start().strip_prefix('=')?.trim_start();
            let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            rest.get(1..)?.split(quote).next()
        }) else {
            return;
        };
        if !matches!(value.to_ascii_lowercase().as_str(), "utf-8" | "utf8") {
            self.notes.push((
                1,
                format!(
                    "the file declares encoding=\"{value}\" but its bytes are UTF-8: read as \
                     UTF-8 (paiban does not transcode; correct the declaration)"
                ),
            ));
        }
    }

    // --- NITF ---

    /// `<nitf>`: `head` is metadata; `body` holds `body.head`, `body.content`, `body.end`.
    fn nitf(&mut self, nitf: Node) -> Result<()> {
        for child in nitf.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "head" => {}
                "body" => self.nitf_body(child)?,
                other => {
                    let other = other.to_string();
                    self.note_unknown_outside(child, &other)?;
                }
            }
        }
        Ok(())
    }

    fn nitf_body(&mut self, body: Node) -> Result<()> {
        for child in body.children() {
            if !child.is_element() {
                self.loose_text(&[child])?;
                continue;
            }
            match child.tag_name().name() {
                "body.head" => self.body_head(child)?,
                "body.content" => self.content(child, 0)?,
                "body.end" => self.body_end(child)?,
                _ => self.content(child, 0)?,
            }
        }
        Ok(())
    }

    /// `body.head`: `hedline` (hl1, hl2) and `byline` are mapped; the rest is named.
    fn body_head(&mut self, head: Node) -> Result<()> {
        for child in head.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "hedline" => {
                    for hl in child.children().filter(Node::is_element) {
                        match hl.tag_name().name() {
                            "hl1" => self.field(hl, Slot::Headline)?,
                            "hl2" => self.field(hl, Slot::Subhead)?,
                            other => {
                                let other = other.to_string();
                                self.note_unknown_outside(hl, &other)?;
                            }
                        }
                    }
                }
                "byline" => self.field(child, Slot::Byline)?,
                other => {
                    let other = other.to_string();
                    self.note_not_set(child, &other)?;
                }
            }
        }
        Ok(())
    }

    /// `body.end` (`tagline`, `bibliography`): set as closing paragraphs, noted.
    fn body_end(&mut self, end: Node) -> Result<()> {
        for child in end.children() {
            if !child.is_element() {
                self.loose_text(&[child])?;
                continue;
            }
            let name = child.tag_name().name().to_string();
            let text = self.text_of(child, Mode::Text)?;
            if !text.is_empty() {
                self.note(
                    child,
                    format!("`<{name}>` at the end of the body is set as a closing paragraph"),
                );
                self.blocks.push(Block::Paragraph(text));
            }
        }
        Ok(())
    }

    // --- NewsML-G2 ---

    /// `<newsItem>`: `contentMeta` gives headline, subhead and byline; `contentSet` the copy;
    /// everything else (`itemMeta`, `rightsInfo`, `catalogRef`, …) is metadata.
    fn news_item(&mut self, item: Node) -> Result<()> {
        // contentMeta first (the schema's order, kept if a file breaks it): its headline wins.
        let elements = || item.children().filter(Node::is_element);
        for meta in elements().filter(|n| n.has_tag_name("contentMeta")) {
            self.content_meta(meta)?;
        }
        for set in elements().filter(|n| n.has_tag_name("contentSet")) {
            self.content_set(set)?;
        }
        Ok(())
    }

    fn content_meta(&mut self, meta: Node) -> Result<()> {
        for child in meta.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "headline" => {
                    let role = child.attribute("role").unwrap_or("");
                    if role.ends_with(":sub") || role.ends_with(":subhead") {
                        self.field(child, Slot::Subhead)?;
                    } else {
                        self.field(child, Slot::Headline)?;
                    }
                }
                "by" => self.field(child, Slot::Byline)?,
                name @ ("dateline" | "description" | "creditline") => {
                    let name = name.to_string();
                    self.note_not_set(child, &name)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `contentSet`: its renditions are alternatives of one content; the first inline NITF,
    /// XHTML or plain text is read, the others named.
    fn content_set(&mut self, set: Node) -> Result<()> {
        let mut read = false;
        for child in set.children().filter(Node::is_element) {
            let kind = child.attribute("contenttype").unwrap_or("no contenttype");
            match child.tag_name().name() {
                "inlineXML" => {
                    let inner = child.children().find(Node::is_element);
                    let name = inner.map(|n| n.tag_name().name());
                    match (inner, name) {
                        (Some(n), Some("nitf" | "html" | "body")) if !read => {
                            read = true;
                            if name == Some("nitf") {
                                self.nitf(n)?;
                            } else {
                                self.xhtml(n)?;
                            }
                        }
                        (Some(_), Some("nitf" | "html" | "body")) => self.note(
                            child,
                            format!("another rendition of the content ({kind}) is not read"),
                        ),
                        (_, other) => self.note(
                            child,
                            format!(
                                "inline content {} ({kind}) is not NITF or XHTML: not read",
                                other.map_or("with no element".into(), |o| format!("`<{o}>`"))
                            ),
                        ),
                    }
                }
                "inlineData" if !read && child.attribute("encoding").is_none() => {
                    read = true;
                    self.plain_text(child)?;
                }
                "inlineData" => self.note(
                    child,
                    format!("another rendition of the content (inlineData, {kind}) is not read"),
                ),
                "remoteContent" => {
                    let href = child.attribute("href").unwrap_or("no href");
                    self.note(
                        child,
                        format!(
                            "remote content ({}) is not fetched: paiban reads inline content only",
                            excerpt(href)
                        ),
                    );
                }
                other => {
                    let other = other.to_string();
                    self.note_unknown_outside(child, &other)?;
                }
            }
        }
        Ok(())
    }

    /// `inlineData` as plain text: paragraphs at blank lines (at line ends when it has none).
    fn plain_text(&mut self, data: Node) -> Result<()> {
        let raw = self.text_raw(data, Mode::Text)?;
        let blank = raw.trim().lines().any(|l| l.trim().is_empty());
        let parts: Vec<String> = if blank {
            split_at_blank_lines(&raw)
        } else {
            raw.lines().map(str::to_string).collect()
        };
        for p in parts {
            let text = collapse(&p, false);
            if !text.is_empty() {
                self.blocks.push(Block::Paragraph(text));
            }
        }
        Ok(())
    }

    /// XHTML (`html` or `body`): `head` is metadata; the body is copy.
    fn xhtml(&mut self, html: Node) -> Result<()> {
        if html.tag_name().name() == "body" {
            return self.content(html, 0);
        }
        for child in html.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "head" => {}
                _ => self.content(child, 0)?,
            }
        }
        Ok(())
    }

    // --- Copy ---

    /// Reads an element where copy is expected, by its kind.
    fn content(&mut self, node: Node, depth: usize) -> Result<()> {
        let name = node.tag_name().name().to_string();
        match kind_of(&name) {
            Kind::Paragraph => {
                self.paragraph(node)?;
            }
            Kind::CrossHead => self.cross_head(node, None)?,
            Kind::TopHead => {
                if self.headline.as_ref().is_none_or(|h| h.text.is_empty()) {
                    self.field(node, Slot::Headline)?;
                } else {
                    let text = self.text_of(node, Mode::Text)?;
                    let same = self
                        .headline
                        .as_ref()
                        .is_some_and(|h| same_text(&h.text, &text));
                    if !same && !text.is_empty() {
                        self.note(
                            node,
                            format!(
                                "a second headline (`<{name}>` {}) is set as a cross-head",
                                excerpt(&text)
                            ),
                        );
                        self.blocks.push(Block::CrossHead(text));
                    }
                }
            }
            Kind::MinorHead => {
                let note =
                    format!("`<{name}>` is set as a cross-head (only `<h2>`/`<hl2>` is one)");
                self.cross_head(node, Some(note))?;
            }
            Kind::Container | Kind::NotedContainer if depth >= MAX_DEPTH => {
                self.note(
                    node,
                    format!(
                        "`<{name}>` is nested more than {MAX_DEPTH} deep: its text is set as one paragraph"
                    ),
                );
                self.paragraph(node)?;
            }
            Kind::Container => self.children(node, depth + 1)?,
            Kind::NotedContainer => {
                let what = match name.as_str() {
                    "bq" | "blockquote" => "a block quote",
                    "fn" => "a footnote",
                    _ => "a block",
                };
                self.note(
                    node,
                    format!("{what} (`<{name}>`) is set inline: its paragraphs run with the story"),
                );
                self.children(node, depth + 1)?;
            }
            Kind::List => self.list(node, &name)?,
            Kind::Table => self.table(node, &name)?,
            Kind::Media => self.media(node, &name)?,
            Kind::Rule => self.note(node, "a rule (`<hr>`) is not drawn"),
            Kind::Preformatted => {
                if self.paragraph(node)? {
                    self.note(node, "preformatted text (`<pre>`) is set as a paragraph");
                }
            }
            Kind::Code => self.note(node, format!("`<{name}>` is not copy: not set")),
            Kind::Inline => {
                // Text-level markup where paragraphs belong: its text is a paragraph.
                self.note_inline(node, &name);
                if self.paragraph(node)? {
                    self.note(
                        node,
                        format!("`<{name}>` outside a paragraph is set as a paragraph"),
                    );
                }
            }
            Kind::Unknown => {
                let blocks = node
                    .children()
                    .any(|c| c.is_element() && kind_of(c.tag_name().name()) != Kind::Inline);
                if blocks && depth < MAX_DEPTH {
                    self.note(
                        node,
                        format!("`<{name}>` is not understood: what it holds is read as copy"),
                    );
                    self.children(node, depth + 1)?;
                } else {
                    self.note_unknown_outside(node, &name)?;
                }
            }
        }
        Ok(())
    }

    /// The children of a container: elements by kind, text outside elements as paragraphs.
    /// Text and text-level markup between them (`文字<em>强调</em>继续`) are one run.
    fn children(&mut self, node: Node, depth: usize) -> Result<()> {
        let mut run = Vec::new();
        for child in node.children() {
            if child.is_text() || kind_of(child.tag_name().name()) == Kind::Inline {
                run.push(child);
            } else if child.is_element() {
                self.loose_text(&std::mem::take(&mut run))?;
                self.content(child, depth)?;
            }
        }
        self.loose_text(&run)
    }

    /// A run of text (and text-level markup) straight inside a container, not in a `p`: a
    /// paragraph, noted.
    fn loose_text(&mut self, run: &[Node]) -> Result<()> {
        let mut raw = String::new();
        for &n in run {
            if n.is_element() {
                self.note_inline(n, n.tag_name().name());
            }
            if n.has_tag_name("br") {
                raw.push('\n');
            } else {
                raw.push_str(&self.text_raw(n, Mode::Text)?);
            }
        }
        let text = collapse(&raw, false);
        let Some(&first) = run
            .iter()
            .find(|n| !n.is_text() || !n.text().unwrap_or("").trim().is_empty())
        else {
            return Ok(());
        };
        if !text.is_empty() {
            let parent = first
                .parent_element()
                .map_or(String::new(), |p| p.tag_name().name().to_string());
            self.note(
                first,
                format!("text outside a paragraph (in `<{parent}>`) is set as a paragraph"),
            );
            self.blocks.push(Block::Paragraph(text));
        }
        Ok(())
    }

    /// A paragraph of the element's text; false when it has none.
    fn paragraph(&mut self, node: Node) -> Result<bool> {
        let mut raw = String::new();
        self.marked_text(node, &mut raw)?;
        let (text, spans) = spans_of(&collapse(&raw, false));
        if text.is_empty() {
            return Ok(false);
        }
        self.blocks.push(if spans.is_empty() {
            Block::Paragraph(text)
        } else {
            Block::Rich(text, spans)
        });
        Ok(true)
    }

    /// A paragraph's raw text with its emphasis (`<strong>`, `<b>`: strong; `<em>`, `<i>`:
    /// emphasis) between markers; emphasis inside emphasis takes the outer one's kind. Walks
    /// the tree without recursion (wire copy may nest deeply).
    fn marked_text(&mut self, node: Node, raw: &mut String) -> Result<()> {
        // The element whose emphasis is open, if any: it closes at the first node after it
        // in the source (preorder, so after its last descendant).
        let mut open: Option<Node> = None;
        for n in node.descendants().filter(|n| *n != node) {
            if open.is_some_and(|e| n.range().start >= e.range().end) {
                open = None;
                raw.push(CLOSE);
            }
            if n.is_text() {
                let text = n.text().unwrap_or("");
                self.check_controls(n, text)?;
                self.refuse_markers(n, text)?;
                raw.push_str(text);
            } else if n.is_element() {
                let name = n.tag_name().name();
                match name {
                    "strong" | "b" | "em" | "i" => {
                        if open.is_none() {
                            open = Some(n);
                            raw.push(if matches!(name, "strong" | "b") {
                                OPEN_STRONG
                            } else {
                                OPEN_EMPHASIS
                            });
                        }
                    }
                    "br" => raw.push('\n'),
                    _ => self.note_inline(n, name),
                }
            }
        }
        if open.is_some() {
            raw.push(CLOSE);
        }
        Ok(())
    }

    /// Refuses the noncharacters that mark emphasis when they come in the copy itself.
    fn refuse_markers(&self, node: Node, text: &str) -> Result<()> {
        let Some(c) = text.chars().find(|c| is_marker(*c)) else {
            return Ok(());
        };
        Err(Diagnostic::at(
            self.path,
            self.source,
            node.range().start,
            format!(
                "the noncharacter U+{:04X} in copy (a code point for programs' internal use, \
                 never text)",
                u32::from(c)
            ),
        )
        .with_hint("remove it from the wire file")
        .into())
    }

    fn cross_head(&mut self, node: Node, note: Option<String>) -> Result<()> {
        let text = self.text_of(node, Mode::Text)?;
        if !text.is_empty() {
            if let Some(note) = note {
                self.note(node, note);
            }
            self.blocks.push(Block::CrossHead(text));
        }
        Ok(())
    }

    /// A list: each item a paragraph.
    fn list(&mut self, list: Node, name: &str) -> Result<()> {
        self.note(
            list,
            format!("a list (`<{name}>`) is set as paragraphs, one per item, without bullets or numbers"),
        );
        for child in list.children() {
            if child.is_element() {
                self.paragraph(child)?;
            } else {
                self.loose_text(&[child])?;
            }
        }
        Ok(())
    }

    /// A table: its caption, then each row a paragraph of its cells, separated by spaces.
    fn table(&mut self, table: Node, name: &str) -> Result<()> {
        self.note(
            table,
            format!("a table (`<{name}>`) is set as paragraphs, one per row, its cells separated by spaces"),
        );
        let own = |n: &Node| {
            n.ancestors()
                .skip(1)
                .find(|a| kind_of(a.tag_name().name()) == Kind::Table)
                == Some(table)
        };
        let mut rows = 0;
        for row in table.descendants().filter(|n| n.is_element() && own(n)) {
            match row.tag_name().name() {
                "caption" | "nitf-table-summary" => {
                    self.paragraph(row)?;
                }
                "tr" => {
                    rows += 1;
                    let mut cells = Vec::new();
                    for cell in row.children().filter(Node::is_element) {
                        let text = self.text_of(cell, Mode::Text)?;
                        if !text.is_empty() {
                            cells.push(text);
                        }
                    }
                    if !cells.is_empty() {
                        self.blocks.push(Block::Paragraph(cells.join(" ")));
                    }
                }
                _ => {}
            }
        }
        if rows == 0 {
            self.paragraph(table)?;
        }
        Ok(())
    }

    /// A photo, video or other media: named with its source and caption, never set.
    fn media(&mut self, node: Node, name: &str) -> Result<()> {
        let source = node
            .descendants()
            .filter(Node::is_element)
            .find_map(|n| n.attribute("source").or(n.attribute("src")))
            .map_or(String::new(), |s| format!(" {}", excerpt(s)));
        let caption = node
            .descendants()
            .find(|n| matches!(n.tag_name().name(), "media-caption" | "figcaption"));
        let caption = match caption {
            Some(c) => self.text_of(c, Mode::Text)?,
            None => node
                .attribute("alt")
                .map(|a| collapse(a, false))
                .unwrap_or_default(),
        };
        let caption = if caption.is_empty() {
            String::new()
        } else {
            format!("; its caption {} is not set", excerpt(&caption))
        };
        self.note(
            node,
            format!(
                "`<{name}>`{source} is not placed: photos are placed from the page plan \
                 ([[photo]]){caption}"
            ),
        );
        Ok(())
    }

    /// An element outside the copy that paiban does not read: named, with its text.
    fn note_unknown_outside(&mut self, node: Node, name: &str) -> Result<()> {
        let text = self.text_of(node, Mode::Text)?;
        if text.is_empty() {
            self.note(
                node,
                format!("`<{name}>` is not understood and holds no text: nothing is set"),
            );
        } else if is_copy_context(node) {
            self.note(
                node,
                format!("`<{name}>` is not understood: its text is set as a paragraph"),
            );
            self.blocks.push(Block::Paragraph(text));
        } else {
            self.note(
                node,
                format!("`<{name}>` {} is not understood: not set", excerpt(&text)),
            );
        }
        Ok(())
    }

    /// A printable field with no place in a story (a dateline, an abstract): named with its text.
    fn note_not_set(&mut self, node: Node, name: &str) -> Result<()> {
        let text = self.text_of(node, Mode::Text)?;
        if text.is_empty() {
            return Ok(());
        }
        let hint = match name {
            "dateline" => " (put it in the byline if it should print)",
            _ => "",
        };
        self.note(
            node,
            format!(
                "`<{name}>` {} is not set: a story has no place for it{hint}",
                excerpt(&text)
            ),
        );
        Ok(())
    }

    /// Fills the headline, subhead or byline from an element; a second one is named.
    fn field(&mut self, node: Node, slot: Slot) -> Result<()> {
        let mode = match slot {
            Slot::Headline => Mode::Headline,
            Slot::Subhead | Slot::Byline => Mode::Display,
        };
        let text = self.text_of(node, mode)?;
        let name = node.tag_name().name().to_string();
        let current = match slot {
            Slot::Headline => &mut self.headline,
            Slot::Subhead => &mut self.subhead,
            Slot::Byline => &mut self.byline,
        };
        match current {
            None => {
                *current = Some(Field {
                    text,
                    at: node.range().start,
                    name,
                });
            }
            Some(first) if first.text.is_empty() => {
                *first = Field {
                    text,
                    at: node.range().start,
                    name,
                };
            }
            Some(first) if same_text(&first.text, &text) || text.is_empty() => {}
            Some(first) => {
                let first_name = first.name.clone();
                self.note(
                    node,
                    format!(
                        "a second {} (`<{name}>` {}) is not set: the one from `<{first_name}>` is",
                        slot.name(),
                        excerpt(&text)
                    ),
                );
            }
        }
        Ok(())
    }

    // --- Text ---

    /// The text of an element, white space collapsed (`<br/>` a forced break in a headline).
    fn text_of(&mut self, node: Node, mode: Mode) -> Result<String> {
        let raw = self.text_raw(node, mode)?;
        let text = collapse(&raw, mode != Mode::Text);
        Ok(if mode == Mode::Headline {
            text.split(BREAK)
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            text
        })
    }

    /// The text of a node and its descendants as written (references decoded), noting
    /// markup whose meaning is not set and refusing control characters.
    fn text_raw(&mut self, node: Node, mode: Mode) -> Result<String> {
        let headline = mode == Mode::Headline;
        let mut raw = String::new();
        for n in node.descendants() {
            if n.is_text() {
                let text = n.text().unwrap_or("");
                self.check_controls(n, text)?;
                raw.push_str(text);
            } else if n.is_element() && n != node {
                let name = n.tag_name().name();
                if name == "br" {
                    raw.push(if headline { BREAK } else { '\n' });
                    if headline {
                        continue;
                    }
                }
                self.note_inline(n, name);
            }
        }
        Ok(raw)
    }

    /// Notes text-level markup whose meaning is not set, once per kind and story.
    fn note_inline(&mut self, node: Node, name: &str) {
        let note = match inline_note(name) {
            Some(Some(note)) => note,
            Some(None) => return,
            None => {
                let key: &'static str = match kind_of(name) {
                    Kind::Media => "media",
                    _ => "unknown",
                };
                if !self.noted_inline.contains(&key) {
                    self.noted_inline.push(key);
                    self.note(
                        node,
                        format!(
                            "`<{name}>` inside text is not understood: its text is set with the \
                             text around it (other such elements are not noted again)"
                        ),
                    );
                }
                return;
            }
        };
        if !self.noted_inline.contains(&note) {
            self.noted_inline.push(note);
            self.note(node, note);
        }
    }

    /// Refuses a control character in text (written as a character reference: a raw one is
    /// refused before parsing), pointing at the reference.
    fn check_controls(&self, node: Node, text: &str) -> Result<()> {
        let Some((_, c)) = super::chars::first_control(text) else {
            return Ok(());
        };
        let range = node.range();
        let written = self.source.get(range.clone()).unwrap_or("");
        let at = written
            .match_indices("&#")
            .find(|(i, _)| control_reference(written.get(*i..).unwrap_or("")) == Some(c))
            .map_or(range.start, |(i, _)| range.start + i);
        Err(super::chars::control_at(self.path, self.source, at, c).into())
    }

    /// The story, or an error when it has no headline or no copy.
    fn finish(mut self, root: Node) -> Result<Story> {
        let Some(headline) = self.headline.take() else {
            let hint = if root.tag_name().name() == "newsItem" {
                "give the item a `<headline>` in its `<contentMeta>` (or an `<hl1>` in the inline \
                 NITF's `<hedline>`)"
            } else {
                "write the story's 主题 in `<body.head><hedline><hl1>…</hl1></hedline></body.head>`"
            };
            return Err(Diagnostic::at(
                self.path,
                self.source,
                root.range().start,
                "the story has no headline",
            )
            .with_hint(hint)
            .into());
        };
        if headline.text.is_empty() {
            return Err(Diagnostic::at(
                self.path,
                self.source,
                headline.at,
                "the headline is empty",
            )
            .with_hint(format!(
                "write the story's 主题 in this `<{}>`",
                headline.name
            ))
            .into());
        }
        if self.blocks.is_empty() {
            return Err(
                Diagnostic::file(self.path, "the story has no copy (no `<p>` with text)")
                    .with_hint(
                        "add at least one paragraph, or leave the story out of the page plan",
                    )
                    .into(),
            );
        }
        let mut notes = std::mem::take(&mut self.notes);
        notes.sort_by_key(|(line, _)| *line);
        let extra = notes.len().saturating_sub(MAX_NOTES);
        notes.truncate(MAX_NOTES);
        let mut notes: Vec<String> = notes
            .into_iter()
            .map(|(line, note)| format!("line {line}: {note}"))
            .collect();
        if extra > 0 {
            notes.push(format!("{extra} more notes like these are not listed"));
        }
        let text = |f: Option<Field>| f.map(|f| f.text).filter(|t| !t.is_empty());
        Ok(Story {
            id: self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            kicker: None,
            headline: headline.text,
            subhead: text(self.subhead.take()),
            byline: text(self.byline.take()),
            continued: None,
            blocks: std::mem::take(&mut self.blocks),
            notes,
        })
    }
}

/// How an element's text is read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// Copy: layout white space between CJK characters dropped.
    Text,
    /// A headline: as `Display`, and `<br/>` forces a break (`\n`).
    Headline,
    /// A subhead or byline: a space typed on one line between CJK characters stays (between
    /// phrases, names: display text breaks there first), as in Markdown front matter.
    Display,
}

/// Which of the story's display fields an element fills.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Headline,
    Subhead,
    Byline,
}

impl Slot {
    fn name(self) -> &'static str {
        match self {
            Slot::Headline => "headline",
            Slot::Subhead => "subhead",
            Slot::Byline => "byline",
        }
    }
}

/// Whether a node stands where copy is (inside a body), so that its text belongs on the page.
fn is_copy_context(node: Node) -> bool {
    node.ancestors().skip(1).any(|a| {
        matches!(
            a.tag_name().name(),
            "body" | "body.content" | "body.end" | "block"
        )
    }) && !node
        .ancestors()
        .any(|a| matches!(a.tag_name().name(), "body.head" | "hedline"))
}

/// Collapses XML layout white space: a run of spaces, tabs and line breaks becomes one
/// space, or nothing between two CJK characters (a space there is layout) and nothing at a
/// line break beside a CJK character (as Markdown joins lines); spaces in Latin text stay.
/// `keep_spaces` (display text) keeps a run without a line break between CJK characters too.
/// Leading and trailing white space (also ideographic, an indent typed as `　　`) goes: paiban
/// indents paragraphs itself.
fn collapse(raw: &str, keep_spaces: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut run: Option<bool> = None; // a white-space run pending; true when it broke a line
                                      // Emphasis markers met since the last character: they go after the run's space, if any
                                      // (so a span never starts with one), and are transparent to the rule for spaces.
    let mut markers = String::new();
    for c in raw.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            run = Some(run.unwrap_or(false) || c != ' ' && c != '\t');
            continue;
        }
        if is_marker(c) {
            markers.push(c);
            continue;
        }
        let prev = out.chars().rev().find(|p| !is_marker(*p));
        if let (Some(newline), Some(prev)) = (run.take(), prev) {
            let drop = c == BREAK
                || prev == BREAK
                || if newline {
                    is_cjk(prev) || is_cjk(c)
                } else {
                    !keep_spaces && cjk_like(prev) && cjk_like(c) && (is_cjk(prev) || is_cjk(c))
                };
            if !drop {
                out.push(' ');
            }
        }
        out.push_str(&markers);
        markers.clear();
        out.push(c);
    }
    out.push_str(&markers);
    out.trim_matches(|c: char| c.is_whitespace()).to_string()
}

/// A paragraph's text without its emphasis markers, and the spans they marked (empty spans
/// dropped).
fn spans_of(marked: &str) -> (String, Vec<super::emphasis::Span>) {
    use super::emphasis::{Emphasis, Span};
    let mut text = String::with_capacity(marked.len());
    let mut spans = Vec::new();
    let mut open: Option<(usize, Emphasis)> = None;
    for c in marked.chars() {
        match c {
            OPEN_STRONG => open = Some((text.len(), Emphasis::Strong)),
            OPEN_EMPHASIS => open = Some((text.len(), Emphasis::Emphasis)),
            CLOSE => {
                if let Some((start, kind)) = open.take() {
                    // White space at a span's ends stays outside it.
                    let inner = text.get(start..).unwrap_or("");
                    let lead = inner.len() - inner.trim_start().len();
                    let end = start + inner.trim_end().len();
                    if end > start + lead {
                        spans.push(Span {
                            range: start + lead..end,
                            kind,
                        });
                    }
                }
            }
            c => text.push(c),
        }
    }
    (text, spans)
}

/// Whether two texts read the same but for white space (a headline given twice, once broken).
fn same_text(a: &str, b: &str) -> bool {
    let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    letters(a) == letters(b)
}

/// Paragraphs of plain text: runs of lines between blank lines.
fn split_at_blank_lines(raw: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for line in raw.lines() {
        if line.trim().is_empty() {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    parts
}

/// Han, kana, bopomofo, CJK symbols and punctuation, full-width forms: scripts written
/// without spaces between words (Hangul is not one of them).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x2FF0..=0x31FF | 0x3200..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFF01..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFF)
}

/// A CJK character, or a mark Chinese text shares with Latin (quotes, dashes, ellipsis,
/// interpunct): between two of these, one of them CJK, a space is layout.
fn cjk_like(c: char) -> bool {
    is_cjk(c) || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// A text for a note: quoted, cut after 24 characters, control characters shown as `�`.
fn excerpt(text: &str) -> String {
    let mut s: String = text
        .chars()
        .take(24)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if text.chars().count() > 24 {
        s.push('…');
    }
    format!("“{s}”")
}

/// A diagnostic for XML that is not well-formed, at the place roxmltree names.
fn xml_diagnostic(path: &Path, source: &str, e: &roxmltree::Error) -> Diagnostic {
    use roxmltree::Error as E;
    let pos = e.pos();
    let at = match e {
        // No place of their own: the file ends too early, so point at its end.
        E::UnclosedRootNode | E::UnexpectedEndOfStream => source.len(),
        _ => offset_of(source, pos.row as usize, pos.col as usize),
    };
    if let Some(c) = control_reference(source.get(at..).unwrap_or("")) {
        return super::chars::control_at(path, source, at, c);
    }
    let (message, hint): (String, &str) = match e {
        E::UnexpectedCloseTag(open, close, _) => (
            format!("malformed XML: `</{close}>` closes `<{open}>`"),
            "every element needs its own end tag, in order: check for a missing or misspelt one",
        ),
        E::UnknownEntityReference(name, _) => (
            format!("malformed XML: unknown entity `&{name};`"),
            "XML knows only &lt; &gt; &amp; &quot; &apos;: write the character itself or a \
             numeric reference (`&#160;` for `&nbsp;`)",
        ),
        E::MalformedEntityReference(_) => (
            "malformed XML: `&` does not start an entity reference".into(),
            "write a lone `&` as `&amp;`",
        ),
        E::InvalidAttributeValue(_) | E::InvalidChar(..) | E::InvalidChar2(..) => (
            format!("malformed XML: {}", without_position(e)),
            "write `<` in text as `&lt;` and `&` as `&amp;`",
        ),
        E::UnclosedRootNode | E::UnexpectedEndOfStream => (
            "malformed XML: the file ends before its root element is closed".into(),
            "the file may be cut short: fetch it from the wire again",
        ),
        _ => (
            format!("malformed XML: {}", without_position(e)),
            "the file must be well-formed XML (check it with `xmllint --noout FILE`)",
        ),
    };
    Diagnostic::at(path, source, at, message).with_hint(hint)
}

/// The control character a numeric character reference at the start of `text` stands for
/// (`&#7;`, `&#x1B;`): XML refuses most of them as malformed; the message names the character.
fn control_reference(text: &str) -> Option<char> {
    let digits = text.strip_prefix("&#")?.split(';').next()?;
    let value = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => digits.parse().ok(),
    }?;
    char::from_u32(value).filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// roxmltree's message without its ` at row:col` (the diagnostic places it).
fn without_position(e: &roxmltree::Error) -> String {
    let pos = e.pos();
    e.to_string()
        .replace(&format!(" at {}:{}", pos.row, pos.col), "")
}

/// The byte offset of a 1-based line and character column.
fn offset_of(source: &str, row: usize, col: usize) -> usize {
    let start = match row.checked_sub(2) {
        None => 0,
        Some(k) => source
            .match_indices('\n')
            .nth(k)
            .map_or(source.len(), |(i, _)| i + 1),
    };
    let line = source.get(start..).unwrap_or("");
    start
        + line
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests;
