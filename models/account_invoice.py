# -*- coding: utf-8 -*-
from odoo import fields, models


class AccountInvoice(models.Model):
    """Invoices, bills and credit notes drafted by the after-sales documents link back."""

    _inherit = "account.invoice"

    after_sales_parts_order_id = fields.Many2one(
        "after_sales.parts.order", "Outbound Order", index=True, readonly=True, copy=False)
    after_sales_request_id = fields.Many2one(
        "after_sales.request", "Service Request", index=True, readonly=True, copy=False)
    after_sales_return_id = fields.Many2one("after_sales.return", "Return Case", index=True,
                                            readonly=True, copy=False)
    after_sales_contract_id = fields.Many2one("after_sales.contract", "After-Sales Contract",
                                              index=True, readonly=True, copy=False)
