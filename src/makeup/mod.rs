//! Automatic page make-up (`paiban makeup BUDGET`): from a budget of stories with priorities,
//! photos and booked ads to an ordinary page plan.
//!
//! ```text
//! budget ─load─▶ zones around the ads ─measure─▶ each story's depth per stack width (set for real)
//!        ─search─▶ shapes × assignments, stacks filled ─score (estimates)─▶ the best few
//!        ─set each for real (flow + compose)─▶ scored again ─▶ plan TOML (+ advice)
//! ```
//!
//! Does not write files (the CLI writes plans and proofs), move ads, or place stories in
//! other shapes than rectangles stacked in column bands (no L-shaped frames yet).

pub mod budget;
mod measure;
mod plan;
pub mod score;
mod search;
mod stack;
mod units;
pub mod zones;

use crate::error::{Diagnostic, Result};
use crate::fit::Copy;
use crate::fonts::FontBook;
use crate::segment::Words;
use budget::{load_budget, Budget};
use measure::{Depth, Measurer, Trial};
use score::{layout_terms, Score, Seen};
use search::{arrange, Arrangement};
use std::collections::BTreeMap;
use std::path::Path;

/// A page plan made up.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The plan's text (TOML).
    pub text: String,
    /// Its score, measured on the page set from it.
    pub score: Score,
    /// The shape it came from.
    pub shape: String,
}

/// What `makeup` made: plans, best first, and what the desk should change when the copy does
/// not fill or fit the page.
#[derive(Debug, Clone)]
pub struct Makeup {
    /// Distinct plans, best first.
    pub variants: Vec<Variant>,
    /// Stories to cut or lengthen, by how many characters (for the best plan).
    pub advice: Vec<String>,
}

/// Candidates set for real per variant asked for (the estimates rank them first).
const CANDIDATES_PER_VARIANT: usize = 3;
/// The fewest candidates set for real.
const MIN_CANDIDATES: usize = 10;

/// Makes up the page of the budget at `budget_path`: `variants` plans to be written at
/// `plan` (paths in them relative to its folder).
pub fn makeup(budget_path: &Path, plan: &Path, variants: usize, words: &Words) -> Result<Makeup> {
    let budget = load_budget(budget_path)?;
    let zones = zones::free_zones(&budget)?;
    let layout = &budget.page.layout;
    let book = FontBook::for_layouts(std::iter::once(layout));
    let copy: Copy = budget
        .stories
        .iter()
        .map(|s| (s.file.clone(), (s.story.clone(), s.source.clone())))
        .collect();
    check_capacity(&budget, &zones, &copy)?;
    let measurer = Measurer {
        budget: &budget,
        copy: &copy,
        book: &book,
        words,
    };
    let table = options_table(&budget, &zones, &measurer)?;
    let options = |s: usize, w: u32| table.get(&(s, w)).map_or(&[][..], |v| v.as_slice());
    let grid = (layout.grid.columns, layout.grid.lines);
    let estimate = |a: &Arrangement| -estimate_score(&budget, a, grid).total();
    let keep = (variants * CANDIDATES_PER_VARIANT).max(MIN_CANDIDATES);
    let allowed = |a: &Arrangement| estimate_score(&budget, a, grid).clashes == 0;
    let found = arrange(
        &zones,
        budget.stories.len(),
        &options,
        (&estimate, &allowed),
        keep,
    );
    if found.is_empty() {
        return Err(Diagnostic::file(
            budget_path,
            "no arrangement of these stories fits the page: some story (or its photo) has no \
             place in any stack the page can be cut into",
        )
        .with_hint("cut the longest stories, or move one (or a photo) to another page")
        .into());
    }
    // A candidate the build refuses (a caption deeper than its photo's frame, say) is
    // dropped; when every one is, the first refusal is the answer.
    let mut made = Vec::new();
    let mut refused = None;
    for (_, a) in &found {
        match set_for_real(&budget, a, plan, words) {
            Ok(m) => made.push(m),
            Err(e) => {
                refused.get_or_insert(e);
            }
        }
    }
    if let (true, Some(e)) = (made.is_empty(), refused) {
        return Err(e);
    }
    // Best first; equal scores keep the estimate's order (a stable sort).
    made.sort_by(|a, b| b.0.score.total().total_cmp(&a.0.score.total()));
    made.dedup_by(|a, b| a.0.text == b.0.text);
    let advice = made
        .first()
        .map(|(v, t)| advise(&budget, t, v.score.fill, words))
        .transpose()?
        .unwrap_or_default();
    let variants = made
        .into_iter()
        .take(variants.max(1))
        .map(|(v, _)| v)
        .collect();
    Ok(Makeup { variants, advice })
}

/// Refuses a budget with more copy than the free grid could hold even with no headlines and
/// no gutters (no arrangement can set it).
fn check_capacity(budget: &Budget, zones: &[crate::model::GridArea], copy: &Copy) -> Result<()> {
    let g = &budget.page.layout.grid;
    let cells: u32 = zones
        .iter()
        .map(|z| (z.columns.1 + 1 - z.columns.0) * (z.lines.1 + 1 - z.lines.0))
        .sum();
    let room = cells as usize * g.chars as usize;
    let chars: usize = copy
        .values()
        .flat_map(|(s, _)| s.blocks.iter())
        .map(|b| b.text().chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if chars > room {
        return Err(Diagnostic::file(
            &budget.path,
            format!(
                "more copy than the page can hold: {chars} characters, and the grid left free \
                 by the ads holds at most {room} (without headlines)"
            ),
        )
        .with_hint(format!(
            "cut at least {} characters, or move a story to another page",
            chars - room
        ))
        .into());
    }
    Ok(())
}

/// Every story's options in every stack width the shapes use, measured by setting them.
fn options_table(
    budget: &Budget,
    zones: &[crate::model::GridArea],
    measurer: &Measurer,
) -> Result<BTreeMap<(usize, u32), Vec<units::UnitOption>>> {
    let widths = search::widths(zones);
    let mut trials: Vec<Trial> = Vec::new();
    for s in 0..budget.stories.len() {
        for &w in &widths {
            trials.extend(units::trials_for(budget, s, w));
        }
    }
    let depths = measurer.measure_all(&trials);
    let mut measured: BTreeMap<Trial, Depth> = BTreeMap::new();
    for (t, d) in trials.into_iter().zip(depths) {
        if let Some(d) = d? {
            measured.insert(t, d);
        }
    }
    let lookup = |t: &Trial| measured.get(t).copied();
    let mut table = BTreeMap::new();
    for s in 0..budget.stories.len() {
        for &w in &widths {
            table.insert((s, w), units::options(budget, s, w, &lookup));
        }
    }
    Ok(table)
}

/// The score of an arrangement from its measured depths (before it is set for real).
fn estimate_score(budget: &Budget, a: &Arrangement, grid: (u32, u32)) -> Score {
    let seen: Vec<Seen> = a
        .placed
        .iter()
        .map(|p| Seen {
            priority: budget.stories.get(p.story).map_or(99, |s| s.priority),
            frame: p.frame,
            headline: p.headline,
            photo: p.photo,
        })
        .collect();
    // Stacks are filled to their foot, rule lines and all: what is empty is the stacks no
    // story was given.
    let empty: u32 = a
        .empty
        .iter()
        .map(|z| (z.columns.1 + 1 - z.columns.0) * (z.lines.1 + 1 - z.lines.0))
        .sum();
    let fill = 100.0 - empty as f32 * 100.0 / (grid.0 * grid.1).max(1) as f32;
    let mut score = layout_terms(&seen, fill, true);
    for p in &a.placed {
        let under = p.extra.max(0) as u32;
        score.underset += under;
        score.underset_over += under.saturating_sub(stack::MAX_UNDERSET);
        score.overset += (-p.extra).max(0) as u32;
    }
    score
}

/// An arrangement written as a plan, read back as any plan is, set (flow and compose, in
/// memory) and scored on what was set.
fn set_for_real(
    budget: &Budget,
    a: &Arrangement,
    plan: &Path,
    words: &Words,
) -> Result<(Variant, crate::pipeline::Typeset)> {
    let draft = plan::plan_text(budget, a, plan, &[]);
    let t = typeset_text(plan, &draft, words)?;
    let score = real_score(budget, &t);
    let header = vec![
        format!(
            "Made up by `paiban makeup` from {} (shape {}).",
            plan::relative(plan.parent().unwrap_or(Path::new(".")), &budget.path),
            a.shape
        ),
        score.describe(),
    ];
    let text = plan::plan_text(budget, a, plan, &header);
    Ok((
        Variant {
            text,
            score,
            shape: a.shape.clone(),
        },
        t,
    ))
}

/// A plan's text parsed (as if at `plan`) and set in memory.
fn typeset_text(plan: &Path, text: &str, words: &Words) -> Result<crate::pipeline::Typeset> {
    let page = crate::model::plan::parse_plan(plan, text)?;
    let edition = crate::model::Edition {
        paper: String::new(),
        date: page.date.clone(),
        pages: vec![page],
        name: plan
            .file_stem()
            .map_or("plan".into(), |n| n.to_string_lossy().into_owned()),
        file: plan.to_path_buf(),
        elsewhere: Vec::new(),
    };
    crate::pipeline::typeset_loaded(edition, words)
}

/// The score of a page as set: overset and underset from the flow, headlines where they
/// were set, the rest from the plan's frames.
fn real_score(budget: &Budget, t: &crate::pipeline::Typeset) -> Score {
    let Some(page) = t.edition.pages.first() else {
        return Score::default();
    };
    let g = &page.layout.grid;
    let line_of = |baseline: f32| ((baseline - g.top.0) / g.pitch.0).floor() as u32 + 1;
    let mut seen = Vec::new();
    let mut score_sets = (0u32, 0u32, 0u32);
    for (placement, s) in page.stories.iter().zip(&budget_order(budget, page)) {
        let Some(f) = t.stories.iter().find(|f| f.file == placement.file) else {
            continue;
        };
        let heads: Vec<u32> = f
            .lines
            .iter()
            .filter(|l| l.role == crate::flow::LineRole::Headline)
            .map(|l| line_of(l.baseline))
            .collect();
        // The block stands at the frame's top, down to its last line's baseline.
        let first = placement.area.lines.0;
        let last = heads.iter().max().copied().unwrap_or(first).max(first);
        let photo = s.and_then(|b| budget.stories.get(b)).and_then(|b| {
            let file = &b.photo.as_ref()?.file;
            page.photos.iter().find(|p| &p.file == file).map(|p| p.area)
        });
        seen.push(Seen {
            priority: s
                .and_then(|b| budget.stories.get(b))
                .map_or(99, |b| b.priority),
            frame: placement.area,
            headline: (first, last),
            photo,
        });
        score_sets.0 += f.overset.as_ref().map_or(0, |o| o.lines as u32);
        score_sets.1 += f.underset;
        score_sets.2 += f.underset.saturating_sub(stack::MAX_UNDERSET);
    }
    let ads: Vec<_> = page.ads.iter().map(|a| a.area).collect();
    let fill = score::page_fill(&seen, &ads, (g.columns, g.lines));
    let mut score = layout_terms(&seen, fill, true);
    (score.overset, score.underset, score.underset_over) = score_sets;
    score
}

/// For each story frame of the page, the budget story it places.
fn budget_order(budget: &Budget, page: &crate::model::PagePlan) -> Vec<Option<usize>> {
    page.stories
        .iter()
        .map(|p| budget.stories.iter().position(|s| s.file == p.file))
        .collect()
}

/// What to change when the best page does not fill or fit: stories overset (cut N
/// characters), underset by more than 3 lines (add N: measured by `fit`), empty grid.
fn advise(
    budget: &Budget,
    t: &crate::pipeline::Typeset,
    fill: f32,
    words: &Words,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let fits = crate::fit::measure_fit(&t.edition, &t.copy, (&t.book, words))?;
    for (f, s) in fits.iter().zip(&t.stories) {
        if f.cut > 0 {
            out.push(format!(
                "{}: cut {} (overset at {} in {})",
                f.file.display(),
                crate::units::count(f.cut, "character"),
                crate::units::count(s.overset.as_ref().map_or(0, |o| o.lines), "line"),
                frames_of(f)
            ));
        } else if s.underset > stack::MAX_UNDERSET {
            out.push(format!(
                "{}: lengthen by up to {} ({} empty at the foot of {})",
                f.file.display(),
                crate::units::count(f.add, "character"),
                crate::units::count(s.underset as usize, "line"),
                frames_of(f)
            ));
        }
    }
    if let (Some(page), true) = (t.edition.pages.first(), fill < score::MIN_FILL) {
        let g = &page.layout.grid;
        let empty = ((100.0 - fill) / 100.0 * (g.columns * g.lines) as f32).round() as u32;
        out.push(format!(
            "{}: the copy fills {fill:.1}% of the grid ({empty} column-lines empty, about {} \
             characters): add a story or lengthen one",
            budget.path.display(),
            empty * g.chars
        ));
    }
    Ok(out)
}

/// A story's frames as `columns 1-4, lines 20-60` (joined with `; `).
fn frames_of(f: &crate::fit::FrameFit) -> String {
    f.frames
        .iter()
        .map(|(_, a)| a.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}
