//! Words said in more than one place, each defined once: the page's fixed words that both the
//! app and the prerendered first view (`prerender`) show (the tagline, the memory chart's
//! one-line definition, each chart's title), and the figures and phrases the charts, the key
//! numbers and the CLI share (the KV = weights crossover, "beyond the trained context", the
//! llama.cpp split).

use crate::estimate::Report;
use crate::estimate::scenario::Verdict;
use crate::estimate::units::{ByteUnits, format_bytes, format_seconds};
use crate::share::{ChartId, Theme};

/// The line under the page's title.
pub const TAGLINE: &str = "Weights are fixed; the text's working memory grows. See where a language model's memory goes — and how much data it should be trained on.";

/// The one-line definition beside the memory chart, in the article's two terms.
pub const MEMORY_LEDE: &str = "Weights are the model's fixed, learned numbers. Activations are computed from your text; the KV cache is the activations kept for past tokens, so it grows with the length of the text.";

/// The question and answer under the key numbers at inference: why activations at all.
pub const EXPLAIN_INFERENCE: (&str, &str) = (
    "Why is there activation memory at inference?",
    "Weights are the model's learned numbers: the same bytes whatever you ask. Activations are the numbers computed from your text as it passes through the layers. Most are thrown away as soon as the next layer has them (the transient activations). But each layer keeps the keys and values it computed for every earlier token, so that each new token can look back at them: that cache of activations for past tokens (the KV cache) grows with the length of the text, and with the number of conversations served at once.",
);

/// The question and answer under the key numbers in training.
pub const EXPLAIN_TRAINING: (&str, &str) = (
    "Why does training need so much more memory than serving?",
    "Serving only reads the weights. Training also keeps a gradient for every weight, the optimizer's running averages (two more numbers per weight with Adam, usually in 32-bit), often a 32-bit master copy of the weights, and every layer's activations until the backward pass has used them. Recomputation, ZeRO sharding and more GPUs are the ways to make that fit.",
);

/// The embed builder's heading (a disclosure in the page's header).
pub const EMBED_THIS_VIEW: &str = "Embed this view";

/// The toolbar's words (the app's toolbar, and the first view's inert copy of it).
pub mod toolbar {
    use super::{ByteUnits, Theme};

    /// The toolbar's accessible name.
    pub const LABEL: &str = "View options";
    /// The units choice: its hidden legend and each option's label.
    pub const UNITS_LEGEND: &str = "Byte units";
    /// Each byte unit as the toolbar offers it.
    pub const UNITS: [(ByteUnits, &str); 2] = [(ByteUnits::Gib, "GiB (2³⁰)"), (ByteUnits::Gb, "GB (10⁹)")];
    /// The accessible name of the "?" beside the units.
    pub const UNITS_TERM: &str = "GiB or GB: what is the difference?";
    /// The theme menu's label and choices.
    pub const THEME: &str = "Theme";
    /// Each theme as the menu offers it.
    pub const THEMES: [(Theme, &str); 3] = [(Theme::Auto, "Auto"), (Theme::Light, "Light"), (Theme::Dark, "Dark")];
    /// Pin the scenario as A (and its tooltip).
    pub const PIN: (&str, &str) = ("Pin as A", "Keep this scenario as A and compare changes (B) against it");
    /// While comparing: swap, and stop.
    pub const SWAP: &str = "Swap A/B";
    /// While comparing: back to one scenario.
    pub const UNPIN: &str = "Stop comparing";
    /// Copy the page's link.
    pub const COPY_LINK: &str = "Copy link";
}

/// The line under a chart before the pointer is on it.
pub const READOUT_HINT: &str = "Point at the chart (or touch it) for exact values.";

/// A chart's name as readers see it (the heading over the chart, and the embed builder).
pub fn chart_title(c: ChartId) -> &'static str {
    match c {
        ChartId::Memory => "Memory vs context length",
        ChartId::Breakdown => "Where the memory goes: inference vs training",
        ChartId::Speed => "A long conversation slows down",
        ChartId::Serving => "Serving many at once",
        ChartId::Chinchilla => "How much data a model should see",
        ChartId::Isoflop => "Same compute, different sizes",
    }
}

/// The context where the KV cache equals the weights, as every view shows it: the first whole
/// token count at which the cache is at least the weights (the estimator's exact crossover,
/// rounded up), so the card, the chart, its table and the sentences say the same number.
pub fn crossover_tokens(r: &Report) -> Option<f64> {
    r.inference.kv_equals_weights_at_context.map(f64::ceil)
}

/// " — beyond the {trained} tokens {name} was trained for" when `tokens` is past the model's
/// trained context length, else nothing: every number past the limit says so.
pub fn beyond_limit(tokens: f64, r: &Report) -> String {
    let trained = r.model.arch.max_context as f64;
    if trained > 0.0 && tokens > trained {
        format!(
            " — beyond the {}-token context {} supports",
            crate::estimate::units::format_context(trained),
            r.model.name
        )
    } else {
        String::new()
    }
}

/// The fit verdict in words, the same on the card, the memory chart's read-out and sentence,
/// and the CLI: "fits on the GPU", "runs with 22 of 37 layers in system RAM", "runs with the
/// experts of 26 of 36 layers in system RAM", "does not fit". On unified memory (a Mac) what
/// does not fit the GPU's share runs on the CPU from the same memory: "on the CPU".
pub fn verdict(v: Verdict, gpus: u32, unified: bool) -> String {
    let ram = if unified { "on the CPU" } else { "in system RAM" };
    match v {
        Verdict::OnGpu if gpus > 1 => format!("fits on the {gpus} GPUs"),
        Verdict::OnGpu => "fits on the GPU".to_string(),
        Verdict::LayersInRam { layers, slots } => format!("runs with {layers} of {slots} layers {ram}"),
        Verdict::ExpertsInRam {
            layers,
            blocks,
            whole: 0,
        } => {
            format!("runs with the experts of {layers} of {blocks} layers {ram}")
        }
        Verdict::ExpertsInRam { layers, whole, .. } => {
            format!("runs with the experts of {layers} layers and {whole} whole layers {ram}")
        }
        Verdict::DoesNotFit => "does not fit".to_string(),
    }
}

/// Why the current scenario's verdict is what it is, in numbers: what the GPUs (and system RAM)
/// hold against what they have, or what the engine refuses.
pub fn verdict_why(r: &Report, units: ByteUnits) -> String {
    let i = &r.inference;
    let b = |x: f64| format_bytes(x, units);
    let engine = if i.engine == "none" {
        String::new()
    } else {
        format!(" usable by {}", engine_name(i.engine))
    };
    if let Some(why) = &i.refused {
        return why.clone();
    }
    match &i.offload {
        Some(o) if o.gpu_layers < o.slots || o.cpu_moe_layers > 0 || o.ram_bytes > o.ram_available_bytes => format!(
            "{} of {}{engine} on the GPU, {} of {} {}",
            b(o.vram_bytes),
            b(i.usable_memory_bytes),
            b(o.ram_bytes),
            b(o.ram_available_bytes),
            if r.gpu.as_ref().is_some_and(|g| g.unified_memory) {
                "left for the CPU"
            } else {
                "free system RAM"
            }
        ),
        _ => format!(
            "{} {} {}{engine}",
            b(i.total_bytes),
            if i.fits { "of" } else { "needed, only" },
            b(i.usable_memory_bytes)
        ),
    }
}

/// An engine's name from its link id.
fn engine_name(id: &str) -> &'static str {
    crate::estimate::engine::Engine::from_id(id).map_or("the engine", crate::estimate::engine::Engine::name)
}

/// What llama.cpp's split means for the reader: where the layers are, and what that costs
/// (`decode`: the report's decode step, `Scenario::decode_at`).
pub fn offload_sentence(
    o: &crate::estimate::engine::Offload,
    decode: &crate::estimate::speed::DecodeStep,
    units: ByteUnits,
) -> String {
    let how = if o.automatic { "as many as fit" } else { "as set by ngl" };
    let (vram, ram) = (format_bytes(o.vram_bytes, units), format_bytes(o.ram_bytes, units));
    let where_ = if o.cpu_moe_layers > 0 {
        let rest = if o.gpu_layers >= o.slots {
            "every layer else".to_string()
        } else {
            format!("{} of {} layers", o.gpu_layers, o.slots)
        };
        format!(
            "keeps the routed experts of {} layers in system RAM (--n-cpu-moe) and {rest} on the GPU ({vram}; {ram} in system RAM)",
            o.cpu_moe_layers
        )
    } else if o.gpu_layers >= o.slots {
        return format!(
            "llama.cpp puts all {} layers (blocks and output) on the GPU ({vram}); only the input embedding stays in system RAM.",
            o.slots
        );
    } else {
        format!(
            "keeps {} of {} layers on the GPU ({how}: {vram}) and the rest in system RAM ({ram})",
            o.gpu_layers, o.slots
        )
    };
    format!(
        "llama.cpp {where_}, so each token takes about {} (at best {}, system RAM at {:.1} GB/s).",
        format_seconds(decode.seconds),
        format_seconds(decode.seconds_bound),
        o.ram_bandwidth_bytes_per_s / 1e9
    )
}

/// Ready embeds for the article's claims: what each shows, and the link (a view of one chart
/// with the controls that make the claim happen within their range). `tests/charts.rs` checks
/// that each claim happens.
pub const READY_EMBEDS: [(&str, &str); 6] = [
    (
        "Weights are fixed; the KV cache grows with the text",
        "model=llama-3.1-8b&view=memory&controls=ctx",
    ),
    (
        "Serving many conversations, the KV cache outgrows the weights",
        "model=llama-3.1-8b&batch=16&view=memory&controls=ctx,batch",
    ),
    (
        "A long conversation runs out of memory on a 24 GB card although the model fits",
        "model=llama-3.1-8b&gpu=rtx-4090-24gb&view=memory&controls=ctx,gpu",
    ),
    (
        "A long conversation slows down",
        "model=llama-3.1-8b&gpu=rtx-4090-24gb&view=speed&controls=ctx",
    ),
    (
        "Chinchilla (70B on 1.4T tokens) beat Gopher (280B on 300B)",
        "model=chinchilla-70b&view=chinchilla,isoflop&controls=params,tokens",
    ),
    (
        "Double the model, double the tokens",
        "model=chinchilla-70b&view=chinchilla&controls=params",
    ),
];
