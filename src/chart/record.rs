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
        if style.color().alpha > 0.0 {
            self.push(Op::Line {
                from,
                to,
                paint: Paint::of(style.color()),
                width: style.stroke_width(),
            });
        }
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha > 0.0 {
            self.push(Op::Rect {
                from,
                to,
                paint: Paint::of(style.color()),
                width: style.stroke_width(),
                fill,
            });
        }
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha > 0.0 {
            let points: Vec<BackendCoord> = path.into_iter().collect();
            if points.len() > 1 {
                self.push(Op::Path {
                    points,
                    paint: Paint::of(style.color()),
                    width: style.stroke_width(),
                });
            }
        }
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha > 0.0 {
            self.push(Op::Circle {
                center,
                radius,
                paint: Paint::of(style.color()),
                width: style.stroke_width(),
                fill,
            });
        }
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha > 0.0 {
            self.push(Op::Polygon {
                points: vert.into_iter().collect(),
                paint: Paint::of(style.color()),
            });
        }
        Ok(())
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

fn points(out: &mut String, pts: &[BackendCoord]) {
    for (i, (x, y)) in pts.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{x},{y}");
    }
}

fn opacity(p: &Paint) -> String {
    if p.alpha >= 1.0 {
        String::new()
    } else {
        format!(" opacity=\"{:.3}\"", p.alpha)
    }
}

/// Writes the display list as a standalone SVG document of `size` pixels.
pub fn to_svg(ops: &[Op], (w, h): (u32, u32)) -> String {
    let mut s = String::with_capacity(64 * ops.len() + 256);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#
    );
    for op in ops {
        match op {
            Op::Line { from, to, paint, width } => {
                let _ = write!(
                    s,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{width}"{}/>"#,
                    from.0,
                    from.1,
                    to.0,
                    to.1,
                    paint.hex(),
                    opacity(paint)
                );
            }
            Op::Rect {
                from,
                to,
                paint,
                width,
                fill,
            } => {
                let (x, y) = (from.0.min(to.0), from.1.min(to.1));
                let (rw, rh) = ((to.0 - from.0).abs(), (to.1 - from.1).abs());
                if *fill {
                    let _ = write!(
                        s,
                        r#"<rect x="{x}" y="{y}" width="{rw}" height="{rh}" fill="{}"{}/>"#,
                        paint.hex(),
                        opacity(paint)
                    );
                } else {
                    let _ = write!(
                        s,
                        r#"<rect x="{x}" y="{y}" width="{rw}" height="{rh}" fill="none" stroke="{}" stroke-width="{width}"{}/>"#,
                        paint.hex(),
                        opacity(paint)
                    );
                }
            }
            Op::Path {
                points: pts,
                paint,
                width,
            } => {
                let _ = write!(
                    s,
                    r#"<polyline fill="none" stroke="{}" stroke-width="{width}"{} points=""#,
                    paint.hex(),
                    opacity(paint)
                );
                points(&mut s, pts);
                s.push_str("\"/>");
            }
            Op::Circle {
                center,
                radius,
                paint,
                width,
                fill,
            } => {
                let paint_attr = if *fill {
                    format!(r#"fill="{}""#, paint.hex())
                } else {
                    format!(r#"fill="none" stroke="{}" stroke-width="{width}""#, paint.hex())
                };
                let _ = write!(
                    s,
                    r#"<circle cx="{}" cy="{}" r="{radius}" {paint_attr}{}/>"#,
                    center.0,
                    center.1,
                    opacity(paint)
                );
            }
            Op::Polygon { points: pts, paint } => {
                let _ = write!(s, r#"<polygon fill="{}"{} points=""#, paint.hex(), opacity(paint));
                points(&mut s, pts);
                s.push_str("\"/>");
            }
            Op::Text {
                text,
                at,
                px,
                family,
                bold,
                align,
                baseline,
                rotate,
                paint,
            } => {
                let (anchor, dy) = (align.svg(), baseline.svg_dy());
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}" dy="{dy}" text-anchor="{anchor}" font-family=""#,
                    at.0, at.1
                );
                escape(&mut s, family);
                let _ = write!(s, r#"" font-size="{px:.1}" fill="{}"{}"#, paint.hex(), opacity(paint));
                if *bold {
                    s.push_str(r#" font-weight="bold""#);
                }
                if *rotate != 0 {
                    let _ = write!(s, r#" transform="rotate({rotate},{},{})""#, at.0, at.1);
                }
                s.push('>');
                escape(&mut s, text);
                s.push_str("</text>");
            }
        }
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
            svg.contains(r##"<polyline fill="none" stroke="#FF0000" stroke-width="2" points="0,0 10,10"/>"##),
            "{svg}"
        );
        assert!(svg.contains(r#"font-size="10.0""#), "{svg}");
    }

    #[test]
    fn text_is_measured_without_a_font_backend() {
        // 10 characters at size 12.4 → 10 px glyphs × 0.6 em = 60 px wide, 10 px high.
        assert_eq!(text_size("0123456789", 12.4), (60, 10));
    }
}
