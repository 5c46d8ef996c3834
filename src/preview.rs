//! Preview: PDF bytes → PNG images of its pages, rendered with hayro (pure Rust), so the proof
//! shows what the plant gets. (The grid and frame outlines of `proof --grid` are added to the
//! pages beforehand by `guides`.)

use crate::error::{Error, Result};
use crate::page::{Item, Page};
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::hayro_syntax::PdfData;
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{RenderCache, RenderSettings};
use std::sync::Arc;

/// Proofs of composed pages: PNG bytes of each page at `dpi`, rendered from the PDF the plant
/// would get (written with `opts`; photos at the proof's resolution when `opts.proof_ppi` says
/// so). With fewer pages than cores, each page is cut into horizontal bands, each band written
/// as a PDF page holding only the marks that touch it, and the bands are rendered on all cores
/// and joined: the renderer's cost is per mark drawn, so a band of half the page is half the
/// work (rendering the whole page into two halves of the image interpreted every mark twice).
pub fn proof_pngs(
    pages: &[Page],
    book: &crate::fonts::FontBook,
    opts: &crate::pdf::PdfOptions,
    dpi: f32,
) -> Result<Vec<Vec<u8>>> {
    let bands = crate::par::cores()
        .div_ceil(pages.len().max(1))
        .clamp(1, MAX_BANDS);
    proof_in_bands(pages, book, opts, dpi, bands)
}

/// `proof_pngs` with each page cut into `bands`.
fn proof_in_bands(
    pages: &[Page],
    book: &crate::fonts::FontBook,
    opts: &crate::pdf::PdfOptions,
    dpi: f32,
    bands: usize,
) -> Result<Vec<Vec<u8>>> {
    let scale = proof_scale(dpi);
    let reach = face_reach(book);
    let off = |p: &Page| {
        p.bleed
            + if opts.marks {
                crate::pdf::MARKS_ROOM
            } else {
                0.0
            }
    };
    let cut: Vec<Page> = pages
        .iter()
        .flat_map(|p| band_pages(p, (off(p), scale), &reach, bands))
        .collect();
    let pdf = crate::pdf::write_pdf(&cut, book, opts)?;
    render_png(pdf, dpi, bands)
}

/// At most this many bands a page: each band parses the fonts and rasterises the glyphs it
/// shows afresh.
const MAX_BANDS: usize = 4;

fn proof_scale(dpi: f32) -> f32 {
    (dpi / 72.0).clamp(0.05, 8.0)
}

/// Rows `[start, end)` of band `k` of `n` in an image `height` pixels high.
fn band_rows(height: u16, k: usize, n: usize) -> (u16, u16) {
    let at = |k: usize| (usize::from(height) * k / n) as u16;
    (at(k), at(k + 1))
}

/// Band pages of `page`: the page `n` times, each copy keeping the items that reach into its
/// band (with a margin of a few pixels, so rounding never drops a mark at a band's edge).
fn band_pages(page: &Page, (off, scale): (f32, f32), reach: &[Reach], n: usize) -> Vec<Page> {
    if n == 1 {
        return vec![page.clone()];
    }
    // The image's height as the renderer computes it (truncated), and a band's rows in page
    // coordinates (points from the trim's top).
    let height = ((page.height + 2.0 * off) * scale) as u16;
    let margin = 4.0 / scale;
    (0..n)
        .map(|k| {
            let (r0, r1) = band_rows(height, k, n);
            let top = f32::from(r0) / scale - off - margin;
            let bottom = f32::from(r1) / scale - off + margin;
            let mut band = Page {
                items: Vec::new(),
                ..page.clone()
            };
            band.items = page
                .items
                .iter()
                .filter(|item| {
                    let (t, b) = item_extent(item, reach);
                    b >= top && t <= bottom
                })
                .cloned()
                .collect();
            band
        })
        .collect()
}

/// How far a face's glyphs can reach above and below the baseline, in em: its bounding box
/// (`head`), never less than an em above and a quarter below.
type Reach = (f32, f32);

/// The reach of each face of the book, by face id (a face that cannot be read: 2 em either
/// way; it draws nothing anyway).
fn face_reach(book: &crate::fonts::FontBook) -> Vec<Reach> {
    (0..book.len())
        .map(|id| match book.face(id) {
            Ok(face) => {
                let (_, y_min, _, y_max) = face.metrics().bbox;
                ((y_max / 1000.0).max(1.0), (-y_min / 1000.0).max(0.25))
            }
            Err(_) => (2.0, 2.0),
        })
        .collect()
}

/// How far an item reaches up and down the page (points from the trim's top).
fn item_extent(item: &Item, reach: &[Reach]) -> (f32, f32) {
    match item {
        Item::Text(line) if line.direction == crate::page::Direction::Vertical => {
            // A vertical line runs down from its baseline (the top of its first em box); a
            // glyph reaches at most its size past its place, turned Latin its reach across.
            line.glyphs
                .iter()
                .fold((line.baseline, line.baseline), |(t, b), g| {
                    let (up, down) = reach.get(g.face).copied().unwrap_or((2.0, 2.0));
                    let y = line.baseline + g.x;
                    (t.min(y - down * g.size), b.max(y + g.advance + up * g.size))
                })
        }
        Item::Text(line) => line
            .glyphs
            .iter()
            .fold((line.baseline, line.baseline), |(t, b), g| {
                let (up, down) = reach.get(g.face).copied().unwrap_or((2.0, 2.0));
                (
                    t.min(line.baseline - up * g.size),
                    b.max(line.baseline + down * g.size),
                )
            }),
        Item::Image { frame, .. } => (frame.y, frame.bottom()),
        Item::Art { rect, .. } => (rect.y, rect.bottom()),
        Item::Guide { rect, width, .. } => (rect.y - width, rect.y + rect.h + width),
        Item::Rule {
            from, to, width, ..
        } => (from.1.min(to.1) - width, from.1.max(to.1) + width),
        Item::Dots {
            from, to, diameter, ..
        } => (from.1.min(to.1) - diameter, from.1.max(to.1) + diameter),
        Item::Fill { rect, .. } => (rect.y, rect.bottom()),
    }
}

/// Renders every page of a PDF to PNG bytes at `dpi`; with `bands` > 1 the PDF's pages are
/// the bands of the proof's pages, `bands` to a page in order, each rendered into its rows of
/// the page's image.
pub fn render_png(pdf: Vec<u8>, dpi: f32, bands: usize) -> Result<Vec<Vec<u8>>> {
    let bands = bands.max(1);
    let scale = proof_scale(dpi);
    let data = PdfData::from(Arc::new(pdf));
    let doc = Pdf::new(data.clone())
        .map_err(|e| Error::Preview(format!("cannot read the PDF: {e:?}")))?;
    // Each proof page's size, as the renderer computes a whole page's (truncated to pixels).
    let sizes: Vec<(u16, u16)> = doc
        .pages()
        .iter()
        .step_by(bands)
        .map(|page| {
            let (w, h) = page.render_dimensions();
            ((w * scale) as u16, (h * scale) as u16)
        })
        .collect();
    // One RGBA image a page, cut into the bands' rows; each band is rendered straight into its
    // rows on its own core and packed to RGB there, at the start of its rows (the zeroed pages
    // are first touched there too).
    let mut images: Vec<Vec<u8>> = sizes
        .iter()
        .map(|&(w, h)| vec![0; usize::from(w) * usize::from(h) * 4])
        .collect();
    let mut bands_rows = Vec::new();
    for (image, &(w, h)) in images.iter_mut().zip(&sizes) {
        let mut rest = image.as_mut_slice();
        for k in 0..bands {
            let (r0, r1) = band_rows(h, k, bands);
            let (rows, after) = rest.split_at_mut(usize::from(r1 - r0) * usize::from(w) * 4);
            bands_rows.push(rows);
            rest = after;
        }
    }
    let done = crate::par::par_map_owned(bands_rows, |i, rows| {
        render_band(&data, i, scale, bands, rows)
    });
    done.into_iter().collect::<Result<Vec<()>>>()?;
    // The bands' RGB moved together: band k's packed rows follow band k-1's.
    for (image, &(w, h)) in images.iter_mut().zip(&sizes) {
        let mut to = 0;
        for k in 0..bands {
            let (r0, r1) = band_rows(h, k, bands);
            let from = usize::from(r0) * usize::from(w) * 4;
            let len = usize::from(r1 - r0) * usize::from(w) * 3;
            image.copy_within(from..from + len, to);
            to += len;
        }
        image.truncate(to);
    }
    let pages: Vec<_> = images.iter().zip(&sizes).collect();
    crate::par::par_map(&pages, |(image, &(w, h))| encode_png(image, w, h))
        .into_iter()
        .collect()
}

/// Renders PDF page `i`, band `i % bands` of its proof page, into `out` (the band's rows,
/// RGBA), then packs them to RGB at the start of `out`. A parser and render cache of its own:
/// they are not shared between threads.
fn render_band(data: &PdfData, i: usize, scale: f32, bands: usize, out: &mut [u8]) -> Result<()> {
    use hayro::vello_cpu::{PixmapMut, RasterizerSettings, RenderContext, Resources, TargetInit};
    let pdf = Pdf::new(data.clone())
        .map_err(|e| Error::Preview(format!("cannot read the PDF: {e:?}")))?;
    let pages = pdf.pages();
    let page = pages
        .get(i)
        .ok_or_else(|| Error::Preview(format!("the PDF has no page {}", i + 1)))?;
    // The same size and transform as the renderer gives a whole page, shifted up by the band's
    // first row: each band's pixels are the whole page's.
    let (w, h) = page.render_dimensions();
    let (width, height) = ((w * scale) as u16, (h * scale) as u16);
    let (r0, r1) = band_rows(height, i % bands, bands);
    let rows = r1 - r0;
    let wrong_size = || Error::Preview(format!("band {} is not the size of its page", i + 1));
    if out.len() != usize::from(width) * usize::from(rows) * 4 {
        return Err(wrong_size());
    }
    if rows == 0 || width == 0 {
        return Ok(());
    }
    let transform = Affine::translate((0.0, -f64::from(r0)))
        * Affine::scale(f64::from(scale))
        * Affine::new(page.initial_transform(true).as_coeffs());
    // No hinting: at proof resolutions the autohinter cost an eighth of the render, and a
    // proof shows where lines fall, not screen-tuned stems.
    let settings = RenderSettings {
        hinting: false,
        ..RenderSettings::default()
    };
    let cache = RenderCache::new();
    let mut ctx = RenderContext::new(width, rows);
    hayro::render_into(
        page,
        &cache,
        &InterpreterSettings::default(),
        &settings,
        &mut ctx,
        transform,
    );
    ctx.flush();
    let target = PixmapMut::new(width, rows, out).ok_or_else(wrong_size)?;
    ctx.render_with(
        target,
        &mut Resources::default(),
        RasterizerSettings {
            target_init: TargetInit::Clear(WHITE),
            ..Default::default()
        },
    );
    // Painted on white: alpha is always full and is dropped in place, pixel by pixel from the
    // front (RGB pixel i never overwrites an RGBA pixel not yet moved).
    for p in 0..out.len() / 4 {
        out.copy_within(4 * p..4 * p + 3, 3 * p);
    }
    Ok(())
}

/// Starts the renderer's one-time set-up on another thread: its CMYK-to-screen colour
/// transform is built on first use (a fifth of a one-page proof's instructions), so rendering a
/// one-point CMYK page while the proof's pages are typeset takes it off the critical path.
/// Joining is optional: a render that needs the transform first waits for it.
pub fn warm_up() -> std::thread::JoinHandle<()> {
    std::thread::spawn(|| {
        use pdf_writer::{Content, Ref};
        let mut pdf = pdf_writer::Pdf::new();
        pdf.catalog(Ref::new(1)).pages(Ref::new(2));
        pdf.pages(Ref::new(2)).kids([Ref::new(3)]).count(1);
        pdf.page(Ref::new(3))
            .parent(Ref::new(2))
            .media_box(pdf_writer::Rect::new(0.0, 0.0, 1.0, 1.0))
            .contents(Ref::new(4));
        let mut c = Content::new();
        c.set_fill_cmyk(0.0, 0.0, 0.0, 1.0);
        c.rect(0.0, 0.0, 1.0, 1.0);
        c.fill_nonzero();
        pdf.stream(Ref::new(4), &c.finish());
        let _ = render_png(pdf.finish(), 72.0, 1);
    })
}

/// Encodes a rendered page (RGB) as a PNG with fast compression: a proof is looked at and
/// thrown away, and the default compression took a fifth of the time. The Up filter: a fifth
/// faster than Sub on a page and a smaller file (measured on the example).
fn encode_png(rgb: &[u8], width: u16, height: u16) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    let mut png = Vec::with_capacity(rgb.len() / 4);
    image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Up,
    )
    .write_image(
        rgb,
        u32::from(width),
        u32::from(height),
        image::ExtendedColorType::Rgb8,
    )
    .map_err(|e| Error::Preview(format!("cannot encode PNG: {e}")))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{pdf_options, typeset, BuildOptions};

    /// A proof rendered in bands is the proof rendered whole, byte for byte: with the grid and
    /// frame outlines (lines crossing every band edge) and photos cut by band edges.
    #[test]
    fn bands_join_into_the_whole_page() {
        let input = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/weidong");
        let mut t = typeset(&input).unwrap();
        for (i, (page, plan)) in t.pages.iter_mut().zip(&t.edition.pages).enumerate() {
            crate::guides::overlay(page, plan, i, &t.stories);
        }
        let mut opts = pdf_options(&t, &BuildOptions::default(), None);
        opts.proof_ppi = Some(36.0);
        let proof = |bands| super::proof_in_bands(&t.pages, &t.book, &opts, 36.0, bands).unwrap();
        let whole = proof(1);
        assert_eq!(whole.len(), 1);
        // A band's pages hold only what touches it: a fraction of the whole page's glyphs.
        let reach = super::face_reach(&t.book);
        let cut = super::band_pages(&t.pages[0], (t.pages[0].bleed, 0.5), &reach, 3);
        let texts = |p: &crate::page::Page| {
            p.items
                .iter()
                .filter(|i| matches!(i, crate::page::Item::Text(_)))
                .count()
        };
        assert!(cut.iter().all(|b| texts(b) * 2 < texts(&t.pages[0])));
        for bands in [2, 3] {
            assert!(
                proof(bands) == whole,
                "{bands} bands differ from the whole page"
            );
        }
    }
}
