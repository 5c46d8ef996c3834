//! Justification (两端对齐): positions of a line's glyphs, spreading or tightening the glue in
//! clreq's order (cjk-rules.md §3); the last line of a paragraph flush left.

use super::Line;
use crate::fonts::FaceId;
use crate::shape::class::is_squeezable;
use crate::shape::{end_cut, hang, place, start_cut, Atom, Gap, Para};

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
    /// How it stands in its line (upright, or in a vertical line turned or 纵中横).
    pub orient: crate::shape::Orient,
}

/// A sum of shrink or stretch, in points, below which it counts as none (no division by 0).
const MIN_GLUE: f32 = 0.001;

/// Positions the glyphs of `line`; returns them and the line's set width.
pub fn justify(p: &Para, line: &Line) -> (Vec<PlacedGlyph>, f32) {
    let set = LineAtoms::of(p, line);
    let spread = Spread::of(line, &set.glue(p));
    let mut out = Vec::with_capacity(set.glyph_count());
    let mut x = 0.0;
    for (k, a) in set.atoms.iter().enumerate() {
        let w = set.width_at(k, a);
        place_atom(&mut out, p, a, x, w);
        if k == set.last_k && end_cut(a) < 0.0 {
            out.extend(hyphen(p, a, x));
        }
        x += w;
        if let Some(g) = set.gaps.get(k) {
            x = spread.after_gap(x, g);
        }
    }
    (out, x)
}

/// The atoms of a line and the gaps between them (the gap at its break excluded).
struct LineAtoms<'a> {
    atoms: &'a [Atom],
    gaps: &'a [Gap],
    /// Index of the last atom.
    last_k: usize,
}

/// The glue of a line at natural spacing: what its gaps may shrink and stretch, and which
/// gaps letterspacing widens.
struct Glue {
    /// Natural width of the line (its atoms as set at its ends, its gaps, less hanging).
    natural: f32,
    shrink: f32,
    stretch: f32,
    /// How many gaps letterspacing widens.
    letters: f32,
    /// With no gap between characters to widen, the CJK–Latin gaps take the rest.
    widen_cjk_latin: bool,
}

impl<'a> LineAtoms<'a> {
    /// The atoms and inner gaps of `line`.
    fn of(p: &'a Para, line: &Line) -> Self {
        // A line from the breaker always indexes its paragraph's atoms.
        debug_assert!(line.start <= line.end && line.end <= p.atoms.len());
        let atoms = p.atoms.get(line.start..line.end).unwrap_or(&[]);
        let gaps = p
            .gaps
            .get(line.start..line.end.saturating_sub(1))
            .unwrap_or(&[]);
        LineAtoms {
            atoms,
            gaps,
            last_k: atoms.len().saturating_sub(1),
        }
    }

    /// Atom `k`'s width on this line: the first loses its start cut, the last its end cut.
    #[inline]
    fn width_at(&self, k: usize, a: &Atom) -> f32 {
        let mut w = a.width;
        if k == 0 {
            w -= start_cut(a);
        }
        if k == self.last_k && (k > 0 || end_cut(a) < 0.0) {
            w -= end_cut(a);
        }
        w
    }

    /// The line's glue at natural spacing.
    fn glue(&self, p: &Para) -> Glue {
        let (atoms, gaps) = (self.atoms, self.gaps);
        let hanging = if atoms.len() > 1 {
            atoms.last().map_or(0.0, |a| hang(p, a))
        } else {
            0.0
        };
        let natural: f32 = atoms
            .iter()
            .enumerate()
            .map(|(k, a)| self.width_at(k, a))
            .sum::<f32>()
            + gaps.iter().map(|g| g.natural).sum::<f32>()
            - hanging;
        let mut letters = gaps.iter().filter(|g| g.letterspace).count() as f32;
        let widen_cjk_latin = letters == 0.0;
        if widen_cjk_latin {
            letters = gaps.iter().filter(|g| g.cjk_latin).count() as f32;
        }
        Glue {
            natural,
            shrink: gaps.iter().map(|g| g.shrink).sum(),
            stretch: gaps.iter().map(|g| g.stretch).sum(),
            letters,
            widen_cjk_latin,
        }
    }

    /// How many glyphs the line's atoms hold.
    fn glyph_count(&self) -> usize {
        match (self.atoms.first(), self.atoms.last()) {
            (Some(f), Some(l)) => (l.glyphs.end as usize).saturating_sub(f.glyphs.start as usize),
            _ => 0,
        }
    }
}

/// How a line's glue is set, in clreq's order (cjk-rules.md §3): word spaces shrink (push-in)
/// or stretch first, letterspacing takes what is left.
struct Spread {
    /// Fraction of each gap's shrink (negative) or stretch (positive) taken.
    word_ratio: f32,
    /// Points added to each gap that letterspacing widens.
    per_letter: f32,
    /// Whether the CJK–Latin gaps are the ones widened.
    widen_cjk_latin: bool,
}

impl Spread {
    /// The spread that sets `glue` to `line`'s measure (none for a last or ragged line that
    /// is not too long).
    fn of(line: &Line, glue: &Glue) -> Self {
        let slack = line.width - glue.natural;
        let (word_ratio, per_letter) = if slack < 0.0 {
            (-(-slack / glue.shrink.max(MIN_GLUE)).min(1.0), 0.0)
        } else if line.last || line.ragged {
            (0.0, 0.0)
        } else {
            let w = (slack / glue.stretch.max(MIN_GLUE)).min(1.0);
            let rest = (slack - glue.stretch).max(0.0);
            (
                w,
                if glue.letters > 0.0 {
                    rest / glue.letters
                } else {
                    0.0
                },
            )
        };
        Spread {
            word_ratio,
            per_letter,
            widen_cjk_latin: glue.widen_cjk_latin,
        }
    }

    /// The pen position `x` moved past gap `g` as spread.
    fn after_gap(&self, x: f32, g: &Gap) -> f32 {
        let mut x = x + g.natural;
        x += if self.word_ratio < 0.0 {
            g.shrink * self.word_ratio
        } else {
            g.stretch * self.word_ratio
        };
        if g.letterspace || (self.widen_cjk_latin && g.cjk_latin) {
            x += self.per_letter;
        }
        x
    }
}

/// Places atom `a`'s glyphs at pen position `x`, the atom set `w` wide (a squeezed mark sits
/// by its alignment in what is left of it).
fn place_atom(out: &mut Vec<PlacedGlyph>, p: &Para, a: &Atom, x: f32, w: f32) {
    // An atom's glyph range is made by the shaper from the paragraph's glyphs.
    debug_assert!(a.glyphs.end as usize <= p.glyphs.len());
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
            orient: g.orient,
        });
    }
}

/// The hyphen ending a line broken at a hyphenation point inside atom `a` (set at pen
/// position `x`), in the atom's face, if the face has one.
fn hyphen(p: &Para, a: &Atom, x: f32) -> Option<PlacedGlyph> {
    let first = p.glyphs.get(a.glyphs.start as usize)?;
    let (face, orient) = (first.face, first.orient);
    let (id, adv) = p.hyphen(face)?;
    Some(PlacedGlyph {
        face,
        id,
        size: a.size,
        x: x + a.width,
        advance: adv * a.size,
        start: a.text.end,
        end: a.text.end,
        scale: 1.0,
        orient,
    })
}
