//! `paiban makeup`: budgets made up into page plans that build, fill the page and keep the
//! rules (nothing overset, at most 3 lines underset a story, no 撞题, the lead on top), or say
//! precisely why not; the same budget always gives the same plan; bad budgets are refused
//! with file:line.

mod common;
use common::*;
use paiban::flow::LineRole;
use paiban::pipeline::typeset;
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift), so the budgets are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

fn copy(n: usize, seed: usize) -> String {
    let sentences = [
        "今年以来该区以能力作风建设年活动为契机，进一步深化认识、压实责任。",
        "记者从市交通运输局获悉，城东新区主干道改造工程已进入收尾阶段。",
        "据介绍，活动共吸引三百余名青少年参加，内容涵盖科普、体育和艺术。",
    ];
    let s: Vec<char> = sentences[seed % 3].chars().collect();
    let mut out = String::new();
    for i in 0..n {
        out.push(s[i % s.len()]);
        if i % 160 == 159 {
            out.push_str("\n\n");
        }
    }
    out
}

/// A budget of `stories` stories of random lengths (the first two with photos) and `ads`
/// of the example ads, written into `dir`.
fn budget(dir: &Path, rng: &mut Rng, stories: usize, ads: usize) -> PathBuf {
    std::fs::create_dir_all(dir.join("stories")).unwrap();
    let mut text = String::from(
        "layout = \"broadsheet\"\nnumber = 3\nsection = \"要闻\"\ndate = \"2026-11-27\"\n",
    );
    let ad = root().join("input/ads/ads");
    let slots = [
        ("kongtiao.pdf", "1-4", "61-90", "红"),
        ("fanting.pdf", "5-8", "71-90", "黑"),
    ];
    for (file, c, l, class) in slots.iter().take(ads) {
        text += &format!(
            "\n[[ad]]\nfile = \"{}\"\ncolumns = \"{c}\"\nlines = \"{l}\"\nclass = \"{class}\"\n",
            ad.join(file).display()
        );
    }
    let photos = [
        root().join("input/weidong/photos/village.jpg"),
        root().join("input/weidong/photos/signing.jpg"),
    ];
    for i in 0..stories {
        // Lengths around an equal share of what the free grid holds with headlines (about
        // 75% of its body characters), from half to one and a half of it.
        let free = 8 * 90 - [0, 120, 200][ads];
        let share = free * 13 * 3 / 4 / stories;
        let n = rng.range(share / 2, share * 3 / 2);
        std::fs::write(
            dir.join(format!("stories/s{i}.md")),
            format!(
                "+++\nheadline = \"测试新闻标题第{i}条\"\n+++\n\n{}\n",
                copy(n, i)
            ),
        )
        .unwrap();
        text += &format!(
            "\n[[story]]\nfile = \"stories/s{i}.md\"\npriority = {}\n",
            if i == 0 { 1 } else { 2 + (i - 1) / 3 }
        );
        if let Some(p) = photos.get(i) {
            text += &format!("photo = {{ file = \"{}\", caption = \"▲测试图片说明。\", credit = \"记者 摄\" }}\n", p.display());
        }
    }
    let path = dir.join("budget.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The grid lines each story's headline block takes on the page as set.
fn headline_lines(t: &paiban::pipeline::Typeset) -> Vec<(String, u32, u32)> {
    let g = &t.edition.pages[0].layout.grid;
    t.stories
        .iter()
        .map(|s| {
            let lines: Vec<u32> = s
                .lines
                .iter()
                .filter(|l| l.role == LineRole::Headline)
                .map(|l| ((l.baseline - g.top.0) / g.pitch.0).floor() as u32 + 1)
                .collect();
            // The block stands at the frame's top, down to its last line.
            (
                s.id.clone(),
                s.frames[0].1.lines.0,
                *lines.iter().max().unwrap(),
            )
        })
        .collect()
}

/// Generated budgets (4–10 stories of random lengths, 0–2 ads): every plan written parses
/// and builds with nothing overset; each story is at most 3 lines underset and the grid at
/// least 97% filled, or the advice names the story (or the fill); no two headlines share a
/// line; the lead heads the page; the same budget gives the same plan.
#[test]
fn generated_budgets_make_pages_that_keep_the_rules() {
    let mut rng = Rng(0x5eed_2026);
    let words = paiban::segment::Words::in_memory();
    for case in 0..4 {
        let dir = temp_dir(&format!("makeup-gen-{case}"));
        let stories = rng.range(4, 10);
        let ads = case % 3;
        let b = budget(&dir, &mut rng, stories, ads);
        let plan = dir.join("plan.toml");
        let made = paiban::makeup::makeup(&b, &plan, 1, &words).unwrap();
        let v = &made.variants[0];
        std::fs::write(&plan, &v.text).unwrap();
        let t = typeset(&plan).unwrap_or_else(|e| panic!("case {case}: {e}\n{}", v.text));
        let advice = made.advice.join("\n");
        assert_eq!(t.stories.len(), stories, "case {case}: every story placed");
        assert_eq!(
            t.edition.pages[0].photos.len(),
            stories.min(2),
            "case {case}: every photo"
        );
        for s in &t.stories {
            let named = advice.contains(&format!("{}.md", s.id));
            assert!(
                s.overset.is_none() || named,
                "case {case}: {} overset\n{}",
                s.id,
                v.text
            );
            assert!(
                s.underset <= 3 || named,
                "case {case}: {} underset {}\n{advice}",
                s.id,
                s.underset
            );
        }
        assert!(
            v.score.fill >= 97.0 || advice.contains("fills"),
            "case {case}: {}",
            v.score.describe()
        );
        let heads = headline_lines(&t);
        for (i, a) in heads.iter().enumerate() {
            for b in heads.iter().skip(i + 1) {
                assert!(
                    a.2 < b.1 || b.2 < a.1,
                    "case {case}: 撞题 {a:?} {b:?}\n{}",
                    v.text
                );
            }
        }
        let lead = t.edition.pages[0]
            .stories
            .iter()
            .find(|s| s.file.ends_with("s0.md"))
            .unwrap();
        assert_eq!(lead.headline_style, "lead");
        let top = heads.iter().find(|h| h.0 == "s0").unwrap().1;
        assert!(
            heads.iter().all(|h| h.0 == "s0" || h.1 > top),
            "case {case}: lead on top {heads:?}"
        );
        if case == 0 {
            let again = paiban::makeup::makeup(&b, &plan, 1, &words).unwrap();
            assert_eq!(again.variants[0].text, v.text, "case {case}: deterministic");
        }
    }
}

/// The CLI writes the plan and its proof; `--variants 2` a second plan with its own score.
#[test]
fn makeup_writes_plans_and_proofs() {
    let dir = temp_dir("makeup-cli");
    let b = budget(&dir, &mut Rng(7), 5, 1);
    let (code, _, err) = paiban(&["makeup", b.to_str().unwrap(), "--variants", "2"]);
    assert_eq!(code, 0, "{err}");
    let plan = dir.join("budget-plan.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(text.starts_with("# Made up by `paiban makeup`"), "{text}");
    assert!(dir.join("budget-plan-p03.png").exists(), "{err}");
    assert!(err.contains("score"), "{err}");
    if dir.join("budget-plan-v2.toml").exists() {
        assert!(dir.join("budget-plan-v2-p03.png").exists());
    }
    let (code, _, err) = paiban(&[
        "build",
        plan.to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

/// Bad budgets: overlapping ads, a missing story, more copy than a page holds.
#[test]
fn bad_budgets_are_refused_with_their_place() {
    let dir = temp_dir("makeup-bad");
    let b = budget(&dir, &mut Rng(3), 4, 2);
    let text = std::fs::read_to_string(&b).unwrap();
    // Overlapping ads.
    let overlap = text
        .replacen("lines = \"71-90\"", "lines = \"60-90\"", 1)
        .replacen("columns = \"5-8\"", "columns = \"4-8\"", 1);
    std::fs::write(&b, &overlap).unwrap();
    let (code, _, err) = paiban(&["makeup", b.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("budget.toml:") && err.contains("overlaps"),
        "{err}"
    );
    // A story file missing.
    std::fs::write(&b, text.replace("stories/s2.md", "stories/nope.md")).unwrap();
    let (code, _, err) = paiban(&["makeup", b.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("budget.toml:") && err.contains("nope.md") && err.contains("not found"),
        "{err}"
    );
    // More copy than any page can hold.
    std::fs::write(
        dir.join("stories/s1.md"),
        format!("+++\nheadline = \"长\"\n+++\n\n{}\n", copy(12000, 1)),
    )
    .unwrap();
    std::fs::write(&b, &text).unwrap();
    let (code, _, err) = paiban(&["makeup", b.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("more copy than the page can hold"), "{err}");
    assert!(!dir.join("budget-plan.toml").exists());
}

/// Too little copy for the page: the plan is still written, and the advice says which story
/// to lengthen by how many characters (measured as `check --fit` does).
#[test]
fn too_little_copy_gets_a_plan_and_what_to_add() {
    let dir = temp_dir("makeup-short");
    std::fs::create_dir_all(dir.join("stories")).unwrap();
    let mut text = String::from(
        "layout = \"broadsheet\"\nnumber = 3\nsection = \"要闻\"\ndate = \"2026-11-27\"\n",
    );
    for i in 0..4 {
        std::fs::write(
            dir.join(format!("stories/s{i}.md")),
            format!(
                "+++\nheadline = \"短稿标题第{i}条\"\n+++\n\n{}\n",
                copy(200, i)
            ),
        )
        .unwrap();
        text += &format!(
            "\n[[story]]\nfile = \"stories/s{i}.md\"\npriority = {}\n",
            i + 1
        );
    }
    let b = dir.join("budget.toml");
    std::fs::write(&b, text).unwrap();
    let words = paiban::segment::Words::in_memory();
    let made = paiban::makeup::makeup(&b, &dir.join("plan.toml"), 1, &words).unwrap();
    let advice = made.advice.join("\n");
    assert!(advice.contains("lengthen by up to"), "{advice}");
    let n: usize = advice
        .split("lengthen by up to ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(n > 100, "{advice}");
    std::fs::write(dir.join("plan.toml"), &made.variants[0].text).unwrap();
    assert!(typeset(&dir.join("plan.toml")).is_ok());
}
