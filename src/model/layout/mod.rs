//! Layout files (`layouts/<name>.toml`): page, grid, fonts by role, type styles, punctuation.

use crate::error::{read_text, toml_diagnostic, Diagnostic, FileProblem, Result};
use crate::model::colour::{Cmyk, Colours};
use crate::units::{parse_length, parse_size, Pt};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod base;
mod furniture;

/// Layouts built into the program: the project's own `layouts/`, embedded at compile time.
const BUILTIN: &[(&str, &str)] = &[(
    "broadsheet",
    include_str!("../../../layouts/broadsheet.toml"),
)];

/// The folder that font paths of built-in layouts (`../fonts/…`) are relative to: the folder
/// `PAIBAN_LAYOUTS` names, else a `layouts` folder beside the bundled fonts (`bundled`: the
/// fonts the program carries, or the checkout's `fonts/`).
fn builtin_font_dir() -> PathBuf {
    std::env::var_os("PAIBAN_LAYOUTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::bundled::folder().with_file_name("layouts"))
}

/// The built-in layouts' names, and the folder their font paths are relative to.
pub fn builtin_layouts() -> (Vec<&'static str>, PathBuf) {
    (
        BUILTIN.iter().map(|(n, _)| *n).collect(),
        builtin_font_dir(),
    )
}

/// A `[fonts]` entry as a path: `bundled:NAME` is a font that ships with paiban, any other
/// entry a file relative to the layout's folder.
fn font_path(font_dir: &Path, entry: &str) -> std::result::Result<PathBuf, String> {
    if crate::bundled::is_bundled(Path::new(entry)) {
        return Ok(PathBuf::from(entry)); // a base layout's bundled font, already resolved
    }
    let Some(name) = entry.strip_prefix(crate::bundled::ROOT) else {
        return Ok(font_dir.join(entry));
    };
    crate::bundled::path(name).ok_or_else(|| {
        format!(
            "no font `{name}` ships with paiban; the bundled fonts are {}",
            crate::bundled::names()
        )
    })
}

/// A resolved layout: every length in points.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Layout name (file stem).
    pub name: String,
    /// Trimmed page width.
    pub page_width: Pt,
    /// Trimmed page height.
    pub page_height: Pt,
    /// Bleed beyond the trim on every side.
    pub bleed: Pt,
    /// The grid: columns, measure, line pitch.
    pub grid: Grid,
    /// Font files by role (`serif`, `serif-bold`, `sans-bold`, `kai`).
    pub fonts: BTreeMap<String, PathBuf>,
    /// Fonts consulted, in order, for characters no role's font has (`[fonts] fallback`).
    pub fallback: Vec<PathBuf>,
    /// Type styles by name (`body`, `byline`, `headline`, `caption`, …).
    pub styles: BTreeMap<String, Style>,
    /// Punctuation and line-breaking options.
    pub text: TextOptions,
    /// 纵中横 (`[text] tcy`): runs of up to this many digits are set upright across one em in
    /// vertical text (0: none; longer numbers are turned like Latin words).
    pub tcy: u32,
    /// Print output: PDF/X level and photo resolution limits.
    pub output: OutputOptions,
    /// Colours by name (`[colours]`, `white` and `black` built in).
    pub colours: Colours,
    /// Box styles by name (`[boxes]`; `thin` is built in).
    pub boxes: BTreeMap<String, BoxStyle>,
    /// The masthead (报头) for pages that ask for it.
    pub masthead: Option<Masthead>,
    /// Where the layout came from, for diagnostics.
    pub source: PathBuf,
}

/// The page's line grid (背景格): basic columns of whole body characters.
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    /// Number of basic columns (基本栏).
    pub columns: u32,
    /// Body characters per basic column.
    pub chars: u32,
    /// Gutter between columns, in body characters.
    pub gutter: f32,
    /// Body type size (the em of the grid).
    pub body_size: Pt,
    /// Baseline-to-baseline distance of body lines.
    pub pitch: Pt,
    /// Number of body lines in a column.
    pub lines: u32,
    /// Left edge of the grid on the trimmed page.
    pub left: Pt,
    /// Top of the first line box on the trimmed page.
    pub top: Pt,
}

impl Grid {
    /// Width of one basic column.
    pub fn column_width(&self) -> f32 {
        self.chars as f32 * self.body_size.0
    }
    /// Width of a gutter.
    pub fn gutter_width(&self) -> f32 {
        self.gutter * self.body_size.0
    }
    /// Left edge of basic column `c` (1-based).
    pub fn column_x(&self, c: u32) -> f32 {
        self.left.0 + (c.saturating_sub(1)) as f32 * (self.column_width() + self.gutter_width())
    }
    /// Width spanned by basic columns `a..=b`.
    pub fn span_width(&self, a: u32, b: u32) -> f32 {
        let n = (b + 1).saturating_sub(a) as f32;
        n * self.column_width() + (n - 1.0).max(0.0) * self.gutter_width()
    }
    /// Top of line box `l` (1-based).
    pub fn line_top(&self, l: u32) -> f32 {
        self.top.0 + (l.saturating_sub(1)) as f32 * self.pitch.0
    }
    /// Total width of the grid.
    pub fn width(&self) -> f32 {
        self.span_width(1, self.columns)
    }
}

/// A type style.
#[derive(Debug, Clone)]
pub struct Style {
    /// Font role (a key of `Layout::fonts`).
    pub font: String,
    /// Type size.
    pub size: Pt,
    /// Line height as a multiple of the size, for display lines (headlines, captions).
    pub leading: f32,
    /// The smallest size a headline may be set at to break by sense (input-format.md Part 2).
    pub min_size: Option<Pt>,
    /// The narrowest horizontal scale (长体) a headline may be set at, 0.5–1.
    pub min_scale: Option<f32>,
    /// The colour its type is set in.
    pub colour: Cmyk,
}

/// A box style (`[boxes]`): how a story's or a text's frame is boxed.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStyle {
    /// The kind of line.
    pub kind: BoxKind,
    /// Its colour.
    pub colour: Cmyk,
    /// How far the text keeps inside the box, in body characters.
    pub inset: f32,
}

/// The line a box is drawn with.
#[derive(Debug, Clone, PartialEq)]
pub enum BoxKind {
    /// One rule of this weight (points).
    Thin(f32),
    /// 文武线: a heavy rule outside (`second`) and a thin one inside (`rule`).
    Double {
        /// The thin (inner) rule's weight.
        rule: f32,
        /// The heavy (outer) rule's weight.
        second: f32,
    },
    /// A rule of round dots of this diameter.
    Dotted(f32),
    /// 花边: a tile of vector art repeated along the edges.
    Pattern(PathBuf),
}

/// The masthead (报头, `[masthead]`): the paper's nameplate art in the top band of the grid,
/// with the info line under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Masthead {
    /// The nameplate: an SVG or PDF file, placed as vector.
    pub art: PathBuf,
    /// Basic columns it spans.
    pub columns: (u32, u32),
    /// Body lines at the top of the grid it occupies.
    pub lines: u32,
    /// The info line's parts, with `{issue}`, `{date}`, `{lunar}`, `{pages}` to fill in.
    pub info: Vec<String>,
    /// A colour every mark of the art is printed in (套红), or the art's own colours.
    pub colour: Option<Cmyk>,
    /// The style of the info line.
    pub style: String,
}

/// Line-composition options (cjk-rules.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextOptions {
    /// Punctuation width scheme.
    pub punctuation: Punctuation,
    /// Line-start/line-end prohibition level.
    pub kinsoku: Kinsoku,
    /// Map ASCII `, ; : ( ) ! ?` next to CJK to their full-width forms.
    pub fullwidth_ascii: bool,
    /// Let `、，。` hang into the margin at line end.
    pub hanging: bool,
}

/// Print output settings (`[output]`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputOptions {
    /// PDF/X level: "4" (default) or "1a".
    #[serde(default = "default_pdfx")]
    pub pdfx: super::output::PdfX,
    /// Photos below this effective resolution are reported.
    #[serde(default = "default_min_ppi")]
    pub min_ppi: f32,
    /// Photos above this effective resolution are downsampled.
    #[serde(default = "default_max_ppi")]
    pub max_ppi: f32,
    /// Total area coverage limit in percent: the most ink any spot of the page may carry.
    #[serde(default = "default_tac")]
    pub tac: f32,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            pdfx: default_pdfx(),
            min_ppi: default_min_ppi(),
            max_ppi: default_max_ppi(),
            tac: default_tac(),
        }
    }
}

fn default_tac() -> f32 {
    240.0
}

fn default_pdfx() -> super::output::PdfX {
    super::output::PdfX::X4
}
fn default_min_ppi() -> f32 {
    150.0
}
fn default_max_ppi() -> f32 {
    300.0
}

/// Punctuation width schemes (cjk-rules.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Punctuation {
    /// 全角: full width, compressed at line start/end and between adjacent marks.
    #[serde(rename = "全角", alias = "full")]
    Full,
    /// 开明: 。？！ full, other marks half.
    #[serde(rename = "开明", alias = "kaiming")]
    Kaiming,
    /// 半角: all marks half width.
    #[serde(rename = "半角", alias = "half")]
    Half,
}

/// Kinsoku levels (clreq).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kinsoku {
    /// No prohibitions.
    None,
    /// clreq basic.
    Basic,
    /// basic plus `——` `……` never at line start.
    Strict,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    /// Read before the rest (see [`with_base`]); kept here so the key is known.
    #[allow(dead_code)]
    base: Option<String>,
    #[serde(default)]
    colours: BTreeMap<String, Vec<f64>>,
    #[serde(default)]
    boxes: BTreeMap<String, RawBox>,
    masthead: Option<RawMasthead>,
    page: RawPage,
    grid: RawGrid,
    fonts: BTreeMap<String, RawFont>,
    styles: BTreeMap<String, RawStyle>,
    #[serde(default)]
    text: RawText,
    #[serde(default)]
    output: OutputOptions,
}

/// A `[fonts]` entry: a role's font file, an installed font by family name, or (for
/// `fallback`) a list of files.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawFont {
    File(String),
    Files(Vec<String>),
    Family { family: String },
}

/// The `[fonts]` key that lists fallback fonts rather than naming a role.
const FALLBACK: &str = "fallback";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    width: String,
    height: String,
    bleed: String,
    top: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrid {
    columns: u32,
    chars: u32,
    gutter: f32,
    body_size: String,
    pitch: String,
    lines: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    font: String,
    size: String,
    #[serde(default = "default_leading")]
    leading: f32,
    min_size: Option<String>,
    min_scale: Option<f32>,
    colour: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBox {
    rule: Option<String>,
    second: Option<String>,
    dash: Option<String>,
    pattern: Option<String>,
    colour: Option<String>,
    inset: Option<f32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMasthead {
    art: String,
    columns: String,
    lines: u32,
    #[serde(default)]
    info: Vec<String>,
    colour: Option<String>,
    style: Option<String>,
}

fn default_leading() -> f32 {
    1.3
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    #[serde(default = "default_punct")]
    punctuation: Punctuation,
    #[serde(default = "default_kinsoku")]
    kinsoku: Kinsoku,
    #[serde(default = "yes")]
    fullwidth_ascii: bool,
    #[serde(default)]
    hanging: bool,
    #[serde(default = "default_tcy")]
    tcy: u32,
}

/// Digits set upright side by side in vertical text unless the layout says otherwise (clreq
/// §3.3: two-digit numbers are the usual 纵中横).
pub const DEFAULT_TCY: u32 = 2;

/// The most digits 纵中横 may put across one em (more would be unreadably narrow).
pub const MAX_TCY: u32 = 4;

fn default_tcy() -> u32 {
    DEFAULT_TCY
}

impl Default for RawText {
    fn default() -> Self {
        RawText {
            punctuation: Punctuation::Full,
            kinsoku: Kinsoku::Basic,
            fullwidth_ascii: true,
            hanging: false,
            tcy: default_tcy(),
        }
    }
}

fn default_punct() -> Punctuation {
    Punctuation::Full
}
fn default_kinsoku() -> Kinsoku {
    Kinsoku::Basic
}
fn yes() -> bool {
    true
}

/// Styles every layout must define.
pub const REQUIRED_STYLES: &[&str] = &[
    "body",
    "byline",
    "kicker",
    "headline",
    "subhead",
    "crosshead",
    "caption",
    "credit",
    "jump",
    "header",
];

/// Finds a layout by name or path, as input-format.md says: `layouts/<name>.toml` in the
/// plan's folder and each parent, then the built-in layouts; a value ending in `.toml` is a
/// path relative to the plan. `plan` and `plan_src`/`offset` locate the `layout` key.
pub fn resolve_layout(name: &str, plan: &Path, plan_src: &str, offset: usize) -> Result<Layout> {
    let plan_dir = plan.parent().unwrap_or(Path::new("."));
    if name.ends_with(".toml") {
        let p = plan_dir.join(name);
        if let Err(problem) = crate::error::regular_file(&p) {
            let hint = match problem {
                FileProblem::NotFound | FileProblem::BrokenLink => {
                    "the path is relative to the page plan's folder"
                }
                _ => problem.hint(),
            };
            let what = problem.describe(&format!("layout file `{}`", p.display()));
            return Err(Diagnostic::at(plan, plan_src, offset, what)
                .with_hint(hint)
                .into());
        }
        return load_layout(&p);
    }
    let mut dir = Some(plan_dir);
    while let Some(d) = dir {
        let p = d.join("layouts").join(format!("{name}.toml"));
        match crate::error::regular_file(&p) {
            Ok(_) => return load_layout(&p),
            // Something else under a layout's name is an error, not a reason to look on.
            Err(FileProblem::NotFound) => {}
            Err(problem) => return Err(problem.diagnostic(&p, &format!("layout `{name}`")).into()),
        }
        dir = d.parent();
    }
    if let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name) {
        let dir = builtin_font_dir();
        return parse_layout(
            Path::new(&format!("<built-in>/layouts/{name}.toml")),
            text,
            &dir,
        );
    }
    let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    Err(
        Diagnostic::at(plan, plan_src, offset, format!("unknown layout `{name}`"))
            .with_hint(format!(
                "put layouts/{name}.toml beside the plan, or use a built-in layout: {}",
                known.join(", ")
            ))
            .into(),
    )
}

/// Loads a layout file; its font paths are relative to the file's folder.
pub fn load_layout(path: &Path) -> Result<Layout> {
    let text = read_text(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    parse_layout(path, &text, dir)
}

/// Parses a layout file's text into a [`Layout`], in steps: its base under it, page, grid,
/// output, fonts, colours, styles, boxes, masthead.
fn parse_layout(path: &Path, text: &str, font_dir: &Path) -> Result<Layout> {
    parse_layout_at(path, text, font_dir, 0)
}

/// [`parse_layout`] of a layout `depth` bases down from the one asked for (a cycle of bases
/// ends at the limit of their depth).
fn parse_layout_at(path: &Path, text: &str, font_dir: &Path, depth: usize) -> Result<Layout> {
    let raw: RawLayout = match base::merged_table(path, text, font_dir, depth)? {
        None => toml::from_str(text).map_err(|e| toml_diagnostic(path, text, 0, &e))?,
        Some(table) => table.try_into().map_err(|e: toml::de::Error| {
            Diagnostic::at(
                path,
                text,
                key_offset(text, "base"),
                e.message().to_string(),
            )
            .with_hint("the layout with its base laid under it is not a valid layout")
        })?,
    };
    let src = LayoutSrc { path, text };
    let page = src.page_size(&raw.page)?;
    let body_type = src.body_type(&raw.grid)?;
    check_output(&raw.output).map_err(|(key, msg)| src.bad(key, msg))?;
    let grid = src.grid(&raw, page, body_type)?;
    let (fonts, fallback) = src.fonts(&raw.fonts, font_dir)?;
    let colours = src.colours(&raw)?;
    let styles = src.styles(&raw, &colours)?;
    let boxes = src.boxes(&raw.boxes, (&colours, body_type.size.0), font_dir)?;
    let masthead = match &raw.masthead {
        Some(m) => Some(src.masthead(m, (&grid, &colours, &styles), font_dir)?),
        None => None,
    };
    Ok(Layout {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        page_width: page.width,
        page_height: page.height,
        bleed: src.len("bleed", &raw.page.bleed)?,
        grid,
        fonts,
        fallback,
        styles,
        text: TextOptions {
            punctuation: raw.text.punctuation,
            kinsoku: raw.text.kinsoku,
            fullwidth_ascii: raw.text.fullwidth_ascii,
            hanging: raw.text.hanging,
        },
        tcy: src.tcy(raw.text.tcy)?,
        output: raw.output,
        colours,
        boxes,
        masthead,
        source: path.to_path_buf(),
    })
}

/// The most gutter a grid may have, in body characters.
const MAX_GUTTER_CHARS: f32 = 20.0;

/// The most basic columns a grid may have.
const MAX_COLUMNS: u32 = 40;

/// The range of a style's leading, as a multiple of its size (below 1 the lines overprint).
const LEADING_RANGE: std::ops::RangeInclusive<f32> = 1.0..=5.0;

/// The range of a style's narrowest horizontal scale (长体 of at most 50%).
const MIN_SCALE_RANGE: std::ops::RangeInclusive<f32> = 0.5..=1.0;

/// The trimmed page size of `[page]`.
#[derive(Debug, Clone, Copy)]
struct PageSize {
    width: Pt,
    height: Pt,
}

/// The body type of `[grid]`: the em of the grid and the line pitch.
#[derive(Debug, Clone, Copy)]
struct BodyType {
    size: Pt,
    pitch: Pt,
}

/// A layout file being parsed: its path and text, for locating errors.
struct LayoutSrc<'a> {
    path: &'a Path,
    text: &'a str,
}

impl LayoutSrc<'_> {
    /// An error at the line that sets `key`.
    /// The `[fonts]` table: each role's font file (a path, `bundled:NAME` or an installed
    /// family) and the fallback fonts, which must exist.
    fn fonts(
        &self,
        raw: &BTreeMap<String, RawFont>,
        font_dir: &Path,
    ) -> Result<(BTreeMap<String, PathBuf>, Vec<PathBuf>)> {
        let mut fonts = BTreeMap::new();
        let mut fallback: Vec<PathBuf> = Vec::new();
        for (role, entry) in raw {
            match (role.as_str(), entry) {
                (FALLBACK, RawFont::File(f)) => {
                    fallback.push(font_path(font_dir, f).map_err(|m| self.bad(role, m))?)
                }
                (FALLBACK, RawFont::Files(list)) => {
                    for f in list {
                        fallback.push(font_path(font_dir, f).map_err(|m| self.bad(role, m))?);
                    }
                }
                (_, RawFont::File(f)) => {
                    fonts.insert(
                        role.clone(),
                        font_path(font_dir, f).map_err(|m| self.bad(role, m))?,
                    );
                }
                (_, RawFont::Family { family }) => {
                    let path = crate::installed::find(family).map_err(|m| {
                        crate::error::Error::from(
                            Diagnostic::at(self.path, self.text, key_offset(self.text, role), m)
                                .with_hint(
                                "install the font, name another family, or give the font's file \
                                 path instead",
                            ),
                        )
                    })?;
                    if role == FALLBACK {
                        fallback.push(path);
                    } else {
                        fonts.insert(role.clone(), path);
                    }
                }
                (_, RawFont::Files(_)) => {
                    return Err(self.bad(
                        role,
                        format!(
                            "font role `{role}` takes one font file; only `fallback` takes a list"
                        ),
                    ))
                }
            }
        }
        for f in fallback.iter().filter(|f| !crate::bundled::is_bundled(f)) {
            if let Err(problem) = crate::error::regular_file(f) {
                return Err(crate::error::Error::from(
                    Diagnostic::at(
                        self.path,
                        self.text,
                        key_offset(self.text, FALLBACK),
                        problem.describe(&format!("fallback font `{}`", f.display())),
                    )
                    .with_hint("paths are relative to the layout's folder"),
                ));
            }
        }
        Ok((fonts, fallback))
    }

    fn bad(&self, key: &str, msg: String) -> crate::error::Error {
        Diagnostic::at(self.path, self.text, key_offset(self.text, key), msg).into()
    }

    /// The layout's `[colours]`, each within its `tac`.
    fn colours(&self, raw: &RawLayout) -> Result<Colours> {
        let colours = Colours::parse(&raw.colours).map_err(|(name, msg)| self.bad(&name, msg))?;
        for name in raw.colours.keys() {
            let c = colours.get(name).unwrap_or(Cmyk::WHITE);
            if c.coverage() > raw.output.tac + 0.01 {
                return Err(self.bad(
                    name,
                    format!(
                        "colour `{name}` has {:.0}% of ink, over the layout's tac of {:.0}%",
                        c.coverage(),
                        raw.output.tac
                    ),
                ));
            }
        }
        Ok(colours)
    }

    /// `[text] tcy`: at most [`MAX_TCY`] digits across one em.
    fn tcy(&self, tcy: u32) -> Result<u32> {
        if tcy > MAX_TCY {
            return Err(self.bad(
                "tcy",
                format!("tcy = {tcy}: 纵中横 sets at most {MAX_TCY} digits across one em"),
            ));
        }
        Ok(tcy)
    }

    /// The length `v` of `key`.
    fn len(&self, key: &str, v: &str) -> Result<Pt> {
        parse_length(v).map_err(|e| self.bad(key, e))
    }

    /// A length `v` of `key` that sets type or the page: above zero (a zero pitch sets every
    /// line on one baseline; a zero size sets nothing visible).
    fn positive(&self, key: &str, v: &str, p: Pt) -> Result<Pt> {
        if p.0 > 0.0 {
            Ok(p)
        } else {
            Err(self.bad(key, format!("`{key} = \"{v}\"` must be above zero")))
        }
    }

    /// `[page]`: the trimmed width and height.
    fn page_size(&self, page: &RawPage) -> Result<PageSize> {
        let width = self.positive("width", &page.width, self.len("width", &page.width)?)?;
        let height = self.positive("height", &page.height, self.len("height", &page.height)?)?;
        Ok(PageSize { width, height })
    }

    /// `[grid]`'s type: the body size and the line pitch, checked against each other, and the
    /// gutter's range.
    fn body_type(&self, g: &RawGrid) -> Result<BodyType> {
        let size = parse_size(&g.body_size).map_err(|e| self.bad("body_size", e))?;
        let body_size = self.positive("body_size", &g.body_size, size)?;
        if body_size.0 < MIN_TYPE_SIZE {
            return Err(self.bad(
                "body_size",
                format!(
                    "body_size {} is below {MIN_TYPE_SIZE} pt, too small to print on newsprint",
                    g.body_size
                ),
            ));
        }
        let pitch = self.positive("pitch", &g.pitch, self.len("pitch", &g.pitch)?)?;
        if pitch.0 < body_size.0 {
            return Err(self.bad(
                "pitch",
                format!(
                    "the line pitch {} is less than the body size {}: body lines would overlap",
                    g.pitch, g.body_size
                ),
            ));
        }
        if !(g.gutter.is_finite() && (0.0..=MAX_GUTTER_CHARS).contains(&g.gutter)) {
            return Err(self.bad(
                "gutter",
                format!("gutter {} is outside 0–20 characters", g.gutter),
            ));
        }
        Ok(BodyType {
            size: body_size,
            pitch,
        })
    }

    /// `[grid]`: columns, characters and lines, centred across the page, checked to fit it.
    fn grid(&self, raw: &RawLayout, page: PageSize, body: BodyType) -> Result<Grid> {
        let g = &raw.grid;
        if g.columns == 0 || g.chars == 0 || g.lines == 0 || g.columns > MAX_COLUMNS {
            return Err(self.bad(
                "[grid]",
                "grid needs 1–40 columns, at least 1 character and 1 line".into(),
            ));
        }
        let mut grid = Grid {
            columns: g.columns,
            chars: g.chars,
            gutter: g.gutter,
            body_size: body.size,
            pitch: body.pitch,
            lines: g.lines,
            left: Pt(0.0),
            top: self.len("top", &raw.page.top)?,
        };
        grid.left = Pt((page.width.0 - grid.width()) / 2.0);
        if grid.left.0 < 0.0 || grid.top.0 + grid.lines as f32 * grid.pitch.0 > page.height.0 {
            return Err(self.bad("[grid]", "the grid does not fit on the page".into()));
        }
        Ok(grid)
    }

    /// An error at `key` in style `name`: searched from the style's own definition, not the
    /// file's start.
    fn in_style(&self, name: &str, key: &str, msg: String) -> crate::error::Error {
        let text = self.text;
        let start = [
            format!("\n{name} ="),
            format!("\n{name}="),
            format!("[styles.{name}]"),
        ]
        .iter()
        .filter_map(|p| text.find(p.as_str()))
        .min()
        .map_or(0, |s| s + 1);
        let off = text
            .get(start..)
            .and_then(|t| t.find(key))
            .map_or(start, |k| start + k);
        Diagnostic::at(self.path, text, off, msg).into()
    }

    /// `[styles]`: every style checked, and every style of [`REQUIRED_STYLES`] there.
    fn styles(&self, raw: &RawLayout, colours: &Colours) -> Result<BTreeMap<String, Style>> {
        let mut styles = BTreeMap::new();
        for (name, s) in &raw.styles {
            if s.font == FALLBACK || !raw.fonts.contains_key(&s.font) {
                return Err(self.in_style(
                    name,
                    &s.font,
                    format!(
                        "style `{name}` uses font role `{}`, which [fonts] does not define",
                        s.font
                    ),
                ));
            }
            let mut style = self.style(name, s)?;
            if let Some(c) = &s.colour {
                style.colour = colours.resolve(c).map_err(|msg| {
                    self.in_style(name, "colour", format!("style `{name}`: {msg}"))
                })?;
            }
            styles.insert(name.clone(), style);
        }
        if let Some(missing) = REQUIRED_STYLES.iter().find(|s| !styles.contains_key(**s)) {
            return Err(self.bad("[styles", format!("layout defines no style `{missing}`")));
        }
        Ok(styles)
    }

    /// Style `name`: its size, leading, smallest size and narrowest scale checked.
    fn style(&self, name: &str, s: &RawStyle) -> Result<Style> {
        let size = parse_size(&s.size).map_err(|e| self.in_style(name, "size", e))?;
        if size.0 < MIN_TYPE_SIZE {
            return Err(self.in_style(
                name,
                "size",
                format!(
                    "style `{name}`: size {} is below {MIN_TYPE_SIZE} pt, too small to print \
                     on newsprint",
                    s.size
                ),
            ));
        }
        if !(s.leading.is_finite() && LEADING_RANGE.contains(&s.leading)) {
            return Err(self.in_style(
                name,
                "leading",
                format!(
                    "style `{name}`: leading {} is outside 1–5 (a multiple of the size; below 1 \
                     the lines overprint)",
                    s.leading
                ),
            ));
        }
        let min_size = match &s.min_size {
            Some(m) => Some(self.min_size(name, m, (size, &s.size))?),
            None => None,
        };
        if let Some(k) = s.min_scale.filter(|k| !MIN_SCALE_RANGE.contains(k)) {
            return Err(self.in_style(
                name,
                "min_scale",
                format!("style `{name}`: min_scale {k} is outside 0.5–1 (a 长体 of at most 50%)"),
            ));
        }
        Ok(Style {
            font: s.font.clone(),
            size,
            leading: s.leading,
            min_size,
            min_scale: s.min_scale,
            colour: Cmyk::BLACK,
        })
    }

    /// Style `name`'s `min_size = m`: above zero and at most its size (`size`, written
    /// `size_text`).
    fn min_size(&self, name: &str, m: &str, (size, size_text): (Pt, &str)) -> Result<Pt> {
        let v = parse_size(m).map_err(|e| self.in_style(name, "min_size", e))?;
        if v.0 > size.0 || v.0 <= 0.0 {
            return Err(self.in_style(
                name,
                "min_size",
                format!(
                    "style `{name}`: min_size {m} must be above 0 and at most its size {size_text}"
                ),
            ));
        }
        Ok(v)
    }
}

/// The smallest type size a layout may ask for (points): below it newsprint shows no letter
/// (八号, the smallest 号数 size, is 5 pt).
pub const MIN_TYPE_SIZE: f32 = 4.0;

/// Where `key` is set in a TOML text: the first line that assigns it (`key =`), else its first
/// mention, else the start.
pub(crate) fn key_offset(text: &str, key: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return at + (line.len() - t.len());
            }
        }
        at += line.len();
    }
    text.find(key).unwrap_or(0)
}

/// Checks `[output]`: resolutions above zero, the maximum at least the minimum. Returns the
/// key at fault and why.
fn check_output(o: &OutputOptions) -> std::result::Result<(), (&'static str, String)> {
    if !(o.tac.is_finite() && (100.0..=400.0).contains(&o.tac)) {
        return Err((
            "tac",
            format!("tac = {} is outside 100–400 (percent of total ink)", o.tac),
        ));
    }
    for (key, v) in [("min_ppi", o.min_ppi), ("max_ppi", o.max_ppi)] {
        if !(v.is_finite() && v > 0.0 && v <= 10_000.0) {
            return Err((
                key,
                format!("{key} = {v} must be above 0 (and at most 10000)"),
            ));
        }
    }
    if o.max_ppi < o.min_ppi {
        return Err((
            "max_ppi",
            format!(
                "max_ppi = {} is below min_ppi = {}: every photo would be downsampled below \
                 the resolution it is reported for",
                o.max_ppi, o.min_ppi
            ),
        ));
    }
    Ok(())
}

impl Layout {
    /// The style of this name, or the body style.
    pub fn style(&self, name: &str) -> &Style {
        self.styles
            .get(name)
            .or_else(|| self.styles.get("body"))
            .unwrap_or_else(|| unreachable_style())
    }
}

fn unreachable_style() -> &'static Style {
    // parse_layout guarantees a body style; this is a static fallback, never reached.
    static FALLBACK: std::sync::OnceLock<Style> = std::sync::OnceLock::new();
    FALLBACK.get_or_init(|| Style {
        font: "serif".into(),
        size: Pt(9.0),
        leading: 1.3,
        min_size: None,
        min_scale: None,
        colour: Cmyk::BLACK,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_limits_are_checked_and_located() {
        let base = include_str!("../../../layouts/broadsheet.toml");
        let with = |from: &str, to: &str| {
            assert!(base.contains(from));
            let text = base.replacen(from, to, 1);
            let e = parse_layout(
                Path::new("l.toml"),
                &text,
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts"),
            )
            .unwrap_err()
            .to_string();
            (e, text)
        };
        // The caret goes to the style's own key, not to the first `初号` or `min_scale` in the
        // file (a comment, another style).
        let (e, text) = with("min_size = \"三号\"", "min_size = \"初号\"");
        let line = text
            .lines()
            .position(|l| l.starts_with("headline =") && l.contains("初号"))
            .unwrap()
            + 1;
        assert!(e.contains(&format!("l.toml:{line}:")), "{e}");
        assert!(e.contains("min_size"), "{e}");
        let (e, _) = with("min_size = \"三号\"", "min_size = \"0pt\"");
        assert!(e.contains("above 0"), "{e}");
        let (e, _) = with(
            "jump = { font = \"kai\", size = \"小五\" }",
            "jump = { font = \"kai\", size = \"0.0001pt\" }",
        );
        assert!(
            e.contains("style `jump`") && e.contains("below 4 pt"),
            "{e}"
        );
        let (e, _) = with(
            "leading = 1.25, min_size = \"三号\"",
            "leading = 0.5, min_size = \"三号\"",
        );
        assert!(e.contains("leading 0.5 is outside 1–5"), "{e}");
        let (e, text) = with(
            "min_size = \"三号\", min_scale = 0.8",
            "min_size = \"三号\", min_scale = 0.3",
        );
        let line = text
            .lines()
            .position(|l| l.contains("min_scale = 0.3"))
            .unwrap()
            + 1;
        assert!(
            e.contains(&format!("l.toml:{line}:")) && e.contains("0.5–1"),
            "{e}"
        );
    }

    #[test]
    fn builtin_broadsheet_grid() {
        let l = resolve_layout("broadsheet", Path::new("/nonexistent/p.toml"), "", 0).unwrap();
        assert_eq!(l.grid.columns, 8);
        assert_eq!(l.grid.chars, 13);
        assert_eq!(l.grid.body_size, Pt(9.0));
        // 8 × 13 + 7 = 111 characters of 9 pt.
        assert!((l.grid.width() - 999.0).abs() < 0.01);
        assert!(l.fonts["serif"].is_file(), "{:?}", l.fonts["serif"]);
    }

    #[test]
    fn unknown_layout_names_plan_line() {
        let src = "number = 1\nlayout = \"tabloidx\"\n";
        let e = resolve_layout("tabloidx", Path::new("/nonexistent/p.toml"), src, 20).unwrap_err();
        let s = e.to_string();
        assert!(s.contains("p.toml:2:10: unknown layout `tabloidx`"), "{s}");
        assert!(s.contains("built-in layout: broadsheet"), "{s}");
    }
}
