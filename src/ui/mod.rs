//! The yew component tree (compiled for wasm32 only). `app` holds the one state; `panels` and
//! `controls` are the settings; `charts` shows each chart with its read-out, table and exports;
//! `import` reads a pasted config.json; `browser` holds the DOM calls the app makes on its own
//! (address bar, title, clipboard, downloads, observers, media queries, postMessage), while a
//! component reads its own elements and events (an input's value, a chart's box, the PNG
//! export's canvas).

pub mod app;
pub mod browser;
pub mod charts;
pub mod controls;
pub mod import;
pub mod panels;

/// Starts the app (`static/boot.js` runs it once the module is compiled and the page parsed)
/// and mounts it on `#app` (or `<body>`), with panics reported to the console.
///
/// A bare URL shows the build-time first view ([`crate::prerender`]) until the app replaces
/// it. A link that carries state shows its loading line until then: the app's first render
/// draws the link's first chart alone ([`app`]'s staged render), which is all a first view
/// drawn here would have been, so drawing both would only draw it twice.
pub fn start() {
    browser::mark("llm-memviz:start");
    console_error_panic_hook::set_once();
    let host = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    let Some(el) = host else {
        yew::Renderer::<app::App>::new().render();
        return;
    };
    let built = !browser::has_state_mark() && el.query_selector("#prerender").ok().flatten().is_some();
    if !built || browser::painted() {
        mount_on(el);
        return;
    }
    // The mount replaces the first view; it waits until that has been painted (or a moment,
    // where frames never come: a hidden iframe), so a module that arrives before the first
    // paint does not hold the picture back by the mount's length.
    let once = std::rc::Rc::new(std::cell::Cell::new(Some(el)));
    let later = once.clone();
    let mount = move |cell: &std::cell::Cell<Option<web_sys::Element>>| {
        if let Some(el) = cell.take() {
            mount_on(el);
        }
    };
    browser::after_paint(move || mount(&once));
    browser::after(FIRST_VIEW_MOUNT_MS, move || mount(&later));
}

/// The longest the mount waits for the first view's paint, where no frame comes.
const FIRST_VIEW_MOUNT_MS: f64 = 100.0;

fn mount_on(el: web_sys::Element) {
    el.set_inner_html("");
    yew::Renderer::<app::App>::with_root(el).render();
}
