//! The bad-input corpus: every folder under tests/bad-input is a broken edition or page plan
//! with an `expected` file of lines the error output must contain. Each case must exit
//! non-zero, print those lines, never panic, and leave no PDF behind.

mod common;
use common::*;

#[test]
fn every_bad_input_fails_cleanly() {
    let corpus = root().join("tests/bad-input");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let target = if case.join("edition.toml").is_file() {
            case.clone()
        } else {
            case.join("p.toml")
        };
        let out = temp_dir(&format!("bad-{name}"));
        let (code, stdout, stderr) = paiban(&[
            "build",
            target.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let expected = std::fs::read_to_string(case.join("expected")).unwrap();
        let mut problems = Vec::new();
        if code == 0 {
            problems.push("exit status 0".to_string());
        }
        if stderr.contains("panicked") || code == 101 {
            problems.push("panicked".to_string());
        }
        for line in expected.lines().filter(|l| !l.is_empty()) {
            if !stderr.contains(line) {
                problems.push(format!("missing `{line}`"));
            }
        }
        // The cache of prepared parts may stay (a photo refused while the PDF is written
        // comes after fonts were subset); no PDF may.
        let left: Vec<_> = std::fs::read_dir(&out)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| !p.ends_with(".paiban-cache"))
                    .collect()
            })
            .unwrap_or_default();
        if !left.is_empty() {
            problems.push(format!("left {left:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name}: {}\n--- stderr ---\n{stderr}{stdout}",
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn check_reports_the_same_errors_without_writing() {
    let case = root().join("tests/bad-input/frame-off-grid/p.toml");
    let (code, _, err) = paiban(&["check", case.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("exceed the grid's 8 columns"), "{err}");
}

/// An error object of the JSON report as the diagnostic line (and hint) a person reads.
fn as_line(e: &serde_json::Value) -> String {
    let at = match (e["file"].as_str(), e["line"].as_u64(), e["column"].as_u64()) {
        (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
        (Some(f), _, _) => format!("{f}: "),
        _ => String::new(),
    };
    let hint = e["hint"]
        .as_str()
        .map(|h| format!("\n  = hint: {h}"))
        .unwrap_or_default();
    format!("{at}{}{hint}", e["message"].as_str().unwrap_or(""))
}

/// `check --format json` says `ok: false`, with the build's message, for every case a build
/// refuses (issue 21): an editor's copy-fit never says yes to a page the build would not make.
#[test]
fn check_json_is_not_ok_wherever_the_build_fails() {
    let corpus = root().join("tests/bad-input");
    let mut failures = Vec::new();
    for case in std::fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .map(|e| e.path())
    {
        if !case.is_dir() {
            continue;
        }
        let target = if case.join("edition.toml").is_file() {
            case.clone()
        } else {
            case.join("p.toml")
        };
        let (code, stdout, _) = paiban(&["check", "--format", "json", target.to_str().unwrap()]);
        let report: serde_json::Value = match serde_json::from_str(&stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: not JSON ({e}): {stdout}", case.display()));
                continue;
            }
        };
        // Each error object read back as the line a person sees: file:line:column: message.
        let errors: Vec<String> = report["errors"]
            .as_array()
            .map(|a| a.iter().map(as_line).collect())
            .unwrap_or_default();
        let errors = errors.join("\n");
        let expected = std::fs::read_to_string(case.join("expected")).unwrap();
        let missing: Vec<&str> = expected
            .lines()
            // The build's hint to pass --allow-overset is not the check's to give.
            // Nor is the source line with its caret, which the terminal shows.
            .filter(|l| {
                let caret = l.trim() == "^" || l.trim_start().starts_with('|');
                !l.is_empty() && !caret && !l.contains("--allow-overset") && !errors.contains(l)
            })
            .collect();
        if code == 0 || report["ok"] != serde_json::Value::Bool(false) || !missing.is_empty() {
            failures.push(format!(
                "{}: exit {code}, ok {}, missing {missing:?} in {errors}",
                case.display(),
                report["ok"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
