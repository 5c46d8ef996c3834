//! Rare characters (issue 19): a `[fonts] fallback` font sets what no role's font has, and a
//! character no font has is reported for the whole edition at once.

mod common;
use common::*;

/// A page whose story names 王𰜩 (U+30729, CJK Ext. G: none of the project's fonts has it),
/// on a layout with `fallback` set by `fonts` (a TOML line, or nothing).
fn page(name: &str, fonts: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    std::fs::copy(
        root().join("tests/bad-input/missing-glyphs-all-at-once/s.md"),
        dir.join("s.md"),
    )
    .unwrap();
    std::fs::write(
        dir.join("l.toml"),
        format!("base = \"broadsheet\"\n\n[fonts]\n{fonts}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("p.toml"),
        "layout = \"l.toml\"\nnumber = 1\nsection = \"测试\"\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1-4\"\nlines = \"1-12\"\n",
    )
    .unwrap();
    dir.join("p.toml")
}

#[test]
fn a_fallback_font_sets_what_no_role_has() {
    let font = root().join("tests/data/fonts/RareTest.ttf");
    let plan = page(
        "rare-fallback",
        &format!("fallback = [\"{}\"]", font.display()),
    );
    let t = paiban::pipeline::typeset(&plan).unwrap();
    let rare: Vec<&paiban::linebreak::PlacedGlyph> = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            paiban::page::Item::Text(r) if r.text.contains('𰜩') => Some(r),
            _ => None,
        })
        .flat_map(|r| {
            r.glyphs
                .iter()
                .filter(|g| t.book.role(g.face) == Some("fallback 1"))
        })
        .collect();
    // Both 𰜩 of the copy, from the fallback font, at the body size on the body's grid.
    assert_eq!(rare.len(), 2);
    assert!(rare.iter().all(|g| g.size == 9.0));
    // Without it, the build stops and names the character.
    let plan = page("rare-none", "");
    let e = paiban::pipeline::typeset(&plan).err().unwrap().to_string();
    assert!(
        e.contains("U+30729") && e.contains("2 times in this file"),
        "{e}"
    );
}

#[test]
fn a_missing_fallback_font_is_an_error_at_its_line() {
    let plan = page("rare-missing", "fallback = [\"nope.ttf\"]");
    let e = paiban::pipeline::typeset(&plan).err().unwrap().to_string();
    assert!(e.contains("l.toml:4:1") && e.contains("nope.ttf"), "{e}");
}

#[test]
#[ignore = "needs poppler-utils; run with --include-ignored"]
fn the_fallback_glyph_is_embedded_and_extracts() {
    let font = root().join("tests/data/fonts/RareTest.ttf");
    let plan = page("rare-pdf", &format!("fallback = [\"{}\"]", font.display()));
    let out = plan.parent().unwrap().join("out");
    let (code, _, err) = paiban(&["build", plan.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let pdf = out.join("p.pdf");
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(
        fonts.contains("RareTest") && fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "{fonts}"
    );
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("王𰜩"), "{text}");
}

/// Names with CJK Ext. B characters, as a desk meets them (王𪛖, 𠮷田, 𡈽), and one from each
/// of Ext. C–F.
const EXT_B_TO_F: &str = "王𪛖、𠮷田、𡈽女士与𪜀（C）、𫝀（D）、𫠠（E）、𬺰（F）";

/// A page on the built-in layout whose story is [`EXT_B_TO_F`]; returns its folder (plan
/// `p.toml`).
fn names_page(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    std::fs::write(
        dir.join("s.md"),
        format!("+++\nheadline = \"生僻字\"\n+++\n\n{EXT_B_TO_F}。\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("p.toml"),
        "layout = \"broadsheet\"\nnumber = 1\nsection = \"测试\"\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1-4\"\nlines = \"1-12\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn the_built_in_layout_sets_ext_b_to_f_from_its_bundled_fallback() {
    let dir = names_page("rare-builtin");
    let t = paiban::pipeline::typeset(&dir.join("p.toml")).unwrap();
    let (mut set, mut from_fallback) = (String::new(), 0);
    for item in &t.pages[0].items {
        if let paiban::page::Item::Text(r) = item {
            set.push_str(&r.text);
            from_fallback += r
                .glyphs
                .iter()
                .filter(|g| t.book.role(g.face) == Some("fallback 1"))
                .count();
        }
    }
    // Every rare character from the fallback, also those another role's face has (LXGW
    // WenKai has 𠮷): a 生僻字 in a 宋体 paragraph takes the 明朝 fallback, not the 楷体.
    let rare: Vec<char> = EXT_B_TO_F
        .chars()
        .filter(|c| *c as u32 >= 0x20000)
        .collect();
    assert_eq!(rare.len(), 7);
    assert!(set.contains(EXT_B_TO_F), "{set}");
    assert_eq!(from_fallback, rare.len(), "glyphs from the fallback face");
}

#[test]
#[ignore = "needs pdftotext"]
fn ext_b_names_extract_from_the_pdf() {
    let dir = names_page("rare-builtin-pdf");
    let out = dir.join("out");
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let pdf = out.join("p.pdf");
    let text: String = tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains(EXT_B_TO_F), "{text}");
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(fonts.contains("+HanaMinB"), "{fonts}");
}
