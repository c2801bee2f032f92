//! KV cache: the inference activations that persist from token to token.
//!
//! Per layer and token a standard attention layer caches one key and one value vector per KV
//! head: 2 × kv_heads × head_dim elements ("How To Scale Your Model", Austin et al. 2025,
//! inference chapter: KV cache size = 2 · S · L · K · H bytes-per-element per sequence, with
//! S tokens, L layers, K KV heads, H head_dim). Grouped-query and multi-query attention shrink
//! it through K. Multi-head latent attention (DeepSeek-V2 §2.1.2, "only c_t^KV and k_t^R need
//! to be cached") stores one latent of kv_lora_rank + rope_dim elements per layer. Sliding-window
//! layers hold at most W tokens.

use serde::Serialize;

use super::arch::Architecture;
use super::precision::KvDtype;

/// How an engine lays out an MLA model's cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KvLayout {
    /// What the architecture needs: per-head K/V, or the MLA latent.
    Native,
    /// MLA decompressed to per-head K (nope + rope) and V, as engines without MLA kernels do.
    ExpandedMla,
}

/// Elements cached per token in one layer.
pub fn elements_per_token_per_layer(arch: &Architecture, layout: KvLayout) -> f64 {
    match (arch.mla, layout) {
        (Some(m), KvLayout::Native) => (m.kv_lora_rank + m.rope_dim) as f64,
        (Some(m), KvLayout::ExpandedMla) => arch.heads as f64 * ((m.nope_dim + m.rope_dim) + m.v_head_dim) as f64,
        (None, _) => 2.0 * arch.kv_heads as f64 * arch.head_dim as f64,
    }
}

/// Bytes per token of context for one sequence, summed over all layers, before any sliding
/// window caps it.
pub fn bytes_per_token(arch: &Architecture, dtype: KvDtype, layout: KvLayout) -> f64 {
    elements_per_token_per_layer(arch, layout) * dtype.bytes() * arch.layers as f64
}

/// Tokens a layer of each kind holds at context `ctx`: (full layers, sliding layers).
pub fn tokens_held(arch: &Architecture, ctx: f64) -> (f64, f64) {
    let w = arch.attention.window as f64;
    let sliding = if w > 0.0 { ctx.min(w) } else { ctx };
    (ctx, sliding)
}

/// KV-cache bytes for `batch` sequences of `ctx` tokens.
///
/// bytes = batch × per_layer_bytes × (full_layers × ctx + sliding_layers × min(ctx, W)).
pub fn cache_bytes(arch: &Architecture, dtype: KvDtype, layout: KvLayout, ctx: f64, batch: f64) -> f64 {
    let per_layer = elements_per_token_per_layer(arch, layout) * dtype.bytes();
    let (full_layers, sliding_layers) = arch.layer_kinds();
    let (full_tokens, sliding_tokens) = tokens_held(arch, ctx);
    batch * per_layer * (full_layers as f64 * full_tokens + sliding_layers as f64 * sliding_tokens)
}

/// How many times over the GPUs of a tensor-parallel group hold the cache, against one copy
/// split evenly. Each rank keeps max(1, ⌊kv_heads / gpus⌋) KV heads — split while the heads go
/// round, one whole head each (replicated) once the GPUs outnumber them — and an MLA latent is
/// one "head", kept whole on every rank (vllm/config/model.py, `ModelConfig.get_num_kv_heads`:
/// `if self.use_mla: return 1`, else `max(1, total_num_kv_heads // tensor_parallel_size)`).
/// Llama-3.1-8B (8 KV heads) on 16 GPUs: 2; DeepSeek-V3 on 8: 8. An expanded MLA layout splits
/// its per-head K and V by query head like any other.
pub fn tensor_parallel_copies(arch: &Architecture, layout: KvLayout, gpus: u32) -> f64 {
    let g = u64::from(gpus.max(1));
    match (arch.mla, layout) {
        (Some(_), KvLayout::Native) => g as f64,
        (Some(_), KvLayout::ExpandedMla) => (g * (arch.heads / g).max(1)) as f64 / arch.heads.max(1) as f64,
        (None, _) => {
            let kv = arch.kv_heads.max(1);
            ((g * (kv / g).max(1)) as f64 / kv as f64).max(1.0)
        }
    }
}

/// True when every layer slides, so the cache stops growing at the window.
pub fn is_capped(arch: &Architecture) -> bool {
    arch.layer_kinds().0 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::presets;

    use presets::arch_of as arch;

    #[test]
    fn a_layer_holds_the_whole_context_unless_it_slides() {
        // Without a window every token is held; Mistral-7B's 4,096-token window caps it.
        assert_eq!(tokens_held(&arch("llama-3.1-8b"), 8192.0), (8192.0, 8192.0));
        assert_eq!(tokens_held(&arch("mistral-7b-v0.1"), 8192.0), (8192.0, 4096.0));
        assert_eq!(tokens_held(&arch("mistral-7b-v0.1"), 1000.0), (1000.0, 1000.0));
    }

    #[test]
    fn llama_8b_is_128_kib_per_token() {
        // 2 (K,V) × 32 layers × 8 KV heads × 128 head_dim × 2 bytes = 131,072 B/token.
        let a = arch("llama-3.1-8b");
        assert_eq!(bytes_per_token(&a, KvDtype::Bf16, KvLayout::Native), 131_072.0);
        // At 131,072 tokens: 131,072² B = 16 GiB exactly.
        assert_eq!(
            cache_bytes(&a, KvDtype::Bf16, KvLayout::Native, 131_072.0, 1.0),
            17_179_869_184.0
        );
        // fp8 halves it; batch 4 quadruples it.
        assert_eq!(
            cache_bytes(&a, KvDtype::Fp8, KvLayout::Native, 1000.0, 4.0),
            4.0 * 65_536.0 * 1000.0
        );
    }

    #[test]
    fn deepseek_v3_latent_is_70272_bytes_per_token() {
        // (kv_lora_rank 512 + rope 64) × 61 layers × 2 bytes = 70,272 B/token (the figure).
        let a = arch("deepseek-v3");
        assert_eq!(bytes_per_token(&a, KvDtype::Bf16, KvLayout::Native), 70_272.0);
        // Expanded: 128 heads × (192 + 128) × 2 bytes × 61 layers = 4,997,120 B/token.
        assert_eq!(bytes_per_token(&a, KvDtype::Bf16, KvLayout::ExpandedMla), 4_997_120.0);
    }

    #[test]
    fn sliding_windows_cap_local_layers() {
        // Gemma-3-27B: 62 layers, 10 global, 52 local with W = 1024; 16 KV heads × 128 dims.
        let a = arch("gemma-3-27b");
        let per_layer = 2.0 * 16.0 * 128.0 * 2.0; // 8,192 B per token per layer
        let at_32k = cache_bytes(&a, KvDtype::Bf16, KvLayout::Native, 32_768.0, 1.0);
        assert_eq!(at_32k, per_layer * (10.0 * 32_768.0 + 52.0 * 1024.0));
        // Below the window every layer grows.
        let at_512 = cache_bytes(&a, KvDtype::Bf16, KvLayout::Native, 512.0, 1.0);
        assert_eq!(at_512, per_layer * 62.0 * 512.0);
        // Mistral-7B-v0.1 slides on every layer: capped at 4096 tokens.
        let m = arch("mistral-7b-v0.1");
        assert!(is_capped(&m));
        // Gemma-3's global layers (and any model without a window) keep growing.
        assert!(!is_capped(&a) && !is_capped(&arch("llama-3.1-8b")));
        let cap = cache_bytes(&m, KvDtype::Bf16, KvLayout::Native, 4096.0, 1.0);
        assert_eq!(cache_bytes(&m, KvDtype::Bf16, KvLayout::Native, 100_000.0, 1.0), cap);
    }

    #[test]
    fn gqa_is_not_ignored() {
        // Llama-3.1-70B: 8 KV heads of 64 query heads; an MHA-assuming tool would be 8× larger.
        let a = arch("llama-3.1-70b");
        let gqa = bytes_per_token(&a, KvDtype::Bf16, KvLayout::Native);
        assert_eq!(gqa, 2.0 * 80.0 * 8.0 * 128.0 * 2.0);
        let mut mha = a.clone();
        mha.kv_heads = mha.heads;
        assert_eq!(bytes_per_token(&mha, KvDtype::Bf16, KvLayout::Native) / gqa, 8.0);
    }
}
