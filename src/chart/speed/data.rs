//! The speed chart's input and data: the time of one decode step against context, expected and
//! at best, each point from the estimator's one definition (`Scenario::decode_at`).

use crate::chart::{context_axis_max, context_samples, without_context};
use crate::estimate::Report;
use crate::estimate::scenario::Scenario;

/// One context's decode step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpeedSample {
    /// Context length in tokens.
    pub ctx: f64,
    /// Expected seconds per step.
    pub seconds: f64,
    /// Lower bound on the seconds per step.
    pub bound: f64,
}

/// Data of the decode-speed chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedData {
    /// One sample per context.
    pub samples: Vec<SpeedSample>,
    /// Expected seconds per step with a one-token context: reading the weights (and what does
    /// not shrink with bandwidth).
    pub floor: f64,
    /// Right end of the x axis.
    pub x_max: f64,
    /// The model's trained context length: the y axis is scaled to the curves up to here.
    pub model_max: f64,
    /// The pinned scenario's expected curve.
    pub compare: Option<(String, Vec<(f64, f64)>)>,
}

/// What the speed chart draws: the scenario without its context (the current context is a
/// marker), and the pinned one's, with its model's name, when comparing.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedInput {
    /// The scenario, its context set to 0.
    pub scenario: Scenario,
    /// The pinned scenario (context 0) and its model's name, when comparing.
    pub compare: Option<(Scenario, String)>,
}

impl SpeedInput {
    /// The input of a scenario and the compared pair.
    pub fn of(s: &Scenario, compare: Option<(&Scenario, &Report)>) -> SpeedInput {
        SpeedInput {
            scenario: without_context(s),
            compare: compare.map(|(cs, cr)| (without_context(cs), cr.model.name.clone())),
        }
    }
}

/// The decode step of `s` at each context in `xs` (its batch).
pub fn samples(s: &Scenario, xs: &[f64]) -> Vec<SpeedSample> {
    let m = s.resolve();
    let batch = s.batch as f64;
    xs.iter()
        .map(|&ctx| {
            let d = s.decode_at(&m, ctx, batch);
            SpeedSample {
                ctx,
                seconds: d.seconds,
                bound: d.seconds_bound,
            }
        })
        .collect()
}

/// One context's decode step of `s` (hover read-outs).
pub fn sample(s: &Scenario, ctx: f64) -> SpeedSample {
    samples(s, &[ctx]).first().copied().unwrap_or(SpeedSample {
        ctx,
        seconds: 0.0,
        bound: 0.0,
    })
}

/// Builds the speed chart's data.
pub fn data(i: &SpeedInput) -> SpeedData {
    let s = &i.scenario;
    let arch = s.resolve().arch;
    let x_max = context_axis_max();
    let model_max = arch.max_context as f64;
    let xs = context_samples(x_max, &[arch.attention.window as f64, model_max]);
    let samples = samples(s, &xs);
    let floor = samples.first().map_or(0.0, |p| p.seconds);
    let compare = i.compare.as_ref().map(|(cs, name)| {
        let cxs = context_samples(x_max, &[]);
        (
            format!("A: {name}"),
            self::samples(cs, &cxs).iter().map(|p| (p.ctx, p.seconds)).collect(),
        )
    });
    SpeedData {
        samples,
        floor,
        x_max,
        model_max,
        compare,
    }
}
