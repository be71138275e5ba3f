# -*- coding: utf-8 -*-
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import AfterSalesCase
from .test_visit import SIGNATURE


class TestWarrantyCommon(AfterSalesCase):
    """One warranty decision per case (card, delivery, contract, override), the same on the
    request and its visits, and what is invoiced from it."""

    @classmethod
    def setUpClass(cls):
        super(TestWarrantyCommon, cls).setUpClass()
        cls.Request = cls.env["after_sales.request"]
        cls.Visit = cls.env["after_sales.visit"]
        cls.Card = cls.env["after_sales.warranty.card"]
        cls.Contract = cls.env["after_sales.contract"]
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.lot = cls.env["stock.production.lot"].create({"name": "EH60-W-0001",
                                                          "product_id": cls.product.id})
        cls.lot_2 = cls.env["stock.production.lot"].create({"name": "EH60-W-0002",
                                                            "product_id": cls.product.id})
        cls.other_product = cls.env["product.product"].create({"name": "燃气热水器 GH-12",
                                                               "type": "consu"})
        standard = cls.env["after_sales.fee.standard"].for_company(cls.company)
        standard.write({
            "travel_flat": 100.0, "travel_per_km": 2.0, "parts_markup": 20.0,
            "labour_ids": [(5, 0, 0), (0, 0, {"category": "repair", "amount": 150.0})]})

    # ------------------------------------------------------------------ helpers

    def _request(self, user=None, **vals):
        values = {"partner_id": self.customer.id, "channel": "hotline", "category": "repair",
                  "product_id": self.product.id, "description": "不加热",
                  "date_received": "2026-11-20 09:00:00"}
        values.update(vals)
        return self.Request.sudo(user or self.user_as).create(values)

    def _deliver(self, lots):
        """A done delivery of these serials to the customer, as the warehouse validates it."""
        stock = self.warehouse.lot_stock_id
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(self.product, stock, 1.0,
                                                              lot_id=lot)
        picking = self.env["stock.picking"].create({
            "partner_id": self.customer.id, "picking_type_id": self.warehouse.out_type_id.id,
            "location_id": stock.id, "location_dest_id": self.customers.id,
            "move_lines": [(0, 0, {
                "name": self.product.name, "product_id": self.product.id,
                "product_uom": self.product.uom_id.id, "product_uom_qty": float(len(lots)),
                "location_id": stock.id, "location_dest_id": self.customers.id})],
        })
        picking.action_confirm()
        picking.action_assign()
        for line, lot in zip(picking.move_line_ids, lots):
            line.write({"qty_done": 1.0, "lot_id": line.lot_id.id or lot.id})
        picking.action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def _card(self, lot, **vals):
        values = {"partner_id": self.customer.id, "product_id": self.product.id,
                  "lot_id": lot.id, "date_delivered": "2026-01-10",
                  "after_sales_warranty_months": 24}
        values.update(vals)
        return self.Card.sudo(self.user_manager).create(values)

    def _contract(self, card, confirm=True, **vals):
        values = {
            "partner_id": self.customer.id, "contract_type": "warranty",
            "date_start": "2026-01-01", "date_end": "2026-12-31", "visit_frequency": "none",
            "fee_amount": 0.0, "invoicing_policy": "once",
            "line_ids": [(0, 0, {"warranty_card_id": card.id})],
        }
        values.update(vals)
        contract = self.Contract.sudo(self.user_as).create(values)
        if confirm:
            contract.action_confirm()
        return contract

    def _visit(self, user=None, **vals):
        values = {"partner_id": self.customer.id, "purpose": "repair",
                  "date_planned": "2026-11-20 09:00:00", "distance_km": 25.0,
                  "appointment_confirmed": True,
                  "technician_ids": [(6, 0, self.user_technician.ids)]}
        values.update(vals)
        return self.Visit.sudo(user or self.user_as).create(values)

    def _complete(self, visit):
        """Approved, on site, recorded and completed: what the customer is charged for."""
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()
        visit.sudo(self.user_technician).action_start()
        visit.sudo(self.user_technician).write({
            "date_arrival": "2026-11-20 09:00:00", "date_departure": "2026-11-20 11:00:00",
            "arrival_confirmed": True, "fault_found": "温控器损坏", "handling": "更换温控器",
            "customer_signer": "王工", "customer_signature": SIGNATURE})
        visit.sudo(self.user_technician).action_done()
        self.assertEqual(visit.state, "done")
        return visit.sudo().invoice_ids


class TestWarrantyOverride(TestWarrantyCommon):
    """#5: a clerk saves a new request from the form; only a change of the decision needs the
    manager, through one request method checking the group and the reason."""

    def test_clerk_saves_request_from_the_form(self):
        # the web form sends every field of the view, False for the empty ones
        form = {"partner_id": self.customer.id, "channel": "hotline", "category": "repair",
                "priority": "0", "date_received": "2026-11-20 09:00:00",
                "product_id": self.product.id, "lot_id": False, "date_delivered": False,
                "description": "不加热", "team_id": False, "station_id": False,
                "warranty_override": False, "warranty_override_reason": False}
        request = self.Request.sudo(self.user_as).create(form)
        self.assertEqual(request.state, "new")
        self.assertFalse(request.in_warranty)
        self.assertFalse(request.warranty_override)
        # saved again from the form: the unchanged override is no change
        request.write({"description": "不加热, 指示灯不亮", "warranty_override": False,
                       "warranty_override_reason": False})
        self.assertEqual(request.description, "不加热, 指示灯不亮")
        # an actual override is the manager's
        with self.assertRaises(AccessError):
            request.write({"warranty_override": "in", "warranty_override_reason": "goodwill"})
        with self.assertRaises(AccessError):
            self.Request.sudo(self.user_as).create(dict(form, warranty_override="in",
                                                        warranty_override_reason="goodwill"))
        # nor through defaults (what the form does not send)
        without = {key: value for key, value in form.items()
                   if key not in ("warranty_override", "warranty_override_reason")}
        with self.assertRaises(AccessError):
            self.Request.sudo(self.user_as).with_context(
                default_warranty_override="in",
                default_warranty_override_reason="goodwill").create(without)
        self.assertFalse(request.in_warranty)

    def test_override_through_one_request_method(self):
        request = self._request()
        self.assertFalse(request.in_warranty)
        with self.assertRaises(AccessError):
            request.action_override_warranty("in", "Key customer goodwill")
        with self.assertRaises(AccessError):
            request.sudo(self.user_technician).action_override_warranty("in", "goodwill")
        as_manager = request.sudo(self.user_manager)
        with self.assertRaisesRegex(UserError, "reason"):
            as_manager.action_override_warranty("in", "   ")
        with self.assertRaises(UserError):
            as_manager.action_override_warranty("maybe", "goodwill")
        self.assertFalse(request.warranty_override)
        as_manager.action_override_warranty("in", " Key customer goodwill ")
        self.assertEqual((request.warranty_override, request.warranty_override_reason),
                         ("in", "Key customer goodwill"))
        self.assertTrue(request.in_warranty)
        self.assertIn("Key customer goodwill", request.warranty_reason)
        self.assertIn("Key customer goodwill", request.message_ids[0].body)
        # the wizard calls the same method: the group and the reason checked on the server
        Wizard = self.env["after_sales.warranty.override.wizard"]
        wizard = Wizard.sudo(self.user_as).create({
            "request_id": request.id, "decision": "auto", "reason": "clerk"})
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertTrue(request.in_warranty)
        blank = Wizard.sudo(self.user_manager).create({
            "request_id": request.id, "decision": "out", "reason": " "})
        with self.assertRaisesRegex(UserError, "reason"):
            blank.action_confirm()
        self.assertEqual(request.warranty_override, "in")
        back = Wizard.sudo(self.user_manager).create({
            "request_id": request.id, "decision": "auto", "reason": "Card found"})
        back.action_confirm()
        self.assertFalse(request.warranty_override)
        self.assertFalse(request.warranty_override_reason)
        self.assertFalse(request.in_warranty)
        self.assertIn("Card found", request.message_ids[0].body)


class TestWarrantyFromDelivery(TestWarrantyCommon):
    """#6: the warranty of a serial delivered from stock, from its last done delivery."""

    def test_delivered_serial_in_warranty_and_parts_not_charged(self):
        picking = self._deliver(self.lot)
        delivered = picking.move_line_ids.date[:10]
        request = self._request(lot_id=self.lot.id, date_received=fields.Datetime.now())
        self.assertTrue(request.in_warranty, request.warranty_reason)
        end = fields.Date.to_string(fields.Date.from_string(delivered)
                                    + relativedelta(months=12) - timedelta(days=1))
        self.assertEqual(request.warranty_end, end)
        self.assertFalse(request.warranty_card_id)
        self.assertIn(delivered, request.warranty_reason)
        self.assertIn(end, request.warranty_reason)
        # the parts sent for it are not charged
        order = self.env["after_sales.parts.order"].sudo(self.user_as).create({
            "request_id": request.id, "shipping_method": "courier"})
        self.assertFalse(order.chargeable)

    def test_delivery_of_another_company_does_not_count(self):
        self._deliver(self.lot)
        other = self.env["res.company"].create({"name": "华南售后服务有限公司"})
        request = self.Request.create({
            "partner_id": self.customer.id, "category": "repair", "company_id": other.id,
            "product_id": self.product.id, "lot_id": self.lot.id, "description": "不加热",
            "date_received": fields.Datetime.now()})
        self.assertEqual(request.company_id, other)
        self.assertFalse(request.in_warranty)
        self.assertFalse(request.warranty_end)
        # the same serial in the company that delivered it
        self.assertTrue(self._request(lot_id=self.lot.id,
                                      date_received=fields.Datetime.now()).in_warranty)


class TestWarrantyCards(TestWarrantyCommon):
    """#7: registering or changing a card decides the open requests of its serial again,
    and their visits follow."""

    def test_card_created_and_changed_updates_open_requests_and_visits(self):
        request = self._request(lot_id=self.lot.id)
        request.action_start()
        visit = self._visit(request_id=request.id)
        closed = self._request(lot_id=self.lot.id, date_received="2026-10-01 09:00:00")
        closed.sudo(self.user_manager).action_cancel(reason="重复登记")
        self.assertFalse(request.in_warranty)
        self.assertFalse(visit.in_warranty)
        card = self._card(self.lot)
        self.assertEqual(card.warranty_end, "2028-01-09")
        self.assertEqual(request.warranty_card_id, card)
        self.assertEqual(request.warranty_end, "2028-01-09")
        self.assertTrue(request.in_warranty)
        self.assertIn(card.name, request.warranty_reason)
        self.assertIn(card.name, visit.warranty_reason)
        self.assertTrue(visit.in_warranty)
        # what is stored, not only what is cached
        self.Request.invalidate_cache()
        self.assertEqual((request.warranty_card_id, request.warranty_end, request.in_warranty),
                         (card, "2028-01-09", True))
        self.assertFalse(closed.warranty_card_id)  # a closed case keeps its decision
        # the card changes: a short warranty from an earlier installation
        card.write({"after_sales_warranty_months": 6, "date_installed": "2026-02-01"})
        self.assertEqual(request.warranty_end, "2026-07-31")
        self.assertFalse(request.in_warranty)
        self.assertFalse(visit.in_warranty)
        self.assertIn("2026-07-31", request.warranty_reason)
        # out of warranty now: the visit is charged
        invoice = self._complete(visit)
        self.assertEqual(invoice.mapped("amount_untaxed"), [300.0])  # labour 150 + travel 150

    def test_cards_from_a_delivery_update_its_serials_requests(self):
        # received today (a receipt date can't be in the future)
        first = self._request(lot_id=self.lot.id, date_received=fields.Datetime.now())
        second = self._request(lot_id=self.lot_2.id, date_received=fields.Datetime.now())
        picking = self._deliver(self.lot | self.lot_2)
        picking.sudo(self.user_stock).action_create_warranty_cards()
        cards = self.Card.search([("picking_id", "=", picking.id)])
        self.assertEqual(len(cards), 2)
        for request in (first, second):
            card = cards.filtered(lambda c: c.lot_id == request.lot_id)
            self.assertEqual(request.warranty_card_id, card)
            self.assertEqual(request.warranty_end, card.warranty_end)
            self.assertIn(card.name, request.warranty_reason)
            self.assertTrue(request.in_warranty)


class TestWarrantyContract(TestWarrantyCommon):
    """#8: a covering contract decides the request, and the visit shows its request's decision
    (or its contract's when it has none), computed, with the reason."""

    def test_covering_contract_puts_request_and_visit_in_warranty(self):
        card = self._card(self.lot, date_delivered="2024-01-10", after_sales_warranty_months=12)
        contract = self._contract(card)
        request = self._request(lot_id=self.lot.id)
        request.action_start()
        self.assertTrue(request.in_warranty, request.warranty_reason)
        self.assertEqual(request.warranty_card_id, card)
        self.assertEqual(request.warranty_end, "2026-12-31")
        self.assertIn(contract.name, request.warranty_reason)
        visit = self._visit(request_id=request.id)
        self.assertTrue(visit.in_warranty)
        self.assertIn(contract.name, visit.warranty_reason)
        self.assertIn(request.name, visit.warranty_reason)
        self.assertFalse(self._complete(visit))  # nothing invoiced
        # parts sent for it: not charged either
        order = self.env["after_sales.parts.order"].sudo(self.user_as).create({
            "request_id": request.id, "shipping_method": "courier"})
        self.assertFalse(order.chargeable)

    def test_contract_confirmed_later_decides_open_requests(self):
        card = self._card(self.lot, date_delivered="2024-01-10", after_sales_warranty_months=12)
        # all in the past (a receipt date can't be in the future): a contract of 2025
        request = self._request(lot_id=self.lot.id, date_received="2025-11-20 09:00:00")
        self.assertFalse(request.in_warranty)
        self.assertEqual(request.warranty_end, "2025-01-09")
        contract = self._contract(card, date_start="2025-01-01", date_end="2025-12-31")
        self.assertTrue(request.in_warranty)
        self.assertIn(contract.name, request.warranty_reason)
        # it has expired since: what was received while it was in force stays covered
        self.Contract._cron_expire(today="2026-01-05")
        self.assertEqual(contract.state, "expired")
        self.assertTrue(request.in_warranty)
        request.sudo().write({"date_received": "2025-11-21 09:00:00"})
        self.assertTrue(request.in_warranty)
        # received after its end: out of warranty
        late = self._request(lot_id=self.lot.id, date_received="2026-01-05 09:00:00")
        self.assertFalse(late.in_warranty)

    def test_visit_follows_its_out_of_warranty_request(self):
        card = self._card(self.lot_2)
        contract = self._contract(card)  # covers another serial
        request = self._request(lot_id=self.lot.id)
        request.action_start()
        self.assertFalse(request.in_warranty)
        visit = self._visit(request_id=request.id, contract_id=contract.id, in_warranty=True)
        self.assertFalse(visit.in_warranty)
        self.assertEqual(visit.warranty_reason.count(request.name), 1)
        self.assertIn(request.warranty_reason, visit.warranty_reason)
        # a technician can't make it free
        with self.assertRaises(UserError):
            visit.sudo(self.user_technician).write({"in_warranty": True})
        self.assertFalse(visit.in_warranty)
        invoice = self._complete(visit)
        self.assertEqual(invoice.mapped("amount_untaxed"), [300.0])
        self.assertEqual(invoice.partner_id, self.customer)

    def test_visit_without_request_follows_its_contract(self):
        contract = self._contract(self._card(self.lot))
        visit = self._visit(contract_id=contract.id)
        self.assertTrue(visit.in_warranty)
        self.assertIn(contract.name, visit.warranty_reason)
        self.assertFalse(self._complete(visit))
        after = self._visit(contract_id=contract.id, date_planned="2027-01-05 09:00:00")
        self.assertFalse(after.in_warranty)
        self.assertIn(contract.name, after.warranty_reason)
        alone = self._visit()
        self.assertFalse(alone.in_warranty)
        self.assertTrue(alone.warranty_reason)
        arch = self.Visit.fields_view_get(view_type="form")["arch"]
        self.assertIn('name="warranty_reason"', arch)


class TestWarrantyLocalDate(TestWarrantyCommon):
    """#9: the warranty is judged on the date the request was received in the company's time
    zone, the warranty end date included."""

    def test_received_day_in_the_company_time_zone(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        self.product.after_sales_warranty_months = 6  # delivered 15 January: until 14 July
        # 14 July 07:00 and 23:30 in Shanghai: the last day is in warranty
        for received in ("2026-07-13 23:00:00", "2026-07-14 15:30:00"):
            request = self._request(date_delivered="2026-01-15", date_received=received)
            self.assertEqual(request.warranty_end, "2026-07-14")
            self.assertTrue(request.in_warranty, received)
        # 15 July 07:00 in Shanghai is still 14 July in UTC: out of warranty
        request = self._request(date_delivered="2026-01-15", date_received="2026-07-14 23:00:00")
        self.assertFalse(request.in_warranty)
        # a company without a time zone: the user's
        self.company.partner_id.tz = False
        self.user_as.tz = "Asia/Shanghai"
        request = self._request(date_delivered="2026-01-15", date_received="2026-07-14 23:00:00")
        self.assertFalse(request.in_warranty)
