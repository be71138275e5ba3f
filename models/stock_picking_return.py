# -*- coding: utf-8 -*-
from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    after_sales_return_id = fields.Many2one("after_sales.return", "Return Case", index=True,
                                            readonly=True)

    @api.multi
    def action_done(self):
        res = super(StockPicking, self).action_done()
        receipts = self.filtered(lambda p: p.after_sales_return_id and not p.move_lines.mapped(
            "after_sales_disposition_id"))
        if receipts:
            # the warehouse validates; the case moves on whatever the warehouse may write
            receipts.mapped("after_sales_return_id").sudo()._on_goods_received(
                self.env.user.partner_id)
        return res
