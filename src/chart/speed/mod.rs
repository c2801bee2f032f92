//! Chart 3: decode time per token vs context — "a long conversation slows down": the time each
//! new token takes, expected and at best (memory bandwidth), from the estimator's one definition
//! of a decode step (`Scenario::decode_at`). The current context is a marker on the curve.

pub mod data;
pub mod draw;

pub use draw::draw;

pub use data::{SpeedData, SpeedInput, SpeedSample, data, sample};

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::table::{Cell, Table};
use super::{Chart, Evaluated, Geometry, Marker, Sources, Style};
use crate::estimate::Report;
use crate::estimate::scenario::Scenario;
use crate::estimate::units::{format_context, format_int, format_rate, format_seconds, tokens_word};
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
        SpeedInput::of(&src.now.scenario, src.compare_refs())
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
        table(d, &current(&e.report))
    }
    fn readout(_: &SpeedInput, e: &Evaluated, _: &SpeedData, x: f64) -> String {
        let ctx = x.round().max(1.0);
        readout(&sample(&e.scenario, ctx))
    }
    fn marker(_: &SpeedInput, e: &Evaluated, _: &SpeedData) -> Option<Marker> {
        let p = current(&e.report);
        Some(Marker {
            x: p.ctx,
            y: Some(p.seconds),
            label: format!(
                "{} {}: {:.2} ms",
                format_context(p.ctx),
                tokens_word(p.ctx),
                p.seconds * 1e3
            ),
        })
    }
}

/// The scenario's own decode step, as the report has it.
pub fn current(r: &Report) -> SpeedSample {
    SpeedSample {
        ctx: r.inference.decode.context_tokens,
        seconds: r.inference.decode_seconds_per_token,
        bound: r.inference.decode_seconds_per_token_bound,
    }
}

/// What the chart says at one context.
pub fn readout(p: &SpeedSample) -> String {
    format!(
        "At {} {}: about {} per token ({} per sequence); at best {}",
        format_int(p.ctx),
        tokens_word(p.ctx),
        format_seconds(p.seconds),
        format_rate(1.0 / p.seconds),
        format_seconds(p.bound)
    )
}

/// The lesson of the speed chart.
pub fn summary(s: &Scenario, r: &Report) -> String {
    let now = current(r);
    let short = sample(s, 1.0);
    let trained = r.model.arch.max_context as f64;
    let lead = if r.inference.fits {
        "Every new token reads the weights and the whole KV cache, so a longer conversation is slower"
    } else {
        "It does not fit on these GPUs, so it would not run at all; if it did, every new token would read the weights and the whole KV cache, so a longer conversation would be slower"
    };
    let at = |p: &SpeedSample| {
        format!(
            "about {} per token ({}) at {} {}",
            format_seconds(p.seconds),
            format_rate(1.0 / p.seconds),
            format_int(p.ctx),
            tokens_word(p.ctx)
        )
    };
    let long = if now.ctx >= trained { now } else { sample(s, trained) };
    let mut out = format!("{lead}: {}", at(&now));
    if long.ctx > now.ctx {
        out.push_str(&format!(", {}", at(&long)));
    }
    out.push_str(&format!(
        " ({:.1}× the {} of a short prompt). Memory bandwidth alone would allow {} now.",
        long.seconds / short.seconds.max(1e-30),
        format_seconds(short.seconds),
        format_seconds(now.bound),
    ));
    out
}

/// The speed chart as a table: every other power of two and the current context `current`.
pub fn table(d: &SpeedData, current: &SpeedSample) -> Table {
    let mut samples: Vec<SpeedSample> = d.samples.iter().copied().filter(|p| p.ctx != current.ctx).collect();
    samples.push(*current);
    samples.sort_by(|a, b| a.ctx.total_cmp(&b.ctx));
    let rows = samples
        .iter()
        .filter(|p| p.ctx == current.ctx || (p.ctx.log2().fract() == 0.0 && p.ctx.log2() as i64 % 2 == 0))
        .map(|p| {
            vec![
                Cell::num(format_int(p.ctx), p.ctx),
                Cell::num(format_seconds(p.seconds), p.seconds),
                Cell::num(format!("{:.1}", 1.0 / p.seconds), 1.0 / p.seconds),
                Cell::num(format_seconds(p.bound), p.bound),
                Cell::text(if p.ctx == current.ctx { "current" } else { "" }),
            ]
        })
        .collect();
    Table {
        caption: "Decode time per token: expected, and the memory-bandwidth bound".to_string(),
        headers: [
            "Context (tokens)",
            "Time per token",
            "Tokens/s per sequence",
            "At best",
            "Note",
        ]
        .map(String::from)
        .to_vec(),
        csv_headers: [
            "context_tokens",
            "seconds_per_token",
            "tokens_per_second",
            "seconds_per_token_bound",
            "note",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}
