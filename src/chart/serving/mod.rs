//! Chart 4: serving many sequences at once — tokens per second of all sequences and of each,
//! against how many are decoded together (log axes), at the current context. While memory sets
//! the pace, a step reads the weights once for every sequence, so throughput grows almost
//! linearly; once compute does (shaded), it levels off and each sequence slows. The KV cache
//! decides how many fit at all (the dashed line); beyond it an engine queues the rest. Every
//! point is the estimator's decode step (`Scenario::serving_at`); the current batch is a marker.

pub mod data;
pub mod draw;

pub use draw::draw;

pub use data::{ServingData, ServingInput, ServingSample, data, sample};

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::table::{Cell, Table};
use super::{Chart, Evaluated, Geometry, Marker, Sources, Style};
use crate::estimate::Report;
use crate::estimate::units::{format_context, format_count, format_int, format_rate};
use crate::share::ChartId;

/// The serving chart.
pub struct Serving;

impl Chart for Serving {
    const ID: ChartId = ChartId::Serving;
    type Input = ServingInput;
    /// The current scenario (its batch is the marker).
    type Now = Evaluated;
    type Data = ServingData;
    fn input(src: &Sources) -> ServingInput {
        ServingInput::of(&src.now.scenario, src.compare_refs())
    }
    fn now(src: &Sources) -> Evaluated {
        src.now.clone()
    }
    fn data(i: &ServingInput) -> ServingData {
        data(i)
    }
    fn draw<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        d: &ServingData,
        st: &Style,
    ) -> Result<Geometry, String> {
        draw::draw(area, d, st)
    }
    fn summary(_: &ServingInput, e: &Evaluated, d: &ServingData) -> String {
        summary(&e.report, d)
    }
    fn table(_: &ServingInput, e: &Evaluated, d: &ServingData) -> Table {
        table(d, &current(&e.report))
    }
    fn readout(_: &ServingInput, e: &Evaluated, d: &ServingData, x: f64) -> String {
        readout(&sample(&e.scenario, x.round().max(1.0)), d.capacity)
    }
    fn marker(_: &ServingInput, e: &Evaluated, _: &ServingData) -> Option<Marker> {
        // A vertical line: a dot's label beside the two curves (one at the dot) would be crossed.
        let p = current(&e.report);
        Some(Marker {
            x: p.batch,
            y: None,
            label: format!("{} at once: {} in all", format_int(p.batch), format_rate(p.throughput)),
        })
    }
}

/// The scenario's own concurrency, as the report has it.
pub fn current(r: &Report) -> ServingSample {
    ServingSample::of(&r.inference.decode)
}

/// "; only 29 fit in memory: the rest wait" when `batch` is beyond the KV cache's room (an
/// engine queues them; vLLM pre-empts running ones when the cache fills), else nothing.
fn queued(batch: f64, capacity: Option<f64>) -> String {
    match capacity {
        Some(c) if c >= 1.0 && batch > c.floor() => {
            format!("; only {} fit in memory: the rest wait", format_count(c.floor()))
        }
        Some(_) | None if capacity.is_none_or(|c| c < 1.0) => "; not even one fits in memory".to_string(),
        _ => String::new(),
    }
}

/// What the chart says at one concurrency.
pub fn readout(p: &ServingSample, capacity: Option<f64>) -> String {
    format!(
        "{} at once: about {} each, {} in all ({}){}",
        format_int(p.batch),
        format_rate(p.per_sequence),
        format_rate(p.throughput),
        if p.compute_bound {
            "compute-bound"
        } else {
            "memory-bound"
        },
        queued(p.batch, capacity)
    )
}

/// The lesson of the serving chart.
pub fn summary(r: &Report, d: &ServingData) -> String {
    let one = d.samples.first().copied();
    let now = current(r);
    let ctx = format_context(d.ctx);
    let mut out = match one {
        Some(one) => format!(
            "At {ctx} tokens each, one sequence decodes at about {}.",
            format_rate(one.per_sequence)
        ),
        None => String::new(),
    };
    if let Some(c) = d.capacity.filter(|c| *c >= 1.0) {
        let full = d.samples.iter().rfind(|s| s.batch <= c.floor()).copied();
        if let Some(full) = full {
            out.push_str(&format!(
                " {} concurrent {ctx} conversations fit in memory; together they make about {} ({} each).",
                format_count(c.floor()),
                format_rate(full.throughput),
                format_rate(full.per_sequence)
            ));
        }
    } else {
        out.push_str(&format!(" Not one {ctx} conversation fits in memory here."));
    }
    match d.ridge {
        Some(x) if x <= 1.0 => out.push_str(" Compute, not memory, sets the pace from the first sequence."),
        Some(x) => out.push_str(&format!(
            " From about {} at once, compute rather than memory sets the pace, and throughput levels off.",
            format_count(x)
        )),
        None => out.push_str(" Memory, not compute, sets the pace at every concurrency shown."),
    }
    if now.batch > 1.0 {
        out.push_str(&format!(
            " Now: {} at once, {} in all{}.",
            format_int(now.batch),
            format_rate(now.throughput),
            queued(now.batch, d.capacity)
        ));
        if d.capacity.is_some_and(|c| c >= 1.0 && now.batch > c.floor()) {
            out.push_str(
                " An engine queues the requests that do not fit; vLLM pre-empts running ones when the cache fills.",
            );
        }
    }
    out
}

/// The serving chart as a table: powers of two, the current concurrency and the KV cache's room.
pub fn table(d: &ServingData, current: &ServingSample) -> Table {
    let room = d.capacity.map(f64::floor);
    let mut samples: Vec<ServingSample> = d.samples.iter().copied().filter(|p| p.batch != current.batch).collect();
    samples.push(*current);
    samples.sort_by(|a, b| a.batch.total_cmp(&b.batch));
    let rows = samples
        .iter()
        .filter(|p| p.batch == current.batch || Some(p.batch) == room || p.batch.log2().fract() == 0.0)
        .map(|p| {
            let mut note = Vec::new();
            if p.batch == current.batch {
                note.push("current");
            }
            if Some(p.batch) == room {
                note.push("the most that fit");
            }
            if room.is_some_and(|r| p.batch > r) || room.is_none() {
                note.push("queued: beyond memory");
            }
            vec![
                Cell::num(format_int(p.batch), p.batch),
                Cell::num(format!("{:.1}", p.per_sequence), p.per_sequence),
                Cell::num(format!("{:.0}", p.throughput), p.throughput),
                Cell::text(if p.compute_bound { "compute" } else { "memory" }),
                Cell::text(note.join(", ")),
            ]
        })
        .collect();
    Table {
        caption: format!(
            "Decode speed against concurrent sequences at {} tokens each",
            format_context(d.ctx)
        ),
        headers: [
            "Sequences at once",
            "Tokens/s each",
            "Tokens/s in all",
            "Bound by",
            "Note",
        ]
        .map(String::from)
        .to_vec(),
        csv_headers: [
            "concurrent_sequences",
            "tokens_per_second_each",
            "tokens_per_second_total",
            "bound_by",
            "note",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}
