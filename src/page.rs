//! The page: every mark to draw, in points from the trim's top-left corner, y down. `compose`
//! makes pages from flowed lines, photos and the plan; the back ends (`pdf`, `preview`) and the
//! reports read only this (and `model` for settings).
//!
//! A new kind of mark (a tint, a placed ad, a vertical line of type) is a new [`Item`] here,
//! made in `compose` (or a stage beside it) and drawn by each back end's match on `Item`.

use crate::image::Photo;
use crate::linebreak::{LineRole, PlacedGlyph};
use crate::units::Rect;
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::model::colour::Cmyk;

pub use crate::model::Direction;
/// How a glyph stands in its line (upright, or in a vertical line turned or 纵中横).
pub use crate::shape::Orient;

/// A run of type on one baseline: the glyphs (each with its face and size), the text they set
/// (for search and copy), what the line is, and its colour. A vertical run (竖排) stands on the
/// vertical line through `x`, from `baseline` down.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// Left edge, in points from the trim's left (vertical: the line's centre).
    pub x: f32,
    /// Baseline, in points from the trim's top (vertical: the top of its first em box).
    pub baseline: f32,
    /// Glyphs with x relative to `x` (vertical: down from `baseline`); cluster ranges index
    /// `text`.
    pub glyphs: Vec<PlacedGlyph>,
    /// The text the glyph ranges index.
    pub text: Arc<str>,
    /// What the line is.
    pub role: LineRole,
    /// Fill colour.
    pub colour: Cmyk,
    /// Horizontal, or vertical (竖排).
    pub direction: Direction,
}

/// One thing on the page.
#[derive(Debug, Clone)]
pub enum Item {
    /// A run of type.
    Text(TextRun),
    /// A photo drawn into `placed`, clipped to `frame`.
    Image {
        /// The photo.
        photo: Arc<Photo>,
        /// The visible area.
        frame: Rect,
        /// Where the whole picture is drawn (may exceed `frame` when cropped).
        placed: Rect,
    },
    /// Vector art (a nameplate, a border tile) drawn into `rect`, turned `quarter_turns` × 90°
    /// clockwise first (its width then runs down the page).
    Art {
        /// The art.
        art: Arc<crate::vector::Art>,
        /// Where it is drawn (after the turn).
        rect: Rect,
        /// Quarter turns clockwise, 0–3.
        quarter_turns: u8,
    },
    /// A filled rectangle (a tint, a box's ground).
    Fill {
        /// The rectangle.
        rect: Rect,
        /// Its colour.
        colour: Cmyk,
    },
    /// A straight rule.
    Rule {
        /// Start (x, y).
        from: (f32, f32),
        /// End (x, y).
        to: (f32, f32),
        /// Stroke width in points.
        width: f32,
        /// Stroke colour.
        colour: Cmyk,
    },
    /// A dotted rule: round dots of `diameter`, evenly spaced from `from` to `to` with a dot at
    /// each end.
    Dots {
        /// Start (x, y).
        from: (f32, f32),
        /// End (x, y).
        to: (f32, f32),
        /// Dot diameter in points.
        diameter: f32,
        /// Colour.
        colour: Cmyk,
    },
    /// A proof guide (grid, frame outline, overset mark): a rectangle, or a line when its width
    /// or height is zero. Never in a print PDF.
    Guide {
        /// The rectangle or line.
        rect: Rect,
        /// Its colour.
        colour: Cmyk,
        /// Stroke width in points.
        width: f32,
    },
}

/// A placed photo's effective resolution, for the reports.
#[derive(Debug, Clone)]
pub struct PhotoResolution {
    /// The photo file.
    pub file: PathBuf,
    /// Pixels per inch as drawn.
    pub ppi: f32,
    /// Where its caption came from: `"plan"`, `"IPTC"`, `"XMP"`, or `"none"`.
    pub caption_source: &'static str,
}

/// An ad as placed, for the reports.
#[derive(Debug, Clone)]
pub struct AdReport {
    /// The ad file.
    pub file: PathBuf,
    /// The advertiser.
    pub advertiser: String,
    /// The class it was booked in.
    pub class: crate::model::AdClass,
    /// The inks it prints (C, M, Y, K), when its content tells.
    pub inks: Option<[bool; 4]>,
    /// Its trim size, points.
    pub size: (f32, f32),
    /// Its slot's size, points.
    pub slot: (f32, f32),
    /// Placed scaled (`scale = true`).
    pub scaled: bool,
    /// Warnings about it.
    pub notes: Vec<String>,
}

/// A composed page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Trimmed width.
    pub width: f32,
    /// Trimmed height.
    pub height: f32,
    /// Bleed on every side.
    pub bleed: f32,
    /// 版次.
    pub number: u32,
    /// What to draw, in painting order.
    pub items: Vec<Item>,
    /// Effective resolution of each placed photo.
    pub photo_ppi: Vec<PhotoResolution>,
    /// The slug line (plan file, 版次, date) set below the bleed, drawn with crop marks only.
    pub slug: Option<TextRun>,
    /// Warnings about the page's marks (reversed type too small or thin to print, ads).
    pub notes: Vec<String>,
    /// The ads placed on it.
    pub ads: Vec<AdReport>,
}
