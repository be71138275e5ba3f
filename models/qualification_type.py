# -*- coding: utf-8 -*-
from odoo import fields, models

from .request_selections import VISIT_PURPOSES


class QualificationType(models.Model):
    """A certificate or training a technician needs for some visits (e.g. 电热水器安装资格证)."""

    _name = "after_sales.qualification.type"
    _description = "Qualification Type"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    purpose = fields.Selection(VISIT_PURPOSES, "Required For",
                               help="Visits of this purpose need a technician holding a valid "
                                    "qualification of this type. Empty: needed for every visit.")
    active = fields.Boolean(default=True)
    # training before work (see Visit._technician_problems): a certificate for product
    # categories is asked for visits of those categories only, not per purpose
    categ_ids = fields.Many2many(
        "product.category", string="Product Categories",
        help="A certificate for these product categories: it lets its holder serve the "
             "products of categories that require training (and of their sub-categories). "
             "A type with categories is not required per purpose.")
