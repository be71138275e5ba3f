# -*- coding: utf-8 -*-
import base64
import io
from datetime import datetime, time, timedelta

import pytz
from PIL import Image

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import html_escape

from .document_mixin import (LINE_LENGTH, NAME_LENGTH, TEXT_LENGTH, ApprovalStep, document_action,
                             is_action_write)
from .request_selections import VISIT_PURPOSES

GROUP_USER = "after_sales_service.group_user"  # the after-sales department
WARRANTY_FIELDS = ("in_warranty", "warranty_reason")  # decided (see _compute_warranty)

STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("in_progress", "On Site"),
    ("done", "Done"),
    ("verified", "Verified"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]
# before the trip: the parts and tools to take are prepared
PREPARING_STATES = ("draft", "to_approve", "approved")
# on the technician's list (My Visits): submitted and not started, on site, finished
NOT_STARTED_STATES = ("to_approve", "approved")
OPEN_STATES = NOT_STARTED_STATES + ("in_progress",)
FINISHED_STATES = ("done", "verified")
# the order of My Visits (see Visit._technician_rank_sql): overdue first, then on site, then
# the ones to come, the finished ones last
RANK_OVERDUE, RANK_ON_SITE, RANK_UPCOMING, RANK_FINISHED = 0, 1, 2, 3
# what a technician records on his own visits, and in which states (维护服务记录表)
TECHNICIAN_FIELDS = {
    "approved": ("appointment_confirmed", "tool_ids", "other_products_need_service",
                 "other_products_note"),
    "in_progress": ("appointment_confirmed", "tool_ids", "other_products_need_service",
                    "other_products_note", "date_arrival", "arrival_confirmed",
                    "date_departure", "fault_found", "handling", "fee_standard_shown",
                    "customer_signer", "customer_signature", "customer_evaluation",
                    "customer_comment", "part_ids"),
}
EVALUATIONS = [
    ("5", "Very Satisfied"),
    ("4", "Satisfied"),
    ("3", "Neutral"),
    ("2", "Dissatisfied"),
    ("1", "Very Dissatisfied"),
]


class Visit(models.Model):
    """An on-site visit (上门服务: installation, training, repair, inspection): approved by the
    general manager, prepared, executed and recorded (维护服务记录表 / 维修反馈单)."""

    _name = "after_sales.visit"
    _description = "On-Site Visit"
    _inherit = ["after_sales.numbered.document", "after_sales.charge.mixin",
                "after_sales.portal.token"]
    _sequence_code = "after_sales.visit"
    _order = "date_planned desc, id desc"
    _reason_actions = ("reject", "cancel")
    _text_limits = {
        "site_address": LINE_LENGTH, "other_products_note": TEXT_LENGTH,
        "fault_found": TEXT_LENGTH, "handling": TEXT_LENGTH, "customer_signer": NAME_LENGTH,
        "customer_comment": TEXT_LENGTH, "reject_reason": TEXT_LENGTH,
        "cancel_reason": TEXT_LENGTH,
    }
    # a negative distance would invoice a negative travel fee
    _non_negative_fields = ("distance_km", "duration")
    _datetime_order = (("date_arrival", "date_departure"),)
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "approved_by_id", "date_approved", "reject_reason", "cancel_reason",
                     "invoice_ids", "is_overtime", "overtime_days", "verified_by_id",
                     "subsidy_bill_ids", "contract_visit_date", "demand_id", "estimated_labour",
                     "estimated_travel", "estimated_cost")
    _frozen_fields = {"distance_km": ("draft",), "purpose": ("draft",), "duration": ("draft",),
                      "request_id": ("draft",), "partner_id": ("draft",),
                      "contract_id": ("draft",)}

    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    request_id = fields.Many2one("after_sales.request", "Service Request", index=True,
                                 track_visibility="onchange")
    purpose = fields.Selection(VISIT_PURPOSES, required=True, default="repair",
                               track_visibility="onchange")
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True)
    site_address = fields.Char()
    product_ids = fields.Many2many("product.product", string="Products Concerned")
    other_products_need_service = fields.Boolean(
        "Other Products of Ours Need Service",
        help="Other products of ours on that site need service too.")
    other_products_note = fields.Text("Other Products")
    in_warranty = fields.Boolean(
        compute="_compute_warranty", store=True, index=True,
        help="In warranty: nothing is charged to the customer. The decision of the visit's "
             "service request, else of its contract, else of its requirement form.")
    warranty_reason = fields.Char("Warranty Decision", compute="_compute_warranty", store=True)
    date_planned = fields.Datetime("Planned Date", required=True, index=True,
                                   track_visibility="onchange")
    duration = fields.Float("Planned Duration (h)", default=2.0)
    date_planned_end = fields.Datetime("Planned End", compute="_compute_date_planned_end",
                                       store=True)
    technician_ids = fields.Many2many("res.users", string="Technicians",
                                      track_visibility="onchange")
    distance_km = fields.Float("Distance (km)")

    # approval
    estimated_labour = fields.Monetary(compute="_compute_estimate", store=True)
    estimated_travel = fields.Monetary(compute="_compute_estimate", store=True)
    estimated_cost = fields.Monetary(compute="_compute_estimate", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime("Approved On", readonly=True, copy=False)
    reject_reason = fields.Char("Rejection Reason", readonly=True, copy=False,
                                track_visibility="onchange")
    cancel_reason = fields.Char("Cancellation Reason", readonly=True, copy=False)

    # preparation checklist
    appointment_confirmed = fields.Boolean("Appointment Confirmed with the Customer",
                                           track_visibility="onchange")
    training_material_ids = fields.Many2many("ir.attachment")
    tool_ids = fields.One2many("after_sales.visit.tool", "visit_id", "Tools and Instruments",
                               copy=True)
    part_ids = fields.One2many("after_sales.visit.part", "visit_id", "Parts", copy=True)
    picking_ids = fields.One2many("stock.picking", "after_sales_visit_id", "Transfers")
    picking_count = fields.Integer(compute="_compute_picking_count")
    checklist_missing = fields.Text("Missing Before Start", compute="_compute_checklist")
    checklist_summary = fields.Char(
        "Before Arrival", compute="_compute_checklist",
        help="How many things still block the arrival on site (a phone's list shows this "
             "short badge; the visit's form lists them).")

    # execution record (维护服务记录表)
    date_arrival = fields.Datetime("Arrival", copy=False)
    arrival_confirmed = fields.Boolean("Arrival Confirmed by the Customer", copy=False)
    date_departure = fields.Datetime("Departure", copy=False)
    fault_found = fields.Text(copy=False)
    handling = fields.Text(copy=False)
    fee_standard_shown = fields.Boolean("Fee Standard Shown First", copy=False)
    customer_signer = fields.Char("Customer Name", copy=False)
    customer_signature = fields.Binary(copy=False, attachment=True)
    customer_evaluation = fields.Selection(EVALUATIONS, copy=False)
    customer_comment = fields.Text(copy=False)
    invoice_ids = fields.Many2many("account.invoice", string="Invoices", copy=False,
                                   readonly=True)
    amount_charged = fields.Monetary(compute="_compute_amount_charged")
    amount_standard = fields.Monetary("Amount per Fee Standard", compute="_compute_amount_charged")
    charge_departs = fields.Boolean(
        "Charge Departs from the Fee Standard", compute="_compute_amount_charged",
        help="The invoiced amount differs from what the fee standard gives for this visit.")
    is_overtime = fields.Boolean("After Hours / Holiday", readonly=True, copy=False)
    overtime_days = fields.Integer(readonly=True, copy=False)
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    subsidy_bill_ids = fields.Many2many("account.invoice", "after_sales_visit_subsidy_rel",
                                        string="Subsidy Bills", readonly=True, copy=False)

    # where it comes from besides a request: a contract's schedule, a requirement form
    contract_id = fields.Many2one("after_sales.contract", index=True,
                                  track_visibility="onchange")
    contract_visit_date = fields.Date("Contract Visit Due", readonly=True, copy=False,
                                      help="The date of the contract schedule this visit "
                                           "fulfils.")
    demand_id = fields.Many2one("after_sales.demand", "Requirement Form", index=True,
                                readonly=True, copy=False)
    demand_description = fields.Text("Customer's Need", related="demand_id.description",
                                     readonly=True)
    demand_user_id = fields.Many2one(related="demand_id.user_id", string="Requested By",
                                     readonly=True)

    # on the technician's phone
    partner_phone = fields.Char("Customer Phone", compute="_compute_partner_phone")
    is_overdue = fields.Boolean(
        "Overdue", compute="_compute_technician_list", search="_search_is_overdue",
        help="Submitted or approved, not started, and its planned time has passed.")
    is_current = fields.Boolean(
        "Open or Done Today", compute="_compute_technician_list", search="_search_is_current",
        help="Not finished yet (whatever its planned date), or finished today in your time "
             "zone: what a technician's My Visits shows.")
    is_planned_today = fields.Boolean(
        "Planned Today", compute="_compute_technician_list", search="_search_is_planned_today",
        help="Planned for today in your time zone.")
    technician_rank = fields.Integer(
        "Order on My Visits", compute="_compute_technician_list",
        help="0 overdue, 1 on site, 2 to come, 3 finished. Sorting on it is done by the "
             "database at the time of the search.")

    can_be_submitted = fields.Boolean(compute="_compute_can_be")
    can_be_approved = fields.Boolean(compute="_compute_can_be")
    can_be_started = fields.Boolean(compute="_compute_can_be")
    can_be_done = fields.Boolean(compute="_compute_can_be")
    can_be_verified = fields.Boolean(compute="_compute_can_be")
    can_be_cancelled = fields.Boolean(compute="_compute_can_be")
    can_be_issued = fields.Boolean(compute="_compute_can_be_issued")

    _sql_constraints = [
        ("contract_visit_uniq", "unique (contract_id, contract_visit_date)",
         "The contract already has a visit for this due date."),
    ]

    # ------------------------------------------------------------------ ORM

    @api.model
    def create(self, vals):
        # the warranty is decided, not given (a context default, an old caller's value)
        vals = {key: value for key, value in vals.items() if key not in WARRANTY_FIELDS}
        return super(Visit, self).create(vals)

    @api.multi
    def write(self, vals):
        vals = self._check_computed_unchanged(vals, WARRANTY_FIELDS, _(
            "The warranty of a visit is decided by its service request (or its contract): it "
            "can't be set on the visit."))
        self._check_technician_write(vals)
        return super(Visit, self).write(vals)

    def _check_technician_write(self, vals):
        """A technician records the execution of his own visits, while he executes them:
        nothing else of the visit (its plan, its approval, its money) is his to change."""
        user = self.env.user
        if is_action_write(self.env) or user.has_group(GROUP_USER) \
                or not user.has_group("after_sales_service.group_technician"):
            return True
        for visit in self:
            allowed = TECHNICIAN_FIELDS.get(visit.state, ())
            refused = [name for name in vals if name not in allowed
                       and visit._differs(visit, name, vals[name])]
            if refused or (vals and user not in visit.technician_ids):
                labels = [self._fields[name].get_description(self.env)["string"]
                          for name in refused or vals]
                raise AccessError(_("A technician records only the execution of his own visits "
                                    "while on them: %(fields)s of %(visit)s can't be changed "
                                    "now.") % {"fields": ", ".join(labels), "visit": visit.name})
        return True

    @api.multi
    def unlink(self):
        if any(visit.state not in ("draft", "cancel") for visit in self):
            raise UserError(_("Only draft or cancelled visits can be deleted."))
        return super(Visit, self).unlink()

    @api.onchange("request_id")
    def _onchange_request_id(self):
        request = self.request_id
        if request:
            self.partner_id = request.partner_id
            self.site_address = request.site_address
            if request.product_id:
                self.product_ids = request.product_id
            if request.category in dict(VISIT_PURPOSES):
                self.purpose = request.category
            # a request on a product covered by an active contract is visited under it
            if request.product_id and not self.contract_id:
                day = (self.date_planned or fields.Datetime.now())[:10]
                contract = self.env["after_sales.contract"]._find_covering(
                    request.partner_id, request.product_id, request.lot_id, day,
                    request.company_id)[:1]
                if contract:
                    self.contract_id = contract

    @api.onchange("contract_id")
    def _onchange_contract_id(self):
        contract = self.contract_id
        if contract:
            self.partner_id = contract.partner_id
            self.site_address = contract.site_address
            self.purpose = contract.visit_purpose
            self.product_ids = contract.line_ids.mapped("product_id")

    @api.constrains("technician_ids", "purpose", "date_planned")
    def _check_technician_qualifications(self):
        """An unqualified technician, or one whose certificate has expired, can't be assigned."""
        for visit in self:
            day = (visit.date_planned or fields.Datetime.now())[:10]
            for technician in visit.technician_ids:
                missing = technician.after_sales_missing_qualifications(visit.purpose, day)
                if missing:
                    raise ValidationError(
                        _("%(technician)s can't be assigned to this visit: missing or "
                          "expired qualification %(qualifications)s.") % {
                            "technician": technician.name,
                            "qualifications": ", ".join(missing.mapped("name"))})

    # ------------------------------------------------------------------ computes

    def _compute_partner_phone(self):
        for visit in self:
            partner = visit.sudo().partner_id
            visit.partner_phone = partner.mobile or partner.phone \
                or partner.commercial_partner_id.phone

    @api.depends("state", "date_planned", "date_departure")
    def _compute_technician_list(self):
        now = fields.Datetime.now()
        today_start, tomorrow_start = self._local_day_start(), self._local_day_start(1)
        for visit in self:
            state, planned = visit.state, visit.date_planned
            visit.is_overdue = state in NOT_STARTED_STATES and bool(planned) and planned < now
            visit.is_current = state in OPEN_STATES or (
                state in FINISHED_STATES and (visit.date_departure or "") >= today_start)
            visit.is_planned_today = bool(planned) and today_start <= planned < tomorrow_start
            if visit.is_overdue:
                visit.technician_rank = RANK_OVERDUE
            elif state == "in_progress":
                visit.technician_rank = RANK_ON_SITE
            elif state in NOT_STARTED_STATES:
                visit.technician_rank = RANK_UPCOMING
            else:
                visit.technician_rank = RANK_FINISHED

    @api.model
    def _local_day_start(self, days=0):
        """The UTC moment (string) the user's day `days` after today starts, in the user's time
        zone (the context's, as the web client sends it, else the user's; UTC without either).
        Stored datetimes are UTC: comparing them with a local date would miss the first hours
        of the day east of Greenwich."""
        try:
            tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        today = datetime.now(pytz.utc).astimezone(tz).date() + timedelta(days=days)
        start = tz.localize(datetime.combine(today, time.min))
        return fields.Datetime.to_string(start.astimezone(pytz.utc).replace(tzinfo=None))

    @api.model
    def _boolean_domain(self, operator, value, domain):
        """`domain` for a search (field = True), its negation for (field = False)."""
        if operator not in ("=", "!=") or value not in (True, False):
            raise UserError(_("This filter only compares with True or False."))
        # the ORM puts it in place of the searched term: one expression, "&" made explicit
        domain = expression.normalize_domain(domain)
        return domain if (operator == "=") == value else ["!"] + domain

    @api.model
    def _search_is_overdue(self, operator, value):
        return self._boolean_domain(operator, value, [
            ("state", "in", NOT_STARTED_STATES), ("date_planned", "<", fields.Datetime.now())])

    @api.model
    def _search_is_current(self, operator, value):
        return self._boolean_domain(operator, value, [
            "|", ("state", "in", OPEN_STATES),
            "&", ("state", "in", FINISHED_STATES),
            ("date_departure", ">=", self._local_day_start())])

    @api.model
    def _search_is_planned_today(self, operator, value):
        return self._boolean_domain(operator, value, [
            ("date_planned", ">=", self._local_day_start()),
            ("date_planned", "<", self._local_day_start(1))])

    def _technician_rank_sql(self, alias):
        """technician_rank as an SQL expression (the same rule as _compute_technician_list),
        so that My Visits is sorted by the database, page by page. Only constants of this
        module and the server's clock go into it."""
        return ("CASE WHEN \"{a}\".state IN {not_started} AND \"{a}\".date_planned < '{now}' "
                "THEN {overdue} WHEN \"{a}\".state = 'in_progress' THEN {on_site} "
                "WHEN \"{a}\".state IN {not_started} THEN {upcoming} ELSE {finished} END").format(
                    a=alias, not_started=_sql_tuple(NOT_STARTED_STATES),
                    now=fields.Datetime.now(), overdue=RANK_OVERDUE, on_site=RANK_ON_SITE,
                    upcoming=RANK_UPCOMING, finished=RANK_FINISHED)

    @api.model
    def _generate_order_by_inner(self, alias, order_spec, query, reverse_direction=False,
                                 seen=None):
        """Sorting on technician_rank (a rank of the moment, not a column) sorts on its SQL
        expression; every other part of the order is the ORM's."""
        if "technician_rank" not in (order_spec or ""):
            return super(Visit, self)._generate_order_by_inner(
                alias, order_spec, query, reverse_direction, seen)
        self._check_qorder(order_spec)
        elements = []
        for part in order_spec.split(","):
            words = part.split()
            if words[0] != "technician_rank":
                elements += super(Visit, self)._generate_order_by_inner(
                    alias, part, query, reverse_direction, seen)
                continue
            descending = len(words) > 1 and words[1].upper() == "DESC"
            elements.append("%s %s" % (self._technician_rank_sql(alias),
                                       "ASC" if descending == reverse_direction else "DESC"))
        return elements

    @api.depends("request_id.in_warranty", "request_id.warranty_reason", "request_id.name",
                 "contract_id.date_start", "contract_id.date_end", "contract_id.name",
                 "demand_id.in_warranty", "demand_id.name", "date_planned", "company_id")
    def _compute_warranty(self):
        """One decision per case: a visit has its service request's warranty decision; without
        a request, its contract's (in force on the planned day: its fee covers the visit); else
        its requirement form's; else it is charged. Read as superuser: the decision doesn't
        depend on who looks (a technician, a requirement form's reader). A contract's state is
        read, not followed: cancelling a contract later doesn't change what its visits were
        (those not started are cancelled with it)."""
        now = fields.Datetime.now()
        for visit in self:
            # the related documents as superuser (not the visit: a new one lives in its cache)
            request = visit.request_id.sudo()
            contract = visit.contract_id.sudo()
            demand = visit.demand_id.sudo()
            if request:
                in_warranty = request.in_warranty
                reason = _("Service request %(request)s: %(reason)s") % {
                    "request": request.name, "reason": request.warranty_reason or ""}
            elif contract:
                day = self._local_date(visit.date_planned or now, visit.company_id)
                in_warranty = contract._covers_day(day)
                reason = contract._coverage_reason(day)
            elif demand:
                in_warranty = demand.in_warranty
                reason = (_("Requirement form %s: in warranty") if in_warranty
                          else _("Requirement form %s: out of warranty")) % demand.name
            else:
                in_warranty = False
                reason = _("No service request, contract or requirement form: out of warranty")
            visit.in_warranty = in_warranty
            visit.warranty_reason = reason

    @api.depends("date_planned", "duration")
    def _compute_date_planned_end(self):
        for visit in self:
            if visit.date_planned:
                start = fields.Datetime.from_string(visit.date_planned)
                visit.date_planned_end = fields.Datetime.to_string(
                    start + _hours(visit.duration))

    @api.depends("purpose", "distance_km", "in_warranty", "company_id")
    def _compute_estimate(self):
        standards = {}  # one fee standard lookup per company, not per visit
        for visit in self:
            company = visit.company_id
            if company not in standards:
                standards[company] = self.env["after_sales.fee.standard"].for_company(company)
            standard = standards[company]
            visit.estimated_labour = standard.labour_price(visit.purpose)
            visit.estimated_travel = standard.travel_price(visit.distance_km)
            visit.estimated_cost = visit.estimated_labour + visit.estimated_travel

    def _compute_picking_count(self):
        for visit in self:
            visit.picking_count = len(visit.sudo().picking_ids)

    @api.depends("invoice_ids.amount_untaxed", "invoice_ids.state", "part_ids.qty_used")
    def _compute_amount_charged(self):
        for visit in self:
            invoices = visit.sudo().invoice_ids.filtered(lambda i: i.state != "cancel")
            visit.amount_charged = sum(invoices.mapped("amount_total"))
            visit.amount_standard, visit.charge_departs = 0.0, False
            if visit.in_warranty or not invoices:
                continue
            standard = self.env["after_sales.fee.standard"].for_company(visit.company_id)
            visit.amount_standard = sum(qty * price for _product, qty, price, _name
                                        in visit._prepare_charge_lines())
            visit.charge_departs = standard.departs_from(
                visit.amount_standard, sum(invoices.mapped("amount_untaxed")))

    @api.depends("state", "appointment_confirmed", "tool_ids.checked", "training_material_ids",
                 "purpose", "technician_ids", "part_ids", "picking_ids.state")
    def _compute_checklist(self):
        for visit in self:
            problems = visit._checklist_problems()
            visit.checklist_missing = "\n".join(problems) or False  # the views test False
            visit.checklist_summary = _("Not ready (%s)") % len(problems) if problems else False

    def _checklist_problems(self):
        """What still stops the technician from recording his arrival (Arrived on Site) on this
        submitted or approved visit, each with who does what about it, in the user's language:
        the one rule the form's alert, the cards' badge and action_start share."""
        if self.state not in NOT_STARTED_STATES:
            return []
        problems = []
        if self.state == "to_approve":
            problems.append(_("The trip is not approved by the general manager yet."))
        if not self.appointment_confirmed:
            problems.append(_("The appointment is not confirmed with the customer: call them, "
                              "then tick \"Appointment Confirmed with the Customer\" "
                              "(Preparation tab)."))
        if not self.technician_ids:
            problems.append(_("No technician is assigned."))
        if self.purpose == "training" and not self.training_material_ids:
            problems.append(_("Training material is not attached."))
        unchecked = self.tool_ids.filtered(lambda t: not t.checked)
        if unchecked:
            problems.append(_("Tools not packed yet (tick them in the Preparation tab): %s")
                            % ", ".join(unchecked.mapped("name")))
        if self.part_ids:
            issue = self._parts_issue_picking()
            if not issue:
                problems.append(_("The parts to take are not issued to the technician yet: the "
                                  "after-sales department issues them (Issue Parts)."))
            elif issue.state != "done":
                problems.append(_("The parts transfer %s is not validated by the warehouse "
                                  "yet.") % issue.name)
        return problems

    @api.depends("state", "checklist_missing")
    def _compute_can_be(self):
        for visit in self:
            state = visit.state
            visit.can_be_submitted = state == "draft"
            visit.can_be_approved = state == "to_approve"
            visit.can_be_started = state == "approved" and not visit.checklist_missing
            visit.can_be_done = state == "in_progress"
            visit.can_be_verified = state == "done"
            visit.can_be_cancelled = state in ("draft", "to_approve", "approved")

    @api.depends("state", "part_ids", "picking_ids.state", "picking_ids.after_sales_visit_role")
    def _compute_can_be_issued(self):
        # Issue Parts is offered until the parts are issued (once: a second issue is refused)
        for visit in self:
            visit.can_be_issued = visit.state in ("draft", "to_approve", "approved") \
                and bool(visit.part_ids) and not visit._parts_issue_picking()

    # ------------------------------------------------------------------ approval

    @api.model
    def _approval_steps(self):
        return [ApprovalStep(
            "approve", _("Trip approval"), "to_approve", "approved", "after_sales_service.group_general_manager",
            user_field="approved_by_id", date_field="date_approved", reject_state="rejected",
            tile="visit_gm",
            denied=_("Only the general manager approves trips (出差应经总经理批准)."),
            refused=_("These visits are not waiting for approval: %s"))]

    @api.multi
    @document_action
    def action_submit(self):
        self._check_can("can_be_submitted", _("Only draft visits can be submitted: %s"))
        self.write({"state": "to_approve"})
        self._sync_approval_activities()
        return True

    @api.multi
    @document_action
    def action_approve(self):
        self._approve_step("approve")
        self.mapped("request_id").filtered(lambda r: r.state == "in_progress") \
            .action_set_waiting("visit")
        self._notify_customer("after_sales_service.mail_template_visit_scheduled",
                              "after_sales_notify_visit")
        return True

    @api.multi
    @document_action
    def action_reject(self, reason=None):
        return self._reject_step(reason)

    @api.multi
    def action_reject_wizard(self):
        return self._open_reason_wizard("reject", _("Reject Visit"))

    @api.multi
    @document_action
    def action_cancel(self, reason=None):
        self._check_group(GROUP_USER, _("Only the after-sales department cancels visits."))
        self._check_can("can_be_cancelled", _("These visits can't be cancelled: %s"))
        reason = self._check_reason(reason, "cancel")
        self.sudo().mapped("picking_ids").filtered(
            lambda p: p.state not in ("done", "cancel")).action_cancel()
        self.write({"state": "cancel", "cancel_reason": reason})
        return True

    @api.multi
    def action_cancel_wizard(self):
        return self._open_reason_wizard("cancel", _("Cancel Visit"))

    # ------------------------------------------------------------------ parts

    def _warehouse(self):
        # technicians need not read warehouses: the process looks it up for them
        return self.sudo()._default_warehouse(self.company_id)

    def _parts_issue_picking(self):
        return self.sudo().picking_ids.filtered(lambda p: p.after_sales_visit_role == "issue"
                                         and p.state != "cancel")[:1]

    def _prepare_picking_vals(self, role, source, destination, partner, lines):
        warehouse = self._warehouse()
        picking_type = warehouse.int_type_id if role != "consume" else warehouse.out_type_id
        return {
            "picking_type_id": picking_type.id, "partner_id": partner.id,
            "location_id": source.id, "location_dest_id": destination.id,
            "origin": self.name, "after_sales_visit_id": self.id,
            "after_sales_visit_role": role,
            "move_lines": [(0, 0, {
                "name": product.display_name, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": qty,
                "location_id": source.id, "location_dest_id": destination.id,
            }) for product, qty in lines if qty > 0],
        }

    @api.multi
    @document_action
    def action_issue_parts(self):
        """Parts to take go out of the parts store to the (first) technician's stock."""
        self._check_group(GROUP_USER, _("Only the after-sales department issues the parts "
                                        "of a visit."))
        for visit in self:
            if visit.state not in ("approved", "to_approve", "draft") or not visit.part_ids:
                raise UserError(_("Nothing to issue for %s.") % visit.name)
            if visit._parts_issue_picking():
                raise UserError(_("The parts of %s are already issued.") % visit.name)
            if not visit.technician_ids:
                raise UserError(_("Assign a technician first."))
            warehouse = visit._warehouse()
            van = warehouse.after_sales_technician_location(visit.technician_ids[0])
            # created on behalf of the process; the warehouse reserves and validates it
            self._create_reserved_picking(visit._prepare_picking_vals(
                "issue", warehouse.after_sales_parts_location_id, van, visit.partner_id,
                [(line.product_id, line.qty_taken) for line in visit.part_ids]))
        return True

    def _done_move_qty(self, role, product):
        pickings = self.sudo().picking_ids.filtered(lambda p: p.after_sales_visit_role == role
                                             and p.state == "done")
        moves = pickings.mapped("move_lines").filtered(lambda m: m.product_id == product
                                                       and m.state == "done")
        return sum(moves.mapped("product_qty"))

    def _settle_parts(self):
        """On completion: used parts leave the technician's stock for the customer (done now, the
        technician used them on site); the rest goes back to the parts store (validated by the
        warehouse when it arrives)."""
        issue = self._parts_issue_picking()
        if not issue:
            return
        van = issue.location_dest_id
        warehouse = self._warehouse()
        used = [(line.product_id, line.qty_used) for line in self.part_ids]
        rest = [(line.product_id, line.qty_taken - line.qty_used) for line in self.part_ids]
        if any(qty for _product, qty in used):
            consume = self._create_reserved_picking(self._prepare_picking_vals(
                "consume", van, self.partner_id.property_stock_customer, self.partner_id, used))
            for move in consume.move_lines:
                move.quantity_done = move.product_uom_qty
            consume.action_done()
        if any(qty > 0 for _product, qty in rest):
            self._create_reserved_picking(self._prepare_picking_vals(
                "return", van, warehouse.after_sales_parts_location_id, self.partner_id, rest))

    # ------------------------------------------------------------------ execution

    @api.multi
    @document_action
    def action_start(self):
        for visit in self:
            missing = visit._checklist_problems()
            if missing:
                raise UserError(visit._start_refusal(missing))
        self._check_can("can_be_started", _("Only approved visits can start: %s"))
        self.write({"state": "in_progress"})
        for visit in self.filtered(lambda v: not v.date_arrival):
            visit.date_arrival = fields.Datetime.now()
        return True

    def _start_refusal(self, missing):
        """The message refusing Arrived on Site: the visit and the reasons the form shows."""
        return _("%(visit)s can't start yet:\n%(missing)s") % {
            "visit": self.name, "missing": "\n".join(missing)}

    @api.multi
    @document_action
    def action_done(self):
        """The execution record is complete: settle parts, charge, resolve the request."""
        self._check_can("can_be_done", _("Only visits on site can be completed: %s"))
        for visit in self:
            missing = visit._record_problems()
            if missing:
                raise UserError(_("Complete the service record of %(visit)s:\n%(missing)s")
                                % {"visit": visit.name, "missing": "\n".join(missing)})
        for visit in self:
            visit._settle_parts()
            visit._charge_customer()
            days = visit._overtime_days()
            visit.write({"state": "done", "is_overtime": bool(days), "overtime_days": days})
        self._resolve_requests()
        self._on_visit_done()
        return True

    def _record_problems(self):
        problems = []
        if not self.date_arrival or not self.date_departure:
            problems.append(_("arrival and departure times"))
        elif self.date_departure < self.date_arrival:
            problems.append(_("a departure after the arrival"))
        if not self.arrival_confirmed:
            problems.append(_("the customer's confirmation of the arrival time"))
        if not (self.fault_found or "").strip() or not (self.handling or "").strip():
            problems.append(_("the fault found and its handling"))
        if not self.customer_signer or not self.customer_signature:
            problems.append(_("the customer's name and signature"))
        for line in self.part_ids.filtered(lambda l: l.qty_used > l.qty_taken):
            problems.append(_("used quantity of %s above the quantity taken")
                            % line.product_id.display_name)
        return problems

    def _prepare_charge_lines(self):
        """Out of warranty: labour and travel per the fee standard, and the parts used."""
        standard = self.env["after_sales.fee.standard"].for_company(self.company_id)
        data = self.env.ref
        lines = [
            (data("after_sales_service.product_labour"), 1.0, self.estimated_labour,
             _("Labour: %s") % dict(VISIT_PURPOSES)[self.purpose]),
            (data("after_sales_service.product_travel"), 1.0, self.estimated_travel,
             _("Travel (%s km)") % self.distance_km),
        ]
        lines += [(line.product_id, line.qty_used, standard.part_price(line.product_id), False)
                  for line in self.part_ids]
        return [line for line in lines if line[2] or line[0].type == "product"]

    def _charge_customer(self):
        if self.in_warranty:
            return
        self.env["after_sales.fee.standard"].for_company(self.company_id).check_part_costs(
            self.part_ids.filtered("qty_used").mapped("product_id"))
        invoice = self._create_charge_invoice(self.partner_id, self._prepare_charge_lines(),
                                              self.name, company=self.company_id)
        if invoice:
            self.sudo().invoice_ids = [(4, invoice.id)]

    def _overtime_days(self):
        """Days of the visit worked outside the company calendar (after hours or holidays)."""
        start = fields.Datetime.from_string(self.date_arrival)
        end = fields.Datetime.from_string(self.date_departure)
        elapsed = (end - start).total_seconds() / 3600.0
        working = self.company_id.after_sales_working_hours(start, end)
        if elapsed - working < 0.25:  # a quarter of an hour of tolerance
            return 0
        return (end.date() - start.date()).days + 1

    def _resolve_requests(self):
        """A request whose visits are all done is resolved with the visit's findings."""
        for request in self.mapped("request_id").filtered(
                lambda r: r.state in ("in_progress", "waiting")):
            pending = request.visit_ids.filtered(
                lambda v: v.state in ("draft", "to_approve", "approved", "in_progress"))
            if pending:
                continue
            visits = request.visit_ids.filtered(lambda v: v.state == "done")
            request.write({
                "fault_found": request.fault_found or "\n".join(visits.mapped("fault_found")),
                "method_used": request.method_used or "\n".join(visits.mapped("handling")),
            })
            request.action_resolve()

    def _on_visit_done(self):
        """Every completed visit is followed by a service satisfaction callback; the customer
        is invited to answer it online."""
        callbacks = self.env["after_sales.callback"].sudo()._create_for_visits(self)
        callbacks._portal_invite(automatic=True)
        return True

    # ------------------------------------------------------------------ verification

    @api.multi
    @document_action
    def action_verify(self):
        """The department checks the signed record (returned the next day); overtime visits
        then earn each technician the subsidy, paid through a vendor bill."""
        self._check_group(GROUP_USER, _("Only the after-sales department verifies service "
                                        "records."))
        self._check_can("can_be_verified", _("Only completed visits can be verified: %s"))
        for visit in self.filtered("is_overtime"):
            visit._bill_subsidy()
        self.write({"state": "verified", "verified_by_id": self.env.user.id})
        return True

    def _bill_subsidy(self):
        rate = self.company_id.after_sales_overtime_subsidy
        product = self.env.ref("after_sales_service.product_overtime_subsidy")
        bills = self.env["account.invoice"]
        for technician in self.technician_ids:
            bills |= self._create_charge_invoice(
                technician.partner_id, [(product, self.overtime_days, rate,
                                         _("Overtime subsidy %(visit)s (%(days)s days)")
                                         % {"visit": self.name, "days": self.overtime_days})],
                self.name, invoice_type="in_invoice", company=self.company_id)
        self.sudo().subsidy_bill_ids = [(4, bill.id) for bill in bills]

    @api.multi
    def action_view_pickings(self):
        return self._window_action("stock.action_picking_tree_all",
                                   [("after_sales_visit_id", "in", self.ids)])

    # ------------------------------------------------------------------ customer's signature
    # The customer signs the service record on the technician's pad (the form's signature
    # widget) or on his own phone through the record's link (portal page /service-record,
    # _portal_sign): the same fields, written in the same state (TECHNICIAN_FIELDS), and the
    # technician then completes the visit (action_done) either way. Signed on a phone there is
    # no paper: the signed record is filed on the visit (_file_signed_record), the customer
    # downloads his copy.

    def _compute_portal_url(self):
        for visit in self:
            visit.portal_url = "/service-record/%s" % visit.id

    sign_url = fields.Char("Signing Link", compute="_compute_sign_url",
                           help="Open on the customer's phone: the customer reads the "
                                "service record and signs it there, instead of on the pad.")

    def _compute_sign_url(self):
        for visit in self:
            visit.sign_url = visit._portal_can_sign() and visit._portal_full_url(
                "/service-record/%s?access_token=%s" % (visit.id, visit.sudo().access_token))

    def _portal_can_sign(self):
        """The customer signs while the record may take his signature (the states where the
        technician records it on the pad), once."""
        self.ensure_one()
        return "customer_signature" in TECHNICIAN_FIELDS.get(self.state, ()) \
            and not self.sudo().customer_signature

    @api.multi
    def _portal_sign(self, signer, signature, evaluation=None, comment=None):
        """The customer signs on his phone (the record's link): the fields the pad fills,
        written on behalf of the process (the customer is no user of the backend), then the
        signed record is filed."""
        self.ensure_one()
        signer = (signer or "").strip()
        if not self._portal_can_sign():
            raise UserError(_("This service record can't be signed any more."))
        if not signer:
            raise UserError(_("Write your name."))
        if not signature or not _is_signature(signature):
            raise UserError(_("Sign in the box."))
        vals = {"customer_signer": signer, "customer_signature": signature,
                "customer_comment": (comment or "").strip() or self.customer_comment}
        if evaluation in dict(EVALUATIONS):
            vals["customer_evaluation"] = evaluation
        self.sudo()._as_action().write(vals)
        self._file_signed_record()
        return True

    def _file_signed_record(self):
        """The signed service record (both copies) is filed on the visit, and the chatter
        says who signed."""
        report = self.env.ref("after_sales_service.visit_report").sudo()
        for visit in self.sudo():
            body = _("Service record signed by %s.") % html_escape(visit.customer_signer or "")
            try:
                pdf = report.render_qweb_pdf(visit.ids)[0]
            except UserError as error:  # no PDF converter: the signature is kept all the same
                visit.message_post(body=_("%(signed)s The signed record could not be filed: "
                                          "%(error)s") % {"signed": body,
                                                          "error": html_escape(error.name)},
                                   subtype="mail.mt_note")
                continue
            name = "%s %s.pdf" % (visit.name, _("signed"))
            attachment = self.env["ir.attachment"].sudo().create({
                "name": name, "datas_fname": name, "datas": base64.b64encode(pdf),
                "res_model": visit._name, "res_id": visit.id, "mimetype": "application/pdf"})
            visit.message_post(body=body, attachment_ids=attachment.ids, subtype="mail.mt_note")
        return True

    @api.multi
    def action_send_sign_link(self):
        """Button: mail the customer the link to sign the service record on his phone."""
        for visit in self:
            if not visit._portal_can_sign():
                raise UserError(_("%s is not on site, or already signed.") % visit.name)
            if not visit.partner_id.email:
                raise UserError(_("%s has no e-mail address: open the signing link on the "
                                  "customer's phone instead.") % visit.partner_id.name)
        self._notify_customer("after_sales_service.mail_template_visit_sign")
        return True


def _is_signature(signature):
    """Whether `signature` (base64) is a PNG image with something drawn on it."""
    try:
        image = Image.open(io.BytesIO(base64.b64decode(signature)))
        if image.format != "PNG":
            return False
        # on white (a pad's background may be transparent), the strokes are what is dark
        image = image.convert("RGBA")
        flat = Image.alpha_composite(Image.new("RGBA", image.size, (255, 255, 255, 255)), image)
        drawn = flat.convert("L").point(lambda level: 255 if level < 200 else 0)
        return drawn.getbbox() is not None
    except Exception:  # pylint: disable=broad-except  # undecodable: not a signature
        return False


def _hours(hours):
    return timedelta(hours=hours or 0.0)


def _sql_tuple(values):
    """An SQL list of constant strings of this module (never user input)."""
    return "(%s)" % ", ".join("'%s'" % value for value in values)


class VisitTool(models.Model):
    _name = "after_sales.visit.tool"
    _inherit = ["after_sales.document.line"]
    _description = "Visit Tool or Instrument"
    _header_field = "visit_id"
    _editable_states = PREPARING_STATES

    visit_id = fields.Many2one("after_sales.visit", required=True, ondelete="cascade")
    name = fields.Char("Tool / Instrument", required=True)
    quantity = fields.Integer(default=1)
    checked = fields.Boolean("Packed")


class VisitPart(models.Model):
    _name = "after_sales.visit.part"
    _inherit = ["after_sales.document.line"]
    _description = "Part Taken on a Visit"
    _header_field = "visit_id"
    _editable_states = PREPARING_STATES
    _field_states = {"qty_used": ("in_progress",)}  # recorded on site

    visit_id = fields.Many2one("after_sales.visit", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", "Part", required=True,
                                 domain=[("type", "in", ("product", "consu"))])
    qty_taken = fields.Float("Taken", required=True, default=1.0)
    qty_used = fields.Float("Used")
    qty_returned = fields.Float("Returned to Store", compute="_compute_qty_returned")

    @api.constrains("qty_taken", "qty_used")
    def _check_quantities(self):
        for line in self:
            if line.qty_taken < 0 or line.qty_used < 0:
                raise ValidationError(_("Quantities can't be negative."))

    def _compute_qty_returned(self):
        for line in self:
            line.qty_returned = line.visit_id._done_move_qty("return", line.product_id)

    def _check_header_states(self, headers, field_names):
        """Once the parts are issued to the technician, what was taken is what the transfer
        moved: only the quantity used is still recorded (on site)."""
        super(VisitPart, self)._check_header_states(headers, field_names)
        if is_action_write(self.env):
            return True
        issued = headers.filtered(lambda visit: visit._parts_issue_picking())
        if issued and set(field_names or [None]) - {"qty_used"}:
            raise AccessError(_("The parts of %s are issued to the technician: what was taken "
                                "can't be changed any more.") % ", ".join(issued.mapped("name")))
        return True
