//! The desk's command line: proof, check (table and JSON), diagnostics, watch.

mod common;
use common::*;
use std::time::{Duration, Instant};

#[test]
fn proof_writes_png_pages_and_grid_overlay() {
    let out = temp_dir("proof");
    let input = root().join("input/weidong");
    let (code, _, err) = paiban(&[
        "proof",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--dpi",
        "36",
    ]);
    assert_eq!(code, 0, "{err}");
    let png = std::fs::read(out.join("weidong-p05.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // 36 dpi: half a point per pixel; the page with bleed is 396 × 546 mm.
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert!(
        (w as i64 - 561).abs() <= 2 && (h as i64 - 774).abs() <= 2,
        "{w}×{h}"
    );
    let grid_out = temp_dir("proof-grid");
    let (code, _, err) = paiban(&[
        "proof",
        input.to_str().unwrap(),
        "-o",
        grid_out.to_str().unwrap(),
        "--dpi",
        "36",
        "--grid",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_ne!(
        std::fs::read(grid_out.join("weidong-p05.png")).unwrap(),
        png,
        "the grid changes the proof"
    );
}

fn long_story_edition(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    copy_dir(&root().join("input/weidong"), &dir);
    let story = dir.join("stories/qianshu.md");
    let mut text = std::fs::read_to_string(&story).unwrap();
    text.push_str(&format!(
        "\n{}\n",
        "这是为测试加长的一段正文，它让这篇稿子超出版面。".repeat(6)
    ));
    std::fs::write(&story, text).unwrap();
    dir
}

#[test]
fn check_reports_copy_fit_as_table_and_json() {
    let input = root().join("input/weidong");
    let (code, out, err) = paiban(&["check", input.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true);
    let stories = v["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 8);
    for s in stories {
        for key in ["chars", "lines_set", "lines_available", "overset_chars"] {
            assert!(s[key].is_u64(), "{key} in {s}");
        }
    }
    assert!(v["pages"][0]["photos"][0]["ppi"].as_f64().unwrap() >= 150.0);

    let long = long_story_edition("check-long");
    let (code, out, err) = paiban(&["check", long.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.lines()
            .any(|l| l.contains("qianshu") && l.contains("c/")),
        "{out}"
    );
    assert!(err.contains("story `qianshu` is overset by"), "{err}");
    let (code, out, _) = paiban(&["check", long.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    let q = v["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "qianshu")
        .unwrap();
    assert!(q["overset_chars"].as_u64().unwrap() > 0);
}

#[test]
fn check_json_reports_input_errors() {
    let case = root().join("tests/bad-input/unknown-key/p.toml");
    let (code, out, _) = paiban(&["check", case.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    assert!(v["errors"][0]["hint"]
        .as_str()
        .unwrap()
        .contains("did you mean `columns`?"));
}

#[test]
fn diagnostics_show_file_line_caret_and_hint() {
    let dir = temp_dir("diag");
    std::fs::write(
        dir.join("s.md"),
        "+++\nheadline = \"标题\nkicker = 1\n+++\n正文\n",
    )
    .unwrap();
    std::fs::write(dir.join("p.toml"), "layout = \"broadsheet\"\nnumber = 1\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1-99\"\nlines = \"1-5\"\n").unwrap();
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p.toml").to_str().unwrap(),
        "-o",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("p.toml:6:11: columns \"1-99\" exceed the grid's 8 columns"),
        "{err}"
    );
    assert!(
        err.contains("6 | columns = \"1-99\"\n  |           ^"),
        "{err}"
    );
    assert!(
        err.contains("= hint: the layout `broadsheet` has columns 1-8"),
        "{err}"
    );
    std::fs::write(dir.join("p.toml"), "layout = \"broadsheet\"\nnumber = 1\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1-2\"\nlines = \"1-5\"\n").unwrap();
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p.toml").to_str().unwrap(),
        "-o",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("s.md:2:"), "{err}");
    assert!(err.contains("2 | headline = \"标题"), "{err}");
}

#[test]
fn watch_rebuilds_after_a_story_is_edited() {
    let dir = temp_dir("watch");
    copy_dir(&root().join("input/weidong"), &dir.join("ed"));
    let out = dir.join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args([
            "watch",
            dir.join("ed").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pdf = out.join("ed.pdf");
    let wait_for = |pred: &dyn Fn() -> bool| {
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(60) {
            if pred() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    assert!(wait_for(&|| pdf.is_file()), "first build never appeared");
    let first = std::fs::read(&pdf).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let story = dir.join("ed/stories/qianshu.md");
    let text = std::fs::read_to_string(&story)
        .unwrap()
        .replace("签署框架协议", "签署合作框架协议");
    std::fs::write(&story, text).unwrap();
    let changed = wait_for(&|| std::fs::read(&pdf).map(|b| b != first).unwrap_or(false));
    let _ = child.kill();
    let _ = child.wait();
    assert!(changed, "the PDF was not rebuilt after the edit");
}

#[test]
fn watch_writes_no_pdf_while_copy_is_overset_unless_allowed() {
    let dir = temp_dir("watch-overset");
    copy_dir(&root().join("input/weidong"), &dir.join("ed"));
    let story = dir.join("ed/stories/qianshu.md");
    let long = std::fs::read_to_string(&story).unwrap() + &"\n\n又一段补充的文字。".repeat(40);
    std::fs::write(&story, long).unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.join(name);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paiban"))
            .args(["watch", dir.join("ed").to_str().unwrap(), "-o"])
            .arg(&out)
            .args(["--proof", "--dpi", "20"])
            .args(extra)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let png = out.join("ed-p05.png");
        let t = Instant::now();
        while !png.is_file() && t.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_millis(500));
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr).into_owned();
        (png.is_file(), out.join("ed.pdf").is_file(), err)
    };
    let (proofed, pdf, err) = run("held", &[]);
    assert!(proofed, "no proof of the overset page: {err}");
    assert!(!pdf, "a PDF was written with copy overset: {err}");
    assert!(
        err.contains("no PDF written while copy is overset"),
        "{err}"
    );
    assert!(err.contains("qianshu") && err.contains("overset"), "{err}");
    let (_, pdf, err) = run("allowed", &["--allow-overset"]);
    assert!(pdf, "--allow-overset wrote no PDF: {err}");
}

#[test]
fn all_faults_of_a_plan_are_reported_at_once() {
    let dir = temp_dir("many");
    std::fs::write(
        dir.join("s.md"),
        "+++\nheadline = \"标题\"\n+++\n\n正文。\n",
    )
    .unwrap();
    let plan = "layout = \"broadsheet\"\nnumber = 1\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1-99\"\nlines = \"1-5\"\n\n[[story]]\nfile = \"none.md\"\ncolumns = \"3-4\"\nlines = \"9-2\"\n\n[[photo]]\nfile = \"missing.jpg\"\ncolumns = \"5\"\nlines = \"1-5\"\n";
    std::fs::write(dir.join("p.toml"), plan).unwrap();
    let (code, _, err) = paiban(&["check", dir.join("p.toml").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("p.toml:6:11: columns \"1-99\" exceed"),
        "{err}"
    );
    assert!(
        err.contains("p.toml:12:9: range `9-2` is reversed"),
        "{err}"
    );
    assert!(
        err.contains("p.toml:15:8: file `missing.jpg` not found"),
        "{err}"
    );
    assert_eq!(err.matches("error: ").count(), 3, "{err}");
}

/// Builds `input` into `out` and returns the PDF's bytes.
fn build_bytes(input: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "-q",
        "build",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, _, err) = paiban(&args);
    assert_eq!(code, 0, "{err}");
    std::fs::read(out.join("weidong.pdf")).unwrap()
}

/// A copy of the example edition to edit, an output folder and a second one for fresh builds.
fn scratch_example(test: &str) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let dir = temp_dir(&format!("{test}-edition")).join("weidong");
    copy_dir(&root().join("input/weidong"), &dir);
    (
        dir,
        temp_dir(&format!("{test}-out")),
        temp_dir(&format!("{test}-fresh")),
    )
}

/// How many entries with extension `ext` the cache of output folder `out` holds.
fn cache_entries(out: &std::path::Path, ext: &str) -> usize {
    std::fs::read_dir(out.join(".paiban-cache"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some(ext.as_ref()))
        .count()
}

#[test]
fn rebuilds_from_the_cache_are_byte_identical_to_fresh_builds() {
    let (dir, out, fresh) = scratch_example("cache");
    let first = build_bytes(&dir, &out, &[]);
    let entries = |ext: &str| cache_entries(&out, ext);
    assert!(entries("font") >= 3, "one subset per face is cached");
    let second = build_bytes(&dir, &out, &[]);
    assert!(first == second, "a rebuild from the cache changed the PDF");
    assert!(build_bytes(&dir, &fresh, &["--no-cache"]) == second);

    // Characters the page did not have: the body face's glyph set changes, so its cached
    // subset must not be used (the others still are).
    let story = dir.join("stories/qianshu.md");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(
        &story,
        text.replacen("签署框架协议。", "签署麒麟鳜鱼协议。", 1),
    )
    .unwrap();
    let edited = build_bytes(&dir, &out, &["--allow-overset"]);
    assert!(edited != second);
    assert!(build_bytes(&dir, &fresh, &["--allow-overset", "--no-cache"]) == edited);
    // The edit is on the page (read from the pages, not the PDF: no tool needed here).
    let t = paiban::pipeline::typeset(&dir).unwrap();
    let set: String = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            paiban::page::Item::Text(l) => Some(
                l.glyphs
                    .iter()
                    .filter_map(|g| l.text.get(g.start as usize..g.end as usize))
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect();
    assert!(set.contains("麒麟鳜鱼"), "{set}");
}

#[test]
fn a_photo_frame_resized_within_the_ppi_limit_keeps_its_prepared_photo() {
    // Converting a photo is most of a first build; a frame made smaller or larger without the
    // photo going over the ppi limit leads to the same prepared pixels, so the cache serves it
    // (no new entry), and the PDF is still the one a fresh build makes.
    let (dir, out, fresh) = scratch_example("resize");
    let before = build_bytes(&dir, &out, &[]);
    let photos = || cache_entries(&out, "img");
    let entries = photos();
    assert!(entries >= 2, "the example's converted photos are cached");
    let plan = dir.join("p05.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    // The village photo: four columns wide at about 160 ppi, made three (about 215).
    let village = "file = \"photos/village.jpg\"\ncolumns = \"5-8\"";
    assert!(text.contains(village));
    let narrower = village.replace("5-8", "6-8");
    std::fs::write(&plan, text.replace(village, &narrower)).unwrap();
    let resized = build_bytes(&dir, &out, &["--allow-overset"]);
    assert!(resized != before, "the frames changed");
    assert_eq!(
        photos(),
        entries,
        "a resized frame's photo was converted again"
    );
    assert!(build_bytes(&dir, &fresh, &["--allow-overset", "--no-cache"]) == resized);
}

#[test]
fn the_pdf_does_not_depend_on_the_number_of_cores() {
    // Work is spread over the cores (pages, faces, photos, halves of large fonts): on one core
    // the bytes must be the same.
    let input = root().join("input/weidong");
    let (all, one) = (temp_dir("cores-all"), temp_dir("cores-one"));
    let a = build_bytes(&input, &all, &["--no-cache"]);
    let out = std::process::Command::new("taskset")
        .args(["-c", "0", env!("CARGO_BIN_EXE_paiban"), "-q", "build"])
        .arg(&input)
        .arg("-o")
        .arg(&one)
        .arg("--no-cache")
        .output()
        .expect("taskset (util-linux) is needed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b = std::fs::read(one.join("weidong.pdf")).unwrap();
    assert!(a == b, "the PDF built on one core differs");
}

/// Issue 22: one naming rule for an edition given as its folder or its edition.toml; crop
/// marks never over the plant PDF; `-o` naming a file is a clear error; plural wording.
#[test]
fn output_names_marks_and_an_output_that_is_a_file() {
    let out = temp_dir("names");
    let ed = root().join("input/jump");
    for input in [ed.clone(), ed.join("edition.toml")] {
        let (code, _, err) = paiban(&[
            "build",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(out.join("jump.pdf").is_file(), "{input:?}");
        std::fs::remove_file(out.join("jump.pdf")).unwrap();
    }
    assert!(!out.join("edition.pdf").exists());
    let plant = out.join("jump.pdf");
    let (code, _, err) = paiban(&["build", ed.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&plant).unwrap();
    let (code, _, err) = paiban(&[
        "build",
        ed.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--marks",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join("jump-marks.pdf").is_file());
    assert_eq!(
        std::fs::read(&plant).unwrap(),
        before,
        "--marks overwrote the plant PDF"
    );
    // -o naming a file.
    let file = out.join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    for cmd in ["build", "proof"] {
        let (code, _, err) = paiban(&[cmd, ed.to_str().unwrap(), "-o", file.to_str().unwrap()]);
        assert_eq!(code, 1, "{cmd}");
        assert!(
            err.contains("the output folder (-o) is a file"),
            "{cmd}: {err}"
        );
    }
    // ppi in the JSON report rounded to a tenth, without float noise (189.6, not 189.60000610351562).
    let (_, json, _) = paiban(&["check", ed.to_str().unwrap(), "--format", "json"]);
    let ppis: Vec<&str> = json
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"ppi\": "))
        .collect();
    assert!(!ppis.is_empty(), "{json}");
    for p in ppis {
        let decimals = p
            .trim_end_matches(',')
            .split('.')
            .nth(1)
            .map_or(0, str::len);
        assert!(decimals <= 1, "ppi {p}");
    }
    assert_eq!(paiban::pipeline::count(1, "line"), "1 line");
    assert_eq!(paiban::pipeline::count(3, "line"), "3 lines");
}

/// Issue 22: a file of the wrong kind named for what it is; an unquoted range with a quoting
/// hint; a proof resolution out of range and -q with -v refused.
#[test]
fn wrong_kinds_of_input_and_flags_are_named() {
    for (file, kind) in [
        ("input/weidong/stories/sizhua.md", "this is a story file"),
        ("input/weidong/photos/village.jpg", "this is a photo"),
    ] {
        let (code, _, err) = paiban(&["build", root().join(file).to_str().unwrap()]);
        assert_eq!(code, 1, "{file}");
        assert!(
            err.contains(kind) && err.contains("not an edition or page plan"),
            "{err}"
        );
    }
    let dir = temp_dir("unquoted-range");
    std::fs::write(
        dir.join("p.toml"),
        "layout = \"broadsheet\"\nnumber = 1\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1\"\nlines = 1-24\n",
    )
    .unwrap();
    let (code, _, err) = paiban(&["check", dir.join("p.toml").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("p.toml:7:9") && err.contains("write them in quotes"),
        "{err}"
    );
    let ed = root().join("input/weidong");
    for dpi in ["0", "5000", "x"] {
        let (code, _, err) = paiban(&["proof", ed.to_str().unwrap(), "--dpi", dpi]);
        assert_eq!(code, 2, "--dpi {dpi}");
        assert!(err.contains("--dpi"), "{err}");
    }
    let (code, _, err) = paiban(&["-q", "-v", "check", ed.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

/// Issue 22: an overset (which fails the build) hides none of the run's warnings.
#[test]
fn an_overset_build_still_prints_every_warning() {
    let dir = temp_dir("overset-warnings");
    let long = "这是一段很长的正文，用来检验排版。".repeat(60);
    std::fs::write(
        dir.join("s.md"),
        format!("+++\nheadline = \"标题\"\n+++\n\n{long}\n"),
    )
    .unwrap();
    let photo = root().join("input/weidong/photos/village.jpg");
    std::fs::write(
        dir.join("p.toml"),
        format!(
            "layout = \"broadsheet\"\nnumber = 1\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1\"\nlines = \"1-10\"\n\n\
             [[photo]]\nfile = \"{}\"\ncolumns = \"2-8\"\nlines = \"1-80\"\n",
            photo.display()
        ),
    )
    .unwrap();
    let out = dir.join("out");
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is overset by"), "{err}");
    assert!(
        err.contains("warning:") && err.contains("ppi"),
        "low resolution not reported: {err}"
    );
    assert!(!out.join("p.pdf").exists());
}

/// Issue 22: one page of a threaded edition built alone says where its story continues.
#[test]
fn one_page_of_a_threaded_edition_says_where_the_story_continues() {
    let out = temp_dir("one-page-of-jump");
    let plan = root().join("input/jump/p01.toml");
    let (code, _, err) = paiban(&["build", plan.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("jiaotong")
            && err.contains("it continues on 第2版")
            && err.contains("p02.toml"),
        "{err}"
    );
    // The edition itself has no such overset.
    let (code, _, err) = paiban(&[
        "build",
        root().join("input/jump").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

/// Issue 22: `-v` gives the time of each stage for `check` too.
#[test]
fn check_verbose_prints_timings() {
    let ed = root().join("input/weidong");
    let (code, _, err) = paiban(&["-v", "check", ed.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for stage in ["load", "flow", "compose", "pdf"] {
        assert!(
            err.lines()
                .any(|l| l.trim_start().starts_with(stage) && l.ends_with(" ms")),
            "no {stage} timing: {err}"
        );
    }
    let (_, _, quiet) = paiban(&["-q", "check", ed.to_str().unwrap()]);
    assert!(!quiet.contains(" ms"), "{quiet}");
}

/// Checks `v` against the subset of JSON Schema docs/report-schema.json uses: type (one or a
/// list), enum, required, properties, items and local `$ref`s. Returns the first mismatch.
fn schema_fault(
    v: &serde_json::Value,
    s: &serde_json::Value,
    root: &serde_json::Value,
    at: &str,
) -> Option<String> {
    use serde_json::Value;
    if let Some(r) = s["$ref"].as_str() {
        let name = r.trim_start_matches("#/$defs/");
        return schema_fault(v, &root["$defs"][name], root, at);
    }
    if let Some(types) = s.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
            _ => vec![],
        };
        let kind = match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits = allowed.contains(&kind) || (kind == "integer" && allowed.contains(&"number"));
        if !fits {
            return Some(format!("{at}: {kind}, schema says {allowed:?}"));
        }
    }
    if let Some(options) = s["enum"].as_array() {
        if !options.contains(v) {
            return Some(format!("{at}: {v} not in {options:?}"));
        }
    }
    for key in s["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k.as_str())
    {
        if v.get(key).is_none() {
            return Some(format!("{at}: no `{key}`"));
        }
    }
    if let (Some(props), Some(obj)) = (s["properties"].as_object(), v.as_object()) {
        for (k, sub) in props {
            if let Some(x) = obj.get(k) {
                if let Some(f) = schema_fault(x, sub, root, &format!("{at}.{k}")) {
                    return Some(f);
                }
            }
        }
        if let Some(extra) = obj.keys().find(|k| !props.contains_key(*k)) {
            return Some(format!("{at}: `{extra}` is not in the schema"));
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            if let Some(f) = schema_fault(x, items, root, &format!("{at}[{i}]")) {
                return Some(f);
            }
        }
    }
    None
}

/// Issue 22: the JSON report follows docs/report-schema.json — for a good edition (with
/// warnings), an overset one and an input that cannot be laid out; errors are objects with
/// file, line and column.
#[test]
fn the_json_report_follows_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report-schema.json")).unwrap(),
    )
    .unwrap();
    let cases = [
        root().join("input/weidong"),
        root().join("tests/bad-input/overset/p.toml"),
        root().join("tests/bad-input/frame-off-grid/p.toml"),
    ];
    for case in &cases {
        let (_, json, err) = paiban(&["check", case.to_str().unwrap(), "--format", "json"]);
        let v: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}{err}"));
        assert_eq!(
            schema_fault(&v, &schema, &schema, "$"),
            None,
            "{}",
            case.display()
        );
    }
    // `--fit` adds its `fit` array (issue 20), and auto frames are listed.
    let (_, json, err) = paiban(&[
        "check",
        cases[0].to_str().unwrap(),
        "--fit",
        "--format",
        "json",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}{err}"));
    assert_eq!(schema_fault(&v, &schema, &schema, "$"), None);
    assert_eq!(v["fit"].as_array().map(Vec::len), Some(8), "{v}");
    assert!(v["auto_frames"].is_array());
    let (_, json, _) = paiban(&["check", cases[2].to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let e = &v["errors"][0];
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(8), Some(11)),
        "{v}"
    );
    assert!(e["file"].as_str().unwrap().ends_with("p.toml") && e["hint"].is_string());
    assert_eq!(v["edition"], "p");
    // The schema check itself catches a wrong type.
    let mut broken = v.clone();
    broken["errors"][0]["line"] = serde_json::json!("8");
    assert!(schema_fault(&broken, &schema, &schema, "$").is_some());
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let out = temp_dir("bar-piped");
    let (code, _, err) = paiban(&[
        "proof",
        root().join("input/jump").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--dpi",
        "20",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains('\x1b') && !err.contains("/3 "), "{err:?}");
    assert!(err.contains("wrote "), "{err}");
}

#[test]
#[ignore = "needs script(1) for a terminal"]
fn a_progress_bar_on_a_terminal_through_the_stages() {
    let out = temp_dir("bar-tty");
    let cmd = format!(
        "{} proof {} -o {} --dpi 20",
        env!("CARGO_BIN_EXE_paiban"),
        root().join("input/jump").display(),
        out.display()
    );
    let tty = tool("script", &["-qec", &cmd, "/dev/null"]);
    assert!(tty.contains("1/3 typesetting"), "{tty:?}");
    assert!(tty.contains("rendering 2 pages"), "{tty:?}");
    assert!(tty.contains("3/3 writing the proofs"), "{tty:?}");
    // The bar is cleared: the last lines are the files written, not a bar.
    assert!(tty.trim_end().ends_with("jump-p02.png"), "{tty:?}");
    // -q: no bar either.
    let quiet = tool("script", &["-qec", &format!("{cmd} -q"), "/dev/null"]);
    assert!(!quiet.contains("/3"), "{quiet:?}");
}

/// The fenced blocks of a README section, in order.
fn readme_blocks(section: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find(section).expect("the README section");
    let rest = &readme[start + section.len()..];
    let body = &rest[..rest.find("\n## Command reference").unwrap_or(rest.len())];
    body.split("```")
        .skip(1)
        .step_by(2)
        .map(|b| b.split_once('\n').map_or("", |(_, code)| code).to_string())
        .collect()
}

#[test]
fn the_readme_tutorial_makes_its_page() {
    let blocks = readme_blocks("## A page in five minutes");
    assert!(blocks.len() >= 2, "{blocks:?}");
    let dir = temp_dir("tutorial").join("mypaper");
    std::fs::create_dir_all(dir.join("stories")).unwrap();
    std::fs::write(dir.join("stories/shufang.md"), &blocks[0]).unwrap();
    std::fs::write(dir.join("p01.toml"), &blocks[1]).unwrap();
    let plan = dir.join("p01.toml");
    let (code, table, err) = paiban(&["check", plan.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(table.contains("shufang"), "{table}");
    assert!(
        err.contains("underset"),
        "the tutorial talks of the underset warning: {err}"
    );
    let out = dir.join("output");
    let (code, _, err) = paiban(&["build", plan.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join("p01.pdf").is_file());
}
