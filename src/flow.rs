//! Flow: story frames on the grid → headline blocks and body lines placed on the page's line
//! grid, threaded through a story's frames, wrapped around photos, with overset measured.
//!
//! Does not draw page furniture or photos; `compose` does.

use crate::error::{Error, Result};
use crate::fonts::{FaceId, FontBook};
use crate::linebreak::{break_display, break_lines, justify, Line, Measures, PlacedGlyph, LOOSE};
use crate::model::{Block, Grid, GridArea, Layout, PagePlan, Story, Style};
use crate::shape::class::normalize;
use crate::shape::{shape, Para, Run};
use crate::units::Rect;

/// A line of glyphs placed on the page.
#[derive(Debug, Clone)]
pub struct SetLine {
    /// Left edge of the line, in points from the trim's left.
    pub x: f32,
    /// Baseline, in points from the trim's top.
    pub baseline: f32,
    /// Glyphs with x relative to `x`; cluster ranges index `text`.
    pub glyphs: Vec<PlacedGlyph>,
    /// The paragraph text the glyph ranges index.
    pub text: std::sync::Arc<str>,
    /// What the line is.
    pub role: LineRole,
}

/// What a set line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    /// Body copy (on the grid).
    Body,
    /// Headline block (引题, 主题, 副题).
    Headline,
    /// Cross-head (分题).
    CrossHead,
    /// Photo caption or credit.
    Caption,
}

/// What did not fit a story's frames.
#[derive(Debug, Clone, PartialEq)]
pub struct Overset {
    /// Characters (non-space) not set.
    pub chars: usize,
    /// Lines they would take at the last column's measure.
    pub lines: usize,
}

/// A story as flowed into its frames on one page.
#[derive(Debug, Clone)]
pub struct FlowedStory {
    /// Story id.
    pub id: String,
    /// Frames of the story on this page (grid areas).
    pub frames: Vec<GridArea>,
    /// Set lines.
    pub lines: Vec<SetLine>,
    /// Body lines available in the frames.
    pub lines_available: usize,
    /// Body lines set.
    pub lines_set: usize,
    /// Characters of copy.
    pub chars: usize,
    /// Lines whose inter-character spacing exceeds ¼ em.
    pub loose_lines: usize,
    /// Lines that had to break against kinsoku or overflow.
    pub forced_lines: usize,
    /// Copy left over.
    pub overset: Option<Overset>,
}

/// A line slot on the grid: where one body line can go.
#[derive(Debug, Clone, Copy)]
struct Slot {
    x: f32,
    width: f32,
    top: f32,
}

/// Flows every story of a page plan into its frames.
pub fn flow(
    plan: &PagePlan,
    stories: &[(Story, String)],
    book: &FontBook,
) -> Result<Vec<FlowedStory>> {
    let layout = &plan.layout;
    let obstacles: Vec<Rect> = plan
        .photos
        .iter()
        .map(|p| area_rect(&layout.grid, &p.area))
        .collect();
    let mut out = Vec::new();
    let mut done: Vec<&std::path::Path> = Vec::new();
    for placement in &plan.stories {
        if done.contains(&placement.file.as_path()) {
            continue;
        }
        done.push(&placement.file);
        let Some((story, source)) = stories
            .iter()
            .find(|(s, _)| story_matches(plan, placement, s))
        else {
            continue;
        };
        // Threading: all frames of this story on the page, in plan order.
        let frames: Vec<&crate::model::StoryPlacement> = plan
            .stories
            .iter()
            .filter(|p| p.file == placement.file)
            .collect();
        out.push(flow_story(
            layout,
            story,
            source,
            &frames,
            &obstacles,
            book,
            &placement.file,
        )?);
    }
    Ok(out)
}

fn story_matches(plan: &PagePlan, placement: &crate::model::StoryPlacement, s: &Story) -> bool {
    let _ = plan;
    placement
        .file
        .file_stem()
        .is_some_and(|n| n.to_string_lossy() == s.id)
}

/// The rectangle of a grid area on the page.
pub fn area_rect(grid: &Grid, a: &GridArea) -> Rect {
    let top = grid.line_top(a.lines.0);
    Rect {
        x: grid.column_x(a.columns.0),
        y: top,
        w: grid.span_width(a.columns.0, a.columns.1),
        h: grid.line_top(a.lines.1) + grid.pitch.0 - top,
    }
}

fn face_of(layout: &Layout, book: &FontBook, style: &Style) -> Result<FaceId> {
    book.id(&style.font).ok_or_else(|| {
        Error::Pdf(format!(
            "font role `{}` missing from layout {}",
            style.font, layout.name
        ))
    })
}

#[allow(clippy::too_many_arguments)]
fn flow_story(
    layout: &Layout,
    story: &Story,
    source: &str,
    frames: &[&crate::model::StoryPlacement],
    obstacles: &[Rect],
    book: &FontBook,
    path: &std::path::Path,
) -> Result<FlowedStory> {
    let grid = &layout.grid;
    let mut lines = Vec::new();
    let mut slots = Vec::new();
    for (k, f) in frames.iter().enumerate() {
        let rect = area_rect(grid, &f.area);
        let mut first_body_line = f.area.lines.0;
        if k == 0 {
            let style = layout.style(&f.headline_style);
            let used = set_headline(layout, story, style, rect, book, &mut lines)
                .map_err(|e| e.into_error(path, source))?;
            first_body_line += used;
        }
        slots.extend(frame_slots(grid, f, first_body_line, obstacles));
    }
    let body = layout.style("body");
    let body_face = face_of(layout, book, body)?;
    let byline = layout.style("byline");
    let byline_face = face_of(layout, book, byline)?;
    let cross = layout.style("crosshead");
    let cross_face = face_of(layout, book, cross)?;
    let opts = &layout.text;
    let mut slot = 0usize;
    let mut stats = FlowedStory {
        id: story.id.clone(),
        frames: frames.iter().map(|f| f.area).collect(),
        lines: Vec::new(),
        lines_available: slots.len(),
        lines_set: 0,
        chars: 0,
        loose_lines: 0,
        forced_lines: 0,
        overset: None,
    };
    let mut overset = Overset { chars: 0, lines: 0 };
    let fallback_width = slots.last().map_or(grid.column_width(), |s| s.width);
    for (bi, block) in story.blocks.iter().enumerate() {
        let (para, centered) = match block {
            Block::Paragraph(text) => {
                let body_text = normalize(text, opts.fullwidth_ascii);
                let by = if bi == 0 {
                    story
                        .byline
                        .as_deref()
                        .map(|b| normalize(b, opts.fullwidth_ascii))
                } else {
                    None
                };
                let mut runs = Vec::new();
                if let Some(b) = &by {
                    runs.push(Run {
                        text: b,
                        face: byline_face,
                        size: byline.size.0,
                        keep: false,
                    });
                }
                runs.push(Run {
                    text: &body_text,
                    face: body_face,
                    size: body.size.0,
                    keep: false,
                });
                (
                    shape(&runs, 2.0, opts, book).map_err(|e| e.into_error(path, source))?,
                    false,
                )
            }
            Block::CrossHead(text) => {
                let t = normalize(text, opts.fullwidth_ascii);
                let runs = [Run {
                    text: &t,
                    face: cross_face,
                    size: cross.size.0,
                    keep: false,
                }];
                (
                    shape(&runs, 0.0, opts, book).map_err(|e| e.into_error(path, source))?,
                    true,
                )
            }
        };
        stats.chars += para.text.chars().filter(|c| !c.is_whitespace()).count();
        let widths: Vec<f32> = slots
            .get(slot..)
            .unwrap_or(&[])
            .iter()
            .map(|s| s.width)
            .collect();
        let widths = if widths.is_empty() {
            vec![fallback_width]
        } else {
            widths
        };
        let broken = if centered {
            break_display(&para, Measures { widths: &widths })
        } else {
            break_lines(&para, Measures { widths: &widths })
        };
        let text: std::sync::Arc<str> = para.text.clone().into();
        for line in &broken {
            match slots.get(slot) {
                Some(s) => {
                    let (glyphs, set_w) = justify(&para, line);
                    let x = if centered {
                        s.x + (s.width - set_w).max(0.0) / 2.0
                    } else {
                        s.x
                    };
                    lines.push(SetLine {
                        x,
                        baseline: baseline(grid.pitch.0, para.em, s.top),
                        glyphs,
                        text: text.clone(),
                        role: if centered {
                            LineRole::CrossHead
                        } else {
                            LineRole::Body
                        },
                    });
                    stats.lines_set += 1;
                    stats.loose_lines += usize::from(line.spacing > LOOSE);
                    stats.forced_lines += usize::from(line.forced);
                }
                None => {
                    overset.lines += 1;
                    overset.chars += line_chars(&para, line);
                }
            }
            slot += 1;
        }
    }
    if overset.lines > 0 {
        stats.overset = Some(overset);
    }
    stats.lines = lines;
    Ok(stats)
}

fn line_chars(p: &Para, l: &Line) -> usize {
    let s = p.atoms.get(l.start).map_or(0, |a| a.text.start as usize);
    let e = p
        .atoms
        .get(l.end.saturating_sub(1))
        .map_or(0, |a| a.text.end as usize);
    p.text
        .get(s..e)
        .map_or(0, |t| t.chars().filter(|c| !c.is_whitespace()).count())
}

/// Baseline of a line of type size `size` centred in a line box of height `pitch` at `top`:
/// the ideographic em box runs from 0.88 em above the baseline to 0.12 em below.
pub fn baseline(pitch: f32, size: f32, top: f32) -> f32 {
    top + (pitch - size) / 2.0 + 0.88 * size
}

/// Line slots of a frame's text columns from `first_line` down, cut around photos (图文互斥).
fn frame_slots(
    grid: &Grid,
    f: &crate::model::StoryPlacement,
    first_line: u32,
    obstacles: &[Rect],
) -> Vec<Slot> {
    let em = grid.body_size.0;
    let frame = area_rect(grid, &f.area);
    let cols = text_columns(grid, f);
    let mut slots = Vec::new();
    for (cx, cw) in cols {
        for l in first_line..=f.area.lines.1 {
            let top = grid.line_top(l);
            let line = Rect {
                x: cx,
                y: top,
                w: cw,
                h: grid.pitch.0,
            };
            let (mut x0, mut x1) = (cx, cx + cw);
            let mut blocked = false;
            for o in obstacles
                .iter()
                .filter(|o| o.intersects(&line) && o.intersects(&frame))
            {
                // Keep the wider side of the photo, one gutter away from it.
                let left = (x0, (o.x - grid.gutter_width()).min(x1));
                let right = ((o.right() + grid.gutter_width()).max(x0), x1);
                let (a, b) = if left.1 - left.0 >= right.1 - right.0 {
                    left
                } else {
                    right
                };
                if b - a < 2.0 * em {
                    blocked = true;
                    break;
                }
                x0 = a;
                x1 = b;
            }
            if !blocked {
                // Whole characters only, so pure CJK lines fill exactly (cjk-rules.md §4).
                let w = ((x1 - x0) / em + 0.01).floor() * em;
                slots.push(Slot {
                    x: x0,
                    width: w,
                    top,
                });
            }
        }
    }
    slots
}

/// Text columns of a frame as (x, width): the basic columns, or 破栏 into `text_columns`
/// columns of whole characters with 1-character gutters, extra characters to the last ones.
fn text_columns(grid: &Grid, f: &crate::model::StoryPlacement) -> Vec<(f32, f32)> {
    let (a, b) = f.area.columns;
    let span = b - a + 1;
    let em = grid.body_size.0;
    if f.text_columns == span {
        return (a..=b)
            .map(|c| (grid.column_x(c), grid.column_width()))
            .collect();
    }
    let total = (grid.span_width(a, b) / em).round() as i64;
    let gutter = grid.gutter.round().max(0.0) as i64;
    let k = i64::from(f.text_columns.max(1));
    let avail = (total - (k - 1) * gutter).max(k);
    let base = avail / k;
    let extra = avail % k;
    let mut x = grid.column_x(a);
    (0..k)
        .map(|i| {
            let chars = base + i64::from(i >= k - extra);
            let col = (x, chars as f32 * em);
            x += (chars + gutter) as f32 * em;
            col
        })
        .collect()
}

/// A line of a headline block before it is placed.
struct DisplayLine {
    glyphs: Vec<PlacedGlyph>,
    width: f32,
    y: f32,
    text: std::sync::Arc<str>,
    size: f32,
    lh: f32,
}

/// Sets the headline block (引题, 主题, 副题) centred across the frame; returns the body lines
/// it occupies (a whole number, plus one line of space).
fn set_headline(
    layout: &Layout,
    story: &Story,
    main: &Style,
    frame: Rect,
    book: &FontBook,
    out: &mut Vec<SetLine>,
) -> std::result::Result<u32, crate::shape::ShapeError> {
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
        let para = shape(
            &[Run {
                text: &t,
                face,
                size: style.size.0,
                keep: false,
            }],
            0.0,
            &layout.text,
            book,
        )?;
        let widths = [frame.w];
        let lines = break_display(&para, Measures { widths: &widths });
        let text: std::sync::Arc<str> = para.text.clone().into();
        for l in &lines {
            let (g, w) = justify(&para, l);
            let lh = style.size.0 * style.leading;
            set.push(DisplayLine {
                glyphs: g,
                width: w,
                y: height,
                text: text.clone(),
                size: style.size.0,
                lh,
            });
            height += lh;
        }
    }
    // Whole body lines, plus one line between the block and the copy (cjk-rules.md §4).
    let block_lines = (height / pitch - 0.05).ceil().max(1.0) as u32 + 1;
    let band = (block_lines - 1) as f32 * pitch;
    let top = frame.y + (band - height) / 2.0;
    for DisplayLine {
        glyphs,
        width: w,
        y,
        text,
        size,
        lh,
    } in set
    {
        out.push(SetLine {
            x: frame.x + (frame.w - w).max(0.0) / 2.0,
            baseline: baseline(lh, size, top + y),
            glyphs,
            text,
            role: LineRole::Headline,
        });
    }
    Ok(block_lines)
}
