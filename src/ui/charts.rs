//! Chart figures: [`ChartSlot`], one generic component for every [`Chart`] (its data, drawing,
//! words and marker, each memoised on exactly the typed input it reads), and [`ChartFigure`],
//! what a figure shows: the SVG a `draw` function rendered, a hover read-out, the summary
//! sentence, the data table alternative, and SVG / PNG / CSV export.

use std::any::Any;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::chart::Table;
use crate::chart::record::{Element, Op, Paint, elements, rect_box};
use crate::chart::{self, Chart, Geometry, Style};
use crate::share::ChartId;
use crate::state::Action;
use yew::virtual_dom::{AttributeOrProperty, Attributes, VTag};

use super::browser;
use super::controls::Disclosure;
use crate::chart::words::chart_title;

/// A chart's data table, built only when someone opens it or exports the CSV (most readers
/// never do, and the memory table changes with every move of the context slider). Equal when
/// it is the same builder: a figure makes a new one exactly when its data changed.
#[derive(Clone)]
pub struct LazyTable(Rc<dyn Fn() -> Table>);

impl LazyTable {
    /// A table that `build` makes on demand.
    pub fn new(build: impl Fn() -> Table + 'static) -> LazyTable {
        LazyTable(Rc::new(build))
    }
    /// Builds the table.
    pub fn build(&self) -> Table {
        (self.0)()
    }
}

impl std::fmt::Debug for LazyTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LazyTable")
    }
}

impl PartialEq for LazyTable {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A rendered chart: its display list and geometry.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Which chart.
    pub id: ChartId,
    /// Heading.
    pub title: &'static str,
    /// The display list (empty if drawing failed): shown as SVG nodes, written out as an SVG
    /// file, or replayed onto a canvas for PNG export.
    pub ops: Rc<Vec<Op>>,
    /// Why the chart could not be drawn, if it could not.
    pub error: Option<String>,
    /// Plot geometry for hover read-outs and markers.
    pub geometry: Geometry,
    /// Size and palette used.
    pub style: Style,
}

impl PartialEq for Rendered {
    fn eq(&self, o: &Self) -> bool {
        // The same display list is usually the same `Rc` (a memoised chart): skip the deep
        // comparison of hundreds of operations.
        self.id == o.id
            && (Rc::ptr_eq(&self.ops, &o.ops) || self.ops == o.ops)
            && self.error == o.error
            && self.geometry == o.geometry
            && self.style == o.style
            && self.title == o.title
    }
}

/// Everything one figure shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The chart.
    pub chart: Rendered,
    /// The "current value" marker drawn over it (empty for charts without one).
    pub marker: Rc<Vec<Op>>,
    /// The one-sentence lesson.
    pub summary: AttrValue,
    /// The data as a table.
    pub table: LazyTable,
}

/// One chart's typed input and current values behind one object-safe face, so a single
/// (non-generic) [`ChartSlot`] component serves every chart: the component machinery is
/// compiled once, and only these few methods once per chart.
pub trait AnyChart {
    /// Which chart.
    fn id(&self) -> ChartId;
    /// Its one-line definition, if any.
    fn lede(&self) -> Option<&'static str>;
    /// For comparing with another of the same chart.
    fn as_any(&self) -> &dyn Any;
    /// The same chart with an equal input (its drawing would be the same).
    fn same_input(&self, o: &dyn AnyChart) -> bool;
    /// The same chart with equal current values (its words would be the same).
    fn same_now(&self, o: &dyn AnyChart) -> bool;
    /// The chart's data.
    fn data(&self) -> Rc<dyn Any>;
    /// The data drawn.
    fn render(&self, data: &dyn Any, st: Style) -> Rendered;
    /// Summary, table builder and marker.
    fn words(&self, data: Rc<dyn Any>) -> (AttrValue, LazyTable, Option<chart::Marker>);
    /// What it says at data x.
    fn readout(&self, data: &dyn Any, x: f64) -> String;
}

/// A chart's input and current values: the [`AnyChart`] of chart `C`.
pub struct Typed<C: Chart> {
    /// What the drawing reads.
    pub input: C::Input,
    /// What the words read besides.
    pub now: C::Now,
}

impl<C: Chart> Typed<C> {
    /// Chart `C`'s input and current values, from the sources.
    pub fn of(src: &chart::Sources) -> Rc<dyn AnyChart> {
        Rc::new(Typed::<C> {
            input: C::input(src),
            now: C::now(src),
        })
    }
    fn other<'a>(&self, o: &'a dyn AnyChart) -> Option<&'a Typed<C>> {
        o.as_any().downcast_ref::<Typed<C>>()
    }
}

impl<C: Chart> AnyChart for Typed<C> {
    fn id(&self) -> ChartId {
        C::ID
    }
    fn lede(&self) -> Option<&'static str> {
        C::LEDE
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn same_input(&self, o: &dyn AnyChart) -> bool {
        self.other(o).is_some_and(|o| o.input == self.input)
    }
    fn same_now(&self, o: &dyn AnyChart) -> bool {
        self.other(o).is_some_and(|o| o.now == self.now)
    }
    fn data(&self) -> Rc<dyn Any> {
        Rc::new(C::data(&self.input))
    }
    fn render(&self, data: &dyn Any, style: Style) -> Rendered {
        let drawn = match data.downcast_ref::<C::Data>() {
            Some(d) => chart::render(&style, |a| C::draw(a, d, &style)),
            None => Err("internal error: a chart was given another chart's data".to_string()),
        };
        let (ops, error, geometry) = match drawn {
            Ok((ops, g)) => (ops, None, g),
            Err(e) => (Vec::new(), Some(e), Geometry::default()),
        };
        Rendered {
            id: C::ID,
            title: chart_title(C::ID),
            ops: Rc::new(ops),
            error,
            geometry,
            style,
        }
    }
    fn words(&self, data: Rc<dyn Any>) -> (AttrValue, LazyTable, Option<chart::Marker>) {
        let Ok(d) = data.downcast::<C::Data>() else {
            let e = "internal error: a chart was given another chart's data";
            return (AttrValue::from(e), LazyTable::new(Table::default), None);
        };
        let table = {
            let (i, now, d) = (self.input.clone(), self.now.clone(), d.clone());
            LazyTable::new(move || C::table(&i, &now, &d))
        };
        (
            AttrValue::from(C::summary(&self.input, &self.now, &d)),
            table,
            C::marker(&self.input, &self.now, &d),
        )
    }
    fn readout(&self, data: &dyn Any, x: f64) -> String {
        data.downcast_ref::<C::Data>()
            .map_or_else(String::new, |d| C::readout(&self.input, &self.now, d, x))
    }
}

/// A memo key: a chart's input (equal when the drawing would be).
#[derive(Clone)]
struct InputKey(Rc<dyn AnyChart>);
impl PartialEq for InputKey {
    fn eq(&self, o: &Self) -> bool {
        self.0.same_input(&*o.0)
    }
}
/// A memo key: a chart's input and current values (equal when the words would be).
#[derive(Clone)]
struct WordsKey(Rc<dyn AnyChart>);
impl PartialEq for WordsKey {
    fn eq(&self, o: &Self) -> bool {
        self.0.same_input(&*o.0) && self.0.same_now(&*o.0)
    }
}

/// Properties of [`ChartSlot`]: one chart's input and current values, and how it is shown.
#[derive(Properties, Clone)]
pub struct SlotProps {
    /// The chart ([`Typed::of`]).
    pub chart: Rc<dyn AnyChart>,
    /// Width and palette.
    pub style: Style,
    /// The data x under the pointer, if it is over this chart.
    pub hover: Option<f64>,
    /// The app's dispatcher (stable).
    pub dispatch: Callback<Action>,
    /// An embed: its share button says "Share this chart".
    pub compact: bool,
    /// `chart_only=1`: no lede, sentence or data table on screen.
    pub chart_only: bool,
    /// Copies a link to a chart (stable: made once by the app).
    pub on_share: Callback<ChartId>,
}

impl PartialEq for SlotProps {
    fn eq(&self, o: &Self) -> bool {
        self.chart.same_input(&*o.chart)
            && self.chart.same_now(&*o.chart)
            && self.style == o.style
            && self.hover == o.hover
            && self.dispatch == o.dispatch
            && self.compact == o.compact
            && self.chart_only == o.chart_only
            && self.on_share == o.on_share
    }
}

/// Any chart as a figure: its data is computed when its input changes, drawn when the data,
/// width or theme change, and its words (summary, table, marker) follow the input and the
/// current values. The read-out is the chart's own, at the hovered x.
#[function_component(ChartSlot)]
pub fn chart_slot(p: &SlotProps) -> Html {
    // A figure out of view follows a moving slider only once it settles ([`OFFSCREEN_SETTLE_MS`]
    // after the last change) or comes into view: a move does the work of the charts it shows.
    let node = use_node_ref();
    let visible = use_mut_ref(|| true);
    let shown = use_mut_ref(|| p.chart.clone());
    let latest = use_mut_ref(|| p.chart.clone());
    let settle = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let refresh = use_force_update();
    {
        let (node, visible, shown, latest, refresh) = (
            node.clone(),
            visible.clone(),
            shown.clone(),
            latest.clone(),
            refresh.clone(),
        );
        use_effect_with((), move |_| {
            let obs = node.cast::<web_sys::Element>().and_then(|el| {
                browser::observe_visible(&el, "200px", move |now| {
                    *visible.borrow_mut() = now;
                    let stale = !same_chart(&shown.borrow(), &latest.borrow());
                    if now && stale {
                        refresh.force_update();
                    }
                })
            });
            move || {
                if let Some((o, _cb)) = obs {
                    o.disconnect();
                }
            }
        });
    }
    *latest.borrow_mut() = p.chart.clone();
    if *visible.borrow() {
        *shown.borrow_mut() = p.chart.clone();
        *settle.borrow_mut() = None;
    } else if !same_chart(&shown.borrow(), &p.chart) {
        let (shown, latest, refresh) = (shown.clone(), latest.clone(), refresh.clone());
        *settle.borrow_mut() = Some(gloo_timers::callback::Timeout::new(OFFSCREEN_SETTLE_MS, move || {
            *shown.borrow_mut() = latest.borrow().clone();
            refresh.force_update();
        }));
    }
    let c = &shown.borrow().clone();
    let data = use_memo(InputKey(c.clone()), |k| k.0.data());
    let rendered = {
        let d = data.clone();
        use_memo((InputKey(c.clone()), p.style), move |(k, st)| k.0.render(&**d, *st))
    };
    let words = {
        let d = data.clone();
        use_memo(WordsKey(c.clone()), move |k| k.0.words((*d).clone()))
    };
    let marker = {
        let (r, w) = (rendered.clone(), words.clone());
        use_memo((WordsKey(c.clone()), p.style), move |_| {
            Rc::new(
                w.2.as_ref()
                    .map_or_else(Vec::new, |m| chart::marker(&r.geometry, &r.style, m.x, m.y, &m.label)),
            )
        })
    };
    let figure = Figure {
        chart: (*rendered).clone(),
        marker: (*marker).clone(),
        summary: words.0.clone(),
        table: words.1.clone(),
    };
    let readout = p.hover.map(|x| (x, c.readout(&**data, x)));
    html! {
        <ChartFigure figure={figure} readout={readout} compact={p.compact} chart_only={p.chart_only} dispatch={p.dispatch.clone()} lede={c.lede().filter(|_| !p.chart_only).map(AttrValue::Static)} node={node} on_share={p.on_share.clone()} />
    }
}

/// How long a figure out of view waits after the last change before it follows it.
const OFFSCREEN_SETTLE_MS: u32 = 250;

/// The same chart with the same input and current values (nothing to redo).
fn same_chart(a: &Rc<dyn AnyChart>, b: &Rc<dyn AnyChart>) -> bool {
    Rc::ptr_eq(a, b) || (a.same_input(&**b) && a.same_now(&**b))
}

/// Properties of [`SvgView`].
#[derive(Properties, PartialEq, Clone)]
pub struct SvgViewProps {
    /// The display list.
    pub ops: Rc<Vec<Op>>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Built node by node, so that an update patches only what changed: for a small list that
    /// changes on every move (the marker). Otherwise written as markup and set in one step.
    #[prop_or_default]
    pub patched: bool,
}

/// A display list as SVG. A chart is written once as markup by the same writer as the SVG
/// export and the first view ([`chart::record::to_svg`], which escapes every text) and set in
/// one step: the browser parses its tens of elements far faster than they are built node by
/// node across the wasm boundary. The marker, a few elements that move with every slider step,
/// is built as nodes and patched. A component of its own so that yew skips it entirely when
/// the list is unchanged (e.g. the memory chart while only the context marker moves).
#[function_component(SvgView)]
pub fn svg_view(p: &SvgViewProps) -> Html {
    let (w, h) = (p.width, p.height);
    if !p.patched {
        return Html::from_html_unchecked(AttrValue::from(chart::record::to_svg(&p.ops, (w, h))));
    }
    html! {
        <svg xmlns="http://www.w3.org/2000/svg" width={w.to_string()} height={h.to_string()} viewBox={format!("0 0 {w} {h}")}>
            { for elements(&p.ops).iter().map(element_node) }
        </svg>
    }
}

/// One SVG element as a virtual node. Attributes go in as yew's `Dynamic` kind (fixed key list,
/// compared by pointer), so an update only compares values.
fn element_node(e: &Element) -> Html {
    let mut tag = VTag::new(e.tag);
    tag.set_attributes(Attributes::Dynamic {
        keys: e.keys,
        values: e
            .values
            .iter()
            .map(|v| {
                v.as_ref()
                    .map(|v| AttributeOrProperty::Attribute(AttrValue::from(v.clone())))
            })
            .collect(),
    });
    if let Some(t) = &e.text {
        tag.add_child(Html::from(t.clone()));
    }
    tag.add_children(e.children.iter().map(element_node));
    tag.into()
}

/// Replays a display list onto a 2D canvas context.
fn replay(ctx: &web_sys::CanvasRenderingContext2d, ops: &[Op]) {
    let set = |p: &Paint| {
        let c = p.hex();
        ctx.set_fill_style_str(&c);
        ctx.set_stroke_style_str(&c);
        ctx.set_global_alpha(p.alpha);
    };
    let poly = |pts: &[(i32, i32)]| {
        ctx.begin_path();
        for (i, (x, y)) in pts.iter().enumerate() {
            let (x, y) = (f64::from(*x), f64::from(*y));
            if i == 0 { ctx.move_to(x, y) } else { ctx.line_to(x, y) }
        }
    };
    for op in ops {
        match op {
            Op::Line { from, to, paint, width } => {
                set(paint);
                ctx.set_line_width(f64::from(*width));
                poly(&[*from, *to]);
                ctx.stroke();
            }
            Op::Rect {
                from,
                to,
                paint,
                width,
                fill,
            } => {
                set(paint);
                let (x, y, w, h) = rect_box(*from, *to);
                let (x, y, w, h) = (f64::from(x), f64::from(y), f64::from(w), f64::from(h));
                if *fill {
                    ctx.fill_rect(x, y, w, h);
                } else {
                    ctx.set_line_width(f64::from(*width));
                    ctx.stroke_rect(x, y, w, h);
                }
            }
            Op::Path { points, paint, width } => {
                set(paint);
                ctx.set_line_width(f64::from(*width));
                poly(points);
                ctx.stroke();
            }
            Op::Circle {
                center,
                radius,
                paint,
                width,
                fill,
            } => {
                set(paint);
                ctx.begin_path();
                let _ = ctx.arc(
                    f64::from(center.0),
                    f64::from(center.1),
                    f64::from(*radius),
                    0.0,
                    std::f64::consts::TAU,
                );
                if *fill {
                    ctx.fill();
                } else {
                    ctx.set_line_width(f64::from(*width));
                    ctx.stroke();
                }
            }
            Op::Polygon { points, paint } => {
                set(paint);
                poly(points);
                ctx.close_path();
                ctx.fill();
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
                set(paint);
                ctx.save();
                let _ = ctx.translate(f64::from(at.0), f64::from(at.1));
                if *rotate != 0 {
                    let _ = ctx.rotate(f64::from(*rotate).to_radians());
                }
                ctx.set_font(&format!("{}{px:.1}px {family}", if *bold { "bold " } else { "" }));
                ctx.set_text_align(align.canvas());
                ctx.set_text_baseline(baseline.canvas());
                let _ = ctx.fill_text(text, 0.0, 0.0);
                ctx.restore();
            }
        }
    }
    ctx.set_global_alpha(1.0);
}

fn export_png(r: &Rendered, ops: &[Op]) -> Result<(), String> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(|_| "no canvas")?
        .dyn_into()
        .map_err(|_| "no canvas")?;
    // Twice the pixels for sharp images on high-density screens.
    let scale = 2.0;
    canvas.set_width((f64::from(r.style.width) * scale) as u32);
    canvas.set_height((f64::from(r.style.height) * scale) as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or("this browser has no 2D canvas")?;
    let _ = ctx.scale(scale, scale);
    replay(&ctx, ops);
    let name = format!("llm-memviz-{}.png", r.id.id());
    let cb = Closure::once_into_js(move |blob: JsValue| {
        if let Some(b) = blob.dyn_ref::<web_sys::Blob>() {
            let _ = browser::download_blob(&name, b);
        }
    });
    canvas
        .to_blob(cb.unchecked_ref())
        .map_err(|_| "the browser refused to export the image".to_string())
}

/// Pixels outside the plot area that still read its end value (`Geometry::x_at` clamps).
const EDGE_GRACE_PX: f64 = 6.0;

/// The chart's own pixel column (its drawing coordinates, `0 … chart_width`) under the
/// viewport x `client_x`, measured on the rendered `<svg>` element; `None` when it has no box.
fn pixel_in_chart(svg: &web_sys::Element, client_x: f64, chart_width: f64) -> Option<f64> {
    let rect = svg.get_bounding_client_rect();
    (rect.width() > 0.0).then(|| (client_x - rect.left()) * chart_width / rect.width())
}

/// Properties of [`ChartFigure`].
#[derive(Properties, PartialEq, Clone)]
pub struct ChartFigureProps {
    /// The chart, its marker, lesson and table.
    pub figure: Figure,
    /// Read-out for the hovered x value, if the pointer is over this chart.
    pub readout: Option<(f64, String)>,
    /// The app's dispatcher (stable; the figure sends `Action::Hover` itself).
    pub dispatch: Callback<Action>,
    /// In an embed: the share button says "Share this chart".
    #[prop_or_default]
    pub compact: bool,
    /// `chart_only=1`: the sentence for screen readers only, no data table.
    #[prop_or_default]
    pub chart_only: bool,
    /// Copies a link to this chart (with the read-out's position).
    #[prop_or_default]
    pub on_share: Callback<ChartId>,
    /// A one-line definition shown under the heading.
    #[prop_or_default]
    pub lede: Option<AttrValue>,
    /// The figure element (its slot watches whether it is in view).
    #[prop_or_default]
    pub node: NodeRef,
}

/// One chart with its read-out, lesson, table and exports.
#[function_component(ChartFigure)]
pub fn chart_figure(p: &ChartFigureProps) -> Html {
    let f = &p.figure;
    let c = &f.chart;
    let export_error = use_state(|| None::<String>);
    // The plot's own SVG element, as rendered: the pointer is mapped through its box, so the
    // read-out is the value under the pointer at any width, zoom or layout.
    let svg_host = use_node_ref();
    let pointer = |sticky_touch: bool| {
        let g = c.geometry;
        let w = f64::from(c.style.width);
        let d = p.dispatch.clone();
        let id = c.id;
        let host = svg_host.clone();
        move |e: PointerEvent| {
            // A finger's move that is not a drag (pointermove after a tap) changes nothing: the
            // tapped read-out stays until the next tap.
            if !sticky_touch && e.pointer_type() != "mouse" && e.buttons() == 0 {
                return;
            }
            let Some(svg) = host.cast::<web_sys::Element>().and_then(|h| h.first_element_child()) else {
                return;
            };
            let Some(px) = pixel_in_chart(&svg, f64::from(e.client_x()), w) else {
                return;
            };
            // A few pixels of grace at each end, so the label of an end tick reads its value.
            if px < f64::from(g.left) - EDGE_GRACE_PX || px > f64::from(g.right) + EDGE_GRACE_PX {
                if e.pointer_type() == "mouse" {
                    d.emit(Action::Hover(None));
                }
            } else {
                d.emit(Action::Hover(Some((id, g.x_at(px)))));
            }
        }
    };
    let on_move = Callback::from(pointer(false));
    let on_down = Callback::from(pointer(true));
    // A mouse leaving clears the read-out; a finger lifting keeps it (a tap shows it until the
    // next tap).
    let on_leave = {
        let d = p.dispatch.clone();
        Callback::from(move |e: PointerEvent| {
            if e.pointer_type() == "mouse" {
                d.emit(Action::Hover(None));
            }
        })
    };
    // Exports carry the chart and its marker.
    let all_ops = {
        let (ops, marker) = (c.ops.clone(), f.marker.clone());
        move || ops.iter().chain(marker.iter()).cloned().collect::<Vec<Op>>()
    };
    let svg_export = {
        let c = c.clone();
        let err = export_error.clone();
        let all_ops = all_ops.clone();
        Callback::from(move |_: MouseEvent| {
            if c.error.is_none() {
                let svg = chart::record::to_svg(&all_ops(), (c.style.width, c.style.height));
                let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}");
                err.set(
                    browser::download(
                        &format!("llm-memviz-{}.svg", c.id.id()),
                        "image/svg+xml",
                        &JsValue::from_str(&body),
                    )
                    .err(),
                );
            }
        })
    };
    let png_export = {
        let c = c.clone();
        let err = export_error.clone();
        Callback::from(move |_: MouseEvent| err.set(export_png(&c, &all_ops()).err()))
    };
    let csv_export = {
        let c = c.clone();
        let table = f.table.clone();
        let err = export_error.clone();
        Callback::from(move |_: MouseEvent| {
            err.set(
                browser::download(
                    &format!("llm-memviz-{}.csv", c.id.id()),
                    "text/csv",
                    &JsValue::from_str(&table.build().csv()),
                )
                .err(),
            );
        })
    };
    let heading_id = format!("chart-{}-title", c.id.id());
    let summary_id = format!("chart-{}-summary", c.id.id());
    let (w, h) = (c.style.width, c.style.height);
    let hover_line = p.readout.as_ref().map(|(x, _)| c.geometry.px_of(*x));
    html! {
        <figure class="chart" ref={p.node.clone()} id={format!("chart-{}", c.id.id())} aria-labelledby={heading_id.clone()} aria-describedby={summary_id.clone()}>
            <h3 id={heading_id}>{ c.title }</h3>
            if let Some(l) = &p.lede { <p class="lede" data-testid={format!("lede-{}", c.id.id())}>{ l.clone() }</p> }
            <div class="chart-canvas" onpointermove={on_move} onpointerdown={on_down} onpointerleave={on_leave}>
                { match &c.error {
                    None => html! { <div class="svg-host" ref={svg_host} role="img" aria-labelledby={summary_id.clone()}>
                        <SvgView ops={c.ops.clone()} width={w} height={h} />
                    </div> },
                    Some(e) => html! { <p class="chart-error" role="alert">{ e.clone() }</p> },
                } }
                if !f.marker.is_empty() {
                    <div class="marker-layer" data-testid={format!("marker-{}", c.id.id())} aria-hidden="true">
                        <SvgView ops={f.marker.clone()} width={w} height={h} patched=true />
                    </div>
                }
                if let Some(x) = hover_line {
                    <svg class="hover-layer" viewBox={format!("0 0 {w} {h}")} aria-hidden="true">
                        <line x1={x.to_string()} x2={x.to_string()} y1={c.geometry.top.to_string()} y2={c.geometry.bottom.to_string()} />
                    </svg>
                }
            </div>
            <p class="readout" data-testid={format!("readout-{}", c.id.id())}>
                { p.readout.as_ref().map_or_else(|| crate::chart::words::READOUT_HINT.to_string(), |(_, t)| t.clone()) }
            </p>
            <figcaption id={summary_id} class={if p.chart_only { "summary sr-only" } else { "summary" }}>{ f.summary.clone() }</figcaption>
            <div class="chart-actions">
                <button type="button" class="share" data-testid={format!("share-{}", c.id.id())}
                    onclick={{ let (cb, id) = (p.on_share.clone(), c.id); Callback::from(move |_: MouseEvent| cb.emit(id)) }}>
                    <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>
                    { if p.compact { " Share this chart" } else { " Link to this chart" } }
                </button>
                <button type="button" onclick={svg_export}>{ "SVG" }</button>
                <button type="button" onclick={png_export}>{ "PNG" }</button>
                <button type="button" onclick={csv_export}>{ "CSV" }</button>
                if !p.chart_only {
                    <Disclosure class="data-table" summary="Data table">
                        <TableView table={f.table.clone()} />
                    </Disclosure>
                }
            </div>
            if let Some(e) = &*export_error { <p class="field-error" role="alert">{ e.clone() }</p> }
        </figure>
    }
}

/// Properties of [`TableView`].
#[derive(Properties, PartialEq, Clone)]
pub struct TableViewProps {
    /// The table.
    pub table: LazyTable,
}

/// A data table (the text alternative of a chart). Rendered only while its disclosure is open,
/// so only then is the table built.
#[function_component(TableView)]
pub fn table_view(p: &TableViewProps) -> Html {
    let t = &p.table.build();
    html! {
        <div class="table-scroll">
            <table>
                <caption>{ t.caption.clone() }</caption>
                <thead><tr>{ for t.headers.iter().map(|h| html! { <th scope="col">{ h.clone() }</th> }) }</tr></thead>
                <tbody>
                    { for t.rows.iter().map(|r| html! {
                        <tr>{ for r.iter().map(|c| html! { <td>{ c.text.clone() }</td> }) }</tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
