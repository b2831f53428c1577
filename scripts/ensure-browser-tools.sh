#!/usr/bin/env bash
# Report tests need: Debian's chromium (driven by Playwright for the axe-core accessibility
# check), poppler-utils (pdftotext, pdftoppm) and axe-core (from the npm registry, into
# .cache/axe-core). Installs what is missing (apt-get as root; npm).
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "Installing ${missing[*]} for the report tests (apt-get)…" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing ${missing[*]}: install them for the report tests (e.g. apt-get install ${missing[*]})." >&2
    exit 1
  fi
fi
AXE_VERSION=4.10.3
if [ ! -f .cache/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    mkdir -p .cache/axe-core
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "axe-core@${AXE_VERSION}" --silent >/dev/null && tar xzf axe-core-*.tgz)
    cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" .cache/axe-core/ && rm -rf "$tmp"
  else
    echo "npm is missing: the accessibility test needs axe-core from the npm registry." >&2
    exit 1
  fi
fi
