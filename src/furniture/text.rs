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
use crate::shape::class::normalize;
use crate::shape::{shape_text, shape_vertical, Run};
use crate::units::Rect;
use std::sync::Arc;

/// A display line of a block: its glyphs, its length, the text they index.
type BlockLine = (Vec<PlacedGlyph>, f32, Arc<str>);

/// Sets `block` in `rect` (its frame) and adds its lines to `items`; a block deeper (or, set
/// vertically, wider) than its frame is an error at the plan's line.
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
    let vertical = block.direction == Direction::Vertical;
    // The measure: across the frame, or down it for a vertical block.
    let (measure, room) = if vertical {
        (rect.h - 2.0 * pad, rect.w - 2.0 * pad)
    } else {
        (rect.w - 2.0 * pad, rect.h)
    };
    let (across, down) = if vertical {
        ("down", "wide")
    } else {
        ("across", "deep")
    };
    if measure < size {
        return Err(at_text(
            &plan.path,
            (&block.text, "text"),
            format!(
                "the text block `{}` is set at {size:.1} pt; its frame ({}) holds {:.1} pt \
                 {across}, less than one character",
                clip(&block.text, 16),
                block.area,
                measure.max(0.0)
            ),
        )
        .with_hint("widen the block's columns or use a smaller style")
        .into());
    }
    let lines = block_lines(plan, block, (face, size, measure), (book, words))?;
    let lh = size * style.leading;
    let height = lines.len() as f32 * lh;
    if height > room + 0.5 {
        return Err(at_text(
            &plan.path,
            (&block.text, "text"),
            format!(
                "the text block `{}` takes {} ({height:.0} pt); its frame ({}) is {:.0} pt \
                 {down}",
                clip(&block.text, 16),
                crate::units::count(lines.len(), "line"),
                block.area,
                room
            ),
        )
        .with_hint("make the block deeper, shorten the text, or use a smaller style")
        .into());
    }
    for (k, (glyphs, w, text)) in lines.into_iter().enumerate() {
        let along = |start: f32, end: f32| match block.align {
            Align::Start => start + pad,
            Align::Center => start + (end - start - w) / 2.0,
            Align::End => end - pad - w,
        };
        let (x, baseline) = if vertical {
            // Right to left from the right edge of the lines centred across the frame, each
            // line from the top (start), middle or foot (end) of the frame.
            let right = rect.x + (rect.w + height) / 2.0;
            (right - (k as f32 + 0.5) * lh, along(rect.y, rect.bottom()))
        } else {
            let top = rect.y + (rect.h - height) / 2.0;
            (
                along(rect.x, rect.right()),
                baseline(lh, size, top + k as f32 * lh),
            )
        };
        items.push(Item::Text(TextRun {
            x,
            baseline,
            glyphs,
            text,
            role: LineRole::Headline,
            colour: block.colour,
            direction: block.direction,
        }));
    }
    Ok(())
}

/// The block's display lines at `measure`, each `\n` a forced break, broken by sense; a line
/// longer than the measure (a word that cannot break) is an error at the plan's line.
fn block_lines(
    plan: &PagePlan,
    block: &TextBlock,
    (face, size, measure): (crate::fonts::FaceId, f32, f32),
    (book, words): (&FontBook, &Words),
) -> Result<Vec<BlockLine>> {
    let layout = &plan.layout;
    let mut lines: Vec<BlockLine> = Vec::new();
    for part in block.text.split('\n').filter(|t| !t.trim().is_empty()) {
        let para = if block.direction == Direction::Vertical {
            let t = normalize(part.trim(), layout.text.fullwidth_ascii);
            let run = Run {
                text: &t,
                face,
                size,
                keep: false,
            };
            shape_vertical(&[run], 0.0, (&layout.text, layout.tcy), book)
        } else {
            shape_text(part.trim(), (face, size), false, &layout.text, book)
        };
        let mut para = para.map_err(|e| e.into_error_in(&[plan.path.as_path()]))?;
        sense::mark(&mut para, words, 0);
        let text: Arc<str> = para.text.as_str().into();
        for d in set_display(&para, measure) {
            if d.width > measure + 0.5 {
                return Err(at_text(
                    &plan.path,
                    (&block.text, "text"),
                    format!(
                        "a line of the text block `{}` is {:.0} pt long; its frame ({}) holds {:.0} pt",
                        clip(&block.text, 16),
                        d.width,
                        block.area,
                        measure
                    ),
                )
                .with_hint("widen the block's columns, shorten the text, or use a smaller style")
                .into());
            }
            lines.push((d.glyphs, d.width, text.clone()));
        }
    }
    Ok(lines)
}
