# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# a visit is on time when the technician arrived at most this late after the planned time
ON_TIME_MINUTES = 30
FINISHED = "('done', 'verified')"
# the local date of a UTC timestamp column, in the time zone of the subject row `s`
LOCAL_DATE = "(({col} AT TIME ZONE 'UTC') AT TIME ZONE s.tz)::date"
# the working day after a date (Monday to Friday; holidays are not known here)
NEXT_WORKING_DAY = ("({day} + CASE EXTRACT(ISODOW FROM {day}) WHEN 5 THEN 3 WHEN 6 THEN 2 "
                    "ELSE 1 END)")
FIGURES = ("nbr_visits", "nbr_on_time", "on_time_rate", "nbr_answered", "nbr_satisfied",
           "satisfaction_rate", "nbr_complaints", "nbr_repairs", "nbr_first_time_fixes",
           "first_time_fix_rate", "nbr_callbacks_handled", "nbr_records_on_time",
           "records_on_time_rate", "date_figures")


class AssessmentFiguresMixin(models.AbstractModel):
    """The figures of an assessment (考核) over a period, filled by the system from the
    visits, callbacks and complaints of its subject: a technician (the staff assessment) or a
    service station (the station assessment, through the requests dispatched to it). Each
    model says which rows are its subject's (_figures_conditions); the figures of a whole
    set of assessments are computed in one query per kind of document.

    - visits: completed (done or verified) whose departure falls in the period;
    - on time: of those, arrived at most ON_TIME_MINUTES after the planned time;
    - satisfaction: the answered callbacks recorded in the period, satisfied / answered;
    - complaints: received in the period (not cancelled);
    - first-time fix: of the repair visits of a request, those that are the request's only
      completed visit;
    - callbacks handled: callbacks recorded in the period by the subject (staff only);
    - records on time: completed visits whose record was verified by the next working day.
    Dates are the company's local dates."""

    _name = "after_sales.assessment.figures.mixin"
    _description = "Assessment Figures"

    date_from = fields.Date("From", required=True, readonly=True,
                            states={"draft": [("readonly", False)]})
    date_to = fields.Date("To", required=True, readonly=True,
                          states={"draft": [("readonly", False)]})
    nbr_visits = fields.Integer("Visits Done", readonly=True, copy=False)
    nbr_on_time = fields.Integer("Arrived on Time", readonly=True, copy=False)
    on_time_rate = fields.Float("On-Time Rate (%)", readonly=True, copy=False,
                                digits=(16, 1), group_operator="avg")
    nbr_answered = fields.Integer("Callbacks Answered", readonly=True, copy=False)
    nbr_satisfied = fields.Integer("Satisfied Callbacks", readonly=True, copy=False)
    satisfaction_rate = fields.Float("Satisfaction Rate (%)", readonly=True, copy=False,
                                     digits=(16, 1), group_operator="avg")
    nbr_complaints = fields.Integer("Complaints", readonly=True, copy=False)
    nbr_repairs = fields.Integer("Repair Visits", readonly=True, copy=False)
    nbr_first_time_fixes = fields.Integer("Fixed at the First Visit", readonly=True,
                                          copy=False)
    first_time_fix_rate = fields.Float("First-Time Fix Rate (%)", readonly=True, copy=False,
                                       digits=(16, 1), group_operator="avg")
    nbr_callbacks_handled = fields.Integer("Callbacks Handled", readonly=True, copy=False)
    nbr_records_on_time = fields.Integer("Records Handed in on Time", readonly=True,
                                         copy=False)
    records_on_time_rate = fields.Float("Records on Time (%)", readonly=True, copy=False,
                                        digits=(16, 1), group_operator="avg")
    date_figures = fields.Datetime("Figures Computed On", readonly=True, copy=False)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for record in self:
            if record.date_from and record.date_to and record.date_to < record.date_from:
                raise ValidationError(_("To: the period can't end before it starts."))

    # ------------------------------------------------------------------ what each model gives

    def _figures_subject(self):
        """The id of the technician (res.users) or station (res.partner) assessed."""
        raise NotImplementedError()

    @api.model
    def _figures_conditions(self):
        """SQL conditions (constants of the module) saying that a visit `v`, a callback `c`,
        a complaint `k` are those of the subject `s.subject_id`; "handled" (callbacks `c`
        recorded by the subject) may be None."""
        raise NotImplementedError()

    # ------------------------------------------------------------------ computation

    def _figures_rows(self):
        """The subject table of the set, as SQL and its parameters."""
        rows = [(record.id, record._figures_subject(), record.company_id.id, record.date_from,
                 record.date_to, record.company_id.sudo().partner_id.tz or self.env.user.tz
                 or "UTC") for record in self]
        columns = list(zip(*rows)) if rows else [(), (), (), (), (), ()]
        subject = ("WITH s (rec_id, subject_id, company_id, d_from, d_to, tz) AS ("
                   "SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::date[], "
                   "%s::date[], %s::varchar[])) ")
        return subject, [list(column) for column in columns]

    def _figures_query(self, query):
        subject, params = self._figures_rows()
        self.env.cr.execute(subject + query, params)
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _compute_figure_values(self):
        """{record id: figure values} of the whole set: one query for the visits, one for the
        callbacks, one for the complaints (and one for the callbacks handled)."""
        cond = self._figures_conditions()
        visits = self._figures_query("""
            SELECT s.rec_id, COUNT(v.id),
                   COUNT(v.id) FILTER (WHERE v.date_arrival <= v.date_planned
                                       + interval '{minutes} minutes'),
                   COUNT(v.id) FILTER (WHERE v.purpose = 'repair' AND v.request_id IS NOT NULL),
                   COUNT(v.id) FILTER (WHERE v.purpose = 'repair' AND v.request_id IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM after_sales_visit v2
                                        WHERE v2.request_id = v.request_id AND v2.id != v.id
                                          AND v2.state IN {finished})),
                   COUNT(v.id) FILTER (WHERE v.date_verified IS NOT NULL
                       AND {verified} <= {next_day})
              FROM s JOIN after_sales_visit v
                ON v.company_id = s.company_id AND v.state IN {finished}
               AND {departed} BETWEEN s.d_from AND s.d_to AND ({visit})
             GROUP BY s.rec_id""".format(
                 minutes=ON_TIME_MINUTES, finished=FINISHED, visit=cond["visit"],
                 verified=LOCAL_DATE.format(col="v.date_verified"),
                 departed=LOCAL_DATE.format(col="v.date_departure"),
                 next_day=NEXT_WORKING_DAY.format(
                     day=LOCAL_DATE.format(col="v.date_departure"))))
        callbacks = self._figures_query("""
            SELECT s.rec_id, COUNT(c.id) FILTER (WHERE c.answered),
                   COUNT(c.id) FILTER (WHERE c.answered AND c.satisfied)
              FROM s JOIN after_sales_callback c
                ON c.company_id = s.company_id AND c.state = 'done'
               AND {done} BETWEEN s.d_from AND s.d_to AND ({callback})
             GROUP BY s.rec_id""".format(done=LOCAL_DATE.format(col="c.date_done"),
                                         callback=cond["callback"]))
        complaints = self._figures_query("""
            SELECT s.rec_id, COUNT(k.id)
              FROM s JOIN after_sales_complaint k
                ON k.company_id = s.company_id AND k.active AND k.state != 'cancel'
               AND {received} BETWEEN s.d_from AND s.d_to AND ({complaint})
             GROUP BY s.rec_id""".format(received=LOCAL_DATE.format(col="k.date_received"),
                                         complaint=cond["complaint"]))
        handled = {}
        if cond.get("handled"):
            handled = self._figures_query("""
                SELECT s.rec_id, COUNT(c.id)
                  FROM s JOIN after_sales_callback c
                    ON c.company_id = s.company_id AND c.state = 'done'
                   AND {done} BETWEEN s.d_from AND s.d_to AND ({handled})
                 GROUP BY s.rec_id""".format(done=LOCAL_DATE.format(col="c.date_done"),
                                             handled=cond["handled"]))
        now = fields.Datetime.now()
        values = {}
        for record in self:
            done, on_time, repairs, first, records = visits.get(record.id, (0, 0, 0, 0, 0))
            answered, satisfied = callbacks.get(record.id, (0, 0))
            values[record.id] = {
                "nbr_visits": done, "nbr_on_time": on_time, "on_time_rate": _rate(on_time, done),
                "nbr_answered": answered, "nbr_satisfied": satisfied,
                "satisfaction_rate": _rate(satisfied, answered),
                "nbr_complaints": complaints.get(record.id, (0,))[0],
                "nbr_repairs": repairs, "nbr_first_time_fixes": first,
                "first_time_fix_rate": _rate(first, repairs),
                "nbr_callbacks_handled": handled.get(record.id, (0,))[0],
                "nbr_records_on_time": records, "records_on_time_rate": _rate(records, done),
                "date_figures": now,
            }
        return values

    def _write_figures(self):
        """Fill the figures of the set (the system's: no user writes them) in one UPDATE of
        every record from a VALUES list, then drop them from the cache."""
        values = self._compute_figure_values()
        if not values:
            return True
        names = sorted(next(iter(values.values())))
        for name in names:
            assert name in self._fields and self._fields[name].store  # column names only
        types = {"integer": "int", "float": "numeric", "datetime": "timestamp"}
        casts = ["%s::{}".format(types[self._fields[name].type]) for name in names]
        rows = ", ".join(["(%s::int, {})".format(", ".join(casts))] * len(values))
        params = []
        for record_id, vals in sorted(values.items()):
            params += [record_id] + [vals[name] for name in names]
        query = "UPDATE {table} SET {sets} FROM (VALUES {rows}) AS f (id, {cols}) " \
                "WHERE {table}.id = f.id".format(
                    table=self._table, rows=rows, cols=", ".join(names),
                    sets=", ".join("{0} = f.{0}".format(name) for name in names))
        self.env.cr.execute(query, params)
        self.invalidate_cache(fnames=names, ids=list(values))
        return True


def _rate(part, whole):
    """part / whole in percent, to one decimal (0 when there is nothing to count)."""
    return round(100.0 * part / whole, 1) if whole else 0.0
