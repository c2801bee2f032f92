//! Chart 3: decode time per token vs context — "a long conversation slows down". A roofline
//! lower bound: each decode step reads the weights it uses and the whole KV cache. The current
//! context is a marker on the curve.

pub mod data;
pub mod draw;

pub use draw::draw;

pub use data::{SpeedData, SpeedInput, data, speed_at};

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::table::{Cell, Table};
use super::{Chart, Evaluated, Geometry, Marker, Sources, Style};
use crate::estimate::Report;
use crate::estimate::scenario::Scenario;
use crate::estimate::units::{format_context, format_int, format_seconds, tokens_word};
use crate::share::ChartId;

/// The speed chart.
pub struct Speed;

impl Chart for Speed {
    const ID: ChartId = ChartId::Speed;
    type Input = SpeedInput;
    /// The current scenario (its context is the marker).
    type Now = Evaluated;
    type Data = SpeedData;
    fn input(src: &Sources) -> SpeedInput {
        SpeedInput::of(&src.now.scenario, &src.now.report, src.compare_refs())
    }
    fn now(src: &Sources) -> Evaluated {
        src.now.clone()
    }
    fn data(i: &SpeedInput) -> SpeedData {
        data(i)
    }
    fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, d: &SpeedData, st: &Style) -> Result<Geometry, String> {
        draw::draw(area, d, st)
    }
    fn summary(_: &SpeedInput, e: &Evaluated, _: &SpeedData) -> String {
        summary(&e.scenario, &e.report)
    }
    fn table(_: &SpeedInput, e: &Evaluated, d: &SpeedData) -> Table {
        let ctx = e.scenario.ctx as f64;
        table(d, ctx, speed_at(&e.scenario, &e.report, ctx))
    }
    fn readout(_: &SpeedInput, e: &Evaluated, _: &SpeedData, x: f64) -> String {
        let ctx = x.round().max(1.0);
        let t = speed_at(&e.scenario, &e.report, ctx);
        format!(
            "At {} {}: ≥ {} per token (≤ {:.0} tokens/s per sequence)",
            format_int(ctx),
            tokens_word(ctx),
            format_seconds(t),
            1.0 / t
        )
    }
    fn marker(_: &SpeedInput, e: &Evaluated, _: &SpeedData) -> Option<Marker> {
        let ctx = e.scenario.ctx as f64;
        let t = speed_at(&e.scenario, &e.report, ctx);
        Some(Marker {
            x: ctx,
            y: Some(t),
            label: format!("{} {}: {:.2} ms", format_context(ctx), tokens_word(ctx), t * 1e3),
        })
    }
}

/// The lesson of the speed chart.
pub fn summary(s: &Scenario, r: &Report) -> String {
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
pub fn table(d: &SpeedData, ctx: f64, current_seconds: f64) -> Table {
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
