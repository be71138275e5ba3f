# -*- coding: utf-8 -*-
from odoo import fields, models


class Visit(models.Model):
    """What a technician needs on the phone's visit card: the customer's phone to call."""

    _inherit = "after_sales.visit"

    partner_phone = fields.Char("Customer Phone", compute="_compute_partner_phone")

    def _compute_partner_phone(self):
        for visit in self:
            partner = visit.sudo().partner_id
            visit.partner_phone = partner.mobile or partner.phone \
                or partner.commercial_partner_id.phone
