//! Placing a story's copy into its line slots: paragraphs broken to the slots' widths, widow
//! and orphan control, jump lines into continuation frames, balancing of the last frame.

use super::{JumpIn, LineRole, Overset, SetLine, ShapedBlock, Slot, StoryCtx, StyleFace};
use crate::error::Result;
use crate::linebreak::{
    break_display, break_lines, break_lines_exact, justify, Line, Measures, LOOSE,
};
use crate::model::Layout;
use crate::shape::{Para, Run};
use std::ops::Range;
use std::sync::Arc;

pub(super) struct PlaceEnv<'a> {
    pub(super) ctx: &'a StoryCtx<'a>,
    pub(super) layout: &'a Layout,
    /// The face and size of jump lines (下转/上接).
    pub(super) jump_style: StyleFace,
    pub(super) jumps: &'a [JumpIn],
    /// Breaks already computed: balancing places the same paragraphs into the same widths
    /// several times.
    pub(super) memo: std::cell::RefCell<std::collections::HashMap<BreakKey, Option<Vec<Line>>>>,
}

/// What a paragraph's breaks depend on, as the memo's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct BreakKey {
    /// The item index.
    item: usize,
    /// The measures from its first line on that differ from the last one (as `f32` bits).
    prefix: Vec<u32>,
    /// The measure of every line after the prefix (as `f32` bits).
    last: u32,
    /// The line count asked for (`usize::MAX`: the best).
    lines: usize,
}

impl PlaceEnv<'_> {
    /// Breaks item `i`'s paragraph (as `break_lines`, `break_display` or `break_lines_exact`),
    /// remembering the result.
    fn breaks(
        &self,
        i: usize,
        item: &ShapedBlock,
        widths: &[f32],
        exact: Option<usize>,
    ) -> Option<Vec<Line>> {
        let last = widths.last().copied().unwrap_or(0.0);
        let prefix = widths
            .iter()
            .rposition(|w| (*w - last).abs() >= 0.01)
            .map_or(0, |k| k + 1);
        // `prefix <= widths.len()` by construction (an index into `widths`, plus one).
        let key = BreakKey {
            item: i,
            prefix: widths.iter().take(prefix).map(|w| w.to_bits()).collect(),
            last: last.to_bits(),
            lines: exact.unwrap_or(usize::MAX),
        };
        if let Some(hit) = self.memo.borrow().get(&key) {
            return hit.clone();
        }
        let m = Measures { widths };
        let lines = match exact {
            Some(n) => break_lines_exact(&item.para, m, n),
            None if item.cross => Some(break_display(&item.para, m)),
            None => Some(break_lines(&item.para, m)),
        };
        self.memo.borrow_mut().insert(key, lines.clone());
        lines
    }
}

/// A paragraph as placed: an item's own, or a continuation made while placing.
#[derive(Clone)]
pub(super) enum ParaRef<'a> {
    /// An item's own paragraph.
    Original(&'a Para),
    /// The rest of a paragraph after a jump line, led by the 上接 line.
    Owned(Arc<Para>),
}

impl std::ops::Deref for ParaRef<'_> {
    type Target = Para;
    fn deref(&self) -> &Para {
        match self {
            ParaRef::Original(p) => p,
            ParaRef::Owned(p) => p,
        }
    }
}

/// A line placed in a slot, justified only once the placement is final (balancing tries
/// several placements of the same copy).
pub(super) struct Pending<'a> {
    para: ParaRef<'a>,
    line: Line,
    slot: Slot,
    centred: bool,
}

/// Whether a placed line is loose and whether it was forced (counted at the end of a
/// placement, so a paragraph set again for orphan control is not counted twice).
#[derive(Debug, Clone, Copy)]
struct LineMarks {
    /// Its inter-character spacing exceeds [`LOOSE`].
    loose: bool,
    /// It had to break against kinsoku or overflow.
    forced: bool,
}

/// The outcome of placing a story's items into slots.
#[derive(Default)]
pub(super) struct Placed<'a> {
    pub(super) lines: Vec<Pending<'a>>,
    /// The frame of each line in `lines`.
    pub(super) frames: Vec<usize>,
    /// The marks of each line in `lines`.
    marks: Vec<LineMarks>,
    /// Slots used (up to the last line placed, or skipped).
    pub(super) used: usize,
    /// Lines set.
    pub(super) set: usize,
    /// Loose lines among them.
    pub(super) loose: usize,
    /// Forced lines among them.
    pub(super) forced: usize,
    /// Widows and orphans that could not be avoided.
    pub(super) widows: usize,
    /// Copy that did not fit.
    pub(super) overset: Option<Overset>,
}

impl Placed<'_> {
    /// Drops the lines from index `len` on (a paragraph to be set again).
    fn truncate(&mut self, len: usize) {
        self.lines.truncate(len);
        self.frames.truncate(len);
        self.marks.truncate(len);
    }
}

/// The measures of the slots from `from` on (none when `from` is past the end).
fn widths_from(slots: &[Slot], from: usize) -> Vec<f32> {
    // The placement's cursor never passes the end of the slots.
    debug_assert!(from <= slots.len(), "slot {from} past {}", slots.len());
    slots.iter().skip(from).map(|s| s.width).collect()
}

/// Whether slot `i` is the first after a break in the text: a column's top, or the first line
/// below a photo.
fn column_top(slots: &[Slot], i: usize) -> bool {
    i > 0 && column_foot(slots, i - 1)
}

/// Whether slot `i` is the last before a break in the text: the column's foot, or the last
/// line above a photo the column goes on below (a cross-head never stands there alone).
fn column_foot(slots: &[Slot], i: usize) -> bool {
    let (Some(s), Some(n)) = (slots.get(i), slots.get(i + 1)) else {
        return false;
    };
    n.column != s.column || n.page != s.page || n.line > s.line + 1
}

/// The previous body paragraph as placed, remembered so that it can take a line more when
/// the next paragraph's first line would stand alone at a column foot.
#[derive(Debug, Clone, Copy)]
struct PrevPara {
    /// Its item index.
    item: usize,
    /// The slot of its first line.
    start: usize,
    /// Its line count.
    lines: usize,
    /// The index of its first line in [`Placed::lines`].
    first_pending: usize,
}

/// The state of one placement of a story's items into slots ([`place_copy`]).
struct Placer<'e, 'a> {
    env: &'e PlaceEnv<'e>,
    items: &'a [ShapedBlock],
    slots: &'e [Slot],
    out: Placed<'a>,
    overset: Overset,
    /// The measure used when no slot is left (copy past the last slot is overset).
    fallback: f32,
    /// The next free slot.
    cursor: usize,
    prev: Option<PrevPara>,
}

/// What placing one item's paragraph did in one round.
enum Step<'a> {
    /// The paragraph is placed (or overset): go on with the next item.
    Done,
    /// Place it again from the (moved) cursor: the previous paragraph took a line more.
    Again,
    /// A jump line split it: place the continuation, led by the 上接 line.
    Continue(ParaRef<'a>),
}

/// Places the items into the slots in order: paragraphs broken to the slots' widths, widows
/// and orphans avoided where a line can be pulled or pushed without a loose line, a jump line
/// set before the copy continued in a frame on another page.
pub(super) fn place_copy<'a>(
    env: &PlaceEnv,
    items: &'a [ShapedBlock],
    slots: &[Slot],
) -> Result<Placed<'a>> {
    let mut placer = Placer {
        env,
        items,
        slots,
        out: Placed::default(),
        overset: Overset { chars: 0, lines: 0 },
        fallback: slots
            .last()
            .map_or(env.layout.grid.column_width(), |s| s.width),
        cursor: 0,
        prev: None,
    };
    for (i, item) in items.iter().enumerate() {
        placer.place_item(i, item)?;
    }
    Ok(placer.finish())
}

impl<'e, 'a> Placer<'e, 'a> {
    /// Places item `i`: its paragraph, and the continuations a jump line splits off it.
    fn place_item(&mut self, i: usize, item: &'a ShapedBlock) -> Result<()> {
        let mut para = ParaRef::Original(&item.para);
        let mut jumped: Option<usize> = None;
        if item.cross && column_foot(self.slots, self.cursor) {
            self.cursor += 1; // a cross-head never stands at a column foot
        }
        loop {
            match self.place_para(i, item, &para, &mut jumped)? {
                Step::Done => return Ok(()),
                Step::Again => {}
                Step::Continue(rest) => para = rest,
            }
        }
    }

    /// One round of placing `para` (item `i`'s own paragraph or a continuation of it) from the
    /// cursor; `jumped` is the jump slot already split at.
    fn place_para(
        &mut self,
        i: usize,
        item: &'a ShapedBlock,
        para: &ParaRef<'a>,
        jumped: &mut Option<usize>,
    ) -> Result<Step<'a>> {
        let widths = self.measures();
        let mut lines = self.break_best(i, item, para, &widths);
        if lines.is_empty() && para.atoms.iter().any(|a| !a.glyphs.is_empty()) {
            // No line of these measures can hold it (a slot narrower than the indent and a
            // character): overset, never dropped.
            self.overset.lines += 1;
            self.overset.chars += para.text.chars().filter(|c| !c.is_whitespace()).count();
            self.prev = None;
            return Ok(Step::Done);
        }
        if !item.cross {
            self.avoid_widow(i, item, para, &widths, &mut lines);
            if self.avoid_orphan(&lines) {
                return Ok(Step::Again);
            }
        }
        if let Some(rest) = self.split_at_jump(item, para, &lines, jumped)? {
            return Ok(Step::Continue(rest));
        }
        self.put_rest(i, item, para, &lines);
        Ok(Step::Done)
    }

    /// The measures of the slots from the cursor on (the last slot's, when none is left).
    fn measures(&self) -> Vec<f32> {
        let widths = widths_from(self.slots, self.cursor);
        if widths.is_empty() {
            vec![self.fallback]
        } else {
            widths
        }
    }

    /// The best breaks of `para` into `widths`: item `i`'s own paragraph through the memo, a
    /// continuation directly.
    fn break_best(
        &self,
        i: usize,
        item: &ShapedBlock,
        para: &ParaRef,
        widths: &[f32],
    ) -> Vec<Line> {
        if !matches!(para, ParaRef::Original(_)) {
            return break_lines(para, Measures { widths });
        }
        let lines = self.env.breaks(i, item, widths, None);
        // Only an exact line count can fail to be met; the best breaks always exist.
        debug_assert!(lines.is_some(), "best breaks of item {i} missing");
        lines.unwrap_or_default()
    }

    /// Breaks of `para` into `widths` in exactly `n` lines, if it can be set so.
    fn break_exact(
        &self,
        i: usize,
        item: &ShapedBlock,
        para: &ParaRef,
        widths: &[f32],
        n: usize,
    ) -> Option<Vec<Line>> {
        if matches!(para, ParaRef::Original(_)) {
            self.env.breaks(i, item, widths, Some(n))
        } else {
            break_lines_exact(para, Measures { widths }, n)
        }
    }

    /// cjk-rules.md §6: no widow (a last line alone at a column top): the paragraph set a line
    /// longer or shorter, else the widow counted.
    fn avoid_widow(
        &mut self,
        i: usize,
        item: &ShapedBlock,
        para: &ParaRef,
        widths: &[f32],
        lines: &mut Vec<Line>,
    ) {
        let n = lines.len();
        if n < 2
            || self.cursor + n > self.slots.len()
            || !column_top(self.slots, self.cursor + n - 1)
        {
            return;
        }
        let exact = |n| self.break_exact(i, item, para, widths, n);
        match exact(n + 1).or_else(|| exact(n - 1)) {
            Some(l) => *lines = l,
            None => self.out.widows += 1,
        }
    }

    /// No first line alone at a column foot: the previous paragraph, when it ends right above,
    /// is set again a line longer (returns true: place this one again), else the orphan is
    /// counted.
    fn avoid_orphan(&mut self, lines: &[Line]) -> bool {
        if lines.len() < 2
            || !column_foot(self.slots, self.cursor)
            || self.cursor + 1 >= self.slots.len()
        {
            return false;
        }
        if let Some(prev) = self.prev.filter(|p| p.start + p.lines == self.cursor) {
            let widths = widths_from(self.slots, prev.start);
            if let Some(prev_item) = self.items.get(prev.item) {
                let longer = self
                    .env
                    .breaks(prev.item, prev_item, &widths, Some(prev.lines + 1));
                if let Some(longer) = longer {
                    self.out.truncate(prev.first_pending);
                    let para = ParaRef::Original(&prev_item.para);
                    put_lines(&mut self.out, &para, &longer, self.slots, prev.start, false);
                    self.cursor = prev.start + prev.lines + 1;
                    self.prev = Some(PrevPara {
                        lines: prev.lines + 1,
                        ..prev
                    });
                    return true;
                }
            }
        }
        self.out.widows += 1;
        false
    }

    /// A jump line into a frame on another page among `lines`' slots: the lines before it
    /// placed, and the rest of the paragraph returned, led by the 上接 line.
    fn split_at_jump(
        &mut self,
        item: &ShapedBlock,
        para: &ParaRef<'a>,
        lines: &[Line],
        jumped: &mut Option<usize>,
    ) -> Result<Option<ParaRef<'a>>> {
        let cursor = self.cursor;
        let Some(jump) =
            self.env.jumps.iter().find(|j| {
                j.slot >= cursor && j.slot < cursor + lines.len() && Some(j.slot) != *jumped
            })
        else {
            return Ok(None);
        };
        // The jump slot lies within `lines`' slots (found above), so `at < lines.len()`.
        let at = jump.slot - cursor;
        let (before, after) = lines.split_at(at.min(lines.len()));
        put_lines(&mut self.out, para, before, self.slots, cursor, item.cross);
        let from = after
            .first()
            .and_then(|l| para.atoms.get(l.start))
            .map_or(0, |a| a.text.start as usize);
        // Byline text stays behind: the original paragraph's body starts after it.
        let floor = if matches!(para, ParaRef::Original(_)) {
            item.body_from
        } else {
            0
        };
        let rest = continuation(self.env, para, from.max(floor), &jump.text)?;
        self.cursor = jump.slot;
        *jumped = Some(jump.slot);
        self.prev = None;
        Ok(Some(ParaRef::Owned(Arc::new(rest))))
    }

    /// Places `lines` from the cursor; those past the last slot are overset.
    fn put_rest(&mut self, i: usize, item: &ShapedBlock, para: &ParaRef<'a>, lines: &[Line]) {
        let first_pending = self.out.lines.len();
        let fit = self
            .slots
            .len()
            .saturating_sub(self.cursor)
            .min(lines.len());
        let (head, tail) = lines.split_at(fit);
        put_lines(
            &mut self.out,
            para,
            head,
            self.slots,
            self.cursor,
            item.cross,
        );
        for l in tail {
            self.overset.lines += 1;
            self.overset.chars += line_chars(para, l);
        }
        self.prev = (!item.cross && tail.is_empty()).then_some(PrevPara {
            item: i,
            start: self.cursor,
            lines: lines.len(),
            first_pending,
        });
        self.cursor += fit;
    }

    /// The placement with its counts.
    fn finish(self) -> Placed<'a> {
        let mut out = self.out;
        out.used = self.cursor.min(self.slots.len());
        out.set = out.lines.len();
        out.loose = out.marks.iter().filter(|m| m.loose).count();
        out.forced = out.marks.iter().filter(|m| m.forced).count();
        if self.overset.lines > 0 {
            out.overset = Some(self.overset);
        }
        out
    }
}

/// The rest of a paragraph from byte `from`, led by a 上接 jump line kept whole.
fn continuation(env: &PlaceEnv, para: &Para, from: usize, jump: &str) -> Result<Para> {
    let ctx = env.ctx;
    let body = ctx.face(env.layout, "body")?;
    // `from` is where an atom's text starts, or the byline's end: a character boundary.
    debug_assert!(
        para.text.is_char_boundary(from),
        "continuation inside a character"
    );
    let rest = para.text.get(from..).unwrap_or("");
    let runs = [
        Run {
            text: jump,
            face: env.jump_style.face,
            size: env.jump_style.size,
            keep: true,
        },
        Run {
            text: rest,
            face: body.face,
            size: body.size,
            keep: false,
        },
    ];
    let mut para = ctx.shape(&runs, 0.0, env.layout).map_err(|e| ctx.err(e))?;
    crate::linebreak::sense::mark(&mut para, ctx.words, 0);
    Ok(para)
}

/// Places lines into consecutive slots from `first` (justified later, by [`Placed::set`]).
fn put_lines<'a>(
    out: &mut Placed<'a>,
    para: &ParaRef<'a>,
    lines: &[Line],
    slots: &[Slot],
    first: usize,
    centred: bool,
) {
    for (k, line) in lines.iter().enumerate() {
        let Some(s) = slots.get(first + k) else { break };
        out.lines.push(Pending {
            para: para.clone(),
            line: *line,
            slot: *s,
            centred,
        });
        out.frames.push(s.frame);
        out.marks.push(LineMarks {
            loose: line.spacing > LOOSE,
            forced: line.forced,
        });
    }
}

impl Placed<'_> {
    /// Justifies and positions the placed lines.
    pub(super) fn set(&self, env: &PlaceEnv) -> Vec<SetLine> {
        let pitch = env.layout.grid.pitch.0;
        let mut out = Vec::with_capacity(self.lines.len());
        // One shared copy of each paragraph's text for its lines.
        let mut text: Option<(*const Para, Arc<str>)> = None;
        for p in &self.lines {
            let para: &Para = &p.para;
            let shared = match &text {
                Some((ptr, t)) if std::ptr::eq(*ptr, para) => t.clone(),
                _ => {
                    let t: Arc<str> = para.text.as_str().into();
                    text = Some((para, t.clone()));
                    t
                }
            };
            let (glyphs, w) = justify(para, &p.line);
            let dots = dot_centres(para, &glyphs);
            let s = &p.slot;
            let shift = if p.centred {
                (s.width - w).max(0.0) / 2.0
            } else {
                0.0
            };
            let (x, baseline, direction) = s.origin(shift, pitch, para.em);
            out.push(SetLine {
                page: s.page,
                x,
                baseline,
                direction,
                glyphs,
                text: shared,
                role: if p.centred {
                    LineRole::CrossHead
                } else {
                    LineRole::Body
                },
                colour: env
                    .layout
                    .style(if p.centred { "crosshead" } else { "body" })
                    .colour,
                dots,
            });
        }
        out
    }
}

/// 着重号: the centre of a dot under each Han character of the line that lies in one of the
/// paragraph's dots spans (never under punctuation), in points from the line's left.
fn dot_centres(para: &Para, glyphs: &[crate::linebreak::PlacedGlyph]) -> Vec<f32> {
    if para.dots.is_empty() {
        return Vec::new();
    }
    glyphs
        .iter()
        .filter(|g| {
            let start = g.start as usize;
            para.dots.iter().any(|r| r.contains(&start))
                && para
                    .text
                    .get(start..)
                    .and_then(|t| t.chars().next())
                    .is_some_and(is_han)
        })
        .map(|g| g.x + g.advance / 2.0)
        .collect()
}

/// Whether `c` is a Han character (CJK ideographs and their extensions, 〇).
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// The 下转 jump line, right-aligned in the reserved last slot of a frame.
pub(super) fn jump_out(env: &PlaceEnv, slot: &Slot, text: &str) -> Result<SetLine> {
    let run = Run {
        text,
        face: env.jump_style.face,
        size: env.jump_style.size,
        keep: true,
    };
    let para = env
        .ctx
        .shape(&[run], 0.0, env.layout)
        .map_err(|e| env.ctx.err(e))?;
    let lines = crate::linebreak::set_display(&para, slot.width);
    // A display break of non-empty text always gives a line; none would set an empty line.
    debug_assert!(!lines.is_empty(), "jump line `{text}` not set");
    let (glyphs, w) = lines
        .into_iter()
        .next()
        .map(|d| (d.glyphs, d.width))
        .unwrap_or_default();
    let (x, baseline, direction) =
        slot.origin((slot.width - w).max(0.0), env.layout.grid.pitch.0, para.em);
    Ok(SetLine {
        page: slot.page,
        x,
        baseline,
        direction,
        glyphs,
        text: para.text.as_str().into(),
        role: LineRole::Jump,
        colour: env.layout.style("jump").colour,
        dots: Vec::new(),
    })
}

/// How many lines deeper than the shallowest fit balancing may end its columns to avoid a
/// widow.
const WIDOW_LINES: u32 = 3;

/// The text columns of the last frame that balancing evens out: the run of columns as deep as
/// the one the copy ends in (a photo at the foot of some columns makes them shallower: the
/// deeper columns beside it are filled, not balanced with them).
struct BalancedColumns {
    /// The first slot of the last frame.
    last_start: usize,
    /// The last frame's text columns in order.
    order: Vec<usize>,
    /// The range of `order` balanced.
    group: Range<usize>,
    /// Their depth (last grid line).
    depth: u32,
}

/// Where a slot's column stands against the balanced columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rank {
    /// Before them (an earlier frame, or a column filled to its foot).
    Filled,
    /// Among them.
    Balanced,
    /// After them (left empty).
    After,
}

impl BalancedColumns {
    /// The columns of the last frame (from slot `last_start`) balanced when the copy ends at
    /// slot `placed_used` (exclusive).
    fn new(slots: &[Slot], last_start: usize, placed_used: usize) -> Self {
        // The caller balances only a last frame that has slots.
        debug_assert!(last_start < slots.len(), "last frame without slots");
        let last = slots.get(last_start..).unwrap_or(&[]);
        let depth = |c: usize| {
            last.iter()
                .filter(|s| s.column == c)
                .map(|s| s.line)
                .max()
                .unwrap_or(0)
        };
        let mut order: Vec<usize> = last.iter().map(|s| s.column).collect();
        order.dedup();
        let end = slots
            .get(placed_used.saturating_sub(1).max(last_start))
            .map_or(0, |s| s.column);
        let d = depth(end);
        let Some(at) = order.iter().position(|c| *c == end) else {
            let n = order.len();
            return Self {
                last_start,
                order,
                group: 0..n,
                depth: d,
            };
        };
        let mut from = at;
        while from > 0 && order.get(from - 1).is_some_and(|c| depth(*c) == d) {
            from -= 1;
        }
        let mut to = at + 1;
        while order.get(to).is_some_and(|c| depth(*c) == d) {
            to += 1;
        }
        Self {
            last_start,
            order,
            group: from..to,
            depth: d,
        }
    }

    /// Where slot `i` (`s`) stands.
    fn rank(&self, i: usize, s: &Slot) -> Rank {
        if i < self.last_start {
            return Rank::Filled;
        }
        let at = self.order.iter().position(|c| *c == s.column).unwrap_or(0);
        if at < self.group.start {
            Rank::Filled
        } else if at < self.group.end {
            Rank::Balanced
        } else {
            Rank::After
        }
    }

    /// The slots when the balanced columns end at grid line `foot`.
    fn restricted(&self, slots: &[Slot], foot: u32) -> Vec<Slot> {
        slots
            .iter()
            .enumerate()
            .filter(|(i, s)| match self.rank(*i, s) {
                Rank::Filled => true,
                Rank::Balanced => s.line <= foot,
                Rank::After => false,
            })
            .map(|(_, s)| *s)
            .collect()
    }
}

/// A balanced placement.
pub(super) struct Balanced<'a> {
    /// The grid line the balanced columns end at.
    pub(super) foot: u32,
    /// The depth of those columns (their last grid line).
    pub(super) depth: u32,
    /// The placement.
    pub(super) placed: Placed<'a>,
}

/// Balances the last frame's columns of one depth ([`BalancedColumns`]): the shallowest grid
/// line the copy still fits above (a few lines deeper where that leaves fewer widows).
pub(super) fn balance<'a>(
    env: &PlaceEnv,
    items: &'a [ShapedBlock],
    slots: &[Slot],
    (last_start, placed_used): (usize, usize),
) -> Result<Balanced<'a>> {
    let cols = BalancedColumns::new(slots, last_start, placed_used);
    let depth = cols.depth;
    let balanced = |i: usize, s: &Slot| cols.rank(i, s) == Rank::Balanced;
    let lines: Vec<u32> = slots
        .iter()
        .enumerate()
        .filter(|(i, s)| balanced(*i, s))
        .map(|(_, s)| s.line)
        .collect();
    let (Some(&lo), Some(&hi)) = (lines.iter().min(), lines.iter().max()) else {
        let placed = place_copy(env, items, slots)?;
        return Ok(Balanced {
            foot: 0,
            depth,
            placed,
        });
    };
    // Start from the even split of the lines the last frame used (a lower bound when the
    // columns are alike) and go down while it fits, else up until it fits.
    let used = slots
        .iter()
        .enumerate()
        .take(placed_used)
        .filter(|(i, s)| balanced(*i, s))
        .count();
    let columns = cols.group.len().max(1);
    let fits = |foot: u32| -> Result<Option<Placed<'a>>> {
        let p = place_copy(env, items, &cols.restricted(slots, foot))?;
        Ok(p.overset.is_none().then_some(p))
    };
    let start = (lo + (used.div_ceil(columns) as u32).saturating_sub(1)).clamp(lo, hi);
    let (foot, placed) = match fits(start)? {
        Some(best) => shallowest_fit(&fits, (lo, hi), start, best)?,
        None => match first_fit_below(&fits, hi, start)? {
            Some(found) => found,
            None => (hi, place_copy(env, items, slots)?),
        },
    };
    Ok(Balanced {
        foot,
        depth,
        placed,
    })
}

/// A placement with the balanced columns ending at a grid line, if the copy fits.
type FitsAt<'f, 'a> = dyn Fn(u32) -> Result<Option<Placed<'a>>> + 'f;

/// From a foot line `b` that fits (`best`), the shallowest that still fits (down to `lo`), then
/// up to [`WIDOW_LINES`] deeper (not past `hi`) where that leaves fewer widows
/// (cjk-rules.md §6).
fn shallowest_fit<'a>(
    fits: &FitsAt<'_, 'a>,
    (lo, hi): (u32, u32),
    mut b: u32,
    mut best: Placed<'a>,
) -> Result<(u32, Placed<'a>)> {
    while b > lo {
        match fits(b - 1)? {
            Some(p) => {
                best = p;
                b -= 1;
            }
            None => break,
        }
    }
    let (mut k, limit) = (b, hi.min(b + WIDOW_LINES));
    while best.widows > 0 && k < limit {
        k += 1;
        if let Some(p) = fits(k)?.filter(|p| p.widows < best.widows) {
            best = p;
            b = k;
        }
    }
    Ok((b, best))
}

/// From a foot line `b` that does not fit, the first deeper one (up to `hi`) that does.
fn first_fit_below<'a>(
    fits: &FitsAt<'_, 'a>,
    hi: u32,
    mut b: u32,
) -> Result<Option<(u32, Placed<'a>)>> {
    while b < hi {
        b += 1;
        if let Some(p) = fits(b)? {
            return Ok(Some((b, p)));
        }
    }
    Ok(None)
}

/// Characters (non-space) of line `l` of `p`.
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
