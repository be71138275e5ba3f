# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .document_mixin import TEXT_LENGTH, document_action

GROUP_USER = "after_sales_service.group_user"
MENTORING_STATES = [("active", "In Progress"), ("done", "Completed"), ("cancel", "Cancelled")]
OUTCOMES = [("achieved", "Goal Achieved"), ("partly", "Partly Achieved"),
            ("not_achieved", "Not Achieved")]


class Mentoring(models.Model):
    """An experienced technician coaching a new one over a period (老员工带新员工)."""

    _name = "after_sales.mentoring"
    _description = "Mentoring Pair"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.mentoring"
    _order = "date_start desc, id desc"
    _text_limits = {"goal": TEXT_LENGTH, "result": TEXT_LENGTH}
    _datetime_order = (("date_start", "date_end"),)
    _owned_fields = ("state", "outcome")

    mentor_id = fields.Many2one("res.users", required=True, index=True)
    mentee_id = fields.Many2one("res.users", "New Employee", required=True, index=True)
    date_start = fields.Date("From", required=True, default=fields.Date.context_today)
    date_end = fields.Date("To", required=True)
    goal = fields.Text(required=True)
    result = fields.Text()
    outcome = fields.Selection(OUTCOMES, readonly=True, copy=False,
                               track_visibility="onchange")
    state = fields.Selection(MENTORING_STATES, default="active", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")

    @api.constrains("mentor_id", "mentee_id")
    def _check_pair(self):
        if any(pair.mentor_id == pair.mentee_id for pair in self):
            raise ValidationError(_("New Employee: a mentor can't mentor himself."))

    @api.multi
    @document_action
    def action_done(self, outcome="achieved"):
        """The period is over: the result is written down and its outcome recorded."""
        self._check_group(GROUP_USER, _("Only the after-sales department records mentoring."))
        if outcome not in dict(OUTCOMES):
            raise UserError(_("Outcome: choose whether the goal was achieved."))
        for pair in self:
            if pair.state != "active":
                raise UserError(_("%s is not in progress.") % pair.display_name)
            if not (pair.result or "").strip():
                raise UserError(_("Result: write what %s learnt first.")
                                % pair.mentee_id.name)
        self.write({"state": "done", "outcome": outcome})
        return True

    @api.multi
    def action_done_partly(self):
        return self.action_done("partly")

    @api.multi
    def action_done_not_achieved(self):
        return self.action_done("not_achieved")

    @api.multi
    @document_action
    def action_cancel(self):
        self._check_group(GROUP_USER, _("Only the after-sales department records mentoring."))
        if any(pair.state != "active" for pair in self):
            raise UserError(_("Only pairs in progress can be cancelled."))
        self.write({"state": "cancel"})
        return True

    @api.multi
    def unlink(self):
        if self:
            raise UserError(_("Mentoring records are kept: cancel the pair instead."))
        return super(Mentoring, self).unlink()
