//! Vertical forms (竖排): a paragraph shaped for horizontal lines turned into one for a vertical
//! line, before punctuation widths and glue are settled. CJK glyphs take their vertical forms
//! and advances; runs of up to `tcy` digits become one upright em across the column (纵中横);
//! other Latin, dashes and ellipses are turned 90° clockwise and keep their horizontal widths
//! along the column (clreq §3.3 "Mixed text in vertical writing").
//!
//! Does not place lines or columns; `flow` does.

use super::class::{Align, Class};
use super::{Atom, Orient, Para};
use crate::error::Result;
use crate::fonts::FontBook;

/// Turns `para` (shaped for a horizontal line) into its vertical setting; `tcy` is the most
/// digits set across one em (0: none).
pub(super) fn apply(para: &mut Para, tcy: u32, book: &FontBook) -> Result<()> {
    join_tcy_tokens(para, tcy);
    for k in 0..para.atoms.len() {
        let Some(atom) = para.atoms.get(k).cloned() else {
            continue;
        };
        let text = para
            .text
            .get(atom.text.start as usize..atom.text.end as usize)
            .unwrap_or("");
        if atom.class == Class::Latin && is_tcy(text, tcy) && whole_token(para, k) {
            across(para, k, &atom);
        } else if atom.class == Class::Latin || turned_mark(text) {
            for g in glyphs_mut(para, &atom) {
                g.orient = Orient::Turned;
            }
        } else {
            upright(para, k, &atom, book)?;
        }
    }
    Ok(())
}

/// Joins the pieces of each Latin token short enough for 纵中横 into one atom (the shaper may
/// cut a number between its digits as a last resort; 纵中横 sets it as one em).
fn join_tcy_tokens(para: &mut Para, tcy: u32) {
    let mut k = 0;
    while k < para.atoms.len() {
        let Some(first) = para.atoms.get(k).cloned() else {
            break;
        };
        // The atoms after `k` that continue its Latin token.
        let mut end = k + 1;
        let mut last = first.clone();
        while let Some(next) = para.atoms.get(end) {
            if first.class != Class::Latin
                || next.class != Class::Latin
                || next.text.start != last.text.end
                || next.glyphs.start != last.glyphs.end
            {
                break;
            }
            last = next.clone();
            end += 1;
        }
        let token = para
            .text
            .get(first.text.start as usize..last.text.end as usize)
            .unwrap_or("");
        if end > k + 1 && is_tcy(token, tcy) {
            if let Some(a) = para.atoms.get_mut(k) {
                a.text.end = last.text.end;
                a.glyphs.end = last.glyphs.end;
            }
            para.atoms.drain(k + 1..end);
            k += 1;
        } else {
            k = end;
        }
    }
}

/// Whether Latin atom `k` is a whole token (no Latin piece of the same token beside it).
fn whole_token(para: &Para, k: usize) -> bool {
    let joins = |a: Option<&Atom>, b: Option<&Atom>| match (a, b) {
        (Some(a), Some(b)) => {
            a.class == Class::Latin && b.class == Class::Latin && a.text.end == b.text.start
        }
        _ => false,
    };
    let (before, at, after) = (
        k.checked_sub(1).and_then(|i| para.atoms.get(i)),
        para.atoms.get(k),
        para.atoms.get(k + 1),
    );
    !joins(before, at) && !joins(at, after)
}

/// Whether a Latin token is a number short enough for 纵中横: ASCII digits only, at most `tcy`.
fn is_tcy(text: &str, tcy: u32) -> bool {
    !text.is_empty() && text.len() <= tcy as usize && text.bytes().all(|b| b.is_ascii_digit())
}

/// Marks drawn as horizontal glyphs turned a quarter: dashes and ellipses, which a vertical
/// line shows as a vertical stroke and a column of dots (GB/T 15834 §4.2, §4.3 vertical forms).
fn turned_mark(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| matches!(c, '—' | '⸺' | '⸻' | '…' | '⋯' | '–' | '―'))
}

fn glyphs_mut<'a>(para: &'a mut Para, atom: &Atom) -> impl Iterator<Item = &'a mut super::Glyph> {
    para.glyphs
        .get_mut(atom.glyphs.start as usize..atom.glyphs.end as usize)
        .into_iter()
        .flatten()
}

/// 纵中横: the digits side by side across one em of the column, centred on it, narrowed
/// together when wider than the em; the atom is one em long and behaves as an ideograph.
fn across(para: &mut Para, k: usize, atom: &Atom) {
    let em = atom.size;
    let wide: f32 = glyphs_mut(para, atom).map(|g| g.advance).sum();
    let scale = if wide > em { em / wide } else { 1.0 };
    let mut left = -(wide * scale) / 2.0;
    for g in glyphs_mut(para, atom) {
        g.orient = Orient::Across(left);
        g.x = 0.0;
        g.advance *= scale;
        g.scale = scale;
        left += g.advance;
    }
    if let Some(a) = para.atoms.get_mut(k) {
        a.class = Class::Ideograph;
        a.align = Align::Center;
        a.width = em;
        a.squeeze = 0.0;
        a.joined = false;
    }
}

/// An upright CJK character or mark: its vertical form and, for an ideograph, its vertical
/// advance as the atom's length (marks keep their em box: their vertical forms sit in it
/// as the horizontal ones do, ink towards the same end).
fn upright(para: &mut Para, k: usize, atom: &Atom, book: &FontBook) -> Result<()> {
    let mut length = None;
    for i in atom.glyphs.start as usize..atom.glyphs.end as usize {
        let Some(g) = para.glyphs.get(i).copied() else {
            continue;
        };
        let Some(c) = para
            .text
            .get(g.start as usize..g.end as usize)
            .and_then(|t| t.chars().next())
        else {
            continue;
        };
        if let Some((id, advance)) = book.face(g.face)?.vertical_form(c) {
            if let Some(slot) = para.glyphs.get_mut(i) {
                slot.id = id;
                if atom.class == Class::Ideograph && g.x == 0.0 {
                    slot.advance = advance * atom.size;
                    length = Some(slot.advance);
                }
            }
        }
    }
    if let (Some(w), Some(a)) = (length, para.atoms.get_mut(k)) {
        if atom.glyphs.len() == 1 {
            a.width = w;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::fonts::FontBook;
    use crate::shape::{shape_vertical, Orient, Para, Run};

    fn book() -> FontBook {
        let layout = crate::model::layout::resolve_layout(
            "broadsheet",
            std::path::Path::new("/none/p.toml"),
            "",
            0,
        )
        .unwrap();
        FontBook::new(&layout.fonts)
    }

    fn set(book: &FontBook, text: &str, tcy: u32) -> Para {
        let layout =
            crate::model::layout::resolve_layout("broadsheet", "/none/p.toml".as_ref(), "", 0)
                .unwrap();
        let run = Run {
            text,
            face: book.id("serif").unwrap(),
            size: 9.0,
            keep: false,
        };
        shape_vertical(&[run], 0.0, (&layout.text, tcy), book).unwrap()
    }

    /// The orientation of each glyph of `text` in `p`.
    fn orients(p: &Para, text: &str) -> Vec<Orient> {
        let at = p.text.find(text).unwrap();
        p.glyphs
            .iter()
            .filter(|g| g.start as usize >= at && (g.end as usize) <= at + text.len())
            .map(|g| g.orient)
            .collect()
    }

    #[test]
    fn short_numbers_go_across_long_ones_and_words_are_turned() {
        let book = book();
        let p = set(&book, "第3届2026年12月Linguistics，", 2);
        assert!(matches!(orients(&p, "3")[..], [Orient::Across(_)]));
        assert!(matches!(orients(&p, "12")[..], [Orient::Across(a), Orient::Across(b)] if a < b));
        assert!(orients(&p, "2026").iter().all(|o| *o == Orient::Turned));
        assert!(orients(&p, "Linguistics")
            .iter()
            .all(|o| *o == Orient::Turned));
        // One em each, as an ideograph.
        let twelve = p
            .atoms
            .iter()
            .find(|a| &p.text[a.text.start as usize..a.text.end as usize] == "12");
        assert_eq!(twelve.map(|a| a.width), Some(9.0));
        // tcy = 0: no 纵中横, every number turned.
        let none = set(&book, "第3届12月", 0);
        assert!(orients(&none, "3")
            .iter()
            .chain(&orients(&none, "12"))
            .all(|o| *o == Orient::Turned));
    }

    #[test]
    fn marks_take_their_vertical_forms() {
        let book = book();
        let p = set(&book, "雪，静。", 2);
        let face = book.face(book.id("serif").unwrap()).unwrap();
        for c in ['，', '。'] {
            let at = p.text.find(c).unwrap() as u32;
            let g = p.glyphs.iter().find(|g| g.start == at).unwrap();
            assert_ne!(Some(g.id), face.glyph(c), "{c} keeps its horizontal form");
            assert_eq!(g.orient, Orient::Upright);
        }
    }
}
