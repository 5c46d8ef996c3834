//! The source tree's shape, as the README's "How it works" promises it: stages only look down
//! (the model and the typesetting stages never reach into the back ends; the back ends read
//! `page::Page`, never `flow`), and no function grows past 100 lines.

use std::path::{Path, PathBuf};

/// The longest a function may be, from its `fn` line to its closing brace.
const MAX_FUNCTION_LINES: usize = 100;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn all_sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a source file is UTF-8");
            (p, text)
        })
        .collect()
}

/// The functions of a file longer than the limit: (name, first line, lines). A function starts
/// at a line `[pub[(…)]] [const] fn name` and ends at the first later line that is its
/// indentation followed by `}` (rustfmt's layout).
fn long_functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let rest = body
            .strip_prefix("pub(crate) ")
            .or_else(|| body.strip_prefix("pub(super) "))
            .or_else(|| body.strip_prefix("pub "))
            .unwrap_or(body);
        let rest = rest.strip_prefix("const ").unwrap_or(rest);
        let Some(sig) = rest.strip_prefix("fn ") else {
            continue;
        };
        if line.trim_end().ends_with(';') || line.trim_end().ends_with('}') {
            continue; // a declaration, or a one-line function
        }
        let name: String = sig
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        let end = lines
            .iter()
            .skip(i + 1)
            .position(|l| *l == close)
            .map_or(lines.len(), |k| i + 1 + k);
        let n = end - i + 1;
        if n > MAX_FUNCTION_LINES {
            long.push((name, i + 1, n));
        }
    }
    long
}

#[test]
fn no_function_is_over_100_lines() {
    let mut long = Vec::new();
    for (path, text) in all_sources() {
        for (name, line, n) in long_functions(&text) {
            long.push(format!("{}:{line}: fn {name}: {n} lines", path.display()));
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_finds_a_long_function() {
    let mut text = String::from("pub fn big(x: u32) -> u32 {\n");
    for i in 0..MAX_FUNCTION_LINES {
        text.push_str(&format!("    let _a{i} = x;\n"));
    }
    text.push_str("    x\n}\n\nfn small() {\n    let _ = 1;\n}\n");
    let long = long_functions(&text);
    assert_eq!(long.len(), 1, "{long:?}");
    assert_eq!(long[0].0, "big");
    assert_eq!(long[0].2, MAX_FUNCTION_LINES + 3);
}

/// Does `text` use any of the crate's modules in `modules`?
fn uses(text: &str, modules: &[&str]) -> Vec<String> {
    modules
        .iter()
        .filter(|m| {
            let path = format!("crate::{m}");
            text.match_indices(&path).any(|(i, _)| {
                // `crate::pdf` but not `crate::pdfx…`.
                text[i + path.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
            })
        })
        .map(|m| (*m).to_string())
        .collect()
}

#[test]
fn stages_only_look_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (path, text) in all_sources() {
        let rel = path.strip_prefix(&src).unwrap_or(&path);
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_string();
        let forbidden: &[&str] = match first.as_str() {
            "model" | "shape" | "linebreak" | "flow" => &["pdf", "preview", "compose", "pipeline"],
            "pdf" | "preview" => &["flow"],
            _ => &[],
        };
        for m in uses(&text, forbidden) {
            wrong.push(format!("{} uses crate::{m}", rel.display()));
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_layering_check_sees_a_use() {
    assert_eq!(uses("use crate::pdf::PdfX;", &["pdf"]), vec!["pdf"]);
    assert!(uses("use crate::pdfx::PdfX;", &["pdf"]).is_empty());
    assert!(uses("use crate::page::Page;", &["pdf", "flow"]).is_empty());
}
