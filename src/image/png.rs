//! PNG header reading: the chunks before the image data (size, colour type, colour chunks,
//! EXIF orientation, animation, XMP caption metadata), without decoding the picture.

use std::io::{Read, Seek, SeekFrom};

/// What the chunks before a PNG's image data say.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PngInfo {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// The colour type: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGB + alpha.
    pub colour_type: u8,
    /// The colour space the iCCP profile's header names (`b"RGB "`, `b"GRAY"`…); `Some`
    /// with `[0; 4]` when the profile cannot be read.
    pub icc_space: Option<[u8; 4]>,
    /// An sRGB chunk: the samples are sRGB.
    pub srgb: bool,
    /// The gAMA chunk: the file gamma × 100 000.
    pub gamma: Option<u32>,
    /// The EXIF orientation from an eXIf chunk (1–8; 1 when there is none).
    pub orientation: u8,
    /// The frame count of an animated PNG (acTL chunk).
    pub frames: Option<u32>,
    /// The caption and credit of its XMP packet (an `iTXt` chunk before the image data).
    pub meta: super::meta::PhotoMeta,
}

impl PngInfo {
    /// Whether the samples are colour (RGB or a palette) rather than grey.
    pub fn is_colour(&self) -> bool {
        matches!(self.colour_type, 2 | 3 | 6)
    }
}

/// Largest ICC profile inflated from an iCCP chunk (a resource bound).
const MAX_ICC: usize = 4 << 20;

/// Reads the chunks of a PNG up to its first image data chunk; with `want_icc`, returns the
/// inflated iCCP profile too (otherwise only its header is inflated, for its colour space).
pub fn probe<R: Read + Seek>(
    r: &mut R,
    want_icc: bool,
) -> Result<(PngInfo, Option<Vec<u8>>), String> {
    let truncated = |_| "PNG is truncated inside its header".to_string();
    let mut sig = [0u8; 8];
    r.seek(SeekFrom::Start(0)).map_err(truncated)?;
    r.read_exact(&mut sig).map_err(truncated)?;
    if &sig != b"\x89PNG\r\n\x1a\n" {
        return Err("not a PNG".into());
    }
    let mut info = PngInfo {
        orientation: 1,
        ..PngInfo::default()
    };
    let mut icc = None;
    let mut xmp: Option<Vec<u8>> = None;
    let mut xmp_problem = None;
    let mut seen_header = false;
    loop {
        let mut head = [0u8; 8];
        r.read_exact(&mut head).map_err(truncated)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let kind = [head[4], head[5], head[6], head[7]];
        if &kind == b"IDAT" || &kind == b"IEND" {
            break;
        }
        // Only small chunks (and the profile) are read; the rest are skipped.
        let wanted = match &kind {
            b"IHDR" | b"iCCP" | b"sRGB" | b"gAMA" | b"eXIf" | b"acTL" => true,
            b"iTXt" => xmp.is_none() && len as usize <= super::meta::MAX_BLOCK,
            _ => false,
        };
        if !wanted || len > 16 << 20 {
            r.seek(SeekFrom::Current(i64::from(len) + 4))
                .map_err(truncated)?;
            continue;
        }
        let mut body = vec![0u8; len as usize];
        r.read_exact(&mut body).map_err(truncated)?;
        r.seek(SeekFrom::Current(4)).map_err(truncated)?;
        let be = |i: usize| {
            body.get(i..i + 4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_be_bytes)
        };
        match &kind {
            b"IHDR" => {
                info.width = be(0).unwrap_or(0);
                info.height = be(4).unwrap_or(0);
                info.colour_type = body.get(9).copied().unwrap_or(0);
                seen_header = true;
            }
            b"iCCP" => {
                let (space, profile) = iccp(&body, want_icc);
                info.icc_space = Some(space.unwrap_or([0; 4]));
                icc = profile;
            }
            b"sRGB" => info.srgb = true,
            b"gAMA" => info.gamma = be(0),
            b"eXIf" => info.orientation = super::orient::exif_orientation(&body).unwrap_or(1),
            b"iTXt" => match itxt_xmp(&body) {
                Some(Ok(packet)) => xmp = Some(packet),
                Some(Err(why)) => xmp_problem = Some(why),
                None => {}
            },
            _ => info.frames = be(0),
        }
    }
    if !seen_header || info.width == 0 || info.height == 0 {
        return Err("PNG has no valid header (IHDR)".into());
    }
    info.meta = super::meta::read(None, xmp.as_deref());
    info.meta.problems.extend(xmp_problem);
    Ok((info, icc))
}

/// The XMP packet of an `iTXt` chunk with the keyword `XML:com.adobe.xmp` (inflated when
/// compressed); `None` for other chunks; an error when it cannot be inflated.
fn itxt_xmp(body: &[u8]) -> Option<Result<Vec<u8>, String>> {
    // Keyword, NUL, compression flag and method, language tag, NUL, translated keyword, NUL.
    let rest = body
        .strip_prefix(super::meta::XMP_ITXT)?
        .strip_prefix(b"\0")?;
    let (&[compressed, _method], rest) = rest.split_first_chunk::<2>()?;
    let mut fields = rest.splitn(3, |&b| b == 0);
    let (_lang, _translated, text) = (fields.next()?, fields.next()?, fields.next()?);
    if compressed == 0 {
        return Some(Ok(text.to_vec()));
    }
    Some(
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(text, super::meta::MAX_BLOCK)
            .map_err(|_| {
                "its compressed XMP packet cannot be inflated (damaged, or over 1 MiB); its \
                 caption and credit are not used"
                    .to_string()
            }),
    )
}

/// An iCCP chunk's profile colour space, and the whole profile when `whole`.
fn iccp(body: &[u8], whole: bool) -> (Option<[u8; 4]>, Option<Vec<u8>>) {
    // Name, a zero byte, the compression method (0: zlib), then the profile.
    let Some(data) = body
        .iter()
        .position(|&b| b == 0)
        .and_then(|n| body.get(n + 2..))
    else {
        return (None, None);
    };
    let limit = if whole { MAX_ICC } else { 20 };
    let profile = match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, limit) {
        Ok(p) => p,
        // The header alone: more follows.
        Err(e) if !whole && e.output.len() >= 20 => e.output,
        Err(_) => return (None, None),
    };
    let space = profile.get(16..20).and_then(|s| s.try_into().ok());
    (space, whole.then_some(profile))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG chunk.
    pub(crate) fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut c = (body.len() as u32).to_be_bytes().to_vec();
        c.extend(kind);
        c.extend(body);
        c.extend([0; 4]);
        c
    }

    #[test]
    fn reads_colour_chunks_orientation_and_animation() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = 7u32.to_be_bytes().to_vec();
        ihdr.extend(5u32.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        png.extend(chunk(b"IHDR", &ihdr));
        let mut profile = vec![0u8; 128];
        profile[16..20].copy_from_slice(b"RGB ");
        let mut iccp = b"Adobe RGB\0\0".to_vec();
        iccp.extend(miniz_oxide::deflate::compress_to_vec_zlib(&profile, 6));
        png.extend(chunk(b"iCCP", &iccp));
        png.extend(chunk(b"gAMA", &45455u32.to_be_bytes()));
        png.extend(chunk(b"eXIf", &super::super::orient::tests::tiff(6, false)));
        png.extend(chunk(b"acTL", &[0, 0, 0, 3, 0, 0, 0, 0]));
        png.extend(chunk(b"IDAT", &[]));
        let (info, icc) = probe(&mut std::io::Cursor::new(&png), false).unwrap();
        assert_eq!(
            info,
            PngInfo {
                width: 7,
                height: 5,
                colour_type: 2,
                icc_space: Some(*b"RGB "),
                srgb: false,
                gamma: Some(45455),
                orientation: 6,
                frames: Some(3),
                ..PngInfo::default()
            }
        );
        assert!(icc.is_none());
        let (_, icc) = probe(&mut std::io::Cursor::new(&png), true).unwrap();
        assert_eq!(icc, Some(profile));
        assert!(probe(&mut std::io::Cursor::new(&png[..40]), false).is_err());
    }
}
