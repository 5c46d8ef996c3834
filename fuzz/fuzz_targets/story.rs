//! Story files, Markdown and wire XML (NITF, NewsML-G2): any bytes parse to a story or a
//! diagnostic, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = paiban::model::parse_story(std::path::Path::new("fuzz.md"), &text);
    let _ = paiban::model::parse_story(std::path::Path::new("fuzz.xml"), &text);
});
