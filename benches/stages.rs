//! Criterion benchmarks of the pipeline's stages on the example edition: shaping, line
//! breaking, typesetting (load, flow, compose) and PDF writing. Run: `cargo bench --bench
//! stages` (add a filter, e.g. `-- linebreak`). Whole-process timings are in `benches/run.sh`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use paiban::fonts::FontBook;
use paiban::linebreak::{break_lines, sense, Measures};
use paiban::model::load_story;
use paiban::pipeline::{pdf_options, typeset, BuildOptions};
use paiban::segment::Words;
use paiban::shape::class::normalize;
use paiban::shape::{shape, Para, Run};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example's paragraphs, normalised, repeated to about 10,000 characters.
fn copy() -> (Vec<String>, usize) {
    let mut texts = Vec::new();
    let mut chars = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("input/weidong/stories"))
        .expect("stories")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    while chars < 10_000 {
        for f in &files {
            let story = load_story(f).expect("story");
            for b in &story.blocks {
                let t = normalize(b.text(), true);
                chars += t.chars().count();
                texts.push(t);
            }
        }
    }
    (texts, chars)
}

fn shape_all(texts: &[String], book: &FontBook, opts: &paiban::model::TextOptions) -> Vec<Para> {
    let face = book.id("serif").expect("serif role");
    texts
        .iter()
        .map(|t| {
            let run = Run {
                text: t,
                face,
                size: 9.0,
                keep: false,
            };
            shape(&[run], 2.0, opts, book).expect("shape")
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let layout =
        paiban::model::layout::resolve_layout("broadsheet", &root().join("input/x.toml"), "", 0)
            .expect("layout");
    let book = FontBook::new(&layout.fonts);
    let (texts, chars) = copy();
    let mut paras = shape_all(&texts, &book, &layout.text);
    // Breaks by sense: every paragraph segmented (jieba) and its gaps marked.
    let words = Words::in_memory();
    for p in &mut paras {
        sense::mark(p, &words, 0);
    }

    let mut g = c.benchmark_group("copy");
    g.throughput(Throughput::Elements(chars as u64));
    g.bench_function("shaping", |b| {
        b.iter(|| shape_all(&texts, &book, &layout.text))
    });
    let widths = [13.0 * 9.0];
    g.bench_function("linebreak", |b| {
        b.iter(|| {
            paras
                .iter()
                .map(|p| break_lines(p, Measures { widths: &widths }).len())
                .sum::<usize>()
        })
    });
    // The same with the segmentation and marking of every paragraph done afresh (jieba's
    // dictionary loaded once, outside the timing, as a build loads it at most once).
    let fresh = shape_all(&texts, &book, &layout.text);
    g.bench_function("segment", |b| {
        b.iter(|| {
            fresh
                .iter()
                .map(|p| words.segment(&p.text).len())
                .sum::<usize>()
        })
    });
    g.bench_function("mark", |b| {
        b.iter_batched(
            || fresh.clone(),
            |mut ps| {
                for p in &mut ps {
                    sense::mark(p, &words, 0);
                }
                ps
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("segment+linebreak", |b| {
        b.iter_batched(
            || fresh.clone(),
            |mut ps| {
                ps.iter_mut()
                    .map(|p| {
                        sense::mark_with(p, &words.segment(&p.text), 0);
                        break_lines(p, Measures { widths: &widths }).len()
                    })
                    .sum::<usize>()
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let page = root().join("input/weidong");
    let mut g = c.benchmark_group("page");
    g.sample_size(30);
    g.bench_function("typeset", |b| b.iter(|| typeset(&page).expect("typeset")));
    let t = typeset(&page).expect("typeset");
    let cache = std::env::temp_dir().join(format!("paiban-bench-{}", std::process::id()));
    let opts = pdf_options(&t, &BuildOptions::default(), Some(&cache));
    // The first write fills the photo cache, as a desk's first build does.
    paiban::pdf::write_pdf(&t.pages, &t.book, &opts).expect("pdf");
    g.bench_function("pdf", |b| {
        b.iter_batched(
            || (),
            |()| paiban::pdf::write_pdf(&t.pages, &t.book, &opts).expect("pdf"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
    let _ = std::fs::remove_dir_all(Path::new(&cache));
}

criterion_group!(benches, stages);
criterion_main!(benches);
