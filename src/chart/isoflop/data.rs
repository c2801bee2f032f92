//! The iso-FLOP chart's data: predicted loss against model size at the compute the current
//! model was trained with, by both Approach 3 fits.

use crate::chart::chinchilla::TrainingDataInput;
use crate::estimate::chinchilla::{self, Fit};

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
    /// Chinchilla and Gopher at their own parameters and tokens, with the loss the solid fit
    /// predicts for them, when the chart's compute is within [`NEAR_THEIR_COMPUTE`] of theirs
    /// (about 5 × 10²³ FLOPs): "Chinchilla beat Gopher" with about the same compute, seen as
    /// the lower dot. Empty otherwise.
    pub pair: Vec<PairPoint>,
}

/// One of the pair the article tells of, on the iso-FLOP chart.
#[derive(Clone, Debug, PartialEq)]
pub struct PairPoint {
    /// Its name.
    pub name: String,
    /// Parameters.
    pub params: f64,
    /// Training tokens.
    pub tokens: f64,
    /// The predicted loss L(N, D) of the chart's solid fit.
    pub loss: f64,
    /// The scenario's model is this one (parameters and tokens within 1 %): its dot is this
    /// model's, and the name goes in this model's label.
    pub is_current: bool,
}

/// The chart's compute may differ from Chinchilla's and Gopher's (5.9 and 5.0 × 10²³ FLOPs) by
/// up to this factor for the two to be drawn: their losses then sit near the curve, and the
/// comparison is "at about this compute".
pub const NEAR_THEIR_COMPUTE: f64 = 10.0;

/// Builds the iso-FLOP chart's data.
pub fn data(i: &TrainingDataInput) -> IsoflopData {
    let c = i.chinchilla.training_flops;
    // The chosen fit's loss (Epoch's where the chosen fit has none), the other one's for contrast.
    let (fit, p) = i.fit.loss_fit();
    let (other, q) = if fit == Fit::Hoffmann {
        Fit::Epoch.loss_fit()
    } else {
        Fit::Hoffmann.loss_fit()
    };
    let (n_opt, _) = fit.compute_optimal(c);
    let n = i.params;
    // Chinchilla and Gopher as Hoffmann et al. 2022, Table 1 give them (the trained models'
    // catalog): drawn only near their compute.
    let pair: Vec<PairPoint> = crate::estimate::presets::trained_models()
        .iter()
        .filter(|t| crate::chart::chinchilla::ALWAYS_LABELLED.contains(&&*t.name))
        .filter(|t| {
            let theirs = chinchilla::training_flops(t.params, t.tokens);
            (c / theirs).max(theirs / c) <= NEAR_THEIR_COMPUTE
        })
        .map(|t| PairPoint {
            name: t.name.to_string(),
            params: t.params,
            tokens: t.tokens,
            loss: chinchilla::loss(&p, t.params, t.tokens),
            is_current: (t.params / n - 1.0).abs() < 0.01
                && (t.tokens / i.chinchilla.training_tokens - 1.0).abs() < 0.01,
        })
        .collect();
    let n_lo = pair.iter().map(|q| q.params).fold(n_opt.min(n), f64::min);
    let n_hi = pair.iter().map(|q| q.params).fold(n_opt.max(n), f64::max);
    let lo = (n_lo / 30.0).max(1.0);
    let hi = n_hi * 30.0;
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
        pair,
    }
}
