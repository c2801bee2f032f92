//! A recording backend: each chart is drawn once, into a display list of shapes and text, which
//! is then written out as SVG (here) or replayed onto a canvas for PNG export (`src/ui`).
//!
//! Why not plotters' own SVG and canvas backends: every generic `draw` would be compiled once per
//! backend (twice the chart code in the wasm), and plotters' wasm text measurement appends a
//! styled `<span>` to the page for every label — a layout per label, and refused under a strict
//! Content-Security-Policy (`style-src 'self'`). Here text is measured arithmetically, so native
//! test output and the browser's are the same bytes.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};

/// Average advance of a sans-serif glyph, in ems (DejaVu Sans digits are 0.636 em, Arial's
/// 0.556; lower-case text averages about 0.55). 0.6 errs on the wide side so labels get room.
pub const EM_ADVANCE: f64 = 0.6;

/// Rendered font size in pixels for a plotters text size (the convention of plotters' SVG
/// backend, kept so sizes read the same: `font-size = size / 1.24`).
pub fn rendered_px(size: f64) -> f64 {
    size / 1.24
}

/// Estimated (width, height) in pixels of `text` at plotters size `size`.
pub fn text_size(text: &str, size: f64) -> (u32, u32) {
    let px = rendered_px(size);
    let chars = text.chars().count() as f64;
    ((chars * px * EM_ADVANCE).ceil() as u32, px.ceil() as u32)
}

/// A colour with opacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paint {
    /// Red, green, blue.
    pub rgb: (u8, u8, u8),
    /// Opacity 0–1.
    pub alpha: f64,
}

impl Paint {
    fn of(c: BackendColor) -> Paint {
        Paint {
            rgb: c.rgb,
            alpha: c.alpha,
        }
    }
    /// `#RRGGBB`.
    pub fn hex(&self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.rgb.0, self.rgb.1, self.rgb.2)
    }
}

/// A rectangle given by two opposite corners as (left, top, width, height).
pub fn rect_box(from: BackendCoord, to: BackendCoord) -> (i32, i32, i32, i32) {
    (
        from.0.min(to.0),
        from.1.min(to.1),
        (to.0 - from.0).abs(),
        (to.1 - from.1).abs(),
    )
}

/// Horizontal text anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text starts at x.
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

impl Align {
    /// SVG `text-anchor`.
    pub fn svg(self) -> &'static str {
        match self {
            Align::Start => "start",
            Align::Middle => "middle",
            Align::End => "end",
        }
    }
    /// Canvas `textAlign`.
    pub fn canvas(self) -> &'static str {
        match self {
            Align::Start => "start",
            Align::Middle => "center",
            Align::End => "end",
        }
    }
}

/// Vertical text anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// y is the top of the text.
    Top,
    /// y is the middle.
    Middle,
    /// y is the bottom.
    Bottom,
}

impl Baseline {
    /// SVG `dy` shift that puts the anchor where plotters' SVG backend put it.
    pub fn svg_dy(self) -> &'static str {
        match self {
            Baseline::Top => "0.76em",
            Baseline::Middle => "0.35em",
            Baseline::Bottom => "-0.3em",
        }
    }
    /// Canvas `textBaseline`.
    pub fn canvas(self) -> &'static str {
        match self {
            Baseline::Top => "top",
            Baseline::Middle => "middle",
            Baseline::Bottom => "bottom",
        }
    }
}

/// One recorded drawing operation, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// A straight line.
    Line {
        from: BackendCoord,
        to: BackendCoord,
        paint: Paint,
        width: u32,
    },
    /// A rectangle, filled or outlined.
    Rect {
        from: BackendCoord,
        to: BackendCoord,
        paint: Paint,
        width: u32,
        fill: bool,
    },
    /// An open polyline.
    Path {
        points: Vec<BackendCoord>,
        paint: Paint,
        width: u32,
    },
    /// A circle, filled or outlined.
    Circle {
        center: BackendCoord,
        radius: u32,
        paint: Paint,
        width: u32,
        fill: bool,
    },
    /// A filled polygon.
    Polygon { points: Vec<BackendCoord>, paint: Paint },
    /// Text.
    Text {
        /// The text (plain; escaped when written).
        text: String,
        /// Anchor point.
        at: BackendCoord,
        /// Font size in pixels.
        px: f64,
        /// CSS font family.
        family: String,
        /// Bold.
        bold: bool,
        /// Horizontal anchor.
        align: Align,
        /// Vertical anchor.
        baseline: Baseline,
        /// Rotation in degrees (0, 90, 180, 270).
        rotate: i32,
        /// Colour.
        paint: Paint,
    },
}

/// The recorder: a drawing backend of a given size that keeps every operation.
pub struct Recorder {
    size: (u32, u32),
    ops: Rc<RefCell<Vec<Op>>>,
}

impl Recorder {
    /// A recorder of `size` pixels and the shared list it writes into.
    pub fn new(size: (u32, u32)) -> (Recorder, Rc<RefCell<Vec<Op>>>) {
        let ops = Rc::new(RefCell::new(Vec::with_capacity(512)));
        (Recorder { size, ops: ops.clone() }, ops)
    }
    fn push(&self, op: Op) {
        self.ops.borrow_mut().push(op);
    }
    /// Records the op `make` builds from the style's paint and stroke width, unless the style
    /// is fully transparent (plotters draws those; they would only add invisible elements).
    fn push_visible<S: BackendStyle>(
        &self,
        style: &S,
        make: impl FnOnce(Paint, u32) -> Op,
    ) -> Result<(), DrawingErrorKind<std::convert::Infallible>> {
        if style.color().alpha > 0.0 {
            self.push(make(Paint::of(style.color()), style.stroke_width()));
        }
        Ok(())
    }
}

impl DrawingBackend for Recorder {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if color.alpha > 0.0 {
            self.push(Op::Rect {
                from: p,
                to: (p.0 + 1, p.1 + 1),
                paint: Paint::of(color),
                width: 0,
                fill: true,
            });
        }
        Ok(())
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.push_visible(style, |paint, width| Op::Line { from, to, paint, width })
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.push_visible(style, |paint, width| Op::Rect {
            from,
            to,
            paint,
            width,
            fill,
        })
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let points: Vec<BackendCoord> = path.into_iter().collect();
        if points.len() < 2 {
            return Ok(());
        }
        self.push_visible(style, |paint, width| Op::Path { points, paint, width })
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.push_visible(style, |paint, width| Op::Circle {
            center,
            radius,
            paint,
            width,
            fill,
        })
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.push_visible(style, |paint, _| Op::Polygon {
            points: vert.into_iter().collect(),
            paint,
        })
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        at: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let anchor = style.anchor();
        self.push(Op::Text {
            text: text.to_string(),
            at,
            px: rendered_px(style.size()),
            family: style.family().as_str().to_string(),
            bold: matches!(style.style(), FontStyle::Bold),
            align: match anchor.h_pos {
                HPos::Left => Align::Start,
                HPos::Center => Align::Middle,
                HPos::Right => Align::End,
            },
            baseline: match anchor.v_pos {
                VPos::Top => Baseline::Top,
                VPos::Center => Baseline::Middle,
                VPos::Bottom => Baseline::Bottom,
            },
            rotate: match style.transform() {
                FontTransform::Rotate90 => 90,
                FontTransform::Rotate180 => 180,
                FontTransform::Rotate270 => 270,
                _ => 0,
            },
            paint: Paint::of(style.color()),
        });
        Ok(())
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(text_size(text, style.size()))
    }
}

/// One SVG element of a written display list. Attribute names are fixed per kind of element
/// (`keys`, so the page can compare them by pointer); `values` match them, `None` = absent.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    /// Tag name.
    pub tag: &'static str,
    /// Attribute names.
    pub keys: &'static [&'static str],
    /// Attribute values, one per key.
    pub values: Vec<Option<String>>,
    /// Text content (plain; escaped when written).
    pub text: Option<String>,
    /// Child elements (a text group's `<text>`s).
    pub children: Vec<Element>,
}

impl Element {
    fn new(tag: &'static str, keys: &'static [&'static str], values: Vec<Option<String>>) -> Element {
        Element {
            tag,
            keys,
            values,
            text: None,
            children: Vec::new(),
        }
    }
    /// The value of attribute `key`, if set.
    pub fn attr(&self, key: &str) -> Option<&str> {
        let i = self.keys.iter().position(|k| *k == key)?;
        self.values.get(i)?.as_deref()
    }
}

const STROKES: &[&str] = &["fill", "stroke", "stroke-width", "opacity", "d"];
const RECT: &[&str] = &["x", "y", "width", "height", "fill", "stroke", "stroke-width", "opacity"];
const CIRCLE: &[&str] = &["cx", "cy", "r", "fill", "stroke", "stroke-width", "opacity"];
const POLYGON: &[&str] = &["fill", "opacity", "points"];
/// A lone text's attributes: its own position, then the style a group of texts shares.
#[rustfmt::skip]
const TEXT: &[&str] = &[
    "x", "y", "dy", "transform",
    "text-anchor", "font-family", "font-size", "fill", "opacity", "font-weight",
];
const TEXT_IN_GROUP: &[&str] = TEXT.split_at(4).0;
const TEXT_GROUP: &[&str] = TEXT.split_at(4).1;

fn opacity(p: &Paint) -> Option<String> {
    (p.alpha < 1.0).then(|| format!("{:.3}", p.alpha))
}

fn points(out: &mut String, pts: &[BackendCoord]) {
    for (i, (x, y)) in pts.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{x},{y}");
    }
}

/// Paint, fill and stroke attribute values of a shape: `(fill, stroke, stroke-width)`.
fn fill_stroke(paint: &Paint, width: u32, fill: bool) -> [Option<String>; 3] {
    if fill {
        [Some(paint.hex()), None, None]
    } else {
        [Some("none".into()), Some(paint.hex()), Some(width.to_string())]
    }
}

/// The style a run of texts can share in one `<g>`.
fn text_style(op: &Op) -> Option<(&str, f64, bool, Align, Paint)> {
    match op {
        Op::Text {
            family,
            px,
            bold,
            align,
            paint,
            ..
        } => Some((family.as_str(), *px, *bold, *align, *paint)),
        _ => None,
    }
}

/// The stroke a line or polyline draws with.
fn stroke_style(op: &Op) -> Option<(Paint, u32)> {
    match op {
        Op::Line { paint, width, .. } | Op::Path { paint, width, .. } => Some((*paint, *width)),
        _ => None,
    }
}

/// The display list as SVG elements, in drawing order. Runs of lines and polylines of one stroke
/// become one `<path>` (a dashed line is dozens of segments; a mesh, dozens of lines), and runs
/// of texts of one style share a `<g>` that carries the style: a chart is tens of elements, not
/// hundreds, which is what a page pays for when it builds and updates them.
pub fn elements(ops: &[Op]) -> Vec<Element> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        if let Some(stroke) = stroke_style(&ops[i]) {
            let mut d = String::new();
            while let Some(op) = ops.get(i).filter(|op| stroke_style(op) == Some(stroke)) {
                let (start, rest): (BackendCoord, &[BackendCoord]) = match op {
                    Op::Line { from, to, .. } => (*from, std::slice::from_ref(to)),
                    Op::Path { points, .. } => match points.split_first() {
                        Some((first, rest)) => (*first, rest),
                        None => ((0, 0), &[]),
                    },
                    _ => ((0, 0), &[]),
                };
                let _ = write!(d, "M{},{}", start.0, start.1);
                for (x, y) in rest {
                    let _ = write!(d, " {x},{y}");
                }
                i += 1;
            }
            let (paint, width) = stroke;
            out.push(Element::new(
                "path",
                STROKES,
                vec![
                    Some("none".into()),
                    Some(paint.hex()),
                    Some(width.to_string()),
                    opacity(&paint),
                    Some(d),
                ],
            ));
            continue;
        }
        if let Some(style) = text_style(&ops[i]) {
            let run = ops[i..].iter().take_while(|op| text_style(op) == Some(style)).count();
            let (family, px, bold, align, paint) = style;
            let shared = [
                Some(align.svg().to_string()),
                Some(family.to_string()),
                Some(format!("{px:.1}")),
                Some(paint.hex()),
                opacity(&paint),
                bold.then(|| "bold".to_string()),
            ];
            let own = |op: &Op| match op {
                Op::Text {
                    text,
                    at,
                    baseline,
                    rotate,
                    ..
                } => Some((
                    text.clone(),
                    [
                        Some(at.0.to_string()),
                        Some(at.1.to_string()),
                        Some(baseline.svg_dy().to_string()),
                        (*rotate != 0).then(|| format!("rotate({rotate},{},{})", at.0, at.1)),
                    ],
                )),
                _ => None,
            };
            if run == 1 {
                if let Some((text, own)) = own(&ops[i]) {
                    let mut e = Element::new("text", TEXT, own.into_iter().chain(shared).collect());
                    e.text = Some(text);
                    out.push(e);
                }
            } else {
                let mut g = Element::new("g", TEXT_GROUP, shared.into());
                g.children = ops[i..i + run]
                    .iter()
                    .filter_map(own)
                    .map(|(text, own)| {
                        let mut e = Element::new("text", TEXT_IN_GROUP, own.into());
                        e.text = Some(text);
                        e
                    })
                    .collect();
                out.push(g);
            }
            i += run;
            continue;
        }
        match &ops[i] {
            Op::Rect {
                from,
                to,
                paint,
                width,
                fill,
            } => {
                let (x, y, w, h) = rect_box(*from, *to);
                let [f, s, sw] = fill_stroke(paint, *width, *fill);
                out.push(Element::new(
                    "rect",
                    RECT,
                    vec![
                        Some(x.to_string()),
                        Some(y.to_string()),
                        Some(w.to_string()),
                        Some(h.to_string()),
                        f,
                        s,
                        sw,
                        opacity(paint),
                    ],
                ));
            }
            Op::Circle {
                center,
                radius,
                paint,
                width,
                fill,
            } => {
                let [f, s, sw] = fill_stroke(paint, *width, *fill);
                out.push(Element::new(
                    "circle",
                    CIRCLE,
                    vec![
                        Some(center.0.to_string()),
                        Some(center.1.to_string()),
                        Some(radius.to_string()),
                        f,
                        s,
                        sw,
                        opacity(paint),
                    ],
                ));
            }
            Op::Polygon { points: pts, paint } => {
                let mut p = String::with_capacity(pts.len() * 9);
                points(&mut p, pts);
                out.push(Element::new(
                    "polygon",
                    POLYGON,
                    vec![Some(paint.hex()), opacity(paint), Some(p)],
                ));
            }
            // Lines, polylines and texts were taken above.
            Op::Line { .. } | Op::Path { .. } | Op::Text { .. } => {}
        }
        i += 1;
    }
    out
}

/// `s` with the characters that mean markup in HTML and SVG written as entities: the one
/// escaper for text a reader controls (chart labels here, the first view in `prerender`).
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(&mut out, s);
    out
}

fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn write_element(s: &mut String, e: &Element) {
    s.push('<');
    s.push_str(e.tag);
    for (k, v) in e.keys.iter().zip(&e.values) {
        if let Some(v) = v {
            let _ = write!(s, " {k}=\"");
            escape(s, v);
            s.push('"');
        }
    }
    if e.text.is_none() && e.children.is_empty() {
        s.push_str("/>");
        return;
    }
    s.push('>');
    if let Some(t) = &e.text {
        escape(s, t);
    }
    for c in &e.children {
        write_element(s, c);
    }
    let _ = write!(s, "</{}>", e.tag);
}

/// Writes the display list as a standalone SVG document of `size` pixels (the same elements
/// the page shows).
pub fn to_svg(ops: &[Op], (w, h): (u32, u32)) -> String {
    let mut s = String::with_capacity(48 * ops.len() + 256);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#
    );
    for e in elements(ops) {
        write_element(&mut s, &e);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn records_and_writes_escaped_svg() {
        let (rec, ops) = Recorder::new((100, 50));
        let root = rec.into_drawing_area();
        root.fill(&WHITE).unwrap();
        root.draw(&Text::new("<b>&\"x\"", (5, 5), ("sans-serif", 12.4).into_font()))
            .unwrap();
        root.draw(&PathElement::new(vec![(0, 0), (10, 10)], Color::stroke_width(&RED, 2)))
            .unwrap();
        drop(root);
        let svg = to_svg(&ops.borrow(), (100, 50));
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50""#));
        assert!(svg.contains("&lt;b&gt;&amp;&quot;x&quot;"), "{svg}");
        assert!(!svg.contains("<b>"));
        assert!(
            svg.contains(r##"<path fill="none" stroke="#FF0000" stroke-width="2" d="M0,0 10,10"/>"##),
            "{svg}"
        );
        assert!(svg.contains(r#"font-size="10.0""#), "{svg}");
    }

    #[test]
    fn runs_of_one_stroke_and_one_text_style_share_an_element() {
        let grey = Paint {
            rgb: (1, 2, 3),
            alpha: 1.0,
        };
        let red = Paint {
            rgb: (255, 0, 0),
            alpha: 0.5,
        };
        let line = |x: i32, paint: Paint| Op::Line {
            from: (x, 0),
            to: (x, 9),
            paint,
            width: 1,
        };
        let text = |t: &str, x: i32, rotate: i32| Op::Text {
            text: t.into(),
            at: (x, 20),
            px: 10.0,
            family: "sans-serif".into(),
            bold: false,
            align: Align::Middle,
            baseline: Baseline::Top,
            rotate,
            paint: grey,
        };
        let ops = vec![
            line(1, grey),
            line(2, grey),
            Op::Path {
                points: vec![(0, 0), (5, 5), (9, 0)],
                paint: grey,
                width: 1,
            },
            line(3, red),
            text("a", 1, 0),
            text("b", 2, 90),
            line(4, grey),
            text("c", 3, 0),
        ];
        let els = elements(&ops);
        // grey path, red path, text group, grey path (drawing order kept), lone text.
        let tags: Vec<&str> = els.iter().map(|e| e.tag).collect();
        assert_eq!(tags, ["path", "path", "g", "path", "text"]);
        assert_eq!(els[0].attr("d"), Some("M1,0 1,9M2,0 2,9M0,0 5,5 9,0"));
        assert_eq!(els[1].attr("opacity"), Some("0.500"));
        assert_eq!(els[1].attr("stroke"), Some("#FF0000"));
        assert_eq!(els[2].attr("font-size"), Some("10.0"));
        assert_eq!(els[2].attr("text-anchor"), Some("middle"));
        assert_eq!(els[2].children.len(), 2);
        assert_eq!(els[2].children[1].attr("transform"), Some("rotate(90,2,20)"));
        assert_eq!(els[2].children[1].text.as_deref(), Some("b"));
        assert_eq!(els[4].attr("x"), Some("3"));
        assert_eq!(els[4].attr("font-family"), Some("sans-serif"));
        let svg = to_svg(&ops, (10, 10));
        assert!(
            svg.contains(
                r##"<g text-anchor="middle" font-family="sans-serif" font-size="10.0" fill="#010203"><text x="1" y="20" dy="0.76em">a</text>"##
            ),
            "{svg}"
        );
    }

    #[test]
    fn text_is_measured_without_a_font_backend() {
        // 10 characters at size 12.4 → 10 px glyphs × 0.6 em = 60 px wide, 10 px high.
        assert_eq!(text_size("0123456789", 12.4), (60, 10));
    }
}
