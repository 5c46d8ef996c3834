//! Candidate arrangements of a budget's stories on the free part of the page: shapes (how the
//! zones are cut into stacks), and for each shape every assignment of stories to stacks
//! (stories keep their priority order down a stack), each stack filled by [`fill_stack`].
//! Candidates are scored on estimates from measured depths here; the best are then set for
//! real and scored again (`score`).
//!
//! Shapes: `full` (each zone one stack, the lead at the top of the first); `split-W` (the top
//! zone cut into columns 1-W and W+1-…, the lead heading the left stack); `band-W` (the lead
//! across the top zone, the rest of it cut at W below it).

use super::stack::{fill_stack, place_stack, Placed, StackFill, MAX_UNDERSET};
use super::units::UnitOption;
use super::zones::GAP;
use crate::model::GridArea;
use std::collections::HashMap;

/// Column counts at which the top zone may be cut into two stacks.
const SPLITS: [u32; 3] = [4, 5, 6];
/// The fewest columns a stack beside another may have.
const MIN_STACK: u32 = 2;
/// How many of the lead's options a `band` shape tries (evenly spread).
const LEAD_TRIES: usize = 6;

/// A candidate arrangement.
#[derive(Debug, Clone)]
pub struct Arrangement {
    /// The shape it came from (`full`, `split-5`, `band-4`).
    pub shape: String,
    /// Stories placed, in budget (priority) order.
    pub placed: Vec<Placed>,
    /// Stacks no story was given (empty grid).
    pub empty: Vec<GridArea>,
}

/// The options of story `s` in a stack `w` columns wide.
pub type Options<'a> = &'a dyn Fn(usize, u32) -> &'a [UnitOption];
/// An arrangement's estimated penalty (lower is better).
pub type Estimate<'a> = &'a dyn Fn(&Arrangement) -> f32;
/// Whether an arrangement may be offered (no 撞题).
pub type Allowed<'a> = &'a dyn Fn(&Arrangement) -> bool;
/// Arrangements with their estimates.
type Ranked = Vec<(f32, Arrangement)>;

/// How a shape cuts the page: stacks to fill, and the lead standing alone above them.
struct Shape {
    name: String,
    stacks: Vec<GridArea>,
    lead: Option<Placed>,
}

/// The stack widths every shape of these zones uses (for measuring).
pub fn widths(zones: &[GridArea]) -> Vec<u32> {
    let mut w: Vec<u32> = zones
        .iter()
        .map(|z| z.columns.1 - z.columns.0 + 1)
        .collect();
    if let Some(top) = zones.first() {
        let cols = top.columns.1 - top.columns.0 + 1;
        for s in SPLITS.iter().filter(|&&s| s + MIN_STACK <= cols) {
            w.push(*s);
            w.push(cols - s);
        }
    }
    w.sort_unstable();
    w.dedup();
    w
}

/// Every candidate: each shape with each assignment, scored by `estimate` (lower is
/// better); the `keep` best of those `allowed` (no 撞题), the others only when there are
/// none. Assignments whose stacks the stories' least depths overflow are
/// skipped while any shape has one that does not; when none has, all are tried (the page
/// then needs cuts, and the best of those plans is still made).
pub fn arrange(
    zones: &[GridArea],
    stories: usize,
    options: Options,
    (estimate, allowed): (Estimate, Allowed),
    keep: usize,
) -> Vec<(f32, Arrangement)> {
    let shapes = shapes(zones, options);
    let mut best: Ranked = Vec::new();
    let mut refused: Ranked = Vec::new();
    for fitting in [true, false] {
        for shape in &shapes {
            let into = (&mut best, &mut refused, keep);
            search_shape(shape, stories, (options, estimate, allowed), fitting, into);
        }
        if !best.is_empty() {
            break;
        }
    }
    if best.is_empty() {
        best = refused;
    }
    prune(&mut best, keep);
    best
}

/// Every assignment of one shape (only those that fit, when `fitting`), into `best`.
fn search_shape(
    shape: &Shape,
    stories: usize,
    (options, estimate, allowed): (Options, Estimate, Allowed),
    fitting: bool,
    (best, refused, keep): (&mut Ranked, &mut Ranked, usize),
) {
    let mut memo: HashMap<(usize, u32), Option<StackFill>> = HashMap::new();
    let least = |s: usize, k: usize| {
        let area = shape.stacks.get(k);
        let w = area.map_or(0, |a| a.columns.1 + 1 - a.columns.0);
        options(s, w)
            .iter()
            .map(|o| o.depth)
            .min()
            .unwrap_or(u32::MAX / 4)
    };
    let room: Vec<u32> = shape
        .stacks
        .iter()
        .map(|a| {
            if fitting {
                a.lines.1 + 1 - a.lines.0 + GAP
            } else {
                u32::MAX / 2
            }
        })
        .collect();
    // Lines each stack's members take at least (each with the rule line above it).
    let mut load = vec![0u32; shape.stacks.len()];
    if let (None, Some(l)) = (&shape.lead, load.first_mut()) {
        *l = least(0, 0) + GAP;
    }
    let mut visit = |assign: &[usize]| {
        let Some(a) = realise(shape, assign, options, &mut memo) else {
            return;
        };
        let list = if allowed(&a) {
            &mut *best
        } else {
            &mut *refused
        };
        list.push((estimate(&a), a));
        if list.len() > keep * 8 {
            prune(list, keep);
        }
    };
    let mut assign = vec![0usize; stories];
    let mut walk = Walk {
        least: &least,
        room: &room,
        load: &mut load,
        visit: &mut visit,
    };
    // Story 0, the lead, heads stack 0 or stands in the band above the stacks.
    walk.enumerate(&mut assign, 1);
}

/// Keeps the `keep` best, first found first among equals.
fn prune(best: &mut Vec<(f32, Arrangement)>, keep: usize) {
    best.sort_by(|a, b| a.0.total_cmp(&b.0));
    best.dedup_by(|a, b| a.1.placed == b.1.placed);
    best.truncate(keep);
}

/// The walk over assignments: each story in turn to each stack its least depth still fits.
struct Walk<'a> {
    least: &'a dyn Fn(usize, usize) -> u32,
    room: &'a [u32],
    load: &'a mut Vec<u32>,
    visit: &'a mut dyn FnMut(&[usize]),
}

impl Walk<'_> {
    /// Calls `visit` with every assignment of stories `from..` to the stacks.
    fn enumerate(&mut self, assign: &mut [usize], from: usize) {
        if from >= assign.len() {
            (self.visit)(assign);
            return;
        }
        for k in 0..self.room.len() {
            let add = (self.least)(from, k).saturating_add(GAP);
            let (Some(load), Some(room)) = (self.load.get(k).copied(), self.room.get(k)) else {
                continue;
            };
            if load.saturating_add(add) > *room {
                continue;
            }
            if let Some(a) = assign.get_mut(from) {
                *a = k;
            }
            if let Some(l) = self.load.get_mut(k) {
                *l = load + add;
            }
            self.enumerate(assign, from + 1);
            if let Some(l) = self.load.get_mut(k) {
                *l = load;
            }
        }
    }
}

/// An assignment made into an arrangement, or `None` when a story has no way to stand in
/// its stack (too long for it even as deep as the grid).
fn realise(
    shape: &Shape,
    assign: &[usize],
    options: Options,
    memo: &mut HashMap<(usize, u32), Option<StackFill>>,
) -> Option<Arrangement> {
    let mut placed: Vec<Placed> = shape.lead.iter().cloned().collect();
    let mut empty = Vec::new();
    for (k, area) in shape.stacks.iter().enumerate() {
        let from = usize::from(shape.lead.is_some());
        let members: Vec<usize> = (from..assign.len())
            .filter(|&i| assign.get(i) == Some(&k))
            .chain((shape.lead.is_none() && k == 0).then_some(0))
            .collect::<std::collections::BTreeSet<usize>>()
            .into_iter()
            .collect();
        if members.is_empty() {
            empty.push(*area);
            continue;
        }
        let mask = members.iter().fold(0u32, |m, &i| m | (1 << i));
        let width = area.columns.1 - area.columns.0 + 1;
        let depth = area.lines.1 + 1 - area.lines.0;
        let fill = memo
            .entry((k, mask))
            .or_insert_with(|| {
                let list: Vec<(usize, &[UnitOption])> =
                    members.iter().map(|&i| (i, options(i, width))).collect();
                fill_stack(depth, &list)
            })
            .clone()?;
        // A stack its stories overflow stays a candidate (scored by its overset), so that a
        // budget with too much copy still gets its best plan and the cuts to make.
        placed.extend(place_stack(*area, &fill)?);
    }
    placed.sort_by_key(|p| p.story);
    Some(Arrangement {
        shape: shape.name.clone(),
        placed,
        empty,
    })
}

/// The shapes of these zones: `full`, `split-W`, and `band-W` for a few of the lead's options.
fn shapes(zones: &[GridArea], options: Options) -> Vec<Shape> {
    let Some((top, rest)) = zones.split_first() else {
        return Vec::new();
    };
    let cols = top.columns.1 - top.columns.0 + 1;
    let mut out = vec![Shape {
        name: "full".into(),
        stacks: zones.to_vec(),
        lead: None,
    }];
    let halves = |w: u32, lines: (u32, u32)| {
        let left = GridArea {
            columns: (top.columns.0, top.columns.0 + w - 1),
            lines,
        };
        let right = GridArea {
            columns: (top.columns.0 + w, top.columns.1),
            lines,
        };
        let mut s = vec![left, right];
        s.extend_from_slice(rest);
        s
    };
    let splits: Vec<u32> = SPLITS
        .iter()
        .copied()
        .filter(|&s| s + MIN_STACK <= cols)
        .collect();
    for &w in &splits {
        out.push(Shape {
            name: format!("split-{w}"),
            stacks: halves(w, top.lines),
            lead: None,
        });
    }
    let lead_opts = options(0, cols);
    let step = (lead_opts.len() / LEAD_TRIES).max(1);
    for o in lead_opts.iter().step_by(step) {
        let band = GridArea {
            columns: top.columns,
            lines: (top.lines.0, top.lines.0 + o.depth - 1),
        };
        let below = band.lines.1 + 1 + GAP;
        if below + 2 * MAX_UNDERSET > top.lines.1 {
            continue;
        }
        let fill = StackFill {
            units: vec![(0, *o)],
            slack: 0,
        };
        let lead = place_stack(band, &fill).and_then(|p| p.into_iter().next());
        for &w in splits.iter().filter(|&&w| w <= 5) {
            out.push(Shape {
                name: format!("band-{w}"),
                stacks: halves(w, (below, top.lines.1)),
                lead: lead.clone(),
            });
        }
    }
    out
}
