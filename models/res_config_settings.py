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

    # customer notifications
    after_sales_notify_registered = fields.Boolean(
        related="company_id.after_sales_notify_registered")
    after_sales_notify_visit = fields.Boolean(related="company_id.after_sales_notify_visit")
    after_sales_notify_shipped = fields.Boolean(related="company_id.after_sales_notify_shipped")
    after_sales_notify_resolved = fields.Boolean(
        related="company_id.after_sales_notify_resolved")
    after_sales_notify_callback = fields.Boolean(
        related="company_id.after_sales_notify_callback")
    after_sales_callback_link_days = fields.Integer(
        related="company_id.after_sales_callback_link_days")
