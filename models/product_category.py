# -*- coding: utf-8 -*-
from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    after_sales_training_required = fields.Boolean(
        "Training Required Before Service",
        help="Only technicians (ours or a service station's) who passed a training for this "
             "category, or hold a valid certificate for it, can be assigned to visits of its "
             "products (经培训合格后方可上岗). A training or certificate of a parent category "
             "counts too, and its sub-categories require it as well.")
