# -*- coding: utf-8 -*-
from datetime import datetime, time

import pytz

from odoo import api, fields, models


class Visit(models.Model):
    """Visits planned for a contract: linked to it by their due date (one visit per contract
    and due date), and not charged since the contract fee covers them."""

    _inherit = "after_sales.visit"

    contract_id = fields.Many2one("after_sales.contract", "Contract", index=True,
                                  track_visibility="onchange")
    contract_visit_date = fields.Date("Contract Visit Due", readonly=True, copy=False,
                                      help="The date of the contract schedule this visit "
                                           "fulfils.")

    _sql_constraints = [
        ("contract_visit_uniq", "unique (contract_id, contract_visit_date)",
         "The contract already has a visit for this due date."),
    ]

    @api.model
    def create(self, vals):
        if vals.get("contract_id") and "in_warranty" not in vals:
            vals = dict(vals, in_warranty=True)
        return super(Visit, self).create(vals)

    @api.onchange("contract_id")
    def _onchange_contract_id(self):
        contract = self.contract_id
        if contract:
            self.partner_id = contract.partner_id
            self.site_address = contract.site_address
            self.purpose = contract.visit_purpose
            self.product_ids = contract.line_ids.mapped("product_id")
            self.in_warranty = True

    @api.onchange("request_id")
    def _onchange_request_id(self):
        """A request on a product covered by an active contract is visited under it."""
        res = super(Visit, self)._onchange_request_id()
        request = self.request_id
        if request and request.product_id and not self.contract_id:
            day = (self.date_planned or fields.Datetime.now())[:10]
            contract = self.env["after_sales.contract"]._find_covering(
                request.partner_id, request.product_id, request.lot_id, day)[:1]
            if contract:
                self.contract_id = contract
                self.in_warranty = True
        return res


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    after_sales_contract_id = fields.Many2one("after_sales.contract", "After-Sales Contract",
                                              index=True, readonly=True, copy=False)


class ResPartner(models.Model):
    _inherit = "res.partner"

    after_sales_contract_ids = fields.One2many("after_sales.contract", "partner_id",
                                               "Contracts", groups="after_sales_service.group_user")
    after_sales_contract_count = fields.Integer(compute="_compute_after_sales_counts",
                                                groups="after_sales_service.group_user")

    def _after_sales_counted(self):
        return super(ResPartner, self)._after_sales_counted() + [
            ("after_sales_contract_count", "after_sales.contract")]


class ResCompany(models.Model):
    _inherit = "res.company"

    after_sales_contract_expiry_days = fields.Integer(
        "Contract Expiry Notice (days)", default=30,
        help="Active contracts ending within this many days are flagged as expiring and their "
             "responsible gets a to-do to renew them.")
    after_sales_contract_lead_days = fields.Integer(
        "Contract Visit Lead Time (days)", default=14,
        help="Contract visits are planned this many days before they are due, so that the "
             "trip is approved and the appointment agreed in time.")

    @api.multi
    def after_sales_visit_datetime(self, day, hour=9):
        """The moment (UTC string) `hour` o'clock on `day` in the company's time zone: when
        visits planned for a day start."""
        self.ensure_one()
        day = fields.Date.from_string(day) if isinstance(day, str) else day
        tz = pytz.timezone(self.partner_id.tz or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time(hour, 0)))
        return fields.Datetime.to_string(local.astimezone(pytz.UTC).replace(tzinfo=None))


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    after_sales_contract_expiry_days = fields.Integer(
        "Contract Expiry Notice (days)", related="company_id.after_sales_contract_expiry_days")
    after_sales_contract_lead_days = fields.Integer(
        "Contract Visit Lead Time (days)", related="company_id.after_sales_contract_lead_days")
