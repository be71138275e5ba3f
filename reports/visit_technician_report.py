# -*- coding: utf-8 -*-
from odoo import fields, models

from ..models.request_selections import VISIT_PURPOSES


class VisitTechnicianReport(models.Model):
    """On-site visits done (上门服务统计): one row per completed visit and technician. A
    technician's figures add up the rows; a visit's own figures (counted once, e.g. per
    service station) are in the "Visits" and "Visit Overtime Days" measures, set on the row of
    the visit's first technician only."""

    _name = "after_sales.visit.technician.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Visits Analysis"
    _order = "date desc, visit_id desc"
    _rec_name = "visit_id"

    visit_id = fields.Many2one("after_sales.visit", readonly=True)
    date = fields.Datetime("Arrival", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    request_id = fields.Many2one("after_sales.request", "Service Request", readonly=True)
    team_id = fields.Many2one("after_sales.team", readonly=True)
    station_id = fields.Many2one("res.partner", "Service Station", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    technician_id = fields.Many2one("res.users", readonly=True)
    purpose = fields.Selection(VISIT_PURPOSES, readonly=True)
    in_warranty = fields.Boolean(readonly=True)
    is_overtime = fields.Boolean("After Hours / Holiday", readonly=True)
    nbr_technician_visits = fields.Integer("Technician Visits", readonly=True)
    nbr_technician_overtime = fields.Integer("Technician Overtime Visits", readonly=True)
    overtime_days = fields.Integer("Technician Overtime Days", readonly=True)
    nbr_visits = fields.Integer("Visits", readonly=True)
    nbr_overtime_visits = fields.Integer("Overtime Visits", readonly=True)
    visit_overtime_days = fields.Integer(readonly=True)
    hours_on_site = fields.Float("Hours on Site", readonly=True)

    def _select(self):
        return """
            v.id::bigint * 1000000 + COALESCE(t.%(user)s, 0) AS id,
            v.id AS visit_id,
            COALESCE(v.date_arrival, v.date_planned) AS date,
            v.company_id,
            v.request_id,
            r.team_id,
            r.station_id,
            v.partner_id,
            t.%(user)s AS technician_id,
            v.purpose,
            COALESCE(v.in_warranty, FALSE) AS in_warranty,
            COALESCE(v.is_overtime, FALSE) AS is_overtime,
            1 AS nbr_technician_visits,
            CASE WHEN v.is_overtime THEN 1 ELSE 0 END AS nbr_technician_overtime,
            COALESCE(v.overtime_days, 0) AS overtime_days,
            first.is_first AS nbr_visits,
            CASE WHEN v.is_overtime THEN first.is_first ELSE 0 END
                AS nbr_overtime_visits,
            first.is_first * COALESCE(v.overtime_days, 0) AS visit_overtime_days,
            CASE WHEN v.date_departure > v.date_arrival
                 THEN EXTRACT(EPOCH FROM v.date_departure - v.date_arrival) / 3600.0
                 ELSE 0 END AS hours_on_site
        """ % self._technician_columns()

    def _from(self):
        return """
            after_sales_visit v
            LEFT JOIN %(rel)s t ON t.%(visit)s = v.id
            LEFT JOIN after_sales_request r ON r.id = v.request_id
            CROSS JOIN LATERAL (
                SELECT CASE WHEN t.%(user)s IS NULL
                              OR t.%(user)s = (SELECT MIN(t2.%(user)s) FROM %(rel)s t2
                                                WHERE t2.%(visit)s = v.id)
                            THEN 1 ELSE 0 END AS is_first) first
        """ % self._technician_columns()

    def _where(self):
        return "v.state IN ('done', 'verified')"

    def _technician_columns(self):
        technicians = self.env["after_sales.visit"]._fields["technician_ids"]
        return {"rel": technicians.relation, "visit": technicians.column1,
                "user": technicians.column2}
