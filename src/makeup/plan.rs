//! A candidate written as an ordinary page plan (TOML), the desk's to edit and build.

use super::budget::Budget;
use super::search::Arrangement;
use super::units::style_for;
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

/// The plan's text: the budget's page and ads, then each story and its photo. `plan` is where
/// it will be written (paths are made relative to its folder); `header` heads it as comments.
pub fn plan_text(budget: &Budget, a: &Arrangement, plan: &Path, header: &[String]) -> String {
    let dir = plan.parent().unwrap_or(Path::new("."));
    let page = &budget.page;
    let mut out = String::new();
    for h in header {
        let _ = writeln!(out, "# {h}");
    }
    let layout = if budget.layout.ends_with(".toml") {
        let from = budget.path.parent().unwrap_or(Path::new("."));
        relative(dir, &from.join(&budget.layout))
    } else {
        budget.layout.clone()
    };
    let _ = writeln!(out, "layout = {}", quote(&layout));
    let _ = writeln!(out, "number = {}", page.number);
    let _ = writeln!(out, "section = {}", quote(&page.section));
    let _ = writeln!(out, "date = {}", quote(&page.date));
    for ad in &page.ads {
        let _ = writeln!(out, "\n[[ad]]");
        let _ = writeln!(out, "file = {}", quote(&relative(dir, &ad.file)));
        if ad.page != 1 {
            let _ = writeln!(out, "page = {}", ad.page);
        }
        let _ = writeln!(
            out,
            "columns = \"{}-{}\"",
            ad.area.columns.0, ad.area.columns.1
        );
        let _ = writeln!(out, "lines = \"{}-{}\"", ad.area.lines.0, ad.area.lines.1);
        let _ = writeln!(out, "class = {}", quote(ad.class.name()));
        if !ad.advertiser.is_empty() {
            let _ = writeln!(out, "advertiser = {}", quote(&ad.advertiser));
        }
        if ad.scale {
            let _ = writeln!(out, "scale = true");
        }
    }
    for p in &a.placed {
        let Some(s) = budget.stories.get(p.story) else {
            continue;
        };
        let _ = writeln!(out, "\n[[story]]   # priority {}", s.priority);
        let _ = writeln!(out, "file = {}", quote(&relative(dir, &s.file)));
        let f = p.frame;
        let _ = writeln!(out, "columns = \"{}-{}\"", f.columns.0, f.columns.1);
        let _ = writeln!(out, "lines = \"{}-{}\"", f.lines.0, f.lines.1);
        let style = style_for(&page.layout, s.priority);
        let _ = writeln!(out, "headline_style = {}", quote(&style));
        if let (Some(area), Some(photo)) = (p.photo, &s.photo) {
            let _ = writeln!(out, "\n[[photo]]");
            let _ = writeln!(out, "file = {}", quote(&relative(dir, &photo.file)));
            let _ = writeln!(out, "columns = \"{}-{}\"", area.columns.0, area.columns.1);
            let _ = writeln!(out, "lines = \"{}-{}\"", area.lines.0, area.lines.1);
            if let Some(c) = &photo.caption {
                let _ = writeln!(out, "caption = {}", quote(c));
            }
            if let Some(c) = &photo.credit {
                let _ = writeln!(out, "credit = {}", quote(c));
            }
        }
    }
    out
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `file` as a path from `dir` (both made absolute first; absolute when they share nothing
/// but the root), with `/` between its parts.
pub fn relative(dir: &Path, file: &Path) -> String {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|a| crate::fs::tidy(&a))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (d, f) = (abs(dir), abs(file));
    let dc: Vec<Component> = d.components().collect();
    let fc: Vec<Component> = f.components().collect();
    let common = dc.iter().zip(&fc).take_while(|(a, b)| a == b).count();
    let roots = dc
        .iter()
        .take_while(|c| matches!(c, Component::RootDir | Component::Prefix(_)))
        .count();
    if common <= roots {
        return f.to_string_lossy().into_owned();
    }
    let mut out = PathBuf::new();
    for _ in common..dc.len() {
        out.push("..");
    }
    for c in fc.iter().skip(common) {
        out.push(c.as_os_str());
    }
    out.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_plan() {
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/b/s/x.md")),
            "s/x.md"
        );
        assert_eq!(
            relative(Path::new("/a/c"), Path::new("/a/b/x.md")),
            "../b/x.md"
        );
        assert_eq!(quote("a\"b\n"), "\"a\\\"b\\n\"");
    }
}
