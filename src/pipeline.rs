//! The whole pipeline for an edition: load → flow → compose → PDF, and the copy-fit report.

use crate::compose::compose;
use crate::error::read_text;
use crate::error::{Diagnostic, Error, Result};
use crate::flow::{flow, FlowedStory};
use crate::fonts::FontBook;
use crate::model::{load_edition, parse_story, Edition, Story};
use crate::page::Page;
use crate::pdf::pdfx::{newsprint, PdfX, Stamp};
use crate::pdf::PdfOptions;
use crate::segment::Words;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Underset above this many grid lines is a warning.
pub const UNDERSET_WARN: u32 = 3;

/// A typeset edition: composed pages and the stories flowed through their frames.
pub struct Typeset {
    /// The loaded edition.
    pub edition: Edition,
    /// The fonts the pages use.
    pub book: FontBook,
    /// Composed pages in order.
    pub pages: Vec<Page>,
    /// Stories flowed through their frames, in edition order.
    pub stories: Vec<FlowedStory>,
    /// Time taken by each stage (for `-v`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// Colour transforms built while its photos are prepared (for its PDFs and proofs).
    pub transforms: crate::image::colour::Transforms,
    /// Frames given `lines = "N-auto"`, as their copy settled them.
    pub depths: Vec<crate::fit::SettledDepth>,
    /// The stories' copy as loaded (for measuring fit).
    pub copy: crate::fit::Copy,
}

impl Typeset {
    /// Stories with copy left over, as a report line each.
    pub fn overset(&self) -> Vec<String> {
        self.stories
            .iter()
            .filter_map(|s| {
                s.overset.as_ref().map(|o| {
                    let page = self
                        .page_of(s)
                        .map(|n| format!(" after its last frame on page {n}"));
                    let page = page.map(|p| p + &self.continues_elsewhere(s));
                    format!(
                        "{}: story `{}` is overset by {} ({}){}",
                        s.file.display(),
                        s.id,
                        count(o.chars, "character"),
                        count(o.lines, "line"),
                        page.unwrap_or_default()
                    )
                })
            })
            .collect()
    }

    /// For a story of a one-page build that its edition places on other pages too: where it
    /// continues, and what to do (else empty).
    fn continues_elsewhere(&self, s: &FlowedStory) -> String {
        let same = |f: &Path| {
            f == s.file
                || f.canonicalize()
                    .ok()
                    .is_some_and(|a| Some(a) == s.file.canonicalize().ok())
        };
        let pages: Vec<String> = self
            .edition
            .elsewhere
            .iter()
            .filter(|e| same(&e.story))
            .map(|e| format!("第{}版 ({})", e.number, e.plan.display()))
            .collect();
        if pages.is_empty() {
            return String::new();
        }
        format!(
            "; it continues on {} of the edition, not built here: build the edition, or pass \
             --allow-overset for this page alone",
            pages.join(", ")
        )
    }

    /// Frames that the copy of their story never reached (天窗), as an error line each.
    pub fn empty_frames(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.stories {
            for &k in &s.empty_frames {
                let Some((page, a)) = s.frames.get(k) else {
                    continue;
                };
                let number = self.edition.pages.get(*page).map_or(0, |p| p.number);
                out.push(format!(
                    "{}: story `{}` ends before its frame on page {number} ({a}), which stays \
                     empty (天窗)",
                    s.file.display(),
                    s.id,
                ));
            }
        }
        out
    }

    /// Stories whose last frame is more than a few lines short, as a warning line each.
    pub fn underset(&self) -> Vec<String> {
        self.stories
            .iter()
            .filter(|s| s.underset > UNDERSET_WARN)
            .map(|s| {
                format!(
                    "{}: story `{}` is underset: {} empty lines at the foot of its last frame",
                    s.file.display(),
                    s.id,
                    s.underset
                )
            })
            .collect()
    }

    /// Typographic notes of the stories (headlines set smaller or narrower to break by
    /// sense, or breaking against it), then notes on the placed photos (a colour profile
    /// that does not fit the picture), as a warning line each.
    pub fn notes(&self) -> Vec<String> {
        let mut out: Vec<String> = self.stories.iter().flat_map(|s| s.notes.clone()).collect();
        out.extend(self.pages.iter().flat_map(|p| p.notes.iter().cloned()));
        let mut seen = std::collections::HashSet::new();
        for page in &self.pages {
            for item in &page.items {
                if let crate::page::Item::Image { photo, .. } = item {
                    if seen.insert(&photo.path) {
                        out.extend(photo.notes.iter().cloned());
                    }
                }
            }
        }
        out
    }

    /// The page number (版次) of a story's last frame.
    pub fn page_of(&self, s: &FlowedStory) -> Option<u32> {
        s.frames
            .last()
            .and_then(|(p, _)| self.edition.pages.get(*p))
            .map(|p| p.number)
    }
}

/// `n` and its noun, in the plural unless `n` is 1: "1 line", "2 lines".
pub fn count(n: usize, noun: &str) -> String {
    crate::units::count(n, noun)
}

/// Refuses an output folder that exists as something else (a file named like it).
pub fn output_folder(out_dir: &Path) -> Result<()> {
    match std::fs::metadata(out_dir) {
        Ok(m) if !m.is_dir() => Err(Diagnostic::file(
            out_dir,
            "the output folder (-o) is a file, not a folder",
        )
        .with_hint("-o names the folder the PDFs go into; choose a folder")
        .into()),
        _ => Ok(()),
    }
}

/// Loads and lays out an edition (a folder with edition.toml, an edition file or a page plan),
/// segmenting its copy afresh.
pub fn typeset(input: &Path) -> Result<Typeset> {
    typeset_with(input, &Words::in_memory())
}

/// [`typeset`] with word segmentations from (and kept in) `words`.
pub fn typeset_with(input: &Path, words: &Words) -> Result<Typeset> {
    let start = std::time::Instant::now();
    let edition = load_edition(input)?;
    typeset_edition(edition, words, start)
}

/// Lays out an edition already loaded (a page plan made in memory, say), reading its stories.
pub fn typeset_loaded(edition: Edition, words: &Words) -> Result<Typeset> {
    typeset_edition(edition, words, std::time::Instant::now())
}

/// The stages after loading: stories read, auto frames settled, flow, compose (`start`: when
/// loading began, for the first lap).
fn typeset_edition(
    mut edition: Edition,
    words: &Words,
    start: std::time::Instant,
) -> Result<Typeset> {
    let mut clock = start;
    let mut timings = Vec::new();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, std::time::Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    // Every page's fonts in one book: each file subset once for the document.
    let book = FontBook::for_layouts(edition.pages.iter().map(|p| &p.layout));
    // Each story file read and parsed once, on both cores.
    // (In plan order, so the first broken story reported is the first the plans name.)
    let mut seen = std::collections::HashSet::new();
    let files: Vec<&PathBuf> = edition
        .pages
        .iter()
        .flat_map(|p| p.stories.iter().map(|s| &s.file))
        .filter(|f| seen.insert(*f))
        .collect();
    let parsed = crate::par::par_map(&files, |f| {
        let src = read_text(f)?;
        parse_story(f, &src).map(|story| (story, src))
    });
    let mut stories: BTreeMap<PathBuf, (Story, String)> = BTreeMap::new();
    for (f, r) in files.iter().zip(parsed) {
        stories.insert((*f).clone(), r?);
    }
    lap("load", &mut timings);
    let depths = match crate::fit::settle_depths(&mut edition, &stories, (&book, words)) {
        Err(Error::MissingGlyph(d)) => {
            let e = Error::MissingGlyph(d);
            return Err(
                crate::coverage::missing_characters(&edition, &stories, &book).unwrap_or(e),
            );
        }
        other => other?,
    };
    // A character no font has: every one of the edition reported at once.
    let all_missing = |e: Error| match e {
        Error::MissingGlyph(_) => {
            crate::coverage::missing_characters(&edition, &stories, &book).unwrap_or(e)
        }
        e => e,
    };
    let flowed = flow(&edition, &stories, (&book, words)).map_err(all_missing)?;
    lap("flow", &mut timings);
    // Pages compose independently: on both cores, photos read once.
    let photos = crate::image::Photos::default();
    let numbered: Vec<(usize, &crate::model::PagePlan)> =
        edition.pages.iter().enumerate().collect();
    let pages = crate::par::par_map(&numbered, |(i, plan)| {
        compose(plan, *i, &edition, &flowed, (&book, &photos, words))
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()
    .map_err(all_missing)?;
    lap("compose", &mut timings);
    Ok(Typeset {
        edition,
        book,
        pages,
        stories: flowed,
        timings,
        transforms: Default::default(),
        depths,
        copy: stories,
    })
}

/// What a build writes besides the layout.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Write the PDF even when copy is overset.
    pub allow_overset: bool,
    /// One PDF per page.
    pub split: bool,
    /// PDF/X level, overriding the layout's.
    pub pdfx: Option<PdfX>,
    /// Crop marks outside the bleed, for proofs.
    pub marks: bool,
    /// Keep prepared photos between builds in `<out>/.paiban-cache`.
    pub cache: bool,
}

/// The document date: `SOURCE_DATE_EPOCH` when set, else the edition's date, else 1970-01-01
/// (never the clock, so the same input gives the same bytes).
pub fn document_stamp(edition: &Edition) -> Stamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Stamp::from_epoch)
        .or_else(|| Stamp::from_date_text(&edition.date))
        .or_else(|| {
            edition
                .pages
                .first()
                .and_then(|p| Stamp::from_date_text(&p.date))
        })
        .unwrap_or(Stamp::from_epoch(0))
}

/// The PDF settings for an edition.
pub fn pdf_options<'a>(
    t: &'a Typeset,
    opts: &BuildOptions,
    cache: Option<&'a Path>,
) -> PdfOptions<'a> {
    let out = t
        .edition
        .pages
        .first()
        .map(|p| p.layout.output)
        .unwrap_or_default();
    PdfOptions {
        title: &t.edition.name,
        level: opts.pdfx.unwrap_or(out.pdfx),
        stamp: document_stamp(&t.edition),
        output: newsprint(),
        max_ppi: out.max_ppi,
        marks: opts.marks,
        compression: 1,
        cache,
        proof_ppi: None,
        transforms: &t.transforms,
    }
}

/// Photos below the layout's minimum effective resolution, as a warning line each.
pub fn low_resolution(t: &Typeset) -> Vec<String> {
    let mut out = Vec::new();
    for (page, plan) in t.pages.iter().zip(&t.edition.pages) {
        for crate::page::PhotoResolution {
            file: path, ppi, ..
        } in &page.photo_ppi
        {
            if *ppi < plan.layout.output.min_ppi {
                out.push(format!(
                    "{}: photo at {:.0} ppi on page {}, under the {:.0} ppi minimum for newsprint",
                    path.display(),
                    ppi,
                    plan.number,
                    plan.layout.output.min_ppi
                ));
            }
        }
    }
    out
}

/// Builds the edition's PDF into `out_dir` (one file, or one per page with `split`); returns
/// the paths written. Overset fails the build unless allowed; then nothing is written.
pub fn build(input: &Path, out_dir: &Path, opts: &BuildOptions) -> Result<(Vec<PathBuf>, Typeset)> {
    let words = build_words(out_dir, opts);
    build_with(input, out_dir, opts, &words)
}

/// The word segmentations a build into `out_dir` uses: kept in its cache folder, or in memory
/// with `--no-cache`.
pub fn build_words(out_dir: &Path, opts: &BuildOptions) -> Words {
    if opts.cache {
        Words::cached(&out_dir.join(".paiban-cache"))
    } else {
        Words::in_memory()
    }
}

/// [`build`] with word segmentations from `words` (kept by a long-running `watch`).
pub fn build_with(
    input: &Path,
    out_dir: &Path,
    opts: &BuildOptions,
    words: &Words,
) -> Result<(Vec<PathBuf>, Typeset)> {
    prepare_output(out_dir)?;
    let mut t = typeset_with(input, words)?;
    let written = write_edition(&mut t, out_dir, opts, words)?;
    Ok((written, t))
}

/// Gets the output folder ready for a build: refused when it is a file; temporaries of
/// builds that died swept away.
pub fn prepare_output(out_dir: &Path) -> Result<()> {
    output_folder(out_dir)?;
    remove_stale_temps(out_dir);
    Ok(())
}

/// Writes a typeset edition's PDFs into `out_dir`; returns the paths written. Overset copy and
/// empty frames fail it unless allowed (then nothing is written); the caller may report the
/// typeset's warnings first, so that an overset hides none of them.
pub fn write_edition(
    t: &mut Typeset,
    out_dir: &Path,
    opts: &BuildOptions,
    words: &Words,
) -> Result<Vec<PathBuf>> {
    let cache_dir = out_dir.join(".paiban-cache");
    let clock = std::time::Instant::now();
    let overset = t.overset();
    if !overset.is_empty() && !opts.allow_overset {
        return Err(Error::Overset(format!(
            "{}\n  = hint: cut the copy, enlarge the frame, or pass --allow-overset",
            overset.join("\n")
        )));
    }
    let empty = t.empty_frames();
    if !empty.is_empty() && !opts.allow_overset {
        return Err(Error::Overset(format!(
            "{}\n  = hint: shorten or remove the frame, or add copy; --allow-overset writes the page anyway",
            empty.join("\n")
        )));
    }
    let pdf = pdf_options(t, opts, opts.cache.then_some(cache_dir.as_path()));
    // Render every file first, so a failure leaves none behind.
    let mut files = Vec::new();
    // A proof with crop marks never takes the plant PDF's name.
    let marks = if opts.marks { "-marks" } else { "" };
    if opts.split {
        for (page, plan) in t.pages.iter().zip(&t.edition.pages) {
            let bytes = crate::pdf::write_pdf(std::slice::from_ref(page), &t.book, &pdf)?;
            files.push((
                out_dir.join(format!("{}-p{:02}{marks}.pdf", t.edition.name, plan.number)),
                bytes,
            ));
        }
    } else {
        let bytes = crate::pdf::write_pdf(&t.pages, &t.book, &pdf)?;
        files.push((
            out_dir.join(format!("{}{marks}.pdf", t.edition.name)),
            bytes,
        ));
    }
    t.timings.push(("pdf", clock.elapsed()));
    // All files or none (a split build never leaves some pages new and some old).
    let parts: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_path(), b.as_slice()))
        .collect();
    crate::fs::write_all(&parts)?;
    let written = files.into_iter().map(|(p, _)| p).collect();
    words.save();
    Ok(written)
}

/// Removes the temporary files that earlier runs, killed mid-write, left in the output folder
/// `out_dir` and its cache (a running build's stay: see [`crate::cache::remove_stale_temps`]).
pub fn remove_stale_temps(out_dir: &Path) {
    let now = std::time::SystemTime::now();
    crate::cache::remove_stale_temps(out_dir, ".pdf.tmp", now);
    crate::cache::remove_stale_temps(&out_dir.join(".paiban-cache"), ".tmp", now);
}
