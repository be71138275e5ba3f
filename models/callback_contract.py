# -*- coding: utf-8 -*-
from odoo import api, fields, models


class Callback(models.Model):
    """Contract visits (monthly visits, quarterly inspections of contract customers) are
    followed by a contract visit callback instead of the service satisfaction one: one call
    per visit, whose questionnaire covers the satisfaction questions that apply and the
    contract's (inspection done as agreed, nothing charged). It uses the visit's trigger, so a
    visit never gets both, and the job's search for visits without a callback sees it."""

    _inherit = "after_sales.callback"

    contract_id = fields.Many2one("after_sales.contract", "Contract", index=True, readonly=True)

    @api.model
    def _visit_callback_type(self, visit):
        if visit.contract_id:
            return self.env.ref("after_sales_service.callback_type_contract")
        return super(Callback, self)._visit_callback_type(visit)

    @api.model
    def _prepare_visit_callback_vals(self, visit, callback_type):
        vals = super(Callback, self)._prepare_visit_callback_vals(visit, callback_type)
        contract = visit.contract_id
        if contract:
            vals["contract_id"] = contract.id
            if contract.user_id and not visit.request_id.user_id:
                vals["user_id"] = contract.user_id.id
        return vals


class Contract(models.Model):
    _inherit = "after_sales.contract"

    callback_ids = fields.One2many("after_sales.callback", "contract_id", "Callbacks",
                                   readonly=True, groups="after_sales_service.group_user")
