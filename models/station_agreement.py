# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .document_mixin import LINE_LENGTH, TEXT_LENGTH, document_action
from .request_selections import VISIT_PURPOSES
from .sla_rule import city_key, city_keys

GROUP_MANAGER = "after_sales_service.group_manager"

STATES = [
    ("prospective", "Prospective"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("ended", "Ended"),
]
LABOUR_UNITS = [("visit", "per Visit"), ("hour", "per Hour on Site")]


class StationAgreement(models.Model):
    """The agreement with a service station (特约维修点 / 服务站): the areas it covers, the
    services it does for us and the rates we pay it, for a period. Prospective, then active,
    suspended or ended; kept (never deleted). A station works for us (its visits, its
    settlement) only under its active agreement."""

    _name = "after_sales.station.agreement"
    _description = "Service Station Agreement"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.station.agreement"
    _order = "date_start desc, id desc"
    _reason_actions = ("suspend",)
    _text_limits = {"city_names": LINE_LENGTH, "note": TEXT_LENGTH,
                    "suspend_reason": TEXT_LENGTH}
    _non_negative_fields = ("travel_flat", "travel_per_km", "parts_commission")
    _owned_fields = ("state", "suspend_reason", "date_activated", "activated_by_id")

    state = fields.Selection(STATES, default="prospective", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")
    station_id = fields.Many2one("res.partner", "Service Station", required=True, index=True,
                                 domain="[('after_sales_is_station', '=', True)]",
                                 track_visibility="onchange")
    date_start = fields.Date("Start", required=True, track_visibility="onchange")
    date_end = fields.Date("End", track_visibility="onchange",
                           help="Empty: until the agreement is ended.")
    state_ids = fields.Many2many(
        "res.country.state", string="Provinces Covered",
        help="The station's visits are at sites in these provinces. Empty: any province.")
    city_names = fields.Char(
        "Cities Covered",
        help="The cities or districts covered, separated by commas (苏州市, 无锡市): the "
             "station's visits are at sites in these cities, within the provinces covered. "
             "Empty: any city of those provinces.")
    rate_line_ids = fields.One2many("after_sales.station.agreement.rate", "agreement_id",
                                    "Services and Labour Rates", copy=True)
    use_fee_standard = fields.Boolean(
        "Use the Fee Standard", track_visibility="onchange",
        help="Labour and travel are paid at the company's fee standard (per visit) instead "
             "of the rates agreed here.")
    travel_flat = fields.Monetary("Travel Fee (flat)", track_visibility="onchange")
    travel_per_km = fields.Monetary("Travel Fee per km", track_visibility="onchange")
    parts_commission = fields.Float(
        "Parts Commission (%)", track_visibility="onchange",
        help="Paid on the parts the station used on out-of-warranty visits (invoiced to the "
             "customer): this percentage of their price per the fee standard.")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    note = fields.Text("Terms")
    suspend_reason = fields.Char("Suspension Reason", readonly=True, copy=False,
                                 track_visibility="onchange")
    date_activated = fields.Datetime("Activated On", readonly=True, copy=False)
    activated_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    # ------------------------------------------------------------------ constraints

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_end and agreement.date_end < agreement.date_start:
                raise ValidationError(_("The end of agreement %s can't be before its start.")
                                      % agreement.name)

    @api.constrains("station_id", "date_start", "date_end", "state")
    def _check_overlap(self):
        """A station has one agreement at a time: the periods of its agreements not ended
        don't overlap, and only one is active."""
        for agreement in self.filtered(lambda a: a.state == "active"):
            other = self.sudo().search([
                ("id", "!=", agreement.id), ("station_id", "=", agreement.station_id.id),
                ("company_id", "=", agreement.company_id.id), ("state", "=", "active")],
                limit=1)
            if other:
                raise ValidationError(_("%(station)s already has an active agreement, "
                                        "%(other)s: end it before activating %(agreement)s.") % {
                                            "station": agreement.station_id.name,
                                            "other": other.name, "agreement": agreement.name})
        for agreement in self.filtered(lambda a: a.state != "ended"):
            domain = [("id", "!=", agreement.id), ("station_id", "=", agreement.station_id.id),
                      ("company_id", "=", agreement.company_id.id), ("state", "!=", "ended"),
                      "|", ("date_end", "=", False), ("date_end", ">=", agreement.date_start)]
            if agreement.date_end:
                domain.append(("date_start", "<=", agreement.date_end))
            other = self.sudo().search(domain, limit=1)
            if other:
                raise ValidationError(_(
                    "The period of %(agreement)s overlaps %(other)s of %(station)s (%(start)s - "
                    "%(end)s): a station has one agreement at a time. End that one first or "
                    "change the dates.") % {
                        "agreement": agreement.name, "other": other.name,
                        "station": agreement.station_id.name, "start": other.date_start,
                        "end": other.date_end or _("open")})

    @api.constrains("station_id")
    def _check_station(self):
        for agreement in self:
            if not agreement.station_id.after_sales_is_station:
                raise ValidationError(_("%s is not a service station: tick Service Station "
                                        "on the partner first.") % agreement.station_id.name)

    @api.multi
    def unlink(self):
        if self:
            raise UserError(_("Station agreements are kept: end the agreement instead."))
        return super(StationAgreement, self).unlink()

    # ------------------------------------------------------------------ actions

    def _check_manager(self):
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only the after-sales manager changes the status of station "
                                "agreements."))

    @api.multi
    @document_action
    def action_activate(self):
        """In force: the station works under these terms (also after a suspension)."""
        self._check_manager()
        refused = self.filtered(lambda a: a.state not in ("prospective", "suspended"))
        if refused:
            raise UserError(_("Only prospective or suspended agreements can be activated: %s")
                            % ", ".join(refused.mapped("name")))
        missing = self.filtered(lambda a: not a.rate_line_ids)
        if missing:
            raise UserError(_("List the services the station does (Services and Labour "
                              "Rates) before activating: %s") % ", ".join(missing.mapped("name")))
        self.write({"state": "active", "suspend_reason": False,
                    "date_activated": fields.Datetime.now(),
                    "activated_by_id": self.env.user.id})
        return True

    @api.multi
    @document_action
    def action_suspend(self, reason=None):
        self._check_manager()
        refused = self.filtered(lambda a: a.state != "active")
        if refused:
            raise UserError(_("Only active agreements can be suspended: %s")
                            % ", ".join(refused.mapped("name")))
        reason = self._check_reason(reason, "suspend")
        self.write({"state": "suspended", "suspend_reason": reason})
        return True

    @api.multi
    def action_suspend_wizard(self):
        return self._open_reason_wizard("suspend", _("Suspend Agreement"))

    @api.multi
    @document_action
    def action_end(self):
        """Ended: kept with its visits and settlements; ended today at the latest."""
        self._check_manager()
        refused = self.filtered(lambda a: a.state == "ended")
        if refused:
            raise UserError(_("These agreements are already ended: %s")
                            % ", ".join(refused.mapped("name")))
        today = fields.Date.context_today(self)
        for agreement in self:
            vals = {"state": "ended"}
            if not agreement.date_end or agreement.date_end > today:
                vals["date_end"] = max(today, agreement.date_start)
            agreement.write(vals)
        return True

    # ------------------------------------------------------------------ rates

    @api.model
    def _find_active(self, stations, day, company):
        """{station id: its active agreement on `day`} for the stations (one search)."""
        agreements = self.sudo().search([
            ("station_id", "in", stations.ids), ("state", "=", "active"),
            ("company_id", "=", company.id), ("date_start", "<=", day),
            "|", ("date_end", "=", False), ("date_end", ">=", day)])
        return {agreement.station_id.id: agreement for agreement in agreements}

    @api.multi
    def covers(self, purpose):
        self.ensure_one()
        return purpose in self.rate_line_ids.mapped("purpose")

    @api.multi
    def covers_site(self, state, city):
        """Whether a site (its province, its city name) is in the areas covered: one of the
        provinces when any are listed, one of the cities when any are named."""
        self.ensure_one()
        if self.state_ids and state not in self.state_ids:
            return False
        cities = city_keys(self.city_names)
        return not cities or city_key(city) in cities

    @api.multi
    def _areas_label(self):
        """The areas covered, as the agreement's form shows them."""
        self.ensure_one()
        parts = [", ".join(self.state_ids.mapped("name")), self.city_names or ""]
        return " / ".join(part for part in parts if part) or _("any area")

    @api.multi
    def labour_line(self, visit, standard):
        """(quantity, unit price, unit label) of the labour paid for `visit`."""
        self.ensure_one()
        if self.use_fee_standard:
            return 1.0, standard.labour_price(visit.purpose), _("visit")
        rate = self.rate_line_ids.filtered(lambda r: r.purpose == visit.purpose)[:1]
        if rate.labour_unit == "hour":
            return visit._station_hours_on_site(), rate.labour_rate, _("h")
        return 1.0, rate.labour_rate, _("visit")

    @api.multi
    def travel_amount(self, visit, standard):
        self.ensure_one()
        if self.use_fee_standard:
            return standard.travel_price(visit.distance_km)
        return self.travel_flat + self.travel_per_km * (visit.distance_km or 0.0)


class StationAgreementRate(models.Model):
    """A service the station does under its agreement, with the labour rate we pay."""

    _name = "after_sales.station.agreement.rate"
    _description = "Station Service and Labour Rate"
    _order = "purpose"

    agreement_id = fields.Many2one("after_sales.station.agreement", required=True,
                                   ondelete="cascade")
    currency_id = fields.Many2one(related="agreement_id.currency_id", readonly=True)
    purpose = fields.Selection(VISIT_PURPOSES, "Service", required=True)
    labour_rate = fields.Monetary()
    labour_unit = fields.Selection(LABOUR_UNITS, "Per", required=True, default="visit")

    _sql_constraints = [
        ("purpose_uniq", "unique (agreement_id, purpose)", "One rate per service."),
    ]

    @api.constrains("labour_rate")
    def _check_labour_rate(self):
        for rate in self:
            if rate.labour_rate < 0:
                raise ValidationError(_("%(field)s can't be negative (%(value)s).") % {
                    "field": rate._fields["labour_rate"].get_description(self.env)["string"],
                    "value": rate.labour_rate})
