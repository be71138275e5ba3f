#!/usr/bin/env python3
"""Make sure the `make run` database exists with the addon and demo data installed.

    ensure_db.py DBNAME

A missing database is created from the dependencies' template (see dbtools) and the addon is
installed into it; an existing one is left as it is (`make run` then updates the addon).
"""
import subprocess
import sys

import dbtools


def main(name):
    if dbtools.exists(name):
        return 0
    print("creating database %s with demo data" % name, flush=True)
    dbtools.create_from_template(name, dbtools.ensure_template(dbtools.manifest_depends()))
    return subprocess.run([dbtools.ODOO, "-d", name, "-i", "after_sales_service",
                           "--stop-after-init", "--log-level=warn"]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
