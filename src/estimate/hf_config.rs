//! Reading a Hugging Face `config.json` into an [`Architecture`].
//!
//! Supports the field names of Llama, Mistral, Mixtral, Qwen2/2.5/3 (and their MoE variants),
//! Gemma 1/2/3 (including the nested `text_config` of multimodal checkpoints), DeepSeek V2/V3,
//! Phi-3, Falcon, GPT-2 and GPT-NeoX. The result says what was read and what was assumed (with
//! the default the Transformers config class would use). Untrusted input: any JSON — malformed,
//! huge, with absurd numbers or markup in names — gives a message, never a panic.

use serde_json::{Map, Value};

use super::arch::{Architecture, AttentionPattern, AttnBias, Mla, MlpKind, Moe, NormKind};
use super::arch_field::ArchField;

/// Largest paste accepted (a real config.json is a few kilobytes).
pub const MAX_BYTES: usize = 1 << 20;

/// A successfully read config.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The architecture.
    pub arch: Architecture,
    /// A display name (`_name_or_path`, else the architecture class, else `model_type`).
    pub name: Option<String>,
    /// `model_type` (or the inferred family).
    pub family: String,
    /// Fields read, as "field = value".
    pub read: Vec<String>,
    /// Defaults assumed for missing fields.
    pub assumed: Vec<String>,
}

impl Imported {
    /// The architecture as share-link overrides on top of a custom model's base shape.
    pub fn overrides(&self) -> Vec<(ArchField, u64)> {
        ArchField::ALL.iter().map(|&f| (f, f.get(&self.arch) as u64)).collect()
    }
}

struct Reader<'a> {
    text: &'a Map<String, Value>,
    top: &'a Map<String, Value>,
    read: Vec<String>,
    assumed: Vec<String>,
    errors: Vec<String>,
}

impl<'a> Reader<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.text
            .get(key)
            .or_else(|| self.top.get(key))
            .filter(|v| !v.is_null())
    }

    /// A positive integer from the first of `keys` present, within [min, max].
    fn int(&mut self, keys: &[&str], min: u64, max: u64) -> Option<u64> {
        for k in keys {
            let Some(v) = self.get(k) else { continue };
            let n = match v {
                Value::Number(n) => n.as_f64(),
                _ => None,
            };
            match n {
                Some(f) if f.fract() == 0.0 && f >= min as f64 && f <= max as f64 => {
                    self.read.push(format!("{k} = {}", f as u64));
                    return Some(f as u64);
                }
                _ => {
                    let shown = match n {
                        Some(f) if f.abs() >= 1e6 => format!("{f:e}"),
                        _ => crate::estimate::units::clip(&v.to_string()),
                    };
                    self.errors
                        .push(format!("{k} is {shown}; it must be a whole number from {min} to {max}"));
                    return None;
                }
            }
        }
        None
    }

    fn required(&mut self, keys: &[&str], min: u64, max: u64) -> u64 {
        match self.int(keys, min, max) {
            Some(v) => v,
            None => {
                if !self.errors.iter().any(|e| keys.iter().any(|k| e.starts_with(k))) {
                    self.errors
                        .push(format!("missing {}", keys.join(" (or ")) + &")".repeat(keys.len() - 1));
                }
                1
            }
        }
    }

    fn flag(&mut self, key: &str) -> Option<bool> {
        match self.get(key) {
            Some(Value::Bool(b)) => {
                self.read.push(format!("{key} = {b}"));
                Some(*b)
            }
            Some(other) => {
                self.errors.push(format!(
                    "{key} is {}; it must be true or false",
                    crate::estimate::units::clip(&other.to_string())
                ));
                None
            }
            None => None,
        }
    }

    fn string(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Value::as_str).map(str::to_string)
    }

    fn assume<T: std::fmt::Display>(&mut self, what: &str, value: T, why: &str) -> T {
        self.assumed.push(format!("{what} = {value} ({why})"));
        value
    }
}

/// Reads a config.json. `Err` holds every problem found, each naming its field.
pub fn import(text: &str) -> Result<Imported, Vec<String>> {
    if text.len() > MAX_BYTES {
        return Err(vec![format!(
            "the text is {:.1} MB; a config.json is a few kilobytes (limit {} KB)",
            text.len() as f64 / 1e6,
            MAX_BYTES / 1024
        )]);
    }
    if text.trim().is_empty() {
        return Err(vec!["paste the contents of a config.json".to_string()]);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| vec![format!("not valid JSON: {e}")])?;
    let Value::Object(top) = &value else {
        return Err(vec!["a config.json is a JSON object ({ … })".to_string()]);
    };
    let text_cfg = match top.get("text_config") {
        Some(Value::Object(t)) => t,
        _ => top,
    };
    let mut r = Reader {
        text: text_cfg,
        top,
        read: Vec::new(),
        assumed: Vec::new(),
        errors: Vec::new(),
    };
    let family = r
        .text
        .get("model_type")
        .and_then(Value::as_str)
        .or_else(|| top.get("model_type").and_then(Value::as_str))
        .unwrap_or("")
        .to_ascii_lowercase();
    let fam = family.as_str();
    let is = |names: &[&str]| names.iter().any(|n| fam.starts_with(n));
    let plain_family = is(&["gpt2", "gpt_neox", "falcon", "refinedweb", "gptj", "opt", "bloom"]);

    let layers = r.required(&["num_hidden_layers", "n_layer", "num_layers"], 1, 1000);
    let hidden = r.required(&["hidden_size", "n_embd", "d_model"], 1, 1_000_000);
    let heads = r.required(&["num_attention_heads", "n_head"], 1, 10_000);
    let vocab = r.required(&["vocab_size"], 1, 10_000_000);
    let kv_heads = match r.int(&["num_key_value_heads", "num_kv_heads", "n_head_kv"], 1, 10_000) {
        Some(k) => k,
        None => {
            let multi_query = r.flag("multi_query");
            // Falcon-7B-style configs default to multi-query unless the new decoder is used.
            let falcon_mq = is(&["falcon", "refinedweb"])
                && multi_query != Some(false)
                && r.get("new_decoder_architecture") != Some(&Value::Bool(true));
            if multi_query == Some(true) || falcon_mq {
                r.assume("kv_heads", 1, "multi_query: one shared key/value head")
            } else {
                r.assume("kv_heads", heads, "no num_key_value_heads: multi-head attention")
            }
        }
    };
    let head_dim = match r.int(&["head_dim"], 1, 100_000) {
        Some(h) => h,
        None => r.assume(
            "head_dim",
            (hidden / heads.max(1)).max(1),
            "hidden_size / num_attention_heads",
        ),
    };
    let ffn = match r.int(
        &["intermediate_size", "ffn_hidden_size", "n_inner", "ffn_dim"],
        1,
        10_000_000,
    ) {
        Some(f) => f,
        None => r.assume("ffn", 4 * hidden, "4 × hidden_size, the GPT-2/Falcon default"),
    };
    // The families above use a plain two-matrix MLP; every other supported family is gated
    // (SwiGLU or GeGLU) whatever its activation is called.
    let mlp = if plain_family { MlpKind::Plain } else { MlpKind::Gated };
    let tied_default = is(&["gpt2", "falcon", "gemma", "refinedweb"]);
    let tied_embeddings = match r.flag("tie_word_embeddings") {
        Some(t) => t,
        None => r.assume(
            "tie_word_embeddings",
            tied_default,
            "the default of this model type's config class",
        ),
    };
    let norm = if plain_family { NormKind::Layer } else { NormKind::Rms };
    let norms_per_layer = if is(&["gemma2", "gemma3"]) {
        4
    } else if is(&["falcon", "refinedweb"]) {
        if r.get("new_decoder_architecture") == Some(&Value::Bool(true)) {
            r.int(&["num_ln_in_parallel_attn"], 1, 2).unwrap_or(2)
        } else if r.get("parallel_attn") != Some(&Value::Bool(false)) {
            1
        } else {
            2
        }
    } else {
        2
    };
    let qk_norm = is(&["qwen3", "gemma3", "olmo2"]);
    let attn_bias = if is(&["qwen2"]) {
        AttnBias::Qkv
    } else if is(&["gpt2", "gpt_neox"]) || r.flag("attention_bias") == Some(true) || r.flag("bias") == Some(true) {
        AttnBias::All
    } else {
        AttnBias::None
    };
    let mlp_bias = is(&["gpt2", "gpt_neox"])
        || r.flag("mlp_bias") == Some(true)
        || (is(&["falcon"]) && r.get("bias") == Some(&Value::Bool(true)));
    let max_context = r
        .int(
            &["max_position_embeddings", "n_positions", "n_ctx", "seq_length"],
            1,
            100_000_000,
        )
        .unwrap_or(2048);
    let learned_positions = if is(&["gpt2"]) { max_context } else { 0 };

    // Sliding windows.
    let use_sw = r.get("use_sliding_window") != Some(&Value::Bool(false));
    let window = if use_sw {
        r.int(&["sliding_window"], 0, 100_000_000).unwrap_or(0)
    } else {
        0
    };
    let global_every = if window == 0 {
        0
    } else if let Some(Value::Array(types)) = r.get("layer_types") {
        let full = types.iter().filter(|t| t.as_str() == Some("full_attention")).count() as u64;
        layers.checked_div(full).map_or(0, |n| n.max(1))
    } else if is(&["gemma2"]) {
        2
    } else if is(&["gemma3"]) {
        r.int(&["sliding_window_pattern"], 1, 1000).unwrap_or(6)
    } else {
        0
    };

    // Mixture of experts.
    let experts = r
        .int(&["num_local_experts", "n_routed_experts", "num_experts"], 1, 100_000)
        .unwrap_or(0);
    let moe = if experts > 1 {
        let start = Moe::starting_point(ffn);
        let experts_active = match r.int(&["num_experts_per_tok", "moe_top_k", "top_k"], 1, 100_000) {
            Some(k) => k,
            None => r.assume(
                "experts_active",
                start.experts_active,
                "no num_experts_per_tok: Mixtral's top-2",
            ),
        };
        let expert_ffn = r.int(&["moe_intermediate_size"], 1, 10_000_000).unwrap_or(ffn);
        let shared = match r.int(&["n_shared_experts"], 0, 1000) {
            Some(s) => s,
            None => match r.int(&["shared_expert_intermediate_size"], 0, 10_000_000) {
                Some(size) => r.assume(
                    "shared_experts",
                    size / expert_ffn.max(1),
                    "shared_expert_intermediate_size / moe_intermediate_size",
                ),
                None => 0,
            },
        };
        let dense_layers = r.int(&["first_k_dense_replace"], 0, 1000).unwrap_or(0);
        let router_bias = r.string("topk_method").as_deref() == Some("noaux_tc") || is(&["gpt_oss"]);
        Some(Moe {
            experts,
            experts_active,
            shared_experts: shared,
            expert_ffn,
            dense_layers,
            router_bias,
            expert_bias: is(&["gpt_oss"]),
        })
    } else {
        None
    };

    // Multi-head latent attention.
    let mla = match r.int(&["kv_lora_rank"], 1, 100_000) {
        Some(kv_lora_rank) => {
            let start = Mla::STARTING_POINT;
            // A missing q_lora_rank means uncompressed queries (DeepSeek-V2-Lite): not a guess.
            let q_lora_rank = r.int(&["q_lora_rank"], 0, 100_000).unwrap_or(0);
            let mut dim = |key: &str, what: &str, default: u64| match r.int(&[key], 0, 100_000) {
                Some(v) => v,
                None => r.assume(what, default, &format!("no {key}: DeepSeek-V3's")),
            };
            Some(Mla {
                q_lora_rank,
                kv_lora_rank,
                rope_dim: dim("qk_rope_head_dim", "rope_dim", start.rope_dim),
                nope_dim: dim("qk_nope_head_dim", "nope_dim", start.nope_dim),
                v_head_dim: dim("v_head_dim", "v_head_dim", start.v_head_dim),
            })
        }
        None => None,
    };
    let head_dim = match mla {
        Some(m) => m.nope_dim + m.rope_dim,
        None => head_dim,
    };

    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    let arch = Architecture {
        layers,
        hidden,
        heads,
        kv_heads: if mla.is_some() { heads } else { kv_heads },
        head_dim,
        ffn,
        mlp,
        vocab,
        tied_embeddings,
        norm,
        norms_per_layer,
        qk_norm,
        attn_bias,
        attn_sinks: is(&["gpt_oss"]),
        mlp_bias,
        learned_positions,
        rel_pos_proj: false,
        dropout: false,
        moe,
        mla,
        attention: AttentionPattern { window, global_every },
        max_context,
    };
    let problems = arch.problems();
    if !problems.is_empty() {
        return Err(problems);
    }
    let name = r
        .string("_name_or_path")
        .or_else(|| top.get("_name_or_path").and_then(Value::as_str).map(str::to_string))
        .or_else(|| {
            top.get("architectures")
                .and_then(|a| a.get(0))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .or_else(|| (!family.is_empty()).then(|| family.clone()))
        .map(|n| super::units::clean_name(&n))
        .filter(|n| !n.is_empty());
    Ok(Imported {
        arch,
        name,
        family,
        read: r.read,
        assumed: r.assumed,
    })
}
