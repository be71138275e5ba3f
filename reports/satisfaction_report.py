# -*- coding: utf-8 -*-
from odoo import fields, models


class SatisfactionReport(models.Model):
    """Satisfaction per callback and technician (one row each), for rates per month,
    technician, service station and product: rate = satisfied / answered."""

    _name = "after_sales.satisfaction.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Satisfaction Analysis"
    _rec_name = "callback_id"

    callback_id = fields.Many2one("after_sales.callback", readonly=True)
    kind = fields.Selection(related="callback_id.kind", readonly=True)
    date_done = fields.Datetime("Called On", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    technician_id = fields.Many2one("res.users", readonly=True)
    station_id = fields.Many2one("res.partner", "Service Station", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("after_sales.team", readonly=True)
    answered = fields.Integer(readonly=True)
    satisfied = fields.Integer(readonly=True)
    satisfaction_rate = fields.Float("Satisfaction Rate (%)", readonly=True,
                                     group_operator="avg")

    # a stable id made of the callback and the technician (no window function), so that
    # PostgreSQL filters the callbacks by date before joining; company and team are columns,
    # not paths: the statistics filter on them
    def _select(self):
        return """
            c.id::bigint * 1000000 + COALESCE(t.%(user)s, 0) AS id,
            c.id AS callback_id, c.date_done,
            c.partner_id, t.%(user)s AS technician_id, c.station_id, c.product_id,
            c.company_id, r.team_id,
            1 AS answered, CASE WHEN c.satisfied THEN 1 ELSE 0 END AS satisfied,
            CASE WHEN c.satisfied THEN 100.0 ELSE 0.0 END AS satisfaction_rate
        """ % self._technician_columns()

    def _from(self):
        return """
            after_sales_callback c
            LEFT JOIN %(rel)s t ON t.%(callback)s = c.id
            LEFT JOIN after_sales_request r ON r.id = c.request_id
        """ % self._technician_columns()

    def _where(self):
        return "c.state = 'done' AND c.answered"

    def _technician_columns(self):
        technicians = self.env["after_sales.callback"]._fields["technician_ids"]
        return {"rel": technicians.relation, "callback": technicians.column1,
                "user": technicians.column2}
