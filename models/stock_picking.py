# -*- coding: utf-8 -*-
from odoo import _, api, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.multi
    def action_create_warranty_cards(self):
        """Register the delivered serials in the customers' installed base."""
        if any(p.state != "done" or p.picking_type_code != "outgoing" for p in self):
            raise UserError(_("Warranty cards are created from done deliveries only."))
        cards = self.env["after_sales.warranty.card"].create_from_pickings(self)
        action = self.env.ref("after_sales_service.warranty_card_action").read()[0]
        action["domain"] = [("picking_id", "in", self.ids)]
        if not cards:
            action["help"] = _("<p>Every serial of these deliveries already has a card.</p>")
        return action
