//! Colour and page furniture (issue 17) on the example front page (input/front): the masthead
//! as vector art in 套红, a red lead headline, type reversed out of red, tints behind their
//! text, boxes, text blocks, inks per page, the layout's base, and the plant's checks.

mod common;
use common::*;
use paiban::page::{Cmyk, Item, Page};
use paiban::units::Rect;

const RED: Cmyk = Cmyk([0.0, 1.0, 1.0, 0.0]);

fn front() -> paiban::pipeline::Typeset {
    paiban::pipeline::typeset(&root().join("input/front")).unwrap()
}

fn pdf_of(t: &paiban::pipeline::Typeset, extra: paiban::pipeline::BuildOptions) -> Vec<u8> {
    let opts = paiban::pipeline::pdf_options(t, &extra, None);
    paiban::pdf::write_pdf(&t.pages, &t.book, &opts).unwrap()
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

/// The box a text run's glyphs take (em boxes on its baseline).
fn run_box(t: &paiban::page::TextRun) -> Rect {
    let size = t.glyphs.iter().map(|g| g.size).fold(0.0f32, f32::max);
    let right = t.glyphs.last().map_or(0.0, |g| g.x + g.size);
    Rect {
        x: t.x,
        y: t.baseline - 0.88 * size,
        w: right,
        h: size,
    }
}

fn texts(page: &Page) -> impl Iterator<Item = (usize, &paiban::page::TextRun)> {
    page.items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it {
            Item::Text(t) => Some((i, t)),
            _ => None,
        })
}

#[test]
fn the_nameplate_is_vector_art_in_exact_red_within_its_band() {
    let t = front();
    let page = &t.pages[0];
    let arts: Vec<(&paiban::vector::Art, &Rect)> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Art { art, rect, .. } if art.file.ends_with("masthead/nameplate.svg") => {
                Some((art.as_ref(), rect))
            }
            _ => None,
        })
        .collect();
    assert_eq!(arts.len(), 1);
    let (art, rect) = arts[0];
    // Recoloured to the layout's red: magenta and yellow only, exactly.
    assert_eq!(art.inks(), Some([false, true, true, false]));
    let plan = &t.edition.pages[0];
    let g = &plan.layout.grid;
    let m = plan.layout.masthead.as_ref().unwrap();
    assert!(rect.x >= g.column_x(m.columns.0) - 0.01);
    assert!(rect.right() <= g.column_x(m.columns.1) + g.column_width() + 0.01);
    assert!(rect.y >= g.top.0 - 0.01 && rect.bottom() <= g.line_top(m.lines + 1));
    // In the PDF: written as a Form XObject of paths, once; the only images are the photos.
    let pdf = pdf_of(&t, Default::default());
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(text.matches("/Subtype /Image").count(), 2, "two photos");
    assert!(
        text.matches("/Subtype /Form").count() >= 2,
        "nameplate and 花边 tile"
    );
    let doc = paiban_pdf(&pdf);
    let content = String::from_utf8_lossy(doc.pages()[0].page_stream().unwrap()).into_owned();
    assert!(content.contains("/Fm0 Do") && content.contains("/Fm1 Do"));
    // Rendered: red ink where the nameplate is, no black there.
    let opts = paiban::pipeline::pdf_options(&t, &Default::default(), None);
    let png = &paiban::preview::proof_pngs(&t.pages, &t.book, &opts, 36.0).unwrap()[0];
    let img = image::load_from_memory(png).unwrap().to_rgb8();
    let s = 36.0 / 72.0;
    let (mut red, mut black) = (0, 0);
    for y in (rect.y * s) as u32..(rect.bottom() * s) as u32 {
        for x in (rect.x * s) as u32..(rect.right() * s) as u32 {
            let [r, g, b] = img
                .get_pixel(x + (page.bleed * s) as u32, y + (page.bleed * s) as u32)
                .0;
            if r > 180 && g < 90 && b < 90 {
                red += 1;
            }
            if r < 80 && g < 80 && b < 80 {
                black += 1;
            }
        }
    }
    assert!(red > 500, "{red} red pixels in the nameplate");
    assert_eq!(black, 0);
}

fn paiban_pdf(bytes: &[u8]) -> hayro::hayro_syntax::Pdf {
    hayro::hayro_syntax::Pdf::new(hayro::hayro_syntax::PdfData::from(std::sync::Arc::new(
        bytes.to_vec(),
    )))
    .unwrap()
}

#[test]
fn the_lead_headline_is_red_and_the_copy_black() {
    let t = front();
    let page = &t.pages[0];
    let lead: Vec<_> = texts(page)
        .filter(|(_, r)| r.text.contains("抓出发展新动能") && r.colour != Cmyk::WHITE)
        .collect();
    assert!(!lead.is_empty());
    assert!(lead.iter().all(|(_, r)| r.colour == RED));
    let body = texts(page).filter(|(_, r)| r.role == paiban::flow::LineRole::Body);
    assert!(body.count() > 300);
    assert!(texts(page)
        .filter(|(_, r)| r.role == paiban::flow::LineRole::Body)
        .all(|(_, r)| r.colour == Cmyk::BLACK));
}

/// The graphics state in force before each fill-colour operator of a content stream.
fn states_at_colours(content: &str) -> Vec<(String, String)> {
    let mut gs = String::new();
    let mut out = Vec::new();
    for line in content.lines() {
        let l = line.trim();
        if l.ends_with(" gs") {
            gs = l.to_string();
        } else if l.ends_with(" k") {
            out.push((l.to_string(), gs.clone()));
        }
    }
    out
}

#[test]
fn white_type_knocks_out_and_black_overprints() {
    let t = front();
    let pdf = pdf_of(&t, Default::default());
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/OP true") && text.contains("/OP false"));
    let doc = paiban_pdf(&pdf);
    let content = String::from_utf8_lossy(doc.pages()[0].page_stream().unwrap()).into_owned();
    let states = states_at_colours(&content);
    let white: Vec<_> = states.iter().filter(|(k, _)| k == "0 0 0 0 k").collect();
    let black: Vec<_> = states.iter().filter(|(k, _)| k == "0 0 0 1 k").collect();
    let red: Vec<_> = states.iter().filter(|(k, _)| k == "0 1 1 0 k").collect();
    assert!(!white.is_empty() && !black.is_empty() && !red.is_empty());
    assert!(white.iter().all(|(_, gs)| gs == "/GS1 gs"), "{white:?}");
    assert!(red.iter().all(|(_, gs)| gs == "/GS1 gs"), "{red:?}");
    assert!(black.iter().all(|(_, gs)| gs == "/GS0 gs"), "{black:?}");
}

#[test]
fn tints_lie_behind_the_text_they_carry() {
    let t = front();
    let page = &t.pages[0];
    let fills: Vec<(usize, Rect, Cmyk)> = page
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it {
            Item::Fill { rect, colour } => Some((i, *rect, *colour)),
            _ => None,
        })
        .collect();
    // The grey 底纹, the cream one and the red 导读 ground.
    assert_eq!(fills.len(), 3, "{fills:?}");
    for (i, rect, _) in &fills {
        let on_it: Vec<usize> = texts(page)
            .filter(|(_, r)| overlaps(&run_box(r), rect))
            .map(|(j, _)| j)
            .collect();
        assert!(on_it.len() > 5, "a tint with text on it");
        assert!(on_it.iter().all(|j| j > i), "text under a tint");
    }
    // Tinted text keeps one character from the tint's sides (a line-end mark compressed to
    // half its width takes the left half of its em box: half an em of slack on the right).
    let em = t.edition.pages[0].layout.grid.body_size.0;
    for (_, rect, _) in &fills {
        for (_, r) in texts(page).filter(|(_, r)| overlaps(&run_box(r), rect)) {
            let b = run_box(r);
            assert!(
                b.x >= rect.x + em - 0.5 && b.x + b.w <= rect.right() - em / 2.0 + 0.5,
                "{} at {b:?} in {rect:?}",
                r.text
            );
        }
    }
}

#[test]
fn boxes_are_drawn_by_their_style() {
    let t = front();
    let page = &t.pages[0];
    // 文武线: four heavy rules and four thin ones; dots; 花边 tiles meeting at the corners.
    let heavy = page
        .items
        .iter()
        .filter(|i| matches!(i, Item::Rule { width, .. } if *width == 1.5))
        .count();
    assert_eq!(heavy, 4);
    let dots = page
        .items
        .iter()
        .filter(|i| matches!(i, Item::Dots { .. }))
        .count();
    assert_eq!(dots, 4);
    let tiles: Vec<&Rect> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Art { art, rect, .. } if art.file.ends_with("flower.svg") => Some(rect),
            _ => None,
        })
        .collect();
    assert!(tiles.len() > 40, "{}", tiles.len());
    let left = tiles.iter().map(|r| r.x).fold(f32::MAX, f32::min);
    let right = tiles.iter().map(|r| r.right()).fold(f32::MIN, f32::max);
    let top = tiles.iter().map(|r| r.y).fold(f32::MAX, f32::min);
    let top_row: Vec<&&Rect> = tiles.iter().filter(|r| (r.y - top).abs() < 0.01).collect();
    let width: f32 = top_row.iter().map(|r| r.w).sum();
    assert!(
        (width - (right - left)).abs() < 0.01,
        "the top row spans the box"
    );
}

#[test]
fn the_masthead_info_line_is_filled_in() {
    let t = front();
    let info: String = texts(&t.pages[0])
        .filter(|(_, r)| r.text.contains("出版物号") || r.text.contains("今日"))
        .map(|(_, r)| r.text.to_string())
        .collect();
    // 2022-07-26 was a Tuesday, 农历六月廿八; edition.toml gives issue 17896; one page.
    for part in [
        "第17896期",
        "2022年7月26日　星期二",
        "农历六月廿八",
        "今日1版",
    ] {
        assert!(info.contains(part), "{part} in {info}");
    }
    // No running header on a masthead page.
    assert!(!texts(&t.pages[0]).any(|(_, r)| r.text.contains("第1版　要闻")));
}

#[test]
fn check_lists_the_inks_of_each_page() {
    let (code, out, err) = paiban(&["check", "input/front", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["pages"][0]["inks"],
        serde_json::json!(["C", "M", "Y", "K"])
    );
    // A page of black type alone is a mono page.
    let dir = temp_dir("mono-page");
    std::fs::copy(
        root().join("tests/bad-input/layout-zero-pitch/s.md"),
        dir.join("s.md"),
    )
    .unwrap();
    std::fs::write(
        dir.join("p.toml"),
        "layout = \"broadsheet\"\nnumber = 2\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1-8\"\nlines = \"1-90\"\n",
    )
    .unwrap();
    let p = dir.join("p.toml");
    let (_, out, err) = paiban(&["check", p.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    assert_eq!(v["pages"][0]["inks"], serde_json::json!(["K"]));
    let (_, out, _) = paiban(&["check", p.to_str().unwrap()]);
    assert!(
        out.contains("inks  K") && out.contains("mono page"),
        "{out}"
    );
}

#[test]
fn a_layout_is_its_base_with_its_own_keys_over_it() {
    let t = front();
    let l = &t.edition.pages[0].layout;
    // From the built-in broadsheet: the grid, fonts (found where the base lives) and styles.
    assert_eq!((l.grid.columns, l.grid.lines), (8, 90));
    assert!(l.fonts["serif"].is_file(), "{:?}", l.fonts["serif"]);
    assert_eq!(l.style("lead").font, "serif-bold");
    // Its own: a colour laid over the base's lead style, a new style, the masthead.
    assert_eq!(l.style("lead").colour, RED);
    assert!(l.styles.contains_key("label"));
    assert_eq!(l.colours.get("red"), Some(RED));
    assert!(l.masthead.is_some());
}

#[test]
fn small_or_thin_reversed_type_is_a_warning() {
    let dir = temp_dir("reversed-small");
    copy_dir(&root().join("input/front"), &dir);
    let plan = dir.join("p01.toml");
    let src = std::fs::read_to_string(&plan).unwrap();
    // The 导读 block set in the caption style: 六号 (7.5 pt) 楷体, white on red.
    let src = src.replacen("style = \"label\"", "style = \"caption\"", 1);
    std::fs::write(
        &plan,
        src.replace(
            "../weidong/",
            &format!("{}/", root().join("input/weidong").display()),
        ),
    )
    .unwrap();
    let (code, out, err) = paiban(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("reversed (white) type"), "{warnings}");
    assert!(warnings.contains("under 9 pt"), "{warnings}");
    // The example's own 导读 (四号 黑体) draws no such warning.
    let (_, out, _) = paiban(&["check", "input/front", "--format", "json"]);
    assert!(!out.contains("reversed (white) type"), "{out}");
}

#[test]
#[ignore = "needs poppler-utils, qpdf, mupdf-tools, ghostscript; run with --include-ignored"]
fn the_front_page_passes_the_plant_checks_as_x4_and_x1a() {
    for (name, level) in [("front-x4", "4"), ("front-x1a", "1a")] {
        let out = temp_dir(name);
        let (code, _, err) = paiban(&[
            "build",
            root().join("input/front").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--pdfx",
            level,
        ]);
        assert_eq!(code, 0, "{err}");
        let report = std::process::Command::new("bash")
            .arg(root().join("tests/tools/print-checks.sh"))
            .arg(out.join("front.pdf"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&report.stdout);
        assert!(report.status.success(), "{text}");
        assert!(text.contains("max total ink coverage"), "{text}");
        // The copy and the masthead's info extract as text; the nameplate (paths) does not.
        let txt = tool("pdftotext", &[out.join("front.pdf").to_str().unwrap(), "-"]);
        assert!(
            txt.contains("今日导读") && txt.contains("农历六月廿八"),
            "{txt}"
        );
        assert!(
            !txt.contains("平顶山日报"),
            "the nameplate is art, not text"
        );
    }
}
