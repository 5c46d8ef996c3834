//! paiban (排版): a typesetting pipeline for Chinese newspaper pages.
//!
//! ```text
//! files ─load─▶ Edition ─shape─▶ Para ─break─▶ Lines ─flow─▶ frames ─compose─▶ Page ─pdf─▶ PDF
//!                                                     furniture (tints, boxes, text, masthead) ─┘
//! ```
//! Each stage is a module with one entry function named after its verb.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod bundled;
pub mod cache;
pub mod compose;
pub mod coverage;
pub mod error;
pub mod fit;
pub mod flow;
pub mod fonts;
pub mod fs;
pub mod furniture;
mod glyph_names;
pub mod guides;
pub mod image;
pub mod installed;
pub mod linebreak;
pub mod locate;
pub mod makeup;
pub mod model;
pub mod page;
pub mod par;
pub mod pdf;
pub mod pipeline;
pub mod preview;
pub mod report;
pub mod segment;
pub mod shape;
pub mod units;
pub mod vector;
pub mod watch;

pub use error::{Diagnostic, Error, Result};

/// For unit tests: a fresh, empty folder named after the test (and this process).
#[cfg(test)]
pub(crate) fn test_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("paiban-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
