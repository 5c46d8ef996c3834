//! JPEG header reading: size, coding process, components, the Adobe APP14 marker, the EXIF
//! orientation, the embedded ICC profile and the caption metadata (IPTC in APP13, XMP in
//! APP1), without decoding the picture.

/// What the header of a JPEG says.
#[derive(Debug, Clone, PartialEq)]
pub struct JpegInfo {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK/YCCK).
    pub components: u8,
    /// An Adobe APP14 marker is present: 4-component data is stored inverted.
    pub adobe: bool,
    /// The ICC profile from the APP2 chunks, if any.
    pub icc: Option<Vec<u8>>,
    /// The colour space the ICC profile's header names (`b"RGB "`, `b"CMYK"`, `b"GRAY"`…),
    /// read from its first chunk even when the profile itself is not.
    pub icc_space: Option<[u8; 4]>,
    /// The frame type: n of the SOFn marker (0 baseline, 1 extended, 2 progressive, …).
    pub sof: u8,
    /// Bits per sample (8, or 12 for 12-bit JPEGs).
    pub precision: u8,
    /// The EXIF orientation (1–8; 1 when there is none).
    pub orientation: u8,
    /// A component's sampling factors (horizontal, vertical) when one is not 1, 2 or 4 (the
    /// decoder reads only those).
    pub odd_sampling: Option<(u8, u8)>,
    /// The caption and credit of its IPTC and XMP metadata.
    pub meta: super::meta::PhotoMeta,
}

impl JpegInfo {
    /// Why PDF readers cannot decode this JPEG (and paiban cannot convert it), or `None`
    /// for baseline, extended-sequential and progressive 8-bit Huffman-coded JPEGs.
    pub fn unsupported(&self) -> Option<String> {
        if let (Some((h, v)), 0..=2) = (self.odd_sampling, self.sof) {
            return Some(format!(
                "JPEG with {h}×{v} sampling factors: valid, but paiban's decoder reads only \
                 1, 2 or 4 (it cannot check or convert the photo)"
            ));
        }
        let kind = match self.sof {
            0..=2 if self.precision == 8 => return None,
            0..=2 => format!("{}-bit", self.precision),
            3 => "lossless".into(),
            5..=7 => "hierarchical".into(),
            11 => "lossless arithmetic-coded".into(),
            15 => "hierarchical lossless arithmetic-coded".into(),
            9 | 10 => "arithmetic-coded".into(),
            _ => "hierarchical arithmetic-coded".into(),
        };
        Some(format!(
            "{kind} JPEG (SOF{}): PDF readers cannot decode it, nor can paiban convert it",
            self.sof
        ))
    }
}

/// Reads the markers up to the first start-of-scan.
pub fn probe(data: &[u8]) -> Result<JpegInfo, String> {
    walk(&mut Slice(data), true)
}

/// Reads the markers of a JPEG file up to the first start-of-scan without reading the
/// picture data, nor the ICC profile (`icc` is `None`; [`probe`] the bytes for it): a desk's
/// rebuild needs only a photo's size, and its prepared form comes from the cache.
pub fn probe_file(file: &mut std::fs::File) -> Result<JpegInfo, String> {
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read photo: {e}"))?
        .len();
    walk(
        &mut Window {
            file,
            len: usize::try_from(len).unwrap_or(usize::MAX),
            buf: Vec::new(),
            at: 0,
        },
        false,
    )
}

/// Bytes of a JPEG by position.
trait Source {
    /// `len` bytes from `pos`, or `None` past the end.
    fn bytes(&mut self, pos: usize, len: usize) -> Option<&[u8]>;
    /// The total length.
    fn len(&self) -> usize;
}

struct Slice<'a>(&'a [u8]);

impl Source for Slice<'_> {
    fn bytes(&mut self, pos: usize, len: usize) -> Option<&[u8]> {
        self.0.get(pos..pos.checked_add(len)?)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// A file read through a window of at least 16 KB, moved only when a read falls outside it.
struct Window<'a> {
    file: &'a mut std::fs::File,
    len: usize,
    buf: Vec<u8>,
    at: usize,
}

impl Source for Window<'_> {
    fn bytes(&mut self, pos: usize, len: usize) -> Option<&[u8]> {
        use std::io::{Read, Seek, SeekFrom};
        let end = pos.checked_add(len)?;
        if pos < self.at || end > self.at + self.buf.len() {
            self.file.seek(SeekFrom::Start(pos as u64)).ok()?;
            self.buf.clear();
            let want = len.max(16 * 1024) as u64;
            self.file
                .by_ref()
                .take(want)
                .read_to_end(&mut self.buf)
                .ok()?;
            self.at = pos;
        }
        self.buf.get(pos - self.at..end - self.at)
    }
    fn len(&self) -> usize {
        self.len
    }
}

/// Where a JPEG's image ends: the byte after its end-of-image marker, found by walking its
/// segments and scanning each scan's entropy-coded data (where `FF 00`, restart markers and
/// fill bytes are not markers). None when the data ends first (a truncated file). Bytes after
/// it (a phone's motion-photo video, an editor's trailer) are not part of the picture.
pub fn end_of_image(data: &[u8]) -> Option<usize> {
    let mut i = 2;
    loop {
        // At a marker: skip fill bytes.
        while data.get(i) == Some(&0xFF) && data.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if data.get(i) != Some(&0xFF) {
            return None;
        }
        let marker = *data.get(i + 1)?;
        match marker {
            0xD9 => return Some(i + 2),
            0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*data.get(i + 2)?, *data.get(i + 3)?]));
        i += 2 + len;
        if marker == 0xDA {
            // Entropy-coded data up to the next marker that is not a stuffed byte or a restart.
            loop {
                let k = i + data.get(i..)?.iter().position(|&b| b == 0xFF)?;
                match *data.get(k + 1)? {
                    0x00 | 0xD0..=0xD7 | 0xFF => i = k + 1,
                    _ => {
                        i = k;
                        break;
                    }
                }
            }
        }
    }
}

/// The start-of-image marker every JPEG begins with.
const SOI: [u8; 2] = [0xFF, 0xD8];
/// End of image.
const EOI: u8 = 0xD9;
/// Start of scan: the picture data follows.
const SOS: u8 = 0xDA;
/// APP1: EXIF.
const APP1: u8 = 0xE1;
/// APP2: an ICC profile chunk.
const APP2: u8 = 0xE2;
/// APP13: Photoshop image resources (IPTC).
const APP13: u8 = 0xED;
/// APP14: Adobe.
const APP14: u8 = 0xEE;
/// What a truncated header segment is reported as.
const TRUNCATED: &str = "JPEG is truncated inside its header";

/// A JPEG's frame header (SOFn).
#[derive(Debug, Clone, Copy)]
struct FrameHeader {
    width: u32,
    height: u32,
    components: u8,
    /// n of the SOFn marker.
    sof: u8,
    precision: u8,
}

/// One APP2 chunk of an ICC profile.
#[derive(Debug)]
struct IccChunk {
    /// Its sequence number (1-based).
    seq: u8,
    /// Its part of the profile.
    data: Vec<u8>,
}

/// What the header segments read so far say.
#[derive(Debug, Default)]
struct Markers {
    frame: Option<FrameHeader>,
    adobe: bool,
    chunks: Vec<IccChunk>,
    icc_space: Option<[u8; 4]>,
    orientation: Option<u8>,
    odd_sampling: Option<(u8, u8)>,
    /// The Photoshop image resource block of the APP13 segments, joined.
    irb: Vec<u8>,
    /// The first XMP packet.
    xmp: Option<Vec<u8>>,
}

/// Walks the header segments up to the first start-of-scan (the ICC profile's chunks read
/// only when `want_icc`).
fn walk(src: &mut impl Source, want_icc: bool) -> Result<JpegInfo, String> {
    if src.bytes(0, 2) != Some(&SOI) {
        return Err("not a JPEG (no SOI marker)".into());
    }
    let mut i = 2;
    let mut markers = Markers::default();
    while let Some(head) = src.bytes(i, 4) {
        // `bytes` gives exactly the 4 bytes asked for.
        let &[ff, marker, len_hi, len_lo] = head else {
            break;
        };
        let len = usize::from(u16::from_be_bytes([len_hi, len_lo]));
        if ff != 0xFF {
            return Err(format!("corrupt JPEG: no marker at byte {i}"));
        }
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == EOI || marker == SOS {
            break;
        }
        let body = len.checked_sub(2).ok_or(TRUNCATED)?;
        markers.segment(src, (marker, i, body), want_icc)?;
        i += 2 + len;
    }
    markers.finish()
}

impl Markers {
    /// Reads the segment of `marker` at byte `at` with `body` bytes after its length, if it is
    /// one the header needs; checks it is whole.
    fn segment(
        &mut self,
        src: &mut impl Source,
        (marker, at, body): (u8, usize, usize),
        want_icc: bool,
    ) -> Result<(), String> {
        let wanted = match marker {
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | APP14 => true,
            APP2 => want_icc,
            // The EXIF block, for its orientation, and the XMP packet (the first of each).
            APP1 => self.orientation.is_none() || self.xmp.is_none(),
            APP13 => self.irb.len() < super::meta::MAX_BLOCK,
            _ => false,
        };
        if marker == APP2 && self.icc_space.is_none() {
            // An ICC chunk: 12 bytes of name, its number and count, then the profile, whose
            // colour space is at bytes 16–19 of the first chunk.
            if let Some(seg) = src.bytes(at + 4, body.min(34)) {
                if seg.starts_with(b"ICC_PROFILE\0") && seg.get(12) == Some(&1) {
                    self.icc_space = seg.get(30..34).and_then(|s| s.try_into().ok());
                }
            }
        }
        if wanted {
            let seg = src.bytes(at + 4, body).ok_or(TRUNCATED)?;
            self.read(marker, seg);
        } else if at + 4 + body > src.len() {
            return Err(TRUNCATED.into());
        }
        Ok(())
    }

    /// Takes what the header needs from a whole segment of `marker`.
    fn read(&mut self, marker: u8, seg: &[u8]) {
        // A segment shorter than its fields reads as zeros (the frame header's checks then
        // refuse the photo).
        let at = |k: usize| seg.get(k).copied().unwrap_or(0);
        match marker {
            APP14 => self.adobe |= seg.starts_with(b"Adobe"),
            APP2 => {
                if seg.starts_with(b"ICC_PROFILE\0") {
                    self.chunks.push(IccChunk {
                        seq: at(12),
                        data: seg.get(14..).unwrap_or(&[]).to_vec(),
                    });
                }
            }
            APP1 => {
                if let Some(tiff) = seg.strip_prefix(b"Exif\0\0") {
                    if self.orientation.is_none() {
                        self.orientation = Some(super::orient::exif_orientation(tiff).unwrap_or(1));
                    }
                } else if let Some(xmp) = seg.strip_prefix(super::meta::XMP_APP1) {
                    self.xmp.get_or_insert_with(|| xmp.to_vec());
                }
            }
            APP13 => {
                // A block longer than a segment continues in the next, signature repeated.
                if let Some(irb) = seg.strip_prefix(super::meta::PHOTOSHOP) {
                    self.irb.extend_from_slice(irb);
                }
            }
            m => {
                let h = u16::from_be_bytes([at(1), at(2)]);
                let w = u16::from_be_bytes([at(3), at(4)]);
                self.frame = Some(FrameHeader {
                    width: u32::from(w),
                    height: u32::from(h),
                    components: at(5),
                    sof: m - 0xC0,
                    precision: at(0),
                });
                // Each component: id, sampling factors (H << 4 | V), quantisation table.
                self.odd_sampling = (0..usize::from(at(5)))
                    .map(|k| (at(7 + 3 * k) >> 4, at(7 + 3 * k) & 15))
                    .find(|(h, v)| ![1, 2, 4].contains(h) || ![1, 2, 4].contains(v));
            }
        }
    }

    /// The header read: a frame header of a size and component count paiban sets, the ICC
    /// profile's chunks joined in order.
    fn finish(mut self) -> Result<JpegInfo, String> {
        let FrameHeader {
            width,
            height,
            components,
            sof,
            precision,
        } = self.frame.ok_or("JPEG has no frame header (SOF)")?;
        if width == 0 || height == 0 || !matches!(components, 1 | 3 | 4) {
            return Err(format!(
                "unsupported JPEG: {width}×{height}, {components} components"
            ));
        }
        self.chunks.sort_by_key(|c| c.seq);
        let icc = (!self.chunks.is_empty()).then(|| {
            let mut all = Vec::with_capacity(self.chunks.iter().map(|c| c.data.len()).sum());
            for c in &self.chunks {
                all.extend_from_slice(&c.data);
            }
            all
        });
        let irb = (!self.irb.is_empty()).then_some(self.irb.as_slice());
        let meta = super::meta::read(irb, self.xmp.as_deref());
        Ok(JpegInfo {
            width,
            height,
            components,
            adobe: self.adobe,
            icc,
            icc_space: self.icc_space,
            sof,
            precision,
            orientation: self.orientation.unwrap_or(1),
            odd_sampling: self.odd_sampling,
            meta,
        })
    }
}

/// The JPEG without its APP2 ICC profile segments (the picture data untouched), for when the
/// profile is the output intent's and the image is written as DeviceCMYK.
pub fn strip_icc(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(data.get(..2).unwrap_or(&[]));
    let mut i = 2;
    while i + 4 <= data.len() {
        let marker = data.get(i + 1).copied().unwrap_or(0);
        if data.get(i) != Some(&0xFF) || marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([
            *data.get(i + 2).unwrap_or(&0),
            *data.get(i + 3).unwrap_or(&0),
        ]));
        let seg = data.get(i..i + 2 + len).unwrap_or(&[]);
        if !(marker == 0xE2 && seg.get(4..16) == Some(b"ICC_PROFILE\0")) {
            out.extend_from_slice(seg);
        }
        i += 2 + len;
    }
    out.extend_from_slice(data.get(i..).unwrap_or(&[]));
    out
}

/// The resolution a JPEG's JFIF header gives (pixels per inch, across and down), when it gives
/// one (units 1: per inch, 2: per centimetre; 0 is an aspect ratio only, no resolution).
pub fn jfif_density(data: &[u8]) -> Option<(f32, f32)> {
    let mut at = 2;
    while let (Some(&0xFF), Some(&marker)) = (data.get(at), data.get(at + 1)) {
        let len = usize::from(u16::from_be_bytes([*data.get(at + 2)?, *data.get(at + 3)?]));
        let body = data.get(at + 4..at + 2 + len)?;
        if marker == 0xE0 && body.starts_with(b"JFIF\0") {
            let units = *body.get(7)?;
            let x = f32::from(u16::from_be_bytes([*body.get(8)?, *body.get(9)?]));
            let y = f32::from(u16::from_be_bytes([*body.get(10)?, *body.get(11)?]));
            let per_inch = match units {
                1 => 1.0,
                2 => 2.54,
                _ => return None,
            };
            return (x > 0.0 && y > 0.0).then_some((x * per_inch, y * per_inch));
        }
        if marker == 0xDA {
            return None;
        }
        at += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_image_ends_at_its_marker_not_at_the_file_end() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/weidong/photos");
        for name in ["service-centre.jpg", "signing.jpg", "village.jpg"] {
            let data = std::fs::read(root.join(name)).unwrap();
            assert_eq!(end_of_image(&data), Some(data.len()), "{name}");
            // A motion photo's video after it (holding FF D9 pairs of its own).
            let mut longer = data.clone();
            longer.extend(std::iter::repeat_n([0xFF, 0xD9, 0x00, 0x42], 500).flatten());
            assert_eq!(end_of_image(&longer), Some(data.len()), "{name}");
            // Cut in its picture data: no end.
            assert_eq!(end_of_image(&data[..data.len() / 2]), None, "{name}");
        }
    }
    use super::*;

    #[test]
    fn reads_the_example_photos() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/weidong/photos");
        let cmyk = probe(&std::fs::read(root.join("service-centre.jpg")).unwrap()).unwrap();
        assert_eq!(
            (cmyk.width, cmyk.height, cmyk.components, cmyk.adobe),
            (600, 400, 4, true)
        );
        assert!(cmyk.icc.as_ref().is_some_and(|p| p.len() > 700_000));
        let grey =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/grey-newsprint.jpg");
        let grey = probe(&std::fs::read(grey).unwrap()).unwrap();
        assert_eq!((grey.components, grey.adobe), (1, false));
        let stripped = strip_icc(&std::fs::read(root.join("service-centre.jpg")).unwrap());
        let again = probe(&stripped).unwrap();
        assert_eq!(
            (again.width, again.components, again.adobe, again.icc),
            (600, 4, true, None)
        );
        assert!(stripped.len() < 300_000 && stripped.ends_with(&[0xFF, 0xD9]));
        let mut f = std::fs::File::open(root.join("service-centre.jpg")).unwrap();
        let header = probe_file(&mut f).unwrap();
        assert_eq!(header, JpegInfo { icc: None, ..cmyk });
        assert!(probe(b"GIF89a").is_err());
        assert!(probe(&[0xFF, 0xD8, 0xFF, 0xC0, 0x00]).is_err());
    }
}
