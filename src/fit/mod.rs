//! Copy-fitting measured by setting the copy: frames as deep as their copy (`lines =
//! "N-auto"`, [`depth`]) and the characters a frame takes (`check --fit`, [`capacity`]).
//!
//! Both flow stories through trial frames with the real line breaker and flow; neither
//! estimates from characters per line. Does not compose pages or write PDFs.

pub mod capacity;
pub mod depth;

pub use capacity::{measure_fit, FrameFit};
pub use depth::{settle_depths, SettledDepth};

use crate::error::Result;
use crate::flow::{flow, FlowedStory};
use crate::fonts::FontBook;
use crate::model::{Edition, Story};
use crate::segment::Words;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The loaded copy of an edition's stories, by file: the story and its source text.
pub type Copy = BTreeMap<PathBuf, (Story, String)>;

/// The edition with only `file`'s frames kept on its pages (photos, ads and text blocks
/// stay, as they shape the frames): what flowing that one story needs.
fn only_story(edition: &Edition, file: &Path) -> Edition {
    let mut probe = edition.clone();
    for page in &mut probe.pages {
        page.stories.retain(|s| s.file == file);
    }
    probe
}

/// Flows `probe` (an edition from [`only_story`]) and returns `file`'s story as set.
fn flow_one(
    probe: &Edition,
    copy: &Copy,
    file: &Path,
    (book, words): (&FontBook, &Words),
) -> Result<Option<FlowedStory>> {
    Ok(flow(probe, copy, (book, words))?
        .into_iter()
        .find(|s| s.file == file))
}
