# -*- coding: utf-8 -*-
from odoo import api, fields, models


class ComplaintReport(models.Model):
    """Complaints analysis (客户投诉统计): one row per complaint not cancelled (archived ones
    included: they are kept 3 years), with whether it was answered and closed within its time
    limits and how many of its corrective/preventive actions are still open."""

    _name = "after_sales.complaint.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Complaints On-Time Analysis"
    _order = "date desc, id desc"
    _rec_name = "complaint_id"

    complaint_id = fields.Many2one("after_sales.complaint", readonly=True)
    date = fields.Datetime("Received on", readonly=True)
    date_closed = fields.Datetime("Closed on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    request_id = fields.Many2one("after_sales.request", "Service Request", readonly=True)
    team_id = fields.Many2one("after_sales.team", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    user_id = fields.Many2one("res.users", "Handled by", readonly=True)
    channel = fields.Selection(lambda self: self._selection_of("channel"), readonly=True)
    complaint_class = fields.Selection(lambda self: self._selection_of("complaint_class"),
                                       "Class", readonly=True)
    severity = fields.Selection(lambda self: self._selection_of("severity"), readonly=True)
    seriousness = fields.Selection(lambda self: self._selection_of("seriousness"),
                                   readonly=True)
    path = fields.Selection(lambda self: self._selection_of("path"), readonly=True)
    state = fields.Selection(lambda self: self._selection_of("state"), "Status", readonly=True)
    nbr_complaints = fields.Integer("Complaints", readonly=True)
    nbr_investigated = fields.Integer("Investigated", readonly=True)
    nbr_investigated_on_time = fields.Integer("Investigated on Time", readonly=True)
    nbr_answered = fields.Integer("Answered", readonly=True)
    nbr_answered_on_time = fields.Integer("Answered on Time", readonly=True)
    nbr_closed = fields.Integer("Closed", readonly=True)
    nbr_closed_on_time = fields.Integer("Closed on Time", readonly=True)
    nbr_open_actions = fields.Integer("Open Actions", readonly=True,
                                      help="Corrective/preventive actions not done yet.")

    @api.model
    def _selection_of(self, field_name):
        """The complaint's own selection values and labels, translated (one definition)."""
        return self.env["after_sales.complaint"]._fields[field_name]._description_selection(
            self.env)

    def _select(self):
        return """
            c.id AS id,
            c.id AS complaint_id,
            c.date_received AS date,
            c.date_closed,
            c.company_id,
            c.request_id,
            r.team_id,
            c.partner_id,
            c.product_id,
            c.user_id,
            c.channel,
            c.complaint_class,
            c.severity,
            c.seriousness,
            c.path,
            c.state,
            1 AS nbr_complaints,
            CASE WHEN c.date_investigated IS NOT NULL THEN 1 ELSE 0 END AS nbr_investigated,
            CASE WHEN c.date_investigated IS NOT NULL
                  AND c.date_investigated <= COALESCE(c.investigation_deadline,
                                                      c.date_investigated)
                 THEN 1 ELSE 0 END AS nbr_investigated_on_time,
            CASE WHEN c.answer_date IS NOT NULL THEN 1 ELSE 0 END AS nbr_answered,
            CASE WHEN c.answer_date IS NOT NULL
                  AND c.answer_date <= COALESCE(c.answer_deadline, c.answer_date)
                 THEN 1 ELSE 0 END AS nbr_answered_on_time,
            CASE WHEN c.state = 'closed' THEN 1 ELSE 0 END AS nbr_closed,
            CASE WHEN c.state = 'closed'
                  AND c.date_closed <= COALESCE(c.close_deadline, c.date_closed)
                 THEN 1 ELSE 0 END AS nbr_closed_on_time,
            COALESCE(actions.nbr_open, 0) AS nbr_open_actions
        """

    def _from(self):
        return """
            after_sales_complaint c
            LEFT JOIN after_sales_request r ON r.id = c.request_id
            LEFT JOIN (SELECT a.complaint_id, COUNT(*) AS nbr_open
                         FROM after_sales_complaint_action a
                        WHERE a.date_done IS NULL
                     GROUP BY a.complaint_id) actions ON actions.complaint_id = c.id
        """

    def _where(self):
        return """
            c.state != 'cancel'
        """
