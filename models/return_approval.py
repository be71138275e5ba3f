# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .document_mixin import is_action_write

STEPS = [
    ("reason", "Reason Stated"),
    ("region", "Region Manager's Sign-off"),
    ("office", "Office Check"),
    ("gm", "General Manager's Instruction"),
]


class ReturnApproval(models.Model):
    """One signed step of the exchange form (换货单): who and when, with what was written.
    Created only by the case's actions, never changed afterwards."""

    _name = "after_sales.return.approval"
    _description = "Exchange Form Step"
    _order = "return_id, date, id"

    return_id = fields.Many2one("after_sales.return", "Return Case", required=True,
                                ondelete="cascade", index=True)
    step = fields.Selection(STEPS, required=True)
    user_id = fields.Many2one("res.users", "Signed By", required=True)
    date = fields.Datetime("Signed On", required=True)
    note = fields.Text()

    _sql_constraints = [
        ("step_uniq", "unique (return_id, step)", "Each step of the exchange form is signed once."),
    ]

    @api.model
    def create(self, vals):
        # signed by the case's actions only: nobody signs a step by creating its line
        if not is_action_write(self.env):
            raise AccessError(_("A step of the exchange form is signed with its button on the "
                                "return case."))
        return super(ReturnApproval, self).create(vals)

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super  # a signed step is final
        raise UserError(_("A signed step of the exchange form can't be changed."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super  # a signed step is kept
        raise UserError(_("A signed step of the exchange form can't be changed."))
