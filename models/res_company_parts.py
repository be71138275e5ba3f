# -*- coding: utf-8 -*-
from odoo import _, fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    """Where the cost of parts sent free in warranty (三包) is booked."""

    _inherit = "res.company"

    after_sales_warranty_account_id = fields.Many2one(
        "account.account", "Warranty Expense Account", domain=[("deprecated", "=", False)],
        help="Parts sent free in warranty are booked to this expense account when their "
             "transfer is validated.")
    after_sales_warranty_journal_id = fields.Many2one(
        "account.journal", "Warranty Cost Journal",
        help="Journal of the warranty cost entries; the first miscellaneous journal if empty.")

    def _after_sales_warranty_journal(self):
        self.ensure_one()
        journal = self.after_sales_warranty_journal_id or self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.id)], limit=1)
        if not journal:
            raise UserError(_("Set the warranty cost journal of company %s.") % self.name)
        return journal
