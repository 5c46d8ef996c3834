//! Ads booked into a page plan (`[[ad]]`, input-format.md Part 2): a finished file placed in
//! its slot exactly as delivered, with the inks it was booked with.

use super::{Ctx, GridArea};
use crate::error::Result;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The inks an ad was booked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AdClass {
    /// 彩: full colour, any process ink.
    #[serde(rename = "彩", alias = "colour")]
    Colour,
    /// 红: black and red (magenta and yellow), no cyan.
    #[serde(rename = "红", alias = "red")]
    Red,
    /// 黑: black alone.
    #[serde(rename = "黑", alias = "black")]
    Black,
}

impl AdClass {
    /// The process inks (C, M, Y, K) the class allows.
    pub fn allowed(self) -> [bool; 4] {
        match self {
            AdClass::Colour => [true; 4],
            AdClass::Red => [false, true, true, true],
            AdClass::Black => [false, false, false, true],
        }
    }

    /// Its name as booked: 彩, 红, 黑.
    pub fn name(self) -> &'static str {
        match self {
            AdClass::Colour => "彩",
            AdClass::Red => "红",
            AdClass::Black => "黑",
        }
    }
}

/// An ad in its slot.
#[derive(Debug, Clone)]
pub struct AdPlacement {
    /// The ad file (PDF, or SVG).
    pub file: PathBuf,
    /// The page of a PDF to place (1-based).
    pub page: usize,
    /// The slot.
    pub area: GridArea,
    /// The inks it was booked with.
    pub class: AdClass,
    /// The advertiser, for the report and the slug.
    pub advertiser: String,
    /// Scale it into the slot when its size differs (else that is an error).
    pub scale: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAd {
    pub(super) file: Spanned<String>,
    #[serde(default = "first")]
    page: usize,
    pub(super) columns: Spanned<String>,
    lines: Spanned<String>,
    class: AdClass,
    #[serde(default)]
    advertiser: String,
    #[serde(default)]
    scale: bool,
}

fn first() -> usize {
    1
}

/// An `[[ad]]` checked: its file there, its slot on the grid, a page number from 1.
pub(super) fn ad(ctx: &Ctx, dir: &Path, raw: &RawAd) -> Result<AdPlacement> {
    let file = ctx.existing(dir, &raw.file)?;
    if raw.page == 0 {
        return Err(ctx
            .err(
                raw.file.span().start,
                "`page = 0`: an ad's pages are numbered from 1".into(),
            )
            .into());
    }
    super::super::chars::check_value(ctx.path, ctx.src, "advertiser", &raw.advertiser)?;
    Ok(AdPlacement {
        file,
        page: raw.page,
        area: ctx.area(&raw.columns, &raw.lines)?,
        class: raw.class,
        advertiser: raw.advertiser.clone(),
        scale: raw.scale,
    })
}
