# -*- coding: utf-8 -*-
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AfterSalesCase


class TestDepotRepair(AfterSalesCase):
    """送修/返修 (002-G §3.2-4.2): the customer's water heater (serial SN-DR-1) comes in by a
    receipt into the depot location of the main warehouse, is repaired by an Odoo repair
    order (a thermostat added from the parts store, the old one removed into the old-parts
    store, labour as a fee) and goes back by a delivery with its tracking number."""

    @classmethod
    def setUpClass(cls):
        super(TestDepotRepair, cls).setUpClass()
        cls.Quant = cls.env["stock.quant"]
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.parts_store = cls.warehouse.after_sales_parts_location_id
        cls.old_store = cls.warehouse.after_sales_old_parts_location_id
        cls.depot = cls.warehouse._after_sales_depot_location()
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.production = cls.env["stock.location"].search([("usage", "=", "production")],
                                                           limit=1)
        cls.thermostat = cls.env["product.product"].create({
            "name": "温控器 TS-9", "type": "product", "default_code": "TS-9",
            "standard_price": 80.0, "list_price": 150.0, "taxes_id": [(6, 0, [])]})
        cls.labour = cls.env["product.product"].create({
            "name": "维修工时", "type": "service", "list_price": 200.0,
            "taxes_id": [(6, 0, [])]})
        cls.Quant._update_available_quantity(cls.thermostat, cls.parts_store, 10.0)
        cls.warranty_account = cls.env["account.account"].create({
            "code": "669902", "name": "三包费用 (depot test)",
            "user_type_id": cls.env.ref("account.data_account_type_expenses").id})
        cls.company.after_sales_warranty_account_id = cls.warranty_account
        cls.lot = cls.env["stock.production.lot"].create({
            "name": "SN-DR-1", "product_id": cls.product.id})

    # ------------------------------------------------------------------ helpers

    def _request(self, in_warranty):
        days = 30 if in_warranty else 3 * 366
        request = self.env["after_sales.request"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "category": "repair", "channel": "hotline",
            "product_id": self.product.id, "lot_id": self.lot.id,
            "date_delivered": fields.Date.to_string(date.today() - timedelta(days=days)),
            "description": "不加热"})
        self.assertEqual(request.in_warranty, in_warranty)
        request.action_start()
        return request

    def _send(self, request):
        request.action_send_to_repair()
        repair = request.repair_id
        self.assertTrue(repair)
        return repair.sudo(self.user_as)

    def _validate(self, picking, tracking=None):
        picking = picking.sudo(self.user_stock)
        if picking.state != "assigned":
            picking.action_assign()
        self.assertEqual(picking.state, "assigned", picking.name)
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        if tracking:
            picking.carrier_tracking_ref = tracking
        picking.button_validate()
        self.assertEqual(picking.state, "done", picking.name)
        return picking

    def _add_parts(self, repair):
        """What the service centre's form sends: a part added, the old one removed, labour."""
        Line = self.env["mrp.repair.line"]
        add = Line._after_sales_locations(self.warehouse, "add")
        remove = Line._after_sales_locations(self.warehouse, "remove")
        repair.write({
            "operations": [
                (0, 0, {"type": "add", "product_id": self.thermostat.id, "name": "温控器",
                        "product_uom_qty": 1.0, "product_uom": self.thermostat.uom_id.id,
                        "price_unit": 150.0, "location_id": add["location_id"].id,
                        "location_dest_id": add["location_dest_id"].id, "lot_id": False,
                        "tax_id": [(6, 0, [])]}),
                (0, 0, {"type": "remove", "product_id": self.thermostat.id,
                        "name": "旧温控器", "product_uom_qty": 1.0,
                        "product_uom": self.thermostat.uom_id.id, "price_unit": 0.0,
                        "location_id": remove["location_id"].id,
                        "location_dest_id": remove["location_dest_id"].id, "lot_id": False,
                        "tax_id": [(6, 0, [])]})],
            "fees_lines": [(0, 0, {"name": "维修工时", "product_id": self.labour.id,
                                   "product_uom_qty": 1.0, "product_uom": self.labour.uom_id.id,
                                   "price_unit": 200.0, "tax_id": [(6, 0, [])]})],
        })

    def _repair(self, repair):
        repair.action_validate()
        self.assertEqual(repair.state, "confirmed")
        repair.action_repair_start()
        repair.action_repair_end()

    def _unit_at(self, location):
        """The serial unit's quantity in a location (qty_at counts quants without a lot)."""
        quants = self.Quant.sudo().search([("product_id", "=", self.product.id),
                                           ("location_id", "=", location.id),
                                           ("lot_id", "=", self.lot.id)])
        return sum(quants.mapped("quantity"))

    def _stock(self):
        return {"depot": self._unit_at(self.depot),
                "parts": self.qty_at(self.thermostat, self.parts_store),
                "old_parts": self.qty_at(self.thermostat, self.old_store)}

    # ------------------------------------------------------------------ the flow

    def test_in_warranty_repair_is_free_and_booked_as_warranty_cost(self):
        request = self._request(in_warranty=True)
        repair = self._send(request)
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.waiting_reason, "repair")
        self.assertEqual(repair.invoice_method, "none")
        self.assertTrue(repair.after_sales_in_warranty)
        self.assertEqual((repair.location_id, repair.lot_id, repair.partner_id),
                         (self.depot, self.lot, self.customer))
        self.assertEqual(request.repair_step, "to_receive")
        self.assertEqual(self._stock(), {"depot": 0.0, "parts": 10.0, "old_parts": 0.0})

        # the repair can't start before the unit is in, nor can the unit be shipped back
        self._add_parts(repair)
        with self.assertRaises(UserError):
            repair.action_repair_confirm()
        self.assertFalse(request.can_ship_repaired)
        with self.assertRaises(UserError):
            request.action_ship_repaired()
        # and the unit can't be sent in twice
        self.assertFalse(request.can_send_to_repair)
        with self.assertRaises(UserError):
            request.action_send_to_repair()

        receipt = request.repair_receipt_id
        self.assertEqual((receipt.picking_type_code, receipt.location_dest_id),
                         ("incoming", self.depot))
        self.assertEqual(receipt.move_line_ids.lot_id, self.lot)
        self._validate(receipt)
        request.invalidate_cache()
        self.assertEqual(request.repair_step, "received")
        self.assertEqual(self._stock(), {"depot": 1.0, "parts": 10.0, "old_parts": 0.0})

        self._repair(repair)
        self.assertEqual(repair.state, "done")
        request.invalidate_cache()
        self.assertEqual(request.repair_step, "repaired")
        # the part left the parts store, the old one came into the old-parts store, the unit
        # is still in the depot
        self.assertEqual(self._stock(), {"depot": 1.0, "parts": 9.0, "old_parts": 1.0})
        self.assertFalse(repair.sudo().invoice_id)
        self.assertFalse(self.env["account.invoice"].search(
            [("after_sales_request_id", "=", request.id)]))
        cost = self.env["account.move.line"].search(
            [("account_id", "=", self.warranty_account.id)])
        self.assertEqual((cost.debit, cost.credit), (80.0, 0.0))  # 1 thermostat x 80
        self.assertTrue(cost.after_sales_warranty_cost)
        self.assertEqual(cost.move_id.state, "posted")
        self.assertEqual(cost.move_id.after_sales_repair_id, repair)
        expense = self.thermostat.categ_id.property_account_expense_categ_id
        credit = cost.move_id.line_ids - cost
        self.assertEqual((credit.account_id, credit.credit), (expense, 80.0))

        self._ship_back(request)

    def test_out_of_warranty_repair_is_invoiced(self):
        request = self._request(in_warranty=False)
        repair = self._send(request)
        self.assertEqual(repair.invoice_method, "after_repair")
        self._add_parts(repair)
        self._validate(request.repair_receipt_id)
        self._repair(repair)
        self.assertEqual(repair.state, "2binvoiced")
        request.invalidate_cache()
        self.assertEqual(request.repair_step, "to_invoice")
        self.assertFalse(request.can_ship_repaired)
        repair.action_repair_invoice_create()
        self.assertEqual(repair.state, "done")
        invoice = repair.sudo().invoice_id
        self.assertEqual(invoice.type, "out_invoice")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.after_sales_request_id, request)
        self.assertEqual(sorted((line.product_id.name, line.quantity, line.price_unit)
                                for line in invoice.invoice_line_ids),
                         [("温控器 TS-9", 1.0, 150.0), ("维修工时", 1.0, 200.0)])
        self.assertEqual(invoice.amount_total, 350.0)
        self.assertFalse(self.env["account.move.line"].search(
            [("account_id", "=", self.warranty_account.id)]))
        # finance validates it: the request shows it invoiced
        invoice.sudo(self.user_finance).action_invoice_open()
        request.invalidate_cache()
        self.assertEqual(request.amount_invoiced, 350.0)
        self.assertEqual(request.repair_invoice_id, invoice)
        self._ship_back(request)

    def _ship_back(self, request):
        request.invalidate_cache()
        self.assertTrue(request.can_ship_repaired)
        request.action_ship_repaired()
        request.invalidate_cache()
        delivery = request.repair_delivery_id
        self.assertEqual(request.repair_step, "shipping")
        self.assertEqual((delivery.picking_type_code, delivery.location_id,
                          delivery.location_dest_id), ("outgoing", self.depot, self.customers))
        self.assertEqual(delivery.move_line_ids.lot_id, self.lot)
        with self.assertRaises(UserError):  # no tracking number
            self._validate(delivery)
        with self.assertRaises(UserError):  # shipped once only
            request.action_ship_repaired()
        self._validate(delivery, tracking="SF1234567890")
        request.invalidate_cache()
        self.assertEqual(request.repair_tracking_ref, "SF1234567890")
        self.assertEqual(request.repair_step, "returned")
        self.assertEqual(self._unit_at(self.depot), 0.0)
        self.assertEqual(request.repair_count, 1)
        action = request.action_view_repairs()
        self.assertEqual(action["res_id"], request.repair_id.id)
        # a later fault may send it in again
        self.assertTrue(request.can_send_to_repair)

    # ------------------------------------------------------------------ roles and input

    def test_roles_and_owned_fields(self):
        request = self._request(in_warranty=True)
        with self.assertRaises(AccessError):
            request.sudo(self.user_technician).action_send_to_repair()
        with self.assertRaises(AccessError):
            request.sudo(self.user_stock).action_send_to_repair()
        repair = self._send(request)
        # what the request decided is not written directly, whoever writes
        for vals in ({"invoice_method": "after_repair"}, {"after_sales_request_id": False},
                     {"after_sales_in_warranty": False}, {"location_id": self.parts_store.id},
                     {"lot_id": False}):
            with self.assertRaises(AccessError):
                repair.write(vals)
            with self.assertRaises(AccessError):
                repair.sudo(self.user_stock).write(vals)
        # the form sending the same values back passes
        repair.write({"invoice_method": "none", "location_id": self.depot.id,
                      "internal_notes": "检查温控器"})
        with self.assertRaises(AccessError):
            self.env["mrp.repair"].sudo(self.user_as).create({
                "product_id": self.product.id, "product_uom": self.product.uom_id.id,
                "location_id": self.depot.id, "location_dest_id": self.depot.id,
                "after_sales_request_id": request.id})
        # parts move between the warehouse's own stores only
        with self.assertRaises(ValidationError):
            repair.write({"operations": [(0, 0, {
                "type": "add", "product_id": self.thermostat.id, "name": "x",
                "product_uom_qty": 1.0, "product_uom": self.thermostat.uom_id.id,
                "price_unit": 0.0, "location_id": self.parts_store.id,
                "location_dest_id": self.customers.id})]})
        # the form offers the depot repair to the department only
        Request = self.env["after_sales.request"]
        self.assertIn("action_send_to_repair", Request.sudo(self.user_as).fields_view_get(
            view_type="form")["arch"])
        for user in (self.user_technician, self.user_station):
            arch = Request.sudo(user).fields_view_get(view_type="form")["arch"]
            self.assertNotIn('name="can_send_to_repair"', arch)  # its button is hidden
            self.assertNotIn('name="repair_step"', arch)
        self.assertIn("carrier_tracking_ref", self.env["stock.picking"].sudo(
            self.user_stock).fields_view_get(view_type="form")["arch"])
        # the technician and nobody can't read the repair orders
        with self.assertRaises(AccessError):
            repair.sudo(self.user_nobody).read(["name"])
        with self.assertRaises(AccessError):
            repair.sudo(self.user_technician).read(["name"])

    def test_bad_input(self):
        request = self.env["after_sales.request"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "product_id": self.product.id,
            "description": "无序列号"})
        with self.assertRaises(UserError):  # not started
            request.action_send_to_repair()
        request.action_start()
        with self.assertRaises(UserError):  # a serial product without its serial
            request.action_send_to_repair()
        self.assertFalse(self.env["mrp.repair"].search(
            [("after_sales_request_id", "=", request.id)]))

    def test_second_company_sees_nothing(self):
        company_b = self._create_second_company(prefix="dr")
        request = self._request(in_warranty=True)
        repair = self._send(request)
        self.assertFalse(self.env["mrp.repair"].sudo(self.dr_as_user).search(
            [("id", "=", repair.id)]))
        self.assertFalse(self.env["stock.picking"].sudo(self.dr_stock).search(
            [("after_sales_repair_id", "=", repair.id)]))
        self.assertNotEqual(company_b, repair.company_id)
