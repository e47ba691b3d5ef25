#!/usr/bin/env bash
# Regenerates src/gen from proto/ with buf and fails when the committed code differs.
# Usage: scripts/check-gen-drift.sh [repo-root]   (default: the repository containing this script)
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"

buf_bin="${BUF_BIN:-$root/node_modules/.bin/buf}"
if [[ ! -x "$buf_bin" ]]; then
  echo "check-gen-drift: buf not found at $buf_bin (run npm ci, or set BUF_BIN)" >&2
  exit 2
fi

"$buf_bin" lint
"$buf_bin" generate

drift="$(git status --porcelain --untracked-files=all -- src/gen)"
if [[ -n "$drift" ]]; then
  echo "check-gen-drift: generated code in src/gen is out of date with proto/:" >&2
  echo "$drift" >&2
  echo "check-gen-drift: run 'npx buf generate' and commit src/gen." >&2
  exit 1
fi
echo "check-gen-drift: src/gen is up to date"
