//! Component tests in headless Chromium (`cargo test --target wasm32-unknown-unknown --test
//! browser`): the real app mounted in a page; each control changes the state, the link and the
//! chart; invalid typing is reported inline and keeps the last valid value.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo_timers::future::sleep;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .unwrap_or_else(|| panic!("no document"))
}

/// Mounts a fresh app for `query` and waits for its first render.
async fn mount(query: &str) -> web_sys::Element {
    let w = web_sys::window().unwrap_or_else(|| panic!("no window"));
    let path = w.location().pathname().unwrap_or_default();
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let _ = w
        .history()
        .map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
    let doc = document();
    let host = doc.create_element("div").unwrap_or_else(|_| panic!("div"));
    doc.body()
        .unwrap_or_else(|| panic!("body"))
        .append_child(&host)
        .unwrap_or_else(|_| panic!("append"));
    yew::Renderer::<llm_memviz::ui::app::App>::with_root(host.clone()).render();
    // The first chart renders first and the rest a moment later: wait for the last one.
    let staged = wait_until(|| {
        host.query_selector("#chart-isoflop .svg-host svg")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    assert!(staged, "the app did not finish its first render");
    settle().await;
    host
}

async fn settle() {
    sleep(Duration::from_millis(60)).await;
}

/// Waits up to 3 s for `cond` (events like `toggle` are delivered asynchronously).
async fn wait_until(cond: impl Fn() -> bool) -> bool {
    for _ in 0..150 {
        if cond() {
            return true;
        }
        sleep(Duration::from_millis(20)).await;
    }
    cond()
}

fn q(host: &web_sys::Element, sel: &str) -> web_sys::Element {
    host.query_selector(sel)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no element {sel}"))
}

fn text(host: &web_sys::Element, sel: &str) -> String {
    q(host, sel).text_content().unwrap_or_default()
}

fn inner(host: &web_sys::Element, sel: &str) -> String {
    q(host, sel).inner_html()
}

fn fire(el: &web_sys::Element, kind: &str) {
    let ev = web_sys::Event::new_with_event_init_dict(kind, &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap_or_else(|_| panic!("event"));
    let _ = el.dispatch_event(&ev);
}

fn click(el: &web_sys::Element) {
    if let Some(e) = el.dyn_ref::<web_sys::HtmlElement>() {
        e.click();
    }
}

fn set_value(el: &web_sys::Element, v: &str, kind: &str) {
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(v);
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(v);
    }
    fire(el, kind);
}

fn location_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The URL once it contains every part (it follows the state 200 ms after the last change).
async fn query_with(parts: &[&str]) -> String {
    wait_until(|| {
        let q = location_query();
        parts.iter().all(|p| q.contains(p))
    })
    .await;
    location_query()
}

#[wasm_bindgen_test]
async fn renders_the_default_scenario() {
    let host = mount("").await;
    let svg = inner(&host, "#chart-memory .svg-host");
    assert!(
        svg.contains("Context length (tokens)") && svg.contains("Memory (GiB)"),
        "axis labels"
    );
    let marker = inner(&host, "#chart-memory .marker-layer");
    assert!(marker.contains("8k tokens"), "current-context marker: {marker}");
    assert!(
        text(&host, "#chart-memory figcaption")
            .starts_with("At 8,192 tokens the KV cache (the activations kept for past tokens) is 1.00 GiB")
    );
    for id in ["memory", "breakdown", "speed", "chinchilla", "isoflop"] {
        assert!(
            host.query_selector(&format!("#chart-{id} svg"))
                .ok()
                .flatten()
                .is_some(),
            "{id} chart"
        );
        // The data table is built when its disclosure opens.
        assert!(
            host.query_selector(&format!("#chart-{id} table"))
                .ok()
                .flatten()
                .is_none(),
            "{id} table built closed"
        );
        click(&q(&host, &format!("#chart-{id} details summary")));
        let sel = format!("#chart-{id} table caption");
        let found = wait_until(|| host.query_selector(&sel).ok().flatten().is_some()).await;
        assert!(
            found,
            "{id} table: {}",
            inner(&host, &format!("#chart-{id} .chart-actions"))
        );
    }
    host.remove();
}

#[wasm_bindgen_test]
async fn context_slider_and_field_change_state_link_and_chart() {
    let host = mount("").await;
    let before = inner(&host, "#chart-memory .chart-canvas");
    let field = q(&host, "#ctx-num");
    set_value(&field, "128k", "change");
    // A figure out of the test page's view follows once the change settles (250 ms).
    let moved = wait_until(|| {
        let after = inner(&host, "#chart-memory .chart-canvas");
        after != before && after.contains("128k tokens")
    })
    .await;
    assert!(moved, "chart redrawn with its new marker");
    assert!(query_with(&["ctx=128k"]).await.contains("ctx=128k"), "link follows");
    // The range input moves the same state.
    let range = q(&host, "#ctx");
    set_value(&range, "0", "input");
    settle().await;
    assert_eq!(
        q(&host, "#ctx-num")
            .dyn_ref::<web_sys::HtmlInputElement>()
            .map(|i| i.value()),
        Some("1".to_string())
    );
    // Invalid typing: inline message, last valid value kept.
    let field = q(&host, "#ctx-num");
    set_value(&field, "lots", "change");
    settle().await;
    assert!(text(&host, ".slider .field-error").contains("kept 1"), "inline error");
    // One token is "1 token" (the slider's minimum).
    let one = wait_until(|| {
        q(&host, "#chart-memory .marker-layer")
            .inner_html()
            .contains(">1 token<")
    })
    .await;
    assert!(one, "{}", q(&host, "#chart-memory .marker-layer").inner_html());
    host.remove();
}

#[wasm_bindgen_test]
async fn every_control_group_changes_the_state() {
    let host = mount("").await;
    let cards = || text(&host, "[data-testid=key-numbers]");
    let start = cards();
    // Weights precision: 8.03B × 4.8944 bits ≈ 4.58 GiB.
    set_value(&q(&host, "#weights"), "q4_k_m", "change");
    settle().await;
    assert!(cards().contains("4.58 GiB"), "weights: {}", cards());
    // KV precision halves the cache.
    set_value(&q(&host, "#kv"), "fp8", "change");
    settle().await;
    assert!(cards().contains("512 MiB"), "kv: {}", cards());
    // Batch.
    set_value(&q(&host, "#batch-num"), "4", "change");
    settle().await;
    assert!(cards().contains("2.00 GiB"), "batch: {}", cards());
    // GPU and count.
    set_value(&q(&host, "#gpu"), "rtx-4090-24gb", "change");
    assert!(wait_until(|| text(&host, "#chart-memory figcaption").contains("24.0 GiB")).await);
    // Model preset.
    set_value(&q(&host, "#model"), "mixtral-8x7b", "change");
    settle().await;
    assert!(text(&host, "#params-num").is_empty() && cards() != start);
    // Units toggle.
    let gb = host
        .query_selector("input[name=units]:not(:checked)")
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("units"));
    click(&gb);
    assert!(
        wait_until(|| inner(&host, "#chart-memory .svg-host").contains("Memory (GB)")).await,
        "units"
    );
    // Training mode shows the training panel and changes the cards.
    let train = host
        .query_selector("input[name=mode][value=train]")
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("mode"));
    click(&train);
    settle().await;
    assert!(
        host.query_selector("#optimizer").ok().flatten().is_some(),
        "training panel"
    );
    assert!(cards().contains("Gradients + optimizer"));
    set_value(&q(&host, "#zero"), "3", "change");
    settle().await;
    // Tokens and fit.
    set_value(&q(&host, "#tokens-num"), "1.4T", "change");
    set_value(&q(&host, "#fit"), "hoffmann", "change");
    settle().await;
    let parts = [
        "model=mixtral-8x7b",
        "weights=q4_k_m",
        "kv=fp8",
        "batch=4",
        "mode=train",
        "zero=3",
        "gpu=rtx-4090-24gb",
        "tokens=1.4T",
        "fit=hoffmann",
        "units=gb",
    ];
    let link = query_with(&parts).await;
    for part in parts {
        assert!(link.contains(part), "{part} missing from {link}");
    }
    // Theme.
    set_value(&q(&host, "#theme"), "dark", "change");
    settle().await;
    let theme = document()
        .document_element()
        .and_then(|e| e.get_attribute("data-theme"));
    assert_eq!(theme.as_deref(), Some("dark"));
    host.remove();
}

#[wasm_bindgen_test]
async fn bad_links_show_warnings_and_keep_valid_fields() {
    let host = mount("ctx=abc&batch=4&model=<b>nope</b>").await;
    let w = text(&host, "[data-testid=warnings]");
    assert!(w.contains("ctx") && w.contains("model"), "{w}");
    assert!(
        host.query_selector("[data-testid=warnings] b").ok().flatten().is_none(),
        "markup rendered as text"
    );
    assert!(
        text(&host, "[data-testid=key-numbers]").contains("4.00 GiB"),
        "batch 4 kept: KV 4 × 1 GiB"
    );
    click(&q(&host, "[data-testid=warnings] button"));
    settle().await;
    assert!(
        host.query_selector("[data-testid=warnings]").ok().flatten().is_none(),
        "dismissed"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn pin_compares_a_and_b() {
    let host = mount("").await;
    let pin = host
        .query_selector(".toolbar button:not(.primary):not(.term)")
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pin"));
    click(&pin);
    settle().await;
    set_value(&q(&host, "#model"), "llama-3.1-70b", "change");
    // A figure out of view follows a change once it settles (250 ms) or scrolls in.
    let drawn = wait_until(|| {
        inner(&host, "#chart-memory .svg-host").contains("A: Llama-3.1-8B")
            && inner(&host, "#chart-breakdown .svg-host").contains("B: Inference")
    })
    .await;
    assert!(drawn, "overlay legend");
    let link = query_with(&["a.model=llama-3.1-8b"]).await;
    assert!(link.contains("a.model=llama-3.1-8b"), "{link}");
    host.remove();
}
