#!/usr/bin/env bash
# The one build path (serve, tests, CI): cargo → wasm-bindgen → dist/.
#   scripts/build-dist.sh            release build into dist/
#   scripts/build-dist.sh --dev      debug build (faster, bigger) into dist/
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
flags=(--release)
if [[ "${1:-}" == "--dev" ]]; then profile=debug; flags=(); fi
start=$(date +%s)
cargo build --target wasm32-unknown-unknown --bin llm-memviz "${flags[@]}"
rm -rf dist
mkdir -p dist/pkg dist/static
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-name llm_memviz --out-dir dist/pkg \
  "target/wasm32-unknown-unknown/${profile}/llm-memviz.wasm"
cp index.html dist/
cp static/* dist/static/
# The first view, drawn natively by the same code, into dist/index.html (src/prerender.rs).
cargo run -q --bin llm-memviz -- --prerender dist/index.html
echo "dist/ built (${profile}) in $(( $(date +%s) - start )) s:"
for f in dist/pkg/llm_memviz_bg.wasm dist/pkg/llm_memviz.js dist/static/app.css dist/index.html; do
  printf '  %-32s %8d bytes raw %8d gzip -9\n' "$f" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
done
