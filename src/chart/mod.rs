//! Charts: one module per chart (`memory`, `breakdown`, `speed`, `chinchilla`, `isoflop`), each
//! an implementation of [`Chart`]: a typed input taken from the scenario and its report (the
//! memo key of the drawing), its plain data, one `draw` generic over plotters'
//! `DrawingBackend`, and the figure's words — summary sentence, data table (the chart's text
//! alternative and CSV), hover read-out and current-value marker. The page (`ui::charts`), the
//! prerendered first view and the tests all go through that one trait; [`for_chart`] is the
//! one place a [`ChartId`] becomes a chart type.
//!
//! Charts are rendered to a display list (`record`), shown as SVG nodes (natively in tests, in
//! the browser on the page) and, for PNG export, replayed onto a canvas. Each `draw` returns
//! the chart's [`Geometry`] (plot rectangle and axis ranges in pixels and data units) so the
//! page can turn a pointer position into a data value for hover read-outs.
//! This module knows nothing of the browser (no web-sys, no yew).

pub mod advice;
pub mod breakdown;
pub mod cards;
pub mod chinchilla;
pub mod isoflop;
pub mod memory;
pub mod record;
pub mod serving;
pub mod speed;
pub mod table;
pub mod words;
pub mod working;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use record::{Op, Recorder};

use std::rc::Rc;

use crate::estimate::units::{ByteUnits, format_context};
use crate::estimate::{Report, Scenario};
use crate::share::ChartId;
pub use table::{Cell, Table};

/// A scenario and its report. Equal when the scenarios are equal (the report is derived from
/// the scenario), so it is a memo key that carries the evaluation without comparing it.
#[derive(Clone, Debug)]
pub struct Evaluated {
    /// The scenario.
    pub scenario: Scenario,
    /// Its report (`scenario.evaluate()`).
    pub report: Rc<Report>,
}

impl PartialEq for Evaluated {
    fn eq(&self, o: &Self) -> bool {
        self.scenario == o.scenario
    }
}

impl Evaluated {
    /// Evaluates a scenario.
    pub fn of(scenario: &Scenario) -> Evaluated {
        Evaluated {
            scenario: scenario.clone(),
            report: Rc::new(scenario.evaluate()),
        }
    }
}

/// What every chart is made from: the page's scenario (evaluated), the pinned one it is
/// compared with, and the byte units the reader chose.
#[derive(Clone, Debug, PartialEq)]
pub struct Sources {
    /// The current scenario and its report.
    pub now: Evaluated,
    /// The pinned scenario ("A") when comparing.
    pub compare: Option<Evaluated>,
    /// Byte units.
    pub units: ByteUnits,
}

impl Sources {
    /// The sources of one scenario, not comparing.
    pub fn of(scenario: &Scenario, units: ByteUnits) -> Sources {
        Sources {
            now: Evaluated::of(scenario),
            compare: None,
            units,
        }
    }
    /// The compared scenario as references.
    pub fn compare_refs(&self) -> Option<(&Scenario, &Report)> {
        self.compare.as_ref().map(|c| (&c.scenario, &*c.report))
    }
}

/// The scenario with its context set to 0: what the context charts' curves depend on (the
/// current context is a marker over them, so moving it redraws nothing).
pub fn without_context(s: &Scenario) -> Scenario {
    Scenario { ctx: 0, ..s.clone() }
}

/// The current value's marker over a chart: where, and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// Data x.
    pub x: f64,
    /// Data y, for a dot on the curve (none: a vertical line only).
    pub y: Option<f64>,
    /// Label.
    pub label: String,
}

/// One chart: everything the page, the prerender and the tests need from it, in one place.
///
/// The drawing reads only [`Chart::Input`] (so it is redrawn exactly when its input changes);
/// the words read the input and [`Chart::Now`] (what the reader is pointing at now, such as the
/// current context, which is a marker over a fixed chart, not part of the drawing).
pub trait Chart: 'static {
    /// Which chart.
    const ID: ChartId;
    /// A one-line definition under the heading, if the chart has one.
    const LEDE: Option<&'static str> = None;
    /// What the drawing reads, taken from the sources: the memo key of its data and drawing.
    type Input: Clone + PartialEq + std::fmt::Debug + 'static;
    /// What the words read besides the input (the memo key of the words, with the input).
    type Now: Clone + PartialEq + std::fmt::Debug + 'static;
    /// The plain data `draw` is fed.
    type Data: Clone + PartialEq + std::fmt::Debug + 'static;
    /// The input, from the sources.
    fn input(src: &Sources) -> Self::Input;
    /// What the words read besides, from the sources.
    fn now(src: &Sources) -> Self::Now;
    /// The data.
    fn data(i: &Self::Input) -> Self::Data;
    /// Draws the chart and returns its geometry.
    fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, d: &Self::Data, st: &Style) -> Result<Geometry, String>;
    /// The one-sentence lesson under the chart, with the current numbers.
    fn summary(i: &Self::Input, now: &Self::Now, d: &Self::Data) -> String;
    /// The data as a table (the chart's text alternative, and its CSV).
    fn table(i: &Self::Input, now: &Self::Now, d: &Self::Data) -> Table;
    /// What the chart says at data x (under the pointer).
    fn readout(i: &Self::Input, now: &Self::Now, d: &Self::Data, x: f64) -> String;
    /// The current value's marker, for charts that have one.
    fn marker(_i: &Self::Input, _now: &Self::Now, _d: &Self::Data) -> Option<Marker> {
        None
    }
}

/// Something to do with a chart type, chosen at run time by [`for_chart`] (Rust has no
/// generic closures).
pub trait ForChart {
    /// What it returns.
    type Out;
    /// Does it for chart `C`.
    fn run<C: Chart>(self) -> Self::Out;
}

/// Runs `v` for the chart `id` names: the one place an id becomes a chart type.
pub fn for_chart<V: ForChart>(id: ChartId, v: V) -> V::Out {
    match id {
        ChartId::Memory => v.run::<memory::Memory>(),
        ChartId::Breakdown => v.run::<breakdown::Breakdown>(),
        ChartId::Speed => v.run::<speed::Speed>(),
        ChartId::Serving => v.run::<serving::Serving>(),
        ChartId::Chinchilla => v.run::<chinchilla::Chinchilla>(),
        ChartId::Isoflop => v.run::<isoflop::Isoflop>(),
    }
}

/// A chart drawn from its sources, as an SVG string, with its data and geometry (tests, the
/// prerender and exports).
pub fn svg_of<C: Chart>(src: &Sources, style: &Style) -> Result<(String, C::Data, Geometry), String> {
    let d = C::data(&C::input(src));
    let (svg, g) = render_svg(style, |a| C::draw(a, &d, style))?;
    Ok((svg, d, g))
}

/// Colours of one theme (Okabe & Ito 2008 colour-blind-safe palette for the series).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    /// Page background behind the chart.
    pub background: RGBColor,
    /// Axis text and lines.
    pub text: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// Weights.
    pub weights: RGBColor,
    /// KV cache.
    pub kv: RGBColor,
    /// Transient / stored activations.
    pub activations: RGBColor,
    /// Gradients.
    pub gradients: RGBColor,
    /// Optimizer states.
    pub optimizer: RGBColor,
    /// Capacity lines and the comparison overlay.
    pub capacity: RGBColor,
    /// Markers (current value, crossovers).
    pub marker: RGBColor,
    /// Secondary lines (iso-FLOP, second fit).
    pub muted: RGBColor,
}

/// The light palette.
pub const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    text: RGBColor(34, 34, 34),
    grid: RGBColor(228, 228, 232),
    weights: RGBColor(0, 114, 178),
    kv: RGBColor(230, 159, 0),
    activations: RGBColor(0, 158, 115),
    gradients: RGBColor(213, 94, 0),
    optimizer: RGBColor(204, 121, 167),
    capacity: RGBColor(180, 30, 30),
    marker: RGBColor(70, 70, 80),
    muted: RGBColor(150, 150, 160),
};

/// The dark palette (lighter blue for weights; the rest of Okabe–Ito reads on dark).
pub const DARK: Palette = Palette {
    background: RGBColor(24, 26, 31),
    text: RGBColor(230, 230, 230),
    grid: RGBColor(52, 56, 64),
    weights: RGBColor(86, 180, 233),
    kv: RGBColor(230, 159, 0),
    activations: RGBColor(0, 190, 140),
    gradients: RGBColor(240, 120, 40),
    optimizer: RGBColor(220, 150, 190),
    capacity: RGBColor(255, 110, 110),
    marker: RGBColor(200, 200, 210),
    muted: RGBColor(120, 124, 134),
};

/// Size and theme of one rendering.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Colours.
    pub palette: Palette,
}

impl Style {
    /// The style a chart is drawn in at `width` pixels (clamped to 260 … 1,400): 330 px tall
    /// below 480 px wide (a phone's one column), 390 px otherwise.
    pub fn for_width(width: u32, palette: Palette) -> Style {
        Style {
            width: width.clamp(260, 1400),
            height: if width < 480 { 330 } else { 390 },
            palette,
        }
    }

    /// Font size (plotters units: rendered at size/1.24 px) for tick labels.
    pub fn tick_size(&self) -> f64 {
        if self.width < 480 { 14.0 } else { 15.5 }
    }
    /// Font size for axis titles and annotations.
    pub fn label_size(&self) -> f64 {
        if self.width < 480 { 15.0 } else { 17.0 }
    }
    /// True on narrow screens (fewer annotations).
    pub fn narrow(&self) -> bool {
        self.width < 480
    }
}

/// Where the plot rectangle is and what it spans, for pointer → value read-outs.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Geometry {
    /// Left edge of the plot area, pixels.
    pub left: i32,
    /// Right edge, pixels.
    pub right: i32,
    /// Top edge, pixels.
    pub top: i32,
    /// Bottom edge, pixels.
    pub bottom: i32,
    /// X value at the left edge.
    pub x_min: f64,
    /// X value at the right edge.
    pub x_max: f64,
    /// True when the x axis is logarithmic.
    pub x_log: bool,
    /// Y value at the bottom edge (data units: bytes, seconds, tokens, loss).
    pub y_min: f64,
    /// Y value at the top edge.
    pub y_max: f64,
    /// True when the y axis is logarithmic.
    pub y_log: bool,
    /// Pixel boxes (x0, y0, x1, y1) of labels inside the plot that the current-context marker
    /// line, drawn over the chart, must leave clear.
    pub label_boxes: [Option<(i32, i32, i32, i32)>; 2],
}

/// One axis of a chart: its range and whether it is logarithmic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    /// Value at the start (left or bottom).
    pub min: f64,
    /// Value at the end.
    pub max: f64,
    /// Logarithmic.
    pub log: bool,
}

impl Axis {
    /// A linear axis from `min` to `max`.
    pub fn linear(min: f64, max: f64) -> Axis {
        Axis { min, max, log: false }
    }
    /// A logarithmic axis from `min` to `max`.
    pub fn log(min: f64, max: f64) -> Axis {
        Axis { min, max, log: true }
    }
}

impl Geometry {
    /// The geometry of a plot area with pixel ranges `(xr, yr)` and the two axes.
    pub fn of(pixels: (std::ops::Range<i32>, std::ops::Range<i32>), x: Axis, y: Axis) -> Geometry {
        let (xr, yr) = pixels;
        Geometry {
            left: xr.start,
            right: xr.end,
            top: yr.start,
            bottom: yr.end,
            x_min: x.min,
            x_max: x.max,
            x_log: x.log,
            y_min: y.min,
            y_max: y.max,
            y_log: y.log,
            label_boxes: [None; 2],
        }
    }

    /// The pixel plotters draws the point (x, y) at: its chart builder maps each axis onto the
    /// plot's first to last pixel (y upwards), flooring away from the start (plotters'
    /// `coord/ranged1d/types/numeric.rs`); a label placed against this pixel sits where its
    /// dot is drawn, where [`Geometry::px_of`] may be a pixel or two off.
    pub fn drawn_at(&self, (x, y): (f64, f64)) -> (i32, i32) {
        let map = |v: f64, lo: f64, hi: f64, log: bool, (a, b): (i32, i32)| {
            let t = if log {
                (v.ln() - lo.ln()) / (hi.ln() - lo.ln())
            } else {
                (v - lo) / (hi - lo)
            };
            let len = f64::from(b - a);
            a + if len > 0.0 {
                (len * t + 1e-3).floor()
            } else {
                (len * t - 1e-3).ceil()
            } as i32
        };
        (
            map(x, self.x_min, self.x_max, self.x_log, (self.left, self.right - 1)),
            map(y, self.y_min, self.y_max, self.y_log, (self.bottom - 1, self.top)),
        )
    }

    /// The x value under pixel column `px`, clamped to the axis.
    pub fn x_at(&self, px: f64) -> f64 {
        let span = f64::from((self.right - self.left).max(1));
        let t = ((px - f64::from(self.left)) / span).clamp(0.0, 1.0);
        if self.x_log {
            (self.x_min.ln() + t * (self.x_max.ln() - self.x_min.ln())).exp()
        } else {
            self.x_min + t * (self.x_max - self.x_min)
        }
    }
    /// The pixel row of value `y`, clamped to the plot.
    pub fn py_of(&self, y: f64) -> f64 {
        let t = if self.y_log {
            (y.ln() - self.y_min.ln()) / (self.y_max.ln() - self.y_min.ln())
        } else {
            (y - self.y_min) / (self.y_max - self.y_min)
        };
        let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
        f64::from(self.bottom) - t * f64::from(self.bottom - self.top)
    }

    /// The pixel column of value `x`.
    pub fn px_of(&self, x: f64) -> f64 {
        let t = if self.x_log {
            (x.ln() - self.x_min.ln()) / (self.x_max.ln() - self.x_min.ln())
        } else {
            (x - self.x_min) / (self.x_max - self.x_min)
        };
        f64::from(self.left) + t.clamp(0.0, 1.0) * f64::from(self.right - self.left)
    }
}

/// The page's "current value" marker, drawn over a chart (so moving it does not redraw the
/// chart) and appended to exports: a vertical line at `x` with a label, or a dot at (x, y).
pub fn marker(g: &Geometry, st: &Style, x: f64, y: Option<f64>, label: &str) -> Vec<Op> {
    use record::{Align, Baseline, Paint};
    let c = st.palette.marker;
    let paint = Paint {
        rgb: (c.0, c.1, c.2),
        alpha: 1.0,
    };
    let px = g.px_of(x).round() as i32;
    let right = f64::from(px) > f64::from(g.left + g.right) * 0.6;
    let bg = st.palette.background;
    let plate = |from: (i32, i32), to: (i32, i32)| Op::Rect {
        from,
        to,
        paint: Paint {
            rgb: (bg.0, bg.1, bg.2),
            alpha: 0.85,
        },
        width: 0,
        fill: true,
    };
    let align = if right { Align::End } else { Align::Start };
    let nudge = if right { -6 } else { 6 };
    let text = |at: (i32, i32), baseline| Op::Text {
        text: label.to_string(),
        at,
        px: record::rendered_px(st.label_size() * 0.9),
        family: "sans-serif".to_string(),
        bold: false,
        align,
        baseline,
        rotate: 0,
        paint,
    };
    match y {
        None => {
            // The line runs top to bottom, broken where it would cross a label of the chart.
            let mut gaps: Vec<(i32, i32)> = g
                .label_boxes
                .iter()
                .flatten()
                .filter(|b| px >= b.0 - 2 && px <= b.2 + 2)
                .map(|b| (b.1 - 2, b.3 + 2))
                .collect();
            gaps.sort_unstable();
            let mut ops = Vec::new();
            let mut from = g.top;
            for (a, b) in gaps {
                if a > from {
                    ops.push(Op::Line {
                        from: (px, from),
                        to: (px, a.min(g.bottom)),
                        paint,
                        width: 2,
                    });
                }
                from = from.max(b);
            }
            if from < g.bottom {
                ops.push(Op::Line {
                    from: (px, from),
                    to: (px, g.bottom),
                    paint,
                    width: 2,
                });
            }
            // The marker's own label goes below a chart label it would cover at the top.
            let (tw, _) = record::text_size(label, st.label_size() * 0.9);
            let (x0, x1) = if right {
                (px + nudge - tw as i32, px + nudge)
            } else {
                (px + nudge, px + nudge + tw as i32)
            };
            let text_top = g
                .label_boxes
                .iter()
                .flatten()
                .filter(|b| b.1 <= g.top + 20 && x1 >= b.0 && x0 <= b.2)
                .map(|b| b.3 + 4)
                .fold(g.top + 4, i32::max);
            // On a plate of the background: a line of the chart under it (a limit, a curve)
            // never crosses the words.
            let (_, th) = record::text_size(label, st.label_size() * 0.9);
            ops.push(plate((x0 - 3, text_top - 1), (x1 + 3, text_top + th as i32 + 1)));
            ops.push(text((px + nudge, text_top), record::Baseline::Top));
            ops
        }
        Some(y) => {
            let py = g.py_of(y).round() as i32;
            let (tw, th) = record::text_size(label, st.label_size() * 0.9);
            let (x0, x1) = if right {
                (px + nudge - tw as i32, px + nudge)
            } else {
                (px + nudge, px + nudge + tw as i32)
            };
            vec![
                Op::Circle {
                    center: (px, py),
                    radius: 5,
                    paint,
                    width: 1,
                    fill: true,
                },
                plate((x0 - 3, py - 6 - th as i32 - 1), (x1 + 3, py - 5)),
                text((px + nudge, py - 6), Baseline::Bottom),
            ]
        }
    }
}

/// Draws with `draw` into a display list of the style's size.
pub fn render<F>(style: &Style, draw: F) -> Result<(Vec<Op>, Geometry), String>
where
    F: FnOnce(&DrawingArea<Recorder, Shift>) -> Result<Geometry, String>,
{
    let (recorder, ops) = Recorder::new((style.width, style.height));
    let geometry = {
        let root = recorder.into_drawing_area();
        // Every chart starts on its theme's background (the draws do not repeat it).
        root.fill(&style.palette.background).map_err(err)?;
        draw(&root)?
    };
    let ops = std::rc::Rc::try_unwrap(ops).map_or_else(|shared| shared.borrow().clone(), |cell| cell.into_inner());
    Ok((ops, geometry))
}

/// Draws with `draw` into an SVG document string.
pub fn render_svg<F>(style: &Style, draw: F) -> Result<(String, Geometry), String>
where
    F: FnOnce(&DrawingArea<Recorder, Shift>) -> Result<Geometry, String>,
{
    let (ops, geometry) = render(style, draw)?;
    Ok((record::to_svg(&ops, (style.width, style.height)), geometry))
}

/// Turns any plotters error into a message.
pub fn err<E: std::fmt::Display>(e: E) -> String {
    format!("chart could not be drawn: {e}")
}

/// The frame every chart uses: room for the legend above, label areas sized for the style.
pub fn frame<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    st: &Style,
    legend_h: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin_top(legend_h + 8)
        .margin_right(if st.narrow() { 20 } else { 24 })
        .margin_left(6)
        .x_label_area_size(if st.narrow() { 40 } else { 46 })
        .y_label_area_size(if st.narrow() { 48 } else { 60 });
    b
}

/// The charts' font: sans-serif at plotters size `size`. Named by variant, not by the string
/// "sans-serif", whose conversion lower-cases it and so links Unicode's case tables (11 KB).
pub fn font(size: f64) -> FontDesc<'static> {
    (FontFamily::SansSerif, size).into()
}

/// Themes a mesh: axis, grid and label colours and sizes. Only the labelled grid lines are
/// drawn: plotters' light lines between them (up to ten per label by default) were drawn in the
/// background colour, invisible, and cost 0.8 KB of the memory chart's 12.7 KB of SVG.
pub fn themed<'m, 'a, 'b, X, Y, DB>(
    m: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    st: &Style,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: DrawingBackend,
{
    let p = st.palette;
    let text = |size: f64| font(size).color(&p.text);
    m.axis_style(p.text)
        .bold_line_style(p.grid)
        .max_light_lines(0)
        .label_style(text(st.tick_size()))
        .axis_desc_style(text(st.label_size()))
}

/// The highest y among `points` (context, value) up to the trained context length: what a
/// context chart's y axis is scaled to (beyond it the curves run off the top).
pub fn peak_within_trained(points: impl IntoIterator<Item = (f64, f64)>, model_max: f64) -> f64 {
    let trained = model_max.max(1.0);
    points
        .into_iter()
        .filter(|p| p.0 <= trained)
        .map(|p| p.1)
        .fold(0.0, f64::max)
}

/// The pinned scenario's curve on a context chart: dashed, in the text colour, clipped at the top.
pub fn compare_line<'a, DB, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    points: impl Iterator<Item = (f64, f64)> + Clone,
    y_max: f64,
    st: &Style,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    chart
        .draw_series(DashedLineSeries::new(
            points.map(move |(x, y)| (x, y.min(y_max))),
            7,
            5,
            st.palette.text.stroke_width(2),
        ))
        .map_err(err)?;
    Ok(())
}

/// A line segment in pixels, from one point to the next.
pub type Segment = ((i32, i32), (i32, i32));

/// Shades the contexts beyond the model's trained length on a context chart, labelled when
/// `label` gives the drawn lines the label must not touch (see [`beyond_label`]).
pub fn beyond_trained<'a, DB, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    model_max: f64,
    (x_max, y_max): (f64, f64),
    st: &Style,
    label: Option<&[Segment]>,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    if model_max >= x_max {
        return Ok(());
    }
    let p = st.palette;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(model_max, 0.0), (x_max, y_max)],
            p.grid.mix(0.5).filled(),
        )))
        .map_err(err)?;
    if let Some(avoid) = label
        && let Some(b) = beyond_label(chart, model_max, (x_max, y_max), st, avoid)
    {
        let (anchor, vpos) = if b.top {
            ((x_max, y_max), VPos::Top)
        } else {
            ((x_max, 0.0), VPos::Bottom)
        };
        chart
            .plotting_area()
            .draw(
                &(EmptyElement::at(anchor)
                    + Text::new(
                        b.text,
                        b.offset,
                        font(b.size).color(&p.marker).pos(Pos::new(HPos::Right, vpos)),
                    )),
            )
            .map_err(err)?;
    }
    Ok(())
}

/// Where the "beyond the trained …" label goes.
struct BeyondLabel {
    text: String,
    /// In the top right corner (else the bottom right) of the shaded region.
    top: bool,
    /// Offset of its right edge and top (or bottom) from that corner, in pixels.
    offset: (i32, i32),
    size: f64,
    /// Its pixel box (x0, y0, x1, y1).
    bbox: (i32, i32, i32, i32),
}

/// The "beyond the trained …" label of a context chart, set horizontally in the top right
/// corner of the shaded region, where the curves have usually left the chart (clipped along
/// the top edge, above it); when a drawn line in `avoid` passes through that spot (a curve
/// still rising there), in the bottom right corner instead; `None` when the region is too
/// narrow for it or both spots are crossed.
fn beyond_label<DB, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    model_max: f64,
    (x_max, y_max): (f64, f64),
    st: &Style,
    avoid: &[Segment],
) -> Option<BeyondLabel>
where
    DB: DrawingBackend,
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    if model_max >= x_max {
        return None;
    }
    let text = format!("beyond the trained {}", format_context(model_max));
    let size = st.tick_size() * 0.9;
    let (w, h) = record::text_size(&text, size);
    let (w, h) = (w as i32, h as i32);
    let left = chart.backend_coord(&(model_max, y_max)).0;
    let (right, top) = chart.backend_coord(&(x_max, y_max));
    let bottom = chart.backend_coord(&(x_max, 0.0)).1;
    if right - left - 8 < w {
        return None;
    }
    let clear = |b: (i32, i32, i32, i32)| avoid.iter().all(|&(p, q)| !segment_hits_box(p, q, b));
    let at_top = (right - 4 - w, top + 4, right - 4, top + 4 + h);
    let at_bottom = (right - 4 - w, bottom - 4 - h, right - 4, bottom - 4);
    let label = |top: bool, bbox| BeyondLabel {
        text: text.clone(),
        top,
        offset: if top { (-4, 4) } else { (-4, -4) },
        size,
        bbox,
    };
    if clear(at_top) {
        Some(label(true, at_top))
    } else if clear(at_bottom) {
        Some(label(false, at_bottom))
    } else {
        None
    }
}

/// The pixel box (x0, y0, x1, y1) of the "beyond the trained …" label, if it is drawn (with
/// the same `avoid` as [`beyond_trained`]).
pub fn beyond_label_box<DB, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    model_max: f64,
    (x_max, y_max): (f64, f64),
    st: &Style,
    avoid: &[Segment],
) -> Option<(i32, i32, i32, i32)>
where
    DB: DrawingBackend,
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    beyond_label(chart, model_max, (x_max, y_max), st, avoid).map(|b| b.bbox)
}

/// The legend note of a curve that runs off the top: "↑ {value} at {x_max} tokens".
pub fn off_the_top(value: &str, x_max: f64) -> String {
    format!("↑ {value} at {} tokens", crate::estimate::units::format_count(x_max))
}

/// Tick positions for a logarithmic context axis: powers of two, at most `max_ticks` of them.
pub fn context_ticks(x_max: f64, max_ticks: usize) -> Vec<f64> {
    let top = x_max.log2().floor().max(0.0) as i32;
    let mut step = 1;
    while (top / step + 1) as usize > max_ticks.max(2) {
        step += 1;
    }
    // Prefer steps that land on 1k / 128k-style values.
    let step = [1, 2, 3, 4, 5, 6, 8, 10]
        .into_iter()
        .find(|&s| s >= step)
        .unwrap_or(step);
    (0..=top)
        .rev()
        .step_by(step as usize)
        .map(|e| 2f64.powi(e))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// Tick positions for a logarithmic count axis: powers of ten within [min, max].
pub fn decade_ticks(min: f64, max: f64) -> Vec<f64> {
    let lo = min.log10().ceil() as i32;
    let hi = max.log10().floor() as i32;
    (lo..=hi).map(|e| 10f64.powi(e)).collect()
}

/// A readable upper bound for a linear axis: 1, 2 or 5 × 10ⁿ above `v`.
pub fn nice_ceiling(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let e = v.log10().floor();
    let base = 10f64.powf(e);
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * base >= v {
            return m * base;
        }
    }
    10.0 * base
}

/// Formats a giga-unit axis value compactly: 0, 20, 40 or 0.5, 1.0, 1.5.
pub fn axis_number(v: f64, y_max: f64) -> String {
    if y_max >= 10.0 {
        format!("{v:.0}")
    } else if y_max >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Context samples: log-spaced from 1 to `x_max`, plus the points where the curves bend.
pub fn context_samples(x_max: f64, extra: &[f64]) -> Vec<f64> {
    let n = 72;
    let mut xs: Vec<f64> = (0..=n)
        .map(|i| (x_max.ln() * f64::from(i) / f64::from(n)).exp())
        .collect();
    xs.extend(
        extra
            .iter()
            .copied()
            .filter(|x| x.is_finite() && *x >= 1.0 && *x <= x_max),
    );
    xs.sort_by(f64::total_cmp);
    xs.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    xs
}

/// The x-axis end of the context charts: the context slider's own end (the `ctx` key's
/// maximum, 10⁷ tokens, from its one definition in `share::keys`). Fixed, so moving the slider
/// never rescales (or redraws) a chart, and the current-context marker sits where the slider's
/// thumb is. The y axes are scaled to the trained context length instead (see `memory::draw`,
/// `speed::draw`): beyond it the curves run off the top.
pub fn context_axis_max() -> f64 {
    crate::share::keys::CTX.slider_range().1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_ticks_are_powers_of_two() {
        let t = context_ticks(131_072.0, 8);
        assert!(t.len() <= 8 && t.len() >= 5, "{t:?}");
        assert_eq!(t.last().copied(), Some(131_072.0));
        assert!(t.iter().all(|v| v.log2().fract() == 0.0));
    }

    #[test]
    fn geometry_round_trips() {
        let g = Geometry {
            left: 50,
            right: 650,
            top: 10,
            bottom: 300,
            x_min: 1.0,
            x_max: 131_072.0,
            x_log: true,
            y_min: 0.0,
            y_max: 100.0,
            y_log: false,
            label_boxes: [None; 2],
        };
        assert_eq!(g.py_of(0.0), 300.0);
        assert_eq!(g.py_of(100.0), 10.0);
        for x in [1.0, 10.0, 4096.0, 131_072.0] {
            assert!((g.x_at(g.px_of(x)) / x - 1.0).abs() < 1e-9);
        }
        assert_eq!(g.x_at(-100.0), 1.0);
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(83.0), 100.0);
        assert_eq!(nice_ceiling(17.5), 20.0);
        assert_eq!(nice_ceiling(0.9), 1.0);
    }
}

/// Legend entries: filled swatches for series, dashed lines for the comparison and capacity.
pub struct LegendItems<'a> {
    /// Filled swatches.
    pub series: &'a [(&'a str, RGBColor)],
    /// The pinned scenario's dashed line.
    pub compare: Option<&'a str>,
    /// The capacity line.
    pub capacity: Option<&'a str>,
    /// A note set flush right after the entries, e.g. where a curve that runs off the top ends
    /// up ("↑ 1.21 TiB at 10M tokens").
    pub note: Option<&'a str>,
}

impl<'a> LegendItems<'a> {
    /// Swatches only: no compare line, capacity line or note.
    pub fn swatches(series: &'a [(&'a str, RGBColor)]) -> LegendItems<'a> {
        LegendItems {
            series,
            compare: None,
            capacity: None,
            note: None,
        }
    }
}

const LEGEND_ROW_PX: i32 = 20;

/// Where the legend's pieces go: each entry's left/centre point (in `series`, compare,
/// capacity order), the note's right/centre point, and the height the legend takes. Entries
/// wrap to new rows; the note ends the last row if it fits there, else it takes a row of its own.
struct LegendLayout {
    entries: Vec<(i32, i32)>,
    note: Option<(i32, i32)>,
    height: i32,
}

fn legend_layout(st: &Style, labels: &[&str], note: Option<&str>) -> LegendLayout {
    let size = st.tick_size();
    let (mut x, mut y) = (10i32, 12i32);
    let width = st.width as i32;
    let mut entries = Vec::with_capacity(labels.len());
    for label in labels {
        let (tw, _) = record::text_size(label, size);
        let w = 22 + tw as i32 + 14;
        if x + w > width - 6 && x > 10 {
            x = 10;
            y += LEGEND_ROW_PX;
        }
        entries.push((x, y));
        x += w;
    }
    let right = width - 10;
    let note = note.map(|n| {
        let (tw, _) = record::text_size(n, size);
        if x + tw as i32 > right {
            y += LEGEND_ROW_PX;
        }
        (right, y)
    });
    LegendLayout {
        entries,
        note,
        height: y + 14,
    }
}

impl LegendItems<'_> {
    fn labels(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.series.iter().map(|s| s.0).collect();
        v.extend(self.compare);
        v.extend(self.capacity);
        v
    }
    /// Pixels the legend takes at the top of the chart.
    pub fn height(&self, st: &Style) -> u32 {
        legend_layout(st, &self.labels(), self.note).height.max(0) as u32
    }
}

/// Draws the legend (wrapping) at the top of `area`.
pub fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    items: &LegendItems<'_>,
) -> Result<(), String> {
    let p = st.palette;
    let style = font(st.tick_size())
        .color(&p.text)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let labels = items.labels();
    let layout = legend_layout(st, &labels, items.note);
    if let (Some(note), Some(at)) = (items.note, layout.note) {
        area.draw(&Text::new(
            note.to_string(),
            at,
            font(st.tick_size())
                .color(&p.text)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(err)?;
    }
    let mut spots = layout.entries.into_iter();
    for (label, colour) in items.series {
        let Some((lx, ly)) = spots.next() else { break };
        area.draw(&Rectangle::new(
            [(lx, ly - 6), (lx + 16, ly + 6)],
            colour.mix(0.7).filled(),
        ))
        .map_err(err)?;
        area.draw(&Text::new(label.to_string(), (lx + 22, ly), style.clone()))
            .map_err(err)?;
    }
    for (label, colour) in [(items.compare, p.text), (items.capacity, p.capacity)] {
        if let Some(label) = label {
            let Some((lx, ly)) = spots.next() else { break };
            area.draw(&PathElement::new(vec![(lx, ly), (lx + 6, ly)], colour.stroke_width(2)))
                .map_err(err)?;
            area.draw(&PathElement::new(
                vec![(lx + 10, ly), (lx + 16, ly)],
                colour.stroke_width(2),
            ))
            .map_err(err)?;
            area.draw(&Text::new(label.to_string(), (lx + 22, ly), style.clone()))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// Pixel rectangles already taken by labels, and the drawn lines labels must keep clear of, to
/// skip a label that would overlap another or be crossed by a line.
#[derive(Default)]
pub struct Placed(Vec<(i32, i32, i32, i32)>, Vec<((i32, i32), (i32, i32))>);

/// Whether the segment `a`–`b` passes through the rectangle `r` (x0, y0, x1, y1), by clipping
/// the segment to the rectangle (Liang–Barsky).
pub fn segment_hits_box(a: (i32, i32), b: (i32, i32), r: (i32, i32, i32, i32)) -> bool {
    let (x0, y0) = (f64::from(a.0), f64::from(a.1));
    let (dx, dy) = (f64::from(b.0) - x0, f64::from(b.1) - y0);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, x0 - f64::from(r.0)),
        (dx, f64::from(r.2) - x0),
        (-dy, y0 - f64::from(r.1)),
        (dy, f64::from(r.3) - y0),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// The largest box a dot reserves (the current model's, 16 px): smaller than any name's.
pub const DOT_BOX_PX: i32 = 16;

/// The distance in pixels from point `p` to box `r` (0 inside it).
pub fn distance_to_box(p: (i32, i32), r: (i32, i32, i32, i32)) -> f64 {
    let dx = f64::from((r.0 - p.0).max(p.0 - r.2).max(0));
    let dy = f64::from((r.1 - p.1).max(p.1 - r.3).max(0));
    dx.hypot(dy)
}

impl Placed {
    /// The box `try_place` would reserve for `text` at `size` anchored at `at`.
    pub fn box_of(text: &str, size: f64, (x, y): (i32, i32), right: bool) -> (i32, i32, i32, i32) {
        let (w, h) = record::text_size(text, size);
        let (w, h) = (w as i32, h as i32);
        let x0 = if right { x - w } else { x };
        (x0, y - h / 2 - 1, x0 + w, y + h / 2 + 1)
    }
    /// Reserves the box of `text` at `size` anchored at `(x, y)` (left/centre or right/centre);
    /// false if it overlaps a reserved box, is crossed by a line to avoid, or leaves `bounds`.
    pub fn try_place(
        &mut self,
        text: &str,
        size: f64,
        (x, y): (i32, i32),
        right: bool,
        bounds: (i32, i32, i32, i32),
    ) -> bool {
        let r = Placed::box_of(text, size, (x, y), right);
        let inside = r.0 >= bounds.0 && r.2 <= bounds.2 && r.1 >= bounds.1 && r.3 <= bounds.3;
        let clear = self.0.iter().all(|o| r.2 < o.0 || r.0 > o.2 || r.3 < o.1 || r.1 > o.3)
            && self.1.iter().all(|&(a, b)| !segment_hits_box(a, b, r));
        if inside && clear {
            self.0.push(r);
        }
        inside && clear
    }
    /// Like `try_place`, but lines may pass under the box (the caller draws the label on a
    /// plate of the background colour, which hides them); returns the box.
    pub fn try_place_on_plate(
        &mut self,
        text: &str,
        size: f64,
        at: (i32, i32),
        right: bool,
        bounds: (i32, i32, i32, i32),
    ) -> Option<(i32, i32, i32, i32)> {
        let lines = std::mem::take(&mut self.1);
        let ok = self.try_place(text, size, at, right, bounds);
        self.1 = lines;
        ok.then(|| self.0[self.0.len() - 1])
    }
    /// True when the segment a–b crosses no reserved box but those holding an end (the dot it
    /// leaves, the label it reaches): a leader line may be drawn there.
    pub fn segment_clear(&self, a: (i32, i32), b: (i32, i32)) -> bool {
        let holds = |r: &(i32, i32, i32, i32), p: (i32, i32)| p.0 >= r.0 && p.0 <= r.2 && p.1 >= r.1 && p.1 <= r.3;
        self.0
            .iter()
            .all(|r| holds(r, a) || holds(r, b) || !segment_hits_box(a, b, *r))
    }
    /// Like [`Placed::segment_clear`], but over names only: the boxes a dot reserves (at most
    /// [`DOT_BOX_PX`] square) may be crossed.
    pub fn segment_clears_names(&self, a: (i32, i32), b: (i32, i32)) -> bool {
        let holds = |r: &(i32, i32, i32, i32), p: (i32, i32)| p.0 >= r.0 && p.0 <= r.2 && p.1 >= r.1 && p.1 <= r.3;
        self.0.iter().all(|r| {
            (r.2 - r.0 <= DOT_BOX_PX && r.3 - r.1 <= DOT_BOX_PX)
                || holds(r, a)
                || holds(r, b)
                || !segment_hits_box(a, b, *r)
        })
    }
    /// Adds a drawn polyline (pixels) that labels must not cross.
    pub fn avoid(&mut self, points: &[(i32, i32)]) {
        self.1.extend(points.windows(2).map(|w| (w[0], w[1])));
    }
    /// Reserves a box without checking.
    pub fn reserve(&mut self, r: (i32, i32, i32, i32)) {
        self.0.push(r);
    }
}
