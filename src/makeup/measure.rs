//! How deep a budget's story sets in a frame of a given width (with its photo inside the
//! frame or none), measured by setting it: `fit::settle_depths` on a one-story trial page,
//! the same flow a build runs. Frames set alike at any height on the grid, so one trial
//! serves every place a candidate puts the story.

use super::budget::Budget;
use crate::error::Result;
use crate::fit::depth::settle_frame;
use crate::fit::Copy;
use crate::flow::LineRole;
use crate::fonts::FontBook;
use crate::model::{AutoDepth, Edition, Fit, GridArea, PagePlan, PhotoPlacement, StoryPlacement};
use crate::segment::Words;

/// A trial setting: which story, in how wide a frame, with which headline style, and its
/// photo inside the frame's top right (columns, lines) or not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Trial {
    /// Index into the budget's stories.
    pub story: usize,
    /// Basic columns the frame spans.
    pub width: u32,
    /// Headline style.
    pub style: String,
    /// The photo inside the frame: its columns and lines, from the frame's top right.
    pub inside: Option<(u32, u32)>,
}

/// What a trial measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depth {
    /// The least depth (lines) that sets the copy with nothing overset.
    pub lines: u32,
    /// Lines from the frame's top that the headline block takes.
    pub headline: u32,
}

/// What measuring needs: the budget, a clean page of its layout, the copy, fonts and words.
pub struct Measurer<'a> {
    /// The budget.
    pub budget: &'a Budget,
    /// The copy of its stories.
    pub copy: &'a Copy,
    /// Fonts.
    pub book: &'a FontBook,
    /// Word segmentations.
    pub words: &'a Words,
}

impl Measurer<'_> {
    /// Measures every trial (on both cores); `None` where the copy does not fit a frame of
    /// that width even as deep as the grid.
    pub fn measure_all(&self, trials: &[Trial]) -> Vec<Result<Option<Depth>>> {
        crate::par::par_map(trials, |t| self.measure(t))
    }

    /// One trial on a page of the budget's layout that holds nothing else.
    fn measure(&self, t: &Trial) -> Result<Option<Depth>> {
        let Some(s) = self.budget.stories.get(t.story) else {
            return Ok(None);
        };
        let grid = &self.budget.page.layout.grid;
        let mut page = trial_page(&self.budget.page);
        let area = GridArea {
            columns: (1, t.width),
            lines: (1, grid.lines),
        };
        page.stories.push(StoryPlacement {
            file: s.file.clone(),
            area,
            text_columns: t.width,
            headline_style: t.style.clone(),
            frame_box: None,
            tint: None,
            jump: true,
            auto: Some(AutoDepth {
                at: s.at.clone(),
                deepest: grid.lines,
                limit: format!("the grid's foot (line {})", grid.lines),
            }),
            direction: Default::default(),
            headline_direction: Default::default(),
        });
        if let (Some((pw, ph)), Some(p)) = (t.inside, &s.photo) {
            page.photos.push(PhotoPlacement {
                file: p.file.clone(),
                area: GridArea {
                    columns: (t.width + 1 - pw, t.width),
                    lines: (1, ph),
                },
                caption: p.caption.clone(),
                credit: p.credit.clone(),
                fit: Fit::Fill,
                graphic: false,
            });
        }
        let edition = Edition {
            paper: String::new(),
            date: page.date.clone(),
            pages: vec![page],
            name: "makeup".into(),
            file: self.budget.path.clone(),
            elsewhere: Vec::new(),
        };
        let (lines, set) = match settle_frame(&edition, (0, 0), self.copy, (self.book, self.words))
        {
            Ok(d) => d,
            Err(crate::Error::Input(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        // The headline block is the same at any depth of the frame.
        let pitch = grid.pitch.0;
        let headline = set
            .lines
            .iter()
            .filter(|l| l.role == LineRole::Headline)
            .map(|l| ((l.baseline - grid.top.0) / pitch).floor() as u32 + 1)
            .max()
            .unwrap_or(0);
        Ok(Some(Depth { lines, headline }))
    }
}

/// The budget's page with nothing on it: no ads, stories, photos or text blocks.
fn trial_page(page: &PagePlan) -> PagePlan {
    let mut p = page.clone();
    p.stories.clear();
    p.photos.clear();
    p.ads.clear();
    p.texts.clear();
    p
}
