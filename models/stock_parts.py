# -*- coding: utf-8 -*-
"""Stock side of parts dispatch and old parts: the warehouses' "After-Sales Parts" operation
type, the links of pickings, moves and scraps to outbound orders and old parts, and the hook
that marks orders shipped (and books the warranty cost) when their transfer is validated."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    as_parts_type_id = fields.Many2one(
        "stock.picking.type", "After-Sales Parts Operation",
        help="Outgoing operation type of the parts sent to customers from the after-sales parts "
             "store, with its own sequence (WH/ASP/00001).")

    @api.model
    def create(self, vals):
        warehouse = super(StockWarehouse, self).create(vals)
        warehouse._create_after_sales_parts_type()
        return warehouse

    @api.model
    def _init_after_sales_parts_types(self):
        """At install: every existing warehouse gets its after-sales parts operation type."""
        self.search([])._create_after_sales_parts_type()

    @api.multi
    def _create_after_sales_parts_type(self):
        customers = self.env.ref("stock.stock_location_customers")
        for warehouse in self.filtered(lambda w: not w.as_parts_type_id):
            if not warehouse.as_parts_location_id:
                warehouse._create_after_sales_locations()
            sequence = self.env["ir.sequence"].sudo().create({
                "name": "%s %s" % (warehouse.name, _("Sequence after-sales parts")),
                "prefix": warehouse.code + "/ASP/", "padding": 5,
                "company_id": warehouse.company_id.id,
            })
            warehouse.as_parts_type_id = self.env["stock.picking.type"].create({
                "name": _("After-Sales Parts"), "code": "outgoing", "sequence": 90,
                "warehouse_id": warehouse.id, "sequence_id": sequence.id,
                "default_location_src_id": warehouse.as_parts_location_id.id,
                "default_location_dest_id": customers.id,
                "return_picking_type_id": warehouse.in_type_id.id,
                "use_create_lots": False, "use_existing_lots": True,
            })
        return True


class StockPicking(models.Model):
    _inherit = "stock.picking"

    after_sales_parts_order_id = fields.Many2one(
        "after_sales.parts.order", "Outbound Order", index=True, readonly=True,
        help="The after-sales outbound order (出库单) this transfer issues parts for.")
    after_sales_old_parts_order_id = fields.Many2one(
        "after_sales.parts.order", "Old Parts of", index=True, readonly=True,
        help="The outbound order whose replaced old parts (旧件) this transfer moves.")

    @api.multi
    def action_done(self):
        self._check_after_sales_stock()
        result = super(StockPicking, self).action_done()
        done = self.filtered(lambda p: p.state == "done" and p.after_sales_parts_order_id)
        if done:
            done.mapped("after_sales_parts_order_id").sudo()._after_sales_picking_done(done)
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
                raise UserError(_("Not enough %s in %s: %s more than reserved are to be issued, "
                                  "%s are available. Check the availability or receive the parts "
                                  "first.") % (product.display_name, location.display_name,
                                               quantity, available))
        return True


class StockMove(models.Model):
    _inherit = "stock.move"

    after_sales_parts_order_line_id = fields.Many2one(
        "after_sales.parts.order.line", "Outbound Order Line", index=True, readonly=True)
    after_sales_old_part_id = fields.Many2one("after_sales.old.part", "Old Part", index=True,
                                              readonly=True)
    after_sales_lot_id = fields.Many2one(
        "stock.production.lot", "Requested Serial", readonly=True,
        help="The serial the after-sales order asks for: reserved, or proposed on receipt.")

    def _after_sales_reserve(self):
        """Reserve as far as the stock allows, the requested serial when there is one."""
        Quant = self.env["stock.quant"]
        moves = self.filtered(lambda m: m.state in ("confirmed", "partially_available"))
        with_lot = moves.filtered(lambda m: m.after_sales_lot_id and m.product_id.tracking != "none"
                                  and not m.location_id.should_bypass_reservation())
        for move in with_lot:
            lot = move.after_sales_lot_id
            available = Quant._get_available_quantity(move.product_id, move.location_id,
                                                      lot_id=lot, strict=False)
            if available > 0:
                move._update_reserved_quantity(move.product_qty, available, move.location_id,
                                               lot_id=lot, strict=False)
                move._recompute_state()
        others = moves - with_lot
        others._action_assign()
        for move in others.filtered(lambda m: m.after_sales_lot_id
                                    and m.location_id.should_bypass_reservation()):
            move.move_line_ids.filtered(lambda l: not l.lot_id).write(
                {"lot_id": move.after_sales_lot_id.id})
        return True


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    after_sales_old_part_id = fields.Many2one("after_sales.old.part", "Old Part", index=True,
                                              readonly=True)

    def _prepare_move_values(self):
        vals = super(StockScrap, self)._prepare_move_values()
        if self.after_sales_old_part_id:
            vals["after_sales_old_part_id"] = self.after_sales_old_part_id.id
        return vals
