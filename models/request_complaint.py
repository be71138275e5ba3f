# -*- coding: utf-8 -*-
from odoo import _, api, fields, models

# request channel -> complaint channel
CHANNEL_MAP = {"hotline": "hotline", "web": "web", "mail": "mail", "sales": "sales",
               "media": "media", "station": "other", "callback": "other"}


class Complaint(models.Model):
    _inherit = "after_sales.complaint"

    request_id = fields.Many2one("after_sales.request", "Service Request", index=True,
                                 readonly=True, states={"draft": [("readonly", False)]},
                                 help="The service request the complaint was raised from.")


class Request(models.Model):
    """A complaint can be raised from a request and links back to it."""

    _inherit = "after_sales.request"

    complaint_ids = fields.One2many("after_sales.complaint", "request_id", "Complaints",
                                    groups="after_sales_service.group_user")
    complaint_count = fields.Integer(compute="_compute_complaint_count", groups="after_sales_service.group_user")

    def _compute_complaint_count(self):
        groups = self.env["after_sales.complaint"].read_group(
            [("request_id", "in", self.ids)], ["request_id"], ["request_id"])
        counts = {g["request_id"][0]: g["request_id_count"] for g in groups}
        for request in self:
            request.complaint_count = counts.get(request.id, 0)

    def _prepare_complaint_vals(self):
        return {
            "request_id": self.id, "partner_id": self.partner_id.id,
            "complainant": self.contact_name or self.partner_id.name, "phone": self.phone,
            "channel": CHANNEL_MAP.get(self.channel, "other"),
            "product_id": self.product_id.id, "lot_id": self.lot_id.id,
            "date_received": self.date_received, "content": self.description or self.name,
            "severity": "urgent" if self.priority == "1" else "normal",
        }

    @api.multi
    def action_raise_complaint(self):
        self.ensure_one()
        complaint = self.env["after_sales.complaint"].create(self._prepare_complaint_vals())
        self.message_post(body=_("Complaint %s raised from this request.") % complaint.name)
        return {"type": "ir.actions.act_window", "res_model": "after_sales.complaint",
                "res_id": complaint.id, "view_mode": "form", "name": _("Complaint")}

    @api.multi
    def action_view_complaints(self):
        action = self.env.ref("after_sales_service.complaint_action").read()[0]
        action["domain"] = [("request_id", "in", self.ids)]
        action["context"] = {}
        return action


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(compute="_compute_after_sales_counts", groups="after_sales_service.group_user")

    def _after_sales_counted(self):
        return super(ResPartner, self)._after_sales_counted() + [
            ("complaint_count", "after_sales.complaint")]
