//! What the line breaker weighs: the badness of a line (how far its glue is spread or
//! squeezed) and the cost of a break (what it cuts), as total-fit demerits.
//!
//! The sizes are tiers rather than fine weights, each far above the one below. Badness (of a
//! line's spacing) and break costs are different quantities: a line's demerits add its
//! squared badness to its break's cost, so an unfillable line (badness 1e6, demerits about
//! 1e12) outweighs even a forced kinsoku break (1e10). Does not choose breaks; the pass in the
//! parent module adds these up.

use super::{LineFit, Mode, LOOSE};
use crate::shape::class::Class;
use crate::shape::{Para, Seam};

/// Slack, in points, below which a line counts as exactly full (rounding of the sums).
pub(super) const TOLERANCE: f32 = 0.01;

/// Added to a line's badness before squaring it into demerits (Knuth–Plass's line penalty):
/// with it, fewer lines win among otherwise equal settings.
pub(super) const LINE_PENALTY: f64 = 10.0;

// --- Badness of a body line (cjk-rules.md §3: push-in before push-out) ---

/// Weight of the cubed shrink ratio of word spaces (push-in): lowest of all, so that
/// tightening a line is preferred to spreading it.
const PUSH_IN: f64 = 20.0;
/// Weight of the cubed stretch ratio of word spaces: a line its spaces fill is good.
const WORD_STRETCH: f64 = 50.0;
/// Base badness of a line that must be letter-spaced (or set ragged): as much as a line its
/// word spaces fill at full stretch, before the letterspacing's own cost is added.
const LETTERSPACED: f64 = 50.0;
/// Weight of the cubed letterspacing, as a fraction of [`LOOSE`]: a line at ¼ em costs
/// this much more than a full one.
const LETTERSPACE_WEIGHT: f64 = 100.0;
/// How a ragged Latin line's shortfall, in em, grows its badness (squared after scaling):
/// the shorter, the worse.
const RAGGED_SHORTFALL: f64 = 3.0;
/// How the shortfall, in em, of a line of credits (a byline broken inside or right after it,
/// flush left) grows its badness (squared after scaling): in a justified column such a line
/// reads as a paragraph's end, so a line 2 em short costs more than breaking a date
/// ([`BODY_PHRASE`]) or letter-spacing a line to ¼ em.
const CREDIT_SHORTFALL: f64 = 10.0;
/// Base badness of a line that only its CJK–Latin gaps can fill (the last tier before an
/// unfillable line): above any letter-spaced line up to about 2 × [`LOOSE`].
const CJK_LATIN_ONLY: f64 = 1000.0;
/// A line with nothing to widen at all (one character or one token alone), set flush left:
/// above any loose line (issue 14: never one character alone on a line).
const UNFILLABLE: f64 = 1e6;

// --- Badness of a display line (balanced, ragged) ---

/// Scale of a display line's leftover fraction of its measure before squaring: a line
/// half empty costs 25, a full one 0.
const DISPLAY_SLACK: f64 = 10.0;
/// Smallest measure, in points, a display line's slack is divided by (no division by 0).
const DISPLAY_MIN_WIDTH: f32 = 1.0;

// --- Last resorts of an emergency pass ---

/// Badness given to a line that cannot be set (overfull, or loose with nothing to stretch)
/// in an emergency pass: above every comfortably settable line's badness, below every forced
/// break's cost.
pub(super) const UNSETTABLE: f64 = 2e4;
/// A forced break splitting a token wider than the measure, or between a credit's title and
/// its name: the first of the last resorts.
const FORCED_IN_TOKEN: f64 = 1e9;
/// A forced break inside a name of a credit wider than the measure.
const FORCED_IN_WORD: f64 = 3e9;
/// A forced break against kinsoku: the very last resort.
const FORCED_KINSOKU: f64 = 1e10;

// --- What a break cuts (issue 14) ---

/// Body text: a break inside a word only breaks ties.
const BODY_WORD: f64 = 150.0;
/// Body text: a break between the shorter words of a long compound, cheaper than inside a word.
const BODY_COMPOUND: f64 = 50.0;
/// Body text: a break inside a date or a time, taken where it saves a loose line.
const BODY_PHRASE: f64 = 3000.0;
/// Body text: a break at an English hyphenation point.
const BODY_HYPHEN: f64 = 4000.0;
/// Body text: a break inside a URL or an e-mail address.
const BODY_TOKEN: f64 = 6000.0;
/// Display text: a break beside punctuation, the best after a space.
const DISPLAY_MARK: f64 = 300.0;
/// Display text: a break between words that is neither at a space nor beside punctuation.
const DISPLAY_FREE: f64 = 3000.0;
/// Display text: a break between the shorter words of a long compound.
const DISPLAY_COMPOUND: f64 = 2e4;
/// Display text: a break at a hyphenation point or inside a URL.
const DISPLAY_TOKEN: f64 = 2e5;
/// Display text (and a caption's first line): a break inside a word, a date or a time, only
/// when nothing else fits.
const DISPLAY_WORD: f64 = 1e6;
/// cjk-rules.md §6: a paragraph's last line of fewer than [`MIN_LAST_CHARS`] characters, added
/// to that line's demerits (as much as a word broken in display text).
pub(super) const SHORT_LAST_LINE: f64 = 1e6;
/// The fewest characters (ideographs, Latin tokens) a paragraph's last line holds.
pub(super) const MIN_LAST_CHARS: u32 = 2;

/// Badness of a body line, or `None` when it cannot be set (too long, or loose with nothing
/// to stretch). `last`: the paragraph's last line, set flush left.
#[inline]
pub(super) fn badness(f: &LineFit, em: f32, last: bool) -> Option<f64> {
    if f.slack < -TOLERANCE {
        return push_in(f);
    }
    if last {
        return Some(0.0);
    }
    let rest = (f.slack - f.stretch).max(0.0);
    let word = f64::from((f.slack.min(f.stretch)) / f.stretch.max(TOLERANCE));
    if rest <= TOLERANCE {
        return Some(word * word * word * WORD_STRETCH);
    }
    if f.ragged {
        // Latin alone on a line (words, a token or its pieces), or credits of a byline, that
        // its spaces cannot fill: set ragged (flush left), never letter-spaced; the shorter,
        // the worse.
        let per_em = if f.credit {
            CREDIT_SHORTFALL
        } else {
            RAGGED_SHORTFALL
        };
        let r = f64::from(f.slack / em) * per_em;
        return Some(LETTERSPACED + r * r);
    }
    if f.letters == 0 {
        return cjk_latin_spread(f, rest, em);
    }
    let per = f64::from(rest / f.letters as f32 / em);
    let r = per / f64::from(LOOSE);
    Some(LETTERSPACED + r * r * r * LETTERSPACE_WEIGHT)
}

/// Badness of a line too long at natural spacing: its word spaces shrink (push-in), or
/// `None` when they cannot shrink enough.
#[inline]
fn push_in(f: &LineFit) -> Option<f64> {
    if -f.slack > f.shrink + TOLERANCE {
        return None;
    }
    let r = f64::from(-f.slack / f.shrink.max(TOLERANCE));
    Some(r * r * r * PUSH_IN)
}

/// Badness of a line with no letterspacing gap, `rest` points short after its word spaces:
/// a line of CJK and one long token widens its CJK–Latin gaps (the last tier), a line with
/// nothing to widen is set flush left.
#[inline]
fn cjk_latin_spread(f: &LineFit, rest: f32, em: f32) -> Option<f64> {
    if f.cjk_latin == 0 {
        return Some(UNFILLABLE);
    }
    let r = f64::from(rest / f.cjk_latin as f32 / em) / f64::from(LOOSE);
    Some(CJK_LATIN_ONLY + r * r * r * LETTERSPACE_WEIGHT)
}

/// Badness of a ragged display line: balanced lines are best.
#[inline]
pub(super) fn display_badness(f: &LineFit, width: f32) -> Option<f64> {
    if f.slack + f.shrink < -TOLERANCE {
        return None;
    }
    let r = f64::from(f.slack.max(0.0) / width.max(DISPLAY_MIN_WIDTH)) * DISPLAY_SLACK;
    Some(r * r)
}

/// Demerits of a line of badness `badness` (before the costs of its break).
#[inline]
pub(super) fn line_demerits(badness: f64) -> f64 {
    (LINE_PENALTY + badness) * (LINE_PENALTY + badness)
}

/// The seam a break after atom `e - 1` cuts.
#[inline]
fn seam_at(p: &Para, e: usize) -> Seam {
    p.gaps
        .get(e.saturating_sub(1))
        .map_or(Seam::Free, |g| g.seam)
}

/// Demerits of a forced break after atom `e - 1` of an emergency pass (kinsoku broken, or a
/// token or credit wider than the measure split): the last resorts, in their order.
#[inline]
pub(super) fn forced_break_cost(p: &Para, e: usize) -> f64 {
    let token = p
        .atoms
        .get(e.wrapping_sub(1))
        .zip(p.atoms.get(e))
        .is_some_and(|(x, y)| {
            x.class == Class::Latin && y.class == Class::Latin && x.text.end == y.text.start
        });
    // A credit wider than the measure breaks between its title and its name before it breaks
    // inside a name; kinsoku is broken last.
    match seam_at(p, e) {
        _ if token => FORCED_IN_TOKEN,
        Seam::Phrase => FORCED_IN_TOKEN,
        Seam::Word => FORCED_IN_WORD,
        _ => FORCED_KINSOKU,
    }
}

/// Demerits of a break after atom `e - 1`, by what it cuts (issue 14). In body text a break
/// inside a word only breaks ties, one inside a date or a time, at a hyphenation point or
/// inside an address is taken where it saves a loose line; display text breaks at spaces, then
/// beside punctuation, then between words, and inside a word only when nothing else fits.
#[inline]
pub(super) fn seam_cost(p: &Para, e: usize, mode: Mode) -> f64 {
    match (mode, seam_at(p, e)) {
        (Mode::Body, Seam::Free) => 0.0,
        (Mode::Body, Seam::Word) => BODY_WORD,
        (Mode::Body, Seam::Compound) => BODY_COMPOUND,
        (Mode::Body, Seam::Phrase) => BODY_PHRASE,
        (Mode::Body, Seam::Hyphen) => BODY_HYPHEN,
        (Mode::Body, Seam::Token) => BODY_TOKEN,
        (Mode::Display, Seam::Free) if at_space(p, e) => 0.0,
        (Mode::Display, Seam::Free) if at_mark(p, e) => DISPLAY_MARK,
        (Mode::Display, Seam::Free) => DISPLAY_FREE,
        (Mode::Display, Seam::Compound) => DISPLAY_COMPOUND,
        (Mode::Display, Seam::Hyphen | Seam::Token) => DISPLAY_TOKEN,
        (Mode::Display, Seam::Word | Seam::Phrase) => DISPLAY_WORD,
    }
}

/// Extra demerits of a break after atom `e - 1` that ends a caption's first line: inside a
/// word only when nothing else fits (issue 14); the line stays justified, so free breaks cost
/// nothing more.
#[inline]
pub(super) fn first_line_cost(p: &Para, e: usize) -> f64 {
    match seam_at(p, e) {
        Seam::Word | Seam::Phrase => DISPLAY_WORD,
        _ => 0.0,
    }
}

/// Whether a break after atom `e - 1` falls at a space (a phrase boundary of a headline).
#[inline]
fn at_space(p: &Para, e: usize) -> bool {
    p.atoms
        .get(e.saturating_sub(1))
        .is_some_and(|a| a.class == Class::IdeoSpace)
        || p.atoms.get(e).is_some_and(|a| a.class == Class::IdeoSpace)
        || p.gaps
            .get(e.saturating_sub(1))
            .is_some_and(|g| g.natural > 0.0 && g.stretch > 0.0 && !g.cjk_latin)
}

/// Whether a break after atom `e - 1` falls beside punctuation (after a stop or a closing
/// mark, before an opening mark).
#[inline]
fn at_mark(p: &Para, e: usize) -> bool {
    p.atoms
        .get(e.saturating_sub(1))
        .is_some_and(|a| matches!(a.class, Class::Stop | Class::Closing | Class::MiddleDot))
        || p.atoms.get(e).is_some_and(|a| a.class == Class::Opening)
}
