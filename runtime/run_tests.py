#!/usr/bin/env python3
"""Run Odoo tests on a fresh database and count them from Odoo's own test log.

    run_tests.py --db NAME --install MODULES [--modules-report M1,M2] [--log FILE]
                 [--only test_a,test_b] [-- ODOO ARGS]

Odoo 11 runs each test module with unittest's TextTestRunner and logs its output line by line
(odoo.modules.module.TestStream). This script drops and recreates the database, installs the
modules with demo data and --test-enable, then reads that log: "Ran N tests", "FAILED (...)",
"OK (skipped=...)", the skip reasons, and every ERROR/CRITICAL record outside a test (a module
that fails to load or a test file that fails to import counts as a failure too).

Without --modules-report it prints the failures, then `N passed, N failed` as its last line and
exits 1 on any failure. With --modules-report it prints a table per module (the Odoo suites).
With --only (make test ONLY=test_visit,test_rpc) only those test files of the addon run, for a
quick loop while working: the addon is loaded from a copy of .addons whose tests/__init__.py
imports just them. The full suite stays the judge.
"""
import argparse
import collections
import os
import re
import socket
import shutil
import subprocess
import sys

import dbtools

ROOT = dbtools.ROOT
RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) (\S+) ([\w.]+): (.*)$")
TEST_LOGGER = re.compile(r"^odoo\.addons\.(\w+)\.tests\b")
RAN = re.compile(r"^Ran (\d+) tests? in")
# unittest writes "FAILED" / "OK" and " (failures=1, errors=2, skipped=3)" as separate writes
OUTCOME = re.compile(r"^\s*(?:OK|FAILED)?\s*\(((?:\w+=\d+(?:, )?)+)\)$")
# Odoo's own summaries of failures already counted
MODULE_SUMMARY = re.compile(r"^Module \w+: \d+ failures, \d+ errors$"
                            r"|^At least one test failed when loading the modules\.$")
SKIP = re.compile(r"skipped '(.*)'$")


class Counts(object):
    def __init__(self):
        self.ran = self.failures = self.errors = self.skipped = self.phantomjs = 0

    @property
    def failed(self):
        return self.failures + self.errors

    @property
    def passed(self):
        return max(self.ran - self.failed - self.skipped, 0)


def parse(lines):
    """Return (per-module Counts, problems) from an Odoo 11 log."""
    per_module = collections.defaultdict(Counts)
    problems = []  # (kind, text) of every failure, error and error outside tests
    current = None  # the record being continued by traceback lines
    for line in lines:
        line = line.rstrip("\n")
        m = RECORD.match(line)
        if not m:
            if current is not None:
                current[1].append(line)
            continue
        level, _db, logger, msg = m.groups()
        current = None
        test = TEST_LOGGER.match(logger)
        if test:
            counts = per_module[test.group(1)]
            text = msg[2:] if msg.startswith("` ") else msg
            if RAN.match(text):
                counts.ran += int(RAN.match(text).group(1))
            elif OUTCOME.match(text):
                for part in OUTCOME.match(text).group(1).split(", "):
                    if "=" in part:
                        key, value = part.split("=")
                        if key in ("failures", "errors", "skipped"):
                            setattr(counts, key, getattr(counts, key) + int(value))
            skip = SKIP.search(text)
            if skip and "phantomjs" in skip.group(1).lower():
                counts.phantomjs += 1
            if level in ("ERROR", "CRITICAL") and text.startswith(("ERROR:", "FAIL:")):
                current = (logger, [text])
                problems.append(current)
            elif current is None and level in ("ERROR", "CRITICAL") and problems \
                    and problems[-1][0] == logger and not OUTCOME.match(text) \
                    and text not in ("OK", "FAILED", "ERROR", "FAIL"):
                problems[-1][1].append(text)
        elif level in ("ERROR", "CRITICAL") and not MODULE_SUMMARY.match(msg):
            # outside a test: a module that does not load, a test file that does not import
            current = (logger, [msg])
            problems.append(current)
            per_module["(outside tests)"].errors += 1
    return per_module, problems


def run_odoo(args, log_path):
    """Install the modules with --test-enable on a fresh database; return Odoo's exit status.

    The addon's tests (default) start from a copy of the template holding its dependencies, so
    that only the addon's own tests run; --fresh installs everything in the run (Odoo's suites).
    """
    if args.fresh:
        dbtools.drop(args.db)
    else:
        dbtools.create_from_template(args.db, dbtools.ensure_template(dbtools.manifest_depends()))
    with open(log_path, "w"):
        pass
    cmd = [dbtools.ODOO, "-d", args.db, "-i", args.install, "--test-enable", "--stop-after-init",
           "--log-level=info", "--logfile=%s" % log_path,
           # HTTP tests need Odoo's server: a free port, so runs don't collide with `make run`
           "--http-port=%d" % free_port()] + args.odoo_args
    if args.only:
        cmd.append("--addons-path=%s" % subset_addons(args.install, args.only.split(",")))
    print("running: %s (log: %s)" % (" ".join(cmd[1:6]), log_path), flush=True)
    return subprocess.run(cmd).returncode


def subset_addons(module, tests):
    """An addons path whose copy of the module imports only these test files."""
    source = os.path.join(ROOT, ".addons", module)
    target = os.path.join(ROOT, ".addons-only", module)
    if os.path.isdir(target):
        shutil.rmtree(target)
    os.makedirs(os.path.join(target, "tests"))
    for entry in os.listdir(source):
        if entry != "tests":
            os.symlink(os.path.realpath(os.path.join(source, entry)), os.path.join(target, entry))
    tests_dir = os.path.realpath(os.path.join(source, "tests"))
    names = [name[:-3] for name in os.listdir(tests_dir) if name.endswith(".py")]
    unknown = [name for name in tests if name not in names]
    if unknown:
        sys.exit("unknown test files: %s" % ", ".join(unknown))
    for name in names:
        if name != "__init__":
            os.symlink(os.path.join(tests_dir, name + ".py"),
                       os.path.join(target, "tests", name + ".py"))
    with open(os.path.join(target, "tests", "__init__.py"), "w") as init:
        init.writelines("from . import %s\n" % name for name in tests)
    return os.path.dirname(target)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--install", required=True)
    parser.add_argument("--modules-report")
    parser.add_argument("--log")
    parser.add_argument("--parse-only", action="store_true", help="read an existing --log")
    parser.add_argument("--fresh", action="store_true",
                        help="install everything in the run (runs the dependencies' tests too)")
    parser.add_argument("--only", help="comma-separated test files of the addon (no .py)")
    parser.add_argument("odoo_args", nargs="*")
    args = parser.parse_args()
    log_path = args.log or os.path.join(ROOT, ".logs", args.db + ".log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    rc = 0 if args.parse_only else run_odoo(args, log_path)
    with open(log_path, encoding="utf-8", errors="replace") as log:
        per_module, problems = parse(log)
    if rc and not any(c.failed for c in per_module.values()):
        per_module["(outside tests)"].errors += 1
        problems.append(("odoo", ["Odoo exited with status %s" % rc]))
    if args.modules_report:
        return report_modules(per_module, args.modules_report.split(","))
    for logger, text in problems:
        print("\n%s\n  %s" % (logger, "\n  ".join(text[:60])))
    passed = sum(c.passed for c in per_module.values())
    failed = sum(c.failed for c in per_module.values())
    skipped = sum(c.skipped for c in per_module.values())
    if not sum(c.ran for c in per_module.values()):
        failed += 1
        print("no test ran")
    print("log: %s" % log_path)
    summary = "%d passed, %d failed" % (passed, failed)
    if skipped:
        summary += ", %d skipped" % skipped
    print(summary)
    return 1 if failed else 0


def report_modules(per_module, wanted):
    print("%-22s %7s %7s %7s %7s %9s" % ("module", "ran", "passed", "failed", "skipped",
                                         "phantomjs"))
    total = Counts()
    for name in sorted(per_module):
        counts = per_module[name]
        mark = "*" if name in wanted else " "
        print("%s%-21s %7d %7d %7d %7d %9d" % (mark, name, counts.ran, counts.passed,
                                               counts.failed, counts.skipped, counts.phantomjs))
        if name in wanted or name == "(outside tests)":
            for key in ("ran", "failures", "errors", "skipped", "phantomjs"):
                setattr(total, key, getattr(total, key) + getattr(counts, key))
    executed = total.ran - total.skipped
    rate = 100.0 * total.passed / executed if executed else 0.0
    print("suites %s: %d executed, %d passed, %d failed (%.2f%% passing), %d skipped "
          "(%d need PhantomJS)" % (",".join(wanted), executed, total.passed, total.failed, rate,
                                   total.skipped, total.phantomjs))
    return 0 if rate >= 98.0 else 1


if __name__ == "__main__":
    sys.exit(main())
