# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from .document_mixin import document_action

INSPECTION_RESULTS = [
    ("supplier", "Supplier Fault"),
    ("usage", "Usage Fault"),
    ("no_fault", "No Fault Found"),
]
STATES = [
    ("expected", "Expected Back"),
    ("received", "In Old-Parts Store"),
    ("inspected", "Inspected"),
    ("done", "Disposed Of"),
]


class OldPart(models.Model):
    """A replaced defective part (旧件) coming back from the customer: received into the
    old-parts store (旧件库) by a real receipt, inspected by the 三包 technicians, then returned
    to the supplier or scrapped by real moves. Its quantities are computed from done moves only,
    so that they always agree with the stock of the old-parts store (账、卡、物一致)."""

    _name = "after_sales.old.part"
    _description = "Old Part"
    _inherit = ["mail.thread", "mail.activity.mixin", "after_sales.document.mixin"]
    _order = "id desc"
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("order_id", "order_line_id", "product_id", "quantity", "inspected_by_id",
                     "date_inspected")

    name = fields.Char("Reference", compute="_compute_name", store=True)
    order_id = fields.Many2one("after_sales.parts.order", "Outbound Order", required=True,
                               ondelete="restrict", index=True, readonly=True)
    order_line_id = fields.Many2one("after_sales.parts.order.line", ondelete="set null", readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, readonly=True)
    partner_id = fields.Many2one(related="order_id.partner_id", store=True, readonly=True,
                                 string="Customer")
    request_id = fields.Many2one(related="order_id.request_id", store=True, readonly=True,
                                 string="Service Request")
    product_id = fields.Many2one("product.product", "Part", required=True, readonly=True,
                                 index=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", readonly=True, string="Unit")
    lot_id = fields.Many2one("stock.production.lot", "Serial / Lot",
                             domain="[('product_id', '=', product_id)]",
                             help="The serial of the part that came back.")
    quantity = fields.Float("Expected Qty", required=True, readonly=True,
                            digits=dp.get_precision("Product Unit of Measure"))
    location_id = fields.Many2one(related="order_id.warehouse_id.after_sales_old_parts_location_id",
                                  readonly=True, string="Old-Parts Store")
    move_ids = fields.One2many("stock.move", "after_sales_old_part_id", "Stock Moves",
                               readonly=True,
                               groups="stock.group_stock_user,"
                                      "after_sales_service.group_technician")

    qty_received = fields.Float("Received Qty", compute="_compute_quantities", store=True,
                                digits=dp.get_precision("Product Unit of Measure"))
    qty_returned = fields.Float("Returned to Supplier", compute="_compute_quantities",
                                store=True, digits=dp.get_precision("Product Unit of Measure"))
    qty_scrapped = fields.Float("Scrapped", compute="_compute_quantities", store=True,
                                digits=dp.get_precision("Product Unit of Measure"))
    qty_in_store = fields.Float("In Old-Parts Store", compute="_compute_quantities", store=True,
                                digits=dp.get_precision("Product Unit of Measure"))
    qty_to_dispose = fields.Float(
        "To Dispose Of", compute="_compute_qty_to_dispose",
        digits=dp.get_precision("Product Unit of Measure"),
        help="In the store and not yet on a return to the supplier in progress.")
    state = fields.Selection(STATES, "Status", compute="_compute_quantities", store=True,
                             index=True, track_visibility="onchange")

    # inspection by the 三包 technicians
    inspection_result = fields.Selection(INSPECTION_RESULTS, track_visibility="onchange")
    inspection_note = fields.Text("Inspection Notes")
    inspected_by_id = fields.Many2one("res.users", readonly=True)
    date_inspected = fields.Datetime("Inspected On", readonly=True)
    supplier_id = fields.Many2one("res.partner", domain=[("supplier", "=", True)],
                                  track_visibility="onchange")

    can_be_returned = fields.Boolean(compute="_compute_qty_to_dispose")
    can_be_scrapped = fields.Boolean(compute="_compute_qty_to_dispose")

    # ------------------------------------------------------------------ computes

    @api.depends("order_id.name", "product_id")
    def _compute_name(self):
        for part in self:
            part.name = "%s - %s" % (part.order_id.name or "", part.product_id.display_name or "")

    @api.depends("move_ids.state", "move_ids.product_qty", "move_ids.location_id",
                 "move_ids.location_dest_id", "quantity", "inspection_result")
    def _compute_quantities(self):
        """From done moves only (one query for all the records): what came in from the
        customer, what left to a supplier or to scrap."""
        groups = self.env["stock.move"].sudo().read_group(
            [("after_sales_old_part_id", "in", self.ids), ("state", "=", "done")],
            ["after_sales_old_part_id", "location_id", "location_dest_id", "product_qty"],
            ["after_sales_old_part_id", "location_id", "location_dest_id"], lazy=False)
        locations = self.env["stock.location"].sudo().browse(
            [g["location_id"][0] for g in groups] + [g["location_dest_id"][0] for g in groups])
        usage = {loc.id: ("scrap" if loc.scrap_location else loc.usage) for loc in locations}
        totals = {}
        for group in groups:
            source = usage[group["location_id"][0]]
            destination = usage[group["location_dest_id"][0]]
            qty = group["product_qty"]
            part = totals.setdefault(group["after_sales_old_part_id"][0],
                                     {"received": 0.0, "returned": 0.0, "scrapped": 0.0,
                                      "in": 0.0, "out": 0.0})
            if destination == "internal" and source != "internal":
                part["in"] += qty
                if source == "supplier":
                    part["returned"] -= qty  # the supplier sent it back
                else:
                    part["received"] += qty
            elif source == "internal" and destination != "internal":
                part["out"] += qty
                if destination == "supplier":
                    part["returned"] += qty
                elif destination == "scrap":
                    part["scrapped"] += qty
                else:
                    part["received"] -= qty  # handed back to the customer
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for part in self:
            total = totals.get(part.id, {})
            part.qty_received = total.get("received", 0.0)
            part.qty_returned = total.get("returned", 0.0)
            part.qty_scrapped = total.get("scrapped", 0.0)
            part.qty_in_store = total.get("in", 0.0) - total.get("out", 0.0)
            if float_is_zero(part.qty_received, precision_digits=precision):
                part.state = "expected"
            elif not float_is_zero(part.qty_in_store, precision_digits=precision):
                part.state = "inspected" if part.inspection_result else "received"
            else:
                part.state = "done"

    def _compute_qty_to_dispose(self):
        """In the store minus what waits on supplier returns not done yet (one query)."""
        groups = self.env["stock.move"].sudo().read_group(
            [("after_sales_old_part_id", "in", self.ids),
             ("state", "not in", ("done", "cancel", "draft")),
             ("location_id.usage", "=", "internal")],
            ["after_sales_old_part_id", "product_qty"], ["after_sales_old_part_id"])
        pending = {g["after_sales_old_part_id"][0]: g["product_qty"] for g in groups}
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for part in self:
            part.qty_to_dispose = max(part.qty_in_store - pending.get(part.id, 0.0), 0.0)
            can = bool(part.inspection_result) and float_compare(
                part.qty_to_dispose, 0.0, precision_digits=precision) > 0
            part.can_be_returned = part.can_be_scrapped = can

    # ------------------------------------------------------------------ inspection

    @api.multi
    def write(self, vals):
        self._check_direct_write(vals)
        if vals.get("inspection_result"):
            not_received = self.filtered(lambda p: p.state == "expected")
            if not_received:
                raise UserError(_("Old part %s has not been received yet: it can't be "
                                  "inspected.") % ", ".join(not_received.mapped("name")))
            # who inspected and when: recorded by the process, not typed
            vals = dict(vals, inspected_by_id=self.env.uid,
                        date_inspected=fields.Datetime.now())
            return super(OldPart, self._as_action()).write(vals)
        return super(OldPart, self).write(vals)

    @api.multi
    def unlink(self):
        if self.sudo().mapped("move_ids").filtered(lambda m: m.state != "cancel"):
            raise UserError(_("An old part with stock moves can't be deleted."))
        return super(OldPart, self).unlink()

    # ------------------------------------------------------------------ disposal


    @api.multi
    @document_action
    def action_return_to_supplier(self):
        """An outgoing transfer from the old-parts store to the supplier, validated by the
        warehouse."""
        self._check_can("can_be_returned", _("Only inspected old parts still in the store can be "
                                             "returned to the supplier: %s"))
        no_supplier = self.filtered(lambda p: not p.supplier_id)
        if no_supplier:
            raise UserError(_("Choose the supplier of %s first.")
                            % ", ".join(no_supplier.mapped("name")))
        pickings = self.env["stock.picking"].sudo().browse()
        for part in self:
            picking = self._create_reserved_picking(part._prepare_supplier_picking_vals())
            pickings |= picking
            part.message_post(body=_("Return to supplier %(supplier)s: transfer %(transfer)s.")
                              % {"supplier": part.supplier_id.name, "transfer": picking.name}, subtype="mail.mt_note")
        return pickings

    def _prepare_supplier_picking_vals(self):
        self.ensure_one()
        warehouse = self.order_id.warehouse_id
        destination = (self.supplier_id.property_stock_supplier
                       or self.env.ref("stock.stock_location_suppliers"))
        return {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": self.supplier_id.id,
            "origin": self.name,
            "location_id": self.location_id.id,
            "location_dest_id": destination.id,
            "company_id": self.company_id.id,
            "after_sales_old_parts_order_id": self.order_id.id,
            "move_lines": [(0, 0, self._prepare_move_vals(self.location_id, destination,
                                                          self.qty_to_dispose))],
        }

    @api.multi
    @document_action
    def action_scrap(self):
        """Scrap what is left in the store, by Odoo's scrap from the old-parts store."""
        self._check_can("can_be_scrapped", _("Only inspected old parts still in the store can be "
                                             "scrapped: %s"))
        Scrap = self.env["stock.scrap"].sudo()
        scraps = Scrap.browse()
        for part in self:
            scrap = Scrap.create(part._prepare_scrap_vals())
            scrap.do_scrap()
            scraps |= scrap
            part.message_post(body=_("Scrapped: %s.") % scrap.name, subtype="mail.mt_note")
        return scraps

    def _prepare_scrap_vals(self):
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "product_uom_id": self.product_id.uom_id.id,
            "scrap_qty": self.qty_to_dispose,
            "lot_id": self.lot_id.id,
            "location_id": self.location_id.id,
            "origin": self.name,
            "after_sales_old_part_id": self.id,
        }

    def _prepare_move_vals(self, location, destination, quantity=None):
        self.ensure_one()
        return {
            "name": _("Old part: %s") % self.product_id.display_name,
            "product_id": self.product_id.id,
            "product_uom": self.product_id.uom_id.id,
            "product_uom_qty": self.quantity if quantity is None else quantity,
            "location_id": location.id,
            "location_dest_id": destination.id,
            "origin": self.order_id.name,
            "company_id": self.company_id.id,
            "after_sales_old_part_id": self.id,
            "after_sales_lot_id": self.lot_id.id,
        }

    # ------------------------------------------------------------------ smart buttons

    @api.multi
    def action_view_moves(self):
        return self._window_action("stock.stock_move_action",
                                   [("after_sales_old_part_id", "in", self.ids)])
