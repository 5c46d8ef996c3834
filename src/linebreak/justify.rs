//! Justification (两端对齐): positions of a line's glyphs, spreading or tightening the glue in
//! clreq's order (cjk-rules.md §3); the last line of a paragraph flush left.

use super::Line;
use crate::fonts::FaceId;
use crate::shape::class::is_squeezable;
use crate::shape::{end_cut, hang, place, start_cut, Para};

/// A glyph placed on a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// Face.
    pub face: FaceId,
    /// Glyph id.
    pub id: u16,
    /// Type size in points.
    pub size: f32,
    /// Offset from the line's left edge, in points.
    pub x: f32,
    /// The glyph's own advance in points.
    pub advance: f32,
    /// Byte range of its cluster in the paragraph text.
    pub start: u32,
    /// End of the cluster.
    pub end: u32,
    /// Horizontal scale (长体 below 1, a stretched dash above): `x` and `advance` are already
    /// scaled.
    pub scale: f32,
}

/// Positions the glyphs of `line`; returns them and the line's set width.
pub fn justify(p: &Para, line: &Line) -> (Vec<PlacedGlyph>, f32) {
    let atoms = p.atoms.get(line.start..line.end).unwrap_or(&[]);
    let gaps = p
        .gaps
        .get(line.start..line.end.saturating_sub(1))
        .unwrap_or(&[]);
    // An atom's width on this line: the first loses its start cut, the last its end cut.
    let last_k = atoms.len().saturating_sub(1);
    let width_at = |k: usize, a: &crate::shape::Atom| {
        let mut w = a.width;
        if k == 0 {
            w -= start_cut(a);
        }
        if k == last_k && (k > 0 || end_cut(a) < 0.0) {
            w -= end_cut(a);
        }
        w
    };
    let hanging = if atoms.len() > 1 {
        atoms.last().map_or(0.0, |a| hang(p, a))
    } else {
        0.0
    };
    let natural: f32 = atoms
        .iter()
        .enumerate()
        .map(|(k, a)| width_at(k, a))
        .sum::<f32>()
        + gaps.iter().map(|g| g.natural).sum::<f32>()
        - hanging;
    let shrink: f32 = gaps.iter().map(|g| g.shrink).sum();
    let stretch: f32 = gaps.iter().map(|g| g.stretch).sum();
    let mut letters = gaps.iter().filter(|g| g.letterspace).count() as f32;
    // With no gap between characters to widen, the CJK–Latin gaps take the rest.
    let widen_cjk_latin = letters == 0.0;
    if widen_cjk_latin {
        letters = gaps.iter().filter(|g| g.cjk_latin).count() as f32;
    }
    let slack = line.width - natural;
    let (word_ratio, per_letter) = if slack < 0.0 {
        (-(-slack / shrink.max(0.001)).min(1.0), 0.0)
    } else if line.last || line.ragged {
        (0.0, 0.0)
    } else {
        let w = (slack / stretch.max(0.001)).min(1.0);
        let rest = (slack - stretch).max(0.0);
        (w, if letters > 0.0 { rest / letters } else { 0.0 })
    };
    let glyphs = match (atoms.first(), atoms.last()) {
        (Some(f), Some(l)) => (l.glyphs.end as usize).saturating_sub(f.glyphs.start as usize),
        _ => 0,
    };
    let mut out = Vec::with_capacity(glyphs);
    let mut x = 0.0;
    for (k, a) in atoms.iter().enumerate() {
        let w = width_at(k, a);
        for g in p
            .glyphs
            .get(a.glyphs.start as usize..a.glyphs.end as usize)
            .unwrap_or(&[])
        {
            let gx = if is_squeezable(a.class) {
                place(a.align, w, g.advance)
            } else {
                g.x
            };
            out.push(PlacedGlyph {
                face: g.face,
                id: g.id,
                size: a.size,
                x: x + gx,
                advance: g.advance,
                start: g.start,
                end: g.end,
                scale: g.scale,
            });
        }
        if k == last_k && end_cut(a) < 0.0 {
            // A line broken at a hyphenation point ends with a hyphen.
            let face = p.glyphs.get(a.glyphs.start as usize).map(|g| g.face);
            if let Some((face, (id, adv))) = face.and_then(|f| p.hyphen(f).map(|h| (f, h))) {
                out.push(PlacedGlyph {
                    face,
                    id,
                    size: a.size,
                    x: x + a.width,
                    advance: adv * a.size,
                    start: a.text.end,
                    end: a.text.end,
                    scale: 1.0,
                });
            }
        }
        x += w;
        if let Some(g) = gaps.get(k) {
            x += g.natural;
            x += if word_ratio < 0.0 {
                g.shrink * word_ratio
            } else {
                g.stretch * word_ratio
            };
            if g.letterspace || (widen_cjk_latin && g.cjk_latin) {
                x += per_letter;
            }
        }
    }
    (out, x)
}
