# -*- coding: utf-8 -*-
from collections import OrderedDict

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.addons.base.ir.ir_model import MODULE_UNINSTALL_FLAG
from odoo.exceptions import AccessError, UserError, ValidationError

from .complaint_rule import CLASSES, SEVERITIES
from .document_mixin import (LINE_LENGTH, NAME_LENGTH, PHONE_LENGTH, REFERENCE_LENGTH,
                             TEXT_LENGTH, ApprovalStep, document_action, is_action_write)

# The time limits of the complaint procedure (客户投诉处理) are the company's complaint rules
# (after_sales.complaint.rule, data/complaint_rule_data.xml): registered within 24 hours of
# receipt, investigated by quality within 3 working days, answered within 48 working hours
# (or by the customer's date), closed within 2 working days (urgent) or 7 (normal). A company
# without a rule for a complaint (one made before the rules, say) gets these same limits.
DEFAULT_REGISTRATION_HOURS = 24.0
DEFAULT_STEP_AMOUNTS = {
    "urgent": [(3, "days"), (48, "hours"), (2, "days")],
    "normal": [(3, "days"), (48, "hours"), (7, "days")],
}

STATES = [
    ("draft", "Registered"),
    ("investigating", "Investigating"),
    ("answered", "Answered"),
    ("to_sign", "To Sign Off"),
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

# Seriousness decides the path (002-P §6.1, 003-k §6.4.2c, 002-H §4.2.3, 002-K §4.5): minor
# complaints are filed, closed by quality; the others are reported to someone (an activity)
# and signed off by the general manager at closure.
SERIOUSNESS = [
    ("minor", "Minor"),
    ("serious", "Serious"),
    ("major", "Major Quality Problem"),
    ("batch", "Batch Incident"),
]
PATHS = [
    ("filed", "Filed by Quality"),
    ("management", "Reported to the Management Representative"),
    ("deputy_gm", "Reported to the Deputy General Manager"),
    ("manager", "Handled by the After-Sales Manager"),
]
GM_GROUP = "after_sales_service.group_general_manager"
# path: (whom the complaint is reported to, the group signing it off at closure)
PATH_RULES = {
    "filed": (None, None),
    "management": ("management_rep", GM_GROUP),
    "deputy_gm": ("deputy_gm", GM_GROUP),
    "manager": ("manager", GM_GROUP),
}
# the reported role: (its group, the higher group whose members are not taken for it)
ROLE_GROUPS = {
    "deputy_gm": ("after_sales_service.group_deputy_general_manager", GM_GROUP),
    "manager": ("after_sales_service.group_manager",
                "after_sales_service.group_deputy_general_manager"),
}


def decide_path(seriousness, complaint_class):
    """The one place deciding a complaint's path from its seriousness and class."""
    if seriousness == "batch":
        return "manager"
    if seriousness == "major" and complaint_class == "quality":
        return "deputy_gm"
    if seriousness in ("serious", "major"):
        return "management"
    return "filed"
# readonly=True + states=EDITABLE: editable until the complaint is closed or cancelled
EDITABLE = {state: [("readonly", False)] for state in OPEN_STATES}

QUALITY_GROUPS = ("after_sales_service.group_quality", "after_sales_service.group_manager")
# what only quality (or the manager) records
QUALITY_FIELDS = ("cause", "responsibility", "responsibility_note", "seriousness")
# values of quality's fields anybody may give (a new complaint's default)
QUALITY_DEFAULTS = {"seriousness": "minor"}
ANSWER_REQUIRED_FIELDS = ("answer_method", "answer_text")
CLOSE_REQUIRED_FIELDS = ("complaint_class", "cause", "responsibility",
                         "answer_method", "answer_date", "answer_text")
# (flag, deadline, moment the deadline was met)
LATE_CHECKS = (
    ("is_investigation_late", "investigation_deadline", "date_investigated"),
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
        "cancel_reason": TEXT_LENGTH, "customer_request": TEXT_LENGTH,
    }
    _past_datetimes = ("date_received",)
    _non_negative_fields = ("quantity", "defective_qty")
    _reason_actions = ("refuse_sign_off",)
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "date_closed", "date_registered", "date_investigated",
                     "reported_to_id", "date_reported", "signed_off_by_id", "date_signed_off",
                     "reject_reason", "return_id")

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
    # the product's details of a quality complaint (003-k §6.4.2a)
    date_delivered = fields.Date("Delivery Date", readonly=True, states=EDITABLE,
                                 help="When the product complained about was delivered.")
    quantity = fields.Float(digits=dp.get_precision("Product Unit of Measure"),
                            readonly=True, states=EDITABLE,
                            help="Quantity of the product delivered (or concerned).")
    defective_qty = fields.Float("Defective Quantity",
                                 digits=dp.get_precision("Product Unit of Measure"),
                                 readonly=True, states=EDITABLE)
    customer_request = fields.Text("Customer's Request", readonly=True, states=EDITABLE,
                                   help="What the customer asks for (replacement, repair, "
                                        "refund, compensation, an explanation...).")
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
        CLASSES, readonly=True, states=EDITABLE, track_visibility="onchange")
    severity = fields.Selection(
        SEVERITIES, required=True,
        default="normal", readonly=True, states=EDITABLE, track_visibility="onchange")
    rule_id = fields.Many2one(
        "after_sales.complaint.rule", "Time Limit Rule", compute="_compute_deadlines",
        store=True, help="The company's complaint rule of this severity and class.")
    investigation_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, index=True,
        help="Quality finishes its investigation (cause and responsibility recorded) by then.")
    date_investigated = fields.Datetime(
        "Investigated on", readonly=True, copy=False,
        help="When quality recorded both the cause and the responsibility.")
    is_investigation_late = fields.Boolean(
        "Investigation Late", compute="_compute_is_late",
        search="_search_is_investigation_late")
    date_answer_requested = fields.Datetime(
        "Answer Requested by", readonly=True, states=EDITABLE,
        help="The date the customer wants an answer by; it replaces the limit of 48 working "
             "hours.")
    answer_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, index=True)
    close_deadline = fields.Datetime(
        "Closing Deadline", compute="_compute_deadlines", store=True, index=True,
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

    # the path decided by the seriousness (quality's assessment) and the class
    seriousness = fields.Selection(
        SERIOUSNESS, required=True, default="minor", readonly=True, states=EDITABLE,
        index=True, track_visibility="onchange",
        help="Quality's assessment: minor complaints are filed; serious ones are reported to "
             "the management representative, major quality problems to the deputy general "
             "manager, batch incidents to the after-sales manager; all but minor ones are "
             "signed off by the general manager at closure.")
    path = fields.Selection(PATHS, compute="_compute_path", store=True, index=True,
                            track_visibility="onchange")
    needs_sign_off = fields.Boolean(compute="_compute_path", store=True)
    reported_to_id = fields.Many2one("res.users", "Reported to", readonly=True, copy=False,
                                     track_visibility="onchange")
    date_reported = fields.Datetime("Reported on", readonly=True, copy=False)
    signed_off_by_id = fields.Many2one("res.users", "Signed off by", readonly=True,
                                       copy=False, track_visibility="onchange")
    date_signed_off = fields.Datetime("Signed off on", readonly=True, copy=False)
    reject_reason = fields.Text("Sign-off Refused Because", readonly=True, copy=False,
                                track_visibility="onchange")

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
    # raised from a return case's receipt (客退品入库单, 002-P §8.3)
    return_id = fields.Many2one("after_sales.return", "Return Case", index=True,
                                readonly=True, copy=False, ondelete="set null",
                                help="The return case whose receipt the complaint was raised "
                                     "from.")
    return_receipt_id = fields.Many2one("stock.picking", readonly=True,
                                        copy=False)

    # what the current user may do, for the buttons
    can_be_investigated = fields.Boolean(compute="_compute_can_be")
    can_be_answered = fields.Boolean(compute="_compute_can_be")
    can_be_closed = fields.Boolean(compute="_compute_can_be")
    can_be_signed_off = fields.Boolean(compute="_compute_can_be")
    can_be_cancelled = fields.Boolean(compute="_compute_can_be")
    can_be_reset = fields.Boolean(compute="_compute_can_be")
    can_record_cause = fields.Boolean(compute="_compute_can_be")

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("date_received", "date_registered", "rule_id")
    def _compute_registration(self):
        for complaint in self:
            hours = elapsed_hours(complaint.date_received, complaint.date_registered)
            complaint.registration_hours = hours
            limit = complaint.rule_id.registration_limit or DEFAULT_REGISTRATION_HOURS
            complaint.registered_late = hours > limit

    @api.depends("date_received", "date_answer_requested", "severity", "complaint_class",
                 "company_id")
    def _compute_deadlines(self):
        """The deadlines of the steps, from the rule of the complaint's company, severity and
        class, planned from the receipt in one walk of the company's working time; the
        customer's own date replaces the answer limit. A change of the rule applies to the
        complaints whose severity or class changes afterwards (stored deadlines)."""
        Rule = self.env["after_sales.complaint.rule"]
        for complaint in self:
            rule = Rule._find(complaint.company_id, complaint.severity,
                              complaint.complaint_class)
            complaint.rule_id = rule
            amounts = rule._step_amounts() if rule else DEFAULT_STEP_AMOUNTS.get(
                complaint.severity)
            deadlines = [False, False, False]
            if amounts and complaint.date_received and complaint.company_id:
                deadlines = [fields.Datetime.to_string(deadline) for deadline in
                             complaint.company_id.after_sales_plan_deadlines(
                                 complaint.date_received, amounts)]
            complaint.investigation_deadline = deadlines[0]
            complaint.answer_deadline = complaint.date_answer_requested or deadlines[1]
            complaint.close_deadline = deadlines[2]

    @api.depends("seriousness", "complaint_class")
    def _compute_path(self):
        for complaint in self:
            complaint.path = decide_path(complaint.seriousness, complaint.complaint_class)
            complaint.needs_sign_off = bool(PATH_RULES[complaint.path][1])

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

    def _search_is_investigation_late(self, operator, value):
        return self._search_late("investigation_deadline", "date_investigated", operator, value)

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
        is_gm = self.env.user.has_group(GM_GROUP)
        for complaint in self:
            complaint.can_be_investigated = is_quality and complaint._can_do("investigate")
            complaint.can_be_answered = complaint._can_do("answer")
            complaint.can_be_closed = complaint._can_do("close")
            complaint.can_be_signed_off = complaint.state == "to_sign" and is_gm
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

    @api.constrains("quantity", "defective_qty")
    def _check_defective_qty(self):
        for complaint in self:
            if complaint.defective_qty > complaint.quantity:
                raise ValidationError(_(
                    "%(defective)s (%(bad)s) can't be more than the %(quantity)s (%(all)s).") % {
                        "defective": self._field_label("defective_qty"),
                        "bad": complaint.defective_qty,
                        "quantity": self._field_label("quantity"), "all": complaint.quantity})

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        self._check_quality_fields([
            name for name in QUALITY_FIELDS
            if vals.get(name) and vals[name] != QUALITY_DEFAULTS.get(name)])
        complaint = super(AfterSalesComplaint, self).create(vals)
        complaint._after_quality_change(vals)
        return complaint

    @api.multi
    def write(self, vals):
        # a form sends the values it shows: only a change of quality's fields is quality's
        self._check_quality_fields([
            name for name in QUALITY_FIELDS
            if name in vals and any(c._differs(c, name, vals[name]) for c in self)])
        if "state" in vals and not is_action_write(self.env):
            self._check_state_unchanged(vals["state"])
        result = super(AfterSalesComplaint, self).write(vals)
        self._after_quality_change(vals)
        return result

    @api.multi
    def _after_quality_change(self, vals):
        """What quality's assessment sets off: the investigation is recorded as done once the
        cause and the responsibility are both known; a complaint whose path changes is
        reported to the path's recipient."""
        if {"cause", "responsibility"}.intersection(vals):
            found = self.filtered(lambda c: c.cause and c.responsibility
                                  and not c.date_investigated)
            if found:
                found._as_action().write({"date_investigated": fields.Datetime.now()})
        if {"seriousness", "complaint_class"}.intersection(vals):
            self._report_escalation()

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

    # ------------------------------------------------------------------
    # the path: whom a complaint is reported to, who signs it off
    # ------------------------------------------------------------------

    @api.multi
    def _path_recipient(self):
        """The user a complaint of this path is reported to (empty for a filed one): the
        company's management representative, else a user of the company holding exactly
        the role (a deputy general manager who is not the general manager, an after-sales
        manager who is not a deputy)."""
        self.ensure_one()
        role = PATH_RULES[self.path][0]
        Users = self.env["res.users"]
        if not role:
            return Users
        company = self.company_id.sudo()
        if role == "management_rep":
            user = self._company_user(company.after_sales_management_rep_id)
            if not user:
                raise UserError(_(
                    "Complaint %(complaint)s must be reported to the management representative: "
                    "set the %(setting)s of %(company)s first (After-Sales settings).") % {
                        "complaint": self.name, "company": company.name,
                        "setting": company._fields["after_sales_management_rep_id"]
                        .get_description(self.env)["string"]})
            return user
        group, higher = ROLE_GROUPS[role]
        members = self.env.ref(group).sudo().users - self.env.ref(higher).sudo().users
        own = members.filtered(lambda u: u.company_id == company)
        return self._company_user(own | members) or self._company_user(group=group)

    @api.multi
    def _report_escalation(self):
        """Report each open complaint to its path's recipient, by a to-do activity, unless it
        was reported to them already."""
        path_labels = dict(self._fields["path"]._description_selection(self.env))
        for complaint in self.filtered(lambda c: c.state in OPEN_STATES):
            user = complaint._path_recipient()
            if not user or user == complaint.reported_to_id:
                continue
            summary = _("%(path)s: complaint %(complaint)s") % {
                "path": path_labels[complaint.path], "complaint": complaint.name}
            deadline = complaint._local_date(complaint.investigation_deadline,
                                             complaint.company_id)
            complaint._schedule_activity("mail.mail_activity_data_todo", user, summary,
                                         deadline or None)
            complaint._as_action().write({"reported_to_id": user.id,
                                          "date_reported": fields.Datetime.now()})
        return True

    @api.model
    def _approval_steps(self):
        """The general manager signs off the handling of every complaint that is not filed
        (002-K §4.5: 总经理负责顾客抱怨处理的认可), before it is closed."""
        return [
            ApprovalStep("sign_off", _("General manager's sign-off"), "to_sign", "closed",
                         GM_GROUP, user_field="signed_off_by_id", date_field="date_signed_off",
                         reject_state="answered", reason_required=True,
                         denied=_("Only the general manager signs off the handling of serious "
                                  "complaints."),
                         refused=_("These complaints are not waiting for the general "
                                   "manager's sign-off: %s")),
        ]

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
        """Close the handled complaints: quality files the minor ones itself; the others go to
        the general manager's sign-off, which closes them."""
        self._check_transition("close", _("Close"))
        self._check_required(CLOSE_REQUIRED_FIELDS)
        self._check_no_open_action()
        filed = self.filtered(lambda c: not c.needs_sign_off)
        if filed and not self._is_quality_user():
            raise AccessError(_("Minor complaints are filed by quality: only the quality "
                                "department or the after-sales manager closes %s.")
                              % ", ".join(filed.mapped("name")))
        if filed:
            filed._write_step({"state": "closed", "date_closed": fields.Datetime.now()})
            filed._create_callbacks()
        to_sign = self - filed
        if to_sign:
            to_sign._write_step({"state": "to_sign", "reject_reason": False})
            to_sign._sync_approval_activities()
        return True

    @api.multi
    @document_action
    def action_sign_off(self):
        """The general manager signs the handling off: the complaint is closed."""
        self._check_step("sign_off")
        self._approve_step("sign_off", values={"date_closed": fields.Datetime.now()})
        self._create_callbacks()
        return True

    @api.multi
    @document_action
    def action_refuse_sign_off(self, reason=None):
        """The general manager sends the handling back, with the reason: the complaint is
        answered again, to be completed and closed anew."""
        return self._reject_step(reason)

    @api.multi
    def action_refuse_sign_off_wizard(self):
        return self._open_reason_wizard("refuse_sign_off", _("Refuse Sign-off"))

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

    # ------------------------------------------------------------------
    # progress messages to the customer (及时向客户反馈投诉解决进程, 003-k §6.4.2d)
    # ------------------------------------------------------------------

    @api.multi
    def action_send_progress(self):
        """The mail composer with the progress message of the complaint, in the customer's
        language; once sent it is a message of the complaint's chatter, mailed to the
        customer."""
        self.ensure_one()
        template = self.env.ref("after_sales_service.mail_template_complaint_progress")
        return {
            "type": "ir.actions.act_window", "res_model": "mail.compose.message",
            "view_mode": "form", "target": "new", "name": _("Progress to the Customer"),
            "context": {"default_model": self._name, "default_res_id": self.id,
                        "default_use_template": True, "default_template_id": template.id,
                        "default_composition_mode": "comment", "force_email": True},
        }

    @api.multi
    def action_view_return(self):
        self.ensure_one()
        return self._window_action("after_sales_service.return_action",
                                   [("id", "=", self.return_id.id)], record=self.return_id)
