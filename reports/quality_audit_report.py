# -*- coding: utf-8 -*-
from odoo import api, fields, models


class QualityAuditReport(models.Model):
    """Quality's audit results for assessments: one row per checked record and technician
    (a record with several technicians counts for each; one without, once with no
    technician), with its service station. Sums of `checked`, `ok_count`, `not_ok_count`;
    the average of `ok_rate` is the share found ok (%)."""

    _name = "after_sales.quality.audit.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Quality Audit Results"
    _rec_name = "line_id"

    line_id = fields.Many2one("after_sales.quality.audit.line", "Check", readonly=True)
    audit_id = fields.Many2one("after_sales.quality.audit", readonly=True)
    month = fields.Date(readonly=True)
    date_checked = fields.Datetime("Checked On", readonly=True)
    kind = fields.Selection([("visit", "Visit"), ("request", "Service Request")],
                            readonly=True)
    technician_id = fields.Many2one("res.users", readonly=True)
    station_id = fields.Many2one("res.partner", "Service Station", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    result = fields.Selection([("ok", "OK"), ("not_ok", "Not OK")], readonly=True)
    checked = fields.Integer(readonly=True)
    ok_count = fields.Integer("OK", readonly=True)
    not_ok_count = fields.Integer("Not OK", readonly=True)
    ok_rate = fields.Float("OK Rate (%)", readonly=True, group_operator="avg")

    def _select(self):
        return """
            l.id::bigint * 1000000 + COALESCE(t.user_id, 0) AS id,
            l.id AS line_id, l.audit_id, a.month, l.date_checked, l.kind,
            t.user_id AS technician_id, l.station_id, l.partner_id, a.company_id, l.result,
            1 AS checked,
            CASE WHEN l.result = 'ok' THEN 1 ELSE 0 END AS ok_count,
            CASE WHEN l.result = 'not_ok' THEN 1 ELSE 0 END AS not_ok_count,
            CASE WHEN l.result = 'ok' THEN 100.0 ELSE 0.0 END AS ok_rate
        """

    def _from(self):
        return """
            after_sales_quality_audit_line l
            JOIN after_sales_quality_audit a ON a.id = l.audit_id
            LEFT JOIN after_sales_audit_line_technician_rel t ON t.line_id = l.id
        """

    def _where(self):
        return "l.result IS NOT NULL"

    @api.model
    def audit_figures(self, date_from, date_to, groupby="technician_id", company_ids=None):
        """The audit results of the months from `date_from` to `date_to` (dates, the months
        audited) per `groupby` ("technician_id" or "station_id"), for assessments:
        {id: {"checked": n, "ok": n, "not_ok": n, "ok_rate": %}} (one read_group; records
        without technician or station are left out)."""
        domain = [("month", ">=", date_from), ("month", "<=", date_to),
                  (groupby, "!=", False)]
        if company_ids:
            domain.append(("company_id", "in", list(company_ids)))
        groups = self.read_group(domain, [groupby, "checked", "ok_count", "not_ok_count"],
                                 [groupby], lazy=False)
        figures = {}
        for group in groups:
            checked = group["checked"] or 0
            figures[group[groupby][0]] = {
                "checked": checked, "ok": group["ok_count"] or 0,
                "not_ok": group["not_ok_count"] or 0,
                "ok_rate": 100.0 * (group["ok_count"] or 0) / checked if checked else 0.0,
            }
        return figures
