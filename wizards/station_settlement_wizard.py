# -*- coding: utf-8 -*-
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models


def _last_month(wizard):
    today = fields.Date.from_string(fields.Date.context_today(wizard))
    return fields.Date.to_string(today.replace(day=1) - relativedelta(months=1))


class StationSettlementWizard(models.TransientModel):
    """Settle a month for the service stations: one settlement and draft vendor bill per
    station with verified visits not settled yet (running it again adds only those)."""

    _name = "after_sales.station.settlement.wizard"
    _description = "Settle the Service Stations"

    month = fields.Date(required=True, default=_last_month,
                        help="Any day of the month to settle.")
    station_ids = fields.Many2many("res.partner", string="Service Stations",
                                   domain="[('after_sales_is_station', '=', True)]",
                                   help="Empty: every station.")

    @api.multi
    def action_run(self):
        self.ensure_one()
        Settlement = self.env["after_sales.station.settlement"]
        settlements = Settlement.run_month(self.month, self.station_ids or None)
        date_from = Settlement._month_bounds(self.month, self.env.user.company_id)[0]
        action = Settlement._window_action(
            "after_sales_service.station_settlement_action", [("date_from", "=", date_from)])
        action["name"] = _("Settlements of %s") % date_from[:7]
        if not settlements:
            action["help"] = _("<p>Nothing new to settle for this month: every verified "
                               "station visit is already on a settlement.</p>")
        return action
