//! A PDF page → a Form XObject: extracted with hayro-write (content, fonts, images, colour
//! spaces, nested forms), wrapped in a form that puts its TrimBox (else MediaBox) at
//! `[0 0 width height]`; scanned (`scan`) for RGB, transparency, inks and what PDF/X refuses.

use super::{scan, Art, ArtError};
use hayro_write::hayro_syntax::object::Rect as PdfRect;
use hayro_write::hayro_syntax::{LoadPdfError, Pdf, PdfData};
use hayro_write::{ChunkSettings, ExtractionQuery};
use pdf_writer::{Content, Finish, Name, Rect, Ref};
use std::path::Path;
use std::sync::Arc;

/// A password no real document has: an encrypted PDF fails to open with it, whether or not
/// it also opens with the empty password, and an unencrypted one ignores it. So one parse
/// tells both.
const NOT_THE_PASSWORD: &str = "\u{1}paiban: not the password\u{1}";

/// Loads page `page` (1-based) of a PDF.
pub(super) fn load(path: &Path, data: Vec<u8>, page: usize) -> Result<Art, ArtError> {
    let file = || path.to_path_buf();
    let pdf = match Pdf::new_with_password(PdfData::from(Arc::new(data)), NOT_THE_PASSWORD) {
        Ok(pdf) => pdf,
        Err(LoadPdfError::Decryption(_)) => return Err(ArtError::PdfEncrypted { path: file() }),
        Err(LoadPdfError::Invalid) => return Err(ArtError::PdfUnreadable { path: file() }),
    };
    let pages = pdf.pages();
    let index =
        page.checked_sub(1)
            .filter(|i| *i < pages.len())
            .ok_or(ArtError::PageOutOfRange {
                path: file(),
                page,
                pages: pages.len(),
            })?;
    let Some(p) = pages.get(index) else {
        return Err(ArtError::PdfUnreadable { path: file() });
    };
    if pdf.xref().has_optional_content_groups() {
        return Err(ArtError::PdfFeature {
            path: file(),
            what: "the PDF has layers (optional content): hidden layers would print".into(),
        });
    }
    let found = scan::scan(p);
    if let Some(what) = found.refused {
        return Err(ArtError::PdfFeature { path: file(), what });
    }
    // The trim in the extracted form's space: the form's matrix moves the crop box to the
    // origin and turns the page by its /Rotate.
    let trim = p
        .raw()
        .get::<PdfRect>(b"TrimBox")
        .filter(|r| r.width() > 0.0 && r.height() > 0.0)
        .unwrap_or(p.media_box());
    let m = p.initial_transform(false).as_coeffs();
    let corners = [
        (trim.x0, trim.y0),
        (trim.x1, trim.y0),
        (trim.x0, trim.y1),
        (trim.x1, trim.y1),
    ]
    .map(|(x, y)| (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]));
    let min = |f: fn(&(f64, f64)) -> f64| corners.iter().map(f).fold(f64::INFINITY, f64::min);
    let max = |f: fn(&(f64, f64)) -> f64| corners.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
    let (x0, y0) = (min(|c| c.0), min(|c| c.1));
    let (width, height) = ((max(|c| c.0) - x0) as f32, (max(|c| c.1) - y0) as f32);

    let mut next = Ref::new(1);
    let extracted = hayro_write::extract(
        &pdf,
        Box::new(|| next.bump()),
        ChunkSettings::default(),
        &[ExtractionQuery::new_xobject(index)],
    )
    .map_err(|_| ArtError::PdfUnreadable { path: file() })?;
    let Some(Ok(page_form)) = extracted.root_refs.first().copied() else {
        return Err(ArtError::PdfUnreadable { path: file() });
    };
    let mut chunk = extracted.chunk;
    let root = next.bump();
    let mut c = Content::new();
    c.transform([1.0, 0.0, 0.0, 1.0, -x0 as f32, -y0 as f32]);
    c.x_object(Name(b"P0"));
    let stream = c.finish().into_vec();
    let mut form = chunk.form_xobject(root, &stream);
    form.bbox(Rect::new(0.0, 0.0, width, height));
    form.resources().x_objects().pair(Name(b"P0"), page_form);
    form.finish();
    let inks = match found.unknown {
        Some(why) => Err(why),
        None => Ok(found.inks),
    };
    Ok(Art {
        file: file(),
        width,
        height,
        chunk,
        root,
        inks,
        rgb: found.rgb,
        transparency: found.transparency,
    })
}
