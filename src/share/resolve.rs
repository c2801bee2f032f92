//! Stage 3 of decoding: syntax-checked fields → a valid [`State`].
//!
//! Here the meaning is checked: presets and GPUs must exist, numbers must lie in their
//! documented ranges (they are clamped, with a warning), architecture overrides must keep the
//! shape consistent. [`normalize`] gives a scenario its canonical form (overrides sorted,
//! redundant ones dropped), which the page's reducer also applies, so that
//! `decode(encode(s)) == s`.

use crate::estimate::scenario::{Scenario, apply_overrides};
use crate::estimate::units::format_int;

use super::keys::{self, Syntax, Value};
use super::low::{LowArgs, LowScenario};
use super::{State, VERSION, View, Warning};

/// Clamps `v` into the key's range and rounds it when `integer`; warns when it changed it.
pub fn clamp(key: &str, v: f64, integer: bool, prefix: &str, warnings: &mut Vec<Warning>) -> f64 {
    let (min, max) = keys::range(key).unwrap_or((f64::MIN, f64::MAX));
    let shown = |x: f64| {
        if x.abs() >= 1e6 {
            format!("{x:e}")
        } else {
            format_int(x)
        }
    };
    let key_name = format!("{prefix}{key}");
    let mut out = v;
    if v < min {
        warnings.push(Warning::new(
            &key_name,
            format!("{} is below the minimum {}; using {}", shown(v), shown(min), shown(min)),
        ));
        out = min;
    } else if v > max {
        warnings.push(Warning::new(
            &key_name,
            format!("{} is above the maximum {}; using {}", shown(v), shown(max), shown(max)),
        ));
        out = max;
    }
    if integer && out.fract() != 0.0 {
        let r = out.round();
        warnings.push(Warning::new(
            &key_name,
            format!("{} is not a whole number; using {}", shown(out), shown(r)),
        ));
        out = r;
    }
    out
}

/// Resolves one scenario's keys onto the defaults, in canonical order whatever the link's
/// order: numbers are clamped into their range (and rounded when whole) with a warning, then
/// each key's own `apply` checks its meaning.
pub fn resolve_scenario(
    low: &LowScenario,
    prefix: &str,
    version: Option<f64>,
    warnings: &mut Vec<Warning>,
) -> Scenario {
    let mut s = Scenario::default();
    for k in keys::SCENARIO {
        if let Some((_, v)) = low.values.iter().find(|(o, _)| o.name == k.name) {
            let v = match (k.syntax, v) {
                (Syntax::Number { whole, .. }, Value::Number(x)) => {
                    Value::Number(clamp(k.name, *x, whole, prefix, warnings))
                }
                _ => v.clone(),
            };
            if let Some(msg) = (k.apply)(&mut s, &v) {
                warnings.push(Warning::new(&format!("{prefix}{}", k.name), msg));
            }
        }
        if k.name == keys::ARCH_AFTER {
            for &(f, v) in &low.arch {
                let v = clamp(f.key(), v, true, prefix, warnings);
                s.arch.push((f, v as u64));
            }
        }
    }
    // Version 1 links opened every model in BF16 unless they said otherwise: they still do.
    if version == Some(1.0) && !low.values.iter().any(|(k, _)| k.name == keys::WEIGHTS.name) {
        s.weights = crate::estimate::precision::WeightFormat::Bf16;
    }
    let (normal, msgs) = normalize(&s);
    warnings.extend(msgs.into_iter().map(|(k, m)| Warning::new(&format!("{prefix}{k}"), m)));
    normal
}

/// The canonical form of a scenario: architecture overrides in [`ArchField::ALL`] order, applied one
/// by one to the base shape; an override is dropped when it changes nothing or would make the
/// shape inconsistent (with a message naming it and why).
pub fn normalize(s: &Scenario) -> (Scenario, Vec<(&'static str, String)>) {
    let mut out = s.clone();
    let (base, _) = s.base_arch();
    // The shape is checked as a whole, in ArchField::ALL order whatever the link's order.
    let applied = apply_overrides(&base, &s.arch);
    let mut msgs: Vec<(&'static str, String)> = applied
        .inapplicable
        .iter()
        .map(|(f, v)| (f.key(), format!("{v} does not apply to this model; ignored")))
        .collect();
    msgs.extend(
        applied
            .rejected
            .iter()
            .map(|(f, v, why)| (f.key(), format!("{v} ignored: {why}"))),
    );
    out.arch = applied.kept;
    // A size typed back to the preset's own is the preset (within half a percent: "70B").
    if let (Some(n), Some(p)) = (out.params, crate::estimate::presets::find(&out.model))
        && out.arch.is_empty()
        && (n / p.published_params - 1.0).abs() < 0.005
    {
        out.params = None;
    }
    // A name only labels a custom model; presets keep their own.
    if out.name.as_deref().is_some_and(str::is_empty) {
        out.name = None;
    }
    (out, msgs)
}

/// Resolves all fields into a state.
pub fn resolve(args: &LowArgs, warnings: &mut Vec<Warning>) -> State {
    let version = match args.version {
        Some(v) if v == 1.0 || v == f64::from(VERSION) => Some(v),
        Some(v) => {
            warnings.push(Warning::new(
                "v",
                format!("version {v} is not {VERSION}; reading the link as version {VERSION}"),
            ));
            None
        }
        None => None,
    };
    let scenario = resolve_scenario(&args.scenario, "", version, warnings);
    let compare = args
        .compare
        .as_ref()
        .map(|c| resolve_scenario(c, "a.", version, warnings));
    let mut view = View::default();
    if let Some(c) = &args.view.charts
        && !c.is_empty()
    {
        view.charts = c.clone();
    }
    view.controls = args.view.controls.clone();
    if let Some(e) = args.view.embed {
        view.embed = e;
    }
    if let Some(c) = args.view.chart_only {
        view.chart_only = c;
    }
    if let Some(t) = args.view.theme {
        view.theme = t;
    }
    if let Some(u) = args.view.units {
        view.units = u;
    }
    // A read-out position belongs to a chart: without `focus` it means nothing.
    view.focus = args.view.focus;
    view.at = args
        .view
        .at
        .filter(|x| x.is_finite() && *x > 0.0 && view.focus.is_some());
    if args.view.at.is_some() && view.at.is_none() {
        warnings.push(Warning::new(
            "at",
            "a read-out position needs focus=<chart>; ignored".to_string(),
        ));
    }
    State {
        scenario,
        compare,
        view,
    }
}
