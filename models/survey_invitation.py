# -*- coding: utf-8 -*-
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .document_mixin import document_action

INVITATION_STATES = [("new", "To Invite"), ("sent", "Invited"), ("answered", "Answered"),
                     ("expired", "Expired")]
OPEN_STATES = ("new", "sent")
CORRECTIVE_DAYS = 30  # the corrective action's deadline after the low score


class SurveyInvitation(models.Model):
    """One customer's invitation to a survey campaign: the survey.user_input of Odoo's
    survey module (its token makes the customer's link), how it was answered (online by the
    link, or by phone, staff entering the answers in the same survey), the customer's score
    (the average of the rated answers, 1 to 5) and, for a low score, its one follow-up."""

    _name = "after_sales.survey.invitation"
    _description = "Survey Invitation"
    _inherit = ["mail.thread", "after_sales.document.mixin"]
    _rec_name = "partner_id"
    _order = "plan_line_id desc, partner_id, id"
    _owned_fields = ("state", "user_input_id", "channel", "date_sent", "date_answered",
                     "entered_by_id", "score_total", "rated_count", "score", "is_low",
                     "followup_request_id", "followup_complaint_id", "followup_action_id",
                     "plan_line_id", "partner_id")

    plan_line_id = fields.Many2one("after_sales.survey.plan.line", "Campaign", required=True,
                                   index=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one(related="plan_line_id.company_id", store=True, readonly=True,
                                 index=True)
    survey_id = fields.Many2one(related="plan_line_id.survey_id", store=True, readonly=True)
    date_start = fields.Date(related="plan_line_id.date_start", store=True, readonly=True,
                             string="Period From")
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 readonly=True)
    user_input_id = fields.Many2one("survey.user_input", "Survey Answers", readonly=True,
                                    copy=False, index=True)
    state = fields.Selection(INVITATION_STATES, default="new", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")
    channel = fields.Selection([("online", "Online"), ("phone", "Phone")], readonly=True,
                               copy=False, help="How the customer answered: online by the "
                                                "link, or by phone, staff entering the "
                                                "answers.")
    date_sent = fields.Datetime("Invited On", readonly=True, copy=False)
    date_answered = fields.Datetime("Answered On", readonly=True, copy=False)
    entered_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    score_total = fields.Float("Total Rating", readonly=True, copy=False)
    rated_count = fields.Integer("Rated Answers", readonly=True, copy=False)
    score = fields.Float("Average Rating", readonly=True, copy=False, digits=(3, 2),
                         group_operator="avg")
    is_low = fields.Boolean("Low Score", readonly=True, copy=False, index=True)
    followup_request_id = fields.Many2one("after_sales.request", "Follow-up Request",
                                          readonly=True, copy=False)
    followup_complaint_id = fields.Many2one("after_sales.complaint", "Corrective Action Of",
                                            readonly=True, copy=False)
    followup_action_id = fields.Many2one("after_sales.complaint.action", "Corrective Action",
                                         readonly=True, copy=False)
    survey_url = fields.Char("Survey Link", compute="_compute_survey_url",
                             help="The customer's link (no login needed), while it is open.")

    _sql_constraints = [
        ("customer_uniq", "unique (plan_line_id, partner_id)",
         "A customer is invited once to a survey."),
    ]

    def _compute_survey_url(self):
        for invitation in self:
            user_input = invitation.sudo().user_input_id
            invitation.survey_url = invitation.state in OPEN_STATES and user_input and \
                "%s/%s" % (user_input.survey_id.public_url, user_input.token)

    # ------------------------------------------------------------------ creation

    @api.model
    def _create_for(self, line, customers):
        """One invitation and its survey.user_input (a token link) per customer of `line`."""
        days = line.company_id.after_sales_survey_link_days or 30
        deadline = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) + timedelta(days=days))
        UserInput = self.env["survey.user_input"].sudo()
        invitations = self.browse()
        for customer in customers:
            user_input = UserInput.create({
                "survey_id": line.survey_id.id, "type": "link", "partner_id": customer.id,
                "email": customer.email or False, "deadline": deadline})
            invitations |= self._as_action().create({
                "plan_line_id": line.id, "partner_id": customer.id,
                "user_input_id": user_input.id})
        return invitations.with_env(self.env)

    @api.multi
    def _send_invitation(self):
        """Mail the link to the customers with an e-mail address, in their language."""
        template = self.env.ref("after_sales_service.mail_template_survey_invitation")
        company_mail = self.mapped("company_id").filtered("email") or self.env.user.email
        sent = self.browse()
        for invitation in self.filtered(lambda i: i.state == "new" and i.partner_id.email):
            if not company_mail:
                break
            invitation.message_post_with_template(
                template.id, author_id=invitation.company_id.partner_id.id,
                message_type="comment")
            sent |= invitation
        sent._as_action().write({"state": "sent", "date_sent": fields.Datetime.now()})
        return sent

    @api.multi
    def _expire(self):
        """The campaign is closed: unanswered links stop working."""
        self._as_action().write({"state": "expired"})
        self.sudo().mapped("user_input_id").write({"deadline": fields.Datetime.now()})

    # ------------------------------------------------------------------ phone entry

    @api.multi
    @document_action
    def action_enter_answers(self):
        """The customer answers on the phone: the staff member opens the same survey, on this
        customer's answers (the token), and enters them."""
        self.ensure_one()
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department enters survey answers."))
        if self.state not in OPEN_STATES:
            raise UserError(_("The survey of %s is no longer open.") % self.partner_id.name)
        self.write({"channel": "phone", "entered_by_id": self.env.uid})
        user_input = self.sudo().user_input_id
        return {"type": "ir.actions.act_url", "target": "new",
                "url": "/survey/fill/%s/%s" % (user_input.survey_id.id, user_input.token)}

    @api.multi
    def action_send_invitation(self):
        """Button: mail (again) the customer's link."""
        for invitation in self:
            if invitation.state not in OPEN_STATES:
                raise UserError(_("The survey of %s is no longer open.")
                                % invitation.partner_id.name)
            if not invitation.partner_id.email:
                raise UserError(_("%s has no e-mail address.") % invitation.partner_id.name)
        self._as_action().write({"state": "new"})
        if len(self._send_invitation()) != len(self):
            raise UserError(_("The invitation could not be sent: set the company's e-mail "
                              "address."))
        return True

    # ------------------------------------------------------------------ answered

    @api.multi
    def _on_answered(self):
        """The survey was completed (online or entered by staff): the score from the rated
        answers (one query for the set), then, for a low score, the follow-up; once."""
        invitations = self.sudo().filtered(lambda i: i.state in OPEN_STATES)
        if not invitations:
            return self
        scores = self._scores(invitations.mapped("user_input_id").ids)
        now = fields.Datetime.now()
        for invitation in invitations:
            total, count = scores.get(invitation.user_input_id.id, (0.0, 0))
            score = total / count if count else 0.0
            low = bool(count) and score < invitation.company_id.after_sales_survey_low_score
            invitation._as_action().write({
                "state": "answered", "date_answered": now, "score_total": total,
                "rated_count": count, "score": score, "is_low": low,
                "channel": invitation.channel or "online"})
            if low:
                invitation._open_followup()
        return invitations

    @api.model
    def _scores(self, user_input_ids):
        """{user_input id: (sum of the ratings, number of rated answers)}: the answers that
        chose a scored label (survey.label.quizz_mark, the rating 1-5)."""
        if not user_input_ids:
            return {}
        self.env.cr.execute("""
            SELECT l.user_input_id, SUM(l.quizz_mark), COUNT(*)
              FROM survey_user_input_line l
              JOIN survey_label lab ON lab.id = l.value_suggested
             WHERE l.user_input_id IN %s AND l.answer_type = 'suggestion'
               AND NOT COALESCE(l.skipped, FALSE) AND lab.quizz_mark > 0
          GROUP BY l.user_input_id
        """, (tuple(user_input_ids),))
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    def _open_followup(self):
        """A low score opens, once, what the survey says: a follow-up service request, or a
        corrective action (on a complaint recording the customer's answers)."""
        self.ensure_one()
        if self.followup_request_id or self.followup_action_id:
            return False
        summary = self._low_answers_summary()
        if self.survey_id.after_sales_followup == "request":
            request = self.env["after_sales.request"].create(
                self._prepare_followup_request_vals(summary))
            self._as_action().write({"followup_request_id": request.id})
            return request
        complaint = self.env["after_sales.complaint"].create(
            self._prepare_followup_complaint_vals(summary))
        action = self.env["after_sales.complaint.action"].create(
            self._prepare_corrective_action_vals(complaint))
        self._as_action().write({"followup_complaint_id": complaint.id,
                                 "followup_action_id": action.id})
        return action

    def _low_answers_summary(self):
        """The questions rated 1 or 2, with the rating, for the follow-up."""
        lines = self.sudo().user_input_id.user_input_line_ids.filtered(
            lambda l: l.answer_type == "suggestion" and 0 < l.quizz_mark <= 2)
        text = "\n".join("%s: %s" % (line.question_id.question, line.value_suggested.value)
                         for line in lines)
        return _("Survey %(survey)s (%(campaign)s) answered with an average rating of "
                 "%(score).2f.\n%(answers)s") % {
                     "survey": self.survey_id.title, "campaign": self.plan_line_id.name,
                     "score": self.score, "answers": text}

    def _followup_user(self):
        return self._company_user(self.plan_line_id.user_id,
                                  "after_sales_service.group_quality")

    def _prepare_followup_request_vals(self, summary):
        return {
            "partner_id": self.partner_id.id, "channel": "callback", "category": "repair",
            "priority": "1", "description": summary, "company_id": self.company_id.id,
            "user_id": self._followup_user().id,
        }

    def _prepare_followup_complaint_vals(self, summary):
        return {
            "partner_id": self.partner_id.id, "company_id": self.company_id.id,
            "channel": "web" if self.channel == "online" else "phone",
            "complainant": self.partner_id.name, "content": summary,
            "user_id": self._followup_user().id,
        }

    def _prepare_corrective_action_vals(self, complaint):
        deadline = fields.Date.from_string(fields.Date.context_today(self)) \
            + timedelta(days=CORRECTIVE_DAYS)
        return {
            "complaint_id": complaint.id, "action_type": "corrective", "term": "permanent",
            "description": _("Improve what %(customer)s rated low in %(survey)s") % {
                "customer": self.partner_id.name, "survey": self.plan_line_id.name},
            "user_id": self._followup_user().id, "date_deadline": fields.Date.to_string(deadline),
        }
