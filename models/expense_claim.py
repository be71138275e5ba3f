# -*- coding: utf-8 -*-
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .document_mixin import ApprovalStep, document_action

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("manager_approved", "Approved by the Manager"),
    ("finance_approved", "Checked by Finance"),
    ("approved", "Approved by the General Manager"),
    ("rejected", "Rejected"),
]
EXPENSE_TYPES = [("travel", "Travel"), ("material", "Material"), ("other", "Other")]


class ExpenseClaim(models.Model):
    """A technician's claim for travel and material expenses of visits, approved
    manager → finance → general manager, then paid through a vendor bill (spec §3)."""

    _name = "after_sales.expense.claim"
    _description = "Technician Expense Claim"
    _inherit = ["after_sales.numbered.document", "after_sales.charge.mixin"]
    _sequence_code = "after_sales.expense.claim"
    _order = "id desc"
    _reason_actions = ("reject",)
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "manager_id", "finance_id", "general_manager_id", "reject_reason",
                     "bill_id")

    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    user_id = fields.Many2one("res.users", "Technician", required=True, index=True,
                              default=lambda self: self.env.user,
                              readonly=True, states={"draft": [("readonly", False)]})
    visit_ids = fields.Many2many("after_sales.visit", string="Visits",
                                 readonly=True, states={"draft": [("readonly", False)]})
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    line_ids = fields.One2many("after_sales.expense.claim.line", "claim_id", "Expenses",
                               readonly=True, states={"draft": [("readonly", False)]})
    amount_total = fields.Monetary("Total", compute="_compute_amount_total", store=True)
    manager_id = fields.Many2one("res.users", "Manager Approval", readonly=True, copy=False)
    finance_id = fields.Many2one("res.users", "Finance Check", readonly=True, copy=False)
    general_manager_id = fields.Many2one("res.users", "General Manager Approval", readonly=True,
                                         copy=False)
    reject_reason = fields.Char("Rejection Reason", readonly=True, copy=False,
                                track_visibility="onchange")
    bill_id = fields.Many2one("account.invoice", "Vendor Bill", readonly=True, copy=False)

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for claim in self:
            claim.amount_total = sum(claim.line_ids.mapped("amount"))

    @api.multi
    def unlink(self):
        if any(claim.state != "draft" for claim in self):
            raise UserError(_("Only draft claims can be deleted."))
        return super(ExpenseClaim, self).unlink()

    # ------------------------------------------------------------------ actions

    @api.multi
    @document_action
    def action_submit(self):
        for claim in self:
            if claim.state != "draft":
                raise UserError(_("Only draft claims can be submitted."))
            claim._check_lines()
        self.write({"state": "submitted"})
        self._sync_approval_activities()
        return True

    def _check_lines(self):
        """Lines with receipts, none older than the claim period (claims are weekly)."""
        if not self.line_ids:
            raise UserError(_("Add the expenses to claim."))
        days = self.company_id.after_sales_expense_claim_days
        oldest = fields.Date.to_string(fields.Date.from_string(fields.Date.context_today(self))
                                       - timedelta(days=days))
        too_old = self.line_ids.filtered(lambda l: l.date < oldest)
        if too_old:
            raise UserError(_("Expenses older than %(days)s days can't be claimed any more: "
                              "%(expenses)s") % {"days": days,
                                                 "expenses": ", ".join(too_old.mapped("name"))})
        without_receipt = self.line_ids.filtered(lambda l: not l.attachment_ids)
        if without_receipt:
            raise UserError(_("Attach the receipt of: %s")
                            % ", ".join(without_receipt.mapped("name")))

    @api.model
    def _approval_steps(self):
        """Manager, then finance, then the general manager (spec §3)."""
        refused = _("These claims are not at this approval step: %s")
        denied = _("You can't give this approval.")
        return [
            ApprovalStep("manager", _("Manager's approval"), "submitted", "manager_approved",
                         "after_sales_service.group_manager", user_field="manager_id",
                         reject_state="rejected", tile="expense_manager", denied=denied,
                         refused=refused),
            ApprovalStep("finance", _("Finance check"), "manager_approved", "finance_approved",
                         "account.group_account_invoice", user_field="finance_id",
                         reject_state="rejected", tile="expense_finance", denied=denied,
                         refused=refused),
            ApprovalStep("general_manager", _("General manager's approval"),
                         "finance_approved", "approved",
                         "after_sales_service.group_general_manager",
                         user_field="general_manager_id", reject_state="rejected",
                         tile="expense_gm", denied=denied, refused=refused),
        ]

    @api.multi
    @document_action
    def action_approve_manager(self):
        self._approve_step("manager")
        return True

    @api.multi
    @document_action
    def action_approve_finance(self):
        self._approve_step("finance")
        return True

    @api.multi
    @document_action
    def action_approve_general_manager(self):
        """The last approval: the claim is paid through a vendor bill to the technician."""
        self._approve_step("general_manager")
        for claim in self:
            claim.sudo().bill_id = claim._create_charge_invoice(
                claim.user_id.partner_id, claim._prepare_bill_lines(), claim.name,
                invoice_type="in_invoice", company=claim.company_id)
        return True

    def _prepare_bill_lines(self):
        product = self.env.ref("after_sales_service.product_expense")
        return [(product, 1.0, line.amount, "%s: %s" % (line.date, line.name))
                for line in self.line_ids]

    @api.multi
    @document_action
    def action_reject(self, reason=None):
        return self._reject_step(reason)

    @api.multi
    def action_reject_wizard(self):
        return self._open_reason_wizard("reject", _("Reject Claim"))

    @api.multi
    @document_action
    def action_reset(self):
        if any(claim.state != "rejected" for claim in self):
            raise UserError(_("Only rejected claims go back to draft."))
        self.write({"state": "draft", "manager_id": False, "finance_id": False,
                    "general_manager_id": False})
        return True


class ExpenseClaimLine(models.Model):
    _name = "after_sales.expense.claim.line"
    _inherit = ["after_sales.document.line"]
    _description = "Expense Claim Line"
    _header_field = "claim_id"
    _order = "date, id"

    claim_id = fields.Many2one("after_sales.expense.claim", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="claim_id.currency_id", readonly=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    expense_type = fields.Selection(EXPENSE_TYPES, "Type", required=True, default="travel")
    name = fields.Char("Description", required=True)
    amount = fields.Monetary(required=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Receipts")

    @api.constrains("amount")
    def _check_amount(self):
        if any(line.amount <= 0 for line in self):
            raise ValidationError(_("An expense amount must be positive."))
