//! Budget files (`paiban makeup BUDGET`): what a page must carry — the page's layout, number,
//! section and date, booked ads in fixed slots, and stories with priorities and photos.
//!
//! The budget's own keys are those of a page plan, so everything but its `[[story]]` tables
//! is read by the plan loader (ads checked against the grid and each other, with the budget's
//! lines and columns); the stories are read here.

use crate::error::{read_text, toml_diagnostic, Diagnostic, Error, Result};
use crate::model::{parse_story, PagePlan, Story};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A loaded budget.
#[derive(Debug, Clone)]
pub struct Budget {
    /// The budget file.
    pub path: PathBuf,
    /// The page as booked: layout, number, section, date and ads, no stories.
    pub page: PagePlan,
    /// The layout as the budget names it.
    pub layout: String,
    /// Stories, most important first (by priority, then budget order).
    pub stories: Vec<BudgetStory>,
}

/// A story the page must carry.
#[derive(Debug, Clone)]
pub struct BudgetStory {
    /// The story file (resolved against the budget's folder).
    pub file: PathBuf,
    /// The file as the budget writes it.
    pub written: String,
    /// 1 = the lead; higher numbers are less prominent.
    pub priority: u32,
    /// Its photo, if any.
    pub photo: Option<BudgetPhoto>,
    /// The story as parsed.
    pub story: Story,
    /// Its source text.
    pub source: String,
    /// Where the budget names it, for messages (message left empty).
    pub at: Box<Diagnostic>,
}

/// A story's photo.
#[derive(Debug, Clone)]
pub struct BudgetPhoto {
    /// The photo file (resolved).
    pub file: PathBuf,
    /// The file as the budget writes it.
    pub written: String,
    /// Caption (`None`: the photo's metadata, as in a plan).
    pub caption: Option<String>,
    /// Credit.
    pub credit: Option<String>,
    /// Pixel width and height as shown.
    pub pixels: (u32, u32),
}

#[derive(Deserialize)]
struct RawBudget {
    layout: String,
    #[serde(default)]
    story: Vec<RawStory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStory {
    file: Spanned<String>,
    priority: Spanned<u32>,
    photo: Option<RawPhoto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhoto {
    file: Spanned<String>,
    caption: Option<String>,
    credit: Option<String>,
}

/// The most stories a budget may list (the search grows with every one).
pub const MAX_STORIES: usize = 12;

/// Reads a budget: its page (through the plan loader), then its stories and photos.
pub fn load_budget(path: &Path) -> Result<Budget> {
    let src = read_text(path)?;
    let page = crate::model::plan::parse_plan(path, &without_stories(&src))?;
    let raw: RawBudget = toml::from_str(&src).map_err(|e| toml_diagnostic(path, &src, 0, &e))?;
    let at = |offset: usize, msg: String| Diagnostic::at(path, &src, offset, msg);
    if raw.story.is_empty() || raw.story.len() > MAX_STORIES {
        return Err(Diagnostic::file(
            path,
            format!(
                "a budget lists 1 to {MAX_STORIES} [[story]] tables, this one {}",
                raw.story.len()
            ),
        )
        .into());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut stories = Vec::new();
    let mut errors = Vec::new();
    for r in &raw.story {
        match budget_story(dir, r, &at) {
            Ok(s) => stories.push(s),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    if !stories.iter().any(|s| s.priority == 1) {
        let first = raw.story.first().map_or(0, |r| r.priority.span().start);
        return Err(at(first, "no story has `priority = 1` (the lead)".into())
            .with_hint("give the page's most important story priority = 1")
            .into());
    }
    // Most important first; the budget's order breaks ties (a stable sort).
    stories.sort_by_key(|s| s.priority);
    Ok(Budget {
        path: path.to_path_buf(),
        page,
        layout: raw.layout,
        stories,
    })
}

/// One `[[story]]`: its file read and parsed, its photo's size read.
fn budget_story(
    dir: &Path,
    r: &RawStory,
    at: &dyn Fn(usize, String) -> Diagnostic,
) -> Result<BudgetStory> {
    let file = existing(dir, &r.file, "story", at)?;
    let source = read_text(&file)?;
    let story = parse_story(&file, &source)?;
    let photo = match &r.photo {
        Some(p) => {
            let pfile = existing(dir, &p.file, "photo", at)?;
            let loaded = crate::image::load_photo(&pfile)?;
            Some(BudgetPhoto {
                file: pfile,
                written: p.file.get_ref().clone(),
                caption: p.caption.clone(),
                credit: p.credit.clone(),
                pixels: (loaded.width, loaded.height),
            })
        }
        None => None,
    };
    if *r.priority.get_ref() == 0 {
        return Err(at(
            r.priority.span().start,
            "`priority = 0`: priorities start at 1 (the lead)".into(),
        )
        .into());
    }
    Ok(BudgetStory {
        file,
        written: r.file.get_ref().clone(),
        priority: *r.priority.get_ref(),
        photo,
        story,
        source,
        at: Box::new(at(r.file.span().start, String::new())),
    })
}

/// `file` resolved against the budget's folder: a regular file, else an error at its line.
fn existing(
    dir: &Path,
    file: &Spanned<String>,
    what: &str,
    at: &dyn Fn(usize, String) -> Diagnostic,
) -> Result<PathBuf> {
    let p = crate::fs::tidy(&dir.join(file.get_ref()));
    if let Err(problem) = crate::error::regular_file(&p) {
        let msg = problem.describe(&format!("{what} file `{}`", file.get_ref()));
        return Err(at(file.span().start, msg)
            .with_hint(format!(
                "paths are relative to the budget's folder: looked for {}",
                p.display()
            ))
            .into());
    }
    Ok(p)
}

/// The budget's text with its `[[story]]` tables blanked out (each character a space, lines
/// kept), so that what is left reads as a page plan with the budget's own lines and columns.
fn without_stories(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut in_story = false;
    for line in src.split_inclusive('\n') {
        let head = line.trim_start();
        if head.starts_with('[') {
            let name = head.trim_start_matches('[').trim_start();
            in_story = name.starts_with("story]") || name.starts_with("story.");
        }
        if in_story {
            out.extend(line.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_stories;

    #[test]
    fn stories_are_blanked_lines_kept() {
        let src = "layout = \"broadsheet\"\n[[story]]\nfile = \"a.md\"\n[[ad]]\nfile = \"x.pdf\"\n";
        let out = without_stories(src);
        assert_eq!(out.lines().count(), src.lines().count());
        assert!(out.contains("[[ad]]") && !out.contains("a.md"));
        assert_eq!(out.len(), src.len());
    }
}
