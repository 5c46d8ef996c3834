//! Reports: the copy-fit and preflight report of a typeset edition, as a table for people and
//! as JSON for newsroom systems (schema in the README, "paiban check --format json").

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
    for (page, plan) in t.pages.iter().zip(&t.edition.pages) {
        for crate::page::PhotoResolution { file: path, ppi } in &page.photo_ppi {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push_str(&format!(
                "{:>4}  photo {:<21} {:>5.0} ppi\n",
                plan.number, name, ppi
            ));
        }
    }
    out
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
                .map(|r| json!({"file": r.file.display().to_string(), "ppi": (f64::from(r.ppi) * 10.0).round() / 10.0}))
                .collect();
            json!({"number": plan.number, "plan": plan.path.display().to_string(), "photos": photos})
        })
        .collect();
    let mut errors = t.overset();
    errors.extend(t.empty_frames());
    let mut warnings = t.underset();
    warnings.extend(t.notes());
    warnings.extend(low_resolution(t));
    json!({
        "edition": t.edition.name,
        "ok": errors.is_empty(),
        "stories": stories,
        "pages": pages,
        "errors": errors,
        "warnings": warnings,
    })
}

/// The JSON for an input that could not be laid out at all.
pub fn error_json(message: &str) -> Value {
    json!({"ok": false, "stories": [], "pages": [], "errors": [message], "warnings": []})
}
