# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .field_triggers import many2one_ids, modified_narrowed

# the return dispositions' transfers (their own, replacement and restock ones) are made by the
# return case (return_disposition._prepare_picking_vals): they all name it
DISPOSITION_PATHS = ("picking_id", "replacement_picking_id", "restock_picking_id")


class StockPicking(models.Model):
    """Transfers of the after-sales process: parts issued for an outbound order (出库单) and the
    old parts (旧件) coming back, parts taken on a visit, returned goods of a return case; and
    the warranty cards registered from a done delivery."""

    _inherit = "stock.picking"

    after_sales_parts_order_id = fields.Many2one(
        "after_sales.parts.order", "Outbound Order", index=True, readonly=True,
        help="The after-sales outbound order (出库单) this transfer issues parts for.")
    after_sales_old_parts_order_id = fields.Many2one(
        "after_sales.parts.order", "Old Parts of", index=True, readonly=True,
        help="The outbound order whose replaced old parts (旧件) this transfer moves.")
    after_sales_visit_id = fields.Many2one("after_sales.visit", "Visit", index=True,
                                           readonly=True)
    after_sales_visit_role = fields.Selection([("issue", "Parts Issued to the Technician"),
                                               ("consume", "Parts Used at the Customer"),
                                               ("return", "Parts Returned to the Store")],
                                              readonly=True)
    after_sales_return_id = fields.Many2one("after_sales.return", "Return Case", index=True,
                                            readonly=True)
    # parts issued to or returned by a service station (its own stock location)
    after_sales_station_id = fields.Many2one("res.partner", "Service Station", index=True,
                                             readonly=True)

    @api.multi
    def modified(self, fnames):
        return modified_narrowed(self, fnames, super(StockPicking, self).modified,
                                 self._after_sales_trigger_ids)

    def _after_sales_trigger_ids(self, field, path):
        """A return disposition follows the state of its transfers, which all name their
        return case: the transfers of no return case are no disposition's, no search needed
        (see field_triggers)."""
        if field.model_name != "after_sales.return.disposition" or path not in DISPOSITION_PATHS:
            return None
        if not many2one_ids(self, "after_sales_return_id"):
            return set()
        return None  # a return case's transfer: Odoo's search

    @api.multi
    def action_done(self):
        """The warehouse validates; the after-sales documents move on whatever the warehouse
        user may write: outbound orders shipped (warranty cost booked), return cases received."""
        self._check_after_sales_stock()
        self._check_after_sales_depot()
        result = super(StockPicking, self).action_done()
        done = self.filtered(lambda p: p.state == "done")
        shipped = done.filtered("after_sales_parts_order_id")
        if shipped:
            shipped.mapped("after_sales_parts_order_id").sudo()._after_sales_picking_done(shipped)
        receipts = self.filtered(lambda p: p.after_sales_return_id and not p.move_lines.mapped(
            "after_sales_disposition_id"))
        if receipts:
            receipts.mapped("after_sales_return_id").sudo()._on_goods_received(
                self.env.user.partner_id)
        done._after_sales_depot_done()
        return result

    @api.multi
    def action_cancel(self):
        """The warehouse cancels a transfer (a backorder it won't ship, or the whole
        dispatch): an outbound order whose transfers are then all done or cancelled ends,
        shipped with what was issued or cancelled when nothing was."""
        result = super(StockPicking, self).action_cancel()
        orders = self.sudo().mapped("after_sales_parts_order_id")
        if orders:
            orders._after_sales_pickings_settled()
        return result

    def _check_after_sales_stock(self):
        """The parts store never goes negative by surprise: quantities done beyond what is
        reserved must be free in the store."""
        Quant = self.env["stock.quant"]
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        extra = {}
        for picking in self.filtered(lambda p: p.after_sales_parts_order_id
                                     and p.state not in ("done", "cancel")):
            for line in picking.move_line_ids.filtered(
                    lambda l: l.location_id.usage == "internal"
                    and l.product_id.type == "product"):
                done = line.product_uom_id._compute_quantity(line.qty_done,
                                                             line.product_id.uom_id)
                if float_compare(done, line.product_qty, precision_digits=precision) > 0:
                    key = (line.product_id, line.location_id, line.lot_id, line.package_id)
                    extra[key] = extra.get(key, 0.0) + done - line.product_qty
        for (product, location, lot, package), quantity in extra.items():
            available = Quant._get_available_quantity(product, location, lot_id=lot or None,
                                                      package_id=package or None, strict=True)
            if float_compare(quantity, available, precision_digits=precision) > 0:
                raise UserError(_("Not enough %(product)s in %(location)s: %(quantity)s more than "
                                  "reserved are to be issued, %(available)s are available. Check "
                                  "the availability or receive the parts first.") % {
                    "product": product.display_name, "location": location.display_name,
                    "quantity": quantity, "available": available})
        return True


    @api.multi
    def action_create_warranty_cards(self):
        """Register the delivered serials in the customers' installed base."""
        if any(p.state != "done" or p.picking_type_code != "outgoing" for p in self):
            raise UserError(_("Warranty cards are created from done deliveries only."))
        cards = self.env["after_sales.warranty.card"].create_from_pickings(self)
        action = self.env["after_sales.document.mixin"]._window_action(
            "after_sales_service.warranty_card_action", [("picking_id", "in", self.ids)])
        if not cards:
            action["help"] = _("<p>Every serial of these deliveries already has a card.</p>")
        return action

    # ------------------------------------------------------------------ depot repair and recalls
    after_sales_repair_id = fields.Many2one("mrp.repair", "Depot Repair", index=True,
                                            readonly=True, copy=False)
    after_sales_repair_role = fields.Selection(
        [("in", "Unit Sent In for Repair"), ("out", "Repaired Unit Shipped Back")],
        "Depot Repair Step", readonly=True, copy=False)
    after_sales_recall_task_id = fields.Many2one("after_sales.recall.task", "Recall Task",
                                                 index=True, readonly=True, copy=False)
    # the same field as Odoo's `delivery` module defines (installing it merges them)
    carrier_tracking_ref = fields.Char("Tracking Number", copy=False)

    def _check_after_sales_depot(self):
        """A repaired unit leaves with its tracking number, after its repair is done."""
        for picking in self.filtered(lambda p: p.after_sales_repair_role == "out"
                                     and p.state not in ("done", "cancel")):
            if not (picking.carrier_tracking_ref or "").strip():
                raise UserError(_("Enter the tracking number of %s before validating it.")
                                % picking.name)
            if picking.sudo().after_sales_repair_id.state != "done":
                raise UserError(_("%(transfer)s can't ship before repair %(repair)s is done.") % {
                    "transfer": picking.name,
                    "repair": picking.sudo().after_sales_repair_id.name})
        return True

    def _after_sales_depot_done(self):
        """The requests of the depot repairs and the recall tasks follow their transfers."""
        depot = self.filtered("after_sales_repair_id").sudo()
        for picking in depot:
            request = picking.after_sales_repair_id.after_sales_request_id
            if picking.after_sales_repair_role == "in":
                body = _("Unit received for repair: %s") % picking.name
            else:
                body = _("Repaired unit shipped back: %(transfer)s, tracking number "
                         "%(tracking)s") % {"transfer": picking.name,
                                            "tracking": picking.carrier_tracking_ref}
            request.message_post(body=body, subtype="mail.mt_note")
        tasks = self.sudo().mapped("after_sales_recall_task_id") | self.env[
            "after_sales.recall.task"].sudo().search(
                [("return_id", "in", self.sudo().mapped("after_sales_return_id").ids)])
        if tasks:
            tasks._update_from_transfers()
        return True

