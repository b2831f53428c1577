#!/usr/bin/env bash
# PDF reports use WeasyPrint, which needs the Pango text libraries from the system.
# Install them with apt-get when they are missing (Debian/Ubuntu, as root).
set -u
PY="${1:-.venv/bin/python}"
if "$PY" -c "import weasyprint" >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing Pango for PDF reports (apt-get install libpango-1.0-0 libpangoft2-1.0-0)…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core >/dev/null
  "$PY" -c "import weasyprint" >/dev/null 2>&1 && exit 0
fi
echo "WeasyPrint cannot load Pango: PDF reports need libpango (e.g. apt-get install libpango-1.0-0 libpangoft2-1.0-0)." >&2
exit 1
