//! Model presets: real architectures with their sources, compiled in from `data/models.json`.
//!
//! The file is data, not code: each preset carries the `config.json` fields the estimator
//! needs, the published parameter count with its source and the tolerance it is checked to
//! (`tests/presets.rs`), and the training tokens where published.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::arch::Architecture;

/// One model preset.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Preset {
    /// Identifier used in share links (lower case, dashes).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The architecture, from the model's config.
    pub arch: Architecture,
    /// Published total parameter count.
    pub published_params: f64,
    /// Published active parameter count (MoE), if any.
    #[serde(default)]
    pub published_active_params: Option<f64>,
    /// Published non-embedding count, if the source gives one.
    #[serde(default)]
    pub published_non_embedding_params: Option<f64>,
    /// Relative tolerance of the derived-vs-published check (0 = exact).
    pub params_tolerance: f64,
    /// Relative tolerance of the active-count check.
    #[serde(default)]
    pub active_tolerance: Option<f64>,
    /// Where the published count comes from.
    pub params_source: String,
    /// Pre-training tokens, if published.
    pub training_tokens: Option<f64>,
    /// Where the token count comes from.
    pub tokens_source: String,
    /// Config and paper URLs.
    pub sources: Vec<String>,
    /// Where sources disagree or the preset makes a choice.
    #[serde(default)]
    pub note: Option<String>,
}

/// A trained model known only by its size and data (the Chinchilla chart's labelled points).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct TrainedModel {
    /// Display name.
    pub name: String,
    /// Parameters.
    pub params: f64,
    /// Training tokens.
    pub tokens: f64,
    /// Citation.
    pub source: String,
}

#[derive(Deserialize, Default)]
struct ModelsFile {
    presets: Vec<Preset>,
    trained: Vec<TrainedModel>,
}

static MODELS: LazyLock<ModelsFile> =
    LazyLock::new(|| serde_json::from_str(include_str!("data/models.json")).unwrap_or_default());

/// The default preset's id.
pub const DEFAULT_ID: &str = "llama-3.1-8b";

/// Every preset, in file order.
pub fn all() -> &'static [Preset] {
    &MODELS.presets
}

/// Famous trained models with their published sizes and token counts.
pub fn trained_models() -> &'static [TrainedModel] {
    &MODELS.trained
}

/// The preset with this id (case-insensitive).
pub fn find(id: &str) -> Option<&'static Preset> {
    all().iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

/// The default preset (Llama-3.1-8B).
pub fn default_preset() -> Option<&'static Preset> {
    find(DEFAULT_ID)
}

/// A preset's architecture, for unit tests (panics when the preset is missing).
#[cfg(test)]
pub fn arch_of(id: &str) -> Architecture {
    match find(id) {
        Some(p) => p.arch.clone(),
        None => panic!("preset {id} missing"),
    }
}
