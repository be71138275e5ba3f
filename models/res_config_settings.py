# -*- coding: utf-8 -*-
from odoo import api, fields, models

from .job_mixin import CHUNK_PARAM, DEFAULT_CHUNK_SIZE


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
    after_sales_export_queue_days = fields.Integer(
        "Background Export Beyond (days)", related="company_id.after_sales_export_queue_days")
    after_sales_export_queue_rows = fields.Integer(
        "Background Export Beyond (requests)",
        related="company_id.after_sales_export_queue_rows")
    # a system parameter: the scheduled passes span every company
    after_sales_job_chunk_size = fields.Integer(
        "Records per Background Job", default=DEFAULT_CHUNK_SIZE,
        help="The scheduled passes (callbacks, escalations, contract visits) hand their work "
             "to background jobs of at most this many records each.")

    @api.model
    def get_values(self):
        values = super(ResConfigSettings, self).get_values()
        values["after_sales_job_chunk_size"] = self.env["after_sales.job.mixin"] \
            ._after_sales_chunk_size()
        return values

    @api.multi
    def set_values(self):
        result = super(ResConfigSettings, self).set_values()
        for settings in self:
            self.env["ir.config_parameter"].sudo().set_param(
                CHUNK_PARAM, str(settings.after_sales_job_chunk_size or DEFAULT_CHUNK_SIZE))
        return result

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

    # complaints
    after_sales_management_rep_id = fields.Many2one(
        "res.users", related="company_id.after_sales_management_rep_id")

    # trips and expense claims (001-4 第三节-第五节)
    after_sales_trip_distance = fields.Float(related="company_id.after_sales_trip_distance")
    after_sales_expense_claim_weekday = fields.Selection(
        related="company_id.after_sales_expense_claim_weekday")
    after_sales_expense_finance_weekday = fields.Selection(
        related="company_id.after_sales_expense_finance_weekday")

    # surveys and quality's audit
    after_sales_survey_low_score = fields.Float(
        related="company_id.after_sales_survey_low_score")
    after_sales_survey_link_days = fields.Integer(
        related="company_id.after_sales_survey_link_days")
    after_sales_audit_share = fields.Float(related="company_id.after_sales_audit_share")
