//! Published speed measurements, one row each with its source and the line quoted, and how the
//! estimator's figure for the same scenario is compared with it. Shared by the measurement test
//! (`tests/speed_measurements.rs`) and the fit that chose the constants
//! (`examples/fit_speed.rs`).

#![allow(dead_code)]

use llm_memviz::estimate::scenario::Scenario;
use llm_memviz::estimate::speed::Constants;
use llm_memviz::share;

/// What was measured.
#[derive(Clone, Copy, Debug)]
pub enum Measured {
    /// Tokens per second of each sequence while decoding, at the query's context and batch
    /// (llama-bench `tgN` starts from an empty cache: the query's context is N/2, the mean).
    Decode(f64),
    /// Tokens per second of all the query's sequences together.
    Throughput(f64),
    /// Prompt tokens per second of the query's prefill (llama-bench `ppN`: ctx = N).
    Prefill(f64),
    /// Seconds to the first token of one prompt of the query's context (vLLM's median TTFT).
    Ttft(f64),
    /// Generated tokens per second of one `generate` call that first prefills `prompt` tokens and
    /// then decodes `generated` (the Qwen speed benchmarks: 2,048 generated / wall time).
    Generate {
        /// Tokens per second as published.
        tokens_per_s: f64,
        /// Prompt tokens.
        prompt: f64,
        /// Generated tokens.
        generated: f64,
    },
}

/// One published measurement.
pub struct Row {
    /// Where it was published: repository and path (or URL), and its date or build.
    pub source: &'static str,
    /// The published line, as written there.
    pub quote: &'static str,
    /// The scenario, as a share link.
    pub query: &'static str,
    /// What was measured.
    pub measured: Measured,
}

/// The estimator beside a measurement, all as the measured quantity (tokens per second).
#[derive(Clone, Copy, Debug)]
pub struct Compared {
    /// Published.
    pub measured: f64,
    /// The estimator's expected value.
    pub expected: f64,
    /// The estimator's bound: no run can be faster.
    pub bound: f64,
    /// The name of the constants the scenario's engine and hardware use.
    pub constants: &'static str,
}

impl Row {
    /// The scenario of the row's query (a query that does not decode cleanly is a bug in the
    /// table: it panics, naming the row).
    pub fn scenario(&self) -> Scenario {
        let d = share::decode(self.query);
        assert!(d.warnings.is_empty(), "{}: {:?}", self.query, d.warnings);
        d.state.scenario
    }

    /// Compares the row with the estimator, with `over` replacing the scenario's own constants
    /// when they are the ones named the same (the fit tries other values).
    pub fn compare(&self, over: Option<&Constants>) -> Compared {
        let s = self.scenario();
        let m = s.resolve();
        let own = s.speed_constants();
        let c = over.filter(|o| o.name == own.name).unwrap_or(own);
        let (ctx, batch) = (s.ctx as f64, s.batch as f64);
        let (measured, expected, bound) = match self.measured {
            Measured::Decode(v) => {
                let d = s.decode_with(&m, ctx, batch, c);
                (v, 1.0 / d.seconds, 1.0 / d.seconds_bound)
            }
            Measured::Throughput(v) => {
                let d = s.decode_with(&m, ctx, batch, c);
                (v, batch / d.seconds, batch / d.seconds_bound)
            }
            Measured::Prefill(v) => {
                let p = s.prefill_with(&m, ctx, batch, c);
                (v, p.tokens / p.seconds, p.tokens / p.seconds_bound)
            }
            Measured::Ttft(seconds) => {
                // Compared as prompt tokens per second, so faster is larger like every row.
                let p = s.prefill_with(&m, ctx, 1.0, c);
                (ctx / seconds, ctx / p.seconds, ctx / p.seconds_bound)
            }
            Measured::Generate {
                tokens_per_s,
                prompt,
                generated,
            } => {
                let p = s.prefill_with(&m, prompt, 1.0, c);
                let d = s.decode_with(&m, prompt + generated / 2.0, 1.0, c);
                (
                    tokens_per_s,
                    generated / (p.seconds + generated * d.seconds),
                    generated / (p.seconds_bound + generated * d.seconds_bound),
                )
            }
        };
        Compared {
            measured,
            expected,
            bound,
            constants: c.name,
        }
    }
}

include!("rows.rs");
