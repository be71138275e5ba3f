# -*- coding: utf-8 -*-
from datetime import datetime, timedelta

from odoo import fields
from odoo.addons.after_sales_service.models.callback import DeadlinePlanner

from .common import AfterSalesCase

APPROVAL = "after_sales_service.mail_activity_type_approval"
ESCALATION = "after_sales_service.mail_activity_type_escalation"
GROUP_GM = "after_sales_service.group_general_manager"


class TestJobBatches(AfterSalesCase):
    """What the scheduled passes leave when they create their records in batches: the same
    documents, numbers, to-dos, followers and chatter as one by one."""

    @classmethod
    def setUpClass(cls):
        super(TestJobBatches, cls).setUpClass()
        cls.company.write({"after_sales_contract_lead_days": 14})
        cls.Contract = cls.env["after_sales.contract"]
        cls.Visit = cls.env["after_sales.visit"]
        cls.Callback = cls.env["after_sales.callback"]

    def _activities(self, records, xmlid):
        return self.env["mail.activity"].search([
            ("res_model", "=", records._name), ("res_id", "in", records.ids),
            ("activity_type_id", "=", self.env.ref(xmlid).id)])

    def _follows(self, record, user):
        return user.partner_id in record.message_partner_ids

    # ------------------------------------------------------------------ contract planning

    def _contract(self, frequency, first):
        card = self.env["after_sales.warranty.card"].create({
            "partner_id": self.customer.id, "product_id": self.product.id,
            "date_delivered": "2026-01-10", "after_sales_warranty_months": 24})
        contract = self.Contract.sudo(self.user_as).create({
            "partner_id": self.customer.id, "contract_type": "maintenance",
            "date_start": "2027-01-01", "date_end": "2027-12-31",
            "first_visit_date": first, "visit_frequency": frequency,
            "fee_amount": 1000.0, "invoicing_policy": "once",
            "technician_ids": [(6, 0, self.user_technician.ids)],
            "line_ids": [(0, 0, {"warranty_card_id": card.id})]})
        contract.action_confirm()
        return contract.with_env(self.env)

    def test_contract_pass_plans_numbered_submitted_visits(self):
        self.Contract._cron_daily(today="2026-12-20")  # whatever the demo data has due
        monthly = self._contract("monthly", "2027-01-03")
        quarterly = self._contract("quarterly", "2027-01-10")
        later = self._contract("quarterly", "2027-03-01")
        self.Contract._cron_daily(today="2027-01-01")
        visits = self.Visit.search([("contract_id", "in", (monthly | quarterly | later).ids)],
                                   order="contract_visit_date")
        self.assertEqual([(v.contract_id, v.contract_visit_date) for v in visits],
                         [(monthly, "2027-01-03"), (quarterly, "2027-01-10")])
        self.assertEqual(later.next_visit_date, "2027-03-01")
        self.assertEqual(monthly.next_visit_date, "2027-02-03")
        self.assertEqual(quarterly.next_visit_date, "2027-04-10")
        # numbered from the visits' sequence, one number each
        self.assertEqual(len(set(visits.mapped("name"))), 2)
        prefix = self.env["ir.sequence"].search(
            [("code", "=", "after_sales.visit")], limit=1)._get_prefix_suffix()[0]
        for visit in visits:
            self.assertTrue(visit.name.startswith(prefix), visit.name)
            self.assertEqual(visit.state, "to_approve")
            self.assertEqual(visit.technician_ids, self.user_technician)
            self.assertEqual(visit.product_ids, self.product)
            self.assertTrue(visit.in_warranty)
            self.assertEqual(visit.date_planned_end[:10], visit.date_planned[:10])
            # one approval to-do, for a general manager of the company, who follows it
            todo = self._activities(visit, APPROVAL)
            self.assertEqual(len(todo), 1)
            self.assertTrue(todo.user_id.has_group(GROUP_GM))
            self.assertIn(self.company, todo.user_id.company_ids)
            self.assertEqual(todo.res_name, visit.display_name)
            self.assertEqual(visit.activity_date_deadline, todo.date_deadline)
            self.assertTrue(self._follows(visit, todo.user_id))
            # one message: what planned it
            self.assertEqual(len(visit.message_ids), 1)
            self.assertIn(visit.contract_id.name, visit.message_ids.body)
            self.assertIn(visit.contract_visit_date, visit.message_ids.body)
        # approved as every trip is: the to-do is done
        visits[0].sudo(self.user_gm).action_approve()
        self.assertEqual(visits[0].state, "approved")
        self.assertFalse(self._activities(visits[0], APPROVAL))
        # a second pass the same day plans nothing more
        self.Contract._cron_daily(today="2027-01-01")
        self.assertEqual(self.Visit.search_count([("contract_id", "in", visits.mapped(
            "contract_id").ids)]), 2)

    # ------------------------------------------------------------------ callbacks

    def _done_visit(self, departure):
        visit = self._visit_at_customer(departure, date_planned="2026-11-20 01:00:00")
        # completed without its callback, as a pass finds it (e.g. completed by an import)
        visit._as_action().write({"state": "done"})
        return visit

    def test_callback_pass_one_callback_per_completed_visit(self):
        self.Callback._cron_generate()  # whatever the demo data has due
        departures = ["2026-11-20 03:00:00", "2026-11-20 08:30:00", "2026-11-21 02:00:00"]
        visits = self.Visit.browse([self._done_visit(d).id for d in departures])
        self.Callback._cron_generate()
        self.Callback._cron_generate()
        callbacks = self.Callback.search([("visit_id", "in", visits.ids)])
        self.assertEqual(sorted(callbacks.mapped("visit_id").ids), sorted(visits.ids))
        self.assertEqual(len(set(callbacks.mapped("name"))), 3)
        satisfaction = self.env.ref("after_sales_service.callback_type_satisfaction")
        for callback in callbacks:
            visit = callback.visit_id
            self.assertNotEqual(callback.name, "New")
            self.assertEqual((callback.type_id, callback.state), (satisfaction, "todo"))
            self.assertEqual(callback.trigger, "visit:%s" % visit.id)
            self.assertEqual(callback.user_id, self.user_as)
            self.assertEqual(callback.technician_ids, self.user_technician)
            self.assertEqual(callback.date_due, fields.Datetime.to_string(
                self.company.after_sales_plan_deadline(visit.date_departure, 3, "days")))
            # the empty answers of its questionnaire
            self.assertEqual(callback.answer_ids.mapped("question_id"),
                             satisfaction.question_ids)
            self.assertFalse(any(callback.answer_ids.mapped("is_answered")))
            self.assertEqual(callback.kind, satisfaction.kind)
            self.assertFalse(callback.answered)
            # the caller's to-do, due the day the callback is, and the caller follows it
            todo = self._activities(callback, "mail.mail_activity_data_call")
            self.assertEqual((todo.user_id, todo.date_deadline, todo.summary),
                             (self.user_as, callback.date_due[:10], satisfaction.name))
            self.assertTrue(self._follows(callback, self.user_as))
            self.assertEqual(callback.activity_date_deadline, todo.date_deadline)

    def test_deadline_planner_plans_as_the_company(self):
        """The batch planner gives the company's deadlines, whatever the start: mornings,
        evenings, a Friday before a weekend, a Sunday, several starts of one day."""
        planner = DeadlinePlanner()
        starts = ["2026-11-20 00:30:00", "2026-11-20 03:00:00", "2026-11-20 11:00:00",
                  "2026-11-20 15:45:00", "2026-11-22 06:00:00", "2026-11-23 23:00:00"]
        for start in starts + starts:
            for days in (1, 3):
                self.assertEqual(planner.plan(self.company, start, days),
                                 self.company.after_sales_plan_deadline(start, days, "days"),
                                 "%s + %s days" % (start, days))

    # ------------------------------------------------------------------ escalation

    def test_escalation_goes_to_each_team_leader(self):
        Request = self.env["after_sales.request"]
        Request._cron_update_time_limits()  # the demo data's late requests
        leader_2 = self._create_user("as_manager_2", ["after_sales_service.group_manager"])
        team_1 = self.env["after_sales.team"].create({"name": "一组",
                                                      "leader_id": self.user_manager.id})
        team_2 = self.env["after_sales.team"].create({"name": "二组",
                                                      "leader_id": leader_2.id})
        long_ago = fields.Datetime.to_string(datetime.now() - timedelta(days=30))

        def late(team):
            return Request.sudo(self.user_as).create({
                "partner_id": self.customer.id, "channel": "hotline", "category": "repair",
                "product_id": self.product.id, "description": "不加热",
                "date_received": long_ago, "team_id": team.id}).with_env(self.env)
        requests = [late(team_1), late(team_2), late(team_1), late(team_2)]
        Request._cron_update_time_limits()
        for request, leader in zip(requests, [self.user_manager, leader_2] * 2):
            self.assertTrue(request.escalated)
            todo = self._activities(request, ESCALATION)
            self.assertEqual(todo.user_id, leader)
            self.assertIn(request.name, todo.summary)
            self.assertTrue(self._follows(request, leader))
            notes = request.message_ids.filtered(lambda m: "escalated to" in (m.body or ""))
            self.assertEqual(len(notes), 1)
            self.assertIn(leader.name, notes.body)
            self.assertEqual(notes.subtype_id, self.env.ref("mail.mt_note"))
            self.assertEqual(notes.author_id, self.env.user.partner_id)
        # escalated once
        Request._cron_update_time_limits()
        self.assertEqual(len(self._activities(requests[0], ESCALATION)), 1)
