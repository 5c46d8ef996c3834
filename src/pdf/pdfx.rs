//! PDF/X: the output intent (GTS_PDFX with the destination profile), the version keys in the
//! document information and XMP metadata, trapping, dates and the document ID.

use pdf_writer::types::{OutputIntentSubtype, TrappingStatus};
use pdf_writer::{Date, Finish, Name, Pdf, Ref, TextStr};

pub use crate::model::output::PdfX;

/// The output condition the PDF is made for.
#[derive(Debug, Clone, Copy)]
pub struct OutputCondition<'a> {
    /// The destination ICC profile (CMYK).
    pub profile: &'a [u8],
    /// The same, zlib-compressed, when the caller has it (saves compressing it per PDF).
    pub profile_zlib: Option<&'a [u8]>,
    /// OutputConditionIdentifier, e.g. `IFRA26`.
    pub identifier: &'a str,
    /// Human-readable condition.
    pub condition: &'a str,
    /// Registry of the identifier.
    pub registry: &'a str,
}

/// The default newsprint condition: ISO 12647-3 coldset, ISOnewspaper26v4.
pub fn newsprint() -> OutputCondition<'static> {
    OutputCondition {
        profile: crate::image::colour::NEWSPRINT_CMYK,
        profile_zlib: Some(crate::image::colour::NEWSPRINT_CMYK_ZLIB),
        identifier: "IFRA26",
        condition: "ISO 12647-3:2004/Amd1 coldset offset on newsprint (ISOnewspaper26v4)",
        registry: "http://www.color.org",
    }
}

/// A date and time in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Year.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
    /// Hour, minute, second.
    pub hms: (u8, u8, u8),
}

impl Stamp {
    /// From seconds since 1970 (e.g. `SOURCE_DATE_EPOCH`).
    pub fn from_epoch(secs: u64) -> Stamp {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Stamp {
            year,
            month,
            day,
            hms: ((rem / 3600) as u8, (rem / 60 % 60) as u8, (rem % 60) as u8),
        }
    }

    /// From an edition date such as `2022-07-26` or `2022年7月26日` (midnight UTC).
    pub fn from_date_text(s: &str) -> Option<Stamp> {
        let nums: Vec<u32> = s
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect();
        let (&y, &m, &d) = (nums.first()?, nums.get(1)?, nums.get(2)?);
        ((1900..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some(
            Stamp {
                year: y as u16,
                month: m as u8,
                day: d as u8,
                hms: (0, 0, 0),
            },
        )
    }

    fn pdf(self) -> Date {
        Date::new(self.year)
            .month(self.month)
            .day(self.day)
            .hour(self.hms.0)
            .minute(self.hms.1)
            .second(self.hms.2)
            .utc_offset_hour(0)
            .utc_offset_minute(0)
    }

    fn xmp(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hms.0, self.hms.1, self.hms.2
        )
    }
}

/// Document-level PDF/X objects: Info, XMP metadata and the output intent on the catalog.
pub struct DocMeta<'a> {
    /// Title (the edition's name).
    pub title: &'a str,
    /// Conformance level.
    pub level: PdfX,
    /// Creation and modification date.
    pub stamp: Stamp,
    /// Output condition.
    pub output: OutputCondition<'a>,
    /// Document ID (hex of 16 bytes).
    pub id: [u8; 16],
}

/// Writes Info and XMP; returns (info ref, metadata ref, profile ref) for the catalog.
pub fn write_meta(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    meta: &DocMeta,
    level: u8,
) -> (Ref, Ref, Ref) {
    let (info, xmp, icc) = (alloc(), alloc(), alloc());
    let date = meta.stamp.pdf();
    let mut i = pdf.document_info(info);
    i.title(TextStr(meta.title))
        .creator(TextStr("paiban"))
        .producer(TextStr(concat!("paiban ", env!("CARGO_PKG_VERSION"))))
        .creation_date(date)
        .modified_date(date)
        .trapped(TrappingStatus::NotTrapped);
    i.pair(Name(b"GTS_PDFXVersion"), TextStr(meta.level.version()));
    if meta.level == PdfX::X1a {
        i.pair(Name(b"GTS_PDFXConformance"), TextStr(meta.level.version()));
    }
    i.finish();
    let packet = xmp_packet(meta);
    pdf.metadata(xmp, packet.as_bytes());
    let owned;
    let compressed = match meta.output.profile_zlib {
        Some(z) => z,
        None => {
            owned = miniz_oxide::deflate::compress_to_vec_zlib(meta.output.profile, level);
            &owned
        }
    };
    pdf.icc_profile(icc, compressed)
        .n(4)
        .filter(pdf_writer::Filter::FlateDecode);
    (info, xmp, icc)
}

/// Adds the GTS_PDFX output intent to the catalog's dictionary writer.
pub fn output_intent(catalog: &mut pdf_writer::writers::Catalog, meta: &DocMeta, icc: Ref) {
    let mut oi = catalog.output_intents();
    let mut intent = oi.push();
    intent
        .subtype(OutputIntentSubtype::PDFX)
        .output_condition(TextStr(meta.output.condition))
        .output_condition_identifier(TextStr(meta.output.identifier))
        .registry_name(TextStr(meta.output.registry))
        .info(TextStr(meta.output.condition))
        .dest_output_profile(icc);
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The XMP packet with the PDF/X identification schema.
fn xmp_packet(meta: &DocMeta) -> String {
    let date = meta.stamp.xmp();
    let id: String = meta.id.iter().map(|b| format!("{b:02x}")).collect();
    let uuid = format!(
        "{}-{}-{}-{}-{}",
        &id[0..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..32]
    );
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>paiban</xmp:CreatorTool>
   <pdf:Producer>paiban {version}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{pdfx}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        title = escape(meta.title),
        version = env!("CARGO_PKG_VERSION"),
        pdfx = meta.level.version(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_edition_dates() {
        assert_eq!(
            Stamp::from_epoch(0),
            Stamp {
                year: 1970,
                month: 1,
                day: 1,
                hms: (0, 0, 0)
            }
        );
        assert_eq!(
            Stamp::from_epoch(1_658_793_600 + 3661),
            Stamp {
                year: 2022,
                month: 7,
                day: 26,
                hms: (1, 1, 1)
            }
        );
        assert_eq!(
            Stamp::from_date_text("2022年7月26日"),
            Some(Stamp {
                year: 2022,
                month: 7,
                day: 26,
                hms: (0, 0, 0)
            })
        );
        assert_eq!(
            Stamp::from_date_text("2022-07-26").map(|s| s.xmp()),
            Some("2022-07-26T00:00:00Z".into())
        );
        assert_eq!(Stamp::from_date_text("soon"), None);
    }

    #[test]
    fn levels_and_xmp() {
        assert_eq!("1a".parse::<PdfX>(), Ok(PdfX::X1a));
        assert_eq!("X-4".parse::<PdfX>(), Ok(PdfX::X4));
        assert!("3".parse::<PdfX>().is_err());
        let meta = DocMeta {
            title: "A & B",
            level: PdfX::X4,
            stamp: Stamp {
                year: 2022,
                month: 7,
                day: 26,
                hms: (0, 0, 0),
            },
            output: newsprint(),
            id: [0xab; 16],
        };
        let x = xmp_packet(&meta);
        assert!(x.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
        assert!(x.contains("<pdf:Trapped>False</pdf:Trapped>"));
        assert!(x.contains("A &amp; B"));
        assert!(x.contains("uuid:abababab-abab-abab-abab-abababababab"));
    }
}
