//! SVG art → a Form XObject: the source scanned for what is refused (text, images), the usvg
//! tree walked and written as PDF path operators in DeviceCMYK.

use super::{inks_of, rgb_to_cmyk, Art, ArtError, SvgFeature};
use crate::page::Cmyk;
use pdf_writer::types::{LineCapStyle, LineJoinStyle, OverprintMode};
use pdf_writer::{Chunk, Content, Filter, Finish, Name, Rect, Ref};
use std::path::Path;
use usvg::roxmltree;
use usvg::tiny_skia_path::{PathSegment, Transform};

/// SVG user units (CSS px at 96 dpi) to points.
const PT_PER_PX: f32 = 0.75;

/// Loads an SVG: parsed, checked, and its form written into a chunk of its own.
pub(super) fn load(path: &Path, data: &[u8], recolour: Option<Cmyk>) -> Result<Art, ArtError> {
    let malformed = |at, message: String| ArtError::MalformedSvg {
        path: path.to_path_buf(),
        at,
        message,
    };
    let text = std::str::from_utf8(data).map_err(|e| {
        malformed(
            None,
            format!("not UTF-8 text (byte {} is invalid)", e.valid_up_to()),
        )
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let xml = roxmltree::ParsingOptions {
        allow_dtd: true,
        // As usvg's own bound on elements: a file of millions of nodes is not a drawing.
        nodes_limit: 1_000_000,
        // No external entities: nothing is read from outside the file.
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, xml).map_err(|e| {
        let pos = e.pos();
        // The position is said once, before the message.
        let text = e.to_string();
        let suffix = format!(" at {}:{}", pos.row, pos.col);
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
        malformed(Some((pos.row, pos.col)), message)
    })?;
    let source = Source { path, doc: &doc };
    source.check_root()?;
    source.refuse_elements()?;
    let options = usvg::Options {
        // Images are refused above; nothing is read from disk or decoded here.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree =
        usvg::Tree::from_xmltree(&doc, &options).map_err(|e| malformed(None, e.to_string()))?;
    let size = tree.size();
    let (width, height) = (size.width() * PT_PER_PX, size.height() * PT_PER_PX);
    let mut writer = Writer {
        source: &source,
        content: Content::new(),
        recolour,
        inks: [false; 4],
        state: None,
    };
    // SVG user space (px, y down) → the form's space (pt, y up, origin at the lower left).
    writer.content.save_state();
    writer
        .content
        .transform([PT_PER_PX, 0.0, 0.0, -PT_PER_PX, 0.0, height]);
    writer.group(tree.root())?;
    writer.content.restore_state();
    let inks = writer.inks;
    let stream = writer.content.finish().into_vec();
    let (chunk, root) = form_chunk(&stream, width, height);
    Ok(Art {
        file: path.to_path_buf(),
        width,
        height,
        chunk,
        root,
        inks: Ok(inks),
        rgb: false,
        transparency: false,
    })
}

/// The form, its two overprint states (GS0: 100% K overprints; GS1: knocks out, as in the
/// page's content), numbered 1–3.
fn form_chunk(stream: &[u8], width: f32, height: f32) -> (Chunk, Ref) {
    let (root, overprint, knockout) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let mut chunk = Chunk::new();
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(stream, 6);
    let mut form = chunk.form_xobject(root, &compressed);
    form.filter(Filter::FlateDecode);
    form.bbox(Rect::new(0.0, 0.0, width, height));
    let mut res = form.resources();
    let mut states = res.ext_g_states();
    states.pair(Name(b"GS0"), overprint);
    states.pair(Name(b"GS1"), knockout);
    states.finish();
    res.finish();
    form.finish();
    chunk
        .ext_graphics(overprint)
        .overprint(true)
        .overprint_fill(true)
        .overprint_mode(OverprintMode::IgnoreZeroChannel);
    chunk
        .ext_graphics(knockout)
        .overprint(false)
        .overprint_fill(false);
    (chunk, root)
}

/// The parsed source, for checks and for finding elements' lines.
struct Source<'a, 'input> {
    path: &'a Path,
    doc: &'a roxmltree::Document<'input>,
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

impl Source<'_, '_> {
    fn refused(&self, node: Option<roxmltree::Node>, feature: SvgFeature) -> ArtError {
        ArtError::SvgFeature {
            path: self.path.to_path_buf(),
            at: node.map(|n| {
                let p = self.doc.text_pos_at(n.range().start);
                (p.row, p.col)
            }),
            feature,
        }
    }

    /// The root is `<svg>` and has a size: width and height, or a viewBox (usvg would
    /// silently make it 100 × 100 px).
    fn check_root(&self) -> Result<(), ArtError> {
        let root = self.doc.root_element();
        let here = || {
            let p = self.doc.text_pos_at(root.range().start);
            Some((p.row, p.col))
        };
        if root.tag_name().name() != "svg"
            || root.tag_name().namespace().is_some_and(|ns| ns != SVG_NS)
        {
            return Err(ArtError::NotArt {
                path: self.path.to_path_buf(),
                found: format!(
                    "XML whose root element is <{}>, not <svg>",
                    root.tag_name().name()
                ),
            });
        }
        let absolute = |a: &str| root.attribute(a).is_some_and(|v| !v.trim().ends_with('%'));
        if root.attribute("viewBox").is_none() && !(absolute("width") && absolute("height")) {
            return Err(ArtError::MalformedSvg {
                path: self.path.to_path_buf(),
                at: here(),
                message: "the SVG has no size: neither width and height nor a viewBox".into(),
            });
        }
        Ok(())
    }

    /// Elements refused wherever they are: text (art must not depend on the fonts of the machine that prints it), raster
    /// images, HTML.
    fn refuse_elements(&self) -> Result<(), ArtError> {
        for node in self.doc.descendants().filter(|n| n.is_element()) {
            let tag = node.tag_name();
            if tag.namespace().is_some_and(|ns| ns != SVG_NS) {
                continue;
            }
            let name = tag.name();
            let feature = match name {
                "text" | "tspan" | "textPath" | "tref" => SvgFeature::Text(name.into()),
                "image" | "feImage" => SvgFeature::Image(name.into()),
                "foreignObject" => SvgFeature::ForeignObject,
                _ => continue,
            };
            return Err(self.refused(Some(node), feature));
        }
        Ok(())
    }

    /// The element with this id, for a refusal's line and column.
    fn by_id(&self, id: &str) -> Option<roxmltree::Node<'_, '_>> {
        if id.is_empty() {
            return None;
        }
        self.doc
            .descendants()
            .find(|n| n.is_element() && n.attribute("id") == Some(id))
    }

    fn refused_id(&self, id: &str, feature: SvgFeature) -> ArtError {
        self.refused(self.by_id(id), feature)
    }
}

/// Writes the tree as content: the paths with their paint, groups as `q … Q` with their
/// transform and clip.
struct Writer<'a, 'b, 'input> {
    source: &'a Source<'b, 'input>,
    content: Content,
    recolour: Option<Cmyk>,
    inks: [bool; 4],
    /// The overprint state in force (GS0 or GS1), None before the first mark.
    state: Option<bool>,
}

impl Writer<'_, '_, '_> {
    fn group(&mut self, g: &usvg::Group) -> Result<(), ArtError> {
        self.check_group(g)?;
        let own = !g.transform().is_identity() || g.clip_path().is_some();
        if own {
            self.content.save_state();
            if !g.transform().is_identity() {
                self.content.transform(matrix(g.transform()));
            }
            if let Some(clip) = g.clip_path() {
                self.clip(clip)?;
            }
        }
        // Inside `q … Q` the overprint state set is undone by `Q`: remember what it was.
        let before = self.state;
        for node in g.children() {
            match node {
                usvg::Node::Group(inner) => self.group(inner)?,
                usvg::Node::Path(path) => self.path(path)?,
                usvg::Node::Image(image) => {
                    return Err(self
                        .source
                        .refused_id(image.id(), SvgFeature::Image("image".into())))
                }
                usvg::Node::Text(text) => {
                    return Err(self
                        .source
                        .refused_id(text.id(), SvgFeature::Text("text".into())))
                }
            }
        }
        if own {
            self.content.restore_state();
            self.state = before;
        }
        Ok(())
    }

    /// Filters, masks and transparency are refused.
    fn check_group(&self, g: &usvg::Group) -> Result<(), ArtError> {
        let s = self.source;
        if let Some(f) = g.filters().first() {
            return Err(s.refused_id(f.id(), SvgFeature::Filter(f.id().into())));
        }
        if let Some(m) = g.mask() {
            return Err(s.refused_id(m.id(), SvgFeature::Mask(m.id().into())));
        }
        if g.opacity().get() < 1.0 {
            let what = format!("opacity {}", g.opacity().get());
            return Err(s.refused_id(g.id(), SvgFeature::Transparency(what)));
        }
        if g.blend_mode() != usvg::BlendMode::Normal {
            let what = format!("mix-blend-mode {}", g.blend_mode());
            return Err(s.refused_id(g.id(), SvgFeature::Transparency(what)));
        }
        Ok(())
    }

    /// A clip path of one shape (in groups that only transform it): its outline, transformed
    /// into the group's space, as the clip. Anything else is refused.
    fn clip(&mut self, clip: &usvg::ClipPath) -> Result<(), ArtError> {
        let refuse = || {
            self.source
                .refused_id(clip.id(), SvgFeature::Clip(clip.id().into()))
        };
        if clip.clip_path().is_some() {
            return Err(refuse());
        }
        let mut shapes = Vec::new();
        collect_shapes(clip.root(), clip.transform(), &mut shapes).ok_or_else(refuse)?;
        let [(path, ts)] = shapes.as_slice() else {
            return Err(refuse());
        };
        let outline = path.data().clone().transform(*ts).ok_or_else(refuse)?;
        segments(&mut self.content, &outline);
        let even_odd = path
            .fill()
            .is_some_and(|f| f.rule() == usvg::FillRule::EvenOdd);
        if even_odd {
            self.content.clip_even_odd();
        } else {
            self.content.clip_nonzero();
        }
        self.content.end_path();
        Ok(())
    }

    fn path(&mut self, path: &usvg::Path) -> Result<(), ArtError> {
        if !path.is_visible() {
            return Ok(());
        }
        let fill = match path.fill() {
            Some(f) => Some((
                self.paint(path, f.paint(), f.opacity(), "fill-opacity")?,
                f.rule(),
            )),
            None => None,
        };
        let stroke = match path.stroke() {
            Some(s) => Some((
                self.paint(path, s.paint(), s.opacity(), "stroke-opacity")?,
                s,
            )),
            None => None,
        };
        let stroke_first = path.paint_order() == usvg::PaintOrder::StrokeAndFill;
        match (fill, stroke) {
            (None, None) => {}
            (Some((colour, rule)), None) => self.fill(path, colour, rule),
            (None, Some((colour, s))) => self.stroke(path, colour, s),
            // One operator (B) when both overprint alike and the fill goes first.
            (Some((fc, rule)), Some((sc, s)))
                if !stroke_first && overprints(fc) == overprints(sc) =>
            {
                self.set_state(overprints(fc));
                self.content
                    .set_fill_cmyk(fc.0[0], fc.0[1], fc.0[2], fc.0[3]);
                self.stroke_style(sc, s);
                segments(&mut self.content, path.data());
                if rule == usvg::FillRule::EvenOdd {
                    self.content.fill_even_odd_and_stroke();
                } else {
                    self.content.fill_nonzero_and_stroke();
                }
            }
            (Some((fc, rule)), Some((sc, s))) => {
                if stroke_first {
                    self.stroke(path, sc, s);
                    self.fill(path, fc, rule);
                } else {
                    self.fill(path, fc, rule);
                    self.stroke(path, sc, s);
                }
            }
        }
        Ok(())
    }

    fn fill(&mut self, path: &usvg::Path, c: Cmyk, rule: usvg::FillRule) {
        self.set_state(overprints(c));
        self.content.set_fill_cmyk(c.0[0], c.0[1], c.0[2], c.0[3]);
        segments(&mut self.content, path.data());
        if rule == usvg::FillRule::EvenOdd {
            self.content.fill_even_odd();
        } else {
            self.content.fill_nonzero();
        }
    }

    fn stroke(&mut self, path: &usvg::Path, c: Cmyk, s: &usvg::Stroke) {
        self.set_state(overprints(c));
        self.stroke_style(c, s);
        segments(&mut self.content, path.data());
        self.content.stroke();
    }

    /// Stroke colour, width, cap, join, miter limit and dashes (miter-clip, which PDF lacks,
    /// as miter).
    fn stroke_style(&mut self, c: Cmyk, s: &usvg::Stroke) {
        let content = &mut self.content;
        content.set_stroke_cmyk(c.0[0], c.0[1], c.0[2], c.0[3]);
        content.set_line_width(s.width().get());
        content.set_line_cap(match s.linecap() {
            usvg::LineCap::Butt => LineCapStyle::ButtCap,
            usvg::LineCap::Round => LineCapStyle::RoundCap,
            usvg::LineCap::Square => LineCapStyle::ProjectingSquareCap,
        });
        content.set_line_join(match s.linejoin() {
            usvg::LineJoin::Miter | usvg::LineJoin::MiterClip => LineJoinStyle::MiterJoin,
            usvg::LineJoin::Round => LineJoinStyle::RoundJoin,
            usvg::LineJoin::Bevel => LineJoinStyle::BevelJoin,
        });
        content.set_miter_limit(s.miterlimit().get());
        match s.dasharray() {
            Some(dashes) => content.set_dash_pattern(dashes.iter().copied(), s.dashoffset()),
            None => content.set_dash_pattern([], 0.0),
        };
    }

    /// A paint's CMYK (recoloured when asked, white kept), its inks noted; gradients,
    /// patterns and opacity refused.
    fn paint(
        &mut self,
        path: &usvg::Path,
        paint: &usvg::Paint,
        opacity: usvg::Opacity,
        property: &str,
    ) -> Result<Cmyk, ArtError> {
        let s = self.source;
        let colour = match paint {
            usvg::Paint::Color(c) => *c,
            usvg::Paint::LinearGradient(g) => {
                return Err(s.refused_id(g.id(), SvgFeature::Gradient(g.id().into())))
            }
            usvg::Paint::RadialGradient(g) => {
                return Err(s.refused_id(g.id(), SvgFeature::Gradient(g.id().into())))
            }
            usvg::Paint::Pattern(p) => {
                return Err(s.refused_id(p.id(), SvgFeature::Pattern(p.id().into())))
            }
        };
        if opacity.get() < 1.0 {
            let what = format!("{property} {}", opacity.get());
            return Err(s.refused_id(path.id(), SvgFeature::Transparency(what)));
        }
        let white = (colour.red, colour.green, colour.blue) == (255, 255, 255);
        let cmyk = match self.recolour {
            Some(c) if !white => c,
            _ => rgb_to_cmyk(colour.red, colour.green, colour.blue),
        };
        for (used, ink) in self.inks.iter_mut().zip(inks_of(cmyk)) {
            *used |= ink;
        }
        Ok(cmyk)
    }

    /// Switches between GS0 (overprint) and GS1 (knockout) when needed.
    fn set_state(&mut self, overprint: bool) {
        if self.state != Some(overprint) {
            self.content
                .set_parameters(Name(if overprint { b"GS0" } else { b"GS1" }));
            self.state = Some(overprint);
        }
    }
}

/// Only 100% K overprints (as type on the page does); every other colour knocks out.
fn overprints(c: Cmyk) -> bool {
    c == Cmyk::BLACK
}

/// The paths of a clip path with their transforms into the clip's user space, through groups
/// that only transform; `None` for anything else (a clip or mask inside, an image).
fn collect_shapes<'a>(
    g: &'a usvg::Group,
    ts: Transform,
    out: &mut Vec<(&'a usvg::Path, Transform)>,
) -> Option<()> {
    if g.clip_path().is_some() || g.mask().is_some() || !g.filters().is_empty() {
        return None;
    }
    let ts = ts.pre_concat(g.transform());
    for node in g.children() {
        match node {
            usvg::Node::Group(inner) => collect_shapes(inner, ts, out)?,
            usvg::Node::Path(p) => out.push((p, ts)),
            _ => return None,
        }
    }
    Some(())
}

/// A usvg transform as a PDF matrix `[a b c d e f]`.
fn matrix(t: Transform) -> [f32; 6] {
    [t.sx, t.ky, t.kx, t.sy, t.tx, t.ty]
}

/// A path's segments as PDF path operators (quadratic curves raised to cubic).
fn segments(c: &mut Content, path: &usvg::tiny_skia_path::Path) {
    let (mut last, mut start) = ((0.0, 0.0), (0.0, 0.0));
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(p) => {
                c.move_to(p.x, p.y);
                last = (p.x, p.y);
                start = last;
            }
            PathSegment::LineTo(p) => {
                c.line_to(p.x, p.y);
                last = (p.x, p.y);
            }
            PathSegment::QuadTo(q, p) => {
                let (x0, y0) = last;
                let c1 = (x0 + 2.0 / 3.0 * (q.x - x0), y0 + 2.0 / 3.0 * (q.y - y0));
                let c2 = (p.x + 2.0 / 3.0 * (q.x - p.x), p.y + 2.0 / 3.0 * (q.y - p.y));
                c.cubic_to(c1.0, c1.1, c2.0, c2.1, p.x, p.y);
                last = (p.x, p.y);
            }
            PathSegment::CubicTo(p1, p2, p) => {
                c.cubic_to(p1.x, p1.y, p2.x, p2.y, p.x, p.y);
                last = (p.x, p.y);
            }
            PathSegment::Close => {
                c.close_path();
                last = start;
            }
        }
    }
}
