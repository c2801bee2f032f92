//! A scenario — model, precision, workload, hardware, training data — and everything derived
//! from it: the [`Report`] the page, the charts and the CLI show.
//!
//! The scenario holds only what the user chose; every figure is computed from it on demand
//! (nothing derived is stored). [`Scenario::resolve`] turns the choices into a concrete
//! architecture and parameter count, with a message for every override it could not apply.

use serde::Serialize;

use super::activations::{self, InferenceActivations};
use super::arch::{Architecture, ParamCount, TensorRole};
use super::arch_field::ArchField;
use super::chinchilla::{self, ChinchillaReport, Fit};
use super::engine::{self, Engine, EngineTerms, Offload, Placement, VLLM_DEFAULT_GPU_UTIL};
use super::hardware::{self, Gpu};
use super::kv::{self, KvLayout};
use super::precision::{self, KvDtype, WeightFormat};
use super::presets;
use super::speed::{DecodeStep, Prefill, Split, TrainingTime};
use super::training::{self, TrainingKnobs, TrainingMemory};

/// Inference or training.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Mode {
    /// Serving: weights + KV cache + transient activations.
    #[default]
    Infer,
    /// Training: weights + gradients + optimizer states + stored activations.
    Train,
}

impl Mode {
    /// Both modes, in the order the picker lists them.
    pub const ALL: [Mode; 2] = [Mode::Infer, Mode::Train];

    /// Share-link id.
    pub fn id(self) -> &'static str {
        match self {
            Mode::Infer => "infer",
            Mode::Train => "train",
        }
    }
    /// Parse an id (the link's `mode`), or its long form.
    pub fn from_id(s: &str) -> Option<Mode> {
        match s.to_ascii_lowercase().as_str() {
            "infer" | "inference" => Some(Mode::Infer),
            "train" | "training" => Some(Mode::Train),
            _ => None,
        }
    }
}

/// Dense BF16 FLOP/s assumed for training time when no GPU is known: the default GPU's, an H100
/// SXM's 989.4 TFLOP/s (NVIDIA H100 datasheet: 1,979 TFLOPS with sparsity, half dense).
pub const FALLBACK_BF16_FLOPS: f64 = 989.4e12;

/// The id that selects a custom (non-preset) architecture.
pub const CUSTOM_ID: &str = "custom";

/// Prompt tokens processed per forward pass during prefill, all sequences together (chunked
/// prefill: vLLM's and SGLang's default token budget per step is 8,192). Transient activations
/// stop growing here.
pub const PREFILL_CHUNK_TOKENS: f64 = 8192.0;

/// Applies override `field = v` to `arch`: `Ok(true)` applied, `Ok(false)` it changes nothing,
/// `Err(reason)` it would make the shape inconsistent (the architecture is left unchanged).
pub fn try_override(arch: &mut Architecture, field: ArchField, v: u64) -> Result<bool, String> {
    let mut next = arch.clone();
    field.set(&mut next, v);
    if next == *arch {
        return Ok(false);
    }
    let problems = next.problems();
    if !problems.is_empty() && problems.len() > arch.problems().len() {
        return Err(problems.join("; "));
    }
    *arch = next;
    Ok(true)
}

/// Architecture overrides applied to a base shape (see [`apply_overrides`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// The resulting shape.
    pub arch: Architecture,
    /// The overrides that changed it, in [`ArchField::ALL`] order.
    pub kept: Vec<(ArchField, u64)>,
    /// Overrides dropped because they made the shape inconsistent, with why.
    pub rejected: Vec<(ArchField, u64, String)>,
    /// Overrides that do not apply to this model (a field it does not have).
    pub inapplicable: Vec<(ArchField, u64)>,
}

/// Applies `overrides` (the last value of each field wins) to `base`, in [`ArchField::ALL`] order.
/// The shape is checked as a whole first, so any order of keys gives the same result and
/// changes that are only consistent together (heads with kv_heads) are kept; when the whole is
/// inconsistent, each override is kept only if it keeps the shape consistent.
pub fn apply_overrides(base: &Architecture, overrides: &[(ArchField, u64)]) -> Applied {
    let given = |f: ArchField| overrides.iter().rev().find(|(k, _)| *k == f).map(|&(_, v)| v);
    let mut whole = base.clone();
    let mut kept = Vec::new();
    let mut inapplicable = Vec::new();
    for &f in ArchField::ALL {
        let Some(v) = given(f) else { continue };
        let before = whole.clone();
        f.set(&mut whole, v);
        if whole != before {
            kept.push((f, v));
        } else if f.get(&whole) != v as f64 {
            inapplicable.push((f, v));
        }
    }
    if whole.problems().len() <= base.problems().len() {
        return Applied {
            arch: whole,
            kept,
            rejected: Vec::new(),
            inapplicable,
        };
    }
    let mut arch = base.clone();
    let mut kept = Vec::new();
    let mut rejected = Vec::new();
    let mut inapplicable = Vec::new();
    for &f in ArchField::ALL {
        let Some(v) = given(f) else { continue };
        match try_override(&mut arch, f, v) {
            Ok(true) => kept.push((f, v)),
            Ok(false) if f.get(&arch) == v as f64 => {}
            Ok(false) => inapplicable.push((f, v)),
            Err(why) => rejected.push((f, v, why)),
        }
    }
    Applied {
        arch,
        kept,
        rejected,
        inapplicable,
    }
}

/// Everything a user chose. Every field has a default; see [`Scenario::default`].
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Preset id, or [`CUSTOM_ID`].
    pub model: String,
    /// Display name of a custom model (plain text, at most 80 characters).
    pub name: Option<String>,
    /// Parameter count override: the shape is then assumed (see [`Architecture::assumed_dense`]).
    pub params: Option<f64>,
    /// Architecture overrides, (field, value) in [`ArchField::ALL`] order.
    pub arch: Vec<(ArchField, u64)>,
    /// Weight format.
    pub weights: WeightFormat,
    /// KV-cache format.
    pub kv: KvDtype,
    /// Context length in tokens (inference) or sequence length (training).
    pub ctx: u64,
    /// Concurrent sequences (inference) or micro-batch size (training).
    pub batch: u64,
    /// Inference or training.
    pub mode: Mode,
    /// Training knobs (also `flash` for inference prefill).
    pub training: TrainingKnobs,
    /// GPU catalog id.
    pub gpu: String,
    /// GPU count for inference.
    pub gpus: u32,
    /// How the inference GPUs share the model (`Auto`: the engine's default).
    pub split: Split,
    /// Training tokens; `None` = the preset's published count, else 20·N.
    pub tokens: Option<f64>,
    /// Chinchilla fit.
    pub fit: Fit,
    /// The inference engine whose allocations are added to the tensors.
    pub engine: Engine,
    /// vLLM's `gpu_memory_utilization`: the share of each GPU it uses (other engines: unused).
    pub gpu_util: f64,
    /// llama.cpp's `-ngl`: slots (blocks + output layer) on the GPU; `None` = as many as fit.
    pub gpu_layers: Option<u32>,
    /// System-memory bandwidth in GB/s, for the layers llama.cpp leaves on the CPU.
    pub ram_bw_gb_s: f64,
    /// System RAM in bytes: what llama.cpp's CPU part must fit in.
    pub ram_bytes: f64,
    /// llama.cpp's `--n-cpu-moe`: the routed experts of the first N blocks stay in system RAM.
    pub cpu_moe: u32,
    /// The GPU's memory in bytes, where it differs from the catalog's (your own card, a Mac's
    /// memory size); required for `gpu=custom`.
    pub gpu_mem: Option<f64>,
    /// The GPU's memory bandwidth in GB/s, where it differs from the catalog's.
    pub gpu_bw: Option<f64>,
    /// The GPU's dense BF16 TFLOP/s, where it differs from the catalog's.
    pub gpu_tflops: Option<f64>,
    /// Model FLOPs utilisation of training runs (a share of dense FLOP/s).
    pub mfu: f64,
    /// A training compute budget, FLOPs: its compute-optimal model under each fit.
    pub compute: Option<f64>,
    /// Tokens the model will serve over its life: the inference-aware optimum's D_inf.
    pub inference_tokens: f64,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            model: presets::DEFAULT_ID.to_string(),
            name: None,
            params: None,
            arch: Vec::new(),
            weights: WeightFormat::Bf16,
            kv: KvDtype::Bf16,
            ctx: 8192,
            batch: 1,
            mode: Mode::Infer,
            training: TrainingKnobs::default(),
            gpu: hardware::DEFAULT_ID.to_string(),
            gpus: 1,
            split: Split::Auto,
            tokens: None,
            fit: Fit::Epoch,
            engine: Engine::None,
            gpu_util: VLLM_DEFAULT_GPU_UTIL,
            gpu_layers: None,
            ram_bw_gb_s: engine::DEFAULT_RAM_BANDWIDTH_GB_S,
            ram_bytes: engine::DEFAULT_RAM_BYTES,
            cpu_moe: 0,
            gpu_mem: None,
            gpu_bw: None,
            gpu_tflops: None,
            mfu: chinchilla::DEFAULT_MFU,
            compute: None,
            inference_tokens: 0.0,
        }
    }
}

/// The concrete model a scenario describes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResolvedModel {
    /// Preset id or "custom".
    pub id: String,
    /// Display name.
    pub name: String,
    /// The architecture used for every shape-dependent figure.
    pub arch: Architecture,
    /// Parameter counts derived from `arch`.
    pub derived: ParamCount,
    /// Total parameters N (the override when one was given, else derived).
    pub params: f64,
    /// Active parameters per token.
    pub active_params: f64,
    /// True when the shape was assumed from a size alone.
    pub shape_assumed: bool,
    /// Overrides that could not be applied, with the reason.
    pub warnings: Vec<String>,
    /// Published training tokens of the preset, if any.
    pub published_tokens: Option<f64>,
}

impl Scenario {
    /// The base architecture before overrides: the preset's, or an assumed dense shape.
    pub fn base_arch(&self) -> (Architecture, bool) {
        let preset = presets::find(&self.model);
        match (self.params, preset) {
            (Some(n), _) => (Architecture::assumed_dense(n), true),
            (None, Some(p)) => (p.arch.clone(), false),
            (None, None) => (
                Architecture::assumed_dense(super::arch::DEFAULT_ASSUMED_PARAMS),
                self.arch.is_empty(),
            ),
        }
    }

    /// Resolves the model: base shape, then each override in order; an override that makes the
    /// shape inconsistent is skipped with a message naming it.
    pub fn resolve(&self) -> ResolvedModel {
        let (base, shape_assumed) = self.base_arch();
        let applied = apply_overrides(&base, &self.arch);
        let warnings: Vec<String> = applied
            .rejected
            .iter()
            .map(|(f, v, why)| format!("{}={v} ignored: {why}", f.key()))
            .collect();
        let arch = applied.arch;
        let derived = arch.param_count();
        let params = self.params.unwrap_or(derived.total);
        // As in `weights_bytes`: a shape always has at least one parameter.
        let scale = params / derived.total.max(1.0);
        let preset = presets::find(&self.model).filter(|_| self.params.is_none() && self.arch.is_empty());
        let name = match (&self.name, presets::find(&self.model)) {
            (Some(n), _) => n.clone(),
            (None, Some(p)) if self.params.is_none() && self.arch.is_empty() => p.name.to_string(),
            (None, Some(p)) if self.params.is_some() => format!(
                "{} at {}, shape assumed",
                p.name,
                super::units::format_count(self.params.unwrap_or(0.0))
            ),
            (None, Some(p)) => format!("{} (modified)", p.name),
            (None, None) => "Custom model".to_string(),
        };
        ResolvedModel {
            id: if presets::find(&self.model).is_some() {
                self.model.to_ascii_lowercase()
            } else {
                CUSTOM_ID.to_string()
            },
            name,
            arch,
            derived,
            params,
            active_params: derived.active * scale,
            shape_assumed,
            warnings,
            published_tokens: preset.and_then(|p| p.training_tokens),
        }
    }

    /// The GPU: the catalog's (the default one if the id is unknown), or `gpu=custom`, with the
    /// memory, bandwidth and FLOP/s the scenario gives instead of the catalog's.
    pub fn gpu(&self) -> Option<std::borrow::Cow<'static, Gpu>> {
        let base = if self.gpu == hardware::CUSTOM_ID {
            Some(&hardware::CUSTOM)
        } else {
            hardware::find(&self.gpu).or_else(|| hardware::find(hardware::DEFAULT_ID))
        }?;
        if self.gpu_mem.is_none() && self.gpu_bw.is_none() && self.gpu_tflops.is_none() {
            return Some(std::borrow::Cow::Borrowed(base));
        }
        Some(std::borrow::Cow::Owned(base.with(
            self.gpu_mem,
            self.gpu_bw,
            self.gpu_tflops,
        )))
    }

    /// Training tokens: the chosen value, else the preset's published count, else 20·N.
    pub fn training_tokens(&self, model: &ResolvedModel) -> f64 {
        self.tokens
            .or(model.published_tokens)
            .unwrap_or(chinchilla::RULE_OF_20_TOKENS_PER_PARAM * model.params)
    }

    /// Bytes of the weights in the chosen format (scaled to a size override).
    pub fn weights_bytes(&self, m: &ResolvedModel) -> f64 {
        precision::weight_bytes(&m.arch, self.weights) * (m.params / m.derived.total.max(1.0))
    }

    /// Everything derived from the scenario.
    pub fn evaluate(&self) -> Report {
        self.evaluate_after(None)
    }

    /// [`Scenario::evaluate`], reusing from `before` — the report of a scenario that differs
    /// from this one in its context length alone — the one figure that does not depend on the
    /// context and costs a search: the largest context that fits. A slider that moves the
    /// context does not search again. The same report as `evaluate` (`tests/speed_consistency.rs`).
    pub fn evaluate_after(&self, before: Option<(&Scenario, &Report)>) -> Report {
        let model = self.resolve();
        let known = before
            .filter(|(b, _)| {
                b.ctx != self.ctx
                    && Scenario {
                        ctx: self.ctx,
                        ..(*b).clone()
                    } == *self
            })
            .map(|(_, r)| {
                (
                    r.inference.max_context_on_gpu,
                    r.inference.max_context_unbounded,
                    r.inference.refused.is_none(),
                )
            });
        let mut inference = inference_report(self, &model, known);
        inference.advice = super::fit::inference_advice(self, &model, &inference);
        inference.cpu_moe_hint = super::fit::cpu_moe_hint(self, &model, &inference);
        let mut training = training_report(self, &model);
        training.advice = super::fit::training_advice(self, &model, training.fits);
        let gpu = self.gpu();
        let tokens = self.training_tokens(&model);
        let time = self.training_time(&model, tokens);
        // The run's FLOP/s (its FLOPs over its time): what a compute budget takes to spend.
        let rate = if time.seconds > 0.0 {
            time.flops_per_token * tokens / time.seconds
        } else {
            0.0
        };
        let q = chinchilla::DataQuestions {
            compute: self.compute,
            inference_tokens: self.inference_tokens,
            training_flops_per_s: rate,
        };
        let chinchilla = chinchilla::report(self.fit, model.params, tokens, time.seconds, time.mfu, q);
        Report {
            model: ModelReport {
                id: model.id.clone(),
                name: model.name.clone(),
                params: model.params,
                active_params: model.active_params,
                embedding_params: model.derived.embedding * (model.params / model.derived.total.max(1.0)),
                non_embedding_params: model.derived.non_embedding * (model.params / model.derived.total.max(1.0)),
                derived_params: model.derived.total,
                shape_assumed: model.shape_assumed,
                arch: model.arch.clone(),
            },
            inference,
            training,
            chinchilla,
            gpu: gpu.map(|g| GpuReport {
                id: g.id.to_string(),
                name: g.name.to_string(),
                count: self.gpus,
                memory_bytes_each: g.memory_bytes(),
                memory_bytes_total: g.memory_bytes() * f64::from(self.gpus),
                bandwidth_bytes_per_s: g.bandwidth_bytes_per_s(),
                bf16_flops: g.flops(),
                split: self.split().id(),
                engine_memory_bytes_each: g.engine_memory_bytes(),
                unified_memory: g.memory == super::catalog::MemoryKind::Unified,
                fp8_flops: g.fp8_tflops.map(|f| f * 1e12),
                weights_name: self.weights.name_on(Some(&g)),
            }),
            warnings: self.report_warnings(&model),
        }
    }

    /// The report's warnings: overrides that could not be applied, and for inference what the
    /// engine refuses or lacks.
    fn report_warnings(&self, model: &ResolvedModel) -> Vec<String> {
        let mut out = model.warnings.clone();
        if self.mode == Mode::Infer {
            out.extend(self.refusal(&model.arch));
            out.extend(engine::setting_warnings(self.engine, self.kv, self.weights));
            out.extend(self.cpu_moe_warning(model));
        }
        out
    }

    /// `--n-cpu-moe N` with `-ngl` left to fit: when the rest still does not fit the GPU,
    /// llama.cpp keeps only the last layers there, and the first N may be in RAM whole already,
    /// so fewer experts move than were asked: said, with the count that keeps every layer on
    /// the GPU.
    fn cpu_moe_warning(&self, m: &ResolvedModel) -> Option<String> {
        let o = self.offload_at(m, self.ctx as f64, self.batch as f64)?;
        let asked = self.cpu_moe.min(u32::try_from(m.arch.moe_layers()).unwrap_or(0));
        let whole = o.slots.saturating_sub(o.gpu_layers);
        if asked == 0 || o.cpu_moe_layers >= asked || whole == 0 {
            return None;
        }
        let fix = super::fit::cpu_moe_for_all_layers(self, m).map_or(String::new(), |n| {
            format!("; --n-cpu-moe {n} keeps every layer else on the GPU")
        });
        let more = match o.cpu_moe_layers {
            0 => String::new(),
            n => format!(", and the experts of only {n} more"),
        };
        Some(format!(
            "--n-cpu-moe {}: the rest still does not fit the GPU, so llama.cpp keeps {whole} whole layers in system RAM (the first ones, whose experts were to move){more}{fix}",
            self.cpu_moe
        ))
    }
}

/// The model block of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelReport {
    /// Preset id or "custom".
    pub id: String,
    /// Display name.
    pub name: String,
    /// Total parameters N.
    pub params: f64,
    /// Active parameters per token.
    pub active_params: f64,
    /// Embedding parameters (token embedding, untied head, positions).
    pub embedding_params: f64,
    /// Non-embedding parameters.
    pub non_embedding_params: f64,
    /// Parameters the shape itself implies (differs from `params` for an assumed shape).
    pub derived_params: f64,
    /// True when the shape was assumed from a size.
    pub shape_assumed: bool,
    /// The architecture.
    pub arch: Architecture,
}

/// The GPU block of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GpuReport {
    /// Catalog id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Devices.
    pub count: u32,
    /// Memory of one device in bytes.
    pub memory_bytes_each: f64,
    /// Memory of all devices in bytes.
    pub memory_bytes_total: f64,
    /// Bandwidth of one device in bytes/s.
    pub bandwidth_bytes_per_s: f64,
    /// Dense BF16 FLOP/s of one device.
    pub bf16_flops: f64,
    /// How several GPUs share the model: `tp` (tensor parallel) or `layer` (layer split).
    pub split: &'static str,
    /// Memory of one device as an engine sees it (`nvidia-smi`'s total; a Mac: Metal's
    /// working-set limit), bytes.
    pub engine_memory_bytes_each: f64,
    /// True when the GPU shares one memory with the CPU (Apple silicon, DGX Spark, Ryzen AI
    /// Max): no system RAM beside it, and one device.
    pub unified_memory: bool,
    /// Dense FP8 FLOP/s of one device, where it computes in FP8.
    pub fp8_flops: Option<f64>,
    /// The weight format's name on this GPU ("FP8 W8A8" where it computes in FP8).
    pub weights_name: &'static str,
}

/// Inference memory and speed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InferenceReport {
    /// Weights in their storage format.
    pub weights_bytes: f64,
    /// KV cache for `batch` sequences at `ctx` tokens.
    pub kv_cache_bytes: f64,
    /// KV-cache bytes per token of one sequence, all layers, before any window caps it.
    pub kv_cache_bytes_per_token: f64,
    /// What an engine that expands MLA's latent into per-head K/V would need (MLA models only).
    pub kv_cache_bytes_expanded: Option<f64>,
    /// Peak transient activations (max of prefill and decode).
    pub activation_bytes: f64,
    /// The activation breakdown.
    pub activations: InferenceActivations,
    /// weights + KV + activations.
    pub total_bytes: f64,
    /// True when the total fits the GPUs' memory.
    pub fits: bool,
    /// Context at which the KV cache equals the weights at this batch (None: never, the
    /// window caps it first).
    pub kv_equals_weights_at_context: Option<f64>,
    /// Largest context that fits the GPUs at this batch (None: not even one token, or any
    /// length: see `max_context_unbounded`).
    pub max_context_on_gpu: Option<f64>,
    /// True when any context fits: every layer's cache stops growing at its sliding window.
    pub max_context_unbounded: bool,
    /// Largest batch that fits the GPUs at this context (None: not even one sequence).
    pub max_batch_on_gpu: Option<f64>,
    /// Bytes read from memory per decode step: weights touched + the whole KV cache.
    pub bytes_read_per_decode_step: f64,
    /// One decode step at this context and batch: bound, expected, and what makes it up.
    pub decode: DecodeStep,
    /// Lower bound on one decode step's time (`decode.seconds_bound`): what each GPU reads over
    /// its bandwidth (and system RAM over its own), or the FLOPs over dense FLOP/s.
    pub decode_seconds_per_token_bound: f64,
    /// Expected seconds per decode step (`decode.seconds`).
    pub decode_seconds_per_token: f64,
    /// Expected tokens per second of each sequence.
    pub decode_tokens_per_s: f64,
    /// Expected tokens per second of all `batch` sequences together.
    pub throughput_tokens_per_s: f64,
    /// Prefilling the `batch` prompts: bound and expected.
    pub prefill: Prefill,
    /// Expected seconds to the first token: prefill of the `batch` prompts of `ctx` tokens.
    pub prefill_seconds: f64,
    /// Lower bound on the prefill (`prefill.seconds_bound`).
    pub prefill_seconds_bound: f64,
    /// Sequences of `ctx` tokens whose KV cache fits at once, as vLLM prints it ("Maximum
    /// concurrency for N tokens per request"); `None` when not even the weights fit.
    pub max_concurrency: Option<f64>,
    /// The engine (`none`: the tensors alone).
    pub engine: &'static str,
    /// What the engine holds beyond weights, KV cache and activations, all GPUs together: its
    /// runtime (CUDA context) on every GPU, and reservations made at start-up (vLLM's sampler
    /// logits). Included in `total_bytes`; 0 without an engine.
    pub engine_overhead_bytes: f64,
    /// Memory the engine lets itself use on all GPUs: as the engine sees the card (`nvidia-smi`
    /// total where measured) × vLLM's `gpu_memory_utilization`; without an engine, the catalog
    /// figure. `fits`, `max_context_on_gpu` and `max_batch_on_gpu` compare against this.
    pub usable_memory_bytes: f64,
    /// The engine's rules applied (prefill chunk, reservations, usable share).
    pub engine_terms: EngineTerms,
    /// llama.cpp only: how the model splits between GPU and system RAM (`ngl`).
    pub offload: Option<Offload>,
    /// When it does not fit: what would (each change alone, checked by evaluating it).
    pub advice: Option<super::fit::InferenceAdvice>,
    /// llama.cpp with whole MoE layers in system RAM: the `--n-cpu-moe` that would keep every
    /// layer's attention on the GPU, and its speed.
    pub cpu_moe_hint: Option<super::fit::CpuMoeHint>,
    /// Where everything is: on the GPUs, partly in system RAM, or it does not fit.
    pub verdict: Verdict,
    /// Why the engine refuses this GPU count, if it does (vLLM's tensor-parallel rule).
    pub refused: Option<String>,
}

/// One answer to "will it run?", the same words on every view (`chart::words::verdict`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Everything is on the GPUs.
    OnGpu,
    /// It runs with some of llama.cpp's layer slots on the CPU, in system RAM.
    LayersInRam {
        /// Slots (blocks and the output layer) left on the CPU.
        layers: u32,
        /// Slots in all.
        slots: u32,
    },
    /// It runs with the routed experts of some blocks in system RAM (`--n-cpu-moe`), perhaps
    /// with whole layers there too.
    ExpertsInRam {
        /// Blocks on the GPU whose experts are in RAM.
        layers: u32,
        /// Blocks in all.
        blocks: u32,
        /// Layer slots left on the CPU whole as well.
        whole: u32,
    },
    /// It does not fit (or the engine refuses the GPU count).
    DoesNotFit,
}

impl Verdict {
    /// True unless it does not fit.
    pub fn runs(self) -> bool {
        self != Verdict::DoesNotFit
    }

    /// Whole layer slots left on the CPU.
    pub fn whole_layers_in_ram(self) -> u32 {
        match self {
            Verdict::LayersInRam { layers, .. } => layers,
            Verdict::ExpertsInRam { whole, .. } => whole,
            _ => 0,
        }
    }

    /// Where llama.cpp's placement puts things, once it fits.
    fn of_placement(o: &Offload) -> Verdict {
        let cpu_slots = o.slots - o.gpu_layers.min(o.slots);
        if o.cpu_moe_layers > 0 {
            Verdict::ExpertsInRam {
                layers: o.cpu_moe_layers,
                blocks: o.place.blocks,
                whole: cpu_slots,
            }
        } else if cpu_slots > 0 {
            Verdict::LayersInRam {
                layers: cpu_slots,
                slots: o.slots,
            }
        } else {
            Verdict::OnGpu
        }
    }
}

/// Inference memory at one context and batch, term by term: what every view of it (report,
/// chart, table, read-out) shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InferenceMemory {
    /// Weights in their storage format.
    pub weights_bytes: f64,
    /// KV cache.
    pub kv_bytes: f64,
    /// Transient activations, as the engine allocates them.
    pub activations: InferenceActivations,
    /// What the engine holds besides (runtime, start-up reservations).
    pub engine_overhead_bytes: f64,
}

impl InferenceMemory {
    /// The sum of the four.
    pub fn total(&self) -> f64 {
        self.weights_bytes + self.kv_bytes + self.activations.peak_bytes + self.engine_overhead_bytes
    }
}

impl Scenario {
    /// Whether the training run fits one GPU, for a model already resolved from this scenario
    /// (architecture, size and name do not depend on the training knobs): the training report
    /// alone, without the inference solvers, for advice that tries many knob settings.
    pub fn training_fits(&self, m: &ResolvedModel) -> bool {
        training_report(self, m).fits
    }

    /// Memory the engine lets itself use on all GPUs: the card as the engine sees it (the
    /// catalog figure without an engine) × its usable share × the GPU count.
    pub fn usable_memory_bytes(&self, terms: &EngineTerms) -> f64 {
        let per_gpu = self.gpu().as_deref().map_or(0.0, |g| self.gpu_capacity_bytes(g));
        per_gpu * terms.usable_fraction * f64::from(self.gpus.max(1))
    }

    /// Whether inference fits, for a model already resolved from this scenario (weights, GPUs
    /// and engine do not change the model): the memory at this context alone, without the
    /// solvers, for advice that tries many settings. llama.cpp runs once its GPU part fits the
    /// GPU and its CPU part the system RAM; an engine that refuses the GPU count runs nothing.
    pub fn inference_fits(&self, m: &ResolvedModel) -> bool {
        self.verdict_at(m, self.ctx as f64, self.batch as f64).runs()
    }

    /// Whether and where `batch` sequences of `ctx` tokens run: the one definition of the fit
    /// verdict (report, advice, the memory chart's read-out). Nothing runs on a GPU count the
    /// engine refuses; llama.cpp runs once its GPU part fits the GPU and its CPU part the
    /// system RAM; the others once everything fits the GPUs.
    pub fn verdict_at(&self, m: &ResolvedModel, ctx: f64, batch: f64) -> Verdict {
        if self.refusal(&m.arch).is_some() {
            return Verdict::DoesNotFit;
        }
        let capacity = self.usable_memory_bytes(&self.engine_terms(m));
        match self.offload_at(m, ctx, batch) {
            Some(o) if o.vram_bytes <= capacity && o.ram_bytes <= o.ram_available_bytes => Verdict::of_placement(&o),
            Some(_) => Verdict::DoesNotFit,
            None if self.inference_memory_at(m, ctx, batch).total() <= capacity => Verdict::OnGpu,
            None => Verdict::DoesNotFit,
        }
    }

    /// The engine's rules for this scenario's model and GPU.
    pub fn engine_terms(&self, m: &ResolvedModel) -> EngineTerms {
        engine::terms(self.engine, &m.arch, self.gpu().as_deref(), self.gpu_util)
    }

    /// How llama.cpp would place this model at `ctx` tokens and `batch` sequences (see
    /// [`Placement`]).
    pub fn placement_at(&self, m: &ResolvedModel, ctx: f64, batch: f64) -> Placement {
        let arch = &m.arch;
        let scale = m.params / m.derived.total.max(1.0);
        let bytes_of = |role: TensorRole| -> f64 {
            arch.tensors()
                .iter()
                .filter(|g| g.role == role)
                .map(|g| precision::group_bytes(arch, g, self.weights))
                .sum::<f64>()
                * scale
        };
        let input_bytes = bytes_of(TensorRole::Embedding) + bytes_of(TensorRole::Position);
        let head = bytes_of(TensorRole::LmHead);
        // A tied embedding is loaded a second time as the output layer.
        let output_bytes = if head > 0.0 {
            head
        } else {
            bytes_of(TensorRole::Embedding)
        };
        let mem = self.inference_memory_at(m, ctx, batch);
        let blocks = u32::try_from(arch.layers.max(1)).unwrap_or(u32::MAX);
        let moe_blocks = arch.moe_layers().max(1) as f64;
        Placement {
            input_bytes,
            output_bytes,
            block_bytes: (mem.weights_bytes - input_bytes - head).max(0.0) / f64::from(blocks),
            block_expert_bytes: bytes_of(TensorRole::Expert) / moe_blocks,
            dense_blocks: u32::try_from(arch.dense_layers()).unwrap_or(0),
            block_kv_bytes: mem.kv_bytes / f64::from(blocks),
            blocks,
            gpu_fixed_bytes: mem.activations.peak_bytes + mem.engine_overhead_bytes,
        }
    }

    /// Where llama.cpp puts the model when started for `ctx` tokens and `batch` sequences:
    /// `ngl` slots on the GPU, or as many as fit the usable memory (its automatic fit). `None`
    /// for other engines, which hold everything on the GPUs.
    pub fn offload_at(&self, m: &ResolvedModel, ctx: f64, batch: f64) -> Option<Offload> {
        if self.engine != Engine::LlamaCpp {
            return None;
        }
        let place = self.placement_at(m, ctx, batch);
        let slots = place.blocks + 1;
        let capacity = self.usable_memory_bytes(&self.engine_terms(m));
        let (gpu_layers, automatic) = match self.gpu_layers {
            Some(n) => (n.min(slots), false),
            None => (place.most_that_fit(capacity, self.cpu_moe), true),
        };
        let (vram_bytes, ram_bytes) = place.split(gpu_layers, self.cpu_moe);
        Some(Offload {
            gpu_layers,
            slots,
            automatic,
            cpu_moe_layers: place.moved_expert_blocks(gpu_layers, self.cpu_moe),
            vram_bytes,
            ram_bytes,
            ram_available_bytes: self.ram_available_bytes(vram_bytes),
            ram_bandwidth_bytes_per_s: self.ram_bandwidth_bytes_per_s(),
            place,
        })
    }

    /// True when the GPU and the CPU share one memory (Apple silicon, DGX Spark, Ryzen AI Max).
    pub fn unified_memory(&self) -> bool {
        self.gpu()
            .is_some_and(|g| g.memory == super::catalog::MemoryKind::Unified)
    }

    /// System RAM the model's CPU part may use, bytes: the computer's RAM less what the
    /// operating system keeps; on unified memory the one memory less that and the GPU's part.
    pub fn ram_available_bytes(&self, gpu_part: f64) -> f64 {
        let total = if self.unified_memory() {
            self.gpu().map_or(0.0, |g| g.memory_bytes()) - gpu_part
        } else {
            self.ram_bytes
        };
        (total - engine::OS_RESERVE_BYTES).max(0.0)
    }

    /// The bandwidth the CPU part is read at, bytes/s: the system RAM's, or on unified memory
    /// the one memory's.
    pub fn ram_bandwidth_bytes_per_s(&self) -> f64 {
        match self.gpu() {
            Some(g) if g.memory == super::catalog::MemoryKind::Unified => g.bandwidth_bytes_per_s(),
            _ => self.ram_bw_gb_s * 1e9,
        }
    }

    /// Why the engine refuses this hardware (`engine::refusal`), if it does.
    pub fn refusal(&self, arch: &Architecture) -> Option<String> {
        engine::refusal(self.engine, arch, self.gpu().as_deref(), self.split(), self.gpus)
    }

    /// One GPU's memory as the scenario counts it: as an engine sees it, or the tensors alone
    /// against the catalog's figure; on unified memory the GPU's share even then (Metal's limit
    /// is the operating system's, not an engine's).
    pub fn gpu_capacity_bytes(&self, g: &Gpu) -> f64 {
        if self.engine == Engine::None && g.memory != super::catalog::MemoryKind::Unified {
            g.memory_bytes()
        } else {
            g.engine_memory_bytes()
        }
    }

    /// How many times over the GPUs hold the KV cache: under tensor parallelism a rank keeps
    /// at least one KV head, and every rank MLA's one latent (`kv::tensor_parallel_copies`).
    pub fn kv_copies(&self, arch: &Architecture) -> f64 {
        match self.split() {
            Split::Tensor if self.gpus > 1 => {
                kv::tensor_parallel_copies(arch, engine::kv_layout(self.engine), self.gpus)
            }
            _ => 1.0,
        }
    }

    /// Inference memory of `batch` sequences at `ctx` tokens for the resolved model `m`.
    pub fn inference_memory_at(&self, m: &ResolvedModel, ctx: f64, batch: f64) -> InferenceMemory {
        self.memory_with(m, &self.engine_terms(m), self.weights_bytes(m), ctx, batch)
    }

    /// [`Scenario::inference_memory_at`] with the engine's terms and the weights' bytes worked
    /// out once (the fit solvers call it dozens of times per scenario).
    fn memory_with(
        &self,
        m: &ResolvedModel,
        terms: &EngineTerms,
        weights_bytes: f64,
        ctx: f64,
        batch: f64,
    ) -> InferenceMemory {
        let arch = &m.arch;
        let gpus = f64::from(self.gpus.max(1));
        let act_bytes = if self.weights == WeightFormat::Fp32 { 4.0 } else { 2.0 };
        // Transient activations as the engine allocates them: its prefill chunk; vLLM's are the
        // peak of one full step, reserved at start-up whatever the request; with transformers'
        // layer split every GPU holds its own layers' peak.
        let (c, b) = if terms.activations_reserved_at_start {
            (terms.prefill_chunk_tokens, 1.0)
        } else {
            (ctx, batch)
        };
        let mut activations = activations::inference_activations_chunked(
            arch,
            c,
            b,
            act_bytes,
            self.training.flash,
            terms.prefill_chunk_tokens,
        );
        if terms.activations_per_gpu {
            activations.peak_bytes *= gpus;
        }
        // llama.cpp's compute buffer holds a whole micro-batch's logits.
        let floor = engine::compute_buffer_floor(self.engine, arch);
        activations.prefill_bytes = activations.prefill_bytes.max(floor);
        activations.peak_bytes = activations.peak_bytes.max(floor);
        // Tensor parallelism splits the cache by KV head: a rank holds at least one head, and
        // every rank holds MLA's one latent (kv::tensor_parallel_copies).
        let copies = self.kv_copies(arch);
        InferenceMemory {
            weights_bytes,
            kv_bytes: copies * kv::cache_bytes(arch, self.kv, engine::kv_layout(self.engine), ctx, batch),
            activations,
            engine_overhead_bytes: terms.runtime_reserve_bytes_per_gpu * gpus + terms.sampler_reserve_bytes,
        }
    }
}

/// The inference report; `known`: the largest context that fits and whether it is unbounded,
/// from the report of the same scenario at another context, with whether that one was refused
/// nothing (the search is done again when it was).
fn inference_report(s: &Scenario, m: &ResolvedModel, known: Option<(Option<f64>, bool, bool)>) -> InferenceReport {
    let arch = &m.arch;
    let weights_bytes = s.weights_bytes(m);
    let ctx = s.ctx as f64;
    let batch = s.batch as f64;
    let terms = s.engine_terms(m);
    let at = |c: f64, b: f64| s.memory_with(m, &terms, weights_bytes, c, b);
    let now = at(ctx, batch);
    let (kv_cache_bytes, act, engine_overhead_bytes) = (now.kv_bytes, now.activations, now.engine_overhead_bytes);
    let total_bytes = now.total();
    let capacity = s.usable_memory_bytes(&terms);
    let need = |c: f64, b: f64| at(c, b).total();
    let refused = s.refusal(arch);
    let (max_context_on_gpu, max_context_unbounded) = match known {
        Some((max, unbounded, true)) if refused.is_none() => (max, unbounded),
        _ => {
            // An engine that refuses the GPU count holds nothing.
            let max = largest(|c| need(c, batch) <= capacity).filter(|_| refused.is_none());
            // The solver's limit is reached only when the cache stops growing (every layer
            // slides).
            let unbounded = max == Some(SOLVER_LIMIT) && kv::is_capped(arch);
            (max.filter(|_| !unbounded), unbounded)
        }
    };
    let max_batch_on_gpu = largest(|b| need(ctx, b) <= capacity).filter(|_| refused.is_none());
    let offload = s.offload_at(m, ctx, batch);
    let verdict = s.verdict_at(m, ctx, batch);
    let fits = verdict.runs();
    let decode = s.decode_at(m, ctx, batch);
    let prefill = s.prefill_at(m, ctx, batch);
    InferenceReport {
        weights_bytes,
        kv_cache_bytes,
        kv_cache_bytes_per_token: kv::bytes_per_token(arch, s.kv, engine::kv_layout(s.engine)),
        kv_cache_bytes_expanded: arch
            .mla
            .map(|_| kv::cache_bytes(arch, s.kv, KvLayout::ExpandedMla, ctx, batch)),
        activation_bytes: act.peak_bytes,
        activations: act,
        total_bytes,
        fits,
        // The cache on all GPUs (each copy of it) against the weights.
        kv_equals_weights_at_context: kv_crossover(
            arch,
            s.kv,
            engine::kv_layout(s.engine),
            batch,
            weights_bytes / s.kv_copies(arch),
        ),
        max_context_on_gpu,
        max_context_unbounded,
        max_batch_on_gpu,
        bytes_read_per_decode_step: decode.weight_bytes + decode.kv_bytes,
        decode_seconds_per_token_bound: decode.seconds_bound,
        decode_seconds_per_token: decode.seconds,
        decode_tokens_per_s: decode.tokens_per_s(),
        throughput_tokens_per_s: decode.throughput(),
        decode,
        prefill_seconds: prefill.seconds,
        prefill_seconds_bound: prefill.seconds_bound,
        prefill,
        max_concurrency: s.max_concurrency_at(m, ctx),
        verdict,
        refused,
        engine: s.engine.id(),
        engine_overhead_bytes,
        usable_memory_bytes: capacity,
        engine_terms: terms,
        offload,
        advice: None,
        cpu_moe_hint: None,
    }
}

/// Upper limit of the fit solvers (2³¹ tokens or sequences).
pub const SOLVER_LIMIT: f64 = 2_147_483_648.0;

/// Largest integer x in [1, 2³¹] with `ok(x)`, for `ok` true up to some point and false after.
fn largest(ok: impl Fn(f64) -> bool) -> Option<f64> {
    if !ok(1.0) {
        return None;
    }
    if ok(SOLVER_LIMIT) {
        return Some(SOLVER_LIMIT);
    }
    let (mut lo, mut hi) = (1.0_f64, SOLVER_LIMIT);
    while hi - lo > 1.0 {
        let mid = ((lo + hi) / 2.0).floor();
        if ok(mid) { lo = mid } else { hi = mid }
    }
    Some(lo)
}

/// Context (tokens) at which the KV cache of `batch` sequences equals `weights_bytes`.
///
/// kv(c) = batch·e·(F·c + S·min(c, W)) with e bytes per token per layer, F full and S sliding
/// layers. Below the window every layer grows: c₁ = weights / (batch·e·(F + S)). Past it only
/// the full layers grow: c = (weights/(batch·e) − S·W) / F; never, if F = 0.
pub fn kv_crossover(
    arch: &Architecture,
    dtype: KvDtype,
    layout: KvLayout,
    batch: f64,
    weights_bytes: f64,
) -> Option<f64> {
    let e = kv::elements_per_token_per_layer(arch, layout) * dtype.bytes() * batch;
    let (full, sliding) = arch.layer_kinds();
    let (f, s) = (full as f64, sliding as f64);
    if e <= 0.0 || f + s == 0.0 {
        return None;
    }
    let w = arch.attention.window as f64;
    let c1 = weights_bytes / (e * (f + s));
    if w == 0.0 || c1 <= w || s == 0.0 {
        return Some(c1);
    }
    if f == 0.0 {
        return None;
    }
    Some((weights_bytes / e - s * w) / f)
}

fn training_report(s: &Scenario, m: &ResolvedModel) -> TrainingReport {
    let weights = if s.training.lora_rank > 0 || s.weights.is_trainable() {
        s.weights
    } else {
        WeightFormat::Bf16
    };
    let extras = engine::training_extras(s.engine, weights, s.training.lora_rank);
    let mem = training::training_memory_with(
        &m.arch,
        m.params,
        weights,
        &s.training,
        s.ctx as f64,
        s.batch as f64,
        extras,
    );
    // With an engine, the card as the engine sees it and its runtime (CUDA context) too.
    let capacity = s.gpu().as_deref().map_or(0.0, |g| s.gpu_capacity_bytes(g));
    let engine_overhead_bytes = if s.engine == Engine::None {
        0.0
    } else {
        engine::runtime_context_bytes(s.gpu().as_deref())
    };
    let note = (weights != s.weights).then(|| {
        format!(
            "{} weights cannot be trained directly; full training is shown in bf16 (set lora_rank for LoRA on the quantised base, e.g. QLoRA with nf4)",
            s.weights.label()
        )
    });
    TrainingReport {
        time: s.training_time(m, s.training_tokens(m)),
        advice: None,
        fits: mem.total_bytes + engine_overhead_bytes <= capacity,
        needed_bytes: mem.total_bytes + engine_overhead_bytes,
        engine_overhead_bytes,
        gpu_memory_bytes: capacity,
        weight_format: weights.id(),
        note,
        memory: mem,
    }
}

/// Training memory per GPU.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainingReport {
    /// The terms (weights, gradients, optimizer, activations, total).
    #[serde(flatten)]
    pub memory: TrainingMemory,
    /// True when `needed_bytes` fits `gpu_memory_bytes`.
    pub fits: bool,
    /// What one GPU must hold: the tensors' total and the engine's runtime.
    pub needed_bytes: f64,
    /// What the engine holds per GPU besides the tensors (CUDA context); not in `total_bytes`.
    pub engine_overhead_bytes: f64,
    /// Memory of one GPU as the engine sees it (the catalog figure without an engine): what
    /// `fits` compares with.
    pub gpu_memory_bytes: f64,
    /// Weight format training used (quantised formats fall back to bf16 without LoRA).
    pub weight_format: &'static str,
    /// Why the weight format differs from the scenario's, if it does.
    pub note: Option<String>,
    /// How long the training tokens take on the run's GPUs at the scenario's MFU.
    pub time: TrainingTime,
    /// When it does not fit: what would (each change alone, checked by evaluating it).
    pub advice: Option<super::fit::TrainingAdvice>,
}

/// Everything derived from a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The model.
    pub model: ModelReport,
    /// Inference memory and speed.
    pub inference: InferenceReport,
    /// Training memory per GPU.
    pub training: TrainingReport,
    /// Compute-optimal data.
    pub chinchilla: ChinchillaReport,
    /// The hardware.
    pub gpu: Option<GpuReport>,
    /// Overrides that could not be applied. Not serialised on its own: the CLI's JSON merges
    /// them into its top-level `warnings` (a flattened field of the same name would replace it).
    #[serde(skip_serializing)]
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_report_says_its_basis_format_and_fit() {
        // QLoRA (nf4 base, rank 16) of Llama-3.1-8B under transformers on one H100: the engine
        // sees the card as nvidia-smi does (81,559 MiB = 85,520,809,984 B), holds a 0.23 GiB CUDA
        // context (246,960,619.52 B) besides the tensors, and trains the nf4 base as it is.
        let qlora_at = |ctx: u64| {
            Scenario {
                mode: Mode::Train,
                engine: Engine::Transformers,
                weights: WeightFormat::Nf4,
                ctx,
                training: TrainingKnobs {
                    lora_rank: 16,
                    ..TrainingKnobs::default()
                },
                ..Scenario::default()
            }
            .evaluate()
            .training
        };
        let qlora = qlora_at(8192);
        assert_eq!(qlora.gpu_memory_bytes, 85_520_809_984.0);
        assert!((qlora.engine_overhead_bytes - 246_960_619.52).abs() < 1e-3);
        assert_eq!((qlora.weight_format, qlora.note.is_none()), ("nf4", true));
        // Its tensors take about 70 GB: with the context it fits, and says so.
        assert!(qlora.memory.total_bytes + qlora.engine_overhead_bytes < qlora.gpu_memory_bytes);
        assert!(qlora.fits);
        // At 10,240 tokens the tensors alone would still fit, but not with the context.
        let tight = qlora_at(10_240);
        assert!(tight.memory.total_bytes < tight.gpu_memory_bytes);
        assert!(tight.memory.total_bytes + tight.engine_overhead_bytes > tight.gpu_memory_bytes);
        assert!(!tight.fits);
        // Full fine-tuning of Q4_K_M weights with no engine: the card is 80 GiB, no context is
        // added, the model is trained in bf16 and the note says why; 16 bytes per parameter of
        // weights, gradients and Adam states alone (128 GB) do not fit.
        let full = Scenario {
            mode: Mode::Train,
            weights: WeightFormat::Q4KM,
            ..Scenario::default()
        }
        .evaluate()
        .training;
        assert_eq!(full.gpu_memory_bytes, 85_899_345_920.0);
        assert_eq!((full.engine_overhead_bytes, full.weight_format), (0.0, "bf16"));
        assert!(
            full.note
                .is_some_and(|n| n.starts_with("GGUF Q4_K_M weights cannot be trained directly"))
        );
        assert!(!full.fits);
    }

    #[test]
    fn llama_cpp_offloads_every_layer_when_all_fit() {
        // Llama-3.1-8B Q4_K_M (about 4.9 GB) on an 80 GB H100: llama.cpp's automatic fit puts
        // all 32 blocks and the output layer on the GPU, which it logs as "offloaded 33/33
        // layers to GPU" (src/llama-model.cpp, load_tensors: n_layer + 1 slots).
        let r = Scenario {
            engine: Engine::LlamaCpp,
            weights: WeightFormat::Q4KM,
            ..Scenario::default()
        }
        .evaluate();
        let o = r.inference.offload.map(|o| (o.gpu_layers, o.slots, o.automatic));
        assert_eq!(o, Some((33, 33, true)));
    }

    #[test]
    fn kv_crossover_by_hand_with_sliding_windows() {
        let close = |got: Option<f64>, want: f64| got.is_some_and(|g| (g / want - 1.0).abs() < 1e-12);
        let (bf16, native) = (KvDtype::Bf16, KvLayout::Native);
        // Gemma-3-27B: 16 KV heads × 128 × K and V × 2 bytes = 8,192 B per token per layer; 10
        // global layers of 62 and a 1,024-token window on the other 52.
        let gemma = presets::arch_of("gemma-3-27b");
        // Within the window every layer grows: 8,192 × 62 × 512 B is reached at 512 tokens.
        assert!(close(kv_crossover(&gemma, bf16, native, 1.0, 260_046_848.0), 512.0));
        // Past it only the 10 global layers grow: (54e9 / 8,192 − 52 × 1,024) / 10.
        assert!(close(kv_crossover(&gemma, bf16, native, 1.0, 54e9), 653_854.887_5));
        // gpt-oss-20b, 2 sequences: 8 KV heads × 64 × 2 × 2 B × 2 = 4,096 B per token per layer;
        // 12 global and 12 sliding layers (window 128): (13e9 / 4,096 − 12 × 128) / 12.
        let oss = presets::arch_of("gpt-oss-20b");
        assert!(close(
            kv_crossover(&oss, bf16, native, 2.0, 13e9),
            264_357.677_083_333_3
        ));
        // Mistral-7B v0.1 slides on every layer: its cache stops at 4,096 tokens × 131,072 B,
        // below 14.5 GB of weights, so it never gets there…
        let mistral = presets::arch_of("mistral-7b-v0.1");
        assert_eq!(kv_crossover(&mistral, bf16, native, 1.0, 14.5e9), None);
        // … but it reaches 131,072 × 1,000 B at 1,000 tokens, inside the window.
        assert!(close(kv_crossover(&mistral, bf16, native, 1.0, 131_072_000.0), 1000.0));
        // No layers, no cache: never.
        let none = Architecture { layers: 0, ..gemma };
        assert_eq!(kv_crossover(&none, bf16, native, 1.0, 1e9), None);
    }

    #[test]
    fn full_training_of_quantised_weights_runs_in_bf16() {
        // Quantised weights cannot be updated in place: full fine-tuning (no LoRA) trains the
        // BF16 model; FP32 trains as FP32, twice the weight bytes.
        let train = |weights: WeightFormat| {
            Scenario {
                mode: Mode::Train,
                weights,
                ..Scenario::default()
            }
            .evaluate()
            .training
            .memory
            .weights_bytes
        };
        assert_eq!(train(WeightFormat::Q4KM), train(WeightFormat::Bf16));
        assert_eq!(train(WeightFormat::Fp32), 2.0 * train(WeightFormat::Bf16));
    }

    #[test]
    fn the_largest_batch_that_fits_by_hand() {
        // Llama-3.1-8B BF16, 8,192 tokens, one H100 (80 GiB = 85,899,345,920 B), no engine: each
        // sequence adds its 1 GiB of cache; prompts are prefilled 8,192 tokens per pass, so the
        // activations stay one chunk's 838,860,800 B (a decode step's b × 777,728 is smaller):
        // 16,060,522,496 + 838,860,800 + b × 1,073,741,824 ≤ 85,899,345,920 → b ≤ 64.3: 64.
        assert_eq!(Scenario::default().evaluate().inference.max_batch_on_gpu, Some(64.0));
    }

    #[test]
    fn an_engine_holds_a_cuda_context_on_every_gpu() {
        // vLLM on 1 and on 2 H100s: the second GPU adds one CUDA context, 0.23 GiB
        // (engine::CUDA_CONTEXT_BYTES, vLLM's logged non_torch_memory); the sampler's buffer is
        // per engine, not per GPU.
        let on = |gpus: u32| {
            Scenario {
                engine: Engine::Vllm,
                gpus,
                ..Scenario::default()
            }
            .evaluate()
            .inference
            .engine_overhead_bytes
        };
        let context = 0.23 * 1_073_741_824.0;
        assert!((on(2) - on(1) - context).abs() < 1e-3, "{} vs {context}", on(2) - on(1));
    }

    #[test]
    fn llama_cpp_keeps_gpt3s_learned_positions_with_its_input_embedding() {
        // GPT-3 175B in BF16 on llama.cpp: the input side is the token embedding and the learned
        // positions, (50,257 + 2,048) × 12,288 × 2 B = 1,285,447,680; the head is tied, so the
        // output layer is the token embedding again, 50,257 × 12,288 × 2 = 1,235,116,032.
        let s = Scenario {
            model: "gpt-3-175b".into(),
            weights: WeightFormat::Bf16,
            engine: Engine::LlamaCpp,
            ..Scenario::default()
        };
        let p = s.placement_at(&s.resolve(), 8192.0, 1.0);
        assert_eq!(p.input_bytes, 1_285_447_680.0);
        assert_eq!(p.output_bytes, 1_235_116_032.0);
        assert_eq!(p.blocks, 96);
    }

    #[test]
    fn llama_cpp_places_a_resized_model_at_its_size() {
        // 16e9 parameters asked, 16 layers of the shape assumed for them: every tensor is scaled
        // by 16e9 / (the shape's own count), the input embedding too: BF16 bytes = 2 × vocab ×
        // hidden × that scale.
        let s = Scenario {
            params: Some(16e9),
            arch: vec![(ArchField::Layers, 16)],
            weights: WeightFormat::Bf16,
            engine: Engine::LlamaCpp,
            ..Scenario::default()
        };
        let m = s.resolve();
        let scale = 16e9 / m.derived.total;
        assert!(scale > 1.5, "{scale}");
        let want = 2.0 * (m.arch.vocab * m.arch.hidden) as f64 * scale;
        assert!((s.placement_at(&m, 8192.0, 1.0).input_bytes / want - 1.0).abs() < 1e-12);
    }

    #[test]
    fn usable_memory_counts_every_gpu() {
        // 2 × H100 SXM 80GB without an engine: 2 × 80 × 2³⁰ = 171,798,691,840 B.
        let s = Scenario {
            gpus: 2,
            ..Scenario::default()
        };
        let r = s.evaluate();
        assert_eq!(r.inference.usable_memory_bytes, 171_798_691_840.0);
        assert_eq!(r.gpu.map(|g| g.memory_bytes_total), Some(171_798_691_840.0));
    }

    #[test]
    fn modes_read_their_ids_and_long_forms() {
        for (text, mode) in [
            ("infer", Mode::Infer),
            ("Inference", Mode::Infer),
            ("train", Mode::Train),
            ("TRAINING", Mode::Train),
        ] {
            assert_eq!(Mode::from_id(text), Some(mode), "{text}");
        }
        assert_eq!(Mode::from_id("serve"), None);
        assert_eq!(Mode::from_id(Mode::Train.id()), Some(Mode::Train));
    }

    #[test]
    fn an_override_is_kept_when_it_adds_no_problem_to_an_inconsistent_shape() {
        // Llama-3.1-8B with kv_heads 7 is already inconsistent (32 heads are not a multiple of
        // 7): one problem. Halving its layers adds none, so it is applied; 30 heads (not a
        // multiple of 7 either) keep the one problem too, while a vocabulary of 0 adds one.
        let mut a = presets::arch_of("llama-3.1-8b");
        a.kv_heads = 7;
        assert_eq!(a.problems().len(), 1);
        assert_eq!(try_override(&mut a, ArchField::Layers, 16), Ok(true));
        assert_eq!(a.layers, 16);
        assert_eq!(try_override(&mut a, ArchField::Heads, 30), Ok(true));
        assert!(try_override(&mut a, ArchField::Vocab, 0).is_err());
        assert_eq!(
            (a.heads, a.vocab),
            (30, 128_256),
            "the rejected override left it unchanged"
        );
    }

    #[test]
    fn overrides_that_cannot_all_apply_are_sorted_one_by_one() {
        // On Llama-3.1-8B: heads 33 breaks the shape (33 is not a multiple of its 8 KV heads), so
        // each override is tried alone: heads is rejected, layers 32 is its value already
        // (nothing to say), rope_dim does not apply to a model without MLA.
        let base = presets::arch_of("llama-3.1-8b");
        let given = [
            (ArchField::Heads, 33),
            (ArchField::Layers, 32),
            (ArchField::RopeDim, 64),
        ];
        let r = apply_overrides(&base, &given);
        assert_eq!(r.arch, base);
        assert!(r.kept.is_empty(), "{:?}", r.kept);
        assert_eq!(
            r.rejected.iter().map(|(f, v, _)| (*f, *v)).collect::<Vec<_>>(),
            [(ArchField::Heads, 33)]
        );
        assert_eq!(r.inapplicable, [(ArchField::RopeDim, 64)]);
    }

    #[test]
    fn a_size_override_scales_the_active_parameters_too() {
        // Llama-3.1-8B resized to 16e9 parameters: dense, so all of them are active.
        let s = Scenario {
            params: Some(16e9),
            ..Scenario::default()
        };
        let m = s.resolve();
        assert_eq!(m.params, 16e9);
        assert!((m.active_params / 16e9 - 1.0).abs() < 1e-12, "{}", m.active_params);
        // It is no longer the published model, and its name says so, and that its shape is
        // assumed from the size.
        assert_eq!(m.name, "Llama-3.1-8B at 16B, shape assumed");
        assert_eq!(Scenario::default().resolve().name, "Llama-3.1-8B");
        // So does a changed shape.
        let layers = Scenario {
            arch: vec![(ArchField::Layers, 16)],
            ..Scenario::default()
        };
        assert_eq!(layers.resolve().name, "Llama-3.1-8B (modified)");
        // …and neither is credited with the preset's published 15T training tokens.
        assert_eq!(Scenario::default().resolve().published_tokens, Some(15e12));
        assert_eq!(layers.resolve().published_tokens, None);
        assert_eq!(s.resolve().published_tokens, None);
        // A size with a shape that does not add up to it (16e9 asked, 16 layers of the shape
        // assumed for 16e9: about half of it) is scaled to the size asked: embedding and the rest
        // keep the shape's proportions and add up to 16e9.
        let half = Scenario {
            params: Some(16e9),
            arch: vec![(ArchField::Layers, 16)],
            ..Scenario::default()
        };
        let (m, r) = (half.resolve(), half.evaluate());
        assert!(m.derived.total < 10e9, "{}", m.derived.total);
        let sum = r.model.embedding_params + r.model.non_embedding_params;
        assert!((sum / 16e9 - 1.0).abs() < 1e-12, "{sum}");
        let shape = m.derived.embedding / m.derived.total;
        assert!((r.model.embedding_params / 16e9 / shape - 1.0).abs() < 1e-12);
        let r = s.evaluate();
        // Nothing published for a resized model: the rule of thumb, 20 tokens per parameter.
        assert_eq!(r.chinchilla.training_tokens, 20.0 * 16e9);
    }

    #[test]
    fn default_scenario_is_llama_8b_bf16() {
        let r = Scenario::default().evaluate();
        assert_eq!(r.model.params, 8_030_261_248.0);
        // Weights: 8,030,261,248 × 2 bytes.
        assert_eq!(r.inference.weights_bytes, 16_060_522_496.0);
        // KV at 8192 tokens: 131,072 B/token × 8192 = 1 GiB.
        assert_eq!(r.inference.kv_cache_bytes, 1_073_741_824.0);
        assert!(r.inference.fits);
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn crossover_where_kv_equals_weights() {
        // Llama-3.1-8B bf16: 16,060,522,496 / 131,072 = 122,532.9 tokens at batch 1.
        let s = Scenario::default();
        let r = s.evaluate();
        let c = r.inference.kv_equals_weights_at_context.unwrap_or(0.0);
        assert!((c - 16_060_522_496.0 / 131_072.0).abs() < 1e-6);
        // Batch 32 brings it 32× closer.
        let s32 = Scenario {
            batch: 32,
            ..Scenario::default()
        };
        let c32 = s32.evaluate().inference.kv_equals_weights_at_context.unwrap_or(0.0);
        assert!((c / 32.0 - c32).abs() < 1e-6);
        // Mistral-7B-v0.1 slides on every layer: its 4,096-token cache never reaches the weights.
        let m = Scenario {
            model: "mistral-7b-v0.1".into(),
            ..Scenario::default()
        };
        assert_eq!(m.evaluate().inference.kv_equals_weights_at_context, None);
    }

    #[test]
    fn a_model_whose_every_layer_slides_fits_any_context_and_says_so() {
        // Mistral-7B-v0.1: a 4,096-token window on every layer; on an H100 any length fits (the
        // solver's 2³¹ is not a number to show).
        let r = Scenario {
            model: "mistral-7b-v0.1".into(),
            ..Scenario::default()
        }
        .evaluate();
        assert_eq!(r.inference.max_context_on_gpu, None);
        assert!(r.inference.max_context_unbounded);
        assert!(!Scenario::default().evaluate().inference.max_context_unbounded);
    }

    #[test]
    fn max_context_fills_the_gpu() {
        let s = Scenario::default();
        let r = s.evaluate();
        let max = r.inference.max_context_on_gpu.unwrap_or(0.0);
        let cap = 80.0 * 1_073_741_824.0;
        let at = Scenario {
            ctx: max as u64,
            ..s.clone()
        }
        .evaluate()
        .inference
        .total_bytes;
        let over = Scenario {
            ctx: max as u64 + 1,
            ..s
        }
        .evaluate()
        .inference
        .total_bytes;
        assert!(at <= cap && over > cap, "{max}: {at} {over}");
    }

    #[test]
    fn bad_override_is_skipped_with_a_message() {
        let s = Scenario {
            arch: vec![(ArchField::KvHeads, 5)],
            ..Scenario::default()
        };
        let m = s.resolve();
        assert_eq!(m.arch.kv_heads, 8);
        assert_eq!(
            m.warnings,
            vec!["kv_heads=5 ignored: heads (32) must be a multiple of kv_heads (5)".to_string()]
        );
    }

    #[test]
    fn params_override_is_exact_and_assumes_a_shape() {
        let s = Scenario {
            params: Some(7e9),
            ..Scenario::default()
        };
        let r = s.evaluate();
        assert_eq!(r.model.params, 7e9);
        assert!(r.model.shape_assumed);
        assert_eq!(r.inference.weights_bytes, 14e9);
    }
}
