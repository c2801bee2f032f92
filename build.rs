//! Checks the catalogs at build time: `src/estimate/data/models.json` and `gpus.json` are
//! deserialized into the crate's own types (`src/estimate/catalog.rs` and `arch.rs`, included
//! by path), so a malformed catalog fails the build with the file, line and column instead of
//! becoming an empty menu at run time.

#[allow(dead_code)]
#[path = "src/estimate/arch.rs"]
mod arch;
#[allow(dead_code)]
#[path = "src/estimate/catalog.rs"]
mod catalog;

fn check<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, String> {
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

fn main() {
    for f in ["src/estimate/arch.rs", "src/estimate/catalog.rs"] {
        println!("cargo:rerun-if-changed={f}");
    }
    let models = check::<catalog::ModelsFile>("src/estimate/data/models.json");
    let gpus = check::<catalog::GpusFile>("src/estimate/data/gpus.json");
    let mut errors = Vec::new();
    match models {
        Ok(m) if m.presets.is_empty() => errors.push("src/estimate/data/models.json: no presets".to_string()),
        Ok(_) => {}
        Err(e) => errors.push(e),
    }
    match gpus {
        Ok(g) if g.gpus.is_empty() => errors.push("src/estimate/data/gpus.json: no GPUs".to_string()),
        Ok(_) => {}
        Err(e) => errors.push(e),
    }
    if !errors.is_empty() {
        for e in &errors {
            println!("cargo:warning=catalog: {e}");
        }
        eprintln!("the catalogs do not match their types:\n{}", errors.join("\n"));
        std::process::exit(1);
    }
}
