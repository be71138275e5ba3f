# -*- coding: utf-8 -*-
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AfterSalesCase
from .test_visit import SIGNATURE


class TestContract(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestContract, cls).setUpClass()
        cls.Contract = cls.env["after_sales.contract"]
        cls.Visit = cls.env["after_sales.visit"]
        cls.Callback = cls.env["after_sales.callback"]
        cls.company.write({"after_sales_contract_lead_days": 14,
                           "after_sales_contract_expiry_days": 30})
        cls.lot = cls.env["stock.production.lot"].create({"name": "EH60-T-0001",
                                                          "product_id": cls.product.id})
        cls.card = cls.env["after_sales.warranty.card"].create({
            "partner_id": cls.customer.id, "product_id": cls.product.id, "lot_id": cls.lot.id,
            "date_delivered": "2026-01-10", "after_sales_warranty_months": 24})
        cls.other_product = cls.env["product.product"].create({"name": "燃气热水器 GH-12",
                                                               "type": "consu"})

    def _contract(self, **vals):
        values = {
            "partner_id": self.customer.id, "contract_type": "maintenance",
            "date_start": "2027-01-01", "date_end": "2027-12-31",
            "first_visit_date": "2027-01-15", "visit_frequency": "quarterly",
            "fee_amount": 4000.0, "invoicing_policy": "quarterly",
            "technician_ids": [(6, 0, self.user_technician.ids)],
            "line_ids": [(0, 0, {"warranty_card_id": self.card.id})],
        }
        values.update(vals)
        return self.Contract.sudo(self.user_as).create(values)

    def _visits(self, contract):
        return self.Visit.search([("contract_id", "=", contract.id)], order="contract_visit_date")

    # ------------------------------------------------------------------ confirmation

    def test_confirmed_by_after_sales_user_only(self):
        contract = self._contract()
        for user in (self.user_nobody, self.user_technician, self.user_station):
            with self.assertRaises(AccessError):
                contract.sudo(user).action_confirm()
            with self.assertRaises(AccessError):
                self.Contract.sudo(user).create({
                    "partner_id": self.customer.id, "date_start": "2027-01-01",
                    "date_end": "2027-12-31"})
        self.assertTrue(contract.name.startswith("HT"))
        self.assertEqual(contract.state, "draft")
        # the covered product comes from the warranty card
        self.assertEqual((contract.line_ids.product_id, contract.line_ids.lot_id),
                         (self.product, self.lot))
        contract.action_confirm()
        self.assertEqual(contract.state, "active")
        self.assertEqual(contract.next_visit_date, "2027-01-15")
        with self.assertRaises(UserError):
            contract.action_confirm()
        with self.assertRaisesRegex(UserError, "never deleted"):
            contract.unlink()
        # no covered product: refused
        empty = self._contract(line_ids=[])
        with self.assertRaisesRegex(UserError, "installed products"):
            empty.action_confirm()
        self.assertEqual(empty.state, "draft")
        # the customer file counts it
        self.assertEqual(self.customer.sudo(self.user_as).after_sales_contract_count, 2)

    def test_dates_and_customer_checked(self):
        with self.assertRaises(ValidationError):
            self._contract(date_end="2026-12-31")
        with self.assertRaises(ValidationError):
            self._contract(first_visit_date="2028-02-01")
        stranger = self.env["res.partner"].create({"name": "另一客户"})
        with self.assertRaisesRegex(ValidationError, "another customer"):
            self._contract(partner_id=stranger.id)

    def test_cancel_with_reason_cancels_pending_visits(self):
        contract = self._contract()
        contract.action_confirm()
        self.Contract._cron_schedule_visits(today="2027-01-05")
        visit = self._visits(contract)
        self.assertEqual(visit.state, "to_approve")
        with self.assertRaisesRegex(UserError, "reason"):
            contract.action_cancel(reason=" ")
        self.assertEqual(contract.state, "active")
        wizard_action = contract.action_cancel_wizard()
        wizard = self.env["after_sales.reason.wizard"].browse(wizard_action["res_id"])
        wizard.sudo(self.user_as).write({"reason": "客户停产"})
        wizard.sudo(self.user_as).action_confirm()
        self.assertEqual((contract.state, contract.cancel_reason), ("cancel", "客户停产"))
        self.assertEqual(visit.state, "cancel")
        self.assertFalse(contract.next_visit_date)
        with self.assertRaises(UserError):
            contract.unlink()
        # a cancelled contract plans nothing
        self.assertFalse(self.Contract._cron_schedule_visits(today="2027-04-05")
                         .filtered(lambda v: v.contract_id == contract))

    # ------------------------------------------------------------------ scheduled visits

    def test_job_creates_due_visits_once(self):
        contract = self._contract()
        contract.action_confirm()
        # 1 January: the visit of 15 January is within the 14 days of lead time
        self.Contract._cron_schedule_visits(today="2027-01-01")
        visits = self._visits(contract)
        self.assertEqual(len(visits), 1)
        self.assertEqual(visits.contract_visit_date, "2027-01-15")
        self.assertEqual(visits.date_planned, "2027-01-15 09:00:00")
        self.assertEqual(visits.state, "to_approve")  # the general manager still approves it
        self.assertEqual(visits.purpose, "inspection")
        self.assertTrue(visits.in_warranty)
        self.assertEqual(visits.partner_id, self.customer)
        self.assertEqual(visits.product_ids, self.product)
        self.assertEqual(visits.technician_ids, self.user_technician)
        self.assertEqual(contract.next_visit_date, "2027-04-15")
        self.assertEqual(contract.visit_count, 1)
        # the job again, the same day or the next: nothing new
        self.Contract._cron_schedule_visits(today="2027-01-01")
        self.Contract._cron_schedule_visits(today="2027-01-02")
        self.assertEqual(len(self._visits(contract)), 1)
        # even when the next date is set back by hand, the due date key refuses a duplicate
        contract.next_visit_date = "2027-01-15"
        self.Contract._cron_schedule_visits(today="2027-01-03")
        self.assertEqual(len(self._visits(contract)), 1)
        self.assertEqual(contract.next_visit_date, "2027-04-15")
        # too early for April's
        self.Contract._cron_schedule_visits(today="2027-03-31")
        self.assertEqual(len(self._visits(contract)), 1)
        self.Contract._cron_schedule_visits(today="2027-04-01")
        self.assertEqual(self._visits(contract).mapped("contract_visit_date"),
                         ["2027-01-15", "2027-04-15"])
        # the job did not run for months: the missed visit is planned today, the next on time
        self.Contract._cron_schedule_visits(today="2027-10-05")
        visits = self._visits(contract)
        self.assertEqual(visits.mapped("contract_visit_date"),
                         ["2027-01-15", "2027-04-15", "2027-07-15", "2027-10-15"])
        self.assertEqual(visits.mapped("date_planned"),
                         ["2027-01-15 09:00:00", "2027-04-15 09:00:00", "2027-10-05 09:00:00",
                          "2027-10-15 09:00:00"])
        # January 2028 is after the end: no visit left
        self.assertFalse(contract.next_visit_date)
        self.Contract._cron_schedule_visits(today="2027-12-25")
        self.assertEqual(len(self._visits(contract)), 4)

    def test_no_visit_after_contract_end(self):
        contract = self._contract(date_end="2027-02-10", visit_frequency="monthly",
                                  invoicing_policy="once")
        contract.action_confirm()
        # the horizon (15 February) passes the end (10 February): only January's visit
        self.Contract._cron_schedule_visits(today="2027-02-01")
        self.assertEqual(self._visits(contract).mapped("contract_visit_date"), ["2027-01-15"])
        self.assertFalse(contract.next_visit_date)
        self.Contract._cron_schedule_visits(today="2027-02-09")
        self.assertEqual(len(self._visits(contract)), 1)
        # a contract without scheduled visits gets none
        quiet = self._contract(visit_frequency="none")
        quiet.action_confirm()
        self.assertFalse(quiet.next_visit_date)
        self.Contract._cron_schedule_visits(today="2027-01-10")
        self.assertFalse(self._visits(quiet))

    def test_expiring_flag_and_expiry(self):
        contract = self._contract()
        contract.action_confirm()
        cancelled = self._contract()
        cancelled.action_cancel(reason="x")
        # 31 December is more than 30 days after 15 November
        self.Contract._cron_daily(today="2027-11-15")
        self.assertFalse(contract.is_expiring)
        self.Contract._cron_daily(today="2027-12-05")
        self.assertTrue(contract.is_expiring)
        self.assertFalse(cancelled.is_expiring)
        self.assertIn(contract, self.Contract.search([("is_expiring", "=", True)]))
        # the department's dashboard counts it, and its tile lists it
        dashboard = self.env["after_sales.dashboard"].sudo(self.user_as).create({})
        tile = dashboard.with_context(tile="expiring_contract").action_open_tile()
        self.assertIn(contract, self.Contract.search(tile["domain"]))
        self.assertEqual(dashboard.expiring_contract_count,
                         self.Contract.search_count(tile["domain"]))
        todo = contract.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(todo.user_id, self.user_as)
        self.assertIn(contract.name, todo.summary)
        # the job again: still flagged, no second to-do
        self.Contract._cron_daily(today="2027-12-06")
        self.assertTrue(contract.is_expiring)
        self.assertEqual(len(contract.activity_ids), 1)
        self.assertEqual(contract.state, "active")
        # the day after the end: expired
        self.Contract._cron_daily(today="2028-01-01")
        self.assertEqual(contract.state, "expired")
        self.assertFalse(contract.is_expiring)
        self.assertFalse(contract.next_visit_date)
        self.assertEqual(cancelled.state, "cancel")

    # ------------------------------------------------------------------ invoicing

    def test_invoice_per_period(self):
        contract = self._contract()
        with self.assertRaises(UserError):  # a draft contract is not invoiced
            contract.action_create_invoice()
        contract.action_confirm()
        self.assertEqual(contract.period_count, 4)
        with self.assertRaises(AccessError):
            contract.sudo(self.user_technician).action_create_invoice()
        invoice = contract._create_period_invoices().sudo(self.user_finance)
        self.assertEqual((invoice.type, invoice.state, invoice.partner_id),
                         ("out_invoice", "draft", self.customer))
        self.assertEqual(invoice.after_sales_contract_id, contract)
        line = invoice.invoice_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.product_id, self.env.ref("after_sales_service.product_contract_fee"))
        self.assertEqual((line.quantity, line.price_unit), (1.0, 1000.0))
        self.assertIn("2027-01-01", line.name)
        self.assertIn("2027-03-31", line.name)
        self.assertEqual(invoice.amount_total, 1000.0)
        self.assertEqual((contract.amount_invoiced, contract.amount_paid,
                          contract.amount_to_invoice), (1000.0, 0.0, 3000.0))
        # finance validates and the customer pays
        invoice.action_invoice_open()
        bank = self.env["account.journal"].search([("type", "=", "bank"),
                                                   ("company_id", "=", self.company.id)], limit=1)
        invoice.sudo().pay_and_reconcile(bank, 1000.0)
        self.assertEqual(invoice.state, "paid")
        contract.invalidate_cache()
        self.assertEqual(contract.amount_paid, 1000.0)
        # the next periods, then nothing left
        contract.sudo(self.user_as).action_create_invoice()
        contract.sudo(self.user_as).action_create_invoice()
        contract.sudo(self.user_as).action_create_invoice()
        contract.invalidate_cache()
        invoices = contract.sudo().invoice_ids
        self.assertEqual(len(invoices), 4)
        self.assertEqual(sum(invoices.mapped("amount_total")), 4000.0)
        self.assertIn("2027-10-01", invoices.sorted("id")[-1].invoice_line_ids.name)
        self.assertFalse(contract.can_be_invoiced)
        with self.assertRaisesRegex(UserError, "Nothing left to invoice"):
            contract.action_create_invoice()

    def test_invoice_split_rounding_and_short_last_period(self):
        # January-August in quarters: Jan-Mar, Apr-Jun, Jul-Aug; 100 split 33.33/33.33/33.34
        contract = self._contract(date_end="2027-08-31", fee_amount=100.0)
        contract.action_confirm()
        self.assertEqual(contract.period_count, 3)
        for _i in range(3):
            contract.action_create_invoice()
        invoices = contract.sudo().invoice_ids.sorted("id")
        for invoice, amount in zip(invoices, [33.33, 33.33, 33.34]):
            self.assertAlmostEqual(invoice.amount_total, amount, places=2)
        self.assertIn("2027-08-31", invoices[-1].invoice_line_ids.name)
        once = self._contract(invoicing_policy="once", fee_amount=1200.0)
        once.action_confirm()
        invoice = once._create_period_invoices()
        self.assertEqual(invoice.amount_total, 1200.0)
        self.assertFalse(once.can_be_invoiced)

    # ------------------------------------------------------------------ visits and callbacks

    def test_completed_contract_visit_gets_one_contract_callback(self):
        contract = self._contract()
        contract.action_confirm()
        self.Contract._cron_schedule_visits(today="2027-01-01")
        visit = self._visits(contract)
        visit.sudo(self.user_gm).action_approve()
        visit.sudo(self.user_as).appointment_confirmed = True
        technician_visit = visit.sudo(self.user_technician)
        technician_visit.action_start()
        technician_visit.write({
            "date_arrival": "2027-01-15 09:00:00", "date_departure": "2027-01-15 11:00:00",
            "arrival_confirmed": True, "fault_found": "水垢", "handling": "除垢, 检查安全阀",
            "customer_signer": "王工", "customer_signature": SIGNATURE})
        technician_visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertFalse(visit.sudo().invoice_ids)  # covered by the contract fee
        callbacks = self.Callback.search([("visit_id", "=", visit.id)])
        contract_type = self.env.ref("after_sales_service.callback_type_contract")
        self.assertEqual(len(callbacks), 1)
        self.assertEqual((callbacks.type_id, callbacks.kind, callbacks.contract_id),
                         (contract_type, "contract", contract))
        self.assertEqual(len(callbacks.answer_ids), len(contract_type.question_ids))
        self.assertGreaterEqual(len(contract_type.question_ids), 5)
        self.assertEqual(callbacks.user_id, self.user_as)  # the contract's responsible
        self.assertEqual(callbacks.date_due, "2027-01-20 11:00:00")  # 3 working days
        # the job, however often it runs, adds none (no satisfaction callback either)
        self.Callback._cron_generate()
        self.Callback._cron_generate()
        self.assertEqual(self.Callback.search_count([("visit_id", "=", visit.id)]), 1)
        self.assertEqual(contract.sudo(self.user_as).callback_ids, callbacks)
        # an answer saying the customer paid for the visit is unsatisfied
        answer = callbacks.answer_ids.filtered(
            lambda a: a.question_id == self.env.ref("after_sales_service.q_contract_charged"))
        answer.value_yesno = "yes"
        self.assertTrue(answer.is_negative)

    def test_request_covered_by_contract_is_visited_in_warranty(self):
        contract = self._contract()
        contract.action_confirm()
        covering = self.Contract._find_covering(self.customer, self.product, self.lot,
                                                "2027-03-01")
        self.assertEqual(covering, contract)
        self.assertFalse(self.Contract._find_covering(self.customer, self.other_product,
                                                      self.lot, "2027-03-01"))
        self.assertFalse(self.Contract._find_covering(self.customer, self.product, self.lot,
                                                      "2028-03-01"))
        request = self.env["after_sales.request"].create({
            "partner_id": self.customer.id, "category": "repair", "product_id": self.product.id,
            "lot_id": self.lot.id, "description": "漏水"})
        visit = self.Visit.sudo(self.user_as).new({"request_id": request.id,
                                                   "date_planned": "2027-03-02 09:00:00"})
        visit._onchange_request_id()
        self.assertEqual(visit.contract_id, contract)
        self.assertTrue(visit.in_warranty)
        # created with its contract and nothing said: not charged
        created = self.Visit.sudo(self.user_as).create({
            "partner_id": self.customer.id, "purpose": "repair", "contract_id": contract.id,
            "date_planned": "2027-03-02 09:00:00"})
        self.assertTrue(created.in_warranty)

    def test_technician_sees_only_own_visits_and_their_contracts(self):
        mine = self._contract()
        mine.action_confirm()
        other = self._contract(technician_ids=[(5, 0, 0)])
        other.action_confirm()
        self.Contract._cron_schedule_visits(today="2027-01-01")
        own_visit, other_visit = self._visits(mine), self._visits(other)
        self.assertEqual((len(own_visit), len(other_visit)), (1, 1))
        as_technician = self.Visit.sudo(self.user_technician)
        self.assertEqual(as_technician.search_count(
            [("contract_id", "in", (mine | other).ids)]), 1)
        self.assertEqual(as_technician.search([("contract_id", "in", (mine | other).ids)]),
                         own_visit)
        self.assertEqual(self.Visit.sudo(self.user_as).search_count(
            [("contract_id", "in", (mine | other).ids)]), 2)
        with self.assertRaises(AccessError):
            other_visit.sudo(self.user_technician).read(["name"])
        # the contract of their visit, not the others
        self.assertEqual(self.Contract.sudo(self.user_technician).search(
            [("id", "in", (mine | other).ids)]), mine)
        # their phone opens "My Visits" on the kanban, filtered on their visits from today
        action = self.env.ref("after_sales_service.visit_action_technician").read()[0]
        self.assertEqual(action["views"][0][1], "kanban")
        self.assertIn("search_default_mine", action["context"])
        self.assertIn("search_default_today_upcoming", action["context"])
        kanban = as_technician.fields_view_get(action["views"][0][0], "kanban")
        self.assertIn("partner_phone", kanban["arch"])
        self.assertEqual(own_visit.sudo(self.user_technician).partner_phone,
                         self.customer.phone)
