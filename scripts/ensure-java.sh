#!/usr/bin/env bash
# PySpark (one of Ladder's three engines) needs Java 17+. Install a headless JRE from the
# system's packages when none is present (Debian/Ubuntu, as root); elsewhere say what to do.
set -u
if command -v java >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing a Java runtime for PySpark (apt-get install default-jre-headless)…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  command -v java >/dev/null 2>&1 && exit 0
fi
echo "Java is not installed: the PySpark engine tests need Java 17+ (e.g. apt-get install default-jre-headless)." >&2
exit 1
