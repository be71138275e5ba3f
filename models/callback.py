# -*- coding: utf-8 -*-
from datetime import datetime, time, timedelta

import pytz

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.addons.queue_job.job import job

from .document_mixin import TEXT_LENGTH, document_action
from .callback_type import CALLBACK_KINDS, QUESTION_KINDS
from .job_mixin import create_records
from .res_company import HOURS_PER_DAY, plan_working_time

STATES = [("todo", "To Do"), ("done", "Done"), ("unreachable", "Unreachable"),
          ("cancel", "Cancelled")]
SATISFACTION_DELAY_DAYS = 3  # working days after the visit (spec §4)
# the post-delivery call: working days after the delivery (the goods have arrived), for the
# deliveries of the last days (a product flagged later gets no calls about old deliveries)
DELIVERY_CALLBACK_DELAY_DAYS = 3
DELIVERY_CALLBACK_WINDOW_DAYS = 30
GROUP_USER = "after_sales_service.group_user"
# the questions a callback can't be recorded without (text questions are optional)
REQUIRED_KINDS = ("yesno", "rating")
# a rating as stars (the priority widget): its first value is "no star", cleared on save
NO_RATING = "0"
RATINGS = [(NO_RATING, "Not Rated")] + [(str(i), str(i)) for i in range(1, 6)]
# the answer of a question kind on the online questionnaire: (field, choices; None: free text)
ANSWER_FIELDS = {
    "yesno": ("value_yesno", ("yes", "no")),
    "rating": ("value_rating", tuple(str(i) for i in range(1, 6))),
    "text": ("value_text", None),
}


class Callback(models.Model):
    """A callback (回访): the customer is called back about the product or a service."""

    _name = "after_sales.callback"
    _description = "Callback"
    _inherit = ["after_sales.numbered.document", "after_sales.group.names.mixin",
                "after_sales.job.mixin", "after_sales.portal.token"]
    _sequence_code = "after_sales.callback"
    _order = "date_due desc, id desc"
    _text_limits = {"note": TEXT_LENGTH}
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "date_done", "is_overdue", "attempts", "followup_request_id",
                     "followup_complaint_id", "trigger", "contract_id")

    type_id = fields.Many2one("after_sales.callback.type", "Callback Type", required=True)
    kind = fields.Selection(CALLBACK_KINDS, related="type_id.kind", store=True, readonly=True)
    state = fields.Selection(STATES, default="todo", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    trigger = fields.Char(readonly=True, copy=False, index=True,
                          help="What generated the callback (one callback per trigger).")
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True)
    user_id = fields.Many2one("res.users", "Assigned To", index=True,
                              track_visibility="onchange", default=lambda self: self.env.user)
    request_id = fields.Many2one("after_sales.request", "Service Request", index=True)
    visit_id = fields.Many2one("after_sales.visit", index=True)
    warranty_card_id = fields.Many2one("after_sales.warranty.card", "Installed Product")
    complaint_id = fields.Many2one("after_sales.complaint", index=True)
    contract_id = fields.Many2one("after_sales.contract", index=True, readonly=True)
    product_id = fields.Many2one("product.product", index=True)
    technician_ids = fields.Many2many("res.users", "after_sales_callback_technician_rel",
                                      "callback_id", "user_id", string="Technicians")
    station_id = fields.Many2one("res.partner", "Service Station", index=True)
    date_due = fields.Datetime("Due", required=True, index=True)
    date_done = fields.Datetime("Called On", readonly=True, copy=False, index=True)
    is_overdue = fields.Boolean("Overdue", readonly=True, copy=False, index=True)
    attempts = fields.Integer("Unanswered Attempts", readonly=True, copy=False)
    answer_ids = fields.One2many("after_sales.callback.answer", "callback_id", "Answers")
    unanswered_questions = fields.Text(
        "Questions to Answer", compute="_compute_unanswered_questions",
        help="The required questions still without an answer: the callback can't be recorded "
             "before they are answered.")
    amount_invoiced = fields.Monetary(compute="_compute_amount_invoiced",
                                      help="What was invoiced for the visit, to compare with "
                                           "what the customer says was charged.")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    answered = fields.Boolean(compute="_compute_satisfaction", store=True)
    satisfied = fields.Boolean(compute="_compute_satisfaction", store=True, index=True)
    note = fields.Text("Notes")
    followup_request_id = fields.Many2one("after_sales.request", "Follow-up Request",
                                          readonly=True, copy=False)
    followup_complaint_id = fields.Many2one("after_sales.complaint", "Follow-up Complaint",
                                            readonly=True, copy=False)

    _sql_constraints = [
        ("trigger_uniq", "unique (trigger)", "This event already has its callback."),
    ]

    @api.model
    def create(self, vals):
        callback = super(Callback, self).create(vals)
        if not callback.answer_ids:
            callback._create_answer_lines()
        callback._assign_callers()
        return callback

    @api.model
    def _create_batch(self, vals_list):
        """The callbacks of a scheduled pass, created as `create` does but for the whole
        batch: numbered from their sequence, without Odoo's "created" note and tracking (the
        caller's to-do says what is to do), their empty answers in one INSERT, their callers
        looked up once per user and company and their to-dos created at once."""
        if not vals_list:
            return self.browse()
        numbers = self._next_numbers(len(vals_list))
        quiet = self.with_context(tracking_disable=True, mail_create_nolog=True)
        callbacks = create_records(
            quiet, [dict(vals, name=number) for vals, number in zip(vals_list, numbers)],
            lambda model, vals: super(Callback, model).create(vals)).with_env(self.env)
        callbacks._create_answer_lines()
        callbacks._assign_callers(track=False)
        return callbacks

    def _assign_callers(self, track=True):
        """Each callback assigned to someone of its company: the one given when they work for
        it, else the department's user (as superuser: whoever creates the callback); then the
        to-do to call the customer for its user (a note when nobody can take it)."""
        users, reassigned, todo = {}, {}, []
        for callback in self:
            key = (callback.user_id.id, callback.company_id.id)
            if key not in users:
                users[key] = callback._company_user(callback.user_id, GROUP_USER)
            user = users[key]
            if user != callback.user_id:
                reassigned.setdefault(user.id, []).append(callback.id)
                if not user:
                    callback._note_no_activity(callback.type_id.name)
            if user:
                todo.append((callback, user, callback.type_id.name, callback.date_due[:10]))
        writer = self.sudo() if track else self.sudo().with_context(mail_notrack=True)
        for user_id, ids in reassigned.items():
            writer.browse(ids).write({"user_id": user_id or False})
        self._schedule_activities("mail.mail_activity_data_call", todo)
        return True

    def _create_answer_lines(self):
        """One empty answer per question of each callback's questionnaire, in one INSERT (a
        pass creates thousands): an empty answer's stored values are known (its question's
        sequence, not answered, not negative) and its callback's (answered, satisfied) stay
        False, so nothing is left to recompute."""
        if not self:
            return
        self.env.cr.execute("""
            INSERT INTO after_sales_callback_answer
                   (callback_id, question_id, sequence, is_answered, is_negative,
                    create_uid, create_date, write_uid, write_date)
            SELECT c.id, q.id, q.sequence, FALSE, FALSE,
                   %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM after_sales_callback c
              JOIN after_sales_callback_question q ON q.type_id = c.type_id
             WHERE c.id IN %(ids)s AND c.state = 'todo'
          ORDER BY c.id, q.sequence, q.id
        """, {"uid": self.env.uid, "ids": tuple(self.ids)})
        self.invalidate_cache(["answer_ids"])

    @api.depends("answer_ids.is_negative", "answer_ids.is_answered", "state")
    def _compute_satisfaction(self):
        for callback in self:
            answered = callback.state == "done" and any(callback.answer_ids.mapped("is_answered"))
            callback.answered = answered
            callback.satisfied = answered and not any(callback.answer_ids.mapped("is_negative"))

    @api.depends("answer_ids.is_answered", "answer_ids.question_id")
    def _compute_unanswered_questions(self):
        for callback in self:
            callback.unanswered_questions = "\n".join(callback._unanswered_questions()) or False

    def _unanswered_questions(self):
        """The names (in the user's language) of the required questions not answered yet: the
        one rule of the form's alert and of action_done."""
        answers = self.answer_ids.filtered(lambda a: a.is_required and not a.is_answered)
        questions = answers.mapped("question_id").with_context(
            lang=self.env.lang or self.env.user.lang)
        return questions.mapped("name")

    def _compute_amount_invoiced(self):
        for callback in self:
            callback.amount_invoiced = callback.sudo().visit_id.amount_charged

    # ------------------------------------------------------------------ outcome

    @api.multi
    @document_action
    def action_done(self):
        if any(callback.state != "todo" for callback in self):
            raise UserError(_("Only callbacks to do can be recorded."))
        for callback in self:
            unanswered = callback._unanswered_questions()
            if unanswered:
                raise UserError(_("%(callback)s can't be recorded: answer these questions "
                                  "first:\n%(questions)s") % {
                                      "callback": callback.name,
                                      "questions": "\n".join(unanswered)})
        self.write({"state": "done", "date_done": fields.Datetime.now(), "is_overdue": False})
        self.mapped("activity_ids").action_feedback(_("Callback recorded."))
        for callback in self.filtered(lambda c: not c.satisfied):
            callback._open_followups()
        return True

    def _open_followups(self):
        """An unsatisfied answer opens a follow-up request or complaint linked to the callback."""
        negative = self.answer_ids.filtered("is_negative")
        summary = "\n".join("%s: %s" % (a.question_id.name, a.display_answer) for a in negative)
        if "request" in negative.mapped("question_id.followup") and not self.followup_request_id:
            self.followup_request_id = self.env["after_sales.request"].create(
                self._prepare_followup_request_vals(summary))
        if "complaint" in negative.mapped("question_id.followup") \
                and not self.followup_complaint_id:
            self.followup_complaint_id = self.env["after_sales.complaint"].create(
                self._prepare_followup_complaint_vals(summary))

    def _prepare_followup_request_vals(self, summary):
        return {
            "partner_id": self.partner_id.id, "channel": "callback", "category": "repair",
            "priority": "1", "product_id": self.product_id.id,
            "lot_id": self.request_id.lot_id.id or self.warranty_card_id.lot_id.id,
            "description": _("Raised in callback %(callback)s:\n%(summary)s") % {
                "callback": self.name, "summary": summary},
        }

    def _prepare_followup_complaint_vals(self, summary):
        return {
            "partner_id": self.partner_id.id, "channel": "phone", "callback_id": self.id,
            "request_id": self.request_id.id, "product_id": self.product_id.id,
            "complainant": self.partner_id.name,
            "content": _("Raised in callback %(callback)s:\n%(summary)s") % {
                "callback": self.name, "summary": summary},
        }

    @api.multi
    @document_action
    def action_unreachable(self):
        """The customer could not be reached: retry the next working day, up to the limit."""
        for callback in self:
            if callback.state != "todo":
                raise UserError(_("Only callbacks to do can be retried."))
            attempts = callback.attempts + 1
            if attempts >= callback.company_id.after_sales_callback_attempts:
                callback.write({"attempts": attempts, "state": "unreachable"})
                callback.activity_ids.action_feedback(_("Customer unreachable."))
                continue
            retry = callback.company_id.after_sales_plan_deadline(fields.Datetime.now(), 1, "days")
            callback.write({"attempts": attempts, "date_due": fields.Datetime.to_string(retry)})
            callback.activity_ids.write({"date_deadline": callback.date_due[:10]})
        return True

    @api.multi
    @document_action
    def action_cancel(self):
        self.filtered(lambda c: c.state == "todo").write({"state": "cancel"})
        return True

    # ------------------------------------------------------------------ generation

    @api.model
    def _create_for_visits(self, visits):
        """One callback per completed visit, due 3 working days after it (one batch)."""
        existing = set(self.search([("trigger", "in", ["visit:%s" % v.id for v in visits])])
                       .mapped("trigger"))
        visits = visits.filtered(lambda v: "visit:%s" % v.id not in existing)
        types = {False: self.env.ref("after_sales_service.callback_type_satisfaction"),
                 True: self.env.ref("after_sales_service.callback_type_contract")}
        department = self.env.ref(GROUP_USER).sudo().users
        planner = DeadlinePlanner()
        return self._create_batch([
            self._prepare_visit_callback_vals(visit, types[bool(visit.contract_id)],
                                              department, planner)
            for visit in visits])

    @api.model
    def _visit_callback_type(self, visit):
        """The questionnaire following a visit: the service satisfaction callback, or for a
        contract visit (monthly visit, quarterly inspection) the contract visit callback,
        whose questionnaire covers the satisfaction questions that apply and the contract's
        (inspection done as agreed, nothing charged). Both use the visit's trigger, so a visit
        never gets both."""
        if visit.contract_id:
            return self.env.ref("after_sales_service.callback_type_contract")
        return self.env.ref("after_sales_service.callback_type_satisfaction")

    @api.model
    def _prepare_visit_callback_vals(self, visit, callback_type, department=None,
                                     planner=None):
        """The callback following a completed visit, due 3 working days after it.

        :param department: the department's users (read once for a batch)
        :param planner: a DeadlinePlanner shared by a batch"""
        start = visit.date_departure or fields.Datetime.now()
        due = (planner or DeadlinePlanner()).plan(visit.company_id, start,
                                                   SATISFACTION_DELAY_DAYS)
        request = visit.request_id
        contract = visit.contract_id
        # the request's or the contract's responsible, else whoever completed the visit, as
        # long as they work for the visit's company and in the department (a service station
        # registers its requests and completes its visits: the department calls its customers
        # back, not the station; else the department's user, see create)
        if department is None:
            department = self.env.ref(GROUP_USER).sudo().users
        user = visit._company_user(
            (request.user_id | request.dispatched_by_id | contract.user_id | self.env.user)
            .filtered(lambda u: u in department))
        return {
            "type_id": callback_type.id, "trigger": "visit:%s" % visit.id,
            "partner_id": visit.partner_id.id, "visit_id": visit.id,
            "request_id": request.id, "product_id": visit.product_ids[:1].id,
            "technician_ids": [(6, 0, visit.technician_ids.ids)],
            "station_id": (visit.station_id or request.station_id).id,
            "user_id": user.id, "contract_id": contract.id,
            "date_due": fields.Datetime.to_string(due), "company_id": visit.company_id.id,
        }

    @api.model
    def _cron_generate(self):
        """Scheduled job: callbacks that fell due, then the overdue flags. The candidates are
        found in one query per kind and created by chunk jobs (see after_sales.job.mixin);
        idempotent: a trigger (visit, installed product) never gets two callbacks."""
        self._generate_visit_callbacks()
        self._generate_usage_callbacks()
        self._generate_key_customer_callbacks()
        self._generate_delivery_callbacks()
        self._flag_overdue()
        return True

    @api.model
    def _flag_overdue(self, ids=None):
        """Callbacks to do past their due date are overdue (one UPDATE; only `ids` if given)."""
        now = fields.Datetime.now()
        self.env.cr.execute("""
            UPDATE after_sales_callback SET is_overdue = (date_due < %(now)s)
             WHERE state = 'todo' AND is_overdue IS DISTINCT FROM (date_due < %(now)s)
               AND (%(all)s OR id IN %(ids)s)
        """, {"now": now, "all": ids is None, "ids": tuple(ids or [0])})
        self.invalidate_cache(["is_overdue"])

    def _generate_visit_callbacks(self):
        return self._after_sales_run_chunks("_job_visit_callbacks",
                                            self._visit_callback_candidates(),
                                            result=self.browse())

    @api.model
    def _visit_callback_candidates(self, visit_ids=None):
        """The completed visits without their callback (among `visit_ids` if given)."""
        self.env.cr.execute("""
            SELECT v.id FROM after_sales_visit v
             WHERE v.state IN ('done', 'verified')
               AND (%(all)s OR v.id IN %(ids)s)
               AND NOT EXISTS (SELECT 1 FROM after_sales_callback c
                                WHERE c.trigger = 'visit:' || v.id)
          ORDER BY v.id
        """, {"all": visit_ids is None, "ids": tuple(visit_ids or [0])})
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    @job(default_channel="root.after_sales.callbacks")
    def _job_visit_callbacks(self, visit_ids):
        """Callbacks after completed visits (a chunk)"""
        visits = self.env["after_sales.visit"].browse(self._visit_callback_candidates(visit_ids))
        callbacks = self._create_for_visits(visits)
        self._flag_overdue(callbacks.ids)
        return callbacks

    def _generate_usage_callbacks(self):
        """Usage callback about N months after the product started being used (installation,
        else delivery), for the products quality flags as needing one."""
        months = self.env.user.company_id.after_sales_usage_callback_months
        limit = fields.Date.to_string(fields.Date.from_string(fields.Date.context_today(self))
                                      - relativedelta(months=months))
        return self._after_sales_run_chunks("_job_usage_callbacks",
                                            self._usage_callback_candidates(limit), (limit,),
                                            result=self.browse())

    @api.model
    def _usage_callback_candidates(self, limit, card_ids=None):
        """The flagged products' cards in use since `limit` or before, without their usage
        callback (among `card_ids` if given)."""
        self.env.cr.execute("""
            SELECT card.id FROM after_sales_warranty_card card
              JOIN product_product pp ON pp.id = card.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE card.active AND pt.after_sales_usage_callback
               AND COALESCE(card.date_installed, card.date_delivered) <= %(limit)s
               AND (%(all)s OR card.id IN %(ids)s)
               AND NOT EXISTS (SELECT 1 FROM after_sales_callback c
                                WHERE c.trigger = 'usage:' || card.id)
          ORDER BY card.id
        """, {"limit": limit, "all": card_ids is None, "ids": tuple(card_ids or [0])})
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    @job(default_channel="root.after_sales.callbacks")
    def _job_usage_callbacks(self, card_ids, limit):
        """Usage callbacks of installed products (a chunk)"""
        cards = self.env["after_sales.warranty.card"].browse(
            self._usage_callback_candidates(limit, card_ids))
        callback_type = self.env.ref("after_sales_service.callback_type_usage")
        callbacks = self._create_batch([{
            "type_id": callback_type.id, "trigger": "usage:%s" % card.id,
            "partner_id": card.partner_id.id, "warranty_card_id": card.id,
            "product_id": card.product_id.id, "company_id": card.company_id.id,
            "date_due": fields.Datetime.now(),
        } for card in cards])
        self._flag_overdue(callbacks.ids)
        return callbacks

    def _generate_key_customer_callbacks(self):
        """Key customers are visited at least once a year: one annual visit per year."""
        year = fields.Date.context_today(self)[:4]
        return self._after_sales_run_chunks("_job_key_customer_callbacks",
                                            self._key_customer_candidates(year), (year,),
                                            result=self.browse())

    @api.model
    def _key_customer_candidates(self, year, partner_ids=None):
        """The key customers without their annual visit of `year` (among `partner_ids`)."""
        self.env.cr.execute("""
            SELECT p.id FROM res_partner p
             WHERE p.active AND p.after_sales_key_customer
               AND (%(all)s OR p.id IN %(ids)s)
               AND NOT EXISTS (SELECT 1 FROM after_sales_callback c
                                WHERE c.trigger = 'key:' || p.id || ':' || %(year)s)
          ORDER BY p.id
        """, {"year": year, "all": partner_ids is None, "ids": tuple(partner_ids or [0])})
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    @job(default_channel="root.after_sales.callbacks")
    def _job_key_customer_callbacks(self, partner_ids, year):
        """Annual visits of key customers (a chunk)"""
        partners = self.env["res.partner"].browse(
            self._key_customer_candidates(year, partner_ids))
        callback_type = self.env.ref("after_sales_service.callback_type_key_customer")
        callbacks = self._create_batch([{
            "type_id": callback_type.id, "trigger": "key:%s:%s" % (partner.id, year),
            "partner_id": partner.id, "date_due": fields.Datetime.now(),
            "company_id": (partner.company_id or self.env.user.company_id).id,
        } for partner in partners])
        self._flag_overdue(callbacks.ids)
        return callbacks

    # ------------------------------------------------------------------ online callback
    # After a completed visit the customer gets a link to the questionnaire (/callback/<id>,
    # no login needed): the answers fill this callback (channel "online") and record it as
    # the phone callback does (action_done: unsatisfied answers open their follow-up). The
    # link works once, until its expiry.

    _owned_fields = _owned_fields + ("channel", "portal_expiry")

    channel = fields.Selection([("phone", "Phone"), ("online", "Online")], default="phone",
                               required=True, readonly=True, copy=False,
                               help="How the customer answered: called back, or online "
                                    "through the link of the invitation.")
    portal_expiry = fields.Datetime("Online Link Valid Until", readonly=True, copy=False)
    online_url = fields.Char("Online Questionnaire Link", compute="_compute_online_url",
                             help="The customer's link to answer online (no login needed), "
                                  "while it is valid.")

    def _compute_portal_url(self):
        for callback in self:
            callback.portal_url = "/callback/%s" % callback.id

    def _portal_link(self):
        self.ensure_one()
        return self._portal_full_url("/callback/%s?access_token=%s" % (
            self.id, self.sudo().access_token))

    def _compute_online_url(self):
        for callback in self:
            callback.online_url = callback.id and callback._portal_can_answer() \
                and callback._portal_link()

    def _portal_can_answer(self):
        """The link works while the callback is to do, until it expires."""
        self.ensure_one()
        callback = self.sudo()
        return callback.state == "todo" and bool(callback.portal_expiry) \
            and callback.portal_expiry >= fields.Datetime.now()

    @api.multi
    def _portal_invite(self, automatic=False):
        """Mail each customer the link to the questionnaire (a new link, valid for the
        company's number of days). Automatic invitations (after a visit) follow the company's
        switch. Returns the callbacks whose customer was invited."""
        invited = self.browse()
        for callback in self.sudo().filtered(lambda c: c.state == "todo"):
            days = callback.company_id.after_sales_callback_link_days or 14
            previous = (callback.access_token, callback.portal_expiry)
            callback._portal_new_token()
            callback._as_action().write({"portal_expiry": fields.Datetime.to_string(
                fields.Datetime.from_string(fields.Datetime.now()) + timedelta(days=days))})
            if callback._notify_customer(
                    "after_sales_service.mail_template_callback_invitation",
                    "after_sales_notify_callback" if automatic else None):
                invited |= callback
            else:  # nobody was told: the link stays as it was
                callback._as_action().write({"access_token": previous[0],
                                             "portal_expiry": previous[1]})
        return invited.with_env(self.env)

    @api.multi
    def action_send_online_invitation(self):
        """Button: mail the customer the link to answer the questionnaire online."""
        for callback in self:
            if callback.state != "todo":
                raise UserError(_("Only callbacks to do can be answered online."))
            if not callback.partner_id.email:
                raise UserError(_("%s has no e-mail address.") % callback.partner_id.name)
        if len(self._portal_invite()) != len(self):
            raise UserError(_("The invitation could not be sent: set the company's e-mail "
                              "address."))
        return True

    def _portal_answer(self, values, author=None):
        """The customer's answers from the online questionnaire, {answer id: value}: checked
        (every question but the free texts is answered, values from the question's choices),
        written, then the callback is recorded as a phone callback is (action_done), online;
        the link stops working. Returns {answer id: error message} (nothing written) or {}."""
        self.ensure_one()
        callback = self.sudo()
        errors = {}
        vals = {}
        for answer in callback.answer_ids:
            value = (values.get(answer.id) or "").strip()
            field, choices = ANSWER_FIELDS[answer.kind]
            if not value:
                if answer.kind != "text":
                    errors[answer.id] = _("Answer this question.")
                continue
            if choices and value not in choices:
                errors[answer.id] = _("Choose one of the answers.")
            elif len(value) > TEXT_LENGTH:
                errors[answer.id] = _("The answer is too long.")
            else:
                vals[answer] = {field: value}
        if errors:
            return errors
        for answer, answer_vals in vals.items():
            answer.write(answer_vals)
        callback._as_action().write({"channel": "online"})
        callback.action_done()
        callback._portal_new_token()
        callback._as_action().write({"portal_expiry": False})
        callback.message_post(body=_("Answered online by the customer."),
                              author_id=(author or callback.partner_id).id,
                              subtype="mail.mt_note")
        return {}

    # ------------------------------------------------------------------ post-delivery callback
    # 000 §4.2: after a delivery of a product quality flags, the customer is called (in use?
    # working? delivery time, look, price, packaging; warranty card and service number
    # reminded). One callback per done delivery (trigger "delivery:<picking id>").

    picking_id = fields.Many2one("stock.picking", "Delivery", index=True, readonly=True,
                                 copy=False)
    _owned_fields = _owned_fields + ("picking_id",)

    def _generate_delivery_callbacks(self):
        since = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now())
            - timedelta(days=DELIVERY_CALLBACK_WINDOW_DAYS))
        return self._after_sales_run_chunks("_job_delivery_callbacks",
                                            self._delivery_callback_candidates(since),
                                            (since,), result=self.browse())

    @api.model
    def _delivery_callback_candidates(self, since, picking_ids=None):
        """The done deliveries to a customer since `since` with a move of a flagged product,
        without their callback (among `picking_ids` if given)."""
        self.env.cr.execute("""
            SELECT p.id FROM stock_picking p
              JOIN stock_picking_type pt ON pt.id = p.picking_type_id
              JOIN stock_location dest ON dest.id = p.location_dest_id
             WHERE p.state = 'done' AND pt.code = 'outgoing' AND dest.usage = 'customer'
               AND p.partner_id IS NOT NULL AND p.date_done >= %(since)s
               AND (%(all)s OR p.id IN %(ids)s)
               AND EXISTS (SELECT 1 FROM stock_move m
                             JOIN product_product pp ON pp.id = m.product_id
                             JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
                            WHERE m.picking_id = p.id AND m.state = 'done'
                              AND tmpl.after_sales_delivery_callback)
               AND NOT EXISTS (SELECT 1 FROM after_sales_callback c
                                WHERE c.trigger = 'delivery:' || p.id)
          ORDER BY p.id
        """, {"since": since, "all": picking_ids is None, "ids": tuple(picking_ids or [0])})
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    @job(default_channel="root.after_sales.callbacks")
    def _job_delivery_callbacks(self, picking_ids, since):
        """Post-delivery callbacks (a chunk)"""
        pickings = self.env["stock.picking"].browse(
            self._delivery_callback_candidates(since, picking_ids))
        callback_type = self.env.ref("after_sales_service.callback_type_delivery")
        planner = DeadlinePlanner()
        callbacks = self._create_batch([
            self._prepare_delivery_callback_vals(picking, callback_type, planner)
            for picking in pickings])
        self._flag_overdue(callbacks.ids)
        return callbacks

    @api.model
    def _prepare_delivery_callback_vals(self, picking, callback_type, planner=None):
        """Due a few working days after the delivery, once the goods have arrived (`planner`:
        a DeadlinePlanner shared by a batch)."""
        company = picking.company_id
        due = (planner or DeadlinePlanner()).plan(company, picking.date_done,
                                                   DELIVERY_CALLBACK_DELAY_DAYS)
        product = picking.move_lines.filtered(
            lambda m: m.state == "done"
            and m.product_id.after_sales_delivery_callback)[:1].product_id
        return {
            "type_id": callback_type.id, "trigger": "delivery:%s" % picking.id,
            "partner_id": picking.partner_id.commercial_partner_id.id,
            "picking_id": picking.id, "product_id": product.id,
            "date_due": fields.Datetime.to_string(due), "company_id": company.id,
        }


class DeadlinePlanner(object):
    """company.after_sales_plan_deadline(start, days, "days") for the many starts of a batch:
    the working intervals of a company's calendar are read once per company and local day of
    the start (from that day's midnight on, as far as a deadline needs them) and each deadline
    is planned on them by the same walk (res_company.plan_working_time)."""

    def __init__(self):
        self._intervals = {}  # (company id, local day) -> [list of (begin, end), generator]

    def plan(self, company, start, days):
        start = fields.Datetime.from_string(start) if isinstance(start, str) else start
        wanted = timedelta(seconds=round(days * HOURS_PER_DAY * 3600.0))
        if wanted <= timedelta(0):
            return start
        tz = pytz.timezone(company.partner_id.tz or company.env.user.tz or "UTC")
        day = pytz.utc.localize(start).astimezone(tz).date()
        key = (company.id, day)
        if key not in self._intervals:
            midnight = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
            self._intervals[key] = [[], company._after_sales_work_intervals(
                midnight.replace(tzinfo=None))]
        # a calendar without working time plans nothing: the deadline is the start
        return plan_working_time([wanted], self._from(key, start))[0] or start

    def _from(self, key, start):
        """The day's intervals from `start` on: those read already, then read on demand."""
        known, more = self._intervals[key]
        index = 0
        while True:
            if index == len(known):
                interval = next(more, None)
                if interval is None:
                    return
                known.append(interval)
            begin, end = known[index]
            index += 1
            begin = max(begin, start)
            if end > begin:
                yield begin, end


class CallbackAnswer(models.Model):
    """The customer's answer to one question of a callback; recorded while the callback is to
    do, kept as it was once the callback is recorded (see after_sales.document.line)."""

    _name = "after_sales.callback.answer"
    _inherit = ["after_sales.document.line"]
    _description = "Callback Answer"
    _order = "sequence, id"
    _header_field = "callback_id"
    _editable_states = ("todo",)

    callback_id = fields.Many2one("after_sales.callback", required=True, ondelete="cascade")
    question_id = fields.Many2one("after_sales.callback.question", required=True)
    sequence = fields.Integer(related="question_id.sequence", store=True, readonly=True)
    kind = fields.Selection(QUESTION_KINDS, related="question_id.kind", readonly=True)
    checks_charge = fields.Boolean(related="question_id.checks_charge", readonly=True)
    is_required = fields.Boolean(
        "Required", compute="_compute_is_required",
        help="The callback can't be recorded without an answer to this question.")
    value_yesno = fields.Selection([("yes", "Yes"), ("no", "No")], "Yes / No")
    value_rating = fields.Selection(RATINGS, "Rating")
    value_text = fields.Text("Answer")
    is_answered = fields.Boolean(compute="_compute_outcome", store=True)
    is_negative = fields.Boolean("Unsatisfied", compute="_compute_outcome", store=True)
    display_answer = fields.Char("Answer Given", compute="_compute_outcome")

    @api.model
    def create(self, vals):
        return super(CallbackAnswer, self).create(self._clean_rating(vals))

    @api.multi
    def write(self, vals):
        return super(CallbackAnswer, self).write(self._clean_rating(vals))

    @api.model
    def _clean_rating(self, vals):
        """No star is no answer: the stars' empty value is stored as empty."""
        if vals.get("value_rating") == NO_RATING:
            vals = dict(vals, value_rating=False)
        return vals

    @api.depends("question_id.kind")
    def _compute_is_required(self):
        for answer in self:
            answer.is_required = answer.question_id.kind in REQUIRED_KINDS

    @api.depends("value_yesno", "value_rating", "value_text", "question_id")
    def _compute_outcome(self):
        for answer in self:
            kind = answer.question_id.kind
            value = {"yesno": answer.value_yesno, "rating": answer.value_rating,
                     "text": answer.value_text}.get(kind)
            if value == NO_RATING and kind == "rating":
                value = False  # the stars cleared in the form, before it is saved
            answer.is_answered = bool(value)
            answer.display_answer = value or ""
            if kind == "rating":
                answer.is_negative = bool(value) and int(value) <= 2
            elif kind == "yesno":
                answer.is_negative = bool(value) and value == answer.question_id.unsatisfied_answer
            else:
                answer.is_negative = False
