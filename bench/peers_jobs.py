"""The job passes of `make bench-peers` (bench/peers.py): escalation, callback generation and
contract planning, each with C changed records among N open ones (N = 10k and 100k, C = 100
and 1,000), in a savepoint rolled back after each measure.

The open and changed records are copies of one existing record of the bench database made with
INSERT ... SELECT generate_series (unique numbers, the state and dates of the case). A pass is
the scheduled job's method followed by every queue job it enqueued, performed inline, so that a
pass split into background jobs is measured whole. Goals: 1,000 changed among 100k open in less
than 10 s and at most 40 queries per changed record; the same query count at 10k and 100k open.
"""
import time

OPEN = (10000, 100000)
CHANGED = (100, 1000)
MAX_SECONDS = 10.0
MAX_QUERIES_PER_RECORD = 40


def copy_rows(cr, table, template_id, count, overrides):
    """`count` copies of row `template_id` of `table`, with `overrides` ({column: SQL
    expression of g, the copy's number}); returns nothing (ids come from the sequence)."""
    cr.execute("SELECT column_name FROM information_schema.columns "
               "WHERE table_name = %s AND column_name != 'id'", (table,))
    columns = [row[0] for row in cr.fetchall()]
    select = [overrides.get(column, '"%s"' % column) for column in columns]
    cr.execute('INSERT INTO "%s" (%s) SELECT %s FROM "%s", generate_series(1, %%s) g '
               'WHERE "%s".id = %%s' % (table, ", ".join('"%s"' % c for c in columns),
                                       ", ".join(select), table, table), (count, template_id))


def first_id(cr, query):
    cr.execute(query)
    row = cr.fetchone()
    assert row, "the bench database has no record for: %s" % query
    return row[0]


def escalation_data(cr, open_count, changed):
    template = first_id(cr, "SELECT id FROM after_sales_request WHERE state = 'in_progress' "
                            "ORDER BY id LIMIT 1")
    # the bench data's open requests past their deadlines count as escalated already
    cr.execute("""UPDATE after_sales_request SET is_late = TRUE, escalated = TRUE
                   WHERE state IN ('new', 'in_progress', 'waiting')
                     AND (resolve_deadline <= now() at time zone 'UTC'
                          OR (date_response IS NULL
                              AND response_deadline <= now() at time zone 'UTC'))""")
    cr.execute("""UPDATE after_sales_request
                     SET is_at_risk = (risk_date IS NOT NULL
                                       AND risk_date <= now() at time zone 'UTC'
                                       AND resolve_deadline > now() at time zone 'UTC')""")
    common = {"state": "'in_progress'", "is_late": "FALSE", "escalated": "FALSE",
              "date_response": "now() at time zone 'UTC' - interval '1 day'"}
    copy_rows(cr, "after_sales_request", template, open_count, dict(
        common, name="'BJO' || lpad(g::text, 8, '0')",
        resolve_deadline="now() at time zone 'UTC' + interval '10 days'",
        risk_date="now() at time zone 'UTC' + interval '9 days'"))
    copy_rows(cr, "after_sales_request", template, changed, dict(
        common, name="'BJC' || lpad(g::text, 8, '0')",
        resolve_deadline="now() at time zone 'UTC' - interval '1 hour'",
        risk_date="now() at time zone 'UTC' - interval '2 hours'"))


def callback_data(cr, open_count, changed):
    template = first_id(cr, "SELECT id FROM after_sales_visit WHERE state = 'done' "
                            "ORDER BY id LIMIT 1")
    # every completed visit of the bench data already has its callback: only the copies count
    cr.execute("""INSERT INTO after_sales_callback (name, type_id, trigger, partner_id, state,
                                                    date_due, company_id, channel)
                  SELECT 'BJX' || v.id, c.type_id, 'visit:' || v.id, v.partner_id, 'done',
                         now() at time zone 'UTC', v.company_id, 'phone'
                    FROM after_sales_visit v, (SELECT type_id FROM after_sales_callback
                                                ORDER BY id LIMIT 1) c
                   WHERE v.state IN ('done', 'verified') AND NOT EXISTS (
                         SELECT 1 FROM after_sales_callback x WHERE x.trigger = 'visit:' || v.id)
               """)
    copy_rows(cr, "after_sales_visit", template, open_count, {
        "name": "'BJO' || lpad(g::text, 8, '0')", "state": "'approved'"})
    copy_rows(cr, "after_sales_visit", template, changed, {
        "name": "'BJC' || lpad(g::text, 8, '0')", "state": "'done'"})


def contract_data(cr, open_count, changed):
    template = first_id(cr, "SELECT id FROM after_sales_contract WHERE state = 'active' "
                            "AND visit_frequency != 'none' ORDER BY id LIMIT 1")
    far = "(now() at time zone 'UTC')::date"
    common = {"state": "'active'", "is_expiring": "FALSE",
              "date_end": far + " + 700", "date_start": far + " - 30"}
    copy_rows(cr, "after_sales_contract", template, open_count, dict(
        common, name="'BJO' || lpad(g::text, 8, '0')", next_visit_date=far + " + 300"))
    copy_rows(cr, "after_sales_contract", template, changed, dict(
        common, name="'BJC' || lpad(g::text, 8, '0')", next_visit_date=far))
    cr.execute("ANALYZE after_sales_contract")


PASSES = (
    ("escalation", escalation_data, "after_sales.request", "_cron_update_time_limits"),
    ("callback generation", callback_data, "after_sales.callback", "_cron_generate"),
    ("contract planning", contract_data, "after_sales.contract", "_cron_daily"),
)


def perform_enqueued(env, after_id):
    """Perform inline every queue job enqueued by the pass (none when it runs inline)."""
    if "queue.job" not in env.registry:
        return 0
    from odoo.addons.queue_job.job import Job
    jobs = env["queue.job"].sudo().search([("id", ">", after_id), ("state", "=", "pending")],
                                         order="id")
    for record in jobs:
        job = Job.load(env, record.uuid)
        job.set_started()
        job.perform()
        job.set_done()
        job.store()
    return len(jobs)


def measure_pass(env, make_data, model, method, open_count, changed):
    cr = env.cr
    cr.execute("SAVEPOINT bench_job")
    try:
        make_data(cr, open_count, changed)
        env.clear()
        cr.execute("SELECT COALESCE(max(id), 0) FROM queue_job")
        last_job = cr.fetchone()[0]
        count = cr.sql_log_count
        start = time.perf_counter()
        getattr(env[model], method)()
        jobs = perform_enqueued(env, last_job)
        env["base"].recompute()
        seconds = time.perf_counter() - start
        return seconds, cr.sql_log_count - count, jobs
    finally:
        cr.execute("ROLLBACK TO SAVEPOINT bench_job")
        env.clear()


def job_figures(odoo, registry, env):
    from peers import Goal
    goals = []
    print("\njob passes (changed records among open ones; a pass performs its queue jobs)")
    for label, make_data, model, method in PASSES:
        results = {}
        for open_count in OPEN:
            for changed in CHANGED:
                seconds, queries, jobs = measure_pass(env, make_data, model, method,
                                                      open_count, changed)
                results[(open_count, changed)] = (seconds, queries)
                print("  %-20s %6d changed among %6d open: %7.2f s %7d queries "
                      "(%5.1f per changed record, %d jobs)"
                      % (label, changed, open_count, seconds, queries,
                         float(queries) / changed, jobs), flush=True)
        seconds, queries = results[(OPEN[-1], CHANGED[-1])]
        goals.append(Goal("%s: 1,000 changed among 100k" % label,
                          "%.2f s < %.0f s" % (seconds, MAX_SECONDS), seconds < MAX_SECONDS))
        per_record = float(queries) / CHANGED[-1]
        goals.append(Goal("%s: queries per changed record" % label,
                          "%.1f <= %d" % (per_record, MAX_QUERIES_PER_RECORD),
                          per_record <= MAX_QUERIES_PER_RECORD))
        small, big = results[(OPEN[0], CHANGED[-1])][1], results[(OPEN[-1], CHANGED[-1])][1]
        goals.append(Goal("%s: queries at 10k = at 100k open" % label,
                          "%d vs %d" % (small, big), small == big))
    return goals
