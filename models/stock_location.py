# -*- coding: utf-8 -*-
from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    after_sales_technician_id = fields.Many2one(
        "res.users", "Technician", index=True,
        help="The technician (or van) whose stock this location holds.")
