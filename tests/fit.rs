//! Copy-fitting measured by setting: `lines = "N-auto"` frames end where their copy ends, and
//! `check --fit` says how many characters each story's frames take — figures a build agrees
//! with.

mod common;
use common::*;
use paiban::pipeline::typeset;
use std::path::Path;

/// Copy of `n` characters cycling through a sentence, in paragraphs of about 150 characters.
fn copy(n: usize) -> String {
    let sentence: Vec<char> = "区司法局切实抓好法律援助工作，让群众在每一个案件中感受到公平正义。"
        .chars()
        .collect();
    let mut s = String::new();
    for i in 0..n {
        s.push(sentence[i % sentence.len()]);
        if i % 150 == 149 {
            s.push_str("\n\n");
        }
    }
    s
}

fn story(dir: &Path, id: &str, chars: usize) {
    let text = format!("+++\nheadline = \"测试标题{id}\"\n+++\n\n{}\n", copy(chars));
    std::fs::create_dir_all(dir.join("stories")).unwrap();
    std::fs::write(dir.join("stories").join(format!("{id}.md")), text).unwrap();
}

fn plan(dir: &Path, body: &str) -> std::path::PathBuf {
    let text = format!(
        "layout = \"broadsheet\"\nnumber = 3\nsection = \"测试\"\ndate = \"2024-01-01\"\n\n{body}"
    );
    let p = dir.join("p.toml");
    std::fs::write(&p, text).unwrap();
    p
}

fn frame(id: &str, columns: &str, lines: &str) -> String {
    format!(
        "[[story]]\nfile = \"stories/{id}.md\"\ncolumns = \"{columns}\"\nlines = \"{lines}\"\n\n"
    )
}

/// An auto frame takes the least depth that sets its copy: one line less and it is overset.
#[test]
fn an_auto_frame_ends_where_its_copy_ends() {
    let dir = temp_dir("fit-auto");
    story(&dir, "a", 700);
    story(&dir, "b", 300);
    let p = plan(
        &dir,
        &(frame("a", "1-4", "1-auto") + &frame("b", "5-8", "1-40")),
    );
    let t = typeset(&p).unwrap();
    let d = &t.depths[0];
    let a = t.stories.iter().find(|s| s.id == "a").unwrap();
    assert!(a.overset.is_none(), "{:?}", a.overset);
    assert!(a.underset <= 1, "balanced: {} lines under", a.underset);
    let last = d.area.lines.1;
    assert!(last > 5 && last < 60, "{last}");
    // The same frame fixed one line shallower overflows.
    let p = plan(
        &dir,
        &(frame("a", "1-4", &format!("1-{}", last - 1)) + &frame("b", "5-8", "1-40")),
    );
    let t = typeset(&p).unwrap();
    assert!(t
        .stories
        .iter()
        .find(|s| s.id == "a")
        .unwrap()
        .overset
        .is_some());
    // check reports the depth chosen.
    let p = plan(
        &dir,
        &(frame("a", "1-4", "1-auto") + &frame("b", "5-8", "1-40")),
    );
    let (code, out, err) = paiban(&["check", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("auto  a               lines 1-{last}")),
        "{out}"
    );
}

/// Copy that reaches the frame below an auto frame is an error naming both frames.
#[test]
fn an_auto_frame_that_reaches_another_frame_is_an_error() {
    let dir = temp_dir("fit-auto-long");
    story(&dir, "a", 3000);
    story(&dir, "b", 300);
    let p = plan(
        &dir,
        &(frame("a", "1-2", "1-auto") + &frame("b", "1-4", "41-60")),
    );
    let (code, _, err) = paiban(&["check", p.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("p.toml:9:9"), "{err}");
    assert!(err.contains("columns 1-2, lines 1-auto"), "{err}");
    assert!(
        err.contains("the frame of") && err.contains("b.md` (columns 1-4, lines 41-60)"),
        "{err}"
    );
}

/// `check --fit`: for frames of many sizes, the characters to add fill the frame exactly (as
/// many added as a last paragraph of the story's own copy set; one more is overset), and an
/// overset story's figures are those build reports.
#[test]
fn check_fit_agrees_with_build_on_many_frames() {
    let dir = temp_dir("fit-many");
    let frames = [
        ("s1", "1-2", "1-20", 150),
        ("s2", "3-5", "1-30", 500),
        ("s3", "6-8", "1-16", 200),
        ("s4", "6-8", "18-40", 900),
        ("s5", "1-5", "32-50", 1200),
        ("s6", "1-1", "22-30", 40),
        ("s7", "2-2", "22-30", 400),
        ("s8", "1-8", "52-70", 1500),
        ("s9", "1-3", "72-90", 350),
        ("s10", "4-8", "72-90", 2600),
    ];
    let mut body = String::new();
    for (id, c, l, n) in frames {
        story(&dir, id, n);
        body += &frame(id, c, l);
    }
    let p = plan(&dir, &body);
    let (_, json, err) = paiban(&["check", p.to_str().unwrap(), "--fit", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}{err}"));
    let fits = v["fit"].as_array().unwrap();
    assert_eq!(fits.len(), frames.len());
    let built = typeset(&p).unwrap();
    let mut checked = (0, 0);
    for f in fits {
        let id = f["id"].as_str().unwrap();
        let (add, cut) = (
            f["add"].as_u64().unwrap() as usize,
            f["cut"].as_u64().unwrap() as usize,
        );
        let set = built.stories.iter().find(|s| s.id == id).unwrap();
        assert_eq!(f["chars"].as_u64().unwrap() as usize, set.chars, "{id}");
        if let Some(o) = &set.overset {
            assert_eq!((cut, add), (o.chars, 0), "{id}");
            assert_eq!(f["set"].as_u64().unwrap() as usize, set.chars - o.chars);
            checked.1 += 1;
            continue;
        }
        assert_eq!(cut, 0, "{id}");
        assert_eq!(
            f["fits"].as_u64().unwrap() as usize,
            set.chars + add,
            "{id}"
        );
        // Build with `add` characters added: nothing overset; with one more: overset.
        let file = dir.join("stories").join(format!("{id}.md"));
        let original = std::fs::read_to_string(&file).unwrap();
        let story = paiban::model::parse_story(&file, &original).unwrap();
        for (n, overset) in [(add, false), (add + 1, true)] {
            let filler = paiban::fit::capacity::filler(&story, n);
            std::fs::write(&file, format!("{original}\n{filler}\n")).unwrap();
            let t = typeset(&p).unwrap();
            let s = t.stories.iter().find(|s| s.id == id).unwrap();
            assert_eq!(s.overset.is_some(), overset, "{id} with {n} added");
        }
        std::fs::write(&file, original).unwrap();
        checked.0 += 1;
    }
    assert!(checked.0 >= 6 && checked.1 >= 2, "{checked:?}");
}
