#!/usr/bin/env python3
"""Make sure the `make run` database exists with the addon, demo data and Chinese installed.

    ensure_db.py DBNAME

A missing database is created from the dependencies' template (see dbtools) and the addon is
installed into it with the zh_CN language loaded (the demo users work in Chinese); an existing
one is left as it is (`make run` then updates the addon), except that zh_CN is loaded into it
once if it lacks Odoo's Chinese terms.
"""
import subprocess
import sys

import dbtools

LANG = "zh_CN"


def has_language(name):
    """Whether the database has the language with base's terms loaded."""
    return dbtools.psql("SELECT 1 FROM res_lang l WHERE l.code = '%s' AND l.active AND EXISTS "
                        "(SELECT 1 FROM ir_translation t WHERE t.lang = l.code "
                        "AND t.module = 'base' LIMIT 1)" % LANG, db=name) == "1"


def main(name):
    if dbtools.exists(name):
        if has_language(name):
            return 0
        print("loading language %s into %s" % (LANG, name), flush=True)
        return subprocess.run([dbtools.ODOO, "-d", name, "--load-language=%s" % LANG,
                               "--stop-after-init", "--log-level=warn"]).returncode
    print("creating database %s with demo data and %s" % (name, LANG), flush=True)
    dbtools.create_from_template(name, dbtools.ensure_template(dbtools.manifest_depends()))
    return subprocess.run([dbtools.ODOO, "-d", name, "-i", "after_sales_service",
                           "--load-language=%s" % LANG,
                           "--stop-after-init", "--log-level=warn"]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
