//! The whole pipeline for an edition: load → flow → compose → PDF, and the copy-fit report.

use crate::compose::{compose, Page};
use crate::error::{Diagnostic, Error, Result};
use crate::flow::{flow, FlowedStory};
use crate::fonts::FontBook;
use crate::model::{load_edition, load_story, Edition, Story};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A typeset edition: composed pages and, per page, the flowed stories.
pub struct Typeset {
    /// The loaded edition.
    pub edition: Edition,
    /// The fonts the pages use.
    pub book: FontBook,
    /// Composed pages in order.
    pub pages: Vec<Page>,
    /// Flowed stories per page.
    pub stories: Vec<Vec<FlowedStory>>,
}

impl Typeset {
    /// Stories with copy left over, as a report line each.
    pub fn overset(&self) -> Vec<String> {
        self.stories
            .iter()
            .zip(&self.edition.pages)
            .flat_map(|(ss, plan)| {
                ss.iter().filter_map(move |s| {
                    s.overset.as_ref().map(|o| {
                        format!(
                            "{}: story `{}` is overset by {} characters ({} lines) on page {}",
                            plan.path.display(),
                            s.id,
                            o.chars,
                            o.lines,
                            plan.number
                        )
                    })
                })
            })
            .collect()
    }
}

/// Loads and lays out an edition (a folder with edition.toml, an edition file or a page plan).
pub fn typeset(input: &Path) -> Result<Typeset> {
    let edition = load_edition(input)?;
    let fonts = edition
        .pages
        .first()
        .map(|p| p.layout.fonts.clone())
        .unwrap_or_default();
    for p in &edition.pages {
        if p.layout.fonts != fonts {
            return Err(Diagnostic::file(
                &p.path,
                "this page's layout uses other fonts than the first page's",
            )
            .with_hint("use layouts with the same [fonts] within one edition")
            .into());
        }
    }
    let book = FontBook::new(&fonts);
    let mut cache: BTreeMap<PathBuf, (Story, String)> = BTreeMap::new();
    let mut pages = Vec::new();
    let mut all = Vec::new();
    for plan in &edition.pages {
        let mut stories = Vec::new();
        for s in &plan.stories {
            if !cache.contains_key(&s.file) {
                let story = load_story(&s.file)?;
                let src = std::fs::read_to_string(&s.file).unwrap_or_default();
                cache.insert(s.file.clone(), (story, src));
            }
            if let Some(v) = cache.get(&s.file) {
                if !stories
                    .iter()
                    .any(|(st, _): &(Story, String)| st.id == v.0.id)
                {
                    stories.push(v.clone());
                }
            }
        }
        let flowed = flow(plan, &stories, &book)?;
        pages.push(compose(plan, &edition.paper, &flowed, &book)?);
        all.push(flowed);
    }
    Ok(Typeset {
        edition,
        book,
        pages,
        stories: all,
    })
}

/// Builds the edition's PDF into `out_dir`; returns the PDF's path. Overset fails the build
/// unless `allow_overset`; then nothing is written.
pub fn build(input: &Path, out_dir: &Path, allow_overset: bool) -> Result<(PathBuf, Typeset)> {
    let t = typeset(input)?;
    let overset = t.overset();
    if !overset.is_empty() && !allow_overset {
        return Err(Error::Overset(format!(
            "{}\n  = hint: cut the copy, enlarge the frame, or pass --allow-overset",
            overset.join("\n")
        )));
    }
    let bytes = crate::pdf::write_pdf(&t.pages, &t.book, &t.edition.name)?;
    let path = out_dir.join(format!("{}.pdf", t.edition.name));
    crate::pdf::write_atomic(&path, &bytes)?;
    Ok((path, t))
}

/// A copy-fit table: per story, characters, lines set and available, overset.
pub fn copyfit_table(t: &Typeset) -> String {
    let mut out =
        String::from("page  story            chars  lines  avail  overset  loose  forced\n");
    for (plan, ss) in t.edition.pages.iter().zip(&t.stories) {
        for s in ss {
            let (oc, ol) = s.overset.as_ref().map_or((0, 0), |o| (o.chars, o.lines));
            out.push_str(&format!(
                "{:>4}  {:<15} {:>6} {:>6} {:>6} {:>8} {:>6} {:>7}\n",
                plan.number,
                s.id,
                s.chars,
                s.lines_set,
                s.lines_available,
                if ol > 0 {
                    format!("{oc}c/{ol}l")
                } else {
                    "-".into()
                },
                s.loose_lines,
                s.forced_lines
            ));
        }
    }
    out
}
