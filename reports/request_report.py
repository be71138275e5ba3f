# -*- coding: utf-8 -*-
from odoo import fields, models

from ..models.request import STATES
from ..models.request_selections import CATEGORIES, CHANNELS, PRIORITIES

# how a request was resolved, the most expensive rung of the ladder used (spec §1)
RESULTS = [
    ("phone", "Phone Guidance"),
    ("parts", "Parts Sent"),
    ("visit", "On-Site Visit"),
    ("return", "Return / Exchange"),
    ("open", "Not Resolved Yet"),
]


class RequestReport(models.Model):
    """Service requests analysis (服务请求统计): one row per request not cancelled, with its
    on-time results and working hours frozen when it was responded to and resolved, and how it
    was resolved (phone guidance, parts sent, on-site visit, return/exchange)."""

    _name = "after_sales.request.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Service Requests Analysis"
    _order = "date desc, id desc"
    _rec_name = "request_id"

    request_id = fields.Many2one("after_sales.request", "Service Request", readonly=True)
    date = fields.Datetime("Received", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("after_sales.team", readonly=True)
    user_id = fields.Many2one("res.users", "Responsible", readonly=True)
    station_id = fields.Many2one("res.partner", "Service Station", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    category = fields.Selection(CATEGORIES, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    state = fields.Selection(STATES, "Status", readonly=True)
    sla_rule_id = fields.Many2one("after_sales.sla.rule", "Time Limit Rule", readonly=True)
    in_warranty = fields.Boolean(readonly=True)
    result = fields.Selection(RESULTS, readonly=True)
    nbr_requests = fields.Integer("Requests", readonly=True)
    nbr_in_warranty = fields.Integer("Requests in Warranty", readonly=True)
    nbr_responded = fields.Integer("Responded", readonly=True)
    nbr_response_on_time = fields.Integer("Responded on Time", readonly=True)
    nbr_resolved = fields.Integer("Resolved", readonly=True)
    nbr_resolved_on_time = fields.Integer("Resolved on Time", readonly=True)
    nbr_late = fields.Integer("Open and Late", readonly=True)
    response_hours = fields.Float("Response Time (working h)", readonly=True,
                                  group_operator="avg")
    resolve_hours = fields.Float("Resolution Time (working h)", readonly=True,
                                 group_operator="avg")

    def _select(self):
        return """
            r.id AS id,
            r.id AS request_id,
            r.date_received AS date,
            r.company_id,
            r.team_id,
            r.user_id,
            r.station_id,
            r.partner_id,
            r.product_id,
            pt.categ_id,
            r.category,
            r.channel,
            r.priority,
            r.state,
            r.sla_rule_id,
            COALESCE(r.in_warranty, FALSE) AS in_warranty,
            CASE WHEN r.state NOT IN ('resolved', 'closed') THEN 'open'
                 WHEN r.id IN (SELECT request_id FROM after_sales_return
                                WHERE request_id IS NOT NULL
                                  AND state != 'cancel') THEN 'return'
                 WHEN r.id IN (SELECT request_id FROM after_sales_visit
                                WHERE request_id IS NOT NULL
                                  AND state IN ('done', 'verified')) THEN 'visit'
                 WHEN r.id IN (SELECT request_id FROM after_sales_parts_order
                                WHERE request_id IS NOT NULL
                                  AND state IN ('approved', 'shipped')) THEN 'parts'
                 ELSE 'phone'
            END AS result,
            1 AS nbr_requests,
            CASE WHEN r.in_warranty THEN 1 ELSE 0 END AS nbr_in_warranty,
            CASE WHEN r.date_response IS NOT NULL THEN 1 ELSE 0 END AS nbr_responded,
            CASE WHEN r.date_response IS NOT NULL AND r.response_on_time
                 THEN 1 ELSE 0 END AS nbr_response_on_time,
            CASE WHEN r.date_resolved IS NOT NULL THEN 1 ELSE 0 END AS nbr_resolved,
            CASE WHEN r.date_resolved IS NOT NULL AND r.resolved_on_time
                 THEN 1 ELSE 0 END AS nbr_resolved_on_time,
            CASE WHEN r.is_late AND r.state IN ('new', 'in_progress', 'waiting')
                 THEN 1 ELSE 0 END AS nbr_late,
            CASE WHEN r.date_response IS NOT NULL
                 THEN r.response_hours END AS response_hours,
            CASE WHEN r.date_resolved IS NOT NULL
                 THEN r.resolve_hours END AS resolve_hours
        """

    def _from(self):
        # "IN (SELECT ...)" without correlation: PostgreSQL hashes each subquery once
        return """
            after_sales_request r
            LEFT JOIN product_product pp ON pp.id = r.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
        """

    def _where(self):
        return """
            r.state != 'cancel'
        """
