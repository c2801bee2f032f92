//! The first view, rendered at build time into `dist/index.html` (native only; `llm-memviz
//! --prerender dist/index.html` does it, from `scripts/build-dist.sh`), so a bare URL shows the
//! memory chart in its first paint instead of a "Loading" line while the module downloads.
//!
//! It is drawn by the same code the app runs — the default scenario through the memory chart's
//! [`Chart`] implementation (its data, its `draw` at a wide and a narrow width, one shown per
//! the viewport's width, its lede and summary) — inside the same figure markup and classes, so the mounted app
//! replaces it with the same chart, words and numbers. `ui::start` clears `#app` before
//! mounting, which removes it. A link that carries state (or an embed) never shows it:
//! `static/state.js`, a blocking script in `<head>`, marks the document `has-state` and the
//! stylesheet hides the prerendered view and shows the "Loading" line instead.

use crate::chart::memory::Memory;
use crate::chart::{self, Chart, LIGHT, Sources, Style, words};
use crate::share::{self, ChartId};

/// The marker in `index.html` that the first view replaces.
pub const MARKER: &str = "<p class=\"loading\">Loading llm-memviz…</p>";

/// Widths the first view is drawn at: the wide layout's chart column, and a phone's.
const WIDE: u32 = 760;
const NARROW: u32 = 360;

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The default view's header and memory chart as HTML.
pub fn default_view() -> Result<String, String> {
    let state = share::decode("").state;
    let src = Sources::of(&state.scenario, state.view.units);
    let (input, now) = (Memory::input(&src), Memory::now(&src));
    let d = Memory::data(&input);
    let svg = |width: u32| -> Result<String, String> {
        let st = Style::for_width(width, LIGHT);
        Ok(chart::render_svg(&st, |a| Memory::draw(a, &d, &st))?.0)
    };
    let (wide, narrow) = (svg(WIDE)?, svg(NARROW)?);
    let id = ChartId::Memory.id();
    Ok(format!(
        concat!(
            "<div class=\"app prerender\" id=\"prerender\">",
            "<header class=\"top\"><div class=\"title\"><h1>llm-memviz</h1><p class=\"tagline\">{tagline}</p></div></header>",
            "<main class=\"layout\"><aside class=\"controls\" aria-label=\"Settings\"></aside><div class=\"results\"><div class=\"figures\">",
            "<figure class=\"chart\" id=\"chart-{id}\" aria-labelledby=\"chart-{id}-title\" aria-describedby=\"chart-{id}-summary\">",
            "<h3 id=\"chart-{id}-title\">{title}</h3><p class=\"lede\">{lede}</p>",
            "<div class=\"chart-canvas\"><div class=\"svg-host\" role=\"img\" aria-labelledby=\"chart-{id}-summary\">",
            "<div class=\"pre-wide\">{wide}</div><div class=\"pre-narrow\">{narrow}</div></div></div>",
            "<p class=\"readout\">{hint}</p><figcaption id=\"chart-{id}-summary\" class=\"summary\">{summary}</figcaption>",
            "</figure></div></div></main></div>",
            "<p class=\"loading pre-state\">Loading llm-memviz…</p>"
        ),
        tagline = esc(words::TAGLINE),
        id = id,
        title = esc(words::chart_title(ChartId::Memory)),
        lede = esc(Memory::LEDE.unwrap_or_default()),
        wide = wide,
        narrow = narrow,
        hint = esc(words::READOUT_HINT),
        summary = esc(&Memory::summary(&input, &now, &d)),
    ))
}

/// `index` with its loading line replaced by the first view.
pub fn into_index(index: &str) -> Result<String, String> {
    if !index.contains(MARKER) {
        return Err(format!("index.html has no {MARKER} to replace"));
    }
    Ok(index.replacen(MARKER, &default_view()?, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_view_is_the_apps_default_chart_and_sentence() {
        let html = default_view().unwrap_or_else(|e| panic!("{e}"));
        let state = share::decode("").state;
        let r = state.scenario.evaluate();
        let summary = chart::memory::summary(&state.scenario, &r, state.view.units);
        assert!(html.contains(&esc(&summary)), "the app's own summary sentence");
        assert!(summary.contains("122,533"), "{summary}");
        assert_eq!(html.matches("<svg").count(), 2, "a wide and a narrow drawing");
        assert!(html.contains("id=\"chart-memory\"") && html.contains(words::MEMORY_LEDE));
        let index = into_index(&format!("<div id=\"app\">{MARKER}</div>")).unwrap_or_else(|e| panic!("{e}"));
        assert!(index.starts_with("<div id=\"app\"><div class=\"app prerender\""));
        assert!(into_index("<div id=\"app\"></div>").is_err());
    }
}
