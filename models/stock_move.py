# -*- coding: utf-8 -*-
from odoo import api, fields, models

from .field_triggers import many2one_ids, modified_narrowed


class StockMove(models.Model):
    """Moves of outbound orders, old parts and return cases, and their reservation of the
    serial the after-sales document asks for."""

    _inherit = "stock.move"

    after_sales_parts_order_line_id = fields.Many2one(
        "after_sales.parts.order.line", "Outbound Order Line", index=True, readonly=True)
    after_sales_old_part_id = fields.Many2one("after_sales.old.part", "Old Part", index=True,
                                              readonly=True)
    after_sales_lot_id = fields.Many2one(
        "stock.production.lot", "Requested Serial", readonly=True,
        help="The serial the after-sales order asks for: reserved, or proposed on receipt.")
    after_sales_return_id = fields.Many2one("after_sales.return", "Return Case", index=True,
                                            readonly=True)
    after_sales_disposition_id = fields.Many2one(
        "after_sales.return.disposition", "Return Disposition", index=True, readonly=True,
        help="Empty on the receipt of the returned goods: its done quantity is the quantity "
             "received.")

    @api.multi
    def modified(self, fnames):
        return modified_narrowed(self, fnames, super(StockMove, self).modified,
                                 self._after_sales_trigger_ids)

    def _after_sales_trigger_ids(self, field, path):
        """A document of the addon computed from its moves (`move_ids`, the one2many of this
        move's many2one): the moves name it, no search needed (see field_triggers)."""
        if not field.model_name.startswith("after_sales.") or "." in path:
            return None
        one2many = self.env[field.model_name]._fields.get(path)
        if not (one2many and one2many.type == "one2many"
                and one2many.comodel_name == self._name):
            return None
        return many2one_ids(self, one2many.inverse_name)

    def _after_sales_reserve(self):
        """Reserve as far as the stock allows (the after-sales transfers reserved when they
        are created), the requested serial when there is one."""
        self.filtered(lambda m: m.state in ("confirmed", "partially_available"))._action_assign()
        return True

    def _action_assign(self):
        """Wherever Odoo reserves (the warehouse's Check Availability, the scheduler, the
        transfers reserved on creation), a move asking for a serial reserves that serial and
        no other: without it in stock the move waits. Received into a location that bypasses
        reservation, the serial is proposed on the move line. The other moves as Odoo does."""
        Quant = self.env["stock.quant"]
        with_lot = self.filtered(
            lambda m: m.after_sales_lot_id and m.product_id.tracking != "none"
            and m.state in ("confirmed", "partially_available")
            and not m.location_id.should_bypass_reservation())
        for move in with_lot:
            lot = move.after_sales_lot_id
            missing = move.product_uom._compute_quantity(
                move.product_uom_qty - move.reserved_availability, move.product_id.uom_id,
                rounding_method="HALF-UP")
            available = Quant._get_available_quantity(move.product_id, move.location_id,
                                                      lot_id=lot, strict=False)
            if available > 0 and missing > 0:
                move._update_reserved_quantity(missing, available, move.location_id,
                                               lot_id=lot, strict=False)
                move._recompute_state()
        others = self - with_lot
        result = super(StockMove, others)._action_assign()
        for move in others.filtered(lambda m: m.after_sales_lot_id
                                    and m.location_id.should_bypass_reservation()):
            move.move_line_ids.filtered(lambda l: not l.lot_id).write(
                {"lot_id": move.after_sales_lot_id.id})
        return result
