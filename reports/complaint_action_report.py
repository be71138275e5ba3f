# -*- coding: utf-8 -*-
from odoo import fields, models


class ComplaintActionReport(models.Model):
    """Corrective/preventive actions analysis (纠正预防措施统计): one row per action of a
    complaint not cancelled, with its complaint's class and its dates, to count the actions
    open (or overdue) at any date: created before it and not done by then."""

    _name = "after_sales.complaint.action.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Corrective Actions Analysis"
    _order = "date desc, id desc"
    _rec_name = "action_id"

    action_id = fields.Many2one("after_sales.complaint.action", readonly=True)
    complaint_id = fields.Many2one("after_sales.complaint", readonly=True)
    date = fields.Datetime("Created on", readonly=True)
    date_deadline = fields.Date("Deadline", readonly=True)
    date_done = fields.Date("Done on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("after_sales.team", readonly=True)
    user_id = fields.Many2one("res.users", "Owner", readonly=True)
    complaint_class = fields.Selection(
        lambda self: self.env["after_sales.complaint.report"]._selection_of("complaint_class"),
        "Class", readonly=True)
    action_type = fields.Selection([("corrective", "Corrective"), ("preventive", "Preventive")],
                                   "Type", readonly=True)
    is_done = fields.Boolean("Done", readonly=True)
    nbr_actions = fields.Integer("Actions", readonly=True)
    nbr_open = fields.Integer("Open Actions", readonly=True)
    nbr_done_late = fields.Integer("Done Late", readonly=True)

    def _select(self):
        return """
            a.id AS id,
            a.id AS action_id,
            a.complaint_id,
            a.create_date AS date,
            a.date_deadline,
            a.date_done,
            c.company_id,
            r.team_id,
            a.user_id,
            c.complaint_class,
            a.action_type,
            a.date_done IS NOT NULL AS is_done,
            1 AS nbr_actions,
            CASE WHEN a.date_done IS NULL THEN 1 ELSE 0 END AS nbr_open,
            CASE WHEN a.date_done > a.date_deadline THEN 1 ELSE 0 END
                AS nbr_done_late
        """

    def _from(self):
        return """
            after_sales_complaint_action a
                 JOIN after_sales_complaint c ON c.id = a.complaint_id
            LEFT JOIN after_sales_request r ON r.id = c.request_id
        """

    def _where(self):
        return """
            c.state != 'cancel'
        """
