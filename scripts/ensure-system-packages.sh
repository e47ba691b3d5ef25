#!/usr/bin/env bash
# The system packages the test suite needs (bubblewrap: the agent sandbox; chromium: the web console's
# browser tests, which drive Debian's build since Playwright cannot download its own here). Installed when
# missing and running as root with apt; otherwise one line naming them, and the tests do not start.
set -euo pipefail

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages the tests need: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "the tests need these system packages: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
exit 1
