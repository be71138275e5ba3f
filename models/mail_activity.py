# -*- coding: utf-8 -*-
from collections import defaultdict

from odoo import api, fields, models

from .job_mixin import create_records

BATCH_KEY = "after_sales_activity_batch"


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
        split = self._split_triggers()
        triggers, mixin_fields = {}, set()
        for fname in fnames:
            field = self._fields[fname]
            triggers[field], mixins = split.get(field) or ((), ())
            mixin_fields.update(mixins)
        # an attribute of this recordset only: the registry's triggers stay as they are
        self._field_triggers = triggers
        try:
            result = super(MailActivity, self).modified(fnames)
        finally:
            del self._field_triggers
        # a batch marks its documents once, after creating all its to-dos
        if mixin_fields and not self.env.context.get(BATCH_KEY):
            self._modified_documents(mixin_fields)
        return result

    def _split_triggers(self):
        """{field: (its other triggers, the mixin fields it triggers)}, split once per setup of
        the model's fields (the registry sets its triggers up again on each load)."""
        cls = type(self)
        cached = cls.__dict__.get("_after_sales_split_triggers")
        if cached and cached[0] is cls._field_triggers:
            return cached[1]
        split = {}
        for field in self._fields.values():
            others, mixins = [], []
            for target, path in cls._field_triggers[field]:
                if path == "activity_ids" and self._is_activity_mixin(target.model_name):
                    mixins.append(target)
                else:
                    others.append((target, path))
            split[field] = (others, mixins)
        cls._after_sales_split_triggers = (cls._field_triggers, split)
        return split

    def _is_activity_mixin(self, model_name):
        field = self.env[model_name]._fields.get("activity_ids")
        return bool(field) and field.comodel_name == self._name

    def _modified_documents(self, mixin_fields, documents=None):
        """Invalidate and mark for recomputation `mixin_fields` on the activities' documents
        (`documents`: {model: ids} when the caller knows them)."""
        if documents is None:
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

    # ------------------------------------------------------------------ to-dos in batches

    @api.model
    def _after_sales_create_batch(self, vals_list):
        """The to-dos `vals_list` (res_model_id, res_id, activity_type_id, user_id,
        date_deadline as a string, summary, optionally res_name) created at once, as superuser, with what mail's create does
        for each (its document's name, its user following the document, the user's client
        told of a to-do due) done for the whole batch: a scheduled pass gives thousands of
        to-dos, mail's own create costs some twenty queries each (its follower subscription
        resets the whole cache). The documents' next deadlines are recomputed once."""
        Activity = self.sudo()
        if not vals_list:
            return Activity
        models_by_id = {}
        unnamed = defaultdict(set)  # {model id: ids of the documents without res_name}
        for vals in vals_list:
            models_by_id[vals["res_model_id"]] = None
            if "res_name" not in vals:
                unnamed[vals["res_model_id"]].add(vals["res_id"])
        names = {}
        for model_id in models_by_id:
            model = models_by_id[model_id] = self.env["ir.model"].sudo().browse(model_id).model
            res_ids = sorted(unnamed.get(model_id, ()))
            for res_id, name in self.env[model].sudo().browse(res_ids).name_get():
                names[(model_id, res_id)] = name
        given = [self._fields["res_model"], self._fields["res_name"]]

        def create(quiet, vals):
            # the ORM's create, not mail's (done below for the batch); the document's model
            # and name are given, not computed again
            vals = dict(vals, res_model=models_by_id[vals["res_model_id"]])
            vals.setdefault("res_name", names.get((vals["res_model_id"], vals["res_id"])))
            activity = models.BaseModel.create(quiet.with_context(**{BATCH_KEY: True}), vals)
            for field in given:
                activity._recompute_done(field)
            return activity
        activities = create_records(Activity, vals_list, create)
        documents = defaultdict(set)
        for vals in vals_list:
            documents[models_by_id[vals["res_model_id"]]].add(vals["res_id"])
        activities._modified_documents(self._mixin_fields(), documents)
        activities.recompute()
        users = self.env["res.users"].sudo().browse(sorted(set(
            vals["user_id"] for vals in vals_list)))
        partners_of = {user.id: user.partner_id.id for user in users}
        followers = defaultdict(set)
        for vals in vals_list:
            followers[(models_by_id[vals["res_model_id"]], partners_of[vals["user_id"]])].add(
                vals["res_id"])
        activities._after_sales_subscribe_users(followers)
        today = fields.Date.today()
        due = [vals["user_id"] for vals in vals_list if (
            vals["date_deadline"] if isinstance(vals["date_deadline"], str)
            else fields.Date.to_string(vals["date_deadline"])) <= today]
        partners = self.env["res.users"].sudo().browse(sorted(set(due))).mapped("partner_id")
        if partners:
            self.env["bus.bus"].sendmany([
                ((self._cr.dbname, "res.partner", partner.id),
                 {"type": "activity_updated", "activity_created": True})
                for partner in partners])
        return activities

    @api.multi
    def _after_sales_subscribe_users(self, pairs=None):
        """Each to-do's user follows its document (as mail's create subscribes them), in two
        queries per model and user: the followers missing are inserted with the default
        subtypes of the document's model (those of an employee, else a customer's).
        `pairs`: {(model, partner id): document ids} when the caller knows them."""
        if pairs is None:
            pairs = defaultdict(set)
            for activity in self:
                pairs[(activity.res_model, activity.user_id.partner_id.id)].add(
                    activity.res_id)
        Subtype = self.env["mail.message.subtype"].sudo()
        for (model, partner_id), res_ids in pairs.items():
            self.env.cr.execute("""
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT %(model)s, res_id, %(partner)s FROM unnest(%(ids)s) AS res_id
                ON CONFLICT DO NOTHING
             RETURNING id
            """, {"model": model, "partner": partner_id, "ids": sorted(res_ids)})
            follower_ids = [row[0] for row in self.env.cr.fetchall()]
            if not follower_ids:
                continue
            default, _internal, external = Subtype.default_subtypes(model)
            employee = self.env["res.users"].sudo().search_count(
                [("partner_id", "=", partner_id), ("share", "=", False)])
            subtypes = (default if employee else external).ids
            if subtypes:
                self.env.cr.execute("""
                    INSERT INTO mail_followers_mail_message_subtype_rel
                           (mail_followers_id, mail_message_subtype_id)
                    SELECT f, s FROM unnest(%s) AS f, unnest(%s) AS s
                """, (follower_ids, subtypes))
            self.env[model].browse(sorted(res_ids)).invalidate_cache(
                ["message_follower_ids", "message_partner_ids", "message_channel_ids"])
        self.env["mail.followers"].invalidate_cache()
        return True
