//! Decoding photos to 8-bit samples, strictly: a JPEG whose data is damaged (an error, or
//! data ending early) is refused rather than placed with a grey band, and transparent parts
//! of a PNG are laid on paper white.

use zune_jpeg::zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};

/// Decoded samples, interleaved, 8 bits each.
#[derive(Debug, Clone)]
pub struct Samples {
    /// The samples.
    pub data: Vec<u8>,
    /// Samples per pixel: 1 (grey), 3 (RGB) or 4 (CMYK, as ink: 0 none, 255 full).
    pub channels: usize,
    /// Pixel size as stored (before any EXIF orientation).
    pub size: (u32, u32),
}

/// The strict decoder for `data`, with its output in `out` (None: as stored).
fn decoder(data: &[u8], out: Option<ColorSpace>) -> zune_jpeg::JpegDecoder<ZCursor<&[u8]>> {
    let mut opts = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX));
    if let Some(out) = out {
        opts = opts.jpeg_set_out_colorspace(out);
    }
    zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), opts)
}

/// A JPEG's samples as the decoder gave them.
struct Decoded {
    samples: Vec<u8>,
    /// The colour space they are in.
    space: ColorSpace,
    size: (u32, u32),
}

/// The JPEG with one-bits (stuffed 0xFF bytes) put before its end-of-image marker. The
/// decoder meets a marker in the picture data of a file cut short and decodes zero bits in
/// place of the missing data, without an error (a grey or smeared band); one-bits instead
/// make it fail, as no Huffman code is all ones. A whole file never reads them.
fn sealed(data: &[u8]) -> Vec<u8> {
    let end = data.len().saturating_sub(3);
    let eoi = data
        .get(end..)
        .and_then(|tail| tail.windows(2).rposition(|w| w == [0xFF, 0xD9]))
        .map_or(data.len(), |k| end + k);
    let (head, tail) = data.split_at(eoi);
    let mut out = Vec::with_capacity(data.len() + 16);
    out.extend_from_slice(head);
    out.extend_from_slice(&[0xFF, 0x00].repeat(8));
    out.extend_from_slice(tail);
    out
}

/// Decodes a JPEG to `out` (None, or a four-component space: as stored), and checks that
/// every sample was decoded from the file's data. (The decoder is given the file without its
/// ICC profile, read elsewhere: it takes a large profile in slowly, 8 ms for the 0.7 MB of
/// the example's CMYK photo.)
fn decode_strict(data: &[u8], out: Option<ColorSpace>) -> Result<Decoded, String> {
    let corrupt = |e: &dyn std::fmt::Display| format!("JPEG data is corrupt ({e})");
    let data = &sealed(&super::jpeg::strip_icc(data));
    let mut d = decoder(data, None);
    d.decode_headers().map_err(|e| corrupt(&e))?;
    let stored = d.input_colorspace().ok_or("JPEG has no colour space")?;
    let space = match out {
        None => stored,
        // CMYK or YCCK samples copied out as they are (converted by the caller).
        Some(o) if o.num_components() == 4 => {
            if stored.num_components() != 4 {
                return Err(format!("JPEG is {stored:?}, not CMYK"));
            }
            stored
        }
        Some(o) => o,
    };
    let mut d = decoder(data, Some(space));
    let samples = d.decode().map_err(|e| corrupt(&e))?;
    let (w, h) = d.dimensions().ok_or("JPEG has no size")?;
    if samples.len() != w * h * space.num_components() {
        return Err(corrupt(&"fewer samples than pixels"));
    }
    let size = (
        u32::try_from(w).map_err(|_| "JPEG too wide")?,
        u32::try_from(h).map_err(|_| "JPEG too tall")?,
    );
    Ok(Decoded {
        samples,
        space,
        size,
    })
}

/// Decodes a JPEG fully, as stored (no colour conversion), only to check that it decodes
/// cleanly: what is passed through to the PDF must be what every reader can show.
pub fn validate_jpeg(data: &[u8]) -> Result<(), String> {
    decode_strict(data, None).map(|_| ())
}

/// Decodes a JPEG of `components` components (`adobe`: with an Adobe marker, CMYK stored
/// inverted) to grey, RGB or CMYK ink samples.
pub fn decode_jpeg(data: &[u8], components: u8, adobe: bool) -> Result<Samples, String> {
    let out = match components {
        1 => ColorSpace::Luma,
        3 => ColorSpace::RGB,
        _ => ColorSpace::CMYK,
    };
    let mut d = decode_strict(data, Some(out))?;
    if d.space == ColorSpace::YCCK {
        ycck_to_cmyk(&mut d.samples);
    } else if d.space == ColorSpace::CMYK && adobe {
        d.samples.iter_mut().for_each(|v| *v = 255 - *v);
    }
    Ok(Samples {
        data: d.samples,
        channels: out.num_components(),
        size: d.size,
    })
}

/// Adobe YCCK samples (the inverted C, M, Y coded as YCbCr, and inverted K) to CMYK ink.
fn ycck_to_cmyk(samples: &mut [u8]) {
    for px in samples.chunks_exact_mut(4) {
        let [y, cb, cr, k] = [0, 1, 2, 3].map(|i| px.get(i).copied().map_or(0.0, f32::from));
        let (cb, cr) = (cb - 128.0, cr - 128.0);
        let clamp = |v: f32| v.round().clamp(0.0, 255.0) as u8;
        // JFIF YCbCr → RGB gives the ink values themselves (the inverted inverse).
        let ink = [
            clamp(y + 1.402 * cr),
            clamp(y - 0.344_136 * cb - 0.714_136 * cr),
            clamp(y + 1.772 * cb),
            clamp(255.0 - k),
        ];
        px.iter_mut().zip(ink).for_each(|(d, s)| *d = s);
    }
}

/// Decodes a PNG to grey or RGB samples: transparency (an alpha channel, or a tRNS colour)
/// laid on paper white.
pub fn decode_png(data: &[u8]) -> Result<Samples, String> {
    let img = image::load_from_memory_with_format(data, image::ImageFormat::Png)
        .map_err(|e| format!("cannot decode PNG: {e}"))?;
    let size = (img.width(), img.height());
    let grey = matches!(
        img.color(),
        image::ColorType::L8
            | image::ColorType::L16
            | image::ColorType::La8
            | image::ColorType::La16
    );
    let alpha = img.color().has_alpha();
    let (data, channels) = match (grey, alpha) {
        (true, false) => (img.into_luma8().into_raw(), 1),
        (false, false) => (img.into_rgb8().into_raw(), 3),
        (true, true) => (on_white(&img.into_luma_alpha8().into_raw(), 2), 1),
        (false, true) => (on_white(&img.into_rgba8().into_raw(), 4), 3),
    };
    Ok(Samples {
        data,
        channels,
        size,
    })
}

/// Samples with alpha last (`stride` per pixel) composited on white, without the alpha.
fn on_white(samples: &[u8], stride: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(samples.len() / stride * (stride - 1));
    for px in samples.chunks_exact(stride) {
        let (colour, a) = px.split_at(stride - 1);
        let a = u16::from(a.first().copied().unwrap_or(255));
        out.extend(
            colour
                .iter()
                .map(|&c| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8),
        );
    }
    out
}

/// Applies a PNG's file gamma (gAMA, × 100 000) so the samples are as sRGB-like (gamma 2.2)
/// data: `out = in ^ (1 / (gamma × 2.2))`. Nothing to do for the usual 1/2.2.
pub fn apply_gamma(samples: &mut [u8], gamma: u32) {
    let exponent = 100_000.0 / (f64::from(gamma) * 2.2);
    if gamma == 0 || (exponent - 1.0).abs() < 0.01 {
        return;
    }
    let lut: Vec<u8> = (0..=255u8)
        .map(|v| ((f64::from(v) / 255.0).powf(exponent) * 255.0).round() as u8)
        .collect();
    for s in samples {
        *s = lut.get(usize::from(*s)).copied().unwrap_or(*s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_is_laid_on_white() {
        assert_eq!(on_white(&[0, 0, 10, 255, 200, 128], 2), [255, 10, 227]);
        assert_eq!(
            on_white(&[0, 0, 0, 0, 10, 20, 30, 255], 4),
            [255, 255, 255, 10, 20, 30]
        );
    }

    #[test]
    fn gamma_one_brightens_and_the_usual_gamma_is_kept() {
        let mut px = [0, 64, 128, 255];
        apply_gamma(&mut px, 45455);
        assert_eq!(px, [0, 64, 128, 255]);
        // Linear samples (file gamma 1.0) coded with 1/2.2: the mid-tones brighter.
        apply_gamma(&mut px, 100_000);
        assert_eq!(px[0], 0);
        assert_eq!(px[3], 255);
        assert!(px[1] > 130 && px[2] > 180, "{px:?}");
    }
}
