//! Boxes around frames, by the layout's box styles: one rule, 文武线 (a heavy rule outside a
//! thin one), a rule of dots.

use crate::flow::area_rect;
use crate::model::{BoxKind, BoxStyle, GridArea, PagePlan};
use crate::page::Item;
use crate::units::Rect;

/// The space between the two rules of 文武线, in points (at least; the heavier rule's weight
/// when that is more).
const DOUBLE_GAP: f32 = 1.0;

/// The empty space (in body lines, at most one) between a frame and the nearest frame above
/// it and below it in its columns: rules and boxes are centred in it (issue 14).
pub fn gaps(plan: &PagePlan, f: &GridArea) -> (f32, f32) {
    let g = &plan.layout.grid;
    // The masthead's band is taken (its info line sits on its last lines).
    let band = plan
        .layout
        .masthead
        .as_ref()
        .filter(|_| plan.masthead)
        .map(|m| GridArea {
            columns: m.columns,
            lines: (1, m.lines),
        });
    let areas: Vec<&GridArea> = band
        .iter()
        .chain(
            plan.stories
                .iter()
                .map(|s| &s.area)
                .chain(plan.photos.iter().map(|p| &p.area))
                .chain(plan.texts.iter().map(|t| &t.area))
                .chain(plan.ads.iter().map(|a| &a.area)),
        )
        .filter(|a| a.columns.0 <= f.columns.1 && a.columns.1 >= f.columns.0)
        .collect();
    let taken = |line: u32| areas.iter().any(|a| a.lines.0 <= line && line <= a.lines.1);
    let above = if f.lines.0 > 1 && !taken(f.lines.0 - 1) {
        1.0
    } else {
        0.0
    };
    let below = if f.lines.1 < g.lines && !taken(f.lines.1 + 1) {
        1.0
    } else {
        0.0
    };
    (above, below)
}

/// The rectangle a frame's box and tint take: the frame's left and right edges (its text
/// keeps the box's inset inside them), down the middle of the empty lines above and below (a
/// quarter of the way when a boxed or tinted frame is across); never outside the type area.
pub(super) fn framed_rect(plan: &PagePlan, f: &GridArea) -> Rect {
    let g = &plan.layout.grid;
    let r = area_rect(g, f);
    let (above, below) = gaps(plan, f);
    let pitch = g.pitch.0;
    // Into the middle of the empty line, or a quarter of it when another boxed or tinted frame
    // is across it (two boxes half a line apart, never fused into one rule).
    let share = |boxed_across: bool| if boxed_across { 0.25 } else { 0.5 };
    let framed_at = |line: u32| {
        plan.stories.iter().any(|s| {
            s.framed()
                && s.area.columns.0 <= f.columns.1
                && f.columns.0 <= s.area.columns.1
                && s.area.lines.0 <= line
                && line <= s.area.lines.1
        })
    };
    let y0 = r.y - above * pitch * share(f.lines.0 > 2 && framed_at(f.lines.0 - 2));
    let y1 = r.bottom() + below * pitch * share(framed_at(f.lines.1 + 2));
    Rect {
        x: r.x,
        y: y0,
        w: r.w,
        h: y1 - y0,
    }
}

/// The four sides of `r`, clockwise from the top left.
fn sides(r: Rect) -> [((f32, f32), (f32, f32)); 4] {
    let (x0, x1, y0, y1) = (r.x, r.right(), r.y, r.bottom());
    [
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x1, y1), (x0, y1)),
        ((x0, y1), (x0, y0)),
    ]
}

/// `r` shrunk by `d` on every side.
fn inset(r: Rect, d: f32) -> Rect {
    Rect {
        x: r.x + d,
        y: r.y + d,
        w: (r.w - 2.0 * d).max(0.0),
        h: (r.h - 2.0 * d).max(0.0),
    }
}

/// Draws box `style` along the edges of `r` (a rule's centre on the edge; 文武线's heavy rule
/// there, its thin rule inside it).
pub(super) fn draw(style: &BoxStyle, r: Rect, items: &mut Vec<Item>) {
    let colour = style.colour;
    let rules = |r: Rect, width: f32, items: &mut Vec<Item>| {
        for (from, to) in sides(r) {
            items.push(Item::Rule {
                from,
                to,
                width,
                colour,
            });
        }
    };
    match &style.kind {
        BoxKind::Thin(w) => rules(r, *w, items),
        BoxKind::Double { rule, second } => {
            rules(r, *second, items);
            let d = second / 2.0 + DOUBLE_GAP.max(*second) + rule / 2.0;
            rules(inset(r, d), *rule, items);
        }
        BoxKind::Dotted(d) => {
            for (from, to) in sides(r) {
                items.push(Item::Dots {
                    from,
                    to,
                    diameter: *d,
                    colour,
                });
            }
        }
        // Patterned boxes are drawn from their tile art: see `pattern`.
        BoxKind::Pattern(_) => {}
    }
}

/// A 花边 box: the tile `art` repeated along the edges of `r`, its band centred on each edge
/// as a rule is; along the top and bottom it runs corner to corner, along the sides (turned a
/// quarter clockwise) between them. Each side holds a whole number of tiles, stretched or
/// squeezed a little to fill it exactly, so the corners meet.
pub(super) fn pattern(art: &std::sync::Arc<crate::vector::Art>, r: Rect, items: &mut Vec<Item>) {
    let t = art.height.max(0.1);
    let tile = art.width.max(0.1);
    let mut along = |start: f32, len: f32, place: &mut dyn FnMut(f32, f32) -> (Rect, u8)| {
        let n = (len / tile).round().max(1.0);
        let step = len / n;
        for k in 0..n as usize {
            let (rect, quarter_turns) = place(start + k as f32 * step, step);
            items.push(Item::Art {
                art: art.clone(),
                rect,
                quarter_turns,
            });
        }
    };
    let (x0, y0, x1, y1) = (
        r.x - t / 2.0,
        r.y - t / 2.0,
        r.right() + t / 2.0,
        r.bottom() + t / 2.0,
    );
    for y in [y0, y1 - t] {
        along(x0, x1 - x0, &mut |x, w| (Rect { x, y, w, h: t }, 0));
    }
    for x in [x0, x1 - t] {
        along(y0 + t, (y1 - y0 - 2.0 * t).max(0.0), &mut |y, h| {
            (Rect { x, y, w: t, h }, 1)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cmyk;

    #[test]
    fn a_double_box_is_a_heavy_rule_outside_a_thin_one() {
        let style = BoxStyle {
            kind: BoxKind::Double {
                rule: 0.5,
                second: 1.5,
            },
            colour: Cmyk::BLACK,
            inset: 1.0,
        };
        let r = Rect {
            x: 10.0,
            y: 20.0,
            w: 100.0,
            h: 50.0,
        };
        let mut items = Vec::new();
        draw(&style, r, &mut items);
        let rules: Vec<(f32, f32)> = items
            .iter()
            .filter_map(|i| match i {
                Item::Rule { from, width, .. } => Some((from.0, *width)),
                _ => None,
            })
            .collect();
        assert_eq!(rules.len(), 8);
        // The top-left corners: the heavy rule on the edge, the thin one 0.75 + 1.5 + 0.25 in.
        assert_eq!(rules[0], (10.0, 1.5));
        assert_eq!(rules[4], (12.5, 0.5));
    }
}
