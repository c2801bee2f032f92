//! The pure estimator: from a scenario (model, precision, context, batch, mode, hardware,
//! training data) to memory, speed and compute-optimal figures.
//!
//! This module knows nothing of the browser, the URL or the charts: no yew, web-sys,
//! wasm-bindgen, gloo or plotters imports (enforced by `tests/tidy.rs`). It compiles and is
//! tested natively, and every formula cites its source next to it.

/// A closed choice named in links, defined once: the enum, `ALL` in menu order, `id` (its key in
/// share links), `label` (what menus say) and `from_id` (case-insensitive), all from one list of
/// `Variant = ("id", "label")`. Derives beyond the six every choice has pass through as
/// attributes.
macro_rules! choice {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = ($id:literal, $label:literal)),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// Every value, in menu order.
            pub const ALL: [$name; [$($id),*].len()] = [$($name::$variant),*];
            /// Its key in share links.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),* }
            }
            /// What menus and sentences call it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
            /// The value with this id (case-insensitive).
            pub fn from_id(s: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|v| v.id().eq_ignore_ascii_case(s))
            }
        }
    };
}

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
