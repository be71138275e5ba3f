#!/usr/bin/env bash
# The project's PostgreSQL. With PGHOST set, an existing server is used (PGHOST, PGPORT, PGUSER,
# PGPASSWORD) and nothing is started. Otherwise the project runs its own PostgreSQL 15: data in
# .pgdata/ (git-ignored), listening only on a Unix socket of its own, started on demand and never
# touching a server it did not start.
#   runtime/pg.sh start     start the project's server if needed
#   runtime/pg.sh stop      stop the project's server (only that one)
#   runtime/pg.sh restart [SECONDS]   stop the project's server (only that one), wait SECONDS
#                           (default 0), start it again: `make load` does it mid-run on its own
#                           cluster
#   runtime/pg.sh args      print Odoo's --db_* options for the server in use
# AS_PGDIR (default .pgdata) is the folder of the project's server (data/, run/, server.log):
# `make load` runs its own cluster in .bench/load/pg so that restarting it never disturbs the
# server `make run` and `make test` use. AS_PGPORT (default 5433) names its socket.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pgdir="${AS_PGDIR:-$root/.pgdata}"
data="$pgdir/data"
port="${AS_PGPORT:-5433}"
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v pg_ctl)")
# A Unix socket path is limited to about 100 bytes: fall back to /tmp for a deep checkout.
sock="$pgdir/run"
if [ ${#sock} -gt 80 ]; then sock="/tmp/as-pg-$(echo -n "${AS_PGDIR:-$root}" | md5sum | cut -c1-10)"; fi

as_owner() {  # initdb and postgres refuse to run as root: run them as the postgres account
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  [ -n "${PGHOST:-}" ] && return 0
  mkdir -p "$pgdir" "$sock"
  [ "$(id -u)" = 0 ] && chown postgres "$pgdir" "$sock"
  if [ ! -s "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -U odoo -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$data" -w -t 60 -l "$pgdir/server.log" -o "$(options)" \
      start >/dev/null
  fi
}

options() {
  echo "-k $sock -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
}

restart() {
  if [ -n "${PGHOST:-}" ]; then
    echo "pg.sh: PGHOST is set: not restarting a server the project did not start" >&2
    return 1
  fi
  if [ -s "$data/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  sleep "${1:-0}"
  start
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
  restart) restart "${2:-0}" ;;
  args) args ;;
  *) echo "usage: $0 start|stop|restart [SECONDS]|args" >&2; exit 2 ;;
esac
