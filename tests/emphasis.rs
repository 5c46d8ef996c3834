//! Emphasis in the copy (issue 19): `**strong**` in the strong face (黑体), `*emphasis*` in
//! the emphasis face (楷体), `[…]{.dots}` with a dot under each Han character (not under
//! punctuation), escapes as text, and none of it changing the grid.

mod common;
use common::*;
use paiban::page::Item;

fn page(name: &str, copy: &str) -> paiban::pipeline::Typeset {
    let dir = temp_dir(name);
    std::fs::write(
        dir.join("s.md"),
        format!("+++\nheadline = \"强调\"\n+++\n\n{copy}\n\n第二段正常排。\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("p.toml"),
        "layout = \"broadsheet\"\nnumber = 1\nsection = \"测试\"\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1-2\"\nlines = \"1-16\"\n",
    )
    .unwrap();
    paiban::pipeline::typeset(&dir.join("p.toml")).unwrap()
}

/// The text of the body glyphs of `t`'s page set in font role `role`.
fn in_role(t: &paiban::pipeline::Typeset, role: &str) -> String {
    let mut out = String::new();
    for item in &t.pages[0].items {
        if let Item::Text(r) = item {
            if r.role != paiban::flow::LineRole::Body {
                continue;
            }
            for g in &r.glyphs {
                if t.book.role(g.face) == Some(role) {
                    out.push_str(&r.text[g.start as usize..g.end as usize]);
                }
            }
        }
    }
    out
}

#[test]
fn strong_and_emphasis_are_set_in_their_faces_on_the_grid() {
    let t = page(
        "emph-faces",
        "正文里**黑体强调**和*楷体引语*，星号\\*照排。",
    );
    assert_eq!(in_role(&t, "sans-bold"), "黑体强调");
    assert!(in_role(&t, "kai").contains("楷体引语"));
    let body: Vec<&paiban::page::TextRun> = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if r.role == paiban::flow::LineRole::Body => Some(r),
            _ => None,
        })
        .collect();
    // The escaped star is text; the markers are not.
    let all: String = body.iter().map(|r| r.text.to_string()).collect();
    assert!(all.contains("星号*照排") && !all.contains("**"), "{all}");
    // Every glyph at the body size, every line on the 15 pt grid.
    assert!(body
        .iter()
        .flat_map(|r| r.glyphs.iter())
        .all(|g| g.size == 9.0));
    let plain = page("emph-plain", "正文里黑体强调和楷体引语，星号*照排。");
    let baselines = |t: &paiban::pipeline::Typeset| -> Vec<f32> {
        t.pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(r) if r.role == paiban::flow::LineRole::Body => Some(r.baseline),
                _ => None,
            })
            .collect()
    };
    assert_eq!(baselines(&t), baselines(&plain));
}

#[test]
fn emphasis_dots_stand_under_han_characters_only() {
    let t = page("emph-dots", "请注意[着重号，标记]{.dots}的位置。");
    let dots: Vec<(f32, f32)> = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Dots { from, to, .. } if from == to => Some(*from),
            _ => None,
        })
        .collect();
    // 着重号标记: five Han characters; the comma gets none.
    assert_eq!(dots.len(), 5, "{dots:?}");
    // Each under its character: below the baseline, within the line's box.
    let line = t.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Text(r)
                if r.text.contains("着重号") && r.role == paiban::flow::LineRole::Body =>
            {
                Some(r)
            }
            _ => None,
        })
        .unwrap();
    for (x, y) in &dots {
        assert!(*y > line.baseline && *y < line.baseline + 4.0);
        let under = line
            .glyphs
            .iter()
            .find(|g| line.x + g.x <= *x && *x <= line.x + g.x + g.advance)
            .unwrap();
        let c = line.text[under.start as usize..].chars().next().unwrap();
        assert!("着重号标记".contains(c), "a dot under {c}");
    }
}
