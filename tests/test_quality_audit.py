# -*- coding: utf-8 -*-
"""Quality's monthly audit: a sample (a share of the month's completed visits and resolved
requests, drawn by a recorded seed), checked and called by quality, its findings, results
and corrective actions, and the figures per technician and station for assessments."""
import hashlib
from xmlrpc import client as xmlrpclib

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import HttpCase, get_db_name
from odoo.tools import mute_logger

from .common import AfterSalesCase

MONTH = "2024-03-01"


class TestQualityAudit(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestQualityAudit, cls).setUpClass()
        cls.tech2 = cls._create_user("as_technician2", ["after_sales_service.group_technician"])
        cls.station = cls.env["res.partner"].create({
            "name": "苏州吴中授权服务站", "is_company": True, "after_sales_is_station": True})
        Request = cls.env["after_sales.request"]
        station_request = Request.create({"partner_id": cls.customer.id,
                                          "station_id": cls.station.id, "description": "漏水"})
        Visit = cls.env["after_sales.visit"]
        cls.visits = Visit.browse()
        for index in range(8):
            visit = Visit.create({
                "partner_id": cls.customer.id, "purpose": "repair",
                "request_id": station_request.id if index < 4 else False,
                "date_planned": "2024-03-%02d 01:00:00" % (index + 2),
                "technician_ids": [(6, 0, (cls.user_technician if index < 4
                                           else cls.tech2).ids)]})
            # as the process left them: completed in March
            visit.write({"state": "done", "date_arrival": "2024-03-%02d 02:00:00" % (index + 2),
                         "date_departure": "2024-03-%02d 04:00:00" % (index + 2)})
            cls.visits |= visit
        cls.requests = Request.browse()
        for index in range(12):
            request = Request.create({
                "partner_id": cls.customer.id, "description": "不加热 %s" % index,
                "date_received": "2024-03-01 01:00:00",
                "station_id": cls.station.id if index < 6 else False})
            request.write({"state": "resolved", "fault_found": "温控器", "method_used": "更换",
                           "date_resolved": "2024-03-%02d 08:00:00" % (index + 2)})
            cls.requests |= request
        # outside the month or not completed: never drawn
        late = Visit.create({"partner_id": cls.customer.id, "purpose": "repair",
                             "date_planned": "2024-04-01 01:00:00"})
        late.write({"state": "done", "date_arrival": "2024-04-01 02:00:00",
                    "date_departure": "2024-04-01 04:00:00"})
        Request.create({"partner_id": cls.customer.id, "description": "未解决",
                        "date_received": "2024-03-03 01:00:00"})
        cls.Audit = cls.env["after_sales.quality.audit"]

    def _audit(self, share, seed=4242, user=None):
        return self.Audit.sudo(user or self.user_quality).create({
            "month": "2024-03-15", "share": share, "seed": seed}).with_env(self.env)

    @staticmethod
    def _seed_order(seed, kind, records):
        return sorted(records.ids, key=lambda i: (hashlib.md5(
            ("%s:%s:%s" % (seed, kind, i)).encode()).hexdigest(), i))

    def test_sample_size_and_seed(self):
        audit = self._audit(25.0)
        self.assertEqual(audit.month, MONTH)
        audit.sudo(self.user_quality).action_draw()
        self.assertEqual((audit.state, audit.sample_share), ("drawn", 25.0))
        self.assertEqual((audit.visit_candidates, audit.request_candidates), (8, 12))
        visits = audit.line_ids.filtered(lambda l: l.kind == "visit")
        requests = audit.line_ids.filtered(lambda l: l.kind == "request")
        # ceil(25 % of 8) = 2, ceil(25 % of 12) = 3
        self.assertEqual((len(visits), len(requests)), (2, 3))
        # the first of the seed's order: the same sample again for the same seed
        self.assertEqual(visits.mapped("visit_id").ids,
                         self._seed_order(4242, "visit", self.visits)[:2])
        self.assertEqual(requests.mapped("request_id").ids,
                         self._seed_order(4242, "request", self.requests)[:3])
        # what the line shows of the record
        line = visits[0]
        self.assertEqual(line.technician_ids, line.visit_id.technician_ids)
        self.assertEqual(line.partner_id, self.customer)
        # drawn once, and the seed is kept
        with self.assertRaises(UserError):
            audit.sudo(self.user_quality).action_draw()
        with self.assertRaises(AccessError):
            audit.sudo(self.user_quality).write({"seed": 1})
        self.assertEqual(len(audit.line_ids), 5)
        # a to-do for the auditor
        self.assertEqual(audit.activity_ids.mapped("user_id"), self.user_quality)

    def test_sample_rounds_up_and_month_once(self):
        audit = self._audit(30.0, seed=7)
        audit.sudo(self.user_quality).action_draw()
        # ceil(2.4) = 3 visits, ceil(3.6) = 4 requests
        self.assertEqual(len(audit.line_ids.filtered(lambda l: l.kind == "visit")), 3)
        self.assertEqual(len(audit.line_ids.filtered(lambda l: l.kind == "request")), 4)
        with self.assertRaises(Exception):
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                self._audit(10.0)
        self.assertEqual(self.Audit._sample_size(10.0, 3), 1)  # at least one
        self.assertEqual(self.Audit._sample_size(10.0, 0), 0)
        self.assertEqual(self.Audit._sample_size(10.0, 20), 2)  # exactly 2.0, not 3

    def test_checks_findings_and_figures(self):
        audit = self._audit(100.0)
        audit.sudo(self.user_quality).action_draw()
        lines = audit.line_ids.sudo(self.user_quality)
        self.assertEqual(len(lines), 20)
        not_ok = lines.filtered(lambda l: l.visit_id == self.visits[3]
                                or l.request_id == self.requests[0])
        # not ok needs the findings
        with self.assertRaises(UserError):
            not_ok[0].action_not_ok()
        not_ok.write({"customer_called": True, "customer_opinion": "师傅没有出示收费标准",
                      "findings": "服务记录缺客户签字"})
        not_ok.action_not_ok()
        (lines - not_ok).action_ok()
        self.assertEqual(set(lines.mapped("result")), {"ok", "not_ok"})
        self.assertEqual(lines.mapped("checked_by_id"), self.user_quality)
        # the corrective action, once
        target = not_ok.filtered(lambda l: l.kind == "visit")
        target.action_corrective_action()
        self.assertTrue(target.action_id)
        self.assertEqual(target.action_id.complaint_id, target.complaint_id)
        self.assertIn("服务记录缺客户签字", target.complaint_id.content)
        self.assertEqual(target.action_id.user_id, self.user_quality)
        with self.assertRaises(UserError):
            target.action_corrective_action()
        with self.assertRaises(UserError):  # an ok record gets none
            (lines - not_ok)[0].action_corrective_action()
        audit.sudo(self.user_quality).action_done()
        self.assertEqual((audit.state, audit.ok_count, audit.not_ok_count), ("done", 18, 2))
        # the figures of assessments, per technician and per station
        Report = self.env["after_sales.quality.audit.report"].sudo(self.user_manager)
        by_technician = Report.audit_figures("2024-03-01", "2024-03-31", "technician_id")
        self.assertEqual(by_technician, {
            self.user_technician.id: {"checked": 4, "ok": 3, "not_ok": 1, "ok_rate": 75.0},
            self.tech2.id: {"checked": 4, "ok": 4, "not_ok": 0, "ok_rate": 100.0},
        })
        by_station = Report.audit_figures("2024-03-01", "2024-03-31", "station_id")
        self.assertEqual(by_station, {
            self.station.id: {"checked": 10, "ok": 8, "not_ok": 2, "ok_rate": 80.0}})
        self.assertEqual(Report.audit_figures("2024-04-01", "2024-04-30"), {})
        # the same as read_group on the view
        groups = Report.read_group([("month", "=", MONTH)], ["station_id", "ok_rate"],
                                   ["station_id"])
        rates = {g["station_id"] and g["station_id"][0]: g["ok_rate"] for g in groups}
        self.assertEqual(rates[self.station.id], 80.0)
        # closed: the results stay as recorded
        with self.assertRaises(UserError):
            lines[0].action_not_ok()
        with self.assertRaises(AccessError):
            lines[0].write({"findings": "改写"})

    def test_close_needs_every_check(self):
        audit = self._audit(25.0)
        audit.sudo(self.user_quality).action_draw()
        audit.line_ids[:2].sudo(self.user_quality).action_ok()
        with self.assertRaises(UserError):
            audit.sudo(self.user_quality).action_done()
        self.assertEqual(audit.state, "drawn")

    @mute_logger("odoo.models", "odoo.addons.base.ir.ir_model")
    def test_roles(self):
        audit = self._audit(25.0)
        # the department and the technicians neither read nor draw
        for user in (self.user_as, self.user_technician, self.user_station):
            with self.assertRaises(AccessError):
                audit.sudo(user).read(["name"])
            with self.assertRaises(AccessError):
                audit.sudo(user).action_draw()
        # the manager reads, quality draws
        self.assertEqual(audit.sudo(self.user_manager).read(["state"])[0]["state"], "draft")
        with self.assertRaises(AccessError):
            audit.sudo(self.user_manager).action_draw()
        with self.assertRaises(AccessError):
            self.Audit.sudo(self.user_manager).create({"month": "2024-05-01"})
        audit.sudo(self.user_quality).action_draw()
        line = audit.line_ids[0]
        with self.assertRaises(AccessError):
            line.sudo(self.user_manager).action_ok()
        # the fields the actions own are refused to quality's direct writes
        other_visit = self.visits - audit.line_ids.mapped("visit_id")
        for vals in ({"result": "ok"}, {"checked_by_id": self.user_quality.id},
                     {"visit_id": other_visit[0].id}):
            with self.assertRaises(AccessError):
                line.sudo(self.user_quality).write(vals)
        for vals in ({"state": "done"}, {"visit_candidates": 1}, {"share": 50.0}):
            with self.assertRaises(AccessError):
                audit.sudo(self.user_quality).write(vals)
        self.assertFalse(line.result)
        # the general manager is quality too
        line.sudo(self.user_gm).action_ok()
        self.assertEqual(line.result, "ok")
        # no deletion
        with self.assertRaises(AccessError):
            audit.sudo(self.user_gm).unlink()

    def test_monthly_cron(self):
        audits = self.Audit._cron_monthly_audit()
        companies = self.env["res.company"].search([])
        self.assertEqual(audits.mapped("company_id"), companies)
        self.assertEqual(len(set(audits.mapped("month"))), 1)
        self.assertTrue(all(a.state == "drawn" and a.seed for a in audits))
        self.assertFalse(self.Audit._cron_monthly_audit())

    def test_second_company_sees_nothing(self):
        self._create_second_company()
        audit = self._audit(100.0)
        audit.sudo(self.user_quality).action_draw()
        audit.line_ids.sudo(self.user_quality).action_ok()
        for model in ("after_sales.quality.audit", "after_sales.quality.audit.line",
                      "after_sales.quality.audit.report"):
            self.assertFalse(self.env[model].sudo(self.b_quality).search([]), model)
            self.assertFalse(self.env[model].sudo(self.b_gm).search([]), model)
        with self.assertRaises(AccessError):
            audit.sudo(self.b_quality).write({"note": "x"})
        # its own audit of the same month draws from its own records: none
        own = self.Audit.sudo(self.b_quality).create({"month": MONTH, "share": 100.0})
        own.action_draw()
        self.assertFalse(own.line_ids)
        self.assertEqual((own.visit_candidates, own.request_candidates), (0, 0))


class TestQualityAuditRpc(HttpCase):
    """Through XML-RPC: quality's results only through the buttons."""

    def setUp(self):
        super(TestQualityAuditRpc, self).setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.db = get_db_name()
        group = lambda xmlid: self.env.ref(xmlid).id  # noqa: E731
        self.users = {}
        for login, xmlid in (("rq_quality", "after_sales_service.group_quality"),
                             ("rq_user", "after_sales_service.group_user")):
            self.users[login] = self.env["res.users"].create({
                "name": login, "login": login, "password": login, "email": login + "@x.cn",
                "groups_id": [(6, 0, [group("base.group_user"), group(xmlid)])]})
        customer = self.env["res.partner"].create({"name": "苏州精工机械", "customer": True})
        request = self.env["after_sales.request"].create({
            "partner_id": customer.id, "description": "不加热",
            "date_received": "2024-02-01 01:00:00"})
        request.write({"state": "resolved", "fault_found": "温控器", "method_used": "更换",
                       "date_resolved": "2024-02-05 08:00:00"})
        self.audit = self.env["after_sales.quality.audit"].create({
            "month": "2024-02-01", "share": 100.0})
        self.registry.test_cr.commit()

    def call(self, login, model, method, args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.db, self.users[login].id, login, model, method, args, kwargs)

    def assertRefused(self, login, model, method, args):
        with self.assertRaises(xmlrpclib.Fault) as refused:
            self.call(login, model, method, args)
        self.assertIn(refused.exception.faultCode, (2, 4), refused.exception.faultString)

    def test_results_only_through_the_actions(self):
        self.assertRefused("rq_user", "after_sales.quality.audit", "action_draw",
                           [[self.audit.id]])
        self.assertTrue(self.call("rq_quality", "after_sales.quality.audit", "action_draw",
                                  [[self.audit.id]]))
        line_ids = self.call("rq_quality", "after_sales.quality.audit.line", "search",
                             [[("audit_id", "=", self.audit.id)]])
        self.assertEqual(len(line_ids), 1)
        self.assertRefused("rq_quality", "after_sales.quality.audit.line", "write",
                           [line_ids, {"result": "ok"}])
        self.assertRefused("rq_quality", "after_sales.quality.audit", "write",
                           [[self.audit.id], {"state": "done"}])
        self.assertRefused("rq_user", "after_sales.quality.audit.line", "action_ok",
                           [line_ids])
        self.call("rq_quality", "after_sales.quality.audit.line", "write",
                  [line_ids, {"findings": "记录完整", "customer_called": True}])
        self.assertTrue(self.call("rq_quality", "after_sales.quality.audit.line", "action_ok",
                                  [line_ids]))
        line = self.env["after_sales.quality.audit.line"].browse(line_ids)
        line.invalidate_cache()
        self.assertEqual((line.result, line.findings), ("ok", "记录完整"))
