//! Print-ready output: the plant's checks (tests/tools/print-checks.sh, a copy of
//! shared/tools/print-checks.sh) for PDF/X-4 and PDF/X-1a, Ghostscript, determinism, atomic
//! writes.

mod common;
use common::*;
use std::process::Command;

fn build(name: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = temp_dir(name);
    let mut args = vec!["build", "input/weidong", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let input = root().join("input/weidong");
    args[1] = input.to_str().unwrap();
    let (code, _, err) = paiban(&args);
    assert_eq!(code, 0, "{err}");
    // A proof with crop marks has a name of its own, never the plant PDF's.
    let marked = out.join("weidong-marks.pdf");
    if extra.contains(&"--marks") {
        assert!(
            !out.join("weidong.pdf").exists(),
            "--marks wrote weidong.pdf"
        );
        return marked;
    }
    assert!(!marked.exists());
    out.join("weidong.pdf")
}

fn print_checks(pdf: &std::path::Path) -> (bool, String) {
    let out = Command::new("bash")
        .arg(root().join("tests/tools/print-checks.sh"))
        .arg(pdf)
        .output()
        .expect("bash");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
#[ignore = "needs poppler-utils, qpdf, mupdf-tools, ghostscript; run with --include-ignored"]
fn pdfx4_passes_the_plant_checks() {
    let pdf = build("pdfx4", &[]);
    let (ok, report) = print_checks(&pdf);
    assert!(ok, "{report}");
    assert!(report.contains("GTS_PDFXVersion (PDF/X-4)"), "{report}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-1.6"));
}

#[test]
#[ignore = "needs poppler-utils, qpdf, mupdf-tools, ghostscript; run with --include-ignored"]
fn pdfx1a_passes_the_plant_checks() {
    let pdf = build("pdfx1a", &["--pdfx", "1a"]);
    let (ok, report) = print_checks(&pdf);
    assert!(ok, "{report}");
    assert!(
        report.contains("GTS_PDFXVersion (PDF/X-1a:2003)"),
        "{report}"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/GTS_PDFXConformance"));
    assert!(
        !text.contains("/ICCBased"),
        "X-1a has no ICC-based colour outside the output intent"
    );
}

#[test]
#[ignore = "needs ghostscript; run with --include-ignored"]
fn ghostscript_renders_without_warnings() {
    for (name, extra) in [("gs4", &[][..]), ("gs1a", &["--pdfx", "1a"][..])] {
        let pdf = build(name, extra);
        let out = Command::new("gs")
            .args(["-dBATCH", "-dNOPAUSE", "-q", "-sDEVICE=nullpage"])
            .arg(&pdf)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && all.trim().is_empty(),
            "gs said: {all}"
        );
    }
}

#[test]
fn same_input_gives_identical_bytes() {
    let a = std::fs::read(build("det-a", &[])).unwrap();
    let b = std::fs::read(build("det-b", &[])).unwrap();
    assert!(a == b, "two builds differ");
    // SOURCE_DATE_EPOCH changes the dates, and only on request.
    let out = temp_dir("det-epoch");
    let st = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args([
            "build",
            root().join("input/weidong").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .status()
        .unwrap();
    assert!(st.success());
    let c = std::fs::read(out.join("weidong.pdf")).unwrap();
    assert!(a != c);
    assert!(String::from_utf8_lossy(&c).contains("D:20231114221320"));
    assert!(String::from_utf8_lossy(&a).contains("D:20220726000000"));
}

#[test]
fn black_text_is_100k_and_overprints() {
    let t = paiban::pipeline::typeset(&root().join("input/weidong")).unwrap();
    let opts = paiban::pipeline::pdf_options(&t, &paiban::pipeline::BuildOptions::default(), None);
    let opts = paiban::pdf::PdfOptions {
        compression: 0,
        ..opts
    };
    let bytes = paiban::pdf::write_pdf(&t.pages, &t.book, &opts).unwrap();
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("/OP true") && s.contains("/op true") && s.contains("/OPM 1"));
    assert!(s.contains("/GS0 gs"));
    assert!(s.contains("0 0 0 1 k"), "text filled with 0/0/0/100");
    assert!(
        !s.contains(" rg") && !s.contains(" RG"),
        "no RGB colour operators"
    );
    assert!(s.contains("/TrimBox") && s.contains("/BleedBox") && s.contains("/OutputIntents"));
}

#[test]
fn marks_put_crop_marks_outside_the_bleed() {
    let plain = build("marks-off", &[]);
    let marked = build("marks-on", &["--marks"]);
    let media = |p: &std::path::Path| {
        let s = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        let i = s.find("/MediaBox [").unwrap();
        s[i + 11..]
            .split(']')
            .next()
            .unwrap()
            .split_whitespace()
            .map(|v| v.parse::<f32>().unwrap())
            .collect::<Vec<_>>()
    };
    let (a, b) = (media(&plain), media(&marked));
    assert!(
        (b[2] - a[2] - 2.0 * paiban::pdf::MARKS_ROOM).abs() < 0.01,
        "{a:?} {b:?}"
    );
}

#[test]
fn failed_build_leaves_no_pdf() {
    let dir = temp_dir("atomic");
    copy_dir(&root().join("input/weidong"), &dir);
    // A corrupt photo: the build fails after layout, before any file appears.
    std::fs::write(
        dir.join("photos/signing.jpg"),
        b"\xFF\xD8\xFF\xE0 truncated",
    )
    .unwrap();
    let out = dir.join("out");
    let (code, _, err) = paiban(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("signing.jpg"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&out)
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "files left: {left:?}");
}

#[test]
#[ignore = "needs poppler-utils (pdftotext); run with --include-ignored"]
fn marks_add_a_slug_line_outside_the_trim() {
    let marked = build("slug", &["--marks"]);
    let text = tool("pdftotext", &[marked.to_str().unwrap(), "-"]);
    assert!(
        text.contains("p05.toml") && text.contains("第5版") && text.contains("paiban"),
        "{text}"
    );
    let plain = build("slug-off", &[]);
    let text = tool("pdftotext", &[plain.to_str().unwrap(), "-"]);
    assert!(!text.contains("p05.toml"), "no slug without --marks");
}

#[test]
fn proof_photos_at_proof_resolution_look_the_same() {
    // The proof reduces photos to its resolution before rendering; the picture must not change.
    let t = paiban::pipeline::typeset(&root().join("input/weidong")).unwrap();
    let base = paiban::pipeline::pdf_options(&t, &paiban::pipeline::BuildOptions::default(), None);
    let full = paiban::pdf::write_pdf(&t.pages, &t.book, &base).unwrap();
    let reduced_opts = paiban::pdf::PdfOptions {
        proof_ppi: Some(36.0),
        ..base
    };
    let reduced = paiban::pdf::write_pdf(&t.pages, &t.book, &reduced_opts).unwrap();
    let pixels = |pdf: &[u8]| -> u64 {
        let s = String::from_utf8_lossy(pdf);
        s.split("/Subtype /Image")
            .skip(1)
            .map(|obj| {
                let num = |key: &str| -> u64 {
                    let at = obj.find(key).unwrap() + key.len();
                    obj[at..]
                        .trim_start()
                        .split(|c: char| !c.is_ascii_digit())
                        .next()
                        .unwrap()
                        .parse()
                        .unwrap()
                };
                num("/Width") * num("/Height")
            })
            .sum()
    };
    assert!(
        pixels(&reduced) * 4 < pixels(&full),
        "photos reduced: {} against {} pixels",
        pixels(&reduced),
        pixels(&full)
    );
    let render = |pdf: Vec<u8>| {
        let png = paiban::preview::render_png(pdf, 36.0, 1).unwrap().remove(0);
        image::load_from_memory(&png).unwrap().to_rgb8()
    };
    let (a, b) = (render(full), render(reduced));
    assert_eq!(a.dimensions(), b.dimensions());
    let diff: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    let mean = diff as f64 / a.as_raw().len() as f64;
    assert!(mean < 1.5, "mean difference {mean:.2} of 255");
    // And the photos are there: the page is not blank where they stand.
    let dark = b.as_raw().iter().filter(|v| **v < 200).count();
    assert!(dark > b.as_raw().len() / 20, "{dark}");
}
