//! Photos: reading, format detection, pixel size and effective resolution.
//!
//! JPEG and PNG are embedded as they are (JPEG byte-identical). Colour conversion to the
//! newsprint profile is not done here yet.

use crate::error::{Diagnostic, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest photo file accepted (a resource bound).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Largest pixel count accepted (decompression-bomb guard).
pub const MAX_PIXELS: u64 = 100_000_000;

/// A photo ready to place.
#[derive(Debug, Clone)]
pub struct Photo {
    /// The file.
    pub path: PathBuf,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// The image for the PDF writer (bytes shared, decoded lazily).
    pub image: krilla::image::Image,
}

impl Photo {
    /// Effective resolution (ppi) when drawn `w` × `h` points.
    pub fn ppi(&self, w: f32, h: f32) -> f32 {
        let x = self.width as f32 / (w / 72.0).max(1e-3);
        let y = self.height as f32 / (h / 72.0).max(1e-3);
        x.min(y)
    }
}

/// Loads a photo, refusing what is not a JPEG or PNG, truncated headers and huge images.
pub fn load_photo(path: &Path) -> Result<Photo> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read photo: {e}")))?;
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
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read photo: {e}")))?;
    let kind = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else {
        return Err(Diagnostic::file(path, "not a JPEG or PNG image")
            .with_hint("convert the photo to JPEG (or PNG) before placing it")
            .into());
    };
    if kind == "jpeg" && !bytes.ends_with(&[0xFF, 0xD9]) {
        return Err(
            Diagnostic::file(path, "JPEG is truncated (no end-of-image marker)")
                .with_hint("copy the photo again from its source")
                .into(),
        );
    }
    let data: krilla::Data = Arc::new(bytes).into();
    let image = match kind {
        "jpeg" => krilla::image::Image::from_jpeg(data, true),
        _ => krilla::image::Image::from_png(data, true),
    }
    .map_err(|e| Diagnostic::file(path, format!("cannot read {kind} image: {e}")))?;
    let (width, height) = image.size();
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Diagnostic::file(
            path,
            format!(
                "image of {width}×{height} pixels is over the {MAX_PIXELS}-pixel limit or empty"
            ),
        )
        .with_hint("downsample the photo before placing it")
        .into());
    }
    Ok(Photo {
        path: path.to_path_buf(),
        width,
        height,
        image,
    })
}
