//! Free text blocks (`[[text]]`): 导读, section labels, notices, 压图题 — display lines in the
//! block's style and colour, broken by sense at its measure, aligned across it and centred
//! down it; on a tint, one body character in from its sides.

use crate::error::Result;
use crate::flow::{baseline, LineRole};
use crate::fonts::FontBook;
use crate::linebreak::{sense, set_display, PlacedGlyph};
use crate::locate::{at_text, clip};
use crate::model::plan::{Align, TextBlock};
use crate::model::PagePlan;
use crate::page::{Direction, Item, TextRun};
use crate::segment::Words;
use crate::shape::shape_text;
use crate::units::Rect;
use std::sync::Arc;

/// Sets `block` in `rect` (its frame) and adds its lines to `items`; a block deeper than its
/// frame is an error at the plan's line.
pub(super) fn set(
    plan: &PagePlan,
    block: &TextBlock,
    (rect, _page): (Rect, usize),
    (book, words): (&FontBook, &Words),
    items: &mut Vec<Item>,
) -> Result<()> {
    let layout = &plan.layout;
    let style = layout.style(&block.style);
    let (face, size) = book.style_face(layout, &block.style)?;
    let pad = if block.tint.is_some() {
        layout.grid.body_size.0
    } else {
        0.0
    };
    let width = rect.w - 2.0 * pad;
    if width < size {
        return Err(at_text(
            &plan.path,
            (&block.text, "text"),
            format!(
                "the text block `{}` is set at {size:.1} pt; its frame ({}) holds {:.1} pt across, \
                 less than one character",
                clip(&block.text, 16),
                block.area,
                width.max(0.0)
            ),
        )
        .with_hint("widen the block's columns or use a smaller style")
        .into());
    }
    let mut lines: Vec<(Vec<PlacedGlyph>, f32, Arc<str>)> = Vec::new();
    for part in block.text.split('\n').filter(|t| !t.trim().is_empty()) {
        let mut para = shape_text(part.trim(), (face, size), false, &layout.text, book)
            .map_err(|e| e.into_error_in(&[plan.path.as_path()]))?;
        sense::mark(&mut para, words, 0);
        let text: Arc<str> = para.text.as_str().into();
        for d in set_display(&para, width) {
            if d.width > width + 0.5 {
                return Err(at_text(
                    &plan.path,
                    (&block.text, "text"),
                    format!(
                        "a line of the text block `{}` is {:.0} pt wide; its frame ({}) holds {:.0} pt",
                        clip(&block.text, 16),
                        d.width,
                        block.area,
                        width
                    ),
                )
                .with_hint("widen the block's columns, shorten the text, or use a smaller style")
                .into());
            }
            lines.push((d.glyphs, d.width, text.clone()));
        }
    }
    let lh = size * style.leading;
    let height = lines.len() as f32 * lh;
    if height > rect.h + 0.5 {
        return Err(at_text(
            &plan.path,
            (&block.text, "text"),
            format!(
                "the text block `{}` takes {} ({height:.0} pt); its frame ({}) is {:.0} pt deep",
                clip(&block.text, 16),
                crate::units::count(lines.len(), "line"),
                block.area,
                rect.h
            ),
        )
        .with_hint("make the block deeper, shorten the text, or use a smaller style")
        .into());
    }
    let top = rect.y + (rect.h - height) / 2.0;
    for (k, (glyphs, w, text)) in lines.into_iter().enumerate() {
        let x = match block.align {
            Align::Start => rect.x + pad,
            Align::Center => rect.x + (rect.w - w) / 2.0,
            Align::End => rect.right() - pad - w,
        };
        items.push(Item::Text(TextRun {
            x,
            baseline: baseline(lh, size, top + k as f32 * lh),
            glyphs,
            text,
            role: LineRole::Headline,
            colour: block.colour,
            direction: Direction::Horizontal,
        }));
    }
    Ok(())
}
