# -*- coding: utf-8 -*-
from odoo import _, api, fields, models


class WarrantyOverrideWizard(models.TransientModel):
    """The after-sales manager overrides a request's warranty decision, with a logged reason."""

    _name = "after_sales.warranty.override.wizard"
    _description = "Override Warranty Decision"

    request_id = fields.Many2one("after_sales.request", required=True)
    decision = fields.Selection([("in", "In Warranty"), ("out", "Out of Warranty"),
                                 ("auto", "Back to the System's Decision")], required=True)
    reason = fields.Char(required=True)

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        request = self.request_id
        if self.decision == "auto":
            request.write({"warranty_override": False, "warranty_override_reason": False})
        else:
            request.write({"warranty_override": self.decision,
                           "warranty_override_reason": self.reason})
        request.message_post(body=_("Warranty decision overridden: %(decision)s (%(reason)s)") % {
            "decision": dict(self._fields["decision"]._description_selection(self.env))[
                self.decision],
            "reason": self.reason}, subtype="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
