//! Proof thumbnails: a prepared photo reduced to the proof's resolution, so the proof renderer
//! decodes, converts to screen colour and resamples a fraction of the pixels. The samples stay
//! in the prepared colour (the output CMYK or grey), so the proof shows the plant's colours.

use super::{Colour, Pixels, Prepared};

/// The size of the thumbnail of a `width` × `height` prepared photo drawn `w` × `h` points,
/// at `ppi`; None when it would not be worth a pass (under a fifth fewer pixels).
pub fn thumb_size((width, height): (u32, u32), (w, h): (f32, f32), ppi: f32) -> Option<(u32, u32)> {
    let tw = ((w / 72.0 * ppi).ceil() as u32).clamp(1, width.max(1));
    let th = ((h / 72.0 * ppi).ceil() as u32).clamp(1, height.max(1));
    let worth = u64::from(tw) * u64::from(th) * 5 < u64::from(width) * u64::from(height) * 4;
    worth.then_some((tw, th))
}

/// `p`, drawn `w` × `h` points, reduced to at most `ppi`; `None` when it is no larger than
/// that already, or when its JPEG is of a kind this does not decode (YCCK): the proof then
/// uses the photo as prepared.
pub fn thumbnail(p: &Prepared, size: (f32, f32), ppi: f32) -> Option<Prepared> {
    let (tw, th) = thumb_size((p.width, p.height), size, ppi)?;
    let channels = match p.colour {
        Colour::Gray => 1,
        Colour::Cmyk | Colour::IccCmyk(_) => 4,
    };
    let decoded;
    let (samples, inverted) = match &p.pixels {
        Pixels::Raw(s) => (s.as_slice(), false),
        Pixels::Dct { bytes, inverted } => {
            decoded = decode(bytes, channels, (p.width, p.height))?;
            (decoded.as_slice(), *inverted)
        }
    };
    let mut out = shrink(samples, channels, (p.width, p.height), (tw, th))?;
    if inverted {
        out.iter_mut().for_each(|v| *v = 255 - *v);
    }
    Some(Prepared {
        width: tw,
        height: th,
        colour: p.colour.clone(),
        pixels: Pixels::Raw(out),
    })
}

/// A JPEG's samples as stored (grey, or CMYK without conversion).
pub(super) fn decode(bytes: &[u8], channels: usize, (w, h): (u32, u32)) -> Option<Vec<u8>> {
    use zune_jpeg::zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options};
    let out = if channels == 1 {
        ColorSpace::Luma
    } else {
        ColorSpace::CMYK
    };
    let opts = options::DecoderOptions::default().jpeg_set_out_colorspace(out);
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), opts);
    d.decode_headers().ok()?;
    let input = d.input_colorspace()?;
    if input != out && !(channels == 1 && input == ColorSpace::YCbCr) {
        return None;
    }
    let samples = d.decode().ok()?;
    (d.dimensions() == Some((w as usize, h as usize))
        && samples.len() == w as usize * h as usize * channels)
        .then_some(samples)
}

/// Box-filter reduction of interleaved 8-bit samples: each output pixel is the mean of the
/// source pixels its area covers.
fn shrink(src: &[u8], ch: usize, (sw, sh): (u32, u32), (tw, th): (u32, u32)) -> Option<Vec<u8>> {
    let (sw, sh, tw, th) = (sw as usize, sh as usize, tw as usize, th as usize);
    if src.len() != sw * sh * ch || tw == 0 || th == 0 {
        return None;
    }
    let span =
        |i: usize, s: usize, t: usize| (i * s / t, ((i + 1) * s).div_ceil(t).max(i * s / t + 1));
    let cols: Vec<(usize, usize)> = (0..tw).map(|x| span(x, sw, tw)).collect();
    let mut out = Vec::with_capacity(tw * th * ch);
    // 64-bit sums: a 100-megapixel photo reduced to a few pixels sums past 2^32.
    let mut sums = vec![0u64; tw * ch];
    for y in 0..th {
        let (y0, y1) = span(y, sh, th);
        sums.iter_mut().for_each(|s| *s = 0);
        for row in src.get(y0 * sw * ch..y1 * sw * ch)?.chunks_exact(sw * ch) {
            for (x, &(x0, x1)) in cols.iter().enumerate() {
                let px = row.get(x0 * ch..x1 * ch)?;
                let acc = sums.get_mut(x * ch..(x + 1) * ch)?;
                for p in px.chunks_exact(ch) {
                    for (a, v) in acc.iter_mut().zip(p) {
                        *a += u64::from(*v);
                    }
                }
            }
        }
        for (x, &(x0, x1)) in cols.iter().enumerate() {
            let n = ((x1 - x0) * (y1 - y0)) as u64;
            for a in sums.get(x * ch..(x + 1) * ch)? {
                out.push(((a + n / 2) / n) as u8);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_filter_averages_areas() {
        // 4 × 2 grey → 2 × 1: means of the 2 × 2 blocks.
        let src = [0, 10, 100, 200, 20, 30, 100, 0];
        assert_eq!(shrink(&src, 1, (4, 2), (2, 1)).unwrap(), [15, 100]);
        // Two channels stay apart.
        let src = [0, 255, 100, 155];
        assert_eq!(shrink(&src, 2, (2, 1), (1, 1)).unwrap(), [50, 205]);
        assert!(shrink(&src, 2, (3, 1), (1, 1)).is_none(), "wrong length");
    }

    #[test]
    fn cmyk_jpeg_thumbnail_keeps_the_ink_values() {
        // A flat CMYK patch, encoded the way prepared photos are (Adobe: inverted samples).
        let (w, h) = (320u32, 240u32);
        let ink = [30u8, 160, 90, 20];
        let samples: Vec<u8> = (0..w * h).flat_map(|_| ink).collect();
        let pixels =
            super::super::encode::encode_jpeg(&samples, (w, h), jpeg_encoder::ColorType::Cmyk)
                .unwrap();
        let p = Prepared {
            width: w,
            height: h,
            colour: Colour::Cmyk,
            pixels,
        };
        // Drawn 320 × 240 pt at 36 ppi: 160 × 120 pixels.
        let t = thumbnail(&p, (320.0, 240.0), 36.0).unwrap();
        assert_eq!((t.width, t.height), (160, 120));
        let Pixels::Raw(s) = &t.pixels else {
            panic!("raw samples expected")
        };
        assert_eq!(s.len(), 160 * 120 * 4);
        for px in s.chunks_exact(4) {
            for (got, want) in px.iter().zip(ink) {
                assert!(got.abs_diff(want) <= 3, "{px:?} against {ink:?}");
            }
        }
        // No reduction when the proof asks for as many pixels as there are.
        assert!(thumbnail(&p, (320.0, 240.0), 72.0).is_none());
    }
}
