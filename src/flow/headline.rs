//! The headline block (引题, 主题, 副题): centred across the frame, occupying whole body lines.

use super::{baseline, LineRole, SetLine, StoryCtx};
use crate::linebreak::{break_display, justify, Measures, PlacedGlyph};
use crate::model::{Layout, Style};
use crate::shape::class::normalize;
use crate::shape::{shape, Run, ShapeError};
use crate::units::Rect;
use std::sync::Arc;

/// A line of a headline block before it is placed.
struct DisplayLine {
    glyphs: Vec<PlacedGlyph>,
    width: f32,
    y: f32,
    text: Arc<str>,
    size: f32,
    lh: f32,
}

/// Sets the headline block centred across `frame`; returns the body lines it occupies (a
/// whole number, plus one line of space before the copy, cjk-rules.md §4).
pub(super) fn set_headline(
    layout: &Layout,
    ctx: &StoryCtx,
    main: &Style,
    frame: Rect,
    page: usize,
    out: &mut Vec<SetLine>,
) -> Result<u32, ShapeError> {
    let (story, book) = (ctx.story, ctx.book);
    let pitch = layout.grid.pitch.0;
    let mut parts: Vec<(&str, &Style)> = Vec::new();
    if let Some(k) = &story.kicker {
        parts.push((k, layout.style("kicker")));
    }
    for h in story.headline.split('\n') {
        parts.push((h, main));
    }
    if let Some(s) = &story.subhead {
        parts.push((s, layout.style("subhead")));
    }
    let mut set: Vec<DisplayLine> = Vec::new();
    let mut height = 0.0;
    for (text, style) in parts {
        let face = book.id(&style.font).unwrap_or(0);
        let t = normalize(text.trim(), layout.text.fullwidth_ascii);
        let run = Run {
            text: &t,
            face,
            size: style.size.0,
            keep: false,
        };
        let mut para = shape(&[run], 0.0, &layout.text, book)?;
        crate::linebreak::sense::mark(&mut para, ctx.words, 0);
        let lines = break_display(&para, Measures { widths: &[frame.w] });
        let text: Arc<str> = para.text.clone().into();
        let lh = style.size.0 * style.leading;
        for l in &lines {
            let (glyphs, width) = justify(&para, l);
            set.push(DisplayLine {
                glyphs,
                width,
                y: height,
                text: text.clone(),
                size: style.size.0,
                lh,
            });
            height += lh;
        }
    }
    let block_lines = (height / pitch - 0.05).ceil().max(1.0) as u32 + 1;
    let band = (block_lines - 1) as f32 * pitch;
    let top = frame.y + (band - height) / 2.0;
    for d in set {
        out.push(SetLine {
            page,
            x: frame.x + (frame.w - d.width).max(0.0) / 2.0,
            baseline: baseline(d.lh, d.size, top + d.y),
            glyphs: d.glyphs,
            text: d.text,
            role: LineRole::Headline,
        });
    }
    Ok(block_lines)
}
