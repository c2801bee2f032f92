//! The memory chart's input and data: weights, KV cache, transient activations and the
//! engine's own memory at every sampled context, each from the estimator's own terms.

use crate::chart::words::crossover_tokens;
use crate::chart::{context_axis_max, context_samples, without_context};
use crate::estimate::Report;
use crate::estimate::scenario::{PREFILL_CHUNK_TOKENS, ResolvedModel, Scenario};
use crate::estimate::units::{ByteUnits, format_bytes};

/// One context sample of the memory chart, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MemorySample {
    /// Context length in tokens.
    pub ctx: f64,
    /// Weights.
    pub weights: f64,
    /// KV cache.
    pub kv: f64,
    /// Transient activations.
    pub activations: f64,
    /// What the engine holds besides (0 without an engine).
    pub engine: f64,
}

impl MemorySample {
    /// The sum.
    pub fn total(&self) -> f64 {
        self.weights + self.kv + self.activations + self.engine
    }
}

/// Data of the memory-vs-context chart.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryData {
    /// Samples, ascending in context.
    pub samples: Vec<MemorySample>,
    /// Right end of the x axis.
    pub x_max: f64,
    /// Capacity of all GPUs (bytes), its label, and a shorter label for when the long one
    /// has no clear place on the chart.
    pub capacity: Option<(f64, String, String)>,
    /// Where the KV cache equals the weights.
    pub crossover: Option<f64>,
    /// Longest context that fits.
    pub max_fit: Option<f64>,
    /// The model's trained context length.
    pub model_max: f64,
    /// The pinned scenario's totals, if comparing: (label, samples of (ctx, total bytes)).
    pub compare: Option<(String, Vec<(f64, f64)>)>,
    /// Units for the y axis.
    pub units: ByteUnits,
}

fn memory_at(s: &Scenario, m: &ResolvedModel, ctx: f64) -> MemorySample {
    // The estimator's own terms (engine included), so the chart and the report cannot differ.
    let t = s.inference_memory_at(m, ctx, s.batch as f64);
    MemorySample {
        ctx,
        weights: t.weights_bytes,
        kv: t.kv_bytes,
        activations: t.activations.peak_bytes,
        engine: t.engine_overhead_bytes,
    }
}

/// Memory at one context, exactly as the report computes it (for hover read-outs).
pub fn sample(s: &Scenario, ctx: f64) -> MemorySample {
    let m = s.resolve();
    memory_at(s, &m, ctx)
}

/// What the memory chart draws, taken from the scenario and its report: the scenario without
/// its context (the current context is a marker over fixed curves, so moving it redraws
/// nothing), and the report's figures that do not depend on the context.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryInput {
    /// The scenario, its context set to 0.
    pub scenario: Scenario,
    /// Where the KV cache equals the weights ([`crossover_tokens`]).
    pub crossover: Option<f64>,
    /// The longest context that fits.
    pub max_fit: Option<f64>,
    /// The memory the engine lets itself use on all GPUs (the catalog figure without an
    /// engine), its label and a shorter label; none without a GPU.
    pub capacity: Option<(f64, String, String)>,
    /// The pinned scenario (context 0) and its model's name, when comparing.
    pub compare: Option<(Scenario, String)>,
    /// Units for the y axis and labels.
    pub units: ByteUnits,
}

impl MemoryInput {
    /// The input of a scenario, its report and the compared pair.
    pub fn of(s: &Scenario, r: &Report, compare: Option<(&Scenario, &Report)>, units: ByteUnits) -> MemoryInput {
        let i = &r.inference;
        let capacity = r.gpu.as_ref().map(|g| {
            let short = g.name.replace("NVIDIA ", "").replace("GeForce ", "");
            let usable = i.usable_memory_bytes;
            let label = if s.engine == crate::estimate::engine::Engine::None {
                format!("{} × {}: {}", g.count, short, format_bytes(usable, units))
            } else {
                format!(
                    "{} × {}: {} usable by {}",
                    g.count,
                    short,
                    format_bytes(usable, units),
                    s.engine.label()
                )
            };
            let brief = format!("{}: {}", short, format_bytes(usable, units));
            (usable, label, brief)
        });
        MemoryInput {
            scenario: without_context(s),
            crossover: crossover_tokens(r),
            max_fit: i.max_context_on_gpu,
            capacity,
            compare: compare.map(|(cs, cr)| (without_context(cs), cr.model.name.clone())),
            units,
        }
    }
}

/// Builds the memory chart's data.
pub fn data(input: &MemoryInput) -> MemoryData {
    let s = &input.scenario;
    let m = s.resolve();
    let model_max = m.arch.max_context as f64;
    let x_max = context_axis_max();
    let window = m.arch.attention.window as f64;
    // The current context is not a sample: the curves must not change when only it moves.
    let extra = [
        input.crossover.unwrap_or(0.0),
        input.max_fit.unwrap_or(0.0),
        window,
        PREFILL_CHUNK_TOKENS,
        model_max,
    ];
    let samples = context_samples(x_max, &extra)
        .into_iter()
        .map(|c| memory_at(s, &m, c))
        .collect();
    let compare = input.compare.as_ref().map(|(cs, name)| {
        let cm = cs.resolve();
        let pts = context_samples(x_max, &[])
            .into_iter()
            .map(|c| (c, memory_at(cs, &cm, c).total()))
            .collect();
        (format!("A: {name}"), pts)
    });
    MemoryData {
        samples,
        x_max,
        capacity: input.capacity.clone(),
        crossover: input.crossover.filter(|c| *c <= x_max),
        max_fit: input.max_fit.filter(|c| *c <= x_max),
        model_max,
        compare,
        units: input.units,
    }
}
