//! The Chinchilla chart's input and data (shared with the iso-FLOP chart's input): the fits'
//! frontiers, iso-FLOP lines, famous trained models and the current model.

use crate::estimate::Report;
use crate::estimate::chinchilla::{self, ChinchillaReport, Fit};
use crate::estimate::presets;
use crate::estimate::scenario::Scenario;

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
    /// The answers to the data questions asked (the compute budget's optimum, the cheapest
    /// model once serving counts), drawn in their own colour.
    pub asked: Vec<LabelledPoint>,
    /// Where the cheapest model of this loss moves as the tokens served grow from none to the
    /// asked demand ([`chinchilla::inference_aware_path`]); empty when no demand is asked.
    pub serving_path: Vec<(f64, f64)>,
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
    /// The estimator's training-data figures (tokens, optima, compute, loss), without the
    /// training time: no chart shows it, and it changes with the sequence length and the GPUs,
    /// which would redraw both training-data charts on every move of the context slider.
    pub chinchilla: ChinchillaReport,
}

impl TrainingDataInput {
    /// The input of a scenario and its report.
    pub fn of(s: &Scenario, r: &Report) -> TrainingDataInput {
        TrainingDataInput {
            name: r.model.name.clone(),
            params: r.model.params,
            fit: s.fit,
            chinchilla: ChinchillaReport {
                training_seconds: 0.0,
                mfu: 0.0,
                ..r.chinchilla.clone()
            },
        }
    }
}

/// Builds the Chinchilla chart's data.
pub fn data(i: &TrainingDataInput) -> ChinchillaData {
    let n = i.params;
    let d = i.chinchilla.training_tokens;
    let extra = extra_points(&i.chinchilla);
    let (p_always, p_limits) = (CHINCHILLA_PARAMS_ALWAYS, CHINCHILLA_PARAMS_LIMITS);
    let (t_always, t_limits) = (CHINCHILLA_TOKENS_ALWAYS, CHINCHILLA_TOKENS_LIMITS);
    // The axes hold the model, and the budget's and the inference-aware optima where asked.
    let n_lo = extra.iter().map(|p| p.params).fold(n, f64::min);
    let n_hi = extra.iter().map(|p| p.params).fold(n, f64::max);
    let lo_n = (n_lo / 10.0).clamp(p_limits.0, p_always.0);
    let hi_n = (n_hi * 10.0).clamp(p_always.1, p_limits.1);
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
            label: t.name.to_string(),
            params: t.params,
            tokens: t.tokens,
            always_labelled: ALWAYS_LABELLED.contains(&&*t.name),
        })
        .collect();
    let serving_path = i
        .chinchilla
        .inference_aware
        .filter(|a| a.inference_tokens > 0.0)
        .map_or_else(Vec::new, |a| {
            chinchilla::inference_aware_path(&i.fit.loss_fit().1, a.loss, a.inference_tokens)
        });
    ChinchillaData {
        params_range,
        tokens_range,
        frontier,
        others,
        iso_flops,
        famous,
        asked: extra,
        serving_path,
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

/// FLOPs as a reader writes them: "1e23", "3.8e25".
fn short_flops(c: f64) -> String {
    format!("{c:.1e}").replace(".0e", "e")
}

/// The points a data question adds: the compute budget's optimum under the chosen fit, and the
/// cheapest model of this model's loss once the tokens it serves count (Sardana et al. 2024).
pub fn extra_points(c: &ChinchillaReport) -> Vec<LabelledPoint> {
    let mut out = Vec::new();
    if let Some(budget) = c.compute_budget {
        out.push(LabelledPoint {
            label: format!("Budget {} optimum", short_flops(budget)),
            params: c.compute_optimal_params,
            tokens: c.compute_optimal_tokens,
            always_labelled: true,
        });
    }
    if let Some(a) = c.inference_aware.filter(|a| a.inference_tokens > 0.0) {
        out.push(LabelledPoint {
            label: format!(
                "Cheapest serving {}",
                crate::estimate::units::format_count(a.inference_tokens)
            ),
            params: a.params,
            tokens: a.tokens,
            always_labelled: true,
        });
    }
    out
}
