//! JPEG header reading: size, components, the Adobe APP14 marker and the embedded ICC profile,
//! without decoding the picture.

/// What the header of a JPEG says.
#[derive(Debug, Clone, PartialEq)]
pub struct JpegInfo {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK/YCCK).
    pub components: u8,
    /// An Adobe APP14 marker is present: 4-component data is stored inverted.
    pub adobe: bool,
    /// The ICC profile from the APP2 chunks, if any.
    pub icc: Option<Vec<u8>>,
}

/// Reads the markers up to the first start-of-scan.
pub fn probe(data: &[u8]) -> Result<JpegInfo, String> {
    if data.get(..2) != Some(&[0xFF, 0xD8]) {
        return Err("not a JPEG (no SOI marker)".into());
    }
    let mut i = 2;
    let mut size = None;
    let mut adobe = false;
    let mut chunks: Vec<(u8, Vec<u8>)> = Vec::new();
    while i + 4 <= data.len() {
        let (Some(&ff), Some(&marker)) = (data.get(i), data.get(i + 1)) else {
            break;
        };
        if ff != 0xFF {
            return Err(format!("corrupt JPEG: no marker at byte {i}"));
        }
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD9 || marker == 0xDA {
            break;
        }
        let len = usize::from(u16::from_be_bytes([
            *data.get(i + 2).unwrap_or(&0),
            *data.get(i + 3).unwrap_or(&0),
        ]));
        let seg = data
            .get(i + 4..i + 2 + len)
            .ok_or("JPEG is truncated inside its header")?;
        match marker {
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                let h = u16::from_be_bytes([*seg.get(1).unwrap_or(&0), *seg.get(2).unwrap_or(&0)]);
                let w = u16::from_be_bytes([*seg.get(3).unwrap_or(&0), *seg.get(4).unwrap_or(&0)]);
                size = Some((u32::from(w), u32::from(h), *seg.get(5).unwrap_or(&0)));
            }
            0xEE if seg.starts_with(b"Adobe") => adobe = true,
            0xE2 if seg.starts_with(b"ICC_PROFILE\0") => {
                let n = *seg.get(12).unwrap_or(&0);
                chunks.push((n, seg.get(14..).unwrap_or(&[]).to_vec()));
            }
            _ => {}
        }
        i += 2 + len;
    }
    let (width, height, components) = size.ok_or("JPEG has no frame header (SOF)")?;
    if width == 0 || height == 0 || !matches!(components, 1 | 3 | 4) {
        return Err(format!(
            "unsupported JPEG: {width}×{height}, {components} components"
        ));
    }
    chunks.sort_by_key(|c| c.0);
    let icc = (!chunks.is_empty()).then(|| {
        let mut all = Vec::with_capacity(chunks.iter().map(|c| c.1.len()).sum());
        for (_, c) in &chunks {
            all.extend_from_slice(c);
        }
        all
    });
    Ok(JpegInfo {
        width,
        height,
        components,
        adobe,
        icc,
    })
}

/// The JPEG without its APP2 ICC profile segments (the picture data untouched), for when the
/// profile is the output intent's and the image is written as DeviceCMYK.
pub fn strip_icc(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(data.get(..2).unwrap_or(&[]));
    let mut i = 2;
    while i + 4 <= data.len() {
        let marker = data.get(i + 1).copied().unwrap_or(0);
        if data.get(i) != Some(&0xFF) || marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([
            *data.get(i + 2).unwrap_or(&0),
            *data.get(i + 3).unwrap_or(&0),
        ]));
        let seg = data.get(i..i + 2 + len).unwrap_or(&[]);
        if !(marker == 0xE2 && seg.get(4..16) == Some(b"ICC_PROFILE\0")) {
            out.extend_from_slice(seg);
        }
        i += 2 + len;
    }
    out.extend_from_slice(data.get(i..).unwrap_or(&[]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_example_photos() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/weidong/photos");
        let cmyk = probe(&std::fs::read(root.join("service-centre.jpg")).unwrap()).unwrap();
        assert_eq!(
            (cmyk.width, cmyk.height, cmyk.components, cmyk.adobe),
            (600, 400, 4, true)
        );
        assert!(cmyk.icc.as_ref().is_some_and(|p| p.len() > 700_000));
        let grey =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/grey-newsprint.jpg");
        let grey = probe(&std::fs::read(grey).unwrap()).unwrap();
        assert_eq!((grey.components, grey.adobe), (1, false));
        let stripped = strip_icc(&std::fs::read(root.join("service-centre.jpg")).unwrap());
        let again = probe(&stripped).unwrap();
        assert_eq!(
            (again.width, again.components, again.adobe, again.icc),
            (600, 4, true, None)
        );
        assert!(stripped.len() < 300_000 && stripped.ends_with(&[0xFF, 0xD9]));
        assert!(probe(b"GIF89a").is_err());
        assert!(probe(&[0xFF, 0xD8, 0xFF, 0xC0, 0x00]).is_err());
    }
}
