//! Line-breaking benchmark: shape once, then break the example edition's paragraphs (about
//! 10,000 characters) into 13-character lines, many times; prints min/median/max.
//! Run: `cargo bench --bench linebreak`.

use paiban::fonts::FontBook;
use paiban::linebreak::{break_lines, Measures};
use paiban::model::{load_story, Block};
use paiban::shape::class::normalize;
use paiban::shape::{shape, Run};
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let layout =
        paiban::model::layout::resolve_layout("broadsheet", &root.join("input/x.toml"), "", 0)
            .unwrap();
    let book = FontBook::new(&layout.fonts);
    let face = book.id("serif").unwrap();
    let mut paras = Vec::new();
    let mut chars = 0;
    while chars < 10_000 {
        for e in std::fs::read_dir(root.join("input/weidong/stories")).unwrap() {
            let story = load_story(&e.unwrap().path()).unwrap();
            for b in &story.blocks {
                let (Block::Paragraph(t) | Block::CrossHead(t)) = b;
                let t = normalize(t, true);
                chars += t.chars().count();
                paras.push(
                    shape(
                        &[Run {
                            text: &t,
                            face,
                            size: 9.0,
                            keep: false,
                        }],
                        2.0,
                        &layout.text,
                        &book,
                    )
                    .unwrap(),
                );
            }
        }
    }
    let widths = [13.0 * 9.0];
    let mut times = Vec::new();
    let mut lines = 0;
    for _ in 0..50 {
        let t = Instant::now();
        lines = 0;
        for p in &paras {
            lines += break_lines(p, Measures { widths: &widths }).len();
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let med = times[times.len() / 2];
    println!(
        "line breaking: {chars} chars, {lines} lines; per run min {:.3} ms, median {:.3} ms, max {:.3} ms; {:.1} M chars/s (median)",
        times[0] * 1e3,
        med * 1e3,
        times[times.len() - 1] * 1e3,
        chars as f64 / med / 1e6
    );
}
