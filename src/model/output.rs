//! Output settings the layout and the command line choose: the PDF/X level.

/// The PDF/X conformance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub enum PdfX {
    /// PDF/X-4 (PDF 1.6; ICC-based colour allowed).
    #[serde(rename = "4", alias = "x4", alias = "X-4")]
    X4,
    /// PDF/X-1a:2003 (PDF 1.4; CMYK and grey only, no transparency).
    #[serde(rename = "1a", alias = "x1a", alias = "X-1a")]
    X1a,
}

impl PdfX {
    /// The GTS_PDFXVersion value.
    pub fn version(self) -> &'static str {
        match self {
            PdfX::X4 => "PDF/X-4",
            PdfX::X1a => "PDF/X-1a:2003",
        }
    }
    /// The PDF version the standard asks for.
    pub fn pdf_version(self) -> (u8, u8) {
        match self {
            PdfX::X4 => (1, 6),
            PdfX::X1a => (1, 4),
        }
    }
}

impl std::str::FromStr for PdfX {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s
            .to_ascii_lowercase()
            .trim_start_matches("pdf/")
            .trim_start_matches('x')
            .trim_start_matches('-')
        {
            "4" => Ok(PdfX::X4),
            "1a" | "1a:2003" => Ok(PdfX::X1a),
            _ => Err(format!("unknown PDF/X level `{s}` (use 4 or 1a)")),
        }
    }
}
