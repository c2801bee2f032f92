//! The `llm-memviz` binary: the documented JSON keys, the table, and bad input reported on
//! stderr with exit code 2 (never a panic).

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_llm-memviz"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run the binary: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_has_every_documented_key() {
    let (code, out, err) = run(&["--json", "model=llama-3.1-8b&ctx=128k"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let keys = [
        "/query",
        "/warnings",
        "/model/params",
        "/model/active_params",
        "/inference/weights_bytes",
        "/inference/kv_cache_bytes",
        "/inference/kv_cache_bytes_per_token",
        "/inference/activation_bytes",
        "/inference/total_bytes",
        "/inference/kv_equals_weights_at_context",
        "/inference/max_context_on_gpu",
        "/inference/decode_seconds_per_token_bound",
        "/training/weights_bytes",
        "/training/gradient_bytes",
        "/training/optimizer_bytes",
        "/training/activation_bytes",
        "/training/total_bytes",
        "/chinchilla/fit",
        "/chinchilla/tokens_rule_of_20",
        "/chinchilla/optimal_tokens",
        "/chinchilla/tokens_per_param",
        "/chinchilla/training_flops",
        "/chinchilla/loss",
        "/chinchilla/compute_optimal_params",
        "/chinchilla/compute_optimal_tokens",
    ];
    for k in keys {
        assert!(v.pointer(k).is_some(), "missing {k}");
    }
    assert_eq!(v.pointer("/query").and_then(|q| q.as_str()), Some("v=2&ctx=128k"));
    assert_eq!(
        v.pointer("/model/params").and_then(|q| q.as_f64()),
        Some(8_030_261_248.0)
    );
    // 16 GiB of KV cache at 128k tokens.
    assert_eq!(
        v.pointer("/inference/kv_cache_bytes").and_then(|q| q.as_f64()),
        Some(17_179_869_184.0)
    );
}

#[test]
fn table_and_full_links() {
    let (code, out, _) = run(&["https://example.org/tools/llm-memviz/?model=mixtral-8x7b&batch=8#top"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Mixtral-8x7B  [v=2&model=mixtral-8x7b&batch=8]"),
        "{out}"
    );
    assert!(out.contains("46,702,792,704 / 12,879,925,248"), "{out}");
}

#[test]
fn bad_input_names_the_key_and_exits_2() {
    let (code, out, err) = run(&["weights=q4&ctx=lots"]);
    assert_eq!(code, 2);
    assert!(err.contains("weights: 'q4' is not one of fp32, fp16, bf16"), "{err}");
    assert!(err.contains("ctx: 'lots' is not a number"), "{err}");
    // The corrected scenario is still printed.
    assert!(out.contains("Llama-3.1-8B"));
    let (code, _, err) = run(&["--bogus"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown option --bogus"));
    let (code, _, err) = run(&["a=1", "b=2"]);
    assert_eq!(code, 2);
    assert!(err.contains("give one query"));
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("USAGE"));
}

#[test]
fn json_warnings_are_the_warnings_printed_on_stderr() {
    // Scripts read the JSON: its warnings array must carry what stderr says (it was always
    // empty: the report's own, empty, `warnings` replaced it when flattened).
    let (code, out, err) = run(&["--json", "ctx=lots&model=nope"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .map(|a| a.iter().filter_map(|w| w.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(warnings.len(), 2, "{out}");
    assert!(
        warnings.iter().any(|w| w.starts_with("ctx: 'lots' is not a number")),
        "{warnings:?}"
    );
    assert!(warnings.iter().any(|w| w.starts_with("model:")), "{warnings:?}");
    for w in &warnings {
        assert!(err.contains(w), "stderr lacks {w}");
    }
}
