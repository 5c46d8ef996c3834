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
    /// The file's identity when it was mapped (keys cached subsets).
    pub stamp: u64,
    font: harfrust::Font,
    upem: f32,
    /// The Latin shaping plan, compiled on first use (compiling costs more than shaping a
    /// word, and every Latin token of a build uses the same plan).
    latin_plan: OnceLock<harfrust::ShapePlan>,
    /// The vertical (top-to-bottom) shaping plan for CJK, compiled on first use.
    vertical_plan: OnceLock<harfrust::ShapePlan>,
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
        let (data, stamp) = if crate::bundled::is_bundled(path) {
            carried(path)?
        } else {
            map_file(path)?
        };
        let font = harfrust::Font::new(data.clone(), 0).ok_or("not a TrueType/OpenType font")?;
        let upem = f32::from(font.units_per_em()).max(1.0);
        Ok(Face {
            role: role.to_string(),
            path: path.to_path_buf(),
            data,
            stamp,
            font,
            upem,
            latin_plan: OnceLock::new(),
            vertical_plan: OnceLock::new(),
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

    /// A glyph's ink from left to right, in em from its origin (`None` for a blank glyph).
    pub fn ink(&self, glyph: u16) -> Option<(f32, f32)> {
        let e = self
            .font
            .glyph_metrics()
            .extents(harfrust::GlyphId::new(u32::from(glyph)))?;
        (e.width > 0.0).then(|| (e.x_bearing / self.upem, (e.x_bearing + e.width) / self.upem))
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

    /// The glyph of `c` in vertical text and its vertical advance in em: shaped top to bottom
    /// (harfrust applies the face's `vert`/`vrt2` forms: ，。 in the upper right of their em box,
    /// brackets turned), the advance from `vmtx` (1 em where the face has no vertical metrics).
    /// `None` when the face lacks `c`.
    pub fn vertical_form(&self, c: char) -> Option<(u16, f32)> {
        let nominal = self.glyph(c)?;
        let shaper = ShaperFont::new(&self.font);
        let plan = self.vertical_plan.get_or_init(|| {
            harfrust::ShapePlan::new(
                &self.font,
                Direction::TopToBottom,
                Some(Script::HAN),
                None,
                &[],
            )
        });
        let mut buf = Buffer::new();
        buf.push_str(c.encode_utf8(&mut [0; 4]));
        buf.set_direction(Direction::TopToBottom);
        buf.set_script(Some(Script::HAN));
        let shaped = harfrust::shape(&shaper, &mut buf, ShapeOptions::new().plan(Some(plan)));
        let (infos, positions) = (buf.glyph_infos(), buf.glyph_positions());
        match (shaped, infos, positions) {
            // One glyph for one character: its vertical form (a ligature or split is not a
            // form; keep the nominal glyph).
            (Ok(()), [info], [pos]) => {
                let id = u16::try_from(info.glyph_id).unwrap_or(nominal);
                let advance = -(pos.y_advance as f32) / self.upem;
                Some((id, if advance > 0.0 { advance } else { 1.0 }))
            }
            _ => Some((nominal, 1.0)),
        }
    }

    /// Shapes a Latin/digit run with OpenType features (kerning, ligatures).
    pub fn shape_latin(&self, text: &str) -> Vec<ShapedGlyph> {
        let shaper = ShaperFont::new(&self.font);
        let plan = self.latin_plan.get_or_init(|| {
            harfrust::ShapePlan::new(
                &self.font,
                Direction::LeftToRight,
                Some(Script::LATIN),
                None,
                &[],
            )
        });
        let mut buf = Buffer::new();
        buf.push_str(text);
        buf.set_direction(Direction::LeftToRight);
        buf.set_script(Some(Script::LATIN));
        if harfrust::shape(&shaper, &mut buf, ShapeOptions::new().plan(Some(plan))).is_err() {
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

/// A font file mapped into memory, glyph names dropped (in the process's own copy of the
/// page), and its cache stamp.
fn map_file(path: &Path) -> std::result::Result<(FontData, u64), String> {
    // Only a regular file, opened without blocking: a folder, FIFO or device is refused
    // with what it is.
    let (file, meta) = crate::error::open_regular(path).map_err(|p| p.describe("font file"))?;
    // SAFETY: the font file is opened read-only and not modified while mapped; a
    // concurrent truncation by another process is outside this tool's contract.
    // A private mapping: reads share the page cache, and the one page written below
    // (the table directory) is the process's own copy.
    let mut map = unsafe { memmap2::MmapOptions::new().map_copy(&file) }
        .map_err(|e| format!("cannot map font: {e}"))?;
    crate::glyph_names::drop_glyph_names(&mut map);
    let map = map
        .make_read_only()
        .map_err(|e| format!("cannot map font: {e}"))?;
    Ok((Arc::new(map), crate::cache::file_stamp(path, &meta)))
}

/// A font the program carries (already without glyph names), and a stamp made from its name
/// and contents' size (the program's build id keys the caches besides).
fn carried(path: &Path) -> std::result::Result<(FontData, u64), String> {
    let bytes = crate::bundled::bytes(path).ok_or_else(|| {
        format!(
            "this program carries no font {} (the bundled fonts are {})",
            path.file_name().map_or("".into(), |n| n.to_string_lossy()),
            crate::bundled::names()
        )
    })?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(path, &mut h);
    std::hash::Hash::hash(&bytes.len(), &mut h);
    Ok((Arc::new(bytes), std::hash::Hasher::finish(&h)))
}

/// A face slot: role, file, and the face once loaded (or why it failed).
type RoleSlot = (
    String,
    PathBuf,
    OnceLock<std::result::Result<Arc<Face>, String>>,
);

/// Faces by role, loaded on first use.
pub struct FontBook {
    roles: Vec<RoleSlot>,
    /// Characters already resolved, per thread (no lock on the hot path): a page repeats its
    /// few thousand distinct characters many times, and a cmap lookup with fallback costs far
    /// more than a hash probe. Owned by the book, so a new book (a rebuild) starts afresh.
    resolved: thread_local::ThreadLocal<std::cell::RefCell<ResolveCache>>,
}

/// A character resolved to a face: the face, its glyph and the glyph's advance in em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    /// The face that has the character.
    pub face: FaceId,
    /// Its glyph id.
    pub id: u16,
    /// The glyph's advance in em.
    pub advance: f32,
}

/// A fast hasher for small integer keys (the resolution cache's keys are a face id and a
/// character; no untrusted key can make it degenerate beyond a slow build).
#[derive(Default)]
pub(crate) struct SmallKeyHasher(u64);

impl std::hash::Hasher for SmallKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Resolved characters by (preferred face, character).
type ResolveCache = std::collections::HashMap<
    (FaceId, char),
    Option<Resolved>,
    std::hash::BuildHasherDefault<SmallKeyHasher>,
>;

impl FontBook {
    /// A book over the layout's font roles; nothing is read yet.
    pub fn new(fonts: &BTreeMap<String, PathBuf>) -> Self {
        Self::with_fallback(fonts, &[])
    }

    /// A book over the layout's font roles and, after them, its fallback fonts (consulted in
    /// order for a character no role's font has; roles `fallback 1`, `fallback 2`, …).
    pub fn with_fallback(fonts: &BTreeMap<String, PathBuf>, fallback: &[PathBuf]) -> Self {
        FontBook {
            roles: fonts
                .iter()
                .map(|(r, p)| (r.clone(), p.clone(), OnceLock::new()))
                .chain(
                    fallback
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (format!("fallback {}", i + 1), p.clone(), OnceLock::new())),
                )
                .collect(),
            resolved: thread_local::ThreadLocal::new(),
        }
    }

    /// A book over the fonts of every layout of an edition: the first layout's roles and
    /// fallbacks as [`FontBook::with_fallback`] makes them, then each font file of a later
    /// layout that is not in the book yet (its role labelled with the layout's name). Each
    /// file is one face, subset once for the whole document.
    pub fn for_layouts<'a>(layouts: impl IntoIterator<Item = &'a crate::model::Layout>) -> Self {
        let mut layouts = layouts.into_iter();
        let Some(first) = layouts.next() else {
            return Self::new(&BTreeMap::new());
        };
        let mut book = Self::with_fallback(&first.fonts, &first.fallback);
        for layout in layouts {
            let files = layout.fonts.iter().map(|(r, p)| (r.clone(), p)).chain(
                layout
                    .fallback
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("fallback {}", i + 1), p)),
            );
            for (role, path) in files {
                if !book.roles.iter().any(|(_, p, _)| p == path) {
                    let label = format!("{role} ({})", layout.name);
                    book.roles.push((label, path.clone(), OnceLock::new()));
                }
            }
        }
        book
    }

    /// The role of a face id.
    pub fn role(&self, id: FaceId) -> Option<&str> {
        self.roles.get(id).map(|(r, _, _)| r.as_str())
    }

    /// The id of a role.
    pub fn id(&self, role: &str) -> Option<FaceId> {
        self.roles.iter().position(|(r, _, _)| r == role)
    }

    /// The face and size of `layout`'s style `name`: an error naming the layout when the
    /// style's font role is not in the book (never a silent first face).
    pub fn style_face(&self, layout: &crate::model::Layout, name: &str) -> Result<(FaceId, f32)> {
        let style = layout.style(name);
        Ok((self.role_face(layout, &style.font)?, style.size.0))
    }

    /// The face of font role `role` of `layout`, or an error naming the layout.
    pub fn role_face(&self, layout: &crate::model::Layout, role: &str) -> Result<FaceId> {
        // The layout's own file for the role (an edition's layouts may differ), else the
        // book's face of that role.
        let file = layout.fonts.get(role);
        let by_file = file.and_then(|f| {
            let same = |(_, p, _): &RoleSlot| p == f;
            self.roles
                .iter()
                .position(|slot| slot.0 == role && same(slot))
                .or_else(|| self.roles.iter().position(same))
        });
        by_file.or_else(|| self.id(role)).ok_or_else(|| {
            Error::Font(Box::new(
                Diagnostic::file(
                    &layout.source,
                    format!("font role `{role}` is not among this edition's fonts"),
                )
                .with_hint("add the role to the layout's [fonts]"),
            ))
        })
    }

    /// The face of an id, loading it on first use.
    pub fn face(&self, id: FaceId) -> Result<Arc<Face>> {
        self.face_ref(id).cloned()
    }

    /// The face of an id, borrowed (no reference count touched: this runs per character).
    fn face_ref(&self, id: FaceId) -> Result<&Arc<Face>> {
        let (role, path, cell) = self
            .roles
            .get(id)
            .ok_or_else(|| Error::Internal(format!("no font with id {id}")))?;
        match cell.get_or_init(|| Face::open(role, path).map(Arc::new)) {
            Ok(f) => Ok(f),
            Err(e) => Err(Error::from(
                Diagnostic::file(path, format!("font for role `{role}`: {e}"))
                    .with_hint("check the [fonts] paths of the layout"),
            )),
        }
    }

    /// The face that has `c` (the preferred one, else the fallbacks, else the other roles, in
    /// order), its glyph and the glyph's advance; answered from a per-thread cache after the
    /// first time.
    pub fn resolve(&self, preferred: FaceId, c: char) -> Result<Option<Resolved>> {
        let key = (preferred, c);
        let cache = self.resolved.get_or_default();
        if let Some(hit) = cache.borrow().get(&key).copied() {
            return Ok(hit);
        }
        let found = self.lookup(preferred, c)?;
        cache.borrow_mut().insert(key, found);
        Ok(found)
    }

    fn lookup(&self, preferred: FaceId, c: char) -> Result<Option<Resolved>> {
        // The fallbacks before the other roles: they are the layout's choice for characters a
        // face lacks (a 生僻字 in a 宋体 paragraph from the 明朝 fallback, not from the 楷体 of
        // the captions).
        let fallback = |i: &usize| {
            self.roles
                .get(*i)
                .is_some_and(|r| r.0.starts_with("fallback"))
        };
        let others = (0..self.roles.len()).filter(|i| *i != preferred);
        let order = std::iter::once(preferred)
            .chain(others.clone().filter(fallback))
            .chain(others.filter(|i| !fallback(i)));
        for id in order {
            let face = self.face_ref(id)?;
            if let Some(g) = face.glyph(c) {
                return Ok(Some(Resolved {
                    face: id,
                    id: g,
                    advance: face.advance(g),
                }));
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

#[cfg(test)]
mod tests {
    use crate::glyph_names::drop_glyph_names;

    /// A table directory with one `post` table of `version` and `len` bytes at offset 28.
    fn font(magic: u32, version: u32, len: u32) -> Vec<u8> {
        let mut f = Vec::new();
        f.extend_from_slice(&magic.to_be_bytes());
        f.extend_from_slice(&1u16.to_be_bytes());
        f.extend_from_slice(&[0; 6]);
        f.extend_from_slice(b"post");
        f.extend_from_slice(&0u32.to_be_bytes());
        f.extend_from_slice(&28u32.to_be_bytes());
        f.extend_from_slice(&len.to_be_bytes());
        f.extend_from_slice(&version.to_be_bytes());
        f.resize(28 + len as usize, 7);
        f
    }

    #[test]
    fn glyph_names_are_dropped_from_single_fonts_only() {
        let mut named = font(0x0001_0000, 0x0002_0000, 400);
        drop_glyph_names(&mut named);
        assert_eq!(named.get(28..32), Some(&0x0003_0000u32.to_be_bytes()[..]));
        assert_eq!(named.get(24..28), Some(&32u32.to_be_bytes()[..]));
        // The header after the version (italic angle, underline) is kept.
        assert_eq!(named.get(32..60), Some(&[7u8; 28][..]));
        for mut same in [
            font(0x0001_0000, 0x0003_0000, 400), // no names
            font(0x7474_6366, 0x0002_0000, 400), // a collection ('ttcf')
            font(0x0001_0000, 0x0002_0000, 32),  // nothing to drop
        ] {
            let before = same.clone();
            drop_glyph_names(&mut same);
            assert_eq!(same, before);
        }
        drop_glyph_names(&mut [0u8; 3]); // too short: no panic
    }

    #[test]
    fn a_style_whose_role_the_book_lacks_is_an_error_naming_the_layout() {
        let layout = crate::model::layout::resolve_layout(
            "broadsheet",
            std::path::Path::new("/none/p.toml"),
            "",
            0,
        )
        .unwrap();
        let empty = super::FontBook::new(&std::collections::BTreeMap::new());
        let e = empty.style_face(&layout, "body").unwrap_err().to_string();
        assert!(
            e.contains("broadsheet.toml") && e.contains("font role `serif`"),
            "{e}"
        );
        let full = super::FontBook::new(&layout.fonts);
        assert!(full.style_face(&layout, "body").is_ok());
    }
}
