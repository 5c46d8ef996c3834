//! paiban installed: the program carries its fonts, so a copy of the binary anywhere builds
//! the examples with the checkout out of reach; a user's layout names bundled fonts.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// The example editions copied into `dir` (`input/weidong`, and `input/jump`, whose plans
/// point into `../weidong`).
fn copy_examples(dir: &Path) {
    copy_dir(&root().join("input/weidong"), &dir.join("input/weidong"));
    copy_dir(&root().join("input/jump"), &dir.join("input/jump"));
}

/// A copy of the program in `root/bin`, as `cargo install --root root` leaves it.
fn installed(root_dir: &Path) -> std::path::PathBuf {
    let bin = root_dir.join("bin/paiban");
    std::fs::create_dir_all(root_dir.join("bin")).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_paiban"), &bin).unwrap();
    bin
}

#[test]
#[ignore = "needs strace"]
fn an_installed_copy_builds_without_touching_the_checkout() {
    let tmp = temp_dir("installed");
    let bin = installed(&tmp.join("root"));
    let work = tmp.join("desk");
    copy_examples(&work);
    let log = tmp.join("files.log");
    let out = Command::new("strace")
        .args(["-f", "-e", "trace=%file", "-o"])
        .arg(&log)
        .arg(&bin)
        .args(["build", "input/jump", "-o", "out", "--no-cache"])
        .current_dir(&work)
        // As a shell runs an installed program: no checkout in the environment either (cargo
        // test puts its target folders on the library path and names the manifest).
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("strace is needed for this test (apt-get install strace)");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let pdf = std::fs::read(work.join("out/jump.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Both pages, every face embedded: the fonts came from inside the program.
    let embedded = pdf.windows(9).filter(|w| w == b"/FontFile").count();
    assert!(embedded >= 3, "{embedded} embedded fonts");
    let files = std::fs::read_to_string(&log).unwrap();
    let checkout = root().to_string_lossy().into_owned();
    let touched: Vec<&str> = files.lines().filter(|l| l.contains(&checkout)).collect();
    assert!(
        touched.is_empty(),
        "the installed program looked into its checkout:\n{}",
        touched.join("\n")
    );
    // The trace saw the build's own files, so an empty list means something.
    assert!(files.contains("p01.toml"), "strace logged no file access");
}

/// The weidong page with a layout of its own in `layouts/house.toml` whose `[fonts]` are `fonts`.
fn house_page(name: &str, fonts: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    copy_dir(&root().join("input/weidong"), &dir);
    std::fs::create_dir_all(dir.join("layouts")).unwrap();
    std::fs::write(
        dir.join("layouts/house.toml"),
        format!("base = \"broadsheet\"\n\n[fonts]\n{fonts}\n"),
    )
    .unwrap();
    let plan = std::fs::read_to_string(dir.join("p05.toml")).unwrap();
    std::fs::write(
        dir.join("p05.toml"),
        plan.replace("layout = \"broadsheet\"", "layout = \"house\""),
    )
    .unwrap();
    dir
}

#[test]
fn a_layout_names_a_bundled_font() {
    let dir = house_page("bundled-font", "serif = \"bundled:LXGWWenKai-Regular\"");
    let out = dir.join("out");
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p05.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let pdf = std::fs::read(out.join("p05.pdf")).unwrap();
    let has = |name: &[u8]| pdf.windows(name.len()).any(|w| w == name);
    // Body text in the 楷体 the layout asked for; the base's serif no longer used for body.
    assert!(
        has(b"LXGWWenKai-Regular"),
        "the bundled 楷体 is not in the PDF"
    );
}

#[test]
fn an_unknown_bundled_font_is_an_error_naming_the_bundled_ones() {
    let dir = house_page("bundled-unknown", "serif = \"bundled:Arial\"");
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p05.toml").to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no font `Arial` ships with paiban"), "{err}");
    assert!(err.contains("bundled:NotoSerifSC-Regular"), "{err}");
    assert!(err.contains("house.toml:4"), "{err}");
    assert!(!dir.join("out/p05.pdf").exists());
}

#[test]
fn help_layouts_gives_the_search_order() {
    let (code, out, err) = paiban(&["help", "layouts"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("layouts/NAME.toml in the plan's folder"),
        "{out}"
    );
    assert!(out.contains("PAIBAN_LAYOUTS"), "{out}");
    let (code, out, _) = paiban(&["layouts"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("broadsheet") && out.contains("bundled:LXGWWenKai-Regular"),
        "{out}"
    );
    assert!(out.contains("carried inside this program"), "{out}");
}

/// Runs paiban with `PAIBAN_FONT_DIRS` naming `fonts`.
fn paiban_with_fonts(fonts: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .env("PAIBAN_FONT_DIRS", fonts)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_layout_names_an_installed_font_by_family() {
    // A house font installed under a file name of its own; the layout names its family in
    // Chinese (the name table's zh entry).
    let fonts = temp_dir("family-fonts");
    std::fs::copy(
        root().join("fonts/LXGWWenKai-Regular.ttf"),
        fonts.join("house-kai.ttf"),
    )
    .unwrap();
    let dir = house_page("family", "serif = { family = \"霞鹜文楷\" }");
    let out = dir.join("out");
    let plan = dir.join("p05.toml");
    let (code, err) = paiban_with_fonts(
        &fonts,
        &["build", plan.to_str().unwrap(), "-o", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let pdf = std::fs::read(out.join("p05.pdf")).unwrap();
    assert!(
        pdf.windows(9).any(|w| w == b"house-kai"),
        "the installed font is not the body's"
    );
    // A family no installed font has: an error at the layout's line with the close matches.
    let dir = house_page("family-typo", "serif = { family = \"霞鹜文揩\" }");
    let (code, err) = paiban_with_fonts(
        &fonts,
        &[
            "build",
            dir.join("p05.toml").to_str().unwrap(),
            "-o",
            dir.join("out").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("house.toml:4:1"), "{err}");
    assert!(
        err.contains("no font of the family `霞鹜文揩` is installed"),
        "{err}"
    );
    assert!(
        err.contains("`霞鹜文楷`"),
        "the close match is not offered: {err}"
    );
    assert!(!dir.join("out/p05.pdf").exists());
}

#[test]
fn an_edition_mixes_layouts_with_other_fonts() {
    // The jump edition, its second page on a layout of its own whose body face is the 楷体.
    let dir = temp_dir("mixed-fonts");
    copy_examples(&dir);
    let ed = dir.join("input/jump");
    std::fs::write(
        ed.join("layouts/kai.toml"),
        "base = \"tabloid\"\n\n[fonts]\nserif = \"bundled:LXGWWenKai-Regular\"\n",
    )
    .unwrap();
    let p02 = std::fs::read_to_string(ed.join("p02.toml")).unwrap();
    assert!(p02.contains("layout = \"tabloid\""));
    std::fs::write(
        ed.join("p02.toml"),
        p02.replace("layout = \"tabloid\"", "layout = \"kai\""),
    )
    .unwrap();
    let t = paiban::pipeline::typeset(&ed).unwrap();
    // The body lines of each page: the face each is set in.
    let body_faces = |page: usize| -> std::collections::BTreeSet<String> {
        t.pages[page]
            .items
            .iter()
            .filter_map(|i| match i {
                paiban::page::Item::Text(r) if r.role == paiban::flow::LineRole::Body => {
                    r.glyphs.first().map(|g| g.face)
                }
                _ => None,
            })
            .map(|f| {
                let face = t.book.face(f).unwrap();
                face.path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    assert!(
        body_faces(0).contains("NotoSerifSC-Regular.ttf"),
        "{:?}",
        body_faces(0)
    );
    assert!(!body_faces(0).contains("LXGWWenKai-Regular.ttf"));
    // Page 2's own stories in its layout's body face (the story jumping from page 1 keeps the
    // face it started in).
    assert!(
        body_faces(1).contains("LXGWWenKai-Regular.ttf"),
        "page 2's body is not in its layout's face: {:?}",
        body_faces(1)
    );
    // Each font file once in the book (the 楷体 is page 1's kai and page 2's serif).
    let files: Vec<_> = (0..t.book.len())
        .map(|i| t.book.face(i).unwrap().path.clone())
        .collect();
    let mut unique = files.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(files.len(), unique.len(), "{files:?}");
    // And the edition builds into one PDF.
    let (code, _, err) = paiban(&[
        "build",
        ed.to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}
