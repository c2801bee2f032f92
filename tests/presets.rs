//! Every preset's derived parameter count against its published figure, within the tolerance
//! the preset states (0 = exact), plus the Chinchilla chart's trained-model list.

use llm_memviz::estimate::presets;

fn within(derived: f64, published: f64, tol: f64) -> bool {
    if tol == 0.0 {
        derived == published
    } else {
        (derived / published - 1.0).abs() <= tol
    }
}

#[test]
fn derived_counts_match_published() {
    let all = presets::all();
    assert!(all.len() >= 19, "presets missing: {}", all.len());
    let mut report = String::new();
    let mut bad = Vec::new();
    for p in all {
        let c = p.arch.param_count();
        report.push_str(&format!(
            "{:<18} derived {:>19.0} published {:>19.0} ({:+.3} %)\n",
            p.id,
            c.total,
            p.published_params,
            (c.total / p.published_params - 1.0) * 100.0
        ));
        if !within(c.total, p.published_params, p.params_tolerance) {
            bad.push(format!("{}: total {} vs {}", p.id, c.total, p.published_params));
        }
        if let Some(active) = p.published_active_params {
            let tol = p.active_tolerance.unwrap_or(p.params_tolerance);
            if !within(c.active, active, tol) {
                bad.push(format!("{}: active {} vs {}", p.id, c.active, active));
            }
        }
        if let Some(ne) = p.published_non_embedding_params {
            // Non-embedding figures are published rounded to 0.1B or 0.01B: 0.5 % covers both.
            if !within(c.non_embedding, ne, 0.005) {
                bad.push(format!("{}: non-embedding {} vs {}", p.id, c.non_embedding, ne));
            }
        }
        assert!(p.arch.problems().is_empty(), "{}: {:?}", p.id, p.arch.problems());
        assert!(!p.sources.is_empty(), "{} has no source", p.id);
    }
    println!("{report}");
    assert!(bad.is_empty(), "{bad:#?}\n{report}");
}

#[test]
fn required_ids_exist() {
    for id in [
        "llama-3.1-8b",
        "llama-3.1-70b",
        "llama-3.1-405b",
        "mistral-7b-v0.1",
        "mixtral-8x7b",
        "qwen2.5-7b",
        "qwen2.5-72b",
        "gemma-2-9b",
        "gemma-3-27b",
        "deepseek-v3",
        "gpt-3-175b",
        "chinchilla-70b",
        "gopher-280b",
        "phi-3-mini-4k",
        "falcon-40b",
    ] {
        assert!(presets::find(id).is_some(), "{id}");
    }
}

#[test]
fn trained_models_are_sourced() {
    let t = presets::trained_models();
    assert!(t.len() >= 10);
    for m in t {
        assert!(m.params > 0.0 && m.tokens > 0.0 && !m.source.is_empty(), "{}", m.name);
    }
    let chin = t.iter().find(|m| m.name == "Chinchilla").map(|m| (m.params, m.tokens));
    assert_eq!(chin, Some((70e9, 1.4e12)));
}
