//! Tests of vector art: sizes, colours, refusals, the PDF page's trim, and the written form
//! rendered by hayro (the renderer of our proofs) with ink where the art is.

use super::*;
use hayro_write::hayro_syntax as hs;
use pdf_writer::{Content, Finish, Name, Rect};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/art")
        .join(name)
}

/// Writes `bytes` into a fresh test folder as `name`.
fn temp_file(test: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let path = crate::test_dir(test).join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn svg(test: &str, body: &str) -> Result<Art, ArtError> {
    let text = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">\n{body}\n</svg>\n"
    );
    load_art(&temp_file(test, "a.svg", text.as_bytes()), 1, None)
}

/// A one-page PDF (page `w` × `h`) that draws `art` at (`x`, `y`) at its own size.
fn placed(art: &Art, (w, h): (f32, f32), (x, y): (f32, f32)) -> Vec<u8> {
    let mut pdf = pdf_writer::Pdf::new();
    let mut next = Ref::new(1);
    let (catalog, tree, page, contents) = (next.bump(), next.bump(), next.bump(), next.bump());
    let form = write_form(art, &mut pdf, &mut || next.bump());
    let mut c = Content::new();
    c.save_state();
    c.transform([1.0, 0.0, 0.0, 1.0, x, y]);
    c.x_object(Name(b"A0"));
    c.restore_state();
    pdf.stream(contents, &c.finish());
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.parent(tree)
        .media_box(Rect::new(0.0, 0.0, w, h))
        .contents(contents);
    p.resources().x_objects().pair(Name(b"A0"), form);
    p.finish();
    pdf.finish()
}

/// The art's form as read back by hayro from a placed PDF: its content and its BBox.
fn form_of(art: &Art) -> (String, [f32; 4]) {
    let bytes = placed(art, (art.width, art.height), (0.0, 0.0));
    let pdf = hs::Pdf::new(bytes).unwrap();
    let page = &pdf.pages()[0];
    let form = page
        .resources()
        .get_x_object(&hs::object::Name::new(b"A0").unwrap())
        .unwrap();
    let content = String::from_utf8(form.decoded().unwrap().to_vec()).unwrap();
    let b = form.dict().get::<hs::object::Rect>(b"BBox").unwrap();
    (content, [b.x0, b.y0, b.x1, b.y1].map(|v| v as f32))
}

/// A rendered PDF at 72 dpi: RGB pixels and width.
fn render(pdf: Vec<u8>) -> (Vec<u8>, u32) {
    let png = crate::preview::render_png(pdf, 72.0, 1).unwrap().remove(0);
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    (img.as_raw().clone(), img.width())
}

/// The pixel at (x, y), from the top left.
fn pixel((rgb, w): &(Vec<u8>, u32), x: u32, y: u32) -> [u8; 3] {
    let i = ((y * w + x) * 3) as usize;
    [rgb[i], rgb[i + 1], rgb[i + 2]]
}

fn is_white(p: [u8; 3]) -> bool {
    p.iter().all(|&v| v > 245)
}

fn is_red(p: [u8; 3]) -> bool {
    p[0] > 150 && p[1] < 100 && p[2] < 100
}

#[test]
fn svg_sizes_follow_width_height_and_viewbox() {
    let size = |test: &str, attrs: &str| {
        let text = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" {attrs}><rect width=\"1\" height=\"1\"/></svg>");
        let art = load_art(&temp_file(test, "s.svg", text.as_bytes()), 1, None).unwrap();
        (art.width, art.height)
    };
    let close = |(w, h): (f32, f32), (ew, eh): (f32, f32)| {
        assert!(
            (w - ew).abs() < 0.01 && (h - eh).abs() < 0.01,
            "{w}×{h}, expected {ew}×{eh}"
        );
    };
    // mm (with a viewBox of other units), pt, px (0.75 pt), and a viewBox alone (px).
    close(
        size(
            "size-mm",
            r#"width="40mm" height="20mm" viewBox="0 0 200 100""#,
        ),
        (113.386, 56.693),
    );
    close(
        size("size-pt", r#"width="72pt" height="36pt""#),
        (72.0, 36.0),
    );
    close(
        size("size-px", r#"width="100" height="50px""#),
        (75.0, 37.5),
    );
    close(size("size-vb", r#"viewBox="0 0 40 20""#), (30.0, 15.0));
    close(
        size(
            "size-pct",
            r#"width="100%" height="100%" viewBox="0 0 40 20""#,
        ),
        (30.0, 15.0),
    );
    let fixture = load_art(&fixture("red-mark.svg"), 1, None).unwrap();
    close((fixture.width, fixture.height), (113.386, 56.693));
}

#[test]
fn svg_without_a_size_is_refused() {
    let path = temp_file(
        "no-size",
        "s.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"1\" height=\"1\"/></svg>",
    );
    let e = load_art(&path, 1, None).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::MalformedSvg {
                at: Some((1, 1)),
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("no size"), "{e}");
}

#[test]
fn rgb_converts_by_the_simple_rule() {
    assert_eq!(rgb_to_cmyk(255, 0, 0), Cmyk([0.0, 1.0, 1.0, 0.0]));
    assert_eq!(rgb_to_cmyk(0, 0, 0), Cmyk([0.0, 0.0, 0.0, 1.0]));
    assert_eq!(rgb_to_cmyk(255, 255, 255), Cmyk([0.0, 0.0, 0.0, 0.0]));
    // #336699: K = 1 − 0.6 = 0.4, C = (1 − 0.2 − 0.4)/0.6 = 0.667, M = 0.333, Y = 0.
    assert_eq!(
        rgb_to_cmyk(0x33, 0x66, 0x99),
        Cmyk([0.667, 0.333, 0.0, 0.4])
    );
}

#[test]
fn red_svg_path_is_written_as_c0_m100_y100_k0() {
    let art = load_art(&fixture("red-mark.svg"), 1, None).unwrap();
    let (content, bbox) = form_of(&art);
    assert!(content.contains("0 1 1 0 k"), "{content}");
    // The white dot stays white, knocking out (GS1), as every colour but 100% K does.
    assert!(content.contains("0 0 0 0 k"), "{content}");
    assert!(content.contains("/GS1 gs"), "{content}");
    assert!(!content.contains("/GS0 gs"), "{content}");
    assert_eq!(bbox, [0.0, 0.0, art.width, art.height]);
    assert_eq!(art.inks(), Some([false, true, true, false]));
    assert!(!art.has_rgb() && !art.has_transparency());
}

#[test]
fn recolour_paints_every_mark_but_white() {
    let red = Cmyk([0.0, 1.0, 1.0, 0.0]);
    let art = load_art(&fixture("masthead.svg"), 1, Some(red)).unwrap();
    let (content, _) = form_of(&art);
    assert!(content.contains("0 1 1 0 k"), "{content}");
    assert!(content.contains("0 1 1 0 K"), "{content}");
    assert!(!content.contains("0 0 0 1 k"), "black left in: {content}");
    assert_eq!(art.inks(), Some([false, true, true, false]));
    // White stays white (paper) under a recolour.
    let spot = Cmyk([0.0, 0.0, 0.0, 1.0]);
    let art = load_art(&fixture("red-mark.svg"), 1, Some(spot)).unwrap();
    let (content, _) = form_of(&art);
    assert!(
        content.contains("0 0 0 1 k") && content.contains("0 0 0 0 k"),
        "{content}"
    );
    assert!(!content.contains("0 1 1 0 k"), "{content}");
}

#[test]
fn black_overprints_and_strokes_keep_their_style() {
    let art = load_art(&fixture("masthead.svg"), 1, None).unwrap();
    let (content, _) = form_of(&art);
    // 100% K in GS0 (overprint), the red rule in GS1 (knockout).
    let gs0 = content.find("/GS0 gs").unwrap();
    let black = content.find("0 0 0 1 k").unwrap();
    let gs1 = content.find("/GS1 gs").unwrap();
    assert!(gs0 < black && black < gs1, "{content}");
    // Even-odd fill, the group's transform, the clip, the stroke's cap, join and dashes.
    for op in [
        "f*",
        "1 0 0 1 10 4 cm",
        "W\nn",
        "4 w",
        "1 J",
        "2 j",
        "[6 2] 0 d",
        " c\n",
    ] {
        assert!(content.contains(op), "no `{op}` in {content}");
    }
    // #E60012 → C0 M100 Y92.2 K9.8.
    assert!(content.contains("0 1 0.922 0.098 K"), "{content}");
    assert_eq!(art.inks(), Some([false, true, true, true]));
}

#[test]
fn svg_text_is_refused_with_its_line_and_column() {
    let e = load_art(&fixture("text.svg"), 1, None).unwrap_err();
    match &e {
        ArtError::SvgFeature {
            at: Some((3, 3)),
            feature: SvgFeature::Text(t),
            ..
        } if t == "text" => {}
        _ => panic!("{e:?}"),
    }
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("{}:3:3: ", fixture("text.svg").display())),
        "{shown}"
    );
    assert!(e.hint().contains("outlines"));
}

#[test]
fn svg_images_gradients_filters_masks_and_opacity_are_refused() {
    let e = load_art(&fixture("image.svg"), 1, None).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::SvgFeature {
                feature: SvgFeature::Image(_),
                at: Some((2, 3)),
                ..
            }
        ),
        "{e:?}"
    );
    let e = load_art(&fixture("gradient.svg"), 1, None).unwrap_err();
    assert!(
        matches!(&e, ArtError::SvgFeature { feature: SvgFeature::Gradient(id), at: Some((3, 5)), .. } if id == "fade"),
        "{e:?}"
    );
    let e = svg("pattern", r#"<defs><pattern id="dots" width="4" height="4" patternUnits="userSpaceOnUse"><circle cx="2" cy="2" r="1"/></pattern></defs><rect width="10" height="10" fill="url(#dots)"/>"#).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::SvgFeature {
                feature: SvgFeature::Pattern(_),
                ..
            }
        ),
        "{e:?}"
    );
    let e = svg("filter", r#"<defs><filter id="blur"><feGaussianBlur stdDeviation="2"/></filter></defs><rect width="10" height="10" filter="url(#blur)"/>"#).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::SvgFeature {
                feature: SvgFeature::Filter(_),
                ..
            }
        ),
        "{e:?}"
    );
    let e = svg("mask", r##"<defs><mask id="m"><rect width="5" height="5" fill="#fff"/></mask></defs><rect width="10" height="10" mask="url(#m)"/>"##).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::SvgFeature {
                feature: SvgFeature::Mask(_),
                ..
            }
        ),
        "{e:?}"
    );
    let e = svg(
        "opacity",
        r#"<rect width="10" height="10" fill-opacity="0.5"/>"#,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::SvgFeature {
                feature: SvgFeature::Transparency(_),
                ..
            }
        ),
        "{e:?}"
    );
    let e = svg(
        "group-opacity",
        r#"<g opacity="0.5"><rect width="10" height="10"/></g>"#,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::SvgFeature {
                feature: SvgFeature::Transparency(_),
                ..
            }
        ),
        "{e:?}"
    );
    let e = svg("clip2", r#"<clipPath id="c"><rect width="5" height="5"/><rect x="6" width="4" height="5"/></clipPath><rect width="10" height="10" clip-path="url(#c)"/>"#).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::SvgFeature {
                feature: SvgFeature::Clip(_),
                ..
            }
        ),
        "{e:?}"
    );
    // A single-stop gradient is a flat colour (usvg resolves it): drawn.
    svg("one-stop", r##"<linearGradient id="g"><stop stop-color="#000"/></linearGradient><rect width="10" height="10" fill="url(#g)"/>"##).unwrap();
}

#[test]
fn files_that_are_not_art_are_refused() {
    let e = load_art(&fixture("not-art.svg"), 1, None).unwrap_err();
    assert!(matches!(e, ArtError::NotArt { .. }), "{e:?}");
    assert!(e.to_string().contains("not an SVG or PDF file"), "{e}");
    // Told by content, not by name: a PNG named .pdf, an HTML page named .svg.
    let png = temp_file("png-as-pdf", "a.pdf", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let e = load_art(&png, 1, None).unwrap_err();
    assert!(
        matches!(&e, ArtError::NotArt { found, .. } if found == "a PNG image"),
        "{e:?}"
    );
    let html = temp_file(
        "html-as-svg",
        "a.svg",
        b"<html><body><svg></svg></body></html>",
    );
    let e = load_art(&html, 1, None).unwrap_err();
    assert!(
        matches!(&e, ArtError::NotArt { found, .. } if found.contains("<html>")),
        "{e:?}"
    );
    let e = load_art(&fixture("missing.svg"), 1, None).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::Unreadable {
                problem: FileProblem::NotFound,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().ends_with("art file not found"), "{e}");
    let bad = temp_file("malformed", "a.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">\n  <rect width=\"1\" height=\"1\">\n</svg>\n");
    let e = load_art(&bad, 1, None).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::MalformedSvg {
                at: Some((3, 1)),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(!e.to_string().ends_with("3:1"), "position said twice: {e}");
    let e = load_art(&fixture("red-mark.svg"), 2, None).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::PageOutOfRange {
                page: 2,
                pages: 1,
                ..
            }
        ),
        "{e:?}"
    );
    // As a diagnostic: the position is the diagnostic's, the message said once.
    let d = match crate::Error::from(load_art(&fixture("text.svg"), 1, None).unwrap_err()) {
        crate::Error::Input(d) => d,
        other => panic!("{other:?}"),
    };
    assert_eq!(d.position, Some((3, 3)));
    assert!(d.message.starts_with("SVG text"), "{}", d.message);
}

#[test]
fn svg_form_renders_with_ink_where_the_art_is() {
    let art = load_art(&fixture("red-mark.svg"), 1, None).unwrap();
    // The art (113 × 57 pt) at (20, 30) on a 160 × 100 pt page; pixel rows count from the top.
    let image = render(placed(&art, (160.0, 100.0), (20.0, 30.0)));
    let top = 100 - 30 - 57;
    assert!(
        is_red(pixel(&image, 30, top + 10)),
        "{:?}",
        pixel(&image, 30, top + 10)
    );
    // The white dot at (150, 50) of the 200 × 100 viewBox: paper.
    let (dot_x, dot_y) = (20 + (150.0 * 0.5669) as u32, top + (50.0 * 0.5669) as u32);
    assert!(
        is_white(pixel(&image, dot_x, dot_y)),
        "{:?}",
        pixel(&image, dot_x, dot_y)
    );
    // Outside the art: paper.
    assert!(is_white(pixel(&image, 10, 50)) && is_white(pixel(&image, 150, 50)));
    assert!(is_white(pixel(&image, 60, 5)) && is_white(pixel(&image, 60, 95)));
}

/// A one-page PDF made with pdf-writer: MediaBox 300 × 200, the content given, other page
/// keys (boxes, rotation, resources) set by `setup`.
fn source_pdf(content: &[u8], setup: impl FnOnce(&mut pdf_writer::writers::Page)) -> Vec<u8> {
    let mut pdf = pdf_writer::Pdf::new();
    let (catalog, tree, page, contents) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    pdf.stream(contents, content);
    let mut p = pdf.page(page);
    p.parent(tree)
        .media_box(Rect::new(0.0, 0.0, 300.0, 200.0))
        .contents(contents);
    setup(&mut p);
    p.finish();
    pdf.finish()
}

#[test]
fn pdf_trim_box_is_the_art_box() {
    // Black in the trim's left half (50–150 × 40–140), cyan outside the trim (a slug).
    let content =
        b"0 0 0 1 k 50 40 100 100 re f 0.5 0 0 0 k 0 0 40 30 re f 1 0 0 0 k 260 0 40 200 re f";
    let bytes = source_pdf(content, |p| {
        p.trim_box(Rect::new(50.0, 40.0, 250.0, 140.0));
    });
    let path = temp_file("pdf-trim", "ad.pdf", &bytes);
    let art = load_art(&path, 1, None).unwrap();
    assert_eq!((art.width, art.height), (200.0, 100.0));
    assert_eq!(art.inks(), Some([true, false, false, true]));
    assert!(!art.has_rgb() && !art.has_transparency());
    let (content, bbox) = form_of(&art);
    assert_eq!(bbox, [0.0, 0.0, 200.0, 100.0]);
    assert!(content.contains("1 0 0 1 -50 -40 cm"), "{content}");
    // Placed at (10, 10) on a 220 × 120 page: black where the trim's left half is, paper in
    // its right half, and none of the slug (clipped by the form's box).
    let image = render(placed(&art, (220.0, 120.0), (10.0, 10.0)));
    let dark = pixel(&image, 60, 60);
    assert!(dark.iter().all(|&v| v < 120), "{dark:?}");
    assert!(
        is_white(pixel(&image, 160, 60)),
        "{:?}",
        pixel(&image, 160, 60)
    );
    assert!(is_white(pixel(&image, 5, 115)) && is_white(pixel(&image, 215, 60)));
}

#[test]
fn pdf_without_trim_box_uses_the_media_box_and_rotation() {
    let bytes = source_pdf(b"0 0 0 1 k 0 0 10 10 re f", |p| {
        p.rotate(90);
    });
    let art = load_art(&temp_file("pdf-rotate", "r.pdf", &bytes), 1, None).unwrap();
    assert_eq!((art.width, art.height), (200.0, 300.0));
    let e = load_art(&temp_file("pdf-page", "r.pdf", &bytes), 2, None).unwrap_err();
    assert!(
        matches!(
            e,
            ArtError::PageOutOfRange {
                page: 2,
                pages: 1,
                ..
            }
        ),
        "{e:?}"
    );
    let e = load_art(
        &temp_file("pdf-recolour", "r.pdf", &bytes),
        1,
        Some(Cmyk::BLACK),
    )
    .unwrap_err();
    assert!(matches!(e, ArtError::RecolourPdf { .. }), "{e:?}");
}

#[test]
fn pdf_rgb_transparency_and_unknown_inks_are_recorded() {
    let bytes = source_pdf(b"/G0 gs 1 0 0 rg 0 0 10 10 re f", |p| {
        let mut res = p.resources();
        res.ext_g_states()
            .insert(Name(b"G0"))
            .dict()
            .pair(Name(b"ca"), 0.5);
    });
    let art = load_art(&temp_file("pdf-rgb", "rgb.pdf", &bytes), 1, None).unwrap();
    assert!(art.has_rgb() && art.has_transparency());
    assert_eq!(art.inks(), None);
    assert!(
        art.unknown_inks().unwrap().contains("RGB"),
        "{:?}",
        art.unknown_inks()
    );
    // An ICC-based RGB space in the resources counts too, used or not; a spot colour makes the
    // inks unknown.
    let bytes = source_pdf(b"/Spot cs 1 sc 0 0 10 10 re f", |p| {
        let mut res = p.resources();
        let mut spaces = res.color_spaces();
        let mut sep = spaces.insert(Name(b"Spot")).array();
        sep.item(Name(b"Separation"));
        sep.item(Name(b"PANTONE 185 C"));
        sep.item(Name(b"DeviceRGB"));
        sep.finish();
    });
    let art = load_art(&temp_file("pdf-spot", "spot.pdf", &bytes), 1, None).unwrap();
    assert!(art.has_rgb() && !art.has_transparency());
    assert!(
        art.unknown_inks().unwrap().contains("PANTONE"),
        "{:?}",
        art.unknown_inks()
    );
}

#[test]
fn pdf_fonts_must_be_embedded() {
    let bytes = source_pdf(b"BT /F1 12 Tf 10 10 Td (Hi) Tj ET", |p| {
        let mut res = p.resources();
        let mut fonts = res.fonts();
        let mut font = fonts.insert(Name(b"F1")).dict();
        font.pair(Name(b"Type"), Name(b"Font"));
        font.pair(Name(b"Subtype"), Name(b"Type1"));
        font.pair(Name(b"BaseFont"), Name(b"Helvetica"));
    });
    let e = load_art(&temp_file("pdf-font", "f.pdf", &bytes), 1, None).unwrap_err();
    assert!(
        matches!(&e, ArtError::PdfFeature { what, .. } if what == "font Helvetica is not embedded"),
        "{e:?}"
    );
}

#[test]
fn encrypted_and_broken_pdfs_are_refused() {
    // A standard security handler (RC4, 40 bit) in the trailer: its password checks fail.
    let plain = source_pdf(b"0 0 0 1 k 0 0 10 10 re f", |_| {});
    let id = "<00112233445566778899aabbccddeeff>";
    let encrypt = format!(
        "trailer\n<<\n  /Encrypt << /Filter /Standard /V 1 /R 2 /P -4 /O <{o}> /U <{o}> >>\n  /ID [{id} {id}]\n",
        o = "ab".repeat(32)
    );
    let at = plain.windows(9).position(|w| w == b"trailer\n<").unwrap();
    let mut encrypted = plain[..at].to_vec();
    encrypted.extend_from_slice(encrypt.as_bytes());
    encrypted.extend_from_slice(&plain[at + b"trailer\n<<\n".len()..]);
    let e = load_art(&temp_file("pdf-encrypted", "e.pdf", &encrypted), 1, None).unwrap_err();
    assert!(matches!(e, ArtError::PdfEncrypted { .. }), "{e:?}");
    let e = load_art(
        &temp_file("pdf-broken", "b.pdf", b"%PDF-1.7\n%garbage only\n"),
        1,
        None,
    )
    .unwrap_err();
    assert!(matches!(e, ArtError::PdfUnreadable { .. }), "{e:?}");
}

#[test]
fn written_forms_are_numbered_by_the_caller_and_deterministic() {
    let art = load_art(&fixture("masthead.svg"), 1, None).unwrap();
    let write = || {
        let mut pdf = pdf_writer::Pdf::new();
        let mut next = Ref::new(10);
        let a = write_form(&art, &mut pdf, &mut || next.bump());
        let b = write_form(&art, &mut pdf, &mut || next.bump());
        (a, b, pdf.finish())
    };
    let (a, b, bytes) = write();
    // The form and its two graphics states each time.
    assert_eq!((a, b), (Ref::new(10), Ref::new(13)));
    assert_eq!(bytes, write().2);
}

/// A PDF encrypted by qpdf with an empty user password (it opens without asking) is refused
/// all the same: its owner restricts it, and its streams would have to be decrypted.
#[test]
#[ignore = "needs qpdf"]
fn qpdf_encrypted_pdf_is_refused() {
    let dir = crate::test_dir("qpdf-encrypted");
    let (plain, locked) = (dir.join("plain.pdf"), dir.join("locked.pdf"));
    std::fs::write(&plain, source_pdf(b"0 0 0 1 k 0 0 10 10 re f", |_| {})).unwrap();
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "", "owner", "256", "--"])
        .arg(&plain)
        .arg(&locked)
        .status()
        .unwrap();
    assert!(status.success());
    load_art(&plain, 1, None).unwrap();
    let e = load_art(&locked, 1, None).unwrap_err();
    assert!(matches!(e, ArtError::PdfEncrypted { .. }), "{e:?}");
}

#[test]
fn pdf_inks_follow_images_and_nested_forms() {
    // A 2 × 1 CMYK image (cyan, then yellow) and a form, in a transparency group, that fills
    // with the colour it inherits (magenta, set before `Do`).
    let mut pdf = pdf_writer::Pdf::new();
    let (catalog, tree, page, contents, image, form) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
    );
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    pdf.stream(contents, b"q 20 0 0 10 0 0 cm /Im0 Do Q 0 1 0 0 k /Fm0 Do");
    let samples = miniz_oxide::deflate::compress_to_vec_zlib(&[255, 0, 0, 0, 0, 0, 255, 0], 6);
    let mut img = pdf.image_xobject(image, &samples);
    img.filter(pdf_writer::Filter::FlateDecode);
    img.width(2).height(1).bits_per_component(8);
    img.color_space().device_cmyk();
    img.finish();
    let mut f = pdf.form_xobject(form, b"0 0 5 5 re f");
    f.bbox(Rect::new(0.0, 0.0, 5.0, 5.0));
    f.group().transparency();
    f.finish();
    let mut p = pdf.page(page);
    p.parent(tree)
        .media_box(Rect::new(0.0, 0.0, 30.0, 20.0))
        .contents(contents);
    let mut res = p.resources();
    let mut x = res.x_objects();
    x.pair(Name(b"Im0"), image).pair(Name(b"Fm0"), form);
    x.finish();
    res.finish();
    p.finish();
    let path = temp_file("pdf-image-form", "i.pdf", &pdf.finish());
    let art = load_art(&path, 1, None).unwrap();
    assert_eq!(art.inks(), Some([true, true, true, false]));
    assert!(art.has_transparency() && !art.has_rgb());
    // Drawn: the image's cyan half shows, placed as vector art.
    let image = render(placed(&art, (30.0, 20.0), (0.0, 0.0)));
    let cyan = pixel(&image, 7, 12);
    assert!(cyan[0] < 100 && cyan[2] > 150, "{cyan:?}");
}
