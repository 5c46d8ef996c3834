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
            let last = settle_one(edition, (p, k), copy, (book, words))?;
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

/// The last line of auto frame `k` of page `p`: the least that sets its story's copy.
fn settle_one(
    edition: &Edition,
    (p, k): (usize, usize),
    copy: &Copy,
    (book, words): (&FontBook, &Words),
) -> Result<u32> {
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
    // Sets the copy with the frame ending at `last`: Ok(None) when it all fits.
    let mut trial = |last: u32| -> Result<Option<crate::flow::Overset>> {
        if let Some(f) = probe
            .pages
            .get_mut(p)
            .and_then(|pg| pg.stories.get_mut(index))
        {
            f.area.lines.1 = last;
        }
        let set = flow_one(&probe, copy, &s.file, (book, words))?.ok_or_else(missing)?;
        Ok(set.overset)
    };
    if let Some(over) = trial(auto.deepest)? {
        let mut d = (*auto.at).clone();
        d.message = format!(
            "story `{}` does not end in its frame (columns {}-{}, lines {top}-auto): at its \
             deepest it reaches {} with {} characters ({} lines) left over",
            s.file.display(),
            s.area.columns.0,
            s.area.columns.1,
            auto.limit,
            over.chars,
            over.lines
        );
        return Err(d
            .with_hint(
                "cut the copy, widen the frame, or give it a fixed range and move what is below",
            )
            .into());
    }
    // The least last line that fits: fits(hi) holds; lo - 1 is the last line known not to.
    let (mut lo, mut hi) = (top, auto.deepest);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        // A frame too shallow for its headline is simply not deep enough.
        if matches!(trial(mid), Ok(None)) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(hi)
}
