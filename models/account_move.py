# -*- coding: utf-8 -*-
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    after_sales_parts_order_id = fields.Many2one(
        "after_sales.parts.order", "Outbound Order", index=True, readonly=True, copy=False,
        help="The outbound order whose parts sent in warranty this entry books.")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    after_sales_warranty_cost = fields.Boolean(
        "Warranty Cost", readonly=True, copy=False,
        help="The warranty expense line of parts sent free in warranty.")
