//! The app: one [`Page`] state in a reducer, panels and charts as props-down/callbacks-up
//! children, and every side effect (URL, theme attribute, resize observers, embed height) in an
//! effect. Charts are memoised on exactly the inputs they draw.

use std::rc::Rc;

use yew::prelude::*;

use crate::chart::{self, Chart, DARK, Evaluated, ForChart, LIGHT, Sources, Style};
use crate::estimate::Report;
use crate::estimate::Scenario;
use crate::estimate::units::{format_context, tokens_word};
use crate::share::{ChartId, Warning};
use crate::state::{Action, Page};

use super::browser;
use super::charts::{ChartSlot, Typed};
use super::panels::{
    DataPanel, EmbedBuilder, HardwarePanel, KeyNumbers, ModelPanel, PrecisionPanel, Toolbar, TrainingPanel,
    WorkingPanel, WorkloadPanel,
};

/// The reducer's state.
#[derive(Clone, PartialEq)]
pub struct Store(pub Rc<Page>);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.0.apply(action);
        if next == *self.0 {
            self
        } else {
            Rc::new(Store(Rc::new(next)))
        }
    }
}

/// The address bar's and the tab title's pending update: the latest state and its report, and
/// when they last changed. The link and the title are written from them once the state settles,
/// not on every move.
#[derive(Default)]
struct UrlSync {
    latest: Option<(crate::share::State, Rc<Report>)>,
    changed_ms: f64,
    pending: bool,
}

/// Quiet time before the address bar follows the state.
const URL_QUIET_MS: f64 = 200.0;

/// Writes the latest query to the address bar once it has been quiet for [`URL_QUIET_MS`]
/// (re-arming itself while changes keep coming).
fn sync_url_later(sync: Rc<std::cell::RefCell<UrlSync>>) {
    let wait = URL_QUIET_MS - (browser::now_ms() - sync.borrow().changed_ms);
    browser::after(wait, move || {
        if browser::now_ms() - sync.borrow().changed_ms < URL_QUIET_MS {
            sync_url_later(sync);
            return;
        }
        let Some((state, report)) = ({
            let mut s = sync.borrow_mut();
            s.pending = false;
            s.latest.clone()
        }) else {
            return;
        };
        browser::set_title(&page_title(&state.scenario, &report));
        let q = crate::share::encode(&state);
        if crate::share::encode(&crate::share::decode(&browser::query()).state) != q {
            browser::replace_query(&q);
        }
    });
}

/// Quiet time after the last size change before the charts are redrawn for the new width.
const WIDTH_QUIET_MS: f64 = 120.0;

/// The width a chart is drawn at for a canvas `w` CSS pixels wide: whole tens of pixels, so
/// sub-pixel jitter never redraws (the SVG scales the rest, at most 1 %).
fn chart_width_step(w: f64) -> u32 {
    ((w / 10.0).round() * 10.0).max(0.0) as u32
}

/// The widest viewport (CSS pixels) laid out in one column (`static/app.css`'s breakpoint).
const ONE_COLUMN_MAX_PX: f64 = 980.0;

/// The stylesheet's layout for an embed on a phone held sideways (`max-height: 500px` and
/// landscape): the chart beside its controls.
fn landscape_compact(inner_w: f64, inner_h: f64) -> bool {
    inner_h <= 500.0 && inner_w > inner_h
}

/// What a sideways embed keeps under its chart within the screen: the page's and the figure's
/// padding and border (4 + 4 + 8 + 10 + 2 px) and two lines of read-out.
const COMPACT_RESERVE_PX: f64 = 80.0;

/// The width the first chart's canvas is laid out at, from the stylesheet's layout
/// (`static/app.css`: the page's padding and 1,400 px cap, the 360 px settings column and its
/// 16 px gap beside the charts above 980 px, an embed's 4 px padding and its landscape-phone
/// columns, the figure's 1 px border and 10 px padding), at `inner_w` × `inner_h` (what the
/// media queries read) and `client_w` (the page's width without a scrollbar). The first render
/// draws at it, so the measurement that follows finds the same width and nothing is drawn twice
/// (`tests/e2e/reader.test.mjs` checks it at phone, tablet and desktop sizes).
pub fn first_chart_width(view: &crate::share::View, inner_w: f64, inner_h: f64, client_w: f64) -> u32 {
    const FIGURE_PX: f64 = 2.0 * (1.0 + 10.0);
    let column = if view.embed {
        let w = client_w - 2.0 * 4.0;
        if landscape_compact(inner_w, inner_h) {
            w - 8.0 - (0.34 * w).max(200.0)
        } else {
            w
        }
    } else {
        let padding = if inner_w <= 480.0 { 2.0 * 8.0 } else { 2.0 * 16.0 };
        let app = client_w.min(1400.0) - padding;
        if inner_w <= ONE_COLUMN_MAX_PX || !view.has_controls() {
            app
        } else {
            app - 360.0 - 16.0
        }
    };
    chart_width_step(column - FIGURE_PX)
}

/// The document title for a scenario: model, weight format, and the context (inference) or
/// sequence length (training).
pub fn page_title(s: &Scenario, r: &Report) -> String {
    let format = s.weights.label().trim_start_matches("GGUF ").to_string();
    let ctx = s.ctx as f64;
    let what = if s.mode == crate::estimate::Mode::Train {
        format!("training, {} {}", format_context(ctx), tokens_word(ctx))
    } else {
        format!("{} {}", format_context(ctx), tokens_word(ctx))
    };
    format!("{} · {format} · {what} — llm-memviz", r.model.name)
}

/// The wait between the stages of the first render: long enough for the browser to paint the
/// stage drawn before it.
const STAGE_MS: u32 = 20;

/// The staged first render: what the app has drawn so far.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// The first chart in the page's order, alone.
    FirstChart,
    /// And the settings.
    Controls,
    /// Everything.
    All,
}

/// The application root.
#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(|| {
        let dark = browser::dark_query().is_some_and(|m| m.matches());
        let mut page = Page::from_query(&browser::query(), 0, dark);
        let (inner_w, inner_h, client_w) = browser::viewport();
        page.width = first_chart_width(&page.share.view, inner_w, inner_h, client_w);
        Store(Rc::new(page))
    });
    let page = store.0.clone();
    // One dispatcher for the app's lifetime: children comparing props see the same callback, so
    // a chart whose data did not change is not re-rendered.
    let dispatch: Callback<Action> = {
        let d = store.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a: Action| d.dispatch(a)))).clone()
    };
    let scenario = page.share.scenario.clone();
    let compare = page.share.compare.clone();
    let units = page.share.view.units;
    let dark = page.dark();
    let width = page.width;
    // The report, evaluated after the one before it: a context move reuses the search for
    // the largest context that fits (`Scenario::evaluate_after`).
    let last_report = use_mut_ref(|| None::<(Scenario, Rc<Report>)>);
    let report = use_memo(scenario.clone(), |s| {
        let before = last_report.borrow_mut().take();
        let r = Rc::new(s.evaluate_after(before.as_ref().map(|(b, r)| (b, &**r))));
        *last_report.borrow_mut() = Some((s.clone(), r.clone()));
        r
    });
    let report: Rc<Report> = (*report).clone();
    let compare_report = use_memo(compare.clone(), |c| c.as_ref().map(|s| Rc::new(s.evaluate())));

    // --- Effects -----------------------------------------------------------------------
    // The URL follows the state, after 200 ms of quiet (no history flood while dragging). A URL
    // that already describes this state is left as the user typed it. One timer at a time: a
    // timer per change (cancelled by the next) costs more than the rest of a slider move.
    // The tab title follows with it, once the scenario settles (a slider's drag rewrites it
    // once, not on every move); the first render sets it at once.
    let url_sync = use_mut_ref(UrlSync::default);
    // The tab names a link's model from the first frame that shows its chart: set while the
    // first render is built, before any effect runs.
    use_memo((), |_| browser::set_title(&page_title(&scenario, &report)));
    let settled = report.clone();
    use_effect_with(page.share.clone(), move |st| {
        let schedule = {
            let mut s = url_sync.borrow_mut();
            s.latest = Some((st.clone(), settled));
            s.changed_ms = browser::now_ms();
            !std::mem::replace(&mut s.pending, true)
        };
        if schedule {
            sync_url_later(url_sync);
        }
    });
    use_effect_with((page.share.view.theme, dark), |(t, dark)| {
        let _ = t;
        browser::set_theme_attr(if *dark { "dark" } else { "light" });
    });
    use_effect_with(page.share.view.embed, |e| browser::set_embed_attr(*e));
    {
        let d = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = browser::dark_query()
                .map(|mq| browser::on_media_change(&mq, move |dark| d.emit(Action::SystemDark(dark))));
            move || drop(listener)
        });
    }
    // One column (a phone, a narrow window): the page is then written in the order it is shown,
    // so the keyboard meets the key numbers, the first chart and the controls under it in that
    // order (the stylesheet's `order` alone would show one order and tab through another).
    let one_column = {
        let query = format!("(max-width: {ONE_COLUMN_MAX_PX}px)");
        let state = use_state(|| browser::media_query(&query).is_some_and(|m| m.matches()));
        let set = state.setter();
        use_effect_with((), move |_| {
            let listener = browser::media_query(&query).map(|mq| browser::on_media_change(&mq, move |m| set.set(m)));
            move || drop(listener)
        });
        *state
    };
    // Charts are drawn for the width they are shown at, whenever it changes (window or iframe
    // resize, rotation, the one-column layout): the layout is observed and the first chart's
    // canvas measured. The redraw waits for a quiet moment (`WIDTH_QUIET_MS`, so a drag of the
    // window edge redraws once, not on every pixel) and runs outside the observer's callback,
    // so it never feeds back into the observed size in the same frame.
    let layout_ref = use_node_ref();
    {
        let d = dispatch.clone();
        let r = layout_ref.clone();
        use_effect_with((), move |_| {
            let pending = Rc::new(std::cell::Cell::new(false));
            let first = Rc::new(std::cell::Cell::new(true));
            let obs = r.cast::<web_sys::Element>().and_then(|el| {
                let layout = el.clone();
                browser::observe_width(&el, move |_| {
                    if pending.replace(true) {
                        return;
                    }
                    let (pending, layout, d) = (pending.clone(), layout.clone(), d.clone());
                    // The first measurement corrects the initial guess at once.
                    let wait = if first.replace(false) { 0.0 } else { WIDTH_QUIET_MS };
                    browser::after(wait, move || {
                        pending.set(false);
                        if let Some(w) = browser::chart_canvas_width(&layout) {
                            d.emit(Action::Width(chart_width_step(w)));
                        }
                    });
                })
            });
            move || {
                if let Some((o, _cb)) = obs {
                    o.disconnect();
                }
            }
        });
    }
    use_effect_with((), |_| {
        browser::mark("llm-memviz:first-render");
        let obs = browser::observe_body_height(browser::post_height);
        move || {
            if let Some((o, _cb)) = obs {
                o.disconnect();
            }
        }
    });
    // A host page's embed.js says whether the page around the frame is dark: a view without
    // theme= follows it, as it follows the system otherwise.
    {
        let d = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "message", move |e| {
                    use wasm_bindgen::JsCast;
                    if let Some(dark) = e
                        .dyn_ref::<web_sys::MessageEvent>()
                        .and_then(|m| browser::host_dark(&m.data()))
                    {
                        d.emit(Action::SystemDark(dark));
                    }
                })
            });
            move || drop(listener)
        });
    }

    // The first chart renders alone; the settings follow at once, and the other charts after
    // them (timers, not requestAnimationFrame, which never fires in an off-screen or hidden
    // iframe): the chart the reader sees answers first, then its slider, then the rest.
    let stage = use_state(|| Stage::FirstChart);
    {
        let stage = stage.clone();
        use_effect_with(*stage, move |now| {
            let next = match now {
                Stage::FirstChart => Some(Stage::Controls),
                Stage::Controls => Some(Stage::All),
                Stage::All => None,
            };
            let t = next.map(|n| gloo_timers::callback::Timeout::new(STAGE_MS, move || stage.set(n)));
            move || drop(t)
        });
    }
    let all = *stage == Stage::All;
    // An embed's few controls come with its chart: its slider is what a reader reaches for.
    let panels = *stage != Stage::FirstChart || page.share.view.embed;
    // The embedding page hears the height once every chart is drawn (not the first chart's
    // alone, which would shrink the frame and grow it back), then every change.
    use_effect_with(all, |all| {
        if *all {
            browser::after(30.0, || {
                browser::set_ready();
                browser::post_height(browser::document_height());
            });
        }
    });
    // The first chart in the page's order (training leads with the breakdown).
    let order = page.share.view.order(scenario.mode);
    let first = order.first().copied().unwrap_or(ChartId::Memory);
    // A chart the view does not show is never drawn (an embed of one chart draws one).
    let wanted = |c: ChartId| (all || c == first) && page.share.view.charts.contains(&c);

    let copy_status = use_state(|| None::<String>);
    // The link is made when the button is pressed, from the latest state: one callback for the
    // app's lifetime, so the toolbar does not re-render on every change.
    let latest_page = use_mut_ref(|| (page.share.clone(), page.hover));
    *latest_page.borrow_mut() = (page.share.clone(), page.hover);
    let on_copy = {
        let (status, latest) = (copy_status.setter(), latest_page.clone());
        (*use_memo((), move |_| {
            Callback::from(move |_| {
                let url = format!("{}?{}", browser::base_url(), crate::share::encode(&latest.borrow().0));
                copy_and_say(url, "Link copied", "link", status.clone());
            })
        }))
        .clone()
    };
    // A link to one chart: the full app with that chart first and in view, and the read-out
    // where the reader left it (`focus`, `at`). Made when pressed, from the latest state.
    let share_status = use_state(|| None::<String>);
    let on_share = {
        let (status, latest) = (share_status.setter(), latest_page.clone());
        (*use_memo((), move |_| {
            Callback::from(move |chart: ChartId| {
                let (state, hover) = latest.borrow().clone();
                let at = hover.filter(|(c, _)| *c == chart).map(|(_, x)| x);
                let mut st = state;
                st.view = st.view.pointing_at(chart, at);
                let url = format!("{}?{}", browser::base_url(), crate::share::encode(&st));
                copy_and_say(url, "Link to this chart copied", "link", status.clone());
            })
        }))
        .clone()
    };
    // A link opened at a chart scrolls to it once the charts are there.
    {
        let focus = page.share.view.focus;
        use_effect_with(all, move |all| {
            if let (true, Some(f)) = (*all, focus) {
                browser::after(60.0, move || browser::scroll_into_view(&format!("chart-{}", f.id())));
            }
        });
    }

    let view = &page.share.view;
    let embed = view.embed;
    let explain = if scenario.mode == crate::estimate::Mode::Train {
        chart::words::EXPLAIN_TRAINING
    } else {
        chart::words::EXPLAIN_INFERENCE
    };
    // Every chart is one generic slot, fed the typed input it reads.
    let sources = Sources {
        now: Evaluated {
            scenario: scenario.clone(),
            report: report.clone(),
        },
        compare: compare
            .clone()
            .zip((*compare_report).clone())
            .map(|(scenario, report)| Evaluated { scenario, report }),
        units,
    };
    let style = {
        let mut st = Style::for_width(width, if dark { DARK } else { LIGHT });
        // A phone held sideways, the embed opened on its own: the chart is drawn for the
        // screen's height, so the chart, its read-out and the slider beside it are all in view.
        // (In an article's frame the height is the frame's, which follows the content.)
        if embed {
            let (inner_w, inner_h) = browser::inner_size();
            if landscape_compact(inner_w, inner_h) && browser::top_level() {
                st.height = st.height.min((inner_h - COMPACT_RESERVE_PX).max(200.0) as u32);
            }
        }
        st
    };
    let figures: Vec<(ChartId, Html)> = order
        .iter()
        .filter(|c| wanted(**c))
        .map(|c| {
            let slot = chart::for_chart(
                *c,
                Slot {
                    src: &sources,
                    style,
                    hover: page.hover.filter(|(h, _)| h == c).map(|(_, x)| x),
                    dispatch: &dispatch,
                    compact: embed,
                    chart_only: view.chart_only,
                    on_share: &on_share,
                },
            );
            (*c, slot)
        })
        .collect();
    let props = super::panels::PanelProps {
        page: page.clone(),
        report: report.clone(),
        dispatch: dispatch.clone(),
    };
    let warnings: Vec<Warning> = page
        .warnings
        .iter()
        .cloned()
        .chain(report.warnings.iter().map(|w| Warning::new("", w.clone())))
        .collect();
    let show_controls = view.has_controls();
    // The page's own address without the query: read once (only the query ever changes).
    let base_url = (*use_memo((), |_| browser::base_url())).clone();
    let full_link = || {
        let mut st = page.share.clone();
        st.view = crate::share::View::default();
        format!("{}?{}", base_url, crate::share::encode(&st))
    };

    let aside = move |label: &'static str, content: Html| -> Html {
        if show_controls {
            // The panels arrive a moment after the first chart (the staged first render): the
            // empty aside keeps its grid column meanwhile.
            html! { <aside class="controls" aria-label={label}>{ if panels { content } else { Html::default() } }</aside> }
        } else {
            Html::default()
        }
    };
    let p = props.clone();
    // Each panel once; the layouts below arrange them.
    let [
        model_panel,
        precision_panel,
        workload_panel,
        training_panel,
        hardware_panel,
        data_panel,
    ]: [Html; 6] = [
        html! { <ModelPanel p={p.clone()} /> },
        html! { <PrecisionPanel p={p.clone()} /> },
        html! { <WorkloadPanel p={p.clone()} /> },
        html! { <TrainingPanel p={p.clone()} /> },
        html! { <HardwarePanel p={p.clone()} /> },
        html! { <DataPanel p={p.clone()} /> },
    ];
    let all_panels = || {
        html! { <>
            { model_panel.clone() }
            { precision_panel.clone() }
            { workload_panel.clone() }
            { training_panel.clone() }
            { hardware_panel.clone() }
            { data_panel.clone() }
            if embed && view.shows(crate::share::ControlId::Units) {
                <Toolbar view={page.share.view.clone()} comparing={page.share.compare.is_some()} dispatch={dispatch.clone()}
                    on_copy={{ let (s, f) = (on_share.clone(), first); Callback::from(move |_| s.emit(f)) }} copy_status={None::<String>} />
            }
        </> }
    };
    let key_numbers = html! { <KeyNumbers ..props.clone() /> };
    let explainer = html! {
        <details class="explainer">
            <summary>{ explain.0 }</summary>
            <p>{ explain.1 }</p>
        </details>
    };
    let working = html! { <>
        // Below the charts: it comes with them.
        if all { <WorkingPanel scenario={scenario.clone()} report={report.clone()} units={units} /> }
    </> };
    let share_line = html! {
        <p class="share-status" role="status" aria-live="polite" data-testid="share-status">{ (*share_status).clone().unwrap_or_default() }</p>
    };
    // A container of its own for the figures: yew reconciles unkeyed siblings from the end, so
    // a list that grows (the staged first render) would otherwise rebuild its neighbours.
    let figure_group = |slots: Vec<Html>| html! { <div class="figures">{ for slots }</div> };
    html! {
        <div class={classes!("app", embed.then_some("embedded"))}>
            if !embed {
                <header class="top">
                    <div class="title">
                        <h1>{ "llm-memviz" }</h1>
                        <p class="tagline">{ chart::words::TAGLINE }</p>
                    </div>
                    <Toolbar view={page.share.view.clone()} comparing={page.share.compare.is_some()} dispatch={dispatch.clone()} on_copy={on_copy} copy_status={(*copy_status).clone()} />
                    // Where an editor looks for it: beside "Copy link", not below every chart.
                    <EmbedBuilder state={page.share.clone()} />
                </header>
            }
            if !warnings.is_empty() {
                <div class="warnings" role="alert" data-testid="warnings">
                    <p><strong>{ "Some settings could not be used as given:" }</strong></p>
                    <ul>{ for warnings.iter().map(|w| html! { <li>{ w.to_string() }</li> }) }</ul>
                    <button type="button" onclick={{ let d = dispatch.clone(); Callback::from(move |_: MouseEvent| d.emit(Action::DismissWarnings)) }}>{ "Dismiss" }</button>
                </div>
            }
            if embed {
                // An embed puts its charts before its controls in the page, as it shows them, so
                // the keyboard reaches a chart's buttons before the sliders under it.
                <main class={classes!("layout", (!show_controls).then_some("no-controls"))} ref={layout_ref}>
                    <div class="results">
                        { figure_group(figures.into_iter().map(|(_, f)| f).collect()) }
                        <p class="embed-link"><a href={full_link()} target="_blank" rel="noopener">{ "Open in llm-memviz ↗" }</a></p>
                        { share_line }
                    </div>
                    { aside("Settings", all_panels()) }
                </main>
            } else if one_column {
                // One column, in the order shown: the key numbers and the first chart, the
                // controls that move it, the other charts, the training data's controls above the
                // charts they drive, then "show working". Each group is laid out as one column
                // by the stylesheet (`.in-order`).
                <main class={classes!("layout", "in-order", (!show_controls).then_some("no-controls"))} ref={layout_ref}>
                    {{
                        let late = |c: ChartId| matches!(c, ChartId::Chinchilla | ChartId::Isoflop);
                        let mut rest = figures.into_iter();
                        let lead: Vec<Html> = rest.next().map(|(_, f)| f).into_iter().collect();
                        let (late_figures, other_figures): (Vec<_>, Vec<_>) = rest.partition(|(c, _)| late(*c));
                        html! { <>
                            <div class="results">{ key_numbers }{ figure_group(lead) }</div>
                            { aside("Settings", html! { <>
                                { workload_panel.clone() }
                                { training_panel.clone() }
                                { precision_panel.clone() }
                                { hardware_panel.clone() }
                                { model_panel.clone() }
                            </> }) }
                            <div class="results">{ explainer }{ figure_group(other_figures.into_iter().map(|(_, f)| f).collect()) }</div>
                            { aside("Training data settings", data_panel.clone()) }
                            <div class="results">{ figure_group(late_figures.into_iter().map(|(_, f)| f).collect()) }{ working }{ share_line }</div>
                        </> }
                    }}
                </main>
            } else {
                // Two columns: the settings, then the results beside them.
                <main class={classes!("layout", (!show_controls).then_some("no-controls"))} ref={layout_ref}>
                    { aside("Settings", all_panels()) }
                    <div class="results">
                        { key_numbers }
                        { explainer }
                        { figure_group(figures.into_iter().map(|(_, f)| f).collect()) }
                        { working }
                        { share_line }
                    </div>
                </main>
            }
            if let Some(query) = (!embed && all).then(|| page.query()) {
                <footer>
                    <p>{ "Sources: each preset's config.json; Austin et al. 2025 (How To Scale Your Model); Korthikanti et al. 2022; Rajbhandari et al. 2020; Hoffmann et al. 2022; Besiroglu et al. 2024; each engine's source and published measurements (Show working). Bounds are lower bounds; expected speeds are fitted to measurements." }</p>
                    <p class="cli">{ "The same numbers from the command line, in a checkout of the source (Rust): " }
                        <code data-testid="cli-command">{ cli_command(&query) }</code>
                        <button type="button" onclick={{ let (q, st) = (query.clone(), share_status.setter()); Callback::from(move |_: MouseEvent| {
                            copy_and_say(cli_command(&q), "Command copied", "command", st.clone());
                        }) }}>{ "Copy command" }</button>
                        { " (add --json for the figures as JSON)." }
                    </p>
                </footer>
            }
        </div>
    }
}

/// Renders one chart's slot: what [`chart::for_chart`] does for each chart the view shows.
struct Slot<'a> {
    src: &'a Sources,
    style: Style,
    hover: Option<f64>,
    dispatch: &'a Callback<Action>,
    compact: bool,
    chart_only: bool,
    on_share: &'a Callback<ChartId>,
}

impl ForChart for Slot<'_> {
    type Out = Html;
    fn run<C: Chart>(self) -> Html {
        html! {
            <ChartSlot key={C::ID.id()} chart={Typed::<C>::of(self.src)} style={self.style} hover={self.hover} dispatch={self.dispatch.clone()} compact={self.compact} chart_only={self.chart_only} on_share={self.on_share.clone()} />
        }
    }
}

/// The command that prints this view's numbers: the CLI the same crate builds, run from a
/// checkout of the source.
fn cli_command(query: &str) -> String {
    format!("cargo run --release -- '{query}'")
}

/// Copies `text`, then says `done`, or shows the text to copy by hand ("Copy this {what}: …")
/// where the browser refuses the clipboard.
fn copy_and_say(text: String, done: &'static str, what: &'static str, status: UseStateSetter<Option<String>>) {
    wasm_bindgen_futures::spawn_local(async move {
        let ok = browser::copy_text(&text).await;
        status.set(Some(if ok {
            done.to_string()
        } else {
            format!("Copy this {what}: {text}")
        }));
    });
}
