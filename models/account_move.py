# -*- coding: utf-8 -*-
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    after_sales_parts_order_id = fields.Many2one(
        "after_sales.parts.order", "Outbound Order", index=True, readonly=True, copy=False,
        help="The outbound order whose parts sent in warranty this entry books.")
    after_sales_repair_id = fields.Many2one(
        "mrp.repair", "Depot Repair", index=True, readonly=True, copy=False,
        help="The depot repair whose parts used in warranty this entry books.")
