//! PDF: composed pages → PDF bytes with krilla (fonts subset with ToUnicode, CMYK black text
//! and rules, JPEGs passed through, TrimBox/BleedBox), written atomically.
//!
//! Not yet PDF/X: no output intent, no overprint state (see the README's "not done").

use crate::compose::{Item, Page};
use crate::error::{Error, Result};
use crate::fonts::{FaceId, FontBook};
use crate::units::Rect;
use krilla::color::cmyk;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use std::collections::BTreeMap;
use std::path::Path;

/// 100% K: black text and rules are black ink only (newspaper.md).
fn black() -> cmyk::Color {
    cmyk::Color::new(0, 0, 0, 255)
}

/// Writes the pages into one PDF document.
pub fn write_pdf(pages: &[Page], book: &FontBook, title: &str) -> Result<Vec<u8>> {
    let settings = SerializeSettings {
        ascii_compatible: false,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    doc.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.to_string())
            .creator("paiban".to_string())
            .producer(format!("paiban {}", env!("CARGO_PKG_VERSION"))),
    );
    let mut fonts: BTreeMap<FaceId, Font> = BTreeMap::new();
    for page in pages {
        let b = page.bleed;
        let (w, h) = (page.width + 2.0 * b, page.height + 2.0 * b);
        let settings = PageSettings::from_wh(w, h)
            .ok_or_else(|| Error::Pdf(format!("page size {w}×{h} pt is not drawable")))?
            .with_trim_box(krilla::geom::Rect::from_xywh(b, b, page.width, page.height))
            .with_bleed_box(krilla::geom::Rect::from_xywh(0.0, 0.0, w, h));
        let mut pg = doc.start_page_with(settings);
        let mut surface = pg.surface();
        surface.push_transform(&Transform::from_translate(b, b));
        for item in &page.items {
            match item {
                Item::Text(line) => {
                    surface.set_fill(Some(Fill {
                        paint: black().into(),
                        opacity: NormalizedF32::ONE,
                        rule: FillRule::default(),
                    }));
                    draw_line(&mut surface, line, book, &mut fonts)?;
                }
                Item::Rule { from, to, width } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(from.0, from.1);
                    pb.line_to(to.0, to.1);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: black().into(),
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Item::Image {
                    photo,
                    frame,
                    placed,
                } => {
                    if let (Some(clip), Some(size)) =
                        (rect_path(frame), Size::from_wh(placed.w, placed.h))
                    {
                        surface.push_clip_path(&clip, &FillRule::NonZero);
                        surface.push_transform(&Transform::from_translate(placed.x, placed.y));
                        surface.draw_image(photo.image.clone(), size);
                        surface.pop();
                        surface.pop();
                    }
                }
            }
        }
        surface.pop();
        surface.finish();
        pg.finish();
    }
    doc.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
}

fn rect_path(r: &Rect) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(krilla::geom::Rect::from_xywh(r.x, r.y, r.w, r.h)?);
    pb.finish()
}

/// Draws a set line, one `draw_glyphs` call per run of one face and size.
fn draw_line(
    surface: &mut krilla::surface::Surface,
    line: &crate::flow::SetLine,
    book: &FontBook,
    fonts: &mut BTreeMap<FaceId, Font>,
) -> Result<()> {
    let gl = &line.glyphs;
    let mut i = 0;
    while i < gl.len() {
        let Some(first) = gl.get(i) else { break };
        let mut j = i + 1;
        while gl
            .get(j)
            .is_some_and(|g| g.face == first.face && g.size == first.size)
        {
            j += 1;
        }
        let run = gl.get(i..j).unwrap_or(&[]);
        let size = first.size.max(0.1);
        let glyphs: Vec<KrillaGlyph> = run
            .iter()
            .enumerate()
            .map(|(k, g)| {
                // Advances carry the justified positions: next glyph's x minus this one's.
                let next_x = run.get(k + 1).map_or(g.x + g.advance, |n| n.x);
                KrillaGlyph::new(
                    GlyphId::new(u32::from(g.id)),
                    (next_x - g.x) / size,
                    0.0,
                    0.0,
                    0.0,
                    g.start as usize..g.end as usize,
                    None,
                )
            })
            .collect();
        let font = match fonts.get(&first.face) {
            Some(f) => f.clone(),
            None => {
                let face = book.face(first.face)?;
                let f = Font::new(face.data.clone().into(), 0).ok_or_else(|| {
                    Error::Pdf(format!("krilla cannot read font {}", face.path.display()))
                })?;
                fonts.insert(first.face, f.clone());
                f
            }
        };
        surface.draw_glyphs(
            Point::from_xy(line.x + first.x, line.baseline),
            &glyphs,
            font,
            &line.text,
            size,
            false,
        );
        i = j;
    }
    Ok(())
}

/// Writes bytes to `path` atomically: a temporary file beside it, then a rename, so a PDF
/// appears only complete.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension(format!("pdf.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}
