# -*- coding: utf-8 -*-
from odoo.tests.common import SavepointCase


class TestInstall(SavepointCase):
    """The addon installs with its application menu and its role groups."""

    def test_groups_and_hierarchy(self):
        ref = self.env.ref
        technician = ref("after_sales_service.group_technician")
        user = ref("after_sales_service.group_user")
        manager = ref("after_sales_service.group_manager")
        quality = ref("after_sales_service.group_quality")
        general_manager = ref("after_sales_service.group_general_manager")
        deputy = ref("after_sales_service.group_deputy_general_manager")
        purchasing = ref("after_sales_service.group_purchasing")
        self.assertIn(technician, user.implied_ids)
        self.assertIn(user, manager.implied_ids)
        self.assertIn(user, quality.implied_ids)
        self.assertIn(manager, deputy.implied_ids)
        self.assertIn(deputy, general_manager.implied_ids)
        self.assertIn(manager, general_manager.trans_implied_ids)
        # purchasing confirms material claims, it is no after-sales role
        self.assertNotIn(user, purchasing.trans_implied_ids)
        # a plain after-sales user does not get the approvers' groups
        demo = ref("base.user_demo")
        self.assertTrue(demo.has_group("after_sales_service.group_user"))
        self.assertTrue(demo.has_group("after_sales_service.group_technician"))
        self.assertFalse(demo.has_group("after_sales_service.group_manager"))
        self.assertFalse(demo.has_group("after_sales_service.group_general_manager"))

    def test_application_menu(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        menu = self.env.ref("after_sales_service.after_sales_root_menu")
        self.assertFalse(menu.parent_id)
        self.assertEqual(menu.with_context(lang="zh_CN").name, "售后服务")


    def test_after_sales_locations(self):
        warehouse = self.env.ref("stock.warehouse0")
        for field in ("after_sales_parts_location_id", "after_sales_old_parts_location_id",
                      "after_sales_quarantine_location_id", "after_sales_repair_location_id"):
            self.assertEqual(warehouse[field].usage, "internal", field)
            self.assertEqual(warehouse[field].location_id, warehouse.view_location_id)
        self.assertEqual(warehouse.after_sales_technician_location_id.usage, "view")
        user = self.env.ref("base.user_demo")
        van = warehouse.after_sales_technician_location(user)
        self.assertEqual(van.location_id, warehouse.after_sales_technician_location_id)
        self.assertEqual(warehouse.after_sales_technician_location(user), van)
        new = self.env["stock.warehouse"].create({"name": "Shenzhen", "code": "SZ"})
        self.assertTrue(new.after_sales_quarantine_location_id)
