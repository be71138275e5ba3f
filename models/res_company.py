# -*- coding: utf-8 -*-
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

HOURS_PER_DAY = 8.0


class ResCompany(models.Model):
    """Every setting of the after-sales process kept per company, and the company's working
    time that the time limits are planned in."""

    _inherit = "res.company"

    # parts and warranty cost
    after_sales_warranty_account_id = fields.Many2one(
        "account.account", "Warranty Expense Account", domain=[("deprecated", "=", False)],
        help="Parts sent free in warranty are booked to this expense account when their "
             "transfer is validated.")
    after_sales_warranty_journal_id = fields.Many2one(
        "account.journal", "Warranty Cost Journal",
        help="Journal of the warranty cost entries; the first miscellaneous journal if empty.")
    # returns and compensation
    after_sales_compensation_limit = fields.Monetary(
        "Compensation Approval Limit", currency_field="currency_id", default=5000.0,
        help="Write-offs and compensation above this amount, and any compensation without "
             "returned goods, need the quality manager's review and the general manager's "
             "approval.")
    # visits and expenses
    after_sales_overtime_subsidy = fields.Monetary(
        "Overtime Subsidy per Day", default=60.0, currency_field="currency_id",
        help="Paid to a technician for each day of a visit worked after hours or on a holiday, "
             "once the signed service record is verified.")
    after_sales_expense_claim_days = fields.Integer(
        "Expense Claim Period (days)", default=7,
        help="Expenses are claimed weekly: older ones are refused.")
    # callbacks
    after_sales_callback_attempts = fields.Integer("Callback Attempts", default=3,
                                                   help="Unanswered calls before a callback is "
                                                        "recorded as unreachable.")
    after_sales_usage_callback_months = fields.Integer("Usage Callback After (months)",
                                                       default=6)
    # contracts
    after_sales_contract_expiry_days = fields.Integer(
        "Contract Expiry Notice (days)", default=30,
        help="Active contracts ending within this many days are flagged as expiring and their "
             "responsible gets a to-do to renew them.")
    after_sales_contract_lead_days = fields.Integer(
        "Contract Visit Lead Time (days)", default=14,
        help="Contract visits are planned this many days before they are due, so that the "
             "trip is approved and the appointment agreed in time.")

    @api.model
    def create(self, vals):
        company = super(ResCompany, self).create(vals)
        company.sudo()._after_sales_init_company()
        return company

    @api.multi
    def _after_sales_init_company(self):
        """What the main company got at install, for a new company: its own copy of the main
        company's time limits (without them its requests would get no deadline) and a fee
        standard (the main company's amounts when both share a currency). Its warehouse gets
        its after-sales locations and parts operation type when it is created, and its sales,
        purchase and miscellaneous journals come with its chart of accounts."""
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        Rule = self.env["after_sales.sla.rule"].sudo()
        Standard = self.env["after_sales.fee.standard"].sudo()
        for company in self:
            source = main if main and main != company else self.browse()
            if not Rule.search_count([("company_id", "=", company.id)]):
                for rule in Rule.search([("company_id", "=", source.id)]):
                    rule.copy({"company_id": company.id})
            if not Standard.search_count([("company_id", "=", company.id)]):
                model = Standard.search([("company_id", "=", source.id)], limit=1)
                if model and model.currency_id == company.currency_id:
                    model.copy({"company_id": company.id})
                else:
                    Standard.create({"company_id": company.id})
        return True

    @api.multi
    def _after_sales_calendar(self):
        """The working-time calendar of after-sales time limits, in the company's time zone."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            raise UserError(_("Set a working time calendar on company %s first.") % self.name)
        tz = self.partner_id.tz or self.env.user.tz or "UTC"
        return calendar.with_context(tz=tz)

    @api.multi
    def after_sales_plan_deadline(self, start, amount, unit="hours"):
        """The moment `amount` working hours or working days after `start` (leaves excluded).

        :param start: datetime or Odoo datetime string (UTC)
        :param unit: 'hours' or 'days'
        :return: naive UTC datetime
        """
        start = fields.Datetime.from_string(start) if isinstance(start, str) else start
        calendar = self._after_sales_calendar()
        # a working day is 8 working hours (as in Odoo 11's leaves): 2 days after Monday 10:00
        # in a 8-12/13-17 week is Wednesday 10:00
        hours = amount * HOURS_PER_DAY if unit == "days" else amount
        return calendar.plan_hours(hours, start, compute_leaves=True) or start

    @api.multi
    def after_sales_working_hours(self, start, end):
        """Working hours between two datetimes (UTC), leaves excluded."""
        start = fields.Datetime.from_string(start) if isinstance(start, str) else start
        end = fields.Datetime.from_string(end) if isinstance(end, str) else end
        if not start or not end or end <= start:
            return 0.0
        calendar = self._after_sales_calendar()
        # Odoo 11's get_work_hours_count iterates days from the start's time of day, which
        # drops the last day when it ends earlier in the day: count both ends from midnight.
        tz = pytz.timezone(calendar.env.context["tz"])
        local_start = pytz.UTC.localize(start).astimezone(tz)
        midnight = local_start.replace(hour=0, minute=0, second=0, microsecond=0)
        midnight = midnight.astimezone(pytz.UTC).replace(tzinfo=None)

        def from_midnight(moment):
            if moment <= midnight:
                return 0.0
            # an end at midnight would count that whole day: end just before it
            moment -= timedelta(microseconds=1)
            return calendar.get_work_hours_count(midnight, moment, None, compute_leaves=True)
        return from_midnight(end) - from_midnight(start)

    def _after_sales_warranty_journal(self):
        self.ensure_one()
        journal = self.after_sales_warranty_journal_id or self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.id)], limit=1)
        if not journal:
            raise UserError(_("Set the warranty cost journal of company %s.") % self.name)
        return journal

    @api.multi
    def after_sales_visit_datetime(self, day, hour=9):
        """The moment (UTC string) `hour` o'clock on `day` in the company's time zone: when
        visits planned for a day start."""
        self.ensure_one()
        day = fields.Date.from_string(day) if isinstance(day, str) else day
        tz = pytz.timezone(self.partner_id.tz or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time(hour, 0)))
        return fields.Datetime.to_string(local.astimezone(pytz.UTC).replace(tzinfo=None))
