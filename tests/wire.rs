//! Wire stories (issue 19, part 2): a NITF file and a NewsML-G2 item set on one broadsheet
//! page; everything the story reader took from them reaches the page, in order.

mod common;
use common::*;
use paiban::flow::LineRole;
use paiban::model::{load_story, Block};

/// The folded text (no white space, ASCII marks full width) of a story's lines of these roles.
fn set_text(story: &paiban::flow::FlowedStory, roles: &[LineRole]) -> String {
    story
        .lines
        .iter()
        .filter(|l| roles.contains(&l.role))
        .map(|l| fold(&line_text(l)))
        .collect()
}

#[test]
fn nitf_and_newsml_g2_stories_reach_the_page_whole_and_in_order() {
    let dir = root().join("tests/data/wire");
    let t = paiban::pipeline::typeset(&dir.join("p.toml")).unwrap();
    assert_eq!(t.stories.len(), 2);
    for file in ["gonglu.xml", "lvyou.xml"] {
        let story = load_story(&dir.join(file)).unwrap();
        let set = t
            .stories
            .iter()
            .find(|s| s.id == story.id)
            .unwrap_or_else(|| panic!("{file} is not on the page"));
        assert!(set.overset.is_none(), "{file} is overset");
        // The headline block: 主题 then 副题.
        let display = fold(&format!(
            "{}{}",
            story.headline,
            story.subhead.as_deref().unwrap_or("")
        ));
        assert_eq!(set_text(set, &[LineRole::Headline]), display, "{file}");
        // The body: the byline, then every paragraph and cross-head, in order.
        let mut copy = story.byline.clone().unwrap_or_default();
        for b in &story.blocks {
            copy.push_str(b.text());
        }
        let body = set_text(set, &[LineRole::Body, LineRole::CrossHead]);
        assert_eq!(body, fold(&copy), "{file}");
        // Nothing lost, counted as the copy-fit report counts.
        assert_eq!(body.chars().count(), set.chars, "{file}");
        let cross_heads = story
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::CrossHead(_)))
            .count();
        let cross_lines = set
            .lines
            .iter()
            .filter(|l| l.role == LineRole::CrossHead)
            .count();
        assert!(
            cross_lines >= cross_heads,
            "{file}: cross-heads not set as such"
        );
    }
    // What each file gave, as the story reader should map it.
    let gonglu = load_story(&dir.join("gonglu.xml")).unwrap();
    assert_eq!(gonglu.headline, "平顶山今年新建改建农村公路600公里");
    assert_eq!(
        gonglu.subhead.as_deref(),
        Some("“四好农村路”连起城乡 群众出行更便捷")
    );
    assert_eq!(
        gonglu.byline.as_deref(),
        Some("本报记者 王晓燕 通讯员 李明")
    );
    assert_eq!(gonglu.blocks.len(), 8);
    assert_eq!(gonglu.blocks[7], Block::Paragraph("（完）".into()));
    let lvyou = load_story(&dir.join("lvyou.xml")).unwrap();
    assert_eq!(lvyou.headline, "冬季旅游带火豫西山村");
    assert_eq!(
        lvyou.subhead.as_deref(),
        Some("尧山滑雪场日均接待游客三千人次")
    );
    assert_eq!(lvyou.byline.as_deref(), Some("本报记者 张强"));
    assert!(matches!(
        lvyou.blocks.last(),
        Some(Block::Paragraph(p)) if p.starts_with("Visitors from Zhengzhou & Luoyang")
    ));
}

#[test]
fn what_is_not_mapped_is_reported_by_check() {
    let plan = root().join("tests/data/wire/p.toml");
    let (code, stdout, stderr) = paiban(&["check", "--format", "json", plan.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["ok"], true);
    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| format!("{}: {}", w["file"].as_str().unwrap_or(""), w["message"]))
        .collect();
    let has = |file: &str, what: &str| {
        warnings
            .iter()
            .any(|w| w.contains(file) && w.contains(what))
    };
    assert!(has("gonglu.xml", "line 36: `<media>`"), "{warnings:#?}");
    assert!(has("gonglu.xml", "photos/road.jpg"), "{warnings:#?}");
    assert!(has("gonglu.xml", "`<tagline>`"), "{warnings:#?}");
    assert!(has("lvyou.xml", "`<block>`"), "{warnings:#?}");
    // Emphasis in paragraphs is set, so nothing to warn of.
    assert!(!has("gonglu.xml", "emphasis"), "{warnings:#?}");
    assert!(!has("lvyou.xml", "emphasis"), "{warnings:#?}");
}

#[test]
fn wire_emphasis_is_set_as_emphasis() {
    use paiban::model::emphasis::Emphasis;
    let dir = root().join("tests/data/wire");
    // Each story's spans as (kind, text).
    let spans = |file: &str| -> Vec<(Emphasis, String)> {
        load_story(&dir.join(file))
            .unwrap()
            .blocks
            .iter()
            .flat_map(|b| match b {
                Block::Rich(text, spans) => spans
                    .iter()
                    .map(|s| (s.kind, text[s.range.clone()].to_string()))
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    };
    assert_eq!(
        spans("gonglu.xml"),
        [
            (Emphasis::Emphasis, "通村通组".to_string()),
            (Emphasis::Strong, "县、乡、村三级路长制".to_string())
        ]
    );
    assert_eq!(
        spans("lvyou.xml"),
        [(Emphasis::Emphasis, "一房难求".to_string())]
    );
    // On the page: the strong span in the strong style's face (the layout's sans-bold).
    let t = paiban::pipeline::typeset(&dir.join("p.toml")).unwrap();
    let sans = t.book.id("sans-bold").unwrap();
    // (A line's text is its paragraph's: the span's glyphs are on one of its lines.)
    let strong_glyphs = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            paiban::page::Item::Text(r)
                if r.role == LineRole::Body && r.text.contains("三级路长制") =>
            {
                Some(r.glyphs.iter().filter(|g| g.face == sans).count())
            }
            _ => None,
        })
        .sum::<usize>();
    assert_eq!(
        strong_glyphs,
        "县、乡、村三级路长制".chars().count(),
        "the strong span's characters, each in the sans-bold face"
    );
}

#[test]
fn a_wire_story_given_to_build_is_named_for_what_it_is() {
    let out = temp_dir("wire-story-as-plan");
    let story = root().join("tests/data/wire/lvyou.xml");
    let (code, _, stderr) = paiban(&[
        "build",
        story.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("this is a wire story file (NITF or NewsML-G2)"),
        "{stderr}"
    );
}

/// The example page of copy as it arrives (input/copy): wire stories, a photo captioned by its
/// own metadata, emphasis of all three kinds and Ext. B–F names, all on the page.
#[test]
fn the_copy_example_sets_everything_it_was_given() {
    use paiban::page::Item;
    let ed = root().join("input/copy");
    let t = paiban::pipeline::typeset(&ed).unwrap();
    assert!(t.overset().is_empty(), "{:?}", t.overset());
    for s in &t.stories {
        let story = load_story(&s.file).unwrap();
        let mut copy = story.byline.clone().unwrap_or_default();
        for b in &story.blocks {
            copy.push_str(b.text());
        }
        let body = set_text(s, &[LineRole::Body, LineRole::CrossHead]);
        assert_eq!(body, fold(&copy), "{}", s.id);
    }
    let page = &t.pages[0];
    // The photo's caption and credit, from its IPTC record (the plan gives neither).
    assert_eq!(page.photo_ppi[0].caption_source, "IPTC");
    let texts: String = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) => Some(r.text.to_string()),
            _ => None,
        })
        .collect();
    assert!(
        texts.contains("一枚运载火箭在发射场点火升空"),
        "no metadata caption"
    );
    assert!(texts.contains("林青　摄"), "no metadata credit");
    // 着重号: a dot under each of the 15 Han characters of the dots span.
    let dots = page
        .items
        .iter()
        .filter(|i| matches!(i, Item::Dots { from, to, .. } if from == to))
        .count();
    assert_eq!(dots, "每一个生僻字都能准确录入和打印".chars().count());
    // Strong and emphasis in their faces; the Ext. B–F names from the fallback.
    let faces = |role: &str| {
        let id = t.book.id(role).unwrap();
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text(r) if r.role == LineRole::Body => {
                    Some(r.glyphs.iter().filter(|g| g.face == id).count())
                }
                _ => None,
            })
            .sum::<usize>()
    };
    assert!(faces("kai") >= "过去生僻字录不进系统".chars().count());
    assert!(faces("fallback 1") >= 10, "the 生僻字 of the names");
}
