# -*- coding: utf-8 -*-
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    after_sales_warranty_months = fields.Integer(
        "Warranty (months)", default=12,
        help="Warranty period (保修期) counted from installation, or from delivery.")
    after_sales_usage_callback = fields.Boolean(
        "Needs Usage Callback", help="Set by quality: customers are called about 6 months "
                                     "after they started using the product.")
    after_sales_delivery_callback = fields.Boolean(
        "Needs Post-Delivery Callback",
        help="Set by quality: customers are called after each done delivery of the product "
             "(in use, working, satisfied with delivery time, look, price and packaging; "
             "warranty card reminded).")
