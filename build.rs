//! Links the `paiban` executable as a fixed-address (non-PIE) program on Linux: a PIE of this
//! size carries some 30,000 relocations that the loader applies, page by page, at every start
//! — about a millisecond of a page build that takes fifteen.
fn main() {
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
