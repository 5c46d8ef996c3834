//! The headline block (引题, 主题, 副题): centred across the frame, occupying whole body lines.

use super::{baseline, LineRole, SetLine, StoryCtx};
use crate::linebreak::{
    breaks_against_sense, sense, set_display, Line, PlacedGlyph, Seam, SetDisplay,
};
use crate::model::{Layout, Style};
use crate::shape::class::normalize;
use crate::shape::{shape, shape_vertical, Para, Run, ShapeError};
use crate::units::Rect;
use std::sync::Arc;

/// Points a part is set smaller by at each step of fitting it by sense.
const SIZE_STEP: f32 = 0.5;
/// How much narrower (长体) a part is set at each step once at its style's `min_size`.
const SCALE_STEP: f32 = 0.05;
/// The fraction of a body line a headline block may overrun without taking one more.
const LINE_SLACK: f32 = 0.05;

/// A line of a headline block before it is placed.
struct DisplayLine {
    glyphs: Vec<PlacedGlyph>,
    width: f32,
    y: f32,
    text: Arc<str>,
    size: f32,
    lh: f32,
    colour: crate::model::Cmyk,
}

/// A group of display parts set at one size and scale: a kicker, the main headline's lines
/// (split at `\n`), a subhead, a 转版题.
type Group<'a> = (Vec<&'a str>, &'a Style);

/// The headline block's parts in reading order, each with its style: 引题, the 主题's lines,
/// 副题.
fn headline_groups<'a>(layout: &'a Layout, ctx: &'a StoryCtx, main: &'a Style) -> Vec<Group<'a>> {
    let story = ctx.story;
    let mut groups: Vec<Group> = Vec::new();
    if let Some(k) = &story.kicker {
        groups.push((vec![k.as_str()], layout.style("kicker")));
    }
    groups.push((story.headline.split('\n').collect(), main));
    if let Some(s) = &story.subhead {
        groups.push((vec![s.as_str()], layout.style("subhead")));
    }
    groups
}

/// Sets the headline block centred across `frame`; returns the body lines it occupies (a
/// whole number, plus one line of space before the copy, cjk-rules.md §4), and notes for the
/// report: a part set smaller or narrower to break by sense, or one that could not be.
pub(super) fn set_headline(
    layout: &Layout,
    ctx: &StoryCtx,
    main: &Style,
    frame: Rect,
    page: usize,
    out: &mut Vec<SetLine>,
) -> Result<(u32, Vec<String>), ShapeError> {
    let groups = headline_groups(layout, ctx, main);
    set_block(layout, ctx, &groups, frame, page, out)
}

/// 竖题: sets the headline block vertically at the right edge of `frame`, from its top: the
/// 引题 rightmost, then the 主题's lines, then the 副题, each part's lines right to left at its
/// style's leading, broken by sense to the frame's depth; returns the width the block takes
/// (the copy keeps a gutter from it) and notes for the report.
pub(super) fn set_vertical_headline(
    layout: &Layout,
    ctx: &StoryCtx,
    main: &Style,
    frame: Rect,
    page: usize,
    out: &mut Vec<SetLine>,
) -> Result<(f32, Vec<String>), ShapeError> {
    let groups = headline_groups(layout, ctx, main);
    let mut notes = Vec::new();
    let mut right = frame.right();
    for (parts, style) in &groups {
        for fit in fit_group(layout, ctx, (parts, style), (frame.h, true), &mut notes)? {
            let text: Arc<str> = fit.para.text.clone().into();
            let pitch = fit.size * style.leading;
            for line in fit.lines {
                out.push(SetLine {
                    page,
                    x: right - pitch / 2.0,
                    baseline: frame.y,
                    glyphs: line.glyphs,
                    text: text.clone(),
                    role: LineRole::Headline,
                    colour: style.colour,
                    dots: Vec::new(),
                    direction: crate::model::Direction::Vertical,
                });
                right -= pitch;
            }
        }
    }
    Ok((frame.right() - right, notes))
}

/// Sets the story's 转版题 (`continued`) at the head of its first frame on a later page, in
/// the layout's `continued` style (else `small`, else `headline`); returns the body lines it
/// occupies and its notes (input-format.md Part 2).
pub(super) fn set_continued(
    layout: &Layout,
    ctx: &StoryCtx,
    frame: Rect,
    page: usize,
    out: &mut Vec<SetLine>,
) -> Result<(u32, Vec<String>), ShapeError> {
    let Some(text) = &ctx.story.continued else {
        return Ok((0, Vec::new()));
    };
    let style = ["continued", "small", "headline"]
        .iter()
        .find_map(|n| layout.styles.get(*n))
        .unwrap_or_else(|| layout.style("headline"));
    set_block(
        layout,
        ctx,
        &[(text.split('\n').collect(), style)],
        frame,
        page,
        out,
    )
}

/// Sets display groups one under another, centred across `frame`, in whole body lines plus
/// one. The parts of a group share one size and scale: the smallest any of them needs.
fn set_block(
    layout: &Layout,
    ctx: &StoryCtx,
    groups: &[Group],
    frame: Rect,
    page: usize,
    out: &mut Vec<SetLine>,
) -> Result<(u32, Vec<String>), ShapeError> {
    let pitch = layout.grid.pitch.0;
    let mut set: Vec<DisplayLine> = Vec::new();
    let mut notes = Vec::new();
    let mut height = 0.0;
    for (parts, style) in groups {
        for fit in fit_group(layout, ctx, (parts, style), (frame.w, false), &mut notes)? {
            let text: Arc<str> = fit.para.text.clone().into();
            let lh = fit.size * style.leading;
            for mut line in fit.lines {
                line.condense(fit.scale);
                set.push(DisplayLine {
                    glyphs: line.glyphs,
                    width: line.width,
                    y: height,
                    text: text.clone(),
                    size: fit.size,
                    lh,
                    colour: style.colour,
                });
                height += lh;
            }
        }
    }
    let block_lines = (height / pitch - LINE_SLACK).ceil().max(1.0) as u32 + 1;
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
            colour: d.colour,
            dots: Vec::new(),
            direction: crate::model::Direction::Horizontal,
        });
    }
    Ok((block_lines, notes))
}

/// Sets the parts of one group `width` wide at one size and scale, the smallest any part
/// needs to break by sense; adds what the report says of each part to `notes`.
fn fit_group(
    layout: &Layout,
    ctx: &StoryCtx,
    (parts, style): (&[&str], &Style),
    (width, vertical): (f32, bool),
    notes: &mut Vec<String>,
) -> Result<Vec<Fitted>, ShapeError> {
    let texts: Vec<String> = parts
        .iter()
        .map(|t| normalize(t.trim(), layout.text.fullwidth_ascii))
        .filter(|t| !t.is_empty())
        .collect();
    let mut fits = Vec::new();
    for t in &texts {
        fits.push(fit_part(ctx, layout, (t, style), (width, vertical))?);
    }
    let size = fits.iter().map(|f| f.size).fold(style.size.0, f32::min);
    let scale = fits.iter().map(|f| f.scale).fold(1.0, f32::min);
    for (t, fit) in texts.iter().zip(fits.iter_mut()) {
        if fit.size != size || fit.scale != scale {
            *fit = set_part(ctx, layout, (t, style), (width, vertical), (size, scale))?;
        }
        if let Some(n) = fit.note(t, style) {
            notes.push(n);
        }
    }
    Ok(fits)
}

/// A part of the headline block as set: its size and horizontal scale, its lines, and how
/// many of its breaks read against sense (inside a word, or a line more than it needs).
struct Fitted {
    para: Para,
    /// Its lines as set at `size`, before they are narrowed to `scale`.
    lines: Vec<SetDisplay>,
    size: f32,
    scale: f32,
    bad: usize,
    /// Breaks between the shorter words of a long compound: taken only when no setting
    /// within the style's limits avoids them.
    compound: usize,
}

impl Fitted {
    /// What the report says of this part, if anything.
    fn note(&self, text: &str, style: &Style) -> Option<String> {
        if self.bad > 0 {
            let lines: Vec<&str> = self
                .lines
                .iter()
                .map(|l| line_text(&self.para, &l.line))
                .collect();
            Some(format!(
                "headline `{text}` breaks against sense as `{}`: add a \\n where it should break, \
                 or give its style a smaller min_size or min_scale",
                lines.join("｜")
            ))
        } else if self.size < style.size.0 - 0.01 || self.scale < 1.0 {
            Some(format!(
                "headline `{text}` set at {:.1} pt{} (its style: {:.1} pt) to break between words",
                self.size,
                if self.scale < 1.0 {
                    format!(", 长体 {:.0}%", self.scale * 100.0)
                } else {
                    String::new()
                },
                style.size.0
            ))
        } else {
            None
        }
    }
}

fn line_text<'a>(p: &'a Para, l: &Line) -> &'a str {
    let s = p.atoms.get(l.start).map_or(0, |a| a.text.start as usize);
    let e = p
        .atoms
        .get(l.end.saturating_sub(1))
        .map_or(0, |a| a.text.end as usize);
    p.text.get(s..e).unwrap_or("")
}

/// Sets one part at a size and a horizontal scale: balanced lines broken by sense, and how
/// many of its breaks are bad (inside a word, or lines beyond the fewest its length needs at
/// that size).
fn set_part(
    ctx: &StoryCtx,
    layout: &Layout,
    (text, style): (&str, &Style),
    (width, vertical): (f32, bool),
    (size, scale): (f32, f32),
) -> Result<Fitted, ShapeError> {
    let face = ctx
        .book
        .role_face(layout, &style.font)
        .map_err(ShapeError::Other)?;
    let run = Run {
        text,
        face,
        size,
        keep: false,
    };
    let mut para = if vertical {
        shape_vertical(&[run], 0.0, (&layout.text, layout.tcy), ctx.book)?
    } else {
        shape(&[run], 0.0, &layout.text, ctx.book)?
    };
    sense::mark(&mut para, ctx.words, 0);
    let measure = width / scale;
    let set = set_display(&para, measure);
    let lines: Vec<Line> = set.iter().map(|d| d.line).collect();
    let natural: f32 = para.atoms.iter().map(|a| a.width).sum::<f32>()
        + para.gaps.iter().map(|g| g.natural).sum::<f32>();
    let needed = ((natural / measure.max(1.0) - 0.01).ceil() as usize).max(1);
    let bad = breaks_against_sense(&para, &lines) + lines.len().saturating_sub(needed);
    let compound = lines
        .iter()
        .filter(|l| {
            para.gaps
                .get(l.end.saturating_sub(1))
                .is_some_and(|g| l.end < para.atoms.len() && g.seam == Seam::Compound)
        })
        .count();
    Ok(Fitted {
        para,
        lines: set,
        size,
        scale,
        bad,
        compound,
    })
}

/// Sets one part of the headline block by sense (issue 14): balanced lines broken at spaces,
/// punctuation, then word boundaries, in as few lines as its length needs. When that cannot be
/// done at the style's size, the part is set smaller in half-point steps down to the style's
/// `min_size`, then narrower (长体) in 5% steps down to its `min_scale`; the first setting
/// without a bad break wins — the one that breaks long compounds between their words the
/// fewest times, the earliest among equals — else the style's own.
fn fit_part(
    ctx: &StoryCtx,
    layout: &Layout,
    (text, style): (&str, &Style),
    (width, vertical): (f32, bool),
) -> Result<Fitted, ShapeError> {
    let mut settings = vec![(style.size.0, 1.0)];
    let min = style.min_size.map_or(style.size.0, |m| m.0);
    let mut size = style.size.0 - SIZE_STEP;
    while size >= min - 0.01 {
        settings.push((size, 1.0));
        size -= SIZE_STEP;
    }
    // 长体 narrows glyphs across a horizontal line; a vertical part is only set smaller.
    if let Some(k) = style.min_scale.filter(|_| !vertical) {
        let mut scale = 1.0 - SCALE_STEP;
        while scale >= k - 1e-3 {
            settings.push((min, scale));
            scale -= SCALE_STEP;
        }
    }
    let mut first = None;
    let mut clean = None;
    for s in settings {
        let f = set_part(ctx, layout, (text, style), (width, vertical), s)?;
        if f.bad == 0 && f.compound == 0 {
            return Ok(f);
        }
        if f.bad == 0 {
            // The fewest compound breaks; the earliest (largest, widest) among equals.
            if clean
                .as_ref()
                .is_none_or(|c: &Fitted| f.compound < c.compound)
            {
                clean = Some(f);
            }
        } else if first.is_none() {
            first = Some(f);
        }
    }
    match (clean, first) {
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) => set_part(
            ctx,
            layout,
            (text, style),
            (width, vertical),
            (style.size.0, 1.0),
        ),
    }
}
