//! The font book: faces by role, memory-mapped and parsed lazily; cmap, advances, Latin shaping.

use crate::error::{Diagnostic, Error, Result};
use harfrust::{Buffer, Direction, Script, ShapeOptions, ShaperFont};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Shared bytes of a font file (a memory map).
pub type FontData = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Index of a face in the book (stable for a build).
pub type FaceId = usize;

/// One loaded font face.
pub struct Face {
    /// Role name from the layout (`serif`, `kai`, …).
    pub role: String,
    /// The font file.
    pub path: PathBuf,
    /// The mapped bytes, shared with the PDF writer.
    pub data: FontData,
    font: harfrust::Font,
    upem: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Face({} {})", self.role, self.path.display())
    }
}

/// Face-wide metrics in 1/1000 em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceMetrics {
    /// Font bounding box (x_min, y_min, x_max, y_max).
    pub bbox: (f32, f32, f32, f32),
    /// Ascender.
    pub ascent: f32,
    /// Descender (negative).
    pub descent: f32,
    /// Height of capital letters.
    pub cap_height: f32,
}

/// A glyph as shaped: id and geometry in em units (1.0 = the type size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in the face.
    pub id: u16,
    /// Advance in em.
    pub advance: f32,
    /// Horizontal offset in em.
    pub offset: f32,
    /// Byte offset of the glyph's cluster in the shaped string.
    pub cluster: u32,
}

impl Face {
    fn open(role: &str, path: &Path) -> std::result::Result<Face, String> {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot open font: {e}"))?;
        // SAFETY: the font file is opened read-only and not modified while mapped; a
        // concurrent truncation by another process is outside this tool's contract.
        let map =
            unsafe { memmap2::Mmap::map(&file) }.map_err(|e| format!("cannot map font: {e}"))?;
        let data: FontData = Arc::new(map);
        let font = harfrust::Font::new(data.clone(), 0).ok_or("not a TrueType/OpenType font")?;
        let upem = f32::from(font.units_per_em()).max(1.0);
        Ok(Face {
            role: role.to_string(),
            path: path.to_path_buf(),
            data,
            font,
            upem,
        })
    }

    /// The glyph for a character, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.font
            .charmap()
            .map_unicode(c)
            .and_then(|g| u16::try_from(g.to_u32()).ok())
    }

    /// A glyph's advance in em.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.font
            .glyph_metrics()
            .h_advance(harfrust::GlyphId::new(u32::from(glyph)))
            / self.upem
    }

    /// Face-wide metrics in 1/1000 em, for the PDF font descriptor.
    pub fn metrics(&self) -> FaceMetrics {
        let m = self.font.metrics();
        let k = 1000.0 / self.upem;
        let b = &m.bounds;
        let line = m.typo_line.or(m.hhea_line);
        FaceMetrics {
            bbox: (
                b.x_min.to_f32() * k,
                b.y_min.to_f32() * k,
                b.x_max.to_f32() * k,
                b.y_max.to_f32() * k,
            ),
            ascent: line.map_or(880.0, |l| l.ascender.to_f32() * k),
            descent: line.map_or(-120.0, |l| l.descender.to_f32() * k),
            cap_height: m.cap_height.map_or(700.0, |c| c.to_f32() * k),
        }
    }

    /// Shapes a Latin/digit run with OpenType features (kerning, ligatures).
    pub fn shape_latin(&self, text: &str) -> Vec<ShapedGlyph> {
        let shaper = ShaperFont::new(&self.font);
        let mut buf = Buffer::new();
        buf.push_str(text);
        buf.set_direction(Direction::LeftToRight);
        buf.set_script(Some(Script::LATIN));
        if harfrust::shape(&shaper, &mut buf, ShapeOptions::new()).is_err() {
            // Fall back to nominal glyphs: a malformed table must not lose text.
            return text
                .char_indices()
                .map(|(i, c)| {
                    let id = self.glyph(c).unwrap_or(0);
                    ShapedGlyph {
                        id,
                        advance: self.advance(id),
                        offset: 0.0,
                        cluster: i as u32,
                    }
                })
                .collect();
        }
        buf.glyph_infos()
            .iter()
            .zip(buf.glyph_positions())
            .map(|(i, p)| ShapedGlyph {
                id: u16::try_from(i.glyph_id).unwrap_or(0),
                advance: p.x_advance as f32 / self.upem,
                offset: p.x_offset as f32 / self.upem,
                cluster: i.cluster,
            })
            .collect()
    }
}

/// A face slot: role, file, and the face once loaded (or why it failed).
type Slot = (
    String,
    PathBuf,
    OnceLock<std::result::Result<Arc<Face>, String>>,
);

/// Faces by role, loaded on first use.
pub struct FontBook {
    roles: Vec<Slot>,
}

impl FontBook {
    /// A book over the layout's font roles; nothing is read yet.
    pub fn new(fonts: &BTreeMap<String, PathBuf>) -> Self {
        FontBook {
            roles: fonts
                .iter()
                .map(|(r, p)| (r.clone(), p.clone(), OnceLock::new()))
                .collect(),
        }
    }

    /// The id of a role.
    pub fn id(&self, role: &str) -> Option<FaceId> {
        self.roles.iter().position(|(r, _, _)| r == role)
    }

    /// The face of an id, loading it on first use.
    pub fn face(&self, id: FaceId) -> Result<Arc<Face>> {
        let (role, path, cell) = self
            .roles
            .get(id)
            .ok_or_else(|| Error::Pdf(format!("no font with id {id}")))?;
        cell.get_or_init(|| Face::open(role, path).map(Arc::new))
            .clone()
            .map_err(|e| {
                Error::from(
                    Diagnostic::file(path, format!("font for role `{role}`: {e}"))
                        .with_hint("check the [fonts] paths of the layout"),
                )
            })
    }

    /// The face that has `c`: the preferred one, else the other roles in order.
    pub fn face_for(&self, preferred: FaceId, c: char) -> Result<Option<(FaceId, u16)>> {
        let face = self.face(preferred)?;
        if let Some(g) = face.glyph(c) {
            return Ok(Some((preferred, g)));
        }
        for id in 0..self.roles.len() {
            if id != preferred {
                if let Some(g) = self.face(id)?.glyph(c) {
                    return Ok(Some((id, g)));
                }
            }
        }
        Ok(None)
    }

    /// Number of roles.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// Whether the book has no faces.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }
}
