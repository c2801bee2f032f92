//! Transient inference activations: the working memory of one forward pass.
//!
//! Why is there activation memory at inference at all? Each layer turns the residual stream
//! into queries, keys, values and MLP intermediates before it can add its output back; those
//! tensors live until the layer finishes. Layers run one after another, so only one layer's
//! intermediates are alive at a time, but for a long prompt (prefill) they are as long as the
//! prompt. Decoding one token at a time needs almost nothing beyond the KV cache.
//!
//! Model (a straightforward PyTorch forward, stated on the page):
//! - per layer, t new tokens (t = the prompt, or a chunk of it, in prefill; 1 in decode), b sequences, p bytes per
//!   activation (2 in 16-bit compute, 4 for fp32 weights):
//!   residual x = b·t·h·p stays alive; then the larger of
//!   attention phase = normed input b·t·h·p + Q b·t·(heads·head_dim)·p + K and V
//!   b·t·2·(kv_heads·head_dim)·p + attention output b·t·(heads·head_dim)·p
//!   [+ without FlashAttention the score and probability matrices 2·b·heads·t·ctx·p, the
//!   quadratic term of Dao et al. 2022 §1], and
//!   MLP phase = normed input b·t·h·p + (3 gated | 2 plain) × b·t·f·p, where f is the dense
//!   intermediate size or, for MoE, (experts per token + shared experts) × expert size.
//! - after the last layer, logits for the last position only, b·vocab·(p + 4) (16-bit logits
//!   upcast to fp32 for sampling), which is what generation engines compute (vLLM, and
//!   Transformers' `generate` via `logits_to_keep = 1`). A plain forward over every position
//!   would need b·t·vocab·4 instead; that figure is reported as `full_logits_bytes`.
//!
//! Real engines differ by small factors (fused kernels, preallocated workspaces, chunked
//! prefill); the page says so.

use serde::Serialize;

use super::arch::{Architecture, MlpKind};

/// Peak working memory of inference, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct InferenceActivations {
    /// Peak during prefill of the whole prompt in one pass.
    pub prefill_bytes: f64,
    /// Peak during one decode step.
    pub decode_bytes: f64,
    /// max(prefill, decode): what must fit.
    pub peak_bytes: f64,
    /// Score + probability matrices alone during prefill (0 with FlashAttention).
    pub attention_scores_bytes: f64,
    /// Last-position logits buffer.
    pub logits_bytes: f64,
    /// What full-sequence logits (a plain forward pass) would need, for comparison.
    pub full_logits_bytes: f64,
}

/// Widths of the attention tensors: (q, k, v, output), in elements per token.
pub fn attention_widths(arch: &Architecture) -> (f64, f64, f64, f64) {
    match arch.mla {
        Some(m) => {
            let qk = (arch.heads * (m.nope_dim + m.rope_dim)) as f64;
            let v = (arch.heads * m.v_head_dim) as f64;
            (qk, qk, v, v)
        }
        None => {
            let q = (arch.heads * arch.head_dim) as f64;
            let kv = (arch.kv_heads * arch.head_dim) as f64;
            (q, kv, kv, q)
        }
    }
}

/// Effective MLP intermediate width per token in the widest layer (dense or MoE).
pub fn mlp_width(arch: &Architecture) -> f64 {
    let dense = if arch.dense_layers() > 0 { arch.ffn as f64 } else { 0.0 };
    let moe = match arch.moe {
        Some(m) if arch.moe_layers() > 0 => {
            ((m.experts_active.min(m.experts) + m.shared_experts) * m.expert_ffn) as f64
        }
        _ => 0.0,
    };
    dense.max(moe)
}

/// Longest span a layer attends over at context `ctx` (full layers: ctx; all-sliding: window).
fn attended(arch: &Architecture, ctx: f64) -> f64 {
    let (full, _) = arch.layer_kinds();
    if full > 0 || arch.attention.window == 0 {
        ctx
    } else {
        ctx.min(arch.attention.window as f64)
    }
}

/// Peak bytes of one layer processing `t` new tokens that attend over `span` tokens.
fn layer_peak(arch: &Architecture, t: f64, span: f64, batch: f64, act_bytes: f64, flash: bool) -> (f64, f64) {
    let h = arch.hidden as f64;
    let (q, k, v, o) = attention_widths(arch);
    let bt = batch * t * act_bytes;
    let residual = bt * h;
    let scores = if flash {
        0.0
    } else {
        2.0 * batch * arch.heads as f64 * t * span * act_bytes
    };
    let attn = bt * (h + q + k + v + o) + scores;
    let mats = match arch.mlp {
        MlpKind::Gated => 3.0,
        MlpKind::Plain => 2.0,
    };
    let mlp = bt * (h + mats * mlp_width(arch));
    (residual + attn.max(mlp), scores)
}

/// Transient activation memory for `batch` sequences with a `ctx`-token context, all prompts
/// processed in one pass.
pub fn inference_activations(
    arch: &Architecture,
    ctx: f64,
    batch: f64,
    act_bytes: f64,
    flash: bool,
) -> InferenceActivations {
    inference_activations_chunked(arch, ctx, batch, act_bytes, flash, f64::INFINITY)
}

/// As [`inference_activations`], with prompts processed at most `chunk` tokens per forward
/// pass in total (chunked prefill: the engine's per-step token budget is shared by all
/// sequences). Each pass holds intermediates for min(batch × ctx, chunk) new tokens, attending
/// over the whole context so far.
pub fn inference_activations_chunked(
    arch: &Architecture,
    ctx: f64,
    batch: f64,
    act_bytes: f64,
    flash: bool,
    chunk: f64,
) -> InferenceActivations {
    let vocab = arch.vocab as f64;
    let h = arch.hidden as f64;
    let span = attended(arch, ctx);
    let tokens = (batch * ctx).min(chunk.max(1.0));
    let logits_bytes = batch * vocab * (act_bytes + 4.0);
    let (prefill_layer, scores) = layer_peak(arch, tokens, span, 1.0, act_bytes, flash);
    let prefill_head = tokens * h * act_bytes + logits_bytes;
    let prefill_bytes = prefill_layer.max(prefill_head);
    let (decode_layer, _) = layer_peak(arch, 1.0, span, batch, act_bytes, flash);
    let decode_bytes = decode_layer.max(batch * h * act_bytes + logits_bytes);
    InferenceActivations {
        prefill_bytes,
        decode_bytes,
        peak_bytes: prefill_bytes.max(decode_bytes),
        attention_scores_bytes: scores,
        logits_bytes,
        full_logits_bytes: batch * ctx * vocab * 4.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::presets;

    use presets::arch_of as arch;

    #[test]
    fn llama_8b_prefill_by_hand() {
        // s = 8192, b = 1, p = 2, FlashAttention:
        // residual 8192·4096·2 = 67,108,864
        // attention phase: (4096 + 4096 + 1024 + 1024 + 4096)·8192·2 = 234,881,024
        // MLP phase: (4096 + 3·14336)·8192·2 = 771,751,936 (larger)
        // peak = 67,108,864 + 771,751,936 = 838,860,800.
        let a = arch("llama-3.1-8b");
        let act = inference_activations(&a, 8192.0, 1.0, 2.0, true);
        assert_eq!(act.prefill_bytes, 838_860_800.0);
        assert_eq!(act.attention_scores_bytes, 0.0);
        // Without FlashAttention the scores appear: 2 · 32 heads · 8192² · 2 bytes = 8 GiB.
        let eager = inference_activations(&a, 8192.0, 1.0, 2.0, false);
        assert_eq!(eager.attention_scores_bytes, 8_589_934_592.0);
        assert_eq!(eager.prefill_bytes, 67_108_864.0 + 234_881_024.0 + 8_589_934_592.0);
        // Logits for the last position: 128,256 × (2 + 4) bytes.
        assert_eq!(act.logits_bytes, 769_536.0);
        assert_eq!(act.full_logits_bytes, 8192.0 * 128_256.0 * 4.0);
    }

    #[test]
    fn chunked_prefill_stops_growing_at_the_chunk() {
        // 131,072 tokens in chunks of 8,192 hold the same MLP intermediates as one 8,192 pass.
        let a = arch("llama-3.1-8b");
        let one = inference_activations(&a, 8192.0, 1.0, 2.0, true);
        let long = inference_activations_chunked(&a, 131_072.0, 1.0, 2.0, true, 8192.0);
        assert_eq!(long.prefill_bytes, one.prefill_bytes);
        // Without FlashAttention a chunk's scores span the whole context: 2·32·8192·131072·2.
        let eager = inference_activations_chunked(&a, 131_072.0, 1.0, 2.0, false, 8192.0);
        assert_eq!(eager.attention_scores_bytes, 2.0 * 32.0 * 8192.0 * 131_072.0 * 2.0);
    }

    #[test]
    fn decode_is_small_and_grows_with_batch() {
        let a = arch("llama-3.1-8b");
        let one = inference_activations(&a, 8192.0, 1.0, 2.0, true);
        let many = inference_activations(&a, 8192.0, 64.0, 2.0, true);
        assert!(one.decode_bytes < 2e6, "{}", one.decode_bytes);
        assert_eq!(many.decode_bytes, 64.0 * one.decode_bytes);
    }

    #[test]
    fn moe_mlp_width_counts_active_and_shared_experts() {
        // DeepSeek-V3: dense layers ffn 18432 vs MoE (8 + 1) × 2048 = 18432; Mixtral 2 × 14336.
        assert_eq!(mlp_width(&arch("deepseek-v3")), 18_432.0);
        assert_eq!(mlp_width(&arch("mixtral-8x7b")), 28_672.0);
    }

    #[test]
    fn mla_attention_is_as_wide_as_its_heads_not_its_latent() {
        // DeepSeek-V3 (config.json): 128 heads; each query and key is 128 nope + 64 rope = 192
        // wide, each value and output 128: 128 × 192 = 24,576 and 128 × 128 = 16,384.
        assert_eq!(
            attention_widths(&arch("deepseek-v3")),
            (24_576.0, 24_576.0, 16_384.0, 16_384.0)
        );
        // Grouped-query attention (Llama-3.1-8B): 32 × 128 = 4,096 for q and o, 8 × 128 = 1,024
        // for k and v.
        assert_eq!(
            attention_widths(&arch("llama-3.1-8b")),
            (4096.0, 1024.0, 1024.0, 4096.0)
        );
    }

    #[test]
    fn the_mlp_width_counts_only_the_layers_that_exist() {
        use crate::estimate::arch::Moe;
        let moe = |a: &Architecture| a.moe.unwrap_or_else(|| panic!("an MoE preset"));
        // Every Mixtral layer is MoE, so its dense `ffn` never runs: a dense width of 50,000
        // changes nothing, the width stays 2 × 14,336 = 28,672.
        let mut mixtral = arch("mixtral-8x7b");
        mixtral.ffn = 50_000;
        assert_eq!(mlp_width(&mixtral), 28_672.0);
        // DeepSeek-V3 with every layer MoE: (8 routed + 1 shared) × 2,048 = 18,432.
        let mut all_moe = arch("deepseek-v3");
        all_moe.moe = Some(Moe {
            dense_layers: 0,
            ..moe(&all_moe)
        });
        all_moe.ffn = 1;
        assert_eq!(mlp_width(&all_moe), 18_432.0);
        // …and with every layer dense, experts 4,096 wide do not count: the dense 18,432.
        let mut all_dense = arch("deepseek-v3");
        all_dense.moe = Some(Moe {
            dense_layers: 61,
            expert_ffn: 4096,
            ..moe(&all_dense)
        });
        assert_eq!(mlp_width(&all_dense), 18_432.0);
    }

    #[test]
    fn a_window_caps_the_span_only_when_every_layer_slides() {
        // Mistral 7B v0.1: every layer slides over 4,096 tokens.
        let m = arch("mistral-7b-v0.1");
        assert_eq!(attended(&m, 32_768.0), 4096.0);
        assert_eq!(attended(&m, 1000.0), 1000.0);
        // Gemma 2 9B alternates sliding and global layers: a global layer sees everything.
        assert_eq!(attended(&arch("gemma-2-9b"), 32_768.0), 32_768.0);
        // No window (Llama): the whole context.
        assert_eq!(attended(&arch("llama-3.1-8b"), 32_768.0), 32_768.0);
    }

    #[test]
    fn decode_scores_grow_with_the_batch_without_flash_attention() {
        // Llama-3.1-8B, one decode step for 4 sequences at 8,192 tokens, 2-byte activations:
        // b·t·p = 8; residual 8·4,096 = 32,768; scores 2·4·32 heads·1·8,192·2 = 4,194,304;
        // attention phase 8·(4,096 + 4,096 + 1,024 + 1,024 + 4,096) + scores = 4,308,992,
        // above the MLP phase 8·(4,096 + 3·14,336) = 376,832; the head's 8·4,096 + logits
        // 4·128,256·6 = 3,110,912 is smaller. Peak: 32,768 + 4,308,992 = 4,341,760.
        let a = arch("llama-3.1-8b");
        let act = inference_activations(&a, 8192.0, 4.0, 2.0, false);
        assert_eq!(act.decode_bytes, 4_341_760.0);
    }

    #[test]
    fn for_one_token_the_logits_outweigh_a_layer() {
        // Llama-3.1-8B, 1 token, 1 sequence, 2-byte activations, FlashAttention: a layer holds
        // 1·4,096·2 = 8,192 of residual + the MLP phase 2·(4,096 + 3·14,336) = 94,208 = 102,400;
        // the head holds the last hidden state 1·4,096·2 = 8,192 + logits 128,256·(2 + 4) =
        // 769,536 = 777,728, the larger. Prefilling a 1-token prompt and decoding one token cost
        // the same.
        let a = arch("llama-3.1-8b");
        let act = inference_activations(&a, 1.0, 1.0, 2.0, true);
        assert_eq!(act.prefill_bytes, 777_728.0);
        assert_eq!(act.decode_bytes, 777_728.0);
        // 3 sequences decoding: 3·8,192 + 3·769,536 = 2,333,184 (the head still leads: the
        // layer is 3·102,400).
        assert_eq!(inference_activations(&a, 1.0, 3.0, 2.0, true).decode_bytes, 2_333_184.0);
    }
}
