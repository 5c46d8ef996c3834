//! The fonts that ship with paiban (the project's `fonts/`, OFL), found wherever the program
//! is: the `paiban` program carries them inside itself and hands them over at start-up
//! (`provide`), so an installed binary needs neither the checkout it was built from nor a
//! data folder. Library users and tests read them from the checkout's `fonts/` instead.
//!
//! A bundled font is named by a path under the virtual folder `bundled:` (the built-in
//! layouts' fonts, and `bundled:NAME` in a user's layout); `fonts` reads such a path from
//! memory.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// The bundled fonts' paths in the project's `fonts/` folder: the role faces, then the
/// fallback face for CJK Ext. B–F (HanaMinB).
pub const NAMES: &[&str] = &[
    "NotoSerifSC-Regular.ttf",
    "NotoSerifSC-Bold.ttf",
    "NotoSansSC-Bold.ttf",
    "LXGWWenKai-Regular.ttf",
    "fallback/HanaMinB.ttf",
];

/// The virtual folder that bundled fonts' paths start with.
pub const ROOT: &str = "bundled:";

/// The fonts a program carries: file name and contents. Set once, before any layout is read;
/// never changed (immutable program data, not state).
static CARRIED: OnceLock<&'static [(&'static str, &'static [u8])]> = OnceLock::new();

/// Hands the fonts the program carries (file name, contents) to the library.
pub fn provide(fonts: &'static [(&'static str, &'static [u8])]) {
    // A second call would give the same program data: nothing to do.
    let _ = CARRIED.set(fonts);
}

/// Whether `path` names a bundled font (starts with `bundled:`).
pub fn is_bundled(path: &Path) -> bool {
    path.components()
        .next()
        .is_some_and(|c| matches!(c, Component::Normal(s) if s == ROOT))
}

/// The contents of the carried font a `bundled:` path names (by its file name).
pub fn bytes(path: &Path) -> Option<&'static [u8]> {
    let name = path.file_name()?.to_str()?;
    CARRIED
        .get()?
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
}

/// The project's own `fonts/` folder in the checkout the library was compiled in.
fn checkout_fonts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")
}

/// Where the bundled fonts are read from: the fonts the program carries (`bundled:/fonts`), or
/// else the checkout's `fonts/` folder.
pub fn folder() -> PathBuf {
    if CARRIED.get().is_some() {
        return Path::new(ROOT).join("fonts");
    }
    checkout_fonts()
}

/// The path of bundled font `name` (with or without `.ttf`), or None when there is no such
/// bundled font.
pub fn path(name: &str) -> Option<PathBuf> {
    let file = if name.ends_with(".ttf") {
        name.to_string()
    } else {
        format!("{name}.ttf")
    };
    NAMES
        .iter()
        .find(|n| Path::new(n).file_name().is_some_and(|f| f == file.as_str()))
        .map(|n| folder().join(n))
}

/// The bundled fonts' names as a layout writes them (`bundled:NAME`), for messages.
pub fn names() -> String {
    NAMES
        .iter()
        .map(|n| format!("{ROOT}{}", display_name(n)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A bundled font's name as a layout writes it after `bundled:` (its file stem).
pub fn display_name(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.trim_end_matches(".ttf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_name_is_a_font_of_the_checkout() {
        for n in NAMES {
            assert!(checkout_fonts().join(n).is_file(), "fonts/{n} is missing");
        }
    }

    #[test]
    fn bundled_paths_are_recognised() {
        assert!(is_bundled(Path::new("bundled:/x/../fonts/A.ttf")));
        assert!(is_bundled(&PathBuf::from(ROOT).join("A.ttf")));
        assert!(!is_bundled(Path::new("fonts/bundled:")));
        assert!(!is_bundled(Path::new("/abs/A.ttf")));
        assert!(path("NotoSerifSC-Regular").is_some());
        assert!(path("NotoSerifSC-Regular.ttf").is_some());
        assert!(path("Arial").is_none());
        assert!(path("HanaMinB").is_some_and(|p| p.ends_with("fallback/HanaMinB.ttf")));
        assert_eq!(display_name("fallback/HanaMinB.ttf"), "HanaMinB");
    }
}
