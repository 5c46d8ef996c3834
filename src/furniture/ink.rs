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
            // An ad's inks were measured when it was placed; a photo prints all four (grey: K).
            Item::Image { photo, .. } => {
                add(match page.ads.iter().find(|a| a.file == photo.path) {
                    Some(ad) => ad.inks.unwrap_or([true; 4]),
                    None if photo.is_grey() => [false, false, false, true],
                    None => [true; 4],
                })
            }
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
        Item::Text(t) if t.direction == crate::page::Direction::Vertical => {
            let size = t.glyphs.iter().map(|g| g.size).fold(0.0f32, f32::max);
            let depth = t.glyphs.last().map_or(0.0, |g| g.x + g.size);
            Some(Rect {
                x: t.x - 0.55 * size,
                y: t.baseline,
                w: 1.1 * size,
                h: depth,
            })
        }
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

/// What lies under a run of type: the colour of the last tint painted before it that covers
/// its middle, a picture (photo or art: not judged), or the paper.
#[derive(Clone, Copy)]
enum Ground {
    Tint(Cmyk),
    Picture,
    Paper,
}

/// The grounds of the page (tints, photos, art) with their index among its items, in order.
fn grounds(page: &Page) -> Vec<(usize, Rect, Ground)> {
    page.items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            Item::Fill { rect, colour } => Some((i, *rect, Ground::Tint(*colour))),
            Item::Image { frame, .. } => Some((i, *frame, Ground::Picture)),
            Item::Art { rect, .. } => Some((i, *rect, Ground::Picture)),
            _ => None,
        })
        .collect()
}

/// The ground under a point of the run at `index`: the last ground painted before it there.
fn ground(grounds: &[(usize, Rect, Ground)], index: usize, at: (f32, f32)) -> Ground {
    let inside = |r: &Rect| r.x <= at.0 && at.0 <= r.right() && r.y <= at.1 && at.1 <= r.bottom();
    grounds
        .iter()
        .rev()
        .filter(|(i, r, _)| *i < index && inside(r))
        .map(|(_, _, g)| *g)
        .next()
        .unwrap_or(Ground::Paper)
}

/// A tint lighter than this (total ink, percent) hardly shows white type on it.
const LIGHT_GROUND: f32 = 30.0;

/// Refuses type that would not show: white on paper, or type in the colour of the tint under
/// it (black type overprints a black tint); warns of white type on a light tint. Returns the
/// warnings.
pub fn check_legible(page: &Page, plan: &PagePlan) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let grounds = grounds(page);
    for (i, item) in page.items.iter().enumerate() {
        let Item::Text(t) = item else { continue };
        let Some(b) = extent(item) else { continue };
        let middle = (b.x + b.w / 2.0, b.y + b.h / 2.0);
        let under = match ground(&grounds, i, middle) {
            Ground::Picture => continue,
            Ground::Paper => Cmyk::WHITE,
            Ground::Tint(c) => c,
        };
        if t.colour == under {
            let what = if under == Cmyk::WHITE {
                "white type on bare paper".to_string()
            } else {
                let [c, m, y, k] = under.0.map(|v| (v * 100.0).round());
                format!("type in the colour of the tint under it (C{c} M{m} Y{y} K{k})")
            };
            return Err(locate_text(
                plan,
                &t.text,
                format!(
                    "page {}: `{}` is {what}: it would not show",
                    plan.number,
                    clip(&t.text, 16)
                ),
            )
            .with_hint(
                "give the text a colour that shows on its ground, or put a tint under white type",
            )
            .into());
        }
        if t.colour == Cmyk::WHITE && under.coverage() < LIGHT_GROUND {
            notes.push(format!(
                "{}: page {}: white type `{}` on a tint of {:.0}% ink hardly shows",
                plan.path.display(),
                plan.number,
                clip(&t.text, 12),
                under.coverage()
            ));
        }
    }
    Ok(notes)
}

/// A diagnostic at the plan's line holding `text` (a text block's), else at the layout's first
/// `colour` key (a style's colour set the type).
fn locate_text(plan: &PagePlan, text: &str, msg: String) -> crate::error::Diagnostic {
    let src = std::fs::read_to_string(&plan.path).unwrap_or_default();
    let head: String = text.trim().chars().take(8).collect();
    if !head.is_empty() && src.contains(&head) {
        crate::locate::at_text(&plan.path, (text, "text"), msg)
    } else {
        crate::locate::at_key(&plan.layout.source, "colour", msg)
    }
}
