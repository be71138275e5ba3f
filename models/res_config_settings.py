# -*- coding: utf-8 -*-
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    after_sales_currency_id = fields.Many2one("res.currency", related="company_id.currency_id",
                                              readonly=True)
    after_sales_compensation_limit = fields.Monetary(
        "Compensation Approval Limit", related="company_id.after_sales_compensation_limit",
        currency_field="after_sales_currency_id")
    after_sales_contract_expiry_days = fields.Integer(
        "Contract Expiry Notice (days)", related="company_id.after_sales_contract_expiry_days")
    after_sales_contract_lead_days = fields.Integer(
        "Contract Visit Lead Time (days)", related="company_id.after_sales_contract_lead_days")
