//! Robustness over generated input: random bytes as stories and photos never panic; for random
//! valid copy and frames, every character is set or reported overset; layout is deterministic.

mod common;
use common::*;
use paiban::flow::LineRole;

const PIECES: &[&str] = &[
    "卫东区",
    "，",
    "。",
    "“",
    "”",
    "（",
    "）",
    "——",
    "……",
    "2022年",
    "GDP",
    "5.2%",
    "、",
    "的",
    "发展",
    "## 小标题\n\n",
    "\n\n",
    " ",
    "·",
    "www.example.gov.cn",
    "！",
    "？",
    ";",
    ",",
    "(",
    ")",
];

fn random_copy(r: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| PIECES[r.below(PIECES.len() as u64) as usize])
        .collect()
}

fn write_case(
    dir: &std::path::Path,
    story: &[u8],
    photo: &[u8],
    cols: (u64, u64),
    lines: (u64, u64),
) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("s.md"), story).unwrap();
    std::fs::write(dir.join("ph.jpg"), photo).unwrap();
    let plan = format!(
        "layout = \"broadsheet\"\nnumber = 1\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"{}-{}\"\nlines = \"{}-{}\"\n\n[[photo]]\nfile = \"ph.jpg\"\ncolumns = \"{}\"\nlines = \"{}-{}\"\n",
        cols.0, cols.1, lines.0, lines.1, cols.0, lines.0 + 2, lines.0 + 6
    );
    std::fs::write(dir.join("p.toml"), plan).unwrap();
}

#[test]
fn random_bytes_as_stories_and_photos_never_panic() {
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let base = temp_dir("random-bytes");
    let mut errors = 0;
    for i in 0..120 {
        let n = r.below(400) as usize;
        let mut story: Vec<u8> = (0..n).map(|_| r.next() as u8).collect();
        if i % 2 == 0 {
            // Half the cases get a valid front matter so the copy itself is exercised.
            let mut s = b"+++\nheadline = \"h\"\n+++\n\n".to_vec();
            s.append(&mut story);
            story = s;
        }
        let photo: Vec<u8> = match i % 3 {
            0 => (0..r.below(2000)).map(|_| r.next() as u8).collect(),
            1 => {
                let mut p = std::fs::read(root().join("input/weidong/photos/signing.jpg")).unwrap();
                let cut = r.below(p.len() as u64) as usize;
                p.truncate(cut.max(4));
                p
            }
            _ => std::fs::read(root().join("tests/data/grey-newsprint.jpg")).unwrap(),
        };
        let dir = base.join(format!("c{i}"));
        write_case(
            &dir,
            &story,
            &photo,
            (1, 1 + r.below(4)),
            (1, 10 + r.below(60)),
        );
        let result = std::panic::catch_unwind(|| {
            paiban::pipeline::typeset(&dir.join("p.toml")).map(|t| t.pages.len())
        });
        match result {
            Err(_) => panic!("panic on case {i} ({})", dir.display()),
            Ok(Err(e)) => {
                errors += 1;
                assert!(
                    e.to_string().contains(&dir.to_string_lossy().to_string()),
                    "error names no file: {e}"
                );
            }
            Ok(Ok(_)) => {}
        }
    }
    assert!(errors > 30, "most random inputs are errors, {errors} were");
}

#[test]
fn every_character_is_set_or_reported_overset() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let base = temp_dir("conservation");
    let mut refused = 0;
    for i in 0..40 {
        let n = 20 + r.below(300) as usize;
        let copy = random_copy(&mut r, n);
        let story = format!("+++\nheadline = \"标题\"\n+++\n\n{copy}\n");
        let dir = base.join(format!("c{i}"));
        let photo = std::fs::read(root().join("tests/data/grey-newsprint.jpg")).unwrap();
        let cols = (1, 1 + r.below(3));
        write_case(&dir, story.as_bytes(), &photo, cols, (1, 8 + r.below(40)));
        // In a one-column frame the photo (lines 3-7) spans the headline's band: the build
        // refuses, naming the story, rather than drawing the headline over the photo.
        let t = match paiban::pipeline::typeset(&dir.join("p.toml")) {
            Ok(t) => t,
            Err(e) => {
                let e = e.to_string();
                assert!(
                    e.contains("no room beside them") && e.contains("s.md"),
                    "{e}"
                );
                assert_eq!(
                    cols.0, cols.1,
                    "case {i}: refused with room beside the photo"
                );
                refused += 1;
                continue;
            }
        };
        let s = &t.stories[0];
        let set: usize = s
            .lines
            .iter()
            .filter(|l| matches!(l.role, LineRole::Body | LineRole::CrossHead))
            .map(|l| line_text(l).chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        let over = s.overset.as_ref().map_or(0, |o| o.chars);
        assert_eq!(
            set + over,
            s.chars,
            "case {i}: {set} set + {over} overset != {} characters",
            s.chars
        );
        // Deterministic: the same input lays out the same way.
        let again = paiban::pipeline::typeset(&dir.join("p.toml")).unwrap();
        let pos = |t: &paiban::pipeline::Typeset| -> Vec<(u32, u32)> {
            t.stories[0]
                .lines
                .iter()
                .map(|l| (l.x.to_bits(), l.baseline.to_bits()))
                .collect()
        };
        assert_eq!(pos(&t), pos(&again));
    }
    assert!(refused < 20, "{refused} of 40 cases refused");
}
