//! llm-memviz: where a large language model's memory goes, and how much data it should be
//! trained on.
//!
//! - [`estimate`]: the pure estimator (weights, KV cache, activations, training, Chinchilla).
//! - [`share`]: the share-link format, query string ⇄ scenario, never failing.
//! - [`chart`]: one `draw` function per chart, generic over plotters' backends.
//! - `ui` (wasm32 only): the yew component tree.
//! - `cli` (native only): the `llm-memviz` command-line tool.
//! - `prerender`: the first view, written into `dist/index.html` at build time (a bare URL) and
//!   drawn at start-up for a link, before the app mounts.
//!
//! See ARCHITECTURE.md for the invariants between them.

pub mod estimate;
pub mod share;

pub mod chart;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod prerender;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod ui;
