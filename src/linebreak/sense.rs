//! Breaks by sense (issue 14): of the breaks kinsoku allows, which a 版面编辑 would take. Marks
//! each gap of a shaped paragraph with what a break there would cut ([`Seam`]): a word, a date
//! or a time; glues a number to its unit (7月, 28094万元, 3.2亿美元, 1,280万平方米) and 第 to its
//! number; opens URLs and e-mail addresses after `/ . @ -` and English words at their
//! hyphenation points; in a byline, allows breaks only between credits.
//!
//! Does not choose breaks: the line breaker weighs the seams (small costs in body text, last
//! resorts in display text).

use super::Seam;
use crate::segment::{Words, COMPOUND};
use crate::shape::class::{is_address, Class};
use crate::shape::{Atom, Gap, Para};

/// How far a space between credits may stretch, in em of the space: a byline's line short
/// of its measure widens these first, then is set flush left (names are never letter-spaced).
const CREDIT_SPACE_STRETCH: f32 = 0.5;

/// Units a number keeps (GB/T 15835; cjk-rules.md §5): measure words of dates, times, money,
/// quantities. A magnitude (万 亿 千 百) may be followed by another unit (万元, 亿美元).
/// Classifiers (个 件 家 人 次) are not here: a break before them is allowed.
const UNITS: &[&str] = &[
    "平方公里",
    "平方千米",
    "平方米",
    "立方米",
    "千瓦时",
    "公里",
    "千米",
    "厘米",
    "毫米",
    "公顷",
    "公斤",
    "千克",
    "毫升",
    "美元",
    "欧元",
    "英镑",
    "港元",
    "日元",
    "韩元",
    "卢布",
    "千瓦",
    "兆瓦",
    "小时",
    "分钟",
    "周年",
    "周岁",
    "年",
    "月",
    "日",
    "号",
    "时",
    "分",
    "秒",
    "点",
    "万",
    "亿",
    "千",
    "百",
    "元",
    "角",
    "米",
    "亩",
    "吨",
    "克",
    "斤",
    "升",
    "岁",
    "度",
    "倍",
    "天",
    "周",
];

/// Magnitudes after which another unit may follow.
const MAGNITUDES: &[&str] = &["万", "亿", "千", "百"];

/// Times of day that stay with the time after them (下午4:30).
const DAY_PARTS: &[&str] = &[
    "上午", "下午", "中午", "晚上", "凌晨", "早上", "傍晚", "清晨",
];

/// Titles that start a credit in a byline: a break may come before them.
const TITLES: &[&str] = &[
    "本报记者",
    "本报通讯员",
    "见习记者",
    "特约记者",
    "首席记者",
    "记者",
    "通讯员",
    "实习生",
    "摄影",
    "摄像",
    "编辑",
    "校对",
];

/// Marks the gaps of `p` by sense. `byline`: the length in bytes of the byline at the start of
/// the paragraph's text (0 for none).
pub fn mark(p: &mut Para, words: &Words, byline: usize) {
    let ends = words.ends(&p.text);
    mark_with(p, &ends, byline);
}

/// [`mark`] with the word ends of the paragraph's text given (byte offsets, ascending).
pub fn mark_with(p: &mut Para, ends: &[u32], byline: usize) {
    let split = ends.partition_point(|e| e & COMPOUND == 0);
    let (ends, inner) = ends.split_at(split);
    let text = p.text.as_str();
    let n = p.gaps.len();
    for i in 0..n {
        let (Some(a), Some(b)) = (p.atoms.get(i), p.atoms.get(i + 1)) else {
            continue;
        };
        let at = b.text.start;
        let seam = if is_han(a) && is_han(b) && a.text.end == at && ends.binary_search(&at).is_err()
        {
            if inner.binary_search(&(at | COMPOUND)).is_ok() {
                Seam::Compound
            } else {
                Seam::Word
            }
        } else if latin_inside(a, b) {
            token_seam(text, p, i)
        } else {
            Seam::Free
        };
        if let Some(g) = p.gaps.get_mut(i) {
            g.seam = seam;
            if matches!(seam, Seam::Hyphen | Seam::Token) {
                g.breakable = true;
            }
        }
    }
    glue_units(p);
    mark_phrases(p);
    if byline > 0 {
        credits_only(p, byline);
    }
}

fn is_han(a: &Atom) -> bool {
    a.class == Class::Ideograph && !a.glyphs.is_empty()
}

fn latin_inside(a: &Atom, b: &Atom) -> bool {
    a.class == Class::Latin && b.class == Class::Latin && a.text.end == b.text.start
}

/// The seam inside a Latin token between atoms `i` and `i + 1`: a hyphenation point of an
/// English word; inside a URL or an e-mail address, any cut before a letter or digit (after
/// `/ . @ -`, or at a syllable of a long part, no hyphen added); else nothing to open
/// (numbers, phone numbers, times).
fn token_seam(text: &str, p: &Para, i: usize) -> Seam {
    let Some(a) = p.atoms.get(i) else {
        return Seam::Free;
    };
    if a.squeeze < 0.0 {
        return Seam::Hyphen;
    }
    if a.joined {
        return Seam::Free; // cut only for length: a last resort (not breakable)
    }
    // Only before a letter or digit (never https:/｜/, never before a mark).
    let next = p
        .atoms
        .get(i + 1)
        .and_then(|b| text.get(b.text.start as usize..))
        .and_then(|t| t.chars().next());
    if !next.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return Seam::Free; // stays a last resort (not breakable)
    }
    // The whole token: contiguous Latin atoms around the gap.
    let mut s = i;
    while s > 0
        && p.atoms
            .get(s - 1)
            .zip(p.atoms.get(s))
            .is_some_and(|(x, y)| latin_inside(x, y))
    {
        s -= 1;
    }
    let mut e = i + 1;
    while p
        .atoms
        .get(e + 1)
        .is_some_and(|y| p.atoms.get(e).is_some_and(|x| latin_inside(x, y)))
    {
        e += 1;
    }
    let from = p.atoms.get(s).map_or(0, |x| x.text.start as usize);
    let to = p.atoms.get(e).map_or(0, |x| x.text.end as usize);
    if is_address(text.get(from..to).unwrap_or("")) {
        Seam::Token
    } else {
        Seam::Free
    }
}

/// The unit that starts at byte `at` of `text`, longest first.
fn unit_at(text: &str, at: usize) -> Option<&'static str> {
    let rest = text.get(at..)?;
    UNITS
        .iter()
        .filter(|u| rest.starts_with(**u))
        .max_by_key(|u| u.len())
        .copied()
}

/// Whether atom `a` ends with an ASCII digit (a number).
fn ends_number(text: &str, a: &Atom) -> bool {
    a.class == Class::Latin
        && text
            .get(a.text.start as usize..a.text.end as usize)
            .and_then(|t| t.chars().next_back())
            .is_some_and(|c| c.is_ascii_digit())
}

/// Glues a number to the units after it and 第 to the number after it: no break there in
/// normal setting (a last resort only).
fn glue_units(p: &mut Para) {
    // The text and atoms are read while the gaps are written: borrowed apart, not copied.
    let Para {
        text, atoms, gaps, ..
    } = p;
    let text = text.as_str();
    let n = atoms.len();
    let mut i = 0;
    while i + 1 < n {
        let (Some(a), Some(b)) = (atoms.get(i), atoms.get(i + 1)) else {
            break;
        };
        let ordinal = text.get(a.text.start as usize..a.text.end as usize) == Some("第")
            && b.class == Class::Latin
            && b.text.start == a.text.end;
        let number = ends_number(text, a) && b.text.start == a.text.end;
        let at = b.text.start as usize;
        // An area code in brackets stays with its number: （0375）｜6155012.
        let area_code = text.get(a.text.start as usize..a.text.end as usize) == Some("）")
            && b.text.start == a.text.end
            && ends_number(text, b)
            && i >= 2
            && atoms.get(i - 1).is_some_and(|x| {
                text.get(x.text.start as usize..x.text.end as usize)
                    .is_some_and(|t| t.chars().all(|c| c.is_ascii_digit()))
            });
        if ordinal || area_code {
            unbreak(gaps, i);
        }
        if !number {
            i += 1;
            continue;
        }
        // The unit chain after the number: the number never leaves its first unit, a unit is
        // never split, and a unit after a magnitude (万｜元) is a phrase: kept where the measure
        // allows.
        let mut at = at;
        let mut j = i; // the gap before the unit's first atom
        let mut first = true;
        while let Some(u) = unit_at(text, at) {
            let end = at + u.len();
            if first {
                unbreak(gaps, j);
            } else if let Some(g) = gaps.get_mut(j) {
                g.seam = Seam::Phrase;
            }
            j += 1;
            while atoms
                .get(j + 1)
                .is_some_and(|x| (x.text.end as usize) <= end)
            {
                unbreak(gaps, j);
                j += 1;
            }
            at = end;
            first = false;
            if !MAGNITUDES.contains(&u) {
                break;
            }
        }
        let j = j.saturating_sub(1);
        i = j.max(i + 1);
    }
}

fn unbreak(gaps: &mut [Gap], gap: usize) {
    if let Some(g) = gaps.get_mut(gap) {
        g.breakable = false;
        g.emergency = true;
    }
}

/// Marks the inside of dates and times as phrases: after 年 月 时 点 when a number follows
/// (2026年｜11月), and between a time of day and its time (下午｜4:30).
fn mark_phrases(p: &mut Para) {
    let text = p.text.as_str();
    let mut marks = Vec::new();
    for (i, pair) in p.atoms.windows(2).enumerate() {
        let (Some(a), Some(b)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        if b.class != Class::Latin
            || !text
                .get(b.text.start as usize..)
                .and_then(|t| t.chars().next())
                .is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        let before = text.get(..a.text.end as usize).unwrap_or("");
        let date_part = ["年", "月", "时", "点"].iter().any(|u| before.ends_with(u))
            && p.atoms
                .get(i.wrapping_sub(1))
                .is_some_and(|x| ends_number(text, x));
        let day_part = DAY_PARTS.iter().any(|d| before.ends_with(d));
        if date_part || day_part {
            marks.push(i);
        }
    }
    for i in marks {
        if let Some(g) = p.gaps.get_mut(i) {
            g.seam = Seam::Phrase;
        }
    }
}

/// In the byline (the first `len` bytes), a break only between credits: at a space between
/// names, after a closing bracket or a mark, before an opening bracket or a title (记者,
/// 通讯员 …); never between a title and its name.
fn credits_only(p: &mut Para, len: usize) {
    let Para {
        text, atoms, gaps, ..
    } = p;
    let text = text.as_str();
    for (i, g) in gaps.iter_mut().enumerate() {
        let (Some(a), Some(b)) = (atoms.get(i), atoms.get(i + 1)) else {
            continue;
        };
        if b.text.start as usize > len {
            break;
        }
        if b.text.start as usize == len {
            g.credit = true; // a line ending with the byline holds credits only
            break;
        }
        let spaced = a.text.end != b.text.start
            || matches!(a.class, Class::IdeoSpace)
            || matches!(b.class, Class::IdeoSpace);
        let at = b.text.start as usize;
        let title = text
            .get(at..)
            .is_some_and(|t| TITLES.iter().any(|x| t.starts_with(x)))
            && !inside_title(text, at);
        // A space after a title joins it to its name (记者　朱江森): no break there.
        let before = text
            .get(..a.text.end as usize)
            .unwrap_or("")
            .trim_end_matches([' ', '\u{3000}']);
        let after_title = TITLES.iter().any(|x| before.ends_with(x));
        let spaced = spaced && !after_title;
        let between = spaced
            || matches!(a.class, Class::Closing | Class::Stop)
            || b.class == Class::Opening
            || title;
        if !between && g.breakable {
            g.breakable = false;
            g.emergency = true;
            // Between a title and its name a last resort; inside a name or a title a worse one.
            g.seam = if after_title_space(a, b) {
                Seam::Phrase
            } else {
                Seam::Word
            };
        }
        // A line of credits short of its measure widens the space between credits, then is
        // set flush left: names are never letter-spaced.
        // (The gap before the space: a line starting with the space drops it, and no stretch
        // may then open the line's start.)
        if b.class == Class::IdeoSpace {
            g.stretch = CREDIT_SPACE_STRETCH * b.size;
        }
        g.credit = true;
    }
}

/// Whether byte `at` of `text` falls inside a title (见习｜记者 is inside 见习记者).
fn inside_title(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    TITLES.iter().any(|t| {
        // The title would start k characters before `at`.
        before
            .char_indices()
            .rev()
            .take(t.chars().count().saturating_sub(1))
            .any(|(s, _)| text.get(s..).is_some_and(|r| r.starts_with(t)) && s + t.len() > at)
    })
}

/// Whether the gap between `a` and `b` touches an ideographic space (the space between a title
/// and its name).
fn after_title_space(a: &Atom, b: &Atom) -> bool {
    a.class == Class::IdeoSpace || b.class == Class::IdeoSpace
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(is_address("www.example.gov.cn"));
        assert!(is_address("news@pdsxw.com"));
        assert!(is_address("https://a.cn/x"));
        assert!(!is_address("5.2%"));
        assert!(!is_address("0375-6155012"));
        assert!(!is_address("PM2.5"));
    }

    #[test]
    fn units_longest_first() {
        assert_eq!(unit_at("平方米以上", 0), Some("平方米"));
        assert_eq!(unit_at("万元", 0), Some("万"));
        assert_eq!(unit_at("个人", 0), None);
    }
}
