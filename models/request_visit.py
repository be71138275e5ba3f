# -*- coding: utf-8 -*-
from odoo import api, fields, models


class Request(models.Model):
    _inherit = "after_sales.request"

    visit_ids = fields.One2many("after_sales.visit", "request_id", "Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        groups = self.env["after_sales.visit"].read_group(
            [("request_id", "in", self.ids)], ["request_id"], ["request_id"])
        counts = {g["request_id"][0]: g["request_id_count"] for g in groups}
        for request in self:
            request.visit_count = counts.get(request.id, 0)

    @api.multi
    def action_plan_visit(self):
        self.ensure_one()
        action = self.env.ref("after_sales_service.visit_action").read()[0]
        action.update(views=[(False, "form")], view_mode="form", context={
            "default_request_id": self.id, "default_partner_id": self.partner_id.id,
            "default_site_address": self.site_address, "default_in_warranty": self.in_warranty,
            "default_product_ids": [(6, 0, self.product_id.ids)],
            "default_purpose": self.category if self.category in (
                "installation", "training", "repair", "inspection") else "repair",
        })
        return action

    @api.multi
    def action_view_visits(self):
        action = self.env.ref("after_sales_service.visit_action").read()[0]
        action["domain"] = [("request_id", "in", self.ids)]
        action["context"] = {"default_request_id": self.id}
        return action
