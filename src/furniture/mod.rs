//! Page furniture (input-format.md Part 2, issue 17): what a page carries besides stories and
//! photos — tints (底纹) behind frames, boxes, free text blocks (导读, 栏目名, 压图题) and the
//! masthead (报头) — as page items, with the checks a plant makes of colour: reversed type
//! that would fill in, and ink beyond the layout's total area coverage.

mod ads;
mod boxes;
mod ink;
mod masthead;
mod text;

pub use boxes::gaps;
pub use ink::{check_ink, check_legible, page_inks, reversed_type_notes};

use crate::error::Result;
use crate::flow::area_rect;
use crate::fonts::FontBook;
use crate::model::{BoxKind, BoxStyle, Cmyk, Edition, PagePlan};
use crate::page::Item;
use crate::segment::Words;
use std::path::Path;
use std::sync::Arc;

/// A page's furniture: marks painted under everything else (tints), each story's box (painted
/// with the column rules), and marks painted over the photos and the copy (text blocks and
/// their tints).
#[derive(Debug, Default)]
pub struct Furniture {
    /// Painted first.
    pub under: Vec<Item>,
    /// The box of each story of the plan, in plan order (empty for a story without one).
    pub boxes: Vec<Vec<Item>>,
    /// Painted last.
    pub over: Vec<Item>,
    /// The ads placed (their marks are in `over`).
    pub ads: Vec<crate::page::AdReport>,
}

/// The furniture of page `page` (its index in the edition) of `plan`.
pub fn furnish(
    plan: &PagePlan,
    (page, edition): (usize, &Edition),
    (book, words): (&FontBook, &Words),
) -> Result<Furniture> {
    let g = &plan.layout.grid;
    let mut out = Furniture::default();
    if let (true, Some(m)) = (plan.masthead, &plan.layout.masthead) {
        masthead::set(plan, m, edition, book, &mut out.under)?;
    }
    for s in &plan.stories {
        let rect = boxes::framed_rect(plan, &s.area);
        if let Some(colour) = s.tint {
            out.under.push(Item::Fill { rect, colour });
        }
        let mut edges = Vec::new();
        if let Some(style) = &s.frame_box {
            if let BoxKind::Pattern(file) = &style.kind {
                let tile = pattern_tile(plan, file, style)?;
                boxes::pattern(&tile, rect, &mut edges);
            } else {
                boxes::draw(style, rect, &mut edges);
            }
        }
        out.boxes.push(edges);
    }
    for ad in &plan.ads {
        let report = ads::place(plan, ad, &mut out.over)?;
        out.ads.push(report);
    }
    for block in &plan.texts {
        let rect = area_rect(g, &block.area);
        if let Some(colour) = block.tint {
            out.over.push(Item::Fill { rect, colour });
        }
        text::set(plan, block, (rect, page), (book, words), &mut out.over)?;
    }
    Ok(out)
}

/// A 花边 box's tile, in the box's colour when it has one (else its own colours); refused
/// when its band would reach the text (deeper than the box's inset less a point).
fn pattern_tile(plan: &PagePlan, file: &Path, style: &BoxStyle) -> Result<Arc<crate::vector::Art>> {
    let recolour = (style.colour != Cmyk::BLACK).then_some(style.colour);
    let tile = Arc::new(crate::vector::load_art(file, 1, recolour)?);
    let room = style.inset * plan.layout.grid.body_size.0 - 1.0;
    if tile.height / 2.0 > room {
        return Err(crate::locate::at_key(
            &plan.layout.source,
            "pattern",
            format!(
                "the 花边 tile {} is {:.1} pt deep; half of it lies inside the box, and the box's \
                 text keeps only {:.1} pt from the edge (inset {} characters)",
                file.display(),
                tile.height,
                room + 1.0,
                style.inset
            ),
        )
        .with_hint("give the box a larger `inset`, or draw the tile smaller")
        .into());
    }
    Ok(tile)
}
