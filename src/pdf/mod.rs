//! PDF: composed pages → PDF/X bytes for newsprint, written with pdf-writer: fonts subset once
//! per document (subsetter), each mark in its colour (100% K overprinting, any other colour
//! knocking out), photos as the output condition asks (`image::prepare`), TrimBox/BleedBox,
//! output intent, XMP; deterministic bytes. Files are written by `fs`.
//!
//! Does not lay anything out: it draws the `Page` items where compose put them.

mod deflate;
mod font;
pub mod pdfx;
mod subset_cache;
mod vertical;

use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::image::{prepare, Colour, Pixels, Target};
use crate::page::{Item, Page};
use pdf_writer::types::OverprintMode;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use pdfx::{DocMeta, OutputCondition, PdfX, Stamp};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// How to write the PDF.
#[derive(Debug, Clone, Copy)]
pub struct PdfOptions<'a> {
    /// Document title.
    pub title: &'a str,
    /// PDF/X level.
    pub level: PdfX,
    /// Creation date (from `SOURCE_DATE_EPOCH` or the edition date; never the clock).
    pub stamp: Stamp,
    /// Output condition (profile and identifier).
    pub output: OutputCondition<'a>,
    /// Downsample photos above this effective resolution.
    pub max_ppi: f32,
    /// Crop marks outside the bleed (proofs).
    pub marks: bool,
    /// Deflate level (0–10).
    pub compression: u8,
    /// Folder for prepared photos and font subsets kept between builds (None: no cache).
    pub cache: Option<&'a Path>,
    /// For an on-screen proof at this resolution: photos reduced to it and stored
    /// uncompressed (the PDF is rendered in memory and thrown away). None for print.
    pub proof_ppi: Option<f32>,
    /// Colour transforms, built once per build and pair of profiles.
    pub transforms: &'a crate::image::colour::Transforms,
}

/// Parallel work of the PDF writer.
enum Job {
    Font(crate::fonts::FaceId),
    Photo(usize),
    Page(usize),
}

/// A photo as drawn: its file and size (tenths of a point).
type PhotoKey = (std::path::PathBuf, i64, i64);

fn photo_key(photo: &crate::image::Photo, placed: &crate::units::Rect) -> PhotoKey {
    (
        photo.path.clone(),
        (placed.w * 10.0).round() as i64,
        (placed.h * 10.0).round() as i64,
    )
}

/// Its results.
enum Done {
    Font(font::Subset),
    Photo(usize, Box<crate::image::Prepared>),
    Page(usize, PageContent),
}

/// A page's content stream, ready to write.
struct PageContent {
    /// A digest of the uncompressed stream (the document ID is made from these).
    digest: u64,
    compressed: Vec<u8>,
    /// The photos it draws: resource name and photo.
    images: Vec<(String, PhotoKey)>,
    /// Media box size, and the offset of the trim box in it.
    media: (f32, f32),
    off: f32,
    /// It draws something not 100% black, which must knock out what is under it (GS1).
    knockout: bool,
    /// The arts it draws, by index among the document's distinct arts.
    arts: Vec<usize>,
}

/// Prepares a photo, through the cache folder when there is one: conversions are costly and a
/// desk rebuilds the same page many times a night.
fn prepare_cached(
    photo: &crate::image::Photo,
    size: (f32, f32),
    target: &Target,
    cache: Option<&Path>,
) -> std::result::Result<crate::image::Prepared, crate::Diagnostic> {
    match cache {
        Some(dir) => crate::image::cache::prepare_cached(photo, size, target, dir),
        None => prepare(photo, size, target),
    }
}

/// Room outside the bleed for crop marks, in points.
pub const MARKS_ROOM: f32 = 30.0;

/// Writes the pages into one PDF document: the costly parts scheduled on both cores
/// ([`schedule`]), then the document assembled from them in one buffer ([`assemble`]).
pub fn write_pdf(pages: &[Page], book: &FontBook, opts: &PdfOptions) -> Result<Vec<u8>> {
    let used = font::collect(pages, opts.marks);
    let uses = font::plan(book, &used, &font::vertical_faces(pages))?;
    let photos = distinct_photos(pages);
    let arts = distinct_arts(pages, opts.level)?;
    let parts = schedule(pages, book, (&used, &uses), (&photos, &arts), opts)?;
    assemble(pages, (&used, &uses), (&photos, &arts), parts, opts)
}

/// Each distinct piece of vector art of the pages (by identity), in order of first use,
/// checked against the PDF/X level: RGB or Lab colour is refused (the plant's output is CMYK),
/// and transparency in PDF/X-1a.
fn distinct_arts(pages: &[Page], level: PdfX) -> Result<Vec<&crate::vector::Art>> {
    let mut arts: Vec<&crate::vector::Art> = Vec::new();
    for page in pages {
        for item in &page.items {
            let Item::Art { art, .. } = item else {
                continue;
            };
            if arts.iter().any(|a| std::ptr::eq(*a, art.as_ref())) {
                continue;
            }
            let fault = if art.has_rgb() {
                Some("RGB or Lab colour; the print output is CMYK")
            } else if art.has_transparency() && level == PdfX::X1a {
                Some("transparency, which PDF/X-1a forbids")
            } else {
                None
            };
            if let Some(fault) = fault {
                return Err(crate::error::Diagnostic::file(
                    &art.file,
                    format!("this art uses {fault}"),
                )
                .with_hint("export it as CMYK (PDF/X-1a) from the program that made it")
                .into());
            }
            arts.push(art);
        }
    }
    Ok(arts)
}

/// The resource name of the `i`th distinct art of a document.
fn art_name(i: usize) -> String {
    format!("Fm{i}")
}

/// A photo as placed on some page: its key, the photo and the drawn size.
type PlacedPhoto<'p> = (PhotoKey, &'p crate::image::Photo, (f32, f32));

/// Each distinct photo (file and drawn size) of the pages, in order of first use: prepared
/// and written once, however many pages show it.
fn distinct_photos(pages: &[Page]) -> Vec<PlacedPhoto<'_>> {
    let mut photos: Vec<PlacedPhoto> = Vec::new();
    for page in pages {
        for item in &page.items {
            if let Item::Image { photo, placed, .. } = item {
                let key = photo_key(photo, placed);
                if !photos.iter().any(|(k, _, _)| *k == key) {
                    photos.push((key, photo, (placed.w, placed.h)));
                }
            }
        }
    }
    photos
}

/// What the parallel jobs made: font subsets by face, prepared photos and page contents (each
/// in the order of `photos` and `pages`).
struct Parts {
    subsets: std::collections::BTreeMap<crate::fonts::FaceId, font::Subset>,
    prepared: Vec<(usize, Box<crate::image::Prepared>)>,
    contents: Vec<(usize, PageContent)>,
}

/// Runs the costly parts — subsetting each face, preparing each photo, writing each page's
/// content — on both cores, the largest faces first so the longest job does not start last.
fn schedule(
    pages: &[Page],
    book: &FontBook,
    (used, uses): (&font::Used, &font::Uses),
    (photos, arts): (&[PlacedPhoto], &[&crate::vector::Art]),
    opts: &PdfOptions,
) -> Result<Parts> {
    let target = Target {
        cmyk: opts.output.profile,
        allow_icc: opts.level == PdfX::X4,
        max_ppi: opts.max_ppi,
        proof_ppi: opts.proof_ppi,
        transforms: opts.transforms,
    };
    let mut faces: Vec<_> = used.iter().map(|(f, g)| (*f, g.len())).collect();
    faces.sort_by_key(|(f, n)| (std::cmp::Reverse(*n), *f));
    let jobs: Vec<Job> = faces
        .iter()
        .map(|(f, _)| Job::Font(*f))
        .chain((0..photos.len()).map(Job::Photo))
        .chain((0..pages.len()).map(Job::Page))
        .collect();
    let done = crate::par::par_map(&jobs, |job| match *job {
        Job::Font(f) => uses.get(&f).map(|u| {
            font::subset_face(book, f, &u.remapper, opts.compression, opts.cache).map(Done::Font)
        }),
        Job::Photo(i) => photos.get(i).map(|(_, photo, size)| {
            prepare_cached(photo, *size, &target, opts.cache)
                .map(|img| Done::Photo(i, Box::new(img)))
                .map_err(Error::from)
        }),
        Job::Page(i) => pages
            .get(i)
            .map(|page| Ok(Done::Page(i, page_content(page, uses, arts, opts)))),
    });
    let mut parts = Parts {
        subsets: std::collections::BTreeMap::new(),
        prepared: Vec::new(),
        contents: Vec::new(),
    };
    for d in done.into_iter().flatten() {
        match d? {
            Done::Font(s) => {
                parts.subsets.insert(s.face_id(), s);
            }
            Done::Photo(i, img) => parts.prepared.push((i, img)),
            Done::Page(i, c) => parts.contents.push((i, c)),
        }
    }
    parts.prepared.sort_by_key(|(i, _)| *i);
    parts.contents.sort_by_key(|(i, _)| *i);
    Ok(parts)
}

/// The objects every page refers to: the page tree, the overprint graphics state, the fonts
/// and the images.
struct Shared<'a> {
    tree: Ref,
    graphics_state: Ref,
    /// The knockout graphics state, when some page needs it.
    knockout: Option<Ref>,
    fonts: &'a [(String, Ref)],
    images: &'a std::collections::HashMap<PhotoKey, Ref>,
    /// Vector art by its index among the document's distinct arts.
    arts: &'a [Ref],
}

/// Assembles the document in one buffer (sized once: growing it copies megabytes): the
/// graphics state, images, fonts, pages, metadata and output intent, in that object order.
fn assemble(
    pages: &[Page],
    (used, uses): (&font::Used, &font::Uses),
    (photos, arts): (&[PlacedPhoto], &[&crate::vector::Art]),
    parts: Parts,
    opts: &PdfOptions,
) -> Result<Vec<u8>> {
    let Parts {
        subsets,
        prepared,
        contents,
    } = parts;
    let capacity = capacity(&subsets, &prepared, &contents);
    let mut pdf = Pdf::with_capacity(capacity);
    let (major, minor) = opts.level.pdf_version();
    pdf.set_version(major, minor);
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let tree = alloc();
    let graphics_state = alloc();
    pdf.ext_graphics(graphics_state)
        .overprint(true)
        .overprint_fill(true)
        .overprint_mode(OverprintMode::IgnoreZeroChannel);
    let knockout = contents.iter().any(|(_, c)| c.knockout).then(|| {
        let r = alloc();
        pdf.ext_graphics(r).overprint(false).overprint_fill(false);
        r
    });
    let images = write_images(&mut pdf, &mut alloc, &prepared, photos, opts);
    let art_refs: Vec<Ref> = arts
        .iter()
        .map(|a| crate::vector::write_form(a, &mut pdf, &mut alloc))
        .collect();
    let fonts = font::write_fonts(
        &mut pdf,
        &mut alloc,
        used,
        uses,
        subsets.into_values().collect(),
    );
    let shared = Shared {
        tree,
        graphics_state,
        knockout,
        fonts: &fonts,
        images: &images,
        arts: &art_refs,
    };
    let mut page_ids = Vec::new();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (page, (_, content)) in pages.iter().zip(&contents) {
        content.digest.hash(&mut hasher);
        page_ids.push(page_dictionary(
            &mut pdf,
            &mut alloc,
            (page, content),
            &shared,
        )?);
    }
    write_catalog(
        &mut pdf,
        &mut alloc,
        (catalog_id, tree),
        (&page_ids, hasher),
        opts,
    );
    Ok(pdf.finish())
}

/// The document's size in bytes, near enough to allocate it once.
fn capacity(
    subsets: &std::collections::BTreeMap<crate::fonts::FaceId, font::Subset>,
    prepared: &[(usize, Box<crate::image::Prepared>)],
    contents: &[(usize, PageContent)],
) -> usize {
    subsets.values().map(font::Subset::size).sum::<usize>()
        + prepared.iter().map(|(_, p)| p.size()).sum::<usize>()
        + contents
            .iter()
            .map(|(_, c)| c.compressed.len() + 1024)
            .sum::<usize>()
        + crate::image::colour::NEWSPRINT_CMYK_ZLIB.len()
        + 64 * 1024
}

/// Writes the prepared photos (stored uncompressed for a proof); returns each one's reference
/// by how it is drawn.
fn write_images(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    prepared: &[(usize, Box<crate::image::Prepared>)],
    photos: &[PlacedPhoto],
    opts: &PdfOptions,
) -> std::collections::HashMap<PhotoKey, Ref> {
    let mut images = std::collections::HashMap::new();
    let level = if opts.proof_ppi.is_some() {
        0
    } else {
        opts.compression
    };
    for (i, img) in prepared {
        let r = alloc();
        write_image(pdf, alloc, r, img, level);
        if let Some((key, _, _)) = photos.get(*i) {
            images.insert(key.clone(), r);
        }
    }
    images
}

/// The page tree, metadata, output intent, catalog and file ID (made from the pages' digests
/// and the title).
fn write_catalog(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    (catalog_id, tree): (Ref, Ref),
    (page_ids, mut hasher): (&[Ref], std::collections::hash_map::DefaultHasher),
    opts: &PdfOptions,
) {
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    opts.title.hash(&mut hasher);
    let meta = DocMeta {
        title: opts.title,
        level: opts.level,
        stamp: opts.stamp,
        output: opts.output,
        id: document_id(hasher),
    };
    let (_info, xmp, icc) = pdfx::write_meta(pdf, alloc, &meta, opts.compression);
    let mut cat = pdf.catalog(catalog_id);
    cat.pages(tree).metadata(xmp);
    pdfx::output_intent(&mut cat, &meta, icc);
    cat.finish();
    // (document_info() registered the information dictionary in the trailer.)
    pdf.set_file_id((meta.id.to_vec(), meta.id.to_vec()));
}

/// The document ID: 16 bytes from a digest of every page's content and the title (the same
/// input gives the same ID, and so the same bytes).
fn document_id(mut hasher: std::collections::hash_map::DefaultHasher) -> [u8; 16] {
    let h1 = Hasher::finish(&hasher);
    h1.rotate_left(17).hash(&mut hasher);
    let h2 = Hasher::finish(&hasher);
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&h1.to_be_bytes());
    id[8..].copy_from_slice(&h2.to_be_bytes());
    id
}

/// Writes a page's content stream and its page dictionary (boxes, resources); returns the
/// page's reference.
fn page_dictionary(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    (page, content): (&Page, &PageContent),
    shared: &Shared,
) -> Result<Ref> {
    let id = alloc();
    let content_id = alloc();
    let (off, media) = (content.off, content.media);
    pdf.stream(content_id, &content.compressed)
        .filter(Filter::FlateDecode);
    let mut images = Vec::with_capacity(content.images.len());
    for (name, key) in &content.images {
        let Some(r) = shared.images.get(key).copied() else {
            return Err(Error::Internal(format!(
                "photo {} was not prepared",
                key.0.display()
            )));
        };
        images.push((name, r));
    }
    let mut p = pdf.page(id);
    p.parent(shared.tree);
    p.media_box(Rect::new(0.0, 0.0, media.0, media.1));
    p.bleed_box(Rect::new(
        off - page.bleed,
        off - page.bleed,
        media.0 - off + page.bleed,
        media.1 - off + page.bleed,
    ));
    p.trim_box(Rect::new(off, off, media.0 - off, media.1 - off));
    p.contents(content_id);
    let mut res = p.resources();
    let mut f = res.fonts();
    for (name, font_ref) in shared.fonts {
        f.pair(Name(name.as_bytes()), *font_ref);
    }
    f.finish();
    let mut states = res.ext_g_states();
    states.pair(Name(b"GS0"), shared.graphics_state);
    if let (true, Some(r)) = (content.knockout, shared.knockout) {
        states.pair(Name(b"GS1"), r);
    }
    states.finish();
    let mut x = res.x_objects();
    for (name, r) in &images {
        x.pair(Name(name.as_bytes()), *r);
    }
    for i in &content.arts {
        let Some(r) = shared.arts.get(*i) else {
            return Err(Error::Internal(format!("art {i} was not written")));
        };
        x.pair(Name(art_name(*i).as_bytes()), *r);
    }
    x.finish();
    res.finish();
    p.finish();
    Ok(id)
}

/// A page's content stream: text, fills, rules and guides in their colours, photos clipped to their frames,
/// crop marks and slug when asked for.
fn page_content(
    page: &Page,
    fonts: &std::collections::BTreeMap<crate::fonts::FaceId, font::FontUse>,
    arts: &[&crate::vector::Art],
    opts: &PdfOptions,
) -> PageContent {
    let off = page.bleed + if opts.marks { MARKS_ROOM } else { 0.0 };
    let media = (page.width + 2.0 * off, page.height + 2.0 * off);
    let mut images = Vec::new();
    let mut drawn_arts: Vec<usize> = Vec::new();
    let mut c = Content::new();
    c.set_parameters(Name(b"GS0"));
    let mut text_state = TextState::default();
    let mut overprint = Overprint::default();
    let at = (off, media.1);
    for item in &page.items {
        overprint.for_item(&mut c, item);
        match item {
            Item::Text(line) if line.direction == crate::page::Direction::Vertical => {
                vertical::draw(&mut c, line, fonts, at, &mut text_state)
            }
            Item::Text(line) => draw_line(&mut c, line, fonts, at, &mut text_state),
            Item::Rule {
                from,
                to,
                width,
                colour,
            } => draw_rule(&mut c, (*from, *to), *width, colour, at),
            Item::Dots {
                from,
                to,
                diameter,
                colour,
            } => draw_dots(&mut c, (*from, *to), *diameter, colour, at),
            Item::Guide {
                rect,
                colour,
                width,
            } => draw_guide(&mut c, rect, *width, colour, at),
            Item::Art {
                art,
                rect,
                quarter_turns,
            } => {
                if let Some(i) = arts.iter().position(|a| std::ptr::eq(*a, art.as_ref())) {
                    if !drawn_arts.contains(&i) {
                        drawn_arts.push(i);
                    }
                    draw_art(&mut c, i, art_matrix(art, rect, *quarter_turns, at));
                }
            }
            Item::Fill { rect, colour } => {
                let [cc, m, y, k] = colour.0;
                c.set_fill_cmyk(cc, m, y, k);
                c.rect(rect.x + off, media.1 - rect.bottom() - off, rect.w, rect.h)
                    .fill_nonzero();
            }
            Item::Image {
                photo,
                frame,
                placed,
            } => {
                let name = format!("Im{}", images.len());
                draw_image(&mut c, &name, (frame, placed), at);
                images.push((name, photo_key(photo, placed)));
            }
        }
    }
    if opts.marks {
        // Crop marks and the slug are black: back to overprinting.
        if overprint.off {
            c.set_parameters(Name(b"GS0"));
        }
        crop_marks(&mut c, page, off, media);
        if let Some(slug) = &page.slug {
            draw_line(&mut c, slug, fonts, (off, media.1), &mut text_state);
        }
    }
    let raw = c.finish().into_vec();
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&raw, opts.compression);
    let mut digest = std::collections::hash_map::DefaultHasher::new();
    raw.hash(&mut digest);
    PageContent {
        digest: Hasher::finish(&digest),
        compressed,
        images,
        media,
        off,
        knockout: overprint.knocked_out,
        arts: drawn_arts,
    }
}

/// Page space (y down from the trim box's top) to PDF space: the trim box's offset in the media
/// box and the media box's height.
type Origin = (f32, f32);

/// A straight rule from one point to another.
fn draw_rule(
    c: &mut Content,
    (from, to): ((f32, f32), (f32, f32)),
    width: f32,
    colour: &crate::model::colour::Cmyk,
    (off, media_h): Origin,
) {
    let [cc, m, y, k] = colour.0;
    c.set_stroke_cmyk(cc, m, y, k).set_line_width(width);
    c.move_to(from.0 + off, media_h - from.1 - off)
        .line_to(to.0 + off, media_h - to.1 - off)
        .stroke();
}

/// A dotted rule (a box's dotted side), or a single dot when both ends are one point (着重号).
fn draw_dots(
    c: &mut Content,
    (from, to): ((f32, f32), (f32, f32)),
    diameter: f32,
    colour: &crate::model::colour::Cmyk,
    (off, media_h): Origin,
) {
    let [cc, m, y, k] = colour.0;
    let len = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
    // Dots about two diameters apart, a whole number of gaps, so a dot sits on each end (a
    // box's corners).
    let gaps = (len / (2.0 * diameter)).round().max(1.0);
    c.save_state();
    c.set_stroke_cmyk(cc, m, y, k)
        .set_line_width(diameter)
        .set_line_cap(pdf_writer::types::LineCapStyle::RoundCap);
    // A single dot (from = to) is a zero-length stroke with round caps.
    if len > 0.01 {
        c.set_dash_pattern([0.0, len / gaps], 0.0);
    }
    c.move_to(from.0 + off, media_h - from.1 - off)
        .line_to(to.0 + off, media_h - to.1 - off)
        .stroke();
    c.restore_state();
}

/// A proof guide: a rectangle outline, or a line when the rectangle has no width or height.
fn draw_guide(
    c: &mut Content,
    rect: &crate::units::Rect,
    width: f32,
    colour: &crate::model::colour::Cmyk,
    (off, media_h): Origin,
) {
    let [cc, m, y, k] = colour.0;
    c.set_stroke_cmyk(cc, m, y, k).set_line_width(width);
    let (x0, y0) = (rect.x + off, media_h - rect.y - off);
    if rect.w == 0.0 || rect.h == 0.0 {
        c.move_to(x0, y0).line_to(x0 + rect.w, y0 - rect.h).stroke();
    } else {
        c.rect(x0, y0 - rect.h, rect.w, rect.h).stroke();
    }
}

/// Vector art (the document's `i`th form XObject) drawn through its matrix.
fn draw_art(c: &mut Content, i: usize, matrix: [f32; 6]) {
    c.save_state();
    c.transform(matrix);
    c.x_object(Name(art_name(i).as_bytes()));
    c.restore_state();
}

/// A photo (image XObject `name`) placed at `placed` and clipped to its frame.
fn draw_image(
    c: &mut Content,
    name: &str,
    (frame, placed): (&crate::units::Rect, &crate::units::Rect),
    (off, media_h): Origin,
) {
    c.save_state();
    c.rect(
        frame.x + off,
        media_h - frame.bottom() - off,
        frame.w,
        frame.h,
    )
    .clip_nonzero()
    .end_path();
    c.transform([
        placed.w,
        0.0,
        0.0,
        placed.h,
        placed.x + off,
        media_h - placed.bottom() - off,
    ]);
    c.x_object(Name(name.as_bytes()));
    c.restore_state();
}

/// The matrix that draws `art` (its form spans [0 0 width height], y up) into `rect` (points
/// from the trim's top-left, y down) after `turns` quarter turns clockwise.
fn art_matrix(
    art: &crate::vector::Art,
    rect: &crate::units::Rect,
    turns: u8,
    (off, media_h): (f32, f32),
) -> [f32; 6] {
    let (w, h) = (art.width.max(0.001), art.height.max(0.001));
    // The rect's corners in PDF space.
    let (x0, y0) = (rect.x + off, media_h - rect.bottom() - off);
    let (x1, y1) = (x0 + rect.w, y0 + rect.h);
    match turns % 4 {
        // Art x → page y (down), art y → page x: its top edge on the rect's right side.
        1 => [0.0, -rect.h / w, rect.w / h, 0.0, x0, y1],
        2 => [-rect.w / w, 0.0, 0.0, -rect.h / h, x1, y1],
        3 => [0.0, rect.h / w, -rect.w / h, 0.0, x1, y0],
        _ => [rect.w / w, 0.0, 0.0, rect.h / h, x0, y0],
    }
}

/// Which graphics state a page's content stream is in: 100% black type and rules overprint
/// (GS0: a hairline of misregister shows no white), any other colour — a tint, reversed
/// (white) type, a 套红 rule — knocks out what is under it (GS1), or white would print as
/// nothing and a tint would mix with the ink below.
#[derive(Default)]
struct Overprint {
    /// GS1 is in force.
    off: bool,
    /// GS1 was used on the page (its resources must name it).
    knocked_out: bool,
}

impl Overprint {
    /// Switches the state for `item` when it needs the other one (photos keep the state).
    fn for_item(&mut self, c: &mut Content, item: &Item) {
        let colour = match item {
            Item::Text(t) => t.colour,
            Item::Rule { colour, .. } | Item::Dots { colour, .. } | Item::Guide { colour, .. } => {
                *colour
            }
            // A tint is a ground: it knocks out even in 100 K (a black panel over a photo would
            // otherwise add its ink to the picture's).
            Item::Fill { .. } => crate::page::Cmyk::WHITE,
            // Photos keep the state; art knocks out (an SVG form switches for its own black).
            Item::Image { .. } => return,
            Item::Art { .. } => crate::page::Cmyk::WHITE,
        };
        let knock = colour != crate::page::Cmyk::BLACK;
        if knock != self.off {
            c.set_parameters(Name(if knock { b"GS1" } else { b"GS0" }));
            self.off = knock;
            self.knocked_out |= knock;
        }
    }
}

/// Draws a text run: one text object per run of one face and size, in the run's colour.
/// Justified CJK spaces every character alike, so the run's most common extra space goes into
/// the character spacing (Tc, tracked in `tc` across the stream) and TJ adjustments remain
/// only where a glyph differs (compressed punctuation, Latin, CJK–Latin gaps): consecutive
/// glyphs share one string. Positions are the same as with an adjustment per glyph.
fn draw_line(
    c: &mut Content,
    line: &crate::page::TextRun,
    fonts: &std::collections::BTreeMap<usize, font::FontUse>,
    (off, media_h): (f32, f32),
    state: &mut TextState,
) {
    let gl = &line.glyphs;
    let mut i = 0;
    let [cc, m, y, k] = line.colour.0;
    c.set_fill_cmyk(cc, m, y, k);
    let TextState {
        tc,
        tz,
        extra,
        keys,
        sorted,
        text,
    } = state;
    while let Some(first) = gl.get(i) {
        let mut j = i + 1;
        while gl
            .get(j)
            .is_some_and(|g| g.face == first.face && g.size == first.size && g.scale == first.scale)
        {
            j += 1;
        }
        let run = gl.get(i..j).unwrap_or(&[]);
        i = j;
        let Some(font) = fonts.get(&first.face) else {
            continue;
        };
        let size = first.size.max(0.1);
        // 长体 (or a stretched dash): glyphs drawn at a horizontal scale, advances with it.
        let scale = first.scale.clamp(0.1, 2.0);
        // Each glyph's space beyond its embedded width, in points, and that space in the
        // TJ unit (1/1000 em) to 0.01: adjustments under 0.01 are not written.
        extra.clear();
        keys.clear();
        for (g, next) in run.iter().zip(run.iter().skip(1)) {
            let natural = font.glyph(g.id).1 / 1000.0 * size * scale;
            let d = (next.x - g.x) - natural;
            extra.push(d);
            keys.push((d / size * 100_000.0).round() as i64);
        }
        let spacing = most_common(keys, sorted)
            .and_then(|k| keys.iter().position(|x| *x == k))
            .and_then(|p| extra.get(p).copied())
            .unwrap_or(*tc * scale);
        c.begin_text();
        c.set_font(Name(font.name.as_bytes()), size);
        if (scale - *tz).abs() > 1e-6 {
            c.set_horizontal_scaling(scale * 100.0);
            *tz = scale;
        }
        // Tc is scaled by Tz: the operand is the spacing in unscaled text space.
        let operand = spacing / scale;
        if (operand - *tc).abs() > 1e-6 {
            c.set_char_spacing(operand);
            *tc = operand;
        }
        c.set_text_matrix([
            1.0,
            0.0,
            0.0,
            1.0,
            line.x + first.x + off,
            media_h - line.baseline - off,
        ]);
        let mut show = c.show_positioned();
        let mut items = show.items();
        text.clear();
        for (k, g) in run.iter().enumerate() {
            let cid = font.glyph(g.id).0;
            text.extend_from_slice(&cid.to_be_bytes());
            if let Some(d) = extra.get(k) {
                // TJ adjustments are in thousandths of the unscaled em, scaled by Tz.
                let adj = (spacing - d) / (size * scale) * 1000.0;
                if adj.abs() > 0.01 {
                    items.show(Str(text));
                    text.clear();
                    items.adjust(adj);
                }
            }
        }
        if !text.is_empty() {
            items.show(Str(text));
        }
        items.finish();
        show.finish();
        c.end_text();
    }
}

/// The text state a content stream carries from line to line (the character spacing), and
/// scratch space reused for every run.
struct TextState {
    /// Character spacing (Tc): 0 at the start of a content stream.
    tc: f32,
    /// Horizontal scale (Tz / 100): 1 at the start of a content stream.
    tz: f32,
    extra: Vec<f32>,
    keys: Vec<i64>,
    sorted: Vec<i64>,
    text: Vec<u8>,
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            tc: 0.0,
            tz: 1.0,
            extra: Vec::new(),
            keys: Vec::new(),
            sorted: Vec::new(),
            text: Vec::new(),
        }
    }
}

/// The most frequent value (the smallest among equals), if any; `sorted` is scratch space.
fn most_common(keys: &[i64], sorted: &mut Vec<i64>) -> Option<i64> {
    sorted.clear();
    sorted.extend_from_slice(keys);
    sorted.sort_unstable();
    let mut best: Option<(i64, usize)> = None;
    for chunk in sorted.chunk_by(|a, b| a == b) {
        let (Some(&k), n) = (chunk.first(), chunk.len()) else {
            continue;
        };
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((k, n));
        }
    }
    best.map(|(k, _)| k)
}

/// Writes an image XObject (and its ICC profile, if any).
fn write_image(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    id: Ref,
    img: &crate::image::Prepared,
    level: u8,
) {
    let icc = match &img.colour {
        Colour::IccCmyk(p) => {
            let r = alloc();
            let data = miniz_oxide::deflate::compress_to_vec_zlib(p, level);
            pdf.icc_profile(r, &data).n(4).filter(Filter::FlateDecode);
            Some(r)
        }
        _ => None,
    };
    let raw;
    let (data, filter, inverted) = match &img.pixels {
        Pixels::Dct { bytes, inverted } => (bytes.as_slice(), Some(Filter::DctDecode), *inverted),
        // Level 0 (a proof rendered in memory): the samples as they are, no filter.
        Pixels::Raw(samples) if level == 0 => (samples.as_slice(), None, false),
        Pixels::Raw(samples) => {
            raw = miniz_oxide::deflate::compress_to_vec_zlib(samples, level);
            (raw.as_slice(), Some(Filter::FlateDecode), false)
        }
    };
    let mut x = pdf.image_xobject(id, data);
    x.width(img.width as i32);
    x.height(img.height as i32);
    x.bits_per_component(8);
    if let Some(filter) = filter {
        x.filter(filter);
    }
    match (&img.colour, icc) {
        (Colour::Gray, _) => x.color_space().device_gray(),
        (Colour::IccCmyk(_), Some(r)) => x.color_space().icc_based(r),
        _ => x.color_space().device_cmyk(),
    }
    if inverted {
        // Adobe CMYK JPEGs store inverted samples.
        x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
    }
    x.interpolate(true);
}

/// Crop marks at the four corners, outside the bleed, 0.25 pt in black only.
fn crop_marks(c: &mut Content, page: &Page, off: f32, media: (f32, f32)) {
    c.set_stroke_cmyk(0.0, 0.0, 0.0, 1.0).set_line_width(0.25);
    let gap = page.bleed + 3.0;
    let len = MARKS_ROOM - 6.0;
    let (l, r, b, t) = (off, media.0 - off, off, media.1 - off);
    for (x, dx) in [(l, -1.0), (r, 1.0)] {
        for (y, dy) in [(b, -1.0), (t, 1.0)] {
            c.move_to(x + dx * gap, y)
                .line_to(x + dx * (gap + len), y)
                .stroke();
            c.move_to(x, y + dy * gap)
                .line_to(x, y + dy * (gap + len))
                .stroke();
        }
    }
}
