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
