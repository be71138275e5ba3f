# -*- coding: utf-8 -*-
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    after_sales_return_id = fields.Many2one("after_sales.return", "Return Case", index=True,
                                            readonly=True)
    after_sales_disposition_id = fields.Many2one(
        "after_sales.return.disposition", "Return Disposition", index=True, readonly=True,
        help="Empty on the receipt of the returned goods: its done quantity is the quantity "
             "received.")
