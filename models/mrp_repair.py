# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .document_mixin import is_action_write

# what the request's actions decide on a depot repair (送修): a direct write changing them
# (a form, an RPC client) is refused
REQUEST_OWNED_FIELDS = ("after_sales_request_id", "after_sales_in_warranty", "product_id",
                        "lot_id", "partner_id", "location_id", "location_dest_id",
                        "invoice_method", "company_id")


class MrpRepair(models.Model):
    """A depot repair (送修/返修) of a service request is an Odoo repair order: the customer's
    unit, received by a real receipt into the warehouse's depot repair location, repaired
    there (parts added from the parts store, removed parts to the old-parts store), invoiced
    after the repair out of warranty, free in warranty with its parts booked as warranty
    cost, then shipped back by a delivery (see after_sales.request)."""

    _inherit = "mrp.repair"

    after_sales_request_id = fields.Many2one("after_sales.request", "Service Request",
                                             index=True, readonly=True, copy=False)
    after_sales_in_warranty = fields.Boolean(
        "Free in Warranty", readonly=True, copy=False,
        help="The warranty decision of the request when the unit was sent in: no invoice, "
             "the parts are booked as warranty cost.")
    after_sales_warranty_move_id = fields.Many2one("account.move", "Warranty Cost Entry",
                                                   readonly=True, copy=False)

    @api.model
    def create(self, vals):
        if vals.get("after_sales_request_id") and not is_action_write(self.env):
            raise AccessError(_("A depot repair is created from its service request (Send In "
                                "for Repair)."))
        return super(MrpRepair, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_request_fields(vals)
        return super(MrpRepair, self).write(vals)

    def _check_request_fields(self, vals):
        """The unit, its customer, locations and the warranty decision of a depot repair are
        its request's: unchanged values pass (forms send every field)."""
        if is_action_write(self.env):
            return True
        for repair in self:
            if not repair.after_sales_request_id and "after_sales_request_id" not in vals:
                continue
            for name in REQUEST_OWNED_FIELDS:
                if name not in vals:
                    continue
                current = repair[name]
                current = current.id if isinstance(current, models.BaseModel) else current
                if (vals[name] or False) != (current or False):
                    raise AccessError(_("%s of a depot repair is decided by its service "
                                        "request and can't be written directly.")
                                      % self._fields[name].get_description(self.env)["string"])
        return True

    def _after_sales_warehouse(self):
        """The warehouse whose depot location the unit is in."""
        self.ensure_one()
        return self.env["stock.warehouse"].sudo().search(
            [("after_sales_depot_location_id", "=", self.location_id.id)], limit=1) \
            or self.env["after_sales.document.mixin"]._default_warehouse(self.company_id)

    # ------------------------------------------------------------------ the repair steps

    @api.multi
    def action_repair_confirm(self):
        """A depot repair starts once the warehouse has received the unit."""
        waiting = self.filtered(lambda r: r.after_sales_request_id
                                and not r._after_sales_received())
        if waiting:
            raise UserError(_("The unit of %s has not been received yet: the warehouse "
                              "validates its receipt first.") % ", ".join(waiting.mapped("name")))
        return super(MrpRepair, self).action_repair_confirm()

    def _after_sales_received(self):
        self.ensure_one()
        receipts = self.env["stock.picking"].sudo().search([
            ("after_sales_repair_id", "=", self.id), ("after_sales_repair_role", "=", "in")])
        return bool(receipts) and all(p.state == "done" for p in receipts)

    @api.multi
    def action_repair_end(self):
        """The parts' moves and the unit's are made on behalf of the process (the service
        centre has no stock rights); in warranty the parts used are booked as warranty cost."""
        depot = self.filtered("after_sales_request_id")
        if depot:
            self._check_after_sales_user()
            super(MrpRepair, depot.sudo()).action_repair_end()
            for repair in depot.sudo().filtered("after_sales_in_warranty"):
                repair._book_after_sales_warranty_cost()
            depot.mapped("after_sales_request_id").sudo().message_post(
                body=_("Repaired: %s") % ", ".join(depot.mapped("name")),
                subtype="mail.mt_note")
        others = self - depot
        if others:
            super(MrpRepair, others).action_repair_end()
        return True

    @api.multi
    def action_repair_invoice_create(self):
        """Out of warranty the customer's invoice is drafted on behalf of the process, linked
        to the request; finance validates it."""
        depot = self.filtered("after_sales_request_id")
        free = depot.filtered("after_sales_in_warranty")
        if free:
            raise UserError(_("%s is repaired free in warranty: nothing is invoiced.")
                            % ", ".join(free.mapped("name")))
        if depot:
            self._check_after_sales_user()
            super(MrpRepair, depot.sudo()).action_repair_invoice_create()
            for repair in depot.sudo():
                repair.invoice_id.write({
                    "after_sales_request_id": repair.after_sales_request_id.id})
        others = self - depot
        if others:
            super(MrpRepair, others).action_repair_invoice_create()
        return True

    def _check_after_sales_user(self):
        if not (self.env.user.has_group("after_sales_service.group_user")
                or self.env.user.has_group("stock.group_stock_user")):
            raise AccessError(_("Only the service centre repairs the units sent in."))

    # ------------------------------------------------------------------ warranty cost

    def _after_sales_part_moves(self):
        """The done moves of the parts added (to the consumption location)."""
        return self.operations.filtered(lambda l: l.type == "add").mapped("move_id").filtered(
            lambda m: m.state == "done" and m.product_id.type == "product")

    def _prepare_after_sales_warranty_move_vals(self):
        """Journal entry of the parts used free in warranty: debit the company's warranty
        expense account, credit the account the cost leaves (the stock output account of a
        product valued in real time, which its consumption already debited, else its expense
        account), at the moves' cost (their valuation, else quantity x cost)."""
        self.ensure_one()
        company = self.company_id
        expense = company.after_sales_warranty_account_id
        lines = []
        for move in self._after_sales_part_moves():
            cost = company.currency_id.round(
                -move.value if move.value else move.product_qty * move.product_id.standard_price)
            if company.currency_id.is_zero(cost):
                continue
            common = {"name": "%s - %s" % (self.name, move.product_id.display_name),
                      "product_id": move.product_id.id, "quantity": move.product_qty,
                      "product_uom_id": move.product_id.uom_id.id,
                      "partner_id": self.partner_id.id}
            lines.append((0, 0, dict(common, account_id=expense.id, debit=cost, credit=0.0,
                                     after_sales_warranty_cost=True)))
            lines.append((0, 0, dict(common, account_id=self._after_sales_credit_account(
                move.product_id).id, debit=0.0, credit=cost)))
        if not lines:
            return None
        return {
            "journal_id": company._after_sales_warranty_journal().id,
            "date": fields.Date.context_today(self),
            "ref": "%s - %s" % (self.after_sales_request_id.name, self.name),
            "company_id": company.id,
            "after_sales_repair_id": self.id,
            "line_ids": lines,
        }

    def _after_sales_credit_account(self, product):
        return self.company_id.after_sales_warranty_credit_account(product)

    def _book_after_sales_warranty_cost(self):
        self.ensure_one()
        vals = self._prepare_after_sales_warranty_move_vals()
        if not vals:
            return self.env["account.move"]
        move = self.env["account.move"].create(vals)
        move.post()
        self.write({"after_sales_warranty_move_id": move.id})
        self.message_post(body=_("Warranty cost of the parts booked: %s") % move.name,
                          subtype="mail.mt_note")
        return move


class MrpRepairLine(models.Model):
    """The parts of a depot repair move between the warehouse's own locations only: added
    from its parts store into consumption, removed (the old part) into its old-parts store
    or scrapped."""

    _inherit = "mrp.repair.line"

    @api.onchange("type", "repair_id")
    def onchange_operation_type(self):
        result = super(MrpRepairLine, self).onchange_operation_type()
        warehouse = self.repair_id.after_sales_request_id and self.repair_id._after_sales_warehouse()
        if warehouse and self.type:
            self.update(self._after_sales_locations(warehouse, self.type))
        return result

    @api.model
    def _after_sales_locations(self, warehouse, line_type):
        production = self.env["stock.location"].search(
            [("usage", "=", "production"), "|", ("company_id", "=", warehouse.company_id.id),
             ("company_id", "=", False)], limit=1)
        if line_type == "add":
            return {"location_id": warehouse.after_sales_parts_location_id,
                    "location_dest_id": production}
        return {"location_id": production,
                "location_dest_id": warehouse.after_sales_old_parts_location_id}

    @api.constrains("location_id", "location_dest_id", "type", "repair_id")
    def _check_after_sales_locations(self):
        for line in self.filtered("repair_id.after_sales_request_id"):
            warehouse = line.repair_id._after_sales_warehouse()
            if line.type == "add":
                allowed = (line.location_id == warehouse.after_sales_parts_location_id
                           or line.location_id == warehouse.lot_stock_id) \
                    and line.location_dest_id.usage == "production"
            else:
                allowed = line.location_id.usage == "production" and (
                    line.location_dest_id == warehouse.after_sales_old_parts_location_id
                    or line.location_dest_id.scrap_location)
            if not allowed:
                raise ValidationError(_(
                    "Parts of depot repair %(repair)s are added from the parts store (or "
                    "stock) of %(warehouse)s and removed into its old-parts store or scrap: "
                    "%(source)s → %(destination)s is not allowed.") % {
                        "repair": line.repair_id.name, "warehouse": warehouse.name,
                        "source": line.location_id.display_name,
                        "destination": line.location_dest_id.display_name})
