//! Published engine measurements, one row each: the scenario (a share query), the figure
//! compared, the measured value with its source quoted, and a tolerance. Measurements outrank
//! formulas: a row that fails means the estimator is wrong, not the row. The table prints each
//! row's ratio (estimate ÷ measurement) with `--nocapture`.

use llm_memviz::estimate::Report;
use llm_memviz::share;

/// GiB in bytes.
const GIB: f64 = 1_073_741_824.0;

/// One measurement.
struct Row {
    query: String,
    /// What is compared, in bytes.
    field: Field,
    /// The measured value in bytes.
    measured: f64,
    /// Relative tolerance.
    tolerance: f64,
    /// Where the measurement was published, and the quoted number.
    source: String,
}

/// The figure a row compares.
#[derive(Clone, Copy, Debug)]
enum Field {
    /// What PyTorch's allocator peaks at (`torch.cuda.max_memory_allocated`): the total less
    /// the engine's runtime (CUDA context), which the allocator does not see.
    Allocated,
}

fn value(r: &Report, f: Field) -> f64 {
    match f {
        Field::Allocated => {
            r.inference.total_bytes
                - r.inference.engine_terms.runtime_reserve_bytes_per_gpu
                    * r.gpu.as_ref().map_or(1.0, |g| f64::from(g.count))
        }
    }
}

fn check(rows: &[Row]) {
    let mut failures = Vec::new();
    for r in rows {
        let decoded = share::decode(&r.query);
        assert!(decoded.warnings.is_empty(), "{}: {:?}", r.query, decoded.warnings);
        let got = value(&decoded.state.scenario.evaluate(), r.field);
        let ratio = got / r.measured;
        println!("{ratio:.3}  {:?}  {}  ({})", r.field, r.query, r.source);
        if (ratio - 1.0).abs() > r.tolerance {
            failures.push(format!(
                "{} → {:.2} GiB, measured {:.2} GiB (ratio {ratio:.3}, tolerance ±{}); {}",
                r.query,
                got / GIB,
                r.measured / GIB,
                r.tolerance,
                r.source
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The Qwen2.5 speed benchmark: Hugging Face transformers 4.46 on A100 80GB, FlashAttention 2,
/// batch 1, generating 2,048 tokens after a prompt of `input` tokens (so the cache ends at
/// input + 2,048 tokens); memory is the peak of `torch.cuda.max_memory_allocated` summed over
/// the GPUs, in GiB (QwenLM/Qwen2.5, docs/source/benchmark/speed_benchmark.rst, "7B
/// (Transformer)" and "72B (Transformer)" tables). Multi-GPU rows use `device_map="auto"`
/// (layers split across GPUs).
fn qwen25(model: &str, input: u64, weights: &str, gpus: u32, measured_gib: f64) -> Row {
    Row {
        query: format!(
            "model={model}&engine=transformers&gpu=a100-80gb&ctx={}&weights={weights}&gpus={gpus}",
            input + 2048
        ),
        field: Field::Allocated,
        measured: measured_gib * GIB,
        tolerance: 0.05,
        source: format!(
            "Qwen2.5 speed benchmark (QwenLM/Qwen2.5 docs/source/benchmark/speed_benchmark.rst): {model} input {input}, {weights}, {gpus} GPU(s): {measured_gib} GB"
        ),
    }
}

#[test]
fn transformers_inference_matches_published_peaks() {
    let rows = vec![
        qwen25("qwen2.5-7b", 1, "bf16", 1, 14.38),
        qwen25("qwen2.5-7b", 6144, "bf16", 1, 15.38),
        qwen25("qwen2.5-7b", 14336, "bf16", 1, 16.91),
        qwen25("qwen2.5-7b", 30720, "bf16", 1, 19.97),
        qwen25("qwen2.5-7b", 1, "gptq-int4", 1, 5.52),
        qwen25("qwen2.5-7b", 6144, "gptq-int4", 1, 6.52),
        qwen25("qwen2.5-7b", 14336, "gptq-int4", 1, 8.05),
        qwen25("qwen2.5-7b", 30720, "gptq-int4", 1, 11.11),
        qwen25("qwen2.5-7b", 1, "awq-int4", 1, 5.39),
        qwen25("qwen2.5-7b", 6144, "awq-int4", 1, 6.39),
        qwen25("qwen2.5-7b", 14336, "awq-int4", 1, 7.92),
        qwen25("qwen2.5-7b", 30720, "awq-int4", 1, 10.98),
        qwen25("qwen2.5-72b", 1, "bf16", 2, 136.20),
        qwen25("qwen2.5-72b", 6144, "bf16", 2, 140.00),
        qwen25("qwen2.5-72b", 14336, "bf16", 3, 149.14),
        qwen25("qwen2.5-72b", 30720, "bf16", 3, 164.79),
        qwen25("qwen2.5-72b", 1, "gptq-int4", 1, 39.91),
        qwen25("qwen2.5-72b", 6144, "gptq-int4", 1, 42.50),
        qwen25("qwen2.5-72b", 14336, "gptq-int4", 1, 46.86),
        qwen25("qwen2.5-72b", 30720, "gptq-int4", 2, 62.57),
        qwen25("qwen2.5-72b", 1, "awq-int4", 1, 39.44),
        qwen25("qwen2.5-72b", 6144, "awq-int4", 1, 42.13),
        qwen25("qwen2.5-72b", 14336, "awq-int4", 1, 46.38),
        qwen25("qwen2.5-72b", 30720, "awq-int4", 2, 61.64),
    ];
    check(&rows);
}
