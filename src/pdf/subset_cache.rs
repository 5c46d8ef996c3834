//! A cache of compressed font subsets between builds. Subsetting the body face and deflating
//! the subset is the longest single job of a page's PDF (about 7 ms of 20), and a rebuild
//! after a layout change — a frame moved, a photo resized, a story cut by a line — asks for
//! the same glyphs of each face again. An entry is keyed by the font file's identity, the
//! exact glyph list in CID order, the compression level and the build of paiban (its
//! subsetting and deflate shape the bytes), and holds the glyph list it was
//! made for, which is compared in full on reading: an entry for another glyph set is never
//! used; and a checksum of the font program. A missing, stale or damaged entry means
//! subsetting again.

use std::hash::{Hash, Hasher};
use std::path::Path;

const MAGIC: &[u8; 8] = b"PAIBANF2";

/// A subset as cached: the compressed font program and its uncompressed length.
pub struct Entry {
    pub compressed: Vec<u8>,
    pub length: usize,
}

/// The glyph list (old glyph ids in CID order) a subset is made from.
pub fn glyph_list(remapper: &subsetter::GlyphRemapper) -> Vec<u16> {
    remapper.remapped_gids().collect()
}

/// The cached subset of the face with identity `stamp` for `glyphs`, if there is one.
pub fn read(dir: &Path, stamp: u64, glyphs: &[u16], level: u8) -> Option<Entry> {
    let f = crate::cache::open_entry(&dir.join(name(stamp, glyphs, level)))?;
    decode(std::io::BufReader::new(f), glyphs)
}

/// Stores a subset (the cache folder is pruned as `crate::cache` says).
pub fn write(dir: &Path, stamp: u64, glyphs: &[u16], level: u8, entry: &Entry) {
    crate::cache::store(dir, &name(stamp, glyphs, level), &encode(glyphs, entry));
}

fn name(stamp: u64, glyphs: &[u16], level: u8) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    glyphs.hash(&mut h);
    level.hash(&mut h);
    env!("PAIBAN_BUILD_ID").hash(&mut h);
    format!("{stamp:016x}-{:016x}.font", h.finish())
}

fn encode(glyphs: &[u16], entry: &Entry) -> Vec<u8> {
    let mut out = Vec::with_capacity(36 + 2 * glyphs.len() + entry.compressed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(glyphs.len() as u32).to_le_bytes());
    for g in glyphs {
        out.extend_from_slice(&g.to_le_bytes());
    }
    out.extend_from_slice(&(entry.length as u64).to_le_bytes());
    out.extend_from_slice(&(entry.compressed.len() as u64).to_le_bytes());
    out.extend_from_slice(&crate::cache::checksum(&entry.compressed).to_le_bytes());
    out.extend_from_slice(&entry.compressed);
    out
}

/// An entry read from `r`: the header checked before the font program is read, which is read
/// once, straight into the buffer it is kept in.
fn decode(mut r: impl std::io::Read, glyphs: &[u16]) -> Option<Entry> {
    let mut word = |n: usize| -> Option<Vec<u8>> {
        let mut b = vec![0u8; n];
        r.read_exact(&mut b).ok()?;
        Some(b)
    };
    let u64_of = |b: &[u8]| b.try_into().ok().map(u64::from_le_bytes);
    if word(8)? != MAGIC {
        return None;
    }
    let n = u32::from_le_bytes(word(4)?.try_into().ok()?) as usize;
    if n != glyphs.len() {
        return None;
    }
    let list = word(n.checked_mul(2)?)?;
    let same = list
        .chunks_exact(2)
        .zip(glyphs)
        .all(|(c, g)| c == g.to_le_bytes());
    let tail = word(24)?;
    let length = usize::try_from(u64_of(tail.get(..8)?)?).ok()?;
    let size = usize::try_from(u64_of(tail.get(8..16)?)?).ok()?;
    let check = u64_of(tail.get(16..24)?)?;
    // A size no PDF font program reaches is damage: refuse it before allocating.
    if !same || !(6..=1 << 30).contains(&size) {
        return None;
    }
    let data = word(size)?;
    // Nothing may follow the program.
    if r.read(&mut [0u8; 1]).ok()? != 0 || crate::cache::checksum(&data) != check {
        return None;
    }
    Some(Entry {
        compressed: data,
        length,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            compressed: vec![0x78, 1, 2, 3, 4, 5, 6, 7],
            length: 99,
        }
    }

    #[test]
    fn round_trip_only_for_the_same_glyphs() {
        let dir = crate::test_dir("subset");
        let glyphs = [0u16, 7, 3, 900];
        write(&dir, 42, &glyphs, 1, &entry());
        let back = read(&dir, 42, &glyphs, 1).unwrap();
        assert_eq!(back.compressed, entry().compressed);
        assert_eq!(back.length, 99);
        // Another glyph set, order, level or font file finds nothing.
        assert!(read(&dir, 42, &[0, 7, 3], 1).is_none());
        assert!(read(&dir, 42, &[0, 3, 7, 900], 1).is_none());
        assert!(read(&dir, 42, &glyphs, 6).is_none());
        assert!(read(&dir, 43, &glyphs, 1).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn damaged_entries_are_refused() {
        let glyphs = [0u16, 5];
        let good = encode(&glyphs, &entry());
        assert!(decode(&good[..], &glyphs).is_some());
        // Truncated anywhere, or a glyph id changed (as by a hash collision of names).
        for cut in 0..good.len() {
            assert!(decode(&good[..cut], &glyphs).is_none(), "cut at {cut}");
        }
        assert!(decode(&good[..], &[0, 6]).is_none());
        let mut bad = good.clone();
        bad[0] = b'X';
        assert!(decode(&bad[..], &glyphs).is_none());
        // A flipped bit in the font program (damage on disk), or bytes after it.
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 0x04;
        assert!(decode(&flipped[..], &glyphs).is_none());
        let mut longer = good.clone();
        longer.push(0);
        assert!(decode(&longer[..], &glyphs).is_none());
    }
}
