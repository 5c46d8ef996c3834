//! Display lines set whole (headlines, cross-heads, the running header, a jump line, a photo
//! credit): broken into balanced ragged lines, then each positioned flush.
//!
//! Does not place the lines on the page: the caller centres them, or sets them flush right.

use super::{break_display, justify, Line, Measures, PlacedGlyph};
use crate::shape::Para;

/// One display line as set.
#[derive(Debug, Clone, PartialEq)]
pub struct SetDisplay {
    /// The paragraph's atoms on the line (marked `last`: set flush, never spread).
    pub line: Line,
    /// Its glyphs, positioned from the line's left edge.
    pub glyphs: Vec<PlacedGlyph>,
    /// Its set width in points.
    pub width: f32,
}

impl SetDisplay {
    /// Narrows the line to horizontal scale `scale` (长体, at most 1): glyph positions,
    /// advances and the width are scaled (a scale of 1 changes nothing).
    pub fn condense(&mut self, scale: f32) {
        for g in &mut self.glyphs {
            g.x *= scale;
            g.advance *= scale;
            g.scale *= scale;
        }
        self.width *= scale;
    }
}

/// Sets a display text at one measure: [`break_display`] into balanced lines broken by
/// sense, then [`justify`] positions each line's glyphs. A text meant for one line (a header,
/// a jump line) takes the first.
pub fn set_display(p: &Para, width: f32) -> Vec<SetDisplay> {
    break_display(p, Measures { widths: &[width] })
        .into_iter()
        .map(|line| {
            let (glyphs, width) = justify(p, &line);
            SetDisplay {
                line,
                glyphs,
                width,
            }
        })
        .collect()
}
