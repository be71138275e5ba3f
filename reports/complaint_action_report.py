# -*- coding: utf-8 -*-
from odoo import api, fields, models, tools


class ComplaintActionReport(models.Model):
    """Corrective/preventive actions analysis (纠正预防措施统计): one row per action of a
    complaint not cancelled, with its complaint's class and its dates, to count the actions
    open (or overdue) at any date: created before it and not done by then."""

    _name = "after_sales.complaint.action.report"
    _description = "Corrective Actions Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "action_id"

    action_id = fields.Many2one("after_sales.complaint.action", "Action", readonly=True)
    complaint_id = fields.Many2one("after_sales.complaint", "Complaint", readonly=True)
    date = fields.Datetime("Created on", readonly=True)
    date_deadline = fields.Date("Deadline", readonly=True)
    date_done = fields.Date("Done on", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    team_id = fields.Many2one("after_sales.team", "Team", readonly=True)
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

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW %s AS (
                SELECT a.id AS id,
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
                  FROM after_sales_complaint_action a
                  JOIN after_sales_complaint c ON c.id = a.complaint_id
             LEFT JOIN after_sales_request r ON r.id = c.request_id
                 WHERE c.state != 'cancel'
            )
        """ % self._table)
