//! Compose: flowed stories, photos with captions, the running header (报眉) and column rules
//! → one [`Page`] in points (`page`), the type every back end reads.

use crate::error::Result;
use crate::flow::{area_rect, baseline, FlowedStory, LineRole, SetLine};
use crate::fonts::FontBook;
use crate::image::meta::Captions;
use crate::image::{Photo, Photos};
use crate::linebreak::{break_lines, justify, sense, set_display, Measures};
use crate::locate::{at_key, at_text, clip};
use crate::model::{Edition, Fit, PagePlan};
use crate::page::{Cmyk, Direction, Item, Page, PhotoResolution, TextRun};
use crate::segment::Words;
use crate::shape::{shape, Run};
use crate::units::Rect;
use std::sync::Arc;

impl From<SetLine> for TextRun {
    /// A flowed line as a run of black type on the page.
    fn from(l: SetLine) -> Self {
        TextRun {
            x: l.x,
            baseline: l.baseline,
            glyphs: l.glyphs,
            text: l.text,
            role: l.role,
            colour: l.colour,
            direction: l.direction,
        }
    }
}

/// Rule weight of column rules (newspaper.md: at least 0.25 pt).
const RULE: f32 = 0.5;

/// Composes a page from its plan and its flowed stories.
pub fn compose(
    plan: &PagePlan,
    page: usize,
    edition: &Edition,
    flowed: &[FlowedStory],
    (book, photos, words): (&FontBook, &Photos, &Words),
) -> Result<Page> {
    let layout = &plan.layout;
    let furniture = crate::furniture::furnish(plan, (page, edition), (book, words))?;
    let crate::furniture::Furniture {
        under: mut items,
        boxes,
        over,
        ads,
    } = furniture;
    if plan.header && !plan.masthead {
        header(plan, edition, book, &mut items)?;
    }
    let mut photo_ppi = Vec::new();
    let mut meta_notes = Vec::new();
    for p in &plan.photos {
        let text = visual(
            plan,
            p,
            page,
            (book, photos, words),
            &mut items,
            &mut meta_notes,
        )?;
        photo_ppi.extend(text);
    }
    // A boxed or tinted frame's edges are its furniture's; the others are ruled.
    for (placement, edges) in plan.stories.iter().zip(boxes) {
        if placement.framed() {
            items.extend(edges);
        } else {
            rules(plan, &placement.area, &mut items);
        }
    }
    for story in flowed {
        within_frames(plan, page, story)?;
        for line in story.lines.iter().filter(|l| l.page == page) {
            let dots = emphasis_dots(line);
            items.push(Item::Text(line.clone().into()));
            items.extend(dots);
        }
    }
    items.extend(over);
    let mut composed = Page {
        width: layout.page_width.0,
        height: layout.page_height.0,
        bleed: layout.bleed.0,
        number: plan.number,
        items,
        photo_ppi,
        slug: slug(plan, edition, book)?,
        notes: Vec::new(),
        ads,
    };
    crate::furniture::check_ink(&composed, plan)?;
    let legibility = crate::furniture::check_legible(&composed, plan)?;
    composed.notes = crate::furniture::reversed_type_notes(&composed, plan, book);
    composed.notes.extend(legibility);
    composed
        .notes
        .extend(composed.ads.iter().flat_map(|a| a.notes.iter().cloned()));
    composed.notes.extend(meta_notes);
    Ok(composed)
}

/// A photo or graphic with its caption and credit (the plan's, else the photo's metadata's):
/// the caption set at the frame's foot, the picture in the rest. Returns the photo's
/// resolution as placed (none for a graphic); metadata problems go to `notes`.
fn visual(
    plan: &PagePlan,
    p: &crate::model::plan::PhotoPlacement,
    page: usize,
    (book, photos, words): (&FontBook, &Photos, &Words),
    items: &mut Vec<Item>,
    notes: &mut Vec<String>,
) -> Result<Option<PhotoResolution>> {
    let layout = &plan.layout;
    let no_meta = crate::image::meta::PhotoMeta::default();
    let frame = area_rect(&layout.grid, &p.area);
    // A caption or credit the plan leaves out comes from the photo's own metadata.
    let photo = (!p.graphic).then(|| photos.get(&p.file)).transpose()?;
    let meta = photo.as_ref().map_or(&no_meta, |ph| &ph.meta);
    let text = meta.captions(p.caption.as_deref(), p.credit.as_deref());
    if p.caption.is_none() || p.credit.is_none() {
        let name = p.file.display();
        notes.extend(meta.problems.iter().map(|e| format!("{name}: {e}")));
    }
    let caption_lines = caption(plan, p, &text, (frame, page), (book, words), items)?;
    let frame_lines = p.area.lines.1 - p.area.lines.0 + 1;
    if caption_lines >= frame_lines {
        // Drawn anyway, the caption would run out of its frame, over whatever is above.
        return Err(caption_at(
            plan,
            p,
            (&text, "caption"),
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
    clear_of_caption(plan, p, pic, frame)?;
    let caption_source = text.caption_source;
    let Some(photo) = photo else {
        items.push(graphic(p, pic)?);
        return Ok(None);
    };
    let placed = place_photo(&photo, pic, p.fit);
    let resolution = PhotoResolution {
        file: p.file.clone(),
        ppi: photo.ppi(placed.w, placed.h),
        caption_source,
    };
    items.push(Item::Image {
        photo,
        frame: pic,
        placed,
    });
    Ok(Some(resolution))
}

/// 着重号 under a line: a round dot a sixth of an em across, centred under each marked
/// character, below its em box (clreq), in the line's colour.
fn emphasis_dots(line: &SetLine) -> Vec<Item> {
    let size = line.glyphs.first().map_or(9.0, |g| g.size);
    let at = |c: f32| match line.direction {
        // clreq: in vertical text the dots stand right of the characters.
        Direction::Vertical => (line.x + 0.75 * size, line.baseline + c),
        Direction::Horizontal => (line.x + c, line.baseline + 0.25 * size),
    };
    line.dots
        .iter()
        .map(|cx| Item::Dots {
            from: at(*cx),
            to: at(*cx),
            diameter: size / 6.0,
            colour: line.colour,
        })
        .collect()
}

/// The slug line for proofs: plan file, page number, paper and date, in 6 pt, 12 pt below
/// the bleed, half an inch in from the left.
fn slug(plan: &PagePlan, edition: &Edition, book: &FontBook) -> Result<Option<TextRun>> {
    let layout = &plan.layout;
    let (face, _) = book.style_face(layout, "header")?;
    let file = plan
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut text = format!(
        "{file}　第{}版　{}　{}　paiban",
        plan.number, edition.paper, plan.date
    );
    // The advertisers of the page's ads, so a proof of it can be signed off ad by ad.
    let advertisers: Vec<&str> = plan
        .ads
        .iter()
        .map(|a| a.advertiser.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if !advertisers.is_empty() {
        text.push_str(&format!("　广告：{}", advertisers.join("、")));
    }
    let at = (36.0, layout.page_height.0 + layout.bleed.0 + 12.0); // clear of the crop marks
    let files = [plan.path.as_path(), edition.file.as_path()];
    display_line(plan, &files, &text, (face, 6.0), book).map(|d| {
        d.map(|(glyphs, _, text)| TextRun {
            x: at.0,
            baseline: at.1,
            glyphs,
            text,
            role: LineRole::Headline,
            colour: Cmyk::BLACK,
            direction: Direction::Horizontal,
        })
    })
}

/// A line of display text: glyphs, set width, text.
type DisplayLine = (Vec<crate::linebreak::PlacedGlyph>, f32, Arc<str>);

/// Sets one unjustified line of display text (header, slug); returns its glyphs, width and
/// text, or nothing for empty text.
fn display_line(
    plan: &PagePlan,
    files: &[&std::path::Path],
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
    let para = shape(&[run], 0.0, &plan.layout.text, book).map_err(|e| e.into_error_in(files))?;
    let first = set_display(&para, f32::MAX / 4.0).into_iter().next();
    Ok(first.map(|d| (d.glyphs, d.width, para.text.as_str().into())))
}

/// Refuses a `[[text]]` that reaches the caption and credit of photo `p` (under `pic`, within
/// `frame`): a text block may lie over the picture (压图题), never over its caption.
fn clear_of_caption(
    plan: &PagePlan,
    p: &crate::model::PhotoPlacement,
    pic: Rect,
    frame: Rect,
) -> Result<()> {
    let caption = Rect {
        y: pic.bottom(),
        h: frame.bottom() - pic.bottom(),
        ..frame
    };
    if caption.h <= 0.0 {
        return Ok(());
    }
    for t in &plan.texts {
        let r = area_rect(&plan.layout.grid, &t.area);
        let overlaps = r.x < caption.right()
            && caption.x < r.right()
            && r.y < caption.bottom()
            && caption.y < r.bottom();
        if overlaps {
            return Err(at_text(
                &plan.path,
                (&t.text, "text"),
                format!(
                    "the text block `{}` ({}) lies over the caption of {} (its last {})",
                    clip(&t.text, 12),
                    t.area,
                    p.file.display(),
                    crate::units::count(
                        (caption.h / plan.layout.grid.pitch.0).round() as usize,
                        "line"
                    )
                ),
            )
            .with_hint("a text block may lie over the picture, not its caption: move it up")
            .into());
        }
    }
    Ok(())
}

/// A `[[graphic]]`'s art, whole, as large as its picture area `pic` allows, centred in it.
fn graphic(p: &crate::model::PhotoPlacement, pic: Rect) -> Result<Item> {
    let art = Arc::new(crate::vector::load_art(&p.file, 1, None)?);
    let s = (pic.w / art.width.max(0.1)).min(pic.h / art.height.max(0.1));
    let (w, h) = (art.width * s, art.height * s);
    Ok(Item::Art {
        art,
        rect: Rect {
            x: pic.x + (pic.w - w) / 2.0,
            y: pic.y + (pic.h - h) / 2.0,
            w,
            h,
        },
        quarter_turns: 0,
    })
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

/// Column rules (栏线): right of a frame that does not reach the last column, in the middle of
/// the gutter, and under a frame that does not reach the last line, in the middle of the empty
/// line below it; the two meet, and reach the rules of the frames around.
fn rules(plan: &PagePlan, f: &crate::model::GridArea, items: &mut Vec<Item>) {
    let g = &plan.layout.grid;
    let r = area_rect(g, f);
    let pitch = g.pitch.0;
    let (above, below) = crate::furniture::gaps(plan, f);
    let y0 = r.y - above * pitch / 2.0;
    let y1 = r.bottom() + below * pitch / 2.0;
    if f.columns.1 < g.columns {
        let x = r.right() + g.gutter_width() / 2.0;
        items.push(Item::Rule {
            from: (x, y0),
            to: (x, if f.lines.1 < g.lines { y1 } else { r.bottom() }),
            width: RULE,
            colour: Cmyk::BLACK,
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
            colour: Cmyk::BLACK,
        });
    }
}

/// The running header (报眉): 版次 and section left, paper and date right, over a rule.
fn header(
    plan: &PagePlan,
    edition: &Edition,
    book: &FontBook,
    items: &mut Vec<Item>,
) -> Result<()> {
    let layout = &plan.layout;
    let g = &layout.grid;
    let style = layout.style("header");
    let (face, _) = book.style_face(layout, "header")?;
    let rule_y = g.top.0 - 0.6 * g.pitch.0;
    let base = rule_y - 0.4 * style.size.0;
    if base - style.size.0 < 0.0 {
        // Drawn anyway, the header would stand above the trim, cut off.
        return Err(at_key(
            &layout.source,
            "top",
            format!(
                "the running header needs {:.0} pt above the grid; the layout's top leaves {:.0} pt",
                0.6 * g.pitch.0 + 1.4 * style.size.0,
                g.top.0
            ),
        )
        .with_hint("give [page] top more room, or leave the header out with `header = false` in the plan")
        .into());
    }
    let left = format!("第{}版　{}", plan.number, plan.section);
    let date = crate::model::date::header_date(&plan.date);
    let right = [edition.paper.as_str(), date.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("　");
    let files = [plan.path.as_path(), edition.file.as_path()];
    let mut set = Vec::new();
    for (text, align_right) in [(left, false), (right, true)] {
        if text.trim().is_empty() {
            continue;
        }
        if let Some(line) = display_line(plan, &files, &text, (face, style.size.0), book)? {
            set.push((line, align_right));
        }
    }
    // Both halves, a character apart at least, within the type area's width.
    let need: f32 = set.iter().map(|((_, w, _), _)| w).sum::<f32>()
        + (set.len().saturating_sub(1)) as f32 * style.size.0;
    if need > g.width() + 0.5 {
        let texts: Vec<String> = set.iter().map(|((_, _, t), _)| clip(t, 24)).collect();
        let (key, file) = if plan.section.chars().count() >= edition.paper.chars().count() {
            ("section", plan.path.as_path())
        } else {
            ("paper", edition.file.as_path())
        };
        return Err(at_key(
            file,
            key,
            format!(
                "the running header ({}) needs {need:.0} pt; the type area is {:.0} pt wide",
                texts.join(" … "),
                g.width()
            ),
        )
        .with_hint("shorten the section, paper name or date")
        .into());
    }
    for ((glyphs, w, text), align_right) in set {
        let x = if align_right {
            g.left.0 + g.width() - w
        } else {
            g.left.0
        };
        items.push(Item::Text(TextRun {
            x,
            baseline: base,
            glyphs,
            text,
            role: LineRole::Headline,
            colour: style.colour,
            direction: Direction::Horizontal,
        }));
    }
    items.push(Item::Rule {
        from: (g.left.0, rule_y),
        to: (g.left.0 + g.width(), rule_y),
        width: 1.0,
        colour: Cmyk::BLACK,
    });
    Ok(())
}

/// Sets a caption (and credit) at the foot of a photo frame; returns the body lines it takes.
/// A line that would not fit the photo's width (an unbreakable credit) is an error.
fn caption(
    plan: &PagePlan,
    photo: &crate::model::PhotoPlacement,
    texts: &Captions,
    (frame, page): (Rect, usize),
    (book, words): (&FontBook, &Words),
    items: &mut Vec<Item>,
) -> Result<u32> {
    let layout = &plan.layout;
    let mut set = Vec::new();
    for text in texts.caption.split('\n').filter(|t| !t.trim().is_empty()) {
        let para = caption_para(plan, text, CaptionPart::Caption, (book, words))
            .map_err(|e| from_metadata(e, photo, texts.caption_source))?;
        let text: Arc<str> = para.text.clone().into();
        for l in break_lines(&para, Measures { widths: &[frame.w] }) {
            let (glyphs, _) = justify(&para, &l);
            let colour = layout.style("caption").colour;
            set.push(caption_line(&text, glyphs, (frame.x, page), colour));
        }
    }
    if !texts.credit.trim().is_empty() {
        let para = caption_para(plan, texts.credit, CaptionPart::Credit, (book, words))
            .map_err(|e| from_metadata(e, photo, texts.credit_source))?;
        let text: Arc<str> = para.text.clone().into();
        // Every line of a credit wider than its photo, each flush right.
        for d in set_display(&para, frame.w) {
            let colour = layout.style("credit").colour;
            set.push(caption_line(
                &text,
                d.glyphs,
                (frame.right() - d.width, page),
                colour,
            ));
        }
    }
    if set.is_empty() {
        return Ok(0);
    }
    within_photo(plan, (photo, texts), frame, &set)?;
    let style = layout.style("caption");
    let (lh, pitch) = (style.size.0 * style.leading, layout.grid.pitch.0);
    let height = set.len() as f32 * lh + 0.4 * pitch;
    let lines = (height / pitch - 0.05).ceil() as u32;
    // Directly under the picture (which ends `lines` body lines above the frame's foot), a
    // fifth of a line below it.
    let top = frame.bottom() - lines as f32 * pitch + 0.2 * pitch;
    for (k, mut line) in set.into_iter().enumerate() {
        line.baseline = baseline(lh, style.size.0, top + k as f32 * lh);
        items.push(Item::Text(line.into()));
    }
    Ok(lines)
}

/// The two parts of the text under a photo.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CaptionPart {
    /// 图片说明: the caption, in the `caption` style.
    Caption,
    /// The credit (`本报记者 朱江森 摄`), in the `credit` style.
    Credit,
}

/// A caption paragraph or a credit, shaped in its style and marked for breaks by sense (a
/// credit is a list of credits: it breaks only between them, as a byline does; a caption's
/// first line breaks as display text).
fn caption_para(
    plan: &PagePlan,
    text: &str,
    part: CaptionPart,
    (book, words): (&FontBook, &Words),
) -> Result<crate::shape::Para> {
    let layout = &plan.layout;
    let credit = part == CaptionPart::Credit;
    let style = if credit { "credit" } else { "caption" };
    let (face, size) = book.style_face(layout, style)?;
    let mut para = crate::shape::shape_text(text.trim(), (face, size), false, &layout.text, book)
        .map_err(|e| e.into_error_in(&[plan.path.as_path()]))?;
    if credit {
        let all = para.text.len();
        sense::mark(&mut para, words, all);
    } else {
        sense::mark(&mut para, words, 0);
        para.display_first_line = true;
    }
    Ok(para)
}

/// A caption or credit line at `x` on `page` (its baseline set when the block is placed).
fn caption_line(
    text: &Arc<str>,
    glyphs: Vec<crate::linebreak::PlacedGlyph>,
    (x, page): (f32, usize),
    colour: crate::model::Cmyk,
) -> SetLine {
    SetLine {
        page,
        x,
        baseline: 0.0,
        glyphs,
        text: text.clone(),
        role: LineRole::Caption,
        colour,
        dots: Vec::new(),
        direction: crate::model::Direction::Horizontal,
    }
}

/// Refuses a caption or credit line that reaches outside its photo's width (a credit that
/// cannot break where it would have to), naming the text and the photo at the plan's line.
fn within_photo(
    plan: &PagePlan,
    (photo, texts): (&crate::model::PhotoPlacement, &Captions),
    frame: Rect,
    set: &[SetLine],
) -> Result<()> {
    let Some(line) = set.iter().find(|l| {
        let (left, right) = ink_extent(l);
        l.x + left < frame.x - 0.5 || l.x + right > frame.right() + 0.5
    }) else {
        return Ok(());
    };
    let key = if texts.credit.contains(line.text.as_ref()) {
        "credit"
    } else {
        "caption"
    };
    let (left, right) = ink_extent(line);
    Err(caption_at(
        plan,
        photo,
        (texts, key),
        format!(
            "`{}` under {} needs {:.0} pt and cannot break; the photo is {:.0} pt wide",
            clip(&line.text, 24),
            photo.file.display(),
            right - left,
            frame.w
        ),
    )
    .with_hint("break the credit with a space between names, shorten it, or widen the photo")
    .into())
}

/// A diagnostic about a photo's caption or credit (`key`) at its text in the plan or, for a
/// text from the photo's metadata, at the photo's `file` line, saying so.
fn caption_at(
    plan: &PagePlan,
    photo: &crate::model::PhotoPlacement,
    (texts, key): (&Captions, &str),
    msg: String,
) -> crate::error::Diagnostic {
    let (text, source) = match key {
        "credit" => (texts.credit, texts.credit_source),
        _ => (texts.caption, texts.caption_source),
    };
    if source == "plan" {
        return at_text(&plan.path, (text, key), msg);
    }
    let name = photo.file.file_name().unwrap_or_default().to_string_lossy();
    at_text(
        &plan.path,
        (&name, "file"),
        format!(
            "{msg} (the {key} is the photo's {source} metadata; give `{key}` in the plan to \
             replace it)"
        ),
    )
}

/// A missing glyph in a caption or credit from a photo's metadata (`source` other than
/// `"plan"`) is reported at the photo, not at the plan.
fn from_metadata(
    e: crate::Error,
    photo: &crate::model::PhotoPlacement,
    source: &str,
) -> crate::Error {
    match e {
        crate::Error::MissingGlyph(d) if source != "plan" => crate::Error::MissingGlyph(Box::new(
            crate::error::Diagnostic::file(
                &photo.file,
                format!(
                    "{} in the caption or credit of its {source} metadata",
                    d.message
                ),
            )
            .with_hint(
                "give `caption` and `credit` in the page plan, or add a font that has it to \
                     the layout's [fonts]",
            ),
        )),
        e => e,
    }
}

/// Checks that every line of `story` on `page` lies inside one of the story's frames there and
/// clear of every photo: a line drawn across a column rule, another story or a picture is an
/// error, never a page. (Line breaking keeps lines in their measure; this is the guard that a
/// fault there cannot reach the plant.)
fn within_frames(plan: &PagePlan, page: usize, story: &FlowedStory) -> Result<()> {
    let g = &plan.layout.grid;
    let frames: Vec<(Rect, &crate::model::GridArea)> = story
        .frames
        .iter()
        .filter(|(p, _)| *p == page)
        .map(|(_, a)| (area_rect(g, a), a))
        .collect();
    let photos: Vec<Rect> = plan.photos.iter().map(|p| area_rect(g, &p.area)).collect();
    let hang = if plan.layout.text.hanging { 1.0 } else { 0.0 };
    for line in story.lines.iter().filter(|l| l.page == page) {
        let Some(size) = line.glyphs.iter().map(|g| g.size).reduce(f32::max) else {
            continue;
        };
        let (start, end) = ink_extent(line);
        let (left, right, top, bottom) = match line.direction {
            // A vertical line: its em boxes centred on `x`, its ink from `baseline` down.
            Direction::Vertical => (
                line.x - size / 2.0,
                line.x + size / 2.0,
                line.baseline + start,
                line.baseline + end,
            ),
            Direction::Horizontal => (
                line.x + start,
                line.x + end,
                line.baseline - 0.88 * size,
                line.baseline + 0.12 * size,
            ),
        };
        let inside = |r: &Rect| {
            left >= r.x - 0.5
                && right <= r.right() + 0.5 + hang * size
                && top >= r.y - 0.5
                && bottom <= r.bottom() + 0.5
        };
        let over_photo = |r: &Rect| {
            left < r.right() - 0.5
                && right > r.x + 0.5
                && top < r.bottom() - 0.5
                && bottom > r.y + 0.5
        };
        let fault = if !frames.iter().any(|(r, _)| inside(r)) {
            Some("runs outside its frame".to_string())
        } else {
            plan.photos
                .iter()
                .zip(&photos)
                .find(|(_, r)| over_photo(r))
                .map(|(p, _)| format!("runs over the photo {}", p.file.display()))
        };
        if let Some(fault) = fault {
            let text: String = line
                .glyphs
                .first()
                .zip(line.glyphs.last())
                .and_then(|(a, b)| line.text.get(a.start as usize..b.end as usize))
                .unwrap_or("")
                .to_string();
            let where_: Vec<String> = frames.iter().map(|(_, a)| a.to_string()).collect();
            return Err(crate::error::Diagnostic::file(
                &story.file,
                format!(
                    "the line `{}` on 第{}版 {fault} ({})",
                    clip(&text, 24),
                    plan.number,
                    where_.join(", ")
                ),
            )
            .with_hint("a token too long for the measure? break it, or widen the frame")
            .into());
        }
    }
    Ok(())
}

/// The horizontal extent of a line's ink, relative to its `x`. A full-width mark's advance is
/// half blank, and a compressed mark at a line's end (or an opening one at its start) has that
/// blank half outside the measure: a mark counts by its middle, a space (drawing nothing) by
/// its start, every other glyph by its whole advance.
fn ink_extent(line: &SetLine) -> (f32, f32) {
    use crate::shape::class::{class_of, is_squeezable, Class};
    let extent = |g: &crate::linebreak::PlacedGlyph| {
        let class = line
            .text
            .get(g.start as usize..)
            .and_then(|t| t.chars().next())
            .map(class_of);
        if matches!(class, Some(Class::Space | Class::IdeoSpace)) {
            (g.x, g.x)
        } else if class.is_some_and(|k| is_squeezable(k) || k == Class::MiddleDot) {
            let mid = g.x + g.advance / 2.0;
            (mid, mid)
        } else {
            (g.x, g.x + g.advance)
        }
    };
    let left = line
        .glyphs
        .iter()
        .map(|g| extent(g).0)
        .fold(f32::MAX, f32::min);
    let right = line
        .glyphs
        .iter()
        .map(|g| extent(g).1)
        .fold(f32::MIN, f32::max);
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example edition's page 1 and its lead story (which wraps around a photo).
    fn lead() -> (crate::pipeline::Typeset, usize) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let t = crate::pipeline::typeset(&root.join("input/jump")).unwrap();
        let k = t.stories.iter().position(|s| s.id == "jiaotong").unwrap();
        (t, k)
    }

    #[test]
    fn every_line_of_the_example_is_inside_its_frames() {
        let (t, _) = lead();
        for (page, plan) in t.edition.pages.iter().enumerate() {
            for s in &t.stories {
                within_frames(plan, page, s).unwrap();
            }
        }
    }

    #[test]
    fn a_line_out_of_its_frame_or_over_a_photo_is_refused() {
        let (t, k) = lead();
        let plan = &t.edition.pages[0];
        let mut story = t.stories[k].clone();
        // The body line reaching furthest right: in the frame's last column.
        let right = |l: &SetLine| l.x + ink_extent(l).1;
        let first = (0..story.lines.len())
            .filter(|&i| story.lines[i].page == 0 && story.lines[i].role == LineRole::Body)
            .max_by(|&a, &b| right(&story.lines[a]).total_cmp(&right(&story.lines[b])))
            .unwrap();
        // Pushed a few points right: across the column rule into the next story.
        story.lines[first].x += 6.0;
        let e = within_frames(plan, 0, &story).unwrap_err().to_string();
        assert!(
            e.contains("jiaotong.md") && e.contains("runs outside its frame"),
            "{e}"
        );
        assert!(e.contains("columns 1-4"), "{e}");
        // Moved onto the photo inside the story's frame (columns 3-4, lines 10-24).
        let mut story = t.stories[k].clone();
        let photo = area_rect(&plan.layout.grid, &plan.photos[0].area);
        let line = &mut story.lines[first];
        line.x = photo.x;
        line.baseline = photo.y + 20.0;
        let e = within_frames(plan, 0, &story).unwrap_err().to_string();
        assert!(e.contains("runs over the photo"), "{e}");
    }
}
