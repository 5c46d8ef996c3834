//! Font coverage of a whole edition: when a character no font of the layout has stops a
//! build, every such character of the edition is reported at once — in every story, caption,
//! credit, header, text block and masthead info line — each at its first place in its file
//! with how often it occurs there, so a desk fixes (or finds a font for) all of them in one
//! go instead of one per build (issue 19).

use crate::error::{Diagnostic, Error};
use crate::fonts::FontBook;
use crate::model::{Edition, Story};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every character of the edition no font has, as one error per file and character (in
/// file order, then first place); `None` when there is none (the fault lay elsewhere).
pub fn missing_characters(
    edition: &Edition,
    stories: &BTreeMap<PathBuf, (Story, String)>,
    book: &FontBook,
) -> Option<Error> {
    let fullwidth = edition
        .pages
        .first()
        .is_some_and(|p| p.layout.text.fullwidth_ascii);
    let mut texts: Vec<(&Path, Vec<String>)> = Vec::new();
    for (file, (story, _)) in stories {
        let mut all: Vec<String> = [
            &story.kicker,
            &story.subhead,
            &story.byline,
            &story.continued,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        all.push(story.headline.clone());
        all.extend(story.blocks.iter().map(|b| b.text().to_string()));
        texts.push((file, all));
    }
    for plan in &edition.pages {
        let mut all = vec![plan.section.clone(), plan.date.clone()];
        for p in &plan.photos {
            all.extend(p.caption.iter().cloned());
            all.extend(p.credit.iter().cloned());
        }
        all.extend(plan.texts.iter().map(|t| t.text.clone()));
        texts.push((&plan.path, all));
        if let Some(m) = plan.layout.masthead.as_ref().filter(|_| plan.masthead) {
            texts.push((&plan.layout.source, m.info.clone()));
        }
    }
    texts.push((&edition.file, vec![edition.paper.clone()]));
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (file, parts) in texts {
        // Each missing character once per file, in the order met.
        let mut missing: Vec<char> = Vec::new();
        for part in &parts {
            let t = crate::shape::class::normalize(part, fullwidth);
            for c in t.chars() {
                if c.is_whitespace() || c.is_control() || missing.contains(&c) {
                    continue;
                }
                if let Ok(None) = book.resolve(0, c) {
                    missing.push(c);
                }
            }
        }
        if missing.is_empty() || !seen.insert(file.to_path_buf()) {
            continue;
        }
        let source = std::fs::read_to_string(file).unwrap_or_default();
        for c in missing {
            let times = source.matches(c).count().max(1);
            let offset = source.find(c).unwrap_or(0);
            errors.push(Error::MissingGlyph(Box::new(
                Diagnostic::at(
                    file,
                    &source,
                    offset,
                    format!(
                        "no font of the layout has `{c}` (U+{:04X}){}",
                        c as u32,
                        if times > 1 {
                            format!(", {times} times in this file")
                        } else {
                            String::new()
                        }
                    ),
                )
                .with_hint(
                    "replace the character, or add a font that has it to the layout's [fonts]",
                ),
            )));
        }
    }
    (!errors.is_empty()).then(|| Error::many(errors))
}
