//! Shaping: copy → atoms (the unbreakable units of line composition) with glyphs, widths,
//! punctuation classes and the glue between them (cjk-rules.md §1, §2, §5).
//!
//! Does not break lines or decide final positions; `linebreak` does.

pub mod class;
mod vertical;

use crate::error::{Diagnostic, Error, Result};
use crate::fonts::{FaceId, FontBook, Resolved};
use crate::model::{Kinsoku, Punctuation, TextOptions};
use class::{align_of, class_of, is_squeezable, Align, Class};
use std::ops::Range;

/// A run of copy in one style.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// The text (already normalised).
    pub text: &'a str,
    /// The preferred face.
    pub face: FaceId,
    /// Type size in points.
    pub size: f32,
    /// Keep the run on one line (a jump line): no break inside it.
    pub keep: bool,
}

/// A glyph of a paragraph, positioned relative to its atom's box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Face of the glyph.
    pub face: FaceId,
    /// Glyph id.
    pub id: u16,
    /// Offset from the atom's left edge, in points, for the atom's natural box.
    pub x: f32,
    /// The glyph's own advance in points.
    pub advance: f32,
    /// Byte range of the glyph's cluster in the paragraph text.
    pub start: u32,
    /// End of the cluster.
    pub end: u32,
    /// Horizontal scale of the glyph (a dash stretched to fill its 2 em; else 1).
    pub scale: f32,
    /// How the glyph stands in its line (in a vertical line: upright, turned or 纵中横).
    pub orient: Orient,
}

/// How a glyph stands in its line. In a horizontal line every glyph is upright; in a vertical
/// line (竖排) a CJK glyph is upright in its vertical form, a Latin word or long number is
/// turned, and a short number is set across the column (纵中横).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Orient {
    /// Upright: on the baseline of a horizontal line; in a vertical line its em box centred on
    /// the column, `x` running down it.
    #[default]
    Upright,
    /// Turned 90° clockwise in a vertical line (Latin, long numbers, dashes and ellipses drawn
    /// as horizontal glyphs): its baseline runs down the column.
    Turned,
    /// 纵中横: upright across a vertical line, its left edge this many points from the
    /// column's centre line (already scaled by the glyph's `scale`).
    Across(f32),
}

/// An unbreakable unit: an ideograph, a mark, a Latin token, an inseparable, the indent.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    /// Byte range in the paragraph text.
    pub text: Range<u32>,
    /// Composition class.
    pub class: Class,
    /// Type size (the em of this atom).
    pub size: f32,
    /// Glyphs (indices into `Para::glyphs`).
    pub glyphs: Range<u32>,
    /// Width in mid-line, after adjacent-punctuation compression.
    pub width: f32,
    /// What the atom loses at line start (opening marks) or line end (closing marks and stops);
    /// for the part of an English word before a hyphenation point, minus the hyphen's width
    /// (a line ending there grows by the hyphen).
    pub squeeze: f32,
    /// Ink alignment of a mark in its box.
    pub align: Align,
    /// `、，。`: may hang past the measure when hanging punctuation is on.
    pub hangable: bool,
    /// A piece of a Latin token cut from the next between two characters only because it was
    /// long: a break after it is a last resort, even inside a URL.
    pub joined: bool,
}

/// The glue between atom `i` and atom `i + 1`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Gap {
    /// Natural width (a Latin word space, the ¼ em CJK–Latin gap).
    pub natural: f32,
    /// How much a word space may shrink.
    pub shrink: f32,
    /// How much a word space may stretch.
    pub stretch: f32,
    /// Whether inter-character justification may widen this gap.
    pub letterspace: bool,
    /// A ¼ em CJK–Latin gap: widened only on a line with no other gap to widen.
    pub cjk_latin: bool,
    /// Whether a line may break here at the chosen kinsoku level.
    pub breakable: bool,
    /// Whether a line may break here when nothing else works (emergency).
    pub emergency: bool,
    /// What a break here would cut, read by sense (`linebreak::sense`).
    pub seam: Seam,
    /// The gap lies inside a byline: a line broken here holds credits only.
    pub credit: bool,
}

/// What a line break at a gap would cut, as a 版面编辑 reads it (issue 14). The line breaker
/// prefers free breaks; in display text (headlines, cross-heads) the others are taken only
/// when nothing else fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seam {
    /// Between words, at a space, beside punctuation.
    #[default]
    Free,
    /// Inside a word of the dictionary (区城管局｜开展 is free, 城管｜局 is not).
    Word,
    /// Between the shorter words of a long compound (全国人民代表大会｜常务委员会): taken in
    /// display text before a break inside a word.
    Compound,
    /// Inside a date or a time (2026年｜11月20日, 下午｜4:30): kept together where the measure
    /// allows.
    Phrase,
    /// A hyphenation point of an English word: a hyphen is drawn at the line end.
    Hyphen,
    /// After `/ . @ -` inside a URL or an e-mail address (no hyphen added).
    Token,
}

/// A paragraph ready for line breaking.
#[derive(Debug, Clone, Default)]
pub struct Para {
    /// The normalised text.
    pub text: String,
    /// Units in order.
    pub atoms: Vec<Atom>,
    /// `gaps[i]` lies between `atoms[i]` and `atoms[i + 1]`.
    pub gaps: Vec<Gap>,
    /// All glyphs.
    pub glyphs: Vec<Glyph>,
    /// The em of the paragraph's main style.
    pub em: f32,
    /// Whether `、，。` may hang at line end (cjk-rules.md §2, off by default).
    pub hanging: bool,
    /// The first line breaks as display text does (a caption's): inside a word only when
    /// nothing else fits.
    pub display_first_line: bool,
    /// The hyphen of each face that sets a hyphenated English word: (face, glyph, advance in
    /// em), drawn at the end of a line broken at a hyphenation point.
    pub hyphens: Vec<(FaceId, u16, f32)>,
    /// Byte ranges of the text marked for 着重号 (`[…]{.dots}`): a dot under each Han character.
    pub dots: Vec<std::ops::Range<usize>>,
}

impl Para {
    /// The hyphen glyph of `face`, if a word in it was hyphenated.
    pub fn hyphen(&self, face: FaceId) -> Option<(u16, f32)> {
        self.hyphens
            .iter()
            .find(|h| h.0 == face)
            .map(|h| (h.1, h.2))
    }
}

/// A character no font of the layout has.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingChar {
    /// The character.
    pub ch: char,
    /// Byte offset in the paragraph text.
    pub offset: usize,
}

/// Shapes runs of copy into a paragraph. `indent` is the first-line indent in em
/// (2 for body paragraphs). Characters that no face has are returned as errors.
pub fn shape(
    runs: &[Run],
    indent: f32,
    opts: &TextOptions,
    book: &FontBook,
) -> std::result::Result<Para, ShapeError> {
    shape_in(runs, indent, opts, book, None)
}

/// Shapes runs of copy into a paragraph for a vertical line (竖排): CJK glyphs in their
/// vertical forms (the fonts' `vert`/`vrt2`), runs of up to `tcy` digits across one em
/// (纵中横), other Latin turned 90° clockwise. Breaks as [`shape`]'s paragraph does.
pub fn shape_vertical(
    runs: &[Run],
    indent: f32,
    (opts, tcy): (&TextOptions, u32),
    book: &FontBook,
) -> std::result::Result<Para, ShapeError> {
    shape_in(runs, indent, opts, book, Some(tcy))
}

/// [`shape`], for a vertical line when `vertical` gives its 纵中横 digit count.
fn shape_in(
    runs: &[Run],
    indent: f32,
    opts: &TextOptions,
    book: &FontBook,
    vertical: Option<u32>,
) -> std::result::Result<Para, ShapeError> {
    let mut b = Builder {
        para: Para::default(),
        book,
        missing: Vec::new(),
    };
    b.para.em = runs.first().map_or(9.0, |r| r.size);
    if indent > 0.0 {
        let w = indent * b.para.em;
        b.push_atom(0..0, Class::Ideograph, b.para.em, 0..0, w);
    }
    let mut keep = Vec::new();
    for run in runs {
        let first = b.para.atoms.len();
        b.run(run)?;
        if run.keep {
            keep.push(first..b.para.atoms.len());
        }
    }
    if !b.missing.is_empty() {
        return Err(ShapeError::Missing(b.missing, b.para.text));
    }
    let mut para = b.para;
    if let Some(tcy) = vertical {
        vertical::apply(&mut para, tcy, book)?;
    }
    para.hanging = opts.hanging;
    compress_punctuation(&mut para, opts.punctuation, indent > 0.0);
    para.gaps = glue(&para, opts);
    for r in keep {
        // Gaps inside a kept run join atoms r.start..r.end: gaps r.start..r.end-1.
        for g in para
            .gaps
            .get_mut(r.start..r.end.saturating_sub(1))
            .into_iter()
            .flatten()
        {
            g.breakable = false;
            g.emergency = false;
        }
    }
    Ok(para)
}

/// Shapes one run of display text (a caption, a text block, an info line): normalised as copy
/// is (`class::normalize`), in one face and size, no indent.
pub fn shape_text(
    text: &str,
    (face, size): (FaceId, f32),
    keep: bool,
    opts: &TextOptions,
    book: &FontBook,
) -> std::result::Result<Para, ShapeError> {
    let t = class::normalize(text, opts.fullwidth_ascii);
    let run = Run {
        text: &t,
        face,
        size,
        keep,
    };
    shape(&[run], 0.0, opts, book)
}

/// Why shaping failed.
#[derive(Debug)]
pub enum ShapeError {
    /// Characters that no face has, with the paragraph text.
    Missing(Vec<MissingChar>, String),
    /// Anything else that stopped it (a font that could not be loaded, a role the edition's
    /// fonts lack), already a typed error.
    Other(Error),
}

impl From<Error> for ShapeError {
    fn from(e: Error) -> Self {
        ShapeError::Other(e)
    }
}

impl ShapeError {
    /// Turns the error into a diagnostic about the first of `files` whose text holds the
    /// missing character (a caption's in the plan, a paper name's in the edition), else the
    /// first file.
    pub fn into_error_in(self, files: &[&std::path::Path]) -> Error {
        let sources: Vec<(&std::path::Path, String)> = files
            .iter()
            .map(|f| (*f, std::fs::read_to_string(f).unwrap_or_default()))
            .collect();
        let first = match &self {
            ShapeError::Missing(chars, _) => chars.first().map(|m| m.ch),
            ShapeError::Other(_) => None,
        };
        let found = first.and_then(|c| sources.iter().find(|(_, src)| src.contains(c)));
        match found.or(sources.first()) {
            Some((path, src)) => self.into_error(path, src),
            None => self.into_error(std::path::Path::new(""), ""),
        }
    }

    /// Turns the error into a diagnostic about `path` (the story file).
    pub fn into_error(self, path: &std::path::Path, source: &str) -> Error {
        match self {
            ShapeError::Other(e) => e,
            ShapeError::Missing(chars, text) => {
                let list: Vec<String> = chars
                    .iter()
                    .map(|m| format!("`{}` (U+{:04X})", m.ch, m.ch as u32))
                    .collect();
                let first = chars.first().map(|m| m.ch).unwrap_or(' ');
                let context: String = chars
                    .first()
                    .and_then(|m| text.get(m.offset..))
                    .map(|s| s.chars().take(1).collect())
                    .unwrap_or_default();
                // Locate the first missing character in the source file.
                let offset = source
                    .find(&context as &str)
                    .or_else(|| source.find(first))
                    .unwrap_or(0);
                Error::MissingGlyph(Box::new(
                    Diagnostic::at(
                        path,
                        source,
                        offset,
                        format!("no font of the layout has {}", list.join(", ")),
                    )
                    .with_hint(
                        "replace the character, or add a font that has it to the layout's [fonts]",
                    ),
                ))
            }
        }
    }
}

struct Builder<'a> {
    para: Para,
    book: &'a FontBook,
    missing: Vec<MissingChar>,
}

impl Builder<'_> {
    fn push_atom(
        &mut self,
        text: Range<u32>,
        class: Class,
        size: f32,
        glyphs: Range<u32>,
        width: f32,
    ) {
        let t = self
            .para
            .text
            .get(text.start as usize..text.end as usize)
            .unwrap_or("");
        let hangable = matches!(t, "、" | "，" | "。");
        self.para.atoms.push(Atom {
            text,
            class,
            size,
            glyphs,
            width,
            squeeze: 0.0,
            align: align_of(class),
            hangable,
            joined: false,
        });
    }

    fn run(&mut self, run: &Run) -> Result<()> {
        let base = self.para.text.len();
        self.para.text.push_str(run.text);
        let text = run.text;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let class = class_of(c);
            match class {
                Class::Space => {}
                Class::Latin | Class::Prefix if !class::is_cjk(c) => {
                    let mut end = i + c.len_utf8();
                    while let Some(&(j, d)) = iter.peek() {
                        if class_of(d) == Class::Latin || (d == '%' || d == '‰' || d == '°') {
                            end = j + d.len_utf8();
                            iter.next();
                        } else {
                            break;
                        }
                    }
                    self.latin(run, base, i..end)?;
                }
                Class::Inseparable | Class::Connector if matches!(c, '—' | '…' | '⋯') => {
                    // `——` `……` `⋯⋯`: one 2-em unit when doubled (cjk-rules.md §1).
                    let n = c.len_utf8();
                    if iter.peek().map(|&(_, d)| d) == Some(c) {
                        iter.next();
                        self.inseparable(run, base, i..i + 2 * n, c)?;
                    } else {
                        self.ideograph(run, base, i, c, class)?;
                    }
                }
                Class::Inseparable if matches!(c, '⸺' | '⸻') => {
                    self.inseparable(run, base, i..i + c.len_utf8(), c)?;
                }
                _ => self.ideograph(run, base, i, c, class)?,
            }
        }
        Ok(())
    }

    fn glyph_or_missing(&mut self, run: &Run, c: char, offset: usize) -> Result<Option<Resolved>> {
        let found = self.book.resolve(run.face, c)?;
        if found.is_none() && !c.is_whitespace() && !c.is_control() {
            self.missing.push(MissingChar { ch: c, offset });
        }
        Ok(found)
    }

    /// A character on the em grid: an ideograph, a full-width mark, a unit sign.
    fn ideograph(&mut self, run: &Run, base: usize, i: usize, c: char, class: Class) -> Result<()> {
        let em = run.size;
        let start = (base + i) as u32;
        let end = start + c.len_utf8() as u32;
        let g0 = self.para.glyphs.len() as u32;
        let box_w = match class {
            Class::MiddleDot => 0.5 * em,
            _ => em,
        };
        if let Some(Resolved { face, id, advance }) = self.glyph_or_missing(run, c, base + i)? {
            let adv = advance * em;
            // Ideographs keep their own advance when it is not the em (a rare proportional form).
            let width = if class == Class::Ideograph && c != '\u{3000}' {
                adv.max(0.0)
            } else {
                box_w
            };
            let x = place(align_of(class), width, adv);
            self.para.glyphs.push(Glyph {
                face,
                id,
                x,
                advance: adv,
                start,
                end,
                scale: 1.0,
                orient: Orient::Upright,
            });
            let g1 = self.para.glyphs.len() as u32;
            self.push_atom(start..end, class, em, g0..g1, width);
        } else {
            self.push_atom(start..end, class, em, g0..g0, box_w);
        }
        Ok(())
    }

    /// A 2-em inseparable: `——` drawn as one two-em dash where the face has U+2E3A.
    fn inseparable(&mut self, run: &Run, base: usize, r: Range<usize>, c: char) -> Result<()> {
        let em = run.size;
        let start = (base + r.start) as u32;
        let end = (base + r.end) as u32;
        let g0 = self.para.glyphs.len() as u32;
        let width = 2.0 * em;
        let two_em = if c == '—' {
            self.book.resolve(run.face, '⸺')?
        } else {
            None
        };
        let dash = matches!(c, '—' | '⸺' | '⸻');
        if let Some(Resolved { face, id, advance }) = two_em.filter(|r| r.face == run.face) {
            let (x, advance, scale) = self.fill(face, id, advance * em, (0.0, width), dash)?;
            self.para.glyphs.push(Glyph {
                face,
                id,
                x,
                advance,
                start,
                end,
                scale,
                orient: Orient::Upright,
            });
        } else if let Some(Resolved { face, id, advance }) =
            self.glyph_or_missing(run, c, base + r.start)?
        {
            let adv = advance * em;
            let n = if r.len() == c.len_utf8() { 1 } else { 2 };
            let step = width / n as f32;
            for k in 0..n {
                let (s, e) = if n == 1 {
                    (start, end)
                } else if k == 0 {
                    (start, start + c.len_utf8() as u32)
                } else {
                    (start + c.len_utf8() as u32, end)
                };
                let box_ = (k as f32 * step, step);
                let (x, advance, scale) = self.fill(face, id, adv, box_, dash)?;
                self.para.glyphs.push(Glyph {
                    face,
                    id,
                    x,
                    advance,
                    start: s,
                    end: e,
                    scale,
                    orient: Orient::Upright,
                });
            }
        }
        let g1 = self.para.glyphs.len() as u32;
        self.push_atom(start..end, Class::Inseparable, em, g0..g1, width);
        Ok(())
    }

    /// Where a glyph of advance `adv` goes in the box `(x, width)`: centred, or for a dash
    /// stretched so that its ink fills the box exactly (GB/T 15834: the 破折号 is one
    /// continuous 2-em line; fonts draw U+2E3A or U+2014 shorter than their box). Returns
    /// (x, advance, horizontal scale).
    fn fill(
        &self,
        face: FaceId,
        id: u16,
        adv: f32,
        (x0, width): (f32, f32),
        dash: bool,
    ) -> Result<(f32, f32, f32)> {
        let centred = (x0 + (width - adv) / 2.0, adv, 1.0);
        if !dash {
            return Ok(centred);
        }
        let em = if adv > 0.0 {
            adv / self.book.face(face)?.advance(id).max(1e-6)
        } else {
            0.0
        };
        let Some((l, r)) = self.book.face(face)?.ink(id) else {
            return Ok(centred);
        };
        let ink = (r - l) * em;
        if ink <= 0.0 || em <= 0.0 {
            return Ok(centred);
        }
        let scale = (width / ink).clamp(0.5, 2.0);
        Ok((x0 - l * em * scale, adv * scale, scale))
    }

    /// A Latin word or number, shaped with the face's OpenType features.
    fn latin(&mut self, run: &Run, base: usize, r: Range<usize>) -> Result<()> {
        let em = run.size;
        let token = run.text.get(r.clone()).unwrap_or("");
        let start = (base + r.start) as u32;
        let g0 = self.para.glyphs.len() as u32;
        // Use the preferred face if it covers the whole token, else per-character fallback.
        let mut covered = true;
        for c in token.chars() {
            if self
                .book
                .resolve(run.face, c)?
                .is_none_or(|r| r.face != run.face)
            {
                covered = false;
            }
        }
        let mut x = 0.0;
        if covered {
            let face = self.book.face(run.face)?;
            let shaped = face.shape_latin(token);
            for (k, g) in shaped.iter().enumerate() {
                let cs = g.cluster as usize;
                let ce = shaped
                    .iter()
                    .skip(k + 1)
                    .map(|n| n.cluster as usize)
                    .find(|&n| n > cs)
                    .unwrap_or(token.len());
                let adv = g.advance * em;
                self.para.glyphs.push(Glyph {
                    face: run.face,
                    id: g.id,
                    x: x + g.offset * em,
                    advance: adv,
                    start: start + cs as u32,
                    end: start + ce.max(cs) as u32,
                    scale: 1.0,
                    orient: Orient::Upright,
                });
                x += adv;
            }
        } else {
            for (k, c) in token.char_indices() {
                if let Some(Resolved { face, id, advance }) =
                    self.glyph_or_missing(run, c, base + r.start + k)?
                {
                    let adv = advance * em;
                    let s = start + k as u32;
                    self.para.glyphs.push(Glyph {
                        face,
                        id,
                        x,
                        advance: adv,
                        start: s,
                        end: s + c.len_utf8() as u32,
                        scale: 1.0,
                        orient: Orient::Upright,
                    });
                    x += adv;
                }
            }
        }
        let g1 = self.para.glyphs.len() as u32;
        let end = (base + r.end) as u32;
        // A lone solidus between CJK (微克/立方米) is a dividing mark, not a Latin word.
        if token == "/" {
            self.push_atom(start..end, Class::Solidus, em, g0..g1, x);
        } else {
            self.latin_segments(run, (start, end), g0..g1, x)?;
        }
        Ok(())
    }

    /// Pushes a Latin token as atoms: split after `. / - @ _ : & = ? #`, at the hyphenation
    /// points of English words (en-US patterns), and, in a piece wider than [`LONG_PIECE`] em,
    /// between every two characters. The gaps between them never break in normal setting
    /// (cjk-rules.md §5: no break inside a URL, number, time); `linebreak::sense` opens the
    /// hyphenation points and a URL's or e-mail's marks, and the rest stay last resorts for a
    /// token wider than its measure (a glyph never crosses its column).
    fn latin_segments(
        &mut self,
        run: &Run,
        (start, end): (u32, u32),
        glyphs: Range<u32>,
        total: f32,
    ) -> Result<()> {
        let em = run.size;
        let token = self
            .para
            .text
            .get(start as usize..end as usize)
            .unwrap_or("")
            .to_string();
        let cuts = token_cuts(&token);
        // Cluster boundaries: glyph `k` starts a cluster after the previous one.
        let at = |b: &Self, k: u32| b.para.glyphs.get(k as usize).copied();
        let x_of = |b: &Self, k: u32| at(b, k).map_or(total, |g| g.x);
        let mut pieces: Vec<(u32, Cut)> = Vec::new(); // first glyph of each later piece
        for k in glyphs.start + 1..glyphs.end {
            let (Some(g), Some(p)) = (at(self, k), at(self, k - 1)) else {
                continue;
            };
            if g.start == p.start {
                continue; // inside a cluster
            }
            let off = g.start - start;
            if let Some(c) = cuts.iter().find(|c| c.0 == off) {
                pieces.push((k, c.1));
            }
        }
        // Pieces wider than LONG_PIECE em are cut between every two clusters.
        let mut bounds: Vec<(u32, Cut)> = Vec::new();
        let mut from = glyphs.start;
        for (k, c) in pieces
            .iter()
            .copied()
            .chain(std::iter::once((glyphs.end, Cut::Mark)))
        {
            if x_of(self, k) - x_of(self, from) > LONG_PIECE * em {
                for j in from + 1..k {
                    let (Some(g), Some(p)) = (at(self, j), at(self, j - 1)) else {
                        continue;
                    };
                    if g.start != p.start {
                        bounds.push((j, Cut::Char));
                    }
                }
            }
            if k < glyphs.end {
                bounds.push((k, c));
            }
            from = k;
        }
        if bounds.iter().any(|b| b.1 == Cut::Hyphen) && self.para.hyphen(run.face).is_none() {
            if let Some(h) = self
                .book
                .resolve(run.face, '-')?
                .filter(|h| h.face == run.face)
            {
                self.para.hyphens.push((h.face, h.id, h.advance));
            }
        }
        let hyphen = self.para.hyphen(run.face).map_or(0.0, |h| h.1 * em);
        let mut seg = glyphs.start;
        for (k, c) in bounds
            .into_iter()
            .chain(std::iter::once((glyphs.end, Cut::Mark)))
        {
            let x0 = x_of(self, seg);
            let x1 = x_of(self, k);
            let t0 = at(self, seg).map_or(start, |g| g.start);
            let t1 = if k < glyphs.end {
                at(self, k).map_or(end, |g| g.start)
            } else {
                end
            };
            self.shift(seg..k, x0);
            self.push_atom(t0..t1, Class::Latin, em, seg..k, x1 - x0);
            if let Some(a) = self.para.atoms.last_mut() {
                if c == Cut::Hyphen && hyphen > 0.0 {
                    a.squeeze = -hyphen;
                }
                a.joined = c == Cut::Char;
            }
            seg = k;
        }
        Ok(())
    }

    fn shift(&mut self, r: Range<u32>, dx: f32) {
        for g in self
            .para
            .glyphs
            .get_mut(r.start as usize..r.end as usize)
            .into_iter()
            .flatten()
        {
            g.x -= dx;
        }
    }
}

/// A Latin piece wider than this many em is cut between every two characters (last resorts).
const LONG_PIECE: f32 = 2.0;

/// Why a Latin token is cut into atoms at a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// After one of `. / - @ _ : & = ? #`, or at a syllable of a URL's or e-mail's part.
    Mark,
    /// A hyphenation point of an English word.
    Hyphen,
    /// Between two characters of a long piece.
    Char,
}

/// The cut points of a Latin token, as byte offsets in it: after its marks, and at the
/// hyphenation points of its words of five letters or more (en-US patterns; two letters at
/// least before and three after a hyphen, as hypher's English bounds give).
fn token_cuts(token: &str) -> Vec<(u32, Cut)> {
    let mut cuts = Vec::new();
    // A URL or an e-mail address is never hyphenated (a hyphen would read as part of it): its
    // long parts are cut at their syllables all the same, to break there without a hyphen.
    let address = class::is_address(token);
    let mut word: Option<usize> = None;
    for (i, c) in token
        .char_indices()
        .chain(std::iter::once((token.len(), ' ')))
    {
        if c.is_ascii_alphabetic() {
            word.get_or_insert(i);
            continue;
        }
        if let Some(w) = word.take() {
            let letters = token.get(w..i).unwrap_or("");
            if letters.len() >= 5 {
                let mut off = w;
                for syl in hypher::hyphenate(letters, hypher::Lang::English) {
                    off += syl.len();
                    if off < i {
                        cuts.push((off as u32, if address { Cut::Mark } else { Cut::Hyphen }));
                    }
                }
            }
        }
        let next = i + c.len_utf8();
        if i < token.len()
            && next < token.len()
            && matches!(c, '.' | '/' | '-' | '@' | '_' | ':' | '&' | '=' | '?' | '#')
        {
            cuts.push((next as u32, Cut::Mark));
        }
    }
    cuts.sort_by_key(|c| c.0);
    cuts
}

/// What an atom loses when it starts a line: an opening mark its blank half (clreq), an
/// ideographic space all of it.
pub fn start_cut(a: &Atom) -> f32 {
    match a.class {
        Class::Opening => a.squeeze,
        Class::IdeoSpace => a.width,
        _ => 0.0,
    }
}

/// What an atom loses when it ends a line: a closing mark or stop its blank half (GB/T 15834
/// §5.1.10), an ideographic space all of it.
pub fn end_cut(a: &Atom) -> f32 {
    match a.class {
        Class::Closing | Class::Stop => a.squeeze,
        Class::Latin => a.squeeze.min(0.0),
        Class::IdeoSpace => a.width,
        _ => 0.0,
    }
}

/// How far a line's last atom hangs past the measure: with hanging punctuation on, what is
/// left of a line-end `、，。` after its blank half went (clreq §3.1.9; one mark only).
pub fn hang(p: &Para, a: &Atom) -> f32 {
    if p.hanging && a.hangable {
        a.width - end_cut(a)
    } else {
        0.0
    }
}

/// Where a glyph of advance `adv` sits in a box of width `w`.
pub fn place(align: Align, w: f32, adv: f32) -> f32 {
    match align {
        Align::Left => 0.0,
        Align::Right => w - adv,
        Align::Center => (w - adv) / 2.0,
    }
}

/// Punctuation widths (cjk-rules.md §2, clreq §3.1.6): the scheme's base widths, adjacent
/// marks 1.5 em per pair, an opening mark after the paragraph indent half width, and the
/// squeeze a mark may lose at a line edge.
fn compress_punctuation(para: &mut Para, scheme: Punctuation, indented: bool) {
    let n = para.atoms.len();
    for a in para.atoms.iter_mut() {
        if !is_squeezable(a.class) || a.glyphs.is_empty() {
            continue;
        }
        let em = a.size;
        let full = match scheme {
            Punctuation::Full => true,
            Punctuation::Kaiming => {
                let t = para
                    .text
                    .get(a.text.start as usize..a.text.end as usize)
                    .unwrap_or("");
                matches!(t, "。" | "？" | "！" | "．")
            }
            Punctuation::Half => false,
        };
        a.width = if full { em } else { em / 2.0 };
        a.squeeze = a.width - em / 2.0;
    }
    // clreq §3.1.6.1: remove the blank half between adjacent marks.
    for i in 0..n.saturating_sub(1) {
        let (l, r) = para.atoms.split_at_mut(i + 1);
        let (Some(a), Some(b)) = (l.last_mut(), r.first_mut()) else {
            continue;
        };
        if !is_squeezable(a.class) || !is_squeezable(b.class) {
            continue;
        }
        if a.class != Class::Opening && a.squeeze > 0.0 {
            a.width -= a.squeeze;
            a.squeeze = 0.0;
        } else if b.class == Class::Opening && b.squeeze > 0.0 {
            b.width -= b.squeeze;
            b.squeeze = 0.0;
        }
    }
    // cjk-rules.md §2: an opening bracket after the paragraph indent loses its blank half.
    if indented {
        if let Some(a) = para.atoms.get_mut(1).filter(|a| a.class == Class::Opening) {
            a.width -= a.squeeze;
            a.squeeze = 0.0;
        }
    }
    // Re-place the glyphs of marks in their final boxes.
    for a in &para.atoms {
        if is_squeezable(a.class) {
            for g in para
                .glyphs
                .get_mut(a.glyphs.start as usize..a.glyphs.end as usize)
                .into_iter()
                .flatten()
            {
                g.x = place(a.align, a.width, g.advance);
            }
        }
    }
}

/// Whether a break is allowed between `a` and `b` at kinsoku level `k` (cjk-rules.md §1).
fn may_break(a: &Atom, b: &Atom, k: Kinsoku) -> bool {
    if k == Kinsoku::None {
        return !(a.class == Class::Latin && b.class == Class::Latin && a.text.end == b.text.start);
    }
    let no_start = matches!(
        b.class,
        Class::Closing | Class::Stop | Class::MiddleDot | Class::Connector | Class::Postfix
    ) || (k == Kinsoku::Strict && b.class == Class::Inseparable);
    let no_end = matches!(a.class, Class::Opening | Class::Prefix | Class::Solidus);
    // A number keeps its unit sign; a token split in two atoms (none today) stays whole.
    let glued = (a.class == Class::Prefix)
        || (a.class == Class::Latin && b.class == Class::Latin && a.text.end == b.text.start);
    !(no_start || no_end || glued)
}

/// Whether the Latin token edge at byte `at` is a letter, digit or unit sign (`before`: the
/// character ending at `at`). CJK–Latin spacing applies only there, not next to a bare `/`.
fn edge_alnum(s: &str, at: usize, before: bool) -> bool {
    let c = if before {
        s.get(..at).and_then(|t| t.chars().next_back())
    } else {
        s.get(at..).and_then(|t| t.chars().next())
    };
    c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '%' | '‰' | '°' | '$' | '€' | '£'))
}

/// The glue between atoms (cjk-rules.md §3, §5).
fn glue(para: &Para, opts: &TextOptions) -> Vec<Gap> {
    let text = para.text.as_bytes();
    let mut gaps = Vec::with_capacity(para.atoms.len());
    for (i, pair) in para.atoms.windows(2).enumerate() {
        let (Some(a), Some(b)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        let em = a.size.max(b.size);
        let spaced = (a.text.end..b.text.start).any(|k| text.get(k as usize) == Some(&b' '));
        let mut gap = Gap {
            breakable: may_break(a, b, opts.kinsoku),
            emergency: true,
            ..Gap::default()
        };
        let latin = |x: &Atom| x.class == Class::Latin;
        let han = |x: &Atom| x.class == Class::Ideograph && !x.glyphs.is_empty();
        let mut cjk_latin = false;
        if spaced && (latin(a) || latin(b)) {
            // A Latin word space: natural ⅓ em, shrink to ¼ em, stretch to ½ em.
            gap.natural = em / 3.0;
            gap.shrink = em / 12.0;
            gap.stretch = em / 6.0;
            gap.breakable = true;
        } else if (han(a) && latin(b) && edge_alnum(&para.text, b.text.start as usize, false))
            || (latin(a) && han(b) && edge_alnum(&para.text, a.text.end as usize, true))
        {
            // ¼ em between CJK and Latin/digits; in justification it may shrink to ⅛ em and
            // take its share of the stretch like every other gap of the line (issue 14).
            gap.natural = em / 4.0;
            gap.shrink = em / 8.0;
            gap.stretch = em / 12.0;
            cjk_latin = true;
        }
        // Inter-character stretch, never inside ——/……, next to a connector or solidus,
        // or between a number and its unit (cjk-rules.md §3). The indent is not a character.
        let fixed = |x: &Atom| {
            matches!(
                x.class,
                Class::Connector | Class::Solidus | Class::Postfix | Class::Prefix
            )
        };
        gap.cjk_latin = cjk_latin;
        let same_token = latin(a) && latin(b) && a.text.end == b.text.start;
        gap.letterspace = !(fixed(a) || fixed(b) || same_token || (i == 0 && a.glyphs.is_empty()));
        if i == 0 && a.glyphs.is_empty() && a.text.is_empty() {
            gap.breakable = false; // never break right after the indent
            gap.emergency = false;
        }
        gaps.push(gap);
    }
    gaps
}
