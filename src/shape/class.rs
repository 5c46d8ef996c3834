//! Character classes for line composition (jlreq/JIS X 4051 classes in clreq's mainland use)
//! and the normalisation of ASCII punctuation in CJK context (input-format.md).

/// How a character behaves in line composition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Opening brackets and quotes: never at line end (clreq §3.1.7).
    Opening,
    /// Closing brackets and quotes: never at line start.
    Closing,
    /// Full stops, commas, colons, semicolons, ！？: never at line start.
    Stop,
    /// Interpunct `·`: ½ em, never at line start.
    MiddleDot,
    /// Connectors `– ～` and a single `—`: never at line start.
    Connector,
    /// `——` `……` `⸺` and similar 2-em inseparables (one unit).
    Inseparable,
    /// Solidus `／`: never at line end (GB style).
    Solidus,
    /// Postfixed units `％ ‰ ℃ °`: stay with the number before them.
    Postfix,
    /// Prefixed currency signs `￥ ＄ £ €`: stay with the number after them.
    Prefix,
    /// Ideographs, kana, full-width letters and the ideographic space.
    Ideograph,
    /// Latin letters, digits and the punctuation inside a Latin token.
    Latin,
    /// A Latin word space.
    Space,
    /// The ideographic space U+3000: 1 em mid-line, nothing at a line edge.
    IdeoSpace,
}

/// Where the ink of a full-width mark sits in its em box (mainland style).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Ink in the left half (stops, closing marks).
    Left,
    /// Ink in the right half (opening marks).
    Right,
    /// Ink centred (interpunct, dashes, ellipses).
    Center,
}

/// The class of a character.
pub fn class_of(c: char) -> Class {
    match c {
        '（' | '［' | '〔' | '【' | '〖' | '｛' | '《' | '〈' | '“' | '‘' | '「' | '『' | '｟'
        | '〘' => Class::Opening,
        '）' | '］' | '〕' | '】' | '〗' | '｝' | '》' | '〉' | '”' | '’' | '」' | '』' | '｠'
        | '〙' => Class::Closing,
        '。' | '．' | '，' | '、' | '；' | '：' | '！' | '？' | '｡' | '､' => {
            Class::Stop
        }
        '·' | '・' | '‧' | '•' => Class::MiddleDot,
        '–' | '—' | '～' | '〜' | '―' => Class::Connector,
        '…' | '⋯' | '⸺' | '⸻' => Class::Inseparable,
        '／' => Class::Solidus,
        '％' | '‰' | '℃' | '°' | '℉' | '′' | '″' => Class::Postfix,
        '￥' | '＄' | '£' | '€' | '￡' => Class::Prefix,
        ' ' | '\t' => Class::Space,
        '\u{3000}' => Class::IdeoSpace,
        _ if is_cjk(c) => Class::Ideograph,
        _ => Class::Latin,
    }
}

/// Whether `c` is set on the CJK em grid (Han, kana, bopomofo, full-width forms, CJK symbols).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x2FF0..=0x303F | 0x3040..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF | 0xFE10..=0xFE1F
        | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFF
        | 0x25A0..=0x25FF | 0x2600..=0x26FF | 0x2460..=0x24FF)
}

/// Whether a token is a URL or an e-mail address.
pub fn is_address(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    let has_letters = t.chars().any(|c| c.is_ascii_alphabetic());
    has_letters
        && (lower.contains("://")
            || lower.starts_with("www.")
            || (t.contains('@') && t.contains('.'))
            || (t.contains('/') && t.contains('.')))
}

/// Whether a class is punctuation set in an em box whose blank half can be taken away.
pub fn is_squeezable(class: Class) -> bool {
    matches!(class, Class::Opening | Class::Closing | Class::Stop)
}

/// Where the ink of a mark of this class sits.
pub fn align_of(class: Class) -> Align {
    match class {
        Class::Opening => Align::Right,
        Class::Closing | Class::Stop => Align::Left,
        _ => Align::Center,
    }
}

/// The full-width form of an ASCII mark that input-format.md maps in CJK context.
fn fullwidth(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '(' => '（',
        ')' => '）',
        '!' => '！',
        '?' => '？',
        _ => return None,
    })
}

/// Whether `c` gives CJK context to a neighbouring ASCII mark.
fn cjk_context(c: char) -> bool {
    is_cjk(c) && c != '\u{3000}'
        || matches!(
            class_of(c),
            Class::Opening | Class::Closing | Class::Stop | Class::Inseparable
        )
}

/// Normalises copy for setting: ASCII `, ; : ( ) ! ?` with a CJK neighbour (or next to such a
/// mark) become their full-width forms (when `fullwidth_ascii`), a space between two CJK
/// characters becomes an ideographic space, and runs of spaces collapse to one.
pub fn normalize(text: &str, fullwidth_ascii: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Which ASCII marks map: those with a CJK neighbour, then (propagating) those next to a
    // mark that maps, as in `…)(…` or `(“`.
    let mut map = vec![false; chars.len()];
    if fullwidth_ascii {
        for (i, (&c, m)) in chars.iter().zip(map.iter_mut()).enumerate() {
            if fullwidth(c).is_some() {
                let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
                let next = chars.get(i + 1).copied();
                *m = prev.is_some_and(cjk_context) || next.is_some_and(cjk_context);
                // The end of an English sentence inside Chinese quotes stays ASCII:
                // “…unforgettable!” — a Latin letter before it and a closing quote (or
                // nothing) after it; before a CJK character or an opening quote it is Chinese
                // (APP，“掌上办”).
                let english = prev.is_some_and(|p| p.is_ascii_alphanumeric())
                    && !matches!(c, '(' | ')')
                    && next.is_none_or(|n| n.is_whitespace() || class_of(n) == Class::Closing);
                if english {
                    *m = false;
                }
            }
        }
        for _ in 0..4 {
            for i in 0..chars.len() {
                let mappable = chars.get(i).copied().and_then(fullwidth).is_some();
                let prev = i.checked_sub(1).is_some_and(|j| map.get(j) == Some(&true));
                let next = map.get(i + 1) == Some(&true);
                if let Some(m) = map.get_mut(i).filter(|m| !**m && mappable) {
                    *m = prev || next;
                }
            }
        }
    }
    // A pair of ASCII brackets maps both or neither (issue 14: `(0375)6155012`).
    if fullwidth_ascii {
        let mut open = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '(' => open.push(i),
                ')' => {
                    if let Some(o) = open.pop() {
                        let both = map.get(o) == Some(&true) || map.get(i) == Some(&true);
                        for k in [o, i] {
                            if let Some(m) = map.get_mut(k) {
                                *m = both;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' || c == '\t' {
            let prev = out.chars().last();
            let next = chars
                .get(i + 1..)
                .and_then(|r| r.iter().find(|c| **c != ' ' && **c != '\t'));
            match (prev, next) {
                (None, _) | (_, None) | (Some(' ' | '\u{3000}'), _) => {}
                (Some(p), Some(&n)) if cjk_context(p) && cjk_context(n) => out.push('\u{3000}'),
                _ => out.push(' '),
            }
        } else if map.get(i) == Some(&true) {
            out.push(fullwidth(c).unwrap_or(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_marks_in_cjk_context_become_full_width() {
        assert_eq!(
            normalize("本报讯(记者 李曙光)昨日,市政府", true),
            "本报讯（记者　李曙光）昨日，市政府"
        );
        assert_eq!(normalize("“机关+村(社区)”", true), "“机关+村（社区）”");
        assert_eq!(normalize("增长253%;税收", true), "增长253%；税收");
        assert_eq!(normalize("2,300人 9:30开会", true), "2,300人 9:30开会");
        assert_eq!(normalize("本报讯(记者)", false), "本报讯(记者)");
        assert_eq!(normalize("a  b", true), "a b");
        // Brackets convert as a pair, both or neither.
        assert_eq!(normalize("电话(0375)6155012", true), "电话（0375）6155012");
        assert_eq!(normalize("见(Fig. 2)", true), "见（Fig. 2）");
        assert_eq!(normalize("f(x) = 1", true), "f(x) = 1");
        // An English sentence in Chinese quotes keeps its own marks.
        assert_eq!(
            normalize("说:“It is great!”他", true),
            "说：“It is great!”他"
        );
        assert_eq!(normalize("APP,让群众", true), "APP，让群众");
        assert_eq!(
            normalize("推出APP,“掌上办”上线。他说OK!“好的”", true),
            "推出APP，“掌上办”上线。他说OK！“好的”"
        );
    }

    #[test]
    fn classes() {
        assert_eq!(class_of('，'), Class::Stop);
        assert_eq!(class_of('“'), Class::Opening);
        assert_eq!(class_of('”'), Class::Closing);
        assert_eq!(class_of('中'), Class::Ideograph);
        assert_eq!(class_of('A'), Class::Latin);
        assert_eq!(class_of('…'), Class::Inseparable);
        assert_eq!(class_of('·'), Class::MiddleDot);
    }
}
