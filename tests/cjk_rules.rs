//! The hard cases of cjk-rules.md §7 and property tests of line composition over seeded
//! random copy. Expected breaks are layout snapshots: one line per row, `|` at the line end,
//! `~` for a loose line, `!` for a forced one.

mod common;
use common::Rng;
use paiban::fonts::FontBook;
use paiban::linebreak::{break_lines, justify, snapshot, Line, Measures};
use paiban::model::{Kinsoku, Punctuation, TextOptions};
use paiban::shape::class::{class_of, normalize, Class};
use paiban::shape::{shape, Para, Run};

const EM: f32 = 9.0;

fn book() -> &'static FontBook {
    common::broadsheet_book()
}

fn opts() -> TextOptions {
    common::basic_opts()
}

fn para(text: &str, indent: bool, o: &TextOptions) -> Para {
    let b = book();
    let t = normalize(text, o.fullwidth_ascii);
    let face = b.id("serif").unwrap();
    shape(
        &[Run {
            text: &t,
            face,
            size: EM,
            keep: false,
        }],
        if indent { 2.0 } else { 0.0 },
        o,
        b,
    )
    .unwrap_or_else(|_| panic!("shape {text}"))
}

fn set(text: &str, chars: u32, indent: bool, o: &TextOptions) -> (Para, Vec<Line>) {
    let p = para(text, indent, o);
    let widths = [chars as f32 * EM];
    let lines = break_lines(&p, Measures { widths: &widths });
    (p, lines)
}

fn snap(text: &str, chars: u32, indent: bool, o: &TextOptions) -> String {
    let (p, lines) = set(text, chars, indent, o);
    snapshot(&p, &lines)
}

fn set_width(p: &Para, l: &Line) -> f32 {
    justify(p, l).1
}

/// §7.1 push-in vs push-out: `。` would fall at position 14 of a 13-character line; with no
/// blank to take, the last character is carried down (push-out) and the line spread.
#[test]
fn case01_push_out_when_nothing_can_be_pushed_in() {
    let s = snap("一二三四五六七八九十甲乙丙。丁戊己庚", 13, false, &opts());
    assert_eq!(s, "一二三四五六七八九十甲乙|\n丙。丁戊己庚|\n");
    // The example sentence after the 2-em indent, in a 12-character measure.
    let s = snap(
        "本报讯（记者李曙光）昨日，市政府召开新闻发布会。",
        12,
        true,
        &opts(),
    );
    for line in s.lines() {
        let first = line.chars().next().unwrap();
        assert!(
            !matches!(class_of(first), Class::Stop | Class::Closing),
            "{s}"
        );
    }
}

/// §7.1 push-in: the blank halves the rules allow (`）。` adjacent, line-end mark) make room.
#[test]
fn case01_push_in_takes_adjacent_blank_halves() {
    // 12 ideographs + `）。`: ） half before 。, 。 half at line end: exactly 13 em.
    let s = snap("一二三四五六七八九十甲乙）。丙丁", 13, false, &opts());
    assert_eq!(s, "一二三四五六七八九十甲乙）。|\n丙丁|\n");
}

/// §7.2 adjacent punctuation: each adjacent pair takes 1.5 em.
#[test]
fn case02_adjacent_marks_take_one_and_a_half_em() {
    let p = para("他说：“我们‘不放弃’。”", false, &opts());
    let w: Vec<f32> = p.atoms.iter().map(|a| a.width / EM).collect();
    // 他 说 ：“ 我 们 ‘ 不 放 弃 ’。”
    assert_eq!(
        w,
        vec![1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 1.0]
    );
}

/// §7.3 an opening mark at paragraph start (after the indent) and at a line start loses its
/// blank half.
#[test]
fn case03_opening_mark_at_line_start_is_half_width() {
    let p = para("“城东新区……", true, &opts());
    assert_eq!(p.atoms[1].width, 0.5 * EM, "“ after the indent");
    let (p, lines) = set("一二三四五六七八九十甲乙丙（本报记者）", 13, false, &opts());
    assert_eq!(
        snapshot(&p, &lines),
        "一二三四五六七八九十甲乙丙|\n（本报记者）|\n"
    );
    // （ ½ + 本报记者 4 + ） ½ at paragraph end.
    assert!((set_width(&p, &lines[1]) - 5.0 * EM).abs() < 0.01);
}

/// §7.4 `——` and `……` are 2-em units: never split; strict kinsoku keeps them off line starts.
#[test]
fn case04_dashes_and_ellipses_are_inseparable() {
    let p = para("他说——这是第一次……", false, &opts());
    let units: Vec<(Class, f32)> = p.atoms.iter().map(|a| (a.class, a.width / EM)).collect();
    assert_eq!(units[2], (Class::Inseparable, 2.0));
    assert_eq!(units.last().copied(), Some((Class::Inseparable, 2.0)));
    let strict = TextOptions {
        kinsoku: Kinsoku::Strict,
        ..opts()
    };
    let text = "一二三四五六七八九十甲乙丙——丁戊";
    assert_eq!(
        snap(text, 13, false, &strict),
        "一二三四五六七八九十甲乙|\n丙——丁戊|\n"
    );
    assert_eq!(
        snap(text, 13, false, &opts()),
        "一二三四五六七八九十甲乙丙|\n——丁戊|\n"
    );
    for chars in 3..16 {
        for line in snap("他说——这是第一次……真的吗……好", chars, false, &opts()).lines()
        {
            assert_eq!(line.matches('—').count() % 2, 0, "split dash: {line}");
            assert_eq!(line.matches('…').count() % 2, 0, "split ellipsis: {line}");
        }
    }
}

/// §7.5 no break inside numbers, Latin words, units and URLs; ¼ em CJK–Latin spacing, none
/// at line edges.
#[test]
fn case05_latin_tokens_stay_whole_with_quarter_em_spacing() {
    let text = "2023年GDP增长5.2%，PM2.5降至35微克/立方米，详见www.example.gov.cn";
    let tokens = ["2023", "GDP", "5.2%", "PM2.5", "35", "www.example.gov.cn"];
    for chars in 10..=27 {
        let s = snap(text, chars, false, &opts());
        let joined: String = s
            .lines()
            .map(|l| l.trim_end_matches(['|', '~', '!']))
            .collect();
        assert_eq!(joined, normalize(text, true), "text lost at {chars}");
        for t in tokens {
            // The URL is wider than a 10-character measure: only there may it break.
            assert!(
                s.lines().any(|l| l.contains(t)) || (chars < 11 && t.starts_with("www")),
                "{t} split at {chars}:\n{s}"
            );
        }
    }
    let p = para(text, false, &opts());
    let gaps: Vec<f32> = p
        .gaps
        .iter()
        .filter(|g| g.natural > 0.0)
        .map(|g| g.natural / EM)
        .collect();
    // 2023|年 年|GDP GDP|增 长|5.2% PM2.5|降 至|35 35|微 见|www (none next to ， or /)
    assert_eq!(gaps.len(), 8, "{gaps:?}");
    assert!(gaps.iter().all(|g| (*g - 0.25).abs() < 1e-6));
    // At a line edge the gap vanishes: a line ending in a token is no wider than its measure.
    for chars in 10..=27 {
        let (p, lines) = set(text, chars, false, &opts());
        for l in &lines {
            // The URL is wider than a 10-character measure: it alone may break (forced).
            assert!(
                set_width(&p, l) <= chars as f32 * EM + 0.01,
                "{chars}: {}",
                snapshot(&p, &lines)
            );
            assert!(
                !l.forced || chars < 11,
                "forced break at {chars}: {}",
                snapshot(&p, &lines)
            );
        }
    }
}

/// §7.6 ASCII marks and ambiguous quotes are set full width.
#[test]
fn case06_ascii_marks_and_quotes_are_full_width() {
    assert_eq!(
        normalize("本报讯(记者 李曙光)", true),
        "本报讯（记者　李曙光）"
    );
    let p = para("本报讯(记者李曙光)说“好”的", false, &opts());
    let widths: Vec<f32> = p.atoms.iter().map(|a| a.width / EM).collect();
    assert_eq!(widths, vec![1.0; 15]);
}

/// §7.7 the interpunct is ½ em and never starts a line.
#[test]
fn case07_interpunct_is_half_em_and_never_starts_a_line() {
    let p = para("阿卜杜勒·拉赫曼", false, &opts());
    assert_eq!(p.atoms[4].width, 0.5 * EM);
    let s = snap("一二三四五六七八九十阿卜杜勒·拉赫曼", 14, false, &opts());
    assert!(s.lines().all(|l| !l.starts_with('·')), "{s}");
}

/// §7.8 jump lines: a jump line is one unit (a `keep` run) and the copy around it obeys
/// kinsoku.
#[test]
fn case08_jump_line_stays_whole() {
    let b = book();
    let face = b.id("serif").unwrap();
    for chars in 8..=13 {
        let runs = [
            Run {
                text: "……市民纷纷表示，",
                face,
                size: EM,
                keep: false,
            },
            Run {
                text: "（下转第三版）",
                face,
                size: EM,
                keep: true,
            },
        ];
        let p = shape(&runs, 0.0, &opts(), b).unwrap();
        let lines = break_lines(
            &p,
            Measures {
                widths: &[chars as f32 * EM],
            },
        );
        let s = snapshot(&p, &lines);
        assert!(
            s.lines()
                .any(|l| l.starts_with("（下转第三版）") || l.contains("，（下转第三版）")),
            "{s}"
        );
        assert!(s.lines().all(|l| !l.starts_with('，')), "{s}");
    }
    let s = snap("（上接第一版）“这是好事。”", 13, false, &opts());
    assert_eq!(s, "（上接第一版）“这是好事。”|\n");
}

/// §7.9 orphan: a paragraph's last line holds at least two characters.
#[test]
fn case09_no_single_character_last_line() {
    // 27 characters in a 13-character measure would leave `了。` alone.
    let text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳了。";
    let s = snap(text, 13, false, &opts());
    let last = s.lines().last().unwrap().trim_end_matches(['|', '~', '!']);
    assert!(
        last.chars()
            .filter(|c| class_of(*c) == Class::Ideograph)
            .count()
            >= 2,
        "{s}"
    );
}

/// Punctuation schemes: 开明 keeps 。？！ full and halves the rest; 半角 halves all.
#[test]
fn punctuation_schemes() {
    let km = TextOptions {
        punctuation: Punctuation::Kaiming,
        ..opts()
    };
    let p = para("好，是。对", false, &km);
    assert_eq!(p.atoms[1].width, 0.5 * EM);
    assert_eq!(p.atoms[3].width, EM);
    let half = TextOptions {
        punctuation: Punctuation::Half,
        ..opts()
    };
    let p = para("好，是。对", false, &half);
    assert_eq!(p.atoms[3].width, 0.5 * EM);
}

/// Hanging punctuation (off by default): a line-end `，` may hang instead of being pushed out.
#[test]
fn hanging_punctuation_option() {
    let text = "一二三四五六七八九十甲乙丙，丁戊";
    assert_eq!(
        snap(text, 13, false, &opts()),
        "一二三四五六七八九十甲乙|\n丙，丁戊|\n"
    );
    let hang = TextOptions {
        hanging: true,
        ..opts()
    };
    assert_eq!(
        snap(text, 13, false, &hang),
        "一二三四五六七八九十甲乙丙，|\n丁戊|\n"
    );
}

/// Isolated mid-line marks keep full width (house style: never narrowed to fit a line).
#[test]
fn isolated_marks_keep_full_width_mid_line() {
    let text = "今年以来，该区以活动为契机，进一步深化认识、压实责任，凝聚合力、强化举措，持之以恒提升能力作风。";
    for chars in 10..=27 {
        let (p, lines) = set(text, chars, true, &opts());
        for l in &lines {
            let (glyphs, _) = justify(&p, l);
            for w in glyphs.windows(2) {
                let c = &p.text[w[0].start as usize..w[0].end as usize];
                if matches!(c, "，" | "、" | "。") {
                    assert!(
                        w[1].x - w[0].x >= EM - 0.01,
                        "{c} narrowed at measure {chars}"
                    );
                }
            }
        }
    }
}

// ---- property tests over seeded random copy ----

const HAN: &[&str] = &[
    "区", "委", "书", "记", "张", "伟", "说", "项", "目", "工", "作", "发", "展", "新", "动", "能",
    "的", "了",
];
const TOKENS: &[&str] = &[
    "2022",
    "5.2%",
    "PM2.5",
    "GDP",
    "12.5",
    "9:30",
    "0375-1234567",
    "www.example.gov.cn",
    "15316",
    "A",
];
const MARKS: &[&str] = &["，", "。", "、", "；", "：", "？", "！", "——", "……", "·"];

fn random_paragraph(r: &mut Rng) -> (String, Vec<&'static str>) {
    let mut s = String::new();
    let mut used = Vec::new();
    let n = 5 + r.next() % 60;
    for _ in 0..n {
        match r.next() % 10 {
            0..=5 => s.push_str(r.pick(HAN)),
            6 => {
                let t = r.pick(TOKENS);
                s.push_str(t);
                used.push(t);
            }
            7 => {
                let (o, c) =
                    [("“", "”"), ("（", "）"), ("《", "》"), ("‘", "’")][(r.next() % 4) as usize];
                s.push_str(o);
                s.push_str(r.pick(HAN));
                s.push_str(r.pick(HAN));
                s.push_str(c);
            }
            _ => s.push_str(r.pick(MARKS)),
        }
    }
    s.push('。');
    (s, used)
}

#[test]
fn property_composition_invariants_over_random_copy() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    // Line breaks the invariants were checked at: the property means something only when
    // the random paragraphs really break, many times.
    let mut breaks = 0;
    for kinsoku in [Kinsoku::Basic, Kinsoku::Strict] {
        let o = TextOptions { kinsoku, ..opts() };
        for _ in 0..800 {
            let (text, tokens) = random_paragraph(&mut r);
            let chars = 10 + (r.next() % 18) as u32;
            let (p, lines) = set(&text, chars, r.next().is_multiple_of(2), &o);
            // Lines partition the atoms: nothing lost, nothing repeated.
            assert_eq!(lines.first().map(|l| l.start), Some(0));
            assert_eq!(lines.last().map(|l| l.end), Some(p.atoms.len()));
            for w in lines.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
            let glyph_text: String = p
                .glyphs
                .iter()
                .map(|g| &p.text[g.start as usize..g.end as usize])
                .collect();
            let mut prev_end = 0;
            let mut dedup = String::new();
            for g in &p.glyphs {
                if g.start >= prev_end {
                    dedup.push_str(&p.text[g.start as usize..g.end as usize]);
                    prev_end = g.end;
                }
            }
            assert_eq!(
                dedup.replace(' ', ""),
                p.text.replace(' ', ""),
                "characters lost: {text}\n{glyph_text}"
            );
            let s = snapshot(&p, &lines);
            // A forced line is allowed only where a run without break opportunity is wider
            // than the measure.
            if lines.iter().any(|l| l.forced) {
                let mut widest: f32 = 0.0;
                let mut run = 0.0;
                for (i, a) in p.atoms.iter().enumerate() {
                    run += a.width;
                    match p.gaps.get(i) {
                        Some(g) if !g.breakable => run += g.natural,
                        _ => {
                            widest = widest.max(run);
                            run = 0.0;
                        }
                    }
                }
                assert!(
                    widest > chars as f32 * EM - EM,
                    "needless forced break at {chars}: {text}\n{s}"
                );
            }
            let mut after_forced = false;
            for (l, row) in lines.iter().zip(s.lines()) {
                let skip = after_forced;
                after_forced = l.forced;
                let body = row.trim_end_matches(['|', '~', '!']);
                // No line wider than its measure.
                assert!(
                    set_width(&p, l) <= chars as f32 * EM + 0.01 || l.forced,
                    "overfull at {chars}: {row}"
                );
                if l.forced || skip || l.start == 0 {
                    continue; // copy may itself start with a mark; forced lines are counted
                }
                let first = body.chars().next().unwrap();
                let last = body.chars().last().unwrap();
                // `——` and `……` may start a line at the basic level, a single dash may not.
                let unit = body.starts_with("——") || body.starts_with("……");
                assert!(
                    unit || !matches!(
                        class_of(first),
                        Class::Stop | Class::Closing | Class::MiddleDot | Class::Connector
                    ),
                    "line starts with {first} at {chars}:\n{s}"
                );
                assert!(
                    class_of(last) != Class::Opening,
                    "line ends with {last} at {chars}:\n{s}"
                );
                if kinsoku == Kinsoku::Strict {
                    assert!(
                        !body.starts_with("——") && !body.starts_with("……"),
                        "strict: {row}"
                    );
                }
            }
            // No protected token split across lines (unless wider than the measure).
            let joined: String = s
                .lines()
                .map(|l| l.trim_end_matches(['|', '~', '!']))
                .collect();
            for t in tokens {
                let in_lines: usize = s.lines().map(|l| l.matches(t).count()).sum();
                let forced = lines.iter().any(|l| l.forced);
                assert!(
                    in_lines == joined.matches(t).count() || forced,
                    "{t} split at {chars}:\n{s}"
                );
            }
            breaks += lines.len() - 1;
        }
    }
    eprintln!("{breaks} line breaks checked");
    assert!(breaks >= 2000, "only {breaks} line breaks checked");
}

/// The breakers skip work that cannot change a result (nodes that cannot end in the asked
/// line count; measuring lines known to be too short). Over random copy, measures and counts
/// their answers must be the same as without those shortcuts.
#[test]
fn property_breaker_shortcuts_change_no_result() {
    use paiban::linebreak::{break_lines_exact, break_lines_exact_unpruned, break_lines_unpruned};
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let (mut compared, mut found) = (0, 0);
    for k in 0..2000 {
        let o = TextOptions {
            kinsoku: [Kinsoku::Basic, Kinsoku::Strict][k % 2],
            hanging: k % 3 == 0,
            punctuation: [Punctuation::Full, Punctuation::Kaiming, Punctuation::Half][k % 5 % 3],
            ..opts()
        };
        let (text, _) = random_paragraph(&mut r);
        let p = para(&text, r.next().is_multiple_of(2), &o);
        let chars = 8.0 + (r.next() % 20) as f32;
        // Uniform measures, or a few narrower lines first (a wrap around a photo).
        let mut widths = vec![chars * EM];
        if r.next().is_multiple_of(3) {
            let narrow = (chars - 3.0).max(4.0) * EM;
            widths = vec![narrow; 1 + (r.next() % 4) as usize];
            widths.push(chars * EM);
        }
        let m = Measures { widths: &widths };
        let best = break_lines(&p, m);
        assert_eq!(best, break_lines_unpruned(&p, m), "{text} in {widths:?}");
        let natural = best.len();
        for count in natural.saturating_sub(2).max(1)..=natural + 2 {
            let fast = break_lines_exact(&p, m, count);
            let reference = break_lines_exact_unpruned(&p, m, count);
            assert_eq!(fast, reference, "{text} in {widths:?}, {count} lines");
            compared += 1;
            found += usize::from(fast.is_some());
        }
    }
    // The comparison covered both outcomes many times.
    assert!(
        compared > 1500 && found > 300 && compared - found > 300,
        "{compared} {found}"
    );
}
