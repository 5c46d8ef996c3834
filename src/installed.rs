//! Fonts installed on the machine, found by family name (`serif = { family = "方正书宋_GBK" }`
//! in a layout): the fonts fontconfig knows of (its configuration read by fontdb, no C
//! library), the usual font folders, and the folders `PAIBAN_FONT_DIRS` lists (separated
//! like `PATH`). The folders are scanned once per process, only when a layout asks for a
//! family, and only the fonts' name tables are read (memory-mapped).

use std::path::PathBuf;
use std::sync::OnceLock;

/// How many close matches an error about a missing family lists.
const CLOSE_MATCHES: usize = 5;

/// The machine's fonts, scanned on first use (the machine's font set, not build state).
static INSTALLED: OnceLock<fontdb::Database> = OnceLock::new();

fn database() -> &'static fontdb::Database {
    INSTALLED.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        if let Some(dirs) = std::env::var_os("PAIBAN_FONT_DIRS") {
            for dir in std::env::split_paths(&dirs) {
                db.load_fonts_dir(dir);
            }
        }
        db
    })
}

/// The file of the installed font whose family (in any language of its name table) is
/// `family`, its regular face preferred; or a message naming the closest families there are.
pub fn find(family: &str) -> Result<PathBuf, String> {
    let db = database();
    let wanted = family.trim();
    let faces: Vec<&fontdb::FaceInfo> = db
        .faces()
        .filter(|f| {
            f.families
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(wanted))
        })
        .collect();
    // The regular face of the family (upright, normal weight), else its first.
    let face = faces
        .iter()
        .find(|f| f.style == fontdb::Style::Normal && f.weight == fontdb::Weight::NORMAL)
        .or_else(|| faces.first());
    let Some(face) = face else {
        return Err(missing(db, wanted));
    };
    let fontdb::Source::File(path) = &face.source else {
        return Err(format!("the font family `{wanted}` is not in a file"));
    };
    if face.index != 0 {
        return Err(format!(
            "the font family `{wanted}` is face {} of the collection {}: paiban reads the first \
             face of a collection only",
            face.index,
            path.display()
        ));
    }
    Ok(path.clone())
}

/// The message for a family no installed font has: the closest family names.
fn missing(db: &fontdb::Database, wanted: &str) -> String {
    let mut names: Vec<&str> = db
        .faces()
        .flat_map(|f| f.families.iter().map(|(n, _)| n.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return format!(
            "no font of the family `{wanted}` is installed (none were found at all: install the \
             font, or list its folder in PAIBAN_FONT_DIRS)"
        );
    }
    let lower = wanted.to_lowercase();
    let mut ranked: Vec<(usize, &str)> = names
        .iter()
        .map(|n| {
            let d = crate::error::edit_distance(&lower, &n.to_lowercase());
            // A name containing the wanted one (or the other way round) is a close match.
            let contains = n.to_lowercase().contains(&lower) || lower.contains(&n.to_lowercase());
            (if contains { 0 } else { d }, *n)
        })
        .collect();
    ranked.sort();
    let close: Vec<String> = ranked
        .iter()
        .take(CLOSE_MATCHES)
        .map(|(_, n)| format!("`{n}`"))
        .collect();
    format!(
        "no font of the family `{wanted}` is installed; the closest of the {} installed \
         families: {}",
        names.len(),
        close.join(", ")
    )
}
