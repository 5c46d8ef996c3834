//! Proof guides: the line grid, frame and photo outlines and overset marks, added to composed
//! pages for `proof --grid` (never to a print PDF).

use crate::flow::{area_rect, FlowedStory};
use crate::model::PagePlan;
use crate::page::{Cmyk, Item, Page};
use crate::units::Rect;

const GRID: Cmyk = Cmyk([0.35, 0.0, 0.0, 0.0]);
const FRAME: Cmyk = Cmyk([1.0, 0.0, 0.0, 0.0]);
const PHOTO: Cmyk = Cmyk([0.0, 0.0, 1.0, 0.0]);
const OVERSET: Cmyk = Cmyk([0.0, 1.0, 1.0, 0.0]);

/// Adds the page's line grid (every fifth line), frame outlines and, on a story's last frame,
/// a red box when it is overset.
pub fn overlay(page: &mut Page, plan: &PagePlan, index: usize, stories: &[FlowedStory]) {
    let g = &plan.layout.grid;
    let (x0, x1) = (g.left.0, g.left.0 + g.width());
    for l in (1..=g.lines + 1).step_by(5) {
        let y = g.line_top(l);
        page.items.push(Item::Guide {
            rect: Rect {
                x: x0,
                y,
                w: x1 - x0,
                h: 0.0,
            },
            colour: GRID,
            width: 0.25,
        });
    }
    for c in 1..=g.columns {
        let x = g.column_x(c);
        let (top, bottom) = (g.line_top(1), g.line_top(g.lines + 1));
        for xx in [x, x + g.column_width()] {
            page.items.push(Item::Guide {
                rect: Rect {
                    x: xx,
                    y: top,
                    w: 0.0,
                    h: bottom - top,
                },
                colour: GRID,
                width: 0.25,
            });
        }
    }
    for p in &plan.photos {
        page.items.push(Item::Guide {
            rect: area_rect(g, &p.area),
            colour: PHOTO,
            width: 1.0,
        });
    }
    for s in stories {
        for (k, (pi, area)) in s.frames.iter().enumerate() {
            if *pi != index {
                continue;
            }
            let last = k + 1 == s.frames.len();
            let colour = if last && s.overset.is_some() {
                OVERSET
            } else {
                FRAME
            };
            page.items.push(Item::Guide {
                rect: area_rect(g, area),
                colour,
                width: if colour == OVERSET { 3.0 } else { 1.0 },
            });
        }
    }
}
