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
//!
//! A shared link looks like what it holds where a server-free site can manage it: the head
//! gains Open Graph tags (title, the default view's summary as the description) and a preview
//! image, `og.png`, the default memory chart drawn by the same code and rasterised by `resvg`
//! (crates.io) from the chart's own SVG. Every link shows this preview: a preview per link
//! would need a server to draw it.

use crate::chart::memory::Memory;
use crate::chart::{self, Chart, LIGHT, Sources, Style, words};
use crate::share::{self, ChartId};

/// The link-preview image's file name, beside `index.html`.
pub const OG_IMAGE: &str = "og.png";

/// The preview's size in CSS pixels; it is drawn at [`OG_SCALE`]× (1200 × 630: the 1.91 : 1
/// size Open Graph consumers ask for).
const OG_SIZE: (u32, u32) = (600, 315);
const OG_SCALE: u32 = 2;

/// Fonts the preview's "sans-serif" may be, in order (Debian's fonts-liberation, which
/// Chromium depends on, and fonts-dejavu-core).
const OG_FONTS: [&str; 4] = ["Liberation Sans", "DejaVu Sans", "Arial", "Helvetica"];

/// The page's generic title (the app then names the scenario in the tab).
pub const PAGE_TITLE: &str = "llm-memviz — where a language model's memory goes";

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

/// `index` with its loading line replaced by the first view and the link-preview tags added
/// to its head. `site_url` is where the site is served (the preview image's address must be
/// absolute for most consumers); without it the image's address is relative.
pub fn into_index(index: &str, site_url: Option<&str>) -> Result<String, String> {
    if !index.contains(MARKER) {
        return Err(format!("index.html has no {MARKER} to replace"));
    }
    if !index.contains("</head>") {
        return Err("index.html has no </head> for the link-preview tags".to_string());
    }
    let with_view = index.replacen(MARKER, &default_view()?, 1);
    Ok(with_view.replacen("</head>", &format!("{}</head>", preview_tags(site_url)), 1))
}

/// The default view's memory chart with its current-context marker, at the preview's size.
fn preview_svg() -> Result<String, String> {
    let state = share::decode("").state;
    let src = Sources::of(&state.scenario, state.view.units);
    let (input, now) = (Memory::input(&src), Memory::now(&src));
    let d = Memory::data(&input);
    let st = Style {
        width: OG_SIZE.0,
        height: OG_SIZE.1,
        palette: LIGHT,
    };
    let (mut ops, g) = chart::render(&st, |a| Memory::draw(a, &d, &st))?;
    if let Some(m) = Memory::marker(&input, &now, &d) {
        ops.extend(chart::marker(&g, &st, m.x, m.y, &m.label));
    }
    Ok(chart::record::to_svg(&ops, OG_SIZE))
}

/// The link-preview image as PNG bytes: the chart's own SVG rasterised by `resvg` at
/// [`OG_SCALE`]×. Fails, saying why, when no font for its text is installed (the image would
/// otherwise silently lose every label).
pub fn preview_png() -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let svg = preview_svg()?;
    let mut opt = usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    let family = OG_FONTS
        .into_iter()
        .find(|f| opt.fontdb.faces().any(|face| face.families.iter().any(|(n, _)| n == f)))
        .ok_or_else(|| {
            format!(
                "no font for the preview image's text: none of {} is installed (apt install fonts-liberation)",
                OG_FONTS.join(", ")
            )
        })?;
    opt.fontdb_mut().set_sans_serif_family(family);
    let tree = usvg::Tree::from_str(&svg, &opt).map_err(|e| format!("preview image: {e}"))?;
    let (w, h) = (OG_SIZE.0 * OG_SCALE, OG_SIZE.1 * OG_SCALE);
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or("preview image: empty size")?;
    let scale = OG_SCALE as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| format!("preview image: {e}"))
}

/// Open Graph and Twitter card tags: the page's title, the default view's summary sentence as
/// the description, and [`OG_IMAGE`].
pub fn preview_tags(site_url: Option<&str>) -> String {
    let state = share::decode("").state;
    let src = Sources::of(&state.scenario, state.view.units);
    let (input, now) = (Memory::input(&src), Memory::now(&src));
    let summary = Memory::summary(&input, &now, &Memory::data(&input));
    let base = site_url.map(|u| {
        if u.ends_with('/') {
            u.to_string()
        } else {
            format!("{u}/")
        }
    });
    let image = format!("{}{OG_IMAGE}", base.as_deref().unwrap_or(""));
    let alt = format!(
        "{} for {}: {summary}",
        words::chart_title(ChartId::Memory),
        src.now.report.model.name
    );
    let mut tags = vec![
        ("og:type", "website".to_string()),
        ("og:site_name", "llm-memviz".to_string()),
        ("og:title", PAGE_TITLE.to_string()),
        ("og:description", summary),
        ("og:image", image),
        ("og:image:width", (OG_SIZE.0 * OG_SCALE).to_string()),
        ("og:image:height", (OG_SIZE.1 * OG_SCALE).to_string()),
        ("og:image:alt", alt),
    ];
    if let Some(b) = base {
        tags.push(("og:url", b));
    }
    let mut out: String = tags
        .iter()
        .map(|(k, v)| format!("  <meta property=\"{k}\" content=\"{}\">\n", esc(v)))
        .collect();
    out.push_str("  <meta name=\"twitter:card\" content=\"summary_large_image\">\n");
    out
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
        let index =
            into_index(&format!("<head></head><div id=\"app\">{MARKER}</div>"), None).unwrap_or_else(|e| panic!("{e}"));
        assert!(index.contains("</head><div id=\"app\"><div class=\"app prerender\""));
        assert!(into_index("<head></head><div id=\"app\"></div>", None).is_err());
        assert!(
            into_index(&format!("<div id=\"app\">{MARKER}</div>"), None).is_err(),
            "no head"
        );
    }

    #[test]
    fn a_shared_link_previews_the_default_chart_and_its_numbers() {
        let head = preview_tags(Some("https://example.org/llm-memviz"));
        let state = share::decode("").state;
        let r = state.scenario.evaluate();
        let summary = chart::memory::summary(&state.scenario, &r, state.view.units);
        // The description is the default view's summary: its key numbers.
        assert!(head.contains(&format!(
            "<meta property=\"og:description\" content=\"{}\">",
            esc(&summary)
        )));
        assert!(summary.contains("122,533"), "{summary}");
        // An absolute image address when the site's address is known, relative otherwise.
        assert!(head.contains("<meta property=\"og:image\" content=\"https://example.org/llm-memviz/og.png\">"));
        assert!(head.contains("<meta property=\"og:url\" content=\"https://example.org/llm-memviz/\">"));
        assert!(preview_tags(None).contains("<meta property=\"og:image\" content=\"og.png\">"));
        assert!(head.contains("content=\"1200\"") && head.contains("content=\"630\""));
        assert!(head.contains("summary_large_image"));
        // index.html's own title is the same words.
        let index = include_str!("../index.html");
        assert!(
            index.contains(&format!("<title>{PAGE_TITLE}</title>")),
            "index.html's <title>"
        );
        // The image's SVG is the chart with the 8k marker, at 600 × 315.
        let svg = preview_svg().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            svg.contains("viewBox=\"0 0 600 315\"") || svg.contains("width=\"600\""),
            "{}",
            &svg[..200]
        );
        assert!(svg.contains("KV = weights at 122,533") && svg.contains("8k tokens"));
    }
}
