#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the store tests.
# On these machines the server is installed and usually running; start it if it stopped.
# Elsewhere (no server installed) the PostgreSQL tests skip with a reason, except in CI.
set -u
ready() { python3 - <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
}
if ready; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 20); do ready && exit 0; sleep 0.5; done
fi
echo "PostgreSQL is not reachable on 127.0.0.1:5432; its tests will skip (they fail in CI)." >&2
exit 0
