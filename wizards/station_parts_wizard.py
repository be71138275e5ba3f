# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError

GROUP_USER = "after_sales_service.group_user"


class StationPartsWizard(models.TransientModel):
    """Issue parts to a service station's stock location, or take them back: a transfer
    between the after-sales parts store and the station's location, reserved now and
    validated by the warehouse."""

    _name = "after_sales.station.parts.wizard"
    _description = "Parts to or from a Service Station"

    station_id = fields.Many2one("res.partner", "Service Station", required=True,
                                 domain="[('after_sales_is_station', '=', True)]")
    direction = fields.Selection([("issue", "Issue to the Station"),
                                  ("return", "Return from the Station")],
                                 required=True, default="issue")
    line_ids = fields.One2many("after_sales.station.parts.wizard.line", "wizard_id", "Parts")

    @api.multi
    def action_confirm(self):
        picking = self._create_picking()
        self.station_id.sudo().message_post(body=_("Transfer %s created: the warehouse "
                                                   "validates it.") % picking.name,
                                            subtype="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}

    @api.multi
    def _create_picking(self):
        """The transfer of the wizard's parts (reserved; the warehouse validates it)."""
        self.ensure_one()
        Document = self.env["after_sales.document.mixin"]
        Document._check_group(GROUP_USER, _("Only the after-sales department issues parts to "
                                            "the service stations."))
        lines = self.line_ids.filtered(lambda l: l.quantity > 0)
        if not lines:
            raise UserError(_("Give the parts and their quantities."))
        warehouse = Document._default_warehouse().sudo()
        if not warehouse:
            raise UserError(_("The company has no warehouse."))
        station_location = warehouse.after_sales_station_location(self.station_id).sudo()
        store = warehouse.after_sales_parts_location_id
        source, destination = (store, station_location) if self.direction == "issue" \
            else (station_location, store)
        origin = _("%(station)s parts %(direction)s") % {
            "station": self.station_id.name,
            "direction": dict(self._fields["direction"]._description_selection(self.env))[
                self.direction]}
        picking = Document._create_reserved_picking({
            "picking_type_id": warehouse.int_type_id.id, "partner_id": self.station_id.id,
            "location_id": source.id, "location_dest_id": destination.id,
            "origin": origin, "after_sales_station_id": self.station_id.id,
            "move_lines": [(0, 0, {
                "name": line.product_id.display_name, "product_id": line.product_id.id,
                "product_uom": line.product_id.uom_id.id, "product_uom_qty": line.quantity,
                "location_id": source.id, "location_dest_id": destination.id,
            }) for line in lines],
        })
        return picking


class StationPartsWizardLine(models.TransientModel):
    _name = "after_sales.station.parts.wizard.line"
    _description = "Part to or from a Service Station"

    wizard_id = fields.Many2one("after_sales.station.parts.wizard", required=True,
                                ondelete="cascade")
    product_id = fields.Many2one("product.product", "Part", required=True,
                                 domain=[("type", "=", "product")])
    quantity = fields.Float(required=True, default=1.0)

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise UserError(_("The quantity of %s must be positive.")
                                % line.product_id.display_name)
