"""The compatibility fixes, one function each, named after the change they answer.

``BEFORE_IMPORT`` run before Odoo is imported; ``AFTER_IMPORT`` pairs a module name with a patch
run right after that module first executes. Nothing in Odoo's own files is modified.
"""
import ast
import base64
import collections
import collections.abc
import inspect
import json
import logging
import os
import re
import subprocess
import sys
import threading
from opcode import opmap


def py310_collections_abc_aliases():
    """Python 3.10 removed the ABC aliases (collections.Mapping, ...) Odoo 11 imports."""
    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


def py311_inspect_getargspec():
    """Python 3.11 removed inspect.getargspec/formatargspec (api.py, http.py, tools/cache.py)."""
    if not hasattr(inspect, "getargspec"):
        inspect.ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")

        def getargspec(func):
            spec = inspect.getfullargspec(func)
            if spec.kwonlyargs or spec.annotations:
                raise ValueError("Function has keyword-only parameters or annotations"
                                 ", use inspect.signature() API which can support them")
            return inspect.ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)

        inspect.getargspec = getargspec
    if not hasattr(inspect, "formatargspec"):
        inspect.formatargspec = _formatargspec


def _formatargspec(args, varargs=None, varkw=None, defaults=None,
                   kwonlyargs=(), kwonlydefaults=None, annotations=None,
                   formatarg=str,
                   formatvarargs=lambda name: "*" + name,
                   formatvarkw=lambda name: "**" + name,
                   formatvalue=lambda value: "=" + repr(value),
                   formatreturns=lambda text: " -> " + text,
                   formatannotation=inspect.formatannotation):
    """inspect.formatargspec as it was in Python 3.10 (the stdlib version, unchanged)."""
    annotations = annotations or {}
    kwonlydefaults = kwonlydefaults or {}

    def formatargandannotation(arg):
        result = formatarg(arg)
        if arg in annotations:
            result += ": " + formatannotation(annotations[arg])
        return result

    specs = []
    if defaults:
        firstdefault = len(args) - len(defaults)
    for i, arg in enumerate(args):
        spec = formatargandannotation(arg)
        if defaults and i >= firstdefault:
            spec = spec + formatvalue(defaults[i - firstdefault])
        specs.append(spec)
    if varargs is not None:
        specs.append(formatvarargs(formatargandannotation(varargs)))
    elif kwonlyargs:
        specs.append("*")
    for kwonlyarg in kwonlyargs or ():
        spec = formatargandannotation(kwonlyarg)
        if kwonlyarg in kwonlydefaults:
            spec += formatvalue(kwonlydefaults[kwonlyarg])
        specs.append(spec)
    if varkw is not None:
        specs.append(formatvarkw(formatargandannotation(varkw)))
    result = "(" + ", ".join(specs) + ")"
    if "return" in annotations:
        result += formatreturns(formatannotation(annotations["return"]))
    return result


def py39_base64_encodestring():
    """Python 3.9 removed base64.encodestring/decodestring (renamed encodebytes/decodebytes)."""
    if not hasattr(base64, "encodestring"):
        base64.encodestring = base64.encodebytes
        base64.decodestring = base64.decodebytes


def py39_thread_isalive():
    """Python 3.9 removed threading.Thread.isAlive (server.py and tests/common.py call it)."""
    if not hasattr(threading.Thread, "isAlive"):
        threading.Thread.isAlive = threading.Thread.is_alive


def py39_elementtree_getchildren():
    """Python 3.9 removed Element.getchildren/getiterator (web's concat_xml calls getchildren).

    The C Element type takes no new methods, so ElementTree is loaded in its pure-Python form,
    which Python ships as the reference implementation, and the two methods are put back.
    """
    if "xml.etree.ElementTree" not in sys.modules:
        sys.modules["_elementtree"] = None  # makes ElementTree skip its C accelerator
    from xml.etree import ElementTree
    element = ElementTree.Element
    if not hasattr(element, "getchildren"):
        try:
            element.getchildren = lambda self: list(self)
            element.getiterator = element.iter
        except TypeError:  # already imported with the C type: nothing narrower is possible
            raise RuntimeError("xml.etree.ElementTree was imported before the runtime fixes")


def pyyaml6_load_default_loader():
    """PyYAML 6 made Loader mandatory in yaml.load (tools/yaml_import.py omits it).

    The default is the one PyYAML 5 used, FullLoader, which also knows the constructors Odoo
    registers for its own tags (!record, !python, ...).
    """
    import yaml
    load = yaml.load
    if getattr(load, "_odoo11_py311", False):
        return

    def load_with_default(stream, Loader=None):
        return load(stream, Loader=Loader or yaml.FullLoader)

    load_with_default._odoo11_py311 = True
    yaml.load = load_with_default


# Python 3.11 bytecode replacing the operations Odoo 11's safe_eval already allowed, per tier of
# its whitelists. Each new opcode is the 3.11 form of opcodes listed beside it in safe_eval
# (3.7 names in the comments). Nothing that Odoo 11 refused is let in: with-statements
# (BEFORE_WITH), closures (MAKE_CELL, COPY_FREE_VARS), imports, attribute stores, yield from.
SAFE_EVAL_311_CONST = (
    "RESUME", "NOP",              # no-op markers (every code object starts with RESUME)
    "COPY", "SWAP",               # DUP_TOP, DUP_TOP_TWO, ROT_TWO, ROT_THREE, ROT_FOUR
    "LIST_EXTEND", "SET_UPDATE",  # BUILD_LIST/BUILD_SET of constants (now a constant + extend)
    "DICT_UPDATE", "MAP_ADD",     # BUILD_MAP/BUILD_CONST_KEY_MAP of more than 16 items
)
SAFE_EVAL_311_EXPR = (
    "BINARY_OP",                  # BINARY_* and INPLACE_*, now one opcode with an argument
    "IS_OP", "CONTAINS_OP",       # COMPARE_OP for is / is not / in / not in
    "FORMAT_VALUE", "BUILD_STRING",  # BINARY_MODULO: 3.11 compiles '%s' % (a, b) like an f-string
)
SAFE_EVAL_311_SAFE = (
    "PUSH_NULL", "PRECALL", "CALL", "KW_NAMES",   # CALL_FUNCTION, CALL_FUNCTION_KW, CALL_METHOD
    "DICT_MERGE", "LIST_TO_TUPLE",                # CALL_FUNCTION_EX with *args / **kwargs
    "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT",  # JUMP_ABSOLUTE
    "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_FALSE",  # POP_JUMP_IF_FALSE
    "POP_JUMP_FORWARD_IF_TRUE", "POP_JUMP_BACKWARD_IF_TRUE",    # POP_JUMP_IF_TRUE
    "POP_JUMP_FORWARD_IF_NONE", "POP_JUMP_BACKWARD_IF_NONE",    # COMPARE_OP is + POP_JUMP_IF_*
    "POP_JUMP_FORWARD_IF_NOT_NONE", "POP_JUMP_BACKWARD_IF_NOT_NONE",
    "RETURN_GENERATOR",                           # generator expressions (YIELD_VALUE)
    "PUSH_EXC_INFO", "CHECK_EXC_MATCH", "RERAISE",  # SETUP_EXCEPT, END_FINALLY (try/except)
    "LOAD_ASSERTION_ERROR",                       # LOAD_GLOBAL AssertionError (assert)
)


def py311_safe_eval_opcodes(safe_eval):
    """Python 3.11 bytecode: allow the 3.11 forms of the operations safe_eval already allowed."""
    tiers = (
        (safe_eval._CONST_OPCODES, SAFE_EVAL_311_CONST),
        (safe_eval._EXPR_OPCODES, SAFE_EVAL_311_CONST + SAFE_EVAL_311_EXPR),
        (safe_eval._SAFE_OPCODES, SAFE_EVAL_311_CONST + SAFE_EVAL_311_EXPR + SAFE_EVAL_311_SAFE),
    )
    for opcodes, names in tiers:
        # in place: ir_qweb imported _SAFE_OPCODES by reference
        opcodes.update(opmap[name] for name in names if name in opmap)


class _Py38AstNormalizer(ast.NodeTransformer):
    """Turn the AST QWeb builds for Python 3.5-3.7 into one Python 3.8+ compiles."""

    def visit_arguments(self, node):
        if not hasattr(node, "posonlyargs"):
            node.posonlyargs = []
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in ("None", "True", "False"):
            return ast.copy_location(ast.Constant(value={"None": None, "True": True,
                                                         "False": False}[node.id]), node)
        return node


def _fix_end_positions(tree):
    """Give every node an end position not before its start (QWeb mixes nodes parsed from
    template expressions, which carry positions, with built ones, which carry none)."""
    ast.fix_missing_locations(tree)
    for node in ast.walk(tree):
        if "end_lineno" not in node._attributes:
            continue
        if (node.end_lineno, node.end_col_offset) < (node.lineno, node.col_offset):
            node.end_lineno, node.end_col_offset = node.lineno, node.col_offset
    return tree


def py38_qweb_ast(qweb):
    """Python 3.8 AST: arguments need posonlyargs, None/True/False are Constants, nodes carry
    end positions. QWeb's compile() of its generated module gets a normalized tree."""
    def compile_qweb_ast(source, filename, mode, *args, **kwargs):
        if isinstance(source, ast.AST):
            source = _fix_end_positions(_Py38AstNormalizer().visit(source))
        return compile(source, filename, mode, *args, **kwargs)

    qweb.compile = compile_qweb_ast  # shadows the builtin inside qweb.py only


def pg12_extra_float_digits():
    """PostgreSQL 12 prints float8 in full (extra_float_digits=1); Odoo 11 read 15 digits."""
    options = os.environ.get("PGOPTIONS", "")
    if "extra_float_digits" not in options:
        os.environ["PGOPTIONS"] = (options + " -c extra_float_digits=0").strip()


def lxml5_addnext_tail(ir_ui_view):
    """lxml 5.0 addnext() leaves the node's tail before the new sibling (position="after")."""
    if getattr(ir_ui_view.add_text_before, "_odoo11_py311", False):
        return
    from lxml.builder import E
    mark = "data-odoo11-py311-sentinel"
    add_text_before = ir_ui_view.add_text_before

    class MarkingBuilder(object):
        """lxml.builder.E (ir_ui_view uses E.<tag>() only) with a marked sentinel()."""

        def __getattr__(self, tag):
            return getattr(E, tag)

        def sentinel(self, *children, **attrib):
            element = E.sentinel(*children, **attrib)
            element.set(mark, "1")
            return element

    def add_text_before_lxml4(node, text):
        # ir_ui_view: node.addnext(sentinel); add_text_before(sentinel, spec.text).
        # lxml < 5 moved node's tail onto the sentinel; lxml >= 5 leaves it on node.
        if node.get(mark) is not None:
            del node.attrib[mark]
            prev = node.getprevious()
            if prev is not None and node.tail is None:
                node.tail, prev.tail = prev.tail, None
        add_text_before(node, text)

    add_text_before_lxml4._odoo11_py311 = True
    ir_ui_view.E = MarkingBuilder()
    ir_ui_view.add_text_before = add_text_before_lxml4


# wkhtmltopdf built against an unpatched Qt (Debian's): what `wkhtmltopdf --version` says about
# each binary, cached per path.
_WKHTMLTOPDF_UNPATCHED = {}
# Top margin (mm) of a page whose header is now part of the body, instead of the space the
# paper format reserves for --header-html (European A4: 40 mm).
INLINE_HEADER_MARGIN_TOP = 10
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)
_PAGE_NUMBER_TEXT_MAX = 12  # "Page: / " around the numbers, in any language


def wkhtmltopdf_unpatched_qt(binary):
    """Whether this wkhtmltopdf binary was built against an unpatched Qt (cached per path).

    Patched builds say so in their version ("wkhtmltopdf 0.12.6 (with patched qt)"); Debian's
    says "wkhtmltopdf 0.12.6". A binary that does not answer is not judged unpatched."""
    if binary not in _WKHTMLTOPDF_UNPATCHED:
        try:
            out = subprocess.run([binary, "--version"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            out = b""
        _WKHTMLTOPDF_UNPATCHED[binary] = bool(out.strip()) \
            and b"with patched qt" not in out.lower()
    return _WKHTMLTOPDF_UNPATCHED[binary]


def _has_class(name):
    return "contains(concat(' ', normalize-space(@class), ' '), ' %s ')" % name


def _only_page_number_around(node):
    """Whether the parent of node holds nothing else than node and a short text ("Page:",
    "/", "of", in any language): other children without text (the other number) are allowed."""
    parent = node.getparent()
    text = parent.text or ""
    for child in parent:
        text += child.tail or ""
        if child is not node and isinstance(child.tag, str) and child.text_content().strip():
            return False
    return len("".join(text.split())) <= _PAGE_NUMBER_TEXT_MAX


def _report_part(part_html, index):
    """The header (or footer) of body number ``index`` out of the --header-html document Odoo
    builds: web.minimal_layout around div#minimal_layout_report_headers, whose children are the
    headers of the bodies in order (its subst() script picks child ``index``). None if empty."""
    import lxml.html
    if not part_html:
        return None
    if isinstance(part_html, bytes):
        part_html = part_html.decode("utf-8")
    root = lxml.html.fromstring(part_html)
    containers = root.xpath("//*[@id='minimal_layout_report_headers' or "
                            "@id='minimal_layout_report_footers']")
    if containers:
        parts = [child for child in containers[0] if isinstance(child.tag, str)]
    else:  # a header made by hand (stock's traceability report): the whole body
        body = root.find(".//body")
        body = body if body is not None else root
        body.tag = "div"
        body.attrib.clear()
        parts = [body]
    if not parts:
        return None
    part = parts[index] if index < len(parts) else parts[-1]
    # page numbers are filled by subst() from wkhtmltopdf's page variables, which a body does
    # not have: drop the smallest block that holds nothing but them ("Page: x / y")
    for span in part.xpath(".//*[%s or %s]" % (_has_class("page"), _has_class("topage"))):
        if part not in span.iterancestors():
            continue  # already dropped with its block
        node = span
        while node.getparent() is not None and node.getparent() is not part \
                and _only_page_number_around(node):
            node = node.getparent()
        if node is not part:
            node.drop_tree()
    for node in part.iter():
        for attribute in [a for a in node.attrib if a.startswith("data-oe-")]:
            del node.attrib[attribute]  # QWeb's editing marks, not content
    part.tail = None
    html = lxml.html.tostring(part, encoding="unicode")
    return html if part.text_content().strip() or part.xpath(".//img") else None


def inline_report_header_footer(body, header=None, footer=None, index=0):
    """Body number ``index`` of a report with its own header at the top of the page and its
    footer at the end of the body, as the patched Qt's --header-html/--footer-html with the
    subst() script of web.minimal_layout would show them. Bytes in, bytes out; the rest of the
    body is untouched (its <base href> and assets included)."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    head = _report_part(header, index)
    foot = _report_part(footer, index)
    if head:
        match = _BODY_OPEN.search(text)
        if match:
            text = text[:match.end()] + head + text[match.end():]
    if foot:
        matches = list(_BODY_CLOSE.finditer(text))
        if matches:
            at = matches[-1].start()
            text = text[:at] + '<div style="margin-top: 16px;">' + foot + "</div>" + text[at:]
    return text.encode("utf-8")


def wkhtmltopdf_unpatched_qt_reports(ir_actions_report):
    """wkhtmltopdf built against an unpatched Qt (Debian's 0.12.6) prints no company header or
    footer and returns an empty PDF for several records.

    It ignores --header-html/--footer-html ("not support using unpatched qt, and will be
    ignored"), so web.external_layout loses the company's name, address and phone; and it refuses
    more than one input document ("does not support more than one input document", exit code 1,
    no output file), while Odoo's _run_wkhtmltopdf passes one input per record, accepts exit code
    1 and reads its own empty temporary file: printing two records gives an empty PDF. With such
    a binary, each body gets its header and footer inlined (top and end of the body, one record
    per page at least), is converted on its own, and the PDFs are merged with PyPDF2. Patched
    builds are left alone."""
    cls = ir_actions_report.IrActionsReport
    run_wkhtmltopdf = cls._run_wkhtmltopdf
    if getattr(run_wkhtmltopdf, "_odoo11_py311", False):
        return
    try:
        binary = ir_actions_report._get_wkhtmltopdf_bin()
    except (IOError, OSError):
        binary = None
    if not binary or not wkhtmltopdf_unpatched_qt(binary):
        return
    api, _, UserError = ir_actions_report.api, ir_actions_report._, ir_actions_report.UserError

    def _run_wkhtmltopdf(self, bodies, header=None, footer=None, landscape=False,
                         specific_paperformat_args=None, set_viewport_size=False):
        if not bodies:
            return run_wkhtmltopdf(self, bodies, header=header, footer=footer,
                                   landscape=landscape,
                                   specific_paperformat_args=specific_paperformat_args,
                                   set_viewport_size=set_viewport_size)
        args = dict(specific_paperformat_args or {})
        if _report_part(header, 0):
            paperformat = self.paperformat_id or self.env.user.company_id.paperformat_id
            margin = args.get("data-report-margin-top") or paperformat.margin_top
            args["data-report-margin-top"] = min(float(margin or 0), INLINE_HEADER_MARGIN_TOP)
        pdfs = []
        for index, body in enumerate(bodies):
            pdf = run_wkhtmltopdf(
                self, [inline_report_header_footer(body, header, footer, index)],
                landscape=landscape, specific_paperformat_args=args,
                set_viewport_size=set_viewport_size)
            if not pdf.startswith(b"%PDF"):
                raise UserError(_("Wkhtmltopdf produced no PDF."))
            pdfs.append(pdf)
        if len(pdfs) == 1:
            return pdfs[0]
        from odoo.tools.pdf import merge_pdf
        return merge_pdf(pdfs)

    _run_wkhtmltopdf = api.model(_run_wkhtmltopdf)
    _run_wkhtmltopdf.origin = run_wkhtmltopdf
    _run_wkhtmltopdf._odoo11_py311 = True
    cls._run_wkhtmltopdf = _run_wkhtmltopdf


def py311_setrlimit_integers(server):
    """Python 3.11's resource.setrlimit takes integers only; Odoo 11's prefork Worker.set_limits
    gives the CPU limit as a float (the worker's rusage seconds + limit_time_cpu), so every
    worker died on its first request with TypeError. The server module gets a `resource` whose
    setrlimit rounds a float limit up to the next whole second."""
    import math
    import resource
    import types

    if getattr(server.resource, "_odoo11_py311", False):
        return
    proxy = types.ModuleType("resource")
    proxy.__dict__.update(resource.__dict__)

    def setrlimit(which, limits):
        return resource.setrlimit(which, tuple(
            int(math.ceil(value)) if isinstance(value, float) else value for value in limits))

    proxy.setrlimit = setrlimit
    proxy._odoo11_py311 = True
    server.resource = proxy


# Odoo 11's RPC layer (odoo/service/model.py check) runs a transaction again when it lost a
# concurrent update: MAX_TRIES_ON_CONCURRENCY_FAILURE = 5 more tries, after a random wait of up
# to 2 ** tries seconds. Here: 10 more tries, each wait at most CONCURRENCY_WAIT_MAX seconds.
CONCURRENCY_TRIES = 10
CONCURRENCY_WAIT_MAX = 5.0


def rpc_concurrency_retries(model):
    """A transaction that lost a concurrent update (SerializationFailure, LockNotAvailable,
    DeadlockDetected) got 5 more tries, after random waits of up to 1, 2, 4, 8 and 16 s, then
    its traceback went to the client. Every validation of a part updates its quant and its
    oldest receipt move (stock_account's FIFO remaining quantity), every invoice validation
    the journal's sequence: when such transactions take seconds (a busy 2-core server), the
    five tries ran out (`make load`: "maximum number of tries reached" on
    stock.picking.action_done). Odoo's loop is kept; it gets 10 tries, each wait a random one
    of up to 1, 2, 4, then 5 s (about 20 s on average, 42 s at most, within the request's time
    limit)."""
    import random
    import types

    if getattr(model.random, "_odoo11_py311", False):
        return
    proxy = types.ModuleType("random")
    proxy.__dict__.update(random.__dict__)

    def uniform(a, b):
        return random.uniform(a, min(b, CONCURRENCY_WAIT_MAX))

    proxy.uniform = uniform
    proxy._odoo11_py311 = True
    model.random = proxy  # check() is the module's only user of random
    model.MAX_TRIES_ON_CONCURRENCY_FAILURE = CONCURRENCY_TRIES


# While PostgreSQL is down or restarting, clients get this instead of psycopg2's own text ("the
# database system is shutting down", "connection already closed"...). Odoo translates through
# ir.translation, in the database that is unavailable, and the runtime is no addon whose .po
# files Odoo would load: both languages are kept here, in this one place.
DB_UNAVAILABLE_MESSAGES = {
    "en": "The database is temporarily unavailable; please retry in a moment.",
    "zh": "数据库暂时不可用，请稍后重试。",
}
# SQLSTATEs of a server going away or not accepting connections yet: class 08 (connection
# exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now
DB_UNAVAILABLE_PGCODES = ("57P01", "57P02", "57P03")
# libpq's texts for the same, when psycopg2 gives no SQLSTATE (failures to connect, a
# connection lost mid-query) - never "database ... does not exist" or a query's own error
DB_UNAVAILABLE_TEXTS = (
    "the database system is shutting down", "the database system is starting up",
    "the database system is in recovery mode", "the database system is not yet accepting",
    "terminating connection due to administrator command", "server closed the connection",
    "could not connect to server", "Is the server running", "Connection refused",
    "no connection to the server", "connection already closed", "connection not open",
    "could not receive data from server", "could not send data to server",
    "SSL SYSCALL error", "SSL connection has been closed unexpectedly",
)


def db_unavailable(error):
    """Whether `error` (or what it was raised while handling) means the database server is
    down or restarting, rather than an error of the request itself."""
    import psycopg2
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if getattr(error, "_odoo11_py311_unavailable", False):
            return True
        if isinstance(error, (psycopg2.OperationalError, psycopg2.InterfaceError)):
            code = getattr(error, "pgcode", None)
            if code and (code.startswith("08") or code in DB_UNAVAILABLE_PGCODES):
                return True
            if not code and any(text in str(error) for text in DB_UNAVAILABLE_TEXTS):
                return True
        error = error.__cause__ or error.__context__
    return False


def db_unavailable_language(lang=None, accept_language=None):
    """The message's language: the user's (context lang) when known, else the best of
    Accept-Language that we have, else English."""
    candidates = [lang] if lang else []
    if accept_language:
        ranked = []
        for position, item in enumerate(accept_language.split(",")):
            tag, _sep, params = item.strip().partition(";")
            quality = 1.0
            for param in params.split(";"):
                key, _eq, value = param.strip().partition("=")
                if key == "q":
                    try:
                        quality = float(value)
                    except ValueError:
                        quality = 0.0
            if tag and quality > 0:
                ranked.append((-quality, position, tag))
        candidates += [tag for _q, _p, tag in sorted(ranked)]
    for candidate in candidates:
        primary = re.split(r"[-_]", candidate.strip().lower())[0]
        if primary in DB_UNAVAILABLE_MESSAGES:
            return primary
    return "en"


def db_unavailable_message(lang=None, accept_language=None):
    return DB_UNAVAILABLE_MESSAGES[db_unavailable_language(lang, accept_language)]


def _context_lang(value):
    """The lang of a context found in RPC arguments (a dict, or the last dict of a list)."""
    if isinstance(value, (list, tuple)):
        value = next((v for v in reversed(value) if isinstance(v, dict)), None)
    if isinstance(value, dict):
        context = value.get("context") if isinstance(value.get("context"), dict) else value
        lang = context.get("lang")
        return lang if isinstance(lang, str) else None
    return None


def _rpc_lang(method, params):
    """The lang of an XML-RPC call's context: execute_kw's keyword arguments, else the last
    argument of execute when it is a dict (where odoo.service.model.check looks too)."""
    params = list(params or ())
    if method == "execute_kw":
        return _context_lang(params[6] if len(params) > 6 else None)
    if method == "execute" and len(params) > 5 and isinstance(params[-1], dict):
        lang = params[-1].get("lang")
        return lang if isinstance(lang, str) else None
    return None


def _json_request_lang(httprequest):
    """The lang of a JSON-RPC call: the context it sends (kwargs, or the last argument as the
    web client's buttons send it), else the session's (the user's, set at login). No database
    is read: both come with the request or from the session files."""
    try:
        payload = json.loads(httprequest.get_data().decode("utf-8") or "{}")
        params = payload.get("params") or {}
    except (ValueError, AttributeError):
        params = {}
    if not isinstance(params, dict):
        params = {}
    lang = (_context_lang(params.get("kwargs")) or _context_lang(params.get("context"))
            or _context_lang(params.get("args")))
    if not lang:
        session = getattr(httprequest, "session", None)
        lang = _context_lang(getattr(session, "context", None))
    return lang


def db_unavailable_messages(http):
    """While PostgreSQL is down or restarting, RPC and JSON clients got psycopg2's raw text
    (with a traceback), and the web client's users were logged out: Root.dispatch takes an
    OperationalError of the registry's check as "the database is gone", logs the session out
    and serves the request without a database. Now every client gets one clear message, in
    the user's language when known (the context's lang, else the session's), else by
    Accept-Language, as a UserError (XML-RPC fault code 2 and its string, JSON-RPC
    "user_error" shown by the web client as a warning) or, for a page, HTTP 503 with
    Retry-After; the session is kept. The original error is still logged."""
    import werkzeug.wrappers
    import odoo
    from odoo.modules.registry import Registry
    from odoo.service import wsgi_server

    if getattr(http.dispatch_rpc, "_odoo11_py311", False):
        return
    logger = logging.getLogger("odoo11_py311.db_unavailable")

    class DatabaseUnavailable(odoo.exceptions.UserError):
        """The database server is down or restarting: retry in a moment."""
        _odoo11_py311_unavailable = True

    # JSON-RPC clients see odoo.http.DatabaseUnavailable
    DatabaseUnavailable.__module__ = http.__name__
    DatabaseUnavailable.__qualname__ = DatabaseUnavailable.__name__
    http.DatabaseUnavailable = DatabaseUnavailable
    local = threading.local()  # the XML-RPC request's environ (greenlet-local under gevent)

    def unavailable(error, lang=None, accept_language=None):
        """The message for the client (the original error logged once, in one line)."""
        if not isinstance(error, DatabaseUnavailable):
            text = str(error).strip()
            logger.warning("database unavailable: %s",
                           text.splitlines()[0] if text else type(error).__name__)
        return DatabaseUnavailable(db_unavailable_message(lang, accept_language))

    def json_error(error):
        """The JSON-RPC error of a UserError, as JsonRequest answers it (no traceback)."""
        return {"code": 200, "message": "Odoo Server Error",
                "data": dict(http.serialize_exception(error), debug="")}

    def accept_language():
        try:
            return http.request.httprequest.headers.get("Accept-Language")
        except (RuntimeError, AttributeError):  # no HTTP request: XML-RPC
            environ = getattr(local, "environ", None) or {}
            return environ.get("HTTP_ACCEPT_LANGUAGE")

    # the registry's first queries: raise DatabaseUnavailable, which Root.dispatch does not
    # take for a missing database (no logout, no database-less dispatch)
    def guard(method):
        def guarded(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except DatabaseUnavailable:
                raise
            except Exception as error:
                if db_unavailable(error):
                    raise unavailable(error) from error
                raise
        guarded._odoo11_py311 = True
        return guarded

    Registry.check_signaling = guard(Registry.check_signaling)
    new = Registry.__dict__["new"].__func__
    Registry.new = classmethod(guard(new))

    # XML-RPC and /jsonrpc: odoo.http.dispatch_rpc
    dispatch_rpc = http.dispatch_rpc

    def dispatch_rpc_guarded(service_name, method, params):
        try:
            return dispatch_rpc(service_name, method, params)
        except Exception as error:
            if db_unavailable(error):
                raise unavailable(error, _rpc_lang(method, params), accept_language()) \
                    from error
            raise

    dispatch_rpc_guarded._odoo11_py311 = True
    dispatch_rpc_guarded.origin = dispatch_rpc
    http.dispatch_rpc = dispatch_rpc_guarded

    wsgi_xmlrpc = wsgi_server.wsgi_xmlrpc

    def wsgi_xmlrpc_with_environ(environ, start_response):
        local.environ = environ
        try:
            return wsgi_xmlrpc(environ, start_response)
        finally:
            local.environ = None

    wsgi_server.wsgi_xmlrpc = wsgi_xmlrpc_with_environ

    # JSON-RPC routes (the web client, long-polling): the error response of the request
    handle_json = http.JsonRequest._handle_exception

    def handle_json_exception(self, exception):
        if not db_unavailable(exception):
            return handle_json(self, exception)
        error = unavailable(exception, _json_request_lang(self.httprequest),
                            self.httprequest.headers.get("Accept-Language"))
        self._failed = error  # nothing is committed
        return self._json_response(error=json_error(error))

    http.JsonRequest._handle_exception = handle_json_exception

    # what escapes the request (the registry's check, a page, the final commit)
    dispatch = http.Root.dispatch

    def root_dispatch(self, environ, start_response):
        try:
            return dispatch(self, environ, start_response)
        except Exception as error:
            if not db_unavailable(error):
                raise
            httprequest = environ.get("werkzeug.request") or werkzeug.wrappers.Request(environ)
            answer = unavailable(error, _json_request_lang(httprequest),
                                 httprequest.headers.get("Accept-Language"))
            if httprequest.mimetype in ("application/json", "application/json-rpc"):
                try:
                    request_id = json.loads(httprequest.get_data().decode("utf-8")).get("id")
                except (ValueError, AttributeError):
                    request_id = None
                body = {"jsonrpc": "2.0", "id": request_id, "error": json_error(answer)}
                response = werkzeug.wrappers.Response(json.dumps(body),
                                                      mimetype="application/json")
            else:
                response = werkzeug.wrappers.Response(
                    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Odoo</title>"
                    "</head><body><p>%s</p></body></html>" % answer.name, status=503,
                    mimetype="text/html", headers=[("Retry-After", "5")])
            return response(environ, start_response)

    http.Root.dispatch = root_dispatch


BEFORE_IMPORT = (
    py310_collections_abc_aliases,
    py311_inspect_getargspec,
    py39_base64_encodestring,
    py39_thread_isalive,
    py39_elementtree_getchildren,
    pyyaml6_load_default_loader,
    pg12_extra_float_digits,
)

AFTER_IMPORT = (
    ("odoo.tools.safe_eval", py311_safe_eval_opcodes),
    ("odoo.addons.base.ir.ir_qweb.qweb", py38_qweb_ast),
    ("odoo.addons.base.ir.ir_ui_view", lxml5_addnext_tail),
    ("odoo.addons.base.ir.ir_actions_report", wkhtmltopdf_unpatched_qt_reports),
    ("odoo.service.server", py311_setrlimit_integers),
    ("odoo.service.model", rpc_concurrency_retries),
    ("odoo.http", db_unavailable_messages),
)
