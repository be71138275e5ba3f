# -*- coding: utf-8 -*-
from odoo import _, api, fields, models

# field -> (name, usage, barcode suffix): the after-sales areas of each warehouse
AFTER_SALES_LOCATIONS = [
    ("after_sales_parts_location_id", "After-Sales Parts Store", "internal", "ASP"),
    ("after_sales_old_parts_location_id", "Old Parts Store", "internal", "ASO"),
    ("after_sales_quarantine_location_id", "Pending Products (Quarantine)", "internal", "ASQ"),
    ("after_sales_repair_location_id", "Repair Area", "internal", "ASR"),
    ("after_sales_technician_location_id", "Technicians' Stock", "view", "AST"),
]


class StockWarehouse(models.Model):
    """Each warehouse gets the locations the after-sales process moves goods between:
    the parts store (新件库) parts are issued from, the old-parts store (旧件库), the
    pending/quarantine area (待处理产品) for returned goods, the repair area, and a parent
    for the technicians' van stocks."""

    _inherit = "stock.warehouse"

    after_sales_parts_location_id = fields.Many2one("stock.location", "After-Sales Parts Store",
                                           domain=[("usage", "=", "internal")])
    after_sales_old_parts_location_id = fields.Many2one("stock.location", "Old Parts Store",
                                               domain=[("usage", "=", "internal")])
    after_sales_quarantine_location_id = fields.Many2one("stock.location", "Pending Products",
                                                domain=[("usage", "=", "internal")])
    after_sales_repair_location_id = fields.Many2one("stock.location", "Repair Area",
                                            domain=[("usage", "=", "internal")])
    after_sales_technician_location_id = fields.Many2one("stock.location", "Technicians' Stock",
                                                domain=[("usage", "=", "view")])
    after_sales_parts_type_id = fields.Many2one(
        "stock.picking.type", "After-Sales Parts Operation",
        help="Outgoing operation type of the parts sent to customers from the after-sales parts "
             "store, with its own sequence (WH/ASP/00001).")

    @api.model
    def create(self, vals):
        warehouse = super(StockWarehouse, self).create(vals)
        warehouse._create_after_sales_locations()
        warehouse._create_after_sales_parts_type()
        return warehouse

    @api.multi
    def _create_after_sales_locations(self):
        """Create the missing after-sales locations under each warehouse's view location."""
        Location = self.env["stock.location"]
        for warehouse in self:
            values = {}
            for field, name, usage, suffix in AFTER_SALES_LOCATIONS:
                if warehouse[field]:
                    continue
                values[field] = Location.create({
                    "name": _(name), "usage": usage,
                    "location_id": warehouse.view_location_id.id,
                    "company_id": warehouse.company_id.id,
                    "barcode": "%s-%s" % (warehouse.code, suffix),
                }).id
            if values:
                warehouse.write(values)
        return True

    @api.model
    def _init_after_sales_warehouses(self):
        """At install: every existing warehouse gets its after-sales locations and parts
        operation type (new ones get them when they are created)."""
        warehouses = self.with_context(active_test=False).search(
            ["|", ("after_sales_parts_location_id", "=", False),
             ("after_sales_parts_type_id", "=", False)])
        warehouses._create_after_sales_locations()
        warehouses._create_after_sales_parts_type()

    @api.multi
    def after_sales_technician_location(self, user):
        """The stock location of a technician (or their van), created on first use."""
        self.ensure_one()
        Location = self.env["stock.location"].sudo()
        parent = self.after_sales_technician_location_id
        location = Location.search([("location_id", "=", parent.id),
                                    ("after_sales_technician_id", "=", user.id)], limit=1)
        if not location:
            location = Location.create({
                "name": user.name, "usage": "internal", "location_id": parent.id,
                "company_id": self.company_id.id, "after_sales_technician_id": user.id})
        return location.sudo(self.env.uid)

    # ------------------------------------------------------------------ service stations

    after_sales_station_location_id = fields.Many2one(
        "stock.location", "Service Stations", domain=[("usage", "=", "view")],
        help="The parent of the stock locations of the service stations (created on first "
             "use).")

    @api.multi
    def after_sales_station_location(self, station):
        """The stock location of a service station's parts (our goods it keeps), under the
        warehouse's Service Stations location; both created on first use."""
        self.ensure_one()
        Location = self.env["stock.location"].sudo()
        parent = self.after_sales_station_location_id
        if not parent:
            parent = Location.create({
                "name": _("Service Stations"), "usage": "view",
                "location_id": self.view_location_id.id, "company_id": self.company_id.id,
                "barcode": "%s-ASS" % self.code})
            self.sudo().after_sales_station_location_id = parent
        location = Location.search([("location_id", "=", parent.id),
                                    ("after_sales_station_id", "=", station.id)], limit=1)
        if not location:
            location = Location.create({
                "name": station.name, "usage": "internal", "location_id": parent.id,
                "company_id": self.company_id.id, "after_sales_station_id": station.id})
        return location.sudo(self.env.uid)

    @api.multi
    def _create_after_sales_parts_type(self):
        customers = self.env.ref("stock.stock_location_customers")
        for warehouse in self.filtered(lambda w: not w.after_sales_parts_type_id):
            if not warehouse.after_sales_parts_location_id:
                warehouse._create_after_sales_locations()
            sequence = self.env["ir.sequence"].sudo().create({
                "name": "%s %s" % (warehouse.name, _("Sequence after-sales parts")),
                "prefix": warehouse.code + "/ASP/", "padding": 5,
                "company_id": warehouse.company_id.id,
            })
            warehouse.after_sales_parts_type_id = self.env["stock.picking.type"].create({
                "name": _("After-Sales Parts"), "code": "outgoing", "sequence": 90,
                "warehouse_id": warehouse.id, "sequence_id": sequence.id,
                "default_location_src_id": warehouse.after_sales_parts_location_id.id,
                "default_location_dest_id": customers.id,
                "return_picking_type_id": warehouse.in_type_id.id,
                "use_create_lots": False, "use_existing_lots": True,
            })
        return True

    # ------------------------------------------------------------------ depot repair (送修)
    after_sales_depot_location_id = fields.Many2one(
        "stock.location", "Customer Units in Repair", domain=[("usage", "=", "internal")],
        help="Where the customers' units sent in for repair (送修/返修) are kept while they are "
             "repaired, apart from our own stock; created on first use.")

    @api.multi
    def _after_sales_depot_location(self):
        """The location of the customers' units in repair, created on first use under the
        warehouse's view location."""
        self.ensure_one()
        if not self.after_sales_depot_location_id:
            self.sudo().after_sales_depot_location_id = self.env["stock.location"].sudo().create({
                "name": _("Customer Units in Repair"), "usage": "internal",
                "location_id": self.view_location_id.id, "company_id": self.company_id.id,
                "barcode": "%s-ASD" % self.code,
            })
        return self.after_sales_depot_location_id
