# -*- coding: utf-8 -*-
from odoo import fields, models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    after_sales_old_part_id = fields.Many2one("after_sales.old.part", "Old Part", index=True,
                                              readonly=True)

    def _prepare_move_values(self):
        vals = super(StockScrap, self)._prepare_move_values()
        if self.after_sales_old_part_id:
            vals["after_sales_old_part_id"] = self.after_sales_old_part_id.id
        return vals
