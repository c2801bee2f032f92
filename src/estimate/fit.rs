//! What would make a scenario that does not fit fit: each change alone, found by evaluating the
//! changed scenario (never by a formula of its own). Computed once with the report
//! (`InferenceReport::advice`, `TrainingReport::advice`); the presentation words it
//! (`chart::advice`).

use serde::Serialize;

use super::precision;
use super::scenario::{InferenceReport, ResolvedModel, Scenario};
use super::training::{Recompute, TrainingKnobs};

/// What would make an inference scenario that does not fit its GPUs fit, one change at a time,
/// each checked by evaluating the changed scenario (never by a formula of its own).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InferenceAdvice {
    /// The weight format with the most bytes (the least quantised) that fits at this context
    /// and batch, if a smaller one than the current format does.
    pub weights: Option<precision::WeightFormat>,
    /// The fewest GPUs of this kind that hold it unchanged, if ≤ 65,536.
    pub gpus: Option<u32>,
}

/// Most GPUs a suggestion may name (the GPU-count field's own limit).
const MAX_SUGGESTED_GPUS: u32 = 65_536;

/// `None` when the scenario fits; else what would make it fit (see [`InferenceAdvice`]). `i` is
/// the scenario's own inference report (for `m`).
pub fn inference_advice(s: &Scenario, m: &ResolvedModel, i: &InferenceReport) -> Option<InferenceAdvice> {
    if i.fits {
        return None;
    }
    let current = i.weights_bytes;
    // The model does not depend on the format or the GPU count: check each setting without the
    // solvers.
    let weights = precision::WeightFormat::ALL
        .into_iter()
        .filter(|f| *f != s.weights)
        .filter_map(|f| {
            let t = Scenario {
                weights: f,
                ..s.clone()
            };
            let bytes = t.weights_bytes(m);
            (bytes < current && t.inference_fits(m)).then_some((f, bytes))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(f, _)| f);
    // The total does not depend on the GPU count (the GPUs split it), so the count that holds
    // it is total ÷ one GPU's memory, rounded up; checked by evaluating.
    let each = i.usable_memory_bytes / f64::from(s.gpus.max(1));
    let gpus = (each > 0.0)
        .then(|| (i.total_bytes / each).ceil().max(f64::from(s.gpus) + 1.0))
        .filter(|n| *n <= f64::from(MAX_SUGGESTED_GPUS))
        .and_then(|n0| {
            (n0 as u32..=(n0 as u32 + 4).min(MAX_SUGGESTED_GPUS))
                .find(|n| Scenario { gpus: *n, ..s.clone() }.inference_fits(m))
        });
    Some(InferenceAdvice { weights, gpus })
}

/// What would make a training run that does not fit one GPU fit: each change alone, checked by
/// evaluating the changed scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainingAdvice {
    /// Full activation recomputation alone makes it fit.
    pub recompute: bool,
    /// ZeRO stage 3 over the current data-parallel GPUs alone makes it fit.
    pub zero3: bool,
    /// The fewest data-parallel GPUs (powers of two) with ZeRO-3 that make it fit, with full
    /// recomputation when it is needed too.
    pub dp_zero3: Option<(u32, bool)>,
}

/// `None` when the training run fits (`fits`); else what would (see [`TrainingAdvice`]).
pub fn training_advice(s: &Scenario, m: &ResolvedModel, fits: bool) -> Option<TrainingAdvice> {
    if fits {
        return None;
    }
    // The model does not depend on the knobs: check each setting with the training report
    // alone (no inference solvers).
    let fits = |t: TrainingKnobs| {
        Scenario {
            training: t,
            ..s.clone()
        }
        .training_fits(m)
    };
    let k = s.training;
    let recompute = k.recompute != Recompute::Full
        && fits(TrainingKnobs {
            recompute: Recompute::Full,
            ..k
        });
    let zero3 = k.zero < 3 && k.dp > 1 && fits(TrainingKnobs { zero: 3, ..k });
    let mut dp_zero3 = None;
    let mut dp = k.dp.max(1).next_power_of_two().max(2);
    while dp_zero3.is_none() && dp <= MAX_SUGGESTED_GPUS {
        for rec in [k.recompute, Recompute::Full] {
            if fits(TrainingKnobs {
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
