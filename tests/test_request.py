# -*- coding: utf-8 -*-
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AfterSalesCase

FRIDAY = "2026-11-20"  # a Friday; Saturday and Sunday are not worked in the test calendar
MONDAY = "2026-11-23"


class TestRequestCommon(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestRequestCommon, cls).setUpClass()
        cls.Request = cls.env["after_sales.request"]
        cls.lot = cls.env["stock.production.lot"].create({
            "name": "EH60-0001", "product_id": cls.product.id})
        cls.station = cls.env["res.partner"].create({
            "name": "苏州特约维修点", "is_company": True, "after_sales_is_station": True})
        cls.user_station.partner_id.parent_id = cls.station

    def _request(self, user=None, **vals):
        values = {"partner_id": self.customer.id, "channel": "hotline", "category": "repair",
                  "product_id": self.product.id, "description": "不加热"}
        values.update(vals)
        return self.Request.sudo(user or self.user_as).create(values)


class TestRequestFlow(TestRequestCommon):

    def test_hotline_request_to_closure(self):
        request = self._request(date_received=fields.Datetime.now())
        self.assertTrue(request.name.startswith("SR"))
        self.assertEqual(request.state, "new")
        self.assertEqual(request.sla_rule_id, self.env.ref("after_sales_service.sla_rule_normal"))
        request.write({"guidance": "Checked the thermostat reset by phone."})
        request.action_start()
        self.assertEqual(request.state, "in_progress")
        self.assertTrue(request.date_response)
        self.assertTrue(request.response_on_time)
        request.action_set_waiting("parts")
        self.assertEqual((request.state, request.waiting_reason), ("waiting", "parts"))
        with self.assertRaisesRegex(UserError, "fault found"):
            request.action_resolve()
        self.assertEqual(request.state, "waiting")
        request.write({"fault_found": "Thermostat failed", "method_used": "Thermostat replaced"})
        request.action_resolve()
        self.assertEqual(request.state, "resolved")
        self.assertTrue(request.resolved_on_time)
        request.action_close()
        self.assertEqual(request.state, "closed")
        tracked = request.sudo().message_ids.mapped("tracking_value_ids").filtered(
            lambda t: t.field == "state")
        self.assertEqual(len(tracked), 4)  # in progress>waiting>resolved>closed
        with self.assertRaises(UserError):
            request.sudo(self.user_manager).unlink()

    def test_cancel_needs_a_reason(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "reason"):
            request.action_cancel(reason="  ")
        self.assertEqual(request.state, "new")
        wizard_action = request.action_cancel_wizard()
        wizard = self.env["after_sales.reason.wizard"].browse(wizard_action["res_id"])
        wizard.reason = "Duplicate of another request"
        wizard.action_confirm()
        self.assertEqual(request.state, "cancel")
        self.assertEqual(request.cancel_reason, "Duplicate of another request")
        with self.assertRaises(UserError):
            request.action_start()

    def test_wizard_refuses_actions_without_reason(self):
        request = self._request()
        wizard = self.env["after_sales.reason.wizard"].create({
            "res_model": request._name, "res_ids": str(request.id), "action": "close",
            "reason": "x"})
        with self.assertRaises(UserError):
            wizard.action_confirm()

    def test_roles(self):
        with self.assertRaises(AccessError):
            self._request(user=self.user_nobody)
        with self.assertRaises(AccessError):
            self._request(user=self.user_technician)
        request = self._request(user_id=self.user_technician.id)
        other = self._request(user_id=self.user_as.id)
        visible = self.Request.sudo(self.user_technician).search(
            [("id", "in", (request | other).ids)])
        self.assertEqual(visible, request)
        # the technician works the request assigned to them
        request.sudo(self.user_technician).action_start()
        self.assertEqual(request.state, "in_progress")


class TestServiceStation(TestRequestCommon):

    def test_station_request_waits_for_dispatch(self):
        request = self._request(user=self.user_station, channel="hotline")
        self.assertTrue(request.needs_dispatch)
        self.assertEqual(request.channel, "station")
        self.assertEqual(request.station_id, self.station)
        with self.assertRaisesRegex(UserError, "dispatched"):
            request.action_start()
        with self.assertRaises(AccessError):
            request.action_dispatch()  # a station can't accept its own request
        self.assertEqual(request.state, "new")
        request.sudo(self.user_as).action_dispatch()
        self.assertFalse(request.needs_dispatch)
        self.assertEqual(request.dispatched_by_id, self.user_as)
        request.action_start()
        self.assertEqual(request.state, "in_progress")

    def test_station_sees_only_its_requests(self):
        own = self._request(user=self.user_station)
        other = self._request()
        visible = self.Request.sudo(self.user_station).search([("id", "in", (own | other).ids)])
        self.assertEqual(visible, own)


class TestWarranty(TestRequestCommon):

    def test_warranty_from_card(self):
        card = self.env["after_sales.warranty.card"].sudo(self.user_manager).create({
            "partner_id": self.customer.id, "product_id": self.product.id,
            "lot_id": self.lot.id, "date_delivered": "2025-10-10",
            "date_installed": "2025-11-01", "after_sales_warranty_months": 12})
        self.assertEqual(card.warranty_end, "2026-10-31")
        request = self._request(lot_id=self.lot.id, date_received="2026-10-20 09:00:00")
        self.assertTrue(request.in_warranty)
        self.assertEqual(request.warranty_card_id, card)
        self.assertIn(card.name, request.warranty_reason)
        late = self._request(lot_id=self.lot.id, date_received="2026-11-20 09:00:00")
        self.assertFalse(late.in_warranty)

    def test_warranty_from_delivery_date(self):
        self.product.after_sales_warranty_months = 6
        request = self._request(date_delivered="2026-01-15", date_received="2026-11-20 09:00:00")
        self.assertFalse(request.in_warranty)
        self.assertEqual(request.warranty_end, "2026-07-14")
        self.assertIn("6", request.warranty_reason)
        recent = self._request(date_delivered="2026-10-01", date_received="2026-11-20 09:00:00")
        self.assertTrue(recent.in_warranty)

    def test_warranty_unknown_is_out(self):
        request = self._request()
        self.assertFalse(request.in_warranty)
        self.assertTrue(request.warranty_reason)

    def test_override_by_manager_only(self):
        request = self._request()
        with self.assertRaises(AccessError):
            request.write({"warranty_override": "in", "warranty_override_reason": "goodwill"})
        self.assertFalse(request.in_warranty)
        with self.assertRaises(ValidationError):
            request.sudo(self.user_manager).write({"warranty_override": "in"})
        wizard = self.env["after_sales.warranty.override.wizard"].sudo(self.user_manager).create({
            "request_id": request.id, "decision": "in", "reason": "Key customer goodwill"})
        wizard.action_confirm()
        self.assertTrue(request.in_warranty)
        self.assertIn("Key customer goodwill", request.warranty_reason)
        self.assertIn("Key customer goodwill", request.message_ids[0].body)

    def test_cards_from_delivery(self):
        stock = self.env.ref("stock.stock_location_stock")
        self.env["stock.quant"]._update_available_quantity(self.product, stock, 1.0, lot_id=self.lot)
        picking = self.env["stock.picking"].create({
            "partner_id": self.customer.id,
            "picking_type_id": self.env.ref("stock.picking_type_out").id,
            "location_id": stock.id,
            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            "move_lines": [(0, 0, {"name": "EH-60", "product_id": self.product.id,
                                   "product_uom_qty": 1, "product_uom": self.product.uom_id.id,
                                   "location_id": stock.id,
                                   "location_dest_id": self.env.ref("stock.stock_location_customers").id})],
        })
        picking.action_confirm()
        picking.action_assign()
        picking.move_line_ids.write({"qty_done": 1, "lot_id": self.lot.id})
        with self.assertRaises(UserError):
            picking.action_create_warranty_cards()  # not done yet
        picking.action_done()
        picking.sudo(self.user_stock).action_create_warranty_cards()
        card = self.env["after_sales.warranty.card"].search([("lot_id", "=", self.lot.id)])
        self.assertEqual(card.partner_id, self.customer)
        self.assertEqual(card.date_delivered, picking.date_done[:10])
        picking.action_create_warranty_cards()  # no duplicate
        self.assertEqual(self.env["after_sales.warranty.card"].search_count(
            [("lot_id", "=", self.lot.id)]), 1)
        # the customer file counts them
        self.assertEqual(self.customer.after_sales_warranty_card_count, 1)


class TestTimeLimits(TestRequestCommon):

    @classmethod
    def setUpClass(cls):
        super(TestTimeLimits, cls).setUpClass()
        # Monday 2026-11-23 is a company holiday
        cls.env["resource.calendar.leaves"].create({
            "name": "Holiday", "calendar_id": cls.calendar.id,
            "date_from": MONDAY + " 00:00:00", "date_to": MONDAY + " 23:59:59"})

    def test_deadlines_skip_weekend_and_leave(self):
        normal = self._request(date_received=FRIDAY + " 15:00:00")
        # 2 working days = 16 h: Fri 15-17 (2), Tue (8), Wed 8-12 and 13-15 (6)
        self.assertEqual(normal.resolve_deadline, "2026-11-25 15:00:00")
        # 24 h to respond are clock hours (the customer's 24 h): Saturday 15:00
        self.assertEqual(normal.response_deadline, "2026-11-21 15:00:00")
        urgent = self._request(date_received=FRIDAY + " 15:00:00", priority="1")
        self.assertEqual(urgent.resolve_deadline, "2026-11-21 15:00:00")
        # at risk from 75% of 16 h = 12 h: Fri 2, Tue 8, Wed 8-10
        self.assertEqual(normal.risk_date, "2026-11-25 10:00:00")

    def test_priority_change_moves_deadline(self):
        request = self._request(date_received=FRIDAY + " 15:00:00")
        request.priority = "1"
        self.assertEqual(request.resolve_deadline, "2026-11-21 15:00:00")

    def test_working_hours_measured(self):
        hours = self.company.after_sales_working_hours(FRIDAY + " 15:00:00", "2026-11-24 10:00:00")
        self.assertAlmostEqual(hours, 4.0)  # Fri 15-17, Mon holiday, Tue 8-10

    def test_part_day_leave_skipped(self):
        # Tuesday 10:00-12:00 off: 16 h = Fri 15-17 (2), Tue 8-10 and 13-17 (6), Wed (8)
        self.env["resource.calendar.leaves"].create({
            "name": "Staff meeting", "calendar_id": self.calendar.id, "tz": "UTC",
            "date_from": "2026-11-24 10:00:00", "date_to": "2026-11-24 12:00:00"})
        request = self._request(date_received=FRIDAY + " 15:00:00")
        self.assertEqual(request.resolve_deadline, "2026-11-25 17:00:00")
        self.assertEqual(request.risk_date, "2026-11-25 12:00:00")  # 12 h: Wed 8-12
        hours = self.company.after_sales_working_hours(FRIDAY + " 15:00:00", "2026-11-24 14:00:00")
        self.assertAlmostEqual(hours, 5.0)  # Fri 15-17, Tue 8-10 and 13-14

    def test_new_request_stores_what_a_recomputation_decides(self):
        """A new request's warranty decision and time limits are inserted with it: the same
        as computing them again on the stored request."""
        self.env["after_sales.warranty.card"].create({
            "lot_id": self.lot.id, "partner_id": self.customer.id,
            "product_id": self.product.id, "date_delivered": "2026-06-01",
            "after_sales_warranty_months": 12})
        request = self._request(date_received=FRIDAY + " 15:00:00", lot_id=self.lot.id,
                                priority="1")
        names = ["warranty_card_id", "warranty_end", "in_warranty", "warranty_reason",
                 "sla_rule_id", "response_deadline", "resolve_deadline", "risk_date"]
        inserted = request.read(names)[0]
        self.assertTrue(inserted["in_warranty"])
        self.assertEqual(inserted["resolve_deadline"], "2026-11-21 15:00:00")
        request._recompute_warranty()
        computed = request._field_computed[request._fields["sla_rule_id"]]
        request.invalidate_cache([field.name for field in computed], request.ids)
        for field in computed:
            self.env.add_todo(field, request)
        request.recompute()
        request.invalidate_cache()
        self.assertEqual(request.read(names)[0], inserted)

    def test_new_request_with_visits_marks_them(self):
        """A request created with records pointing to it (one2many values) still recomputes
        what they store from it: its visit copies its warranty decision."""
        request = self._request(user=self.env.user, visit_ids=[(0, 0, {
            "partner_id": self.customer.id, "purpose": "repair",
            "date_planned": FRIDAY + " 09:00:00"})])
        visit = request.visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.in_warranty, request.in_warranty)
        self.assertIn(request.name, visit.warranty_reason)
        self.assertIn(request.warranty_reason, visit.warranty_reason)


class TestTimeLimitJob(TestRequestCommon):

    def test_job_marks_late_in_one_pass(self):
        now = datetime.now()
        long_ago = fields.Datetime.to_string(now - timedelta(days=30))
        recent = fields.Datetime.to_string(now)
        late = self._request(date_received=long_ago) | self._request(date_received=long_ago)
        fresh = self._request(date_received=recent)
        resolved = self._request(date_received=long_ago)
        resolved.write({"fault_found": "x", "method_used": "y"})
        resolved.action_start()
        resolved.action_resolve()
        self.assertFalse(resolved.resolved_on_time)
        self.Request._cron_update_time_limits()
        self.assertEqual(late.mapped("is_late"), [True, True])
        self.assertFalse(fresh.is_late)
        self.assertFalse(resolved.is_late)
        activity_type = self.env.ref("after_sales_service.mail_activity_type_escalation")
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "after_sales.request"), ("res_id", "in", late.ids),
            ("activity_type_id", "=", activity_type.id)])
        self.assertEqual(len(activities), 2)
        self.assertTrue(all(late.mapped("escalated")))
        # running again escalates nobody twice
        self.Request._cron_update_time_limits()
        self.assertEqual(self.env["mail.activity"].search_count([
            ("res_model", "=", "after_sales.request"), ("res_id", "in", late.ids),
            ("activity_type_id", "=", activity_type.id)]), 2)

    def test_job_query_count_does_not_grow(self):
        recent = fields.Datetime.now()
        for _i in range(3):
            self._request(date_received=recent)
        self.Request._cron_update_time_limits()
        before = self.cr.sql_log_count
        self.Request._cron_update_time_limits()
        few = self.cr.sql_log_count - before
        for _i in range(20):
            self._request(date_received=recent)
        self.Request._cron_update_time_limits()  # first pass may flag some at risk
        before = self.cr.sql_log_count
        self.Request._cron_update_time_limits()
        self.assertEqual(self.cr.sql_log_count - before, few)

    def test_at_risk_flag(self):
        # received 13 working hours ago with a 16 h limit: past the 75% mark, not late yet
        company = self.company
        now = datetime.now().replace(microsecond=0)
        start = self.calendar.with_context(tz="UTC").plan_hours(-13, now, compute_leaves=True)
        request = self._request(date_received=fields.Datetime.to_string(start))
        request.action_start()  # responded: its 24 clock hours to respond don't make it late
        self.assertLess(request.risk_date, fields.Datetime.to_string(now))
        self.assertGreater(request.resolve_deadline, fields.Datetime.to_string(now))
        self.Request._cron_update_time_limits()
        self.assertTrue(request.is_at_risk)
        self.assertFalse(request.is_late)
        self.assertTrue(company)


class TestChinese(TestRequestCommon):

    def test_errors_in_the_users_language(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        self.user_as.lang = "zh_CN"
        request = self._request()
        with self.assertRaisesRegex(UserError, "请填写取消原因"):
            request.sudo(self.user_as).action_cancel(reason="")
        label = dict(self.Request.with_context(lang="zh_CN")._fields["category"]
                     ._description_selection(self.env(context={"lang": "zh_CN"})))
        self.assertEqual(label["repair"], "维修")

    def test_registration_form_pdf_in_chinese(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        self.customer.lang = "zh_CN"
        request = self._request(contact_name="王工", description="热水器不加热")
        _pdf, text = self.render_pdf("after_sales_service.request_report", request, lang="zh_CN")
        self.assertIn("报修登记表", text)
        self.assertIn(request.name, text)
        self.assertIn("热水器不加热", text)
        self.assertIn("保修期外", text)
        self.assertIn("服务热线", text)  # selection values in Chinese too
        self.assertIn("维修", text)


class TestRequestComplaint(TestRequestCommon):

    def test_complaint_raised_from_request_links_back(self):
        request = self._request(priority="1", contact_name="王工")
        action = request.sudo(self.user_as).action_raise_complaint()
        complaint = self.env["after_sales.complaint"].browse(action["res_id"])
        self.assertEqual(complaint.request_id, request)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.severity, "urgent")
        self.assertEqual(complaint.content, "不加热")
        self.assertEqual(request.complaint_count, 1)
        self.assertEqual(self.customer.after_sales_complaint_count,
                         self.env["after_sales.complaint"].search_count(
                             [("partner_id", "child_of", self.customer.id)]))
        self.assertEqual(self.customer.after_sales_request_count, 1)
