# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare


class PartsOrderLine(models.Model):
    """A part on an outbound order, with the stock available in the parts store before
    approval and what was really issued after."""

    _name = "after_sales.parts.order.line"
    _description = "Outbound Order Part"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("after_sales.parts.order", "Outbound Order", required=True,
                               ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="order_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id", readonly=True)
    state = fields.Selection(related="order_id.state", readonly=True)
    product_id = fields.Many2one("product.product", "Part", required=True, index=True,
                                 domain=[("type", "in", ("product", "consu"))])
    tracking = fields.Selection(related="product_id.tracking", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Serial / Lot",
                             domain="[('product_id', '=', product_id)]")
    quantity = fields.Float(required=True, default=1.0,
                            digits=dp.get_precision("Product Unit of Measure"))
    product_uom_id = fields.Many2one("product.uom", "Unit", required=True)
    old_part_expected = fields.Boolean(
        "Old Part Expected Back",
        help="The replaced defective part (旧件) is to come back to the old-parts store.")
    qty_available = fields.Float("Available in Parts Store", compute="_compute_availability",
                                 digits=dp.get_precision("Product Unit of Measure"))
    stock_warning = fields.Boolean("Not Enough Stock", compute="_compute_availability")
    qty_issued = fields.Float("Issued", compute="_compute_qty_issued",
                              digits=dp.get_precision("Product Unit of Measure"))
    price_unit = fields.Monetary("Unit Price", compute="_compute_price",
                                 help="The fee standard's price: cost plus the parts markup.")
    price_subtotal = fields.Monetary("Subtotal", compute="_compute_price")

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.product_uom_id = self.product_id.uom_id
            if self.lot_id.product_id != self.product_id:
                self.lot_id = False

    # ------------------------------------------------------------------ constraints

    @api.constrains("quantity", "product_uom_id", "lot_id")
    def _check_line(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(_("The quantity of a part must be positive."))
            if line.product_uom_id.category_id != line.product_id.uom_id.category_id:
                raise ValidationError(_("The unit of %s must be of the product's unit category.")
                                      % line.product_id.display_name)
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(_("Serial %(serial)s is not one of %(product)s.")
                                      % {"serial": line.lot_id.name,
                                         "product": line.product_id.display_name})
            if line.lot_id and line.tracking == "serial" and line.quantity != 1:
                raise ValidationError(_("A serial number is one unit: one line per serial."))

    def _check_lots(self):
        """Parts tracked by serial are sent with their serial."""
        missing = self.filtered(lambda l: l.tracking == "serial" and not l.lot_id)
        if missing:
            raise UserError(_("Give the serial number of %s.")
                            % ", ".join(missing.mapped("product_id.display_name")))

    @api.model
    def create(self, vals):
        line = super(PartsOrderLine, self).create(vals)
        line._check_editable()
        return line

    @api.multi
    def write(self, vals):
        self._check_editable()
        return super(PartsOrderLine, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_editable()
        return super(PartsOrderLine, self).unlink()

    def _check_editable(self):
        if any(line.order_id.state not in ("draft", "to_approve") for line in self):
            raise UserError(_("The parts of an approved outbound order can't be changed: cancel "
                              "it and set it back to draft."))

    # ------------------------------------------------------------------ computes

    @api.depends("product_id", "lot_id", "quantity", "product_uom_id", "order_id.warehouse_id",
                 "order_id.state")
    def _compute_availability(self):
        """Unreserved stock in the parts store: one quant query per parts store (usually
        one), never one per line."""
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        by_location = {}
        for line in self:
            by_location.setdefault(line.order_id.location_id, self.browse())
            by_location[line.order_id.location_id] |= line
        for location, lines in by_location.items():
            per_product, per_lot = self._available_in(location, lines.mapped("product_id"))
            for line in lines:
                available = (per_lot.get((line.product_id.id, line.lot_id.id), 0.0)
                             if line.lot_id else per_product.get(line.product_id.id, 0.0))
                line.qty_available = available
                needed = line.quantity
                if line.product_uom_id and line.product_id:
                    needed = line.product_uom_id._compute_quantity(
                        line.quantity, line.product_id.uom_id, round=False)
                line.stock_warning = (
                    line.order_id.state in ("draft", "to_approve")
                    and line.product_id.type == "product"
                    and float_compare(needed, available, precision_digits=precision) > 0)

    @api.model
    def _available_in(self, location, products):
        if not location or not products:
            return {}, {}
        groups = self.env["stock.quant"].sudo().read_group(
            [("product_id", "in", products.ids), ("location_id", "child_of", location.id)],
            ["product_id", "lot_id", "quantity", "reserved_quantity"],
            ["product_id", "lot_id"], lazy=False)
        per_product, per_lot = {}, {}
        for group in groups:
            product_id = group["product_id"][0]
            lot_id = group["lot_id"] and group["lot_id"][0] or False
            free = group["quantity"] - group["reserved_quantity"]
            per_product[product_id] = per_product.get(product_id, 0.0) + free
            per_lot[(product_id, lot_id)] = per_lot.get((product_id, lot_id), 0.0) + free
        return per_product, per_lot

    def _compute_qty_issued(self):
        """Quantity really issued: done moves out of the store minus done returns."""
        groups = self.env["stock.move"].sudo().read_group(
            [("after_sales_parts_order_line_id", "in", self.ids), ("state", "=", "done")],
            ["after_sales_parts_order_line_id", "location_dest_id", "product_qty"],
            ["after_sales_parts_order_line_id", "location_dest_id"], lazy=False)
        locations = self.env["stock.location"].browse(
            [g["location_dest_id"][0] for g in groups])
        internal = set(locations.filtered(lambda l: l.usage == "internal").ids)
        issued = {}
        for group in groups:
            sign = -1 if group["location_dest_id"][0] in internal else 1
            line_id = group["after_sales_parts_order_line_id"][0]
            issued[line_id] = issued.get(line_id, 0.0) + sign * group["product_qty"]
        for line in self:
            line.qty_issued = issued.get(line.id, 0.0)

    @api.depends("product_id", "quantity", "product_uom_id", "order_id.company_id")
    def _compute_price(self):
        Standard = self.env["after_sales.fee.standard"]
        standards = {}
        for line in self:
            company = line.order_id.company_id or self.env.user.company_id
            if company not in standards:
                standards[company] = Standard.for_company(company)
                # the costs of the parts of all the lines in this company, read at once
                self.mapped("product_id").with_context(force_company=company.id).mapped(
                    "standard_price")
            price = standards[company].part_price(
                line.product_id.with_context(force_company=company.id)) if line.product_id else 0.0
            if line.product_uom_id and line.product_id:
                price = line.product_id.uom_id._compute_price(price, line.product_uom_id)
            line.price_unit = line.currency_id.round(price) if line.currency_id else price
            line.price_subtotal = line.price_unit * line.quantity

    # ------------------------------------------------------------------ prepare

    def _prepare_move_vals(self, location, destination):
        self.ensure_one()
        order = self.order_id
        return {
            "name": self.product_id.display_name,
            "product_id": self.product_id.id,
            "product_uom": self.product_uom_id.id,
            "product_uom_qty": self.quantity,
            "location_id": location.id,
            "location_dest_id": destination.id,
            "partner_id": (order.partner_shipping_id or order.partner_id).id,
            "origin": order.name,
            "company_id": order.company_id.id,
            "warehouse_id": order.warehouse_id.id,
            "after_sales_parts_order_line_id": self.id,
            "after_sales_lot_id": self.lot_id.id,
        }

    def _invoice_line_name(self):
        name = self.product_id.display_name
        if self.lot_id:
            name = "%s (%s)" % (name, self.lot_id.name)
        return name

    def _prepare_old_part_vals(self):
        self.ensure_one()
        return {
            "order_id": self.order_id.id,
            "order_line_id": self.id,
            "product_id": self.product_id.id,
            "quantity": self.product_uom_id._compute_quantity(self.quantity,
                                                              self.product_id.uom_id),
        }
