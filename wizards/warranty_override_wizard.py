# -*- coding: utf-8 -*-
from odoo import api, fields, models


class WarrantyOverrideWizard(models.TransientModel):
    """The after-sales manager overrides a request's warranty decision, with a logged reason
    (the request's action_override_warranty checks the group and the reason)."""

    _name = "after_sales.warranty.override.wizard"
    _description = "Override Warranty Decision"

    request_id = fields.Many2one("after_sales.request", required=True)
    decision = fields.Selection([("in", "In Warranty"), ("out", "Out of Warranty"),
                                 ("auto", "Back to the System's Decision")], required=True)
    reason = fields.Char(required=True)

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_override_warranty(self.decision, self.reason)
        return {"type": "ir.actions.act_window_close"}
