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
