//! What a PDF page uses, read from its resources and content streams: RGB or Lab colour,
//! transparency, the process inks its marks paint, and what would break PDF/X (fonts not
//! embedded, PostScript, transfer functions).
//!
//! Inks are followed through the colour operators to the marks painted with them (paths,
//! text, shadings, images, nested forms, patterns, Type 3 glyphs). What cannot be told is
//! said, not guessed: RGB and Lab colour (the plant's RIP converts it), spot colours, shadings
//! with sampled or PostScript functions, images whose samples cannot be read.

use hayro_write::hayro_syntax as hs;
use hs::content::ops::TypedInstruction as Op;
use hs::content::TypedIter;
use hs::object::{Array, Dict, Name, Number, Object, Stream};
use hs::page::{Page, Resources};
use std::collections::HashSet;

/// What the scan found.
#[derive(Debug, Default)]
pub(super) struct Findings {
    /// C, M, Y, K painted with a non-zero value.
    pub inks: [bool; 4],
    /// Why the inks cannot be told (the first reason met).
    pub unknown: Option<String>,
    /// RGB or Lab colour anywhere (also as a spot colour's alternate or an image's space).
    pub rgb: bool,
    /// Transparency anywhere.
    pub transparency: bool,
    /// The first thing that would break PDF/X.
    pub refused: Option<String>,
}

/// Nesting of forms, patterns and glyph procedures followed at most.
const MAX_DEPTH: usize = 12;
/// Content operators read at most, over the whole page.
const MAX_OPS: usize = 4_000_000;

/// Scans a page.
pub(super) fn scan(page: &Page) -> Findings {
    let mut s = Scanner::default();
    if is_transparency_group(page.raw()) {
        s.f.transparency = true;
    }
    s.resources(page.resources(), 0);
    if let Some(data) = page.page_stream() {
        s.content(data, page.resources(), State::default(), 0);
    }
    s.f
}

#[derive(Default)]
struct Scanner {
    f: Findings,
    ops: usize,
    /// Resource dictionaries already scanned (by where their bytes are).
    seen: HashSet<(usize, usize)>,
}

/// A colour space, as far as inks go.
#[derive(Debug, Clone)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// One ink per component (Separation: one; DeviceN: several).
    Inks(Vec<Ink>),
    /// A palette: the base space and its entries, one byte per component.
    Indexed(Box<Space>, Vec<u8>),
    Pattern,
    /// A space whose inks cannot be told, and why.
    Unknown(String),
}

/// What a Separation or DeviceN component prints with.
#[derive(Debug, Clone)]
enum Ink {
    Process(usize),
    All,
    Nothing,
    Spot(String),
}

/// A current colour: its space, components and pattern name.
#[derive(Debug, Clone)]
struct Colour {
    space: Space,
    comps: Vec<f32>,
    pattern: Option<Vec<u8>>,
    /// Inherited from outside (a Type 3 glyph's `d1` colour): counted where it is set.
    inherited: bool,
}

impl Colour {
    fn initial(space: Space) -> Colour {
        let comps = match &space {
            Space::Gray | Space::Rgb => vec![0.0],
            Space::Cmyk => vec![0.0, 0.0, 0.0, 1.0],
            Space::Inks(inks) => vec![1.0; inks.len()],
            _ => vec![0.0],
        };
        Colour {
            space,
            comps,
            pattern: None,
            inherited: false,
        }
    }

    fn device(space: Space, comps: &[Number]) -> Colour {
        Colour {
            space,
            comps: comps.iter().map(Number::as_f32).collect(),
            pattern: None,
            inherited: false,
        }
    }
}

/// The graphics state as far as inks go.
#[derive(Debug, Clone)]
struct State {
    fill: Colour,
    stroke: Colour,
    /// Text rendering mode (0 fill, 1 stroke, 2 both, 3 invisible; +4 clips too).
    render: i64,
}

impl Default for State {
    fn default() -> Self {
        State {
            fill: Colour::initial(Space::Gray),
            stroke: Colour::initial(Space::Gray),
            render: 0,
        }
    }
}

impl State {
    /// The state of a Type 3 glyph procedure: colours belong to the text that shows it.
    fn inherited() -> Self {
        let mut s = State::default();
        s.fill.inherited = true;
        s.stroke.inherited = true;
        s
    }
}

fn name_is(o: &Object, n: &[u8]) -> bool {
    matches!(o, Object::Name(x) if x.as_ref() == n)
}

/// A blend mode that is Normal (or Compatible), alone or first in an array.
fn is_normal_blend(o: &Object) -> bool {
    let normal = |o: &Object| name_is(o, b"Normal") || name_is(o, b"Compatible");
    match o {
        Object::Array(a) => a.iter::<Object>().next().is_some_and(|f| normal(&f)),
        other => normal(other),
    }
}

/// The dictionary of a dictionary or stream object.
fn dict_of<'a>(o: &Object<'a>) -> Option<Dict<'a>> {
    match o {
        Object::Dict(d) => Some(d.clone()),
        Object::Stream(s) => Some(s.dict().clone()),
        _ => None,
    }
}

fn is_transparency_group(d: &Dict) -> bool {
    d.get::<Dict>(b"Group").is_some_and(|g| {
        g.get::<Name>(b"S")
            .is_some_and(|s| s.as_ref() == b"Transparency")
    })
}

impl Scanner {
    fn unknown(&mut self, why: impl Into<String>) {
        if self.f.unknown.is_none() {
            self.f.unknown = Some(why.into());
        }
    }

    fn refuse(&mut self, what: String) {
        if self.f.refused.is_none() {
            self.f.refused = Some(what);
        }
    }

    fn add(&mut self, inks: Result<[bool; 4], String>) {
        match inks {
            Ok(i) => {
                for (used, ink) in self.f.inks.iter_mut().zip(i) {
                    *used |= ink;
                }
            }
            Err(why) => self.unknown(why),
        }
    }

    /// A resource dictionary: colour spaces, graphics states, fonts, XObjects, patterns and
    /// shadings, each scanned once for RGB, transparency and what PDF/X refuses.
    fn resources(&mut self, res: &Resources, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if self.first_time(&res.color_spaces) {
            for key in res.color_spaces.keys() {
                if let Some(cs) = res.color_spaces.get::<Object>(&*key) {
                    self.space(&cs, res, depth);
                }
            }
        }
        if self.first_time(&res.ext_g_states) {
            for key in res.ext_g_states.keys() {
                if let Some(gs) = res.ext_g_states.get::<Dict>(&*key) {
                    self.ext_g_state(&gs);
                }
            }
        }
        if self.first_time(&res.fonts) {
            for key in res.fonts.keys() {
                if let Some(font) = res.fonts.get::<Dict>(&*key) {
                    self.font(&font, res, depth);
                }
            }
        }
        if self.first_time(&res.x_objects) {
            for key in res.x_objects.keys() {
                if let Some(x) = res.x_objects.get::<Stream>(&*key) {
                    self.xobject_resources(&x, res, depth);
                }
            }
        }
        if self.first_time(&res.shadings) {
            for key in res.shadings.keys() {
                if let Some(cs) = res
                    .shadings
                    .get::<Object>(&*key)
                    .and_then(|o| dict_of(&o))
                    .and_then(|d| d.get::<Object>(b"ColorSpace"))
                {
                    self.space(&cs, res, depth);
                }
            }
        }
        if self.first_time(&res.patterns) {
            for key in res.patterns.keys() {
                let Some(p) = res.patterns.get::<Object>(&*key).and_then(|o| dict_of(&o)) else {
                    continue;
                };
                let shading = p.get::<Object>(b"Shading").and_then(|o| dict_of(&o));
                if let Some(cs) = shading.and_then(|d| d.get::<Object>(b"ColorSpace")) {
                    self.space(&cs, res, depth);
                }
                if let Some(r) = p.get::<Dict>(b"Resources") {
                    self.resources(&Resources::new(r), depth + 1);
                }
            }
        }
    }

    /// Whether a resource dictionary is met for the first time (forms share them).
    fn first_time(&mut self, d: &Dict) -> bool {
        let data = d.data();
        !d.is_empty() && self.seen.insert((data.as_ptr() as usize, data.len()))
    }

    fn ext_g_state(&mut self, gs: &Dict) {
        let soft_mask = gs
            .get::<Object>(b"SMask")
            .is_some_and(|o| !name_is(&o, b"None"));
        let alpha = [b"CA".as_slice(), b"ca"]
            .iter()
            .any(|k| gs.get::<f32>(k).is_some_and(|a| a < 1.0));
        let blend = gs
            .get::<Object>(b"BM")
            .is_some_and(|o| !is_normal_blend(&o));
        if soft_mask || alpha || blend {
            self.f.transparency = true;
        }
        // PDF/X (ISO 15930) forbids transfer functions other than the default.
        let tr2_default = gs
            .get::<Object>(b"TR2")
            .is_none_or(|o| name_is(&o, b"Default"));
        if gs.contains_key(b"TR") || !tr2_default {
            self.refuse(
                "a graphics state with a transfer function (TR), which PDF/X forbids".into(),
            );
        }
    }

    /// Fonts must be embedded (Type 3 glyphs are drawn by content: scanned as such).
    fn font(&mut self, font: &Dict, res: &Resources, depth: usize) {
        let subtype = font.get::<Name>(b"Subtype");
        let name = font
            .get::<Name>(b"BaseFont")
            .map(|n| n.as_str().to_string())
            .unwrap_or_else(|| "(unnamed)".into());
        match subtype.as_ref().map(|s| s.as_ref()) {
            Some(b"Type3") => {
                let own = font.get::<Dict>(b"Resources").map(Resources::new);
                let glyph_res = own.as_ref().unwrap_or(res);
                if let Some(r) = &own {
                    self.resources(r, depth + 1);
                }
                if let Some(procs) = font.get::<Dict>(b"CharProcs") {
                    for key in procs.keys() {
                        if let Some(data) =
                            procs.get::<Stream>(&*key).and_then(|s| s.decoded().ok())
                        {
                            self.content(&data, glyph_res, State::inherited(), depth + 1);
                        }
                    }
                }
            }
            Some(b"Type0") => {
                let descendant = font
                    .get::<Array>(b"DescendantFonts")
                    .and_then(|a| a.iter::<Dict>().next());
                if !descendant.as_ref().is_some_and(embedded) {
                    self.refuse(format!("font {name} is not embedded"));
                }
            }
            _ => {
                if !embedded(font) {
                    self.refuse(format!("font {name} is not embedded"));
                }
            }
        }
    }

    /// An XObject in a resource dictionary, used or not (it is carried either way): an image's
    /// colour space and soft mask, a form's group and resources, PostScript refused.
    fn xobject_resources(&mut self, x: &Stream, res: &Resources, depth: usize) {
        let d = x.dict();
        match d.get::<Name>(b"Subtype").as_ref().map(|s| s.as_ref()) {
            Some(b"Image") => {
                if d.contains_key(b"SMask") || d.get::<i32>(b"SMaskInData").is_some_and(|v| v > 0) {
                    self.f.transparency = true;
                }
                if let Some(cs) = d.get::<Object>(b"ColorSpace") {
                    self.space(&cs, res, depth);
                }
            }
            Some(b"Form") => {
                if is_transparency_group(d) {
                    self.f.transparency = true;
                }
                if let Some(r) = d.get::<Dict>(b"Resources") {
                    self.resources(&Resources::new(r), depth + 1);
                }
            }
            Some(b"PS") => self.refuse("a PostScript XObject, which PDF/X forbids".into()),
            _ => {}
        }
    }

    /// A colour space object (a name, an array, a resource name), RGB noted.
    fn space(&mut self, o: &Object, res: &Resources, depth: usize) -> Space {
        if depth > MAX_DEPTH {
            return Space::Unknown("colour spaces nested too deeply".into());
        }
        let space = match o {
            Object::Name(n) => match n.as_ref() {
                b"DeviceGray" | b"G" | b"CalGray" => Space::Gray,
                b"DeviceRGB" | b"RGB" => Space::Rgb,
                b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
                b"Pattern" => Space::Pattern,
                other => match res.color_spaces.get::<Object>(other) {
                    Some(named) => self.space(&named, res, depth + 1),
                    None => Space::Unknown(format!("an undefined colour space /{}", n.as_str())),
                },
            },
            Object::Array(a) => self.space_array(a, res, depth),
            _ => Space::Unknown("a malformed colour space".into()),
        };
        if matches!(space, Space::Rgb) {
            self.f.rgb = true;
        }
        space
    }

    fn space_array(&mut self, a: &Array, res: &Resources, depth: usize) -> Space {
        let mut items = a.iter::<Object>();
        let Some(Object::Name(family)) = items.next() else {
            return Space::Unknown("a malformed colour space".into());
        };
        match family.as_ref() {
            b"CalGray" | b"DeviceGray" => Space::Gray,
            b"CalRGB" | b"DeviceRGB" | b"Lab" => Space::Rgb,
            b"DeviceCMYK" => Space::Cmyk,
            b"ICCBased" => match items.next().and_then(|o| o.into_stream()) {
                Some(s) => match s.dict().get::<i32>(b"N") {
                    Some(1) => Space::Gray,
                    Some(3) => Space::Rgb,
                    Some(4) => Space::Cmyk,
                    _ => Space::Unknown("an ICC colour space of unusual size".into()),
                },
                None => Space::Unknown("a malformed ICC colour space".into()),
            },
            b"Indexed" | b"I" => {
                let base = items
                    .next()
                    .map(|b| self.space(&b, res, depth + 1))
                    .unwrap_or(Space::Unknown("a malformed indexed colour space".into()));
                let _hival = items.next();
                let palette = match items.next() {
                    Some(Object::String(s)) => s.as_bytes().to_vec(),
                    Some(Object::Stream(s)) => s.decoded().map(|d| d.to_vec()).unwrap_or_default(),
                    _ => Vec::new(),
                };
                Space::Indexed(Box::new(base), palette)
            }
            b"Separation" => {
                let ink = items.next().map(|n| ink_named(&n));
                if let Some(alt) = items.next() {
                    self.space(&alt, res, depth + 1);
                }
                Space::Inks(ink.into_iter().collect())
            }
            b"DeviceN" => {
                let inks = match items.next() {
                    Some(Object::Array(names)) => {
                        names.iter::<Object>().map(|n| ink_named(&n)).collect()
                    }
                    _ => Vec::new(),
                };
                if let Some(alt) = items.next() {
                    self.space(&alt, res, depth + 1);
                }
                Space::Inks(inks)
            }
            b"Pattern" => {
                if let Some(base) = items.next() {
                    self.space(&base, res, depth + 1);
                }
                Space::Pattern
            }
            other => Space::Unknown(format!("a {} colour space", String::from_utf8_lossy(other))),
        }
    }

    /// Walks a content stream, adding the inks of every mark it paints.
    fn content(&mut self, data: &[u8], res: &Resources, mut st: State, depth: usize) {
        if depth > MAX_DEPTH {
            self.unknown("forms or patterns nested too deeply to follow");
            return;
        }
        let mut stack = Vec::new();
        let mut ops = TypedIter::new(data);
        while let Some(op) = ops.next() {
            self.ops += 1;
            if self.ops > MAX_OPS {
                self.unknown("too many content operators to follow");
                return;
            }
            match op {
                Op::SaveState(_) => stack.push(st.clone()),
                Op::RestoreState(_) => st = stack.pop().unwrap_or(st),
                Op::ColorSpaceNonStroke(c) => {
                    st.fill = Colour::initial(self.space(&Object::Name(c.0.clone()), res, depth))
                }
                Op::ColorSpaceStroke(c) => {
                    st.stroke = Colour::initial(self.space(&Object::Name(c.0.clone()), res, depth))
                }
                Op::NonStrokeColorDeviceGray(g) => st.fill = Colour::device(Space::Gray, &[g.0]),
                Op::StrokeColorDeviceGray(g) => st.stroke = Colour::device(Space::Gray, &[g.0]),
                Op::NonStrokeColorDeviceRgb(c) => {
                    self.f.rgb = true;
                    st.fill = Colour::device(Space::Rgb, &[c.0, c.1, c.2]);
                }
                Op::StrokeColorDeviceRgb(c) => {
                    self.f.rgb = true;
                    st.stroke = Colour::device(Space::Rgb, &[c.0, c.1, c.2]);
                }
                Op::NonStrokeColorCmyk(c) => {
                    st.fill = Colour::device(Space::Cmyk, &[c.0, c.1, c.2, c.3])
                }
                Op::StrokeColorCmyk(c) => {
                    st.stroke = Colour::device(Space::Cmyk, &[c.0, c.1, c.2, c.3])
                }
                Op::NonStrokeColor(c) => set_comps(&mut st.fill, &c.0, None),
                Op::StrokeColor(c) => set_comps(&mut st.stroke, &c.0, None),
                Op::NonStrokeColorNamed(c) => set_comps(&mut st.fill, &c.0, c.1),
                Op::StrokeColorNamed(c) => set_comps(&mut st.stroke, &c.0, c.1),
                Op::TextRenderingMode(m) => st.render = m.0.as_i64(),
                Op::FillPathNonZero(_)
                | Op::FillPathNonZeroCompatibility(_)
                | Op::FillPathEvenOdd(_) => self.paint(&st.fill, res, depth),
                Op::StrokePath(_) | Op::CloseAndStrokePath(_) => self.paint(&st.stroke, res, depth),
                Op::FillAndStrokeNonZero(_)
                | Op::FillAndStrokeEvenOdd(_)
                | Op::CloseFillAndStrokeNonZero(_)
                | Op::CloseFillAndStrokeEvenOdd(_) => {
                    self.paint(&st.fill, res, depth);
                    self.paint(&st.stroke, res, depth);
                }
                Op::ShowText(_)
                | Op::ShowTexts(_)
                | Op::NextLineAndShowText(_)
                | Op::ShowTextWithParameters(_) => {
                    let mode = st.render % 4;
                    if matches!(mode, 0 | 2) {
                        self.paint(&st.fill, res, depth);
                    }
                    if matches!(mode, 1 | 2) {
                        self.paint(&st.stroke, res, depth);
                    }
                }
                Op::Shading(name) => match res.get_shading(name.0) {
                    Some(sh) => self.shading(&sh, res, depth),
                    None => self.unknown(format!("an undefined shading /{}", name.0.as_str())),
                },
                Op::XObject(name) => match res.get_x_object(name.0) {
                    Some(x) => self.xobject(&x, res, &st, depth),
                    None => self.unknown(format!("an undefined XObject /{}", name.0.as_str())),
                },
                Op::InlineImage(img) => self.image(img.0, res, &st, depth),
                _ => {}
            }
        }
    }

    /// A mark painted in `c`.
    fn paint(&mut self, c: &Colour, res: &Resources, depth: usize) {
        if c.inherited {
            return;
        }
        if !matches!(c.space, Space::Pattern) {
            let inks = inks_of(&c.space, &c.comps);
            self.add(inks);
            return;
        }
        let Some(name) = &c.pattern else {
            return self.unknown("a pattern colour without a pattern");
        };
        let Some(pattern) = Name::new(name).and_then(|n| res.get_pattern(&n)) else {
            return self.unknown("an undefined pattern");
        };
        let dict = match &pattern {
            Object::Dict(d) => d.clone(),
            Object::Stream(s) => s.dict().clone(),
            _ => return self.unknown("a malformed pattern"),
        };
        match (
            dict.get::<i32>(b"PatternType"),
            dict.get::<i32>(b"PaintType"),
        ) {
            (Some(2), _) => match dict.get::<Object>(b"Shading") {
                Some(sh) => self.shading(&sh, res, depth),
                None => self.unknown("a shading pattern without a shading"),
            },
            // An uncoloured tiling pattern: its cells in the colour given with it, in the
            // pattern space's base, which is not tracked.
            (Some(1), Some(2)) => self.unknown("an uncoloured tiling pattern"),
            (Some(1), _) => {
                let Object::Stream(s) = &pattern else {
                    return self.unknown("a malformed tiling pattern");
                };
                let own = dict.get::<Dict>(b"Resources").map(Resources::new);
                if let Some(r) = &own {
                    self.resources(r, depth + 1);
                }
                if let Ok(data) = s.decoded() {
                    self.content(
                        &data,
                        own.as_ref().unwrap_or(res),
                        State::default(),
                        depth + 1,
                    );
                }
            }
            _ => self.unknown("a malformed pattern"),
        }
    }

    /// A shading's inks: from its function's end colours (exponential functions, stitched or
    /// not); sampled and PostScript functions and mesh colours are not read.
    fn shading(&mut self, sh: &Object, res: &Resources, depth: usize) {
        let dict = match sh {
            Object::Dict(d) => d.clone(),
            Object::Stream(s) => s.dict().clone(),
            _ => return self.unknown("a malformed shading"),
        };
        let space = match dict.get::<Object>(b"ColorSpace") {
            Some(cs) => self.space(&cs, res, depth),
            None => return self.unknown("a shading without a colour space"),
        };
        match dict.get::<Object>(b"Function") {
            Some(f) => {
                let inks = function_inks(&f, &space, 0);
                self.add(inks);
            }
            None => self.unknown("a mesh shading (its colours are not read)"),
        }
    }

    /// A `Do`: an image's inks, a form's content in the current state.
    fn xobject(&mut self, x: &Stream, res: &Resources, st: &State, depth: usize) {
        let d = x.dict();
        match d.get::<Name>(b"Subtype").as_ref().map(|s| s.as_ref()) {
            Some(b"Image") => self.image(x, res, st, depth),
            Some(b"Form") => {
                let own = d.get::<Dict>(b"Resources").map(Resources::new);
                match x.decoded() {
                    Ok(data) => {
                        self.content(&data, own.as_ref().unwrap_or(res), st.clone(), depth + 1)
                    }
                    Err(_) => self.unknown("a form whose content cannot be read"),
                }
            }
            _ => {}
        }
    }

    /// An image's inks, from its samples (a stencil mask paints the fill colour).
    fn image(&mut self, img: &Stream, res: &Resources, st: &State, depth: usize) {
        let d = img.dict();
        let get =
            |long: &[u8], short: &[u8]| d.get::<Object>(long).or_else(|| d.get::<Object>(short));
        let mask = get(b"ImageMask", b"IM").is_some_and(|o| matches!(o, Object::Boolean(true)));
        if mask {
            return self.paint(&st.fill, res, depth);
        }
        if d.contains_key(b"SMask") {
            self.f.transparency = true;
        }
        let space = match get(b"ColorSpace", b"CS") {
            Some(cs) => self.space(&cs, res, depth),
            None => return self.unknown("an image without a colour space (JPEG 2000)"),
        };
        let number = |long: &[u8], short: &[u8]| {
            get(long, short)
                .and_then(|o| o.into_number())
                .map(|n| n.as_i64())
                .unwrap_or(0)
        };
        let (w, h) = (number(b"Width", b"W"), number(b"Height", b"H"));
        let bpc = number(b"BitsPerComponent", b"BPC");
        let decode_inverted = get(b"Decode", b"D").is_some_and(
            |o| matches!(o, Object::Array(a) if a.iter::<f32>().next().is_some_and(|v| v > 0.5)),
        );
        let n = match &space {
            Space::Gray | Space::Indexed(..) => 1,
            Space::Cmyk => 4,
            Space::Inks(inks) => inks.len(),
            Space::Rgb => return self.unknown("an RGB image (the plant's RIP converts it)"),
            Space::Pattern => return,
            Space::Unknown(why) => return self.unknown(why.clone()),
        };
        // The image's own size and layout, which the JPEG decoder needs (a JPEG's header may
        // disagree with its dictionary).
        let params = hs::object::stream::ImageDecodeParams {
            is_indexed: matches!(space, Space::Indexed(..)),
            bpc: u8::try_from(bpc).ok(),
            num_components: u8::try_from(n).ok(),
            width: u32::try_from(w).unwrap_or(0),
            height: u32::try_from(h).unwrap_or(0),
            ..Default::default()
        };
        let Ok(decoded) = img.decoded_image(&params) else {
            return self.unknown("an image whose samples cannot be read");
        };
        let data = decoded.data;
        let Some(seen) = sample_range(&data, (w, h), n, bpc) else {
            return self.unknown("an image whose samples cannot be read");
        };
        let inks = image_inks(&space, &seen, bpc, decode_inverted);
        self.add(inks);
    }
}

/// Sets a colour's components (`sc`, `scn`), and its pattern name.
fn set_comps(c: &mut Colour, comps: &[Number], pattern: Option<&Name>) {
    c.comps = comps.iter().map(Number::as_f32).collect();
    c.pattern = pattern.map(|n| n.as_ref().to_vec());
    c.inherited = false;
}

/// Whether a font dictionary (or CIDFont) has its program embedded.
fn embedded(font: &Dict) -> bool {
    font.get::<Dict>(b"FontDescriptor").is_some_and(|fd| {
        [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| fd.contains_key(k))
    })
}

/// What a Separation or DeviceN component name prints with.
fn ink_named(o: &Object) -> Ink {
    let Object::Name(n) = o else {
        return Ink::Spot("(unnamed)".into());
    };
    match n.as_ref() {
        b"Cyan" => Ink::Process(0),
        b"Magenta" => Ink::Process(1),
        b"Yellow" => Ink::Process(2),
        b"Black" => Ink::Process(3),
        b"All" => Ink::All,
        b"None" => Ink::Nothing,
        _ => Ink::Spot(n.as_str().to_string()),
    }
}

/// The inks of a colour in a space (components 0–1).
fn inks_of(space: &Space, comps: &[f32]) -> Result<[bool; 4], String> {
    let comp = |i: usize| comps.get(i).copied().unwrap_or(0.0);
    match space {
        Space::Gray => Ok([false, false, false, comp(0) < 1.0]),
        Space::Cmyk => Ok([comp(0) > 0.0, comp(1) > 0.0, comp(2) > 0.0, comp(3) > 0.0]),
        Space::Rgb => Err("RGB or Lab colour (the plant's RIP converts it)".into()),
        Space::Inks(inks) => {
            let mut out = [false; 4];
            for (i, ink) in inks.iter().enumerate() {
                if comp(i) <= 0.0 {
                    continue;
                }
                match ink {
                    Ink::Process(p) => {
                        if let Some(o) = out.get_mut(*p) {
                            *o = true;
                        }
                    }
                    Ink::All => out = [true; 4],
                    Ink::Nothing => {}
                    Ink::Spot(name) => return Err(format!("a spot colour /{name}")),
                }
            }
            Ok(out)
        }
        Space::Indexed(base, palette) => {
            let n = match base.as_ref() {
                Space::Gray => 1,
                Space::Cmyk => 4,
                Space::Inks(inks) => inks.len(),
                other => return inks_of(other, &[]),
            };
            let i = comp(0).max(0.0) as usize;
            let entry: Vec<f32> = (0..n)
                .map(|k| {
                    palette
                        .get(i * n + k)
                        .map_or(0.0, |b| f32::from(*b) / 255.0)
                })
                .collect();
            inks_of(base, &entry)
        }
        Space::Pattern => Err("a pattern".into()),
        Space::Unknown(why) => Err(why.clone()),
    }
}

/// The inks a shading function can give: the union of its end colours (exponential), or of
/// its parts' (stitching).
fn function_inks(f: &Object, space: &Space, depth: usize) -> Result<[bool; 4], String> {
    let dict = match f {
        Object::Dict(d) => d.clone(),
        Object::Stream(s) => s.dict().clone(),
        Object::Array(a) => {
            // One function per component: each end of each.
            let mut out = [false; 4];
            for part in a.iter::<Object>() {
                let i = function_inks(&part, space, depth + 1)?;
                for (o, v) in out.iter_mut().zip(i) {
                    *o |= v;
                }
            }
            return Ok(out);
        }
        _ => return Err("a malformed shading function".into()),
    };
    if depth > MAX_DEPTH {
        return Err("shading functions nested too deeply".into());
    }
    match dict.get::<i32>(b"FunctionType") {
        Some(2) => {
            let c0: Vec<f32> = dict.get::<Vec<f32>>(b"C0").unwrap_or_else(|| vec![0.0]);
            let c1: Vec<f32> = dict.get::<Vec<f32>>(b"C1").unwrap_or_else(|| vec![1.0]);
            let (a, b) = (inks_of(space, &c0)?, inks_of(space, &c1)?);
            Ok([a[0] | b[0], a[1] | b[1], a[2] | b[2], a[3] | b[3]])
        }
        Some(3) => {
            let mut out = [false; 4];
            for part in dict
                .get::<Array>(b"Functions")
                .iter()
                .flat_map(|a| a.iter::<Object>())
            {
                let i = function_inks(&part, space, depth + 1)?;
                for (o, v) in out.iter_mut().zip(i) {
                    *o |= v;
                }
            }
            Ok(out)
        }
        _ => Err("a shading with a sampled or PostScript function".into()),
    }
}

/// Per component: its smallest and largest sample, and for an indexed image which palette
/// entries appear. `None` when the data is shorter than the image.
struct Seen {
    min: Vec<u32>,
    max: Vec<u32>,
    indices: Vec<bool>,
}

fn sample_range(data: &[u8], (w, h): (i64, i64), n: usize, bpc: i64) -> Option<Seen> {
    if !matches!(bpc, 1 | 2 | 4 | 8 | 16) || w <= 0 || h <= 0 || n == 0 {
        return None;
    }
    let (w, h, bpc) = (w as usize, h as usize, bpc as usize);
    let row_bits = w.checked_mul(n)?.checked_mul(bpc)?;
    let row_bytes = row_bits.div_ceil(8);
    if data.len() < row_bytes.checked_mul(h)? {
        return None;
    }
    let mut seen = Seen {
        min: vec![u32::MAX; n],
        max: vec![0; n],
        indices: vec![false; 256],
    };
    for row in data.chunks(row_bytes).take(h) {
        for s in 0..w * n {
            let bit = s * bpc;
            let v = match bpc {
                8 => u32::from(*row.get(s)?),
                16 => u32::from(*row.get(2 * s)?) << 8 | u32::from(*row.get(2 * s + 1)?),
                _ => {
                    let byte = u32::from(*row.get(bit / 8)?);
                    (byte >> (8 - bpc - bit % 8)) & ((1 << bpc) - 1)
                }
            };
            let c = s % n;
            if let (Some(lo), Some(hi)) = (seen.min.get_mut(c), seen.max.get_mut(c)) {
                *lo = (*lo).min(v);
                *hi = (*hi).max(v);
            }
            if n == 1 {
                if let Some(i) = seen.indices.get_mut(v as usize) {
                    *i = true;
                }
            }
        }
    }
    Some(seen)
}

/// The inks an image's samples use.
fn image_inks(space: &Space, seen: &Seen, bpc: i64, inverted: bool) -> Result<[bool; 4], String> {
    let full = (1u32 << bpc) - 1;
    // Whether component c ever carries ink (a value above 0, after the Decode array).
    let inked = |c: usize| {
        let (lo, hi) = (
            seen.min.get(c).copied().unwrap_or(0),
            seen.max.get(c).copied().unwrap_or(0),
        );
        if inverted {
            lo < full
        } else {
            hi > 0
        }
    };
    match space {
        // Gray: ink where a sample is below white.
        Space::Gray => {
            let lo = seen.min.first().copied().unwrap_or(full);
            let hi = seen.max.first().copied().unwrap_or(0);
            Ok([
                false,
                false,
                false,
                if inverted { hi > 0 } else { lo < full },
            ])
        }
        Space::Cmyk => Ok([inked(0), inked(1), inked(2), inked(3)]),
        Space::Inks(_) => {
            let comps: Vec<f32> = (0..seen.max.len())
                .map(|c| if inked(c) { 1.0 } else { 0.0 })
                .collect();
            inks_of(space, &comps)
        }
        Space::Indexed(..) => {
            let mut out = [false; 4];
            for (i, _) in seen.indices.iter().enumerate().filter(|(_, used)| **used) {
                let v = inks_of(space, &[i as f32])?;
                for (o, x) in out.iter_mut().zip(v) {
                    *o |= x;
                }
            }
            Ok(out)
        }
        other => inks_of(other, &[]),
    }
}
