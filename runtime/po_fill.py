#!/usr/bin/env python3
"""Fill untranslated entries of i18n/zh_CN.po from a "msgid<TAB>msgstr" file (one per line).

    .venv/bin/python runtime/po_fill.py [--correct] terms.tsv [more.tsv ...]

A helper for translators: existing translations are never overwritten, unless --correct (the
files then hold corrections too: their translation replaces the one in the PO); prints what is
still untranslated afterwards. Escapes: \\n and \\t in either column.
"""
import os
import sys

import polib

PO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n", "zh_CN.po")


def unescape(text):
    return text.replace("\\n", "\n").replace("\\t", "\t")


def main(args):
    correct = "--correct" in args
    terms = {}
    for path in [arg for arg in args if arg != "--correct"]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if "\t" in line:
                    msgid, msgstr = line.split("\t", 1)
                    terms[unescape(msgid)] = unescape(msgstr)
    po = polib.pofile(PO, wrapwidth=78)
    for entry in po:
        if entry.msgid in terms and (correct or not entry.msgstr):
            entry.msgstr = terms[entry.msgid]
    po.save(PO)
    missing = [e.msgid for e in po if not e.msgstr]
    for msgid in missing:
        print("untranslated: %r" % msgid)
    print("%d terms, %d untranslated" % (len(po), len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
