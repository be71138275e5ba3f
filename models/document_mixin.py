# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVAL_ACTIVITY = "after_sales_service.mail_activity_type_approval"


class ApprovalStep(object):
    """One step of a document's approval table (see DocumentMixin._approval_steps).

    :param key: the step's name, given to _approve_step
    :param label: what the approver does, the title of their to-do
    :param from_state: the value of `field` the document waits in for this step
    :param to_state: the value the step writes
    :param group: xml id of the group that gives the approval
    :param user_field: field recording who approved (optional)
    :param date_field: field recording when (optional)
    :param reject_state: where a rejection sends the document (None: no rejection)
    :param reason_required: a rejection needs a reason
    :param tile: the dashboard tile counting the documents waiting at this step
    :param denied: message when the user is not in `group`
    :param refused: message (with %s for the numbers) when documents are not at this step
    :param field: the state field the step moves (default "state")
    :param tile_domain: extra domain of the documents the dashboard tile counts
    :param activity: whether a to-do is scheduled for the approver
    """

    def __init__(self, key, label, from_state, to_state, group, user_field=None,
                 date_field=None, reject_state=None, reason_required=True, tile=None,
                 denied=None, refused=None, field="state", tile_domain=None, activity=True):
        self.key = key
        self.label = label
        self.from_state = from_state
        self.to_state = to_state
        self.group = group
        self.user_field = user_field
        self.date_field = date_field
        self.reject_state = reject_state
        self.reason_required = reason_required
        self.tile = tile
        self.denied = denied
        self.refused = refused
        self.field = field
        self.tile_domain = tile_domain or []
        self.activity = activity

    def waiting_domain(self):
        """The documents waiting for this step."""
        return [(self.field, "=", self.from_state)] + self.tile_domain


class DocumentMixin(models.AbstractModel):
    """What every after-sales document shares: its number from an ir.sequence, the guard of
    its actions (check the whole recordset, refuse with the documents' numbers), the one
    approval mechanism (a table of steps per model, _approve_step/_reject_step, one approval
    activity per waiting document), and the small helpers every document needs (reasons,
    smart buttons, activities, counts, warehouse, transfers)."""

    _name = "after_sales.document.mixin"
    _description = "After-Sales Document"
    _sequence_code = None  # the ir.sequence code numbering the documents
    _reason_actions = ()  # the actions taking a reason (the reason wizard calls them)
    _approval_activity = APPROVAL_ACTIVITY  # the activity type of the approval to-dos

    @api.model
    def create(self, vals):
        if self._sequence_code and vals.get("name", _("New")) == _("New"):
            vals = dict(vals, name=self.env["ir.sequence"].next_by_code(self._sequence_code)
                        or "/")
        return super(DocumentMixin, self).create(vals)

    # ------------------------------------------------------------------ guards

    def _check_can(self, flag, message):
        """Guard an action on the whole recordset before anything is written."""
        refused = self.filtered(lambda r: not r[flag])
        if refused:
            raise UserError(message % ", ".join(refused.mapped("display_name")))

    def _check_group(self, xmlid, message):
        """Approvals are enforced here, on the server, whatever the views show."""
        if not self.env.user.has_group(xmlid):
            raise AccessError(message)

    @api.model
    def _check_reason(self, reason, action):
        """The reason of a cancellation, rejection or refusal: required, returned stripped."""
        reason = (reason or "").strip()
        if not reason:
            messages = {
                "cancel": _("Give the reason for cancelling."),
                "reject": _("Give the reason for rejecting."),
                "refuse": _("Give the reason for refusing."),
            }
            raise UserError(messages.get(action) or _("Give the reason."))
        return reason

    @api.multi
    def _open_reason_wizard(self, action, title):
        """The dialog asking the reason, then calling action_<action>(reason=...)."""
        return self.env["after_sales.reason.wizard"].open_for(self, action, title)

    # ------------------------------------------------------------------ approvals

    @api.model
    def _approval_steps(self):
        """The approval table of the model: ApprovalStep rows, in their order."""
        return []

    @api.model
    def _get_approval_step(self, key):
        for step in self._approval_steps():
            if step.key == key:
                return step
        raise KeyError(key)

    def _waiting_steps(self):
        """The steps this document waits for (several when its approvals run in parallel)."""
        self.ensure_one()
        return [step for step in self._approval_steps() if self[step.field] == step.from_state]

    @api.multi
    def _check_step(self, key):
        """The user may give approval step `key` and every document of the set waits for it
        (checked before an approval prepares anything)."""
        step = self._get_approval_step(key)
        self._check_group(step.group, step.denied or _("You can't give this approval."))
        waiting = self.filtered(lambda r: r[step.field] == step.from_state)
        if waiting != self:
            message = step.refused or _("These documents are not waiting for this approval: %s")
            raise UserError(message % ", ".join((self - waiting).mapped("display_name")))
        return step

    @api.multi
    def _approve_step(self, key, values=None, note=None):
        """Give approval step `key` to every document of the set: the approving group is
        checked, every document must wait at this step, then one write records the new state,
        who and when; the approval to-dos are closed and the next step's are scheduled."""
        step = self._check_step(key)
        vals = dict(values or {})
        vals[step.field] = step.to_state
        if step.user_field:
            vals[step.user_field] = self.env.uid
        if step.date_field:
            vals[step.date_field] = fields.Datetime.now()
        self._write_approval(step, vals, note)
        self._sync_approval_activities(_("Approved"))
        return True

    def _write_approval(self, step, vals, note=None):
        """Record an approval (a document whose approvals are lines overrides this)."""
        self.write(vals)

    @api.multi
    def _reject_step(self, reason=None, values=None):
        """Reject every document of the set at the step it waits for: the approving group of
        that step is checked, the reason is required when the step says so, then the documents
        go to the step's rejection state (one write per target state)."""
        by_state = {}
        for record in self:
            step = next((s for s in record._waiting_steps() if s.reject_state), None)
            if not step:
                raise UserError(_("%s is not waiting for an approval that can be refused.")
                                % record.display_name)
            record._check_group(step.group, step.denied or _("You can't reject at this step."))
            if step.reason_required:
                reason = self._check_reason(reason, "reject")
            by_state.setdefault((step.field, step.reject_state), self.browse())
            by_state[(step.field, step.reject_state)] |= record
        for (field, state), records in by_state.items():
            vals = dict(values or {})
            vals[field] = state
            if reason and "reject_reason" in self._fields:
                vals["reject_reason"] = reason
            records.write(vals)
        self._sync_approval_activities(_("Rejected: %s") % reason if reason else _("Sent back"))
        return True

    def _approval_user(self, step):
        """Who gets the approval to-do of this document: a user of the approving group in
        the document's company (its own company first)."""
        return self._company_user(group=step.group)

    def _document_company(self):
        self.ensure_one()
        return self.company_id if "company_id" in self._fields else self.env.user.company_id

    @api.multi
    def _company_user(self, users=None, group=None):
        """The user the to-dos of this document go to, always one working for the document's
        company: the first of `users` (in their order) who does, else the first active user
        of `group` who does (those whose current company it is first); empty when none."""
        company = self._document_company().sudo()  # users of other companies are read too
        candidates = (users or self.env["res.users"]).sudo().filtered(
            lambda u: u.active and company in u.company_ids)
        if candidates or not group:
            return candidates[:1].with_env(self.env)
        members = self.env.ref(group).sudo().users.filtered(
            lambda u: u.active and company in u.company_ids)
        return (members.filtered(lambda u: u.company_id == company) or members)[:1] \
            .with_env(self.env)

    def _approval_summary(self, step):
        return _("%(step)s: %(document)s") % {"step": step.label, "document": self.display_name}

    @api.multi
    def _sync_approval_activities(self, feedback=None):
        """Exactly one approval to-do per step each document waits for, for its approver: the
        to-dos of steps given (or refused) are marked done with `feedback`, the missing ones
        are scheduled. Called by every action that moves a document into or out of a step."""
        if not self._approval_activity or "activity_ids" not in self._fields:
            return True
        activity_type = self.env.ref(self._approval_activity)
        for record in self:
            current = record.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type)
            wanted = {record._approval_summary(step): step
                      for step in record._waiting_steps() if step.activity}
            stale = current.filtered(lambda a: a.summary not in wanted)
            kept = set((current - stale).mapped("summary"))
            if stale:
                stale.action_feedback(feedback=feedback or _("Done"))
            for summary, step in wanted.items():
                user = summary not in kept and record._approval_user(step)
                if user:
                    record._schedule_activity(self._approval_activity, user, summary)
        return True

    # ------------------------------------------------------------------ helpers

    @api.multi
    def _schedule_activity(self, activity_xmlid, user, summary, date_deadline=None):
        """A to-do of type `activity_xmlid` for `user` on each document of the set. A document
        of a company `user` does not work for gets no to-do but a note in its chatter: its
        to-dos never go to another company's users."""
        activity_type = self.env.ref(activity_xmlid)
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = date_deadline or fields.Date.context_today(self)
        Activity = self.env["mail.activity"].sudo()
        activities = Activity.browse()
        for record in self:
            if not record._company_user(user):
                record._note_no_activity(summary, user)
                continue
            activities |= Activity.create({
                "res_model_id": model_id, "res_id": record.id,
                "activity_type_id": activity_type.id, "user_id": user.id,
                "date_deadline": deadline, "summary": summary,
            })
        return activities

    def _note_no_activity(self, summary, user=None):
        """The chatter note of a to-do nobody of the document's company can be given."""
        self.ensure_one()
        company = self._document_company()
        if user:
            body = _("No to-do \"%(summary)s\" was scheduled: %(user)s does not work for "
                     "%(company)s.") % {"summary": summary, "user": user.sudo().name,
                                        "company": company.name}
        else:
            body = _("No to-do \"%(summary)s\" was scheduled: nobody of %(company)s can "
                     "take it.") % {"summary": summary, "company": company.name}
        if "message_ids" in self._fields:
            self.sudo().message_post(body=body, subtype="mail.mt_note")
        return body

    @api.model
    def _window_action(self, xmlid, domain=None, context=None, record=None, form_view=None,
                       new=False):
        """A smart button's action: window action `xmlid` on `domain` (None: the action's
        own), opened on the form of `record` when it is a single record, or on a new one
        when `new` (`form_view`: xml id of that form, else the default form)."""
        action = self.env.ref(xmlid).read()[0]
        if domain is not None:
            action["domain"] = domain
        action["context"] = context or {}
        if new or (record is not None and len(record) == 1):
            view = self.env.ref(form_view).id if form_view else False
            action.update(views=[(view, "form")], view_mode="form")
            if record:
                action["res_id"] = record.id
        return action

    @api.multi
    def _count_by(self, model, field, domain=None, sudo=False):
        """{id of `field`: number of `model` records} in one read_group, for the ids of
        this recordset (the documents counting their linked records)."""
        if not self.ids:
            return {}
        Model = self.env[model].sudo() if sudo else self.env[model]
        groups = Model.read_group([(field, "in", self.ids)] + (domain or []), [field], [field])
        return {g[field][0]: g[field + "_count"] for g in groups}

    @api.model
    def _default_warehouse(self, company=None):
        """The warehouse the after-sales goods of `company` (the user's by default) move in."""
        company = company or self.env.user.company_id
        return self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)

    @api.model
    def _create_reserved_picking(self, vals):
        """A transfer created, confirmed and reserved as far as the stock allows (the
        requested serial first); as superuser, since the warehouse validates it."""
        picking = self.env["stock.picking"].sudo().create(vals)
        picking.action_confirm()
        picking.move_lines._after_sales_reserve()
        return picking
