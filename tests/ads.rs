//! Ads (issue 16) on the example page input/ads: placed as delivered (vector, untouched, on
//! their slots), checked against their slots and bookings, reported by `check`; every fault
//! fails the build naming the file, and nothing is written.

mod common;
use common::*;
use paiban::page::Item;
use pdf_writer::{Finish, Name, Rect as PdfRect, Ref};

/// A copy of the example page in a temp folder (its stories and photos by absolute path), its
/// plan edited by `edit`.
fn example(name: &str, edit: impl FnOnce(String) -> String) -> std::path::PathBuf {
    let dir = temp_dir(name);
    copy_dir(&root().join("input/ads"), &dir);
    let plan = dir.join("p02.toml");
    let src = std::fs::read_to_string(&plan).unwrap();
    let src = src.replace(
        "../weidong/",
        &format!("{}/", root().join("input/weidong").display()),
    );
    std::fs::write(&plan, edit(src)).unwrap();
    dir
}

/// Builds `dir` into its `out` folder; returns exit code, stderr and the PDFs written.
fn build(dir: &std::path::Path, extra: &[&str]) -> (i32, String, Vec<std::path::PathBuf>) {
    let out = dir.join("out");
    let mut args = vec!["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, _, err) = paiban(&args);
    let pdfs = std::fs::read_dir(&out)
        .map(|r| {
            r.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect()
        })
        .unwrap_or_default();
    (code, err, pdfs)
}

#[test]
fn ads_sit_on_their_slots_as_vector() {
    let t = paiban::pipeline::typeset(&root().join("input/ads")).unwrap();
    let page = &t.pages[0];
    let plan = &t.edition.pages[0];
    let arts: Vec<(&paiban::vector::Art, &paiban::units::Rect)> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Art { art, rect, .. } => Some((art.as_ref(), rect)),
            _ => None,
        })
        .collect();
    // The chart ([[graphic]]), then the two ads.
    assert_eq!(arts.len(), 3);
    let (chart, at) = arts[0];
    assert!(chart.file.ends_with("graphics/chart.svg"));
    let frame = paiban::flow::area_rect(&plan.layout.grid, &plan.photos[1].area);
    // Whole (its aspect kept) and inside its frame, above its caption.
    assert!((at.w / at.h - chart.width / chart.height).abs() < 0.001);
    assert!(at.x >= frame.x - 0.01 && at.right() <= frame.right() + 0.01);
    assert!(at.y >= frame.y - 0.01 && at.bottom() < frame.bottom() - 15.0);
    assert!(page
        .items
        .iter()
        .any(|i| matches!(i, Item::Text(t) if t.text.contains("新增市场主体"))));
    for (ad, (art, rect)) in plan.ads.iter().zip(&arts[1..]) {
        let slot = paiban::flow::area_rect(&plan.layout.grid, &ad.area);
        assert_eq!(art.file, ad.file);
        // Not scaled: drawn at its own size, on the slot within 1 pt.
        assert_eq!((rect.w, rect.h), (art.width, art.height));
        for (a, b) in [
            (rect.x, slot.x),
            (rect.y, slot.y),
            (rect.right(), slot.right()),
            (rect.bottom(), slot.bottom()),
        ] {
            assert!((a - b).abs() <= 1.0, "{rect:?} on {slot:?}");
        }
    }
    // Booked 红 prints black and red; booked 黑 black alone.
    assert_eq!(page.ads[0].inks, Some([false, true, true, true]));
    assert_eq!(page.ads[1].inks, Some([false, false, false, true]));
    // No image is added for a vector ad: the page's only image is its photo.
    let opts = paiban::pipeline::pdf_options(&t, &Default::default(), None);
    let pdf = paiban::pdf::write_pdf(&t.pages, &t.book, &opts).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(text.matches("/Subtype /Image").count(), 1);
    assert!(text.matches("/Subtype /Form").count() >= 3);
}

#[test]
fn check_reports_the_ads() {
    let (code, out, err) = paiban(&["check", "input/ads", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ads = v["ads"].as_array().unwrap();
    assert_eq!(ads.len(), 2);
    assert_eq!(ads[0]["advertiser"], "青川家电城");
    assert_eq!(ads[0]["class"], "红");
    assert_eq!(ads[0]["inks"], serde_json::json!(["M", "Y", "K"]));
    assert_eq!(ads[1]["inks"], serde_json::json!(["K"]));
    let w = ads[0]["width_mm"].as_f64().unwrap();
    assert!((w - ads[0]["slot_width_mm"].as_f64().unwrap()).abs() <= 1.0 && w > 170.0);
    let (_, table, _) = paiban(&["check", "input/ads"]);
    assert!(
        table.contains("ad    kongtiao.pdf") && table.contains("老街饭庭"),
        "{table}"
    );
}

fn fails_naming(dir: &std::path::Path, extra: &[&str], wants: &[&str]) {
    let (code, err, pdfs) = build(dir, extra);
    assert_eq!(code, 1, "{err}");
    for w in wants {
        assert!(err.contains(w), "`{w}` in:\n{err}");
    }
    assert!(pdfs.is_empty(), "nothing written: {pdfs:?}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_wrong_size_ad_fails_naming_both_sizes() {
    // The 4 × 30 ad in a 4 × 20 slot.
    let dir = example("ad-wrong-size", |s| {
        s.replace("lines = \"61-90\"", "lines = \"71-90\"")
    });
    fails_naming(
        &dir,
        &[],
        &[
            "kongtiao.pdf is 174.6 × 158.8 mm",
            "its slot (columns 1-4, lines 71-90) is 174.6 × 105.8 mm",
            "p02.toml:",
        ],
    );
    // `scale = true` places it scaled, and says so.
    let dir = example("ad-scaled", |s| {
        s.replace("lines = \"61-90\"", "lines = \"71-90\"").replace(
            "file = \"ads/kongtiao.pdf\"",
            "file = \"ads/kongtiao.pdf\"\nscale = true",
        )
    });
    let (code, err, pdfs) = build(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(pdfs.len(), 1);
    assert!(err.contains("placed scaled to 67%"), "{err}");
}

#[test]
fn a_colour_ad_booked_black_fails() {
    let dir = example("ad-class", |s| {
        s.replace("class = \"红\"", "class = \"黑\"")
    });
    fails_naming(
        &dir,
        &[],
        &[
            "kongtiao.pdf prints inks M Y K; it is booked 黑 (black only), which has no M Y",
            "p02.toml:",
        ],
    );
}

/// A one-page PDF of 495 × 450 pt (the 4 × 30 slot) with `content`, its page dictionary
/// finished by `setup`.
fn ad_pdf(content: &[u8], setup: impl FnOnce(&mut pdf_writer::writers::Page)) -> Vec<u8> {
    let mut pdf = pdf_writer::Pdf::new();
    let (catalog, tree, page, contents) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    pdf.stream(contents, content);
    let mut p = pdf.page(page);
    p.parent(tree)
        .media_box(PdfRect::new(0.0, 0.0, 495.0, 450.0))
        .contents(contents);
    setup(&mut p);
    p.finish();
    pdf.finish()
}

#[test]
fn rgb_unembedded_damaged_and_encrypted_ads_fail_cleanly() {
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "rgb",
            ad_pdf(b"1 0 0 rg 0 0 495 450 re f", |_| {}),
            &["bad.pdf", "RGB or Lab colour"],
        ),
        (
            "font",
            ad_pdf(b"BT /F1 12 Tf 10 10 Td (Hi) Tj ET", |p| {
                let mut res = p.resources();
                let mut fonts = res.fonts();
                let mut font = fonts.insert(Name(b"F1")).dict();
                font.pair(Name(b"Type"), Name(b"Font"));
                font.pair(Name(b"Subtype"), Name(b"Type1"));
                font.pair(Name(b"BaseFont"), Name(b"Helvetica"));
            }),
            &["bad.pdf", "Helvetica is not embedded"],
        ),
        (
            "damaged",
            b"%PDF-1.7\n%garbage only\n".to_vec(),
            &["bad.pdf"],
        ),
        (
            "encrypted",
            {
                let plain = ad_pdf(b"0 0 0 1 k 0 0 10 10 re f", |_| {});
                let id = "<00112233445566778899aabbccddeeff>";
                let encrypt = format!(
                "trailer\n<<\n  /Encrypt << /Filter /Standard /V 1 /R 2 /P -4 /O <{o}> /U <{o}> >>\n  /ID [{id} {id}]\n",
                o = "ab".repeat(32)
            );
                let at = plain.windows(9).position(|w| w == b"trailer\n<").unwrap();
                let mut e = plain[..at].to_vec();
                e.extend_from_slice(encrypt.as_bytes());
                e.extend_from_slice(&plain[at + b"trailer\n<<\n".len()..]);
                e
            },
            &["bad.pdf", "encrypted"],
        ),
    ];
    for (name, bytes, wants) in cases {
        let dir = example(&format!("ad-{name}"), |s| {
            s.replace("ads/kongtiao.pdf", "bad.pdf")
        });
        std::fs::write(dir.join("bad.pdf"), bytes).unwrap();
        for level in ["4", "1a"] {
            fails_naming(&dir, &["--pdfx", level], wants);
        }
        // check agrees.
        let (_, out, _) = paiban(&["check", dir.to_str().unwrap(), "--format", "json"]);
        assert!(out.contains("\"ok\": false"), "{name}: {out}");
    }
}

#[test]
fn an_ad_may_not_share_its_slot() {
    let dir = example("ad-overlap", |s| {
        s.replace("lines = \"26-50\"", "lines = \"26-75\"")
    });
    fails_naming(
        &dir,
        &[],
        &[
            "p02.toml:",
            "this ad's slot (columns 5-8, lines 71-90) overlaps a story frame",
        ],
    );
}

#[test]
#[ignore = "needs poppler-utils, qpdf, mupdf-tools, ghostscript; run with --include-ignored"]
fn the_ads_page_passes_the_plant_checks_and_its_ads_read_back() {
    for level in ["4", "1a"] {
        let dir = example(&format!("ads-x{level}"), |s| s);
        let (code, err, pdfs) = build(&dir, &["--pdfx", level]);
        assert_eq!(code, 0, "{err}");
        let pdf = pdfs[0].to_str().unwrap().to_string();
        let report = std::process::Command::new("bash")
            .arg(root().join("tests/tools/print-checks.sh"))
            .arg(&pdf)
            .output()
            .unwrap();
        assert!(
            report.status.success(),
            "{}",
            String::from_utf8_lossy(&report.stdout)
        );
        // The ads' own text and fonts come back from the page.
        let text = tool("pdftotext", &[&pdf, "-"]);
        for s in ["青川家电城", "夏季空调节能补贴", "老街饭庭", "订餐电话"] {
            assert!(text.contains(s), "{s} in the page's text");
        }
        let fonts = tool("pdffonts", &[&pdf]);
        assert!(
            fonts.lines().skip(2).all(|l| l.contains(" yes ")),
            "{fonts}"
        );
        assert!(
            fonts.lines().skip(2).count() >= 6,
            "the ads' own subsets too: {fonts}"
        );
    }
    // The proof's slug names the advertisers.
    let dir = example("ads-marks", |s| s);
    let (code, err, pdfs) = build(&dir, &["--marks"]);
    assert_eq!(code, 0, "{err}");
    let text = tool("pdftotext", &[pdfs[0].to_str().unwrap(), "-"]);
    assert!(text.contains("广告：青川家电城、老街饭庭"), "{text}");
}

/// A JPEG of `w` × `h` pixels in `colour` (each pixel `px`), at `ppi` (None: no resolution).
fn jpeg(
    (w, h): (u16, u16),
    colour: jpeg_encoder::ColorType,
    px: &[u8],
    ppi: Option<u16>,
) -> Vec<u8> {
    let data: Vec<u8> = px
        .iter()
        .copied()
        .cycle()
        .take(usize::from(w) * usize::from(h) * px.len())
        .collect();
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 90);
    e.set_density(match ppi {
        Some(p) => jpeg_encoder::PixelDensity::dpi(p),
        None => jpeg_encoder::PixelDensity::default(),
    });
    e.encode(&data, w, h, colour).unwrap();
    out
}

#[test]
fn jpeg_ads_are_placed_at_their_own_size_and_checked() {
    // The 4 × 20 slot is 495 × 300 pt: 688 × 417 pixels at 100 ppi.
    let k_only = jpeg(
        (688, 417),
        jpeg_encoder::ColorType::Cmyk,
        &[0, 0, 0, 200],
        Some(100),
    );
    let with = |name: &str, bytes: &[u8], class: &str| {
        let dir = example(name, |s| {
            s.replace("ads/fanting.pdf", "ad.jpg")
                .replace("class = \"黑\"", &format!("class = \"{class}\""))
        });
        std::fs::write(dir.join("ad.jpg"), bytes).unwrap();
        dir
    };
    // A CMYK JPEG of black alone, booked 黑: placed as an image on its slot, no warning but
    // its low resolution.
    let dir = with("jpeg-ad", &k_only, "黑");
    let (code, err, pdfs) = build(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(pdfs.len(), 1);
    assert!(
        err.contains("ad `ad.jpg` is 100 ppi, under the 150 ppi minimum"),
        "{err}"
    );
    let t = paiban::pipeline::typeset(&dir).unwrap();
    assert_eq!(t.pages[0].ads[1].inks, Some([false, false, false, true]));
    let slot = paiban::flow::area_rect(
        &t.edition.pages[0].layout.grid,
        &t.edition.pages[0].ads[1].area,
    );
    let placed = t.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Image { photo, placed, .. } if photo.path.ends_with("ad.jpg") => Some(*placed),
            _ => None,
        })
        .unwrap();
    assert!((placed.x - slot.x).abs() <= 1.0 && (placed.bottom() - slot.bottom()).abs() <= 1.0);
    assert!((placed.w - 688.0 * 0.72).abs() < 0.01);
    // The page's inks count the ad's own (K), not all four of a CMYK image: without its
    // photo the page prints M Y K (the 红 ad's red and black).
    let dir = with("jpeg-ad-inks", &k_only, "黑");
    let plan = dir.join("p02.toml");
    let src = std::fs::read_to_string(&plan).unwrap();
    let photo = src.find("[[photo]]").unwrap();
    let next = src[photo..].find("\n\n[[").unwrap() + photo;
    std::fs::write(&plan, format!("{}{}", &src[..photo], &src[next + 2..])).unwrap();
    let t = paiban::pipeline::typeset(&dir).unwrap();
    assert_eq!(
        paiban::furniture::page_inks(&t.pages[0]),
        [false, true, true, true]
    );
    // The same with cyan in it, booked 黑: refused, naming the inks.
    let cyan = jpeg(
        (688, 417),
        jpeg_encoder::ColorType::Cmyk,
        &[60, 0, 0, 200],
        Some(100),
    );
    fails_naming(
        &with("jpeg-ad-cyan", &cyan, "黑"),
        &[],
        &["ad.jpg prints inks C K", "booked 黑"],
    );
    // RGB, and no resolution: refused.
    let rgb = jpeg(
        (688, 417),
        jpeg_encoder::ColorType::Rgb,
        &[200, 0, 0],
        Some(100),
    );
    fails_naming(
        &with("jpeg-ad-rgb", &rgb, "彩"),
        &[],
        &["ad.jpg is an RGB JPEG"],
    );
    let bare = jpeg(
        (688, 417),
        jpeg_encoder::ColorType::Cmyk,
        &[0, 0, 0, 200],
        None,
    );
    fails_naming(
        &with("jpeg-ad-bare", &bare, "黑"),
        &[],
        &["gives no resolution"],
    );
    // At 150 ppi the same pixels are a smaller ad than the slot.
    let small = jpeg(
        (688, 417),
        jpeg_encoder::ColorType::Cmyk,
        &[0, 0, 0, 200],
        Some(150),
    );
    fails_naming(
        &with("jpeg-ad-small", &small, "黑"),
        &[],
        &["its pixels at its JFIF resolution"],
    );
}
