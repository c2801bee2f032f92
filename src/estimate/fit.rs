//! What would make a scenario that does not fit fit: each change alone, found by evaluating the
//! changed scenario (never by a formula of its own). Computed once with the report
//! (`InferenceReport::advice`, `TrainingReport::advice`); the presentation words it
//! (`chart::advice`).

use serde::Serialize;

use super::engine;
use super::precision;
use super::scenario::{InferenceReport, ResolvedModel, Scenario};
use super::training::{Recompute, TrainingKnobs};

/// What would make an inference scenario that does not fit its GPUs fit, one change at a time,
/// each checked by evaluating the changed scenario (never by a formula of its own).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InferenceAdvice {
    /// The weight format with the most bytes (the least quantised) that fits at this context
    /// and batch, if a smaller one than the current format does.
    pub weights: Option<precision::WeightFormat>,
    /// The KV-cache type with the most bytes that fits, of those the engine offers with fewer
    /// bytes than the current one (vLLM's `fp8`, llama.cpp's `q8_0` …).
    pub kv: Option<precision::KvDtype>,
    /// The fewest GPUs of this kind that hold it unchanged, if ≤ 65,536, and that the engine
    /// accepts (vLLM: a tensor-parallel size that divides the heads).
    pub gpus: Option<u32>,
    /// llama.cpp with `-ngl` set: the most layers on the GPU that fit.
    pub gpu_layers: Option<u32>,
    /// llama.cpp with a mixture of experts: the fewest `--n-cpu-moe` blocks whose experts in
    /// system RAM let every layer else sit on the GPU.
    pub cpu_moe: Option<u32>,
    /// llama.cpp on a discrete GPU: the least system RAM (a kit size: 16 … 512 GiB, bytes)
    /// that holds its CPU part.
    pub ram_bytes: Option<f64>,
}

/// System RAM kit sizes a suggestion may name, GiB.
const RAM_KITS_GIB: [f64; 10] = [16.0, 32.0, 48.0, 64.0, 96.0, 128.0, 192.0, 256.0, 384.0, 512.0];

/// Most GPUs a suggestion may name (the GPU-count field's own limit).
const MAX_SUGGESTED_GPUS: u32 = 65_536;

/// `None` when the scenario fits; else what would make it fit (see [`InferenceAdvice`]). `i` is
/// the scenario's own inference report (for `m`).
pub fn inference_advice(s: &Scenario, m: &ResolvedModel, i: &InferenceReport) -> Option<InferenceAdvice> {
    if i.fits {
        return None;
    }
    let current = i.weights_bytes;
    // MXFP4 experts are not quantised again: a GGUF of gpt-oss keeps them (its K-quants are
    // all about its MXFP4 size), so nothing smaller than the checkpoint is offered for it.
    let shipped = super::presets::shipped_weights(&s.model, engine::Engine::None);
    let floor = if matches!(shipped, precision::WeightFormat::Mxfp4) && s.params.is_none() {
        Scenario {
            weights: super::presets::shipped_weights(&s.model, s.engine),
            ..s.clone()
        }
        .weights_bytes(m)
    } else {
        0.0
    };
    // The model does not depend on the format or the GPU count: check each setting without the
    // solvers.
    let weights = precision::WeightFormat::ALL
        .into_iter()
        .filter(|f| *f != s.weights && engine::runs_weights(s.engine, *f))
        .filter_map(|f| {
            let t = Scenario {
                weights: f,
                ..s.clone()
            };
            let bytes = t.weights_bytes(m);
            (bytes < current && bytes >= floor && t.inference_fits(m)).then_some((f, bytes))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(f, _)| f);
    // The total does not depend on the GPU count (the GPUs split it), so the count that holds
    // it is total ÷ one GPU's memory, rounded up; checked by evaluating.
    // One computer with unified memory has no GPU count; a count the engine refuses may be
    // more than one that fits (3 refused, 2 fit).
    let each = i.usable_memory_bytes / f64::from(s.gpus.max(1));
    let least = if i.refused.is_some() {
        1.0
    } else {
        f64::from(s.gpus) + 1.0
    };
    let gpus = (each > 0.0 && !s.unified_memory())
        .then(|| (i.total_bytes / each).ceil().max(least))
        .filter(|n| *n <= f64::from(MAX_SUGGESTED_GPUS))
        .and_then(|n0| {
            // A few more than the least, or up to twice as many where the engine accepts only
            // some counts (vLLM: divisors of the heads, 64 heads on 9 GPUs → 16).
            let n0 = n0 as u32;
            let last = if s.engine == engine::Engine::Vllm {
                n0.saturating_mul(2).saturating_add(8)
            } else {
                n0 + 4
            };
            (n0..=last.min(MAX_SUGGESTED_GPUS)).find(|n| Scenario { gpus: *n, ..s.clone() }.inference_fits(m))
        });
    let kv_now = s.kv.bytes();
    let kv = engine::kv_types(s.engine)
        .iter()
        .copied()
        .filter(|k| k.bytes() < kv_now)
        .filter(|k| Scenario { kv: *k, ..s.clone() }.inference_fits(m))
        // The most bytes; of equals the engine's first (vLLM's fp8 before fp8_e5m2).
        .fold(None, |best: Option<precision::KvDtype>, k| match best {
            Some(b) if b.bytes() >= k.bytes() => Some(b),
            _ => Some(k),
        });
    let llama = s.engine == engine::Engine::LlamaCpp && i.refused.is_none();
    let gpu_layers = match (llama, s.gpu_layers, &i.offload) {
        (true, Some(_), Some(o)) => {
            let n = o.place.most_that_fit(i.usable_memory_bytes, s.cpu_moe);
            Some(n).filter(|n| {
                Scenario {
                    gpu_layers: Some(*n),
                    ..s.clone()
                }
                .inference_fits(m)
            })
        }
        _ => None,
    };
    let cpu_moe = if llama { cpu_moe_for_all_layers(s, m) } else { None };
    let ram_bytes = match &i.offload {
        Some(o) if llama && !s.unified_memory() && o.ram_bytes > o.ram_available_bytes => RAM_KITS_GIB
            .iter()
            .map(|g| g * 1_073_741_824.0)
            .filter(|b| *b > s.ram_bytes)
            .find(|b| {
                Scenario {
                    ram_bytes: *b,
                    ..s.clone()
                }
                .inference_fits(m)
            }),
        _ => None,
    };
    Some(InferenceAdvice {
        weights,
        kv,
        gpus,
        gpu_layers,
        cpu_moe,
        ram_bytes,
    })
}

/// llama.cpp with a mixture of experts: the fewest `--n-cpu-moe` blocks that let every other
/// tensor sit on the GPU (all `-ngl` slots) and fit, RAM included; `None` for a dense model or
/// when even all experts in RAM leave too much for the GPU.
pub fn cpu_moe_for_all_layers(s: &Scenario, m: &ResolvedModel) -> Option<u32> {
    if m.arch.moe.is_none() || s.engine != engine::Engine::LlamaCpp {
        return None;
    }
    let blocks = u32::try_from(m.arch.layers).unwrap_or(u32::MAX);
    let slots = blocks.saturating_add(1);
    let at = |n: u32| Scenario {
        cpu_moe: n,
        gpu_layers: Some(slots),
        ..s.clone()
    };
    // More experts in RAM only moves bytes off the GPU: bisect for the fewest that fit the GPU.
    let vram_fits = |n: u32| {
        let t = at(n);
        t.offload_at(m, t.ctx as f64, t.batch as f64)
            .is_some_and(|o| o.vram_bytes <= t.usable_memory_bytes(&t.engine_terms(m)))
    };
    if !vram_fits(blocks) {
        return None;
    }
    let (mut lo, mut hi) = (0u32, blocks);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if vram_fits(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    at(lo).inference_fits(m).then_some(lo)
}

/// What would make a training run that does not fit one GPU fit: each change alone, checked by
/// evaluating the changed scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainingAdvice {
    /// Full activation recomputation alone makes it fit.
    pub recompute: bool,
    /// ZeRO stage 3 over the current data-parallel GPUs alone makes it fit.
    pub zero3: bool,
    /// The fewest data-parallel GPUs (powers of two) with ZeRO-3 that make it fit, with full
    /// recomputation when it is needed too.
    pub dp_zero3: Option<(u32, bool)>,
}

/// `None` when the training run fits (`fits`); else what would (see [`TrainingAdvice`]).
pub fn training_advice(s: &Scenario, m: &ResolvedModel, fits: bool) -> Option<TrainingAdvice> {
    if fits {
        return None;
    }
    // The model does not depend on the knobs: check each setting with the training report
    // alone (no inference solvers).
    let fits = |t: TrainingKnobs| {
        Scenario {
            training: t,
            ..s.clone()
        }
        .training_fits(m)
    };
    let k = s.training;
    let recompute = k.recompute != Recompute::Full
        && fits(TrainingKnobs {
            recompute: Recompute::Full,
            ..k
        });
    let zero3 = k.zero < 3 && k.dp > 1 && fits(TrainingKnobs { zero: 3, ..k });
    let mut dp_zero3 = None;
    let mut dp = k.dp.max(1).next_power_of_two().max(2);
    while dp_zero3.is_none() && dp <= MAX_SUGGESTED_GPUS {
        for rec in [k.recompute, Recompute::Full] {
            if fits(TrainingKnobs {
                zero: 3,
                dp,
                recompute: rec,
                ..k
            }) {
                dp_zero3 = Some((dp, rec != k.recompute));
                break;
            }
        }
        dp *= 2;
    }
    Some(TrainingAdvice {
        recompute,
        zero3,
        dp_zero3,
    })
}

/// llama.cpp with whole layers of a mixture of experts in system RAM: the `--n-cpu-moe` that
/// would keep every layer's attention and shared weights on the GPU instead, and the decode
/// speed it would reach (`Scenario::decode_at` of that scenario).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CpuMoeHint {
    /// `--n-cpu-moe`.
    pub cpu_moe: u32,
    /// Expected tokens per second of each sequence with it.
    pub decode_tokens_per_s: f64,
}

/// The hint, when whole layers of an MoE model sit in system RAM (with or without some
/// experts there already) and moving only experts there runs, and faster; else `None`.
pub fn cpu_moe_hint(s: &Scenario, m: &ResolvedModel, i: &InferenceReport) -> Option<CpuMoeHint> {
    if i.verdict.whole_layers_in_ram() == 0 {
        return None;
    }
    let n = cpu_moe_for_all_layers(s, m).filter(|n| *n > s.cpu_moe)?;
    let t = Scenario {
        cpu_moe: n,
        gpu_layers: None,
        ..s.clone()
    };
    let speed = t.decode_at(m, t.ctx as f64, t.batch as f64).tokens_per_s();
    (speed > i.decode_tokens_per_s).then_some(CpuMoeHint {
        cpu_moe: n,
        decode_tokens_per_s: speed,
    })
}
