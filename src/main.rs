//! The `paiban` command line: build, proof, check, watch. Nothing but argument handling.

use clap::{Parser, Subcommand, ValueEnum};
use paiban::pipeline::BuildOptions;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// paiban (排版): typesets Chinese newspaper pages — story files, page plans and a layout in,
/// print-ready PDF/X for newsprint out.
#[derive(Parser)]
#[command(
    version,
    about,
    after_help = "Examples:\n  paiban build input/weidong              one PDF/X-4 for the edition in output/\n  paiban proof input/weidong --grid       PNG proofs with the grid and frames\n  paiban check input/weidong              copy-fit report: which story is long or short\n  paiban watch input/weidong              rebuild whenever a story or plan is saved\n\nPATH is a folder holding edition.toml, an edition file, or a single page plan."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print timings of each step
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the edition's PDF
    #[command(
        after_help = "Examples:\n  paiban build input/weidong\n  paiban build input/weidong --pdfx 1a -o /tmp/plant\n  paiban build input/jump --split          one file per page\n  paiban build input/weidong --marks       crop marks for a proof print\n\nFails (exit 1, nothing written) when copy is overset, unless --allow-overset."
    )]
    Build {
        /// Folder with edition.toml, an edition file, or a page plan
        path: PathBuf,
        /// Output folder
        #[arg(short, long, default_value = "output")]
        out: PathBuf,
        /// Write the PDF even when copy is overset (reported on stderr)
        #[arg(long)]
        allow_overset: bool,
        /// One PDF per page (`<edition>-pNN.pdf`) instead of one for the edition
        #[arg(long)]
        split: bool,
        /// PDF/X level: 4 (default, or as the layout says) or 1a
        #[arg(long, value_name = "LEVEL")]
        pdfx: Option<paiban::model::PdfX>,
        /// Crop marks outside the bleed (for proofs)
        #[arg(long)]
        marks: bool,
        /// Prepare every photo and font subset afresh instead of reusing output/.paiban-cache
        #[arg(long)]
        no_cache: bool,
    },
    /// Render PNG proofs of the pages from the PDF the plant would get
    #[command(
        after_help = "Examples:\n  paiban proof input/weidong               output/weidong-p05.png at 72 dpi\n  paiban proof input/weidong --dpi 150 --grid"
    )]
    Proof {
        /// Folder with edition.toml, an edition file, or a page plan
        path: PathBuf,
        /// Output folder
        #[arg(short, long, default_value = "output")]
        out: PathBuf,
        /// Resolution
        #[arg(long, default_value_t = 72.0, value_parser = parse_dpi)]
        dpi: f32,
        /// Draw the line grid and frame outlines; an overset story's last frame in red
        #[arg(long)]
        grid: bool,
    },
    /// Lay out without writing a PDF; print the copy-fit and preflight report
    #[command(
        after_help = "Examples:\n  paiban check input/weidong\n  paiban check input/weidong --format json | jq '.stories[] | select(.overset_chars > 0)'\n\nExit 1 when any error-level finding exists (overset copy, bad input)."
    )]
    Check {
        /// Folder with edition.toml, an edition file, or a page plan
        path: PathBuf,
        /// Report format
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also measure per story the characters its frames take, and how many to cut or add
        #[arg(long)]
        fit: bool,
    },
    /// Make up a page from a budget: write a page plan (and its proof) that places its stories
    #[command(
        after_help = "Examples:\n  paiban makeup input/makeup-a/budget.toml              → input/makeup-a/budget-plan.toml and its proof\n  paiban makeup budget.toml -o p03.toml --variants 3    → p03.toml, p03-v2.toml, p03-v3.toml\n\nPrints each plan's score, and which stories to cut or lengthen when the copy does not fit or fill the page."
    )]
    Makeup {
        /// The budget: layout, number, section, date, [[ad]] slots, [[story]] with priority and photo
        budget: PathBuf,
        /// The plan to write (default: BUDGET-plan.toml beside the budget)
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Write the N best distinct plans (the 2nd as PLAN-v2.toml, …)
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=20))]
        variants: u16,
    },
    /// Rebuild the PDF (and proofs with --proof) whenever an input file changes
    #[command(
        after_help = "Example:\n  paiban watch input/weidong --proof --grid\n\nWrites no PDF while copy is overset unless --allow-overset (proofs are rendered either way). Stops with Ctrl-C."
    )]
    Watch {
        /// Folder with edition.toml, an edition file, or a page plan
        path: PathBuf,
        /// Output folder
        #[arg(short, long, default_value = "output")]
        out: PathBuf,
        /// Also render PNG proofs
        #[arg(long)]
        proof: bool,
        /// Proof resolution
        #[arg(long, default_value_t = 72.0, value_parser = parse_dpi)]
        dpi: f32,
        /// Proofs with the line grid and frame outlines (implies --proof)
        #[arg(long)]
        grid: bool,
        /// Write the PDF even when copy is overset
        #[arg(long)]
        allow_overset: bool,
        /// One PDF per page
        #[arg(long)]
        split: bool,
        /// PDF/X level: 4 (default, or as the layout says) or 1a
        #[arg(long, value_name = "LEVEL")]
        pdfx: Option<paiban::model::PdfX>,
        /// Crop marks outside the bleed (written as NAME-marks.pdf)
        #[arg(long)]
        marks: bool,
    },
    /// List the built-in layouts and bundled fonts; `paiban help layouts` says how layouts
    /// and fonts are found
    #[command(after_help = LAYOUTS_HELP)]
    Layouts,
}

/// Where layouts and fonts are found (`paiban help layouts`).
const LAYOUTS_HELP: &str = "A page plan's `layout = \"NAME\"` is found, in this order:
  1. `layout = \"file.toml\"`: that file, relative to the plan's folder;
  2. layouts/NAME.toml in the plan's folder, then in each folder above it;
  3. a layout built into paiban (`paiban layouts` lists them).
A built-in layout's fonts are the fonts that ship with paiban: carried inside the program, so
an installed paiban needs neither its checkout nor a data folder. PAIBAN_LAYOUTS=DIR makes
their paths (`../fonts/…`) relative to DIR instead (house fonts under the same file names).
A layout of your own may start with `base = \"broadsheet\"` and override only what differs,
and may name a bundled font in [fonts]: serif = \"bundled:NotoSerifSC-Regular\".
Other font paths are relative to the layout file's folder.";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
}

/// A proof resolution: 10 to 576 dpi (8 × 72: a broadsheet page at 576 dpi is already
/// 8,800 × 12,200 pixels).
fn parse_dpi(s: &str) -> Result<f32, String> {
    let dpi: f32 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (10.0..=576.0).contains(&dpi) {
        Ok(dpi)
    } else {
        Err(format!("{s} dpi is outside 10–576"))
    }
}

/// The fonts of the project's `fonts/` folder, carried inside the program (prepared by
/// `build.rs`), so an installed `paiban` sets the built-in layouts anywhere.
static CARRIED_FONTS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/carried.rs"));

fn main() -> ExitCode {
    paiban::bundled::provide(CARRIED_FONTS);
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// What a run tells the user on stderr: warnings, information, and its progress: with `-v`
/// each stage's time, else on a terminal a bar through the run's stages (none with `-q` or
/// when stderr is a file or a pipe).
struct Say {
    quiet: bool,
    verbose: bool,
    start: Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Say {
    fn new(quiet: bool, verbose: bool) -> Say {
        let bar = (!quiet && !verbose && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(0),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:24} {pos}/{len} {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Say {
            quiet,
            verbose,
            start: Instant::now(),
            bar,
        }
    }
    /// A run that says nothing but errors.
    fn silent(start: Instant) -> Say {
        Say {
            quiet: true,
            verbose: false,
            start,
            bar: None,
        }
    }
    /// Prints above the bar, if one is shown.
    fn print(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
    fn warn(&self, lines: &[String]) {
        if !self.quiet {
            for l in lines {
                self.print(&format!("warning: {l}"));
            }
        }
    }
    fn info(&self, msg: &str) {
        if !self.quiet {
            self.print(msg);
        }
    }
    /// The run has `n` stages.
    fn stages(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(n);
            bar.set_position(0);
        }
    }
    /// The next stage begins.
    fn step(&self, what: &str) {
        if self.verbose {
            eprintln!(
                "[{:>7.1} ms] {what}",
                self.start.elapsed().as_secs_f64() * 1e3
            );
        } else if let Some(bar) = self.bar.as_ref().filter(|b| !b.is_finished()) {
            bar.set_message(what.to_string());
            bar.inc(1);
        }
    }
    /// The stages are over: the bar goes.
    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs the subcommand asked for.
fn run(cli: &Cli) -> Result<ExitCode, paiban::Error> {
    let say = Say::new(cli.quiet, cli.verbose);
    match &cli.command {
        Command::Build {
            path,
            out,
            allow_overset,
            split,
            pdfx,
            marks,
            no_cache,
        } => {
            let opts = BuildOptions {
                allow_overset: *allow_overset,
                split: *split,
                pdfx: *pdfx,
                marks: *marks,
                cache: !no_cache,
            };
            build(path, out, &opts, &say)
        }
        Command::Proof {
            path,
            out,
            dpi,
            grid,
        } => proof_command(path, out, *dpi, *grid, &say),
        Command::Check { path, format, fit } => check(path, *format, *fit, &say),
        Command::Makeup {
            budget,
            out,
            variants,
        } => makeup(budget, out.as_deref(), usize::from(*variants), &say),
        Command::Watch {
            path,
            out,
            proof: with_proof,
            dpi,
            grid,
            allow_overset,
            split,
            pdfx,
            marks,
        } => {
            let opts = WatchOptions {
                build: BuildOptions {
                    allow_overset: *allow_overset,
                    split: *split,
                    pdfx: *pdfx,
                    marks: *marks,
                    cache: true,
                },
                proof_dpi: (*with_proof || *grid).then_some(*dpi),
                grid: *grid,
            };
            watch(path, out, &opts, &say)
        }
        Command::Layouts => {
            layouts();
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `paiban layouts`: the built-in layouts and the bundled fonts, and where they are read from.
fn layouts() {
    let (names, font_dir) = paiban::model::layout::builtin_layouts();
    println!("built-in layouts: {}", names.join(", "));
    if paiban::bundled::is_bundled(&font_dir) {
        println!("their fonts: the bundled fonts, carried inside this program");
    } else {
        println!(
            "their fonts are read from: {}",
            paiban::fs::tidy(&font_dir.join("../fonts")).display()
        );
    }
    println!("bundled fonts (for [fonts] in a layout):");
    for n in paiban::bundled::NAMES {
        println!("  bundled:{}", paiban::bundled::display_name(n));
    }
    println!("\n{LAYOUTS_HELP}");
}

/// `paiban build`: the edition's PDF (or one per page), with the build's warnings.
fn build(
    path: &Path,
    out: &Path,
    opts: &BuildOptions,
    say: &Say,
) -> Result<ExitCode, paiban::Error> {
    say.stages(2);
    say.step("typesetting");
    paiban::pipeline::prepare_output(out)?;
    let words = paiban::pipeline::build_words(out, opts);
    let mut t = paiban::pipeline::typeset_with(path, &words)?;
    say.step(&format!(
        "writing the PDF of {}",
        paiban::pipeline::count(t.pages.len(), "page")
    ));
    // Every warning of the run, before an overset (an error unless allowed) can stop it.
    say.warn(&t.underset());
    say.warn(&t.notes());
    say.warn(&paiban::pipeline::low_resolution(&t));
    let pdfs = paiban::pipeline::write_edition(&mut t, out, opts, &words)?;
    say.done();
    if say.verbose {
        for (name, d) in &t.timings {
            eprintln!("  {name:<8} {:>7.1} ms", d.as_secs_f64() * 1e3);
        }
    }
    say.warn(&t.overset());
    say.warn(&t.empty_frames());
    for pdf in &pdfs {
        say.info(&format!("wrote {}", pdf.display()));
    }
    say.step("done");
    // The process ends here: freeing the pages and unmapping the fonts one by one
    // would only cost time.
    std::mem::forget(t);
    Ok(ExitCode::SUCCESS)
}

/// `paiban proof`: PNG proofs of the pages, the files written listed.
fn proof_command(
    path: &Path,
    out: &Path,
    dpi: f32,
    grid: bool,
    say: &Say,
) -> Result<ExitCode, paiban::Error> {
    say.stages(3);
    say.step("typesetting");
    let written = proof(path, out, dpi, grid, say)?;
    say.done();
    for p in written {
        say.info(&format!("wrote {}", p.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// `paiban watch`: a rebuild (and proofs at `proof_dpi`, if asked for) whenever an input
/// changes, until interrupted.
fn watch(
    path: &Path,
    out: &Path,
    opts: &WatchOptions,
    say: &Say,
) -> Result<ExitCode, paiban::Error> {
    // One set of word segmentations (and jieba's dictionary, once loaded) for every
    // rebuild: an edited paragraph is segmented in microseconds, not a dictionary load.
    let words = paiban::segment::Words::cached(&out.join(".paiban-cache"));
    paiban::watch::watch(path, || {
        rebuild(path, out, opts, &words, say);
        true
    })?;
    Ok(ExitCode::SUCCESS)
}

/// One rebuild of `paiban watch`: the PDF (overset allowed), proofs if asked for, and the
/// copy-fit table; errors printed, not returned, so that watching goes on.
fn rebuild(
    path: &Path,
    out: &Path,
    opts: &WatchOptions,
    words: &paiban::segment::Words,
    say: &Say,
) {
    let t0 = Instant::now();
    let typeset = paiban::pipeline::prepare_output(out)
        .and_then(|()| paiban::pipeline::typeset_with(path, words));
    let mut t = match typeset {
        Ok(t) => t,
        Err(e) => return eprintln!("error: {e}"),
    };
    let written = paiban::pipeline::write_edition(&mut t, out, &opts.build, words);
    if let (Some(dpi), Ok(_) | Err(paiban::Error::Overset(_))) = (opts.proof_dpi, &written) {
        // The lines below report the warnings, once; an overset page is proofed all the same
        // (with --grid its overset frames are red).
        if let Err(e) = proof(path, out, dpi, opts.grid, &Say::silent(say.start)) {
            eprintln!("error: {e}");
        }
    }
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    match &written {
        Ok(pdfs) => {
            let names: Vec<String> = pdfs.iter().map(|p| p.display().to_string()).collect();
            say.info(&format!("rebuilt {} in {ms:.0} ms", names.join(", ")));
        }
        Err(paiban::Error::Overset(_)) => say.info(&format!(
            "typeset in {ms:.0} ms; no PDF written while copy is overset (--allow-overset writes it)"
        )),
        Err(_) => {}
    }
    say.info(paiban::report::copyfit_table(&t).trim_end());
    say.warn(&t.underset());
    say.warn(&t.notes());
    say.warn(&paiban::pipeline::low_resolution(&t));
    match written {
        Ok(_) => {
            say.warn(&t.overset());
            say.warn(&t.empty_frames());
        }
        Err(e) => eprintln!("error: {e}"),
    }
}

/// What `paiban watch` does on each change: the build's options, and proofs at `proof_dpi`
/// (with the grid drawn when `grid`).
struct WatchOptions {
    build: BuildOptions,
    proof_dpi: Option<f32>,
    grid: bool,
}

/// Renders the proofs of the edition at `path` into `out` (with the grid and frames drawn
/// when `grid`); returns the files written.
fn proof(
    path: &Path,
    out: &Path,
    dpi: f32,
    grid: bool,
    say: &Say,
) -> Result<Vec<PathBuf>, paiban::Error> {
    proof_with_cache(path, (out, &out.join(".paiban-cache")), dpi, grid, say)
}

/// [`proof`] with the cache (photos at proof resolution, word segmentations) kept in `cache`.
fn proof_with_cache(
    path: &Path,
    (out, cache): (&Path, &Path),
    dpi: f32,
    grid: bool,
    say: &Say,
) -> Result<Vec<PathBuf>, paiban::Error> {
    paiban::pipeline::output_folder(out)?;
    let warming = paiban::preview::warm_up();
    let cache = cache.to_path_buf();
    let words = paiban::segment::Words::cached(&cache);
    let mut t = paiban::pipeline::typeset_with(path, &words)?;
    words.save();
    say.warn(&t.overset());
    say.warn(&t.empty_frames());
    say.warn(&t.underset());
    say.warn(&t.notes());
    say.warn(&paiban::pipeline::low_resolution(&t));
    if grid {
        for (i, (page, plan)) in t.pages.iter_mut().zip(&t.edition.pages).enumerate() {
            paiban::guides::overlay(page, plan, i, &t.stories);
        }
    }
    let mut opts = paiban::pipeline::pdf_options(&t, &BuildOptions::default(), Some(&cache));
    // Photos at the proof's resolution, a photo pixel to a proof pixel: a fraction of the
    // pixels to decode, convert and resample.
    opts.proof_ppi = Some(dpi);
    say.step(&format!(
        "writing PDF and rendering {}",
        paiban::pipeline::count(t.pages.len(), "page")
    ));
    // The renderer's colour set-up (warming) is waited for where it is first needed.
    drop(warming);
    let pngs = paiban::preview::proof_pngs(&t.pages, &t.book, &opts, dpi)?;
    let written: Vec<PathBuf> = t
        .edition
        .pages
        .iter()
        .map(|plan| out.join(format!("{}-p{:02}.png", t.edition.name, plan.number)))
        .collect();
    say.step("writing the proofs");
    // All proofs or none, as for a split build.
    paiban::pipeline::remove_stale_temps(out);
    let parts: Vec<(&Path, &[u8])> = written
        .iter()
        .zip(&pngs)
        .map(|(p, png)| (p.as_path(), png.as_slice()))
        .collect();
    paiban::fs::write_all(&parts)?;
    Ok(written)
}

/// `paiban makeup`: the best plans for a budget, each with its proof; the advice when the copy
/// does not fit or fill the page.
fn makeup(
    budget: &Path,
    out: Option<&Path>,
    variants: usize,
    say: &Say,
) -> Result<ExitCode, paiban::Error> {
    let stem = budget
        .file_stem()
        .map_or("budget".into(), |s| s.to_string_lossy().into_owned());
    let plan = out.map_or_else(
        || budget.with_file_name(format!("{stem}-plan.toml")),
        Path::to_path_buf,
    );
    if let Some(dir) = plan.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            paiban::Diagnostic::file(dir, format!("cannot make the plan's folder: {e}"))
        })?;
    }
    say.step("making up");
    let words = paiban::segment::Words::in_memory();
    let made = paiban::makeup::makeup(budget, &plan, variants, &words)?;
    let mut written = Vec::new();
    for (k, v) in made.variants.iter().enumerate() {
        let path = if k == 0 {
            plan.clone()
        } else {
            let s = plan
                .file_stem()
                .map_or("plan".into(), |s| s.to_string_lossy().into_owned());
            plan.with_file_name(format!("{s}-v{}.toml", k + 1))
        };
        paiban::fs::write_all(&[(path.as_path(), v.text.as_bytes())])?;
        written.push((path, v));
    }
    let silent = Say::silent(say.start);
    for (path, v) in &written {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        // The proof beside its plan; the cache where builds keep theirs (`output/`).
        let dir = dir.unwrap_or(Path::new("."));
        let cache = Path::new("output/.paiban-cache");
        let pngs = proof_with_cache(path, (dir, cache), 72.0, false, &silent)?;
        say.done();
        say.info(&format!(
            "wrote {} (shape {}, {})",
            path.display(),
            v.shape,
            v.score.describe()
        ));
        for p in pngs {
            say.info(&format!("wrote {}", p.display()));
        }
    }
    say.warn(&made.advice);
    say.step("done");
    Ok(ExitCode::SUCCESS)
}

/// `paiban check`: lays out without writing a PDF and prints the copy-fit and preflight report;
/// exit 1 on an error-level finding.
fn check(path: &Path, format: Format, fit: bool, say: &Say) -> Result<ExitCode, paiban::Error> {
    // Word segmentations kept by earlier builds into the default output folder, if any.
    let cache = Path::new("output/.paiban-cache");
    let words = if cache.is_dir() {
        paiban::segment::Words::cached(cache)
    } else {
        paiban::segment::Words::in_memory()
    };
    let typeset = paiban::pipeline::typeset_with(path, &words);
    words.save();
    let t = match typeset {
        Ok(t) => t,
        Err(e) if format == Format::Json => {
            let name = paiban::model::plan::edition_name_of(path);
            println!("{:#}", paiban::report::error_json(&name, &e));
            eprintln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e),
    };
    let mut overset = t.overset();
    overset.extend(t.empty_frames());
    let mut render_error = None;
    // The PDF is made in memory and thrown away: what would fail a build (a photo that does
    // not decode, say) fails the check too.
    let opts = paiban::pipeline::pdf_options(
        &t,
        &BuildOptions::default(),
        cache.is_dir().then_some(cache),
    );
    let clock = Instant::now();
    if let Err(e) = paiban::pdf::write_pdf(&t.pages, &t.book, &opts) {
        overset.push(e.to_string());
        render_error = Some(e);
    }
    if say.verbose {
        let pdf = ("pdf", clock.elapsed());
        for (name, d) in t.timings.iter().chain(std::iter::once(&pdf)) {
            eprintln!("  {name:<8} {:>7.1} ms", d.as_secs_f64() * 1e3);
        }
    }
    let fits = if fit {
        Some(paiban::fit::measure_fit(
            &t.edition,
            &t.copy,
            (&t.book, &words),
        )?)
    } else {
        None
    };
    match format {
        Format::Table => {
            print!("{}", paiban::report::copyfit_table(&t));
            if let Some(fits) = &fits {
                print!("\n{}", paiban::report::fit_table(fits));
            }
            for line in &overset {
                eprintln!("error: {line}");
            }
            say.warn(&t.underset());
            say.warn(&t.notes());
            say.warn(&paiban::pipeline::low_resolution(&t));
        }
        Format::Json => {
            let mut report = paiban::report::copyfit_json(&t);
            if let (Some(e), Some(errors)) = (&render_error, report["errors"].as_array_mut()) {
                errors.extend(paiban::report::error_findings(e));
            }
            report["ok"] = serde_json::Value::Bool(overset.is_empty());
            if let Some(fits) = &fits {
                report["fit"] = paiban::report::fit_json(fits);
            }
            println!("{report:#}");
        }
    }
    Ok(if overset.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
