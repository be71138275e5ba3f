# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .document_mixin import TEXT_LENGTH, document_action

PLAN_STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("done", "Done")]


class SurveyPlan(models.Model):
    """The yearly customer satisfaction survey plan (顾客满意度调查计划, 002-H §4.4): its lines
    say which survey goes to which customers for which period."""

    _name = "after_sales.survey.plan"
    _description = "Satisfaction Survey Plan"
    _inherit = ["mail.thread", "after_sales.document.mixin"]
    _order = "year desc, id desc"
    _text_limits = {"note": TEXT_LENGTH}
    _owned_fields = ("state", "confirmed_by_id", "date_confirmed")

    name = fields.Char(required=True, track_visibility="onchange")
    year = fields.Integer(required=True, default=lambda self: fields.Date.from_string(
        fields.Date.context_today(self)).year)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.user,
                              track_visibility="onchange")
    state = fields.Selection(PLAN_STATES, default="draft", required=True, readonly=True,
                             copy=False, track_visibility="onchange")
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_confirmed = fields.Datetime("Confirmed On", readonly=True, copy=False)
    line_ids = fields.One2many("after_sales.survey.plan.line", "plan_id", "Surveys", copy=True)
    note = fields.Text("Notes")

    _sql_constraints = [
        ("year_check", "CHECK (year > 2000 AND year < 2100)", "Give the plan's year."),
    ]

    @api.multi
    @document_action
    def action_confirm(self):
        """The after-sales manager confirms the plan: its surveys can then be launched."""
        self._check_group("after_sales_service.group_manager",
                          _("Only the after-sales manager confirms a survey plan."))
        if any(plan.state != "draft" for plan in self):
            raise UserError(_("Only draft plans can be confirmed."))
        if any(not plan.line_ids for plan in self):
            raise UserError(_("Add the plan's surveys (which survey, period, customers) "
                              "first."))
        self.write({"state": "confirmed", "confirmed_by_id": self.env.uid,
                    "date_confirmed": fields.Datetime.now()})
        return True

    @api.multi
    @document_action
    def action_done(self):
        if any(plan.state != "confirmed" for plan in self):
            raise UserError(_("Only confirmed plans can be closed."))
        self.mapped("line_ids").filtered(lambda l: l.state == "running").action_close()
        self.write({"state": "done"})
        return True
