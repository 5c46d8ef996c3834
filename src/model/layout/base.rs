//! Layout inheritance (`base = "…"`, input-format.md Part 2): a layout is its base's keys with
//! its own laid over them, table by table, so a paper's layout is a few lines of differences.
//! The base's file paths (fonts, masthead art, box patterns) stay relative to the base's own
//! folder.

use super::{key_offset, BUILTIN};
use crate::error::{read_text, toml_diagnostic, Diagnostic, Result};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The most layouts a chain of bases may hold (a longer one is a cycle).
const MAX_BASES: usize = 8;

/// A layout file's table with its base (if it names one) merged under it. `dir` is the folder
/// its relative paths (and a base named by path) are relative to.
pub(super) fn merged_table(
    path: &Path,
    text: &str,
    dir: &Path,
    depth: usize,
) -> Result<Option<Table>> {
    let own: Table = toml::from_str(text).map_err(|e| toml_diagnostic(path, text, 0, &e))?;
    if !own.contains_key("base") {
        return Ok(None);
    }
    with_base(path, text, own, dir, depth).map(Some)
}

/// `own` (the table of `path`, whose text is `text`) laid over its base.
fn with_base(path: &Path, text: &str, mut own: Table, dir: &Path, depth: usize) -> Result<Table> {
    let Some(base) = own.remove("base") else {
        return Ok(own);
    };
    let at = |msg: String| Diagnostic::at(path, text, key_offset(text, "base"), msg);
    let Value::String(name) = base else {
        return Err(at("`base` must be a layout's name or a path ending in .toml".into()).into());
    };
    if depth >= MAX_BASES {
        return Err(at(format!(
            "`base = \"{name}\"`: bases nest more than {MAX_BASES} deep (do two layouts name \
             each other?)"
        ))
        .into());
    }
    let (base_path, base_text, base_dir) = find_base(path, &name, dir).ok_or_else(|| {
        let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        let own = path
            .file_stem()
            .is_some_and(|s| s.to_string_lossy() == name.as_str());
        let (msg, hint) = if own {
            (
                format!("`base = \"{name}\"` names this layout itself"),
                format!("a layout's base is another layout: {}", known.join(", ")),
            )
        } else if name.ends_with(".toml") {
            (
                format!("base layout file `{name}` not found"),
                format!(
                    "the path is relative to this layout's folder ({})",
                    dir.display()
                ),
            )
        } else {
            (
                format!("base layout `{name}` not found"),
                format!(
                    "name a layout file beside this one (`{name}.toml`), a path ending in .toml, \
                     or a built-in layout: {}",
                    known.join(", ")
                ),
            )
        };
        crate::error::Error::from(at(msg).with_hint(hint))
    })?;
    let base_text = match base_text {
        Some(t) => t,
        None => read_text(&base_path)?,
    };
    let base_own: Table =
        toml::from_str(&base_text).map_err(|e| toml_diagnostic(&base_path, &base_text, 0, &e))?;
    // The base must be a layout in its own right: its faults are reported in its own file.
    // (A chain of bases is checked once per link; bases nest at most MAX_BASES deep.)
    if depth + 1 < MAX_BASES {
        super::parse_layout_at(&base_path, &base_text, &base_dir, depth + 1)?;
    }
    let mut base = with_base(&base_path, &base_text, base_own, &base_dir, depth + 1)?;
    // Absolute, so the derived layout's own folder is not joined in front of them again.
    // (The built-in layouts' folder beside the fonts the program carries is not a real one.)
    let abs_dir = if crate::bundled::is_bundled(&base_dir) {
        base_dir
    } else {
        std::path::absolute(&base_dir).unwrap_or(base_dir)
    };
    absolutize(&mut base, &abs_dir);
    merge(&mut base, own);
    Ok(base)
}

/// Where base `name` of the layout at `path` is: a path relative to `dir`, a layout file of
/// that name in `dir` (not the layout itself: `broadsheet.toml` may say `base = "broadsheet"`
/// to mean the built-in one), or a built-in layout (with its text).
fn find_base(path: &Path, name: &str, dir: &Path) -> Option<(PathBuf, Option<String>, PathBuf)> {
    let file_dir = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
    if name.ends_with(".toml") {
        let p = dir.join(name);
        return p.is_file().then(|| (p.clone(), None, file_dir(&p)));
    }
    let p = dir.join(format!("{name}.toml"));
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if p.is_file() && !same(&p, path) {
        return Some((p.clone(), None, file_dir(&p)));
    }
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(n, text)| {
        (
            PathBuf::from(format!("<built-in>/layouts/{n}.toml")),
            Some(text.to_string()),
            super::builtin_font_dir(),
        )
    })
}

/// Makes the relative file paths of a base's table absolute (joined to `dir`): font files,
/// the masthead's art, box patterns.
fn absolutize(t: &mut Table, dir: &Path) {
    let join = |v: &mut Value| {
        // (`bundled:…` names a font that ships with paiban, not a file.)
        if let Value::String(s) = v.clone() {
            if !s.starts_with(crate::bundled::ROOT) {
                *v = Value::String(dir.join(&s).to_string_lossy().into_owned());
            }
        }
    };
    if let Some(Value::Table(fonts)) = t.get_mut("fonts") {
        for (_, v) in fonts.iter_mut() {
            match v {
                Value::Array(list) => list.iter_mut().for_each(join),
                v => join(v),
            }
        }
    }
    if let Some(Value::Table(m)) = t.get_mut("masthead") {
        if let Some(v) = m.get_mut("art") {
            join(v);
        }
    }
    if let Some(Value::Table(boxes)) = t.get_mut("boxes") {
        for (_, b) in boxes.iter_mut() {
            if let Some(v) = b.as_table_mut().and_then(|b| b.get_mut("pattern")) {
                join(v);
            }
        }
    }
}

/// Lays `over` over `under`: tables merge key by key, anything else replaces.
fn merge(under: &mut Table, over: Table) {
    for (k, v) in over {
        match (under.get_mut(&k), v) {
            (Some(Value::Table(u)), Value::Table(o)) => merge(u, o),
            (_, v) => {
                under.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_merge_and_values_replace() {
        let mut under: Table = toml::from_str(
            "[styles]\nlead = { font = \"a\", size = \"一号\" }\n[grid]\nlines = 90",
        )
        .unwrap();
        let over: Table = toml::from_str("[styles]\nlead = { colour = \"red\" }").unwrap();
        merge(&mut under, over);
        let lead = &under["styles"]["lead"];
        assert_eq!(lead["font"].as_str(), Some("a"));
        assert_eq!(lead["colour"].as_str(), Some("red"));
        assert_eq!(under["grid"]["lines"].as_integer(), Some(90));
    }

    #[test]
    fn a_base_paths_stay_its_own() {
        let mut t: Table = toml::from_str(
            "[fonts]\nserif = \"../fonts/a.ttf\"\n[masthead]\nart = \"m.svg\"\n\
             [boxes]\nflower = { pattern = \"b/f.svg\" }",
        )
        .unwrap();
        absolutize(&mut t, Path::new("/p/layouts"));
        assert_eq!(
            t["fonts"]["serif"].as_str(),
            Some("/p/layouts/../fonts/a.ttf")
        );
        assert_eq!(t["masthead"]["art"].as_str(), Some("/p/layouts/m.svg"));
        assert_eq!(
            t["boxes"]["flower"]["pattern"].as_str(),
            Some("/p/layouts/b/f.svg")
        );
    }
}
