//! Model presets: real architectures with their sources, compiled in from `data/models.json`
//! (`build.rs` writes the file's values as the statics below).
//!
//! The file is data, not code: each preset carries the `config.json` fields the estimator
//! needs, the published parameter count with its source and the tolerance it is checked to
//! (`tests/presets.rs`), and the training tokens where published.

use std::borrow::Cow;

use super::arch::{Architecture, AttentionPattern, AttnBias, Mla, MlpKind, Moe, NormKind};
pub use super::catalog::{Preset, TrainedModel};

// `PRESETS` and `TRAINED`: `data/models.json` as Rust, written by `build.rs`, which fails the
// build when the file does not match the types.
include!(concat!(env!("OUT_DIR"), "/models.rs"));

/// The default preset's id.
pub const DEFAULT_ID: &str = "llama-3.1-8b";

/// Every preset, in file order.
pub fn all() -> &'static [Preset] {
    PRESETS
}

/// Famous trained models with their published sizes and token counts.
pub fn trained_models() -> &'static [TrainedModel] {
    TRAINED
}

/// The preset with this id (case-insensitive).
pub fn find(id: &str) -> Option<&'static Preset> {
    all().iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

/// The weights a model opens in: the format its own checkpoint ships in (`shipped_weights` in
/// `data/models.json`; BF16 where it says nothing), or for llama.cpp, which loads only GGUF,
/// the GGUF that keeps it: MXFP4 experts stay MXFP4 (llama.cpp's "MXFP4 MoE" files, as
/// ggml-org's gpt-oss GGUFs are), FP8 becomes Q8_0 (convert_hf_to_gguf.py has no FP8 type).
pub fn shipped_weights(model: &str, engine: super::engine::Engine) -> super::precision::WeightFormat {
    use super::precision::WeightFormat as W;
    let shipped = find(model)
        .and_then(|p| p.shipped_weights.as_deref())
        .and_then(W::from_id)
        .unwrap_or(W::Bf16);
    match (engine, shipped) {
        (super::engine::Engine::LlamaCpp, W::Mxfp4) => W::Mxfp4Moe,
        (super::engine::Engine::LlamaCpp, W::Fp8) => W::Q8_0,
        (_, w) => w,
    }
}

/// A preset's architecture, for unit tests (panics when the preset is missing).
#[cfg(test)]
pub fn arch_of(id: &str) -> Architecture {
    match find(id) {
        Some(p) => p.arch.clone(),
        None => panic!("preset {id} missing"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::catalog::{GpusFile, ModelsFile};
    use super::*;

    /// The statics `build.rs` writes hold exactly what the JSON files say: every text, every
    /// number to the last bit (`Debug` of an `f64` reads back as the same value), every enum.
    #[test]
    fn compiled_in_catalogs_equal_their_json() -> Result<(), serde_json::Error> {
        let models: ModelsFile = serde_json::from_str(include_str!("data/models.json"))?;
        assert_eq!(models.presets.as_slice(), all());
        assert_eq!(models.trained.as_slice(), trained_models());
        let gpus: GpusFile = serde_json::from_str(include_str!("data/gpus.json"))?;
        assert_eq!(gpus.gpus.as_slice(), super::super::hardware::all());
        Ok(())
    }

    #[test]
    fn models_open_in_the_precision_they_ship_in() {
        use super::super::engine::Engine;
        use super::super::precision::WeightFormat as W;
        // Every shipped format names a real format.
        for p in all() {
            if let Some(id) = p.shipped_weights.as_deref() {
                assert!(W::from_id(id).is_some(), "{}: {id}", p.id);
            }
        }
        assert_eq!(shipped_weights("deepseek-v3", Engine::Vllm), W::Fp8);
        assert_eq!(shipped_weights("gpt-oss-120b", Engine::None), W::Mxfp4);
        assert_eq!(shipped_weights("gpt-oss-120b", Engine::LlamaCpp), W::Mxfp4Moe);
        assert_eq!(shipped_weights("deepseek-v3", Engine::LlamaCpp), W::Q8_0);
        assert_eq!(shipped_weights("llama-3.1-8b", Engine::Vllm), W::Bf16);
        assert_eq!(shipped_weights("custom", Engine::Vllm), W::Bf16);
    }

    /// `build.rs` writes serde's variant index `i` as `VARIANTS[i]`; serde numbers variants in
    /// declaration order, which is also their discriminant.
    #[test]
    fn variant_tables_are_in_declaration_order() {
        use super::super::arch::{AttnBias, MlpKind, NormKind};
        for (i, v) in MlpKind::VARIANTS.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        for (i, v) in NormKind::VARIANTS.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        for (i, v) in AttnBias::VARIANTS.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        assert_eq!(AttnBias::VARIANTS, [AttnBias::None, AttnBias::Qkv, AttnBias::All]);
    }
}
