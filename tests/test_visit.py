# -*- coding: utf-8 -*-
import base64

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AfterSalesCase

# a 1x1 PNG: the customer's signature as the signature widget stores it
SIGNATURE = base64.b64encode(base64.b64decode(
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="))


class TestVisit(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestVisit, cls).setUpClass()
        cls.Visit = cls.env["after_sales.visit"]
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.store = cls.warehouse.after_sales_parts_location_id
        cls.part = cls.env["product.product"].create({
            "name": "温控器 TS-2", "type": "product", "standard_price": 60.0})
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.store, 10.0)
        standard = cls.env["after_sales.fee.standard"].for_company(cls.company)
        standard.write({
            "travel_flat": 100.0, "travel_per_km": 2.0, "parts_markup": 20.0,
            "labour_ids": [(5, 0, 0), (0, 0, {"category": "repair", "amount": 150.0}),
                           (0, 0, {"category": "installation", "amount": 200.0})]})
        cls.certificate = cls.env.ref("after_sales_service.qualification_heater_installation")
        cls.env["after_sales.technician.qualification"].create({
            "user_id": cls.user_technician.id, "type_id": cls.certificate.id,
            "date_obtained": "2025-01-01", "date_expiry": "2030-12-31"})
        cls.request = cls.env["after_sales.request"].create({
            "partner_id": cls.customer.id, "category": "repair", "product_id": cls.product.id,
            "description": "不加热"})
        cls.request.action_start()
        # delivered today: in warranty, and so are its visits
        cls.request_in_warranty = cls.env["after_sales.request"].create({
            "partner_id": cls.customer.id, "category": "repair", "product_id": cls.product.id,
            "date_delivered": fields.Date.context_today(cls.request), "description": "漏水"})
        cls.request_in_warranty.action_start()

    def _visit(self, in_warranty=False, **vals):
        """A visit of the out-of-warranty request, or of the in-warranty one."""
        request = self.request_in_warranty if in_warranty else self.request
        values = {"request_id": request.id, "partner_id": self.customer.id,
                  "purpose": "repair", "date_planned": "2026-11-20 09:00:00",
                  "distance_km": 25.0, "technician_ids": [(6, 0, self.user_technician.ids)]}
        values.update(vals)
        return self.Visit.sudo(self.user_as).create(values)

    def _approve(self, visit):
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()

    def _record(self, visit, arrival="2026-11-20 09:00:00", departure="2026-11-20 11:00:00"):
        visit.sudo(self.user_technician).write({
            "date_arrival": arrival, "date_departure": departure, "arrival_confirmed": True,
            "fault_found": "温控器损坏", "handling": "更换温控器", "fee_standard_shown": True,
            "customer_signer": "王工", "customer_signature": SIGNATURE,
            "customer_evaluation": "5"})

    def test_estimate_and_general_manager_approval(self):
        visit = self._visit()
        self.assertEqual(visit.estimated_labour, 150.0)
        self.assertEqual(visit.estimated_travel, 150.0)  # 100 + 25 km x 2
        self.assertEqual(visit.estimated_cost, 300.0)
        visit.action_submit()
        self.assertEqual(visit.state, "to_approve")
        for user in (self.user_as, self.user_manager, self.user_technician):
            with self.assertRaises(AccessError):
                visit.sudo(user).action_approve()
        self.assertEqual(visit.state, "to_approve")
        with self.assertRaisesRegex(UserError, "reason"):
            visit.sudo(self.user_gm).action_reject(reason="")
        visit.sudo(self.user_gm).action_approve()
        self.assertEqual((visit.state, visit.approved_by_id), ("approved", self.user_gm))
        self.assertEqual(self.request.state, "waiting")
        self.assertEqual(self.request.visit_count, 1)

    def test_rejection_with_reason(self):
        visit = self._visit()
        visit.action_submit()
        visit.sudo(self.user_gm).action_reject(reason="Phone guidance first")
        self.assertEqual((visit.state, visit.reject_reason), ("rejected", "Phone guidance first"))
        with self.assertRaises(UserError):
            visit.action_start()

    def test_unqualified_technician_refused(self):
        with self.assertRaisesRegex(ValidationError, "qualification"):
            self._visit(purpose="installation", technician_ids=[(6, 0, self.user_as.ids)])
        # an expired certificate does not qualify either
        with self.assertRaisesRegex(ValidationError, "qualification"):
            self._visit(purpose="installation", date_planned="2031-02-01 09:00:00")
        visit = self._visit(purpose="installation")
        self.assertEqual(visit.technician_ids, self.user_technician)

    def test_checklist_blocks_start(self):
        visit = self._visit(tool_ids=[(0, 0, {"name": "万用表"})])
        self._approve(visit)
        with self.assertRaisesRegex(UserError, "appointment"):
            visit.sudo(self.user_technician).action_start()
        visit.appointment_confirmed = True
        with self.assertRaisesRegex(UserError, "万用表"):
            visit.sudo(self.user_technician).action_start()
        visit.tool_ids.checked = True
        visit.sudo(self.user_technician).action_start()
        self.assertEqual(visit.state, "in_progress")
        training = self._visit(purpose="training", appointment_confirmed=True)
        self._approve(training)
        with self.assertRaisesRegex(UserError, "Training material"):
            training.action_start()

    def test_technician_sees_own_visits(self):
        mine = self._visit()
        other = self._visit(technician_ids=[(5, 0, 0)])
        visible = self.Visit.sudo(self.user_technician).search([("id", "in", (mine | other).ids)])
        self.assertEqual(visible, mine)
        # and can read the request of their visit
        self.assertEqual(mine.sudo(self.user_technician).request_id.name, self.request.name)

    def test_out_of_warranty_visit_parts_invoice_and_request(self):
        visit = self._visit(appointment_confirmed=True, part_ids=[(0, 0, {
            "product_id": self.part.id, "qty_taken": 3.0})])
        self._approve(visit)
        visit.sudo(self.user_as).action_issue_parts()
        issue = visit._parts_issue_picking()
        van = self.warehouse.after_sales_technician_location(self.user_technician)
        self.assertEqual(issue.location_dest_id, van)
        with self.assertRaisesRegex(UserError, "%s is not validated by the warehouse" % issue.name):
            visit.action_start()
        # the warehouse validates the issue
        issue.sudo(self.user_stock).action_assign()
        for move in issue.move_lines:
            move.sudo(self.user_stock).quantity_done = move.product_uom_qty
        issue.sudo(self.user_stock).action_done()
        self.assertEqual(self.qty_at(self.part, self.store), 7.0)
        self.assertEqual(self.qty_at(self.part, van), 3.0)
        visit.sudo(self.user_technician).action_start()
        with self.assertRaisesRegex(UserError, "signature"):
            visit.sudo(self.user_technician).action_done()
        self._record(visit)
        visit.part_ids.sudo(self.user_technician).qty_used = 1.0
        visit.sudo(self.user_technician).action_done()
        self.assertEqual(visit.state, "done")
        # one used at the customer, two on their way back to the store
        self.assertEqual(self.qty_at(self.part, van), 2.0)
        back = visit.sudo().picking_ids.filtered(lambda p: p.after_sales_visit_role == "return")
        self.assertEqual(back.location_dest_id, self.store)
        back.sudo(self.user_stock).action_assign()
        for move in back.move_lines:
            move.sudo(self.user_stock).quantity_done = move.product_uom_qty
        back.sudo(self.user_stock).action_done()
        self.assertEqual(self.qty_at(self.part, van), 0.0)
        self.assertEqual(self.qty_at(self.part, self.store), 9.0)
        self.assertEqual(visit.part_ids.qty_returned, 2.0)
        # the customer is charged labour, travel and the part (cost 60 + 20%)
        invoice = visit.sudo().invoice_ids.sudo(self.user_finance)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("price_subtotal")),
                         [72.0, 150.0, 150.0])
        self.assertEqual(visit.amount_charged, invoice.amount_total)
        self.assertEqual(visit.amount_standard, 372.0)
        self.assertFalse(visit.charge_departs)
        # finance changes a price: the visit flags the departure from the fee standard
        invoice.invoice_line_ids.filtered(lambda l: l.price_unit == 72.0).price_unit = 50.0
        invoice.compute_taxes()
        visit.invalidate_cache()
        self.assertTrue(visit.charge_departs)
        invoice.action_invoice_open()
        self.assertEqual(invoice.state, "open")
        # the request is resolved with the visit's findings
        self.assertEqual(self.request.state, "resolved")
        self.assertIn("更换温控器", self.request.method_used)
        self.assertFalse(visit.is_overtime)
        visit.sudo(self.user_as).action_verify()
        self.assertEqual(visit.state, "verified")
        self.assertFalse(visit.sudo().subsidy_bill_ids)

    def test_in_warranty_visit_charges_nothing(self):
        visit = self._visit(appointment_confirmed=True, in_warranty=True)
        self._approve(visit)
        visit.action_start()
        self._record(visit)
        visit.action_done()
        self.assertFalse(visit.sudo().invoice_ids)

    def test_overtime_subsidy_after_verification(self):
        self.company.after_sales_overtime_subsidy = 60.0
        # Saturday 21 November: not a working day of the company calendar
        visit = self._visit(appointment_confirmed=True, date_planned="2026-11-21 09:00:00",
                            in_warranty=True)
        self._approve(visit)
        visit.action_start()
        self._record(visit, "2026-11-21 09:00:00", "2026-11-21 12:00:00")
        visit.action_done()
        self.assertTrue(visit.is_overtime)
        self.assertEqual(visit.overtime_days, 1)
        self.assertFalse(visit.sudo().subsidy_bill_ids)  # only once the record is verified
        with self.assertRaises(AccessError):
            visit.sudo(self.user_technician).action_verify()
        visit.sudo(self.user_as).action_verify()
        self.assertFalse(visit.sudo().subsidy_bill_ids)  # nor before the signatures
        for signer in (self.user_manager, self.user_deputy_gm, self.user_gm):
            visit.sudo(signer).action_sign_subsidy()
        bill = visit.sudo().subsidy_bill_ids.sudo(self.user_finance)
        self.assertEqual(bill.type, "in_invoice")
        self.assertEqual(bill.partner_id, self.user_technician.partner_id)
        self.assertEqual(bill.amount_total, 60.0)

    def test_used_above_taken_refused(self):
        visit = self._visit(appointment_confirmed=True, in_warranty=True, part_ids=[(0, 0, {
            "product_id": self.part.id, "qty_taken": 1.0})])
        self._approve(visit)
        visit.action_issue_parts()
        issue = visit._parts_issue_picking()
        for move in issue.move_lines:
            move.quantity_done = move.product_uom_qty
        issue.action_done()
        visit.action_start()
        self._record(visit)
        visit.part_ids.qty_used = 2.0
        with self.assertRaisesRegex(UserError, "above the quantity taken"):
            visit.action_done()
        self.assertEqual(visit.state, "in_progress")
        self.assertEqual(len(visit.sudo().picking_ids), 1)

    def test_service_record_pdf_two_copies(self):
        visit = self._visit(appointment_confirmed=True, in_warranty=True)
        self._approve(visit)
        visit.action_start()
        self._record(visit)
        visit.action_done()
        _pdf, text = self.render_pdf("after_sales_service.visit_report", visit)
        self.assertIn("Customer's copy", text)
        self.assertIn("Department's copy", text)
        self.assertEqual(text.count(visit.name), 2)
        self.assertIn("更换温控器", text)

    def test_parts_taken_frozen_once_issued(self):
        """What the technician took is what the issue transfer moved: once it exists, the
        lines' part and quantity taken no longer change, the quantity used still does."""
        visit = self._visit(appointment_confirmed=True, part_ids=[(0, 0, {
            "product_id": self.part.id, "qty_taken": 2.0})])
        line = visit.part_ids
        line.sudo(self.user_as).qty_taken = 3.0  # before the issue: still prepared
        self._approve(visit)
        visit.sudo(self.user_as).action_issue_parts()
        with self.assertRaises(AccessError):
            line.sudo(self.user_as).write({"qty_taken": 5.0})
        with self.assertRaises(AccessError):
            line.sudo(self.user_as).unlink()
        with self.assertRaises(AccessError):
            visit.sudo(self.user_as).write({"part_ids": [(0, 0, {"product_id": self.part.id,
                                                                 "qty_taken": 1.0})]})
        self.assertEqual((line.qty_taken, len(visit.part_ids)), (3.0, 1))
        self.assertEqual(visit._parts_issue_picking().move_lines.product_uom_qty, 3.0)

    # ------------------------------------------------------------------ approval to-dos (ui)

    def test_trip_approval_todo_goes_to_an_approver(self):
        """The trip approval's to-do goes to a general manager of the visit's company who is
        neither the one asking nor the administrator (also a member here), for every visit of
        a set submitted at once; another company's general manager never gets it."""
        approval = self.env.ref("after_sales_service.mail_activity_type_approval")
        group = self.env.ref("after_sales_service.group_general_manager")
        admin = self.env.ref("base.user_root")
        admin.groups_id = [(4, group.id)]
        self._create_user("as_gm_two", ["after_sales_service.group_general_manager"])
        self._create_second_company()

        def approvers(visits):
            todos = visits.mapped("activity_ids").filtered(
                lambda a: a.activity_type_id == approval)
            self.assertEqual(len(todos), len(visits))
            return todos.mapped("user_id")

        visits = self._visit() | self._visit()
        visits.sudo(self.user_as).action_submit()
        users = approvers(visits)
        self.assertEqual(len(users), 1)
        self.assertIn(users, group.users)
        self.assertNotIn(users, admin | self.user_as | self.b_gm)
        self.assertIn(self.company, users.company_ids)
        # a general manager asking: the other one approves
        visit = self.Visit.sudo(self.user_gm).create({
            "request_id": self.request.id, "partner_id": self.customer.id,
            "purpose": "repair", "date_planned": "2026-11-20 09:00:00",
            "technician_ids": [(6, 0, self.user_technician.ids)]})
        visit.action_submit()
        users = approvers(visit)
        self.assertNotIn(users, admin | self.user_gm | self.b_gm)
        self.assertIn(users, group.users)
        # nobody else of the company approves trips: the administrator gets it, not the other
        # company's general manager
        (group.users.filtered(lambda u: self.company in u.company_ids) - admin).write(
            {"active": False})
        late = self._visit()
        late.sudo(self.user_as).action_submit()
        self.assertEqual(approvers(late), admin)
