//! The page's one state and its reducer: a closed [`Action`] enum, applied purely.
//!
//! Pure on purpose (no browser imports; `tests/tidy.rs` checks): the yew component tree in
//! `src/ui` wraps [`Page`] in a `Reducible`, dispatches actions from callbacks, and performs the
//! side effects (URL writes, clipboard, resize observers) in effects — never here. Everything
//! the charts show is derived from `share.scenario` on render; nothing derived is stored.

use crate::estimate::arch_field::ArchField;
use crate::estimate::chinchilla::Fit;
use crate::estimate::precision::{KvDtype, WeightFormat};
use crate::estimate::presets;
use crate::estimate::scenario::Mode;
use crate::estimate::training::{Optimizer, Recompute};
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
        Page {
            share: decoded.state,
            warnings: decoded.warnings,
            width,
            system_dark,
            hover: None,
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
    /// Pick a preset (or "custom"); clears size and architecture overrides.
    Model(String),
    /// Override the parameter count (assumed shape), or clear it.
    Params(Option<f64>),
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
    /// Weight format.
    Weights(WeightFormat),
    /// KV format.
    Kv(KvDtype),
    /// Context length.
    Ctx(u64),
    /// Batch.
    Batch(u64),
    /// Inference / training.
    Mode(Mode),
    /// Optimizer.
    Optimizer(Optimizer),
    /// Recomputation.
    Recompute(Recompute),
    /// ZeRO stage.
    Zero(u8),
    /// Data parallel.
    Dp(u32),
    /// Tensor parallel.
    Tp(u32),
    /// Pipeline parallel.
    Pp(u32),
    /// Sequence parallel.
    Sp(bool),
    /// FlashAttention.
    Flash(bool),
    /// LoRA rank.
    Lora(u32),
    /// GPU model.
    Gpu(String),
    /// GPU count.
    Gpus(u32),
    /// fp32 master weights and optimizer states (false: all in the weights' precision).
    Master(bool),
    /// llama.cpp's layers on the GPU (None: as many as fit).
    GpuLayers(Option<u32>),
    /// System-memory bandwidth, GB/s.
    RamBw(f64),
    /// Inference engine.
    Engine(crate::estimate::engine::Engine),
    /// vLLM's `gpu_memory_utilization` (a share of each GPU, 0.05 … 1).
    GpuUtil(f64),
    /// Training tokens (None = the preset's published count).
    Tokens(Option<f64>),
    /// Chinchilla fit.
    Fit(Fit),
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

/// A whole number clamped into `key`'s range (its one definition in `share::keys`).
fn whole(key: &keys::Key, v: u64) -> u64 {
    key.clamp(v as f64) as u64
}

/// As [`whole`], for 32-bit fields.
fn whole32(key: &keys::Key, v: u32) -> u32 {
    key.clamp(f64::from(v)) as u32
}

impl Page {
    /// The reducer: a new page with `action` applied. Scenario changes are normalised so that
    /// the state always equals what its link decodes to.
    pub fn apply(&self, action: Action) -> Page {
        let mut p = self.clone();
        let s = &mut p.share.scenario;
        let mut msgs: Vec<(&'static str, String)> = Vec::new();
        match action {
            Action::Model(id) => {
                let id = id.to_ascii_lowercase();
                if presets::find(&id).is_some() || id == crate::estimate::scenario::CUSTOM_ID {
                    s.model = id;
                    s.params = None;
                    s.arch.clear();
                    s.name = None;
                    s.tokens = None;
                }
            }
            Action::Params(n) => {
                s.params = n.map(|v| keys::PARAMS.clamp(v.round()));
            }
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
            Action::Weights(w) => s.weights = w,
            Action::Kv(k) => s.kv = k,
            Action::Ctx(c) => s.ctx = whole(&keys::CTX, c),
            Action::Batch(b) => s.batch = whole(&keys::BATCH, b),
            Action::Mode(m) => s.mode = m,
            Action::Optimizer(o) => s.training.optimizer = o,
            Action::Recompute(r) => s.training.recompute = r,
            Action::Zero(z) => s.training.zero = keys::ZERO.clamp(f64::from(z)) as u8,
            Action::Dp(v) => s.training.dp = whole32(&keys::DP, v),
            Action::Tp(v) => s.training.tp = whole32(&keys::TP, v),
            Action::Pp(v) => s.training.pp = whole32(&keys::PP, v),
            Action::Sp(v) => s.training.sp = v,
            Action::Flash(v) => s.training.flash = v,
            Action::Lora(v) => s.training.lora_rank = whole32(&keys::LORA_RANK, v),
            Action::Gpu(g) => {
                if crate::estimate::hardware::find(&g).is_some() {
                    s.gpu = g.to_ascii_lowercase();
                }
            }
            Action::Gpus(n) => s.gpus = whole32(&keys::GPUS, n),
            Action::Engine(e) => s.engine = e,
            Action::Master(m) => s.training.master = m,
            Action::GpuLayers(n) => s.gpu_layers = n.map(|n| whole32(&keys::NGL, n)),
            Action::RamBw(v) => {
                if v.is_finite() {
                    s.ram_bw_gb_s = keys::RAM_BW.clamp(v);
                }
            }
            Action::GpuUtil(u) => {
                if u.is_finite() {
                    s.gpu_util = keys::GPU_UTIL.clamp(u);
                }
            }
            Action::Tokens(t) => s.tokens = t.map(|v| keys::TOKENS.clamp(v.round())),
            Action::Fit(f) => s.fit = f,
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
        let (normal, m) = share::normalize(&p.share.scenario);
        p.share.scenario = normal;
        msgs.extend(m);
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
            .apply(Action::Dp(8))
            .apply(Action::Gpus(100_000))
            .apply(Action::Lora(0));
        assert_eq!(
            (
                p.share.scenario.training.dp,
                p.share.scenario.gpus,
                p.share.scenario.training.lora_rank
            ),
            (8, 65_536, 0)
        );
        let p = p
            .apply(Action::Dp(0))
            .apply(Action::Tp(2048))
            .apply(Action::GpuLayers(Some(5000)));
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
        let p = page().apply(Action::Ctx(131_072));
        assert_eq!(p.query(), "v=1&ctx=128k");
        let p = p
            .apply(Action::Model("qwen2.5-7b".into()))
            .apply(Action::Weights(WeightFormat::Q4KM));
        assert_eq!(p.query(), "v=1&model=qwen2.5-7b&weights=q4_k_m&ctx=128k");
        let p = p.apply(Action::Pin).apply(Action::Batch(8));
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
            .apply(Action::Ctx(0))
            .apply(Action::Batch(1_000_000))
            .apply(Action::Zero(9));
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
        let p = page().apply(Action::Pin).apply(Action::Ctx(1024)).apply(Action::Swap);
        assert_eq!(p.share.scenario.ctx, 8192);
        assert_eq!(p.share.compare.as_ref().map(|a| a.ctx), Some(1024));
        assert_eq!(p.apply(Action::Unpin).share.compare, None);
    }

    #[test]
    fn unknown_model_action_is_ignored() {
        let p = page().apply(Action::Model("<script>".into()));
        assert_eq!(p.share.scenario.model, "llama-3.1-8b");
    }
}
