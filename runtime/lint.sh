#!/usr/bin/env bash
# make lint: pylint with pylint-odoo (.pylintrc) and the OCA checks oca-checks-odoo-module and
# oca-checks-po (.oca_hooks.cfg) on the addon. Exits 0 only when there is no message at all; the
# last lines are a count per message and "lint: N messages" or "lint: clean".
#  - .lintenv/: the tool environment, pinned by runtime/requirements-lint.txt, created when
#    missing or when that file changes (never .venv, the Odoo runtime). `--setup` stops there.
#  - .lintenv/addons-<checkout>/after_sales_service/: a fresh copy of the addon's own files and
#    folders (the same entries as .addons/, so never runtime/, bench/, .venv...) that both tools
#    lint; one per checkout, so that worktrees sharing .lintenv lint at the same time.
#    Both name the module after its folder, which a clone need not be called after, and both
#    look for the manifest below the git top level only: on the repository root, which is the
#    addon and the top level at once, oca-checks-odoo-module finds no module and passes, and
#    pylint-odoo drops its manifest-based checks (consider-merging-classes-inherited...).
#    Paths in the output are given relative to the repository root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

env=.lintenv
stamp="$env/.installed-$(sha1sum runtime/requirements-lint.txt | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "lint: creating $env (pylint-odoo, oca-odoo-pre-commit-hooks)"
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "lint: pylint 4 needs Python 3.10 or newer as python3" >&2
    exit 2
  fi
  [ -x "$env/bin/python" ] || python3 -m venv "$env"
  "$env/bin/pip" install -q --disable-pip-version-check -r runtime/requirements-lint.txt 2> >(grep -v "^WARNING: Location" >&2)
  rm -f "$env"/.installed-*
  touch "$stamp"
fi
[ "${1:-}" = "--setup" ] && exit 0
bin="$root/$env/bin"
export PYLINTHOME="$root/$env/pylint-home"  # pylint's cache, kept out of ~/.cache

stage_dir="$env/addons-$(printf %s "$root" | sha1sum | cut -c1-8)"
stage_rel="$stage_dir/after_sales_service"
stage="$root/$stage_rel"
rm -rf "$root/$stage_dir"
mkdir -p "$stage"
for entry in *; do
  case "$entry" in runtime|bench|Makefile) continue ;; esac
  cp -a "$entry" "$stage/"
done
find "$stage" -name __pycache__ -prune -exec rm -rf {} +

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The OCA checks print paths relative to the git top level (…/.lintenv/addons-*/after_sales_service/
# …) in colour: plain text, paths from the repository root.
plain() { sed -E -e 's/\x1b\[[0-9;]*m//g' -e "s#([^ ]*/)?\\.lintenv/addons[^/]*/after_sales_service/##g"; }
oca_head="^([^ ]*/)?\\.lintenv/addons[^/]*/after_sales_service/[^ ]*: [a-z][a-z0-9-]*( |\$)"
failed=()

echo "== pylint $("$bin/python" -c 'import importlib.metadata as m; print(m.version("pylint"))')" \
     "+ pylint-odoo $("$bin/python" -c 'import importlib.metadata as m; print(m.version("pylint-odoo"))')" \
     "(.pylintrc, valid-odoo-versions=11.0)"
set +e
(cd "$stage" && "$bin/pylint" --rcfile="$root/.pylintrc" --disable=manifest-required-author .) > "$out/pylint" 2>&1
rc_pylint=$?
set -e
cat "$out/pylint"
n_pylint=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: [A-Z][0-9]{4}: ' "$out/pylint" || true)
# pylint's exit status is a bit mask; 32 is a usage or configuration error.
if (( rc_pylint & 32 )) || { [ "$rc_pylint" -ne 0 ] && [ "$n_pylint" -eq 0 ]; }; then
  failed+=("pylint exited $rc_pylint")
fi

echo "== oca-checks-odoo-module $("$bin/python" -c 'import importlib.metadata as m; print(m.version("oca-odoo-pre-commit-hooks"))')" \
     "(.oca_hooks.cfg; manifest, XML, CSV)"
set +e
"$bin/oca-checks-odoo-module" --config="$root/.oca_hooks.cfg" "$stage" > "$out/module.raw" 2>&1
rc_module=$?
set -e
sed -E 's/\x1b\[[0-9;]*m//g' "$out/module.raw" | { grep -E "$oca_head" || true; } | plain > "$out/list"
n_module=$(wc -l < "$out/list")
plain < "$out/module.raw" | cat -s
if { [ "$rc_module" -ne 0 ] && [ "$n_module" -eq 0 ]; } || { [ "$rc_module" -eq 0 ] && [ "$n_module" -ne 0 ]; }; then
  failed+=("oca-checks-odoo-module exited $rc_module")
fi

mapfile -t po_files < <(find "$stage" -path "$stage/i18n*" \( -name '*.po' -o -name '*.pot' \) | sort)
echo "== oca-checks-po (.oca_hooks.cfg; ${#po_files[@]} PO/POT files)"
n_po=0; rc_po=0
if [ ${#po_files[@]} -gt 0 ]; then
  set +e
  "$bin/oca-checks-po" --config="$root/.oca_hooks.cfg" "${po_files[@]}" > "$out/po.raw" 2>&1
  rc_po=$?
  set -e
  sed -E 's/\x1b\[[0-9;]*m//g' "$out/po.raw" | { grep -E "$oca_head" || true; } | plain >> "$out/list"
  n_po=$(( $(wc -l < "$out/list") - n_module ))
  plain < "$out/po.raw" | cat -s
  if { [ "$rc_po" -ne 0 ] && [ "$n_po" -eq 0 ]; } || { [ "$rc_po" -eq 0 ] && [ "$n_po" -ne 0 ]; }; then
    failed+=("oca-checks-po exited $rc_po")
  fi
fi

# Summary: message -> count -> first place it is raised.
total=$((n_pylint + n_module + n_po))
if [ "$total" -gt 0 ]; then
  echo "== summary"
  {
    sed -nE 's/^([^ ]+:[0-9]+):[0-9]+: [A-Z][0-9]{4}: .* \(([a-z0-9-]+)\)$/\2 \1/p' "$out/pylint"
    sed -nE 's/^([^ ]+): ([a-z][a-z0-9-]*)( .*)?$/\2 \1/p' "$out/list"
  } | awk '{ n[$1]++; if (!($1 in first)) first[$1] = $2 }
           END { for (m in n) printf "%6d  %-40s %s\n", n[m], m, first[m] }' | sort -k1,1nr -k2,2
fi
if [ ${#failed[@]} -gt 0 ]; then
  printf 'lint: tool failure: %s\n' "${failed[@]}"
elif [ "$total" -eq 0 ]; then
  echo "lint: clean"
  exit 0
fi
echo "lint: $total messages (pylint $n_pylint, oca-checks-odoo-module $n_module, oca-checks-po $n_po)"
[ ${#failed[@]} -eq 0 ] || exit 2
exit 1
