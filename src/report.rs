//! Reports: the copy-fit and preflight report of a typeset edition, as a table for people and
//! as JSON for newsroom systems (schema: docs/report-schema.json; "paiban check --format
//! json"). Errors and warnings are objects: severity, file, line, column, message, hint.

use crate::pipeline::{low_resolution, Typeset};
use serde_json::{json, Value};

/// A copy-fit table: per story, characters, lines set and available, overset, underset.
pub fn copyfit_table(t: &Typeset) -> String {
    let mut out = String::from(
        "page  story            chars  lines  avail  overset  under  loose  forced  widows\n",
    );
    for s in &t.stories {
        let (oc, ol) = s.overset.as_ref().map_or((0, 0), |o| (o.chars, o.lines));
        out.push_str(&format!(
            "{:>4}  {:<15} {:>6} {:>6} {:>6} {:>8} {:>6} {:>6} {:>7} {:>7}\n",
            t.page_of(s).map(|n| n.to_string()).unwrap_or_default(),
            s.id,
            s.chars,
            s.lines_set,
            s.lines_available,
            if ol > 0 {
                format!("{oc}c/{ol}l")
            } else {
                "-".into()
            },
            s.underset,
            s.loose_lines,
            s.forced_lines,
            s.widows
        ));
    }
    for d in &t.depths {
        let id = d.file.file_stem().map(|n| n.to_string_lossy().into_owned());
        out.push_str(&format!(
            "{:>4}  auto  {:<15} lines {}-{} ({}; could reach {})\n",
            d.page,
            id.unwrap_or_default(),
            d.area.lines.0,
            d.area.lines.1,
            crate::units::count((d.area.lines.1 - d.area.lines.0 + 1) as usize, "line"),
            d.deepest
        ));
    }
    for (page, plan) in t.pages.iter().zip(&t.edition.pages) {
        for crate::page::PhotoResolution {
            file: path,
            ppi,
            caption_source,
        } in &page.photo_ppi
        {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push_str(&format!(
                "{:>4}  photo {:<21} {:>5.0} ppi  caption {caption_source}\n",
                plan.number, name, ppi
            ));
        }
    }
    for (page, plan) in t.pages.iter().zip(&t.edition.pages) {
        for ad in &page.ads {
            let name = ad
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push_str(&format!(
                "{:>4}  ad    {:<21} {} {:.0}×{:.0} mm  inks {}{}  {}\n",
                plan.number,
                name,
                ad.class.name(),
                ad.size.0 * 25.4 / 72.0,
                ad.size.1 * 25.4 / 72.0,
                ad.inks.map_or("?".into(), |i| ink_names(i).join(" ")),
                if ad.scaled { "  scaled" } else { "" },
                ad.advertiser
            ));
        }
        let inks = ink_names(crate::furniture::page_inks(page));
        let kind = if inks == ["K"] { "mono" } else { "colour" };
        out.push_str(&format!(
            "{:>4}  inks  {:<15} ({kind} page)\n",
            plan.number,
            inks.join(" ")
        ));
    }
    out
}

/// The names of the inks used: C, M, Y, K.
fn ink_names(inks: [bool; 4]) -> Vec<&'static str> {
    ["C", "M", "Y", "K"]
        .into_iter()
        .zip(inks)
        .filter_map(|(n, used)| used.then_some(n))
        .collect()
}

/// The report as JSON (`ok` is false when any error-level finding exists).
pub fn copyfit_json(t: &Typeset) -> Value {
    let stories: Vec<Value> = t
        .stories
        .iter()
        .map(|s| {
            let (oc, ol) = s.overset.as_ref().map_or((0, 0), |o| (o.chars, o.lines));
            json!({
                "id": s.id,
                "file": s.file.display().to_string(),
                "page": t.page_of(s),
                "chars": s.chars,
                "lines_set": s.lines_set,
                "lines_available": s.lines_available,
                "overset_chars": oc,
                "overset_lines": ol,
                "underset_lines": s.underset,
                "loose_lines": s.loose_lines,
                "forced_lines": s.forced_lines,
                "widows": s.widows,
            })
        })
        .collect();
    let pages: Vec<Value> = t
        .pages
        .iter()
        .zip(&t.edition.pages)
        .map(|(page, plan)| {
            let photos: Vec<Value> = page
                .photo_ppi
                .iter()
                .map(|r| {
                    json!({
                        "file": r.file.display().to_string(),
                        "ppi": (f64::from(r.ppi) * 10.0).round() / 10.0,
                        "caption_source": r.caption_source,
                    })
                })
                .collect();
            json!({
                "number": plan.number,
                "plan": plan.path.display().to_string(),
                "photos": photos,
                "inks": ink_names(crate::furniture::page_inks(page)),
            })
        })
        .collect();
    let errors: Vec<Value> = t
        .overset()
        .iter()
        .chain(&t.empty_frames())
        .map(|l| finding_of_line(Severity::Error, l))
        .collect();
    let mut warnings = t.underset();
    warnings.extend(t.notes());
    warnings.extend(low_resolution(t));
    let warnings: Vec<Value> = warnings
        .iter()
        .map(|l| finding_of_line(Severity::Warning, l))
        .collect();
    let mm = |pt: f32| (f64::from(pt) * 25.4 / 72.0 * 10.0).round() / 10.0;
    let ads: Vec<Value> = t
        .pages
        .iter()
        .zip(&t.edition.pages)
        .flat_map(|(page, plan)| {
            page.ads.iter().map(move |a| {
                json!({
                    "page": plan.number,
                    "file": a.file.display().to_string(),
                    "advertiser": a.advertiser,
                    "class": a.class.name(),
                    "inks": a.inks.map(ink_names),
                    "width_mm": mm(a.size.0),
                    "height_mm": mm(a.size.1),
                    "slot_width_mm": mm(a.slot.0),
                    "slot_height_mm": mm(a.slot.1),
                    "scaled": a.scaled,
                })
            })
        })
        .collect();
    let auto_frames: Vec<Value> = t.depths.iter().map(depth_json).collect();
    json!({
        "edition": t.edition.name,
        "ok": errors.is_empty(),
        "stories": stories,
        "pages": pages,
        "ads": ads,
        "auto_frames": auto_frames,
        "errors": errors,
        "warnings": warnings,
    })
}

/// `check --fit`: per story, the characters its frames take and set, and what to cut or add.
pub fn fit_table(fits: &[crate::fit::FrameFit]) -> String {
    let mut out =
        String::from("page  story              fits    set  chars    cut    add  frames\n");
    for f in fits {
        out.push_str(&format!(
            "{:>4}  {:<15} {:>7} {:>6} {:>6} {:>6} {:>6}  {}\n",
            f.page,
            f.id,
            f.fits,
            f.set,
            f.chars,
            if f.cut > 0 {
                f.cut.to_string()
            } else {
                "-".into()
            },
            if f.add > 0 {
                f.add.to_string()
            } else {
                "-".into()
            },
            frame_names(f).join("; ")
        ));
    }
    out
}

/// A story's frames as `p5 columns 1-4, lines 20-60`.
fn frame_names(f: &crate::fit::FrameFit) -> Vec<String> {
    f.frames.iter().map(|(n, a)| format!("p{n} {a}")).collect()
}

/// `check --fit --format json`: the `fit` array of the report.
pub fn fit_json(fits: &[crate::fit::FrameFit]) -> Value {
    fits.iter()
        .map(|f| {
            json!({
                "id": f.id,
                "file": f.file.display().to_string(),
                "page": f.page,
                "frames": frame_names(f),
                "fits": f.fits,
                "set": f.set,
                "chars": f.chars,
                "cut": f.cut,
                "add": f.add,
            })
        })
        .collect()
}

/// An auto frame (`lines = "N-auto"`) as its copy settled it.
fn depth_json(d: &crate::fit::SettledDepth) -> Value {
    json!({
        "page": d.page,
        "file": d.file.display().to_string(),
        "columns": format!("{}-{}", d.area.columns.0, d.area.columns.1),
        "lines": format!("{}-{}", d.area.lines.0, d.area.lines.1),
        "deepest": d.deepest,
    })
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build fails (or, with `--allow-overset`, writes a page with copy left out).
    Error,
    /// Worth a look; the page is made.
    Warning,
}

impl Severity {
    fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A finding as a JSON object (`file`, `line`, `column`, `hint` null when unknown).
fn finding(
    severity: Severity,
    (file, line, column): (Option<String>, Option<usize>, Option<usize>),
    message: &str,
    hint: Option<&str>,
) -> Value {
    json!({
        "severity": severity.name(),
        "file": file,
        "line": line,
        "column": column,
        "message": message,
        "hint": hint,
    })
}

/// A report line `FILE: message` (with an optional `\n  = hint: …`) as a finding.
fn finding_of_line(severity: Severity, line: &str) -> Value {
    let (text, hint) = match line.split_once("\n  = hint: ") {
        Some((t, h)) => (t, Some(h)),
        None => (line, None),
    };
    match text.split_once(": ") {
        Some((file, message)) if !file.contains(' ') || std::path::Path::new(file).exists() => {
            finding(
                severity,
                (Some(file.to_string()), None, None),
                message,
                hint,
            )
        }
        _ => finding(severity, (None, None, None), text, hint),
    }
}

/// The findings of an error: each diagnostic of it (all of a plan's faults), with its place.
pub fn error_findings(e: &crate::Error) -> Vec<Value> {
    use crate::Error;
    match e {
        Error::Input(d) | Error::MissingGlyph(d) | Error::Font(d) => {
            let (line, column) = d.position.unzip();
            vec![finding(
                Severity::Error,
                (Some(d.path.display().to_string()), line, column),
                &d.message,
                d.hint.as_deref(),
            )]
        }
        Error::Many(all) => all.iter().flat_map(error_findings).collect(),
        Error::Overset(text) => text
            .split("\n  = hint: ")
            .next()
            .unwrap_or("")
            .lines()
            .map(|l| finding_of_line(Severity::Error, l))
            .collect(),
        other => vec![finding(
            Severity::Error,
            (None, None, None),
            &other.to_string(),
            None,
        )],
    }
}

/// The JSON for an input that could not be laid out at all (`edition`: the name its PDF would
/// have had).
pub fn error_json(edition: &str, e: &crate::Error) -> Value {
    json!({
        "edition": edition,
        "ok": false,
        "stories": [],
        "pages": [],
        "ads": [],
        "auto_frames": [],
        "errors": error_findings(e),
        "warnings": [],
    })
}
