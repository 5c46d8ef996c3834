//! Links the `paiban` executable as a fixed-address (non-PIE) program on Linux: a PIE of this
//! size carries some 30,000 relocations that the loader applies, page by page, at every start
//! — about a millisecond of a page build that takes fifteen.
fn main() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
