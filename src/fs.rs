//! Writing output files: atomically (a temporary, then a swap), several as one (all or none),
//! with signals held during the swaps. Every file paiban writes (PDFs, proof PNGs) goes
//! through here.

use crate::error::{Error, Result};
use std::path::Path;

/// `path` with `.` components dropped and each `dir/..` folded away where `dir` is a real
/// folder (not a symbolic link, through which `..` would lead elsewhere), so messages name
/// `input/weidong/stories/a.md`, not `input/front/../weidong/stories/a.md`. The file named is
/// the same one.
pub fn tidy(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                let foldable = matches!(last, Some(Component::Normal(_)))
                    && std::fs::symlink_metadata(&out).is_ok_and(|m| m.is_dir());
                if foldable {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Writes bytes to `path` atomically: a temporary file beside it, then a swap, so a PDF
/// appears only complete (see [`write_all`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all(&[(path, bytes)])
}

/// Writes several files as one: all of them or none. Each is first written to a temporary
/// file in its folder (a short name, `.paiban-<pid>-<n>.tmp`, so a final name that fits the
/// file-name length limit never fails for its temporary); a failure there (a full disk)
/// removes every temporary and leaves the previous files untouched. Then each is swapped in,
/// with Ctrl-C, `kill` and a closed terminal held off until all are (a swap that fails puts
/// back those done). Two files of one call with the same path are an error, never one
/// overwriting the other.
pub fn write_all(files: &[(&Path, &[u8])]) -> Result<()> {
    refuse_same_paths(files)?;
    let mut temps: Vec<std::path::PathBuf> = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        match write_temp(path, bytes) {
            Ok(tmp) => temps.push(tmp),
            Err(e) => {
                for t in &temps {
                    let _ = std::fs::remove_file(t);
                }
                return Err(e);
            }
        }
    }
    let _held = HoldSignals::new();
    let mut done: Vec<Swapped> = Vec::with_capacity(files.len());
    for ((path, _), tmp) in files.iter().zip(&temps) {
        match swap_in(tmp, path) {
            Ok(s) => done.push(s),
            Err(e) => {
                for s in done.iter().rev() {
                    s.undo();
                }
                for t in &temps {
                    let _ = std::fs::remove_file(t);
                }
                return Err(e);
            }
        }
    }
    for s in &done {
        s.finish();
    }
    Ok(())
}

/// An error when two of the files have the same path.
fn refuse_same_paths(files: &[(&Path, &[u8])]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for (path, _) in files {
        if !seen.insert(*path) {
            return Err(crate::error::Diagnostic::file(
                path,
                "two files of this build would be written to this one path",
            )
            .with_hint("give each page its own 版次 (`number`): a split build names files by it")
            .into());
        }
    }
    Ok(())
}

/// Writes `bytes` to a new temporary file in `path`'s folder (made if missing); on failure
/// nothing is left and the error names `path`.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<std::path::PathBuf> {
    use std::io::Write;
    let io = |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let (tmp, mut f) = crate::cache::create_temp(dir).map_err(io)?;
    if let Err(e) = f.write_all(bytes).and_then(|_| f.flush()) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(tmp)
}

/// One file swapped in, and how to undo or finish it.
enum Swapped {
    /// Exchanged with the previous file, which `tmp` now names.
    Exchanged {
        tmp: std::path::PathBuf,
        path: std::path::PathBuf,
    },
    /// Renamed into place; the previous file (if any) kept as `backup`.
    Renamed {
        path: std::path::PathBuf,
        backup: Option<std::path::PathBuf>,
    },
}

impl Swapped {
    /// Puts the previous file back (or removes the new one when there was none).
    fn undo(&self) {
        match self {
            Swapped::Exchanged { tmp, path } => {
                if exchange(tmp, path) {
                    let _ = std::fs::remove_file(tmp);
                }
            }
            Swapped::Renamed { path, backup } => match backup {
                Some(b) => {
                    let _ = std::fs::rename(b, path);
                }
                None => {
                    let _ = std::fs::remove_file(path);
                }
            },
        }
    }

    /// Removes the previous file once every file is in.
    fn finish(&self) {
        match self {
            Swapped::Exchanged { tmp, .. } => {
                let _ = std::fs::remove_file(tmp);
            }
            Swapped::Renamed {
                backup: Some(b), ..
            } => {
                let _ = std::fs::remove_file(b);
            }
            Swapped::Renamed { backup: None, .. } => {}
        }
    }
}

/// Puts the finished temporary `tmp` in place as `path`: exchanged with the previous file
/// when possible, else renamed over it (the previous file first linked to a backup name, so
/// it can be put back). On failure `tmp` is left for the caller to remove.
fn swap_in(tmp: &Path, path: &Path) -> Result<Swapped> {
    if exchange(tmp, path) {
        return Ok(Swapped::Exchanged {
            tmp: tmp.to_path_buf(),
            path: path.to_path_buf(),
        });
    }
    let dir = tmp.parent().unwrap_or(Path::new("."));
    let backup = std::fs::symlink_metadata(path)
        .is_ok()
        .then(|| crate::cache::create_temp(dir).ok())
        .flatten()
        .and_then(|(b, _)| {
            // The new name is reserved; the previous file takes it.
            let _ = std::fs::remove_file(&b);
            std::fs::hard_link(path, &b).ok().map(|_| b)
        });
    match std::fs::rename(tmp, path) {
        Ok(()) => Ok(Swapped::Renamed {
            path: path.to_path_buf(),
            backup,
        }),
        Err(e) => {
            if let Some(b) = backup {
                let _ = std::fs::remove_file(b);
            }
            Err(Error::Io {
                path: path.to_path_buf(),
                source: e,
            })
        }
    }
}

/// Holds off SIGINT, SIGTERM, SIGHUP and SIGQUIT (in this thread) while alive: a Ctrl-C
/// during the swaps takes effect after them, so it never leaves some pages new and some old.
struct HoldSignals {
    #[cfg(unix)]
    old: Option<libc::sigset_t>,
}

impl HoldSignals {
    fn new() -> Self {
        #[cfg(unix)]
        {
            // SAFETY: sigset_t is plain data that sigemptyset initialises; pthread_sigmask
            // changes only this thread's signal mask and writes the old one into `old`.
            unsafe {
                let mut set: libc::sigset_t = std::mem::zeroed();
                let mut old: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
                    libc::sigaddset(&mut set, sig);
                }
                let ok = libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old) == 0;
                HoldSignals {
                    old: ok.then_some(old),
                }
            }
        }
        #[cfg(not(unix))]
        HoldSignals {}
    }
}

impl Drop for HoldSignals {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(old) = &self.old {
            // SAFETY: restores the mask saved in `new`; a signal held meanwhile is delivered.
            unsafe {
                libc::pthread_sigmask(libc::SIG_SETMASK, old, std::ptr::null_mut());
            }
        }
    }
}

/// Swaps two existing files in one step (Linux `renameat2` with `RENAME_EXCHANGE`). A plain
/// rename over an existing file makes ext4 start writing the new file out at once (its
/// `auto_da_alloc` guard), 1.4 ms of a 1.6 MB page on this machine against 0.1 ms for the
/// swap; readers see the old file or the new one, never neither. False when the swap is not
/// possible (no old file, another system or file system): the caller renames instead.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        std::ffi::CString::new(a.as_os_str().as_bytes()),
        std::ffi::CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both arguments are NUL-terminated paths that outlive the call; renameat2 reads
    // them and touches no other memory of this process.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    r == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn write_atomic_creates_and_replaces_leaving_no_temporary_file() {
        let dir = crate::test_dir("atomic");
        let path = dir.join("sub").join("a.pdf");
        super::write_atomic(&path, b"first").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        super::write_atomic(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        let names: Vec<_> = std::fs::read_dir(dir.join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.pdf"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn several_files_are_written_all_or_none() {
        let dir = crate::test_dir("all-or-none");
        let (a, b) = (dir.join("e-p01.pdf"), dir.join("e-p02.pdf"));
        super::write_all(&[(&a, b"old 1"), (&b, b"old 2")]).unwrap();
        // The second file cannot be written (its folder is a file): the first stays old.
        std::fs::write(dir.join("blocker"), b"").unwrap();
        let c = dir.join("blocker").join("e-p03.pdf");
        let r = super::write_all(&[(&a, b"new 1"), (&b, b"new 2"), (&c, b"new 3")]);
        assert!(matches!(r, Err(crate::Error::Io { ref path, .. }) if *path == c));
        assert_eq!(std::fs::read(&a).unwrap(), b"old 1");
        assert_eq!(std::fs::read(&b).unwrap(), b"old 2");
        assert_eq!(names(&dir), ["blocker", "e-p01.pdf", "e-p02.pdf"]);
        // Two files of one build with the same path: an error, nothing written.
        let r = super::write_all(&[(&a, b"new 1"), (&b, b"new 2"), (&a, b"new 3")]);
        let m = r.unwrap_err().to_string();
        assert!(
            m.contains("two files of this build would be written"),
            "{m}"
        );
        assert_eq!(std::fs::read(&a).unwrap(), b"old 1");
        assert_eq!(names(&dir), ["blocker", "e-p01.pdf", "e-p02.pdf"]);
        // Then all are swapped in.
        super::write_all(&[(&a, b"new 1"), (&b, b"new 2")]).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"new 1");
        assert_eq!(std::fs::read(&b).unwrap(), b"new 2");
        assert_eq!(names(&dir), ["blocker", "e-p01.pdf", "e-p02.pdf"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn swaps_put_back_undo_what_was_done() {
        let dir = crate::test_dir("undo");
        let (a, b) = (dir.join("a.pdf"), dir.join("b.pdf"));
        super::write_atomic(&a, b"old a").unwrap();
        let ta = super::write_temp(&a, b"new a").unwrap();
        let tb = super::write_temp(&b, b"new b").unwrap();
        let done = [
            super::swap_in(&ta, &a).unwrap(),
            super::swap_in(&tb, &b).unwrap(),
        ];
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        for s in done.iter().rev() {
            s.undo();
        }
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        assert!(!b.exists(), "b had no previous file");
        let _ = std::fs::remove_file(&ta);
        assert_eq!(names(&dir), ["a.pdf"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_name_that_fits_never_fails_for_its_temporary() {
        let dir = crate::test_dir("long-name");
        // 251 bytes with `.pdf`: under NAME_MAX (255); `NAME.pdf.tmp<pid>` was over it.
        let path = dir.join(format!("{}.pdf", "报".repeat(82) + "x"));
        assert_eq!(path.file_name().unwrap().len(), 251);
        super::write_atomic(&path, b"pdf").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"pdf");
        assert_eq!(names(&dir).len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
