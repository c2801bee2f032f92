//! Tidy: the invariants of ARCHITECTURE.md, checked on the source text.
//!
//! - `src/estimate`, `src/share`, `src/chart` and `src/state.rs` know nothing of the browser:
//!   no yew, web-sys, wasm-bindgen, js-sys or gloo; `src/estimate`, `src/share` and
//!   `src/state.rs` also draw nothing (no plotters).
//! - Every `src/**/*.rs` file opens with a `//!` module doc.
//! - No `todo!`, `unimplemented!`, `dbg!`, and no `#[ignore]` / `#[should_panic]` tests.
//! - No `.unwrap()` / `.expect(` outside `#[cfg(test)]` code in `src/`.
//! - No JSON parsed at start-up: `serde_json::from_*` only where a pasted config.json is read.
//! - Markup is set in one place, from the chart writer that escapes every text.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The file's text without its `#[cfg(test)]` items (tests may unwrap): each attribute and the
/// item after it, up to the brace that closes that item, are cut out, so code after a test
/// module in the middle of a file is still checked.
fn non_test_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        // The item's body: from its first `{` to the matching `}`.
        let Some(open) = after.find('{') else {
            rest = "";
            break;
        };
        let mut depth = 0usize;
        let mut end = after.len();
        for (j, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn non_test_code_keeps_what_follows_a_test_module() {
    let text = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn t() { x.unwrap(); }\n}\nfn b() { y.unwrap(); }\n";
    let code = non_test_code(text);
    assert!(
        code.contains("fn a()") && code.contains("fn b() { y.unwrap(); }"),
        "{code}"
    );
    assert!(!code.contains("x.unwrap()"), "{code}");
}

#[test]
fn pure_modules_import_no_web_crates() {
    let web = ["yew", "web_sys", "wasm_bindgen", "js_sys", "gloo", "plotters_canvas"];
    let drawing = ["plotters"];
    let mut bad = Vec::new();
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for dir in ["src/estimate", "src/share"] {
        files.extend(rust_files(&root().join(dir)).into_iter().map(|p| (p, true)));
    }
    files.push((root().join("src/state.rs"), true));
    files.extend(rust_files(&root().join("src/chart")).into_iter().map(|p| (p, false)));
    for (path, no_plotters) in files {
        let text = fs::read_to_string(&path).unwrap_or_default();
        for line in text.lines() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            let mut crates: Vec<&str> = web.to_vec();
            if no_plotters {
                crates.extend(drawing);
            }
            for c in crates {
                if l.contains(&format!("use {c}"))
                    || l.contains(&format!("{c}::"))
                    || l.contains(&format!("extern crate {c}"))
                {
                    bad.push(format!("{}: {}", path.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "browser/drawing crates in pure modules:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_source_file_has_a_module_doc() {
    let missing: Vec<String> = rust_files(&root().join("src"))
        .into_iter()
        .filter(|p| {
            !fs::read_to_string(p)
                .unwrap_or_default()
                .trim_start()
                .starts_with("//!")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! doc:\n{}", missing.join("\n"));
}

#[test]
fn no_stubs_ignores_or_panicking_tests() {
    let mut bad = Vec::new();
    let mut files = rust_files(&root().join("src"));
    files.extend(rust_files(&root().join("tests")));
    for p in files {
        if p.ends_with("tidy.rs") {
            continue;
        }
        let text = fs::read_to_string(&p).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            for needle in ["todo!(", "unimplemented!(", "dbg!(", "#[ignore", "#[should_panic"] {
                if line.contains(needle) {
                    bad.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn no_unwrap_in_shipped_code() {
    let mut bad = Vec::new();
    for p in rust_files(&root().join("src")) {
        let text = fs::read_to_string(&p).unwrap_or_default();
        for (i, line) in non_test_code(&text).lines().enumerate() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            if l.contains(".unwrap()") || l.contains(".expect(") {
                bad.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "unwrap/expect reachable from input:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_json_is_parsed_at_start_up() {
    // The catalogs are Rust statics written by build.rs; the only JSON the shipped code reads
    // is a config.json the user pastes or passes.
    let mut parsers = Vec::new();
    for p in rust_files(&root().join("src")) {
        let code = non_test_code(&fs::read_to_string(&p).unwrap_or_default());
        if code.contains("serde_json::from_") || code.contains("include_str!(\"data/") {
            parsers.push(p.strip_prefix(root()).unwrap_or(&p).display().to_string());
        }
    }
    assert_eq!(parsers, ["src/estimate/hf_config.rs"]);
}

#[test]
fn markup_is_set_only_from_the_escaping_chart_writer() {
    // The page sets markup in one place: a chart's SVG, written by `chart::record::to_svg`,
    // which escapes every text (a model's name, a pasted config's). Clearing a node is fine.
    let mut sites = Vec::new();
    for p in rust_files(&root().join("src")) {
        let code = non_test_code(&fs::read_to_string(&p).unwrap_or_default());
        let name = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
        for line in code.lines() {
            if line.contains("from_html_unchecked(")
                || (line.contains("set_inner_html(") && !line.contains("set_inner_html(\"\")"))
            {
                sites.push(format!("{name}: {}", line.trim()));
            }
        }
    }
    assert_eq!(sites.len(), 1, "{sites:#?}");
    assert!(
        sites[0].starts_with("src/ui/charts.rs: ") && sites[0].contains("chart::record::to_svg("),
        "{sites:#?}"
    );
}
