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

/// Mounts the app on `#app` (or `<body>`), with panics reported to the console.
pub fn start() {
    browser::mark("llm-memviz:start");
    console_error_panic_hook::set_once();
    let host = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match host {
        Some(el) => {
            el.set_inner_html("");
            yew::Renderer::<app::App>::with_root(el).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}
