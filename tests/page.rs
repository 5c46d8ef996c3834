//! The page model (issue 15): marks the back ends draw from `page::Item`s alone.

mod common;
use common::*;
use paiban::page::{Cmyk, Item};
use paiban::units::Rect;

/// The proof's pixel at (`x`, `y`) points from the trim's top-left (bleed and no marks).
fn pixel(png: &[u8], page: &paiban::page::Page, dpi: f32, (x, y): (f32, f32)) -> [u8; 3] {
    let img = image::load_from_memory(png).unwrap().to_rgb8();
    let s = dpi / 72.0;
    let px = ((x + page.bleed) * s) as u32;
    let py = ((y + page.bleed) * s) as u32;
    img.get_pixel(px, py).0
}

#[test]
fn a_fill_is_drawn_in_its_colour_and_a_rule_in_its_own() {
    let mut t = paiban::pipeline::typeset(&root().join("input/weidong")).unwrap();
    let page = &mut t.pages[0];
    // In the left margin, clear of everything else: a cyan tint and a magenta rule below it.
    let tint = Rect {
        x: 2.0,
        y: 300.0,
        w: 12.0,
        h: 60.0,
    };
    page.items.push(Item::Fill {
        rect: tint,
        colour: Cmyk([1.0, 0.0, 0.0, 0.0]),
    });
    page.items.push(Item::Rule {
        from: (8.0, 400.0),
        to: (8.0, 460.0),
        width: 6.0,
        colour: Cmyk([0.0, 1.0, 0.0, 0.0]),
    });
    let opts = paiban::pipeline::pdf_options(&t, &paiban::pipeline::BuildOptions::default(), None);
    let pngs = paiban::preview::proof_pngs(&t.pages, &t.book, &opts, 72.0).unwrap();
    let page = &t.pages[0];
    let [r, g, b] = pixel(&pngs[0], page, 72.0, (8.0, 330.0));
    assert!(
        r < 80 && g > 120 && b > 180,
        "cyan tint drawn as {r},{g},{b}"
    );
    let [r, g, b] = pixel(&pngs[0], page, 72.0, (8.0, 430.0));
    assert!(
        r > 180 && g < 80 && b > 60,
        "magenta rule drawn as {r},{g},{b}"
    );
    // And nothing there without them.
    let plain = paiban::pipeline::typeset(&root().join("input/weidong")).unwrap();
    let pngs = paiban::preview::proof_pngs(&plain.pages, &plain.book, &opts, 72.0).unwrap();
    assert_eq!(
        pixel(&pngs[0], &plain.pages[0], 72.0, (8.0, 330.0)),
        [255, 255, 255]
    );
}

/// The page content streams of a PDF, inflated (every FlateDecode stream that inflates).
fn streams(pdf: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(k) = pdf[at..].windows(7).position(|w| w == b"stream\n") {
        let start = at + k + 7;
        let Some(len) = pdf[start..].windows(9).position(|w| w == b"endstream") else {
            break;
        };
        if let Ok(raw) = miniz_oxide::inflate::decompress_to_vec_zlib(&pdf[start..start + len]) {
            out.push(String::from_utf8_lossy(&raw).into_owned());
        }
        at = start + len + "endstream".len();
    }
    out
}

#[test]
fn only_black_overprints_anything_else_knocks_out() {
    let mut t = paiban::pipeline::typeset(&root().join("input/weidong")).unwrap();
    let opts = paiban::pipeline::pdf_options(&t, &paiban::pipeline::BuildOptions::default(), None);
    // The example: all black, one graphics state (overprint), no knockout state at all.
    let plain = paiban::pdf::write_pdf(&t.pages, &t.book, &opts).unwrap();
    let inflated = streams(&plain);
    assert!(
        inflated.iter().any(|s| s.contains("/GS0 gs")),
        "no content stream read"
    );
    assert!(!inflated.iter().any(|s| s.contains("/GS1 gs")));
    // A solid black box with a white (reversed) rule across it, then black type again.
    let page = &mut t.pages[0];
    let text = page
        .items
        .iter()
        .position(|i| matches!(i, Item::Text(_)))
        .unwrap();
    let black = Item::Fill {
        rect: Rect {
            x: 2.0,
            y: 300.0,
            w: 12.0,
            h: 60.0,
        },
        colour: Cmyk::BLACK,
    };
    let white = Item::Rule {
        from: (8.0, 310.0),
        to: (8.0, 350.0),
        width: 4.0,
        colour: Cmyk([0.0, 0.0, 0.0, 0.0]),
    };
    page.items.insert(text, white);
    page.items.insert(text, black);
    let opts = paiban::pipeline::pdf_options(&t, &paiban::pipeline::BuildOptions::default(), None);
    let pdf = paiban::pdf::write_pdf(&t.pages, &t.book, &opts).unwrap();
    let content = streams(&pdf)
        .into_iter()
        .find(|s| s.contains("/GS0 gs") && s.contains(" re"))
        .expect("the page's content stream");
    // The white rule is drawn knocked out (GS1), the type after it overprints again (GS0).
    let ko = content
        .find("/GS1 gs")
        .expect("a knockout state before the white rule");
    let white_at = content.find("0 0 0 0 K").expect("the white stroke colour");
    assert!(ko < white_at, "knockout set after the white rule");
    let back = content[white_at..]
        .find("/GS0 gs")
        .expect("overprint again after");
    assert!(content[white_at + back..].contains("Tj") || content[white_at + back..].contains("TJ"));
    // The knockout state itself: overprint off, and named in the page's resources.
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/OP false") && text.contains("/GS1"),
        "no knockout state"
    );
    // And the proof shows the rule white on the black box.
    let pngs = paiban::preview::proof_pngs(&t.pages, &t.book, &opts, 72.0).unwrap();
    assert_eq!(
        pixel(&pngs[0], &t.pages[0], 72.0, (8.0, 330.0)),
        [255, 255, 255]
    );
    assert!(
        pixel(&pngs[0], &t.pages[0], 72.0, (4.0, 330.0))[0] < 80,
        "black box"
    );
}
