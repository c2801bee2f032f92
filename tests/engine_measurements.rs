//! Published engine measurements, one row each: the scenario (a share query), the figure
//! compared, the measured value with its source quoted, and a tolerance. Measurements outrank
//! formulas: a row that fails means the estimator is wrong, not the row. The table prints each
//! row's ratio (estimate ÷ measurement) with `--nocapture`.

use llm_memviz::estimate::Report;
use llm_memviz::share;

/// GiB in bytes.
const MIB: f64 = 1_048_576.0;
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
    /// Training memory of one GPU with the engine's runtime: what must fit the card.
    TrainingOnGpu,
    /// Training memory of one GPU as PyTorch's allocator peaks at (`max_memory_allocated`):
    /// without the CUDA context.
    TrainingAllocated,
    /// The weights in their storage format (a GGUF file's size).
    Weights,
    /// The longest single sequence whose KV cache fits what is left (vLLM's "GPU KV cache
    /// size: N tokens"), in tokens, not bytes.
    KvTokens,
    /// The KV cache (llama.cpp's "KV self size" / "KV buffer size").
    Kv,
    /// The transient activations (llama.cpp's "CUDA0 compute buffer size").
    Activations,
    /// llama.cpp's weights on the GPU ("CUDA0 model buffer size").
    GpuWeights,
    /// llama.cpp's weights in system RAM ("CPU_Mapped model buffer size").
    RamWeights,
}

fn value(r: &Report, f: Field) -> f64 {
    match f {
        Field::TrainingOnGpu => r.training.memory.total_bytes + r.training.engine_overhead_bytes,
        Field::TrainingAllocated => r.training.memory.total_bytes,
        Field::Weights => r.inference.weights_bytes,
        Field::KvTokens => r.inference.max_context_on_gpu.unwrap_or(0.0),
        Field::Kv => r.inference.kv_cache_bytes,
        Field::Activations => r.inference.activation_bytes,
        Field::GpuWeights | Field::RamWeights => r.inference.offload.map_or(0.0, |o| {
            let (gpu, ram) = o.weight_split();
            if matches!(f, Field::GpuWeights) { gpu } else { ram }
        }),
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
        // The same scenario as the tensors alone (engine=none: the estimator before engines).
        let mut tensors_only = decoded.state.scenario.clone();
        tensors_only.engine = llm_memviz::estimate::engine::Engine::None;
        let before = value(&tensors_only.evaluate(), r.field) / r.measured;
        println!(
            "{ratio:.3} (tensors only {before:.3})  {:?}  {}  ({})",
            r.field, r.query, r.source
        );
        if (ratio - 1.0).abs() > r.tolerance {
            let (unit, scale) = match r.field {
                Field::KvTokens => ("tokens", 1.0),
                _ => ("GiB", GIB),
            };
            failures.push(format!(
                "{} → {:.2} {unit}, measured {:.2} {unit} (ratio {ratio:.3}, tolerance ±{}); {}",
                r.query,
                got / scale,
                r.measured / scale,
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

/// Unsloth's context-length benchmark, "Hugging Face + FA2" column: the longest sequence that
/// fits when fine-tuning with QLoRA (4-bit base, LoRA rank 32 on every linear layer, batch 1,
/// sequences padded to the length) — so at that length the run fills the card. Source: the
/// Unsloth README / docs "Unsloth Benchmarks" (unsloth.ai/docs/basics/unsloth-benchmarks),
/// tables "Llama 3.1 (8B) max. context length" and "Llama 3.3 (70B) max. context length" (70B
/// measured on an A100 80GB). The GPU sizes are read as GiB. Gradient checkpointing is on
/// (recompute=full), as in every Unsloth/HF recipe, else 28k tokens would not fit at all.
fn unsloth_hf(model: &str, vram_gb: f64, gpu: &str, tokens: u64) -> Row {
    Row {
        query: format!(
            "model={model}&engine=transformers&mode=train&weights=nf4&lora_rank=32&recompute=full&ctx={tokens}&gpu={gpu}"
        ),
        field: Field::TrainingOnGpu,
        measured: vram_gb * GIB,
        tolerance: 0.15,
        source: format!("Unsloth benchmarks, Hugging Face + FA2: {model} fits {tokens} tokens in {vram_gb} GB"),
    }
}

#[test]
fn transformers_qlora_fills_the_card_at_the_published_longest_context() {
    // The GPU model only sets the card size here; the memory compared is the card's own.
    let rows = vec![
        unsloth_hf("llama-3.1-8b", 12.0, "a100-80gb", 932),
        unsloth_hf("llama-3.1-8b", 16.0, "a100-80gb", 2_551),
        unsloth_hf("llama-3.1-8b", 24.0, "a100-80gb", 5_789),
        unsloth_hf("llama-3.1-8b", 40.0, "a100-80gb", 12_264),
        unsloth_hf("llama-3.1-8b", 48.0, "a100-80gb", 15_502),
        unsloth_hf("llama-3.1-8b", 80.0, "a100-80gb", 28_454),
        // Llama 3.3 70B has Llama 3.1 70B's architecture (same config.json shape).
        unsloth_hf("llama-3.1-70b", 80.0, "a100-80gb", 6_916),
    ];
    check(&rows);
}

#[test]
fn pure_bf16_training_is_eight_bytes_per_parameter() {
    // master=0: weights, gradients and both AdamW moments in bf16 = 2 + 2 + 2 × 2 = 8 bytes per
    // parameter (torchtune's default recipe precision); master=1 adds the fp32 copy and fp32
    // moments: 2 + 2 + 4 + 2 × 4 = 16 (Rajbhandari et al. 2020, §3.1).
    let n = 8_030_261_248.0;
    for (q, per_param) in [("mode=train&master=0", 8.0), ("mode=train", 16.0)] {
        let r = share::decode(q).state.scenario.evaluate();
        let t = &r.training.memory;
        let got = (t.weights_bytes + t.gradient_bytes + t.optimizer_bytes) / n;
        assert!((got - per_param).abs() < 1e-9, "{q}: {got} bytes per parameter");
    }
}

#[test]
fn llama_cpp_keeps_as_many_layers_on_the_gpu_as_fit() {
    // Llama-3.1-70B in Q4_K_M on one RTX 4090 (24,564 MiB as nvidia-smi reports it): the most
    // slots whose VRAM fits, and one more would not.
    let q = "model=llama-3.1-70b&weights=q4_k_m&gpu=rtx-4090-24gb&engine=llamacpp&ctx=8k";
    let s = share::decode(q).state.scenario;
    let r = s.evaluate();
    let o = r.inference.offload.expect("llama.cpp reports its split");
    assert!(o.automatic && o.slots == 81, "{o:?}");
    let usable = 24_564.0 * 1_048_576.0;
    assert!(o.vram_bytes <= usable && o.gpu_layers < o.slots);
    let place = s.placement_at(&s.resolve(), 8192.0, 1.0);
    assert!(place.split(o.gpu_layers + 1, 0).0 > usable);
    // Weights split without loss: VRAM + RAM = the total (weights, KV, buffers, context).
    assert!((o.vram_bytes + o.ram_bytes - r.inference.total_bytes).abs() < 1.0);
    // A set ngl is kept, and decoding gets slower the more stays on the CPU.
    let fewer = share::decode(&format!("{q}&ngl=20")).state.scenario.evaluate();
    let f = fewer.inference.offload.expect("split");
    assert_eq!((f.gpu_layers, f.automatic), (20, false));
    assert!(fewer.inference.decode_seconds_per_token_bound > r.inference.decode_seconds_per_token_bound);
    assert!(fewer.inference.decode_seconds_per_token > r.inference.decode_seconds_per_token);
}

/// A GGUF file's size as the Hugging Face file list shows it (GB, 10⁹ bytes, three significant
/// figures), for files quantised by a current llama.cpp. Tolerance ±1 %: the rounding of the
/// listing and the file's metadata (tokenizer, hyper-parameters; a few MB).
fn gguf_file(model: &str, weights: &str, gb: f64, source: &str) -> Row {
    Row {
        query: format!("model={model}&weights={weights}"),
        field: Field::Weights,
        measured: gb * 1e9,
        tolerance: 0.01,
        source: format!("{source}: {weights} {gb} GB"),
    }
}

/// llama.cpp's own whole-model bits per weight (tools/quantize/README.md, Llama-3.1-8B table),
/// as bytes: 8,030,261,248 parameters × bits / 8.
fn quantize_readme(weights: &str, bits: f64) -> Row {
    Row {
        query: format!("weights={weights}"),
        field: Field::Weights,
        measured: 8_030_261_248.0 * bits / 8.0,
        tolerance: 0.001,
        source: format!("llama.cpp tools/quantize/README.md, Llama-3.1-8B: {weights} {bits} bits per weight"),
    }
}

#[test]
fn gguf_mixes_follow_llama_cpp_per_tensor_types() {
    let mrad = "huggingface.co/mradermacher/Mixtral-8x7B-v0.1-GGUF file list";
    let maz = "huggingface.co/MaziyarPanahi/Mixtral-8x7B-v0.1-GGUF file list";
    let rows = vec![
        // Mixtral-8x7B: an 8-expert model, whose attn_k / attn_v go to Q8_0 and attn_output to
        // Q5_K, so one model's average bits per weight does not transfer to it.
        gguf_file("mixtral-8x7b", "q2_k", 17.3, mrad),
        gguf_file("mixtral-8x7b", "q3_k_m", 22.5, mrad),
        gguf_file("mixtral-8x7b", "q4_k_m", 28.4, mrad),
        gguf_file("mixtral-8x7b", "q5_k_m", 33.2, mrad),
        gguf_file("mixtral-8x7b", "q6_k", 38.4, maz),
        gguf_file("mixtral-8x7b", "q8_0", 49.6, maz),
        quantize_readme("q4_k_m", 4.8944),
        quantize_readme("q5_k_m", 5.7036),
        quantize_readme("q2_k", 3.1593),
        // An unquantised GGUF: llama.cpp's load log for Llama-3.1-8B in F16, "CPU_Mapped model
        // buffer size = 15317.02 MiB" (ollama/ollama issue #8361). By hand: 8,030,261,248
        // parameters × 2 B = 15,316.51 MiB; the file keeps its 65 norm vectors (65 × 4,096)
        // in F32, +0.51 MiB, so the buffer is 0.003 % above the tensors' count.
        Row {
            query: "model=llama-3.1-8b&engine=llamacpp&weights=fp16".into(),
            field: Field::Weights,
            measured: 15_317.02 * MIB,
            tolerance: 0.001,
            source: "llama.cpp load log, ollama/ollama#8361: Llama-3.1-8B F16 model buffer 15317.02 MiB".into(),
        },
    ];
    check(&rows);
}

#[test]
fn transformers_caches_mla_expanded_and_the_others_the_latent() {
    // DeepSeek-V3, 61 layers: vLLM and llama.cpp cache the latent, (512 + 64) × 2 B × 61 =
    // 70,272 B per token; transformers caches 128 heads × (192 key + 128 value) × 2 B × 61 =
    // 4,997,120 B per token. Over 8 GPUs with tensor parallelism (vLLM's default, and the bare
    // tensors') each rank keeps the whole latent (vllm/config/model.py, get_num_kv_heads: MLA →
    // 1 head per rank), so the GPUs hold it 8 times; llama.cpp and transformers split layers.
    for (engine, per_token, copies) in [
        ("vllm", 70_272.0, 8.0),
        ("llamacpp", 70_272.0, 1.0),
        ("none", 70_272.0, 8.0),
        ("transformers", 4_997_120.0, 1.0),
    ] {
        let r = share::decode(&format!("model=deepseek-v3&engine={engine}&gpus=8&gpu=h200-141gb"))
            .state
            .scenario
            .evaluate();
        assert_eq!(r.inference.kv_cache_bytes_per_token, per_token, "{engine}");
        assert_eq!(r.inference.kv_cache_bytes, copies * per_token * 8192.0, "{engine}");
    }
}

#[test]
fn the_quick_fit_checks_agree_with_the_report() {
    // Advice tries many settings with inference_fits / training_fits (no solvers); they must
    // say what the full report says.
    for q in [
        "",
        "model=llama-3.1-70b&ctx=32k",
        "model=llama-3.1-70b&weights=q4_k_m&gpu=rtx-4090-24gb&engine=llamacpp&ngl=60",
        "model=llama-3.1-70b&weights=q4_k_m&gpu=rtx-4090-24gb&engine=llamacpp",
        "model=qwen2.5-7b&engine=vllm&ctx=1M",
        "model=deepseek-v3&engine=transformers&gpus=8&gpu=h200-141gb",
        "mode=train",
        "model=llama-3.1-70b&mode=train&zero=3&dp=64&recompute=full",
        "mode=train&engine=transformers&weights=nf4&lora_rank=16&ctx=32k",
    ] {
        let s = share::decode(q).state.scenario;
        let r = s.evaluate();
        let m = s.resolve();
        assert_eq!(s.inference_fits(&m), r.inference.fits, "inference: {q}");
        assert_eq!(s.training_fits(&m), r.training.fits, "training: {q}");
    }
}

#[test]
fn vllm_start_up_log_llama_8b_on_a100_40gb() {
    // vLLM 0.15.1, `LLM(model=Meta-Llama-3.1-8B-Instruct)` (bf16, gpu_memory_utilization 0.9,
    // enforce_eager) on a GCE a2-highgpu-1g (one A100 40GB); its start-up log, published in
    // the ilseokoh/vllm-gce README:
    //   "Model loading took 14.99 GiB memory"
    //   "Available KV cache memory: 19.28 GiB" / "GPU KV cache size: 157,936 tokens"
    // (157,936 × 131,072 B per token = 19.28 GiB, so the token count is the KV budget.)
    let q = "model=llama-3.1-8b&engine=vllm&gpu=a100-40gb&ctx=128k";
    let rows = vec![
        // vLLM measures the load as the allocator's growth: the weights and a few small buffers.
        Row {
            query: q.into(),
            field: Field::Weights,
            measured: 14.99 * GIB,
            tolerance: 0.005,
            source: "vLLM 0.15.1 log (ilseokoh/vllm-gce README): Model loading took 14.99 GiB".into(),
        },
        // Estimate 167,893 tokens, 6.3 % above. Two known gaps, both making the estimate high:
        // this run used the offline `LLM` class, whose profiling step is 8,192 tokens (logged:
        // "max_num_batched_tokens=8192") where the estimate follows `vllm serve` on an A100
        // (2,048); and vLLM's total is CUDA's (39.39 GiB on this card, as PyTorch's out-of-memory
        // messages on it say), below the 40,960 MiB nvidia-smi reports, which the estimate
        // uses. The tolerance pins the gap until the estimate models either.
        Row {
            query: q.into(),
            field: Field::KvTokens,
            measured: 157_936.0,
            tolerance: 0.07,
            source: "vLLM 0.15.1 log (ilseokoh/vllm-gce README): GPU KV cache size: 157,936 tokens".into(),
        },
    ];
    check(&rows);
}

/// LitGPT's resource tables (Lightning-AI/litgpt, tutorials/resource-tables.md, 10/20/2023): LoRA
/// fine-tuning with `finetune/lora.py` on one A100-SXM4-40GB, `--precision bf16-true` (weights,
/// adapters and AdamW states all bf16: `master=0`), rank 8 on the query and value projections
/// (4,194,304 trainable parameters for Llama 2 7B; the estimator puts adapters on every block
/// linear, 20 M, which adds 0.25 GB), PyTorch SDPA (flash), no activation checkpointing, Alpaca
/// padded to its longest example (1,304 tokens for Llama 2). "Max GPU RAM" is
/// `torch.cuda.max_memory_allocated() / 1e9` (LitGPT prints it in GB of 10⁹ bytes), so the CUDA
/// context is not in it.
fn litgpt_lora(model: &str, quant: &str, micro_batch: u32, max_gpu_ram_gb: f64) -> Row {
    let weights = if quant == "bnb.nf4" { "nf4" } else { "bf16" };
    Row {
        query: format!(
            "model={model}&engine=transformers&mode=train&weights={weights}&master=0&lora_rank=8&recompute=none&ctx=1304&batch={micro_batch}&gpu=a100-40gb"
        ),
        field: Field::TrainingAllocated,
        measured: max_gpu_ram_gb * 1e9,
        tolerance: 0.15,
        source: format!(
            "LitGPT tutorials/resource-tables.md, LoRA on 1 GPU: {model}, quantization {quant}, micro-batch {micro_batch}: Max GPU RAM {max_gpu_ram_gb} GB"
        ),
    }
}

#[test]
fn litgpt_lora_peaks_match_the_resource_tables() {
    let rows = vec![
        litgpt_lora("llama-2-7b", "None", 1, 21.30),
        litgpt_lora("llama-2-7b", "None", 2, 29.07),
        litgpt_lora("llama-2-13b", "None", 1, 38.12),
        // The 4-bit rows come out 13 % low: their measured peaks hold 1.9 GB (7B) and 3.2 GB
        // (13B) more than the bf16 rows' non-weight memory plus NF4 weights. The cause is not
        // modelled (the peak may be set while Fabric loads and quantises the checkpoint).
        litgpt_lora("llama-2-7b", "bnb.nf4", 1, 14.14),
        litgpt_lora("llama-2-13b", "bnb.nf4", 1, 23.14),
    ];
    check(&rows);
}

#[test]
fn fsdp_qlora_70b_per_gpu_matches_the_peft_guide() {
    // PEFT docs, docs/source/accelerate/fsdp.md, "Use PEFT QLoRA and FSDP …": Llama-2-70B on
    // 2 GPUs, FSDP FULL_SHARD with BACKWARD_PRE prefetch, 4-bit NF4 with nested (double)
    // quantisation stored as bf16, LoRA r = 8 on all linears, max_seq_len 2,048 packed, per-device
    // batch 2, gradient checkpointing, FlashAttention 2: "When disabling CPU offloading, the GPU
    // memory usage is 35.6 GB/GPU". That figure is the card's memory in use, read from a chart
    // of GPU memory (the caching allocator's reserve and NCCL's buffers are in it, and neither
    // is modelled), so this row has a wider tolerance than the allocator rows: the estimate
    // (shards, the gathered blocks and root, activations, unfused loss, CUDA context) is 0.84
    // of it; without the gathered-parameter term it was 0.82.
    let rows = vec![Row {
        query: "model=llama-2-70b&engine=transformers&mode=train&weights=nf4-dq&lora_rank=8&recompute=full&ctx=2048&batch=2&dp=2&zero=3&gpus=2&gpu=a100-80gb".into(),
        field: Field::TrainingOnGpu,
        measured: 35.6e9,
        tolerance: 0.2,
        source: "PEFT docs/source/accelerate/fsdp.md: Llama-2-70B QLoRA + FSDP on 2 GPUs without CPU offload, 35.6 GB/GPU".into(),
    }];
    check(&rows);
}

#[test]
fn gpt_oss_checkpoints_match_the_model_card() {
    // gpt-oss model card (OpenAI 2025, arXiv:2508.10925), Table 1 "Checkpoint Size": the MoE
    // experts in MXFP4 (4.25 bits), everything else bf16. The card rounds to 0.1 GiB.
    let row = |model: &str, gib: f64| Row {
        query: format!("model={model}&weights=mxfp4"),
        field: Field::Weights,
        measured: gib * GIB,
        tolerance: 0.005,
        source: format!("gpt-oss model card, Table 1: {model} checkpoint size {gib} GiB"),
    };
    check(&[row("gpt-oss-20b", 12.8), row("gpt-oss-120b", 60.8)]);
}

#[test]
fn llama_cpp_kv_types_take_their_block_bytes() {
    // ggml's blocks of 32 values: q8_0 34 B (8.5 bits), q4_0 and iq4_nl 18 B (4.5 bits).
    let rows = vec![
        // Qwen2.5-Coder-32B's KV shape (64 layers, 8 KV heads × 128) is Qwen3-32B's.
        Row {
            query: "model=qwen3-32b&engine=llamacpp&kv=q8_0&ctx=32k".into(),
            field: Field::Kv,
            measured: 4352.0 * MIB,
            tolerance: 0.0001,
            source: "llama.cpp b4462 log, ggml-org/llama.cpp#11200 (Qwen2.5-Coder-32B, -c 32768 --cache-type-k q8_0 --cache-type-v q8_0): KV self size = 4352.00 MiB, K (q8_0): 2176.00 MiB, V (q8_0): 2176.00 MiB".into(),
        },
        // One log, two types: K q8_0 68 MiB and V iq4_nl 36 MiB for Llama-3.1-8B at 2,048
        // tokens; each type's whole cache is twice its half.
        Row {
            query: "model=llama-3.1-8b&engine=llamacpp&kv=q8_0&ctx=2048".into(),
            field: Field::Kv,
            measured: 2.0 * 68.0 * MIB,
            tolerance: 0.0001,
            source: "ik_llama.cpp (llama.cpp fork, same ggml types) log, ikawrakow/ik_llama.cpp#92 (-ctk q8_0 -ctv iq4_nl -fa): KV self size = 104.00 MiB, K (q8_0): 68.00 MiB, V (iq4_nl): 36.00 MiB".into(),
        },
        Row {
            query: "model=llama-3.1-8b&engine=llamacpp&kv=iq4_nl&ctx=2048".into(),
            field: Field::Kv,
            measured: 2.0 * 36.0 * MIB,
            tolerance: 0.0001,
            source: "ik_llama.cpp log, ikawrakow/ik_llama.cpp#92: V (iq4_nl): 36.00 MiB".into(),
        },
        // Qwen3-235B-A22B (94 layers, 4 KV heads × 128): Qwen3-30B-A3B's attention with 94 layers.
        Row {
            query: "model=qwen3-30b-a3b&layers=94&engine=llamacpp&kv=q8_0&ctx=16k".into(),
            field: Field::Kv,
            measured: 1598.0 * MIB,
            tolerance: 0.0001,
            source: "ik_llama.cpp log, ikawrakow/ik_llama.cpp#370 (n_kv_max 16384, K/V q8_0): KV self size = 1598.00 MiB, K (q8_0): 799.00 MiB, V (q8_0): 799.00 MiB".into(),
        },
        // The compute buffer holds a 512-token micro-batch's fp32 logits and two hidden rows:
        // 512 × (128,256 + 2 × 4,096) × 4 B = 266.5 MiB.
        Row {
            query: "model=llama-3.1-8b&engine=llamacpp&kv=q8_0&ctx=2048".into(),
            field: Field::Activations,
            measured: 266.5 * MIB,
            tolerance: 0.0001,
            source: "ik_llama.cpp log, ikawrakow/ik_llama.cpp#92 (Llama-3.1-8B, -fa, n_ubatch 512): CUDA0 compute buffer size = 266.50 MiB".into(),
        },
    ];
    check(&rows);
}

#[test]
fn llama_cpp_splits_the_weights_as_its_load_log_says() {
    // Qwen3-30B-A3B Q4_K_M with -ngl 30 of 49 slots (29 of 48 blocks and the output layer):
    // the estimate places blocks of equal size (the file's mix varies a little by layer).
    let q = "model=qwen3-30b-a3b&weights=q4_k_m&engine=llamacpp&ngl=30&gpu=rtx-3090-24gb";
    let rows = vec![
        Row {
            query: q.into(),
            field: Field::GpuWeights,
            measured: 10_750.86 * MIB,
            tolerance: 0.02,
            source: "llama.cpp b5466 log, ggml-org/llama.cpp#13729: offloaded 30/49 layers to GPU; CUDA0 model buffer size = 10750.86 MiB".into(),
        },
        Row {
            query: q.into(),
            field: Field::RamWeights,
            measured: 6_940.48 * MIB,
            tolerance: 0.03,
            source: "llama.cpp b5466 log, ggml-org/llama.cpp#13729: CPU_Mapped model buffer size = 6940.48 MiB".into(),
        },
    ];
    check(&rows);
}

/// vLLM's "GPU KV cache size: N tokens" of one rank: its "Available KV cache memory" split in
/// 16-token blocks of the KV bytes this rank keeps per token (vllm/v1/core/kv_cache_utils.py,
/// `get_num_blocks`: available // page_size // num_layers; the report: blocks × block_size).
fn vllm_rank_tokens(
    arch: &llm_memviz::estimate::arch::Architecture,
    tp: u32,
    layers_on_rank: u64,
    available: f64,
) -> f64 {
    use llm_memviz::estimate::{kv, precision::KvDtype};
    let layout = kv::KvLayout::Native;
    let per_layer = kv::elements_per_token_per_layer(arch, layout) * KvDtype::Bf16.bytes();
    // The rank's share of the heads (or the whole latent: kv::tensor_parallel_copies).
    let per_rank = per_layer * kv::tensor_parallel_copies(arch, layout, tp) / f64::from(tp);
    (available / (16.0 * per_rank * layers_on_rank as f64)).floor() * 16.0
}

#[test]
fn vllm_keeps_its_kv_cache_per_rank_split_by_head_and_mla_whole() {
    use llm_memviz::estimate::presets;
    let arch = |id: &str| {
        presets::find(id)
            .map(|p| p.arch.clone())
            .unwrap_or_else(|| panic!("{id}"))
    };
    // Qwen3-235B-A22B-FP8 on 4 × H100, --tensor-parallel-size 4: 94 layers, 4 KV heads × 128,
    // one head per rank: 94 × 2 × 128 × 2 B = 48,128 B per token. Pooled over the 4 GPUs it
    // would be 4 times as many tokens; whole on each rank a quarter.
    let mut qwen = arch("qwen3-30b-a3b");
    qwen.layers = 94;
    let got = vllm_rank_tokens(&qwen, 4, 94, 8.11 * GIB);
    let measured = 178_880.0;
    println!(
        "{:.3}  vLLM Qwen3-235B-A22B-FP8 TP 4: {got} tokens per rank, measured {measured}",
        got / measured
    );
    // "8.11 GiB" is rounded to the hundredth, and vLLM's page sizes are its own: 1.2 %.
    assert!(
        (got / measured - 1.0).abs() < 0.015,
        "{got} vs {measured} (vllm-project/vllm#21348: Available KV cache memory: 8.11 GiB, GPU KV cache size: 178,880 tokens)"
    );
    // DeepSeek-V2-Lite (MLA: 512 + 64 latent, like V3's) on 4 × L4, tensor parallel 2 ×
    // pipeline 2: the ranks with 14 of its 27 layers had 12.13 GiB; split over 2 ranks the
    // latent would hold twice the tokens.
    let lite = arch("deepseek-v3");
    let got = vllm_rank_tokens(&lite, 2, 14, 12.13 * GIB);
    let measured = 807_792.0;
    println!(
        "{:.3}  vLLM DeepSeek-V2-Lite TP 2 × PP 2: {got} tokens per rank, measured {measured}",
        got / measured
    );
    assert!(
        (got / measured - 1.0).abs() < 0.002,
        "{got} vs {measured} (vllm-project/vllm#20665: Available KV cache memory: 12.13 GiB; GPU KV cache size: 807,792 tokens)"
    );
    // Replication: 8 KV heads on 16 GPUs hold one head each, twice the cache of 8 GPUs.
    let llama = arch("llama-3.1-8b");
    assert_eq!(
        llm_memviz::estimate::kv::tensor_parallel_copies(&llama, llm_memviz::estimate::kv::KvLayout::Native, 16),
        2.0
    );
    assert_eq!(
        llm_memviz::estimate::kv::tensor_parallel_copies(&llama, llm_memviz::estimate::kv::KvLayout::Native, 8),
        1.0
    );
    // And on the page: Llama-3.1-8B on 16 GPUs with vLLM holds the cache twice.
    let r = share::decode("model=llama-3.1-8b&engine=vllm&gpus=16")
        .state
        .scenario
        .evaluate();
    assert_eq!(r.inference.kv_cache_bytes, 2.0 * 131_072.0 * 8192.0);
}

#[test]
fn vllm_refuses_a_tensor_parallel_size_that_does_not_divide_the_heads() {
    // vllm/config/model.py: "Total number of attention heads (64) must be divisible by tensor
    // parallel size (3)." The page says so, and fits nothing; the advice names the fewest GPUs
    // vLLM takes that hold it.
    let r = share::decode("model=llama-3.3-70b&engine=vllm&gpus=3")
        .state
        .scenario
        .evaluate();
    assert!(!r.inference.fits);
    assert!(
        r.inference
            .refused
            .as_deref()
            .is_some_and(|w| w.contains("64 attention heads") && w.contains("3 GPUs"))
    );
    assert!(r.warnings.iter().any(|w| w.contains("must be divisible")));
    // Two H100s hold it (vLLM takes 2): fewer than the 3 refused.
    assert_eq!(r.inference.advice.as_ref().and_then(|a| a.gpus), Some(2));
    let r = share::decode("model=llama-3.3-70b&engine=vllm&gpus=9&gpu=h200-141gb&ctx=128k&batch=16")
        .state
        .scenario
        .evaluate();
    assert_eq!(r.inference.advice.as_ref().and_then(|a| a.gpus), Some(8));
    // A layer split (pipeline parallel) has no such rule; neither has llama.cpp.
    for q in [
        "model=llama-3.3-70b&engine=vllm&gpus=3&split=layer",
        "model=llama-3.3-70b&engine=llamacpp&gpus=3",
    ] {
        let r = share::decode(q).state.scenario.evaluate();
        assert!(r.inference.refused.is_none(), "{q}");
    }
}

#[test]
fn llama_cpp_moe_with_layers_in_ram_is_told_of_n_cpu_moe() {
    // gpt-oss-120b on one RTX 3090 with 64 GB of RAM: as many layers as fit leaves 22 of 37 in
    // RAM; the fewest --n-cpu-moe that keeps every layer else on the GPU fits, one fewer does
    // not, and it decodes faster — the speed the scenario with it has.
    let s = share::decode("model=gpt-oss-120b&engine=llamacpp&gpu=rtx-3090-24gb&ram=64")
        .state
        .scenario;
    let r = s.evaluate();
    assert!(matches!(
        r.inference.verdict,
        llm_memviz::estimate::scenario::Verdict::LayersInRam { .. }
    ));
    let h = r.inference.cpu_moe_hint.expect("a hint");
    let with = |n: u32| {
        let mut t = s.clone();
        t.cpu_moe = n;
        t.evaluate()
    };
    let hinted = with(h.cpu_moe);
    assert!(matches!(
        hinted.inference.verdict,
        llm_memviz::estimate::scenario::Verdict::ExpertsInRam { .. }
    ));
    assert_eq!(hinted.inference.offload.map(|o| o.gpu_layers), Some(37));
    assert!(with(h.cpu_moe - 1).inference.offload.is_some_and(|o| o.gpu_layers < 37));
    assert_eq!(h.decode_tokens_per_s, hinted.inference.decode_tokens_per_s);
    assert!(h.decode_tokens_per_s > r.inference.decode_tokens_per_s);
    // A dense model has no experts to move.
    let dense = share::decode("model=llama-3.1-70b&weights=q4_k_m&engine=llamacpp&gpu=rtx-3090-24gb&ram=64")
        .state
        .scenario
        .evaluate();
    assert_eq!(dense.inference.cpu_moe_hint, None);
}

#[test]
fn vllm_does_not_run_on_a_mac_and_a_mac_has_no_gpu_count_to_suggest() {
    let r = share::decode("model=llama-3.3-70b&engine=vllm&gpu=m4-max-128gb&gpu_mem=64")
        .state
        .scenario
        .evaluate();
    assert!(!r.inference.fits);
    assert!(r.inference.refused.as_deref().is_some_and(|w| w.contains("Apple")));
    assert_eq!(r.inference.advice.as_ref().and_then(|a| a.gpus), None);
    // The tensors alone on a Mac: Metal's share is the limit (48 GiB of 64), not the memory:
    // gpt-oss-120b's 61 GiB do not fit.
    let r = share::decode("model=gpt-oss-120b&gpu=m4-max-128gb&gpu_mem=64")
        .state
        .scenario
        .evaluate();
    assert_eq!(r.inference.usable_memory_bytes, 48.0 * GIB);
    assert!(!r.inference.fits);
}

#[test]
fn llama_cpp_short_of_system_ram_is_told_how_much_would_do() {
    // gpt-oss-120b on one RTX 3090 with 32 GB: 36 GiB must go to RAM, 28 GiB is free; 48 GB
    // holds it. Nothing smaller than its MXFP4 checkpoint is offered (its experts stay MXFP4).
    let r = share::decode("model=gpt-oss-120b&engine=llamacpp&gpu=rtx-3090-24gb")
        .state
        .scenario
        .evaluate();
    let a = r.inference.advice.expect("advice");
    assert_eq!(a.ram_bytes, Some(48.0 * GIB));
    assert_eq!(a.weights, None);
}
