//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The fonts of the built-in broadsheet layout, loaded once per test binary.
pub fn broadsheet_book() -> &'static paiban::fonts::FontBook {
    static BOOK: std::sync::OnceLock<paiban::fonts::FontBook> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| {
        let l =
            paiban::model::layout::resolve_layout("broadsheet", Path::new("/none/p.toml"), "", 0)
                .unwrap();
        paiban::fonts::FontBook::new(&l.fonts)
    })
}

/// The broadsheet's text options: 全角 punctuation, basic kinsoku, ASCII marks set full width.
pub fn basic_opts() -> paiban::model::TextOptions {
    paiban::model::TextOptions {
        punctuation: paiban::model::Punctuation::Full,
        kinsoku: paiban::model::Kinsoku::Basic,
        fullwidth_ascii: true,
        hanging: false,
    }
}

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("paiban-test-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the paiban binary; returns (exit code, stdout, stderr).
pub fn paiban(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs a tool and returns its stdout; panics with a clear message when it is missing.
pub fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed for this test (apt-get install poppler-utils qpdf mupdf-tools ghostscript): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Folds copy for comparison with extracted text: no whitespace, ASCII `, ; : ( ) ! ?` as
/// their full-width forms.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '(' => '（',
            ')' => '）',
            '!' => '！',
            '?' => '？',
            c => c,
        })
        .collect()
}

/// A seeded xorshift generator for reproducible random copy.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// One of the items.
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// The text a set line shows: each glyph cluster once, in order.
pub fn line_text(l: &paiban::flow::SetLine) -> String {
    let mut out = String::new();
    let mut last = 0;
    for g in &l.glyphs {
        if g.start >= last {
            out.push_str(&l.text[g.start as usize..g.end as usize]);
            last = g.end;
        }
    }
    out
}
