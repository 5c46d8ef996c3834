//! The layout's page furniture (input-format.md Part 2): box styles (`[boxes]`) and the
//! masthead (`[masthead]`), checked and resolved against its colours, grid and styles.

use super::{BoxKind, BoxStyle, Grid, LayoutSrc, Masthead, RawBox, RawMasthead, Style};
use crate::error::{Diagnostic, Result};
use crate::model::colour::{Cmyk, Colours};
use crate::units::{parse_length, parse_range};
use std::collections::BTreeMap;
use std::path::Path;

/// The weight of the built-in `thin` box (and of `box = true`), in points.
const THIN_RULE: f32 = 0.5;

/// The heaviest rule a box may have, in points.
const MAX_RULE: f32 = 12.0;

/// The least space between a box's rules and its text, in points.
const CLEARANCE: f32 = 1.0;

/// The most a box's text may be inset, in body characters.
const MAX_INSET: f32 = 5.0;

impl LayoutSrc<'_> {
    /// `[boxes]`: the built-in `thin` box and each box style of the layout.
    pub(super) fn boxes(
        &self,
        raw: &BTreeMap<String, RawBox>,
        (colours, body): (&Colours, f32),
        dir: &Path,
    ) -> Result<BTreeMap<String, BoxStyle>> {
        let mut out = BTreeMap::from([(
            "thin".to_string(),
            BoxStyle {
                kind: BoxKind::Thin(THIN_RULE),
                colour: Cmyk::BLACK,
                inset: 1.0,
            },
        )]);
        for (name, b) in raw {
            let style = self.box_style(name, b, colours, dir)?;
            // The rules reach this far inside the frame's edge; the text must keep clear.
            let depth = match style.kind {
                BoxKind::Thin(w) | BoxKind::Dotted(w) => w / 2.0,
                BoxKind::Double { rule, second } => second / 2.0 + second.max(1.0) + rule,
                BoxKind::Pattern(_) => 0.0,
            };
            let room = style.inset * body - CLEARANCE;
            if depth > room {
                return Err(self
                    .in_section(
                        "boxes",
                        name,
                        "inset",
                        format!(
                            "box `{name}`: its rules reach {depth:.1} pt inside the frame's edge, \
                             and its text keeps only {:.1} pt from it (inset {} characters of \
                             {body} pt): the rule would touch or cover the copy",
                            style.inset * body,
                            style.inset
                        ),
                    )
                    .with_hint("give the box a larger `inset`, or lighter rules")
                    .into());
            }
            out.insert(name.clone(), style);
        }
        Ok(out)
    }

    /// Box style `name`: one kind of line, a colour, an inset.
    fn box_style(&self, name: &str, b: &RawBox, colours: &Colours, dir: &Path) -> Result<BoxStyle> {
        let bad = |key: &str, msg: String| -> crate::error::Error {
            self.in_section("boxes", name, key, msg).into()
        };
        let weight = |key: &str, v: &str| -> Result<f32> {
            let w = parse_length(v).map_err(|e| bad(key, e))?.0;
            if !(w > 0.0 && w <= MAX_RULE) {
                return Err(bad(
                    key,
                    format!(
                        "box `{name}`: {key} = \"{v}\" must be above 0 and at most {MAX_RULE} pt"
                    ),
                ));
            }
            Ok(w)
        };
        let kind = match (&b.pattern, &b.rule, &b.second, b.dash.as_deref()) {
            (Some(p), None, None, None) => {
                let file = dir.join(p);
                if let Err(problem) = crate::error::regular_file(&file) {
                    return Err(self
                        .in_section(
                            "boxes",
                            name,
                            "pattern",
                            problem
                                .describe(&format!("box `{name}`'s pattern `{}`", file.display())),
                        )
                        .with_hint(
                            "the path is relative to the layout's folder; an SVG or PDF tile",
                        )
                        .into());
                }
                BoxKind::Pattern(file)
            }
            (None, Some(r), None, None) => BoxKind::Thin(weight("rule", r)?),
            (None, Some(r), Some(s), None) => BoxKind::Double {
                rule: weight("rule", r)?,
                second: weight("second", s)?,
            },
            (None, Some(r), None, Some("dots")) => BoxKind::Dotted(weight("rule", r)?),
            (None, _, _, Some(d)) if d != "dots" => {
                return Err(bad(
                    "dash",
                    format!("box `{name}`: dash = \"{d}\" is not known; \"dots\" is"),
                ))
            }
            _ => {
                return Err(bad(
                    "=",
                    format!(
                    "box `{name}` needs `rule` (with `second` for 文武线, or `dash = \"dots\"`), \
                         or `pattern` alone"
                ),
                ))
            }
        };
        let colour = match &b.colour {
            Some(c) => colours
                .resolve(c)
                .map_err(|m| bad("colour", format!("box `{name}`: {m}")))?,
            None => Cmyk::BLACK,
        };
        let inset = b.inset.unwrap_or(1.0);
        if !(inset.is_finite() && (0.0..=MAX_INSET).contains(&inset)) {
            return Err(bad(
                "inset",
                format!("box `{name}`: inset {inset} is outside 0–{MAX_INSET} characters"),
            ));
        }
        Ok(BoxStyle {
            kind,
            colour,
            inset,
        })
    }

    /// `[masthead]`: its art found, its band on the grid, its colour and info style known.
    pub(super) fn masthead(
        &self,
        m: &RawMasthead,
        (grid, colours, styles): (&Grid, &Colours, &BTreeMap<String, Style>),
        dir: &Path,
    ) -> Result<Masthead> {
        let bad = |key: &str, msg: String| -> crate::error::Error {
            self.in_table("[masthead]", key, msg).into()
        };
        let art = dir.join(&m.art);
        if let Err(problem) = crate::error::regular_file(&art) {
            return Err(self
                .in_table(
                    "[masthead]",
                    "art",
                    problem.describe(&format!("the masthead's art `{}`", art.display())),
                )
                .with_hint("the path is relative to the layout's folder; an SVG or PDF file")
                .into());
        }
        let columns = parse_range(&m.columns).map_err(|e| bad("columns", e))?;
        if columns.1 > grid.columns {
            return Err(bad(
                "columns",
                format!(
                    "the masthead's columns {} reach past the grid's {} columns",
                    m.columns, grid.columns
                ),
            ));
        }
        if m.lines == 0 || m.lines >= grid.lines {
            return Err(bad(
                "lines",
                format!(
                    "the masthead's lines = {} must be 1–{} (the grid has {} lines)",
                    m.lines,
                    grid.lines - 1,
                    grid.lines
                ),
            ));
        }
        let colour = match &m.colour {
            Some(c) => Some(
                colours
                    .resolve(c)
                    .map_err(|e| bad("colour", format!("the masthead's {e}")))?,
            ),
            None => None,
        };
        for part in &m.info {
            crate::model::chars::check_value(self.path, self.text, "info", part)?;
            if part.contains('\n') {
                return Err(bad(
                    "info",
                    format!("the masthead's info part `{}` holds a line break; each part stays on one line (the parts are packed into lines)", part.replace('\n', "\\n")),
                ));
            }
        }
        let style = m.style.clone().unwrap_or_else(|| "header".into());
        if !styles.contains_key(&style) {
            return Err(bad(
                "style",
                format!("the masthead's style `{style}` is not a style of the layout"),
            ));
        }
        Ok(Masthead {
            art,
            columns,
            lines: m.lines,
            info: m.info.clone(),
            colour,
            style,
        })
    }

    /// An error at `key` of entry `name` in `[section]`, searched from the entry's own line.
    fn in_section(&self, section: &str, name: &str, key: &str, msg: String) -> Diagnostic {
        let text = self.text;
        let from = text.find(&format!("[{section}]")).unwrap_or(0);
        let start = [
            format!("\n{name} ="),
            format!("\n{name}="),
            format!("[{section}.{name}]"),
        ]
        .iter()
        .filter_map(|p| {
            text.get(from..)
                .and_then(|t| t.find(p.as_str()))
                .map(|i| from + i)
        })
        .min()
        .map_or(from, |s| s + 1);
        let off = text
            .get(start..)
            .and_then(|t| t.find(key))
            .map_or(start, |k| start + k);
        Diagnostic::at(self.path, text, off, msg)
    }

    /// An error at `key` in the table that starts with `header`.
    fn in_table(&self, header: &str, key: &str, msg: String) -> Diagnostic {
        let text = self.text;
        let start = text.find(header).unwrap_or(0);
        let off = text
            .get(start..)
            .map(|t| super::key_offset(t, key))
            .map_or(start, |k| start + k);
        Diagnostic::at(self.path, text, off, msg)
    }
}
