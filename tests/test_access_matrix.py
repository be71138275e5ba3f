# -*- coding: utf-8 -*-
"""Who may do what, as one table asserted cell by cell (the README's roles, plus the warehouse,
billing, portal and a user of a second company holding every after-sales group).

- ACTIONS: every approval and the workflow steps that decide something; a cell is Y (the
  action runs and the document moves on) or - (refused with an error, nothing changes).
- Owned fields: every field an action owns (each model's `_owned_fields`), written directly
  by every role that may write the model at all: always refused, the value unchanged.
- CRUD: create/read/write/unlink of every model of the addon, per role.
"""
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import AfterSalesCase

ROLES = ("station", "employee", "technician", "user", "quality", "manager", "gm", "stock",
         "finance", "portal", "other_company")

# action (model.method on a document in the state it needs)  station employee technician user
# quality manager gm stock finance portal other_company
ACTIONS = """
parts_order.action_submit            -  -  -  Y  Y  Y  Y  -  -  -  -
parts_order.action_approve           -  -  -  -  -  Y  Y  -  -  -  -
parts_order.action_reject            -  -  -  -  -  Y  Y  -  -  -  -
visit.action_submit                  -  -  -  Y  Y  Y  Y  -  -  -  -
visit.action_approve                 -  -  -  -  -  -  Y  -  -  -  -
visit.action_reject                  -  -  -  -  -  -  Y  -  -  -  -
expense_claim.action_approve_manager -  -  -  -  -  Y  Y  -  -  -  -
expense_claim.action_approve_finance -  -  -  -  -  -  -  -  Y  -  -
expense_claim.action_approve_gm      -  -  -  -  -  -  Y  -  -  -  -
compensation.action_review           -  -  -  -  Y  -  Y  -  -  -  -
compensation.action_approve          -  -  -  -  -  -  Y  -  -  -  -
return.action_instruct               -  -  -  -  -  -  Y  -  -  -  -
return.action_inspect                -  -  -  -  Y  -  Y  -  -  -  -
request.action_dispatch              -  -  -  Y  Y  Y  Y  -  -  -  -
contract.action_confirm              -  -  -  Y  Y  Y  Y  -  -  -  -
demand.action_refuse                 -  -  -  Y  Y  Y  Y  -  -  -  -
complaint.action_start_investigation -  -  -  -  Y  Y  Y  -  -  -  -
"""

# model                              station employee technician user quality manager gm stock
# finance portal (r w c u; the user of the second company has every after-sales group and
# reaches none of the first company's records: see test_other_company_sees_nothing)
CRUD = """
after_sales.callback                 ----  ----  ----  rwc-  rwc-  rwcu  rwcu  ----  ----  ----
after_sales.callback.answer          ----  ----  ----  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.callback.question        r---  r---  r---  r---  r---  rwcu  rwcu  r---  r---  ----
after_sales.callback.type            r---  r---  r---  r---  r---  rwcu  rwcu  r---  r---  ----
after_sales.complaint                ----  ----  ----  rwc-  rwc-  rwc-  rwc-  ----  ----  ----
after_sales.complaint.action         ----  ----  ----  rwc-  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.complaint.action.report  ----  ----  ----  r---  r---  r---  r---  ----  ----  ----
after_sales.complaint.report         ----  ----  ----  r---  r---  r---  r---  ----  ----  ----
after_sales.contract                 ----  ----  r---  rwcu  rwcu  rwcu  rwcu  ----  r---  ----
after_sales.contract.line            ----  ----  r---  rwcu  rwcu  rwcu  rwcu  ----  r---  ----
after_sales.demand                   rwcu  rwcu  rwcu  rwcu  rwcu  rwcu  rwcu  rwcu  rwcu  ----
after_sales.expense.claim            ----  ----  rwcu  rwcu  rwcu  rwcu  rwcu  ----  rw--  ----
after_sales.expense.claim.line       ----  ----  rwcu  rwcu  rwcu  rwcu  rwcu  ----  r---  ----
after_sales.fee.standard             r---  r---  r---  r---  r---  rwc-  rwc-  r---  r---  ----
after_sales.fee.standard.labour      r---  r---  r---  r---  r---  rwcu  rwcu  r---  r---  ----
after_sales.fee.standard.postage     r---  r---  r---  r---  r---  rwcu  rwcu  r---  r---  ----
after_sales.money.report             ----  ----  ----  r---  r---  r---  r---  ----  r---  ----
after_sales.old.part                 ----  ----  rw--  rwc-  rwc-  rwcu  rwcu  r---  r---  ----
after_sales.parts.issue.report       ----  ----  ----  r---  r---  r---  r---  r---  r---  ----
after_sales.parts.order              ----  ----  r---  rwcu  rwcu  rwcu  rwcu  r---  r---  ----
after_sales.parts.order.line         ----  ----  r---  rwcu  rwcu  rwcu  rwcu  r---  r---  ----
after_sales.qualification.type       r---  r---  r---  r---  r---  rwcu  rwcu  r---  r---  ----
after_sales.request                  rwc-  ----  rw--  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.request.report           ----  ----  ----  r---  r---  r---  r---  ----  ----  ----
after_sales.return                   ----  ----  ----  rwcu  rwcu  rwcu  rwcu  r---  r---  ----
after_sales.return.approval          ----  ----  ----  r-c-  r-c-  r-c-  r-c-  r---  r---  ----
after_sales.return.compensation      ----  ----  ----  rwcu  rwcu  rwcu  rwcu  r---  rw--  ----
after_sales.return.disposition       ----  ----  ----  rw--  rwcu  rw--  rwcu  r---  r---  ----
after_sales.return.report            ----  ----  ----  r---  r---  r---  r---  ----  r---  ----
after_sales.satisfaction.report      ----  ----  ----  r---  r---  r---  r---  ----  ----  ----
after_sales.sla.rule                 r---  r---  r---  r---  r---  rwcu  rwcu  r---  r---  ----
after_sales.team                     r---  r---  r---  r---  r---  rwcu  rwcu  r---  r---  ----
after_sales.technician.qualification ----  ----  ----  r---  r---  rwcu  rwcu  ----  ----  ----
after_sales.visit                    rwc-  ----  rw--  rwcu  rwcu  rwcu  rwcu  r---  ----  ----
after_sales.visit.part               rwc-  ----  rw--  rwcu  rwcu  rwcu  rwcu  r---  ----  ----
after_sales.visit.technician.report  ----  ----  ----  r---  r---  r---  r---  ----  ----  ----
after_sales.visit.tool               rwc-  ----  rw--  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.warranty.card            r---  ----  r---  r-c-  r-c-  rwc-  rwc-  r-c-  ----  ----
after_sales.training.plan            r---  ----  r---  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.training.session         r---  ----  r---  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.training.attendee        r---  ----  r---  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.mentoring                ----  ----  r---  rwc-  rwc-  rwc-  rwc-  ----  ----  ----
after_sales.station.inspection       r---  ----  ----  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.station.inspection.line  r---  ----  ----  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.station.assessment       r---  ----  ----  r---  r---  rwcu  rwcu  ----  ----  ----
after_sales.staff.assessment         ----  ----  r---  rwcu  rwcu  rwcu  rwcu  ----  ----  ----
after_sales.station.agreement        r---  ----  ----  r---  r---  rwc-  rwc-  ----  r---  ----
after_sales.station.agreement.rate   r---  ----  ----  r---  r---  rwcu  rwcu  ----  r---  ----
after_sales.station.settlement       r---  ----  ----  ----  ----  r---  r---  ----  r---  ----
after_sales.station.settlement.line  r---  ----  ----  ----  ----  r---  r---  ----  r---  ----
after_sales.recall                   ----  ----  ----  r---  rwc-  r---  rwc-  r---  ----  ----
after_sales.recall.task              ----  ----  ----  rw--  rwc-  rw--  rwc-  r---  ----  ----
mrp.repair                           ----  ----  ----  rwc-  rwc-  rwc-  rwc-  rwcu  ----  ----
after_sales.survey.plan              ----  ----  ----  rwc-  rwc-  rwcu  rwcu  ----  ----  ----
after_sales.survey.plan.line         ----  ----  ----  rwc-  rwc-  rwcu  rwcu  ----  ----  ----
after_sales.survey.invitation        ----  ----  ----  rwc-  rwc-  rwc-  rwc-  ----  ----  ----
after_sales.survey.result.report     ----  ----  ----  r---  r---  r---  r---  ----  ----  ----
after_sales.quality.audit            ----  ----  ----  ----  rwc-  r---  rwc-  ----  ----  ----
after_sales.quality.audit.line       ----  ----  ----  ----  rwc-  r---  rwc-  ----  ----  ----
after_sales.quality.audit.report     ----  ----  ----  ----  r---  r---  r---  ----  ----  ----
"""


def _table(text):
    rows = {}
    for line in text.strip().splitlines():
        cells = line.split()
        rows[cells[0]] = cells[1:]
    return rows


class TestAccessMatrix(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestAccessMatrix, cls).setUpClass()
        cls.user_employee = cls._create_user("as_employee", [])
        cls.user_portal = cls.env["res.users"].create({
            "name": "Portal Customer", "login": "as_portal", "email": "portal@example.com",
            "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])]})
        cls.company_b = cls.env["res.company"].create({"name": "华南售后服务有限公司"})
        cls.user_other_company = cls._create_user("as_other_company", [
            "after_sales_service.group_general_manager", "stock.group_stock_user",
            "account.group_account_invoice"])
        cls.user_other_company.write({"company_ids": [(6, 0, cls.company_b.ids)],
                                      "company_id": cls.company_b.id})
        cls.users = {
            "station": cls.user_station, "employee": cls.user_employee,
            "technician": cls.user_technician, "user": cls.user_as, "quality": cls.user_quality,
            "manager": cls.user_manager, "gm": cls.user_gm, "stock": cls.user_stock,
            "finance": cls.user_finance, "portal": cls.user_portal,
            "other_company": cls.user_other_company,
        }
        cls.part = cls.env["product.product"].create({
            "name": "温控器 TS-M", "type": "product", "standard_price": 50.0,
            "list_price": 90.0, "taxes_id": [(6, 0, [])]})
        warehouse = cls.env.ref("stock.warehouse0")
        cls.env["stock.quant"]._update_available_quantity(
            cls.part, warehouse.after_sales_parts_location_id, 100.0)

    # ------------------------------------------------------------------ documents in a state

    def _in_state(self, record, state, **vals):
        """Put a document in the state an action needs, as the process would have (the test
        runs as superuser, whose writes the guard lets through)."""
        record.write(dict(vals, state=state))
        return record

    def _request(self):
        return self.env["after_sales.request"].create({
            "partner_id": self.customer.id, "description": "不加热"})

    def _document(self, model):
        """A document ready for the action under test, and the field showing its outcome."""
        if model == "parts_order":
            order = self.env["after_sales.parts.order"].create({
                "partner_id": self.customer.id, "chargeable": True,
                "line_ids": [(0, 0, {"product_id": self.part.id, "quantity": 1.0,
                                     "product_uom_id": self.part.uom_id.id})]})
            return order, "state"
        if model == "visit":
            visit = self.env["after_sales.visit"].create({
                "partner_id": self.customer.id, "purpose": "repair",
                "date_planned": "2026-11-20 09:00:00", "distance_km": 10.0})
            return visit, "state"
        if model == "expense_claim":
            claim = self.env["after_sales.expense.claim"].create({
                "user_id": self.user_technician.id,
                "line_ids": [(0, 0, {"name": "高铁票", "amount": 120.0})]})
            return claim, "state"
        if model == "compensation":
            case = self._in_state(self.env["after_sales.return"].create({
                "partner_id": self.customer.id, "product_id": self.product.id,
                "product_qty": 1.0, "cause": "defect", "reason": "漏水",
                "has_goods": False}), "to_inspect")
            compensation = self.env["after_sales.return.compensation"].create({
                "return_id": case.id, "amount": 100.0, "description": "补偿",
                "method": "payment"})
            return compensation, "state"
        if model == "return":
            case = self.env["after_sales.return"].create({
                "partner_id": self.customer.id, "product_id": self.product.id,
                "product_qty": 1.0, "cause": "defect", "reason": "漏水", "has_goods": False,
                "defect_class": "quality", "findings": "密封圈破损"})
            return case, "state"
        if model == "request":
            return self._request(), "needs_dispatch"
        if model == "contract":
            contract = self.env["after_sales.contract"].create({
                "partner_id": self.customer.id, "date_start": "2027-01-01",
                "date_end": "2027-12-31",
                "line_ids": [(0, 0, {"product_id": self.product.id})]})
            return contract, "state"
        if model == "demand":
            demand = self.env["after_sales.demand"].create({
                "partner_id": self.customer.id, "product_id": self.product.id,
                "description": "安装", "date_desired": "2027-01-10"})
            return demand, "state"
        if model == "complaint":
            complaint = self.env["after_sales.complaint"].create({
                "partner_id": self.customer.id, "content": "漏水"})
            return complaint, "state"
        raise KeyError(model)

    def _prepare(self, action):
        """(document, method, args, outcome field) for an action of the table."""
        model, method = action.split(".")
        record, outcome = self._document(model)
        args = {}
        if model == "parts_order" and method != "action_submit":
            record.action_submit()
        if model == "visit" and method != "action_submit":
            record.action_submit()
        if method in ("action_reject", "action_refuse", "action_instruct"):
            args = {"reason": "不符合规定"}
        if model == "expense_claim":
            state, method = {
                "action_approve_manager": ("submitted", method),
                "action_approve_finance": ("manager_approved", method),
                "action_approve_gm": ("finance_approved", "action_approve_general_manager"),
            }[method]
            self._in_state(record, state)
        if model == "compensation":
            self._in_state(record, {"action_review": "to_review",
                                    "action_approve": "to_approve"}[method])
        if model == "return":
            if method == "action_instruct":
                self._in_state(record, "to_inspect")
                for step in ("reason", "region", "office"):
                    record._as_action()._record_step(step)
                outcome = "exchange_state"
            else:
                self._in_state(record, "to_inspect")
        if model == "request":
            self._in_state(record, "new", needs_dispatch=True)
        if model == "demand":
            self._in_state(record, "submitted")
        return record, method, args, outcome

    def test_actions(self):
        expected = _table(ACTIONS)
        unexpected = []
        for action, cells in sorted(expected.items()):
            for role, cell in zip(ROLES, cells):
                with self.subTest(action=action, role=role):
                    record, method, args, outcome = self._prepare(action)
                    before = record[outcome]
                    allowed = self._try(lambda: getattr(
                        record.sudo(self.users[role]), method)(**args))
                    record.invalidate_cache()
                    changed = record[outcome] != before
                    if (cell == "Y") != (allowed and changed):
                        unexpected.append("%s as %s: expected %s, got %s" % (
                            action, role, cell, "Y" if allowed else "-"))
                    if not allowed:
                        self.assertEqual(record[outcome], before,
                                         "%s refused to %s changed %s" % (action, role, outcome))
        self.assertFalse(unexpected, "\n".join(unexpected))

    @mute_logger("odoo.models", "odoo.addons.base.ir.ir_model")
    def _try(self, call):
        """Run `call` in a savepoint: True when it went through, False when refused (the
        savepoint is rolled back, as a refused RPC call's transaction is)."""
        try:
            with self.env.cr.savepoint():
                call()
                self.env.cr.execute("SAVEPOINT after_action")  # the call's writes are flushed
                self.env.cr.execute("RELEASE SAVEPOINT after_action")
                return True
        except (AccessError, UserError, ValidationError):
            return False

    # ------------------------------------------------------------------ owned fields

    def _other_value(self, record, name):
        """A value different from the field's current one, of the right type."""
        field = record._fields[name]
        current = record[name]
        if field.type == "selection":
            values = [key for key, _label in field._description_selection(self.env)]
            return next(value for value in values if value != current)
        if field.type == "many2one":
            other = self.env[field.comodel_name].search([("id", "!=", current.id)], limit=1)
            return other.id or False
        if field.type in ("one2many", "many2many"):
            return [(5, 0, 0)]
        if field.type == "boolean":
            return not current
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type == "date":
            return "2030-01-01" if current != "2030-01-01" else "2030-01-02"
        if field.type == "datetime":
            return "2030-01-01 08:00:00"
        return "x" if current != "x" else "y"

    def test_owned_fields_refused_to_every_role(self):
        documents = {
            "after_sales.request": self._request(),
            "after_sales.visit": self._document("visit")[0],
            "after_sales.parts.order": self._document("parts_order")[0],
            "after_sales.expense.claim": self._document("expense_claim")[0],
            "after_sales.return": self._document("return")[0],
            "after_sales.return.compensation": self._document("compensation")[0],
            "after_sales.contract": self._document("contract")[0],
            "after_sales.demand": self._document("demand")[0],
            "after_sales.complaint": self._document("complaint")[0],
        }
        station = self.env["res.partner"].create({"name": "苏州特约维修点", "is_company": True,
                                                  "after_sales_is_station": True})
        documents["after_sales.station.agreement"] = self.env[
            "after_sales.station.agreement"].create({"station_id": station.id,
                                                     "date_start": "2026-01-01"})
        callback_type = self.env.ref("after_sales_service.callback_type_satisfaction")
        documents["after_sales.callback"] = self.env["after_sales.callback"].create({
            "type_id": callback_type.id, "partner_id": self.customer.id,
            "date_due": "2026-12-01 09:00:00"})
        passed = []
        for model, record in sorted(documents.items()):
            self.assertTrue(record._owned_fields, model)
            for name in record._owned_fields:
                value = self._other_value(record, name)
                for role in ROLES:
                    user = self.users[role]
                    if not record.sudo(user).check_access_rights("write", False):
                        continue
                    with self.subTest(model=model, field=name, role=role):
                        before = record[name]
                        wrote = self._try(lambda: record.sudo(user).write({name: value}))
                        record.invalidate_cache()
                        if wrote:
                            passed.append("%s.%s written by %s" % (model, name, role))
                        self.assertEqual(record[name], before)
        self.assertFalse(passed, "\n".join(passed))

    def test_forged_context_does_not_open_the_guard(self):
        """A client may send any context: only the server's own mark lets an action write."""
        order = self._document("parts_order")[0]
        order.action_submit()
        forged = order.sudo(self.user_as).with_context(after_sales_action=True)
        with self.assertRaises(AccessError):
            forged.write({"state": "approved"})
        self.assertEqual(order.state, "to_approve")

    def test_form_values_equal_to_current_ones_pass(self):
        """Forms send every field: unchanged values of owned fields are not a change."""
        request = self._request().sudo(self.user_as)
        request.write({"state": request.state, "needs_dispatch": False, "is_late": False,
                       "description": "不加热, 显示 E1"})
        self.assertEqual(request.description, "不加热, 显示 E1")

    # ------------------------------------------------------------------ CRUD and companies

    def test_crud(self):
        expected = _table(CRUD)
        unexpected = []
        for model, cells in sorted(expected.items()):
            for role, cell in zip(ROLES, cells):
                Model = self.env[model].sudo(self.users[role])
                got = "".join(op[0] if Model.check_access_rights(op, False) else "-"
                              for op in ("read", "write", "create", "unlink"))
                if got != cell:
                    unexpected.append("%s as %s: expected %s, got %s" % (model, role, cell, got))
        self.assertFalse(unexpected, "\n".join(unexpected))

    def test_other_company_sees_nothing(self):
        """A user of the second company, with every after-sales group, finds none of the first
        company's documents and can write none of them."""
        documents = [self._request(), self._document("visit")[0],
                     self._document("parts_order")[0], self._document("expense_claim")[0],
                     self._document("return")[0], self._document("contract")[0],
                     self._document("complaint")[0]]
        callback_type = self.env.ref("after_sales_service.callback_type_satisfaction")
        documents.append(self.env["after_sales.callback"].create({
            "type_id": callback_type.id, "partner_id": self.customer.id,
            "date_due": "2026-12-01 09:00:00"}))
        seen = []
        for record in documents:
            Model = self.env[record._name].sudo(self.user_other_company)
            if Model.search_count([("id", "=", record.id)]):
                seen.append(record._name)
            with self.subTest(model=record._name):
                with self.assertRaises(AccessError):
                    record.sudo(self.user_other_company).write({"name": record.name})
        self.assertFalse(seen, "visible to the other company: %s" % ", ".join(seen))
