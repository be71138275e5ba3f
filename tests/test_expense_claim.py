# -*- coding: utf-8 -*-
import base64
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import AfterSalesCase


class TestExpenseClaim(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestExpenseClaim, cls).setUpClass()
        cls.Claim = cls.env["after_sales.expense.claim"]
        cls.receipt = cls.env["ir.attachment"].create({
            "name": "receipt.txt", "datas": base64.b64encode(b"taxi 85"),
            "datas_fname": "receipt.txt"})

    def _claim(self, days_ago=1, receipt=True):
        day = fields.Date.to_string(date.today() - timedelta(days=days_ago))
        return self.Claim.sudo(self.user_technician).create({"line_ids": [
            (0, 0, {"date": day, "expense_type": "travel", "name": "出租车", "amount": 85.0,
                    "attachment_ids": [(6, 0, self.receipt.ids if receipt else [])]}),
            (0, 0, {"date": day, "expense_type": "material", "name": "密封胶", "amount": 15.5,
                    "attachment_ids": [(6, 0, self.receipt.ids if receipt else [])]}),
        ]})

    def test_approved_manager_finance_gm_then_billed(self):
        claim = self._claim()
        self.assertEqual(claim.amount_total, 100.5)
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        # in order, each step by its group only
        with self.assertRaisesRegex(UserError, "not at this approval step"):
            claim.sudo(self.user_finance).action_approve_finance()  # the manager first
        with self.assertRaises(AccessError):
            claim.sudo(self.user_technician).action_approve_manager()
        # the repair material line (密封胶) is valid once purchasing confirmed it
        claim.sudo(self.user_purchasing).action_confirm_purchasing()
        claim.sudo(self.user_manager).action_approve_manager()
        with self.assertRaises(UserError):
            claim.sudo(self.user_gm).action_approve_general_manager()  # finance first
        claim.sudo(self.user_finance).action_approve_finance()
        with self.assertRaises(AccessError):
            claim.sudo(self.user_manager).action_approve_general_manager()
        claim.sudo(self.user_gm).action_approve_general_manager()
        self.assertEqual(claim.state, "approved")
        self.assertEqual((claim.manager_id, claim.finance_id, claim.general_manager_id),
                         (self.user_manager, self.user_finance, self.user_gm))
        bill = claim.sudo().bill_id
        self.assertEqual(bill.type, "in_invoice")
        self.assertEqual(bill.partner_id, self.user_technician.partner_id)
        self.assertEqual(bill.amount_total, 100.5)
        self.assertEqual(len(bill.invoice_line_ids), 2)

    def test_claim_older_than_a_week_refused(self):
        claim = self._claim(days_ago=8)
        with self.assertRaisesRegex(UserError, "older than 7 days"):
            claim.action_submit()
        self.assertEqual(claim.state, "draft")
        self.company.after_sales_expense_claim_days = 10
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")

    def test_receipts_required(self):
        claim = self._claim(receipt=False)
        with self.assertRaisesRegex(UserError, "receipt"):
            claim.action_submit()

    def test_rejected_with_reason_creates_no_bill(self):
        claim = self._claim()
        claim.action_submit()
        with self.assertRaises(UserError):
            claim.sudo(self.user_manager).action_reject(reason="")
        claim.sudo(self.user_manager).action_reject(reason="Receipt unreadable")
        self.assertEqual((claim.state, claim.reject_reason), ("rejected", "Receipt unreadable"))
        self.assertFalse(claim.sudo().bill_id)
        claim.action_reset()
        self.assertEqual(claim.state, "draft")

    def test_technicians_see_their_own(self):
        mine = self._claim()
        other = self.Claim.create({"user_id": self.user_as.id, "line_ids": [
            (0, 0, {"name": "x", "amount": 1.0})]})
        visible = self.Claim.sudo(self.user_technician).search([("id", "in", (mine | other).ids)])
        self.assertEqual(visible, mine)
