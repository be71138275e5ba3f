# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .document_mixin import ApprovalStep, document_action

TYPES = [
    ("refund", "Refund"),
    ("compensation", "Compensation"),
]
METHODS = [
    ("credit_note", "Credit Note"),
    ("payment", "Payment to the Customer"),
]
STATES = [
    ("draft", "Proposed"),
    ("to_review", "Quality Review"),
    ("to_approve", "General Manager's Approval"),
    ("approved", "To Execute"),
    ("done", "Executed"),
    ("cancel", "Cancelled"),
]
# what the proposal says; frozen once submitted
PROPOSAL_FIELDS = ("return_id", "request_id", "compensation_type", "method", "amount",
                   "description")


class ReturnCompensation(models.Model):
    """A write-off or compensation (下帐和赔偿) proposed by the after-sales department.

    A compensation without returned goods, or above the company's limit, is reviewed by the
    quality manager and then approved by the general manager; any other one is approved on
    submission. Finance executes it: a credit note (out_refund) against the original invoice
    when known, or a vendor bill to the customer (a payment to them)."""

    _name = "after_sales.return.compensation"
    _inherit = ["after_sales.charge.mixin", "after_sales.document.mixin"]
    _description = "Write-off and Compensation"
    _order = "return_id, id"
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "proposed_by_id", "date_proposed", "reviewed_by_id",
                     "date_reviewed", "approved_by_id", "date_approved", "executed_by_id",
                     "date_executed", "invoice_id")

    return_id = fields.Many2one("after_sales.return", "Return Case",
                                ondelete="cascade", index=True)
    # a repair not done in the agreed time is compensated from its request (indicators),
    # with the same limit and approvals; it has no returned goods
    request_id = fields.Many2one("after_sales.request", "Late Request", ondelete="restrict",
                                 index=True,
                                 help="The service request whose repair was not done in the "
                                      "agreed time.")
    company_id = fields.Many2one("res.company", compute="_compute_case_fields", store=True,
                                 readonly=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_case_fields",
                                  readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", compute="_compute_case_fields",
                                 store=True, readonly=True)
    original_invoice_id = fields.Many2one("account.invoice", "Original Invoice",
                                          related="return_id.invoice_id", readonly=True)
    compensation_type = fields.Selection(TYPES, "Type", required=True, default="refund")
    method = fields.Selection(METHODS, required=True,
                              help="A credit note is made against the original invoice of the "
                                   "case when it is known; a payment is a vendor bill to the "
                                   "customer.")
    amount = fields.Monetary(required=True)
    description = fields.Char(required=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True,
                             copy=False, index=True)
    needs_approval = fields.Boolean(
        compute="_compute_needs_approval",
        help="Without returned goods, or above the company's approval limit: quality manager "
             "review, then general manager approval.")

    proposed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_proposed = fields.Datetime("Proposed On", readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_reviewed = fields.Datetime("Reviewed On", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime("Approved On", readonly=True, copy=False)
    executed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_executed = fields.Datetime("Executed On", readonly=True, copy=False)
    invoice_id = fields.Many2one("account.invoice", "Credit Note / Bill", readonly=True,
                                 copy=False)
    amount_executed = fields.Monetary("Executed Amount", compute="_compute_amount_executed")

    can_be_submitted = fields.Boolean(compute="_compute_can_be")
    can_be_reviewed = fields.Boolean(compute="_compute_can_be")
    can_be_approved = fields.Boolean(compute="_compute_can_be")
    can_be_executed = fields.Boolean(compute="_compute_can_be")
    can_be_cancelled = fields.Boolean(compute="_compute_can_be")

    _sql_constraints = [
        ("amount_positive", "CHECK (amount > 0)", "The amount must be positive."),
        ("one_case", "CHECK ((return_id IS NULL) != (request_id IS NULL))",
         "A compensation belongs to a return case or to a late request."),
    ]

    @api.depends("return_id.company_id", "return_id.partner_id", "request_id.company_id",
                 "request_id.partner_id")
    def _compute_case_fields(self):
        for compensation in self:
            # read as superuser: finance executes compensation without reading requests
            case = compensation.return_id or compensation.request_id.sudo()
            compensation.company_id = case.company_id
            compensation.currency_id = case.company_id.currency_id
            compensation.partner_id = case.partner_id

    @api.onchange("return_id")
    def _onchange_return_id(self):
        if self.return_id:
            self.method = "credit_note" if self.return_id.invoice_id else "payment"

    # ------------------------------------------------------------------ create / write

    @api.model
    def create(self, vals):
        if not vals.get("method") and vals.get("request_id"):
            vals = dict(vals, method="payment")  # a request has no invoice to credit
        if not vals.get("method") and vals.get("return_id"):
            case = self.env["after_sales.return"].browse(vals["return_id"])
            vals["method"] = "credit_note" if case.invoice_id else "payment"
        compensation = super(ReturnCompensation, self).create(vals)
        compensation._check_case_open()
        return compensation

    @api.multi
    def write(self, vals):
        if set(PROPOSAL_FIELDS) & set(vals) and any(c.state != "draft" for c in self):
            raise UserError(_("A submitted write-off or compensation can't be changed: cancel "
                              "it and propose a new one."))
        return super(ReturnCompensation, self).write(vals)

    @api.multi
    def unlink(self):
        if any(c.state != "draft" for c in self):
            raise UserError(_("Only a proposal not yet submitted can be deleted: cancel it."))
        return super(ReturnCompensation, self).unlink()

    def _check_case_open(self):
        closed = self.filtered(lambda c: c.return_id.state in ("done", "cancel"))
        if closed:
            raise UserError(_("The case %s is closed.") % ", ".join(
                closed.mapped("return_id.name")))
        on_time = self.sudo().mapped("request_id").filtered(lambda r: not r._is_past_agreed_time())
        if on_time:
            raise UserError(_("Request %s was done in the agreed time: no delay compensation.")
                            % ", ".join(on_time.mapped("name")))

    # ------------------------------------------------------------------ computes

    @api.depends("amount", "return_id.has_goods", "company_id.after_sales_compensation_limit")
    def _compute_needs_approval(self):
        for compensation in self:
            limit = compensation.company_id.after_sales_compensation_limit
            above = float_compare(compensation.amount, limit,
                                  precision_rounding=compensation.currency_id.rounding or 0.01) > 0
            # a late request's compensation has no returned goods
            compensation.needs_approval = above or not compensation.return_id.has_goods

    @api.depends("invoice_id.state", "invoice_id.amount_total")
    def _compute_amount_executed(self):
        for compensation in self:
            invoice = compensation.invoice_id.sudo()
            executed = invoice.state in ("open", "paid")
            compensation.amount_executed = invoice.amount_total if executed else 0.0

    @api.depends("state", "return_id.state", "request_id.state")
    def _compute_can_be(self):
        for compensation in self:
            state = compensation.state
            if compensation.request_id:
                case_open = compensation.request_id.sudo().state != "cancel"
            else:
                case_open = compensation.return_id.state not in ("draft", "done", "cancel")
            compensation.can_be_submitted = state == "draft" and case_open
            compensation.can_be_reviewed = state == "to_review"
            compensation.can_be_approved = state == "to_approve"
            compensation.can_be_executed = state == "approved"
            compensation.can_be_cancelled = state not in ("done", "cancel")

    # ------------------------------------------------------------------ actions

    @api.multi
    @document_action
    def action_submit(self):
        """Sales confirm the write-off and compensation (销售确认下帐和赔偿)."""
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department proposes compensation."))
        self._check_can("can_be_submitted", _("These proposals can't be submitted (the case "
                                              "must be confirmed and open): %s"))
        values = {"proposed_by_id": self.env.uid, "date_proposed": fields.Datetime.now()}
        to_review = self.filtered("needs_approval")
        to_review.write(dict(values, state="to_review"))
        (self - to_review).write(dict(values, state="approved"))
        self._notify_case(_("Write-off and compensation proposed: %s"))
        return True

    @api.model
    def _approval_steps(self):
        """Quality manager's review, general manager's approval, finance's execution."""
        return [
            ApprovalStep("review", _("Quality review"), "to_review", "to_approve",
                         "after_sales_service.group_quality",
                         user_field="reviewed_by_id", date_field="date_reviewed",
                         tile="compensation_quality",
                         denied=_("Only the quality manager reviews compensation."),
                         refused=_("These proposals are not waiting for the quality manager's "
                                   "review: %s")),
            ApprovalStep("approve", _("General manager's approval"), "to_approve", "approved",
                         "after_sales_service.group_general_manager",
                         user_field="approved_by_id", date_field="date_approved",
                         tile="compensation_gm",
                         denied=_("Only the general manager approves this compensation."),
                         refused=_("The quality manager reviews these proposals before the "
                                   "general manager approves them: %s")),
            ApprovalStep("execute", _("Execution by finance"), "approved", "done",
                         "account.group_account_invoice",
                         user_field="executed_by_id", date_field="date_executed",
                         tile="compensation_finance",
                         denied=_("Only finance executes write-offs and compensation."),
                         refused=_("These proposals are not approved: %s")),
        ]

    @api.multi
    @document_action
    def action_review(self):
        """The quality manager's review (质量经理审核)."""
        self._approve_step("review")
        self._notify_case(_("Compensation reviewed by quality: %s"))
        return True

    @api.multi
    @document_action
    def action_approve(self):
        """The general manager's approval (总经理批准), after the quality manager's review."""
        self._approve_step("approve")
        self._notify_case(_("Compensation approved by the general manager: %s"))
        return True

    @api.multi
    @document_action
    def action_execute(self):
        """Finance executes: the credit note or the bill is created and validated."""
        self._check_step("execute")
        for compensation in self:
            invoice = self.env["account.invoice"].create(compensation._prepare_invoice_vals())
            invoice.action_invoice_open()
            compensation._reconcile_with_original(invoice)
            compensation.write({"invoice_id": invoice.id})
        self._approve_step("execute")
        self._notify_case(_("Write-off and compensation executed: %s"))
        return True

    def _reconcile_with_original(self, refund):
        """A credit note against an original invoice still open settles it, as Odoo's refund
        wizard does: the credit note's receivable item is reconciled with the invoice's (the
        invoice's amount due drops by the credit, and it is paid when fully credited)."""
        self.ensure_one()
        original = refund.refund_invoice_id
        if refund.type != "out_refund" or not original or original.state != "open":
            return False
        lines = refund.move_id.line_ids.filtered(
            lambda l: l.account_id == original.account_id and not l.reconciled)
        if not lines:
            return False
        original.register_payment(lines)
        return True

    @api.multi
    @document_action
    def action_cancel(self):
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department can do this."))
        self._check_can("can_be_cancelled", _("Executed proposals can't be cancelled: %s"))
        self.write({"state": "cancel"})
        return True

    def _notify_case(self, message):
        for compensation in self:
            (compensation.return_id or compensation.request_id).sudo().message_post(
                body=message % compensation.display_name, subtype="mail.mt_note",
                author_id=self.env.user.partner_id.id)

    @api.multi
    def name_get(self):
        types = dict(self._fields["compensation_type"]._description_selection(self.env))
        return [(c.id, "%s %s %s %s" % ((c.return_id or c.request_id.sudo()).name,
                                         types[c.compensation_type],
                                         c.amount, c.currency_id.name or ""))
                for c in self]

    # ------------------------------------------------------------------ invoice

    def _invoice_type(self):
        return "out_refund" if self.method == "credit_note" else "in_invoice"

    def _prepare_invoice_vals(self):
        """A credit note against the original invoice (same partner, account, journal,
        currency), or a vendor bill to the customer, with one untaxed line of the exact
        amount."""
        self.ensure_one()
        case = self.return_id or self.request_id.sudo()
        inv_type = self._invoice_type()
        original = self.return_id.invoice_id if inv_type == "out_refund" \
            else self.env["account.invoice"]
        product = self.env.ref("after_sales_service.product_return_compensation")
        vals = self._prepare_charge_invoice_vals(
            original.partner_id or case.partner_id,
            [(product, 1.0, self.amount, "%s: %s" % (case.name, self.description))],
            original.number and "%s, %s" % (case.name, original.number) or case.name,
            inv_type, case.company_id)
        vals["invoice_line_ids"][0][2]["invoice_line_tax_ids"] = [(6, 0, [])]
        if original:
            vals.update(journal_id=original.journal_id.id, account_id=original.account_id.id,
                        fiscal_position_id=original.fiscal_position_id.id)
        vals.update({
            "currency_id": (original.currency_id or case.currency_id).id,
            "refund_invoice_id": original.id, "name": self.description,
            "date_invoice": fields.Date.context_today(self),
            "after_sales_return_id": self.return_id.id,
        })
        return vals
