# -*- coding: utf-8 -*-
from collections import defaultdict
from datetime import datetime, timedelta

from decorator import decorate

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

APPROVAL_ACTIVITY = "after_sales_service.mail_activity_type_approval"
ACTION_KEY = "after_sales_action"
DEFER_CHECKS_KEY = "after_sales_defer_checks"  # the model whose checks its caller makes
INSERTING_KEY = "after_sales_inserting"  # the model whose records are being inserted


class _ActionMark(object):
    """The context value marking what a document's own actions write. A client's context
    arrives as JSON or XML-RPC values, so no client can send this object: only the server's
    action methods (decorated with `document_action`) put it there."""

    __slots__ = ()

    def __repr__(self):
        return "<after-sales action>"


ACTION_MARK = _ActionMark()


def _call_as_action(method, self, *args, **kwargs):
    return method(self.with_context(**{ACTION_KEY: ACTION_MARK}), *args, **kwargs)


def document_action(method):
    """Decorate a document's action method: the fields the document's actions own (its
    `_owned_fields`) may change in what it writes, and in what the methods it calls write.
    The signature is kept (Odoo's RPC layer reads it to find the context argument)."""
    return decorate(method, _call_as_action)


def is_action_write(env):
    """Whether `env` writes on behalf of an action (or as the superuser, e.g. the cron)."""
    return env.uid == SUPERUSER_ID or env.context.get(ACTION_KEY) is ACTION_MARK

# the longest input the documents take, in characters (DocumentMixin._text_limits)
PHONE_LENGTH = 64  # phone numbers
REFERENCE_LENGTH = 64  # tracking numbers, serial and batch numbers
NAME_LENGTH = 128  # contact persons, complainants, signers
LINE_LENGTH = 256  # addresses, site and project names, e-mails, responsible parties
TEXT_LENGTH = 20000  # free texts: descriptions, faults, handling, findings, notes, reasons
# how far ahead of the server's clock a moment that has happened may be typed (time zones,
# clocks a little ahead)
FUTURE_TOLERANCE = timedelta(days=1)


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
    # The fields only the document's actions change (state, approvals, decisions, what was
    # recorded when): a direct write or create of another value is refused.
    _owned_fields = ()
    # {field: states}: fields a user may still write directly in these states only (e.g. the
    # inputs of an estimate, frozen once it is submitted for approval); the fields declared
    # readonly=True with states={...: [("readonly", False)]} are added from their definition.
    _frozen_fields = {}
    # input rules, checked on entry (every create and write) by _check_input_rules
    _text_limits = {}  # {field: most characters} of the texts typed in
    _non_negative_fields = ()  # numbers that can't be negative
    _past_datetimes = ()  # moments that have happened: not in the future (FUTURE_TOLERANCE)
    _datetime_order = ()  # (earlier, later) field pairs: `later` can't be before `earlier`

    @api.model
    def create(self, vals):
        self._check_direct_write(vals, creating=True)
        if self._sequence_code and vals.get("name", _("New")) == _("New"):
            vals = dict(vals, name=self.env["ir.sequence"].next_by_code(self._sequence_code)
                        or "/")
        return super(DocumentMixin, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_direct_write(vals)
        return super(DocumentMixin, self).write(vals)

    @api.model
    def _next_numbers(self, count):
        """`count` numbers for a batch of new documents, in order: the sequence `create`
        takes them from (next_by_code's) is looked up once, each number is its own."""
        company = self.env.context.get("force_company") or self.env.user.company_id.id
        sequence = self.env["ir.sequence"].search([("code", "=", self._sequence_code),
                                                   ("company_id", "in", [company, False])],
                                                  order="company_id", limit=1)
        if not sequence:
            return ["/"] * count
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _i in range(count)]
        # a standard sequence is a PostgreSQL sequence: its next `count` values at once
        self.env.cr.execute("SELECT nextval('ir_sequence_%03d') FROM generate_series(1, %%s) g "
                            "ORDER BY g" % sequence.id, (count,))
        return [sequence.get_next_char(row[0]) for row in self.env.cr.fetchall()]

    @api.multi
    def modified(self, fnames):
        """A document Odoo's _create has just inserted (in a batch, job_mixin.create_records,
        or a request's own create): the stored fields of other records computed from it
        through a chain of many2one fields (a line's `visit_id.…`) have nothing to recompute,
        since no record refers to a new one yet, so the search for those records (one per
        such chain) is skipped; every other trigger runs as usual. Only the call right after
        the INSERT (on every field) counts, in a context naming the model (INSERTING_KEY)."""
        if fnames is not self._fields or self.env.context.get(INSERTING_KEY) != self._name:
            return super(DocumentMixin, self).modified(fnames)
        self._field_triggers = self._new_record_triggers()
        try:
            return super(DocumentMixin, self).modified(fnames)
        finally:
            del self._field_triggers

    def _new_record_triggers(self):
        """The model's field triggers without those _new_record_trigger skips (computed once
        per setup of the model's fields: the registry sets its triggers up again on each
        load)."""
        cls = type(self)
        cached = cls.__dict__.get("_after_sales_new_triggers")
        if cached and cached[0] is cls._field_triggers:
            return cached[1]
        triggers = defaultdict(list)
        for field, pairs in cls._field_triggers.items():
            triggers[field] = [(target, path) for target, path in pairs
                               if not self._new_record_trigger(target, path)]
        cls._after_sales_new_triggers = (cls._field_triggers, triggers)
        return triggers

    def _new_record_trigger(self, target, path):
        """Whether the trigger (target field, path) has nothing to do on a record being
        inserted: the records reaching it through many2one fields only (none yet)."""
        if not path or path == "id":
            return False
        model = self.env[target.model_name]
        for name in path.split("."):
            field = model._fields.get(name)
            if not field or field.type != "many2one":
                return False
            model = self.env[field.comodel_name]
        return model._name == self._name

    # ------------------------------------------------------------------ write guard

    def _as_action(self):
        """This recordset writing on behalf of an action (see `document_action`)."""
        return self.with_context(**{ACTION_KEY: ACTION_MARK})

    @api.multi
    def _check_direct_write(self, vals, creating=False):
        """Refuse a direct write (a form, an RPC client) that changes a field an action owns,
        or a frozen field outside the states it may change in; values equal to the current
        ones (on create: the defaults) pass, since forms send every field."""
        if is_action_write(self.env):
            return True
        owned = [name for name in self._owned_fields if name in vals]
        frozen_fields = {} if creating else self._get_frozen_fields()
        frozen = [name for name in frozen_fields if name in vals and name not in owned]
        if not owned and not frozen:
            return True
        if creating:
            defaults = self.default_get(owned)
            refused = [name for name in owned
                       if self._differs(self.browse(), name, vals[name], defaults.get(name))]
        else:
            refused = set()
            for record in self:
                state = record["state"] if "state" in record._fields else None
                refused.update(name for name in owned + frozen
                               if (name in owned or state not in frozen_fields[name])
                               and record._differs(record, name, vals[name]))
            refused = sorted(refused)
        if refused:
            labels = [self._field_label(name) for name in refused]
            model = self.env["ir.model"].sudo().with_context(
                lang=self.env.lang or self.env.user.lang)._get(self._name)
            raise AccessError(_("%(fields)s of %(model)s can't be written directly: they "
                                "change only through the document's buttons (its actions).")
                              % {"fields": ", ".join(labels), "model": model.name})
        return True

    @api.model
    def _get_frozen_fields(self):
        """{field: states where users may write it}: the table of the model, and the stored
        fields its definitions make readonly outside some states (what the views show)."""
        frozen = dict(self._frozen_fields)
        for name, field in self._fields.items():
            if name in frozen or not field.store or field.compute or field.related \
                    or not field.readonly or not field.states:
                continue
            frozen[name] = tuple(state for state, modifiers in field.states.items()
                                 if ("readonly", False) in modifiers)
        return frozen

    def _differs(self, record, name, value, default=None):
        """Whether writing `value` to field `name` of `record` (nothing: a new record with
        `default`) changes it."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            # a form sends (6, 0, ids) of the lines it shows: unchanged when they are the same
            current = set(record[name].ids) if record else set()
            return bool(value) and not all(
                len(command) > 2 and command[0] == 6 and set(command[2] or ()) == current
                for command in value)
        current = record[name] if record else default
        if field.type == "many2one":
            current = current.id if hasattr(current, "id") else current
            value = value[0] if isinstance(value, (list, tuple)) else value
        if field.type in ("float", "monetary"):
            return float(value or 0.0) != float(current or 0.0)
        return (value or False) != (current or False)

    # ------------------------------------------------------------------ input rules

    @api.multi
    def _validate_fields(self, field_names):
        """The ORM's constraint check after every create and write (and inverse), given the
        fields written: the input rules of those fields are checked with the constraints.
        A pass creating many documents checks them once for the whole set (see
        job_mixin.create_records)."""
        if self.env.context.get(DEFER_CHECKS_KEY) == self._name:
            return None
        result = super(DocumentMixin, self)._validate_fields(field_names)
        self._check_input_rules(set(field_names))
        return result

    def _field_label(self, name):
        """The label of field `name` in the user's language (the context's, else the user's,
        as _() does)."""
        env = self.env if self.env.lang else self.with_context(lang=self.env.user.lang).env
        return self._fields[name].get_description(env)["string"]

    @api.multi
    def _check_input_rules(self, names):
        """Refuse what can't be true or can't be kept, among the fields `names` just written:
        texts longer than their limit (_text_limits), negative numbers
        (_non_negative_fields), moments in the future (_past_datetimes) and an end before its
        start (_datetime_order). Empty values pass. The message names the field by its label
        in the user's language."""
        limits = [(name, limit) for name, limit in sorted(self._text_limits.items())
                  if name in names]
        positives = [name for name in self._non_negative_fields if name in names]
        past = [name for name in self._past_datetimes if name in names]
        ordered = [(earlier, later) for earlier, later in self._datetime_order
                   if earlier in names or later in names]
        if not (limits or positives or past or ordered):
            return True
        latest = fields.Datetime.to_string(datetime.now() + FUTURE_TOLERANCE)
        for record in self:
            for name, limit in limits:
                length = len(record[name] or "")
                if length > limit:
                    raise ValidationError(_(
                        "%(field)s is too long: %(length)s characters, at most %(limit)s.") % {
                            "field": self._field_label(name), "length": length,
                            "limit": limit})
            for name in positives:
                if record[name] < 0:
                    raise ValidationError(_("%(field)s can't be negative (%(value)s).") % {
                        "field": self._field_label(name), "value": record[name]})
            for name in past:
                if record[name] and record[name] > latest:
                    raise ValidationError(_("%s can't be in the future.")
                                          % self._field_label(name))
            for earlier, later in ordered:
                if record[earlier] and record[later] and record[later] < record[earlier]:
                    raise ValidationError(_("%(later)s can't be before %(earlier)s.") % {
                        "later": self._field_label(later),
                        "earlier": self._field_label(earlier)})
        return True

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
        self._sync_approval_activities()
        return True

    def _write_approval(self, step, vals, note=None):
        """Record an approval (a document whose approvals are lines overrides this)."""
        self.write(vals)

    # ------------------------------------------------------------------ one message per step

    def _step_tracking_start(self, fnames):
        """Before a step that writes several things and makes other documents: the tracked
        fields among `fnames` and their values now, for _post_step_message."""
        tracked = self._get_tracked_fields(list(fnames))
        return tracked, {record.id: {name: record[name] for name in tracked}
                         for record in self}

    def _post_step_message(self, tracking, bodies):
        """One chatter message per document for a step, not one per field written and one per
        document the step made: the changes of the tracked fields since
        _step_tracking_start (the step wrote them with `mail_notrack`) with `bodies`
        ({document id: what the step made, e.g. "transfer X, invoice Y"}). Subtypes and
        tracking templates are the ones a tracked write would use."""
        tracked, initial = tracking
        changes = self._message_track_get_changes(tracked, initial) if tracked else {}
        for record in self:
            changed, values = changes.get(record.id, (set(), []))
            body = bodies.get(record.id) or ""
            if not (changed or body):
                continue
            subtype = changed and record._track_subtype(
                {name: initial[record.id][name] for name in changed})
            record.message_post(body=body, subtype=subtype or "mail.mt_note",
                                tracking_value_ids=values)
        if changes:
            self._message_track_post_template(changes)

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
        """Who gets the approval to-do of this document (see _approval_users)."""
        self.ensure_one()
        return self._approval_users(step).get(self.id) or self.env["res.users"]

    @api.multi
    def _approval_users(self, step):
        """{document id: user} the approval to-dos of step `step` go to: an active user of the
        approving group working for the document's company (its own company first), who is
        neither the requester (who created the document, or the user asking now) nor the
        technical administrator; either of them only when nobody else can approve. The
        group's members are read once for the whole set."""
        members = self._ref(step.group).sudo().users.filtered("active")
        # users of other companies are read too
        admin = self.env["res.users"].browse(SUPERUSER_ID)
        out = {}
        for record in self:
            company = record._document_company().sudo()
            eligible = members.filtered(lambda u: company in u.company_ids)
            own = eligible.filtered(lambda u: u.company_id == company)
            requester = record.sudo().create_uid | self.env.user
            ranked = [own - requester - admin, eligible - requester - admin,
                      own - requester, eligible - requester, own, eligible]
            user = next((users[:1] for users in ranked if users), members.browse())
            out[record.id] = user.with_env(self.env)
        return out

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
        members = self._ref(group).sudo().users.filtered(
            lambda u: u.active and company in u.company_ids)
        return (members.filtered(lambda u: u.company_id == company) or members)[:1] \
            .with_env(self.env)

    def _approval_summary(self, step):
        return _("%(step)s: %(document)s") % {"step": step.label, "document": self.display_name}

    @api.multi
    def _sync_approval_activities(self, feedback=None):
        """Exactly one approval to-do per step each document waits for, for its approver: the
        to-dos of steps given (or refused) are marked done with `feedback`, the missing ones
        are scheduled. Called by every action that moves a document into or out of a step.
        Without `feedback` the stale to-dos are removed silently: the step's own tracked change
        (state, who, when) already tells the chatter what happened."""
        if not self._approval_activity or "activity_ids" not in self._fields:
            return True
        activity_type = self._ref(self._approval_activity)
        missing = []  # (document, summary, step) of the to-dos to schedule
        # the model's approval table read once, unless the model decides per document
        steps = self._approval_steps() \
            if type(self)._waiting_steps is DocumentMixin._waiting_steps else None
        for record in self:
            current = record.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type)
            waiting = record._waiting_steps() if steps is None else \
                [step for step in steps if record[step.field] == step.from_state]
            wanted = {record._approval_summary(step): step for step in waiting if step.activity}
            stale = current.filtered(lambda a: a.summary not in wanted)
            kept = set((current - stale).mapped("summary"))
            if stale and feedback:
                stale.action_feedback(feedback=feedback)
            elif stale:
                stale.unlink()
            missing.extend((record, summary, step) for summary, step in wanted.items()
                           if summary not in kept)
        # the approvers of each step looked up for all its documents at once, their to-dos
        # created in one batch
        planned = []
        for key in set(step.key for _record, _summary, step in missing):
            todo = [(r, summary, step) for r, summary, step in missing if step.key == key]
            records = self.browse([r.id for r, _summary, _step in todo])
            users = records._approval_users(todo[0][2])
            planned.extend((record, users[record.id], summary, None)
                           for record, summary, _step in todo if users.get(record.id))
        self._schedule_activities(self._approval_activity, planned)
        return True

    # ------------------------------------------------------------------ helpers

    def _ref(self, xmlid):
        """The record of an XML id of the data (a group, an activity type, a product), as
        env.ref without its query checking that the record exists: ir.model.data caches the
        XML id's model and id, the record is only read when used."""
        model, res_id = self.env["ir.model.data"].xmlid_to_res_model_res_id(
            xmlid, raise_if_not_found=True)
        return self.env[model].browse(res_id)

    @api.multi
    def _schedule_activity(self, activity_xmlid, user, summary, date_deadline=None):
        """A to-do of type `activity_xmlid` for `user` on each document of the set. A document
        of a company `user` does not work for gets no to-do but a note in its chatter: its
        to-dos never go to another company's users."""
        return self._schedule_activities(activity_xmlid, [(record, user, summary, date_deadline)
                                                          for record in self])

    @api.model
    def _schedule_activities(self, activity_xmlid, todo):
        """The to-dos `todo`, [(document, user, summary, deadline or None: today)], of type
        `activity_xmlid`, created in one batch (mail.activity._after_sales_create_batch). A
        document of a company its user does not work for gets no to-do but a note in its
        chatter: its to-dos never go to another company's users."""
        activity_type = self._ref(activity_xmlid)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = []
        for record, user, summary, deadline in todo:
            if not record._company_user(user):
                record._note_no_activity(summary, user)
                continue
            vals_list.append({
                "res_model_id": model_id, "res_id": record.id,
                "activity_type_id": activity_type.id, "user_id": user.id,
                "date_deadline": deadline or today, "summary": summary,
                "res_name": record.sudo().display_name,
            })
        return self.env["mail.activity"].sudo()._after_sales_create_batch(vals_list)

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
    def _local_date(self, value, company=None):
        """The date (string) of the UTC datetime `value` where the company is: in the time zone
        of the company (its partner's), else the user's; UTC when neither has one."""
        if not value:
            return False
        company = company or self.env.user.company_id
        stamp = fields.Datetime.from_string(value) if isinstance(value, str) else value
        tz = company.sudo().partner_id.tz or self.env.user.tz
        local = fields.Datetime.context_timestamp(self.with_context(tz=tz), stamp)
        return fields.Date.to_string(local.date())

    def _check_computed_unchanged(self, vals, names, message):
        """Computed decisions are not typed: vals changing one of the fields `names` on a
        document of the set are refused with `message`; unchanged values (a client sending
        the record back) are dropped. Returns the vals to write."""
        given = [name for name in names if name in vals]
        if not given:
            return vals
        if any(record._differs(record, name, vals[name]) for record in self for name in given):
            raise UserError(message)
        return {key: value for key, value in vals.items() if key not in given}

    @api.model
    def _default_warehouse(self, company=None):
        """The warehouse the after-sales goods of `company` (the user's by default) move in."""
        company = company or self.env.user.company_id
        return self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)

    @api.model
    def _create_reserved_picking(self, vals):
        """A transfer created, confirmed and reserved as far as the stock allows (the
        requested serial first); as superuser, since the warehouse validates it. Its chatter
        gets one message naming the document it comes from (its origin) instead of Odoo's
        "created" note and the tracking of draft, waiting and ready, all in this transaction."""
        quiet = self.env["stock.picking"].sudo().with_context(mail_create_nolog=True,
                                                               mail_notrack=True)
        picking = quiet.create(vals)
        picking.action_confirm()
        picking.move_lines._after_sales_reserve()
        picking = picking.with_env(self.env).sudo()
        if picking.origin:
            picking.message_post(body=_("Created from %s.") % picking.origin,
                                 subtype="mail.mt_note")
        return picking


    # ------------------------------------------------------------------ customer notifications

    @api.multi
    def _notify_customer(self, template_xmlid, setting=None):
        """Mail the customer of each document with mail template `template_xmlid`, in the
        customer's language, as a message of the document's chatter (the customer's portal
        thread), when the company's switch `setting` (a boolean of res.company) is on.
        Documents whose customer has no e-mail address are skipped; without a sender address
        (the company's, else the user's) a note says the customer was not told. Nothing is
        sent while the module's data is loaded. Returns the documents notified."""
        notified = self.browse()
        if self.env.context.get("install_mode") or not self:
            return notified
        template = None
        for record in self.sudo():
            if not record._customer_reachable():
                continue
            company = record._document_company()
            if setting and not company[setting]:
                continue
            template = template or self.env.ref(template_xmlid)
            if not (company.email or self.env.user.email):
                record.message_post(body=_(
                    "The customer was not sent \"%s\": the company has no e-mail "
                    "address.") % template.name, subtype="mail.mt_note")
                continue
            record.message_post_with_template(template.id, author_id=company.partner_id.id,
                                              message_type="comment")
            notified |= record
        return notified.with_env(self.env)

    def _customer_reachable(self):
        """Whether the customer of this document has an e-mail address, or one of the
        document's followers of the customer's company has: one query on the document's row,
        instead of reading the document, its followers and their partners again (its chatter
        was just written, which drops them from the cache)."""
        self.ensure_one()
        self.env.cr.execute("""
            SELECT 1
              FROM {table} document
              JOIN res_partner customer ON customer.id = document.partner_id
             WHERE document.id = %(id)s
               AND (COALESCE(customer.email, '') != '' OR EXISTS (
                    SELECT 1 FROM mail_followers follower
                      JOIN res_partner partner ON partner.id = follower.partner_id
                     WHERE follower.res_model = %(model)s AND follower.res_id = document.id
                       AND COALESCE(partner.email, '') != ''
                       AND partner.commercial_partner_id = customer.commercial_partner_id))
        """.format(table=self._table), {"model": self._name, "id": self.id})
        return bool(self.env.cr.fetchone())


class DocumentLine(models.AbstractModel):
    """The lines of a document follow it: a user changes them directly (a form, an RPC
    client) only while the document is in one of `_editable_states` (some fields longer,
    `_field_states`); the document's actions change them whenever they need to."""

    _name = "after_sales.document.line"
    _description = "After-Sales Document Line"
    _header_field = None  # the many2one to the document
    _editable_states = ("draft",)
    _field_states = {}  # {field: more states where users may still change it}

    @api.model
    def create(self, vals):
        header = self.env[self._fields[self._header_field].comodel_name].browse(
            vals.get(self._header_field))
        self._check_header_states(header, list(vals))
        return super(DocumentLine, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_header_states(self.mapped(self._header_field), list(vals))
        return super(DocumentLine, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_header_states(self.mapped(self._header_field), [])
        return super(DocumentLine, self).unlink()

    def _check_header_states(self, headers, field_names):
        if is_action_write(self.env):
            return True
        for header in headers:
            states = set(self._editable_states)
            for name in field_names or [None]:
                allowed = states | set(self._field_states.get(name, ()))
                if header.state not in allowed:
                    raise AccessError(_("The lines of %(document)s can't be changed in its "
                                        "current status.") % {"document": header.display_name})
        return True
