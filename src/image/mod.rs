//! Photos: reading, format detection, pixel limits, effective resolution, and preparation for
//! the PDF: JPEGs passed through where the output condition allows (upright grey; CMYK in the
//! output profile) once they decode cleanly, everything else decoded, turned upright,
//! downsampled above the maximum ppi and converted to the newsprint CMYK (or grey) profile.

pub mod cache;
pub mod colour;
mod decode;
mod encode;
pub mod jpeg;
pub mod meta;
pub mod orient;
#[cfg(test)]
mod photo_tests;
pub mod png;
pub mod thumb;

use crate::error::{Diagnostic, Result};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest photo file accepted (a resource bound).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Largest pixel count accepted (decompression-bomb guard).
pub const MAX_PIXELS: u64 = 100_000_000;

/// A photo as read from disk.
#[derive(Debug, Clone)]
pub struct Photo {
    /// The file.
    pub path: PathBuf,
    /// Pixel width as shown (after the EXIF orientation).
    pub width: u32,
    /// Pixel height as shown (after the EXIF orientation).
    pub height: u32,
    /// JPEG header facts, for JPEGs (without the ICC profile: see [`jpeg::probe_file`]).
    pub jpeg: Option<jpeg::JpegInfo>,
    /// PNG header facts, for PNGs.
    pub png: Option<png::PngInfo>,
    /// Warnings about the photo (an embedded profile that does not fit it, and the like).
    pub notes: Vec<String>,
    /// The caption and credit its own metadata offers (IPTC, XMP), for a plan that gives none.
    pub meta: meta::PhotoMeta,
    /// The file's identity for the photo cache: its path, length, inode and modification and
    /// status-change times (any write to the file moves its change time).
    pub stamp: u64,
    /// The file's bytes, read when first needed (a cached photo never needs them).
    data: std::sync::OnceLock<std::result::Result<Arc<Vec<u8>>, String>>,
    /// Where a JPEG's image ends when bytes follow its end-of-image marker (they are left
    /// out).
    end: Option<usize>,
}

impl Photo {
    /// Whether the picture is greyscale (printed with black ink alone).
    pub fn is_grey(&self) -> bool {
        match (&self.jpeg, &self.png) {
            (Some(j), _) => j.components == 1,
            (None, Some(p)) => matches!(p.colour_type, 0 | 4),
            (None, None) => false,
        }
    }

    /// The file's bytes (read on first use).
    pub fn data(&self) -> std::result::Result<Arc<Vec<u8>>, String> {
        self.data
            .get_or_init(|| {
                let cannot = |e: std::io::Error| format!("cannot read photo: {e}");
                let (mut file, meta) =
                    crate::error::open_regular(&self.path).map_err(|p| p.describe("photo"))?;
                // The file read must be the one whose header was read.
                if crate::cache::file_stamp(&self.path, &meta) != self.stamp {
                    return Err(CHANGED.into());
                }
                let mut data = Vec::new();
                file.read_to_end(&mut data).map_err(cannot)?;
                if let Some(end) = self.end {
                    data.truncate(end);
                }
                Ok(Arc::new(data))
            })
            .clone()
    }

    /// The EXIF orientation (1–8; 1 upright as stored).
    pub fn orientation(&self) -> u8 {
        self.jpeg
            .as_ref()
            .map(|j| j.orientation)
            .or(self.png.as_ref().map(|p| p.orientation))
            .unwrap_or(1)
    }

    /// Pixel size as stored in the file (before the EXIF orientation).
    pub fn stored_size(&self) -> (u32, u32) {
        if orient::swaps(self.orientation()) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    /// Effective resolution (ppi) when drawn `w` × `h` points.
    pub fn ppi(&self, w: f32, h: f32) -> f32 {
        ppi_of((self.width, self.height), (w, h))
    }
}

/// The process inks a CMYK or grey JPEG prints (C, M, Y, K) and its highest total ink in
/// percent, from its decoded samples (an ad's preflight).
pub fn jpeg_inks(photo: &Photo) -> std::result::Result<([bool; 4], f32), String> {
    let info = photo.jpeg.as_ref().ok_or("not a JPEG")?;
    let data = photo.data()?;
    let samples = decode::decode_jpeg(&data, info.components, info.adobe)?;
    // An ink counts when some pixel carries more than 1% of it.
    const TRACE: u8 = 3;
    match samples.channels {
        1 => {
            // Grey samples are light (255 = paper): ink is their inverse.
            let k = samples.data.iter().map(|v| 255 - v).max().unwrap_or(0);
            Ok(([false, false, false, k > TRACE], f32::from(k) / 2.55))
        }
        4 => {
            let mut used = [false; 4];
            let mut most = 0u32;
            for px in samples.data.chunks_exact(4) {
                for (u, v) in used.iter_mut().zip(px) {
                    *u |= *v > TRACE;
                }
                most = most.max(px.iter().map(|v| u32::from(*v)).sum());
            }
            Ok((used, most as f32 / 2.55))
        }
        _ => Err("an RGB JPEG".into()),
    }
}

/// Photos read once per build, however many pages place them.
#[derive(Default)]
pub struct Photos(std::sync::Mutex<std::collections::HashMap<std::path::PathBuf, Arc<Photo>>>);

impl Photos {
    /// The photo at `path`, read on first use.
    pub fn get(&self, path: &std::path::Path) -> Result<Arc<Photo>> {
        if let Some(p) = self.0.lock().ok().and_then(|m| m.get(path).cloned()) {
            return Ok(p);
        }
        let photo = Arc::new(load_photo(path)?);
        if let Ok(mut m) = self.0.lock() {
            m.insert(path.to_path_buf(), photo.clone());
        }
        Ok(photo)
    }
}

/// Why a photo cannot be used when it changed during the build.
const CHANGED: &str = "the photo changed while the page was being built; build again";

/// Loads a photo, refusing what is not a JPEG or PNG, truncated files and huge images.
pub fn load_photo(path: &Path) -> Result<Photo> {
    let cannot = |e: std::io::Error| Diagnostic::file(path, format!("cannot read photo: {e}"));
    // The size limit, the header and the cache stamp all come from this one open file (a
    // FIFO, a device or a folder is refused before it is read).
    let (mut file, meta) =
        crate::error::open_regular(path).map_err(|p| p.diagnostic(path, "photo"))?;
    if meta.len() > MAX_BYTES {
        return Err(Diagnostic::file(
            path,
            crate::error::over_limit("photo", meta.len(), MAX_BYTES),
        )
        .with_hint("downsample the photo before placing it")
        .into());
    }
    let bad = |msg: String| Diagnostic::file(path, msg);
    let mut magic = Vec::with_capacity(8);
    file.by_ref()
        .take(8)
        .read_to_end(&mut magic)
        .map_err(cannot)?;
    let mut trailer = None;
    let (width, height, mut jpeg, mut png) = if magic.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let (info, end) = probe_jpeg(path, &mut file, meta.len())?;
        trailer = end;
        (info.width, info.height, Some(info), None)
    } else if magic.starts_with(b"\x89PNG\r\n\x1a\n") {
        let info = probe_png(path, &mut file)?;
        (info.width, info.height, None, Some(info))
    } else {
        return Err(bad("not a JPEG or PNG image".into())
            .with_hint("convert the photo to JPEG (or PNG) before placing it")
            .into());
    };
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(bad(format!(
            "image of {width}×{height} pixels is over the {MAX_PIXELS}-pixel limit"
        ))
        .with_hint("downsample the photo before placing it")
        .into());
    }
    let mut notes = profile_notes(path, jpeg.as_ref(), png.as_ref());
    if let Some(end) = trailer {
        notes.push(format!(
            "{}: {} bytes after the JPEG's end-of-image marker (a motion photo's video, an \
             editor's trailer) are left out",
            path.display(),
            meta.len().saturating_sub(end as u64)
        ));
    }
    // Kept once, on the photo.
    let photo_meta = match (&mut jpeg, &mut png) {
        (Some(j), _) => std::mem::take(&mut j.meta),
        (None, Some(p)) => std::mem::take(&mut p.meta),
        (None, None) => meta::PhotoMeta::default(),
    };
    let mut photo = Photo {
        path: path.to_path_buf(),
        width,
        height,
        notes,
        meta: photo_meta,
        jpeg,
        png,
        stamp: crate::cache::file_stamp(path, &meta),
        data: std::sync::OnceLock::new(),
        end: trailer,
    };
    // Laid out as shown: a photo stored on its side is as wide as it is shown.
    if orient::swaps(photo.orientation()) {
        std::mem::swap(&mut photo.width, &mut photo.height);
    }
    Ok(photo)
}

/// A JPEG's header, refused when it is a process no PDF reader decodes; and where its image
/// data ends when bytes follow the end-of-image marker (None when the file ends there).
fn probe_jpeg(
    path: &Path,
    file: &mut std::fs::File,
    len: u64,
) -> Result<(jpeg::JpegInfo, Option<usize>)> {
    let cannot = |e: std::io::Error| Diagnostic::file(path, format!("cannot read photo: {e}"));
    let bad = |msg: String| Diagnostic::file(path, msg);
    let info = jpeg::probe_file(file)
        .map_err(|e| bad(e).with_hint("copy the photo again from its source"))?;
    if let Some(why) = info.unsupported() {
        return Err(bad(why)
            .with_hint(
                "save the photo again as a baseline JPEG (8-bit, Huffman-coded, 4:4:4, \
                 4:2:2 or 4:2:0 sampling)",
            )
            .into());
    }
    let mut tail = Vec::with_capacity(3);
    file.seek(SeekFrom::Start(len.saturating_sub(3)))
        .and_then(|_| file.read_to_end(&mut tail))
        .map_err(cannot)?;
    if tail.ends_with(&[0xFF, 0xD9]) || tail.ends_with(&[0xFF, 0xD9, 0x0A]) {
        return Ok((info, None));
    }
    // Not ending in the marker: truncated, or more bytes after the image.
    let mut data = Vec::new();
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.read_to_end(&mut data))
        .map_err(cannot)?;
    let Some(end) = jpeg::end_of_image(&data) else {
        return Err(bad("JPEG is truncated (no end-of-image marker)".into())
            .with_hint("copy the photo again from its source")
            .into());
    };
    Ok((info, Some(end)))
}

/// A PNG's header; an animated PNG is refused.
fn probe_png(path: &Path, file: &mut std::fs::File) -> Result<png::PngInfo> {
    let bad = |msg: String| Diagnostic::file(path, msg);
    let mut reader = std::io::BufReader::new(file);
    let (info, _) = png::probe(&mut reader, false).map_err(bad)?;
    if let Some(frames) = info.frames {
        return Err(bad(format!(
            "animated PNG (APNG, {frames} frames): a printed page shows one still picture"
        ))
        .with_hint("export the frame you want as a still JPEG or PNG")
        .into());
    }
    Ok(info)
}

/// A warning when a photo's embedded ICC profile is for another colour space than its samples
/// (it is ignored).
fn profile_notes(
    path: &Path,
    jpeg: Option<&jpeg::JpegInfo>,
    png: Option<&png::PngInfo>,
) -> Vec<String> {
    let (space, channels) = match (jpeg, png) {
        (Some(j), _) => (j.icc_space, j.components),
        (_, Some(p)) => (p.icc_space, if p.is_colour() { 3 } else { 1 }),
        _ => (None, 0),
    };
    space
        .and_then(|space| colour::profile_misfit(space, channels))
        .map(|why| format!("{}: {why}", path.display()))
        .into_iter()
        .collect()
}

/// What the output condition asks of images.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The output CMYK profile.
    pub cmyk: &'a [u8],
    /// ICC-based colour allowed (PDF/X-4), or device colour only (PDF/X-1a).
    pub allow_icc: bool,
    /// Downsample decoded images above this effective resolution.
    pub max_ppi: f32,
    /// For an on-screen proof at this resolution: photos prepared as for print, then reduced
    /// to it (see [`thumb`]). None for print.
    pub proof_ppi: Option<f32>,
    /// The colour transforms built so far (kept by the build).
    pub transforms: &'a colour::Transforms,
}

/// Colour space of a prepared image.
#[derive(Debug, Clone, PartialEq)]
pub enum Colour {
    /// DeviceGray.
    Gray,
    /// DeviceCMYK (in the output intent's condition).
    Cmyk,
    /// CMYK in the embedded profile (PDF/X-4 only).
    IccCmyk(Arc<Vec<u8>>),
}

/// Pixel data of a prepared image.
#[derive(Debug, Clone)]
pub enum Pixels {
    /// A JPEG passed through (DCTDecode); `inverted` for Adobe CMYK.
    Dct {
        /// The file's bytes.
        bytes: Arc<Vec<u8>>,
        /// Adobe-inverted CMYK: needs a Decode array [1 0 …].
        inverted: bool,
    },
    /// Uncompressed 8-bit samples.
    Raw(Vec<u8>),
}

/// An image ready for the PDF writer.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// Colour space.
    pub colour: Colour,
    /// Samples.
    pub pixels: Pixels,
}

impl Prepared {
    /// Bytes the image takes in the PDF, roughly (raw samples are compressed, so less).
    pub fn size(&self) -> usize {
        let data = match &self.pixels {
            Pixels::Dct { bytes, .. } => bytes.len(),
            Pixels::Raw(v) => v.len(),
        };
        let icc = match &self.colour {
            Colour::IccCmyk(p) => p.len(),
            _ => 0,
        };
        data + icc + 1024
    }
}

/// Prepares a photo drawn `w` × `h` points for the output condition (and, for a proof,
/// reduces it to the proof's resolution).
pub fn prepare(
    photo: &Photo,
    size: (f32, f32),
    target: &Target,
) -> std::result::Result<Prepared, Diagnostic> {
    prepare_checked(photo, size, target, false)
}

/// [`prepare`]; `checked` when the photo (the same file) has already been found to decode
/// cleanly, so a JPEG passed through is not decoded again.
pub(crate) fn prepare_checked(
    photo: &Photo,
    size: (f32, f32),
    target: &Target,
    checked: bool,
) -> std::result::Result<Prepared, Diagnostic> {
    let print = prepare_for_print(photo, size, target, checked)?;
    Ok(match target.proof_ppi {
        Some(ppi) => thumb::thumbnail(&print, size, ppi).unwrap_or(print),
        None => print,
    })
}

/// Prepares a photo drawn `w` × `h` points for the output condition.
fn prepare_for_print(
    photo: &Photo,
    size: (f32, f32),
    target: &Target,
    checked: bool,
) -> std::result::Result<Prepared, Diagnostic> {
    let bad = |e: String| Diagnostic::file(&photo.path, e);
    let data = photo.data().map_err(bad)?;
    let prepared = match photo.jpeg {
        Some(_) => prepare_jpeg(photo, &data, size, target, checked),
        None => prepare_png(photo, &data, size, target),
    };
    prepared.map_err(|e| match e {
        Refusal::Corrupt(e) => bad(e).with_hint("copy the photo again from its source"),
        Refusal::Other(e) => bad(e),
    })
}

/// Why a photo could not be prepared.
enum Refusal {
    /// Its data is damaged.
    Corrupt(String),
    /// Anything else (the file changed, a conversion failed).
    Other(String),
}

impl From<String> for Refusal {
    fn from(e: String) -> Self {
        Refusal::Other(e)
    }
}

/// Prepares a JPEG: passed through when upright grey or CMYK that decodes cleanly, otherwise
/// decoded, turned upright and converted.
fn prepare_jpeg(
    photo: &Photo,
    data: &Arc<Vec<u8>>,
    size: (f32, f32),
    target: &Target,
    checked: bool,
) -> std::result::Result<Prepared, Refusal> {
    // The full header, with the ICC profile the file probe skipped.
    let info = jpeg::probe(data)?;
    // The header was read when the page was composed; a photo saved again since then would
    // be drawn at the wrong size.
    if (info.width, info.height) != photo.stored_size() {
        return Err(CHANGED.to_string().into());
    }
    if let Some(why) = info.unsupported() {
        return Err(why.into());
    }
    // A profile for another colour space than the samples' is ignored (a warning says so).
    let icc = info
        .icc
        .clone()
        .filter(|p| colour::profile_fits(p, info.components));
    if info.orientation == 1 && matches!(info.components, 1 | 4) {
        if !checked {
            decode::validate_jpeg(data).map_err(Refusal::Corrupt)?;
        }
        return Ok(pass_through(photo, data, &info, icc, target));
    }
    let samples = with_transform(info.components == 3, icc.as_deref(), target, || {
        decode::decode_jpeg(data, info.components, info.adobe)
    })
    .map_err(Refusal::Corrupt)?;
    let upright = Upright::new(photo, samples, info.orientation)?;
    Ok(convert(upright, icc.as_deref(), size, target, true)?)
}

/// A JPEG that every PDF reader decodes, as it is (its ICC profile used only when it is a
/// CMYK profile, dropped when it is the output intent's).
fn pass_through(
    photo: &Photo,
    data: &Arc<Vec<u8>>,
    info: &jpeg::JpegInfo,
    icc: Option<Vec<u8>>,
    target: &Target,
) -> Prepared {
    let pass = |colour: Colour, bytes: Arc<Vec<u8>>| Prepared {
        width: photo.width,
        height: photo.height,
        colour,
        pixels: Pixels::Dct {
            bytes,
            inverted: info.components == 4 && info.adobe,
        },
    };
    if info.components == 1 {
        return pass(Colour::Gray, data.clone());
    }
    match icc {
        // The output intent already carries this profile: drop the copy inside.
        Some(p) if colour::same_profile(&p, target.cmyk) => {
            pass(Colour::Cmyk, Arc::new(jpeg::strip_icc(data)))
        }
        Some(p) if target.allow_icc => pass(Colour::IccCmyk(Arc::new(p)), data.clone()),
        // PDF/X-1a has no ICC-based colour: the samples are taken as the output CMYK.
        _ => pass(Colour::Cmyk, data.clone()),
    }
}

/// Prepares a PNG: decoded (transparency on white), its gamma applied when it has no colour
/// profile, turned upright and converted; kept lossless.
fn prepare_png(
    photo: &Photo,
    data: &[u8],
    size: (f32, f32),
    target: &Target,
) -> std::result::Result<Prepared, Refusal> {
    let (info, icc) = png::probe(&mut std::io::Cursor::new(data), true)?;
    if (info.width, info.height) != photo.stored_size() {
        return Err(CHANGED.to_string().into());
    }
    let channels = if info.is_colour() { 3 } else { 1 };
    let icc = icc.filter(|p| colour::profile_fits(p, channels));
    let mut samples = with_transform(info.is_colour(), icc.as_deref(), target, || {
        decode::decode_png(data)
    })
    .map_err(Refusal::Corrupt)?;
    if let (Some(gamma), None, false) = (info.gamma, &icc, info.srgb) {
        decode::apply_gamma(&mut samples.data, gamma);
    }
    let upright = Upright::new(photo, samples, info.orientation)?;
    Ok(convert(upright, icc.as_deref(), size, target, false)?)
}

/// Runs `decode`; for a colour photo, builds the RGB → CMYK transform (10–20 ms the first time
/// in a process) on another core meanwhile.
fn with_transform<T>(
    colour: bool,
    icc: Option<&[u8]>,
    target: &Target,
    decode: impl FnOnce() -> T,
) -> T {
    std::thread::scope(|s| {
        let warm = colour
            .then(|| {
                std::thread::Builder::new()
                    .spawn_scoped(s, || target.transforms.warm_up(icc, target.cmyk))
                    .ok()
            })
            .flatten();
        let out = decode();
        if let Some(w) = warm {
            let _ = w.join();
        }
        out
    })
}

/// Decoded samples turned upright, at the photo's shown size.
struct Upright(decode::Samples);

impl Upright {
    /// Turns `samples` upright for `orientation`; an error when they are not the size the
    /// page was composed with (the file changed).
    fn new(
        photo: &Photo,
        s: decode::Samples,
        orientation: u8,
    ) -> std::result::Result<Self, String> {
        let (data, size) = orient::upright(s.data, s.channels, s.size, orientation);
        if size != (photo.width, photo.height) {
            return Err(CHANGED.into());
        }
        Ok(Upright(decode::Samples { data, size, ..s }))
    }
}

/// The pixel size a photo drawn `w` × `h` points is prepared at for print: its own, or less
/// when that would exceed `max_ppi`. Only this, not the drawn size, shapes the preparation: a
/// frame resized without crossing the limit keeps its prepared photo. A `max_ppi` that is not
/// a positive number (the layout's check lets none through) downsamples nothing.
pub(crate) fn print_size(photo: &Photo, drawn: (f32, f32), max_ppi: f32) -> (u32, u32) {
    print_size_of((photo.width, photo.height), drawn, max_ppi)
}

/// [`print_size`] for a picture of `size` pixels.
fn print_size_of((pw, ph): (u32, u32), (w, h): (f32, f32), max_ppi: f32) -> (u32, u32) {
    let ppi = ppi_of((pw, ph), (w, h));
    if !(max_ppi > 0.0 && max_ppi.is_finite() && ppi > 0.0 && ppi.is_finite()) {
        return (pw, ph);
    }
    let scale = (max_ppi / ppi).min(1.0);
    if scale < 0.999 {
        (
            ((pw as f32 * scale).round() as u32).max(1),
            ((ph as f32 * scale).round() as u32).max(1),
        )
    } else {
        (pw, ph)
    }
}

/// Effective resolution (ppi) of a picture of `width` × `height` pixels drawn `w` × `h`
/// points.
fn ppi_of((width, height): (u32, u32), (w, h): (f32, f32)) -> f32 {
    let x = width as f32 / (w / 72.0).max(1e-3);
    let y = height as f32 / (h / 72.0).max(1e-3);
    x.min(y)
}

/// Upright samples downsampled above the maximum ppi and converted to the output CMYK (RGB,
/// through `icc` or sRGB) or grey; CMYK kept as it is. `lossy`: encoded as JPEG (as prepress
/// does after converting a JPEG), else raw (PNG line art and screenshots stay lossless).
fn convert(
    Upright(s): Upright,
    icc: Option<&[u8]>,
    (w, h): (f32, f32),
    target: &Target,
    lossy: bool,
) -> std::result::Result<Prepared, String> {
    let (width, height) = s.size;
    if s.channels == 4 {
        // CMYK ink (a JPEG turned upright): kept at its size, like one passed through.
        let colour = match icc {
            Some(p) if !colour::same_profile(p, target.cmyk) && target.allow_icc => {
                Colour::IccCmyk(Arc::new(p.to_vec()))
            }
            _ => Colour::Cmyk,
        };
        let pixels = encode::encode_jpeg(&s.data, s.size, jpeg_encoder::ColorType::Cmyk)?;
        return Ok(Prepared {
            width,
            height,
            colour,
            pixels,
        });
    }
    let (nw, nh) = print_size_of(s.size, (w, h), target.max_ppi);
    let (samples, (width, height)) = resize(s.data, s.channels, s.size, (nw, nh))?;
    let (colour, samples, kind) = if s.channels == 1 {
        (Colour::Gray, samples, jpeg_encoder::ColorType::Luma)
    } else {
        let cmyk = target.transforms.rgb_to_cmyk(&samples, icc, target.cmyk)?;
        (Colour::Cmyk, cmyk, jpeg_encoder::ColorType::Cmyk)
    };
    let pixels = if lossy {
        encode::encode_jpeg(&samples, (width, height), kind)?
    } else {
        Pixels::Raw(samples)
    };
    Ok(Prepared {
        width,
        height,
        colour,
        pixels,
    })
}

/// Grey or RGB samples resized to `to` (a triangle filter), unless they are that size.
fn resize(
    data: Vec<u8>,
    channels: usize,
    (w, h): (u32, u32),
    to: (u32, u32),
) -> std::result::Result<(Vec<u8>, (u32, u32)), String> {
    if to == (w, h) {
        return Ok((data, (w, h)));
    }
    let short = || "decoded samples do not match the photo's size".to_string();
    let img = if channels == 1 {
        image::DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, data).ok_or_else(short)?)
    } else {
        image::DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, data).ok_or_else(short)?)
    };
    let img = img.resize_exact(to.0, to.1, image::imageops::FilterType::Triangle);
    let size = (img.width(), img.height());
    Ok((
        if channels == 1 {
            img.into_luma8().into_raw()
        } else {
            img.into_rgb8().into_raw()
        },
        size,
    ))
}

/// For tests: a fresh folder for `test` holding a copy of the example photo `name` as
/// `photo.jpg`; returns the example photos' folder, the fresh folder and the copy.
#[cfg(test)]
pub(crate) fn scratch_photo(test: &str, name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/weidong/photos");
    let dir = crate::test_dir(test);
    let file = dir.join("photo.jpg");
    std::fs::copy(root.join(name), &file).unwrap();
    (root, dir, file)
}

#[cfg(test)]
mod tests {

    #[test]
    fn png_headers_tell_colour_from_grey() {
        let png = |colour: image::ExtendedColorType, channels: usize| {
            let mut out = Vec::new();
            image::ImageEncoder::write_image(
                image::codecs::png::PngEncoder::new(&mut out),
                &vec![128u8; 4 * 4 * channels],
                4,
                4,
                colour,
            )
            .unwrap();
            out
        };
        let colour = |data: Vec<u8>| {
            super::png::probe(&mut std::io::Cursor::new(data), false)
                .unwrap()
                .0
                .is_colour()
        };
        assert!(colour(png(image::ExtendedColorType::Rgb8, 3)));
        assert!(colour(png(image::ExtendedColorType::Rgba8, 4)));
        assert!(!colour(png(image::ExtendedColorType::L8, 1)));
        assert!(super::png::probe(&mut std::io::Cursor::new(b"not a png"), false).is_err());
    }
    #[test]
    fn a_photo_replaced_after_its_header_was_read_is_refused() {
        let (root, dir, file) = super::scratch_photo("photo-test", "signing.jpg");
        let photo = super::load_photo(&file).unwrap();
        // Another picture renamed over it, as an editor's "save as" does.
        std::fs::copy(root.join("village.jpg"), dir.join("new.jpg")).unwrap();
        std::fs::rename(dir.join("new.jpg"), &file).unwrap();
        let err = photo.data().unwrap_err();
        assert!(
            err.contains("changed while the page was being built"),
            "{err}"
        );
        // Loaded afresh, it is the new picture.
        let again = super::load_photo(&file).unwrap();
        assert_ne!((again.width, again.height), (photo.width, photo.height));
        assert!(again.data().is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
