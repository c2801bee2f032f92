//! The key numbers above the charts, as plain data: what each card says, defined once for the
//! app (`ui::panels::KeyNumbers` turns it into yew markup, with its explanations on tap) and
//! for the first view drawn before the app mounts (`prerender` writes it as HTML). Every card
//! of a mode is on one basis: the whole deployment at inference, one GPU in training.

use crate::estimate::Report;
use crate::estimate::engine::Engine;
use crate::estimate::scenario::{Mode, Scenario};
use crate::estimate::units::{ByteUnits, format_bytes, format_context, format_int, format_seconds};

/// Plain explanations of the jargon on the page, each reachable by tap and keyboard (the app's
/// `Term`).
pub mod glossary {
    /// "forward pass".
    pub const FORWARD_PASS: &str = "One run of your text through every layer of the model, first to last. Each layer's working numbers (queries, keys, values, the MLP's intermediates) are freed as soon as the layer has added its result.";
    /// "memory-bandwidth bound".
    pub const BANDWIDTH_BOUND: &str = "To write each new token the GPU must read every weight and the whole KV cache from its memory. This is how long that reading alone takes at the GPU's memory speed, so real decoding is at least this slow.";
    /// "FlashAttention".
    pub const FLASH: &str = "FlashAttention computes attention in small tiles, so the table of scores between every pair of tokens (s × s numbers for s tokens) is never stored whole. Without it, that table grows with the square of the length.";
    /// "GiB" and "GB".
    pub const GIB: &str = "GiB (gibibyte) = 2³⁰ = 1,073,741,824 bytes: what nvidia-smi and operating systems show. GB (gigabyte) = 10⁹ bytes: what vendors print on the box. 80 GiB = 85.9 GB.";
    /// "KV cache".
    pub const KV_CACHE: &str = "For every past token, each layer keeps its keys and values (activations computed from the text) so that new tokens can look back at them. It grows with the length of the text, and with the number of conversations served at once.";
}

/// One piece of a card's label or note.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Plain words.
    Text(String),
    /// A term with its explanation (`id` is the explanation's DOM id).
    Term {
        /// DOM id of the explanation.
        id: &'static str,
        /// The words explained.
        term: &'static str,
        /// The explanation.
        explain: &'static str,
    },
    /// A sentence that tests and styles find by its class and test id.
    Span {
        /// CSS class.
        class: &'static str,
        /// `data-testid`.
        testid: &'static str,
        /// The words.
        text: String,
    },
}

/// One key number: its label, the value in bold, the note under it, and the card's class
/// (its colour: the memory kind, or whether it fits).
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// What the number is.
    pub label: Vec<Piece>,
    /// The number.
    pub value: String,
    /// What it means.
    pub note: Vec<Piece>,
    /// CSS class beside `card`.
    pub class: &'static str,
}

/// The key numbers of a scenario, with the list's accessible name.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyNumbers {
    /// The list's `aria-label`.
    pub label: &'static str,
    /// The cards, in order.
    pub cards: Vec<Card>,
}

/// The advice sentence under "Total" (what would make it fit, or what is to spare), when there
/// is one. It evaluates the scenario a few dozen times: the app computes it once per scenario.
pub fn advice(s: &Scenario, r: &Report) -> Option<String> {
    if s.mode == Mode::Train {
        super::advice::training_advice(s, r).map(|a| super::advice::training_advice_sentence(&a, s))
    } else {
        super::advice::inference_advice(s, r).map(|a| super::advice::inference_advice_sentence(&a, r))
    }
}

fn text(t: impl Into<String>) -> Vec<Piece> {
    vec![Piece::Text(t.into())]
}

/// The key numbers of `s` (evaluated as `r`), in `units`, with `advice` (from [`advice`]).
pub fn key_numbers(s: &Scenario, r: &Report, units: ByteUnits, advice: Option<&str>) -> KeyNumbers {
    let i = &r.inference;
    let t = &r.training.memory;
    let b = |x: f64| format_bytes(x, units);
    let train = s.mode == Mode::Train;
    let cap = r.gpu.as_ref().map_or(0.0, |g| {
        if train {
            g.memory_bytes_each
        } else {
            i.usable_memory_bytes
        }
    });
    let (total, fits) = if train {
        (t.total_bytes, r.training.fits)
    } else {
        (i.total_bytes, i.fits)
    };
    let card = |label: Vec<Piece>, value: String, note: Vec<Piece>, class: &'static str| Card {
        label,
        value,
        note,
        class,
    };
    let mut total_note = text(format!(
        "{} {}{} {}",
        if fits { "fits in" } else { "exceeds" },
        b(cap),
        if !train && s.engine != Engine::None {
            format!(" usable by {}", s.engine.label())
        } else {
            String::new()
        },
        if fits { "✓" } else { "✗" }
    ));
    if !train && i.engine_overhead_bytes > 0.0 {
        total_note.push(Piece::Span {
            class: "engine-note",
            testid: "engine-overhead",
            text: format!(" Includes {} the engine holds itself.", b(i.engine_overhead_bytes)),
        });
    }
    if let Some(a) = advice {
        total_note.push(Piece::Span {
            class: "advice",
            testid: "fit-advice",
            text: format!(" {a}"),
        });
    }
    if let Some(o) = i.offload.filter(|o| !train && o.gpu_layers < o.slots) {
        total_note.push(Piece::Span {
            class: "advice",
            testid: "offload",
            text: format!(
                " {} of {} layers on the GPU; {} in system RAM.",
                o.gpu_layers,
                o.slots,
                b(o.ram_bytes)
            ),
        });
    }
    let mut cards = if train {
        vec![
            card(
                text("Weights"),
                b(t.weights_bytes),
                text("per GPU: the share of the model this GPU holds"),
                "weights",
            ),
            card(
                text("Gradients + optimizer"),
                b(t.gradient_bytes + t.optimizer_bytes),
                text("per GPU, training only"),
                "optimizer",
            ),
            card(
                text("Stored activations"),
                b(t.activation_bytes),
                text("per GPU, kept for the backward pass"),
                "activations",
            ),
        ]
    } else {
        vec![
            card(
                text("Weights"),
                b(i.weights_bytes),
                text("fixed: the same on every run"),
                "weights",
            ),
            card(
                vec![
                    Piece::Text("KV cache — ".into()),
                    Piece::Term {
                        id: "term-kv",
                        term: "activations kept for past tokens",
                        explain: glossary::KV_CACHE,
                    },
                ],
                b(i.kv_cache_bytes),
                text(format!(
                    "{} per token; grows with the text",
                    b(i.kv_cache_bytes_per_token)
                )),
                "kv",
            ),
            card(
                text("Transient activations"),
                b(i.activation_bytes),
                vec![
                    Piece::Text("working memory of one ".into()),
                    Piece::Term {
                        id: "term-forward",
                        term: "forward pass",
                        explain: glossary::FORWARD_PASS,
                    },
                ],
                "activations",
            ),
        ]
    };
    cards.push(card(
        text(if train { "Total per GPU" } else { "Total" }),
        b(total),
        total_note,
        if fits { "ok" } else { "bad" },
    ));
    if !train {
        let crossover = super::words::crossover_tokens(r);
        let trained = r.model.arch.max_context as f64;
        cards.push(card(
            text("KV cache = weights at"),
            crossover.map_or("never".into(), |c| format!("{} tokens", format_int(c))),
            text(match crossover {
                Some(c) if trained > 0.0 && c > trained => format!(
                    "beyond the {}-token context {} supports",
                    format_context(trained),
                    r.model.name
                ),
                Some(_) => "the text outgrows the model".to_string(),
                None => "a sliding window stops the cache first".to_string(),
            }),
            "",
        ));
        cards.push(if i.fits {
            card(
                text("Decode ≥"),
                format!("{} / token", format_seconds(i.decode_seconds_per_token_bound)),
                vec![Piece::Term {
                    id: "term-bandwidth",
                    term: "memory-bandwidth bound",
                    explain: glossary::BANDWIDTH_BOUND,
                }],
                "",
            )
        } else {
            card(
                text("Decode"),
                "does not run".to_string(),
                text("it does not fit in memory, so no token is generated"),
                "bad",
            )
        });
    }
    KeyNumbers {
        label: if train { "Key numbers, per GPU" } else { "Key numbers" },
        cards,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Span { text: t, .. } => t.as_str(),
                Piece::Term { term, .. } => term,
            })
            .collect()
    }

    #[test]
    fn the_default_pages_key_numbers_read_as_the_reader_sees_them() {
        // Llama-3.1-8B, BF16, 8,192 tokens on one H100 (the default link).
        let s = crate::share::decode("").state.scenario;
        let r = s.evaluate();
        let k = key_numbers(&s, &r, ByteUnits::Gib, advice(&s, &r).as_deref());
        assert_eq!(k.label, "Key numbers");
        let rows: Vec<(String, &str, &str)> = k
            .cards
            .iter()
            .map(|c| (words(&c.label), c.value.as_str(), c.class))
            .collect();
        let labels: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Weights",
                "KV cache — activations kept for past tokens",
                "Transient activations",
                "Total",
                "KV cache = weights at",
                "Decode ≥"
            ]
        );
        // 8,030,261,248 parameters × 2 B = 14.96 GiB; KV: 32 layers × 8 KV heads × 128 × 2 (K, V)
        // × 2 B = 131,072 B per token × 8,192 = 1 GiB; KV = weights at 16,060,522,496 / 131,072
        // = 122,532.6 → 122,533 tokens. Bytes show three significant figures.
        assert_eq!(rows[0].1, "15.0 GiB");
        assert_eq!(rows[1].1, "1.00 GiB");
        assert_eq!(rows[4].1, "122,533 tokens");
        assert_eq!(rows[3].2, "ok", "it fits: {:?}", words(&k.cards[3].note));
        assert!(words(&k.cards[1].note).starts_with("128 KiB per token"));
    }

    #[test]
    fn training_cards_are_per_gpu_and_a_model_too_big_does_not_decode() {
        let s = crate::share::decode("mode=train&model=qwen2.5-7b").state.scenario;
        let r = s.evaluate();
        let k = key_numbers(&s, &r, ByteUnits::Gib, None);
        assert_eq!(k.label, "Key numbers, per GPU");
        let labels: Vec<String> = k.cards.iter().map(|c| words(&c.label)).collect();
        assert_eq!(
            labels,
            [
                "Weights",
                "Gradients + optimizer",
                "Stored activations",
                "Total per GPU"
            ]
        );

        let s = crate::share::decode("model=deepseek-v3").state.scenario;
        let r = s.evaluate();
        let k = key_numbers(&s, &r, ByteUnits::Gib, advice(&s, &r).as_deref());
        let last = k.cards.last().map(|c| (words(&c.label), c.value.clone(), c.class));
        assert_eq!(last, Some(("Decode".into(), "does not run".into(), "bad")));
        let total = &k.cards[3];
        assert_eq!(total.class, "bad");
        assert!(
            words(&total.note).starts_with("exceeds 80.0 GiB ✗"),
            "{}",
            words(&total.note)
        );
        assert!(
            total.note.iter().any(|p| matches!(
                p,
                Piece::Span {
                    testid: "fit-advice",
                    ..
                }
            )),
            "the advice"
        );
    }
}
