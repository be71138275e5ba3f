#!/usr/bin/env python3
"""The web client, checked as a person would: Odoo serves, assets compile, a browser logs in.

    make ui-check            (database: the `make run` one, created if missing)

Starts Odoo on a spare port against the database, then checks that /web/login answers 200,
that headless Chromium (Debian's, driven by Playwright) logs in as admin with no JavaScript
error and sees the After-Sales application, and that the server logged no traceback or error
(asset bundles included). Saves screenshots under .logs/ and exits non-zero on any problem.
"""
import os
import subprocess
import sys
import time

import requests

import dbtools

ROOT = dbtools.ROOT
LOGS = os.path.join(ROOT, ".logs")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def start_server(db, port, log_path):
    if os.path.exists(log_path):
        os.unlink(log_path)
    return subprocess.Popen([dbtools.ODOO, "-d", db, "--db-filter=^%s$" % db,
                             "--http-port=%d" % port, "--workers=0", "--max-cron-threads=0",
                             "--logfile=%s" % log_path])


def wait_for_login(base, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            response = requests.get(base + "/web/login", timeout=60)
            if response.status_code == 200:
                return response
        except (requests.ConnectionError, requests.Timeout):
            pass  # not serving yet, or busy with its first page on a loaded machine
        time.sleep(1)
    raise SystemExit("Odoo did not answer /web/login within %ss" % timeout)


def browse(base, problems):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 800})
        page.on("console", lambda m: m.type == "error" and problems.append("JS: " + m.text))
        page.on("pageerror", lambda e: problems.append("JS: %s" % e))
        page.goto(base + "/web/login")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "admin")
        page.click("button[type=submit]")
        page.locator(".o_web_client").wait_for(timeout=120000)
        # OCA web_responsive: the applications are in the app drawer, opened by its toggle
        toggle = page.locator(".app-drawer-toggle:visible, .o_menu_toggle:visible")
        toggle.first.wait_for(state="visible", timeout=120000)
        if not page.locator(".drawer-open").count():
            toggle.first.click()
        app = page.locator('a[data-menu-xmlid="after_sales_service.after_sales_root_menu"]')
        app.first.wait_for(state="visible", timeout=60000)
        page.wait_for_timeout(1000)
        page.screenshot(path=os.path.join(LOGS, "ui_home.png"))
        app.first.click()
        # the app's sections in the navbar, its first action (the dashboard) opened
        page.locator('a[data-menu-xmlid="after_sales_service.request_menu"]').first.wait_for(
            state="attached", timeout=60000)
        page.locator(".o_content > *").first.wait_for(state="visible", timeout=60000)
        page.wait_for_timeout(1500)
        page.screenshot(path=os.path.join(LOGS, "ui_after_sales.png"))
        browser.close()


def server_problems(log_path, warnings=False):
    """The log's errors and tracebacks (with warnings=True, its warnings too)."""
    levels = (" ERROR ", " CRITICAL ") + ((" WARNING ",) if warnings else ())
    out = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if any(level in line for level in levels) or line.startswith("Traceback"):
                out.append("server: " + line.rstrip())
    return out


def main(base, db):
    os.makedirs(LOGS, exist_ok=True)
    if subprocess.run([sys.executable, os.path.join(dbtools.HERE, "ensure_db.py"), db]).returncode:
        return 1
    port = int(base.rsplit(":", 1)[1]) + 11  # a spare port next to `make run`'s
    base = "http://localhost:%d" % port
    log_path = os.path.join(LOGS, "ui_check_server.log")
    server = start_server(db, port, log_path)
    problems = []
    try:
        wait_for_login(base)
        print("ok: /web/login answers 200")
        browse(base, problems)
    finally:
        server.terminate()
        server.wait(30)
    problems += server_problems(log_path)
    for problem in problems:
        print(problem)
    if problems:
        print("ui-check: %d problem(s)" % len(problems))
        return 1
    print("ok: logged in, After-Sales menu shown, no JS error, no server error "
          "(screenshots in .logs/)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
