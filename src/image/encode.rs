//! JPEG encoding of prepared photos, in strips on all cores. Re-encoding a converted photo is
//! the longest part of preparing it (about 40 ms for a 0.7-megapixel CMYK photo on one core
//! of this machine), and a desk that places or replaces one photo waits for it alone. A
//! baseline JPEG can be cut at restart markers: after each marker the decoder resets the DC
//! predictions, which is how any JPEG begins. So the strips are encoded as JPEGs of their own
//! (same tables), and their entropy-coded data joined with RST markers under one header that
//! declares the whole height and the restart interval. The blocks are the ones a single
//! encoding makes, so the decoded picture is the same; only the bytes of the coding differ.
//! The strip height is fixed, never the core count: the bytes depend on the photo alone.

use super::Pixels;
use jpeg_encoder::ColorType;
use std::sync::Arc;

/// JPEG quality of re-encoded photos.
const QUALITY: u8 = 92;

/// Rows a strip (a restart interval): 16 rows of 8 × 8 blocks (no subsampling, see `whole`).
const STRIP_ROWS: usize = 128;

/// Encodes 8-bit grey or CMYK samples as a baseline JPEG (CMYK the Adobe way: inverted).
pub fn encode_jpeg(
    samples: &[u8],
    (w, h): (u32, u32),
    colour: ColorType,
) -> Result<Pixels, String> {
    let width = u16::try_from(w).map_err(|_| "image too wide for JPEG")?;
    u16::try_from(h).map_err(|_| "image too tall for JPEG")?;
    let channels = match colour {
        ColorType::Luma => 1,
        _ => 4,
    };
    let row = usize::from(width) * channels;
    if row == 0 || samples.len() != row * h as usize {
        return Err("image samples do not match its size".into());
    }
    let strips: Vec<&[u8]> = samples.chunks(row * STRIP_ROWS).collect();
    let interval = usize::from(width).div_ceil(8) * (STRIP_ROWS / 8);
    let bytes = match u16::try_from(interval) {
        Ok(interval) if strips.len() > 1 => {
            let parts = crate::par::par_map(&strips, |s| whole(s, width, s.len() / row, colour));
            let parts = parts.into_iter().collect::<Result<Vec<_>, String>>()?;
            // Only if the encoder wrote the strips differently from what is checked (never
            // seen): the whole picture at once.
            match join(&parts, h, interval) {
                Some(joined) => joined,
                None => whole(samples, width, h as usize, colour)?,
            }
        }
        _ => whole(samples, width, h as usize, colour)?,
    };
    Ok(Pixels::Dct {
        bytes: Arc::new(bytes),
        inverted: colour == ColorType::Cmyk,
    })
}

/// One JPEG of `rows` rows.
fn whole(samples: &[u8], width: u16, rows: usize, colour: ColorType) -> Result<Vec<u8>, String> {
    let rows = u16::try_from(rows).map_err(|_| "image too tall for JPEG")?;
    let mut out = Vec::with_capacity(samples.len() / 4);
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, QUALITY);
    // 8 × 8 blocks for every component (the encoder's choice at this quality, made explicit:
    // the restart interval counts 8 × 8 units).
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    encoder
        .encode(samples, width, rows, colour)
        .map_err(|e| format!("cannot encode JPEG: {e}"))?;
    Ok(out)
}

/// Where a JPEG's parts are: the frame header's height field, the start of the scan header,
/// and the entropy-coded data (up to the end-of-image marker).
struct Layout {
    height_at: usize,
    scan_at: usize,
    data: std::ops::Range<usize>,
}

/// Reads the marker segments of one of the encoder's JPEGs (baseline, one scan, no restarts).
fn layout(jpeg: &[u8]) -> Option<Layout> {
    if jpeg.get(..2)? != [0xFF, 0xD8] || jpeg.get(jpeg.len().checked_sub(2)?..)? != [0xFF, 0xD9] {
        return None;
    }
    let mut at = 2;
    let mut height_at = None;
    loop {
        let (&ff, &marker) = (jpeg.get(at)?, jpeg.get(at + 1)?);
        let len = usize::from(u16::from_be_bytes([*jpeg.get(at + 2)?, *jpeg.get(at + 3)?]));
        if ff != 0xFF || len < 2 {
            return None;
        }
        match marker {
            // Baseline frame header: length, precision, then the height.
            0xC0 => height_at = Some(at + 5),
            // Any other frame type (DHT, C4, and the like are not frames), or a restart
            // interval already set: not what is joined here.
            0xC1..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xDD => return None,
            0xDA => {
                let data = at + 2 + len..jpeg.len() - 2;
                return (data.start <= data.end).then_some(Layout {
                    height_at: height_at?,
                    scan_at: at,
                    data,
                });
            }
            _ => {}
        }
        at += 2 + len;
    }
}

/// The strips' JPEGs joined into one `height` rows high, with a restart marker after every
/// strip but the last; None unless every strip has the first's headers (tables, components)
/// apart from its height.
fn join(parts: &[Vec<u8>], height: u32, interval: u16) -> Option<Vec<u8>> {
    let layouts = parts
        .iter()
        .map(|p| layout(p))
        .collect::<Option<Vec<_>>>()?;
    let (first, head) = (parts.first()?, layouts.first()?);
    let same_headers = |(p, l): (&Vec<u8>, &Layout)| {
        l.height_at == head.height_at
            && l.scan_at == head.scan_at
            && l.data.start == head.data.start
            && p.get(..l.height_at) == first.get(..head.height_at)
            && p.get(l.height_at + 2..l.data.start)
                == first.get(head.height_at + 2..head.data.start)
    };
    if !parts.iter().zip(&layouts).all(same_headers) {
        return None;
    }
    let size = parts.iter().map(Vec::len).sum::<usize>() + 2 * parts.len() + 6;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(first.get(..head.height_at)?);
    out.extend_from_slice(&u16::try_from(height).ok()?.to_be_bytes());
    out.extend_from_slice(first.get(head.height_at + 2..head.scan_at)?);
    // DRI: the restart interval in MCUs (a strip's blocks).
    out.extend_from_slice(&[0xFF, 0xDD, 0x00, 0x04]);
    out.extend_from_slice(&interval.to_be_bytes());
    out.extend_from_slice(first.get(head.scan_at..head.data.start)?);
    for (k, (part, l)) in parts.iter().zip(&layouts).enumerate() {
        out.extend_from_slice(part.get(l.data.clone())?);
        if k + 1 < parts.len() {
            out.extend_from_slice(&[0xFF, 0xD0 + (k % 8) as u8]);
        }
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A picture with detail in every block: gradients and a pseudo-random texture.
    fn picture((w, h): (u32, u32), channels: usize) -> Vec<u8> {
        let mut seed = 12345u32;
        (0..w * h)
            .flat_map(|i| {
                let (x, y) = (i % w, i / w);
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let noise = (seed >> 24) as u8 / 8;
                (0..channels).map(move |c| ((x * 3 + y * (c as u32 + 1) * 2) % 200) as u8 + noise)
            })
            .collect()
    }

    fn bytes(p: &Pixels) -> &[u8] {
        match p {
            Pixels::Dct { bytes, .. } => bytes,
            Pixels::Raw(_) => panic!("a JPEG expected"),
        }
    }

    /// Joined strips decode to exactly the picture a single encoding gives, for sizes that are
    /// and are not multiples of the block and strip size, CMYK and grey.
    #[test]
    fn strips_decode_to_the_single_encoding() {
        for (size, colour, channels) in [
            ((300, 301), ColorType::Cmyk, 4),
            ((299, 256), ColorType::Cmyk, 4),
            ((64, 1030), ColorType::Luma, 1),
            ((1, 129), ColorType::Luma, 1),
        ] {
            let samples = picture(size, channels);
            let strips = encode_jpeg(&samples, size, colour).unwrap();
            let single = whole(&samples, size.0 as u16, size.1 as usize, colour).unwrap();
            let joined = bytes(&strips);
            assert_ne!(
                joined,
                single.as_slice(),
                "{size:?}: expected restart markers"
            );
            // Restart markers RST0, RST1, … in turn, one between each two strips.
            let restarts: Vec<u8> = joined
                .windows(2)
                .filter(|w| w[0] == 0xFF && (0xD0..=0xD7).contains(&w[1]))
                .map(|w| w[1])
                .collect();
            let strips = (size.1 as usize).div_ceil(STRIP_ROWS);
            let expected: Vec<u8> = (0..strips - 1).map(|k| 0xD0 + (k % 8) as u8).collect();
            assert_eq!(restarts, expected, "{size:?}");
            let info = super::super::jpeg::probe(joined).unwrap();
            assert_eq!((info.width, info.height), size);
            let decode = |b: &[u8]| super::super::thumb::decode(b, channels, size).unwrap();
            assert!(
                decode(joined) == decode(&single),
                "{size:?}: pictures differ"
            );
        }
    }

    /// A picture of one strip or less is one plain encoding.
    #[test]
    fn a_short_picture_is_encoded_whole() {
        let samples = picture((50, 128), 4);
        let p = encode_jpeg(&samples, (50, 128), ColorType::Cmyk).unwrap();
        assert_eq!(
            bytes(&p),
            whole(&samples, 50, 128, ColorType::Cmyk).unwrap()
        );
        assert!(encode_jpeg(&samples, (50, 127), ColorType::Cmyk).is_err());
    }
}
