//! The key numbers above the charts, as plain data: what each card says, defined once for the
//! app (`ui::panels::KeyNumbers` turns it into yew markup, with its explanations on tap) and
//! for the first view drawn before the app mounts (`prerender` writes it as HTML). Every card
//! of a mode is on one basis: the whole deployment at inference, one GPU in training.

use crate::estimate::Report;
use crate::estimate::engine::Engine;
use crate::estimate::scenario::{Mode, Scenario};
use crate::estimate::units::{ByteUnits, format_bytes, format_context, format_int, format_rate, format_seconds};

/// Plain explanations of the jargon on the page, each reachable by tap and keyboard (the app's
/// `Term`).
pub mod glossary {
    /// "forward pass".
    pub const FORWARD_PASS: &str = "One run of your text through every layer of the model, first to last. Each layer's working numbers (queries, keys, values, the MLP's intermediates) are freed as soon as the layer has added its result.";
    /// "memory bandwidth" (the decode bound).
    pub const BANDWIDTH_BOUND: &str = "To write each new token the GPU must read every weight it uses and the whole KV cache from its memory. Reading them at the datasheet's memory speed is the most any engine can do; real engines reach part of it and spend time between layers, which the expected speed counts.";
    /// "Decode speed".
    pub const DECODE: &str = "How fast new tokens appear once the answer has started: tokens per second of each conversation. Expected from what engines were measured to reach on real hardware (show working lists the fit).";
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

/// The advice sentence under "Total" (what would make it fit), when there is one: the report's
/// advice (`estimate::fit`, found once with the report) in words.
pub fn advice(s: &Scenario, r: &Report) -> Option<String> {
    if s.mode == Mode::Train {
        (r.training.advice.as_ref()).map(|a| super::advice::training_advice_sentence(a, s))
    } else {
        (r.inference.advice.as_ref()).map(|a| super::advice::inference_advice_sentence(a, r))
    }
}

/// The words with a capital first letter.
pub fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
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
    // What the report compares, as it compares it: training with the engine's runtime against
    // one GPU as the engine sees it.
    let (total, cap, fits) = if train {
        (r.training.needed_bytes, r.training.gpu_memory_bytes, r.training.fits)
    } else {
        (i.total_bytes, i.usable_memory_bytes, i.fits)
    };
    let card = |label: Vec<Piece>, value: String, note: Vec<Piece>, class: &'static str| Card {
        label,
        value,
        note,
        class,
    };
    // Inference: the verdict (where everything is) and its numbers, as every view says it.
    let mut total_note = if train {
        text(format!(
            "{} {}{} {}",
            if fits { "fits in" } else { "exceeds" },
            b(cap),
            if s.engine != Engine::None {
                format!(" usable by {}", s.engine.label())
            } else {
                String::new()
            },
            if fits { "✓" } else { "✗" }
        ))
    } else {
        vec![
            Piece::Span {
                class: "verdict",
                testid: "verdict",
                text: format!(
                    "{} {}",
                    capitalise(&super::words::verdict(i.verdict, s.gpus, s.unified_memory())),
                    if fits { "✓" } else { "✗" }
                ),
            },
            Piece::Text(format!(": {}.", super::words::verdict_why(r, units))),
        ]
    };
    let engine_bytes = if train {
        r.training.engine_overhead_bytes
    } else {
        i.engine_overhead_bytes
    };
    if engine_bytes > 0.0 {
        total_note.push(Piece::Span {
            class: "engine-note",
            testid: "engine-overhead",
            text: format!(" Includes {} the engine holds itself.", b(engine_bytes)),
        });
    }
    if let Some(a) = advice {
        total_note.push(Piece::Span {
            class: "advice",
            testid: "fit-advice",
            text: format!(" {a}"),
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
        cards.push(decode_card(s, r));
    } else {
        cards.push(training_time_card(r));
    }
    KeyNumbers {
        label: if train { "Key numbers, per GPU" } else { "Key numbers" },
        cards,
    }
}

/// "29 concurrent 8k conversations fit", or what happens to the rest when the batch is larger:
/// the KV cache's room at this context (`InferenceReport::max_concurrency`, as vLLM prints it).
pub fn concurrency_words(s: &Scenario, r: &Report) -> Option<String> {
    let c = r.inference.max_concurrency?.floor();
    let ctx = format_context(s.ctx as f64);
    let batch = s.batch as f64;
    Some(if c < 1.0 {
        format!("not one {ctx} conversation fits beside the weights")
    } else if batch > c {
        format!(
            "only {} of the {} sequences fit at once: an engine queues the rest",
            format_int(c),
            format_int(batch)
        )
    } else {
        format!("{} concurrent {ctx} conversations fit", format_int(c))
    })
}

/// The decode card: the expected speed first, the bound, the time to the first token and how
/// many conversations fit (all from the report: `Scenario::decode_at`, `prefill_at`,
/// `max_concurrency_at`).
fn decode_card(s: &Scenario, r: &Report) -> Card {
    let i = &r.inference;
    // It runs when the GPUs hold the weights and one sequence's cache (llama.cpp: its GPU part).
    // Beyond the KV cache's room an engine queues (or pre-empts) the sequences that do not fit:
    // it still runs, as many at once as fit. Nothing runs only when not one sequence fits or
    // the engine refuses the hardware.
    let queued = i
        .max_concurrency
        .filter(|c| !i.fits && *c >= 1.0 && i.refused.is_none());
    if !i.fits && queued.is_none() {
        let why = if i.refused.is_some() {
            "the engine refuses this hardware (see the warning), so no token is generated"
        } else {
            "not even one sequence fits in memory, so no token is generated"
        };
        return Card {
            label: text("Decode"),
            value: "does not run".to_string(),
            note: text(why),
            class: "bad",
        };
    }
    let each = if s.batch > 1 { " each" } else { "" };
    let mut note = vec![
        Piece::Text(format!(
            "at most {}{each} by ",
            format_rate(i.decode.tokens_per_s_bound())
        )),
        Piece::Term {
            id: "term-bandwidth",
            term: "memory bandwidth",
            explain: glossary::BANDWIDTH_BOUND,
        },
        Piece::Text(format!("; first token after {}", format_seconds(i.prefill_seconds))),
    ];
    if let Some(c) = concurrency_words(s, r) {
        note.push(Piece::Span {
            class: "concurrency",
            testid: "concurrency",
            text: format!("; {c}"),
        });
    }
    if let Some(c) = queued {
        note.push(Piece::Span {
            class: "advice",
            testid: "queued",
            text: format!(
                "; only {} of the {} sequences fit at once: the engine queues the rest",
                crate::estimate::units::format_int(c.floor()),
                crate::estimate::units::format_int(s.batch as f64)
            ),
        });
    }
    if let Some(h) = i.cpu_moe_hint {
        note.push(Piece::Span {
            class: "advice",
            testid: "cpu-moe-hint",
            text: format!(
                "; with --n-cpu-moe {} (only experts in RAM) ≈ {}",
                h.cpu_moe,
                format_rate(h.decode_tokens_per_s)
            ),
        });
    }
    Card {
        label: vec![Piece::Term {
            id: "term-decode",
            term: "Decode speed",
            explain: glossary::DECODE,
        }],
        value: format!("≈ {}{each}", format_rate(i.decode_tokens_per_s)),
        note,
        class: "",
    }
}

/// The training card: how long the training tokens take on the run's GPUs at its MFU
/// (`Scenario::training_time`).
fn training_time_card(r: &Report) -> Card {
    let t = &r.training.time;
    let gpu = r
        .gpu
        .as_ref()
        .map_or(String::new(), |g| format!(" × {}", short_gpu_name(&g.name)));
    Card {
        label: text("Training time"),
        value: format_seconds(t.seconds),
        note: text(format!(
            "{} tokens on {}{gpu} at {:.0} % MFU; a step of {} tokens every {}",
            crate::estimate::units::format_count(r.chinchilla.training_tokens),
            format_int(t.gpus),
            t.mfu * 100.0,
            crate::estimate::units::format_count(t.tokens_per_step),
            format_seconds(t.step_seconds)
        )),
        class: "",
    }
}

/// A GPU's name without its maker's prefix, as sentences use it ("H100 SXM 80GB").
pub fn short_gpu_name(name: &str) -> String {
    name.replace("NVIDIA ", "").replace("GeForce ", "").replace("AMD ", "")
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
                "Decode speed"
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
        // Decode (no engine: vLLM's fitted constants for a BF16 model): each step reads 15.01 GB
        // of weights (all but the 1.05 GB input embedding) and 1 GiB of cache, 16,083,591,168 B,
        // at 0.70 × 3.35 TB/s = 6.859 ms, plus vLLM's 3.15 ms per step = 10.009 ms: 99.9 tok/s;
        // at the full 3.35 TB/s 4.801 ms: 208 tok/s. The prompt's 8,192 tokens are one chunk:
        // 2 × 8,030,261,248 × 8,192 + 4 × 4,096 × 32 × 8,192 × 8,193 / 2 = 1.4916e14 FLOPs at
        // 0.41 × 989.4 TFLOP/s = 0.368 s, + 3.15 ms = 371 ms. (80 GiB − 16,060,522,496 B of weights −
        // 838,860,800 of activations) / 1 GiB per sequence = 64.3 sequences fit.
        assert_eq!(rows[5].1, "≈ 99.9 tok/s");
        let note = words(&k.cards[5].note);
        assert_eq!(
            note,
            "at most 208 tok/s by memory bandwidth; first token after 371 ms; 64 concurrent 8k conversations fit"
        );
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
                "Total per GPU",
                "Training time"
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
            words(&total.note).starts_with("Does not fit ✗: 629 GiB needed, only 80.0 GiB."),
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
