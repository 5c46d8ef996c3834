//! EXIF orientation: reading the tag (JPEG APP1 Exif, PNG eXIf) and turning decoded samples
//! upright, so that a phone photo stored on its side is placed the way it was taken.

/// The orientation tag (0x0112) of an EXIF block (a TIFF header and its first IFD); 1–8, or
/// `None` when it is missing or out of range.
pub fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let little = match tiff.get(..4)? {
        [b'I', b'I', 42, 0] => true,
        [b'M', b'M', 0, 42] => false,
        _ => return None,
    };
    let u16_at = |i: usize| {
        let b: [u8; 2] = tiff.get(i..i.checked_add(2)?)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |i: usize| {
        let b: [u8; 4] = tiff.get(i..i.checked_add(4)?)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count).find_map(|k| {
        let entry = ifd.checked_add(2 + 12 * k)?;
        // Tag 0x0112, type SHORT (3), one value, stored in the entry itself.
        if u16_at(entry)? != 0x0112 || u16_at(entry + 2)? != 3 {
            return None;
        }
        let v = u16_at(entry + 8)?;
        (1..=8).contains(&v).then_some(v as u8)
    })
}

/// Whether an orientation swaps width and height (a quarter turn, with or without a mirror).
pub fn swaps(orientation: u8) -> bool {
    matches!(orientation, 5..=8)
}

/// Interleaved 8-bit samples of `channels` per pixel, `w` × `h` as stored, turned upright
/// for the EXIF `orientation`; returns them with their upright size.
pub fn upright(
    samples: Vec<u8>,
    channels: usize,
    (w, h): (u32, u32),
    orientation: u8,
) -> (Vec<u8>, (u32, u32)) {
    let (wu, hu) = (w as usize, h as usize);
    if orientation <= 1 || orientation > 8 || samples.len() != wu * hu * channels {
        return (samples, (w, h));
    }
    let (ow, oh) = if swaps(orientation) {
        (hu, wu)
    } else {
        (wu, hu)
    };
    // The stored pixel shown at (x, y) of the upright picture.
    let source = |x: usize, y: usize| -> (usize, usize) {
        match orientation {
            2 => (wu - 1 - x, y),
            3 => (wu - 1 - x, hu - 1 - y),
            4 => (x, hu - 1 - y),
            5 => (y, x),
            6 => (y, hu - 1 - x),
            7 => (wu - 1 - y, hu - 1 - x),
            _ => (wu - 1 - y, x),
        }
    };
    let mut out = Vec::with_capacity(samples.len());
    for y in 0..oh {
        for x in 0..ow {
            let (sx, sy) = source(x, y);
            let at = (sy * wu + sx) * channels;
            match samples.get(at..at + channels) {
                Some(px) => out.extend_from_slice(px),
                None => out.resize(out.len() + channels, 0),
            }
        }
    }
    (out, (ow as u32, oh as u32))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A TIFF block holding only the orientation tag.
    pub(crate) fn tiff(orientation: u16, little: bool) -> Vec<u8> {
        let u16b = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let u32b = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut t = if little {
            b"II*\0".to_vec()
        } else {
            b"MM\0*".to_vec()
        };
        t.extend(u32b(8));
        t.extend(u16b(1));
        t.extend(u16b(0x0112));
        t.extend(u16b(3));
        t.extend(u32b(1));
        t.extend(u16b(orientation));
        t.extend([0, 0]);
        t.extend(u32b(0));
        t
    }

    #[test]
    fn reads_the_tag_in_both_byte_orders() {
        assert_eq!(exif_orientation(&tiff(6, true)), Some(6));
        assert_eq!(exif_orientation(&tiff(8, false)), Some(8));
        assert_eq!(exif_orientation(&tiff(9, true)), None);
        assert_eq!(exif_orientation(&tiff(6, true)[..18]), None);
        assert_eq!(exif_orientation(b"garbage"), None);
    }

    /// Every orientation agrees with the image crate's reading of the EXIF values.
    #[test]
    fn turns_like_the_image_crate() {
        let (w, h) = (5u32, 3u32);
        let px: Vec<u8> = (0..w * h * 3).map(|i| i as u8).collect();
        for o in 1..=8u8 {
            let (mine, size) = upright(px.clone(), 3, (w, h), o);
            let mut img = image::DynamicImage::ImageRgb8(
                image::RgbImage::from_raw(w, h, px.clone()).unwrap(),
            );
            img.apply_orientation(image::metadata::Orientation::from_exif(o).unwrap());
            assert_eq!(size, (img.width(), img.height()), "orientation {o}");
            assert_eq!(mine, img.to_rgb8().into_raw(), "orientation {o}");
        }
    }
}
