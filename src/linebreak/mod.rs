//! Line breaking: total-fit (Knuth–Plass) over a paragraph's atoms with per-line widths,
//! kinsoku from the gaps, push-in before push-out, orphan control (cjk-rules.md §1, §3, §6).
//!
//! Does not place lines on the page; `flow` gives the widths and places the result.

pub mod justify;
mod role;
pub mod sense;

use crate::shape::class::Class;
pub use crate::shape::Seam;
use crate::shape::{end_cut, hang, start_cut, Para};

pub use justify::{justify, PlacedGlyph};
pub use role::LineRole;

/// One line: atoms `start..end` of the paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// First atom.
    pub start: usize,
    /// One past the last atom.
    pub end: usize,
    /// The measure the line was set to.
    pub width: f32,
    /// Whether this is the paragraph's last line (set flush left).
    pub last: bool,
    /// Extra space per letterspace gap, in em, after word spaces took their share.
    pub spacing: f32,
    /// Whether the line had to break where kinsoku forbids or overflow its measure.
    pub forced: bool,
    /// A line of Latin alone that its word spaces cannot fill: set flush left, not spread.
    pub ragged: bool,
}

/// The widths of the lines a paragraph may use: line `i` has `widths[i]`, lines past the end
/// the last width.
#[derive(Debug, Clone, Copy)]
pub struct Measures<'a> {
    /// Line widths in points.
    pub widths: &'a [f32],
}

impl Measures<'_> {
    fn get(&self, i: usize) -> f32 {
        self.widths
            .get(i)
            .or(self.widths.last())
            .copied()
            .unwrap_or(0.0)
    }
    /// The first line from which every width is the same.
    fn uniform_start(&self) -> usize {
        let last = self.widths.last().copied().unwrap_or(0.0);
        self.widths
            .iter()
            .rposition(|w| (*w - last).abs() >= 0.01)
            .map_or(0, |i| i + 1)
    }
}

/// Inter-character spacing beyond which a line is loose (cjk-rules.md §3: ¼ em).
pub const LOOSE: f32 = 0.25;

#[derive(Clone, Copy)]
struct Node {
    pos: usize,
    line: usize,
    demerits: f64,
    prev: usize,
    forced: bool,
}

/// Prefix sums over the paragraph for O(1) line measurement, one entry per atom boundary
/// (kept together so a line's measurement touches three cache lines).
#[derive(Clone, Copy, Default)]
struct Acc {
    /// Widths of the atoms before this index.
    atoms: f32,
    /// Natural, shrink and stretch of the gaps before this index.
    natural: f32,
    shrink: f32,
    stretch: f32,
    /// Letterspacing gaps, CJK–Latin gaps and characters before this index.
    letters: u32,
    cjk_latin: u32,
    chars: u32,
    /// Atoms before this index that are not pieces of Latin tokens.
    others: u32,
    /// What atom `i` loses at a line start, and at a line end (hanging included).
    start_cut: f32,
    end_cut: f32,
}

struct Sums(Vec<Acc>, Monotone);

/// Whether a line's natural width can only shrink as its start moves right (every atom and
/// its gap at least as wide as what the atom loses at a line start), and the widest atom:
/// then, with one measure for all lines, once a candidate line is too short to consider so
/// are all that start later.
#[derive(Clone, Copy, Default)]
struct Monotone {
    holds: bool,
    widest: f32,
}

impl Sums {
    fn new(p: &Para) -> Self {
        let n = p.atoms.len();
        let mut v = Vec::with_capacity(n + 1);
        let mut acc = Acc::default();
        let mut mono = Monotone {
            holds: true,
            widest: 0.0,
        };
        for i in 0..=n {
            let atom = p.atoms.get(i);
            acc.start_cut = atom.map_or(0.0, start_cut);
            acc.end_cut = atom.map_or(0.0, |a| end_cut(a) + hang(p, a));
            v.push(acc);
            if let Some(at) = atom {
                let gap = p.gaps.get(i).map_or(0.0, |g| g.natural);
                mono.holds &= acc.start_cut >= 0.0
                    && at.width.is_finite()
                    && at.width + gap.max(0.0) >= acc.start_cut
                    && gap >= 0.0;
                mono.widest = mono.widest.max(at.width);
                acc.atoms += at.width;
                let counts = matches!(
                    at.class,
                    Class::Ideograph | Class::Latin | Class::Postfix | Class::Prefix
                );
                acc.chars += u32::from(counts && !at.glyphs.is_empty());
                acc.others += u32::from(at.class != Class::Latin);
            }
            if let Some(g) = p.gaps.get(i) {
                acc.natural += g.natural;
                acc.shrink += g.shrink;
                acc.stretch += g.stretch;
                acc.letters += u32::from(g.letterspace);
                acc.cjk_latin += u32::from(g.cjk_latin);
            }
        }
        // Far from f32's precision limits (see the margin where it is used).
        mono.holds &= acc.atoms + acc.natural < 1.0e5;
        Sums(v, mono)
    }

    fn at(&self, i: usize) -> Acc {
        self.0.get(i).copied().unwrap_or_default()
    }
}

/// How a line from atom `s` to `e` fits a measure.
struct Fit {
    /// Width left over at natural spacing (negative: too long).
    slack: f32,
    shrink: f32,
    stretch: f32,
    letters: u32,
    cjk_latin: u32,
    /// Whether the line may be set ragged (flush left, never letter-spaced) when its spaces
    /// cannot fill it: Latin alone (words, a URL or its pieces), or credits of a byline.
    ragged: bool,
}

fn fit(sums: &Sums, s: usize, e: usize, width: f32) -> Fit {
    // Gaps inside the line are s..e-1; the gap at the break (e-1) vanishes.
    let inner = e.saturating_sub(1).max(s);
    fit_at(&sums.at(s), &sums.at(inner), &sums.at(e), e > s + 1, width)
}

/// `fit` from the sums at the line's start `a`, at its last atom `i` and at its end `z`;
/// `several`: the line has more than one atom.
fn fit_at(a: &Acc, i: &Acc, z: &Acc, several: bool, width: f32) -> Fit {
    // clreq: an opening mark at line start loses its blank half; GB/T 15834 §5.1.10: a mark
    // at line end is set half width.
    let mut natural = z.atoms - a.atoms + i.natural - a.natural - a.start_cut;
    // A lone mark keeps its width; a lone syllable before a hyphen still gets the hyphen.
    if several || i.end_cut < 0.0 {
        natural -= i.end_cut;
    }
    Fit {
        slack: width - natural,
        shrink: i.shrink - a.shrink,
        stretch: i.stretch - a.stretch,
        letters: i.letters - a.letters,
        cjk_latin: i.cjk_latin - a.cjk_latin,
        ragged: z.others == a.others,
    }
}

/// Badness of a line, or `None` when it cannot be set (too long, or loose with nothing to
/// stretch). `last`: the paragraph's last line, set flush left.
fn badness(f: &Fit, em: f32, last: bool) -> Option<f64> {
    let eps = 0.01;
    if f.slack < -eps {
        if -f.slack > f.shrink + eps {
            return None;
        }
        // Push-in: shrink word spaces; cheap, preferred to push-out.
        let r = f64::from(-f.slack / f.shrink.max(eps));
        return Some(r * r * r * 20.0);
    }
    if last {
        return Some(0.0);
    }
    let rest = (f.slack - f.stretch).max(0.0);
    let word = f64::from((f.slack.min(f.stretch)) / f.stretch.max(eps));
    if rest <= eps {
        return Some(word * word * word * 50.0);
    }
    if f.ragged {
        // Latin alone on a line (words, a token or its pieces), or credits of a byline, that
        // its spaces cannot fill: set ragged (flush left), never letter-spaced; the shorter,
        // the worse.
        let r = f64::from(f.slack / em) * 3.0;
        return Some(50.0 + r * r);
    }
    if f.letters == 0 {
        // Last tier: a line of CJK and one long token may widen its CJK–Latin gaps.
        if f.cjk_latin == 0 {
            // Nothing to widen at all (one character alone, a lone token): flush left, at a
            // cost above any loose line's (issue 14: never one character alone on a line).
            return Some(1e6);
        }
        let r = f64::from(rest / f.cjk_latin as f32 / em) / f64::from(LOOSE);
        return Some(1000.0 + r * r * r * 100.0);
    }
    let per = f64::from(rest / f.letters as f32 / em);
    let r = per / f64::from(LOOSE);
    Some(50.0 + r * r * r * 100.0)
}

/// Characters (ideographs, Latin tokens) on the line `s..e`.
fn chars(sums: &Sums, s: usize, e: usize) -> u32 {
    sums.at(e).chars - sums.at(s).chars
}

/// Breaks a paragraph into lines for the given measures (total fit).
pub fn break_lines(p: &Para, measures: Measures) -> Vec<Line> {
    body_lines(p, measures, true)
}

/// [`break_lines`] without its shortcuts: the reference the property tests compare against.
#[doc(hidden)]
pub fn break_lines_unpruned(p: &Para, measures: Measures) -> Vec<Line> {
    body_lines(p, measures, false)
}

fn body_lines(p: &Para, measures: Measures, shortcuts: bool) -> Vec<Line> {
    if p.atoms.is_empty() {
        return Vec::new();
    }
    let sums = Sums::new(p);
    let pass = |emergency| Pass {
        shortcuts,
        ..Pass::free(Mode::Body, emergency)
    };
    run(p, &sums, measures, pass(false))
        .unwrap_or_else(|| run(p, &sums, measures, pass(true)).unwrap_or_default())
}

/// Breaks a paragraph into exactly `count` lines, if that can be done without a loose or
/// forced line (used to pull or push a line against widows and orphans, cjk-rules.md §6).
pub fn break_lines_exact(p: &Para, measures: Measures, count: usize) -> Option<Vec<Line>> {
    exact_lines(p, measures, count, true)
}

/// [`break_lines_exact`] without the pruning of nodes that cannot reach `count` lines: the
/// reference the property tests compare against (the pruning must not change a result).
#[doc(hidden)]
pub fn break_lines_exact_unpruned(p: &Para, measures: Measures, count: usize) -> Option<Vec<Line>> {
    exact_lines(p, measures, count, false)
}

fn exact_lines(p: &Para, measures: Measures, count: usize, shortcuts: bool) -> Option<Vec<Line>> {
    if p.atoms.is_empty() || count == 0 {
        return None;
    }
    let sums = Sums::new(p);
    let lines = run(
        p,
        &sums,
        measures,
        Pass {
            mode: Mode::Body,
            emergency: false,
            exact: Some(count),
            prune: true,
            shortcuts,
        },
    )?;
    let ok = lines.len() == count && lines.iter().all(|l| !l.forced && l.spacing <= LOOSE);
    ok.then_some(lines)
}

/// Breaks a display text (headline, cross-head, header) into balanced ragged lines, preferring
/// breaks at its spaces; every line is marked `last` (set flush, centred by the caller).
pub fn break_display(p: &Para, measures: Measures) -> Vec<Line> {
    if p.atoms.is_empty() {
        return Vec::new();
    }
    let sums = Sums::new(p);
    let mut lines =
        run(p, &sums, measures, Pass::free(Mode::Display, false)).unwrap_or_else(|| {
            run(p, &sums, measures, Pass::free(Mode::Display, true)).unwrap_or_default()
        });
    for l in &mut lines {
        l.last = true;
        l.spacing = 0.0;
    }
    lines
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Body,
    Display,
}

/// Badness of a ragged display line: balanced lines are best.
fn display_badness(f: &Fit, width: f32) -> Option<f64> {
    if f.slack + f.shrink < -0.01 {
        return None;
    }
    let r = f64::from(f.slack.max(0.0) / width.max(1.0)) * 10.0;
    Some(r * r)
}

/// Whether a break after atom `e - 1` falls at a space (a phrase boundary of a headline).
fn at_space(p: &Para, e: usize) -> bool {
    use crate::shape::class::Class::IdeoSpace;
    p.atoms
        .get(e.saturating_sub(1))
        .is_some_and(|a| a.class == IdeoSpace)
        || p.atoms.get(e).is_some_and(|a| a.class == IdeoSpace)
        || p.gaps
            .get(e.saturating_sub(1))
            .is_some_and(|g| g.natural > 0.0 && g.stretch > 0.0 && !g.cjk_latin)
}

/// Demerits of a break after atom `e - 1`, by what it cuts (issue 14). In body text a break
/// inside a word only breaks ties, one inside a date or a time, at a hyphenation point or
/// inside an address is taken where it saves a loose line; display text breaks at spaces, then
/// beside punctuation, then between words, and inside a word only when nothing else fits.
fn seam_cost(p: &Para, e: usize, mode: Mode) -> f64 {
    let seam = p
        .gaps
        .get(e.saturating_sub(1))
        .map_or(Seam::Free, |g| g.seam);
    match (mode, seam) {
        (Mode::Body, Seam::Free) => 0.0,
        (Mode::Body, Seam::Word) => 150.0,
        (Mode::Body, Seam::Compound) => 50.0,
        (Mode::Body, Seam::Phrase) => 3000.0,
        (Mode::Body, Seam::Hyphen) => 4000.0,
        (Mode::Body, Seam::Token) => 6000.0,
        (Mode::Display, Seam::Free) if at_space(p, e) => 0.0,
        (Mode::Display, Seam::Free) if at_mark(p, e) => 300.0,
        (Mode::Display, Seam::Free) => 3000.0,
        (Mode::Display, Seam::Compound) => 2e4,
        (Mode::Display, Seam::Hyphen | Seam::Token) => 2e5,
        (Mode::Display, Seam::Word | Seam::Phrase) => 1e6,
    }
}

/// Whether a break after atom `e - 1` falls inside a byline (its line holds credits only).
fn in_byline(p: &Para, e: usize) -> bool {
    e > 0 && p.gaps.get(e - 1).is_some_and(|g| g.credit)
}

/// Whether a break after atom `e - 1` falls beside punctuation (after a stop or a closing
/// mark, before an opening mark).
fn at_mark(p: &Para, e: usize) -> bool {
    p.atoms
        .get(e.saturating_sub(1))
        .is_some_and(|a| matches!(a.class, Class::Stop | Class::Closing | Class::MiddleDot))
        || p.atoms.get(e).is_some_and(|a| a.class == Class::Opening)
}

/// Breaks inside a word, a date, a credit or a token among a paragraph's lines: what a reader
/// sees as a break against sense (0 for a clean headline; a break between the shorter words
/// of a long compound is not one).
pub fn breaks_against_sense(p: &Para, lines: &[Line]) -> usize {
    lines
        .iter()
        .filter(|l| l.end < p.atoms.len())
        .filter(|l| {
            p.gaps
                .get(l.end.saturating_sub(1))
                .is_some_and(|g| !matches!(g.seam, Seam::Free | Seam::Compound) || !g.breakable)
        })
        .count()
}

/// What one total-fit pass looks for.
#[derive(Clone, Copy)]
struct Pass {
    mode: Mode,
    /// Allow kinsoku-breaking and overfull lines as a last resort.
    emergency: bool,
    /// Exactly this many lines.
    exact: Option<usize>,
    /// Drop candidate lines under half their measure (a fast first pass).
    prune: bool,
    /// Skip work that cannot change the result: with `exact`, nodes that cannot end in that
    /// many lines ([`ExactBound`]); in a pruned pass, measuring lines known to be too short
    /// ([`Monotone`]). Off only for the reference the property tests compare against.
    shortcuts: bool,
}

impl Pass {
    /// A pass for the best line count (pruned first for body text out of an emergency).
    fn free(mode: Mode, emergency: bool) -> Self {
        Pass {
            mode,
            emergency,
            exact: None,
            prune: mode == Mode::Body && !emergency,
            shortcuts: true,
        }
    }
}

/// Breaks with a pruned first pass, then a full pass if the pruned one finds no solution.
/// `pass.prune` asks for the pruned first pass (body text, not in an emergency).
fn run(p: &Para, sums: &Sums, m: Measures, pass: Pass) -> Option<Vec<Line>> {
    run_pass(p, sums, m, pass).or_else(|| {
        pass.prune
            .then(|| {
                run_pass(
                    p,
                    sums,
                    m,
                    Pass {
                        prune: false,
                        ..pass
                    },
                )
            })
            .flatten()
    })
}

/// Which (position, line) nodes can still end in exactly `count` lines: the rest of the
/// paragraph must fit the remaining lines' measures (plus its shrink) and, in a pruned pass,
/// fill each of them at least halfway. Conservative by construction, so dropping the other
/// nodes never changes the result; without it an exact-count pass keeps a node for every line
/// number at every position.
struct ExactBound {
    count: usize,
    atoms: usize,
    /// Sum of the measures of lines `0..k`.
    widths: Vec<f64>,
    /// What a line can lose to cuts at its ends and its vanishing break gap, at most.
    allow: f64,
    /// Whether the lower bound (lines at least half full) applies.
    lower: bool,
    max_cut: f64,
    /// The paragraph's totals (raw natural width, shrink) at its end.
    total: (f64, f64),
}

impl ExactBound {
    fn new(p: &Para, sums: &Sums, m: Measures, count: usize, prune: bool) -> Option<Self> {
        let n = p.atoms.len();
        let mut widths = Vec::with_capacity(count + 1);
        let mut w = 0.0f64;
        widths.push(w);
        for k in 0..count {
            w += f64::from(m.get(k));
            widths.push(w);
        }
        // A line loses the start cut of its first atom and the end cut of its last.
        let (mut max_start, mut max_end, mut max_gap, mut nonneg) = (0.0f32, 0.0f32, 0.0f32, true);
        for a in &sums.0 {
            max_start = max_start.max(a.start_cut);
            max_end = max_end.max(a.end_cut);
            nonneg &= a.start_cut >= 0.0 && a.end_cut >= 0.0;
        }
        let max_cut = max_start + max_end;
        for g in &p.gaps {
            if g.shrink.is_nan() || g.shrink < 0.0 || !g.natural.is_finite() {
                return None; // no safe bound: keep every node
            }
            max_gap = max_gap.max(g.natural);
            nonneg &= g.natural >= 0.0;
        }
        nonneg &= p.atoms.iter().all(|a| a.width >= 0.0);
        if !w.is_finite() || !max_cut.is_finite() {
            return None;
        }
        let z = sums.at(n);
        Some(ExactBound {
            count,
            atoms: n,
            widths,
            allow: f64::from(max_cut) + f64::from(max_gap.max(0.0)),
            // Lines of Latin alone may be short (ragged): no lower bound then.
            lower: prune && nonneg && !p.atoms.iter().any(|a| a.class == Class::Latin),
            max_cut: f64::from(max_cut),
            total: (
                f64::from(z.atoms) + f64::from(z.natural),
                f64::from(z.shrink),
            ),
        })
    }

    /// Whether a node at atom `pos` after `line` lines can still end the paragraph in exactly
    /// `count` lines.
    fn reachable(&self, sums: &Sums, pos: usize, line: usize) -> bool {
        if line > self.count || self.atoms - pos.min(self.atoms) < self.count - line {
            return false;
        }
        let left = self.count - line;
        if left == 0 {
            return pos >= self.atoms;
        }
        let a = sums.at(pos);
        let nat = self.total.0 - f64::from(a.atoms) - f64::from(a.natural);
        let shrink = self.total.1 - f64::from(a.shrink);
        let room = |from: usize, to: usize| {
            self.widths.get(to).copied().unwrap_or(f64::INFINITY)
                - self.widths.get(from).copied().unwrap_or(0.0)
        };
        // Rounding of the f32 prefix sums, and the 0.01 pt tolerance of `badness`, per line.
        let margin = 1.0 + 0.05 * left as f64;
        let l = left as f64;
        if nat - l * self.allow > room(line, self.count) + shrink + margin {
            return false; // too much copy for the lines left
        }
        if self.lower && nat + self.max_cut + margin < 0.5 * room(line, self.count - 1) {
            return false; // too little copy to fill the lines left halfway
        }
        true
    }
}

/// One total-fit pass.
fn run_pass(p: &Para, sums: &Sums, m: Measures, pass: Pass) -> Option<Vec<Line>> {
    let Pass {
        mode,
        emergency,
        exact,
        prune,
        ..
    } = pass;
    let n = p.atoms.len();
    let em = p.em.max(1.0);
    let mut nodes = vec![Node {
        pos: 0,
        line: 0,
        demerits: 0.0,
        prev: usize::MAX,
        forced: false,
    }];
    let mut active: Vec<usize> = vec![0];
    let mut best_new: Vec<Node> = Vec::new();
    // With equal widths from here on the line count does not matter, unless asked for one.
    let uniform = if exact.is_some() {
        usize::MAX
    } else {
        m.uniform_start()
    };
    let bound = match exact {
        Some(c) if pass.shortcuts && !emergency => ExactBound::new(p, sums, m, c, prune),
        _ => None,
    };
    // Lines of Latin alone are ragged and may be short: no line is too short to consider then.
    let ragged = p.atoms.iter().any(|a| a.class == Class::Latin);
    let one_measure = pass.shortcuts && sums.1.holds && m.uniform_start() == 0 && !ragged;
    for e in 1..=n {
        let last = e == n;
        let gap = p.gaps.get(e - 1);
        let allowed = last || gap.is_some_and(|g| g.breakable);
        let forced_break = !allowed && emergency && gap.is_some_and(|g| g.emergency);
        if !allowed && !forced_break {
            continue;
        }
        best_new.clear();
        // The sums at the break are the same for every candidate line ending here.
        let (inner, end) = (sums.at(e - 1), sums.at(e));
        // Nodes whose line is too long now (and so for every later break) retire.
        let mut kept = 0;
        for k in 0..active.len() {
            let Some(ai) = active.get(k).copied() else {
                break;
            };
            let Some(&a) = nodes.get(ai) else { break };
            let width = m.get(a.line);
            let mut f = fit_at(&sums.at(a.pos), &inner, &end, e > a.pos + 1, width);
            f.ragged |= in_byline(p, e);
            if f.slack + f.shrink < -em * 1.01 && !(emergency && e == a.pos + 1) {
                continue;
            }
            active.swap(kept, k);
            kept += 1;
            if exact.is_some_and(|c| a.line >= c) {
                continue; // already as many lines as asked for
            }
            // A line under half its measure would need over an em between characters: no
            // candidate in the first pass (the next passes still have it).
            if prune && !last && f.slack > 0.5 * width && !f.ragged {
                // Every later node starts a shorter line (the margins cover rounding of the
                // sums and measures up to 0.01 pt apart): keep them all without measuring.
                if one_measure && f.slack > 0.5 * width + 0.1 && width > 2.0 * sums.1.widest + 0.1 {
                    let rest = active.len() - k - 1;
                    active.copy_within(k + 1.., kept);
                    kept += rest;
                    break;
                }
                continue;
            }
            let overfull_single = emergency && e == a.pos + 1 && f.slack + f.shrink < 0.0;
            let b = match if mode == Mode::Display {
                display_badness(&f, width)
            } else {
                badness(&f, em, last)
            } {
                Some(b) => b,
                None if emergency && (overfull_single || f.slack >= 0.0) => 2e4,
                None => continue,
            };
            let mut d = (10.0 + b) * (10.0 + b);
            if forced_break {
                // Last resorts: splitting a token wider than the measure, then breaking
                // against kinsoku.
                let token = p
                    .atoms
                    .get(e - 1)
                    .zip(p.atoms.get(e))
                    .is_some_and(|(x, y)| {
                        x.class == Class::Latin
                            && y.class == Class::Latin
                            && x.text.end == y.text.start
                    });
                // A credit wider than the measure breaks between its title and its name
                // before it breaks inside a name; kinsoku is broken last.
                let seam = p.gaps.get(e - 1).map_or(Seam::Free, |g| g.seam);
                d += match seam {
                    _ if token => 1e9,
                    Seam::Phrase => 1e9,
                    Seam::Word => 3e9,
                    _ => 1e10,
                };
            }
            if !last {
                d += seam_cost(p, e, mode);
                // A caption's first line breaks inside a word only when nothing else fits
                // (issue 14); it stays justified, so free breaks cost nothing more.
                if a.line == 0 && p.display_first_line {
                    d += match p.gaps.get(e - 1).map_or(Seam::Free, |g| g.seam) {
                        Seam::Word | Seam::Phrase => 1e6,
                        _ => 0.0,
                    };
                }
            }
            // cjk-rules.md §6: the last line holds at least 2 characters.
            if last && chars(sums, a.pos, e) < 2 && a.pos > 0 {
                d += 1e6;
            }
            let node = Node {
                pos: e,
                line: a.line + 1,
                demerits: a.demerits + d,
                prev: ai,
                forced: forced_break || overfull_single,
            };
            // With equal widths from here on, the line count does not matter: keep one node.
            let key = |l: usize| if l >= uniform { usize::MAX } else { l };
            match best_new.iter_mut().find(|x| key(x.line) == key(node.line)) {
                Some(x) if x.demerits <= node.demerits => {}
                Some(x) => *x = node,
                None => best_new.push(node),
            }
        }
        active.truncate(kept);
        for nd in best_new.drain(..) {
            if bound
                .as_ref()
                .is_some_and(|b| !b.reachable(sums, nd.pos, nd.line))
            {
                continue;
            }
            nodes.push(nd);
            active.push(nodes.len() - 1);
        }
        if active.is_empty() {
            return None;
        }
    }
    let best = nodes
        .iter()
        .enumerate()
        .filter(|(_, nd)| nd.pos == n && exact.is_none_or(|c| nd.line == c))
        .min_by(|a, b| a.1.demerits.total_cmp(&b.1.demerits))
        .map(|(i, _)| i)?;
    let mut chain = Vec::new();
    let mut i = best;
    while let Some(nd) = nodes.get(i) {
        if nd.prev == usize::MAX {
            break;
        }
        chain.push(i);
        i = nd.prev;
    }
    chain.reverse();
    let mut lines = Vec::with_capacity(chain.len());
    let mut start = 0;
    for (li, &ni) in chain.iter().enumerate() {
        let nd = nodes.get(ni)?;
        let width = m.get(li);
        let mut f = fit(sums, start, nd.pos, width);
        f.ragged |= in_byline(p, nd.pos);
        let last = nd.pos == n;
        let gaps = if f.letters > 0 {
            f.letters
        } else {
            f.cjk_latin
        };
        let ragged = !last && f.ragged && f.slack > f.stretch + 0.01;
        let spacing = if last || gaps == 0 || ragged {
            0.0
        } else {
            (f.slack - f.stretch).max(0.0) / gaps as f32 / em
        };
        lines.push(Line {
            start,
            end: nd.pos,
            width,
            last,
            spacing,
            forced: nd.forced,
            ragged,
        });
        start = nd.pos;
    }
    Some(lines)
}

/// A compact text form of the lines, one per row: `text|` plus a mark for loose (`~`) or
/// forced (`!`) lines. Used by layout snapshots in tests.
pub fn snapshot(p: &Para, lines: &[Line]) -> String {
    let mut out = String::new();
    for l in lines {
        let s = p.atoms.get(l.start).map_or(0, |a| a.text.start as usize);
        let e = p
            .atoms
            .get(l.end.saturating_sub(1))
            .map_or(0, |a| a.text.end as usize);
        out.push_str(p.text.get(s..e).unwrap_or(""));
        out.push('|');
        if l.spacing > LOOSE {
            out.push('~');
        }
        if l.forced {
            out.push('!');
        }
        out.push('\n');
    }
    out
}
