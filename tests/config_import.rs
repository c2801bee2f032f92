//! Pasting a Hugging Face config.json: each supported shape maps to the right architecture
//! (fixtures carry the public configs' fields), malformed input gives the right message, the
//! imported model survives a share link, and arbitrary JSON never panics.

use llm_memviz::estimate::hf_config::{self, MAX_BYTES};
use llm_memviz::estimate::presets;
use llm_memviz::estimate::scenario::Scenario;
use llm_memviz::share::{self, State};
use llm_memviz::state::{Action, Page};
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/configs/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Fixture, and the parameter count its architecture must derive (with the source).
const CASES: &[(&str, f64, &str)] = &[
    ("llama-3.1-8b", 8_030_261_248.0, "preset / HF metadata"),
    ("llama-3.2-1b", 1_235_814_400.0, "preset / HF metadata"),
    ("mistral-7b-v0.1", 7_241_732_096.0, "preset / HF metadata"),
    ("mixtral-8x7b", 46_702_792_704.0, "preset / HF metadata"),
    ("qwen2.5-7b", 7_615_616_512.0, "preset / HF metadata"),
    ("qwen3-8b", 8_190_735_360.0, "preset (8.2B card)"),
    ("gemma-2-9b", 9_241_705_984.0, "preset / HF metadata"),
    (
        "gemma-3-27b",
        27_009_346_304.0,
        "preset: text decoder (25.6B non-embedding, Gemma 3 report Table 1)",
    ),
    ("deepseek-v3", 671_026_419_200.0, "preset (671B)"),
    (
        "gpt-oss-20b",
        20_914_757_184.0,
        "preset (20.91B, gpt-oss model card Table 1): attention and expert biases, sinks",
    ),
    ("phi-3-mini-4k", 3_821_079_552.0, "preset / HF metadata"),
    ("falcon-40b", 41_303_293_952.0, "preset (tied head)"),
    // Per block: query_key_value 4,544 × (71 + 2) · 64 = 21,229,568, dense 4,544² = 20,647,936,
    // MLP 2 × 4,544 × 18,176 = 165,183,488, one LayerNorm 2 × 4,544 = 9,088 (parallel
    // attention): 207,070,080 × 32 = 6,626,242,560; + embedding 65,024 × 4,544 = 295,469,056
    // (head tied) + ln_f 9,088 — the module list FalconForCausalLM prints; 6.92B on the card.
    (
        "falcon-7b",
        6_921_720_704.0,
        "hand count (multi-query, parallel attention, tied head)",
    ),
    ("gpt2", 124_439_808.0, "HF metadata of openai-community/gpt2 (124M)"),
    ("pythia-160m", 162_322_944.0, "HF metadata of EleutherAI/pythia-160m"),
];

#[test]
fn supported_shapes_import_exactly() {
    for (name, want, source) in CASES {
        let imported = hf_config::import(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let got = imported.arch.param_count().total;
        assert_eq!(got, *want, "{name}: derived {got} vs {want} ({source})");
        if let Some(p) = presets::find(name) {
            assert_eq!(
                imported.arch, p.arch,
                "{name}: imported architecture differs from the preset"
            );
        }
    }
}

#[test]
fn imported_model_survives_the_share_link() {
    for (name, want, _) in CASES {
        let imported = hf_config::import(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let page = Page::from_query("", 800, false).apply(Action::ImportArch {
            overrides: imported.overrides(),
            name: imported.name.clone(),
            warnings: vec![],
        });
        assert!(page.warnings.is_empty(), "{name}: {:?}", page.warnings);
        let link = page.query();
        let reopened = share::decode(&link);
        assert!(reopened.warnings.is_empty(), "{name}: {link}: {:?}", reopened.warnings);
        assert_eq!(reopened.state, page.share, "{name}");
        let r = reopened.state.scenario.evaluate();
        assert_eq!(r.model.params, *want, "{name}: {link}");
        assert_eq!(reopened.state.scenario.resolve().arch, imported.arch, "{name}: {link}");
    }
}

#[test]
fn falcon_defaults_follow_its_config_class() {
    let base = fixture("falcon-7b");
    let count = |text: &str| match hf_config::import(text) {
        Ok(i) => i.arch.param_count().total,
        Err(e) => panic!("{e:?}"),
    };
    // Without "multi_query", FalconConfig's default (True) applies: still one KV head.
    let no_key = base.replace("\"multi_query\": true,", "");
    assert!(!no_key.contains("multi_query"));
    assert_eq!(count(&no_key), 6_921_720_704.0);
    // multi_query false: 71 KV heads, so query_key_value is 4,544 × 3 × 4,544 per block:
    // + 32 × 4,544 × (3 × 4,544 − 4,672) = 32 × 4,544 × 8,960 = 1,302,855,680.
    let mha = base.replace("\"multi_query\": true", "\"multi_query\": false");
    assert_eq!(count(&mha), 6_921_720_704.0 + 1_302_855_680.0);
    // Sequential attention and MLP: a second LayerNorm per block, + 32 × 9,088.
    let sequential = base.replace("\"parallel_attn\": true", "\"parallel_attn\": false");
    assert_eq!(count(&sequential), 6_921_720_704.0 + 290_816.0);
    // "bias": true (Falcon-RW): biases on query_key_value (4,672), dense (4,544) and both MLP
    // matrices (18,176 + 4,544): + 32 × 31,936 = 1,021,952.
    let biased = base.replace("\"bias\": false", "\"bias\": true");
    assert_eq!(count(&biased), 6_921_720_704.0 + 1_021_952.0);
}

#[test]
fn layer_types_say_how_often_a_layer_is_global() {
    // Newer Gemma 3 configs list each layer: five sliding, then one full, over 62 layers (10
    // full): a global layer every 62 / 10 → 6 layers, as sliding_window_pattern says.
    let types: Vec<String> = (0..62)
        .map(|i| {
            if i % 6 == 5 {
                "\"full_attention\""
            } else {
                "\"sliding_attention\""
            }
            .to_string()
        })
        .collect();
    let text = fixture("gemma-3-27b").replacen(
        "\"text_config\": {",
        &format!("\"text_config\": {{\"layer_types\": [{}],", types.join(",")),
        1,
    );
    let a = hf_config::import(&text).unwrap_or_else(|e| panic!("{e:?}")).arch;
    assert_eq!((a.attention.window, a.attention.global_every), (1024, 6));
}

#[test]
fn one_expert_is_a_dense_model_and_shared_experts_come_from_their_size() {
    let llama = fixture("llama-3.1-8b");
    // "num_local_experts": 1 is no mixture: the dense count stands.
    let one = llama.replacen('{', "{\"num_local_experts\": 1,", 1);
    let a = hf_config::import(&one).unwrap_or_else(|e| panic!("{e:?}")).arch;
    assert!(a.moe.is_none());
    assert_eq!(a.param_count().total, 8_030_261_248.0);
    // Qwen1.5-MoE style: no n_shared_experts, but shared_expert_intermediate_size 5,632 over
    // moe_intermediate_size 1,408 = 4 shared experts, and the import says it assumed so.
    let qwen_moe = llama.replacen(
        '{',
        "{\"num_experts\": 60, \"num_experts_per_tok\": 4, \"moe_intermediate_size\": 1408, \"shared_expert_intermediate_size\": 5632,",
        1,
    );
    let i = hf_config::import(&qwen_moe).unwrap_or_else(|e| panic!("{e:?}"));
    let moe = i.arch.moe.unwrap_or_else(|| panic!("an MoE"));
    assert_eq!(
        (moe.experts, moe.experts_active, moe.expert_ffn, moe.shared_experts),
        (60, 4, 1408, 4)
    );
    assert!(
        i.assumed.iter().any(|a| a.starts_with("shared_experts = 4")),
        "{:?}",
        i.assumed
    );
}

#[test]
fn a_config_without_a_name_is_named_by_its_family() {
    let text = r#"{"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 100}"#;
    let i = hf_config::import(text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(i.name.as_deref(), Some("llama"));
    let nameless = r#"{"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 100}"#;
    assert_eq!(
        hf_config::import(nameless)
            .map(|i| i.name)
            .unwrap_or_else(|e| panic!("{e:?}")),
        None
    );
}

#[test]
fn a_paste_of_exactly_the_limit_is_read() {
    let mut text = fixture("llama-3.1-8b");
    text.push_str(&" ".repeat(MAX_BYTES - text.len()));
    assert_eq!(text.len(), MAX_BYTES);
    assert!(hf_config::import(&text).is_ok());
    text.push(' ');
    assert!(hf_config::import(&text).is_err(), "one byte more is refused");
}

#[test]
fn reports_what_was_read_and_assumed() {
    let g = hf_config::import(&fixture("gpt2")).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(g.read.iter().any(|r| r == "n_layer = 12"));
    assert!(g.assumed.iter().any(|a| a.starts_with("ffn = 3072")), "{:?}", g.assumed);
    assert!(
        g.assumed.iter().any(|a| a.starts_with("kv_heads = 12")),
        "{:?}",
        g.assumed
    );
    assert_eq!(g.name.as_deref(), Some("GPT2LMHeadModel"));
    assert_eq!(g.family, "gpt2");
}

#[test]
fn malformed_configs_get_clear_messages() {
    let cases: &[(&str, &str)] = &[
        ("", "paste the contents of a config.json"),
        ("{ not json", "not valid JSON"),
        ("[1, 2]", "a config.json is a JSON object"),
        (
            r#"{"hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 32000}"#,
            "missing num_hidden_layers (or n_layer (or num_layers))",
        ),
        (
            r#"{"num_hidden_layers": -3, "hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 1}"#,
            "num_hidden_layers is -3; it must be a whole number",
        ),
        (
            r#"{"num_hidden_layers": 2.5, "hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 1}"#,
            "num_hidden_layers is 2.5; it must be a whole number",
        ),
        (
            r#"{"num_hidden_layers": 1e15, "hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 1}"#,
            "num_hidden_layers is 1e15; it must be a whole number",
        ),
        (
            r#"{"num_hidden_layers": 2, "hidden_size": 4096, "num_attention_heads": 0, "vocab_size": 1}"#,
            "num_attention_heads is 0; it must be a whole number",
        ),
        (
            r#"{"num_hidden_layers": 2, "hidden_size": "big", "num_attention_heads": 8, "vocab_size": 1}"#,
            "hidden_size is \"big\"",
        ),
        (
            r#"{"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 8, "num_key_value_heads": 3, "vocab_size": 1}"#,
            "must be a multiple of kv_heads",
        ),
    ];
    for (text, want) in cases {
        match hf_config::import(text) {
            Ok(a) => panic!("{text}: accepted {a:?}"),
            Err(errs) => assert!(errs.iter().any(|e| e.contains(want)), "{text}: {errs:?} lacks {want:?}"),
        }
    }
    // Whole message, closed once per alternative name.
    let errs = hf_config::import(r#"{"hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 32000}"#)
        .err()
        .unwrap_or_default();
    assert!(
        errs.iter()
            .any(|e| e == "missing num_hidden_layers (or n_layer (or num_layers))"),
        "{errs:?}"
    );
    let huge = format!("{{\"x\": \"{}\"}}", "a".repeat(10 * 1024 * 1024));
    let errs = hf_config::import(&huge).err().unwrap_or_default();
    assert!(
        errs[0].contains("10.5 MB") && errs[0].contains(&format!("{} KB", MAX_BYTES / 1024)),
        "{errs:?}"
    );
}

#[test]
fn markup_in_a_name_stays_text() {
    let text =
        fixture("llama-3.1-8b").replacen('{', r#"{"_name_or_path": "<img src=x onerror=alert(1)>\u0007evil","#, 1);
    let imported = hf_config::import(&text).unwrap_or_else(|e| panic!("{e:?}"));
    // Control characters go; the markup is kept verbatim as text (it is only ever rendered as text).
    assert_eq!(imported.name.as_deref(), Some("<img src=x onerror=alert(1)>evil"));
    let page = Page::from_query("", 800, false).apply(Action::ImportArch {
        overrides: imported.overrides(),
        name: imported.name.clone(),
        warnings: vec![],
    });
    assert!(
        page.query()
            .contains("name=%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3Eevil"),
        "{}",
        page.query()
    );
    let _ = State::default();
    let _ = Scenario::default();
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| serde_json::json!(f)),
        "[a-z_<>]{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(3, 32, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "num_hidden_layers",
                    "hidden_size",
                    "num_attention_heads",
                    "num_key_value_heads",
                    "vocab_size",
                    "head_dim",
                    "intermediate_size",
                    "model_type",
                    "text_config",
                    "num_local_experts",
                    "kv_lora_rank",
                    "sliding_window",
                    "layer_types",
                    "tie_word_embeddings",
                    "n_routed_experts",
                    "moe_intermediate_size",
                ])
                .prop_map(str::to_string),
                inner,
                0..10,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        if let Ok(imported) = hf_config::import(&v.to_string()) {
            prop_assert!(imported.arch.problems().is_empty());
            let n = imported.arch.param_count().total;
            prop_assert!(n.is_finite() && n > 0.0);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        let _ = hf_config::import(&s);
    }
}
