//! The advice of `estimate::fit` in words: what would make a scenario that does not fit fit,
//! for the memory and breakdown charts, the cards and the CLI.

use crate::estimate::Report;
use crate::estimate::fit::{InferenceAdvice, TrainingAdvice};
use crate::estimate::scenario::Scenario;

/// The advice as a sentence ending in a full stop, for the memory chart and the cards, in the
/// engine's own terms (its weight formats and KV types, `-ngl` and `--n-cpu-moe` for llama.cpp,
/// a GPU count vLLM accepts).
pub fn inference_advice_sentence(a: &InferenceAdvice, r: &Report) -> String {
    let gpu = r.gpu.as_ref().map_or("GPU".to_string(), |g| {
        g.name.replace("NVIDIA ", "").replace("GeForce ", "")
    });
    let llama = r.inference.engine == "llamacpp";
    let mut ways = Vec::new();
    if let Some(n) = a.cpu_moe {
        ways.push(format!(
            "with the experts of {n} layers in system RAM (--n-cpu-moe {n})"
        ));
    }
    if let Some(n) = a.gpu_layers {
        ways.push(format!("with {n} layers on the GPU (-ngl {n})"));
    }
    if let Some(k) = a.kv {
        let name = if llama {
            k.id().to_string()
        } else {
            format!("an {} KV cache", k.label())
        };
        ways.push(if llama {
            format!("with a {name} KV cache (-ctk {name} -ctv {name})")
        } else {
            format!("with {name} (--kv-cache-dtype {})", k.id())
        });
    }
    if let Some(b) = a.ram_bytes {
        ways.push(format!("with {} GB of system RAM", (b / 1_073_741_824.0).round()));
    }
    if let Some(f) = a.weights {
        ways.push(format!("with {} weights (the largest format that fits)", f.label()));
    }
    if let Some(n) = a.gpus {
        ways.push(format!("unchanged on {n} × {gpu}"));
    }
    match ways.len() {
        0 => "No weight format, cache type or GPU count makes it fit at this context.".to_string(),
        1 => format!("It would fit {}.", ways[0]),
        n => format!("It would fit {}, or {}.", ways[..n - 1].join(", "), ways[n - 1]),
    }
}

/// The training advice as a sentence ending in a full stop.
pub fn training_advice_sentence(a: &TrainingAdvice, s: &Scenario) -> String {
    let mut ways = Vec::new();
    if a.recompute {
        ways.push("full activation recomputation".to_string());
    }
    if a.zero3 {
        ways.push(format!("ZeRO-3 across its {} data-parallel GPUs", s.training.dp));
    }
    if let Some((dp, rec)) = a.dp_zero3 {
        ways.push(format!(
            "ZeRO-3 over {dp} data-parallel GPUs{}",
            if rec { " with full recomputation" } else { "" }
        ));
    }
    match ways.len() {
        0 => "No recomputation, ZeRO stage or GPU count makes it fit at this sequence length and micro-batch."
            .to_string(),
        1 => format!("It would fit with {}.", ways[0]),
        _ => {
            let last = ways.pop().unwrap_or_default();
            format!("It would fit with {}, or {last}.", ways.join(", "))
        }
    }
}
