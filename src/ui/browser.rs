//! Browser glue: the only place that touches `window`, `history`, the clipboard, downloads and
//! `postMessage`. Every function degrades to doing nothing when the API is missing (old
//! browsers, sandboxed iframes), and reports failures as a `Result`, never a panic.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The page's query string (without `?`).
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// The page URL without query and fragment (works under any path prefix).
pub fn base_url() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// Replaces the URL's query without adding a history entry (no-op when unchanged).
pub fn replace_query(query: &str) {
    let Some(w) = web_sys::window() else { return };
    if w.location().search().ok().as_deref().map(|s| s.trim_start_matches('?')) == Some(query) {
        return;
    }
    if let Ok(h) = w.history() {
        let url = if query.is_empty() {
            w.location().pathname().unwrap_or_default()
        } else {
            format!("?{query}")
        };
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The window's inner width and height (what media queries read), in CSS pixels. Reading them
/// lays nothing out.
pub fn inner_size() -> (f64, f64) {
    let Some(w) = web_sys::window() else {
        return (1024.0, 768.0);
    };
    let px = |v: Result<JsValue, JsValue>, or: f64| v.ok().and_then(|v| v.as_f64()).unwrap_or(or);
    (px(w.inner_width(), 1024.0), px(w.inner_height(), 768.0))
}

/// [`inner_size`] and the page's width without a scrollbar (what the layout fills), in CSS
/// pixels: for the first render, before anything is laid out.
pub fn viewport() -> (f64, f64, f64) {
    let (inner_w, inner_h) = inner_size();
    let Some(w) = web_sys::window() else {
        return (inner_w, inner_h, inner_w);
    };
    let client_w = w
        .document()
        .and_then(|d| d.document_element())
        .map(|e| f64::from(e.client_width()))
        .filter(|c| *c > 0.0)
        .unwrap_or(inner_w);
    (inner_w, inner_h, client_w)
}

/// The `(prefers-color-scheme: dark)` media query, if available.
pub fn dark_query() -> Option<web_sys::MediaQueryList> {
    media_query("(prefers-color-scheme: dark)")
}

/// Calls `f` with whether `mq` matches, each time that changes; dropping the listener stops it.
pub fn on_media_change(mq: &web_sys::MediaQueryList, f: impl Fn(bool) + 'static) -> gloo_events::EventListener {
    gloo_events::EventListener::new(mq, "change", move |e| {
        if let Some(ev) = e.dyn_ref::<web_sys::MediaQueryListEvent>() {
            f(ev.matches());
        }
    })
}

/// The media query list of `query` (`matchMedia`).
pub fn media_query(query: &str) -> Option<web_sys::MediaQueryList> {
    web_sys::window()?.match_media(query).ok().flatten()
}

/// Reports a programming error (a state the code should never reach) on the console in debug
/// builds; release builds stay quiet for readers, and the caller leaves the state unchanged.
pub fn report_bug(message: &str) {
    if cfg!(debug_assertions) {
        web_sys::console::error_1(&JsValue::from_str(&format!("llm-memviz bug: {message}")));
    }
}

/// Sets the document's title (tabs, bookmarks and history name what a link holds).
pub fn set_title(title: &str) {
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}

/// Writes the theme onto `<html data-theme=…>` so CSS follows it.
pub fn set_theme_attr(theme: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("data-theme", theme);
    }
}

/// Marks `<html>` as embedded (chrome-less).
pub fn set_embed_attr(embed: bool) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = if embed {
            el.set_attribute("data-embed", "1")
        } else {
            el.remove_attribute("data-embed")
        };
    }
}

/// Copies text to the clipboard; resolves to whether it worked.
pub async fn copy_text(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let clipboard = w.navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// Offers `bytes` as a file download named `name`.
pub fn download(name: &str, mime: &str, content: &JsValue) -> Result<(), String> {
    let parts = js_sys::Array::of1(content);
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).map_err(|_| "could not create the file")?;
    download_blob(name, &blob)
}

/// Offers a blob as a file download.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| "could not create a download link")?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "no anchor")?
        .dyn_into()
        .map_err(|_| "no anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    // Revoke after the click has been handled.
    let revoke = url.clone();
    gloo_timers::callback::Timeout::new(1000, move || {
        let _ = web_sys::Url::revoke_object_url(&revoke);
    })
    .forget();
    Ok(())
}

/// Posts the document's height to the parent frame (embed auto-height; see README for the
/// message shape). Origin `*`: the message carries nothing private.
pub fn post_height(height: f64) {
    if !READY.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if parent == w {
        return;
    }
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"llm-memviz:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from_f64(height.ceil()));
    let _ = parent.post_message(&msg, "*");
}

/// Set once every chart is drawn: heights are posted from then on.
static READY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The view has drawn every chart: its height may be posted.
pub fn set_ready() {
    READY.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// `{ type: "llm-memviz:host", dark }` from the embedding page's embed.js: whether it is dark.
pub fn host_dark(data: &JsValue) -> Option<bool> {
    let t = js_sys::Reflect::get(data, &"type".into()).ok()?.as_string()?;
    (t == "llm-memviz:host").then(|| {
        js_sys::Reflect::get(data, &"dark".into())
            .ok()
            .and_then(|d| d.as_bool())
    })?
}

/// Height of the document's content in CSS pixels: the body's box, which (unlike the root's
/// scroll height) is never stretched to the frame, so an embed shrinks as well as grows.
pub fn document_height() -> f64 {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .map_or(0.0, |b| b.get_bounding_client_rect().height())
}

/// Content width of the first chart's canvas inside `root`, in CSS pixels (`None` when no
/// chart is laid out, e.g. display: none).
pub fn chart_canvas_width(root: &web_sys::Element) -> Option<f64> {
    let el = root.query_selector(".chart-canvas").ok().flatten()?;
    let w = f64::from(el.client_width());
    (w > 0.0).then_some(w)
}

/// A resize observer and the closure it calls (dropping the closure would detach it).
pub type Observer<A> = (web_sys::ResizeObserver, Closure<dyn FnMut(A)>);

/// Calls `f` with the document height whenever the body resizes. Returns the observer so the
/// caller keeps it alive (dropping the closure would detach it).
pub fn observe_body_height(f: impl Fn(f64) + 'static) -> Option<Observer<js_sys::Array>> {
    let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| f(document_height()));
    let obs = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()).ok()?;
    let body = web_sys::window()?.document()?.body()?;
    obs.observe(&body);
    Some((obs, cb))
}

/// Calls `f` with the element's content width whenever it changes.
pub fn observe_width(el: &web_sys::Element, f: impl Fn(f64) + 'static) -> Option<Observer<js_sys::Array>> {
    let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(entry) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
            f(entry.content_rect().width());
        }
    });
    let obs = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()).ok()?;
    obs.observe(el);
    Some((obs, cb))
}

/// An IntersectionObserver and its callback, kept alive together.
pub type VisibilityObserver = (web_sys::IntersectionObserver, Closure<dyn FnMut(js_sys::Array)>);

/// Calls `f(true)` when `el` comes within `margin` of the viewport and `f(false)` when it leaves
/// (an IntersectionObserver). Returns the observer and its callback, kept alive by the caller.
pub fn observe_visible(el: &web_sys::Element, margin: &str, f: impl Fn(bool) + 'static) -> Option<VisibilityObserver> {
    let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(e) = entries
            .get(entries.length().saturating_sub(1))
            .dyn_ref::<web_sys::IntersectionObserverEntry>()
        {
            f(e.is_intersecting());
        }
    });
    let init = web_sys::IntersectionObserverInit::new();
    init.set_root_margin(margin);
    let obs = web_sys::IntersectionObserver::new_with_options(cb.as_ref().unchecked_ref(), &init).ok()?;
    obs.observe(el);
    Some((obs, cb))
}

/// Milliseconds since the page loaded (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Runs `f` once after `ms` milliseconds (not cancellable; the closure is freed after it runs).
pub fn after(ms: f64, f: impl FnOnce() + 'static) {
    if let Some(w) = web_sys::window() {
        let cb = Closure::once_into_js(f);
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms.max(0.0) as i32);
    }
}

/// A User Timing mark (`performance.mark`): visible in the browser's performance panel, and
/// read by `make bench` to split the first load into its phases.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Runs `f` after the next frame has been painted: in a task queued from the frame's
/// `requestAnimationFrame` callback. Never where frames never come (a hidden iframe): pair it
/// with [`after`].
pub fn after_paint(f: impl FnOnce() + 'static) {
    if let Some(w) = web_sys::window() {
        let cb = Closure::once_into_js(move || after(0.0, f));
        let _ = w.request_animation_frame(cb.unchecked_ref());
    }
}

/// True once the page has painted its first frame (`static/state.js` notes it), so a wait for
/// the first view's paint can be skipped.
pub fn painted() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &JsValue::from_str("__llmMemvizPainted")).is_ok_and(|v| v.is_truthy())
    })
}

/// True when the page is the browser's own page, not inside a frame (an article's iframe is as
/// tall as its content, so its height says nothing about the screen's).
pub fn top_level() -> bool {
    web_sys::window().is_some_and(|w| w.parent().ok().flatten().is_none_or(|p| js_sys::Object::is(&p, &w)))
}

/// True when `static/state.js` marked the document as a link that carries state.
pub fn has_state_mark() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|el| el.class_list().contains(HAS_STATE))
}

/// The class `static/state.js` puts on `<html>` for a link that carries state.
const HAS_STATE: &str = "has-state";

/// Scrolls the element with this id to the top of the viewport (a link opened at a chart).
pub fn scroll_into_view(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view_with_bool(true);
    }
}

/// The page address's fragment ("#embed"), or "".
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}
