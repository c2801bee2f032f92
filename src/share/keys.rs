//! Every scenario key of a link, each defined once — the way ripgrep defines each flag once
//! (`crates/core/flags/defs.rs`): its name, the README's description and values, its syntax
//! (suffixes, range, whole or not, the ids of a choice), how a checked value is applied to a
//! [`Scenario`] and how the canonical link writes it back. The parser (`low`), the resolver
//! (`resolve`), the encoder (`mod.rs`), the reducer's clamps (`state.rs`), the page's slider
//! bounds (`ui/panels.rs`) and the README's key table (a test compares them) all read these.
//!
//! Architecture keys are [`ArchField`]s (`estimate::arch_field`); they sit after `params` in
//! the canonical order ([`ARCH_AFTER`]). Presentation keys (`view`, `controls`, `embed`,
//! `theme`, `units`) belong to the view, not the scenario, and are parsed in `low`.
//!
//! Adding a key: one `pub static` here, its entry in [`SCENARIO`], the field in `Scenario`
//! (with its default), and a row in the README (the test prints the row to paste).

use crate::estimate::arch_field::ArchField;
use crate::estimate::chinchilla::Fit;
use crate::estimate::engine::Engine;
use crate::estimate::hardware;
use crate::estimate::precision::{KvDtype, WeightFormat};
use crate::estimate::presets;
use crate::estimate::scenario::{CUSTOM_ID, Mode, Scenario};
use crate::estimate::speed::Split;
use crate::estimate::training::{Optimizer, Recompute};
use crate::estimate::units::{MAX_NAME_CHARS, Suffixes, clean_name, clip, format_context};

use super::{encode_count, low::percent_encode};

/// How a key's value is written in a link (stage 2 checks it; nothing here knows presets).
#[derive(Clone, Copy)]
pub enum Syntax {
    /// A number with these suffixes, clamped into `min ..= max` with a warning, and rounded
    /// with a warning when `whole`.
    Number {
        /// Suffix family ("128k" is 131,072 tokens; "7B" is 7·10⁹ parameters).
        suffixes: Suffixes,
        /// Smallest value kept.
        min: f64,
        /// Largest value kept.
        max: f64,
        /// Whole numbers only.
        whole: bool,
    },
    /// `0`/`1` (also `true`/`false`, `yes`/`no`, `on`/`off`).
    Flag,
    /// One of a closed set of ids, case-insensitive.
    Choice {
        /// The ids, in the order messages list them.
        ids: fn() -> Vec<&'static str>,
        /// Whether a (lower-cased) value names one of them (aliases included).
        accepts: fn(&str) -> bool,
    },
    /// Text whose meaning is checked when applied (a preset or GPU id, a name).
    Text,
}

/// A syntax-checked value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number, already clamped and rounded by the resolver.
    Number(f64),
    /// A flag.
    Flag(bool),
    /// A choice's id (lower-cased) or text.
    Text(String),
}

impl Value {
    fn number(&self) -> f64 {
        match self {
            Value::Number(v) => *v,
            Value::Flag(b) => f64::from(u8::from(*b)),
            Value::Text(_) => 0.0,
        }
    }
    /// A flag key's value (the parser gives flag keys only `Flag`s).
    fn flag(&self) -> bool {
        matches!(self, Value::Flag(true))
    }
    fn text(&self) -> &str {
        match self {
            Value::Text(t) => t,
            _ => "",
        }
    }
}

/// One scenario link key.
pub struct Key {
    /// The key in a link.
    pub name: &'static str,
    /// What it means (the README's second column).
    pub meaning: &'static str,
    /// Its values, default first (the README's third column; native builds only: the page never
    /// shows it, and the module stays smaller).
    #[cfg(not(target_arch = "wasm32"))]
    pub values: fn() -> String,
    /// How it is written.
    pub syntax: Syntax,
    /// The page's slider range, when the slider shows less than the link accepts.
    pub slider: Option<(f64, f64)>,
    /// Writes a checked value (numbers already in range); returns a message when the value
    /// means nothing here (an unknown preset) or was changed (a name shortened).
    pub apply: fn(&mut Scenario, &Value) -> Option<String>,
    /// The value as the canonical link writes it, given the default scenario; `None` when it
    /// is the default (the key is left out).
    pub encode: fn(&Scenario, &Scenario) -> Option<String>,
    /// Puts the default back (the page's "use the published count", "as many as fit").
    pub reset: fn(&mut Scenario),
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.name == other.name
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.name)
    }
}

impl Key {
    /// The accepted range of a number key (`None` for other kinds).
    pub fn range(&self) -> Option<(f64, f64)> {
        match self.syntax {
            Syntax::Number { min, max, .. } => Some((min, max)),
            _ => None,
        }
    }

    /// The range the page's slider shows: [`Key::slider`], else the accepted range.
    pub fn slider_range(&self) -> (f64, f64) {
        self.slider.or(self.range()).unwrap_or((0.0, 1.0))
    }

    /// Clamps a number into the key's range (a NaN becomes the minimum).
    pub fn clamp(&self, v: f64) -> f64 {
        match self.range() {
            Some((lo, _)) if v.is_nan() => lo,
            Some((lo, hi)) => v.clamp(lo, hi),
            None => v,
        }
    }

    /// The README's row for this key.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn readme_row(&self) -> String {
        let values = (self.values)();
        let sep = if values.is_empty() { "" } else { " " };
        format!("| `{}` | {} |{sep}{values} |", self.name, self.meaning)
    }
}

/// Choice ids in backticks, default first.
#[cfg(not(target_arch = "wasm32"))]
fn ids_default_first(ids: Vec<&'static str>, default: &str) -> String {
    std::iter::once(default)
        .chain(ids.into_iter().filter(|i| *i != default))
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

macro_rules! choice_key {
    ($name:literal, $meaning:literal, $ty:ty, $($f:ident).+) => {
        Key {
            name: $name,
            meaning: $meaning,
            #[cfg(not(target_arch = "wasm32"))]
            values: || ids_default_first(<$ty>::ALL.iter().map(|v| v.id()).collect(), Scenario::default().$($f).+.id()),
            syntax: Syntax::Choice {
                ids: || <$ty>::ALL.iter().map(|v| v.id()).collect(),
                accepts: |t| <$ty>::from_id(t).is_some(),
            },
            slider: None,
            apply: |s, v| match <$ty>::from_id(v.text()) {
                Some(x) => {
                    s.$($f).+ = x;
                    None
                }
                None => Some(format!("'{}' is not a known value; ignored", clip(v.text()))),
            },
            encode: |s, d| (s.$($f).+ != d.$($f).+).then(|| s.$($f).+.id().to_string()),
            reset: |s| s.$($f).+ = Scenario::default().$($f).+,
        }
    };
}

macro_rules! whole_key {
    ($name:literal, $meaning:literal, $values:literal, $min:expr, $max:expr, $t:ty, $($f:ident).+) => {
        Key {
            name: $name,
            meaning: $meaning,
            #[cfg(not(target_arch = "wasm32"))]
            values: || $values.to_string(),
            syntax: Syntax::Number { suffixes: Suffixes::Decimal, min: $min, max: $max, whole: true },
            slider: None,
            apply: |s, v| {
                s.$($f).+ = v.number() as $t;
                None
            },
            encode: |s, d| (s.$($f).+ != d.$($f).+).then(|| s.$($f).+.to_string()),
            reset: |s| s.$($f).+ = Scenario::default().$($f).+,
        }
    };
}

macro_rules! flag_key {
    ($name:literal, $meaning:literal, $values:literal, $($f:ident).+) => {
        Key {
            name: $name,
            meaning: $meaning,
            #[cfg(not(target_arch = "wasm32"))]
            values: || $values.to_string(),
            syntax: Syntax::Flag,
            slider: None,
            apply: |s, v| {
                s.$($f).+ = v.flag();
                None
            },
            encode: |s, d| (s.$($f).+ != d.$($f).+).then(|| u8::from(s.$($f).+).to_string()),
            reset: |s| s.$($f).+ = Scenario::default().$($f).+,
        }
    };
}

/// `model`.
pub static MODEL: Key = Key {
    name: "model",
    meaning: "preset id, or `custom`",
    #[cfg(not(target_arch = "wasm32"))]
    values: || {
        let mut ids: Vec<String> = presets::all().iter().map(|p| format!("`{}`", p.id)).collect();
        ids.push(format!("`{CUSTOM_ID}`"));
        ids.join(", ")
    },
    syntax: Syntax::Text,
    slider: None,
    apply: |s, v| {
        let m = v.text().to_ascii_lowercase();
        if m == CUSTOM_ID || presets::find(&m).is_some() {
            // A new model starts from its own shape, name and data (a link sets those after
            // `model`, in canonical order, so this clears nothing a link gives), and in the
            // precision it ships in unless another was chosen.
            if s.weights == presets::shipped_weights(&s.model, s.engine) {
                s.weights = presets::shipped_weights(&m, s.engine);
            }
            s.model = m;
            s.params = None;
            s.arch.clear();
            s.name = None;
            s.tokens = None;
            None
        } else {
            let known: Vec<&str> = presets::all().iter().map(|p| &*p.id).collect();
            Some(format!(
                "'{}' is not a known model (known: {}, custom); using {}",
                clip(&m),
                known.join(", "),
                s.model
            ))
        }
    },
    encode: |s, d| (s.model != d.model).then(|| percent_encode(&s.model)),
    reset: |s| s.model = Scenario::default().model,
};

/// `name`.
pub static NAME: Key = Key {
    name: "name",
    meaning: "display name of a custom model (text, ≤ 80 characters)",
    #[cfg(not(target_arch = "wasm32"))]
    values: String::new,
    syntax: Syntax::Text,
    slider: None,
    apply: |s, v| {
        let raw = v.text();
        let clean = clean_name(raw);
        let msg = (clean.chars().count() < raw.chars().count())
            .then(|| format!("shortened to {MAX_NAME_CHARS} characters without control characters"));
        if !clean.is_empty() {
            s.name = Some(clean);
        }
        msg
    },
    encode: |s, _| s.name.as_deref().map(percent_encode),
    reset: |s| s.name = None,
};

/// `params`.
pub static PARAMS: Key = Key {
    name: "params",
    meaning: "parameter count; the shape is then assumed (Llama-style dense)",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`7B`, `7e9`, `1.5T`; 10³ … 10¹⁵".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 1e3,
        max: 1e15,
        whole: true,
    },
    slider: Some((1e8, 2e12)),
    apply: |s, v| {
        s.params = Some(v.number());
        None
    },
    encode: |s, _| s.params.map(encode_count),
    reset: |s| s.params = None,
};

/// `weights`.
pub static WEIGHTS: Key = Key {
    meaning: "weight precision / quantisation; default: the format the model ships in (BF16; gpt-oss MXFP4 experts, DeepSeek-V3 FP8; under llama.cpp the GGUF that keeps it)",
    encode: |s, _| (s.weights != presets::shipped_weights(&s.model, s.engine)).then(|| s.weights.id().to_string()),
    reset: |s| s.weights = presets::shipped_weights(&s.model, s.engine),
    ..choice_key!("weights", "", WeightFormat, weights)
};

/// `kv`.
pub static KV: Key = choice_key!(
    "kv",
    "KV-cache precision, block scales included: vLLM offers `bf16` (its `auto`), `fp8`, `fp8_e5m2`; llama.cpp `fp16` (its `f16`), `q8_0` (8.5 bits), `q4_0` (4.5 bits) …, a quantised V cache needing FlashAttention",
    KvDtype,
    kv
);

/// `ctx`.
pub static CTX: Key = Key {
    name: "ctx",
    meaning: "context (sequence) length in tokens; `k` = ×1024, `M` = ×1,048,576",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`8k`, `4096`, `128k`; 1 … 10⁷".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Binary,
        min: 1.0,
        max: 1e7,
        whole: true,
    },
    slider: None,
    apply: |s, v| {
        s.ctx = v.number() as u64;
        None
    },
    encode: |s, d| (s.ctx != d.ctx).then(|| format_context(s.ctx as f64).replace(',', "")),
    reset: |s| s.ctx = Scenario::default().ctx,
};

/// `batch`.
pub static BATCH: Key = whole_key!(
    "batch",
    "concurrent sequences (training: micro-batch)",
    "`1`; 1 … 10⁴",
    1.0,
    1e4,
    u64,
    batch
);

/// `mode`.
pub static MODE: Key = choice_key!("mode", "`infer` or `train`", Mode, mode);

/// `optimizer`.
pub static OPTIMIZER: Key = choice_key!("optimizer", "optimizer (training)", Optimizer, training.optimizer);

/// `recompute`.
pub static RECOMPUTE: Key = choice_key!(
    "recompute",
    "activation recomputation (training)",
    Recompute,
    training.recompute
);

/// `zero`.
pub static ZERO: Key = whole_key!("zero", "ZeRO stage", "`0` … `3`", 0.0, 3.0, u8, training.zero);

/// `dp`.
pub static DP: Key = whole_key!("dp", "data-parallel size", "`1`; 1 … 10⁶", 1.0, 1e6, u32, training.dp);

/// `tp`.
pub static TP: Key = whole_key!(
    "tp",
    "tensor-parallel size",
    "`1`; 1 … 1024",
    1.0,
    1024.0,
    u32,
    training.tp
);

/// `pp`.
pub static PP: Key = whole_key!(
    "pp",
    "pipeline-parallel size",
    "`1`; 1 … 1024",
    1.0,
    1024.0,
    u32,
    training.pp
);

/// `sp`.
pub static SP: Key = flag_key!("sp", "sequence parallelism (`0`/`1`)", "`0`, `1`", training.sp);

/// `flash`.
pub static FLASH: Key = flag_key!("flash", "FlashAttention (`0`/`1`)", "`1`, `0`", training.flash);

/// `lora_rank`.
pub static LORA_RANK: Key = whole_key!(
    "lora_rank",
    "LoRA rank (0: full training; with `weights=nf4`: QLoRA)",
    "`0` … 65536",
    0.0,
    65536.0,
    u32,
    training.lora_rank
);

/// `master`.
pub static MASTER: Key = flag_key!(
    "master",
    "training keeps fp32 master weights and fp32 optimizer states (`0`: everything in the weights' precision, as pure bf16 training does: 8 instead of 16 bytes per parameter with AdamW)",
    "`1`, `0`",
    training.master
);

/// `gpu`.
pub static GPU: Key = Key {
    name: "gpu",
    meaning: "GPU (or Mac, DGX Spark, Ryzen AI Max), or `custom`: your own, described by `gpu_mem`, `gpu_bw` and `gpu_tflops`",
    #[cfg(not(target_arch = "wasm32"))]
    values: || {
        let mut ids: Vec<String> = hardware::all().iter().map(|g| format!("`{}`", g.id)).collect();
        ids.push(format!("`{}`", hardware::CUSTOM_ID));
        ids.join(", ")
    },
    syntax: Syntax::Text,
    slider: None,
    apply: |s, v| {
        let g = v.text().to_ascii_lowercase();
        if g == hardware::CUSTOM_ID || hardware::find(&g).is_some() {
            // Another card starts from its own figures (a link gives `gpu_mem` and the rest
            // after `gpu`, in canonical order, so this clears nothing it sets).
            s.gpu = g;
            s.gpu_mem = None;
            s.gpu_bw = None;
            s.gpu_tflops = None;
            None
        } else {
            let known: Vec<&str> = hardware::all().iter().map(|g| &*g.id).collect();
            Some(format!(
                "'{}' is not a known GPU (known: {}, {}); using {}",
                clip(&g),
                known.join(", "),
                hardware::CUSTOM_ID,
                s.gpu
            ))
        }
    },
    encode: |s, d| (s.gpu != d.gpu).then(|| percent_encode(&s.gpu)),
    reset: |s| s.gpu = Scenario::default().gpu,
};

/// Memory as a link writes it: in GiB where whole (as cards are sold), else in GB, MiB or bytes,
/// always with its unit.
fn encode_bytes(b: f64) -> String {
    const GIB: f64 = 1_073_741_824.0;
    let whole = |x: f64| (x - x.round()).abs() < 1e-9;
    if whole(b / GIB * 1000.0) {
        format!("{}GiB", (b / GIB * 1000.0).round() / 1000.0)
    } else if whole(b / 1e9 * 1000.0) {
        format!("{}GB", (b / 1e9 * 1000.0).round() / 1000.0)
    } else {
        format!("{}B", b.round())
    }
}

/// `gpu_mem`.
pub static GPU_MEM: Key = Key {
    name: "gpu_mem",
    meaning: "the GPU's memory, where it differs from the catalog's (`gpu=custom`, or a Mac with more memory); `GB` = 10⁹ B, `GiB` = 2³⁰ B, a bare number is GiB as cards are sold",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`24GiB`, `20GB`, `64`; 1 GiB … 16 TiB".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Bytes,
        min: 1_073_741_824.0,
        max: 16.0 * 1_099_511_627_776.0,
        whole: true,
    },
    slider: None,
    apply: |s, v| {
        s.gpu_mem = Some(v.number());
        None
    },
    encode: |s, _| s.gpu_mem.map(encode_bytes),
    reset: |s| s.gpu_mem = None,
};

/// `gpu_bw`.
pub static GPU_BW: Key = Key {
    name: "gpu_bw",
    meaning: "the GPU's memory bandwidth in GB/s, where it differs from the catalog's",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`936`; 1 … 100000".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 1.0,
        max: 100_000.0,
        whole: false,
    },
    slider: None,
    apply: |s, v| {
        s.gpu_bw = Some(v.number());
        None
    },
    encode: |s, _| s.gpu_bw.map(|b| b.to_string()),
    reset: |s| s.gpu_bw = None,
};

/// `gpu_tflops`.
pub static GPU_TFLOPS: Key = Key {
    name: "gpu_tflops",
    meaning: "the GPU's dense BF16 (or FP16) TFLOP/s, where it differs from the catalog's",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`71`; 0.1 … 100000".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 0.1,
        max: 100_000.0,
        whole: false,
    },
    slider: None,
    apply: |s, v| {
        s.gpu_tflops = Some(v.number());
        None
    },
    encode: |s, _| s.gpu_tflops.map(|t| t.to_string()),
    reset: |s| s.gpu_tflops = None,
};

/// `gpus`.
pub static GPUS: Key = Key {
    slider: Some((1.0, 1024.0)),
    ..whole_key!(
        "gpus",
        "GPU count (inference; how they share the model: `split`)",
        "`1`; 1 … 65536",
        1.0,
        65536.0,
        u32,
        gpus
    )
};

/// `split`.
pub static SPLIT: Key = choice_key!(
    "split",
    "how several GPUs share the model: `tp` (tensor parallel: every layer split, vLLM's default) or `layer` (consecutive layers on consecutive GPUs, llama.cpp's and transformers' default); `auto`: the engine's",
    Split,
    split
);

/// `engine`.
pub static ENGINE: Key = Key {
    apply: |s, v| match Engine::from_id(v.text()) {
        Some(e) => {
            // Weights that were the model's shipped format follow it into the new engine's
            // (gpt-oss's MXFP4 checkpoint is a "MXFP4 MoE" GGUF under llama.cpp).
            if s.weights == presets::shipped_weights(&s.model, s.engine) {
                s.weights = presets::shipped_weights(&s.model, e);
            }
            s.engine = e;
            None
        }
        None => Some(format!("'{}' is not a known value; ignored", clip(v.text()))),
    },
    ..choice_key!(
        "engine",
        "inference engine whose own memory and rules apply (KV types, GPU counts, weights it loads)",
        Engine,
        engine
    )
};

/// `gpu_util`.
pub static GPU_UTIL: Key = Key {
    name: "gpu_util",
    meaning: "vLLM's `gpu_memory_utilization`: the share of each GPU it uses",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`0.9`; 0.05 … 1".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 0.05,
        max: 1.0,
        whole: false,
    },
    slider: None,
    apply: |s, v| {
        s.gpu_util = v.number();
        None
    },
    encode: |s, d| (s.gpu_util != d.gpu_util).then(|| s.gpu_util.to_string()),
    reset: |s| s.gpu_util = Scenario::default().gpu_util,
};

/// `ngl`.
pub static NGL: Key = Key {
    name: "ngl",
    meaning: "llama.cpp's `-ngl`: layers (blocks and the output layer) on the GPU; absent: as many as fit",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "0 … 1000 (more than the model has: all)".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 0.0,
        max: 1000.0,
        whole: true,
    },
    slider: None,
    apply: |s, v| {
        s.gpu_layers = Some(v.number() as u32);
        None
    },
    encode: |s, _| s.gpu_layers.map(|n| n.to_string()),
    reset: |s| s.gpu_layers = None,
};

/// `ram_bw`.
pub static RAM_BW: Key = Key {
    name: "ram_bw",
    meaning: "system-memory bandwidth in GB/s, for the layers llama.cpp leaves on the CPU",
    #[cfg(not(target_arch = "wasm32"))]
    values: || {
        format!(
            "`{}` (dual-channel DDR5-5600); 1 … 10000",
            crate::estimate::engine::DEFAULT_RAM_BANDWIDTH_GB_S
        )
    },
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 1.0,
        max: 10000.0,
        whole: false,
    },
    slider: None,
    apply: |s, v| {
        s.ram_bw_gb_s = v.number();
        None
    },
    encode: |s, d| (s.ram_bw_gb_s != d.ram_bw_gb_s).then(|| s.ram_bw_gb_s.to_string()),
    reset: |s| s.ram_bw_gb_s = Scenario::default().ram_bw_gb_s,
};

/// `ram`.
pub static RAM: Key = Key {
    name: "ram",
    meaning: "system RAM, which llama.cpp's CPU part (layers, experts) must fit in, less 4 GiB the system keeps; units as `gpu_mem`",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`32GiB` (a typical desktop), `64`, `128GB`; 1 GiB … 64 TiB".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Bytes,
        min: 1_073_741_824.0,
        max: 64.0 * 1_099_511_627_776.0,
        whole: true,
    },
    slider: None,
    apply: |s, v| {
        s.ram_bytes = v.number();
        None
    },
    encode: |s, d| (s.ram_bytes != d.ram_bytes).then(|| encode_bytes(s.ram_bytes)),
    reset: |s| s.ram_bytes = Scenario::default().ram_bytes,
};

/// `cpu_moe`.
pub static CPU_MOE: Key = whole_key!(
    "cpu_moe",
    "llama.cpp's `--n-cpu-moe`: the routed experts of the first N blocks stay in system RAM, the rest of those blocks on the GPU",
    "`0`; 0 … 1000 (more than the model has: all, as `--cpu-moe`)",
    0.0,
    1000.0,
    u32,
    cpu_moe
);

/// `tokens`.
pub static TOKENS: Key = Key {
    name: "tokens",
    meaning: "training tokens (default: the preset's published count, else 20 per parameter)",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`1.4T`; 10⁶ … 10¹⁷".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 1e6,
        max: 1e17,
        whole: true,
    },
    slider: Some((1e9, 1e14)),
    apply: |s, v| {
        s.tokens = Some(v.number());
        None
    },
    encode: |s, _| s.tokens.map(encode_count),
    reset: |s| s.tokens = None,
};

/// `fit`.
pub static FIT: Key = choice_key!("fit", "compute-optimal fit", Fit, fit);

/// `mfu`.
pub static MFU: Key = Key {
    name: "mfu",
    meaning: "model FLOPs utilisation of training: the share of dense FLOP/s a run reaches (training time)",
    #[cfg(not(target_arch = "wasm32"))]
    values: || {
        format!(
            "`{}` (Llama 3 405B's 38–43 %); 0.01 … 1",
            crate::estimate::chinchilla::DEFAULT_MFU
        )
    },
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 0.01,
        max: 1.0,
        whole: false,
    },
    slider: None,
    apply: |s, v| {
        s.mfu = v.number();
        None
    },
    encode: |s, d| (s.mfu != d.mfu).then(|| s.mfu.to_string()),
    reset: |s| s.mfu = Scenario::default().mfu,
};

/// `compute`.
pub static COMPUTE: Key = Key {
    name: "compute",
    meaning: "a training compute budget in FLOPs: the compute-optimal model of each fit for it, and how long it takes",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "none (this model's 6·N·D); `1e23`, `3.8e25`; 10¹⁵ … 10³⁰".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 1e15,
        max: 1e30,
        whole: false,
    },
    slider: None,
    apply: |s, v| {
        s.compute = Some(v.number());
        None
    },
    encode: |s, _| s.compute.map(|c| format!("{c:e}")),
    reset: |s| s.compute = None,
};

/// `inference_tokens`.
pub static INFERENCE_TOKENS: Key = Key {
    name: "inference_tokens",
    meaning: "tokens the model will serve over its life: the cheapest model of the same loss counting them (Sardana et al. 2024)",
    #[cfg(not(target_arch = "wasm32"))]
    values: || "`0`; `2T`; 0 … 10¹⁸".to_string(),
    syntax: Syntax::Number {
        suffixes: Suffixes::Decimal,
        min: 0.0,
        max: 1e18,
        whole: true,
    },
    slider: None,
    apply: |s, v| {
        s.inference_tokens = v.number();
        None
    },
    encode: |s, d| (s.inference_tokens != d.inference_tokens).then(|| encode_count(s.inference_tokens)),
    reset: |s| s.inference_tokens = Scenario::default().inference_tokens,
};

/// Where the architecture keys ([`ArchField::ALL`]) sit in the canonical order: after this key.
pub const ARCH_AFTER: &str = "params";

/// Every scenario key, in canonical (link) order: `engine` before `weights`, whose default
/// depends on it.
pub static SCENARIO: &[&Key] = &[
    &MODEL,
    &NAME,
    &PARAMS,
    &ENGINE,
    &WEIGHTS,
    &KV,
    &CTX,
    &BATCH,
    &MODE,
    &OPTIMIZER,
    &RECOMPUTE,
    &ZERO,
    &DP,
    &TP,
    &PP,
    &SP,
    &FLASH,
    &LORA_RANK,
    &MASTER,
    &GPU,
    &GPU_MEM,
    &GPU_BW,
    &GPU_TFLOPS,
    &GPUS,
    &SPLIT,
    &GPU_UTIL,
    &NGL,
    &CPU_MOE,
    &RAM,
    &RAM_BW,
    &TOKENS,
    &FIT,
    &MFU,
    &COMPUTE,
    &INFERENCE_TOKENS,
];

/// The scenario key named `name`.
pub fn find(name: &str) -> Option<&'static Key> {
    SCENARIO.iter().copied().find(|k| k.name == name)
}

/// The range of a scenario or architecture key.
pub fn range(name: &str) -> Option<(f64, f64)> {
    find(name)
        .and_then(Key::range)
        .or_else(|| ArchField::from_key(name).map(ArchField::range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_one_by_name() {
        // What a parsed link's pairs are compared by, and what a debug print names.
        assert_eq!(&CTX, &CTX);
        assert_ne!(&CTX, &BATCH);
        assert_eq!(format!("{:?}", &CTX), "Key(ctx)");
    }

    #[test]
    fn every_key_encodes_nothing_for_the_default_and_round_trips_a_change() {
        let d = Scenario::default();
        for k in SCENARIO {
            assert_eq!((k.encode)(&d, &d), None, "{}: the default is left out", k.name);
        }
        // A changed value is written and read back to the same scenario.
        let mut s = d.clone();
        let v = Value::Number(131_072.0);
        assert_eq!((CTX.apply)(&mut s, &v), None);
        assert_eq!((CTX.encode)(&s, &d).as_deref(), Some("128k"));
        assert_eq!((WEIGHTS.apply)(&mut s, &Value::Text("q4_k_m".into())), None);
        assert_eq!(s.weights, WeightFormat::Q4KM);
        assert_eq!((WEIGHTS.encode)(&s, &d).as_deref(), Some("q4_k_m"));
        assert!((MODEL.apply)(&mut s, &Value::Text("nope".into())).is_some_and(|m| m.contains("not a known model")));
        assert_eq!(s.model, d.model);
    }

    #[test]
    fn names_are_unique_and_never_an_architecture_key() {
        for (i, k) in SCENARIO.iter().enumerate() {
            assert!(SCENARIO[..i].iter().all(|o| o.name != k.name), "{} twice", k.name);
            assert!(
                ArchField::from_key(k.name).is_none(),
                "{} is also an architecture key",
                k.name
            );
        }
        assert!(find(ARCH_AFTER).is_some());
    }

    #[test]
    fn clamps_and_slider_ranges_come_from_the_definition() {
        assert_eq!(CTX.clamp(0.0), 1.0);
        assert_eq!(CTX.clamp(1e9), 1e7);
        assert_eq!(GPU_UTIL.clamp(f64::NAN), 0.05);
        assert_eq!(PARAMS.slider_range(), (1e8, 2e12));
        assert_eq!(BATCH.slider_range(), (1.0, 1e4));
        // The GPU-count slider stops at 1,024; a link may say up to 65,536.
        assert_eq!(GPUS.slider_range(), (1.0, 1024.0));
        assert_eq!(GPUS.range(), Some((1.0, 65536.0)));
        assert_eq!(range("kv_heads"), Some((1.0, 10_000.0)));
    }
}
