//! Vertical text (issue 18): a 竖排 story of the 副刊 example (input/fukan) set top to bottom,
//! its lines right to left, punctuation in the fonts' vertical forms, short numbers across one
//! em (纵中横), Latin turned, every character set, kinsoku kept; read back from the PDF.

mod common;
use common::*;
use paiban::page::{Direction, Item, TextRun};
use paiban::shape::Orient;

fn fukan() -> paiban::pipeline::Typeset {
    paiban::pipeline::typeset(&root().join("input/fukan")).unwrap()
}

/// The vertical body lines of the page's story 冬夜听雪 (columns 5-8), in reading order.
fn vertical_lines(t: &paiban::pipeline::Typeset) -> Vec<&TextRun> {
    let from = t.edition.pages[0].layout.grid.column_x(5);
    t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r)
                if r.direction == Direction::Vertical
                    && r.role == paiban::flow::LineRole::Body
                    && r.x > from =>
            {
                Some(r)
            }
            _ => None,
        })
        .collect()
}

/// The text a run shows: each glyph cluster once, in order.
fn run_text(r: &TextRun) -> String {
    let mut out = String::new();
    let mut last = 0;
    for g in &r.glyphs {
        if g.start >= last {
            out.push_str(&r.text[g.start as usize..g.end as usize]);
            last = g.end;
        }
    }
    out
}

/// The copy of the example's vertical story: byline and paragraphs, without white space.
fn copy() -> String {
    let src = std::fs::read_to_string(root().join("input/fukan/stories/tingxue.md")).unwrap();
    let body = src.splitn(3, "+++").nth(2).unwrap();
    format!("林清远{}", fold(body))
}

#[test]
fn characters_go_down_and_lines_right_to_left() {
    let t = fukan();
    let lines = vertical_lines(&t);
    assert!(lines.len() >= 10, "{} vertical lines", lines.len());
    for pair in lines.windows(2) {
        assert!(
            pair[1].x < pair[0].x - 9.0,
            "the next line stands left of the last: {} then {}",
            pair[0].x,
            pair[1].x
        );
        // Every line starts at the same height (the frame's top under its headline).
        assert!((pair[1].baseline - pair[0].baseline).abs() < 0.01);
    }
    for line in &lines {
        for pair in line.glyphs.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let same_unit = matches!(b.orient, Orient::Across(_)) || a.orient == Orient::Turned;
            assert!(
                b.x > a.x || (same_unit && b.x >= a.x),
                "`{}` after `{}` does not go down",
                &line.text[b.start as usize..b.end as usize],
                &line.text[a.start as usize..a.end as usize]
            );
        }
    }
    // The lines stay in the frame (columns 4-8 of the broadsheet), left of the 竖题 at its
    // right edge, whose first line (the 引题) stands in the frame's rightmost cells.
    let g = &t.edition.pages[0].layout.grid;
    let right = g.column_x(8) + g.column_width();
    let heads: Vec<&TextRun> = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r)
                if r.role == paiban::flow::LineRole::Headline
                    && r.direction == Direction::Vertical
                    && r.x > g.column_x(5) =>
            {
                Some(r)
            }
            _ => None,
        })
        .collect();
    assert!(
        heads.len() >= 2 && heads[0].x < right && heads[0].x > right - 14.0,
        "{}",
        heads[0].x
    );
    let strip = heads.last().unwrap().x;
    assert!(lines[0].x < strip - 9.0, "{} beside {strip}", lines[0].x);
    assert!(lines.last().unwrap().x > g.column_x(4));
}

#[test]
fn punctuation_takes_the_fonts_vertical_forms() {
    // Glyph ids of NotoSerifSC-Regular's `vert` substitutions, read with fontTools:
    // (character, horizontal glyph, vertical glyph).
    const VERT: [(&str, u16, u16); 7] = [
        ("，", 29725, 29646),
        ("。", 1137, 29648),
        ("、", 1136, 29647),
        ("：", 30462, 29649),
        ("「", 1147, 29673),
        ("」", 1148, 29674),
        ("《", 1145, 29669),
    ];
    let t = fukan();
    let mut seen = 0;
    for line in vertical_lines(&t) {
        for g in &line.glyphs {
            let c = &line.text[g.start as usize..g.end as usize];
            if let Some((_, h, v)) = VERT.iter().find(|(m, _, _)| *m == c) {
                if t.book.role(g.face) == Some("serif") {
                    assert_eq!(g.id, *v, "`{c}` set with glyph {} (horizontal {h})", g.id);
                    assert_eq!(g.orient, Orient::Upright);
                    seen += 1;
                }
            }
        }
    }
    assert!(seen >= 30, "{seen} marks checked");
}

#[test]
fn short_numbers_across_one_em_long_numbers_and_latin_turned() {
    let t = fukan();
    let lines = vertical_lines(&t);
    let glyphs_of = |needle: &str| {
        for line in &lines {
            if let Some(at) = line.text.find(needle) {
                let gs: Vec<_> = line
                    .glyphs
                    .iter()
                    .filter(|g| (g.start as usize) >= at && (g.end as usize) <= at + needle.len())
                    .copied()
                    .collect();
                if !gs.is_empty() {
                    return gs;
                }
            }
        }
        panic!("`{needle}` not set");
    };
    // 纵中横: "12" of 2026年12月, "3" of 第3届: upright side by side, within one em, centred.
    for n in ["12月", "3届", "12年"] {
        let digits: Vec<_> = glyphs_of(n)
            .into_iter()
            .filter(|g| g.end - g.start == 1 && g.orient != Orient::Upright)
            .collect();
        assert_eq!(digits.len(), n.chars().count() - 1, "{n}");
        let across: Vec<f32> = digits
            .iter()
            .map(|g| match g.orient {
                Orient::Across(a) => a,
                o => panic!("{n}: a digit {o:?}"),
            })
            .collect();
        let size = digits[0].size;
        assert!(
            digits.iter().all(|g| g.x == digits[0].x),
            "{n}: one place down the line"
        );
        assert!(
            across.windows(2).all(|w| w[1] > w[0]),
            "{n}: side by side, left to right"
        );
        let left = across[0];
        let right = across.last().unwrap() + digits.last().unwrap().advance;
        assert!(
            right - left <= size + 0.01,
            "{n}: {left}..{right} wider than the em"
        );
        assert!((left + right).abs() < 0.01, "{n}: centred on the column");
    }
    // 2026 (four digits, more than tcy = 2) and Linguistics are turned.
    for w in ["2026", "Linguistics"] {
        let gs = glyphs_of(w);
        assert!(gs.iter().all(|g| g.orient == Orient::Turned), "{w}: {gs:?}");
    }
}

#[test]
fn every_character_is_set_and_no_line_starts_with_a_closing_mark() {
    let t = fukan();
    let lines = vertical_lines(&t);
    let set: String = lines.iter().map(|l| run_text(l)).collect();
    assert_eq!(fold(&set), copy());
    assert!(t.overset().is_empty(), "{:?}", t.overset());
    for l in &lines {
        let first = run_text(l).chars().next().unwrap();
        assert!(
            !"、，。；：！？」』》）…".contains(first),
            "a vertical line starts with `{first}`: {}",
            run_text(l)
        );
    }
}

/// The characters mutool reads from the PDF, with their origins (x, y; y down).
fn stext_chars(pdf: &std::path::Path) -> Vec<(char, f32, f32)> {
    let xml = tool(
        "mutool",
        &["draw", "-F", "stext", "-o", "-", pdf.to_str().unwrap()],
    );
    let attr = |line: &str, name: &str| -> Option<String> {
        let at = line.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = line[at..].find('"')? + at;
        Some(line[at..end].to_string())
    };
    xml.lines()
        .filter(|l| l.trim_start().starts_with("<char "))
        .filter_map(|l| {
            let c = attr(l, "c")?;
            let c = match c.as_str() {
                "&amp;" => '&',
                "&lt;" => '<',
                "&gt;" => '>',
                "&quot;" => '"',
                s if s.starts_with("&#x") => char::from_u32(
                    u32::from_str_radix(s.trim_start_matches("&#x").trim_end_matches(';'), 16)
                        .ok()?,
                )?,
                s => s.chars().next()?,
            };
            let x: f32 = attr(l, "x")?.parse().ok()?;
            let y: f32 = attr(l, "y")?.parse().ok()?;
            Some((c, x, y))
        })
        .collect()
}

/// Builds `input` into a fresh folder; returns the PDF.
fn build(input: &std::path::Path, name: &str) -> std::path::PathBuf {
    let out = temp_dir(name);
    let (code, _, err) = paiban(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap()
}

/// Text without white space and without what a vertical line turns (poppler reads a turned
/// Latin word, number, dash or ellipsis as a line of its own beside its vertical line).
fn han(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| !c.is_ascii_alphanumeric() && !matches!(c, '—' | '…'))
        .collect()
}

/// A page of the example's vertical story alone (no running header), its copy changed by
/// `edit`; returns the typeset page and its PDF.
fn alone(
    name: &str,
    edit: impl Fn(String) -> String,
) -> (paiban::pipeline::Typeset, std::path::PathBuf) {
    let dir = temp_dir(name);
    copy_dir(&root().join("input/fukan/stories"), &dir.join("stories"));
    let story = dir.join("stories/tingxue.md");
    std::fs::write(&story, edit(std::fs::read_to_string(&story).unwrap())).unwrap();
    std::fs::write(
        dir.join("p.toml"),
        "layout = \"broadsheet\"\nnumber = 8\nheader = false\n\n[[story]]\n\
         file = \"stories/tingxue.md\"\ncolumns = \"5-8\"\nlines = \"1-19\"\n\
         direction = \"vertical\"\n",
    )
    .unwrap();
    let t = paiban::pipeline::typeset(&dir.join("p.toml")).unwrap();
    (t, build(&dir.join("p.toml"), &format!("{name}-out")))
}

#[test]
#[ignore = "needs pdftotext"]
fn pdftotext_reads_a_vertical_page_in_order() {
    // -layout: each vertical line top to bottom, the lines right to left.
    let (t, pdf) = alone("vertical-layout", |s| s);
    let layout = han(&tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]));
    let mut from = 0;
    for line in vertical_lines(&t) {
        let want = han(&run_text(line));
        let at = layout[from..]
            .find(&want)
            .unwrap_or_else(|| panic!("pdftotext -layout lacks `{want}` after the line before"));
        from += at + want.len();
    }
    // Plain: the copy in order. (Poppler reads a turned Latin word or dash as a line of its
    // own, which can move lines in plain mode, and on a page mixing horizontal and vertical
    // text its order is unreliable in both modes: this copy has no turned word.)
    let (_, pdf) = alone("vertical-plain", |s| {
        s.replace("Linguistics", "语言学")
            .replace("2026年", "今年")
            .replace("——", "，")
            .replace("……", "。")
    });
    let plain = han(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    let want = han(&copy()
        .replace("Linguistics", "语言学")
        .replace("2026年", "今年")
        .replace("——", "，")
        .replace("……", "。"));
    for sentence in want.split('。').filter(|p| p.chars().count() > 4) {
        assert!(plain.contains(sentence), "pdftotext lacks `{sentence}`");
    }
}

#[test]
#[ignore = "needs mutool"]
fn mutool_reads_characters_down_and_lines_right_to_left() {
    let pdf = build(&root().join("input/fukan"), "vertical-mutool");
    // The first paragraph's characters in the PDF go down, and at each line's end the next
    // one stands left of it.
    let chars = stext_chars(&pdf);
    let first: Vec<char> = "入冬以后，小城的夜来得格外早。五点刚过，窗外的梧桐便隐进了灰蓝色的暮霭里，只剩几盏路灯，把湿漉漉的石板街"
        .chars()
        .collect();
    let at = chars
        .windows(first.len())
        .position(|w| w.iter().map(|c| c.0).eq(first.iter().copied()))
        .expect("the first paragraph in stext order");
    let run = &chars[at..at + first.len()];
    for p in run.windows(2) {
        let ((_, x0, y0), (_, x1, y1)) = (p[0], p[1]);
        assert!(
            (y1 > y0 && (x1 - x0).abs() < 1.0) || x1 < x0 - 9.0,
            "{:?} then {:?}",
            p[0],
            p[1]
        );
    }
    assert!(
        run.windows(2).any(|p| p[1].1 < p[0].1 - 9.0),
        "a line change"
    );
    // ToUnicode maps the vertical forms back: the marks read as themselves.
    let text: String = chars.iter().map(|c| c.0).collect();
    assert!(text.contains("「读书如听雪，须得心静。」"), "{text}");
}

#[test]
fn a_vertical_story_jumps_to_another_page() {
    let dir = temp_dir("vertical-jump");
    copy_dir(&root().join("input/fukan/stories"), &dir.join("stories"));
    std::fs::write(
        dir.join("edition.toml"),
        "paper = \"城东日报\"\ndate = \"2026年12月9日\"\npages = [\"p1.toml\", \"p2.toml\"]\n",
    )
    .unwrap();
    for (n, cols) in [(1, "1-2"), (2, "1-3")] {
        std::fs::write(
            dir.join(format!("p{n}.toml")),
            format!(
                "layout = \"broadsheet\"\nnumber = {n}\nsection = \"测试\"\n\n[[story]]\n\
                 file = \"stories/tingxue.md\"\ncolumns = \"{cols}\"\nlines = \"1-20\"\n\
                 direction = \"vertical\"\n"
            ),
        )
        .unwrap();
    }
    let t = paiban::pipeline::typeset(&dir).unwrap();
    let runs = |p: usize| -> Vec<&TextRun> {
        t.pages[p]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(r) if r.direction == Direction::Vertical => Some(r),
                _ => None,
            })
            .collect()
    };
    // Page 1 ends with its 下转 line, the frame's last (leftmost) vertical line, set to its foot.
    let first = runs(0);
    let jump = first.last().unwrap();
    assert_eq!(jump.role, paiban::flow::LineRole::Jump);
    assert_eq!(run_text(jump), "（下转第2版）");
    assert!(first.iter().all(|r| r.x >= jump.x));
    // Page 2 starts with 上接 in its first line.
    let second = runs(1);
    assert!(
        run_text(second[0]).starts_with("（上接第1版）"),
        "{}",
        run_text(second[0])
    );
    // Every character of the copy, once.
    let body: String = first
        .iter()
        .chain(&second)
        .filter(|r| r.role == paiban::flow::LineRole::Body)
        .map(|r| run_text(r))
        .collect();
    assert_eq!(fold(&body).replace("（上接第1版）", ""), copy());
    assert!(t.overset().is_empty());
}

#[test]
fn a_vertical_text_block_stands_in_its_frame_right_to_left() {
    let t = fukan();
    let g = &t.edition.pages[0].layout.grid;
    let block: Vec<&TextRun> = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r)
                if r.direction == Direction::Vertical
                    && r.x < g.column_x(2)
                    && r.baseline > g.line_top(21) - 0.1 =>
            {
                Some(r)
            }
            _ => None,
        })
        .collect();
    let texts: Vec<String> = block.iter().map(|r| run_text(r)).collect();
    assert_eq!(texts, ["周三读书", "灯下集"]);
    assert!(block[1].x < block[0].x, "right to left");
    // Centred across column 1 and down lines 21-36 (align = center).
    let (left, right) = (g.column_x(1), g.column_x(1) + g.column_width());
    assert!(((block[0].x + block[1].x) / 2.0 - (left + right) / 2.0).abs() < 0.01);
    let (top, foot) = (g.line_top(21), g.line_top(36) + g.pitch.0);
    let r = block[0];
    let len = r.glyphs.last().unwrap().x + r.glyphs.last().unwrap().advance;
    assert!(
        (r.baseline - top - (foot - top - len) / 2.0).abs() < 0.01,
        "{}",
        r.baseline
    );
}

#[test]
fn a_horizontal_headline_stands_above_vertical_copy() {
    let dir = temp_dir("vertical-horizontal-headline");
    copy_dir(&root().join("input/fukan/stories"), &dir.join("stories"));
    std::fs::write(
        dir.join("p.toml"),
        "layout = \"broadsheet\"\nnumber = 8\nsection = \"副刊\"\n\n[[story]]\n\
         file = \"stories/tingxue.md\"\ncolumns = \"5-8\"\nlines = \"1-24\"\n\
         direction = \"vertical\"\nheadline_direction = \"horizontal\"\n",
    )
    .unwrap();
    let t = paiban::pipeline::typeset(&dir.join("p.toml")).unwrap();
    let g = &t.edition.pages[0].layout.grid;
    let heads: Vec<&TextRun> = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if r.role == paiban::flow::LineRole::Headline => Some(r),
            _ => None,
        })
        .collect();
    assert!(!heads.is_empty() && heads.iter().all(|h| h.direction == Direction::Horizontal));
    let lines = vertical_lines(&t);
    let below = heads.iter().map(|h| h.baseline).fold(0.0, f32::max);
    // The copy starts under the headline block, on a grid line's top, its first line in the
    // frame's rightmost character cell.
    assert!(lines.iter().all(|l| l.baseline > below));
    let k = (lines[0].baseline - g.line_top(1)) / g.pitch.0;
    assert!((k - k.round()).abs() < 0.001, "{k}");
    let right = g.column_x(8) + g.column_width();
    assert!((lines[0].x - (right - 4.5)).abs() < 0.01, "{}", lines[0].x);
    let set: String = lines.iter().map(|l| run_text(l)).collect();
    assert_eq!(fold(&set), copy());
}

#[test]
fn emphasis_dots_stand_right_of_a_vertical_line() {
    let dir = temp_dir("vertical-dots");
    std::fs::write(
        dir.join("s.md"),
        "+++\nheadline = \"着重\"\n+++\n\n竖排里的[着重号]{.dots}在字的右边。\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("p.toml"),
        "layout = \"broadsheet\"\nnumber = 1\nsection = \"测试\"\n\n[[story]]\nfile = \"s.md\"\n\
         columns = \"1-2\"\nlines = \"1-10\"\ndirection = \"vertical\"\n",
    )
    .unwrap();
    let t = paiban::pipeline::typeset(&dir.join("p.toml")).unwrap();
    let items = &t.pages[0].items;
    let line = items
        .iter()
        .find_map(|i| match i {
            Item::Text(r) if r.role == paiban::flow::LineRole::Body => Some(r),
            _ => None,
        })
        .unwrap();
    let dots: Vec<(f32, f32)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Dots { from, .. } => Some(*from),
            _ => None,
        })
        .collect();
    assert_eq!(dots.len(), 3, "one dot for each of 着重号");
    let size = line.glyphs[0].size;
    for (k, (x, y)) in dots.iter().enumerate() {
        // Right of the line's em boxes, at the height of its character's middle.
        assert!(
            *x > line.x + size / 2.0,
            "dot {k} at {x}, line at {}",
            line.x
        );
        let c = ["着", "重", "号"][k];
        let at = line.text.find(c).unwrap() as u32;
        let g = line.glyphs.iter().find(|g| g.start == at).unwrap();
        assert!((y - (line.baseline + g.x + g.advance / 2.0)).abs() < 0.01);
    }
}
