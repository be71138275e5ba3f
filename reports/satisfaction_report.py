# -*- coding: utf-8 -*-
from odoo import api, fields, models


class SatisfactionReport(models.Model):
    """Satisfaction per callback and technician (one row each), for rates per month,
    technician, service station and product: rate = satisfied / answered."""

    _name = "after_sales.satisfaction.report"
    _description = "Satisfaction Analysis"
    _auto = False
    _rec_name = "callback_id"

    callback_id = fields.Many2one("after_sales.callback", readonly=True)
    kind = fields.Selection(related="callback_id.kind", readonly=True)
    date_done = fields.Datetime("Called On", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    technician_id = fields.Many2one("res.users", "Technician", readonly=True)
    station_id = fields.Many2one("res.partner", "Service Station", readonly=True)
    product_id = fields.Many2one("product.product", "Product", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    team_id = fields.Many2one("after_sales.team", "Team", readonly=True)
    answered = fields.Integer("Answered", readonly=True)
    satisfied = fields.Integer("Satisfied", readonly=True)
    satisfaction_rate = fields.Float("Satisfaction Rate (%)", readonly=True,
                                     group_operator="avg")

    @api.model_cr
    def init(self):
        # a stable id made of the callback and the technician (no window function), so that
        # PostgreSQL filters the callbacks by date before joining; company and team are
        # columns, not paths: the statistics filter on them
        self.env.cr.execute("DROP VIEW IF EXISTS after_sales_satisfaction_report")
        self.env.cr.execute("""
            CREATE VIEW after_sales_satisfaction_report AS (
                SELECT c.id::bigint * 1000000 + COALESCE(t.user_id, 0) AS id,
                       c.id AS callback_id, c.date_done,
                       c.partner_id, t.user_id AS technician_id, c.station_id, c.product_id,
                       c.company_id, r.team_id,
                       1 AS answered, CASE WHEN c.satisfied THEN 1 ELSE 0 END AS satisfied,
                       CASE WHEN c.satisfied THEN 100.0 ELSE 0.0 END AS satisfaction_rate
                  FROM after_sales_callback c
             LEFT JOIN after_sales_callback_technician_rel t ON t.callback_id = c.id
             LEFT JOIN after_sales_request r ON r.id = c.request_id
                 WHERE c.state = 'done' AND c.answered
            )""")
