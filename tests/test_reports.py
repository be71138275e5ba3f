# -*- coding: utf-8 -*-
import io

from odoo.modules.module import get_module_resource
from odoo.tools.translate import PoFile

from .common import AfterSalesCase

# the QWeb views of every printed form, and the dashboard
REPORT_VIEWS = (
    "after_sales_service.request_report_document",
    "after_sales_service.parts_order_report_document",
    "after_sales_service.visit_report_copy",
    "after_sales_service.callback_report_document",
    "after_sales_service.report_complaint_handling_document",
    "after_sales_service.report_complaint_reply_document",
    "after_sales_service.return_exchange_document",
    "after_sales_service.return_ledger_document",
    "after_sales_service.dashboard_view_form",  # not printed, but read every day
)
_PO_TERMS = {}


def po_view_terms(view_xmlid):
    """{English term: Chinese} that i18n/zh_CN.po lists for a QWeb view (msgstr may be empty)."""
    if not _PO_TERMS:
        path = get_module_resource("after_sales_service", "i18n", "zh_CN.po")
        with open(path, "rb") as f:
            for trans_type, name, res_id, source, translation, _comments in PoFile(
                    io.BytesIO(f.read())):
                if trans_type == "model" and name == "ir.ui.view,arch_db":
                    _PO_TERMS.setdefault(res_id, {})[source] = translation
    return _PO_TERMS.get(view_xmlid, {})


def view_terms_pending(case, view_xmlids):
    """Check that the zh_CN translation covers every text of the views; return the terms that
    zh_CN.po does not list at all (the .pot is stale: `make pot` was not run)."""
    pending = []
    View = case.env["ir.ui.view"].with_context(lang=None)
    for xmlid in view_xmlids:
        view = View.browse(case.env.ref(xmlid).id)
        known = po_view_terms(xmlid)
        for term in view._fields["arch_db"].get_trans_terms(view.arch_db):
            if len(term.strip()) <= 1:
                continue  # Odoo's exporter leaves out one-character terms ("#", ":")
            if term not in known:
                pending.append("%s: %r" % (xmlid, term))
            else:
                case.assertTrue(known[term], "untranslated in zh_CN.po (%s): %r" % (xmlid, term))
    return pending


class TestReports(AfterSalesCase):
    """Every printed form, rendered by wkhtmltopdf in Chinese with the company header."""

    @classmethod
    def setUpClass(cls):
        super(TestReports, cls).setUpClass()
        cls.env["res.lang"].load_lang("zh_CN")
        cls.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        cls.company.write({"name": "杭州恒温电器有限公司", "phone": "0571-8765 4321",
                           "street": "滨江区江南大道 88 号", "city": "杭州"})
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.heater = cls.env["product.product"].create({
            "name": "燃气热水器 GH-12", "type": "product", "default_code": "GH-12",
            "standard_price": 1500.0})
        cls.env["stock.quant"]._update_available_quantity(cls.heater,
                                                          cls.warehouse.lot_stock_id, 20.0)
        cls.thermostat = cls.env["product.product"].create({
            "name": "温控器 TS-7", "type": "product", "default_code": "TS-7",
            "standard_price": 80.0})

    def assertHeader(self, text, copies=1):
        """The company header and footer of web.external_layout, at least once per record
        (on every page with a patched wkhtmltopdf)."""
        self.assertGreaterEqual(text.count("杭州恒温电器有限公司"), copies, text)
        self.assertGreaterEqual(text.count("滨江区江南大道 88 号"), copies)
        self.assertGreaterEqual(text.count("0571-8765 4321"), copies)

    def assertTitle(self, text, title, copies=1):
        """The form's title, on a line of its own, once per record."""
        lines = [line.strip() for line in text.splitlines()]
        self.assertEqual(lines.count(title), copies, text)

    def zh(self, view_xmlid, english, chinese):
        """The text to expect for a term of a view in Chinese: as zh_CN.po translates it, or
        still the English while the po does not list the term for that view (new on a branch,
        before `make pot`; the completeness test below reports it)."""
        known = po_view_terms(view_xmlid)
        if english in known:
            self.assertEqual(known[english], chinese)
            return chinese
        return english

    def _request(self, **vals):
        values = {"partner_id": self.customer.id, "channel": "hotline", "category": "repair",
                  "product_id": self.product.id, "description": "热水器不加热"}
        values.update(vals)
        return self.env["after_sales.request"].sudo(self.user_as).create(values)

    def _case(self, **vals):
        values = {"partner_id": self.customer.id, "product_id": self.heater.id,
                  "product_qty": 2.0, "cause": "defect", "reason": "开机后熄火 客户要求换货"}
        values.update(vals)
        return self.env["after_sales.return"].sudo(self.user_as).create(values)

    # ------------------------------------------------------------------ forms

    def test_registration_forms_of_two_requests(self):
        first = self._request(contact_name="王工", project_name="滨江花园 3 幢")
        second = self._request(description="显示屏无显示", category="installation")
        _pdf, text = self.render_pdf("after_sales_service.request_report", first | second,
                                     lang="zh_CN")
        self.assertTitle(text, "报修登记表", copies=2)
        self.assertHeader(text, copies=2)
        for request in (first, second):
            self.assertIn(request.name, text)
        self.assertIn("滨江花园 3 幢", text)
        self.assertIn("显示屏无显示", text)
        self.assertIn("保修期外", text)  # the warranty decision in words, not stored English
        self.assertNotIn("no delivery date", text)

    def test_internal_forms_in_the_users_language(self):
        """Internal forms follow the user who prints, whatever the customer's language."""
        self.customer.lang = "en_US"
        request = self._request()
        _pdf, text = self.render_pdf("after_sales_service.request_report", request,
                                     lang="zh_CN")
        self.assertTitle(text, "报修登记表")
        self.assertNotIn("Repair Registration Form", text)
        _pdf, text = self.render_pdf("after_sales_service.request_report", request,
                                     lang="en_US")
        self.assertTitle(text, "Repair Registration Form")

    def test_outbound_order(self):
        order = self.env["after_sales.parts.order"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "shipping_method": "courier",
            "carrier_tracking_ref": "SF900800700",
            "line_ids": [(0, 0, {"product_id": self.thermostat.id, "quantity": 2.0,
                                 "product_uom_id": self.thermostat.uom_id.id,
                                 "old_part_expected": True})]})
        other = order.copy()
        _pdf, text = self.render_pdf("after_sales_service.parts_order_report", order | other,
                                     lang="zh_CN")
        self.assertTitle(text, "出库单", copies=2)
        self.assertHeader(text, copies=2)
        self.assertIn(order.name, text)
        self.assertIn(other.name, text)
        self.assertIn("温控器 TS-7", text)
        self.assertIn("SF900800700", text)
        self.assertIn("快递", text)

    def test_service_record_two_copies(self):
        qualifications = self.env["after_sales.qualification.type"].search(
            ["|", ("purpose", "=", "repair"), ("purpose", "=", False)])
        for qualification in qualifications:
            self.env["after_sales.technician.qualification"].create({
                "user_id": self.user_technician.id, "type_id": qualification.id,
                "date_obtained": "2025-01-01", "date_expiry": "2035-12-31"})
        visit = self.env["after_sales.visit"].sudo(self.user_as).create({
            "request_id": self._request().id, "partner_id": self.customer.id,
            "purpose": "repair", "date_planned": "2026-11-20 09:00:00",
            "technician_ids": [(6, 0, self.user_technician.ids)]})
        visit.sudo(self.user_as).write({"fault_found": "点火针积碳", "handling": "清洁点火针"})
        _pdf, text = self.render_pdf("after_sales_service.visit_report", visit, lang="zh_CN")
        self.assertTitle(text, "维护服务记录表", copies=2)
        self.assertIn("客户联", text)
        self.assertIn("存根联", text)
        self.assertEqual(text.count(visit.name), 2)
        self.assertIn("清洁点火针", text)
        self.assertHeader(text)  # one document: the header once, on the first copy

    def test_callback_records_titled_per_type(self):
        Callback = self.env["after_sales.callback"]
        callbacks = Callback.browse()
        for kind in ("usage", "satisfaction", "key_customer"):
            callbacks |= Callback.create({
                "type_id": self.env.ref("after_sales_service.callback_type_" + kind).id,
                "partner_id": self.customer.id, "product_id": self.product.id,
                "date_due": "2026-11-20 02:00:00", "user_id": self.user_as.id})
        usage, satisfaction, key_customer = callbacks
        usage.answer_ids.filtered(lambda a: a.kind == "yesno").write({"value_yesno": "yes"})
        usage.answer_ids.filtered(lambda a: a.kind == "rating").write({"value_rating": "5"})
        usage.answer_ids.filtered(lambda a: a.kind == "text").write(
            {"value_text": "使用正常 无其他需求"})
        usage.sudo(self.user_as).action_done()
        _pdf, text = self.render_pdf("after_sales_service.callback_report", callbacks,
                                     lang="zh_CN")
        pages = text.split("\f")
        self.assertTitle(pages[0], "顾客回访记录单")
        self.assertIn(usage.name, pages[0])
        self.assertIn("使用正常 无其他需求", pages[0])
        self.assertIn("产品是否工作正常", pages[0])  # the questionnaire in Chinese
        self.assertIn(self.zh("after_sales_service.callback_report_document", "Satisfied",
                              "满意"), pages[0])
        self.assertTitle(pages[1], "顾客服务回访记录单")
        self.assertIn(satisfaction.name, pages[1])
        key_page = [page for page in pages if key_customer.name in page][0]
        self.assertTitle(key_page, self.zh("after_sales_service.callback_report_document",
                                           "Callback Record", "回访记录单"))
        self.assertHeader(text, copies=3)

    def test_complaint_forms_and_reply_letter(self):
        complaint = self.env["after_sales.complaint"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "complainant": "陈先生", "phone": "021-5555 0199",
            "channel": "hotline", "product_id": self.product.id, "product_spec": "60 L",
            "batch": "B-2411", "content": "进水口漏水"})
        _pdf, text = self.render_pdf("after_sales_service.complaint_handling_report",
                                     complaint, lang="zh_CN")
        self.assertTitle(text, "客户投诉处理单")
        self.assertIn(complaint.name, text)
        self.assertIn("进水口漏水", text)
        self.assertIn("B-2411", text)
        self.assertHeader(text)
        # the reply letter is the customer's: in the customer's language
        self.customer.lang = "zh_CN"
        _pdf, text = self.render_pdf("after_sales_service.complaint_reply_report", complaint,
                                     lang="en_US")
        self.assertTitle(text, "顾客投诉处理答复书")
        self.assertIn("陈先生", text)
        self.assertIn(complaint.name, text)
        self.assertHeader(text)
        self.customer.lang = "en_US"
        _pdf, text = self.render_pdf("after_sales_service.complaint_reply_report", complaint,
                                     lang="zh_CN")
        self.assertTitle(text, "Reply to Customer Complaint")

    def test_exchange_forms(self):
        case = self._case()
        case.action_confirm()
        case.sudo(self.user_as).action_sign_region()
        case.sudo(self.user_as).action_check_office()
        case.sudo(self.user_gm).action_instruct(reason="同意换货")
        no_goods = self._case(has_goods=False, product_id=False, reason="运输破损 客户自行处理")
        _pdf, text = self.render_pdf("after_sales_service.return_exchange_report",
                                     case | no_goods, lang="zh_CN")
        title = self.zh("after_sales_service.return_exchange_document", "Exchange Form", "换货单")
        self.assertTitle(text, title, copies=2)
        self.assertHeader(text, copies=2)
        pages = text.split("\f")
        first = "".join(page for page in pages if case.name in page)
        self.assertIn("燃气热水器 GH-12", first)
        self.assertIn("开机后熄火 客户要求换货", first)
        self.assertIn("质量问题", first)  # the cause, in Chinese
        self.assertIn("同意换货", first)  # the general manager's instruction
        self.assertIn(self.user_as.name, first)  # the handler, who also signed for the office
        self.assertIn(self.user_gm.name, first)
        for step in ("区域经理签字", "办公室审核", "总经理批示"):
            self.assertIn(step, first)
        self.assertIn("运输破损 客户自行处理", text)

    def test_returns_ledger_of_many_cases(self):
        cases = self.env["after_sales.return"].browse()
        for quantity in range(1, 13):
            cases |= self._case(product_qty=quantity)
        _pdf, text = self.render_pdf("after_sales_service.return_ledger_report", cases,
                                     lang="zh_CN")
        self.assertTitle(text, "换货登记台账")
        for case in cases:
            self.assertIn(case.name, text)
        self.assertIn(self.user_as.name, text)
        self.assertIn("78.0", text)  # the total returned, 1 + 2 + ... + 12
        self.assertHeader(text)  # one ledger, one header

    def test_zh_cn_covers_the_forms(self):
        """No English left on the forms: every text of the report views is translated."""
        pending = view_terms_pending(self, REPORT_VIEWS)
        self.assertFalse(pending, "terms missing from zh_CN.po (run make pot, then translate "
                                  "them): %s" % "; ".join(pending))
