#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster on 127.0.0.1, then
# stops and removes the cluster. The command sees
#   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$PORT/postgres
# Needs PostgreSQL's server binaries (Debian: apt-get install -y postgresql).
# Usage: scripts/with-postgres.sh npx vitest run --project db
set -euo pipefail

port="${PG_TEST_PORT:-55433}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  bindir="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
fi
if [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found. Install them: sudo apt-get install -y postgresql" >&2
  exit 2
fi

workdir="$(mktemp -d /tmp/pipeline-pg.XXXXXX)"
# PostgreSQL refuses to run as root: use the postgres account when we are root.
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = "0" ]; then chown postgres "$workdir"; fi

stop_cluster() {
  as_owner "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop_cluster EXIT

as_owner "$bindir/initdb" -A trust -U postgres -D "$workdir/data" >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 2; }
as_owner "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 2; }

export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:${port}/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running for tests at $TEST_DATABASE_URL" >&2
set +e
"$@"
status=$?
set -e
exit $status
