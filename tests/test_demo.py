# -*- coding: utf-8 -*-
import re
import unittest

from odoo.tests.common import SavepointCase

from .common import AfterSalesCase

# login: (groups the user has, groups the user must not have, home action)
DEMO_USERS = {
    "clerk": (["after_sales_service.group_user"],
              ["after_sales_service.group_manager", "after_sales_service.group_quality"],
              "after_sales_service.dashboard_action"),
    "manager": (["after_sales_service.group_manager"],
                ["after_sales_service.group_general_manager"],
                "after_sales_service.dashboard_action"),
    "gm": (["after_sales_service.group_general_manager", "after_sales_service.group_quality"],
           [], "after_sales_service.dashboard_action"),
    "technician": (["after_sales_service.group_technician"],
                   ["after_sales_service.group_user"],
                   "after_sales_service.visit_action_technician"),
    "warehouse": (["stock.group_stock_user"], ["after_sales_service.group_technician"],
                  "stock.stock_picking_type_action"),
    "finance": (["account.group_account_invoice"], ["after_sales_service.group_technician"],
                "after_sales_service.dashboard_action"),
    "quality": (["after_sales_service.group_quality"], ["after_sales_service.group_manager"],
                "after_sales_service.dashboard_action"),
    "station": (["after_sales_service.group_service_station"],
                ["after_sales_service.group_technician"], "after_sales_service.dashboard_action"),
}


def one_line(text):
    """An address as the documents show it on one line: its parts separated by one space."""
    return " ".join(text.split())


class TestDemo(SavepointCase):
    """The demo company a new user meets: a Chinese manufacturer in yuan, its users per role in
    Chinese, its addresses readable (the test database has the demo data)."""

    @classmethod
    def setUpClass(cls):
        super(TestDemo, cls).setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "after_sales_service")])
        if not module.demo:
            raise unittest.SkipTest("the addon's demo data is not installed")
        cls.company = cls.env.ref("base.main_company")
        cls.cny = cls.env.ref("base.CNY")

    def test_company_is_a_chinese_manufacturer_in_yuan(self):
        company = self.company
        self.assertEqual(company.name, "华东精工机械有限公司")
        self.assertEqual(company.currency_id, self.cny)
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual((company.state_id.name, company.city, company.zip),
                         ("江苏省", "苏州市", "215021"))
        self.assertTrue(company.phone)
        self.assertEqual(company.partner_id.tz, "Asia/Shanghai")
        self.assertEqual(self.env.ref("stock.warehouse0").name, "苏州总仓")
        # what is sold, invoiced and booked is in yuan, the dependencies' demo entries included
        self.assertEqual(self.env.ref("product.list0").currency_id, self.cny)
        invoices = self.env["account.invoice"].search([("company_id", "=", company.id)])
        self.assertTrue(invoices)
        self.assertEqual(invoices.mapped("currency_id"), self.cny)
        lines = self.env["account.move.line"].search([("company_id", "=", company.id)])
        self.assertTrue(lines)
        self.assertEqual(lines.mapped("company_currency_id"), self.cny)
        self.assertFalse(lines.filtered("currency_id"))  # no foreign amount left behind
        # the addon's own demo documents too
        order = self.env.ref("after_sales_service.parts_order_1")
        self.assertEqual(order.currency_id, self.cny)
        self.assertEqual(order.invoice_ids.mapped("currency_id"), self.cny)

    def test_customers_are_chinese(self):
        for xmlid in ("partner_customer_pujiang", "partner_customer_xihu",
                      "partner_customer_jinling", "partner_customer_taihu", "partner_station"):
            partner = self.env.ref("after_sales_service." + xmlid)
            self.assertEqual(partner.country_id.code, "CN", xmlid)
            self.assertTrue(partner.state_id and partner.city and partner.street, xmlid)
            self.assertTrue(re.search(u"[\u4e00-\u9fff]", partner.name), xmlid)
            self.assertEqual((partner.lang, partner.tz), ("zh_CN", "Asia/Shanghai"), xmlid)
        request = self.env.ref("after_sales_service.request_1")
        self.assertEqual(request.partner_id,
                         self.env.ref("after_sales_service.partner_customer_pujiang"))
        # the code is shown before the name once: "[TS-2] Thermostat", not "... TS-2"
        part = self.env.ref("after_sales_service.product_thermostat")
        self.assertEqual(part.display_name.count("TS-2"), 1)

    def test_one_user_per_role_in_chinese(self):
        users = self.env["res.users"].search([("login", "in", list(DEMO_USERS))])
        self.assertEqual(sorted(users.mapped("login")), sorted(DEMO_USERS))
        for user in users:
            has, has_not, home = DEMO_USERS[user.login]
            self.assertEqual((user.lang, user.tz), ("zh_CN", "Asia/Shanghai"), user.login)
            self.assertEqual(user.company_id, self.company, user.login)
            self.assertEqual(user.action_id.id, self.env.ref(home).id, user.login)
            for group in has:
                self.assertTrue(user.has_group(group), "%s lacks %s" % (user.login, group))
            for group in has_not:
                self.assertFalse(user.has_group(group), "%s has %s" % (user.login, group))
            self.assertTrue(re.search(u"[\u4e00-\u9fff]", user.name), user.login)
        self.assertEqual(self.env["res.lang"].search([("code", "=", "zh_CN")]).code, "zh_CN")
        # the station's user sees the station's requests (the record rule's partner)
        station = users.filtered(lambda u: u.login == "station")
        self.assertEqual(station.partner_id.commercial_partner_id,
                         self.env.ref("after_sales_service.partner_station"))
        # the technician is qualified and has visits to open on
        technician = users.filtered(lambda u: u.login == "technician")
        visits = self.env["after_sales.visit"].sudo(technician).search(
            [("technician_ids", "in", technician.ids)])
        self.assertEqual(sorted(visits.mapped("state")), ["approved", "to_approve"])

    def test_passwords_are_the_logins(self):
        """As the README's "Demo logins" table says."""
        Users = self.env["res.users"]
        for login in DEMO_USERS:
            user = Users.search([("login", "=", login)])
            Users.sudo(user).check_credentials(login)  # raises AccessDenied otherwise

    def test_addresses_do_not_run_together(self):
        """国家 省 市, then the street, then the postcode: parts apart, on forms and on the
        one-line site address of documents."""
        china = self.env.ref("base.cn").name
        company = self.company.partner_id
        self.assertEqual(company._display_address(without_company=True).splitlines(),
                         ["%s 江苏省 苏州市" % china, "工业园区星湖街 328 号 ", "215021"])
        customer = self.env.ref("after_sales_service.partner_customer_pujiang")
        site = customer._after_sales_contact_vals()["site_address"]
        self.assertEqual(one_line(site), "%s 上海市 浦东新区 滨江大道 2088 号 200120" % china)
        # the printed outbound order: the company header and the recipient's address
        order = self.env.ref("after_sales_service.parts_order_1")
        html = self.env.ref("after_sales_service.parts_order_report").render_qweb_html(
            order.ids)[0].decode("utf-8")
        text = one_line(re.sub(r"<[^>]+>", " ", html))
        self.assertIn("%s 江苏省 苏州市 工业园区星湖街 328 号" % china, text)
        self.assertIn("%s 浙江省 杭州市 西湖区曙光路 120 号 310007" % china, text)
        self.assertNotIn("%s江苏省" % china, text)


class TestMenus(AfterSalesCase):
    """The application's menu: a few sections, each with its entries, each shown to the roles
    that work with it; no entry lost in the grouping."""

    # the sections in their order, each with its entries in theirs
    SECTIONS = [
        ("after_sales_requests_menu", ["request_menu", "demand_menu"]),
        ("after_sales_visits_menu", ["visit_technician_menu", "visit_menu", "visit_extension_menu",
                                     "visit_daily_report_menu", "visit_subsidy_menu",
                                     "expense_claim_menu", "expense_claim_purchasing_menu"]),
        ("after_sales_parts_menu", ["parts_order_menu", "old_part_menu"]),
        ("after_sales_callbacks_menu", ["callback_menu", "complaint_menu",
                                       "complaint_action_menu", "complaint_list_menu"]),
        ("after_sales_returns_menu", ["return_menu", "return_compensation_menu",
                                     "return_ledger_menu", "depot_repair_menu"]),
        ("after_sales_customer_menu", ["after_sales_customer_file_menu", "warranty_card_menu",
                                      "contract_menu"]),
        ("after_sales_network_menu", [
            "station_agreement_menu", "station_visit_menu", "station_parts_menu",
            "station_reconcile_menu", "station_settlement_menu", "station_settlement_wizard_menu",
            "station_inspection_menu", "station_assessment_menu", "training_plan_menu",
            "training_session_menu", "training_attendee_menu", "mentoring_menu",
            "staff_assessment_menu"]),
        ("after_sales_quality_menu", [
            "survey_plan_menu", "survey_plan_line_menu", "survey_invitation_menu",
            "survey_result_report_menu", "quality_audit_menu", "quality_audit_report_menu",
            "complaint_action_to_approve_menu",
            "recall_menu", "recall_task_menu"]),
        ("after_sales_reporting_menu", [
            "statistics_menu", "statistics_export_menu", "request_report_menu", "request_report_time_limits_menu",
            "visit_technician_report_menu", "visit_technician_report_station_menu",
            "parts_issue_report_menu", "satisfaction_report_menu", "complaint_analysis_menu",
            "complaint_report_menu", "complaint_action_report_menu", "return_report_menu",
            "return_report_warranty_menu", "money_report_menu"]),
        ("after_sales_config_menu", ["return_settings_menu", "sla_rule_menu",
                                    "complaint_rule_menu", "team_menu",
                                    "fee_standard_menu", "technician_qualification_menu",
                                    "qualification_type_menu", "callback_type_menu",
                                    "signature_step_menu"]),
    ]

    def ref(self, name):
        return self.env.ref("after_sales_service." + name)

    def visible(self, user):
        """The menus the web client shows the user: visible with all their parents."""
        Menu = self.env["ir.ui.menu"]
        Menu.clear_caches()
        ids = Menu.sudo(user)._visible_menu_ids()

        def shown(menu):
            return not menu or (menu.id in ids and shown(menu.parent_id))
        return Menu.browse(ids).filtered(shown)

    def children(self, menu):
        return menu.child_id.sorted(lambda m: (m.sequence, m.id)).ids

    def test_sections_and_their_entries(self):
        root = self.ref("after_sales_root_menu")
        self.assertEqual(self.children(root), [self.ref(name).id for name in (
            ["dashboard_menu"] + [section for section, _entries in self.SECTIONS])])
        for section, entries in self.SECTIONS:
            self.assertEqual(self.children(self.ref(section)),
                             [self.ref(name).id for name in entries], section)
        # every entry of the application is in one of the sections: none lost, none deeper
        entries = self.env["ir.ui.menu"].search([("id", "child_of", root.id),
                                                 ("action", "!=", False)])
        listed = sum([names for _section, names in self.SECTIONS], ["dashboard_menu"])
        self.assertEqual(sorted(entries.mapped(lambda m: m.get_external_id()[m.id])),
                         sorted("after_sales_service." + name for name in listed))
        self.assertLessEqual(max(len(e) for _section, e in self.SECTIONS), 14)

    def test_each_role_sees_its_sections(self):
        sections = {name: self.ref(name) for name, _entries in self.SECTIONS}
        expected = {
            self.user_as: {"after_sales_requests_menu", "after_sales_visits_menu",
                           "after_sales_parts_menu", "after_sales_callbacks_menu",
                           "after_sales_returns_menu", "after_sales_customer_menu",
                           "after_sales_network_menu", "after_sales_quality_menu",
                           "after_sales_reporting_menu"},
            self.user_manager: set(sections),
            self.user_technician: {"after_sales_requests_menu", "after_sales_visits_menu",
                                   "after_sales_parts_menu"},
            self.user_stock: {"after_sales_requests_menu", "after_sales_visits_menu",
                              "after_sales_parts_menu", "after_sales_returns_menu",
                              "after_sales_reporting_menu"},
            self.user_finance: {"after_sales_requests_menu", "after_sales_visits_menu",
                                "after_sales_customer_menu", "after_sales_reporting_menu"},
            self.user_station: {"after_sales_requests_menu", "after_sales_network_menu"},
            self.user_purchasing: {"after_sales_requests_menu", "after_sales_visits_menu"},
        }
        for user, names in expected.items():
            visible = self.visible(user)
            self.assertEqual({name for name, menu in sections.items() if menu in visible},
                             names, user.login)
        # entries within the sections
        cases = [
            (self.user_technician, ["visit_technician_menu", "visit_menu", "expense_claim_menu",
                                    "old_part_menu", "request_menu"],
             ["parts_order_menu", "callback_menu", "statistics_menu"]),
            (self.user_stock, ["visit_menu", "parts_order_menu", "old_part_menu", "return_menu",
                               "parts_issue_report_menu"],
             ["request_menu", "return_compensation_menu", "statistics_menu",
              "money_report_menu"]),
            (self.user_finance, ["expense_claim_menu", "contract_menu", "money_report_menu",
                                 "return_report_menu"],
             ["visit_menu", "request_menu", "after_sales_customer_file_menu"]),
            (self.user_as, ["request_menu", "callback_menu", "statistics_menu",
                            "training_plan_menu", "survey_plan_menu"],
             ["money_report_menu", "sla_rule_menu", "quality_audit_menu",
              "station_settlement_wizard_menu"]),
            (self.user_quality, ["complaint_menu", "complaint_action_report_menu",
                                 "quality_audit_menu", "recall_menu", "survey_plan_menu"],
             ["sla_rule_menu"]),
            (self.user_purchasing, ["expense_claim_purchasing_menu"],
             ["visit_menu", "request_menu", "expense_claim_menu"]),
            (self.user_manager, ["money_report_menu", "sla_rule_menu"], []),
            (self.user_station, ["request_menu", "demand_menu", "station_agreement_menu",
                                 "station_visit_menu", "station_settlement_menu"],
             ["visit_menu", "station_parts_menu", "station_reconcile_menu",
              "station_settlement_wizard_menu"]),
        ]
        for user, shown, hidden in cases:
            visible = self.visible(user)
            for name in shown:
                self.assertIn(self.ref(name), visible, "%s: %s" % (user.login, name))
            for name in hidden:
                self.assertNotIn(self.ref(name), visible, "%s: %s" % (user.login, name))
