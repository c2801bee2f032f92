//! How fast: one decode step, a prefill, serving many sequences at once, and a training run —
//! each figure defined once here, as a function of the scenario, and read by the cards, the
//! charts, their sentences, "show working", the CLI and its JSON.
//!
//! Every figure comes twice: a **bound** (what the hardware's datasheet allows: bytes over
//! memory bandwidth, FLOPs over the fastest matrix rate; real runs are never faster) and an **expected**
//! value, the same arithmetic with what engines reach and the costs that do not shrink with
//! bandwidth, fitted per engine to published measurements (`tests/speed_measurements.rs`
//! lists each one with its source and prints the fit's ratio beside the bound's):
//!
//! ```text
//! decode step = max(bytes read on the GPU / R + bytes read from system RAM / (η_ram · RAM bandwidth),
//!                   FLOPs / (φ · dense FLOP/s · GPUs))
//!             + σ + layers · τ     (the engine's own work per step; kernel launches, synchronisation)
//!             + 2 · layers · α          (tensor parallel: two all-reduces per layer)
//!             + (GPUs − 1) · hop            (layer split: the activations change GPU)
//! R           = min(η · bandwidth, κ · SMs · clock)
//! ```
//!
//! R is the bandwidth a decode kernel reaches: a share η of the datasheet figure, and at most
//! κ bytes per streaming multiprocessor per clock. The second term is Little's law (bytes in
//! flight = bandwidth × latency): a GPU keeps only so many loads in flight per SM, so a part
//! with few SMs at a low clock and very fast memory (A100, H100 PCIe) cannot fill its HBM with
//! one sequence's matrix-vector products. Cards without a known SM count (a custom GPU) get η
//! alone.

use serde::Serialize;

use super::arch::{Architecture, TensorRole};
use super::catalog::{MemoryKind, Vendor};
use super::engine::Engine;
use super::hardware::Gpu;
use super::precision::{self, WeightFormat};
use super::scenario::{ResolvedModel, Scenario};

choice! {
    /// How several GPUs share one model.
    #[derive(Serialize, Default)]
    pub enum Split {
        /// The engine's own default: tensor parallel for vLLM and without an engine, layer
        /// split for llama.cpp (`--split-mode layer`) and transformers (`device_map="auto"`).
        #[default]
        Auto = ("auto", "The engine's default"),
        /// Tensor parallelism: every layer's matrices split across the GPUs, which read their
        /// shares at once and all-reduce twice per layer (Shoeybi et al. 2019, Megatron-LM §3).
        Tensor = ("tp", "Tensor parallel (each layer split across the GPUs)"),
        /// Layer split (pipeline): consecutive layers on consecutive GPUs; one token passes
        /// through them in turn, so memory adds up and speed does not.
        Layer = ("layer", "Layer split / pipeline parallel (consecutive layers on consecutive GPUs)"),
    }
}

impl Split {
    /// What `Auto` means for an engine.
    pub fn resolve(self, engine: Engine) -> Split {
        match (self, engine) {
            (Split::Auto, Engine::LlamaCpp | Engine::Transformers) => Split::Layer,
            (Split::Auto, Engine::None | Engine::Vllm) => Split::Tensor,
            (s, _) => s,
        }
    }
}

/// What one engine reaches on one kind of hardware: the constants of the model above, fitted to
/// the published measurements in `tests/speed_measurements.rs` (least squares of the log ratio
/// of expected to measured tokens per second).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Constants {
    /// Which engine on which hardware.
    pub name: &'static str,
    /// Which measurements fitted them.
    pub fitted_to: &'static str,
    /// How close the fit came.
    pub fit: FitRecord,
    /// η: the share of the datasheet memory bandwidth a decode step's kernels reach.
    pub bandwidth_efficiency: f64,
    /// κ: bytes a kernel streams per SM per clock at most (`None`: no such ceiling).
    pub bytes_per_sm_clock: Option<f64>,
    /// τ: seconds per layer per step that do not shrink with bandwidth (kernel launches,
    /// synchronisation, the engine's own work between kernels).
    pub layer_overhead_s: f64,
    /// Seconds per step that do not depend on the model (the engine's scheduler and sampler on the
    /// CPU, between two steps of the GPU).
    pub step_overhead_s: f64,
    /// φ: the share of dense FLOP/s reached once a step is bound by compute (large batches,
    /// prefill).
    pub compute_efficiency: f64,
    /// ψ: FLOPs a kernel does per SM per clock at most (`None`: no such ceiling): the engine's
    /// matrix kernels may not use the widest tensor cores a data-centre part has.
    pub flops_per_sm_clock: Option<f64>,
    /// α: seconds per all-reduce under tensor parallelism (two per layer).
    pub allreduce_s: f64,
    /// hop: seconds per step each further GPU adds under a layer split.
    pub hop_s: f64,
    /// η_ram: the share of system-memory bandwidth reached by the layers left on the CPU.
    pub ram_efficiency: f64,
    /// Seconds per step for each block whose experts stay in system RAM (`--n-cpu-moe`): its
    /// hidden state goes to the CPU and back, and the GPU waits for the CPU's experts.
    pub expert_hop_s: f64,
    /// How many times a decode step moves the KV cache: 1 where attention reads it once in place;
    /// more where the engine copies it too (transformers' `DynamicCache` concatenates every new
    /// token's keys and values onto a new tensor, `torch.cat`, copying the whole cache each step).
    pub kv_passes: f64,
}

/// How well a set of constants matches the published measurements that fitted it
/// (`tests/speed_measurements.rs` recomputes these and fails when they drift).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FitRecord {
    /// Decode rows (tokens per second of decoding) that use these constants.
    pub rows: u32,
    /// Of them, how many the expected speed is within ±25 % of.
    pub within_25_percent: u32,
    /// The median |expected / measured − 1|, in percent.
    pub median_error_percent: f64,
}

/// llama.cpp on NVIDIA and AMD GPUs (CUDA, HIP). Fitted (`examples/fit_speed.rs`) to 188 decode
/// rows: llama-bench of LLaMA 3 8B and 70B (Q4_K_M, F16) on 16 NVIDIA GPUs, one to eight per
/// machine (XiongjieDai/GPU-Benchmarks-on-LLM-Inference, May 2024), its LLaMA 2 tables of Dec
/// 2023, llama.cpp's DGX Spark bench page, an RTX 5090, Strix Halo and an RX 7900 XT; φ and ψ
/// to the same repository's pp512 prefill rows. α is not fitted: no published row splits a
/// model by tensor with llama.cpp (`-sm row`); 40 µs is two NCCL-free peer copies of a small
/// activation. η_ram and the expert hop were fitted by hand to the five published
/// `--n-cpu-moe` rows (RTX 2080, RX 7900 XT, RTX 3090, RTX 4090, 2 × RTX 5090; 0.90–1.12×):
/// 68 % of the RAM's bandwidth and 0.16 ms per block whose experts are in RAM.
pub const LLAMACPP_CUDA: Constants = Constants {
    name: "llama.cpp (CUDA, ROCm)",
    fitted_to: "188 llama-bench decode rows on 22 NVIDIA and AMD GPUs, 1–8 per machine (XiongjieDai/GPU-Benchmarks-on-LLM-Inference, May 2024 and Dec 2023; llama.cpp benches/dgx-spark.md; three more), and 5 with experts in system RAM (--n-cpu-moe)",
    fit: FitRecord {
        rows: 193,
        within_25_percent: 192,
        median_error_percent: 5.1,
    },
    bandwidth_efficiency: 0.926,
    bytes_per_sm_clock: Some(7.03),
    layer_overhead_s: 103e-6,
    step_overhead_s: 0.0,
    compute_efficiency: 0.82,
    flops_per_sm_clock: Some(420.0),
    allreduce_s: 40e-6,
    hop_s: 0.184e-3,
    ram_efficiency: 0.68,
    expert_hop_s: 160e-6,
    kv_passes: 1.0,
};

/// llama.cpp on Apple silicon (Metal). Fitted to 57 decode rows: LLaMA 3 8B/70B on M1, M1 Max,
/// M2 Ultra and M3 Max (XiongjieDai, May 2024), its LLaMA 2 tables (Dec 2023), and LLaMA 2 7B on
/// eleven M1–M3 chips from llama.cpp discussion #4167; φ to the pp512 rows. One Mac is one GPU:
/// α and hop are never used.
pub const LLAMACPP_METAL: Constants = Constants {
    name: "llama.cpp on Apple silicon (Metal)",
    fitted_to: "57 llama-bench decode rows on 11 Apple M1–M3 chips (XiongjieDai/GPU-Benchmarks-on-LLM-Inference; llama.cpp discussion #4167)",
    fit: FitRecord {
        rows: 57,
        within_25_percent: 54,
        median_error_percent: 6.5,
    },
    bandwidth_efficiency: 0.919,
    bytes_per_sm_clock: Some(6.84),
    layer_overhead_s: 198e-6,
    step_overhead_s: 0.0,
    compute_efficiency: 0.68,
    flops_per_sm_clock: None,
    allreduce_s: 40e-6,
    hop_s: 0.184e-3,
    ram_efficiency: 0.7,
    expert_hop_s: 0.0,
    kv_passes: 1.0,
};

/// vLLM. Fitted to 41 decode rows: the Qwen2.5 speed benchmark (vLLM 0.6.3, A100, 7B and 72B
/// in four formats, one to four GPUs, prompts of 1 to 30,720 tokens), GPUStack's
/// performance-lab sweeps (Qwen3-8B at 1–8 concurrent requests, gpt-oss-120b at 4, H100 and
/// A100) and one A100 40GB report; φ to the time to first token of 20,000-token prompts in
/// vLLM's FP8 KV-cache post. vLLM replays each decode step as one CUDA graph, so its fixed cost
/// is per step (σ, fitted), not per layer (τ = 0, not fitted: with σ free the rows cannot tell
/// the two apart). The all-reduces (α) make tensor parallelism speed decoding up less than
/// linearly. Its rows from 2025 (vLLM 0.11 on H100) run about a quarter faster than this fit,
/// which the 2024 rows (vLLM 0.6 on A100) dominate.
pub const VLLM: Constants = Constants {
    name: "vLLM",
    fitted_to: "41 vLLM decode rows (Qwen2.5 speed benchmark on A100, 1–4 GPUs; GPUStack performance-lab sweeps on H100 and A100)",
    fit: FitRecord {
        rows: 41,
        within_25_percent: 39,
        median_error_percent: 6.0,
    },
    bandwidth_efficiency: 0.70,
    bytes_per_sm_clock: None,
    layer_overhead_s: 0.0,
    step_overhead_s: 3.15e-3,
    compute_efficiency: 0.41,
    flops_per_sm_clock: None,
    allreduce_s: 17.5e-6,
    hop_s: 0.184e-3,
    ram_efficiency: 0.7,
    expert_hop_s: 0.0,
    kv_passes: 1.0,
};

/// Hugging Face transformers, eager PyTorch `generate`. Fitted to 32 rows of the Qwen2.5 speed
/// benchmark (transformers 4.46, FlashAttention 2, A100, 7B and 72B in four formats, prompts of
/// 1 to 30,720 tokens, layers split over one to three GPUs). Its decode slows with the context
/// far more than reading the cache once would: the fit says the cache moves about 36 times per
/// step. φ is not fitted (no published prefill row).
pub const TRANSFORMERS: Constants = Constants {
    name: "Hugging Face transformers",
    fitted_to: "32 transformers generate rows (Qwen2.5 speed benchmark on A100, 1–3 GPUs)",
    fit: FitRecord {
        rows: 32,
        within_25_percent: 29,
        median_error_percent: 10.6,
    },
    bandwidth_efficiency: 1.0,
    bytes_per_sm_clock: None,
    layer_overhead_s: 728e-6,
    step_overhead_s: 0.0,
    compute_efficiency: 0.5,
    flops_per_sm_clock: None,
    allreduce_s: 40e-6,
    hop_s: 14e-6,
    ram_efficiency: 0.7,
    expert_hop_s: 0.0,
    kv_passes: 36.0,
};

/// The constants an engine's speed is worked out with on `gpu`. Without an engine (the tensors
/// alone), the engine that runs the weight format: llama.cpp for GGUF files, vLLM otherwise.
pub fn constants(engine: Engine, weights: WeightFormat, gpu: Option<&Gpu>) -> &'static Constants {
    let metal = gpu.is_some_and(|g| g.vendor == Vendor::Apple);
    let runs_gguf = weights.is_gguf();
    match engine {
        Engine::LlamaCpp if metal => &LLAMACPP_METAL,
        Engine::LlamaCpp => &LLAMACPP_CUDA,
        Engine::None if runs_gguf && metal => &LLAMACPP_METAL,
        Engine::None if runs_gguf => &LLAMACPP_CUDA,
        Engine::Transformers => &TRANSFORMERS,
        Engine::None | Engine::Vllm => &VLLM,
    }
}

/// The bandwidth a decode kernel reaches on `gpu` with `c`: min(η · bandwidth, κ · SMs · clock),
/// bytes/s.
pub fn reached_bandwidth(c: &Constants, gpu: &Gpu) -> f64 {
    per_sm_ceiling(
        c.bandwidth_efficiency * gpu.bandwidth_bytes_per_s(),
        c.bytes_per_sm_clock,
        gpu,
    )
}

/// The FLOP/s a compute-bound step reaches on `gpu` with `c`: min(φ · dense FLOP/s, ψ · SMs ·
/// clock).
pub fn reached_flops(c: &Constants, gpu: &Gpu) -> f64 {
    per_sm_ceiling(c.compute_efficiency * gpu.flops(), c.flops_per_sm_clock, gpu)
}

/// How much faster matrix products run for `weights` on `gpu` than in BF16: FP8 W8A8 runs at
/// the datasheet's dense FP8 rate (twice BF16 on H100: 1,978.9 against 989.4 TFLOP/s).
pub fn fp8_speedup(weights: WeightFormat, gpu: &Gpu) -> f64 {
    match gpu.fp8_tflops {
        Some(f) if weights.computes_in_fp8_on(Some(gpu)) && gpu.bf16_tflops > 0.0 => f / gpu.bf16_tflops,
        _ => 1.0,
    }
}

/// `rate`, capped at `per_sm_clock` × SMs × clock where the constants and the card both give one.
fn per_sm_ceiling(rate: f64, per_sm_clock: Option<f64>, gpu: &Gpu) -> f64 {
    match (per_sm_clock, gpu.sm_count, gpu.boost_mhz) {
        (Some(k), Some(sms), Some(mhz)) => rate.min(k * sms * mhz * 1e6),
        _ => rate,
    }
}

/// Bytes of weights one decode step reads for `batch` sequences. Every matrix is read once per
/// step, except: the input embedding, of which each token reads its one row (a gather, not a
/// matrix product; counted only when tied to the output layer, which reads it whole), and
/// learned positions (a row too); and a mixture of experts' routed experts, of which a batch
/// of B tokens touches E·(1 − (1 − k/E)^B) per layer in expectation under uniform routing.
pub fn decode_weight_bytes(arch: &Architecture, format: WeightFormat, batch: f64) -> f64 {
    let tensors = arch.tensors();
    let has_head = tensors.iter().any(|g| g.role == TensorRole::LmHead);
    tensors
        .iter()
        .map(|g| {
            let bytes = precision::group_bytes(arch, g, format);
            match (g.role, arch.moe) {
                (TensorRole::Embedding, _) if has_head => 0.0,
                (TensorRole::Position, _) => 0.0,
                (TensorRole::Expert, Some(_)) => bytes * touched_expert_share(arch, batch),
                _ => bytes,
            }
        })
        .sum()
}

/// The share of a block's routed experts that `batch` tokens touch: 1 − (1 − k/E)^B in
/// expectation under uniform routing (each token picks k of E); 0 without experts.
pub fn touched_expert_share(arch: &Architecture, batch: f64) -> f64 {
    match arch.moe {
        // At least one expert (a shape without experts has no expert tensors).
        Some(m) => {
            let e = m.experts.max(1) as f64;
            let k = (m.experts_active.min(m.experts)) as f64;
            1.0 - (1.0 - k / e).powf(batch)
        }
        None => 0.0,
    }
}

/// FLOPs of one decode step for `batch` sequences at `ctx` tokens: 2 per active parameter per
/// token (Kaplan et al. 2020, §2.1: C_forward ≈ 2N) plus attention over the cached tokens, 4 per
/// cached element per query head dimension (q·k and the weighted sum of v: 2 · 2 · n_ctx ·
/// d_attn per layer, ibid. Table 1), over the tokens each layer holds.
pub fn decode_flops(m: &ResolvedModel, ctx: f64, batch: f64) -> f64 {
    let a = &m.arch;
    let (full, sliding) = a.layer_kinds();
    let (full_tokens, sliding_tokens) = super::kv::tokens_held(a, ctx);
    let d_attn = (a.heads * a.head_dim) as f64;
    let attention = 4.0 * d_attn * (full as f64 * full_tokens + sliding as f64 * sliding_tokens);
    batch * (2.0 * m.active_params + attention)
}

/// One decode step: its time bound and expected time, and what makes it up.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DecodeStep {
    /// Sequences decoded together.
    pub batch: f64,
    /// Context of each sequence.
    pub context_tokens: f64,
    /// Lower bound: max(bytes / datasheet bandwidth, FLOPs / the chip's fastest matrix rate
    /// (`Gpu::peak_flops`)), each GPU's share,
    /// in seconds.
    pub seconds_bound: f64,
    /// Expected seconds (the model in the module's doc, with the engine's fitted constants).
    pub seconds: f64,
    /// Expected seconds reading memory (GPU and system RAM).
    pub memory_seconds: f64,
    /// Expected seconds computing.
    pub compute_seconds: f64,
    /// Seconds that do not shrink with bandwidth: per-layer overhead, all-reduces, GPU hops.
    pub overhead_seconds: f64,
    /// True when compute, not memory, sets the step's time.
    pub compute_bound: bool,
    /// Bytes each GPU reads per step (the busiest GPU under tensor parallelism; all GPUs in
    /// turn under a layer split).
    pub gpu_bytes: f64,
    /// Bytes read from system RAM per step (llama.cpp's layers left on the CPU).
    pub ram_bytes: f64,
    /// Weight bytes read per step, all GPUs and RAM together.
    pub weight_bytes: f64,
    /// KV-cache bytes read per step, all GPUs and RAM together.
    pub kv_bytes: f64,
}

impl DecodeStep {
    /// Expected tokens per second of each sequence.
    pub fn tokens_per_s(&self) -> f64 {
        1.0 / self.seconds.max(1e-12)
    }
    /// Expected tokens per second of all sequences together.
    pub fn throughput(&self) -> f64 {
        self.batch / self.seconds.max(1e-12)
    }
    /// At most this many tokens per second per sequence (the bound).
    pub fn tokens_per_s_bound(&self) -> f64 {
        1.0 / self.seconds_bound.max(1e-12)
    }
}

/// Where a decode step's bytes are read: `(GPU part, system-RAM part)` of weights and of the
/// KV cache, all GPUs together.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Reads {
    gpu_weights: f64,
    gpu_kv: f64,
    ram_weights: f64,
    ram_kv: f64,
    /// Blocks whose experts are read in system RAM.
    moved_blocks: f64,
}

impl Scenario {
    /// How this scenario's GPUs share the model (`Auto` resolved for its engine).
    pub fn split(&self) -> Split {
        self.split.resolve(self.engine)
    }

    /// The speed constants of this scenario's engine and hardware.
    pub fn speed_constants(&self) -> &'static Constants {
        constants(self.engine, self.weights, self.gpu().as_deref())
    }

    /// What one step of `batch` sequences at `ctx` tokens reads, and where, when `tokens`
    /// tokens pass at once (a decode step: `batch`; a prefill chunk: so many that every expert
    /// is read, `f64::INFINITY`).
    fn reads(&self, m: &ResolvedModel, ctx: f64, batch: f64, tokens: f64) -> Reads {
        let scale = m.params / m.derived.total.max(1.0);
        let weights = decode_weight_bytes(&m.arch, self.weights, tokens) * scale;
        let kv = self.inference_memory_at(m, ctx, batch).kv_bytes;
        match self.offload_at(m, ctx, batch) {
            // llama.cpp: each block is read where it lives (its weights and its cache); the
            // output layer is on the GPU once anything is.
            Some(o) => {
                let per_block = (weights - o.place.output_bytes).max(0.0) / f64::from(o.place.blocks.max(1));
                let kv_block = kv / f64::from(o.place.blocks.max(1));
                let gpu_blocks = f64::from(o.gpu_layers.saturating_sub(1));
                let cpu_blocks = f64::from(o.place.blocks) - gpu_blocks;
                let output_on_gpu = if o.gpu_layers > 0 { o.place.output_bytes } else { 0.0 };
                // `--n-cpu-moe`: the experts these tokens route to, of the blocks whose experts
                // stay in RAM, are read there.
                let moved =
                    f64::from(o.cpu_moe_layers) * touched_expert_share(&m.arch, tokens) * o.place.block_expert_bytes;
                Reads {
                    gpu_weights: (output_on_gpu + gpu_blocks * per_block - moved).max(0.0),
                    gpu_kv: gpu_blocks * kv_block,
                    ram_weights: o.place.output_bytes - output_on_gpu + cpu_blocks * per_block + moved,
                    ram_kv: cpu_blocks * kv_block,
                    moved_blocks: f64::from(o.cpu_moe_layers),
                }
            }
            None => Reads {
                gpu_weights: weights,
                gpu_kv: kv,
                ram_weights: 0.0,
                ram_kv: 0.0,
                moved_blocks: 0.0,
            },
        }
    }

    /// One decode step of `batch` sequences at `ctx` tokens, with the engine's own constants:
    /// the one definition of the decode time every card, chart and sentence shows.
    pub fn decode_at(&self, m: &ResolvedModel, ctx: f64, batch: f64) -> DecodeStep {
        self.decode_with(m, ctx, batch, self.speed_constants())
    }

    /// [`Scenario::decode_at`] with given constants (the fit in `examples/fit_speed.rs`).
    pub fn decode_with(&self, m: &ResolvedModel, ctx: f64, batch: f64, c: &Constants) -> DecodeStep {
        let gpu = self.gpu();
        let gpus = f64::from(self.gpus.max(1));
        let reads = self.reads(m, ctx, batch, batch);
        let flops = decode_flops(m, ctx, batch);
        let ram_bw = self.ram_bandwidth_bytes_per_s();
        let (bw, dense, reached, flops_rate) = gpu.as_deref().map_or((1.0, 1.0, 1.0, 1.0), |g| {
            (
                g.bandwidth_bytes_per_s(),
                g.peak_flops(),
                reached_bandwidth(c, g),
                reached_flops(c, g) * fp8_speedup(self.weights, g),
            )
        });
        let layers = m.arch.layers as f64;
        let on_gpu = reads.gpu_weights + reads.gpu_kv;
        let on_ram = reads.ram_weights + reads.ram_kv;
        // Tensor parallel: each GPU reads its share at once and computes its share; a layer
        // split: the GPUs take their turns, so one GPU's bandwidth and FLOP/s set the pace.
        let (share, overhead_comm) = match self.split() {
            Split::Tensor if gpus > 1.0 => (gpus, 2.0 * layers * c.allreduce_s),
            _ => (1.0, (gpus - 1.0) * c.hop_s),
        };
        let gpu_bytes = (reads.gpu_weights + c.kv_passes * reads.gpu_kv) / share;
        let memory_seconds = gpu_bytes / reached + on_ram / (c.ram_efficiency * ram_bw);
        let compute_seconds = flops / (share * flops_rate);
        let overhead_seconds =
            c.step_overhead_s + layers * c.layer_overhead_s + overhead_comm + reads.moved_blocks * c.expert_hop_s;
        let seconds_bound = (on_gpu / share / bw + on_ram / ram_bw).max(flops / (share * dense));
        DecodeStep {
            batch,
            context_tokens: ctx,
            seconds_bound,
            seconds: memory_seconds.max(compute_seconds) + overhead_seconds,
            memory_seconds,
            compute_seconds,
            overhead_seconds,
            compute_bound: compute_seconds > memory_seconds,
            gpu_bytes,
            ram_bytes: on_ram,
            weight_bytes: reads.gpu_weights + reads.ram_weights,
            kv_bytes: reads.gpu_kv + reads.ram_kv,
        }
    }
}

/// PCIe 4.0 ×16, one direction: 16 GT/s × 16 lanes × 128/130 encoding / 8 = 31.5 GB/s (PCI-SIG,
/// PCI Express Base Specification 4.0). What llama.cpp's prompt processing moves per batch for
/// each layer left in system RAM: for batches of 32 tokens and more it copies the weights to the
/// GPU and multiplies there (ggml-cuda.cu, `ggml_backend_cuda_device_offload_op`).
pub const PCIE4_X16_BYTES_PER_S: f64 = 31.5e9;

/// A prompt's prefill: time bound and expected time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Prefill {
    /// Prompt tokens, all sequences together.
    pub tokens: f64,
    /// Forward passes it takes (the engine's prefill chunk: llama.cpp's 512-token micro-batch,
    /// vLLM's token budget per step).
    pub chunks: f64,
    /// FLOPs.
    pub flops: f64,
    /// Lower bound: max(FLOPs / the chip's fastest matrix rate, one read of the weights /
    /// bandwidth), seconds.
    pub seconds_bound: f64,
    /// Expected seconds: time to the first token.
    pub seconds: f64,
    /// True when compute, not reading the weights, sets its time.
    pub compute_bound: bool,
}

/// FLOPs of prefilling `batch` prompts of `ctx` tokens: 2 per active parameter per token
/// (Kaplan et al. 2020, §2.1) plus causal attention, 2 · 2 · d_attn per (query, key) pair a
/// layer sees: n(n+1)/2 pairs for a full layer, fewer where a window limits how far back a
/// query looks.
pub fn prefill_flops(m: &ResolvedModel, ctx: f64, batch: f64) -> f64 {
    let a = &m.arch;
    let (full, sliding) = a.layer_kinds();
    let d_attn = (a.heads * a.head_dim) as f64;
    let pairs_full = ctx * (ctx + 1.0) / 2.0;
    let w = a.attention.window as f64;
    let pairs_sliding = if w > 0.0 && ctx > w {
        w * (w + 1.0) / 2.0 + (ctx - w) * w
    } else {
        pairs_full
    };
    let attention = 4.0 * d_attn * (full as f64 * pairs_full + sliding as f64 * pairs_sliding);
    batch * (2.0 * m.active_params * ctx + attention)
}

/// A training run's time at a model-FLOPs utilisation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrainingTime {
    /// GPUs: data × tensor × pipeline parallel.
    pub gpus: f64,
    /// Model FLOPs utilisation: the share of dense FLOP/s the run reaches.
    pub mfu: f64,
    /// Training FLOPs per token: 6 per active parameter plus attention over the sequence.
    pub flops_per_token: f64,
    /// Tokens per optimizer step: sequence length × micro-batch × data-parallel GPUs.
    pub tokens_per_step: f64,
    /// Seconds per optimizer step.
    pub step_seconds: f64,
    /// Seconds for all the training tokens.
    pub seconds: f64,
}

impl Scenario {
    /// Prefill of `batch` prompts of `ctx` tokens with the engine's constants: the time to the
    /// first token.
    pub fn prefill_at(&self, m: &ResolvedModel, ctx: f64, batch: f64) -> Prefill {
        self.prefill_with(m, ctx, batch, self.speed_constants())
    }

    /// [`Scenario::prefill_at`] with given constants.
    ///
    /// Each chunk of the prompt is one forward pass: it reads every weight once (all experts of
    /// a mixture: a chunk of hundreds of tokens touches them all) and computes its tokens; the
    /// longer of the two sets its time, plus the per-layer overhead of every pass. Layers
    /// llama.cpp left in system RAM cross PCIe once per pass ([`PCIE4_X16_BYTES_PER_S`]).
    pub fn prefill_with(&self, m: &ResolvedModel, ctx: f64, batch: f64, c: &Constants) -> Prefill {
        let gpu = self.gpu();
        let gpus = f64::from(self.gpus.max(1));
        let tokens = ctx * batch;
        let chunk = self.engine_terms(m).prefill_chunk_tokens;
        let chunks = if chunk.is_finite() {
            (tokens / chunk).ceil().max(1.0)
        } else {
            1.0
        };
        let flops = prefill_flops(m, ctx, batch);
        // A pass of many tokens reads every weight (every expert too), where it lives.
        let reads = self.reads(m, ctx, batch, f64::INFINITY);
        let (gpu_weights, ram_weights) = (reads.gpu_weights, reads.ram_weights);
        let (bw, dense, reached, flops_rate) = gpu.as_deref().map_or((1.0, 1.0, 1.0, 1.0), |g| {
            (
                g.bandwidth_bytes_per_s(),
                g.peak_flops(),
                reached_bandwidth(c, g),
                reached_flops(c, g) * fp8_speedup(self.weights, g),
            )
        });
        let unified = gpu.as_deref().is_some_and(|g| g.memory == MemoryKind::Unified);
        let ram_link = if unified {
            self.ram_bandwidth_bytes_per_s()
        } else {
            PCIE4_X16_BYTES_PER_S
        };
        let layers = m.arch.layers as f64;
        let (share, comm) = match self.split() {
            Split::Tensor if gpus > 1.0 => (gpus, 2.0 * layers * c.allreduce_s),
            _ => (1.0, (gpus - 1.0) * c.hop_s),
        };
        let memory = chunks * (gpu_weights / share / reached + ram_weights / ram_link);
        let compute = flops / (share * flops_rate);
        let seconds_bound = (flops / (share * dense)).max((gpu_weights / share) / bw + ram_weights / ram_link);
        Prefill {
            tokens,
            chunks,
            flops,
            seconds_bound,
            seconds: compute.max(memory) + chunks * (c.step_overhead_s + layers * c.layer_overhead_s + comm),
            compute_bound: compute >= memory,
        }
    }

    /// The GPUs a training run spans: data × tensor × pipeline parallel.
    pub fn training_gpus(&self) -> f64 {
        let t = &self.training;
        f64::from(t.dp.max(1)) * f64::from(t.tp.max(1)) * f64::from(t.pp.max(1))
    }

    /// How long training on `tokens` tokens takes on the run's GPUs at the scenario's MFU.
    ///
    /// FLOPs per token: 6 per active parameter (forward 2N, backward 4N: Kaplan et al. 2020,
    /// §2.1, C ≈ 6N per token) plus attention over the sequence, 6 · n_layer · n_ctx · d_attn
    /// (three times the forward's 2 · n_layer · n_ctx · d_attn, ibid. Table 1). Seconds = FLOPs
    /// / (MFU × dense FLOP/s × GPUs).
    pub fn training_time(&self, m: &ResolvedModel, tokens: f64) -> TrainingTime {
        let a = &m.arch;
        let ctx = self.ctx as f64;
        let d_attn = (a.heads * a.head_dim) as f64;
        let flops_per_token = 6.0 * m.active_params + 6.0 * a.layers as f64 * ctx * d_attn;
        let gpus = self.training_gpus();
        let dense = self
            .gpu()
            .as_deref()
            .map_or(super::scenario::FALLBACK_BF16_FLOPS, Gpu::flops);
        let rate = self.mfu * dense * gpus;
        let tokens_per_step = ctx * self.batch as f64 * f64::from(self.training.dp.max(1));
        TrainingTime {
            gpus,
            mfu: self.mfu,
            flops_per_token,
            tokens_per_step,
            step_seconds: flops_per_token * tokens_per_step / rate,
            seconds: flops_per_token * tokens / rate,
        }
    }

    /// Concurrent sequences of `ctx` tokens whose KV cache fits beside everything else, as vLLM
    /// prints it at start-up ("Maximum concurrency for N tokens per request: X.XXx"): the memory
    /// left for the cache over one sequence's cache; with llama.cpp, which leaves in system RAM
    /// what does not fit, the most sequences that still run (`Scenario::verdict_at`). `None` when
    /// not even one runs.
    pub fn max_concurrency_at(&self, m: &ResolvedModel, ctx: f64) -> Option<f64> {
        if self.refusal(&m.arch).is_some() {
            return None;
        }
        // llama.cpp places what does not fit in system RAM: the most sequences that still run.
        if self.engine == Engine::LlamaCpp {
            let runs = |b: f64| self.verdict_at(m, ctx, b).runs();
            if !runs(1.0) {
                return None;
            }
            let (mut lo, mut hi) = (1.0_f64, 65_536.0_f64);
            if runs(hi) {
                return Some(hi);
            }
            while hi - lo > 1.0 {
                let mid = ((lo + hi) / 2.0).floor();
                if runs(mid) { lo = mid } else { hi = mid }
            }
            return Some(lo);
        }
        let one = self.inference_memory_at(m, ctx, 1.0);
        let capacity = self.usable_memory_bytes(&self.engine_terms(m));
        let left = capacity - (one.total() - one.kv_bytes);
        (left > 0.0 && one.kv_bytes > 0.0).then(|| left / one.kv_bytes)
    }
}

impl Scenario {
    /// The decode step of each number of concurrent sequences in `batches`, each at `ctx`
    /// tokens: the serving curve (throughput and per-sequence speed against concurrency).
    pub fn serving_at(&self, m: &ResolvedModel, ctx: f64, batches: &[f64]) -> Vec<DecodeStep> {
        let c = self.speed_constants();
        batches.iter().map(|&b| self.decode_with(m, ctx, b, c)).collect()
    }

    /// The fewest concurrent sequences (1 … `max`) at which compute, not memory, sets the decode
    /// step's time at `ctx` tokens: the roofline's ridge. `None` when memory sets it throughout.
    pub fn compute_bound_from(&self, m: &ResolvedModel, ctx: f64, max: f64) -> Option<f64> {
        let c = self.speed_constants();
        let bound = |b: f64| self.decode_with(m, ctx, b, c).compute_bound;
        if !bound(max) {
            return None;
        }
        if bound(1.0) {
            return Some(1.0);
        }
        // The compute grows linearly with the batch, the bytes read only through the cache and
        // the experts touched: once bound by compute, more sequences stay so.
        let (mut lo, mut hi) = (1.0_f64, max);
        while hi - lo > 1.0 {
            let mid = ((lo + hi) / 2.0).floor();
            if bound(mid) { hi = mid } else { lo = mid }
        }
        Some(hi)
    }
}
