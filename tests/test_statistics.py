# -*- coding: utf-8 -*-
import base64
import io
import json
from datetime import date, datetime

import openpyxl
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from .common import AfterSalesCase

PERIOD = ("2019-03-01", "2019-03-31")  # far from the demo data, which is dated around today
DAY = "2019-03-15"  # the date of the invoices, bills and entries of the period
SIGNATURE = base64.b64encode(b"signature")


class TestStatistics(AfterSalesCase):
    """A month (March 2019) of after-sales work with known figures:

    requests  R1 repair/hotline/heater/C1 in warranty, phone guidance: 2 h (on time), 10 h
              R2 repair/web/heater/C1 urgent, visit V1: 4 h, 30 h (late)
              R3 parts/hotline/boiler/C2, parts order: 30 h (late), 14 h
              R4 consultation/mail/-/C2 responded 1 h, open and late
              R5 repair/hotline/heater/C1 of team B, new
              R8 return/sales/boiler/C1, return case RT1 (and visit V2): 5 h, 20 h
              R6 cancelled; R7 in February (trend): 3 h, 8 h
    visits    V1 (R2) technicians T1 + T2, 10 h on site, 2 overtime days, verified (subsidy
              bills 2 x 120); V2 (R8, station S1) T1, 2 h; V3 to approve; V4 in February
    parts     PO1 (R3) 2 thermostats charged (cost 80, invoice 2 x 100 + postage 30 draft);
              PO2 1 element in warranty (cost 45, warranty entry)
    callbacks CB1 (V1, T1 + T2) satisfied; CB2 (V2, T1, S1, boiler) unsatisfied; CB3 usage
              callback (heater) satisfied; CB4 in February satisfied; CB5 still to do
    complaints CA quality closed on time; CB non-quality received in January, closed late;
              CC quality open with actions open at the end of March (one overdue, one done in
              April after its March deadline)
    returns   RT1 (R8) defect: 4 received, 1 scrapped, 1 restocked, 1 repaired, 1 exchanged,
              refund 500 by credit note; RT2 transport, registered only; RT3 cancelled
    money     V1 invoice 300 validated; expense claim bill 100.5 draft"""

    @classmethod
    def setUpClass(cls):
        super(TestStatistics, cls).setUpClass()
        env = cls.env
        cls.Request = env["after_sales.request"]
        cls.team = env["after_sales.team"].create({"name": "统计 A 组"})
        cls.team_b = env["after_sales.team"].create({"name": "统计 B 组"})
        cls.customer2 = env["res.partner"].create({"name": "苏州水务集团", "customer": True})
        cls.station = env["res.partner"].create({"name": "无锡特约维修点",
                                                 "after_sales_is_station": True})
        cls.boiler = env["product.product"].create({
            "name": "燃气壁挂炉 GB-20", "type": "product", "default_code": "GB-20",
            "standard_price": 2000.0, "taxes_id": [(6, 0, [])]})
        cls.technician2 = cls._create_user("as_technician2",
                                           ["after_sales_service.group_technician"])
        cls._set_up_requests()
        cls._set_up_visits()
        cls._set_up_parts()
        cls._set_up_callbacks()
        cls._set_up_complaints()
        cls._set_up_returns()
        cls._set_up_expense_claim()
        env["after_sales.request"].invalidate_cache()
        cls.wizard = cls._wizard()
        cls.tables = {table["key"]: table for table in cls.wizard._statistics_tables()}

    # ------------------------------------------------------------------ data

    @classmethod
    def _wizard(cls, user=None, **vals):
        values = {"date_from": PERIOD[0], "date_to": PERIOD[1]}
        values.update(vals)
        return cls.env["after_sales.statistics"].sudo(user or cls.user_as).create(values)

    @classmethod
    def _request(cls, received, outcome=None, **vals):
        values = {"partner_id": cls.customer.id, "category": "repair", "channel": "hotline",
                  "product_id": cls.product.id, "team_id": cls.team.id,
                  "date_received": received, "description": "故障"}
        values.update(vals)
        request = cls.Request.create(values)
        if outcome:
            request.write(outcome)
        return request

    @staticmethod
    def _outcome(state, response=None, resolve=None, late=False):
        """Times frozen as the request's steps freeze them: (hours, on time)."""
        values = {"state": state, "is_late": late}
        if response:
            values.update(date_response="2019-03-05 10:00:00", response_hours=response[0],
                          response_on_time=response[1])
        if resolve:
            values.update(date_resolved="2019-03-07 10:00:00", resolve_hours=resolve[0],
                          resolved_on_time=resolve[1], fault_found="温控器损坏",
                          method_used="更换")
        return values

    @classmethod
    def _set_up_requests(cls):
        received = "2019-03-04 09:00:00"
        cls.r1 = cls._request(received, cls._outcome("resolved", (2.0, True), (10.0, True)),
                              date_delivered="2019-01-01")
        cls.r2 = cls._request(received, cls._outcome("closed", (4.0, True), (30.0, False)),
                              channel="web", priority="1")
        cls.r3 = cls._request(received, cls._outcome("resolved", (30.0, False), (14.0, True)),
                              category="parts", product_id=cls.boiler.id,
                              partner_id=cls.customer2.id)
        cls.r4 = cls._request(received, cls._outcome("in_progress", (1.0, True), late=True),
                              category="consultation", channel="mail", product_id=False,
                              partner_id=cls.customer2.id,
                              promised_answer_date="2019-03-06 09:00:00")
        cls.r5 = cls._request(received, team_id=cls.team_b.id)
        cls.r6 = cls._request(received, {"state": "cancel", "cancel_reason": "重复登记"})
        cls.r7 = cls._request("2019-02-11 09:00:00",
                              cls._outcome("closed", (3.0, True), (8.0, True)))
        cls.r8 = cls._request(received, cls._outcome("resolved", (5.0, True), (20.0, True)),
                              category="return", channel="sales", product_id=cls.boiler.id,
                              station_id=cls.station.id)

    @classmethod
    def _visit(cls, request, technicians, arrival, departure, state, **vals):
        values = {"request_id": request.id, "partner_id": request.partner_id.id,
                  "purpose": "repair", "date_planned": arrival,
                  "technician_ids": [(6, 0, technicians.ids)]}
        values.update(vals)
        visit = cls.env["after_sales.visit"].create(values)
        visit.write({"state": state, "date_arrival": arrival, "date_departure": departure})
        return visit

    @classmethod
    def _set_up_visits(cls):
        technicians = cls.user_technician | cls.technician2
        cls.v1 = cls._visit(cls.r2, technicians, "2019-03-06 09:00:00", "2019-03-06 19:00:00",
                            "done", is_overtime=True, overtime_days=2)
        cls.v1.sudo(cls.user_as).action_verify()  # one subsidy bill per technician, 2 x 60
        for signer in (cls.user_manager, cls.user_deputy_gm, cls.user_gm):  # once signed
            cls.v1.sudo(signer).action_sign_subsidy()
        cls.v2 = cls._visit(cls.r8, cls.user_technician, "2019-03-07 10:00:00",
                            "2019-03-07 12:00:00", "done")
        cls.v3 = cls._visit(cls.r4, cls.user_technician, "2019-03-08 10:00:00", False,
                            "to_approve")
        cls.v4 = cls._visit(cls.r7, cls.user_technician, "2019-02-12 10:00:00",
                            "2019-02-12 12:00:00", "done")
        labour = cls.env.ref("after_sales_service.product_labour")
        invoice = cls.v1._create_charge_invoice(cls.customer, [(labour, 1.0, 300.0, "维修费")],
                                                cls.v1.name, company=cls.company)
        cls.v1.invoice_ids = [(4, invoice.id)]
        invoice.date_invoice = DAY
        invoice.action_invoice_open()
        cls.env["account.invoice"].browse(cls.v1.subsidy_bill_ids.ids).write(
            {"date_invoice": DAY})

    @classmethod
    def _set_up_parts(cls):
        env = cls.env
        warehouse = env.ref("stock.warehouse0")
        store = warehouse.after_sales_parts_location_id
        cls.thermostat = env["product.product"].create({
            "name": "温控器 TS-9", "type": "product", "default_code": "TS-9",
            "standard_price": 80.0, "taxes_id": [(6, 0, [])]})
        cls.element = env["product.product"].create({
            "name": "加热管 HE-3", "type": "product", "default_code": "HE-3",
            "standard_price": 45.0, "taxes_id": [(6, 0, [])]})
        env.ref("after_sales_service.product_postage").taxes_id = [(6, 0, [])]
        standard = env["after_sales.fee.standard"].for_company(cls.company)
        standard.write({"parts_markup": 25.0, "postage_ids": [(5, 0, 0)]})
        standard.write({"postage_ids": [(0, 0, {"method": "courier", "amount": 30.0})]})
        env["stock.quant"]._update_available_quantity(cls.thermostat, store, 10.0)
        env["stock.quant"]._update_available_quantity(cls.element, store, 5.0)
        cls.company.after_sales_warranty_account_id = env["account.account"].create({
            "code": "669902", "name": "三包费用 (statistics)",
            "user_type_id": env.ref("account.data_account_type_expenses").id})
        Order = env["after_sales.parts.order"]
        cls.po1 = Order.sudo(cls.user_as).create({
            "partner_id": cls.customer2.id, "request_id": cls.r3.id,
            "shipping_method": "courier",
            "line_ids": [(0, 0, {"product_id": cls.thermostat.id, "quantity": 2.0,
                                 "product_uom_id": cls.thermostat.uom_id.id})]})
        cls.po2 = Order.sudo(cls.user_as).create({
            "partner_id": cls.customer.id, "shipping_method": "courier", "chargeable": False,
            "line_ids": [(0, 0, {"product_id": cls.element.id, "quantity": 1.0,
                                 "product_uom_id": cls.element.uom_id.id})]})
        orders = (cls.po1 | cls.po2).with_env(env)
        orders.sudo(cls.user_as).action_submit()
        orders.sudo(cls.user_manager).action_approve()
        for picking in orders.mapped("picking_ids"):
            picking = picking.sudo(cls.user_stock)
            picking.action_assign()
            for line in picking.move_line_ids:
                line.qty_done = line.product_uom_qty
            picking.action_done()
        moves = orders.mapped("picking_ids.move_lines")
        env.cr.execute("UPDATE stock_move SET date = %s WHERE id IN %s",
                       ("2019-03-08 10:00:00", tuple(moves.ids)))
        env.cr.execute("UPDATE account_move SET date = %s WHERE after_sales_parts_order_id IN %s",
                       (DAY, tuple(orders.ids)))
        env.cr.execute("""UPDATE account_move_line SET date = %s
                           WHERE move_id IN (SELECT id FROM account_move
                                              WHERE after_sales_parts_order_id IN %s)""",
                       (DAY, tuple(orders.ids)))
        orders.sudo().mapped("invoice_ids").write({"date_invoice": DAY})
        env["stock.move"].invalidate_cache()

    @classmethod
    def _callback(cls, callback_type, done, negative=False, **vals):
        values = {"type_id": cls.env.ref(callback_type).id, "partner_id": cls.customer.id,
                  "date_due": "2019-03-09 09:00:00", "product_id": cls.product.id}
        values.update(vals)
        callback = cls.env["after_sales.callback"].create(values)
        for answer in callback.answer_ids:
            question = answer.question_id
            if question.kind == "yesno":
                answer.value_yesno = "no" if question.unsatisfied_answer == "yes" else "yes"
            elif question.kind == "rating":
                answer.value_rating = "5"
            else:
                answer.value_text = "好"
        if negative:
            callback.answer_ids.filtered(lambda a: a.kind == "rating")[:1].value_rating = "1"
        if done:
            callback.write({"state": "done", "date_done": done})
        return callback

    @classmethod
    def _set_up_callbacks(cls):
        satisfaction = "after_sales_service.callback_type_satisfaction"
        technicians = cls.user_technician | cls.technician2
        cls.cb1 = cls._callback(satisfaction, "2019-03-09 10:00:00", visit_id=cls.v1.id,
                                request_id=cls.r2.id, trigger="visit:%s" % cls.v1.id,
                                technician_ids=[(6, 0, technicians.ids)])
        cls.cb2 = cls._callback(satisfaction, "2019-03-09 11:00:00", negative=True,
                                visit_id=cls.v2.id, request_id=cls.r8.id,
                                trigger="visit:%s" % cls.v2.id, station_id=cls.station.id,
                                product_id=cls.boiler.id,
                                technician_ids=[(6, 0, cls.user_technician.ids)])
        cls.cb3 = cls._callback("after_sales_service.callback_type_usage",
                                "2019-03-10 10:00:00")
        cls.cb4 = cls._callback(satisfaction, "2019-02-15 10:00:00", visit_id=cls.v4.id,
                                request_id=cls.r7.id, trigger="visit:%s" % cls.v4.id,
                                technician_ids=[(6, 0, cls.user_technician.ids)])
        cls.cb5 = cls._callback(satisfaction, False, request_id=cls.r1.id)
        assert (cls.cb1 | cls.cb3 | cls.cb4).mapped("satisfied") == [True] * 3
        assert cls.cb2.answered and not cls.cb2.satisfied

    @classmethod
    def _complaint(cls, received, complaint_class, closed=None, state=None):
        complaint = cls.env["after_sales.complaint"].create({
            "partner_id": cls.customer.id, "content": "热水器漏水", "date_received": received,
            "date_registered": received, "complaint_class": complaint_class})
        if closed or state:
            complaint.with_context(after_sales_complaint_transition=True).write(
                {"state": state or "closed", "date_closed": closed})
        return complaint

    @classmethod
    def _action(cls, complaint, deadline, done=None):
        action = cls.env["after_sales.complaint.action"].create({
            "complaint_id": complaint.id, "description": "更换密封圈批次",
            "user_id": cls.user_as.id, "date_deadline": deadline, "date_done": done})
        cls.env.cr.execute("UPDATE after_sales_complaint_action SET create_date = %s "
                           "WHERE id = %s", (complaint.date_received, action.id))
        return action

    @classmethod
    def _set_up_complaints(cls):
        cls.ca = cls._complaint("2019-03-04 09:00:00", "quality", closed="2019-03-05 10:00:00")
        cls.cb = cls._complaint("2019-01-21 09:00:00", "non_quality",
                                closed="2019-03-05 11:00:00")
        cls.cc = cls._complaint("2019-03-11 09:00:00", "quality", state="investigating")
        cls._action(cls.ca, "2019-03-05", done="2019-03-05")
        cls._action(cls.cc, "2019-03-01")  # open, overdue at the end of March
        cls._action(cls.cc, "2019-03-31")  # open, due on the last day
        cls._action(cls.cc, "2019-03-20", done="2019-04-02")  # done only in April
        assert cls.ca.close_deadline > cls.ca.date_closed
        assert cls.cb.close_deadline < cls.cb.date_closed

    @classmethod
    def _validate(cls, pickings):
        for picking in pickings.filtered(lambda p: p.state == "assigned"):
            picking = picking.sudo(cls.user_stock)
            for line in picking.move_line_ids:
                line.qty_done = line.product_uom_qty
            picking.button_validate()

    @classmethod
    def _set_up_returns(cls):
        env = cls.env
        warehouse = env.ref("stock.warehouse0")
        env["stock.quant"]._update_available_quantity(cls.boiler, warehouse.lot_stock_id, 10.0)
        income = cls.boiler.product_tmpl_id.get_product_accounts()["income"]
        invoice = env["account.invoice"].create({
            "partner_id": cls.customer.id, "type": "out_invoice",
            "account_id": cls.customer.property_account_receivable_id.id,
            "invoice_line_ids": [(0, 0, {"product_id": cls.boiler.id, "name": "GB-20",
                                         "quantity": 4.0, "price_unit": 3000.0,
                                         "account_id": income.id,
                                         "uom_id": cls.boiler.uom_id.id})]})
        invoice.action_invoice_open()
        Return = env["after_sales.return"].sudo(cls.user_as)
        case = Return.create({"partner_id": cls.customer.id, "product_id": cls.boiler.id,
                              "product_qty": 4.0, "cause": "defect", "invoice_id": invoice.id,
                              "request_id": cls.r8.id, "reason": "点火失败"})
        case.action_confirm()

        def pickings():
            return env["stock.picking"].search([("after_sales_return_id", "=", case.id)])
        cls._validate(pickings())
        case.action_sign_region()
        case.action_check_office()
        case.sudo(cls.user_gm).action_instruct(reason="同意换货")
        case.sudo(cls.user_quality).write({"defect_class": "quality",
                                           "responsibility": "supplier",
                                           "findings": "点火针损坏"})
        Disposition = env["after_sales.return.disposition"].sudo(cls.user_quality)
        for disposition_type in ("scrap", "restock", "repair", "exchange"):
            Disposition.create({"return_id": case.id, "disposition_type": disposition_type,
                                "quantity": 1.0})
        case.sudo(cls.user_quality).action_inspect()
        case.sudo(cls.user_quality).action_approve_disposition()
        case.action_execute_dispositions()
        cls._validate(pickings())
        repair = case.sudo().disposition_ids.filtered(lambda d: d.disposition_type == "repair")
        repair.sudo(cls.user_quality).action_restock_repaired()
        cls._validate(repair.restock_picking_id)
        refund = env["after_sales.return.compensation"].sudo(cls.user_as).create(
            {"return_id": case.id, "amount": 500.0, "description": "退一台货款"})
        refund.action_submit()
        refund.sudo(cls.user_finance).action_execute()
        case.action_close()
        case.with_env(env).write({"date": "2019-03-12 09:00:00"})
        refund.sudo().invoice_id.write({"date_invoice": DAY})
        cls.rt1 = case.with_env(env)
        cls.rt2 = env["after_sales.return"].create({
            "partner_id": cls.customer.id, "product_id": cls.boiler.id, "cause": "transport",
            "date": "2019-03-13 09:00:00"})
        cls.rt3 = env["after_sales.return"].create({
            "partner_id": cls.customer.id, "product_id": cls.boiler.id, "cause": "transport",
            "date": "2019-03-13 09:00:00"})
        cls.rt3.write({"state": "cancel"})
        assert cls.rt1.state == "done", cls.rt1.state

    @classmethod
    def _set_up_expense_claim(cls):
        receipt = cls.env["ir.attachment"].create({
            "name": "receipt.txt", "datas": base64.b64encode(b"taxi 85"),
            "datas_fname": "receipt.txt"})
        today = fields.Date.context_today(cls.env.user)
        claim = cls.env["after_sales.expense.claim"].sudo(cls.user_technician).create({
            "visit_ids": [(6, 0, cls.v1.ids)],
            "line_ids": [(0, 0, {"date": today, "expense_type": "travel", "name": "出租车",
                                 "amount": 85.0, "attachment_ids": [(6, 0, receipt.ids)]}),
                         (0, 0, {"date": today, "expense_type": "material", "name": "密封胶",
                                 "amount": 15.5, "attachment_ids": [(6, 0, receipt.ids)]})]})
        claim.action_submit()
        claim.sudo(cls.user_purchasing).action_confirm_purchasing()  # the material line
        claim.sudo(cls.user_manager).action_approve_manager()
        claim.sudo(cls.user_finance).action_approve_finance()
        claim.sudo(cls.user_gm).action_approve_general_manager()
        claim.sudo().bill_id.write({"date_invoice": DAY})

    # ------------------------------------------------------------------ helpers

    def rows(self, key):
        """{first cell: the other cells} of a table."""
        return {row[0]: row[1:] for row in self.tables[key]["rows"]}

    def total(self, key):
        return self.tables[key]["total"][1:]

    def assertFigures(self, actual, expected):
        """Lists of figures equal, rates and means to 4 places (None where nothing to
        compute)."""
        self.assertEqual(len(actual), len(expected), actual)
        for got, wanted in zip(actual, expected):
            if wanted is None or isinstance(wanted, str):
                self.assertEqual(got, wanted, actual)
            else:
                self.assertAlmostEqual(got, wanted, places=4, msg=actual)

    @classmethod
    def _zh_CN(cls):
        cls.env["res.lang"].load_lang("zh_CN")
        cls.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])

    def _workbook(self, wizard, lang=None):
        report = self.env.ref("after_sales_service.statistics_xlsx_report")
        content, file_type = report.sudo(self.user_as).with_context(lang=lang).render_xlsx(
            wizard.ids, {})
        self.assertEqual(file_type, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    # ------------------------------------------------------------------ requests

    def test_requests_by_category_and_channel(self):
        # R1..R5 and R8: the cancelled R6 and February's R7 are not counted
        by_category = self.rows("by_category")
        self.assertEqual(list(by_category), [
            "Repair", "Installation", "Training", "Technical Consultation", "Parts Request",
            "Maintenance / Inspection", "Return / Exchange", "Complaint"])
        # requests, share, in warranty, resolved
        self.assertFigures(by_category["Repair"], [3, 0.5, 1, 2])
        self.assertFigures(by_category["Parts Request"], [1, 1 / 6.0, 0, 1])
        self.assertFigures(by_category["Technical Consultation"], [1, 1 / 6.0, 0, 0])
        self.assertFigures(by_category["Return / Exchange"], [1, 1 / 6.0, 0, 1])
        self.assertFigures(by_category["Training"], [0, 0.0, 0, 0])
        self.assertFigures(self.total("by_category"), [6, 1.0, 1, 4])
        by_channel = self.rows("by_channel")
        self.assertFigures(by_channel["Service Hotline"], [3, 0.5, 1, 2])
        self.assertFigures(by_channel["Web / Online Feedback"], [1, 1 / 6.0, 0, 1])
        self.assertFigures(by_channel["E-mail / Letter / Fax"], [1, 1 / 6.0, 0, 0])
        self.assertFigures(by_channel["Relayed by Sales"], [1, 1 / 6.0, 0, 1])
        self.assertFigures(by_channel["Media"], [0, 0.0, 0, 0])
        self.assertFigures(self.total("by_channel"), [6, 1.0, 1, 4])

    def test_requests_by_product_and_customer(self):
        table = self.tables["by_product"]
        self.assertEqual([row[0] for row in table["rows"]],
                         [self.product.display_name, self.boiler.display_name, "No Product"])
        products = self.rows("by_product")
        self.assertFigures(products[self.product.display_name], [3, 0.5, 1, 2])
        self.assertFigures(products[self.boiler.display_name], [2, 1 / 3.0, 0, 2])
        self.assertFigures(products["No Product"], [1, 1 / 6.0, 0, 0])
        self.assertFigures(self.total("by_product"), [6, 1.0, 1, 4])
        customers = self.rows("by_customer")
        self.assertFigures(customers[self.customer.display_name], [4, 2 / 3.0, 1, 3])
        self.assertFigures(customers[self.customer2.display_name], [2, 1 / 3.0, 0, 1])
        # only the first product by number of requests, the others on one line
        ranked = self._wizard(top_count=1)._table_by_product()
        self.assertEqual([row[0] for row in ranked["rows"]],
                         [self.product.display_name, "Other Products"])
        self.assertFigures(ranked["rows"][1][1:], [3, 0.5, 0, 2])
        self.assertFigures(ranked["total"][1:], [6, 1.0, 1, 4])

    def test_time_limits(self):
        urgent = self.env.ref("after_sales_service.sla_rule_urgent").name
        normal = self.env.ref("after_sales_service.sla_rule_normal").name
        self.assertEqual([row[0] for row in self.tables["time_limits"]["rows"]],
                         [urgent, normal])
        rows = self.rows("time_limits")
        # requests, responded, on time, rate, mean h, resolved, on time, rate, mean h, late
        self.assertFigures(rows[urgent], [1, 1, 1, 1.0, 4.0, 1, 0, 0.0, 30.0, 0])
        self.assertFigures(rows[normal], [5, 4, 3, 0.75, 9.5, 3, 3, 1.0, 44 / 3.0, 1])
        self.assertFigures(self.total("time_limits"),
                           [6, 5, 4, 0.8, 8.4, 4, 3, 0.75, 18.5, 1])

    def test_repair_results(self):
        rows = self.rows("results")
        self.assertEqual(list(rows), ["Phone Guidance", "Parts Sent", "On-Site Visit",
                                      "Return / Exchange", "Not Resolved Yet"])
        # requests, share, in warranty, mean resolution hours
        self.assertFigures(rows["Phone Guidance"], [1, 1 / 6.0, 1, 10.0])  # R1
        self.assertFigures(rows["Parts Sent"], [1, 1 / 6.0, 0, 14.0])  # R3
        self.assertFigures(rows["On-Site Visit"], [1, 1 / 6.0, 0, 30.0])  # R2
        self.assertFigures(rows["Return / Exchange"], [1, 1 / 6.0, 0, 20.0])  # R8 (V2 too)
        self.assertFigures(rows["Not Resolved Yet"], [2, 1 / 3.0, 0, None])  # R4, R5
        self.assertFigures(self.total("results"), [6, 1.0, 1, 18.5])

    # ------------------------------------------------------------------ visits, parts

    def test_visits_by_technician_and_station(self):
        rows = self.rows("visits_technician")
        # visits, overtime visits, overtime days, hours on site (V3 not done, V4 in February)
        self.assertFigures(rows[self.user_technician.name], [2, 1, 2, 12.0])
        self.assertFigures(rows[self.technician2.name], [1, 1, 2, 10.0])
        self.assertFigures(self.total("visits_technician"), [3, 2, 4, 22.0])
        stations = self.rows("visits_station")
        self.assertFigures(stations["Own Technicians"], [1, 1, 2])  # V1 once
        self.assertFigures(stations[self.station.name], [1, 0, 0])  # V2
        self.assertFigures(self.total("visits_station"), [2, 1, 2])

    def test_parts_issued(self):
        rows = self.rows("parts")
        # charged qty, value; warranty qty, value; total qty, value (at cost)
        self.assertEqual(list(rows), [self.element.display_name, self.thermostat.display_name])
        self.assertFigures(rows[self.thermostat.display_name], [2.0, 160.0, 0, 0, 2.0, 160.0])
        self.assertFigures(rows[self.element.display_name], [0, 0, 1.0, 45.0, 1.0, 45.0])
        self.assertFigures(self.total("parts"), [2.0, 160.0, 1.0, 45.0, 3.0, 205.0])

    # ------------------------------------------------------------------ callbacks

    def test_satisfaction(self):
        technicians = self.rows("satisfaction_technician")
        # answered, satisfied, rate: a callback counts for each of its technicians
        self.assertFigures(technicians[self.user_technician.name], [2, 1, 0.5])
        self.assertFigures(technicians[self.technician2.name], [1, 1, 1.0])
        self.assertFigures(technicians["No Technician"], [1, 1, 1.0])  # the usage callback
        # the totals count each callback once (CB5 not done, CB4 in February)
        self.assertFigures(self.total("satisfaction_technician"), [3, 2, 2 / 3.0])
        stations = self.rows("satisfaction_station")
        self.assertFigures(stations["Own Technicians"], [2, 2, 1.0])
        self.assertFigures(stations[self.station.name], [1, 0, 0.0])
        self.assertFigures(self.total("satisfaction_station"), [3, 2, 2 / 3.0])
        products = self.rows("satisfaction_product")
        self.assertFigures(products[self.product.display_name], [2, 2, 1.0])
        self.assertFigures(products[self.boiler.display_name], [1, 0, 0.0])
        self.assertFigures(self.total("satisfaction_product"), [3, 2, 2 / 3.0])

    # ------------------------------------------------------------------ quality

    def test_complaints(self):
        rows = self.rows("complaints")
        self.assertEqual(list(rows), ["Quality", "Non-Quality (Human Cause)", "Other",
                                      "Not Classified"])
        # opened, closed, closed on time, rate, open actions, overdue actions (end of March)
        self.assertFigures(rows["Quality"], [2, 1, 1, 1.0, 3, 2])
        self.assertFigures(rows["Non-Quality (Human Cause)"], [0, 1, 0, 0.0, 0, 0])
        self.assertFigures(rows["Other"], [0, 0, 0, None, 0, 0])
        self.assertFigures(self.total("complaints"), [2, 2, 1, 0.5, 3, 2])

    def test_returns(self):
        rows = self.rows("returns")
        self.assertEqual(len(rows), 6)
        # cases, received, repaired, replaced, refunds, scrapped, restocked, to supplier,
        # refund amount, compensation amount (RT3 cancelled)
        self.assertFigures(rows["Quality Problem"], [1, 4.0, 1.0, 1.0, 1, 1.0, 1.0, 0, 500.0, 0])
        self.assertFigures(rows["Transport Damage"], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        self.assertFigures(rows["Other"], [0] * 10)
        self.assertFigures(self.total("returns"), [2, 4.0, 1.0, 1.0, 1, 1.0, 1.0, 0, 500.0, 0])

    # ------------------------------------------------------------------ money, trend

    def test_money_from_accounting(self):
        rows = self.rows("money")
        # validated, draft, total
        self.assertFigures(rows["Service Charges Invoiced"], [300.0, 230.0, 530.0])
        self.assertFigures(rows["Warranty Cost"], [45.0, 0.0, 45.0])
        self.assertFigures(rows["Returns Compensation"], [500.0, 0.0, 500.0])
        self.assertFigures(rows["Overtime Subsidies"], [0.0, 240.0, 240.0])
        self.assertFigures(rows["Expense Claims"], [0.0, 100.5, 100.5])
        self.assertEqual(self.tables["money"]["total"][0], "Net (Charges less Costs)")
        self.assertFigures(self.total("money"), [-245.0, -110.5, -355.5])
        # a validated subsidy bill moves from draft to validated
        bill = self.v1.sudo().subsidy_bill_ids[:1]
        bill.action_invoice_open()
        money = self._wizard()._table_money()
        self.assertFigures(money["rows"][3][1:], [120.0, 120.0, 240.0])

    def test_monthly_trend(self):
        table = self.tables["trend"]
        self.assertEqual([row[0] for row in table["rows"]],
                         ["2018-%02d" % m for m in range(4, 13)] + ["2019-01", "2019-02",
                                                                     "2019-03"])
        rows = self.rows("trend")
        # requests, resolved, on-time rate, callbacks answered, satisfaction rate
        self.assertFigures(rows["2019-03"], [6, 4, 0.75, 3, 2 / 3.0])
        self.assertFigures(rows["2019-02"], [1, 1, 1.0, 1, 1.0])
        self.assertFigures(rows["2019-01"], [0, 0, None, 0, None])
        self.assertFigures(self.total("trend"), [7, 5, 0.8, 4, 0.75])

    def test_team_filter(self):
        wizard = self._wizard(team_id=self.team_b.id)
        self.assertFigures(wizard._table_by_category()["total"][1:], [1, 1.0, 0, 0])  # R5
        self.assertFigures(wizard._table_money()["total"][1:], [0.0, 0.0, 0.0])
        self.assertFigures(wizard._table_visits_by_station()["total"][1:], [0, 0, 0])
        team_a = self._wizard(team_id=self.team.id)
        self.assertFigures(team_a._table_by_category()["total"][1:], [5, 1.0, 1, 4])
        # the parts sent without a request and the usage callback are not the team's
        self.assertFigures(team_a._table_parts()["total"][1:], [2.0, 160.0, 0, 0, 2.0, 160.0])
        self.assertFigures(team_a._table_satisfaction_station()["total"][1:], [2, 1, 0.5])
        # money of the team's requests: V1's invoice and bills, the parts of R3, R8's refund
        self.assertFigures(team_a._table_money()["total"][1:], [-200.0, -110.5, -310.5])

    # ------------------------------------------------------------------ outputs

    def test_workbook(self):
        book = self._workbook(self.wizard)
        self.assertEqual(book.sheetnames, [
            "By Category", "By Channel", "By Product", "By Customer", "Time Limits",
            "Repair Results", "Visits by Technician", "Visits by Station", "Parts Issued",
            "Satisfaction by Technician", "Satisfaction by Station", "Satisfaction by Product",
            "Complaints", "Returns", "Money", "Monthly Trend", "Indicators", "Warranty Cost",
            "Parts Quality", "Delay Reasons", "Requests (Detail)"])
        sheet = book["By Category"]
        self.assertEqual(sheet["A1"].value,
                         "After-Sales Service Department Repair Statistics - Requests by Category")
        self.assertEqual([c.value for c in sheet[4]],
                         ["Category", "Requests", "Share", "In Warranty", "Resolved"])
        self.assertEqual(sheet.freeze_panes, "B5")
        self.assertEqual([c.value for c in sheet[5]], ["Repair", 3, 0.5, 1, 2])
        self.assertEqual(sheet["C5"].number_format, "0.0%")
        self.assertEqual([c.value for c in sheet[13]], ["Total", 6, 1, 1, 4])
        self.assertTrue(sheet["A13"].font.b)
        money = book["Money"]
        self.assertEqual([c.value for c in money[10]],
                         ["Net (Charges less Costs)", -245, -110.5, -355.5])
        self.assertIn("#,##0.00", money["B5"].number_format)
        times = book["Time Limits"]
        self.assertEqual(times["F7"].value, 8.4)
        self.assertEqual(times["F7"].number_format, "#,##0.0")
        trend = book["Monthly Trend"]
        self.assertEqual([c.value for c in trend[17]], ["Total", 7, 5, 0.8, 4, 0.75])
        self.assertEqual(len(trend._charts), 1)
        # the detail: the six requests of March, in order of receipt, and the total line
        detail = book["Requests (Detail)"]
        self.assertEqual(detail["A1"].value, "Number")
        self.assertEqual(detail.freeze_panes, "B2")
        numbers = [detail.cell(row=row, column=1).value for row in range(2, 8)]
        self.assertEqual(sorted(numbers), sorted((self.r1 | self.r2 | self.r3 | self.r4 |
                                                  self.r5 | self.r8).mapped("name")))
        first = [c.value for c in detail[2]]
        self.assertEqual(first[4], "Repair")
        # yes/no columns: 1 or 0 shown as Yes or No; times in hours; dates as dates
        self.assertEqual(detail["L1"].value, "In Warranty")
        self.assertIn(detail["L2"].value, (0, 1))
        self.assertEqual(detail["L2"].number_format, '"Yes";"Yes";"No"')
        self.assertEqual(detail["B2"].value, datetime(2019, 3, 4, 9, 0))
        self.assertEqual(detail["B2"].number_format, "yyyy-mm-dd hh:mm")
        hours = sorted(detail.cell(row=row, column=15).value or 0 for row in range(2, 8))
        self.assertEqual(hours, [0, 1.0, 2.0, 4.0, 5.0, 30.0])
        self.assertEqual(detail["A8"].value, "Total: 6 requests")
        self.assertEqual(detail["O8"].value, "=AVERAGE(O2:O7)")

    def test_workbook_in_chinese(self):
        self._zh_CN()
        book = self._workbook(self.wizard, lang="zh_CN")
        self.assertEqual(book.sheetnames[0], "按类别")
        self.assertIn("月度趋势", book.sheetnames)
        self.assertIn("服务请求明细", book.sheetnames)
        sheet = book["按类别"]
        self.assertEqual(sheet["A1"].value, "售后服务部维修统计表 - 服务请求（按类别）")
        self.assertEqual(sheet["A4"].value, "类别")
        self.assertEqual(sheet["B4"].value, "请求数")
        self.assertEqual(sheet["A13"].value, "合计")
        self.assertEqual(sheet["A5"].value, "维修")  # the category, from the addon's .po
        self.assertEqual(book["服务请求明细"]["A1"].value, "编号")

    def test_pdf_in_chinese(self):
        self._zh_CN()
        _pdf, text = self.render_pdf("after_sales_service.statistics_pdf_report",
                                     self.wizard.sudo(), lang="zh_CN")
        self.assertIn("维修统计表", text)
        self.assertIn("2019-03-01", text)
        self.assertIn("合计", text)

    def test_show_on_screen(self):
        self.wizard.action_show()
        html = self.wizard.result_html
        self.assertIn("Requests by Category", html)
        self.assertIn("Net (Charges less Costs)", html)
        self.assertIn("75.0 %", html)

    def test_access_and_period(self):
        for user in (self.user_technician, self.user_station, self.user_nobody):
            wizard = self.env["after_sales.statistics"].sudo(user).new(
                {"date_from": PERIOD[0], "date_to": PERIOD[1], "company_id": self.company.id})
            with self.assertRaises(AccessError):
                wizard._statistics_tables()
        with self.assertRaises(ValidationError):
            self._wizard(date_from="2019-04-01")
        with self.assertRaises(ValidationError):
            self._wizard(top_count=0)
        self.assertEqual(self.env["after_sales.statistics"].sudo(
            self.user_manager).create({}).date_from[8:], "01")


class TestStatisticsForm(AfterSalesCase):
    """The statistics form as the web client drives it: a preset period filling the dates,
    no date field to open on load, the title of its breadcrumb."""

    def _onchange_period(self, period):
        """What the web client gets back when the user picks a preset period."""
        Wizard = self.env["after_sales.statistics"].sudo(self.user_as)
        # from dates of another period, as when the user changes the preset
        values = dict(Wizard.default_get(list(Wizard._fields)), period=period,
                      date_from="2000-01-01", date_to="2000-01-31")
        spec = {name: "1" if name == "period" else "" for name in values}
        return Wizard.onchange(values, "period", spec)["value"]

    def test_presets_fill_the_dates(self):
        today = fields.Date.from_string(fields.Date.context_today(
            self.env["after_sales.statistics"].sudo(self.user_as)))
        month = today.replace(day=1)
        quarter = month.replace(month=month.month - (month.month - 1) % 3)
        expected = {
            "this_month": (month, month + relativedelta(months=1, days=-1)),
            "last_month": (month - relativedelta(months=1), month - relativedelta(days=1)),
            "this_quarter": (quarter, quarter + relativedelta(months=3, days=-1)),
            "this_year": (today.replace(month=1, day=1), today.replace(month=12, day=31)),
            "last_year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        }
        for period, (start, end) in expected.items():
            value = self._onchange_period(period)
            self.assertEqual((value["date_from"], value["date_to"]),
                             (fields.Date.to_string(start), fields.Date.to_string(end)), period)
        # a custom period keeps the dates the user types
        self.assertNotIn("date_from", self._onchange_period("custom"))

    def test_what_the_client_saves(self):
        """Every field of the form, the read-only dates included (force_save), False for the
        empty team: the statistics read those dates; the title names them."""
        Wizard = self.env["after_sales.statistics"].sudo(self.user_as)
        dates = self._onchange_period("last_month")
        wizard = Wizard.create({
            "period": "last_month", "date_from": dates["date_from"],
            "date_to": dates["date_to"], "company_id": self.company.id, "team_id": False,
            "top_count": 20, "result_html": False, "name": False})
        self.assertEqual((wizard.date_from, wizard.date_to),
                         (dates["date_from"], dates["date_to"]))
        title = "%s %s \u2013 %s" % (wizard._report_title(), dates["date_from"],
                                     dates["date_to"])
        self.assertEqual(wizard.name, title)
        self.assertEqual(wizard.name_get(), [(wizard.id, title)])  # the breadcrumb
        self.assertNotIn("after_sales.statistics,", wizard.display_name)
        # dates sent without a preset stay as they are (a custom period)
        wizard = Wizard.create({"date_from": "2019-03-01", "date_to": "2019-03-31"})
        self.assertEqual((wizard.date_from, wizard.date_to), ("2019-03-01", "2019-03-31"))

    def test_title_in_chinese(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        wizard = self.env["after_sales.statistics"].sudo(self.user_as).with_context(
            lang="zh_CN").create({"period": "custom", "date_from": "2026-01-01",
                                  "date_to": "2026-12-31"})
        self.assertEqual(wizard.name, "售后服务部维修统计表 2026-01-01 \u2013 2026-12-31")

    def test_form_opens_on_the_preset_not_on_a_date(self):
        """The form's first field takes the focus when it opens: the preset (radio), not a date
        (its calendar would pop up); the dates are read-only but saved unless custom."""
        view = self.env["after_sales.statistics"].sudo(self.user_as).fields_view_get(
            view_id=self.env.ref("after_sales_service.statistics_view_form").id,
            view_type="form")
        arch = etree.fromstring(view["arch"])
        visible = [node for node in arch.iter("field")
                   if not json.loads(node.get("modifiers", "{}")).get("invisible")]
        self.assertEqual(visible[0].get("name"), "period")
        self.assertEqual(visible[0].get("widget"), "radio")
        for name in ("date_from", "date_to"):
            node = arch.xpath("//field[@name='%s']" % name)[0]
            self.assertEqual(node.get("force_save"), "1", name)
            self.assertEqual(json.loads(node.get("modifiers"))["readonly"],
                             [["period", "!=", "custom"]], name)
