# -*- coding: utf-8 -*-
from odoo import api, fields, models

GROUP_USER = "after_sales_service.group_user"


class ResPartner(models.Model):
    """The customer file (顾客档案): the after-sales history of a customer."""

    _inherit = "res.partner"

    after_sales_key_customer = fields.Boolean(
        "Key Customer", help="Key customers are visited at least once a year.")
    after_sales_is_station = fields.Boolean(
        "Service Station", help="A partner company that does service for us (服务站 / 特约维修点).")
    # the customer file is the department's: other users read partners without it
    after_sales_request_ids = fields.One2many(
        "after_sales.request", "partner_id", "Service Requests", groups=GROUP_USER)
    after_sales_warranty_card_ids = fields.One2many(
        "after_sales.warranty.card", "partner_id", "Installed Products", groups=GROUP_USER)
    after_sales_contract_ids = fields.One2many(
        "after_sales.contract", "partner_id", "Contracts", groups=GROUP_USER)
    after_sales_request_count = fields.Integer(
        "Service Requests", compute="_compute_after_sales_counts", groups=GROUP_USER)
    after_sales_warranty_card_count = fields.Integer(
        "Installed Products", compute="_compute_after_sales_counts", groups=GROUP_USER)
    after_sales_complaint_count = fields.Integer(
        "Complaints", compute="_compute_after_sales_counts", groups=GROUP_USER)
    after_sales_callback_count = fields.Integer(
        "Callbacks", compute="_compute_after_sales_counts", groups=GROUP_USER)
    after_sales_contract_count = fields.Integer(
        "Contracts", compute="_compute_after_sales_counts", groups=GROUP_USER)

    def _after_sales_contact_vals(self):
        """What a document of the customer takes from the partner: phone and site address."""
        # the address on one line, its parts one space apart (an empty line leaves none)
        address = " ".join(self._display_address(without_company=True).split())
        return {"phone": self.phone or self.mobile, "site_address": address}

    def _after_sales_counted(self):
        """(field, model) pairs counted on the customer file."""
        return [("after_sales_request_count", "after_sales.request"),
                ("after_sales_warranty_card_count", "after_sales.warranty.card"),
                ("after_sales_complaint_count", "after_sales.complaint"),
                ("after_sales_callback_count", "after_sales.callback"),
                ("after_sales_contract_count", "after_sales.contract")]

    @api.multi
    def _compute_after_sales_counts(self):
        # one read_group per counted model for the whole recordset, by commercial partner
        commercial = self.mapped("commercial_partner_id")
        for field, model in self._after_sales_counted():
            groups = self.env[model].read_group(
                [("partner_id", "child_of", commercial.ids)], ["partner_id"], ["partner_id"])
            counts = {}
            partners = self.browse([g["partner_id"][0] for g in groups])
            by_id = {g["partner_id"][0]: g["partner_id_count"] for g in groups}
            for partner in partners:
                key = partner.commercial_partner_id.id
                counts[key] = counts.get(key, 0) + by_id[partner.id]
            for partner in self:
                partner[field] = counts.get(partner.commercial_partner_id.id, 0)

    @api.multi
    def action_open_after_sales(self):
        """Smart buttons: the customer's records of the model given in the context."""
        self.ensure_one()
        xmlid = self.env.context.get("after_sales_action") or ""
        if not xmlid.startswith("after_sales_service."):
            return False
        return self.env["after_sales.document.mixin"]._window_action(
            xmlid, [("partner_id", "child_of", self.commercial_partner_id.id)],
            {"default_partner_id": self.id})

    # ------------------------------------------------------------------ chatter

    @api.multi
    def _notify_by_chat(self, message):
        """Odoo 11 formats the message for the bus (about ten queries) even when nobody is to
        be notified by chat, as for every note on a document only its author follows: with
        nobody, there is nothing to send."""
        if not self:
            return True
        return super(ResPartner, self)._notify_by_chat(message)
