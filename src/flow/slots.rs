//! Frame geometry: a frame's text columns (basic or 破栏) and the line slots in them, on the
//! page's line grid, cut around photos (图文互斥).

use crate::model::{Direction, Grid, GridArea, StoryPlacement};
use crate::units::Rect;

/// A line slot on the grid: where one body line can go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// Page index in the edition.
    pub page: usize,
    /// Frame index in the story's thread.
    pub frame: usize,
    /// Text column index, unique within the story's thread.
    pub column: usize,
    /// Grid line (1-based).
    pub line: u32,
    /// Left edge.
    pub x: f32,
    /// Measure.
    pub width: f32,
    /// Top of the line box.
    pub top: f32,
    /// A vertical line (竖排): the x of its column's centre line; `x` is then the y where the
    /// line starts and `width` its depth.
    pub vertical: Option<f32>,
}

impl Slot {
    /// Where a line set `shift` into the slot starts: (x, baseline, direction) of its
    /// `SetLine` for type of `em` on a grid of `pitch`.
    pub fn origin(&self, shift: f32, pitch: f32, em: f32) -> (f32, f32, Direction) {
        match self.vertical {
            Some(centre) => (centre, self.x + shift, Direction::Vertical),
            None => (
                self.x + shift,
                super::baseline(pitch, em, self.top),
                Direction::Horizontal,
            ),
        }
    }
}

/// The distance between vertical lines (竖排), in body characters: the grid's line pitch
/// rounded to whole characters, at least two (a character and a character's space). Vertical
/// lines then stand on the character cells of the horizontal text beside them: a line's em
/// box is always one of a basic column's character positions.
pub fn vertical_pitch(grid: &Grid) -> u32 {
    ((grid.pitch.0 / grid.body_size.0).round() as u32).max(MIN_VERTICAL_PITCH)
}

/// The least vertical line pitch, in characters.
const MIN_VERTICAL_PITCH: u32 = 2;

/// The vertical lines of a frame below `top` (its headline block above it), right to left:
/// the first line's em box in the frame's rightmost character cell (inside a box's or tint's
/// inset), or left of `right` (a 竖题 beside them), one every [`vertical_pitch`] characters; each line as deep as the whole characters
/// from `top` to the frame's foot. All of a frame's lines are one text column.
pub fn vertical_slots(
    grid: &Grid,
    f: &StoryPlacement,
    (top, right): (f32, Option<f32>),
    (page, frame): (usize, usize),
    column: &mut usize,
) -> Vec<Slot> {
    let em = grid.body_size.0;
    let rect = area_rect(grid, &f.area);
    let inset = if f.framed() { em * f.inset() } else { 0.0 };
    let right = right.unwrap_or(rect.right() - inset);
    let cells = ((right - rect.x - inset) / em + WHOLE_CHAR_SLACK)
        .floor()
        .max(0.0) as u32;
    let depth = ((rect.bottom() - top) / em + WHOLE_CHAR_SLACK)
        .floor()
        .max(0.0)
        * em;
    let step = vertical_pitch(grid);
    let slots = (0..cells)
        .step_by(step as usize)
        .enumerate()
        .map(|(i, cell)| Slot {
            page,
            frame,
            column: *column,
            line: i as u32 + 1,
            x: top,
            width: depth,
            top,
            vertical: Some(right - (cell as f32 + 0.5) * em),
        })
        .collect();
    *column += 1;
    slots
}

/// A stretch of a line across the page: from `left` to `right`, in points from the trim's left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Span {
    /// Its left edge.
    pub(super) left: f32,
    /// Its right edge.
    pub(super) right: f32,
}

impl Span {
    /// Its width.
    pub(super) fn width(&self) -> f32 {
        self.right - self.left
    }
}

/// The narrowest line slot beside a photo, in body characters: a narrower one is skipped.
const MIN_SLOT_CHARS: f32 = 2.0;

/// Slack when counting the whole characters a width holds (rounding of gutters and photos).
const WHOLE_CHAR_SLACK: f32 = 0.01;

/// The rectangle of a grid area on the page.
pub fn area_rect(grid: &Grid, a: &GridArea) -> Rect {
    let top = grid.line_top(a.lines.0);
    Rect {
        x: grid.column_x(a.columns.0),
        y: top,
        w: grid.span_width(a.columns.0, a.columns.1),
        h: grid.line_top(a.lines.1) + grid.pitch.0 - top,
    }
}

/// Line slots of a frame's text columns from grid line `first_line` down, skipping or
/// shortening lines a photo covers. `column` numbers the text columns from its value on.
pub fn frame_slots(
    grid: &Grid,
    f: &StoryPlacement,
    first_line: u32,
    obstacles: &[Rect],
    (page, frame): (usize, usize),
    column: &mut usize,
) -> Vec<Slot> {
    let em = grid.body_size.0;
    let rect = area_rect(grid, &f.area);
    let mut slots = Vec::new();
    for (cx, cw) in text_columns(grid, f) {
        for l in first_line..=f.area.lines.1 {
            let top = grid.line_top(l);
            let line = Rect {
                x: cx,
                y: top,
                w: cw,
                h: grid.pitch.0,
            };
            let mut free = Span {
                left: cx,
                right: cx + cw,
            };
            let mut blocked = false;
            for o in obstacles
                .iter()
                .filter(|o| o.intersects(&line) && o.intersects(&rect))
            {
                // Keep the wider side of the photo, one gutter away from it.
                let left = Span {
                    left: free.left,
                    right: (o.x - grid.gutter_width()).min(free.right),
                };
                let right = Span {
                    left: (o.right() + grid.gutter_width()).max(free.left),
                    right: free.right,
                };
                let side = if left.width() >= right.width() {
                    left
                } else {
                    right
                };
                if side.width() < MIN_SLOT_CHARS * em {
                    blocked = true;
                    break;
                }
                free = side;
            }
            if !blocked {
                // Whole characters only, so pure CJK lines fill exactly (cjk-rules.md §4).
                let width = (free.width() / em + WHOLE_CHAR_SLACK).floor() * em;
                slots.push(Slot {
                    page,
                    frame,
                    column: *column,
                    line: l,
                    x: free.left,
                    width,
                    top,
                    vertical: None,
                });
            }
        }
        *column += 1;
    }
    slots
}

/// Text columns of a frame as (x, width): the basic columns, or 破栏 into `text_columns`
/// columns of whole characters with the grid's gutters, extra characters to the last ones
/// (五破三: 69 characters → 22/22/23).
pub fn text_columns(grid: &Grid, f: &StoryPlacement) -> Vec<(f32, f32)> {
    let mut cols = columns(grid, f);
    // A box or a tint runs along the frame's left and right edges (compose::frame_box): the
    // text keeps its inset (one character unless the box style says otherwise) from it on both
    // sides, so its lines stay whole characters on the grid.
    if f.framed() {
        let em = grid.body_size.0 * f.inset();
        if let Some(c) = cols.first_mut() {
            c.0 += em;
            c.1 -= em;
        }
        if let Some(c) = cols.last_mut() {
            c.1 -= em;
        }
    }
    cols
}

fn columns(grid: &Grid, f: &StoryPlacement) -> Vec<(f32, f32)> {
    let (a, b) = f.area.columns;
    let span = b - a + 1;
    let em = grid.body_size.0;
    if f.text_columns == span {
        return (a..=b)
            .map(|c| (grid.column_x(c), grid.column_width()))
            .collect();
    }
    let total = (grid.span_width(a, b) / em).round() as i64;
    let gutter = grid.gutter.round().max(0.0) as i64;
    let k = i64::from(f.text_columns.max(1));
    let avail = (total - (k - 1) * gutter).max(k);
    let base = avail / k;
    let extra = avail % k;
    let mut x = grid.column_x(a);
    (0..k)
        .map(|i| {
            let chars = base + i64::from(i >= k - extra);
            let col = (x, chars as f32 * em);
            x += (chars + gutter) as f32 * em;
            col
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Pt;

    fn grid() -> Grid {
        Grid {
            columns: 8,
            chars: 13,
            gutter: 1.0,
            body_size: Pt(9.0),
            pitch: Pt(15.0),
            lines: 90,
            left: Pt(50.0),
            top: Pt(80.0),
        }
    }

    fn placement(cols: (u32, u32), lines: (u32, u32), text_columns: u32) -> StoryPlacement {
        StoryPlacement {
            file: "s.md".into(),
            area: GridArea {
                columns: cols,
                lines,
            },
            text_columns,
            headline_style: "headline".into(),
            frame_box: None,
            tint: None,
            jump: true,
            auto: None,

            direction: Default::default(),
            headline_direction: Default::default(),
        }
    }

    #[test]
    fn five_broken_into_three_is_22_22_23() {
        let cols = text_columns(&grid(), &placement((1, 5), (1, 10), 3));
        let chars: Vec<f32> = cols.iter().map(|c| c.1 / 9.0).collect();
        assert_eq!(chars, vec![22.0, 22.0, 23.0]);
        // Gutters of one character between them, spanning exactly the five columns.
        let last = cols[2];
        assert!((last.0 + last.1 - (50.0 + 69.0 * 9.0)).abs() < 0.01);
    }

    #[test]
    fn photo_in_the_middle_of_a_column_skips_its_lines() {
        let g = grid();
        let f = placement((1, 2), (1, 10), 2);
        let photo = area_rect(
            &g,
            &GridArea {
                columns: (2, 2),
                lines: (4, 6),
            },
        );
        let mut col = 0;
        let slots = frame_slots(&g, &f, 1, &[photo], (0, 0), &mut col);
        let second: Vec<u32> = slots
            .iter()
            .filter(|s| s.column == 1)
            .map(|s| s.line)
            .collect();
        assert_eq!(second, vec![1, 2, 3, 7, 8, 9, 10]);
        assert_eq!(slots.iter().filter(|s| s.column == 0).count(), 10);
        assert!(slots.iter().all(|s| !s_overlaps(s, &photo, &g)));
    }

    #[test]
    fn wide_frame_beside_a_photo_gets_shorter_lines() {
        let g = grid();
        let f = placement((1, 3), (1, 10), 1); // 通栏 of 41 characters
        let photo = area_rect(
            &g,
            &GridArea {
                columns: (3, 3),
                lines: (1, 5),
            },
        );
        let mut col = 0;
        let slots = frame_slots(&g, &f, 1, &[photo], (0, 0), &mut col);
        assert_eq!(slots.len(), 10);
        assert_eq!(
            slots[0].width,
            27.0 * 9.0,
            "beside the photo: 27 characters"
        );
        assert_eq!(slots[9].width, 41.0 * 9.0, "under it: the full measure");
        assert!(slots.iter().all(|s| !s_overlaps(s, &photo, &g)));
    }

    fn s_overlaps(s: &Slot, r: &Rect, g: &Grid) -> bool {
        Rect {
            x: s.x,
            y: s.top,
            w: s.width,
            h: g.pitch.0,
        }
        .intersects(r)
    }
}
