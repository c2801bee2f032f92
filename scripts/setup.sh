#!/usr/bin/env bash
# Installs what the README's commands need, once: anything already present is skipped.
#   scripts/setup.sh serve   the wasm32 target and wasm-bindgen-cli (what `make serve` needs)
#   scripts/setup.sh test    also Debian's Chromium + ChromeDriver and the npm packages
# Everything comes from rustup, crates.io, Debian and npm: nothing is downloaded from GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-test}
start=$(date +%s)
say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if [[ $what == test ]]; then
  for c in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$c"; then
      say "adding the rust component $c"
      rustup component add "$c"
    fi
  done
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [[ "$have" != "$want" ]]; then
  say "installing wasm-bindgen-cli $want from crates.io (about 3-5 minutes, once)"
  # --locked first; its lockfile can name a crate version the registry lacks, then unlocked.
  cargo install wasm-bindgen-cli --version "$want" --locked \
    || cargo install wasm-bindgen-cli --version "$want"
fi

# The build draws the link-preview image (dist/og.png) with a system font: Liberation Sans
# (Debian's fonts-liberation) or DejaVu Sans.
if ! compgen -G "/usr/share/fonts/truetype/*/LiberationSans-Regular.ttf" >/dev/null \
   && ! compgen -G "/usr/share/fonts/truetype/*/DejaVuSans.ttf" >/dev/null; then
  say "installing Debian's fonts-liberation (the link-preview image's font)"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-liberation >/dev/null
fi

if [[ $what == test ]]; then
  # Browsers for the tests: Chromium (every end-to-end test), Firefox ESR and WebKitGTK with a
  # virtual display (the cross-engine smoke test), from Debian, in one apt run.
  apt_want=()
  command -v chromium >/dev/null || apt_want+=(chromium)
  command -v chromedriver >/dev/null || apt_want+=(chromium-driver)
  command -v firefox-esr >/dev/null || apt_want+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || apt_want+=(webkit2gtk-driver)
  command -v Xvfb >/dev/null || apt_want+=(xvfb)
  if (( ${#apt_want[@]} )); then
    say "installing Debian's ${apt_want[*]} (about 1-3 minutes, once)"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo=sudo; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${apt_want[@]}" >/dev/null
  fi
  if ! command -v geckodriver >/dev/null; then
    say "installing geckodriver from crates.io (Firefox's WebDriver; about 2-4 minutes, once)"
    cargo install geckodriver --locked || cargo install geckodriver
  fi
  stamp=tests/e2e/node_modules/.llm-memviz-lock
  if ! cmp -s tests/e2e/package-lock.json "$stamp" 2>/dev/null; then
    say "installing the npm packages of tests/e2e from package-lock.json"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
    cp tests/e2e/package-lock.json "$stamp"
  fi
fi
say "ready ($what) in $(( $(date +%s) - start )) s"
