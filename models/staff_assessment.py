# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .assessment_figures_mixin import FIGURES
from .document_mixin import LINE_LENGTH, TEXT_LENGTH, ApprovalStep, document_action

GROUP_USER = "after_sales_service.group_user"
STAFF_STATES = [("draft", "Draft"), ("to_approve", "To Approve"), ("approved", "Approved"),
                ("rejected", "Rejected")]
SANCTIONS = [("none", "None"), ("reward", "Reward"), ("penalty", "Penalty")]
DRAFT = {"draft": [("readonly", False)]}


class StaffAssessment(models.Model):
    """The assessment (考核) of a technician over a period (003-i 第十一条, 004
    二(二)13(9)): the figures the system fills, the scores and comments, the reward or
    penalty, approved by the after-sales manager."""

    _name = "after_sales.staff.assessment"
    _description = "Staff Assessment"
    _inherit = ["after_sales.numbered.document", "after_sales.assessment.figures.mixin"]
    _sequence_code = "after_sales.staff.assessment"
    _order = "date_to desc, id desc"
    _reason_actions = ("reject",)
    _text_limits = {"comment": TEXT_LENGTH, "sanction_note": LINE_LENGTH,
                    "reject_reason": TEXT_LENGTH}
    _non_negative_fields = ("score_performance", "score_skill", "score_attitude",
                            "sanction_amount")
    _owned_fields = ("state", "approved_by_id", "date_approved", "reject_reason") + FIGURES

    user_id = fields.Many2one("res.users", "Technician", required=True, index=True,
                              readonly=True, states=DRAFT)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    score_performance = fields.Float("Performance Score", readonly=True, states=DRAFT,
                                     help="Out of 100.")
    score_skill = fields.Float("Skill Score", readonly=True, states=DRAFT, help="Out of 100.")
    score_attitude = fields.Float("Service Attitude Score", readonly=True, states=DRAFT,
                                  help="Out of 100.")
    score_total = fields.Float("Total Score", compute="_compute_score_total", store=True,
                               digits=(16, 1), group_operator="avg",
                               help="The mean of the three scores.")
    comment = fields.Text("Manager's Comments", readonly=True, states=DRAFT)
    sanction = fields.Selection(SANCTIONS, "Reward or Penalty", required=True,
                                default="none", readonly=True, states=DRAFT,
                                track_visibility="onchange")
    sanction_amount = fields.Monetary("Amount", readonly=True, states=DRAFT)
    sanction_note = fields.Char("Reward or Penalty Given", readonly=True, states=DRAFT)
    state = fields.Selection(STAFF_STATES, default="draft", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime("Approved On", readonly=True, copy=False)
    reject_reason = fields.Char("Rejection Reason", readonly=True, copy=False,
                                track_visibility="onchange")

    @api.depends("score_performance", "score_skill", "score_attitude")
    def _compute_score_total(self):
        for assessment in self:
            assessment.score_total = round((assessment.score_performance + assessment.score_skill
                                            + assessment.score_attitude) / 3.0, 1)

    @api.model
    def create(self, vals):
        assessment = super(StaffAssessment, self).create(vals)
        assessment._write_figures()
        return assessment

    def _check_input_rules(self, names):
        super(StaffAssessment, self)._check_input_rules(names)
        for name in ("score_performance", "score_skill", "score_attitude"):
            if name in names and any(record[name] > 100 for record in self):
                raise UserError(_("%s is out of 100.") % self._field_label(name))
        return True

    def _figures_subject(self):
        return self.user_id.id

    @api.model
    def _figures_conditions(self):
        visits = self.env["after_sales.visit"]._fields["technician_ids"]
        callbacks = self.env["after_sales.callback"]._fields["technician_ids"]
        names = {"vrel": visits.relation, "vvisit": visits.column1, "vuser": visits.column2,
                 "crel": callbacks.relation, "ccall": callbacks.column1,
                 "cuser": callbacks.column2}
        return {
            "visit": "EXISTS (SELECT 1 FROM {vrel} t WHERE t.{vvisit} = v.id "
                     "AND t.{vuser} = s.subject_id)".format(**names),
            "callback": "EXISTS (SELECT 1 FROM {crel} t WHERE t.{ccall} = c.id "
                        "AND t.{cuser} = s.subject_id)".format(**names),
            # a complaint about a request he served (a completed visit of his)
            "complaint": "EXISTS (SELECT 1 FROM after_sales_visit kv JOIN {vrel} t "
                         "ON t.{vvisit} = kv.id WHERE kv.request_id = k.request_id "
                         "AND kv.state IN ('done', 'verified') "
                         "AND t.{vuser} = s.subject_id)".format(**names),
            "handled": "c.user_id = s.subject_id",
        }

    # ------------------------------------------------------------------ approval

    @api.model
    def _approval_steps(self):
        return [ApprovalStep(
            "approve", _("Assessment approval"), "to_approve", "approved",
            "after_sales_service.group_manager", user_field="approved_by_id",
            date_field="date_approved", reject_state="rejected",
            denied=_("Only the after-sales manager approves staff assessments."),
            refused=_("These assessments are not waiting for approval: %s"))]

    @api.multi
    @document_action
    def action_refresh_figures(self):
        self._check_group(GROUP_USER, _("Only the after-sales department assesses staff."))
        if any(assessment.state != "draft" for assessment in self):
            raise UserError(_("The figures of an assessment are kept once it is submitted."))
        return self._write_figures()

    @api.multi
    @document_action
    def action_submit(self):
        """Submitted with the figures of the day, for the manager's approval."""
        self._check_group(GROUP_USER, _("Only the after-sales department assesses staff."))
        for assessment in self:
            if assessment.state != "draft":
                raise UserError(_("%s is not a draft.") % assessment.name)
            if not (assessment.comment or "").strip():
                raise UserError(_("Manager's Comments: write the assessment of %s.")
                                % assessment.user_id.name)
            if assessment.sanction != "none" and not (assessment.sanction_note or "").strip():
                raise UserError(_("Reward or Penalty Given: say what %s receives.")
                                % assessment.user_id.name)
        self._write_figures()
        self.write({"state": "to_approve", "reject_reason": False})
        self._sync_approval_activities()
        return True

    @api.multi
    @document_action
    def action_approve(self):
        return self._approve_step("approve")

    @api.multi
    @document_action
    def action_reject(self, reason=None):
        return self._reject_step(reason)

    @api.multi
    def action_reject_wizard(self):
        return self._open_reason_wizard("reject", _("Reject Assessment"))

    @api.multi
    @document_action
    def action_reset(self):
        self._check_group(GROUP_USER, _("Only the after-sales department assesses staff."))
        if any(assessment.state != "rejected" for assessment in self):
            raise UserError(_("Only rejected assessments go back to draft."))
        self.write({"state": "draft"})
        return True

    @api.multi
    def unlink(self):
        if any(assessment.state != "draft" for assessment in self):
            raise UserError(_("Submitted assessments are kept."))
        return super(StaffAssessment, self).unlink()
