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
use super::precision::WeightFormat;
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

/// vLLM's default share of each GPU it lets itself use: `gpu_memory_utilization = 0.9`
/// (vllm/config.py, `CacheConfig.gpu_memory_utilization`; also the Qwen2.5 speed benchmark's
/// vLLM setting, "gpu_memory_utilization=0.9 … by default").
pub const VLLM_DEFAULT_GPU_UTIL: f64 = 0.9;

/// Memory a PyTorch process holds outside its tensor allocator (CUDA context, cuBLAS
/// workspaces, NCCL): vLLM measures it at start-up as "non_torch_memory", logged as 0.20 GiB
/// (vllm-project/vllm#14447, RTX-class GPUs) to 0.23 GiB; 0.23 GiB is used for every engine
/// that runs a CUDA context (llama.cpp's context is of the same kind).
pub const CUDA_CONTEXT_BYTES: f64 = 0.23 * GIB;

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
            runtime_reserve_bytes_per_gpu: CUDA_CONTEXT_BYTES,
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
                runtime_reserve_bytes_per_gpu: CUDA_CONTEXT_BYTES,
                sampler_reserve_bytes: seqs * arch.vocab as f64 * 4.0,
                usable_fraction: gpu_util.clamp(0.05, 1.0),
            }
        }
        Engine::LlamaCpp => EngineTerms {
            prefill_chunk_tokens: LLAMACPP_N_UBATCH,
            activations_reserved_at_start: false,
            activations_per_gpu: false,
            runtime_reserve_bytes_per_gpu: CUDA_CONTEXT_BYTES,
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
/// (`offload_kqv`, on by default); the compute buffer is on the GPU once anything is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Offload {
    /// Slots on the GPU (0 … n_layer + 1).
    pub gpu_layers: u32,
    /// Slots in all: the blocks and the output layer.
    pub slots: u32,
    /// True when `gpu_layers` was chosen as the most that fit (no `ngl` in the link).
    pub automatic: bool,
    /// Bytes on the GPU(s): offloaded blocks with their KV cache, the output layer, the compute
    /// buffer and the CUDA context.
    pub vram_bytes: f64,
    /// Bytes in system RAM: the input embedding and the blocks left on the CPU with their KV.
    pub ram_bytes: f64,
    /// System-memory bandwidth used for the CPU part, bytes/s.
    pub ram_bandwidth_bytes_per_s: f64,
    /// The pieces it placed.
    #[serde(skip)]
    pub place: Placement,
}

/// The pieces of a model that llama.cpp places separately, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// Input embedding table (always in system RAM).
    pub input_bytes: f64,
    /// Output layer (the untied head, or a copy of a tied embedding).
    pub output_bytes: f64,
    /// Weights of one block.
    pub block_bytes: f64,
    /// KV cache of one block.
    pub block_kv_bytes: f64,
    /// Blocks.
    pub blocks: u32,
    /// Compute buffer (transient activations) and CUDA context, on the GPU once anything is.
    pub gpu_fixed_bytes: f64,
}

impl Placement {
    /// (VRAM, RAM) bytes with `ngl` slots offloaded.
    pub fn split(&self, ngl: u32) -> (f64, f64) {
        let ngl = ngl.min(self.blocks + 1);
        let gpu_blocks = f64::from(ngl.saturating_sub(1));
        let cpu_blocks = f64::from(self.blocks) - gpu_blocks;
        let block = self.block_bytes + self.block_kv_bytes;
        if ngl == 0 {
            (
                0.0,
                self.input_bytes + self.output_bytes + cpu_blocks * block + self.gpu_fixed_bytes,
            )
        } else {
            (
                self.output_bytes + gpu_blocks * block + self.gpu_fixed_bytes,
                self.input_bytes + cpu_blocks * block,
            )
        }
    }

    /// The most slots that fit `vram` bytes.
    pub fn most_that_fit(&self, vram: f64) -> u32 {
        (0..=self.blocks + 1)
            .rev()
            .find(|n| self.split(*n).0 <= vram)
            .unwrap_or(0)
    }
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
            block_kv_bytes: 2.0,
            blocks: 4,
            gpu_fixed_bytes: 1.0,
        };
        assert_eq!(p.split(0), (0.0, 57.0));
        // ngl = 1: the output layer and the buffer (3 + 1 = 4); the rest in RAM (5 + 48 = 53).
        assert_eq!(p.split(1), (4.0, 53.0));
        // ngl = 5 = blocks + 1: everything but the input embedding (3 + 48 + 1 = 52).
        assert_eq!(p.split(5), (52.0, 5.0));
        assert_eq!(p.split(999), p.split(5));
        // 30 B of VRAM: ngl = 3 needs 3 + 2 × 12 + 1 = 28; ngl = 4 needs 40.
        assert_eq!(p.most_that_fit(30.0), 3);
        assert_eq!(p.most_that_fit(0.5), 0);
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
