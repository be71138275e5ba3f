# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ReasonWizard(models.TransientModel):
    """Asks the reason of a cancellation or rejection, then calls the record's action with it.

    A model offers it for the actions named in its ``_reason_actions``; the action itself
    still refuses an empty reason, so RPC callers can't skip it."""

    _name = "after_sales.reason.wizard"
    _description = "Reason"

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True)
    action = fields.Char(required=True)
    reason = fields.Text()

    @api.model
    def open_for(self, records, action, title):
        wizard = self.create({"res_model": records._name, "action": action,
                              "res_ids": ",".join(str(i) for i in records.ids)})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": wizard.id,
                "view_mode": "form", "target": "new", "name": title}

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        records = self.env[self.res_model].browse([int(i) for i in self.res_ids.split(",")])
        if self.action not in getattr(records, "_reason_actions", ()):
            raise UserError(_("This action does not take a reason."))
        getattr(records, "action_%s" % self.action)(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
