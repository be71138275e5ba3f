#!/usr/bin/env python3
"""Benchmark of the service statistics (project tooling: never imported by the addon).

    make bench [SCALE=100000]      or      .venv/bin/python bench/run.py --scale 100000

Makes a benchmark database from the dependencies' template (runtime/dbtools.py), installs the
addon once, generates `--scale` service requests and, in proportion, visits, callbacks,
complaints, returns, outbound orders with their stock moves, invoices, bills and warranty
entries with `INSERT ... SELECT generate_series` (then ANALYZE). The database is kept and reused
while the scale is the same (.bench/state.json); the addon is updated in it when its code
changed.

Then, in-process through Odoo's API (the runtime's fixes applied, as runtime/odoo-bin does), it
prints the median over --runs runs of:
  - the monthly statistics: every table of after_sales.statistics for last month;
  - the statistics of the whole generated year (every request in the period);
  - the Excel export of that year (its detail sheet holds every request), its time and memory:
    the process's peak RSS growth (resource.getrusage ru_maxrss) during the first export, and
    the peak of Python allocations during an export (tracemalloc);
  - the PDF of last month (wkhtmltopdf).
"""
import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(ROOT, "runtime")
STATE_DIR = os.path.join(ROOT, ".bench")
STATE_FILE = os.path.join(STATE_DIR, "state.json")
ADDON = "after_sales_service"
sys.path.insert(0, RUNTIME)

import dbtools  # noqa: E402


# ---------------------------------------------------------------------- database


def code_hash():
    """A digest of the addon's code and data: the bench database is updated when it changes."""
    digest = hashlib.sha1()
    for folder in ("models", "wizards", "views", "reports", "security", "data"):
        for dirpath, _dirs, files in sorted(os.walk(os.path.join(ROOT, folder))):
            for name in sorted(files):
                if name.endswith((".py", ".xml", ".csv")):
                    with open(os.path.join(dirpath, name), "rb") as f:
                        digest.update(name.encode() + f.read())
    with open(os.path.join(ROOT, "__manifest__.py"), "rb") as f:
        digest.update(f.read())
    return digest.hexdigest()[:12]


def data_hash():
    """A digest of the generation: the data is generated again when it changes."""
    return hashlib.sha1(repr(GENERATION).encode()).hexdigest()[:12]


def load_state():
    try:
        with open(STATE_FILE) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save_state(state):
    os.makedirs(STATE_DIR, exist_ok=True)
    with open(STATE_FILE, "w") as f:
        json.dump(state, f, indent=2)


def odoo_run(db, *args):
    # the addon's demo data makes its users in Chinese: zh_CN is loaded with it
    subprocess.run([dbtools.ODOO, "-d", db, "--stop-after-init", "--log-level=warn",
                    "--load-language=zh_CN"] + list(args), check=True)


def prepare_database(args, scale):
    """(database, generated now?) — reused when the scale is the same, updated when the addon's
    code changed since."""
    state = load_state()
    code = code_hash()
    if state.get("db") == args.db and state.get("scale") == scale and dbtools.exists(args.db) \
            and state.get("generated") == data_hash():
        if state.get("code") != code:
            print("bench: addon changed, updating it in %s" % args.db, flush=True)
            odoo_run(args.db, "-u", ADDON)
            state["code"] = code
            save_state(state)
        print("bench: reusing %s (%s)" % (args.db, describe(scale)), flush=True)
        return False
    print("bench: creating %s from the template and installing the addon" % args.db, flush=True)
    dbtools.create_from_template(args.db, dbtools.ensure_template(dbtools.manifest_depends()))
    odoo_run(args.db, "-i", ADDON)
    save_state({"db": args.db, "scale": scale, "code": code, "generated": False})
    return True


def describe(scale):
    return ", ".join("%s %s" % (value, name) for name, value in sorted(scale.items()))


# ---------------------------------------------------------------------- Odoo in-process


def start_odoo(db, addons_path=None):
    """Odoo in this process on `db`, with the runtime's fixes (as runtime/odoo-bin); the
    addons path is the addon's unless given (bench/peers.py adds the peers')."""
    import odoo11_py311
    odoo11_py311.apply()
    import odoo
    os.environ["PATH"] = os.path.join(ROOT, ".node", "node_modules", ".bin") + os.pathsep \
        + os.environ.get("PATH", "")
    pg_args = subprocess.check_output([os.path.join(RUNTIME, "pg.sh"), "args"],
                                      text=True).split()
    odoo.tools.config.parse_config(pg_args + [
        "--addons-path=%s" % (addons_path or os.path.join(ROOT, ".addons")),
        "--data-dir=%s" % os.path.join(ROOT, ".odoo-data"), "--log-level=warn", "-d", db])
    return odoo, odoo.registry(db)


# ---------------------------------------------------------------------- data


def month_start(day):
    return day.replace(day=1)


def generate(odoo, registry, scale):
    """The benchmark's data, set-based. Reference data (products, teams, technicians) through
    the ORM, the documents by INSERT ... SELECT generate_series."""
    today = date.today()
    first = month_start(today) - relativedelta(months=11)
    start = datetime.combine(first, datetime.min.time())
    span = (datetime.now() - start).total_seconds()
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True,
                                                           "mail_create_nolog": True,
                                                           "no_reset_password": True})
        t0 = time.time()
        ref = reference_data(env, scale)
        print("bench: reference data in %.1f s" % (time.time() - t0), flush=True)
        params = dict(ref, start=start, span=span, **scale)
        defaults = orm_defaults_in_columns(env)
        for label, sql in GENERATION:
            t0 = time.time()
            cr.execute("SELECT setseed(0.4242)")
            cr.execute(sql, params)
            print("bench: %-28s %8d rows  %5.1f s" % (label, cr.rowcount, time.time() - t0),
                  flush=True)
        for table, column in defaults:
            cr.execute('ALTER TABLE "%s" ALTER COLUMN "%s" DROP DEFAULT' % (table, column))
        cr.commit()
        old_isolation = cr._cnx.isolation_level
        cr._cnx.set_isolation_level(0)  # ANALYZE outside a transaction block
        cr.execute("ANALYZE")
        cr._cnx.set_isolation_level(old_isolation)


def orm_defaults_in_columns(env):
    """The generation's SQL names the columns it knows; a NOT NULL column another installed module
    adds (sale's `sale_warn` on partners...) gets its ORM default as a column default meanwhile.
    Returns the (table, column) pairs to drop the default from afterwards."""
    cr = env.cr
    cr.execute("""SELECT table_name, column_name FROM information_schema.columns
                   WHERE table_schema = 'public' AND is_nullable = 'NO'
                     AND column_default IS NULL AND column_name != 'id'""")
    missing = set(cr.fetchall())
    tables = set(re.findall(r"INSERT INTO (\w+)", " ".join(sql for _label, sql in GENERATION)))
    done = []
    for model in env.registry.values():
        if model._abstract or not model._auto or model._table not in tables:
            continue
        for name, field in model._fields.items():
            if (model._table, name) not in missing or not field.store or not field.default:
                continue
            value = env[model._name].default_get([name]).get(name)
            if value is None or value is False and field.type != "boolean":
                continue
            cr.execute('ALTER TABLE "%s" ALTER COLUMN "%s" SET DEFAULT %%s'
                       % (model._table, name), (value,))
            done.append((model._table, name))
    return done


def reference_data(env, scale):
    company = env.ref("base.main_company")
    env.user.groups_id = [(4, env.ref("after_sales_service.group_manager").id)]
    category = env.ref("product.product_category_all")
    products = env["product.product"]
    for i in range(scale["products"]):
        products |= env["product.product"].create({
            "name": "Bench heater %03d" % i, "default_code": "BH%03d" % i, "type": "product",
            "categ_id": category.id, "standard_price": 50.0 + i % 40 * 10})
    teams = env["after_sales.team"]
    for i in range(10):
        teams |= teams.create({"name": "Bench team %02d" % i, "company_id": company.id})
    technician_group = env.ref("after_sales_service.group_technician")
    technicians = env["res.users"]
    for i in range(scale["technicians"]):
        technicians |= technicians.create({
            "name": "Bench technician %02d" % i, "login": "bench_tech_%02d" % i,
            "groups_id": [(6, 0, [technician_group.id, env.ref("base.group_user").id])]})
    warehouse = env.ref("stock.warehouse0")
    sale_journal = env["account.journal"].search([("type", "=", "sale"),
                                                  ("company_id", "=", company.id)], limit=1)
    purchase_journal = env["account.journal"].search([("type", "=", "purchase"),
                                                      ("company_id", "=", company.id)], limit=1)
    general_journal = env["account.journal"].search([("type", "=", "general"),
                                                     ("company_id", "=", company.id)], limit=1)
    receivable = env["ir.property"].get("property_account_receivable_id", "res.partner")
    payable = env["ir.property"].get("property_account_payable_id", "res.partner")
    expense = env["account.account"].search([
        ("user_type_id", "=", env.ref("account.data_account_type_expenses").id),
        ("company_id", "=", company.id)], limit=1)
    return {
        "company": company.id, "currency": company.currency_id.id,
        "product_ids": products.ids, "team_ids": teams.ids, "technician_ids": technicians.ids,
        "user_ids": (technicians[:5] | env.user).ids,
        "rule_normal": env.ref("after_sales_service.sla_rule_normal").id,
        "rule_urgent": env.ref("after_sales_service.sla_rule_urgent").id,
        "rule_complaint": env.ref("after_sales_service.sla_rule_complaint").id,
        "warehouse": warehouse.id, "parts_store": warehouse.after_sales_parts_location_id.id,
        "customer_location": env.ref("stock.stock_location_customers").id,
        "out_type": (warehouse.after_sales_parts_type_id or warehouse.out_type_id).id,
        "uom": env.ref("product.product_uom_unit").id,
        "sale_journal": sale_journal.id, "purchase_journal": purchase_journal.id,
        "general_journal": general_journal.id, "receivable": receivable.id,
        "payable": payable.id, "expense_account": expense.id,
        "type_satisfaction": env.ref("after_sales_service.callback_type_satisfaction").id,
        "type_usage": env.ref("after_sales_service.callback_type_usage").id,
    }


GENERATION = [
    ("customers", """
        INSERT INTO res_partner (name, display_name, active, customer, is_company, type,
                                 company_id, lang, invoice_warn, picking_warn, create_date,
                                 write_date, ref)
        SELECT 'Bench customer ' || g, 'Bench customer ' || g, TRUE, TRUE, TRUE, 'contact',
               %(company)s, 'en_US', 'no-message', 'no-message', now(), now(), 'BENCH-C'
          FROM generate_series(1, %(customers)s) g
    """),
    ("service stations", """
        INSERT INTO res_partner (name, display_name, active, customer, is_company, type,
                                 company_id, lang, invoice_warn, picking_warn, create_date,
                                 write_date, ref, after_sales_is_station)
        SELECT 'Bench station ' || g, 'Bench station ' || g, TRUE, FALSE, TRUE, 'contact',
               %(company)s, 'en_US', 'no-message', 'no-message', now(), now(), 'BENCH-S', TRUE
          FROM generate_series(1, 20) g
    """),
    ("partners' commercial entity", """
        UPDATE res_partner SET commercial_partner_id = id
         WHERE ref IN ('BENCH-C', 'BENCH-S') AND commercial_partner_id IS NULL
    """),
    ("helper: customers", """
        CREATE TABLE bench_customer AS
        SELECT row_number() OVER (ORDER BY id) AS rn, id FROM res_partner WHERE ref = 'BENCH-C'
    """),
    ("helper: stations", """
        CREATE TABLE bench_station AS
        SELECT row_number() OVER (ORDER BY id) AS rn, id FROM res_partner WHERE ref = 'BENCH-S'
    """),
    ("service requests", """
        INSERT INTO after_sales_request (
            name, company_id, state, channel, category, priority, date_received, partner_id,
            product_id, team_id, user_id, station_id, in_warranty, sla_rule_id,
            response_deadline, resolve_deadline, date_response, response_hours,
            response_on_time, date_resolved, resolve_hours, resolved_on_time, date_closed,
            is_late, needs_dispatch, escalated, description, create_uid, create_date,
            write_uid, write_date)
        SELECT 'BSR' || lpad(g.i::text, 8, '0'), %(company)s, g.state, g.channel, g.category,
               g.priority, g.received, c.id,
               CASE WHEN g.i %% 10 = 0 THEN NULL
                    ELSE (%(product_ids)s::int[])[
                        1 + g.i %% array_length(%(product_ids)s::int[], 1)]
               END,
               (%(team_ids)s::int[])[1 + g.i %% 10],
               (%(user_ids)s::int[])[1 + g.i %% array_length(%(user_ids)s::int[], 1)],
               CASE WHEN g.i %% 4 = 0 THEN s.id END,
               g.r1 < 0.45,
               CASE WHEN g.category = 'complaint' THEN %(rule_complaint)s
                    WHEN g.priority = '1' THEN %(rule_urgent)s ELSE %(rule_normal)s END,
               g.received + interval '24 hours', g.received + interval '48 hours',
               CASE WHEN g.responded THEN g.received + g.response_h * interval '1 hour' END,
               CASE WHEN g.responded THEN g.response_h END,
               g.responded AND g.response_h <= 24,
               CASE WHEN g.resolved THEN g.received + g.resolve_h * interval '1 hour' END,
               CASE WHEN g.resolved THEN g.resolve_h END,
               g.resolved AND g.resolve_h <= 16,
               CASE WHEN g.state = 'closed' THEN g.received + interval '5 days' END,
               g.state IN ('new', 'in_progress', 'waiting') AND g.r2 < 0.3,
               FALSE, FALSE, 'bench', 1, g.received, 1, g.received
          FROM (SELECT i,
                       (ARRAY['new', 'in_progress', 'waiting', 'resolved', 'closed', 'closed',
                              'closed', 'resolved', 'in_progress', 'closed'])[1 + i %% 10]
                           AS state,
                       (ARRAY['hotline', 'web', 'mail', 'sales', 'callback', 'media',
                              'station'])[1 + (i * 7 / 3) %% 7] AS channel,
                       (ARRAY['repair', 'installation', 'training', 'consultation', 'parts',
                              'inspection', 'return', 'complaint'])[1 + (i * 3 / 2) %% 8]
                           AS category,
                       CASE WHEN i %% 5 = 0 THEN '1' ELSE '0' END AS priority,
                       (%(start)s::timestamp + (i::float / %(requests)s) * %(span)s
                           * interval '1 second') AS received,
                       i %% 10 NOT IN (0, 8) AS responded,
                       i %% 10 IN (3, 4, 5, 6, 7, 9) AS resolved,
                       round((0.5 + random() * 40)::numeric, 2)::float AS response_h,
                       round((1 + random() * 60)::numeric, 2)::float AS resolve_h,
                       random() AS r1, random() AS r2
                  FROM generate_series(1, %(requests)s) i) g
          JOIN bench_customer c
            ON c.rn = 1 + (g.i * 7919) %% (SELECT count(*) FROM bench_customer)
          JOIN bench_station s ON s.rn = 1 + g.i %% 20
    """),
    ("cancelled requests (extra)", """
        INSERT INTO after_sales_request (
            name, company_id, state, channel, category, priority, date_received, partner_id,
            team_id, cancel_reason, needs_dispatch, escalated, create_uid, create_date,
            write_uid, write_date)
        SELECT 'BSC' || lpad(g::text, 8, '0'), %(company)s, 'cancel', 'hotline', 'repair',
               '0', %(start)s::timestamp + (g::float / %(cancelled)s) * %(span)s
                   * interval '1 second',
               (SELECT id FROM bench_customer WHERE rn = 1 + g %% 100), (%(team_ids)s::int[])[1],
               'bench', FALSE, FALSE, 1, now(), 1, now()
          FROM generate_series(1, %(cancelled)s) g
    """),
    ("helper: requests", """
        CREATE TABLE bench_request AS
        SELECT row_number() OVER (ORDER BY id) AS rn, id, partner_id, product_id, station_id,
               date_received, in_warranty
          FROM after_sales_request WHERE name LIKE 'BSR%%'
    """),
    ("visits", """
        INSERT INTO after_sales_visit (
            name, company_id, state, request_id, purpose, partner_id, in_warranty,
            date_planned, duration, date_arrival, date_departure, arrival_confirmed,
            is_overtime, overtime_days, create_uid, create_date, write_uid, write_date)
        SELECT 'BSV' || lpad(g::text, 8, '0'), %(company)s,
               CASE WHEN g %% 10 < 5 THEN 'done' WHEN g %% 10 < 8 THEN 'verified'
                    WHEN g %% 10 = 8 THEN 'approved' ELSE 'cancel' END,
               r.id, (ARRAY['installation', 'training', 'repair', 'inspection'])[1 + g %% 4],
               r.partner_id, r.in_warranty,
               r.date_received + interval '1 day', 2.0,
               r.date_received + interval '1 day',
               r.date_received + interval '1 day' + (2 + g %% 8) * interval '1 hour', TRUE,
               g %% 10 IN (1, 6), CASE WHEN g %% 10 IN (1, 6) THEN 1 + g %% 2 ELSE 0 END,
               1, r.date_received, 1, r.date_received
          FROM generate_series(1, %(visits)s) g
          JOIN bench_request r
            ON r.rn = 1 + (g * 4999) %% (SELECT count(*) FROM bench_request)
    """),
    ("visit technicians", """
        INSERT INTO after_sales_visit_res_users_rel (after_sales_visit_id, res_users_id)
        SELECT v.id, (%(technician_ids)s::int[])[1 + (v.id + k) %% array_length(
                          %(technician_ids)s::int[], 1)]
          FROM after_sales_visit v CROSS JOIN generate_series(0, 1) k
         WHERE v.name LIKE 'BSV%%' AND (k = 0 OR v.id %% 3 = 0)
    """),
    ("callbacks after visits", """
        INSERT INTO after_sales_callback (
            name, company_id, type_id, kind, state, partner_id, request_id, visit_id,
            product_id, station_id, date_due, date_done, answered, satisfied, is_overdue,
            attempts, create_uid, create_date, write_uid, write_date)
        SELECT 'BCB' || lpad(v.id::text, 8, '0'), %(company)s, %(type_satisfaction)s,
               'satisfaction', CASE WHEN v.id %% 10 = 0 THEN 'todo' ELSE 'done' END,
               v.partner_id, v.request_id, v.id, r.product_id, r.station_id,
               v.date_arrival + interval '3 days',
               CASE WHEN v.id %% 10 <> 0 THEN v.date_arrival + interval '4 days' END,
               v.id %% 10 <> 0, v.id %% 10 <> 0 AND random() < 0.85, FALSE, 0,
               1, v.date_arrival, 1, v.date_arrival
          FROM after_sales_visit v JOIN after_sales_request r ON r.id = v.request_id
         WHERE v.name LIKE 'BSV%%' AND v.state IN ('done', 'verified')
         LIMIT %(callbacks)s
    """),
    ("callback technicians", """
        INSERT INTO after_sales_callback_technician_rel (callback_id, user_id)
        SELECT c.id, t.res_users_id
          FROM after_sales_callback c
          JOIN after_sales_visit_res_users_rel t ON t.after_sales_visit_id = c.visit_id
         WHERE c.name LIKE 'BCB%%'
    """),
    ("usage callbacks", """
        INSERT INTO after_sales_callback (
            name, company_id, type_id, kind, state, partner_id, request_id, product_id,
            date_due, date_done, answered, satisfied, is_overdue, attempts,
            create_uid, create_date, write_uid, write_date)
        SELECT 'BCU' || lpad(g::text, 8, '0'), %(company)s, %(type_usage)s, 'usage',
               CASE WHEN g %% 8 = 0 THEN 'todo' ELSE 'done' END, r.partner_id, r.id,
               r.product_id, r.date_received + interval '10 days',
               CASE WHEN g %% 8 <> 0 THEN r.date_received + interval '11 days' END,
               g %% 8 <> 0, g %% 8 <> 0 AND random() < 0.9, FALSE, 0,
               1, r.date_received, 1, r.date_received
          FROM generate_series(1, GREATEST(%(callbacks)s - (
                   SELECT count(*) FROM after_sales_callback WHERE name LIKE 'BCB%%'), 0)) g
          JOIN bench_request r
            ON r.rn = 1 + (g * 3571) %% (SELECT count(*) FROM bench_request)
    """),
    ("complaints", """
        INSERT INTO after_sales_complaint (
            name, company_id, partner_id, channel, date_received, date_registered, content,
            severity, state, complaint_class, request_id, product_id, active,
            registration_hours, registered_late, answer_deadline, close_deadline, answer_date,
            date_closed, create_uid, create_date, write_uid, write_date)
        SELECT 'BCP' || lpad(g::text, 8, '0'), %(company)s, r.partner_id, 'phone',
               r.date_received, r.date_received, 'bench',
               CASE WHEN g %% 4 = 0 THEN 'urgent' ELSE 'normal' END,
               (ARRAY['draft', 'investigating', 'answered', 'closed', 'closed', 'closed',
                      'cancel', 'closed'])[1 + g %% 8],
               (ARRAY['quality', 'non_quality', 'other', NULL])[1 + g %% 4],
               r.id, r.product_id, TRUE, 0, FALSE,
               r.date_received + interval '2 days', r.date_received + interval '9 days',
               CASE WHEN g %% 8 IN (2, 3, 4, 5, 7) THEN r.date_received + interval '1 day' END,
               CASE WHEN g %% 8 IN (3, 4, 5, 7)
                    THEN r.date_received + (2 + random() * 12) * interval '1 day' END,
               1, r.date_received, 1, r.date_received
          FROM generate_series(1, %(complaints)s) g
          JOIN bench_request r
            ON r.rn = 1 + (g * 2111) %% (SELECT count(*) FROM bench_request)
    """),
    ("corrective actions", """
        INSERT INTO after_sales_complaint_action (
            complaint_id, company_id, description, action_type, term, user_id, date_deadline,
            date_done, create_uid, create_date, write_uid, write_date)
        SELECT c.id, %(company)s, 'bench action', 'corrective', 'temporary',
               (%(user_ids)s::int[])[1],
               (c.date_received + interval '7 days')::date,
               CASE WHEN c.id %% 3 <> 0 THEN (c.date_received + interval '6 days')::date END,
               1, c.date_received, 1, c.date_received
          FROM after_sales_complaint c WHERE c.name LIKE 'BCP%%'
    """),
    ("return cases", """
        INSERT INTO after_sales_return (
            name, company_id, state, date, partner_id, product_id, product_qty,
            warehouse_id, cause, defect_class, has_goods, request_id, user_id,
            create_uid, create_date, write_uid, write_date)
        SELECT 'BRT' || lpad(g::text, 8, '0'), %(company)s,
               (ARRAY['draft', 'receiving', 'done', 'done', 'done', 'cancel'])[1 + g %% 6],
               r.date_received + interval '2 days', r.partner_id,
               COALESCE(r.product_id, (%(product_ids)s::int[])[1]), 1 + g %% 3,
               %(warehouse)s,
               (ARRAY['defect', 'transport', 'wrong_item', 'installation', 'customer',
                      'other'])[1 + g %% 6],
               (ARRAY['quality', 'human', 'other'])[1 + g %% 3], TRUE, r.id, 1,
               1, r.date_received, 1, r.date_received
          FROM generate_series(1, %(returns)s) g
          JOIN bench_request r
            ON r.rn = 1 + (g * 1901) %% (SELECT count(*) FROM bench_request)
    """),
    ("return dispositions", """
        INSERT INTO after_sales_return_disposition (
            return_id, company_id, sequence, disposition_type, quantity, state,
            create_uid, create_date, write_uid, write_date)
        SELECT t.id, %(company)s, 10,
               (ARRAY['scrap', 'repair', 'restock', 'supplier', 'exchange'])[1 + t.id %% 5],
               t.product_qty, 'done', 1, t.date, 1, t.date
          FROM after_sales_return t WHERE t.name LIKE 'BRT%%' AND t.state = 'done'
    """),
    ("outbound orders", """
        INSERT INTO after_sales_parts_order (
            name, company_id, state, partner_id, request_id, warehouse_id, shipping_method,
            chargeable, date_approved, date_shipped, create_uid, create_date, write_uid,
            write_date)
        SELECT 'BCK' || lpad(g::text, 8, '0'), %(company)s, 'shipped', r.partner_id, r.id,
               %(warehouse)s, 'courier', NOT r.in_warranty, r.date_received + interval '1 day',
               r.date_received + interval '2 days', 1, r.date_received, 1, r.date_received
          FROM generate_series(1, %(parts_orders)s) g
          JOIN bench_request r
            ON r.rn = 1 + (g * 2897) %% (SELECT count(*) FROM bench_request)
    """),
    ("dispatch transfers", """
        INSERT INTO stock_picking (
            name, origin, move_type, location_id, location_dest_id, picking_type_id,
            company_id, state, partner_id, after_sales_parts_order_id, scheduled_date,
            date_done, create_uid, create_date, write_uid, write_date)
        SELECT 'BPK' || lpad(o.id::text, 8, '0'), o.name, 'one', %(parts_store)s,
               %(customer_location)s, %(out_type)s, %(company)s, 'done', o.partner_id, o.id,
               o.date_shipped, o.date_shipped, 1, o.create_date, 1, o.create_date
          FROM after_sales_parts_order o WHERE o.name LIKE 'BCK%%'
    """),
    ("parts stock moves", """
        INSERT INTO stock_move (
            name, date, date_expected, company_id, product_id, product_uom_qty, product_qty,
            product_uom, location_id, location_dest_id, procure_method, state, picking_id,
            price_unit, value, create_uid, create_date, write_uid, write_date)
        SELECT 'bench part', p.date_done, p.date_done, %(company)s, m.product_id, m.qty,
               m.qty, %(uom)s, %(parts_store)s, %(customer_location)s, 'make_to_stock', 'done',
               p.id, 40, -40 * m.qty, 1, p.date_done, 1, p.date_done
          FROM stock_picking p
          CROSS JOIN LATERAL (
               SELECT (%(product_ids)s::int[])[1 + (p.id + k) %% array_length(
                          %(product_ids)s::int[], 1)] AS product_id, 1 + k AS qty
                 FROM generate_series(0, 1) k) m
         WHERE p.name LIKE 'BPK%%'
    """),
    ("warranty entries", """
        INSERT INTO account_move (name, ref, date, journal_id, company_id, currency_id, state,
                                  after_sales_parts_order_id, create_uid, create_date,
                                  write_uid, write_date)
        SELECT 'BWM' || lpad(o.id::text, 8, '0'), o.name, o.date_shipped::date,
               %(general_journal)s, %(company)s, %(currency)s, 'posted', o.id,
               1, o.date_shipped, 1, o.date_shipped
          FROM after_sales_parts_order o WHERE o.name LIKE 'BCK%%' AND NOT o.chargeable
    """),
    ("warranty cost items", """
        INSERT INTO account_move_line (name, account_id, move_id, journal_id, company_id,
                                       date, date_maturity, debit, credit, balance, partner_id,
                                       after_sales_warranty_cost, create_uid, create_date,
                                       write_uid, write_date)
        SELECT m.ref, %(expense_account)s, m.id, m.journal_id, m.company_id, m.date, m.date,
               120, 0, 120, NULL, TRUE, 1, m.create_date, 1, m.create_date
          FROM account_move m WHERE m.name LIKE 'BWM%%'
    """),
    ("invoices of requests and orders", """
        INSERT INTO account_invoice (
            name, number, type, state, reference_type, partner_id, commercial_partner_id,
            account_id, currency_id, journal_id, company_id, date_invoice, origin,
            amount_untaxed, amount_tax, amount_total, amount_untaxed_signed,
            amount_total_signed, amount_total_company_signed, residual, residual_signed,
            residual_company_signed, after_sales_request_id, after_sales_parts_order_id,
            create_uid, create_date, write_uid, write_date)
        SELECT 'bench', 'BINV' || o.id, 'out_invoice',
               CASE WHEN o.id %% 4 = 0 THEN 'draft' ELSE 'open' END, 'none',
               o.partner_id, o.partner_id, %(receivable)s, %(currency)s, %(sale_journal)s,
               %(company)s, o.date_shipped::date, o.name, 230, 0, 230, 230, 230, 230, 230,
               230, 230, o.request_id, o.id, 1, o.date_shipped, 1, o.date_shipped
          FROM after_sales_parts_order o WHERE o.name LIKE 'BCK%%' AND o.chargeable
    """),
    ("visit invoices", """
        WITH visit AS (
            SELECT v.id, v.partner_id, v.date_departure
              FROM after_sales_visit v
             WHERE v.name LIKE 'BSV%%' AND v.state IN ('done', 'verified')
               AND NOT v.in_warranty),
        invoice AS (
            INSERT INTO account_invoice (
                name, number, type, state, reference_type, partner_id, commercial_partner_id,
                account_id, currency_id, journal_id, company_id, date_invoice, origin,
                amount_untaxed, amount_tax, amount_total, amount_untaxed_signed,
                amount_total_signed, amount_total_company_signed, residual, residual_signed,
                residual_company_signed, create_uid, create_date, write_uid, write_date)
            SELECT 'bench', 'BVINV' || v.id, 'out_invoice',
                   CASE WHEN v.id %% 5 = 0 THEN 'draft' ELSE 'paid' END, 'none',
                   v.partner_id, v.partner_id, %(receivable)s, %(currency)s,
                   %(sale_journal)s, %(company)s, v.date_departure::date, 'BSV' || v.id,
                   300, 0, 300, 300, 300, 300, 0, 0, 0, 1, v.date_departure, 1,
                   v.date_departure
              FROM visit v
            RETURNING id, origin)
        INSERT INTO account_invoice_after_sales_visit_rel (after_sales_visit_id,
                                                           account_invoice_id)
        SELECT substr(i.origin, 4)::int, i.id FROM invoice i
    """),
    ("overtime subsidy bills", """
        WITH bill AS (
            INSERT INTO account_invoice (
                name, number, type, state, reference_type, partner_id, commercial_partner_id,
                account_id, currency_id, journal_id, company_id, date_invoice, origin,
                amount_untaxed, amount_tax, amount_total, amount_untaxed_signed,
                amount_total_signed, amount_total_company_signed, residual, residual_signed,
                residual_company_signed, create_uid, create_date, write_uid, write_date)
            SELECT 'bench', 'BSUB' || v.id || '-' || t.res_users_id, 'in_invoice', 'draft',
                   'none', u.partner_id,
                   u.partner_id, %(payable)s, %(currency)s, %(purchase_journal)s,
                   %(company)s, v.date_departure::date, 'BSV' || v.id, 60 * v.overtime_days,
                   0, 60 * v.overtime_days, 60 * v.overtime_days, 60 * v.overtime_days,
                   60 * v.overtime_days, 0, 0, 0, 1, v.date_departure, 1, v.date_departure
              FROM after_sales_visit v
              JOIN after_sales_visit_res_users_rel t ON t.after_sales_visit_id = v.id
              JOIN res_users u ON u.id = t.res_users_id
             WHERE v.name LIKE 'BSV%%' AND v.state = 'verified' AND v.is_overtime
            RETURNING id, origin)
        INSERT INTO after_sales_visit_subsidy_rel (after_sales_visit_id, account_invoice_id)
        SELECT substr(b.origin, 4)::int, b.id FROM bill b
    """),
    ("return refunds", """
        INSERT INTO account_invoice (
            name, number, type, state, reference_type, partner_id, commercial_partner_id,
            account_id, currency_id, journal_id, company_id, date_invoice, origin,
            amount_untaxed, amount_tax, amount_total, amount_untaxed_signed,
            amount_total_signed, amount_total_company_signed, residual, residual_signed,
            residual_company_signed, after_sales_return_id, create_uid, create_date,
            write_uid, write_date)
        SELECT 'bench', 'BRF' || t.id, 'out_refund', 'open', 'none', t.partner_id,
               t.partner_id, %(receivable)s, %(currency)s, %(sale_journal)s, %(company)s,
               t.date::date, t.name, 500, 0, 500, -500, -500, -500, 500, -500, -500, t.id,
               1, t.date, 1, t.date
          FROM after_sales_return t WHERE t.name LIKE 'BRT%%' AND t.state = 'done'
    """),
    ("expense claims", """
        INSERT INTO after_sales_expense_claim (name, company_id, user_id, state, amount_total,
                                               create_uid, create_date, write_uid, write_date)
        SELECT 'BEC' || lpad(g::text, 8, '0'), %(company)s,
               (%(technician_ids)s::int[])[1 + g %% array_length(%(technician_ids)s::int[], 1)],
               'approved', 100.5, 1,
               %(start)s::timestamp + (g::float / %(claims)s) * %(span)s * interval '1 second',
               1, now()
          FROM generate_series(1, %(claims)s) g
    """),
    ("expense claim visits", """
        INSERT INTO after_sales_expense_claim_after_sales_visit_rel (
            after_sales_expense_claim_id, after_sales_visit_id)
        SELECT c.id, v.id
          FROM after_sales_expense_claim c
          JOIN LATERAL (SELECT id FROM after_sales_visit
                         WHERE name LIKE 'BSV%%' AND date_arrival <= c.create_date
                      ORDER BY date_arrival DESC LIMIT 1) v ON TRUE
         WHERE c.name LIKE 'BEC%%'
    """),
    ("expense claim bills", """
        INSERT INTO account_invoice (
            name, number, type, state, reference_type, partner_id, commercial_partner_id,
            account_id, currency_id, journal_id, company_id, date_invoice, origin,
            amount_untaxed, amount_tax, amount_total, amount_untaxed_signed,
            amount_total_signed, amount_total_company_signed, residual, residual_signed,
            residual_company_signed, create_uid, create_date, write_uid, write_date)
        SELECT 'bench', 'B' || c.name, 'in_invoice', 'open', 'none', u.partner_id,
               u.partner_id, %(payable)s, %(currency)s, %(purchase_journal)s,
               %(company)s, c.create_date::date, c.name, 100.5, 0, 100.5, 100.5, 100.5,
               100.5, 100.5, 100.5, 100.5, 1, c.create_date, 1, c.create_date
          FROM after_sales_expense_claim c JOIN res_users u ON u.id = c.user_id
         WHERE c.name LIKE 'BEC%%'
    """),
    ("expense claims paid by bills", """
        UPDATE after_sales_expense_claim c SET bill_id = i.id
          FROM account_invoice i
         WHERE i.origin = c.name AND i.type = 'in_invoice' AND c.name LIKE 'BEC%%'
    """),
    ("drop helpers", "DROP TABLE bench_customer, bench_station, bench_request"),
]


# ---------------------------------------------------------------------- measures


def median_time(function, runs):
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def measure(odoo, registry, args):
    today = date.today()
    last_month = month_start(today) - relativedelta(months=1)
    monthly = {"date_from": str(last_month),
               "date_to": str(month_start(today) - relativedelta(days=1))}
    year = {"date_from": str(month_start(today) - relativedelta(months=11)),
            "date_to": str(month_start(today) + relativedelta(months=1, days=-1))}
    results = []

    def in_env(function, vals, lang=None):
        """A new cursor and environment per run: nothing cached from the previous run."""
        def run():
            with odoo.api.Environment.manage(), registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID,
                                           {"lang": lang or "en_US"})
                wizard = env["after_sales.statistics"].create(vals)
                value = function(env, wizard)
                cr.rollback()
                return value
        return run

    def tables(env, wizard):
        return wizard._statistics_tables()

    def rows(env, wizard):
        env.cr.execute("SELECT count(*) FROM after_sales_request_report "
                       "WHERE date >= %s AND date < %s", wizard._period_utc())
        return env.cr.fetchone()[0]

    def xlsx(env, wizard):
        report = env.ref("after_sales_service.statistics_xlsx_report")
        content, _type = report.render_xlsx(wizard.ids, {})
        return len(content)

    def pdf(env, wizard):
        report = env.ref("after_sales_service.statistics_pdf_report")
        content, _type = report.render_qweb_pdf(wizard.ids)
        return len(content)

    monthly_rows = in_env(rows, monthly)()
    year_rows = in_env(rows, year)()
    print("bench: last month %s..%s holds %d requests; the year %s..%s %d" % (
        monthly["date_from"], monthly["date_to"], monthly_rows, year["date_from"],
        year["date_to"], year_rows), flush=True)

    in_env(tables, monthly)()  # warm-up: registry, translations, plans
    seconds, runs = median_time(in_env(tables, monthly), args.runs)
    results.append(("monthly statistics, all 16 tables (%d requests)" % monthly_rows, seconds,
                    runs))
    team = dict(monthly, team_id=in_env(lambda env, wizard: env["after_sales.team"].search(
        [("name", "=", "Bench team 00")]).id, monthly)())
    seconds, runs = median_time(in_env(tables, team), args.runs)
    results.append(("monthly statistics of one team of ten", seconds, runs))
    seconds, runs = median_time(in_env(tables, year), args.runs)
    results.append(("statistics of the year, all 16 tables (%d requests)" % year_rows, seconds,
                    runs))
    breakdown = per_table(odoo, registry, monthly, args.runs)

    # memory first: ru_maxrss is the process's high-water mark, only its first growth shows
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = in_env(xlsx, year)()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    seconds, runs = median_time(in_env(xlsx, year), args.runs)
    results.append(("Excel export of the year (detail sheet: %d rows, %.1f MB)"
                    % (year_rows, size / 1e6), seconds, runs))
    peaks = []
    for _run in range(min(args.runs, 3)):
        tracemalloc.start()
        in_env(xlsx, year)()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    tracemalloc.start()
    in_env(xlsx, monthly)()
    monthly_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    if not args.no_pdf:
        seconds, runs = median_time(in_env(pdf, monthly), min(args.runs, 3))
        results.append(("PDF of last month (wkhtmltopdf)", seconds, runs))

    print("\nmedian over %d runs (each run: a new cursor and environment)" % args.runs)
    for label, seconds, runs in results:
        print("  %-72s %7.3f s   [%s]" % (label, seconds,
                                           " ".join("%.3f" % value for value in runs)))
    print("  Excel export memory of the year:")
    print("    peak RSS growth of the process during the first export (ru_maxrss delta): "
          "%.1f MB" % (rss_growth / 1024.0))
    print("    peak of Python allocations during an export (tracemalloc, median of %d): "
          "%.1f MB" % (len(peaks), statistics.median(peaks) / 1e6))
    print("    same for last month's export (%d detail rows): %.1f MB"
          % (monthly_rows, monthly_peak / 1e6))
    print("\n  monthly statistics per table (median):")
    for name, seconds in breakdown:
        print("    %-40s %7.3f s" % (name, seconds))
    target = results[0][1]
    print("\nmonthly statistics: %.3f s (target < 2 s: %s)"
          % (target, "met" if target < 2 else "NOT met"))


def per_table(odoo, registry, vals, runs):
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        wizard = env["after_sales.statistics"].create(vals)
        breakdown = []
        for method in wizard._table_methods():
            seconds, _runs = median_time(method, runs)
            breakdown.append((method.__name__, seconds))
        cr.rollback()
    return breakdown


# ---------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100000,
                        help="service requests to generate (default 100000), all in the period "
                             "of the Excel export, plus 1%% cancelled ones; visits are a fifth, "
                             "callbacks a half, complaints, returns, outbound orders and "
                             "claims in proportion")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--db", default="as_bench")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF timing")
    args = parser.parse_args()
    n = args.scale
    scale = {"requests": n, "cancelled": n // 100, "visits": n // 5, "callbacks": n // 2,
             "complaints": n // 20,
             "returns": n // 50, "parts_orders": n // 10, "claims": n // 100,
             "customers": max(n // 20, 10), "products": 200, "technicians": 50}
    subprocess.run(["bash", os.path.join(RUNTIME, "pg.sh"), "start"], check=True)
    fresh = prepare_database(args, scale)
    odoo, registry = start_odoo(args.db)
    if fresh:
        started = time.time()
        generate(odoo, registry, scale)
        state = load_state()
        state["generated"] = data_hash()
        save_state(state)
        print("bench: data generated in %.0f s (%s)" % (time.time() - started,
                                                        describe(scale)), flush=True)
    measure(odoo, registry, args)


if __name__ == "__main__":
    sys.exit(main())
