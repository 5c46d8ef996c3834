//! What the caches between builds share (prepared photos in `image::cache`, font subsets in
//! `pdf::subset_cache`): a file's identity, best-effort atomic writes of entries, and pruning.
//!
//! Reading an entry marks it used (its modification time is set to the time of use). After a
//! build has written entries, the folder is pruned (at most once a minute, the time kept in
//! the folder's `.paiban-pruned`, not in the process): any entry unused for a week goes, and
//! of each font file's subsets (one per set of characters: a text edit that brings or drops a
//! character leaves one behind) those beyond the newest [`SUBSETS_KEPT`] that have been unused
//! for an hour. What a build keeps using is never removed, however many pages it has.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Subsets kept per font file whatever their age.
pub const SUBSETS_KEPT: usize = 16;
const HOUR: Duration = Duration::from_secs(3600);
const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

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

/// A 64-bit checksum of an entry's data, stored with it and compared on reading: a damaged
/// entry (a flipped bit on disk) must never reach a PDF. Any change of one 8-byte word changes
/// it; about 0.05 ms for a 200 KB subset.
pub fn checksum(b: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = 0x243F_6A88_85A3_08D3 ^ b.len() as u64;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let mut x = [0u8; 8];
        x.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(x)).wrapping_mul(K).rotate_left(29);
    }
    for &x in words.remainder() {
        h = (h ^ u64::from(x)).wrapping_mul(K).rotate_left(29);
    }
    h
}

/// Writes an entry as `dir/name`, through a temporary file and a rename so a reader never
/// sees half an entry. Best effort: a cache that cannot be written only costs time.
pub fn store(dir: &Path, name: &str, bytes: &[u8]) {
    use std::io::Write;
    if std::fs::create_dir_all(dir).is_ok() {
        if let Ok((tmp, mut f)) = create_temp(dir) {
            if f.write_all(bytes).is_ok() {
                let _ = std::fs::rename(&tmp, dir.join(name));
            }
            let _ = std::fs::remove_file(&tmp);
        }
    }
    prune_now_and_then(dir);
}

/// Opens an entry and marks it used (`None`: no usable entry, build it again).
pub fn open_entry(path: &Path) -> Option<std::fs::File> {
    let f = open_checked(path)?;
    let _ = f.set_modified(SystemTime::now());
    Some(f)
}

/// An entry's bytes, without marking it used.
pub fn read_entry(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut f = open_checked(path)?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Opens an entry that is a regular file. Anything else under an entry's name (a FIFO, a
/// device, a folder, a symbolic link) was not written by paiban: it is not opened (a FIFO
/// would block the build forever) but removed, so the entry is made again. The open itself
/// neither blocks nor follows links, so a FIFO swapped in after the check is refused too.
fn open_checked(path: &Path) -> Option<std::fs::File> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        let _ = if meta.is_dir() {
            std::fs::remove_dir(path) // only when empty: never a tree
        } else {
            std::fs::remove_file(path)
        };
        return None;
    }
    let open = |write: bool| {
        let mut o = std::fs::File::options();
        o.read(true).write(write);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY);
        }
        o.open(path)
    };
    let f = open(true).or_else(|_| open(false)).ok()?;
    f.metadata().ok().filter(|m| m.is_file())?;
    Some(f)
}

/// How old a temporary file must be to be removed even though a live process has its PID
/// (the PID may have been reused; no write takes this long).
pub const STALE_TEMP: Duration = Duration::from_secs(15 * 60);

/// A new temporary file in `dir`, created exclusively (never through something already
/// there) under a short name, `.paiban-<pid>-<n>.tmp`: as short whatever the final name is,
/// so a final name that fits the file-name length limit never fails for its temporary.
pub fn create_temp(dir: &Path) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut tries = 0;
    loop {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!(".paiban-{}-{n}.tmp", std::process::id()));
        match std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
            Err(e) => return Err(e),
        }
    }
}

/// The PID in the name of a temporary file of paiban's: `.paiban-<pid>-<n>.tmp`, or the
/// older forms `<name><legacy><pid>` (`legacy` is `.pdf.tmp` in an output folder, `.tmp`
/// in the cache).
pub fn temp_pid(name: &str, legacy: &str) -> Option<u32> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = name
        .strip_prefix(".paiban-")
        .and_then(|r| r.strip_suffix(".tmp"))
    {
        let (pid, n) = rest.split_once('-')?;
        return (digits(pid) && digits(n)).then(|| pid.parse().ok())?;
    }
    let (stem, pid) = name.rsplit_once(legacy)?;
    (!stem.is_empty() && digits(pid)).then(|| pid.parse().ok())?
}

/// Whether a process with this PID is running (on this machine).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        if pid <= 0 {
            return false;
        }
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes the temporary files that runs killed mid-write left in `dir` (only paiban's, by
/// their name, see [`temp_pid`]): those whose process is gone, and any older than
/// [`STALE_TEMP`]. A running build's temporaries stay. Returns how many went.
pub fn remove_stale_temps(dir: &Path, legacy: &str, now: SystemTime) -> usize {
    let Ok(list) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in list.flatten() {
        let name = e.file_name();
        let Some(pid) = temp_pid(&name.to_string_lossy(), legacy) else {
            continue;
        };
        let Ok(meta) = e.metadata() else { continue };
        let age = meta
            .modified()
            .map(|t| now.duration_since(t).unwrap_or_default())
            .unwrap_or_default();
        if !meta.is_dir()
            && (!alive(pid) || age > STALE_TEMP)
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// The file whose modification time says when `dir` was last pruned (by any process).
const PRUNED: &str = ".paiban-pruned";

/// Prunes `dir` unless it was pruned in the last minute (by this build or another: the time
/// is kept in the folder, not in the process).
fn prune_now_and_then(dir: &Path) {
    let marker = dir.join(PRUNED);
    let recent = std::fs::symlink_metadata(&marker)
        .ok()
        .filter(|m| m.is_file())
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < Duration::from_secs(60));
    if recent || !touch_marker(&marker) {
        return;
    }
    prune(dir, SystemTime::now());
}

/// Sets the pruning marker's time to now, making it a regular file first if something else
/// sits under its name (a FIFO there must not block a build). False when it cannot be made.
fn touch_marker(marker: &Path) -> bool {
    if let Ok(m) = std::fs::symlink_metadata(marker) {
        if !m.is_file() {
            let _ = std::fs::remove_dir(marker).or_else(|_| std::fs::remove_file(marker));
        }
    }
    let mut options = std::fs::File::options();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    options
        .open(marker)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .is_ok()
}

/// Removes what the policy above says may go, as seen at `now`.
pub fn prune(dir: &Path, now: SystemTime) {
    let Ok(list) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subsets: std::collections::HashMap<String, Vec<(Duration, std::path::PathBuf)>> =
        std::collections::HashMap::new();
    for e in list.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(age) = e
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .map(|t| now.duration_since(t).unwrap_or_default())
        else {
            continue;
        };
        let entry = name.ends_with(".img") || name.ends_with(".font");
        let leftover = temp_pid(&name, ".tmp").is_some_and(|pid| !alive(pid) || age > STALE_TEMP);
        if leftover || (entry && age > WEEK) {
            let _ = std::fs::remove_file(e.path());
        } else if let Some((face, _)) = name.strip_suffix(".font").and_then(|n| n.split_once('-')) {
            subsets
                .entry(face.to_string())
                .or_default()
                .push((age, e.path()));
        }
    }
    for mut entries in subsets.into_values() {
        entries.sort();
        for (age, path) in entries.iter().skip(SUBSETS_KEPT) {
            if *age > HOUR {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PID no process has (above Linux's largest `pid_max`).
    const DEAD: u32 = 999_999_999;

    #[test]
    fn pruning_keeps_what_is_used_and_the_newest_subsets() {
        let dir = crate::test_dir("prune");
        let now = SystemTime::now();
        let put = |name: &str, age: Duration| {
            let p = dir.join(name);
            std::fs::write(&p, b"x").unwrap();
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(now - age)
                .unwrap();
        };
        let min = Duration::from_secs(60);
        // Face a: 20 subsets used a minute ago (a 20-page build), 5 unused for two hours.
        for i in 0..20 {
            put(&format!("a-{i:02}.font"), min);
        }
        for i in 20..25 {
            put(&format!("a-{i:02}.font"), 2 * HOUR);
        }
        // Face b: 3 subsets unused for two hours (fewer than kept), one for eight days.
        for i in 0..3 {
            put(&format!("b-{i}.font"), 2 * HOUR);
        }
        put("b-old.font", 8 * 24 * HOUR);
        put("photo1.img", 2 * 24 * HOUR);
        put("photo2.img", 8 * 24 * HOUR);
        // Temporaries: of a run gone long ago, of a killed run, of a running one.
        let me = std::process::id();
        put(&format!("x.font.tmp{me}"), 2 * HOUR);
        put(&format!("z.font.tmp{DEAD}"), min);
        put(&format!(".paiban-{DEAD}-3.tmp"), min);
        put(&format!("y.img.tmp{me}"), min);
        put(&format!(".paiban-{me}-0.tmp"), min);
        put("notes.txt", 30 * 24 * HOUR);
        prune(&dir, now);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want: Vec<String> = (0..20).map(|i| format!("a-{i:02}.font")).collect();
        want.extend(
            [
                "b-0.font",
                "b-1.font",
                "b-2.font",
                "notes.txt",
                "photo1.img",
            ]
            .map(String::from),
        );
        want.push(format!("y.img.tmp{me}"));
        want.push(format!(".paiban-{me}-0.tmp"));
        want.sort();
        assert_eq!(left, want);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn checksum_sees_any_changed_byte() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let c = checksum(&data);
        for i in [0, 7, 8, 500, 999] {
            let mut d = data.clone();
            d[i] ^= 1;
            assert_ne!(checksum(&d), c, "byte {i}");
        }
        assert_ne!(checksum(&data[..999]), c);
        assert_eq!(checksum(&data), c);
    }

    #[test]
    fn opening_an_entry_marks_it_used() {
        let dir = crate::test_dir("used");
        let p = dir.join("e.font");
        std::fs::write(&p, b"x").unwrap();
        let old = SystemTime::now() - 2 * WEEK;
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert!(open_entry(&p).is_some());
        let age = std::fs::metadata(&p).unwrap().modified().unwrap();
        assert!(age > old + WEEK);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn what_is_not_a_file_under_an_entry_name_is_removed_never_read() {
        let dir = crate::test_dir("not-entries");
        let fifo = dir.join("a.img");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        std::os::unix::fs::symlink("/dev/zero", dir.join("b.font")).unwrap();
        std::fs::create_dir(dir.join("c.img")).unwrap();
        std::fs::create_dir(dir.join("d.img")).unwrap();
        std::fs::write(dir.join("d.img").join("keep"), b"x").unwrap();
        for name in ["a.img", "b.font", "c.img", "d.img", "words-x.bin"] {
            assert!(open_entry(&dir.join(name)).is_none(), "{name}");
            assert!(read_entry(&dir.join(name)).is_none(), "{name}");
        }
        // Gone (the FIFO, the link, the empty folder); a folder with files is left alone.
        assert!(std::fs::symlink_metadata(&fifo).is_err());
        assert!(std::fs::symlink_metadata(dir.join("b.font")).is_err());
        assert!(!dir.join("c.img").exists());
        assert!(dir.join("d.img").join("keep").exists());
        assert!(std::fs::metadata("/dev/zero").is_ok(), "only the link went");
        // An entry written again in its place is read.
        store(&dir, "a.img", b"entry");
        assert_eq!(read_entry(&fifo).as_deref(), Some(&b"entry"[..]));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn temporary_names_are_short_and_known_by_their_pid() {
        let dir = crate::test_dir("temps");
        let (a, _) = create_temp(&dir).unwrap();
        let (b, _) = create_temp(&dir).unwrap();
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.len() <= 40, "{name}");
        assert_eq!(temp_pid(&name, ".tmp"), Some(std::process::id()));
        assert_eq!(temp_pid("x.pdf.tmp123", ".pdf.tmp"), Some(123));
        assert_eq!(temp_pid(".paiban-12-0.tmp", ".pdf.tmp"), Some(12));
        for other in [
            "x.pdf.tmp",
            "x.pdf.tmp12a",
            ".pdf.tmp12",
            "notes.tmp1",
            ".paiban-1.tmp",
            ".paiban-x-1.tmp",
        ] {
            assert_eq!(temp_pid(other, ".pdf.tmp"), None, "{other}");
        }
        // Those of a dead run go, a live run's stay, old ones go whoever has the PID.
        let put = |name: &str, age: Duration| {
            let p = dir.join(name);
            std::fs::write(&p, b"x").unwrap();
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(SystemTime::now() - age).unwrap();
        };
        let me = std::process::id();
        put(&format!("e.pdf.tmp{DEAD}"), Duration::ZERO);
        put(&format!(".paiban-{DEAD}-7.tmp"), Duration::ZERO);
        put(&format!("f.pdf.tmp{me}"), Duration::ZERO);
        put(&format!(".paiban-{me}-99.tmp"), STALE_TEMP * 2);
        put(&format!("g.tmp{DEAD}"), Duration::ZERO);
        put("e.pdf", Duration::ZERO);
        assert_eq!(remove_stale_temps(&dir, ".pdf.tmp", SystemTime::now()), 3);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want = vec![
            a.file_name().unwrap().to_string_lossy().into_owned(),
            b.file_name().unwrap().to_string_lossy().into_owned(),
            "e.pdf".to_string(),
            format!("f.pdf.tmp{me}"),
            format!("g.tmp{DEAD}"),
        ];
        want.sort();
        assert_eq!(left, want);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    #[cfg(unix)]
    fn pruning_is_throttled_by_the_folder_not_the_process() {
        let dir = crate::test_dir("prune-marker");
        let old = dir.join("old.img");
        std::fs::write(&old, b"x").unwrap();
        let month_ago = SystemTime::now() - 30 * 24 * HOUR;
        let set_old = || {
            std::fs::File::options()
                .write(true)
                .open(&old)
                .unwrap()
                .set_modified(month_ago)
                .unwrap()
        };
        set_old();
        // Something not a file under the marker's name (a FIFO) never blocks: it is replaced.
        let c = std::ffi::CString::new(dir.join(PRUNED).to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        prune_now_and_then(&dir);
        assert!(!old.exists(), "pruned");
        assert!(std::fs::symlink_metadata(dir.join(PRUNED))
            .unwrap()
            .is_file());
        // Pruned a moment ago (by whichever process): not again within the minute.
        std::fs::write(&old, b"x").unwrap();
        set_old();
        prune_now_and_then(&dir);
        assert!(old.exists(), "pruned again within a minute");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
