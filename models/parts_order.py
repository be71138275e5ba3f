# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools.misc import formatLang, html_escape

from .document_mixin import REFERENCE_LENGTH, TEXT_LENGTH, ApprovalStep, document_action
from .request_selections import SHIPPING_METHODS

STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("shipped", "Shipped"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]
PICKING_STATES = [
    ("draft", "Draft"),
    ("waiting", "Waiting Another Operation"),
    ("confirmed", "Waiting"),
    ("assigned", "Ready"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
# the least advanced state of several open pickings is the one shown
PICKING_STATE_ORDER = ["draft", "waiting", "confirmed", "partially_available", "assigned"]


class PartsOrder(models.Model):
    """Outbound order (出库单 / 配件更换): parts sent to a customer, approved by the after-sales
    manager, issued from the parts store by a real picking, invoiced to the customer out of
    warranty or booked to warranty expense in warranty; the replaced old parts come back."""

    _name = "after_sales.parts.order"
    _description = "Parts Outbound Order"
    _inherit = ["after_sales.numbered.document", "after_sales.charge.mixin"]
    _sequence_code = "after_sales.parts.order"
    _order = "id desc"
    _reason_actions = ("reject",)
    _approval_activity = "after_sales_service.mail_activity_type_parts_approval"
    _text_limits = {"carrier_tracking_ref": REFERENCE_LENGTH, "note": TEXT_LENGTH,
                    "reject_reason": TEXT_LENGTH}
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "approved_by_id", "date_approved", "reject_reason", "date_shipped")

    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    request_id = fields.Many2one("after_sales.request", "Service Request", index=True,
                                 readonly=True, states={"draft": [("readonly", False)]},
                                 track_visibility="onchange")
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 readonly=True, states={"draft": [("readonly", False)]},
                                 track_visibility="onchange")
    partner_shipping_id = fields.Many2one(
        "res.partner", "Recipient", readonly=True,
        states={"draft": [("readonly", False)], "to_approve": [("readonly", False)]},
        help="Who receives the parts, at this contact's address; the customer if empty.")
    user_id = fields.Many2one("res.users", "Prepared By", default=lambda self: self.env.user,
                              track_visibility="onchange")
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, readonly=True,
        states={"draft": [("readonly", False)], "to_approve": [("readonly", False)]},
        default=lambda self: self._default_warehouse())
    location_id = fields.Many2one(related="warehouse_id.after_sales_parts_location_id",
                                  string="Parts Store", readonly=True)
    shipping_method = fields.Selection(SHIPPING_METHODS, required=True,
                                       default="courier", track_visibility="onchange")
    carrier_tracking_ref = fields.Char("Tracking Number", copy=False,
                                       track_visibility="onchange")
    date_expected = fields.Date("Expected Date")
    chargeable = fields.Boolean(
        "Charged to Customer", readonly=True,
        states={"draft": [("readonly", False)], "to_approve": [("readonly", False)]},
        track_visibility="onchange",
        help="Out of warranty: parts at the fee standard's price plus postage are invoiced to "
             "the customer. Decided by the service request's warranty when there is one.")
    line_ids = fields.One2many("after_sales.parts.order.line", "order_id", "Parts", copy=True,
                               readonly=True, states={"draft": [("readonly", False)],
                                                      "to_approve": [("readonly", False)]})
    note = fields.Text("Notes")

    # approval (售后服务部经理签字批准)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False,
                                     track_visibility="onchange")
    date_approved = fields.Datetime("Approved On", readonly=True, copy=False)
    reject_reason = fields.Text("Rejection Reason", readonly=True, copy=False,
                                track_visibility="onchange")
    date_shipped = fields.Datetime("Shipped On", readonly=True, copy=False)

    # stock
    picking_ids = fields.One2many("stock.picking", "after_sales_parts_order_id", "Transfers",
                                  readonly=True, copy=False,
                                  groups="stock.group_stock_user,"
                                         "after_sales_service.group_technician")
    picking_count = fields.Integer("Transfers", compute="_compute_stock_info")
    picking_state = fields.Selection(PICKING_STATES, "Transfer Status",
                                     compute="_compute_stock_info")
    stock_warning = fields.Boolean("Not Enough Stock", compute="_compute_stock_warning")

    # money
    invoice_ids = fields.One2many("account.invoice", "after_sales_parts_order_id", "Invoices",
                                  readonly=True, copy=False,
                                  groups="account.group_account_invoice")
    invoice_count = fields.Integer("Invoices", compute="_compute_invoice_info")
    amount_invoiced = fields.Monetary("Invoice Total", compute="_compute_invoice_info",
                                      help="Total of the order's invoices, drafts included.")
    warranty_move_ids = fields.One2many("account.move", "after_sales_parts_order_id",
                                        "Warranty Cost Entries", readonly=True, copy=False,
                                        groups="account.group_account_invoice")
    warranty_cost = fields.Monetary(compute="_compute_warranty_cost")
    amount_parts = fields.Monetary("Parts (Fee Standard)", compute="_compute_amounts")
    amount_postage = fields.Monetary("Postage (Fee Standard)", compute="_compute_amounts")
    amount_total = fields.Monetary("Total to Charge", compute="_compute_amounts")

    # old parts (旧件)
    old_part_ids = fields.One2many("after_sales.old.part", "order_id", "Old Parts", copy=False)
    old_part_count = fields.Integer("Old Parts", compute="_compute_old_parts")
    old_parts_expected = fields.Boolean("Old Parts Expected Back",
                                        compute="_compute_old_parts")

    # buttons
    can_be_submitted = fields.Boolean(compute="_compute_can_be")
    can_be_approved = fields.Boolean(compute="_compute_can_be")
    can_be_rejected = fields.Boolean(compute="_compute_can_be")
    can_be_cancelled = fields.Boolean(compute="_compute_can_be")
    can_be_reset = fields.Boolean(compute="_compute_can_be")
    can_receive_old_parts = fields.Boolean(compute="_compute_can_be")

    _sql_constraints = [
        ("name_company_uniq", "unique (name, company_id)",
         "The outbound order number must be unique."),
    ]

    # ------------------------------------------------------------------ defaults, create

    @api.model
    def create(self, vals):
        if vals.get("request_id"):
            request = self.env["after_sales.request"].browse(vals["request_id"])
            vals.setdefault("partner_id", request.partner_id.id)
            vals["chargeable"] = not request.in_warranty
        return super(PartsOrder, self).create(vals)

    @api.multi
    def unlink(self):
        if any(order.state != "draft" for order in self):
            raise UserError(_("Only draft outbound orders can be deleted: cancel it instead."))
        return super(PartsOrder, self).unlink()

    @api.onchange("request_id")
    def _onchange_request_id(self):
        request = self.request_id
        if request:
            self.partner_id = request.partner_id
            self.chargeable = not request.in_warranty

    # ------------------------------------------------------------------ computes

    @api.depends("state", "line_ids", "line_ids.old_part_expected", "old_part_ids")
    def _compute_can_be(self):
        for order in self:
            state = order.state
            order.can_be_submitted = state == "draft"
            order.can_be_approved = state == "to_approve"
            order.can_be_rejected = state == "to_approve"
            order.can_be_cancelled = state in ("draft", "to_approve", "approved")
            order.can_be_reset = state in ("rejected", "cancel")
            order.can_receive_old_parts = (
                state in ("approved", "shipped") and not order.old_part_ids
                and any(order.line_ids.mapped("old_part_expected")))

    @api.depends("line_ids.old_part_expected", "old_part_ids")
    def _compute_old_parts(self):
        for order in self:
            order.old_part_count = len(order.old_part_ids)
            order.old_parts_expected = any(order.line_ids.mapped("old_part_expected"))

    @api.depends("line_ids.stock_warning")
    def _compute_stock_warning(self):
        for order in self:
            order.stock_warning = any(order.line_ids.mapped("stock_warning"))

    @api.depends("picking_ids.state")
    def _compute_stock_info(self):
        """Number and status of the dispatch transfers (read as superuser: finance users see
        the status without stock rights)."""
        groups = self.env["stock.picking"].sudo().read_group(
            [("after_sales_parts_order_id", "in", self.ids)],
            ["after_sales_parts_order_id", "state"], ["after_sales_parts_order_id", "state"],
            lazy=False)
        states = {}
        for group in groups:
            states.setdefault(group["after_sales_parts_order_id"][0], {})[group["state"]] = \
                group["__count"]
        for order in self:
            counts = states.get(order.id, {})
            order.picking_count = sum(counts.values())
            order.picking_state = self._aggregate_picking_state(counts)

    @staticmethod
    def _aggregate_picking_state(counts):
        for state in PICKING_STATE_ORDER:
            if counts.get(state):
                return "confirmed" if state == "partially_available" else state
        if counts.get("done"):
            return "done"
        return "cancel" if counts else False

    def _compute_invoice_info(self):
        groups = self.env["account.invoice"].sudo().read_group(
            [("after_sales_parts_order_id", "in", self.ids), ("state", "!=", "cancel")],
            ["after_sales_parts_order_id", "amount_total"], ["after_sales_parts_order_id"])
        info = {g["after_sales_parts_order_id"][0]: g for g in groups}
        for order in self:
            group = info.get(order.id, {})
            order.invoice_count = group.get("after_sales_parts_order_id_count", 0)
            order.amount_invoiced = group.get("amount_total", 0.0)

    def _compute_warranty_cost(self):
        groups = self.env["account.move.line"].sudo().read_group(
            [("move_id.after_sales_parts_order_id", "in", self.ids),
             ("move_id.state", "=", "posted"), ("after_sales_warranty_cost", "=", True)],
            ["move_id", "balance"], ["move_id"])
        moves = self.env["account.move"].sudo().browse([g["move_id"][0] for g in groups])
        order_of_move = {move.id: move.after_sales_parts_order_id.id for move in moves}
        cost = {}
        for group in groups:
            order_id = order_of_move[group["move_id"][0]]
            cost[order_id] = cost.get(order_id, 0.0) + group["balance"]
        for order in self:
            order.warranty_cost = cost.get(order.id, 0.0)

    @api.depends("line_ids.price_subtotal", "shipping_method", "chargeable", "company_id")
    def _compute_amounts(self):
        Standard = self.env["after_sales.fee.standard"]
        for order in self:
            if not order.chargeable:
                order.amount_parts = order.amount_postage = order.amount_total = 0.0
                continue
            standard = Standard.for_company(order.company_id)
            order.amount_parts = sum(order.line_ids.mapped("price_subtotal"))
            order.amount_postage = standard.postage_price(order.shipping_method)
            order.amount_total = order.amount_parts + order.amount_postage

    # ------------------------------------------------------------------ workflow

    @api.model
    def _approval_steps(self):
        return [ApprovalStep(
            "approve", _("Manager's approval"), "to_approve", "approved", "after_sales_service.group_manager",
            user_field="approved_by_id", date_field="date_approved", reject_state="rejected",
            tile="parts_order_manager",
            denied=_("Only the after-sales manager can approve or reject outbound orders."),
            refused=_("Only outbound orders waiting for approval can be approved: %s"))]

    @api.multi
    def _approval_users(self, step):
        """The manager leading the request's team when they work for the order's company and
        did not prepare it, else a manager of the company (see the mixin)."""
        out = super(PartsOrder, self)._approval_users(step)
        managers = self._ref(step.group).sudo().users
        for order in self:
            leader = order._company_user(order.request_id.team_id.leader_id)
            if leader and leader in managers and leader not in (
                    order.sudo().create_uid | self.env.user):
                out[order.id] = leader
        return out

    @api.multi
    @document_action
    def action_submit(self):
        """Ask the after-sales manager's approval."""
        self._check_can("can_be_submitted", _("Only draft outbound orders can be submitted: %s"))
        empty = self.filtered(lambda o: not o.line_ids)
        if empty:
            raise UserError(_("Add the parts to send first: %s") % ", ".join(empty.mapped("name")))
        self.write({"state": "to_approve"})
        self._sync_approval_activities()
        return True

    @api.multi
    @document_action
    def action_approve(self):
        """售后服务部经理签字批准: the parts leave the store by a picking; out of warranty the
        customer invoice is drafted."""
        step = self._check_step("approve")
        self._sync_chargeable()
        self._check_approval_conditions()
        # one message per order: who approved (tracked), the transfer and the draft invoice
        tracking = self._step_tracking_start(
            [name for name in (step.field, step.user_field, step.date_field) if name])
        quiet = self.with_context(mail_notrack=True)
        quiet._approve_step("approve", {"reject_reason": False})
        pickings = quiet._create_pickings()
        invoices = quiet.filtered("chargeable")._create_invoices()
        self._post_step_message(tracking, {order.id: order._approval_message(
            pickings.get(order.id), invoices.get(order.id)) for order in self})
        self.mapped("request_id").filtered("can_be_set_waiting").action_set_waiting("parts")
        return True

    def _approval_message(self, picking, invoice):
        """What the approval made, a paragraph each (the transfer, the draft invoice)."""
        lines = []
        if picking:
            lines.append(_("Transfer %s created from the parts store.") % picking.name)
        if invoice:
            lines.append(_("Draft customer invoice created (total %s).") % formatLang(
                self.env, invoice.amount_total, currency_obj=invoice.currency_id))
        return "".join("<p>%s</p>" % html_escape(line) for line in lines)

    def _sync_chargeable(self):
        """The service request's warranty decision, as it stands at approval, decides."""
        for order in self.filtered("request_id"):
            chargeable = not order.request_id.in_warranty
            if order.chargeable != chargeable:
                order.chargeable = chargeable

    def _check_approval_conditions(self):
        for order in self:
            if not order.location_id:
                raise UserError(_("Warehouse %s has no after-sales parts store.")
                                % order.warehouse_id.name)
            if not order.chargeable and not order.company_id.after_sales_warranty_account_id:
                raise UserError(_("Set the warranty expense account of company %s (fee standard "
                                  "form) before approving parts sent in warranty.")
                                % order.company_id.name)
            if order.chargeable:
                self.env["after_sales.fee.standard"].for_company(order.company_id) \
                    .check_part_costs(order.line_ids.filtered("quantity").mapped("product_id"))
            order.line_ids._check_lots()

    @api.multi
    @document_action
    def action_reject(self, reason=None):
        return self._reject_step(reason)

    @api.multi
    def action_reject_wizard(self):
        self._check_step("approve")
        return self._open_reason_wizard("reject", _("Reject Outbound Order"))

    @api.multi
    @document_action
    def action_cancel(self):
        """Cancel the order and its transfers not done yet; parts already issued only come back
        by a return."""
        issued = self.filtered(lambda o: "done" in o.sudo().picking_ids.mapped("state"))
        if issued:
            raise UserError(_("The parts of %s have already left the store (transfer done): it "
                              "can't be cancelled. Reverse the transfer with a return instead.")
                            % ", ".join(issued.mapped("name")))
        self._check_can("can_be_cancelled", _("These outbound orders can't be cancelled: %s"))
        invoices = self.sudo().mapped("invoice_ids").filtered(lambda i: i.state != "cancel")
        validated = invoices.filtered(lambda i: i.state != "draft")
        if validated:
            raise UserError(_("Invoice %s is already validated: ask finance for a credit note "
                              "before cancelling.") % ", ".join(validated.mapped("number")))
        # cancelled first: the transfers cancelled next find the order already ended
        self.write({"state": "cancel"})
        self.sudo().mapped("picking_ids").filtered(lambda p: p.state != "cancel").action_cancel()
        invoices.action_invoice_cancel()
        self._sync_approval_activities(_("Cancelled"))
        self._resume_requests()
        return True

    def _resume_requests(self):
        """Requests waiting for these parts only go back in progress."""
        for request in self.mapped("request_id").filtered(
                lambda r: r.state == "waiting" and r.waiting_reason == "parts"):
            if all(o.state in ("cancel", "rejected") for o in request.parts_order_ids):
                request.action_resume()

    @api.multi
    @document_action
    def action_reset_draft(self):
        self._check_can("can_be_reset", _("Only rejected or cancelled outbound orders can be set "
                                          "back to draft: %s"))
        self.write({"state": "draft", "approved_by_id": False, "date_approved": False})
        return True

    # ------------------------------------------------------------------ stock

    def _customer_location(self):
        partner = self.partner_shipping_id or self.partner_id
        return (partner.property_stock_customer
                or self.env.ref("stock.stock_location_customers"))

    def _prepare_picking_vals(self):
        self.ensure_one()
        partner = self.partner_shipping_id or self.partner_id
        destination = self._customer_location()
        return {
            "picking_type_id": self.warehouse_id.after_sales_parts_type_id.id
            or self.warehouse_id.out_type_id.id,
            "partner_id": partner.id,
            "origin": self.name,
            "location_id": self.location_id.id,
            "location_dest_id": destination.id,
            "scheduled_date": self.date_expected or fields.Datetime.now(),
            "company_id": self.company_id.id,
            "after_sales_parts_order_id": self.id,
            "note": self.note,
            # the customer needs all the parts to repair: the transfer waits until all are there
            "move_type": "one",
            "move_lines": [(0, 0, line._prepare_move_vals(self.location_id, destination))
                           for line in self.line_ids],
        }

    def _create_pickings(self):
        """One outgoing transfer per order from the parts store, confirmed: the warehouse
        reserves it (Check Availability, the requested serial first; or Odoo's scheduler) and
        validates it, as every Odoo 11 delivery. The approval reserves nothing: concurrent
        approvals of the same part would update the same stock quants and fail each other
        (the manager's approval, invoice and to-dos all retried). As superuser, since the
        warehouse handles it; it never issues more than the store holds."""
        # the order's approval message names the transfer: no "created" note nor tracking of
        # its initial values in the transfer's chatter (its origin names the order)
        Picking = self.env["stock.picking"].sudo().with_context(mail_create_nolog=True,
                                                                 mail_notrack=True)
        pickings = {}
        for order in self:
            picking = Picking.create(order._prepare_picking_vals())
            picking.action_confirm()
            pickings[order.id] = picking.with_env(self.env)
        return pickings

    # ------------------------------------------------------------------ invoice

    def _prepare_invoice_lines(self):
        """Parts at the fee standard's price (cost + markup) and one postage line."""
        self.ensure_one()
        standard = self.env["after_sales.fee.standard"].for_company(self.company_id)
        lines = [(line.product_id, line.quantity, line.price_unit, line._invoice_line_name(),
                  line.product_uom_id, {"after_sales_parts_order_line_id": line.id})
                 for line in self.line_ids]
        postage = standard.postage_price(self.shipping_method)
        if postage:
            method = dict(self._fields["shipping_method"]._description_selection(self.env))
            lines.append((self._ref("after_sales_service.product_postage"), 1.0, postage,
                          _("Postage (%s)") % method[self.shipping_method]))
        return lines

    def _create_invoices(self):
        """A draft customer invoice per order ({order id: invoice}); finance validates it in
        accounting. The order's approval message tells it."""
        invoices = {}
        for order in self:
            invoices[order.id] = order._create_charge_invoice(
                order.partner_id, order._prepare_invoice_lines(), order.name,
                company=order.company_id, delivery=order.partner_shipping_id,
                extra_vals={"user_id": order.user_id.id or self.env.uid,
                            "after_sales_parts_order_id": order.id,
                            "after_sales_request_id": order.request_id.id})
        return invoices

    # ------------------------------------------------------------------ picking done

    @api.multi
    def _after_sales_picking_done(self, pickings):
        """Called when dispatch transfers of these orders are validated: warranty cost for
        in-warranty orders, then the orders whose transfers are all settled end."""
        for order in self:
            if not order.chargeable:
                for picking in pickings.filtered(lambda p: p.after_sales_parts_order_id == order):
                    order._book_warranty_cost(picking)
        return self._after_sales_pickings_settled()

    @api.multi
    def _after_sales_pickings_settled(self):
        """Called when the warehouse validates or cancels dispatch transfers (as superuser):
        an approved order with no transfer left open ends. Shipped when at least one transfer
        is done (a backorder the warehouse cancelled is not shipped): its invoice charges the
        parts issued. Cancelled when every transfer was cancelled and nothing was issued: its
        draft invoice is cancelled and its request no longer waits for these parts."""
        settled = self.filtered(lambda o: o.state == "approved" and o.picking_ids and all(
            p.state in ("done", "cancel") for p in o.picking_ids))
        shipped = settled.filtered(lambda o: "done" in o.picking_ids.mapped("state"))
        if shipped:
            shipped.write({"state": "shipped", "date_shipped": fields.Datetime.now()})
            shipped.filtered("chargeable")._charge_issued_parts()
            shipped._notify_customer("after_sales_service.mail_template_parts_shipped",
                                     "after_sales_notify_shipped")
        dropped = settled - shipped
        if dropped:
            dropped.write({"state": "cancel"})
            for order in dropped:
                order.message_post(body=_("Every transfer of the order was cancelled and no part "
                                          "was issued: the order is cancelled."),
                                   subtype="mail.mt_note")
            dropped._cancel_unshipped_invoices()
            dropped._resume_requests()
        return True

    def _issued_quantities(self):
        """{order line id: quantity issued in the line's unit} (done moves, returns deducted)."""
        lines = self.mapped("line_ids")
        lines.invalidate_cache(["qty_issued"])
        return {line.id: line.product_id.uom_id._compute_quantity(
            line.qty_issued, line.product_uom_id, round=False) for line in lines}

    def _charge_issued_parts(self):
        """The invoice charges what left the store, not what was ordered: the part lines of a
        draft invoice take the issued quantities (a part none of was issued is dropped; the
        postage stays, once). A validated invoice is not changed: finance is asked, in the
        chatter of the order and of the invoice, for a credit note of the difference."""
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        issued = self._issued_quantities()
        for order in self:
            invoices = order.invoice_ids.filtered(
                lambda i: i.type == "out_invoice" and i.state != "cancel")
            for invoice in invoices:
                changed = invoice.invoice_line_ids.filtered(
                    lambda l: l.after_sales_parts_order_line_id and float_compare(
                        l.quantity, issued.get(l.after_sales_parts_order_line_id.id, 0.0),
                        precision_digits=precision))
                if not changed:
                    continue
                if invoice.state == "draft":
                    order._redraft_invoice(invoice, changed, issued)
                else:
                    order._ask_credit_note(invoice, changed, issued)
        return True

    def _redraft_invoice(self, invoice, lines, issued):
        for line in lines:
            quantity = issued.get(line.after_sales_parts_order_line_id.id, 0.0)
            if quantity > 0:
                line.quantity = quantity
            else:
                line.unlink()
        invoice.compute_taxes()
        self.message_post(body=_("Draft invoice updated to the parts issued (total %s).")
                          % formatLang(self.env, invoice.amount_total,
                                       currency_obj=invoice.currency_id),
                          subtype="mail.mt_note")

    def _ask_credit_note(self, invoice, lines, issued):
        difference = sum(
            line.price_subtotal * (line.quantity - issued.get(
                line.after_sales_parts_order_line_id.id, 0.0)) / line.quantity
            for line in lines if line.quantity)
        if difference > 0:
            body = _("Fewer parts were issued than invoice %(invoice)s charges, and it is "
                     "already validated: finance, please issue a credit note of "
                     "%(amount)s (untaxed) for the parts not shipped.")
        else:
            body = _("More parts were issued than invoice %(invoice)s charges, and it is "
                     "already validated: finance, please invoice the difference of "
                     "%(amount)s (untaxed).")
        body = body % {"invoice": invoice.number, "amount": formatLang(
            self.env, abs(difference), currency_obj=invoice.currency_id)}
        self.message_post(body=body, subtype="mail.mt_note")
        invoice.message_post(body=body, subtype="mail.mt_note")

    def _cancel_unshipped_invoices(self):
        """Nothing was shipped: the draft invoices are cancelled, finance is asked for a
        credit note of the validated ones."""
        invoices = self.mapped("invoice_ids").filtered(lambda i: i.state != "cancel")
        invoices.filtered(lambda i: i.state == "draft").action_invoice_cancel()
        for invoice in invoices.filtered(lambda i: i.state != "cancel"):
            body = _("No part of %(order)s was shipped, but invoice %(invoice)s is already "
                     "validated: finance, please issue a credit note of %(amount)s.") % {
                "order": invoice.after_sales_parts_order_id.name, "invoice": invoice.number,
                "amount": formatLang(self.env, invoice.amount_total,
                                     currency_obj=invoice.currency_id)}
            invoice.after_sales_parts_order_id.message_post(body=body, subtype="mail.mt_note")
            invoice.message_post(body=body, subtype="mail.mt_note")
        return True

    def _warranty_credit_account(self, product):
        return self.company_id.after_sales_warranty_credit_account(product)

    def _prepare_warranty_move_vals(self, picking):
        """Journal entry of the parts issued free in warranty: debit warranty expense, credit
        the account the cost leaves (see _warranty_credit_account), at the moves' cost (their
        stock valuation, else quantity x cost). A return of issued parts reverses it."""
        company = self.company_id
        expense = company.after_sales_warranty_account_id
        lines = []
        for move in picking.move_lines.filtered(
                lambda m: m.state == "done" and m.product_id.type == "product"):
            outgoing = move.location_id.usage == "internal"
            cost = -move.value if move.value else (
                (1 if outgoing else -1) * move.product_qty * move.product_id.standard_price)
            cost = company.currency_id.round(cost)
            if company.currency_id.is_zero(cost):
                continue
            debit, credit = (cost, 0.0) if cost > 0 else (0.0, -cost)
            common = {"name": "%s - %s" % (self.name, move.product_id.display_name),
                      "product_id": move.product_id.id, "quantity": move.product_qty,
                      "product_uom_id": move.product_id.uom_id.id,
                      "partner_id": self.partner_id.id}
            lines.append((0, 0, dict(common, account_id=expense.id, debit=debit, credit=credit,
                                     after_sales_warranty_cost=True)))
            lines.append((0, 0, dict(common, debit=credit, credit=debit,
                                     account_id=self._warranty_credit_account(move.product_id).id)))
        if not lines:
            return None
        return {
            "journal_id": company._after_sales_warranty_journal().id,
            "date": fields.Date.context_today(self),
            "ref": "%s - %s" % (self.name, picking.name),
            "company_id": company.id,
            "after_sales_parts_order_id": self.id,
            "line_ids": lines,
        }

    def _book_warranty_cost(self, picking):
        self.ensure_one()
        if not self.company_id.after_sales_warranty_account_id:
            self.message_post(body=_("No warranty expense account set: the warranty cost of %s "
                                     "was not booked.") % picking.name, subtype="mail.mt_note")
            return self.env["account.move"]
        vals = self._prepare_warranty_move_vals(picking)
        if not vals:
            return self.env["account.move"]
        move = self.env["account.move"].sudo().create(vals)
        move.post()
        self.message_post(body=_("Warranty cost of %(transfer)s booked: %(entry)s") % {
            "transfer": picking.name, "entry": move.name},
                          subtype="mail.mt_note")
        return move

    # ------------------------------------------------------------------ old parts

    @api.multi
    @document_action
    def action_receive_old_parts(self):
        """The replaced parts come back: one incoming transfer from the customer into the
        old-parts store (旧件库), and one old-part record per line expecting one."""
        self._check_can("can_receive_old_parts", _("No old parts to receive on %s (not approved, "
                                                   "none expected, or already received)."))
        OldPart = self.env["after_sales.old.part"]
        for order in self:
            old_parts = OldPart.browse()
            for line in order.line_ids.filtered("old_part_expected"):
                old_parts |= OldPart.create(line._prepare_old_part_vals())
            self._create_reserved_picking(order._prepare_old_parts_picking_vals(old_parts))
        return self.action_view_old_parts()

    def _prepare_old_parts_picking_vals(self, old_parts):
        self.ensure_one()
        source = self._customer_location()
        destination = self.warehouse_id.after_sales_old_parts_location_id
        if not destination:
            raise UserError(_("Warehouse %s has no old-parts store.") % self.warehouse_id.name)
        return {
            "picking_type_id": self.warehouse_id.in_type_id.id,
            "partner_id": (self.partner_shipping_id or self.partner_id).id,
            "origin": self.name,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "company_id": self.company_id.id,
            "after_sales_old_parts_order_id": self.id,
            "move_lines": [(0, 0, part._prepare_move_vals(source, destination))
                           for part in old_parts],
        }

    # ------------------------------------------------------------------ smart buttons

    @api.multi
    def action_view_pickings(self):
        pickings = self.mapped("picking_ids")
        return self._window_action("stock.action_picking_tree_all", [("id", "in", pickings.ids)],
                                   record=pickings, form_view="stock.view_picking_form")

    @api.multi
    def action_view_invoices(self):
        invoices = self.mapped("invoice_ids")
        return self._window_action(
            "account.action_invoice_tree1", [("id", "in", invoices.ids)],
            {"default_type": "out_invoice", "type": "out_invoice"}, record=invoices,
            form_view="account.invoice_form")

    @api.multi
    def action_view_old_parts(self):
        return self._window_action("after_sales_service.old_part_action",
                                   [("order_id", "in", self.ids)])

    @api.multi
    def action_view_warranty_moves(self):
        return self._window_action("account.action_move_journal_line",
                                   [("after_sales_parts_order_id", "in", self.ids)])
