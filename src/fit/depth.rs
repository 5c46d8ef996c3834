//! `lines = "N-auto"`: each such frame cut to the least depth at which its story's copy sets
//! with nothing overset (balanced over its columns by flow), found by setting the copy at
//! trial depths (a binary search; depth only adds room, so the first depth that fits is the
//! least).

use super::{flow_one, only_story, Copy};
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::model::{Edition, GridArea};
use crate::segment::Words;
use std::path::PathBuf;

/// An auto frame as settled: for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SettledDepth {
    /// 版次 of its page.
    pub page: u32,
    /// The story file.
    pub file: PathBuf,
    /// The frame as set (its last line the depth chosen).
    pub area: GridArea,
    /// The deepest line it could have reached.
    pub deepest: u32,
}

/// Settles every auto frame of the edition (in page and plan order) and returns them.
pub fn settle_depths(
    edition: &mut Edition,
    copy: &Copy,
    (book, words): (&FontBook, &Words),
) -> Result<Vec<SettledDepth>> {
    let mut settled = Vec::new();
    for p in 0..edition.pages.len() {
        let count = edition.pages.get(p).map_or(0, |page| page.stories.len());
        for k in 0..count {
            let Some(s) = edition.pages.get(p).and_then(|page| page.stories.get(k)) else {
                continue;
            };
            if s.auto.is_none() {
                continue;
            }
            let (last, _) = settle_frame(edition, (p, k), copy, (book, words))?;
            let number = edition.pages.get(p).map_or(0, |page| page.number);
            if let Some(s) = edition
                .pages
                .get_mut(p)
                .and_then(|page| page.stories.get_mut(k))
            {
                s.area.lines.1 = last;
                settled.push(SettledDepth {
                    page: number,
                    file: s.file.clone(),
                    area: s.area,
                    deepest: s.auto.as_ref().map_or(last, |a| a.deepest),
                });
            }
        }
    }
    Ok(settled)
}

/// The last line of auto frame `k` of page `p`, the least that sets its story's copy, and
/// the story as set in the frame at its deepest.
pub fn settle_frame(
    edition: &Edition,
    (p, k): (usize, usize),
    copy: &Copy,
    (book, words): (&FontBook, &Words),
) -> Result<(u32, crate::flow::FlowedStory)> {
    let missing = || Error::Internal(format!("auto frame {k} of page {p} is gone"));
    let page = edition.pages.get(p).ok_or_else(missing)?;
    let s = page.stories.get(k).ok_or_else(missing)?;
    let auto = s.auto.as_ref().ok_or_else(missing)?;
    let later = edition.pages.iter().enumerate().any(|(q, other)| {
        other
            .stories
            .iter()
            .enumerate()
            .any(|(j, o)| o.file == s.file && (q > p || (q == p && j > k)))
    });
    if later {
        let mut d = (*auto.at).clone();
        d.message = format!(
            "`lines = \"…-auto\"` on a frame of `{}` that its copy continues from",
            s.file.display()
        );
        return Err(d
            .with_hint("only a story's last frame can end where its copy ends")
            .into());
    }
    let mut probe = only_story(edition, &s.file);
    let index = probe
        .pages
        .get(p)
        .and_then(|pg| {
            pg.stories
                .iter()
                .position(|o| o.file == s.file && o.auto.is_some())
        })
        .ok_or_else(missing)?;
    let top = s.area.lines.0;
    let grid = &page.layout.grid;
    let line_of = |baseline: f32| ((baseline - grid.top.0) / grid.pitch.0).floor() as u32 + 1;
    // Sets the copy with the frame ending at `last`: what is overset (None when it all
    // fits) and the last grid line the story's lines reach.
    let mut trial = |last: u32| -> Result<crate::flow::FlowedStory> {
        if let Some(f) = probe
            .pages
            .get_mut(p)
            .and_then(|pg| pg.stories.get_mut(index))
        {
            f.area.lines.1 = last;
        }
        flow_one(&probe, copy, &s.file, (book, words))?.ok_or_else(missing)
    };
    let deepest = trial(auto.deepest)?;
    if let Some(over) = &deepest.overset {
        let mut d = (*auto.at).clone();
        d.message = format!(
            "story `{}` does not end in its frame (columns {}-{}, lines {top}-auto): at its \
             deepest it reaches {} with {} ({}) left over",
            s.file.display(),
            s.area.columns.0,
            s.area.columns.1,
            auto.limit,
            crate::units::count(over.chars, "character"),
            crate::units::count(over.lines, "line")
        );
        return Err(d
            .with_hint(
                "cut the copy, widen the frame, or give it a fixed range and move what is below",
            )
            .into());
    }
    let used = deepest.lines.iter().map(|l| line_of(l.baseline)).max();
    // A frame too shallow for its headline is simply not deep enough.
    let mut fits = |last: u32| trial(last).is_ok_and(|f| f.overset.is_none());
    let last = least_depth(&mut fits, (top, auto.deepest), used.unwrap_or(top));
    Ok((last, deepest))
}

/// Lines the search steps up from the depth the flow balanced the copy to before halving.
const STEPS: u32 = 4;

/// The least last line in `top..=deepest` that `fits` (which holds at `deepest`). The flow
/// at `deepest` balanced the copy down to `used`: the least depth, or a few lines more to
/// avoid a widow; so the search steps up from there, and halves the range only when that
/// does not settle it (depth only adds room: the first line that fits is the least).
fn least_depth(fits: &mut dyn FnMut(u32) -> bool, (top, deepest): (u32, u32), used: u32) -> u32 {
    let start = used.clamp(top, deepest);
    let (mut lo, mut hi) = if fits(start) {
        (top, start)
    } else {
        (start + 1, deepest)
    };
    if hi == start {
        for _ in 0..STEPS {
            if hi <= lo {
                return hi;
            }
            if !fits(hi - 1) {
                return hi;
            }
            hi -= 1;
        }
    }
    // fits(hi) holds; lo - 1 is the last line known not to.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::least_depth;

    #[test]
    fn the_least_depth_is_found_from_the_balanced_one() {
        for least in [5, 20, 21, 60] {
            let mut calls = 0;
            let mut fits = |d: u32| {
                calls += 1;
                d >= least
            };
            assert_eq!(least_depth(&mut fits, (5, 90), least + 2), least);
            assert!(calls <= 4, "{calls}");
            assert_eq!(least_depth(&mut |d| d >= least, (5, 90), 5), least);
            assert_eq!(least_depth(&mut |d| d >= least, (5, 90), 90), least);
        }
    }
}
