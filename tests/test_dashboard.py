# -*- coding: utf-8 -*-
import base64
from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError

from .common import AfterSalesCase

APPROVALS = ("visit_gm_count", "parts_order_manager_count", "expense_manager_count",
             "expense_finance_count", "expense_gm_count", "compensation_quality_count",
             "compensation_gm_count", "compensation_finance_count", "disposition_quality_count",
             "exchange_gm_count")
# what each approver's dashboard shows of the approvals (the general manager's groups imply
# the manager's and quality's)
SEEN_BY = {
    "user_manager": ("parts_order_manager_count", "expense_manager_count"),
    "user_quality": ("compensation_quality_count", "disposition_quality_count"),
    "user_finance": ("expense_finance_count", "compensation_finance_count"),
    "user_gm": ("visit_gm_count", "parts_order_manager_count", "expense_manager_count",
                "expense_gm_count", "compensation_quality_count", "compensation_gm_count",
                "disposition_quality_count", "exchange_gm_count"),
}


class TestDashboard(AfterSalesCase):
    """The figures of the dashboard on known data, counted as each user sees them (the tests
    compare with the figures before the data: the demo data is there too)."""

    @classmethod
    def setUpClass(cls):
        super(TestDashboard, cls).setUpClass()
        cls.Dashboard = cls.env["after_sales.dashboard"]
        cls.Request = cls.env["after_sales.request"]
        cls.Callback = cls.env["after_sales.callback"]
        for qualification in cls.env["after_sales.qualification.type"].search(
                ["|", ("purpose", "=", "repair"), ("purpose", "=", False)]):
            cls.env["after_sales.technician.qualification"].create({
                "user_id": cls.user_technician.id, "type_id": qualification.id,
                "date_obtained": "2025-01-01", "date_expiry": "2035-12-31"})
        cls.receipt = cls.env["ir.attachment"].create({
            "name": "receipt.txt", "datas": base64.b64encode(b"taxi 85"),
            "datas_fname": "receipt.txt"})
        cls.part = cls.env["product.product"].create({
            "name": "温控器 TS-5", "type": "product", "standard_price": 60.0})

    def figures(self, user, names=None):
        """The dashboard as the user opens it: their own transient record, read as them."""
        dashboard = self.Dashboard.sudo(user).create({})
        names = names or [name for name in SEEN_BY.get(self._user_key(user), ())]
        return dashboard.read(names)[0]

    def _user_key(self, user):
        return [key for key in SEEN_BY if getattr(self, key) == user][0]

    def _request(self, user=None, **vals):
        values = {"partner_id": self.customer.id, "channel": "hotline", "category": "repair",
                  "product_id": self.product.id, "description": "不加热"}
        values.update(vals)
        return self.Request.sudo(user or self.user_as).create(values)

    def _claim(self):
        day = fields.Date.to_string(date.today() - timedelta(days=1))
        claim = self.env["after_sales.expense.claim"].sudo(self.user_technician).create({
            "line_ids": [(0, 0, {"date": day, "expense_type": "travel", "name": "出租车",
                                 "amount": 85.0, "attachment_ids": [(6, 0, self.receipt.ids)]})]})
        claim.action_submit()
        return claim

    def _case(self, **vals):
        values = {"partner_id": self.customer.id, "has_goods": False, "cause": "transport",
                  "reason": "运输破损"}
        values.update(vals)
        case = self.env["after_sales.return"].sudo(self.user_as).create(values)
        case.action_confirm()
        return case

    # ------------------------------------------------------------------ today

    def test_late_requests_and_overdue_callbacks(self):
        names = ["late_request_count", "dispatch_request_count", "overdue_callback_count"]
        before = self.figures(self.user_as, names)
        technician_before = self.figures(self.user_technician, ["late_request_count"])
        ten_days_ago = fields.Datetime.to_string(datetime.now() - timedelta(days=10))
        late = self._request(date_received=ten_days_ago)
        late_technician = self._request(date_received=ten_days_ago,
                                        user_id=self.user_technician.id)
        on_time = self._request()
        resolved = self._request(date_received=ten_days_ago)
        resolved.action_start()
        resolved.write({"fault_found": "线路松动", "method_used": "紧固接线"})
        resolved.action_resolve()
        station_partner = self.env["res.partner"].create({
            "name": "萧山特约维修点", "is_company": True, "after_sales_is_station": True})
        self.user_station.partner_id.parent_id = station_partner
        dispatch = self._request(user=self.user_station)
        self.assertTrue(dispatch.needs_dispatch)
        yesterday = fields.Datetime.to_string(datetime.now() - timedelta(days=1))
        tomorrow = fields.Datetime.to_string(datetime.now() + timedelta(days=1))
        overdue = self.Callback.create({
            "type_id": self.env.ref("after_sales_service.callback_type_usage").id,
            "partner_id": self.customer.id, "date_due": yesterday})
        self.Callback.create({
            "type_id": self.env.ref("after_sales_service.callback_type_usage").id,
            "partner_id": self.customer.id, "date_due": tomorrow})

        after = self.figures(self.user_as, names)
        self.assertEqual(after["late_request_count"] - before["late_request_count"], 2)
        self.assertEqual(after["dispatch_request_count"] - before["dispatch_request_count"], 1)
        self.assertEqual(after["overdue_callback_count"] - before["overdue_callback_count"], 1)
        # the technician counts the late requests they work on
        self.assertEqual(
            self.figures(self.user_technician, ["late_request_count"])["late_request_count"],
            technician_before["late_request_count"] + 1)

        # each tile opens the list of what it counts, a list first
        dashboard = self.Dashboard.sudo(self.user_as).create({})
        for tile, records, others in (("late_request", late | late_technician,
                                       on_time | resolved | dispatch),
                                      ("dispatch_request", dispatch, late | on_time),
                                      ("overdue_callback", overdue, self.Callback)):
            action = dashboard.with_context(tile=tile).action_open_tile()
            found = self.env[action["res_model"]].sudo(self.user_as).search(action["domain"])
            self.assertEqual(len(found), after[tile + "_count"], tile)
            self.assertEqual(found & records, records, tile)
            self.assertFalse(found & others, tile)
            self.assertEqual(action["views"][0][1], "tree")
            self.assertEqual(action["context"], {})

    # ------------------------------------------------------------------ approvals

    def test_approvals_waiting_for_each_approver(self):
        approvers = [self.user_manager, self.user_quality, self.user_finance, self.user_gm]
        before = {user: self.figures(user) for user in approvers}

        visit = self.env["after_sales.visit"].sudo(self.user_as).create({
            "request_id": self._request().id, "partner_id": self.customer.id,
            "purpose": "repair", "date_planned": "2026-11-20 09:00:00",
            "technician_ids": [(6, 0, self.user_technician.ids)]})
        visit.action_submit()
        order = self.env["after_sales.parts.order"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "shipping_method": "courier",
            "line_ids": [(0, 0, {"product_id": self.part.id, "quantity": 1.0,
                                 "product_uom_id": self.part.uom_id.id})]})
        order.action_submit()
        self._claim()  # waits for the manager
        at_finance = self._claim()
        at_finance.sudo(self.user_manager).action_approve_manager()
        at_gm = self._claim()
        at_gm.sudo(self.user_manager).action_approve_manager()
        at_gm.sudo(self.user_finance).action_approve_finance()
        case = self._case()
        Compensation = self.env["after_sales.return.compensation"].sudo(self.user_as)
        to_review = Compensation.create({"return_id": case.id, "amount": 300.0,
                                         "description": "运费补偿"})
        to_approve = Compensation.create({"return_id": case.id, "amount": 500.0,
                                          "description": "差价补偿"})
        (to_review | to_approve).action_submit()
        to_approve.sudo(self.user_quality).action_review()
        inspected = self._case()
        inspected.sudo(self.user_quality).write({"defect_class": "other",
                                                 "findings": "外包装破损，产品完好"})
        inspected.sudo(self.user_quality).action_inspect()
        exchange = self._case()
        exchange.sudo(self.user_as).action_sign_region()
        exchange.sudo(self.user_as).action_check_office()
        signed = self._case()
        signed.sudo(self.user_as).action_sign_region()
        signed.sudo(self.user_as).action_check_office()
        signed.sudo(self.user_gm).action_instruct(reason="同意")

        expected = {"visit_gm_count": 1, "parts_order_manager_count": 1,
                    "expense_manager_count": 1, "expense_finance_count": 1,
                    "expense_gm_count": 1, "compensation_quality_count": 1,
                    "compensation_gm_count": 1, "compensation_finance_count": 0,
                    "disposition_quality_count": 1, "exchange_gm_count": 1}
        for user in approvers:
            after = self.figures(user)
            self.assertEqual({name: after[name] - before[user][name] for name in after
                              if name != "id"},
                             {name: expected[name] for name in SEEN_BY[self._user_key(user)]},
                             user.login)
            # the approvals of others are not theirs to read
            dashboard = self.Dashboard.sudo(user).create({})
            for name in set(APPROVALS) - set(SEEN_BY[self._user_key(user)]):
                with self.assertRaises(AccessError, msg="%s %s" % (user.login, name)):
                    dashboard.read([name])
            # and each of their tiles opens what it counts
            for name in SEEN_BY[self._user_key(user)]:
                action = dashboard.with_context(tile=name[:-len("_count")]).action_open_tile()
                self.assertEqual(
                    self.env[action["res_model"]].sudo(user).search_count(action["domain"]),
                    after[name], "%s %s" % (user.login, name))
        gm = self.Dashboard.sudo(self.user_gm).create({})
        action = gm.with_context(tile="exchange_gm").action_open_tile()
        self.assertEqual(self.env["after_sales.return"].search(action["domain"]) & (
            exchange | signed | case), exchange)

    def test_technicians_see_no_approvals(self):
        dashboard = self.Dashboard.sudo(self.user_technician).create({})
        self.assertIsInstance(dashboard.read(["late_request_count"])[0]["late_request_count"],
                              int)
        for name in APPROVALS + ("overdue_callback_count", "satisfaction_rate"):
            with self.assertRaises(AccessError):
                dashboard.read([name])
        with self.assertRaises(AccessError):
            dashboard.with_context(tile="visit_gm").action_open_tile()
        arch = self.Dashboard.sudo(self.user_technician).fields_view_get(
            view_id=self.env.ref("after_sales_service.dashboard_view_form").id)["arch"]
        self.assertIn("late_request_count", arch)
        for name in APPROVALS:  # the approvers' figures are not even in the technician's form
            self.assertNotIn(name, arch)
        arch = self.Dashboard.sudo(self.user_gm).fields_view_get(
            view_id=self.env.ref("after_sales_service.dashboard_view_form").id)["arch"]
        self.assertIn("visit_gm_count", arch)
        self.assertNotIn("expense_finance_count", arch)

    # ------------------------------------------------------------------ satisfaction

    def test_satisfaction_rate_this_month(self):
        names = ["satisfaction_rate", "satisfaction_answered"]
        before = self.figures(self.user_as, names)
        Report = self.env["after_sales.satisfaction.report"]
        month_domain = self.Dashboard.sudo(self.user_as).create({})._tile_domain("satisfaction")
        satisfied_before = sum(Report.search(month_domain).mapped("satisfied"))
        for rating in ("5", "4", "1"):
            callback = self.Callback.create({
                "type_id": self.env.ref("after_sales_service.callback_type_usage").id,
                "partner_id": self.customer.id, "date_due": fields.Datetime.now()})
            callback.answer_ids.filtered(lambda a: a.kind == "yesno").write(
                {"value_yesno": "yes"})
            callback.answer_ids.filtered(lambda a: a.kind == "rating").write(
                {"value_rating": rating})
            callback.sudo(self.user_as).action_done()
        after = self.figures(self.user_as, names)
        self.assertEqual(after["satisfaction_answered"], before["satisfaction_answered"] + 3)
        self.assertAlmostEqual(after["satisfaction_rate"], 100.0 * (satisfied_before + 2)
                               / (before["satisfaction_answered"] + 3), delta=0.05)
        dashboard = self.Dashboard.sudo(self.user_as).create({})
        action = dashboard.with_context(tile="satisfaction").action_open_tile()
        self.assertEqual(action["res_model"], "after_sales.satisfaction.report")
        self.assertEqual(action["domain"], month_domain)
        rows = Report.sudo(self.user_as).read_group(action["domain"], ["answered"], [])
        self.assertEqual(rows[0]["answered"], after["satisfaction_answered"])

    # ------------------------------------------------------------------ menu

    def test_first_menu_opens_the_users_dashboard(self):
        root = self.env.ref("after_sales_service.after_sales_root_menu")
        self.assertEqual(root.child_id.sorted("sequence")[0],
                         self.env.ref("after_sales_service.dashboard_menu"))
        action = self.env.ref("after_sales_service.dashboard_action").sudo(
            self.user_technician).run()
        self.assertEqual((action["res_model"], action["view_mode"]),
                         ("after_sales.dashboard", "form"))
        dashboard = self.Dashboard.sudo(self.user_technician).browse(action["res_id"])
        self.assertEqual(dashboard.create_uid, self.user_technician)
