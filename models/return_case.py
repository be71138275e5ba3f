# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .document_mixin import LINE_LENGTH, TEXT_LENGTH, ApprovalStep, document_action
from .return_approval import STEPS as EXCHANGE_STEPS

STATES = [
    ("draft", "Draft"),
    ("receiving", "Awaiting Goods"),
    ("to_inspect", "To Inspect"),
    ("inspected", "Disposition to Approve"),
    ("disposing", "Disposing"),
    ("done", "Closed"),
    ("cancel", "Cancelled"),
]
CAUSES = [
    ("defect", "Quality Problem"),
    ("transport", "Transport Damage"),
    ("wrong_item", "Wrong Item Delivered"),
    ("installation", "Installation or Use"),
    ("customer", "Customer's Choice"),
    ("other", "Other"),
]
DEFECT_CLASSES = [
    ("quality", "Quality Defect"),
    ("human", "Non-Quality: Human Cause"),
    ("other", "Non-Quality: Other"),
]
RESPONSIBILITIES = [
    ("supplier", "Supplier"),
    ("production", "Production"),
    ("design", "Design"),
    ("logistics", "Logistics"),
    ("installer", "Installer / Service Station"),
    ("customer", "Customer"),
    ("other", "Other"),
]
# what quality alone records (客退品检验)
QUALITY_FIELDS = ("defect_class", "responsibility", "responsible_party", "findings",
                  "inspection_attachment_ids")
PLANNING_STATES = ("to_inspect", "inspected")
CLOSED_STATES = ("draft", "done", "cancel")  # no exchange form step then
QTY_DIGITS = dp.get_precision("Product Unit of Measure")


class ReturnCase(models.Model):
    """A returned-goods / exchange case (客退品 / 换货单): the goods come back into the pending
    area (待处理产品) by a receipt, quality inspects and classifies them, every unit received
    leaves the pending area again by a real stock move (scrap, repair, restock, return to
    supplier, exchange), and the money (下帐和赔偿) is approved and executed by finance."""

    _name = "after_sales.return"
    _description = "Return / Exchange Case"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.return"
    _order = "date desc, id desc"
    _reason_actions = ("cancel", "instruct")
    _text_limits = {"reason": TEXT_LENGTH, "responsible_party": LINE_LENGTH,
                    "findings": TEXT_LENGTH, "cancel_reason": TEXT_LENGTH}
    _past_datetimes = ("date",)
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "date_closed", "inspected_by_id", "date_inspected",
                     "disposition_approved_by_id", "date_disposition_approved", "cancel_reason",
                     "approval_ids")

    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    date = fields.Datetime("Registered On", required=True, default=fields.Datetime.now,
                           index=True)
    date_closed = fields.Datetime("Closed On", readonly=True, copy=False)
    user_id = fields.Many2one("res.users", "Handler", index=True, track_visibility="onchange",
                              default=lambda self: self.env.user)
    request_id = fields.Many2one("after_sales.request", "Service Request", index=True,
                                 ondelete="set null")

    # customer and origin
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 track_visibility="onchange")
    picking_id = fields.Many2one(
        "stock.picking", "Original Delivery", copy=False,
        domain="[('picking_type_code', '=', 'outgoing'), ('state', '=', 'done')]")
    invoice_id = fields.Many2one(
        "account.invoice", "Original Invoice", copy=False,
        domain="[('type', '=', 'out_invoice'), ('state', 'in', ('open', 'paid'))]",
        help="Credit notes of this case are made against this invoice.")

    # goods
    has_goods = fields.Boolean("Goods Returned", default=True,
                               help="Uncheck for a compensation without returned goods: it "
                                    "always needs the quality manager's review and the general "
                                    "manager's approval.")
    product_id = fields.Many2one("product.product", index=True,
                                 domain="[('type', 'in', ('product', 'consu'))]")
    lot_id = fields.Many2one("stock.production.lot", "Serial / Lot",
                             domain="[('product_id', '=', product_id)]")
    product_qty = fields.Float("Quantity", digits=QTY_DIGITS,
                               default=1.0, help="Quantity the customer sends back.")
    product_uom_id = fields.Many2one("product.uom", "Unit of Measure",
                                     related="product_id.uom_id", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True,
                                   default=lambda self: self._default_warehouse())
    location_id = fields.Many2one("stock.location", "Pending Products",
                                  related="warehouse_id.after_sales_quarantine_location_id",
                                  readonly=True)
    cause = fields.Selection(CAUSES, required=True, default="defect", index=True,
                             track_visibility="onchange")
    reason = fields.Text("Reason (Detailed)")

    # exchange form (换货单) steps
    approval_ids = fields.One2many("after_sales.return.approval", "return_id",
                                   "Exchange Form Steps", readonly=True)
    exchange_state = fields.Selection(
        [("none", "Not Started")] + EXCHANGE_STEPS, "Exchange Form", compute="_compute_steps",
        store=True, index=True, help="The last step of the exchange form signed.")
    exchange_form_signed = fields.Boolean(compute="_compute_steps",
                                          help="The general manager has given the instruction.")

    # inspection (quality)
    defect_class = fields.Selection(DEFECT_CLASSES, "Class", index=True,
                                    track_visibility="onchange")
    responsibility = fields.Selection(RESPONSIBILITIES, track_visibility="onchange")
    responsible_party = fields.Char()
    findings = fields.Text()
    inspection_attachment_ids = fields.Many2many(
        "ir.attachment", "after_sales_return_inspection_attachment_rel", "return_id",
        "attachment_id", string="Inspection Attachments")
    inspected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_inspected = fields.Datetime("Inspected On", readonly=True, copy=False)
    disposition_approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_disposition_approved = fields.Datetime("Disposition Approved On", readonly=True,
                                                copy=False)
    is_quality_user = fields.Boolean(compute="_compute_is_quality_user")

    # disposition
    disposition_ids = fields.One2many("after_sales.return.disposition", "return_id",
                                      "Dispositions", copy=False)
    qty_received = fields.Float("Received Qty", compute="_compute_quantities", digits=QTY_DIGITS,
                                help="From done receipts only.")
    qty_planned = fields.Float("Planned", compute="_compute_quantities", digits=QTY_DIGITS)
    qty_disposed = fields.Float("Disposed", compute="_compute_quantities", digits=QTY_DIGITS)
    qty_to_plan = fields.Float("Left to Plan", compute="_compute_quantities", digits=QTY_DIGITS)
    disposition_summary = fields.Char("Disposition", compute="_compute_disposition_summary")

    # money (下帐和赔偿)
    compensation_ids = fields.One2many("after_sales.return.compensation", "return_id",
                                       "Write-off and Compensation", copy=False)
    currency_id = fields.Many2one("res.currency", related="company_id.currency_id",
                                  readonly=True)
    amount_proposed = fields.Monetary("Proposed", compute="_compute_amounts")
    amount_approved = fields.Monetary("Approved", compute="_compute_amounts")
    amount_executed = fields.Monetary("Executed", compute="_compute_amounts",
                                      help="Validated credit notes and bills of this case.")

    # linked documents
    picking_count = fields.Integer("Transfers", compute="_compute_document_counts")
    scrap_count = fields.Integer("Scraps", compute="_compute_document_counts")
    invoice_count = fields.Integer("Credit Notes and Bills", compute="_compute_document_counts")

    cancel_reason = fields.Char("Cancellation Reason", copy=False, readonly=True,
                                track_visibility="onchange")

    # buttons
    can_be_confirmed = fields.Boolean(compute="_compute_can_be")
    can_be_signed_region = fields.Boolean(compute="_compute_can_be")
    can_be_checked_office = fields.Boolean(compute="_compute_can_be")
    can_be_instructed = fields.Boolean(compute="_compute_can_be")
    can_be_inspected = fields.Boolean(compute="_compute_can_be")
    can_be_approved = fields.Boolean(compute="_compute_can_be")
    can_be_sent_back = fields.Boolean(compute="_compute_can_be")
    can_be_executed = fields.Boolean(compute="_compute_can_be")
    can_be_closed = fields.Boolean(compute="_compute_can_be")
    can_be_cancelled = fields.Boolean(compute="_compute_can_be")

    _sql_constraints = [
        ("name_company_uniq", "unique (name, company_id)", "The case number must be unique."),
        ("qty_positive", "CHECK (product_qty >= 0)", "The quantity can't be negative."),
    ]

    # ------------------------------------------------------------------ create / write

    @api.model
    def create(self, vals):
        self._check_quality_rights(vals, creating=True)
        return super(ReturnCase, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_quality_rights(vals)
        return super(ReturnCase, self).write(vals)

    @api.multi
    def unlink(self):
        if any(case.state != "draft" for case in self):
            raise UserError(_("A confirmed return case can't be deleted: cancel it."))
        return super(ReturnCase, self).unlink()

    @api.model
    def _check_quality_rights(self, vals, creating=False):
        """The inspection result is quality's alone (empty values of a new case pass)."""
        touched = [f for f in QUALITY_FIELDS if f in vals and (vals[f] or not creating)]
        if touched and not self.env.user.has_group("after_sales_service.group_quality"):
            raise AccessError(_("Only quality records the inspection of returned goods."))

    # ------------------------------------------------------------------ onchanges

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    @api.onchange("request_id")
    def _onchange_request_id(self):
        request = self.request_id
        if request:
            self.partner_id = request.partner_id
            self.product_id = request.product_id or self.product_id
            self.lot_id = request.lot_id or self.lot_id

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        if self.picking_id and self.picking_id.partner_id:
            self.partner_id = self.picking_id.partner_id

    # ------------------------------------------------------------------ computes

    def _compute_is_quality_user(self):
        is_quality = self.env.user.has_group("after_sales_service.group_quality")
        for case in self:
            case.is_quality_user = is_quality

    @api.depends("approval_ids.step")
    def _compute_steps(self):
        order = [step for step, _label in EXCHANGE_STEPS]
        for case in self:
            signed = set(case.approval_ids.mapped("step"))
            case.exchange_state = ([step for step in order if step in signed] or ["none"])[-1]
            case.exchange_form_signed = "gm" in signed

    def _sum_by_case(self, model, domain, field, case_field="return_id"):
        """{case id: sum of field} of the records of model matching domain (one query, as
        superuser: counts only, whoever reads the case)."""
        if not self.ids:
            return {}
        groups = self.env[model].sudo().read_group(
            domain + [(case_field, "in", self.ids)], [case_field, field], [case_field])
        return {g[case_field][0]: g[field] or 0.0 for g in groups}

    def _received_by_case(self):
        return self._sum_by_case(
            "stock.move", [("state", "=", "done"), ("after_sales_disposition_id", "=", False)],
            "product_qty", case_field="after_sales_return_id")

    @api.depends("disposition_ids.quantity", "disposition_ids.state")
    def _compute_quantities(self):
        received = self._received_by_case()
        planned = self._sum_by_case("after_sales.return.disposition", [], "quantity")
        disposed = self._sum_by_case("after_sales.return.disposition", [("state", "=", "done")],
                                     "quantity")
        for case in self:
            case.qty_received = received.get(case.id, 0.0)
            case.qty_planned = planned.get(case.id, 0.0)
            case.qty_disposed = disposed.get(case.id, 0.0)
            case.qty_to_plan = case.qty_received - case.qty_planned

    @api.depends("disposition_ids.disposition_type", "disposition_ids.quantity")
    def _compute_disposition_summary(self):
        types = self.env["after_sales.return.disposition"]._fields["disposition_type"]
        labels = types._description_selection(self.env)
        for case in self:
            totals = {}
            for line in case.disposition_ids:
                key = line.disposition_type
                totals[key] = totals.get(key, 0.0) + line.quantity
            case.disposition_summary = ", ".join(
                "%s %g" % (label, totals[key]) for key, label in labels if key in totals)

    @api.depends("compensation_ids.amount", "compensation_ids.state")
    def _compute_amounts(self):
        Compensation = "after_sales.return.compensation"
        proposed = self._sum_by_case(Compensation, [("state", "!=", "cancel")], "amount")
        approved = self._sum_by_case(Compensation, [("state", "in", ("approved", "done"))],
                                     "amount")
        executed = self._sum_by_case("account.invoice", [("state", "in", ("open", "paid"))],
                                     "amount_total", case_field="after_sales_return_id")
        for case in self:
            case.amount_proposed = proposed.get(case.id, 0.0)
            case.amount_approved = approved.get(case.id, 0.0)
            case.amount_executed = executed.get(case.id, 0.0)

    def _compute_document_counts(self):
        pickings = self._count_by("stock.picking", "after_sales_return_id", sudo=True)
        scraps = self._count_by("after_sales.return.disposition", "return_id",
                                [("scrap_id", "!=", False)], sudo=True)
        invoices = self._count_by("account.invoice", "after_sales_return_id", sudo=True)
        for case in self:
            case.picking_count = pickings.get(case.id, 0)
            case.scrap_count = scraps.get(case.id, 0)
            case.invoice_count = invoices.get(case.id, 0)

    @api.depends("state", "approval_ids.step", "disposition_ids.state")
    def _compute_can_be(self):
        received = self._received_by_case()
        for case in self:
            state = case.state
            exchange = case.exchange_state
            is_open = state not in CLOSED_STATES
            case.can_be_confirmed = state == "draft"
            case.can_be_signed_region = is_open and exchange == "reason"
            case.can_be_checked_office = is_open and exchange == "region"
            case.can_be_instructed = is_open and exchange == "office"
            case.can_be_inspected = state == "to_inspect"
            case.can_be_approved = state == "inspected"
            case.can_be_sent_back = state == "inspected"
            case.can_be_executed = state == "disposing" and any(
                line.state == "draft" for line in case.disposition_ids)
            case.can_be_closed = state == "disposing"
            case.can_be_cancelled = state in ("draft", "receiving", "to_inspect") and not (
                received.get(case.id))

    # ------------------------------------------------------------------ guards


    def _check_department_user(self):
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department can do this."))

    def _check_quality_user(self):
        self._check_group("after_sales_service.group_quality",
                          _("Only quality can inspect returned goods and approve their "
                            "disposition."))

    # ------------------------------------------------------------------ confirm and receive

    @api.multi
    @document_action
    def action_confirm(self):
        """Confirm the case: the exchange form's reason is recorded, and the receipt of the
        goods into the pending area (待处理产品) is created for the warehouse."""
        self._check_department_user()
        self._check_can("can_be_confirmed", _("These cases can't be confirmed: %s"))
        self._check_confirm_data()
        self._record_step("reason", lambda case: case.reason)
        with_goods = self.filtered("has_goods")
        with_goods._create_receipts()
        with_goods.write({"state": "receiving"})
        (self - with_goods).write({"state": "to_inspect"})
        return True

    def _check_confirm_data(self):
        no_reason = self.filtered(lambda c: not (c.reason or "").strip())
        if no_reason:
            raise UserError(_("State the detailed reason of the return first: %s")
                            % ", ".join(no_reason.mapped("name")))
        no_goods = self.filtered(lambda c: c.has_goods and (not c.product_id
                                                            or c.product_qty <= 0))
        if no_goods:
            raise UserError(_("Give the product and the quantity returned: %s")
                            % ", ".join(no_goods.mapped("name")))
        no_area = self.filtered(lambda c: c.has_goods
                                and not c.warehouse_id.after_sales_quarantine_location_id)
        if no_area:
            raise UserError(_("Warehouse %s has no pending products area.")
                            % ", ".join(no_area.mapped("warehouse_id.name")))

    def _create_receipts(self):
        for case in self:
            picking = self._create_reserved_picking(case._prepare_receipt_vals())
            case._prefill_receipt_lot(picking)

    def _prepare_receipt_vals(self):
        self.ensure_one()
        source = self.partner_id.property_stock_customer or self.env.ref(
            "stock.stock_location_customers")
        destination = self.warehouse_id.after_sales_quarantine_location_id
        return {
            "picking_type_id": self.warehouse_id.in_type_id.id,
            "partner_id": self.partner_id.id,
            "origin": self.name,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "company_id": self.company_id.id,
            "after_sales_return_id": self.id,
            "move_lines": [(0, 0, self._prepare_receipt_move_vals(source, destination))],
        }

    def _prepare_receipt_move_vals(self, source, destination):
        origin_move = self.picking_id.move_lines.filtered(
            lambda m: m.product_id == self.product_id and m.state == "done")[:1]
        return {
            "name": self.name + ": " + self.product_id.display_name,
            "product_id": self.product_id.id,
            "product_uom_qty": self.product_qty,
            "product_uom": self.product_id.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": self.partner_id.id,
            "picking_type_id": self.warehouse_id.in_type_id.id,
            "warehouse_id": self.warehouse_id.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "after_sales_return_id": self.id,
            "origin_returned_move_id": origin_move.id,
        }

    def _prefill_receipt_lot(self, picking):
        """The serial of the case goes on the receipt when it is the only line to receive."""
        if self.lot_id and self.product_id.tracking != "none" and len(picking.move_line_ids) == 1:
            picking.move_line_ids.write({"lot_id": self.lot_id.id})

    def _on_goods_received(self, author):
        """Called when receipts are done: cases waiting for their goods go to inspection."""
        received = self._received_by_case()
        arrived = self.filtered(lambda c: c.state == "receiving" and received.get(c.id))
        arrived.write({"state": "to_inspect"})
        for case in self:
            case.message_post(body=_("Goods received into %(location)s: %(quantity)s in all.") % {
                    "location": case.location_id.display_name,
                    "quantity": received.get(case.id, 0.0)},
                subtype="mail.mt_note", author_id=author.id)

    # ------------------------------------------------------------------ exchange form steps

    def _record_step(self, step, note=None):
        Approval = self.env["after_sales.return.approval"]
        now = fields.Datetime.now()
        for case in self:
            Approval.create({"return_id": case.id, "step": step, "user_id": self.env.uid,
                             "date": now, "note": note(case) if callable(note) else note})

    @api.model
    def _approval_steps(self):
        """The exchange form (换货单: reason, region manager, office, general manager), signed
        while the goods come in and are inspected, and quality's approval of the disposition."""
        department = "after_sales_service.group_user"
        department_denied = _("Only the after-sales department can do this.")
        return [
            ApprovalStep("region", _("Region manager's sign-off"), "reason", "region", department,
                         field="exchange_state", activity=False, denied=department_denied,
                         refused=_("The exchange form can't be signed by the region manager "
                                   "now: %s")),
            ApprovalStep("office", _("Office check"), "region", "office", department,
                         field="exchange_state", activity=False, denied=department_denied,
                         refused=_("The exchange form can't be checked by the office now (the "
                                   "region manager signs first): %s")),
            ApprovalStep("gm", _("General manager's instruction"), "office", "gm",
                         "after_sales_service.group_general_manager", field="exchange_state",
                         tile="exchange_gm", tile_domain=[("state", "not in", CLOSED_STATES)],
                         denied=_("Only the general manager gives the instruction on the "
                                  "exchange form."),
                         refused=_("The exchange form can't be instructed now (the office "
                                   "checks first): %s")),
            ApprovalStep("disposition", _("Disposition approval"), "inspected", "disposing",
                         "after_sales_service.group_quality",
                         user_field="disposition_approved_by_id",
                         date_field="date_disposition_approved", reject_state="to_inspect",
                         reason_required=False, tile="disposition_quality",
                         denied=_("Only quality can inspect returned goods and approve their "
                                  "disposition."),
                         refused=_("These cases have no inspected disposition to approve: %s")),
        ]

    def _waiting_steps(self):
        steps = super(ReturnCase, self)._waiting_steps()
        if self.state in CLOSED_STATES:
            return [step for step in steps if step.field != "exchange_state"]
        return steps

    @api.multi
    def _check_step(self, key):
        """The exchange form is signed on open cases only."""
        step = super(ReturnCase, self)._check_step(key)
        closed = self.filtered(lambda c: c.state in CLOSED_STATES)
        if step.field == "exchange_state" and closed:
            raise UserError(step.refused % ", ".join(closed.mapped("name")))
        return step

    def _write_approval(self, step, vals, note=None):
        """The exchange form's steps are its signed lines (who, when, what was written)."""
        if step.field != "exchange_state":
            return super(ReturnCase, self)._write_approval(step, vals, note)
        self._record_step(step.key, note)
        return True

    @api.multi
    @document_action
    def action_sign_region(self):
        """The region manager signs the exchange form (区域经理签字)."""
        return self._approve_step("region")

    @api.multi
    @document_action
    def action_check_office(self):
        """The office checks the exchange form (办公室审核)."""
        return self._approve_step("office")

    @api.multi
    @document_action
    def action_instruct(self, reason=None):
        """The general manager's instruction (总经理批示), the last step of the form."""
        self._check_step("gm")
        if not (reason or "").strip():
            raise UserError(_("Write the general manager's instruction."))
        return self._approve_step("gm", note=reason)

    @api.multi
    def action_instruct_wizard(self):
        return self._open_reason_wizard("instruct", _("General Manager's Instruction"))

    def _exchange_form_steps(self):
        """The steps of the exchange form (换货单) in their order, each with its signature (an
        empty record when not signed yet), for the printed form."""
        self.ensure_one()
        Approval = self.env["after_sales.return.approval"]
        labels = Approval._fields["step"]._description_selection(self.env)
        signed = {approval.step: approval for approval in self.approval_ids}
        return [(label, signed.get(step, Approval)) for step, label in labels]

    # ------------------------------------------------------------------ inspection

    @api.multi
    @document_action
    def action_inspect(self):
        """Quality has inspected and classified the goods and planned their disposition."""
        self._check_quality_user()
        self._check_can("can_be_inspected", _("These cases are not waiting for inspection: %s"))
        missing = self.filtered(lambda c: not c.defect_class or not (c.findings or "").strip())
        if missing:
            raise UserError(_("Record the class and the findings of the inspection first: %s")
                            % ", ".join(missing.mapped("name")))
        self.write({"state": "inspected", "inspected_by_id": self.env.uid,
                    "date_inspected": fields.Datetime.now()})
        self._sync_approval_activities()
        return True

    @api.multi
    @document_action
    def action_send_back(self):
        """Back to inspection, to change the disposition plan before it is approved."""
        self._check_quality_user()
        self._check_can("can_be_sent_back", _("Only inspected cases can be sent back: %s"))
        return self._reject_step()

    @api.multi
    @document_action
    def action_approve_disposition(self):
        """The QA manager approves the disposition plan: it must cover exactly the quantity
        received, and no receipt may still be open."""
        self._check_step("disposition")
        self._check_receipts_finished()
        self._check_quantities("qty_planned", _("planned"))
        return self._approve_step("disposition")

    def _check_receipts_finished(self):
        open_receipts = self.env["stock.move"].sudo().search([
            ("after_sales_return_id", "in", self.ids), ("after_sales_disposition_id", "=", False),
            ("state", "not in", ("done", "cancel"))])
        if open_receipts:
            raise UserError(_("Goods are still awaited on %s: validate or cancel the receipt "
                              "first.") % ", ".join(open_receipts.mapped(
                                  "after_sales_return_id.name")))

    def _check_quantities(self, field, label):
        """Over- and under-disposal are refused: field must equal the quantity received."""
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for case in self:
            comparison = float_compare(case[field], case.qty_received, precision_digits=digits)
            if not comparison:
                continue
            if comparison > 0:
                raise UserError(_("%(case)s: %(quantity)s units %(done)s, more than the %(received)s "
                                  "received. Reduce the dispositions.") % {
                    "case": case.name, "quantity": case[field], "done": label,
                    "received": case.qty_received})
            raise UserError(_("%(case)s: only %(quantity)s of the %(received)s units received are "
                              "%(done)s. Every unit received must be disposed of.") % {
                "case": case.name, "quantity": case[field], "received": case.qty_received,
                "done": label})

    # ------------------------------------------------------------------ disposition

    @api.multi
    @document_action
    def action_execute_dispositions(self):
        self._check_can("can_be_executed", _("These cases have no approved disposition left to "
                                             "execute: %s"))
        self.mapped("disposition_ids").filtered(lambda l: l.state == "draft").action_execute()
        return True

    # ------------------------------------------------------------------ close / cancel

    @api.multi
    @document_action
    def action_close(self):
        self._check_department_user()
        self._check_can("can_be_closed", _("Only cases being disposed of can be closed: %s"))
        pending = self.mapped("disposition_ids").filtered(lambda l: l.state != "done")
        if pending:
            raise UserError(_("Some dispositions are not done yet: %s") % ", ".join(
                pending.mapped("return_id.name")))
        self._check_quantities("qty_disposed", _("disposed of"))
        unsettled = self.mapped("compensation_ids").filtered(
            lambda c: c.state not in ("done", "cancel"))
        if unsettled:
            raise UserError(_("Execute or cancel the write-off and compensation first: %s")
                            % ", ".join(unsettled.mapped("return_id.name")))
        self.write({"state": "done", "date_closed": fields.Datetime.now()})
        return True

    @api.multi
    @document_action
    def action_cancel(self, reason=None):
        self._check_department_user()
        self._check_can("can_be_cancelled", _("These cases can't be cancelled (goods already "
                                               "received must be disposed of): %s"))
        reason = self._check_reason(reason, "cancel")
        pickings = self.env["stock.picking"].sudo().search([
            ("after_sales_return_id", "in", self.ids), ("state", "not in", ("done", "cancel"))])
        pickings.action_cancel()
        self.mapped("compensation_ids").filtered(
            lambda c: c.state not in ("done", "cancel")).write({"state": "cancel"})
        self.write({"state": "cancel", "cancel_reason": reason})
        self._sync_approval_activities(_("Cancelled"))
        return True

    @api.multi
    def action_cancel_wizard(self):
        return self._open_reason_wizard("cancel", _("Cancel Return Case"))

    # ------------------------------------------------------------------ smart buttons

    @api.multi
    def action_view_pickings(self):
        return self._window_action("stock.action_picking_tree_all",
                                   [("after_sales_return_id", "in", self.ids)])

    @api.multi
    def action_view_scraps(self):
        return self._window_action("stock.action_stock_scrap",
                                   [("id", "in", self.mapped("disposition_ids.scrap_id").ids)])

    @api.multi
    def action_view_invoices(self):
        invoices = self.env["account.invoice"].search([("after_sales_return_id", "in", self.ids)])
        form = ("account.invoice_supplier_form" if invoices[:1].type == "in_invoice"
                else "account.invoice_form")
        return self._window_action("account.action_invoice_tree1", [("id", "in", invoices.ids)],
                                   record=invoices, form_view=form)

    # ------------------------------------------------------------------ complaint (002-P §8.3)
    # Sales raises the complaint handling form (客户投诉处理单) from the return receipt and
    # sends it to quality: the complaint and the case link both ways.

    # the warehouse and finance read the cases, not the complaints
    complaint_ids = fields.One2many("after_sales.complaint", "return_id", "Complaints",
                                    readonly=True, groups="after_sales_service.group_user")
    complaint_count = fields.Integer("Complaints", compute="_compute_complaint_count",
                                     groups="after_sales_service.group_user")

    def _compute_complaint_count(self):
        counts = self._count_by("after_sales.complaint", "return_id")
        for case in self:
            case.complaint_count = counts.get(case.id, 0)

    def _done_receipt(self):
        """The case's last validated receipt of the returned goods (empty when none)."""
        self.ensure_one()
        moves = self.env["stock.move"].sudo().search([
            ("after_sales_return_id", "=", self.id), ("after_sales_disposition_id", "=", False),
            ("state", "=", "done")], order="date desc, id desc")
        return moves.mapped("picking_id")[:1].with_env(self.env)

    def _prepare_complaint_vals(self, receipt):
        self.ensure_one()
        classes = {"quality": "quality", "human": "non_quality", "other": "other"}
        delivered = self.picking_id.date_done
        return {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "channel": "sales",
            "request_id": self.request_id.id,
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "batch": self.lot_id.name or False,
            "date_delivered": delivered and self._local_date(delivered, self.company_id),
            "quantity": self.qty_received,
            "defective_qty": self.qty_received,
            "complaint_class": classes.get(self.defect_class, False),
            "content": self.reason or _("Goods returned by the customer (%s).") % self.name,
            "return_id": self.id,
            "return_receipt_id": receipt.id,
        }

    @api.multi
    @document_action
    def action_raise_complaint(self):
        """Raise the complaint of the case from its validated receipt (one per case: an
        existing one is opened)."""
        self.ensure_one()
        self._check_department_user()
        if self.complaint_ids:
            return self.action_view_complaints()
        receipt = self._done_receipt()
        if not receipt:
            raise UserError(_("Return case %s has no validated receipt yet: the complaint is "
                              "raised from the receipt of the returned goods.") % self.name)
        complaint = self.env["after_sales.complaint"].create(
            self._prepare_complaint_vals(receipt))
        self.message_post(body=_("Complaint %(complaint)s raised from receipt %(receipt)s.") % {
            "complaint": complaint.name, "receipt": receipt.name}, subtype="mail.mt_note")
        return self._window_action("after_sales_service.complaint_action", record=complaint)

    @api.multi
    def action_view_complaints(self):
        return self._window_action("after_sales_service.complaint_action",
                                   [("return_id", "in", self.ids)],
                                   record=self.complaint_ids)
