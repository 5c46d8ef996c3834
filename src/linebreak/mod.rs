//! Line breaking: total-fit (Knuth–Plass) over a paragraph's atoms with per-line widths,
//! kinsoku from the gaps, push-in before push-out, orphan control (cjk-rules.md §1, §3, §6).
//!
//! Does not place lines on the page; `flow` gives the widths and places the result.

mod costs;
mod display;
pub mod justify;
mod role;
pub mod sense;

use crate::shape::class::Class;
pub use crate::shape::Seam;
use crate::shape::{end_cut, hang, start_cut, Para};

pub use display::{set_display, SetDisplay};
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

/// A feasible break of the total-fit search: the paragraph set up to atom `pos` in `line`
/// lines with the least `demerits` found, reached from node `prev`.
#[derive(Clone, Copy)]
struct Node {
    pos: usize,
    line: usize,
    demerits: f64,
    /// The node the last line starts from ([`Node::NO_PREV`] for the paragraph's start).
    prev: usize,
    /// Whether the line ending here broke against kinsoku or overflows its measure.
    forced: bool,
}

impl Node {
    /// `prev` of the paragraph's start, which no line ends at.
    const NO_PREV: usize = usize::MAX;

    /// The paragraph's start.
    const START: Node = Node {
        pos: 0,
        line: 0,
        demerits: 0.0,
        prev: Node::NO_PREV,
        forced: false,
    };
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

/// The prefix sums of a paragraph and what they tell of its lines' widths.
struct Sums {
    /// One entry per atom boundary.
    acc: Vec<Acc>,
    monotone: Monotone,
}

/// Whether a line's natural width can only shrink as its start moves right (every atom and
/// its gap at least as wide as what the atom loses at a line start), and the widest atom:
/// then, with one measure for all lines, once a candidate line is too short to consider so
/// are all that start later.
#[derive(Clone, Copy, Default)]
struct Monotone {
    holds: bool,
    widest: f32,
}

/// Points of natural width below which a paragraph's f32 prefix sums are exact enough for
/// [`Monotone`]'s shortcut (far from f32's precision limits; see [`PRUNE_MARGIN`]).
const MONOTONE_LIMIT: f32 = 1.0e5;

impl Sums {
    /// The prefix sums of paragraph `p`.
    fn new(p: &Para) -> Self {
        let n = p.atoms.len();
        let mut entries = Vec::with_capacity(n + 1);
        let mut acc = Acc::default();
        let mut mono = Monotone {
            holds: true,
            widest: 0.0,
        };
        for i in 0..=n {
            let atom = p.atoms.get(i);
            acc.start_cut = atom.map_or(0.0, start_cut);
            acc.end_cut = atom.map_or(0.0, |a| end_cut(a) + hang(p, a));
            entries.push(acc);
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
        mono.holds &= acc.atoms + acc.natural < MONOTONE_LIMIT;
        Sums {
            acc: entries,
            monotone: mono,
        }
    }

    /// The sums before atom `i` (zero past the end).
    fn at(&self, i: usize) -> Acc {
        self.acc.get(i).copied().unwrap_or_default()
    }
}

/// How a line fits a measure.
struct LineFit {
    /// Width left over at natural spacing (negative: too long).
    slack: f32,
    /// What its word spaces may shrink and stretch.
    shrink: f32,
    stretch: f32,
    /// Its letterspacing gaps and CJK–Latin gaps.
    letters: u32,
    cjk_latin: u32,
    /// Whether the line may be set ragged (flush left, never letter-spaced) when its spaces
    /// cannot fill it: Latin alone (words, a URL or its pieces), or credits of a byline.
    ragged: bool,
    /// Whether the line ends in a byline (or right after it): it holds credits only.
    credit: bool,
}

/// How the line of atoms `start..end` fits `width`.
fn fit(sums: &Sums, start: usize, end: usize, width: f32) -> LineFit {
    // Gaps inside the line are start..end-1; the gap at the break (end-1) vanishes.
    let inner = end.saturating_sub(1).max(start);
    fit_at(
        &sums.at(start),
        &sums.at(inner),
        &sums.at(end),
        end > start + 1,
        width,
    )
}

/// [`fit`] from the sums at the line's `start`, at its `last` atom and at its `end`;
/// `several`: the line has more than one atom.
fn fit_at(start: &Acc, last: &Acc, end: &Acc, several: bool, width: f32) -> LineFit {
    // clreq: an opening mark at line start loses its blank half; GB/T 15834 §5.1.10: a mark
    // at line end is set half width.
    let mut natural = end.atoms - start.atoms + last.natural - start.natural - start.start_cut;
    // A lone mark keeps its width; a lone syllable before a hyphen still gets the hyphen.
    if several || last.end_cut < 0.0 {
        natural -= last.end_cut;
    }
    LineFit {
        slack: width - natural,
        shrink: last.shrink - start.shrink,
        stretch: last.stretch - start.stretch,
        letters: last.letters - start.letters,
        cjk_latin: last.cjk_latin - start.cjk_latin,
        ragged: end.others == start.others,
        credit: false,
    }
}

/// Characters (ideographs, Latin tokens) on the line `s..e`.
fn chars(sums: &Sums, start: usize, end: usize) -> u32 {
    sums.at(end).chars - sums.at(start).chars
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

/// Body text in the fewest, best lines: a pruned pass, a full one, then an emergency pass.
fn body_lines(p: &Para, measures: Measures, shortcuts: bool) -> Vec<Line> {
    if p.atoms.is_empty() {
        return Vec::new();
    }
    let sums = Sums::new(p);
    let pass = |emergency| Pass {
        shortcuts,
        ..Pass::free(Mode::Body, emergency)
    };
    // No lines at all (an atom wider than every measure, even in the emergency pass): the
    // flow reports the paragraph overset, never drops it.
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

/// Body text in exactly `count` lines, none loose or forced.
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

/// What a pass sets: justified body text, or balanced ragged display text.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Justified lines filling their measure.
    Body,
    /// Balanced lines set flush (headlines, cross-heads, credits).
    Display,
}

/// Whether a break after atom `e - 1` falls inside a byline (its line holds credits only).
fn in_byline(p: &Para, e: usize) -> bool {
    e > 0 && p.gaps.get(e - 1).is_some_and(|g| g.credit)
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

/// Points of margin of [`ExactBound`] for the rounding of the f32 prefix sums.
const BOUND_MARGIN: f64 = 1.0;
/// Points of margin of [`ExactBound`] per line left: the 0.01 pt tolerance of the badness,
/// with room to spare.
const BOUND_MARGIN_PER_LINE: f64 = 0.05;
/// The fraction of its measure every line of a pruned pass fills at least (see
/// [`PRUNE_EMPTY`]), which [`ExactBound`] may assume.
const MIN_FILL: f64 = 0.5;

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
    /// The paragraph's raw natural width (atoms and gaps, no cuts).
    total_natural: f64,
    /// The paragraph's total shrink.
    total_shrink: f64,
}

impl ExactBound {
    /// The bound for `count` lines of `measures`, or `None` when no safe bound exists (odd
    /// glue or infinite widths): then every node is kept.
    fn new(p: &Para, sums: &Sums, measures: Measures, count: usize, prune: bool) -> Option<Self> {
        let n = p.atoms.len();
        let mut widths = Vec::with_capacity(count + 1);
        let mut room = 0.0f64;
        widths.push(room);
        for k in 0..count {
            room += f64::from(measures.get(k));
            widths.push(room);
        }
        // A line loses the start cut of its first atom and the end cut of its last.
        let (mut max_start, mut max_end, mut max_gap, mut nonneg) = (0.0f32, 0.0f32, 0.0f32, true);
        for a in &sums.acc {
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
        if !room.is_finite() || !max_cut.is_finite() {
            return None;
        }
        let totals = sums.at(n);
        Some(ExactBound {
            count,
            atoms: n,
            widths,
            allow: f64::from(max_cut) + f64::from(max_gap.max(0.0)),
            // Lines of Latin alone may be short (ragged): no lower bound then.
            lower: prune && nonneg && !p.atoms.iter().any(|a| a.class == Class::Latin),
            max_cut: f64::from(max_cut),
            total_natural: f64::from(totals.atoms) + f64::from(totals.natural),
            total_shrink: f64::from(totals.shrink),
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
        let nat = self.total_natural - f64::from(a.atoms) - f64::from(a.natural);
        let shrink = self.total_shrink - f64::from(a.shrink);
        let room = |from: usize, to: usize| {
            self.widths.get(to).copied().unwrap_or(f64::INFINITY)
                - self.widths.get(from).copied().unwrap_or(0.0)
        };
        let margin = BOUND_MARGIN + BOUND_MARGIN_PER_LINE * left as f64;
        let l = left as f64;
        if nat - l * self.allow > room(line, self.count) + shrink + margin {
            return false; // too much copy for the lines left
        }
        if self.lower && nat + self.max_cut + margin < MIN_FILL * room(line, self.count - 1) {
            return false; // too little copy to fill the lines left halfway
        }
        true
    }
}

/// A node retires once a line from it would be this many em too long even fully shrunk:
/// every later break makes that line longer still. The em of margin keeps the nodes an
/// emergency pass may still set an overfull line from; retiring late costs only time.
const RETIRE_OVERFULL: f32 = 1.01;

/// In a pruned pass, a line left more than this fraction of its measure empty is no
/// candidate: it would need over an em between characters (the next passes still have it).
const PRUNE_EMPTY: f32 = 0.5;

/// Points of margin when pruning every later node at once: covers rounding of the sums and
/// measures up to 0.01 pt apart.
const PRUNE_MARGIN: f32 = 0.1;

/// Where a line may end: after atom `pos - 1`.
#[derive(Clone, Copy)]
struct Breakpoint {
    /// One past the line's last atom.
    pos: usize,
    /// The paragraph's end.
    last: bool,
    /// A break kinsoku forbids, taken in an emergency pass as a last resort.
    forced: bool,
}

/// The break after atom `e - 1`, if a line may end there in this pass.
fn breakpoint(p: &Para, e: usize, emergency: bool) -> Option<Breakpoint> {
    let last = e == p.atoms.len();
    let gap = p.gaps.get(e.wrapping_sub(1));
    let allowed = last || gap.is_some_and(|g| g.breakable);
    let forced = !allowed && emergency && gap.is_some_and(|g| g.emergency);
    (allowed || forced).then_some(Breakpoint {
        pos: e,
        last,
        forced,
    })
}

/// Whether a line from an active node that stays active ends at a breakpoint.
enum Verdict {
    /// No line from it ends here.
    Skip,
    /// No line from it nor from any later active node ends here (they start even shorter
    /// lines).
    SkipRest,
    /// Weigh the line from it to here.
    Weigh,
}

/// What one total-fit pass weighs its lines against; fixed for the pass.
struct Weigher<'a> {
    p: &'a Para,
    sums: &'a Sums,
    measures: Measures<'a>,
    pass: Pass,
    /// The paragraph's em, at least 1 pt.
    em: f32,
    /// A line whose slack plus shrink falls below this retires its node ([`RETIRE_OVERFULL`]
    /// em too long).
    retire_below: f32,
    /// The first line from which every measure is the same: past it the line count does not
    /// matter (unless asked for one), so one node stands for all counts.
    uniform: usize,
    /// One measure for every line and lines that only shrink as their start moves right
    /// ([`Monotone`]): once a line is too short to consider, so are all later ones.
    one_measure: bool,
}

/// One total-fit pass in progress: every node found so far and the active ones (those a line
/// may still start from).
struct Search<'a> {
    weigher: Weigher<'a>,
    nodes: Vec<Node>,
    /// Indices into `nodes`.
    active: Vec<usize>,
    /// The best new node at the current breakpoint per line count (see `Weigher::uniform`).
    fresh: Vec<Node>,
    /// In an exact-count pass, which nodes can still end in that many lines.
    bound: Option<ExactBound>,
}

impl<'a> Search<'a> {
    /// A search holding only the paragraph's start.
    fn new(p: &'a Para, sums: &'a Sums, measures: Measures<'a>, pass: Pass) -> Self {
        let uniform = if pass.exact.is_some() {
            usize::MAX
        } else {
            measures.uniform_start()
        };
        let bound = match pass.exact {
            Some(count) if pass.shortcuts && !pass.emergency => {
                ExactBound::new(p, sums, measures, count, pass.prune)
            }
            _ => None,
        };
        // Lines of Latin alone are ragged and may be short: no line is too short to consider.
        let ragged = p.atoms.iter().any(|a| a.class == Class::Latin);
        let one_measure =
            pass.shortcuts && sums.monotone.holds && measures.uniform_start() == 0 && !ragged;
        let em = p.em.max(1.0);
        Search {
            weigher: Weigher {
                p,
                sums,
                measures,
                pass,
                em,
                retire_below: -em * RETIRE_OVERFULL,
                uniform,
                one_measure,
            },
            nodes: vec![Node::START],
            active: vec![0],
            fresh: Vec::new(),
            bound,
        }
    }

    /// Ends a line from every active node at `bp` where one may end: retires the nodes whose
    /// lines are now too long, then activates the best new nodes. Returns whether any node is
    /// still active (else the pass has no solution).
    fn advance(&mut self, bp: Breakpoint) -> bool {
        let kept = self
            .weigher
            .end_lines(bp, &self.nodes, &mut self.active, &mut self.fresh);
        self.active.truncate(kept);
        activate(
            &mut self.fresh,
            &mut self.nodes,
            &mut self.active,
            self.bound.as_ref(),
            self.weigher.sums,
        );
        !self.active.is_empty()
    }

    /// The node ending the paragraph (in the count asked for) with the least demerits.
    fn best_end(&self) -> Option<usize> {
        let n = self.weigher.p.atoms.len();
        let exact = self.weigher.pass.exact;
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, nd)| nd.pos == n && exact.is_none_or(|c| nd.line == c))
            .min_by(|a, b| a.1.demerits.total_cmp(&b.1.demerits))
            .map(|(i, _)| i)
    }

    /// The nodes from the paragraph's start (excluded) to node `end`, in order.
    fn path_to(&self, end: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut i = end;
        while let Some(nd) = self.nodes.get(i) {
            if nd.prev == Node::NO_PREV {
                break;
            }
            chain.push(i);
            i = nd.prev;
        }
        chain.reverse();
        chain
    }

    /// The lines along the best path.
    fn retrace(&self) -> Option<Vec<Line>> {
        let chain = self.path_to(self.best_end()?);
        let mut lines = Vec::with_capacity(chain.len());
        let mut start = 0;
        for (index, &node_id) in chain.iter().enumerate() {
            let node = self.nodes.get(node_id)?;
            lines.push(self.weigher.set_line(index, start, node));
            start = node.pos;
        }
        Some(lines)
    }
}

/// Makes the best new nodes active, but for those that cannot end in the count asked for.
fn activate(
    fresh: &mut Vec<Node>,
    nodes: &mut Vec<Node>,
    active: &mut Vec<usize>,
    bound: Option<&ExactBound>,
    sums: &Sums,
) {
    for node in fresh.iter() {
        if bound.is_some_and(|b| !b.reachable(sums, node.pos, node.line)) {
            continue;
        }
        nodes.push(*node);
        active.push(nodes.len() - 1);
    }
    fresh.clear();
}

impl Weigher<'_> {
    /// The active-list update at `bp`: ends a line there from each `active` node, offering
    /// the new nodes to `fresh`, and moves the nodes that stay active to the front, in
    /// order. Returns how many stay.
    fn end_lines(
        &self,
        bp: Breakpoint,
        nodes: &[Node],
        active: &mut [usize],
        fresh: &mut Vec<Node>,
    ) -> usize {
        // The sums at the break are the same for every candidate line ending here.
        let (inner, end) = (self.sums.at(bp.pos - 1), self.sums.at(bp.pos));
        let byline = in_byline(self.p, bp.pos);
        let mut kept = 0;
        for k in 0..active.len() {
            let Some(from_id) = active.get(k).copied() else {
                break;
            };
            let Some(&from) = nodes.get(from_id) else {
                break;
            };
            let width = self.measures.get(from.line);
            let start = self.sums.at(from.pos);
            let mut fit = fit_at(&start, &inner, &end, bp.pos > from.pos + 1, width);
            fit.ragged |= byline;
            fit.credit = byline;
            if self.retires(&from, &fit, bp) {
                continue;
            }
            active.swap(kept, k);
            kept += 1;
            match self.judge(&from, &fit, width, bp) {
                Verdict::Skip => {}
                Verdict::SkipRest => {
                    let rest = active.len() - k - 1;
                    active.copy_within(k + 1.., kept);
                    return kept + rest;
                }
                Verdict::Weigh => {
                    if let Some(node) = self.candidate(from_id, &from, &fit, width, bp) {
                        self.offer(fresh, node);
                    }
                }
            }
        }
        kept
    }

    /// Whether node `from` retires at `bp`: its line (measured as `fit`) is too long now and
    /// for every later break.
    fn retires(&self, from: &Node, fit: &LineFit, bp: Breakpoint) -> bool {
        let single = bp.pos == from.pos + 1;
        fit.slack + fit.shrink < self.retire_below && !(self.pass.emergency && single)
    }

    /// Whether the line from active node `from` to `bp` (measured as `fit` against `width`)
    /// is weighed, or skipped (a first pass skips lines under half full).
    fn judge(&self, from: &Node, fit: &LineFit, width: f32, bp: Breakpoint) -> Verdict {
        if self.pass.exact.is_some_and(|c| from.line >= c) {
            return Verdict::Skip; // already as many lines as asked for
        }
        if self.pass.prune && !bp.last && fit.slack > PRUNE_EMPTY * width && !fit.ragged {
            if self.one_measure
                && fit.slack > PRUNE_EMPTY * width + PRUNE_MARGIN
                && width > 2.0 * self.sums.monotone.widest + PRUNE_MARGIN
            {
                return Verdict::SkipRest;
            }
            return Verdict::Skip;
        }
        Verdict::Weigh
    }

    /// The node a line from node `from_id` to `bp` makes, with its demerits: the line's
    /// badness and the costs of its break; `None` when the line cannot be set in this pass.
    fn candidate(
        &self,
        from_id: usize,
        from: &Node,
        fit: &LineFit,
        width: f32,
        bp: Breakpoint,
    ) -> Option<Node> {
        let (p, emergency) = (self.p, self.pass.emergency);
        let overfull_single = emergency && bp.pos == from.pos + 1 && fit.slack + fit.shrink < 0.0;
        let badness = match self.pass.mode {
            Mode::Display => costs::display_badness(fit, width),
            Mode::Body => costs::badness(fit, self.em, bp.last),
        };
        let badness = match badness {
            Some(b) => b,
            None if emergency && (overfull_single || fit.slack >= 0.0) => costs::UNSETTABLE,
            None => return None,
        };
        let mut demerits = costs::line_demerits(badness);
        if bp.forced {
            demerits += costs::forced_break_cost(p, bp.pos);
        }
        if !bp.last {
            demerits += costs::seam_cost(p, bp.pos, self.pass.mode);
            if from.line == 0 && p.display_first_line {
                demerits += costs::first_line_cost(p, bp.pos);
            }
        }
        if bp.last && chars(self.sums, from.pos, bp.pos) < costs::MIN_LAST_CHARS && from.pos > 0 {
            demerits += costs::SHORT_LAST_LINE;
        }
        Some(Node {
            pos: bp.pos,
            line: from.line + 1,
            demerits: from.demerits + demerits,
            prev: from_id,
            forced: bp.forced || overfull_single,
        })
    }

    /// Keeps `node` among the `fresh` nodes if it is the best yet at its breakpoint for its
    /// line count (all counts past `uniform` are one).
    fn offer(&self, fresh: &mut Vec<Node>, node: Node) {
        let uniform = self.uniform;
        let key = |line: usize| if line >= uniform { usize::MAX } else { line };
        match fresh.iter_mut().find(|x| key(x.line) == key(node.line)) {
            Some(x) if x.demerits <= node.demerits => {}
            Some(x) => *x = node,
            None => fresh.push(node),
        }
    }

    /// Line `index` of the result, from atom `start` to `node`: its measure, and the spacing
    /// justification gives its letterspacing gaps (or its CJK–Latin gaps when it has none).
    fn set_line(&self, index: usize, start: usize, node: &Node) -> Line {
        let width = self.measures.get(index);
        let mut f = fit(self.sums, start, node.pos, width);
        f.ragged |= in_byline(self.p, node.pos);
        f.credit = in_byline(self.p, node.pos);
        let last = node.pos == self.p.atoms.len();
        let gaps = if f.letters > 0 {
            f.letters
        } else {
            f.cjk_latin
        };
        let ragged = !last && f.ragged && f.slack > f.stretch + costs::TOLERANCE;
        let spacing = if last || gaps == 0 || ragged {
            0.0
        } else {
            (f.slack - f.stretch).max(0.0) / gaps as f32 / self.em
        };
        Line {
            start,
            end: node.pos,
            width,
            last,
            spacing,
            forced: node.forced,
            ragged,
        }
    }
}

/// One total-fit pass: the candidate breakpoints in order, each ending lines from the active
/// nodes, then the best path retraced into lines.
fn run_pass(p: &Para, sums: &Sums, m: Measures, pass: Pass) -> Option<Vec<Line>> {
    let mut search = Search::new(p, sums, m, pass);
    for e in 1..=p.atoms.len() {
        let Some(bp) = breakpoint(p, e, pass.emergency) else {
            continue;
        };
        if !search.advance(bp) {
            return None;
        }
    }
    search.retrace()
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
