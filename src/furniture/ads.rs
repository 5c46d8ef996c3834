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
    let art = Arc::new(crate::vector::load_art(&ad.file, ad.page, None)?);
    let slot = area_rect(&plan.layout.grid, &ad.area);
    let name = ad.file.to_string_lossy();
    let short = ad
        .file
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy());
    let fits = (art.width - slot.w).abs() <= SIZE_TOLERANCE
        && (art.height - slot.h).abs() <= SIZE_TOLERANCE;
    let mut notes = Vec::new();
    let rect = if fits {
        // Centred on the slot (a fraction of a millimetre either way).
        Rect {
            x: slot.x + (slot.w - art.width) / 2.0,
            y: slot.y + (slot.h - art.height) / 2.0,
            w: art.width,
            h: art.height,
        }
    } else if ad.scale {
        let s = (slot.w / art.width.max(0.1)).min(slot.h / art.height.max(0.1));
        let (w, h) = (art.width * s, art.height * s);
        notes.push(format!(
            "{}: ad `{short}` is {:.1} × {:.1} mm; its slot ({}) is {:.1} × {:.1} mm: placed \
             scaled to {:.0}% (`scale = true`)",
            plan.path.display(),
            mm(art.width),
            mm(art.height),
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
                "the ad {} is {:.1} × {:.1} mm (its TrimBox, else MediaBox); its slot ({}) is \
                 {:.1} × {:.1} mm",
                ad.file.display(),
                mm(art.width),
                mm(art.height),
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
    let inks = art.inks();
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
            art.unknown_inks().unwrap_or("unknown")
        )),
        None => {}
    }
    items.push(Item::Art {
        art: art.clone(),
        rect,
        quarter_turns: 0,
    });
    Ok(AdReport {
        file: ad.file.clone(),
        advertiser: ad.advertiser.clone(),
        class: ad.class,
        inks,
        size: (art.width, art.height),
        slot: (slot.w, slot.h),
        scaled: !fits,
        notes,
    })
}
