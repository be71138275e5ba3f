# -*- coding: utf-8 -*-
from collections import OrderedDict

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.addons.base.ir.ir_model import MODULE_UNINSTALL_FLAG
from odoo.exceptions import AccessError, UserError, ValidationError

from .document_mixin import (LINE_LENGTH, NAME_LENGTH, PHONE_LENGTH, REFERENCE_LENGTH,
                             TEXT_LENGTH, document_action, is_action_write)

# Time limits of the complaint procedure (客户投诉处理): registered within 24 hours of
# receipt, answered within 48 working hours (or by the customer's date), closed within
# 2 working days (urgent) or 7 working days (normal).
REGISTRATION_LIMIT_HOURS = 24.0
ANSWER_LIMIT_HOURS = 48
CLOSE_LIMIT_DAYS = {"urgent": 2, "normal": 7}

STATES = [
    ("draft", "Registered"),
    ("investigating", "Investigating"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
OPEN_STATES = ("draft", "investigating", "answered")
# each step and the states it starts from
TRANSITIONS = {
    "investigate": ("draft",),
    "answer": ("investigating",),
    "close": ("answered",),
    "cancel": OPEN_STATES,
    "reset": ("cancel",),
}
# readonly=True + states=EDITABLE: editable until the complaint is closed or cancelled
EDITABLE = {state: [("readonly", False)] for state in OPEN_STATES}

QUALITY_GROUPS = ("after_sales_service.group_quality", "after_sales_service.group_manager")
# what only quality (or the manager) records
QUALITY_FIELDS = ("cause", "responsibility", "responsibility_note")
ANSWER_REQUIRED_FIELDS = ("answer_method", "answer_text")
CLOSE_REQUIRED_FIELDS = ("complaint_class", "cause", "responsibility",
                         "answer_method", "answer_date", "answer_text")
# (flag, deadline, moment the deadline was met)
LATE_CHECKS = (
    ("is_answer_late", "answer_deadline", "answer_date"),
    ("is_close_late", "close_deadline", "date_closed"),
)


def elapsed_hours(start, end):
    """Clock hours from `start` to `end` (Odoo datetime strings), 0 when one is missing."""
    if not start or not end:
        return 0.0
    delta = fields.Datetime.from_string(end) - fields.Datetime.from_string(start)
    return delta.total_seconds() / 3600.0


class AfterSalesComplaint(models.Model):
    """A customer complaint (客户投诉), from registration to the answer and the closure."""

    _name = "after_sales.complaint"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.complaint"
    _description = "Customer Complaint"
    _order = "date_received desc, id desc"
    _text_limits = {
        "complainant": NAME_LENGTH, "phone": PHONE_LENGTH, "email": LINE_LENGTH,
        "product_spec": LINE_LENGTH, "batch": REFERENCE_LENGTH, "content": TEXT_LENGTH,
        "cause": TEXT_LENGTH, "responsibility_note": LINE_LENGTH, "answer_text": TEXT_LENGTH,
        "cancel_reason": TEXT_LENGTH,
    }
    _past_datetimes = ("date_received",)
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "date_closed", "date_registered")

    active = fields.Boolean(default=True, track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, states=EDITABLE, index=True,
        default=lambda self: self.env.user.company_id)
    user_id = fields.Many2one(
        "res.users", "Handled by", readonly=True, states=EDITABLE, index=True,
        track_visibility="onchange", default=lambda self: self.env.user)

    # registration (《客户投诉处理单》)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, states=EDITABLE, index=True,
        track_visibility="onchange")
    complainant = fields.Char(readonly=True, states=EDITABLE)
    phone = fields.Char("Contact Phone", readonly=True, states=EDITABLE)
    email = fields.Char("Contact E-mail", readonly=True, states=EDITABLE)
    channel = fields.Selection(
        [("phone", "Phone"),
         ("hotline", "Service Hotline"),
         ("web", "Website / Online Feedback"),
         ("mail", "E-mail / Letter / Fax"),
         ("sales", "Relayed by Sales"),
         ("media", "Media"),
         ("visit", "Visit"),
         ("other", "Other")],
        required=True, default="phone", readonly=True, states=EDITABLE)
    product_id = fields.Many2one(
        "product.product", index=True, readonly=True, states=EDITABLE)
    product_spec = fields.Char("Specification", readonly=True, states=EDITABLE)
    lot_id = fields.Many2one(
        "stock.production.lot", "Lot/Serial Number", readonly=True, states=EDITABLE,
        domain="[('product_id', '=', product_id)]")
    batch = fields.Char(readonly=True, states=EDITABLE)
    date_received = fields.Datetime(
        "Received on", required=True, readonly=True, states=EDITABLE,
        default=fields.Datetime.now, track_visibility="onchange")
    date_registered = fields.Datetime(
        "Registered on", required=True, readonly=True, copy=False,
        default=fields.Datetime.now)
    registration_hours = fields.Float(
        "Hours to Registration", compute="_compute_registration", store=True,
        help="Hours elapsed between receipt and registration of the complaint.")
    registered_late = fields.Boolean(
        compute="_compute_registration", store=True,
        help="Registered more than 24 hours after receipt.")
    content = fields.Text("Complaint Content", required=True, readonly=True, states=EDITABLE)

    # classification and time limits
    complaint_class = fields.Selection(
        [("quality", "Quality"),
         ("non_quality", "Non-Quality (Human Cause)"),
         ("other", "Other")],
        readonly=True, states=EDITABLE, track_visibility="onchange")
    severity = fields.Selection(
        [("urgent", "Urgent"), ("normal", "Normal")], required=True,
        default="normal", readonly=True, states=EDITABLE, track_visibility="onchange")
    date_answer_requested = fields.Datetime(
        "Answer Requested by", readonly=True, states=EDITABLE,
        help="The date the customer wants an answer by; it replaces the limit of 48 working "
             "hours.")
    answer_deadline = fields.Datetime(
        compute="_compute_answer_deadline", store=True, index=True)
    close_deadline = fields.Datetime(
        "Closing Deadline", compute="_compute_close_deadline", store=True, index=True,
        track_visibility="onchange")
    is_answer_late = fields.Boolean(
        "Answer Late", compute="_compute_is_late", search="_search_is_answer_late")
    is_close_late = fields.Boolean(
        "Closing Late", compute="_compute_is_late", search="_search_is_close_late")

    # investigation by quality
    investigator_id = fields.Many2one(
        "res.users", readonly=True, states=EDITABLE, copy=False,
        track_visibility="onchange",
        domain=lambda self: [("groups_id", "in", self.env.ref(QUALITY_GROUPS[0]).id)])
    cause = fields.Text(readonly=True, states=EDITABLE, copy=False)
    responsibility = fields.Selection(
        [("department", "Internal Department"),
         ("supplier", "Supplier"),
         ("customer", "Customer"),
         ("other", "Other")],
        readonly=True, states=EDITABLE, copy=False,
        track_visibility="onchange")
    responsibility_note = fields.Char(
        "Responsible Party", readonly=True, states=EDITABLE, copy=False,
        help="The department, supplier or person responsible.")
    action_ids = fields.One2many(
        "after_sales.complaint.action", "complaint_id", "Corrective/Preventive Actions",
        readonly=True, states=EDITABLE)
    open_action_count = fields.Integer("Open Actions", compute="_compute_open_action_count")

    # answer to the customer
    answer_method = fields.Selection(
        [("phone", "Phone"), ("letter", "Written Reply Letter"), ("other", "Other")],
        readonly=True, states=EDITABLE, copy=False)
    answer_date = fields.Datetime("Answered on", readonly=True, states=EDITABLE, copy=False)
    answer_text = fields.Text("Answer", readonly=True, states=EDITABLE, copy=False)
    answered_by_id = fields.Many2one(
        "res.users", "Answered by", readonly=True, states=EDITABLE, copy=False)

    state = fields.Selection(
        STATES, "Status", required=True, readonly=True, copy=False, index=True,
        default="draft", track_visibility="onchange")
    date_closed = fields.Datetime("Closed on", readonly=True, copy=False)
    cancel_reason = fields.Text(
        "Cancellation Reason", readonly=True, states=EDITABLE, copy=False,
        track_visibility="onchange")

    # where it was raised: a service request, a callback
    request_id = fields.Many2one("after_sales.request", "Service Request", index=True,
                                 readonly=True, states={"draft": [("readonly", False)]},
                                 help="The service request the complaint was raised from.")
    callback_id = fields.Many2one("after_sales.callback", index=True, readonly=True,
                                  help="The callback the complaint was raised in.")

    # what the current user may do, for the buttons
    can_be_investigated = fields.Boolean(compute="_compute_can_be")
    can_be_answered = fields.Boolean(compute="_compute_can_be")
    can_be_closed = fields.Boolean(compute="_compute_can_be")
    can_be_cancelled = fields.Boolean(compute="_compute_can_be")
    can_be_reset = fields.Boolean(compute="_compute_can_be")
    can_record_cause = fields.Boolean(compute="_compute_can_be")

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("date_received", "date_registered")
    def _compute_registration(self):
        for complaint in self:
            hours = elapsed_hours(complaint.date_received, complaint.date_registered)
            complaint.registration_hours = hours
            complaint.registered_late = hours > REGISTRATION_LIMIT_HOURS

    @api.depends("date_received", "date_answer_requested", "company_id")
    def _compute_answer_deadline(self):
        for complaint in self:
            complaint.answer_deadline = (
                complaint.date_answer_requested
                or complaint._plan_deadline(ANSWER_LIMIT_HOURS, "hours"))

    @api.depends("date_received", "severity", "company_id")
    def _compute_close_deadline(self):
        for complaint in self:
            complaint.close_deadline = complaint._plan_deadline(
                CLOSE_LIMIT_DAYS.get(complaint.severity), "days")

    @api.multi
    def _plan_deadline(self, amount, unit):
        """`amount` working hours or days after receipt, in the company's working time."""
        self.ensure_one()
        if not (amount and self.date_received and self.company_id):
            return False
        deadline = self.company_id.after_sales_plan_deadline(self.date_received, amount, unit)
        return fields.Datetime.to_string(deadline)

    @api.depends("state", "answer_deadline", "answer_date", "close_deadline", "date_closed")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for complaint in self:
            for flag, deadline, done in LATE_CHECKS:
                complaint[flag] = complaint._is_late(deadline, done, now)

    @api.multi
    def _is_late(self, deadline_field, done_field, now):
        """Whether the deadline passed before it was met (or is still unmet)."""
        self.ensure_one()
        deadline = self[deadline_field]
        return bool(self.state != "cancel" and deadline
                    and deadline < (self[done_field] or now))

    def _search_is_answer_late(self, operator, value):
        return self._search_late("answer_deadline", "answer_date", operator, value)

    def _search_is_close_late(self, operator, value):
        return self._search_late("close_deadline", "date_closed", operator, value)

    def _search_late(self, deadline_field, done_field, operator, value):
        """The domain of `_is_late` (two columns compared: one query, no record loaded)."""
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search operator on a late flag: %s") % operator)
        query = sql.SQL(
            "SELECT id FROM {table} WHERE state != 'cancel' AND {deadline} < COALESCE({done}, %s)"
        ).format(table=sql.Identifier(self._table), deadline=sql.Identifier(deadline_field),
                 done=sql.Identifier(done_field))
        self.env.cr.execute(query, (fields.Datetime.now(),))
        late_ids = [row[0] for row in self.env.cr.fetchall()]
        wanted = (operator == "=") == bool(value)
        return [("id", "in" if wanted else "not in", late_ids)]

    @api.depends("action_ids.date_done")
    def _compute_open_action_count(self):
        for complaint in self:
            complaint.open_action_count = len(complaint.action_ids._filter_open())

    @api.depends("state")
    def _compute_can_be(self):
        is_quality = self._is_quality_user()
        for complaint in self:
            complaint.can_be_investigated = is_quality and complaint._can_do("investigate")
            complaint.can_be_answered = complaint._can_do("answer")
            complaint.can_be_closed = complaint._can_do("close")
            complaint.can_be_cancelled = complaint._can_do("cancel")
            complaint.can_be_reset = complaint._can_do("reset")
            complaint.can_record_cause = is_quality and complaint.state in OPEN_STATES

    @api.multi
    def _can_do(self, step):
        self.ensure_one()
        return self.state in TRANSITIONS[step]

    # ------------------------------------------------------------------
    # onchanges and constraints
    # ------------------------------------------------------------------

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        """Propose the customer's contact details as the complainant's."""
        partner = self.partner_id
        if partner:
            self.complainant = self.complainant or partner.name
            self.phone = self.phone or partner.phone or partner.mobile
            self.email = self.email or partner.email

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_id.product_id != self.product_id:
            self.lot_id = False

    @api.constrains("date_received", "date_registered")
    def _check_date_received(self):
        for complaint in self:
            if complaint.date_received > complaint.date_registered:
                raise ValidationError(
                    _("Complaint %s: it can't be received after it was registered.")
                    % complaint.name)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        self._check_quality_fields([name for name in QUALITY_FIELDS if vals.get(name)])
        return super(AfterSalesComplaint, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_quality_fields([name for name in QUALITY_FIELDS if name in vals])
        if "state" in vals and not is_action_write(self.env):
            self._check_state_unchanged(vals["state"])
        return super(AfterSalesComplaint, self).write(vals)

    @api.multi
    def unlink(self):
        """Complaints are kept 3 years: archive them (only uninstalling removes them)."""
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            raise UserError(_("Complaints are kept for 3 years and can't be deleted; "
                              "archive them instead."))
        return super(AfterSalesComplaint, self).unlink()

    # ------------------------------------------------------------------
    # guards
    # ------------------------------------------------------------------

    @api.model
    def _is_quality_user(self):
        return any(self.env.user.has_group(group) for group in QUALITY_GROUPS)

    @api.model
    def _check_quality_user(self):
        if not self._is_quality_user():
            raise AccessError(_("Only the quality department or the after-sales manager may "
                                "investigate complaints and record their cause."))

    @api.model
    def _check_quality_fields(self, field_names):
        if field_names:
            self._check_quality_user()

    @api.multi
    def _check_state_unchanged(self, state):
        """A state is only changed by the steps (buttons), never written directly."""
        if self.filtered(lambda complaint: complaint.state != state):
            raise UserError(_("The status of a complaint changes only through its buttons "
                              "(Start Investigation, Record Answer, Close, Cancel Complaint)."))

    @api.multi
    def _check_transition(self, step, step_label):
        wrong = self.filtered(lambda complaint: not complaint._can_do(step))
        if wrong:
            raise UserError(
                _("%(step)s is not possible for these complaints in their current status: "
                  "%(complaints)s") % {"step": step_label,
                                       "complaints": ", ".join(wrong.mapped("name"))})

    @api.multi
    def _check_required(self, field_names):
        """Every complaint has a value for each of `field_names`, or one error lists them all."""
        labels = self.fields_get(list(field_names), ["string"])
        problems = []
        for complaint in self:
            missing = [labels[name]["string"] for name in field_names if not complaint[name]]
            if missing:
                problems.append("%s: %s" % (complaint.name, ", ".join(missing)))
        if problems:
            raise UserError("\n".join([_("Fill in first:")] + problems))

    @api.multi
    def _check_no_open_action(self):
        open_actions = self.mapped("action_ids")._filter_open()
        if open_actions:
            raise UserError("\n".join(
                [_("These corrective/preventive actions are still open; complete them before "
                   "closing:")] + [action._summary_line() for action in open_actions]))

    # ------------------------------------------------------------------
    # steps: check the whole recordset first, then write
    # ------------------------------------------------------------------

    @api.multi
    @document_action
    def action_start_investigation(self):
        self._check_quality_user()
        self._check_transition("investigate", _("Start Investigation"))
        self._write_step({"state": "investigating"}, {"investigator_id": self.env.uid})
        return True

    @api.multi
    @document_action
    def action_answer(self):
        self._check_transition("answer", _("Record Answer"))
        self._check_required(ANSWER_REQUIRED_FIELDS)
        self._write_step({"state": "answered"}, {"answer_date": fields.Datetime.now(),
                                                 "answered_by_id": self.env.uid})
        return True

    @api.multi
    @document_action
    def action_close(self):
        self._check_transition("close", _("Close"))
        self._check_required(CLOSE_REQUIRED_FIELDS)
        self._check_no_open_action()
        self._write_step({"state": "closed", "date_closed": fields.Datetime.now()})
        self._create_callbacks()
        return True

    def _create_callbacks(self):
        """A closed complaint is followed by a complaint callback."""
        callback_type = self.env.ref("after_sales_service.callback_type_complaint")
        Callback = self.env["after_sales.callback"].sudo()
        for complaint in self:
            if Callback.search_count([("trigger", "=", "complaint:%s" % complaint.id)]):
                continue
            Callback.create({
                "type_id": callback_type.id, "trigger": "complaint:%s" % complaint.id,
                "partner_id": complaint.partner_id.id, "complaint_id": complaint.id,
                "product_id": complaint.product_id.id, "company_id": complaint.company_id.id,
                "user_id": complaint.user_id.id or self.env.user.id,
                "date_due": fields.Datetime.to_string(complaint.company_id
                                                      .after_sales_plan_deadline(
                                                          fields.Datetime.now(), 3, "days")),
            })
        return True

    @api.multi
    @document_action
    def action_cancel(self):
        self._check_transition("cancel", _("Cancel Complaint"))
        self._check_required(("cancel_reason",))
        self._write_step({"state": "cancel"})
        return True

    @api.multi
    @document_action
    def action_reset(self):
        self._check_transition("reset", _("Reset to Registered"))
        self._write_step({"state": "draft"})
        return True

    @api.multi
    def _write_step(self, vals, defaults=None):
        """Write `vals`, and each of `defaults` where the complaint has no value yet: one write
        per group of complaints missing the same fields (usually a single write)."""
        defaults = defaults or {}
        groups = OrderedDict()
        for complaint in self:
            missing = tuple(name for name in sorted(defaults) if not complaint[name])
            groups[missing] = groups.get(missing, self.browse()) | complaint
        for missing, complaints in groups.items():
            step_vals = dict(vals, **{name: defaults[name] for name in missing})
            complaints._as_action().write(step_vals)

    # ------------------------------------------------------------------
    # reply letter (顾客投诉处理答复书), in the language of the context
    # ------------------------------------------------------------------

    @api.multi
    def _reply_letter_greeting(self):
        self.ensure_one()
        return _("Dear %s,") % (self.complainant or self.partner_id.name)

    @api.multi
    def _reply_letter_opening(self):
        self.ensure_one()
        received = fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(self.date_received))
        date = fields.Date.to_string(received)
        if self.product_id:
            return _("Thank you for your complaint of %(date)s about %(product)s. We have "
                     "investigated it and answer as follows.") % {
                         "date": date, "product": self.product_id.display_name}
        return _("Thank you for your complaint of %s. We have investigated it and answer as "
                 "follows.") % date

    @api.multi
    def action_view_actions(self):
        """The complaint's corrective/preventive actions (smart button)."""
        self.ensure_one()
        return self._window_action("after_sales_service.complaint_action_action",
                                   [("complaint_id", "=", self.id)],
                                   {"default_complaint_id": self.id})
