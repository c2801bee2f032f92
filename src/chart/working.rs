//! "Show working": every figure on the page with its formula, the current values substituted,
//! and its source.

use crate::estimate::Report;
use crate::estimate::chinchilla::Fit;
use crate::estimate::kv::{self, KvLayout};
use crate::estimate::scenario::Scenario;
use crate::estimate::units::{ByteUnits, format_bytes, format_count, format_int, format_rate, format_seconds};

/// One line of "show working": a figure, its formula with the current values, its source.
#[derive(Clone, Debug, PartialEq)]
pub struct Working {
    /// What is computed.
    pub figure: String,
    /// Formula with values substituted, and the result.
    pub formula: String,
    /// Where the formula comes from.
    pub source: String,
}

/// The "show working" lines of the engine's own terms (none without an engine).
fn engine_working(s: &Scenario, r: &Report, units: ByteUnits) -> Vec<Working> {
    use crate::estimate::engine::{Engine, vllm_batch_defaults};
    let i = &r.inference;
    let t = &i.engine_terms;
    let b = |x: f64| format!("{} ({} B)", format_bytes(x, units), format_int(x));
    let gpus = r.gpu.as_ref().map_or(1.0, |g| f64::from(g.count));
    let gpu = s.gpu();
    let gpu = gpu.as_deref();
    let mut out = Vec::new();
    if s.engine == Engine::None {
        return out;
    }
    let line = |figure: &str, formula: String, source: &str| Working {
        figure: figure.into(),
        formula,
        source: source.into(),
    };
    out.push(line(
        "Engine runtime",
        format!(
            "{} context {} × {} GPU(s){} = {}",
            crate::estimate::engine::runtime_name(gpu),
            format_bytes(crate::estimate::engine::runtime_context_bytes(gpu), units),
            format_int(gpus),
            if t.sampler_reserve_bytes > 0.0 {
                format!(" + sampler logits {}", format_bytes(t.sampler_reserve_bytes, units))
            } else {
                String::new()
            },
            b(i.engine_overhead_bytes)
        ),
        "vLLM start-up logs, \"non_torch_memory takes 0.20–0.23 GiB\" (vllm-project/vllm#14447); vLLM's sampler warm-up keeps fp32 logits for max_num_seqs sequences (vllm/v1/worker/gpu_worker.py)",
    ));
    if s.engine == Engine::Vllm {
        let (tokens, seqs) = vllm_batch_defaults(gpu);
        out.push(line(
            "vLLM start-up reservation",
            format!(
                "max_num_batched_tokens {} → one step's working memory {} reserved whatever the request; max_num_seqs {} × vocab {} × 4 B of logits",
                format_int(tokens),
                format_bytes(i.activation_bytes, units),
                format_int(seqs),
                format_int(s.resolve().arch.vocab as f64)
            ),
            "vllm/engine/arg_utils.py, EngineArgs.get_batch_defaults (vllm serve); vllm/v1/worker/gpu_worker.py, determine_available_memory",
        ));
    }
    if let Some(o) = &i.offload {
        out.push(line(
            "llama.cpp GPU / RAM split",
            format!(
                "ngl {} of {} slots (the last blocks and the output layer; the input embedding stays in RAM): VRAM {}, RAM {}; each decode step reads {} from system RAM at {:.1} GB/s",
                o.gpu_layers,
                o.slots,
                b(o.vram_bytes),
                b(o.ram_bytes),
                format_bytes(i.decode.ram_bytes, units),
                o.ram_bandwidth_bytes_per_s / 1e9,
            ),
            "llama.cpp src/llama-model.cpp, load_tensors (i_gpu_start = n_layer + 1 − n_gpu_layers); RAM bandwidth: dual-channel DDR5-5600 = 89.6 GB/s by default (ram_bw)",
        ));
    }
    out.push(line(
        "Memory the engine may use",
        format!(
            "{} GPU(s) × {} as the engine sees it × {} = {}",
            format_int(gpus),
            gpu.map_or("—".to_string(), |g| format_bytes(g.engine_memory_bytes(), units)),
            t.usable_fraction,
            b(i.usable_memory_bytes)
        ),
        // The quote behind each card's total stays out of the module: it is in the catalog.
        if gpu.is_some_and(|g| g.engine_mib.is_some()) {
            "the total an engine sees (nvidia-smi, rocm-smi or Metal), as measured and quoted with its source in src/estimate/data/gpus.json"
        } else {
            "no measured total quoted for this GPU: the catalog figure"
        },
    ));
    out
}

/// The "show working" lines of the speed figures: the decode step (expected and bound), the
/// time to the first token, how many sequences fit, and the training time, each with the
/// constants used and how well they fit their published measurements.
fn speed_working(s: &Scenario, r: &Report, units: ByteUnits) -> Vec<Working> {
    let i = &r.inference;
    let d = &i.decode;
    let c = s.speed_constants();
    let gpu = s.gpu();
    let bw = gpu
        .as_deref()
        .map_or(1.0, crate::estimate::hardware::Gpu::bandwidth_bytes_per_s);
    let reached = gpu
        .as_deref()
        .map_or(1.0, |g| crate::estimate::speed::reached_bandwidth(c, g));
    let line = |figure: &str, formula: String, source: String| Working {
        figure: figure.into(),
        formula,
        source,
    };
    let fitted = format!(
        "{} constants, fitted to {}: expected within ±25 % of {} of {} measured decode speeds, median error {:.1} % (tests/speed_measurements.rs)",
        c.name, c.fitted_to, c.fit.within_25_percent, c.fit.rows, c.fit.median_error_percent
    );
    let split = match s.split() {
        crate::estimate::speed::Split::Tensor if s.gpus > 1 => format!(
            "; tensor parallel over {} GPUs: each reads 1/{} at once, + 2 × {} layers × {:.1} µs of all-reduces",
            s.gpus,
            s.gpus,
            r.model.arch.layers,
            c.allreduce_s * 1e6
        ),
        _ if s.gpus > 1 => format!(
            "; layer split over {} GPUs: they take turns, + {} × {:.0} µs between them",
            s.gpus,
            s.gpus - 1,
            c.hop_s * 1e6
        ),
        _ => String::new(),
    };
    let ram = if d.ram_bytes > 0.0 {
        format!(
            " + {} from system RAM / ({:.2} × {:.1} GB/s)",
            format_bytes(d.ram_bytes, units),
            c.ram_efficiency,
            s.ram_bw_gb_s
        )
    } else {
        String::new()
    };
    let mut out = vec![line(
        "Decode time per token",
        format!(
            "expected: {} read per GPU / {:.0} GB/s reached ({:.2} × {:.0} GB/s{}){ram} = {}; compute {} (bound by {}); + {:.2} ms per step + {} layers × {:.0} µs{split} = {} ({} per sequence, {} for all {}). At best: every byte at the full {:.0} GB/s = {} ({})",
            format_bytes(d.gpu_bytes, units),
            reached / 1e9,
            c.bandwidth_efficiency,
            bw / 1e9,
            c.bytes_per_sm_clock
                .map_or(String::new(), |k| format!(", at most {k} B per SM per clock")),
            format_seconds(d.memory_seconds),
            format_seconds(d.compute_seconds),
            if d.compute_bound { "compute" } else { "memory" },
            c.step_overhead_s * 1e3,
            r.model.arch.layers,
            c.layer_overhead_s * 1e6,
            format_seconds(d.seconds),
            format_rate(d.tokens_per_s()),
            format_rate(d.throughput()),
            format_int(d.batch),
            bw / 1e9,
            format_seconds(d.seconds_bound),
            format_rate(d.tokens_per_s_bound()),
        ),
        format!("roofline (Austin et al. 2025, inference chapter) and Little's law for the per-SM ceiling; {fitted}"),
    )];
    out.push(line(
        "Time to first token",
        format!(
            "{} prompt tokens in {} pass(es): {:.3e} FLOPs (2 per active parameter per token + causal attention) at {:.2} × dense FLOP/s, or one read of the weights per pass, whichever is longer, + fixed costs = {} (at best {})",
            format_int(i.prefill.tokens),
            format_int(i.prefill.chunks),
            i.prefill.flops,
            c.compute_efficiency,
            format_seconds(i.prefill_seconds),
            format_seconds(i.prefill_seconds_bound)
        ),
        format!("Kaplan et al. 2020 §2.1 (2N FLOPs per token); φ fitted to llama-bench pp512 and vLLM's time to first token; {}", c.name),
    ));
    if let Some(m) = i.max_concurrency {
        out.push(line(
            "Sequences that fit at once",
            format!(
                "(usable memory − weights − activations − the engine's own) / one sequence's KV cache at {} tokens = {:.2}",
                format_int(s.ctx as f64),
                m
            ),
            "as vLLM prints it at start-up: \"Maximum concurrency for N tokens per request\" (vllm/v1/core/kv_cache_utils.py)".to_string(),
        ));
    }
    if s.mode == crate::estimate::Mode::Train {
        let t = &r.training.time;
        out.push(line(
            "Training time",
            format!(
                "({} FLOPs per token: 6 × active parameters + 6 × {} layers × {} tokens × {} attention width) × {} tokens / ({:.0} % MFU × {} TFLOP/s × {} GPUs) = {}; a step of {} tokens: {}",
                format_count(t.flops_per_token),
                r.model.arch.layers,
                format_int(s.ctx as f64),
                r.model.arch.heads * r.model.arch.head_dim,
                format_count(r.chinchilla.training_tokens),
                t.mfu * 100.0,
                gpu.as_deref().map_or(0.0, |g| g.bf16_tflops),
                format_int(t.gpus),
                format_seconds(t.seconds),
                format_count(t.tokens_per_step),
                format_seconds(t.step_seconds)
            ),
            "Kaplan et al. 2020, §2.1 and Table 1 (6N per token, attention 6·n_layer·n_ctx·d_attn); MFU: Chowdhery et al. 2022 (PaLM) §B; 40 % as Meta reports for Llama 3 405B (Dubey et al. 2024, Table 4)".to_string(),
        ));
    }
    out
}

/// The working behind every figure on the page.
pub fn working(s: &Scenario, r: &Report, units: ByteUnits) -> Vec<Working> {
    let m = s.resolve();
    let a = &m.arch;
    let i = &r.inference;
    let t = &r.training.memory;
    let b = |x: f64| format!("{} ({} B)", format_bytes(x, units), format_int(x));
    let w = |figure: &str, formula: String, source: &str| Working {
        figure: figure.into(),
        formula,
        source: source.into(),
    };
    let mut out = Vec::new();
    out.push(w(
        "Parameters",
        format!(
            "Σ tensors of {} layers × {} wide, {} heads ({} KV) × {} head_dim, {} MLP {}, vocab {}{} = {}{}",
            a.layers,
            format_int(a.hidden as f64),
            a.heads,
            a.kv_heads,
            a.head_dim,
            if a.mlp == crate::estimate::arch::MlpKind::Gated {
                "gated"
            } else {
                "plain"
            },
            format_int(a.ffn as f64),
            format_int(a.vocab as f64),
            if a.tied_embeddings { ", tied embeddings" } else { "" },
            format_int(m.derived.total),
            if m.shape_assumed {
                " (shape assumed from the size)"
            } else {
                ""
            }
        ),
        "the model's config.json; tensor list as in Hugging Face modeling code",
    ));
    out.push(w(
        "Weights",
        format!(
            "{} params × {} bits/weight ({}) / 8 = {}",
            format_int(r.model.params),
            s.weights.bits_per_weight(),
            s.weights.scope_note(),
            b(i.weights_bytes)
        ),
        s.weights.source(),
    ));
    let layout = crate::estimate::engine::kv_layout(s.engine);
    let per_layer = kv::elements_per_token_per_layer(a, layout);
    let kv_formula = match a.mla {
        Some(ml) if layout == KvLayout::ExpandedMla => format!(
            "{} heads × ({} key + {} value, expanded from the latent by {}) × {} B",
            a.heads,
            ml.nope_dim + ml.rope_dim,
            ml.v_head_dim,
            s.engine.label(),
            s.kv.bytes()
        ),
        Some(ml) => format!(
            "({} latent + {} rope) × {} B",
            ml.kv_lora_rank,
            ml.rope_dim,
            s.kv.bytes()
        ),
        None => format!(
            "2 × {} KV heads × {} head_dim × {} B",
            a.kv_heads,
            a.head_dim,
            s.kv.bytes()
        ),
    };
    let (full, sliding) = a.layer_kinds();
    out.push(w(
        "KV cache",
        format!(
            "{kv_formula} = {} B per token per layer; × ({full} full layers × {} tokens + {sliding} sliding layers × {} tokens) × batch {} = {}",
            per_layer * s.kv.bytes(),
            format_int(s.ctx as f64),
            format_int((s.ctx as f64).min(if a.attention.window > 0 { a.attention.window as f64 } else { f64::INFINITY })),
            s.batch,
            b(i.kv_cache_bytes)
        ),
        "Austin et al. 2025, How To Scale Your Model, inference chapter; DeepSeek-V2 §2.1.2 for MLA",
    ));
    out.push(w(
        "Transient activations",
        format!(
            "one layer's intermediates for min(ctx, {}) new tokens × batch {}: prefill {}, decode {}{} → peak {}",
            {
                let chunk = i.engine_terms.prefill_chunk_tokens;
                if chunk.is_finite() {
                    format_int(chunk)
                } else {
                    "the whole prompt".to_string()
                }
            },
            s.batch,
            format_bytes(i.activations.prefill_bytes, units),
            format_bytes(i.activations.decode_bytes, units),
            if s.training.flash {
                String::new()
            } else {
                format!(
                    ", incl. attention scores {}",
                    format_bytes(i.activations.attention_scores_bytes, units)
                )
            },
            b(i.activation_bytes)
        ),
        "model of a PyTorch forward pass (src/estimate/activations.rs); Dao et al. 2022 for the s² scores",
    ));
    out.extend(engine_working(s, r, units));
    if s.mode == crate::estimate::Mode::Train {
        let per_entry =
            crate::estimate::engine::training_extras(s.engine, s.weights, s.training.lora_rank).loss_bytes_per_entry;
        out.push(w(
            "Training loss (logits)",
            format!(
                "{per_entry} B per vocabulary entry × {} tokens × batch {} × vocab {} = {} (in the stored activations)",
                format_int(s.ctx as f64),
                s.batch,
                format_int(m.arch.vocab as f64),
                b(r.training.memory.loss_bytes)
            ),
            if per_entry > 6.0 {
                "unfused cross-entropy as Hugging Face transformers computes it: transformers/loss/loss_utils.py (ForCausalLMLoss: logits.float(), cross_entropy)"
            } else {
                "fused / vocab-parallel cross-entropy: 16-bit logits + an fp32 copy (Korthikanti et al. 2022, §4.3)"
            },
        ));
    }
    if r.training.memory.gathered_bytes > 0.0 {
        out.push(w(
            "ZeRO-3 gathered parameters",
            format!(
                "2 blocks (computing + prefetched) and the embedding/head, gathered whole on top of the 1/{} shards{} = {} (in the weights{})",
                s.training.dp,
                if s.training.lora_rank == 0 { ", and one block's unsharded gradient" } else { "" },
                b(r.training.memory.gathered_bytes),
                if s.training.lora_rank == 0 { " and gradients" } else { "" }
            ),
            "PyTorch FSDP: one unit gathered ahead (BackwardPrefetch.BACKWARD_PRE), the root unit kept gathered; DeepSpeed bounds the same with stage3_max_live_parameters",
        ));
    }
    out.push(w(
        "KV cache = weights",
        match i.kv_equals_weights_at_context {
            Some(c) => format!(
                "weights / (KV bytes per token × batch) = {} tokens",
                format_int(c.ceil())
            ),
            None => "never: every layer slides, the cache stops at the window".to_string(),
        },
        "solved from the KV formula",
    ));
    out.extend(speed_working(s, r, units));
    out.push(w(
        "Training memory per GPU",
        format!(
            "weights {} + gradients {} + optimizer {} + activations {} = {}",
            format_bytes(t.weights_bytes, units),
            format_bytes(t.gradient_bytes, units),
            format_bytes(t.optimizer_bytes, units),
            format_bytes(t.activation_bytes, units),
            b(t.total_bytes)
        ),
        "Transformer Math 101 (bytes/param); Rajbhandari et al. 2020 (ZeRO); Korthikanti et al. 2022 (activations)",
    ));
    let c = &r.chinchilla;
    out.push(w(
        "Compute-optimal tokens",
        format!(
            "{} for N = {} → {} tokens",
            c.fit_label,
            format_count(r.model.params),
            format_count(c.optimal_tokens)
        ),
        Fit::from_id(c.fit).map_or("", Fit::source),
    ));
    out.push(w(
        "Training compute and loss",
        format!(
            "6 × {} × {} = {:.3e} FLOPs; L = E + A/N^α + B/D^β = {:.4} ({} constants)",
            format_count(r.model.params),
            format_count(c.training_tokens),
            c.training_flops,
            c.loss,
            c.loss_fit
        ),
        "Hoffmann et al. 2022 eq. 2; Besiroglu et al. 2024",
    ));
    out
}
