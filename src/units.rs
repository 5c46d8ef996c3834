//! Lengths in points: the `Pt` newtype, parsing of mm/cm/pt/in/q (级) and 号数 type sizes.

use std::ops::{Add, Mul, Sub};

/// A length in PostScript points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Pt(pub f32);

impl Add for Pt {
    type Output = Pt;
    fn add(self, o: Pt) -> Pt {
        Pt(self.0 + o.0)
    }
}

impl Sub for Pt {
    type Output = Pt;
    fn sub(self, o: Pt) -> Pt {
        Pt(self.0 - o.0)
    }
}

impl Mul<f32> for Pt {
    type Output = Pt;
    fn mul(self, k: f32) -> Pt {
        Pt(self.0 * k)
    }
}

/// An axis-aligned rectangle in points, origin top-left of the trimmed page, y down.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    /// Whether the two rectangles share area (touching edges do not count).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.right() - 0.01
            && o.x < self.right() - 0.01
            && self.y < o.bottom() - 0.01
            && o.y < self.bottom() - 0.01
    }
}

/// Chinese type size names (号数) in points.
const SIZE_NAMES: &[(&str, f32)] = &[
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
];

/// Parses a length such as `390mm`, `1.5cm`, `9pt`, `2in` or `36q` (1 q = 0.25 mm).
pub fn parse_length(s: &str) -> Result<Pt, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f32 = num.parse().map_err(|_| format!("`{s}` is not a length"))?;
    if !value.is_finite() || !(0.0..=100_000.0).contains(&value) {
        return Err(format!("length `{s}` is out of range"));
    }
    let mm = 72.0 / 25.4;
    let factor = match unit.trim() {
        "mm" => mm,
        "cm" => mm * 10.0,
        "pt" => 1.0,
        "in" => 72.0,
        "q" | "Q" => mm * 0.25,
        "" => return Err(format!("length `{s}` needs a unit (mm, cm, pt, in, q)")),
        u => {
            return Err(format!(
                "unknown unit `{u}` in `{s}` (use mm, cm, pt, in or q)"
            ))
        }
    };
    Ok(Pt(value * factor))
}

/// Parses a type size: a 号数 name (`小五`, `初号`) or a length (`9pt`, `36q`).
pub fn parse_size(s: &str) -> Result<Pt, String> {
    let t = s.trim();
    if let Some((_, pt)) = SIZE_NAMES.iter().find(|(n, _)| *n == t) {
        return Ok(Pt(*pt));
    }
    parse_length(t).map_err(|e| format!("{e}; or use a size name such as 小五 or 初号"))
}

/// Parses a 1-based inclusive range such as `"3"` or `"1-6"`.
pub fn parse_range(s: &str) -> Result<(u32, u32), String> {
    let t = s.trim();
    let (a, b) = match t.split_once('-') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (t, t),
    };
    let a: u32 = a
        .parse()
        .map_err(|_| format!("`{t}` is not a range like \"1-6\""))?;
    let b: u32 = b
        .parse()
        .map_err(|_| format!("`{t}` is not a range like \"1-6\""))?;
    if a == 0 {
        return Err(format!("range `{t}` starts at 0; ranges are 1-based"));
    }
    if b < a {
        return Err(format!("range `{t}` is reversed; write \"{b}-{a}\""));
    }
    Ok((a, b))
}

/// `n` and its noun, in the plural unless `n` is 1: "1 line", "2 lines" (for messages).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_sizes() {
        assert!((parse_length("25.4mm").unwrap().0 - 72.0).abs() < 1e-3);
        assert!((parse_length("4q").unwrap().0 - 72.0 / 25.4).abs() < 1e-3);
        assert_eq!(parse_size("小五").unwrap(), Pt(9.0));
        assert_eq!(parse_size("初号").unwrap(), Pt(42.0));
        assert_eq!(parse_size("10.5pt").unwrap(), Pt(10.5));
        assert!(parse_length("12").is_err());
        assert!(parse_length("12furlong").is_err());
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range("1-6").unwrap(), (1, 6));
        assert_eq!(parse_range("3").unwrap(), (3, 3));
        assert!(parse_range("5-2").unwrap_err().contains("reversed"));
        assert!(parse_range("0-2").is_err());
        assert!(parse_range("a").is_err());
    }
}
