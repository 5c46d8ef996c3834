//! Colour conversion of photos to the newsprint output condition (ISO 12647-3, profile
//! ISOnewspaper26v4): RGB → CMYK, perceptual, the profile's own ink limit (240%); grey → grey.

use moxcms::{ColorProfile, Layout, RenderingIntent, TransformOptions};

/// The newsprint CMYK profile (the default PDF/X output intent).
pub const NEWSPRINT_CMYK: &[u8] = include_bytes!("../../icc/ISOnewspaper26v4.icc");
/// The same profile zlib-compressed (level 9, made once with `python3 -c "import zlib; …"`),
/// written as it is into every PDF's output intent.
pub const NEWSPRINT_CMYK_ZLIB: &[u8] = include_bytes!("../../icc/ISOnewspaper26v4.icc.zlib");
/// The newsprint grey profile.
pub const NEWSPRINT_GREY: &[u8] = include_bytes!("../../icc/ISOnewspaper26v4_gr.icc");

fn options() -> TransformOptions {
    TransformOptions {
        rendering_intent: RenderingIntent::Perceptual,
        ..TransformOptions::default()
    }
}

type Transform = std::sync::Arc<moxcms::Transform8BitExecutor>;

/// A shared slot for one transform: photos prepared at the same time wait for the one being
/// built rather than building it again.
type TransformSlot = std::sync::Arc<std::sync::OnceLock<Result<Transform, String>>>;

/// RGB → CMYK transforms built so far, by source profile (empty: sRGB) and target profile.
/// Building one (a 4-D table through both profiles) takes about 20 ms, longer than converting
/// a photo, and a page's photos mostly share a profile: a build (its `Typeset`) owns
/// one of these and passes it down in [`super::Target`].
#[derive(Default)]
pub struct Transforms(std::sync::Mutex<Vec<Built>>);

/// A source profile (empty: sRGB), a target profile, and their transform once built.
type Built = (Vec<u8>, Vec<u8>, TransformSlot);

impl std::fmt::Debug for Transforms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.lock().map(|b| b.len()).unwrap_or(0);
        write!(f, "Transforms({n} built)")
    }
}

impl Transforms {
    /// Converts 8-bit RGB pixels (described by `source`, sRGB when `None`) to CMYK of
    /// `target`. The pixels are converted in bands on all cores (each pixel alone: the result
    /// is the same however they are cut).
    pub fn rgb_to_cmyk(
        &self,
        rgb: &[u8],
        source: Option<&[u8]>,
        target: &[u8],
    ) -> Result<Vec<u8>, String> {
        let t = self.transform(source, target)?;
        let pixels = rgb.len() / 3;
        let mut out = vec![0u8; pixels * 4];
        // Bands of whole pixels, at least 64 K pixels each.
        let band = pixels.div_ceil(crate::par::cores()).max(1 << 16);
        let jobs: Vec<_> = rgb.chunks(band * 3).zip(out.chunks_mut(band * 4)).collect();
        let done = crate::par::par_map_owned(jobs, |_, (src, dst)| {
            t.transform(src, dst)
                .map_err(|e| format!("colour conversion failed: {e:?}"))
        });
        done.into_iter().collect::<Result<Vec<()>, String>>()?;
        Ok(out)
    }

    /// Builds the transform [`Self::rgb_to_cmyk`] will use for `source` → `target`, so that
    /// it can be made ready while the photo is still being decoded. An error is left for the
    /// conversion to report.
    pub fn warm_up(&self, source: Option<&[u8]>, target: &[u8]) {
        let _ = self.transform(source, target);
    }

    /// The transform for `source` → `target`, built on first use.
    fn transform(&self, source: Option<&[u8]>, target: &[u8]) -> Result<Transform, String> {
        let source_key = source.unwrap_or_default();
        let slot = {
            let mut built = self
                .0
                .lock()
                .map_err(|_| "colour transform cache poisoned")?;
            match built
                .iter()
                .find(|(s, t, _)| s.as_slice() == source_key && t.as_slice() == target)
            {
                Some((_, _, slot)) => slot.clone(),
                None => {
                    let slot = TransformSlot::default();
                    built.push((source_key.to_vec(), target.to_vec(), slot.clone()));
                    slot
                }
            }
        };
        slot.get_or_init(|| {
            let src = source
                .and_then(|s| ColorProfile::new_from_slice(s).ok())
                .unwrap_or_else(ColorProfile::new_srgb);
            let dst = ColorProfile::new_from_slice(target)
                .map_err(|e| format!("output profile: {e:?}"))?;
            src.create_transform_8bit(Layout::Rgb, &dst, Layout::Rgba, options())
                .map_err(|e| format!("cannot convert RGB to the output CMYK: {e:?}"))
        })
        .clone()
    }
}

/// Whether two ICC profiles describe the same condition: byte-identical, or the same size,
/// colour space and description (the same profile re-serialised by another tool).
pub fn same_profile(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    let header = |p: &[u8]| {
        p.get(0..4)
            .zip(p.get(16..20))
            .map(|(size, space)| (size.to_vec(), space.to_vec()))
    };
    header(a).is_some()
        && header(a) == header(b)
        && tag(a, b"desc").is_some()
        && tag(a, b"desc") == tag(b, b"desc")
}

/// The bytes of an ICC tag.
fn tag<'a>(p: &'a [u8], sig: &[u8; 4]) -> Option<&'a [u8]> {
    let n = u32::from_be_bytes(p.get(128..132)?.try_into().ok()?) as usize;
    (0..n.min(200)).find_map(|i| {
        let e = p.get(132 + 12 * i..144 + 12 * i)?;
        if e.get(0..4)? != sig {
            return None;
        }
        let off = u32::from_be_bytes(e.get(4..8)?.try_into().ok()?) as usize;
        let len = u32::from_be_bytes(e.get(8..12)?.try_into().ok()?) as usize;
        p.get(off..off.checked_add(len)?)
    })
}

/// Why an embedded ICC profile whose header names the colour space `space` does not fit
/// samples of `channels` components (1 grey, 3 RGB, 4 CMYK); `None` when it fits.
pub fn profile_misfit(space: [u8; 4], channels: u8) -> Option<String> {
    let fits = match &space {
        b"GRAY" => 1,
        b"RGB " => 3,
        b"CMYK" => 4,
        _ => 0,
    };
    if fits == channels {
        return None;
    }
    let (kind, assumed) = match channels {
        1 => ("grey", "newsprint grey"),
        3 => ("RGB", "sRGB"),
        _ => ("CMYK", "the output CMYK"),
    };
    let profile = match fits {
        0 if space == [0; 4] => "its embedded ICC profile cannot be read".to_string(),
        _ => format!(
            "its embedded ICC profile is for {} colour",
            String::from_utf8_lossy(&space).trim()
        ),
    };
    Some(format!(
        "the photo is {kind} but {profile}: the profile is ignored and the colours are taken \
         as {assumed}"
    ))
}

/// Whether an ICC profile is for samples of `channels` components.
pub fn profile_fits(profile: &[u8], channels: u8) -> bool {
    profile
        .get(16..20)
        .and_then(|s| s.try_into().ok())
        .is_some_and(|space| profile_misfit(space, channels).is_none())
}

/// Total area coverage of a CMYK pixel, in percent.
pub fn coverage(px: &[u8]) -> f32 {
    px.iter().map(|v| f32::from(*v)).sum::<f32>() / 2.55
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_colours_to_newsprint_cmyk() {
        let px = [255, 255, 255, 0, 0, 0, 255, 0, 0, 128, 128, 128];
        let out = Transforms::default()
            .rgb_to_cmyk(&px, None, NEWSPRINT_CMYK)
            .unwrap();
        let (white, black, red, grey) = (&out[0..4], &out[4..8], &out[8..12], &out[12..16]);
        assert!(coverage(white) < 2.0, "paper white uses no ink: {white:?}");
        // Black: rich black limited by the newsprint profile's 240% total ink.
        assert!(
            coverage(black) <= 241.0 && coverage(black) > 150.0,
            "{black:?}"
        );
        assert!(black[3] > 200, "black is mostly K: {black:?}");
        // Red: magenta and yellow, little cyan.
        assert!(red[1] > 180 && red[2] > 160 && red[0] < 40, "{red:?}");
        // Mid grey: balanced, under the limit.
        assert!(coverage(grey) < 240.0 && grey[3] > 40, "{grey:?}");
    }

    #[test]
    fn the_transform_is_built_once_per_pair_of_profiles() {
        let built = Transforms::default();
        let a = built.transform(None, NEWSPRINT_CMYK).unwrap();
        let b = built.transform(None, NEWSPRINT_CMYK).unwrap();
        assert!(std::sync::Arc::ptr_eq(&a, &b), "built again");
        // A broken output profile is an error each time, never a transform.
        assert!(built.transform(None, b"not a profile").is_err());
        assert!(built.transform(None, b"not a profile").is_err());
    }

    #[test]
    fn a_reserialised_copy_of_the_profile_is_the_same_condition() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let jpeg = std::fs::read(root.join("input/weidong/photos/service-centre.jpg")).unwrap();
        let embedded = crate::image::jpeg::probe(&jpeg).unwrap().icc.unwrap();
        assert_ne!(
            embedded.as_slice(),
            NEWSPRINT_CMYK,
            "the test needs a re-serialised copy"
        );
        assert!(same_profile(&embedded, NEWSPRINT_CMYK));
        assert!(!same_profile(NEWSPRINT_GREY, NEWSPRINT_CMYK));
    }

    #[test]
    fn compressed_profile_is_the_profile() {
        let raw = miniz_oxide::inflate::decompress_to_vec_zlib(NEWSPRINT_CMYK_ZLIB).unwrap();
        assert!(raw == NEWSPRINT_CMYK);
    }

    #[test]
    fn ink_limit_holds_over_the_rgb_cube() {
        let mut px = Vec::new();
        for r in (0..=255).step_by(51) {
            for g in (0..=255).step_by(51) {
                for b in (0..=255).step_by(51) {
                    px.extend([r as u8, g as u8, b as u8]);
                }
            }
        }
        let out = Transforms::default()
            .rgb_to_cmyk(&px, None, NEWSPRINT_CMYK)
            .unwrap();
        let worst = out.chunks(4).map(coverage).fold(0.0, f32::max);
        assert!(worst <= 241.0, "max TAC {worst}%");
    }
}
