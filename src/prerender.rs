//! The first view: the memory chart with its words, in the app's own markup, drawn before the
//! app mounts so the first paint shows a chart instead of a "Loading" line.
//!
//! - **A bare URL**: drawn at build time into `dist/index.html` (native; `llm-memviz
//!   --prerender dist/index.html`, from `scripts/build-dist.sh`), the default scenario at a wide
//!   and a narrow width, one shown per the viewport's width.
//! - **A link that carries state** (a shared scenario, an embed): `static/state.js`, a blocking
//!   script in `<head>`, marks the document `has-state`, and the stylesheet hides the
//!   build-time view (it is the default, not the link) and shows the "Loading" line. When the
//!   module starts, `ui::start` draws this link's first view at the width the app will draw,
//!   lifts the mark, and mounts the app after that frame is painted (the mount is what the
//!   link's first chart used to wait for). A link whose page does not lead with the memory
//!   chart (training leads with the breakdown) or that has something to warn about keeps the
//!   loading line until the app mounts.
//!
//! It is drawn by the same code the app runs (the memory chart's [`Chart`] implementation: its
//! data, its `draw`, its lede and summary), inside the same figure markup and classes, so the
//! mounted app replaces it with the same chart, words and numbers. `ui::start` clears `#app`
//! before mounting, which removes it.
//!
//! A shared link looks like what it holds where a server-free site can manage it: the head
//! gains Open Graph tags (title, the default view's summary as the description) and a preview
//! image, `og.png`, the default memory chart drawn by the same code and rasterised by `resvg`
//! (crates.io) from the chart's own SVG (native only, so the module does not contain it).
//! Every link shows this preview: a preview per link would need a server to draw it.

use crate::chart::memory::Memory;
use crate::chart::{self, Chart, Evaluated, LIGHT, Sources, Style, cards, words};
use crate::share::{self, ChartId};

/// The link-preview image's file name, beside `index.html`.
pub const OG_IMAGE: &str = "og.png";

/// The preview's size in CSS pixels; it is drawn at [`OG_SCALE`]× (1200 × 630: the 1.91 : 1
/// size Open Graph consumers ask for).
#[cfg(not(target_arch = "wasm32"))]
const OG_SIZE: (u32, u32) = (600, 315);
#[cfg(not(target_arch = "wasm32"))]
const OG_SCALE: u32 = 2;

/// Fonts the preview's "sans-serif" may be, in order (Debian's fonts-liberation, which
/// Chromium depends on, and fonts-dejavu-core).
#[cfg(not(target_arch = "wasm32"))]
const OG_FONTS: [&str; 4] = ["Liberation Sans", "DejaVu Sans", "Arial", "Helvetica"];

/// The page's generic title (the app then names the scenario in the tab).
pub const PAGE_TITLE: &str = "llm-memviz — where a language model's memory goes";

/// The marker in `index.html` that the first view replaces.
pub const MARKER: &str = "<p class=\"loading\">Loading llm-memviz…</p>";

/// Widths the first view is drawn at: the wide layout's chart column, and a phone's.
const WIDE: u32 = 760;
const NARROW: u32 = 360;

/// Escapes text for HTML (the chart writer's escaper: one for every text a reader controls).
fn esc(s: &str) -> String {
    chart::record::escaped(s)
}

/// The default view's first view, for any screen (a wide and a narrow drawing).
pub fn default_view() -> Result<String, String> {
    first_view(&share::decode("").state, Widths::WideAndNarrow, LIGHT)?
        .ok_or_else(|| "the default scenario has warnings: no first view to write".to_string())
}

/// Where the first view is drawn, and so at which widths.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Widths {
    /// At build time, for any screen: a wide and a narrow drawing; the stylesheet shows one.
    WideAndNarrow,
    /// In the browser, at the width the app's first render draws.
    One(u32),
}

/// True when a page's first view can be drawn before the app mounts: it leads with the memory
/// chart and has nothing to warn about (a warning is shown above the charts, so that page
/// waits for the app, with its loading line).
pub fn draws_first(page: &crate::state::Page) -> bool {
    let state = &page.share;
    page.warnings.is_empty() && state.view.order(state.scenario.mode).first() == Some(&ChartId::Memory)
}

/// The first view of `state` as HTML, in the app's own markup and classes: the page's header
/// (none in an embed), the settings column still empty, the key numbers and the question under
/// them (not in an embed), and the memory chart with its context marker, lede, read-out hint
/// and summary, drawn by the same code the app runs. Comparing links draw both
/// scenarios, as the app does. `None` when the model has warnings (the app shows them above the
/// charts, so that page waits for it); an error only where the chart could not be drawn.
pub fn first_view(state: &share::State, widths: Widths, palette: chart::Palette) -> Result<Option<String>, String> {
    let src = Sources {
        now: Evaluated::of(&state.scenario),
        compare: state.compare.as_ref().map(Evaluated::of),
        units: state.view.units,
    };
    if !src.now.report.warnings.is_empty() {
        // The app shows them above the charts: that page waits for the app.
        return Ok(None);
    }
    let (input, now) = (Memory::input(&src), Memory::now(&src));
    let d = Memory::data(&input);
    let svg = |width: u32| with_marker(&input, &now, &d, &Style::for_width(width, palette));
    let drawing = match widths {
        Widths::WideAndNarrow => format!(
            "<div class=\"pre-wide\">{}</div><div class=\"pre-narrow\">{}</div>",
            svg(WIDE)?,
            svg(NARROW)?
        ),
        Widths::One(w) => svg(w)?,
    };
    let embed = state.view.embed;
    // The page (not an embed) leads with its header (with the toolbar), the key numbers and the
    // question under them, as the app's first render does.
    let (header, above) = if embed {
        (String::new(), String::new())
    } else {
        let (s, r) = (&src.now.scenario, &src.now.report);
        let explain = if s.mode == crate::estimate::Mode::Train {
            words::EXPLAIN_TRAINING
        } else {
            words::EXPLAIN_INFERENCE
        };
        (
            format!(
                concat!(
                    "<header class=\"top\"><div class=\"title\"><h1>llm-memviz</h1><p class=\"tagline\">{}</p></div>",
                    "{}<details class=\"embed-builder\" id=\"embed\"><summary>{}</summary></details></header>"
                ),
                esc(words::TAGLINE),
                toolbar(&state.view, state.compare.is_some()),
                esc(words::EMBED_THIS_VIEW)
            ),
            format!(
                "{}<details class=\"explainer\"><summary>{}</summary><p>{}</p></details>",
                key_numbers(&cards::key_numbers(
                    s,
                    r,
                    state.view.units,
                    cards::advice(s, r).as_deref()
                )),
                esc(explain.0),
                esc(explain.1)
            ),
        )
    };
    let (layout, aside) = if state.view.has_controls() {
        ("layout", "<aside class=\"controls\" aria-label=\"Settings\"></aside>")
    } else {
        ("layout no-controls", "")
    };
    let id = ChartId::Memory.id();
    Ok(Some(format!(
        concat!(
            "<div class=\"app prerender{embedded}\" id=\"prerender\">{header}",
            "<main class=\"{layout}\">{aside_before}<div class=\"results\">{above}<div class=\"figures\">",
            "<figure class=\"chart\" id=\"chart-{id}\" aria-labelledby=\"chart-{id}-title\" aria-describedby=\"chart-{id}-summary\">",
            "<h3 id=\"chart-{id}-title\">{title}</h3>{lede}",
            "<div class=\"chart-canvas\"><div class=\"svg-host\" role=\"img\" aria-labelledby=\"chart-{id}-summary\">",
            "{drawing}</div></div>",
            "<p class=\"readout\">{hint}</p><figcaption id=\"chart-{id}-summary\" class=\"summary{sr}\">{summary}</figcaption>",
            "</figure></div></div>{aside_after}</main></div>",
            "<p class=\"loading pre-state\">Loading llm-memviz…</p>"
        ),
        embedded = if embed { " embedded" } else { "" },
        header = header,
        layout = layout,
        // As the app: an embed's controls follow its charts in the page.
        aside_before = if embed { "" } else { aside },
        aside_after = if embed { aside } else { "" },
        above = above,
        id = id,
        title = esc(words::chart_title(ChartId::Memory)),
        // `chart_only`: as the app draws it, no lede, the sentence for screen readers only.
        lede = if state.view.chart_only {
            String::new()
        } else {
            format!("<p class=\"lede\">{}</p>", esc(Memory::LEDE.unwrap_or_default()))
        },
        sr = if state.view.chart_only { " sr-only" } else { "" },
        drawing = drawing,
        hint = esc(words::READOUT_HINT),
        summary = esc(&Memory::summary(&input, &now, &d)),
    )))
}

/// `index` with its loading line replaced by the first view and the link-preview tags added
/// to its head. `site_url` is where the site is served (the preview image's address must be
/// absolute for most consumers); without it the image's address is relative.
#[cfg(not(target_arch = "wasm32"))]
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

/// The toolbar as the app draws it (`ui::panels::Toolbar`: the same words, classes and order,
/// so it takes the same room), `inert` until the app replaces it with working controls: in one
/// column it sits above the key numbers, and without it the chart moved down 82 px at 375 px
/// when the app mounted.
fn toolbar(view: &share::View, comparing: bool) -> String {
    use words::toolbar as tb;
    let mut out = format!(
        "<div class=\"toolbar\" role=\"toolbar\" aria-label=\"{}\" inert>",
        esc(tb::LABEL)
    );
    if view.shows(share::ControlId::Units) {
        out += &format!(
            "<fieldset class=\"seg\"><legend class=\"sr-only\">{}</legend>",
            esc(tb::UNITS_LEGEND)
        );
        for (u, label) in tb::UNITS {
            let checked = if view.units == u { " checked" } else { "" };
            out += &format!(
                "<label class=\"radio\"><input type=\"radio\" name=\"units\"{checked}>{}</label>",
                esc(label)
            );
        }
        out += &format!(
            "</fieldset><span class=\"term-wrap\"><button type=\"button\" class=\"term\" aria-label=\"{}\">?</button></span>",
            esc(tb::UNITS_TERM)
        );
    }
    out += &format!(
        "<div class=\"control select\"><label for=\"theme\">{}</label><select id=\"theme\">",
        esc(tb::THEME)
    );
    for (t, label) in tb::THEMES {
        let selected = if view.theme == t { " selected" } else { "" };
        out += &format!("<option value=\"{}\"{selected}>{}</option>", t.id(), esc(label));
    }
    out += "</select></div>";
    if comparing {
        out += &format!(
            "<button type=\"button\">{}</button><button type=\"button\">{}</button>",
            esc(tb::SWAP),
            esc(tb::UNPIN)
        );
    } else {
        out += &format!(
            "<button type=\"button\" title=\"{}\">{}</button>",
            esc(tb::PIN.1),
            esc(tb::PIN.0)
        );
    }
    out += &format!(
        "<button type=\"button\" class=\"primary\">{}</button><span class=\"status\" role=\"status\"></span></div>",
        esc(tb::COPY_LINK)
    );
    out
}

/// The key numbers in the app's markup (`ui::panels::KeyNumbers`); each term's explanation is
/// there, hidden, as the app's `Term` holds it until a tap shows it.
fn key_numbers(k: &cards::KeyNumbers) -> String {
    let pieces = |ps: &[cards::Piece]| -> String {
        ps.iter()
            .map(|p| match p {
                cards::Piece::Text(t) => esc(t),
                cards::Piece::Term { id, term, explain } => format!(
                    concat!(
                        "<span class=\"term-wrap\"><button type=\"button\" class=\"term\" aria-expanded=\"false\" aria-controls=\"{id}\">{term}</button>",
                        "<span class=\"term-def\" id=\"{id}\" role=\"note\" hidden>{explain}</span></span>"
                    ),
                    id = id,
                    term = esc(term),
                    explain = esc(explain)
                ),
                cards::Piece::Span { class, testid, text } => {
                    format!("<span class=\"{class}\" data-testid=\"{testid}\">{}</span>", esc(text))
                }
            })
            .collect()
    };
    let cards: String = k
        .cards
        .iter()
        .map(|c| {
            format!(
                "<div class=\"card{}{}\"><dt>{}</dt><dd><strong>{}</strong><span>{}</span></dd></div>",
                if c.class.is_empty() { "" } else { " " },
                c.class,
                pieces(&c.label),
                esc(&c.value),
                pieces(&c.note)
            )
        })
        .collect();
    format!(
        "<dl class=\"cards\" aria-label=\"{}\" data-testid=\"key-numbers\">{cards}</dl>",
        esc(k.label)
    )
}

/// The memory chart with its current-context marker (which the app draws over the chart).
fn with_marker(
    input: &<Memory as Chart>::Input,
    now: &<Memory as Chart>::Now,
    d: &<Memory as Chart>::Data,
    st: &Style,
) -> Result<String, String> {
    let (mut ops, g) = chart::render(st, |a| Memory::draw(a, d, st))?;
    if let Some(m) = Memory::marker(input, now, d) {
        ops.extend(chart::marker(&g, st, m.x, m.y, &m.label));
    }
    Ok(chart::record::to_svg(&ops, (st.width, st.height)))
}

/// The default view's memory chart with its current-context marker, at the preview's size.
#[cfg(not(target_arch = "wasm32"))]
fn preview_svg() -> Result<String, String> {
    let state = share::decode("").state;
    let src = Sources::of(&state.scenario, state.view.units);
    let (input, now) = (Memory::input(&src), Memory::now(&src));
    let st = Style {
        width: OG_SIZE.0,
        height: OG_SIZE.1,
        palette: LIGHT,
    };
    with_marker(&input, &now, &Memory::data(&input), &st)
}

/// The link-preview image as PNG bytes: the chart's own SVG rasterised by `resvg` at
/// [`OG_SCALE`]×. Fails, saying why, when no font for its text is installed (the image would
/// otherwise silently lose every label).
#[cfg(not(target_arch = "wasm32"))]
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
#[cfg(not(target_arch = "wasm32"))]
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
        assert_eq!(html.matches(">8k tokens<").count(), 2, "each with the context's marker");
        // The key numbers above the chart, as the app shows them, and the question under them.
        let cards = key_numbers(&cards::key_numbers(
            &state.scenario,
            &r,
            state.view.units,
            cards::advice(&state.scenario, &r).as_deref(),
        ));
        assert!(html.contains(&cards), "the key numbers");
        assert!(
            cards.contains("<dt>KV cache = weights at</dt><dd><strong>122,533 tokens</strong>"),
            "{cards}"
        );
        assert!(
            cards.contains("<div class=\"card weights\"><dt>Weights</dt><dd><strong>15.0 GiB</strong>"),
            "{cards}"
        );
        assert!(html.contains(&format!("<summary>{}</summary>", esc(words::EXPLAIN_INFERENCE.0))));
        assert!(html.contains("id=\"chart-memory\"") && html.contains(&esc(words::MEMORY_LEDE)));
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
    fn the_first_view_holds_the_toolbar_inert_as_the_app_draws_it() {
        // The default: GiB checked, the theme menu on Auto, "Pin as A", all inert until the
        // app's working toolbar replaces it.
        let html = first(&page(""));
        let bar = html
            .split("<div class=\"toolbar\"")
            .nth(1)
            .and_then(|rest| rest.split("</header>").next())
            .unwrap_or_else(|| panic!("no toolbar in {html}"));
        assert!(
            bar.starts_with(" role=\"toolbar\" aria-label=\"View options\" inert>"),
            "{bar}"
        );
        for part in [
            "name=\"units\" checked>GiB (2³⁰)</label>",
            "name=\"units\">GB (10⁹)</label>",
            "<option value=\"auto\" selected>Auto</option><option value=\"light\">Light</option>",
            ">Pin as A</button>",
            "class=\"primary\">Copy link</button>",
        ] {
            assert!(bar.contains(part), "{part} in {bar}");
        }
        // Before the embed builder, as in the app's header.
        assert!(html.find("class=\"toolbar\"") < html.find("class=\"embed-builder\""));

        // A link's own settings: GB, dark, comparing.
        let html = first(&page("units=gb&theme=dark&model=llama-3.1-8b&a.model=llama-3.1-70b"));
        assert!(html.contains("name=\"units\" checked>GB (10⁹)</label>"), "{html}");
        assert!(html.contains("<option value=\"dark\" selected>Dark</option>"));
        assert!(
            html.contains(">Swap A/B</button><button type=\"button\">Stop comparing</button>")
                && !html.contains("Pin as A")
        );

        // An embed has no header, so no toolbar.
        assert!(!first(&page("model=deepseek-v3&view=memory&controls=ctx&embed=1")).contains("toolbar"));
    }

    /// The page a link opens, at the app's first width for a 1,280 px window.
    fn page(query: &str) -> crate::state::Page {
        crate::state::Page::from_query(query, 860, false)
    }

    fn first(p: &crate::state::Page) -> String {
        first_view(&p.share, Widths::One(p.width), LIGHT)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no first view"))
    }

    #[test]
    fn a_links_first_view_is_its_own_chart_in_its_page_frame() {
        // A shared scenario: the page's header, an empty settings column, one drawing at the
        // app's width, and the link's own sentence (the app's, word for word).
        let p = page("model=deepseek-v3&gpus=8&gpu=h200-141gb&ctx=32k");
        assert!(draws_first(&p));
        let html = first(&p);
        let r = p.share.scenario.evaluate();
        let summary = chart::memory::summary(&p.share.scenario, &r, p.share.view.units);
        assert!(html.contains(&esc(&summary)), "{summary}");
        assert!(!summary.contains("122,533"), "not the default's: {summary}");
        assert_eq!(html.matches("<svg").count(), 1, "one drawing");
        assert!(html.contains("width=\"860\""), "at the app's width");
        assert!(
            html.contains(">32k tokens<"),
            "the link's context marked, as the app marks it"
        );
        assert!(html.starts_with("<div class=\"app prerender\" id=\"prerender\"><header class=\"top\">"));
        assert!(html.contains("<main class=\"layout\"><aside class=\"controls\" aria-label=\"Settings\"></aside>"));

        // An embed without controls: no header, no settings column.
        let p = page("model=deepseek-v3&view=memory&controls=none&embed=1");
        assert!(draws_first(&p));
        let html = first(&p);
        assert!(html.starts_with("<div class=\"app prerender embedded\" id=\"prerender\"><main class=\"layout no-controls\"><div class=\"results\">"));
        assert!(!html.contains("<header") && !html.contains("<aside") && !html.contains("key-numbers"));

        // Dark: the chart's own dark background.
        let p = page("theme=dark");
        let dark = first_view(&p.share, Widths::One(p.width), chart::DARK)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_default();
        assert_ne!(dark, first(&p));

        // Comparing: both scenarios, as the app draws them (A's series is named).
        let p = page("model=llama-3.1-8b&a.model=qwen2.5-7b");
        assert!(p.share.compare.is_some() && draws_first(&p));
        let both = first(&p);
        let alone = first(&page("model=llama-3.1-8b"));
        assert!(both.len() > alone.len(), "A's series too");
    }

    #[test]
    fn a_links_words_stay_text_in_its_first_view() {
        // The first view is set as markup (innerHTML): every word a link controls is escaped.
        let p = page("model=custom&name=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%26%22&params=7B");
        assert!(p.warnings.is_empty() && draws_first(&p), "{:?}", p.warnings);
        let html = first(&p);
        assert!(!html.contains("<img") && !html.contains("&\""), "raw markup");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;"),
            "the name, as text"
        );
    }

    #[test]
    fn only_a_page_that_leads_with_the_memory_chart_and_warns_of_nothing_draws_first() {
        assert!(draws_first(&page("")));
        assert!(draws_first(&page("view=memory,speed")));
        // Training leads with the breakdown chart, unless the link names its charts.
        assert!(!draws_first(&page("mode=train")));
        assert!(draws_first(&page("mode=train&view=memory,breakdown")));
        // A page that leads with another chart.
        assert!(!draws_first(&page("view=speed,memory")));
        // A model with an override it skipped (the app says so above the charts) waits too.
        let mut state = page("").share;
        state.scenario.arch = vec![(crate::estimate::arch_field::ArchField::KvHeads, 5)];
        assert_eq!(first_view(&state, Widths::One(860), LIGHT), Ok(None));
        // A link with something to warn about (shown above the charts) waits for the app.
        let p = page("model=no-such-model&ctx=32k");
        assert!(!p.warnings.is_empty());
        assert!(!draws_first(&p));
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
