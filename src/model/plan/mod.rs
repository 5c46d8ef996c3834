//! Page plans (`*.toml`) and editions (`edition.toml`): what goes where on which page.

use crate::error::{read_text, toml_diagnostic, Diagnostic, Error, Result};
use crate::model::layout::{resolve_layout, Layout};
use crate::units::parse_range;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod ads;
mod auto;
mod blocks;
pub use ads::{AdClass, AdPlacement};
pub use auto::AutoDepth;
pub use blocks::{Align, TextBlock};

/// A page plan: a layout and the stories and photos placed on its grid.
#[derive(Debug, Clone)]
pub struct PagePlan {
    /// The plan file.
    pub path: PathBuf,
    /// The resolved layout.
    pub layout: Layout,
    /// 版次: page number for the header and jump lines.
    pub number: u32,
    /// Section name (报眉).
    pub section: String,
    /// Date for the header.
    pub date: String,
    /// Stories in plan order.
    pub stories: Vec<StoryPlacement>,
    /// Photos in plan order.
    pub photos: Vec<PhotoPlacement>,
    /// Free text blocks (导读, 栏目名, 压图题, notices), in plan order.
    pub texts: Vec<TextBlock>,
    /// Ads in their slots, in plan order.
    pub ads: Vec<AdPlacement>,
    /// The layout's masthead (报头) stands in the top band instead of the running header.
    pub masthead: bool,
    /// Print the running header (报眉); `header = false` leaves it out (an ad made as a page,
    /// a special section).
    pub header: bool,
    /// 期号 for the masthead (the edition's, unless the plan gives its own).
    pub issue: Option<u32>,
}

/// A frame on the grid: basic columns and body lines, both 1-based inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridArea {
    /// First and last basic column.
    pub columns: (u32, u32),
    /// First and last body line.
    pub lines: (u32, u32),
}

impl std::fmt::Display for GridArea {
    /// `columns 1-2, lines 12-16`, as messages name a frame.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "columns {}-{}, lines {}-{}",
            self.columns.0, self.columns.1, self.lines.0, self.lines.1
        )
    }
}

impl StoryPlacement {
    /// How far (in body characters) the text keeps inside the frame's left and right edges:
    /// a box's inset, one character on a tint, else none.
    pub fn inset(&self) -> f32 {
        match (&self.frame_box, self.tint) {
            (Some(b), _) => b.inset,
            (None, Some(_)) => 1.0,
            (None, None) => 0.0,
        }
    }

    /// Whether the frame is boxed or tinted (its edges drawn rather than ruled).
    pub fn framed(&self) -> bool {
        self.frame_box.is_some() || self.tint.is_some()
    }
}

impl GridArea {
    /// Whether two areas share a grid cell.
    pub fn overlaps(&self, o: &GridArea) -> bool {
        self.columns.0 <= o.columns.1
            && o.columns.0 <= self.columns.1
            && self.lines.0 <= o.lines.1
            && o.lines.0 <= self.lines.1
    }
}

/// A story's frame on the page.
#[derive(Debug, Clone)]
pub struct StoryPlacement {
    /// The story file.
    pub file: PathBuf,
    /// The frame.
    pub area: GridArea,
    /// Text columns the frame is divided into (破栏 when not the basic columns spanned).
    pub text_columns: u32,
    /// Headline style name.
    pub headline_style: String,
    /// The box drawn around the frame.
    pub frame_box: Option<crate::model::BoxStyle>,
    /// 底纹: a colour filled behind the frame.
    pub tint: Option<crate::model::Cmyk>,
    /// Write jump lines when the story continues on another page.
    pub jump: bool,
    /// `lines = "N-auto"`: the frame ends where its copy ends. Until the pipeline settles
    /// it, `area` reaches the deepest line allowed.
    pub auto: Option<AutoDepth>,

    /// 竖排 or 横排: the direction of the body's lines.
    pub direction: Direction,
    /// The headline block's direction (竖题 when vertical); the body's unless the plan says.
    pub headline_direction: Direction,
}

/// The direction lines of type run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// 横排: left to right, lines top to bottom.
    #[default]
    Horizontal,
    /// 竖排: top to bottom, lines (columns of text) right to left.
    Vertical,
}

/// Reads `direction = "horizontal" | "vertical"` (or `headline_direction`) at its place in the
/// plan: anything else is an error there.
fn direction(ctx: &Ctx, key: &str, v: Option<&Spanned<String>>) -> Result<Option<Direction>> {
    let Some(v) = v else {
        return Ok(None);
    };
    match v.get_ref().as_str() {
        "horizontal" => Ok(Some(Direction::Horizontal)),
        "vertical" => Ok(Some(Direction::Vertical)),
        other => Err(ctx
            .err(
                v.span().start,
                format!("{key} = \"{other}\" is not a direction"),
            )
            .with_hint(format!(
                "{key} is \"horizontal\" (横排) or \"vertical\" (竖排)"
            ))
            .into()),
    }
}

/// A photo's frame on the page, caption included.
#[derive(Debug, Clone)]
pub struct PhotoPlacement {
    /// The image file.
    pub file: PathBuf,
    /// The frame, caption included.
    pub area: GridArea,
    /// Caption text (`\n` separates paragraphs); `None` when the plan gives no `caption`
    /// (the photo's metadata may), `Some("")` for none.
    pub caption: Option<String>,
    /// Credit such as `李曙光 摄`; `None` and `Some("")` as for the caption.
    pub credit: Option<String>,
    /// Crop to fill the frame, or fit the whole picture.
    pub fit: Fit,
    /// A `[[graphic]]`: vector art (a chart, a map, a logo; SVG or PDF), shown whole.
    pub graphic: bool,
}

/// How a photo fills its frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Crop to fill the frame.
    Fill,
    /// Show the whole picture.
    Fit,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    layout: Spanned<String>,
    number: Spanned<u32>,
    #[serde(default)]
    section: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    story: Vec<RawStory>,
    #[serde(default)]
    photo: Vec<RawPhoto>,
    #[serde(default)]
    graphic: Vec<RawPhoto>,
    #[serde(default)]
    text: Vec<blocks::RawText>,
    #[serde(default)]
    ad: Vec<ads::RawAd>,
    #[serde(default)]
    masthead: Option<Spanned<bool>>,
    #[serde(default = "yes")]
    header: bool,
    issue: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStory {
    file: Spanned<String>,
    columns: Spanned<String>,
    lines: Spanned<String>,
    text_columns: Option<Spanned<u32>>,
    headline_style: Option<Spanned<String>>,
    r#box: Option<Spanned<toml::Value>>,
    tint: Option<Spanned<String>>,
    #[serde(default = "yes")]
    jump: bool,
    direction: Option<Spanned<String>>,
    headline_direction: Option<Spanned<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhoto {
    file: Spanned<String>,
    columns: Spanned<String>,
    lines: Spanned<String>,
    caption: Option<String>,
    credit: Option<String>,
    fit: Option<Fit>,
}

/// Reads a page plan, resolves its layout and checks every frame against the grid.
pub fn load_plan(path: &Path) -> Result<PagePlan> {
    let src = read_text(path)?;
    parse_plan(path, &src)
}

/// Parses a page plan's text; `path` locates the files it names and names it in diagnostics.
pub fn parse_plan(path: &Path, src: &str) -> Result<PagePlan> {
    let src = src.to_string();
    let raw: RawPlan = toml::from_str(&src).map_err(|e| toml_diagnostic(path, &src, 0, &e))?;
    check_values(path, &src, &raw)?;
    let layout = resolve_layout(raw.layout.get_ref(), path, &src, raw.layout.span().start)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let ctx = Ctx {
        path,
        src: &src,
        layout: &layout,
    };
    // Every frame is checked, so one run reports all the plan's faults, not just the first.
    let mut errors = Vec::new();
    let mut stories = Vec::new();
    for s in &raw.story {
        match story_placement(&ctx, dir, s) {
            Ok(p) => stories.push(p),
            Err(e) => errors.push(e),
        }
    }
    let mut photos = Vec::new();
    let visuals = raw
        .photo
        .iter()
        .map(|p| (p, false))
        .chain(raw.graphic.iter().map(|g| (g, true)));
    for (p, graphic) in visuals {
        match visual(&ctx, dir, p, graphic) {
            Ok(p) => photos.push(p),
            Err(e) => errors.push(e),
        }
    }
    let mut texts = Vec::new();
    for t in &raw.text {
        match blocks::text_block(&ctx, dir, t) {
            Ok(b) => texts.push(b),
            Err(e) => errors.push(e),
        }
    }
    let mut ads = Vec::new();
    for a in &raw.ad {
        match ads::ad(&ctx, dir, a) {
            Ok(p) => ads.push(p),
            Err(e) => errors.push(e),
        }
    }
    let masthead = match masthead_band(&ctx, raw.masthead.as_ref()) {
        Ok(m) => m,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if *raw.number.get_ref() == 0 {
        errors.insert(
            0,
            ctx.err(
                raw.number.span().start,
                "版次 `number = 0`: pages are numbered from 1".into(),
            )
            .with_hint("give the page its number in the edition, 1 or more")
            .into(),
        );
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    auto::extend_auto_frames(
        &mut stories,
        (&texts, &ads, masthead.map(|(_, m)| m)),
        layout.grid.lines,
    );
    check_overlaps(&ctx, &raw.story, &stories)?;
    check_placed(&ctx, &raw, (&stories, &photos), (&texts, &ads), masthead)?;
    Ok(PagePlan {
        path: path.to_path_buf(),
        layout,
        number: *raw.number.get_ref(),
        section: raw.section,
        date: raw.date,
        stories,
        photos,
        texts,
        ads,
        masthead: masthead.is_some(),
        header: raw.header,
        issue: raw.issue.map(|i| *i.get_ref()),
    })
}

/// Text blocks, photos, graphics, ads and the masthead band against the story frames and one
/// another (an error at the later of two overlapping entries).
fn check_placed(
    ctx: &Ctx,
    raw: &RawPlan,
    (stories, photos): (&[StoryPlacement], &[PhotoPlacement]),
    (texts, ads): (&[TextBlock], &[AdPlacement]),
    masthead: Option<(usize, GridArea)>,
) -> Result<()> {
    let photo_frames: Vec<(usize, GridArea)> = raw
        .photo
        .iter()
        .chain(&raw.graphic)
        .zip(photos)
        .map(|(r, p)| (r.columns.span().start, p.area))
        .collect();
    let ad_slots: Vec<(usize, GridArea)> = raw
        .ad
        .iter()
        .zip(ads)
        .map(|(r, a)| (r.columns.span().start, a.area))
        .collect();
    blocks::check_furniture(
        ctx,
        (&raw.story, stories),
        (&raw.text, texts),
        masthead,
        (&photo_frames, &ad_slots),
    )
}

/// A `[[photo]]` or `[[graphic]]` (shown whole) of the plan, its file found and its area on
/// the grid.
fn visual(ctx: &Ctx, dir: &Path, p: &RawPhoto, graphic: bool) -> Result<PhotoPlacement> {
    let file = ctx.existing(dir, &p.file)?;
    if graphic && p.fit == Some(Fit::Fill) {
        return Err(ctx
            .err(
                p.file.span().start,
                "a [[graphic]] is shown whole: `fit = \"fill\"` would crop it".into(),
            )
            .with_hint("leave `fit` out, or write fit = \"fit\"")
            .into());
    }
    Ok(PhotoPlacement {
        file,
        area: ctx.area(&p.columns, &p.lines)?,
        caption: p.caption.clone(),
        credit: p.credit.clone(),
        fit: if graphic {
            Fit::Fit
        } else {
            p.fit.unwrap_or(Fit::Fill)
        },
        graphic,
    })
}

/// The masthead's band when the plan asks for it (with the plan offset of `masthead`); an error
/// when the layout has none.
fn masthead_band(
    ctx: &Ctx,
    masthead: Option<&toml::Spanned<bool>>,
) -> Result<Option<(usize, GridArea)>> {
    let Some(m) = masthead.filter(|m| *m.get_ref()) else {
        return Ok(None);
    };
    match &ctx.layout.masthead {
        Some(mh) => Ok(Some((
            m.span().start,
            GridArea {
                columns: mh.columns,
                lines: (1, mh.lines),
            },
        ))),
        None => Err(ctx
            .err(
                m.span().start,
                "`masthead = true`, but the layout has no [masthead]".into(),
            )
            .with_hint("add [masthead] (art, columns, lines, info) to the layout")
            .into()),
    }
}

/// Refuses control characters in the texts a plan sets (section, date, captions, credits).
fn check_values(path: &Path, src: &str, raw: &RawPlan) -> Result<()> {
    let check = |key, value: &str| super::chars::check_value(path, src, key, value);
    check("section", &raw.section)?;
    check("date", &raw.date)?;
    for p in raw.photo.iter().chain(&raw.graphic) {
        check("caption", p.caption.as_deref().unwrap_or_default())?;
        check("credit", p.credit.as_deref().unwrap_or_default())?;
    }
    Ok(())
}

struct Ctx<'a> {
    path: &'a Path,
    src: &'a str,
    layout: &'a Layout,
}

impl Ctx<'_> {
    fn err(&self, offset: usize, msg: String) -> Diagnostic {
        Diagnostic::at(self.path, self.src, offset, msg)
    }

    /// The 1-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.src
            .get(..offset)
            .map_or(1, |t| t.matches('\n').count() + 1)
    }

    fn range(&self, v: &Spanned<String>, max: u32, what: &str) -> Result<(u32, u32)> {
        let (a, b) = parse_range(v.get_ref()).map_err(|e| self.err(v.span().start, e))?;
        if b > max {
            return Err(self
                .err(
                    v.span().start,
                    format!("{what} \"{}\" exceed the grid's {max} {what}", v.get_ref()),
                )
                .with_hint(format!(
                    "the layout `{}` has {what} 1-{max}",
                    self.layout.name
                ))
                .into());
        }
        Ok((a, b))
    }

    /// The layout's colour named by `v`.
    fn colour(&self, v: &Spanned<String>) -> Result<crate::model::Cmyk> {
        self.layout.colours.resolve(v.get_ref()).map_err(|m| {
            self.err(v.span().start, m)
                .with_hint("define it under [colours] in the layout")
                .into()
        })
    }

    fn area(&self, columns: &Spanned<String>, lines: &Spanned<String>) -> Result<GridArea> {
        Ok(GridArea {
            columns: self.range(columns, self.layout.grid.columns, "columns")?,
            lines: self.range(lines, self.layout.grid.lines, "lines")?,
        })
    }

    fn existing(&self, dir: &Path, file: &Spanned<String>) -> Result<PathBuf> {
        let p = crate::fs::tidy(&dir.join(file.get_ref()));
        if let Err(problem) = crate::error::regular_file(&p) {
            use crate::error::FileProblem::{BrokenLink, NotFound};
            let hint = match problem {
                NotFound | BrokenLink => format!(
                    "paths are relative to the plan's folder: looked for {}",
                    p.display()
                ),
                _ => format!("{} ({})", problem.hint(), p.display()),
            };
            let what = problem.describe(&format!("file `{}`", file.get_ref()));
            return Err(self.err(file.span().start, what).with_hint(hint).into());
        }
        Ok(p)
    }
}

/// A story's frame, checked against the grid and the layout's styles.
/// The narrowest text column a frame may be divided into, in characters.
const MIN_TEXT_COLUMN: f32 = 6.0;

fn story_placement(ctx: &Ctx, dir: &Path, s: &RawStory) -> Result<StoryPlacement> {
    let layout = ctx.layout;
    let (area, auto) = match auto::auto_start(s.lines.get_ref()) {
        Some(start) => {
            let start = start.map_err(|m| ctx.err(s.lines.span().start, m))?;
            let columns = ctx.range(&s.columns, layout.grid.columns, "columns")?;
            if start > layout.grid.lines {
                let msg = format!(
                    "lines \"{}\" start below the grid's foot",
                    s.lines.get_ref()
                );
                return Err(ctx.err(s.lines.span().start, msg).into());
            }
            let auto = AutoDepth {
                at: Box::new(ctx.err(s.lines.span().start, String::new())),
                deepest: start,
                limit: String::new(),
            };
            let area = GridArea {
                columns,
                lines: (start, start),
            };
            (area, Some(auto))
        }
        None => (ctx.area(&s.columns, &s.lines)?, None),
    };
    let span = area.columns.1 - area.columns.0 + 1;
    // The frame's measure in characters (a box takes one character each side), and how many
    // text columns of at least MIN_TEXT_COLUMN characters it holds, a gutter between each.
    let g = &layout.grid;
    let frame_box = frame_box(ctx, s.r#box.as_ref())?;
    let tint = match &s.tint {
        Some(t) => Some(ctx.colour(t)?),
        None => None,
    };
    let inset = 2.0
        * match (&frame_box, tint) {
            (Some(b), _) => b.inset,
            (None, Some(_)) => 1.0,
            (None, None) => 0.0,
        };
    let measure = span as f32 * g.chars as f32 + (span - 1) as f32 * g.gutter - inset;
    let most = (((measure + g.gutter) / (MIN_TEXT_COLUMN + g.gutter)).floor() as u32).max(1);
    let text_columns = match &s.text_columns {
        Some(t) if *t.get_ref() == 0 || *t.get_ref() > most => {
            let k = *t.get_ref();
            let each = (measure - k.saturating_sub(1) as f32 * g.gutter) / k.max(1) as f32;
            let msg = format!(
                "text_columns = {k} would make columns of {} characters in a {span}-column frame",
                each.max(0.0).floor()
            );
            return Err(ctx
                .err(t.span().start, msg)
                .with_hint(format!(
                    "use 1 to {most} text columns (each at least {MIN_TEXT_COLUMN} characters)"
                ))
                .into());
        }
        Some(t) => *t.get_ref(),
        None => span,
    };
    let headline_style = match &s.headline_style {
        Some(h) if !layout.styles.contains_key(h.get_ref()) => {
            let known = layout.styles.keys().cloned().collect::<Vec<_>>().join(", ");
            return Err(ctx
                .err(
                    h.span().start,
                    format!("unknown headline style `{}`", h.get_ref()),
                )
                .with_hint(format!("styles of layout {}: {known}", layout.name))
                .into());
        }
        Some(h) => h.get_ref().clone(),
        None => "headline".to_string(),
    };
    let body = direction(ctx, "direction", s.direction.as_ref())?.unwrap_or_default();
    let headline_direction =
        direction(ctx, "headline_direction", s.headline_direction.as_ref())?.unwrap_or(body);
    if body == Direction::Vertical {
        vertical_depth(ctx, s, &area)?;
    }
    Ok(StoryPlacement {
        file: ctx.existing(dir, &s.file)?,
        area,
        text_columns,
        headline_style,
        frame_box,
        tint,
        jump: s.jump,
        auto,

        direction: body,
        headline_direction,
    })
}

/// The fewest body characters a vertical frame must be deep: the paragraph indent (two) and
/// one character.
pub const MIN_VERTICAL_CHARS: u32 = 3;

/// A vertical frame must be deep enough for a line of the indent and one character.
fn vertical_depth(ctx: &Ctx, s: &RawStory, area: &GridArea) -> Result<()> {
    let g = &ctx.layout.grid;
    let depth = (area.lines.1 - area.lines.0 + 1) as f32 * g.pitch.0;
    let chars = (depth / g.body_size.0 + 0.01).floor() as u32;
    if chars < MIN_VERTICAL_CHARS {
        return Err(ctx
            .err(
                s.lines.span().start,
                format!(
                    "this vertical frame is {depth:.0} pt deep, {chars} body characters; a \
                     vertical line needs at least {MIN_VERTICAL_CHARS} (the indent and one \
                     character)"
                ),
            )
            .with_hint("make the frame deeper, or set the story horizontally")
            .into());
    }
    Ok(())
}

/// A story's `box`: none, the layout's `thin` box (`true`), or a box style by name.
fn frame_box(
    ctx: &Ctx,
    choice: Option<&Spanned<toml::Value>>,
) -> Result<Option<crate::model::BoxStyle>> {
    let Some(choice) = choice else {
        return Ok(None);
    };
    let name = match choice.get_ref() {
        toml::Value::Boolean(false) => return Ok(None),
        toml::Value::Boolean(true) => "thin",
        toml::Value::String(n) => n.as_str(),
        other => {
            return Err(ctx
                .err(
                    choice.span().start,
                    format!(
                        "`box` is {} here: a box is true, false or the name of a box style",
                        other.type_str()
                    ),
                )
                .with_hint("box = true (a thin box), or box = \"double\" (a style under [boxes])")
                .into())
        }
    };
    match ctx.layout.boxes.get(name) {
        Some(b) => Ok(Some(b.clone())),
        None => {
            let known: Vec<&str> = ctx.layout.boxes.keys().map(String::as_str).collect();
            Err(ctx
                .err(choice.span().start, format!("unknown box style `{name}`"))
                .with_hint(format!(
                    "the layout `{}` has boxes: {} (define more under [boxes])",
                    ctx.layout.name,
                    known.join(", ")
                ))
                .into())
        }
    }
}

fn check_overlaps(ctx: &Ctx, raw: &[RawStory], stories: &[StoryPlacement]) -> Result<()> {
    for (i, a) in stories.iter().enumerate() {
        for (j, b) in stories.iter().enumerate().skip(i + 1) {
            if a.area.overlaps(&b.area) {
                let off = raw.get(j).map_or(0, |r| r.columns.span().start);
                return Err(Error::from(
                    ctx.err(off, format!("this story frame overlaps the frame of `{}`", a.file.display()))
                        .with_hint("frames of two stories must not share grid cells; change `columns` or `lines`"),
                ));
            }
        }
    }
    Ok(())
}

/// An edition: page plans in order, the paper's name and date.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Paper name for the header and metadata.
    pub paper: String,
    /// Edition date.
    pub date: String,
    /// Pages in order.
    pub pages: Vec<PagePlan>,
    /// Output name (the edition's folder or plan file stem).
    pub name: String,
    /// The file it was read from: edition.toml, or the page plan of a one-page build.
    pub file: PathBuf,
    /// For a one-page build of a plan that belongs to an edition: the other pages of that
    /// edition that place a story of this page (their stories continue there).
    pub elsewhere: Vec<PlacedElsewhere>,
}

/// A story of a one-page build placed on another page of its edition.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedElsewhere {
    /// The story file.
    pub story: PathBuf,
    /// The other page's 版次.
    pub number: u32,
    /// Its plan.
    pub plan: PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdition {
    #[serde(default)]
    paper: String,
    #[serde(default)]
    date: String,
    issue: Option<u32>,
    pages: Vec<Spanned<String>>,
}

/// Whether a TOML text is an edition (it lists `pages`) rather than a page plan.
fn is_edition_text(src: &str) -> bool {
    toml::from_str::<toml::Table>(src).is_ok_and(|t| t.contains_key("pages"))
}

/// Whether the file at `path` is an edition (unreadable files are left to the plan loader,
/// which names their fault).
fn is_edition_file(path: &Path) -> bool {
    read_text(path).is_ok_and(|src| is_edition_text(&src))
}

/// Maximum pages in one edition (a resource bound).
pub const MAX_PAGES: usize = 400;

/// Loads what a build takes: an `edition.toml`, a page plan, or a folder holding `edition.toml`.
pub fn load_edition(input: &Path) -> Result<Edition> {
    let file = edition_file(input)?;
    let name = edition_name(input, &file);
    let src = read_text(&file)?;
    if !is_edition_text(&src) {
        let plan = load_plan(&file)?;
        let elsewhere = sibling_pages(&plan);
        return Ok(Edition {
            paper: String::new(),
            date: plan.date.clone(),
            pages: vec![plan],
            name,
            file,
            elsewhere,
        });
    }
    let raw: RawEdition = toml::from_str(&src).map_err(|e| toml_diagnostic(&file, &src, 0, &e))?;
    super::chars::check_value(&file, &src, "paper", &raw.paper)?;
    super::chars::check_value(&file, &src, "date", &raw.date)?;
    if raw.pages.is_empty() || raw.pages.len() > MAX_PAGES {
        return Err(
            Diagnostic::file(&file, format!("an edition needs 1 to {MAX_PAGES} pages")).into(),
        );
    }
    let mut pages = edition_pages(&file, &src, &raw.pages)?;
    for p in &mut pages {
        p.issue = p.issue.or(raw.issue);
    }
    Ok(Edition {
        paper: raw.paper,
        date: raw.date,
        pages,
        name,
        file,
        elsewhere: Vec::new(),
    })
}

/// The other pages of the edition beside `plan` (an `edition.toml` in its folder that lists
/// it) that place one of its stories. Best effort: an edition or plan that does not load
/// gives nothing (this build is of the one page, and names its own faults).
fn sibling_pages(plan: &PagePlan) -> Vec<PlacedElsewhere> {
    let Some(dir) = plan.path.parent() else {
        return Vec::new();
    };
    let edition = dir.join("edition.toml");
    let Ok(src) = read_text(&edition) else {
        return Vec::new();
    };
    let Ok(raw) = toml::from_str::<RawEdition>(&src) else {
        return Vec::new();
    };
    let me = plan.path.canonicalize().ok();
    let mine: Vec<PathBuf> = plan
        .stories
        .iter()
        .filter_map(|s| s.file.canonicalize().ok())
        .collect();
    let mut out = Vec::new();
    for page in &raw.pages {
        let path = dir.join(page.get_ref());
        if path.canonicalize().ok() == me {
            continue;
        }
        let Ok(other) = load_plan(&path) else {
            continue;
        };
        for s in &other.stories {
            let shared = s.file.canonicalize().is_ok_and(|f| mine.contains(&f));
            if shared {
                out.push(PlacedElsewhere {
                    story: s.file.clone(),
                    number: other.number,
                    plan: path.clone(),
                });
            }
        }
    }
    out
}

/// The file a build input names: the input itself, or a folder's `edition.toml`; a regular
/// file, else an error saying what to pass.
fn edition_file(input: &Path) -> Result<PathBuf> {
    let file = if input.is_dir() {
        input.join("edition.toml")
    } else {
        input.to_path_buf()
    };
    if let Err(problem) = crate::error::regular_file(&file) {
        let msg = match problem {
            crate::error::FileProblem::NotFound if input.is_dir() => {
                "folder has no edition.toml".to_string()
            }
            _ => problem.describe("file"),
        };
        return Err(Diagnostic::file(&file, msg)
            .with_hint("pass an edition.toml, a page plan (.toml) or a folder holding edition.toml")
            .into());
    }
    if let Some(kind) = other_kind(&file) {
        return Err(Diagnostic::file(
            &file,
            format!("this is {kind}, not an edition or page plan"),
        )
        .with_hint(
            "build the edition (its folder or edition.toml) or the page plan (.toml) that \
                 places it",
        )
        .into());
    }
    Ok(file)
}

/// What a file given to build is when it is plainly not TOML: a story, a photo, a PDF (told by
/// its first bytes, or a story by its `.md` name; a wire story by its root element).
fn other_kind(file: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = Vec::with_capacity(1024);
    if let Ok((f, _)) = crate::error::open_regular(file) {
        let _ = f.take(1024).read_to_end(&mut head);
    }
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&head);
    let story = head.starts_with(b"+++")
        || file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    let text = String::from_utf8_lossy(head);
    let wire = text.trim_start().starts_with('<')
        && ["<nitf", "newsItem", "newsMessage"]
            .iter()
            .any(|root| text.contains(root));
    if story {
        Some("a story file")
    } else if wire {
        Some("a wire story file (NITF or NewsML-G2)")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) || head.starts_with(b"\x89PNG") {
        Some("a photo")
    } else if head.starts_with(b"%PDF") {
        Some("a PDF")
    } else {
        None
    }
}

/// The name a build of `input` gives its PDF (the edition's folder, or the plan's file), for
/// reports of inputs that could not be loaded.
pub fn edition_name_of(input: &Path) -> String {
    let file = if input.is_dir() {
        input.join("edition.toml")
    } else {
        input.to_path_buf()
    };
    edition_name(input, &file)
}

/// The edition's name: its folder's name, else the file's stem, else `edition`.
fn edition_name(input: &Path, file: &Path) -> String {
    // An edition is named after its folder, whether given as the folder or its edition.toml;
    // a single page plan after its file.
    let folder = input.is_dir() || file.file_name().is_some_and(|n| n == "edition.toml");
    let input = if input.is_dir() {
        input
    } else {
        file.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    if folder {
        input
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
    } else {
        file.file_stem().map(|n| n.to_string_lossy().into_owned())
    }
    .unwrap_or_else(|| "edition".into())
}

/// The page plans an edition file (`file`, text `src`) lists, in order: each a regular file
/// listed once, a page plan rather than an edition, with a 版次 of its own.
fn edition_pages(
    file: &Path,
    src: &str,
    listed_pages: &[Spanned<String>],
) -> Result<Vec<PagePlan>> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut pages: Vec<PagePlan> = Vec::new();
    let mut listed: Vec<PathBuf> = Vec::new();
    let at = |p: &Spanned<String>, msg: String| Diagnostic::at(file, src, p.span().start, msg);
    for p in listed_pages {
        let path = dir.join(p.get_ref());
        if let Err(problem) = crate::error::regular_file(&path) {
            let what = problem.describe(&format!("page plan `{}`", p.get_ref()));
            let hint = match problem {
                crate::error::FileProblem::NotFound => "paths are relative to the edition's folder",
                _ => problem.hint(),
            };
            return Err(at(p, what).with_hint(hint).into());
        }
        let same = path.canonicalize().unwrap_or_else(|_| path.clone());
        if let Some(k) = listed.iter().position(|l| *l == same) {
            return Err(at(
                p,
                format!(
                    "page plan `{}` is listed twice (as page {} and page {})",
                    p.get_ref(),
                    k + 1,
                    listed.len() + 1
                ),
            )
            .with_hint("each page of the edition has its own plan: remove one of them")
            .into());
        }
        if is_edition_file(&path) {
            return Err(at(
                p,
                format!("`{}` is an edition, not a page plan", p.get_ref()),
            )
            .with_hint("an edition lists page plans; list that edition's plans here instead")
            .into());
        }
        let plan = load_plan(&path)?;
        if let Some(other) = pages.iter().find(|o| o.number == plan.number) {
            return Err(at(
                p,
                format!(
                    "`{}` is 第{}版, as `{}` is: two pages with one 版次",
                    p.get_ref(),
                    plan.number,
                    other.path.display()
                ),
            )
            .with_hint("give each page of the edition its own `number`")
            .into());
        }
        listed.push(same);
        pages.push(plan);
    }
    Ok(pages)
}
