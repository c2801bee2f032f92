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
pub mod fit;
pub mod gguf;
pub mod hardware;
pub mod hf_config;
pub mod kv;
pub mod precision;
pub mod presets;
pub mod scenario;
pub mod speed;
pub mod training;
pub mod units;

pub use scenario::{Mode, Report, Scenario};

#[cfg(test)]
mod tests {
    use super::chinchilla::Fit;
    use super::engine::Engine;
    use super::precision::{KvDtype, WeightFormat};
    use super::training::{Optimizer, Recompute};

    /// What a `choice!` list promises, for every list: ids and labels are distinct and not
    /// empty, ids are lower case, and each id reads back (in any case) as its own value.
    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        id: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
        from_id: fn(&str) -> Option<T>,
    ) {
        let ids: std::collections::HashSet<_> = all.iter().map(|v| id(*v)).collect();
        let labels: std::collections::HashSet<_> = all.iter().map(|v| label(*v)).collect();
        assert_eq!((ids.len(), labels.len()), (all.len(), all.len()), "{all:?}");
        for v in all {
            assert!(!id(*v).is_empty() && !label(*v).is_empty(), "{v:?}");
            assert_eq!(id(*v), id(*v).to_ascii_lowercase(), "{v:?}");
            assert_eq!(from_id(id(*v)), Some(*v));
            assert_eq!(from_id(&id(*v).to_ascii_uppercase()), Some(*v));
        }
        assert_eq!(from_id("no-such-id"), None);
    }

    #[test]
    fn every_choice_reads_its_own_ids_and_names_each_value_once() {
        check(&Fit::ALL, Fit::id, Fit::label, Fit::from_id);
        check(&Engine::ALL, Engine::id, Engine::label, Engine::from_id);
        check(
            &WeightFormat::ALL,
            WeightFormat::id,
            WeightFormat::label,
            WeightFormat::from_id,
        );
        check(&KvDtype::ALL, KvDtype::id, KvDtype::label, KvDtype::from_id);
        check(&Optimizer::ALL, Optimizer::id, Optimizer::label, Optimizer::from_id);
        check(&Recompute::ALL, Recompute::id, Recompute::label, Recompute::from_id);
        assert_eq!(Engine::ALL.len(), 4);
        check(
            &super::speed::Split::ALL,
            super::speed::Split::id,
            super::speed::Split::label,
            super::speed::Split::from_id,
        );
        assert_eq!(WeightFormat::ALL.len(), 19);
    }
}
