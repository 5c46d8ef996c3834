//! A cache of prepared photos between builds: converting and re-encoding a photo costs tens
//! of milliseconds, and a desk rebuilds the same page dozens of times a night. Entries are
//! keyed by the photo file's identity (path, length, inode, modification and change times:
//! any write to the file moves its change time, so a replaced photo is never served stale)
//! and everything that shapes the result; a missing, stale or damaged entry is simply
//! prepared again. A hit reads neither the photo nor its pixels, only the prepared entry. A
//! JPEG passed through as it is leaves only a mark that it was found to decode cleanly, so
//! later builds pass it through without decoding it again.

use super::{prepare_checked, thumb, Colour, Photo, Pixels, Prepared, Target};
use crate::error::Diagnostic;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"PAIBAN2\n";
/// Magic, width, height, flags, data length, data checksum.
const HEAD: usize = 36;

/// Prepares a photo, reading or filling the cache in `dir`. Passed-through JPEGs (no work
/// done but checking that they decode) are cached as a mark that they decode.
pub fn prepare_cached(
    photo: &Photo,
    size: (f32, f32),
    target: &Target,
    dir: &Path,
) -> Result<Prepared, Diagnostic> {
    let key = key(photo, size, target);
    let file = dir.join(format!("{key:016x}.img"));
    let checked = match read_entry(&file) {
        Some(Entry::Ready(p)) => return Ok(p),
        Some(Entry::Checked) => true,
        None => false,
    };
    let p = match target.proof_ppi {
        // A proof's photo is reduced from the print preparation, itself through the cache.
        Some(ppi) => {
            let print = Target {
                proof_ppi: None,
                ..*target
            };
            let p = prepare_cached(photo, size, &print, dir)?;
            match thumb::thumbnail(&p, size, ppi) {
                Some(t) => t,
                None => return Ok(p),
            }
        }
        None => prepare_checked(photo, size, target, checked)?,
    };
    let passed = match &p.pixels {
        Pixels::Dct { bytes, .. } => photo.data().is_ok_and(|d| Arc::ptr_eq(bytes, &d)),
        Pixels::Raw(_) => false,
    };
    let entry = match encode(&p) {
        Some(bytes) if !passed => bytes,
        _ if checked => return Ok(p),
        _ => checked_mark(&p),
    };
    crate::cache::store(dir, &format!("{key:016x}.img"), &entry);
    Ok(p)
}

/// What a cache entry holds.
enum Entry {
    /// The prepared photo.
    Ready(Prepared),
    /// A mark that the photo decodes cleanly (it is prepared again, without decoding it).
    Checked,
}

/// The entry marking a photo as checked: a header with no data.
fn checked_mark(p: &Prepared) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEAD);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&p.width.to_le_bytes());
    out.extend_from_slice(&p.height.to_le_bytes());
    out.extend_from_slice(&[0, CHECKED, 0, 0]);
    out.extend_from_slice(&0u64.to_le_bytes());
    out.extend_from_slice(&crate::cache::checksum(&[]).to_le_bytes());
    out
}

/// The kind byte of a [`checked_mark`].
const CHECKED: u8 = 2;

fn key(photo: &Photo, (w, h): (f32, f32), target: &Target) -> u64 {
    let mut s = std::collections::hash_map::DefaultHasher::new();
    photo.stamp.hash(&mut s);
    target.cmyk.len().hash(&mut s);
    target.cmyk.get(..256).hash(&mut s);
    target.allow_icc.hash(&mut s);
    target.max_ppi.to_bits().hash(&mut s);
    target.proof_ppi.map(f32::to_bits).hash(&mut s);
    // The drawn size only through the pixel sizes it leads to: a frame resized without
    // crossing the ppi limit keeps its entry. (A passed-through JPEG keeps its own size, so a
    // proof's thumbnail is sized from either; both are in the key.)
    let print = super::print_size(photo, (w, h), target.max_ppi);
    print.hash(&mut s);
    if let Some(ppi) = target.proof_ppi {
        thumb::thumb_size(print, (w, h), ppi).hash(&mut s);
        thumb::thumb_size((photo.width, photo.height), (w, h), ppi).hash(&mut s);
    }
    env!("PAIBAN_BUILD_ID").hash(&mut s);
    s.finish()
}

fn encode(p: &Prepared) -> Option<Vec<u8>> {
    let colour = match p.colour {
        Colour::Gray => 0u8,
        Colour::Cmyk => 1,
        Colour::IccCmyk(_) => return None,
    };
    let (kind, inverted, data) = match &p.pixels {
        Pixels::Dct { bytes, inverted } => (0u8, *inverted, bytes.as_slice()),
        Pixels::Raw(v) => (1u8, false, v.as_slice()),
    };
    let mut out = Vec::with_capacity(data.len() + HEAD);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&p.width.to_le_bytes());
    out.extend_from_slice(&p.height.to_le_bytes());
    out.extend_from_slice(&[colour, kind, u8::from(inverted), 0]);
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(&crate::cache::checksum(data).to_le_bytes());
    out.extend_from_slice(data);
    Some(out)
}

/// Reads a cache entry: its header, then its data straight into the buffer the PDF writer
/// takes (one copy out of the page cache).
fn read_entry(file: &Path) -> Option<Entry> {
    use std::io::Read;
    let mut f = crate::cache::open_entry(file)?;
    let mut head = [0u8; HEAD];
    f.read_exact(&mut head).ok()?;
    let len = usize::try_from(u64::from_le_bytes(head.get(20..28)?.try_into().ok()?)).ok()?;
    let size = usize::try_from(f.metadata().ok()?.len()).ok()?;
    if size != len.checked_add(HEAD)? {
        return None;
    }
    let mut data = Vec::with_capacity(len);
    f.read_to_end(&mut data).ok()?;
    decode_parts(&head, data)
}

#[cfg(test)]
fn decode(b: &[u8]) -> Option<Prepared> {
    match decode_parts(b.get(..HEAD)?, b.get(HEAD..)?.to_vec())? {
        Entry::Ready(p) => Some(p),
        Entry::Checked => None,
    }
}

/// An entry from its header and its data.
fn decode_parts(b: &[u8], data: Vec<u8>) -> Option<Entry> {
    if b.get(..8)? != MAGIC {
        return None;
    }
    let u32_at = |i: usize| {
        b.get(i..i + 4)
            .and_then(|s| s.try_into().ok())
            .map(u32::from_le_bytes)
    };
    let (width, height) = (u32_at(8)?, u32_at(12)?);
    let flags = b.get(16..20)?;
    let len = u64::from_le_bytes(b.get(20..28)?.try_into().ok()?) as usize;
    let check = u64::from_le_bytes(b.get(28..HEAD)?.try_into().ok()?);
    if data.len() != len || width == 0 || height == 0 || crate::cache::checksum(&data) != check {
        return None;
    }
    if *flags.get(1)? == CHECKED {
        return data.is_empty().then_some(Entry::Checked);
    }
    let colour = match flags.first()? {
        0 => Colour::Gray,
        1 => Colour::Cmyk,
        _ => return None,
    };
    let pixels = match flags.get(1)? {
        0 => Pixels::Dct {
            bytes: Arc::new(data),
            inverted: *flags.get(2)? == 1,
        },
        1 => Pixels::Raw(data),
        _ => return None,
    };
    Some(Entry::Ready(Prepared {
        width,
        height,
        colour,
        pixels,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let p = Prepared {
            width: 3,
            height: 2,
            colour: Colour::Cmyk,
            pixels: Pixels::Dct {
                bytes: Arc::new(vec![1, 2, 3]),
                inverted: true,
            },
        };
        let b = encode(&p).unwrap();
        let q = decode(&b).unwrap();
        assert_eq!((q.width, q.height, q.colour), (3, 2, Colour::Cmyk));
        assert!(
            matches!(q.pixels, Pixels::Dct { ref bytes, inverted: true } if bytes.as_slice() == [1, 2, 3])
        );
        assert!(
            decode(&b[..b.len() - 1]).is_none(),
            "truncated entry is ignored"
        );
        assert!(decode(b"garbage").is_none());
        let mut flipped = b.clone();
        *flipped.last_mut().unwrap() ^= 0x10;
        assert!(decode(&flipped).is_none(), "damaged data is ignored");
    }

    #[test]
    fn a_photo_replaced_in_place_is_prepared_again() {
        let (root, dir, file) = crate::image::scratch_photo("cache-test", "signing.jpg");
        let transforms = crate::image::colour::Transforms::default();
        let target = Target {
            cmyk: crate::image::colour::NEWSPRINT_CMYK,
            allow_icc: true,
            max_ppi: 300.0,
            proof_ppi: None,
            transforms: &transforms,
        };
        let first = crate::image::load_photo(&file).unwrap();
        let a = prepare_cached(&first, (200.0, 150.0), &target, &dir.join("cache")).unwrap();
        // Another picture written over the same file, its modification time set back.
        let when = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::copy(root.join("village.jpg"), &file).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(when)
            .unwrap();
        let second = crate::image::load_photo(&file).unwrap();
        assert_ne!(
            key(&first, (200.0, 150.0), &target),
            key(&second, (200.0, 150.0), &target)
        );
        let b = prepare_cached(&second, (200.0, 150.0), &target, &dir.join("cache")).unwrap();
        assert_ne!(
            (a.width, a.height),
            (b.width, b.height),
            "the new picture, not the cached one"
        );
        assert_eq!((b.width, b.height), (second.width, second.height));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
