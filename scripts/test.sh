#!/usr/bin/env bash
# Every test, in order: format, lints (native and wasm32), native tests (unit, integration,
# tidy, properties, a short fuzz run), browser tests in headless Chromium, the release build,
# and the end-to-end tests against that release dist/. Each runner's summary is printed; the
# first failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
start=$(date +%s)
summary=()
step() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  printf '\n==> %s\n' "$name"
  local log; log=$(mktemp)
  if ! "$@" 2>&1 | tee "$log"; then
    printf '\nFAILED: %s\n' "$name"
    exit 1
  fi
  local lines
  # cargo prints one "test result" per test binary: add them up.
  lines=$(awk '
    /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }; n++ }
    /^# (pass|fail) / { printf "%s %s; ", $2, $3 }
    /^  dist\/pkg\/llm_memviz_bg.wasm/ { printf "wasm %s B raw, %s B gzip; ", $2, $5 }
    END { if (n) printf "%d passed, %d failed in %d test binaries", p, f, n }
  ' "$log")
  summary+=("$(printf '%-28s %4ss  %s' "$name" "$(( $(date +%s) - t0 ))" "$lines")")
  rm -f "$log"
}

step "setup" scripts/setup.sh test
step "cargo fmt --check" cargo fmt --all --check
step "clippy (native)" cargo clippy --all-targets -- -D warnings
step "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --lib --bins --test browser -- -D warnings
step "native tests" cargo test --all-targets
step "browser tests (Chromium)" env CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test --target wasm32-unknown-unknown --test browser
step "release build" scripts/build-dist.sh
step "end-to-end (Chromium)" bash -c 'cd tests/e2e && node --test --test-concurrency=1 --test-reporter=tap *.test.mjs'

printf '\n==> summary (%s s)\n' "$(( $(date +%s) - start ))"
printf '%s\n' "${summary[@]}"
echo "all tests passed"
