//! GGUF mixes tensor by tensor: which ggml type llama.cpp gives each tensor of a model when it
//! quantises to Q2_K, Q3_K_M, Q4_K_M, Q5_K_M or Q4_0, so a mix's size follows the model's own
//! tensor list instead of one model's average bits per weight.
//!
//! The rules are llama.cpp's `llama_tensor_get_type_impl` (src/llama-quant.cpp), for the
//! tensors our architectures have:
//! - the output layer (and a tied token embedding, which doubles as it) → Q6_K;
//! - `attn_v` (and MLA's `attn_kv_b`): Q2_K → Q4_K with ≥ 4 query heads per KV head, else Q3_K;
//!   Q3_K_M → Q5_K for the first two, then Q4_K; Q4_K_M / Q5_K_M → Q6_K on the layers
//!   `use_more_bits` picks; a 70B-class model (80 layers) bumps Q3_K / Q4_K to Q5_K; an
//!   8-expert model → Q8_0;
//! - `attn_k` of an 8-expert model → Q8_0;
//! - `ffn_down`: Q2_K → Q3_K; Q3_K_M → Q5_K on the first n/16, else Q4_K; Q4_K_M / Q5_K_M → Q6_K
//!   where `use_more_bits`;
//! - `attn_output`: an 8-expert model → Q5_K for Q2_K, Q3_K_M and Q4_K_M; otherwise Q2_K → Q3_K
//!   and Q3_K_M → Q4_K;
//! - a fused `attn_qkv`: Q3_K_M → Q4_K, Q4_K_M → Q5_K, Q5_K_M → Q6_K;
//! - everything else 2-D at the mix's base type; norms and biases F32, the MoE router F32.
//!
//! `use_more_bits(i, n) = i < n/8 || i ≥ 7n/8 || (i − n/8) mod 3 = 2`. Bits per weight of each
//! type from ggml's block structs (ggml-common.h): Q2_K 84 B / 256 = 2.625, Q3_K 110 / 256 =
//! 3.4375, Q4_K 144 / 256 = 4.5, Q5_K 176 / 256 = 5.5, Q6_K 210 / 256 = 6.5625, Q8_0 34 / 32 =
//! 8.5, Q4_0 18 / 32 = 4.5.

use super::arch::{Architecture, TensorGroup, TensorRole};
use super::precision::WeightFormat;

/// A ggml tensor type's bits per weight.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Type {
    Q2K,
    Q3K,
    Q4K,
    Q5K,
    Q6K,
    Q8_0,
    Q4_0,
    F32,
}

impl Type {
    fn bits(self) -> f64 {
        match self {
            Type::Q2K => 84.0 * 8.0 / 256.0,
            Type::Q3K => 110.0 * 8.0 / 256.0,
            Type::Q4K => 144.0 * 8.0 / 256.0,
            Type::Q5K => 176.0 * 8.0 / 256.0,
            Type::Q6K => 210.0 * 8.0 / 256.0,
            Type::Q8_0 => 34.0 * 8.0 / 32.0,
            Type::Q4_0 => 18.0 * 8.0 / 32.0,
            Type::F32 => 32.0,
        }
    }
}

/// llama.cpp's tensor categories (`tensor_category`), as far as our tensor list needs them.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Category {
    TokenEmbd,
    Output,
    AttnQ,
    AttnK,
    AttnV,
    AttnKvB,
    AttnQkv,
    AttnOutput,
    FfnGate,
    FfnUp,
    FfnDown,
    Other,
}

fn use_more_bits(i: u64, n: u64) -> bool {
    i < n / 8 || i >= 7 * n / 8 || (i as i64 - (n / 8) as i64).rem_euclid(3) == 2
}

/// The mixes this module sizes; other formats keep their fixed bits per weight.
pub fn is_mix(format: WeightFormat) -> bool {
    matches!(
        format,
        WeightFormat::Q2K | WeightFormat::Q3KM | WeightFormat::Q4KM | WeightFormat::Q5KM | WeightFormat::Q4_0
    )
}

struct Model {
    experts: u64,
    gqa: u64,
    class_70b: bool,
    tied: bool,
}

fn base(format: WeightFormat) -> Type {
    match format {
        WeightFormat::Q2K => Type::Q2K,
        WeightFormat::Q3KM => Type::Q3K,
        WeightFormat::Q4KM => Type::Q4K,
        WeightFormat::Q5KM => Type::Q5K,
        _ => Type::Q4_0,
    }
}

/// The type of one tensor of `category` in block `i` of `n` (the counter llama.cpp keeps for
/// that category).
fn tensor_type(m: &Model, format: WeightFormat, category: Category, i: u64, n: u64) -> Type {
    use WeightFormat as F;
    let b = base(format);
    match category {
        Category::Output => Type::Q6K,
        Category::TokenEmbd => {
            if m.tied {
                Type::Q6K
            } else {
                b
            }
        }
        Category::AttnV | Category::AttnKvB => {
            let mut t = match format {
                F::Q2K => {
                    if m.gqa >= 4 {
                        Type::Q4K
                    } else {
                        Type::Q3K
                    }
                }
                F::Q3KM => {
                    if i < 2 {
                        Type::Q5K
                    } else {
                        Type::Q4K
                    }
                }
                F::Q4KM | F::Q5KM if use_more_bits(i, n) => Type::Q6K,
                _ => b,
            };
            if m.class_70b && matches!(t, Type::Q3K | Type::Q4K) {
                t = Type::Q5K;
            }
            if m.experts == 8 {
                t = Type::Q8_0;
            }
            t
        }
        Category::AttnK if m.experts == 8 => Type::Q8_0,
        Category::FfnDown => match format {
            F::Q2K => Type::Q3K,
            F::Q3KM => {
                if i < n / 16 {
                    Type::Q5K
                } else {
                    Type::Q4K
                }
            }
            F::Q4KM | F::Q5KM if use_more_bits(i, n) => Type::Q6K,
            _ => b,
        },
        Category::AttnOutput => {
            if m.experts == 8 {
                if matches!(format, F::Q2K | F::Q3KM | F::Q4KM) {
                    Type::Q5K
                } else {
                    b
                }
            } else {
                match format {
                    F::Q2K => Type::Q3K,
                    F::Q3KM => Type::Q4K,
                    _ => b,
                }
            }
        }
        Category::AttnQkv => match format {
            F::Q3KM => Type::Q4K,
            F::Q4KM => Type::Q5K,
            F::Q5KM => Type::Q6K,
            _ => b,
        },
        Category::AttnQ | Category::AttnK | Category::FfnGate | Category::FfnUp | Category::Other => b,
    }
}

fn category(name: &str, role: TensorRole) -> Category {
    match role {
        TensorRole::Embedding => Category::TokenEmbd,
        TensorRole::LmHead => Category::Output,
        _ if name.ends_with(".q_proj") => Category::AttnQ,
        _ if name.ends_with(".k_proj") => Category::AttnK,
        _ if name.ends_with(".v_proj") => Category::AttnV,
        _ if name.ends_with(".kv_b_proj") => Category::AttnKvB,
        _ if name.ends_with(".qkv_proj") => Category::AttnQkv,
        _ if name.ends_with(".o_proj") => Category::AttnOutput,
        _ if name.ends_with(".gate_proj") => Category::FfnGate,
        _ if name.ends_with(".up_proj") => Category::FfnUp,
        _ if name.ends_with(".down_proj") => Category::FfnDown,
        _ => Category::Other,
    }
}

/// Bits of one tensor group under a mix, summed over its copies (bits × params), or `None`
/// when the format is not a mix this module sizes.
pub fn group_bits_total(arch: &Architecture, g: &TensorGroup, format: WeightFormat) -> Option<f64> {
    if !is_mix(format) {
        return None;
    }
    let experts = arch.moe.map_or(1, |m| m.experts.max(1));
    let m = Model {
        experts,
        gqa: arch.heads.checked_div(arch.kv_heads).unwrap_or(1),
        // llama.cpp's LLM_TYPE_70B: the 80-layer Llama 2 / 3 and Qwen2 models.
        class_70b: arch.layers == 80,
        tied: arch.tied_embeddings,
    };
    let per_tensor = (g.rows * g.cols) as f64;
    if !g.is_matrix() || g.role == TensorRole::Router || g.role == TensorRole::Position {
        // Norms, biases, the router and learned positions are not quantised: F32.
        return Some(g.params() * Type::F32.bits());
    }
    let n = arch.layers.max(1);
    let dense = arch.dense_layers();
    let moe_layers = arch.moe_layers();
    let shared = arch.moe.is_some_and(|m| m.shared_experts > 0);
    // llama.cpp counts every tensor whose name holds "ffn_down": dense blocks, and per MoE
    // block the merged experts and the shared experts.
    let n_ffn_down = dense + moe_layers * (1 + u64::from(shared));
    let sum_over = |cat: Category, blocks: std::ops::Range<u64>, count: u64, per_block: f64| -> f64 {
        blocks
            .map(|i| tensor_type(&m, format, cat, i, count).bits() * per_block)
            .sum()
    };
    let total = match g.role {
        TensorRole::Expert => {
            // Merged expert tensors per MoE block: gate, up (plain MLPs: none) and down.
            let k = arch.mlp_matrices();
            let per_block = per_tensor * arch.moe.map_or(0, |mo| mo.experts) as f64;
            let first = dense;
            let down = sum_over(Category::FfnDown, first..first + moe_layers, n_ffn_down, per_block);
            down + (k - 1) as f64 * sum_over(Category::FfnUp, first..first + moe_layers, n, per_block)
        }
        _ if g.name.contains("shared_experts") => {
            let k = arch.mlp_matrices();
            let per_block = per_tensor * arch.moe.map_or(0, |mo| mo.shared_experts) as f64;
            let first = dense;
            let down = sum_over(Category::FfnDown, first..first + moe_layers, n_ffn_down, per_block);
            down + (k - 1) as f64 * sum_over(Category::FfnUp, first..first + moe_layers, n, per_block)
        }
        TensorRole::Embedding | TensorRole::LmHead => {
            tensor_type(&m, format, category(g.name, g.role), 0, 1).bits() * g.params()
        }
        _ => {
            let cat = category(g.name, g.role);
            // One tensor per block, blocks counted from the first (dense MLPs sit in the first
            // blocks of a model with leading dense layers).
            let blocks = 0..g.copies;
            let count = match cat {
                Category::FfnDown => n_ffn_down.max(1),
                _ => g.copies.max(1),
            };
            sum_over(cat, blocks, count, per_tensor)
        }
    };
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_more_bits_picks_half_of_32_layers() {
        // i < 4, i ≥ 28, and (i − 4) mod 3 = 2 for i in 6, 9, …, 27: 4 + 4 + 8 = 16 of 32.
        let picked: Vec<u64> = (0..32).filter(|i| use_more_bits(*i, 32)).collect();
        assert_eq!(picked, [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31]);
        // 80 layers (a 70B): i < 10, i ≥ 70, and i = 12, 15, …, 69.
        let picked: Vec<u64> = (0..80).filter(|i| use_more_bits(*i, 80)).collect();
        assert_eq!(picked.len(), 10 + 10 + 20);
        assert!(picked.contains(&12) && !picked.contains(&10) && !picked.contains(&11) && picked.contains(&69));
        // 28 layers (Qwen2.5-7B), not a multiple of 8: 28 / 8 = 3 and 7 · 28 / 8 = 24 in integers.
        let picked: Vec<u64> = (0..28).filter(|i| use_more_bits(*i, 28)).collect();
        assert_eq!(picked, [0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 24, 25, 26, 27]);
    }

    #[test]
    fn bits_per_weight_are_ggmls_block_sizes() {
        // ggml-common.h: block_q2_K 84 B, q3_K 110 B, q4_K 144 B, q5_K 176 B, q6_K 210 B per
        // 256 weights; block_q8_0 34 B and block_q4_0 18 B per 32.
        let rows = [
            (Type::Q2K, 2.625),
            (Type::Q3K, 3.4375),
            (Type::Q4K, 4.5),
            (Type::Q5K, 5.5),
            (Type::Q6K, 6.5625),
            (Type::Q8_0, 8.5),
            (Type::Q4_0, 4.5),
            (Type::F32, 32.0),
        ];
        for (t, bits) in rows {
            assert_eq!(t.bits(), bits, "{t:?}");
        }
    }

    const DENSE: Model = Model {
        experts: 1,
        gqa: 4,
        class_70b: false,
        tied: false,
    };

    #[test]
    fn each_mix_keeps_its_base_type_where_no_rule_applies() {
        use WeightFormat as F;
        for (f, t) in [
            (F::Q2K, Type::Q2K),
            (F::Q3KM, Type::Q3K),
            (F::Q4KM, Type::Q4K),
            (F::Q5KM, Type::Q5K),
            (F::Q4_0, Type::Q4_0),
        ] {
            assert_eq!(tensor_type(&DENSE, f, Category::FfnGate, 5, 32), t, "{f:?}");
            assert_eq!(tensor_type(&DENSE, f, Category::AttnQ, 5, 32), t, "{f:?}");
            assert_eq!(tensor_type(&DENSE, f, Category::Output, 0, 1), Type::Q6K, "{f:?}");
            assert_eq!(tensor_type(&DENSE, f, Category::TokenEmbd, 0, 1), t, "{f:?}: untied");
            let tied = Model { tied: true, ..DENSE };
            assert_eq!(
                tensor_type(&tied, f, Category::TokenEmbd, 0, 1),
                Type::Q6K,
                "{f:?}: tied"
            );
        }
    }

    #[test]
    fn attention_v_and_ffn_down_follow_llama_cpps_rules() {
        use WeightFormat as F;
        let mha = Model { gqa: 1, ..DENSE };
        // Q2_K: attn_v Q4_K with ≥ 4 query heads per KV head, else Q3_K; ffn_down Q3_K.
        assert_eq!(tensor_type(&DENSE, F::Q2K, Category::AttnV, 9, 32), Type::Q4K);
        assert_eq!(tensor_type(&mha, F::Q2K, Category::AttnV, 9, 32), Type::Q3K);
        assert_eq!(tensor_type(&DENSE, F::Q2K, Category::FfnDown, 9, 32), Type::Q3K);
        // Q3_K_M: attn_v Q5_K on blocks 0 and 1, then Q4_K; ffn_down Q5_K on the first n/16.
        let v: Vec<Type> = (0..4)
            .map(|i| tensor_type(&DENSE, F::Q3KM, Category::AttnV, i, 32))
            .collect();
        assert_eq!(v, [Type::Q5K, Type::Q5K, Type::Q4K, Type::Q4K]);
        let down: Vec<Type> = (0..3)
            .map(|i| tensor_type(&DENSE, F::Q3KM, Category::FfnDown, i, 32))
            .collect();
        assert_eq!(down, [Type::Q5K, Type::Q5K, Type::Q4K], "32 / 16 = 2 blocks");
        // Q4_K_M and Q5_K_M: Q6_K where use_more_bits picks (block 6), the base elsewhere (5).
        for (f, b) in [(F::Q4KM, Type::Q4K), (F::Q5KM, Type::Q5K)] {
            for cat in [Category::AttnV, Category::FfnDown] {
                assert_eq!(tensor_type(&DENSE, f, cat, 6, 32), Type::Q6K, "{f:?} {cat:?}");
                assert_eq!(tensor_type(&DENSE, f, cat, 5, 32), b, "{f:?} {cat:?}");
            }
        }
        // A 70B-class model lifts attn_v's Q3_K / Q4_K to Q5_K.
        let big = Model {
            class_70b: true,
            ..DENSE
        };
        assert_eq!(tensor_type(&big, F::Q3KM, Category::AttnV, 9, 80), Type::Q5K);
        assert_eq!(tensor_type(&big, F::Q4KM, Category::AttnV, 11, 80), Type::Q5K);
        assert_eq!(tensor_type(&big, F::Q4KM, Category::AttnV, 12, 80), Type::Q6K);
    }

    #[test]
    fn eight_experts_and_fused_qkv_get_more_bits() {
        use WeightFormat as F;
        let moe8 = Model { experts: 8, ..DENSE };
        for f in [F::Q2K, F::Q3KM, F::Q4KM, F::Q5KM] {
            assert_eq!(tensor_type(&moe8, f, Category::AttnV, 5, 32), Type::Q8_0, "{f:?}");
            assert_eq!(tensor_type(&moe8, f, Category::AttnK, 5, 32), Type::Q8_0, "{f:?}");
        }
        assert_eq!(
            tensor_type(&DENSE, F::Q4KM, Category::AttnK, 5, 32),
            Type::Q4K,
            "not 8 experts"
        );
        for (f, t) in [
            (F::Q2K, Type::Q5K),
            (F::Q3KM, Type::Q5K),
            (F::Q4KM, Type::Q5K),
            (F::Q5KM, Type::Q5K),
        ] {
            assert_eq!(tensor_type(&moe8, f, Category::AttnOutput, 5, 32), t, "{f:?}");
        }
        let moe16 = Model { experts: 16, ..DENSE };
        assert_eq!(tensor_type(&moe16, F::Q4KM, Category::AttnOutput, 5, 32), Type::Q4K);
        assert_eq!(tensor_type(&moe16, F::Q4KM, Category::AttnK, 5, 32), Type::Q4K);
        // Dense attn_output: Q2_K → Q3_K, Q3_K_M → Q4_K, the others at their base.
        assert_eq!(tensor_type(&DENSE, F::Q2K, Category::AttnOutput, 5, 32), Type::Q3K);
        assert_eq!(tensor_type(&DENSE, F::Q3KM, Category::AttnOutput, 5, 32), Type::Q4K);
        assert_eq!(tensor_type(&DENSE, F::Q4KM, Category::AttnOutput, 5, 32), Type::Q4K);
        // A fused attn_qkv: one step up from Q3_K_M, Q4_K_M and Q5_K_M.
        assert_eq!(tensor_type(&DENSE, F::Q3KM, Category::AttnQkv, 5, 32), Type::Q4K);
        assert_eq!(tensor_type(&DENSE, F::Q4KM, Category::AttnQkv, 5, 32), Type::Q5K);
        assert_eq!(tensor_type(&DENSE, F::Q5KM, Category::AttnQkv, 5, 32), Type::Q6K);
        assert_eq!(tensor_type(&DENSE, F::Q2K, Category::AttnQkv, 5, 32), Type::Q2K);
    }

    #[test]
    fn tensor_names_map_to_llama_cpps_categories() {
        let rows = [
            ("layers.*.attn.q_proj", Category::AttnQ),
            ("layers.*.attn.k_proj", Category::AttnK),
            ("layers.*.attn.v_proj", Category::AttnV),
            ("layers.*.attn.kv_b_proj", Category::AttnKvB),
            ("layers.*.attn.qkv_proj", Category::AttnQkv),
            ("layers.*.attn.o_proj", Category::AttnOutput),
            ("layers.*.mlp.gate_proj", Category::FfnGate),
            ("layers.*.mlp.up_proj", Category::FfnUp),
            ("layers.*.mlp.down_proj", Category::FfnDown),
            ("layers.*.attn.q_a_proj", Category::Other),
        ];
        for (name, cat) in rows {
            assert_eq!(category(name, TensorRole::Linear), cat, "{name}");
        }
        assert_eq!(category("embed_tokens", TensorRole::Embedding), Category::TokenEmbd);
        assert_eq!(category("lm_head", TensorRole::LmHead), Category::Output);
    }
}
