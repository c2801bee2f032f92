//! The page's fixed words that both the app and the prerendered first view (`prerender`)
//! show: the tagline, the memory chart's one-line definition and each chart's title. One
//! definition each, so the first paint and the mounted app say the same thing.

use crate::share::ChartId;

/// The line under the page's title.
pub const TAGLINE: &str = "Weights are fixed; the text's working memory grows. See where a language model's memory goes — and how much data it should be trained on.";

/// The one-line definition beside the memory chart, in the article's two terms.
pub const MEMORY_LEDE: &str = "Weights are the model's fixed, learned numbers. Activations are computed from your text; the KV cache is the activations kept for past tokens, so it grows with the length of the text.";

/// The line under a chart before the pointer is on it.
pub const READOUT_HINT: &str = "Point at the chart (or touch it) for exact values.";

/// A chart's name as readers see it (the heading over the chart, and the embed builder).
pub fn chart_title(c: ChartId) -> &'static str {
    match c {
        ChartId::Memory => "Memory vs context length",
        ChartId::Breakdown => "Where the memory goes: inference vs training",
        ChartId::Speed => "A long conversation slows down",
        ChartId::Chinchilla => "How much data a model should see",
        ChartId::Isoflop => "Same compute, different sizes",
    }
}
