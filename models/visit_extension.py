# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .document_mixin import TEXT_LENGTH, ApprovalStep, document_action

STATES = [("to_approve", "To Approve"), ("approved", "Approved"), ("rejected", "Rejected")]
GROUP_USER = "after_sales_service.group_user"


class VisitExtension(models.Model):
    """A technician's request to stay longer on a trip, asked before its planned end and
    approved by the after-sales manager (如确需延长时间，须…征得经理同意, 001-4 第三节5)."""

    _name = "after_sales.visit.extension"
    _description = "Trip Extension"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.visit.extension"
    _order = "id desc"
    _reason_actions = ("reject",)
    _text_limits = {"reason": TEXT_LENGTH, "reject_reason": TEXT_LENGTH}
    _owned_fields = ("state", "user_id", "date_requested", "date_end_before", "approved_by_id",
                     "date_approved", "reject_reason")
    _frozen_fields = {"visit_id": ("to_approve",), "date_end": ("to_approve",),
                      "reason": ("to_approve",)}

    visit_id = fields.Many2one("after_sales.visit", required=True, index=True,
                               ondelete="cascade")
    company_id = fields.Many2one(related="visit_id.company_id", store=True, readonly=True)
    state = fields.Selection(STATES, default="to_approve", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")
    user_id = fields.Many2one("res.users", "Requested By", readonly=True,
                              default=lambda self: self.env.user)
    date_requested = fields.Datetime("Requested On", readonly=True,
                                     default=fields.Datetime.now)
    date_end_before = fields.Datetime("Planned End Before", readonly=True)
    date_end = fields.Datetime("New Planned End", required=True)
    reason = fields.Text(required=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime("Approved On", readonly=True, copy=False)
    reject_reason = fields.Char("Rejection Reason", readonly=True, copy=False)

    @api.model
    def create(self, vals):
        visit = self.env["after_sales.visit"].browse(vals.get("visit_id"))
        self._check_direct_write(vals, creating=True)
        self._check_can_request(visit, vals.get("date_end"), vals.get("reason"))
        vals = dict(vals, date_end_before=visit.date_planned_end)
        extension = super(VisitExtension, self._as_action()).create(vals)
        extension._sync_approval_activities()
        return extension.with_env(self.env)

    @api.model
    def _check_can_request(self, visit, date_end, reason):
        """Asked by one of the visit's technicians (or the department) on an approved or
        started trip, before its planned end, for a later end, with a reason."""
        user = self.env.user
        if not visit.exists():
            raise ValidationError(_("Choose the visit to extend."))
        if user not in visit.technician_ids and not user.has_group(GROUP_USER):
            raise AccessError(_("Only the visit's technicians ask for its extension."))
        if visit.state not in ("approved", "in_progress"):
            raise UserError(_("%s is not under way: only an approved or started trip is "
                              "extended.") % visit.name)
        if visit.date_planned_end and visit.date_planned_end <= fields.Datetime.now():
            raise UserError(_("The planned end of %(visit)s (%(end)s) has passed: an extension "
                              "is asked before the planned end, not after it.")
                            % {"visit": visit.name, "end": visit.date_planned_end})
        if not date_end or (visit.date_planned_end and date_end <= visit.date_planned_end):
            raise ValidationError(_("The new planned end must be after the current one (%s).")
                                  % visit.date_planned_end)
        if not (reason or "").strip():
            raise ValidationError(_("Give the reason for the extension."))
        if self.sudo().search_count([("visit_id", "=", visit.id),
                                     ("state", "=", "to_approve")]):
            raise UserError(_("%s already has an extension waiting for the manager.")
                            % visit.name)
        return True

    @api.model
    def _approval_steps(self):
        return [ApprovalStep(
            "approve", _("Trip extension approval"), "to_approve", "approved",
            "after_sales_service.group_manager", user_field="approved_by_id",
            date_field="date_approved", reject_state="rejected",
            denied=_("Only the after-sales manager approves trip extensions."),
            refused=_("These extensions are not waiting for approval: %s"))]

    @api.multi
    @document_action
    def action_approve(self):
        """Approved: the visit's planned end becomes the one asked for."""
        self._approve_step("approve")
        for extension in self:
            visit = extension.visit_id
            start = fields.Datetime.from_string(visit.date_planned)
            end = fields.Datetime.from_string(extension.date_end)
            visit.sudo()._as_action().write(
                {"duration": (end - start).total_seconds() / 3600.0})
            visit.message_post(body=_("Trip extended to %(end)s (%(extension)s).")
                               % {"end": extension.date_end, "extension": extension.name},
                               subtype="mail.mt_note")
        return True

    @api.multi
    @document_action
    def action_reject(self, reason=None):
        return self._reject_step(reason)

    @api.multi
    def action_reject_wizard(self):
        return self._open_reason_wizard("reject", _("Reject Extension"))
