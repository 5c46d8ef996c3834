//! The ways a story can stand in a stack of a given width (a "unit"): its frame, and its
//! photo either above the frame across the stack (narrow stacks) or inside the frame's top
//! right (wide stacks), in every depth the photo may take within its crop limits.

use super::budget::{Budget, BudgetStory};
use super::measure::{Depth, Trial};
use crate::model::Layout;

/// How far a photo's frame may differ in shape from the picture: width-to-height ratios from
/// the picture's divided by this to the picture's times this (`fit = "fill"` crops the rest).
pub const MAX_CROP: f32 = 1.35;
/// Stacks at least this many columns wide may take a story's photo inside its frame.
pub const INSIDE_FROM: u32 = 4;
/// Stacks at most this many columns wide may take a story's photo above its frame, across
/// the stack.
pub const ABOVE_UPTO: u32 = 4;
/// Lines between the depths tried for a photo inside its story's frame.
pub const INSIDE_STEP: usize = 2;
/// The fewest lines a photo's frame takes (picture and caption).
pub const MIN_PHOTO_LINES: u32 = 8;
/// Points a caption and credit take under the picture, as the search reckons it (the build
/// checks the real depth).
pub const CAPTION_ALLOWANCE: f32 = 30.0;

/// Where a unit's photo stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoSpot {
    /// Above the frame, across the stack, this many lines deep.
    Above(u32),
    /// Inside the frame's top right: columns and lines.
    Inside(u32, u32),
}

/// One way of setting a story in a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitOption {
    /// Lines the unit takes at least (photo above included).
    pub depth: u32,
    /// The photo, if the story has one.
    pub photo: Option<PhotoSpot>,
    /// Lines from the unit's top to the headline block's first and last line.
    pub headline: (u32, u32),
}

/// The headline style a story of this priority takes: 1 the lead's, 2–3 `headline`, later
/// ones `small` (each only when the layout has it).
pub fn style_for(layout: &Layout, priority: u32) -> String {
    let wanted = match priority {
        1 => "lead",
        2 | 3 => "headline",
        _ => "small",
    };
    if layout.styles.contains_key(wanted) {
        wanted.into()
    } else {
        "headline".into()
    }
}

/// The photo's columns inside a frame `width` columns wide.
pub fn inside_columns(width: u32) -> u32 {
    (width / 2).clamp(2, 4)
}

/// The depths (lines) a photo's frame `columns` wide may take.
pub fn photo_depths(budget: &Budget, story: &BudgetStory, columns: u32) -> Vec<u32> {
    let Some(p) = &story.photo else {
        return Vec::new();
    };
    let g = &budget.page.layout.grid;
    let width =
        columns as f32 * g.column_width() + (columns.saturating_sub(1)) as f32 * g.gutter_width();
    let aspect = p.pixels.0.max(1) as f32 / p.pixels.1.max(1) as f32;
    let pitch = g.pitch.0;
    let lines_for = |h: f32| ((h + CAPTION_ALLOWANCE) / pitch).ceil() as u32;
    let least = lines_for(width / (aspect * MAX_CROP)).max(MIN_PHOTO_LINES);
    let most = lines_for(width * MAX_CROP / aspect).min(g.lines / 2);
    (least..=most).collect()
}

/// The trials measuring a story needs in a stack `width` columns wide.
pub fn trials_for(budget: &Budget, story: usize, width: u32) -> Vec<Trial> {
    let Some(s) = budget.stories.get(story) else {
        return Vec::new();
    };
    let style = style_for(&budget.page.layout, s.priority);
    let mut out = vec![Trial {
        story,
        width,
        style: style.clone(),
        inside: None,
    }];
    if s.photo.is_some() && width >= INSIDE_FROM {
        let pw = inside_columns(width);
        // Every other depth: each is a trial setting, and a story may be up to three lines
        // underset, so a step of two loses no fill.
        for ph in photo_depths(budget, s, pw).into_iter().step_by(INSIDE_STEP) {
            out.push(Trial {
                story,
                width,
                style: style.clone(),
                inside: Some((pw, ph)),
            });
        }
    }
    out
}

/// The options of a story in a stack `width` columns wide, from its measured trials.
pub fn options(
    budget: &Budget,
    story: usize,
    width: u32,
    measured: &dyn Fn(&Trial) -> Option<Depth>,
) -> Vec<UnitOption> {
    let Some(s) = budget.stories.get(story) else {
        return Vec::new();
    };
    let trials = trials_for(budget, story, width);
    let plain = trials.first().and_then(measured);
    if s.photo.is_none() {
        return plain
            .map(|d| UnitOption {
                depth: d.lines,
                photo: None,
                headline: (1, d.headline.max(1)),
            })
            .into_iter()
            .collect();
    }
    // The lead's headline heads the page: its photo stands inside its frame, never above.
    let above_ok = width <= ABOVE_UPTO && s.priority > 1;
    let above = plain.filter(|_| above_ok).into_iter().flat_map(|d| {
        photo_depths(budget, s, width)
            .into_iter()
            .map(move |ph| UnitOption {
                depth: ph + d.lines,
                photo: Some(PhotoSpot::Above(ph)),
                headline: (ph + 1, ph + d.headline.max(1)),
            })
    });
    let inside = trials.iter().skip(1).filter_map(|t| {
        let d = measured(t)?;
        let (pw, ph) = t.inside?;
        Some(UnitOption {
            depth: d.lines.max(ph + 1),
            photo: Some(PhotoSpot::Inside(pw, ph)),
            headline: (1, d.headline.max(1)),
        })
    });
    inside.chain(above).collect()
}
