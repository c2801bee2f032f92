//! Entry point: in the browser (wasm32) it mounts the app; natively it is the `llm-memviz`
//! command-line tool (see `cli.rs`).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::io::Write as _;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = llm_memviz::cli::run(&args);
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}

#[cfg(target_arch = "wasm32")]
fn main() {
    llm_memviz::ui::start();
}
