#!/usr/bin/env bash
# The web service's NHS.UK frontend assets (CSS, JS, images) from the npm registry: the
# package nhsuk-frontend at the version paired with nhsuk-frontend-jinja (pyproject.toml),
# packed into .cache/ and its dist/nhsuk files copied into src/ladder/web/static/nhsuk
# (not committed; served at /assets). Idempotent.
set -eu
VERSION=10.6.1
DEST=src/ladder/web/static/nhsuk
if [ -f "$DEST/nhsuk-frontend.min.css" ] && [ "$(cat "$DEST/VERSION" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is missing: the web pages need nhsuk-frontend@$VERSION from the npm registry." >&2; exit 1; }
mkdir -p .cache
if [ ! -f ".cache/nhsuk-frontend-$VERSION.tgz" ]; then
  (cd .cache && npm pack "nhsuk-frontend@$VERSION" --silent >/dev/null)
fi
tmp=$(mktemp -d)
tar xzf ".cache/nhsuk-frontend-$VERSION.tgz" -C "$tmp"
rm -rf "$DEST" && mkdir -p "$DEST"
src="$tmp/package/dist/nhsuk"
cp "$src/nhsuk-frontend.min.css" "$src/nhsuk-frontend.min.js" "$DEST/"
cp -r "$src/assets/images" "$DEST/images"
cp "$src/assets/manifest.json" "$DEST/" 2>/dev/null || true
echo "$VERSION" > "$DEST/VERSION"
rm -rf "$tmp"
