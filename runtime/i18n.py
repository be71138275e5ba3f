#!/usr/bin/env python3
"""Regenerate i18n/after_sales_service.pot from the installed addon and merge it into zh_CN.po.

    make pot

Exports the template with Odoo's own exporter (--i18n-export) from a fresh database holding the
addon, then updates i18n/zh_CN.po: translations of unchanged terms are kept, new terms are added
untranslated, terms gone from the template are dropped. Prints the untranslated count.

Both files are written as the OCA po-pretty-format check wants them (`make lint`): entries
sorted by msgid, lines wrapped at 78 columns, no msgstr equal to its msgid.
"""
import os
import subprocess
import sys

import polib

import dbtools

ROOT = dbtools.ROOT
POT = os.path.join(ROOT, "i18n", "after_sales_service.pot")
PO = os.path.join(ROOT, "i18n", "zh_CN.po")
DB = "after_sales_i18n"


def export_pot():
    dbtools.create_from_template(DB, dbtools.ensure_template(dbtools.manifest_depends()))
    subprocess.run([dbtools.ODOO, "-d", DB, "-i", "after_sales_service", "--stop-after-init",
                    "--log-level=warn"], check=True)
    exported = POT[:-len(".pot")] + ".export.po"  # Odoo's CLI writes .po; no --language: a template
    subprocess.run([dbtools.ODOO, "-d", DB, "--i18n-export=%s" % exported,
                    "--modules=after_sales_service", "--stop-after-init", "--log-level=warn"],
                   check=True)
    os.replace(exported, POT)
    dbtools.drop(DB)


def pretty(path):
    """Rewrite a PO/POT file in the OCA hooks' canonical form (polib's, sorted by msgid)."""
    with open(path, encoding="utf-8") as f:
        po = polib.pofile(f.read())
    po.sort(key=lambda entry: entry.msgid)
    for entry in po:
        if entry.msgstr == entry.msgid:
            entry.msgstr = ""
    with open(path, "w", encoding="utf-8") as f:
        f.write(str(po))


def merge():
    pot = polib.pofile(POT)
    old = polib.pofile(PO) if os.path.exists(PO) else polib.POFile()
    known = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
    by_msgid = {e.msgid: e.msgstr for e in old if e.msgstr}
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata.update({"Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;",
                        "Content-Type": "text/plain; charset=UTF-8"})
    po.header = pot.header
    for entry in pot:
        entry.msgstr = known.get((entry.msgctxt, entry.msgid)) or by_msgid.get(entry.msgid, "")
        po.append(entry)
    po.save(PO)
    pretty(POT)
    pretty(PO)
    po = polib.pofile(PO)
    missing = [e.msgid for e in po if not e.msgstr]
    print("%s: %d terms, %d untranslated" % (os.path.relpath(PO, ROOT), len(po), len(missing)))
    for msgid in missing:
        print("  untranslated: %r" % msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    if "--merge-only" not in sys.argv:
        export_pot()
    sys.exit(merge())
