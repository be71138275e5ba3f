#!/usr/bin/env python3
"""The README's screenshots, taken from the demo as its users see it.

    make screenshots         (database: as_screenshots, created with demo data and zh_CN)

Starts Odoo on a spare port, then with headless Chromium (Debian's, through Playwright):
  - the clerk (王芳, zh_CN) opens a demo service request: static/description/screenshot_request.png
  - the technician (刘洋) on a 390x844 phone opens My Visits and his first visit:
    static/description/screenshot_phone_visit.png
  - the clerk prints the service record (维护服务记录表) of a visit with its record filled in;
    its first page as a picture (pdftoppm): static/description/screenshot_service_record.png
Fails on a JavaScript or server error.
"""
import os
import subprocess
import sys
import tempfile
import xmlrpc.client

import dbtools
import ui_check
from run_tests import free_port

OUT = os.path.join(dbtools.ROOT, "static", "description")
DB = "as_screenshots"


def login(browser, base, user, viewport, problems):
    context = browser.new_context(viewport=viewport, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append("JS: %s" % e))
    page.goto(base + "/web/login")
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", user)
    page.click("button[type=submit]")
    page.wait_for_selector(".o_main_navbar, .o_web_client", timeout=120000)
    return context, page


def open_record(page, base, action, model, record_id):
    page.goto("%s/web#action=%s&model=%s&view_type=form&id=%d" % (base, action, model,
                                                                   record_id))
    page.wait_for_selector(".o_form_view", timeout=60000)
    page.wait_for_timeout(2500)


def main():
    if subprocess.run([sys.executable, os.path.join(dbtools.HERE, "ensure_db.py"), DB]).returncode:
        return 1
    port = free_port()
    base = "http://localhost:%d" % port
    log_path = os.path.join(dbtools.ROOT, ".logs", "screenshots_server.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    server = ui_check.start_server(DB, port, log_path)
    problems = []
    try:
        ui_check.wait_for_login(base)
        rpc = xmlrpc.client.ServerProxy(base + "/xmlrpc/2/object")
        common = xmlrpc.client.ServerProxy(base + "/xmlrpc/2/common")
        uid = common.authenticate(DB, "admin", "admin", {})

        def call(model, method, *args, **kw):
            return rpc.execute_kw(DB, uid, "admin", model, method, list(args), kw)
        request_id = call("after_sales.request", "search", [], limit=1, order="id desc")[0]
        visit_ids = call("after_sales.visit", "search", [("state", "in", ("done", "verified"))],
                         limit=1) or call("after_sales.visit", "search", [], limit=1)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=ui_check.CHROMIUM_FLAGS)
            context, page = login(browser, base, "clerk", {"width": 1366, "height": 860},
                                  problems)
            open_record(page, base, "after_sales_service.request_action",
                        "after_sales.request", request_id)
            page.screenshot(path=os.path.join(OUT, "screenshot_request.png"))
            response = context.request.get(
                "%s/report/pdf/after_sales_service.visit_report_document/%d"
                % (base, visit_ids[0]))
            pdf_status, pdf = response.status, response.body()
            context.close()
            context, page = login(browser, base, "technician", {"width": 390, "height": 844},
                                  problems)
            page.goto(base + "/web#action=after_sales_service.visit_action_technician")
            page.wait_for_selector(".o_kanban_record", timeout=60000)
            page.wait_for_timeout(1500)
            page.locator(".o_kanban_record").first.click()
            page.wait_for_selector(".o_form_view", timeout=60000)
            page.wait_for_timeout(2500)
            page.screenshot(path=os.path.join(OUT, "screenshot_phone_visit.png"))
            context.close()
            browser.close()
        if pdf_status != 200 or not pdf.startswith(b"%PDF"):
            problems.append("the service record PDF: HTTP %s" % pdf_status)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "record.pdf")
                with open(path, "wb") as f:
                    f.write(pdf)
                subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                                path, os.path.join(OUT, "screenshot_service_record")],
                               check=True)
    finally:
        server.terminate()
        server.wait(30)
    problems += ui_check.server_problems(log_path)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("screenshots: %s" % ", ".join(sorted(n for n in os.listdir(OUT) if n.startswith(
        "screenshot_"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
