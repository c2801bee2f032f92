//! Number formats: how many bits each weight and each KV-cache element takes.
//!
//! Weight formats carry their true bits per weight *including* their scales and zero points,
//! and say which tensors they leave in higher precision. The bytes of a model's weights are
//! computed tensor group by tensor group in [`weight_bytes`].

use serde::Serialize;

use super::arch::{Architecture, TensorGroup, TensorRole};

/// How a weight format treats the tensors that are not block-linear layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantScope {
    /// Every tensor at the format's width (plain fp32 / fp16 / bf16).
    Everything,
    /// Every 2-D matrix, the token embedding and output head included, at the format's bits per
    /// weight; 1-D tensors (norms, biases) stay F32. This is what llama.cpp's GGUF files do.
    AllMatrices,
    /// Only the linear layers inside the blocks (and routed experts); embeddings, output head,
    /// router, norms and biases stay 16-bit. This is what bitsandbytes, GPTQ, AWQ and the
    /// fp8/int8/int4 weight-only paths of vLLM and Transformers do.
    LinearOnly,
    /// Only the routed experts of MoE layers; attention, shared experts, embeddings, output
    /// head, router, norms and biases stay 16-bit. This is how gpt-oss ships its MXFP4 weights.
    ExpertsOnly,
    /// Routed experts in the format, every other matrix in GGUF Q8_0, the router and all 1-D
    /// tensors F32: llama.cpp's "MXFP4 MoE" file type, as its gpt-oss GGUFs are made.
    ExpertsWithQ8,
}

choice! {
    /// A weight storage format (serialised as its link id).
    #[derive(PartialOrd, Ord)]
    pub enum WeightFormat {
        /// IEEE single precision.
        Fp32 = ("fp32", "FP32"),
        /// IEEE half precision.
        Fp16 = ("fp16", "FP16"),
        /// bfloat16.
        Bf16 = ("bf16", "BF16"),
        /// 8-bit float (E4M3), per-tensor, per-channel or 128×128-block scales (negligible):
        /// W8A8 where the GPU multiplies in FP8, weight-only elsewhere ([`WeightFormat::name_on`]).
        Fp8 = ("fp8", "FP8"),
        /// 8-bit integer weight-only (LLM.int8 / per-channel scales, negligible).
        Int8 = ("int8", "INT8 (weight-only)"),
        /// Idealised 4-bit integers with no scales (a lower bound for any real 4-bit format).
        Int4 = ("int4", "INT4 (ideal, no scales)"),
        /// bitsandbytes NF4, block 64, fp32 absmax per block.
        Nf4 = ("nf4", "NF4 (bitsandbytes)"),
        /// bitsandbytes NF4 with double quantisation of the absmax constants.
        Nf4Dq = ("nf4-dq", "NF4 + double quant"),
        /// GPTQ 4-bit, group size 128.
        GptqInt4 = ("gptq-int4", "GPTQ INT4 g128"),
        /// AWQ 4-bit, group size 128.
        AwqInt4 = ("awq-int4", "AWQ INT4 g128"),
        /// OCP microscaling FP4 (MXFP4) on the MoE experts, as gpt-oss ships them.
        Mxfp4 = ("mxfp4", "MXFP4 (MoE experts)"),
        /// llama.cpp's "MXFP4 MoE" GGUF: MXFP4 experts, Q8_0 for every other matrix.
        Mxfp4Moe = ("mxfp4_moe", "GGUF MXFP4 MoE"),
        /// GGUF Q8_0.
        Q8_0 = ("q8_0", "GGUF Q8_0"),
        /// GGUF Q6_K.
        Q6K = ("q6_k", "GGUF Q6_K"),
        /// GGUF Q5_K_M (a mix of K-quant types).
        Q5KM = ("q5_k_m", "GGUF Q5_K_M"),
        /// GGUF Q4_K_M (a mix of K-quant types).
        Q4KM = ("q4_k_m", "GGUF Q4_K_M"),
        /// GGUF Q4_0.
        Q4_0 = ("q4_0", "GGUF Q4_0"),
        /// GGUF Q3_K_M (a mix of K-quant types).
        Q3KM = ("q3_k_m", "GGUF Q3_K_M"),
        /// GGUF Q2_K (a mix of K-quant types).
        Q2K = ("q2_k", "GGUF Q2_K"),
    }
}

impl WeightFormat {
    /// Bits per weight of the tensors the format quantises, scales and zero points included.
    ///
    /// Sources, with the arithmetic:
    /// - GGUF block formats (ggml `ggml-common.h` block structs): Q8_0 = 32 × 8 bit + fp16 scale
    ///   = 272 bits / 32 = 8.5; Q4_0 = 32 × 4 bit + fp16 scale = 144 / 32 = 4.5; Q6_K = 256 × 6 bit
    ///   + 16 int8 scales + fp16 d = 1680 / 256 = 6.5625.
    /// - GGUF mixes (Q5_K_M, Q4_K_M, Q3_K_M, Q2_K use higher types for some tensors): the
    ///   whole-model bits/weight llama.cpp measured, `tools/quantize/README.md`: Llama-3.1-8B
    ///   table Q5_K_M 5.7036, Q4_K_M 4.8944, Q2_K 3.1593; Q3_K_M 3.91 (Llama 2 7B table). Only
    ///   a label: sizes come from the per-tensor rules in [`super::gguf`], which reproduce the
    ///   Llama-3.1-8B figures.
    /// - bitsandbytes NF4 (Dettmers et al. 2023, QLoRA §3 "Double Quantization"): blocks of 64
    ///   with an fp32 absmax: 4 + 32/64 = 4.5; with double quantisation 4 + 8/64 + 32/(64·256)
    ///   = 4.127 bits.
    /// - GPTQ / AWQ, group size 128 (AutoGPTQ / AutoAWQ checkpoint layout: fp16 `scales` and
    ///   4-bit packed `qzeros` per group): 4 + (16 + 4)/128 = 4.15625.
    /// - fp8 / int8 weight-only: 8 (per-channel scales are 1/hidden of a bit and are ignored).
    /// - MXFP4 (OCP Microscaling Formats (MX) Specification v1.0, §5 and Table 1): blocks of 32
    ///   FP4 (E2M1) elements sharing one 8-bit E8M0 scale: 4 + 8/32 = 4.25 bits. gpt-oss stores
    ///   its MoE expert weights this way and everything else in bf16 (gpt-oss model card,
    ///   arXiv:2508.10925: "post-trained with quantization of the mixture-of-experts (MoE)
    ///   weights to MXFP4 format, where the weights are quantized to 4.25 bits per parameter");
    ///   checkpoints of 12.8 GiB (20b) and 60.8 GiB (120b), Table 1.
    pub fn bits_per_weight(self) -> f64 {
        match self {
            WeightFormat::Fp32 => 32.0,
            WeightFormat::Fp16 | WeightFormat::Bf16 => 16.0,
            WeightFormat::Fp8 | WeightFormat::Int8 => 8.0,
            WeightFormat::Int4 => 4.0,
            WeightFormat::Nf4 => 4.0 + 32.0 / 64.0,
            WeightFormat::Nf4Dq => 4.0 + 8.0 / 64.0 + 32.0 / (64.0 * 256.0),
            WeightFormat::Q8_0 => (32.0 * 8.0 + 16.0) / 32.0,
            WeightFormat::Q6K => (256.0 * 6.0 + 16.0 * 8.0 + 16.0) / 256.0,
            WeightFormat::Q5KM => 5.7036,
            WeightFormat::Q4KM => 4.8944,
            WeightFormat::Q4_0 => (32.0 * 4.0 + 16.0) / 32.0,
            WeightFormat::Q3KM => 3.91,
            WeightFormat::Q2K => 3.1593,
            WeightFormat::GptqInt4 | WeightFormat::AwqInt4 => 4.0 + (16.0 + 4.0) / 128.0,
            WeightFormat::Mxfp4 | WeightFormat::Mxfp4Moe => 4.0 + 8.0 / 32.0,
        }
    }

    /// True for llama.cpp's GGUF formats (the engine that runs them).
    pub fn is_gguf(self) -> bool {
        matches!(self.scope(), QuantScope::AllMatrices | QuantScope::ExpertsWithQ8)
    }

    /// Which tensors the format quantises.
    pub fn scope(self) -> QuantScope {
        match self {
            WeightFormat::Fp32 | WeightFormat::Fp16 | WeightFormat::Bf16 => QuantScope::Everything,
            WeightFormat::Q8_0
            | WeightFormat::Q6K
            | WeightFormat::Q5KM
            | WeightFormat::Q4KM
            | WeightFormat::Q4_0
            | WeightFormat::Q3KM
            | WeightFormat::Q2K => QuantScope::AllMatrices,
            WeightFormat::Mxfp4 => QuantScope::ExpertsOnly,
            WeightFormat::Mxfp4Moe => QuantScope::ExpertsWithQ8,
            _ => QuantScope::LinearOnly,
        }
    }

    /// Bits used for tensors outside the format's scope.
    pub fn other_bits(self) -> f64 {
        match self.scope() {
            QuantScope::Everything => self.bits_per_weight(),
            QuantScope::AllMatrices | QuantScope::ExpertsWithQ8 => 32.0,
            QuantScope::LinearOnly | QuantScope::ExpertsOnly => 16.0,
        }
    }

    /// True for 16- and 32-bit float formats that full training can update in place.
    pub fn is_trainable(self) -> bool {
        self.scope() == QuantScope::Everything
    }

    /// Where the bits-per-weight figure comes from.
    pub fn source(self) -> &'static str {
        match self {
            WeightFormat::Fp32 | WeightFormat::Fp16 | WeightFormat::Bf16 => "IEEE 754 / bfloat16 width",
            WeightFormat::Fp8 | WeightFormat::Int8 | WeightFormat::Int4 => "element width; per-channel scales ignored",
            WeightFormat::Nf4 | WeightFormat::Nf4Dq => "Dettmers et al. 2023 (QLoRA), §3 Double Quantization",
            WeightFormat::Q8_0 | WeightFormat::Q6K => "ggml ggml-common.h block layout",
            WeightFormat::Q4_0 => "ggml ggml-common.h block layout; output layer Q6_K (llama.cpp src/llama-quant.cpp)",
            WeightFormat::Q5KM | WeightFormat::Q4KM | WeightFormat::Q2K | WeightFormat::Q3KM => {
                "llama.cpp src/llama-quant.cpp (llama_tensor_get_type) per tensor; reproduces tools/quantize/README.md's Llama-3.1-8B bits per weight"
            }
            WeightFormat::GptqInt4 | WeightFormat::AwqInt4 => {
                "AutoGPTQ/AutoAWQ layout: fp16 scale + 4-bit zero per 128"
            }
            WeightFormat::Mxfp4 => {
                "OCP MX spec v1.0: 32 FP4 values + one E8M0 scale; gpt-oss model card (arXiv:2508.10925)"
            }
            WeightFormat::Mxfp4Moe => {
                "llama.cpp file type MXFP4 MoE (38): its gpt-oss GGUFs load as \"type f32: 289, q8_0: 98, mxfp4: 72 tensors\", 11.27 GiB for gpt-oss-20b"
            }
        }
    }

    /// One sentence on which tensors stay in higher precision.
    /// The format's name on `gpu`: FP8 checkpoints run as W8A8 (weights and activations in
    /// FP8, FP8 matrix products) on GPUs with FP8 tensor cores, and weight-only elsewhere, where
    /// the weights are widened to 16 bits for each product (vLLM docs, "FP8 W8A8": "only
    /// weight-only FP8 is supported" before Hopper/Ada via the Marlin kernel).
    pub fn name_on(self, gpu: Option<&super::hardware::Gpu>) -> &'static str {
        match self {
            WeightFormat::Fp8 if self.computes_in_fp8_on(gpu) => "FP8 W8A8",
            WeightFormat::Fp8 => "FP8 (weight-only)",
            f => f.label(),
        }
    }

    /// True when this format's matrix products run at the GPU's FP8 rate.
    pub fn computes_in_fp8_on(self, gpu: Option<&super::hardware::Gpu>) -> bool {
        self == WeightFormat::Fp8 && gpu.is_some_and(|g| g.fp8_tflops.is_some())
    }

    pub fn scope_note(self) -> &'static str {
        if super::gguf::is_mix(self) {
            return "a type per tensor as llama.cpp picks it (output Q6_K, some attn_v / ffn_down higher); norms F32";
        }
        match self.scope() {
            QuantScope::Everything => "every tensor at this width",
            QuantScope::AllMatrices => "all matrices incl. embedding and output head; norms and biases F32 (llama.cpp)",
            QuantScope::LinearOnly => "block linear layers only; embeddings, output head, router, norms stay 16-bit",
            QuantScope::ExpertsOnly => {
                "MoE expert matrices only (a dense model stays bf16); attention, embeddings, head, router, norms stay bf16"
            }
            QuantScope::ExpertsWithQ8 => {
                "MoE experts in MXFP4; attention, embeddings and head in Q8_0; router, norms and biases F32 (llama.cpp)"
            }
        }
    }
}

choice! {
    /// KV-cache element format (independent of the weight format): the float widths every
    /// engine has, vLLM's FP8 caches and llama.cpp's block-quantised cache types (`-ctk`/`-ctv`,
    /// common/arg.cpp `kv_cache_types`).
    #[derive(PartialOrd, Ord)]
    pub enum KvDtype {
        /// 32-bit float.
        Fp32 = ("fp32", "FP32"),
        /// 16-bit float (llama.cpp's default `f16`).
        Fp16 = ("fp16", "FP16"),
        /// bfloat16 (vLLM's `auto` for a BF16 model).
        Bf16 = ("bf16", "BF16"),
        /// 8-bit float E4M3 (vLLM `kv_cache_dtype=fp8`, `fp8_e4m3`).
        Fp8 = ("fp8", "FP8 (E4M3)"),
        /// 8-bit float E5M2 (vLLM `kv_cache_dtype=fp8_e5m2`).
        Fp8E5m2 = ("fp8_e5m2", "FP8 (E5M2)"),
        /// 8-bit integer.
        Int8 = ("int8", "INT8"),
        /// 4-bit integer (e.g. KIVI); scales not counted.
        Int4 = ("int4", "INT4"),
        /// llama.cpp `q8_0`: blocks of 32 8-bit values and an fp16 scale.
        Q8_0 = ("q8_0", "q8_0 (llama.cpp)"),
        /// llama.cpp `q5_1`.
        Q5_1 = ("q5_1", "q5_1 (llama.cpp)"),
        /// llama.cpp `q5_0`.
        Q5_0 = ("q5_0", "q5_0 (llama.cpp)"),
        /// llama.cpp `q4_1`.
        Q4_1 = ("q4_1", "q4_1 (llama.cpp)"),
        /// llama.cpp `q4_0`.
        Q4_0 = ("q4_0", "q4_0 (llama.cpp)"),
        /// llama.cpp `iq4_nl`: 4-bit non-linear values, an fp16 scale per 32.
        Iq4Nl = ("iq4_nl", "iq4_nl (llama.cpp)"),
    }
}

impl KvDtype {
    /// Bytes per cached element, block scales included. ggml's block structs (ggml-common.h),
    /// 32 values each: q8_0 = 32 × 1 B + an fp16 scale = 34 B; q5_1 = 32 × 5 bits + fp16 scale
    /// and minimum = 24 B; q5_0 = 20 + 2 = 22 B; q4_1 = 16 + 4 = 20 B; q4_0 and iq4_nl = 16 +
    /// 2 = 18 B (llama.cpp logs "K (q8_0): 2176.00 MiB" for 64 layers × 32,768 tokens × 1,024
    /// values: 34/32 B each).
    pub fn bytes(self) -> f64 {
        match self {
            KvDtype::Fp32 => 4.0,
            KvDtype::Fp16 | KvDtype::Bf16 => 2.0,
            KvDtype::Fp8 | KvDtype::Fp8E5m2 | KvDtype::Int8 => 1.0,
            KvDtype::Int4 => 0.5,
            KvDtype::Q8_0 => 34.0 / 32.0,
            KvDtype::Q5_1 => 24.0 / 32.0,
            KvDtype::Q5_0 => 22.0 / 32.0,
            KvDtype::Q4_1 => 20.0 / 32.0,
            KvDtype::Q4_0 | KvDtype::Iq4Nl => 18.0 / 32.0,
        }
    }

    /// llama.cpp's block-quantised cache types: a quantised V cache needs FlashAttention.
    pub fn is_block_quantised(self) -> bool {
        matches!(
            self,
            KvDtype::Q8_0 | KvDtype::Q5_1 | KvDtype::Q5_0 | KvDtype::Q4_1 | KvDtype::Q4_0 | KvDtype::Iq4Nl
        )
    }
}

/// A weight format in JSON: its link id (`q4_k_m`), as a link writes it.
impl Serialize for WeightFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// A KV-cache type in JSON: its link id (`q8_0`).
impl Serialize for KvDtype {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// Bytes of the weights, summed tensor group by tensor group.
///
/// bytes = Σ params(group) × bits(group) / 8, where bits is the format's bits per weight for
/// the groups in its [`QuantScope`] and [`WeightFormat::other_bits`] for the rest.
pub fn weight_bytes(arch: &Architecture, format: WeightFormat) -> f64 {
    arch.tensors().iter().map(|g| group_bytes(arch, g, format)).sum()
}

/// Bytes of one tensor group under `format`: llama.cpp's per-tensor types for the GGUF mixes
/// ([`super::gguf`]), else the format's bits per weight for the group's role.
pub fn group_bytes(arch: &Architecture, g: &TensorGroup, format: WeightFormat) -> f64 {
    super::gguf::group_bits_total(arch, g, format)
        .unwrap_or_else(|| g.params() * group_bits(g.role, g.is_matrix(), format))
        / 8.0
}

/// Bits per parameter for a tensor group of `role` under `format`.
pub fn group_bits(role: TensorRole, is_matrix: bool, format: WeightFormat) -> f64 {
    if format.scope() == QuantScope::ExpertsWithQ8 {
        return match role {
            TensorRole::Expert => format.bits_per_weight(),
            TensorRole::Router => 32.0,
            _ if is_matrix => WeightFormat::Q8_0.bits_per_weight(),
            _ => 32.0,
        };
    }
    let quantised = match format.scope() {
        QuantScope::Everything => true,
        QuantScope::AllMatrices => is_matrix,
        QuantScope::LinearOnly => matches!(role, TensorRole::Linear | TensorRole::Expert),
        QuantScope::ExpertsOnly => role == TensorRole::Expert,
        QuantScope::ExpertsWithQ8 => false,
    };
    if quantised {
        format.bits_per_weight()
    } else {
        format.other_bits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_cites_its_source_and_says_what_it_covers() {
        // What "show working" prints beside the bits per weight.
        assert!(WeightFormat::Mxfp4.source().starts_with("OCP MX spec v1.0"));
        assert!(WeightFormat::Nf4.source().contains("QLoRA"));
        assert!(WeightFormat::Q4KM.source().contains("llama-quant.cpp"));
        assert_eq!(WeightFormat::Bf16.scope_note(), "every tensor at this width");
        assert!(WeightFormat::Q4KM.scope_note().contains("a type per tensor"));
        assert!(WeightFormat::Q8_0.scope_note().starts_with("all matrices"));
        assert!(
            WeightFormat::GptqInt4
                .scope_note()
                .starts_with("block linear layers only")
        );
        assert!(WeightFormat::Mxfp4.scope_note().starts_with("MoE expert matrices only"));
        for f in WeightFormat::ALL {
            assert!(f.source().len() > 10 && f.scope_note().len() > 10, "{f:?}");
        }
    }

    #[test]
    fn only_float_formats_train_in_place() {
        let trainable: Vec<WeightFormat> = WeightFormat::ALL.into_iter().filter(|f| f.is_trainable()).collect();
        assert_eq!(trainable, [WeightFormat::Fp32, WeightFormat::Fp16, WeightFormat::Bf16]);
    }

    #[test]
    fn every_format_has_its_own_label_naming_it() {
        // What the select, the tab title and the CLI show: GGUF mixes by llama.cpp's own type
        // names, the rest by their common names.
        assert_eq!(WeightFormat::Bf16.label(), "BF16");
        assert_eq!(WeightFormat::Q4KM.label(), "GGUF Q4_K_M");
        assert_eq!(WeightFormat::Mxfp4.label(), "MXFP4 (MoE experts)");
        let labels: std::collections::BTreeSet<&str> = WeightFormat::ALL.iter().map(|f| f.label()).collect();
        assert_eq!(labels.len(), WeightFormat::ALL.len(), "labels are distinct");
        for f in WeightFormat::ALL {
            // Each label names the format: its id, upper-cased, with "-" and "_" read alike.
            let norm = |s: &str| s.to_ascii_uppercase().replace(['-', '_', ' '], "");
            let id = norm(f.id()).replace("NF4DQ", "NF4");
            assert!(norm(f.label()).contains(&id), "{:?}: {} / {}", f, f.label(), f.id());
        }
    }

    #[test]
    fn ids_round_trip() {
        for f in WeightFormat::ALL {
            assert_eq!(WeightFormat::from_id(f.id()), Some(f));
        }
        for k in KvDtype::ALL {
            assert_eq!(KvDtype::from_id(k.id()), Some(k));
        }
        assert_eq!(WeightFormat::from_id("Q4_K_M"), Some(WeightFormat::Q4KM));
        assert_eq!(WeightFormat::from_id("q4"), None);
    }

    #[test]
    fn bits_per_weight_from_block_layouts() {
        // Each row: format, expected bits, the arithmetic from the block struct / paper.
        let rows = [
            (WeightFormat::Q8_0, 8.5, "34 bytes per 32 weights"),
            (WeightFormat::Q4_0, 4.5, "18 bytes per 32 weights"),
            (WeightFormat::Q6K, 6.5625, "210 bytes per 256 weights"),
            (WeightFormat::Nf4, 4.5, "QLoRA §3: 4 + 32/64"),
            (WeightFormat::Nf4Dq, 4.127, "QLoRA §3: 4 + 8/64 + 32/(64·256) = 4.127"),
            (WeightFormat::GptqInt4, 4.15625, "4 + 20/128"),
        ];
        for (f, want, why) in rows {
            let got = f.bits_per_weight();
            assert!((got - want).abs() < 5e-4, "{f:?}: {got} vs {want} ({why})");
        }
    }
}
