//! Watch: rebuild an edition whenever one of its input files changes (notify), reporting each
//! build through a callback. Runs until the callback says stop or the watcher fails.

use crate::error::{Diagnostic, Result};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Folders a build reads from: the edition's folder and those of its plans, stories, photos.
fn watched_dirs(input: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![if input.is_dir() {
        input.to_path_buf()
    } else {
        input.parent().unwrap_or(Path::new(".")).to_path_buf()
    }];
    if let Ok(e) = crate::model::load_edition(input) {
        for p in &e.pages {
            let files = p
                .stories
                .iter()
                .map(|s| &s.file)
                .chain(p.photos.iter().map(|ph| &ph.file));
            for f in files.chain(std::iter::once(&p.path)) {
                if let Some(d) = f.parent() {
                    dirs.push(d.to_path_buf());
                }
            }
        }
    }
    let mut canon: Vec<PathBuf> = dirs.iter().filter_map(|d| d.canonicalize().ok()).collect();
    canon.sort();
    canon.dedup();
    canon
}

/// Calls `rebuild` now and after every change under the input's folders (changes within
/// 150 ms are taken together). `rebuild` returns false to stop watching.
pub fn watch(input: &Path, mut rebuild: impl FnMut() -> bool) -> Result<()> {
    if !rebuild() {
        return Ok(());
    }
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            if !matches!(ev.kind, notify::EventKind::Access(_)) {
                let _ = tx.send(ev.paths);
            }
        }
    })
    .map_err(|e| Diagnostic::file(input, format!("cannot watch: {e}")))?;
    let mut dirs = watched_dirs(input);
    for d in &dirs {
        watcher
            .watch(d, RecursiveMode::NonRecursive)
            .map_err(|e| Diagnostic::file(d, format!("cannot watch: {e}")))?;
    }
    loop {
        let Ok(paths) = rx.recv() else { return Ok(()) };
        // Our own output (a PDF, PNG or cached photo written into a watched folder) is not
        // an input change.
        let own = |p: &PathBuf| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.ends_with(".pdf")
                || name.ends_with(".png")
                || name.contains(".pdf.tmp")
                || name.contains(".png.tmp")
                || (name.starts_with(".paiban-") && name.ends_with(".tmp"))
                || p.components().any(|c| c.as_os_str() == ".paiban-cache")
        };
        let relevant = paths.iter().any(|p| !own(p));
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(150) {
            let _ = rx.recv_timeout(Duration::from_millis(50));
        }
        if !relevant {
            continue;
        }
        if !rebuild() {
            return Ok(());
        }
        // A plan may now name new files: watch their folders too.
        for d in watched_dirs(input) {
            if !dirs.contains(&d) && watcher.watch(&d, RecursiveMode::NonRecursive).is_ok() {
                dirs.push(d);
            }
        }
    }
}
