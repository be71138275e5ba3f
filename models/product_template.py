# -*- coding: utf-8 -*-
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    warranty_months = fields.Integer(
        "Warranty (months)", default=12,
        help="Warranty period (保修期) counted from installation, or from delivery.")
