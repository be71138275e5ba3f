# -*- coding: utf-8 -*-
from odoo.exceptions import ValidationError

from .common import AfterSalesCase

PERIOD = ("2019-05-01", "2019-05-31")  # far from the demo data, dated around today


class TestIndicators(AfterSalesCase):
    """May 2019 with known figures (the formulas of the README):

    deliveries  1,500 + 500 units delivered in May (100 in April, and 2 parts used on a visit,
                not counted): 2,000 units
    requests    R1 repair in warranty (team T), visit V1; R2 repair in warranty, visits V2a and
                V2b; R3 repair out of warranty, visit V3; R4 return; R5 consultation; R6 repair
                received in April, resolved in May without a visit; R7 cancelled
    visits      V1 labour 200 travel 50 and 2 parts used at 45; V2a 150 + 30; V2b 100 + 20;
                V3 out of warranty (300 + 60, not warranty cost)
    returns     2 returned units repaired in May
    warranty    parts sent in warranty 100 posted in May (40 draft, 70 in April left out)
    complaints  2 in May, 1 in April
    old parts   thermostat S1: 3 supplier fault + 1 usage; thermostat S2: 1 no fault; element
                S1: 2 supplier fault

    R/1000 = (3 field repairs + 2 returned units) x 1000 / 2000 = 2.5
    TGW = 4 faults (R1-R4) x 1000 / 2000 = 2.0
    CPU = (100 + 450 + 100 + 90) / 2000 = 0.37
    complaint rate = 2 x 1000 / 2000 = 1.0
    first-time fix = 3 of 4 repairs resolved in May (R1, R3, R6; not R2) = 75 %"""

    @classmethod
    def setUpClass(cls):
        super(TestIndicators, cls).setUpClass()
        env = cls.env
        cls.warehouse = env.ref("stock.warehouse0")
        cls.customers = env.ref("stock.stock_location_customers")
        cls.heater = env["product.product"].create({
            "name": "燃气热水器 GW-12", "type": "product", "standard_price": 1000.0})
        cls.thermostat = env["product.product"].create({
            "name": "温控器 TS-9", "type": "product", "standard_price": 45.0})
        cls.element = env["product.product"].create({
            "name": "加热管 HE-3", "type": "product", "standard_price": 30.0})
        cls.team = env["after_sales.team"].create({"name": "指标 T 组"})
        cls._set_up_deliveries()
        cls._set_up_requests()
        cls._set_up_visits()
        cls._set_up_returns()
        cls._set_up_warranty_cost()
        cls._set_up_complaints()
        cls._set_up_old_parts()
        env["after_sales.request"].invalidate_cache()

    # ------------------------------------------------------------------ data

    @classmethod
    def _deliver(cls, product, qty, date=None, **picking_vals):
        env = cls.env
        env["stock.quant"]._update_available_quantity(product, cls.warehouse.lot_stock_id, qty)
        values = {
            "picking_type_id": cls.warehouse.out_type_id.id, "partner_id": cls.customer.id,
            "location_id": cls.warehouse.lot_stock_id.id,
            "location_dest_id": cls.customers.id,
            "move_lines": [(0, 0, {"name": product.name, "product_id": product.id,
                                   "product_uom_qty": qty, "product_uom": product.uom_id.id,
                                   "location_id": cls.warehouse.lot_stock_id.id,
                                   "location_dest_id": cls.customers.id})]}
        values.update(picking_vals)
        picking = env["stock.picking"].create(values)
        picking.action_confirm()
        picking.action_assign()
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.button_validate()
        assert picking.state == "done", picking.state
        if date:
            env.cr.execute("UPDATE stock_move SET date = %s WHERE picking_id = %s",
                           (date, picking.id))
        return picking

    @classmethod
    def _set_up_deliveries(cls):
        cls._deliver(cls.heater, 1500.0, "2019-05-10 10:00:00")
        cls._deliver(cls.heater, 500.0, "2019-05-20 10:00:00")
        cls._deliver(cls.heater, 100.0, "2019-04-20 10:00:00")

    @classmethod
    def _request(cls, received, state="new", resolved=None, warranty=False, **vals):
        values = {"partner_id": cls.customer.id, "category": "repair", "channel": "hotline",
                  "product_id": cls.heater.id, "date_received": received,
                  "description": "不点火"}
        values.update(vals)
        request = cls.env["after_sales.request"].create(values)
        outcome = {"state": state}
        if resolved:
            outcome.update(date_resolved=resolved, date_response=received,
                           fault_found="点火针坏", method_used="更换")
        request.write(outcome)
        cls.env.cr.execute("UPDATE after_sales_request SET in_warranty = %s WHERE id = %s",
                           (warranty, request.id))
        return request

    @classmethod
    def _set_up_requests(cls):
        cls.r1 = cls._request("2019-05-03 09:00:00", "resolved", "2019-05-06 10:00:00", True,
                              team_id=cls.team.id)
        cls.r2 = cls._request("2019-05-04 09:00:00", "closed", "2019-05-08 10:00:00", True)
        cls.r3 = cls._request("2019-05-05 09:00:00", "resolved", "2019-05-09 10:00:00")
        cls.r4 = cls._request("2019-05-06 09:00:00", category="return")
        cls.r5 = cls._request("2019-05-06 10:00:00", "in_progress", category="consultation",
                              promised_answer_date="2019-05-07 10:00:00")
        cls.r6 = cls._request("2019-04-28 09:00:00", "resolved", "2019-05-02 10:00:00", True)
        cls.r7 = cls._request("2019-05-07 09:00:00", "cancel", cancel_reason="重复")

    @classmethod
    def _visit(cls, request, arrival, state, warranty, labour, travel, purpose="repair"):
        visit = cls.env["after_sales.visit"].create({
            "request_id": request.id, "partner_id": request.partner_id.id, "purpose": purpose,
            "date_planned": arrival, "technician_ids": [(6, 0, cls.user_technician.ids)]})
        cls.env.cr.execute("""
            UPDATE after_sales_visit SET state = %s, in_warranty = %s, date_arrival = %s,
                   estimated_labour = %s, estimated_travel = %s WHERE id = %s
        """, (state, warranty, arrival, labour, travel, visit.id))
        return visit

    @classmethod
    def _set_up_visits(cls):
        cls.v1 = cls._visit(cls.r1, "2019-05-04 09:00:00", "done", True, 200.0, 50.0)
        cls.v2a = cls._visit(cls.r2, "2019-05-05 09:00:00", "done", True, 150.0, 30.0)
        cls.v2b = cls._visit(cls.r2, "2019-05-07 09:00:00", "verified", True, 100.0, 20.0)
        cls.v3 = cls._visit(cls.r3, "2019-05-08 09:00:00", "done", False, 300.0, 60.0)
        # a visit approved but not done is not a repair
        cls._visit(cls.r4, "2019-05-09 09:00:00", "approved", True, 500.0, 90.0)
        # the 2 thermostats used on V1 (at cost 45) go to the customer: not units delivered
        cls._deliver(cls.thermostat, 2.0, "2019-05-04 12:00:00",
                     after_sales_visit_id=cls.v1.id, after_sales_visit_role="consume")

    @classmethod
    def _set_up_returns(cls):
        case = cls.env["after_sales.return"].create({
            "partner_id": cls.customer.id, "product_id": cls.heater.id, "cause": "defect",
            "date": "2019-05-11 09:00:00"})
        cls.env.cr.execute("""
            INSERT INTO after_sales_return_disposition
                   (return_id, company_id, disposition_type, quantity, state, date_executed,
                    sequence)
            VALUES (%(case)s, %(company)s, 'repair', 2.0, 'done', '2019-05-12 09:00:00', 10),
                   (%(case)s, %(company)s, 'scrap', 1.0, 'done', '2019-05-12 09:00:00', 20),
                   (%(case)s, %(company)s, 'repair', 4.0, 'draft', NULL, 30)
        """, {"case": case.id, "company": cls.company.id})

    @classmethod
    def _set_up_warranty_cost(cls):
        env = cls.env
        journal = env["account.journal"].search([("type", "=", "general"),
                                                 ("company_id", "=", cls.company.id)], limit=1)
        expense = env["account.account"].create({
            "name": "三包费用", "code": "660199",
            "user_type_id": env.ref("account.data_account_type_expenses").id})
        stock = env["account.account"].create({
            "name": "库存商品 (指标)", "code": "140599",
            "user_type_id": env.ref("account.data_account_type_current_assets").id})
        for amount, date, post in ((100.0, "2019-05-15", True), (40.0, "2019-05-16", False),
                                   (70.0, "2019-04-15", True)):
            move = env["account.move"].create({
                "journal_id": journal.id, "date": date,
                "line_ids": [(0, 0, {"name": "三包配件", "account_id": expense.id,
                                     "debit": amount, "after_sales_warranty_cost": True}),
                             (0, 0, {"name": "三包配件", "account_id": stock.id,
                                     "credit": amount})]})
            if post:
                move.post()

    @classmethod
    def _set_up_complaints(cls):
        for received in ("2019-05-13 09:00:00", "2019-05-14 09:00:00", "2019-04-14 09:00:00"):
            cls.env["after_sales.complaint"].create({
                "partner_id": cls.customer.id, "content": "热水器漏水",
                "date_received": received, "date_registered": received,
                "complaint_class": "quality"})

    @classmethod
    def _set_up_old_parts(cls):
        env = cls.env
        cls.s1 = env["res.partner"].create({"name": "宁波温控电器", "supplier": True})
        cls.s2 = env["res.partner"].create({"name": "佛山电热元件", "supplier": True})
        order = env["after_sales.parts.order"].create({
            "partner_id": cls.customer.id, "shipping_method": "courier",
            "line_ids": [(0, 0, {"product_id": cls.thermostat.id, "quantity": 1.0,
                                 "product_uom_id": cls.thermostat.uom_id.id})]})
        rows = [(cls.thermostat, cls.s1, "supplier", 3.0, "2019-05-20 09:00:00"),
                (cls.thermostat, cls.s1, "usage", 1.0, "2019-05-21 09:00:00"),
                (cls.thermostat, cls.s2, "no_fault", 1.0, "2019-05-21 09:00:00"),
                (cls.element, cls.s1, "supplier", 2.0, "2019-05-22 09:00:00"),
                (cls.element, cls.s2, "supplier", 5.0, "2019-04-22 09:00:00")]
        for product, supplier, result, qty, date in rows:
            env.cr.execute("""
                INSERT INTO after_sales_old_part
                       (order_id, company_id, product_id, quantity, qty_received, state,
                        inspection_result, supplier_id, date_inspected)
                VALUES (%s, %s, %s, %s, %s, 'inspected', %s, %s, %s)
            """, (order.id, cls.company.id, product.id, qty, qty, result, supplier.id, date))

    @classmethod
    def _wizard(cls, user=None, **vals):
        values = {"period": "custom", "date_from": PERIOD[0], "date_to": PERIOD[1]}
        values.update(vals)
        return cls.env["after_sales.statistics"].sudo(user or cls.user_as).create(values)

    def assertFigures(self, values, expected):
        self.assertEqual(len(values), len(expected))
        for value, wanted in zip(values, expected):
            if isinstance(wanted, float):
                self.assertAlmostEqual(value, wanted, places=6)
            else:
                self.assertEqual(value, wanted)

    # ------------------------------------------------------------------ figures

    def test_indicator_values(self):
        tables = {t["key"]: t for t in self._wizard()._statistics_tables()}
        rows = tables["indicators"]["rows"]
        self.assertFigures(rows[0][1:], [2.5, 5.0, 2000.0])     # R/1000
        self.assertFigures(rows[1][1:], [2.0, 4, 2000.0])       # TGW
        self.assertFigures(rows[2][1:], [0.37, 740.0, 2000.0])  # CPU
        self.assertFigures(rows[3][1:], [1.0, 2, 2000.0])       # complaint rate
        self.assertFigures(rows[4][1:], [75.0, 3, 4])           # first-time fix (%)
        cost = tables["warranty_cost"]
        self.assertFigures([row[1] for row in cost["rows"]], [100.0, 450.0, 100.0, 90.0])
        self.assertFigures(cost["total"][1:], [740.0])

    def test_parts_quality_by_part_and_supplier(self):
        table = self._wizard()._table_parts_quality()
        rows = sorted(table["rows"], key=lambda r: (r[0], r[1]))
        self.assertEqual(rows, sorted([
            [self.thermostat.display_name, self.s1.display_name, 4.0, 3.0, 1.0, 0.0, 0.75],
            [self.thermostat.display_name, self.s2.display_name, 1.0, 0.0, 0.0, 1.0, 0.0],
            [self.element.display_name, self.s1.display_name, 2.0, 2.0, 0.0, 0.0, 1.0],
        ], key=lambda r: (r[0], r[1])))
        self.assertFigures(table["total"][2:6], [7.0, 5.0, 1.0, 1.0])
        self.assertAlmostEqual(table["total"][6], 5.0 / 7.0)

    def test_team_keeps_its_requests_not_the_deliveries(self):
        figures = self._wizard(team_id=self.team.id)._indicator_figures()
        self.assertEqual((figures["repairs_field"], figures["faults"],
                          figures["units_delivered"]), (1, 1, 2000.0))
        self.assertAlmostEqual(figures["visit_labour"] + figures["visit_travel"]
                               + figures["visit_parts_cost"], 340.0)

    def test_workbook_and_pdf_show_the_indicators(self):
        import io
        import openpyxl
        wizard = self._wizard()
        report = self.env.ref("after_sales_service.statistics_xlsx_report")
        content, _type = report.sudo(self.user_as).render_xlsx(wizard.ids, {})
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book["Indicators"]
        values = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=9)]
        self.assertEqual(values[0][1:], [2.5, 5, 2000])
        self.assertAlmostEqual(values[2][1], 0.37)
        self.assertIn("Parts Quality", book.sheetnames)
        wizard.action_show()
        self.assertIn("R/1000", wizard.result_html)
        self.assertIn("2.50", wizard.result_html)

    def test_set_based(self):
        """The indicators cost the same number of queries whatever the data."""
        wizard = self._wizard()
        wizard._indicator_figures()
        wizard.invalidate_cache()
        before = self.cr.sql_log_count
        wizard._indicator_figures()
        few = self.cr.sql_log_count - before
        for _i in range(5):
            self._deliver(self.heater, 1.0, "2019-05-25 10:00:00")
            self._request("2019-05-25 09:00:00", "resolved", "2019-05-26 10:00:00", True)
        wizard.invalidate_cache()
        before = self.cr.sql_log_count
        figures = wizard._indicator_figures()
        self.assertEqual(self.cr.sql_log_count - before, few)
        self.assertEqual(figures["units_delivered"], 2005.0)

    # ------------------------------------------------------------------ who sees what

    def test_dashboard_shows_this_months_indicators(self):
        self._deliver(self.heater, 10.0)  # today
        dashboard = self.env["after_sales.dashboard"].sudo(self.user_as).create({})
        month = self.env["after_sales.statistics"].sudo(self.user_as).create({})
        figures = month._indicator_figures()
        self.assertGreaterEqual(dashboard.indicator_units_delivered, 10.0)
        self.assertEqual(dashboard.indicator_units_delivered, figures["units_delivered"])
        self.assertAlmostEqual(dashboard.indicator_r1000, figures["r1000"] or 0.0)
        self.assertAlmostEqual(dashboard.indicator_cpu, figures["cpu"] or 0.0)
        # the technician's dashboard has no indicators
        tech = self.env["after_sales.dashboard"].sudo(self.user_technician).create({})
        arch = tech.fields_view_get(view_type="form")["arch"]
        self.assertNotIn("indicator_r1000", arch)

    def test_second_company_sees_nothing(self):
        company_b = self._create_second_company()
        wizard = self._wizard(user=self.b_as_user, company_id=company_b.id)
        tables = {t["key"]: t for t in wizard._statistics_tables()}
        self.assertEqual([row[1] for row in tables["indicators"]["rows"]],
                         [None, None, None, None, None])
        self.assertEqual([row[3] for row in tables["indicators"]["rows"]][:4], [0, 0, 0, 0])
        self.assertEqual(tables["parts_quality"]["rows"], [])
        self.assertEqual(tables["warranty_cost"]["total"][1], 0)
        with self.assertRaises(ValidationError):
            self._wizard(user=self.b_as_user, company_id=self.company.id)
