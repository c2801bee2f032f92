//! Plain chart data built from a scenario: the series each `draw` needs, the one-sentence
//! lesson under each chart, and the table that is every chart's text alternative (and its CSV
//! export). Pure: no plotters, no browser.

use crate::estimate::Report;
use crate::estimate::chinchilla::{self, ChinchillaReport, EPOCH, Fit, HOFFMANN};
use crate::estimate::kv::{self, KvLayout};
use crate::estimate::precision;
use crate::estimate::presets;
use crate::estimate::scenario::{PREFILL_CHUNK_TOKENS, ResolvedModel, Scenario, decode_weight_bytes};
use crate::estimate::units::{ByteUnits, format_bytes, format_count, format_int, format_seconds};

/// One table cell: its text, and the exact number behind it for CSV export.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Display text.
    pub text: String,
    /// Exact value (bytes, tokens, seconds…), if numeric.
    pub raw: Option<f64>,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            raw: None,
        }
    }
    fn num(text: String, raw: f64) -> Cell {
        Cell { text, raw: Some(raw) }
    }
}

/// A chart's data as a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Caption.
    pub caption: String,
    /// Column headers (CSV headers say the raw unit).
    pub headers: Vec<String>,
    /// Raw-unit header for each column (CSV).
    pub csv_headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// CSV with exact numbers (bytes, tokens, seconds), RFC 4180 quoting.
    pub fn csv(&self) -> String {
        let quote = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let mut out = self.csv_headers.iter().map(|h| quote(h)).collect::<Vec<_>>().join(",");
        out.push('\n');
        for r in &self.rows {
            let line: Vec<String> = r
                .iter()
                .map(|c| c.raw.map_or_else(|| quote(&c.text), |v| format!("{v}")))
                .collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        out
    }
}

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

/// Context samples: log-spaced from 1 to `x_max`, plus the points where the curves bend.
fn context_samples(x_max: f64, extra: &[f64]) -> Vec<f64> {
    let n = 72;
    let mut xs: Vec<f64> = (0..=n)
        .map(|i| (x_max.ln() * f64::from(i) / f64::from(n)).exp())
        .collect();
    xs.extend(
        extra
            .iter()
            .copied()
            .filter(|x| x.is_finite() && *x >= 1.0 && *x <= x_max),
    );
    xs.sort_by(f64::total_cmp);
    xs.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    xs
}

/// The x-axis end of the context charts: the context slider's own end (the `ctx` key's
/// maximum, 10⁷ tokens, from its one definition in `share::keys`). Fixed, so moving the slider
/// never rescales (or redraws) a chart, and the current-context marker sits where the slider's
/// thumb is. The y axes are scaled to the trained context length instead (see `memory::draw`,
/// `speed::draw`): beyond it the curves run off the top.
pub fn context_axis_max() -> f64 {
    crate::share::keys::CTX.slider_range().1
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

/// The context where the KV cache equals the weights, as every view shows it: the first whole
/// token count at which the cache is at least the weights (the estimator's exact crossover,
/// rounded up), so the card, the chart, its table and the sentences say the same number.
pub fn crossover_tokens(r: &Report) -> Option<f64> {
    r.inference.kv_equals_weights_at_context.map(f64::ceil)
}

/// Memory at one context, exactly as the report computes it (for hover read-outs).
pub fn memory_sample(s: &Scenario, ctx: f64) -> MemorySample {
    let m = s.resolve();
    memory_at(s, &m, ctx)
}

/// Builds the memory chart's data.
pub fn memory(s: &Scenario, r: &Report, compare: Option<(&Scenario, &Report)>, units: ByteUnits) -> MemoryData {
    let m = s.resolve();
    let model_max = m.arch.max_context as f64;
    let x_max = context_axis_max();
    let i = &r.inference;
    let window = m.arch.attention.window as f64;
    // The current context is not a sample: the curves must not change when only it moves.
    let extra = [
        crossover_tokens(r).unwrap_or(0.0),
        i.max_context_on_gpu.unwrap_or(0.0),
        window,
        PREFILL_CHUNK_TOKENS,
        model_max,
    ];
    let samples = context_samples(x_max, &extra)
        .into_iter()
        .map(|c| memory_at(s, &m, c))
        .collect();
    // The memory the engine lets itself use (the catalog figure without an engine).
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
    let compare = compare.map(|(cs, cr)| {
        let cm = cs.resolve();
        let pts = context_samples(x_max, &[])
            .into_iter()
            .map(|c| (c, memory_at(cs, &cm, c).total()))
            .collect();
        (format!("A: {}", cr.model.name), pts)
    });
    MemoryData {
        samples,
        x_max,
        capacity,
        crossover: crossover_tokens(r).filter(|c| *c <= x_max),
        max_fit: i.max_context_on_gpu.filter(|c| *c <= x_max),
        model_max,
        compare,
        units,
    }
}

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

/// " — beyond the {trained} tokens {name} was trained for" when `tokens` is past the model's
/// trained context length, else nothing: every number past the limit says so.
pub fn beyond_limit(tokens: f64, r: &Report) -> String {
    let trained = r.model.arch.max_context as f64;
    if trained > 0.0 && tokens > trained {
        format!(
            " — beyond the {}-token context {} supports",
            crate::estimate::units::format_context(trained),
            r.model.name
        )
    } else {
        String::new()
    }
}

/// The lesson of the memory chart, with the current numbers.
pub fn memory_summary(s: &Scenario, r: &Report, units: ByteUnits) -> String {
    let i = &r.inference;
    let b = |x| format_bytes(x, units);
    let ctx = format!(
        "{} {}",
        format_int(s.ctx as f64),
        crate::estimate::units::tokens_word(s.ctx as f64)
    );
    let batch = if s.batch > 1 {
        format!(" for {} sequences", format_int(s.batch as f64))
    } else {
        String::new()
    };
    let kv_is = "the KV cache (the activations kept for past tokens)";
    let mut out = if i.kv_cache_bytes >= i.weights_bytes {
        format!(
            "At {ctx}{batch} {kv_is} is {}, more than the {} of weights: the text now costs more memory than the model.",
            b(i.kv_cache_bytes),
            b(i.weights_bytes)
        )
    } else {
        let pct = 100.0 * i.kv_cache_bytes / i.weights_bytes.max(1.0);
        let cross = match crossover_tokens(r) {
            Some(c) => format!("it would equal them at {} tokens{}", format_int(c), beyond_limit(c, r)),
            None => "the sliding window stops it growing before it reaches them".to_string(),
        };
        format!(
            "At {ctx}{batch} {kv_is} is {} ({pct:.0} % of the {} of weights); {cross}.",
            b(i.kv_cache_bytes),
            b(i.weights_bytes)
        )
    };
    if r.gpu.is_some() {
        let cap = b(i.usable_memory_bytes);
        // Split between GPU and system RAM (llama.cpp), the offload sentence says it all.
        let partial = i.offload.is_some_and(|o| o.gpu_layers < o.slots);
        match (i.fits, i.max_context_on_gpu) {
            _ if partial => {}
            (true, Some(max)) => out.push_str(&format!(
                " Everything fits in {cap} up to {} tokens{}.",
                format_int(max),
                beyond_limit(max, r)
            )),
            (false, Some(max)) => out.push_str(&format!(
                " It does not fit: {} needed, {cap} available (fits up to {} tokens).",
                b(i.total_bytes),
                format_int(max)
            )),
            (_, None) => out.push_str(&format!(" Even the weights do not fit in {cap}.")),
        }
        if let Some(a) = inference_advice(s, r) {
            out.push(' ');
            out.push_str(&inference_advice_sentence(&a, r));
        }
        if let Some(o) = &i.offload {
            out.push(' ');
            out.push_str(&offload_sentence(o, units));
        }
    }
    out
}

/// What llama.cpp's split means for the reader: where the layers are, and what that costs.
pub fn offload_sentence(o: &crate::estimate::engine::Offload, units: ByteUnits) -> String {
    let how = if o.automatic { "as many as fit" } else { "as set by ngl" };
    if o.gpu_layers >= o.slots {
        format!(
            "llama.cpp puts all {} layers (blocks and output) on the GPU ({}); only the input embedding stays in system RAM.",
            o.slots,
            format_bytes(o.vram_bytes, units)
        )
    } else {
        format!(
            "llama.cpp keeps {} of {} layers on the GPU ({how}: {}) and the rest in system RAM ({}), so each token takes at least {} (system RAM at {:.1} GB/s).",
            o.gpu_layers,
            o.slots,
            format_bytes(o.vram_bytes, units),
            format_bytes(o.ram_bytes, units),
            format_seconds(o.decode_seconds_per_token_bound),
            o.ram_bandwidth_bytes_per_s / 1e9
        )
    }
}

/// The memory chart as a table: the samples at every other power of two, the markers, and
/// the current context (`current`, computed exactly by [`memory_sample`]).
pub fn memory_table(d: &MemoryData, current: &MemorySample) -> Table {
    let u = d.units;
    let mut rows = Vec::new();
    let mut samples: Vec<MemorySample> = d.samples.iter().copied().filter(|smp| smp.ctx != current.ctx).collect();
    samples.push(*current);
    samples.sort_by(|a, b| a.ctx.total_cmp(&b.ctx));
    for smp in &samples {
        let marker = smp.ctx == current.ctx
            || Some(smp.ctx) == d.crossover
            || Some(smp.ctx) == d.max_fit
            || (smp.ctx.log2().fract() == 0.0 && smp.ctx.log2() as i64 % 2 == 0);
        if !marker {
            continue;
        }
        let mut note = Vec::new();
        if smp.ctx == current.ctx {
            note.push("current");
        }
        if Some(smp.ctx) == d.crossover {
            note.push("KV = weights");
        }
        if Some(smp.ctx) == d.max_fit {
            note.push("longest that fits");
        }
        rows.push(vec![
            Cell::num(format_int(smp.ctx), smp.ctx),
            Cell::num(format_bytes(smp.weights, u), smp.weights),
            Cell::num(format_bytes(smp.kv, u), smp.kv),
            Cell::num(format_bytes(smp.activations, u), smp.activations),
            Cell::num(format_bytes(smp.total(), u), smp.total()),
            Cell::text(note.join(", ")),
        ]);
    }
    Table {
        caption: "Memory by context length".to_string(),
        headers: [
            "Context (tokens)",
            "Weights",
            "KV cache",
            "Activations",
            "Total",
            "Note",
        ]
        .map(String::from)
        .to_vec(),
        csv_headers: [
            "context_tokens",
            "weights_bytes",
            "kv_cache_bytes",
            "activation_bytes",
            "total_bytes",
            "note",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

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
    let each = r.gpu.as_ref().map_or(0.0, |g| g.memory_bytes_each);
    let mut inference = vec![
        (Segment::Weights, i.weights_bytes),
        (Segment::Kv, i.kv_cache_bytes),
        (Segment::Activations, i.activation_bytes),
    ];
    if i.engine_overhead_bytes > 0.0 {
        inference.push((Segment::Engine, i.engine_overhead_bytes));
    }
    [
        Bar {
            label: format!("{prefix}Inference (all {gpus} GPU{})", if gpus == 1 { "" } else { "s" }),
            segments: inference,
            capacity: i.usable_memory_bytes,
        },
        Bar {
            label: format!("{prefix}Training (per GPU, of {})", format_int(t.gpus.max(1.0))),
            segments: vec![
                (Segment::Weights, t.weights_bytes),
                (Segment::Gradients, t.gradient_bytes),
                (Segment::Optimizer, t.optimizer_bytes),
                (Segment::Activations, t.activation_bytes),
            ],
            capacity: each,
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
pub fn breakdown(r: &Report, compare: Option<&Report>, units: ByteUnits) -> BreakdownData {
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

/// The lesson of the breakdown chart: serving in all beside training per GPU, each on a
/// stated basis, and the comparison worded for whichever is larger.
pub fn breakdown_summary(s: &Scenario, r: &Report, units: ByteUnits) -> String {
    let i = &r.inference;
    let t = &r.training.memory;
    let b = |x: f64| format_bytes(x, units);
    let plural = |n: f64| if n == 1.0 { "" } else { "s" };
    let serve_gpus = r.gpu.as_ref().map_or(1.0, |g| f64::from(g.count));
    let train_gpus = t.gpus.max(1.0);
    let ratio = t.total_bytes / i.total_bytes.max(1.0);
    let per_param = (t.weights_bytes + t.gradient_bytes + t.optimizer_bytes) / r.model.params.max(1.0) * train_gpus;
    let serving = format!(
        "Serving needs {} in all (on {} GPU{})",
        b(i.total_bytes),
        format_int(serve_gpus),
        plural(serve_gpus)
    );
    let why = format!(
        "gradients and optimizer states add to the weights ({per_param:.0} byte{} per parameter, summed over the {} GPU{}) and activations are kept for the backward pass",
        if format!("{per_param:.0}") == "1" { "" } else { "s" },
        format_int(train_gpus),
        plural(train_gpus)
    );
    let mut out = if train_gpus == 1.0 {
        let cmp = if ratio >= 1.0 {
            format!("{ratio:.1}× as much, because {why}")
        } else {
            format!(
                "only {ratio:.1}× as much: here serving's KV cache and working memory outweigh what training adds, though {why}"
            )
        };
        format!("{serving}; training on 1 GPU needs {} ({cmp}).", b(t.total_bytes))
    } else if ratio >= 1.0 {
        format!(
            "{serving}; training needs {} on each of its {} GPUs — {ratio:.1}× as much per GPU — because {why}.",
            b(t.total_bytes),
            format_int(train_gpus)
        )
    } else {
        format!(
            "{serving}; training needs {} on each of its {} GPUs, {ratio:.1}× as much per GPU, only because parallelism splits it: in all it holds {} ({:.1}× serving), because {why}.",
            b(t.total_bytes),
            format_int(train_gpus),
            b(t.total_bytes * train_gpus),
            t.total_bytes * train_gpus / i.total_bytes.max(1.0),
        )
    };
    if let Some(a) = training_advice(s, r) {
        out.push_str(&format!(
            " Training does not fit one {}. {}",
            r.gpu
                .as_ref()
                .map_or("GPU".to_string(), |g| g.name.replace("NVIDIA ", "")),
            training_advice_sentence(&a, s)
        ));
    }
    out
}

/// The breakdown chart as a table.
pub fn breakdown_table(d: &BreakdownData) -> Table {
    let u = d.units;
    let kinds = d.segments();
    let rows = d
        .bars
        .iter()
        .map(|bar| {
            let mut row = vec![Cell::text(bar.label.clone())];
            for k in kinds.iter().copied() {
                let v = bar.segments.iter().find(|(s, _)| *s == k).map_or(0.0, |(_, b)| *b);
                row.push(Cell::num(format_bytes(v, u), v));
            }
            row.push(Cell::num(format_bytes(bar.total(), u), bar.total()));
            row.push(Cell::num(format_bytes(bar.capacity, u), bar.capacity));
            row
        })
        .collect();
    let mut headers: Vec<String> = ["", "Weights", "KV cache", "Gradients", "Optimizer", "Activations"]
        .map(String::from)
        .to_vec();
    let mut csv_headers: Vec<String> = [
        "scenario",
        "weights_bytes",
        "kv_cache_bytes",
        "gradient_bytes",
        "optimizer_bytes",
        "activation_bytes",
    ]
    .map(String::from)
    .to_vec();
    if kinds.contains(&Segment::Engine) {
        headers.push("Engine".into());
        csv_headers.push("engine_bytes".into());
    }
    headers.extend(["Total", "GPU memory"].map(String::from));
    csv_headers.extend(["total_bytes", "gpu_memory_bytes"].map(String::from));
    Table {
        caption: "Memory breakdown".to_string(),
        headers,
        csv_headers,
        rows,
    }
}

/// Data of the decode-speed chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedData {
    /// (context, seconds per decode step) samples.
    pub samples: Vec<(f64, f64)>,
    /// Seconds per step if the cache cost nothing (weights only).
    pub floor: f64,
    /// Right end of the x axis.
    pub x_max: f64,
    /// The model's trained context length: the y axis is scaled to the curves up to here.
    pub model_max: f64,
    /// The pinned scenario's curve.
    pub compare: Option<(String, Vec<(f64, f64)>)>,
    /// Aggregate bandwidth label.
    pub hardware: String,
}

fn speed_curve(s: &Scenario, r: &Report, xs: &[f64]) -> (Vec<(f64, f64)>, f64) {
    let m = s.resolve();
    let scale = m.params / m.derived.total.max(1.0);
    let bw = r
        .gpu
        .as_ref()
        .map_or(1.0, |g| g.bandwidth_bytes_per_s * f64::from(g.count));
    let batch = s.batch as f64;
    let weights_read = decode_weight_bytes(&m.arch, s.weights, batch) * scale;
    let pts = xs
        .iter()
        .map(|&c| {
            (
                c,
                (weights_read + kv::cache_bytes(&m.arch, s.kv, KvLayout::Native, c, batch)) / bw,
            )
        })
        .collect();
    (pts, weights_read / bw)
}

/// Seconds per decode step at one context (hover read-outs).
pub fn speed_at(s: &Scenario, r: &Report, ctx: f64) -> f64 {
    speed_curve(s, r, &[ctx]).0.first().map_or(0.0, |p| p.1)
}

/// Builds the speed chart's data.
pub fn speed(s: &Scenario, r: &Report, compare: Option<(&Scenario, &Report)>) -> SpeedData {
    let m = s.resolve();
    let x_max = context_axis_max();
    let model_max = m.arch.max_context as f64;
    let xs = context_samples(x_max, &[m.arch.attention.window as f64, model_max]);
    let (samples, floor) = speed_curve(s, r, &xs);
    let compare = compare.map(|(cs, cr)| {
        let cxs = context_samples(x_max, &[]);
        (format!("A: {}", cr.model.name), speed_curve(cs, cr, &cxs).0)
    });
    let hardware = r.gpu.as_ref().map_or(String::new(), |g| {
        format!(
            "{} × {} at {:.2} TB/s each",
            g.count,
            g.name.replace("NVIDIA ", ""),
            g.bandwidth_bytes_per_s / 1e12
        )
    });
    SpeedData {
        samples,
        floor,
        x_max,
        model_max,
        compare,
        hardware,
    }
}

/// The lesson of the speed chart.
pub fn speed_summary(s: &Scenario, r: &Report) -> String {
    let short = speed_at(s, r, 1.0);
    let now = r.inference.decode_seconds_per_token_bound;
    let ctx = s.ctx as f64;
    let trained = s.resolve().arch.max_context as f64;
    let lead = if r.inference.fits {
        "Every new token reads all the weights and the whole KV cache, so a longer conversation is slower"
    } else {
        "It does not fit on these GPUs, so it would not run at all; if it did, every new token would read all the weights and the whole KV cache, so a longer conversation would be slower"
    };
    if ctx >= trained {
        // Already at (or past) the trained length: the current context is the long one.
        return format!(
            "{lead}: at least {} per token at {} tokens ({:.1}× the {} of a short prompt).",
            format_seconds(now),
            format_int(ctx),
            now / short.max(1e-30),
            format_seconds(short)
        );
    }
    let long = speed_at(s, r, trained);
    format!(
        "{lead}: at least {} per token at {} {}, {} at {} tokens ({:.1}× the {} of a short prompt).",
        format_seconds(now),
        format_int(ctx),
        crate::estimate::units::tokens_word(ctx),
        format_seconds(long),
        format_int(trained),
        long / short.max(1e-30),
        format_seconds(short)
    )
}

/// The speed chart as a table: every other power of two and the current context `ctx`
/// (`current_seconds` from [`speed_at`]).
pub fn speed_table(d: &SpeedData, ctx: f64, current_seconds: f64) -> Table {
    let mut samples: Vec<(f64, f64)> = d.samples.iter().copied().filter(|(c, _)| *c != ctx).collect();
    samples.push((ctx, current_seconds));
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    let rows = samples
        .iter()
        .filter(|(c, _)| *c == ctx || (c.log2().fract() == 0.0 && c.log2() as i64 % 2 == 0))
        .map(|&(c, t)| {
            vec![
                Cell::num(format_int(c), c),
                Cell::num(format_seconds(t), t),
                Cell::num(format!("{:.1}", 1.0 / t), 1.0 / t),
                Cell::text(if c == ctx { "current" } else { "" }),
            ]
        })
        .collect();
    Table {
        caption: "Decode time per token (memory-bandwidth lower bound)".to_string(),
        headers: [
            "Context (tokens)",
            "Time per token ≥",
            "Tokens/s per sequence ≤",
            "Note",
        ]
        .map(String::from)
        .to_vec(),
        csv_headers: [
            "context_tokens",
            "seconds_per_token_bound",
            "tokens_per_second_bound",
            "note",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

/// A labelled point on the Chinchilla chart.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledPoint {
    /// Label.
    pub label: String,
    /// Parameters.
    pub params: f64,
    /// Tokens.
    pub tokens: f64,
    /// Labelled even where only lines leave room (on a plate that hides them): the current
    /// model and the pair the chart exists to show, [`ALWAYS_LABELLED`].
    pub always_labelled: bool,
}

/// Chinchilla (70B, 1.4T tokens) and Gopher (280B, 300B tokens): the comparison of Hoffmann
/// et al. 2022 (Table 1; §4) that the article tells, so both labels always show.
pub const ALWAYS_LABELLED: [&str; 2] = ["Chinchilla", "Gopher"];

/// Data of the tokens-vs-parameters chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ChinchillaData {
    /// Parameter axis range.
    pub params_range: (f64, f64),
    /// Token axis range.
    pub tokens_range: (f64, f64),
    /// Selected fit: (label, points).
    pub frontier: (String, Vec<(f64, f64)>),
    /// The other fits, for contrast: (label, points).
    pub others: Vec<(String, Vec<(f64, f64)>)>,
    /// Iso-FLOP budgets drawn (FLOPs).
    pub iso_flops: Vec<f64>,
    /// Famous trained models.
    pub famous: Vec<LabelledPoint>,
    /// The scenario's model as trained.
    pub current: LabelledPoint,
    /// The scenario's model with its compute-optimal tokens.
    pub optimal: LabelledPoint,
}

/// Parameters the Chinchilla chart's x axis always shows, 10⁸ … 10¹³: every famous model it
/// plots (GPT-3 175B, Gopher 280B, Llama 3.1 405B) with room; it widens a decade past the
/// current model.
pub const CHINCHILLA_PARAMS_ALWAYS: (f64, f64) = (1e8, 1e13);
/// The farthest the x axis widens: a decade beyond the `params` key's range (10³ … 10¹⁵).
pub const CHINCHILLA_PARAMS_LIMITS: (f64, f64) = (1e3, 1e16);
/// Tokens the y axis always shows, 10⁹ … 10¹⁵ (the famous models' 0.3T … 15T with room).
pub const CHINCHILLA_TOKENS_ALWAYS: (f64, f64) = (1e9, 1e15);
/// The farthest the y axis widens: down to 10⁴ (20·N for the smallest `params`, 10³) and up to
/// a hundred times the `tokens` key's 10¹⁷.
pub const CHINCHILLA_TOKENS_LIMITS: (f64, f64) = (1e4, 1e19);

/// Everything the Chinchilla and iso-FLOP charts read — their data, summaries and tables —
/// taken from the scenario and its report. It is the charts' memo key: they are given only
/// this, so they cannot read a field the memo does not watch.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingDataInput {
    /// The model's name.
    pub name: String,
    /// Its parameter count.
    pub params: f64,
    /// The chosen compute-optimal fit.
    pub fit: Fit,
    /// The estimator's training-data figures (tokens, optima, compute, loss).
    pub chinchilla: ChinchillaReport,
}

impl TrainingDataInput {
    /// The input of a scenario and its report.
    pub fn of(s: &Scenario, r: &Report) -> TrainingDataInput {
        TrainingDataInput {
            name: r.model.name.clone(),
            params: r.model.params,
            fit: s.fit,
            chinchilla: r.chinchilla.clone(),
        }
    }
}

/// Builds the Chinchilla chart's data.
pub fn chinchilla(i: &TrainingDataInput) -> ChinchillaData {
    let n = i.params;
    let d = i.chinchilla.training_tokens;
    let (p_always, p_limits) = (CHINCHILLA_PARAMS_ALWAYS, CHINCHILLA_PARAMS_LIMITS);
    let (t_always, t_limits) = (CHINCHILLA_TOKENS_ALWAYS, CHINCHILLA_TOKENS_LIMITS);
    let lo_n = (n / 10.0).clamp(p_limits.0, p_always.0);
    let hi_n = (n * 10.0).clamp(p_always.1, p_limits.1);
    let lo_d = (d / 10.0)
        .min(t_always.0)
        .min(i.chinchilla.optimal_tokens / 10.0)
        .max(t_limits.0);
    let hi_d = (d * 10.0)
        .max(t_always.1)
        .max(i.chinchilla.optimal_tokens * 10.0)
        .min(t_limits.1);
    let params_range = (10f64.powf(lo_n.log10().floor()), 10f64.powf(hi_n.log10().ceil()));
    let tokens_range = (10f64.powf(lo_d.log10().floor()), 10f64.powf(hi_d.log10().ceil()));
    let ns: Vec<f64> = (0..=48)
        .map(|i| (params_range.0.ln() + (params_range.1 / params_range.0).ln() * f64::from(i) / 48.0).exp())
        .collect();
    let curve = |f: Fit| ns.iter().map(|&x| (x, f.optimal_tokens(x))).collect::<Vec<_>>();
    let frontier = (i.fit.label().to_string(), curve(i.fit));
    let others = Fit::ALL
        .iter()
        .filter(|f| **f != i.fit)
        .map(|f| (f.label().to_string(), curve(*f)))
        .collect();
    let lo_c = chinchilla::training_flops(params_range.0, tokens_range.0)
        .log10()
        .ceil() as i32;
    let hi_c = chinchilla::training_flops(params_range.1, tokens_range.1)
        .log10()
        .floor() as i32;
    let iso_flops = (lo_c..=hi_c).filter(|e| e % 2 == 0).map(|e| 10f64.powi(e)).collect();
    let famous = presets::trained_models()
        .iter()
        .map(|t| LabelledPoint {
            label: t.name.clone(),
            params: t.params,
            tokens: t.tokens,
            always_labelled: ALWAYS_LABELLED.contains(&t.name.as_str()),
        })
        .collect();
    ChinchillaData {
        params_range,
        tokens_range,
        frontier,
        others,
        iso_flops,
        famous,
        current: LabelledPoint {
            label: i.name.clone(),
            params: n,
            tokens: d,
            always_labelled: true,
        },
        optimal: LabelledPoint {
            label: "compute-optimal".to_string(),
            params: n,
            tokens: i.chinchilla.optimal_tokens,
            always_labelled: false,
        },
    }
}

/// Training tokens ÷ compute-optimal tokens from which the Chinchilla sentence calls a model
/// "over-trained" (and below [`UNDERTRAINED_FACTOR`], "under-trained"): ±20 % around the
/// optimum, wider than the fits' own disagreement at Chinchilla's budget (Epoch's refit asks
/// 18.4 tokens per parameter where the rule of thumb says 20, −8 %), so "about
/// compute-optimal" is not claimed more precisely than the fits allow.
pub const OVERTRAINED_FACTOR: f64 = 1.2;
/// See [`OVERTRAINED_FACTOR`].
pub const UNDERTRAINED_FACTOR: f64 = 0.8;

/// The lesson of the Chinchilla chart.
pub fn chinchilla_summary(i: &TrainingDataInput) -> String {
    let c = &i.chinchilla;
    let by = |id: &str| {
        c.optimal_tokens_by_fit
            .iter()
            .find(|f| f.fit == id)
            .map_or(0.0, |f| f.tokens)
    };
    let verdict = if c.overtraining_factor >= OVERTRAINED_FACTOR {
        format!(
            "{:.1}× more than compute-optimal — deliberately \"over-trained\" so a smaller model serves well",
            c.overtraining_factor
        )
    } else if c.overtraining_factor <= UNDERTRAINED_FACTOR {
        format!(
            "only {:.0} % of compute-optimal — under-trained for its size",
            c.overtraining_factor * 100.0
        )
    } else {
        "about compute-optimal".to_string()
    };
    format!(
        "{} trained on {} tokens ({:.0} per parameter): {verdict} ({} by the {} fit). The fits disagree: Hoffmann's published constants ask {} tokens, Epoch's refit {}. Chinchilla (70B on 1.4T) beat Gopher (280B on 300B) with about the same compute.",
        i.name,
        format_count(c.training_tokens),
        c.tokens_per_param,
        format_count(c.optimal_tokens),
        c.fit_label,
        format_count(by("hoffmann")),
        format_count(by("epoch")),
    )
}

/// The Chinchilla chart as a table.
pub fn chinchilla_table(d: &ChinchillaData, i: &TrainingDataInput) -> Table {
    let c = &i.chinchilla;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let point = |label: &str, n: f64, t: f64| {
        vec![
            Cell::text(label),
            Cell::num(format_count(n), n),
            Cell::num(format_count(t), t),
            Cell::num(format!("{:.0}", t / n), t / n),
            Cell::num(
                format!("{:.2e}", chinchilla::training_flops(n, t)),
                chinchilla::training_flops(n, t),
            ),
        ]
    };
    rows.push(point(
        &format!("{} (as trained)", d.current.label),
        d.current.params,
        d.current.tokens,
    ));
    for f in &c.optimal_tokens_by_fit {
        let label = Fit::from_id(f.fit).map_or(f.fit, Fit::label);
        rows.push(point(
            &format!("optimal for this size: {label}"),
            d.current.params,
            f.tokens,
        ));
    }
    rows.push(point(
        "compute-optimal at the same compute",
        c.compute_optimal_params,
        c.compute_optimal_tokens,
    ));
    for p in &d.famous {
        rows.push(point(&p.label, p.params, p.tokens));
    }
    Table {
        caption: "Training tokens and parameters".to_string(),
        headers: [
            "Model / point",
            "Parameters",
            "Tokens",
            "Tokens per parameter",
            "Compute 6ND (FLOPs)",
        ]
        .map(String::from)
        .to_vec(),
        csv_headers: ["point", "params", "tokens", "tokens_per_param", "flops"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// Data of the iso-FLOP loss chart.
#[derive(Clone, Debug, PartialEq)]
pub struct IsoflopData {
    /// The compute budget (FLOPs).
    pub flops: f64,
    /// The fit drawn solid: (label, (N, loss) points).
    pub curve: (String, Vec<(f64, f64)>),
    /// The other Approach 3 fit, for contrast.
    pub other: (String, Vec<(f64, f64)>),
    /// The minimum of the solid curve: (N, loss).
    pub optimum: (f64, f64),
    /// The scenario's model on the solid curve: (N, loss).
    pub current: (f64, f64),
    /// X range.
    pub params_range: (f64, f64),
}

/// Builds the iso-FLOP chart's data.
pub fn isoflop(i: &TrainingDataInput) -> IsoflopData {
    let c = i.chinchilla.training_flops;
    let (fit, other) = match i.fit {
        Fit::Hoffmann => (Fit::Hoffmann, Fit::Epoch),
        _ => (Fit::Epoch, Fit::Hoffmann),
    };
    let p = fit.loss_params().unwrap_or(EPOCH);
    let q = other.loss_params().unwrap_or(HOFFMANN);
    let (n_opt, _) = fit.compute_optimal(c);
    let n = i.params;
    let lo = (n_opt.min(n) / 30.0).max(1.0);
    let hi = n_opt.max(n) * 30.0;
    let params_range = (10f64.powf(lo.log10().floor()), 10f64.powf(hi.log10().ceil()));
    let ns: Vec<f64> = (0..=80)
        .map(|i| (params_range.0.ln() + (params_range.1 / params_range.0).ln() * f64::from(i) / 80.0).exp())
        .collect();
    let curve_of = |lp: &chinchilla::LossParams| {
        ns.iter()
            .map(|&x| (x, chinchilla::loss(lp, x, chinchilla::tokens_for_compute(c, x))))
            .collect::<Vec<_>>()
    };
    IsoflopData {
        flops: c,
        curve: (fit.label().to_string(), curve_of(&p)),
        other: (other.label().to_string(), curve_of(&q)),
        optimum: (
            n_opt,
            chinchilla::loss(&p, n_opt, chinchilla::tokens_for_compute(c, n_opt)),
        ),
        current: (n, chinchilla::loss(&p, n, chinchilla::tokens_for_compute(c, n))),
        params_range,
    }
}

/// The lesson of the iso-FLOP chart.
pub fn isoflop_summary(i: &TrainingDataInput, d: &IsoflopData) -> String {
    format!(
        "With the {:.2e} FLOPs it took to train {} ({} on {} tokens), the lowest loss ({:.3}, {}) comes from {} parameters on {} tokens; {} itself reaches {:.3}. Bigger is not automatically better.",
        d.flops,
        i.name,
        format_count(i.params),
        format_count(i.chinchilla.training_tokens),
        d.optimum.1,
        d.curve.0,
        format_count(d.optimum.0),
        format_count(chinchilla::tokens_for_compute(d.flops, d.optimum.0)),
        i.name,
        d.current.1,
    )
}

/// The iso-FLOP chart as a table.
pub fn isoflop_table(d: &IsoflopData) -> Table {
    let rows = d
        .curve
        .1
        .iter()
        .zip(&d.other.1)
        .step_by(8)
        .map(|(&(n, l), &(_, l2))| {
            let tokens = chinchilla::tokens_for_compute(d.flops, n);
            vec![
                Cell::num(format_count(n), n),
                Cell::num(format_count(tokens), tokens),
                Cell::num(format!("{l:.4}"), l),
                Cell::num(format!("{l2:.4}"), l2),
            ]
        })
        .collect();
    Table {
        caption: format!("Loss at a fixed compute of {:.2e} FLOPs", d.flops),
        headers: vec![
            "Parameters".into(),
            "Tokens".into(),
            format!("Loss ({})", d.curve.0),
            format!("Loss ({})", d.other.0),
        ],
        csv_headers: ["params", "tokens", "loss_selected", "loss_other"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// One line of "show working": a figure, its formula with the current values, its source.
#[derive(Clone, Debug, PartialEq)]
pub struct Working {
    /// What is computed.
    pub figure: String,
    /// Formula with values substituted, and the result.
    pub formula: String,
    /// Where the formula comes from.
    pub source: String,
}

/// The "show working" lines of the engine's own terms (none without an engine).
fn engine_working(s: &Scenario, r: &Report, units: ByteUnits) -> Vec<Working> {
    use crate::estimate::engine::{CUDA_CONTEXT_BYTES, Engine, vllm_batch_defaults};
    let i = &r.inference;
    let t = &i.engine_terms;
    let b = |x: f64| format!("{} ({} B)", format_bytes(x, units), format_int(x));
    let gpus = r.gpu.as_ref().map_or(1.0, |g| f64::from(g.count));
    let gpu = s.gpu();
    let mut out = Vec::new();
    if s.engine == Engine::None {
        return out;
    }
    let line = |figure: &str, formula: String, source: &str| Working {
        figure: figure.into(),
        formula,
        source: source.into(),
    };
    out.push(line(
        "Engine runtime",
        format!(
            "CUDA context {} × {} GPU(s){} = {}",
            format_bytes(CUDA_CONTEXT_BYTES, units),
            format_int(gpus),
            if t.sampler_reserve_bytes > 0.0 {
                format!(" + sampler logits {}", format_bytes(t.sampler_reserve_bytes, units))
            } else {
                String::new()
            },
            b(i.engine_overhead_bytes)
        ),
        "vLLM start-up logs, \"non_torch_memory takes 0.20–0.23 GiB\" (vllm-project/vllm#14447); vLLM's sampler warm-up keeps fp32 logits for max_num_seqs sequences (vllm/v1/worker/gpu_worker.py)",
    ));
    if s.engine == Engine::Vllm {
        let (tokens, seqs) = vllm_batch_defaults(gpu);
        out.push(line(
            "vLLM start-up reservation",
            format!(
                "max_num_batched_tokens {} → one step's working memory {} reserved whatever the request; max_num_seqs {} × vocab {} × 4 B of logits",
                format_int(tokens),
                format_bytes(i.activation_bytes, units),
                format_int(seqs),
                format_int(s.resolve().arch.vocab as f64)
            ),
            "vllm/engine/arg_utils.py, EngineArgs.get_batch_defaults (vllm serve); vllm/v1/worker/gpu_worker.py, determine_available_memory",
        ));
    }
    if let Some(o) = &i.offload {
        out.push(line(
            "llama.cpp GPU / RAM split",
            format!(
                "ngl {} of {} slots (the last blocks and the output layer; the input embedding stays in RAM): VRAM {}, RAM {}; decode ≥ GPU part / GPU bandwidth + CPU part / {:.1} GB/s = {}",
                o.gpu_layers,
                o.slots,
                b(o.vram_bytes),
                b(o.ram_bytes),
                o.ram_bandwidth_bytes_per_s / 1e9,
                format_seconds(o.decode_seconds_per_token_bound)
            ),
            "llama.cpp src/llama-model.cpp, load_tensors (i_gpu_start = n_layer + 1 − n_gpu_layers); RAM bandwidth: dual-channel DDR5-5600 = 89.6 GB/s by default (ram_bw)",
        ));
    }
    out.push(line(
        "Memory the engine may use",
        format!(
            "{} GPU(s) × {} as the engine sees it × {} = {}",
            format_int(gpus),
            gpu.map_or("—".to_string(), |g| format_bytes(g.engine_memory_bytes(), units)),
            t.usable_fraction,
            b(i.usable_memory_bytes)
        ),
        gpu.and_then(|g| g.engine_source.as_deref())
            .unwrap_or("no nvidia-smi total quoted for this GPU: the catalog figure"),
    ));
    out
}

/// The working behind every figure on the page.
pub fn working(s: &Scenario, r: &Report, units: ByteUnits) -> Vec<Working> {
    let m = s.resolve();
    let a = &m.arch;
    let i = &r.inference;
    let t = &r.training.memory;
    let b = |x: f64| format!("{} ({} B)", format_bytes(x, units), format_int(x));
    let w = |figure: &str, formula: String, source: &str| Working {
        figure: figure.into(),
        formula,
        source: source.into(),
    };
    let mut out = Vec::new();
    out.push(w(
        "Parameters",
        format!(
            "Σ tensors of {} layers × {} wide, {} heads ({} KV) × {} head_dim, {} MLP {}, vocab {}{} = {}{}",
            a.layers,
            format_int(a.hidden as f64),
            a.heads,
            a.kv_heads,
            a.head_dim,
            if a.mlp == crate::estimate::arch::MlpKind::Gated {
                "gated"
            } else {
                "plain"
            },
            format_int(a.ffn as f64),
            format_int(a.vocab as f64),
            if a.tied_embeddings { ", tied embeddings" } else { "" },
            format_int(m.derived.total),
            if m.shape_assumed {
                " (shape assumed from the size)"
            } else {
                ""
            }
        ),
        "the model's config.json; tensor list as in Hugging Face modeling code",
    ));
    out.push(w(
        "Weights",
        format!(
            "{} params × {} bits/weight ({}) / 8 = {}",
            format_int(r.model.params),
            s.weights.bits_per_weight(),
            s.weights.scope_note(),
            b(i.weights_bytes)
        ),
        s.weights.source(),
    ));
    let layout = crate::estimate::engine::kv_layout(s.engine);
    let per_layer = kv::elements_per_token_per_layer(a, layout);
    let kv_formula = match a.mla {
        Some(ml) if layout == KvLayout::ExpandedMla => format!(
            "{} heads × ({} key + {} value, expanded from the latent by {}) × {} B",
            a.heads,
            ml.nope_dim + ml.rope_dim,
            ml.v_head_dim,
            s.engine.label(),
            s.kv.bytes()
        ),
        Some(ml) => format!(
            "({} latent + {} rope) × {} B",
            ml.kv_lora_rank,
            ml.rope_dim,
            s.kv.bytes()
        ),
        None => format!(
            "2 × {} KV heads × {} head_dim × {} B",
            a.kv_heads,
            a.head_dim,
            s.kv.bytes()
        ),
    };
    let (full, sliding) = a.layer_kinds();
    out.push(w(
        "KV cache",
        format!(
            "{kv_formula} = {} B per token per layer; × ({full} full layers × {} tokens + {sliding} sliding layers × {} tokens) × batch {} = {}",
            per_layer * s.kv.bytes(),
            format_int(s.ctx as f64),
            format_int((s.ctx as f64).min(if a.attention.window > 0 { a.attention.window as f64 } else { f64::INFINITY })),
            s.batch,
            b(i.kv_cache_bytes)
        ),
        "Austin et al. 2025, How To Scale Your Model, inference chapter; DeepSeek-V2 §2.1.2 for MLA",
    ));
    out.push(w(
        "Transient activations",
        format!(
            "one layer's intermediates for min(ctx, {}) new tokens × batch {}: prefill {}, decode {}{} → peak {}",
            {
                let chunk = i.engine_terms.prefill_chunk_tokens;
                if chunk.is_finite() {
                    format_int(chunk)
                } else {
                    "the whole prompt".to_string()
                }
            },
            s.batch,
            format_bytes(i.activations.prefill_bytes, units),
            format_bytes(i.activations.decode_bytes, units),
            if s.training.flash {
                String::new()
            } else {
                format!(
                    ", incl. attention scores {}",
                    format_bytes(i.activations.attention_scores_bytes, units)
                )
            },
            b(i.activation_bytes)
        ),
        "model of a PyTorch forward pass (src/estimate/activations.rs); Dao et al. 2022 for the s² scores",
    ));
    out.extend(engine_working(s, r, units));
    if s.mode == crate::estimate::Mode::Train {
        let per_entry =
            crate::estimate::engine::training_extras(s.engine, s.weights, s.training.lora_rank).loss_bytes_per_entry;
        out.push(w(
            "Training loss (logits)",
            format!(
                "{per_entry} B per vocabulary entry × {} tokens × batch {} × vocab {} = {} (in the stored activations)",
                format_int(s.ctx as f64),
                s.batch,
                format_int(m.arch.vocab as f64),
                b(r.training.memory.loss_bytes)
            ),
            if per_entry > 6.0 {
                "unfused cross-entropy as Hugging Face transformers computes it: transformers/loss/loss_utils.py (ForCausalLMLoss: logits.float(), cross_entropy)"
            } else {
                "fused / vocab-parallel cross-entropy: 16-bit logits + an fp32 copy (Korthikanti et al. 2022, §4.3)"
            },
        ));
    }
    if r.training.memory.gathered_bytes > 0.0 {
        out.push(w(
            "ZeRO-3 gathered parameters",
            format!(
                "2 blocks (computing + prefetched) and the embedding/head, gathered whole on top of the 1/{} shards{} = {} (in the weights{})",
                s.training.dp,
                if s.training.lora_rank == 0 { ", and one block's unsharded gradient" } else { "" },
                b(r.training.memory.gathered_bytes),
                if s.training.lora_rank == 0 { " and gradients" } else { "" }
            ),
            "PyTorch FSDP: one unit gathered ahead (BackwardPrefetch.BACKWARD_PRE), the root unit kept gathered; DeepSpeed bounds the same with stage3_max_live_parameters",
        ));
    }
    out.push(w(
        "KV cache = weights",
        match i.kv_equals_weights_at_context {
            Some(c) => format!(
                "weights / (KV bytes per token × batch) = {} tokens",
                format_int(c.ceil())
            ),
            None => "never: every layer slides, the cache stops at the window".to_string(),
        },
        "solved from the KV formula",
    ));
    out.push(w(
        "Decode time per token",
        format!(
            "≥ (weights read {} + KV cache {}) / bandwidth = {}",
            format_bytes(i.bytes_read_per_decode_step - i.kv_cache_bytes, units),
            format_bytes(i.kv_cache_bytes, units),
            format_seconds(i.decode_seconds_per_token_bound)
        ),
        "roofline: decode is memory-bound (Austin et al. 2025, inference chapter)",
    ));
    out.push(w(
        "Training memory per GPU",
        format!(
            "weights {} + gradients {} + optimizer {} + activations {} = {}",
            format_bytes(t.weights_bytes, units),
            format_bytes(t.gradient_bytes, units),
            format_bytes(t.optimizer_bytes, units),
            format_bytes(t.activation_bytes, units),
            b(t.total_bytes)
        ),
        "Transformer Math 101 (bytes/param); Rajbhandari et al. 2020 (ZeRO); Korthikanti et al. 2022 (activations)",
    ));
    let c = &r.chinchilla;
    out.push(w(
        "Compute-optimal tokens",
        format!(
            "{} for N = {} → {} tokens",
            c.fit_label,
            format_count(r.model.params),
            format_count(c.optimal_tokens)
        ),
        Fit::from_id(c.fit).map_or("", Fit::source),
    ));
    out.push(w(
        "Training compute and loss",
        format!(
            "6 × {} × {} = {:.3e} FLOPs; L = E + A/N^α + B/D^β = {:.4} ({} constants)",
            format_count(r.model.params),
            format_count(c.training_tokens),
            c.training_flops,
            c.loss,
            c.loss_fit
        ),
        "Hoffmann et al. 2022 eq. 2; Besiroglu et al. 2024",
    ));
    out
}
