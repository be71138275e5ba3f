#!/usr/bin/env bash
# The project's PostgreSQL. With PGHOST set, an existing server is used (PGHOST, PGPORT, PGUSER,
# PGPASSWORD) and nothing is started. Otherwise the project runs its own PostgreSQL 15: data in
# .pgdata/ (git-ignored), listening only on a Unix socket of its own, started on demand and never
# touching a server it did not start.
#   runtime/pg.sh start   start the project's server if needed
#   runtime/pg.sh stop    stop the project's server (only that one)
#   runtime/pg.sh args    print Odoo's --db_* options for the server in use
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.pgdata/data"
port="${AS_PGPORT:-5433}"
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v pg_ctl)")
# A Unix socket path is limited to about 100 bytes: fall back to /tmp for a deep checkout.
sock="$root/.pgdata/run"
if [ ${#sock} -gt 80 ]; then sock="/tmp/as-pg-$(echo -n "$root" | md5sum | cut -c1-10)"; fi

as_owner() {  # initdb and postgres refuse to run as root: run them as the postgres account
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  [ -n "${PGHOST:-}" ] && return 0
  mkdir -p "$root/.pgdata" "$sock"
  [ "$(id -u)" = 0 ] && chown postgres "$root/.pgdata" "$sock"
  if [ ! -s "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -U odoo -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$data" -w -t 60 -l "$root/.pgdata/server.log" \
      -o "-k $sock -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
  fi
}

stop() {
  [ -n "${PGHOST:-}" ] && return 0
  [ -s "$data/PG_VERSION" ] || return 0
  as_owner "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
}

args() {
  if [ -n "${PGHOST:-}" ]; then
    printf -- '--db_host=%s --db_port=%s --db_user=%s' "$PGHOST" "${PGPORT:-5432}" "${PGUSER:-odoo}"
    [ -n "${PGPASSWORD:-}" ] && printf -- ' --db_password=%s' "$PGPASSWORD"
    echo
  else
    echo "--db_host=$sock --db_port=$port --db_user=odoo"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  args) args ;;
  *) echo "usage: $0 start|stop|args" >&2; exit 2 ;;
esac
