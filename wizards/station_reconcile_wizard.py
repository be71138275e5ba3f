# -*- coding: utf-8 -*-
from odoo import _, api, fields, models

GROUP_USER = "after_sales_service.group_user"


class StationReconcileWizard(models.TransientModel):
    """The monthly parts reconciliation of the service stations (网点配件核对): per station
    and part, the opening stock of its location, what was issued to it, used at customers
    and returned to our store during the month, and what it holds at the end (its quants for
    the current month, its done moves for a past one). Difference = opening + issued - used -
    returned - on hand: whatever else moved the station's stock (a count that found parts
    missing, a scrap); it should be zero. Computed in one query for all the stations."""

    _name = "after_sales.station.reconcile.wizard"
    _description = "Service Station Parts Reconciliation"

    month = fields.Date(required=True, default=fields.Date.context_today,
                        help="Any day of the month to reconcile.")
    station_ids = fields.Many2many("res.partner", string="Service Stations",
                                   domain="[('after_sales_is_station', '=', True)]",
                                   help="Empty: every station.")
    line_ids = fields.One2many("after_sales.station.reconcile.line", "wizard_id", "Lines",
                               readonly=True)
    difference_count = fields.Integer("Lines with a Difference",
                                      compute="_compute_difference_count")

    @api.depends("line_ids.difference")
    def _compute_difference_count(self):
        for wizard in self:
            wizard.difference_count = len(wizard.line_ids.filtered("has_difference"))

    @api.multi
    def action_compute(self):
        self.ensure_one()
        self.env["after_sales.document.mixin"]._check_group(
            GROUP_USER, _("Only the after-sales department reconciles the stations' parts."))
        self.line_ids.unlink()
        self.write({"line_ids": [(0, 0, vals) for vals in self._prepare_line_vals()]})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": _("Station Parts Reconciliation")}

    def _prepare_line_vals(self):
        company = self.env.user.company_id
        Settlement = self.env["after_sales.station.settlement"]
        _first, _last, start, end = Settlement._month_bounds(self.month, company)
        self.env.cr.execute("""
            WITH loc AS (
                SELECT id, after_sales_station_id AS station_id FROM stock_location
                 WHERE after_sales_station_id IS NOT NULL AND company_id = %(company)s
                   AND (%(all)s OR after_sales_station_id IN %(stations)s))
            SELECT loc.station_id, loc.id, m.product_id,
                   SUM(CASE WHEN m.date < %(start)s THEN
                       CASE WHEN m.location_dest_id = loc.id THEN m.product_qty
                            ELSE -m.product_qty END ELSE 0 END),
                   SUM(CASE WHEN m.date >= %(start)s AND m.location_dest_id = loc.id
                             AND src.usage = 'internal' THEN m.product_qty ELSE 0 END),
                   SUM(CASE WHEN m.date >= %(start)s AND m.location_id = loc.id
                             AND dest.usage = 'customer' THEN m.product_qty
                            WHEN m.date >= %(start)s AND m.location_dest_id = loc.id
                             AND src.usage = 'customer' THEN -m.product_qty ELSE 0 END),
                   SUM(CASE WHEN m.date >= %(start)s AND m.location_id = loc.id
                             AND dest.usage = 'internal' THEN m.product_qty ELSE 0 END),
                   SUM(CASE WHEN m.location_dest_id = loc.id THEN m.product_qty
                            ELSE -m.product_qty END)
              FROM stock_move m
              JOIN loc ON loc.id IN (m.location_id, m.location_dest_id)
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
             WHERE m.state = 'done' AND m.date < %(end)s
               AND m.location_id != m.location_dest_id
          GROUP BY loc.station_id, loc.id, m.product_id
          ORDER BY loc.station_id, m.product_id
        """, {"company": company.id, "all": not self.station_ids,
              "stations": tuple(self.station_ids.ids or [0]), "start": start, "end": end})
        rows = self.env.cr.fetchall()
        current = end > fields.Datetime.now()
        on_hand = {}
        if current and rows:
            # the current month: what the station's locations hold now (their quants)
            groups = self.env["stock.quant"].sudo().read_group(
                [("location_id", "in", list({row[1] for row in rows}))],
                ["location_id", "product_id", "quantity"], ["location_id", "product_id"],
                lazy=False)
            on_hand = {(g["location_id"][0], g["product_id"][0]): g["quantity"]
                       for g in groups}
        lines = []
        for station, location, product, opening, issued, used, returned, closing in rows:
            held = on_hand.get((location, product), 0.0) if current else closing
            lines.append({"station_id": station, "product_id": product, "opening": opening,
                          "issued": issued, "used": used, "returned": returned,
                          "on_hand": held,
                          "difference": opening + issued - used - returned - held})
        return lines


class StationReconcileLine(models.TransientModel):
    _name = "after_sales.station.reconcile.line"
    _description = "Service Station Parts Reconciliation Line"
    _order = "station_id, product_id"

    wizard_id = fields.Many2one("after_sales.station.reconcile.wizard", required=True,
                                ondelete="cascade")
    station_id = fields.Many2one("res.partner", "Service Station", readonly=True)
    product_id = fields.Many2one("product.product", "Part", readonly=True)
    opening = fields.Float(readonly=True)
    issued = fields.Float(readonly=True)
    used = fields.Float(readonly=True)
    returned = fields.Float(readonly=True)
    on_hand = fields.Float(readonly=True)
    difference = fields.Float(readonly=True)
    has_difference = fields.Boolean(compute="_compute_has_difference")

    @api.depends("difference")
    def _compute_has_difference(self):
        for line in self:
            line.has_difference = abs(line.difference) > 1e-6
