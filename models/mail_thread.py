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
