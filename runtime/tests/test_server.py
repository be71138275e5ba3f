"""The runtime's fixes of the server: the long-polling (gevent) server on Python 3.11 and the
message clients get while PostgreSQL is down or restarting.

    make test-runtime

"PostgreSQL down" is what Odoo meets when its server is stopped: a socket directory where
nothing listens (connecting fails with libpq's "No such file or directory ... Is the server
running"). The restart of a real server under load is `make load`'s (bench/load.py).
"""
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
import xmlrpc.client

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, RUNTIME)

import odoo11_py311  # noqa: E402

odoo11_py311.apply()

import odoo  # noqa: E402,F401
import odoo.http  # noqa: E402
import psycopg2  # noqa: E402
import werkzeug.contrib.sessions  # noqa: E402
import werkzeug.test  # noqa: E402
import werkzeug.wrappers  # noqa: E402
from odoo11_py311 import fixes  # noqa: E402

EN = fixes.DB_UNAVAILABLE_MESSAGES["en"]
ZH = fixes.DB_UNAVAILABLE_MESSAGES["zh"]
DB = "as_unavailable_test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Records(logging.Handler):
    """The messages logged (unittest's assertLogs imports a module late, which trips Odoo's
    import hook and PyPDF2's warning formatter)."""

    def __init__(self):
        super(Records, self).__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class DatabaseDownCase(unittest.TestCase):
    """Odoo configured for a PostgreSQL that is not running, sessions in a temporary dir."""

    @classmethod
    def setUpClass(cls):
        config = odoo.tools.config
        cls.tmp = tempfile.mkdtemp(prefix="odoo11-db-down-")
        cls.saved = {key: config[key] for key in ("db_host", "db_port", "data_dir")}
        config["db_host"] = os.path.join(cls.tmp, "no-postgres")  # nothing listens there
        config["db_port"] = 5999
        config["data_dir"] = cls.tmp
        os.makedirs(config["db_host"])
        odoo.sql_db.close_all()
        cls.store = werkzeug.contrib.sessions.FilesystemSessionStore(
            config.session_dir, session_class=odoo.http.OpenERPSession)
        odoo.http.root.__dict__["session_store"] = cls.store  # its lazy property, for this dir
        # the controllers are not needed: the database is asked before any route is matched
        cls.loaded, odoo.http.root._loaded = odoo.http.root._loaded, True
        cls.client = werkzeug.test.Client(odoo.service.wsgi_server.application,
                                          werkzeug.wrappers.BaseResponse)
        logging.getLogger("odoo11_py311.db_unavailable").addHandler(logging.NullHandler())

    @classmethod
    def tearDownClass(cls):
        odoo.tools.config.options.update(cls.saved)
        odoo.http.root._loaded = cls.loaded
        odoo.http.root.__dict__.pop("session_store", None)
        odoo.sql_db.close_all()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def session(self, lang=None):
        """A logged-in web client session on DB (the user's language in its context)."""
        session = self.store.new()
        session.db, session.uid, session.login = DB, 2, "admin"
        session.context = {"lang": lang} if lang else {}
        self.store.save(session)
        return session.sid

    def xmlrpc(self, service, method, params, accept_language=None):
        headers = {"Accept-Language": accept_language} if accept_language else {}
        response = self.client.post("/xmlrpc/2/" + service, content_type="text/xml",
                                    data=xmlrpc.client.dumps(params, method), headers=headers)
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            xmlrpc.client.loads(response.data)
        return fault.exception

    def json(self, path, params, sid=None, accept_language=None):
        if sid:
            self.client.set_cookie("localhost", "session_id", sid)
        else:
            self.client.delete_cookie("localhost", "session_id")
        headers = {"Accept-Language": accept_language} if accept_language else {}
        response = self.client.post(path, content_type="application/json", headers=headers,
                                    data=json.dumps({"jsonrpc": "2.0", "id": 7,
                                                     "params": params}))
        self.assertEqual(response.status_code, 200)
        return json.loads(response.data.decode("utf-8"))

    def assertNoRawError(self, text):
        for raw in ("psycopg2", "Traceback", "No such file", "Is the server running",
                    "OperationalError"):
            self.assertNotIn(raw, text)


class TestDatabaseUnavailable(DatabaseDownCase):

    def test_what_means_unavailable(self):
        with self.assertRaises(psycopg2.OperationalError) as down:
            psycopg2.connect(host=odoo.tools.config["db_host"], port=5999, dbname=DB)
        self.assertTrue(fixes.db_unavailable(down.exception))
        for text in ("FATAL:  the database system is shutting down",
                     "FATAL:  the database system is starting up",
                     "FATAL:  terminating connection due to administrator command",
                     "server closed the connection unexpectedly\n\tThis probably means the "
                     "server terminated abnormally"):
            self.assertTrue(fixes.db_unavailable(psycopg2.OperationalError(text)), text)
        self.assertTrue(fixes.db_unavailable(psycopg2.InterfaceError("connection already closed")))
        # the request's own errors are not: a missing database, a lost concurrent update
        self.assertFalse(fixes.db_unavailable(psycopg2.OperationalError(
            'FATAL:  database "nope" does not exist')))
        self.assertFalse(fixes.db_unavailable(psycopg2.extensions.TransactionRollbackError(
            "could not serialize access due to concurrent update")))
        self.assertFalse(fixes.db_unavailable(ValueError("connection already closed")))
        # Odoo's cursor, closing on a dead connection, raises "connection already closed"
        # while handling the server's error: either is recognised
        try:
            try:
                raise psycopg2.OperationalError("server closed the connection unexpectedly")
            except psycopg2.OperationalError:
                raise KeyError("cleanup failed")
        except KeyError as error:
            self.assertTrue(fixes.db_unavailable(error))

    def test_language(self):
        language = fixes.db_unavailable_language
        self.assertEqual(language("zh_CN"), "zh")
        self.assertEqual(language("en_US", "zh-CN,zh;q=0.9"), "en")  # the user's first
        self.assertEqual(language(None, "zh-CN,zh;q=0.9,en;q=0.8"), "zh")
        self.assertEqual(language(None, "en;q=0.4, zh-Hans;q=0.8"), "zh")
        self.assertEqual(language("fr_FR", "fr-FR, en;q=0.5, zh;q=0.2"), "en")
        self.assertEqual(language(None, "de, zh;q=0"), "en")  # q=0: not acceptable
        self.assertEqual(language(None, None), "en")

    def test_xmlrpc_gets_the_message(self):
        params = (DB, 2, "admin", "res.partner", "search", [[]], {"context": {"lang": "zh_CN"}})
        # the cause: what Odoo's XML-RPC layer makes of psycopg2's error, a traceback
        try:
            odoo.sql_db.db_connect(DB).cursor()
        except psycopg2.OperationalError as error:
            response = odoo.service.wsgi_server.xmlrpc_handle_exception_int(error)
        with self.assertRaises(xmlrpc.client.Fault) as raw:
            xmlrpc.client.loads(response)
        self.assertEqual(raw.exception.faultCode, 1)
        self.assertIn("psycopg2.OperationalError", raw.exception.faultString)
        logged = Records()
        logging.getLogger("odoo11_py311.db_unavailable").addHandler(logged)
        try:
            fault = self.xmlrpc("object", "execute_kw", params)
        finally:
            logging.getLogger("odoo11_py311.db_unavailable").removeHandler(logged)
        self.assertEqual((fault.faultCode, fault.faultString), (2, ZH))  # a warning
        self.assertIn("No such file or directory", logged.messages[0])  # the server log has it
        fault = self.xmlrpc("object", "execute_kw", params[:6], accept_language="zh-CN,zh;q=0.9")
        self.assertEqual(fault.faultString, ZH)  # no context: the browser's language
        fault = self.xmlrpc("object", "execute_kw", params[:6])
        self.assertEqual(fault.faultString, EN)
        fault = self.xmlrpc("common", "login", (DB, "admin", "admin"), accept_language="zh")
        self.assertEqual(fault.faultString, ZH)
        fault = self.xmlrpc("object", "execute", (DB, 2, "admin", "res.partner", "search", [],
                                                  {"lang": "zh_CN"}))
        self.assertEqual(fault.faultString, ZH)
        # the route with string fault codes too
        response = self.client.post("/xmlrpc/object", content_type="text/xml",
                                    data=xmlrpc.client.dumps(params, "execute_kw"))
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            xmlrpc.client.loads(response.data)
        self.assertIn(ZH, fault.exception.faultCode)
        self.assertNoRawError(fault.exception.faultCode + fault.exception.faultString)

    def test_web_client_keeps_its_session(self):
        """A logged-in user clicking while PostgreSQL restarts gets the message in their
        language, and stays logged in (Root.dispatch used to log the session out)."""
        sid = self.session(lang="zh_CN")
        answer = self.json("/web/dataset/call_kw", {
            "model": "res.partner", "method": "search_read", "args": [[]],
            "kwargs": {"context": {}}}, sid=sid, accept_language="en-US")
        self.assertEqual(answer["id"], 7)
        error = answer["error"]
        self.assertEqual(error["data"]["exception_type"], "user_error")  # shown as a warning
        self.assertEqual(error["data"]["arguments"][0], ZH)  # what the web client displays
        self.assertEqual(error["data"]["name"], "odoo.http.DatabaseUnavailable")
        self.assertNoRawError(json.dumps(answer, ensure_ascii=False))
        session = self.store.get(sid)
        self.assertEqual((session.db, session.uid), (DB, 2))
        # the context of the call comes first, then the session's
        answer = self.json("/web/dataset/call_button", {
            "model": "res.partner", "method": "action_x", "args": [[1], {"lang": "en_US"}]},
            sid=sid)
        self.assertEqual(answer["error"]["data"]["arguments"][0], EN)
        # the long-polling route of a logged-in user
        answer = self.json("/longpolling/poll", {"channels": [], "last": 0}, sid=sid)
        self.assertEqual(answer["error"]["data"]["arguments"][0], ZH)

    def test_pages_answer_503(self):
        sid = self.session(lang="zh_CN")
        self.client.set_cookie("localhost", "session_id", sid)
        response = self.client.get("/web")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.headers.get("Retry-After"), "5")
        self.assertIn(ZH, response.data.decode("utf-8"))
        self.assertNoRawError(response.data.decode("utf-8"))
        # no session (the login page: Odoo lists the databases first): the browser's language
        self.client.delete_cookie("localhost", "session_id")
        response = self.client.get("/web/login", headers={"Accept-Language": "en"})
        self.assertEqual(response.status_code, 503)
        self.assertIn(EN, response.data.decode("utf-8"))

    def test_error_inside_a_json_route(self):
        """The connection lost while a route runs (PostgreSQL stopped mid-request)."""
        environ = werkzeug.test.EnvironBuilder(
            path="/web/dataset/call_kw", method="POST", content_type="application/json",
            headers={"Accept-Language": "zh-CN"}, data=json.dumps({
                "jsonrpc": "2.0", "id": 3, "params": {"model": "res.partner",
                                                      "method": "read", "args": [[1]]}}),
        ).get_environ()
        httprequest = werkzeug.wrappers.Request(environ)
        httprequest.session = self.store.new()
        request = odoo.http.JsonRequest(httprequest)
        with request:
            try:
                try:
                    raise psycopg2.OperationalError("server closed the connection unexpectedly")
                except psycopg2.OperationalError:
                    raise psycopg2.InterfaceError("connection already closed")
            except psycopg2.InterfaceError as error:
                response = request._handle_exception(error)
        answer = json.loads(response.data.decode("utf-8"))
        self.assertEqual(answer["id"], 3)
        self.assertEqual(answer["error"]["data"]["arguments"][0], ZH)
        self.assertTrue(request._failed)  # nothing is committed
        self.assertNoRawError(response.data.decode("utf-8"))
        # any other error is answered as before
        with request:
            try:
                raise odoo.exceptions.UserError("Give the reason.")
            except odoo.exceptions.UserError as error:
                response = request._handle_exception(error)
        self.assertEqual(json.loads(response.data.decode("utf-8"))["error"]["data"]["message"],
                         odoo.tools.ustr(odoo.exceptions.UserError("Give the reason.")))


class LostUpdate(psycopg2.extensions.TransactionRollbackError):
    """What PostgreSQL raises in a transaction that lost a concurrent update."""
    pgcode = property(lambda self: "40001")  # serialization_failure


class TestConcurrencyRetries(unittest.TestCase):
    """odoo.service.model.check, as XML-RPC's execute and every HTTP route use it."""

    def setUp(self):
        from odoo.modules.registry import Registry
        import odoo.service.model as model
        self.model = model
        loaded = type("Loaded", (), {"_init": False})()  # a registry ready to serve

        Registry.registries["as_retry_test"] = loaded
        self.addCleanup(Registry.registries.pop, "as_retry_test")
        self.waits = []
        sleeper = type("Time", (), {"sleep": staticmethod(self.waits.append)})()
        saved_time, model.time = model.time, sleeper
        self.addCleanup(setattr, model, "time", saved_time)

    def run_losing(self, losses):
        """A transaction losing its first `losses` tries."""
        tries = []

        @self.model.check
        def transaction(dbname):
            tries.append(dbname)
            if len(tries) <= losses:
                raise LostUpdate("could not serialize access due to concurrent update")
            return "committed"
        return transaction("as_retry_test"), tries

    def test_rpc_concurrency_retries(self):
        # Odoo 11 gave up after 5 more tries: 7 lost ones now still commit
        result, tries = self.run_losing(7)
        self.assertEqual((result, len(tries)), ("committed", 8))
        self.assertEqual(len(self.waits), 7)
        self.assertTrue(all(0 <= wait <= fixes.CONCURRENCY_WAIT_MAX for wait in self.waits))
        # and it still gives up: after 10 more tries, the error goes to the client
        del self.waits[:]
        with self.assertRaises(LostUpdate):
            self.run_losing(11)
        self.assertEqual(len(self.waits), fixes.CONCURRENCY_TRIES)
        # other errors are not repeated
        @self.model.check
        def failing(dbname):
            raise psycopg2.OperationalError("FATAL:  database \"x\" does not exist")
        with self.assertRaises(psycopg2.OperationalError):
            failing("as_retry_test")
        self.assertEqual(len(self.waits), fixes.CONCURRENCY_TRIES)


class TestLongPollingServer(DatabaseDownCase):
    """The long-polling server, as prefork mode spawns it (`odoo-bin gevent ...`), on Python
    3.11 with the pinned gevent and greenlet."""

    def test_gevent_server(self):
        port = free_port()
        config = odoo.tools.config
        process = subprocess.Popen(
            [sys.executable, os.path.join(RUNTIME, "odoo-bin"), "gevent",
             "--longpolling-port=%s" % port, "--db_host=%s" % config["db_host"],
             "--db_port=5999", "--data-dir=%s" % self.tmp, "--log-level=warn"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            url = "http://127.0.0.1:%s" % port
            answer = None
            for _attempt in range(120):
                try:
                    answer = self._post(url + "/web/webclient/version_info", {})
                    break
                except OSError:
                    if process.poll() is not None:
                        break
                    time.sleep(0.5)
            self.assertIsNotNone(answer, process.stdout.read().decode("utf-8", "replace")
                                 if process.poll() is not None else "no answer")
            # served by the evented process (every request lists the databases first)
            self.assertEqual(answer["error"]["data"]["arguments"][0], EN)
            # a logged-in user's poll while the database is down: the message, at once
            sid = self.session(lang="zh_CN")
            started = time.time()
            answer = self._post(url + "/longpolling/poll", {"channels": [], "last": 0}, sid)
            self.assertLess(time.time() - started, 10)
            self.assertEqual(answer["error"]["data"]["arguments"][0], ZH)
            self.assertEqual(self.store.get(sid).uid, 2)
        finally:
            process.terminate()
            output = process.communicate(timeout=30)[0].decode("utf-8", "replace")
        # gevent patched the standard library before anything used it
        self.assertNotIn("MonkeyPatchWarning", output)
        self.assertNotIn("Traceback", output)

    @staticmethod
    def _post(url, params, sid=None):
        request = urllib.request.Request(url, data=json.dumps({
            "jsonrpc": "2.0", "id": 1, "params": params}).encode(),
            headers={"Content-Type": "application/json"})
        if sid:
            request.add_header("Cookie", "session_id=%s" % sid)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))


if __name__ == "__main__":
    unittest.main()
