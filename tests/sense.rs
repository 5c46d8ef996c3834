//! Breaks by sense (issue 14): headlines and bylines never break inside a word or a name,
//! numbers keep their units, long Latin tokens break at their marks or hyphenation points
//! instead of loosening lines, and no glyph leaves its measure. Expected breaks are written as
//! the lines' texts.

mod common;
use paiban::fonts::FontBook;
use paiban::linebreak::{
    break_display, break_lines, breaks_against_sense, justify, sense, Line, Measures, LOOSE,
};
use paiban::model::layout::resolve_layout;
use paiban::model::{Kinsoku, Punctuation, TextOptions};
use paiban::segment::Words;
use paiban::shape::class::normalize;
use paiban::shape::{shape, Para, Run};
use std::path::Path;
use std::sync::OnceLock;

const EM: f32 = 9.0;

fn book() -> &'static FontBook {
    static BOOK: OnceLock<FontBook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let l = resolve_layout("broadsheet", Path::new("/none/p.toml"), "", 0).unwrap();
        FontBook::new(&l.fonts)
    })
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(Words::in_memory)
}

fn opts() -> TextOptions {
    TextOptions {
        punctuation: Punctuation::Full,
        kinsoku: Kinsoku::Basic,
        fullwidth_ascii: true,
        hanging: false,
    }
}

/// A paragraph: an optional byline run in sans-bold, then the text in the serif face.
fn para(byline: &str, text: &str, indent: bool, role: &str) -> Para {
    let b = book();
    let by = normalize(byline, true);
    let t = normalize(text, true);
    let mut runs = Vec::new();
    if !by.is_empty() {
        runs.push(Run {
            text: &by,
            face: b.id("sans-bold").unwrap(),
            size: EM,
            keep: false,
        });
    }
    runs.push(Run {
        text: &t,
        face: b.id(role).unwrap(),
        size: EM,
        keep: false,
    });
    let mut p = shape(&runs, if indent { 2.0 } else { 0.0 }, &opts(), b).unwrap();
    sense::mark(&mut p, words(), by.len());
    p
}

fn texts(p: &Para, lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let s = p.atoms[l.start].text.start as usize;
            let e = p.atoms[l.end - 1].text.end as usize;
            p.text[s..e].to_string()
        })
        .collect()
}

/// A headline set in a measure of `chars` em.
fn headline(text: &str, chars: f32) -> Vec<String> {
    let p = para("", text, false, "sans-bold");
    let lines = break_display(
        &p,
        Measures {
            widths: &[chars * EM],
        },
    );
    assert_eq!(breaks_against_sense(&p, &lines), 0, "{text} at {chars} em");
    texts(&p, &lines)
        .into_iter()
        .map(|l| l.trim_matches('\u{3000}').to_string())
        .collect()
}

/// Body copy in a measure of `chars` em: its lines, after checking that none is loose or
/// forced, none overflows its measure and no line but the last holds a single character.
fn body(byline: &str, text: &str, chars: f32) -> Vec<String> {
    body_checked(byline, text, chars, true)
}

/// [`body`], checking loose lines only when `tight` (a narrow measure may leave no choice).
fn body_checked(byline: &str, text: &str, chars: f32, tight: bool) -> Vec<String> {
    let p = para(byline, text, true, "serif");
    let text = format!("{text} at {chars} em");
    let w = chars * EM;
    let lines = break_lines(&p, Measures { widths: &[w] });
    let t = texts(&p, &lines);
    for (l, s) in lines.iter().zip(&t) {
        let (glyphs, set) = justify(&p, l);
        assert!(set <= w + 0.01, "line `{s}` is {set} pt in {w} pt");
        for g in glyphs.iter().filter(|g| inked(&p, g)) {
            assert!(
                left(&p, g) >= -0.01 && right(&p, g) <= w + 0.05,
                "a glyph of `{s}` leaves the measure: {} + {} > {w}",
                g.x,
                g.advance
            );
        }
        assert!(!tight || !l.forced, "forced line `{s}` in {t:?} ({text})");
        assert!(
            !tight || l.spacing <= LOOSE,
            "loose line `{s}` ({} em) in {t:?}",
            l.spacing
        );
        if !l.last && tight {
            assert!(s.chars().count() > 1, "one character alone: {t:?} ({text})");
        }
    }
    t
}

/// Whether a glyph puts ink on the page (not a space).
fn inked(p: &Para, g: &paiban::linebreak::PlacedGlyph) -> bool {
    !p.text[g.start as usize..g.end as usize]
        .chars()
        .all(char::is_whitespace)
}

/// The right edge of a glyph's ink box: a full-width stop or closing mark has its ink in the
/// left half of its advance (mainland style), an opening mark in the right half.
fn right(p: &Para, g: &paiban::linebreak::PlacedGlyph) -> f32 {
    use paiban::shape::class::{class_of, Class};
    let c = p.text[g.start as usize..].chars().next();
    match c.map(class_of) {
        Some(Class::Stop | Class::Closing) if g.end > g.start => g.x + g.advance / 2.0,
        _ => g.x + g.advance,
    }
}

/// The left edge of a glyph's ink box (an opening mark's ink is in the right half).
fn left(p: &Para, g: &paiban::linebreak::PlacedGlyph) -> f32 {
    use paiban::shape::class::{class_of, Class};
    let c = p.text[g.start as usize..].chars().next();
    match c.map(class_of) {
        Some(Class::Opening) if g.end > g.start => g.x + g.advance / 2.0,
        _ => g.x,
    }
}

/// Whether a break between `before` and `after` splits a number from its unit.
fn splits_unit(before: &str, after: &str) -> bool {
    let units = [
        "年", "月", "日", "时", "分", "万", "亿", "元", "美元", "平方米", "公里", "%", "℃",
    ];
    before.chars().last().is_some_and(|c| c.is_ascii_digit())
        && units.iter().any(|u| after.starts_with(u))
}

#[test]
fn headlines_break_between_words() {
    let h = headline("区司法局切实抓好法律援助工作", 10.0);
    assert!(
        h == ["区司法局切实", "抓好法律援助工作"] || h == ["区司法局切实抓好", "法律援助工作"],
        "{h:?}"
    );
    let h = headline("区城管局开展行政执法程序规范化", 9.0);
    assert!(!h.iter().any(|l| l.ends_with("程")), "{h:?}");
    assert!(!h.iter().any(|l| l.ends_with("城管")), "{h:?}");
    let h = headline("“青川通”APP上线", 6.0);
    assert!(!h.iter().any(|l| l.ends_with('上')), "{h:?}");
    let h = headline("全市2026年度重点项目集中开工", 7.0);
    assert!(!h.iter().any(|l| l.ends_with('年')), "{h:?}");
}

#[test]
fn headlines_prefer_spaces_and_balance() {
    // A space is a phrase boundary: the break goes there, not after the first 10 characters.
    assert_eq!(
        headline("多向发力 精准施策抓出发展新动能", 12.0),
        ["多向发力", "精准施策抓出发展新动能"]
    );
}

#[test]
fn bylines_break_only_between_credits() {
    let lines = body(
        "本报讯（记者朱江森实习生李曼琪）",
        "近日，区里召开会议，部署下一阶段的工作任务。",
        13.0,
    );
    assert!(lines[0].ends_with("朱江森"), "{lines:?}");
    for chars in [9.0, 11.0, 13.0] {
        let lines = body_checked(
            "本报讯（记者 朱江森 实习生 李曼琪 通讯员 马玥）",
            "“饭菜可口，价格实惠，我们老两口每天都来。”",
            chars,
            false,
        );
        for l in &lines {
            let l = l.trim_end_matches('\u{3000}');
            for title in ["记者", "实习生", "通讯员"] {
                assert!(!l.ends_with(title), "a title left without its name: {lines:?}");
            }
        }
    }
    let lines = body(
        "本报讯（通讯员马玥 欧阳娜娜）",
        "昨日，记者从区教育局获悉，今年全区新建学校三所。",
        12.0,
    );
    for l in &lines {
        for bad in ["通", "讯", "马", "欧", "欧阳", "欧阳娜"] {
            assert!(!l.ends_with(bad), "{lines:?}");
        }
    }
}

#[test]
fn numbers_keep_their_units_at_every_measure() {
    let copy = "7月24日，全区共完成固定资产投资28094万元，新建厂房1,280万平方米，引进外资3.2亿美元。\
                会议定于2026年11月20日下午4:30召开，气温最高38℃，同比增长12.5%。";
    for chars in 6..=16 {
        let lines = body_checked("", copy, chars as f32, chars >= 13);
        for pair in lines.windows(2) {
            assert!(
                !splits_unit(&pair[0], &pair[1]),
                "{chars} em: `{}` | `{}`",
                pair[0],
                pair[1]
            );
        }
        if chars >= 12 {
            let all = lines.join("|");
            assert!(!all.contains("下午|4"), "{chars} em: {lines:?}");
        }
    }
}

#[test]
fn addresses_break_at_their_marks_rather_than_loosen_lines() {
    let copy = "市民如有意见，可登录www.pdsxw.gov.cn/hudong/zixun反映，也可以发邮件至\
                wdxw2026@pdsxw.com，或拨打(0375)6155012咨询。";
    for chars in [7.0, 9.0, 13.0, 15.0] {
        let lines = body_checked("", copy, chars, false);
        // Before breaks by sense this copy left 5 letter-spaced lines in a row at 13 em; a
        // 30-character URL, an e-mail address and a phone number kept whole may still leave
        // one.
        if chars >= 13.0 {
            let p = para("", copy, true, "serif");
            let set = break_lines(&p, Measures { widths: &[chars * EM] });
            let loose = set.iter().filter(|l| l.spacing > LOOSE).count();
            assert!(loose <= 1, "{loose} loose lines at {chars} em: {lines:?}");
        }
        assert!(
            chars < 9.0 || lines.iter().any(|l| l.contains("（0375）6155012")),
            "the phone number is split: {lines:?}"
        );
    }
}

#[test]
fn long_english_words_are_hyphenated_and_never_cross_the_measure() {
    let copy = "他用英文写道：“Internationalization and interoperability are \
                supercalifragilisticexpialidociousnesses of newspapers.”并表示感谢。";
    for chars in [6.0, 9.0, 13.0] {
        let p = para("", copy, true, "serif");
        let w = chars * EM;
        let lines = break_lines(&p, Measures { widths: &[w] });
        let mut hyphens = 0;
        for l in &lines {
            let (glyphs, set) = justify(&p, l);
            assert!(set <= w + 0.01);
            hyphens += glyphs.iter().filter(|g| g.start == g.end).count();
            for g in glyphs.iter().filter(|g| inked(&p, g)) {
                assert!(right(&p, g) <= w + 0.05, "glyph past the measure at {chars} em");
            }
        }
        assert!(hyphens > 0, "no hyphenated line at {chars} em");
        // Every character of the copy is on a line.
        let t: String = texts(&p, &lines).concat();
        assert_eq!(
            t.chars().filter(|c| !c.is_whitespace()).count(),
            p.text.chars().filter(|c| !c.is_whitespace()).count()
        );
    }
}

#[test]
fn a_token_wider_than_its_column_is_broken_not_drawn_across() {
    let copy = "编号123456789012345678901234567890已登记，\
                Pneumonoultramicroscopicsilicovolcanoconiosis一词。";
    for chars in [5.0, 8.0] {
        let p = para("", copy, false, "serif");
        let w = chars * EM;
        for l in &break_lines(&p, Measures { widths: &[w] }) {
            let (glyphs, _) = justify(&p, l);
            for g in glyphs.iter().filter(|g| inked(&p, g)) {
                assert!(right(&p, g) <= w + 0.05, "glyph past {w} pt");
            }
        }
    }
}

#[test]
fn dashes_are_two_em_and_one_piece() {
    let p = para("", "他说——这是第一次", false, "serif");
    let dash = p
        .atoms
        .iter()
        .find(|a| &p.text[a.text.start as usize..a.text.end as usize] == "——")
        .unwrap();
    assert_eq!(dash.width, 2.0 * EM);
}

#[test]
#[ignore]
fn debug_print() {
    for (copy, chars) in [
        ("7月24日，全区共完成固定资产投资28094万元，新建厂房1,280万平方米，引进外资3.2亿美元。会议定于2026年11月20日下午4:30召开，气温最高38℃，同比增长12.5%。", 9.0),
        ("他用英文写道：“Internationalization and interoperability are supercalifragilisticexpialidociousnesses of newspapers.”并表示感谢。", 6.0),
        ("他用英文写道：“Internationalization and interoperability are supercalifragilisticexpialidociousnesses of newspapers.”并表示感谢。", 9.0),
    ] {
        let p = para("", copy, true, "serif");
        let w = chars * EM;
        let lines = paiban::linebreak::break_lines_unpruned(&p, Measures { widths: &[w] });
        for l in &lines {
            let (glyphs, set) = justify(&p, l);
            let right = glyphs.iter().map(|g| g.x + g.advance).fold(0.0f32, f32::max);
            let s = p.atoms[l.start].text.start as usize;
            let e = p.atoms[l.end - 1].text.end as usize;
            println!("{:>6.2} {:>6.2} {:.2} {} {}|", set, right, l.spacing, if l.forced {"!"} else {" "}, &p.text[s..e]);
        }
        println!();
    }
}
