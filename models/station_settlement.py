# -*- coding: utf-8 -*-
from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

GROUP_MANAGER = "after_sales_service.group_manager"
LINE_KINDS = [("labour", "Labour"), ("travel", "Travel"), ("parts", "Parts Commission")]


class StationSettlement(models.Model):
    """The monthly settlement of a service station (每月账目核对和清算): its verified visits of
    the month at the agreed rates, and the commission on the parts it used that the customer
    was invoiced for, billed by a draft vendor bill; the statement the station signs. One per
    station and month; running the month again adds only what is not settled yet."""

    _name = "after_sales.station.settlement"
    _description = "Service Station Settlement"
    _inherit = ["after_sales.numbered.document", "after_sales.charge.mixin"]
    _sequence_code = "after_sales.station.settlement"
    _order = "date_from desc, station_id"

    station_id = fields.Many2one("res.partner", "Service Station", required=True,
                                 readonly=True, index=True)
    date_from = fields.Date("Month", required=True, readonly=True, index=True)
    date_to = fields.Date("Until", required=True, readonly=True)
    visit_ids = fields.One2many("after_sales.visit", "station_settlement_id", "Visits",
                                readonly=True)
    line_ids = fields.One2many("after_sales.station.settlement.line", "settlement_id",
                               "Lines", readonly=True)
    invoice_ids = fields.Many2many("account.invoice", string="Vendor Bills", readonly=True,
                                   copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    amount_total = fields.Monetary("Total", compute="_compute_amount_total", store=True)
    visit_count = fields.Integer("Visits Settled", compute="_compute_amount_total", store=True)

    _sql_constraints = [
        ("station_month_uniq", "unique (station_id, date_from, company_id)",
         "A station has one settlement per month."),
    ]

    @api.depends("line_ids.amount", "line_ids.visit_id")
    def _compute_amount_total(self):
        for settlement in self:
            settlement.amount_total = sum(settlement.line_ids.mapped("amount"))
            settlement.visit_count = len(settlement.line_ids.mapped("visit_id"))

    # ------------------------------------------------------------------ the monthly run

    @api.model
    def _month_bounds(self, month, company):
        """(first day, last day, UTC start, UTC end) of the month of date `month`, its days
        in the company's time zone."""
        first = fields.Date.from_string(month).replace(day=1)
        last = first + relativedelta(months=1, days=-1)
        tz = pytz.timezone(company.sudo().partner_id.tz or self.env.user.tz or "UTC")

        def utc(day):
            moment = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
            return fields.Datetime.to_string(moment.replace(tzinfo=None))
        return (fields.Date.to_string(first), fields.Date.to_string(last), utc(first),
                utc(last + relativedelta(days=1)))

    @api.model
    def run_month(self, month, stations=None, company=None):
        """Settle the month of date `month` for the stations (all by default): the verified
        station visits completed that month and not settled yet, one settlement and one draft
        vendor bill per station (lines added to its bill while the bill is a draft). Returns
        the settlements that got something."""
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only the after-sales manager settles the service stations."))
        company = company or self.env.user.company_id
        date_from, date_to, start, end = self._month_bounds(month, company)
        domain = [("state", "=", "verified"), ("station_settlement_id", "=", False),
                  ("company_id", "=", company.id), ("date_departure", ">=", start),
                  ("date_departure", "<", end)]
        domain.append(("station_id", "in", stations.ids) if stations
                      else ("station_id", "!=", False))
        visits = self.env["after_sales.visit"].sudo().search(domain, order="date_departure, id")
        if not visits:
            return self.browse()
        existing = self.sudo().search([("station_id", "in", visits.mapped("station_id").ids),
                                       ("date_from", "=", date_from),
                                       ("company_id", "=", company.id)])
        by_station = {s.station_id.id: s for s in existing}
        agreements = self._agreements_of(visits, company)
        standard = self.env["after_sales.fee.standard"].for_company(company).sudo()
        settled = self.browse()
        for station in visits.mapped("station_id"):
            settlement = by_station.get(station.id) or self.sudo().create({
                "station_id": station.id, "date_from": date_from, "date_to": date_to,
                "company_id": company.id})
            mine = visits.filtered(lambda v: v.station_id == station)
            if settlement._add_visits(mine, agreements, standard):
                settled |= settlement
        return settled.with_env(self.env)

    @api.model
    def _agreements_of(self, visits, company):
        """{visit id: the station's agreement in force on the visit's planned day} (one search;
        an agreement ended or suspended since still prices the visits made under it)."""
        candidates = self.env["after_sales.station.agreement"].sudo().search([
            ("station_id", "in", visits.mapped("station_id").ids),
            ("company_id", "=", company.id), ("state", "!=", "prospective")])
        result = {}
        for visit in visits:
            day = self._local_date(visit.date_planned, company)
            for agreement in candidates:
                if agreement.station_id == visit.station_id and agreement.date_start <= day \
                        and (not agreement.date_end or agreement.date_end >= day):
                    result[visit.id] = agreement
                    break
        return result

    def _add_visits(self, visits, agreements, standard):
        """Lines for the visits (those with an agreement), linked to this settlement, and
        billed on its draft bill. Returns whether anything was added."""
        self.ensure_one()
        line_vals = []
        for visit in visits.filtered(lambda v: v.id in agreements):
            line_vals += self._prepare_visit_line_vals(visit, agreements[visit.id], standard)
        line_vals = [vals for vals in line_vals if vals["quantity"] and vals["price_unit"]]
        priced = visits.filtered(lambda v: v.id in agreements)
        if not priced:
            return False
        priced._as_action().write({"station_settlement_id": self.id})
        lines = self.env["after_sales.station.settlement.line"].sudo().browse()
        for vals in line_vals:
            lines |= lines.create(dict(vals, settlement_id=self.id))
        if lines:
            self._bill(lines)
        return True

    def _prepare_visit_line_vals(self, visit, agreement, standard):
        data = self.env.ref
        purposes = dict(visit._fields["purpose"]._description_selection(self.env))
        quantity, price, unit = agreement.labour_line(visit, standard)
        lines = [{
            "visit_id": visit.id, "kind": "labour",
            "product_id": data("after_sales_service.product_labour").id,
            "name": _("%(visit)s labour: %(service)s (%(unit)s)") % {
                "visit": visit.name, "service": purposes[visit.purpose], "unit": unit},
            "quantity": quantity, "price_unit": price,
        }, {
            "visit_id": visit.id, "kind": "travel",
            "product_id": data("after_sales_service.product_travel").id,
            "name": _("%(visit)s travel (%(km)s km)") % {"visit": visit.name,
                                                        "km": visit.distance_km},
            "quantity": 1.0, "price_unit": agreement.travel_amount(visit, standard),
        }]
        if not visit.in_warranty and agreement.parts_commission:
            commission = data("after_sales_service.product_station_parts_commission")
            for part in visit.part_ids.filtered("qty_used"):
                lines.append({
                    "visit_id": visit.id, "kind": "parts", "product_id": commission.id,
                    "part_id": part.product_id.id,
                    "name": _("%(visit)s parts commission %(rate)s%%: %(part)s") % {
                        "visit": visit.name, "rate": agreement.parts_commission,
                        "part": part.product_id.display_name},
                    "quantity": part.qty_used,
                    "price_unit": standard.currency_id.round(
                        standard.part_price(part.product_id) * agreement.parts_commission
                        / 100.0),
                })
        return lines

    def _bill(self, lines):
        """The lines go on the settlement's draft vendor bill (a new one when it has none or
        finance has validated it)."""
        charge = [(line.product_id, line.quantity, line.price_unit, line.name) for line in lines]
        bill = self.sudo().invoice_ids.filtered(lambda i: i.state == "draft")[:1]
        if bill:
            fiscal_position = bill.fiscal_position_id
            bill.write({"invoice_line_ids": [(0, 0, self._prepare_charge_line_vals(
                product, qty, price, name, "in_invoice", self.company_id, fiscal_position,
                bill.journal_id)) for product, qty, price, name in charge]})
            bill.compute_taxes()
        else:
            bill = self._create_charge_invoice(
                self.station_id, charge, self.name, invoice_type="in_invoice",
                company=self.company_id, extra_vals={"date_invoice": self.date_to})
            self.sudo().invoice_ids = [(4, bill.id)]
        lines.write({"invoice_id": bill.id})
        self.sudo().message_post(body=_("%(count)s lines billed on %(bill)s.") % {
            "count": len(lines), "bill": bill.number or bill.reference or _("draft bill")},
            subtype="mail.mt_note")
        return bill

    @api.multi
    def action_view_invoices(self):
        return self._window_action("account.action_invoice_tree2",
                                   [("id", "in", self.sudo().mapped("invoice_ids").ids)])

    @api.multi
    def action_print_statement(self):
        return self.env.ref("after_sales_service.station_settlement_report").report_action(self)


class StationSettlementLine(models.Model):
    """What a settlement pays for one visit: labour, travel, the commission on a part."""

    _name = "after_sales.station.settlement.line"
    _description = "Service Station Settlement Line"
    _order = "settlement_id, visit_id, id"

    settlement_id = fields.Many2one("after_sales.station.settlement", required=True,
                                    ondelete="cascade", index=True)
    visit_id = fields.Many2one("after_sales.visit", required=True, index=True)
    kind = fields.Selection(LINE_KINDS, required=True)
    product_id = fields.Many2one("product.product", required=True)
    part_id = fields.Many2one("product.product")
    name = fields.Char("Description", required=True)
    quantity = fields.Float(required=True)
    price_unit = fields.Monetary("Unit Price")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    currency_id = fields.Many2one(related="settlement_id.currency_id", readonly=True)
    invoice_id = fields.Many2one("account.invoice", "Vendor Bill", readonly=True)
    company_id = fields.Many2one(related="settlement_id.company_id", store=True, readonly=True)

    @api.depends("quantity", "price_unit")
    def _compute_amount(self):
        for line in self:
            line.amount = line.currency_id.round(line.quantity * line.price_unit) \
                if line.currency_id else line.quantity * line.price_unit
