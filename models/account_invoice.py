# -*- coding: utf-8 -*-
from odoo import fields, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    after_sales_parts_order_id = fields.Many2one(
        "after_sales.parts.order", "Outbound Order", index=True, readonly=True, copy=False)
    after_sales_request_id = fields.Many2one(
        "after_sales.request", "Service Request", index=True, readonly=True, copy=False)
