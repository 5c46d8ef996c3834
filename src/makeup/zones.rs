//! The free part of the page around its booked ads, as rectangles (zones) that stacks of
//! stories fill: ads stand on the grid's foot, so the free part is a skyline, cut into a top
//! band across every column and, beside the ads, bands of the columns that go deeper.

use super::budget::Budget;
use crate::error::{Diagnostic, Result};
use crate::model::GridArea;

/// Empty lines between a frame and the frame or ad below it (the rule runs through it).
pub const GAP: u32 = 1;

/// The zones of the budget's page, top band first, then left to right.
pub fn free_zones(budget: &Budget) -> Result<Vec<GridArea>> {
    let grid = &budget.page.layout.grid;
    for ad in &budget.page.ads {
        if ad.area.lines.1 != grid.lines {
            return Err(Diagnostic::file(
                &budget.path,
                format!(
                    "the ad `{}` ({}) does not stand on the grid's foot (line {})",
                    ad.file.display(),
                    ad.area,
                    grid.lines
                ),
            )
            .with_hint("makeup fills the page above and beside ads booked at the foot; place this page by hand")
            .into());
        }
    }
    // The last free line of each column: above its highest ad, a gap line left.
    let foot: Vec<u32> = (1..=grid.columns)
        .map(|c| {
            budget
                .page
                .ads
                .iter()
                .filter(|a| a.area.columns.0 <= c && c <= a.area.columns.1)
                .map(|a| a.area.lines.0.saturating_sub(1 + GAP))
                .min()
                .unwrap_or(grid.lines)
        })
        .collect();
    let mut levels: Vec<u32> = foot.clone();
    levels.sort_unstable();
    levels.dedup();
    let mut zones = Vec::new();
    let mut top = 1;
    for level in levels {
        // Runs of columns at least this deep.
        let mut c = 1;
        while c <= grid.columns {
            let deep = |c: u32| foot.get(c as usize - 1).is_some_and(|&f| f >= level);
            if !deep(c) {
                c += 1;
                continue;
            }
            let start = c;
            while c <= grid.columns && deep(c) {
                c += 1;
            }
            if level >= top {
                zones.push(GridArea {
                    columns: (start, c - 1),
                    lines: (top, level),
                });
            }
        }
        top = level + 1 + GAP;
    }
    Ok(zones)
}
