//! Placing a story's copy into its line slots: paragraphs broken to the slots' widths, widow
//! and orphan control, jump lines into continuation frames, balancing of the last frame.

use super::{baseline, Item, JumpIn, LineRole, Overset, SetLine, Slot, StoryCtx};
use crate::error::Result;
use crate::fonts::FaceId;
use crate::linebreak::{
    break_display, break_lines, break_lines_exact, justify, Line, Measures, LOOSE,
};
use crate::model::Layout;
use crate::shape::{shape, Para, Run};
use std::sync::Arc;

pub(super) struct PlaceEnv<'a> {
    pub(super) ctx: &'a StoryCtx<'a>,
    pub(super) layout: &'a Layout,
    pub(super) jump_style: (FaceId, f32),
    pub(super) jumps: &'a [JumpIn],
    /// Breaks already computed: balancing places the same paragraphs into the same widths
    /// several times.
    pub(super) memo: std::cell::RefCell<std::collections::HashMap<BreakKey, Option<Vec<Line>>>>,
}

/// A paragraph (item index), the measures from its first line on (the varying prefix and the
/// width every later line has), and the line count asked for (`usize::MAX`: best).
pub(super) type BreakKey = (usize, Vec<u32>, u32, usize);

impl PlaceEnv<'_> {
    /// Breaks item `i`'s paragraph (as `break_lines`, `break_display` or `break_lines_exact`),
    /// remembering the result.
    fn breaks(
        &self,
        i: usize,
        item: &Item,
        widths: &[f32],
        exact: Option<usize>,
    ) -> Option<Vec<Line>> {
        let last = widths.last().copied().unwrap_or(0.0);
        let prefix = widths
            .iter()
            .rposition(|w| (*w - last).abs() >= 0.01)
            .map_or(0, |k| k + 1);
        let key = (
            i,
            widths
                .get(..prefix)
                .unwrap_or(&[])
                .iter()
                .map(|w| w.to_bits())
                .collect(),
            last.to_bits(),
            exact.unwrap_or(usize::MAX),
        );
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
    Item(&'a Para),
    Owned(Arc<Para>),
}

impl std::ops::Deref for ParaRef<'_> {
    type Target = Para;
    fn deref(&self) -> &Para {
        match self {
            ParaRef::Item(p) => p,
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

/// The outcome of placing a story's items into slots.
pub(super) struct Placed<'a> {
    pub(super) lines: Vec<Pending<'a>>,
    /// The frame of each line in `lines`.
    pub(super) frames: Vec<usize>,
    /// Whether each line is loose, and forced (counted into `loose`/`forced` at the end, so a
    /// paragraph set again for orphan control is not counted twice).
    marks: Vec<(bool, bool)>,
    pub(super) used: usize,
    pub(super) set: usize,
    pub(super) loose: usize,
    pub(super) forced: usize,
    pub(super) widows: usize,
    pub(super) overset: Option<Overset>,
}

/// The measures of the slots from `from` on.
fn widths_from(slots: &[Slot], from: usize) -> Vec<f32> {
    slots
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .map(|s| s.width)
        .collect()
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

/// Places the items into the slots in order: paragraphs broken to the slots' widths, widows
/// and orphans avoided where a line can be pulled or pushed without a loose line, a jump line
/// set before the copy continued in a frame on another page.
pub(super) fn place<'a>(env: &PlaceEnv, items: &'a [Item], slots: &[Slot]) -> Result<Placed<'a>> {
    let mut out = Placed {
        lines: Vec::new(),
        frames: Vec::new(),
        used: 0,
        set: 0,
        marks: Vec::new(),
        loose: 0,
        forced: 0,
        widows: 0,
        overset: None,
    };
    let mut overset = Overset { chars: 0, lines: 0 };
    let fallback = slots
        .last()
        .map_or(env.layout.grid.column_width(), |s| s.width);
    let mut cursor = 0;
    // The previous body paragraph: (item index, start slot, line count, index into out.lines).
    let mut prev: Option<(usize, usize, usize, usize)> = None;
    let mut i = 0;
    while i < items.len() {
        let Some(item) = items.get(i) else { break };
        let mut para = ParaRef::Item(&item.para);
        let mut jumped: Option<usize> = None;
        if item.cross && column_foot(slots, cursor) {
            cursor += 1; // a cross-head never stands at a column foot
        }
        loop {
            let widths = widths_from(slots, cursor);
            let widths = if widths.is_empty() {
                vec![fallback]
            } else {
                widths
            };
            let m = Measures { widths: &widths };
            let original = matches!(para, ParaRef::Item(_));
            let exact = |n: usize| {
                if original {
                    env.breaks(i, item, &widths, Some(n))
                } else {
                    break_lines_exact(&para, m, n)
                }
            };
            let mut lines = if !original {
                break_lines(&para, m)
            } else {
                env.breaks(i, item, &widths, None).unwrap_or_default()
            };
            if lines.is_empty() && para.atoms.iter().any(|a| !a.glyphs.is_empty()) {
                // No line of these measures can hold it (a slot narrower than the indent and a
                // character): overset, never dropped.
                overset.lines += 1;
                overset.chars += para.text.chars().filter(|c| !c.is_whitespace()).count();
                prev = None;
                break;
            }
            let n = lines.len();
            // cjk-rules.md §6: no widow (a last line alone at a column top).
            if !item.cross
                && n >= 2
                && cursor + n <= slots.len()
                && column_top(slots, cursor + n - 1)
            {
                if let Some(l) = exact(n + 1).or_else(|| exact(n - 1)) {
                    lines = l;
                } else {
                    out.widows += 1;
                }
            }
            // No first line alone at a column foot: the previous paragraph takes a line more.
            if !item.cross
                && lines.len() >= 2
                && column_foot(slots, cursor)
                && cursor + 1 < slots.len()
            {
                if let Some((pi, pstart, pn, pidx)) = prev.filter(|p| p.1 + p.2 == cursor) {
                    let pw = widths_from(slots, pstart);
                    let prev_item = items.get(pi);
                    let pp = prev_item.map(|it| ParaRef::Item(&it.para));
                    if let Some(pl) = prev_item.and_then(|it| env.breaks(pi, it, &pw, Some(pn + 1)))
                    {
                        if let Some(pp) = pp {
                            out.lines.truncate(pidx);
                            out.frames.truncate(pidx);
                            out.marks.truncate(pidx);
                            put_lines(&mut out, &pp, &pl, slots, pstart, false);
                            cursor = pstart + pn + 1;
                            prev = Some((pi, pstart, pn + 1, pidx));
                            continue;
                        }
                    }
                }
                out.widows += 1;
            }
            // A jump line into a frame on another page: split the paragraph there and go on
            // with the rest, led by the 上接 line.
            let jump = env.jumps.iter().find(|j| {
                j.slot >= cursor && j.slot < cursor + lines.len() && Some(j.slot) != jumped
            });
            if let Some(j) = jump {
                let li = j.slot - cursor;
                put_lines(
                    &mut out,
                    &para,
                    lines.get(..li).unwrap_or(&[]),
                    slots,
                    cursor,
                    item.cross,
                );
                let from = lines
                    .get(li)
                    .and_then(|l| para.atoms.get(l.start))
                    .map_or(0, |a| a.text.start as usize);
                // Byline text stays behind: the original paragraph's body starts after it.
                let floor = if matches!(para, ParaRef::Item(_)) {
                    item.body_from
                } else {
                    0
                };
                para = ParaRef::Owned(Arc::new(continuation(
                    env,
                    &para,
                    from.max(floor),
                    &j.text,
                )?));
                cursor = j.slot;
                jumped = Some(j.slot);
                prev = None;
                continue;
            }
            let start_idx = out.lines.len();
            let fit = slots.len().saturating_sub(cursor).min(lines.len());
            let (head, tail) = lines.split_at(fit);
            put_lines(&mut out, &para, head, slots, cursor, item.cross);
            for l in tail {
                overset.lines += 1;
                overset.chars += line_chars(&para, l);
            }
            if !item.cross && tail.is_empty() {
                prev = Some((i, cursor, lines.len(), start_idx));
            } else {
                prev = None;
            }
            cursor += fit;
            break;
        }
        i += 1;
    }
    out.used = cursor.min(slots.len());
    out.set = out.lines.len();
    out.loose = out.marks.iter().filter(|m| m.0).count();
    out.forced = out.marks.iter().filter(|m| m.1).count();
    if overset.lines > 0 {
        out.overset = Some(overset);
    }
    Ok(out)
}

/// The rest of a paragraph from byte `from`, led by a 上接 jump line kept whole.
fn continuation(env: &PlaceEnv, para: &Para, from: usize, jump: &str) -> Result<Para> {
    let ctx = env.ctx;
    let (body_face, body_size) = ctx.face(env.layout, "body")?;
    let rest = para.text.get(from..).unwrap_or("");
    let runs = [
        Run {
            text: jump,
            face: env.jump_style.0,
            size: env.jump_style.1,
            keep: true,
        },
        Run {
            text: rest,
            face: body_face,
            size: body_size,
            keep: false,
        },
    ];
    let mut para = shape(&runs, 0.0, &env.layout.text, ctx.book).map_err(|e| ctx.err(e))?;
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
        out.marks.push((line.spacing > LOOSE, line.forced));
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
            let s = &p.slot;
            let x = if p.centred {
                s.x + (s.width - w).max(0.0) / 2.0
            } else {
                s.x
            };
            out.push(SetLine {
                page: s.page,
                x,
                baseline: baseline(pitch, para.em, s.top),
                glyphs,
                text: shared,
                role: if p.centred {
                    LineRole::CrossHead
                } else {
                    LineRole::Body
                },
            });
        }
        out
    }
}

/// The 下转 jump line, right-aligned in the reserved last slot of a frame.
pub(super) fn jump_out(env: &PlaceEnv, slot: &Slot, text: &str) -> Result<SetLine> {
    let run = Run {
        text,
        face: env.jump_style.0,
        size: env.jump_style.1,
        keep: true,
    };
    let para = shape(&[run], 0.0, &env.layout.text, env.ctx.book).map_err(|e| env.ctx.err(e))?;
    let lines = break_display(
        &para,
        Measures {
            widths: &[slot.width],
        },
    );
    let (glyphs, w) = lines.first().map(|l| justify(&para, l)).unwrap_or_default();
    Ok(SetLine {
        page: slot.page,
        x: slot.x + (slot.width - w).max(0.0),
        baseline: baseline(env.layout.grid.pitch.0, para.em, slot.top),
        glyphs,
        text: para.text.as_str().into(),
        role: LineRole::Jump,
    })
}

/// How many lines deeper than the shallowest fit balancing may end its columns to avoid a
/// widow.
const WIDOW_LINES: u32 = 3;

/// The text columns of the last frame (from slot `last_start`) that balancing evens out: the
/// run of columns as deep as the one the copy ends in (a photo at the foot of some columns
/// makes them shallower: the deeper columns beside it are filled, not balanced with them).
/// Returns the columns in order, the range of them balanced, and their depth (last grid line).
fn balanced_columns(
    slots: &[Slot],
    last_start: usize,
    placed_used: usize,
) -> (Vec<usize>, std::ops::Range<usize>, u32) {
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
        .map(|s| s.column)
        .unwrap_or_default();
    let d = depth(end);
    let Some(at) = order.iter().position(|c| *c == end) else {
        let n = order.len();
        return (order, 0..n, d);
    };
    let mut from = at;
    while from > 0 && order.get(from - 1).is_some_and(|c| depth(*c) == d) {
        from -= 1;
    }
    let mut to = at + 1;
    while order.get(to).is_some_and(|c| depth(*c) == d) {
        to += 1;
    }
    (order, from..to, d)
}

/// Balances the last frame's columns of one depth ([`balanced_columns`]): the shallowest grid
/// line the copy still fits above. Returns that line, the depth of those columns and the
/// placement.
pub(super) fn balance<'a>(
    env: &PlaceEnv,
    items: &'a [Item],
    slots: &[Slot],
    (last_start, placed_used): (usize, usize),
) -> Result<(u32, u32, Placed<'a>)> {
    let (order, group, depth) = balanced_columns(slots, last_start, placed_used);
    // Where a slot's column stands: before the balanced columns (filled), among them, after.
    let rank = |i: usize, s: &Slot| {
        if i < last_start {
            return std::cmp::Ordering::Less;
        }
        let at = order.iter().position(|c| *c == s.column).unwrap_or(0);
        if at < group.start {
            std::cmp::Ordering::Less
        } else if at < group.end {
            std::cmp::Ordering::Equal
        } else {
            std::cmp::Ordering::Greater
        }
    };
    let evened = |i: usize, s: &Slot| rank(i, s) == std::cmp::Ordering::Equal;
    let lines: Vec<u32> = slots
        .iter()
        .enumerate()
        .filter(|(i, s)| evened(*i, s))
        .map(|(_, s)| s.line)
        .collect();
    let (Some(&lo), Some(&hi)) = (lines.iter().min(), lines.iter().max()) else {
        return Ok((0, depth, place(env, items, slots)?));
    };
    let restricted = |b: u32| -> Vec<Slot> {
        slots
            .iter()
            .enumerate()
            .filter(|(i, s)| match rank(*i, s) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Equal => s.line <= b,
                std::cmp::Ordering::Greater => false,
            })
            .map(|(_, s)| *s)
            .collect()
    };
    // Start from the even split of the lines the last frame used (a lower bound when the
    // columns are alike) and go down while it fits, else up until it fits.
    let used = slots
        .iter()
        .enumerate()
        .take(placed_used)
        .filter(|(i, s)| evened(*i, s))
        .count();
    let columns = group.len().max(1);
    let fits = |b: u32| -> Result<Option<Placed<'a>>> {
        let p = place(env, items, &restricted(b))?;
        Ok(p.overset.is_none().then_some(p))
    };
    let mut b = (lo + (used.div_ceil(columns) as u32).saturating_sub(1)).clamp(lo, hi);
    match fits(b)? {
        Some(mut best) => {
            while b > lo {
                match fits(b - 1)? {
                    Some(p) => {
                        best = p;
                        b -= 1;
                    }
                    None => break,
                }
            }
            // Spare lines remove widows: a column or two a few lines longer than the
            // shallowest fit, where that leaves fewer widows (cjk-rules.md §6).
            let (mut k, limit) = (b, hi.min(b + WIDOW_LINES));
            while best.widows > 0 && k < limit {
                k += 1;
                if let Some(p) = fits(k)?.filter(|p| p.widows < best.widows) {
                    best = p;
                    b = k;
                }
            }
            Ok((b, depth, best))
        }
        None => {
            while b < hi {
                b += 1;
                if let Some(p) = fits(b)? {
                    return Ok((b, depth, p));
                }
            }
            Ok((hi, depth, place(env, items, slots)?))
        }
    }
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
