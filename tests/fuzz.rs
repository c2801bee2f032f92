//! Fuzzing with properties: the link decoder, the config.json importer and the estimator over
//! hostile and extreme inputs. `make test` runs a short pass (2,000 cases per target);
//! `make fuzz` sets `LLM_MEMVIZ_FUZZ_CASES` (default 1,000,000) and prints how many inputs ran
//! and how long they took.
//!
//! Properties: nothing panics; a link always yields a valid scenario whose figures are finite
//! and non-negative; the canonical form is a fixed point; the estimator is monotone where the
//! physics says so.

use std::time::Instant;

use llm_memviz::estimate::arch_field::ArchField;
use llm_memviz::estimate::hf_config;
use llm_memviz::estimate::scenario::Scenario;
use llm_memviz::share;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn cases() -> u32 {
    std::env::var("LLM_MEMVIZ_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

fn run<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let n = cases();
    let mut runner = TestRunner::new(Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    });
    let t0 = Instant::now();
    let result = runner.run(&strategy, test);
    println!("fuzz {name}: {n} inputs in {:.2} s", t0.elapsed().as_secs_f64());
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Keys, values and separators people (and attackers) put in links.
fn hostile_query() -> impl Strategy<Value = String> {
    let keys: Vec<String> = [
        "v",
        "model",
        "name",
        "params",
        "weights",
        "kv",
        "ctx",
        "batch",
        "mode",
        "optimizer",
        "recompute",
        "zero",
        "dp",
        "tp",
        "pp",
        "sp",
        "flash",
        "lora_rank",
        "gpu",
        "gpus",
        "tokens",
        "fit",
        "view",
        "controls",
        "embed",
        "theme",
        "units",
        "a.ctx",
        "a.model",
        "a.params",
        "bogus",
        "%00",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(ArchField::ALL.iter().map(|f| f.key().to_string()))
    .collect();
    let values = prop_oneof![
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("1e999".to_string()),
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("18446744073709551616".to_string()),
        Just("%".to_string()),
        Just("%FF%FE".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("javascript:alert(1)".to_string()),
        "[0-9]{1,25}(\\.[0-9]{0,5})?[kKmMbBtTgG]?".prop_map(|s| s),
        "[0-9]\\.[0-9]e[+-]?[0-9]{1,3}".prop_map(|s| s),
        any::<String>(),
        (1usize..100_000).prop_map(|n| "9".repeat(n)),
    ];
    prop::collection::vec(
        (
            prop::sample::select(keys),
            values,
            prop::sample::select(vec!["&", ";", "&&", "&=&"]),
        ),
        0..12,
    )
    .prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v, sep)| format!("{k}={v}{sep}"))
            .collect::<String>()
    })
}

fn finite_report(s: &Scenario) -> Result<(), TestCaseError> {
    let r = s.evaluate();
    let i = &r.inference;
    let t = &r.training.memory;
    for (name, v) in [
        ("weights", i.weights_bytes),
        ("kv", i.kv_cache_bytes),
        ("activations", i.activation_bytes),
        ("total", i.total_bytes),
        ("decode", i.decode_seconds_per_token_bound),
        ("train total", t.total_bytes),
        ("train activations", t.activation_bytes),
        ("flops", r.chinchilla.training_flops),
        ("loss", r.chinchilla.loss),
    ] {
        prop_assert!(v.is_finite() && v >= 0.0, "{name} = {v} for {s:?}");
    }
    Ok(())
}

#[test]
fn fuzz_link_decoder() {
    run("link decoder (hostile queries)", hostile_query(), |q| {
        let d = share::decode(&q);
        let once = share::encode(&d.state);
        let again = share::decode(&once);
        prop_assert!(again.warnings.is_empty(), "{once}: {:?}", again.warnings);
        prop_assert_eq!(&again.state, &d.state);
        finite_report(&d.state.scenario)
    });
    run(
        "link decoder (arbitrary bytes)",
        prop::collection::vec(any::<u8>(), 0..512),
        |bytes| {
            let q = String::from_utf8_lossy(&bytes);
            let d = share::decode(&q);
            let _ = share::encode(&d.state);
            Ok(())
        },
    );
}

#[test]
fn fuzz_config_importer() {
    run("config importer (arbitrary text)", any::<String>(), |s| {
        let _ = hf_config::import(&s);
        Ok(())
    });
    let field = prop::sample::select(vec![
        "num_hidden_layers",
        "hidden_size",
        "num_attention_heads",
        "num_key_value_heads",
        "vocab_size",
        "head_dim",
        "intermediate_size",
        "num_local_experts",
        "num_experts_per_tok",
        "kv_lora_rank",
        "sliding_window",
        "moe_intermediate_size",
        "n_shared_experts",
        "first_k_dense_replace",
        "max_position_embeddings",
    ]);
    let value = prop_oneof![
        (0u64..100_000).prop_map(|n| n.to_string()),
        Just("1e308".to_string()),
        Just("-0".to_string()),
        Just("null".to_string()),
        Just("\"x\"".to_string()),
        Just("[1]".to_string()),
        Just("1.5".to_string()),
    ];
    run(
        "config importer (config-shaped)",
        prop::collection::vec((field, value), 0..16),
        |fields| {
            let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            let text = format!("{{{}}}", body.join(","));
            if let Ok(imp) = hf_config::import(&text) {
                let n = imp.arch.param_count().total;
                prop_assert!(n.is_finite() && n > 0.0, "{text}");
                let s = Scenario {
                    model: "custom".into(),
                    arch: imp.overrides(),
                    ..Scenario::default()
                };
                let (normal, _) = share::normalize(&s);
                finite_report(&normal)?;
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_estimator_ranges_and_monotonicity() {
    let strategy = (
        prop::sample::select(
            llm_memviz::estimate::presets::all()
                .iter()
                .map(|p| p.id.clone())
                .collect::<Vec<_>>(),
        ),
        prop::option::of(3.0f64..14.0),
        0.0f64..7.0,
        0.0f64..4.0,
        0u8..=3,
        0u32..=14,
    );
    run(
        "estimator over the documented ranges",
        strategy,
        |(model, log_params, log_ctx, log_batch, zero, log_dp)| {
            let ctx = 10f64.powf(log_ctx).round().max(1.0) as u64;
            let batch = 10f64.powf(log_batch).round().max(1.0) as u64;
            let mut s = Scenario {
                model: model.to_string(),
                params: log_params.map(|l| 10f64.powf(l).round()),
                ctx,
                batch,
                ..Scenario::default()
            };
            s.training.zero = zero;
            s.training.dp = 1 << log_dp;
            finite_report(&s)?;
            let r = s.evaluate();
            // More context never less KV; more batch never less KV; weights never change with either.
            let longer = Scenario {
                ctx: (ctx * 2).min(10_000_000),
                ..s.clone()
            }
            .evaluate();
            prop_assert!(longer.inference.kv_cache_bytes >= r.inference.kv_cache_bytes);
            prop_assert_eq!(longer.inference.weights_bytes, r.inference.weights_bytes);
            let wider = Scenario {
                batch: (batch * 2).min(10_000),
                ..s.clone()
            }
            .evaluate();
            prop_assert!(wider.inference.kv_cache_bytes >= r.inference.kv_cache_bytes);
            // More data-parallel GPUs with ZeRO never more per-GPU model state.
            let mut more = s.clone();
            more.training.dp = (s.training.dp * 2).min(1_000_000);
            let m = more.evaluate().training.memory;
            let states = |t: &llm_memviz::estimate::training::TrainingMemory| {
                t.weights_bytes + t.gradient_bytes + t.optimizer_bytes
            };
            prop_assert!(states(&m) <= states(&r.training.memory) * (1.0 + 1e-12));
            Ok(())
        },
    );
}
