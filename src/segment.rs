//! Word segmentation (分词) of the copy, for line breaks by sense (issue 14): where the words of
//! a text end, from jieba's dictionary and its most-probable route (HMM for names and other
//! words the dictionary lacks).
//!
//! jieba's dictionary takes ~0.2 s to load, twenty times a warm page build, so segmentations
//! are kept between builds in `<out>/.paiban-cache` (one file, keyed by each text's hash and
//! checked by a checksum) and the dictionary is loaded only when a text is new: a first build,
//! an edited paragraph; once per process. Does not decide where lines break: `linebreak::sense`
//! reads the word ends as preferences.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Entries kept in the cache file at most (the texts of a few hundred pages).
const KEPT: usize = 200_000;
const MAGIC: &[u8; 8] = b"PBWORDS2";

/// Word ends of texts: segmented on demand, remembered, and kept between builds.
pub struct Words {
    jieba: OnceLock<jieba_rs::Jieba>,
    known: Mutex<Known>,
    fresh: AtomicBool,
    file: Option<PathBuf>,
}

/// A text's word ends, and whether this process used them.
type Entry = (Arc<[u32]>, bool);

/// Segmentations by text hash.
#[derive(Default)]
struct Known {
    ends: HashMap<u64, Entry>,
}

impl Default for Words {
    fn default() -> Self {
        Words::in_memory()
    }
}

impl Words {
    /// Segmentations kept for this process only.
    pub fn in_memory() -> Self {
        Words {
            jieba: OnceLock::new(),
            known: Mutex::new(Known::default()),
            fresh: AtomicBool::new(false),
            file: None,
        }
    }

    /// Segmentations kept in `dir` between builds (read now, written by [`Words::save`]).
    pub fn cached(dir: &Path) -> Self {
        let file = dir.join(format!("words-{}.bin", env!("PAIBAN_BUILD_ID")));
        // Read only when a regular file (a FIFO in its place must not block the build).
        let ends = crate::cache::read_entry(&file)
            .and_then(|b| decode(&b))
            .unwrap_or_default();
        if !ends.is_empty() {
            let _ = crate::cache::open_entry(&file); // marks it used, for pruning
        }
        Words {
            jieba: OnceLock::new(),
            known: Mutex::new(Known { ends }),
            fresh: AtomicBool::new(false),
            file: Some(file),
        }
    }

    /// Byte offsets in `text` where a word ends and another begins (0 and the end excluded),
    /// ascending; then, marked with [`COMPOUND`], ascending, the ends of the shorter words
    /// inside long compounds.
    pub fn ends(&self, text: &str) -> Arc<[u32]> {
        let key = hash(text);
        if let Ok(mut k) = self.known.lock() {
            if let Some((e, used)) = k.ends.get_mut(&key) {
                *used = true;
                return e.clone();
            }
        }
        let ends: Arc<[u32]> = self.segment(text).into();
        if let Ok(mut k) = self.known.lock() {
            k.ends.insert(key, (ends.clone(), true));
        }
        self.fresh.store(true, Ordering::Relaxed);
        ends
    }

    /// Segments `text` with jieba (loading its dictionary on first use), remembering nothing:
    /// the word ends as [`Words::ends`] gives them. Inside a compound of five characters or
    /// more (全国人民代表大会常务委员会) the ends of the shorter words that tile it (全国｜人民｜代表｜
    /// 大会｜常务｜委员会, jieba's search segmentation) follow, marked with [`COMPOUND`].
    pub fn segment(&self, text: &str) -> Vec<u32> {
        let jieba = self.jieba.get_or_init(jieba_rs::Jieba::new);
        let mut ends = Vec::new();
        let mut inner = Vec::new();
        for t in jieba.cut(text, true) {
            if t.word.chars().count() >= 5 {
                inner.extend(
                    tile(jieba, t.word)
                        .into_iter()
                        .map(|e| (t.byte_start + e) as u32 | COMPOUND),
                );
            }
            if t.byte_end < text.len() {
                ends.push(t.byte_end as u32);
            }
        }
        ends.extend(inner);
        ends
    }

    /// Writes the cache file when texts were segmented afresh (best effort: a cache that
    /// cannot be written only costs time). Entries this process used come first; older ones
    /// fill the file up to its limit.
    pub fn save(&self) {
        let (Some(file), true) = (&self.file, self.fresh.load(Ordering::Relaxed)) else {
            return;
        };
        let Ok(k) = self.known.lock() else { return };
        let mut entries: Vec<(&u64, &Entry)> = k.ends.iter().collect();
        entries.sort_by_key(|(key, (_, used))| (!*used, **key));
        entries.truncate(KEPT);
        let mut body = Vec::new();
        for (key, (ends, _)) in entries {
            body.extend_from_slice(&key.to_le_bytes());
            body.extend_from_slice(&(ends.len() as u32).to_le_bytes());
            for e in ends.iter() {
                body.extend_from_slice(&e.to_le_bytes());
            }
        }
        let mut bytes = Vec::with_capacity(body.len() + 16);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&crate::cache::checksum(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        if let (Some(dir), Some(name)) = (file.parent(), file.file_name()) {
            crate::cache::store(dir, &name.to_string_lossy(), &bytes);
        }
        // Written: a `watch` rebuild that segments nothing new writes nothing.
        self.fresh.store(false, Ordering::Relaxed);
    }
}

/// Marks an end inside a compound (a break there is between the compound's shorter words).
pub const COMPOUND: u32 = 1 << 31;

/// Where the shorter words of a compound end inside it (its own end excluded): from the left,
/// the longest dictionary word starting at each point; a character no word starts at is
/// passed over.
fn tile(jieba: &jieba_rs::Jieba, word: &str) -> Vec<usize> {
    let subs: Vec<(usize, usize)> = jieba
        .cut_for_search(word, false)
        .iter()
        .filter(|s| s.byte_end - s.byte_start < word.len())
        .map(|s| (s.byte_start, s.byte_end))
        .collect();
    let mut ends = Vec::new();
    let mut at = 0;
    while at < word.len() {
        let next = subs
            .iter()
            .filter(|s| s.0 == at)
            .map(|s| s.1)
            .max()
            .unwrap_or_else(|| {
                at + word
                    .get(at..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8)
            });
        if next < word.len() && subs.iter().any(|s| s.0 == at) {
            ends.push(next);
        }
        at = next;
    }
    ends
}

fn hash(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Reads a cache file; `None` when it is damaged in any way (then everything is segmented
/// afresh).
fn decode(b: &[u8]) -> Option<HashMap<u64, Entry>> {
    let rest = b.strip_prefix(MAGIC)?;
    let (sum, body) = rest.split_at_checked(8)?;
    if u64::from_le_bytes(sum.try_into().ok()?) != crate::cache::checksum(body) {
        return None;
    }
    let mut out = HashMap::new();
    let mut at = body;
    while !at.is_empty() {
        let (key, r) = at.split_at_checked(8)?;
        let (n, r) = r.split_at_checked(4)?;
        let n = u32::from_le_bytes(n.try_into().ok()?) as usize;
        let (list, r) = r.split_at_checked(n.checked_mul(4)?)?;
        let ends: Vec<u32> = list
            .chunks_exact(4)
            .filter_map(|c| c.try_into().ok().map(u32::from_le_bytes))
            .collect();
        out.insert(
            u64::from_le_bytes(key.try_into().ok()?),
            (ends.into(), false),
        );
        at = r;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &Words, text: &str) -> Vec<String> {
        let ends = w.ends(text);
        let mut out = Vec::new();
        let mut from = 0;
        for &e in ends.iter().chain(std::iter::once(&(text.len() as u32))) {
            out.push(text.get(from..e as usize).unwrap_or("").to_string());
            from = e as usize;
        }
        out
    }

    #[test]
    fn headline_words_are_found() {
        let w = Words::in_memory();
        assert_eq!(
            words(&w, "区司法局切实抓好法律援助工作"),
            ["区", "司法局", "切实", "抓好", "法律援助", "工作"]
        );
        assert_eq!(
            words(&w, "区城管局开展行政执法程序规范化"),
            ["区", "城管局", "开展", "行政", "执法", "程序", "规范化"]
        );
    }

    #[test]
    fn the_cache_file_round_trips_and_refuses_damage() {
        let dir = crate::test_dir("words-cache");
        let w = Words::cached(&dir);
        let first = w.ends("卫东区四抓抓出发展新动能");
        w.save();
        let again = Words::cached(&dir);
        assert!(again.jieba.get().is_none());
        assert_eq!(again.ends("卫东区四抓抓出发展新动能"), first);
        assert!(again.jieba.get().is_none(), "served from the file");
        // One flipped bit: the file is ignored, the text segmented afresh.
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .find(|e| e.file_name().to_string_lossy().starts_with("words-"))
            .unwrap()
            .path();
        let mut b = std::fs::read(&file).unwrap();
        let last = b.len() - 1;
        b[last] ^= 1;
        std::fs::write(&file, &b).unwrap();
        assert!(decode(&b).is_none());
        let damaged = Words::cached(&dir);
        assert_eq!(damaged.ends("卫东区四抓抓出发展新动能"), first);
        assert!(damaged.jieba.get().is_some());
    }
}
