# -*- coding: utf-8 -*-
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AfterSalesCase

LONG_AGO = fields.Datetime.to_string(datetime.utcnow() - timedelta(days=30))


class TestCompanyCommon(AfterSalesCase):
    """Two companies: the main one (A) with the shared test users, and B with one user of its
    own per role (`cls.b_<role>`)."""

    @classmethod
    def setUpClass(cls):
        super(TestCompanyCommon, cls).setUpClass()
        cls.company_b = cls._create_second_company()
        cls.part = cls.env["product.product"].create({
            "name": "温控器 TS-9", "type": "product", "default_code": "TS-9",
            "standard_price": 80.0, "taxes_id": [(6, 0, [])]})

    def _request(self, user, **vals):
        values = {"partner_id": self.customer.id, "category": "repair",
                  "product_id": self.product.id, "description": "不加热"}
        values.update(vals)
        return self.env["after_sales.request"].sudo(user).create(values)

    def _visit(self, user, **vals):
        values = {"partner_id": self.customer.id, "purpose": "repair",
                  "date_planned": "2026-11-20 09:00:00", "distance_km": 10.0}
        values.update(vals)
        return self.env["after_sales.visit"].sudo(user).create(values)

    def _parts_order(self, user, **vals):
        values = {"partner_id": self.customer.id, "chargeable": False,
                  "line_ids": [self._line(self.part, 1.0)]}
        values.update(vals)
        return self.env["after_sales.parts.order"].sudo(user).create(values)

    @staticmethod
    def _line(product, quantity):
        return (0, 0, {"product_id": product.id, "quantity": quantity,
                       "product_uom_id": product.uom_id.id})

    def assertManagerOf(self, user, company):
        """`user` is one after-sales manager working for `company`."""
        self.assertEqual(len(user), 1)
        self.assertTrue(user.has_group("after_sales_service.group_manager"), user.login)
        self.assertEqual(user.company_id, company, user.login)

    def _activities(self, records, xmlid=None):
        domain = [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        if xmlid:
            domain.append(("activity_type_id", "=", self.env.ref(xmlid).id))
        return self.env["mail.activity"].search(domain)


class TestCompanyWalls(TestCompanyCommon):
    """A user of company B neither counts, reads, writes nor acts on company A's records."""

    @classmethod
    def setUpClass(cls):
        super(TestCompanyWalls, cls).setUpClass()
        cls.request_a = cls._request_a()
        cls.visit_a = cls.env["after_sales.visit"].sudo(cls.user_as).create({
            "request_id": cls.request_a.id, "partner_id": cls.customer.id, "purpose": "repair",
            "date_planned": "2026-11-20 09:00:00",
            "technician_ids": [(6, 0, cls.user_technician.ids)],
            "tool_ids": [(0, 0, {"name": "万用表"})],
            "part_ids": [(0, 0, {"product_id": cls.part.id, "qty_taken": 1.0})]})
        cls.visit_a.action_submit()
        cls.callback_a = cls.env["after_sales.callback"].create({
            "type_id": cls.env.ref("after_sales_service.callback_type_satisfaction").id,
            "partner_id": cls.customer.id, "visit_id": cls.visit_a.id,
            "request_id": cls.request_a.id, "user_id": cls.user_as.id,
            "technician_ids": [(6, 0, cls.user_technician.ids)],
            "date_due": "2026-11-25 09:00:00"})
        cls.card_a = cls.env["after_sales.warranty.card"].create({
            "partner_id": cls.customer.id, "product_id": cls.product.id,
            "date_delivered": "2026-01-10", "after_sales_warranty_months": 12})
        receipt = cls.env["ir.attachment"].create({"name": "发票.jpg", "datas": b"cmVjZWlwdA=="})
        cls.claim_a = cls.env["after_sales.expense.claim"].sudo(cls.user_technician).create({
            "visit_ids": [(6, 0, cls.visit_a.ids)],
            "line_ids": [(0, 0, {"name": "出租车", "amount": 35.0,
                                 "attachment_ids": [(6, 0, receipt.ids)]})]})
        cls.claim_a.action_submit()
        cls.team_a = cls.env["after_sales.team"].create({
            "name": "华东服务组", "leader_id": cls.user_manager.id})
        cls.order_a = cls._parts_order_a()
        cls.order_a.action_submit()
        cls.complaint_a = cls.env["after_sales.complaint"].sudo(cls.user_as).create({
            "partner_id": cls.customer.id, "content": "漏水", "request_id": cls.request_a.id})
        cls.env["after_sales.complaint.action"].sudo(cls.user_quality).create({
            "complaint_id": cls.complaint_a.id, "description": "检查密封圈",
            "user_id": cls.user_quality.id, "date_deadline": "2030-01-31"})
        cls.standard_a = cls.env["after_sales.fee.standard"].for_company(cls.company)
        # company B's own visit, which its users do see
        cls.visit_b = cls.env["after_sales.visit"].sudo(cls.b_as_user).create({
            "partner_id": cls.customer.id, "purpose": "repair",
            "date_planned": "2026-11-20 09:00:00"})

    @classmethod
    def _request_a(cls):
        return cls.env["after_sales.request"].sudo(cls.user_as).create({
            "partner_id": cls.customer.id, "category": "repair", "product_id": cls.product.id,
            "description": "不加热"})

    @classmethod
    def _parts_order_a(cls):
        return cls.env["after_sales.parts.order"].sudo(cls.user_as).create({
            "partner_id": cls.customer.id, "chargeable": True,
            "line_ids": [cls._line(cls.part, 1.0)]})

    def _b_users(self):
        return (self.b_as_user | self.b_manager | self.b_technician | self.b_quality | self.b_gm
                | self.b_station | self.b_stock | self.b_finance)

    def assertWalled(self, records, users=None, values=None):
        """Each user of company B counts none of `records`, and can read and write none."""
        for user in users or self._b_users():
            Model = self.env[records._name].sudo(user)
            if Model.check_access_rights("read", raise_exception=False):
                self.assertEqual(Model.search_count([("id", "in", records.ids)]), 0,
                                 "%s counts %s" % (user.login, records))
                self.assertFalse(Model.search([("id", "in", records.ids)]))
            for record in records:
                with self.assertRaises(AccessError, msg="%s reads %s" % (user.login, record)):
                    record.sudo(user).read(["display_name"])
                with self.assertRaises(AccessError, msg="%s writes %s" % (user.login, record)):
                    record.sudo(user).write(values or {})

    def test_every_company_model_has_a_company_rule(self):
        """Every model of the addon with a company (analysis views included) has a global
        company rule with Odoo's multi-company domain; lines follow their header's company."""
        Rule = self.env["ir.rule"].sudo()
        headers = {
            "after_sales.visit.tool": "visit_id", "after_sales.visit.part": "visit_id",
            "after_sales.callback.answer": "callback_id",
            "after_sales.expense.claim.line": "claim_id",
            "after_sales.contract.line": "contract_id",
            "after_sales.return.approval": "return_id",
            "after_sales.fee.standard.labour": "standard_id",
            "after_sales.fee.standard.postage": "standard_id",
        }
        checked = []
        for name in sorted(self.env.registry.models):
            model = self.env[name]
            if not name.startswith("after_sales.") or model._abstract or model._transient:
                continue
            if "company_id" in model._fields:
                path = "company_id"
            elif name in headers:
                path = headers[name] + ".company_id"
            else:
                continue
            rules = Rule.search([("model_id.model", "=", name), ("global", "=", True)])
            self.assertTrue(any("('%s', 'child_of', [user.company_id.id])" % path
                                in " ".join(rule.domain_force.split()) for rule in rules),
                            "%s has no company rule on %s" % (name, path))
            checked.append(name)
        for name in ("after_sales.visit", "after_sales.callback", "after_sales.warranty.card",
                     "after_sales.expense.claim", "after_sales.request.report",
                     "after_sales.money.report", "after_sales.satisfaction.report",
                     "after_sales.visit.technician.report", "after_sales.complaint.report",
                     "after_sales.complaint.action.report", "after_sales.sla.rule",
                     "after_sales.fee.standard", "after_sales.team"):
            self.assertIn(name, checked)
        for xmlid in ("visit_rule_company", "callback_rule_company",
                      "warranty_card_rule_company", "expense_claim_rule_company",
                      "visit_part_rule_company", "money_report_rule_company"):
            self.assertEqual(self.env.ref("after_sales_service." + xmlid)._name, "ir.rule")

    def test_visits(self):
        self.assertEqual(self.visit_a.state, "to_approve")
        self.assertWalled(self.visit_a, values={"state": "approved"})
        self.assertWalled(self.visit_a.part_ids, values={"qty_used": 1.0})
        self.assertWalled(self.visit_a.tool_ids, values={"checked": True})
        with self.assertRaises(AccessError):
            self.visit_a.sudo(self.b_gm).action_approve()
        with self.assertRaises(AccessError):
            self.visit_a.sudo(self.b_gm).action_reject(reason="不同意")
        with self.assertRaises(AccessError):
            self.visit_a.sudo(self.b_as_user).action_cancel(reason="取消")
        self.assertEqual(self.visit_a.state, "to_approve")
        self.assertFalse(self.visit_a.approved_by_id)
        # B's users see B's visits, A's general manager still approves A's
        Visit = self.env["after_sales.visit"]
        self.assertEqual(Visit.sudo(self.b_as_user).search([]), self.visit_b)
        self.assertEqual(Visit.sudo(self.b_gm).search_count([("state", "=", "to_approve")]), 0)
        self.visit_a.sudo(self.user_gm).action_approve()
        self.assertEqual(self.visit_a.state, "approved")

    def test_callbacks(self):
        self.assertWalled(self.callback_a, values={"note": "x"})
        self.assertWalled(self.callback_a.answer_ids, values={"value_yesno": "yes"})
        for answer in self.callback_a.answer_ids:
            answer.write({"value_yesno": "yes", "value_rating": "5", "value_text": "好"})
        with self.assertRaises(AccessError):
            self.callback_a.sudo(self.b_as_user).action_done()
        with self.assertRaises(AccessError):
            self.callback_a.sudo(self.b_manager).action_cancel()
        self.assertEqual(self.callback_a.state, "todo")
        self.callback_a.sudo(self.user_as).action_done()
        self.assertEqual(self.callback_a.state, "done")

    def test_warranty_cards(self):
        self.assertWalled(self.card_a, values={"note": "x"})
        Card = self.env["after_sales.warranty.card"]
        self.assertFalse(Card.sudo(self.b_as_user).search([("partner_id", "=", self.customer.id)]))
        self.assertEqual(Card.sudo(self.user_as).search([("partner_id", "=", self.customer.id)]),
                         self.card_a)

    def test_expense_claims(self):
        self.assertWalled(self.claim_a, values={"state": "approved"})
        self.assertWalled(self.claim_a.line_ids, values={"amount": 1.0})
        with self.assertRaises(AccessError):
            self.claim_a.sudo(self.b_manager).action_approve_manager()
        with self.assertRaises(AccessError):
            self.claim_a.sudo(self.b_manager).action_reject(reason="不同意")
        self.assertEqual(self.claim_a.state, "submitted")

    def test_parts_order_lines_and_settings(self):
        self.assertWalled(self.order_a.line_ids, values={"quantity": 5.0})
        with self.assertRaises(AccessError):
            self.order_a.sudo(self.b_manager).action_approve()
        self.assertEqual(self.order_a.state, "to_approve")
        rules_a = self.env["after_sales.sla.rule"].search([("company_id", "=", self.company.id)])
        self.assertTrue(rules_a)
        self.assertWalled(rules_a, values={"response_limit": 1.0})
        self.assertWalled(self.team_a, values={"name": "x"})
        self.standard_a.write({
            "labour_ids": [(5, 0, 0), (0, 0, {"category": "repair", "amount": 150.0})],
            "postage_ids": [(5, 0, 0), (0, 0, {"method": "courier", "amount": 20.0})]})
        self.assertWalled(self.standard_a, values={"travel_flat": 0.0})
        self.assertWalled(self.standard_a.labour_ids, values={"amount": 1.0})
        self.assertWalled(self.standard_a.postage_ids, values={"amount": 1.0})
        # company B works with its own settings
        Standard = self.env["after_sales.fee.standard"]
        self.assertEqual(Standard.sudo(self.b_manager).for_company().company_id, self.company_b)
        self.assertEqual(Standard.sudo(self.b_manager).search([]).company_id, self.company_b)

    def test_contracts_and_cards_of_the_company_only(self):
        """A contract or an installed product of A never covers B's documents."""
        contract = self.env["after_sales.contract"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "date_start": "2026-01-01",
            "date_end": "2026-12-31", "visit_frequency": "none",
            "line_ids": [(0, 0, {"product_id": self.product.id})]})
        contract.action_confirm()
        Contract = self.env["after_sales.contract"]
        self.assertEqual(Contract.sudo(self.user_as)._find_covering(
            self.customer, self.product, None, "2026-06-01"), contract)
        self.assertFalse(Contract.sudo(self.b_as_user)._find_covering(
            self.customer, self.product, None, "2026-06-01"))
        self.assertFalse(Contract._find_covering(self.customer, self.product, None,
                                                 "2026-06-01", self.company_b))
        # a requirement form of B: A's installed product proves no delivery to B
        values = {"partner_id": self.customer.id, "product_id": self.product.id,
                  "purpose": "repair", "date_desired": "2026-06-01", "description": "不加热"}
        demand = self.env["after_sales.demand"].sudo(self.b_as_user).create(values)
        with self.assertRaisesRegex(UserError, "was not delivered"):
            demand.action_submit()
        demand_a = self.env["after_sales.demand"].sudo(self.user_as).create(values)
        demand_a.action_submit()
        self.assertEqual((demand_a.warranty_card_id, demand_a.contract_id),
                         (self.card_a, contract))

    def test_analysis_views(self):
        # a visit done and its callback answered: rows of the visits and satisfaction views
        # as the process would have recorded them (the superuser's writes pass the guard)
        self.visit_a.sudo().write({"state": "done", "date_arrival": "2026-11-20 09:00:00",
                            "date_departure": "2026-11-20 11:00:00"})
        self.callback_a.sudo().write({"state": "done", "date_done": "2026-11-25 09:00:00"})
        for answer in self.callback_a.answer_ids:
            answer.write({"value_yesno": "yes", "value_rating": "5", "value_text": "好"})
        reports = ("after_sales.request.report", "after_sales.visit.technician.report",
                   "after_sales.complaint.report", "after_sales.complaint.action.report",
                   "after_sales.satisfaction.report", "after_sales.money.report",
                   "after_sales.parts.issue.report", "after_sales.return.report")
        with_rows = []
        for name in reports:
            domain = [("company_id", "=", self.company.id)]
            if self.env[name].search_count(domain):
                with_rows.append(name)
            for user in (self.b_as_user, self.b_manager, self.b_gm, self.b_finance):
                Report = self.env[name].sudo(user)
                if not Report.check_access_rights("read", raise_exception=False):
                    continue
                self.assertEqual(Report.search_count(domain), 0, "%s: %s" % (name, user.login))
                self.assertFalse(Report.read_group(domain, ["company_id"], ["company_id"]),
                                 "%s: %s" % (name, user.login))
        self.assertEqual(with_rows[:5], list(reports[:5]))
        # A's department still reads A's rows
        Report = self.env["after_sales.request.report"].sudo(self.user_as)
        self.assertTrue(Report.search_count([("request_id", "=", self.request_a.id)]))
        # the statistics of a company are read in it: a manager of A allowed in B switches
        # to B first (else B's rows are out of their reach)
        self.user_manager.company_ids = [(4, self.company_b.id)]
        Statistics = self.env["after_sales.statistics"].sudo(self.user_manager)
        with self.assertRaises(ValidationError):
            Statistics.create({"company_id": self.company_b.id})
        self.user_manager.company_id = self.company_b
        self.assertEqual(Statistics.create({"company_id": self.company_b.id}).company_id,
                         self.company_b)


class TestCompanyActivities(TestCompanyCommon):
    """Every to-do the addon schedules goes to a user of the document's company."""

    @classmethod
    def setUpClass(cls):
        super(TestCompanyActivities, cls).setUpClass()
        # the warranty cost of B's parts sent in warranty is booked to B's own account
        cls.company_b.after_sales_warranty_account_id = cls.env["account.account"].create({
            "code": "B6601", "name": "保修费用", "company_id": cls.company_b.id,
            "user_type_id": cls.env.ref("account.data_account_type_expenses").id})

    def test_parts_order_approval_goes_to_the_company_manager(self):
        managers = self.env.ref("after_sales_service.group_manager").users
        self.assertNotIn(self.company_b, managers[:1].company_ids)  # the group's first manager
        order = self._parts_order(self.b_as_user)
        self.assertEqual(order.company_id, self.company_b)
        order.action_submit()
        activity = self._activities(order)
        self.assertEqual(len(activity), 1)
        approver = activity.user_id
        self.assertManagerOf(approver, self.company_b)
        # the approving manager approves: the to-do is done, no access error
        order.sudo(approver).action_approve()
        self.assertEqual((order.state, order.approved_by_id), ("approved", approver))
        self.assertFalse(self._activities(order))
        # and rejects another one
        other = self._parts_order(self.b_as_user)
        other.action_submit()
        self.assertEqual(self._activities(other).user_id, approver)
        other.sudo(approver).action_reject(reason="库存不足")
        self.assertEqual(other.state, "rejected")
        self.assertFalse(self._activities(other))
        self.assertIn("库存不足", other.message_ids[0].body)
        # the request's team in B is led by a manager of A: B's user submits, B's manager
        # gets the to-do
        team_b = self.env["after_sales.team"].create({
            "name": "华南服务组", "company_id": self.company_b.id,
            "leader_id": self.user_manager.id})
        request = self._request(self.b_as_user, team_id=team_b.id, category="parts",
                                date_delivered=fields.Date.today())
        self.assertTrue(request.in_warranty)
        led = self._parts_order(self.b_as_user, request_id=request.id)
        led.action_submit()
        self.assertEqual(self._activities(led).user_id, approver)
        led.sudo(approver).action_approve()
        self.assertEqual(led.state, "approved")
        # a leader of B's own gets it
        team_b.leader_id = self.b_manager
        led_b = self._parts_order(self.b_as_user, request_id=request.id)
        led_b.action_submit()
        self.assertEqual(self._activities(led_b).user_id, self.b_manager)

    def test_escalation_goes_to_a_manager_of_the_company(self):
        Request = self.env["after_sales.request"]
        # B's team is led by a manager of A: the escalation goes to B's manager instead
        team_b = self.env["after_sales.team"].create({
            "name": "华南服务组", "company_id": self.company_b.id,
            "leader_id": self.user_manager.id})
        late = self._request(self.b_as_user, date_received=LONG_AGO, team_id=team_b.id)
        late_no_team = self._request(self.b_as_user, date_received=LONG_AGO)
        self.assertEqual(late.company_id, self.company_b)
        self.assertTrue(late.resolve_deadline)
        # a third company without any after-sales manager: a note, no to-do
        company_c = self.env["res.company"].create({
            "name": "西北售后服务有限公司", "currency_id": self.company.currency_id.id,
            "resource_calendar_id": self.calendar.id})
        late_c = self.env["after_sales.request"].create({
            "partner_id": self.customer.id, "description": "不加热", "date_received": LONG_AGO,
            "company_id": company_c.id})
        Request._cron_update_time_limits()
        escalation = "after_sales_service.mail_activity_type_escalation"
        self.assertTrue(all((late | late_no_team | late_c).with_env(self.env).mapped("is_late")))
        self.assertManagerOf(self._activities(late, escalation).user_id, self.company_b)
        self.assertManagerOf(self._activities(late_no_team, escalation).user_id,
                             self.company_b)
        self.assertFalse(self._activities(late_c, escalation))
        self.assertIn(company_c.name, late_c.message_ids[0].body)
        self.assertTrue(late_c.escalated)
        # whoever schedules a to-do: never for a user of another company, a note instead
        late = late.with_env(self.env)
        self.assertFalse(late._schedule_activity("mail.mail_activity_data_todo", self.user_as,
                                                 "回电话"))
        self.assertIn(self.user_as.name, late.message_ids[0].body)
        self.assertIn(self.company_b.name, late.message_ids[0].body)
        self.assertEqual(len(late._schedule_activity("mail.mail_activity_data_todo",
                                                     self.b_as_user, "回电话")), 1)

    def test_callbacks_assigned_in_the_company(self):
        Callback = self.env["after_sales.callback"]
        # the request's responsible works for A: the callback of B's visit goes to B
        request = self._request(self.b_as_user, user_id=self.user_as.id)
        visit = self._visit(self.b_as_user, request_id=request.id)
        callback = Callback.sudo()._create_for_visits(visit)
        self.assertEqual(callback.company_id, self.company_b)
        self.assertIn(self.company_b, callback.user_id.company_ids)
        self.assertTrue(callback.user_id.has_group("after_sales_service.group_user"))
        self.assertEqual(self._activities(callback).user_id, callback.user_id)
        # the yearly visit of a key customer of B, generated by the job
        key_customer = self.env["res.partner"].create({
            "name": "深圳华强电器", "company_id": self.company_b.id,
            "after_sales_key_customer": True})
        Callback._generate_key_customer_callbacks()
        key_callback = Callback.search([("partner_id", "=", key_customer.id)])
        self.assertEqual(key_callback.company_id, self.company_b)
        self.assertIn(self.company_b, key_callback.user_id.company_ids)
        self.assertEqual(self._activities(key_callback).user_id, key_callback.user_id)
        # given explicitly to a user of A: reassigned in B
        explicit = Callback.create({
            "type_id": self.env.ref("after_sales_service.callback_type_usage").id,
            "partner_id": self.customer.id, "company_id": self.company_b.id,
            "user_id": self.user_as.id, "date_due": "2026-11-25 09:00:00"})
        self.assertIn(self.company_b, explicit.user_id.company_ids)
        self.assertNotIn(self.user_as, self._activities(explicit).mapped("user_id"))

    def test_contract_expiry_todo_in_the_company(self):
        contract = self.env["after_sales.contract"].sudo(self.b_as_user).create({
            "partner_id": self.customer.id, "user_id": self.user_as.id,
            "date_start": "2027-01-01", "date_end": "2027-12-31", "visit_frequency": "none",
            "line_ids": [(0, 0, {"product_id": self.product.id})]})
        contract.action_confirm()
        self.assertEqual(contract.company_id, self.company_b)
        self.env["after_sales.contract"]._cron_daily(today="2027-12-05")
        self.assertTrue(contract.is_expiring)
        todo = self._activities(contract, "mail.mail_activity_data_todo")
        self.assertManagerOf(todo.user_id, self.company_b)
        self.assertIn(contract.name, todo.summary)

    def test_complaint_action_owner_of_the_company(self):
        complaint = self.env["after_sales.complaint"].sudo(self.b_as_user).create({
            "partner_id": self.customer.id, "content": "漏水"})
        self.assertEqual(complaint.company_id, self.company_b)
        Action = self.env["after_sales.complaint.action"].sudo(self.b_quality)
        values = {"complaint_id": complaint.id, "description": "检查密封圈",
                  "date_deadline": "2030-01-31"}
        with self.assertRaisesRegex(ValidationError, self.company_b.name):
            Action.create(dict(values, user_id=self.user_quality.id))
        action = Action.create(dict(values, user_id=self.b_quality.id))
        self.assertEqual(action.activity_id.user_id, self.b_quality)
        with self.assertRaisesRegex(ValidationError, self.company_b.name):
            action.write({"user_id": self.user_quality.id})
        self.assertEqual(self._activities(complaint).user_id, self.b_quality)


class TestNewCompany(TestCompanyCommon):
    """A new company gets the addon's defaults; parts without cost are not charged 0.00; a
    credit note settles the original invoice."""

    def test_new_company_gets_time_limits_and_fee_standard(self):
        Rule = self.env["after_sales.sla.rule"]
        main_rules = Rule.search([("company_id", "=", self.company.id)])
        rules_b = Rule.search([("company_id", "=", self.company_b.id)])
        self.assertEqual(len(rules_b), len(main_rules))
        self.assertEqual(
            sorted(rules_b.mapped(lambda r: (r.priority, r.category or "", r.response_limit,
                                             r.response_unit, r.resolution_limit,
                                             r.resolution_unit))),
            sorted(main_rules.mapped(lambda r: (r.priority, r.category or "", r.response_limit,
                                                r.response_unit, r.resolution_limit,
                                                r.resolution_unit))))
        standard_b = self.env["after_sales.fee.standard"].search(
            [("company_id", "=", self.company_b.id)])
        self.assertEqual(len(standard_b), 1)
        main_standard = self.env.ref("after_sales_service.fee_standard_main")
        self.assertEqual((standard_b.travel_flat, standard_b.travel_per_km,
                          standard_b.parts_markup),
                         (main_standard.travel_flat, main_standard.travel_per_km,
                          main_standard.parts_markup))
        # a request of the new company gets its deadlines from the company's own rules
        request = self._request(self.b_as_user, priority="1",
                                date_received="2026-11-16 09:00:00")  # a Monday
        self.assertEqual(request.company_id, self.company_b)
        self.assertEqual(request.sla_rule_id.company_id, self.company_b)
        self.assertEqual(request.response_deadline, "2026-11-17 09:00:00")  # 24 clock hours
        self.assertEqual(request.resolve_deadline, "2026-11-17 09:00:00")

    def test_part_without_cost_is_not_charged(self):
        free = self.env["product.product"].create({
            "name": "密封圈 SG-1", "type": "product", "default_code": "SG-1"})
        self.assertEqual(free.standard_price, 0.0)
        order = self._parts_order(self.user_as, chargeable=True, line_ids=[
            self._line(self.part, 1.0), self._line(free, 2.0)])
        order.action_submit()
        with self.assertRaisesRegex(UserError, "SG-1.*%s" % self.company.name):
            order.sudo(self.user_manager).action_approve()
        self.assertEqual(order.state, "to_approve")
        self.assertFalse(order.sudo().invoice_ids)
        # the cost is per company: the part costs 80 in A, nothing in B
        order_b = self._parts_order(self.b_as_user, chargeable=True)
        order_b.action_submit()
        with self.assertRaisesRegex(UserError, "TS-9.*%s" % self.company_b.name):
            order_b.sudo(self.b_manager).action_approve()
        # once the cost is set, the order is approved and invoiced at cost + markup
        free.standard_price = 50.0
        order.sudo(self.user_manager).action_approve()
        lines = order.sudo().invoice_ids.invoice_line_ids
        self.assertEqual(lines.filtered(lambda l: l.product_id == free).price_unit, 60.0)
        self.assertEqual(lines.filtered(lambda l: l.product_id == self.part).price_unit, 96.0)

    def test_visit_part_without_cost_is_not_charged(self):
        free = self.env["product.product"].create({
            "name": "密封圈 SG-2", "type": "consu", "default_code": "SG-2"})
        visit = self._visit(self.user_as, in_warranty=False,
                            part_ids=[(0, 0, {"product_id": free.id, "qty_taken": 1.0,
                                              "qty_used": 1.0})])
        with self.assertRaisesRegex(UserError, "SG-2.*%s" % self.company.name):
            visit._charge_customer()
        self.assertFalse(visit.invoice_ids)

    def _open_invoice(self, amount):
        income = self.product.product_tmpl_id.get_product_accounts()["income"]
        invoice = self.env["account.invoice"].create({
            "partner_id": self.customer.id, "type": "out_invoice",
            "account_id": self.customer.property_account_receivable_id.id,
            "invoice_line_ids": [(0, 0, {
                "product_id": self.product.id, "name": "EH-60", "quantity": 1.0,
                "price_unit": amount, "account_id": income.id,
                "invoice_line_tax_ids": [(6, 0, [])], "uom_id": self.product.uom_id.id})],
        })
        invoice.action_invoice_open()
        return invoice

    def _credit(self, case, amount):
        compensation = self.env["after_sales.return.compensation"].sudo(self.user_as).create({
            "return_id": case.id, "amount": amount, "description": "退货退款"})
        self.assertEqual(compensation.method, "credit_note")
        compensation.action_submit()
        compensation.sudo(self.user_quality).action_review()
        compensation.sudo(self.user_gm).action_approve()
        compensation.sudo(self.user_finance).action_execute()
        return compensation.invoice_id.sudo(self.user_finance)

    def test_credit_note_settles_the_original_invoice(self):
        invoice = self._open_invoice(26000.0)
        case = self.env["after_sales.return"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "has_goods": False, "product_qty": 0.0,
            "cause": "installation", "invoice_id": invoice.id, "reason": "安装损坏，退部分货款"})
        case.action_confirm()
        refund = self._credit(case, 6000.0)
        self.assertEqual(refund.refund_invoice_id, invoice)
        self.assertEqual(refund.state, "paid")  # all of it went to the invoice
        self.assertEqual(invoice.state, "open")
        self.assertAlmostEqual(invoice.residual, 20000.0)
        rest = self._credit(case, 20000.0)
        self.assertEqual(rest.state, "paid")
        self.assertEqual(invoice.state, "paid")
        self.assertAlmostEqual(invoice.residual, 0.0)
        self.assertEqual(case.amount_executed, 26000.0)
