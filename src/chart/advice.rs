//! The advice of `estimate::fit` in words: what would make a scenario that does not fit fit,
//! for the memory and breakdown charts, the cards and the CLI.

use crate::estimate::Report;
use crate::estimate::fit::{InferenceAdvice, TrainingAdvice};
use crate::estimate::scenario::Scenario;

/// The advice as a sentence ending in a full stop, for the memory chart and the cards.
pub fn inference_advice_sentence(a: &InferenceAdvice, r: &Report) -> String {
    let gpu = r.gpu.as_ref().map_or("GPU".to_string(), |g| {
        g.name.replace("NVIDIA ", "").replace("GeForce ", "")
    });
    match (a.weights, a.gpus) {
        (Some(f), Some(n)) => format!(
            "It would fit with {} weights (the largest format that fits), or unchanged on {n} × {gpu}.",
            f.label()
        ),
        (Some(f), None) => format!(
            "It would fit with {} weights (the largest format that fits).",
            f.label()
        ),
        (None, Some(n)) => format!("No weight format makes it fit here; it needs {n} × {gpu}."),
        (None, None) => "No weight format or GPU count makes it fit at this context.".to_string(),
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
