//! Photos accepted but fixed on the way into the PDF (issue 21): a phone photo turned upright,
//! transparent parts of PNGs on paper white, a PNG's colour profile honoured, a profile that
//! does not fit its photo ignored with a warning. Each builds a one-photo page with the
//! paiban binary and reads the image back out of the PDF.

mod common;
use common::*;
use std::path::PathBuf;

/// A page like the bad-input cases' with `photo` (bytes) as `name`; returns the PDF and
/// what the build printed on stderr.
fn build_page(test: &str, name: &str, photo: &[u8]) -> (Vec<u8>, String) {
    let dir = temp_dir(test);
    let case = root().join("tests/bad-input/truncated-jpeg");
    let plan = std::fs::read_to_string(case.join("p.toml"))
        .unwrap()
        .replace("cut.jpg", name);
    std::fs::write(dir.join("p.toml"), plan).unwrap();
    std::fs::copy(case.join("s.md"), dir.join("s.md")).unwrap();
    std::fs::write(dir.join(name), photo).unwrap();
    let out = dir.join("out");
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    (std::fs::read(out.join("p.pdf")).unwrap(), err)
}

/// An image XObject of a PDF: its dictionary and stream data.
struct Image<'a> {
    dict: String,
    data: &'a [u8],
}

impl Image<'_> {
    /// A number entry of the dictionary.
    fn number(&self, key: &str) -> u32 {
        let at = self.dict.find(&format!("/{key} ")).unwrap() + key.len() + 2;
        self.dict[at..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// The samples, decoded (CMYK as ink: the Adobe inversion undone), and the channels.
    fn samples(&self) -> (Vec<u8>, usize) {
        let channels = if self.dict.contains("/DeviceGray") {
            1
        } else {
            4
        };
        if self.dict.contains("/DCTDecode") {
            use zune_jpeg::zune_core::{bytestream::ZCursor, colorspace::ColorSpace};
            let out = if channels == 1 {
                ColorSpace::Luma
            } else {
                ColorSpace::CMYK
            };
            let opts = zune_jpeg::zune_core::options::DecoderOptions::default()
                .jpeg_set_out_colorspace(out);
            let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(self.data), opts);
            let mut s = d.decode().unwrap();
            if self.dict.contains("/Decode [1 0") {
                s.iter_mut().for_each(|v| *v = 255 - *v);
            }
            (s, channels)
        } else {
            assert!(self.dict.contains("/FlateDecode"), "{}", self.dict);
            (
                miniz_oxide::inflate::decompress_to_vec_zlib(self.data).unwrap(),
                channels,
            )
        }
    }

    /// The pixel at (x, y).
    fn pixel(&self, (x, y): (u32, u32)) -> Vec<u8> {
        let (s, ch) = self.samples();
        let at = (y * self.number("Width") + x) as usize * ch;
        s[at..at + ch].to_vec()
    }
}

/// The image XObjects of a PDF written by paiban (`/Length` given directly).
fn images(pdf: &[u8]) -> Vec<Image<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = find(&pdf[from..], b"/Subtype /Image") {
        let at = from + k;
        let start = pdf[..at].windows(2).rposition(|w| w == b"<<").unwrap();
        let end = at + find(&pdf[at..], b">>\nstream\n").unwrap();
        let dict = String::from_utf8_lossy(&pdf[start..end]).into_owned();
        let len_at = dict.find("/Length ").unwrap() + 8;
        let len: usize = dict[len_at..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let data_at = end + b">>\nstream\n".len();
        out.push(Image {
            dict,
            data: &pdf[data_at..data_at + len],
        });
        from = data_at + len;
    }
    out
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A JPEG of RGB `samples`, with an EXIF orientation and an ICC profile when given.
fn jpeg(
    samples: &[u8],
    (w, h): (u16, u16),
    kind: jpeg_encoder::ColorType,
    exif: Option<u16>,
    icc: Option<&[u8]>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 95);
    e.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    if let Some(o) = exif {
        // A big-endian TIFF block with the orientation tag alone.
        let mut t = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        t.extend(o.to_be_bytes());
        t.extend([0, 0, 0, 0, 0, 0]);
        e.add_exif_metadata(&t).unwrap();
    }
    if let Some(p) = icc {
        e.add_icc_profile(p).unwrap();
    }
    e.encode(samples, w, h, kind).unwrap();
    out
}

/// A PNG chunk with its CRC.
fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut typed = kind.to_vec();
    typed.extend(body);
    let mut crc = !0u32;
    for &b in &typed {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    let mut c = (body.len() as u32).to_be_bytes().to_vec();
    c.extend(typed);
    c.extend((!crc).to_be_bytes());
    c
}

/// An 8-bit PNG of `colour_type` from raw samples, with `extra` chunks before the data.
fn png(w: u32, h: u32, colour_type: u8, samples: &[u8], extra: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, colour_type, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    for c in extra {
        out.extend(c);
    }
    let mut raw = Vec::new();
    for row in samples.chunks(samples.len() / h as usize) {
        raw.push(0);
        raw.extend(row);
    }
    out.extend(chunk(
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// 80 × 40 RGB: left half red, right half blue.
fn red_blue() -> Vec<u8> {
    (0..80 * 40)
        .flat_map(|i| {
            if i % 80 < 40 {
                [220, 0, 0]
            } else {
                [0, 0, 220]
            }
        })
        .collect()
}

/// Red and blue on newsprint CMYK.
fn is_red(px: &[u8]) -> bool {
    px[1] > 150 && px[2] > 150 && px[0] < 60
}
fn is_blue(px: &[u8]) -> bool {
    px[0] > 150 && px[1] > 100 && px[2] < 60
}

#[test]
fn a_phone_photo_on_its_side_is_placed_upright() {
    // Stored 80 × 40 lying down; EXIF 6: turn a quarter clockwise (red ends on top).
    let bytes = jpeg(
        &red_blue(),
        (80, 40),
        jpeg_encoder::ColorType::Rgb,
        Some(6),
        None,
    );
    let (pdf, _) = build_page("photo-exif", "phone.jpg", &bytes);
    let imgs = images(&pdf);
    assert_eq!(imgs.len(), 1);
    let img = &imgs[0];
    assert_eq!((img.number("Width"), img.number("Height")), (40, 80));
    assert!(is_red(&img.pixel((20, 10))), "{:?}", img.pixel((20, 10)));
    assert!(is_blue(&img.pixel((20, 70))), "{:?}", img.pixel((20, 70)));
}

#[test]
fn transparent_grey_png_parts_are_paper_white() {
    // Grey with tRNS: grey 0 is transparent (was printed black).
    let samples: Vec<u8> = (0..16 * 16)
        .map(|i| if i % 16 < 8 { 0 } else { 60 })
        .collect();
    let bytes = png(16, 16, 0, &samples, &[chunk(b"tRNS", &[0, 0])]);
    let (pdf, _) = build_page("photo-trns", "logo.png", &bytes);
    let img = &images(&pdf)[0];
    assert!(img.dict.contains("/DeviceGray"), "{}", img.dict);
    assert_eq!(img.pixel((2, 2)), [255]);
    assert_eq!(img.pixel((12, 2)), [60]);
}

#[test]
fn a_png_colour_profile_is_the_source_of_the_conversion() {
    let green = [0u8, 200, 0].repeat(16 * 16);
    let prophoto = moxcms::ColorProfile::new_pro_photo_rgb().encode().unwrap();
    let mut iccp = b"ProPhoto\0\0".to_vec();
    iccp.extend(miniz_oxide::deflate::compress_to_vec_zlib(&prophoto, 6));
    let (pdf, _) = build_page(
        "photo-iccp",
        "wide.png",
        &png(16, 16, 2, &green, &[chunk(b"iCCP", &iccp)]),
    );
    let wide = images(&pdf)[0].pixel((8, 8));
    let newsprint = paiban::image::colour::NEWSPRINT_CMYK;
    let transforms = paiban::image::colour::Transforms::default();
    let expected = transforms
        .rgb_to_cmyk(&green[..12], Some(&prophoto), newsprint)
        .unwrap();
    let srgb = transforms
        .rgb_to_cmyk(&green[..12], None, newsprint)
        .unwrap();
    assert_ne!(expected[..4], srgb[..4]);
    for (got, want) in wide.iter().zip(&expected[..4]) {
        assert!(
            got.abs_diff(*want) <= 1,
            "{wide:?} against {:?}",
            &expected[..4]
        );
    }
}

#[test]
fn an_rgb_profile_in_a_cmyk_jpeg_is_ignored_with_a_warning() {
    let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
    let ink: Vec<u8> = (0..32 * 32).flat_map(|_| [30u8, 160, 90, 20]).collect();
    let bytes = jpeg(
        &ink,
        (32, 32),
        jpeg_encoder::ColorType::Cmyk,
        None,
        Some(&srgb),
    );
    let (pdf, err) = build_page("photo-misfit", "cmyk.jpg", &bytes);
    assert!(
        err.contains("warning: ")
            && err.contains(
                "cmyk.jpg: the photo is CMYK but its embedded ICC profile is for RGB colour"
            ),
        "{err}"
    );
    let img = &images(&pdf)[0];
    assert!(img.dict.contains("/DeviceCMYK"), "{}", img.dict);
    assert!(!String::from_utf8_lossy(&pdf).contains("/ICCBased"));
    for (got, want) in img.pixel((16, 16)).iter().zip([30u8, 160, 90, 20]) {
        assert!(got.abs_diff(want) <= 3, "{got} against {want}");
    }
}

/// An IIM dataset: tag marker, record and dataset numbers, length, data.
fn dataset(record: u8, number: u8, value: &[u8]) -> Vec<u8> {
    let mut d = vec![0x1C, record, number];
    d.extend((value.len() as u16).to_be_bytes());
    d.extend(value);
    d
}

/// Issue 19: a photo placed without `caption` and `credit` in its plan gets them from the
/// IPTC metadata in its file (the credit as `NAME 摄`); `check` says where each caption came
/// from; the same photo with `caption = ""` in the plan has none, and the plan's credit.
#[test]
fn a_caption_from_the_photos_iptc_metadata_reaches_the_page() {
    let dir = temp_dir("photo-iptc");
    let case = root().join("tests/bad-input/truncated-jpeg");
    std::fs::copy(case.join("s.md"), dir.join("s.md")).unwrap();
    // IIM in UTF-8 (1:90 ESC % G): caption and by-line, in the Photoshop resource block of
    // an APP13 segment.
    let mut iim = dataset(1, 90, b"\x1b%G");
    iim.extend(dataset(2, 120, "▲游客在新开放的湿地公园游览。".as_bytes()));
    iim.extend(dataset(2, 80, "通讯员张三".as_bytes()));
    let mut app13 = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    app13.extend((iim.len() as u32).to_be_bytes());
    app13.extend(&iim);
    let mut photo = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut photo, 95);
    e.add_app_segment(13, app13).unwrap();
    e.encode(&red_blue(), 80, 40, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    std::fs::write(dir.join("agency.jpg"), &photo).unwrap();
    let plan = dir.join("p.toml");
    std::fs::write(
        &plan,
        "layout = \"broadsheet\"\nnumber = 1\nsection = \"测试\"\ndate = \"2024-01-01\"\n\n\
         [[story]]\nfile = \"s.md\"\ncolumns = \"1-2\"\nlines = \"1-20\"\n\n\
         [[photo]]\nfile = \"agency.jpg\"\ncolumns = \"3-4\"\nlines = \"1-10\"\n\n\
         [[photo]]\nfile = \"agency.jpg\"\ncolumns = \"5-6\"\nlines = \"1-10\"\n\
         caption = \"\"\ncredit = \"本报记者 李四 摄\"\n",
    )
    .unwrap();
    let t = paiban::pipeline::typeset(&plan).unwrap();
    let captions: Vec<String> = t.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            paiban::page::Item::Text(l) if l.role == paiban::flow::LineRole::Caption => {
                Some(l.text.to_string())
            }
            _ => None,
        })
        .collect();
    let count = |s: &str| captions.iter().filter(|c| c.contains(s)).count();
    assert_eq!(count("游客在新开放的湿地公园游览"), 1, "{captions:?}");
    assert_eq!(count("通讯员张三　摄"), 1, "{captions:?}");
    assert_eq!(count("本报记者　李四　摄"), 1, "{captions:?}");
    assert_eq!(captions.len(), 3, "{captions:?}");
    let (code, json, err) = paiban(&["check", plan.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let photos = &v["pages"][0]["photos"];
    assert_eq!(
        (&photos[0]["caption_source"], &photos[1]["caption_source"]),
        (&serde_json::json!("IPTC"), &serde_json::json!("none")),
        "{v}"
    );
    let (_, table, _) = paiban(&["check", plan.to_str().unwrap()]);
    assert!(
        table.contains("caption IPTC") && table.contains("caption none"),
        "{table}"
    );
    let (code, _, err) = paiban(&[
        "build",
        plan.to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

/// A photo whose XMP is not well-formed is placed; the warning names it when its plan leaves
/// the caption to the metadata.
#[test]
fn malformed_xmp_is_a_warning_not_a_failure() {
    let mut app1 =
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF".to_vec();
    app1.extend(b" xmlns:rdf=");
    let mut photo = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut photo, 95);
    e.add_app_segment(1, app1).unwrap();
    e.encode(&red_blue(), 80, 40, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    let dir = temp_dir("photo-bad-xmp");
    let case = root().join("tests/bad-input/truncated-jpeg");
    std::fs::copy(case.join("s.md"), dir.join("s.md")).unwrap();
    std::fs::write(dir.join("x.jpg"), &photo).unwrap();
    let plan = std::fs::read_to_string(case.join("p.toml"))
        .unwrap()
        .replace("cut.jpg", "x.jpg")
        .replace("caption = \"说明\"\n", "");
    std::fs::write(dir.join("p.toml"), plan).unwrap();
    let (code, _, err) = paiban(&[
        "build",
        dir.join("p.toml").to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: ") && err.contains("x.jpg: its XMP packet is not well-formed XML"),
        "{err}"
    );
}

/// The same pages checked by other readers: poppler lists the images upright and qpdf finds
/// nothing wrong (needs poppler-utils and qpdf).
#[test]
#[ignore = "needs poppler-utils (pdfimages) and qpdf; run with --include-ignored"]
fn other_readers_agree() {
    let bytes = jpeg(
        &red_blue(),
        (80, 40),
        jpeg_encoder::ColorType::Rgb,
        Some(8),
        None,
    );
    let (pdf, _) = build_page("photo-readers", "phone.jpg", &bytes);
    let file: PathBuf = temp_dir("photo-readers-pdf").join("p.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let list = tool("pdfimages", &["-list", file.to_str().unwrap()]);
    let row = list.lines().nth(2).unwrap_or_default().to_string();
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!((cols[3], cols[4]), ("40", "80"), "{list}");
    let check = tool("qpdf", &["--check", file.to_str().unwrap()]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
}
