//! Entry point: in the browser (wasm32) it mounts the app; natively it is the `llm-memviz`
//! command-line tool.

fn main() {}
