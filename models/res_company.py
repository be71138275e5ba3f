# -*- coding: utf-8 -*-
from datetime import timedelta

import pytz

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
