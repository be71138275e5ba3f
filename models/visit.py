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
                 "other_products_note", "daily_report_ids"),
    "in_progress": ("appointment_confirmed", "tool_ids", "other_products_need_service",
                    "other_products_note", "date_arrival", "arrival_confirmed",
                    "date_departure", "fault_found", "handling", "fee_standard_shown",
                    "customer_signer", "customer_signature", "customer_evaluation",
                    "customer_comment", "part_ids", "daily_report_ids", "training_content",
                    "training_attendees"),
    # on the way back: the last daily reports of the trip (001-4 第三节7)
    "done": ("daily_report_ids",),
}
# what a service station records on the visits of the requests dispatched to it, per state:
# it plans them (the general manager approves the cost, as for ours), then records the
# execution as our technicians do
STATION_FIELDS = {
    "draft": ("request_id", "purpose", "partner_id", "site_address", "product_ids",
              "date_planned", "duration", "technician_ids", "distance_km",
              "appointment_confirmed", "tool_ids", "part_ids", "training_material_ids",
              "other_products_need_service", "other_products_note"),
    "to_approve": ("appointment_confirmed", "tool_ids"),
    "approved": TECHNICIAN_FIELDS["approved"] + ("part_ids",),
    "in_progress": TECHNICIAN_FIELDS["in_progress"],
}
STATION_PART_FIELDS = ("product_id", "qty_taken", "qty_used", "visit_id")
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
    _reason_actions = ("reject", "cancel", "refuse_subsidy")
    _text_limits = {
        "site_address": LINE_LENGTH, "other_products_note": TEXT_LENGTH,
        "fault_found": TEXT_LENGTH, "handling": TEXT_LENGTH, "customer_signer": NAME_LENGTH,
        "customer_comment": TEXT_LENGTH, "reject_reason": TEXT_LENGTH,
        "cancel_reason": TEXT_LENGTH, "training_content": TEXT_LENGTH,
        "training_attendees": TEXT_LENGTH,
    }
    # a negative distance would invoice a negative travel fee
    _non_negative_fields = ("distance_km", "duration")
    _datetime_order = (("date_arrival", "date_departure"),)
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "approved_by_id", "date_approved", "reject_reason", "cancel_reason",
                     "invoice_ids", "is_overtime", "overtime_days", "verified_by_id",
                     "subsidy_bill_ids", "contract_visit_date", "demand_id", "estimated_labour",
                     "estimated_travel", "estimated_cost", "date_verified",
                     # trips and signatures (001-4 第三节, 第五节)
                     "date_returned", "returned_by_id", "record_due", "record_overdue",
                     "subsidy_state", "subsidy_step", "subsidy_refuse_reason")
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

    # the customer training record (客户培训记录表) of a training visit, and when the
    # department verified the record (the staff assessment counts records handed in on time)
    training_content = fields.Text(copy=False)
    training_attendees = fields.Text("Customer's Attendees", copy=False,
                                     help="The customer's people trained, one per line.")
    date_verified = fields.Datetime("Verified On", readonly=True, copy=False)

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
        vals = self._prepare_station_create_vals(vals)
        return super(Visit, self).create(vals)

    @api.multi
    def write(self, vals):
        vals = self._check_computed_unchanged(vals, WARRANTY_FIELDS, _(
            "The warranty of a visit is decided by its service request (or its contract): it "
            "can't be set on the visit."))
        self._check_technician_write(vals)
        self._check_station_write(vals)
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

    @api.constrains("technician_ids", "purpose", "date_planned", "product_ids")
    def _check_technician_qualifications(self):
        """An unqualified technician, or one whose certificate has expired, can't be assigned;
        nor one (ours or a station's) untrained for a product category that requires training
        (经培训合格后方可上岗). The one check of assignment and submission."""
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
        problems = self._training_problems()
        if problems:
            raise ValidationError("\n".join(problems))

    def _training_problems(self):
        """For the whole set, in two searches: each technician of a visit whose products are
        of a category requiring training must have passed a held training session of that
        category (or of a parent) by the planned day, or hold a certificate for it valid that
        day. Returns the refusals, naming the technician, the category and what is missing."""
        visits = self.filtered(lambda v: v.technician_ids and any(
            _needs_training(categ) for categ in v.product_ids.mapped("categ_id")))
        if not visits:
            return []
        users = visits.mapped("technician_ids")
        passed = {}  # user id: [(category, date)]
        for attendee in self.env["after_sales.training.attendee"].sudo().search([
                ("user_id", "in", users.ids), ("result", "=", "passed"),
                ("session_state", "=", "done"), ("categ_id", "!=", False)]):
            passed.setdefault(attendee.user_id.id, []).append((attendee.categ_id, attendee.date))
        certificates = {}  # user id: [qualification]
        for qualification in self.env["after_sales.technician.qualification"].sudo().search([
                ("user_id", "in", users.ids), ("type_id.categ_ids", "!=", False)]):
            certificates.setdefault(qualification.user_id.id, []).append(qualification)
        problems = []
        for visit in visits:
            day = (visit.date_planned or fields.Datetime.now())[:10]
            categories = visit.product_ids.mapped("categ_id").filtered(_needs_training)
            for technician in visit.technician_ids:
                for category in categories:
                    missing = _training_missing(category, day, passed.get(technician.id, []),
                                                certificates.get(technician.id, []))
                    if missing:
                        problems.append(_(
                            "%(technician)s can't be assigned to %(visit)s: product category "
                            "%(category)s requires training before service, and %(missing)s.")
                            % {"technician": technician.name, "visit": visit.name,
                               "category": category.display_name, "missing": missing})
        return problems

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
        if self.part_ids and not self.station_id:
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
        return self._trip_approval_steps() + self._subsidy_approval_steps()

    @api.model
    def _trip_approval_steps(self):
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
        self._check_technician_qualifications()
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
        if self.station_id:
            return self._settle_station_parts()
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
            missing = visit._record_problems() + visit._station_stock_problems()
            if missing:
                raise UserError(_("Complete the service record of %(visit)s:\n%(missing)s")
                                % {"visit": visit.name, "missing": "\n".join(missing)})
        for visit in self:
            visit._settle_parts()
            visit._charge_customer()
            days = visit._overtime_days()
            visit.write({"state": "done", "is_overtime": bool(days), "overtime_days": days,
                         "record_due": visit._record_due()})
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
        self.write({"state": "verified", "verified_by_id": self.env.user.id,
                    "date_verified": fields.Datetime.now(), "record_overdue": False})
        # the subsidy is billed once the attendance sheet is signed (action_sign_subsidy)
        self.filtered("is_overtime").write({"subsidy_state": "to_sign", "subsidy_step": 1})
        self._sync_approval_activities()
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

    # ------------------------------------------------------------------ service stations
    # A service station (特约维修点) records its own visits for the requests dispatched to it:
    # the same record, parts used and signature as ours; parts come out of the station's own
    # stock location; the visits are paid to the station by its monthly settlement.

    station_id = fields.Many2one(
        "res.partner", "Service Station", index=True, readonly=True,
        states={"draft": [("readonly", False)]}, domain="[('after_sales_is_station', '=', True)]",
        help="The service station making this visit (its staff are the technicians); empty "
             "for our own visits.")
    station_settlement_id = fields.Many2one("after_sales.station.settlement", "Settlement",
                                            readonly=True, copy=False, index=True)

    @api.model
    def _user_station(self):
        """The service station the user works for (a station user's company), else empty."""
        user = self.env.user
        if user.has_group("after_sales_service.group_service_station") \
                and not user.has_group(GROUP_USER):
            return user.partner_id.commercial_partner_id
        return self.env["res.partner"]

    @api.model
    def _prepare_station_create_vals(self, vals):
        """A station user's visit is the station's, for a request dispatched to it."""
        station = self._user_station()
        if not station:
            return vals
        request = self.env["after_sales.request"].browse(vals.get("request_id"))
        if not request or request.station_id != station or request.needs_dispatch:
            raise AccessError(_("A service station records visits only for the requests "
                                "dispatched to it."))
        return dict(vals, station_id=station.id)

    def _check_station_write(self, vals):
        """A station changes only its plan while draft, then the execution record."""
        if is_action_write(self.env):
            return True
        if "station_settlement_id" in vals and any(
                visit._differs(visit, "station_settlement_id", vals["station_settlement_id"])
                for visit in self):
            raise AccessError(_("The settlement of a visit is set by the station's monthly "
                                "settlement only."))
        station = self._user_station()
        if not station:
            return True
        for visit in self:
            allowed = STATION_FIELDS.get(visit.state, ())
            refused = [name for name in vals if name not in allowed
                       and visit._differs(visit, name, vals[name])]
            if refused:
                raise AccessError(_("A service station records its visits' plan (while draft) "
                                    "and their execution: %(fields)s of %(visit)s can't be "
                                    "changed now.") % {
                                        "fields": ", ".join(self._field_label(name)
                                                            for name in refused),
                                        "visit": visit.name})
        return True

    @api.constrains("station_id", "technician_ids", "purpose", "date_planned", "request_id",
                    "partner_id")
    def _check_station_visit(self):
        """A station's visit is made by its own staff, under its active agreement covering the
        service, for a request dispatched to it."""
        stations = self.mapped("station_id")
        if not stations:
            return
        Agreement = self.env["after_sales.station.agreement"]
        for visit in self.filtered("station_id"):
            station = visit.station_id
            strangers = visit.technician_ids.sudo().filtered(
                lambda u: u.partner_id.commercial_partner_id != station)
            if strangers:
                raise ValidationError(_("%(users)s don't work for %(station)s: a station's "
                                        "visit is made by its own staff.") % {
                                            "users": ", ".join(strangers.mapped("name")),
                                            "station": station.name})
            if visit.request_id and visit.request_id.sudo().station_id != station:
                raise ValidationError(_("%(request)s is not dispatched to %(station)s.") % {
                    "request": visit.request_id.sudo().name, "station": station.name})
            day = self._local_date(visit.date_planned, visit.company_id)
            agreement = Agreement._find_active(station, day, visit.company_id).get(station.id)
            if not agreement or not agreement.covers(visit.purpose):
                raise ValidationError(_(
                    "%(station)s has no active agreement covering %(service)s on %(day)s: "
                    "the after-sales manager activates one first.") % {
                        "station": station.name, "day": day,
                        "service": dict(self._fields["purpose"]._description_selection(
                            self.env))[visit.purpose]})
            state, city = visit._site_area()
            if not agreement.covers_site(state, city):
                raise ValidationError(_(
                    "The site of %(visit)s (%(site)s) is outside the areas of %(station)s's "
                    "agreement %(agreement)s (%(areas)s): send our own technician, or the "
                    "after-sales manager extends the agreement's areas.") % {
                        "visit": visit.name, "station": station.name,
                        "agreement": agreement.name, "areas": agreement._areas_label(),
                        "site": " ".join(part for part in (state.name, city) if part)
                        or _("no province or city")})

    def _site_area(self):
        """(province, city) of the visit's site: its request's (see Request._site_area), else
        the customer's address."""
        if self.request_id:
            return self.request_id.sudo()._site_area()
        partner = self.partner_id.sudo()
        return partner.state_id, (partner.city or "").strip()

    def _station_location(self):
        return self._warehouse().after_sales_station_location(self.station_id)

    def _station_stock_problems(self):
        """The parts a station used that its stock location does not hold."""
        if not self.station_id:
            return []
        location = self.sudo()._station_location()
        used = {}
        for line in self.part_ids.filtered("qty_used"):
            used[line.product_id] = used.get(line.product_id, 0.0) + line.qty_used
        problems = []
        for product, qty in sorted(used.items(), key=lambda item: item[0].id):
            quants = self.env["stock.quant"].sudo()._gather(product, location, strict=True)
            available = sum(quants.mapped("quantity")) - sum(quants.mapped("reserved_quantity"))
            if available < qty:
                problems.append(_("%(part)s: %(used)s used, the station's stock holds "
                                  "%(available)s") % {"part": product.display_name,
                                                      "used": qty, "available": available})
        return problems

    def _settle_station_parts(self):
        """The parts the station used leave its stock for the customer (done now); the rest
        stays in the station's stock."""
        used = [(line.product_id, line.qty_used) for line in self.part_ids]
        if not any(qty for _product, qty in used):
            return
        location = self.sudo()._station_location()
        consume = self._create_reserved_picking(self._prepare_picking_vals(
            "consume", location, self.partner_id.property_stock_customer, self.partner_id,
            used))
        for move in consume.move_lines:
            move.quantity_done = move.product_uom_qty
        consume.action_done()

    def _station_hours_on_site(self):
        """Hours between arrival and departure (to the hundredth), what hourly labour pays."""
        if not self.date_arrival or not self.date_departure:
            return 0.0
        delta = fields.Datetime.from_string(self.date_departure) \
            - fields.Datetime.from_string(self.date_arrival)
        return round(delta.total_seconds() / 3600.0, 2)

    # ------------------------------------------------------------------ trips (001-4 第三节)
    # A visit away from base is a trip (出差): far (the company's trip distance) or planned
    # over a working day or more. On a trip the technician reports daily from his phone, asks
    # the manager for any extension before the planned end, and registers his return; the
    # service record is due back the next working day after the work (第二节5).

    is_trip = fields.Boolean(
        "Business Trip", compute="_compute_is_trip", store=True, index=True,
        help="A trip (出差): at least the company's trip distance away, or planned for a "
             "working day or more. The technician reports daily, asks for any extension "
             "before the planned end and registers his return.")
    daily_report_ids = fields.One2many("after_sales.visit.daily.report", "visit_id",
                                       "Daily Reports", copy=False)
    extension_ids = fields.One2many("after_sales.visit.extension", "visit_id", "Extensions",
                                    copy=False)
    date_returned = fields.Datetime("Returned On", readonly=True, copy=False,
                                    track_visibility="onchange")
    returned_by_id = fields.Many2one("res.users", "Return Registered By", readonly=True,
                                     copy=False)
    record_due = fields.Datetime(
        "Record Due Back", readonly=True, copy=False,
        help="The signed service record is handed back to the department by the end of the "
             "next working day after the work (company calendar).")
    record_overdue = fields.Boolean(
        readonly=True, copy=False, index=True,
        help="Completed, its service record not verified, and its due time has passed "
             "(refreshed by a scheduled job).")
    # the attendance sheet's signatures before the overtime subsidy is billed (第五节(3))
    subsidy_state = fields.Selection([
        ("none", "No Subsidy"), ("to_sign", "Awaiting Signatures"),
        ("signed", "Signed and Billed"), ("refused", "Refused"),
    ], "Overtime Subsidy", default="none", required=True, readonly=True, copy=False,
        index=True, track_visibility="onchange")
    subsidy_step = fields.Integer("Subsidy Signature Waiting", readonly=True, copy=False,
                                  help="The position of the signature the subsidy waits for "
                                       "(0: none).")
    # our technicians' overtime: not shown to the service stations
    subsidy_signature_ids = fields.One2many(
        "after_sales.visit.signature", "visit_id", "Subsidy Signatures", readonly=True,
        copy=False, groups="after_sales_service.group_technician,account.group_account_invoice")
    subsidy_refuse_reason = fields.Char("Subsidy Refusal Reason", readonly=True, copy=False)
    subsidy_waiting_for = fields.Char("Subsidy Waits For", compute="_compute_subsidy_waiting")

    @api.depends("distance_km", "duration", "company_id.after_sales_trip_distance")
    def _compute_is_trip(self):
        for visit in self:
            limit = visit.company_id.after_sales_trip_distance
            visit.is_trip = (limit > 0 and visit.distance_km >= limit) \
                or visit.duration >= 8.0

    def _compute_subsidy_waiting(self):
        steps = self.env["after_sales.signature.step"]._steps_for(self.env.user.company_id)
        for visit in self:
            step = steps[visit.subsidy_step - 1] if visit.subsidy_state == "to_sign" \
                and 0 < visit.subsidy_step <= len(steps) else None
            visit.subsidy_waiting_for = step.name if step else False

    def _record_due(self):
        """The end of the next working day after the work (its departure from the site)."""
        departure = fields.Datetime.from_string(self.date_departure or fields.Datetime.now())
        return fields.Datetime.to_string(
            self.company_id.after_sales_next_working_day_end(departure))

    @api.model
    def _cron_record_overdue(self, now=None):
        """Scheduled job: flag the completed visits whose record is overdue, and clear the
        flag of those verified since, in one SQL pass each (as the requests' late flags)."""
        now = now or fields.Datetime.now()
        self.env.cr.execute("""
            UPDATE after_sales_visit SET record_overdue = TRUE
             WHERE state = 'done' AND record_overdue IS NOT TRUE
               AND record_due IS NOT NULL AND record_due < %(now)s
        """, {"now": now})
        self.env.cr.execute("""
            UPDATE after_sales_visit SET record_overdue = FALSE
             WHERE record_overdue AND (state != 'done' OR record_due >= %(now)s)
        """, {"now": now})
        self.invalidate_cache(["record_overdue"])
        return True

    @api.multi
    @document_action
    def action_register_return(self):
        """The technician (or the department for him) registers the return from the trip
        (返回登记), once the work is completed."""
        user = self.env.user
        for visit in self:
            if visit.state not in FINISHED_STATES:
                raise UserError(_("%s is not completed: the return is registered after the "
                                  "work.") % visit.name)
            if visit.date_returned:
                raise UserError(_("The return from %s is already registered.") % visit.name)
            if user not in visit.technician_ids and not user.has_group(GROUP_USER):
                raise AccessError(_("Only the visit's technicians or the after-sales "
                                    "department register the return."))
        self.write({"date_returned": fields.Datetime.now(), "returned_by_id": user.id})
        return True

    @api.multi
    def action_request_extension(self):
        """Button: the dialog asking the extension (new planned end and reason)."""
        self.ensure_one()
        action = self._window_action(
            "after_sales_service.visit_extension_action", context={"default_visit_id": self.id},
            new=True, form_view="after_sales_service.visit_extension_view_form_request")
        action["target"] = "new"
        return action

    # ------------------------------------------------------------------ subsidy signatures

    @api.model
    def _subsidy_approval_steps(self):
        """The attendance sheet's signatures, in the configured order (company settings:
        after_sales.signature.step; by default manager, deputy GM, GM)."""
        steps = self.env["after_sales.signature.step"]._steps_for(self.env.user.company_id)
        refused = _("These visits are not waiting for this subsidy signature: %s")
        rows = []
        for index, step in enumerate(steps, 1):
            rows.append(ApprovalStep(
                "subsidy_%s" % index, _("Overtime subsidy signature (%s)") % step.name,
                index, index + 1 if index < len(steps) else 0, step.group_xmlid,
                field="subsidy_step", refused=refused,
                denied=_("The %s signs this step of the overtime subsidy.") % step.name,
                tile_domain=[("subsidy_state", "=", "to_sign")]))
        return rows

    def _write_approval(self, step, vals, note=None):
        """A subsidy signature is a line: who signed which step, when."""
        super(Visit, self)._write_approval(step, vals, note)
        if step.key.startswith("subsidy_"):
            Signature = self.env["after_sales.visit.signature"].sudo()
            for visit in self:
                Signature.create({"visit_id": visit.id, "step": step.from_state,
                                  "name": step.label, "user_id": self.env.uid})
        return True

    @api.multi
    @document_action
    def action_sign_subsidy(self):
        """Sign the overtime subsidy at the step it waits for; after the last signature each
        technician's subsidy is billed (finance pays the vendor bill)."""
        steps = self.env["after_sales.signature.step"]._steps_for(self.env.user.company_id)
        for visit in self:
            if visit.subsidy_state != "to_sign" or not 0 < visit.subsidy_step <= len(steps):
                raise UserError(_("The overtime subsidy of %s is not waiting for a "
                                  "signature.") % visit.name)
            key = "subsidy_%s" % visit.subsidy_step
            visit._check_step(key)  # the signing group first
            visit._check_subsidy_signer(steps[visit.subsidy_step - 1])
            visit._approve_step(key)
            if not visit.subsidy_step:
                visit._bill_subsidy()
                visit.write({"subsidy_state": "signed"})
        return True

    def _check_subsidy_signer(self, step):
        """Three different people sign: whoever signed a step before signs no other (unless
        the step allows it), and a technician never signs his own subsidy."""
        user = self.env.user
        if user in self.technician_ids:
            raise AccessError(_("%s worked on this visit: his own overtime subsidy is signed "
                                "by others.") % user.name)
        signers = self.sudo().subsidy_signature_ids.mapped("user_id")
        if user in signers and not step.allow_same_signer:
            raise UserError(_("%(user)s already signed the overtime subsidy of %(visit)s: "
                              "the %(step)s's signature must be given by another person.")
                            % {"user": user.name, "visit": self.name, "step": step.name})
        return True

    @api.multi
    @document_action
    def action_refuse_subsidy(self, reason=None):
        """A signer refuses the subsidy (with the reason): nothing is billed."""
        if self.filtered(lambda v: v.subsidy_state != "to_sign"):
            raise UserError(_("Only subsidies awaiting signatures can be refused."))
        reason = self._check_reason(reason, "refuse")
        for visit in self:
            step = visit._waiting_steps()
            if step:
                visit._check_group(step[0].group, step[0].denied)
        self.write({"subsidy_state": "refused", "subsidy_step": 0,
                    "subsidy_refuse_reason": reason})
        self._sync_approval_activities(_("Refused: %s") % reason)
        return True

    @api.multi
    def action_refuse_subsidy_wizard(self):
        return self._open_reason_wizard("refuse_subsidy", _("Refuse Overtime Subsidy"))


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


def _category_chain(category):
    """The category and its parents."""
    chain = category.browse()
    while category:
        chain |= category
        category = category.parent_id
    return chain


def _needs_training(category):
    """Whether serving products of `category` requires training: it, or a parent, says so."""
    return any(_category_chain(category).mapped("after_sales_training_required"))


def _training_missing(category, day, trainings, certificates):
    """What a technician lacks to serve `category` on `day` (None: nothing), given his passed
    trainings [(category, date)] and his certificates for categories: a training or a
    certificate of the category or of a parent."""
    covering = set(_category_chain(category).ids)
    if any(categ.id in covering and (not date or date <= day) for categ, date in trainings):
        return None
    held = [q for q in certificates if covering & set(q.type_id.categ_ids.ids)]
    if any(q.is_valid_on(day) for q in held):
        return None
    if held:
        return _("no training for it was passed and the certificate %s has expired") % ", ".join(
            "%s (%s)" % (q.type_id.name, q.date_expiry) for q in held)
    return _("no training for it was passed and no certificate for it is held")


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
        if headers and all(visit.station_id and visit.state == "in_progress"
                           for visit in headers) \
                and not set(field_names) - set(STATION_PART_FIELDS):
            return True  # a station takes its parts from its own stock, on site
        super(VisitPart, self)._check_header_states(headers, field_names)
        if is_action_write(self.env):
            return True
        issued = headers.filtered(lambda visit: visit._parts_issue_picking())
        if issued and set(field_names or [None]) - {"qty_used"}:
            raise AccessError(_("The parts of %s are issued to the technician: what was taken "
                                "can't be changed any more.") % ", ".join(issued.mapped("name")))
        return True
