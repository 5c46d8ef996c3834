//! `check --fit`: how many characters a story's frames take, measured by setting the copy
//! with filler of its own characters added (a last paragraph of the story's body text
//! repeated) until one more character would be overset.
//!
//! The search keeps "n characters fit, m do not" and closes the gap to one character, so the
//! figure is a boundary of the real flow (n added fit, n + 1 do not) even where widow control
//! or balancing make the flow not quite monotone.

use super::{flow_one, only_story, Copy};
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::model::{Block, Edition, GridArea};
use crate::segment::Words;
use std::path::PathBuf;

/// What one story's frames take.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameFit {
    /// Story id.
    pub id: String,
    /// The story file.
    pub file: PathBuf,
    /// 版次 of its last frame.
    pub page: u32,
    /// Its frames, in thread order (版次, area).
    pub frames: Vec<(u32, GridArea)>,
    /// Characters (non-space) of copy the frames take, headline and byline aside.
    pub fits: usize,
    /// Characters of copy set.
    pub set: usize,
    /// Characters of the copy (set or overset).
    pub chars: usize,
    /// Characters to cut (overset).
    pub cut: usize,
    /// Characters to add to fill the last frame.
    pub add: usize,
}

/// The characters each story of the edition takes, sets, and must lose or gain.
pub fn measure_fit(
    edition: &Edition,
    copy: &Copy,
    (book, words): (&FontBook, &Words),
) -> Result<Vec<FrameFit>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for s in edition.pages.iter().flat_map(|p| &p.stories) {
        if !files.contains(&s.file) {
            files.push(s.file.clone());
        }
    }
    let each = crate::par::par_map(&files, |file| {
        measure_story(edition, copy, file, (book, words))
    });
    each.into_iter().collect()
}

/// The copy of `story` with a last paragraph of `n` characters of its own body text added.
pub fn with_filler(story: &crate::model::Story, n: usize) -> crate::model::Story {
    let mut out = story.clone();
    if n > 0 {
        out.blocks.push(Block::Paragraph(filler(story, n)));
    }
    out
}

/// `n` characters of the story's body text (spaces left out), repeated as needed: text of
/// the story's own mix of characters, punctuation and Latin.
pub fn filler(story: &crate::model::Story, n: usize) -> String {
    let body: Vec<char> = story
        .blocks
        .iter()
        .filter(|b| !matches!(b, Block::CrossHead(_)))
        .flat_map(|b| b.text().chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let body = if body.is_empty() { vec!['字'] } else { body };
    body.iter().cycle().take(n).collect()
}

/// One story's figures: set as it is, then with filler while its frames hold it.
fn measure_story(
    edition: &Edition,
    copy: &Copy,
    file: &PathBuf,
    (book, words): (&FontBook, &Words),
) -> Result<FrameFit> {
    let gone = || Error::Internal(format!("story {} was not loaded", file.display()));
    let probe = only_story(edition, file);
    let as_is = flow_one(&probe, copy, file, (book, words))?.ok_or_else(gone)?;
    let frames: Vec<(u32, GridArea)> = as_is
        .frames
        .iter()
        .map(|(p, a)| (edition.pages.get(*p).map_or(0, |pg| pg.number), *a))
        .collect();
    let page = frames.last().map_or(0, |f| f.0);
    let chars = as_is.chars;
    let mut fit = FrameFit {
        id: as_is.id.clone(),
        file: file.clone(),
        page,
        frames,
        fits: chars,
        set: chars,
        chars,
        cut: 0,
        add: 0,
    };
    if let Some(o) = &as_is.overset {
        fit.set = chars.saturating_sub(o.chars);
        fit.fits = fit.set;
        fit.cut = o.chars;
        return Ok(fit);
    }
    let (story, source) = copy.get(file).ok_or_else(gone)?;
    let holds = |n: usize| -> Result<bool> {
        let mut more = Copy::new();
        more.insert(file.clone(), (with_filler(story, n), source.clone()));
        Ok(flow_one(&probe, &more, file, (book, words))?.is_some_and(|s| s.overset.is_none()))
    };
    // Grow the gap until `hi` characters no longer fit, then halve it.
    let (mut lo, mut hi) = (0usize, 16usize);
    while holds(hi)? {
        lo = hi;
        hi = hi.saturating_mul(2);
        if hi > MAX_FILLER {
            return Err(Error::Internal(format!(
                "the frames of {} take over {MAX_FILLER} characters more",
                file.display()
            )));
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if holds(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    fit.add = lo;
    fit.fits = chars + lo;
    Ok(fit)
}

/// The most characters `check --fit` adds to a story in its search (a broadsheet page of
/// body type is about 9,000).
const MAX_FILLER: usize = 1 << 20;
