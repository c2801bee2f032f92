//! Model presets: real architectures with their sources, compiled in from `data/models.json`.
//!
//! The file is data, not code: each preset carries the `config.json` fields the estimator
//! needs, the published parameter count with its source and the tolerance it is checked to
//! (`tests/presets.rs`), and the training tokens where published.

use std::sync::LazyLock;

#[cfg(test)]
use super::arch::Architecture;
use super::catalog::ModelsFile;
pub use super::catalog::{Preset, TrainedModel};

/// The catalog. `build.rs` has already deserialized this file into the same types and fails the
/// build if it cannot, so the empty fallback is never taken.
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
