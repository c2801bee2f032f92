//! The catalogs' types: what `data/models.json` and `data/gpus.json` hold. Shared by the crate
//! and by `build.rs`, which deserializes both files into these types at build time (a
//! malformed catalog, with a missing, misspelt or mistyped field, is a build error naming the
//! file, line and column) and writes them out as Rust statics that the crate includes
//! (`presets::all`, `hardware::all`): nothing is parsed at start-up. This file names only
//! `serde` and `super::arch` (the build script includes both by path).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::arch::Architecture;

/// Text in a catalog: borrowed from the compiled-in statics, owned where `build.rs` reads the
/// JSON.
pub type Text = Cow<'static, str>;

/// One model preset.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// Identifier used in share links (lower case, dashes).
    pub id: Text,
    /// Display name.
    pub name: Text,
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
    pub params_source: Text,
    /// Pre-training tokens, if published.
    pub training_tokens: Option<f64>,
    /// Where the token count comes from.
    pub tokens_source: Text,
    /// Config and paper URLs.
    pub sources: Cow<'static, [Text]>,
    /// Where sources disagree or the preset makes a choice.
    #[serde(default)]
    pub note: Option<Text>,
    /// The weight format (a `WeightFormat` id) the model's own checkpoint ships in, where it is
    /// not BF16: what the page opens it in.
    #[serde(default)]
    pub shipped_weights: Option<Text>,
}

/// A trained model known only by its size and data (the Chinchilla chart's labelled points).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TrainedModel {
    /// Display name.
    pub name: Text,
    /// Parameters.
    pub params: f64,
    /// Training tokens.
    pub tokens: f64,
    /// Citation.
    pub source: Text,
}

/// `data/models.json`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ModelsFile {
    /// The presets, in menu order.
    pub presets: Vec<Preset>,
    /// Famous trained models.
    pub trained: Vec<TrainedModel>,
}

/// Who makes an accelerator: names its runtime (CUDA, ROCm, Metal, oneAPI) and whether it has
/// a discrete runtime context of its own.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    /// NVIDIA (CUDA).
    #[default]
    Nvidia,
    /// AMD (ROCm / HIP).
    Amd,
    /// Apple (Metal).
    Apple,
    /// Intel (SYCL / oneAPI).
    Intel,
}

impl Vendor {
    /// Every variant in declaration order, so `VARIANTS[i]` is the variant serde numbers `i`
    /// (how `build.rs` writes a catalog's enums as Rust).
    pub const VARIANTS: [Self; 4] = [Self::Nvidia, Self::Amd, Self::Apple, Self::Intel];
}

/// Where an accelerator's memory is.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MemoryKind {
    /// Its own memory on the card, beside the computer's system RAM.
    #[default]
    Discrete,
    /// One memory shared with the CPU (Apple silicon, DGX Spark, Ryzen AI Max): the GPU may
    /// use a share of it, and there is no separate system RAM to offload to.
    Unified,
}

impl MemoryKind {
    /// Every variant in declaration order (see [`Vendor::VARIANTS`]).
    pub const VARIANTS: [Self; 2] = [Self::Discrete, Self::Unified];
}

/// One accelerator model.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    /// Identifier used in share links.
    pub id: Text,
    /// Display name.
    pub name: Text,
    /// Memory in GiB (2³⁰ bytes).
    pub memory_gib: f64,
    /// Memory bandwidth in GB/s (10⁹ bytes per second).
    pub bandwidth_gb_s: f64,
    /// Dense BF16 tensor throughput in TFLOP/s (10¹²); FP16 or FP32 where the chip has no
    /// faster BF16 path (Apple M1–M3).
    pub bf16_tflops: f64,
    /// Dense FP8 tensor throughput in TFLOP/s, where the chip computes in FP8.
    #[serde(default)]
    pub fp8_tflops: Option<f64>,
    /// Who makes it.
    #[serde(default)]
    pub vendor: Vendor,
    /// Its own memory or memory shared with the CPU.
    #[serde(default)]
    pub memory: MemoryKind,
    /// Streaming multiprocessors (NVIDIA), compute units (AMD), Xe cores (Intel) or GPU cores
    /// (Apple): what the decode-speed model's per-SM ceiling counts.
    #[serde(default)]
    pub sm_count: Option<f64>,
    /// Boost clock in MHz.
    #[serde(default)]
    pub boost_mhz: Option<f64>,
    /// Datasheet figures quoted.
    pub source: Text,
    /// Datasheet URL.
    pub url: Text,
    /// Caveat, if any.
    #[serde(default)]
    pub note: Option<Text>,
    /// Memory as engines see it, in MiB: what `nvidia-smi` reports as the total (a little
    /// below the marketing figure read as GiB). `None` where no measurement is quoted.
    #[serde(default)]
    pub engine_mib: Option<f64>,
    /// Where `engine_mib` was read.
    #[serde(default)]
    pub engine_source: Option<Text>,
}

/// `data/gpus.json`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct GpusFile {
    /// The accelerators, in menu order.
    pub gpus: Vec<Gpu>,
}
