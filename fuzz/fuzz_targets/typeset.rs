//! The layout-to-PDF path on small generated input: the bytes become a story's copy in a
//! frame whose size the first bytes choose; typeset and write the PDF in memory.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn dir() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("paiban-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let cols = 1 + u32::from(data[0] % 8);
    let lines = 4 + u32::from(data[1] % 87);
    let copy = String::from_utf8_lossy(&data[2..]).replace("+++", "");
    let d = dir();
    let story = format!("+++\nheadline = \"标题\"\n+++\n\n{copy}\n");
    let plan = format!("layout = \"broadsheet\"\nnumber = 1\n\n[[story]]\nfile = \"s.md\"\ncolumns = \"1-{cols}\"\nlines = \"1-{lines}\"\n");
    if std::fs::write(d.join("s.md"), story).is_err() || std::fs::write(d.join("p.toml"), plan).is_err() {
        return;
    }
    if let Ok(t) = paiban::pipeline::typeset(&d.join("p.toml")) {
        let opts = paiban::pipeline::pdf_options(&t, &paiban::pipeline::BuildOptions::default(), None);
        let _ = paiban::pdf::write_pdf(&t.pages, &t.book, &opts);
    }
});
