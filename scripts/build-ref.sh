#!/usr/bin/env bash
# Builds the release site of another commit, for `make bench` to measure beside this one:
#   scripts/build-ref.sh <commit>   → prints the path of its dist/
# The commit is checked out in a git worktree under target/bench-ref/ and built by its own
# scripts/build-dist.sh, with a target directory shared by every reference (so a second commit
# builds incrementally). A dist/ already built for that commit is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$(git rev-parse --verify --quiet "${1:?usage: scripts/build-ref.sh <commit>}^{commit}") || {
  echo "build-ref: '$1' is not a commit of this repository (a shallow clone may lack it: git fetch --unshallow)" >&2
  exit 2
}
root="$PWD/target/bench-ref"
tree="$root/$commit"
if [[ -f "$tree/dist/index.html" && -f "$tree/.built" ]]; then
  echo "$tree/dist"
  exit 0
fi
mkdir -p "$root"
if [[ ! -d "$tree" ]]; then
  git worktree add --force --detach "$tree" "$commit" >&2
fi
# Older build scripts read target/ by its relative path: the shared directory is linked there.
mkdir -p "$root/target"
[[ -e "$tree/target" ]] || ln -s "$root/target" "$tree/target"
( cd "$tree" && CARGO_TARGET_DIR="$root/target" scripts/build-dist.sh >&2 )
touch "$tree/.built"
echo "$tree/dist"
