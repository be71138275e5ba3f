# -*- coding: utf-8 -*-
from odoo.exceptions import AccessError, UserError

from .common import AfterSalesCase


class TestReturnCommon(AfterSalesCase):
    """A customer bought 10 gas water heaters (invoice validated); returns come back into the
    pending area of the main warehouse, which holds 20 more in stock."""

    @classmethod
    def setUpClass(cls):
        super(TestReturnCommon, cls).setUpClass()
        cls.Return = cls.env["after_sales.return"]
        cls.Quant = cls.env["stock.quant"]
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.quarantine = cls.warehouse.after_sales_quarantine_location_id
        cls.repair = cls.warehouse.after_sales_repair_location_id
        cls.stock = cls.warehouse.lot_stock_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.heater = cls.env["product.product"].create({
            "name": "燃气热水器 GH-12", "type": "product", "default_code": "GH-12",
            "tracking": "none", "list_price": 2600.0, "standard_price": 1500.0,
        })
        cls.Quant._update_available_quantity(cls.heater, cls.stock, 20.0)
        cls.vendor = cls.env["res.partner"].create({
            "name": "宁波燃烧器配件厂", "supplier": True, "is_company": True})
        cls.invoice = cls._customer_invoice()

    @classmethod
    def _customer_invoice(cls):
        income = cls.heater.product_tmpl_id.get_product_accounts()["income"]
        invoice = cls.env["account.invoice"].create({
            "partner_id": cls.customer.id, "type": "out_invoice",
            "account_id": cls.customer.property_account_receivable_id.id,
            "invoice_line_ids": [(0, 0, {
                "product_id": cls.heater.id, "name": "GH-12", "quantity": 10.0,
                "price_unit": 2600.0, "account_id": income.id,
                "uom_id": cls.heater.uom_id.id})],
        })
        invoice.action_invoice_open()
        return invoice

    # ------------------------------------------------------------------ helpers

    def _case(self, user=None, **vals):
        values = {"partner_id": self.customer.id, "product_id": self.heater.id,
                  "product_qty": 10.0, "cause": "defect", "invoice_id": self.invoice.id,
                  "reason": "开机后熄火，客户要求退换 (flame goes out after ignition)"}
        values.update(vals)
        return self.Return.sudo(user or self.user_as).create(values)

    def _pickings(self, case, code=None):
        domain = [("after_sales_return_id", "=", case.id)]
        if code:
            domain.append(("picking_type_code", "=", code))
        return self.env["stock.picking"].search(domain)

    def _validate(self, picking):
        """The warehouse processes the reserved quantities and validates the transfer."""
        picking = picking.sudo(self.user_stock)
        self.assertEqual(picking.state, "assigned", picking.name)
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.button_validate()
        self.assertEqual(picking.state, "done", picking.name)

    def _receive(self, case):
        receipt = self._pickings(case, "incoming")
        self.assertEqual(len(receipt), 1)
        self._validate(receipt)
        return receipt

    def _done_qty(self, domain):
        moves = self.env["stock.move"].search(
            [("product_id", "=", self.heater.id), ("state", "=", "done")] + domain)
        return sum(moves.mapped("product_qty"))

    def _quantities(self):
        available = self.Quant._get_available_quantity
        return {
            "quarantine": available(self.heater, self.quarantine),
            "repair": available(self.heater, self.repair),
            "stock": available(self.heater, self.stock),
            "scrap": self._done_qty([("location_dest_id.scrap_location", "=", True)]),
            "customer": (self._done_qty([("location_dest_id", "=", self.customers.id)])
                         - self._done_qty([("location_id", "=", self.customers.id)])),
        }

    def _assert_quantities(self, **expected):
        self.assertEqual(self._quantities(), expected)

    def _plan(self, case, *lines, **kwargs):
        Line = self.env["after_sales.return.disposition"].sudo(kwargs.get("user",
                                                                          self.user_quality))
        created = Line.browse()
        for disposition_type, quantity in lines:
            values = {"return_id": case.id, "disposition_type": disposition_type,
                      "quantity": quantity}
            if disposition_type == "supplier":
                values["vendor_id"] = self.vendor.id
            created |= Line.create(values)
        return created

    def _inspect(self, case):
        case.sudo(self.user_quality).write({
            "defect_class": "quality", "responsibility": "supplier",
            "responsible_party": "燃烧器供应商", "findings": "熄火保护装置失灵"})

    def _sign_exchange_form(self, case):
        case.sudo(self.user_as).action_sign_region()
        case.sudo(self.user_as).action_check_office()
        case.sudo(self.user_gm).action_instruct(reason="同意换货")

    def _line(self, case, disposition_type):
        """The line, read as superuser (its stock documents are the warehouse's)."""
        return case.sudo().disposition_ids.filtered(
            lambda l: l.disposition_type == disposition_type)

    def _full_case(self):
        """10 units returned and disposed of: 3 scrap, 4 restock, 2 repair, 1 exchange."""
        case = self._case()
        case.action_confirm()
        self._receive(case)
        self._sign_exchange_form(case)
        self._inspect(case)
        self._plan(case, ("scrap", 3), ("restock", 4), ("repair", 2), ("exchange", 1))
        case.sudo(self.user_quality).action_inspect()
        case.sudo(self.user_quality).action_approve_disposition()
        case.sudo(self.user_as).action_execute_dispositions()
        for picking in self._pickings(case).filtered(lambda p: p.state == "assigned"):
            self._validate(picking)
        self._line(case, "repair").sudo(self.user_quality).action_restock_repaired()
        self._validate(self._line(case, "repair").restock_picking_id)
        case.sudo(self.user_as).action_close()
        return case


class TestReturnDisposition(TestReturnCommon):

    def test_ten_units_returned_and_disposed(self):
        initial = dict(quarantine=0.0, repair=0.0, stock=20.0, scrap=0.0, customer=0.0)
        self._assert_quantities(**initial)
        case = self._case()
        self.assertTrue(case.name.startswith("RT"))
        self.assertEqual(case.state, "draft")

        # confirmed: a receipt from the customer into the pending area (待处理产品)
        case.action_confirm()
        self.assertEqual(case.state, "receiving")
        receipt = self._pickings(case)
        self.assertEqual(receipt.picking_type_code, "incoming")
        self.assertEqual(receipt.location_dest_id, self.quarantine)
        self.assertEqual(receipt.location_id.usage, "customer")
        self.assertEqual(receipt.partner_id, self.customer)
        self.assertEqual(case.qty_received, 0.0)  # only done moves count
        self._assert_quantities(**initial)

        self._validate(receipt)
        self.assertEqual(case.state, "to_inspect")
        self.assertEqual(case.qty_received, 10.0)
        self._assert_quantities(quarantine=10.0, repair=0.0, stock=20.0, scrap=0.0,
                                customer=-10.0)

        # quality inspects and plans; QA approves the plan of exactly 10 units
        self._inspect(case)
        self._plan(case, ("scrap", 3), ("restock", 4), ("repair", 2))
        case.sudo(self.user_quality).action_inspect()
        self.assertEqual(case.state, "inspected")
        self.assertEqual(case.inspected_by_id, self.user_quality)
        with self.assertRaisesRegex(UserError, "only 9.0 of the 10.0"):
            case.sudo(self.user_quality).action_approve_disposition()
        self._plan(case, ("exchange", 1))
        with self.assertRaisesRegex(UserError, "only 0.0 left"):
            self._plan(case, ("restock", 1))  # an 11th unit
        self.assertEqual(case.qty_planned, 10.0)
        with self.assertRaises(AccessError):
            case.sudo(self.user_as).action_approve_disposition()
        case.sudo(self.user_quality).action_approve_disposition()
        self.assertEqual(case.state, "disposing")
        self.assertEqual(case.disposition_approved_by_id, self.user_quality)
        with self.assertRaises(UserError):
            self._plan(case, ("restock", 1))  # the approved plan is frozen

        # scrap (报废): an Odoo scrap out of the pending area, done at once
        scrap = self._line(case, "scrap")
        scrap.sudo(self.user_as).action_execute()
        self.assertEqual(scrap.scrap_id.state, "done")
        self.assertEqual(scrap.scrap_id.location_id, self.quarantine)
        self.assertEqual(scrap.state, "done")
        self._assert_quantities(quarantine=7.0, repair=0.0, stock=20.0, scrap=3.0,
                                customer=-10.0)

        # restock: pending area -> stock, validated by the warehouse
        restock = self._line(case, "restock")
        restock.sudo(self.user_as).action_execute()
        self.assertEqual(restock.state, "progress")
        self.assertEqual((restock.picking_id.location_id, restock.picking_id.location_dest_id),
                         (self.quarantine, self.stock))
        self._validate(restock.picking_id)
        self.assertEqual(restock.state, "done")
        self._assert_quantities(quarantine=3.0, repair=0.0, stock=24.0, scrap=3.0,
                                customer=-10.0)

        # repair (返修): pending area -> repair area, re-inspected, then repair area -> stock
        repair = self._line(case, "repair")
        repair.sudo(self.user_as).action_execute()
        self._validate(repair.picking_id)
        self.assertEqual(repair.state, "repair")
        self._assert_quantities(quarantine=1.0, repair=2.0, stock=24.0, scrap=3.0,
                                customer=-10.0)
        with self.assertRaises(AccessError):
            repair.sudo(self.user_as).action_restock_repaired()
        repair.sudo(self.user_quality).action_restock_repaired()
        self.assertEqual(repair.reinspected_by_id, self.user_quality)
        self.assertEqual((repair.restock_picking_id.location_id,
                          repair.restock_picking_id.location_dest_id), (self.repair, self.stock))
        self._validate(repair.restock_picking_id)
        self.assertEqual(repair.state, "done")
        self._assert_quantities(quarantine=1.0, repair=0.0, stock=26.0, scrap=3.0,
                                customer=-10.0)

        # not everything is disposed of yet: the case can't close
        self.assertEqual(case.qty_disposed, 9.0)
        with self.assertRaisesRegex(UserError, "not done yet"):
            case.sudo(self.user_as).action_close()

        # exchange (换货): after the general manager's instruction, a replacement leaves stock
        # for the customer and the returned unit goes to the repair area
        exchange = self._line(case, "exchange")
        with self.assertRaisesRegex(UserError, "general manager's instruction"):
            exchange.sudo(self.user_as).action_execute()
        self._sign_exchange_form(case)
        exchange.sudo(self.user_as).action_execute()
        replacement = exchange.replacement_picking_id
        self.assertEqual(replacement.picking_type_code, "outgoing")
        self.assertEqual((replacement.location_id, replacement.location_dest_id),
                         (self.stock, self.customers))
        self.assertEqual(replacement.partner_id, self.customer)
        self._validate(replacement)
        self.assertEqual(exchange.state, "progress")  # the returned unit has not moved yet
        self._validate(exchange.picking_id)
        self.assertEqual(replacement.state, "done")
        self.assertEqual(exchange.state, "done")
        self._assert_quantities(quarantine=0.0, repair=1.0, stock=25.0, scrap=3.0,
                                customer=-9.0)

        self.assertEqual(case.qty_disposed, 10.0)
        self.assertEqual(case.picking_count, 6)  # receipt, restock, repair x2, exchange x2
        self.assertEqual(case.scrap_count, 1)
        case.sudo(self.user_as).action_close()
        self.assertEqual(case.state, "done")
        self.assertTrue(case.date_closed)
        tracked = case.sudo().message_ids.mapped("tracking_value_ids").filtered(
            lambda t: t.field == "state")
        self.assertEqual(sorted(tracked.mapped("new_value_char")),
                         sorted(["Awaiting Goods", "To Inspect", "Disposition to Approve",
                                 "Disposing", "Closed"]))

    def test_exchange_form_steps_in_order(self):
        case = self._case()
        case.reason = " "
        with self.assertRaisesRegex(UserError, "reason"):
            case.action_confirm()
        case.reason = "外壳破损"
        case.action_confirm()
        with self.assertRaisesRegex(UserError, "office"):
            case.sudo(self.user_gm).action_instruct(reason="同意")
        with self.assertRaisesRegex(UserError, "region manager signs first"):
            case.action_check_office()
        case.action_sign_region()
        with self.assertRaises(UserError):
            case.action_sign_region()  # signed once
        case.sudo(self.user_manager).action_check_office()
        with self.assertRaises(AccessError):
            case.sudo(self.user_manager).action_instruct(reason="同意")
        with self.assertRaisesRegex(UserError, "instruction"):
            case.sudo(self.user_gm).action_instruct(reason="")
        self.assertFalse(case.exchange_form_signed)
        wizard_action = case.sudo(self.user_gm).action_instruct_wizard()
        wizard = self.env["after_sales.reason.wizard"].sudo(self.user_gm).browse(
            wizard_action["res_id"])
        wizard.reason = "同意换货，运费由我司承担"
        wizard.action_confirm()
        self.assertTrue(case.exchange_form_signed)
        steps = case.approval_ids
        self.assertEqual(steps.mapped("step"), ["reason", "region", "office", "gm"])
        self.assertEqual(steps.mapped("user_id"),
                         self.user_as | self.user_manager | self.user_gm)
        self.assertTrue(all(steps.mapped("date")))
        self.assertEqual(steps[0].note, "外壳破损")
        self.assertEqual(steps[-1].note, "同意换货，运费由我司承担")
        with self.assertRaises(UserError):
            steps[-1].sudo(self.user_gm).write({"note": "changed"})

    def test_return_to_supplier(self):
        case = self._case(product_qty=2.0)
        case.action_confirm()
        self._receive(case)
        self._inspect(case)
        line = self._plan(case, ("supplier", 2)).sudo()
        case.sudo(self.user_quality).action_inspect()
        case.sudo(self.user_quality).action_approve_disposition()
        line.sudo(self.user_as).action_execute()
        picking = line.picking_id
        self.assertEqual(picking.partner_id, self.vendor)
        self.assertEqual(picking.location_dest_id.usage, "supplier")
        self._validate(picking)
        self.assertEqual(line.state, "done")
        self.assertEqual(self.Quant._get_available_quantity(self.heater, self.quarantine), 0.0)
        case.action_close()
        self.assertEqual(case.state, "done")

    def test_inspection_and_plan_belong_to_quality(self):
        case = self._case()
        case.action_confirm()
        self._receive(case)
        with self.assertRaises(AccessError):
            case.write({"defect_class": "human"})
        with self.assertRaises(AccessError):
            self._plan(case, ("scrap", 1), user=self.user_as)
        with self.assertRaisesRegex(UserError, "class and the findings"):
            case.sudo(self.user_quality).action_inspect()
        with self.assertRaises(AccessError):
            case.action_inspect()
        with self.assertRaisesRegex(UserError, "vendor"):
            self.env["after_sales.return.disposition"].sudo(self.user_quality).create({
                "return_id": case.id, "disposition_type": "supplier", "quantity": 1})
        self.assertEqual(case.state, "to_inspect")

    def test_plan_refused_before_goods_arrive(self):
        case = self._case()
        case.action_confirm()
        with self.assertRaises(UserError):
            self._plan(case, ("scrap", 1))  # nothing received, and not inspecting yet
        # a partial receipt: inspection starts, but approval waits for the rest
        receipt = self._pickings(case, "incoming")
        receipt.move_line_ids.sudo(self.user_stock).write({"qty_done": 6.0})
        backorder_wizard = receipt.sudo(self.user_stock).button_validate()
        self.env["stock.backorder.confirmation"].browse(
            backorder_wizard["res_id"]).sudo(self.user_stock).process()
        self.assertEqual(case.state, "to_inspect")
        self.assertEqual(case.qty_received, 6.0)
        self._inspect(case)
        self._plan(case, ("restock", 6))
        case.sudo(self.user_quality).action_inspect()
        with self.assertRaisesRegex(UserError, "still awaited"):
            case.sudo(self.user_quality).action_approve_disposition()

    def test_serial_return_scrapped(self):
        lot = self.env["stock.production.lot"].create({"name": "EH60-R-0001",
                                                       "product_id": self.product.id})
        case = self._case(product_id=self.product.id, lot_id=lot.id, product_qty=1.0,
                          invoice_id=False)
        case.action_confirm()
        receipt = self._pickings(case, "incoming")
        self.assertEqual(receipt.move_line_ids.lot_id, lot)  # prefilled from the case
        self._validate(receipt)
        self.assertEqual(self.Quant._get_available_quantity(self.product, self.quarantine,
                                                            lot_id=lot), 1.0)
        self._inspect(case)
        line = self._plan(case, ("scrap", 1)).sudo()
        case.sudo(self.user_quality).action_inspect()
        case.sudo(self.user_quality).action_approve_disposition()
        line.sudo(self.user_as).action_execute()
        self.assertEqual(line.scrap_id.lot_id, lot)
        self.assertEqual(self.Quant._get_available_quantity(self.product, self.quarantine), 0.0)


class TestReturnCompensation(TestReturnCommon):

    def _compensation(self, case, amount, user=None, **vals):
        values = {"return_id": case.id, "amount": amount, "description": "退货退款"}
        values.update(vals)
        Compensation = self.env["after_sales.return.compensation"].sudo(user or self.user_as)
        return Compensation.with_context(default_return_id=case.id).create(values)

    def test_large_compensation_approved_then_credit_note(self):
        self.assertEqual(self.company.after_sales_compensation_limit, 5000.0)
        case = self._case()
        case.action_confirm()
        big = self._compensation(case, 6000.0)
        self.assertEqual(big.method, "credit_note")  # the original invoice is known
        self.assertTrue(big.needs_approval)
        big.action_submit()
        self.assertEqual(big.state, "to_review")
        with self.assertRaisesRegex(UserError, "not approved"):
            big.sudo(self.user_finance).action_execute()
        with self.assertRaises(UserError):
            big.write({"amount": 4000.0})  # frozen once submitted
        big.sudo(self.user_quality).action_review()
        with self.assertRaisesRegex(UserError, "not approved"):
            big.sudo(self.user_finance).action_execute()
        self.assertEqual(case.amount_approved, 0.0)
        big.sudo(self.user_gm).action_approve()
        self.assertEqual((big.state, big.approved_by_id), ("approved", self.user_gm))
        self.assertEqual(case.amount_approved, 6000.0)
        self.assertEqual(case.amount_executed, 0.0)
        with self.assertRaises(AccessError):
            big.sudo(self.user_as).action_execute()
        big.sudo(self.user_finance).action_execute()

        refund = big.invoice_id.sudo(self.user_finance)
        self.assertEqual(refund.type, "out_refund")
        self.assertEqual(refund.refund_invoice_id, self.invoice)
        self.assertIn(refund, self.invoice.refund_invoice_ids)
        self.assertEqual(refund.partner_id, self.invoice.partner_id)
        self.assertEqual(refund.account_id, self.invoice.account_id)
        # the credit note settles the original invoice still open (reconciled with it)
        self.assertEqual(refund.state, "paid")
        self.assertEqual(self.invoice.residual, 20000.0)
        self.assertEqual(refund.amount_total, 6000.0)
        self.assertEqual(big.state, "done")
        self.assertEqual(big.executed_by_id, self.user_finance)
        self.assertEqual(case.amount_executed, 6000.0)
        self.assertEqual(case.invoice_count, 1)

        # below the limit: approved on submission, executed by finance
        small = self._compensation(case, 300.0, compensation_type="compensation")
        self.assertFalse(small.needs_approval)
        small.action_submit()
        self.assertEqual(small.state, "approved")
        small.sudo(self.user_finance).action_execute()
        self.assertEqual(small.invoice_id.sudo(self.user_finance).amount_total, 300.0)
        self.assertEqual(case.amount_approved, 6300.0)
        self.assertEqual(case.amount_executed, 6300.0)

    def test_limit_is_configurable(self):
        settings = self.env["res.config.settings"].create({})
        settings.after_sales_compensation_limit = 10000.0
        settings.execute()
        self.assertEqual(self.company.after_sales_compensation_limit, 10000.0)
        case = self._case()
        case.action_confirm()
        compensation = self._compensation(case, 6000.0)
        self.assertFalse(compensation.needs_approval)
        compensation.action_submit()
        self.assertEqual(compensation.state, "approved")

    def test_compensation_without_goods_needs_quality_then_gm(self):
        case = self._case(has_goods=False, product_id=False, product_qty=0.0, invoice_id=False,
                          cause="installation")
        case.action_confirm()
        self.assertEqual(case.state, "to_inspect")
        self.assertFalse(self._pickings(case))  # nothing to receive
        compensation = self._compensation(case, 800.0, compensation_type="compensation",
                                          description="安装不当造成的墙面损坏")
        self.assertEqual(compensation.method, "payment")  # no invoice to credit
        self.assertTrue(compensation.needs_approval)  # below the limit, but without goods
        compensation.action_submit()
        self.assertEqual(compensation.state, "to_review")
        # the order matters: the general manager can't approve before the quality review
        with self.assertRaisesRegex(UserError, "quality manager reviews"):
            compensation.sudo(self.user_gm).action_approve()
        with self.assertRaises(AccessError):
            compensation.sudo(self.user_as).action_review()
        with self.assertRaises(AccessError):
            compensation.sudo(self.user_quality).action_approve()
        compensation.sudo(self.user_quality).action_review()
        self.assertEqual((compensation.state, compensation.reviewed_by_id),
                         ("to_approve", self.user_quality))
        with self.assertRaisesRegex(UserError, "not approved"):
            compensation.sudo(self.user_finance).action_execute()
        compensation.sudo(self.user_gm).action_approve()
        compensation.sudo(self.user_finance).action_execute()
        bill = compensation.invoice_id.sudo(self.user_finance)
        self.assertEqual(bill.type, "in_invoice")
        self.assertEqual(bill.partner_id, self.customer)
        self.assertEqual(bill.amount_total, 800.0)
        self.assertEqual(bill.state, "open")
        self.assertEqual(case.amount_executed, 800.0)
        # nothing to dispose of: the QA approval of an empty plan, then closure
        self._inspect(case)
        case.sudo(self.user_quality).action_inspect()
        case.sudo(self.user_quality).action_approve_disposition()
        case.action_close()
        self.assertEqual(case.state, "done")

    def test_close_waits_for_compensation(self):
        case = self._case(has_goods=False, product_id=False, invoice_id=False)
        case.action_confirm()
        self._compensation(case, 100.0).action_submit()
        self._inspect(case)
        case.sudo(self.user_quality).action_inspect()
        case.sudo(self.user_quality).action_approve_disposition()
        with self.assertRaisesRegex(UserError, "compensation"):
            case.action_close()


class TestReturnLedger(TestReturnCommon):

    def test_monthly_summary(self):
        case = self._full_case()
        self.assertEqual(case.state, "done")
        with self.assertRaisesRegex(UserError, "closed"):  # no refund on a closed case
            self.env["after_sales.return.compensation"].sudo(self.user_as).create({
                "return_id": case.id, "amount": 1500.0, "description": "退一台的货款"})

        other = self._case(product_qty=2.0)
        other.action_confirm()
        self._receive(other)
        compensation = self.env["after_sales.return.compensation"].sudo(self.user_as).create({
            "return_id": other.id, "amount": 1500.0, "description": "退货款"})
        self.assertEqual(compensation.method, "credit_note")
        compensation.action_submit()
        compensation.sudo(self.user_finance).action_execute()

        Report = self.env["after_sales.return.report"].sudo(self.user_as)
        row = Report.search([("return_id", "=", case.id)])
        self.assertEqual(row.month, case.date[:8] + "01")
        self.assertEqual(row.categ_id, self.heater.categ_id)
        self.assertEqual(row.cause, "defect")
        self.assertEqual(row.defect_class, "quality")
        self.assertEqual(
            (row.qty_received, row.qty_scrap, row.qty_restock, row.qty_repair,
             row.qty_supplier, row.qty_exchange, row.nbr_refund, row.amount_refund),
            (10.0, 3.0, 4.0, 2.0, 0.0, 1.0, 0, 0.0))
        other_row = Report.search([("return_id", "=", other.id)])
        self.assertEqual((other_row.qty_received, other_row.qty_restock, other_row.nbr_refund,
                          other_row.amount_refund), (2.0, 0.0, 1, 1500.0))
        month = Report.read_group(
            [("return_id", "in", (case | other).ids)],
            ["qty_received", "qty_repair", "qty_exchange", "nbr_refund", "amount_refund",
             "nbr_cases", "month", "categ_id"], ["month:month", "categ_id"], lazy=False)
        self.assertEqual(len(month), 1)
        self.assertEqual(
            (month[0]["nbr_cases"], month[0]["qty_received"], month[0]["qty_repair"],
             month[0]["qty_exchange"], month[0]["nbr_refund"], month[0]["amount_refund"]),
            (2, 12.0, 2.0, 1.0, 1, 1500.0))

    def test_ledger_pdf(self):
        case = self._full_case()
        other = self._case(product_qty=2.0)
        _pdf, text = self.render_pdf("after_sales_service.return_ledger_report", case | other)
        self.assertIn("Returns Ledger", text)
        for name in (case.name, other.name):
            self.assertIn(name, text)
        self.assertIn(self.user_as.name, text)  # the handler
        self.assertIn("GH-12", text)
        self.assertIn("Scrap 3", text)
        self.assertIn("Exchange 1", text)


class TestReturnAccess(TestReturnCommon):

    def test_roles(self):
        for user in (self.user_technician, self.user_station, self.user_nobody):
            with self.assertRaises(AccessError):
                self._case(user=user)
        case = self._case()
        with self.assertRaises(AccessError):
            self.Return.sudo(self.user_technician).search([("id", "=", case.id)])
        # the warehouse and finance read (the whole form), never write
        case.action_confirm()
        for user in (self.user_stock, self.user_finance):
            values = case.sudo(user).read()[0]
            self.assertEqual((values["name"], values["qty_received"]), (case.name, 0.0))
        with self.assertRaises(AccessError):
            case.sudo(self.user_stock).write({"reason": "x"})
        with self.assertRaises(AccessError):
            case.sudo(self.user_finance).write({"reason": "x"})

    def test_no_deletion_once_confirmed(self):
        draft = self._case()
        draft.unlink()
        case = self._case()
        case.action_confirm()
        with self.assertRaisesRegex(UserError, "cancel"):
            case.sudo(self.user_manager).unlink()

    def test_cancel(self):
        case = self._case()
        case.action_confirm()
        receipt = self._pickings(case)
        with self.assertRaisesRegex(UserError, "reason"):
            case.action_cancel(reason=" ")
        action = case.action_cancel_wizard()
        wizard = self.env["after_sales.reason.wizard"].browse(action["res_id"])
        wizard.reason = "客户撤回退货"
        wizard.action_confirm()
        self.assertEqual(case.state, "cancel")
        self.assertEqual(receipt.state, "cancel")
        received = self._case()
        received.action_confirm()
        self._receive(received)
        with self.assertRaisesRegex(UserError, "disposed of"):
            received.action_cancel(reason="too late")

    def test_request_smart_button(self):
        request = self.env["after_sales.request"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "category": "return", "product_id": self.heater.id,
            "user_id": self.user_technician.id})
        case = self._case(request_id=request.id)
        self.assertEqual(request.return_count, 1)
        action = request.action_view_returns()
        self.assertEqual(self.Return.search(action["domain"]), case)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        # the technician's request form still reads (the count is the department's)
        values = request.sudo(self.user_technician).read()[0]
        self.assertNotIn("return_count", values)
