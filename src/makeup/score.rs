//! How good a page made up is: the terms, each counted on a page plan's frames and, for a
//! page set for real, on what the flow set (overset, underset, where headlines stand).
//!
//! | term | counts | weight |
//! |---|---|---|
//! | fill | % of grid cells in a frame, photo, ad or a rule line between two of them | [`FILL`] per % short of 100, [`FILL_LIMIT`] more under 97 % |
//! | overset | lines of copy left over | [`OVERSET`] each |
//! | underset | empty lines at frames' feet | [`UNDERSET`] each, [`UNDERSET_OVER`] each beyond 3 in a story |
//! | 撞题 | pairs of headlines sharing a grid line | [`CLASH`] each (in effect forbidden) |
//! | hierarchy | a story's headline above a more important one's; the lead not at the top or not in the largest style | [`HIERARCHY`] each, [`LEAD`] |
//! | photo adjacency | photos neither inside nor touching their story's frame | [`DETACHED`] each |
//! | modularity | frames other than the lead's wider than [`WIDE`] columns | [`MODULE`] each |
//!
//! The score is 100 less the penalties (higher is better).

use crate::model::GridArea;

/// Penalty per % of the grid not filled.
pub const FILL: f32 = 1.0;
/// Extra penalty when the fill is under [`MIN_FILL`].
pub const FILL_LIMIT: f32 = 20.0;
/// The least fill a plan must reach, %.
pub const MIN_FILL: f32 = 97.0;
/// Penalty per overset line.
pub const OVERSET: f32 = 10.0;
/// Penalty per underset line.
pub const UNDERSET: f32 = 0.5;
/// Penalty per underset line beyond 3 in one story.
pub const UNDERSET_OVER: f32 = 5.0;
/// Penalty per pair of headlines side by side (撞题).
pub const CLASH: f32 = 1000.0;
/// Penalty per story headed above a more important one.
pub const HIERARCHY: f32 = 2.0;
/// Penalty when the lead is not at the top of the page in the largest headline style.
pub const LEAD: f32 = 30.0;
/// Penalty per photo apart from its story.
pub const DETACHED: f32 = 30.0;
/// Penalty per frame (not the lead's) wider than [`WIDE`] columns.
pub const MODULE: f32 = 2.0;
/// Frames wider than this many columns are not modular (the lead's aside).
pub const WIDE: u32 = 6;

/// The terms of a page's score.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    /// % of the grid filled.
    pub fill: f32,
    /// Overset lines.
    pub overset: u32,
    /// Underset lines, all stories.
    pub underset: u32,
    /// Underset lines beyond 3, summed over stories.
    pub underset_over: u32,
    /// Pairs of headlines side by side.
    pub clashes: u32,
    /// Headlines above more important ones.
    pub inversions: u32,
    /// The lead misplaced (0 or 1).
    pub lead: u32,
    /// Photos apart from their story.
    pub detached: u32,
    /// Wide frames.
    pub wide: u32,
}

impl Score {
    /// 100 less the penalties.
    pub fn total(&self) -> f32 {
        let short = (100.0 - self.fill).max(0.0);
        let mut p = short * FILL;
        if self.fill < MIN_FILL {
            p += FILL_LIMIT;
        }
        p += self.overset as f32 * OVERSET
            + self.underset as f32 * UNDERSET
            + self.underset_over as f32 * UNDERSET_OVER
            + self.clashes as f32 * CLASH
            + self.inversions as f32 * HIERARCHY
            + self.lead as f32 * LEAD
            + self.detached as f32 * DETACHED
            + self.wide as f32 * MODULE;
        100.0 - p
    }

    /// The terms in a line, for the report and the plan's header.
    pub fn describe(&self) -> String {
        format!(
            "score {:.1}: fill {:.1}%, overset {} lines, underset {} lines ({} beyond 3), \
             撞题 {}, hierarchy {}, lead {}, photos apart {}, wide frames {}",
            self.total(),
            self.fill,
            self.overset,
            self.underset,
            self.underset_over,
            self.clashes,
            self.inversions,
            if self.lead == 0 { "ok" } else { "misplaced" },
            self.detached,
            self.wide
        )
    }
}

/// A story as the score sees it: its priority, frames, headline lines, photo, style rank.
#[derive(Debug, Clone)]
pub struct Seen {
    /// 1 = the lead.
    pub priority: u32,
    /// Its frame.
    pub frame: GridArea,
    /// Lines its headline block takes (first, last).
    pub headline: (u32, u32),
    /// Its photo's frame.
    pub photo: Option<GridArea>,
}

/// % of the grid the stories' frames and photos and the ads fill (rule lines between them
/// counted).
pub fn page_fill(stories: &[Seen], ads: &[GridArea], grid: (u32, u32)) -> f32 {
    let areas: Vec<GridArea> = stories
        .iter()
        .flat_map(|s| std::iter::once(s.frame).chain(s.photo))
        .chain(ads.iter().copied())
        .collect();
    fill(&areas, grid)
}

/// The layout terms of a page (`fill`: its fill, %): 撞题, hierarchy, photos, modularity.
pub fn layout_terms(stories: &[Seen], fill: f32, lead_largest: bool) -> Score {
    let mut score = Score {
        fill,
        ..Score::default()
    };
    for (i, a) in stories.iter().enumerate() {
        for b in stories.iter().skip(i + 1) {
            if a.headline.0 <= b.headline.1 && b.headline.0 <= a.headline.1 {
                score.clashes += 1;
            }
            let inverted = (a.priority < b.priority && b.headline.0 < a.headline.0)
                || (b.priority < a.priority && a.headline.0 < b.headline.0);
            score.inversions += u32::from(inverted);
        }
        if let Some(p) = a.photo {
            score.detached += u32::from(!touches(&p, &a.frame));
        }
        let width = a.frame.columns.1 + 1 - a.frame.columns.0;
        score.wide += u32::from(a.priority > 1 && width > WIDE);
    }
    // The lead's headline heads the page: its frame (not a photo above it) at the top.
    let lead_top = stories
        .iter()
        .filter(|s| s.priority == 1)
        .all(|s| s.frame.lines.0 == 1);
    score.lead = u32::from(!(lead_top && lead_largest));
    score
}

/// Whether a photo is inside its story's frame or shares an edge with it.
fn touches(p: &GridArea, f: &GridArea) -> bool {
    let cols = p.columns.0 <= f.columns.1 + 1 && f.columns.0 <= p.columns.1 + 1;
    let rows = p.lines.0 <= f.lines.1 + 1 && f.lines.0 <= p.lines.1 + 1;
    cols && rows
}

/// % of the grid's cells in one of `areas`, or in a rule line between two (a run of empty
/// cells no longer than the gap, with areas above and below it in the column).
fn fill(areas: &[GridArea], (columns, lines): (u32, u32)) -> f32 {
    let total = (columns * lines).max(1);
    let mut covered = 0;
    for c in 1..=columns {
        let mut col: Vec<bool> = (1..=lines)
            .map(|l| {
                areas.iter().any(|a| {
                    a.columns.0 <= c && c <= a.columns.1 && a.lines.0 <= l && l <= a.lines.1
                })
            })
            .collect();
        let snapshot = col.clone();
        for (i, cell) in col.iter_mut().enumerate() {
            if *cell {
                continue;
            }
            let above = i.checked_sub(1).and_then(|k| snapshot.get(k)) == Some(&true);
            let below = snapshot.get(i + 1) == Some(&true);
            *cell = above && below;
        }
        covered += col.iter().filter(|&&x| x).count() as u32;
    }
    covered as f32 * 100.0 / total as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(columns: (u32, u32), lines: (u32, u32)) -> GridArea {
        GridArea { columns, lines }
    }

    #[test]
    fn a_rule_line_between_frames_counts_as_filled() {
        let a = [area((1, 2), (1, 4)), area((1, 2), (6, 10))];
        assert!((fill(&a, (2, 10)) - 100.0).abs() < 1e-3);
        let b = [area((1, 2), (1, 4))];
        assert!((fill(&b, (2, 10)) - 40.0).abs() < 1e-3);
    }

    #[test]
    fn headlines_on_the_same_lines_clash() {
        let s = |priority, cols, headline| Seen {
            priority,
            frame: area(cols, (1, 30)),
            headline,
            photo: None,
        };
        let t = layout_terms(&[s(1, (1, 4), (1, 4)), s(2, (5, 8), (3, 6))], 100.0, true);
        assert_eq!(t.clashes, 1);
        let t = layout_terms(&[s(1, (1, 4), (1, 4)), s(2, (5, 8), (5, 8))], 100.0, true);
        assert_eq!(t.clashes, 0);
    }
}
