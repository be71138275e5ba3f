# -*- coding: utf-8 -*-
"""The bypasses of the Integrity issue, tried as a client would: through XML-RPC against the
running test server, as each role, with the documents in the state the attack needs."""
from datetime import datetime, timedelta
from xmlrpc import client as xmlrpclib

from odoo import SUPERUSER_ID, api, fields
from odoo.tests.common import HttpCase, get_db_name

ROLES = {
    "rpc_user": ["after_sales_service.group_user"],
    "rpc_technician": ["after_sales_service.group_technician"],
    "rpc_station": ["after_sales_service.group_service_station"],
    "rpc_gm": ["after_sales_service.group_general_manager"],
}


class TestRpcBypass(HttpCase):

    def setUp(self):
        super(TestRpcBypass, self).setUp()
        # the server answers on the test cursor: the data is made there
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.db = get_db_name()
        self.users = {}
        for login, groups in ROLES.items():
            group_ids = [self.env.ref(xmlid).id for xmlid in groups + ["base.group_user"]]
            self.users[login] = self.env["res.users"].create({
                "name": login, "login": login, "password": login, "email": login + "@x.cn",
                "groups_id": [(6, 0, group_ids)]})
        self.customer = self.env["res.partner"].create({"name": "苏州精工机械", "customer": True})
        self.part = self.env["product.product"].create({
            "name": "温控器 TS-R", "type": "product", "standard_price": 50.0})
        self.registry.test_cr.commit()

    def call(self, login, model, method, args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.db, self.users[login].id, login, model, method, args, kwargs)

    def assertRefused(self, login, model, method, args, **kwargs):
        """The call is refused by the addon's rules (an access error or a user error: fault
        codes 4 and 2 of Odoo's XML-RPC), not by anything else going wrong (code 1, with a
        traceback)."""
        with self.assertRaises(xmlrpclib.Fault) as refused:
            self.call(login, model, method, args, **kwargs)
        self.assertIn(refused.exception.faultCode, (2, 4), refused.exception.faultString)

    def value_of(self, model, record_id, name):
        record = self.env[model].browse(record_id)
        record.invalidate_cache()
        return record[name]

    def test_outbound_order_state_and_forged_context(self):
        order_id = self.call("rpc_user", "after_sales.parts.order", "create", [{
            "partner_id": self.customer.id, "chargeable": True,
            "line_ids": [(0, 0, {"product_id": self.part.id, "quantity": 1.0,
                                 "product_uom_id": self.part.uom_id.id})]}])
        self.assertTrue(self.call("rpc_user", "after_sales.parts.order", "action_submit",
                                  [[order_id]]))
        self.assertRefused("rpc_user", "after_sales.parts.order", "write",
                           [[order_id], {"state": "approved"}])
        self.assertRefused("rpc_user", "after_sales.parts.order", "write",
                           [[order_id], {"state": "approved"}],
                           context={"after_sales_action": True})
        self.assertRefused("rpc_user", "after_sales.parts.order", "action_approve", [[order_id]])
        self.assertEqual(self.value_of("after_sales.parts.order", order_id, "state"), "to_approve")

    def test_technician_cannot_rewrite_his_visit(self):
        technician = self.users["rpc_technician"]
        visit = self.env["after_sales.visit"].create({
            "partner_id": self.customer.id, "purpose": "repair", "distance_km": 210.0,
            "date_planned": "2026-11-20 09:00:00", "technician_ids": [(6, 0, technician.ids)]})
        visit.action_submit()
        self.registry.test_cr.commit()
        for vals in ({"state": "approved"}, {"approved_by_id": technician.id},
                     {"state": "verified"}, {"distance_km": 1200.0}):
            self.assertRefused("rpc_technician", "after_sales.visit", "write", [[visit.id], vals])
        self.assertRefused("rpc_technician", "after_sales.visit", "action_approve", [[visit.id]])
        self.assertEqual(self.value_of("after_sales.visit", visit.id, "state"), "to_approve")
        self.assertEqual(self.value_of("after_sales.visit", visit.id, "distance_km"), 210.0)
        # once approved by the general manager, he records the execution, and only that
        self.call("rpc_gm", "after_sales.visit", "action_approve", [[visit.id]])
        self.call("rpc_technician", "after_sales.visit", "write",
                  [[visit.id], {"appointment_confirmed": True}])
        self.assertRefused("rpc_technician", "after_sales.visit", "write",
                           [[visit.id], {"date_planned": "2026-11-21 09:00:00"}])
        self.assertTrue(self.value_of("after_sales.visit", visit.id, "appointment_confirmed"))

    def test_station_cannot_accept_its_own_request(self):
        request_id = self.call("rpc_station", "after_sales.request", "create", [{
            "partner_id": self.customer.id, "description": "不出热水"}])
        self.assertTrue(self.value_of("after_sales.request", request_id, "needs_dispatch"))
        self.assertRefused("rpc_station", "after_sales.request", "write",
                           [[request_id], {"needs_dispatch": False}])
        self.assertRefused("rpc_station", "after_sales.request", "action_start", [[request_id]])
        self.assertEqual(self.value_of("after_sales.request", request_id, "state"), "new")

    def test_technician_cannot_close_his_request_nor_approve_his_claim(self):
        request = self.env["after_sales.request"].create({
            "partner_id": self.customer.id, "description": "漏水",
            "user_id": self.users["rpc_technician"].id})
        claim = self.env["after_sales.expense.claim"].create({
            "user_id": self.users["rpc_technician"].id,
            "line_ids": [(0, 0, {"name": "油费", "amount": 80.0})]})
        self.registry.test_cr.commit()
        self.assertRefused("rpc_technician", "after_sales.request", "write",
                           [[request.id], {"state": "closed"}])
        self.assertRefused("rpc_technician", "after_sales.expense.claim", "write",
                           [[claim.id], {"state": "finance_approved"}])
        self.assertEqual(self.value_of("after_sales.request", request.id, "state"), "new")
        self.assertEqual(self.value_of("after_sales.expense.claim", claim.id, "state"), "draft")

    # ---- indicators: the delay reason, the overdue flag and the delay compensation
    def test_delay_reason_and_compensation_owned_by_actions(self):
        long_ago = fields.Datetime.to_string(datetime.now() - timedelta(days=30))
        Request = self.env["after_sales.request"]
        late = Request.create({"partner_id": self.customer.id, "description": "不加热",
                               "date_received": long_ago})
        late.write({"is_late": True, "escalated": True})
        on_time = Request.create({"partner_id": self.customer.id, "description": "漏水"})
        self.registry.test_cr.commit()  # a refused call rolls the test cursor back to here
        for vals in ({"delay_reason": "直接写入"}, {"answer_overdue": True},
                     {"date_delay_reason": fields.Datetime.now()}):
            self.assertRefused("rpc_user", "after_sales.request", "write", [[late.id], vals])
        self.assertRefused("rpc_user", "after_sales.request", "action_delay_reason",
                           [[late.id]], reason=" ")
        self.assertRefused("rpc_technician", "after_sales.request", "action_delay_reason",
                           [[late.id]], reason="技术员")
        self.call("rpc_user", "after_sales.request", "action_delay_reason", [[late.id]],
                  reason="配件缺货")
        self.assertEqual(self.value_of("after_sales.request", late.id, "delay_reason"), "配件缺货")
        vals = {"compensation_type": "compensation", "method": "payment", "amount": 200.0,
                "description": "超时补偿", "return_id": False}
        self.assertRefused("rpc_user", "after_sales.return.compensation", "create",
                           [dict(vals, request_id=on_time.id)])
        compensation_id = self.call("rpc_user", "after_sales.return.compensation", "create",
                                    [dict(vals, request_id=late.id)])
        self.assertRefused("rpc_user", "after_sales.return.compensation", "write",
                           [[compensation_id], {"state": "approved"}])
        self.call("rpc_user", "after_sales.return.compensation", "action_submit",
                  [[compensation_id]])
        self.assertEqual(self.value_of("after_sales.return.compensation", compensation_id,
                                       "state"), "to_review")
        self.assertRefused("rpc_gm", "after_sales.return.compensation", "action_approve",
                           [[compensation_id]])
