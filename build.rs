//! Links the `paiban` executable as a fixed-address (non-PIE) program on Linux: a PIE of this
//! size carries some 30,000 relocations that the loader applies, page by page, at every start
//! — about a millisecond of a page build that takes fifteen.
//!
//! Also names the build (`PAIBAN_BUILD_ID`, a hash of the sources and of Cargo.lock): the
//! caches of prepared photos and font subsets are keyed by it, so an entry made by another
//! build of paiban, whose bytes may differ, is never used.
//!
//! And prepares the fonts the program carries (`src/bundled.rs`): each font of `fonts/` with
//! its glyph names dropped, as `fonts` does to a font it maps, written to `OUT_DIR` for
//! `main.rs` to include.

#[path = "src/glyph_names.rs"]
mod glyph_names;

fn main() {
    carry_fonts();
    let mut files = Vec::new();
    collect(std::path::Path::new("src"), &mut files);
    files.push("Cargo.lock".into());
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let name = f.to_string_lossy();
        for b in name.bytes().chain(std::fs::read(f).unwrap_or_default()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=PAIBAN_BUILD_ID={h:016x}");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    // Only for glibc's dynamically linked executables: a static-PIE (musl, crt-static) must
    // keep its own link mode.
    let gnu = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    let crt_static = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    if gnu && !crt_static {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// Writes each font of `fonts/` and `fonts/fallback/`, glyph names dropped, to `OUT_DIR` (an unchanged font is not
/// rewritten), and `carried.rs` there: the array of (file name, contents) `main.rs` includes.
fn carry_fonts() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    // The faces of the roles in `fonts/`, the fallback faces in `fonts/fallback/`.
    let mut fonts: Vec<(String, std::path::PathBuf)> = ["fonts", "fonts/fallback"]
        .iter()
        .flat_map(|dir| {
            println!("cargo:rerun-if-changed={dir}");
            std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".ttf") || n.ends_with(".otf"))
                .map(move |n| (n.clone(), std::path::Path::new(dir).join(n)))
        })
        .collect();
    fonts.sort();
    let mut list = String::from("&[\n");
    for (name, src) in &fonts {
        println!("cargo:rerun-if-changed={}", src.display());
        let mut font =
            std::fs::read(src).unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()));
        glyph_names::drop_glyph_names(&mut font);
        let dest = out.join(name);
        if std::fs::read(&dest).ok().as_deref() != Some(font.as_slice()) {
            std::fs::write(&dest, &font)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
        }
        list.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            dest.display().to_string()
        ));
    }
    list.push_str("]\n");
    let carried = out.join("carried.rs");
    if std::fs::read_to_string(&carried).ok().as_deref() != Some(list.as_str()) {
        std::fs::write(&carried, list)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", carried.display()));
    }
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}
