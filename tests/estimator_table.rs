//! The estimator's figures as one data table through one `check` helper: each row a scenario
//! (as a share query), the figure, the expected value, a relative tolerance, and where the
//! expected value comes from (a paper's table or equation, or the hand calculation written next
//! to the row). Plus the linearity properties of the KV cache.

use llm_memviz::estimate::Report;
use llm_memviz::estimate::scenario::Scenario;
use llm_memviz::share;
use proptest::prelude::*;

/// One expectation.
struct Row {
    query: &'static str,
    figure: fn(&Report) -> f64,
    expected: f64,
    tolerance: f64,
    source: &'static str,
}

fn check(rows: &[Row]) {
    let mut failures = Vec::new();
    for r in rows {
        let decoded = share::decode(r.query);
        assert!(decoded.warnings.is_empty(), "{}: {:?}", r.query, decoded.warnings);
        let got = (r.figure)(&decoded.state.scenario.evaluate());
        let ok = if r.tolerance == 0.0 {
            got == r.expected
        } else {
            (got / r.expected - 1.0).abs() <= r.tolerance
        };
        if !ok {
            failures.push(format!(
                "{} → {got} (expected {} ± {}; {})",
                r.query, r.expected, r.tolerance, r.source
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

const GIB: f64 = 1_073_741_824.0;

#[test]
fn estimator_figures() {
    check(&[
        // --- Parameters ---------------------------------------------------------------------
        Row {
            query: "",
            figure: |r| r.model.params,
            expected: 8_030_261_248.0,
            tolerance: 0.0,
            source: "Llama-3.1-8B safetensors count",
        },
        Row {
            query: "model=mixtral-8x7b",
            figure: |r| r.model.active_params,
            expected: 12_879_925_248.0,
            tolerance: 0.0,
            source: "Mixtral: 2 of 8 experts; 32 × (41,943,040 + 2·176,160,768 + 32,768 + 8,192) + 262,144,000 + 4,096",
        },
        Row {
            query: "model=deepseek-v3",
            figure: |r| r.model.active_params,
            expected: 37e9,
            tolerance: 0.02,
            source: "DeepSeek-V3 report: 37B activated",
        },
        // --- Weights ------------------------------------------------------------------------
        Row {
            query: "",
            figure: |r| r.inference.weights_bytes,
            expected: 2.0 * 8_030_261_248.0,
            tolerance: 0.0,
            source: "bf16: 2 bytes × 8,030,261,248",
        },
        Row {
            query: "weights=fp32",
            figure: |r| r.inference.weights_bytes,
            expected: 4.0 * 8_030_261_248.0,
            tolerance: 0.0,
            source: "fp32: 4 bytes per parameter",
        },
        // Q8_0 on every matrix (8.5 bits), norms F32: 8,030,261,248 − 266,240 norm params = 8,029,995,008
        // at 8.5/8 bytes + 266,240 × 4 bytes.
        Row {
            query: "weights=q8_0",
            figure: |r| r.inference.weights_bytes,
            expected: 8_029_995_008.0 * 8.5 / 8.0 + 266_240.0 * 4.0,
            tolerance: 1e-12,
            source: "ggml Q8_0 block: 34 bytes / 32 weights; llama.cpp keeps norms F32",
        },
        // NF4 on block linears only: 6,979,321,856 linear params at 4.5 bits; embeddings,
        // lm_head (1,050,673,152) and norms (266,240) in 16-bit.
        Row {
            query: "weights=nf4",
            figure: |r| r.inference.weights_bytes,
            expected: 6_979_321_856.0 * 4.5 / 8.0 + (1_050_673_152.0 + 266_240.0) * 2.0,
            tolerance: 1e-12,
            source: "QLoRA §3: 4 + 32/64 bits; bitsandbytes leaves embeddings and head in 16-bit",
        },
        // --- KV cache -----------------------------------------------------------------------
        Row {
            query: "ctx=128k",
            figure: |r| r.inference.kv_cache_bytes,
            expected: 16.0 * GIB,
            tolerance: 0.0,
            source: "2 × 32 layers × 8 KV heads × 128 × 2 B = 131,072 B/token × 131,072 tokens",
        },
        Row {
            query: "model=llama-3.1-70b&ctx=32k&batch=4&kv=fp8",
            figure: |r| r.inference.kv_cache_bytes,
            expected: 2.0 * 80.0 * 8.0 * 128.0 * 1.0 * 32_768.0 * 4.0,
            tolerance: 0.0,
            source: "2 × 80 × 8 × 128 × 1 B × 32,768 tokens × 4 sequences (scaling book formula)",
        },
        Row {
            query: "model=deepseek-v3",
            figure: |r| r.inference.kv_cache_bytes_per_token,
            expected: 70_272.0,
            tolerance: 0.0,
            source: "(512 + 64) × 61 × 2 B (DeepSeek-V2 §2.1.2: only c_KV and k_R cached)",
        },
        Row {
            query: "model=gemma-3-27b&ctx=32k",
            figure: |r| r.inference.kv_cache_bytes,
            expected: 8192.0 * (10.0 * 32_768.0 + 52.0 * 1024.0),
            tolerance: 0.0,
            source: "8,192 B/token/layer; 10 global layers hold 32,768 tokens, 52 local hold 1,024",
        },
        Row {
            query: "model=mistral-7b-v0.1&ctx=1M",
            figure: |r| r.inference.kv_cache_bytes,
            expected: 131_072.0 * 4096.0,
            tolerance: 0.0,
            source: "every layer slides: capped at W = 4,096 tokens",
        },
        // --- Crossover and fit --------------------------------------------------------------
        Row {
            query: "",
            figure: |r| r.inference.kv_equals_weights_at_context.unwrap_or(0.0),
            expected: 16_060_522_496.0 / 131_072.0,
            tolerance: 1e-12,
            source: "weights bytes / KV bytes per token",
        },
        // --- Decode bound -------------------------------------------------------------------
        Row {
            query: "gpu=a100-80gb",
            figure: |r| r.inference.decode_seconds_per_token_bound,
            // The input embedding is a row lookup: 128,256 × 4,096 × 2 B = 1,050,673,152 B are
            // not read, the untied output head is.
            expected: (16_060_522_496.0 - 1_050_673_152.0 + GIB) / 2.039e12,
            tolerance: 1e-12,
            source: "(weights but the input embedding + 1 GiB of KV at 8k) / 2,039 GB/s (A100 80GB datasheet)",
        },
        // --- Training ------------------------------------------------------------------------
        Row {
            query: "mode=train&ctx=1",
            figure: |r| {
                r.training.memory.weights_bytes + r.training.memory.gradient_bytes + r.training.memory.optimizer_bytes
            },
            expected: 16.0 * 8_030_261_248.0,
            tolerance: 0.0,
            source: "Transformer Math 101: 16 bytes/param for bf16 + AdamW",
        },
        Row {
            query: "mode=train&ctx=1&zero=3&dp=8",
            figure: |r| {
                r.training.memory.weights_bytes + r.training.memory.gradient_bytes + r.training.memory.optimizer_bytes
            },
            expected: 2.0 * 8_030_261_248.0,
            tolerance: 1e-12,
            source: "ZeRO-3 (Rajbhandari et al. 2020 §5): (2 + 2 + 12) Ψ / N_d with N_d = 8",
        },
        // Llama-3.1-8B, s = 4096, b = 1, FlashAttention: per layer (8 + 33) sbh + 4·a·s·b (fp32
        // log-sum-exp) = 41 × 4096 × 4096 + 4 × 32 × 4096 = 688,390,144 B; × 32 layers
        // + head 2sbh + 6·s·b·vocab = 33,554,432 + 3,152,019,456.
        Row {
            query: "mode=train&ctx=4096",
            figure: |r| r.training.memory.activation_bytes,
            expected: 32.0 * 688_390_144.0 + 33_554_432.0 + 3_152_019_456.0,
            tolerance: 1e-12,
            source: "Korthikanti et al. 2022 eq. 1 adapted (see training.rs), hand-computed here",
        },
        // Full recomputation: 2sbh per layer + one layer rebuilt + head.
        Row {
            query: "mode=train&ctx=4096&recompute=full",
            figure: |r| r.training.memory.activation_bytes,
            expected: 32.0 * 2.0 * 4096.0 * 4096.0 + 688_390_144.0 + 33_554_432.0 + 3_152_019_456.0,
            tolerance: 1e-12,
            source: "Korthikanti et al. 2022 Table 2: full recomputation keeps 2sbh per layer",
        },
        // --- Chinchilla ------------------------------------------------------------------------
        Row {
            query: "model=chinchilla-70b&fit=rule20",
            figure: |r| r.chinchilla.optimal_tokens,
            expected: 20.0 * 70_056_681_472.0,
            tolerance: 0.0,
            source: "D = 20 N",
        },
        Row {
            query: "model=chinchilla-70b",
            figure: |r| r.chinchilla.training_flops,
            expected: 6.0 * 70_056_681_472.0 * 1.4e12,
            tolerance: 0.0,
            source: "C = 6 N D",
        },
        Row {
            query: "model=gopher-280b&fit=hoffmann",
            figure: |r| r.chinchilla.loss,
            expected: 1.993,
            tolerance: 0.001,
            source: "Hoffmann et al. eq. 2 with E=1.69, A=406.4, B=410.7, α=0.34, β=0.28 at (280B, 300B)",
        },
    ]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// KV bytes are linear in context (no window) and in batch; weights ignore both.
    #[test]
    fn kv_cache_is_linear(model in prop::sample::select(vec!["llama-3.1-8b", "qwen2.5-72b", "deepseek-v3", "mixtral-8x7b", "falcon-40b"]),
                          ctx in 1u64..2_000_000, batch in 1u64..5_000) {
        let base = Scenario { model: model.to_string(), ctx, batch, ..Scenario::default() };
        let r = base.evaluate();
        let r2c = Scenario { ctx: ctx * 2, ..base.clone() }.evaluate();
        let r2b = Scenario { batch: batch * 2, ..base.clone() }.evaluate();
        prop_assert_eq!(r2c.inference.kv_cache_bytes, 2.0 * r.inference.kv_cache_bytes);
        prop_assert_eq!(r2b.inference.kv_cache_bytes, 2.0 * r.inference.kv_cache_bytes);
        prop_assert_eq!(r2c.inference.weights_bytes, r.inference.weights_bytes);
        prop_assert_eq!(r2b.inference.weights_bytes, r.inference.weights_bytes);
    }

    /// With a sliding window on every layer the cache stops at the window.
    #[test]
    fn sliding_window_caps_the_cache(ctx in 4096u64..10_000_000) {
        let s = Scenario { model: "mistral-7b-v0.1".into(), ctx, ..Scenario::default() };
        prop_assert_eq!(s.evaluate().inference.kv_cache_bytes, 131_072.0 * 4096.0);
    }
}
