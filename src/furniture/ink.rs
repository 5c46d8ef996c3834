//! What the plant checks of a page's colour: the inks it uses (a page using only K is a mono
//! page), total ink where type overprints a tint (within the layout's `tac`), and reversed type
//! too small or too thin to survive newsprint.

use crate::error::Result;
use crate::fonts::FontBook;
use crate::locate::clip;
use crate::model::{Cmyk, PagePlan};
use crate::page::{Item, Page};
use crate::units::Rect;

/// Reversed (white) type under this size fills in on newsprint (points).
const MIN_REVERSED_SIZE: f32 = 9.0;

/// Which of C, M, Y, K the page prints (proof guides aside).
pub fn page_inks(page: &Page) -> [bool; 4] {
    let mut inks = [false; 4];
    let mut add = |c: [bool; 4]| {
        for (a, b) in inks.iter_mut().zip(c) {
            *a |= b;
        }
    };
    for item in &page.items {
        match item {
            Item::Text(t) => add(t.colour.inks()),
            Item::Rule { colour, .. } | Item::Dots { colour, .. } | Item::Fill { colour, .. } => {
                add(colour.inks())
            }
            Item::Image { photo, .. } => add(if photo.is_grey() {
                [false, false, false, true]
            } else {
                [true; 4]
            }),
            // Art whose inks a scan cannot tell counts as all four.
            Item::Art { art, .. } => add(art.inks().unwrap_or([true; 4])),
            Item::Guide { .. } => {}
        }
    }
    inks
}

/// Whether two rectangles share area.
fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

/// The box a mark covers (type by its line's reach, rules by their weight).
fn extent(item: &Item) -> Option<Rect> {
    match item {
        Item::Text(t) => {
            let size = t.glyphs.iter().map(|g| g.size).fold(0.0f32, f32::max);
            let right = t.glyphs.last().map_or(0.0, |g| g.x + g.size);
            Some(Rect {
                x: t.x,
                y: t.baseline - 0.9 * size,
                w: right,
                h: 1.1 * size,
            })
        }
        Item::Rule {
            from, to, width, ..
        } => Some(Rect {
            x: from.0.min(to.0) - width / 2.0,
            y: from.1.min(to.1) - width / 2.0,
            w: (to.0 - from.0).abs() + width,
            h: (to.1 - from.1).abs() + width,
        }),
        _ => None,
    }
}

/// Refuses a page where 100 K type or rules (which overprint) lie on a tint whose ink with
/// theirs exceeds the layout's total area coverage: the plant's press would not dry it.
pub fn check_ink(page: &Page, plan: &PagePlan) -> Result<()> {
    let tac = plan.layout.output.tac;
    for item in &page.items {
        let Item::Fill { rect, colour } = item else {
            continue;
        };
        let over_black = page.items.iter().any(|i| {
            let black = match i {
                Item::Text(t) => t.colour == Cmyk::BLACK,
                Item::Rule { colour, .. } => *colour == Cmyk::BLACK,
                _ => false,
            };
            black && extent(i).is_some_and(|e| overlaps(&e, rect))
        });
        let total = colour.coverage() + if over_black { 100.0 } else { 0.0 };
        if total > tac + 0.01 {
            let [c, m, y, k] = colour.0.map(|v| (v * 100.0).round());
            return Err(crate::locate::at_key(
                &plan.path,
                "tint",
                format!(
                    "page {}: a tint of C{c} M{m} Y{y} K{k} ({:.0}%){} makes {total:.0}% of ink, over \
                     the layout's tac of {tac:.0}%",
                    plan.number,
                    colour.coverage(),
                    if over_black {
                        " under overprinting 100 K type or rules"
                    } else {
                        ""
                    }
                ),
            )
            .with_hint("use a lighter tint, or set the type on it in a colour (which knocks out)")
            .into());
        }
    }
    Ok(())
}

/// Warnings for reversed (white) type under 9 pt or in a thin face (one whose font role is not
/// bold or 黑体): its counters fill in with ink spread on newsprint.
pub fn reversed_type_notes(page: &Page, plan: &PagePlan, book: &FontBook) -> Vec<String> {
    let mut out = Vec::new();
    for item in &page.items {
        let Item::Text(t) = item else { continue };
        if t.colour != Cmyk::WHITE {
            continue;
        }
        let small = t.glyphs.iter().map(|g| g.size).fold(f32::MAX, f32::min);
        let thin = t.glyphs.iter().find_map(|g| {
            book.role(g.face).filter(|r| {
                !["bold", "hei", "black", "heavy"]
                    .iter()
                    .any(|h| r.contains(h))
            })
        });
        let what = match (small < MIN_REVERSED_SIZE, thin) {
            (true, _) => format!("at {small:.1} pt, under {MIN_REVERSED_SIZE} pt"),
            (false, Some(role)) => format!("in a thin face ({role})"),
            (false, None) => continue,
        };
        out.push(format!(
            "{}: page {}: reversed (white) type `{}` {what}: it fills in on newsprint; use a \
             bold face of 9 pt or more",
            plan.path.display(),
            plan.number,
            clip(&t.text, 12)
        ));
    }
    out
}
