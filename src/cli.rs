//! The `llm-memviz` command-line tool: a share query (or link) in, a table or JSON out.
//!
//! `llm-memviz '<query or URL>'` prints a readable table; `llm-memviz --json '<…>'` prints one
//! JSON object (a public interface, documented in README). Problems with the input are
//! printed on stderr, one per line naming the key and what was used instead, and the exit
//! code is 2; the figures for the corrected scenario are still printed.

use std::fmt::Write as _;

use serde::Serialize;

use crate::estimate::scenario::Mode;
use crate::estimate::units::{
    ByteUnits, format_bytes, format_context, format_count, format_int, format_rate, format_seconds,
};
use crate::estimate::{Report, Scenario};
use crate::share::{self, Warning};

/// What the tool printed and its exit code.
pub struct Outcome {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit code: 0 clean, 2 input problems (or bad usage).
    pub code: i32,
}

/// Usage text.
pub const USAGE: &str = "\
llm-memviz — where an LLM's memory goes, and how much data it should be trained on

USAGE:
    llm-memviz [--json] '<share query or link>'

EXAMPLES:
    llm-memviz 'model=llama-3.1-70b&weights=q4_k_m&ctx=128k'
    llm-memviz --json 'model=mixtral-8x7b&batch=32&gpu=h200-141gb&gpus=2'
    llm-memviz 'https://example.org/llm-memviz/?model=deepseek-v3&mode=train&zero=3&dp=64'

The query takes the same keys as the page's share links (see README).
Problems are reported on stderr and the exit code is 2.";

/// The JSON document `--json` prints.
#[derive(Serialize)]
struct JsonOut<'a> {
    query: String,
    warnings: Vec<String>,
    #[serde(flatten)]
    report: &'a Report,
}

/// Runs the tool on its arguments (without the program name).
pub fn run(args: &[String]) -> Outcome {
    // Build step: `--prerender FILE` writes the first view into a built index.html.
    if let [flag, file] = args
        && flag == "--prerender"
    {
        return prerender_into(file);
    }
    let mut json = false;
    let mut query: Option<&str> = None;
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                return Outcome {
                    stdout: format!("{USAGE}\n"),
                    stderr: String::new(),
                    code: 0,
                };
            }
            s if s.starts_with("--") => {
                return Outcome {
                    stdout: String::new(),
                    stderr: format!("unknown option {s}\n\n{USAGE}\n"),
                    code: 2,
                };
            }
            s => {
                if query.is_some() {
                    return Outcome {
                        stdout: String::new(),
                        stderr: format!("give one query (quote it: the shell splits on &)\n\n{USAGE}\n"),
                        code: 2,
                    };
                }
                query = Some(s);
            }
        }
    }
    let decoded = share::decode(query.unwrap_or(""));
    let report = decoded.state.scenario.evaluate();
    let mut warnings: Vec<String> = decoded.warnings.iter().map(Warning::to_string).collect();
    warnings.extend(report.warnings.iter().cloned());
    let canonical = share::encode(&decoded.state);
    let stdout = if json {
        let out = JsonOut {
            query: canonical,
            warnings: warnings.clone(),
            report: &report,
        };
        match serde_json::to_string_pretty(&out) {
            Ok(s) => format!("{s}\n"),
            Err(e) => {
                return Outcome {
                    stdout: String::new(),
                    stderr: format!("internal error: {e}\n"),
                    code: 1,
                };
            }
        }
    } else {
        table(&decoded.state.scenario, &report, decoded.state.view.units, &canonical)
    };
    let stderr: String = warnings.iter().map(|w| format!("warning: {w}\n")).collect();
    Outcome {
        stdout,
        stderr,
        code: if warnings.is_empty() { 0 } else { 2 },
    }
}

fn row(out: &mut String, label: &str, value: String) {
    let _ = writeln!(out, "  {label:<34} {value}");
}

/// The readable table.
pub fn table(s: &Scenario, r: &Report, units: ByteUnits, query: &str) -> String {
    let mode = s.mode;
    let b = |x: f64| format!("{:>10}  ({} bytes)", format_bytes(x, units), format_int(x));
    let mut o = String::new();
    let m = &r.model;
    let _ = writeln!(o, "{}  [{}]", m.name, query);
    row(
        &mut o,
        "parameters (total / active)",
        format!("{} / {}", format_int(m.params), format_int(m.active_params)),
    );
    row(
        &mut o,
        "embedding / non-embedding",
        format!(
            "{} / {}",
            format_count(m.embedding_params),
            format_count(m.non_embedding_params)
        ),
    );
    if m.shape_assumed {
        row(
            &mut o,
            "shape",
            format!(
                "assumed: {} layers × {} wide (derives {})",
                m.arch.layers,
                m.arch.hidden,
                format_count(m.derived_params)
            ),
        );
    }
    if let Some(g) = &r.gpu {
        row(
            &mut o,
            "hardware",
            format!(
                "{} × {} ({} each)",
                g.count,
                g.name,
                format_bytes(g.memory_bytes_each, units)
            ),
        );
    }
    let i = &r.inference;
    let _ = writeln!(o, "\nInference{}", if mode == Mode::Infer { " (selected)" } else { "" });
    row(&mut o, "weights", b(i.weights_bytes));
    row(&mut o, "KV cache", b(i.kv_cache_bytes));
    row(&mut o, "KV cache per token (all layers)", b(i.kv_cache_bytes_per_token));
    if let Some(e) = i.kv_cache_bytes_expanded {
        row(&mut o, "KV cache if MLA is expanded", b(e));
    }
    row(&mut o, "transient activations (peak)", b(i.activation_bytes));
    if i.engine_overhead_bytes > 0.0 {
        row(
            &mut o,
            &format!("engine ({})", s.engine.label()),
            b(i.engine_overhead_bytes),
        );
    }
    row(&mut o, "total", b(i.total_bytes));
    let gpus = r.gpu.as_ref().map_or(1, |g| g.count);
    row(
        &mut o,
        "verdict",
        format!(
            "{} ({})",
            crate::chart::words::verdict(i.verdict, gpus, r.gpu.as_ref().is_some_and(|g| g.unified_memory))
                .to_uppercase(),
            crate::chart::words::verdict_why(r, units)
        ),
    );
    if s.engine != crate::estimate::engine::Engine::None {
        row(&mut o, "memory the engine may use", b(i.usable_memory_bytes));
    }
    row(
        &mut o,
        "KV cache = weights at",
        match crate::chart::words::crossover_tokens(r) {
            Some(t) => format!("{}{}", opt_tokens(Some(t)), crate::chart::words::beyond_limit(t, r)),
            None => "never (the sliding window caps the cache)".to_string(),
        },
    );
    row(
        &mut o,
        if i.offload.is_some() {
            "longest context, all layers on GPU"
        } else {
            "longest context that fits"
        },
        match i.max_context_on_gpu {
            Some(t) => format!("{}{}", opt_tokens(Some(t)), crate::chart::words::beyond_limit(t, r)),
            None if i.max_context_unbounded => format!(
                "any: the sliding window stops the cache growing at {} tokens",
                format_int(r.model.arch.attention.window as f64)
            ),
            None if i.offload.is_some() => "none: the model alone is larger than the GPU".to_string(),
            None => "none: not even one token fits".to_string(),
        },
    );
    if let Some(a) = &r.inference.advice {
        row(
            &mut o,
            "what would fit",
            crate::chart::advice::inference_advice_sentence(a, r),
        );
    }
    if let Some(off) = &i.offload {
        row(
            &mut o,
            "llama.cpp layers on the GPU",
            format!(
                "{} of {}{}",
                off.gpu_layers,
                off.slots,
                if off.automatic { " (as many as fit)" } else { "" }
            ),
        );
        if off.cpu_moe_layers > 0 {
            row(
                &mut o,
                "  experts in system RAM (--n-cpu-moe)",
                format!("{} layers", off.cpu_moe_layers),
            );
        }
        if let Some(h) = i.cpu_moe_hint {
            row(
                &mut o,
                "  faster with",
                format!(
                    "--n-cpu-moe {} (only experts in RAM): {}",
                    h.cpu_moe,
                    format_rate(h.decode_tokens_per_s)
                ),
            );
        }
        row(&mut o, "  in VRAM", b(off.vram_bytes));
        row(
            &mut o,
            "  in system RAM",
            format!("{} of {} free", b(off.ram_bytes), b(off.ram_available_bytes)),
        );
    }
    row(
        &mut o,
        "largest batch that fits",
        i.max_batch_on_gpu.map_or("none".into(), format_int),
    );
    if s.gpus > 1 {
        row(&mut o, "GPUs share the model by", s.split().label().to_string());
    }
    row(
        &mut o,
        "decode speed, expected",
        format!(
            "{} per sequence ({} per step; {} for all {})",
            format_rate(i.decode_tokens_per_s),
            format_seconds(i.decode_seconds_per_token),
            format_rate(i.throughput_tokens_per_s),
            format_int(s.batch as f64)
        ),
    );
    row(
        &mut o,
        "decode speed, at most",
        format!(
            "{} per sequence ({} per step: memory bandwidth)",
            format_rate(i.decode.tokens_per_s_bound()),
            format_seconds(i.decode_seconds_per_token_bound)
        ),
    );
    row(
        &mut o,
        "time to first token",
        format!(
            "{} (at best {})",
            format_seconds(i.prefill_seconds),
            format_seconds(i.prefill_seconds_bound)
        ),
    );
    if let Some(c) = crate::chart::cards::concurrency_words(s, r) {
        row(&mut o, "sequences that fit at this context", c);
    }
    let t = &r.training.memory;
    let _ = writeln!(
        o,
        "\nTraining, per GPU{}",
        if mode == Mode::Train { " (selected)" } else { "" }
    );
    row(&mut o, "weights", b(t.weights_bytes));
    row(&mut o, "gradients", b(t.gradient_bytes));
    if t.gathered_bytes > 0.0 {
        row(&mut o, "  of these two, ZeRO-3 gathered", b(t.gathered_bytes));
    }
    row(&mut o, "optimizer states", b(t.optimizer_bytes));
    row(&mut o, "activations", b(t.activation_bytes));
    row(
        &mut o,
        "total",
        format!(
            "{}  {}",
            b(t.total_bytes),
            if r.training.fits { "fits" } else { "DOES NOT FIT" }
        ),
    );
    row(
        &mut o,
        "training time",
        format!(
            "{} on {} at {:.0} % MFU (a step: {})",
            format_seconds(r.training.time.seconds),
            crate::estimate::units::count_noun(r.training.time.gpus, "GPU"),
            r.training.time.mfu * 100.0,
            format_seconds(r.training.time.step_seconds)
        ),
    );
    if let Some(a) = &r.training.advice {
        row(
            &mut o,
            "what would fit",
            crate::chart::advice::training_advice_sentence(a, s),
        );
    }
    let c = &r.chinchilla;
    let _ = writeln!(o, "\nTraining data ({})", c.fit_label);
    row(
        &mut o,
        "training tokens D",
        format!(
            "{} ({:.0} per parameter)",
            format_count(c.training_tokens),
            c.tokens_per_param
        ),
    );
    row(&mut o, "20 tokens per parameter", format_count(c.tokens_rule_of_20));
    row(
        &mut o,
        "compute-optimal tokens",
        format!(
            "{} (D is {:.1}× that)",
            format_count(c.optimal_tokens),
            c.overtraining_factor
        ),
    );
    row(
        &mut o,
        "training compute 6ND",
        format!("{:.3e} FLOPs", c.training_flops),
    );
    row(
        &mut o,
        "predicted loss L(N, D)",
        format!("{:.4} ({} constants)", c.loss, c.loss_fit),
    );
    row(
        &mut o,
        match c.compute_budget {
            Some(_) => "compute-optimal for the budget",
            None => "compute-optimal at this compute",
        },
        format!(
            "{} params on {} tokens",
            format_count(c.compute_optimal_params),
            format_count(c.compute_optimal_tokens)
        ),
    );
    if let Some(b) = c.compute_budget {
        row(
            &mut o,
            "  the budget",
            format!(
                "{b:.3e} FLOPs{}",
                c.compute_budget_seconds.map_or(String::new(), |t| format!(
                    ", {} at {:.0} % MFU",
                    format_seconds(t),
                    c.mfu * 100.0
                ))
            ),
        );
        for a in &c.compute_optimal_by_fit {
            row(
                &mut o,
                &format!("  by {}", a.fit),
                format!("{} params on {} tokens", format_count(a.params), format_count(a.tokens)),
            );
        }
    }
    if let Some(a) = c.inference_aware.filter(|a| a.inference_tokens > 0.0) {
        row(
            &mut o,
            "cheapest with its serving",
            format!(
                "{} params on {} tokens: {:.3e} FLOPs in all, Chinchilla's {} on {}: {:.3e} (Sardana et al. 2024)",
                format_count(a.params),
                format_count(a.tokens),
                a.total_flops,
                format_count(a.chinchilla_params),
                format_count(a.chinchilla_tokens),
                a.chinchilla_total_flops
            ),
        );
    }
    row(
        &mut o,
        "training time",
        format!("{} at {:.0} % MFU", format_seconds(c.training_seconds), c.mfu * 100.0),
    );
    o
}

fn opt_tokens(v: Option<f64>) -> String {
    match v {
        Some(t) => format!("{} tokens ({})", format_int(t.ceil()), format_context(t.ceil())),
        None => "never (the sliding window caps the cache)".to_string(),
    }
}

/// The environment variable naming where the site is served, for the link preview's absolute
/// image address (`https://example.org/llm-memviz/`).
const SITE_URL_VAR: &str = "LLM_MEMVIZ_SITE_URL";

/// Writes the prerendered first view and the link-preview tags into `file` (an index.html with
/// the loading line), and the preview image beside it.
fn prerender_into(file: &str) -> Outcome {
    let site = std::env::var(SITE_URL_VAR).ok().filter(|u| !u.trim().is_empty());
    let image = std::path::Path::new(file).with_file_name(crate::prerender::OG_IMAGE);
    let result = std::fs::read_to_string(file)
        .map_err(|e| format!("{file}: {e}"))
        .and_then(|html| crate::prerender::into_index(&html, site.as_deref()))
        .and_then(|html| {
            std::fs::write(file, &html)
                .map(|()| html.len())
                .map_err(|e| format!("{file}: {e}"))
        })
        .and_then(|bytes| {
            let png = crate::prerender::preview_png()?;
            std::fs::write(&image, &png)
                .map(|()| (bytes, png.len()))
                .map_err(|e| format!("{}: {e}", image.display()))
        });
    match result {
        Ok((bytes, png)) => Outcome {
            stdout: format!(
                "prerendered the first view into {file} ({bytes} bytes) and the link preview into {} ({png} bytes{})\n",
                image.display(),
                if site.is_some() {
                    String::new()
                } else {
                    format!("; its address is relative: set {SITE_URL_VAR} for an absolute one")
                }
            ),
            stderr: String::new(),
            code: 0,
        },
        Err(e) => Outcome {
            stdout: String::new(),
            stderr: format!("prerender: {e}\n"),
            code: 1,
        },
    }
}
