# -*- coding: utf-8 -*-
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    after_sales_warranty_cost = fields.Boolean(
        "Warranty Cost", readonly=True, copy=False,
        help="The warranty expense line of parts sent free in warranty.")
