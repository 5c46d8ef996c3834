//! Flow: stories threaded through their frames across the edition's pages, on the page's line
//! grid: headline blocks, body lines with widow/orphan control, jump lines (下转/上接) between
//! pages, wrap around photos, balanced last columns, overset and underset measured.
//!
//! Does not draw page furniture or photos; `compose` does.

mod headline;
mod place;
mod slots;

use place::{balance, jump_out, place, PlaceEnv};
pub use slots::{area_rect, text_columns, Slot};

use crate::error::{Diagnostic, Error, Result};
use crate::fonts::{FaceId, FontBook};
use crate::linebreak::sense;
use crate::linebreak::PlacedGlyph;
use crate::model::{Block, Edition, GridArea, Layout, Story, StoryPlacement};
use crate::segment::Words;
use crate::shape::class::normalize;
use crate::shape::{shape, Para, Run, ShapeError};
use crate::units::Rect;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A line of glyphs placed on a page.
#[derive(Debug, Clone)]
pub struct SetLine {
    /// Page index in the edition.
    pub page: usize,
    /// Left edge of the line, in points from the trim's left.
    pub x: f32,
    /// Baseline, in points from the trim's top.
    pub baseline: f32,
    /// Glyphs with x relative to `x`; cluster ranges index `text`.
    pub glyphs: Vec<PlacedGlyph>,
    /// The paragraph text the glyph ranges index.
    pub text: Arc<str>,
    /// What the line is.
    pub role: LineRole,
}

pub use crate::linebreak::LineRole;

/// What did not fit a story's frames.
#[derive(Debug, Clone, PartialEq)]
pub struct Overset {
    /// Characters (non-space) not set.
    pub chars: usize,
    /// Lines they would take at the last column's measure.
    pub lines: usize,
}

/// A story flowed through all its frames in the edition.
#[derive(Debug, Clone)]
pub struct FlowedStory {
    /// Story id.
    pub id: String,
    /// The story file.
    pub file: PathBuf,
    /// Its frames: (page index, grid area), in thread order.
    pub frames: Vec<(usize, GridArea)>,
    /// Set lines on all pages.
    pub lines: Vec<SetLine>,
    /// Body lines available in the frames.
    pub lines_available: usize,
    /// Body lines set.
    pub lines_set: usize,
    /// Characters of copy (non-space).
    pub chars: usize,
    /// Lines whose inter-character spacing exceeds ¼ em.
    pub loose_lines: usize,
    /// Lines that had to break against kinsoku or overflow.
    pub forced_lines: usize,
    /// Widows and orphans that could not be avoided.
    pub widows: usize,
    /// Copy left over.
    pub overset: Option<Overset>,
    /// Grid lines left empty at the foot of the last frame after balancing.
    pub underset: u32,
    /// Frames after the first that no line of the copy reached (天窗: the copy ended
    /// before them), as indices into `frames`.
    pub empty_frames: Vec<usize>,
    /// Typographic notes for the report (a headline set smaller to break by sense, or one
    /// that still breaks against it), each naming the story file.
    pub notes: Vec<String>,
}

/// Flows every story of the edition through its frames, in edition order.
pub fn flow(
    edition: &Edition,
    stories: &BTreeMap<PathBuf, (Story, String)>,
    (book, words): (&FontBook, &Words),
) -> Result<Vec<FlowedStory>> {
    let mut threads: Vec<(PathBuf, Vec<(usize, &StoryPlacement)>)> = Vec::new();
    for (pi, plan) in edition.pages.iter().enumerate() {
        for p in &plan.stories {
            match threads.iter_mut().find(|(f, _)| *f == p.file) {
                Some((_, t)) => t.push((pi, p)),
                None => threads.push((p.file.clone(), vec![(pi, p)])),
            }
        }
    }
    // Threads are independent: flow them on both cores, keeping edition order.
    let flowed = crate::par::par_map(&threads, |(file, frames)| {
        let (story, source) = stories.get(file)?;
        let ctx = StoryCtx {
            edition,
            story,
            source,
            file,
            book,
            words,
        };
        Some(flow_story(&ctx, frames))
    });
    flowed.into_iter().flatten().collect()
}

struct StoryCtx<'a> {
    edition: &'a Edition,
    story: &'a Story,
    source: &'a str,
    file: &'a PathBuf,
    book: &'a FontBook,
    words: &'a Words,
}

impl StoryCtx<'_> {
    fn layout(&self, page: usize) -> Option<&Layout> {
        self.edition.pages.get(page).map(|p| &p.layout)
    }
    fn err(&self, e: crate::shape::ShapeError) -> Error {
        e.into_error(self.file, self.source)
    }
    fn face(&self, layout: &Layout, style: &str) -> Result<(FaceId, f32)> {
        let s = layout.style(style);
        let id = self.book.id(&s.font).ok_or_else(|| {
            Error::Pdf(format!(
                "font role `{}` missing from layout {}",
                s.font, layout.name
            ))
        })?;
        Ok((id, s.size.0))
    }
}

/// A unit of copy ready to place.
struct Item {
    para: Para,
    cross: bool,
    /// Offset in `para.text` where the body copy starts (after a byline).
    body_from: usize,
}

/// A jump line into a frame: the slot where the continuation starts and its text.
struct JumpIn {
    slot: usize,
    text: String,
}

fn flow_story(ctx: &StoryCtx, frames: &[(usize, &StoryPlacement)]) -> Result<FlowedStory> {
    let Some(&(first_page, first)) = frames.first() else {
        return Err(Error::Pdf("story without frames".into()));
    };
    let layout = ctx
        .layout(first_page)
        .ok_or_else(|| Error::Pdf("page out of range".into()))?;
    let mut lines = Vec::new();
    let mut slots = Vec::new();
    let mut reserved: Vec<(usize, Slot, String)> = Vec::new();
    let mut jumps_in = Vec::new();
    let mut column = 0;
    let mut last_frame_start = 0;
    let mut notes = Vec::new();
    for (k, &(page, f)) in frames.iter().enumerate() {
        let layout = ctx.layout(page).unwrap_or(layout);
        let grid = &layout.grid;
        let rect = area_rect(grid, &f.area);
        // Display text in a box keeps the body's one-character inset from its rules.
        let display = if f.boxed {
            let em = grid.body_size.0;
            Rect {
                x: rect.x + em,
                w: (rect.w - 2.0 * em).max(em),
                ..rect
            }
        } else {
            rect
        };
        let mut first_line = f.area.lines.0;
        let obstacles: Vec<Rect> = ctx
            .edition
            .pages
            .get(page)
            .map(|p| {
                p.photos
                    .iter()
                    .map(|ph| area_rect(grid, &ph.area))
                    .collect()
            })
            .unwrap_or_default();
        let block: Option<(&str, Box<SetBlock>)> = if k == 0 {
            let style = layout.style(&first.headline_style);
            Some((
                "headline block",
                Box::new(move |r: Rect, out: &mut Vec<SetLine>| {
                    headline::set_headline(layout, ctx, style, r, page, out)
                }),
            ))
        } else {
            // The first frame on a later page carries the 转版题, above the 上接 line.
            frames
                .get(k - 1)
                .filter(|(prev_page, pf)| *prev_page != page && pf.jump && f.jump)
                .map(|_| {
                    let set: Box<SetBlock> = Box::new(move |r: Rect, out: &mut Vec<SetLine>| {
                        headline::set_continued(layout, ctx, r, page, out)
                    });
                    ("转版题", set)
                })
        };
        if let Some((what, set)) = block {
            let number = ctx.edition.pages.get(page).map_or(0, |p| p.number);
            let (used, mut n) = block_beside_photos(
                ctx,
                layout,
                (display, &obstacles),
                (&*set, what, number),
                &mut lines,
            )?;
            let frame_lines = f.area.lines.1 - f.area.lines.0 + 1;
            if used >= frame_lines {
                return Err(Diagnostic::file(
                    ctx.file,
                    format!(
                        "the {what} of story `{}` takes {used} body lines (one of them the space \
                         before the copy); its frame on page {number} ({}) has {frame_lines}",
                        ctx.story.id, f.area
                    ),
                )
                .with_hint("make the frame deeper or wider, or shorten the headline")
                .into());
            }
            first_line += used;
            notes.append(&mut n);
        }
        let mut fs = slots::frame_slots(grid, f, first_line, &obstacles, (page, k), &mut column);
        let next = frames.get(k + 1);
        if let Some(&(next_page, nf)) = next {
            if next_page != page && f.jump && nf.jump {
                let number = |p: usize| ctx.edition.pages.get(p).map_or(0, |pl| pl.number);
                if let Some(s) = fs.pop() {
                    reserved.push((k, s, format!("（下转第{}版）", number(next_page))));
                }
                jumps_in.push((k + 1, format!("（上接第{}版）", number(page))));
            }
        }
        if k + 1 == frames.len() {
            last_frame_start = slots.len();
        }
        slots.extend(fs);
    }
    let jumps: Vec<JumpIn> = jumps_in
        .into_iter()
        .filter_map(|(k, text)| {
            slots
                .iter()
                .position(|s| s.frame == k)
                .map(|slot| JumpIn { slot, text })
        })
        .collect();
    let items = shape_items(ctx, layout)?;
    let jump_style = ctx.face(layout, "jump")?;
    let env = PlaceEnv {
        ctx,
        layout,
        jump_style,
        jumps: &jumps,
        memo: Default::default(),
    };
    let mut placed = place(&env, &items, &slots)?;
    let mut underset = 0;
    let unused = slots.len().saturating_sub(placed.used);
    if placed.overset.is_none() && unused >= 2 && last_frame_start < slots.len() {
        let (b, depth, p) = balance(&env, &items, &slots, (last_frame_start, placed.used))?;
        placed = p;
        // Grid lines a photo takes at the foot of the balanced columns are not empty.
        underset = depth.saturating_sub(b);
    }
    // Reading order: headline, body lines, each 下转 line right after its frame's copy (in the
    // reserved last slot of the frame, when the story went on past it).
    let mut set = lines;
    let mut frame_of = placed.frames.iter().peekable();
    let mut jumps_out = reserved.iter().peekable();
    for line in placed.set(&env) {
        let f = frame_of.next().copied().unwrap_or(0);
        while let Some((_, slot, text)) = jumps_out.next_if(|(k, _, _)| *k < f) {
            set.push(jump_out(&env, slot, text)?);
        }
        set.push(line);
    }
    if placed.overset.is_some() {
        for (_, slot, text) in jumps_out {
            set.push(jump_out(&env, slot, text)?);
        }
    }
    let chars = items
        .iter()
        .map(|i| i.para.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    Ok(FlowedStory {
        id: ctx.story.id.clone(),
        file: ctx.file.clone(),
        frames: frames.iter().map(|(p, f)| (*p, f.area)).collect(),
        lines: set,
        lines_available: slots.len() + reserved.len(),
        lines_set: placed.set,
        chars,
        loose_lines: placed.loose,
        forced_lines: placed.forced,
        widows: placed.widows,
        overset: placed.overset,
        underset,
        empty_frames: (1..frames.len())
            .filter(|k| !placed.frames.contains(k))
            .collect(),
        notes: notes
            .into_iter()
            .map(|n| format!("{}: {n}", ctx.file.display()))
            .collect(),
    })
}

/// How a display block is set into a rectangle: its lines appended, the body lines it
/// occupies and its notes returned.
type SetBlock<'a> =
    dyn Fn(Rect, &mut Vec<SetLine>) -> std::result::Result<(u32, Vec<String>), ShapeError> + 'a;

/// Sets a display block (the headline block, a 转版题) across the frame, or beside a photo that
/// stands in its band (the wider side); returns the body lines it occupies and its notes.
fn block_beside_photos(
    ctx: &StoryCtx,
    layout: &Layout,
    (frame, obstacles): (Rect, &[Rect]),
    (set_block, what, number): (&SetBlock, &str, u32),
    out: &mut Vec<SetLine>,
) -> Result<(u32, Vec<String>)> {
    let grid = &layout.grid;
    let mut area = frame;
    // Set across the room left by every photo in the block's band; a narrower setting may be
    // deeper and meet another photo, so look again (a few times at most).
    for _ in 0..4 {
        let mut set = Vec::new();
        let (used, notes) = set_block(area, &mut set).map_err(|e| ctx.err(e))?;
        let band = Rect {
            h: used as f32 * grid.pitch.0,
            ..frame
        };
        let (x0, x1) = widest_free(frame, &band, obstacles, grid.gutter_width());
        if (x0 - area.x).abs() < 0.01 && (x1 - area.right()).abs() < 0.01 {
            out.append(&mut set);
            return Ok((used, notes));
        }
        if x1 - x0 < 4.0 * grid.body_size.0 {
            break;
        }
        area = Rect {
            x: x0,
            w: x1 - x0,
            ..frame
        };
    }
    Err(Diagnostic::file(
        ctx.file,
        format!(
            "story `{}`: the photos at the top of its frame on page {number} leave its {what} \
             no room beside them",
            ctx.story.id
        ),
    )
    .with_hint("move the photos down, narrow them, or widen the frame")
    .into())
}

/// The widest stretch of `frame`'s width that no photo in `band` covers (a gutter kept from
/// each photo).
fn widest_free(frame: Rect, band: &Rect, obstacles: &[Rect], gutter: f32) -> (f32, f32) {
    let mut cuts: Vec<(f32, f32)> = obstacles
        .iter()
        .filter(|o| o.intersects(band))
        .map(|o| (o.x - gutter, o.right() + gutter))
        .collect();
    cuts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best = (frame.x, frame.x);
    let mut x = frame.x;
    for (a, b) in cuts
        .iter()
        .copied()
        .chain(std::iter::once((frame.right(), frame.right())))
    {
        let end = a.min(frame.right());
        if end - x > best.1 - best.0 {
            best = (x, end);
        }
        x = x.max(b);
    }
    best
}

/// Shapes the story's blocks: the byline at the start of the first paragraph.
fn shape_items(ctx: &StoryCtx, layout: &Layout) -> Result<Vec<Item>> {
    let opts = &layout.text;
    let (body_face, body_size) = ctx.face(layout, "body")?;
    let (by_face, by_size) = ctx.face(layout, "byline")?;
    let (cross_face, cross_size) = ctx.face(layout, "crosshead")?;
    let mut items = Vec::new();
    // The byline starts the first paragraph, after any cross-head before it (a story of
    // cross-heads only gets a paragraph of its byline: nothing is dropped).
    let mut blocks = ctx.story.blocks.clone();
    if ctx.story.byline.is_some() && !blocks.iter().any(|b| matches!(b, Block::Paragraph(_))) {
        blocks.insert(0, Block::Paragraph(String::new()));
    }
    let first_para = blocks.iter().position(|b| matches!(b, Block::Paragraph(_)));
    for (bi, block) in blocks.iter().enumerate() {
        let item = match block {
            Block::Paragraph(text) => {
                let body = normalize(text, opts.fullwidth_ascii);
                let by = ctx
                    .story
                    .byline
                    .as_deref()
                    .filter(|_| Some(bi) == first_para)
                    .map(|b| normalize(b, opts.fullwidth_ascii));
                let mut runs = Vec::new();
                if let Some(b) = &by {
                    runs.push(Run {
                        text: b,
                        face: by_face,
                        size: by_size,
                        keep: false,
                    });
                }
                runs.push(Run {
                    text: &body,
                    face: body_face,
                    size: body_size,
                    keep: false,
                });
                let mut para = shape(&runs, 2.0, opts, ctx.book).map_err(|e| ctx.err(e))?;
                let body_from = by.map_or(0, |b| b.len());
                sense::mark(&mut para, ctx.words, body_from);
                Item {
                    para,
                    cross: false,
                    body_from,
                }
            }
            Block::CrossHead(text) => {
                let t = normalize(text, opts.fullwidth_ascii);
                let run = Run {
                    text: &t,
                    face: cross_face,
                    size: cross_size,
                    keep: false,
                };
                let mut para = shape(&[run], 0.0, opts, ctx.book).map_err(|e| ctx.err(e))?;
                sense::mark(&mut para, ctx.words, 0);
                Item {
                    para,
                    cross: true,
                    body_from: 0,
                }
            }
        };
        items.push(item);
    }
    Ok(items)
}

/// Baseline of a line of type size `size` centred in a line box of height `pitch` at `top`:
/// the ideographic em box runs from 0.88 em above the baseline to 0.12 em below.
pub fn baseline(pitch: f32, size: f32, top: f32) -> f32 {
    top + (pitch - size) / 2.0 + 0.88 * size
}
