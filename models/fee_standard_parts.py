# -*- coding: utf-8 -*-
from odoo import api, fields, models


class FeeStandard(models.Model):
    """The warranty cost accounts are set on the fee standard form by the after-sales manager
    (who may not edit companies): stored on the company."""

    _inherit = "after_sales.fee.standard"

    warranty_account_id = fields.Many2one(
        "account.account", "Warranty Expense Account", compute="_compute_warranty_accounts",
        inverse="_inverse_warranty_accounts", domain=[("deprecated", "=", False)],
        help="Parts sent free in warranty are booked to this expense account when their "
             "transfer is validated.")
    warranty_journal_id = fields.Many2one(
        "account.journal", "Warranty Cost Journal", compute="_compute_warranty_accounts",
        inverse="_inverse_warranty_accounts",
        help="Journal of the warranty cost entries; the first miscellaneous journal if empty.")

    @api.depends("company_id.after_sales_warranty_account_id",
                 "company_id.after_sales_warranty_journal_id")
    def _compute_warranty_accounts(self):
        for standard in self:
            company = standard.company_id.sudo()
            standard.warranty_account_id = company.after_sales_warranty_account_id
            standard.warranty_journal_id = company.after_sales_warranty_journal_id

    def _inverse_warranty_accounts(self):
        # writing the fee standard is the manager's right (access rules): the company follows
        self.check_access_rights("write")
        self.check_access_rule("write")
        for standard in self:
            standard.company_id.sudo().write({
                "after_sales_warranty_account_id": standard.warranty_account_id.id,
                "after_sales_warranty_journal_id": standard.warranty_journal_id.id,
            })
