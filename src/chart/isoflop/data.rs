//! The iso-FLOP chart's data: predicted loss against model size at the compute the current
//! model was trained with, by both Approach 3 fits.

use crate::chart::chinchilla::TrainingDataInput;
use crate::estimate::chinchilla::{self, EPOCH, Fit, HOFFMANN};

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
}

/// Builds the iso-FLOP chart's data.
pub fn data(i: &TrainingDataInput) -> IsoflopData {
    let c = i.chinchilla.training_flops;
    let (fit, other) = match i.fit {
        Fit::Hoffmann => (Fit::Hoffmann, Fit::Epoch),
        _ => (Fit::Epoch, Fit::Hoffmann),
    };
    let p = fit.loss_params().unwrap_or(EPOCH);
    let q = other.loss_params().unwrap_or(HOFFMANN);
    let (n_opt, _) = fit.compute_optimal(c);
    let n = i.params;
    let lo = (n_opt.min(n) / 30.0).max(1.0);
    let hi = n_opt.max(n) * 30.0;
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
    }
}
