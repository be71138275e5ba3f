# -*- coding: utf-8 -*-
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AfterSalesCase

FRIDAY = "2026-11-20"  # Saturday and Sunday are not worked in the test calendar


class TestTimeRulesCommon(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestTimeRulesCommon, cls).setUpClass()
        cls.Request = cls.env["after_sales.request"]
        cls.Rule = cls.env["after_sales.sla.rule"]
        cls.jiangsu = cls.env["res.country.state"].create({
            "name": "江苏省", "code": "JSX", "country_id": cls.env.ref("base.cn").id})

    def _request(self, user=None, **vals):
        values = {"partner_id": self.customer.id, "channel": "hotline", "category": "repair",
                  "product_id": self.product.id, "description": "不加热"}
        values.update(vals)
        return self.Request.sudo(user or self.user_as).create(values)

    def _late_request(self, **vals):
        """A request received 30 days ago, flagged late and escalated by the time limits
        job."""
        long_ago = fields.Datetime.to_string(datetime.now() - timedelta(days=30))
        request = self._request(date_received=long_ago, **vals)
        self.Request._cron_update_time_limits()
        request.invalidate_cache()
        self.assertTrue(request.is_late and request.escalated)
        return request


class TestClockHours(TestTimeRulesCommon):

    def test_clock_hours_run_through_night_and_weekend(self):
        company = self.company
        # Friday 15:00 + 24 h on the clock: Saturday 15:00 (no working time on Saturday)
        self.assertEqual(company.after_sales_plan_deadline(FRIDAY + " 15:00:00", 24,
                                                           "clock_hours"),
                         datetime(2026, 11, 21, 15, 0))
        # Friday 20:00 + 12 h: through the night, Saturday 08:00
        self.assertEqual(company.after_sales_plan_deadline(FRIDAY + " 20:00:00", 12,
                                                           "clock_hours"),
                         datetime(2026, 11, 21, 8, 0))
        # the same start in working hours: Monday 08:00 + 12 h = Tuesday 12:00
        self.assertEqual(company.after_sales_plan_deadline(FRIDAY + " 20:00:00", 12, "hours"),
                         datetime(2026, 11, 24, 12, 0))
        # mixed units in one call keep their order
        self.assertEqual(company.after_sales_plan_deadlines(
            FRIDAY + " 15:00:00", [(2, "days"), (24, "clock_hours"), (1, "hours")]),
            [datetime(2026, 11, 24, 15, 0), datetime(2026, 11, 21, 15, 0),
             datetime(2026, 11, 20, 16, 0)])

    def test_shipped_rules_respond_before_they_resolve(self):
        normal = self._request(date_received=FRIDAY + " 15:00:00")
        self.assertEqual(normal.sla_rule_id, self.env.ref("after_sales_service.sla_rule_normal"))
        self.assertEqual(normal.response_deadline, "2026-11-21 15:00:00")
        # 2 working days = 16 h: Fri 15-17, Mon, Tue 8-12 and 13-15
        self.assertEqual(normal.resolve_deadline, "2026-11-24 15:00:00")
        self.assertLess(normal.response_deadline, normal.resolve_deadline)
        urgent = self._request(date_received=FRIDAY + " 15:00:00", priority="1")
        self.assertEqual((urgent.response_deadline, urgent.resolve_deadline),
                         ("2026-11-21 15:00:00", "2026-11-21 15:00:00"))
        for xmlid in ("sla_rule_urgent", "sla_rule_normal", "sla_rule_complaint",
                      "sla_rule_complaint_urgent"):
            self.assertEqual(self.env.ref("after_sales_service." + xmlid).response_unit,
                             "clock_hours")

    def test_response_after_resolution_refused(self):
        with self.assertRaisesRegex(ValidationError, "response limit ends after"):
            self.Rule.create({"name": "坏规则", "priority": "0", "response_limit": 24,
                              "response_unit": "hours", "resolution_limit": 2,
                              "resolution_unit": "days"})
        with self.assertRaisesRegex(ValidationError, "response limit ends after"):
            self.Rule.create({"name": "坏规则", "priority": "0", "response_limit": 30,
                              "response_unit": "clock_hours", "resolution_limit": 24,
                              "resolution_unit": "clock_hours"})
        rule = self.Rule.create({"name": "好规则", "priority": "0", "response_limit": 24,
                                 "response_unit": "clock_hours", "resolution_limit": 2,
                                 "resolution_unit": "days"})
        with self.assertRaisesRegex(ValidationError, "response limit ends after"):
            rule.write({"response_unit": "hours"})


class TestSpecificRules(TestTimeRulesCommon):

    def test_area_rule_beats_priority_rule(self):
        """The focus area's 12 h (the customer's city, or the site's state) wins over the
        urgent rule; team rules over priority rules; the area over the team."""
        urgent_rule = self.env.ref("after_sales_service.sla_rule_urgent")
        city_rule = self.Rule.create({
            "name": "精耕区域 上海 12 小时", "priority": False, "city": "上海",
            "response_limit": 12, "response_unit": "clock_hours", "resolution_limit": 12,
            "resolution_unit": "clock_hours", "sequence": 50})
        state_rule = self.Rule.create({
            "name": "精耕区域 江苏 12 小时", "priority": False,
            "state_ids": [(6, 0, self.jiangsu.ids)], "response_limit": 12,
            "response_unit": "clock_hours", "resolution_limit": 12,
            "resolution_unit": "clock_hours", "sequence": 50})
        team = self.env["after_sales.team"].create({"name": "南京组"})
        team_rule = self.Rule.create({
            "name": "南京组 36 小时", "priority": False, "team_id": team.id,
            "response_limit": 12, "response_unit": "clock_hours", "resolution_limit": 36,
            "resolution_unit": "clock_hours", "sequence": 1})
        # the customer lives in 上海 (city of the partner): the city rule
        request = self._request(date_received=FRIDAY + " 15:00:00", priority="1")
        self.assertEqual(request.sla_rule_id, city_rule)
        self.assertEqual(request.resolve_deadline, "2026-11-21 03:00:00")
        # a site elsewhere, in 江苏: the state rule, even in the team
        request.write({"site_city": "南京", "site_state_id": self.jiangsu.id,
                       "team_id": team.id})
        self.assertEqual(request.sla_rule_id, state_rule)
        # outside the focus areas, the team's rule beats the urgent one
        request.write({"site_state_id": False})
        self.assertEqual(request.sla_rule_id, team_rule)
        self.assertEqual(request.resolve_deadline, "2026-11-22 03:00:00")
        request.write({"team_id": False})
        self.assertEqual(request.sla_rule_id, urgent_rule)
        # the site in 上海市 (with 市, spaces): the same city as the rule's 上海
        request.write({"site_city": " 上海市 "})
        self.assertEqual(request.sla_rule_id, city_rule)

    def test_onchange_fills_the_site_area(self):
        self.customer.state_id = self.jiangsu
        request = self.Request.new({"partner_id": self.customer.id})
        request._onchange_partner_id()
        self.assertEqual((request.site_state_id, request.site_city), (self.jiangsu, "上海"))


class TestDelayReason(TestTimeRulesCommon):

    def test_escalated_request_needs_its_delay_reason(self):
        request = self._late_request()
        activity = self.env["mail.activity"].search([
            ("res_model", "=", "after_sales.request"), ("res_id", "=", request.id)])
        self.assertIn("record the reason of the delay", activity.summary)
        request = request.sudo(self.user_as)
        request.action_start()
        request.write({"fault_found": "温控器坏", "method_used": "更换温控器"})
        with self.assertRaisesRegex(UserError, "reason of the delay"):
            request.action_resolve()
        self.assertEqual(request.state, "in_progress")
        # the dialog of the button asks it, then records it
        action = request.action_delay_reason_wizard()
        wizard = self.env[action["res_model"]].sudo(self.user_as).browse(action["res_id"])
        wizard.reason = "   "
        with self.assertRaisesRegex(UserError, "Give the reason"):
            wizard.action_confirm()
        wizard.reason = "配件缺货，厂家延迟发货"
        wizard.action_confirm()
        self.assertEqual(request.delay_reason, "配件缺货，厂家延迟发货")
        self.assertTrue(request.date_delay_reason)
        request.action_resolve()
        self.assertEqual(request.state, "resolved")
        self.assertFalse(request.resolved_on_time)
        # shown in the list
        arch = self.Request.sudo(self.user_as).fields_view_get(view_type="tree")["arch"]
        self.assertIn('name="delay_reason"', arch)

    def test_delay_reason_refused_when_not_late_or_typed(self):
        request = self._request(date_received=fields.Datetime.now())
        with self.assertRaisesRegex(UserError, "not late"):
            request.action_delay_reason(reason="没有原因")
        late = self._late_request().sudo(self.user_as)
        # what RPC could send: the reason is the action's field
        with self.assertRaises((AccessError, UserError)):
            late.write({"delay_reason": "直接写入"})
        with self.assertRaises((AccessError, UserError)):
            late.write({"answer_overdue": True})
        self.assertFalse(late.delay_reason)
        with self.assertRaises(AccessError):
            late.sudo(self.user_technician).action_delay_reason(reason="技术员")


class TestConsultation(TestTimeRulesCommon):

    def test_promised_answer_required_and_overdue(self):
        request = self._request(category="consultation", date_received=fields.Datetime.now())
        with self.assertRaisesRegex(UserError, "promised answer date"):
            request.action_start()
        self.assertEqual(request.state, "new")
        promised = fields.Datetime.to_string(datetime.now() + timedelta(days=2))
        request.promised_answer_date = promised
        request.action_start()
        self.assertEqual(request.state, "in_progress")
        with self.assertRaisesRegex(ValidationError, "promised answer date"):
            request.write({"promised_answer_date": False})
        self.Request._cron_update_time_limits()
        request.invalidate_cache()
        self.assertFalse(request.answer_overdue)
        # the promise moves to the past (tracked): the job flags it overdue
        past = fields.Datetime.to_string(datetime.now() - timedelta(hours=1))
        request.write({"promised_answer_date": past})
        tracked = request.sudo().message_ids.mapped("tracking_value_ids").filtered(
            lambda t: t.field == "promised_answer_date")
        self.assertTrue(tracked)
        self.Request._cron_update_time_limits()
        request.invalidate_cache()
        self.assertTrue(request.answer_overdue)
        request.write({"fault_found": "如何除垢", "method_used": "已电话答复除垢步骤"})
        request.action_resolve()
        self.assertFalse(request.answer_overdue)

    def test_answered_on_the_spot(self):
        request = self._request(category="consultation", date_received=fields.Datetime.now(),
                                fault_found="如何设置温度", method_used="当场电话答复")
        request.action_answer_now()
        self.assertEqual(request.state, "resolved")
        self.assertTrue(request.date_response and request.response_on_time)
        self.assertFalse(request.promised_answer_date)
        repair = self._request(date_received=fields.Datetime.now())
        with self.assertRaisesRegex(UserError, "Only consultations"):
            repair.action_answer_now()


class TestDelayCompensation(TestTimeRulesCommon):

    @classmethod
    def setUpClass(cls):
        super(TestDelayCompensation, cls).setUpClass()
        cls.company_b = cls._create_second_company()

    def _propose(self, request, amount=300.0, user=None):
        """What the form opened by Compensate Delay saves (defaults of its action)."""
        action = request.sudo(user or self.user_as).action_compensate_delay()
        ctx = action["context"]
        Compensation = self.env["after_sales.return.compensation"].sudo(user or self.user_as)
        return Compensation.with_context(**ctx).create({
            "request_id": ctx["default_request_id"], "return_id": False,
            "compensation_type": ctx["default_compensation_type"],
            "method": ctx["default_method"], "amount": amount,
            "description": "维修超时补偿"})

    def test_late_request_compensated_with_approval(self):
        request = self._late_request()
        self.assertTrue(request.can_be_compensated)
        compensation = self._propose(request)
        self.assertEqual(compensation.partner_id, self.customer)
        self.assertEqual(compensation.company_id, self.company)
        # no returned goods: quality review, then the general manager, as returns
        self.assertTrue(compensation.needs_approval)
        compensation.action_submit()
        self.assertEqual(compensation.state, "to_review")
        with self.assertRaises(AccessError):
            compensation.sudo(self.user_as).action_approve()
        with self.assertRaises(UserError):
            compensation.sudo(self.user_gm).action_approve()  # before quality's review
        compensation.sudo(self.user_quality).action_review()
        self.assertEqual(compensation.state, "to_approve")
        compensation.sudo(self.user_gm).action_approve()
        self.assertEqual(compensation.state, "approved")
        compensation.sudo(self.user_finance).action_execute()
        self.assertEqual(compensation.state, "done")
        bill = compensation.sudo().invoice_id
        self.assertEqual((bill.type, bill.state, bill.partner_id, bill.amount_total),
                         ("in_invoice", "open", self.customer, 300.0))
        self.assertEqual(request.sudo().compensation_ids, compensation)
        # the money analysis counts it as compensation of the request
        money = self.env["after_sales.money.report"].search(
            [("invoice_id", "=", bill.id)])
        self.assertEqual((money.kind, money.request_id, money.amount),
                         ("compensation", request, 300.0))
        # the request's chatter says so
        self.assertTrue(request.sudo().message_ids.filtered(
            lambda m: "executed" in (m.body or "")))

    def test_on_time_request_refused(self):
        request = self._request(date_received=fields.Datetime.now())
        self.assertFalse(request.can_be_compensated)
        with self.assertRaisesRegex(UserError, "agreed time"):
            request.action_compensate_delay()
        with self.assertRaisesRegex(UserError, "agreed time"):
            self.env["after_sales.return.compensation"].sudo(self.user_as).create({
                "request_id": request.id, "compensation_type": "compensation",
                "method": "payment", "amount": 100.0, "description": "不该补偿"})
        # resolved in time: still refused afterwards
        request.action_start()
        request.write({"fault_found": "x", "method_used": "y"})
        request.action_resolve()
        self.assertTrue(request.resolved_on_time)
        with self.assertRaisesRegex(UserError, "agreed time"):
            request.action_compensate_delay()

    def test_compensation_state_not_writable_and_other_company_blind(self):
        request = self._late_request()
        compensation = self._propose(request)
        with self.assertRaises((AccessError, UserError)):
            compensation.sudo(self.user_as).write({"state": "approved"})
        self.assertEqual(compensation.state, "draft")
        Compensation = self.env["after_sales.return.compensation"]
        self.assertFalse(Compensation.sudo(self.b_as_user).search(
            [("id", "=", compensation.id)]))
        self.assertFalse(Compensation.sudo(self.b_gm).search([("request_id", "=", request.id)]))
        with self.assertRaises(AccessError):
            compensation.sudo(self.b_as_user).read(["amount"])
