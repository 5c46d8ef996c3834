//! The masthead (报头): the layout's nameplate art in its columns of the top band, scaled to
//! fit above the info line (CN number, 期号, date, 农历 date, pages), which is built from the
//! layout's `info` template.

use crate::error::Result;
use crate::flow::{area_rect, baseline, LineRole};
use crate::fonts::FontBook;
use crate::linebreak::set_display;
use crate::model::date::{header_date, Day};
use crate::model::{Edition, GridArea, Masthead, PagePlan};
use crate::page::{Direction, Item, TextRun};
use crate::shape::shape_text;
use crate::units::Rect;
use std::sync::Arc;

/// Space between the parts of the info line, in ideographic spaces.
const PART_GAP: &str = "\u{3000}\u{3000}";

/// Sets the masthead `m` of `plan`'s page: its art and info lines into `items`.
pub(super) fn set(
    plan: &PagePlan,
    m: &Masthead,
    edition: &Edition,
    book: &FontBook,
    items: &mut Vec<Item>,
) -> Result<()> {
    let layout = &plan.layout;
    let g = &layout.grid;
    let band = area_rect(
        g,
        &GridArea {
            columns: m.columns,
            lines: (1, m.lines),
        },
    );
    let parts = m
        .info
        .iter()
        .map(|t| fill(t, plan, edition))
        .collect::<Result<Vec<String>>>()?;
    let style = layout.style(&m.style);
    let (face, size) = book.style_face(layout, &m.style)?;
    let lh = size * style.leading;
    let lines = info_lines(plan, m, &parts, (face, size), book, band.w)?;
    let info_h = lines.len() as f32 * lh;
    let room = Rect {
        h: band.h
            - info_h
            - if lines.is_empty() {
                0.0
            } else {
                0.5 * g.pitch.0
            },
        ..band
    };
    if room.h < 2.0 * g.pitch.0 {
        return Err(info_error(
            plan,
            format!(
                "the masthead's info takes {} of its {}: no room is left for the nameplate",
                crate::units::count(lines.len(), "line"),
                m.lines
            ),
        ));
    }
    let art = Arc::new(crate::vector::load_art(&m.art, 1, m.colour)?);
    let scale = (room.w / art.width.max(0.1)).min(room.h / art.height.max(0.1));
    let (w, h) = (art.width * scale, art.height * scale);
    items.push(Item::Art {
        art,
        rect: Rect {
            x: room.x + (room.w - w) / 2.0,
            y: room.y + (room.h - h) / 2.0,
            w,
            h,
        },
        quarter_turns: 0,
    });
    let top = band.bottom() - info_h;
    for (k, (glyphs, w, text)) in lines.into_iter().enumerate() {
        items.push(Item::Text(TextRun {
            x: band.x + (band.w - w) / 2.0,
            baseline: baseline(lh, size, top + k as f32 * lh),
            glyphs,
            text,
            role: LineRole::Headline,
            colour: style.colour,
            direction: Direction::Horizontal,
        }));
    }
    Ok(())
}

/// A line of the masthead's info: its glyphs, width and text.
type InfoLine = (Vec<crate::linebreak::PlacedGlyph>, f32, Arc<str>);

/// The info parts packed into lines `width` wide, never broken inside a part; an error when a
/// part alone is wider.
fn info_lines(
    plan: &PagePlan,
    m: &Masthead,
    parts: &[String],
    (face, size): (crate::fonts::FaceId, f32),
    book: &FontBook,
    width: f32,
) -> Result<Vec<InfoLine>> {
    let layout = &plan.layout;
    let mut lines: Vec<InfoLine> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let set_line = |parts: &[&str]| -> Result<Option<InfoLine>> {
        let para = shape_text(
            &parts.join(PART_GAP),
            (face, size),
            true,
            &layout.text,
            book,
        )
        .map_err(|e| e.into_error_in(&[layout.source.as_path(), plan.path.as_path()]))?;
        Ok(set_display(&para, f32::MAX / 4.0)
            .into_iter()
            .next()
            .map(|d| (d.glyphs, d.width, para.text.as_str().into())))
    };
    for part in parts.iter().filter(|p| !p.trim().is_empty()) {
        let mut with = current.clone();
        with.push(part);
        match set_line(&with)? {
            Some(l) if l.1 <= width => current = with,
            _ if current.is_empty() => {
                return Err(info_error(
                    plan,
                    format!(
                    "the masthead's info part `{part}` is wider than the masthead's columns {}-{}",
                    m.columns.0, m.columns.1
                ),
                ));
            }
            _ => {
                lines.extend(set_line(&current)?);
                current = vec![part];
            }
        }
    }
    if !current.is_empty() {
        lines.extend(set_line(&current)?);
    }
    Ok(lines)
}

/// An error about the masthead's info, at the layout's `info` line.
fn info_error(plan: &PagePlan, msg: String) -> crate::error::Error {
    crate::locate::at_key(&plan.layout.source, "info", msg)
        .with_hint("shorten the info parts or widen the masthead's columns")
        .into()
}

/// One part of the info template with its fields filled: `{issue}` (期号), `{date}`
/// (2026年11月27日　星期五), `{lunar}` (十月十九), `{pages}` (the edition's page count).
fn fill(template: &str, plan: &PagePlan, edition: &Edition) -> Result<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if rest[..open].contains('}') {
            return Err(field_error(plan, template, "a `}` with no `{`"));
        }
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(field_error(plan, template, "an unclosed `{`"));
        };
        let field = &after[..close];
        out.push_str(&field_value(field, template, plan, edition)?);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(field_error(plan, template, "a `}` with no `{`"));
    }
    out.push_str(rest);
    Ok(out)
}

/// The value of info field `field`.
fn field_value(field: &str, template: &str, plan: &PagePlan, edition: &Edition) -> Result<String> {
    let date = if plan.date.trim().is_empty() {
        &edition.date
    } else {
        &plan.date
    };
    // The file that gives the date: the plan, or the edition when the plan has none.
    let date_file = if plan.date.trim().is_empty() {
        edition.file.as_path()
    } else {
        plan.path.as_path()
    };
    let day = || {
        Day::parse(date).ok_or_else(|| {
            crate::error::Error::from(
                crate::locate::at_key(
                    date_file,
                    "date",
                    format!("the masthead's info needs the day, and the date `{date}` is not one"),
                )
                .with_hint("give the page or edition a date such as 2026-11-27"),
            )
        })
    };
    match field {
        "issue" => plan.issue.map(|i| i.to_string()).ok_or_else(|| {
            crate::locate::at_key(
                &plan.path,
                "masthead",
                "the masthead's info prints {issue} (期号), and neither the edition nor the plan \
                 gives one"
                    .to_string(),
            )
            .with_hint("add `issue = 12345` to edition.toml (or to the page plan)")
            .into()
        }),
        "date" => day().map(|d| header_date(&format!("{}-{}-{}", d.year, d.month, d.day))),
        "lunar" => {
            let d = day()?;
            crate::model::lunar::lunar_day(d)
                .map(|l| l.chinese())
                .ok_or_else(|| {
                    crate::locate::at_key(
                        date_file,
                        "date",
                        format!(
                            "the date `{date}` is outside the lunar calendar's table \
                             (1901-02-19 to 2101-01-28)"
                        ),
                    )
                    .into()
                })
        }
        "pages" => Ok(edition.pages.len().to_string()),
        other => Err(field_error(
            plan,
            template,
            &format!("an unknown field `{{{other}}}`"),
        )),
    }
}

/// An error about a template part of the masthead's info.
fn field_error(plan: &PagePlan, template: &str, what: &str) -> crate::error::Error {
    crate::locate::at_key(
        &plan.layout.source,
        "info",
        format!("the masthead's info part `{template}` has {what}"),
    )
    .with_hint("the fields are {issue}, {date}, {lunar} and {pages}")
    .into()
}
