# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError

HOURS_PER_DAY = 8.0


class ResCompany(models.Model):
    _inherit = "res.company"

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
        return self._after_sales_calendar().get_work_hours_count(start, end, None,
                                                                 compute_leaves=True)
