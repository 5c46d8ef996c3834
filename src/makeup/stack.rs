//! A stack: a rectangle of the page filled from the top by stories set across its width, one
//! under another with a rule line between them. Which option each story takes (its photo's
//! depth) is chosen so that the stack fills as nearly as possible; the lines left over go to
//! the stories as underset, at most [`MAX_UNDERSET`] each (more only when nothing fills).

use super::units::{PhotoSpot, UnitOption};
use super::zones::GAP;
use crate::model::GridArea;
use std::collections::BTreeMap;

/// Empty lines a story's frame may keep at its foot (the limit).
pub const MAX_UNDERSET: u32 = 3;

/// A story placed by a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Index into the budget's stories.
    pub story: usize,
    /// Its frame.
    pub frame: GridArea,
    /// Its photo's frame.
    pub photo: Option<GridArea>,
    /// The grid lines its headline block takes (first, last).
    pub headline: (u32, u32),
    /// Lines its frame was given beyond the least that sets it (negative: too few).
    pub extra: i32,
}

/// A stack filled: the options chosen, in order, and the lines over (negative: short).
#[derive(Debug, Clone)]
pub struct StackFill {
    /// (story, option) top to bottom.
    pub units: Vec<(usize, UnitOption)>,
    /// Lines of the stack its units' least depths leave over (negative: they overflow).
    pub slack: i32,
}

/// The best fill of a stack `depth` lines deep by `stories` (in order), each with its
/// options: the largest total that fits, else the smallest that overflows; `None` when a
/// story has no option at this width.
pub fn fill_stack(depth: u32, stories: &[(usize, &[UnitOption])]) -> Option<StackFill> {
    // Reachable totals → the option index of each story so far (first found kept).
    let mut reach: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    reach.insert(0, Vec::new());
    for (k, (_, opts)) in stories.iter().enumerate() {
        let gap = if k == 0 { 0 } else { GAP };
        let mut next: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (total, picks) in &reach {
            for (i, o) in opts.iter().enumerate() {
                let t = total + gap + o.depth;
                next.entry(t).or_insert_with(|| {
                    let mut p = picks.clone();
                    p.push(i);
                    p
                });
            }
        }
        if next.is_empty() {
            return None;
        }
        reach = next;
    }
    let (total, picks) = reach
        .range(..=depth)
        .next_back()
        .or_else(|| reach.range(depth..).next())?;
    let units = stories
        .iter()
        .zip(picks)
        .filter_map(|((s, opts), &i)| opts.get(i).map(|o| (*s, *o)))
        .collect();
    Some(StackFill {
        units,
        slack: depth as i32 - *total as i32,
    })
}

/// Body lines a story keeps under its headline when a stack is too short for its stories.
const MIN_BODY: i32 = 2;

/// The stories of a filled stack placed in `area`: the slack shared out as extra lines, up
/// to [`MAX_UNDERSET`] each from the foot up, the rest to the last; a shortfall taken from
/// the stories' frames from the foot up (each keeping its headline and [`MIN_BODY`] lines),
/// so that everything stays inside the stack and the overset is the flow's to measure;
/// `None` when even then a story would reach below the stack.
pub fn place_stack(area: GridArea, fill: &StackFill) -> Option<Vec<Placed>> {
    let n = fill.units.len();
    let extra = shares(fill);
    let mut y = area.lines.0;
    let mut out = Vec::with_capacity(n);
    for ((story, o), e) in fill.units.iter().zip(extra) {
        let bottom = (y as i32 + o.depth as i32 + e - 1).max(y as i32) as u32;
        if bottom > area.lines.1 {
            return None;
        }
        let (photo, top) = match o.photo {
            Some(PhotoSpot::Above(ph)) => (
                Some(GridArea {
                    columns: area.columns,
                    lines: (y, (y + ph - 1).min(area.lines.1)),
                }),
                y + ph,
            ),
            Some(PhotoSpot::Inside(pw, ph)) => (
                Some(GridArea {
                    columns: (area.columns.1 + 1 - pw, area.columns.1),
                    lines: (y, (y + ph - 1).min(area.lines.1)),
                }),
                y,
            ),
            None => (None, y),
        };
        out.push(Placed {
            story: *story,
            frame: GridArea {
                columns: area.columns,
                lines: (top, bottom.min(area.lines.1).max(top)),
            },
            photo,
            headline: (y + o.headline.0 - 1, y + o.headline.1 - 1),
            extra: e,
        });
        y = bottom + 1 + GAP;
    }
    Some(out)
}

/// The lines each unit of a stack gets beyond (or, negative, short of) its least depth.
fn shares(fill: &StackFill) -> Vec<i32> {
    let mut extra = vec![0i32; fill.units.len()];
    let mut left = fill.slack;
    if left < 0 {
        for (e, (_, o)) in extra.iter_mut().zip(&fill.units).rev() {
            let room = (o.depth as i32 - o.headline.1 as i32 - MIN_BODY).max(0);
            let take = (-left).min(room);
            *e = -take;
            left += take;
        }
    }
    'share: for _ in 0..MAX_UNDERSET {
        for e in extra.iter_mut().rev() {
            if left <= 0 {
                break 'share;
            }
            *e += 1;
            left -= 1;
        }
    }
    if let (Some(last), true) = (extra.last_mut(), left > 0) {
        *last += left;
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(depth: u32) -> UnitOption {
        UnitOption {
            depth,
            photo: None,
            headline: (1, 3),
        }
    }

    #[test]
    fn a_stack_takes_the_photo_depth_that_fills_it() {
        let a = [plain(20)];
        let b: Vec<UnitOption> = (8..=14)
            .map(|ph| UnitOption {
                depth: 10 + ph,
                photo: Some(PhotoSpot::Above(ph)),
                headline: (ph + 1, ph + 3),
            })
            .collect();
        // 20 + gap 1 + (10 + ph) = 45 → ph = 14.
        let fill = fill_stack(45, &[(0, &a), (1, &b)]).unwrap();
        assert_eq!(fill.slack, 0);
        let area = GridArea {
            columns: (1, 4),
            lines: (1, 45),
        };
        let placed = place_stack(area, &fill).unwrap();
        assert_eq!(placed[0].frame.lines, (1, 20));
        assert_eq!(placed[1].photo.unwrap().lines, (22, 35));
        assert_eq!(placed[1].frame.lines, (36, 45));
    }

    #[test]
    fn slack_is_shared_up_to_three_lines_each() {
        let a = [plain(10)];
        let fill = fill_stack(30, &[(0, &a), (1, &a)]).unwrap();
        assert_eq!(fill.slack, 9);
        let placed = place_stack(
            GridArea {
                columns: (1, 2),
                lines: (1, 30),
            },
            &fill,
        )
        .unwrap();
        assert_eq!(
            placed.iter().map(|p| p.extra).collect::<Vec<_>>(),
            vec![3, 6]
        );
        assert_eq!(placed[1].frame.lines.1, 30);
    }
}
