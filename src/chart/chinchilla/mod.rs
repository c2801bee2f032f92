//! Chart 4: training tokens vs parameters (log–log) — the 20× line, the selected fit's
//! compute-optimal frontier and the other fits, iso-FLOP lines, famous models, and the current
//! model as trained and as it would be compute-optimal.

pub mod data;
pub mod draw;

pub use draw::draw;

pub use data::{
    ALWAYS_LABELLED, CHINCHILLA_PARAMS_ALWAYS, CHINCHILLA_PARAMS_LIMITS, CHINCHILLA_TOKENS_ALWAYS,
    CHINCHILLA_TOKENS_LIMITS, ChinchillaData, LabelledPoint, TrainingDataInput, data,
};

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::table::{Cell, Table};
use super::{Chart, Geometry, Sources, Style};
use crate::estimate::chinchilla::{self, Fit};
use crate::estimate::units::format_count;
use crate::share::ChartId;

/// The Chinchilla chart.
pub struct Chinchilla;

impl Chart for Chinchilla {
    const ID: ChartId = ChartId::Chinchilla;
    type Input = TrainingDataInput;
    type Now = ();
    type Data = ChinchillaData;
    fn input(src: &Sources) -> TrainingDataInput {
        TrainingDataInput::of(&src.now.scenario, &src.now.report)
    }
    fn now(_: &Sources) {}
    fn data(i: &TrainingDataInput) -> ChinchillaData {
        data(i)
    }
    fn draw<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        d: &ChinchillaData,
        st: &Style,
    ) -> Result<Geometry, String> {
        draw::draw(area, d, st)
    }
    fn summary(i: &TrainingDataInput, _: &(), _: &ChinchillaData) -> String {
        summary(i)
    }
    fn table(i: &TrainingDataInput, _: &(), d: &ChinchillaData) -> Table {
        table(d, i)
    }
    /// The compute-optimal tokens of a model of x parameters, by the chosen fit and the rule;
    /// on a dot's column (a tap or the pointer on it), the dot's model by name.
    fn readout(i: &TrainingDataInput, _: &(), d: &ChinchillaData, n: f64) -> String {
        let mut out = format!(
            "A {} model: {} tokens by the {} fit, {} by the 20× rule",
            format_count(n),
            format_count(i.fit.optimal_tokens(n)),
            i.fit.label(),
            format_count(Fit::Rule20.optimal_tokens(n))
        );
        let near = dots_at(d, n);
        if !near.is_empty() {
            let names: Vec<String> = near
                .iter()
                .map(|m| {
                    format!(
                        "{}: {} on {} tokens",
                        m.label,
                        format_count(m.params),
                        format_count(m.tokens)
                    )
                })
                .collect();
            out = format!("{out} · {}", names.join(" · "));
        }
        out
    }
}

/// How near a dot's column a read-out must be to name it: 2.5 % of the parameter axis's width
/// (7 px on a phone's chart, a fingertip's half-width; 27 px on a desktop's).
pub const DOT_READOUT_REACH: f64 = 0.025;

/// The dots (famous models and asked answers) whose column is within [`DOT_READOUT_REACH`] of
/// x = `n`, nearest first, at most two (a phone keeps three lines for a read-out).
pub fn dots_at(d: &ChinchillaData, n: f64) -> Vec<&LabelledPoint> {
    let span = (d.params_range.1 / d.params_range.0).ln();
    let off = |m: &LabelledPoint| (m.params / n).ln().abs() / span;
    // The two nearest by a pass that keeps them in order (a sort would add its own code).
    let mut near: Vec<&LabelledPoint> = Vec::with_capacity(3);
    for m in d.asked.iter().chain(&d.famous) {
        if off(m) > DOT_READOUT_REACH {
            continue;
        }
        let at = near.iter().position(|o| off(o) > off(m)).unwrap_or(near.len());
        near.insert(at, m);
        near.truncate(2);
    }
    near
}

/// Training tokens ÷ compute-optimal tokens from which the Chinchilla sentence calls a model
/// "over-trained" (and below [`UNDERTRAINED_FACTOR`], "under-trained"): ±20 % around the
/// optimum, wider than the fits' own disagreement at Chinchilla's budget (Epoch's refit asks
/// 18.4 tokens per parameter where the rule of thumb says 20, −8 %), so "about
/// compute-optimal" is not claimed more precisely than the fits allow.
pub const OVERTRAINED_FACTOR: f64 = 1.2;
/// See [`OVERTRAINED_FACTOR`].
pub const UNDERTRAINED_FACTOR: f64 = 0.8;

/// The lesson of the Chinchilla chart.
pub fn summary(i: &TrainingDataInput) -> String {
    let c = &i.chinchilla;
    let by = |id: &str| {
        c.optimal_tokens_by_fit
            .iter()
            .find(|f| f.fit == id)
            .map_or(0.0, |f| f.tokens)
    };
    let verdict = if c.overtraining_factor >= OVERTRAINED_FACTOR {
        format!(
            "{:.1}× more than compute-optimal — deliberately \"over-trained\" so a smaller model serves well",
            c.overtraining_factor
        )
    } else if c.overtraining_factor <= UNDERTRAINED_FACTOR {
        format!(
            "only {:.0} % of compute-optimal — under-trained for its size",
            c.overtraining_factor * 100.0
        )
    } else {
        "about compute-optimal".to_string()
    };
    let mut out = format!(
        "{} trained on {} tokens ({:.0} per parameter): {verdict} ({} by the {} fit). The fits disagree: Hoffmann's published constants ask {} tokens, Epoch's refit {}. Chinchilla (70B on 1.4T) beat Gopher (280B on 300B) with about the same compute. Double the model, double the tokens.",
        i.name,
        format_count(c.training_tokens),
        c.tokens_per_param,
        format_count(c.optimal_tokens),
        c.fit_label,
        format_count(by("hoffmann")),
        format_count(by("epoch")),
    );
    out.push_str(&data_questions_sentence(c));
    out
}

/// What the data questions answer, in words (the chart's sentence and the CLI): the budget's
/// optimum, and the cheapest model of this loss once its serving counts.
pub fn data_questions_sentence(c: &crate::estimate::chinchilla::ChinchillaReport) -> String {
    let mut out = String::new();
    if let Some(budget) = c.compute_budget {
        out.push_str(&format!(
            " A budget of {budget:.2e} FLOPs buys {} parameters on {} tokens by the {} fit{}.",
            format_count(c.compute_optimal_params),
            format_count(c.compute_optimal_tokens),
            c.fit_label,
            c.compute_budget_seconds.map_or(String::new(), |t| format!(
                ", {} on these GPUs",
                crate::estimate::units::format_seconds(t)
            ))
        ));
    }
    if let Some(a) = c.inference_aware.filter(|a| a.inference_tokens > 0.0) {
        let saved = 100.0 * (1.0 - a.total_flops / a.chinchilla_total_flops);
        out.push_str(&format!(
            " Served for {} tokens, a {} model trained on {} tokens reaches the same loss ({:.3}) with {saved:.0} % less compute in all than Chinchilla's optimum of that loss ({} on {}).",
            format_count(a.inference_tokens),
            format_count(a.params),
            format_count(a.tokens),
            a.loss,
            format_count(a.chinchilla_params),
            format_count(a.chinchilla_tokens),
        ));
    }
    out
}

/// The Chinchilla chart as a table.
pub fn table(d: &ChinchillaData, i: &TrainingDataInput) -> Table {
    let c = &i.chinchilla;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let point = |label: &str, n: f64, t: f64| {
        vec![
            Cell::text(label),
            Cell::num(format_count(n), n),
            Cell::num(format_count(t), t),
            Cell::num(format!("{:.0}", t / n), t / n),
            Cell::num(
                format!("{:.2e}", chinchilla::training_flops(n, t)),
                chinchilla::training_flops(n, t),
            ),
        ]
    };
    rows.push(point(
        &format!("{} (as trained)", d.current.label),
        d.current.params,
        d.current.tokens,
    ));
    for f in &c.optimal_tokens_by_fit {
        let label = Fit::from_id(f.fit).map_or(f.fit, Fit::label);
        rows.push(point(
            &format!("optimal for this size: {label}"),
            d.current.params,
            f.tokens,
        ));
    }
    rows.push(point(
        "compute-optimal at the same compute",
        c.compute_optimal_params,
        c.compute_optimal_tokens,
    ));
    for p in d.asked.iter().chain(&d.famous) {
        rows.push(point(&p.label, p.params, p.tokens));
    }
    Table {
        caption: "Training tokens and parameters".to_string(),
        headers: [
            "Model / point",
            "Parameters",
            "Tokens",
            "Tokens per parameter",
            "Compute 6ND (FLOPs)",
        ]
        .map(String::from)
        .to_vec(),
        csv_headers: ["point", "params", "tokens", "tokens_per_param", "flops"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tap on a dot's column names its model (issue 26: "a tap on a dot does not say which
    /// model it is"); between dots, only the fit's numbers.
    #[test]
    fn a_read_out_on_a_dot_names_it() {
        let s = crate::share::decode("mode=train").state.scenario;
        let r = s.evaluate();
        let i = TrainingDataInput::of(&s, &r);
        let d = data(&i);
        let on_gopher = <Chinchilla as Chart>::readout(&i, &(), &d, 281e9);
        assert!(
            on_gopher.starts_with("A 281B model: ") && on_gopher.ends_with(" · Gopher: 280B on 300B tokens"),
            "{on_gopher}"
        );
        let on_chinchilla = <Chinchilla as Chart>::readout(&i, &(), &d, 70e9);
        assert!(
            on_chinchilla.contains(" · Chinchilla: 70B on 1.4T tokens"),
            "{on_chinchilla}"
        );
        let between = <Chinchilla as Chart>::readout(&i, &(), &d, 1.2e12);
        assert!(
            between.starts_with("A 1.2T model") && !between.contains(" · "),
            "{between}"
        );
    }
}
