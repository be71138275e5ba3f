# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from .document_mixin import TEXT_LENGTH, ApprovalStep, document_action

# changing one of these updates the owner's activity
ACTIVITY_FIELDS = {"description", "user_id", "date_deadline", "date_done", "approval_state"}
QUALITY_GROUP = "after_sales_service.group_quality"
# the kinds of permanent measures (长久对策, 002-K §5.2e)
KINDS = [
    ("process", "Process Improvement"),
    ("management", "Management Improvement"),
    ("tooling", "Tooling / Equipment Improvement"),
    ("inspection", "Inspection Improvement"),
]


class AfterSalesComplaintAction(models.Model):
    """A corrective or preventive action (纠正预防措施) decided on a complaint, with its kind,
    owner and deadline. Quality approves it before it is carried out (002-P §6.3.3: 交质量部批准
    后实施): an action drafted by quality itself is approved as it is recorded, one drafted by
    another department waits for quality's approval. Once approved, the owner follows it up
    as a to-do activity on the complaint; once done, someone other than the owner checks its
    effect (效果确认)."""

    _name = "after_sales.complaint.action"
    _inherit = ["after_sales.document.mixin"]
    _description = "Corrective/Preventive Action"
    _rec_name = "description"
    _order = "complaint_id, date_deadline, id"
    _reason_actions = ("refuse",)
    _text_limits = {"result": TEXT_LENGTH, "effect_note": TEXT_LENGTH,
                    "reject_reason": TEXT_LENGTH}
    # what only the action's buttons change (see DocumentMixin._check_direct_write)
    _owned_fields = ("approval_state", "approved_by_id", "date_approved", "reject_reason",
                     "date_done", "effect", "effect_checked_by_id", "date_effect_checked")

    complaint_id = fields.Many2one(
        "after_sales.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="complaint_id.company_id", string="Company", store=True, readonly=True)
    partner_id = fields.Many2one(
        related="complaint_id.partner_id", string="Customer", readonly=True)
    complaint_state = fields.Selection(
        related="complaint_id.state", string="Complaint Status", readonly=True)
    description = fields.Char("Action", required=True)
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")], "Type",
        required=True, default="corrective")
    term = fields.Selection(
        [("temporary", "Temporary"), ("permanent", "Permanent")],
        required=True, default="temporary")
    user_id = fields.Many2one(
        "res.users", "Owner", required=True, index=True, default=lambda self: self.env.user,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("after_sales_service.group_user").id)])
    date_deadline = fields.Date("Deadline", required=True, index=True)
    kind = fields.Selection(KINDS, help="What a permanent measure improves; required to "
                                        "approve one.")
    date_done = fields.Date("Done on", readonly=True, copy=False)
    result = fields.Text(copy=False, help="What was done and how it was verified.")
    state = fields.Selection(
        [("to_approve", "To Approve"), ("refused", "Refused"), ("open", "In Progress"),
         ("done", "Done"), ("overdue", "Overdue")], "Status",
        compute="_compute_state", search="_search_state")

    # quality's approval, before the action is carried out
    approval_state = fields.Selection(
        [("to_approve", "To Approve"), ("approved", "Approved"), ("refused", "Refused")],
        "Approval", default="to_approve", required=True, readonly=True, copy=False, index=True)
    approved_by_id = fields.Many2one("res.users", "Approved by", readonly=True, copy=False)
    date_approved = fields.Datetime("Approved on", readonly=True, copy=False)
    reject_reason = fields.Text("Refused Because", readonly=True, copy=False)

    # effect check (效果确认), after it is done
    effect = fields.Selection([("effective", "Effective"), ("not_effective", "Not Effective")],
                              readonly=True, copy=False)
    effect_note = fields.Text("Effect Found", copy=False,
                              help="What the check of the effect found.")
    effect_checked_by_id = fields.Many2one("res.users", "Effect Checked by", readonly=True,
                                           copy=False)
    date_effect_checked = fields.Datetime("Effect Checked on", readonly=True, copy=False)
    can_be_approved = fields.Boolean(compute="_compute_can_be")
    can_be_done = fields.Boolean(compute="_compute_can_be")
    can_check_effect = fields.Boolean(compute="_compute_can_be")
    activity_id = fields.Many2one(
        "mail.activity", "Owner's Activity", readonly=True, copy=False, ondelete="set null")

    @api.depends("date_done", "date_deadline", "approval_state")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for action in self:
            if action.date_done:
                action.state = "done"
            elif action.approval_state != "approved":
                action.state = action.approval_state
            elif action.date_deadline and action.date_deadline < today:
                action.state = "overdue"
            else:
                action.state = "open"

    @api.depends("approval_state", "date_done", "effect")
    def _compute_can_be(self):
        is_quality = self.env.user.has_group(QUALITY_GROUP)
        for action in self:
            action.can_be_approved = is_quality and action.approval_state == "to_approve"
            action.can_be_done = action.approval_state == "approved" and not action.date_done
            action.can_check_effect = bool(action.date_done) and not action.effect \
                and action.user_id != self.env.user

    def _search_state(self, operator, value):
        today = fields.Date.context_today(self)
        approved = ("approval_state", "=", "approved")
        domains = {  # normalized: a search method's domain is used as it is
            "done": [("date_done", "!=", False)],
            "to_approve": ["&", ("date_done", "=", False), ("approval_state", "=", "to_approve")],
            "refused": ["&", ("date_done", "=", False), ("approval_state", "=", "refused")],
            "overdue": ["&", "&", ("date_done", "=", False), approved,
                        ("date_deadline", "<", today)],
            "open": ["&", "&", ("date_done", "=", False), approved,
                     ("date_deadline", ">=", today)],
        }
        values = [value] if isinstance(value, str) else list(value or [])
        if operator in ("=", "in"):
            wanted = [state for state in sorted(domains) if state in values]
        elif operator in ("!=", "not in"):
            wanted = [state for state in sorted(domains) if state not in values]
        else:
            raise UserError(_("Unsupported search operator on the action status: %s") % operator)
        return expression.OR([domains[state] for state in wanted]) if wanted else [("id", "=", 0)]

    @api.constrains("user_id", "complaint_id")
    def _check_owner_company(self):
        """The owner follows the action up as a to-do on the complaint: they work for the
        complaint's company."""
        for action in self:
            company = action.complaint_id.company_id
            owner = action.user_id.sudo()  # a user of another company is read too
            if company not in owner.company_ids:
                raise ValidationError(_(
                    "%(owner)s can't own an action of complaint %(complaint)s: they don't work "
                    "for %(company)s.") % {"owner": owner.name,
                                           "complaint": action.complaint_id.name,
                                           "company": company.name})

    @api.multi
    def _filter_open(self):
        """The actions not done yet (open or overdue)."""
        return self.filtered(lambda action: not action.date_done)

    @api.multi
    def _summary_line(self):
        self.ensure_one()
        return _("%(complaint)s: %(action)s (owner %(owner)s, deadline %(deadline)s)") % {
            "complaint": self.complaint_id.name, "action": self.description,
            "owner": self.user_id.name, "deadline": self.date_deadline}

    @api.multi
    def name_get(self):
        return [(action.id, "%s: %s" % (action.complaint_id.name, action.description))
                for action in self]

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        action = super(AfterSalesComplaintAction, self).create(vals)
        if self.env.user.has_group(QUALITY_GROUP):
            # quality drafting the action approves it as it records it
            action._as_action().write({"approval_state": "approved",
                                       "approved_by_id": self.env.uid,
                                       "date_approved": fields.Datetime.now()})
        action._sync_activity()
        action._sync_approval_activities()
        return action

    @api.multi
    def write(self, vals):
        changed = {"description", "kind", "term", "date_deadline"}.intersection(vals)
        if changed and not self.env.user.has_group(QUALITY_GROUP):
            # a change of what quality approved needs quality's approval again
            self._check_not_approved_changed(vals, changed)
        result = super(AfterSalesComplaintAction, self).write(vals)
        if ACTIVITY_FIELDS.intersection(vals):
            self._sync_activity()
        return result

    def _check_not_approved_changed(self, vals, names):
        changed = self.filtered(lambda a: a.approval_state == "approved" and any(
            a._differs(a, name, vals[name]) for name in names))
        if changed:
            raise UserError(_("Quality approved these actions as they are; only quality "
                              "changes them now: %s") % ", ".join(changed.mapped("display_name")))

    @api.multi
    def unlink(self):
        kept = self.filtered(lambda action: action.complaint_id.state in ("closed", "cancel"))
        if kept:
            raise UserError(_("The actions of a closed or cancelled complaint are kept with it "
                              "and can't be deleted: %s") % ", ".join(kept.mapped("display_name")))
        self.mapped("activity_id").unlink()
        # their approval to-dos go with them
        self.filtered(lambda a: a.approval_state == "to_approve")._remove_approval_activities()
        return super(AfterSalesComplaintAction, self).unlink()

    def _remove_approval_activities(self):
        activity_type = self.env.ref(self._approval_activity)
        step = self._get_approval_step("quality")
        for action in self:
            action.complaint_id.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
                and a.summary == action._approval_summary(step)).unlink()

    # ------------------------------------------------------------------
    # the owner's activity
    # ------------------------------------------------------------------

    @api.multi
    def _sync_activity(self):
        """Approved open actions have a to-do activity of their owner on the complaint, with
        the action's deadline; it is marked done when the action is."""
        for action in self:
            if action.date_done:
                action.activity_id.action_feedback(feedback=action.result or False)
            elif action.approval_state != "approved":
                continue
            elif action.activity_id:
                action.activity_id.write(action._activity_values())
            else:
                action.activity_id = action.complaint_id._schedule_activity(
                    "mail.mail_activity_data_todo", action.user_id, action.description,
                    action.date_deadline)

    @api.multi
    def _activity_values(self):
        self.ensure_one()
        return {
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": self.description,
            "user_id": self.user_id.id,
            "date_deadline": self.date_deadline,
        }

    # ------------------------------------------------------------------
    # quality's approval (the one approval mechanism), carrying out, effect check
    # ------------------------------------------------------------------

    @api.model
    def _approval_steps(self):
        return [
            ApprovalStep("quality", _("Quality approval of the action"), "to_approve",
                         "approved", QUALITY_GROUP, user_field="approved_by_id",
                         date_field="date_approved", reject_state="refused",
                         field="approval_state",
                         denied=_("Only quality approves corrective/preventive actions."),
                         refused=_("These actions are not waiting for quality's approval: %s")),
        ]

    def _approval_user(self, step):
        """The complaint's investigator approves its actions, else a quality user."""
        return self._company_user(self.complaint_id.investigator_id, group=step.group)

    @api.multi
    def _sync_approval_activities(self, feedback=None):
        """One approval to-do per action waiting for quality, on its complaint (the action has
        no chatter of its own)."""
        activity_type = self.env.ref(self._approval_activity)
        for action in self:
            complaint = action.complaint_id
            step = self._get_approval_step("quality")
            summary = action._approval_summary(step)
            current = complaint.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type and a.summary == summary)
            if action.approval_state == step.from_state:
                user = not current and action._approval_user(step)
                if user:
                    complaint._schedule_activity(self._approval_activity, user, summary)
            elif current and feedback:
                current.action_feedback(feedback=feedback)
            elif current:
                current.unlink()
        return True

    @api.multi
    @document_action
    def action_approve(self):
        """Quality approves the actions as they are; a permanent measure needs its kind."""
        self._check_step("quality")
        no_kind = self.filtered(lambda a: a.term == "permanent" and not a.kind)
        if no_kind:
            raise UserError(_("%(field)s is required to approve a permanent measure: %(actions)s")
                            % {"field": self._field_label("kind"),
                               "actions": ", ".join(no_kind.mapped("display_name"))})
        self._approve_step("quality", values={"reject_reason": False})
        self._sync_activity()
        return True

    @api.multi
    @document_action
    def action_refuse(self, reason=None):
        """Quality refuses the actions, with the reason: they are revised and submitted again."""
        return self._reject_step(reason)

    @api.multi
    def action_refuse_wizard(self):
        return self._open_reason_wizard("refuse", _("Refuse Action"))

    @api.multi
    @document_action
    def action_submit(self):
        """Submit refused actions again for quality's approval."""
        refused = self.filtered(lambda a: a.approval_state == "refused")
        if refused != self:
            raise UserError(_("Only refused actions are submitted again: %s")
                            % ", ".join((self - refused).mapped("display_name")))
        self.write({"approval_state": "to_approve"})
        self._sync_approval_activities()
        return True

    @api.multi
    @document_action
    def action_done(self):
        """Mark the actions done today (those not done yet); they must be approved first."""
        pending = self._filter_open().filtered(lambda a: a.approval_state != "approved")
        if pending:
            raise UserError(_("Quality approves an action before it is carried out: %s")
                            % ", ".join(pending.mapped("display_name")))
        self._filter_open().write({"date_done": fields.Date.context_today(self)})
        return True

    @api.multi
    @document_action
    def action_check_effect(self, effect="effective"):
        """Record the effect of done actions (效果确认), checked by someone other than their
        owner; what was found goes in the effect note."""
        if effect not in ("effective", "not_effective"):
            raise UserError(_("Unknown effect: %s") % effect)
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department or quality checks the effect of "
                            "an action."))
        wrong = self.filtered(lambda a: not a.date_done or a.effect)
        if wrong:
            raise UserError(_("Only done actions whose effect is not checked yet can be "
                              "checked: %s") % ", ".join(wrong.mapped("display_name")))
        own = self.filtered(lambda a: a.user_id == self.env.user)
        if own:
            raise UserError(_("The effect of an action is checked by someone other than its "
                              "owner: %s") % ", ".join(own.mapped("display_name")))
        self.write({"effect": effect, "effect_checked_by_id": self.env.uid,
                    "date_effect_checked": fields.Datetime.now()})
        return True

    @api.multi
    def action_check_effective(self):
        return self.action_check_effect("effective")

    @api.multi
    def action_check_not_effective(self):
        return self.action_check_effect("not_effective")
