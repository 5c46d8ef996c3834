//! Links the `paiban` executable as a fixed-address (non-PIE) program on Linux: a PIE of this
//! size carries some 30,000 relocations that the loader applies, page by page, at every start
//! — about a millisecond of a page build that takes fifteen.
//!
//! Also names the build (`PAIBAN_BUILD_ID`, a hash of the sources and of Cargo.lock): the
//! caches of prepared photos and font subsets are keyed by it, so an entry made by another
//! build of paiban, whose bytes may differ, is never used.
fn main() {
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
