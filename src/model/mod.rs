//! The input model: stories, page plans, editions and layouts, loaded with source positions.

pub mod chars;
pub mod date;
pub mod layout;
pub mod lunar;
pub mod output;
pub mod plan;
pub mod story;

pub use layout::{Grid, Kinsoku, Layout, Punctuation, Style, TextOptions};
pub use output::PdfX;
pub use plan::{
    load_edition, load_plan, Edition, Fit, GridArea, PagePlan, PhotoPlacement, StoryPlacement,
};
pub use story::{load_story, parse_story, Block, Story};
