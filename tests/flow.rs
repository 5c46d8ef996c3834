//! Story flow: threading on one page and across pages, jump lines, wrap around photos, the
//! line grid, overset, widows. Editions are written to temporary folders.

mod common;
use common::*;
use paiban::flow::{FlowedStory, LineRole};
use paiban::page::Item;
use paiban::pipeline::{typeset, Typeset};
use std::path::{Path, PathBuf};

/// Copy of `n` characters cycling through a sentence, in paragraphs of about 120 characters.
fn copy(n: usize) -> String {
    let sentence: Vec<char> = "今年以来该区以能力作风建设年活动为契机进一步深化认识压实责任凝聚合力强化举措，持之以恒提升能力作风。".chars().collect();
    let mut s = String::new();
    for i in 0..n {
        s.push(sentence[i % sentence.len()]);
        if i % 120 == 119 {
            s.push_str("\n\n");
        }
    }
    s
}

fn story(dir: &Path, id: &str, chars: usize) {
    let text = format!(
        "+++\nheadline = \"测试标题{id}\"\nbyline = \"本报讯(记者测试)\"\n+++\n\n{}\n",
        copy(chars)
    );
    std::fs::create_dir_all(dir.join("stories")).unwrap();
    std::fs::write(dir.join("stories").join(format!("{id}.md")), text).unwrap();
}

fn photo(dir: &Path) -> String {
    std::fs::copy(
        root().join("input/weidong/photos/village.jpg"),
        dir.join("village.jpg"),
    )
    .unwrap();
    "village.jpg".into()
}

fn plan(dir: &Path, name: &str, number: u32, body: &str) {
    let text = format!("layout = \"broadsheet\"\nnumber = {number}\nsection = \"测试\"\ndate = \"2024-01-01\"\n\n{body}");
    std::fs::write(dir.join(name), text).unwrap();
}

fn edition(dir: &Path, pages: &[&str]) -> PathBuf {
    let list: Vec<String> = pages.iter().map(|p| format!("\"{p}\"")).collect();
    std::fs::write(
        dir.join("edition.toml"),
        format!(
            "paper = \"测试报\"\ndate = \"2024-01-01\"\npages = [{}]\n",
            list.join(", ")
        ),
    )
    .unwrap();
    dir.to_path_buf()
}

/// The copy of a story as set, jump lines removed, whitespace dropped.
fn set_text(s: &FlowedStory) -> String {
    let out: String = s
        .lines
        .iter()
        .filter(|l| matches!(l.role, LineRole::Body | LineRole::CrossHead))
        .map(line_text)
        .collect();
    let mut t: String = out.chars().filter(|c| !c.is_whitespace()).collect();
    for n in 0..100 {
        t = t.replace(&format!("（上接第{n}版）"), "");
    }
    t
}

fn expected_text(dir: &Path, id: &str) -> String {
    let s = paiban::model::load_story(&dir.join("stories").join(format!("{id}.md"))).unwrap();
    let mut t = paiban::shape::class::normalize(s.byline.as_deref().unwrap_or(""), true);
    for b in &s.blocks {
        t.push_str(&paiban::shape::class::normalize(b.text(), true));
    }
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

fn get<'a>(t: &'a Typeset, id: &str) -> &'a FlowedStory {
    t.stories.iter().find(|s| s.id == id).unwrap()
}

fn body_lines_on(s: &FlowedStory, page: usize) -> Vec<&paiban::flow::SetLine> {
    s.lines
        .iter()
        .filter(|l| l.page == page && l.role == LineRole::Body)
        .collect()
}

#[test]
fn thread_across_pages_with_jump_lines_and_non_consecutive_numbers() {
    let dir = temp_dir("flow-jump");
    story(&dir, "a", 1500);
    plan(
        &dir,
        "p1.toml",
        1,
        "[[story]]\nfile = \"stories/a.md\"\ncolumns = \"1-3\"\nlines = \"1-20\"\n",
    );
    plan(
        &dir,
        "p5.toml",
        5,
        "[[story]]\nfile = \"stories/a.md\"\ncolumns = \"1-4\"\nlines = \"1-40\"\n",
    );
    let t = typeset(&edition(&dir, &["p1.toml", "p5.toml"])).unwrap();
    let s = get(&t, "a");
    assert!(s.overset.is_none());
    // 下转 at the foot of page 1's frame, 上接 leading page 5's first line.
    let jump: Vec<String> = s
        .lines
        .iter()
        .filter(|l| l.role == LineRole::Jump)
        .map(|l| l.text.to_string())
        .collect();
    assert_eq!(jump, vec!["（下转第5版）"]);
    let first_p2 = body_lines_on(s, 1)[0];
    assert!(
        first_p2.text.starts_with("（上接第1版）"),
        "{}",
        first_p2.text
    );
    // The headline only in the first frame.
    assert!(s
        .lines
        .iter()
        .filter(|l| l.role == LineRole::Headline)
        .all(|l| l.page == 0));
    // Every character exactly once, in order.
    assert_eq!(set_text(s), expected_text(&dir, "a"));
}

#[test]
fn jump_false_suppresses_jump_lines() {
    let dir = temp_dir("flow-nojump");
    story(&dir, "a", 1500);
    plan(
        &dir,
        "p1.toml",
        1,
        "[[story]]\nfile = \"stories/a.md\"\ncolumns = \"1-3\"\nlines = \"1-20\"\njump = false\n",
    );
    plan(
        &dir,
        "p2.toml",
        2,
        "[[story]]\nfile = \"stories/a.md\"\ncolumns = \"1-4\"\nlines = \"1-40\"\n",
    );
    let t = typeset(&edition(&dir, &["p1.toml", "p2.toml"])).unwrap();
    let s = get(&t, "a");
    assert!(s.lines.iter().all(|l| l.role != LineRole::Jump));
    assert!(!body_lines_on(s, 1)[0].text.contains("上接"));
    assert_eq!(set_text(s), expected_text(&dir, "a"));
}

#[test]
fn thread_on_one_page_without_jump_lines() {
    let dir = temp_dir("flow-thread");
    story(&dir, "a", 900);
    plan(
        &dir,
        "p.toml",
        3,
        "[[story]]\nfile = \"stories/a.md\"\ncolumns = \"1-2\"\nlines = \"1-20\"\n\n[[story]]\nfile = \"stories/a.md\"\ncolumns = \"5-8\"\nlines = \"40-60\"\n",
    );
    let t = typeset(&dir.join("p.toml")).unwrap();
    let s = get(&t, "a");
    assert!(s.lines.iter().all(|l| l.role != LineRole::Jump));
    // Text reaches the second frame (x beyond column 5's left edge).
    let g = &t.edition.pages[0].layout.grid;
    assert!(s
        .lines
        .iter()
        .any(|l| l.role == LineRole::Body && l.x >= g.column_x(5) - 0.1));
    assert_eq!(set_text(s), expected_text(&dir, "a"));
}

fn glyph_boxes_clear_of_images(t: &Typeset) {
    for page in &t.pages {
        let images: Vec<_> = page
            .items
            .iter()
            .filter_map(|i| {
                if let Item::Image { frame, .. } = i {
                    Some(*frame)
                } else {
                    None
                }
            })
            .collect();
        for item in &page.items {
            let Item::Text(l) = item else { continue };
            for g in &l.glyphs {
                let b = paiban::units::Rect {
                    x: l.x + g.x,
                    y: l.baseline - 0.88 * g.size,
                    w: g.advance,
                    h: g.size,
                };
                for im in &images {
                    assert!(!b.intersects(im), "glyph at {:?} over image {:?}", b, im);
                }
            }
        }
    }
}

fn baselines_on_grid(t: &Typeset) {
    for (pi, plan) in t.edition.pages.iter().enumerate() {
        let pitch = plan.layout.grid.pitch.0;
        let ys: Vec<f32> = t
            .stories
            .iter()
            .flat_map(|s| body_lines_on(s, pi))
            .map(|l| l.baseline)
            .collect();
        let Some(first) = ys.first() else { continue };
        for y in &ys {
            let k = (y - first) / pitch;
            assert!(
                (k - k.round()).abs() * pitch < 0.1,
                "baseline {y} off the grid (pitch {pitch})"
            );
        }
    }
}

#[test]
fn wrap_around_photos_at_top_middle_and_bottom() {
    for (name, lines) in [("top", "1-12"), ("middle", "20-32"), ("bottom", "45-60")] {
        let dir = temp_dir(&format!("flow-wrap-{name}"));
        story(&dir, "a", 1400);
        let img = photo(&dir);
        plan(
            &dir,
            "p.toml",
            1,
            &format!("[[story]]\nfile = \"stories/a.md\"\ncolumns = \"1-4\"\nlines = \"1-60\"\n\n[[photo]]\nfile = \"{img}\"\ncolumns = \"2-3\"\nlines = \"{lines}\"\ncaption = \"图片说明\"\ncredit = \"某某 摄\"\n"),
        );
        let t = typeset(&dir.join("p.toml")).unwrap();
        let s = get(&t, "a");
        assert!(s.overset.is_none(), "{name}");
        glyph_boxes_clear_of_images(&t);
        baselines_on_grid(&t);
        assert_eq!(set_text(s), expected_text(&dir, "a"), "{name}");
    }
}

#[test]
fn examples_keep_text_off_photos_and_baselines_on_the_grid() {
    for ex in ["input/weidong", "input/jump"] {
        let t = typeset(&root().join(ex)).unwrap();
        glyph_boxes_clear_of_images(&t);
        baselines_on_grid(&t);
        for s in &t.stories {
            assert!(s.overset.is_none(), "{ex}: {} overset", s.id);
        }
    }
}

#[test]
fn overset_fails_the_build_with_story_and_counts() {
    let dir = temp_dir("flow-overset");
    story(&dir, "long", 2000);
    plan(
        &dir,
        "p.toml",
        1,
        "[[story]]\nfile = \"stories/long.md\"\ncolumns = \"1-2\"\nlines = \"1-20\"\n",
    );
    let out = dir.join("out");
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("story `long` is overset by")
            && err.contains("characters (")
            && err.contains("lines)"),
        "{err}"
    );
    assert!(!out.join("p.pdf").exists(), "no PDF on overset");
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--allow-overset",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: ") && out.join("p.pdf").is_file());
    // The counts add up: set + overset characters = the copy.
    let t = typeset(&dir.join("p.toml")).unwrap();
    let s = get(&t, "long");
    let o = s.overset.as_ref().unwrap();
    assert_eq!(
        set_text(s).chars().count() + o.chars,
        expected_text(&dir, "long").chars().count()
    );
}

#[test]
fn no_widow_at_a_column_top() {
    // Many paragraph lengths and frame heights: no paragraph's last line alone at the top of
    // a column when it started in the previous one, unless reported.
    for chars in [700, 760, 820, 880] {
        for height in [12, 13, 14, 15] {
            let dir = temp_dir(&format!("flow-widow-{chars}-{height}"));
            story(&dir, "a", chars);
            plan(&dir, "p.toml", 1, &format!("[[story]]\nfile = \"stories/a.md\"\ncolumns = \"1-6\"\nlines = \"1-{height}\"\n"));
            let t = typeset(&dir.join("p.toml")).unwrap();
            let s = get(&t, "a");
            let lines = body_lines_on(s, 0);
            let mut widows = 0;
            for i in 1..lines.len() {
                let same =
                    |a: usize, b: usize| std::sync::Arc::ptr_eq(&lines[a].text, &lines[b].text);
                let top = lines[i].baseline < lines[i - 1].baseline;
                let last_of_para = i + 1 == lines.len() || !same(i, i + 1);
                if top && last_of_para && same(i - 1, i) {
                    widows += 1;
                }
            }
            assert!(
                widows <= s.widows,
                "{chars}/{height}: {widows} widows, {} reported",
                s.widows
            );
        }
    }
}

#[test]
fn boxed_frame_gets_a_box_rule() {
    let dir = temp_dir("flow-box");
    story(&dir, "a", 200);
    plan(
        &dir,
        "p.toml",
        1,
        "[[story]]\nfile = \"stories/a.md\"\ncolumns = \"2-3\"\nlines = \"10-30\"\nbox = true\n",
    );
    let t = typeset(&dir.join("p.toml")).unwrap();
    let g = &t.edition.pages[0].layout.grid;
    let rules: Vec<((f32, f32), (f32, f32))> = t.pages[0]
        .items
        .iter()
        .filter_map(|i| {
            if let Item::Rule { from, to, .. } = i {
                Some((*from, *to))
            } else {
                None
            }
        })
        .collect();
    // Along the frame's edges (the text one character inside).
    let (x0, x1) = (g.column_x(2), g.column_x(3) + g.column_width());
    // In the middle of the empty lines above (9) and below (31) the frame (issue 14: rules
    // centred in their gap).
    let half = g.pitch.0 / 2.0;
    let (y0, y1) = (g.line_top(10) - half, g.line_top(31) + half);
    for corner in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)] {
        let hits = rules
            .iter()
            .filter(|(a, b)| {
                [a, b]
                    .iter()
                    .any(|p| (p.0 - corner.0).abs() < 0.01 && (p.1 - corner.1).abs() < 0.01)
            })
            .count();
        assert_eq!(hits, 2, "corner {corner:?} of the box: {rules:?}");
    }
    // The text keeps one character from the box on both sides.
    let em = g.body_size.0;
    for l in t.stories[0]
        .lines
        .iter()
        .filter(|l| l.role == paiban::flow::LineRole::Body)
    {
        for gl in &l.glyphs {
            let (a, b) = (l.x + gl.x, l.x + gl.x + gl.advance);
            assert!(
                a >= x0 + em - 0.01 && b <= x1 - em + 0.01 + gl.advance / 2.0,
                "glyph at {a}..{b} within a character of the box {x0}..{x1}"
            );
        }
    }
}
