//! The architecture fields a link, the page's editor or a pasted `config.json` can override,
//! each defined once: its link key, range and help in one table ([`ArchField::ALL`] is the
//! canonical order), and how it is read from and written into an [`Architecture`] in two
//! exhaustive matches, so a field cannot be named in one place and missing from another (a
//! new variant does not compile until both say what it does).

use super::arch::{Architecture, AttnBias, Mla, MlpKind, Moe, NormKind};

macro_rules! arch_fields {
    ($($variant:ident, $key:literal, $min:expr, $max:expr, $help:literal;)*) => {
        /// One overridable architecture field.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ArchField {
            $(
                #[doc = $help]
                $variant,
            )*
        }

        impl ArchField {
            /// Every field, in canonical (link) order.
            pub const ALL: &'static [ArchField] = &[$(ArchField::$variant),*];

            /// Share-link key.
            pub fn key(self) -> &'static str {
                match self {
                    $(ArchField::$variant => $key,)*
                }
            }

            /// Accepted values, inclusive (whole numbers; flags are 0/1).
            pub fn range(self) -> (f64, f64) {
                match self {
                    $(ArchField::$variant => ($min as f64, $max as f64),)*
                }
            }

            /// What it is, in a few words.
            pub fn help(self) -> &'static str {
                match self {
                    $(ArchField::$variant => $help,)*
                }
            }
        }
    };
}

arch_fields! {
    Layers, "layers", 1, 1000, "transformer blocks";
    Hidden, "hidden", 1, 1_000_000, "model width (hidden_size)";
    Heads, "heads", 1, 10_000, "query heads";
    KvHeads, "kv_heads", 1, 10_000, "key/value heads (GQA/MQA)";
    HeadDim, "head_dim", 1, 100_000, "dimension per head";
    Ffn, "ffn", 1, 10_000_000, "dense MLP intermediate size";
    Vocab, "vocab", 1, 10_000_000, "vocabulary size";
    Experts, "experts", 0, 100_000, "routed experts (0 = dense)";
    ExpertsActive, "experts_active", 1, 100_000, "experts per token";
    Window, "window", 0, 100_000_000, "sliding window in tokens (0 = none)";
    GlobalEvery, "global_every", 0, 1000, "every n-th layer is global (0 = all slide)";
    ExpertFfn, "expert_ffn", 1, 10_000_000, "expert intermediate size";
    SharedExperts, "shared_experts", 0, 1000, "always-on shared experts";
    DenseLayers, "dense_layers", 0, 1000, "leading dense layers in an MoE";
    RouterBias, "router_bias", 0, 1, "per-expert router bias (0/1)";
    ExpertBias, "expert_bias", 0, 1, "biases on each expert's projections (0/1)";
    KvLora, "kv_lora", 0, 100_000, "MLA latent rank (0 = no MLA)";
    QLora, "q_lora", 0, 100_000, "MLA query rank";
    RopeDim, "rope_dim", 0, 100_000, "MLA decoupled rope dim";
    NopeDim, "nope_dim", 0, 100_000, "MLA non-rope q/k dim";
    VHeadDim, "v_head_dim", 0, 100_000, "MLA value head dim";
    Tied, "tied", 0, 1, "tied input/output embeddings (0/1)";
    Gated, "gated", 0, 1, "gated MLP (1) or plain (0)";
    LayerNorm, "layernorm", 0, 1, "LayerNorm with bias (1) or RMSNorm (0)";
    Norms, "norms", 0, 16, "norm layers per block";
    QkNorm, "qk_norm", 0, 1, "per-head q/k norms (0/1)";
    AttnBiasKind, "attn_bias", 0, 2, "attention bias: 0 none, 1 q/k/v, 2 all";
    Sinks, "sinks", 0, 1, "a learned attention-sink logit per head (0/1)";
    MlpBias, "mlp_bias", 0, 1, "MLP biases (0/1)";
    Positions, "positions", 0, 10_000_000, "learned position rows";
    RelPos, "rel_pos", 0, 1, "Transformer-XL relative projection (0/1)";
    Dropout, "dropout", 0, 1, "dropout in training (0/1)";
    MaxCtx, "max_ctx", 1, 100_000_000, "trained context length";
}

impl ArchField {
    /// The field a link key names.
    pub fn from_key(key: &str) -> Option<ArchField> {
        ArchField::ALL.iter().copied().find(|f| f.key() == key)
    }

    /// The field's value in `a` (flags as 0/1; MoE and MLA fields of a model without them read
    /// as what turning them on would start from).
    pub fn get(self, a: &Architecture) -> f64 {
        let moe = a.moe;
        let mla = a.mla;
        let b = |v: bool| if v { 1.0 } else { 0.0 };
        match self {
            ArchField::Layers => a.layers as f64,
            ArchField::Hidden => a.hidden as f64,
            ArchField::Heads => a.heads as f64,
            ArchField::KvHeads => a.kv_heads as f64,
            ArchField::HeadDim => a.head_dim as f64,
            ArchField::Ffn => a.ffn as f64,
            ArchField::Vocab => a.vocab as f64,
            ArchField::Experts => moe.map_or(0.0, |m| m.experts as f64),
            ArchField::ExpertsActive => moe.map_or(1.0, |m| m.experts_active as f64),
            ArchField::ExpertFfn => moe.map_or(a.ffn as f64, |m| m.expert_ffn as f64),
            ArchField::SharedExperts => moe.map_or(0.0, |m| m.shared_experts as f64),
            ArchField::DenseLayers => moe.map_or(0.0, |m| m.dense_layers as f64),
            ArchField::RouterBias => moe.map_or(0.0, |m| b(m.router_bias)),
            ArchField::ExpertBias => moe.map_or(0.0, |m| b(m.expert_bias)),
            ArchField::Window => a.attention.window as f64,
            ArchField::GlobalEvery => a.attention.global_every as f64,
            ArchField::KvLora => mla.map_or(0.0, |m| m.kv_lora_rank as f64),
            ArchField::QLora => mla.map_or(0.0, |m| m.q_lora_rank as f64),
            ArchField::RopeDim => mla.map_or(0.0, |m| m.rope_dim as f64),
            ArchField::NopeDim => mla.map_or(0.0, |m| m.nope_dim as f64),
            ArchField::VHeadDim => mla.map_or(0.0, |m| m.v_head_dim as f64),
            ArchField::Tied => b(a.tied_embeddings),
            ArchField::Gated => b(a.mlp == MlpKind::Gated),
            ArchField::LayerNorm => b(a.norm == NormKind::Layer),
            ArchField::Norms => a.norms_per_layer as f64,
            ArchField::QkNorm => b(a.qk_norm),
            ArchField::AttnBiasKind => match a.attn_bias {
                AttnBias::None => 0.0,
                AttnBias::Qkv => 1.0,
                AttnBias::All => 2.0,
            },
            ArchField::Sinks => b(a.attn_sinks),
            ArchField::MlpBias => b(a.mlp_bias),
            ArchField::Positions => a.learned_positions as f64,
            ArchField::RelPos => b(a.rel_pos_proj),
            ArchField::Dropout => b(a.dropout),
            ArchField::MaxCtx => a.max_context as f64,
        }
    }

    /// Writes `v` (already range-checked and whole) into `a`. Turning experts or MLA on starts
    /// from [`Moe::starting_point`] / [`Mla::STARTING_POINT`]; their other fields change nothing on
    /// a model without them (the caller reports that as not applicable).
    pub fn set(self, a: &mut Architecture, v: u64) {
        let on = v != 0;
        match self {
            ArchField::Layers => a.layers = v,
            ArchField::Hidden => a.hidden = v,
            ArchField::Heads => a.heads = v,
            ArchField::KvHeads => a.kv_heads = v,
            ArchField::HeadDim => a.head_dim = v,
            ArchField::Ffn => a.ffn = v,
            ArchField::Vocab => a.vocab = v,
            ArchField::Experts => {
                a.moe = (v > 0).then(|| {
                    let mut m = a.moe.unwrap_or(Moe::starting_point(a.ffn));
                    m.experts = v;
                    m.experts_active = m.experts_active.min(v);
                    m
                });
            }
            ArchField::ExpertsActive => edit_moe(a, |m| m.experts_active = v),
            ArchField::ExpertFfn => edit_moe(a, |m| m.expert_ffn = v),
            ArchField::SharedExperts => edit_moe(a, |m| m.shared_experts = v),
            ArchField::DenseLayers => edit_moe(a, |m| m.dense_layers = v),
            ArchField::RouterBias => edit_moe(a, |m| m.router_bias = on),
            ArchField::ExpertBias => edit_moe(a, |m| m.expert_bias = on),
            ArchField::Window => a.attention.window = v,
            ArchField::GlobalEvery => a.attention.global_every = v,
            ArchField::KvLora => {
                a.mla = (v > 0).then(|| Mla {
                    kv_lora_rank: v,
                    ..a.mla.unwrap_or(Mla::STARTING_POINT)
                });
            }
            ArchField::QLora => edit_mla(a, |m| m.q_lora_rank = v),
            ArchField::RopeDim => edit_mla(a, |m| m.rope_dim = v),
            ArchField::NopeDim => edit_mla(a, |m| m.nope_dim = v),
            ArchField::VHeadDim => edit_mla(a, |m| m.v_head_dim = v),
            ArchField::Tied => a.tied_embeddings = on,
            ArchField::Gated => a.mlp = if on { MlpKind::Gated } else { MlpKind::Plain },
            ArchField::LayerNorm => a.norm = if on { NormKind::Layer } else { NormKind::Rms },
            ArchField::Norms => a.norms_per_layer = v,
            ArchField::QkNorm => a.qk_norm = on,
            ArchField::AttnBiasKind => {
                a.attn_bias = match v {
                    0 => AttnBias::None,
                    1 => AttnBias::Qkv,
                    _ => AttnBias::All,
                }
            }
            ArchField::Sinks => a.attn_sinks = on,
            ArchField::MlpBias => a.mlp_bias = on,
            ArchField::Positions => a.learned_positions = v,
            ArchField::RelPos => a.rel_pos_proj = on,
            ArchField::Dropout => a.dropout = on,
            ArchField::MaxCtx => a.max_context = v,
        }
    }
}

/// Edits the MoE block of a model that has one; a dense model is left as it is.
fn edit_moe(a: &mut Architecture, f: impl FnOnce(&mut Moe)) {
    if let Some(m) = a.moe.as_mut() {
        f(m);
    }
}

/// Edits the MLA block of a model that has one; other models are left as they are.
fn edit_mla(a: &mut Architecture, f: impl FnOnce(&mut Mla)) {
    if let Some(m) = a.mla.as_mut() {
        f(m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_through_its_key_and_its_value() {
        // Each field: its key parses back to it; writing a value inside its range into a model
        // that has the field (DeepSeek-V3 has MoE and MLA) reads back as that value.
        let base = crate::estimate::presets::arch_of("deepseek-v3");
        for &f in ArchField::ALL {
            assert_eq!(ArchField::from_key(f.key()), Some(f));
            let (min, max) = f.range();
            let v = if max <= 2.0 {
                max as u64
            } else {
                (min as u64).max(1) + 1
            };
            let mut a = base.clone();
            f.set(&mut a, v);
            assert_eq!(f.get(&a), v as f64, "{}", f.key());
        }
        assert_eq!(ArchField::from_key("layer"), None);
    }

    #[test]
    fn moe_and_mla_fields_need_the_block_they_edit() {
        // On a dense model without MLA, the sub-fields change nothing; `experts` and `kv_lora`
        // turn the block on from its stated starting point.
        let dense = Architecture::assumed_dense(8e9);
        for f in [
            ArchField::ExpertsActive,
            ArchField::ExpertFfn,
            ArchField::RouterBias,
            ArchField::QLora,
            ArchField::RopeDim,
        ] {
            let mut a = dense.clone();
            f.set(&mut a, 1);
            assert_eq!(a, dense, "{}", f.key());
        }
        let mut a = dense.clone();
        ArchField::Experts.set(&mut a, 16);
        assert_eq!(
            a.moe.map(|m| (m.experts, m.experts_active, m.expert_ffn)),
            Some((16, 2, dense.ffn))
        );
        ArchField::Experts.set(&mut a, 0);
        assert_eq!(a.moe, None);
        ArchField::KvLora.set(&mut a, 256);
        assert_eq!(
            a.mla,
            Some(Mla {
                kv_lora_rank: 256,
                ..Mla::STARTING_POINT
            })
        );
    }
}
