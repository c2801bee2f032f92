//! Chart 2: memory breakdown at the current settings — inference and training side by side,
//! stacked by kind (weights, KV cache, gradients, optimizer states, activations), each bar with
//! the GPU memory it has to fit in.

pub mod data;
pub mod draw;

pub use draw::draw;

pub use data::{Bar, BreakdownData, Segment, data};
pub use draw::colour;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::advice::training_advice_sentence;
use super::table::{Cell, Table};
use super::{Chart, Geometry, Sources, Style};
use crate::estimate::Report;
use crate::estimate::scenario::Scenario;
use crate::estimate::units::{ByteUnits, format_bytes, format_int};
use crate::share::ChartId;

/// The breakdown chart.
pub struct Breakdown;

impl Chart for Breakdown {
    const ID: ChartId = ChartId::Breakdown;
    /// The bars are the current report's (and the compared one's): everything.
    type Input = Sources;
    type Now = ();
    type Data = BreakdownData;
    fn input(src: &Sources) -> Sources {
        src.clone()
    }
    fn now(_: &Sources) {}
    fn data(i: &Sources) -> BreakdownData {
        data(&i.now.report, i.compare.as_ref().map(|c| &*c.report), i.units)
    }
    fn draw<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        d: &BreakdownData,
        st: &Style,
    ) -> Result<Geometry, String> {
        draw::draw(area, d, st)
    }
    fn summary(i: &Sources, _: &(), _: &BreakdownData) -> String {
        summary(&i.now.scenario, &i.now.report, i.units)
    }
    fn table(_: &Sources, _: &(), d: &BreakdownData) -> Table {
        table(d)
    }
    /// The bar under the pointer: its segments, total and the memory it must fit in.
    fn readout(i: &Sources, _: &(), d: &BreakdownData, x: f64) -> String {
        let b = |v: f64| format_bytes(v, i.units);
        let n = d.bars.len();
        let at = (x.floor().max(0.0) as usize).min(n.saturating_sub(1));
        d.bars.get(at).map_or(String::new(), |bar| {
            let parts: Vec<String> = bar
                .segments
                .iter()
                .filter(|(_, v)| *v > 0.0)
                .map(|(k, v)| format!("{} {}", k.label(), b(*v)))
                .collect();
            format!(
                "{}: {} = {} (GPU memory {})",
                bar.label,
                parts.join(" + "),
                b(bar.total()),
                b(bar.capacity)
            )
        })
    }
}

/// The lesson of the breakdown chart: serving in all beside training per GPU, each on a
/// stated basis, and the comparison worded for whichever is larger.
pub fn summary(s: &Scenario, r: &Report, units: ByteUnits) -> String {
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
    if let Some(a) = &r.training.advice {
        out.push_str(&format!(
            " Training does not fit one {}. {}",
            r.gpu
                .as_ref()
                .map_or("GPU".to_string(), |g| g.name.replace("NVIDIA ", "")),
            training_advice_sentence(a, s)
        ));
    }
    out
}

/// The breakdown chart as a table.
pub fn table(d: &BreakdownData) -> Table {
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
