//! Compose: flowed stories, photos with captions, the running header (报眉) and column rules
//! → one `Page` in points, the type every back end reads.

use crate::error::Result;
use crate::flow::{area_rect, baseline, FlowedStory, LineRole, SetLine};
use crate::fonts::FontBook;
use crate::image::{load_photo, Photo};
use crate::linebreak::{break_display, break_lines, justify, sense, Measures};
use crate::model::{Fit, Layout, PagePlan};
use crate::segment::Words;
use crate::shape::class::normalize;
use crate::shape::{shape, Run};
use crate::units::Rect;
use std::sync::Arc;

/// A composed page: everything to draw, in points, origin at the trim's top-left, y down.
#[derive(Debug, Clone)]
pub struct Page {
    /// Trimmed width.
    pub width: f32,
    /// Trimmed height.
    pub height: f32,
    /// Bleed on every side.
    pub bleed: f32,
    /// 版次.
    pub number: u32,
    /// What to draw, in painting order.
    pub items: Vec<Item>,
    /// Effective resolution of each placed photo.
    pub photo_ppi: Vec<(std::path::PathBuf, f32)>,
    /// The slug line (plan file, 版次, date) set below the bleed, drawn with crop marks only.
    pub slug: Option<SetLine>,
}

/// One thing on the page.
#[derive(Debug, Clone)]
pub enum Item {
    /// A line of text.
    Text(SetLine),
    /// A photo drawn into `placed`, clipped to `frame`.
    Image {
        /// The photo.
        photo: Arc<Photo>,
        /// The visible area.
        frame: Rect,
        /// Where the whole picture is drawn (may exceed `frame` when cropped).
        placed: Rect,
    },
    /// A proof guide (grid, frame outline, overset mark) stroked in a CMYK colour; a rectangle,
    /// or a line when its width or height is zero. Never in a print PDF.
    Guide {
        /// The rectangle or line.
        rect: Rect,
        /// CMYK, 0–1.
        colour: [f32; 4],
        /// Stroke width in points.
        width: f32,
    },
    /// A straight rule in 100% black.
    Rule {
        /// Start (x, y).
        from: (f32, f32),
        /// End (x, y).
        to: (f32, f32),
        /// Stroke width in points.
        width: f32,
    },
}

/// Photos read once per build, however many pages place them.
#[derive(Default)]
pub struct Photos(std::sync::Mutex<std::collections::HashMap<std::path::PathBuf, Arc<Photo>>>);

impl Photos {
    /// The photo at `path`, read on first use.
    pub fn get(&self, path: &std::path::Path) -> Result<Arc<Photo>> {
        if let Some(p) = self.0.lock().ok().and_then(|m| m.get(path).cloned()) {
            return Ok(p);
        }
        let photo = Arc::new(load_photo(path)?);
        if let Ok(mut m) = self.0.lock() {
            m.insert(path.to_path_buf(), photo.clone());
        }
        Ok(photo)
    }
}

/// Rule weight of column rules (newspaper.md: at least 0.25 pt).
const RULE: f32 = 0.5;

/// Composes a page from its plan and its flowed stories.
pub fn compose(
    plan: &PagePlan,
    page: usize,
    paper: &str,
    flowed: &[FlowedStory],
    (book, photos, words): (&FontBook, &Photos, &Words),
) -> Result<Page> {
    let layout = &plan.layout;
    let mut items = Vec::new();
    header(plan, (paper, page), book, &mut items)?;
    let mut photo_ppi = Vec::new();
    for p in &plan.photos {
        let photo = photos.get(&p.file)?;
        let frame = area_rect(&layout.grid, &p.area);
        let caption_lines = caption(layout, p, (frame, page), (book, words), &mut items)?;
        let frame_lines = p.area.lines.1 - p.area.lines.0 + 1;
        if caption_lines >= frame_lines {
            // Drawn anyway, the caption would run out of its frame, over whatever is above.
            return Err(crate::error::Diagnostic::file(
                &plan.path,
                format!(
                    "the caption and credit of {} take {caption_lines} body lines; its frame \
                     ({}) has {frame_lines}, and the picture needs one",
                    p.file.display(),
                    p.area
                ),
            )
            .with_hint("shorten the caption or the credit, or make the photo's frame deeper")
            .into());
        }
        let pitch = layout.grid.pitch.0;
        let pic = Rect {
            h: (frame.h - caption_lines as f32 * pitch).max(pitch),
            ..frame
        };
        let placed = place_photo(&photo, pic, p.fit);
        photo_ppi.push((p.file.clone(), photo.ppi(placed.w, placed.h)));
        items.push(Item::Image {
            photo,
            frame: pic,
            placed,
        });
    }
    for placement in &plan.stories {
        if placement.boxed {
            box_rule(plan, &placement.area, &mut items);
        } else {
            rules(plan, &placement.area, &mut items);
        }
    }
    for story in flowed {
        items.extend(
            story
                .lines
                .iter()
                .filter(|l| l.page == page)
                .cloned()
                .map(Item::Text),
        );
    }
    Ok(Page {
        width: layout.page_width.0,
        height: layout.page_height.0,
        bleed: layout.bleed.0,
        number: plan.number,
        items,
        photo_ppi,
        slug: slug(plan, (paper, page), book)?,
    })
}

/// The slug line for proofs: plan file, page number, paper and date, in 6 pt, 12 pt below
/// the bleed, half an inch in from the left.
fn slug(plan: &PagePlan, (paper, page): (&str, usize), book: &FontBook) -> Result<Option<SetLine>> {
    let layout = &plan.layout;
    let style = layout.style("header");
    let face = book.id(&style.font).unwrap_or(0);
    let file = plan
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = format!(
        "{file}　第{}版　{paper}　{}　paiban",
        plan.number, plan.date
    );
    let at = (36.0, layout.page_height.0 + layout.bleed.0 + 12.0); // clear of the crop marks
    display_line(plan, &text, (face, 6.0), book).map(|d| {
        d.map(|(glyphs, _, text)| SetLine {
            page,
            x: at.0,
            baseline: at.1,
            glyphs,
            text,
            role: LineRole::Headline,
        })
    })
}

/// A line of display text: glyphs, set width, text.
type DisplayLine = (Vec<crate::linebreak::PlacedGlyph>, f32, Arc<str>);

/// Sets one unjustified line of display text (header, slug); returns its glyphs, width and
/// text, or nothing for empty text.
fn display_line(
    plan: &PagePlan,
    text: &str,
    (face, size): (crate::fonts::FaceId, f32),
    book: &FontBook,
) -> Result<Option<DisplayLine>> {
    let run = Run {
        text,
        face,
        size,
        keep: false,
    };
    let para =
        shape(&[run], 0.0, &plan.layout.text, book).map_err(|e| e.into_error(&plan.path, ""))?;
    let lines = break_display(
        &para,
        Measures {
            widths: &[f32::MAX / 4.0],
        },
    );
    Ok(lines.first().map(|l| {
        let (glyphs, w) = justify(&para, l);
        (glyphs, w, para.text.as_str().into())
    }))
}

/// Fill (crop) or fit a photo into a frame.
fn place_photo(photo: &Photo, frame: Rect, fit: Fit) -> Rect {
    let (iw, ih) = (photo.width as f32, photo.height as f32);
    let sx = frame.w / iw;
    let sy = frame.h / ih;
    let s = match fit {
        Fit::Fill => sx.max(sy),
        Fit::Fit => sx.min(sy),
    };
    let (w, h) = (iw * s, ih * s);
    Rect {
        x: frame.x + (frame.w - w) / 2.0,
        y: frame.y + (frame.h - h) / 2.0,
        w,
        h,
    }
}

/// The empty space (in body lines, at most one) between a frame and the nearest frame above
/// it and below it in its columns: rules are centred in it (issue 14).
fn gaps(plan: &PagePlan, f: &crate::model::GridArea) -> (f32, f32) {
    let g = &plan.layout.grid;
    let areas: Vec<&crate::model::GridArea> = plan
        .stories
        .iter()
        .map(|s| &s.area)
        .chain(plan.photos.iter().map(|p| &p.area))
        .filter(|a| a.columns.0 <= f.columns.1 && a.columns.1 >= f.columns.0)
        .collect();
    let taken = |line: u32| areas.iter().any(|a| a.lines.0 <= line && line <= a.lines.1);
    let above = if f.lines.0 > 1 && !taken(f.lines.0 - 1) {
        1.0
    } else {
        0.0
    };
    let below = if f.lines.1 < g.lines && !taken(f.lines.1 + 1) {
        1.0
    } else {
        0.0
    };
    (above, below)
}

/// A box rule (框) around a frame: along its left and right edges (the text keeps one
/// character inside, `flow::text_columns`), in the middle of the empty lines above and below
/// it; never outside the type area.
fn box_rule(plan: &PagePlan, f: &crate::model::GridArea, items: &mut Vec<Item>) {
    let g = &plan.layout.grid;
    let r = area_rect(g, f);
    let (above, below) = gaps(plan, f);
    let pitch = g.pitch.0;
    let (x0, x1) = (r.x, r.right());
    let y0 = r.y - above * pitch / 2.0;
    let y1 = r.bottom() + below * pitch / 2.0;
    for (from, to) in [
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x1, y1), (x0, y1)),
        ((x0, y1), (x0, y0)),
    ] {
        items.push(Item::Rule {
            from,
            to,
            width: RULE,
        });
    }
}

/// Column rules (栏线): right of a frame that does not reach the last column, in the middle of
/// the gutter, and under a frame that does not reach the last line, in the middle of the empty
/// line below it; the two meet, and reach the rules of the frames around.
fn rules(plan: &PagePlan, f: &crate::model::GridArea, items: &mut Vec<Item>) {
    let g = &plan.layout.grid;
    let r = area_rect(g, f);
    let pitch = g.pitch.0;
    let (above, below) = gaps(plan, f);
    let y0 = r.y - above * pitch / 2.0;
    let y1 = r.bottom() + below * pitch / 2.0;
    if f.columns.1 < g.columns {
        let x = r.right() + g.gutter_width() / 2.0;
        items.push(Item::Rule {
            from: (x, y0),
            to: (x, if f.lines.1 < g.lines { y1 } else { r.bottom() }),
            width: RULE,
        });
    }
    if f.lines.1 < g.lines {
        let x0 = if f.columns.0 > 1 {
            r.x - g.gutter_width() / 2.0
        } else {
            r.x
        };
        let x1 = if f.columns.1 < g.columns {
            r.right() + g.gutter_width() / 2.0
        } else {
            r.right()
        };
        items.push(Item::Rule {
            from: (x0, y1),
            to: (x1, y1),
            width: RULE,
        });
    }
}

/// The running header (报眉): 版次 and section left, paper and date right, over a rule.
fn header(
    plan: &PagePlan,
    (paper, page): (&str, usize),
    book: &FontBook,
    items: &mut Vec<Item>,
) -> Result<()> {
    let layout = &plan.layout;
    let g = &layout.grid;
    let style = layout.style("header");
    let face = book.id(&style.font).unwrap_or(0);
    let rule_y = g.top.0 - 0.6 * g.pitch.0;
    let base = rule_y - 0.4 * style.size.0;
    let left = format!("第{}版　{}", plan.number, plan.section);
    let date = crate::model::date::header_date(&plan.date);
    let right = [paper, date.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("　");
    for (text, align_right) in [(left, false), (right, true)] {
        if text.trim().is_empty() {
            continue;
        }
        if let Some((glyphs, w, text)) = display_line(plan, &text, (face, style.size.0), book)? {
            let x = if align_right {
                g.left.0 + g.width() - w
            } else {
                g.left.0
            };
            let role = LineRole::Headline;
            items.push(Item::Text(SetLine {
                page,
                x,
                baseline: base,
                glyphs,
                text,
                role,
            }));
        }
    }
    items.push(Item::Rule {
        from: (g.left.0, rule_y),
        to: (g.left.0 + g.width(), rule_y),
        width: 1.0,
    });
    Ok(())
}

/// Sets a caption (and credit) at the foot of a photo frame; returns the body lines it takes.
fn caption(
    layout: &Layout,
    photo: &crate::model::PhotoPlacement,
    (frame, page): (Rect, usize),
    (book, words): (&FontBook, &Words),
    items: &mut Vec<Item>,
) -> Result<u32> {
    let (caption, credit, path) = (&photo.caption, &photo.credit, &photo.file);
    let style = layout.style("caption");
    let cstyle = layout.style("credit");
    let face = book.id(&style.font).unwrap_or(0);
    let cface = book.id(&cstyle.font).unwrap_or(0);
    let lh = style.size.0 * style.leading;
    let pitch = layout.grid.pitch.0;
    let mut set: Vec<(SetLine, f32)> = Vec::new();
    for para_text in caption.split('\n').filter(|t| !t.trim().is_empty()) {
        let t = normalize(para_text.trim(), layout.text.fullwidth_ascii);
        let mut para = shape(
            &[Run {
                text: &t,
                face,
                size: style.size.0,
                keep: false,
            }],
            0.0,
            &layout.text,
            book,
        )
        .map_err(|e| e.into_error(path, ""))?;
        sense::mark(&mut para, words, 0);
        para.display_first_line = true;
        let text: Arc<str> = para.text.clone().into();
        for l in break_lines(&para, Measures { widths: &[frame.w] }) {
            let (glyphs, _) = justify(&para, &l);
            set.push((
                SetLine {
                    page,
                    x: frame.x,
                    baseline: 0.0,
                    glyphs,
                    text: text.clone(),
                    role: LineRole::Caption,
                },
                0.0,
            ));
        }
    }
    if !credit.trim().is_empty() {
        let t = normalize(credit.trim(), layout.text.fullwidth_ascii);
        let mut para = shape(
            &[Run {
                text: &t,
                face: cface,
                size: cstyle.size.0,
                keep: false,
            }],
            0.0,
            &layout.text,
            book,
        )
        .map_err(|e| e.into_error(path, ""))?;
        // A credit is a list of credits: it breaks only between them, as a byline does.
        let all = para.text.len();
        sense::mark(&mut para, words, all);
        let text: Arc<str> = para.text.clone().into();
        // Every line of a credit wider than its photo, each flush right.
        for l in break_display(&para, Measures { widths: &[frame.w] }) {
            let (glyphs, w) = justify(&para, &l);
            set.push((
                SetLine {
                    page,
                    x: frame.right() - w,
                    baseline: 0.0,
                    glyphs,
                    text: text.clone(),
                    role: LineRole::Caption,
                },
                w,
            ));
        }
    }
    if set.is_empty() {
        return Ok(0);
    }
    let height = set.len() as f32 * lh + 0.4 * pitch;
    let lines = (height / pitch - 0.05).ceil() as u32;
    // Directly under the picture (which ends `lines` body lines above the frame's foot), a
    // fifth of a line below it.
    let top = frame.bottom() - lines as f32 * pitch + 0.2 * pitch;
    for (k, (mut line, _)) in set.into_iter().enumerate() {
        line.baseline = baseline(lh, style.size.0, top + k as f32 * lh);
        items.push(Item::Text(line));
    }
    Ok(lines)
}
