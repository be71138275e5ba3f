# -*- coding: utf-8 -*-
from contextlib import closing
from datetime import date, timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import AfterSalesCase


class TestPartsCommon(AfterSalesCase):
    """Parts store stocked with two parts; a fee standard with a 25% markup and a courier
    postage of 30; a warranty expense account."""

    @classmethod
    def setUpClass(cls):
        super(TestPartsCommon, cls).setUpClass()
        cls.Order = cls.env["after_sales.parts.order"]
        cls.Quant = cls.env["stock.quant"]
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.parts_store = cls.warehouse.after_sales_parts_location_id
        cls.old_store = cls.warehouse.after_sales_old_parts_location_id
        cls.thermostat = cls.env["product.product"].create({
            "name": "温控器 TS-9", "type": "product", "default_code": "TS-9",
            "standard_price": 80.0, "list_price": 150.0, "taxes_id": [(6, 0, [])]})
        cls.element = cls.env["product.product"].create({
            "name": "加热管 HE-3", "type": "product", "default_code": "HE-3",
            "standard_price": 45.0, "list_price": 90.0, "taxes_id": [(6, 0, [])]})
        cls.postage = cls.env.ref("after_sales_service.product_postage")
        cls.postage.taxes_id = [(6, 0, [])]
        cls.standard = cls.env["after_sales.fee.standard"].for_company(cls.company)
        cls.standard.write({"parts_markup": 25.0, "postage_ids": [(5, 0, 0)]})
        cls.standard.write({"postage_ids": [(0, 0, {"method": "courier", "amount": 30.0})]})
        cls.Quant._update_available_quantity(cls.thermostat, cls.parts_store, 10.0)
        cls.Quant._update_available_quantity(cls.element, cls.parts_store, 5.0)
        cls.warranty_account = cls.env["account.account"].create({
            "code": "669901", "name": "三包费用 (test)",
            "user_type_id": cls.env.ref("account.data_account_type_expenses").id})
        cls.standard.sudo(cls.user_manager).warranty_account_id = cls.warranty_account
        cls.supplier = cls.env["res.partner"].create({
            "name": "宁波温控元件厂", "supplier": True, "is_company": True})

    def _request(self, in_warranty, user=None):
        values = {"partner_id": self.customer.id, "category": "parts", "channel": "hotline",
                  "product_id": self.product.id, "description": "温控器损坏"}
        if in_warranty:
            values["date_delivered"] = fields.Date.to_string(date.today() - timedelta(days=30))
        request = self.env["after_sales.request"].sudo(user or self.user_as).create(values)
        self.assertEqual(request.in_warranty, in_warranty)
        request.action_start()
        return request

    def _order(self, request=None, lines=None, user=None, **vals):
        values = {"partner_id": self.customer.id, "shipping_method": "courier",
                  "carrier_tracking_ref": "SF100200300"}
        if request:
            values["request_id"] = request.id
        values.update(vals)
        lines = lines or [(self.thermostat, 2.0, True), (self.element, 1.0, False)]
        values["line_ids"] = [(0, 0, {"product_id": product.id, "quantity": qty,
                                      "product_uom_id": product.uom_id.id,
                                      "old_part_expected": old})
                              for product, qty, old in lines]
        # created by the after-sales user; read back as the test's administrator
        return self.Order.sudo(user or self.user_as).create(values).with_env(self.env)

    def _approved(self, order):
        order.sudo(self.user_as).action_submit()
        order.sudo(self.user_manager).action_approve()
        return order

    def _validate(self, picking, user=None):
        """The warehouse reserves (Check Availability) and validates what is reserved, with
        Odoo's own steps."""
        picking = picking.sudo(user or self.user_stock)
        if picking.state != "assigned":
            picking.action_assign()
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def available(self, product, location):
        return self.Quant._get_available_quantity(product, location)

    def on_hand(self, product, location):
        return sum(self.Quant._gather(product, location).mapped("quantity"))


class TestPartsDispatch(TestPartsCommon):

    def test_invoice_values_as_odoo_finds_them(self):
        """The draft invoice carries what Odoo's own invoice form would find for the customer
        and the parts: receivable, payment term, currency, fiscal position; each line the
        income account of its product (or of its category) mapped by the fiscal position."""
        term = self.env.ref("account.account_payment_term_15days")
        income = self.env["account.account"].create({
            "code": "600199", "name": "配件收入 (test)",
            "user_type_id": self.env.ref("account.data_account_type_revenue").id})
        mapped = self.env["account.account"].create({
            "code": "600198", "name": "配件收入 出口 (test)",
            "user_type_id": self.env.ref("account.data_account_type_revenue").id})
        position = self.env["account.fiscal.position"].create({
            "name": "出口 (test)", "account_ids": [(0, 0, {"account_src_id": income.id,
                                                          "account_dest_id": mapped.id})]})
        self.customer.write({"property_payment_term_id": term.id,
                             "property_account_position_id": position.id})
        self.thermostat.property_account_income_id = income
        order = self._approved(self._order(request=self._request(in_warranty=False)))
        invoice = order.invoice_ids
        self.assertEqual(invoice.account_id, self.customer.property_account_receivable_id)
        self.assertEqual(invoice.payment_term_id, term)
        self.assertEqual(invoice.fiscal_position_id, position)
        self.assertEqual(invoice.currency_id, self.company.currency_id)
        self.assertFalse(invoice.partner_bank_id)
        accounts = {line.product_id: line.account_id for line in invoice.invoice_line_ids}
        self.assertEqual(accounts[self.thermostat], mapped)
        category_income = self.element.categ_id.property_account_income_categ_id
        self.assertTrue(category_income)
        self.assertEqual(accounts[self.element], category_income)
        # and Odoo's own lookup agrees for every line
        Line = self.env["account.invoice.line"]
        for line in invoice.invoice_line_ids:
            self.assertEqual(line.account_id, Line.get_invoice_line_account(
                "out_invoice", line.product_id, position, self.company))
        invoice.sudo(self.user_finance).action_invoice_open()
        self.assertEqual(invoice.state, "open")
        self.assertTrue(invoice.date_due > invoice.date_invoice)

    def test_out_of_warranty_dispatch_invoiced(self):
        request = self._request(in_warranty=False)
        order = self._order(request=request)
        self.assertTrue(order.name.startswith("CK"))
        self.assertTrue(order.chargeable)
        self.assertEqual(order.state, "draft")
        line = order.line_ids.filtered(lambda l: l.product_id == self.thermostat)
        self.assertEqual(line.qty_available, 10.0)
        self.assertFalse(order.stock_warning)
        self.assertEqual(line.price_unit, 100.0)  # 80 + 25%
        self.assertEqual(order.amount_total, 2 * 100.0 + 56.25 + 30.0)
        self.assertEqual(self.available(self.thermostat, self.parts_store), 10.0)

        order.sudo(self.user_as).action_submit()
        self.assertEqual(order.state, "to_approve")
        approval = self.env.ref("after_sales_service.mail_activity_type_parts_approval")
        self.assertEqual(order.activity_ids.mapped("activity_type_id"), approval)
        self.assertFalse(order.picking_count)

        before = order.message_ids
        order.sudo(self.user_manager).action_approve()
        self.assertEqual(order.state, "approved")
        self.assertEqual(order.approved_by_id, self.user_manager)
        self.assertTrue(order.date_approved)
        self.assertFalse(order.activity_ids)
        self.assertEqual((request.state, request.waiting_reason), ("waiting", "parts"))
        self.assertEqual(request.parts_order_count, 1)

        picking = order.picking_ids
        # one message for the approval: who approved (tracked), the transfer and the invoice
        order.invalidate_cache()
        message = order.message_ids - before
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.user_manager.partner_id)
        self.assertEqual(set(message.tracking_value_ids.mapped("field")),
                         {"state", "approved_by_id"})
        self.assertIn(picking.name, message.body)
        self.assertIn("286.25", message.body)
        # the transfer's chatter doesn't repeat it ("created" and its initial values)
        self.assertFalse(picking.message_ids.filtered(lambda m: m.tracking_value_ids or m.body))
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_id, self.warehouse.after_sales_parts_type_id)
        self.assertEqual(picking.picking_type_id.code, "outgoing")
        self.assertEqual(picking.location_id, self.parts_store)
        self.assertEqual(picking.location_dest_id.usage, "customer")
        # confirmed, not reserved: the warehouse reserves it (Check Availability)
        self.assertEqual(picking.state, "confirmed")
        self.assertEqual(order.picking_state, "confirmed")
        self.assertEqual(self.available(self.thermostat, self.parts_store), 10.0)
        picking.sudo(self.user_stock).action_assign()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(order.picking_state, "assigned")
        self.assertEqual(self.available(self.thermostat, self.parts_store), 8.0)

        # the draft invoice: parts at cost + markup, one postage line
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual((invoice.type, invoice.state), ("out_invoice", "draft"))
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.after_sales_request_id, request)
        prices = {l.product_id: (l.quantity, l.price_unit, l.price_subtotal)
                  for l in invoice.invoice_line_ids}
        self.assertEqual(prices, {
            self.thermostat: (2.0, 100.0, 200.0),
            self.element: (1.0, 56.25, 56.25),
            self.postage: (1.0, 30.0, 30.0),
        })
        self.assertEqual(invoice.amount_total, 286.25)
        self.assertFalse(self.standard.departs_from(order.amount_total, invoice.amount_total))
        self.assertEqual(request.amount_invoiced, 0.0)  # nothing validated yet

        # the warehouse issues the parts: the store decreases by exactly the quantities
        self._validate(picking)
        self.assertEqual(order.state, "shipped")
        self.assertTrue(order.date_shipped)
        self.assertEqual(self.available(self.thermostat, self.parts_store), 8.0)
        self.assertEqual(self.on_hand(self.thermostat, self.parts_store), 8.0)
        self.assertEqual(self.available(self.element, self.parts_store), 4.0)
        self.assertEqual(line.qty_issued, 2.0)
        self.assertFalse(self.env["account.move"].search(
            [("after_sales_parts_order_id", "=", order.id)]))

        # finance validates and is paid; the request shows it
        invoice.sudo(self.user_finance).action_invoice_open()
        self.assertEqual(invoice.state, "open")
        request.invalidate_cache()
        self.assertEqual(request.amount_invoiced, 286.25)
        self.assertEqual(request.amount_paid, 0.0)
        bank = self.env["account.journal"].search([("type", "=", "bank"),
                                                   ("company_id", "=", self.company.id)], limit=1)
        invoice.sudo(self.user_finance).pay_and_reconcile(bank, 286.25)
        self.assertEqual(invoice.state, "paid")
        request.invalidate_cache()
        self.assertEqual(request.amount_paid, 286.25)

    def test_in_warranty_dispatch_books_warranty_cost(self):
        request = self._request(in_warranty=True)
        order = self._order(request=request)
        self.assertFalse(order.chargeable)
        self.assertEqual(order.amount_total, 0.0)
        self._approved(order)
        self.assertFalse(order.invoice_ids)
        self.assertFalse(self.env["account.invoice"].search(
            [("after_sales_request_id", "=", request.id)]))
        self.assertFalse(self.env["account.move.line"].search(
            [("account_id", "=", self.warranty_account.id)]))

        self._validate(order.picking_ids)
        self.assertEqual(order.state, "shipped")
        self.assertEqual(self.available(self.thermostat, self.parts_store), 8.0)
        lines = self.env["account.move.line"].search(
            [("account_id", "=", self.warranty_account.id)])
        self.assertEqual(len(lines), 2)
        self.assertEqual(sorted(lines.mapped("debit")), [45.0, 160.0])  # 1 x 45, 2 x 80
        self.assertEqual(sum(lines.mapped("credit")), 0.0)
        self.assertEqual(lines.mapped("move_id.state"), ["posted"])
        self.assertEqual(lines.mapped("move_id.after_sales_parts_order_id"), order)
        # the credit side leaves the products' expense account (periodic valuation)
        credit = lines.mapped("move_id.line_ids") - lines
        expense = self.thermostat.categ_id.property_account_expense_categ_id
        self.assertEqual(credit.mapped("account_id"), expense)
        self.assertEqual(sum(credit.mapped("credit")), 205.0)
        self.assertEqual(order.warranty_cost, 205.0)

    def test_return_of_issued_parts_reverses_the_warranty_cost(self):
        order = self._approved(self._order(request=self._request(in_warranty=True)))
        picking = self._validate(order.picking_ids)
        self.assertEqual(order.warranty_cost, 205.0)
        wizard = self.env["stock.return.picking"].sudo(self.user_stock).with_context(
            active_id=picking.id, active_ids=picking.ids,
            active_model="stock.picking").create({})
        for line in wizard.product_return_moves:
            line.quantity = 1.0 if line.product_id == self.thermostat else 0.0
        returned = self.env["stock.picking"].browse(wizard.create_returns()["res_id"])
        self.assertEqual(returned.location_dest_id, self.parts_store)
        self.assertEqual(len(order.picking_ids), 2)
        self._validate(returned)
        self.assertEqual(order.state, "shipped")
        self.assertEqual(self.on_hand(self.thermostat, self.parts_store), 9.0)
        line = order.line_ids.filtered(lambda l: l.product_id == self.thermostat)
        self.assertEqual(line.qty_issued, 1.0)
        order.invalidate_cache()
        self.assertEqual(order.warranty_cost, 125.0)  # 205 - 80
        reversal = self.env["account.move.line"].search(
            [("account_id", "=", self.warranty_account.id), ("credit", ">", 0)])
        self.assertEqual(reversal.credit, 80.0)
        report = self.env["after_sales.parts.issue.report"].read_group(
            [("order_id", "=", order.id), ("product_id", "=", self.thermostat.id)],
            ["product_id", "quantity", "value"], ["product_id"])
        self.assertEqual((report[0]["quantity"], report[0]["value"]), (1.0, 80.0))

    def test_in_warranty_needs_the_warranty_account(self):
        self.company.after_sales_warranty_account_id = False
        order = self._order(chargeable=False)
        order.action_submit()
        with self.assertRaisesRegex(UserError, "warranty expense account"):
            order.sudo(self.user_manager).action_approve()
        self.assertEqual(order.state, "to_approve")

    def test_only_the_manager_approves(self):
        order = self._order(chargeable=True)
        order.action_submit()
        with self.assertRaises(AccessError):
            order.sudo(self.user_as).action_approve()
        with self.assertRaises(AccessError):
            order.sudo(self.user_as).action_reject(reason="no")
        self.assertEqual(order.state, "to_approve")
        self.assertFalse(self.env["stock.picking"].search(
            [("after_sales_parts_order_id", "=", order.id)]))
        # the warehouse only reads orders
        with self.assertRaises(AccessError):
            order.sudo(self.user_stock).write({"carrier_tracking_ref": "X"})
        # approving twice is refused
        order.sudo(self.user_manager).action_approve()
        with self.assertRaises(UserError):
            order.sudo(self.user_manager).action_approve()
        self.assertEqual(len(order.picking_ids), 1)

    def test_rejected_with_reason_creates_nothing(self):
        request = self._request(in_warranty=False)
        order = self._order(request=request)
        order.action_submit()
        manager_order = order.sudo(self.user_manager)
        with self.assertRaisesRegex(UserError, "reason"):
            manager_order.action_reject(reason="  ")
        action = manager_order.action_reject_wizard()
        wizard = self.env["after_sales.reason.wizard"].sudo(self.user_manager).browse(
            action["res_id"])
        wizard.reason = "客户已自行购买"
        wizard.action_confirm()
        self.assertEqual(order.state, "rejected")
        self.assertEqual(order.reject_reason, "客户已自行购买")
        self.assertFalse(order.activity_ids)
        self.assertFalse(self.env["stock.picking"].search(
            [("after_sales_parts_order_id", "=", order.id)]))
        self.assertFalse(self.env["account.invoice"].search(
            [("after_sales_parts_order_id", "=", order.id)]))
        self.assertEqual(request.state, "in_progress")
        self.assertEqual(self.available(self.thermostat, self.parts_store), 10.0)
        order.action_reset_draft()
        self.assertEqual(order.state, "draft")

    def test_cancel_approved_cancels_picking(self):
        request = self._request(in_warranty=False)
        order = self._approved(self._order(request=request))
        picking = order.picking_ids
        picking.sudo(self.user_stock).action_assign()
        self.assertEqual(self.available(self.thermostat, self.parts_store), 8.0)  # reserved
        order.sudo(self.user_as).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(picking.state, "cancel")
        self.assertEqual(order.invoice_ids.state, "cancel")
        self.assertEqual(self.available(self.thermostat, self.parts_store), 10.0)
        self.assertEqual(request.state, "in_progress")  # no longer waiting for parts

    def test_done_picking_refuses_cancel(self):
        order = self._approved(self._order(chargeable=True))
        self._validate(order.picking_ids)
        with self.assertRaisesRegex(UserError, "return"):
            order.sudo(self.user_as).action_cancel()
        self.assertEqual(order.state, "shipped")
        self.assertEqual(order.picking_ids.state, "done")

    def test_confirmed_orders_are_kept(self):
        draft = self._order()
        order = self._order()
        order.sudo(self.user_as).action_submit()
        with self.assertRaises(UserError):
            order.sudo(self.user_as).unlink()
        draft.sudo(self.user_as).unlink()
        self.assertFalse(draft.exists())
        order.sudo(self.user_manager).action_approve()
        with self.assertRaises(UserError):
            order.sudo(self.user_manager).unlink()
        with self.assertRaises(UserError):
            order.line_ids[0].sudo(self.user_as).quantity = 5

    def test_not_enough_stock_waits_and_never_goes_negative(self):
        order = self._order(chargeable=True, lines=[(self.element, 7.0, False)])
        line = order.line_ids
        self.assertEqual(line.qty_available, 5.0)
        self.assertTrue(line.stock_warning)
        self.assertTrue(order.stock_warning)
        self._approved(order)
        picking = order.picking_ids.sudo(self.user_stock)
        self.assertFalse(order.stock_warning)  # approved: the transfer shows it from now on
        picking.action_assign()
        self.assertEqual(picking.state, "confirmed")  # 5 of 7 reserved: waits, not ready
        self.assertEqual(picking.move_line_ids.product_qty, 5.0)
        picking.move_line_ids.qty_done = 7.0
        with self.assertRaisesRegex(UserError, "Not enough"):
            picking.action_done()
        self.assertEqual(self.on_hand(self.element, self.parts_store), 5.0)
        self.assertEqual(order.state, "approved")

    def test_serial_parts_reserve_the_requested_serial(self):
        board = self.env["product.product"].create({
            "name": "控制板 CB-1", "type": "product", "tracking": "serial",
            "standard_price": 300.0})
        lots = self.env["stock.production.lot"]
        for name in ("CB-0001", "CB-0002"):
            lot = lots.create({"name": name, "product_id": board.id})
            self.Quant._update_available_quantity(board, self.parts_store, 1.0, lot_id=lot)
            lots |= lot
        order = self._order(chargeable=True, lines=[(board, 1.0, False)])
        order.action_submit()
        with self.assertRaisesRegex(UserError, "serial"):
            order.sudo(self.user_manager).action_approve()
        order.line_ids.lot_id = lots[1]
        order.sudo(self.user_manager).action_approve()
        self.assertFalse(order.picking_ids.move_line_ids)  # reserved by the warehouse
        order.picking_ids.sudo(self.user_stock).action_assign()
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, lots[1])
        self.assertIn("CB-0002", order.invoice_ids.invoice_line_ids[0].name)
        # another order for the same serial waits for it: no other serial is taken
        other = self._order(chargeable=True, lines=[(board, 1.0, False)])
        other.line_ids.lot_id = lots[1]
        self._approved(other)
        other.picking_ids.sudo(self.user_stock).action_assign()
        self.assertEqual(other.picking_ids.state, "confirmed")
        self.assertFalse(other.picking_ids.move_line_ids)
        self.assertEqual(self.available(board, self.parts_store), 1.0)  # CB-0001, still free
        # Odoo's scheduler reserves the same way
        self.env["procurement.group"].run_scheduler()
        self.assertFalse(other.picking_ids.move_line_ids)
        self._validate(order.picking_ids)
        self.assertEqual(order.state, "shipped")

    def _lock_quants(self, quants):
        """Lock these quants from another connection (its own transaction), as a concurrent
        approval or validation does; True if they were free, False if a transaction of this
        test holds them."""
        with closing(self.registry.cursor()) as other:
            try:
                other.execute("SELECT id FROM stock_quant WHERE id IN %s FOR UPDATE NOWAIT",
                              [tuple(quants.ids)], log_exceptions=False)
                return len(other.fetchall()) == len(quants)
            except psycopg2.OperationalError as error:
                self.assertEqual(error.pgcode, "55P03")  # lock_not_available
                return False
            finally:
                other.rollback()

    def test_concurrent_approvals_do_not_touch_the_stock(self):
        """An approval leaves the part's stock to the warehouse: while an approval's
        transaction is still open, another one locks the same quants at once. (The approval
        used to reserve, holding the quants until its commit: a concurrent approval of the
        same part waited for them, then failed with a serialization error, and the RPC
        layer's retries ran out under load.) The warehouse's reservation does lock them."""
        part = self.env.ref("after_sales_service.product_thermostat")
        quants = self.Quant._gather(part, self.parts_store)  # committed by the demo data
        self.assertTrue(quants)
        reserved = sum(quants.mapped("reserved_quantity"))
        first = self._approved(self._order(lines=[(part, 2.0, False)]))
        second = self._approved(self._order(chargeable=True, lines=[(part, 1.0, False)]))
        self.assertEqual((first.state, second.state), ("approved", "approved"))
        self.assertTrue(self._lock_quants(quants))
        self.assertEqual(sum(quants.mapped("reserved_quantity")), reserved)
        self.assertEqual((first.picking_ids | second.picking_ids).mapped("state"),
                         ["confirmed", "confirmed"])
        self.assertEqual(len(second.invoice_ids), 1)
        # the warehouse checks availability: now this transaction holds them
        (first.picking_ids | second.picking_ids).sudo(self.user_stock).action_assign()
        self.assertEqual((first.picking_ids | second.picking_ids).mapped("state"),
                         ["assigned", "assigned"])
        self.assertFalse(self._lock_quants(quants))
        self.assertEqual(sum(quants.mapped("reserved_quantity")), reserved + 3.0)


class TestPartsRoles(TestPartsCommon):

    def _open(self, records, user):
        """Read what the form view shows to this user, as the web client does."""
        records = records.sudo(user)
        view = records.fields_view_get(view_type="form")
        return records.read(list(view["fields"]))

    def test_each_role_opens_what_it_works_on(self):
        request = self._request(in_warranty=False)
        order = self._approved(self._order(request=request))
        self._validate(order.picking_ids)
        order.sudo(self.user_as).action_receive_old_parts()
        for user in (self.user_as, self.user_manager, self.user_technician, self.user_stock,
                     self.user_finance):
            self.assertEqual(self._open(order, user)[0]["name"], order.name)
            self.assertTrue(self._open(order.old_part_ids, user))
        self.assertEqual(self._open(request, self.user_as)[0]["parts_order_count"], 1)
        values = self._open(order, self.user_finance)[0]
        self.assertEqual(values["amount_invoiced"], 286.25)
        self.assertEqual(values["picking_state"], "done")
        self.assertEqual(values["invoice_count"], 1)
        with self.assertRaises(AccessError):
            self.Order.sudo(self.user_finance).create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            self.Order.sudo(self.user_technician).create({"partner_id": self.customer.id})

    def test_install(self):
        self.assertEqual(self.env["ir.module.module"].search(
            [("name", "=", "stock_account")]).state, "installed")
        parts_type = self.warehouse.after_sales_parts_type_id
        self.assertEqual((parts_type.code, parts_type.default_location_src_id),
                         ("outgoing", self.parts_store))
        self.assertEqual(parts_type.sequence_id.prefix, "WH/ASP/")
        new = self.env["stock.warehouse"].create({"name": "Shenzhen", "code": "SZ"})
        self.assertEqual(new.after_sales_parts_type_id.default_location_src_id,
                         new.after_sales_parts_location_id)
        self.assertEqual(self.postage.type, "service")


class TestOldParts(TestPartsCommon):

    def test_old_parts_received_inspected_returned_and_scrapped(self):
        order = self._approved(self._order(
            chargeable=True, lines=[(self.thermostat, 2.0, True), (self.element, 1.0, True)]))
        self._validate(order.picking_ids)
        self.assertTrue(order.can_receive_old_parts)
        order.sudo(self.user_as).action_receive_old_parts()
        self.assertFalse(order.can_receive_old_parts)
        old_thermostat = order.old_part_ids.filtered(lambda p: p.product_id == self.thermostat)
        old_element = order.old_part_ids - old_thermostat
        self.assertEqual((old_thermostat.quantity, old_element.quantity), (2.0, 1.0))
        self.assertEqual(old_thermostat.state, "expected")
        receipt = self.env["stock.picking"].search(
            [("after_sales_old_parts_order_id", "=", order.id)])
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.location_id.usage, "customer")
        self.assertEqual(receipt.location_dest_id, self.old_store)
        with self.assertRaisesRegex(UserError, "not been received"):
            old_thermostat.sudo(self.user_technician).inspection_result = "supplier"

        self._validate(receipt)
        for part, product, qty in ((old_thermostat, self.thermostat, 2.0),
                                   (old_element, self.element, 1.0)):
            self.assertEqual(part.qty_received, qty)
            self.assertEqual(part.qty_in_store, qty)
            self.assertEqual(part.state, "received")
            self.assertEqual(self.on_hand(product, self.old_store), part.qty_in_store)
        # the parts store is not touched by old parts
        self.assertEqual(self.on_hand(self.thermostat, self.parts_store), 8.0)

        # disposal needs the 三包 technicians' inspection first
        with self.assertRaises(UserError):
            old_element.sudo(self.user_as).action_scrap()
        old_thermostat.sudo(self.user_technician).write({
            "inspection_result": "supplier", "inspection_note": "触点烧蚀", "supplier_id":
            self.supplier.id})
        old_element.sudo(self.user_technician).write({"inspection_result": "usage"})
        self.assertEqual(old_thermostat.inspected_by_id, self.user_technician)
        self.assertEqual(old_thermostat.state, "inspected")

        # back to the supplier by an outgoing transfer validated by the warehouse
        back = old_thermostat.sudo(self.user_as).action_return_to_supplier()
        self.assertEqual(back.location_id, self.old_store)
        self.assertEqual(back.location_dest_id.usage, "supplier")
        self.assertEqual(back.partner_id, self.supplier)
        self.assertEqual(old_thermostat.qty_to_dispose, 0.0)  # on its way
        self.assertEqual(old_thermostat.qty_in_store, 2.0)  # not moved yet
        self._validate(back)
        self.assertEqual(old_thermostat.qty_returned, 2.0)
        self.assertEqual(old_thermostat.qty_in_store, 0.0)
        self.assertEqual(old_thermostat.state, "done")
        self.assertEqual(self.on_hand(self.thermostat, self.old_store), 0.0)

        # scrapped with Odoo's scrap from the old-parts store
        scrap = old_element.sudo(self.user_as).action_scrap()
        self.assertEqual((scrap.state, scrap.location_id), ("done", self.old_store))
        self.assertEqual(old_element.qty_scrapped, 1.0)
        self.assertEqual(old_element.qty_in_store, 0.0)
        self.assertEqual(self.on_hand(self.element, self.old_store), 0.0)
        self.assertEqual(self.on_hand(self.element, scrap.scrap_location_id), 1.0)
        with self.assertRaises(UserError):
            old_element.action_scrap()  # nothing left


class TestPartsReports(TestPartsCommon):

    def test_monthly_issue_report(self):
        charged = self._approved(self._order(chargeable=True))
        free = self._approved(self._order(request=self._request(in_warranty=True),
                                          lines=[(self.thermostat, 3.0, False)]))
        self._validate(charged.picking_ids)
        self._validate(free.picking_ids)
        Report = self.env["after_sales.parts.issue.report"].sudo(self.user_as)
        domain = [("order_id", "in", (charged | free).ids)]
        groups = Report.read_group(domain, ["product_id", "charged", "quantity", "value"],
                                   ["product_id", "charged"], lazy=False)
        figures = {(g["product_id"][0], g["charged"]): (g["quantity"], g["value"])
                   for g in groups}
        self.assertEqual(figures, {
            (self.thermostat.id, True): (2.0, 160.0),
            (self.element.id, True): (1.0, 45.0),
            (self.thermostat.id, False): (3.0, 240.0),
        })
        month = Report.read_group(domain, ["date", "quantity", "value"], ["date:month"])
        self.assertEqual(len(month), 1)
        self.assertEqual((month[0]["quantity"], month[0]["value"]), (6.0, 445.0))
        per_customer = Report.read_group(domain, ["partner_id", "value"], ["partner_id"])
        self.assertEqual([(g["partner_id"][0], g["value"]) for g in per_customer],
                         [(self.customer.id, 445.0)])

    def test_outbound_order_pdf_in_chinese(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        self.customer.lang = "zh_CN"
        order = self._approved(self._order(chargeable=True))
        _pdf, text = self.render_pdf("after_sales_service.parts_order_report", order,
                                     lang="zh_CN")
        self.assertIn(order.name, text)
        self.assertIn("温控器 TS-9", text)
        self.assertIn("加热管 HE-3", text)
        self.assertIn("华东建设工程有限公司", text)
        self.assertIn("SF100200300", text)
        self.assertIn(self.user_manager.name, text)
        self.assertIn("出库单", text)  # the form's own labels are in Chinese
