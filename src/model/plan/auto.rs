//! `lines = "N-auto"`: a story frame that ends where its copy ends. The plan loader gives the
//! frame its deepest possible extent (down to the next frame in its columns, or the grid's
//! foot); `fit::depth` then measures the copy and cuts the frame to the least depth that sets it.

use super::{AdPlacement, GridArea, StoryPlacement, TextBlock};
use crate::error::Diagnostic;

/// A frame whose depth is set by its copy (`lines = "N-auto"`).
#[derive(Debug, Clone, PartialEq)]
pub struct AutoDepth {
    /// The plan's `lines` value, for errors about the frame (message left empty).
    pub at: Box<Diagnostic>,
    /// The deepest line the frame may reach before what stops it.
    pub deepest: u32,
    /// What stops it there: "the grid's foot (line 90)" or another frame.
    pub limit: String,
}

/// The first line of an auto frame's `lines` value (`"20-auto"` → 20), `None` when the
/// value is an ordinary range.
pub(super) fn auto_start(value: &str) -> Option<Result<u32, String>> {
    let start = value.trim().strip_suffix("auto")?.trim_end();
    let start = start.strip_suffix('-')?.trim();
    Some(match start.parse::<u32>() {
        Ok(0) => Err(format!("`{value}` starts at line 0; lines are 1-based")),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "`{value}` is not a range like \"20-auto\" (a first line, then `-auto`)"
        )),
    })
}

/// Gives every auto frame of `stories` its deepest extent: down to the line above the first
/// story frame, text block, ad or masthead band below its first line in its columns, else the
/// grid's foot (`foot`). A frame already covering its first line is left one line deep (the
/// plan's overlap checks name it).
pub(super) fn extend_auto_frames(
    stories: &mut [StoryPlacement],
    (texts, ads, masthead): (&[TextBlock], &[AdPlacement], Option<GridArea>),
    foot: u32,
) {
    let fixed: Vec<(GridArea, String)> = stories
        .iter()
        .map(|s| (s.area, format!("the frame of `{}`", s.file.display())))
        .chain(
            texts
                .iter()
                .map(|t| (t.area, "a [[text]] block".to_string())),
        )
        .chain(
            ads.iter()
                .map(|a| (a.area, format!("the ad `{}`", a.file.display()))),
        )
        .chain(masthead.map(|m| (m, "the masthead".to_string())))
        .collect();
    for (i, s) in stories.iter_mut().enumerate() {
        let Some(auto) = s.auto.as_mut() else {
            continue;
        };
        let top = s.area.lines.0;
        let mut deepest = foot;
        let mut limit = format!("the grid's foot (line {foot})");
        for (j, (area, what)) in fixed.iter().enumerate() {
            let beside = area.columns.0 <= s.area.columns.1 && s.area.columns.0 <= area.columns.1;
            if j == i || !beside || area.lines.1 < top {
                continue;
            }
            let stop = area.lines.0.saturating_sub(1).max(top);
            if stop < deepest {
                deepest = stop;
                limit = format!("{what} ({area})");
            }
        }
        s.area.lines.1 = deepest;
        auto.deepest = deepest;
        auto.limit = limit;
    }
}

#[cfg(test)]
mod tests {
    use super::auto_start;

    #[test]
    fn auto_ranges_are_read() {
        assert_eq!(auto_start("20-auto"), Some(Ok(20)));
        assert_eq!(auto_start(" 3 - auto "), Some(Ok(3)));
        assert_eq!(auto_start("1-24"), None);
        assert!(matches!(auto_start("x-auto"), Some(Err(_))));
        assert!(matches!(auto_start("0-auto"), Some(Err(_))));
    }
}
