//! Stage 3 of decoding: syntax-checked fields → a valid [`State`].
//!
//! Here the meaning is checked: presets and GPUs must exist, numbers must lie in their
//! documented ranges (they are clamped, with a warning), architecture overrides must keep the
//! shape consistent. [`normalize`] gives a scenario its canonical form (overrides sorted,
//! redundant ones dropped), which the page's reducer also applies, so that
//! `decode(encode(s)) == s`.

use crate::estimate::arch_field::ArchField;
use crate::estimate::hardware;
use crate::estimate::presets;
use crate::estimate::scenario::{CUSTOM_ID, Scenario, apply_overrides};
use crate::estimate::units::{MAX_NAME_CHARS, clean_name, clip, format_int};

use super::low::{LowArgs, LowScenario};
use super::{State, VERSION, View, Warning};

/// A documented numeric range.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    /// Key.
    pub key: &'static str,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
}

/// Ranges of the scenario's numeric keys (architecture keys: [`ArchField::range`]).
pub const RANGES: &[Range] = &[
    Range {
        key: "params",
        min: 1e3,
        max: 1e15,
    },
    Range {
        key: "ctx",
        min: 1.0,
        max: 1e7,
    },
    Range {
        key: "batch",
        min: 1.0,
        max: 1e4,
    },
    Range {
        key: "zero",
        min: 0.0,
        max: 3.0,
    },
    Range {
        key: "dp",
        min: 1.0,
        max: 1e6,
    },
    Range {
        key: "tp",
        min: 1.0,
        max: 1024.0,
    },
    Range {
        key: "pp",
        min: 1.0,
        max: 1024.0,
    },
    Range {
        key: "lora_rank",
        min: 0.0,
        max: 65536.0,
    },
    Range {
        key: "gpus",
        min: 1.0,
        max: 65536.0,
    },
    Range {
        key: "tokens",
        min: 1e6,
        max: 1e17,
    },
    Range {
        key: "gpu_util",
        min: 0.05,
        max: 1.0,
    },
    Range {
        key: "ngl",
        min: 0.0,
        max: 1000.0,
    },
    Range {
        key: "ram_bw",
        min: 1.0,
        max: 10000.0,
    },
];

/// The range of a key.
pub fn range(key: &str) -> Option<(f64, f64)> {
    RANGES
        .iter()
        .find(|r| r.key == key)
        .map(|r| (r.min, r.max))
        .or_else(|| ArchField::from_key(key).map(ArchField::range))
}

/// Clamps `v` into the key's range and rounds it when `integer`; warns when it changed it.
pub fn clamp(key: &str, v: f64, integer: bool, prefix: &str, warnings: &mut Vec<Warning>) -> f64 {
    let (min, max) = range(key).unwrap_or((f64::MIN, f64::MAX));
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

/// Resolves one scenario's fields onto the defaults.
pub fn resolve_scenario(low: &LowScenario, prefix: &str, warnings: &mut Vec<Warning>) -> Scenario {
    let mut s = Scenario::default();
    let key = |k: &str| format!("{prefix}{k}");
    if let Some(m) = &low.model {
        let m = m.to_ascii_lowercase();
        if m == CUSTOM_ID || presets::find(&m).is_some() {
            s.model = m;
        } else {
            let known: Vec<&str> = presets::all().iter().map(|p| p.id.as_str()).collect();
            warnings.push(Warning::new(
                &key("model"),
                format!(
                    "'{}' is not a known model (known: {}, custom); using {}",
                    clip(&m),
                    known.join(", "),
                    s.model
                ),
            ));
        }
    }
    if let Some(n) = &low.name {
        let clean = clean_name(n);
        if clean.chars().count() < n.chars().count() {
            warnings.push(Warning::new(
                &key("name"),
                format!("shortened to {MAX_NAME_CHARS} characters without control characters"),
            ));
        }
        if !clean.is_empty() {
            s.name = Some(clean);
        }
    }
    let int = |k: &str, v: Option<f64>, w: &mut Vec<Warning>| v.map(|v| clamp(k, v, true, prefix, w));
    s.params = int("params", low.params, warnings);
    for &(f, v) in &low.arch {
        let v = clamp(f.key(), v, true, prefix, warnings);
        s.arch.push((f, v as u64));
    }
    if let Some(w) = low.weights {
        s.weights = w;
    }
    if let Some(k) = low.kv {
        s.kv = k;
    }
    if let Some(v) = int("ctx", low.ctx, warnings) {
        s.ctx = v as u64;
    }
    if let Some(v) = int("batch", low.batch, warnings) {
        s.batch = v as u64;
    }
    if let Some(m) = low.mode {
        s.mode = m;
    }
    let t = &mut s.training;
    if let Some(o) = low.optimizer {
        t.optimizer = o;
    }
    if let Some(r) = low.recompute {
        t.recompute = r;
    }
    if let Some(v) = int("zero", low.zero, warnings) {
        t.zero = v as u8;
    }
    if let Some(v) = int("dp", low.dp, warnings) {
        t.dp = v as u32;
    }
    if let Some(v) = int("tp", low.tp, warnings) {
        t.tp = v as u32;
    }
    if let Some(v) = int("pp", low.pp, warnings) {
        t.pp = v as u32;
    }
    if let Some(v) = low.sp {
        t.sp = v;
    }
    if let Some(v) = low.flash {
        t.flash = v;
    }
    if let Some(v) = low.master {
        t.master = v;
    }
    if let Some(v) = int("lora_rank", low.lora_rank, warnings) {
        t.lora_rank = v as u32;
    }
    if let Some(g) = &low.gpu {
        if hardware::find(g).is_some() {
            s.gpu = g.to_ascii_lowercase();
        } else {
            let known: Vec<&str> = hardware::all().iter().map(|g| g.id.as_str()).collect();
            warnings.push(Warning::new(
                &key("gpu"),
                format!(
                    "'{}' is not a known GPU (known: {}); using {}",
                    clip(g),
                    known.join(", "),
                    s.gpu
                ),
            ));
        }
    }
    if let Some(v) = int("gpus", low.gpus, warnings) {
        s.gpus = v as u32;
    }
    s.tokens = int("tokens", low.tokens, warnings);
    if let Some(f) = low.fit {
        s.fit = f;
    }
    if let Some(e) = low.engine {
        s.engine = e;
    }
    if let Some(u) = low.gpu_util {
        s.gpu_util = clamp("gpu_util", u, false, prefix, warnings);
    }
    if let Some(v) = int("ngl", low.gpu_layers, warnings) {
        s.gpu_layers = Some(v as u32);
    }
    if let Some(v) = low.ram_bw {
        s.ram_bw_gb_s = clamp("ram_bw", v, false, prefix, warnings);
    }
    let (normal, msgs) = normalize(&s);
    warnings.extend(msgs.into_iter().map(|(k, m)| Warning::new(&key(k), m)));
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
    // A name only labels a custom model; presets keep their own.
    if out.name.as_deref().is_some_and(str::is_empty) {
        out.name = None;
    }
    (out, msgs)
}

/// Resolves all fields into a state.
pub fn resolve(args: &LowArgs, warnings: &mut Vec<Warning>) -> State {
    if let Some(v) = args.version
        && v != f64::from(VERSION)
    {
        warnings.push(Warning::new(
            "v",
            format!("version {v} is not {VERSION}; reading the link as version {VERSION}"),
        ));
    }
    let scenario = resolve_scenario(&args.scenario, "", warnings);
    let compare = args.compare.as_ref().map(|c| resolve_scenario(c, "a.", warnings));
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
    if let Some(t) = args.view.theme {
        view.theme = t;
    }
    if let Some(u) = args.view.units {
        view.units = u;
    }
    State {
        scenario,
        compare,
        view,
    }
}
