# -*- coding: utf-8 -*-
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)
REQUEST_MODEL = "after_sales.request"


class MailThread(models.AbstractModel):
    """The mail gateway: a machine's mail (an auto-reply, a list, one of our own addresses)
    neither opens a service request nor lands in one, so that an auto-reply answering our
    acknowledgement can't loop (Odoo itself drops delivery reports)."""

    _inherit = "mail.thread"

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None,
                      custom_values=None):
        routes = super(MailThread, self).message_route(
            message, message_dict, model=model, thread_id=thread_id,
            custom_values=custom_values)
        if any(route[0] == REQUEST_MODEL for route in routes) \
                and self.env[REQUEST_MODEL]._mail_is_loop(message, message_dict):
            _logger.info("Mail %s from %s is automatic: no service request opened or "
                         "updated", message_dict.get("message_id"),
                         message_dict.get("email_from"))
            return [route for route in routes if route[0] != REQUEST_MODEL]
        return routes

    # ------------------------------------------------------------------ notes in batches

    @api.multi
    def _after_sales_log_notes(self, bodies, names=None):
        """One internal note per document of `bodies` ({id: body}, documents of this model),
        as message_post(subtype="mail.mt_note") posts it (author the user's partner, the
        thread's first message as parent, its reply-to), for a pass over many documents: the
        reply-to addresses and parents are read for the whole batch and only the notes of
        documents with followers of internal notes go through mail's notification (none
        else would be notified). `names`: {id: display name} when the caller knows them.
        Returns the messages."""
        Message = self.env["mail.message"]
        if not bodies:
            return Message
        ids = sorted(bodies)
        records = self.browse(ids)
        subtype = self.env.ref("mail.mt_note")
        author = Message._get_default_author()
        email_from = Message._get_default_from()
        reply_to = self.message_get_reply_to(ids, default=email_from)
        if names is None:
            names = {record.id: record.display_name for record in records.sudo()}
        self.env.cr.execute("""
            SELECT DISTINCT ON (res_id) res_id, id FROM mail_message
             WHERE model = %s AND res_id IN %s
          ORDER BY res_id, message_type = 'email' DESC, id
        """, (self._name, tuple(ids)))
        parents = dict(self.env.cr.fetchall())
        self.env.cr.execute("""
            SELECT DISTINCT f.res_id FROM mail_followers f
              JOIN mail_followers_mail_message_subtype_rel rel ON rel.mail_followers_id = f.id
             WHERE f.res_model = %s AND f.res_id IN %s AND rel.mail_message_subtype_id = %s
        """, (self._name, tuple(ids), subtype.id))
        followed = {row[0] for row in self.env.cr.fetchall()}
        message_ids = []
        for res_id in ids:
            vals = {
                "model": self._name, "res_id": res_id, "body": bodies[res_id],
                "message_type": "notification", "subtype_id": subtype.id,
                "author_id": author.id, "email_from": email_from,
                "reply_to": reply_to.get(res_id), "record_name": names.get(res_id),
                "parent_id": parents.get(res_id, False),
            }
            vals["message_id"] = Message._get_message_id(vals)
            # the ORM's create: every value mail's create would add is given (a plain text
            # body: no images to extract), its notification only where there are followers
            message = models.BaseModel.create(Message, vals)
            if res_id in followed:
                message._notify()
            message_ids.append(message.id)
        records.invalidate_cache()
        return Message.browse(message_ids)
