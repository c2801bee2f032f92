//! The pure estimator: from a scenario (model, precision, context, batch, mode, hardware,
//! training data) to memory, speed and compute-optimal figures.
//!
//! This module knows nothing of the browser, the URL or the charts: no yew, web-sys,
//! wasm-bindgen, gloo or plotters imports (enforced by `tests/tidy.rs`). It compiles and is
//! tested natively, and every formula cites its source next to it.

pub mod activations;
pub mod arch;
pub mod arch_field;
pub mod catalog;
pub mod chinchilla;
pub mod engine;
pub mod gguf;
pub mod hardware;
pub mod hf_config;
pub mod kv;
pub mod precision;
pub mod presets;
pub mod scenario;
pub mod training;
pub mod units;

pub use scenario::{Mode, Report, Scenario};
