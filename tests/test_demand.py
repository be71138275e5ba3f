# -*- coding: utf-8 -*-
from odoo.exceptions import AccessError, UserError

from .common import AfterSalesCase


class TestDemand(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestDemand, cls).setUpClass()
        cls.Demand = cls.env["after_sales.demand"]
        cls.Visit = cls.env["after_sales.visit"]
        cls.user_sales = cls._create_user("as_sales", [])  # an employee of the sales centre
        cls.other_customer = cls.env["res.partner"].create({"name": "苏州某酒店", "customer": True})
        # the heater with serial EH60-D-0001 was delivered to the customer
        warehouse = cls.env.ref("stock.warehouse0")
        cls.lot = cls.env["stock.production.lot"].create({"name": "EH60-D-0001",
                                                          "product_id": cls.product.id})
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id,
                                                          1.0, lot_id=cls.lot)
        customers = cls.env.ref("stock.stock_location_customers")
        cls.delivery = cls.env["stock.picking"].create({
            "picking_type_id": warehouse.out_type_id.id, "partner_id": cls.customer.id,
            "location_id": warehouse.lot_stock_id.id, "location_dest_id": customers.id,
            "move_lines": [(0, 0, {
                "name": cls.product.name, "product_id": cls.product.id,
                "product_uom": cls.product.uom_id.id, "product_uom_qty": 1.0,
                "location_id": warehouse.lot_stock_id.id, "location_dest_id": customers.id})],
        })
        cls.delivery.action_confirm()
        cls.delivery.action_assign()
        cls.delivery.move_line_ids.write({"qty_done": 1.0})
        cls.delivery.action_done()
        cls.env["after_sales.technician.qualification"].create({
            "user_id": cls.user_technician.id,
            "type_id": cls.env.ref("after_sales_service.qualification_heater_installation").id,
            "date_obtained": "2025-01-01", "date_expiry": "2030-12-31"})
        cls.never_delivered = cls.env["product.product"].create({
            "name": "空气能热泵 HP-3", "type": "product"})

    def _demand(self, user=None, **vals):
        values = {"partner_id": self.customer.id, "product_id": self.product.id,
                  "serial": "EH60-D-0001", "purpose": "installation",
                  "date_desired": "2026-12-02", "site_address": "浦东新区张江路 1 号 3 号楼",
                  "contact_name": "王工", "description": "新食堂安装两台热水器, 需调试"}
        values.update(vals)
        return self.Demand.sudo(user or self.user_sales).create(values)

    def test_demand_to_visit_with_fields_copied(self):
        self.assertEqual(self.delivery.state, "done")
        to_plan = self.env["after_sales.dashboard"].sudo(self.user_as).create({})
        before = to_plan.demand_to_plan_count
        demand = self._demand()
        self.assertTrue(demand.name.startswith("XQ"))
        self.assertEqual((demand.state, demand.user_id), ("draft", self.user_sales))
        demand.action_submit()
        self.assertEqual(demand.state, "submitted")
        to_plan.invalidate_cache()
        self.assertEqual(to_plan.demand_to_plan_count, before + 1)  # on the department's dashboard
        found = demand.sudo()
        self.assertEqual((found.picking_id, found.lot_id), (self.delivery, self.lot))
        self.assertEqual(found.date_delivered, self.delivery.date_done[:10])
        self.assertTrue(found.in_warranty)  # delivered now, 12 months of warranty
        # sales do not plan visits
        with self.assertRaises(AccessError):
            demand.action_create_visit()
        with self.assertRaises(AccessError):
            demand.action_refuse(reason="no")
        with self.assertRaisesRegex(UserError, "draft"):
            demand.unlink()
        action = demand.sudo(self.user_as).action_create_visit()
        visit = self.Visit.browse(action["res_id"])
        self.assertEqual((demand.state, demand.visit_id), ("planned", visit))
        self.assertEqual(visit.demand_id, demand)
        self.assertEqual(visit.state, "draft")  # the general manager approves it as usual
        self.assertEqual((visit.partner_id, visit.purpose, visit.product_ids),
                         (self.customer, "installation", self.product))
        self.assertEqual(visit.site_address, "浦东新区张江路 1 号 3 号楼")
        self.assertEqual(visit.date_planned, "2026-12-02 09:00:00")
        self.assertTrue(visit.in_warranty)
        self.assertEqual(visit.create_uid, self.user_as)
        # the technician sent sees the sales requirement on the visit
        visit.sudo(self.user_as).technician_ids = [(6, 0, self.user_technician.ids)]
        as_technician = visit.sudo(self.user_technician)
        self.assertEqual(as_technician.demand_description, "新食堂安装两台热水器, 需调试")
        self.assertEqual(as_technician.demand_user_id, self.user_sales)
        self.assertEqual(as_technician.read(["demand_id"])[0]["demand_id"][1], demand.name)
        # planned once
        with self.assertRaises(UserError):
            demand.sudo(self.user_as).action_create_visit()

    def test_product_not_delivered_to_the_customer_refused(self):
        never = self._demand(product_id=self.never_delivered.id, serial=False)
        with self.assertRaisesRegex(UserError, "was not delivered"):
            never.action_submit()
        self.assertEqual(never.state, "draft")
        elsewhere = self._demand(partner_id=self.other_customer.id)
        with self.assertRaisesRegex(UserError, "was not delivered"):
            elsewhere.action_submit()
        unknown = self._demand(serial="EH60-XXXX")
        with self.assertRaisesRegex(UserError, "unknown"):
            unknown.action_submit()
        # checked again when the visit is created
        demand = self._demand()
        demand.action_submit()
        demand.sudo().write({"partner_id": self.other_customer.id})
        with self.assertRaisesRegex(UserError, "was not delivered"):
            demand.sudo(self.user_as).action_create_visit()
        self.assertEqual(demand.state, "submitted")
        self.assertFalse(self.Visit.search([("demand_id", "=", demand.id)]))

    def test_installed_product_registered_by_hand_counts_as_delivered(self):
        card = self.env["after_sales.warranty.card"].create({
            "partner_id": self.other_customer.id, "product_id": self.never_delivered.id,
            "date_delivered": "2024-05-01", "after_sales_warranty_months": 12})
        demand = self._demand(partner_id=self.other_customer.id,
                              product_id=self.never_delivered.id, serial=False, purpose="repair")
        demand.action_submit()
        self.assertEqual(demand.sudo().warranty_card_id, card)
        self.assertFalse(demand.in_warranty)  # ended in 2025
        visit = self.Visit.browse(demand.sudo(self.user_as).action_create_visit()["res_id"])
        self.assertFalse(visit.in_warranty)
        self.assertEqual(visit.purpose, "repair")

    def test_refusal_and_visibility(self):
        demand = self._demand()
        demand.action_submit()
        with self.assertRaisesRegex(UserError, "reason"):
            demand.sudo(self.user_as).action_refuse(reason="")
        demand.sudo(self.user_as).action_refuse(reason="产品已由经销商安装")
        self.assertEqual((demand.state, demand.refuse_reason), ("refused", "产品已由经销商安装"))
        with self.assertRaises(UserError):
            demand.sudo(self.user_as).action_create_visit()
        # requesters see theirs, the department all
        other_sales = self._create_user("as_sales_2", [])
        self.assertFalse(self.Demand.sudo(other_sales).search([("id", "=", demand.id)]))
        self.assertEqual(self.Demand.sudo(self.user_as).search([("id", "=", demand.id)]), demand)
        self.assertEqual(self.Demand.sudo(self.user_sales).search([("id", "=", demand.id)]),
                         demand)
        # sales reach the form from the After-Sales menu, not the department's documents
        visible = self.env["ir.ui.menu"].sudo(self.user_sales)._visible_menu_ids()
        self.assertIn(self.env.ref("after_sales_service.demand_menu").id, visible)
        self.assertIn(self.env.ref("after_sales_service.after_sales_root_menu").id, visible)
        self.assertNotIn(self.env.ref("after_sales_service.visit_menu").id, visible)
        self.assertNotIn(self.env.ref("after_sales_service.request_menu").id, visible)
