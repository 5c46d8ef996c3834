//! What the caches between builds share (prepared photos in `image::cache`, font subsets in
//! `pdf::subset_cache`): a file's identity, and best-effort atomic writes of entries.

use std::hash::{Hash, Hasher};
use std::path::Path;

/// A file's identity: path, length, inode, modification and change times. Any write to the
/// file moves its change time, so an entry keyed by this is never served for a replaced file.
pub fn file_stamp(path: &Path, meta: &std::fs::Metadata) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    meta.len().hash(&mut h);
    meta.modified().ok().hash(&mut h);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (meta.ino(), meta.dev(), meta.ctime(), meta.ctime_nsec()).hash(&mut h);
    }
    h.finish()
}

/// Writes an entry as `dir/name`, through a temporary file and a rename so a reader never
/// sees half an entry. Best effort: a cache that cannot be written only costs time.
pub fn store(dir: &Path, name: &str, bytes: &[u8]) {
    let tmp = dir.join(format!("{name}.tmp{}", std::process::id()));
    if std::fs::create_dir_all(dir).is_ok() && std::fs::write(&tmp, bytes).is_ok() {
        let _ = std::fs::rename(&tmp, dir.join(name));
    }
    let _ = std::fs::remove_file(&tmp);
}
