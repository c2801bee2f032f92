//! The share-link format (query string, version 2): the whole view in the URL.
//!
//! Decoding is staged like ripgrep's flags: raw pairs → syntax-checked fields ([`low`]) →
//! resolved state ([`resolve`]). It **never fails**: an unknown key, a malformed or
//! out-of-range value or a missing preset yields the default for that field, keeps every other
//! field, and adds a [`Warning`] that the page shows and the CLI prints. Encoding writes the
//! canonical form: defaults omitted, keys in a fixed order. `decode(encode(s)) == s` for every
//! state the page can reach (`tests/share.rs`).
//!
//! This module knows nothing of the browser: no web crates (enforced by `tests/tidy.rs`).

pub mod keys;
pub mod low;
pub mod resolve;

use crate::estimate::arch_field::ArchField;
use crate::estimate::scenario::Scenario;
use crate::estimate::units::ByteUnits;

pub use resolve::normalize;

/// Format version written into every link. Version 2 (December 2026) opens a model in the
/// precision it ships in; a version 1 link without `weights` still opens in BF16.
pub const VERSION: u32 = 2;

/// A problem found while reading a link: which key, and what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The key (empty for problems with the link as a whole).
    pub key: String,
    /// What was wrong and what was used instead.
    pub message: String,
}

impl Warning {
    /// A warning about `key`.
    pub fn new(key: &str, message: String) -> Warning {
        Warning {
            key: crate::estimate::units::clip(key),
            message,
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

macro_rules! id_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $id:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),* }
        impl $name {
            /// Every value, in canonical order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Share-link id.
            pub fn id(self) -> &'static str { match self { $($name::$variant => $id),* } }
            /// Parse an id (case-insensitive).
            pub fn from_id(s: &str) -> Option<$name> {
                let s = s.to_ascii_lowercase();
                Self::ALL.iter().copied().find(|v| v.id() == s)
            }
        }
    };
}

id_enum! {
    /// The charts a view can show.
    ChartId {
        /// Memory vs context length.
        Memory = "memory",
        /// Memory breakdown, inference vs training.
        Breakdown = "breakdown",
        /// Decode time per token vs context.
        Speed = "speed",
        /// Tokens per second against concurrent sequences.
        Serving = "serving",
        /// Training tokens vs parameters (Chinchilla).
        Chinchilla = "chinchilla",
        /// Loss vs parameters at fixed compute.
        Isoflop = "isoflop",
    }
}

id_enum! {
    /// The control groups an embed can show.
    ControlId {
        /// Preset picker.
        Model = "model",
        /// Parameter-count slider.
        Params = "params",
        /// Custom architecture panel.
        Arch = "arch",
        /// Weight precision.
        Weights = "weights",
        /// KV precision.
        Kv = "kv",
        /// Context slider.
        Ctx = "ctx",
        /// Batch slider.
        Batch = "batch",
        /// Inference / training.
        Mode = "mode",
        /// Training knobs.
        Training = "training",
        /// GPU picker.
        Gpu = "gpu",
        /// GPU count.
        Gpus = "gpus",
        /// Inference engine (and vLLM's memory share).
        Engine = "engine",
        /// Training tokens.
        Tokens = "tokens",
        /// Chinchilla fit.
        Fit = "fit",
        /// GB / GiB toggle.
        Units = "units",
    }
}

id_enum! {
    /// Colour theme.
    Theme {
        /// Follow `prefers-color-scheme`.
        Auto = "auto",
        /// Light.
        Light = "light",
        /// Dark.
        Dark = "dark",
    }
}

/// Presentation: which charts and controls, chrome, theme, units.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Charts shown, in this order.
    pub charts: Vec<ChartId>,
    /// Controls shown; `None` = all.
    pub controls: Option<Vec<ControlId>>,
    /// Chrome-less embed mode.
    pub embed: bool,
    /// Charts only: each figure without its lede, sentence and data table on screen (the
    /// sentence stays for screen readers), for short embeds.
    pub chart_only: bool,
    /// Theme.
    pub theme: Theme,
    /// Byte units.
    pub units: ByteUnits,
    /// The chart a shared link points at: shown first and scrolled into view.
    pub focus: Option<ChartId>,
    /// The read-out's position on the focus chart (its x, in the chart's units), if one was set.
    pub at: Option<f64>,
}

impl Default for View {
    fn default() -> Self {
        View {
            charts: ChartId::ALL.to_vec(),
            controls: None,
            embed: false,
            chart_only: false,
            theme: Theme::Auto,
            units: ByteUnits::Gib,
            focus: None,
            at: None,
        }
    }
}

impl View {
    /// True when control group `c` is shown.
    pub fn shows(&self, c: ControlId) -> bool {
        self.controls.as_ref().is_none_or(|list| list.contains(&c))
    }

    /// True when the settings column is shown at all (`controls=` empty hides it).
    pub fn has_controls(&self) -> bool {
        self.controls.as_ref().is_none_or(|c| !c.is_empty())
    }

    /// The charts in the order the page shows them. Training leads with what training needs:
    /// the breakdown chart first, when the view keeps the default order (a view that names its
    /// charts keeps its order).
    pub fn order(&self, mode: crate::estimate::Mode) -> Vec<ChartId> {
        let mut order = self.charts.clone();
        let lead = match self.focus {
            Some(f) if order.contains(&f) => Some(f),
            _ if mode == crate::estimate::Mode::Train && self.charts == View::default().charts => {
                Some(ChartId::Breakdown)
            }
            _ => None,
        };
        if let Some(l) = lead {
            order.retain(|c| *c != l);
            order.insert(0, l);
        }
        order
    }

    /// The full app's view of a link to `chart` (and its read-out at `at`): the reader's theme
    /// and units kept, every chart shown, that one first.
    pub fn pointing_at(&self, chart: ChartId, at: Option<f64>) -> View {
        View {
            theme: self.theme,
            units: self.units,
            focus: Some(chart),
            at,
            ..View::default()
        }
    }
}

/// Everything a link restores.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct State {
    /// The live scenario (B when comparing).
    pub scenario: Scenario,
    /// The pinned scenario A, if comparing.
    pub compare: Option<Scenario>,
    /// Presentation.
    pub view: View,
}

/// A decoded link: the state and what was wrong with the link.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The state (every field valid).
    pub state: State,
    /// Problems, in the order found.
    pub warnings: Vec<Warning>,
}

/// Reads a query string or URL. Never fails.
pub fn decode(input: &str) -> Decoded {
    let (args, mut warnings) = low::parse(input);
    let state = resolve::resolve(&args, &mut warnings);
    Decoded { state, warnings }
}

/// Writes a number exactly, with a decimal suffix when that stays exact: 7e9 → "7B".
pub fn encode_count(v: f64) -> String {
    for (scale, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")] {
        let q = v / scale;
        if v.abs() >= scale {
            let s = format!("{q}");
            if s.parse::<f64>().is_ok_and(|back| back * scale == v) && s.len() <= 6 {
                return format!("{s}{suffix}");
            }
        }
    }
    format!("{v}")
}

/// The canonical query string of one scenario's keys (no leading `?`), each key prefixed:
/// every key of [`keys::SCENARIO`] that differs from the default, in that order, with the
/// architecture overrides after [`keys::ARCH_AFTER`].
fn scenario_pairs(s: &Scenario, prefix: &str, out: &mut Vec<String>) {
    let d = Scenario::default();
    for k in keys::SCENARIO {
        if let Some(v) = (k.encode)(s, &d) {
            out.push(format!("{prefix}{}={v}", k.name));
        }
        if k.name == keys::ARCH_AFTER {
            for &f in ArchField::ALL {
                if let Some(&(_, v)) = s.arch.iter().find(|(g, _)| *g == f) {
                    out.push(format!("{prefix}{}={v}", f.key()));
                }
            }
        }
    }
}

/// The canonical query string (without `?`) for a state.
pub fn encode(state: &State) -> String {
    let mut out = vec![format!("v={VERSION}")];
    scenario_pairs(&state.scenario, "", &mut out);
    if let Some(a) = &state.compare {
        let before = out.len();
        scenario_pairs(a, "a.", &mut out);
        if out.len() == before {
            // A pinned default scenario still needs one key to say "comparing".
            out.push(format!("a.model={}", low::percent_encode(&a.model)));
        }
    }
    let v = &state.view;
    let dv = View::default();
    if v.charts != dv.charts {
        out.push(format!(
            "view={}",
            v.charts.iter().map(|c| c.id()).collect::<Vec<_>>().join(",")
        ));
    }
    if let Some(c) = &v.controls {
        let list = if c.is_empty() {
            "none".to_string()
        } else {
            c.iter().map(|c| c.id()).collect::<Vec<_>>().join(",")
        };
        out.push(format!("controls={list}"));
    }
    if v.embed {
        out.push("embed=1".to_string());
    }
    if v.chart_only {
        out.push("chart_only=1".to_string());
    }
    if v.theme != dv.theme {
        out.push(format!("theme={}", v.theme.id()));
    }
    if v.units != dv.units {
        out.push(format!("units={}", v.units.id()));
    }
    if let Some(f) = v.focus {
        out.push(format!("focus={}", f.id()));
        if let Some(x) = v.at {
            out.push(format!("at={x}"));
        }
    }
    out.join("&")
}
