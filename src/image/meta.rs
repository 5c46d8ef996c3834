//! Captions and credits from a photo file's own metadata (issue 19): IPTC IIM (a JPEG's APP13
//! Photoshop resource 0x0404: Caption-Abstract 2:120, By-line 2:80, Credit 2:110) and XMP (a
//! JPEG's APP1 packet or a PNG's `iTXt`: `dc:description`, `dc:creator`,
//! `photoshop:Credit`), IIM first, XMP where IIM says nothing. The header readers
//! ([`super::jpeg`], [`super::png`]) find the blocks; this module reads them.
//!
//! Not read: EXIF ImageDescription and Artist, extended XMP (a packet continued over several
//! APP1 segments), XMP after a PNG's image data (as Adobe's and Apple's readers), ImageMagick's
//! hex "Raw profile" text chunks, and IIM text in a character set other than UTF-8 (GB 2312,
//! GBK, Latin-1…): that is skipped with a warning, as is XMP that is not well-formed.

/// Largest Photoshop resource block (APP13 segments joined) or XMP packet read (a resource
/// bound; a JPEG's own XMP packet is at most 65,502 bytes).
pub const MAX_BLOCK: usize = 1 << 20;

/// The APP13 signature of a Photoshop image resource block.
pub const PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";
/// The APP1 signature of a JPEG's XMP packet.
pub const XMP_APP1: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// The keyword of a PNG's XMP `iTXt` chunk.
pub const XMP_ITXT: &[u8] = b"XML:com.adobe.xmp";

/// A text read from the metadata, and where: `"IPTC"` or `"XMP"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaText {
    /// The text (`\n` between a caption's paragraphs).
    pub text: String,
    /// `"IPTC"` (IIM) or `"XMP"`.
    pub source: &'static str,
}

/// What a photo's own metadata offers under it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PhotoMeta {
    /// The caption (IIM Caption-Abstract, else XMP `dc:description`).
    pub caption: Option<MetaText>,
    /// The credit line, `NAME 摄` (By-line or `dc:creator`, several joined with 、; else the
    /// provider: IIM Credit or `photoshop:Credit`).
    pub credit: Option<MetaText>,
    /// What could not be read (not UTF-8, not well-formed XML), a warning each (without the
    /// file's name), given when the plan leaves the caption or credit to the metadata.
    pub problems: Vec<String>,
}

/// What a plan's photo sets under it, and where each part came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Captions<'a> {
    /// The caption (`""`: none).
    pub caption: &'a str,
    /// `"plan"`, `"IPTC"`, `"XMP"`, or `"none"` when there is no caption.
    pub caption_source: &'static str,
    /// The credit (`""`: none).
    pub credit: &'a str,
    /// As `caption_source`, for the credit.
    pub credit_source: &'static str,
}

impl PhotoMeta {
    /// The caption and credit under a photo: the plan's where it gives them (a key given as
    /// `""` means none), else the metadata's.
    pub fn captions<'a>(
        &'a self,
        caption: Option<&'a str>,
        credit: Option<&'a str>,
    ) -> Captions<'a> {
        let pick = |plan: Option<&'a str>, found: &'a Option<MetaText>| match (plan, found) {
            (Some(t), _) if t.trim().is_empty() => ("", "none"),
            (Some(t), _) => (t, "plan"),
            (None, Some(m)) => (m.text.as_str(), m.source),
            (None, None) => ("", "none"),
        };
        let (caption, caption_source) = pick(caption, &self.caption);
        let (credit, credit_source) = pick(credit, &self.credit);
        Captions {
            caption,
            caption_source,
            credit,
            credit_source,
        }
    }
}

/// The texts one kind of metadata holds.
#[derive(Debug, Default, PartialEq)]
struct Fields {
    caption: Option<String>,
    /// The photographers, joined with 、.
    names: Option<String>,
    /// The provider (an agency).
    provider: Option<String>,
}

/// Reads a Photoshop image resource block (`irb`, the APP13 segments' data after their
/// signature) and an XMP packet.
pub fn read(irb: Option<&[u8]>, xmp: Option<&[u8]>) -> PhotoMeta {
    let mut problems = Vec::new();
    let iim = irb
        .and_then(iptc_record)
        .map(|r| iim_fields(r, &mut problems))
        .unwrap_or_default();
    let xmp = match xmp.map(xmp_fields) {
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            problems.push(format!(
                "{e}; its caption and credit are not used\n  = hint: give `caption` and \
                 `credit` in the page plan, or save the photo's metadata again"
            ));
            Fields::default()
        }
        None => Fields::default(),
    };
    let from = |text: &Option<String>, source| {
        text.as_ref().map(|t| MetaText {
            text: t.clone(),
            source,
        })
    };
    let caption = from(&iim.caption, "IPTC").or_else(|| from(&xmp.caption, "XMP"));
    let credit = from(&iim.names, "IPTC")
        .or_else(|| from(&xmp.names, "XMP"))
        .or_else(|| from(&iim.provider, "IPTC"))
        .or_else(|| from(&xmp.provider, "XMP"))
        .map(|m| MetaText {
            text: credit_line(&m.text),
            ..m
        });
    PhotoMeta {
        caption,
        credit,
        problems,
    }
}

/// A credit line from a name: `NAME 摄`, unless it says 摄 already.
fn credit_line(name: &str) -> String {
    let name = name.trim();
    if name.ends_with('摄') {
        name.to_string()
    } else {
        format!("{name} 摄")
    }
}

/// A caption's text tidied: line breaks (CR LF, CR, U+2028/9) as `\n` between paragraphs,
/// other control characters as spaces, each paragraph trimmed, empty ones dropped; `None`
/// when nothing is left.
fn clean(text: &str) -> Option<String> {
    let text = text.replace("\r\n", "\n");
    let text: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let paras: Vec<&str> = text
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!paras.is_empty()).then(|| paras.join("\n"))
}

/// A name or credit tidied: one line ([`clean`], paragraphs joined by a space).
fn clean_line(text: &str) -> Option<String> {
    clean(text).map(|t| t.replace('\n', " "))
}

// --- IPTC IIM -------------------------------------------------------------------------------

/// The data of the IPTC-NAA resource (0x0404) of a Photoshop image resource block: each
/// resource is a signature (`8BIM`), its id, a Pascal-string name padded to an even length,
/// the data's length and the data, padded to an even length.
fn iptc_record(irb: &[u8]) -> Option<&[u8]> {
    let mut i = 0usize;
    while let Some(&[a, b, c, d, id_hi, id_lo, name]) = irb.get(i..i.checked_add(7)?) {
        if !matches!(
            &[a, b, c, d],
            b"8BIM" | b"MeSa" | b"PHUT" | b"AgHg" | b"DCSR"
        ) {
            return None;
        }
        let name = usize::from(name) + 1;
        let at = i + 6 + name + name % 2;
        let size = irb.get(at..at.checked_add(4)?)?;
        let size = usize::try_from(u32::from_be_bytes(size.try_into().ok()?)).ok()?;
        let start = at + 4;
        let end = start.checked_add(size)?;
        if u16::from_be_bytes([id_hi, id_lo]) == 0x0404 {
            // A record cut short by the block's end: what is there.
            return irb.get(start..end.min(irb.len()));
        }
        i = end.checked_add(size % 2)?;
    }
    None
}

/// The IIM datasets paiban reads, as bytes.
#[derive(Debug, Default)]
struct Iim<'a> {
    /// 1:90 CodedCharacterSet (ISO 2022 escape sequences; `ESC % G` is UTF-8).
    charset: Option<&'a [u8]>,
    /// 2:120 Caption-Abstract.
    caption: Option<&'a [u8]>,
    /// 2:80 By-line (repeatable).
    bylines: Vec<&'a [u8]>,
    /// 2:110 Credit.
    credit: Option<&'a [u8]>,
}

/// The datasets of an IIM record: each is the tag marker 0x1C, the record and dataset
/// numbers, and the length (two bytes, or with its top bit set the count of the bytes that
/// hold it) before the data. Reading stops at the first byte that is not a tag marker (the
/// record's zero padding) or at a dataset cut short.
fn iim_datasets(data: &[u8]) -> Iim<'_> {
    let mut iim = Iim::default();
    let mut i = 0usize;
    while let Some(&[0x1C, record, dataset, hi, lo]) = data.get(i..i + 5) {
        let mut len = usize::from(u16::from_be_bytes([hi, lo]));
        let mut at = i + 5;
        if len & 0x8000 != 0 {
            // Extended dataset: the next `n` bytes hold the length.
            let n = len & 0x7FFF;
            let Some(bytes) = data.get(at..at + n).filter(|_| n <= 4) else {
                break;
            };
            len = bytes.iter().fold(0, |l, &b| (l << 8) | usize::from(b));
            at += n;
        }
        let Some(value) = data.get(at..at.saturating_add(len)) else {
            break;
        };
        match (record, dataset) {
            (1, 90) => iim.charset = Some(value),
            (2, 120) => iim.caption = iim.caption.or(Some(value)),
            (2, 80) => iim.bylines.push(value),
            (2, 110) => iim.credit = iim.credit.or(Some(value)),
            _ => {}
        }
        i = at + len;
    }
    iim
}

/// `ESC % G`: the IIM character set declaration for UTF-8.
const UTF8: &[u8] = b"\x1b%G";
/// `ESC $ A`, `ESC $ ) A`: GB 2312 designated as G0 or G1.
const GB2312: &[u8] = b"\x1b$A";
const GB2312_G1: &[u8] = b"\x1b$)A";

/// The caption, names and provider of an IIM record; a text that cannot be decoded is left
/// out with a problem noted.
fn iim_fields(record: &[u8], problems: &mut Vec<String>) -> Fields {
    let iim = iim_datasets(record);
    let mut text = |field: &str, bytes: &[u8]| match iim_text(bytes, iim.charset) {
        Ok((t, note)) => {
            if let Some(note) = note {
                problems.push(format!("its IPTC {field} was {note}"));
            }
            Some(t)
        }
        Err(why) => {
            problems.push(format!(
                "its IPTC {field} {why}; it is not used\n  = hint: give it in the page plan, or \
                 save the photo's metadata again as UTF-8"
            ));
            None
        }
    };
    let caption = iim
        .caption
        .and_then(|c| text("caption (2:120)", c))
        .and_then(|t| clean(&t));
    let names: Vec<String> = iim
        .bylines
        .iter()
        .filter_map(|b| text("by-line (2:80)", b))
        .filter_map(|t| clean_line(&t))
        .collect();
    let provider = iim
        .credit
        .and_then(|c| text("credit (2:110)", c))
        .and_then(|t| clean_line(&t));
    Fields {
        caption,
        names: (!names.is_empty()).then(|| names.join("、")),
        provider,
    }
}

/// An IIM text in the character set its record declares: UTF-8 when declared (`ESC % G`) or,
/// with no declaration, when it is valid UTF-8; GB 2312 when declared (`ESC $ A`, `ESC $ ) A`)
/// or, with no declaration, bytes that read as GBK/GB18030 Chinese (how Chinese agencies'
/// tools write it), decoded as GB18030 (their superset) with a note; plain ASCII under any
/// declaration. Anything else is an error saying why.
fn iim_text(bytes: &[u8], charset: Option<&[u8]>) -> Result<(String, Option<String>), String> {
    let utf8 = std::str::from_utf8(bytes).map(|s| (s.to_string(), None));
    let gb = |why: &str| -> Result<(String, Option<String>), String> {
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(format!("is declared {why} but does not decode as such"));
        }
        Ok((text.into_owned(), Some(format!("decoded as {why}"))))
    };
    match charset {
        Some(UTF8) => utf8.map_err(|_| "is declared UTF-8 (1:90) but is not".to_string()),
        Some(_) if bytes.is_ascii() && !bytes.contains(&0x1B) => utf8.map_err(|e| e.to_string()),
        Some(GB2312 | GB2312_G1) => gb("GB 2312 (1:90)"),
        Some(other) => Err(format!(
            "is in the character set its record declares as `{}` (1:90), which paiban does not \
             decode (it reads UTF-8 and GB 2312/GBK)",
            escape_sequence(other)
        )),
        None => match utf8 {
            Ok(t) => Ok(t),
            Err(_) if crate::error::looks_like_gbk(bytes) => {
                gb("GBK/GB18030 (no character set declared in 1:90; the bytes read as Chinese)")
            }
            Err(_) => Err("is not UTF-8 and declares no character set (1:90)".to_string()),
        },
    }
}

/// An ISO 2022 escape sequence as text: `ESC $ A`.
fn escape_sequence(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(8)
        .map(|&b| match b {
            0x1B => "ESC".to_string(),
            0x21..=0x7E => char::from(b).to_string(),
            b => format!("{b:02X}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// --- XMP ------------------------------------------------------------------------------------

/// RDF's namespace.
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// Dublin Core's namespace (`dc:`).
const DC: &str = "http://purl.org/dc/elements/1.1/";
/// Photoshop's XMP namespace (`photoshop:`).
const PS: &str = "http://ns.adobe.com/photoshop/1.0/";
/// The namespace of `xml:lang`.
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// The caption, names and provider of an XMP packet: the properties of the `rdf:Description`s
/// directly in `rdf:RDF`. An error says why the packet cannot be read.
fn xmp_fields(packet: &[u8]) -> Result<Fields, String> {
    let text = std::str::from_utf8(packet)
        .map_err(|_| "its XMP packet is not UTF-8".to_string())?
        .trim_start_matches('\u{feff}')
        .trim_end_matches(|c: char| c == '\0' || c.is_whitespace());
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 100_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("its XMP packet is not well-formed XML ({e})"))?;
    let mut f = Fields::default();
    let descriptions = doc.descendants().filter(|n| {
        n.has_tag_name((RDF, "Description"))
            && n.parent().is_some_and(|p| p.has_tag_name((RDF, "RDF")))
    });
    for d in descriptions {
        for prop in d.children().filter(|n| n.is_element()) {
            let name = prop.tag_name();
            let slot = match (name.namespace(), name.name()) {
                (Some(DC), "description") => &mut f.caption,
                (Some(DC), "creator") => &mut f.names,
                (Some(PS), "Credit") => &mut f.provider,
                _ => continue,
            };
            if slot.is_none() {
                *slot = property(prop);
            }
        }
        // Simple properties may be written as attributes of the description.
        if f.provider.is_none() {
            f.provider = d.attribute((PS, "Credit")).and_then(clean_line);
        }
    }
    Ok(f)
}

/// A property's text: of a language alternative (`rdf:Alt`), the `x-default` item (or the
/// first); of a list (`rdf:Seq`, `rdf:Bag`), the items joined with 、; else its own text.
fn property(prop: roxmltree::Node) -> Option<String> {
    let container = prop.children().find(|n| {
        n.has_tag_name((RDF, "Alt")) || n.has_tag_name((RDF, "Seq")) || n.has_tag_name((RDF, "Bag"))
    });
    let Some(container) = container else {
        return clean(&text_of(prop));
    };
    let items: Vec<roxmltree::Node> = container
        .children()
        .filter(|n| n.has_tag_name((RDF, "li")))
        .collect();
    if container.has_tag_name((RDF, "Alt")) {
        let item = items
            .iter()
            .find(|li| li.attribute((XML, "lang")) == Some("x-default"))
            .or(items.first())?;
        return clean(&text_of(*item));
    }
    let names: Vec<String> = items
        .iter()
        .filter_map(|li| clean_line(&text_of(*li)))
        .collect();
    (!names.is_empty()).then(|| names.join("、"))
}

/// All the text inside an element.
fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An IIM dataset.
    pub(crate) fn dataset(record: u8, number: u8, value: &[u8]) -> Vec<u8> {
        let mut d = vec![0x1C, record, number];
        d.extend((value.len() as u16).to_be_bytes());
        d.extend(value);
        d
    }

    /// A Photoshop image resource block (without the APP13 signature) holding `iim` as its
    /// IPTC resource, after another resource with a name.
    pub(crate) fn irb(iim: &[u8]) -> Vec<u8> {
        let mut b = b"8BIM\x04\x0C\x03abc\0\0\0\x03xyz\0".to_vec();
        b.extend(b"8BIM\x04\x04\0\0");
        b.extend((iim.len() as u32).to_be_bytes());
        b.extend(iim);
        if iim.len() % 2 == 1 {
            b.push(0);
        }
        b
    }

    /// An XMP packet with `props` inside its description.
    pub(crate) fn xmp(props: &str) -> Vec<u8> {
        format!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
             <x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"{RDF}\">\
             <rdf:Description rdf:about=\"\" xmlns:dc=\"{DC}\" xmlns:photoshop=\"{PS}\"{props}\
             </rdf:Description></rdf:RDF></x:xmpmeta>\n{:2000}\n<?xpacket end=\"w\"?>",
            ""
        )
        .into_bytes()
    }

    #[test]
    fn iim_caption_and_bylines_in_declared_and_undeclared_utf8() {
        for declared in [true, false] {
            let mut iim = Vec::new();
            if declared {
                iim.extend(dataset(1, 90, UTF8));
            }
            iim.extend(dataset(2, 0, &[0, 4]));
            iim.extend(dataset(2, 80, "新华社记者 张三".as_bytes()));
            iim.extend(dataset(2, 80, "李四".as_bytes()));
            iim.extend(dataset(2, 120, "▲游客在景区游览。\r\n第二段 ".as_bytes()));
            iim.extend([0, 0, 0]);
            let m = read(Some(&irb(&iim)), None);
            assert_eq!(
                m.caption,
                Some(MetaText {
                    text: "▲游客在景区游览。\n第二段".into(),
                    source: "IPTC"
                })
            );
            assert_eq!(
                m.credit.map(|c| (c.text, c.source)),
                Some(("新华社记者 张三、李四 摄".into(), "IPTC"))
            );
            assert!(m.problems.is_empty(), "{:?}", m.problems);
        }
    }

    #[test]
    fn iim_text_in_gbk_or_gb2312_is_decoded_and_others_skipped() {
        // "说明文字" in GBK, undeclared (as Chinese agencies' tools write it): decoded, noted.
        let gbk = [0xCB, 0xB5, 0xC3, 0xF7, 0xCE, 0xC4, 0xD7, 0xD6];
        let m = read(Some(&irb(&dataset(2, 120, &gbk))), None);
        assert_eq!(m.caption.map(|c| c.text), Some("说明文字".into()));
        assert!(
            m.problems.len() == 1 && m.problems[0].contains("decoded as GBK/GB18030"),
            "{:?}",
            m.problems
        );
        // A by-line in declared ISO 2022 GB 2312 (ESC $ A): decoded.
        let mut iim = dataset(1, 90, b"\x1b$A");
        iim.extend(dataset(2, 80, &gbk));
        let m = read(Some(&irb(&iim)), None);
        assert_eq!(m.credit.map(|c| c.text), Some("说明文字 摄".into()));
        // Another declared set (ISO 8859-5, ESC - L) is skipped, named.
        let mut iim = dataset(1, 90, b"\x1b-L");
        iim.extend(dataset(2, 80, &[0xB1, 0xB2]));
        iim.extend(dataset(2, 110, b"Xinhua"));
        let m = read(Some(&irb(&iim)), None);
        assert_eq!(m.credit.map(|c| c.text), Some("Xinhua 摄".into()));
        assert!(m.problems[0].contains("`ESC - L`"), "{:?}", m.problems);
        // Declared UTF-8 but not.
        let mut iim = dataset(1, 90, UTF8);
        iim.extend(dataset(2, 120, &gbk));
        let m = read(Some(&irb(&iim)), None);
        assert!(m.problems[0].contains("declared UTF-8"), "{:?}", m.problems);
        // Bytes that are neither UTF-8 nor Chinese in GBK.
        let m = read(Some(&irb(&dataset(2, 120, &[0xFF, 0xFE, 0x01]))), None);
        assert_eq!(m.caption, None);
        assert!(
            m.problems[0].contains("declares no character set"),
            "{:?}",
            m.problems
        );
    }

    #[test]
    fn xmp_description_creators_and_credit() {
        let packet = xmp(
            "><dc:description><rdf:Alt><rdf:li xml:lang=\"en\">English</rdf:li>\
             <rdf:li xml:lang=\"x-default\">▲夜色中的&amp;城市</rdf:li></rdf:Alt></dc:description>\
             <dc:creator><rdf:Seq><rdf:li>王五</rdf:li><rdf:li> </rdf:li><rdf:li>赵六</rdf:li>\
             </rdf:Seq></dc:creator>",
        );
        let m = read(None, Some(&packet));
        assert_eq!(
            (m.caption.unwrap().text, m.credit.unwrap().text),
            ("▲夜色中的&城市".to_string(), "王五、赵六 摄".to_string())
        );
        // The first item without an x-default; the provider as an attribute; 摄 not doubled.
        let packet = xmp(
            " photoshop:Credit=\"本报记者 孙七 摄\"><dc:description><rdf:Alt>\
             <rdf:li xml:lang=\"zh-CN\">说明</rdf:li></rdf:Alt></dc:description>",
        );
        let m = read(None, Some(&packet));
        assert_eq!(m.caption.unwrap().text, "说明");
        assert_eq!(
            m.credit,
            Some(MetaText {
                text: "本报记者 孙七 摄".into(),
                source: "XMP"
            })
        );
    }

    #[test]
    fn iim_comes_first_xmp_fills_in() {
        let iim = dataset(2, 120, "IIM 说明".as_bytes());
        let packet = xmp(
            "><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">XMP 说明</rdf:li>\
             </rdf:Alt></dc:description><dc:creator><rdf:Seq><rdf:li>王五</rdf:li></rdf:Seq>\
             </dc:creator>",
        );
        let m = read(Some(&irb(&iim)), Some(&packet));
        let c = m.captions(None, None);
        assert_eq!(
            c,
            Captions {
                caption: "IIM 说明",
                caption_source: "IPTC",
                credit: "王五 摄",
                credit_source: "XMP"
            }
        );
        // The plan's text wins; a key given as "" means none.
        let c = m.captions(Some("计划说明"), Some(""));
        assert_eq!(
            (c.caption, c.caption_source, c.credit, c.credit_source),
            ("计划说明", "plan", "", "none")
        );
        let empty = PhotoMeta::default();
        let none = empty.captions(None, None);
        assert_eq!((none.caption, none.caption_source), ("", "none"));
    }

    #[test]
    fn malformed_xmp_is_a_problem_not_a_failure() {
        for bad in [
            b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF".to_vec(),
            b"\xff\xfe<\0x\0".to_vec(),
            b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>".to_vec(),
        ] {
            let m = read(None, Some(&bad));
            assert_eq!((m.caption, m.credit), (None, None));
            assert_eq!(m.problems.len(), 1, "{:?}", m.problems);
            assert!(m.problems[0].contains("XMP packet"), "{:?}", m.problems);
        }
    }

    #[test]
    fn broken_resource_blocks_and_datasets_read_as_far_as_they_go() {
        let iim = dataset(2, 120, "说明".as_bytes());
        let whole = irb(&iim);
        for cut in 0..whole.len() {
            let _ = read(Some(&whole[..cut]), None);
        }
        // An extended-length dataset.
        let mut ext = vec![0x1C, 2, 120, 0x80, 0x02, 0x00, 0x06];
        ext.extend("说明".as_bytes());
        let m = read(Some(&irb(&ext)), None);
        assert_eq!(m.caption.map(|c| c.text), Some("说明".into()));
        assert_eq!(read(Some(b"not a block"), None), PhotoMeta::default());
    }

    #[test]
    fn a_real_photoshop_packet_without_captions_reads_as_none() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = std::fs::read(root.join("input/jump/photos/night-sky.jpg")).unwrap();
        let info = super::super::jpeg::probe(&data).unwrap();
        assert_eq!(info.meta, PhotoMeta::default());
    }
}
