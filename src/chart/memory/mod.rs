//! Chart 1: memory vs context length — weights flat, the KV cache growing, transient
//! activations on top; the GPUs' capacity, the context where the cache equals the weights, the
//! longest context that fits. The current context is a marker over the chart, so moving it
//! redraws nothing.

pub mod data;
pub mod draw;

pub use draw::draw;

pub use data::{MemoryData, MemoryInput, MemorySample, data, sample};
pub use draw::KV_LEGEND;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::advice::inference_advice_sentence;
use super::table::{Cell, Table};
use super::words::{MEMORY_LEDE, beyond_limit, crossover_tokens, offload_sentence, verdict, verdict_why};
use super::{Chart, Evaluated, Geometry, Marker, Sources, Style};
use crate::estimate::Report;
use crate::estimate::scenario::{Scenario, Verdict};
use crate::estimate::units::{ByteUnits, format_bytes, format_context, format_int, tokens_word};
use crate::share::ChartId;

/// The memory chart.
pub struct Memory;

impl Chart for Memory {
    const ID: ChartId = ChartId::Memory;
    const LEDE: Option<&'static str> = Some(MEMORY_LEDE);
    type Input = MemoryInput;
    /// The current scenario (its context is the marker) and the units.
    type Now = (Evaluated, ByteUnits);
    type Data = MemoryData;
    fn input(src: &Sources) -> MemoryInput {
        MemoryInput::of(&src.now.scenario, &src.now.report, src.compare_refs(), src.units)
    }
    fn now(src: &Sources) -> Self::Now {
        (src.now.clone(), src.units)
    }
    fn data(i: &MemoryInput) -> MemoryData {
        data(i)
    }
    fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, d: &MemoryData, st: &Style) -> Result<Geometry, String> {
        draw::draw(area, d, st)
    }
    fn summary(_: &MemoryInput, (e, u): &Self::Now, _: &MemoryData) -> String {
        summary(&e.scenario, &e.report, *u)
    }
    fn table(_: &MemoryInput, (e, _): &Self::Now, d: &MemoryData) -> Table {
        table(d, &sample(&e.scenario, e.scenario.ctx as f64))
    }
    fn readout(_: &MemoryInput, (e, u): &Self::Now, _: &MemoryData, x: f64) -> String {
        let b = |v: f64| format_bytes(v, *u);
        let ctx = x.round().max(1.0);
        let m = sample(&e.scenario, ctx);
        let s = &e.scenario;
        let v = s.verdict_at(&s.resolve(), ctx, s.batch as f64);
        format!(
            "At {} {}: weights {} + KV cache {} + activations {}{} = {}; {}",
            format_int(ctx),
            tokens_word(ctx),
            b(m.weights),
            b(m.kv),
            b(m.activations),
            if m.engine > 0.0 {
                format!(" + engine {}", b(m.engine))
            } else {
                String::new()
            },
            b(m.total()),
            verdict(v, s.gpus, s.unified_memory())
        )
    }
    fn marker(_: &MemoryInput, (e, _): &Self::Now, _: &MemoryData) -> Option<Marker> {
        let ctx = e.scenario.ctx as f64;
        Some(Marker {
            x: ctx,
            y: None,
            label: format!("{} {}", format_context(ctx), tokens_word(ctx)),
        })
    }
}

/// The lesson of the memory chart, with the current numbers.
pub fn summary(s: &Scenario, r: &Report, units: ByteUnits) -> String {
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
        let pct = if pct < 0.5 {
            "less than 1".to_string()
        } else {
            format!("{pct:.0}")
        };
        let cross = match crossover_tokens(r) {
            Some(c) => format!("it would equal them at {} tokens{}", format_int(c), beyond_limit(c, r)),
            None => "the sliding window stops it growing before it reaches them".to_string(),
        };
        format!(
            "At {ctx}{batch} {kv_is} is {} ({pct} % of the {} of weights); {cross}.",
            b(i.kv_cache_bytes),
            b(i.weights_bytes)
        )
    };
    if r.gpu.is_some() {
        let cap = b(i.usable_memory_bytes);
        let gpus = r.gpu.as_ref().map_or(1, |g| g.count);
        let verdict = verdict(i.verdict, gpus, r.gpu.as_ref().is_some_and(|g| g.unified_memory));
        match (i.verdict, i.max_context_on_gpu) {
            // Split between GPU and system RAM (llama.cpp): the offload sentence says where.
            (Verdict::LayersInRam { .. } | Verdict::ExpertsInRam { .. }, _) => out.push_str(&format!(" It {verdict}.")),
            (Verdict::OnGpu, Some(max)) => out.push_str(&format!(
                " It {verdict}: everything fits in {cap} up to {} tokens{}.",
                format_int(max),
                beyond_limit(max, r)
            )),
            (Verdict::OnGpu, None) if i.max_context_unbounded => out.push_str(&format!(
                " It {verdict} at any length: the sliding window stops its cache growing at {} tokens.",
                format_int(r.model.arch.attention.window as f64)
            )),
            (Verdict::OnGpu, None) => out.push_str(&format!(" It {verdict}.")),
            (Verdict::DoesNotFit, _) if i.refused.is_some() || i.offload.is_some() => {
                out.push_str(&format!(" It {verdict}: {}.", verdict_why(r, units)));
            }
            (Verdict::DoesNotFit, Some(max)) => out.push_str(&format!(
                " It {verdict}: {} needed, {cap} available (fits up to {} tokens).",
                b(i.total_bytes),
                format_int(max)
            )),
            (Verdict::DoesNotFit, None) => {
                out.push_str(&format!(" It {verdict}: even the weights do not fit in {cap}."))
            }
        }
        if let Some(a) = &r.inference.advice {
            out.push(' ');
            out.push_str(&inference_advice_sentence(a, r));
        }
        if let Some(o) = &i.offload {
            out.push(' ');
            out.push_str(&offload_sentence(o, &i.decode, units));
            if let Some(h) = i.cpu_moe_hint {
                out.push_str(&format!(
                    " With --n-cpu-moe {} instead (only the experts of {} layers in system RAM, every layer else on the GPU) it would decode at about {}.",
                    h.cpu_moe,
                    h.cpu_moe,
                    crate::estimate::units::format_rate(h.decode_tokens_per_s)
                ));
            }
        }
    }
    out
}

/// The memory chart as a table: the samples at every other power of two, the markers, and
/// the current context (`current`, computed exactly by [`sample`]).
pub fn table(d: &MemoryData, current: &MemorySample) -> Table {
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
