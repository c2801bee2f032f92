//! The speed chart's input and data: seconds per decode step against context, a roofline
//! lower bound (each step reads the weights it uses and the whole KV cache).

use crate::chart::{context_axis_max, context_samples, without_context};
use crate::estimate::Report;
use crate::estimate::kv::{self, KvLayout};
use crate::estimate::scenario::{Scenario, decode_weight_bytes};

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

/// What the speed chart draws, taken from the scenario and its report: the scenario without its
/// context (the current context is a marker), the GPUs' aggregate bandwidth and their label.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedInput {
    /// The scenario, its context set to 0.
    pub scenario: Scenario,
    /// All GPUs' memory bandwidth together (bytes/s; 1 without a GPU).
    pub bandwidth_bytes_per_s: f64,
    /// "2 × H100 SXM at 3.35 TB/s each" (empty without a GPU).
    pub hardware: String,
    /// The pinned scenario (context 0), its model's name and its bandwidth, when comparing.
    pub compare: Option<(Scenario, String, f64)>,
}

/// All GPUs' bandwidth together in a report (1 B/s without a GPU, so times stay finite).
fn bandwidth(r: &Report) -> f64 {
    r.gpu
        .as_ref()
        .map_or(1.0, |g| g.bandwidth_bytes_per_s * f64::from(g.count))
}

impl SpeedInput {
    /// The input of a scenario, its report and the compared pair.
    pub fn of(s: &Scenario, r: &Report, compare: Option<(&Scenario, &Report)>) -> SpeedInput {
        SpeedInput {
            scenario: without_context(s),
            bandwidth_bytes_per_s: bandwidth(r),
            hardware: r.gpu.as_ref().map_or(String::new(), |g| {
                format!(
                    "{} × {} at {:.2} TB/s each",
                    g.count,
                    g.name.replace("NVIDIA ", ""),
                    g.bandwidth_bytes_per_s / 1e12
                )
            }),
            compare: compare.map(|(cs, cr)| (without_context(cs), cr.model.name.clone(), bandwidth(cr))),
        }
    }
}

fn speed_curve(s: &Scenario, bw: f64, xs: &[f64]) -> (Vec<(f64, f64)>, f64) {
    let m = s.resolve();
    let scale = m.params / m.derived.total.max(1.0);
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

/// Seconds per decode step at one context (hover read-outs, the marker, the table).
pub fn speed_at(s: &Scenario, r: &Report, ctx: f64) -> f64 {
    speed_curve(s, bandwidth(r), &[ctx]).0.first().map_or(0.0, |p| p.1)
}

/// Builds the speed chart's data.
pub fn data(i: &SpeedInput) -> SpeedData {
    let s = &i.scenario;
    let m = s.resolve();
    let x_max = context_axis_max();
    let model_max = m.arch.max_context as f64;
    let xs = context_samples(x_max, &[m.arch.attention.window as f64, model_max]);
    let (samples, floor) = speed_curve(s, i.bandwidth_bytes_per_s, &xs);
    let compare = i.compare.as_ref().map(|(cs, name, bw)| {
        let cxs = context_samples(x_max, &[]);
        (format!("A: {name}"), speed_curve(cs, *bw, &cxs).0)
    });
    SpeedData {
        samples,
        floor,
        x_max,
        model_max,
        compare,
        hardware: i.hardware.clone(),
    }
}
