# -*- coding: utf-8 -*-
from odoo import _, api, fields, models

from .request import OPEN_STATES


class Request(models.Model):
    """Parts sent for self-replacement (§2) from a service request, and what the customer was
    invoiced and paid for them."""

    _inherit = "after_sales.request"

    parts_order_ids = fields.One2many("after_sales.parts.order", "request_id", "Outbound Orders")
    parts_order_count = fields.Integer("Outbound Orders", compute="_compute_parts_order_count")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    amount_invoiced = fields.Monetary(
        "Amount Invoiced", compute="_compute_invoiced_paid",
        help="Total of the validated customer invoices of this request, credit notes deducted.")
    amount_paid = fields.Monetary("Amount Paid", compute="_compute_invoiced_paid")
    can_send_parts = fields.Boolean(compute="_compute_can_send_parts")

    def _compute_parts_order_count(self):
        groups = self.env["after_sales.parts.order"].read_group(
            [("request_id", "in", self.ids)], ["request_id"], ["request_id"])
        counts = {g["request_id"][0]: g["request_id_count"] for g in groups}
        for request in self:
            request.parts_order_count = counts.get(request.id, 0)

    def _compute_invoiced_paid(self):
        """From the linked invoices' total and residual (one query for all the requests)."""
        groups = self.env["account.invoice"].sudo().read_group(
            [("after_sales_request_id", "in", self.ids), ("state", "in", ("open", "paid"))],
            ["after_sales_request_id", "type", "amount_total", "residual"],
            ["after_sales_request_id", "type"], lazy=False)
        totals = {}
        for group in groups:
            sign = -1 if group["type"] in ("out_refund", "in_refund") else 1
            total = totals.setdefault(group["after_sales_request_id"][0], [0.0, 0.0])
            total[0] += sign * group["amount_total"]
            total[1] += sign * (group["amount_total"] - group["residual"])
        for request in self:
            request.amount_invoiced, request.amount_paid = totals.get(request.id, (0.0, 0.0))

    @api.depends("state")
    def _compute_can_send_parts(self):
        for request in self:
            request.can_send_parts = request.state in OPEN_STATES

    @api.multi
    def action_new_parts_order(self):
        """Button "Send Parts": a new outbound order for this request's customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "after_sales.parts.order",
            "view_mode": "form", "target": "current", "name": _("Outbound Order"),
            "context": {"default_request_id": self.id, "default_partner_id": self.partner_id.id,
                        "default_chargeable": not self.in_warranty},
        }

    @api.multi
    def action_view_parts_orders(self):
        action = self.env.ref("after_sales_service.parts_order_action").read()[0]
        action["domain"] = [("request_id", "in", self.ids)]
        action["context"] = {"default_request_id": self[:1].id,
                             "default_partner_id": self[:1].partner_id.id}
        return action
