//! Ads in their slots: the delivered file placed untouched (a PDF page as a Form XObject with
//! its own fonts and images, never rasterised or recoloured), after the checks a paper makes
//! before it prints one — its trim size against the slot, its inks against its booking.

use crate::error::Result;
use crate::flow::area_rect;
use crate::locate::at_text;
use crate::model::{AdPlacement, PagePlan};
use crate::page::{AdReport, Item};
use crate::units::Rect;
use std::sync::Arc;

/// How far an ad's trim may differ from its slot, in points (1 mm).
const SIZE_TOLERANCE: f32 = 72.0 / 25.4;

/// Points to millimetres, for messages.
fn mm(pt: f32) -> f32 {
    pt * 25.4 / 72.0
}

/// Places `ad` in its slot on `plan`'s page; returns what the report says of it.
pub(super) fn place(plan: &PagePlan, ad: &AdPlacement, items: &mut Vec<Item>) -> Result<AdReport> {
    let slot = area_rect(&plan.layout.grid, &ad.area);
    let name = ad.file.to_string_lossy();
    let short = ad
        .file
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy());
    let mut notes = Vec::new();
    let delivered = if is_jpeg(&ad.file) {
        jpeg_ad(plan, ad, &mut notes)?
    } else {
        Delivered::Art(Arc::new(crate::vector::load_art(&ad.file, ad.page, None)?))
    };
    let (width, height) = delivered.size();
    let fits =
        (width - slot.w).abs() <= SIZE_TOLERANCE && (height - slot.h).abs() <= SIZE_TOLERANCE;
    let rect = if fits {
        // Centred on the slot (a fraction of a millimetre either way).
        Rect {
            x: slot.x + (slot.w - width) / 2.0,
            y: slot.y + (slot.h - height) / 2.0,
            w: width,
            h: height,
        }
    } else if ad.scale {
        let s = (slot.w / width.max(0.1)).min(slot.h / height.max(0.1));
        let (w, h) = (width * s, height * s);
        notes.push(format!(
            "{}: ad `{short}` is {:.1} × {:.1} mm; its slot ({}) is {:.1} × {:.1} mm: placed \
             scaled to {:.0}% (`scale = true`)",
            plan.path.display(),
            mm(width),
            mm(height),
            ad.area,
            mm(slot.w),
            mm(slot.h),
            s * 100.0
        ));
        Rect {
            x: slot.x + (slot.w - w) / 2.0,
            y: slot.y + (slot.h - h) / 2.0,
            w,
            h,
        }
    } else {
        return Err(at_text(
            &plan.path,
            (&name, "file"),
            format!(
                "the ad {} is {:.1} × {:.1} mm ({}); its slot ({}) is {:.1} × {:.1} mm",
                ad.file.display(),
                mm(width),
                mm(height),
                delivered.size_source(),
                ad.area,
                mm(slot.w),
                mm(slot.h)
            ),
        )
        .with_hint(
            "ask for the ad at the slot's size, book the slot that fits it, or set `scale = true` \
             to place it scaled",
        )
        .into());
    };
    let inks = check_inks(plan, ad, &delivered, &mut notes)?;
    items.push(match delivered {
        Delivered::Art(art) => Item::Art {
            art,
            rect,
            quarter_turns: 0,
        },
        Delivered::Jpeg { photo, .. } => Item::Image {
            photo,
            frame: rect,
            placed: rect,
        },
    });
    Ok(AdReport {
        file: ad.file.clone(),
        advertiser: ad.advertiser.clone(),
        class: ad.class,
        inks,
        size: (width, height),
        slot: (slot.w, slot.h),
        scaled: !fits,
        notes,
    })
}

/// The ad's inks against its booked class: an error naming the inks the class has not; a note
/// when they cannot be told from the file. Returns the inks (C, M, Y, K) when known.
fn check_inks(
    plan: &PagePlan,
    ad: &AdPlacement,
    delivered: &Delivered,
    notes: &mut Vec<String>,
) -> Result<Option<[bool; 4]>> {
    let name = ad.file.to_string_lossy();
    let short = ad
        .file
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy());
    let inks = delivered.inks();
    match inks {
        Some(used) => {
            let allowed = ad.class.allowed();
            let extra: Vec<&str> = ["C", "M", "Y", "K"]
                .iter()
                .zip(used.iter().zip(allowed))
                .filter_map(|(n, (u, a))| (*u && !a).then_some(*n))
                .collect();
            if !extra.is_empty() {
                let found: Vec<&str> = ["C", "M", "Y", "K"]
                    .iter()
                    .zip(used)
                    .filter_map(|(n, u)| u.then_some(*n))
                    .collect();
                return Err(at_text(
                    &plan.path,
                    (&name, "file"),
                    format!(
                        "the ad {} prints inks {}; it is booked {} ({}), which has no {}",
                        ad.file.display(),
                        found.join(" "),
                        ad.class.name(),
                        match ad.class {
                            crate::model::AdClass::Black => "black only",
                            crate::model::AdClass::Red => "black and red",
                            crate::model::AdClass::Colour => "full colour",
                        },
                        extra.join(" ")
                    ),
                )
                .with_hint("book the ad in the class of its inks, or ask for it in the booked inks")
                .into());
            }
        }
        None if ad.class != crate::model::AdClass::Colour => notes.push(format!(
            "{}: ad `{short}` is booked {}, and its inks could not be told from the file ({}): \
             check it by eye",
            plan.path.display(),
            ad.class.name(),
            delivered.unknown_inks()
        )),
        None => {}
    }
    Ok(inks)
}

/// An ad as delivered: vector art (a PDF page or SVG), or a CMYK or grey JPEG.
enum Delivered {
    Art(Arc<crate::vector::Art>),
    Jpeg {
        photo: Arc<crate::image::Photo>,
        /// Its size in points, from its pixels and JFIF resolution.
        size: (f32, f32),
        /// The inks its samples carry.
        inks: [bool; 4],
    },
}

impl Delivered {
    /// Its size in points.
    fn size(&self) -> (f32, f32) {
        match self {
            Delivered::Art(a) => (a.width, a.height),
            Delivered::Jpeg { size, .. } => *size,
        }
    }

    /// Where its size comes from, for messages.
    fn size_source(&self) -> &'static str {
        match self {
            Delivered::Art(_) => "its TrimBox, else MediaBox",
            Delivered::Jpeg { .. } => "its pixels at its JFIF resolution",
        }
    }

    /// The inks it prints, when known.
    fn inks(&self) -> Option<[bool; 4]> {
        match self {
            Delivered::Art(a) => a.inks(),
            Delivered::Jpeg { inks, .. } => Some(*inks),
        }
    }

    /// Why its inks are not known.
    fn unknown_inks(&self) -> &str {
        match self {
            Delivered::Art(a) => a.unknown_inks().unwrap_or("unknown"),
            Delivered::Jpeg { .. } => "unknown",
        }
    }
}

/// Whether the file starts as a JPEG does.
fn is_jpeg(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 3];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == [0xFF, 0xD8, 0xFF]
}

/// A JPEG ad: CMYK or grey (RGB refused: the plant prints CMYK), its size from its pixels and
/// its JFIF resolution (none: refused, its size unknown), its inks and highest total ink from
/// its samples (over the layout's `tac` and a resolution under `min_ppi` are warnings).
fn jpeg_ad(plan: &PagePlan, ad: &AdPlacement, notes: &mut Vec<String>) -> Result<Delivered> {
    let photo = Arc::new(crate::image::load_photo(&ad.file)?);
    let name = ad.file.to_string_lossy();
    let components = photo.jpeg.as_ref().map_or(0, |j| j.components);
    if components == 3 {
        return Err(at_text(
            &plan.path,
            (&name, "file"),
            format!(
                "the ad {} is an RGB JPEG; the plant prints CMYK",
                ad.file.display()
            ),
        )
        .with_hint("ask for the ad as a CMYK (or grey) JPEG, or as PDF/X")
        .into());
    }
    let data = photo
        .data()
        .map_err(|e| crate::error::Diagnostic::file(&ad.file, e))?;
    let Some((dx, dy)) = crate::image::jpeg::jfif_density(&data) else {
        return Err(at_text(
            &plan.path,
            (&name, "file"),
            format!(
                "the ad {} gives no resolution (JFIF density): its printed size cannot be known",
                ad.file.display()
            ),
        )
        .with_hint("ask for the ad with its resolution set (e.g. 300 ppi), or as PDF/X")
        .into());
    };
    let size = (
        photo.width as f32 / dx * 72.0,
        photo.height as f32 / dy * 72.0,
    );
    let (inks, most) =
        crate::image::jpeg_inks(&photo).map_err(|e| crate::error::Diagnostic::file(&ad.file, e))?;
    let short = ad
        .file
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy());
    let out = &plan.layout.output;
    if most > out.tac + 0.5 {
        notes.push(format!(
            "{}: ad `{short}` carries up to {most:.0}% of ink, over the layout's tac of {:.0}%",
            plan.path.display(),
            out.tac
        ));
    }
    if dx.min(dy) < out.min_ppi {
        notes.push(format!(
            "{}: ad `{short}` is {:.0} ppi, under the {:.0} ppi minimum for newsprint",
            plan.path.display(),
            dx.min(dy),
            out.min_ppi
        ));
    }
    Ok(Delivered::Jpeg { photo, size, inks })
}
