//! Control panels (model, precision, workload, training, hardware, training data) and the text
//! panels (key numbers, warnings, show working, embed builder). Props down, callbacks up: each
//! panel receives the page and a dispatcher and sends [`Action`]s.

use std::rc::Rc;

use yew::prelude::*;

use crate::chart::cards::{self, glossary};
use crate::chart::words::toolbar as tb;
use crate::chart::working::working;
use crate::estimate::Report;
use crate::estimate::arch_field::ArchField;
use crate::estimate::chinchilla::Fit;
use crate::estimate::engine::{self, Engine};
use crate::estimate::hardware;
use crate::estimate::precision::{KvDtype, WeightFormat};
use crate::estimate::presets;
use crate::estimate::scenario::{CUSTOM_ID, Mode, Scenario};
use crate::estimate::speed::Split;
use crate::estimate::training::{Optimizer, Recompute};
use crate::estimate::units::{ByteUnits, Suffixes, format_context, format_count, format_int};
use crate::share::{self, ChartId, ControlId, Theme, View, keys};
use crate::state::{Action, Page};

use super::controls::{Disclosure, Kind, LogSlider, NumberField, Select, Term};

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
    |p| {
        let s = &p.page.share.scenario;
        (s.weights, s.kv, s.engine, &s.model, &s.gpu, &p.page.share.view.controls, &p.report.model.arch)
    }
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
        (s.mode, s.training, s.mfu.to_bits(), &p.page.share.view.controls, &p.report.training.note)
    }
);
keyed_props!(
    /// [`HardwarePanel`]'s props.
    HardwareProps,
    |p| {
        let s = &p.page.share.scenario;
        (
            (&s.gpu, s.gpus, s.split, s.mode, s.engine, s.gpu_util.to_bits(), s.gpu_layers, s.ram_bw_gb_s.to_bits()),
            (s.ram_bytes.to_bits(), s.cpu_moe, s.gpu_mem.map(f64::to_bits), s.gpu_bw.map(f64::to_bits), s.gpu_tflops.map(f64::to_bits)),
            // The --n-cpu-moe hint depends on the whole memory at this context.
            (&p.report.model.arch, s.ctx, s.batch, s.weights, s.kv),
            &p.page.share.view.controls,
        )
    }
);
keyed_props!(
    /// [`DataPanel`]'s props.
    DataProps,
    |p| {
        let s = &p.page.share.scenario;
        (
            (&s.model, s.tokens, s.fit, p.report.chinchilla.training_tokens, &p.page.share.view.controls),
            (s.compute.map(f64::to_bits), s.inference_tokens.to_bits(), p.report.model.params.to_bits()),
        )
    }
);

/// A select's callback: the chosen option's value parsed into an action. The options come from
/// the same enum, so a value that does not parse is a bug: it changes nothing, and debug builds
/// say so on the console (an error never happens in silence).
fn on_choice<T: 'static>(
    d: &Callback<Action>,
    what: &'static str,
    parse: impl Fn(&str) -> Option<T> + 'static,
    act: impl Fn(T) -> Action + 'static,
) -> Callback<String> {
    let d = d.clone();
    Callback::from(move |v: String| match parse(&v) {
        Some(t) => d.emit(act(t)),
        None => super::browser::report_bug(&format!("{what}: the option '{v}' is not a known value")),
    })
}

fn on<T: 'static>(d: &Callback<Action>, f: impl Fn(T) -> Action + 'static) -> Callback<T> {
    let d = d.clone();
    Callback::from(move |v: T| d.emit(f(v)))
}

/// A control's bounds from its key's one definition (`share::keys`): the slider's visible
/// range, then the range a typed value is accepted in.
fn bounds(k: &keys::Key) -> (f64, f64, f64, f64) {
    let (lo, hi) = k.slider_range();
    let (tlo, thi) = k.range().unwrap_or((lo, hi));
    (lo, hi, tlo, thi)
}

/// The architecture fields the custom panel edits (the rest travel in links from imports).
const EDITABLE: [ArchField; 11] = [
    ArchField::Layers,
    ArchField::Hidden,
    ArchField::Heads,
    ArchField::KvHeads,
    ArchField::HeadDim,
    ArchField::Ffn,
    ArchField::Vocab,
    ArchField::Experts,
    ArchField::ExpertsActive,
    ArchField::Window,
    ArchField::GlobalEvery,
];

/// Model picker, size slider and custom architecture.
#[function_component(ModelPanel)]
pub fn model_panel(props: &ModelProps) -> Html {
    let p = &props.p;
    let view = &p.page.share.view;
    let s = &p.page.share.scenario;
    let r = &p.report;
    let mut options: Vec<(String, String)> = presets::all()
        .iter()
        .map(|m| (m.id.to_string(), m.name.to_string()))
        .collect();
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
    let b = bounds(&keys::PARAMS);
    html! {
        <section class="panel" aria-labelledby="h-model">
            <h2 id="h-model">{ "Model" }</h2>
            if view.shows(ControlId::Model) {
                <Select id="model" label="Preset" options={options} value={model}
                    on_change={on(&p.dispatch, |v: String| Action::text(&keys::MODEL, v))} />
            }
            if view.shows(ControlId::Params) {
                <LogSlider id="params" label="Parameters" value={r.model.params} min={b.0} max={b.1}
                    typed_min={b.2} typed_max={b.3} kind={Kind::Count}
                    on_change={on(&p.dispatch, |v: f64| Action::number(&keys::PARAMS, v))}
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
                        { for EDITABLE.iter().map(|&f| {
                            let key = f.key();
                            let (min, max) = f.range();
                            html! {
                                <NumberField id={format!("arch-{key}")} label={format!("{key} — {}", f.help())} value={f.get(arch)}
                                    min={min} max={max}
                                    on_change={on(&p.dispatch, move |v: f64| Action::Arch(f, Some(v as u64)))} />
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
    // Bits per weight of this model in each format (GGUF mixes depend on the tensor list).
    let arch = &p.report.model.arch;
    let params = p.report.model.derived_params.max(1.0);
    // The formats and cache types the engine offers (and the current one if it does not).
    let gpu = s.gpu();
    let shipped = crate::estimate::presets::shipped_weights(&s.model, s.engine);
    let weights: Vec<(String, String)> = WeightFormat::ALL
        .iter()
        .filter(|f| **f == s.weights || engine::runs_weights(s.engine, **f))
        .map(|f| {
            (
                f.id().to_string(),
                format!(
                    "{} — {:.3} bits{}{}",
                    f.name_on(gpu.as_deref()),
                    crate::estimate::precision::weight_bytes(arch, *f) * 8.0 / params,
                    if *f == shipped && shipped != WeightFormat::Bf16 {
                        " (shipped)"
                    } else {
                        ""
                    },
                    if engine::runs_weights(s.engine, *f) {
                        ""
                    } else {
                        " — not for this engine"
                    }
                ),
            )
        })
        .collect();
    let kv_types = engine::kv_types(s.engine);
    let kv: Vec<(String, String)> = KvDtype::ALL
        .iter()
        .filter(|k| **k == s.kv || kv_types.contains(k))
        .map(|k| {
            let bits = k.bytes() * 8.0;
            (
                k.id().to_string(),
                format!(
                    "{} ({} bits){}",
                    k.label(),
                    (bits * 1000.0).round() / 1000.0,
                    if kv_types.contains(k) {
                        ""
                    } else {
                        " — not for this engine"
                    }
                ),
            )
        })
        .collect();
    let kv_help = engine::kv_requirement(s.engine, s.kv).map(|r| {
        AttrValue::from(format!(
            "In llama.cpp {r}; -fa auto turns it on where the GPU supports it."
        ))
    });
    html! {
        <section class="panel" aria-labelledby="h-precision">
            <h2 id="h-precision">{ "Precision" }</h2>
            if view.shows(ControlId::Weights) {
                <Select id="weights" label="Weights" options={weights} value={s.weights.id().to_string()}
                    on_change={on(&p.dispatch, |v: String| Action::text(&keys::WEIGHTS, v))}
                    help={Some(AttrValue::from(format!("{}. {}", s.weights.scope_note(), s.weights.source())))} />
            }
            if view.shows(ControlId::Kv) {
                <Select id="kv" label="KV cache" options={kv} value={s.kv.id().to_string()}
                    on_change={on(&p.dispatch, |v: String| Action::text(&keys::KV, v))} help={kv_help} />
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
    let on_ctx = use_memo((), |_| on(&d, |v: f64| Action::number(&keys::CTX, v)));
    let on_batch = use_memo((), |_| on(&d, |v: f64| Action::number(&keys::BATCH, v)));
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
                    onchange={Callback::from(move |_: Event| d.emit(Action::text(&keys::MODE, m.id())))} />
                { label }
            </label>
        }
    };
    let b = bounds(&keys::CTX);
    let bb = bounds(&keys::BATCH);
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
                    value={s.ctx as f64} min={b.0} max={b.1} typed_min={b.2} typed_max={b.3} kind={Kind::Context}
                    on_change={(*on_ctx).clone()}
                    help={Some(AttrValue::from(format!("{} tokens; the model was trained for {}", format_int(s.ctx as f64), format_context(p.report.model.arch.max_context as f64))))} />
            }
            if view.shows(ControlId::Batch) {
                <LogSlider id="batch" label={if train { "Micro-batch (sequences per GPU)" } else { "Concurrent sequences (batch)" }}
                    value={s.batch as f64} min={bb.0} max={bb.1} typed_min={bb.2} typed_max={bb.3} kind={Kind::Integer}
                    on_change={(*on_batch).clone()} />
            }
            if view.shows(ControlId::Training) {
                <label class="check">
                    <input type="checkbox" checked={s.training.flash}
                        onchange={on(&p.dispatch, |e: Event| Action::flag(&keys::FLASH, e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                    { "FlashAttention" }
                </label>
                <Term id="term-flash" term="?" label={AttrValue::from("What is FlashAttention?")} explain={glossary::FLASH} />
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
    let rec: Vec<(String, String)> = Recompute::ALL
        .iter()
        .map(|r| (r.id().to_string(), r.label().to_string()))
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
    let bdp = bounds(&keys::DP);
    let btp = bounds(&keys::TP);
    let bpp = bounds(&keys::PP);
    let blora = bounds(&keys::LORA_RANK);
    let bmfu = bounds(&keys::MFU);
    html! {
        <section class="panel" aria-labelledby="h-training">
            <h2 id="h-training">{ "Training" }</h2>
            if let Some(n) = &p.report.training.note { <p class="note" role="status">{ n.clone() }</p> }
            <Select id="optimizer" label="Optimizer" options={opts} value={t.optimizer.id().to_string()}
                on_change={on(&p.dispatch, |v: String| Action::text(&keys::OPTIMIZER, v))} />
            <Select id="recompute" label="Activation recomputation" options={rec} value={t.recompute.id().to_string()}
                on_change={on(&p.dispatch, |v: String| Action::text(&keys::RECOMPUTE, v))} />
            <Select id="zero" label="ZeRO stage" options={zero} value={t.zero.to_string()}
                on_change={on_choice(&p.dispatch, "zero", |v: &str| v.parse::<f64>().ok(), |v| Action::number(&keys::ZERO, v))} />
            <div class="grid3">
                <NumberField id="dp" label="Data parallel" value={f64::from(t.dp)} min={bdp.2} max={bdp.3} on_change={on(&p.dispatch, |v: f64| Action::number(&keys::DP, v))} />
                <NumberField id="tp" label="Tensor parallel" value={f64::from(t.tp)} min={btp.2} max={btp.3} on_change={on(&p.dispatch, |v: f64| Action::number(&keys::TP, v))} />
                <NumberField id="pp" label="Pipeline parallel" value={f64::from(t.pp)} min={bpp.2} max={bpp.3} on_change={on(&p.dispatch, |v: f64| Action::number(&keys::PP, v))} />
            </div>
            <label class="check">
                <input type="checkbox" checked={t.sp}
                    onchange={on(&p.dispatch, |e: Event| Action::flag(&keys::SP, e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                { "Sequence parallelism" }
            </label>
            <label class="check">
                <input type="checkbox" id="master" checked={t.master}
                    onchange={on(&p.dispatch, |e: Event| Action::flag(&keys::MASTER, e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                { "fp32 master weights and optimizer states" }
            </label>
            <p class="help">{ if t.master { "Mixed precision: 16 bytes per trained parameter with AdamW." } else { "Pure bf16: 8 bytes per trained parameter with AdamW (torchtune's default)." } }</p>
            <NumberField id="lora" label="LoRA rank (0 = full training; with NF4 weights = QLoRA)" value={f64::from(t.lora_rank)} min={blora.2} max={blora.3}
                on_change={on(&p.dispatch, |v: f64| Action::number(&keys::LORA_RANK, v))} />
            <NumberField id="mfu" label="Model FLOPs utilisation (%, for the training time)" value={(s.mfu * 100.0).round()} min={bmfu.2 * 100.0} max={bmfu.3 * 100.0}
                on_change={on(&p.dispatch, |v: f64| Action::number(&keys::MFU, v / 100.0))} />
        </section>
    }
}

/// GPU and count.
#[function_component(HardwarePanel)]
pub fn hardware_panel(props: &HardwareProps) -> Html {
    let p = &props.p;
    let view = &p.page.share.view;
    let s = &p.page.share.scenario;
    if !view.shows(ControlId::Gpu) && !view.shows(ControlId::Gpus) && !view.shows(ControlId::Engine) {
        return html! {};
    }
    let mut gpus: Vec<(String, String)> = hardware::all()
        .iter()
        .map(|g| (g.id.to_string(), g.name.to_string()))
        .collect();
    let mut groups: Vec<&'static str> = hardware::all().iter().map(hardware::group).collect();
    gpus.push((
        hardware::CUSTOM_ID.to_string(),
        "Your own GPU (type its figures)".to_string(),
    ));
    groups.push("Other");
    let gpu = s.gpu();
    let gpu = gpu.as_deref();
    // The chosen card under the name it has now ("Apple M4 Max (64 GiB)").
    if let (Some(g), Some(o)) = (gpu, gpus.iter_mut().find(|(id, _)| *id == s.gpu)) {
        o.1 = g.name.to_string();
    }
    let unified = s.unified_memory();
    let engines: Vec<(String, String)> = Engine::ALL
        .iter()
        .map(|e| (e.id().to_string(), e.label().to_string()))
        .collect();
    let butil = bounds(&keys::GPU_UTIL);
    let b = bounds(&keys::GPUS);
    let splits: Vec<(String, String)> = Split::ALL
        .iter()
        .map(|x| {
            let label = if *x == Split::Auto {
                format!("{}: {}", x.label(), Split::Auto.resolve(s.engine).label())
            } else {
                x.label().to_string()
            };
            (x.id().to_string(), label)
        })
        .collect();
    let custom = s.gpu == hardware::CUSTOM_ID;
    let figures_open = custom || s.gpu_mem.is_some() || s.gpu_bw.is_some() || s.gpu_tflops.is_some();
    let (mem_min, mem_max) = keys::GPU_MEM.range().unwrap_or((1.0, 1.0));
    let gib = |b: f64| (b / 1_073_741_824.0 * 100.0).round() / 100.0;
    let moe_blocks = p.report.model.arch.moe.map(|_| p.report.model.arch.layers);
    html! {
        <section class="panel" aria-labelledby="h-hardware">
            <h2 id="h-hardware">{ "Hardware" }</h2>
            if view.shows(ControlId::Gpu) {
                <Select id="gpu" label="GPU" options={gpus} groups={groups} value={s.gpu.clone()} on_change={on(&p.dispatch, |v: String| Action::text(&keys::GPU, v))}
                    help={gpu.map(|g| AttrValue::from(gpu_help(g, s.engine)))} />
                <details class="gpu-figures" open={figures_open}>
                    <summary>{ if custom { "Your GPU's figures" } else if unified { "Memory size, bandwidth, FLOP/s" } else { "Another memory size, bandwidth or FLOP/s" } }</summary>
                    <NumberField id="gpu_mem" label={if unified { "Memory (the computer's, GiB as sold: \"64 GB\" = 64 GiB)" } else { "Memory (GiB as sold: a \"24 GB\" card has 24 GiB)" }}
                        value={gpu.map_or(0.0, |g| g.memory_bytes())} shown={gpu.map(|g| AttrValue::from(format!("{}", gib(g.memory_bytes()))))}
                        min={mem_min} max={mem_max} suffixes={Suffixes::Bytes} whole={false}
                        help={Some(AttrValue::from("A number is GiB; or say 20GB (10⁹ B), 24GiB, 1.5TB."))}
                        on_change={on(&p.dispatch, |v: f64| Action::number(&keys::GPU_MEM, v))} />
                    <NumberField id="gpu_bw" label="Memory bandwidth (GB/s)" value={gpu.map_or(0.0, |g| g.bandwidth_gb_s)}
                        shown={gpu.map(|g| AttrValue::from(g.bandwidth_gb_s.to_string()))}
                        min={bounds(&keys::GPU_BW).2} max={bounds(&keys::GPU_BW).3} whole={false}
                        on_change={on(&p.dispatch, |v: f64| Action::number(&keys::GPU_BW, v))} />
                    <NumberField id="gpu_tflops" label="Dense BF16 TFLOP/s" value={gpu.map_or(0.0, |g| g.bf16_tflops)}
                        shown={gpu.map(|g| AttrValue::from(g.bf16_tflops.to_string()))}
                        min={bounds(&keys::GPU_TFLOPS).2} max={bounds(&keys::GPU_TFLOPS).3} whole={false}
                        on_change={on(&p.dispatch, |v: f64| Action::number(&keys::GPU_TFLOPS, v))} />
                    if !custom && (s.gpu_mem.is_some() || s.gpu_bw.is_some() || s.gpu_tflops.is_some()) {
                        <button type="button" data-testid="gpu-figures-reset"
                            onclick={{
                                let d = p.dispatch.clone();
                                Callback::from(move |_: MouseEvent| {
                                    d.emit(Action::Reset(&keys::GPU_MEM));
                                    d.emit(Action::Reset(&keys::GPU_BW));
                                    d.emit(Action::Reset(&keys::GPU_TFLOPS));
                                })
                            }}>{ "Use the catalog's figures" }</button>
                    }
                </details>
            }
            if view.shows(ControlId::Engine) {
                <Select id="engine" label="Engine" options={engines} value={s.engine.id().to_string()}
                    on_change={on(&p.dispatch, |v: String| Action::text(&keys::ENGINE, v))}
                    help={Some(AttrValue::from(engine_help(s.engine, gpu)))} />
                if s.engine == Engine::LlamaCpp {
                    <Select id="ngl" label="Layers on the GPU (llama.cpp -ngl)" options={ngl_options(p.report.model.arch.layers)}
                        value={s.gpu_layers.map_or("auto".to_string(), |n| n.to_string())}
                        on_change={on(&p.dispatch, |v: String| v.parse::<f64>().map_or(Action::Reset(&keys::NGL), |n| Action::number(&keys::NGL, n)))} />
                    if let Some(blocks) = moe_blocks {
                        <Select id="cpu_moe" label="Experts in system RAM (llama.cpp --n-cpu-moe)" options={cpu_moe_options(blocks, s.cpu_moe)}
                            value={s.cpu_moe.to_string()}
                            on_change={on_choice(&p.dispatch, "cpu_moe", |v: &str| v.parse::<f64>().ok(), |v| Action::number(&keys::CPU_MOE, v))}
                            help={Some(AttrValue::from(cpu_moe_help(p)))} />
                    }
                    if !unified {
                        <Select id="ram" label="System RAM" options={ram_size_options(s.ram_bytes)}
                            value={s.ram_bytes.to_string()}
                            on_change={on_choice(&p.dispatch, "ram", |v: &str| v.parse::<f64>().ok(), |v| Action::number(&keys::RAM, v))}
                            help={Some(AttrValue::from(format!("What llama.cpp's CPU part must fit in, less {} the system keeps.", crate::estimate::units::format_bytes(crate::estimate::engine::OS_RESERVE_BYTES, crate::estimate::units::ByteUnits::Gib))))} />
                        <Select id="ram_bw" label="System memory speed (for what stays on the CPU)" options={ram_options(s.ram_bw_gb_s)}
                            value={s.ram_bw_gb_s.to_string()}
                            on_change={on_choice(&p.dispatch, "ram_bw", |v: &str| v.parse::<f64>().ok(), |v| Action::number(&keys::RAM_BW, v))} />
                    }
                }
                if s.engine == Engine::Vllm {
                    <NumberField id="gpu_util" label="GPU memory vLLM may use (%, gpu_memory_utilization)" value={(s.gpu_util * 100.0).round()} min={butil.2 * 100.0} max={butil.3 * 100.0}
                        on_change={on(&p.dispatch, |v: f64| Action::number(&keys::GPU_UTIL, v / 100.0))} />
                }
            }
            if s.mode == Mode::Train && view.shows(ControlId::Training) {
                <p class="note">{ "Training spreads over data × tensor × pipeline parallel GPUs (Training panel)." }</p>
            } else if unified {
                <p class="note" data-testid="unified-note">{ "One computer: the GPU and the CPU share one memory. What does not fit the GPU's share runs on the CPU from the same memory (llama.cpp); there is no separate system RAM and no GPU count." }</p>
            } else if view.shows(ControlId::Gpus) {
                <LogSlider id="gpus" label="GPUs (inference)" value={f64::from(s.gpus)} min={b.0} max={b.1}
                    typed_min={b.2} typed_max={b.3} kind={Kind::Integer} on_change={on(&p.dispatch, |v: f64| Action::number(&keys::GPUS, v))} />
                if s.gpus > 1 {
                    <Select id="split" label="How the GPUs share the model" options={splits} value={s.split.id().to_string()}
                        on_change={on(&p.dispatch, |v: String| Action::text(&keys::SPLIT, v))}
                        help={Some(AttrValue::from(split_help(s)))} />
                }
            }
        </section>
    }
}

/// The chosen GPU's figures, as its help line says them.
fn gpu_help(g: &hardware::Gpu, engine: Engine) -> String {
    let seen = match (g.memory, g.engine_mib) {
        (crate::estimate::catalog::MemoryKind::Unified, Some(m))
            if g.vendor == crate::estimate::catalog::Vendor::Apple =>
        {
            format!(" Metal lets the GPU use {} MiB of it.", format_int(m))
        }
        (crate::estimate::catalog::MemoryKind::Unified, Some(m)) => {
            format!(" The GPU may use {} MiB of it.", format_int(m))
        }
        (_, Some(m)) if engine != Engine::None => format!(" An engine sees {} MiB.", format_int(m)),
        _ => String::new(),
    };
    let fp8 = g.fp8_tflops.map_or(String::new(), |f| format!(", {f} FP8"));
    format!(
        "{} GiB, {} GB/s, {} TFLOP/s BF16{fp8} dense.{seen} {}",
        (g.memory_gib * 100.0).round() / 100.0,
        g.bandwidth_gb_s,
        g.bf16_tflops,
        g.note.clone().unwrap_or_default()
    )
}

/// `--n-cpu-moe` choices: none, each count, all.
fn cpu_moe_options(blocks: u64, current: u32) -> Vec<(String, String)> {
    let mut v = vec![("0".to_string(), "0 (experts on the GPU with their layers)".to_string())];
    v.extend((1..=blocks).map(|n| {
        let label = if n == blocks {
            format!("{n} (all: --cpu-moe)")
        } else {
            n.to_string()
        };
        (n.to_string(), label)
    }));
    if u64::from(current) > blocks {
        v.push((current.to_string(), format!("{current} (all)")));
    }
    v
}

/// What `--n-cpu-moe` would do here: the fewest that keeps every other layer on the GPU
/// (`estimate::fit::cpu_moe_for_all_layers`, as the advice finds it).
fn cpu_moe_help(p: &PanelProps) -> String {
    let s = &p.page.share.scenario;
    let m = s.resolve();
    match crate::estimate::fit::cpu_moe_for_all_layers(s, &m) {
        Some(0) => "Every layer, experts included, fits on the GPU.".to_string(),
        Some(n) => {
            format!("--n-cpu-moe {n} is the fewest that keeps every layer's attention and shared weights on the GPU.")
        }
        None => "Even with every expert in system RAM, the rest does not fit this GPU (or the RAM is too small)."
            .to_string(),
    }
}

/// System RAM choices (kit sizes, GiB as sold), with a size from a link offered too.
fn ram_size_options(current: f64) -> Vec<(String, String)> {
    const GIB: f64 = 1_073_741_824.0;
    let mut out: Vec<(String, String)> = [8.0, 16.0, 32.0, 48.0, 64.0, 96.0, 128.0, 192.0, 256.0, 512.0]
        .iter()
        .map(|g: &f64| {
            let label = if *g == 32.0 {
                "32 GB (a typical desktop)".to_string()
            } else {
                format!("{g} GB")
            };
            ((g * GIB).to_string(), label)
        })
        .collect();
    if !out.iter().any(|(x, _)| *x == current.to_string()) {
        out.push((
            current.to_string(),
            format!("{} GiB (from the link)", (current / GIB * 100.0).round() / 100.0),
        ));
    }
    out
}

/// What the chosen split means for speed.
fn split_help(s: &Scenario) -> String {
    match s.split() {
        Split::Tensor => "Every GPU reads its share of each layer at once: decoding gets faster with more GPUs, less than linearly (two all-reduces per layer).".to_string(),
        _ => "One token passes through the GPUs in turn: more GPUs add memory, not speed.".to_string(),
    }
}

/// The choices of llama.cpp's `-ngl`: as many as fit, or 0 … blocks + 1.
fn ngl_options(layers: u64) -> Vec<(String, String)> {
    let slots = layers + 1;
    let mut v = vec![("auto".to_string(), "As many as fit".to_string())];
    v.extend((0..=slots).rev().map(|n| {
        let label = match n {
            0 => "0 (all on the CPU)".to_string(),
            n if n == slots => format!("{n} (all: {layers} blocks + output)"),
            n => n.to_string(),
        };
        (n.to_string(), label)
    }));
    v
}

/// System-memory choices, GB/s (a value from a link that is not listed is offered too).
fn ram_options(current: f64) -> Vec<(String, String)> {
    // Channels × 8 bytes × transfer rate (JEDEC DDR4 / DDR5 data rates).
    let mut v: Vec<(f64, &str)> = vec![
        (51.2, "DDR4-3200, 2 channels: 51.2 GB/s"),
        (89.6, "DDR5-5600, 2 channels: 89.6 GB/s (typical desktop)"),
        (102.4, "DDR5-6400, 2 channels: 102.4 GB/s"),
        (307.2, "DDR5-4800, 8 channels (workstation): 307.2 GB/s"),
    ];
    let mut out: Vec<(String, String)> = v.drain(..).map(|(x, l)| (x.to_string(), l.to_string())).collect();
    if !out.iter().any(|(x, _)| *x == current.to_string()) {
        out.push((current.to_string(), format!("{current} GB/s (from the link)")));
    }
    out
}

/// One line on what an engine adds, for the engine picker (its runtime named for the GPU).
fn engine_help(e: Engine, gpu: Option<&hardware::Gpu>) -> String {
    let runtime = crate::estimate::engine::runtime_name(gpu);
    let context = if crate::estimate::engine::runtime_context_bytes(gpu) > 0.0 {
        format!(", plus the {runtime} context")
    } else {
        String::new()
    };
    match e {
        Engine::None => "The tensors alone: weights, KV cache and working memory (prompts in 8,192-token chunks).".to_string(),
        Engine::Transformers => format!("model.generate: the whole prompt in one pass; with several GPUs each holds its layers' working memory{context}."),
        Engine::Vllm => "Uses gpu_memory_utilization of each card as the driver reports it; reserves one full step's working memory and the sampler's logits at start-up; the rest is KV cache. Tensor parallelism must divide the attention heads.".to_string(),
        Engine::LlamaCpp => format!("Runs GGUF files; prompts in n_ubatch = 512-token steps (its compute buffer holds their logits){context}; layers or experts that do not fit stay in system RAM."),
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
    // The preset's published count describes the preset as published, not a resized one.
    let modified = s.params.is_some() || !s.arch.is_empty();
    let b = bounds(&keys::TOKENS);
    html! {
        <section class="panel" aria-labelledby="h-data">
            <h2 id="h-data">{ "Training data" }</h2>
            if view.shows(ControlId::Tokens) {
                <LogSlider id="tokens" label="Training tokens" value={r.chinchilla.training_tokens} min={b.0} max={b.1}
                    typed_min={b.2} typed_max={b.3} kind={Kind::Count} on_change={on(&p.dispatch, |v: f64| Action::number(&keys::TOKENS, v))}
                    help={Some(AttrValue::from(match (s.tokens, published, modified) {
                        (None, Some(_), false) => "the published count".to_string(),
                        (None, Some(pbl), true) => format!("20 per parameter assumed: the published {} was for the unmodified preset", format_count(pbl)),
                        (None, None, _) => "not published; 20 per parameter assumed".to_string(),
                        (Some(_), Some(pbl), false) => format!("published: {}", format_count(pbl)),
                        (Some(_), _, _) => String::new(),
                    }))} />
                if s.tokens.is_some() {
                    <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Reset(&keys::TOKENS))}>
                        { if published.is_some() && !modified { "Use the published count" } else { "Use 20 per parameter" } }
                    </button>
                }
            }
            if view.shows(ControlId::Fit) {
                <Select id="fit" label="Compute-optimal fit" options={fits} value={s.fit.id().to_string()}
                    on_change={on(&p.dispatch, |v: String| Action::text(&keys::FIT, v))}
                    help={Some(AttrValue::from(s.fit.source()))} />
            }
            if view.shows(ControlId::Tokens) {
                <NumberField id="compute" label="Compute budget (FLOPs)" value={s.compute.unwrap_or(r.chinchilla.training_flops)}
                    shown={Some(AttrValue::from(format!("{:.3e}", s.compute.unwrap_or(r.chinchilla.training_flops))))}
                    min={bounds(&keys::COMPUTE).2} max={bounds(&keys::COMPUTE).3} whole={false}
                    help={Some(AttrValue::from(format!(
                        "{} — its compute-optimal model: {} on {} tokens",
                        if s.compute.is_some() { "your budget" } else { "this model's 6·N·D" },
                        format_count(r.chinchilla.compute_optimal_params),
                        format_count(r.chinchilla.compute_optimal_tokens)
                    )))}
                    on_change={on(&p.dispatch, |v: f64| Action::number(&keys::COMPUTE, v))} />
                if s.compute.is_some() {
                    <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Reset(&keys::COMPUTE))}>{ "Use this model's compute" }</button>
                }
                <NumberField id="inference_tokens" label="Tokens it will serve (over its life)" value={s.inference_tokens}
                    shown={Some(AttrValue::from(crate::share::encode_count(s.inference_tokens)))}
                    min={bounds(&keys::INFERENCE_TOKENS).2} max={bounds(&keys::INFERENCE_TOKENS).3}
                    help={Some(AttrValue::from(match r.chinchilla.inference_aware.filter(|a| a.inference_tokens > 0.0) {
                        Some(a) => format!("the cheapest model of this loss serving them: {} on {} tokens", format_count(a.params), format_count(a.tokens)),
                        None => "e.g. 2T: a model served for years is cheaper smaller and trained longer (Sardana et al. 2024)".to_string(),
                    }))}
                    on_change={on(&p.dispatch, |v: f64| Action::number(&keys::INFERENCE_TOKENS, v))} />
            }
        </section>
    }
}

/// The key numbers, with the lesson each teaches ([`crate::chart::cards`] says what each card
/// holds; this turns it into markup, with each term's explanation on tap).
#[function_component(KeyNumbers)]
pub fn key_numbers(p: &PanelProps) -> Html {
    let r = &p.report;
    let s = &p.page.share.scenario;
    // The report found the advice once (estimate::fit); this only words it.
    let advice = cards::advice(s, r);
    let k = cards::key_numbers(s, r, p.page.share.view.units, advice.as_deref());
    let pieces = |ps: &[cards::Piece]| -> Html {
        ps.iter()
            .map(|piece| match piece {
                cards::Piece::Text(t) => Html::from(t.clone()),
                cards::Piece::Term { id, term, explain } => html! { <Term id={*id} term={*term} explain={*explain} /> },
                cards::Piece::Span { class, testid, text } => {
                    html! { <span class={*class} data-testid={*testid}>{ text.clone() }</span> }
                }
            })
            .collect()
    };
    html! {
        <dl class="cards" aria-label={k.label} data-testid="key-numbers">
            { for k.cards.iter().map(|c| html! {
                <div class={classes!("card", c.class)}><dt>{ pieces(&c.label) }</dt><dd><strong>{ c.value.clone() }</strong><span>{ pieces(&c.note) }</span></dd></div>
            }) }
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
    let copy = p.on_copy.clone();
    html! {
        <div class="toolbar" role="toolbar" aria-label={tb::LABEL}>
            if v.shows(ControlId::Units) {
                <fieldset class="seg">
                    <legend class="sr-only">{ tb::UNITS_LEGEND }</legend>
                    { for tb::UNITS.iter().map(|(u, l)| {
                        let d = p.dispatch.clone();
                        let u = *u;
                        html! { <label class="radio"><input type="radio" name="units" checked={v.units == u}
                            onchange={Callback::from(move |_: Event| d.emit(Action::Units(u)))} />{ *l }</label> }
                    }) }
                </fieldset>
            }
            if v.shows(ControlId::Units) {
                <Term id="term-gib" term="?" label={AttrValue::from(tb::UNITS_TERM)} explain={glossary::GIB} />
            }
            <Select id="theme" label={tb::THEME} options={tb::THEMES.iter().map(|(t, l)| (t.id().to_string(), l.to_string())).collect::<Vec<_>>()}
                value={v.theme.id().to_string()} on_change={on_choice(&p.dispatch, "theme", Theme::from_id, Action::Theme)} />
            if comparing {
                <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Swap)}>{ tb::SWAP }</button>
                <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Unpin)}>{ tb::UNPIN }</button>
            } else {
                <button type="button" onclick={on(&p.dispatch, |_: MouseEvent| Action::Pin)}
                    title={tb::PIN.1}>{ tb::PIN.0 }</button>
            }
            <button type="button" class="primary" onclick={Callback::from(move |_: MouseEvent| copy.emit(()))}>{ tb::COPY_LINK }</button>
            <span class="status" role="status">{ p.copy_status.clone().unwrap_or_default() }</span>
        </div>
    }
}

/// A control group's name as readers see it (the embed builder).
pub fn control_label(c: ControlId) -> &'static str {
    match c {
        ControlId::Model => "Model",
        ControlId::Params => "Parameter count",
        ControlId::Arch => "Architecture details",
        ControlId::Weights => "Weight precision",
        ControlId::Kv => "KV cache precision",
        ControlId::Ctx => "Context length",
        ControlId::Batch => "Conversations at once (batch)",
        ControlId::Mode => "Inference / training",
        ControlId::Training => "Training settings",
        ControlId::Gpu => "GPU",
        ControlId::Gpus => "GPU count",
        ControlId::Engine => "Inference engine",
        ControlId::Tokens => "Training tokens",
        ControlId::Fit => "Compute-optimal fit",
        ControlId::Units => "GiB / GB",
    }
}

/// The controls that make a chart's lesson happen: what an embed of that chart offers by
/// default (the memory chart's out-of-memory claim needs a smaller GPU than the default H100;
/// Chinchilla's claims move with the size and the data).
pub fn claim_controls(c: ChartId) -> &'static [ControlId] {
    match c {
        ChartId::Memory => &[ControlId::Ctx, ControlId::Gpu],
        ChartId::Speed => &[ControlId::Ctx],
        ChartId::Breakdown => &[ControlId::Ctx, ControlId::Mode],
        ChartId::Serving => &[ControlId::Batch],
        ChartId::Chinchilla => &[ControlId::Params, ControlId::Tokens],
        ChartId::Isoflop => &[ControlId::Tokens],
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
    let first = p.state.view.charts.first().copied().unwrap_or(ChartId::Memory);
    let choice = EmbedChoice {
        state: p.state.clone(),
        charts: use_state(|| vec![first]),
        controls: use_state(|| None::<Vec<ControlId>>),
        theme: use_state(|| Theme::Auto),
        height: use_state(|| None::<u32>),
        measured: use_state(|| None::<(String, u32)>),
        copied: use_state(|| None::<String>),
        title: use_state(|| None::<String>),
        chart_only: use_state(|| false),
    };
    html! {
        <Disclosure class="embed-builder" id="embed" summary={crate::chart::words::EMBED_THIS_VIEW} initially_open={super::browser::location_hash() == "#embed"}>
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
    /// Controls shown; `None` until the editor picks: the main control of each chosen chart.
    pub controls: UseStateHandle<Option<Vec<ControlId>>>,
    /// Theme.
    pub theme: UseStateHandle<Theme>,
    /// Iframe height the editor typed (without embed.js), overriding the measured one.
    pub height: UseStateHandle<Option<u32>>,
    /// The embed's height measured at [`MEASURE_WIDTH_PX`], and the URL it was measured for.
    pub measured: UseStateHandle<Option<(String, u32)>>,
    /// Result of the last Copy.
    pub copied: UseStateHandle<Option<String>>,
    /// The frame's title the editor typed (its accessible name).
    pub title: UseStateHandle<Option<String>>,
    /// `chart_only`: the figures without their sentences and tables on screen (shorter).
    pub chart_only: UseStateHandle<bool>,
}

/// The narrowest screen the snippet's fixed height must hold (a small phone).
const MEASURE_WIDTH_PX: u32 = 360;
/// Room added to the measured height, so a font that renders a little taller still fits.
const MEASURE_SLACK_PX: u32 = 12;
/// The height used until the measurement arrives.
const FALLBACK_HEIGHT_PX: u32 = 900;

/// The embed builder's form and snippet.
#[function_component(EmbedBody)]
fn embed_body(p: &EmbedChoice) -> Html {
    let (charts, controls, theme) = (&p.charts, &p.controls, &p.theme);
    let chosen_controls: Vec<ControlId> = (**controls).clone().unwrap_or_else(|| {
        ControlId::ALL
            .iter()
            .copied()
            .filter(|c| charts.iter().any(|ch| claim_controls(*ch).contains(c)))
            .collect()
    });
    let base = super::browser::base_url();
    let mut state = p.state.clone();
    state.view = share::View {
        charts: (**charts).clone(),
        controls: Some(chosen_controls.clone()),
        embed: true,
        chart_only: *p.chart_only,
        theme: **theme,
        units: p.state.view.units,
        ..share::View::default()
    };
    let url = format!("{base}?{}", share::encode(&state));
    let measured = p.measured.as_ref().filter(|(u, _)| *u == url).map(|(_, h)| *h);
    let height = (*p.height).or_else(|| measured.map(|h| h + MEASURE_SLACK_PX));
    // The frame's accessible name: the figures' own titles unless the editor writes one.
    let default_title = format!(
        "llm-memviz: {}",
        charts
            .iter()
            .map(|c| crate::chart::words::chart_title(*c))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    let title = (*p.title)
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| default_title.clone());
    let attr = |t: &str| t.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    // No snippet until its height is known: a guessed height is wrong somewhere.
    let snippet = height.map_or_else(
        || format!("Measuring the view on a {MEASURE_WIDTH_PX} px phone…"),
        |height| {
            format!(
                "<iframe src=\"{}\" title=\"{}\" data-llm-memviz width=\"100%\" height=\"{}\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>\n<script src=\"{}static/embed.js\" defer></script>",
                url.replace('&', "&amp;"),
                attr(&title),
                height,
                base.trim_end_matches("index.html"),
            )
        },
    );
    let height = height.unwrap_or(FALLBACK_HEIGHT_PX);
    // The view is loaded, hidden, in a frame MEASURE_WIDTH_PX wide, and its height read (same
    // origin) until it holds still: the height that holds it on a small phone.
    let frame = use_node_ref();
    {
        let (frame, measured) = (frame.clone(), p.measured.clone());
        use_effect_with(url.clone(), move |url| {
            let url = url.clone();
            let last = std::rc::Rc::new(std::cell::Cell::new((0u32, 0u32)));
            let timer = gloo_timers::callback::Interval::new(250, move || {
                let Some(h) = frame
                    .cast::<web_sys::HtmlIFrameElement>()
                    .and_then(|f| f.content_document())
                    .filter(|d| {
                        d.query_selector(".app figure.chart .svg-host svg")
                            .ok()
                            .flatten()
                            .is_some()
                    })
                    .and_then(|d| d.body())
                    .map(|b| b.get_bounding_client_rect().height().ceil() as u32)
                else {
                    return;
                };
                let (prev, same) = last.get();
                let same = if h == prev { same + 1 } else { 0 };
                last.set((h, same));
                if same == 2 {
                    measured.set(Some((url.clone(), h)));
                }
            });
            move || drop(timer)
        });
    }
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
    let toggle_control = |c: ControlId| {
        let controls = controls.clone();
        let current = chosen_controls.clone();
        Callback::from(move |_: Event| {
            let mut v = current.clone();
            if v.contains(&c) {
                v.retain(|x| *x != c)
            } else {
                v.push(c)
            }
            let order: Vec<ControlId> = ControlId::ALL.iter().copied().filter(|x| v.contains(x)).collect();
            controls.set(Some(order));
        })
    };
    let on_height = {
        let (height, said) = (p.height.clone(), p.copied.clone());
        Callback::from(move |e: Event| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            let raw = i.value();
            match raw.trim().parse::<u32>() {
                Ok(v) if (200..=4000).contains(&v) => height.set(Some(v)),
                _ if raw.trim().is_empty() => height.set(None),
                _ => {
                    height.set(None);
                    said.set(Some(format!(
                        "'{}' is not a height from 200 to 4000 px: the measured height is used",
                        crate::estimate::units::clip(raw.trim())
                    )));
                }
            }
        })
    };
    let on_copy = {
        let (copied, snippet) = (p.copied.clone(), snippet.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, snippet) = (copied.clone(), snippet.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let ok = super::browser::copy_text(&snippet).await;
                copied.set(Some(if ok {
                    "Snippet copied".to_string()
                } else {
                    "The browser refused the clipboard: select the snippet and copy it".to_string()
                }));
            });
        })
    };
    let height_help = match (*p.height, measured) {
        (Some(_), _) => "typed; clear the field to use the measured height".to_string(),
        (None, Some(h)) => format!("measured: the view is {h} px tall on a {MEASURE_WIDTH_PX} px wide phone"),
        (None, None) => format!("measuring the view at {MEASURE_WIDTH_PX} px wide…"),
    };
    html! {
        <>
            <fieldset><legend>{ "Charts" }</legend>
                { for ChartId::ALL.iter().map(|c| html! {
                    <label class="check"><input type="checkbox" value={c.id()} checked={charts.contains(c)} onchange={toggle_chart(*c)} />{ crate::chart::words::chart_title(*c) }</label>
                }) }
            </fieldset>
            <fieldset><legend>{ "Controls the reader can change" }</legend>
                { for ControlId::ALL.iter().map(|c| html! {
                    <label class="check"><input type="checkbox" value={c.id()} checked={chosen_controls.contains(c)} onchange={toggle_control(*c)} />{ control_label(*c) }</label>
                }) }
            </fieldset>
            <div class="grid2">
                <Select id="embed-theme" label="Theme" options={[(Theme::Auto, "Follow the reader's system"), (Theme::Light, "Light"), (Theme::Dark, "Dark")].iter().map(|(t, l)| (t.id().to_string(), l.to_string())).collect::<Vec<_>>()}
                    value={theme.id().to_string()} on_change={{ let theme = theme.clone(); Callback::from(move |v: String| match Theme::from_id(&v) {
                        Some(t) => theme.set(t),
                        None => super::browser::report_bug(&format!("embed theme: the option '{v}' is not a known value")),
                    }) }} />
                <div class="control">
                    <label for="embed-height">{ "Height without embed.js (px)" }</label>
                    <input id="embed-height" type="text" inputmode="numeric" value={height.to_string()} onchange={on_height} aria-describedby="embed-height-help" />
                    <p class="help" id="embed-height-help" data-testid="embed-height-help">{ height_help }</p>
                </div>
            </div>
            <label class="check"><input type="checkbox" id="embed-chart-only" checked={*p.chart_only} onchange={{ let c = p.chart_only.clone(); Callback::from(move |_: Event| c.set(!*c)) }} />
                { "Charts only: no sentence or data table on screen (screen readers still hear the sentence)" }</label>
            <div class="control">
                <label for="embed-title">{ "Title (what a screen reader announces for the frame)" }</label>
                <input id="embed-title" type="text" value={title.clone()} onchange={{ let t = p.title.clone(); Callback::from(move |e: Event| {
                    let i: web_sys::HtmlInputElement = e.target_unchecked_into();
                    t.set(Some(i.value()));
                }) }} />
            </div>
            <label for="embed-snippet">{ "Snippet (the iframe resizes itself when the page includes embed.js)" }</label>
            <textarea id="embed-snippet" readonly=true rows="5" value={snippet} />
            <div class="row">
                <button type="button" class="primary" onclick={on_copy} disabled={measured.is_none() && p.height.is_none()}>{ "Copy snippet" }</button>
                <span class="status" role="status">{ (*p.copied).clone().unwrap_or_default() }</span>
                <a href={url.clone()} target="_blank" rel="noopener">{ "Open the embedded view" }</a>
            </div>
            <iframe class="embed-measure" ref={frame} src={url} title="The embedded view, measured at phone width" aria-hidden="true" tabindex="-1"></iframe>
            <details class="ready-embeds">
                <summary>{ "Ready embeds for the article's claims" }</summary>
                <ul>
                    { for crate::chart::words::READY_EMBEDS.iter().map(|(claim, q)| html! {
                        <li><a href={format!("?v={}&{q}#embed", share::VERSION)}>{ *claim }</a></li>
                    }) }
                </ul>
                <p class="help">{ "Each opens this builder on a view where the claim happens within its controls' range." }</p>
            </details>
        </>
    }
}
