//! The speed model against published measurements: every row of `tests/speed_rows` (a source,
//! the line quoted, the scenario as a share link) compared with the estimator's expected speed
//! and its bound. `cargo test --test speed_measurements -- --nocapture` prints each row's ratio,
//! the bound's beside it.
//!
//! What must hold:
//! - the expected decode speed is within ±25 % of at least 90 % of the decode rows;
//! - the bound (the datasheet's bandwidth and FLOP/s) is beaten by no row: no run is faster;
//! - the prefill model (time to the first token) is within ±50 % of at least 75 % of its rows;
//! - each engine's constants say truthfully how well they fit (`speed::FitRecord`).

mod speed_rows;

use llm_memviz::estimate::speed::{Constants, LLAMACPP_CUDA, LLAMACPP_METAL, TRANSFORMERS, VLLM};
use speed_rows::{Measured, ROWS};

fn is_prefill(m: Measured) -> bool {
    matches!(m, Measured::Prefill(_) | Measured::Ttft(_))
}

#[test]
fn the_speed_model_against_published_measurements() {
    let mut decode = Vec::new();
    let mut prefill = Vec::new();
    let mut beaten = Vec::new();
    for r in ROWS {
        let x = r.compare(None);
        let (ratio, bound) = (x.expected / x.measured, x.bound / x.measured);
        println!(
            "{:5.2}× expected, bound {:5.2}×  {:>9.2} measured  {}  [{}] {}",
            ratio, bound, x.measured, r.query, x.constants, r.source
        );
        if bound < 1.0 {
            beaten.push(format!("{} (bound {bound:.2}×)", r.query));
        }
        if is_prefill(r.measured) {
            prefill.push(ratio);
        } else {
            decode.push(ratio);
        }
    }
    let within = |v: &[f64], tol: f64| v.iter().filter(|r| (**r - 1.0).abs() <= tol).count();
    let (d25, p50) = (within(&decode, 0.25), within(&prefill, 0.5));
    println!(
        "decode: {d25} of {} within ±25 %; prefill: {p50} of {} within ±50 % ({} within ±25 %)",
        decode.len(),
        prefill.len(),
        within(&prefill, 0.25)
    );
    assert!(decode.len() >= 60, "at least 60 decode rows");
    assert!(d25 * 10 >= decode.len() * 9, "{d25} of {} within ±25 %", decode.len());
    assert!(p50 * 4 >= prefill.len() * 3, "{p50} of {} within ±50 %", prefill.len());
    assert!(beaten.is_empty(), "runs faster than the bound: {beaten:#?}");
}

#[test]
fn each_engines_constants_state_their_fit_truthfully() {
    for c in [LLAMACPP_CUDA, LLAMACPP_METAL, VLLM, TRANSFORMERS] {
        let mut errors: Vec<f64> = ROWS
            .iter()
            .filter(|r| !is_prefill(r.measured))
            .map(|r| r.compare(None))
            .filter(|x| x.constants == c.name)
            .map(|x| (x.expected / x.measured - 1.0).abs())
            .collect();
        errors.sort_by(f64::total_cmp);
        let within = errors.iter().filter(|e| **e <= 0.25).count();
        let median = 100.0 * errors.get(errors.len() / 2).copied().unwrap_or(0.0);
        println!(
            "{}: {within} of {} within ±25 %, median {median:.1} %",
            c.name,
            errors.len()
        );
        let stated: &Constants = &c;
        assert_eq!(
            (stated.fit.rows as usize, stated.fit.within_25_percent as usize),
            (errors.len(), within),
            "{}",
            c.name
        );
        assert!(
            (stated.fit.median_error_percent - median).abs() < 0.5,
            "{}: median {median}",
            c.name
        );
    }
}
