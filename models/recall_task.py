# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .document_mixin import TEXT_LENGTH, document_action, is_action_write

STATES = [
    ("to_contact", "To Contact"),
    ("retrieving", "Being Retrieved"),
    ("retrieved", "Retrieved"),
    ("replaced", "Unit Replaced"),
    ("unreachable", "Unreachable"),
]
ACTIONS = [("retrieve", "Retrieve"), ("replace", "Replace")]


class RecallTask(models.Model):
    """One customer and unit of a recall: the customer is contacted (each failed attempt
    counted, unreachable after the campaign's number of attempts), then the unit is
    retrieved into quarantine by a return case and its receipt, or retrieved and replaced
    by a delivery of a new one."""

    _name = "after_sales.recall.task"
    _description = "Recall Task"
    _inherit = ["mail.thread", "after_sales.document.mixin"]
    _order = "recall_id desc, id"
    _text_limits = {"result": TEXT_LENGTH}
    _owned_fields = ("state", "tries", "date_last_try", "return_id", "replacement_picking_id",
                     "recall_id", "partner_id", "lot_id", "quantity", "delivery_picking_id",
                     "warranty_card_id", "date_delivered", "date_contacted")

    recall_id = fields.Many2one("after_sales.recall", required=True, index=True,
                                ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="recall_id.company_id", store=True, readonly=True,
                                 index=True)
    product_id = fields.Many2one(related="recall_id.product_id", store=True, readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 readonly=True)
    phone = fields.Char(related="partner_id.phone", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Serial / Lot", readonly=True, index=True)
    quantity = fields.Float(readonly=True, default=1.0)
    delivery_picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    warranty_card_id = fields.Many2one("after_sales.warranty.card", "Installed Product",
                                       readonly=True)
    date_delivered = fields.Date("Delivered On", readonly=True)
    state = fields.Selection(STATES, default="to_contact", required=True, readonly=True,
                             index=True, track_visibility="onchange")
    action = fields.Selection(ACTIONS, default="retrieve", required=True,
                              track_visibility="onchange")
    tries = fields.Integer("Failed Attempts", readonly=True)
    max_tries = fields.Integer(related="recall_id.max_tries", readonly=True)
    date_last_try = fields.Datetime("Last Attempt", readonly=True)
    date_contacted = fields.Datetime("Reached On", readonly=True)
    result = fields.Text()
    return_id = fields.Many2one("after_sales.return", "Return Case", readonly=True)
    replacement_picking_id = fields.Many2one("stock.picking", "Replacement Delivery",
                                             readonly=True)

    @api.model
    def create(self, vals):
        if not is_action_write(self.env):
            raise AccessError(_("Recall tasks are created by their recall (Find Customers)."))
        return super(RecallTask, self).create(vals)

    @api.multi
    def name_get(self):
        return [(task.id, "%s - %s%s" % (task.recall_id.name, task.partner_id.display_name,
                                          task.lot_id and " (%s)" % task.lot_id.name or ""))
                for task in self]

    def _check_callable(self):
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department contacts the customers."))
        not_started = self.filtered(lambda t: t.recall_id.state != "in_progress")
        if not_started:
            raise UserError(_("The recall of %s is not in progress.")
                            % not_started[0].display_name)
        closed = self.filtered(lambda t: t.state != "to_contact")
        if closed:
            raise UserError(_("These tasks are not waiting for a contact: %s")
                            % ", ".join(closed.mapped("display_name")))

    @api.multi
    @document_action
    def action_log_failed_try(self, note=None):
        """A failed attempt to reach the customer: counted, and the customer is unreachable
        after the campaign's number of attempts."""
        self._check_callable()
        now = fields.Datetime.now()
        for task in self:
            tries = task.tries + 1
            vals = {"tries": tries, "date_last_try": now}
            if tries >= task.recall_id.max_tries:
                vals["state"] = "unreachable"
            task.write(vals)
            task.message_post(body=_("Attempt %(tries)s of %(max)s failed. %(note)s") % {
                "tries": tries, "max": task.recall_id.max_tries, "note": note or ""},
                              subtype="mail.mt_note")
        return True

    @api.multi
    @document_action
    def action_retrieve(self):
        """The customer was reached and sends the unit back: a return case is confirmed,
        whose receipt brings it into the pending products area (quarantine); a replacement is
        delivered from stock when the task replaces the unit."""
        self._check_callable()
        Return = self.env["after_sales.return"]
        for task in self:
            case = Return.create(task._prepare_return_vals())
            case.action_confirm()
            vals = {"state": "retrieving", "return_id": case.id,
                    "date_contacted": fields.Datetime.now()}
            if task.action == "replace":
                vals["replacement_picking_id"] = self._create_reserved_picking(
                    task._prepare_replacement_picking_vals()).id
            task.write(vals)
        return True

    def _prepare_return_vals(self):
        self.ensure_one()
        recall = self.recall_id
        return {
            "partner_id": self.partner_id.id, "product_id": self.product_id.id,
            "lot_id": self.lot_id.id, "product_qty": self.quantity, "cause": "defect",
            "picking_id": self.delivery_picking_id.id, "warehouse_id": recall.warehouse_id.id,
            "company_id": recall.company_id.id,
            "reason": _("Recall %(recall)s: %(reason)s") % {"recall": recall.name,
                                                           "reason": recall.reason},
        }

    def _prepare_replacement_picking_vals(self):
        self.ensure_one()
        recall = self.recall_id
        warehouse = recall.warehouse_id
        customer = self.partner_id.property_stock_customer or self.env.ref(
            "stock.stock_location_customers")
        move = {
            "name": "%s: %s" % (recall.name, self.product_id.display_name),
            "product_id": self.product_id.id, "product_uom_qty": self.quantity,
            "product_uom": self.product_id.uom_id.id,
            "location_id": warehouse.lot_stock_id.id, "location_dest_id": customer.id,
            "partner_id": self.partner_id.id, "picking_type_id": warehouse.out_type_id.id,
            "warehouse_id": warehouse.id, "origin": recall.name,
            "company_id": recall.company_id.id,
        }
        return {
            "picking_type_id": warehouse.out_type_id.id, "partner_id": self.partner_id.id,
            "origin": recall.name, "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customer.id, "company_id": recall.company_id.id,
            "after_sales_recall_task_id": self.id, "move_lines": [(0, 0, move)],
        }

    def _update_from_transfers(self):
        """Called when transfers are validated: a task whose unit is received (and, for a
        replacement, whose new unit is delivered) is retrieved (replaced)."""
        self.env["after_sales.return"].invalidate_cache(["qty_received"])
        for task in self.filtered(lambda t: t.state == "retrieving"):
            case = task.return_id
            received = case.qty_received >= task.quantity
            replaced = task.replacement_picking_id.state == "done"
            if received and (task.action == "retrieve" or replaced):
                state = "retrieved" if task.action == "retrieve" else "replaced"
                task._as_action().write({"state": state})
        return True
