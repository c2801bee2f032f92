//! The page's one state and its reducer: a closed [`Action`] enum, applied purely.
//!
//! Pure on purpose (no browser imports; `tests/tidy.rs` checks): the yew component tree in
//! `src/ui` wraps [`Page`] in a `Reducible`, dispatches actions from callbacks, and performs the
//! side effects (URL writes, clipboard, resize observers) in effects — never here. Everything
//! the charts show is derived from `share.scenario` on render; nothing derived is stored.

use crate::estimate::arch_field::ArchField;
use crate::estimate::units::ByteUnits;
use crate::share::{self, ChartId, State, Theme, Warning, keys};

/// Everything the page holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// What the link restores: scenario, pinned comparison, presentation.
    pub share: State,
    /// Problems to show (from the link, a pasted config or typed values), until dismissed.
    pub warnings: Vec<Warning>,
    /// Width available to the charts, in CSS pixels.
    pub width: u32,
    /// The system prefers a dark colour scheme.
    pub system_dark: bool,
    /// The chart and x value under the pointer, for read-outs.
    pub hover: Option<(ChartId, f64)>,
}

impl Page {
    /// The page as a link decodes it.
    pub fn from_query(query: &str, width: u32, system_dark: bool) -> Page {
        let decoded = share::decode(query);
        // A link's read-out position shows at once, on its chart.
        let hover = decoded.state.view.focus.zip(decoded.state.view.at);
        Page {
            share: decoded.state,
            warnings: decoded.warnings,
            width,
            system_dark,
            hover,
        }
    }

    /// The canonical query string of the current state (derived, never stored).
    pub fn query(&self) -> String {
        share::encode(&self.share)
    }

    /// True when charts should use the dark palette.
    pub fn dark(&self) -> bool {
        match self.share.view.theme {
            Theme::Dark => true,
            Theme::Light => false,
            Theme::Auto => self.system_dark,
        }
    }
}

/// Every change the page can make.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Set one scenario link key (its one definition in `share::keys`): a number is clamped
    /// into the key's range (and rounded when whole), then the key's own `apply` checks its
    /// meaning; what it refuses is shown as a warning naming the key.
    Set(&'static keys::Key, keys::Value),
    /// Put one key back to its default (the published token count, as many layers as fit).
    Reset(&'static keys::Key),
    /// Set or clear one architecture override.
    Arch(ArchField, Option<u64>),
    /// Replace the architecture with an imported one (from a config.json), with its name.
    ImportArch {
        overrides: Vec<(ArchField, u64)>,
        name: Option<String>,
        warnings: Vec<String>,
    },
    /// Drop every architecture override and the size override.
    ResetArch,
    /// GB / GiB.
    Units(ByteUnits),
    /// Theme.
    Theme(Theme),
    /// Pin the current scenario as A.
    Pin,
    /// Stop comparing.
    Unpin,
    /// Swap A and the live scenario.
    Swap,
    /// Report a problem (e.g. an invalid typed value).
    Warn(Warning),
    /// Dismiss all warnings.
    DismissWarnings,
    /// Chart width changed.
    Width(u32),
    /// System colour scheme changed.
    SystemDark(bool),
    /// Pointer over a chart at this x value (None: left).
    Hover(Option<(ChartId, f64)>),
    /// Replace everything with a decoded link (e.g. history navigation).
    Load(String),
}

impl Action {
    /// Sets a number key.
    pub fn number(key: &'static keys::Key, v: f64) -> Action {
        Action::Set(key, keys::Value::Number(v))
    }
    /// Sets a choice or text key (a choice's id).
    pub fn text(key: &'static keys::Key, t: impl Into<String>) -> Action {
        Action::Set(key, keys::Value::Text(t.into()))
    }
    /// Sets a flag key.
    pub fn flag(key: &'static keys::Key, on: bool) -> Action {
        Action::Set(key, keys::Value::Flag(on))
    }
}

impl Page {
    /// The reducer: a new page with `action` applied. Scenario changes are normalised so that
    /// the state always equals what its link decodes to.
    pub fn apply(&self, action: Action) -> Page {
        let mut p = self.clone();
        let s = &mut p.share.scenario;
        let mut msgs: Vec<(&'static str, String)> = Vec::new();
        // Only a change of the scenario is normalised (hover, width and theme are not).
        let scenario_changes = matches!(
            action,
            Action::Set(..) | Action::Reset(_) | Action::Arch(..) | Action::ImportArch { .. } | Action::ResetArch
        );
        match action {
            Action::Set(key, v) => {
                let v = match (key.syntax, v) {
                    (keys::Syntax::Number { whole, .. }, keys::Value::Number(x)) => {
                        let x = key.clamp(x);
                        keys::Value::Number(if whole { key.clamp(x.round()) } else { x })
                    }
                    (_, v) => v,
                };
                if let Some(m) = (key.apply)(s, &v) {
                    msgs.push((key.name, m));
                }
            }
            Action::Reset(key) => (key.reset)(s),
            Action::Arch(field, v) => {
                s.arch.retain(|(f, _)| *f != field);
                if let Some(v) = v {
                    let (lo, hi) = field.range();
                    s.arch.push((field, (v as f64).clamp(lo, hi) as u64));
                }
            }
            Action::ImportArch {
                overrides,
                name,
                warnings,
            } => {
                s.model = crate::estimate::scenario::CUSTOM_ID.to_string();
                s.params = None;
                s.arch = overrides;
                s.name = name
                    .map(|n| crate::estimate::units::clean_name(&n))
                    .filter(|n| !n.is_empty());
                s.tokens = None;
                p.warnings
                    .extend(warnings.into_iter().map(|w| Warning::new("config.json", w)));
            }
            Action::ResetArch => {
                s.params = None;
                s.arch.clear();
            }
            Action::Units(u) => p.share.view.units = u,
            Action::Theme(t) => p.share.view.theme = t,
            Action::Pin => p.share.compare = Some(p.share.scenario.clone()),
            Action::Unpin => p.share.compare = None,
            Action::Swap => {
                if let Some(a) = p.share.compare.take() {
                    p.share.compare = Some(std::mem::replace(&mut p.share.scenario, a));
                }
            }
            Action::Warn(w) => {
                if !p.warnings.contains(&w) {
                    p.warnings.push(w);
                }
            }
            Action::DismissWarnings => p.warnings.clear(),
            Action::Width(w) => p.width = w.clamp(240, 4000),
            Action::SystemDark(d) => p.system_dark = d,
            Action::Hover(h) => p.hover = h,
            Action::Load(q) => return Page::from_query(&q, p.width, p.system_dark),
        }
        if scenario_changes {
            let (normal, m) = share::normalize(&p.share.scenario);
            p.share.scenario = normal;
            msgs.extend(m);
        }
        for (k, m) in msgs {
            let w = Warning::new(k, m);
            if !p.warnings.contains(&w) {
                p.warnings.push(w);
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::precision::WeightFormat;

    fn page() -> Page {
        Page::from_query("", 800, false)
    }

    #[test]
    fn the_palette_follows_the_theme_and_auto_follows_the_system() {
        for (theme, system, dark) in [
            (Theme::Dark, false, true),
            (Theme::Light, true, false),
            (Theme::Auto, true, true),
            (Theme::Auto, false, false),
        ] {
            let p = Page::from_query("", 800, system).apply(Action::Theme(theme));
            assert_eq!(
                p.dark(),
                dark,
                "{theme:?} with a {} system",
                if system { "dark" } else { "light" }
            );
        }
    }

    #[test]
    fn counts_from_the_page_are_kept_inside_their_keys_ranges() {
        // dp 1 … 10⁶, gpus 1 … 65,536, lora_rank 0 … 65,536, ngl 0 … 1,000 (share/keys.rs).
        let p = page()
            .apply(Action::number(&keys::DP, 8.0))
            .apply(Action::number(&keys::GPUS, 100_000.0))
            .apply(Action::number(&keys::LORA_RANK, 0.0));
        assert_eq!(
            (
                p.share.scenario.training.dp,
                p.share.scenario.gpus,
                p.share.scenario.training.lora_rank
            ),
            (8, 65_536, 0)
        );
        let p = p
            .apply(Action::number(&keys::DP, 0.0))
            .apply(Action::number(&keys::TP, 2048.0))
            .apply(Action::number(&keys::NGL, 5000.0));
        assert_eq!((p.share.scenario.training.dp, p.share.scenario.training.tp), (1, 1024));
        assert_eq!(p.share.scenario.gpu_layers, Some(1000));
    }

    #[test]
    fn an_architecture_field_set_twice_keeps_the_last_value_and_none_clears_it() {
        let p = page()
            .apply(Action::Arch(ArchField::Layers, Some(40)))
            .apply(Action::Arch(ArchField::Layers, Some(48)))
            .apply(Action::Arch(ArchField::Vocab, Some(32_000)));
        assert_eq!(
            p.share.scenario.arch,
            vec![(ArchField::Layers, 48), (ArchField::Vocab, 32_000)]
        );
        let p = p.apply(Action::Arch(ArchField::Layers, None));
        assert_eq!(p.share.scenario.arch, vec![(ArchField::Vocab, 32_000)]);
    }

    #[test]
    fn a_warning_is_shown_once_however_often_it_is_raised() {
        let w = Warning::new("clipboard", "copying is blocked here".to_string());
        let p = page().apply(Action::Warn(w.clone())).apply(Action::Warn(w.clone()));
        assert_eq!(p.warnings, vec![w]);
    }

    #[test]
    fn actions_change_the_state_and_the_link() {
        let p = page().apply(Action::number(&keys::CTX, 131_072.0));
        assert_eq!(p.query(), "v=2&ctx=128k");
        let p = p
            .apply(Action::text(&keys::MODEL, "qwen2.5-7b"))
            .apply(Action::text(&keys::WEIGHTS, WeightFormat::Q4KM.id()));
        assert_eq!(p.query(), "v=2&model=qwen2.5-7b&weights=q4_k_m&ctx=128k");
        let p = p.apply(Action::Pin).apply(Action::number(&keys::BATCH, 8.0));
        assert!(
            p.query().contains("batch=8") && p.query().contains("a.model=qwen2.5-7b"),
            "{}",
            p.query()
        );
        // Whatever the page reaches, its link decodes back to it.
        assert_eq!(share::decode(&p.query()).state, p.share);
    }

    #[test]
    fn out_of_range_actions_are_clamped() {
        let p = page()
            .apply(Action::number(&keys::CTX, 0.0))
            .apply(Action::number(&keys::BATCH, 1_000_000.0))
            .apply(Action::number(&keys::ZERO, 9.0));
        assert_eq!(
            (
                p.share.scenario.ctx,
                p.share.scenario.batch,
                p.share.scenario.training.zero
            ),
            (1, 10_000, 3)
        );
    }

    #[test]
    fn inconsistent_arch_override_is_dropped_with_a_warning() {
        let p = page().apply(Action::Arch(ArchField::KvHeads, Some(5)));
        assert!(p.share.scenario.arch.is_empty());
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].key, "kv_heads");
        let p = p
            .apply(Action::DismissWarnings)
            .apply(Action::Arch(ArchField::KvHeads, Some(4)));
        assert_eq!(p.share.scenario.arch, vec![(ArchField::KvHeads, 4)]);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn swap_and_unpin() {
        let p = page()
            .apply(Action::Pin)
            .apply(Action::number(&keys::CTX, 1024.0))
            .apply(Action::Swap);
        assert_eq!(p.share.scenario.ctx, 8192);
        assert_eq!(p.share.compare.as_ref().map(|a| a.ctx), Some(1024));
        assert_eq!(p.apply(Action::Unpin).share.compare, None);
    }

    #[test]
    fn unknown_model_action_is_ignored() {
        let p = page().apply(Action::text(&keys::MODEL, "<script>"));
        assert_eq!(p.share.scenario.model, "llama-3.1-8b");
        // Not in silence: the warning names the key.
        assert_eq!(p.warnings.iter().map(|w| w.key.as_str()).collect::<Vec<_>>(), ["model"]);
    }
}
