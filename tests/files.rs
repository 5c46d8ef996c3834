//! The file system as an adversary (issue 21): FIFOs, devices, folders and symbolic-link
//! loops where files should be, temporary files of killed builds, a write that fails part-way
//! through a split build, one path for two pages, and names at the file-name length limit.
//! Each test asserts what the user sees: the message, the exit status, the files left.
//! No test waits long: a build that blocks is killed after a deadline and fails the test.
#![cfg(unix)]

mod common;
use common::*;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a build of the example may take here (a debug build takes about a second).
const DEADLINE: Duration = Duration::from_secs(60);

/// A PID no process has (above Linux's largest `pid_max`).
const DEAD: u32 = 999_999_999;

/// The outcome of a run of paiban.
struct Run {
    code: i32,
    stderr: String,
}

/// Runs paiban with `args`, killing it (and failing the test) if it outlives [`DEADLINE`].
/// `fsize` limits the size of each file it writes (as a full disk would stop it).
fn run_with(args: &[&str], env: &[(&str, &str)], fsize: Option<u64>) -> Run {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = temp_dir(&format!("run-{n}"));
    let err = dir.join("stderr");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paiban"));
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err).unwrap());
    if let Some(limit) = fsize {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let r = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                if libc::setrlimit(libc::RLIMIT_FSIZE, &r) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("paiban {args:?} still running after {DEADLINE:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(&err).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    Run {
        code: status.code().unwrap_or(-1),
        stderr,
    }
}

fn run(args: &[&str]) -> Run {
    run_with(args, &[], None)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(s(p)).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
        0,
        "mkfifo {p:?}"
    );
}

/// Puts something at a path.
type MakeFn = fn(&Path);

/// Replaces whatever is at `p` (a file, link or empty folder).
fn clear(p: &Path) {
    if std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir(p).unwrap();
    } else {
        let _ = std::fs::remove_file(p);
    }
}

/// A copy of the example page in a fresh folder: (edition folder, output folder).
fn weidong(name: &str) -> (PathBuf, PathBuf) {
    let root_dir = temp_dir(name);
    let ed = root_dir.join("weidong");
    copy_dir(&root().join("input/weidong"), &ed);
    (ed, root_dir.join("out"))
}

#[test]
fn fifos_devices_links_and_folders_in_the_cache_never_block_a_build() {
    let (ed, out) = weidong("cache-fifos");
    let first = run(&["build", s(&ed), "-o", s(&out), "-q"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let pdf = std::fs::read(out.join("weidong.pdf")).unwrap();
    let cache = out.join(".paiban-cache");
    let entries = names(&cache);
    assert!(entries.len() >= 4, "{entries:?}");
    for (i, name) in entries.iter().enumerate() {
        let p = cache.join(name);
        std::fs::remove_file(&p).unwrap();
        match i % 3 {
            0 => mkfifo(&p),
            1 => symlink("/dev/zero", &p).unwrap(),
            _ => std::fs::create_dir(&p).unwrap(),
        }
    }
    let again = run(&["build", s(&ed), "-o", s(&out), "-q"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        std::fs::read(out.join("weidong.pdf")).unwrap() == pdf,
        "same PDF"
    );
    // Every entry made again as a regular file.
    assert_eq!(names(&cache), entries);
    for name in &entries {
        let m = std::fs::symlink_metadata(cache.join(name)).unwrap();
        assert!(m.is_file(), "{name} is {:?}", m.file_type());
    }
}

#[test]
fn inputs_that_are_not_files_are_named_never_read() {
    let (ed, out) = weidong("input-kinds");
    let story = ed.join("stories/sizhua.md");
    let saved = std::fs::read(&story).unwrap();
    symlink("loop-b", ed.join("stories/loop-a")).unwrap();
    symlink("loop-a", ed.join("stories/loop-b")).unwrap();
    let cases: [(&str, MakeFn, &str); 5] = [
        (
            "folder",
            |p| std::fs::create_dir(p).unwrap(),
            "p05.toml:9:8: file `stories/sizhua.md` is a folder, not a file",
        ),
        (
            "fifo",
            mkfifo,
            "file `stories/sizhua.md` is not a regular file (a FIFO)",
        ),
        (
            "/dev/zero",
            |p| symlink("/dev/zero", p).unwrap(),
            "file `stories/sizhua.md` is not a regular file (a device)",
        ),
        (
            "loop",
            |p| symlink("loop-a", p).unwrap(),
            "file `stories/sizhua.md` cannot be opened: symbolic-link loop",
        ),
        (
            "missing",
            |_| {},
            "p05.toml:9:8: file `stories/sizhua.md` not found",
        ),
    ];
    for (kind, make, want) in cases {
        clear(&story);
        make(&story);
        let r = run(&["build", s(&ed), "-o", s(&out)]);
        assert_eq!(r.code, 1, "{kind}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{kind}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{kind}: {}", r.stderr);
        assert_eq!(names(&out), Vec::<String>::new(), "{kind}");
    }
    clear(&story);
    std::fs::write(&story, saved).unwrap();

    // A photo that is a folder, a layout that is a FIFO, the input itself a FIFO.
    let photo = ed.join("photos/signing.jpg");
    std::fs::rename(&photo, ed.join("photos/saved.jpg")).unwrap();
    std::fs::create_dir(&photo).unwrap();
    let r = run(&["build", s(&ed), "-o", s(&out)]);
    assert!(
        r.stderr
            .contains("file `photos/signing.jpg` is a folder, not a file"),
        "{}",
        r.stderr
    );
    std::fs::remove_dir(&photo).unwrap();
    std::fs::rename(ed.join("photos/saved.jpg"), &photo).unwrap();
    std::fs::create_dir(ed.join("layouts")).unwrap();
    mkfifo(&ed.join("layouts/broadsheet.toml"));
    let r = run(&["build", s(&ed), "-o", s(&out)]);
    assert!(
        r.stderr
            .contains("layout `broadsheet` is not a regular file (a FIFO)"),
        "{}",
        r.stderr
    );
    std::fs::remove_file(ed.join("layouts/broadsheet.toml")).unwrap();
    let plan = ed.join("fifo.toml");
    mkfifo(&plan);
    let r = run(&["build", s(&plan), "-o", s(&out)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("fifo.toml: file is not a regular file (a FIFO)"),
        "{}",
        r.stderr
    );
    assert_eq!(names(&out), Vec::<String>::new());
}

#[test]
fn a_font_that_is_a_folder_or_fifo_is_named() {
    let (ed, out) = weidong("font-kinds");
    let layout = std::fs::read_to_string(root().join("layouts/broadsheet.toml"))
        .unwrap()
        .replace("\"../fonts/", &format!("\"{}/fonts/", root().display()))
        .replace(
            &format!(
                "serif = \"{}/fonts/NotoSerifSC-Regular.ttf\"",
                root().display()
            ),
            "serif = \"../body.ttf\"",
        );
    assert!(layout.contains("../body.ttf"));
    std::fs::create_dir(ed.join("layouts")).unwrap();
    std::fs::write(ed.join("layouts/broadsheet.toml"), layout).unwrap();
    let font = ed.join("body.ttf");
    for (make, want) in [
        (
            (|p| std::fs::create_dir(p).unwrap()) as MakeFn,
            "font for role `serif`: font file is a folder, not a file",
        ),
        (
            mkfifo,
            "font for role `serif`: font file is not a regular file (a FIFO)",
        ),
    ] {
        clear(&font);
        make(&font);
        let r = run(&["build", s(&ed), "-o", s(&out)]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains(want), "{}", r.stderr);
        assert!(!r.stderr.contains("No such device"), "{}", r.stderr);
    }
}

#[test]
fn stale_temporaries_of_killed_runs_go_and_a_running_builds_stay() {
    let (ed, out) = weidong("stale-temps");
    let cache = out.join(".paiban-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let live = std::process::id(); // this test is running: its files must stay
    let dead = [
        format!("weidong.pdf.tmp{DEAD}"),
        format!(".paiban-{DEAD}-0.tmp"),
    ];
    let kept = [format!(".paiban-{live}-0.tmp"), "notes.tmp5".to_string()];
    for n in dead.iter().chain(&kept) {
        std::fs::write(out.join(n), vec![0u8; 1 << 20]).unwrap();
    }
    std::fs::write(cache.join(format!("0123.img.tmp{DEAD}")), b"x").unwrap();
    std::fs::write(cache.join(format!(".paiban-{live}-1.tmp")), b"x").unwrap();
    let r = run(&["build", s(&ed), "-o", s(&out), "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut want: Vec<String> = kept.to_vec();
    want.push(".paiban-cache".into());
    want.push("weidong.pdf".into());
    want.sort();
    assert_eq!(names(&out), want);
    let left = names(&cache);
    assert!(
        !left.iter().any(|n| n.contains(&DEAD.to_string())),
        "{left:?}"
    );
    assert!(left.contains(&format!(".paiban-{live}-1.tmp")), "{left:?}");
}

#[test]
fn a_split_build_that_cannot_write_leaves_the_old_pages_and_no_temporary() {
    let dir = temp_dir("split-fails");
    let out = dir.join("out");
    let jump = root().join("input/jump");
    let first = run(&["build", s(&jump), "--split", "-o", s(&out), "-q"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let pages = ["jump-p01.pdf", "jump-p02.pdf"];
    let old: Vec<Vec<u8>> = pages
        .iter()
        .map(|p| std::fs::read(out.join(p)).unwrap())
        .collect();
    // A later build (another date, so other bytes) whose files cannot grow past 1 MB, as
    // on a full disk: it fails, naming the file and why; the old pages stay as they were.
    let r = run_with(
        &["build", s(&jump), "--split", "-o", s(&out), "--no-cache"],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
        Some(1 << 20),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("jump-p0"), "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot write: File too large"),
        "{}",
        r.stderr
    );
    for (p, bytes) in pages.iter().zip(&old) {
        assert!(std::fs::read(out.join(p)).unwrap() == *bytes, "{p} changed");
    }
    let mut want = vec![".paiban-cache".to_string()];
    want.extend(pages.map(String::from));
    assert_eq!(names(&out), want);
    // The same build with room: both pages new.
    let r = run_with(
        &["build", s(&jump), "--split", "-o", s(&out), "-q"],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (p, bytes) in pages.iter().zip(&old) {
        assert!(std::fs::read(out.join(p)).unwrap() != *bytes, "{p} not new");
    }
    assert_eq!(names(&out), want);
}

#[test]
fn two_pages_with_one_number_never_overwrite_each_other() {
    let dir = temp_dir("same-number");
    // The example's layout takes its fonts from ../../../fonts, stories from ../weidong.
    let ed = dir.join("input/jump");
    copy_dir(&root().join("input/jump"), &ed);
    copy_dir(&root().join("input/weidong"), &dir.join("input/weidong"));
    symlink(root().join("fonts"), dir.join("fonts")).unwrap();
    let p2 = ed.join("p02.toml");
    let plan = std::fs::read_to_string(&p2).unwrap();
    std::fs::write(&p2, plan.replace("number = 2", "number = 1")).unwrap();
    let out = dir.join("out");
    let r = run(&["build", s(&ed), "--split", "-o", s(&out)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Refused by the writer (or earlier, by the plans' checks): nothing written.
    assert!(r.stderr.contains("版次"), "{}", r.stderr);
    assert!(
        !names(&out)
            .iter()
            .any(|n| n.ends_with(".pdf") || n.ends_with(".tmp")),
        "{:?}",
        names(&out)
    );
}

#[test]
fn an_edition_name_that_fits_the_file_name_limit_builds() {
    let dir = temp_dir("long-name");
    // 247 bytes: with `.pdf` 251, under NAME_MAX (255).
    let name = "x".repeat(247);
    let ed = dir.join(&name);
    copy_dir(&root().join("input/weidong"), &ed);
    let out = dir.join("out");
    let r = run(&["build", s(&ed), "-o", s(&out), "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        names(&out),
        [".paiban-cache".to_string(), format!("{name}.pdf")]
    );
}
