# -*- coding: utf-8 -*-
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from .request_selections import REQUEST_OPEN_STATES


class WarrantyCard(models.Model):
    """An installed product and its warranty card (保修卡): the customer's installed base."""

    _name = "after_sales.warranty.card"
    _description = "Warranty Card"
    _inherit = ["mail.thread", "after_sales.portal.access"]
    _order = "warranty_end desc, id desc"

    name = fields.Char("Card Number", required=True, copy=False, readonly=True,
                       default=lambda self: _("New"))
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 track_visibility="onchange")
    product_id = fields.Many2one("product.product", required=True, index=True)
    lot_id = fields.Many2one("stock.production.lot", "Serial Number", index=True,
                             domain="[('product_id', '=', product_id)]")
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    date_delivered = fields.Date("Delivery Date", required=True, track_visibility="onchange")
    date_installed = fields.Date("Installation Date", track_visibility="onchange")
    after_sales_warranty_months = fields.Integer("Warranty (months)", required=True,
                                     track_visibility="onchange")
    warranty_end = fields.Date(compute="_compute_warranty_end", store=True,
                               index=True)
    card_returned = fields.Boolean(track_visibility="onchange",
                                   help="The customer sent the warranty card back.")
    in_warranty = fields.Boolean(compute="_compute_in_warranty",
                                 search="_search_in_warranty")
    note = fields.Text()

    _sql_constraints = [
        ("lot_uniq", "unique (lot_id)", "A serial number has only one warranty card."),
    ]

    @api.depends("date_delivered", "date_installed", "after_sales_warranty_months")
    def _compute_warranty_end(self):
        for card in self:
            start = card.date_installed or card.date_delivered
            card.warranty_end = start and fields.Date.to_string(
                fields.Date.from_string(start) + relativedelta(months=card.after_sales_warranty_months)
                - timedelta(days=1))

    def _compute_in_warranty(self):
        today = fields.Date.context_today(self)
        for card in self:
            card.in_warranty = bool(card.warranty_end and card.warranty_end >= today)

    def _search_in_warranty(self, operator, value):
        today = fields.Date.context_today(self)
        positive = (operator == "=") == bool(value)
        return [("warranty_end", ">=" if positive else "<", today)]

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.after_sales_warranty_months = self.product_id.product_tmpl_id.after_sales_warranty_months

    @api.model
    def create(self, vals):
        if vals.get("name", _("New")) == _("New"):
            vals["name"] = self.env["ir.sequence"].next_by_code("after_sales.warranty.card") or "/"
        if not vals.get("after_sales_warranty_months") and vals.get("product_id"):
            product = self.env["product.product"].browse(vals["product_id"])
            vals["after_sales_warranty_months"] = product.product_tmpl_id.after_sales_warranty_months
        card = super(WarrantyCard, self).create(vals)
        if not self.env.context.get("after_sales_defer_refresh"):
            card._refresh_open_requests()
        return card

    @api.multi
    def write(self, vals):
        decisive = {"lot_id", "date_delivered", "date_installed", "after_sales_warranty_months",
                    "active"} & set(vals)
        lots = self.mapped("lot_id")  # a serial that loses its card decides again too
        res = super(WarrantyCard, self).write(vals)
        if decisive:
            self._refresh_open_requests(lots)
        return res

    @api.multi
    def unlink(self):
        lots = self.mapped("lot_id")
        res = super(WarrantyCard, self).unlink()
        self.browse()._refresh_open_requests(lots)
        return res

    def _refresh_open_requests(self, lots=None):
        """The open requests on these cards' serials (and `lots`) decide their warranty again,
        in one search and one recompute; their visits follow."""
        lots = self.mapped("lot_id") | (lots or self.env["stock.production.lot"])
        if not lots:
            return
        # whoever registers the card: every open request of the serial, in every company
        self.env["after_sales.request"].sudo().search([
            ("lot_id", "in", lots.ids), ("state", "in", REQUEST_OPEN_STATES)])._recompute_warranty()

    @api.model
    def _prepare_from_move_line(self, move_line):
        picking = move_line.picking_id
        return {
            "partner_id": picking.partner_id.commercial_partner_id.id,
            "product_id": move_line.product_id.id,
            "lot_id": move_line.lot_id.id,
            "picking_id": picking.id,
            "date_delivered": (picking.date_done or move_line.date)[:10],
            "company_id": picking.company_id.id,
        }

    @api.model
    def create_from_pickings(self, pickings):
        """Cards for the serials delivered by done outgoing pickings that have none yet."""
        lines = pickings.filtered(lambda p: p.state == "done"
                                  and p.picking_type_code == "outgoing").mapped("move_line_ids")
        lines = lines.filtered(lambda l: l.lot_id and l.location_dest_id.usage == "customer")
        # a serial has one card, whichever company registered it
        known = self.sudo().with_context(active_test=False).search(
            [("lot_id", "in", lines.mapped("lot_id").ids)]).mapped("lot_id")
        cards = self.browse()
        deferred = self.with_context(after_sales_defer_refresh=True)
        for line in lines.filtered(lambda l: l.lot_id not in known):
            cards |= deferred.create(self._prepare_from_move_line(line))
        cards._refresh_open_requests()  # all the serials' open requests at once
        return cards
