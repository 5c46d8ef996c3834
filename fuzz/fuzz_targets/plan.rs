//! Page plans: any text parses to a plan or a diagnostic, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = paiban::model::plan::parse_plan(std::path::Path::new("/nonexistent/fuzz.toml"), &text);
});
