# -*- coding: utf-8 -*-
from odoo import _, api, fields, models


class NumberedDocument(models.AbstractModel):
    """A document with its own number, company and chatter: requests, visits, parts orders,
    returns, callbacks… (the numbering itself is the document mixin's)."""

    _name = "after_sales.numbered.document"
    _description = "Numbered After-Sales Document"
    _inherit = ["mail.thread", "mail.activity.mixin", "after_sales.document.mixin"]

    name = fields.Char("Number", required=True, copy=False, readonly=True, index=True,
                       default=lambda self: _("New"))
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.user.company_id)

    @api.model
    def create(self, vals):
        # the chatter opens with one "created" message, not a second one tracking every initial
        # value (the form shows them); later changes of tracked fields are tracked as usual
        record = super(NumberedDocument, self.with_context(mail_notrack=True)).create(vals)
        return record.with_env(self.env)
