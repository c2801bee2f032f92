//! Transformer architecture: the shape of a model and every parameter tensor it implies.
//!
//! The parameter count is never typed in: it is the sum over [`Architecture::tensors`], which
//! lists the same matrices the reference implementations (Hugging Face `modeling_*.py`) create.
//! Tests in `tests/presets.rs` check the sum against the published counts of real models
//! (e.g. Llama-3.1-8B = 8,030,261,248; Mixtral-8x7B = 46,702,792,704 total).

use serde::{Deserialize, Serialize};

/// Feed-forward block type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MlpKind {
    /// Gated (SwiGLU / GeGLU): gate, up and down projections, 3 matrices of hidden × ffn.
    Gated,
    /// Plain two-matrix MLP (GPT-3, Falcon, Gopher): up and down, 2 matrices.
    Plain,
}

impl MlpKind {
    /// Every variant in declaration order, so `VARIANTS[i]` is the variant serde numbers `i`
    /// (how `build.rs` writes a catalog's enums as Rust).
    pub const VARIANTS: [Self; 2] = [Self::Gated, Self::Plain];
}

/// Normalisation layer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NormKind {
    /// RMSNorm (Zhang & Sennrich 2019): one weight vector.
    Rms,
    /// LayerNorm (Ba et al. 2016): weight and bias vectors.
    Layer,
}

impl NormKind {
    /// Every variant in declaration order, so `VARIANTS[i]` is the variant serde numbers `i`
    /// (how `build.rs` writes a catalog's enums as Rust).
    pub const VARIANTS: [Self; 2] = [Self::Rms, Self::Layer];
}

/// Which attention projections carry a bias vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttnBias {
    /// No attention bias (Llama, Mistral, Gemma).
    None,
    /// Bias on q, k, v but not on the output projection (Qwen2 / Qwen2.5).
    Qkv,
    /// Bias on q, k, v and output (GPT-2 / GPT-3).
    All,
}

impl AttnBias {
    /// Every variant in declaration order, so `VARIANTS[i]` is the variant serde numbers `i`
    /// (how `build.rs` writes a catalog's enums as Rust).
    pub const VARIANTS: [Self; 3] = [Self::None, Self::Qkv, Self::All];
}

/// Mixture-of-experts feed-forward layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moe {
    /// Routed experts per MoE layer (`num_local_experts`, `n_routed_experts`).
    pub experts: u64,
    /// Routed experts each token uses (`num_experts_per_tok`).
    pub experts_active: u64,
    /// Always-active shared experts (DeepSeek `n_shared_experts`).
    #[serde(default)]
    pub shared_experts: u64,
    /// Intermediate size of one expert (`moe_intermediate_size`; Mixtral: `intermediate_size`).
    pub expert_ffn: u64,
    /// Leading layers that keep a dense MLP (DeepSeek `first_k_dense_replace`).
    #[serde(default)]
    pub dense_layers: u64,
    /// Per-expert router bias (DeepSeek-V3 `e_score_correction_bias`; gpt-oss's router
    /// linear bias).
    #[serde(default)]
    pub router_bias: bool,
    /// Biases on each expert's projections (gpt-oss `gate_up_proj_bias`, `down_proj_bias`:
    /// transformers/models/gpt_oss/modeling_gpt_oss.py, `GptOssExperts`).
    #[serde(default)]
    pub expert_bias: bool,
}

impl Moe {
    /// What turning experts on starts from: Mixtral-8x7B's routing, 8 experts with 2 per token
    /// (Jiang et al. 2024, "Mixtral of Experts", §2.1), each expert as wide as the dense MLP.
    pub fn starting_point(ffn: u64) -> Moe {
        Moe {
            experts: 8,
            experts_active: 2,
            shared_experts: 0,
            expert_ffn: ffn,
            dense_layers: 0,
            router_bias: false,
            expert_bias: false,
        }
    }
}

/// Multi-head latent attention (DeepSeek-V2/V3, arXiv:2405.04434 §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mla {
    /// Query compression rank (`q_lora_rank`); 0 means queries are not compressed.
    pub q_lora_rank: u64,
    /// Key/value latent rank (`kv_lora_rank`): what the KV cache stores.
    pub kv_lora_rank: u64,
    /// Decoupled rotary key dimension (`qk_rope_head_dim`), cached once per token.
    pub rope_dim: u64,
    /// Non-rotary query/key head dimension (`qk_nope_head_dim`).
    pub nope_dim: u64,
    /// Value head dimension (`v_head_dim`).
    pub v_head_dim: u64,
}

impl Mla {
    /// What turning MLA on starts from, and what a config.json that omits a dimension gets:
    /// DeepSeek-V3's latent and head dimensions (config.json: `kv_lora_rank` 512,
    /// `qk_rope_head_dim` 64, `qk_nope_head_dim` 128, `v_head_dim` 128), queries uncompressed
    /// (`q_lora_rank` 0, as in DeepSeek-V2-Lite).
    pub const STARTING_POINT: Mla = Mla {
        q_lora_rank: 0,
        kv_lora_rank: 512,
        rope_dim: 64,
        nope_dim: 128,
        v_head_dim: 128,
    };
}

/// Which layers attend to the full context and which to a sliding window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AttentionPattern {
    /// Sliding-window size in tokens; 0 means every layer is full attention.
    #[serde(default)]
    pub window: u64,
    /// With a window: every n-th layer (1-based: layer i is global when (i+1) % n == 0) keeps
    /// full attention; 0 means all layers slide (Mistral-7B-v0.1). Gemma-2: 2; Gemma-3: 6.
    #[serde(default)]
    pub global_every: u64,
}

/// What a tensor is, which decides how it is stored and trained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TensorRole {
    /// Token embedding table (vocab × hidden).
    Embedding,
    /// Untied output projection (hidden × vocab).
    LmHead,
    /// Learned absolute position table (GPT-3).
    Position,
    /// A linear layer inside a transformer block (quantised by weight-only formats).
    Linear,
    /// A routed-expert linear layer (only `experts_active` of `experts` used per token).
    Expert,
    /// MoE router (kept in 16-bit by quantisers).
    Router,
    /// Norm weights and biases, linear biases: vectors.
    Vector,
}

impl TensorRole {
    /// The vocabulary and position tables (input embedding, output head, learned positions):
    /// what "non-embedding parameters" leaves out, and FSDP's root unit.
    pub fn is_embedding(self) -> bool {
        matches!(self, TensorRole::Embedding | TensorRole::LmHead | TensorRole::Position)
    }
}

/// A group of identical tensors: `copies` tensors of `rows × cols`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TensorGroup {
    /// Hugging Face-style name of one member, e.g. `layers.*.mlp.gate_proj`.
    pub name: &'static str,
    /// What it is.
    pub role: TensorRole,
    /// Input dimension (1 for vectors).
    pub rows: u64,
    /// Output dimension.
    pub cols: u64,
    /// How many such tensors the model holds.
    pub copies: u64,
    /// How many are used for one token (differs from `copies` only for routed experts).
    pub active_copies: u64,
}

impl TensorGroup {
    /// Parameters held: rows × cols × copies.
    pub fn params(&self) -> f64 {
        self.rows as f64 * self.cols as f64 * self.copies as f64
    }
    /// Parameters used per token.
    pub fn active_params(&self) -> f64 {
        self.rows as f64 * self.cols as f64 * self.active_copies as f64
    }
    /// True for 2-D weight matrices (the ones quantisers and LoRA act on).
    pub fn is_matrix(&self) -> bool {
        self.rows > 1 && self.cols > 1
    }
}

/// The size a custom model without a size or preset is given: 8B parameters, the default
/// preset's (Llama-3.1-8B) class, so a bare `model=custom` link shows a familiar shape.
pub const DEFAULT_ASSUMED_PARAMS: f64 = 8e9;

/// The shape of a decoder-only transformer, with the fields of a Hugging Face `config.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Architecture {
    /// Transformer blocks (`num_hidden_layers`).
    pub layers: u64,
    /// Model width (`hidden_size`, d_model).
    pub hidden: u64,
    /// Query heads (`num_attention_heads`).
    pub heads: u64,
    /// Key/value heads (`num_key_value_heads`): = heads for MHA, 1 for MQA, between for GQA.
    pub kv_heads: u64,
    /// Per-head dimension (`head_dim`); not always hidden / heads (Gemma, Qwen3).
    pub head_dim: u64,
    /// Dense MLP intermediate size (`intermediate_size`).
    pub ffn: u64,
    /// Gated or plain MLP.
    pub mlp: MlpKind,
    /// Vocabulary size.
    pub vocab: u64,
    /// Output projection shares the embedding matrix.
    pub tied_embeddings: bool,
    /// Norm type.
    pub norm: NormKind,
    /// Norm layers per block: 2 (pre-norm), 4 (Gemma-2/3 sandwich), 1 (Falcon-7B parallel).
    pub norms_per_layer: u64,
    /// Per-head RMSNorm on q and k (Qwen3, Gemma-3, OLMo-2): 2 × head_dim per layer.
    #[serde(default)]
    pub qk_norm: bool,
    /// Attention biases.
    pub attn_bias: AttnBias,
    /// A learned attention sink per head and layer (gpt-oss `sinks`: one logit per head that
    /// takes part in the softmax; modeling_gpt_oss.py, `GptOssAttention`).
    #[serde(default)]
    pub attn_sinks: bool,
    /// Biases on MLP projections (GPT-3).
    #[serde(default)]
    pub mlp_bias: bool,
    /// Learned absolute position embeddings (rows); 0 for rotary / relative schemes.
    #[serde(default)]
    pub learned_positions: u64,
    /// Transformer-XL relative-position key projection, d_model × d_model per layer (Dai et al.
    /// 2019, eq. 4 W_{k,R}); used by Gopher and Chinchilla (Rae et al. 2021 §3).
    #[serde(default)]
    pub rel_pos_proj: bool,
    /// Dropout is active in training (its masks are stored: Korthikanti et al. 2022 §4.1).
    #[serde(default)]
    pub dropout: bool,
    /// Mixture of experts, if any.
    #[serde(default)]
    pub moe: Option<Moe>,
    /// Multi-head latent attention, if any.
    #[serde(default)]
    pub mla: Option<Mla>,
    /// Sliding-window pattern.
    #[serde(default)]
    pub attention: AttentionPattern,
    /// Longest context the model was trained for (`max_position_embeddings`).
    pub max_context: u64,
}

/// Parameter totals derived from [`Architecture::tensors`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ParamCount {
    /// Every parameter held in memory.
    pub total: f64,
    /// Parameters used per token (MoE: shared + routed top-k; dense: = total).
    pub active: f64,
    /// Token embedding + untied output head + learned positions.
    pub embedding: f64,
    /// total − embedding (Kaplan et al. 2020's N).
    pub non_embedding: f64,
}

impl Architecture {
    /// Number of full-attention and sliding-window layers, in that order.
    pub fn layer_kinds(&self) -> (u64, u64) {
        let w = self.attention;
        if w.window == 0 {
            return (self.layers, 0);
        }
        if w.global_every == 0 {
            return (0, self.layers);
        }
        let global = self.layers / w.global_every;
        (global, self.layers - global)
    }

    /// Layers with a mixture-of-experts MLP.
    pub fn moe_layers(&self) -> u64 {
        match self.moe {
            Some(m) => self.layers.saturating_sub(m.dense_layers),
            None => 0,
        }
    }

    /// Layers with a dense MLP.
    pub fn dense_layers(&self) -> u64 {
        self.layers - self.moe_layers()
    }

    /// Number of matrices in one MLP (3 gated, 2 plain).
    pub fn mlp_matrices(&self) -> u64 {
        match self.mlp {
            MlpKind::Gated => 3,
            MlpKind::Plain => 2,
        }
    }

    /// Norm vector length (RMSNorm: weight; LayerNorm: weight + bias).
    fn norm_width(&self, width: u64) -> u64 {
        match self.norm {
            NormKind::Rms => width,
            NormKind::Layer => 2 * width,
        }
    }

    /// Every parameter tensor, grouped. This is the single source of the parameter count.
    pub fn tensors(&self) -> Vec<TensorGroup> {
        let l = self.layers;
        let h = self.hidden;
        let mut t = Vec::with_capacity(24);
        let mut push = |name, role, rows, cols, copies: u64, active_copies: u64| {
            // Groups with no parameters (a field the model does not have) are left out.
            if [rows, cols, copies].iter().all(|&n| n > 0) {
                t.push(TensorGroup {
                    name,
                    role,
                    rows,
                    cols,
                    copies,
                    active_copies,
                });
            }
        };
        push("embed_tokens", TensorRole::Embedding, self.vocab, h, 1, 1);
        push("embed_positions", TensorRole::Position, self.learned_positions, h, 1, 1);
        // Attention.
        if let Some(m) = self.mla {
            let qk_dim = m.nope_dim + m.rope_dim;
            if m.q_lora_rank > 0 {
                push("layers.*.attn.q_a_proj", TensorRole::Linear, h, m.q_lora_rank, l, l);
                push(
                    "layers.*.attn.q_a_layernorm",
                    TensorRole::Vector,
                    1,
                    m.q_lora_rank,
                    l,
                    l,
                );
                push(
                    "layers.*.attn.q_b_proj",
                    TensorRole::Linear,
                    m.q_lora_rank,
                    self.heads * qk_dim,
                    l,
                    l,
                );
            } else {
                push("layers.*.attn.q_proj", TensorRole::Linear, h, self.heads * qk_dim, l, l);
            }
            push(
                "layers.*.attn.kv_a_proj_with_mqa",
                TensorRole::Linear,
                h,
                m.kv_lora_rank + m.rope_dim,
                l,
                l,
            );
            push(
                "layers.*.attn.kv_a_layernorm",
                TensorRole::Vector,
                1,
                m.kv_lora_rank,
                l,
                l,
            );
            push(
                "layers.*.attn.kv_b_proj",
                TensorRole::Linear,
                m.kv_lora_rank,
                self.heads * (m.nope_dim + m.v_head_dim),
                l,
                l,
            );
            push(
                "layers.*.attn.o_proj",
                TensorRole::Linear,
                self.heads * m.v_head_dim,
                h,
                l,
                l,
            );
        } else {
            let q = self.heads * self.head_dim;
            let kv = self.kv_heads * self.head_dim;
            push("layers.*.attn.q_proj", TensorRole::Linear, h, q, l, l);
            push("layers.*.attn.k_proj", TensorRole::Linear, h, kv, l, l);
            push("layers.*.attn.v_proj", TensorRole::Linear, h, kv, l, l);
            push("layers.*.attn.o_proj", TensorRole::Linear, q, h, l, l);
            if matches!(self.attn_bias, AttnBias::Qkv | AttnBias::All) {
                push("layers.*.attn.qkv_bias", TensorRole::Vector, 1, q + 2 * kv, l, l);
            }
            if self.attn_bias == AttnBias::All {
                push("layers.*.attn.o_bias", TensorRole::Vector, 1, h, l, l);
            }
            if self.qk_norm {
                push("layers.*.attn.qk_norm", TensorRole::Vector, 1, 2 * self.head_dim, l, l);
            }
            if self.attn_sinks {
                push("layers.*.attn.sinks", TensorRole::Vector, 1, self.heads, l, l);
            }
        }
        if self.rel_pos_proj {
            push("layers.*.attn.rel_pos_proj", TensorRole::Linear, h, h, l, l);
        }
        // Dense MLP layers.
        let dense = self.dense_layers();
        let (up_name, down_name) = ("layers.*.mlp.up_proj", "layers.*.mlp.down_proj");
        if self.mlp == MlpKind::Gated {
            push("layers.*.mlp.gate_proj", TensorRole::Linear, h, self.ffn, dense, dense);
        }
        push(up_name, TensorRole::Linear, h, self.ffn, dense, dense);
        push(down_name, TensorRole::Linear, self.ffn, h, dense, dense);
        if self.mlp_bias {
            push("layers.*.mlp.bias", TensorRole::Vector, 1, self.ffn + h, dense, dense);
        }
        // MoE layers.
        if let Some(m) = self.moe {
            let ml = self.moe_layers();
            let k = self.mlp_matrices();
            push("layers.*.moe.gate (router)", TensorRole::Router, h, m.experts, ml, ml);
            if m.router_bias {
                push("layers.*.moe.router_bias", TensorRole::Vector, 1, m.experts, ml, ml);
            }
            push(
                "layers.*.moe.experts.*.{gate,up,down}",
                TensorRole::Expert,
                h,
                m.expert_ffn,
                ml * m.experts * k,
                ml * m.experts_active.min(m.experts) * k,
            );
            if m.expert_bias {
                // gate and up (one bias each, expert_ffn wide) and down (hidden wide).
                let width = (k - 1) * m.expert_ffn + h;
                push(
                    "layers.*.moe.experts.*.biases",
                    TensorRole::Vector,
                    1,
                    width,
                    ml * m.experts,
                    ml * m.experts_active.min(m.experts),
                );
            }
            push(
                "layers.*.moe.shared_experts.{gate,up,down}",
                TensorRole::Linear,
                h,
                m.expert_ffn,
                ml * m.shared_experts * k,
                ml * m.shared_experts * k,
            );
        }
        push(
            "layers.*.norms",
            TensorRole::Vector,
            1,
            self.norm_width(h),
            l * self.norms_per_layer,
            l * self.norms_per_layer,
        );
        push("final_norm", TensorRole::Vector, 1, self.norm_width(h), 1, 1);
        if !self.tied_embeddings {
            push("lm_head", TensorRole::LmHead, h, self.vocab, 1, 1);
        }
        t
    }

    /// Total, active, embedding and non-embedding parameters.
    pub fn param_count(&self) -> ParamCount {
        let tensors = self.tensors();
        let total: f64 = tensors.iter().map(TensorGroup::params).sum();
        let active: f64 = tensors.iter().map(TensorGroup::active_params).sum();
        let embedding: f64 = tensors
            .iter()
            .filter(|g| g.role.is_embedding())
            .map(TensorGroup::params)
            .sum();
        ParamCount {
            total,
            active,
            embedding,
            non_embedding: total - embedding,
        }
    }

    /// Problems that make the shape unusable or implausible, as messages naming the field.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, v) in [
            ("layers", self.layers),
            ("hidden", self.hidden),
            ("heads", self.heads),
            ("kv_heads", self.kv_heads),
            ("head_dim", self.head_dim),
            ("ffn", self.ffn),
            ("vocab", self.vocab),
        ] {
            if v == 0 {
                out.push(format!("{name} must be at least 1"));
            }
        }
        if self.kv_heads > self.heads {
            out.push(format!(
                "kv_heads ({}) cannot exceed heads ({})",
                self.kv_heads, self.heads
            ));
        } else if self.kv_heads > 0 && !self.heads.is_multiple_of(self.kv_heads) {
            out.push(format!(
                "heads ({}) must be a multiple of kv_heads ({})",
                self.heads, self.kv_heads
            ));
        }
        if let Some(m) = self.moe
            && m.experts_active > m.experts
        {
            out.push(format!(
                "experts_active ({}) cannot exceed experts ({})",
                m.experts_active, m.experts
            ));
        }
        out
    }

    /// A plausible dense Llama-style shape whose parameter count is close to `params`.
    ///
    /// Used when only a size is known (the params slider). Rules, stated on the page:
    /// width ≈ 128 × depth (Llama-3 8B/70B/405B have 128, 102, 130) up to 256 layers, then
    /// wider only, head_dim 128 (or the
    /// width when narrower), up to 8 KV heads (GQA as Llama-3: the largest divisor of the heads ≤ 8),
    /// gated MLP with ffn = 3.5 × width (Llama-3 8B and 70B), untied embeddings with a
    /// 128,256-token vocabulary above 1B parameters, 32,000 above 10M, 256 above 100k, 32 below.
    pub fn assumed_dense(params: f64) -> Architecture {
        let params = if params.is_finite() {
            params.clamp(1e3, 1e15)
        } else {
            DEFAULT_ASSUMED_PARAMS
        };
        let vocab: u64 = if params >= 1e9 {
            128_256
        } else if params >= 1e7 {
            32_000
        } else if params >= 1e5 {
            256
        } else {
            32
        };
        let step: u64 = if params >= 1e8 {
            128
        } else if params >= 1e5 {
            8
        } else {
            4
        };
        let shape_for = |layers: u64| {
            let start = Self::width_guess(params, layers, vocab, step);
            Self::closest_width(params, layers, vocab, step, start)
        };
        let mut layers = ((params / (12.5 * 128.0 * 128.0)).cbrt().round() as u64).clamp(1, 256);
        let mut best = shape_for(layers);
        // If the width came out far from 128 × depth, pick the depth again from it (twice at most).
        for _ in 0..2 {
            let ratio = best.hidden as f64 / layers as f64;
            if (64.0..=160.0).contains(&ratio) || layers == 256 {
                break;
            }
            layers = ((best.hidden as f64 / 128.0).round() as u64).clamp(1, 256);
            best = shape_for(layers);
        }
        best
    }

    /// The dense shape of `layers` whose width (a multiple of `step`) is closer to `params`
    /// than both its neighbours', walking from `start`. The guess's 12.5h² rule is approximate
    /// (head, KV-head and ffn rounding, most at small widths), so the walk moves a step at a
    /// time; each move strictly lowers the distance (a tie keeps the current width, listed
    /// first), so it ends.
    fn closest_width(params: f64, layers: u64, vocab: u64, step: u64, start: u64) -> Architecture {
        let at = |w: u64| Self::dense_shape_with_hidden(layers, w, vocab);
        let off = |w: u64| (at(w).param_count().total / params).ln().abs();
        let mut width = start;
        loop {
            let neighbours = [width, width.saturating_sub(step).max(step), width + step];
            let closest = neighbours.into_iter().min_by(|a, b| off(*a).total_cmp(&off(*b)));
            match closest {
                Some(w) if w != width => width = w,
                _ => break at(width),
            }
        }
    }

    /// Where `assumed_dense`'s width walk starts: the width whose 12.5 h² per layer (2h² of
    /// attention with GQA, 0.5h² of KV, 10.5h² of a 3.5h gated MLP) plus 2·vocab·h of untied
    /// embeddings is `params`, in steps. Only the walk's length depends on it, not where the walk
    /// ends, so `.cargo/mutants.toml` leaves it out of mutation testing.
    fn width_guess(params: f64, layers: u64, vocab: u64, step: u64) -> u64 {
        let per_h2 = 12.5 * layers as f64;
        let emb_per_h = 2.0 * vocab as f64;
        // Solve per_h2·h² + emb_per_h·h = params for h.
        let h = (-emb_per_h + (emb_per_h * emb_per_h + 4.0 * per_h2 * params).sqrt()) / (2.0 * per_h2);
        ((h / step as f64).round() as u64).max(1) * step
    }

    fn dense_shape_with_hidden(layers: u64, hidden: u64, vocab: u64) -> Architecture {
        let head_dim = hidden.min(128);
        let heads = (hidden / head_dim).max(1);
        // Up to 8 KV heads: the largest count ≤ 8 that divides the query heads.
        let kv_heads = (1..=heads.min(8)).rev().find(|d| heads.is_multiple_of(*d)).unwrap_or(1);
        let ffn_step = if hidden >= 1024 { 256 } else { 8 };
        let ffn = ((hidden as f64 * 3.5 / ffn_step as f64).round() as u64).max(1) * ffn_step;
        Architecture {
            layers,
            hidden,
            heads,
            kv_heads,
            head_dim,
            ffn,
            mlp: MlpKind::Gated,
            vocab,
            tied_embeddings: false,
            norm: NormKind::Rms,
            norms_per_layer: 2,
            qk_norm: false,
            attn_bias: AttnBias::None,
            attn_sinks: false,
            mlp_bias: false,
            learned_positions: 0,
            rel_pos_proj: false,
            dropout: false,
            moe: None,
            mla: None,
            attention: AttentionPattern::default(),
            max_context: 131_072,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn llama_8b() -> Architecture {
        let mut a = Architecture::dense_shape_with_hidden(32, 4096, 128_256);
        a.ffn = 14_336;
        a
    }

    #[test]
    fn llama_8b_hand_count() {
        // embed 128256·4096 = 525,336,576 (×2, untied); per layer: q,o 2·4096² + k,v 2·4096·1024
        // = 41,943,040; MLP 3·4096·14336 = 176,160,768; norms 2·4096 → 218,112,000 × 32
        // = 6,979,584,000; + final norm 4096 → 8,030,261,248 (Meta's published count).
        let p = llama_8b().param_count();
        assert_eq!(p.total, 8_030_261_248.0);
        assert_eq!(p.active, p.total);
        assert_eq!(p.embedding, 1_050_673_152.0);
    }

    #[test]
    fn gpt_oss_20b_hand_count() {
        // transformers' GptOss modules, per layer: q 2880·4096 + k, v 2·2880·512 + o 4096·2880
        // = 26,542,080, their biases 4096 + 2·512 + 2880 = 8,000, sinks 64; router 2880·32
        // + 32; 32 experts × (gate_up 2880·5760 + down 2880·2880 = 24,883,200, biases 5760
        // + 2880 = 8,640); norms 2·2880 → 823,186,976 × 24 = 19,756,487,424; + embedding and
        // head 2 · 201,088 · 2880 = 1,158,266,880, final norm 2880 → 20,914,757,184 (model card
        // Table 1: 20.91B). Active: 4 experts of 32, less the input embedding (a lookup, which
        // the card does not count): 3,608,307,264 (card: 3.61B).
        let a = crate::estimate::presets::arch_of("gpt-oss-20b");
        let p = a.param_count();
        assert_eq!(p.total, 20_914_757_184.0);
        assert_eq!(p.active - 201_088.0 * 2880.0, 3_608_307_264.0);
    }

    #[test]
    fn every_preset_is_consistent_and_lists_no_empty_tensor() {
        // MHA (GPT-3: 96 of 96), MoE with no shared expert and no dense layer (Mixtral), MLA
        // (DeepSeek-V3): no problem, and no group without parameters.
        for p in crate::estimate::presets::all() {
            assert!(p.arch.problems().is_empty(), "{}: {:?}", p.id, p.arch.problems());
            for g in p.arch.tensors() {
                assert!(g.params() > 0.0, "{}: {} is empty", p.id, g.name);
                // Norm weights and biases are vectors; everything else is a matrix.
                assert_eq!(g.is_matrix(), g.role != TensorRole::Vector, "{}: {}", p.id, g.name);
            }
        }
    }

    #[test]
    fn more_active_experts_than_experts_is_a_problem_and_all_of_them_is_not() {
        let mut a = crate::estimate::presets::arch_of("mixtral-8x7b");
        let mut with = |k: u64| {
            if let Some(m) = a.moe.as_mut() {
                m.experts_active = k;
            }
            a.problems().len()
        };
        assert_eq!((with(8), with(9)), (0, 1));
    }

    #[test]
    fn mla_without_query_compression_projects_queries_directly() {
        // DeepSeek-V3: hidden 7168, 128 heads × (128 + 64) = 24,576 query width, q_lora_rank
        // 1536, 61 layers. Uncompressed: q_proj 7168·24,576 = 176,160,768 per layer; compressed:
        // q_a 7168·1536 + its norm 1536 + q_b 1536·24,576 = 48,760,320. Difference ×61 =
        // 7,771,427,328.
        let v3 = crate::estimate::presets::arch_of("deepseek-v3");
        let mut plain = v3.clone();
        if let Some(m) = plain.mla.as_mut() {
            m.q_lora_rank = 0;
        }
        assert_eq!(plain.param_count().total - v3.param_count().total, 7_771_427_328.0);
    }

    #[test]
    fn layer_kinds_follow_pattern() {
        let mut a = llama_8b();
        assert_eq!(a.layer_kinds(), (32, 0));
        a.attention = AttentionPattern {
            window: 4096,
            global_every: 0,
        };
        assert_eq!(a.layer_kinds(), (0, 32));
        a.layers = 62;
        a.attention = AttentionPattern {
            window: 1024,
            global_every: 6,
        };
        // Gemma-3: layers 6, 12, … 60 are global: 10 of 62.
        assert_eq!(a.layer_kinds(), (10, 52));
    }

    #[test]
    fn assumed_shape_is_close_and_plausible() {
        // Widths come in steps (4, 8 or 128), so tiny models land within a factor of 2 and
        // real-sized ones within 15 %.
        for (target, tol) in [
            (1e3, 1.0),
            (1e6, 0.15),
            (1.2e8, 0.15),
            (7e9, 0.15),
            (7e10, 0.15),
            (4e11, 0.15),
            (1e14, 0.15),
        ] {
            let a = Architecture::assumed_dense(target);
            let n = a.param_count().total;
            assert!(a.problems().is_empty(), "{target}: {:?}", a.problems());
            assert!((n / target).ln().abs() < f64::ln(1.0 + tol), "{target} gave {n}");
        }
        let a = Architecture::assumed_dense(8e9);
        assert_eq!(a.hidden % 128, 0);
        assert!(a.kv_heads <= 8 && a.heads.is_multiple_of(a.kv_heads));
    }

    #[test]
    fn the_assumed_shape_follows_its_stated_rules() {
        // The rules in `assumed_dense`'s doc (Llama-3's ratios): width ≈ 128 × depth (at most 256
        // layers), ffn = 3.5 ×
        // width, head_dim 128, widths in steps of 128 above 100M parameters (8 above 100k), and
        // the vocabulary by size: 128,256 from 1B, 32,000 from 10M, 256 from 100k, 32 below.
        for target in [1.2e8, 1e9, 7e9, 7e10, 4e11] {
            let a = Architecture::assumed_dense(target);
            let aspect = a.hidden as f64 / a.layers as f64;
            assert!(
                (90.0..=170.0).contains(&aspect),
                "{target}: {} wide, {} deep",
                a.hidden,
                a.layers
            );
            assert!(
                (a.ffn as f64 / a.hidden as f64 - 3.5).abs() < 0.05,
                "{target}: ffn {}",
                a.ffn
            );
            assert_eq!((a.head_dim, a.hidden % 128), (128, 0), "{target}");
        }
        assert_eq!(Architecture::assumed_dense(1e13).layers, 256);
        assert_eq!(Architecture::assumed_dense(1e6).hidden % 8, 0);
        let vocab = |t: f64| Architecture::assumed_dense(t).vocab;
        assert_eq!(
            [vocab(1e9), vocab(1e7), vocab(1e5), vocab(9e4)],
            [128_256, 32_000, 256, 32]
        );
        assert_eq!([vocab(9.9e8), vocab(9.9e6)], [32_000, 256]);
    }

    /// Sizes from 1,000 to just under 10¹⁵ parameters (the largest asked), 5 % apart.
    fn sizes_5_percent_apart() -> impl Iterator<Item = f64> {
        (0..567).map(|i| 1e3 * 1.05_f64.powi(i))
    }

    #[test]
    fn the_assumed_width_is_the_closest_of_its_neighbours() {
        // The stated rule: at the chosen depth, no width one step narrower or wider comes closer
        // to the asked size.
        for target in sizes_5_percent_apart() {
            let a = Architecture::assumed_dense(target);
            let step = if target >= 1e8 {
                128
            } else if target >= 1e5 {
                8
            } else {
                4
            };
            let off = |h: u64| {
                let b = Architecture::dense_shape_with_hidden(a.layers, h, a.vocab);
                (b.param_count().total / target).ln().abs()
            };
            let here = off(a.hidden);
            for h in [a.hidden.saturating_sub(step).max(step), a.hidden + step] {
                assert!(off(h) >= here, "{target}: width {h} is closer than {}", a.hidden);
            }
        }
    }

    #[test]
    fn the_width_walk_ends_at_the_same_width_from_below_and_above() {
        // Llama-3.1-8B's size at its 32 layers, in steps of 128: whether the walk starts at
        // the narrowest width, one step short or at four times the guess, it ends at the
        // guess's answer.
        let (params, vocab) = (8e9, 128_256);
        let guess = Architecture::width_guess(params, 32, vocab, 128);
        let from = |start| Architecture::closest_width(params, 32, vocab, 128, start).hidden;
        let there = from(guess);
        assert_eq!([from(128), from(there - 128), from(4 * guess)], [there; 3]);
        assert_eq!(there % 128, 0);
    }

    #[test]
    fn the_assumed_depth_keeps_the_width_near_128_per_layer() {
        // The stated rule: width ≈ 128 × depth up to 256 layers. Where the vocabulary's
        // embedding takes most of a small model, the first width comes out far from that and
        // the depth is picked again from it: every shape ends 64–160 wide per layer, unless it
        // is 256 deep (the cap, only reached from about 12.5 × 256 × 32,768² = 3.4 × 10¹²
        // parameters) or a single layer under 192 wide (picked again from its width it is one
        // layer again: 191 / 128 rounds to 1). A single layer 192–216 wide (near 600,000
        // parameters) is picked again as two.
        let mut repicked = 0;
        for target in sizes_5_percent_apart() {
            let a = Architecture::assumed_dense(target);
            let aspect = a.hidden as f64 / a.layers as f64;
            assert!(
                (64.0..=160.0).contains(&aspect) || a.layers == 256 || (a.layers == 1 && a.hidden < 192),
                "{target}: {} wide, {} deep",
                a.hidden,
                a.layers
            );
            assert!(target >= 1e12 || a.layers < 256, "{target}: {} deep", a.layers);
            let first = ((target / (12.5 * 128.0 * 128.0)).cbrt().round() as u64).clamp(1, 256);
            repicked += usize::from(a.layers != first);
        }
        // Between about 3 and 30 million parameters (a 32,000-token vocabulary) the depth is
        // picked again.
        assert!(repicked > 10, "{repicked}");
    }

    #[test]
    fn problems_name_the_field() {
        let mut a = llama_8b();
        a.kv_heads = 5;
        assert_eq!(
            a.problems(),
            vec!["heads (32) must be a multiple of kv_heads (5)".to_string()]
        );
        // Zero KV heads is one problem, said once (not also "a multiple of 0").
        a.kv_heads = 0;
        assert_eq!(a.problems(), vec!["kv_heads must be at least 1".to_string()]);
    }

    #[test]
    fn a_matrix_has_two_dimensions_above_one() {
        let g = |rows, cols| TensorGroup {
            name: "t",
            role: TensorRole::Linear,
            rows,
            cols,
            copies: 1,
            active_copies: 1,
        };
        assert_eq!(
            [
                g(4096, 4096).is_matrix(),
                g(1, 4096).is_matrix(),
                g(4096, 1).is_matrix()
            ],
            [true, false, false]
        );
    }
}
