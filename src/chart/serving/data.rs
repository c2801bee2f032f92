//! The serving chart's input and data: tokens per second against concurrent sequences, every
//! point from the estimator's decode step (`Scenario::serving_at`), with the KV cache's limit
//! (`Scenario::max_concurrency_at`) and the ridge where compute starts to set the pace.

use crate::estimate::Report;
use crate::estimate::scenario::Scenario;
use crate::estimate::speed::DecodeStep;

/// One concurrency's decode step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServingSample {
    /// Concurrent sequences.
    pub batch: f64,
    /// Expected tokens per second of each sequence.
    pub per_sequence: f64,
    /// Expected tokens per second of all of them.
    pub throughput: f64,
    /// At most this many tokens per second of all of them (the bound).
    pub throughput_bound: f64,
    /// Compute, not memory, sets the step's time.
    pub compute_bound: bool,
}

impl ServingSample {
    /// The sample of one decode step.
    pub fn of(d: &DecodeStep) -> ServingSample {
        ServingSample {
            batch: d.batch,
            per_sequence: d.tokens_per_s(),
            throughput: d.throughput(),
            throughput_bound: d.batch / d.seconds_bound.max(1e-12),
            compute_bound: d.compute_bound,
        }
    }
}

/// Data of the serving chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ServingData {
    /// Context of each sequence.
    pub ctx: f64,
    /// One sample per concurrency, log-spaced over the axis.
    pub samples: Vec<ServingSample>,
    /// Sequences whose KV cache fits at once (`None`: not even the weights fit).
    pub capacity: Option<f64>,
    /// Concurrency from which compute sets the pace (`None`: memory throughout).
    pub ridge: Option<f64>,
    /// Right end of the x axis.
    pub x_max: f64,
    /// The pinned scenario's throughput curve.
    pub compare: Option<(String, Vec<(f64, f64)>)>,
}

/// What the serving chart draws: the scenario with one sequence (the current concurrency is a
/// marker), and the pinned one's, with its model's name, when comparing.
#[derive(Clone, Debug, PartialEq)]
pub struct ServingInput {
    /// The scenario, its batch set to 1.
    pub scenario: Scenario,
    /// The pinned scenario (batch 1) and its model's name, when comparing.
    pub compare: Option<(Scenario, String)>,
}

fn one_sequence(s: &Scenario) -> Scenario {
    Scenario { batch: 1, ..s.clone() }
}

impl ServingInput {
    /// The input of a scenario and the compared pair.
    pub fn of(s: &Scenario, compare: Option<(&Scenario, &Report)>) -> ServingInput {
        ServingInput {
            scenario: one_sequence(s),
            compare: compare.map(|(cs, cr)| (one_sequence(cs), cr.model.name.clone())),
        }
    }
}

/// The x axis's end: the batch key's own range (a link may ask for up to 10⁴ sequences).
pub fn axis_max() -> f64 {
    crate::share::keys::BATCH.slider_range().1
}

/// Concurrencies sampled: 1, 2, 4 … and 24 log-spaced points between, up to `max`.
pub fn batches(max: f64, extra: &[f64]) -> Vec<f64> {
    let n = 48;
    let mut xs: Vec<f64> = (0..=n)
        .map(|i| (max.ln() * f64::from(i) / f64::from(n)).exp().round().max(1.0))
        .chain(
            extra
                .iter()
                .copied()
                .filter(|x| x.is_finite() && *x >= 1.0 && *x <= max),
        )
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs
}

/// The serving curve of `s` at its context, for concurrencies `xs`.
pub fn samples(s: &Scenario, xs: &[f64]) -> Vec<ServingSample> {
    let m = s.resolve();
    s.serving_at(&m, s.ctx as f64, xs)
        .iter()
        .map(ServingSample::of)
        .collect()
}

/// One concurrency's sample of `s` (read-outs and the marker).
pub fn sample(s: &Scenario, batch: f64) -> ServingSample {
    let m = s.resolve();
    let d = s.decode_at(&m, s.ctx as f64, batch);
    ServingSample::of(&d)
}

/// Builds the serving chart's data.
pub fn data(i: &ServingInput) -> ServingData {
    let s = &i.scenario;
    let m = s.resolve();
    let ctx = s.ctx as f64;
    let x_max = axis_max();
    let capacity = s.max_concurrency_at(&m, ctx);
    let ridge = s.compute_bound_from(&m, ctx, x_max);
    let extra: Vec<f64> = [capacity.map(f64::floor), ridge].into_iter().flatten().collect();
    let samples = samples(s, &batches(x_max, &extra));
    let compare = i.compare.as_ref().map(|(cs, name)| {
        (
            format!("A: {name}"),
            self::samples(cs, &batches(x_max, &[]))
                .iter()
                .map(|p| (p.batch, p.throughput))
                .collect(),
        )
    });
    ServingData {
        ctx,
        samples,
        capacity,
        ridge,
        x_max,
        compare,
    }
}
