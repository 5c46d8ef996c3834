//! Photos: reading, format detection, pixel limits, effective resolution, and preparation for
//! the PDF: JPEGs passed through where the output condition allows (grey; CMYK in the output
//! profile), everything else decoded, downsampled above the maximum ppi and converted to the
//! newsprint CMYK (or grey) profile.

pub mod cache;
pub mod colour;
mod encode;
pub mod jpeg;
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
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// JPEG header facts, for JPEGs (without the ICC profile: see [`jpeg::probe_file`]).
    pub jpeg: Option<jpeg::JpegInfo>,
    /// The file's identity for the photo cache: its path, length, inode and modification and
    /// status-change times (any write to the file moves its change time).
    pub stamp: u64,
    /// The file's bytes, read when first needed (a cached photo never needs them).
    data: std::sync::OnceLock<std::result::Result<Arc<Vec<u8>>, String>>,
}

impl Photo {
    /// The file's bytes (read on first use).
    pub fn data(&self) -> std::result::Result<Arc<Vec<u8>>, String> {
        self.data
            .get_or_init(|| {
                let cannot = |e: std::io::Error| format!("cannot read photo: {e}");
                let mut file = std::fs::File::open(&self.path).map_err(cannot)?;
                // The file read must be the one whose header was read.
                if crate::cache::file_stamp(&self.path, &file.metadata().map_err(cannot)?)
                    != self.stamp
                {
                    return Err(CHANGED.into());
                }
                let mut data = Vec::new();
                file.read_to_end(&mut data).map_err(cannot)?;
                Ok(Arc::new(data))
            })
            .clone()
    }

    /// Effective resolution (ppi) when drawn `w` × `h` points.
    pub fn ppi(&self, w: f32, h: f32) -> f32 {
        let x = self.width as f32 / (w / 72.0).max(1e-3);
        let y = self.height as f32 / (h / 72.0).max(1e-3);
        x.min(y)
    }
}

/// Why a photo cannot be used when it changed during the build.
const CHANGED: &str = "the photo changed while the page was being built; build again";

/// Loads a photo, refusing what is not a JPEG or PNG, truncated files and huge images.
pub fn load_photo(path: &Path) -> Result<Photo> {
    let cannot = |e: std::io::Error| Diagnostic::file(path, format!("cannot read photo: {e}"));
    // The size limit, the header and the cache stamp all come from this one open file.
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.len() > MAX_BYTES {
        return Err(Diagnostic::file(
            path,
            format!(
                "photo is {} MB, over the {} MB limit",
                meta.len() >> 20,
                MAX_BYTES >> 20
            ),
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
    let (width, height, jpeg) = if magic.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let info = jpeg::probe_file(&mut file)
            .map_err(|e| bad(e).with_hint("copy the photo again from its source"))?;
        let mut tail = Vec::with_capacity(3);
        file.seek(SeekFrom::Start(meta.len().saturating_sub(3)))
            .and_then(|_| file.read_to_end(&mut tail))
            .map_err(cannot)?;
        if !tail.ends_with(&[0xFF, 0xD9]) && !tail.ends_with(&[0xFF, 0xD9, 0x0A]) {
            return Err(bad("JPEG is truncated (no end-of-image marker)".into())
                .with_hint("copy the photo again from its source")
                .into());
        }
        (info.width, info.height, Some(info))
    } else if magic.starts_with(b"\x89PNG\r\n\x1a\n") {
        file.seek(SeekFrom::Start(0)).map_err(cannot)?;
        let r = image::ImageReader::with_format(
            std::io::BufReader::new(&mut file),
            image::ImageFormat::Png,
        );
        let (w, h) = r
            .into_dimensions()
            .map_err(|e| bad(format!("cannot read PNG: {e}")))?;
        (w, h, None)
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
    Ok(Photo {
        path: path.to_path_buf(),
        width,
        height,
        jpeg,
        stamp: crate::cache::file_stamp(path, &meta),
        data: std::sync::OnceLock::new(),
    })
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
) -> std::result::Result<Prepared, String> {
    let print = prepare_for_print(photo, size, target)?;
    Ok(match target.proof_ppi {
        Some(ppi) => thumb::thumbnail(&print, size, ppi).unwrap_or(print),
        None => print,
    })
}

/// Prepares a photo drawn `w` × `h` points for the output condition.
fn prepare_for_print(
    photo: &Photo,
    (w, h): (f32, f32),
    target: &Target,
) -> std::result::Result<Prepared, String> {
    let data = photo.data()?;
    // The full header, with the ICC profile the file probe skipped.
    let info = match photo.jpeg {
        Some(_) => Some(jpeg::probe(&data)?),
        None => None,
    };
    // The header was read when the page was composed; a photo saved again since then would
    // be drawn at the wrong size.
    if info
        .as_ref()
        .is_some_and(|i| (i.width, i.height) != (photo.width, photo.height))
    {
        return Err(CHANGED.into());
    }
    let pass = |colour: Colour, inverted: bool| Prepared {
        width: photo.width,
        height: photo.height,
        colour,
        pixels: Pixels::Dct {
            bytes: data.clone(),
            inverted,
        },
    };
    if let Some(info) = &info {
        match info.components {
            1 => return Ok(pass(Colour::Gray, false)),
            4 => match &info.icc {
                None => return Ok(pass(Colour::Cmyk, info.adobe)),
                Some(p) if colour::same_profile(p, target.cmyk) => {
                    // The output intent already carries this profile: drop the copy inside.
                    let bytes = Arc::new(jpeg::strip_icc(&data));
                    let pixels = Pixels::Dct {
                        bytes,
                        inverted: info.adobe,
                    };
                    return Ok(Prepared {
                        width: photo.width,
                        height: photo.height,
                        colour: Colour::Cmyk,
                        pixels,
                    });
                }
                Some(p) if target.allow_icc => {
                    return Ok(pass(Colour::IccCmyk(Arc::new(p.clone())), info.adobe))
                }
                // PDF/X-1a has no ICC-based colour: the samples are taken as the output CMYK.
                Some(_) => return Ok(pass(Colour::Cmyk, info.adobe)),
            },
            _ => {}
        }
    }
    decode_and_convert(photo, (&data, info.as_ref()), (w, h), target)
}

/// Whether a PNG's header says colour (RGB, RGBA or a palette) rather than grey.
fn png_is_colour(data: &[u8]) -> bool {
    // Signature (8), IHDR length and type (8), width and height (8), bit depth (1), colour type.
    data.get(25).is_some_and(|t| matches!(t, 2 | 3 | 6))
}

/// The pixel size a photo drawn `w` × `h` points is prepared at for print: its own, or less
/// when that would exceed `max_ppi`. Only this, not the drawn size, shapes the preparation: a
/// frame resized without crossing the limit keeps its prepared photo.
pub(crate) fn print_size(photo: &Photo, (w, h): (f32, f32), max_ppi: f32) -> (u32, u32) {
    let scale = (max_ppi / photo.ppi(w, h)).min(1.0);
    if scale < 0.999 {
        (
            ((photo.width as f32 * scale).round() as u32).max(1),
            ((photo.height as f32 * scale).round() as u32).max(1),
        )
    } else {
        (photo.width, photo.height)
    }
}

/// Decodes, downsamples above the maximum ppi, and converts to the output CMYK or grey.
fn decode_and_convert(
    photo: &Photo,
    (data, info): (&[u8], Option<&jpeg::JpegInfo>),
    (w, h): (f32, f32),
    target: &Target,
) -> std::result::Result<Prepared, String> {
    // A colour photo needs the RGB → CMYK transform (10–20 ms to build the first time in a
    // process): it is built on another core while the photo is decoded.
    let needs_transform = match info {
        Some(j) => j.components == 3,
        None => png_is_colour(data),
    };
    let icc = info.and_then(|j| j.icc.as_deref());
    let img = std::thread::scope(|s| {
        let warm = needs_transform
            .then(|| {
                std::thread::Builder::new()
                    .spawn_scoped(s, || colour::warm_up(icc, target.cmyk))
                    .ok()
            })
            .flatten();
        let img = image::load_from_memory(data);
        if let Some(w) = warm {
            let _ = w.join();
        }
        img
    })
    .map_err(|e| format!("cannot decode: {e}"))?;
    if (img.width(), img.height()) != (photo.width, photo.height) {
        return Err(CHANGED.into());
    }
    let (nw, nh) = print_size(photo, (w, h), target.max_ppi);
    let img = if (nw, nh) != (photo.width, photo.height) {
        img.resize_exact(nw, nh, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let (width, height) = (img.width(), img.height());
    let icc = info.and_then(|j| j.icc.clone());
    let grey = matches!(
        img.color(),
        image::ColorType::L8
            | image::ColorType::L16
            | image::ColorType::La8
            | image::ColorType::La16
    );
    // JPEG sources are re-encoded as JPEG (as prepress does after a conversion); PNG sources
    // (line art, screenshots) stay lossless.
    let lossy = photo.jpeg.is_some();
    if grey {
        let g = img.to_luma8().into_raw();
        let pixels = if lossy {
            encode::encode_jpeg(&g, (width, height), jpeg_encoder::ColorType::Luma)?
        } else {
            Pixels::Raw(g)
        };
        return Ok(Prepared {
            width,
            height,
            colour: Colour::Gray,
            pixels,
        });
    }
    // RGB (alpha composited on paper white): to the newsprint CMYK.
    let rgb = if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        for px in rgba.pixels() {
            let [r, g, b, a] = px.0;
            let over =
                |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
            rgb.extend([over(r), over(g), over(b)]);
        }
        rgb
    } else {
        img.into_rgb8().into_raw()
    };
    let cmyk = colour::rgb_to_cmyk(&rgb, icc.as_deref(), target.cmyk)?;
    let pixels = if lossy {
        encode::encode_jpeg(&cmyk, (width, height), jpeg_encoder::ColorType::Cmyk)?
    } else {
        Pixels::Raw(cmyk)
    };
    Ok(Prepared {
        width,
        height,
        colour: Colour::Cmyk,
        pixels,
    })
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
        assert!(super::png_is_colour(&png(
            image::ExtendedColorType::Rgb8,
            3
        )));
        assert!(super::png_is_colour(&png(
            image::ExtendedColorType::Rgba8,
            4
        )));
        assert!(!super::png_is_colour(&png(image::ExtendedColorType::L8, 1)));
        assert!(!super::png_is_colour(b"not a png"));
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
