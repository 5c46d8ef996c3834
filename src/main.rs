//! The `paiban` command line: build, check.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// paiban (排版): typesets Chinese newspaper pages from story files, page plans and a layout.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the PDF of an edition, e.g. `paiban build input/weidong`
    Build {
        /// edition.toml, a page plan, or a folder holding edition.toml
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
        pdfx: Option<paiban::pdf::pdfx::PdfX>,
        /// Crop marks outside the bleed (for proofs)
        #[arg(long)]
        marks: bool,
    },
    /// Lay out without writing a PDF and print the copy-fit report, e.g. `paiban check input/weidong`
    Check {
        /// edition.toml, a page plan, or a folder holding edition.toml
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, paiban::Error> {
    match cli.command {
        Command::Build {
            path,
            out,
            allow_overset,
            split,
            pdfx,
            marks,
        } => {
            let opts = paiban::pipeline::BuildOptions {
                allow_overset,
                split,
                pdfx,
                marks,
            };
            let (pdfs, t) = paiban::pipeline::build(&path, &out, &opts)?;
            for line in paiban::pipeline::low_resolution(&t) {
                eprintln!("warning: {line}");
            }
            for line in t.overset() {
                eprintln!("warning: {line}");
            }
            for line in t.underset() {
                eprintln!("warning: {line}");
            }
            for pdf in &pdfs {
                eprintln!("wrote {}", pdf.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { path } => {
            let t = paiban::pipeline::typeset(&path)?;
            print!("{}", paiban::pipeline::copyfit_table(&t));
            let overset = t.overset();
            for line in &overset {
                eprintln!("error: {line}");
            }
            for line in t.underset() {
                eprintln!("warning: {line}");
            }
            Ok(if overset.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
