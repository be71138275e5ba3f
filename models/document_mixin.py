# -*- coding: utf-8 -*-
from odoo import _, api, models
from odoo.exceptions import AccessError, UserError


class DocumentMixin(models.AbstractModel):
    """What every after-sales document shares: its number from an ir.sequence, and the guard
    of its actions (check the whole recordset, refuse with the documents' numbers)."""

    _name = "after_sales.document.mixin"
    _description = "After-Sales Document"
    _sequence_code = None  # the ir.sequence code numbering the documents

    @api.model
    def create(self, vals):
        if self._sequence_code and vals.get("name", _("New")) == _("New"):
            vals = dict(vals, name=self.env["ir.sequence"].next_by_code(self._sequence_code)
                        or "/")
        return super(DocumentMixin, self).create(vals)

    def _check_can(self, flag, message):
        """Guard an action on the whole recordset before anything is written."""
        refused = self.filtered(lambda r: not r[flag])
        if refused:
            raise UserError(message % ", ".join(refused.mapped("display_name")))

    def _check_group(self, xmlid, message):
        """Approvals are enforced here, on the server, whatever the views show."""
        if not self.env.user.has_group(xmlid):
            raise AccessError(message)
