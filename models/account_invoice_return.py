# -*- coding: utf-8 -*-
from odoo import fields, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    after_sales_return_id = fields.Many2one("after_sales.return", "Return Case", index=True,
                                            readonly=True, copy=False)
