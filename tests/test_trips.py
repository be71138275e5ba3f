# -*- coding: utf-8 -*-
"""Trips and signatures (001-4 第三节-第五节): the trip's daily reports, extension and return,
the service record due back the next working day, the overtime subsidy's signatures before
its bill, and the expense claim's handlers, purchasing confirmation and weekly days."""
import base64
from datetime import datetime, timedelta
from xmlrpc import client as xmlrpclib

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import HttpCase, get_db_name
from odoo.tools import mute_logger

from .common import AfterSalesCase

SIGNATURE = base64.b64encode(base64.b64decode(
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="))


class TestTrips(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestTrips, cls).setUpClass()
        cls.Visit = cls.env["after_sales.visit"]
        cls.company.after_sales_overtime_subsidy = 60.0
        cls.technician2 = cls._create_user("as_technician2",
                                           ["after_sales_service.group_technician"])
        cls.request = cls.env["after_sales.request"].create({
            "partner_id": cls.customer.id, "category": "repair", "product_id": cls.product.id,
            "date_delivered": fields.Date.context_today(cls.env["res.users"]),
            "description": "不加热"})
        cls.request.action_start()
        cls.company_b = cls._create_second_company()

    def _visit(self, technicians=None, **vals):
        values = {"request_id": self.request.id, "partner_id": self.customer.id,
                  "purpose": "repair", "date_planned": "2026-11-20 09:00:00",
                  "distance_km": 80.0, "appointment_confirmed": True,
                  "technician_ids": [(6, 0, (technicians or self.user_technician).ids)]}
        values.update(vals)
        visit = self.Visit.sudo(self.user_as).create(values)
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()
        return visit.with_env(self.env)

    def _complete(self, visit, arrival, departure):
        visit.sudo(self.user_technician).action_start()
        visit.sudo(self.user_technician).write({
            "date_arrival": arrival, "date_departure": departure, "arrival_confirmed": True,
            "fault_found": "温控器损坏", "handling": "更换温控器", "fee_standard_shown": True,
            "customer_signer": "王工", "customer_signature": SIGNATURE})
        visit.sudo(self.user_technician).action_done()
        return visit

    def _future(self, days=1):
        return fields.Datetime.to_string(datetime.now() + timedelta(days=days))

    # ------------------------------------------------------------------ the trip

    def test_trip_is_derived_from_distance_and_duration(self):
        far = self._visit(distance_km=80.0)
        near = self._visit(distance_km=10.0)
        long_stay = self._visit(distance_km=10.0, duration=16.0)
        self.assertEqual((far.is_trip, near.is_trip, long_stay.is_trip), (True, False, True))
        self.company.after_sales_trip_distance = 100.0
        self.assertFalse(far.is_trip)
        self.assertEqual(self.Visit.search([("id", "in", (far | near | long_stay).ids),
                                            ("is_trip", "=", True)]), long_stay)

    def test_daily_reports_from_the_phone(self):
        visit = self._visit()
        today = fields.Date.context_today(visit)
        # what the web client sends from the Trip tab (every field, False for empty)
        visit.sudo(self.user_technician).write({"daily_report_ids": [(0, 0, {
            "date": today, "user_id": self.user_technician.id, "place": "南京江宁工地",
            "work_done": "安装主机两台", "next_step": False})]})
        report = visit.daily_report_ids
        self.assertEqual((report.user_id, report.place, report.next_step),
                         (self.user_technician, "南京江宁工地", False))
        Report = self.env["after_sales.visit.daily.report"]
        # one a day
        with self.assertRaises(Exception), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Report.sudo(self.user_technician).create({
                    "visit_id": visit.id, "date": today, "place": "南京",
                    "work_done": "调试"})
        # not for another technician, not on another's visit, not in the future, not empty
        with self.assertRaises(AccessError):
            Report.sudo(self.user_technician).create({
                "visit_id": visit.id, "user_id": self.technician2.id, "date": "2026-11-19",
                "place": "南京", "work_done": "调试"})
        with self.assertRaises(AccessError):
            Report.sudo(self.technician2).create({
                "visit_id": visit.id, "date": "2026-11-19", "place": "南京",
                "work_done": "调试"})
        with self.assertRaisesRegex(ValidationError, "future"), self.env.cr.savepoint():
            Report.sudo(self.user_technician).create({
                "visit_id": visit.id, "date": "2099-01-01", "place": "南京",
                "work_done": "调试"})
        with self.assertRaisesRegex(ValidationError, "place and the work done"), \
                self.env.cr.savepoint():
            Report.sudo(self.user_technician).create({
                "visit_id": visit.id, "date": "2026-11-18", "place": "  ",
                "work_done": "调试"})
        # the department records a report phoned in
        Report.sudo(self.user_as).create({
            "visit_id": visit.id, "user_id": self.user_technician.id, "date": "2026-11-19",
            "place": "南京", "work_done": "电话汇报: 到达"})
        self.assertEqual(len(visit.daily_report_ids), 2)
        # a draft visit takes none (no trip yet), a second company sees none
        draft = self.Visit.sudo(self.user_as).create({
            "partner_id": self.customer.id, "date_planned": "2026-11-20 09:00:00",
            "technician_ids": [(6, 0, self.user_technician.ids)]})
        with self.assertRaises(AccessError):
            Report.sudo(self.user_technician).create({
                "visit_id": draft.id, "date": "2026-11-18", "place": "南京",
                "work_done": "调试"})
        self.assertFalse(Report.sudo(self.b_as_user).search([("visit_id", "=", visit.id)]))

    def test_extension_asked_before_the_planned_end(self):
        visit = self._visit(date_planned=self._future(1), duration=8.0)
        end = fields.Datetime.from_string(visit.date_planned_end)
        Extension = self.env["after_sales.visit.extension"]
        new_end = fields.Datetime.to_string(end + timedelta(days=1))
        with self.assertRaisesRegex(ValidationError, "after the current one"):
            Extension.sudo(self.user_technician).create({
                "visit_id": visit.id, "date_end": visit.date_planned_end, "reason": "延期"})
        with self.assertRaises(AccessError):  # not his visit
            Extension.sudo(self.technician2).create({
                "visit_id": visit.id, "date_end": new_end, "reason": "设备未到"})
        with self.assertRaises(AccessError):  # the approval is not his to give
            Extension.sudo(self.user_technician).create({
                "visit_id": visit.id, "date_end": new_end, "reason": "设备未到",
                "state": "approved"})
        extension = Extension.sudo(self.user_technician).create({
            "visit_id": visit.id, "date_end": new_end, "reason": "设备未到, 需多留一天"})
        self.assertEqual((extension.state, extension.user_id, extension.date_end_before),
                         ("to_approve", self.user_technician, visit.date_planned_end))
        with self.assertRaisesRegex(UserError, "already has an extension"):
            Extension.sudo(self.user_technician).create({
                "visit_id": visit.id, "date_end": new_end, "reason": "再延"})
        for user in (self.user_technician, self.user_as, self.user_purchasing):
            with self.assertRaises(AccessError):
                extension.sudo(user).action_approve()
        with self.assertRaises(AccessError):
            extension.sudo(self.user_manager).write({"state": "approved"})
        self.assertEqual(extension.state, "to_approve")
        extension.sudo(self.user_manager).action_approve()
        self.assertEqual((extension.state, extension.approved_by_id),
                         ("approved", self.user_manager))
        self.assertEqual(visit.date_planned_end, new_end)
        self.assertEqual(visit.duration, 32.0)
        self.assertFalse(Extension.sudo(self.b_manager).search([("id", "=", extension.id)]))

    def test_extension_after_the_planned_end_refused(self):
        visit = self._visit(date_planned="2026-11-20 09:00:00", duration=8.0)
        with self.assertRaisesRegex(UserError, "has passed: an extension is asked before"):
            self.env["after_sales.visit.extension"].sudo(self.user_technician).create({
                "visit_id": visit.id, "date_end": self._future(3), "reason": "设备未到"})
        self.assertFalse(visit.extension_ids)

    def test_return_registered_and_record_due_next_working_day(self):
        # Friday 20 November: due back by the end of Monday 23rd (the test week, UTC)
        visit = self._complete(self._visit(), "2026-11-20 09:00:00", "2026-11-20 16:00:00")
        self.assertEqual(visit.record_due, "2026-11-23 17:00:00")
        with self.assertRaises(AccessError):
            visit.sudo(self.user_technician).write({"date_returned": "2026-11-21 10:00:00"})
        with self.assertRaises(AccessError):
            visit.sudo(self.technician2).action_register_return()
        visit.sudo(self.user_technician).action_register_return()
        self.assertTrue(visit.date_returned)
        self.assertEqual(visit.returned_by_id, self.user_technician)
        with self.assertRaisesRegex(UserError, "already registered"):
            visit.sudo(self.user_technician).action_register_return()
        # the flag at a known moment
        Visit = self.Visit
        Visit._cron_record_overdue(now="2026-11-23 16:59:00")
        self.assertFalse(visit.record_overdue)
        Visit._cron_record_overdue(now="2026-11-23 17:01:00")
        self.assertTrue(visit.record_overdue)
        self.assertIn(visit, Visit.sudo(self.user_as).search([("record_overdue", "=", True)]))
        with self.assertRaises(AccessError):
            visit.sudo(self.user_manager).write({"record_overdue": False})
        visit.sudo(self.user_as).action_verify()
        self.assertFalse(visit.record_overdue)
        # a Tuesday's work is due on Wednesday
        tuesday = self._complete(self._visit(), "2026-11-24 09:00:00", "2026-11-24 11:00:00")
        self.assertEqual(tuesday.record_due, "2026-11-25 17:00:00")

    # ------------------------------------------------------------------ subsidy signatures

    def _overtime_visit(self):
        # Saturday 21 November: a day outside the company calendar, two technicians
        visit = self._complete(self._visit(self.user_technician | self.technician2),
                               "2026-11-21 09:00:00", "2026-11-21 12:00:00")
        self.assertEqual((visit.is_overtime, visit.overtime_days), (True, 1))
        visit.sudo(self.user_as).action_verify()
        return visit

    def test_subsidy_billed_after_manager_deputy_and_gm_signed(self):
        visit = self._overtime_visit()
        self.assertEqual((visit.state, visit.subsidy_state, visit.subsidy_step),
                         ("verified", "to_sign", 1))
        self.assertFalse(visit.sudo().subsidy_bill_ids)  # not before the signatures
        for user in (self.user_technician, self.user_as, self.user_finance,
                     self.user_purchasing):
            with self.assertRaises(AccessError):
                visit.sudo(user).action_sign_subsidy()
        # direct writes of the signature fields are refused
        for vals in ({"subsidy_state": "signed"}, {"subsidy_step": 0}):
            with self.assertRaises(AccessError):
                visit.sudo(self.user_gm).write(vals)
        with self.assertRaises(AccessError):
            self.env["after_sales.visit.signature"].sudo(self.user_gm).create({
                "visit_id": visit.id, "step": 1, "name": "x", "user_id": self.user_gm.id})
        visit.sudo(self.user_manager).action_sign_subsidy()
        self.assertEqual(visit.subsidy_step, 2)
        with self.assertRaises(AccessError):  # the deputy's step
            visit.sudo(self.user_manager).action_sign_subsidy()
        visit.sudo(self.user_deputy_gm).action_sign_subsidy()
        with self.assertRaises(AccessError):  # the general manager's step
            visit.sudo(self.user_deputy_gm).action_sign_subsidy()
        self.assertFalse(visit.sudo().subsidy_bill_ids)
        visit.sudo(self.user_gm).action_sign_subsidy()
        self.assertEqual((visit.subsidy_state, visit.subsidy_step), ("signed", 0))
        self.assertEqual(visit.sudo().subsidy_signature_ids.mapped("user_id"),
                         self.user_manager | self.user_deputy_gm | self.user_gm)
        bills = visit.sudo().subsidy_bill_ids.sudo(self.user_finance)
        self.assertEqual(bills.mapped("partner_id"),
                         (self.user_technician | self.technician2).mapped("partner_id"))
        self.assertEqual(bills.mapped("amount_total"), [60.0, 60.0])
        self.assertEqual(set(bills.mapped("type")), {"in_invoice"})
        with self.assertRaisesRegex(UserError, "not waiting for a signature"):
            visit.sudo(self.user_gm).action_sign_subsidy()
        # a second company sees neither the visit nor its signatures
        self.assertFalse(self.Visit.sudo(self.b_gm).search([("id", "=", visit.id)]))
        self.assertFalse(self.env["after_sales.visit.signature"].sudo(self.b_gm).search(
            [("visit_id", "=", visit.id)]))

    def test_three_different_people_sign(self):
        visit = self._overtime_visit()
        visit.sudo(self.user_gm).action_sign_subsidy()  # a GM is a manager too
        with self.assertRaisesRegex(UserError, "already signed"):
            visit.sudo(self.user_gm).action_sign_subsidy()
        self.assertEqual(visit.subsidy_step, 2)
        # configured: the deputy's step may be signed by an earlier signer
        self.env.ref("after_sales_service.signature_step_deputy_gm").allow_same_signer = True
        visit.sudo(self.user_gm).action_sign_subsidy()
        self.assertEqual(visit.subsidy_step, 3)

    def test_technician_never_signs_his_own_subsidy(self):
        manager_technician = self._create_user("as_manager_technician",
                                               ["after_sales_service.group_manager"])
        visit = self._complete(self._visit(self.user_technician | manager_technician),
                               "2026-11-21 09:00:00", "2026-11-21 12:00:00")
        visit.sudo(self.user_as).action_verify()
        with self.assertRaisesRegex(AccessError, "his own overtime subsidy"):
            visit.sudo(manager_technician).action_sign_subsidy()

    def test_signature_steps_configurable_and_refusal(self):
        # two signers only: the manager then the general manager
        self.env.ref("after_sales_service.signature_step_deputy_gm").unlink()
        visit = self._overtime_visit()
        visit.sudo(self.user_manager).action_sign_subsidy()
        visit.sudo(self.user_gm).action_sign_subsidy()
        self.assertEqual(visit.subsidy_state, "signed")
        self.assertEqual(sum(visit.sudo().subsidy_bill_ids.mapped("amount_total")), 120.0)
        # refused with a reason: nothing billed
        refused = self._overtime_visit()
        with self.assertRaisesRegex(UserError, "reason"):
            refused.sudo(self.user_manager).action_refuse_subsidy(reason=" ")
        with self.assertRaises(AccessError):
            refused.sudo(self.user_technician).action_refuse_subsidy(reason="考勤不符")
        refused.sudo(self.user_manager).action_refuse_subsidy(reason="考勤不符")
        self.assertEqual((refused.subsidy_state, refused.subsidy_refuse_reason),
                         ("refused", "考勤不符"))
        self.assertFalse(refused.sudo().subsidy_bill_ids)
        # only groups with an identifier can sign
        with self.assertRaises(ValidationError):
            self.env["after_sales.signature.step"].create({
                "name": "x", "group_id": self.env["res.groups"].create({"name": "x"}).id})

    def test_second_company_uses_the_default_signers(self):
        steps = self.env["after_sales.signature.step"]._steps_for(self.company_b)
        self.assertEqual([s.group_xmlid for s in steps], [
            "after_sales_service.group_manager",
            "after_sales_service.group_deputy_general_manager",
            "after_sales_service.group_general_manager"])
        self.assertFalse(self.env["after_sales.signature.step"].sudo(self.b_manager).search(
            [("company_id", "=", self.company.id)]))


class TestClaimSignatures(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestClaimSignatures, cls).setUpClass()
        cls.Claim = cls.env["after_sales.expense.claim"]
        cls.technician2 = cls._create_user("as_technician2",
                                           ["after_sales_service.group_technician"])
        cls.receipt = cls.env["ir.attachment"].create({
            "name": "receipt.txt", "datas": base64.b64encode(b"85"),
            "datas_fname": "receipt.txt"})
        cls.company_b = cls._create_second_company()

    def _claim(self, types=("travel", "material"), handlers=None):
        day = fields.Date.context_today(self.Claim.sudo(self.user_technician))
        return self.Claim.sudo(self.user_technician).create({
            "handler_ids": [(6, 0, handlers.ids if handlers else [])],
            "line_ids": [(0, 0, {"date": day, "expense_type": kind, "name": kind,
                                 "amount": 10.0 * (index + 1),
                                 "attachment_ids": [(6, 0, self.receipt.ids)]})
                         for index, kind in enumerate(types)]})

    def test_categories_of_the_document(self):
        Line = self.env["after_sales.expense.claim.line"]
        self.assertEqual([key for key, _label in Line._fields["expense_type"].selection],
                         ["travel", "material", "entertainment", "other"])
        claim = self._claim(("entertainment", "other"))
        claim.action_submit()
        self.assertEqual((claim.amount_total, claim.purchase_state), (30.0, "none"))

    def test_material_confirmed_by_purchasing_and_every_handler_signs(self):
        claim = self._claim(handlers=self.technician2)
        claim.action_submit()
        self.assertEqual((claim.state, claim.purchase_state), ("submitted", "to_confirm"))
        self.assertEqual(claim.sudo().signature_ids.mapped("user_id"), self.user_technician)
        with self.assertRaisesRegex(UserError, "signature of: As Technician2"):
            claim.sudo(self.user_manager).action_approve_manager()
        # each handler signs himself, once; nobody else signs for him
        with self.assertRaisesRegex(UserError, "not a handler"):
            claim.sudo(self.user_manager).action_sign()
        with self.assertRaises(AccessError):
            self.env["after_sales.expense.claim.signature"].sudo(self.user_technician).create(
                {"claim_id": claim.id, "user_id": self.technician2.id})
        self.assertEqual(self.Claim.sudo(self.technician2).search([("id", "=", claim.id)]),
                         claim)
        claim.sudo(self.technician2).action_sign()
        with self.assertRaisesRegex(UserError, "not a handler"):
            claim.sudo(self.technician2).action_sign()
        self.assertEqual(claim.sudo().signature_ids.mapped("user_id"),
                         self.user_technician | self.technician2)
        with self.assertRaisesRegex(UserError, "purchasing manager confirms it first"):
            claim.sudo(self.user_manager).action_approve_manager()
        for user in (self.user_technician, self.user_manager, self.user_finance):
            with self.assertRaises(AccessError):
                claim.sudo(user).action_confirm_purchasing()
        for vals in ({"purchase_state": "confirmed"}, {"state": "manager_approved"},
                     {"purchase_user_id": self.user_purchasing.id}):
            with self.assertRaises(AccessError):
                claim.sudo(self.user_purchasing).write(vals)
        claim.sudo(self.user_purchasing).action_confirm_purchasing()
        self.assertEqual((claim.purchase_state, claim.purchase_user_id),
                         ("confirmed", self.user_purchasing))
        # then manager, finance, general manager, and the bill
        claim.sudo(self.user_manager).action_approve_manager()
        claim.sudo(self.user_finance).action_approve_finance()
        claim.sudo(self.user_gm).action_approve_general_manager()
        self.assertEqual(claim.state, "approved")
        self.assertEqual(claim.sudo().bill_id.amount_total, 30.0)
        # the second company sees nothing of it
        for user in (self.b_purchasing, self.b_manager, self.b_finance):
            self.assertFalse(self.Claim.sudo(user).search([("id", "=", claim.id)]))

    def test_purchasing_sees_only_material_claims(self):
        travel = self._claim(("travel",))
        material = self._claim(("material",))
        (travel | material).action_submit()
        self.assertEqual(self.Claim.sudo(self.user_purchasing).search(
            [("id", "in", (travel | material).ids)]), material)

    def test_weekly_claim_and_finance_days(self):
        # the technician's day (the claim is his)
        today = fields.Date.from_string(fields.Date.context_today(
            self.Claim.sudo(self.user_technician)))
        claim = self._claim(("travel",))
        claim.action_submit()
        claim_day = fields.Date.from_string(claim.date_claim)
        finance_day = fields.Date.from_string(claim.date_finance)
        # queued to the next Tuesday (today when it is one); finance on the Wednesday after
        self.assertEqual(claim_day.weekday(), 1)
        self.assertTrue(0 <= (claim_day - today).days < 7)
        self.assertEqual(finance_day, claim_day + timedelta(days=1))
        manager_todo = claim.sudo().activity_ids
        self.assertEqual(manager_todo.mapped("date_deadline"), [claim.date_claim])
        claim.sudo(self.user_manager).action_approve_manager()
        self.assertEqual(claim.sudo().activity_ids.mapped("date_deadline"),
                         [claim.date_finance])
        # configured: claims on today's weekday, finance two days later
        self.company.write({"after_sales_expense_claim_weekday": str(today.weekday()),
                            "after_sales_expense_finance_weekday":
                                str((today.weekday() + 2) % 7)})
        other = self._claim(("travel",))
        other.action_submit()
        self.assertEqual(other.date_claim, fields.Date.to_string(today))
        self.assertEqual(other.date_finance, fields.Date.to_string(today + timedelta(days=2)))
        with self.assertRaises(AccessError):
            other.sudo(self.user_technician).write({"date_claim": "2026-01-06"})

    def test_rejected_claim_signs_again(self):
        claim = self._claim(handlers=self.technician2)
        claim.action_submit()
        claim.sudo(self.user_manager).action_reject(reason="收据不清")
        self.assertEqual((claim.state, claim.purchase_state), ("rejected", "none"))
        claim.action_reset()
        self.assertFalse(claim.sudo().signature_ids)
        self.assertEqual((claim.date_claim, claim.purchase_state), (False, "none"))


class TestTripsRpc(HttpCase):
    """The fields the trip's and the claim's actions own, tried through XML-RPC as a client
    would, as each role."""

    ROLES = {
        "trip_technician": ["after_sales_service.group_technician"],
        "trip_manager": ["after_sales_service.group_manager"],
        "trip_deputy": ["after_sales_service.group_deputy_general_manager"],
        "trip_purchasing": ["after_sales_service.group_purchasing"],
    }

    def setUp(self):
        super(TestTripsRpc, self).setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.db = get_db_name()
        self.users = {}
        for login, groups in self.ROLES.items():
            group_ids = [self.env.ref(xmlid).id for xmlid in groups + ["base.group_user"]]
            self.users[login] = self.env["res.users"].create({
                "name": login, "login": login, "password": login, "email": login + "@x.cn",
                "groups_id": [(6, 0, group_ids)]})
        customer = self.env["res.partner"].create({"name": "苏州精工机械", "customer": True})
        self.visit = self.env["after_sales.visit"].create({
            "partner_id": customer.id, "date_planned": "2026-11-21 09:00:00",
            "technician_ids": [(6, 0, self.users["trip_technician"].ids)]})
        self.visit.write({"state": "verified", "is_overtime": True, "overtime_days": 1,
                          "subsidy_state": "to_sign", "subsidy_step": 1})
        self.claim = self.env["after_sales.expense.claim"].create({
            "user_id": self.users["trip_technician"].id,
            "line_ids": [(0, 0, {"name": "密封胶", "amount": 15.5,
                                 "expense_type": "material"})]})
        self.claim.write({"state": "submitted", "purchase_state": "to_confirm"})
        self.registry.test_cr.commit()

    def call(self, login, model, method, args):
        return self.xmlrpc_object.execute_kw(self.db, self.users[login].id, login, model,
                                             method, args, {})

    def assertRefused(self, login, model, method, args):
        with self.assertRaises(xmlrpclib.Fault) as refused:
            self.call(login, model, method, args)
        self.assertIn(refused.exception.faultCode, (2, 4), refused.exception.faultString)

    def value_of(self, record, name):
        record.invalidate_cache()
        return record[name]

    def test_subsidy_signatures_over_rpc(self):
        visit = [[self.visit.id]]
        for vals in ({"subsidy_state": "signed"}, {"subsidy_step": 0}):
            self.assertRefused("trip_manager", "after_sales.visit", "write", visit + [vals])
        self.assertRefused("trip_technician", "after_sales.visit.signature", "create", [{
            "visit_id": self.visit.id, "step": 1, "name": "x",
            "user_id": self.users["trip_technician"].id}])
        self.assertRefused("trip_technician", "after_sales.visit", "action_sign_subsidy", visit)
        self.assertTrue(self.call("trip_manager", "after_sales.visit", "action_sign_subsidy",
                                  visit))
        self.assertEqual(self.value_of(self.visit, "subsidy_step"), 2)
        # the deputy's step is not the manager's
        self.assertRefused("trip_manager", "after_sales.visit", "action_sign_subsidy", visit)
        self.assertTrue(self.call("trip_deputy", "after_sales.visit", "action_sign_subsidy",
                                  visit))
        self.assertEqual(self.value_of(self.visit, "subsidy_step"), 3)

    def test_purchasing_confirmation_over_rpc(self):
        claim = [[self.claim.id]]
        for vals in ({"purchase_state": "confirmed"}, {"state": "manager_approved"},
                     {"purchase_user_id": self.users["trip_purchasing"].id}):
            self.assertRefused("trip_purchasing", "after_sales.expense.claim", "write",
                               claim + [vals])
        self.assertRefused("trip_technician", "after_sales.expense.claim",
                           "action_confirm_purchasing", claim)
        self.assertRefused("trip_manager", "after_sales.expense.claim",
                           "action_approve_manager", claim)
        self.assertTrue(self.call("trip_purchasing", "after_sales.expense.claim",
                                  "action_confirm_purchasing", claim))
        self.assertEqual(self.value_of(self.claim, "purchase_state"), "confirmed")
        self.assertEqual(self.value_of(self.claim, "state"), "submitted")
