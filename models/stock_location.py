# -*- coding: utf-8 -*-
from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    after_sales_technician_id = fields.Many2one(
        "res.users", "Technician", index=True,
        help="The technician (or van) whose stock this location holds.")

    # ------------------------------------------------------------------ service stations
    after_sales_station_id = fields.Many2one(
        "res.partner", "Service Station", index=True,
        help="The service station whose parts stock this location holds (our goods kept at "
             "the station).")
