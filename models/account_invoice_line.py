# -*- coding: utf-8 -*-
from odoo import fields, models


class AccountInvoiceLine(models.Model):
    """The part lines of an outbound order's invoice know their order line, so that they
    charge what the warehouse really issued."""

    _inherit = "account.invoice.line"

    after_sales_parts_order_line_id = fields.Many2one(
        "after_sales.parts.order.line", "Outbound Order Part", index=True, readonly=True,
        copy=False, ondelete="set null")
