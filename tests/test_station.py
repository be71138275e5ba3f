# -*- coding: utf-8 -*-
"""Service stations (特约维修点): their agreement, their own visits with the callback after
them, the parts kept in their stock location and reconciled monthly, and the monthly
settlement by draft vendor bill."""
from xmlrpc import client as xmlrpclib

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import HttpCase, get_db_name
from odoo.tools import mute_logger

from .common import AfterSalesCase
from .test_visit import SIGNATURE


class TestStation(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestStation, cls).setUpClass()
        cls.Visit = cls.env["after_sales.visit"]
        cls.Agreement = cls.env["after_sales.station.agreement"]
        cls.Settlement = cls.env["after_sales.station.settlement"]
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.store = cls.warehouse.after_sales_parts_location_id
        cls.station = cls.env["res.partner"].create({
            "name": "苏州特约维修点", "is_company": True, "after_sales_is_station": True})
        cls.user_station.partner_id.parent_id = cls.station
        # another station and its user: sees nothing of the first
        cls.other_station = cls.env["res.partner"].create({
            "name": "无锡特约维修点", "is_company": True, "after_sales_is_station": True})
        cls.user_other_station = cls._create_user(
            "as_station_wx", ["after_sales_service.group_service_station"])
        cls.user_other_station.partner_id.parent_id = cls.other_station
        cls.company_b = cls._create_second_company()
        cls.b_station.partner_id.parent_id = cls.station

        cls.part = cls.env["product.product"].create({
            "name": "温控器 TS-9", "type": "product", "standard_price": 50.0,
            "taxes_id": [(6, 0, [])], "supplier_taxes_id": [(6, 0, [])]})
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.store, 20.0)
        cls.standard = cls.env["after_sales.fee.standard"].for_company(cls.company)
        cls.standard.write({"travel_flat": 100.0, "travel_per_km": 2.0, "parts_markup": 20.0,
                            "labour_ids": [(5, 0, 0), (0, 0, {"category": "repair",
                                                              "amount": 150.0})]})
        cls.agreement = cls.Agreement.sudo(cls.user_manager).create({
            "station_id": cls.station.id, "date_start": "2026-01-01",
            "date_end": "2026-12-31", "city_names": "苏州市", "travel_flat": 30.0,
            "travel_per_km": 2.0, "parts_commission": 10.0,
            "rate_line_ids": [
                (0, 0, {"purpose": "repair", "labour_rate": 200.0, "labour_unit": "visit"}),
                (0, 0, {"purpose": "inspection", "labour_rate": 80.0, "labour_unit": "hour"})],
        })
        cls.agreement.action_activate()
        cls.agreement = cls.agreement.with_env(cls.env)
        # the station's customer: in Suzhou, the city its agreement covers
        cls.customer.city = "苏州市"

    # ------------------------------------------------------------------ helpers

    def _dispatched_request(self, station_user=None):
        """A request the station registered, dispatched to it by the department."""
        user = station_user or self.user_station
        request = self.env["after_sales.request"].sudo(user).create({
            "partner_id": self.customer.id, "category": "repair", "description": "不加热",
            "product_id": self.product.id})
        request.sudo(self.user_as).action_dispatch()
        request.action_start()
        return request.with_env(self.env)

    def _station_visit(self, request, **vals):
        """The station's visit as its form sends it (every field; False for the empty ones)."""
        values = {"request_id": request.id, "partner_id": self.customer.id,
                  "purpose": "repair", "date_planned": "2026-11-20 09:00:00", "duration": 2.0,
                  "distance_km": 10.0, "appointment_confirmed": True, "station_id": False,
                  "site_address": False, "contract_id": False,
                  "technician_ids": [(6, 0, self.user_station.ids)]}
        values.update(vals)
        return self.Visit.sudo(self.user_station).create(values)

    def _validate(self, picking):
        picking = picking.sudo(self.user_stock)
        picking.action_assign()
        for move in picking.move_lines:
            move.quantity_done = move.product_uom_qty
        picking.action_done()
        return picking

    def _issue(self, quantity, direction="issue"):
        wizard = self.env["after_sales.station.parts.wizard"].sudo(self.user_as).create({
            "station_id": self.station.id, "direction": direction,
            "line_ids": [(0, 0, {"product_id": self.part.id, "quantity": quantity})]})
        return self._validate(wizard._create_picking())

    def _complete(self, visit, arrival="2026-11-20 09:00:00", departure="2026-11-20 11:00:00",
                  used=0.0):
        """Submitted, approved by the general manager, executed and recorded by the station."""
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()
        visit.action_start()
        vals = {"date_arrival": arrival, "date_departure": departure,
                "arrival_confirmed": True, "fault_found": "温控器损坏", "handling": "更换温控器",
                "fee_standard_shown": True, "customer_signer": "王工",
                "customer_signature": SIGNATURE, "customer_evaluation": "5"}
        if used:
            vals["part_ids"] = [(0, 0, {"product_id": self.part.id, "qty_taken": used,
                                        "qty_used": used})]
        visit.write(vals)
        visit.action_done()
        return visit

    @property
    def station_location(self):
        return self.warehouse.after_sales_station_location(self.station)

    # ------------------------------------------------------------------ agreement

    def test_agreement_rules(self):
        self.assertEqual(self.agreement.state, "active")
        self.assertTrue(self.agreement.name.startswith("SA"))
        Agreement = self.Agreement.sudo(self.user_manager)
        with self.assertRaisesRegex(ValidationError, "overlaps"), self.env.cr.savepoint():
            Agreement.create({"station_id": self.station.id, "date_start": "2026-06-01",
                              "date_end": "2027-05-31"})
        with self.assertRaisesRegex(ValidationError, "Travel Fee"), self.env.cr.savepoint():
            Agreement.create({"station_id": self.other_station.id,
                              "date_start": "2026-01-01", "travel_flat": -1.0})
        with self.assertRaisesRegex(ValidationError, "Labour Rate"), self.env.cr.savepoint():
            Agreement.create({"station_id": self.other_station.id, "date_start": "2026-01-01",
                              "rate_line_ids": [(0, 0, {"purpose": "repair",
                                                        "labour_rate": -5.0})]})
        with self.assertRaisesRegex(ValidationError, "not a service station"), \
                self.env.cr.savepoint():
            Agreement.create({"station_id": self.customer.id, "date_start": "2026-01-01"})
        # the state changes through the actions only, the manager's
        with self.assertRaises(AccessError):
            self.agreement.sudo(self.user_manager).write({"state": "ended"})
        with self.assertRaises(AccessError):
            self.agreement.sudo(self.user_as).action_suspend(reason="质量问题")
        with self.assertRaises(AccessError):
            self.agreement.sudo(self.user_station).action_end()
        with self.assertRaisesRegex(UserError, "reason"):
            self.agreement.sudo(self.user_manager).action_suspend(reason=" ")
        self.agreement.sudo(self.user_manager).action_suspend(reason="投诉较多，整改中")
        self.assertEqual(self.agreement.state, "suspended")
        # a later agreement of the station, but only one active at a time
        later = Agreement.create({"station_id": self.station.id, "date_start": "2027-01-01",
                                  "rate_line_ids": [(0, 0, {"purpose": "repair",
                                                            "labour_rate": 220.0})]})
        later.action_activate()
        with self.assertRaisesRegex(ValidationError, "already has an active agreement"), \
                self.env.cr.savepoint():
            self.agreement.sudo(self.user_manager).action_activate()
        # kept: never deleted
        with self.assertRaises(UserError):
            later.unlink()
        self.agreement.sudo(self.user_manager).action_end()
        self.assertEqual(self.agreement.state, "ended")

    def test_agreement_visibility(self):
        own = self.Agreement.sudo(self.user_station).search([])
        self.assertEqual(own, self.agreement)
        self.assertFalse(self.Agreement.sudo(self.user_other_station).search([]))
        self.assertFalse(self.Agreement.sudo(self.b_manager).search([]))
        self.assertFalse(self.Agreement.sudo(self.b_station).search([]))
        with self.assertRaises(AccessError):
            self.agreement.sudo(self.user_station).write({"travel_flat": 0.0})

    # ------------------------------------------------------------------ visits

    def test_station_visit_flow_stock_and_callback(self):
        request = self._dispatched_request()
        self._issue(5.0)
        location = self.station_location
        self.assertEqual(location.location_id, self.warehouse.after_sales_station_location_id)
        self.assertEqual(location.after_sales_station_id, self.station)
        self.assertEqual(self.qty_at(self.part, location), 5.0)
        self.assertEqual(self.qty_at(self.part, self.store), 15.0)

        visit = self._station_visit(request)
        self.assertEqual(visit.station_id, self.station)  # whatever the form sent
        visit = self._complete(visit, used=2.0)
        self.assertEqual(visit.state, "done")
        self.assertEqual(request.state, "resolved")
        # used parts leave the station's stock for the customer; none came from our store
        self.assertEqual(self.qty_at(self.part, location), 3.0)
        self.assertEqual(self.qty_at(self.part, self.store), 15.0)
        self.assertEqual(self.qty_at(self.part, self.customer.property_stock_customer), 2.0)
        # the satisfaction callback, 3 working days after the departure (Friday 11:00), for
        # the department (the user who dispatched), not the station
        callback = self.env["after_sales.callback"].search([("visit_id", "=", visit.id)])
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.type_id,
                         self.env.ref("after_sales_service.callback_type_satisfaction"))
        self.assertEqual(callback.date_due, "2026-11-25 11:00:00")
        self.assertEqual(callback.station_id, self.station)
        self.assertEqual(callback.user_id, self.user_as)
        # the job finds nothing more to do for it
        self.assertNotIn(visit.id, self.env["after_sales.callback"]._visit_callback_candidates())

        # the station gives one part back; the warehouse validates
        self._issue(1.0, direction="return")
        self.assertEqual(self.qty_at(self.part, location), 2.0)
        self.assertEqual(self.qty_at(self.part, self.store), 16.0)

        # this month's reconciliation: all accounted for
        wizard = self.env["after_sales.station.reconcile.wizard"].sudo(self.user_as).create({
            "station_ids": [(6, 0, self.station.ids)]})
        wizard.action_compute()
        line = wizard.line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual((line.station_id, line.product_id), (self.station, self.part))
        self.assertEqual((line.opening, line.issued, line.used, line.returned, line.on_hand,
                          line.difference), (0.0, 5.0, 2.0, 1.0, 2.0, 0.0))
        self.assertFalse(line.has_difference)
        # a count finds one part missing at the station: the difference shows it
        loss = self.env["stock.move"].create({
            "name": "盘亏", "product_id": self.part.id, "product_uom": self.part.uom_id.id,
            "product_uom_qty": 1.0, "location_id": location.id,
            "location_dest_id": self.env.ref("stock.location_inventory").id})
        loss._action_confirm()
        loss._action_assign()
        loss.quantity_done = 1.0
        loss._action_done()
        self.assertEqual(self.qty_at(self.part, location), 1.0)
        wizard.action_compute()
        self.assertEqual((wizard.line_ids.on_hand, wizard.line_ids.difference), (1.0, 1.0))
        self.assertTrue(wizard.line_ids.has_difference)
        self.assertEqual(wizard.difference_count, 1)
        with self.assertRaises(AccessError):
            self.env["after_sales.station.reconcile.wizard"].sudo(self.user_station).create(
                {}).action_compute()

    def test_station_cannot_use_more_than_its_stock(self):
        request = self._dispatched_request()
        self._issue(1.0)
        visit = self._station_visit(request)
        with self.assertRaisesRegex(UserError, "station's stock holds 1.0"):
            self._complete(visit, used=3.0)

    def test_station_writes_and_visibility(self):
        request = self._dispatched_request()
        visit = self._station_visit(request)
        # the plan while draft is the station's; owned fields never
        visit.write({"distance_km": 12.0, "site_address": "苏州工业园区星湖街 1 号"})
        for vals in ({"state": "done"}, {"approved_by_id": self.user_gm.id},
                     {"station_id": self.other_station.id}, {"in_warranty": True}):
            with self.assertRaises((AccessError, UserError)):
                visit.write(vals)
        visit.action_submit()
        with self.assertRaises(AccessError):
            visit.write({"date_planned": "2026-11-21 09:00:00"})
        with self.assertRaises(AccessError):
            visit.write({"distance_km": 100.0})
        with self.assertRaises(AccessError):
            visit.sudo(self.user_station).action_approve()
        with self.assertRaises(AccessError):
            visit.sudo(self.user_station).action_verify()
        self.assertEqual(visit.state, "to_approve")
        # a station's visit is made by its own staff
        with self.assertRaisesRegex(ValidationError, "own staff"):
            self._station_visit(request, technician_ids=[(6, 0, self.user_technician.ids)])
        # only for a request dispatched to it
        waiting = self.env["after_sales.request"].sudo(self.user_station).create({
            "partner_id": self.customer.id, "description": "漏水"})
        with self.assertRaises(AccessError):
            self._station_visit(waiting)
        others = self._dispatched_request(station_user=self.user_other_station)
        with self.assertRaises(AccessError):
            self._station_visit(others)
        # nobody else's visits: another station, our own visits, another company
        ours = self.Visit.create({"request_id": request.id, "partner_id": self.customer.id,
                                  "purpose": "repair", "date_planned": "2026-11-20 09:00:00"})
        Visit = self.Visit.sudo(self.user_station)
        self.assertEqual(Visit.search([("id", "in", (visit | ours).ids)]), visit)
        self.assertFalse(self.Visit.sudo(self.user_other_station).search(
            [("id", "=", visit.id)]))
        self.assertFalse(self.Visit.sudo(self.b_station).search([("id", "=", visit.id)]))
        self.assertFalse(self.Visit.sudo(self.b_as_user).search([("id", "=", visit.id)]))
        with self.assertRaises(AccessError):
            visit.sudo(self.user_other_station).write({"distance_km": 3.0})
        with self.assertRaises(AccessError):
            ours.sudo(self.user_station).write({"distance_km": 3.0})
        self.assertFalse(self.env["after_sales.visit.part"].sudo(self.user_other_station).search(
            [("visit_id", "=", visit.id)]))
        # the station opens its visit's form as the web client does: every field of the view
        view = self.Visit.sudo(self.user_station).fields_view_get(view_type="form")
        values = visit.read(list(view["fields"]))[0]
        self.assertEqual(values["station_id"][0], self.station.id)
        # callbacks stay the department's
        self.assertFalse(self.env["after_sales.callback"].sudo(
            self.user_station).check_access_rights("read", False))

    def test_no_station_visit_without_agreement(self):
        request = self._dispatched_request()
        with self.assertRaisesRegex(ValidationError, "no active agreement covering"):
            self._station_visit(request, purpose="installation")
        with self.assertRaisesRegex(ValidationError, "no active agreement covering"):
            self._station_visit(request, date_planned="2027-02-01 09:00:00")

    def test_station_visits_only_in_its_areas(self):
        """A station's visit is at a site in the provinces and cities of its agreement: the
        request's site when it names one, else the customer's address."""
        request = self._dispatched_request()
        self.customer.city = "上海"
        with self.assertRaisesRegex(ValidationError, r"\(上海\) is outside the areas of .*"
                                                     r"\(苏州市\)"):
            self._station_visit(request)
        # the request's site in Suzhou, written without 市: the same city
        request.write({"site_city": " 苏州 "})
        self.assertEqual(self._station_visit(request).station_id, self.station)
        # provinces listed: a city named, in another province, is outside
        country = self.env.ref("base.cn")
        State = self.env["res.country.state"]
        jiangsu = State.create({"name": "江苏省", "code": "T-JS", "country_id": country.id})
        zhejiang = State.create({"name": "浙江省", "code": "T-ZJ", "country_id": country.id})
        self.agreement.write({"state_ids": [(6, 0, jiangsu.ids)],
                              "city_names": "无锡市，苏州市"})
        request.write({"site_state_id": zhejiang.id})
        with self.assertRaisesRegex(ValidationError, r"\(浙江省 苏州\) is outside the areas "
                                                     r"of .*\(江苏省 / 无锡市，苏州市\)"):
            self._station_visit(request)
        request.write({"site_state_id": jiangsu.id})
        self._station_visit(request)
        # the provinces only: any city of them
        self.agreement.write({"city_names": False})
        request.write({"site_city": "南京市"})
        self._station_visit(request)
        self.assertTrue(self.agreement.covers_site(jiangsu, ""))
        self.assertFalse(self.agreement.covers_site(self.env["res.country.state"], "南京市"))

    # ------------------------------------------------------------------ settlement

    def test_monthly_settlement(self):
        self._issue(5.0)
        repair = self._complete(self._station_visit(self._dispatched_request()), used=2.0)
        inspection = self._complete(
            self._station_visit(self._dispatched_request(), purpose="inspection",
                                distance_km=0.0),
            arrival="2026-11-23 09:00:00", departure="2026-11-23 10:30:00")
        # nothing is settled before the department verified the record
        with self.assertRaises(AccessError):
            self.Settlement.sudo(self.user_as).run_month("2026-11-15")
        self.assertFalse(self.Settlement.sudo(self.user_manager).run_month("2026-11-15"))
        (repair | inspection).sudo(self.user_as).action_verify()

        settlements = self.Settlement.sudo(self.user_manager).run_month("2026-11-15")
        self.assertEqual(len(settlements), 1)
        settlement = settlements.with_env(self.env)
        self.assertEqual((settlement.station_id, settlement.date_from, settlement.date_to),
                         (self.station, "2026-11-01", "2026-11-30"))
        self.assertEqual(settlement.visit_ids, repair | inspection)
        bill = settlement.invoice_ids
        self.assertEqual(len(bill), 1)
        self.assertEqual((bill.type, bill.state, bill.partner_id, bill.date_invoice),
                         ("in_invoice", "draft", self.station, "2026-11-30"))
        lines = sorted((line.product_id.default_code, line.quantity, line.price_unit,
                        line.price_subtotal) for line in bill.invoice_line_ids)
        self.assertEqual(lines, [
            ("AS-LABOUR", 1.0, 200.0, 200.0),        # repair: 200 per visit
            ("AS-LABOUR", 1.5, 80.0, 120.0),         # inspection: 1.5 h x 80
            ("AS-STATION-PARTS", 2.0, 6.0, 12.0),    # 10% of 50 x 1.2, 2 used, out of warranty
            ("AS-TRAVEL", 1.0, 30.0, 30.0),          # 30 + 0 km
            ("AS-TRAVEL", 1.0, 50.0, 50.0),          # 30 + 10 km x 2
        ])
        self.assertEqual(bill.amount_total, 412.0)
        self.assertEqual(settlement.amount_total, 412.0)
        self.assertEqual(repair.station_settlement_id, settlement)

        # run again: nothing billed twice
        self.assertFalse(self.Settlement.sudo(self.user_manager).run_month("2026-11-01"))
        self.assertEqual(len(bill.invoice_line_ids), 5)
        self.assertEqual(bill.amount_total, 412.0)
        # a visit verified later joins the same draft bill, alone
        late = self._complete(self._station_visit(self._dispatched_request()),
                              arrival="2026-11-27 09:00:00", departure="2026-11-27 10:00:00")
        late.sudo(self.user_as).action_verify()
        again = self.Settlement.sudo(self.user_manager).run_month("2026-11-30")
        self.assertEqual(again, settlement.sudo(self.user_manager))
        self.assertEqual(settlement.invoice_ids, bill)
        self.assertEqual(len(bill.invoice_line_ids), 7)
        self.assertEqual(bill.amount_total, 412.0 + 200.0 + 50.0)
        self.assertEqual(self.Settlement.search_count([("station_id", "=", self.station.id)]),
                         1)
        # the link is the settlement's: nobody writes it
        with self.assertRaises(AccessError):
            late.sudo(self.user_manager).write({"station_settlement_id": False})
        with self.assertRaises(AccessError):
            settlement.sudo(self.user_manager).write({"date_from": "2026-10-01"})
        # the station reads its own statement; the other station and company nothing
        self.assertEqual(self.Settlement.sudo(self.user_station).search([]), settlement)
        self.assertEqual(self.Settlement.sudo(self.user_finance).search([]), settlement)
        self.assertFalse(self.Settlement.sudo(self.user_as).check_access_rights("read", False))
        self.assertFalse(self.Settlement.sudo(self.user_other_station).search([]))
        self.assertFalse(self.Settlement.sudo(self.b_manager).search([]))
        self.assertFalse(self.Settlement.sudo(self.b_finance).search([]))
        html = self.env.ref("after_sales_service.station_settlement_report").sudo(
            self.user_station).render_qweb_html(settlement.ids)[0].decode("utf-8")
        self.assertIn("苏州特约维修点", html)
        self.assertIn(repair.name, html)
        self.assertIn("662.00", html)
        _pdf, text = self.render_pdf("after_sales_service.station_settlement_report", settlement)
        self.assertIn("苏州特约维修点", text)
        self.assertIn(late.name, text)
        self.assertIn("662.00", text)

    @mute_logger("odoo.models")
    def test_settlement_wizard(self):
        wizard = self.env["after_sales.station.settlement.wizard"].sudo(
            self.user_manager).create({"month": "2026-11-10"})
        action = wizard.action_run()
        self.assertEqual(action["domain"], [("date_from", "=", "2026-11-01")])


class TestStationRpc(HttpCase):
    """A station's client through XML-RPC: what its form and buttons send goes through, what
    an action owns is refused."""

    def setUp(self):
        super(TestStationRpc, self).setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.db = get_db_name()
        self.station = self.env["res.partner"].create({
            "name": "昆山特约维修点", "is_company": True, "after_sales_is_station": True})
        groups = [self.env.ref("after_sales_service.group_service_station").id,
                  self.env.ref("base.group_user").id]
        self.user = self.env["res.users"].create({
            "name": "rpc_station_ks", "login": "rpc_station_ks", "password": "rpc_station_ks",
            "email": "ks@x.cn", "groups_id": [(6, 0, groups)]})
        self.user.partner_id.parent_id = self.station
        agreement = self.env["after_sales.station.agreement"].create({
            "station_id": self.station.id, "date_start": "2026-01-01",
            "rate_line_ids": [(0, 0, {"purpose": "repair", "labour_rate": 100.0})]})
        agreement.action_activate()
        customer = self.env["res.partner"].create({"name": "昆山精密", "customer": True})
        self.request = self.env["after_sales.request"].create({
            "partner_id": customer.id, "description": "不加热", "station_id": self.station.id})
        self.request.action_start()
        self.undispatched = self.env["after_sales.request"].sudo(self.user).create({
            "partner_id": customer.id, "description": "漏水"})
        self.customer = customer
        self.registry.test_cr.commit()

    def call(self, model, method, args, **kwargs):
        return self.xmlrpc_object.execute_kw(self.db, self.user.id, "rpc_station_ks", model,
                                             method, args, kwargs)

    def assertRefused(self, model, method, args):
        with self.assertRaises(xmlrpclib.Fault) as refused:
            self.call(model, method, args)
        self.assertIn(refused.exception.faultCode, (2, 4), refused.exception.faultString)

    def test_station_visit_over_rpc(self):
        vals = {"request_id": self.request.id, "partner_id": self.customer.id,
                "purpose": "repair", "date_planned": "2026-11-20 09:00:00",
                "appointment_confirmed": True, "station_id": False,
                "technician_ids": [[6, 0, [self.user.id]]]}
        visit_id = self.call("after_sales.visit", "create", [vals])
        visit = self.env["after_sales.visit"].browse(visit_id)
        self.assertEqual(visit.station_id, self.station)
        self.call("after_sales.visit", "write", [[visit_id], {"distance_km": 8.0}])
        self.assertRefused("after_sales.visit", "write", [[visit_id], {"state": "approved"}])
        self.assertRefused("after_sales.visit", "write", [[visit_id], {"station_id": False}])
        self.call("after_sales.visit", "action_submit", [[visit_id]])
        self.assertRefused("after_sales.visit", "action_approve", [[visit_id]])
        self.assertRefused("after_sales.visit", "write", [[visit_id], {"distance_km": 80.0}])
        self.assertRefused("after_sales.visit", "create",
                           [dict(vals, request_id=self.undispatched.id)])
        self.assertRefused("after_sales.station.agreement", "write",
                           [self.env["after_sales.station.agreement"].search(
                               [("station_id", "=", self.station.id)]).ids, {"state": "ended"}])
        visit.invalidate_cache()
        self.assertEqual((visit.state, visit.distance_km), ("to_approve", 8.0))

    def test_station_areas_over_rpc(self):
        """Over RPC a station neither widens its areas nor plans a visit outside them."""
        agreement = self.env["after_sales.station.agreement"].search(
            [("station_id", "=", self.station.id)])
        agreement.city_names = "昆山市"
        self.customer.city = "上海"
        self.registry.test_cr.commit()
        self.assertRefused("after_sales.station.agreement", "write",
                           [agreement.ids, {"city_names": "昆山市, 上海"}])
        vals = {"request_id": self.request.id, "partner_id": self.customer.id,
                "purpose": "repair", "date_planned": "2026-11-20 09:00:00",
                "appointment_confirmed": True, "station_id": False,
                "technician_ids": [[6, 0, [self.user.id]]]}
        with self.assertRaisesRegex(xmlrpclib.Fault, "outside the areas"):
            self.call("after_sales.visit", "create", [vals])
        # nor moves the dispatched request's site into them; the form's unchanged site passes
        self.assertRefused("after_sales.request", "write",
                           [self.request.ids, {"site_city": "昆山"}])
        self.call("after_sales.request", "write", [self.request.ids, {
            "partner_id": self.customer.id, "site_city": False, "site_state_id": False,
            "site_address": False, "description": "不加热，有异响"}])
        self.request.invalidate_cache()
        self.assertEqual((self.request.site_city, self.request.description),
                         (False, "不加热，有异响"))
        # before the dispatch, its own request's site is the station's to give
        self.call("after_sales.request", "write", [self.undispatched.ids, {"site_city": "昆山"}])
        self.undispatched.invalidate_cache()
        self.assertEqual(self.undispatched.site_city, "昆山")
