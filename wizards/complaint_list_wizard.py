# -*- coding: utf-8 -*-
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ComplaintListWizard(models.TransientModel):
    """Print the complaints list (顾客投诉处理一览表) of a period."""

    _name = "after_sales.complaint.list.wizard"
    _description = "Print the Complaints List"

    date_from = fields.Date("From", required=True,
                            default=lambda self: fields.Date.context_today(self)[:8] + "01")
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)

    @api.multi
    def action_print(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(_("%(to)s can't be before %(from)s.") % {
                "to": self._fields["date_to"].get_description(self.env)["string"],
                "from": self._fields["date_from"].get_description(self.env)["string"]})
        return self.env.ref("after_sales_service.complaint_list_report").report_action(
            self, data={"date_from": self.date_from, "date_to": self.date_to})

    @api.model
    def _utc_bound(self, day, days_after=0):
        """The UTC moment the local day `day` (+ days_after) starts, in the time zone of the
        user's company (its partner's), else the user's."""
        tz = pytz.timezone(self.env.user.company_id.partner_id.tz or self.env.user.tz or "UTC")
        start = datetime.combine(fields.Date.from_string(day) + timedelta(days=days_after),
                                 time.min)
        return fields.Datetime.to_string(tz.localize(start).astimezone(pytz.utc)
                                         .replace(tzinfo=None))
