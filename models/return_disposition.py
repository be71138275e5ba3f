# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .document_mixin import document_action
from .return_case import PLANNING_STATES

TYPES = [
    ("scrap", "Scrap"),
    ("repair", "Repair and Restock"),
    ("restock", "Restock"),
    ("supplier", "Return to Supplier"),
    ("exchange", "Exchange"),
]
STATES = [
    ("draft", "Planned"),
    ("progress", "In Progress"),
    ("repair", "In Repair"),
    ("done", "Done"),
]


class ReturnDisposition(models.Model):
    """What happens to a quantity of the returned goods, by a real stock move out of the
    pending area (待处理产品):

    - scrap (报废): an Odoo scrap from the pending area, done at once;
    - restock: an internal transfer pending area -> the warehouse's stock;
    - repair (返修): an internal transfer pending area -> repair area; once re-inspected by
      quality, a second transfer repair area -> stock;
    - return to supplier: a delivery pending area -> the vendor;
    - exchange (换货): a replacement delivered from stock to the customer, and the returned unit
      moved pending area -> repair area (where the workshop decides its fate). The line's
      quantity counts as disposed once both transfers are done.

    The warehouse validates the transfers; the line follows their state."""

    _name = "after_sales.return.disposition"
    _inherit = ["after_sales.document.mixin"]
    _description = "Return Disposition"
    _order = "return_id, sequence, id"
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("executed_by_id", "date_executed", "reinspected_by_id", "date_reinspected",
                     "picking_id", "replacement_picking_id", "restock_picking_id", "scrap_id")

    return_id = fields.Many2one("after_sales.return", "Return Case", required=True,
                                ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", related="return_id.company_id", store=True,
                                 readonly=True)
    product_id = fields.Many2one("product.product", "Product", related="return_id.product_id",
                                 store=True, readonly=True)
    product_uom_id = fields.Many2one("product.uom", "Unit of Measure",
                                     related="return_id.product_uom_id", readonly=True)
    disposition_type = fields.Selection(TYPES, "Disposition", required=True, default="restock",
                                        index=True)
    quantity = fields.Float(required=True, default=1.0,
                            digits=dp.get_precision("Product Unit of Measure"))
    vendor_id = fields.Many2one("res.partner", help="The supplier the goods go back to.")
    note = fields.Char()
    state = fields.Selection(STATES, compute="_compute_state", store=True, index=True,
                             readonly=True, default="draft")

    # what it created
    move_ids = fields.One2many("stock.move", "after_sales_disposition_id", "Stock Moves",
                               readonly=True)
    picking_id = fields.Many2one("stock.picking", "Transfer", readonly=True, copy=False,
                                 help="The goods leaving the pending area.")
    replacement_picking_id = fields.Many2one("stock.picking", "Replacement Delivery",
                                             readonly=True, copy=False)
    restock_picking_id = fields.Many2one("stock.picking", "Restock after Repair",
                                         readonly=True, copy=False)
    scrap_id = fields.Many2one("stock.scrap", readonly=True, copy=False)
    executed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_executed = fields.Datetime("Executed On", readonly=True, copy=False)
    reinspected_by_id = fields.Many2one("res.users", "Re-inspected By", readonly=True,
                                        copy=False)
    date_reinspected = fields.Datetime("Re-inspected On", readonly=True, copy=False)

    can_be_executed = fields.Boolean(compute="_compute_can_be")
    can_be_restocked = fields.Boolean(compute="_compute_can_be")

    _sql_constraints = [
        ("quantity_positive", "CHECK (quantity > 0)", "A disposition's quantity must be positive."),
    ]

    # ------------------------------------------------------------------ create / write

    @api.model
    def create(self, vals):
        case = self.env["after_sales.return"].browse(vals.get("return_id"))
        self._check_plan_open(case)
        self._check_vendor(vals.get("disposition_type", "restock"), vals.get("vendor_id"), case)
        self._check_quantity_left(case, vals.get("quantity", 1.0))
        return super(ReturnDisposition, self).create(vals)

    @api.multi
    def write(self, vals):
        if {"quantity", "disposition_type", "return_id", "vendor_id"} & set(vals):
            for line in self:
                case = line.return_id.browse(vals.get("return_id", line.return_id.id))
                self._check_plan_open(case, line)
                self._check_vendor(vals.get("disposition_type", line.disposition_type),
                                   vals.get("vendor_id", line.vendor_id.id), case)
                self._check_quantity_left(case, vals.get("quantity", line.quantity), line)
        return super(ReturnDisposition, self).write(vals)

    @api.multi
    def unlink(self):
        for line in self:
            self._check_plan_open(line.return_id, line)
        return super(ReturnDisposition, self).unlink()

    @api.model
    def _check_plan_open(self, case, line=None):
        """The plan is quality's until the QA manager approves it; then it is frozen."""
        if not self.env.user.has_group("after_sales_service.group_quality"):
            raise AccessError(_("Only quality plans the disposition of returned goods."))
        if case.state not in PLANNING_STATES or (line and line.state != "draft"):
            raise UserError(_("The disposition plan of %s can't be changed now: it is planned "
                              "during inspection, before the QA manager approves it.")
                            % case.name)

    @api.model
    def _check_vendor(self, disposition_type, vendor_id, case):
        if disposition_type == "supplier" and not vendor_id:
            raise UserError(_("Choose the vendor the goods go back to (%s).") % case.name)

    @api.model
    def _check_quantity_left(self, case, quantity, line=None):
        """A disposition above the quantity left undisposed is refused (over-disposal)."""
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        case.invalidate_cache(["qty_received", "qty_planned"], case.ids)
        left = case.qty_received - case.qty_planned + (line.quantity if line else 0.0)
        if float_compare(quantity, left, precision_digits=digits) > 0:
            raise UserError(_("%(case)s: %(received)s units received, only %(left)s left to "
                              "dispose of: a disposition of %(quantity)s is refused.") % {
                "case": case.name, "received": case.qty_received, "left": left,
                "quantity": quantity})

    # ------------------------------------------------------------------ computes

    @api.depends("move_ids.state", "picking_id.state", "replacement_picking_id.state",
                 "restock_picking_id.state", "scrap_id.state")
    def _compute_state(self):
        for line in self:
            line.state = line._get_state()

    def _get_state(self):
        if self.scrap_id:
            return "done" if self.scrap_id.state == "done" else "progress"
        if not self.picking_id or self.picking_id.state == "cancel":
            return "draft"  # not executed, or its transfer cancelled: to execute again
        pickings = self.picking_id | self.replacement_picking_id | self.restock_picking_id
        if any(picking.state != "done" for picking in pickings):
            return "progress"
        if self.disposition_type == "repair" and not self.restock_picking_id:
            return "repair"
        return "done"

    @api.depends("state", "return_id.state")
    def _compute_can_be(self):
        for line in self:
            line.can_be_executed = line.state == "draft" and line.return_id.state == "disposing"
            line.can_be_restocked = line.state == "repair"

    # ------------------------------------------------------------------ execute

    def _check_can(self, flag, message):
        # a disposition line is named by its case
        refused = self.filtered(lambda r: not r[flag])
        if refused:
            raise UserError(message % ", ".join(refused.mapped("return_id.name")))

    @api.multi
    @document_action
    def action_execute(self):
        """Move the goods out of the pending area as planned and approved."""
        if not self.env.user.has_group("after_sales_service.group_user"):
            raise AccessError(_("Only the after-sales department can do this."))
        self._check_can("can_be_executed", _("These dispositions are not approved or already "
                                             "executed: %s"))
        unsigned = self.filtered(lambda l: l.disposition_type == "exchange"
                                 and not l.return_id.exchange_form_signed)
        if unsigned:
            raise UserError(_("No replacement can be shipped before the general manager's "
                              "instruction on the exchange form (换货单) of %s.")
                            % ", ".join(unsigned.mapped("return_id.name")))
        self._check_pending_stock()
        for line in self:
            # as superuser: the line's state follows stock documents the user may not read
            line.sudo().write(getattr(line, "_execute_%s" % line.disposition_type)())
        self.write({"executed_by_id": self.env.uid, "date_executed": fields.Datetime.now()})
        return True

    def _check_pending_stock(self):
        """The pending area must hold what the lines take out of it."""
        Quant = self.env["stock.quant"].sudo()
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for case in self.mapped("return_id"):
            wanted = sum(self.filtered(lambda l: l.return_id == case).mapped("quantity"))
            available = Quant._get_available_quantity(case.product_id, case.location_id)
            if float_compare(available, wanted, precision_digits=digits) < 0:
                raise UserError(_("%(case)s: only %(quantity)s units are available in "
                                  "%(location)s.") % {
                    "case": case.name, "quantity": available,
                    "location": case.location_id.display_name})

    def _execute_scrap(self):
        scrap = self.env["stock.scrap"].sudo().create(self._prepare_scrap_vals())
        scrap.do_scrap()
        scrap.move_id.write({"after_sales_disposition_id": self.id,
                             "after_sales_return_id": self.return_id.id})
        return {"scrap_id": scrap.id}

    def _execute_restock(self):
        warehouse = self.return_id.warehouse_id
        return {"picking_id": self._create_picking(
            warehouse.int_type_id, self.return_id.location_id, warehouse.lot_stock_id).id}

    def _execute_repair(self):
        warehouse = self.return_id.warehouse_id
        return {"picking_id": self._create_picking(
            warehouse.int_type_id, self.return_id.location_id,
            warehouse.after_sales_repair_location_id).id}

    def _execute_supplier(self):
        warehouse = self.return_id.warehouse_id
        vendor_location = self.vendor_id.property_stock_supplier or self.env.ref(
            "stock.stock_location_suppliers")
        return {"picking_id": self._create_picking(
            warehouse.out_type_id, self.return_id.location_id, vendor_location,
            partner=self.vendor_id).id}

    def _execute_exchange(self):
        case = self.return_id
        warehouse = case.warehouse_id
        customer_location = case.partner_id.property_stock_customer or self.env.ref(
            "stock.stock_location_customers")
        values = self._execute_repair()
        values["replacement_picking_id"] = self._create_picking(
            warehouse.out_type_id, warehouse.lot_stock_id, customer_location,
            partner=case.partner_id).id
        return values

    @api.multi
    @document_action
    def action_restock_repaired(self):
        """Re-inspection passed (返修后复检): the repaired goods go back to stock."""
        if not self.env.user.has_group("after_sales_service.group_quality"):
            raise AccessError(_("Only quality re-inspects repaired goods."))
        self._check_can("can_be_restocked", _("These dispositions have no goods waiting in "
                                              "the repair area: %s"))
        for line in self:
            warehouse = line.return_id.warehouse_id
            picking = line._create_picking(warehouse.int_type_id,
                                           warehouse.after_sales_repair_location_id,
                                           warehouse.lot_stock_id)
            line.sudo().write({"restock_picking_id": picking.id})
        self.write({"reinspected_by_id": self.env.uid,
                    "date_reinspected": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------ stock documents

    def _prepare_scrap_vals(self):
        case = self.return_id
        return {
            "product_id": case.product_id.id,
            "product_uom_id": case.product_id.uom_id.id,
            "scrap_qty": self.quantity,
            "lot_id": case.lot_id.id if case.product_id.tracking != "none" else False,
            "location_id": case.location_id.id,
            "origin": case.name,
        }

    def _create_picking(self, picking_type, source, destination, partner=None):
        return self._create_reserved_picking(
            self._prepare_picking_vals(picking_type, source, destination, partner))

    def _prepare_picking_vals(self, picking_type, source, destination, partner=None):
        case = self.return_id
        partner = partner or case.partner_id
        return {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "origin": case.name,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "company_id": case.company_id.id,
            "after_sales_return_id": case.id,
            "move_lines": [(0, 0, self._prepare_move_vals(picking_type, source, destination,
                                                          partner))],
        }

    def _type_label(self):
        labels = dict(self._fields["disposition_type"]._description_selection(self.env))
        return labels[self.disposition_type]

    def _prepare_move_vals(self, picking_type, source, destination, partner):
        case = self.return_id
        return {
            "name": "%s: %s" % (case.name, self._type_label()),
            "product_id": case.product_id.id,
            "product_uom_qty": self.quantity,
            "product_uom": case.product_id.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": partner.id,
            "picking_type_id": picking_type.id,
            "warehouse_id": case.warehouse_id.id,
            "origin": case.name,
            "company_id": case.company_id.id,
            "after_sales_return_id": case.id,
            "after_sales_disposition_id": self.id,
        }
