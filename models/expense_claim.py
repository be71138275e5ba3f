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
# the claim's categories (报销内容, 001-4 第四节(二)): business travel, repair material,
# necessary entertainment, other (freight…)
EXPENSE_TYPES = [("travel", "Business Travel"), ("material", "Repair Material"),
                 ("entertainment", "Entertainment"), ("other", "Other (e.g. Freight)")]
GROUP_PURCHASING = "after_sales_service.group_purchasing"


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
                     "bill_id",
                     # the weekly cycle, the purchasing confirmation (001-4 第四节(三))
                     "date_claim", "date_finance", "purchase_state", "purchase_user_id",
                     "date_purchase_confirmed")

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

    # ------------------------------------------------------------------ weekly cycle and
    # signatures (001-4 第四节(三)1, 5)
    date_claim = fields.Date("Claim Day", readonly=True, copy=False, index=True,
                             help="The claim day the claim is handed to the manager on: the "
                                  "day of submission when it is the company's claim day, "
                                  "else the next one.")
    date_finance = fields.Date("Finance Day", readonly=True, copy=False, index=True,
                               help="The day finance processes the claim: the company's "
                                    "finance day on or after the claim day.")
    purchase_state = fields.Selection([
        ("none", "Not Needed"), ("to_confirm", "To Confirm"), ("confirmed", "Confirmed"),
    ], "Purchasing Confirmation", default="none", required=True, readonly=True, copy=False,
        index=True, track_visibility="onchange",
        help="Repair material expenses are valid only once the purchasing manager has "
             "confirmed and signed them.")
    purchase_user_id = fields.Many2one("res.users", "Confirmed by Purchasing", readonly=True,
                                       copy=False)
    date_purchase_confirmed = fields.Datetime("Purchasing Confirmed On", readonly=True,
                                              copy=False)
    handler_ids = fields.Many2many(
        "res.users", "after_sales_expense_claim_handler_rel", "claim_id", "user_id",
        "Also Handled By", readonly=True, states={"draft": [("readonly", False)]},
        help="The other technicians who handled the matter: each signs the claim "
             "(每一经手人都应在报销单上签字) before the manager registers it.")
    signature_ids = fields.One2many("after_sales.expense.claim.signature", "claim_id",
                                    "Handlers' Signatures", readonly=True, copy=False)
    signatures_missing = fields.Char(compute="_compute_signatures")
    can_sign = fields.Boolean(compute="_compute_signatures")

    @api.depends("user_id", "handler_ids", "signature_ids.user_id", "state")
    def _compute_signatures(self):
        for claim in self:
            missing = claim._missing_signers()
            claim.signatures_missing = ", ".join(missing.mapped("name")) or False
            claim.can_sign = claim.state == "submitted" and self.env.user in missing

    def _missing_signers(self):
        """The other handlers who have not signed yet (the claimant signs by submitting)."""
        self.ensure_one()
        claim = self.sudo()
        return claim.handler_ids - claim.user_id - claim.signature_ids.mapped("user_id")

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
        today = fields.Date.context_today(self)
        Company = self.env["res.company"]
        for claim in self:
            company = claim.company_id
            day = Company.after_sales_next_weekday(today, company.after_sales_expense_claim_weekday)
            finance = Company.after_sales_next_weekday(
                day, company.after_sales_expense_finance_weekday)
            material = "material" in claim.line_ids.mapped("expense_type")
            claim.write({"state": "submitted", "date_claim": fields.Date.to_string(day),
                         "date_finance": fields.Date.to_string(finance),
                         "purchase_state": "to_confirm" if material else "none"})
            # submitting is the claimant's own signature (经手人签字)
            claim._add_signature()
            if fields.Date.to_string(day) != today:
                claim.message_post(body=_("Submitted outside the claim day: queued to the "
                                          "claim day %(day)s, finance on %(finance)s.")
                                   % {"day": day, "finance": finance},
                                   subtype="mail.mt_note")
        self._sync_approval_activities()
        return True

    def _add_signature(self):
        self.env["after_sales.expense.claim.signature"].sudo().create(
            {"claim_id": self.id, "user_id": self.env.uid})

    @api.multi
    @document_action
    def action_sign(self):
        """A technician who handled the claim signs it, himself (who and when are kept)."""
        for claim in self:
            if claim.state != "submitted":
                raise UserError(_("%s is not submitted: handlers sign a submitted claim.")
                                % claim.name)
            if self.env.user not in claim._missing_signers():
                raise UserError(_("You are not a handler of %s still to sign it.")
                                % claim.name)
            claim._add_signature()
        return True

    @api.multi
    @document_action
    def action_confirm_purchasing(self):
        """The purchasing manager confirms and signs the repair material expenses."""
        self._approve_step("purchasing")
        return True

    def _check_ready_for_manager(self):
        """The manager registers a claim its handlers have all signed and whose material
        purchasing has confirmed."""
        for claim in self:
            missing = claim._missing_signers()
            if missing:
                raise UserError(_("%(claim)s still needs the signature of: %(users)s")
                                % {"claim": claim.name,
                                   "users": ", ".join(missing.mapped("name"))})
            if claim.purchase_state == "to_confirm":
                raise UserError(_("%s claims repair material: the purchasing manager "
                                  "confirms it first.") % claim.name)
        return True

    @api.multi
    def _sync_approval_activities(self, feedback=None):
        """The manager's to-do is due on the claim day, finance's on the finance day."""
        result = super(ExpenseClaim, self)._sync_approval_activities(feedback)
        activity_type = self.env.ref(self._approval_activity)
        for claim in self.sudo():
            due = {"submitted": claim.date_claim, "manager_approved": claim.date_finance}
            deadline = due.get(claim.state)
            label = self._get_approval_step(
                "manager" if claim.state == "submitted" else "finance").label
            activities = claim.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type and label in (a.summary or ""))
            if deadline and activities:
                activities.write({"date_deadline": deadline})
        return result

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
            # in parallel with the manager's step, on claims of repair material
            ApprovalStep("purchasing", _("Purchasing manager's confirmation"), "to_confirm",
                         "confirmed", GROUP_PURCHASING, user_field="purchase_user_id",
                         date_field="date_purchase_confirmed", field="purchase_state",
                         denied=_("Only the purchasing manager confirms repair material "
                                  "expenses."),
                         refused=_("These claims have no repair material to confirm: %s")),
        ]

    @api.multi
    @document_action
    def action_approve_manager(self):
        self._check_step("manager")
        self._check_ready_for_manager()
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
        self._reject_step(reason)
        # a rejected claim waits for no confirmation any more
        pending = self.filtered(lambda c: c.purchase_state == "to_confirm")
        if pending:
            pending.write({"purchase_state": "none"})
            pending._sync_approval_activities(_("Rejected: %s") % reason)
        return True

    @api.multi
    def action_reject_wizard(self):
        return self._open_reason_wizard("reject", _("Reject Claim"))

    @api.multi
    @document_action
    def action_reset(self):
        if any(claim.state != "rejected" for claim in self):
            raise UserError(_("Only rejected claims go back to draft."))
        self.write({"state": "draft", "manager_id": False, "finance_id": False,
                    "general_manager_id": False, "purchase_state": "none",
                    "purchase_user_id": False, "date_purchase_confirmed": False,
                    "date_claim": False, "date_finance": False})
        # signed again when submitted again
        self.sudo().mapped("signature_ids").unlink()
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


class ExpenseClaimSignature(models.Model):
    """A handler's signature of an expense claim: who signed, when. Created only by the
    claim's actions (submission, action_sign), never written."""

    _name = "after_sales.expense.claim.signature"
    _description = "Expense Claim Signature"
    _order = "claim_id, date, id"

    claim_id = fields.Many2one("after_sales.expense.claim", required=True, index=True,
                               ondelete="cascade")
    company_id = fields.Many2one(related="claim_id.company_id", store=True, readonly=True)
    user_id = fields.Many2one("res.users", "Signed By", required=True)
    date = fields.Datetime("Signed On", required=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("user_uniq", "unique (claim_id, user_id)", "Each handler signs a claim once."),
    ]
