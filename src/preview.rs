//! Preview: PDF bytes → PNG images of its pages, rendered with hayro (pure Rust), so the proof
//! shows what the plant gets. `overlay` adds the grid, frame outlines and overset marks to a
//! composed page before it is written (proofs only).

use crate::compose::{Item, Page};
use crate::error::{Error, Result};
use crate::flow::{area_rect, FlowedStory};
use crate::model::PagePlan;
use crate::units::Rect;
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};
use std::sync::Arc;

/// Renders every page of a PDF to PNG bytes at `dpi`.
pub fn render_png(pdf: Vec<u8>, dpi: f32) -> Result<Vec<Vec<u8>>> {
    let pdf = Pdf::new(Arc::new(pdf))
        .map_err(|e| Error::Pdf(format!("preview cannot read the PDF: {e:?}")))?;
    let cache = RenderCache::new();
    let scale = (dpi / 72.0).clamp(0.05, 8.0);
    let pixmap = PixmapSettings {
        x_scale: scale,
        y_scale: scale,
        bg_color: WHITE,
    };
    // No hinting: at proof resolutions the autohinter cost an eighth of the render, and a
    // proof shows where lines fall, not screen-tuned stems.
    let settings = RenderSettings {
        hinting: false,
        ..RenderSettings::default()
    };
    let mut out = Vec::new();
    for page in pdf.pages().iter() {
        let img = render(
            page,
            &cache,
            &InterpreterSettings::default(),
            &settings,
            &pixmap,
        );
        out.push(encode_png(img)?);
    }
    Ok(out)
}

/// Starts the renderer's one-time set-up on another thread: its CMYK-to-screen colour
/// transform is built on first use (a fifth of a one-page proof's instructions), so rendering a
/// one-point CMYK page while the proof's pages are typeset takes it off the critical path.
/// Joining is optional: a render that needs the transform first waits for it.
pub fn warm_up() -> std::thread::JoinHandle<()> {
    std::thread::spawn(|| {
        use pdf_writer::{Content, Ref};
        let mut pdf = pdf_writer::Pdf::new();
        pdf.catalog(Ref::new(1)).pages(Ref::new(2));
        pdf.pages(Ref::new(2)).kids([Ref::new(3)]).count(1);
        pdf.page(Ref::new(3))
            .parent(Ref::new(2))
            .media_box(pdf_writer::Rect::new(0.0, 0.0, 1.0, 1.0))
            .contents(Ref::new(4));
        let mut c = Content::new();
        c.set_fill_cmyk(0.0, 0.0, 0.0, 1.0);
        c.rect(0.0, 0.0, 1.0, 1.0);
        c.fill_nonzero();
        pdf.stream(Ref::new(4), &c.finish());
        let _ = render_png(pdf.finish(), 72.0);
    })
}

/// Encodes a rendered page (opaque: painted on white) as an RGB PNG with fast compression: a
/// proof is looked at and thrown away, and the default compression took a fifth of the time.
/// The Up filter: a fifth faster than Sub on a page and a smaller file (measured on the example).
fn encode_png(mut img: hayro::vello_cpu::Pixmap) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    let (w, h) = (u32::from(img.width()), u32::from(img.height()));
    // Alpha dropped in place, pixel by pixel from the front (RGB pixel i never overwrites an
    // RGBA pixel not yet moved): no second page-sized buffer to touch (5 MB at 72 dpi); a
    // flat_map iterator here took a tenth of the proof.
    let buf = img.data_as_u8_slice_mut();
    let pixels = buf.len() / 4;
    for i in 0..pixels {
        buf.copy_within(4 * i..4 * i + 3, 3 * i);
    }
    let rgb = buf.get(..3 * pixels).unwrap_or_default();
    let mut png = Vec::with_capacity(rgb.len() / 4);
    image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Up,
    )
    .write_image(rgb, w, h, image::ExtendedColorType::Rgb8)
    .map_err(|e| Error::Pdf(format!("cannot encode PNG: {e}")))?;
    Ok(png)
}

/// A proof colour (CMYK, 0–1).
pub type Cmyk = [f32; 4];
const GRID: Cmyk = [0.35, 0.0, 0.0, 0.0];
const FRAME: Cmyk = [1.0, 0.0, 0.0, 0.0];
const PHOTO: Cmyk = [0.0, 0.0, 1.0, 0.0];
const OVERSET: Cmyk = [0.0, 1.0, 1.0, 0.0];

/// Adds the page's line grid (every fifth line), frame outlines and, on a story's last frame,
/// a red box when it is overset.
pub fn overlay(page: &mut Page, plan: &PagePlan, index: usize, stories: &[FlowedStory]) {
    let g = &plan.layout.grid;
    let (x0, x1) = (g.left.0, g.left.0 + g.width());
    for l in (1..=g.lines + 1).step_by(5) {
        let y = g.line_top(l);
        page.items.push(Item::Guide {
            rect: Rect {
                x: x0,
                y,
                w: x1 - x0,
                h: 0.0,
            },
            colour: GRID,
            width: 0.25,
        });
    }
    for c in 1..=g.columns {
        let x = g.column_x(c);
        let (top, bottom) = (g.line_top(1), g.line_top(g.lines + 1));
        for xx in [x, x + g.column_width()] {
            page.items.push(Item::Guide {
                rect: Rect {
                    x: xx,
                    y: top,
                    w: 0.0,
                    h: bottom - top,
                },
                colour: GRID,
                width: 0.25,
            });
        }
    }
    for p in &plan.photos {
        page.items.push(Item::Guide {
            rect: area_rect(g, &p.area),
            colour: PHOTO,
            width: 1.0,
        });
    }
    for s in stories {
        for (k, (pi, area)) in s.frames.iter().enumerate() {
            if *pi != index {
                continue;
            }
            let last = k + 1 == s.frames.len();
            let colour = if last && s.overset.is_some() {
                OVERSET
            } else {
                FRAME
            };
            page.items.push(Item::Guide {
                rect: area_rect(g, area),
                colour,
                width: if colour == OVERSET { 3.0 } else { 1.0 },
            });
        }
    }
}
