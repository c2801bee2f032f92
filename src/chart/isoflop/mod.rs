//! Chart 5: loss vs parameters at a fixed training compute C = 6ND (an iso-FLOP profile,
//! Hoffmann et al. 2022 Figure 3): the minimum is the compute-optimal size.

pub mod data;
pub mod draw;

pub use draw::draw;

pub use data::{IsoflopData, data};

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::chinchilla::TrainingDataInput;
use super::table::{Cell, Table};
use super::{Chart, Geometry, Sources, Style};
use crate::estimate::chinchilla;
use crate::estimate::units::format_count;
use crate::share::ChartId;

/// The iso-FLOP chart.
pub struct Isoflop;

impl Chart for Isoflop {
    const ID: ChartId = ChartId::Isoflop;
    type Input = TrainingDataInput;
    type Now = ();
    type Data = IsoflopData;
    fn input(src: &Sources) -> TrainingDataInput {
        TrainingDataInput::of(&src.now.scenario, &src.now.report)
    }
    fn now(_: &Sources) {}
    fn data(i: &TrainingDataInput) -> IsoflopData {
        data(i)
    }
    fn draw<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        d: &IsoflopData,
        st: &Style,
    ) -> Result<Geometry, String> {
        draw::draw(area, d, st)
    }
    fn summary(i: &TrainingDataInput, _: &(), d: &IsoflopData) -> String {
        summary(i, d)
    }
    fn table(_: &TrainingDataInput, _: &(), d: &IsoflopData) -> Table {
        table(d)
    }
    /// The loss a model of x parameters reaches on the tokens the same compute buys.
    fn readout(i: &TrainingDataInput, _: &(), _: &IsoflopData, n: f64) -> String {
        let c = i.chinchilla.training_flops;
        let p = i.fit.loss_fit().1;
        let d = chinchilla::tokens_for_compute(c, n);
        format!(
            "{} parameters on {} tokens: predicted loss {:.4}",
            format_count(n),
            format_count(d),
            chinchilla::loss(&p, n, d)
        )
    }
}

/// The lesson of the iso-FLOP chart.
pub fn summary(i: &TrainingDataInput, d: &IsoflopData) -> String {
    let mut out = format!(
        "With the {:.2e} FLOPs it took to train {} ({} on {} tokens), the lowest loss ({:.3}, {}) comes from {} parameters on {} tokens; {} itself reaches {:.3}. Bigger is not automatically better.",
        d.flops,
        i.name,
        format_count(i.params),
        format_count(i.chinchilla.training_tokens),
        d.optimum.1,
        d.curve.0,
        format_count(d.optimum.0),
        format_count(chinchilla::tokens_for_compute(d.flops, d.optimum.0)),
        i.name,
        d.current.1,
    );
    // The chosen fit has no loss (the rule of 20, Approaches 1 and 2): say whose curve it is.
    if i.fit.loss_params().is_none() {
        out.push_str(&format!(
            " The {} fits tokens to parameters and predicts no loss, so the curve is {}'s.",
            i.fit.label(),
            d.curve.0
        ));
    }
    if let [a, b] = d.pair.as_slice() {
        let (win, lose) = if a.loss <= b.loss { (a, b) } else { (b, a) };
        out.push_str(&format!(
            " At about this compute, {} ({} on {} tokens, {:.1e} FLOPs) reaches a predicted loss of {:.3} and {} ({} on {}, {:.1e} FLOPs) {:.3}: the lower ring, {} beat {}.",
            win.name,
            format_count(win.params),
            format_count(win.tokens),
            chinchilla::training_flops(win.params, win.tokens),
            win.loss,
            lose.name,
            format_count(lose.params),
            format_count(lose.tokens),
            chinchilla::training_flops(lose.params, lose.tokens),
            lose.loss,
            win.name,
            lose.name,
        ));
    }
    out
}

/// The iso-FLOP chart as a table.
pub fn table(d: &IsoflopData) -> Table {
    let rows = d
        .curve
        .1
        .iter()
        .zip(&d.other.1)
        .step_by(8)
        .map(|(&(n, l), &(_, l2))| {
            let tokens = chinchilla::tokens_for_compute(d.flops, n);
            vec![
                Cell::num(format_count(n), n),
                Cell::num(format_count(tokens), tokens),
                Cell::num(format!("{l:.4}"), l),
                Cell::num(format!("{l2:.4}"), l2),
            ]
        })
        .collect();
    Table {
        caption: format!("Loss at a fixed compute of {:.2e} FLOPs", d.flops),
        headers: vec![
            "Parameters".into(),
            "Tokens".into(),
            format!("Loss ({})", d.curve.0),
            format!("Loss ({})", d.other.0),
        ],
        csv_headers: ["params", "tokens", "loss_selected", "loss_other"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}
