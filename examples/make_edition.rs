//! Generates an N-page benchmark edition from the example page: each page a copy of
//! input/weidong's plan with its own copy of the stories (so nothing threads across pages),
//! photos shared. Deterministic. Usage: `cargo run --release --example make_edition -- 10 /tmp/ed10`

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let pages: u32 = args
        .next()
        .ok_or("usage: make_edition PAGES OUT_DIR")?
        .parse()?;
    let out = std::path::PathBuf::from(args.next().ok_or("usage: make_edition PAGES OUT_DIR")?);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/weidong");
    let plan = std::fs::read_to_string(src.join("p05.toml"))?;
    let photos = src.join("photos").canonicalize()?;
    let mut list = Vec::new();
    for n in 1..=pages {
        let dir = out.join(format!("p{n:03}"));
        std::fs::create_dir_all(dir.join("stories"))?;
        for e in std::fs::read_dir(src.join("stories"))? {
            let e = e?;
            std::fs::copy(e.path(), dir.join("stories").join(e.file_name()))?;
        }
        let text = plan
            .replace("number = 5", &format!("number = {n}"))
            .replace("\"photos/", &format!("\"{}/", photos.display()));
        std::fs::write(dir.join("plan.toml"), text)?;
        list.push(format!("\"p{n:03}/plan.toml\""));
    }
    let edition = format!(
        "paper = \"平顶山日报\"\ndate = \"2022年7月26日\"\npages = [{}]\n",
        list.join(", ")
    );
    std::fs::write(out.join("edition.toml"), edition)?;
    println!("wrote {} pages to {}", pages, out.display());
    Ok(())
}
