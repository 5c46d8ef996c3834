//! The input model: stories, page plans, editions and layouts, loaded with source positions.

pub mod chars;
pub mod colour;
pub mod date;
pub mod emphasis;
pub mod layout;
pub mod lunar;
pub mod output;
pub mod plan;
pub mod story;
pub mod wire;

pub use colour::{Cmyk, Colours};
pub use layout::{
    BoxKind, BoxStyle, Grid, Kinsoku, Layout, Masthead, Punctuation, Style, TextOptions,
};
pub use output::PdfX;
pub use plan::{
    load_edition, load_plan, AdClass, AdPlacement, AutoDepth, Direction, Edition, Fit, GridArea,
    PagePlan, PhotoPlacement, StoryPlacement,
};
pub use story::{load_story, parse_story, Block, Story};
