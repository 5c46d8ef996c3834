//! Flow: stories threaded through their frames across the edition's pages, on the page's line
//! grid: headline blocks, body lines with widow/orphan control, jump lines (下转/上接) between
//! pages, wrap around photos, balanced last columns, overset and underset measured.
//!
//! Does not draw page furniture or photos; `compose` does.

mod headline;
mod place;
mod slots;

use place::{balance, jump_out, place_copy, Balanced, PlaceEnv, Placed};
use slots::Span;
pub use slots::{area_rect, text_columns, Slot};

use crate::error::{Diagnostic, Error, Result};
use crate::fonts::{FaceId, FontBook};
use crate::linebreak::sense;
use crate::linebreak::PlacedGlyph;
use crate::model::{Block, Direction, Edition, GridArea, Layout, PagePlan, Story, StoryPlacement};
use crate::segment::Words;
use crate::shape::class::normalize;
use crate::shape::{shape, shape_vertical, Para, Run, ShapeError};
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
    /// The colour of its type (its style's).
    pub colour: crate::model::Cmyk,
    /// 着重号: the centres of the emphasis dots under it, in points from `x`.
    pub dots: Vec<f32>,
    /// Horizontal, or vertical (竖排): then `x` is the column's centre line, `baseline` the top
    /// of its first em box, and glyph `x` offsets run down the page.
    pub direction: Direction,
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
    let mut threads: Vec<(&PathBuf, Vec<ThreadFrame>)> = Vec::new();
    for (page, plan) in edition.pages.iter().enumerate() {
        for placement in &plan.stories {
            let frame = ThreadFrame { page, placement };
            match threads.iter_mut().find(|(f, _)| **f == placement.file) {
                Some((_, t)) => t.push(frame),
                None => threads.push((&placement.file, vec![frame])),
            }
        }
    }
    // Threads are independent: flow them on both cores, keeping edition order.
    let flowed = crate::par::par_map(&threads, |(file, frames)| {
        // The pipeline loads every story its plans place (or fails before flowing).
        let (story, source) = stories
            .get(*file)
            .ok_or_else(|| Error::Internal(format!("story {} was not loaded", file.display())))?;
        let ctx = StoryCtx {
            edition,
            story,
            source,
            file,
            book,
            words,
            vertical: vertical_thread(edition, file, frames)?,
        };
        flow_story(&ctx, frames)
    });
    flowed.into_iter().collect()
}

/// One frame of a story's thread: a placement on a page of the edition.
#[derive(Debug, Clone, Copy)]
struct ThreadFrame<'a> {
    /// The page index in the edition.
    page: usize,
    /// The frame as the page plan places it.
    placement: &'a StoryPlacement,
}

impl ThreadFrame<'_> {
    /// Whether the story jumps from this frame to `next` (on another page, both frames
    /// allowing jump lines).
    fn jumps_to(&self, next: &ThreadFrame) -> bool {
        next.page != self.page && self.placement.jump && next.placement.jump
    }
}

/// What flowing one story needs: the edition, the story and its source, fonts and words.
struct StoryCtx<'a> {
    edition: &'a Edition,
    story: &'a Story,
    source: &'a str,
    file: &'a PathBuf,
    book: &'a FontBook,
    words: &'a Words,
    /// 竖排: the story is set in vertical lines, with this 纵中横 digit count.
    vertical: Option<u32>,
}

/// Whether a story's thread is vertical (its 纵中横 digit count then): every frame of a thread
/// must have the first's direction (a story does not turn between frames).
fn vertical_thread(
    edition: &Edition,
    file: &std::path::Path,
    frames: &[ThreadFrame],
) -> Result<Option<u32>> {
    let Some(first) = frames.first() else {
        return Ok(None);
    };
    let direction = first.placement.direction;
    if let Some(other) = frames.iter().find(|f| f.placement.direction != direction) {
        let number = edition.pages.get(other.page).map_or(0, |p| p.number);
        return Err(Diagnostic::file(
            file,
            format!(
                "the story's frame on page {number} ({}) is {:?} but its first frame is {:?}",
                other.placement.area, other.placement.direction, direction
            ),
        )
        .with_hint("give every frame of a story the same `direction`")
        .into());
    }
    let tcy = edition
        .pages
        .get(first.page)
        .map_or(crate::model::layout::DEFAULT_TCY, |p| p.layout.tcy);
    Ok((direction == Direction::Vertical).then_some(tcy))
}

/// A face and type size of a layout's style.
#[derive(Debug, Clone, Copy)]
struct StyleFace {
    /// The face.
    face: FaceId,
    /// The type size in points.
    size: f32,
}

impl StoryCtx<'_> {
    /// Page `page` of the edition (frames index the edition's own pages, so a page out of
    /// range is a bug, reported as an error rather than set on a wrong page).
    fn page(&self, page: usize) -> Result<&PagePlan> {
        self.edition
            .pages
            .get(page)
            .ok_or_else(|| Error::Internal(format!("page {page} out of range")))
    }
    /// A shaping error located in the story file.
    fn err(&self, e: crate::shape::ShapeError) -> Error {
        e.into_error(self.file, self.source)
    }
    /// Shapes runs of the story's copy for its direction (vertical forms in a 竖排 story).
    fn shape(
        &self,
        runs: &[Run],
        indent: f32,
        layout: &Layout,
    ) -> std::result::Result<Para, ShapeError> {
        match self.vertical {
            Some(tcy) => shape_vertical(runs, indent, (&layout.text, tcy), self.book),
            None => shape(runs, indent, &layout.text, self.book),
        }
    }
    /// The face and size of style `style` of `layout`.
    fn face(&self, layout: &Layout, style: &str) -> Result<StyleFace> {
        let (face, size) = self.book.style_face(layout, style)?;
        Ok(StyleFace { face, size })
    }
}

/// A block of the story's copy shaped and ready to place: a paragraph or a cross-head.
struct ShapedBlock {
    /// The shaped text.
    para: Para,
    /// Whether it is a cross-head (分题), set centred.
    cross: bool,
    /// Offset in `para.text` where the body copy starts (after a byline).
    body_from: usize,
}

/// A jump line into a frame: the slot where the continuation starts and its text.
struct JumpIn {
    /// The first slot of the continuation frame.
    slot: usize,
    /// The 上接 line.
    text: String,
}

/// A 下转 jump line out of a frame, set in the frame's reserved last slot.
struct JumpOut {
    /// The frame index in the thread.
    frame: usize,
    /// The reserved slot.
    slot: Slot,
    /// The 下转 line.
    text: String,
}

/// A story's frames turned into line slots, with the display blocks already set.
struct Thread {
    /// Headline blocks and 转版题 set.
    display: Vec<SetLine>,
    /// Body line slots of all frames, in thread order.
    slots: Vec<Slot>,
    /// Jump lines out of frames (下转), in thread order.
    jumps_out: Vec<JumpOut>,
    /// Jump lines into frames (上接).
    jumps_in: Vec<JumpIn>,
    /// The first slot of the last frame.
    last_frame_start: usize,
    /// Typographic notes of the display blocks.
    notes: Vec<String>,
}

/// Flows one story through its frames: the frames turned into slots (display blocks set,
/// jump lines reserved), the copy shaped, placed, the last frame balanced, the lines put in
/// reading order.
fn flow_story(ctx: &StoryCtx, frames: &[ThreadFrame]) -> Result<FlowedStory> {
    let Some(first) = frames.first() else {
        return Err(Error::Internal("story without frames".into()));
    };
    let layout = &ctx.page(first.page)?.layout;
    let thread = thread_slots(ctx, frames)?;
    let items = shape_items(ctx, layout)?;
    let env = PlaceEnv {
        ctx,
        layout,
        jump_style: ctx.face(layout, "jump")?,
        jumps: &thread.jumps_in,
        memo: Default::default(),
    };
    let (placed, underset) = place_balanced(&env, &items, &thread)?;
    let lines_set = placed.set;
    let chars = items
        .iter()
        .map(|i| i.para.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    Ok(FlowedStory {
        id: ctx.story.id.clone(),
        file: ctx.file.clone(),
        frames: frames.iter().map(|f| (f.page, f.placement.area)).collect(),
        lines_available: thread.slots.len() + thread.jumps_out.len(),
        lines_set,
        chars,
        loose_lines: placed.loose,
        forced_lines: placed.forced,
        widows: placed.widows,
        underset,
        empty_frames: (1..frames.len())
            .filter(|k| !placed.frames.contains(k))
            .collect(),
        notes: ctx
            .story
            .notes
            .iter()
            .chain(&thread.notes)
            .map(|n| format!("{}: {n}", ctx.file.display()))
            .collect(),
        lines: reading_order(&env, thread.display, &placed, &thread.jumps_out)?,
        overset: placed.overset,
    })
}

/// Turns the story's frames into line slots: each frame's display block (the headline block
/// in the first, a 转版题 where the story continues from another page) set at its head, the
/// body slots below it, the last slot reserved for a 下转 line where the story jumps on.
fn thread_slots(ctx: &StoryCtx, frames: &[ThreadFrame]) -> Result<Thread> {
    let mut thread = Thread {
        display: Vec::new(),
        slots: Vec::new(),
        jumps_out: Vec::new(),
        jumps_in: Vec::new(),
        last_frame_start: 0,
        notes: Vec::new(),
    };
    let mut jumps_in = Vec::new();
    let mut column = 0;
    for (k, frame) in frames.iter().enumerate() {
        let (page, f) = (frame.page, frame.placement);
        let plan = ctx.page(page)?;
        let grid = &plan.layout.grid;
        let obstacles: Vec<Rect> = plan
            .photos
            .iter()
            .map(|ph| area_rect(grid, &ph.area))
            .collect();
        // 竖题: the headline block stands at the frame's right edge, the copy beside it.
        let (used, strip) = if k == 0 && f.headline_direction == Direction::Vertical {
            (
                0,
                Some(set_vertical_block(ctx, frame, &obstacles, &mut thread)?),
            )
        } else {
            let used = set_display_block(ctx, (frames, k), &obstacles, &mut thread)?;
            (used, None)
        };
        let first_line = f.area.lines.0 + used;
        let mut fs = if f.direction == Direction::Vertical {
            let right = strip.map(|r| r.x - grid.gutter_width());
            let at = (f, first_line, right);
            vertical_frame_slots(ctx, (page, k), at, &obstacles, &mut column)?
        } else {
            let mut around = obstacles.clone();
            around.extend(strip);
            slots::frame_slots(grid, f, first_line, &around, (page, k), &mut column)
        };
        if let Some(next) = frames.get(k + 1) {
            if frame.jumps_to(next) {
                let next_number = ctx.page(next.page)?.number;
                if let Some(slot) = fs.pop() {
                    thread.jumps_out.push(JumpOut {
                        frame: k,
                        slot,
                        text: format!("（下转第{next_number}版）"),
                    });
                }
                jumps_in.push((k + 1, format!("（上接第{}版）", plan.number)));
            }
        }
        if k + 1 == frames.len() {
            thread.last_frame_start = thread.slots.len();
        }
        thread.slots.extend(fs);
    }
    thread.jumps_in = jumps_in
        .into_iter()
        .filter_map(|(k, text)| {
            thread
                .slots
                .iter()
                .position(|s| s.frame == k)
                .map(|slot| JumpIn { slot, text })
        })
        .collect();
    Ok(thread)
}

/// The vertical lines of a 竖排 frame below its display block: an error when no line of the
/// indent and a character fits below the block, or when a photo stands in the frame (text
/// does not yet wrap around a photo in vertical lines).
fn vertical_frame_slots(
    ctx: &StoryCtx,
    (page, k): (usize, usize),
    (f, first_line, right): (&StoryPlacement, u32, Option<f32>),
    obstacles: &[Rect],
    column: &mut usize,
) -> Result<Vec<Slot>> {
    let plan = ctx.page(page)?;
    let grid = &plan.layout.grid;
    let rect = area_rect(grid, &f.area);
    let top = grid.line_top(first_line);
    let chars = ((rect.bottom() - top) / grid.body_size.0 + 0.01)
        .floor()
        .max(0.0);
    let what = if chars < crate::model::plan::MIN_VERTICAL_CHARS as f32 {
        format!(
            "leaves {chars} body characters below its headline block; a vertical line needs \
             at least {}",
            crate::model::plan::MIN_VERTICAL_CHARS
        )
    } else if obstacles.iter().any(|o| o.intersects(&rect)) {
        "has a photo in it; vertical lines do not wrap around photos yet".to_string()
    } else {
        return Ok(slots::vertical_slots(
            grid,
            f,
            (top, right),
            (page, k),
            column,
        ));
    };
    Err(Diagnostic::file(
        ctx.file,
        format!(
            "the vertical frame of story `{}` on page {} ({}) {what}",
            ctx.story.id, plan.number, f.area
        ),
    )
    .with_hint("make the frame deeper, or move the photo out of it")
    .into())
}

/// 竖题: sets the story's headline block vertically at the right edge of its first frame;
/// returns the strip it takes. An error when it leaves the copy less than
/// [`MIN_BLOCK_CHARS`] beside it, or when a photo stands in it.
fn set_vertical_block(
    ctx: &StoryCtx,
    frame: &ThreadFrame,
    obstacles: &[Rect],
    thread: &mut Thread,
) -> Result<Rect> {
    let plan = ctx.page(frame.page)?;
    let (layout, f) = (&plan.layout, frame.placement);
    let display = display_rect(&layout.grid, f);
    let style = layout.style(&f.headline_style);
    let (w, mut notes) = headline::set_vertical_headline(
        layout,
        ctx,
        style,
        display,
        frame.page,
        &mut thread.display,
    )
    .map_err(|e| ctx.err(e))?;
    thread.notes.append(&mut notes);
    let strip = Rect {
        x: display.right() - w,
        w,
        ..display
    };
    let room = display.w - w - layout.grid.gutter_width();
    let what = if room < MIN_BLOCK_CHARS * layout.grid.body_size.0 {
        format!("takes {w:.0} pt of its {:.0} pt width", display.w)
    } else if obstacles.iter().any(|o| o.intersects(&strip)) {
        "stands over a photo".to_string()
    } else {
        return Ok(strip);
    };
    Err(Diagnostic::file(
        ctx.file,
        format!(
            "the vertical headline block (竖题) of story `{}` on page {} ({}) {what}",
            ctx.story.id, plan.number, f.area
        ),
    )
    .with_hint("widen the frame, shorten the headline, or move the photo")
    .into())
}

/// Sets frame `k`'s display block, if it has one (the headline block in the first frame, the
/// 转版题 in the first frame on a later page), into `thread`; returns the body lines it takes.
fn set_display_block(
    ctx: &StoryCtx,
    (frames, k): (&[ThreadFrame], usize),
    obstacles: &[Rect],
    thread: &mut Thread,
) -> Result<u32> {
    let Some(frame) = frames.get(k) else {
        return Ok(0);
    };
    let (page, f) = (frame.page, frame.placement);
    let plan = ctx.page(page)?;
    let layout = &plan.layout;
    let block: (&str, Box<SetBlock>) = if k == 0 {
        let style = layout.style(&f.headline_style);
        (
            "headline block",
            Box::new(move |r: Rect, out: &mut Vec<SetLine>| {
                headline::set_headline(layout, ctx, style, r, page, out)
            }),
        )
    } else if frames.get(k - 1).is_some_and(|prev| prev.jumps_to(frame)) {
        (
            "转版题",
            Box::new(move |r: Rect, out: &mut Vec<SetLine>| {
                headline::set_continued(layout, ctx, r, page, out)
            }),
        )
    } else {
        return Ok(0);
    };
    let (what, set) = block;
    let number = plan.number;
    let display = display_rect(&layout.grid, f);
    let (used, mut notes) = block_beside_photos(
        ctx,
        layout,
        (display, obstacles),
        (&*set, what, number),
        &mut thread.display,
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
    thread.notes.append(&mut notes);
    Ok(used)
}

/// The rectangle a display block is set in: the frame's, inset on each side in a box or on a
/// tint as the body is (display text keeps the body's inset from the box rules).
fn display_rect(grid: &crate::model::Grid, f: &StoryPlacement) -> Rect {
    let rect = area_rect(grid, &f.area);
    if f.framed() {
        let em = grid.body_size.0 * f.inset();
        Rect {
            x: rect.x + em,
            w: (rect.w - 2.0 * em).max(em),
            ..rect
        }
    } else {
        rect
    }
}

/// Places the copy into the thread's slots, balancing the last frame's columns when the copy
/// fits with two slots or more to spare; returns the placement and the grid lines left empty
/// at the foot of the balanced columns.
fn place_balanced<'a>(
    env: &PlaceEnv,
    items: &'a [ShapedBlock],
    thread: &Thread,
) -> Result<(Placed<'a>, u32)> {
    let slots = &thread.slots;
    let placed = place_copy(env, items, slots)?;
    let unused = slots.len().saturating_sub(placed.used);
    if placed.overset.is_some() || unused < 2 || thread.last_frame_start >= slots.len() {
        return Ok((placed, 0));
    }
    let Balanced {
        foot,
        depth,
        placed,
    } = balance(env, items, slots, (thread.last_frame_start, placed.used))?;
    // Grid lines a photo takes at the foot of the balanced columns are not empty.
    Ok((placed, depth.saturating_sub(foot)))
}

/// The story's lines in reading order: display blocks, body lines, each 下转 line right after
/// its frame's copy (in the reserved last slot of the frame, when the story went on past it).
fn reading_order(
    env: &PlaceEnv,
    display: Vec<SetLine>,
    placed: &Placed,
    jumps_out: &[JumpOut],
) -> Result<Vec<SetLine>> {
    let mut set = display;
    let mut jumps_out = jumps_out.iter().peekable();
    // `placed.set` gives one line per entry of `placed.frames`.
    for (line, &f) in placed.set(env).into_iter().zip(&placed.frames) {
        while let Some(j) = jumps_out.next_if(|j| j.frame < f) {
            set.push(jump_out(env, &j.slot, &j.text)?);
        }
        set.push(line);
    }
    if placed.overset.is_some() {
        for j in jumps_out {
            set.push(jump_out(env, &j.slot, &j.text)?);
        }
    }
    Ok(set)
}

/// How a display block is set into a rectangle: its lines appended, the body lines it
/// occupies and its notes returned.
type SetBlock<'a> =
    dyn Fn(Rect, &mut Vec<SetLine>) -> std::result::Result<(u32, Vec<String>), ShapeError> + 'a;

/// How many times a display block is set again beside the photos in its band.
const BLOCK_FIT_TRIES: usize = 4;

/// The narrowest room beside photos a display block is set in, in body characters.
const MIN_BLOCK_CHARS: f32 = 4.0;

/// Edges closer than this (points) are the same edge.
const SAME_EDGE: f32 = 0.01;

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
    for _ in 0..BLOCK_FIT_TRIES {
        let mut set = Vec::new();
        let (used, notes) = set_block(area, &mut set).map_err(|e| ctx.err(e))?;
        let band = Rect {
            h: used as f32 * grid.pitch.0,
            ..frame
        };
        let free = widest_free(frame, &band, obstacles, grid.gutter_width());
        if (free.left - area.x).abs() < SAME_EDGE && (free.right - area.right()).abs() < SAME_EDGE {
            out.append(&mut set);
            return Ok((used, notes));
        }
        if free.width() < MIN_BLOCK_CHARS * grid.body_size.0 {
            break;
        }
        area = Rect {
            x: free.left,
            w: free.width(),
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
fn widest_free(frame: Rect, band: &Rect, obstacles: &[Rect], gutter: f32) -> Span {
    // Each photo in the band cuts the frame's width, one gutter wider on each side.
    let mut cuts: Vec<Span> = obstacles
        .iter()
        .filter(|o| o.intersects(band))
        .map(|o| Span {
            left: o.x - gutter,
            right: o.right() + gutter,
        })
        .collect();
    cuts.sort_by(|a, b| a.left.total_cmp(&b.left));
    let end = Span {
        left: frame.right(),
        right: frame.right(),
    };
    let mut best = Span {
        left: frame.x,
        right: frame.x,
    };
    let mut x = frame.x;
    for cut in cuts.iter().copied().chain(std::iter::once(end)) {
        let free = Span {
            left: x,
            right: cut.left.min(frame.right()),
        };
        if free.width() > best.width() {
            best = free;
        }
        x = x.max(cut.right);
    }
    best
}

/// The indent of a paragraph's first line, in ems (two characters, 空两格).
const PARAGRAPH_INDENT: f32 = 2.0;

/// Shapes the story's blocks: the byline at the start of the first paragraph.
fn shape_items(ctx: &StoryCtx, layout: &Layout) -> Result<Vec<ShapedBlock>> {
    let opts = &layout.text;
    let body_style = ctx.face(layout, "body")?;
    let byline = ctx.face(layout, "byline")?;
    let crosshead = ctx.face(layout, "crosshead")?;
    let mut items = Vec::new();
    // The byline starts the first paragraph, after any cross-head before it (a story of
    // cross-heads only gets a paragraph of its byline: nothing is dropped).
    let mut blocks = ctx.story.blocks.clone();
    let is_para = |b: &Block| matches!(b, Block::Paragraph(_) | Block::Rich(..));
    if ctx.story.byline.is_some() && !blocks.iter().any(is_para) {
        blocks.insert(0, Block::Paragraph(String::new()));
    }
    let first_para = blocks.iter().position(is_para);
    for (bi, block) in blocks.iter().enumerate() {
        // The byline, set at the start of the first paragraph.
        let by = ctx
            .story
            .byline
            .as_deref()
            .filter(|_| Some(bi) == first_para)
            .map(|b| normalize(b, opts.fullwidth_ascii));
        let item = match block {
            Block::Rich(text, spans) => rich_paragraph(ctx, layout, (text, spans), by.as_deref())?,
            Block::Paragraph(text) => {
                let body = normalize(text, opts.fullwidth_ascii);
                let mut runs = Vec::new();
                if let Some(b) = &by {
                    runs.push(Run {
                        text: b,
                        face: byline.face,
                        size: byline.size,
                        keep: false,
                    });
                }
                runs.push(Run {
                    text: &body,
                    face: body_style.face,
                    size: body_style.size,
                    keep: false,
                });
                let mut para = ctx
                    .shape(&runs, PARAGRAPH_INDENT, layout)
                    .map_err(|e| ctx.err(e))?;
                let body_from = by.map_or(0, |b| b.len());
                sense::mark(&mut para, ctx.words, body_from);
                ShapedBlock {
                    para,
                    cross: false,
                    body_from,
                }
            }
            Block::CrossHead(text) => {
                let t = normalize(text, opts.fullwidth_ascii);
                let run = Run {
                    text: &t,
                    face: crosshead.face,
                    size: crosshead.size,
                    keep: false,
                };
                let mut para = ctx.shape(&[run], 0.0, layout).map_err(|e| ctx.err(e))?;
                sense::mark(&mut para, ctx.words, 0);
                ShapedBlock {
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

/// A paragraph with emphasis, shaped as runs: the byline (when it starts the paragraph), then
/// the copy, its `**strong**` and `*emphasis*` spans in the layout's `strong` and `emphasis`
/// faces (default: 黑体 and 楷体) at the body size — emphasis never changes the grid — and
/// `[…]{.dots}` in the body face, its Han characters marked for 着重号.
fn rich_paragraph(
    ctx: &StoryCtx,
    layout: &Layout,
    (text, spans): (&str, &[crate::model::emphasis::Span]),
    byline: Option<&str>,
) -> Result<ShapedBlock> {
    use crate::model::emphasis::Emphasis;
    let opts = &layout.text;
    let body = ctx.face(layout, "body")?;
    let face_of = |style: &str, role: &str| -> Result<crate::fonts::FaceId> {
        match layout.styles.get(style) {
            Some(_) => Ok(ctx.face(layout, style)?.face),
            None => ctx
                .book
                .role_face(layout, role)
                .map_err(|e| ctx.err(e.into())),
        }
    };
    let strong = face_of("strong", "sans-bold")?;
    let emphasis = face_of("emphasis", "kai")?;
    // The copy cut at the spans' edges, each piece normalised on its own.
    let mut pieces: Vec<(String, crate::fonts::FaceId)> = Vec::new();
    // Whether each run (the byline's first, when there is one) is a dots span.
    let mut dotted: Vec<bool> = byline.iter().map(|_| false).collect();
    let mut at = 0;
    for s in spans {
        if s.range.start > at {
            pieces.push((text[at..s.range.start].to_string(), body.face));
            dotted.push(false);
        }
        dotted.push(s.kind == Emphasis::Dots);
        let face = match s.kind {
            Emphasis::Strong => strong,
            Emphasis::Emphasis => emphasis,
            Emphasis::Dots => body.face,
        };
        pieces.push((text[s.range.clone()].to_string(), face));
        at = s.range.end;
    }
    if at < text.len() {
        pieces.push((text[at..].to_string(), body.face));
        dotted.push(false);
    }
    let by = byline.map(|b| b.to_string());
    let normalised: Vec<(String, crate::fonts::FaceId, f32)> = by
        .iter()
        .map(|b| {
            let f = ctx.face(layout, "byline");
            (
                b.clone(),
                f.as_ref().map_or(body.face, |f| f.face),
                f.map_or(body.size, |f| f.size),
            )
        })
        .chain(
            pieces
                .into_iter()
                .map(|(t, f)| (normalize(&t, opts.fullwidth_ascii), f, body.size)),
        )
        .collect();
    let runs: Vec<Run> = normalised
        .iter()
        .map(|(t, face, size)| Run {
            text: t,
            face: *face,
            size: *size,
            keep: false,
        })
        .collect();
    let mut para = ctx
        .shape(&runs, PARAGRAPH_INDENT, layout)
        .map_err(|e| ctx.err(e))?;
    // The dots spans in the paragraph's text: the pieces' normalised lengths added up.
    let mut at = 0;
    for ((t, _, _), dotted) in normalised.iter().zip(&dotted) {
        if *dotted {
            para.dots.push(at..at + t.len());
        }
        at += t.len();
    }
    let body_from = by.map_or(0, |b| b.len());
    sense::mark(&mut para, ctx.words, body_from);
    Ok(ShapedBlock {
        para,
        cross: false,
        body_from,
    })
}

/// The height of the ideographic em box above the baseline, in ems (0.12 em is below it).
const EM_BOX_ASCENT: f32 = 0.88;

/// Baseline of a line of type size `size` centred in a line box of height `pitch` at `top`:
/// the ideographic em box runs from 0.88 em above the baseline to 0.12 em below.
pub fn baseline(pitch: f32, size: f32, top: f32) -> f32 {
    top + (pitch - size) / 2.0 + EM_BOX_ASCENT * size
}
