//! Inference engines: what Hugging Face transformers, vLLM and llama.cpp hold beyond the
//! tensors themselves — how they prefill a prompt, what they reserve at start-up, and how much
//! of the card they let themselves use. `Engine::None` is the tensors alone (the estimator's
//! numbers without any engine term), and is the default.
//!
//! Each rule cites the engine's own source or documentation next to it; the measurement table
//! in `tests/engine_measurements.rs` checks the result against published measurements.

use serde::Serialize;

use super::arch::Architecture;
use super::hardware::Gpu;
use super::precision::{KvDtype, WeightFormat};
use super::training::TrainingExtras;

/// GiB in bytes.
const GIB: f64 = 1_073_741_824.0;

choice! {
    /// An inference engine.
    #[derive(Serialize)]
    pub enum Engine {
        /// The tensors alone: weights, KV cache and transient activations (8,192-token prefill
        /// chunks), nothing an engine adds.
        None = ("none", "Tensors only (no engine)"),
        /// Hugging Face transformers, eager PyTorch (`model.generate`).
        Transformers = ("transformers", "Hugging Face transformers"),
        /// vLLM (`vllm serve`).
        Vllm = ("vllm", "vLLM (vllm serve)"),
        /// llama.cpp (`llama-server`, `llama-cli`).
        LlamaCpp = ("llamacpp", "llama.cpp"),
    }
}

impl Engine {
    /// The engine's name in a sentence.
    pub fn name(self) -> &'static str {
        match self {
            Engine::None => "the bare tensors",
            Engine::Transformers => "transformers",
            Engine::Vllm => "vLLM",
            Engine::LlamaCpp => "llama.cpp",
        }
    }
}

/// What a quantised llama.cpp V cache needs: FlashAttention (src/llama-context.cpp,
/// `llama_init_from_model`: "V cache quantization requires flash_attn"; `-fa auto`, the
/// default, turns it on where the GPU supports it).
pub fn kv_requirement(engine: Engine, kv: KvDtype) -> Option<&'static str> {
    (engine == Engine::LlamaCpp && kv.is_block_quantised()).then_some("a quantised V cache needs FlashAttention (-fa)")
}

/// vLLM's default share of each GPU it lets itself use: `gpu_memory_utilization = 0.9`
/// (vllm/config.py, `CacheConfig.gpu_memory_utilization`; also the Qwen2.5 speed benchmark's
/// vLLM setting, "gpu_memory_utilization=0.9 … by default").
pub const VLLM_DEFAULT_GPU_UTIL: f64 = 0.9;

/// Memory a PyTorch process holds outside its tensor allocator (CUDA context, cuBLAS
/// workspaces, NCCL): vLLM measures it at start-up as "non_torch_memory", logged as 0.20 GiB
/// (vllm-project/vllm#14447, RTX-class GPUs) to 0.23 GiB; 0.23 GiB is used for every engine
/// that runs a CUDA context (llama.cpp's context is of the same kind).
pub const CUDA_CONTEXT_BYTES: f64 = 0.23 * GIB;

/// The runtime context each GPU holds outside the tensors: [`CUDA_CONTEXT_BYTES`] for CUDA,
/// and for ROCm and oneAPI, whose contexts are of the same kind; none on Apple silicon, where
/// Metal's command queues live in the shared memory and llama.cpp's Metal backend reports only
/// its buffers (ggml-metal: "recommendedMaxWorkingSetSize" is the whole budget).
pub fn runtime_context_bytes(gpu: Option<&Gpu>) -> f64 {
    match gpu {
        Some(g) if g.vendor == super::catalog::Vendor::Apple => 0.0,
        _ => CUDA_CONTEXT_BYTES,
    }
}

/// The runtime's name on `gpu`, for the words that speak of its context.
pub fn runtime_name(gpu: Option<&Gpu>) -> &'static str {
    use super::catalog::Vendor;
    match gpu.map(|g| g.vendor) {
        Some(Vendor::Apple) => "Metal",
        Some(Vendor::Amd) => "ROCm",
        Some(Vendor::Intel) => "oneAPI",
        _ => "CUDA",
    }
}

/// llama.cpp's physical batch: prompts are processed `n_ubatch = 512` tokens at a time, and
/// its compute buffer is sized for that step (common/common.h, `n_ubatch = 512`).
pub const LLAMACPP_N_UBATCH: f64 = 512.0;

/// vLLM's default token budget per step and concurrent sequences for `vllm serve`
/// (vllm/engine/arg_utils.py, `EngineArgs.get_batch_defaults`): on a GPU with at least 70 GiB
/// that is not an A100, 8,192 tokens and 1,024 sequences; otherwise 2,048 and 256.
pub fn vllm_batch_defaults(gpu: Option<&Gpu>) -> (f64, f64) {
    let big = gpu.is_some_and(|g| g.engine_memory_bytes() >= 70.0 * GIB && !g.id.contains("a100"));
    if big { (8192.0, 1024.0) } else { (2048.0, 256.0) }
}

/// What an engine adds to the tensors, for one scenario.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EngineTerms {
    /// Prompt tokens per prefill forward pass, all sequences together (`f64::INFINITY`: the
    /// whole prompt in one pass).
    pub prefill_chunk_tokens: f64,
    /// True when the transient activations are a fixed reservation made at start-up (vLLM
    /// profiles one full step and keeps that much), not the current request's.
    pub activations_reserved_at_start: bool,
    /// True when each GPU holds its own activation peak (transformers' `device_map="auto"`
    /// places consecutive layers on consecutive GPUs, so every GPU runs its layers' working
    /// memory), instead of one peak split by tensor parallelism.
    pub activations_per_gpu: bool,
    /// Bytes each GPU holds outside tensors (CUDA context).
    pub runtime_reserve_bytes_per_gpu: f64,
    /// Bytes reserved at start-up besides activations (vLLM's sampler logits).
    pub sampler_reserve_bytes: f64,
    /// Share of each GPU's memory the engine lets itself use.
    pub usable_fraction: f64,
}

/// The terms of `engine` for a model and GPU; `gpu_util` is vLLM's `gpu_memory_utilization`.
pub fn terms(engine: Engine, arch: &Architecture, gpu: Option<&Gpu>, gpu_util: f64) -> EngineTerms {
    match engine {
        Engine::None => EngineTerms {
            prefill_chunk_tokens: super::scenario::PREFILL_CHUNK_TOKENS,
            activations_reserved_at_start: false,
            activations_per_gpu: false,
            runtime_reserve_bytes_per_gpu: 0.0,
            sampler_reserve_bytes: 0.0,
            usable_fraction: 1.0,
        },
        // `generate` runs its first forward over every input id at once
        // (transformers/generation/utils.py, `_sample`: `model_forward(**model_inputs)` with the
        // whole prompt), keeping logits for the last position only (`logits_to_keep`).
        Engine::Transformers => EngineTerms {
            prefill_chunk_tokens: f64::INFINITY,
            activations_reserved_at_start: false,
            activations_per_gpu: true,
            runtime_reserve_bytes_per_gpu: runtime_context_bytes(gpu),
            sampler_reserve_bytes: 0.0,
            usable_fraction: 1.0,
        },
        // vLLM's start-up profile (vllm/v1/worker/gpu_worker.py, `determine_available_memory`):
        // available KV memory = total GPU memory × gpu_memory_utilization − (weights + the peak
        // of one dummy step of max_num_batched_tokens tokens + non-torch memory); the sampler
        // warm-up (`_dummy_sampler_run`) keeps fp32 logits for max_num_seqs sequences.
        Engine::Vllm => {
            let (tokens, seqs) = vllm_batch_defaults(gpu);
            EngineTerms {
                prefill_chunk_tokens: tokens,
                activations_reserved_at_start: true,
                activations_per_gpu: false,
                runtime_reserve_bytes_per_gpu: runtime_context_bytes(gpu),
                sampler_reserve_bytes: seqs * arch.vocab as f64 * 4.0,
                usable_fraction: gpu_util.clamp(0.05, 1.0),
            }
        }
        Engine::LlamaCpp => EngineTerms {
            prefill_chunk_tokens: LLAMACPP_N_UBATCH,
            activations_reserved_at_start: false,
            activations_per_gpu: false,
            runtime_reserve_bytes_per_gpu: runtime_context_bytes(gpu),
            sampler_reserve_bytes: 0.0,
            usable_fraction: 1.0,
        },
    }
}

/// System-memory bandwidth of a typical desktop, in GB/s (10⁹ bytes per second): dual-channel
/// DDR5-5600, 2 channels × 8 bytes × 5,600 MT/s = 89.6 GB/s (JEDEC JESD79-5 data rate; the
/// `ram_bw` link key changes it).
pub const DEFAULT_RAM_BANDWIDTH_GB_S: f64 = 89.6;

/// Where llama.cpp puts a model with `-ngl` (n_gpu_layers) of its slots on the GPU: the slots
/// are the `n_layer` blocks and the output layer; the last `ngl` slots go to the GPU, the output
/// layer first (src/llama-model.cpp, `load_tensors`: `i_gpu_start = max(n_layer + 1 −
/// n_gpu_layers, 0)`), and the input embedding always stays on the CPU ("there is very little
/// benefit to offloading the input layer"). Each block's KV cache lives with it
/// (`offload_kqv`, on by default); the compute buffer is on the GPU once anything is. With
/// `--n-cpu-moe N` the routed experts of the first N blocks stay in system RAM although their
/// block is on the GPU (common/arg.cpp: a tensor override `blk\.(i)\.ffn_(up|down|gate)_exps`
/// → CPU for i < N); attention, shared experts and the router stay with the block.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Offload {
    /// Slots on the GPU (0 … n_layer + 1).
    pub gpu_layers: u32,
    /// Slots in all: the blocks and the output layer.
    pub slots: u32,
    /// True when `gpu_layers` was chosen as the most that fit (no `ngl` in the link).
    pub automatic: bool,
    /// Blocks whose routed experts stay in system RAM (`--n-cpu-moe`), of those on the GPU.
    pub cpu_moe_layers: u32,
    /// Bytes on the GPU(s): offloaded blocks with their KV cache, the output layer, the compute
    /// buffer and the runtime.
    pub vram_bytes: f64,
    /// Bytes in system RAM: the input embedding, the blocks left on the CPU with their KV, and
    /// the experts kept there.
    pub ram_bytes: f64,
    /// System RAM the model may use: the computer's RAM less what the operating system and
    /// other programs keep ([`OS_RESERVE_BYTES`]); on unified memory, also less the GPU's part.
    pub ram_available_bytes: f64,
    /// System-memory bandwidth used for the CPU part, bytes/s.
    pub ram_bandwidth_bytes_per_s: f64,
    /// The pieces it placed.
    #[serde(skip)]
    pub place: Placement,
}

impl Offload {
    /// The weights on each side, (GPU, system RAM) bytes: llama.cpp's "CUDA0 model buffer
    /// size" and "CPU_Mapped model buffer size".
    pub fn weight_split(&self) -> (f64, f64) {
        self.place
            .weight_split_moved(self.gpu_layers.min(self.slots), self.cpu_moe_layers)
    }
}

/// What the operating system and other programs keep of a computer's RAM: 4 GiB, our
/// assumption for a desktop at rest (a Windows 11 or desktop Linux session with a browser open
/// holds 3–5 GiB); the `ram` link key is the whole RAM.
pub const OS_RESERVE_BYTES: f64 = 4.0 * GIB;

/// The system RAM a desktop is assumed to have when the link does not say: 32 GiB (a "32 GB"
/// kit, two 16 GB DDR5 modules), the most common size in Steam's Hardware Survey since 2025.
pub const DEFAULT_RAM_BYTES: f64 = 32.0 * GIB;

/// The pieces of a model that llama.cpp places separately, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// Input embedding table (always in system RAM).
    pub input_bytes: f64,
    /// Output layer (the untied head, or a copy of a tied embedding).
    pub output_bytes: f64,
    /// Weights of one block (its routed experts included).
    pub block_bytes: f64,
    /// Routed experts of one block with experts (0 for a dense model).
    pub block_expert_bytes: f64,
    /// Blocks before the first block with experts (DeepSeek's dense first layers).
    pub dense_blocks: u32,
    /// KV cache of one block.
    pub block_kv_bytes: f64,
    /// Blocks.
    pub blocks: u32,
    /// Compute buffer (transient activations) and runtime, on the GPU once anything is.
    pub gpu_fixed_bytes: f64,
}

impl Placement {
    /// Blocks on the GPU with `ngl` slots offloaded.
    pub fn gpu_blocks(&self, ngl: u32) -> u32 {
        ngl.min(self.blocks + 1).saturating_sub(1)
    }

    /// Blocks on the GPU whose experts `cpu_moe` keeps in RAM: the first `cpu_moe` blocks that
    /// are both on the GPU (the last `gpu_blocks`) and have experts.
    pub fn moved_expert_blocks(&self, ngl: u32, cpu_moe: u32) -> u32 {
        let first_on_gpu = self.blocks - self.gpu_blocks(ngl);
        let from = first_on_gpu.max(self.dense_blocks);
        cpu_moe.min(self.blocks).saturating_sub(from)
    }

    /// The weights alone on each side with `ngl` slots on the GPU and `moved` blocks' experts
    /// in RAM, (GPU, CPU) bytes.
    fn weight_split_moved(&self, ngl: u32, moved: u32) -> (f64, f64) {
        let gpu_blocks = f64::from(self.gpu_blocks(ngl));
        let cpu_blocks = f64::from(self.blocks) - gpu_blocks;
        let moved = f64::from(moved) * self.block_expert_bytes;
        let output_on_gpu = if ngl > 0 { self.output_bytes } else { 0.0 };
        (
            output_on_gpu + gpu_blocks * self.block_bytes - moved,
            self.input_bytes + self.output_bytes - output_on_gpu + cpu_blocks * self.block_bytes + moved,
        )
    }

    /// (VRAM, RAM) bytes with `ngl` slots offloaded and the experts of the first `cpu_moe`
    /// blocks in RAM.
    pub fn split(&self, ngl: u32, cpu_moe: u32) -> (f64, f64) {
        let ngl = ngl.min(self.blocks + 1);
        let gpu_blocks = f64::from(self.gpu_blocks(ngl));
        let cpu_blocks = f64::from(self.blocks) - gpu_blocks;
        let moved = f64::from(self.moved_expert_blocks(ngl, cpu_moe)) * self.block_expert_bytes;
        let block = self.block_bytes + self.block_kv_bytes;
        if ngl == 0 {
            (
                0.0,
                self.input_bytes + self.output_bytes + cpu_blocks * block + self.gpu_fixed_bytes,
            )
        } else {
            (
                self.output_bytes + gpu_blocks * block - moved + self.gpu_fixed_bytes,
                self.input_bytes + cpu_blocks * block + moved,
            )
        }
    }

    /// The most slots whose VRAM fits `vram` bytes, with the experts of the first `cpu_moe`
    /// blocks in RAM.
    pub fn most_that_fit(&self, vram: f64, cpu_moe: u32) -> u32 {
        (0..=self.blocks + 1)
            .rev()
            .find(|n| self.split(*n, cpu_moe).0 <= vram)
            .unwrap_or(0)
    }
}

/// The KV-cache types an engine offers, its default first. vLLM: `--kv-cache-dtype auto` (the
/// model's dtype), `fp8` (= `fp8_e4m3`) and `fp8_e5m2` (vllm/config/cache.py, `CacheDType`);
/// llama.cpp: `-ctk`/`-ctv` `f16` (default), `f32`, `bf16`, `q8_0`, `q4_0`, `q4_1`, `iq4_nl`,
/// `q5_0`, `q5_1` (common/arg.cpp, `kv_cache_types`); transformers: the model's dtype, or a
/// `QuantizedCache` of 8 or 4 bits (cache_utils.py, `QuantizedCacheConfig.nbits`).
pub fn kv_types(engine: Engine) -> &'static [KvDtype] {
    use KvDtype as K;
    match engine {
        Engine::None => &K::ALL,
        Engine::Vllm => &[K::Bf16, K::Fp16, K::Fp8, K::Fp8E5m2],
        Engine::LlamaCpp => &[
            K::Fp16,
            K::Bf16,
            K::Fp32,
            K::Q8_0,
            K::Q5_1,
            K::Q5_0,
            K::Q4_1,
            K::Q4_0,
            K::Iq4Nl,
        ],
        Engine::Transformers => &[K::Bf16, K::Fp16, K::Fp32, K::Int8, K::Int4],
    }
}

/// True when `engine` runs weights in `format`: llama.cpp loads GGUF files only (its F32, F16
/// and BF16 types included); the others load Hugging Face checkpoints, not GGUF (vLLM's GGUF
/// loader is experimental, single-file and slow, so it is not offered).
pub fn runs_weights(engine: Engine, format: WeightFormat) -> bool {
    match engine {
        Engine::None => true,
        Engine::LlamaCpp => {
            format.is_gguf() || matches!(format, WeightFormat::Fp32 | WeightFormat::Fp16 | WeightFormat::Bf16)
        }
        Engine::Vllm | Engine::Transformers => !format.is_gguf(),
    }
}

/// What the engine says of these settings: a cache type or weight format it does not have
/// (named with what it offers instead).
pub fn setting_warnings(engine: Engine, kv: KvDtype, weights: WeightFormat) -> Vec<String> {
    let mut out = Vec::new();
    let types = kv_types(engine);
    if !types.contains(&kv) {
        let names: Vec<&str> = types.iter().map(|k| k.id()).collect();
        out.push(format!(
            "{} has no {} KV cache; its types are {} (the memory shown is for {})",
            engine.name(),
            kv.label(),
            names.join(", "),
            kv.id()
        ));
    }
    if !runs_weights(engine, weights) {
        let what = if engine == Engine::LlamaCpp {
            "llama.cpp loads GGUF files (F16, BF16, Q8_0 … Q2_K, MXFP4 MoE)"
        } else {
            "this engine loads Hugging Face checkpoints, not GGUF files"
        };
        out.push(format!(
            "{what}: {} is not one of them (the memory shown is for it anyway)",
            weights.label()
        ));
    }
    out
}

/// Why `engine` refuses to run `arch` on `gpus` GPUs split this way, if it does. vLLM's tensor
/// parallelism splits the attention heads evenly: "Total number of attention heads (h) must be
/// divisible by tensor parallel size (t)" (vllm/config/model.py,
/// `ModelConfig.verify_with_parallel_config`); its fused QKV layer then splits the KV heads or
/// replicates them, so their count must divide the size or be divided by it
/// (vllm/model_executor/layers/linear.py, `QKVParallelLinear`: `divide(total_num_kv_heads,
/// tp_size)` or `divide(tp_size, total_num_kv_heads)`, which assert). MLA has one latent, kept
/// whole on every rank, so only the query heads count. A layer split (`--pipeline-parallel-size`)
/// has no such rule.
pub fn refusal(
    engine: Engine,
    arch: &Architecture,
    gpu: Option<&Gpu>,
    split: super::speed::Split,
    gpus: u32,
) -> Option<String> {
    // vLLM's platforms are CUDA, ROCm, XPU, TPU and CPU (vllm/platforms/__init__.py): not Metal.
    if engine == Engine::Vllm && gpu.is_some_and(|g| g.vendor == super::catalog::Vendor::Apple) {
        return Some(
            "vLLM does not run on Apple GPUs (its platforms are CUDA, ROCm, XPU, TPU and CPU); use llama.cpp"
                .to_string(),
        );
    }
    if engine != Engine::Vllm || split != super::speed::Split::Tensor || gpus <= 1 {
        return None;
    }
    let t = u64::from(gpus);
    let (heads, kv) = (arch.heads.max(1), arch.kv_heads.max(1));
    if heads % t != 0 {
        return Some(format!(
            "vLLM refuses tensor parallelism over {t} GPUs: the model's {heads} attention heads must be divisible by the tensor-parallel size (try a count that divides {heads}, or a layer split)"
        ));
    }
    if arch.mla.is_none() && kv % t != 0 && t % kv != 0 {
        return Some(format!(
            "vLLM refuses tensor parallelism over {t} GPUs: the model's {kv} KV heads must divide the tensor-parallel size or be divisible by it"
        ));
    }
    None
}

/// The least llama.cpp's compute buffer holds, with FlashAttention (its default where the
/// backend has it): the fp32 logits of one micro-batch and two fp32 hidden-state rows per token,
/// n_ubatch × (vocabulary + 2 × hidden) × 4 B (src/llama-context.cpp, `graph_reserve` sizes the
/// buffer for a worst-case n_ubatch-token graph, whose output is n_ubatch rows of logits).
/// Llama-3.1-8B: 512 × (128,256 + 2 × 4,096) × 4 B = 266.5 MiB, as its log prints "CUDA0 compute
/// buffer size = 266.50 MiB" (`tests/engine_measurements.rs`); 297 MiB of it logits for Qwen's
/// 151,936-token vocabulary. 0 for the other engines, whose activations hold their own.
pub fn compute_buffer_floor(engine: Engine, arch: &Architecture) -> f64 {
    if engine != Engine::LlamaCpp {
        return 0.0;
    }
    LLAMACPP_N_UBATCH * (arch.vocab + 2 * arch.hidden) as f64 * 4.0
}

/// How the engine lays out the KV cache of a model with multi-head latent attention: vLLM and
/// llama.cpp cache the compressed latent (MLA's point), Hugging Face transformers caches the
/// per-head keys and values it expands from it (transformers/models/deepseek_v3/
/// modeling_deepseek_v3.py, `DeepseekV3Attention.forward`: `kv_b_proj` → split into k_nope
/// and value_states → `past_key_values.update(key_states, value_states, …)`).
pub fn kv_layout(engine: Engine) -> super::kv::KvLayout {
    match engine {
        Engine::Transformers => super::kv::KvLayout::ExpandedMla,
        _ => super::kv::KvLayout::Native,
    }
}

/// Bytes per vocabulary entry per token that an unfused PyTorch cross-entropy keeps, as
/// Hugging Face transformers computes the loss (transformers/loss/loss_utils.py,
/// `ForCausalLMLoss`: `logits = logits.float()`, then `nn.functional.cross_entropy`, which is
/// log_softmax + nll_loss and saves the log-softmax for the backward pass): 16-bit logits (2) +
/// their fp32 copy (4) + the fp32 log-softmax (4) + in the backward its fp32 gradient (4) and
/// the 16-bit gradient of the logits (2) = 16.
pub const UNFUSED_LOSS_BYTES_PER_ENTRY: f64 = 16.0;

/// What the engine's training path adds (only transformers trains): the unfused loss, and for
/// LoRA on 4-bit bitsandbytes weights peft's fp32 upcast of the unquantised tensors
/// (peft/utils/other.py, `prepare_model_for_kbit_training`: "cast all non INT8 parameters to
/// fp32") and the 16-bit dequantised temporaries (bitsandbytes/autograd/_functions.py,
/// `MatMul4Bit`: `dequantize_4bit` in the forward and the backward); under ZeRO-3 / FSDP the
/// gathered and prefetched units that Accelerate's FSDP and DeepSpeed integrations hold (see
/// `TrainingMemory::gathered_bytes`).
pub fn training_extras(engine: Engine, weights: WeightFormat, lora_rank: u32) -> TrainingExtras {
    match engine {
        Engine::Transformers => {
            let kbit = lora_rank > 0 && matches!(weights, WeightFormat::Nf4 | WeightFormat::Nf4Dq);
            TrainingExtras {
                loss_bytes_per_entry: UNFUSED_LOSS_BYTES_PER_ENTRY,
                kbit_fp32_upcast: kbit,
                dequant_temporaries: kbit,
                gathered_units: true,
            }
        }
        _ => TrainingExtras::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lora_on_4_bit_weights_gets_the_kbit_preparation() {
        // peft's prepare_model_for_kbit_training (the fp32 upcast) and bitsandbytes' dequantised
        // temporaries belong to QLoRA: LoRA over nf4 weights. Full training (rank 0) or LoRA
        // over bf16 has neither.
        let kbit = |w, rank| {
            let e = training_extras(Engine::Transformers, w, rank);
            (e.kbit_fp32_upcast, e.dequant_temporaries)
        };
        assert_eq!(kbit(WeightFormat::Nf4, 16), (true, true));
        assert_eq!(kbit(WeightFormat::Nf4Dq, 1), (true, true));
        assert_eq!(kbit(WeightFormat::Nf4, 0), (false, false));
        assert_eq!(kbit(WeightFormat::Bf16, 16), (false, false));
    }

    #[test]
    fn ids_round_trip_and_none_adds_nothing() {
        for e in Engine::ALL {
            assert_eq!(Engine::from_id(e.id()), Some(e));
        }
        assert_eq!(Engine::from_id("VLLM"), Some(Engine::Vllm));
        assert_eq!(Engine::from_id("tgi"), None);
        let arch = super::super::Scenario::default().resolve().arch;
        let t = terms(Engine::None, &arch, None, 0.9);
        assert_eq!(t.runtime_reserve_bytes_per_gpu, 0.0);
        assert_eq!(t.usable_fraction, 1.0);
        assert_eq!(t.prefill_chunk_tokens, 8192.0);
    }

    #[test]
    fn llama_cpp_offloads_the_output_layer_first_then_the_last_blocks() {
        // 4 blocks of 10 B weights + 2 B KV, a 5 B input embedding, a 3 B output layer and 1 B
        // of compute buffer + context. ngl = 0: all in RAM (5 + 3 + 4 × 12 + 1 = 57).
        let p = Placement {
            input_bytes: 5.0,
            output_bytes: 3.0,
            block_bytes: 10.0,
            block_expert_bytes: 6.0,
            dense_blocks: 1,
            block_kv_bytes: 2.0,
            blocks: 4,
            gpu_fixed_bytes: 1.0,
        };
        assert_eq!(p.split(0, 0), (0.0, 57.0));
        // ngl = 1: the output layer and the buffer (3 + 1 = 4); the rest in RAM (5 + 48 = 53).
        assert_eq!(p.split(1, 0), (4.0, 53.0));
        // ngl = 5 = blocks + 1: everything but the input embedding (3 + 48 + 1 = 52).
        assert_eq!(p.split(5, 0), (52.0, 5.0));
        assert_eq!(p.split(999, 0), p.split(5, 0));
        // 30 B of VRAM: ngl = 3 needs 3 + 2 × 12 + 1 = 28; ngl = 4 needs 40.
        assert_eq!(p.most_that_fit(30.0, 0), 3);
        assert_eq!(p.most_that_fit(0.5, 0), 0);
        // --n-cpu-moe 3 with every block on the GPU: blocks 0–2 are the first three, block 0 is
        // dense, so the experts of blocks 1 and 2 (2 × 6 B) move to RAM: 52 − 12 = 40 and 5 + 12.
        assert_eq!(p.moved_expert_blocks(5, 3), 2);
        assert_eq!(p.split(5, 3), (40.0, 17.0));
        // With only the last two blocks on the GPU (ngl 3), blocks 2 and 3: block 2's experts move.
        assert_eq!(p.moved_expert_blocks(3, 3), 1);
        assert_eq!(p.split(3, 3), (22.0, 35.0));
        // Now 40 B of VRAM hold all 5 slots.
        assert_eq!(p.most_that_fit(40.0, 3), 5);
    }

    #[test]
    fn vllm_defaults_follow_the_gpu() {
        // vllm/engine/arg_utils.py: ≥ 70 GiB and not an A100 → 8,192 tokens, 1,024 sequences.
        let h100 = super::super::hardware::find("h100-sxm-80gb");
        let a100 = super::super::hardware::find("a100-80gb");
        let rtx = super::super::hardware::find("rtx-4090-24gb");
        assert_eq!(vllm_batch_defaults(h100), (8192.0, 1024.0));
        assert_eq!(vllm_batch_defaults(a100), (2048.0, 256.0));
        assert_eq!(vllm_batch_defaults(rtx), (2048.0, 256.0));
        // The sampler keeps fp32 logits for every sequence: 1,024 × 128,256 × 4 B = 525,336,576 B
        // for Llama 3's vocabulary on an H100.
        let arch = super::super::Scenario::default().resolve().arch;
        assert_eq!(arch.vocab, 128_256);
        let t = terms(Engine::Vllm, &arch, h100, 0.9);
        assert_eq!(t.sampler_reserve_bytes, 525_336_576.0);
        assert_eq!(t.usable_fraction, 0.9);
    }
}
