# -*- coding: utf-8 -*-
"""The service indicators management steers by (002-H §4.6, 003-b 第八条): R/1000, TGW, CPU,
complaint rate, first-time fix rate and parts quality, each from one SQL query for a company
and a period, never record by record. The statistics (screen, workbook, PDF) and the
dashboard read them from here; the formulas are in the README."""
from odoo import api, models

# visits that count as done (see models/visit.py FINISHED_STATES)
FINISHED_VISITS = ("done", "verified")
# request categories reporting a fault (TGW, 'things gone wrong')
FAULT_CATEGORIES = ("repair", "return")
# transfers of the after-sales process itself: not units delivered to customers
AFTER_SALES_PICKING = """
    (p.after_sales_parts_order_id IS NOT NULL OR p.after_sales_old_parts_order_id IS NOT NULL
     OR p.after_sales_visit_id IS NOT NULL OR p.after_sales_return_id IS NOT NULL
     OR p.after_sales_repair_id IS NOT NULL OR p.after_sales_recall_task_id IS NOT NULL
     OR p.after_sales_station_id IS NOT NULL)
"""


def per_thousand(part, units):
    return 1000.0 * part / units if units else None


def share(part, whole):
    return float(part) / whole if whole else None


class Indicators(models.AbstractModel):
    _name = "after_sales.indicators"
    _description = "Service Indicators"

    @api.model
    def _figures(self, company, start, end, days, team=None):
        """The indicators of `company` for [start, end[ (UTC datetime strings), `days` the
        same period as (first day, day after the last) dates for what is dated by day
        (accounting); with a team,
        the requests, visits and complaints of its requests (the units delivered stay the
        company's). Read in SQL: the caller checks who may see them."""
        params = {"company": company.id, "start": start, "end": end,
                  "team": team.id if team else None, "finished": FINISHED_VISITS,
                  "faults": FAULT_CATEGORIES}
        values = {"units_delivered": self._units_delivered(params)}
        values.update(self._warranty_visits(params))
        values.update(self._request_counts(params))
        values["repairs_returns"] = self._return_repairs(params)
        values["complaints"] = self._complaints(params)
        values["warranty_parts_cost"] = self._warranty_parts_cost(company, days, team)
        values["repairs_3b"] = values["repairs_field"] + values["repairs_returns"]
        values["warranty_cost"] = (values["warranty_parts_cost"] + values["visit_labour"]
                                   + values["visit_travel"] + values["visit_parts_cost"])
        units = values["units_delivered"]
        values.update({
            "r1000": per_thousand(values["repairs_3b"], units),
            "tgw": per_thousand(values["faults"], units),
            "cpu": values["warranty_cost"] / units if units else None,
            "complaint_rate": per_thousand(values["complaints"], units),
            "first_time_fix_rate": share(values["fixed_first_time"],
                                         values["repairs_resolved"]),
        })
        return values

    def _fetch(self, query, params):
        self.env.cr.execute(query, params)
        return self.env.cr.fetchone()

    def _units_delivered(self, params):
        """Units delivered: done moves to a customer location of the period (from a
        non-customer location), the after-sales transfers (parts, visits, returns) left out."""
        return self._fetch("""
            SELECT COALESCE(SUM(m.product_qty), 0)
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dst ON dst.id = m.location_dest_id
         LEFT JOIN stock_picking p ON p.id = m.picking_id
             WHERE m.state = 'done' AND m.company_id = %(company)s
               AND dst.usage = 'customer' AND src.usage != 'customer'
               AND m.date >= %(start)s AND m.date < %(end)s
               AND m.after_sales_return_id IS NULL AND m.after_sales_disposition_id IS NULL
               AND m.after_sales_parts_order_line_id IS NULL
               AND NOT COALESCE(""" + AFTER_SALES_PICKING + """, FALSE)
        """, params)[0]

    def _warranty_visits(self, params):
        """In-warranty field repairs (三包 on site): finished repair visits in warranty by
        arrival; their labour and travel (as estimated from the fee standard) and the cost
        of the parts used on them (value of their consumption moves)."""
        row = self._fetch("""
            WITH visits AS (
                SELECT v.id, v.estimated_labour, v.estimated_travel
                  FROM after_sales_visit v
             LEFT JOIN after_sales_request r ON r.id = v.request_id
                 WHERE v.company_id = %(company)s AND v.state IN %(finished)s
                   AND v.purpose = 'repair' AND v.in_warranty
                   AND COALESCE(v.date_arrival, v.date_planned) >= %(start)s
                   AND COALESCE(v.date_arrival, v.date_planned) < %(end)s
                   AND (%(team)s IS NULL OR r.team_id = %(team)s))
            SELECT (SELECT COUNT(*) FROM visits),
                   (SELECT COALESCE(SUM(estimated_labour), 0) FROM visits),
                   (SELECT COALESCE(SUM(estimated_travel), 0) FROM visits),
                   (SELECT COALESCE(-SUM(m.value), 0)
                      FROM stock_move m
                      JOIN stock_picking p ON p.id = m.picking_id
                     WHERE m.state = 'done' AND p.after_sales_visit_role = 'consume'
                       AND p.after_sales_visit_id IN (SELECT id FROM visits))
        """, params)
        return {"repairs_field": row[0], "visit_labour": row[1], "visit_travel": row[2],
                "visit_parts_cost": row[3]}

    def _request_counts(self, params):
        """Faults reported (repair and return requests received) and the first-time fixes:
        repair requests resolved in the period with at most one finished visit."""
        row = self._fetch("""
            SELECT COUNT(*) FILTER (WHERE r.category IN %(faults)s
                                      AND r.date_received >= %(start)s
                                      AND r.date_received < %(end)s),
                   COUNT(*) FILTER (WHERE r.category = 'repair'
                                      AND r.date_resolved >= %(start)s
                                      AND r.date_resolved < %(end)s),
                   COUNT(*) FILTER (WHERE r.category = 'repair'
                                      AND r.date_resolved >= %(start)s
                                      AND r.date_resolved < %(end)s
                                      AND COALESCE(vc.visits, 0) <= 1)
              FROM after_sales_request r
         LEFT JOIN (SELECT request_id, COUNT(*) AS visits FROM after_sales_visit
                     WHERE state IN %(finished)s GROUP BY request_id) vc
                ON vc.request_id = r.id
             WHERE r.company_id = %(company)s AND r.state != 'cancel'
               AND (%(team)s IS NULL OR r.team_id = %(team)s)
        """, params)
        return {"faults": row[0], "repairs_resolved": row[1], "fixed_first_time": row[2]}

    def _return_repairs(self, params):
        """Returned goods repaired (三包 repair of a return): quantity of the repair
        dispositions executed in the period."""
        return self._fetch("""
            SELECT COALESCE(SUM(d.quantity), 0)
              FROM after_sales_return_disposition d
              JOIN after_sales_return c ON c.id = d.return_id
         LEFT JOIN after_sales_request r ON r.id = c.request_id
             WHERE d.company_id = %(company)s AND d.disposition_type = 'repair'
               AND d.state IN ('repair', 'done')
               AND d.date_executed >= %(start)s AND d.date_executed < %(end)s
               AND (%(team)s IS NULL OR r.team_id = %(team)s)
        """, params)[0]

    def _complaints(self, params):
        return self._fetch("""
            SELECT COUNT(*)
              FROM after_sales_complaint k
         LEFT JOIN after_sales_request r ON r.id = k.request_id
             WHERE k.company_id = %(company)s
               AND k.date_received >= %(start)s AND k.date_received < %(end)s
               AND (%(team)s IS NULL OR r.team_id = %(team)s)
        """, params)[0]

    def _warranty_parts_cost(self, company, days, team):
        """Parts sent in warranty: the validated warranty cost entries (money analysis) dated
        in the period."""
        self.env.cr.execute("""
            SELECT COALESCE(SUM(amount), 0) FROM after_sales_money_report
             WHERE kind = 'warranty' AND accounting_state = 'validated'
               AND company_id = %(company)s AND date >= %(start)s AND date < %(end)s
               AND (%(team)s IS NULL OR team_id = %(team)s)
        """, {"company": company.id, "start": days[0], "end": days[1],
              "team": team.id if team else None})
        return self.env.cr.fetchone()[0]

    @api.model
    def _parts_quality(self, company, start, end):
        """Old parts inspected in the period, by part and supplier: quantity inspected and
        per inspection result (read_group: the user's company rules apply)."""
        groups = self.env["after_sales.old.part"].read_group(
            [("company_id", "=", company.id), ("date_inspected", ">=", start),
             ("date_inspected", "<", end), ("inspection_result", "!=", False)],
            ["product_id", "supplier_id", "inspection_result", "qty_received"],
            ["product_id", "supplier_id", "inspection_result"], orderby="product_id",
            lazy=False)
        return groups
