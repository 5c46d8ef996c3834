//! Font embedding: every face used is subset once per document (subsetter) and written as a
//! Type 0 / CIDFontType2 font with Identity-H, widths and a ToUnicode map.

use crate::error::{Error, Result};
use crate::fonts::{FaceId, FontBook};
use crate::page::{Item, Page};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;

/// A face as the document uses it, known before any subsetting: its resource name, the CID
/// of each glyph and the widths. Page content streams need only this, so they are written
/// while the faces are being subset.
pub struct FontUse {
    /// Resource name on pages (`F0`, `F1`, …).
    pub name: String,
    /// Old glyph id → CID (new glyph id).
    pub remapper: GlyphRemapper,
    /// Advance of each original glyph id used, in 1/1000 em.
    pub widths: BTreeMap<u16, f32>,
    /// By original glyph id: its CID and advance (1/1000 em), for the content streams' per-glyph
    /// lookups (a SipHash probe and a tree search a glyph were a twentieth of a 10-page build;
    /// a table indexed by glyph id cost more in page faults than it saved on one page).
    pub by_glyph: ByGlyph,
    /// The resource name of the face's vertical font (`V0`, …: Identity-V, the same glyphs
    /// and ToUnicode), when vertical lines set glyphs of it upright.
    pub vertical: Option<String>,
    /// The face's ideographic em box top above the baseline, 1/1000 em (DW2's vertical
    /// origin: a vertical glyph's em box hangs from the current point).
    pub em_top: f32,
}

/// The faces whose glyphs vertical lines set upright (in their vertical forms or 纵中横): they
/// get a vertical (Identity-V) font beside the horizontal one.
pub fn vertical_faces(pages: &[Page]) -> std::collections::BTreeSet<FaceId> {
    pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(l) if l.direction == crate::page::Direction::Vertical => Some(l),
            _ => None,
        })
        .flat_map(|l| &l.glyphs)
        .filter(|g| g.orient != crate::page::Orient::Turned)
        .map(|g| g.face)
        .collect()
}

/// The glyphs each face sets, with the text each maps to (for ToUnicode).
pub type Used = BTreeMap<FaceId, BTreeMap<u16, String>>;

/// How each face used is written: its resource name and glyph remapping.
pub type Uses = BTreeMap<FaceId, FontUse>;

/// Original glyph id → (CID, advance in 1/1000 em).
pub type ByGlyph = std::collections::HashMap<
    u16,
    (u16, f32),
    std::hash::BuildHasherDefault<crate::fonts::SmallKeyHasher>,
>;

impl FontUse {
    /// The CID and advance (1/1000 em) of an original glyph id; CID 0 and 1000 when unused.
    pub fn glyph(&self, id: u16) -> (u16, f32) {
        self.by_glyph.get(&id).copied().unwrap_or((0, 1000.0))
    }
}

/// The [`FontUse`] of every face used, in face order.
pub fn plan(
    book: &FontBook,
    used: &BTreeMap<FaceId, BTreeMap<u16, String>>,
    vertical: &std::collections::BTreeSet<FaceId>,
) -> Result<BTreeMap<FaceId, FontUse>> {
    let mut out = BTreeMap::new();
    for (k, (face_id, glyphs)) in used.iter().enumerate() {
        let face = book.face(*face_id)?;
        let mut remapper = GlyphRemapper::new();
        remapper.remap(0);
        for g in glyphs.keys() {
            remapper.remap(*g);
        }
        let widths: BTreeMap<u16, f32> = glyphs
            .keys()
            .map(|g| (*g, face.advance(*g) * 1000.0))
            .collect();
        let by_glyph = widths
            .iter()
            .map(|(g, w)| (*g, (remapper.get(*g).unwrap_or(0), *w)))
            .collect();
        out.insert(
            *face_id,
            FontUse {
                name: format!("F{k}"),
                remapper,
                widths,
                by_glyph,
                vertical: vertical.contains(face_id).then(|| format!("V{k}")),
                em_top: face.metrics().ascent,
            },
        );
    }
    Ok(out)
}

/// Glyphs used per face, with the text each glyph stands for (first seen wins).
pub fn collect(pages: &[Page], marks: bool) -> BTreeMap<FaceId, BTreeMap<u16, String>> {
    type Seen<'a> = std::collections::HashMap<
        (FaceId, u16),
        &'a str,
        std::hash::BuildHasherDefault<crate::fonts::SmallKeyHasher>,
    >;
    // A hash set while scanning (a page has tens of thousands of glyphs, a face a few
    // thousand distinct ones), sorted once at the end.
    let mut seen: Seen = Seen::default();
    for page in pages {
        let slug = page.slug.iter().filter(|_| marks);
        let lines =
            page.items
                .iter()
                .filter_map(|i| if let Item::Text(l) = i { Some(l) } else { None });
        for line in lines.chain(slug) {
            for g in &line.glyphs {
                let entry = seen.entry((g.face, g.id)).or_insert("");
                if entry.is_empty() {
                    // The only glyph without a cluster is the hyphen added at the end of a
                    // line broken inside an English word: it reads as a hyphen.
                    *entry = if g.start == g.end {
                        "-"
                    } else {
                        line.text
                            .get(g.start as usize..g.end as usize)
                            .unwrap_or("")
                    };
                }
            }
        }
    }
    let mut used: BTreeMap<FaceId, BTreeMap<u16, String>> = BTreeMap::new();
    for ((face, id), text) in seen {
        used.entry(face).or_default().insert(id, text.to_string());
    }
    used
}

/// A face subset to the glyphs a document uses, compressed, ready to write.
pub struct Subset {
    face_id: FaceId,
    face: std::sync::Arc<crate::fonts::Face>,
    compressed: Vec<u8>,
    length: usize,
}

impl Subset {
    /// Bytes the subset takes in the PDF, roughly.
    pub fn size(&self) -> usize {
        self.compressed.len() + 4096
    }
    /// The face subset.
    pub fn face_id(&self) -> FaceId {
        self.face_id
    }
}

/// Subsets one face (the costly part of font embedding: run in parallel per face), through
/// the subset cache in `cache` when there is one.
pub fn subset_face(
    book: &FontBook,
    face_id: FaceId,
    remapper: &GlyphRemapper,
    level: u8,
    cache: Option<&std::path::Path>,
) -> Result<Subset> {
    let face = book.face(face_id)?;
    let glyphs = cache.map(|_| super::subset_cache::glyph_list(remapper));
    if let (Some(dir), Some(glyphs)) = (cache, &glyphs) {
        if let Some(e) = super::subset_cache::read(dir, face.stamp, glyphs, level) {
            return Ok(Subset {
                face_id,
                face,
                compressed: e.compressed,
                length: e.length,
            });
        }
    }
    let data = subsetter::subset(face.data.as_ref().as_ref(), 0, remapper).map_err(|e| {
        Error::Font(Box::new(
            crate::error::Diagnostic::file(&face.path, format!("cannot subset the font: {e:?}"))
                .with_hint("the font file may be damaged; use another copy of it"),
        ))
    })?;
    let entry = super::subset_cache::Entry {
        compressed: super::deflate::zlib(&data, level),
        length: data.len(),
    };
    if let (Some(dir), Some(glyphs)) = (cache, &glyphs) {
        super::subset_cache::write(dir, face.stamp, glyphs, level, &entry);
    }
    Ok(Subset {
        face_id,
        face,
        compressed: entry.compressed,
        length: entry.length,
    })
}

/// Writes the subset fonts; `alloc` hands out object references. Returns each face's
/// resource name and font reference, in face order.
pub fn write_fonts(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    used: &BTreeMap<FaceId, BTreeMap<u16, String>>,
    uses: &BTreeMap<FaceId, FontUse>,
    subsets: Vec<Subset>,
) -> Vec<(String, Ref)> {
    let mut out = Vec::new();
    for ((face_id, glyphs), sub) in used.iter().zip(subsets) {
        let Some(FontUse {
            name,
            remapper,
            widths,
            vertical,
            em_top,
            ..
        }) = uses.get(face_id)
        else {
            continue;
        };
        let Subset {
            face,
            compressed,
            length,
            ..
        } = sub;
        let (type0, cid, descriptor, file, cmap) = (alloc(), alloc(), alloc(), alloc(), alloc());
        let base = format!(
            "{}+{}",
            subset_tag(glyphs.keys()),
            postscript_name(&face.path)
        );
        let base = Name(base.as_bytes());
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        pdf.type0_font(type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);

        let mut c = pdf.cid_font(cid);
        c.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(system)
            .font_descriptor(descriptor);
        c.cid_to_gid_map_predefined(Name(b"Identity"));
        c.default_width(1000.0);
        let mut w = c.widths();
        for (g, width) in widths {
            if let Some(cid) = remapper.get(*g) {
                w.consecutive(cid, [*width]);
            }
        }
        w.finish();
        vertical_metrics(&mut c, vertical.as_ref().map(|_| *em_top));
        c.finish();
        if let Some(v) = vertical {
            out.push((v.clone(), vertical_font(pdf, alloc(), base, (cid, cmap))));
        }

        let m = face.metrics();
        let serif = if face.role.starts_with("serif") {
            FontFlags::SERIF
        } else {
            FontFlags::empty()
        };
        pdf.font_descriptor(descriptor)
            .name(base)
            .flags(FontFlags::SYMBOLIC | serif)
            .bbox(Rect::new(m.bbox.0, m.bbox.1, m.bbox.2, m.bbox.3))
            .italic_angle(0.0)
            .ascent(m.ascent)
            .descent(m.descent)
            .cap_height(m.cap_height)
            .stem_v(80.0)
            .font_file2(file);
        pdf.stream(file, &compressed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), length as i32);

        let mut map = UnicodeCmap::new(Name(b"Custom"), system);
        for (g, text) in glyphs {
            if let (Some(cid), false) = (remapper.get(*g), text.is_empty()) {
                map.pair_with_multiple(cid, text.chars());
            }
        }
        let cmap_data = map.finish();
        pdf.cmap(cmap, &cmap_data);
        out.push((name.clone(), type0));
    }
    out
}

/// A vertical glyph's advance down the line, 1/1000 em (DW2).
const VERTICAL_ADVANCE: f32 = 1000.0;

/// Vertical metrics of a CIDFont a vertical font uses (none when `em_top` is `None`: no
/// vertical font): each glyph's em box hangs from the current point (its top `em_top` above
/// the baseline), centred across it, and advances one
/// em down (every vertical glyph is placed on its own, so no per-glyph W2 is needed).
fn vertical_metrics(c: &mut pdf_writer::writers::CidFont, em_top: Option<f32>) {
    if let Some(top) = em_top {
        c.insert(Name(b"DW2"))
            .array()
            .items([top, -VERTICAL_ADVANCE]);
    }
}

/// The face's vertical font (Identity-V) at `id`, over the same CIDFont and ToUnicode as its
/// horizontal one: a vertical form maps back to the character it stands for.
fn vertical_font(pdf: &mut Pdf, id: Ref, base: Name, (cid, cmap): (Ref, Ref)) -> Ref {
    pdf.type0_font(id)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-V"))
        .descendant_font(cid)
        .to_unicode(cmap);
    id
}

/// A six-letter subset tag derived from the glyph set (stable across runs).
fn subset_tag<'a>(glyphs: impl Iterator<Item = &'a u16>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for g in glyphs {
        for b in g.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}

/// The PostScript-style name of a face, from its file name.
fn postscript_name(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|s| {
            s.to_string_lossy()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .unwrap_or_else(|| "Font".into())
}
