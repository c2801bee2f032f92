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

/// The address bar's and the tab title's pending update: the latest query and title, and when
/// they last changed.
#[derive(Default)]
struct UrlSync {
    query: String,
    title: String,
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
        let (q, title) = {
            let mut s = sync.borrow_mut();
            s.pending = false;
            (s.query.clone(), s.title.clone())
        };
        browser::set_title(&title);
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

/// The width the first chart is drawn at before the layout has been measured: the chart
/// column of the two-column layout (the settings take 420 px), or the one column's width.
pub fn first_chart_width(viewport_width: u32) -> u32 {
    if viewport_width > 980 {
        viewport_width.min(1400) - 420
    } else {
        viewport_width.saturating_sub(32)
    }
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

/// The application root.
#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(|| {
        let dark = browser::dark_query().is_some_and(|m| m.matches());
        let chart_width = first_chart_width(browser::viewport_width());
        Store(Rc::new(Page::from_query(&browser::query(), chart_width, dark)))
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
    let report = use_memo(scenario.clone(), |s| Rc::new(s.evaluate()));
    let report: Rc<Report> = (*report).clone();
    let compare_report = use_memo(compare.clone(), |c| c.as_ref().map(|s| Rc::new(s.evaluate())));
    let query = page.query();

    // --- Effects -----------------------------------------------------------------------
    // The URL follows the state, after 200 ms of quiet (no history flood while dragging). A URL
    // that already describes this state is left as the user typed it. One timer at a time: a
    // timer per change (cancelled by the next) costs more than the rest of a slider move.
    // The tab title follows with it, once the scenario settles (a slider's drag rewrites it
    // once, not on every move); the first render sets it at once.
    let url_sync = use_mut_ref(UrlSync::default);
    let title = page_title(&scenario, &report);
    use_effect_with((query.clone(), title), move |(q, t)| {
        let first = url_sync.borrow().title.is_empty();
        if first {
            browser::set_title(t);
        }
        let schedule = {
            let mut s = url_sync.borrow_mut();
            s.query.clone_from(q);
            s.title.clone_from(t);
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
            let listener = browser::dark_query().map(|mq| {
                gloo_events::EventListener::new(&mq, "change", move |e| {
                    use wasm_bindgen::JsCast;
                    if let Some(ev) = e.dyn_ref::<web_sys::MediaQueryListEvent>() {
                        d.emit(Action::SystemDark(ev.matches()));
                    }
                })
            });
            move || drop(listener)
        });
    }
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

    // The first chart renders alone; the others follow a frame later (a timer, not
    // requestAnimationFrame, which never fires in an off-screen or hidden iframe), so the page
    // shows something useful as early as possible.
    let staged = use_state(|| false);
    {
        let staged = staged.clone();
        use_effect_with((), move |_| {
            let t = gloo_timers::callback::Timeout::new(20, move || staged.set(true));
            move || drop(t)
        });
    }
    let all = *staged;
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
    let latest_query = use_mut_ref(String::new);
    latest_query.borrow_mut().clone_from(&query);
    let on_copy = {
        let (status, latest) = (copy_status.setter(), latest_query.clone());
        (*use_memo((), move |_| {
            Callback::from(move |_| {
                let url = format!("{}?{}", browser::base_url(), latest.borrow());
                copy_and_say(url, "Link copied", "link", status.clone());
            })
        }))
        .clone()
    };
    // A link to one chart: the full app with that chart first and in view, and the read-out
    // where the reader left it (`focus`, `at`). Made when pressed, from the latest state.
    let share_status = use_state(|| None::<String>);
    let latest_page = use_mut_ref(|| (page.share.clone(), page.hover));
    *latest_page.borrow_mut() = (page.share.clone(), page.hover);
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
        use_effect_with(*staged, move |all| {
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
    let style = Style::for_width(width, if dark { DARK } else { LIGHT });
    let figures: Vec<Html> = order
        .iter()
        .filter(|c| wanted(**c))
        .map(|c| {
            chart::for_chart(
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
            )
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

    let controls: Html = if show_controls {
        html! {
            // The panels arrive with the other charts (the staged first render): the
            // empty aside keeps its grid column meanwhile.
            <aside class="controls" aria-label="Settings">
                if all {
                    <ModelPanel p={props.clone()} />
                    <PrecisionPanel p={props.clone()} />
                    <WorkloadPanel p={props.clone()} />
                    <TrainingPanel p={props.clone()} />
                    <HardwarePanel p={props.clone()} />
                    <DataPanel p={props.clone()} />
                    if embed && view.shows(crate::share::ControlId::Units) {
                        <Toolbar view={page.share.view.clone()} comparing={page.share.compare.is_some()} dispatch={dispatch.clone()}
                            on_copy={{ let (s, f) = (on_share.clone(), first); Callback::from(move |_| s.emit(f)) }} copy_status={None::<String>} />
                    }
                }
            </aside>
        }
    } else {
        Html::default()
    };
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
            <main class={classes!("layout", (!show_controls).then_some("no-controls"))} ref={layout_ref}>
                // An embed puts its charts before its controls in the page, as it shows them,
                // so the keyboard reaches a chart's buttons before the sliders under it; the
                // full page keeps the settings column first.
                if !embed { { controls.clone() } }
                <div class="results">
                    if !embed {
                        <KeyNumbers ..props.clone() />
                        <details class="explainer">
                            <summary>{ explain.0 }</summary>
                            <p>{ explain.1 }</p>
                        </details>
                    }
                    // A container of its own: yew reconciles unkeyed siblings from the end, so a
                    // list that grows (the staged first render) would otherwise rebuild its
                    // neighbours.
                    <div class="figures">
                    { for figures }
                    </div>
                    if !embed {
                        <WorkingPanel scenario={scenario.clone()} report={report.clone()} units={units} />
                    } else {
                        <p class="embed-link"><a href={full_link()} target="_blank" rel="noopener">{ "Open in llm-memviz ↗" }</a></p>
                    }
                    <p class="share-status" role="status" aria-live="polite" data-testid="share-status">{ (*share_status).clone().unwrap_or_default() }</p>
                </div>
                if embed { { controls } }
            </main>
            if !embed {
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
