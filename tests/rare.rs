//! Rare characters (issue 19): a `[fonts] fallback` font sets what no role's font has, and a
//! character no font has is reported for the whole edition at once.

mod common;
use common::*;

/// A page whose story names 王𪛖 (U+2A6D6, CJK Ext. B: none of the project's fonts has it),
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
            paiban::page::Item::Text(r) if r.text.contains('𪛖') => Some(r),
            _ => None,
        })
        .flat_map(|r| {
            r.glyphs
                .iter()
                .filter(|g| t.book.role(g.face) == Some("fallback 1"))
        })
        .collect();
    // Both 𪛖 of the copy, from the fallback font, at the body size on the body's grid.
    assert_eq!(rare.len(), 2);
    assert!(rare.iter().all(|g| g.size == 9.0));
    // Without it, the build stops and names the character.
    let plan = page("rare-none", "");
    let e = paiban::pipeline::typeset(&plan).err().unwrap().to_string();
    assert!(
        e.contains("U+2A6D6") && e.contains("2 times in this file"),
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
    assert!(text.contains("王𪛖"), "{text}");
}
