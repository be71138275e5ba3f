# -*- coding: utf-8 -*-
from odoo import api, fields, models


class Request(models.Model):
    """A service request resolved by a return or an exchange (退换货) links to its cases."""

    _inherit = "after_sales.request"

    return_count = fields.Integer("Returns", compute="_compute_return_count",
                                  groups="after_sales_service.group_user")

    def _compute_return_count(self):
        Return = self.env["after_sales.return"]
        counts = {}
        if self.ids and Return.check_access_rights("read", raise_exception=False):
            groups = Return.read_group([("request_id", "in", self.ids)], ["request_id"],
                                       ["request_id"])
            counts = {g["request_id"][0]: g["request_id_count"] for g in groups}
        for request in self:
            request.return_count = counts.get(request.id, 0)

    @api.multi
    def action_view_returns(self):
        self.ensure_one()
        action = self.env.ref("after_sales_service.return_action").read()[0]
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {
            "default_request_id": self.id, "default_partner_id": self.partner_id.id,
            "default_product_id": self.product_id.id, "default_lot_id": self.lot_id.id,
        }
        return action
