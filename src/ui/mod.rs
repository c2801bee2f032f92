//! The yew component tree (compiled for wasm32 only). `app` holds the one state; `panels` and
//! `controls` are the settings; `charts` shows each chart with its read-out, table and exports;
//! `import` reads a pasted config.json; `browser` is the only module that touches the DOM APIs
//! directly (URL, clipboard, downloads, observers, postMessage).

pub mod app;
pub mod browser;
pub mod charts;
pub mod controls;
pub mod import;
pub mod panels;

/// Starts the app (`static/boot.js`, a module script, runs it once the page is parsed): draws a
/// link's first view when it can ([`crate::prerender`]), and mounts the app on `#app` (or
/// `<body>`), with panics reported to the console.
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
    // A bare URL's first view is in the page already (unless a link's mark hides it); a link's
    // is drawn now, when it can be.
    let built = !browser::has_state_mark() && el.query_selector("#prerender").ok().flatten().is_some();
    if built || draw_first_view(&el) {
        // The mount replaces the first view; it waits until that has been painted (or a
        // moment, where frames never come: a hidden iframe), so a module that arrives before
        // the first paint does not hold the chart back by the mount's length.
        let once = std::rc::Rc::new(std::cell::Cell::new(Some(el)));
        let later = once.clone();
        let mount = move |cell: &std::cell::Cell<Option<web_sys::Element>>| {
            if let Some(el) = cell.take() {
                mount_on(el);
            }
        };
        browser::after_paint(move || mount(&once));
        browser::after(FIRST_VIEW_MOUNT_MS, move || mount(&later));
    } else {
        mount_on(el);
    }
}

/// The longest the mount waits after a link's first view, where no frame comes.
const FIRST_VIEW_MOUNT_MS: f64 = 100.0;

fn mount_on(el: web_sys::Element) {
    el.set_inner_html("");
    yew::Renderer::<app::App>::with_root(el).render();
}

/// Draws the first view of a link that carries state into `el`, as the app's first render
/// would (its width, theme and title), and lifts the `has-state` mark that hid the
/// build-time default. False where the page does not lead with the memory chart, or has
/// something to warn about: that link keeps its loading line until the app mounts.
fn draw_first_view(el: &web_sys::Element) -> bool {
    if !browser::has_state_mark() {
        return false;
    }
    let page = crate::state::Page::from_query(
        &browser::query(),
        app::first_chart_width(browser::viewport_width()),
        browser::dark_query().is_some_and(|m| m.matches()),
    );
    if !crate::prerender::draws_first(&page) {
        return false;
    }
    let (state, dark) = (&page.share, page.dark());
    let palette = if dark { crate::chart::DARK } else { crate::chart::LIGHT };
    let width = crate::prerender::Widths::One(page.width);
    match crate::prerender::first_view(state, width, palette) {
        Ok(Some(html)) => {
            browser::set_theme_attr(if dark { "dark" } else { "light" });
            browser::set_embed_attr(state.view.embed);
            browser::set_title(&app::page_title(&state.scenario, &state.scenario.evaluate()));
            el.set_inner_html(&html);
            browser::lift_has_state_mark();
            browser::mark("llm-memviz:first-view");
            true
        }
        Ok(None) => false,
        Err(e) => {
            // The app will draw it (or say why): the first view is only a head start.
            browser::report_bug(&format!("first view: {e}"));
            false
        }
    }
}
