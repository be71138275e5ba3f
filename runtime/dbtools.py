"""Databases for the developer loop: fresh test databases copied from a cached template.

Installing the addon's dependencies (stock, account_invoicing, mail... with demo data) takes about
a minute; a template database with them installed is made once per set of dependencies, runtime
and requirements, and every test run starts from a copy of it (database and filestore), then
installs the addon itself, so each run is on a fresh database where only the addon is new.
"""
import ast
import hashlib
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ODOO = os.path.join(HERE, "odoo")
FILESTORE = os.path.join(ROOT, ".odoo-data", "filestore")
TEMPLATE_PREFIX = "as_tpl_"


def pg_cli():
    """psql/createdb connection options for the server in use."""
    out = []
    args = subprocess.check_output([os.path.join(HERE, "pg.sh"), "args"], text=True).split()
    for arg in args:
        key, _, value = arg.partition("=")
        flag = {"--db_host": "-h", "--db_port": "-p", "--db_user": "-U"}.get(key)
        if flag:
            out += [flag, value]
    return out


def psql(sql, db="postgres"):
    return subprocess.check_output(["psql"] + pg_cli() + ["-d", db, "-tAc", sql], text=True).strip()


def exists(name):
    return psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % name) == "1"


def drop(name):
    subprocess.run(["dropdb", "--if-exists"] + pg_cli() + [name], check=True)
    shutil.rmtree(os.path.join(FILESTORE, name), ignore_errors=True)


def manifest_depends():
    with open(os.path.join(ROOT, "__manifest__.py"), encoding="utf-8") as f:
        return ast.literal_eval(f.read())["depends"]


def template_name(modules):
    digest = hashlib.sha1(",".join(sorted(modules)).encode())
    for name in ("runtime/requirements.txt", "runtime/requirements-deps.txt",
                 "runtime/odoo11_py311/fixes.py"):
        with open(os.path.join(ROOT, name), "rb") as f:
            digest.update(f.read())
    return TEMPLATE_PREFIX + digest.hexdigest()[:12]


def ensure_template(modules):
    """The template database with these modules and their demo data installed."""
    name = template_name(modules)
    if exists(name):
        return name
    building = name + "_building"
    drop(building)
    print("template: installing %s with demo data (once)" % ",".join(modules), flush=True)
    subprocess.run([ODOO, "-d", building, "-i", ",".join(modules), "--stop-after-init",
                    "--log-level=warn"], check=True)
    for old in psql("SELECT datname FROM pg_database WHERE datname LIKE '%s%%' AND datname <> '%s'"
                    % (TEMPLATE_PREFIX, building)).split():
        drop(old)  # templates of other dependency sets are stale
    psql('ALTER DATABASE "%s" RENAME TO "%s"' % (building, name))
    if os.path.isdir(os.path.join(FILESTORE, building)):
        os.rename(os.path.join(FILESTORE, building), os.path.join(FILESTORE, name))
    return name


def create_from_template(name, template):
    drop(name)
    subprocess.run(["createdb"] + pg_cli() + ["-T", template, name], check=True)
    source = os.path.join(FILESTORE, template)
    if os.path.isdir(source):
        shutil.copytree(source, os.path.join(FILESTORE, name))
