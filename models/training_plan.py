# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .document_mixin import LINE_LENGTH, TEXT_LENGTH, document_action

GROUP_USER = "after_sales_service.group_user"
MONTHS = [("1", "January"), ("2", "February"), ("3", "March"), ("4", "April"), ("5", "May"),
          ("6", "June"), ("7", "July"), ("8", "August"), ("9", "September"),
          ("10", "October"), ("11", "November"), ("12", "December")]
PLAN_STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("done", "Done"),
               ("cancel", "Cancelled")]


class TrainingPlan(models.Model):
    """The department's training plan of a year or a month (年度、月度培训计划): its
    sessions train our technicians and the service stations' (004 二(二)13(6), 14(6-7))."""

    _name = "after_sales.training.plan"
    _description = "Training Plan"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.training.plan"
    _order = "year desc, month desc, id desc"
    _text_limits = {"title": LINE_LENGTH, "note": TEXT_LENGTH}
    _owned_fields = ("state",)

    title = fields.Char(required=True)
    year = fields.Integer(required=True, default=lambda self: int(
        fields.Date.context_today(self)[:4]))
    month = fields.Selection(MONTHS, help="Empty: the plan of the whole year.")
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.user)
    state = fields.Selection(PLAN_STATES, default="draft", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")
    session_ids = fields.One2many("after_sales.training.session", "plan_id", "Sessions")
    session_count = fields.Integer(compute="_compute_session_count")
    note = fields.Text("Goals and Notes")

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 2000 <= plan.year <= 2100:
                raise ValidationError(_("Year: %s is not a year of a plan.") % plan.year)

    def _compute_session_count(self):
        counts = self._count_by("after_sales.training.session", "plan_id")
        for plan in self:
            plan.session_count = counts.get(plan.id, 0)

    @api.multi
    def name_get(self):
        return [(plan.id, "%s %s" % (plan.name, plan.title)) for plan in self]

    @api.multi
    @document_action
    def action_confirm(self):
        self._check_group(GROUP_USER, _("Only the after-sales department plans training."))
        self._check_can_state(("draft",), _("Only draft plans can be confirmed: %s"))
        self.write({"state": "confirmed"})
        return True

    @api.multi
    @document_action
    def action_done(self):
        self._check_group(GROUP_USER, _("Only the after-sales department plans training."))
        self._check_can_state(("confirmed",), _("Only confirmed plans can be closed: %s"))
        open_sessions = self.mapped("session_ids").filtered(lambda s: s.state == "planned")
        if open_sessions:
            raise UserError(_("Hold or cancel these sessions first: %s")
                                  % ", ".join(open_sessions.mapped("display_name")))
        self.write({"state": "done"})
        return True

    @api.multi
    @document_action
    def action_cancel(self):
        self._check_group(GROUP_USER, _("Only the after-sales department plans training."))
        self._check_can_state(("draft", "confirmed"), _("These plans can't be cancelled: %s"))
        self.write({"state": "cancel"})
        return True

    def _check_can_state(self, states, message):
        refused = self.filtered(lambda r: r.state not in states)
        if refused:
            raise UserError(message % ", ".join(refused.mapped("display_name")))

    @api.multi
    def unlink(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(_("Only draft plans can be deleted; cancel the others."))
        return super(TrainingPlan, self).unlink()

    @api.multi
    def action_view_sessions(self):
        return self._window_action("after_sales_service.training_session_action",
                                   [("plan_id", "in", self.ids)],
                                   {"default_plan_id": self[:1].id})
