#!/usr/bin/env python3
"""Each role's journey through the web client, in zh_CN, as a user clicks (make test-ui).

    ui_journeys.py [--db after_sales_ui] [--port 8104] [--reuse [--from N]]

Makes a fresh database with demo data and zh_CN (the addon installed on a copy of the
dependencies' template), starts Odoo on it (one process, workers=0), creates one user per role
and a customer's installed water heater through XML-RPC as admin (ui_setup.py), then drives
Debian's Chromium through Playwright: the clerk registers a phone request and sends parts, the
manager approves the outbound order from the dashboard, the warehouse validates the transfer,
finance validates the invoice, the clerk plans a visit, the general manager approves the trip,
the technician works it on a phone-sized screen (390x844) up to the customer's signature, the
callback is answered unsatisfied and opens its follow-up, a return and a complaint are
registered, the statistics show their tables and download the workbook and the PDF.

Each step asserts what the user sees (the statusbar's state in Chinese, amounts, the new record
in its list) and fails on a JavaScript error or a failed request in the browser, an error or a
traceback in the server log, an Odoo error dialog or error notification, labels left in
English on the addon's pages; a screenshot of each step goes to .logs/ui/NN_role_step.png
(the whole page), its duration to .logs/ui/timings.txt. One line per step, `ok|FAIL role:
step` (the reason indented below a FAIL), then `N passed, N failed`; exit 1 on any failure.
A step that can't be done (an assertion on what it made, a missing button, a timeout) blocks
the later steps of its journey (FAIL, blocked), not the other journeys; a defect seen on the
way (an error logged, a wrong label) fails the step and its journey goes on.

--reuse runs against the database and server already there (no fresh database, no set-up:
the set-up is read from .logs/ui/setup.json), to work on the journeys themselves; with
--from N it starts at step N with the records the earlier steps made (.logs/ui/state.json).
"""
import argparse
import datetime
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
import urllib.parse
import xmlrpc.client
import zipfile
from xml.etree import ElementTree

import pytz

import dbtools
import ui_check
import ui_setup
from ui_web import StepFailure, Web

ROOT = dbtools.ROOT
LOGS = os.path.join(ROOT, ".logs", "ui")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TZ = pytz.timezone(ui_setup.TZ)
A = "after_sales_service."


# ---------------------------------------------------------------------- the database and server

def fresh_database(db):
    """The addon with demo data and zh_CN on a copy of the dependencies' template."""
    dbtools.create_from_template(db, dbtools.ensure_template(dbtools.manifest_depends()))
    log_path = os.path.join(LOGS, "install.log")
    if os.path.exists(log_path):
        os.unlink(log_path)
    rc = subprocess.run([dbtools.ODOO, "-d", db, "-i", "after_sales_service",
                         "--load-language=zh_CN", "--stop-after-init", "--log-level=warn",
                         "--logfile=%s" % log_path], check=False).returncode
    problems = ui_check.server_problems(log_path)
    state = addon_state(db)
    if rc or problems or state != "installed":
        print("\n".join(problems))
        raise SystemExit("test-ui: installing the addon with zh_CN failed (exit %s, module state "
                         "%r, log %s)" % (rc, state, log_path))


def addon_state(db):
    return dbtools.psql("SELECT state FROM ir_module_module WHERE name = 'after_sales_service'",
                        db=db)


def serves_addon(base, db, timeout=60):
    """Whether the server answers with the addon's models within `timeout` seconds: its
    registry has loaded the addon (not a registry being loaded, or one without the addon)."""
    deadline = time.time() + timeout
    while True:
        try:
            ui_setup.Rpc(base, db)("after_sales.qualification.type", "search_count", [])
            return True
        except xmlrpc.client.Fault as error:
            if time.time() > deadline:
                print("test-ui: the server on %s does not serve the addon's models after %ss "
                      "(%s)" % (base, timeout, error.faultString), flush=True)
                return False
        time.sleep(2)


def start_serving(db, port, log_path):
    """The server on a database with the addon, answering with the addon's models. A server
    that does not is reported with its log's warnings, and started once more (a second
    failure ends the run): a CI run once met such a server right after a good install."""
    base = "http://localhost:%d" % port
    for attempt in (1, 2):
        server = ui_check.start_server(db, port, log_path)
        try:
            ready = ui_check.wait_for_login(base) and serves_addon(base, db)
        except BaseException:
            server.terminate()
            server.wait(30)
            raise
        if ready:
            return server
        server.terminate()
        server.wait(30)
        kept = log_path + ".%d" % attempt
        os.replace(log_path, kept)
        for line in ui_check.server_problems(kept, warnings=True)[-40:]:
            print(line, flush=True)
        print("test-ui: the addon's state in %s: %s; server log kept as %s"
              % (db, addon_state(db), kept), flush=True)
    raise SystemExit("test-ui: no server serving the addon's models on %s" % db)


class ServerLog(object):
    """The server's log, read step by step: any ERROR, CRITICAL or traceback fails the step."""

    def __init__(self, path):
        self.path = path
        self.offset = 0

    def mark(self):
        self.offset = os.path.getsize(self.path) if os.path.exists(self.path) else 0

    def problems(self):
        """The log records since the last mark that are errors or carry a traceback, each as
        'LEVEL logger: message | the exception' (the traceback's last line)."""
        if not os.path.exists(self.path):
            return []
        with open(self.path, "rb") as log:
            log.seek(self.offset)
            raw = log.read()
        self.offset += len(raw)
        records = []
        for line in raw.decode("utf-8", "replace").splitlines():
            found = LOG_RECORD.match(line)
            if found:
                records.append([found.group(1), found.group(2), found.group(3), []])
            elif records:
                records[-1][3].append(line)
            else:
                records.append(["?", "?", line, []])
        out = []
        for level, logger, message, more in records:
            traceback_ = any(l.startswith("Traceback") for l in more)
            if level in ("ERROR", "CRITICAL") or traceback_ or message.startswith("Traceback"):
                tail = [l.strip() for l in more if l.strip()][-1:] if traceback_ else []
                out.append("%s %s: %s%s" % (level, logger, message[:240],
                                             " | %s" % tail[0][:240] if tail else ""))
        return out


LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) \S+ ([\w.]+): (.*)$")


# ---------------------------------------------------------------------- formatting

def local_dt(utc_string):
    utc = datetime.datetime.strptime(utc_string[:19], "%Y-%m-%d %H:%M:%S")
    return pytz.utc.localize(utc).astimezone(TZ)


def number(text):
    """The number in a displayed amount ('¥ 1,234.50' -> 1234.5)."""
    found = re.findall(r"-?[\d,]+(?:\.\d+)?", text or "")
    if not found:
        raise StepFailure("no amount in %r" % text)
    return float(found[0].replace(",", ""))


def pdf_text(pdf):
    """What a reader sees in a PDF (poppler's pdftotext; CJK compatibility forms folded)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.check_output(["pdftotext", "-layout", f.name, "-"]).decode("utf-8")
    return unicodedata.normalize("NFKC", text)


def png(seed):
    """A small photo (PNG) of its own colour."""
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (160, 120), (40 * seed % 256, 120, 200 - 30 * seed)).save(out, "PNG")
    return out.getvalue()


def local_path(url):
    """A link the server wrote with its configured base URL, as a path on this server."""
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def draw(mouse, box):
    """A signature stroke across a pad."""
    x0, y0 = box["x"] + 20, box["y"] + box["height"] * 0.6
    mouse.move(x0, y0)
    mouse.down()
    for i in range(1, 30):
        mouse.move(x0 + i * (box["width"] - 40) / 30.0,
                   y0 - 30 * ((i % 6) / 6.0) + 10 * (i % 2), steps=2)
    mouse.up()


def first_line(text):
    """A many2one shown with the partner's address: its first line is the name."""
    return (text or "").strip().split("\n")[0].strip()


def expect(condition, message):
    if not condition:
        raise StepFailure(message)


def expect_amount(shown, value, what):
    expect(abs(number(shown) - value) < 0.005,
           "%s shows %r, expected %.2f" % (what, shown, value))


# ---------------------------------------------------------------------- the run

STATE = os.path.join(LOGS, "state.json")


def save_state(state):
    """What the journeys made so far (to resume with --reuse --from N while working on them)."""
    def encode(value):
        return {"__dt__": value.isoformat()} if isinstance(value, datetime.datetime) else value
    with open(STATE, "w", encoding="utf-8") as f:
        json.dump({k: encode(v) for k, v in state.items()}, f, ensure_ascii=False, indent=1)


def load_state():
    def decode(value):
        if isinstance(value, dict) and "__dt__" in value:
            return datetime.datetime.fromisoformat(value["__dt__"])
        return value
    with open(STATE, encoding="utf-8") as f:
        return {k: decode(v) for k, v in json.load(f).items()}


class Run(object):
    def __init__(self, browser, base, rpc, data, server_log):
        self.browser = browser
        self.base = base
        self.rpc = rpc
        self.data = data
        self.server_log = server_log
        self.webs = {}
        self.arch_cache = {}
        self.results = []
        self.failed_chains = {}
        self.state = {}  # what the journeys made (numbers and ids), step to step
        self.findings = []  # what a step saw wrong without being stopped (Journeys.check)
        self.first_step = 1
        self.seen_labels = set()

    def web(self, role, phone=False):
        key = (role, phone)
        if key not in self.webs:
            options = dict(viewport=PHONE if phone else DESKTOP, locale="zh-CN",
                           timezone_id=ui_setup.TZ, accept_downloads=True)
            if phone:
                options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
            context = self.browser.new_context(**options)
            web = Web(context.new_page(), self.base)
            if role == "customer":
                # a customer opening a link he was sent: no login
                self.webs[key] = web
                return web
            user = self.data["users"][role]
            web.view_buttons = lambda model, action, user=user: self.header_buttons(
                user, model, action)
            if role == "portal":
                web.portal_login(user["login"], user["password"])
            else:
                web.login(user["login"], user["password"])
            self.webs[key] = web
        return self.webs[key]

    def header_buttons(self, user, model, action_id):
        """The header buttons of the form view the user gets for a model in a window action
        (its form view, else the model's default one), in order: their names and (zh_CN)
        labels, as the view definition says."""
        view_id = False
        if action_id:
            action = self.rpc("ir.actions.actions", "read", [action_id], ["type"])
            if action and action[0]["type"] == "ir.actions.act_window":
                views = self.rpc("ir.actions.act_window", "read", [action_id], ["views",
                                                                                "res_model"])
                if views[0]["res_model"] == model:
                    view_id = dict((t, v) for v, t in views[0]["views"]).get("form") or False
        key = (user["login"], model, view_id)
        if key not in self.arch_cache:
            rpc = ui_setup.Rpc(self.base, self.rpc.db, user["login"], user["password"])
            arch = rpc.zh(model, "fields_view_get", view_id=view_id, view_type="form")["arch"]
            header = ElementTree.fromstring(arch.encode("utf-8")).find(".//header")
            buttons = [] if header is None else [b for b in header if b.tag == "button"]
            self.arch_cache[key] = ([b.get("name") for b in buttons],
                                    [(b.get("string") or "").strip() for b in buttons])
        return self.arch_cache[key]

    def step(self, chain, role, title, fn, phone=False):
        number_ = len(self.results) + 1
        label = "%s: %s" % (role, title)
        if number_ < self.first_step:
            self.results.append((True, label, "skipped (--from)"))
            return True
        blocked = self.failed_chains.get(chain)
        if blocked:
            return self._result(False, label, "blocked by the failed step '%s'" % blocked)
        started = time.time()
        self.server_log.mark()
        web = None
        error = None
        self.findings[:] = []
        try:
            web = self.web(role, phone)
            if role in ("portal", "customer"):
                pass  # the portal pages: each step opens its own address
            elif web.broken or web.page.locator(".modal:visible").count():
                # a step of this user stopped half-way (a dialog, a form being edited, a
                # session gone): start again from a fresh login
                web.page.context.close()
                del self.webs[(role, phone)]
                web = self.web(role, phone)
            web.broken = False
            web.js_errors[:] = []
            web.notes[:] = []
            web.failed_requests[:] = []
            web.downloads[:] = []
            fn(web)
            web.settle()
        except StepFailure as exc:
            error = str(exc)
        except Exception as exc:  # a timeout or a missing element: what the user would see
            error = "%s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
            path = os.path.join(LOGS, "%02d.traceback" % number_)
            with open(path, "w", encoding="utf-8") as out:
                traceback.print_exc(file=out)
        if web is not None:
            time.sleep(0.2)
            problems = ["JS %s" % e for e in web.js_errors]
            problems += ["request failed: %s" % e for e in web.request_failures()]
        else:
            problems = []
        problems += ["server: %s" % p for p in self.server_log.problems()]
        if web is not None:
            try:
                self.check_language(web)
            except Exception as exc:  # the page is gone: nothing to read
                problems.append("labels not checked: %s" % str(exc).splitlines()[0])
        problems = list(self.findings) + problems
        if web is not None:
            what = fn.__name__[len(role) + 1:] if fn.__name__.startswith(role + "_") \
                else fn.__name__
            name = "%02d_%s_%s.png" % (number_, role, what)
            try:
                web.screenshot(os.path.join(LOGS, name))
            except Exception:
                pass
        save_state(self.state)
        if error:
            # the step did not get through: the rest of its journey can't be done
            self.failed_chains[chain] = label
            if web is not None:
                web.broken = True
        if problems:
            # errors in the browser or the server fail the step; what it made is there, so
            # its journey goes on
            error = "; ".join(([error] if error else []) + problems[:5])
        ok = self._result(not error, label, error, time.time() - started)
        for note in (web.notes if web is not None else []):
            print("     note: %s" % note)
        return ok

    def check_language(self, web):
        """On the addon's pages, every label is Chinese and no record is named by its
        technical id ('after_sales.statistics,1')."""
        try:
            model = web.model()
        except StepFailure:
            return
        if not model.startswith("after_sales"):
            return
        english = [t for t in web.untranslated() if (model, t) not in self.seen_labels]
        self.seen_labels.update((model, t) for t in english)  # each defect fails one step
        technical = [t for t in english if re.match(r"^[a-z_.]+,\d+$", t)]
        if technical:
            self.findings.append("the breadcrumb names the record by its technical id: %s"
                                 % ", ".join(technical))
        english = [t for t in english if t not in technical]
        if english:
            self.findings.append("labels in English on a zh_CN page: %s" % ", ".join(english))

    def _result(self, ok, label, error=None, seconds=0.0):
        self.results.append((ok, label, error))
        print("%s %s" % ("ok" if ok else "FAIL", label), flush=True)
        if error:
            print("     %s" % error, flush=True)
        with open(os.path.join(LOGS, "timings.txt"), "a", encoding="utf-8") as timings:
            timings.write("%5.1fs %s\n" % (seconds, label))
        return ok


# ---------------------------------------------------------------------- the journeys

class Journeys(object):
    """The steps, in the order the documents travel from one role to the next."""

    def __init__(self, run):
        self.run = run
        self.rpc = run.rpc
        self.data = run.data
        self.s = run.state
        self.fmt_date = self.data["date_format"]
        self.fmt_time = self.data["time_format"]

    def check(self, condition, message):
        """A defect the user sees that does not stop the journey: the step fails, the
        journey goes on (expect() stops it)."""
        if not condition:
            self.run.findings.append(message)

    # -- helpers reading what the server recorded, to compare with what is shown

    def read(self, model, rid, fields):
        return self.rpc.zh(model, "read", [rid], fields)[0]

    def label(self, model, value):
        return self.rpc.labels(model, "state")[value]

    def status(self, web, model, value):
        """The statusbar shows this state, by its Chinese label."""
        label = self.label(model, value)
        web.expect_status(value, label)
        self.check(re.search("[\u3400-\u9fff]", label),
                   "the state %s of %s has no Chinese label: %r" % (value, model, label))

    def shown_datetime(self, utc_string):
        return local_dt(utc_string).strftime(self.fmt_date + " " + self.fmt_time)

    def shown_date(self, date_string):
        day = datetime.datetime.strptime(date_string, "%Y-%m-%d")
        return day.strftime(self.fmt_date)

    def typed_datetime(self, local):
        return local.strftime(self.fmt_date + " " + self.fmt_time)

    def record_id(self, web):
        """The id of the record the form shows (from the URL)."""
        found = re.search(r"[#&]id=(\d+)", web.page.url)
        expect(found, "the form's URL has no record id: %s" % web.page.url)
        return int(found.group(1))

    def fee_standard(self):
        company = self.rpc.ref("base.main_company")
        std = self.rpc("after_sales.fee.standard", "search_read", [("company_id", "=", company)],
                       ["travel_flat", "travel_per_km", "parts_markup", "postage_ids",
                        "labour_ids"])[0]
        std["postage"] = {p["method"]: p["amount"] for p in self.rpc(
            "after_sales.fee.standard.postage", "read", std["postage_ids"], ["method", "amount"])}
        std["labour"] = {p["category"]: p["amount"] for p in self.rpc(
            "after_sales.fee.standard.labour", "read", std["labour_ids"], ["category", "amount"])}
        return std

    # -- the clerk: a phone request

    def clerk_registers_request(self, web):
        web.open_app()
        web.menu(A + "request_menu", A + "request_action")
        web.create()
        web.many2one("partner_id", self.data["customer"][:6], self.data["customer"])
        web.fill("contact_name", "王经理")
        web.fill("phone", "139 1234 5678")
        web.select("channel", "hotline")
        web.select("category", "repair")
        web.many2one("product_id", "EH-60", self.data["product"])
        web.many2one("lot_id", self.data["serial"])
        web.fill("description", "热水器不加热，显示屏报 E3 故障代码。")
        web.save()
        rid = self.record_id(web)
        self.s["request_id"] = rid
        rec = self.read("after_sales.request", rid, [
            "name", "state", "in_warranty", "warranty_reason", "warranty_end",
            "response_deadline", "resolve_deadline"])
        self.s["request_name"] = rec["name"]
        title = web.value("name")
        expect(title == rec["name"] and re.search(r"\d", title),
               "the request's number shows %r (saved as %r)" % (title, rec["name"]))
        self.status(web, "after_sales.request", "new")
        # the warranty decision: the card of the serial, its end 30 months after delivery
        expect(not rec["in_warranty"], "the request is in warranty: %s" % rec["warranty_reason"])
        expect(web.value("in_warranty") is False, "the In Warranty box is ticked")
        reason = web.value("warranty_reason")
        expect(reason and reason == rec["warranty_reason"],
               "the warranty decision shows %r (recorded %r)" % (reason, rec["warranty_reason"]))
        expect(web.value("warranty_end") == self.shown_date(rec["warranty_end"]),
               "the warranty end shows %r, expected %r" % (
                   web.value("warranty_end"), self.shown_date(rec["warranty_end"])))
        card = web.value("warranty_card_id")
        expect(card, "no warranty card shown for serial %s" % self.data["serial"])
        # the deadlines in the user's time (Asia/Shanghai), from the company's working time
        for field in ("response_deadline", "resolve_deadline"):
            expect(rec[field], "%s not computed" % field)
            shown = web.value(field)
            expect(shown == self.shown_datetime(rec[field]),
                   "%s shows %r, expected %r" % (field, shown, self.shown_datetime(rec[field])))
        self.check(rec["response_deadline"] <= rec["resolve_deadline"],
                   "the response deadline (%s) is after the resolution deadline (%s)" % (
                       web.value("response_deadline"), web.value("resolve_deadline")))

    def clerk_starts_with_guidance(self, web):
        self._open_request(web)
        web.edit()
        web.fill("guidance", "电话指导客户检查电源和温控器设置，故障仍在，需更换温控器。")
        web.save()
        web.button("action_start")
        self.status(web, "after_sales.request", "in_progress")
        rec = self.read("after_sales.request", self.s["request_id"], ["date_response"])
        expect(rec["date_response"], "no response time recorded")
        shown = web.value("date_response")
        expect(shown == self.shown_datetime(rec["date_response"]),
               "responded on shows %r" % shown)

    def _open_request(self, web):
        web.open_app()
        web.menu(A + "request_menu", A + "request_action")
        if web.page.locator(".o_cp_switch_buttons button[data-view-type=list]").count():
            web.switch_view("list")
        web.search(self.s["request_name"])
        web.open_row(self.s["request_name"])

    def clerk_sends_parts(self, web):
        self._open_request(web)
        web.button("action_new_parts_order")
        form = web.form()
        expect(first_line(web.value("partner_id")) == self.data["customer"],
               "the outbound order's customer shows %r" % web.value("partner_id"))
        expect(web.value("request_id").startswith(self.s["request_name"]),
               "the outbound order's request shows %r" % web.value("request_id"))
        web.select("shipping_method", "courier")
        self.check(web.x2many_mode("line_ids") == "list",
                   "on a desktop screen the outbound order's parts are cards, not an editable "
                   "list (Odoo 11 takes the inline kanban when a field has both views and no "
                   "mode)")
        line, in_dialog = web.add_line("line_ids")
        web.many2one("product_id", "TS-2", self.data["order_part"]["name"], scope=line)
        web.fill("quantity", "1", scope=line)
        web.close_line(in_dialog)
        web.save()
        oid = self.record_id(web)
        self.s["order_id"] = oid
        order = self.read("after_sales.parts.order", oid, [
            "name", "chargeable", "amount_parts", "amount_postage", "amount_total"])
        self.s["order_name"] = order["name"]
        std = self.fee_standard()
        cost = self.rpc("product.product", "read", [self.data["order_part"]["id"]],
                        ["standard_price"])[0]["standard_price"]
        part_price = round(cost * (1 + std["parts_markup"] / 100.0), 2)
        postage = std["postage"].get("courier", 0.0)
        expect(order["chargeable"], "out of warranty, the outbound order is not charged")
        expect_amount(web.value("amount_parts", form), part_price, "parts amount")
        expect_amount(web.value("amount_postage", form), postage, "postage")
        expect_amount(web.value("amount_total", form), part_price + postage, "total")
        self.s["order_total"] = order["amount_total"]
        web.button("action_submit")
        self.status(web, "after_sales.parts.order", "to_approve")

    # -- the manager: approval from the dashboard

    def manager_approves_from_dashboard(self, web):
        web.open_app()
        web.menu(A + "dashboard_menu", A + "dashboard_action")
        tile = web.page.locator("button[name=action_open_tile]:has("
                                "[name=parts_order_manager_count])")
        expect(tile.count(), "no 'Outbound Orders to Approve' tile on the dashboard")
        count = number(tile.first.locator("[name=parts_order_manager_count]").inner_text())
        expect(count >= 1, "the tile counts %s outbound orders to approve" % count)
        tile.first.click()
        web.settle()
        web.wait_view()
        web.open_row(self.s["order_name"])
        self.status(web, "after_sales.parts.order", "to_approve")
        web.button("action_approve")
        self.status(web, "after_sales.parts.order", "approved")
        approver = web.value("approved_by_id")
        expect(approver == self.data["users"]["manager"]["name"],
               "approved by shows %r" % approver)

    # -- the warehouse: the transfer

    def _open_transfer(self, web, origin):
        web.open_app("stock.menu_stock_root")
        web.menu("stock.all_picking", "stock.action_picking_tree_all")
        web.clear_filters()
        web.search(origin)
        web.open_row(origin)

    def _validate_transfer(self, web):
        if "action_assign" in web.visible_buttons():
            # the warehouse reserves the parts (an approval no longer does)
            web.button("action_assign")
            self.status(web, "stock.picking", "assigned")
        web.button("button_validate")
        if web.page.locator(".modal:visible").count():
            # nothing typed as done: Odoo asks to process everything at once
            web.dialog_button("process")
        self.status(web, "stock.picking", "done")

    def warehouse_validates_transfer(self, web):
        self._open_transfer(web, self.s["order_name"])
        expect(web.value("after_sales_parts_order_id").startswith(self.s["order_name"]),
               "the transfer does not show its outbound order")
        self._validate_transfer(web)
        order = self.read("after_sales.parts.order", self.s["order_id"], ["state"])
        expect(order["state"] == "shipped", "the outbound order is %s, not shipped"
               % order["state"])
        web.field("after_sales_parts_order_id").click()
        web.settle()
        web.wait_view()
        self.status(web, "after_sales.parts.order", "shipped")

    # -- finance: the invoice

    def finance_validates_invoice(self, web):
        web.open_app("account.menu_finance")
        web.menu("account.menu_action_invoice_tree1", "account.action_invoice_tree1")
        web.clear_filters()
        web.search(self.s["order_name"])
        rows = web.list_rows(self.s["order_name"])
        expect(rows.count() == 1, "%d invoices for %s in the list"
               % (rows.count(), self.s["order_name"]))
        expect(self.data["customer"] in rows.first.inner_text(),
               "the invoice is not the customer's: %s" % rows.first.inner_text())
        web.open_row(self.s["order_name"])
        self.status(web, "account.invoice", "draft")
        expect_amount(web.value("amount_total"), self.s["order_total"], "invoice total")
        web.button("action_invoice_open")
        self.status(web, "account.invoice", "open")
        self.s["invoice_id"] = self.record_id(web)

    def clerk_sees_amount_invoiced(self, web):
        self._open_request(web)
        expect_amount(web.value("amount_invoiced"), self.s["order_total"],
                      "the request's amount invoiced")

    # -- the clerk plans a visit, the general manager approves it

    def clerk_plans_visit(self, web):
        self._open_request(web)
        web.button("action_plan_visit")
        expect(web.value("request_id").startswith(self.s["request_name"]),
               "the visit's request shows %r" % web.value("request_id"))
        # today 07:30 in Shanghai, i.e. 23:30 UTC the day before: My Visits must show it
        planned = datetime.datetime.now(TZ).replace(hour=7, minute=30, second=0, microsecond=0)
        self.s["visit_planned"] = planned
        web.datetime("date_planned", self.typed_datetime(planned))
        web.many2one("technician_ids", self.data["users"]["technician"]["name"][:2],
                     self.data["users"]["technician"]["name"])
        web.fill("distance_km", "12")
        line, in_dialog = web.add_line("part_ids")
        web.many2one("product_id", "HE-2K", self.data["visit_part"]["name"], scope=line)
        web.fill("qty_taken", "1", scope=line)
        web.close_line(in_dialog)
        web.save()
        vid = self.record_id(web)
        self.s["visit_id"] = vid
        visit = self.read("after_sales.visit", vid, ["name", "date_planned", "estimated_cost",
                                                      "in_warranty"])
        self.s["visit_name"] = visit["name"]
        expect(local_dt(visit["date_planned"]) == planned,
               "planned for %s, typed %s" % (local_dt(visit["date_planned"]), planned))
        std = self.fee_standard()
        estimate = std["labour"].get("repair", 0.0) + std["travel_flat"] \
            + std["travel_per_km"] * 12
        expect_amount(web.value("estimated_cost"), estimate, "estimated cost")
        web.button("action_submit")
        self.status(web, "after_sales.visit", "to_approve")
        web.button("action_issue_parts")
        count = web.form().locator('.oe_stat_button:visible [name="picking_count"]')
        expect(count.count() and number(count.first.inner_text()) == 1,
               "no transfer of the parts to the technician shown")
        self.check("action_issue_parts" not in web.visible_buttons(),
                   "Issue Parts is still shown once the parts are issued (a second click "
                   "is refused by the server)")

    def gm_approves_trip(self, web):
        web.open_app()
        web.menu(A + "dashboard_menu", A + "dashboard_action")
        tile = web.page.locator("button[name=action_open_tile]:has([name=visit_gm_count])")
        expect(tile.count(), "no 'Visits to Approve' tile on the dashboard")
        tile.first.click()
        web.settle()
        web.wait_view()
        web.open_row(self.s["visit_name"])
        self.status(web, "after_sales.visit", "to_approve")
        expect_amount(web.value("estimated_cost"), self.read(
            "after_sales.visit", self.s["visit_id"], ["estimated_cost"])["estimated_cost"],
            "estimated cost")
        web.button("action_approve")
        self.status(web, "after_sales.visit", "approved")

    def warehouse_issues_visit_parts(self, web):
        self._open_transfer(web, self.s["visit_name"])
        self._validate_transfer(web)

    # -- the technician, on a phone

    def technician_opens_my_visits(self, web):
        web.open_app()
        web.menu(A + "visit_technician_menu", A + "visit_action_technician")
        cards = web.page.locator(".o_kanban_view .o_kanban_record", has_text=self.s["visit_name"])
        self.check(cards.count() == 1, "My Visits (its default filters) does not show %s, "
                   "planned today %s Shanghai time (%s UTC)" % (
                       self.s["visit_name"], self.s["visit_planned"].strftime("%H:%M"),
                       self.s["visit_planned"].astimezone(pytz.utc).strftime("%Y-%m-%d %H:%M")))
        if not cards.count():
            # what the technician does then: drop the filters, look for the visit's number
            web.clear_filters()
            web.search(self.s["visit_name"])
        expect(cards.count() == 1, "My Visits shows no card of %s (cards: %s)" % (
            self.s["visit_name"], web.page.locator(".o_kanban_record").all_inner_texts()[:5]))
        card = cards.first.inner_text()
        expect(self.data["customer"] in card, "the card does not show the customer: %r" % card)
        planned = self.s["visit_planned"].strftime(self.fmt_date + " " + self.fmt_time)
        expect(planned in card, "the card shows %r, not the planned time %s" % (card, planned))
        if self.read("after_sales.visit", self.s["visit_id"], ["is_overdue"])["is_overdue"]:
            # past its planned time (after 07:30 in Shanghai) and not started: the card says
            # overdue instead of its state
            expect(cards.first.locator(".label-danger").count(),
                   "the overdue visit's card does not say so: %r" % card)
        else:
            expect(self.label("after_sales.visit", "approved") in card,
                   "the card does not show the state approved: %r" % card)
        call = cards.first.locator('a[href^="tel:"]')
        expect(call.count(), "no call button on the card")

    def technician_opens_visit(self, web):
        web.page.locator(".o_kanban_view .o_kanban_record", has_text=self.s["visit_name"]) \
            .first.click()
        web.settle()
        web.form().wait_for()
        self.status(web, "after_sales.visit", "approved")
        expect(web.value("name") == self.s["visit_name"], "the form shows %r" % web.value("name"))

    def technician_records_arrival(self, web):
        web.edit()
        web.check("appointment_confirmed")
        web.save()
        web.button("action_start")
        self.status(web, "after_sales.visit", "in_progress")
        visit = self.read("after_sales.visit", self.s["visit_id"], ["date_arrival"])
        expect(visit["date_arrival"], "no arrival time recorded")
        self.s["arrival"] = local_dt(visit["date_arrival"])
        shown = web.value("date_arrival")
        expect(shown == self.shown_datetime(visit["date_arrival"]),
               "arrival shows %r, expected %r" % (
                   shown, self.shown_datetime(visit["date_arrival"])))

    def technician_records_work_and_parts(self, web):
        web.edit()
        web.check("arrival_confirmed")
        departure = (self.s["arrival"] + datetime.timedelta(hours=1)).replace(second=0)
        web.datetime("date_departure", self.typed_datetime(departure))
        web.fill("fault_found", "温控器损坏，加热管结垢。")
        web.fill("handling", "更换加热管，清洗内胆，试机正常。")
        parts = web.show_field("part_ids")
        self.check(self.data["visit_part"]["name"] in parts.inner_text(),
                   "the parts to take do not show their product on the phone (shown: %r)"
                   % parts.inner_text().strip()[:80])
        line, in_dialog = web.open_line("part_ids", 0, "qty_used")
        web.fill("qty_used", "1", scope=line)
        web.close_line(in_dialog)
        web.fill("customer_signer", "王经理")
        web.select("customer_evaluation", "4")
        web.save()
        visit = self.read("after_sales.visit", self.s["visit_id"], ["date_departure", "part_ids"])
        expect(visit["date_departure"] and local_dt(visit["date_departure"]) == departure,
               "departure saved as %s, typed %s" % (visit["date_departure"], departure))
        parts = self.rpc("after_sales.visit.part", "read", visit["part_ids"], ["qty_used"])
        expect([p["qty_used"] for p in parts] == [1.0], "parts used saved as %s" % parts)
        if web.rows("part_ids").count():
            used = web.cell("part_ids", 0, "qty_used")
            expect(number(used) == 1.0, "the parts list shows %r used" % used)

    def signature_row(self, web):
        """The form row of the customer's signature (the signature widget bears no field
        name: the row whose label is the field's)."""
        label = self.rpc.zh("after_sales.visit", "fields_get", ["customer_signature"],
                            attributes=["string"])["customer_signature"]["string"]
        row = web.form().locator("tr", has=web.page.locator("label.o_form_label", has_text=label))
        expect(row.count() >= 1, "no %s in the form" % label)
        return row.last

    def customer_signs(self, web):
        web.edit()
        web.page_tab("customer_signer")
        pad = self.signature_row(web).locator("canvas").first
        pad.scroll_into_view_if_needed()
        box = pad.bounding_box()
        expect(box and box["width"] > 100, "no signature pad to draw on")
        self.check(box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1,
                   "the signature pad does not fit the screen: %s" % box)
        draw(web.page.mouse, box)
        web.save()
        visit = self.read("after_sales.visit", self.s["visit_id"], ["customer_signature"])
        expect(visit["customer_signature"], "the signature was not saved")
        img = self.signature_row(web).locator("img")
        expect(img.count() and img.first.is_visible(), "the saved signature is not shown")

    def technician_completes(self, web):
        web.button("action_done")
        self.status(web, "after_sales.visit", "done")
        std = self.fee_standard()
        cost = self.rpc("product.product", "read", [self.data["visit_part"]["id"]],
                        ["standard_price"])[0]["standard_price"]
        charged = std["labour"].get("repair", 0.0) + std["travel_flat"] \
            + std["travel_per_km"] * 12 + round(cost * (1 + std["parts_markup"] / 100.0), 2)
        expect_amount(web.value("amount_charged"), charged,
                      "out of warranty, the amount charged (labour, travel, the part used)")
        request = self.read("after_sales.request", self.s["request_id"], ["state"])
        expect(request["state"] == "resolved", "the request is %s after the visit"
               % request["state"])

    # -- the callback

    def clerk_answers_callback_unsatisfied(self, web):
        web.open_app()
        web.menu(A + "callback_menu", A + "callback_action")
        if web.page.locator(".o_cp_switch_buttons button[data-view-type=list]").count():
            web.switch_view("list")
        callbacks = self.rpc("after_sales.callback", "search_read",
                             [("visit_id", "=", self.s["visit_id"])], ["name"])
        expect(len(callbacks) == 1, "%d callbacks for the visit" % len(callbacks))
        web.clear_filters()
        web.search(callbacks[0]["name"])
        self.s["callback_id"] = callbacks[0]["id"]
        web.open_row(callbacks[0]["name"])
        self.status(web, "after_sales.callback", "todo")
        web.edit()
        rows = web.rows("answer_ids")
        expect(rows.count() >= 3, "%d questions on the callback" % rows.count())
        questions = self.rpc("after_sales.callback.answer", "search_read",
                             [("callback_id", "=", self.s["callback_id"])],
                             ["question_id", "kind"], order="id")
        # the product was not repaired (unsatisfied: a follow-up request), the ratings low
        repaired = self.rpc.ref(A + "q_sat_repaired")
        for index in range(rows.count()):
            row = web.edit_cell("answer_ids", index, "value_yesno")
            yesno = row.locator('select[name="value_yesno"]')
            rating = row.locator('[name="value_rating"]')
            if yesno.count() and yesno.first.is_visible():
                qid = questions[index]["question_id"][0] if index < len(questions) else None
                yesno.first.select_option(value='"no"' if qid == repaired else '"yes"')
            elif rating.count() and rating.first.is_visible():
                self._rate(rating.first, 2)
            web.settle()
        web.save()
        web.button("action_done")
        self.status(web, "after_sales.callback", "done")
        expect(web.value("satisfied") is False, "the callback shows satisfied")
        follow = web.value("followup_request_id")
        expect(follow, "no follow-up request shown")
        self.s["followup_name"] = follow

    def _rate(self, widget, stars):
        if widget.evaluate("e => e.tagName") == "SELECT":
            widget.select_option(value='"%d"' % stars)
            return
        star = widget.locator("a, .o_priority_star")
        expect(star.count() >= stars, "the rating shows no stars")
        star.nth(stars - 1).click()

    def clerk_opens_followup(self, web):
        web.field("followup_request_id").click()
        web.settle()
        web.wait_view()
        self.status(web, "after_sales.request", "new")
        expect(first_line(web.value("partner_id")) == self.data["customer"],
               "the follow-up's customer shows %r" % web.value("partner_id"))
        channel = web.value("channel")
        expect(channel == self.rpc.labels("after_sales.request", "channel")["callback"],
               "the follow-up's channel shows %r" % channel)

    # -- a return, a complaint

    def clerk_registers_return(self, web):
        web.open_app()
        web.menu(A + "return_menu", A + "return_action")
        web.create()
        web.many2one("partner_id", self.data["customer"][:6], self.data["customer"])
        if self.s.get("request_name"):
            web.many2one("request_id", self.s["request_name"])
        web.check("has_goods")
        web.many2one("product_id", "EH-60", self.data["product"])
        web.many2one("lot_id", self.data["serial"])
        web.fill("product_qty", "1")
        web.select("cause", "defect")
        web.fill("reason", "内胆漏水，客户要求退回检测。")
        web.save()
        rid = self.record_id(web)
        name = self.read("after_sales.return", rid, ["name"])["name"]
        web.button("action_confirm")
        self.status(web, "after_sales.return", "receiving")
        web.back(0)
        if web.page.locator(".o_cp_switch_buttons button[data-view-type=list]").count():
            web.switch_view("list")
        expect(web.list_rows(name).count() == 1, "the new return %s is not in the list" % name)

    def clerk_registers_complaint(self, web):
        web.open_app()
        web.menu(A + "complaint_menu", A + "complaint_action")
        web.create()
        web.many2one("partner_id", self.data["customer"][:6], self.data["customer"])
        web.fill("complainant", "王经理")
        web.fill("phone", "139 1234 5678")
        web.select("channel", "phone")
        web.many2one("product_id", "EH-60", self.data["product"])
        web.fill("content", "上门服务后热水器仍不加热，客户对维修质量不满。")
        web.save()
        cid = self.record_id(web)
        self.s["complaint_id"] = cid
        self.s["complaint_name"] = self.read("after_sales.complaint", cid, ["name"])["name"]
        self.status(web, "after_sales.complaint", "draft")
        for field in ("answer_deadline", "close_deadline"):
            expect(web.value(field), "no %s shown" % field)
        web.back(0)
        if web.page.locator(".o_cp_switch_buttons button[data-view-type=list]").count():
            web.switch_view("list")
        expect(web.list_rows(self.s["complaint_name"]).count() == 1,
               "the new complaint is not in the list")

    def quality_starts_investigation(self, web):
        web.open_app()
        web.menu(A + "complaint_menu", A + "complaint_action")
        web.open_row(self.s["complaint_name"])
        web.button("action_start_investigation")
        self.status(web, "after_sales.complaint", "investigating")
        expect(web.value("investigator_id") == self.data["users"]["quality"]["name"],
               "the investigator shows %r" % web.value("investigator_id"))

    # -- the statistics

    def clerk_shows_statistics(self, web):
        web.open_app()
        web.menu(A + "statistics_menu", A + "statistics_action")
        web.button("action_show")
        tables = web.field("result_html").locator("table")
        expect(tables.count() >= 3, "the statistics show %d tables" % tables.count())
        text = web.field("result_html").inner_text()
        expect(re.search(r"\d", text), "the statistics tables hold no figure")
        expect(self.data["customer"] in text,
               "the tables do not count the customer's request (by customer)")

    def clerk_downloads_workbook(self, web):
        data = self._download(web, "action_export_xlsx")
        expect(data[:2] == b"PK", "the workbook is not an xlsx (starts %r)" % data[:8])
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            names = book.namelist()
        expect("xl/workbook.xml" in names, "the workbook has no xl/workbook.xml: %s" % names[:5])
        sheets = [n for n in names if n.startswith("xl/worksheets/sheet")]
        expect(len(sheets) >= 2, "the workbook has %d sheets" % len(sheets))

    def clerk_downloads_pdf(self, web):
        data = self._download(web, "action_print_pdf")
        expect(data[:4] == b"%PDF", "the PDF download is not a PDF (starts %r)" % data[:8])
        expect(len(data) > 2000, "the PDF is %d bytes" % len(data))
        text = re.sub(r"\s+", "", pdf_text(data))
        expect(self.data["customer"][:7] in text,
               "the PDF does not show the customer's request (text: %r)" % text[:200])

    def _download(self, web, button):
        with web.page.expect_download(timeout=180000) as info:
            web.button(button)
        download = info.value
        path = os.path.join(LOGS, download.suggested_filename or button)
        download.save_as(path)
        with open(path, "rb") as f:
            data = f.read()
        expect(data, "the download %s is empty" % download.suggested_filename)
        self.s.setdefault("downloads", []).append(path)
        return data

    # -- the portal customer (issue 17), on a phone, and the customer's links

    def _portal_open(self, web, url):
        """Open a portal page by its address; the HTTP response."""
        response = web.page.goto(url if url.startswith("http") else self.run.base + url)
        web.page.wait_for_load_state()
        web.idle()
        return response

    def _portal_click(self, web, selector, what):
        target = web.page.locator(selector)
        expect(target.count(), "no %s (%s) on %s" % (what, selector, web.page.url))
        # signing files the signed record as a PDF (wkhtmltopdf): slow on a loaded machine
        with web.page.expect_navigation(timeout=180000):
            target.first.click()
        web.page.wait_for_load_state()
        web.idle()

    def _chinese(self, web, selector, what):
        text = web.page.locator(selector).first.inner_text()
        self.check(re.search("[\u3400-\u9fff]", text) and not re.search(
            r"\b(Thank|Please|your|the)\b", text),
            "%s is not in Chinese: %r" % (what, text[:120]))
        return text

    def portal_submits_request(self, web):
        self._portal_open(web, "/my")
        self._portal_click(web, "li.o_after_sales_home_requests a", "service requests entry")
        self._portal_click(web, "a.o_after_sales_new_request", "button to report a fault")
        form = web.page.locator("form.o_after_sales_new_request_form")
        expect(form.count(), "no new request form on %s" % web.page.url)
        options = form.locator("select[name=warranty_card_id] option")
        cards = [v for v in (options.nth(i).get_attribute("value")
                             for i in range(options.count())) if v]
        expect(cards, "the customer is offered none of his installed products")
        form.locator("select[name=warranty_card_id]").select_option(value=cards[0])
        form.locator("textarea[name=description]").fill(
            "热水器漏水，底部有水渍，已关闭进水阀。")
        form.locator("input[name=attachment_ids]").set_input_files([
            {"name": "leak-%d.png" % i, "mimeType": "image/png", "buffer": png(i)}
            for i in (1, 2)])
        self._portal_click(web, "button.o_after_sales_submit", "send button")
        found = re.search(r"/my/service-requests/(\d+)", web.page.url)
        errors = web.page.locator(".o_after_sales_errors")
        expect(found and web.page.locator(".o_after_sales_submitted").count(),
               "the request was not registered (%s%s)" % (web.page.url, ": %s" % errors.first
                                                         .inner_text() if errors.count() else ""))
        rid = int(found.group(1))
        rec = self.read("after_sales.request", rid, [
            "name", "channel", "warranty_card_id", "partner_id", "response_deadline"])
        self.s.update(portal_request_id=rid, portal_request_name=rec["name"])
        text = self._chinese(web, ".o_after_sales_submitted", "the confirmation")
        expect(rec["name"] in text, "the confirmation does not give the number %s: %r"
               % (rec["name"], text))
        expect(rec["channel"] == "web", "the portal request's channel is %s" % rec["channel"])
        expect(rec["warranty_card_id"] and rec["warranty_card_id"][0] == int(cards[0]),
               "the request is not on the chosen warranty card: %s" % rec["warranty_card_id"])
        expect(rec["response_deadline"], "no deadline on the portal request")
        photos = web.page.locator(".o_after_sales_photos img")
        expect(photos.count() == 2, "the request page shows %d photos" % photos.count())
        loaded = photos.evaluate_all("imgs => imgs.filter(i => i.naturalWidth > 0).length")
        expect(loaded == 2, "%d of the 2 photos load" % loaded)

    def clerk_sees_portal_request(self, web):
        web.open_app()
        web.menu(A + "request_menu", A + "request_action")
        if web.page.locator(".o_cp_switch_buttons button[data-view-type=list]").count():
            web.switch_view("list")
        web.search(self.s["portal_request_name"])
        web.open_row(self.s["portal_request_name"])
        self.status(web, "after_sales.request", "new")
        channel = web.value("channel")
        expect(channel == self.rpc.labels("after_sales.request", "channel")["web"],
               "the portal request's channel shows %r" % channel)
        customer = self.data["users"]["portal"]["commercial_partner_id"]
        name = self.rpc("res.partner", "read", [customer], ["name"])[0]["name"]
        expect(first_line(web.value("partner_id")) == name,
               "the portal request's customer shows %r, not %s" % (web.value("partner_id"), name))

    def _portal_visit_on_site(self):
        """The visit of the portal request up to the customer's signature, through XML-RPC as
        each role would (the browser part of a visit is the technician's journey)."""
        users = self.data["users"]
        rpc = {role: ui_setup.Rpc(self.run.base, self.rpc.db, users[role]["login"],
                                  users[role]["password"]) for role in ("clerk", "gm",
                                                                       "technician")}
        request = self.read("after_sales.request", self.s["portal_request_id"], ["partner_id"])
        now = datetime.datetime.now(TZ).replace(second=0, microsecond=0)
        vid = rpc["clerk"]("after_sales.visit", "create", {
            "request_id": self.s["portal_request_id"], "partner_id": request["partner_id"][0],
            "purpose": "repair", "technician_ids": [(6, 0, [users["technician"]["id"]])],
            "date_planned": (now - datetime.timedelta(hours=1)).astimezone(pytz.utc)
            .strftime("%Y-%m-%d %H:%M:%S"), "distance_km": 8})
        rpc["clerk"]("after_sales.visit", "action_submit", [vid])
        rpc["gm"]("after_sales.visit", "action_approve", [vid])
        rpc["technician"]("after_sales.visit", "write", [vid], {"appointment_confirmed": True})
        rpc["technician"]("after_sales.visit", "action_start", [vid])
        self.s["portal_visit_id"] = vid
        return rpc

    def customer_signs_online(self, web):
        self._portal_visit_on_site()
        visit = self.read("after_sales.visit", self.s["portal_visit_id"], ["state", "sign_url"])
        expect(visit["sign_url"], "the visit on site (%s) has no signing link" % visit["state"])
        self.s["portal_sign_url"] = visit["sign_url"]
        self._portal_open(web, local_path(visit["sign_url"]))
        form = web.page.locator("form.o_after_sales_sign_form")
        expect(form.count(), "no signing form at the link (%s)" % web.page.url)
        form.locator("input[name=customer_signer]").fill("王经理")
        pad = form.locator("canvas.o_after_sales_pad_canvas")
        pad.scroll_into_view_if_needed()
        box = pad.bounding_box()
        expect(box and box["width"] > 100, "no signature pad to draw on")
        self.check(box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1,
                   "the signature pad does not fit the phone: %s" % box)
        draw(web.page.mouse, box)
        self._portal_click(web, "button.o_after_sales_sign_submit", "sign button")
        errors = web.page.locator(".o_after_sales_errors")
        expect(web.page.locator(".o_after_sales_signed").count(),
               "not signed (%s)" % (errors.first.inner_text() if errors.count() else
                                    web.page.url))
        self._chinese(web, ".o_after_sales_signed", "the signed page")
        visit = self.read("after_sales.visit", self.s["portal_visit_id"],
                          ["customer_signer", "customer_signature", "sign_url"])
        expect(visit["customer_signature"] and visit["customer_signer"] == "王经理",
               "the signature was not recorded on the visit (signer %r)"
               % visit["customer_signer"])
        expect(not visit["sign_url"], "the signing link still works once signed")

    def customer_answers_callback_online(self, web):
        users = self.data["users"]
        tech = ui_setup.Rpc(self.run.base, self.rpc.db, users["technician"]["login"],
                            users["technician"]["password"])
        clerk = ui_setup.Rpc(self.run.base, self.rpc.db, users["clerk"]["login"],
                             users["clerk"]["password"])
        vid = self.s["portal_visit_id"]
        arrival = self.read("after_sales.visit", vid, ["date_arrival"])["date_arrival"]
        departure = (datetime.datetime.strptime(arrival[:19], "%Y-%m-%d %H:%M:%S")
                     + datetime.timedelta(minutes=45)).strftime("%Y-%m-%d %H:%M:%S")
        tech("after_sales.visit", "write", [vid], {
            "arrival_confirmed": True, "date_departure": departure,
            "fault_found": "进水接头密封圈老化。", "handling": "更换密封圈，试压无渗漏。"})
        tech("after_sales.visit", "action_done", [vid])
        callbacks = self.rpc("after_sales.callback", "search_read", [("visit_id", "=", vid)],
                             ["online_url", "state"])
        expect(len(callbacks) == 1, "%d callbacks for the completed visit" % len(callbacks))
        cid = callbacks[0]["id"]
        if not callbacks[0]["online_url"]:
            clerk("after_sales.callback", "action_send_online_invitation", [cid])
        url = self.read("after_sales.callback", cid, ["online_url"])["online_url"]
        expect(url, "the callback has no online questionnaire link")
        self._portal_open(web, local_path(url))
        form = web.page.locator("form.o_after_sales_callback_form")
        expect(form.count(), "no questionnaire at the link (%s)" % web.page.url)
        for question in form.locator(".o_after_sales_question").all():
            for value in ("yes", "5"):
                radio = question.locator('input[type=radio][value="%s"]' % value)
                if radio.count():
                    radio.first.check()
        self._portal_click(web, "button.o_after_sales_callback_submit", "send button")
        errors = web.page.locator(".o_after_sales_errors")
        expect(web.page.locator(".o_after_sales_callback_done").count(),
               "the answers were not taken (%s)" % (errors.first.inner_text() if errors.count()
                                                    else web.page.url))
        self._chinese(web, ".o_after_sales_callback_done", "the thank-you page")
        callback = self.read("after_sales.callback", cid, ["state", "satisfied", "channel"])
        expect(callback["state"] == "done" and callback["satisfied"],
               "the callback is %s, satisfied %s" % (callback["state"], callback["satisfied"]))
        expect(callback["channel"] == "online", "the callback's channel is %s"
               % callback["channel"])
        # the link is single-use
        response = self._portal_open(web, local_path(url))
        # the browser logs the expected 404 as a failed resource: not an error of the page
        web.js_errors[:] = [e for e in web.js_errors
                            if not ("404" in e and urllib.parse.urlsplit(url).path in e)]
        expect(response.status == 404 and web.page.locator(".o_after_sales_link_invalid")
               .count(), "the used link answers %s (%s)" % (response.status, web.page.url))

    # -- the order of the run

    def all(self):
        r = self.run
        r.step("request", "clerk", "registers a phone request for the serial, sees warranty "
               "decision and deadlines", self.clerk_registers_request)
        r.step("request", "clerk", "starts it with phone guidance", self.clerk_starts_with_guidance)
        r.step("request", "clerk", "sends parts: outbound order with a line, submitted",
               self.clerk_sends_parts)
        r.step("request", "manager", "approves the outbound order from the dashboard tile",
               self.manager_approves_from_dashboard)
        r.step("request", "warehouse", "validates the transfer; the order is shipped",
               self.warehouse_validates_transfer)
        r.step("request", "finance", "validates the invoice", self.finance_validates_invoice)
        r.step("request", "clerk", "sees the amount invoiced on the request",
               self.clerk_sees_amount_invoiced)
        r.step("request", "clerk", "plans a visit with a technician and parts, submits it, "
               "issues the parts", self.clerk_plans_visit)
        r.step("request", "gm", "approves the trip from the dashboard tile",
               self.gm_approves_trip)
        r.step("request", "warehouse", "validates the parts issued to the technician",
               self.warehouse_issues_visit_parts)
        r.step("request", "technician", "opens My Visits on a phone: the visit's card",
               self.technician_opens_my_visits, phone=True)
        r.step("request", "technician", "opens the visit", self.technician_opens_visit,
               phone=True)
        r.step("request", "technician", "confirms the appointment, records the arrival",
               self.technician_records_arrival, phone=True)
        r.step("request", "technician", "records departure, work and parts used",
               self.technician_records_work_and_parts, phone=True)
        r.step("request", "technician", "the customer signs on the pad",
               self.customer_signs, phone=True)
        r.step("request", "technician", "completes the visit", self.technician_completes,
               phone=True)
        r.step("request", "clerk", "answers the callback unsatisfied",
               self.clerk_answers_callback_unsatisfied)
        r.step("request", "clerk", "opens the follow-up request", self.clerk_opens_followup)
        r.step("return", "clerk", "registers a return and confirms it",
               self.clerk_registers_return)
        r.step("complaint", "clerk", "registers a complaint", self.clerk_registers_complaint)
        r.step("complaint", "quality", "starts the investigation",
               self.quality_starts_investigation)
        r.step("statistics", "clerk", "shows the statistics tables", self.clerk_shows_statistics)
        r.step("statistics", "clerk", "downloads the workbook", self.clerk_downloads_workbook)
        r.step("statistics", "clerk", "downloads the PDF", self.clerk_downloads_pdf)
        r.step("portal", "portal", "reports a fault on the portal with two photos (phone)",
               self.portal_submits_request, phone=True)
        r.step("portal", "clerk", "sees the portal request, channel web",
               self.clerk_sees_portal_request)
        r.step("portal", "customer", "signs the service record at its link (phone)",
               self.customer_signs_online, phone=True)
        r.step("portal", "customer", "answers the callback online; the link is then invalid",
               self.customer_answers_callback_online, phone=True)


# ---------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="after_sales_ui")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--reuse", action="store_true",
                        help="the database and server already there, set-up from setup.json")
    parser.add_argument("--from", dest="first", type=int, default=1,
                        help="with --reuse: start at step N, with what earlier runs made")
    args = parser.parse_args()
    started = time.time()
    os.makedirs(LOGS, exist_ok=True)
    if not args.port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            args.port = sock.getsockname()[1]
    base = "http://localhost:%d" % args.port
    server_log_path = os.path.join(LOGS, "server.log")
    setup_path = os.path.join(LOGS, "setup.json")
    server = None
    if not args.reuse:
        for name in os.listdir(LOGS):
            if name.endswith((".png", ".traceback", ".xlsx", ".pdf")) or name == "timings.txt":
                os.unlink(os.path.join(LOGS, name))
        print("test-ui: fresh database %s with demo data and zh_CN" % args.db, flush=True)
        fresh_database(args.db)
        server = start_serving(args.db, args.port, server_log_path)
    try:
        ui_check.wait_for_login(base)
        if args.reuse:
            with open(setup_path, encoding="utf-8") as f:
                data = json.load(f)
            rpc = ui_setup.Rpc(base, args.db)
        else:
            try:
                rpc, data = ui_setup.setup(base, args.db)
            except Exception:
                # what the server said of it (the set-up's own traceback follows)
                for line in ui_check.server_problems(server_log_path, warnings=True)[-40:]:
                    print(line, flush=True)
                raise
            with open(setup_path, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
        print("test-ui: users and the customer's serial set up; journeys in Chromium",
              flush=True)
        log = ServerLog(server_log_path)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=ui_check.CHROMIUM_FLAGS)
            run = Run(browser, base, rpc, data, log)
            if args.reuse and args.first > 1:
                run.first_step = args.first
                run.state.update(load_state())
            try:
                Journeys(run).all()
            finally:
                browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
    passed = sum(1 for ok, _label, error in run.results if ok and error != "skipped (--from)")
    failed = sum(1 for ok, _label, _error in run.results if not ok)
    print("screenshots: %s (%.0fs)" % (os.path.relpath(LOGS, ROOT), time.time() - started))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
