//! Training memory per GPU: weights, gradients, optimizer states and stored activations.
//!
//! The total is the **sum** of the four terms, each with its own sharding:
//!
//! - Bytes per parameter (Anthony, Biderman & Schoelkopf 2023, "Transformer Math 101",
//!   EleutherAI): mixed precision keeps 16-bit weights (2) and gradients (2) plus an fp32
//!   master copy (4) and the optimizer's states: AdamW m and v (4 + 4), 8-bit Adam (1 + 1,
//!   Dettmers et al. 2022), SGD momentum (4); Adafactor keeps no momentum and factors the
//!   second moment of an r × c matrix into r + c numbers (Shazeer & Stern 2018 §3), a full
//!   vector for 1-D tensors. bf16 + AdamW = 2 + 2 + 12 = 16 bytes per parameter.
//!   Pure fp32 training has no master copy: 4 + 4 + states.
//! - Model parallelism: tensor parallel t and pipeline parallel p split the parameters, each
//!   GPU holding 1/(t·p). ZeRO over data-parallel size N_d (Rajbhandari et al. 2020 §5,
//!   Figure 1): stage 1 shards optimizer states, stage 2 also gradients, stage 3 also weights.
//! - Activations (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large
//!   Transformer Models", §4, eq. 1–2 and Table 2): per layer s·b·h·(34 + 5·a·s/h) bytes for
//!   GPT-3-style layers without parallelism; see [`layer_activation_terms`] for the term-by-term
//!   derivation this module generalises to gated MLPs, GQA, head_dim ≠ h/a and layers without
//!   dropout. Pipeline 1F1B: the first stage holds p micro-batches of L/p layers, i.e. L layers'
//!   worth (§4.2.3).
//! - LoRA (Hu et al. 2021): rank-r adapters A (r × in) and B (out × r) on every linear layer of
//!   the blocks (attention and MLP, experts included), the recommendation of QLoRA (Dettmers et
//!   al. 2023 §4); frozen base weights in their storage format, fp32 adapters with their own
//!   gradients and optimizer states (PEFT's default `autocast_adapter_dtype`). QLoRA = LoRA on a
//!   4-bit (NF4) base.

use serde::Serialize;

use super::arch::{Architecture, MlpKind, TensorGroup, TensorRole};
use super::precision::WeightFormat;

choice! {
    /// Optimizer choice.
    #[derive(Serialize)]
    pub enum Optimizer {
        /// AdamW with fp32 m and v.
        AdamW = ("adamw", "AdamW"),
        /// bitsandbytes 8-bit Adam (block-wise quantised m and v).
        Adam8bit = ("adam8bit", "8-bit Adam"),
        /// SGD with momentum.
        Sgd = ("sgd", "SGD + momentum"),
        /// Adafactor (factored second moment, no momentum).
        Adafactor = ("adafactor", "Adafactor"),
    }
}

choice! {
    /// Activation recomputation strategy (Korthikanti et al. 2022 §5).
    #[derive(Serialize)]
    pub enum Recompute {
        /// Store everything.
        None = ("none", "None: store every activation"),
        /// Recompute the attention core (drops the s² terms).
        Selective = ("selective", "Selective: recompute attention"),
        /// Store only each layer's input (2sbh) and recompute the layer in backward.
        Full = ("full", "Full: store layer inputs only"),
    }
}

/// Training knobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct TrainingKnobs {
    /// Optimizer.
    pub optimizer: Optimizer,
    /// Recomputation.
    pub recompute: Recompute,
    /// ZeRO stage 0–3.
    pub zero: u8,
    /// Data-parallel size.
    pub dp: u32,
    /// Tensor-parallel size.
    pub tp: u32,
    /// Pipeline-parallel size.
    pub pp: u32,
    /// Sequence parallelism (with tensor parallelism).
    pub sp: bool,
    /// FlashAttention (no stored s² matrices).
    pub flash: bool,
    /// LoRA rank; 0 = full fine-tuning / pre-training.
    pub lora_rank: u32,
    /// Mixed precision with an fp32 master copy and fp32 optimizer states (the default, as in
    /// Micikevicius et al. 2018 and Rajbhandari et al. 2020's 16 bytes per parameter); false:
    /// everything in the weights' own precision, as pure bf16 training does (torchtune's
    /// default: 2 + 2 + 2 × 2 = 8 bytes per parameter with AdamW).
    pub master: bool,
}

impl Default for TrainingKnobs {
    fn default() -> Self {
        TrainingKnobs {
            optimizer: Optimizer::AdamW,
            recompute: Recompute::None,
            zero: 0,
            dp: 1,
            tp: 1,
            pp: 1,
            sp: false,
            flash: true,
            lora_rank: 0,
            master: true,
        }
    }
}

/// Per-GPU training memory, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrainingMemory {
    /// Model weights held by this GPU (16-bit copy, or fp32, or the frozen base for LoRA).
    pub weights_bytes: f64,
    /// Gradients held by this GPU.
    pub gradient_bytes: f64,
    /// Optimizer states (fp32 master copy included) held by this GPU.
    pub optimizer_bytes: f64,
    /// Stored activations on the most loaded pipeline stage.
    pub activation_bytes: f64,
    /// Sum of the four.
    pub total_bytes: f64,
    /// Parameters being trained (all, or the LoRA adapters).
    pub trainable_params: f64,
    /// Activation bytes per layer per micro-batch (after recompute/TP/SP).
    pub activation_bytes_per_layer: f64,
    /// GPUs the configuration spans: dp × tp × pp.
    pub gpus: f64,
    /// Of the activations, what the loss keeps: logits and what the cross-entropy stores, on
    /// the last pipeline stage.
    pub loss_bytes: f64,
    /// What ZeRO-3 / FSDP full sharding gathers on top of this GPU's shards (0 without an
    /// engine, or below ZeRO-3, or on one data-parallel GPU): two transformer blocks' full
    /// parameters (the one computing and the one prefetched) and the non-block parameters
    /// (embedding, head), in `weights_bytes`; with full fine-tuning also one block's unsharded
    /// gradient before its reduce-scatter, in `gradient_bytes`.
    pub gathered_bytes: f64,
}

/// Activation terms of one layer, in bytes, split as Korthikanti et al. 2022 split them.
///
/// `replicated` is what tensor parallelism alone does not split (norm inputs, the inputs of
/// the attention and MLP blocks, dropout masks after them: 10sbh for GPT-3); `sharded` is split
/// t ways (Q, K, V, attention-over-V output, MLP intermediates: 24sbh for GPT-3); `quadratic`
/// are the s² terms (softmax output 2as²b; with dropout also its mask as²b and output 2as²b:
/// 5as²b); `lora` the adapters' rank-r intermediates.
///
/// Derivation for a layer with widths q, k, v (queries, keys, values), o (attention output),
/// f (MLP intermediate per token), n norms, 16-bit activations (2 bytes) and 1-byte masks:
/// - replicated = n·2sbh (norm inputs) + 2sbh (QKV input) + 2sbh (MLP input)
///   [+ sbh + sbh dropout masks]; GPT-3: 4 + 2 + 2 + 2 = 10 ✓.
/// - sharded = 2sb·(q + k + v) + 2sb·o + MLP, MLP = 2sbf + 2sbf plain (activation input and
///   output), 8sbf gated (gate, up, activation output, product); GPT-3 with q = k = v = o = h,
///   f = 4h: 8 + 16 = 24 ✓.
/// - FlashAttention keeps the fp32 log-sum-exp instead of the s² terms: 4·a·s·b.
pub struct LayerTerms {
    /// Not split by tensor parallelism unless sequence parallelism is on.
    pub replicated: f64,
    /// Split by tensor parallelism.
    pub sharded: f64,
    /// s² terms (split by TP; dropped by selective recomputation or FlashAttention).
    pub quadratic: f64,
}

/// Activation terms of one layer for micro-batch `b` and sequence `s`.
pub fn layer_activation_terms(arch: &Architecture, s: f64, b: f64, flash: bool, lora_rank: f64) -> LayerTerms {
    let h = arch.hidden as f64;
    let sb = s * b;
    let (q, k, v, o) = super::activations::attention_widths(arch);
    let f = super::activations::mlp_width(arch);
    let masks = if arch.dropout { 2.0 * sb * h } else { 0.0 };
    let replicated = arch.norms_per_layer as f64 * 2.0 * sb * h + 2.0 * sb * h + 2.0 * sb * h + masks;
    let mlp = match arch.mlp {
        MlpKind::Gated => 8.0 * sb * f,
        MlpKind::Plain => 4.0 * sb * f,
    };
    // LoRA: each adapted matrix keeps its rank-r intermediate (x·A) for B's gradient.
    let adapted = lora_matrices_per_layer(arch);
    let lora = 2.0 * sb * lora_rank * adapted;
    let sharded = 2.0 * sb * (q + k + v) + 2.0 * sb * o + mlp + lora;
    let a = arch.heads as f64;
    let quadratic = if flash {
        4.0 * a * sb
    } else if arch.dropout {
        5.0 * a * s * s * b
    } else {
        2.0 * a * s * s * b
    };
    LayerTerms {
        replicated,
        sharded,
        quadratic,
    }
}

/// Linear matrices per layer that LoRA adapts (experts counted once per active expert).
fn lora_matrices_per_layer(arch: &Architecture) -> f64 {
    let attn = if arch.mla.is_some() { 5.0 } else { 4.0 };
    let mlp = arch.mlp_matrices() as f64;
    let experts = match arch.moe {
        Some(m) => (m.experts_active.min(m.experts) + m.shared_experts) as f64,
        None => 1.0,
    };
    attn + mlp * experts
}

/// Trainable LoRA parameters at rank `r`: Σ over block linear matrices r·(in + out).
pub fn lora_params(arch: &Architecture, r: f64) -> f64 {
    arch.tensors()
        .iter()
        .filter(|g| matches!(g.role, TensorRole::Linear | TensorRole::Expert))
        .map(|g| r * (g.rows + g.cols) as f64 * g.copies as f64)
        .sum()
}

/// Optimizer-state bytes (master copy excluded) for a set of tensor groups.
fn optimizer_state_bytes(groups: &[TensorGroup], optimizer: Optimizer, lora_rank: f64) -> f64 {
    groups
        .iter()
        .map(|g| {
            let n = g.params();
            match optimizer {
                Optimizer::AdamW => 8.0 * n,
                Optimizer::Adam8bit => 2.0 * n,
                Optimizer::Sgd => 4.0 * n,
                Optimizer::Adafactor => {
                    let copies = g.copies as f64;
                    if lora_rank > 0.0 {
                        // A: r × in → r + in; B: out × r → out + r.
                        4.0 * copies * ((lora_rank + g.rows as f64) + (g.cols as f64 + lora_rank))
                    } else if g.is_matrix() {
                        4.0 * copies * (g.rows + g.cols) as f64
                    } else {
                        4.0 * n
                    }
                }
            }
        })
        .sum()
}

/// What the training framework adds to the model's own terms (see the engine module).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrainingExtras {
    /// Bytes per vocabulary entry per token kept for the loss: 6 for a fused / vocab-parallel
    /// cross-entropy (16-bit logits + their fp32 copy, Korthikanti et al. §4.3); 16 for an
    /// unfused PyTorch cross-entropy (see `engine::UNFUSED_LOSS_BYTES_PER_ENTRY`).
    pub loss_bytes_per_entry: f64,
    /// peft's `prepare_model_for_kbit_training` casts every parameter that is not quantised
    /// (embeddings, output head, norms) to fp32 before 4-bit LoRA training.
    pub kbit_fp32_upcast: bool,
    /// bitsandbytes dequantises each 4-bit weight to a 16-bit temporary for its matmul, in
    /// the forward and the backward pass: the largest matrix, twice, is alive at a time.
    pub dequant_temporaries: bool,
    /// Under ZeRO-3 / FSDP full sharding, the parameters each GPU gathers on top of its shard
    /// (see [`TrainingMemory::gathered_bytes`]).
    pub gathered_units: bool,
}

impl Default for TrainingExtras {
    fn default() -> Self {
        TrainingExtras {
            loss_bytes_per_entry: 6.0,
            kbit_fp32_upcast: false,
            dequant_temporaries: false,
            gathered_units: false,
        }
    }
}

/// Per-GPU training memory for micro-batch `b` sequences of `s` tokens (no framework extras).
pub fn training_memory(
    arch: &Architecture,
    total_params: f64,
    weights: WeightFormat,
    knobs: &TrainingKnobs,
    s: f64,
    b: f64,
) -> TrainingMemory {
    training_memory_with(arch, total_params, weights, knobs, s, b, TrainingExtras::default())
}

/// Per-GPU training memory for micro-batch `b` sequences of `s` tokens, with the framework's
/// extras.
pub fn training_memory_with(
    arch: &Architecture,
    total_params: f64,
    weights: WeightFormat,
    knobs: &TrainingKnobs,
    s: f64,
    b: f64,
    extras: TrainingExtras,
) -> TrainingMemory {
    let tp = f64::from(knobs.tp.max(1));
    let pp = f64::from(knobs.pp.max(1));
    let dp = f64::from(knobs.dp.max(1));
    let model_split = tp * pp;
    let zero = knobs.zero.min(3);
    let shard = |stage: u8| if zero >= stage { dp } else { 1.0 };
    let groups = arch.tensors();
    let derived_total: f64 = groups.iter().map(TensorGroup::params).sum();
    // When the user overrides the size (params slider), scale shape-derived terms to it.
    let scale = total_params / derived_total.max(1.0);
    let lora_rank = f64::from(knobs.lora_rank);
    // Bytes per trained weight (and per gradient) in full training: fp32, else 16-bit.
    let width = if weights == WeightFormat::Fp32 { 4.0 } else { 2.0 };

    let (weights_bytes, gradient_bytes, optimizer_bytes, trainable) = if knobs.lora_rank > 0 {
        let mut base = super::precision::weight_bytes(arch, weights) * scale;
        // TRL skips the upcast for sharded QLoRA ("one should never call …
        // prepare_model_for_kbit_training when doing QLoRA + FSDP / DS-Zero3",
        // trl/trainer/sft_trainer.py, `is_sharded_qlora`).
        let sharded_qlora = zero >= 3 && dp > 1.0;
        if extras.kbit_fp32_upcast && !sharded_qlora {
            // The tensors the format leaves in 16 bits become fp32: +2 bytes each.
            let unquantised: f64 = groups
                .iter()
                .filter(|g| super::precision::group_bits(g.role, g.is_matrix(), weights) >= 16.0)
                .map(TensorGroup::params)
                .sum();
            base += 2.0 * unquantised * scale;
        }
        let lora_groups: Vec<TensorGroup> = groups
            .iter()
            .filter(|g| matches!(g.role, TensorRole::Linear | TensorRole::Expert))
            .cloned()
            .collect();
        let trainable = lora_params(arch, lora_rank) * scale;
        // fp32 adapters (4 bytes), fp32 gradients (4 bytes), optimizer states on them.
        let states = match knobs.optimizer {
            Optimizer::Adafactor => optimizer_state_bytes(&lora_groups, knobs.optimizer, lora_rank) * scale,
            Optimizer::AdamW => 8.0 * trainable,
            Optimizer::Adam8bit => 2.0 * trainable,
            Optimizer::Sgd => 4.0 * trainable,
        };
        (
            (base + 4.0 * trainable) / model_split / shard(3),
            4.0 * trainable / model_split / shard(2),
            states / model_split / shard(1),
            trainable,
        )
    } else {
        let master = if weights == WeightFormat::Fp32 || !knobs.master {
            0.0
        } else {
            4.0
        };
        // Without a master copy the optimizer states are kept in the weights' precision too
        // (8-bit Adam's are 8-bit either way).
        let state_width = if knobs.master || knobs.optimizer == Optimizer::Adam8bit {
            1.0
        } else {
            width / 4.0
        };
        let states = optimizer_state_bytes(&groups, knobs.optimizer, 0.0) * scale * state_width;
        (
            width * total_params / model_split / shard(3),
            width * total_params / model_split / shard(2),
            (master * total_params + states) / model_split / shard(1),
            total_params,
        )
    };

    // ZeRO-3 / FSDP: parameters are sharded at rest but gathered whole, one wrapped unit (a
    // transformer block) at a time, with the next unit prefetched while the current one
    // computes (PyTorch FSDP: `BackwardPrefetch.BACKWARD_PRE`, Accelerate's default
    // `fsdp_backward_prefetch`; `forward_prefetch` / `limit_all_gathers` keep at most two
    // units in flight — torch/distributed/fsdp/fully_sharded_data_parallel.py). The root unit
    // (embedding, final norm, head) stays gathered from the forward to the end of the backward
    // (FSDP does not reshard the root after its forward). A block's gradient exists unsharded
    // until its reduce-scatter (full fine-tuning; LoRA's adapters are negligible). DeepSpeed's
    // ZeRO-3 bounds the same buffers with `stage3_max_live_parameters` / `stage3_prefetch_bucket_size`
    // (deepspeed/runtime/zero/config.py); the FSDP rule is the one used.
    let (gathered_weights, gathered_grads) = if extras.gathered_units && zero >= 3 && dp > 1.0 {
        let root_roles = |g: &&TensorGroup| g.role.is_embedding();
        let root_params: f64 = groups.iter().filter(root_roles).map(TensorGroup::params).sum::<f64>() * scale;
        let layers = arch.layers.max(1) as f64;
        let (root, unit, unit_grad) = if knobs.lora_rank > 0 {
            let root: f64 = groups
                .iter()
                .filter(root_roles)
                .map(|g| super::precision::group_bytes(arch, g, weights))
                .sum::<f64>()
                * scale;
            // The whole frozen base as this GPU would hold it unsharded, less the root.
            let whole = weights_bytes * model_split * dp - 4.0 * trainable;
            (root, (whole - root).max(0.0) / layers, 0.0)
        } else {
            let unit_params = (total_params - root_params).max(0.0) / layers;
            (width * root_params, width * unit_params, width * unit_params)
        };
        // With pipeline stages the embedding and the head sit on different stages.
        let root_here = if pp > 1.0 { root / 2.0 } else { root };
        ((2.0 * unit + root_here) * (1.0 - 1.0 / dp) / tp, unit_grad / tp)
    } else {
        (0.0, 0.0)
    };
    let weights_bytes = weights_bytes + gathered_weights;
    let gradient_bytes = gradient_bytes + gathered_grads;

    // Activations.
    let act_scale = if weights == WeightFormat::Fp32 { 2.0 } else { 1.0 };
    let terms = layer_activation_terms(arch, s, b, knobs.flash, lora_rank);
    let quadratic = if knobs.recompute == Recompute::None || knobs.flash {
        terms.quadratic
    } else {
        0.0
    };
    let replicated = if knobs.sp {
        terms.replicated / tp
    } else {
        terms.replicated
    };
    let stored_per_layer = replicated + (terms.sharded + quadratic) / tp;
    let h = arch.hidden as f64;
    let per_layer = match knobs.recompute {
        Recompute::Full => 2.0 * s * b * h / if knobs.sp { tp } else { 1.0 },
        _ => stored_per_layer,
    } * act_scale;
    let layers = arch.layers as f64;
    // Full recomputation rebuilds one layer's activations during its backward pass — all of
    // them, the s² attention scores too when FlashAttention is off (recomputation drops them
    // from what is stored, not from what the rebuilt layer holds).
    let rebuild = if knobs.recompute == Recompute::Full {
        (replicated + (terms.sharded + terms.quadratic) / tp) * act_scale
    } else {
        0.0
    };
    // Output layer: final-norm input 2sbh, 16-bit logits and their fp32 copy for the loss,
    // split by TP (vocab-parallel) (Korthikanti et al. §4.3: 4sbv/t for the output terms).
    let loss_bytes = extras.loss_bytes_per_entry * s * b * arch.vocab as f64 / tp * act_scale;
    let head = 2.0 * s * b * h * act_scale + loss_bytes;
    // bitsandbytes' 16-bit temporaries of the largest 4-bit matrix (forward and backward).
    let dequant = if extras.dequant_temporaries && knobs.lora_rank > 0 {
        groups
            .iter()
            .filter(|g| g.is_matrix() && super::precision::group_bits(g.role, true, weights) < 16.0)
            .map(|g| (g.rows * g.cols) as f64)
            .fold(0.0, f64::max)
            * 2.0
            * 2.0
            / tp
    } else {
        0.0
    };
    // 1F1B: the first stage holds p micro-batches of L/p layers; the last holds one plus the head.
    // With one stage the two are the same stage, and the last's count (with the head) is it.
    let first_stage = layers * per_layer + rebuild;
    let last_stage = (layers / pp) * per_layer + rebuild + head;
    let activation_bytes = first_stage.max(last_stage) + dequant;

    TrainingMemory {
        weights_bytes,
        gradient_bytes,
        optimizer_bytes,
        activation_bytes,
        total_bytes: weights_bytes + gradient_bytes + optimizer_bytes + activation_bytes,
        trainable_params: trainable,
        activation_bytes_per_layer: per_layer,
        gpus: dp * tp * pp,
        loss_bytes,
        gathered_bytes: gathered_weights + gathered_grads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::presets;

    #[test]
    fn attention_scores_grow_with_the_batch() {
        // Korthikanti et al. 2022 §4.1: per layer the s×s attention scores keep 2as²b bytes
        // (softmax input and output, 16-bit) without dropout and 5as²b with its mask; with
        // FlashAttention only its 4asb softmax statistics. Llama-3.1-8B (a = 32), 2 × 1,024.
        let mut arch = presets::arch_of("llama-3.1-8b");
        let q = |arch: &Architecture, flash| layer_activation_terms(arch, 1024.0, 2.0, flash, 0.0).quadratic;
        assert_eq!(q(&arch, false), 2.0 * 32.0 * 1024.0 * 1024.0 * 2.0);
        assert_eq!(q(&arch, true), 4.0 * 32.0 * 1024.0 * 2.0);
        arch.dropout = true;
        assert_eq!(q(&arch, false), 5.0 * 32.0 * 1024.0 * 1024.0 * 2.0);
    }

    #[test]
    fn lora_adapts_every_linear_layer_of_the_active_experts() {
        // Per layer: q, k, v, o (MLA: q, kv_a, kv_b, o and q_b as counted here, 5) plus the
        // MLP's matrices once per expert a token uses. Llama-3.1-8B: 4 + 3 = 7. Mixtral-8x7B:
        // 4 + 3 × 2 routed = 10. DeepSeek-V3: 5 + 3 × (8 routed + 1 shared) = 32.
        let m = |id: &str| lora_matrices_per_layer(&presets::arch_of(id));
        assert_eq!(
            [m("llama-3.1-8b"), m("mixtral-8x7b"), m("deepseek-v3")],
            [7.0, 10.0, 32.0]
        );
    }

    #[test]
    fn adafactor_keeps_a_row_and_a_column_per_matrix() {
        // Shazeer & Stern 2018: no momentum; a factored second moment of an n × m matrix is
        // n + m fp32 values, a vector's is whole. LoRA's A (r × in) and B (out × r) factor
        // the same way: (r + in) + (out + r).
        let matrix = TensorGroup {
            name: "w",
            role: TensorRole::Linear,
            rows: 4096,
            cols: 1024,
            copies: 32,
            active_copies: 32,
        };
        let norm = TensorGroup {
            name: "n",
            role: TensorRole::Vector,
            rows: 4096,
            cols: 1,
            copies: 32,
            active_copies: 32,
        };
        let bytes = |g: &[TensorGroup], r| optimizer_state_bytes(g, Optimizer::Adafactor, r);
        assert_eq!(
            bytes(std::slice::from_ref(&matrix), 0.0),
            4.0 * 32.0 * (4096.0 + 1024.0)
        );
        assert_eq!(bytes(&[norm], 0.0), 4.0 * 32.0 * 4096.0);
        assert_eq!(bytes(&[matrix], 16.0), 4.0 * 32.0 * ((16.0 + 4096.0) + (1024.0 + 16.0)));
    }

    #[test]
    fn qlora_upcasts_the_unquantised_tensors_unless_sharded() {
        // peft's prepare_model_for_kbit_training makes every tensor nf4 leaves in 16 bits fp32:
        // for Llama-3.1-8B the embedding and the head (2 × 128,256 × 4,096) and the 65 norms
        // (65 × 4,096), 1,050,939,392 parameters, +2 bytes each = 2,101,878,784 B. TRL skips it
        // for sharded QLoRA (ZeRO-3 over more than one data-parallel GPU: `is_sharded_qlora`).
        let arch = presets::arch_of("llama-3.1-8b");
        let upcast_at = |params: f64, zero: u8, dp: u32| {
            let knobs = TrainingKnobs {
                lora_rank: 16,
                zero,
                dp,
                ..TrainingKnobs::default()
            };
            let weights = |kbit_fp32_upcast| {
                let extras = TrainingExtras {
                    kbit_fp32_upcast,
                    ..TrainingExtras::default()
                };
                training_memory_with(&arch, params, WeightFormat::Nf4, &knobs, 1024.0, 1.0, extras).weights_bytes
            };
            weights(true) - weights(false)
        };
        let upcast = |zero, dp| upcast_at(8_030_261_248.0, zero, dp);
        assert_eq!(upcast(0, 1), 2_101_878_784.0);
        assert_eq!(upcast(3, 1), 2_101_878_784.0);
        assert_eq!(upcast(2, 8), 2_101_878_784.0);
        assert_eq!(upcast(3, 8), 0.0);
        // The shape asked to hold twice its parameters upcasts twice as many.
        assert_eq!(upcast_at(2.0 * 8_030_261_248.0, 0, 1), 2.0 * 2_101_878_784.0);
    }

    #[test]
    fn lora_scales_the_frozen_base_to_the_asked_size() {
        // Llama-3.1-8B's shape asked to hold twice its parameters (the params slider): the bf16
        // base is 2 × 16,060,522,496 B and the rank-16 adapters 2 × 41,943,040 parameters in
        // fp32 (per layer 16 × (4,096 + 4,096) for q and o, 16 × (4,096 + 1,024) for k and v,
        // 16 × (4,096 + 14,336) for gate, up and down: 1,310,720; × 32 layers).
        let arch = presets::arch_of("llama-3.1-8b");
        let knobs = TrainingKnobs {
            lora_rank: 16,
            ..TrainingKnobs::default()
        };
        let m = training_memory(&arch, 2.0 * 8_030_261_248.0, WeightFormat::Bf16, &knobs, 1024.0, 1.0);
        assert_eq!(m.trainable_params, 2.0 * 41_943_040.0);
        assert_eq!(m.weights_bytes, 2.0 * 16_060_522_496.0 + 4.0 * 2.0 * 41_943_040.0);
        // The optimizer keeps its states for those 83,886,080 adapter parameters: AdamW two
        // fp32 moments (8 B each), 8-bit Adam two 8-bit ones (2 B), SGD one fp32 momentum (4 B);
        // Adafactor a row and a column per adapter pair, rows + cols + 2r fp32 values per
        // matrix: per layer 2 × 8,224 (q, o) + 2 × 5,152 (k, v) + 3 × 18,464 (MLP) = 82,144,
        // × 4 B × 32 layers × 2 = 21,028,864 B.
        let states = |optimizer| {
            let knobs = TrainingKnobs { optimizer, ..knobs };
            training_memory(&arch, 2.0 * 8_030_261_248.0, WeightFormat::Bf16, &knobs, 1024.0, 1.0).optimizer_bytes
        };
        assert_eq!(states(Optimizer::AdamW), 8.0 * 83_886_080.0);
        assert_eq!(states(Optimizer::Adam8bit), 2.0 * 83_886_080.0);
        assert_eq!(states(Optimizer::Sgd), 4.0 * 83_886_080.0);
        assert_eq!(states(Optimizer::Adafactor), 21_028_864.0);
    }

    #[test]
    fn zero_3_gathers_in_proportion_to_the_asked_size() {
        // The gathered root and blocks are shares of the model's parameters, so the shape asked
        // to hold twice its parameters (the params slider) gathers exactly twice the bytes, in
        // full fine-tuning (weights and one block's gradient) and with LoRA.
        let arch = presets::arch_of("llama-3.1-8b");
        let extras = TrainingExtras {
            gathered_units: true,
            ..TrainingExtras::default()
        };
        for lora_rank in [0, 16] {
            let knobs = TrainingKnobs {
                zero: 3,
                dp: 8,
                lora_rank,
                ..TrainingKnobs::default()
            };
            let gathered = |params: f64| {
                training_memory_with(&arch, params, WeightFormat::Bf16, &knobs, 1024.0, 1.0, extras).gathered_bytes
            };
            let once = gathered(8_030_261_248.0);
            assert!(once > 0.0);
            assert_eq!(gathered(2.0 * 8_030_261_248.0), 2.0 * once, "rank {lora_rank}");
        }
        // Tensor parallelism splits what is gathered, the gradient of full fine-tuning too.
        let full_with_tp = |tp| {
            let knobs = TrainingKnobs {
                zero: 3,
                dp: 8,
                tp,
                ..TrainingKnobs::default()
            };
            training_memory_with(&arch, 8_030_261_248.0, WeightFormat::Bf16, &knobs, 1024.0, 1.0, extras)
        };
        let (one, two) = (full_with_tp(1), full_with_tp(2));
        assert_eq!(two.gathered_bytes, one.gathered_bytes / 2.0);
        assert_eq!(two.gradient_bytes, one.gradient_bytes / 2.0);
    }

    #[test]
    fn full_recomputation_with_sequence_parallelism_in_fp32_by_hand() {
        // Llama-3.1-8B trained in fp32 (activations 4 B: ×2 on Korthikanti et al.'s 16-bit
        // terms) with full recomputation, tp = 2 with sequence parallelism, FlashAttention off,
        // one 1,024-token sequence (sb = 1,024; h = 4,096; 32 heads; KV width 1,024; ffn 14,336):
        // - each layer keeps its input, split by SP: 2·sbh / 2 × 2 = 8,388,608 B;
        // - the layer being rebuilt holds everything (§5): the 8·sbh of norms and residuals
        //   split by SP (16,777,216) plus 2sb(4,096 + 2 × 1,024) + 2sb·4,096 + 8sb·14,336
        //   = 138,412,032 and the 2as²b = 67,108,864 scores, both split by TP: 102,760,448;
        //   (16,777,216 + 102,760,448) × 2 = 239,075,328 B;
        // - the head: the final norm's input 2sbh × 2 = 16,777,216 B and the loss's 6 B per
        //   logit over a vocabulary split by TP: 6 × 1,024 × 128,256 / 2 × 2 = 788,004,864 B.
        // 32 × 8,388,608 + 239,075,328 + 16,777,216 + 788,004,864 = 1,312,292,864 B.
        let arch = presets::arch_of("llama-3.1-8b");
        let knobs = TrainingKnobs {
            recompute: Recompute::Full,
            sp: true,
            tp: 2,
            flash: false,
            ..TrainingKnobs::default()
        };
        let m = training_memory(&arch, 8_030_261_248.0, WeightFormat::Fp32, &knobs, 1024.0, 1.0);
        assert_eq!(m.activation_bytes_per_layer, 8_388_608.0);
        assert_eq!(m.loss_bytes, 788_004_864.0);
        assert_eq!(m.activation_bytes, 1_312_292_864.0);
    }

    #[test]
    fn qlora_holds_the_largest_dequantised_matrix_twice() {
        // bitsandbytes dequantises each nf4 matrix to a 16-bit temporary in the forward and in
        // the backward: for Llama-3.1-8B the largest is an MLP matrix, 4,096 × 14,336, so
        // 2 × 2 B × 58,720,256 = 234,881,024 B more activation memory, with LoRA only.
        let arch = presets::arch_of("llama-3.1-8b");
        let act = |dequant_temporaries, lora_rank, tp| {
            let knobs = TrainingKnobs {
                lora_rank,
                tp,
                ..TrainingKnobs::default()
            };
            let extras = TrainingExtras {
                dequant_temporaries,
                ..TrainingExtras::default()
            };
            training_memory_with(&arch, 8_030_261_248.0, WeightFormat::Nf4, &knobs, 1024.0, 1.0, extras)
                .activation_bytes
        };
        assert_eq!(act(true, 16, 1) - act(false, 16, 1), 234_881_024.0);
        assert_eq!(act(true, 0, 1), act(false, 0, 1));
        // Tensor parallelism splits each matrix, and its temporary, in two.
        assert_eq!(act(true, 16, 2) - act(false, 16, 2), 117_440_512.0);
    }

    #[test]
    fn the_first_pipeline_stage_holds_the_most_by_hand() {
        // Llama-3.1-405B (126 layers, h = 16,384, 128 heads, KV width 1,024, ffn 53,248) over 2
        // pipeline stages, full recomputation, FlashAttention, one 1,024-token sequence in bf16.
        // Each layer keeps its input, 2sbh = 33,554,432 B; the rebuilt layer holds 8sbh =
        // 134,217,728 + 2sb(16,384 + 2,048) + 2sb·16,384 + 8sb·53,248 = 507,510,784 + FlashAttention's
        // 4asb = 524,288: 642,252,800 B. 1F1B: the first stage holds 2 micro-batches of its 63
        // layers: 126 × 33,554,432 + 642,252,800 = 4,870,111,232 B; the last one of its 63 plus
        // the head (2sbh + 6 B × 1,024 × 128,256 = 821,559,296): 3,577,741,312 B.
        let arch = presets::arch_of("llama-3.1-405b");
        let knobs = TrainingKnobs {
            recompute: Recompute::Full,
            pp: 2,
            ..TrainingKnobs::default()
        };
        let m = training_memory(&arch, 405_853_388_800.0, WeightFormat::Bf16, &knobs, 1024.0, 1.0);
        assert_eq!(m.activation_bytes, 4_870_111_232.0);
        // One stage holds every layer's input, the rebuilt layer and the head.
        let one = TrainingKnobs { pp: 1, ..knobs };
        let m = training_memory(&arch, 405_853_388_800.0, WeightFormat::Bf16, &one, 1024.0, 1.0);
        assert_eq!(m.activation_bytes, 4_870_111_232.0 + 821_559_296.0);
    }

    #[test]
    fn fp32_training_stores_4_byte_activations() {
        // Korthikanti et al. 2022 count 16-bit activations (2 B); training in fp32 keeps every
        // one in 4 bytes: twice the bytes per layer.
        let arch = presets::arch_of("llama-3.1-8b");
        let per_layer = |w| {
            training_memory(&arch, 8_030_261_248.0, w, &TrainingKnobs::default(), 1024.0, 1.0)
                .activation_bytes_per_layer
        };
        assert_eq!(per_layer(WeightFormat::Fp32), 2.0 * per_layer(WeightFormat::Bf16));
    }

    #[test]
    fn zero_3_lora_gathers_the_frozen_base_by_hand() {
        // LoRA (rank 16) on Llama-3.1-8B in bf16 under ZeRO-3 over 8 GPUs: each GPU gathers
        // the root unit (embedding and head, 2 × 128,256 × 4,096 × 2 B = 2,101,346,304 B) and
        // two of the 32 blocks ((16,060,522,496 − 2,101,346,304) / 32 = 436,224,256 B each),
        // less the eighth it already holds: (2 × 436,224,256 + 2,101,346,304) × 7/8 =
        // 2,602,070,464 B. With 2 pipeline stages each holds half the root:
        // (872,448,512 + 1,050,673,152) × 7/8 = 1,682,731,456 B; with tp = 2 each gathers half.
        let arch = presets::arch_of("llama-3.1-8b");
        let extras = TrainingExtras {
            gathered_units: true,
            ..TrainingExtras::default()
        };
        let gathered = |tp: u32, pp: u32| {
            let knobs = TrainingKnobs {
                zero: 3,
                dp: 8,
                tp,
                pp,
                lora_rank: 16,
                ..TrainingKnobs::default()
            };
            training_memory_with(&arch, 8_030_261_248.0, WeightFormat::Bf16, &knobs, 1024.0, 1.0, extras).gathered_bytes
        };
        assert_eq!(gathered(1, 1), 2_602_070_464.0);
        assert_eq!(gathered(1, 2), 1_682_731_456.0);
        assert_eq!(gathered(2, 1), 2_602_070_464.0 / 2.0);
    }

    #[test]
    fn tensor_and_pipeline_parallelism_split_the_weights_between_them() {
        // Megatron: each of tp × pp GPUs holds 1/(tp·pp) of the model. Llama-3.1-8B in bf16
        // (16,060,522,496 B) over tp = 2 and pp = 4: 2,007,565,312 B each.
        let arch = presets::arch_of("llama-3.1-8b");
        let knobs = TrainingKnobs {
            tp: 2,
            pp: 4,
            zero: 0,
            ..TrainingKnobs::default()
        };
        let m = training_memory(&arch, 8_030_261_248.0, WeightFormat::Bf16, &knobs, 1024.0, 1.0);
        assert_eq!((m.weights_bytes, m.gpus), (2_007_565_312.0, 8.0));
        // So are the bf16 gradients, and AdamW's fp32 master copy and two moments (12 B per
        // parameter): 12 × 8,030,261,248 / 8.
        assert_eq!(m.gradient_bytes, 2_007_565_312.0);
        assert_eq!(m.optimizer_bytes, 12_045_391_872.0);
        // LoRA (rank 16: 41,943,040 fp32 adapter parameters) over tp = 2 with ZeRO-2 across 4
        // data-parallel GPUs: the base and adapters split two ways, (16,060,522,496 + 4 ×
        // 41,943,040) / 2; the adapters' gradients and AdamW states also four ways.
        let knobs = TrainingKnobs {
            tp: 2,
            dp: 4,
            zero: 2,
            lora_rank: 16,
            ..TrainingKnobs::default()
        };
        let m = training_memory(&arch, 8_030_261_248.0, WeightFormat::Bf16, &knobs, 1024.0, 1.0);
        assert_eq!((m.weights_bytes, m.gpus), (8_114_147_328.0, 8.0));
        assert_eq!(m.gradient_bytes, 4.0 * 41_943_040.0 / 8.0);
        assert_eq!(m.optimizer_bytes, 8.0 * 41_943_040.0 / 8.0);
    }

    #[test]
    fn optimizer_menu_names_each_as_its_paper_does() {
        // Loshchilov & Hutter 2019 "AdamW"; Dettmers et al. 2022 "8-bit Optimizers via Block-wise
        // Quantization" ("8-bit Adam"); SGD with momentum; Shazeer & Stern 2018 "Adafactor".
        let named = [
            (Optimizer::AdamW, "AdamW"),
            (Optimizer::Adam8bit, "8-bit Adam"),
            (Optimizer::Sgd, "SGD"),
            (Optimizer::Adafactor, "Adafactor"),
        ];
        for (o, name) in named {
            assert!(o.label().contains(name), "{o:?}: {}", o.label());
            assert_eq!(Optimizer::from_id(o.id()), Some(o));
        }
        let labels: std::collections::HashSet<_> = Optimizer::ALL.iter().map(|o| o.label()).collect();
        assert_eq!(labels.len(), Optimizer::ALL.len(), "two optimizers share a label");
    }

    use presets::arch_of as arch;

    #[test]
    fn gpt3_matches_korthikanti_coefficients() {
        // Korthikanti et al. 2022 eq. 1: per layer sbh(34 + 5as/h); GPT-3: a = 96, h = 12288,
        // s = 2048 → 5as/h = 80.
        let a = arch("gpt-3-175b");
        let (s, b, h) = (2048.0, 1.0, 12288.0);
        let sbh = s * b * h;
        let t = layer_activation_terms(&a, s, b, false, 0.0);
        assert_eq!(t.replicated / sbh, 10.0);
        assert_eq!(t.sharded / sbh, 24.0);
        assert_eq!(t.quadratic / sbh, 80.0);
        // Eq. 2 with t = 8 (TP only): sbh(10 + 24/8 + 80/8) = 23 sbh per layer.
        let knobs = TrainingKnobs {
            tp: 8,
            flash: false,
            ..TrainingKnobs::default()
        };
        let m = training_memory(&a, 175e9, WeightFormat::Bf16, &knobs, s, b);
        assert_eq!(m.activation_bytes_per_layer / sbh, 23.0);
        // TP + SP: sbh(34 + 80)/8 = 14.25; + selective recompute: 34/8 = 4.25 (Table 2).
        let sp = TrainingKnobs { sp: true, ..knobs };
        assert_eq!(
            training_memory(&a, 175e9, WeightFormat::Bf16, &sp, s, b).activation_bytes_per_layer / sbh,
            14.25
        );
        let sel = TrainingKnobs {
            recompute: Recompute::Selective,
            ..sp
        };
        assert_eq!(
            training_memory(&a, 175e9, WeightFormat::Bf16, &sel, s, b).activation_bytes_per_layer / sbh,
            4.25
        );
        // Full recomputation stores 2sbh per layer (Table 2), before the SP split.
        let full = TrainingKnobs {
            recompute: Recompute::Full,
            sp: false,
            ..knobs
        };
        assert_eq!(
            training_memory(&a, 175e9, WeightFormat::Bf16, &full, s, b).activation_bytes_per_layer / sbh,
            2.0
        );
    }

    #[test]
    fn llama_gated_gqa_coefficients_by_hand() {
        // Llama-3.1-8B, no dropout: replicated = (2·2 + 2 + 2) sbh = 8 sbh.
        // sharded = 2(q + k + v + o) + 8f = 2(4096 + 1024 + 1024 + 4096)/4096 sbh + 8·3.5 sbh
        //         = 5 sbh + 28 sbh = 33 sbh.  Quadratic without flash: 2as²b.
        let a = arch("llama-3.1-8b");
        let (s, b, h) = (4096.0, 1.0, 4096.0);
        let t = layer_activation_terms(&a, s, b, false, 0.0);
        assert_eq!(t.replicated / (s * b * h), 8.0);
        assert_eq!(t.sharded / (s * b * h), 33.0);
        assert_eq!(t.quadratic, 2.0 * 32.0 * s * s * b);
    }

    #[test]
    fn the_rebuilt_layer_keeps_its_attention_scores_without_flash() {
        // Llama-3.1-8B, full recomputation, s = 4,096, b = 1: the layer rebuilt in the backward
        // pass holds its softmax output, 2·a·s²·b = 2 × 32 × 4,096² = 1,073,741,824 B, without
        // FlashAttention, and FlashAttention's log-sum-exp 4·a·s·b = 524,288 B with it.
        let a = arch("llama-3.1-8b");
        let knobs = |flash| TrainingKnobs {
            recompute: Recompute::Full,
            flash,
            ..TrainingKnobs::default()
        };
        let off = training_memory(&a, 8.03e9, WeightFormat::Bf16, &knobs(false), 4096.0, 1.0);
        let on = training_memory(&a, 8.03e9, WeightFormat::Bf16, &knobs(true), 4096.0, 1.0);
        assert_eq!(off.activation_bytes - on.activation_bytes, 1_073_741_824.0 - 524_288.0);
    }

    #[test]
    fn sixteen_bytes_per_param_for_bf16_adamw() {
        // Transformer Math 101: 2 (weights) + 2 (grads) + 12 (fp32 master, m, v) = 16 B/param.
        let a = arch("llama-3.1-8b");
        let n = a.param_count().total;
        let m = training_memory(&a, n, WeightFormat::Bf16, &TrainingKnobs::default(), 1.0, 1.0);
        assert_eq!((m.weights_bytes + m.gradient_bytes + m.optimizer_bytes) / n, 16.0);
        assert_eq!(
            m.total_bytes,
            m.weights_bytes + m.gradient_bytes + m.optimizer_bytes + m.activation_bytes
        );
        // 8-bit Adam: 2 + 2 + 4 + 2 = 10; SGD: 2 + 2 + 4 + 4 = 12.
        for (opt, want) in [(Optimizer::Adam8bit, 10.0), (Optimizer::Sgd, 12.0)] {
            let k = TrainingKnobs {
                optimizer: opt,
                ..TrainingKnobs::default()
            };
            let m = training_memory(&a, n, WeightFormat::Bf16, &k, 1.0, 1.0);
            assert_eq!(
                (m.weights_bytes + m.gradient_bytes + m.optimizer_bytes) / n,
                want,
                "{opt:?}"
            );
        }
    }

    #[test]
    fn zero_stages_match_rajbhandari_figure_1() {
        // ZeRO Figure 1: Ψ = 7.5B, N_d = 64, K = 12: baseline 120 GB, P_os 31.4 GB,
        // P_os+g 16.6 GB, P_os+g+p 1.9 GB (model states only).
        let a = arch("llama-3.1-8b");
        let psi = 7.5e9;
        let want = [120.0, 31.4, 16.6, 1.9];
        for (stage, want_gb) in want.iter().enumerate() {
            let k = TrainingKnobs {
                zero: stage as u8,
                dp: 64,
                ..TrainingKnobs::default()
            };
            let m = training_memory(&a, psi, WeightFormat::Bf16, &k, 1.0, 1.0);
            let states_gb = (m.weights_bytes + m.gradient_bytes + m.optimizer_bytes) / 1e9;
            assert!((states_gb - want_gb).abs() < 0.06, "stage {stage}: {states_gb}");
        }
    }

    #[test]
    fn fsdp_gathers_two_blocks_and_the_root_on_top_of_the_shards() {
        // Llama-2-70B, full fine-tuning in bf16, ZeRO-3 over 2 GPUs. By hand: root (embedding
        // + head) = 2 × 32,000 × 8,192 = 524,288,000 parameters; one block = (68,976,648,192 −
        // 524,288,000) / 80 = 855,654,502.4. Gathered on top of the half each GPU keeps:
        // (2 blocks + root) × 2 B × (1 − 1/2) = 2,235,597,004.8 B of weights, and one block's
        // unsharded bf16 gradient, 1,711,309,004.8 B.
        let a = arch("llama-2-70b");
        let n = 68_976_648_192.0;
        let k = TrainingKnobs {
            zero: 3,
            dp: 2,
            ..TrainingKnobs::default()
        };
        let with = TrainingExtras {
            gathered_units: true,
            ..TrainingExtras::default()
        };
        let plain = training_memory(&a, n, WeightFormat::Bf16, &k, 1.0, 1.0);
        let m = training_memory_with(&a, n, WeightFormat::Bf16, &k, 1.0, 1.0, with);
        let (block, root) = ((n - 524_288_000.0) / 80.0, 524_288_000.0);
        let weights = (2.0 * block + root) * 2.0 * 0.5;
        let grads = block * 2.0;
        assert!((m.weights_bytes - plain.weights_bytes - weights).abs() < 1.0);
        assert!((m.gradient_bytes - plain.gradient_bytes - grads).abs() < 1.0);
        assert!((m.gathered_bytes - 3_946_906_009.6).abs() < 1.0);
        assert!((m.total_bytes - plain.total_bytes - m.gathered_bytes).abs() < 1.0);
        // Nothing is gathered below ZeRO-3, on one GPU, or without an engine's extras.
        for (zero, dp, extras) in [(2, 2, with), (3, 1, with), (3, 2, TrainingExtras::default())] {
            let k = TrainingKnobs {
                zero,
                dp,
                ..TrainingKnobs::default()
            };
            assert_eq!(
                training_memory_with(&a, n, WeightFormat::Bf16, &k, 1.0, 1.0, extras).gathered_bytes,
                0.0
            );
        }
    }

    #[test]
    fn lora_counts_adapters_on_every_block_linear() {
        // Llama-3.1-8B, r = 16: per layer r·[(4096+4096)·2 + (4096+1024)·2 + 3·(4096+14336)]
        // = 16 · (16384 + 10240 + 55296) = 1,310,720; × 32 layers = 41,943,040.
        let a = arch("llama-3.1-8b");
        assert_eq!(lora_params(&a, 16.0), 41_943_040.0);
        let k = TrainingKnobs {
            lora_rank: 16,
            ..TrainingKnobs::default()
        };
        let n = a.param_count().total;
        let m = training_memory(&a, n, WeightFormat::Nf4, &k, 1.0, 1.0);
        // Frozen NF4 base + fp32 adapters; gradients and AdamW states only for adapters.
        let base = crate::estimate::precision::weight_bytes(&a, WeightFormat::Nf4);
        assert_eq!(m.weights_bytes, base + 4.0 * 41_943_040.0);
        assert_eq!(m.gradient_bytes, 4.0 * 41_943_040.0);
        assert_eq!(m.optimizer_bytes, 8.0 * 41_943_040.0);
    }
}
