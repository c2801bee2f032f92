//! What would make a scenario that does not fit fit: each change alone, checked by evaluating
//! the changed scenario (never by a formula of its own). Shown under the memory and breakdown
//! charts, on the key-numbers cards and by the CLI.

use crate::estimate::Report;
use crate::estimate::precision;
use crate::estimate::scenario::Scenario;

/// What would make an inference scenario that does not fit its GPUs fit, one change at a time,
/// each checked by evaluating the changed scenario (never by a formula of its own).
#[derive(Clone, Debug, PartialEq)]
pub struct InferenceAdvice {
    /// The weight format with the most bytes (the least quantised) that fits at this context
    /// and batch, if a smaller one than the current format does.
    pub weights: Option<precision::WeightFormat>,
    /// The fewest GPUs of this kind that hold it unchanged (tensor-parallel), if ≤ 65,536.
    pub gpus: Option<u32>,
}

/// Most GPUs a suggestion may name (the GPU-count field's own limit).
const MAX_SUGGESTED_GPUS: u32 = 65_536;

/// `None` when the scenario fits; else what would make it fit (see [`InferenceAdvice`]).
pub fn inference_advice(s: &Scenario, r: &Report) -> Option<InferenceAdvice> {
    if r.inference.fits {
        return None;
    }
    let current = r.inference.weights_bytes;
    // The model does not depend on the format or the GPU count: resolve it once and check each
    // setting without the solvers.
    let m = s.resolve();
    let weights = precision::WeightFormat::ALL
        .into_iter()
        .filter(|f| *f != s.weights)
        .filter_map(|f| {
            let t = Scenario {
                weights: f,
                ..s.clone()
            };
            let bytes = t.weights_bytes(&m);
            (bytes < current && t.inference_fits(&m)).then_some((f, bytes))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(f, _)| f);
    // The total does not depend on the GPU count (tensor parallelism splits it), so the count
    // that holds it is total ÷ one GPU's memory, rounded up; checked by evaluating.
    let each = r
        .gpu
        .as_ref()
        .map_or(0.0, |g| r.inference.usable_memory_bytes / f64::from(g.count.max(1)));
    let gpus = (each > 0.0)
        .then(|| (r.inference.total_bytes / each).ceil().max(f64::from(s.gpus) + 1.0))
        .filter(|n| *n <= f64::from(MAX_SUGGESTED_GPUS))
        .and_then(|n0| {
            (n0 as u32..=(n0 as u32 + 4).min(MAX_SUGGESTED_GPUS))
                .find(|n| Scenario { gpus: *n, ..s.clone() }.inference_fits(&m))
        });
    Some(InferenceAdvice { weights, gpus })
}

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

/// What would make a training run that does not fit one GPU fit: each change alone, checked by
/// evaluating the changed scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingAdvice {
    /// Full activation recomputation alone makes it fit.
    pub recompute: bool,
    /// ZeRO stage 3 over the current data-parallel GPUs alone makes it fit.
    pub zero3: bool,
    /// The fewest data-parallel GPUs (powers of two) with ZeRO-3 that make it fit, with full
    /// recomputation when it is needed too.
    pub dp_zero3: Option<(u32, bool)>,
}

/// `None` when the training run fits; else what would (see [`TrainingAdvice`]).
pub fn training_advice(s: &Scenario, r: &Report) -> Option<TrainingAdvice> {
    use crate::estimate::training::Recompute;
    if r.training.fits {
        return None;
    }
    // The model does not depend on the knobs: resolve it once, and check each setting with the
    // training report alone (no inference solvers), so advice costs little on a slider move.
    let m = s.resolve();
    let fits = |t: crate::estimate::training::TrainingKnobs| {
        Scenario {
            training: t,
            ..s.clone()
        }
        .training_fits(&m)
    };
    let k = s.training;
    let recompute = k.recompute != Recompute::Full
        && fits(crate::estimate::training::TrainingKnobs {
            recompute: Recompute::Full,
            ..k
        });
    let zero3 = k.zero < 3 && k.dp > 1 && fits(crate::estimate::training::TrainingKnobs { zero: 3, ..k });
    let mut dp_zero3 = None;
    let mut dp = k.dp.max(1).next_power_of_two().max(2);
    while dp_zero3.is_none() && dp <= MAX_SUGGESTED_GPUS {
        for rec in [k.recompute, Recompute::Full] {
            if fits(crate::estimate::training::TrainingKnobs {
                zero: 3,
                dp,
                recompute: rec,
                ..k
            }) {
                dp_zero3 = Some((dp, rec != k.recompute));
                break;
            }
        }
        dp *= 2;
    }
    Some(TrainingAdvice {
        recompute,
        zero3,
        dp_zero3,
    })
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
