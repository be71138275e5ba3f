# -*- coding: utf-8 -*-
"""Integrity of what is entered and planned: deadlines that end at the end of a working
period, input refused on entry (negative numbers, impossible dates, oversized texts), and
outbound orders whose backorder is cancelled."""
import base64
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import ValidationError

from .common import AfterSalesCase

FRIDAY = "2026-11-20"
MONDAY = "2026-11-23"
SIGNATURE = base64.b64encode(base64.b64decode(
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="))


def _at(day, hour):
    return fields.Datetime.from_string("%s %02d:00:00" % (day, hour))


class TestDeadlinesAtPeriodEnd(AfterSalesCase):
    """The test week is Monday-Friday 08:00-12:00 and 13:00-17:00 (UTC)."""

    def _monday_leave(self):
        self.env["resource.calendar.leaves"].create({
            "name": "Holiday", "calendar_id": self.calendar.id,
            "date_from": MONDAY + " 00:00:00", "date_to": MONDAY + " 23:59:59"})

    def _plan(self, start, amount, unit="hours"):
        deadline = self.company.after_sales_plan_deadline(start, amount, unit)
        # the working hours measured up to the deadline are what was planned
        hours = amount * 8.0 if unit == "days" else amount
        self.assertAlmostEqual(self.company.after_sales_working_hours(start, deadline), hours,
                               places=4)
        return deadline

    def test_one_day_from_friday_close_over_a_monday_leave(self):
        self._monday_leave()
        self.assertEqual(self._plan(_at(FRIDAY, 17), 1, "days"), _at("2026-11-24", 17))
        self.assertEqual(self._plan(_at(FRIDAY, 17), 8), _at("2026-11-24", 17))

    def test_hours_ending_at_noon(self):
        self._monday_leave()
        self.assertEqual(self._plan(_at(FRIDAY, 17), 4), _at("2026-11-24", 12))
        self.assertEqual(self._plan(_at("2026-11-25", 10), 2), _at("2026-11-25", 12))
        # a string start (as stored) gives the same
        self.assertEqual(self.company.after_sales_plan_deadline(FRIDAY + " 17:00:00", 4),
                         _at("2026-11-24", 12))

    def test_eight_hours_from_monday_morning(self):
        self.assertEqual(self._plan(_at("2026-11-30", 8), 8), _at("2026-11-30", 17))
        self.assertEqual(self._plan(_at("2026-11-30", 8), 1, "days"), _at("2026-11-30", 17))
        # deadlines inside a period and across the weekend are unchanged
        self.assertEqual(self._plan(_at(FRIDAY, 15), 3), _at("2026-11-23", 9))
        self.assertEqual(self._plan(_at("2026-11-28", 10), 1), _at("2026-11-30", 9))

    def test_satisfaction_callback_three_working_days_after_friday_close(self):
        self.env["after_sales.technician.qualification"].create({
            "user_id": self.user_technician.id,
            "type_id": self.env.ref("after_sales_service.qualification_heater_installation").id,
            "date_obtained": "2025-01-01", "date_expiry": "2030-12-31"})
        request = self.env["after_sales.request"].create({
            "partner_id": self.customer.id, "category": "repair", "product_id": self.product.id,
            "description": "不加热"})
        request.action_start()
        visit = self.env["after_sales.visit"].sudo(self.user_as).create({
            "request_id": request.id, "partner_id": self.customer.id, "purpose": "repair",
            "date_planned": FRIDAY + " 15:00:00", "in_warranty": True,
            "technician_ids": [(6, 0, self.user_technician.ids)],
            "appointment_confirmed": True})
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()
        technician_visit = visit.sudo(self.user_technician)
        technician_visit.action_start()
        technician_visit.write({
            "date_arrival": FRIDAY + " 15:00:00", "date_departure": FRIDAY + " 17:00:00",
            "arrival_confirmed": True, "fault_found": "温控器损坏", "handling": "更换温控器",
            "fee_standard_shown": True, "customer_signer": "王工",
            "customer_signature": SIGNATURE, "customer_evaluation": "5"})
        technician_visit.action_done()
        callback = self.env["after_sales.callback"].search([("visit_id", "=", visit.id)])
        self.assertEqual(len(callback), 1)
        # Monday, Tuesday, Wednesday: due Wednesday at the end of the day, not Thursday 08:00
        self.assertEqual(callback.date_due, "2026-11-25 17:00:00")


class TestInputRules(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestInputRules, cls).setUpClass()
        cls.Request = cls.env["after_sales.request"]
        cls.Visit = cls.env["after_sales.visit"]
        cls.request = cls.Request.create({
            "partner_id": cls.customer.id, "category": "repair", "product_id": cls.product.id,
            "description": "不加热"})

    def _visit(self, **vals):
        values = {"request_id": self.request.id, "partner_id": self.customer.id,
                  "purpose": "repair", "date_planned": "2026-11-20 09:00:00",
                  "distance_km": 25.0}
        values.update(vals)
        return self.Visit.sudo(self.user_as).create(values)

    def assertRefused(self, label, function, *args):
        """`function(*args)` raises a ValidationError naming `label`; nothing is saved."""
        with self.assertRaisesRegex(ValidationError, label), self.cr.savepoint():
            function(*args)
        self.env.cache.invalidate()  # the values refused are rolled back, not only in the cache

    def test_negative_distance_and_duration_refused(self):
        visit = self._visit()
        self.assertRefused(r"Distance \(km\)", visit.write, {"distance_km": -30.0})
        self.assertRefused(r"Planned Duration \(h\)", visit.write, {"duration": -2.0})
        self.assertEqual((visit.distance_km, visit.duration), (25.0, 2.0))
        self.assertGreater(visit.estimated_travel, 0.0)
        visit.write({"distance_km": 0.0, "duration": 0.0})
        self.assertEqual(visit.distance_km, 0.0)

    def test_negative_distance_refused_on_create(self):
        with self.assertRaisesRegex(ValidationError, r"Distance \(km\)"), self.cr.savepoint():
            self._visit(distance_km=-5.0)
        with self.assertRaisesRegex(ValidationError, r"Planned Duration \(h\)"), \
                self.cr.savepoint():
            self._visit(duration=-1.0)

    def test_departure_before_arrival_refused_on_entry(self):
        with self.assertRaisesRegex(ValidationError, "Departure"), self.cr.savepoint():
            self._visit(date_arrival="2026-11-20 10:00:00", date_departure="2026-11-20 09:00:00")
        visit = self._visit(date_arrival="2026-11-20 10:00:00")
        self.assertRefused("Departure", visit.write, {"date_departure": "2026-11-20 09:59:00"})
        self.assertRefused("Departure", visit.write, {"date_arrival": "2026-11-21 10:00:00",
                                                      "date_departure": "2026-11-20 12:00:00"})
        visit.write({"date_departure": "2026-11-20 12:00:00"})
        self.assertEqual(visit.date_departure, "2026-11-20 12:00:00")
        # moving the arrival after the recorded departure is refused too
        self.assertRefused("Departure", visit.write, {"date_arrival": "2026-11-20 13:00:00"})

    def test_request_received_in_the_future_refused(self):
        vals = {"partner_id": self.customer.id, "category": "repair"}
        with self.assertRaisesRegex(ValidationError, "Received"), self.cr.savepoint():
            self.Request.create(dict(vals, date_received="2099-01-01 09:00:00"))
        self.assertRefused("Received", self.request.write,
                           {"date_received": fields.Datetime.to_string(
                               datetime.now() + timedelta(days=2))})
        # a clock a few hours ahead is tolerated
        soon = fields.Datetime.to_string(datetime.now() + timedelta(hours=3))
        request = self.Request.create(dict(vals, date_received=soon))
        self.assertEqual(request.date_received, soon)

    def test_oversized_texts_refused(self):
        long_phone = "1" * 10000
        vals = {"partner_id": self.customer.id, "category": "repair"}
        for field, label, limit in (("phone", "Phone", 64), ("contact_name", "Contact Person", 128),
                                    ("project_name", "Project / Site Name", 256),
                                    ("description", "Fault Description", 20000)):
            with self.assertRaisesRegex(ValidationError, label), self.cr.savepoint():
                self.Request.create(dict(vals, **{field: "x" * (limit + 1)}))
            # at the limit it is accepted
            self.assertEqual(len(self.Request.create(dict(vals, **{field: "x" * limit}))[field]),
                             limit)
        self.assertRefused("Phone", self.request.write, {"phone": long_phone})
        self.assertRefused("Fault Description", self.request.write,
                           {"description": "故" * (2 * 1024 * 1024)})
        self.assertRefused("Fault Found", self.request.write, {"fault_found": "x" * 20001})
        self.assertEqual(self.request.description, "不加热")

        order = self.env["after_sales.parts.order"].create({"partner_id": self.customer.id})
        self.assertRefused("Tracking Number", order.write, {"carrier_tracking_ref": long_phone})
        with self.assertRaisesRegex(ValidationError, "Tracking Number"), self.cr.savepoint():
            self.env["after_sales.parts.order"].create({"partner_id": self.customer.id,
                                                         "carrier_tracking_ref": "SF" * 5000})
        visit = self._visit()
        self.assertRefused("Customer Name", visit.write, {"customer_signer": "王" * 10000})
        self.assertRefused("Handling", visit.write, {"handling": "x" * 20001})
        self.assertRefused("Site Address", visit.write, {"site_address": "x" * 257})
        complaint = self.env["after_sales.complaint"].create({
            "partner_id": self.customer.id, "content": "热水器漏水"})
        self.assertRefused("Contact Phone", complaint.write, {"phone": long_phone})
        self.assertRefused("Complainant", complaint.write, {"complainant": "x" * 10000})
        self.assertRefused("Complaint Content", complaint.write, {"content": "x" * 20001})
        returned = self.env["after_sales.return"].create({"partner_id": self.customer.id})
        self.assertRefused(r"Reason \(Detailed\)", returned.write, {"reason": "x" * 20001})
        callback = self.env["after_sales.callback"].create({
            "partner_id": self.customer.id, "date_due": fields.Datetime.now(),
            "type_id": self.env.ref("after_sales_service.callback_type_satisfaction").id})
        self.assertRefused("Notes", callback.write, {"note": "x" * 20001})
        contract = self.env["after_sales.contract"].create({
            "partner_id": self.customer.id, "date_start": "2027-01-01",
            "date_end": "2027-12-31"})
        self.assertRefused("Phone", contract.write, {"phone": long_phone})
        self.assertRefused("Contact Person", contract.write, {"contact_name": "x" * 10000})
        demand = self.env["after_sales.demand"].create({
            "partner_id": self.customer.id, "product_id": self.product.id,
            "date_desired": "2027-01-10"})
        self.assertRefused("Contact Person", demand.write, {"contact_name": "x" * 10000})
        self.assertRefused("Phone", demand.write, {"phone": long_phone})
        self.assertRefused("Customer's Need", demand.write, {"description": "x" * 20001})

    def test_refusal_in_the_users_language(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        self.user_as.lang = "zh_CN"
        visit = self._visit().sudo(self.user_as)
        self.assertRefused("距离（公里）", visit.write, {"distance_km": -1.0})
        self.assertRefused("电话", self.request.sudo(self.user_as).write, {"phone": "1" * 65})
        self.assertRefused("受理时间", self.request.sudo(self.user_as).write,
                           {"date_received": "2099-01-01 09:00:00"})

    def _web_client_vals(self, model, values, state, user=None):
        """What the web client sends when a form is saved: every editable field of the form,
        False (0 for numbers) for the empty ones, `values` for the filled ones."""
        Model = self.env[model].sudo(user or self.user_as)
        view_fields = Model.fields_view_get(view_type="form")["fields"]
        vals = {}
        for name, desc in view_fields.items():
            field = Model._fields[name]
            editable = not desc.get("readonly") or dict(
                desc.get("states", {}).get(state, [])).get("readonly") is False
            if not editable or not field.store or field.compute or field.type == "one2many":
                continue
            if field.type in ("float", "integer", "monetary"):
                vals[name] = 0
            elif field.type == "many2many":
                vals[name] = [(6, 0, [])]
            else:
                vals[name] = False
        vals.update(values)
        return vals

    def test_web_client_save_of_valid_data(self):
        vals = self._web_client_vals("after_sales.request", {
            "partner_id": self.customer.id, "channel": "hotline", "category": "repair",
            "priority": "0", "date_received": fields.Datetime.now(), "phone": "021-5555 0101",
            "contact_name": "王工", "description": "不加热"}, "new")
        self.assertIn("distance_km", self._web_client_vals("after_sales.visit", {}, "draft"))
        # (create adds its followers to the values it is given: pass a copy)
        request = self.Request.sudo(self.user_as).create(dict(vals))
        self.assertEqual((request.phone, request.site_address), ("021-5555 0101", False))
        request.sudo(self.user_as).write(dict(vals, description="不加热，显示 E1"))
        self.assertEqual(request.description, "不加热，显示 E1")

        visit = self._visit()
        visit_vals = self._web_client_vals("after_sales.visit", {
            "request_id": self.request.id, "partner_id": self.customer.id, "purpose": "repair",
            "date_planned": "2026-11-20 09:00:00", "duration": 2.0, "distance_km": 12.5,
            "site_address": "浦东新区张江路 1 号"}, "draft")
        self.assertIn("date_departure", visit_vals)
        visit.write(visit_vals)
        self.assertEqual((visit.distance_km, visit.date_arrival), (12.5, False))
        # an empty distance is no distance
        visit.write(dict(visit_vals, distance_km=0, duration=0))
        self.assertEqual(visit.distance_km, 0.0)


class TestBackorderCancelled(AfterSalesCase):
    """5 parts ordered and 5 in the parts store; the fee standard prices them at cost + 25%
    and charges 30 of courier postage."""

    @classmethod
    def setUpClass(cls):
        super(TestBackorderCancelled, cls).setUpClass()
        cls.Order = cls.env["after_sales.parts.order"]
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.parts_store = cls.warehouse.after_sales_parts_location_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.valve = cls.env["product.product"].create({
            "name": "安全阀 SV-2", "type": "product", "default_code": "SV-2",
            "standard_price": 80.0, "list_price": 150.0, "taxes_id": [(6, 0, [])]})
        cls.postage = cls.env.ref("after_sales_service.product_postage")
        cls.postage.taxes_id = [(6, 0, [])]
        standard = cls.env["after_sales.fee.standard"].for_company(cls.company)
        standard.write({"parts_markup": 25.0, "postage_ids": [(5, 0, 0)]})
        standard.write({"postage_ids": [(0, 0, {"method": "courier", "amount": 30.0})]})
        cls.env["stock.quant"]._update_available_quantity(cls.valve, cls.parts_store, 5.0)

    def _approved_order(self, request=None):
        values = {"partner_id": self.customer.id, "shipping_method": "courier",
                  "chargeable": True,
                  "line_ids": [(0, 0, {"product_id": self.valve.id, "quantity": 5.0,
                                       "product_uom_id": self.valve.uom_id.id})]}
        if request:
            values["request_id"] = request.id
        order = self.Order.sudo(self.user_as).create(values).with_env(self.env)
        order.sudo(self.user_as).action_submit()
        order.sudo(self.user_manager).action_approve()
        self.assertEqual(order.state, "approved")
        self.assertEqual(order.invoice_ids.amount_total, 5 * 100.0 + 30.0)
        return order

    def _ship_with_backorder(self, order, quantity):
        """The warehouse validates `quantity` and keeps the rest as a backorder."""
        picking = order.picking_ids.sudo(self.user_stock)
        picking.action_assign()  # the warehouse's Check Availability
        self.assertEqual(picking.state, "assigned")
        picking.move_line_ids.qty_done = quantity
        action = picking.button_validate()
        wizard = self.env["stock.backorder.confirmation"].sudo(self.user_stock).browse(
            action["res_id"])
        wizard.process()
        self.assertEqual(picking.state, "done")
        backorder = self.env["stock.picking"].search([("backorder_id", "=", picking.id)])
        self.assertEqual(backorder.after_sales_parts_order_id, order)
        self.assertEqual(order.state, "approved")  # the rest is still to come
        return backorder.sudo(self.user_stock)

    def _part_lines(self, invoice):
        return invoice.invoice_line_ids.filtered(lambda l: l.product_id == self.valve)

    def test_cancelled_backorder_ships_the_order_and_charges_what_was_issued(self):
        order = self._approved_order()
        backorder = self._ship_with_backorder(order, 2.0)
        backorder.action_cancel()
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(order.state, "shipped")
        self.assertTrue(order.date_shipped)
        self.assertEqual(order.line_ids.qty_issued, 2.0)
        self.assertEqual(self.qty_at(self.valve, self.parts_store), 3.0)
        self.assertEqual(self.qty_at(self.valve, self.customers), 2.0)
        invoice = order.invoice_ids
        self.assertEqual((len(invoice), invoice.state), (1, "draft"))
        self.assertEqual(self._part_lines(invoice).mapped("quantity"), [2.0])
        postage = invoice.invoice_line_ids.filtered(lambda l: l.product_id == self.postage)
        self.assertEqual(postage.mapped("quantity"), [1.0])
        self.assertEqual(invoice.amount_total, 2 * 100.0 + 30.0)
        order.invalidate_cache()
        self.assertEqual(order.amount_invoiced, 230.0)

    def test_validated_invoice_asks_finance_for_a_credit_note(self):
        order = self._approved_order()
        invoice = order.invoice_ids
        invoice.sudo(self.user_finance).action_invoice_open()
        backorder = self._ship_with_backorder(order, 2.0)
        backorder.action_cancel()
        self.assertEqual(order.state, "shipped")
        self.assertEqual((invoice.state, invoice.amount_total), ("open", 530.0))
        self.assertEqual(self._part_lines(invoice).mapped("quantity"), [5.0])
        notes = order.message_ids.filtered(lambda m: "credit note" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("300.00", notes.body)
        self.assertIn(invoice.number, notes.body)

    def test_all_transfers_cancelled_cancels_the_order(self):
        request = self.env["after_sales.request"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "category": "parts", "product_id": self.product.id,
            "description": "安全阀漏水"})
        request.action_start()
        order = self._approved_order(request)
        self.assertEqual((request.state, request.waiting_reason), ("waiting", "parts"))
        invoice = order.invoice_ids
        order.picking_ids.sudo(self.user_stock).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(self.qty_at(self.valve, self.parts_store), 5.0)
        self.assertEqual(request.state, "in_progress")
        # the manager's own cancellation still works on a fresh order
        other = self._approved_order()
        other.sudo(self.user_as).action_cancel()
        self.assertEqual((other.state, other.invoice_ids.state), ("cancel", "cancel"))
