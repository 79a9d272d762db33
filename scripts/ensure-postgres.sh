#!/usr/bin/env bash
# The integration tests use PostgreSQL on 127.0.0.1:5432 (trust auth). Start the local
# cluster if it is installed but stopped.
set -u
answers() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
answers && exit 0
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "PostgreSQL is installed but not answering: starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do answers && exit 0; sleep 1; done
fi
echo "PostgreSQL is not running on 127.0.0.1:5432: start it, or set ZHIBIAO_TEST_PG_URL; the PostgreSQL tests will be skipped" >&2
exit 0
