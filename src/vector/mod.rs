//! Vector art (报头 nameplates, 花边 border tiles, charts, ads) from SVG or PDF files, placed in
//! the print PDF as vector — never rasterised — in CMYK: [`load_art`] reads and checks a file,
//! [`write_form`] writes it as a Form XObject the page draws with `cm` and `Do`.
//!
//! **SVG** is parsed with usvg (no text, no system fonts) and drawn with our own path operators
//! (`svg`): fills (non-zero and even-odd), strokes (width, caps, joins, miter limit, dashes),
//! group transforms and simple clip paths. Colours become DeviceCMYK by the simple rule
//!
//! ```text
//! K = 1 − max(R, G, B);  C = (1 − R − K) / (1 − K),  M = (1 − G − K) / (1 − K),  Y = (1 − B − K) / (1 − K)
//! ```
//!
//! (R, G, B in 0–1; white is C = M = Y = K = 0), so `#FF0000` is exactly C0 M100 Y100 K0,
//! `#000000` K100 and `#FFFFFF` paper white. A recolour (e.g. a nameplate in 套红, spot red)
//! paints every mark that is not white in that one CMYK colour; white stays white and knocks
//! out. The form carries its own overprint states, as the page does for type: 100% K marks
//! overprint, every other colour (white included) knocks out. Refused rather than drawn wrong:
//! `<text>` (convert text to outlines), embedded or linked raster images, gradients and
//! patterns, filters, masks, any opacity below 1 or blend mode (PDF/X-1a forbids
//! transparency), clip paths of more than one shape.
//!
//! **PDF**: a page is extracted with hayro-write as a Form XObject with everything it uses
//! (fonts, images, colour spaces, nested forms; never annotations, links or JavaScript, which a
//! form cannot carry) and wrapped so that its TrimBox (else MediaBox) lies at
//! `[0 0 width height]`, rotation applied. Refused: an encrypted PDF, fonts that are not
//! embedded, PostScript XObjects, transfer functions, optional content (layers); a PDF page
//! cannot be recoloured.
//! Recorded for the caller to judge against the PDF/X level (`scan`): RGB or Lab colour
//! ([`Art::has_rgb`]), transparency ([`Art::has_transparency`], PDF/X-4 only), and the inks
//! used as far as a scan of its content can tell ([`Art::inks`]).
//!
//! Does not place art on a page or decide the PDF/X level: `compose` and `pdf` do.

mod pdf_page;
mod scan;
mod svg;
#[cfg(test)]
mod tests;

use crate::error::FileProblem;
use crate::page::Cmyk;
use pdf_writer::{Chunk, Pdf, Ref};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest art file accepted (a resource bound, as for photos).
pub const MAX_ART_BYTES: u64 = 64 * 1024 * 1024;

/// Vector art loaded from an SVG or PDF file, ready to be written as a Form XObject.
#[derive(Clone)]
pub struct Art {
    /// The file it was read from.
    pub file: PathBuf,
    /// Width in points: the SVG's size (width/height, else its viewBox; px = 0.75 pt), the PDF
    /// page's TrimBox, else its MediaBox (rotation applied).
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// The form and everything it refers to, numbered from 1 (renumbered when written).
    chunk: Chunk,
    /// The form's number in `chunk`.
    root: Ref,
    /// The process inks its marks use, or why that could not be told.
    inks: std::result::Result<[bool; 4], String>,
    /// RGB or Lab colour (PDF art only: SVG colours are converted).
    rgb: bool,
    /// Transparency (PDF art only: SVG transparency is refused).
    transparency: bool,
}

impl std::fmt::Debug for Art {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Art")
            .field("file", &self.file)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("inks", &self.inks)
            .field("rgb", &self.rgb)
            .field("transparency", &self.transparency)
            .field("bytes", &self.chunk.len())
            .finish()
    }
}

impl Art {
    /// Which of C, M, Y, K its marks use with a non-zero value, e.g. for a check listing the
    /// inks a page needs. `None` when that cannot be told ([`Art::unknown_inks`] says why): a
    /// PDF with RGB, Lab or spot colours, a shading or image whose values could not be read.
    pub fn inks(&self) -> Option<[bool; 4]> {
        self.inks.as_ref().ok().copied()
    }

    /// Why [`Art::inks`] is `None` (e.g. "a spot colour /PANTONE#20185#20C").
    pub fn unknown_inks(&self) -> Option<&str> {
        self.inks.as_ref().err().map(String::as_str)
    }

    /// It uses device RGB, calibrated or ICC-based RGB, or Lab colour (PDF art), which a
    /// PDF/X-1a file must refuse.
    pub fn has_rgb(&self) -> bool {
        self.rgb
    }

    /// It uses transparency (a transparency group, a soft mask, an opacity below 1 or a blend
    /// mode): acceptable in PDF/X-4 only.
    pub fn has_transparency(&self) -> bool {
        self.transparency
    }
}

/// Why a file cannot be placed as vector art. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ArtError {
    /// Missing, a folder, a FIFO, unreadable.
    #[error("{}: {}", .path.display(), .problem.describe("art file"))]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: FileProblem,
    },
    /// Over [`MAX_ART_BYTES`].
    #[error("{}: {}", .path.display(), crate::error::over_limit("art file", *.size, MAX_ART_BYTES))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// Neither SVG nor PDF (told by its content, not its name).
    #[error("{}: not an SVG or PDF file ({found})", .path.display())]
    NotArt {
        /// The file.
        path: PathBuf,
        /// What it looks like instead ("a JPEG image", "XML whose root element is <html>").
        found: String,
    },
    /// An SVG the XML or SVG parser cannot read.
    #[error("{}{}: malformed SVG: {message}", .path.display(), place(.at))]
    MalformedSvg {
        /// The file.
        path: PathBuf,
        /// Line and column (1-based), when the parser gives them.
        at: Option<(u32, u32)>,
        /// The parser's message.
        message: String,
    },
    /// An SVG feature refused rather than drawn wrong.
    #[error("{}{}: {feature}", .path.display(), place(.at))]
    SvgFeature {
        /// The file.
        path: PathBuf,
        /// Line and column (1-based) of the element, when it can be found in the source.
        at: Option<(u32, u32)>,
        /// What was found.
        feature: SvgFeature,
    },
    /// A PDF that cannot be parsed.
    #[error("{}: the PDF cannot be read (damaged or not a PDF)", .path.display())]
    PdfUnreadable {
        /// The file.
        path: PathBuf,
    },
    /// An encrypted (password-protected) PDF.
    #[error("{}: the PDF is encrypted (password-protected)", .path.display())]
    PdfEncrypted {
        /// The file.
        path: PathBuf,
    },
    /// A page number the file does not have (an SVG has one page).
    #[error("{}: has no page {page} (it has {pages})", .path.display())]
    PageOutOfRange {
        /// The file.
        path: PathBuf,
        /// The page asked for, 1-based.
        page: usize,
        /// How many pages it has.
        pages: usize,
    },
    /// Something in a PDF page that would break PDF/X or the page (an unembedded font).
    #[error("{}: {what}", .path.display())]
    PdfFeature {
        /// The file.
        path: PathBuf,
        /// What was found, e.g. "font Helvetica is not embedded".
        what: String,
    },
    /// A recolour asked for a PDF.
    #[error("{}: a PDF page cannot be recoloured (only SVG art can)", .path.display())]
    RecolourPdf {
        /// The file.
        path: PathBuf,
    },
}

/// `:line:column`, or nothing.
fn place(at: &Option<(u32, u32)>) -> String {
    at.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default()
}

/// An SVG feature that is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SvgFeature {
    /// `<text>`, `<tspan>`, `<textPath>`.
    #[error("SVG text (<{0}>) is not drawn: art must not depend on the fonts of the machine that prints it")]
    Text(String),
    /// `<image>` or `feImage`.
    #[error("SVG with an embedded or linked raster image (<{0}>)")]
    Image(String),
    /// A linear or radial gradient.
    #[error("SVG gradient `{0}` is not supported")]
    Gradient(String),
    /// A pattern fill or stroke.
    #[error("SVG pattern `{0}` is not supported")]
    Pattern(String),
    /// A filter (blur, drop shadow …).
    #[error("SVG filter `{0}` is not supported")]
    Filter(String),
    /// A mask.
    #[error("SVG mask `{0}` is not supported")]
    Mask(String),
    /// Opacity below 1 or a blend mode: transparency, which PDF/X-1a forbids.
    #[error("SVG transparency ({0}) is not supported: PDF/X-1a forbids it")]
    Transparency(String),
    /// A clip path that is not one shape.
    #[error("SVG clip path `{0}` is not a single shape")]
    Clip(String),
    /// `<foreignObject>` (HTML inside SVG).
    #[error("SVG <foreignObject> (HTML content) cannot be drawn")]
    ForeignObject,
}

impl ArtError {
    /// What a layout editor can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ArtError::Unreadable { problem, .. } => problem.hint(),
            ArtError::TooLarge { .. } => "simplify the art or export it without embedded images",
            ArtError::NotArt { .. } => "export the art as SVG or PDF",
            ArtError::MalformedSvg { .. } => "export the SVG again from the drawing program",
            ArtError::SvgFeature { feature, .. } => feature.hint(),
            ArtError::PdfUnreadable { .. } => "export the PDF again, or save it as PDF/X",
            ArtError::PdfEncrypted { .. } => "ask for a PDF without a password or restrictions",
            ArtError::PageOutOfRange { .. } => "give a page number the file has",
            ArtError::PdfFeature { .. } => {
                "export the PDF as PDF/X-1a or PDF/X-4 (fonts embedded, layers flattened)"
            }
            ArtError::RecolourPdf { .. } => "export the art as SVG, or colour it in the PDF",
        }
    }

    /// The file it is about.
    pub fn path(&self) -> &Path {
        match self {
            ArtError::Unreadable { path, .. }
            | ArtError::TooLarge { path, .. }
            | ArtError::NotArt { path, .. }
            | ArtError::MalformedSvg { path, .. }
            | ArtError::SvgFeature { path, .. }
            | ArtError::PdfUnreadable { path }
            | ArtError::PdfEncrypted { path }
            | ArtError::PageOutOfRange { path, .. }
            | ArtError::PdfFeature { path, .. }
            | ArtError::RecolourPdf { path } => path,
        }
    }
}

impl SvgFeature {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            SvgFeature::Text(_) => "convert the text to outlines (Illustrator: Create Outlines; Inkscape: Object to Path)",
            SvgFeature::Image(_) => "place the picture as a photo, or redraw it as vector",
            SvgFeature::Gradient(_) | SvgFeature::Pattern(_) => {
                "fill with flat colours, or export the art as PDF/X"
            }
            SvgFeature::Filter(_) | SvgFeature::Mask(_) | SvgFeature::Transparency(_) => {
                "flatten the effect in the drawing program (expand appearance), or export as PDF/X-4"
            }
            SvgFeature::Clip(_) => "release the clipping mask or merge its shapes into one path",
            SvgFeature::ForeignObject => "convert the content to outlines",
        }
    }
}

impl From<ArtError> for crate::Error {
    fn from(e: ArtError) -> Self {
        let position = match &e {
            ArtError::MalformedSvg { at, .. } | ArtError::SvgFeature { at, .. } => {
                at.map(|(l, c)| (l as usize, c as usize))
            }
            _ => None,
        };
        // The message without the path and position the diagnostic prints itself.
        let full = e.to_string();
        let prefix = format!(
            "{}{}: ",
            e.path().display(),
            place(&position.map(|(l, c)| (l as u32, c as u32)))
        );
        let message = full.strip_prefix(&prefix).unwrap_or(&full).to_string();
        let mut d = crate::Diagnostic::file(e.path(), message).with_hint(e.hint());
        d.position = position;
        d.into()
    }
}

/// Loads page `page` (1-based; 1 for an SVG) of an SVG or PDF file as vector art, told by its
/// content, not its name. `recolour` paints every mark that is not white in one colour (SVG
/// only). Everything is checked and converted here; [`write_form`] cannot fail.
pub fn load_art(path: &Path, page: usize, recolour: Option<Cmyk>) -> Result<Art, ArtError> {
    let data = read(path)?;
    match sniff(&data) {
        Kind::Pdf => {
            if recolour.is_some() {
                return Err(ArtError::RecolourPdf {
                    path: path.to_path_buf(),
                });
            }
            pdf_page::load(path, data, page)
        }
        Kind::Svg => {
            if page != 1 {
                return Err(ArtError::PageOutOfRange {
                    path: path.to_path_buf(),
                    page,
                    pages: 1,
                });
            }
            svg::load(path, &data, recolour)
        }
        Kind::Other(found) => Err(ArtError::NotArt {
            path: path.to_path_buf(),
            found,
        }),
    }
}

/// Writes `art` into `pdf` as a Form XObject whose BBox is `[0 0 width height]` (origin at the
/// art's lower-left corner, y up), with everything it refers to, numbered by `alloc` in a
/// fixed order (the same art gives the same bytes); returns the form's reference. The caller
/// draws it with `q`, a `cm` that scales and moves it into place, `/Name Do` and `Q`.
pub fn write_form(art: &Art, pdf: &mut Pdf, alloc: &mut impl FnMut() -> Ref) -> Ref {
    let root = alloc();
    let mut map = std::collections::HashMap::from([(art.root, root)]);
    art.chunk
        .renumber_into(pdf, |old| *map.entry(old).or_insert_with(&mut *alloc));
    root
}

/// What a file's content says it is.
enum Kind {
    Pdf,
    Svg,
    Other(String),
}

/// Reads the whole file (a FIFO or folder refused without blocking, the size bounded).
fn read(path: &Path) -> Result<Vec<u8>, ArtError> {
    let unreadable = |problem| ArtError::Unreadable {
        path: path.to_path_buf(),
        problem,
    };
    let (file, meta) = crate::error::open_regular(path).map_err(unreadable)?;
    if meta.len() > MAX_ART_BYTES {
        return Err(ArtError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
        });
    }
    let mut data = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_ART_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|e| unreadable(FileProblem::from_io(path, e)))?;
    if data.len() as u64 > MAX_ART_BYTES {
        return Err(ArtError::TooLarge {
            path: path.to_path_buf(),
            size: data.len() as u64,
        });
    }
    Ok(data)
}

/// Tells a PDF (`%PDF-` in its first KiB, as readers accept) from an SVG (text starting with
/// `<` that has an `<svg` element) from anything else, by content.
fn sniff(data: &[u8]) -> Kind {
    let head = data.get(..data.len().min(1024)).unwrap_or(data);
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Kind::Pdf;
    }
    let text = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let start = text.iter().position(|b| !b.is_ascii_whitespace());
    let starts_xml = start.and_then(|i| text.get(i)) == Some(&b'<');
    if starts_xml && text.windows(4).any(|w| w == b"<svg" || w == b":svg") {
        return Kind::Svg;
    }
    let found = if data.starts_with(&[0x1f, 0x8b]) {
        "gzip-compressed data; a compressed SVG (.svgz) must be unpacked first".to_string()
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "a JPEG image".to_string()
    } else if data.starts_with(b"\x89PNG") {
        "a PNG image".to_string()
    } else if data.starts_with(b"%!PS") {
        "PostScript or EPS".to_string()
    } else if data.is_empty() {
        "the file is empty".to_string()
    } else if starts_xml {
        "XML or HTML without an <svg> element".to_string()
    } else {
        "its content is neither".to_string()
    };
    Kind::Other(found)
}

/// The simple sRGB → CMYK rule of the module doc (no profile: art colours are named colours,
/// and `#FF0000` must stay C0 M100 Y100 K0, not become a profile's rich red).
pub fn rgb_to_cmyk(r: u8, g: u8, b: u8) -> Cmyk {
    let [r, g, b] = [r, g, b].map(|v| f32::from(v) / 255.0);
    let k = 1.0 - r.max(g).max(b);
    if k >= 1.0 {
        return Cmyk([0.0, 0.0, 0.0, 1.0]);
    }
    let ink = |v: f32| ((1.0 - v - k) / (1.0 - k)).clamp(0.0, 1.0);
    // Round to 1/1000 so that the content stream carries no float noise.
    let round = |v: f32| (v * 1000.0).round() / 1000.0;
    Cmyk([round(ink(r)), round(ink(g)), round(ink(b)), round(k)])
}

/// The inks a colour uses.
fn inks_of(c: Cmyk) -> [bool; 4] {
    c.0.map(|v| v > 0.0)
}
