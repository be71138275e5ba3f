# -*- coding: utf-8 -*-
from xmlrpc import client as xmlrpclib

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import HttpCase, get_db_name

from .common import AfterSalesCase


class TestRecall(AfterSalesCase):
    """召回 (001-5 四.4-5). Dehumidifiers DH-20 with serials R1-R5 were delivered: R1 and R2
    to 甲, R3 to 乙, R4 to 丙 (but installed at 丁: its warranty card names 丁), R5 to 戊.
    Serials R1-R4 are recalled. Untracked filters were delivered to 甲 (3, today) and to 乙
    (2, in 2025): a recall of today's deliveries finds 甲's 3 only."""

    @classmethod
    def setUpClass(cls):
        super(TestRecall, cls).setUpClass()
        cls.Quant = cls.env["stock.quant"]
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.stock = cls.warehouse.lot_stock_id
        cls.quarantine = cls.warehouse.after_sales_quarantine_location_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        Partner = cls.env["res.partner"]
        cls.jia, cls.yi, cls.bing, cls.ding, cls.wu = [
            Partner.create({"name": name, "customer": True, "is_company": True,
                            "phone": "0512-6000 000%s" % index})
            for index, name in enumerate(("甲公司", "乙公司", "丙公司", "丁公司", "戊公司"))]
        cls.supplier = Partner.create({"name": "无锡压缩机厂", "supplier": True,
                                       "is_company": True})
        cls.dryer = cls.env["product.product"].create({
            "name": "除湿机 DH-20", "type": "product", "tracking": "serial",
            "standard_price": 900.0})
        cls.filter = cls.env["product.product"].create({
            "name": "滤芯 F-1", "type": "product", "standard_price": 20.0})
        Lot = cls.env["stock.production.lot"]
        cls.lots = [Lot.create({"name": "R%s" % number, "product_id": cls.dryer.id})
                    for number in range(1, 7)]
        for lot in cls.lots:
            cls.Quant._update_available_quantity(cls.dryer, cls.stock, 1.0, lot_id=lot)
        cls.Quant._update_available_quantity(cls.filter, cls.stock, 10.0)
        cls.deliveries = {}
        for partner, lots in ((cls.jia, cls.lots[0:2]), (cls.yi, cls.lots[2:3]),
                              (cls.bing, cls.lots[3:4]), (cls.wu, cls.lots[4:5])):
            cls.deliveries[partner] = cls._deliver(partner, cls.dryer, len(lots), lots)
        # R4 is installed at 丁 (the card of the installed base names its user)
        cls.env["after_sales.warranty.card"].create({
            "partner_id": cls.ding.id, "product_id": cls.dryer.id, "lot_id": cls.lots[3].id,
            "date_delivered": fields.Date.context_today(cls.env.user)})
        cls._deliver(cls.jia, cls.filter, 3.0)
        old = cls._deliver(cls.yi, cls.filter, 2.0)
        old.move_line_ids.write({"date": "2025-03-01 10:00:00"})
        old.move_lines.write({"date": "2025-03-01 10:00:00"})

    @classmethod
    def _deliver(cls, partner, product, quantity, lots=()):
        picking = cls.env["stock.picking"].create({
            "picking_type_id": cls.warehouse.out_type_id.id, "partner_id": partner.id,
            "location_id": cls.stock.id, "location_dest_id": cls.customers.id,
            "move_lines": [(0, 0, {
                "name": product.name, "product_id": product.id, "product_uom_qty": quantity,
                "product_uom": product.uom_id.id, "location_id": cls.stock.id,
                "location_dest_id": cls.customers.id})]})
        picking.action_confirm()
        picking.action_assign()
        picking.move_line_ids.unlink()
        move = picking.move_lines
        for lot in lots or [None]:
            cls.env["stock.move.line"].create({
                "move_id": move.id, "picking_id": picking.id, "product_id": product.id,
                "product_uom_id": product.uom_id.id, "lot_id": lot and lot.id,
                "qty_done": 1.0 if lot else quantity, "location_id": cls.stock.id,
                "location_dest_id": cls.customers.id})
        picking.action_done()
        assert picking.state == "done", picking.state
        return picking

    def _recall(self, **vals):
        values = {"product_id": self.dryer.id, "lot_ids": [(6, 0, [l.id for l in self.lots[:4]])],
                  "reason": "压缩机电容批次缺陷，存在过热风险", "supplier_id": self.supplier.id,
                  "max_tries": 2, "date_from": False, "date_to": False}
        values.update(vals)
        return self.env["after_sales.recall"].sudo(self.user_quality).create(values)

    def _tasks(self, recall):
        return {(task.partner_id.name, task.lot_id.name or False, task.quantity)
                for task in recall.task_ids}

    def _validate(self, picking):
        picking = picking.sudo(self.user_stock)
        if picking.state != "assigned":
            picking.action_assign()
        self.assertEqual(picking.state, "assigned", picking.name)
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.button_validate()
        self.assertEqual(picking.state, "done", picking.name)

    def _lot_at(self, lot, location):
        quants = self.Quant.sudo().search([("lot_id", "=", lot.id),
                                           ("location_id", "=", location.id)])
        return sum(quants.mapped("quantity"))

    # ------------------------------------------------------------------ finding the customers

    def test_find_customers_by_serials(self):
        recall = self._recall()
        self.assertTrue(recall.name.startswith("RC"))
        tasks = recall.action_find_customers()
        self.assertEqual(self._tasks(recall), {("甲公司", "R1", 1.0), ("甲公司", "R2", 1.0),
                                               ("乙公司", "R3", 1.0), ("丁公司", "R4", 1.0)})
        self.assertEqual(len(tasks), 4)
        r4 = recall.task_ids.filtered(lambda t: t.lot_id == self.lots[3])
        self.assertTrue(r4.warranty_card_id)
        self.assertEqual(r4.delivery_picking_id, self.deliveries[self.bing])
        self.assertEqual(recall.task_ids.filtered(lambda t: t.lot_id == self.lots[2])
                         .delivery_picking_id, self.deliveries[self.yi])
        # found again: nothing twice
        self.assertFalse(recall.action_find_customers())
        self.assertEqual(len(recall.task_ids), 4)
        self.assertEqual((recall.task_count, recall.qty_found), (4, 4.0))

    def test_find_customers_by_delivery_period(self):
        today = self.env["after_sales.document.mixin"]._local_date(fields.Datetime.now(),
                                                                   self.company)
        recall = self._recall(product_id=self.filter.id, lot_ids=[(6, 0, [])],
                              date_from=today, date_to=today)
        recall.action_find_customers()
        self.assertEqual(self._tasks(recall), {("甲公司", False, 3.0)})
        wide = self._recall(product_id=self.filter.id, lot_ids=[(6, 0, [])],
                            date_from="2025-01-01", date_to=today)
        wide.action_find_customers()
        self.assertEqual(self._tasks(wide), {("甲公司", False, 3.0), ("乙公司", False, 2.0)})

    # ------------------------------------------------------------------ the campaign

    def test_recall_campaign(self):
        spare = self.lots[5]
        recall = self._recall()
        recall.action_find_customers()
        recall.action_start()
        self.assertEqual(recall.state, "in_progress")
        task = {t.lot_id.name: t.sudo(self.user_as) for t in recall.task_ids}

        # 乙 and 丁 can't be reached: unreachable after the campaign's 2 attempts
        task["R3"].action_log_failed_try(note="无人接听")
        self.assertEqual((task["R3"].tries, task["R3"].state), (1, "to_contact"))
        task["R3"].action_log_failed_try()
        self.assertEqual((task["R3"].tries, task["R3"].state), (2, "unreachable"))
        with self.assertRaises(UserError):
            task["R3"].action_log_failed_try()
        task["R4"].action_log_failed_try()
        task["R4"].action_log_failed_try()

        # 甲 sends R1 back, and R2 is replaced by the spare R6
        task["R1"].action_retrieve()
        case = task["R1"].return_id
        self.assertEqual((case.partner_id, case.lot_id, case.state),
                         (self.jia, self.lots[0], "receiving"))
        self.assertEqual(task["R1"].state, "retrieving")
        task["R2"].write({"action": "replace"})
        task["R2"].action_retrieve()
        with self.assertRaises(UserError):
            task["R1"].action_retrieve()
        with self.assertRaises(UserError):  # still open
            recall.action_done()

        receipts = self.env["stock.picking"].search(
            [("after_sales_return_id", "in", (case | task["R2"].return_id).ids)])
        self.assertEqual(set(receipts.mapped("location_dest_id")), {self.quarantine})
        for receipt in receipts:
            self._validate(receipt)
        self.assertEqual(self._lot_at(self.lots[0], self.quarantine), 1.0)
        self.assertEqual(self._lot_at(self.lots[1], self.quarantine), 1.0)
        self.assertEqual(case.state, "to_inspect")
        self.assertEqual(task["R1"].state, "retrieved")
        self.assertEqual(task["R2"].state, "retrieving")  # the replacement is not there yet
        replacement = task["R2"].sudo().replacement_picking_id
        replacement.move_line_ids.write({"lot_id": spare.id})
        self._validate(replacement)
        self.assertEqual(task["R2"].state, "replaced")
        self.assertEqual(self._lot_at(spare, self.stock), 0.0)

        recall.action_done()
        self.assertEqual(recall.state, "done")
        self.assertEqual((recall.qty_found, recall.qty_retrieved, recall.qty_replaced,
                          recall.qty_unreachable, recall.qty_open), (4.0, 1.0, 1.0, 2.0, 0.0))
        self.assertEqual(recall.return_count, 2)
        tracked = recall.sudo().message_ids.mapped("tracking_value_ids").filtered(
            lambda t: t.field == "state")
        self.assertEqual(set(tracked.mapped("new_value_char")), {"In Progress", "Done"})

        pdf, text = self.render_pdf("after_sales_service.recall_report", recall)
        self.assertIn(recall.name, text)
        self.assertIn("丁公司", text)
        self.assertRegex(text, r"Units Found\s+4\s+Units Retrieved\s+1")
        self.assertRegex(text, r"R4\s+1\s+\S+\s+2\s+Unreachable")

    # ------------------------------------------------------------------ roles and input

    def test_roles_and_owned_fields(self):
        recall = self._recall()
        with self.assertRaises(AccessError):
            recall.sudo(self.user_as).action_find_customers()
        with self.assertRaises(AccessError):
            self.env["after_sales.recall"].sudo(self.user_as).create({
                "product_id": self.dryer.id, "reason": "x"})
        recall.action_find_customers()
        with self.assertRaises(AccessError):
            recall.sudo(self.user_as).action_start()
        task = recall.task_ids[0]
        with self.assertRaises(UserError):  # the recall is not started
            task.sudo(self.user_as).action_retrieve()
        recall.action_start()
        for vals in ({"state": "done"}, {"date_done": "2026-01-01 00:00:00"},
                     {"product_id": self.filter.id}):
            with self.assertRaises(AccessError):
                recall.write(vals)
        for vals in ({"state": "retrieved"}, {"tries": 5}, {"partner_id": self.wu.id},
                     {"quantity": 9.0}):
            with self.assertRaises(AccessError):
                task.sudo(self.user_as).write(vals)
        with self.assertRaises(AccessError):
            self.env["after_sales.recall.task"].sudo(self.user_quality).create({
                "recall_id": recall.id, "partner_id": self.wu.id})
        with self.assertRaises(AccessError):
            task.sudo(self.user_technician).action_log_failed_try()
        with self.assertRaises(AccessError):
            task.sudo(self.user_stock).write({"result": "x"})
        # what the user types passes
        task.sudo(self.user_as).write({"result": "客户同意寄回", "action": "replace"})
        self.assertEqual(recall.sudo(self.user_stock).qty_found, 4.0)

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._recall(max_tries=0)
        with self.assertRaises(ValidationError):
            self._recall(date_from="2026-05-01", date_to="2026-04-01")
        recall = self._recall(lot_ids=[(6, 0, [])])
        with self.assertRaises(UserError):
            recall.action_find_customers()
        with self.assertRaises(UserError):  # nobody found yet
            recall.action_start()

    def test_second_company_sees_nothing(self):
        self._create_second_company(prefix="rc")
        recall = self._recall()
        recall.action_find_customers()
        self.assertFalse(self.env["after_sales.recall"].sudo(self.rc_quality).search([]))
        self.assertFalse(self.env["after_sales.recall.task"].sudo(self.rc_as_user).search([]))
        other = self.env["after_sales.recall"].sudo(self.rc_quality).create({
            "product_id": self.dryer.id, "lot_ids": [(6, 0, [self.lots[0].id])],
            "reason": "另一公司"})
        # its warehouse is its own company's, and the first company's deliveries are not its
        self.assertEqual(other.warehouse_id.company_id, other.company_id)
        other.action_find_customers()
        self.assertFalse(other.task_ids)


class TestQualityLoopRpc(HttpCase):
    """What an XML-RPC client of each role may write on recalls and depot repairs: the fields
    their actions own are refused, the actions check the role."""

    def setUp(self):
        super(TestQualityLoopRpc, self).setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.db = get_db_name()
        self.users = {}
        for login, groups in (("rpc_dr_user", ["after_sales_service.group_user"]),
                              ("rpc_dr_quality", ["after_sales_service.group_quality"])):
            group_ids = [self.env.ref(xmlid).id for xmlid in groups + ["base.group_user"]]
            self.users[login] = self.env["res.users"].create({
                "name": login, "login": login, "password": login, "email": login + "@x.cn",
                "groups_id": [(6, 0, group_ids)]})
        customer = self.env["res.partner"].create({"name": "苏州精工机械", "customer": True})
        product = self.env["product.product"].create({"name": "水泵 P-3", "type": "product"})
        request = self.env["after_sales.request"].create({
            "partner_id": customer.id, "product_id": product.id, "description": "漏水"})
        request.action_start()
        request.action_send_to_repair()
        self.repair = request.repair_id
        self.request = request
        self.recall = self.env["after_sales.recall"].create({
            "product_id": product.id, "reason": "密封圈缺陷",
            "date_from": "2026-01-01", "date_to": "2026-12-31"})
        self.task = self.env["after_sales.recall.task"]._as_action().create({
            "recall_id": self.recall.id, "partner_id": customer.id, "quantity": 1.0})
        self.registry.test_cr.commit()

    def call(self, login, model, method, args):
        return self.xmlrpc_object.execute_kw(self.db, self.users[login].id, login, model,
                                             method, args, {})

    def assertRefused(self, login, model, method, args):
        with self.assertRaises(xmlrpclib.Fault) as refused:
            self.call(login, model, method, args)
        self.assertIn(refused.exception.faultCode, (2, 4), refused.exception.faultString)

    def test_owned_fields_and_actions(self):
        self.assertRefused("rpc_dr_user", "mrp.repair", "write",
                           [[self.repair.id], {"invoice_method": "b4repair"}])
        self.assertRefused("rpc_dr_user", "mrp.repair", "create", [{
            "product_id": self.repair.product_id.id,
            "product_uom": self.repair.product_uom.id,
            "location_id": self.repair.location_id.id,
            "location_dest_id": self.repair.location_id.id,
            "after_sales_request_id": self.request.id}])
        self.assertRefused("rpc_dr_user", "after_sales.request", "action_send_to_repair",
                           [[self.request.id]])
        self.assertRefused("rpc_dr_user", "after_sales.recall", "action_find_customers",
                           [[self.recall.id]])
        self.assertRefused("rpc_dr_quality", "after_sales.recall", "write",
                           [[self.recall.id], {"state": "done"}])
        self.assertRefused("rpc_dr_user", "after_sales.recall.task", "write",
                           [[self.task.id], {"state": "retrieved", "tries": 9}])
        self.assertRefused("rpc_dr_quality", "after_sales.recall.task", "create",
                           [{"recall_id": self.recall.id,
                             "partner_id": self.task.partner_id.id}])
        self.assertTrue(self.call("rpc_dr_user", "after_sales.recall.task", "write",
                                  [[self.task.id], {"result": "已联系", "action": "replace"}]))
        self.assertTrue(self.call("rpc_dr_quality", "after_sales.recall", "action_start",
                                  [[self.recall.id]]))
        for record in (self.recall, self.task, self.repair):
            record.invalidate_cache()
        self.assertEqual((self.recall.state, self.task.state, self.task.tries),
                         ("in_progress", "to_contact", 0))
        self.assertEqual(self.repair.invoice_method, "after_repair" if not
                         self.request.in_warranty else "none")
