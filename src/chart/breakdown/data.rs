//! The breakdown chart's data: one stacked bar for serving (all GPUs) and one for training
//! (per GPU), each with the memory it must fit in; A's bars first when comparing.

use crate::estimate::Report;
use crate::estimate::units::{ByteUnits, format_int};

/// What kind of memory a bar segment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Weights.
    Weights,
    /// KV cache.
    Kv,
    /// Activations.
    Activations,
    /// Gradients.
    Gradients,
    /// Optimizer states.
    Optimizer,
    /// What an inference engine holds besides the tensors (not in [`Segment::ALL`]: shown
    /// only when an engine is chosen).
    Engine,
}

impl Segment {
    /// Every kind, in legend and table order.
    pub const ALL: [Segment; 5] = [
        Segment::Weights,
        Segment::Kv,
        Segment::Gradients,
        Segment::Optimizer,
        Segment::Activations,
    ];

    /// Legend label.
    pub fn label(self) -> &'static str {
        match self {
            Segment::Weights => "Weights",
            Segment::Kv => "KV cache",
            Segment::Activations => "Activations",
            Segment::Gradients => "Gradients",
            Segment::Optimizer => "Optimizer states",
            Segment::Engine => "Engine",
        }
    }
}

/// One stacked bar of the breakdown chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Label under the bar.
    pub label: String,
    /// Segments from the bottom.
    pub segments: Vec<(Segment, f64)>,
    /// Memory the bar must fit in (bytes).
    pub capacity: f64,
    /// Whether it runs, as the report says it (llama.cpp's system RAM included).
    pub fits: bool,
}

impl Bar {
    /// Sum of the segments.
    pub fn total(&self) -> f64 {
        self.segments.iter().map(|(_, b)| b).sum()
    }
}

/// Data of the breakdown chart.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakdownData {
    /// Bars, left to right.
    pub bars: Vec<Bar>,
    /// Units.
    pub units: ByteUnits,
}

fn bars_for(r: &Report, prefix: &str) -> [Bar; 2] {
    let i = &r.inference;
    let t = &r.training.memory;
    let gpus = r.gpu.as_ref().map_or(1, |g| g.count);
    let mut inference = vec![
        (Segment::Weights, i.weights_bytes),
        (Segment::Kv, i.kv_cache_bytes),
        (Segment::Activations, i.activation_bytes),
    ];
    if i.engine_overhead_bytes > 0.0 {
        inference.push((Segment::Engine, i.engine_overhead_bytes));
    }
    let mut training = vec![
        (Segment::Weights, t.weights_bytes),
        (Segment::Gradients, t.gradient_bytes),
        (Segment::Optimizer, t.optimizer_bytes),
        (Segment::Activations, t.activation_bytes),
    ];
    if r.training.engine_overhead_bytes > 0.0 {
        training.push((Segment::Engine, r.training.engine_overhead_bytes));
    }
    [
        Bar {
            // The bases differ (every GPU of the serving run, one GPU of the training run), so
            // each bar says its own, short enough for two bars on a phone.
            label: {
                let ram = i
                    .offload
                    .is_some_and(|o| o.gpu_layers < o.slots || o.cpu_moe_layers > 0);
                match (gpus, ram) {
                    (1, false) => format!("{prefix}Inference (the GPU)"),
                    (1, true) => format!("{prefix}Inference (GPU + RAM)"),
                    (n, false) => format!("{prefix}Inference (all {n} GPUs)"),
                    (n, true) => format!("{prefix}Inference ({n} GPUs + RAM)"),
                }
            },
            segments: inference,
            capacity: i.usable_memory_bytes,
            fits: i.fits,
        },
        Bar {
            label: if t.gpus <= 1.0 {
                format!("{prefix}Training (one GPU)")
            } else {
                format!("{prefix}Training (per GPU, of {})", format_int(t.gpus))
            },
            segments: training,
            // What the report compares the training run with (one GPU as the engine sees it).
            capacity: r.training.gpu_memory_bytes,
            fits: r.training.fits,
        },
    ]
}

impl BreakdownData {
    /// The kinds of memory the bars show, in legend order: [`Segment::ALL`], then the engine's
    /// when any bar has it.
    pub fn segments(&self) -> Vec<Segment> {
        let mut v = Segment::ALL.to_vec();
        if self
            .bars
            .iter()
            .any(|b| b.segments.iter().any(|(k, _)| *k == Segment::Engine))
        {
            v.push(Segment::Engine);
        }
        v
    }
}

/// Builds the breakdown chart's data (A's bars first when comparing).
pub fn data(r: &Report, compare: Option<&Report>, units: ByteUnits) -> BreakdownData {
    let mut bars = Vec::new();
    match compare {
        Some(a) => {
            let [ai, at] = bars_for(a, "A: ");
            let [bi, bt] = bars_for(r, "B: ");
            bars.extend([ai, bi, at, bt]);
        }
        None => bars.extend(bars_for(r, "")),
    }
    BreakdownData { bars, units }
}
