//! Photos as placed: what preparation makes of damaged, turned, profiled and transparent
//! pictures (issue 21), checked on the prepared pixels.

use super::*;
use jpeg_encoder::ColorType;

/// Colour transforms shared by the tests of this module.
fn transforms() -> &'static colour::Transforms {
    static BUILT: std::sync::LazyLock<colour::Transforms> =
        std::sync::LazyLock::new(colour::Transforms::default);
    &BUILT
}

/// The newsprint target at `max_ppi`.
fn target(max_ppi: f32) -> Target<'static> {
    Target {
        cmyk: colour::NEWSPRINT_CMYK,
        allow_icc: true,
        max_ppi,
        proof_ppi: None,
        transforms: transforms(),
    }
}

/// A JPEG of `samples` (CMYK as ink), with an EXIF orientation and an ICC profile if given.
pub(crate) fn jpeg(
    samples: &[u8],
    (w, h): (u16, u16),
    colour: ColorType,
    orientation: Option<u16>,
    icc: Option<&[u8]>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 95);
    e.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    if let Some(o) = orientation {
        e.add_exif_metadata(&super::orient::tests::tiff(o, false))
            .unwrap();
    }
    if let Some(p) = icc {
        e.add_icc_profile(p).unwrap();
    }
    e.encode(samples, w, h, colour).unwrap();
    out
}

/// A 40 × 20 RGB picture: left half red, right half blue.
fn red_blue() -> Vec<u8> {
    (0..40 * 20)
        .flat_map(|i| {
            if i % 40 < 20 {
                [220, 0, 0]
            } else {
                [0, 0, 220]
            }
        })
        .collect()
}

/// Noisy samples with detail in every block (so damage shows in the entropy data).
fn noise(n: usize) -> Vec<u8> {
    let mut seed = 7u32;
    (0..n)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 24) as u8
        })
        .collect()
}

/// Writes `bytes` as `name` in a fresh folder for `test` and loads it.
fn load(test: &str, name: &str, bytes: &[u8]) -> crate::error::Result<Photo> {
    let dir = crate::test_dir(test);
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    load_photo(&file)
}

/// The prepared samples: decoded (CMYK as ink) or raw.
fn samples(p: &Prepared) -> Vec<u8> {
    let channels = if p.colour == Colour::Gray { 1 } else { 4 };
    match &p.pixels {
        Pixels::Raw(s) => s.clone(),
        Pixels::Dct { bytes, inverted } => {
            let mut s = thumb::decode(bytes, channels, (p.width, p.height)).unwrap();
            if *inverted {
                s.iter_mut().for_each(|v| *v = 255 - *v);
            }
            s
        }
    }
}

/// The CMYK (or grey) pixel at (x, y).
fn pixel(p: &Prepared, (x, y): (u32, u32)) -> Vec<u8> {
    let channels = if p.colour == Colour::Gray { 1 } else { 4 };
    let at = ((y * p.width + x) as usize) * channels;
    samples(p)[at..at + channels].to_vec()
}

/// Whether a CMYK pixel is red on newsprint (magenta and yellow, little cyan).
fn is_red(px: &[u8]) -> bool {
    px[1] > 150 && px[2] > 150 && px[0] < 60
}

/// Whether a CMYK pixel is blue on newsprint (cyan and magenta, little yellow).
fn is_blue(px: &[u8]) -> bool {
    px[0] > 150 && px[1] > 100 && px[2] < 60
}

/// The error message of a refused preparation.
fn refusal(p: &Photo) -> String {
    prepare(p, (100.0, 100.0), &target(300.0))
        .unwrap_err()
        .to_string()
}

#[test]
fn damaged_jpegs_are_refused_never_placed_grey() {
    for (name, colour, channels) in [
        ("rgb", ColorType::Rgb, 3),
        ("grey", ColorType::Luma, 1),
        ("cmyk", ColorType::Cmyk, 4),
    ] {
        let whole = jpeg(&noise(96 * 96 * channels), (96, 96), colour, None, None);
        // Cut in the middle of the picture data, the end-of-image marker kept.
        let mut cut = whole[..whole.len() / 2].to_vec();
        cut.extend([0xFF, 0xD9]);
        let photo = load("damaged-jpeg", &format!("{name}.jpg"), &cut).unwrap();
        let err = refusal(&photo);
        assert!(
            err.contains(&format!("{name}.jpg: JPEG data is corrupt"))
                && err.contains("copy the photo again"),
            "{name}: {err}"
        );
        // The whole file is fine.
        let photo = load("damaged-jpeg", &format!("{name}-whole.jpg"), &whole).unwrap();
        assert!(prepare(&photo, (100.0, 100.0), &target(300.0)).is_ok());
    }
}

#[test]
fn clean_grey_and_cmyk_jpegs_are_still_passed_through() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        root.join("tests/data/grey-newsprint.jpg"),
        root.join("input/weidong/photos/service-centre.jpg"),
    ] {
        let photo = load_photo(&file).unwrap();
        let p = prepare(&photo, (200.0, 150.0), &target(300.0)).unwrap();
        let Pixels::Dct { bytes, .. } = &p.pixels else {
            panic!("a JPEG expected")
        };
        // The file's bytes (the CMYK one without its copy of the output profile).
        let data = photo.data().unwrap();
        assert!(
            Arc::ptr_eq(bytes, &data) || *bytes.as_slice() == jpeg::strip_icc(&data),
            "{file:?} re-encoded"
        );
    }
}

#[test]
fn processes_pdf_readers_cannot_decode_are_refused_by_name() {
    let base = jpeg(&noise(16 * 16), (16, 16), ColorType::Luma, None, None);
    let sof = base
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    for (marker, precision, expected) in [
        (0xC3, 8, "lossless JPEG (SOF3)"),
        (0xC9, 8, "arithmetic-coded JPEG (SOF9)"),
        (0xCB, 8, "lossless arithmetic-coded JPEG (SOF11)"),
        (0xC1, 12, "12-bit JPEG (SOF1)"),
        (0xC5, 8, "hierarchical JPEG (SOF5)"),
    ] {
        let mut bytes = base.clone();
        bytes[sof + 1] = marker;
        bytes[sof + 4] = precision;
        let err = load("processes", "odd.jpg", &bytes)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("odd.jpg: {expected}"))
                && err.contains("save the photo again as a baseline JPEG"),
            "{err}"
        );
    }
}

#[test]
fn exif_orientation_turns_photos_upright() {
    // Stored 40 × 20, red left and blue right; shown turned a quarter.
    for (o, top_red) in [(6u16, true), (8, false)] {
        let bytes = jpeg(&red_blue(), (40, 20), ColorType::Rgb, Some(o), None);
        let photo = load("orientation", "phone.jpg", &bytes).unwrap();
        assert_eq!((photo.width, photo.height), (20, 40), "layout size upright");
        let p = prepare(&photo, (20.0, 40.0), &target(300.0)).unwrap();
        assert_eq!((p.width, p.height), (20, 40));
        let (top, bottom) = (pixel(&p, (10, 5)), pixel(&p, (10, 34)));
        assert_eq!(
            (is_red(&top), is_blue(&bottom)),
            (top_red, top_red),
            "{o}: {top:?} {bottom:?}"
        );
        assert_eq!((is_blue(&top), is_red(&bottom)), (!top_red, !top_red));
    }
    // A grey JPEG turned half way is not passed through: dark top-left ends bottom-right.
    let grey: Vec<u8> = (0..32 * 16)
        .map(|i| if i % 32 < 16 { 20 } else { 230 })
        .collect();
    let bytes = jpeg(&grey, (32, 16), ColorType::Luma, Some(3), None);
    let photo = load("orientation", "grey.jpg", &bytes).unwrap();
    let p = prepare(&photo, (32.0, 16.0), &target(300.0)).unwrap();
    assert!(pixel(&p, (2, 2))[0] > 200 && pixel(&p, (29, 13))[0] < 50);
    // CMYK ink turned a quarter, re-encoded with the same ink.
    let ink: Vec<u8> = (0..16 * 8)
        .flat_map(|i| {
            if i % 16 < 8 {
                [200, 10, 10, 0]
            } else {
                [0, 0, 0, 200]
            }
        })
        .collect();
    let bytes = jpeg(&ink, (16, 8), ColorType::Cmyk, Some(6), None);
    let photo = load("orientation", "cmyk.jpg", &bytes).unwrap();
    let p = prepare(&photo, (8.0, 16.0), &target(300.0)).unwrap();
    assert_eq!((p.width, p.height, p.colour.clone()), (8, 16, Colour::Cmyk));
    let (top, bottom) = (pixel(&p, (4, 2)), pixel(&p, (4, 13)));
    assert!(top[0] > 180 && top[3] < 20, "{top:?}");
    assert!(bottom[3] > 180 && bottom[0] < 20, "{bottom:?}");
}

#[test]
fn a_ycck_jpeg_turned_upright_keeps_its_ink() {
    let ink: Vec<u8> = (0..16 * 16).flat_map(|_| [30u8, 160, 90, 20]).collect();
    let bytes = jpeg(&ink, (16, 16), ColorType::CmykAsYcck, Some(3), None);
    let photo = load("ycck", "ycck.jpg", &bytes).unwrap();
    let p = prepare(&photo, (16.0, 16.0), &target(300.0)).unwrap();
    for (got, want) in pixel(&p, (8, 8)).iter().zip([30u8, 160, 90, 20]) {
        assert!(got.abs_diff(want) <= 4, "{got} against {want}");
    }
}

#[test]
fn a_profile_for_another_colour_space_is_ignored_with_a_warning() {
    let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
    let ink: Vec<u8> = (0..16 * 16).flat_map(|_| [30u8, 160, 90, 20]).collect();
    let bytes = jpeg(&ink, (16, 16), ColorType::Cmyk, None, Some(&srgb));
    let photo = load("misfit", "cmyk-rgb-profile.jpg", &bytes).unwrap();
    assert_eq!(photo.notes.len(), 1, "{:?}", photo.notes);
    assert!(
        photo.notes[0].contains("cmyk-rgb-profile.jpg: the photo is CMYK but its embedded ICC profile is for RGB colour"),
        "{:?}",
        photo.notes
    );
    let p = prepare(&photo, (16.0, 16.0), &target(300.0)).unwrap();
    assert_eq!(p.colour, Colour::Cmyk, "never ICCBased with an RGB profile");
    // An RGB JPEG with a CMYK profile: converted as sRGB, with a warning.
    let rgb = jpeg(
        &red_blue(),
        (40, 20),
        ColorType::Rgb,
        None,
        Some(colour::NEWSPRINT_CMYK),
    );
    let photo = load("misfit", "rgb-cmyk-profile.jpg", &rgb).unwrap();
    assert!(photo.notes[0].contains("the photo is RGB but its embedded ICC profile is for CMYK"));
    let p = prepare(&photo, (40.0, 20.0), &target(300.0)).unwrap();
    assert!(is_red(&pixel(&p, (5, 5))));
    // A fitting profile gives no warning.
    let photo = load(
        "misfit",
        "fine.jpg",
        &jpeg(&red_blue(), (40, 20), ColorType::Rgb, None, Some(&srgb)),
    )
    .unwrap();
    assert!(photo.notes.is_empty());
}

/// CRC-32 of a PNG chunk's type and data.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG chunk with its CRC.
fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut c = (body.len() as u32).to_be_bytes().to_vec();
    let mut typed = kind.to_vec();
    typed.extend(body);
    c.extend(&typed);
    c.extend(crc32(&typed).to_be_bytes());
    c
}

/// An 8-bit PNG of `w` × `h` pixels of `colour_type` from raw `samples`, with `extra` chunks
/// (PLTE, tRNS, iCCP, …) before the image data.
fn png(w: u32, h: u32, colour_type: u8, samples: &[u8], extra: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, colour_type, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    for c in extra {
        out.extend(c);
    }
    let row = samples.len() / h as usize;
    let mut raw = Vec::new();
    for r in samples.chunks(row) {
        raw.push(0);
        raw.extend(r);
    }
    out.extend(chunk(
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[test]
fn transparent_parts_of_pngs_are_paper_white() {
    // Grey + alpha: a transparent black pixel, then an opaque mid grey.
    let la = png(2, 1, 4, &[0, 0, 100, 255], &[]);
    // Grey + tRNS: grey 0 is transparent.
    let grey_trns = png(2, 1, 0, &[0, 100], &[chunk(b"tRNS", &[0, 0])]);
    for (name, bytes) in [("la.png", la), ("grey-trns.png", grey_trns)] {
        let photo = load("transparent", name, &bytes).unwrap();
        let p = prepare(&photo, (2.0, 1.0), &target(300.0)).unwrap();
        assert_eq!(p.colour, Colour::Gray, "{name}");
        assert_eq!(samples(&p), [255, 100], "{name}");
    }
    // RGB + tRNS (black transparent) and a palette with a transparent entry.
    let rgb_trns = png(
        2,
        1,
        2,
        &[0, 0, 0, 220, 0, 0],
        &[chunk(b"tRNS", &[0, 0, 0, 0, 0, 0])],
    );
    let palette = png(
        2,
        1,
        3,
        &[0, 1],
        &[chunk(b"PLTE", &[0, 0, 0, 220, 0, 0]), chunk(b"tRNS", &[0])],
    );
    for (name, bytes) in [("rgb-trns.png", rgb_trns), ("palette.png", palette)] {
        let photo = load("transparent", name, &bytes).unwrap();
        let p = prepare(&photo, (2.0, 1.0), &target(300.0)).unwrap();
        let (white, red) = (pixel(&p, (0, 0)), pixel(&p, (1, 0)));
        assert!(colour::coverage(&white) < 2.0, "{name}: {white:?}");
        assert!(is_red(&red), "{name}: {red:?}");
    }
}

#[test]
fn png_colour_chunks_are_honoured() {
    let green = [0u8, 200, 0].repeat(4);
    let prepared_as = |name: &str, rgb: &[u8], extra: &[Vec<u8>]| {
        let photo = load("png-colour", name, &png(2, 2, 2, rgb, extra)).unwrap();
        assert!(photo.notes.is_empty(), "{:?}", photo.notes);
        let p = prepare(&photo, (2.0, 2.0), &target(300.0)).unwrap();
        pixel(&p, (0, 0))
    };
    let prepared = |name: &str, extra: &[Vec<u8>]| prepared_as(name, &green, extra);
    let plain = prepared("plain.png", &[]);
    // sRGB: as plain.
    assert_eq!(prepared("srgb.png", &[chunk(b"sRGB", &[0])]), plain);
    // ProPhoto: the same numbers are a far more saturated green.
    let prophoto = moxcms::ColorProfile::new_pro_photo_rgb().encode().unwrap();
    let mut iccp = b"ProPhoto\0\0".to_vec();
    iccp.extend(miniz_oxide::deflate::compress_to_vec_zlib(&prophoto, 6));
    let wide = prepared("prophoto.png", &[chunk(b"iCCP", &iccp)]);
    let expected = transforms()
        .rgb_to_cmyk(&green, Some(&prophoto), colour::NEWSPRINT_CMYK)
        .unwrap();
    let expected = &expected[..4];
    assert_ne!(wide, plain);
    for (got, want) in wide.iter().zip(expected) {
        assert!(got.abs_diff(*want) <= 1, "{wide:?} against {expected:?}");
    }
    // gAMA 1.0 (linear samples): a mid grey is lighter than the same numbers as sRGB; the
    // usual 1/2.2 changes nothing.
    let grey = [100u8; 12];
    let mid = prepared_as("mid.png", &grey, &[]);
    let gamma = |g: u32| [chunk(b"gAMA", &g.to_be_bytes())];
    let linear = prepared_as("linear.png", &grey, &gamma(100_000));
    assert!(
        colour::coverage(&linear) < colour::coverage(&mid) - 30.0,
        "{linear:?} against {mid:?}"
    );
    assert_eq!(prepared_as("usual.png", &grey, &gamma(45455)), mid);
    // A grey profile on RGB samples: a warning, the samples taken as sRGB.
    let mut grey_profile = vec![0u8; 128];
    grey_profile[16..20].copy_from_slice(b"GRAY");
    let mut iccp = b"Grey\0\0".to_vec();
    iccp.extend(miniz_oxide::deflate::compress_to_vec_zlib(&grey_profile, 6));
    let bytes = png(2, 2, 2, &green, &[chunk(b"iCCP", &iccp)]);
    let photo = load("png-colour", "misfit.png", &bytes).unwrap();
    assert!(photo.notes[0].contains("the photo is RGB but its embedded ICC profile is for GRAY"));
    let p = prepare(&photo, (2.0, 2.0), &target(300.0)).unwrap();
    assert_eq!(pixel(&p, (0, 0)), plain);
}

#[test]
fn png_exif_orientation_is_applied() {
    let tiff = super::orient::tests::tiff(6, true);
    let rgb = red_blue();
    let bytes = png(40, 20, 2, &rgb, &[chunk(b"eXIf", &tiff)]);
    let photo = load("png-orientation", "turned.png", &bytes).unwrap();
    assert_eq!((photo.width, photo.height), (20, 40));
    let p = prepare(&photo, (20.0, 40.0), &target(300.0)).unwrap();
    assert!(is_red(&pixel(&p, (10, 5))) && is_blue(&pixel(&p, (10, 34))));
}

#[test]
fn animated_pngs_are_refused() {
    let bytes = png(
        2,
        1,
        0,
        &[0, 100],
        &[chunk(b"acTL", &[0, 0, 0, 4, 0, 0, 0, 0])],
    );
    let err = load("apng", "anim.png", &bytes).unwrap_err().to_string();
    assert!(
        err.contains("anim.png: animated PNG (APNG, 4 frames)") && err.contains("still"),
        "{err}"
    );
}

#[test]
fn a_max_ppi_of_zero_never_shrinks_a_photo_to_nothing() {
    let bytes = jpeg(&red_blue(), (40, 20), ColorType::Rgb, None, None);
    let photo = load("max-ppi", "p.jpg", &bytes).unwrap();
    for max in [0.0, -5.0, f32::NAN, f32::INFINITY] {
        assert_eq!(print_size(&photo, (20.0, 10.0), max), (40, 20), "{max}");
        let p = prepare(&photo, (20.0, 10.0), &target(max)).unwrap();
        assert_eq!((p.width, p.height), (40, 20), "{max}");
    }
    // A real limit still downsamples: 40 px over 20 pt is 144 ppi; 72 ppi halves it.
    assert_eq!(print_size(&photo, (20.0, 10.0), 72.0), (20, 10));
}

#[test]
fn a_checked_jpeg_is_not_decoded_again_from_the_cache() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = crate::test_dir("checked-mark");
    let file = dir.join("grey.jpg");
    std::fs::copy(root.join("tests/data/grey-newsprint.jpg"), &file).unwrap();
    let photo = load_photo(&file).unwrap();
    let cache = dir.join("cache");
    let a = cache::prepare_cached(&photo, (100.0, 80.0), &target(300.0), &cache).unwrap();
    // One entry: the mark, a header without data (beside the folder's pruning time).
    let entries: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != ".paiban-pruned")
        .collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].metadata().unwrap().len(), 36);
    let b = cache::prepare_cached(&photo, (100.0, 80.0), &target(300.0), &cache).unwrap();
    let (Pixels::Dct { bytes: x, .. }, Pixels::Dct { bytes: y, .. }) = (&a.pixels, &b.pixels)
    else {
        panic!("passed through expected")
    };
    assert!(Arc::ptr_eq(x, y) && Arc::ptr_eq(x, &photo.data().unwrap()));
}

#[test]
fn progressive_and_restart_jpegs_decode_whole_and_are_refused_cut() {
    let samples = noise(120 * 80 * 3);
    for (name, progressive, restart) in [
        ("baseline", false, None),
        ("progressive", true, None),
        ("restarts", false, Some(4)),
    ] {
        let mut whole = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut whole, 90);
        e.set_progressive(progressive);
        if let Some(r) = restart {
            e.set_restart_interval(r);
        }
        e.encode(&samples, 120, 80, ColorType::Rgb).unwrap();
        assert!(decode::validate_jpeg(&whole).is_ok(), "{name}");
        let photo = load("cut-jpegs", &format!("{name}.jpg"), &whole).unwrap();
        assert!(
            prepare(&photo, (120.0, 80.0), &target(300.0)).is_ok(),
            "{name}"
        );
        // Cut anywhere in the picture data, the end-of-image marker put back.
        let sos = whole.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        for percent in [1, 20, 50, 80, 95, 99] {
            let at = sos + 20 + (whole.len() - sos - 22) * percent / 100;
            let mut cut = whole[..at].to_vec();
            cut.extend([0xFF, 0xD9]);
            assert!(
                decode::validate_jpeg(&cut).is_err(),
                "{name} cut at {percent}% passed"
            );
        }
    }
}

/// The cold cost of checking the example photos (run with `--ignored --nocapture`).
#[test]
#[ignore = "a timing; run with --ignored --nocapture"]
fn time_the_check_of_the_example_photos() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/weidong/photos");
    for name in ["signing.jpg", "service-centre.jpg", "village.jpg"] {
        let data = std::fs::read(root.join(name)).unwrap();
        let info = jpeg::probe(&data).unwrap();
        decode::validate_jpeg(&data).unwrap();
        let runs = 20;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            decode::validate_jpeg(&data).unwrap();
        }
        let each = start.elapsed() / runs;

        eprintln!(
            "{name}: {}×{} {} components, sof {}: check {:.2} ms",
            info.width,
            info.height,
            info.components,
            info.sof,
            each.as_secs_f64() * 1e3
        );
    }
}

/// How the photos of tests/bad-input/photo-* were made: written to /tmp/badphotos (run with
/// `--ignored`). The lossless, arithmetic-coded and 12-bit ones are baseline JPEGs with the
/// frame header's type and precision changed: paiban refuses them by their header.
#[test]
#[ignore = "writes the photos of the bad-input corpus to /tmp/badphotos"]
fn write_bad_input_photos() {
    let out = Path::new("/tmp/badphotos");
    std::fs::create_dir_all(out).unwrap();
    let rgb = jpeg(&noise(64 * 48 * 3), (64, 48), ColorType::Rgb, None, None);
    let mut cut = rgb[..rgb.len() * 6 / 10].to_vec();
    cut.extend([0xFF, 0xD9]);
    std::fs::write(out.join("cut-rgb.jpg"), &cut).unwrap();
    let cmyk = jpeg(&noise(48 * 32 * 4), (48, 32), ColorType::Cmyk, None, None);
    let mut cut = cmyk[..cmyk.len() * 6 / 10].to_vec();
    cut.extend([0xFF, 0xD9]);
    std::fs::write(out.join("cut-cmyk.jpg"), &cut).unwrap();
    let grey = jpeg(&noise(64 * 48), (64, 48), ColorType::Luma, None, None);
    let sof = grey.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    for (name, marker, precision) in [
        ("lossless.jpg", 0xC3, 8),
        ("arithmetic.jpg", 0xC9, 8),
        ("twelve-bit.jpg", 0xC1, 12),
    ] {
        let mut b = grey.clone();
        b[sof + 1] = marker;
        b[sof + 4] = precision;
        std::fs::write(out.join(name), &b).unwrap();
    }
    let frame = |n: u32| {
        let mut f = n.to_be_bytes().to_vec();
        f.extend(2u32.to_be_bytes());
        f.extend(1u32.to_be_bytes());
        f.extend([0; 8]);
        f.extend([0, 1, 0, 10, 0, 0]);
        f
    };
    let apng = png(
        2,
        1,
        0,
        &[0, 100],
        &[
            chunk(b"acTL", &[0, 0, 0, 2, 0, 0, 0, 0]),
            chunk(b"fcTL", &frame(0)),
        ],
    );
    std::fs::write(out.join("animated.png"), &apng).unwrap();
}

#[test]
fn bytes_after_the_end_marker_are_left_out_with_a_warning() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let grey = std::fs::read(root.join("tests/data/grey-newsprint.jpg")).unwrap();
    let mut motion = grey.clone();
    motion.extend(std::iter::repeat_n([0xFF, 0xD9, 0x00, 0x66], 300).flatten());
    let photo = load("trailer", "motion.jpg", &motion).unwrap();
    assert!(
        photo.notes.iter().any(|n| n.contains("1200 bytes after")),
        "{:?}",
        photo.notes
    );
    let p = prepare(&photo, (200.0, 150.0), &target(300.0)).unwrap();
    let Pixels::Dct { bytes, .. } = &p.pixels else {
        panic!("a JPEG expected")
    };
    // Passed through as the picture alone, ending at its own marker.
    assert_eq!(bytes.as_slice(), grey.as_slice());
    // Cut inside the picture, it is still refused.
    let cut = load("trailer-cut", "cut.jpg", &grey[..grey.len() / 2]);
    assert!(cut.is_err());
}

/// A small grey JPEG with `segments` (APPn number, data) after its start marker.
pub(crate) fn jpeg_with_segments(segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 90);
    for (n, data) in segments {
        e.add_app_segment(*n, data.clone()).unwrap();
    }
    e.encode(&noise(16 * 8), 16, 8, ColorType::Luma).unwrap();
    out
}

/// An APP13 segment's data: the Photoshop signature and a resource block holding `iim`.
pub(crate) fn app13(iim: &[u8]) -> Vec<u8> {
    let mut d = meta::PHOTOSHOP.to_vec();
    d.extend(meta::tests::irb(iim));
    d
}

/// An APP1 segment's data: the XMP signature and a packet with `props`.
fn app1_xmp(props: &str) -> Vec<u8> {
    let mut d = meta::XMP_APP1.to_vec();
    d.extend(meta::tests::xmp(props));
    d
}

/// Issue 19: captions and credits read from a JPEG's IPTC (declared and undeclared UTF-8) and
/// XMP, with the EXIF orientation beside them still read.
#[test]
fn jpeg_captions_from_iptc_and_xmp() {
    use meta::tests::dataset;
    let mut declared = dataset(1, 90, b"\x1b%G");
    declared.extend(dataset(2, 120, "▲声明为UTF-8的说明".as_bytes()));
    declared.extend(dataset(2, 80, "张三".as_bytes()));
    let undeclared = dataset(2, 120, "▲未声明字符集的说明".as_bytes());
    let xmp = app1_xmp(
        "><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">▲XMP说明</rdf:li></rdf:Alt>\
         </dc:description><dc:creator><rdf:Seq><rdf:li>李四</rdf:li></rdf:Seq></dc:creator>",
    );
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(super::orient::tests::tiff(6, false));
    let cases = [
        (
            vec![(13, app13(&declared))],
            ("▲声明为UTF-8的说明", "IPTC"),
            ("张三 摄", "IPTC"),
        ),
        (
            vec![(13, app13(&undeclared))],
            ("▲未声明字符集的说明", "IPTC"),
            ("", "none"),
        ),
        (
            vec![(1, exif.clone()), (1, xmp.clone())],
            ("▲XMP说明", "XMP"),
            ("李四 摄", "XMP"),
        ),
        // IIM first; XMP fills in the credit IIM lacks.
        (
            vec![(1, xmp), (13, app13(&undeclared)), (1, exif)],
            ("▲未声明字符集的说明", "IPTC"),
            ("李四 摄", "XMP"),
        ),
    ];
    for (k, (segments, caption, credit)) in cases.into_iter().enumerate() {
        let photo = load("meta-jpeg", "agency.jpg", &jpeg_with_segments(&segments)).unwrap();
        let c = photo.meta.captions(None, None);
        assert_eq!((c.caption, c.caption_source), caption, "case {k}");
        assert_eq!((c.credit, c.credit_source), credit, "case {k}");
        assert!(photo.meta.problems.is_empty(), "{:?}", photo.meta.problems);
        if segments.iter().any(|(_, d)| d.starts_with(b"Exif")) {
            assert_eq!(photo.orientation(), 6, "case {k}");
        }
        // The full header (read again when the photo is prepared) says the same.
        let full = jpeg::probe(&photo.data().unwrap()).unwrap();
        assert_eq!(full.meta, photo.meta, "case {k}");
    }
}

/// A PNG's XMP in an `iTXt` chunk, plain or compressed; a damaged packet is a problem noted
/// on the photo, never a refusal.
#[test]
fn png_captions_from_xmp_and_malformed_xmp_is_only_a_warning() {
    let packet = meta::tests::xmp(
        " photoshop:Credit=\"新华社\"><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">\
         ▲PNG说明</rdf:li></rdf:Alt></dc:description>",
    );
    let itxt = |compressed: bool, text: &[u8]| {
        let mut body = meta::XMP_ITXT.to_vec();
        body.extend([0, u8::from(compressed), 0, 0, 0]);
        if compressed {
            body.extend(miniz_oxide::deflate::compress_to_vec_zlib(text, 6));
        } else {
            body.extend(text);
        }
        chunk(b"iTXt", &body)
    };
    for compressed in [false, true] {
        let bytes = png(4, 4, 0, &[90; 16], &[itxt(compressed, &packet)]);
        let photo = load("meta-png", "chart.png", &bytes).unwrap();
        let c = photo.meta.captions(None, None);
        assert_eq!(
            (c.caption, c.caption_source, c.credit, c.credit_source),
            ("▲PNG说明", "XMP", "新华社 摄", "XMP")
        );
    }
    // Malformed XMP (cut short), in a PNG and in a JPEG: loaded, nothing taken, a problem.
    let end = packet.windows(5).position(|w| w == b"</rdf").unwrap();
    let cut = &packet[..end];
    let bytes = png(4, 4, 0, &[90; 16], &[itxt(false, cut)]);
    let mut xmp = meta::XMP_APP1.to_vec();
    xmp.extend(cut);
    let jpeg = jpeg_with_segments(&[(1, xmp)]);
    for (name, bytes) in [("bad.png", bytes), ("bad.jpg", jpeg)] {
        let photo = load("meta-bad", name, &bytes).unwrap();
        assert_eq!((&photo.meta.caption, &photo.meta.credit), (&None, &None));
        assert!(
            photo.meta.problems.len() == 1
                && photo.meta.problems[0].contains("XMP packet is not well-formed XML"),
            "{:?}",
            photo.meta.problems
        );
        assert!(prepare(&photo, (50.0, 50.0), &target(300.0)).is_ok());
    }
}
