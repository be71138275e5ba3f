# -*- coding: utf-8 -*-
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    after_sales_compensation_limit = fields.Monetary(
        "Compensation Approval Limit", currency_field="currency_id", default=5000.0,
        help="Write-offs and compensation above this amount, and any compensation without "
             "returned goods, need the quality manager's review and the general manager's "
             "approval.")
