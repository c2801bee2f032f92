//! Control panels (model, precision, workload, training, hardware, training data) and the text
//! panels (key numbers, warnings, show working, embed builder). Props down, callbacks up: each
//! panel receives the page and a dispatcher and sends [`Action`]s.

use std::rc::Rc;

use yew::prelude::*;

use crate::chart::data::working;
use crate::estimate::Report;
use crate::estimate::chinchilla::Fit;
use crate::estimate::hardware;
use crate::estimate::precision::{KvDtype, WeightFormat};
use crate::estimate::presets;
use crate::estimate::scenario::{ARCH_KEYS, CUSTOM_ID, Mode, Scenario, arch_get};
use crate::estimate::training::{Optimizer, Recompute};
use crate::estimate::units::{ByteUnits, format_bytes, format_context, format_count, format_int, format_seconds};
use crate::share::{self, ChartId, ControlId, Theme, View};
use crate::state::{Action, Page};

use super::controls::{Disclosure, Kind, LogSlider, NumberField, Select};

/// Shared props: the page and the dispatcher.
#[derive(Properties, PartialEq, Clone)]
pub struct PanelProps {
    /// The page state.
    pub page: Rc<Page>,
    /// The report derived from it.
    pub report: Rc<Report>,
    /// Sends an action to the reducer.
    pub dispatch: Callback<Action>,
}

/// Props for one panel: the shared [`PanelProps`], compared only on the fields that panel
/// shows, so yew skips re-rendering panels the last action did not touch (moving the context
/// slider re-renders the workload panel and the key numbers, not the model picker).
macro_rules! keyed_props {
    ($(#[$doc:meta])* $name:ident, |$p:ident| $key:expr) => {
        $(#[$doc])*
        #[derive(Properties, Clone)]
        pub struct $name {
            /// The shared props.
            pub p: PanelProps,
        }
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                fn key($p: &PanelProps) -> impl PartialEq + '_ {
                    $key
                }
                self.p.dispatch == other.p.dispatch && key(&self.p) == key(&other.p)
            }
        }
    };
}

keyed_props!(
    /// [`ModelPanel`]'s props.
    ModelProps,
    |p| {
        let s = &p.page.share.scenario;
        (&s.model, &s.name, s.params, &s.arch, &p.page.share.view.controls, &p.report.model)
    }
);
keyed_props!(
    /// [`PrecisionPanel`]'s props.
    PrecisionProps,
    |p| (p.page.share.scenario.weights, p.page.share.scenario.kv, &p.page.share.view.controls)
);
keyed_props!(
    /// [`WorkloadPanel`]'s props.
    WorkloadProps,
    |p| {
        let s = &p.page.share.scenario;
        (s.mode, s.ctx, s.batch, s.training.flash, &p.page.share.view.controls, p.report.model.arch.max_context)
    }
);
keyed_props!(
    /// [`TrainingPanel`]'s props.
    TrainingProps,
    |p| {
        let s = &p.page.share.scenario;
        (s.mode, s.training, &p.page.share.view.controls, &p.report.training.note)
    }
);
keyed_props!(
    /// [`HardwarePanel`]'s props.
    HardwareProps,
    |p| (&p.page.share.scenario.gpu, p.page.share.scenario.gpus, &p.page.share.view.controls)
);
keyed_props!(
    /// [`DataPanel`]'s props.
    DataProps,
    |p| {
        let s = &p.page.share.scenario;
        (&s.model, s.tokens, s.fit, p.report.chinchilla.training_tokens, &p.page.share.view.controls)
    }
);

fn on<T: 'static>(d: &Callback<Action>, f: impl Fn(T) -> Action + 'static) -> Callback<T> {
    let d = d.clone();
    Callback::from(move |v: T| d.emit(f(v)))
}

/// The architecture keys the custom panel edits (the rest travel in links from imports).
const EDITABLE: [&str; 11] = [
    "layers",
    "hidden",
    "heads",
    "kv_heads",
    "head_dim",
    "ffn",
    "vocab",
    "experts",
    "experts_active",
    "window",
    "global_every",
];

/// Model picker, size slider and custom architecture.
#[function_component(ModelPanel)]
pub fn model_panel(props: &ModelProps) -> Html {
    let p = &props.p;
    let view = &p.page.share.view;
    let s = &p.page.share.scenario;
    let r = &p.report;
    let mut options: Vec<(String, String)> = presets::all().iter().map(|m| (m.id.clone(), m.name.clone())).collect();
    options.push((CUSTOM_ID.to_string(), "Custom architecture".to_string()));
    let model = if presets::find(&s.model).is_some() {
        s.model.clone()
    } else {
        CUSTOM_ID.to_string()
    };
    let arch = &r.model.arch;
    let preset = presets::find(&s.model);
    if !view.shows(ControlId::Model) && !view.shows(ControlId::Params) && !view.shows(ControlId::Arch) {
        return html! {};
    }
    html! {
        <section class="panel" aria-labelledby="h-model">
            <h2 id="h-model">{ "Model" }</h2>
            if view.shows(ControlId::Model) {
                <Select id="model" label="Preset" options={options} value={model}
                    on_change={on(&p.dispatch, Action::Model)} />
            }
            if view.shows(ControlId::Params) {
                <LogSlider id="params" label="Parameters" value={r.model.params} min={1e8} max={2e12}
                    typed_min={1e3} typed_max={1e15} kind={Kind::Count}
                    on_change={on(&p.dispatch, |v: f64| Action::Params(Some(v)))}
                    help={Some(AttrValue::from(format!("{} total, {} active per token", format_count(r.model.params), format_count(r.model.active_params))))} />
            }
            if r.model.shape_assumed {
                <p class="note" role="status" data-testid="shape-assumed">
                    { format!("Shape assumed from the size: {} layers × {} wide, {} heads ({} KV), MLP {} — a Llama-style dense model.",
                        arch.layers, format_int(arch.hidden as f64), arch.heads, arch.kv_heads, format_int(arch.ffn as f64)) }
                </p>
            }
            if let Some(pr) = preset.filter(|_| s.arch.is_empty() && s.params.is_none()) {
                <p class="note">
                    { pr.note.clone().unwrap_or_default() }
                    { " Source: " }
                    { for pr.sources.iter().take(1).map(|u| html! { <a href={u.clone()} target="_blank" rel="noopener noreferrer">{ "config" }</a> }) }
                </p>
            }
            if view.shows(ControlId::Arch) {
                <details class="arch">
                    <summary>{ "Architecture" }</summary>
                    <div class="grid2">
                        { for EDITABLE.iter().filter_map(|k| ARCH_KEYS.iter().find(|a| a.key == *k)).map(|k| {
                            let key = k.key;
                            let value = arch_get(arch, key).unwrap_or(0.0);
                            html! {
                                <NumberField id={format!("arch-{key}")} label={format!("{key} — {}", k.help)} value={value}
                                    min={k.min} max={k.max}
                                    on_change={on(&p.dispatch, move |v: f64| Action::Arch(key, Some(v as u64)))} />
                            }
                        }) }
                    </div>
                    <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::ResetArch)}>{ "Reset to preset" }</button>
                    <super::import::ConfigImport dispatch={p.dispatch.clone()} />
                </details>
            }
        </section>
    }
}

/// Weight and KV precision.
#[function_component(PrecisionPanel)]
pub fn precision_panel(props: &PrecisionProps) -> Html {
    let p = &props.p;
    let view = &p.page.share.view;
    let s = &p.page.share.scenario;
    if !view.shows(ControlId::Weights) && !view.shows(ControlId::Kv) {
        return html! {};
    }
    let weights: Vec<(String, String)> = WeightFormat::ALL
        .iter()
        .map(|f| {
            (
                f.id().to_string(),
                format!("{} — {:.3} bits", f.label(), f.bits_per_weight()),
            )
        })
        .collect();
    let kv: Vec<(String, String)> = KvDtype::ALL
        .iter()
        .map(|k| {
            (
                k.id().to_string(),
                format!("{} ({} B)", k.id().to_ascii_uppercase(), k.bytes()),
            )
        })
        .collect();
    html! {
        <section class="panel" aria-labelledby="h-precision">
            <h2 id="h-precision">{ "Precision" }</h2>
            if view.shows(ControlId::Weights) {
                <Select id="weights" label="Weights" options={weights} value={s.weights.id().to_string()}
                    on_change={on(&p.dispatch, |v: String| Action::Weights(WeightFormat::from_id(&v).unwrap_or(WeightFormat::Bf16)))}
                    help={Some(AttrValue::from(format!("{}. {}", s.weights.scope_note(), s.weights.source())))} />
            }
            if view.shows(ControlId::Kv) {
                <Select id="kv" label="KV cache" options={kv} value={s.kv.id().to_string()}
                    on_change={on(&p.dispatch, |v: String| Action::Kv(KvDtype::from_id(&v).unwrap_or(KvDtype::Bf16)))} />
            }
        </section>
    }
}

/// Context, batch and mode.
#[function_component(WorkloadPanel)]
pub fn workload_panel(props: &WorkloadProps) -> Html {
    let p = &props.p;
    let view = &p.page.share.view;
    let s = &p.page.share.scenario;
    let train = s.mode == Mode::Train;
    // Callbacks made once (the dispatcher is stable), so a slider whose own props did not change
    // is not re-rendered when its neighbour moves.
    let d = p.dispatch.clone();
    let on_ctx = use_memo((), |_| on(&d, |v: f64| Action::Ctx(v as u64)));
    let on_batch = use_memo((), |_| on(&d, |v: f64| Action::Batch(v as u64)));
    if ![ControlId::Mode, ControlId::Ctx, ControlId::Batch, ControlId::Training]
        .iter()
        .any(|c| view.shows(*c))
    {
        return html! {};
    }
    let mode_radio = |m: Mode, label: &'static str| {
        let d = p.dispatch.clone();
        html! {
            <label class="radio">
                <input type="radio" name="mode" value={m.id()} checked={s.mode == m}
                    onchange={Callback::from(move |_: Event| d.emit(Action::Mode(m)))} />
                { label }
            </label>
        }
    };
    html! {
        <section class="panel" aria-labelledby="h-workload">
            <h2 id="h-workload">{ "Workload" }</h2>
            if view.shows(ControlId::Mode) {
                <fieldset class="control modes">
                    <legend>{ "Mode" }</legend>
                    { mode_radio(Mode::Infer, "Inference") }
                    { mode_radio(Mode::Train, "Training") }
                </fieldset>
            }
            if view.shows(ControlId::Ctx) {
                <LogSlider id="ctx" label={if train { "Sequence length (tokens)" } else { "Context length (tokens)" }}
                    value={s.ctx as f64} min={1.0} max={1e7} typed_min={1.0} typed_max={1e7} kind={Kind::Context}
                    on_change={(*on_ctx).clone()}
                    help={Some(AttrValue::from(format!("{} tokens; the model was trained for {}", format_int(s.ctx as f64), format_context(p.report.model.arch.max_context as f64))))} />
            }
            if view.shows(ControlId::Batch) {
                <LogSlider id="batch" label={if train { "Micro-batch (sequences per GPU)" } else { "Concurrent sequences (batch)" }}
                    value={s.batch as f64} min={1.0} max={1e4} typed_min={1.0} typed_max={1e4} kind={Kind::Integer}
                    on_change={(*on_batch).clone()} />
            }
            if view.shows(ControlId::Training) {
                <label class="check">
                    <input type="checkbox" checked={s.training.flash}
                        onchange={on(&p.dispatch, |e: Event| Action::Flash(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                    { "FlashAttention (no s² score matrix)" }
                </label>
            }
        </section>
    }
}

/// Training knobs, shown in training mode.
#[function_component(TrainingPanel)]
pub fn training_panel(props: &TrainingProps) -> Html {
    let p = &props.p;
    let view = &p.page.share.view;
    let s = &p.page.share.scenario;
    if s.mode != Mode::Train || !view.shows(ControlId::Training) {
        return html! {};
    }
    let t = s.training;
    let opts: Vec<(String, String)> = Optimizer::ALL
        .iter()
        .map(|o| (o.id().to_string(), o.label().to_string()))
        .collect();
    let rec: Vec<(String, String)> = [
        (Recompute::None, "None: store every activation"),
        (Recompute::Selective, "Selective: recompute attention"),
        (Recompute::Full, "Full: store layer inputs only"),
    ]
    .iter()
    .map(|(r, l)| (r.id().to_string(), l.to_string()))
    .collect();
    let zero: Vec<(String, String)> = [
        "0: no sharding",
        "1: shard optimizer states",
        "2: + gradients",
        "3: + weights",
    ]
    .iter()
    .enumerate()
    .map(|(i, l)| (i.to_string(), l.to_string()))
    .collect();
    html! {
        <section class="panel" aria-labelledby="h-training">
            <h2 id="h-training">{ "Training" }</h2>
            if let Some(n) = &p.report.training.note { <p class="note" role="status">{ n.clone() }</p> }
            <Select id="optimizer" label="Optimizer" options={opts} value={t.optimizer.id().to_string()}
                on_change={on(&p.dispatch, |v: String| Action::Optimizer(Optimizer::from_id(&v).unwrap_or(Optimizer::AdamW)))} />
            <Select id="recompute" label="Activation recomputation" options={rec} value={t.recompute.id().to_string()}
                on_change={on(&p.dispatch, |v: String| Action::Recompute(Recompute::from_id(&v).unwrap_or(Recompute::None)))} />
            <Select id="zero" label="ZeRO stage" options={zero} value={t.zero.to_string()}
                on_change={on(&p.dispatch, |v: String| Action::Zero(v.parse().unwrap_or(0)))} />
            <div class="grid3">
                <NumberField id="dp" label="Data parallel" value={f64::from(t.dp)} min={1.0} max={1e6} on_change={on(&p.dispatch, |v: f64| Action::Dp(v as u32))} />
                <NumberField id="tp" label="Tensor parallel" value={f64::from(t.tp)} min={1.0} max={1024.0} on_change={on(&p.dispatch, |v: f64| Action::Tp(v as u32))} />
                <NumberField id="pp" label="Pipeline parallel" value={f64::from(t.pp)} min={1.0} max={1024.0} on_change={on(&p.dispatch, |v: f64| Action::Pp(v as u32))} />
            </div>
            <label class="check">
                <input type="checkbox" checked={t.sp}
                    onchange={on(&p.dispatch, |e: Event| Action::Sp(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                { "Sequence parallelism" }
            </label>
            <NumberField id="lora" label="LoRA rank (0 = full training; with NF4 weights = QLoRA)" value={f64::from(t.lora_rank)} min={0.0} max={65536.0}
                on_change={on(&p.dispatch, |v: f64| Action::Lora(v as u32))} />
        </section>
    }
}

/// GPU and count.
#[function_component(HardwarePanel)]
pub fn hardware_panel(props: &HardwareProps) -> Html {
    let p = &props.p;
    let view = &p.page.share.view;
    let s = &p.page.share.scenario;
    if !view.shows(ControlId::Gpu) && !view.shows(ControlId::Gpus) {
        return html! {};
    }
    let gpus: Vec<(String, String)> = hardware::all().iter().map(|g| (g.id.clone(), g.name.clone())).collect();
    let gpu = hardware::find(&s.gpu);
    html! {
        <section class="panel" aria-labelledby="h-hardware">
            <h2 id="h-hardware">{ "Hardware" }</h2>
            if view.shows(ControlId::Gpu) {
                <Select id="gpu" label="GPU" options={gpus} value={s.gpu.clone()} on_change={on(&p.dispatch, Action::Gpu)}
                    help={gpu.map(|g| AttrValue::from(format!("{} GiB, {} GB/s, {} TFLOP/s BF16 dense. {}", g.memory_gib, g.bandwidth_gb_s, g.bf16_tflops, g.note.clone().unwrap_or_default())))} />
            }
            if view.shows(ControlId::Gpus) {
                <LogSlider id="gpus" label="GPUs (inference, tensor-parallel)" value={f64::from(s.gpus)} min={1.0} max={1024.0}
                    typed_min={1.0} typed_max={65536.0} kind={Kind::Integer} on_change={on(&p.dispatch, |v: f64| Action::Gpus(v as u32))} />
            }
        </section>
    }
}

/// Training tokens and the Chinchilla fit.
#[function_component(DataPanel)]
pub fn data_panel(props: &DataProps) -> Html {
    let p = &props.p;
    let view = &p.page.share.view;
    let s = &p.page.share.scenario;
    let r = &p.report;
    if !view.shows(ControlId::Tokens) && !view.shows(ControlId::Fit) {
        return html! {};
    }
    let fits: Vec<(String, String)> = Fit::ALL
        .iter()
        .map(|f| (f.id().to_string(), f.label().to_string()))
        .collect();
    let published = presets::find(&s.model).and_then(|m| m.training_tokens);
    html! {
        <section class="panel" aria-labelledby="h-data">
            <h2 id="h-data">{ "Training data" }</h2>
            if view.shows(ControlId::Tokens) {
                <LogSlider id="tokens" label="Training tokens" value={r.chinchilla.training_tokens} min={1e9} max={1e14}
                    typed_min={1e6} typed_max={1e17} kind={Kind::Count} on_change={on(&p.dispatch, |v: f64| Action::Tokens(Some(v)))}
                    help={Some(AttrValue::from(match (s.tokens, published) {
                        (None, Some(_)) => "the published count".to_string(),
                        (None, None) => "not published; 20 per parameter assumed".to_string(),
                        (Some(_), Some(pbl)) => format!("published: {}", format_count(pbl)),
                        (Some(_), None) => String::new(),
                    }))} />
                if s.tokens.is_some() {
                    <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Tokens(None))}>{ "Use the published count" }</button>
                }
            }
            if view.shows(ControlId::Fit) {
                <Select id="fit" label="Compute-optimal fit" options={fits} value={s.fit.id().to_string()}
                    on_change={on(&p.dispatch, |v: String| Action::Fit(Fit::from_id(&v).unwrap_or(Fit::Epoch)))}
                    help={Some(AttrValue::from(s.fit.source()))} />
            }
        </section>
    }
}

/// The key numbers, with the lesson each teaches.
#[function_component(KeyNumbers)]
pub fn key_numbers(p: &PanelProps) -> Html {
    let r = &p.report;
    let u = p.page.share.view.units;
    let i = &r.inference;
    let t = &r.training.memory;
    let b = |x: f64| format_bytes(x, u);
    let train = p.page.share.scenario.mode == Mode::Train;
    let cap = r.gpu.as_ref().map_or(0.0, |g| {
        if train {
            g.memory_bytes_each
        } else {
            g.memory_bytes_total
        }
    });
    let (total, fits) = if train {
        (t.total_bytes, r.training.fits)
    } else {
        (i.total_bytes, i.fits)
    };
    let card = |label: &str, value: String, note: String, class: &'static str| {
        html! {
            <div class={classes!("card", class)}><dt>{ label.to_string() }</dt><dd><strong>{ value }</strong><span>{ note }</span></dd></div>
        }
    };
    html! {
        <dl class="cards" aria-label="Key numbers" data-testid="key-numbers">
            { card("Weights", b(i.weights_bytes), "fixed: the same on every run".into(), "weights") }
            if train {
                { card("Gradients + optimizer", b(t.gradient_bytes + t.optimizer_bytes), "per GPU, training only".into(), "optimizer") }
                { card("Stored activations", b(t.activation_bytes), "per GPU, for the backward pass".into(), "activations") }
            } else {
                { card("KV cache", b(i.kv_cache_bytes), format!("{} per token", b(i.kv_cache_bytes_per_token)), "kv") }
                { card("Transient activations", b(i.activation_bytes), "working memory of a forward pass".into(), "activations") }
            }
            { card(if train { "Total per GPU" } else { "Total" }, b(total),
                format!("{} {} {}", if fits { "fits in" } else { "exceeds" }, b(cap), if fits { "✓" } else { "✗" }), if fits { "ok" } else { "bad" }) }
            if !train {
                { card("KV cache = weights at", i.kv_equals_weights_at_context.map_or("never".into(), |c| format!("{} tokens", format_int(c.ceil()))), "the text outgrows the model".into(), "") }
                { card("Decode ≥", format!("{} / token", format_seconds(i.decode_seconds_per_token_bound)), "memory-bandwidth bound".into(), "") }
            }
        </dl>
    }
}

/// Properties of [`WorkingPanel`] and its body.
#[derive(Properties, PartialEq, Clone)]
pub struct WorkingProps {
    /// The scenario.
    pub scenario: Scenario,
    /// Its report.
    pub report: Rc<Report>,
    /// Byte units.
    pub units: ByteUnits,
}

/// "Show working": every formula with the current values and its source. The lines are made
/// only while the disclosure is open.
#[function_component(WorkingPanel)]
pub fn working_panel(p: &WorkingProps) -> Html {
    html! {
        <Disclosure class="working" summary="Show working">
            <WorkingLines ..p.clone() />
        </Disclosure>
    }
}

/// The lines of [`WorkingPanel`].
#[function_component(WorkingLines)]
fn working_lines(p: &WorkingProps) -> Html {
    let lines = working(&p.scenario, &p.report, p.units);
    html! {
        <dl>
            { for lines.iter().map(|w| html! {
                <>
                    <dt>{ w.figure.clone() }</dt>
                    <dd><code>{ w.formula.clone() }</code><cite>{ w.source.clone() }</cite></dd>
                </>
            }) }
        </dl>
    }
}

/// The toolbar: units, theme, compare, copy link, embed.
#[derive(Properties, PartialEq, Clone)]
pub struct ToolbarProps {
    /// The presentation settings.
    pub view: View,
    /// Whether a scenario is pinned as A.
    pub comparing: bool,
    /// Dispatcher.
    pub dispatch: Callback<Action>,
    /// Copy the link.
    pub on_copy: Callback<()>,
    /// Status of the last copy ("Link copied", or the failure).
    pub copy_status: Option<String>,
}

/// Units, theme, compare, copy link.
#[function_component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    let v = &p.view;
    let comparing = p.comparing;
    let units = [(ByteUnits::Gib, "GiB (2³⁰)"), (ByteUnits::Gb, "GB (10⁹)")];
    let themes = [(Theme::Auto, "Auto"), (Theme::Light, "Light"), (Theme::Dark, "Dark")];
    let copy = p.on_copy.clone();
    html! {
        <div class="toolbar" role="toolbar" aria-label="View options">
            if v.shows(ControlId::Units) {
                <fieldset class="seg">
                    <legend class="sr-only">{ "Byte units" }</legend>
                    { for units.iter().map(|(u, l)| {
                        let d = p.dispatch.clone();
                        let u = *u;
                        html! { <label class="radio"><input type="radio" name="units" checked={v.units == u}
                            onchange={Callback::from(move |_: Event| d.emit(Action::Units(u)))} />{ *l }</label> }
                    }) }
                </fieldset>
            }
            <Select id="theme" label="Theme" options={themes.iter().map(|(t, l)| (t.id().to_string(), l.to_string())).collect::<Vec<_>>()}
                value={v.theme.id().to_string()} on_change={on(&p.dispatch, |t: String| Action::Theme(Theme::from_id(&t).unwrap_or(Theme::Auto)))} />
            if comparing {
                <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Swap)}>{ "Swap A/B" }</button>
                <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Unpin)}>{ "Stop comparing" }</button>
            } else {
                <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Pin)}
                    title="Keep this scenario as A and compare changes (B) against it">{ "Pin as A" }</button>
            }
            <button type="button" class="primary" onclick={Callback::from(move |_: MouseEvent| copy.emit(()))}>{ "Copy link" }</button>
            <span class="status" role="status">{ p.copy_status.clone().unwrap_or_default() }</span>
        </div>
    }
}

/// Properties of [`EmbedBuilder`].
#[derive(Properties, PartialEq, Clone)]
pub struct EmbedProps {
    /// What a link restores (the scenario the embed shows).
    pub state: share::State,
}

/// Builds the iframe snippet for the current view. Its choices survive closing it; its body is
/// built only while it is open.
#[function_component(EmbedBuilder)]
pub fn embed_builder(p: &EmbedProps) -> Html {
    let choice = EmbedChoice {
        state: p.state.clone(),
        charts: use_state(|| vec![ChartId::Memory]),
        controls: use_state(|| vec![share::ControlId::Ctx, share::ControlId::Batch]),
        theme: use_state(|| Theme::Auto),
        height: use_state(|| 720u32),
    };
    html! {
        <Disclosure class="embed-builder" id="embed" summary="Embed this view">
            <EmbedBody ..choice />
        </Disclosure>
    }
}

/// The embed builder's choices.
#[derive(Properties, PartialEq, Clone)]
pub struct EmbedChoice {
    /// What a link restores.
    pub state: share::State,
    /// Charts shown.
    pub charts: UseStateHandle<Vec<ChartId>>,
    /// Controls shown.
    pub controls: UseStateHandle<Vec<share::ControlId>>,
    /// Theme.
    pub theme: UseStateHandle<Theme>,
    /// Fallback iframe height.
    pub height: UseStateHandle<u32>,
}

/// The embed builder's form and snippet.
#[function_component(EmbedBody)]
fn embed_body(p: &EmbedChoice) -> Html {
    let (charts, controls, theme, height) = (&p.charts, &p.controls, &p.theme, &p.height);
    let base = super::browser::base_url();
    let mut state = p.state.clone();
    state.view = share::View {
        charts: (**charts).clone(),
        controls: Some((**controls).clone()),
        embed: true,
        theme: **theme,
        units: p.state.view.units,
    };
    let url = format!("{base}?{}", share::encode(&state));
    let snippet = format!(
        "<iframe src=\"{}\" title=\"llm-memviz: LLM memory\" data-llm-memviz width=\"100%\" height=\"{}\" loading=\"lazy\"></iframe>\n<script src=\"{}static/embed.js\" defer></script>",
        url.replace('&', "&amp;"),
        **height,
        base.trim_end_matches("index.html"),
    );
    let toggle_chart = |c: ChartId| {
        let charts = charts.clone();
        Callback::from(move |_: Event| {
            let mut v = (*charts).clone();
            if v.contains(&c) {
                v.retain(|x| *x != c)
            } else {
                v.push(c)
            }
            if !v.is_empty() {
                let order: Vec<ChartId> = ChartId::ALL.iter().copied().filter(|x| v.contains(x)).collect();
                charts.set(order);
            }
        })
    };
    let toggle_control = |c: share::ControlId| {
        let controls = controls.clone();
        Callback::from(move |_: Event| {
            let mut v = (*controls).clone();
            if v.contains(&c) {
                v.retain(|x| *x != c)
            } else {
                v.push(c)
            }
            let order: Vec<share::ControlId> = share::ControlId::ALL
                .iter()
                .copied()
                .filter(|x| v.contains(x))
                .collect();
            controls.set(order);
        })
    };
    let on_height = {
        let height = height.clone();
        Callback::from(move |e: Event| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = i.value().parse::<u32>() {
                height.set(v.clamp(200, 4000));
            }
        })
    };
    html! {
        <>
            <fieldset><legend>{ "Charts" }</legend>
                { for ChartId::ALL.iter().map(|c| html! {
                    <label class="check"><input type="checkbox" checked={charts.contains(c)} onchange={toggle_chart(*c)} />{ c.id() }</label>
                }) }
            </fieldset>
            <fieldset><legend>{ "Controls the reader can change" }</legend>
                { for share::ControlId::ALL.iter().map(|c| html! {
                    <label class="check"><input type="checkbox" checked={controls.contains(c)} onchange={toggle_control(*c)} />{ c.id() }</label>
                }) }
            </fieldset>
            <div class="grid2">
                <Select id="embed-theme" label="Theme" options={[Theme::Auto, Theme::Light, Theme::Dark].iter().map(|t| (t.id().to_string(), t.id().to_string())).collect::<Vec<_>>()}
                    value={theme.id().to_string()} on_change={{ let theme = theme.clone(); Callback::from(move |v: String| theme.set(Theme::from_id(&v).unwrap_or(Theme::Auto))) }} />
                <div class="control">
                    <label for="embed-height">{ "Height without embed.js (px)" }</label>
                    <input id="embed-height" type="number" min="200" max="4000" value={height.to_string()} onchange={on_height} />
                </div>
            </div>
            <label for="embed-snippet">{ "Snippet (the iframe resizes itself when the page includes embed.js)" }</label>
            <textarea id="embed-snippet" readonly=true rows="5" value={snippet} />
            <p><a href={url} target="_blank" rel="noopener">{ "Open the embedded view" }</a></p>
        </>
    }
}
