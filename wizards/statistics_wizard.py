# -*- coding: utf-8 -*-
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.misc import formatLang

from ..models.statistics_export import REPORTS as EXPORT_REPORTS
from ..reports.money_report import INCOME_KINDS, KINDS as MONEY_KINDS
from ..reports.request_report import RESULTS

TREND_MONTHS = 12
DETAIL_CHUNK = 2000  # rows fetched at a time from the server-side cursor of the detail sheet
# how the figures of a column are shown (screen, PDF) and formatted (Excel)
COLUMN_TYPES = ("text", "int", "qty", "percent", "hours", "money")


class Statistics(models.TransientModel):
    """Monthly service statistics (《售后服务部维修统计表》) of a period, a company and
    optionally a team.

    Every figure is computed once, by one `_table_*` method reading the analysis SQL views
    (after_sales.*.report) or the documents through `read_group`, never record by record; the
    screen, the Excel workbook and the PDF all show what `_statistics_tables` returns.

    Bases: requests by their received (registration) date, with their outcome as it stands
    now; visits by arrival; parts by the date they were issued; callbacks by the date they were
    made; complaints opened by received date and closed by closing date; returns by
    registration date; money by invoice or entry date. The team keeps the documents of its
    requests only."""

    _name = "after_sales.statistics"
    _description = "Service Statistics"

    # the title of the form and of its breadcrumb: "售后服务部维修统计表 2026-01-01 – 2026-01-31"
    name = fields.Char(compute="_compute_name")
    # a preset fills the dates (read-only then); the dates are what the statistics read
    period = fields.Selection([("this_month", "This Month"), ("last_month", "Last Month"),
                               ("this_quarter", "This Quarter"), ("this_year", "This Year"),
                               ("last_year", "Last Year"), ("custom", "Custom")],
                              "Statistics Period", required=True, default="this_month",
                              help="A preset period fills in the dates; choose Custom to "
                                   "type them.")
    date_from = fields.Date("Start Date", required=True,
                            default=lambda self: self._default_date_from())
    date_to = fields.Date("End Date", required=True,
                          default=lambda self: self._default_date_to())
    # the company rules show the documents of the user's current company and its children
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id,
                                 domain=lambda self: [("id", "child_of",
                                                       self.env.user.company_id.ids)])
    team_id = fields.Many2one("after_sales.team",
                              help="Leave empty for the whole company. With a team: only its "
                                   "requests, and the visits, parts, callbacks, complaints, "
                                   "returns and money linked to them.")
    top_count = fields.Integer("Top Customers and Products", default=20,
                               help="How many of the customers, and of the products, with the "
                                    "most requests get a line of their own; the others are "
                                    "added up on one line.")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    result_html = fields.Html("Statistics", readonly=True, sanitize=False)

    # ------------------------------------------------------------------ defaults, checks

    @api.model
    def _default_date_from(self):
        return self._period_dates("this_month")["date_from"]

    @api.model
    def _default_date_to(self):
        return self._period_dates("this_month")["date_to"]

    @api.model
    def _period_dates(self, period):
        """{'date_from', 'date_to'} of a preset period, around the user's today."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        month = today.replace(day=1)
        start, months = {
            "this_month": (month, 1),
            "last_month": (month - relativedelta(months=1), 1),
            "this_quarter": (month - relativedelta(months=(today.month - 1) % 3), 3),
            "this_year": (month.replace(month=1), 12),
            "last_year": (month.replace(year=today.year - 1, month=1), 12),
        }[period]
        return {"date_from": fields.Date.to_string(start),
                "date_to": fields.Date.to_string(start + relativedelta(months=months, days=-1))}

    @api.onchange("period")
    def _onchange_period(self):
        if self.period and self.period != "custom":
            self.update(self._period_dates(self.period))

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for wizard in self:
            wizard.name = "%s %s \u2013 %s" % (wizard._report_title(), wizard.date_from or "",
                                               wizard.date_to or "")

    @api.constrains("date_from", "date_to", "top_count", "company_id")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The period must start before it ends."))
            if wizard.top_count < 1:
                raise ValidationError(_("List at least one customer and product."))
            if wizard.company_id not in self.env["res.company"].sudo().search(
                    [("id", "child_of", self.env.user.company_id.ids)]):
                raise ValidationError(_("You can only see the statistics of your companies."))

    # ------------------------------------------------------------------ buttons

    @api.multi
    def action_show(self):
        self.ensure_one()
        values = self._report_values()
        html = self.env["ir.qweb"].render("after_sales_service.statistics_tables", values)
        self.result_html = html.decode("utf-8") if isinstance(html, bytes) else html
        return True

    @api.multi
    def action_export_xlsx(self):
        self.ensure_one()
        return self._export_action("xlsx")

    @api.multi
    def action_print_pdf(self):
        self.ensure_one()
        return self._export_action("pdf")

    # ------------------------------------------------------------------ period

    def _tz(self):
        """The time zone the days of the period are counted in: the company's (as its working
        time), else the user's. Read without prefetching the company's and partner's other
        fields: every table asks for it."""
        wizard = self.with_context(prefetch_fields=False)
        return pytz.timezone(wizard.company_id.partner_id.tz or wizard.env.user.tz or "UTC")

    def _utc(self, day):
        """The UTC moment (Odoo datetime string) the given local day starts."""
        local = self._tz().localize(datetime.combine(day, time.min))
        return fields.Datetime.to_string(local.astimezone(pytz.UTC).replace(tzinfo=None))

    def _period_utc(self):
        start = fields.Date.from_string(self.date_from)
        end = fields.Date.from_string(self.date_to) + timedelta(days=1)
        return self._utc(start), self._utc(end)

    def _trend_months(self):
        """[(label 'YYYY-MM', UTC start, UTC end)] of the 12 months ending with date_to's."""
        last = fields.Date.from_string(self.date_to).replace(day=1)
        months = []
        for back in range(TREND_MONTHS - 1, -1, -1):
            start = last - relativedelta(months=back)
            months.append((start.strftime("%Y-%m"), self._utc(start),
                           self._utc(start + relativedelta(months=1))))
        return months

    def _domain(self, date_field, start=None, end=None, team_path="team_id"):
        """Company, team and [start, end[ on a datetime field (the period by default)."""
        if start is None:
            start, end = self._period_utc()
        domain = [("company_id", "=", self.company_id.id),
                  (date_field, ">=", start), (date_field, "<", end)]
        if self.team_id:
            domain.append((team_path, "=", self.team_id.id))
        return domain

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _rate(part, whole):
        """A share as a fraction (0.25 for 25%), None when there is nothing to divide."""
        return float(part) / whole if whole else None

    @staticmethod
    def _make_table(key, sheet, title, columns, rows, total=None, note=None):
        """A table: columns are (label, type) pairs, type in COLUMN_TYPES; rows and total are
        lists of values (None where a rate or a mean has nothing to be computed from)."""
        return {"key": key, "sheet": sheet, "title": title, "columns": columns, "rows": rows,
                "total": total, "note": note}

    def _selection_labels(self, model, field_name):
        return self.env[model]._fields[field_name]._description_selection(self.env)

    def _read_groups(self, model, domain, measures, groupby, orderby=False, limit=None):
        """read_group on every groupby at once (lazy=False: the count is '__count'); the
        grouped products and technicians are named in SQL (after_sales.group.names.mixin)."""
        groupby = [groupby] if isinstance(groupby, str) else list(groupby)
        fields_list = list(measures) + [g.split(":")[0] for g in groupby]
        return self.env[model].read_group(domain, fields_list, groupby, orderby=orderby,
                                          limit=limit, lazy=False)

    def _read_total(self, model, domain, measures):
        """The aggregates of all the rows of the domain (read_group without groupby)."""
        result = self.env[model].read_group(domain, list(measures), [], lazy=False)
        total = dict(result[0]) if result else {}
        return {name: total.get(name) or 0 for name in list(measures) + ["__count"]}

    @staticmethod
    def _key(value):
        """The raw value of a group (the id of a many2one)."""
        return value[0] if isinstance(value, (list, tuple)) else value

    # ------------------------------------------------------------------ requests

    _REQUEST_MEASURES = ("nbr_requests", "nbr_in_warranty", "nbr_resolved")

    def _request_domain(self, start=None, end=None):
        return self._domain("date", start, end)

    def _request_columns(self, label):
        return [(label, "text"), (_("Requests"), "int"), (_("Share"), "percent"),
                (_("In Warranty"), "int"), (_("Resolved"), "int")]

    def _request_row(self, label, group, total_requests):
        return [label, group.get("nbr_requests") or 0,
                self._rate(group.get("nbr_requests") or 0, total_requests),
                group.get("nbr_in_warranty") or 0, group.get("nbr_resolved") or 0]

    def _request_totals(self):
        return self._read_total("after_sales.request.report", self._request_domain(),
                                self._REQUEST_MEASURES)

    def _requests_by_selection(self, field_name, key, sheet, title, label):
        """One row per value of a selection of the request, zero rows included."""
        groups = self._read_groups("after_sales.request.report", self._request_domain(),
                                   self._REQUEST_MEASURES, field_name)
        by_value = {g[field_name]: g for g in groups}
        total = self._request_totals()
        rows = [self._request_row(name, by_value.get(value, {}), total["nbr_requests"])
                for value, name in self._selection_labels("after_sales.request", field_name)]
        return self._make_table(key, sheet, title, self._request_columns(label), rows,
                                self._request_row(_("Total"), total, total["nbr_requests"]))

    def _requests_ranked(self, field_name, key, sheet, title, label, none_label, others_label):
        """The `top_count` values with the most requests, then one line for the others."""
        groups = self._read_groups("after_sales.request.report", self._request_domain(),
                                   self._REQUEST_MEASURES, field_name,
                                   orderby="nbr_requests desc, %s" % field_name,
                                   limit=self.top_count)
        total = self._request_totals()
        rows = [self._request_row(g[field_name][1] if g[field_name] else none_label, g,
                                  total["nbr_requests"]) for g in groups]
        others = {name: total[name] - sum(g.get(name) or 0 for g in groups)
                  for name in self._REQUEST_MEASURES}
        if others["nbr_requests"]:
            rows.append(self._request_row(others_label, others, total["nbr_requests"]))
        return self._make_table(key, sheet, title, self._request_columns(label), rows,
                                self._request_row(_("Total"), total, total["nbr_requests"]))

    def _table_by_category(self):
        return self._requests_by_selection("category", "by_category", _("By Category"),
                                           _("Requests by Category"), _("Category"))

    def _table_by_channel(self):
        return self._requests_by_selection("channel", "by_channel", _("By Channel"),
                                           _("Requests by Channel"), _("Channel"))

    def _table_by_product(self):
        return self._requests_ranked("product_id", "by_product", _("By Product"),
                                     _("Requests by Product"), _("Product"),
                                     _("No Product"), _("Other Products"))

    def _table_by_customer(self):
        return self._requests_ranked("partner_id", "by_customer", _("By Customer"),
                                     _("Requests by Customer"), _("Customer"),
                                     _("No Customer"), _("Other Customers"))

    _TIME_MEASURES = ("nbr_requests", "nbr_responded", "nbr_response_on_time",
                      "response_hours", "nbr_resolved", "nbr_resolved_on_time", "resolve_hours",
                      "nbr_late")

    def _time_limit_row(self, label, group):
        def value(name):
            return group.get(name) or 0
        return [label, value("nbr_requests"),
                value("nbr_responded"), value("nbr_response_on_time"),
                self._rate(value("nbr_response_on_time"), value("nbr_responded")),
                group.get("response_hours") if value("nbr_responded") else None,
                value("nbr_resolved"), value("nbr_resolved_on_time"),
                self._rate(value("nbr_resolved_on_time"), value("nbr_resolved")),
                group.get("resolve_hours") if value("nbr_resolved") else None,
                value("nbr_late")]

    def _table_time_limits(self):
        """On-time response and resolution per time limit rule, and the mean working hours
        (frozen on each request when it was responded to and resolved)."""
        groups = self._read_groups("after_sales.request.report", self._request_domain(),
                                   self._TIME_MEASURES, "sla_rule_id",
                                   orderby="sla_rule_id")
        rows = [self._time_limit_row(g["sla_rule_id"][1] if g["sla_rule_id"]
                                     else _("No Time Limit"), g) for g in groups]
        total = self._read_total("after_sales.request.report", self._request_domain(),
                                 self._TIME_MEASURES)
        columns = [(_("Time Limit Rule"), "text"), (_("Requests"), "int"),
                   (_("Responded"), "int"), (_("Responded on Time"), "int"),
                   (_("Response On-Time Rate"), "percent"),
                   (_("Mean Response Time (working h)"), "hours"),
                   (_("Resolved"), "int"), (_("Resolved on Time"), "int"),
                   (_("Resolution On-Time Rate"), "percent"),
                   (_("Mean Resolution Time (working h)"), "hours"),
                   (_("Open and Late"), "int")]
        return self._make_table("time_limits", _("Time Limits"),
                                _("On-Time Response and Resolution"), columns, rows,
                                self._time_limit_row(_("Total"), total))

    def _table_results(self):
        """Repair results: how the requests were resolved (the most expensive rung of the
        ladder used), or that they are not resolved yet."""
        measures = ("nbr_requests", "nbr_in_warranty", "resolve_hours")
        groups = self._read_groups("after_sales.request.report", self._request_domain(),
                                   measures, "result")
        by_value = {g["result"]: g for g in groups}
        total = self._read_total("after_sales.request.report", self._request_domain(), measures)
        labels = dict(self._selection_labels("after_sales.request.report", "result"))

        def row(label, group, resolved):
            count = group.get("nbr_requests") or 0
            return [label, count, self._rate(count, total["nbr_requests"]),
                    group.get("nbr_in_warranty") or 0,
                    group.get("resolve_hours") if resolved and count else None]
        rows = [row(labels[value], by_value.get(value, {}), value != "open")
                for value, _label in RESULTS]
        resolved_total = self._read_total(
            "after_sales.request.report", self._request_domain() + [("result", "!=", "open")],
            ("nbr_requests", "resolve_hours"))
        total_row = row(_("Total"), total, False)
        total_row[4] = resolved_total["resolve_hours"] if resolved_total["nbr_requests"] else None
        columns = [(_("Result"), "text"), (_("Requests"), "int"), (_("Share"), "percent"),
                   (_("In Warranty"), "int"), (_("Mean Resolution Time (working h)"), "hours")]
        return self._make_table("results", _("Repair Results"), _("Repair Results"), columns,
                                rows, total_row)

    # ------------------------------------------------------------------ visits

    def _visit_table(self, key, sheet, title, groupby, label, none_label, measures):
        """Visits completed in the period (by arrival), per technician or per station."""
        Report = "after_sales.visit.technician.report"
        domain = self._domain("date")
        groups = self._read_groups(Report, domain, measures, groupby,
                                   orderby="%s desc, %s" % (measures[0], groupby))
        total = self._read_total(Report, domain, measures)

        def row(label, group):
            return [label] + [group.get(name) or 0 for name in measures]
        rows = [row(g[groupby][1] if g[groupby] else none_label, g) for g in groups]
        columns = [(label, "text"), (_("Visits"), "int"), (_("Overtime Visits"), "int"),
                   (_("Overtime Days"), "int"), (_("Hours on Site"), "hours")]
        return self._make_table(key, sheet, title, columns[:len(measures) + 1], rows,
                                row(_("Total"), total))

    def _table_visits_by_technician(self):
        """A visit counts for each of its technicians (each earns its overtime days); the total
        line adds the technicians' figures."""
        return self._visit_table(
            "visits_technician", _("Visits by Technician"), _("Visits Done by Technician"),
            "technician_id", _("Technician"), _("No Technician"),
            ("nbr_technician_visits", "nbr_technician_overtime", "overtime_days",
             "hours_on_site"))

    def _table_visits_by_station(self):
        """Each visit once, under the service station of its request (our own technicians when
        none)."""
        return self._visit_table(
            "visits_station", _("Visits by Station"), _("Visits Done by Service Station"),
            "station_id", _("Service Station"), _("Own Technicians"),
            ("nbr_visits", "nbr_overtime_visits", "visit_overtime_days"))

    # ------------------------------------------------------------------ parts

    def _table_parts(self):
        """Parts issued by the outbound orders (returns of issued parts deducted), charged to
        the customer or sent in warranty, at cost value."""
        Report = "after_sales.parts.issue.report"
        domain = self._domain("date_done", team_path="request_id.team_id")
        groups = self._read_groups(Report, domain, ("quantity", "value"),
                                   ["product_id", "charged"], orderby="product_id")
        rows, by_product = [], {}
        for group in groups:
            product = group["product_id"]
            if product[0] not in by_product:
                by_product[product[0]] = [product[1], 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
                rows.append(by_product[product[0]])
            row = by_product[product[0]]
            offset = 1 if group["charged"] else 3
            row[offset] += group["quantity"] or 0.0
            row[offset + 1] += group["value"] or 0.0
            row[5] += group["quantity"] or 0.0
            row[6] += group["value"] or 0.0
        total = [_("Total")] + [sum(row[i] for row in rows) for i in range(1, 7)]
        columns = [(_("Part"), "text"), (_("Charged Quantity"), "qty"),
                   (_("Charged Value"), "money"), (_("Warranty Quantity"), "qty"),
                   (_("Warranty Value"), "money"), (_("Total Quantity"), "qty"),
                   (_("Total Value"), "money")]
        return self._make_table("parts", _("Parts Issued"), _("Parts Issued"), columns, rows,
                                total, _("Value at cost."))

    # ------------------------------------------------------------------ satisfaction

    def _satisfaction_columns(self, label):
        return [(label, "text"), (_("Callbacks Answered"), "int"), (_("Satisfied"), "int"),
                (_("Satisfaction Rate"), "percent")]

    def _satisfaction_row(self, label, answered, satisfied):
        return [label, answered, satisfied, self._rate(satisfied, answered)]

    def _table_satisfaction_technician(self):
        """Answered callbacks per technician of the visit (one callback counts for each of its
        technicians), from the satisfaction analysis."""
        Report = "after_sales.satisfaction.report"
        domain = self._domain("date_done")
        groups = self._read_groups(Report, domain, ("answered", "satisfied"), "technician_id",
                                   orderby="technician_id")
        rows = [self._satisfaction_row(g["technician_id"][1] if g["technician_id"]
                                       else _("No Technician"),
                                       g["answered"] or 0, g["satisfied"] or 0) for g in groups]
        return self._make_table("satisfaction_technician", _("Satisfaction by Technician"),
                                _("Satisfaction by Technician"),
                                self._satisfaction_columns(_("Technician")), rows,
                                self._satisfaction_total())

    def _callback_domain(self, start=None, end=None):
        return self._domain("date_done", start, end, team_path="request_id.team_id") + [
            ("state", "=", "done"), ("answered", "=", True)]

    def _satisfaction_total(self):
        groups = self._read_groups("after_sales.callback", self._callback_domain(), (),
                                   "satisfied")
        answered = sum(g["__count"] for g in groups)
        satisfied = sum(g["__count"] for g in groups if g["satisfied"])
        return self._satisfaction_row(_("Total"), answered, satisfied)

    def _satisfaction_by(self, field_name, key, sheet, title, label, none_label):
        """Answered callbacks per service station or product, each callback once."""
        groups = self._read_groups("after_sales.callback", self._callback_domain(), (),
                                   [field_name, "satisfied"], orderby=field_name)
        rows, by_value = [], {}
        for group in groups:
            value = self._key(group[field_name])
            if value not in by_value:
                name = group[field_name][1] if group[field_name] else none_label
                by_value[value] = self._satisfaction_row(name, 0, 0)
                rows.append(by_value[value])
            row = by_value[value]
            row[1] += group["__count"]
            row[2] += group["__count"] if group["satisfied"] else 0
        for row in rows:
            row[3] = self._rate(row[2], row[1])
        return self._make_table(key, sheet, title, self._satisfaction_columns(label), rows,
                                self._satisfaction_total())

    def _table_satisfaction_station(self):
        return self._satisfaction_by("station_id", "satisfaction_station",
                                     _("Satisfaction by Station"),
                                     _("Satisfaction by Service Station"), _("Service Station"),
                                     _("Own Technicians"))

    def _table_satisfaction_product(self):
        return self._satisfaction_by("product_id", "satisfaction_product",
                                     _("Satisfaction by Product"), _("Satisfaction by Product"),
                                     _("Product"), _("No Product"))

    # ------------------------------------------------------------------ complaints

    def _table_complaints(self):
        """Per class: complaints opened (received) in the period, closed in it and closed
        within their time limit; corrective/preventive actions still open at the end of the
        period, and those of them past their deadline then."""
        Report = "after_sales.complaint.report"
        opened = {g["complaint_class"]: g["nbr_complaints"] for g in self._read_groups(
            Report, self._domain("date"), ("nbr_complaints",), "complaint_class")}
        closed = {g["complaint_class"]: g for g in self._read_groups(
            Report, self._domain("date_closed"), ("nbr_closed", "nbr_closed_on_time"),
            "complaint_class")}
        open_actions, overdue = self._open_actions()
        classes = self._selection_labels("after_sales.complaint", "complaint_class")
        rows = []
        for value, label in classes + [(False, _("Not Classified"))]:
            group = closed.get(value, {})
            rows.append([label, opened.get(value, 0), group.get("nbr_closed") or 0,
                         group.get("nbr_closed_on_time") or 0,
                         self._rate(group.get("nbr_closed_on_time") or 0,
                                    group.get("nbr_closed") or 0),
                         open_actions.get(value, 0), overdue.get(value, 0)])
        total = [_("Total")] + [sum(row[i] for row in rows) for i in range(1, 4)]
        total += [self._rate(total[3], total[2]), sum(row[5] for row in rows),
                  sum(row[6] for row in rows)]
        columns = [(_("Class"), "text"), (_("Opened"), "int"), (_("Closed"), "int"),
                   (_("Closed on Time"), "int"), (_("Closing On-Time Rate"), "percent"),
                   (_("Open Actions"), "int"), (_("Overdue Actions"), "int")]
        return self._make_table("complaints", _("Complaints"), _("Complaints"), columns, rows,
                                total)

    def _open_actions(self):
        """Per class, the corrective/preventive actions open at the end of the period (created
        before it ended, not done by then), and those of them past their deadline then."""
        end = self._period_utc()[1]
        domain = [("company_id", "=", self.company_id.id), ("date", "<", end),
                  "|", ("date_done", "=", False), ("date_done", ">", self.date_to)]
        if self.team_id:
            domain.append(("team_id", "=", self.team_id.id))
        Report = "after_sales.complaint.action.report"
        open_actions = self._read_groups(Report, domain, ("nbr_actions",), "complaint_class")
        overdue = self._read_groups(Report, domain + [("date_deadline", "<", self.date_to)],
                                    ("nbr_actions",), "complaint_class")
        return ({g["complaint_class"]: g["nbr_actions"] for g in open_actions},
                {g["complaint_class"]: g["nbr_actions"] for g in overdue})

    # ------------------------------------------------------------------ returns

    _RETURN_MEASURES = ("nbr_cases", "qty_received", "qty_repair", "qty_exchange", "nbr_refund",
                        "qty_scrap", "qty_restock", "qty_supplier", "amount_refund",
                        "amount_compensation")

    def _table_returns(self):
        """Returns (客退品) and 三包 (repair / replace / refund) per cause: what was received
        and how it was disposed of, and the refunds and compensation executed."""
        Report = "after_sales.return.report"
        domain = self._domain("date", team_path="return_id.request_id.team_id")
        groups = {g["cause"]: g for g in self._read_groups(Report, domain,
                                                           self._RETURN_MEASURES, "cause")}
        total = self._read_total(Report, domain, self._RETURN_MEASURES)

        def row(label, group):
            return [label] + [group.get(name) or 0 for name in self._RETURN_MEASURES]
        rows = [row(label, groups.get(value, {}))
                for value, label in self._selection_labels("after_sales.return", "cause")]
        columns = [(_("Cause"), "text"), (_("Cases"), "int"), (_("Received Qty"), "qty"),
                   (_("Repaired"), "qty"), (_("Replaced"), "qty"), (_("Refunds"), "int"),
                   (_("Scrapped"), "qty"), (_("Restocked"), "qty"),
                   (_("Returned to Supplier"), "qty"), (_("Refund Amount"), "money"),
                   (_("Compensation Amount"), "money")]
        return self._make_table("returns", _("Returns"), _("Returns and Warranty (三包)"),
                                columns, rows, row(_("Total"), total))

    # ------------------------------------------------------------------ money

    def _table_money(self):
        """Money read from accounting: validated and draft invoices, bills and entries apart.
        The last line is the net result: service charges less the costs."""
        domain = [("company_id", "=", self.company_id.id), ("date", ">=", self.date_from),
                  ("date", "<=", self.date_to)]
        if self.team_id:
            domain.append(("team_id", "=", self.team_id.id))
        measures = ("amount_validated", "amount_draft", "amount")
        groups = {g["kind"]: g for g in self._read_groups("after_sales.money.report", domain,
                                                          measures, "kind")}
        labels = dict(self._selection_labels("after_sales.money.report", "kind"))
        rows, net = [], [_("Net (Charges less Costs)"), 0.0, 0.0, 0.0]
        for kind, _label in MONEY_KINDS:
            group = groups.get(kind, {})
            values = [group.get(name) or 0.0 for name in measures]
            rows.append([labels[kind]] + values)
            sign = 1 if kind in INCOME_KINDS else -1
            for i, value in enumerate(values):
                net[i + 1] += sign * value
        columns = [(_("Kind"), "text"), (_("Validated"), "money"), (_("Draft"), "money"),
                   (_("Total"), "money")]
        return self._make_table("money", _("Money"), _("Charges and Costs"), columns, rows,
                                net, _("Untaxed amounts in company currency, from invoices, "
                                       "bills and journal entries; validated = open, paid or "
                                       "posted."))

    # ------------------------------------------------------------------ trend

    def _table_trend(self):
        """The 12 months ending with the period's: requests received, how many of them are
        resolved and on time, and the satisfaction of the callbacks made in the month."""
        months = self._trend_months()
        start, end = months[0][1], months[-1][2]
        tz = self._tz().zone
        requests = self.env["after_sales.request.report"].with_context(tz=tz)._read_group_raw(
            self._request_domain(start, end),
            ["date", "nbr_requests", "nbr_resolved", "nbr_resolved_on_time"],
            ["date:month"], lazy=False)
        by_month = {self._month_start(g["date:month"]): g for g in requests}
        callbacks = self.env["after_sales.callback"].with_context(tz=tz)._read_group_raw(
            self._callback_domain(start, end), ["date_done", "satisfied"],
            ["date_done:month", "satisfied"], lazy=False)
        answered, satisfied = {}, {}
        for group in callbacks:
            month = self._month_start(group["date_done:month"])
            answered[month] = answered.get(month, 0) + group["__count"]
            if group["satisfied"]:
                satisfied[month] = satisfied.get(month, 0) + group["__count"]
        rows = []
        for label, month_start, _end in months:
            group = by_month.get(month_start, {})
            resolved = group.get("nbr_resolved") or 0
            rows.append([label, group.get("nbr_requests") or 0, resolved,
                         self._rate(group.get("nbr_resolved_on_time") or 0, resolved),
                         answered.get(month_start, 0),
                         self._rate(satisfied.get(month_start, 0),
                                    answered.get(month_start, 0))])
        on_time = sum((by_month.get(m[1], {}).get("nbr_resolved_on_time") or 0) for m in months)
        total = [_("Total"), sum(r[1] for r in rows), sum(r[2] for r in rows), None,
                 sum(r[4] for r in rows), None]
        total[3] = self._rate(on_time, total[2])
        total[5] = self._rate(sum(satisfied.values()), total[4])
        columns = [(_("Month"), "text"), (_("Requests"), "int"), (_("Resolved"), "int"),
                   (_("Resolution On-Time Rate"), "percent"),
                   (_("Callbacks Answered"), "int"), (_("Satisfaction Rate"), "percent")]
        return self._make_table("trend", _("Monthly Trend"), _("Monthly Trend (12 Months)"),
                                columns, rows, total)

    # ------------------------------------------------------------------ indicators

    def _indicator_figures(self):
        """The indicators of the period, computed once per wizard and request."""
        cache = self.env.context.get("after_sales_indicators")
        if cache is not None and self.id in cache:
            return cache[self.id]
        start, end = self._period_utc()
        day_after = fields.Date.to_string(fields.Date.from_string(self.date_to)
                                          + timedelta(days=1))
        figures = self.env["after_sales.indicators"]._figures(
            self.company_id, start, end, (self.date_from, day_after), self.team_id)
        if cache is not None:
            cache[self.id] = figures
        return figures

    def _table_indicators(self):
        """R/1000, TGW, CPU, complaint rate and first-time fix rate: value, numerator and
        denominator (the formulas are in the README)."""
        f = self._indicator_figures()
        fix = f["first_time_fix_rate"]
        rows = [
            [_("R/1000 (三包 repairs per 1,000 units delivered)"), f["r1000"], f["repairs_3b"],
             f["units_delivered"]],
            [_("TGW (faults per 1,000 units delivered)"), f["tgw"], f["faults"],
             f["units_delivered"]],
            [_("CPU (warranty cost per unit delivered)"), f["cpu"], f["warranty_cost"],
             f["units_delivered"]],
            [_("Complaint Rate (complaints per 1,000 units delivered)"), f["complaint_rate"],
             f["complaints"], f["units_delivered"]],
            [_("First-Time Fix Rate (%)"), fix * 100.0 if fix is not None else None,
             f["fixed_first_time"], f["repairs_resolved"]],
        ]
        columns = [(_("Indicator"), "text"), (_("Value"), "qty"), (_("Numerator"), "qty"),
                   (_("Denominator"), "qty")]
        note = _("三包 repairs: %(field)s in-warranty field repairs and %(returns)s returned "
                 "units repaired. Units delivered: done deliveries to customers of the "
                 "period.") % {"field": f["repairs_field"],
                               "returns": formatLang(self.env, f["repairs_returns"])}
        return self._make_table("indicators", _("Indicators"), _("Service Indicators"),
                                columns, rows, None, note)

    def _table_warranty_cost(self):
        """The warranty cost of CPU: parts sent in warranty, and the labour, travel and parts
        used of the in-warranty repair visits."""
        f = self._indicator_figures()
        rows = [[_("Parts Sent in Warranty"), f["warranty_parts_cost"]],
                [_("Visit Labour in Warranty"), f["visit_labour"]],
                [_("Visit Travel in Warranty"), f["visit_travel"]],
                [_("Parts Used on Warranty Visits"), f["visit_parts_cost"]]]
        return self._make_table("warranty_cost", _("Warranty Cost"), _("Warranty Cost"),
                                [(_("Component"), "text"), (_("Amount"), "money")], rows,
                                [_("Total"), f["warranty_cost"]],
                                _("Parts at cost; labour and travel as estimated by the fee "
                                  "standard."))

    def _table_parts_quality(self):
        """Old parts inspected in the period, per part and supplier: the supplier-fault
        share of the quantity inspected."""
        start, end = self._period_utc()
        groups = self.env["after_sales.indicators"]._parts_quality(self.company_id, start, end)
        rows, by_key = [], {}
        results = {"supplier": 3, "usage": 4, "no_fault": 5}
        for group in groups:
            key = (self._key(group["product_id"]), self._key(group["supplier_id"]))
            if key not in by_key:
                by_key[key] = [group["product_id"][1] if group["product_id"] else "",
                               group["supplier_id"][1] if group["supplier_id"]
                               else _("No Supplier"), 0.0, 0.0, 0.0, 0.0, None]
                rows.append(by_key[key])
            row = by_key[key]
            qty = group["qty_received"] or 0.0
            row[2] += qty
            row[results[group["inspection_result"]]] += qty
        for row in rows:
            row[6] = self._rate(row[3], row[2])
        total = [_("Total"), ""] + [sum(row[i] for row in rows) for i in range(2, 6)] + [None]
        total[6] = self._rate(total[3], total[2])
        columns = [(_("Part"), "text"), (_("Supplier"), "text"), (_("Inspected"), "qty"),
                   (_("Supplier Fault"), "qty"), (_("Usage Fault"), "qty"),
                   (_("No Fault Found"), "qty"), (_("Supplier Fault Rate"), "percent")]
        return self._make_table("parts_quality", _("Parts Quality"),
                                _("Parts Quality by Part and Supplier"), columns, rows, total,
                                _("Old parts inspected in the period (by inspection date)."))

    def _table_delays(self):
        """The escalated requests received in the period and the reason of their delay."""
        requests = self.env["after_sales.request"].search_read(
            self._domain("date_received") + [("escalated", "=", True)],
            ["name", "partner_id", "resolve_deadline", "delay_reason"],
            order="date_received, id")
        rows = [[r["name"], r["partner_id"] and r["partner_id"][1] or "",
                 r["delay_reason"] or _("Not Given")] for r in requests]
        given = sum(1 for r in requests if r["delay_reason"])
        return self._make_table("delays", _("Delay Reasons"),
                                _("Escalated Requests and Reasons of the Delay"),
                                [(_("Request"), "text"), (_("Customer"), "text"),
                                 (_("Reason of the Delay"), "text")], rows,
                                [_("Total"), _("%(given)s of %(count)s given") % {
                                    "given": given, "count": len(requests)}, ""])

    @staticmethod
    def _month_start(group_value):
        """The UTC start of a month group of _read_group_raw: ('start/end', label)."""
        return group_value[0].split("/")[0] if group_value else None

    # ------------------------------------------------------------------ all tables

    def _table_methods(self):
        return [self._table_by_category, self._table_by_channel, self._table_by_product,
                self._table_by_customer, self._table_time_limits, self._table_results,
                self._table_visits_by_technician, self._table_visits_by_station,
                self._table_parts, self._table_satisfaction_technician,
                self._table_satisfaction_station, self._table_satisfaction_product,
                self._table_complaints, self._table_returns, self._table_money,
                self._table_trend,
                # indicators (reports/indicators.py)
                self._table_indicators, self._table_warranty_cost,
                self._table_parts_quality, self._table_delays]

    def _check_access(self):
        """The statistics read accounting and every document in SQL: the after-sales
        department's (and its managers') only, whatever way they are asked for."""
        if not self.env.user.has_group("after_sales_service.group_user"):
            raise AccessError(_("Only the after-sales department sees the service statistics."))

    @api.multi
    def _statistics_tables(self):
        self.ensure_one()
        self._check_access()
        wizard = self.with_context(after_sales_indicators={})
        return [getattr(wizard, method.__name__)() for method in wizard._table_methods()]

    @api.multi
    def _report_title(self):
        return _("After-Sales Service Department Repair Statistics")

    @api.multi
    def _report_subtitle(self):
        self.ensure_one()
        parts = [_("Period: %(start)s to %(end)s") % {"start": self.date_from,
                                                        "end": self.date_to},
                 _("Company: %s") % self.company_id.name]
        if self.team_id:
            parts.append(_("Team: %s") % self.team_id.name)
        return " · ".join(parts)

    @api.multi
    def _report_values(self):
        """What the screen and the PDF show: the tables formatted as text."""
        self.ensure_one()
        return {"o": self, "title": self._report_title(), "subtitle": self._report_subtitle(),
                "tables": [self._display_table(table) for table in self._statistics_tables()]}

    def _display_table(self, table):
        types = [col_type for _label, col_type in table["columns"]]

        def cells(values):
            return [(self._format_cell(value, col_type),
                     "text-left" if col_type == "text" else "text-right")
                    for value, col_type in zip(values, types)]
        return {
            "title": table["title"], "note": table["note"],
            "headers": [(label, "text-left" if col_type == "text" else "text-right")
                        for label, col_type in table["columns"]],
            "rows": [cells(row) for row in table["rows"]],
            "total": cells(table["total"]) if table["total"] else None,
        }

    def _format_cell(self, value, col_type):
        if col_type == "text":
            return value or ""
        if value is None:
            return "–"
        if col_type == "int":
            return formatLang(self.env, value, digits=0)
        if col_type == "percent":
            return "%s %%" % formatLang(self.env, value * 100.0, digits=1)
        if col_type == "hours":
            return formatLang(self.env, value, digits=1)
        if col_type == "money":
            return formatLang(self.env, value, currency_obj=self.currency_id)
        return formatLang(self.env, value, digits=2)

    # ------------------------------------------------------------------ detail

    def _detail_columns(self):
        """(label, type, width) of the detail sheet's columns, in the order of the query."""
        return [
            (_("Number"), "text", 16), (_("Received"), "datetime", 17),
            (_("Customer"), "text", 28), (_("Product"), "text", 28),
            (_("Category"), "selection:category", 16), (_("Channel"), "selection:channel", 16),
            (_("Priority"), "selection:priority", 9), (_("Team"), "text", 16),
            (_("Responsible"), "text", 16), (_("Service Station"), "text", 20),
            (_("Status"), "selection:state", 12), (_("In Warranty"), "bool", 10),
            (_("Time Limit Rule"), "text", 30), (_("Responded On"), "datetime", 17),
            (_("Response Time (working h)"), "hours", 12), (_("Responded on Time"), "bool", 10),
            (_("Resolved On"), "datetime", 17),
            (_("Resolution Time (working h)"), "hours", 12), (_("Resolved on Time"), "bool", 10),
            (_("Result"), "selection:result", 16), (_("Open and Late"), "bool", 10),
        ]

    def _detail_labels(self):
        """Translated labels of the selections of the detail sheet, by column type (yes/no
        columns are 1 or 0, shown as Yes or No by their number format)."""
        labels = {"selection:%s" % name: dict(self._selection_labels(
            "after_sales.request", name)) for name in ("category", "channel", "priority",
                                                       "state")}
        labels["selection:result"] = dict(self._selection_labels("after_sales.request.report",
                                                                 "result"))
        return labels

    def _detail_query(self):
        """The requests of the period, one row each, names translated in the user's language
        and dates in the company's time zone (as Excel serial numbers)."""
        start, end = self._period_utc()
        params = {"tz": self._tz().zone, "lang": self.env.lang or "en_US",
                  "company": self.company_id.id, "start": start, "end": end,
                  "team": self.team_id.id or None}

        translations = []

        def translated(alias, column, model_field):
            """The name in the user's language: a join on its translations (one per record)."""
            name = "tr%d" % len(translations)
            translations.append(
                "LEFT JOIN (SELECT DISTINCT ON (res_id) res_id, value FROM ir_translation "
                "WHERE type = 'model' AND name = '%s' AND lang = %%(lang)s AND value != '' "
                "ORDER BY res_id, id DESC) %s ON %s.res_id = %s.id"
                % (model_field, name, name, alias))
            return "COALESCE(%s.value, %s.%s)" % (name, alias, column)

        def local(column):
            # the Excel serial date-time (days since 1899-12-30) of the local time: written as
            # a number in a date format, with no date object made per cell
            return ("date_part('epoch', timezone(%%(tz)s, timezone('UTC', %s)) "
                    "- TIMESTAMP '1899-12-30') / 86400.0" % column)
        columns = {
            "received": local("r.date_received"), "responded": local("r.date_response"),
            "resolved": local("r.date_resolved"),
            "product": translated("pt", "name", "product.template,name"),
            "team": translated("tm", "name", "after_sales.team,name"),
            "rule": translated("sr", "name", "after_sales.sla.rule,name"),
        }
        columns["translations"] = "\n".join(translations)
        query = """
            SELECT r.name, %(received)s, p.name,
                   CASE WHEN pp.id IS NULL THEN NULL
                        WHEN pp.default_code IS NOT NULL
                        THEN '[' || pp.default_code || '] ' || %(product)s
                        ELSE %(product)s END,
                   r.category, r.channel, r.priority, %(team)s, up.name, st.name, r.state,
                   rr.nbr_in_warranty, %(rule)s,
                   %(responded)s, rr.response_hours,
                   CASE WHEN rr.nbr_responded = 1 THEN rr.nbr_response_on_time END,
                   %(resolved)s, rr.resolve_hours,
                   CASE WHEN rr.nbr_resolved = 1 THEN rr.nbr_resolved_on_time END,
                   rr.result, rr.nbr_late
              FROM after_sales_request_report rr
              JOIN after_sales_request r ON r.id = rr.id
         LEFT JOIN res_partner p ON p.id = r.partner_id
         LEFT JOIN product_product pp ON pp.id = r.product_id
         LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
         LEFT JOIN after_sales_team tm ON tm.id = r.team_id
         LEFT JOIN res_users u ON u.id = r.user_id
         LEFT JOIN res_partner up ON up.id = u.partner_id
         LEFT JOIN res_partner st ON st.id = r.station_id
         LEFT JOIN after_sales_sla_rule sr ON sr.id = r.sla_rule_id
                   %(translations)s
             WHERE rr.company_id = %%(company)s
               AND rr.date >= %%(start)s AND rr.date < %%(end)s
               AND (%%(team)s IS NULL OR rr.team_id = %%(team)s)
          ORDER BY rr.date, rr.id
        """ % columns
        return query, params

    @api.multi
    def _iter_detail_rows(self, chunk=DETAIL_CHUNK):
        """Yield the detail rows in order, `chunk` at a time from a server-side cursor: the
        requests of the period are never all in memory, and no record is browsed."""
        self.ensure_one()
        self._check_access()
        query, params = self._detail_query()
        cr = self.env.cr
        cursor = sql.Identifier("after_sales_statistics_%s" % self.id)
        cr.execute(sql.SQL("DECLARE {} NO SCROLL CURSOR FOR {}").format(cursor, sql.SQL(query)),
                   params)
        try:
            while True:
                cr.execute(sql.SQL("FETCH FORWARD %s FROM {}").format(cursor), (chunk,))
                rows = cr.fetchall()
                if not rows:
                    break
                for row in rows:
                    yield row
        finally:
            cr.execute(sql.SQL("CLOSE {}").format(cursor))

    # ------------------------------------------------------------------ background export

    def _export_action(self, report_format):
        """The workbook or PDF at once for a short period; beyond the company's limits (see
        `_export_in_background`) made by a job and delivered as a file of an
        after_sales.statistics.export, the user notified, when a job runner serves this
        server (without one the report downloads at once, as before)."""
        Export = self.env["after_sales.statistics.export"]
        if Export._after_sales_jobs_delayed() and self._export_in_background():
            return Export._queue_for(self, report_format)
        return self.env.ref(EXPORT_REPORTS[report_format]).report_action(self)

    def _export_in_background(self):
        """Whether the period is longer than the company's background export limit in days,
        or holds more requests (rows of the detail sheet) than its limit in requests."""
        company = self.company_id
        days = (fields.Date.from_string(self.date_to)
                - fields.Date.from_string(self.date_from)).days + 1
        if 0 < company.after_sales_export_queue_days < days:
            return True
        limit = company.after_sales_export_queue_rows
        return 0 < limit < self.env["after_sales.request.report"].search_count(
            self._request_domain())

    def _export_wizard_values(self):
        """What the job needs to make the same statistics again (the shown result aside)."""
        values = self.copy_data()[0]
        values.pop("result_html", None)
        return values
