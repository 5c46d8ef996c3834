//! Colours of the layout (`[colours]`, input-format.md Part 2): process colours in percent of
//! C, M, Y and K. `white` (the paper: marks in it knock out what is under them) and `black`
//! (100 K: type and rules in it overprint) are built in.

use std::collections::BTreeMap;

/// A colour in the output's CMYK, each ink 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cmyk(pub [f32; 4]);

impl Cmyk {
    /// 100% black: type and rules (overprinting, per the output's graphics state).
    pub const BLACK: Cmyk = Cmyk([0.0, 0.0, 0.0, 1.0]);
    /// The paper: no ink (reversed type, a box's ground).
    pub const WHITE: Cmyk = Cmyk([0.0, 0.0, 0.0, 0.0]);

    /// Total ink, in percent (400 at most).
    pub fn coverage(self) -> f32 {
        self.0.iter().sum::<f32>() * 100.0
    }

    /// Which of C, M, Y, K the colour uses.
    pub fn inks(self) -> [bool; 4] {
        self.0.map(|v| v > 0.0)
    }
}

/// The layout's colours by name, the built-in `white` and `black` included.
#[derive(Debug, Clone, PartialEq)]
pub struct Colours(BTreeMap<String, Cmyk>);

impl Default for Colours {
    fn default() -> Self {
        Colours(BTreeMap::from([
            ("black".to_string(), Cmyk::BLACK),
            ("white".to_string(), Cmyk::WHITE),
        ]))
    }
}

impl Colours {
    /// The built-ins and `[colours]`: each a list of four percentages 0–100. Returns the
    /// colour at fault and why.
    pub fn parse(raw: &BTreeMap<String, Vec<f64>>) -> Result<Colours, (String, String)> {
        let mut out = Colours::default();
        for (name, values) in raw {
            if out.0.contains_key(name) {
                return Err((
                    name.clone(),
                    format!("colour `{name}` is built in (white is the paper, black is 100 K)"),
                ));
            }
            let [c, m, y, k] = values.as_slice() else {
                return Err((
                    name.clone(),
                    format!(
                        "colour `{name}` needs four percentages [C, M, Y, K]; it has {}",
                        values.len()
                    ),
                ));
            };
            let mut v = [0.0f32; 4];
            for (slot, (ink, p)) in v
                .iter_mut()
                .zip(["C", "M", "Y", "K"].iter().zip([c, m, y, k]))
            {
                if !(p.is_finite() && (0.0..=100.0).contains(p)) {
                    return Err((
                        name.clone(),
                        format!("colour `{name}`: {ink} = {p} is outside 0–100 (percent)"),
                    ));
                }
                *slot = (*p / 100.0) as f32;
            }
            out.0.insert(name.clone(), Cmyk(v));
        }
        Ok(out)
    }

    /// The colour of this name.
    pub fn get(&self, name: &str) -> Option<Cmyk> {
        self.0.get(name).copied()
    }

    /// The names, for hints.
    pub fn names(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }

    /// The colour of this name, or why not (for a diagnostic at the key that names it).
    pub fn resolve(&self, name: &str) -> Result<Cmyk, String> {
        self.get(name).ok_or_else(|| {
            format!(
                "unknown colour `{name}`; the layout defines {}",
                self.names().join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, Vec<f64>)]) -> BTreeMap<String, Vec<f64>> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn percentages_become_inks() {
        let c = Colours::parse(&raw(&[("red", vec![0.0, 100.0, 100.0, 0.0])])).unwrap();
        assert_eq!(c.get("red"), Some(Cmyk([0.0, 1.0, 1.0, 0.0])));
        assert_eq!(c.get("white"), Some(Cmyk::WHITE));
        assert_eq!(c.get("black"), Some(Cmyk::BLACK));
        assert_eq!(c.get("red").unwrap().coverage(), 200.0);
        assert!(c.resolve("blue").unwrap_err().contains("black, red, white"));
    }

    #[test]
    fn bad_colours_are_refused() {
        let e = Colours::parse(&raw(&[("red", vec![0.0, 120.0, 100.0, 0.0])])).unwrap_err();
        assert!(e.1.contains("M = 120 is outside 0–100"), "{e:?}");
        let e = Colours::parse(&raw(&[("red", vec![0.0, 100.0])])).unwrap_err();
        assert!(e.1.contains("four percentages"), "{e:?}");
        let e = Colours::parse(&raw(&[("black", vec![0.0, 0.0, 0.0, 90.0])])).unwrap_err();
        assert!(e.1.contains("built in"), "{e:?}");
        let e = Colours::parse(&raw(&[("x", vec![0.0, -1.0, 0.0, 0.0])])).unwrap_err();
        assert!(e.1.contains("outside"), "{e:?}");
    }
}
