# -*- coding: utf-8 -*-
from collections import defaultdict

from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def create(self, values):
        activity = super(MailActivity, self).create(values)
        # once its res_model is stored, the document's next deadline can see the new activity
        activity._modified_documents(self._mixin_fields())
        activity.recompute()
        return activity

    @api.model
    def _mixin_fields(self):
        return {target for target, path in self._field_triggers[self._fields["date_deadline"]]
                if path == "activity_ids" and self._is_activity_mixin(target.model_name)}

    @api.multi
    def modified(self, fnames):
        """Every model with activities stores its next deadline (`mail.activity.mixin`'s
        `activity_date_deadline`, a stored related of `activity_ids`). For each activity
        created, changed or removed, Odoo 11 looks for the documents to recompute with one
        search per such model (two queries each, some thirty models here), and while an
        activity is being created that search finds nothing (the one2many's domain is on the
        activity's `res_model`, not stored yet), so the new deadline is never stored (see
        create). The documents are the activities' own `res_model_id`/`res_id`: they are
        marked for recomputation directly, every other trigger runs as before."""
        triggers, mixin_fields = {}, set()
        for fname in fnames:
            field = self._fields[fname]
            triggers[field] = []
            for target, path in self._field_triggers[field]:
                if path == "activity_ids" and self._is_activity_mixin(target.model_name):
                    mixin_fields.add(target)
                else:
                    triggers[field].append((target, path))
        # an attribute of this recordset only: the registry's triggers stay as they are
        self._field_triggers = triggers
        try:
            result = super(MailActivity, self).modified(fnames)
        finally:
            del self._field_triggers
        if mixin_fields:
            self._modified_documents(mixin_fields)
        return result

    def _is_activity_mixin(self, model_name):
        field = self.env[model_name]._fields.get("activity_ids")
        return bool(field) and field.comodel_name == self._name

    def _modified_documents(self, mixin_fields):
        """Invalidate and mark for recomputation `mixin_fields` on the activities' documents."""
        documents = defaultdict(set)
        for activity in self.sudo():
            if activity.res_model_id and activity.res_id:
                documents[activity.res_model_id.model].add(activity.res_id)
        invalids = []
        for field in mixin_fields:
            if not (field.compute and field.store):
                invalids.append((field, None))
                continue
            ids = documents.get(field.model_name)
            if not ids:
                continue
            records = self.env[field.model_name].browse(sorted(ids))
            # the documents' activities, read again in their order (by deadline)
            invalids.append((records._fields["activity_ids"], records._ids))
            records -= self.env.protected(field)
            if records:
                invalids.append((field, records._ids))
                (records.sudo() if field.compute_sudo else records)._recompute_todo(field)
        self.env.cache.invalidate(invalids)
