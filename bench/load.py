#!/usr/bin/env python3
"""Load test of the production set-up (project tooling: never imported by the addon).

    make load [CLIENTS=8 OPS=1000]   or   .venv/bin/python bench/load.py --clients 8 --ops 1000

1. Its own PostgreSQL cluster (.bench/load/pg, socket port 5434; runtime/pg.sh with AS_PGDIR),
   so that restarting it mid-run never disturbs the server `make run` and `make test` use, and
   its own Odoo data dir (.bench/load/odoo-data). With --external-pg the server of PGHOST is
   used instead, and PostgreSQL is not restarted.
2. A fresh database: the dependencies' template (runtime/dbtools.py, built once per cluster),
   the addon installed with its demo data.
3. The prefork server as `make run WORKERS=4` starts it: 4 HTTP workers, one cron worker, the
   long-polling (gevent) server; the callback and time-limit jobs run every minute.
4. Users per role for every client (after-sales, manager, general manager, quality,
   technician, warehouse, finance), customers, three parts stocked in the parts store.
5. CLIENTS processes, OPS operations each (one operation is one call to the server), in two
   halves. Mixed scenarios of every role: service requests worked and closed; outbound orders
   submitted, approved (by the manager through the web client's JSON route for half of the
   clients, through XML-RPC for the others), reserved and validated by the warehouse, invoiced
   by finance; visits approved, parts issued, started, recorded and completed by the
   technician (the satisfaction callback is created with the completion, and the callback job
   runs every minute meanwhile), callbacks answered, parts returned to the store; returns with
   and without goods and their compensation reviewed, approved and executed; list reads.
   During the second half one HTTP worker is killed by its pid and PostgreSQL is restarted
   (stopped, 3 s down, started).
6. After each half, the invariants, in SQL: every document a client created exists exactly once
   (created = acknowledged), no duplicate number, one transfer per approved outbound order and
   one invoice per chargeable one, each with lines, one callback per trigger, the stock in each
   internal location equal to its done moves per product, never negative, and its reservations
   equal to the open move lines.

Prints operations/s, p50/p95/max per kind of operation, errors by kind, the server's retries
(from its log), the long-polling round trip, and the invariants. Exits 1 on any violation, on
a serialization error or a raw database error reaching a client.

A client retries an operation the server did not acknowledge (the connection broke: the worker
was killed, the database restarted) only when the retry can't duplicate it: a create is looked
up first by the unique reference the client wrote in it (found: it was committed, the id is
taken); an action is looked up by the state it leads to (an action guarded by its state can't
run twice: the server refuses the second one); writes of the same values are idempotent.
"""
import argparse
import base64
import http.client
import json
import multiprocessing
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import traceback
import xmlrpc.client
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(ROOT, "runtime")
LOAD_DIR = os.path.join(ROOT, ".bench", "load")
PG_DIR = os.path.join(LOAD_DIR, "pg")
DATA_DIR = os.path.join(LOAD_DIR, "odoo-data")
SERVER_LOG = os.path.join(LOAD_DIR, "server.log")
ODOO_WRAPPER = os.path.join(LOAD_DIR, "odoo")
ADDON = "after_sales_service"
sys.path.insert(0, RUNTIME)

import dbtools  # noqa: E402

WORKERS = 4
PASSWORD = "load"
ROLES = {
    "user": ["after_sales_service.group_user"],
    "manager": ["after_sales_service.group_manager"],
    "gm": ["after_sales_service.group_general_manager"],
    "quality": ["after_sales_service.group_quality"],
    "technician": ["after_sales_service.group_technician"],
    "stock": ["stock.group_stock_user"],
    "finance": ["account.group_account_invoice"],
}
# the document models a client creates, with the field holding the client's reference
CREATED = {
    "after_sales.request": ("after_sales_request", "description"),
    "after_sales.parts.order": ("after_sales_parts_order", "note"),
    "after_sales.visit": ("after_sales_visit", "site_address"),
    "after_sales.return": ("after_sales_return", "reason"),
    "after_sales.return.compensation": ("after_sales_return_compensation", "description"),
}
SIGNATURE = base64.b64encode(base64.b64decode(
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)).decode()
# the message the runtime gives while the database is unavailable (runtime/odoo11_py311)
UNAVAILABLE = ("database is temporarily unavailable", "数据库暂时不可用")
RAW_DB_ERRORS = ("psycopg2", "OperationalError", "InterfaceError", "connection already closed",
                 "the database system is", "server closed the connection",
                 "terminating connection", "could not connect to server",
                 "connection to server")
SERIALIZATION = ("could not serialize", "SerializationFailure", "TransactionRollbackError",
                 "deadlock detected", "DeadlockDetected", "LockNotAvailable",
                 "could not obtain lock")


# ---------------------------------------------------------------------- server side


def say(message, *args):
    print("load: " + (message % args if args else message), flush=True)


def use_own_pg(port):
    """Point runtime/pg.sh, dbtools and Odoo at the load test's own cluster and data dir."""
    for name in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"):
        os.environ.pop(name, None)
    os.environ["AS_PGDIR"] = PG_DIR
    os.environ["AS_PGPORT"] = str(port)


def pg(*command):
    subprocess.run(["bash", os.path.join(RUNTIME, "pg.sh")] + list(command), check=True)


def odoo_wrapper():
    """runtime/odoo with the load test's own data dir (filestore, sessions): the template
    databases of another cluster may bear the same names in the project's .odoo-data."""
    os.makedirs(LOAD_DIR, exist_ok=True)
    with open(ODOO_WRAPPER, "w") as f:
        f.write('#!/bin/sh\nexec "%s" "$@" --data-dir="%s"\n'
                % (os.path.join(RUNTIME, "odoo"), DATA_DIR))
    os.chmod(ODOO_WRAPPER, 0o755)
    dbtools.ODOO = ODOO_WRAPPER
    dbtools.FILESTORE = os.path.join(DATA_DIR, "filestore")


def fresh_database(db):
    started = time.time()
    template = dbtools.ensure_template(dbtools.manifest_depends())
    dbtools.create_from_template(db, template)
    subprocess.run([ODOO_WRAPPER, "-d", db, "-i", ADDON, "--stop-after-init",
                    "--log-level=warn"], check=True)
    say("fresh database %s (template %s + %s with demo data) in %.0f s", db, template, ADDON,
        time.time() - started)


def prefork_options(longpolling_port):
    """The options `make run WORKERS=4` gives Odoo: the Makefile's PREFORK, read from it."""
    with open(os.path.join(ROOT, "Makefile")) as f:
        match = re.search(r"^PREFORK\s*=\s*((?:.*\\\n)*.*)$", f.read(), re.M)
    if not match:
        raise SystemExit("load: no PREFORK in the Makefile")
    text = match.group(1).replace("\\\n", " ")
    text = text.replace("$(WORKERS)", str(WORKERS)).replace("$(LONGPOLLING_PORT)",
                                                             str(longpolling_port))
    return [o for o in text.split() if not o.startswith("--longpolling-port")] + [
        "--longpolling-port=%s" % longpolling_port]


def start_server(args):
    if os.path.exists(SERVER_LOG):
        os.unlink(SERVER_LOG)
    cmd = [ODOO_WRAPPER, "-d", args.db, "--db-filter=^%s$" % args.db,
           "--http-port=%s" % args.port, "--logfile=%s" % SERVER_LOG,
           "--log-level=info", "--log-handler=werkzeug:WARNING"] \
        + prefork_options(args.longpolling_port)
    say("server: %s", " ".join(cmd[1:]))
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                              start_new_session=True, cwd=ROOT)
    deadline = time.time() + 300
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("load: the server exited (%s); see %s" % (server.returncode,
                                                                       SERVER_LOG))
        try:
            with socket.create_connection(("localhost", args.port), timeout=2), \
                    socket.create_connection(("localhost", args.longpolling_port), timeout=2):
                pass
            common = xmlrpc.client.ServerProxy("http://localhost:%s/xmlrpc/2/common" % args.port)
            if common.version():
                say("prefork server (pid %s) on %s, long-polling on %s", server.pid,
                    args.port, args.longpolling_port)
                return server
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("load: the server did not answer in 300 s; see %s" % SERVER_LOG)


def stop_server(server):
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    # the long-polling process and the workers are the master's children, in its session
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def http_workers(master_pid):
    """The pids of the master's HTTP workers alive now (from the server log)."""
    with open(SERVER_LOG, errors="replace") as f:
        pids = re.findall(r"Worker WorkerHTTP \((\d+)\) alive", f.read())
    alive = []
    for pid in dict.fromkeys(int(p) for p in pids):
        try:
            with open("/proc/%s/status" % pid) as f:
                ppid = int(re.search(r"^PPid:\s+(\d+)", f.read(), re.M).group(1))
        except (OSError, AttributeError):
            continue
        if ppid == master_pid:
            alive.append(pid)
    return alive


class MemorySampler(object):
    """The largest resident and virtual size of the server's processes, per kind, sampled
    every 2 s (Odoo's memory limits compare the virtual size)."""

    def __init__(self, master_pid):
        import threading
        self.master_pid = master_pid
        self.peak = {}
        self.load = []  # the machine's 1-minute load average
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def kind(self, process, cron_pids):
        if process.pid == self.master_pid:
            return "master"
        if "gevent" in process.cmdline():
            return "long-polling"
        return "cron worker" if process.pid in cron_pids else "HTTP worker"

    def run(self):
        import psutil
        while not self.stopped.wait(2):
            self.load.append(os.getloadavg()[0])
            try:
                with open(SERVER_LOG, errors="replace") as f:
                    cron_pids = {int(p) for p in re.findall(r"WorkerCron \((\d+)\) alive",
                                                            f.read())}
                master = psutil.Process(self.master_pid)
                for process in [master] + master.children():
                    info = process.memory_info()
                    kind = self.kind(process, cron_pids)
                    rss, vms = self.peak.get(kind, (0, 0))
                    self.peak[kind] = (max(rss, info.rss), max(vms, info.vms))
            except (OSError, psutil.Error):
                continue

    def stop(self):
        self.stopped.set()
        return ", ".join("%s %d/%d MB" % (kind, rss / 2 ** 20, vms / 2 ** 20)
                         for kind, (rss, vms) in sorted(self.peak.items()))

    def load_average(self):
        if not self.load:
            return "n/a"
        return "%.1f on average, %.1f at most (%s cores)" % (
            sum(self.load) / len(self.load), max(self.load), os.cpu_count())


def server_retries():
    """Odoo's RPC layer logs each retry of a transaction that lost a concurrent update
    (odoo/service/model.py check): per PostgreSQL error name, the retries and the times it
    gave up."""
    retries, gave_up = {}, {}
    with open(SERVER_LOG, errors="replace") as f:
        for line in f:
            match = re.search(r"odoo\.service\.model: (\w+), (retry \d+/\d+|maximum number)", line)
            if match:
                bucket = retries if match.group(2).startswith("retry") else gave_up
                bucket[match.group(1)] = bucket.get(match.group(1), 0) + 1
    return retries, gave_up


class Admin(object):
    """XML-RPC as the administrator, for the set-up and the checks."""

    def __init__(self, url, db):
        self.db = db
        self.uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").login(db, "admin", "admin")
        self.models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, "admin", model, method, list(args),
                                      kwargs)

    def ref(self, xmlid):
        return self("ir.model.data", "xmlid_to_res_id", xmlid, True)


def set_up(admin, clients, run):
    """Users per role for every client, customers, the serviced product, three parts stocked
    in the parts store; the callback and time-limit jobs every minute."""
    started = time.time()
    company = admin.ref("base.main_company")
    warehouse = admin("stock.warehouse", "search", [["company_id", "=", company]], limit=1)[0]
    store = admin("stock.warehouse", "read", [warehouse],
                  ["after_sales_parts_location_id"])[0]["after_sales_parts_location_id"][0]
    unit = admin.ref("product.product_uom_unit")
    base_user = admin.ref("base.group_user")
    users = {}
    for client in range(clients):
        for role, groups in ROLES.items():
            login = "load%s_%s_%s" % (run, client, role)
            users["%s:%s" % (client, role)] = [admin("res.users", "create", {
                "name": "Load %s %s" % (client, role), "login": login, "password": PASSWORD,
                "email": login + "@example.com", "tz": "UTC",
                "groups_id": [[6, 0, [admin.ref(g) for g in groups] + [base_user]]],
            }, context={"no_reset_password": True}), login]
    customers = [admin("res.partner", "create", {
        "name": "负载测试客户 %s-%s" % (run, i), "customer": True, "is_company": True,
        "phone": "021-5555 %04d" % i, "city": "上海", "email": "c%s@example.com" % i})
        for i in range(20)]
    heater = admin("product.product", "create", {
        "name": "电热水器 LT-%s" % run, "type": "product", "list_price": 2600.0,
        "standard_price": 1500.0})
    parts = [admin("product.product", "create", {
        "name": "%s LT-%s" % (name, run), "type": "product", "standard_price": cost,
        "list_price": cost * 2, "taxes_id": [[6, 0, []]]})
        for name, cost in (("温控器", 80.0), ("加热管", 45.0), ("镁棒", 20.0))]
    inventory = admin("stock.inventory", "create", {
        "name": "Load test parts %s" % run, "location_id": store, "filter": "partial",
        "line_ids": [[0, 0, {"product_id": part, "location_id": store, "product_qty": 100000,
                             "product_uom_id": unit}] for part in parts]})
    admin("stock.inventory", "action_done", [inventory])
    now = datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
    for cron in ("after_sales_service.ir_cron_callbacks",
                 "after_sales_service.ir_cron_request_time_limits"):
        admin("ir.cron", "write", [admin.ref(cron)], {
            "interval_number": 1, "interval_type": "minutes", "nextcall": now, "active": True})
    say("set-up: %s users (%s roles x %s clients), %s customers, 3 parts stocked, jobs every "
        "minute, in %.0f s", len(users), len(ROLES), clients, len(customers),
        time.time() - started)
    return {"users": users, "customers": customers, "heater": heater, "parts": parts,
            "unit": unit, "store": store, "warehouse": warehouse, "company": company}


def settle(admin):
    """Wait (up to 3 min) for the background jobs the clients' operations queued, if any."""
    if not admin("ir.model", "search", [["model", "=", "queue.job"]]):
        return 0
    deadline = time.time() + 180
    while time.time() < deadline:
        pending = admin("queue.job", "search_count",
                        [["state", "in", ["pending", "enqueued", "started"]]])
        if not pending:
            return 0
        time.sleep(3)
    return pending


def longpolling_round_trip(url, longpolling_url, db, login):
    """Seconds from a bus message sent to a logged-in user (a to-do assigned to them) to its
    arrival on the long-polling port; None when it does not arrive within 60 s."""
    import threading
    import requests
    session = requests.Session()
    result = session.post(url + "/web/session/authenticate", json={"jsonrpc": "2.0", "params": {
        "db": db, "login": login, "password": PASSWORD}}, timeout=60).json()["result"]
    uid, partner = result["uid"], result["partner_id"]
    # what is already there (peek mode answers at once), then wait for what comes next
    peek = session.post(longpolling_url + "/longpolling/poll", json={"jsonrpc": "2.0", "params": {
        "channels": [], "last": 0, "options": {"peek": True}}}, timeout=70).json()
    peeked = peek.get("result") or {}
    last = max([n["id"] for n in peeked.get("notifications", [])] + [0])
    arrived = {}

    def poll():
        answer = session.post(longpolling_url + "/longpolling/poll", json={
            "jsonrpc": "2.0", "params": {"channels": [], "last": last}}, timeout=70).json()
        for notification in answer.get("result") or []:
            if notification["message"].get("type") == "activity_updated":
                arrived["at"] = time.time()
        arrived["answer"] = answer

    thread = threading.Thread(target=poll)
    thread.start()
    time.sleep(1)
    admin = Admin(url, db)
    sent = time.time()
    admin("mail.activity", "create", {
        "res_model_id": admin("ir.model", "search", [["model", "=", "res.partner"]])[0],
        "res_id": partner, "user_id": uid, "summary": "long-polling check"})
    thread.join(65)
    return round(arrived["at"] - sent, 2) if "at" in arrived else None


# ---------------------------------------------------------------------- clients


class Stop(Exception):
    """The client's operations are used up."""


class Failed(Exception):
    """An operation failed in a way the scenario can't go on from."""

    def __init__(self, kind, text):
        super(Failed, self).__init__(kind)
        self.kind = kind
        self.text = text


class Transport(xmlrpc.client.Transport):
    def __init__(self, timeout):
        super(Transport, self).__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super(Transport, self).make_connection(host)
        connection.timeout = self.timeout
        return connection

    def request(self, host, handler, request_body, verbose=False):
        # once: xmlrpc.client sends a request again by itself when the connection breaks (a
        # killed worker may have committed it): the client decides instead (Client.op)
        return self.single_request(host, handler, request_body, verbose)


def classify(error):
    """(kind, text) of what reached the client."""
    if isinstance(error, xmlrpc.client.Fault):
        text = str(error.faultString)
        code = error.faultCode
    elif isinstance(error, JsonError):
        text, code = error.text, error.code
    elif isinstance(error, xmlrpc.client.ProtocolError) and error.errcode not in (502, 503, 504):
        return "server_error", "HTTP %s %s" % (error.errcode, error.errmsg)
    elif isinstance(error, (OSError, xmlrpc.client.ProtocolError, http.client.HTTPException)):
        return "connection", "%s: %s" % (type(error).__name__, error)
    else:
        return "client_bug", "".join(traceback.format_exception_only(type(error), error))
    if any(s in text for s in UNAVAILABLE):
        return "db_unavailable", text
    if any(s in text for s in SERIALIZATION):
        return "serialization", text
    if any(s in text for s in RAW_DB_ERRORS):
        return "raw_db_error", text
    return {2: "user_error", 3: "access_denied", 4: "access_error"}.get(code, "server_error"), \
        text


class JsonError(Exception):
    def __init__(self, code, text):
        super(JsonError, self).__init__(text)
        self.code, self.text = code, text


class Client(object):
    """One client process: its users (one per role), its operations and what the server
    acknowledged."""

    IN_DOUBT = ("db_unavailable", "connection")

    def __init__(self, cid, phase, args, data, progress):
        self.cid, self.phase, self.args, self.data = cid, phase, args, data
        self.url = "http://localhost:%s" % args.port
        self.progress = progress
        self.random = random.Random("%s-%s-%s" % (args.run, cid, phase))
        self.ops_left = args.ops // 2
        self.ops = []  # [kind, seconds, error kind or None]
        self.errors = []  # first texts per kind
        self.acked = []  # [model, id, reference]
        self.in_doubt = []  # references whose create was never confirmed
        self.approved = []  # outbound orders whose approval was acknowledged
        self.sequence = 0
        self.uids = {}
        self.models = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/object", allow_none=True,
                                                transport=Transport(args.timeout))
        self.json = None
        # half of the managers approve in the web client (the JSON route), half by XML-RPC
        self.manager_json = cid % 2 == 0

    # -------------------------------------------------------------- calls

    def login(self, role):
        if role not in self.uids:
            self.uids[role] = self.data["users"]["%s:%s" % (self.cid, role)][0]
        return self.uids[role]

    def _xmlrpc(self, role, model, method, args, kwargs):
        uid = self.login(role)
        return self.models.execute_kw(self.args.db, uid, PASSWORD, model, method, args, kwargs)

    def _json_session(self):
        import requests
        if self.json is None:
            session = requests.Session()
            login = self.data["users"]["%s:manager" % self.cid][1]
            answer = session.post(self.url + "/web/session/authenticate", json={
                "jsonrpc": "2.0", "params": {"db": self.args.db, "login": login,
                                             "password": PASSWORD}},
                timeout=self.args.timeout).json()
            if answer.get("error"):
                raise JsonError(200, json.dumps(answer["error"]))
            self.json = session
        return self.json

    def _call_button(self, model, method, record_id):
        """What the web client sends for a button of a form."""
        session = self._json_session()
        response = session.post(self.url + "/web/dataset/call_button", json={
            "jsonrpc": "2.0", "method": "call", "id": self.sequence, "params": {
                "model": model, "method": method,
                "args": [[record_id], {"lang": "en_US", "tz": "UTC"}]}},
            timeout=self.args.timeout)
        if response.status_code != 200:
            raise xmlrpc.client.ProtocolError(response.url, response.status_code,
                                              response.reason, {})
        answer = response.json()
        if answer.get("error"):
            error = answer["error"]
            data = error.get("data") or {}
            code = 2 if data.get("exception_type") in ("user_error", "warning") else 1
            raise JsonError(code, "%s: %s\n%s" % (data.get("name"), data.get("message"),
                                                  data.get("debug", "")))
        return answer.get("result")

    def op(self, kind, call, lookup=None, retry=True):
        """One operation: `call` until acknowledged. When the outcome is unknown (the
        connection broke, the database was unavailable), `lookup` tells whether it was
        committed after all (its result, else None) before the call is repeated."""
        for attempt in range(8):
            if self.ops_left <= 0:
                raise Stop()
            self.ops_left -= 1
            with self.progress.get_lock():
                self.progress.value += 1
            started = time.time()
            try:
                result = call()
            except Stop:
                raise
            except Exception as error:  # what reached the client, classified
                kind_error, text = classify(error)
                self.ops.append([kind, time.time() - started, kind_error])
                if sum(1 for e in self.errors if e[0] == kind_error) < 3:
                    self.errors.append([kind_error, kind, text[-1500:]])
                if kind_error in self.IN_DOUBT and retry:
                    time.sleep(min(2 ** attempt, 10) * (0.5 + self.random.random()))
                    if lookup:
                        found = self._lookup(lookup)
                        if found is not None:
                            return found
                    continue
                if kind_error == "serialization" and retry:
                    continue  # rolled back by the server: repeating it can't duplicate
                raise Failed(kind_error, text)
            self.ops.append([kind, time.time() - started, None])
            return result
        raise Failed("gave_up", kind)

    def _lookup(self, lookup):
        for attempt in range(10):
            try:
                return lookup()
            except Exception as error:
                if classify(error)[0] not in self.IN_DOUBT:
                    raise
                time.sleep(min(2 ** attempt, 10))
        return None

    def rpc(self, role, model, method, *args, **kwargs):
        return self._xmlrpc(role, model, method, list(args), kwargs)

    def reference(self):
        self.sequence += 1
        return "LT%s-c%s-p%s-%s" % (self.args.run, self.cid, self.phase, self.sequence)

    def create(self, role, model, vals, reference):
        """Create a document holding the client's unique reference; acknowledged with its id."""
        field = CREATED[model][1]
        vals = dict(vals, **{field: reference if field not in vals
                             else "%s %s" % (reference, vals[field])})

        def lookup():
            found = self.rpc(role, model, "search", [[field, "like", reference + "%"]])
            return found[0] if found else None
        self.in_doubt.append(reference)
        try:
            record_id = self.op(model + ".create", lambda: self.rpc(role, model, "create", vals),
                                lookup)
        except Failed as failure:
            if failure.kind not in self.IN_DOUBT + ("gave_up",):
                self.in_doubt.remove(reference)  # refused: nothing was created
            raise
        self.in_doubt.remove(reference)
        self.acked.append([model, record_id, reference])
        return record_id

    def action(self, role, model, method, record_id, states=None, json_route=False):
        """A document's button; `states`: the states it leads to (how a lost answer is
        looked up)."""
        def call():
            if json_route:
                return self._call_button(model, method, record_id)
            return self.rpc(role, model, method, [record_id])

        def lookup():
            state = self.rpc(role, model, "read", [record_id], ["state"])[0]["state"]
            return True if state in states else None
        kind = "%s.%s%s" % (model, method, " [json]" if json_route else "")
        return self.op(kind, call, lookup if states else None)

    # -------------------------------------------------------------- scenarios

    def run(self):
        scenarios = [(self.parts_order, 35), (self.visit, 25), (self.return_case, 15),
                     (self.request, 15), (self.reads, 10)]
        total = sum(w for _s, w in scenarios)
        try:
            while True:
                pick = self.random.uniform(0, total)
                for scenario, weight in scenarios:
                    pick -= weight
                    if pick <= 0:
                        break
                try:
                    scenario()
                except Failed:
                    pass  # recorded; the next scenario starts
        except Stop:
            pass

    def _new_request(self, category, in_warranty):
        """A service request registered and started: (its id, its customer)."""
        data = self.data
        partner = self.random.choice(data["customers"])
        vals = {"partner_id": partner, "category": category,
                "channel": "hotline", "product_id": data["heater"],
                "description": "负载测试：设备故障"}
        if in_warranty:
            vals["date_delivered"] = (datetime.utcnow() - timedelta(days=30)).strftime("%Y-%m-%d")
        if category == "consultation":
            # a consultation not answered on the spot is started with its promised answer date
            vals["promised_answer_date"] = (datetime.utcnow() + timedelta(days=2)).strftime(
                "%Y-%m-%d %H:%M:%S")
        request = self.create("user", "after_sales.request", vals, self.reference())
        self.action("user", "after_sales.request", "action_start", request,
                    ("in_progress", "waiting", "resolved", "closed"))
        return request, partner

    def _picking(self, domain):
        return self.op("stock.picking.search", lambda: self.rpc(
            "stock", "stock.picking", "search", domain + [["state", "not in", ["done", "cancel"]]]))

    def _validate(self, picking, check_availability=True):
        """The warehouse: Check Availability, quantities done as reserved, Validate."""
        if check_availability:
            self.action("stock", "stock.picking", "action_assign", picking)
        lines = self.op("stock.move.line.read", lambda: self.rpc(
            "stock", "stock.move.line", "search_read", [["picking_id", "=", picking]],
            ["product_uom_qty"]))
        if not lines:
            raise Failed("not_reserved", "transfer %s has nothing reserved" % picking)
        for line in lines:
            self.op("stock.move.line.write", lambda line=line: self.rpc(
                "stock", "stock.move.line", "write", [line["id"]],
                {"qty_done": line["product_uom_qty"]}))
        self.action("stock", "stock.picking", "action_done", picking, ("done",))

    def parts_order(self):
        in_warranty = self.random.random() < 0.4
        request, _partner = self._new_request("parts", in_warranty)
        parts = self.random.sample(self.data["parts"], self.random.choice((1, 2)))
        order = self.create("user", "after_sales.parts.order", {
            "request_id": request, "shipping_method": "courier", "line_ids": [[0, 0, {
                "product_id": part, "quantity": self.random.choice((1.0, 2.0)),
                "product_uom_id": self.data["unit"]}] for part in parts]}, self.reference())
        self.action("user", "after_sales.parts.order", "action_submit", order,
                    ("to_approve", "approved", "shipped"))
        self.action("manager", "after_sales.parts.order", "action_approve", order,
                    ("approved", "shipped"), json_route=self.manager_json)
        self.approved.append(order)
        picking = self._picking([["after_sales_parts_order_id", "=", order]])
        if not picking:
            raise Failed("no_transfer", "approved order %s has no open transfer" % order)
        self._validate(picking[0])
        if not in_warranty:
            invoices = self.op("account.invoice.search", lambda: self.rpc(
                "finance", "account.invoice", "search",
                [["after_sales_parts_order_id", "=", order], ["state", "=", "draft"]]))
            for invoice in invoices:
                self.action("finance", "account.invoice", "action_invoice_open", invoice,
                            ("open", "paid"))

    def visit(self):
        in_warranty = self.random.random() < 0.5
        with_parts = self.random.random() < 0.5
        request, partner = self._new_request("repair", in_warranty)
        technician = self.login("technician")
        vals = {"request_id": request, "partner_id": partner,
                "purpose": "repair", "distance_km": 20.0,
                "date_planned": datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S"),
                "technician_ids": [[6, 0, [technician]]], "appointment_confirmed": True}
        if with_parts:
            vals["part_ids"] = [[0, 0, {"product_id": self.random.choice(self.data["parts"]),
                                        "qty_taken": 2.0}]]
        visit = self.create("user", "after_sales.visit", vals, self.reference())
        self.action("user", "after_sales.visit", "action_submit", visit,
                    ("to_approve", "approved", "in_progress", "done"))
        self.action("gm", "after_sales.visit", "action_approve", visit,
                    ("approved", "in_progress", "done"))
        if with_parts:
            self.op("after_sales.visit.action_issue_parts", lambda: self.rpc(
                "user", "after_sales.visit", "action_issue_parts", [visit]),
                lambda: True if self.rpc("stock", "stock.picking", "search", [
                    ["after_sales_visit_id", "=", visit],
                    ["after_sales_visit_role", "=", "issue"]]) else None)
            issue = self._picking([["after_sales_visit_id", "=", visit],
                                   ["after_sales_visit_role", "=", "issue"]])
            if issue:
                self._validate(issue[0])
        self.action("technician", "after_sales.visit", "action_start", visit,
                    ("in_progress", "done"))
        now = datetime.utcnow()
        self.op("after_sales.visit.write", lambda: self.rpc(
            "technician", "after_sales.visit", "write", [visit], {
                "date_arrival": (now - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S"),
                "date_departure": (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
                "arrival_confirmed": True, "fault_found": "温控器损坏", "handling": "更换温控器",
                "fee_standard_shown": True, "customer_signer": "王工",
                "customer_signature": SIGNATURE, "customer_evaluation": "5"}))
        if with_parts:
            lines = self.op("after_sales.visit.part.search", lambda: self.rpc(
                "technician", "after_sales.visit.part", "search", [["visit_id", "=", visit]]))
            self.op("after_sales.visit.part.write", lambda: self.rpc(
                "technician", "after_sales.visit.part", "write", lines, {"qty_used": 1.0}))
        self.action("technician", "after_sales.visit", "action_done", visit, ("done",))
        if with_parts:
            back = self._picking([["after_sales_visit_id", "=", visit],
                                  ["after_sales_visit_role", "=", "return"]])
            if back:
                self._validate(back[0], check_availability=False)
        callbacks = self.op("after_sales.callback.search", lambda: self.rpc(
            "user", "after_sales.callback", "search", [["visit_id", "=", visit]]))
        if not callbacks:
            return  # made by a background job later: the invariants check it at the end
        answers = self.op("after_sales.callback.answer.read", lambda: self.rpc(
            "user", "after_sales.callback.answer", "search_read",
            [["callback_id", "=", callbacks[0]]], ["kind"]))
        values = {"yesno": {"value_yesno": "yes"}, "rating": {"value_rating": "5"},
                  "text": {"value_text": "满意"}}
        self.op("after_sales.callback.write", lambda: self.rpc(
            "user", "after_sales.callback", "write", callbacks, {"answer_ids": [
                [1, a["id"], values.get(a["kind"], values["text"])] for a in answers]}))
        self.action("user", "after_sales.callback", "action_done", callbacks[0], ("done",))
        self.action("user", "after_sales.request", "action_close", request, ("closed",))

    def return_case(self):
        with_goods = self.random.random() < 0.5
        vals = {"partner_id": self.random.choice(self.data["customers"]),
                "cause": "defect" if with_goods else "installation", "has_goods": with_goods,
                "reason": "客户要求退换"}
        if with_goods:
            vals.update(product_id=self.data["heater"], product_qty=1.0)
        else:
            vals.update(product_id=False, product_qty=0.0)
        case = self.create("user", "after_sales.return", vals, self.reference())
        self.action("user", "after_sales.return", "action_confirm", case,
                    ("receiving", "to_inspect", "inspected", "disposing", "done"))
        if with_goods:
            receipt = self._picking([["after_sales_return_id", "=", case]])
            if receipt:
                self._validate(receipt[0], check_availability=False)
        amount = self.random.choice((300.0, 800.0, 6000.0))
        compensation = self.create("user", "after_sales.return.compensation", {
            "return_id": case, "amount": amount, "compensation_type": "compensation",
            "description": "赔偿"}, self.reference())
        self.action("user", "after_sales.return.compensation", "action_submit", compensation,
                    ("to_review", "to_approve", "approved", "done"))
        state = self.op("after_sales.return.compensation.read", lambda: self.rpc(
            "user", "after_sales.return.compensation", "read", [compensation],
            ["state"]))[0]["state"]
        if state == "to_review":
            self.action("quality", "after_sales.return.compensation", "action_review",
                        compensation, ("to_approve", "approved", "done"))
            self.action("gm", "after_sales.return.compensation", "action_approve",
                        compensation, ("approved", "done"))
        self.action("finance", "after_sales.return.compensation", "action_execute",
                    compensation, ("done",))

    def request(self):
        request, _partner = self._new_request(self.random.choice(("repair", "consultation")),
                                              False)
        self.op("after_sales.request.write", lambda: self.rpc(
            "user", "after_sales.request", "write", [request], {
                "guidance": "电话指导：复位后正常", "fault_found": "设定错误",
                "method_used": "电话指导复位"}))
        self.action("user", "after_sales.request", "action_resolve", request,
                    ("resolved", "closed"))
        self.action("user", "after_sales.request", "action_close", request, ("closed",))

    def reads(self):
        self.op("after_sales.request.search_read", lambda: self.rpc(
            "user", "after_sales.request", "search_read", [["state", "!=", "closed"]],
            ["name", "partner_id", "state", "priority", "response_deadline", "is_late"],
            limit=80))
        self.op("after_sales.parts.order.search_read", lambda: self.rpc(
            "manager", "after_sales.parts.order", "search_read", [["state", "=", "to_approve"]],
            ["name", "partner_id", "amount_total", "stock_warning"], limit=80))
        self.op("stock.picking.search_read", lambda: self.rpc(
            "stock", "stock.picking", "search_read", [["state", "in", ["confirmed", "assigned"]]],
            ["name", "partner_id", "state", "scheduled_date"], limit=80))


def client_main(cid, phase, args, data, progress, path):
    client = Client(cid, phase, args, data, progress)
    try:
        client.run()
    except Exception:
        client.errors.append(["client_bug", "run", traceback.format_exc()[-3000:]])
    with open(path, "w") as f:
        json.dump({"ops": client.ops, "errors": client.errors, "acked": client.acked,
                   "in_doubt": client.in_doubt, "approved": client.approved}, f)


# ---------------------------------------------------------------------- invariants


def invariants(db, results, data):
    """[(name, violations)] checked in SQL on the database, after the clients stopped."""
    import psycopg2
    options = dict(arg.split("=", 1) for arg in subprocess.check_output(
        [os.path.join(RUNTIME, "pg.sh"), "args"], text=True).split())
    connection = psycopg2.connect(dbname=db, host=options["--db_host"],
                                  port=options["--db_port"], user=options["--db_user"],
                                  password=options.get("--db_password"))
    cr = connection.cursor()

    def rows(sql, params=None):
        cr.execute(sql, params)
        return cr.fetchall()

    checks = []
    prefix = "LT%s-" % data["run"]
    acked = {}
    in_doubt = set()
    approved = set()
    for result in results:
        for model, record_id, reference in result["acked"]:
            acked.setdefault(model, {})[reference] = record_id
        in_doubt.update(result["in_doubt"])
        approved.update(result["approved"])
    for model, (table, field) in sorted(CREATED.items()):
        found = rows("SELECT id, substring(%s from '^(LT[^ ]+)') FROM %s WHERE %s LIKE %%s"
                     % (field, table, field), (prefix + "%",))
        by_reference = {}
        for record_id, reference in found:
            by_reference.setdefault(reference, []).append(record_id)
        mine = acked.get(model, {})
        problems = []
        for reference, record_id in sorted(mine.items()):
            if by_reference.get(reference) != [record_id]:
                problems.append("%s acknowledged as #%s, in the database: %s"
                                % (reference, record_id, by_reference.get(reference)))
        for reference, ids in sorted(by_reference.items()):
            if reference not in mine and reference not in in_doubt:
                problems.append("%s: %s in the database, never asked for" % (reference, ids))
            elif reference not in mine and len(ids) > 1:
                problems.append("%s (unconfirmed) created %s times: %s"
                                % (reference, len(ids), ids))
        checks.append(("created = acknowledged: %s (%s)" % (model, len(mine)), problems))
    for table, column in (("after_sales_request", "name"), ("after_sales_parts_order", "name"),
                          ("after_sales_visit", "name"), ("after_sales_return", "name"),
                          ("after_sales_callback", "name"), ("stock_picking", "name"),
                          ("account_invoice", "number")):
        company = "company_id" if table != "stock_picking" else "picking_type_id"
        dupes = rows("SELECT %s, count(*) FROM %s WHERE %s IS NOT NULL AND %s <> '/' "
                     "GROUP BY %s, %s HAVING count(*) > 1" % (column, table, column, column,
                                                               column, company))
        checks.append(("no duplicate number: %s.%s" % (table, column),
                       ["%s x%s" % d for d in dupes]))
    dupes = rows("SELECT name, journal_id, count(*) FROM account_move WHERE name <> '/' "
                 "GROUP BY name, journal_id HAVING count(*) > 1")
    checks.append(("no duplicate number: account_move.name", ["%s x%s" % (d[0], d[2])
                                                               for d in dupes]))
    bad = rows("""
        SELECT o.name, o.state, count(DISTINCT p.id),
               count(m.id) FILTER (WHERE m.state <> 'cancel'),
               (SELECT count(*) FROM after_sales_parts_order_line l WHERE l.order_id = o.id)
          FROM after_sales_parts_order o
          LEFT JOIN stock_picking p ON p.after_sales_parts_order_id = o.id
          LEFT JOIN stock_move m ON m.picking_id = p.id
         GROUP BY o.id
        HAVING (o.state IN ('approved', 'shipped') AND (count(DISTINCT p.id) <> 1
                OR count(m.id) FILTER (WHERE m.state <> 'cancel') <>
                   (SELECT count(*) FROM after_sales_parts_order_line l WHERE l.order_id = o.id)))
            OR (o.state IN ('draft', 'to_approve', 'rejected') AND count(p.id) > 0)""")
    checks.append(("one transfer per approved outbound order, a move per line",
                   ["%s (%s): %s transfers, %s moves, %s lines" % r for r in bad]))
    bad = rows("""
        SELECT o.name, o.state, o.chargeable, count(DISTINCT i.id),
               min((SELECT count(*) FROM account_invoice_line il WHERE il.invoice_id = i.id))
          FROM after_sales_parts_order o
          LEFT JOIN account_invoice i ON i.after_sales_parts_order_id = o.id
               AND i.type = 'out_invoice' AND i.state <> 'cancel'
         WHERE o.state IN ('approved', 'shipped')
         GROUP BY o.id
        HAVING count(DISTINCT i.id) <> (CASE WHEN o.chargeable THEN 1 ELSE 0 END)
            OR (count(DISTINCT i.id) > 0 AND min((SELECT count(*) FROM account_invoice_line il
                                                  WHERE il.invoice_id = i.id)) = 0)
    """)
    checks.append(("one invoice per chargeable approved order, with lines",
                   ["%s (%s, chargeable %s): %s invoices, %s lines" % r for r in bad]))
    lost = rows("SELECT id, state FROM after_sales_parts_order WHERE id = ANY(%s) "
                "AND state NOT IN ('approved', 'shipped')", (sorted(approved),))
    checks.append(("every acknowledged approval kept (%s)" % len(approved),
                   ["order #%s is %s" % r for r in lost]))
    dupes = rows("SELECT trigger, count(*) FROM after_sales_callback WHERE trigger IS NOT NULL "
                 "GROUP BY trigger HAVING count(*) > 1")
    missing = rows("""SELECT v.name FROM after_sales_visit v WHERE v.state IN ('done', 'verified')
                        AND (SELECT count(*) FROM after_sales_callback c
                              WHERE c.trigger = 'visit:' || v.id) <> 1""")
    checks.append(("one callback per trigger (every completed visit has one)",
                   ["%s x%s" % d for d in dupes] + ["%s without its callback" % m
                                                     for m in missing]))
    products = tuple(data["parts"] + [data["heater"]])
    bad = rows("""
        WITH moves AS (
            SELECT product_id, location_dest_id AS location_id, product_qty AS qty
              FROM stock_move WHERE state = 'done' AND product_id IN %(p)s
            UNION ALL
            SELECT product_id, location_id, -product_qty
              FROM stock_move WHERE state = 'done' AND product_id IN %(p)s),
        by_moves AS (
            SELECT m.product_id, m.location_id, sum(m.qty) AS qty FROM moves m
              JOIN stock_location l ON l.id = m.location_id AND l.usage = 'internal'
             GROUP BY m.product_id, m.location_id),
        by_quants AS (
            SELECT q.product_id, q.location_id, sum(q.quantity) AS qty,
                   min(q.quantity) AS lowest
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
             WHERE q.product_id IN %(p)s GROUP BY q.product_id, q.location_id)
        SELECT coalesce(m.product_id, q.product_id), coalesce(m.location_id, q.location_id),
               round(coalesce(m.qty, 0)::numeric, 4), round(coalesce(q.qty, 0)::numeric, 4),
               q.lowest
          FROM by_moves m FULL JOIN by_quants q
            ON q.product_id = m.product_id AND q.location_id = m.location_id
         WHERE round(coalesce(m.qty, 0)::numeric, 4) <> round(coalesce(q.qty, 0)::numeric, 4)
            OR coalesce(q.qty, 0) < 0""", {"p": products})
    checks.append(("stock = done moves per product and internal location, none negative",
                   ["product %s at location %s: moves %s, quants %s" % r[:4] for r in bad]))
    negative = rows("SELECT q.product_id, q.location_id, q.quantity FROM stock_quant q "
                    "JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal' "
                    "WHERE q.product_id IN %s AND q.quantity < 0", (products,))
    checks.append(("no negative quant in an internal location",
                   ["product %s at location %s: %s" % r for r in negative]))
    bad = rows("""
        WITH lines AS (
            SELECT ml.product_id, ml.location_id, sum(ml.product_qty) AS qty
              FROM stock_move_line ml JOIN stock_move m ON m.id = ml.move_id
             WHERE m.state NOT IN ('done', 'cancel') AND ml.product_id IN %(p)s
             GROUP BY ml.product_id, ml.location_id),
        quants AS (
            SELECT q.product_id, q.location_id, sum(q.reserved_quantity) AS qty
              FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
             WHERE q.product_id IN %(p)s AND l.usage = 'internal'
             GROUP BY q.product_id, q.location_id)
        SELECT coalesce(l.product_id, q.product_id), coalesce(l.location_id, q.location_id),
               coalesce(l.qty, 0), coalesce(q.qty, 0)
          FROM lines l FULL JOIN quants q
            ON q.product_id = l.product_id AND q.location_id = l.location_id
          JOIN stock_location loc ON loc.id = coalesce(l.location_id, q.location_id)
         WHERE loc.usage = 'internal'
           AND round(coalesce(l.qty, 0)::numeric, 4) <> round(coalesce(q.qty, 0)::numeric, 4)
    """, {"p": products})
    checks.append(("reserved stock = open move lines per product and location",
                   ["product %s at location %s: lines %s, reserved %s" % r for r in bad]))
    connection.close()
    return checks


# ---------------------------------------------------------------------- report


def percentile(values, fraction):
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def report(results, seconds, label):
    ops = [op for result in results for op in result["ops"]]
    kinds = {}
    for kind, duration, error in ops:
        kinds.setdefault(kind, []).append((duration, error))
    say("%s: %s operations in %.0f s: %.1f operations/s", label, len(ops), seconds,
        len(ops) / seconds if seconds else 0)
    print("  %-48s %6s %6s %8s %8s %8s" % ("operation", "calls", "errors", "p50 ms", "p95 ms",
                                          "max ms"))
    for kind in sorted(kinds):
        durations = [d for d, _e in kinds[kind]]
        errors = sum(1 for _d, e in kinds[kind] if e)
        print("  %-48s %6d %6d %8.0f %8.0f %8.0f" % (
            kind, len(durations), errors, 1000 * percentile(durations, 0.5),
            1000 * percentile(durations, 0.95), 1000 * max(durations)))
    durations = [d for _k, d, _e in ops]
    print("  %-48s %6d %6d %8.0f %8.0f %8.0f" % (
        "all", len(ops), sum(1 for op in ops if op[2]), 1000 * percentile(durations, 0.5),
        1000 * percentile(durations, 0.95), 1000 * max(durations or [0])))
    errors = {}
    for _k, _d, error in ops:
        if error:
            errors[error] = errors.get(error, 0) + 1
    bugs = [e for result in results for e in result["errors"] if e[0] == "client_bug"]
    print("  errors reaching the clients: %s" % (", ".join(
        "%s %s" % (count, kind) for kind, count in sorted(errors.items())) or "none"))
    shown = set()
    for result in results:
        for kind, op_kind, text in result["errors"]:
            if (kind, op_kind) in shown or kind in ("db_unavailable", "connection"):
                continue
            shown.add((kind, op_kind))
            print("    %s in %s: %s" % (kind, op_kind, text.strip().splitlines()[-1][:300]
                                        if text.strip() else ""))
    return errors, bugs


def run_phase(args, data, phase, chaos=None):
    progress = multiprocessing.Value("i", 0)
    paths = [os.path.join(LOAD_DIR, "client-%s-%s.json" % (phase, c)) for c in range(args.clients)]
    processes = [multiprocessing.Process(target=client_main, args=(
        c, phase, args, data, progress, paths[c])) for c in range(args.clients)]
    started = time.time()
    for process in processes:
        process.start()
    if chaos:
        chaos(progress, args.clients * (args.ops // 2))
    for process in processes:
        process.join()
    seconds = time.time() - started
    results = []
    for path in paths:
        with open(path) as f:
            results.append(json.load(f))
    return results, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--ops", type=int, default=1000, help="operations per client")
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument("--longpolling-port", type=int, default=8082)
    parser.add_argument("--pg-port", type=int, default=5434,
                        help="socket port of the load test's own PostgreSQL")
    parser.add_argument("--external-pg", action="store_true",
                        help="use the server of PGHOST (nothing restarted)")
    parser.add_argument("--db", default="as_load")
    parser.add_argument("--timeout", type=int, default=600, help="client socket timeout (s)")
    parser.add_argument("--keep", action="store_true", help="leave the server running")
    parser.add_argument("--reuse-db", action="store_true",
                        help="keep the database of the last run (while developing this test)")
    args = parser.parse_args()
    args.run = datetime.utcnow().strftime("%H%M%S")
    began = time.time()
    os.makedirs(LOAD_DIR, exist_ok=True)
    if not args.external_pg:
        use_own_pg(args.pg_port)
    odoo_wrapper()
    pg("start")
    if not args.reuse_db:
        fresh_database(args.db)
    server = start_server(args)
    url = "http://localhost:%s" % args.port
    failures = []
    memory = MemorySampler(server.pid)
    try:
        data = set_up(Admin(url, args.db), args.clients, args.run)
        data["run"] = args.run
        login = data["users"]["0:manager"][1]
        round_trip = longpolling_round_trip(
            url, "http://localhost:%s" % args.longpolling_port, args.db, login)
        say("long-polling: a message to the manager arrived in %s s", round_trip)
        if round_trip is None:
            failures.append("long-polling: no message")

        all_results = []
        for phase, label in ((1, "first half"), (2, "second half (worker killed, "
                                                  "PostgreSQL restarted)")):
            events = []

            def chaos(progress, total):
                killed = restarted = False
                while any(p.is_alive() for p in multiprocessing.active_children()):
                    done = progress.value / float(total or 1)
                    if not killed and done >= 0.25:
                        workers = http_workers(server.pid)
                        if workers:
                            victim = random.choice(workers)
                            os.kill(victim, signal.SIGKILL)
                            events.append("HTTP worker %s killed at %d%%" % (victim, 100 * done))
                        killed = True
                    if not restarted and done >= 0.5:
                        if args.external_pg:
                            events.append("PostgreSQL not restarted (--external-pg)")
                        else:
                            down = time.time()
                            pg("restart", "3")
                            events.append("PostgreSQL restarted at %d%% (down %.1f s)"
                                          % (100 * done, time.time() - down))
                        restarted = True
                    time.sleep(0.2)
            results, seconds = run_phase(args, data, phase, chaos if phase == 2 else None)
            all_results += results
            for event in events:
                say(event)
            errors, bugs = report(results, seconds, label)
            for bug in bugs:
                print(bug[2])
                failures.append("client bug")
            if errors.get("serialization"):
                failures.append("%s serialization errors reached clients (%s)"
                                % (errors["serialization"], label))
            if errors.get("raw_db_error"):
                failures.append("%s raw database errors reached clients (%s)"
                                % (errors["raw_db_error"], label))
            left = settle(Admin(url, args.db))
            if left:
                say("%s background jobs still waiting after 3 min", left)
            say("invariants after the %s:", label)
            for name, problems in invariants(args.db, all_results, data):
                print("  %-4s %s" % ("ok" if not problems else "FAIL", name))
                for problem in problems[:10]:
                    print("         " + problem)
                if problems:
                    failures.append(name)
        retries, gave_up = server_retries()
        total_ops = sum(len(r["ops"]) for r in all_results)
        say("server: %s concurrency retries (%s) = %.1f per 1,000 operations; gave up %s",
            sum(retries.values()), ", ".join("%s %s" % kv for kv in sorted(retries.items()))
            or "none", 1000.0 * sum(retries.values()) / max(total_ops, 1),
            sum(gave_up.values()))
        round_trip = longpolling_round_trip(
            url, "http://localhost:%s" % args.longpolling_port, args.db, login)
        say("long-polling after the restart: a message arrived in %s s", round_trip)
        if round_trip is None:
            failures.append("long-polling after the restart: no message")
        say("memory, largest resident/virtual size: %s", memory.stop())
        say("machine load (1-minute load average) during the run: %s", memory.load_average())
    finally:
        if not args.keep:
            stop_server(server)
    say("%s clients x %s operations, %.0f s in all (set-up included)", args.clients, args.ops,
        time.time() - began)
    if failures:
        say("FAILED: %s", "; ".join(failures))
        return 1
    say("all invariants hold; no serialization or raw database error reached a client")
    return 0


if __name__ == "__main__":
    sys.exit(main())
