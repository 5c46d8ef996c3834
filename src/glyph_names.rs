//! Glyph names out of a font's `post` table. Also compiled into `build.rs` (which prepares the
//! fonts the program carries the same way), so it uses nothing but `core`.

/// Turns a `post` table with glyph names (version 2) into its 32-byte header as version 3
/// (no names), in place (a font's private mapping, or the copy `build.rs` makes of a bundled
/// font). Nothing in a PDF uses glyph names, and the
/// subsetter would otherwise walk the names of every glyph (237 KB in LXGW WenKai: a quarter
/// of the cost of embedding that face). Other fonts are left as they are.
pub fn drop_glyph_names(font: &mut [u8]) {
    let be32 = |b: &[u8], at: usize| {
        b.get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .map(u32::from_be_bytes)
    };
    // A single TrueType/OpenType font only (not a collection).
    if !matches!(be32(font, 0), Some(0x0001_0000 | 0x7472_7565 | 0x4F54_544F)) {
        return;
    }
    let Some(count) = font
        .get(4..6)
        .and_then(|b| b.try_into().ok())
        .map(|b| usize::from(u16::from_be_bytes(b)))
    else {
        return;
    };
    for i in 0..count {
        let rec = 12 + 16 * i;
        if font.get(rec..rec + 4) != Some(b"post") {
            continue;
        }
        let (Some(offset), Some(length)) = (be32(font, rec + 8), be32(font, rec + 12)) else {
            return;
        };
        let at = offset as usize;
        let named = matches!(be32(font, at), Some(0x0002_0000 | 0x0002_5000));
        if named && length > 32 && font.len() >= at + 32 {
            if let Some(v) = font.get_mut(at..at + 4) {
                v.copy_from_slice(&0x0003_0000u32.to_be_bytes());
            }
            if let Some(l) = font.get_mut(rec + 12..rec + 16) {
                l.copy_from_slice(&32u32.to_be_bytes());
            }
        }
        return;
    }
}
