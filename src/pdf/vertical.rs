//! Vertical lines (竖排) in the content stream. Upright glyphs (vertical forms, 纵中横 digits)
//! are shown with the face's vertical font (Identity-V, WMode 1), so that text extraction
//! (poppler, MuPDF) reads them top to bottom and the columns right to left; turned Latin is
//! shown with the horizontal font under a text matrix turned 90° clockwise. Every glyph is
//! placed on its own (`Tm`, then `Tj`): its place comes from the line, never from the font's
//! advances. 纵中横 digits carry their text as `/ActualText`, read as one character.
//!
//! Does not lay out anything; `flow` and `shape` did.

use super::font::FontUse;
use super::TextState;
use crate::linebreak::PlacedGlyph;
use crate::page::Orient;
use crate::page::TextRun;
use pdf_writer::{Content, Name, Str, TextStr};
use std::collections::BTreeMap;

/// The height of the ideographic em box's centre above the baseline, in em (the box runs
/// from 0.12 em below the baseline to 0.88 above): a turned glyph's baseline lies this far
/// left of the column's centre line, so its em box is centred on the column.
const EM_BOX_MIDDLE: f32 = 0.38;

/// Draws a vertical text run: `line.x` is the column's centre line, `line.baseline` the top of
/// its first em box, each glyph's `x` its offset down the column.
pub(super) fn draw(
    c: &mut Content,
    line: &TextRun,
    fonts: &BTreeMap<usize, FontUse>,
    (off, media_h): (f32, f32),
    state: &mut TextState,
) {
    let [cc, m, y, k] = line.colour.0;
    c.set_fill_cmyk(cc, m, y, k);
    c.begin_text();
    if state.tc != 0.0 {
        c.set_char_spacing(0.0);
        state.tc = 0.0;
    }
    let mut i = 0;
    while let Some(g) = line.glyphs.get(i) {
        let Some(font) = fonts.get(&g.face) else {
            i += 1;
            continue;
        };
        // PDF coordinates of the top of the glyph's em box, on the column's centre line.
        let (cx, top) = (line.x + off, media_h - (line.baseline + g.x) - off);
        match g.orient {
            Orient::Turned => {
                turned(c, g, font, (cx, top), state);
                i += 1;
            }
            Orient::Upright => {
                upright(c, g, font, (cx, top), state);
                i += 1;
            }
            Orient::Across(_) => {
                // The digits of one 纵中横 unit: consecutive glyphs across one em.
                let n = line
                    .glyphs
                    .get(i..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|h| matches!(h.orient, Orient::Across(_)) && h.x == g.x)
                    .count()
                    .max(1);
                let unit = line.glyphs.get(i..i + n).unwrap_or(&[]);
                across(c, (unit, line), fonts, (cx, top), state);
                i += n;
            }
        }
    }
    c.end_text();
}

/// Sets the horizontal scale (Tz) to `scale`, tracked across the stream.
fn scale_to(c: &mut Content, scale: f32, state: &mut TextState) {
    let scale = scale.clamp(0.1, 2.0);
    if (scale - state.tz).abs() > 1e-6 {
        c.set_horizontal_scaling(scale * 100.0);
        state.tz = scale;
    }
}

/// Shows one glyph's CID.
fn show(c: &mut Content, font: &FontUse, id: u16) {
    let cid = font.glyph(id).0;
    c.show(Str(&cid.to_be_bytes()));
}

/// An upright glyph in its vertical form: the vertical font hangs its em box from the current
/// point, centred across it (DW2).
fn upright(
    c: &mut Content,
    g: &PlacedGlyph,
    font: &FontUse,
    (cx, top): (f32, f32),
    state: &mut TextState,
) {
    let Some(name) = &font.vertical else {
        return;
    };
    scale_to(c, 1.0, state);
    c.set_font(Name(name.as_bytes()), g.size.max(0.1));
    c.set_text_matrix([1.0, 0.0, 0.0, 1.0, cx, top]);
    show(c, font, g.id);
}

/// A glyph turned 90° clockwise: the horizontal font, its baseline running down the column,
/// its em box centred across it; a stretched dash keeps its scale along the line.
fn turned(
    c: &mut Content,
    g: &PlacedGlyph,
    font: &FontUse,
    (cx, top): (f32, f32),
    state: &mut TextState,
) {
    scale_to(c, g.scale, state);
    c.set_font(Name(font.name.as_bytes()), g.size.max(0.1));
    c.set_text_matrix([0.0, -1.0, 1.0, 0.0, cx - EM_BOX_MIDDLE * g.size, top]);
    show(c, font, g.id);
}

/// A 纵中横 unit: its digits upright side by side across the column (narrowed together when
/// wider than the em), each through the vertical font so that extraction keeps it in the
/// column, the unit marked with its text as `/ActualText`.
fn across(
    c: &mut Content,
    (unit, line): (&[PlacedGlyph], &TextRun),
    fonts: &BTreeMap<usize, FontUse>,
    (cx, top): (f32, f32),
    state: &mut TextState,
) {
    let text = match (unit.first(), unit.last()) {
        (Some(a), Some(b)) => line
            .text
            .get(a.start as usize..b.end as usize)
            .unwrap_or(""),
        _ => "",
    };
    c.begin_marked_content_with_properties(Name(b"Span"))
        .properties()
        .actual_text(TextStr(text));
    for g in unit {
        let (Some(font), Orient::Across(left)) = (fonts.get(&g.face), g.orient) else {
            continue;
        };
        let Some(name) = &font.vertical else {
            continue;
        };
        scale_to(c, 1.0, state);
        let size = g.size.max(0.1);
        // The vertical font centres the glyph's own width on the current point.
        let half = font.glyph(g.id).1 / 1000.0 * size * g.scale / 2.0;
        c.set_font(Name(name.as_bytes()), size);
        c.set_text_matrix([g.scale, 0.0, 0.0, 1.0, cx + left + half, top]);
        show(c, font, g.id);
    }
    c.end_marked_content();
}
