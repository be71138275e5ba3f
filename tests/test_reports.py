# -*- coding: utf-8 -*-
import base64
import io
import re
import subprocess
import tempfile
import unicodedata

import lxml.html

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
    "after_sales_service.fee_standard_report_document",
    "after_sales_service.statistics_report_document",
    "after_sales_service.report_form_title",  # what every form shares
    "after_sales_service.report_form_signatures",
    "after_sales_service.dashboard_view_form",  # not printed, but read every day
    "after_sales_service.visit_training_report_document",
    "after_sales_service.staff_assessment_report_document",
    "after_sales_service.recall_document",
    "after_sales_service.station_settlement_report_document",
    "after_sales_service.report_complaint_list",
)
_PO_TERMS = {}
# Qt's PDF writer gives each glyph the lowest code point the font maps to it: Noto Sans CJK SC
# draws these radicals (CJK Radicals Supplement, and ⼾) with the glyph of the ideograph after
# them, so the PDF's text says ⻔ for 门, ⻅ for 见, ⼾ for 户. The other Kangxi radicals are
# undone by NFKC (see AfterSalesCase.pdf_text).
SC_RADICALS = str.maketrans(dict(zip(
    "⺂⺃⺅⺉⺋⺏⺐⺒⺓⺔⺕⺖⺘⺙⺛⺞⺠⺡⺣⺤⺦⺨⺭⺯⺰⺱⺳⺹⺺⺾⻂⻅⻆⻈⻉⻋⻌⻐⻑⻒⻓⻔⻖⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻮⻯⻰⻱⻲⼾",
    "乛乚亻刂㔾尣尢巳幺彑彐忄扌攵旡歺民氵灬爫丬犭礻糹纟罓㓁耂肀艹衤见角讠贝车辶钅長镸长门阝青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐齿竜龙龜亀户")))


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


class ReportsCase(AfterSalesCase):
    """The company, products and Chinese of the printed forms' tests."""

    @classmethod
    def setUpClass(cls):
        super(ReportsCase, cls).setUpClass()
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

    @staticmethod
    def pdf_text(pdf):
        """The text of a PDF in Noto Sans CJK SC, its radicals read as the ideographs drawn
        (before NFKC, which would read ⼾ as the traditional 戶)."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            text = subprocess.check_output(["pdftotext", "-layout", f.name, "-"]).decode("utf-8")
        return unicodedata.normalize("NFKC", text.translate(SC_RADICALS))

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



class TestReports(ReportsCase):
    """Every printed form, rendered by wkhtmltopdf in Chinese with the company header."""

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


def has_class(name):
    return "contains(concat(' ', normalize-space(@class), ' '), ' %s ')" % name


# a digitized signature as the web widget stores it (a 1x1 PNG)
SIGNATURE = base64.b64encode(base64.b64decode(
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="))


class TestReportForms(ReportsCase):
    """Every printed form of the addon as a Chinese company's form: one boxed grid in the
    shared style, the company and title on top, signature boxes at the bottom, the fonts
    Noto Sans CJK SC whatever assets wkhtmltopdf could fetch, in the printing user's language."""

    @classmethod
    def setUpClass(cls):
        super(TestReportForms, cls).setUpClass()
        cls.user_zh = cls._create_user("as_print_zh", ["after_sales_service.group_manager"])
        cls.user_en = cls._create_user("as_print_en", ["after_sales_service.group_manager"])
        cls.user_zh.lang = "zh_CN"
        cls.user_en.lang = "en_US"
        qualifications = cls.env["after_sales.qualification.type"].search(
            ["|", ("purpose", "=", "repair"), ("purpose", "=", False)])
        for qualification in qualifications:
            cls.env["after_sales.technician.qualification"].create({
                "user_id": cls.user_technician.id, "type_id": qualification.id,
                "date_obtained": "2025-01-01", "date_expiry": "2035-12-31"})
        Request = cls.env["after_sales.request"]
        cls.request = Request.create({
            "partner_id": cls.customer.id, "channel": "hotline", "category": "repair",
            "product_id": cls.product.id, "description": "热水器不加热"})
        cls.visit = cls.env["after_sales.visit"].create({
            "request_id": cls.request.id, "partner_id": cls.customer.id, "purpose": "repair",
            "date_planned": "2026-11-20 09:00:00", "distance_km": 20.0,
            "technician_ids": [(6, 0, cls.user_technician.ids)],
            "part_ids": [(0, 0, {"product_id": cls.thermostat.id, "qty_taken": 2.0})]})
        # the record of the visit as the technician fills it in on site (set up as superuser)
        cls.visit.write({
            "date_arrival": "2026-11-20 09:10:00", "date_departure": "2026-11-20 10:40:00",
            "fault_found": "温控器触点氧化", "handling": "更换温控器", "customer_signer": "王建国",
            "customer_signature": SIGNATURE, "customer_evaluation": "5"})
        cls.visit.part_ids.qty_used = 1.0
        cls.callback = cls.env["after_sales.callback"].create({
            "type_id": cls.env.ref("after_sales_service.callback_type_satisfaction").id,
            "partner_id": cls.customer.id, "product_id": cls.product.id,
            "date_due": "2026-11-23 02:00:00", "user_id": cls.user_as.id})
        cls.complaint = cls.env["after_sales.complaint"].create({
            "partner_id": cls.customer.id, "complainant": "陈先生", "channel": "hotline",
            "product_id": cls.product.id, "content": "进水口漏水"})
        cls.order = cls.env["after_sales.parts.order"].create({
            "partner_id": cls.customer.id, "shipping_method": "courier",
            "line_ids": [(0, 0, {"product_id": cls.thermostat.id, "quantity": 2.0,
                                 "product_uom_id": cls.thermostat.uom_id.id})]})
        cls.case = cls.env["after_sales.return"].create({
            "partner_id": cls.customer.id, "product_id": cls.heater.id, "product_qty": 1.0,
            "cause": "defect", "reason": "开机后熄火"})
        cls.fee_standard = cls.env["after_sales.fee.standard"].for_company(cls.company)
        cls.recall = cls.env["after_sales.recall"].create({
            "product_id": cls.heater.id, "reason": "温控器批次缺陷"})
        station = cls.env["res.partner"].create({
            "name": "苏州特约维修点", "is_company": True, "after_sales_is_station": True})
        # an empty statement of a month (the settlement wizard makes them, as superuser)
        cls.settlement = cls.env["after_sales.station.settlement"].create({
            "station_id": station.id, "date_from": "2026-11-01", "date_to": "2026-11-30",
            "company_id": cls.company.id})
        cls.assessment = cls.env["after_sales.staff.assessment"].create({
            "user_id": cls.user_technician.id, "date_from": "2026-11-01",
            "date_to": "2026-11-30", "comment": "到达及时"})

    def _records(self, user):
        """{report xmlid: records printed by user}: one entry per PDF report of the addon."""
        statistics = self.env["after_sales.statistics"].sudo(user).create(
            {"date_from": "2026-11-01", "date_to": "2026-11-30"})
        return {
            "after_sales_service.request_report": self.request,
            "after_sales_service.fee_standard_report": self.fee_standard,
            "after_sales_service.visit_report": self.visit,
            "after_sales_service.visit_report_customer": self.visit,
            "after_sales_service.callback_report": self.callback,
            "after_sales_service.complaint_handling_report": self.complaint,
            "after_sales_service.complaint_list_report": self.complaint,
            "after_sales_service.complaint_reply_report": self.complaint,
            "after_sales_service.parts_order_report": self.order,
            "after_sales_service.return_ledger_report": self.case,
            "after_sales_service.return_exchange_report": self.case,
            "after_sales_service.statistics_pdf_report": statistics,
            "after_sales_service.visit_training_report": self.visit,
            "after_sales_service.staff_assessment_report": self.assessment,
            "after_sales_service.recall_report": self.recall,
            "after_sales_service.station_settlement_report": self.settlement,
        }

    def _html(self, user, report_xmlid, records):
        report = self.env.ref(report_xmlid).sudo(user).with_context(lang=user.lang)
        html = report.render_qweb_html(records.ids)[0]
        return html.decode("utf-8") if isinstance(html, bytes) else html

    def _pages(self, html):
        """The forms (one per record and copy) of a rendered report: its o_as_report pages."""
        return lxml.html.fromstring(html).xpath("//div[%s]" % has_class("o_as_report"))

    def _pdf(self, user, report_xmlid, records):
        """The PDF as printing makes it (see AfterSalesCase.render_pdf), printed by user."""
        report = self.env.ref(report_xmlid).sudo(user).with_context(lang=user.lang,
                                                                     debug=False)
        html = report.render_qweb_html(records.ids)[0].decode("utf-8")
        bodies, _ids, header, footer, args = report._prepare_html(html)
        pdf = report._run_wkhtmltopdf(bodies, header=header, footer=footer,
                                      specific_paperformat_args=args)
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf produced no PDF: %r" % pdf[:300])
        return pdf

    @staticmethod
    def pdf_fonts(pdf):
        """The fonts embedded in a PDF, as poppler's pdffonts names them."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            out = subprocess.check_output(["pdffonts", f.name]).decode("utf-8")
        return {line.split()[0] for line in out.splitlines()[2:] if line.strip()}

    def _title(self, report_xmlid, records, lang):
        """The title a form prints in a language (the reply letter: the customer's)."""
        titles = {
            "after_sales_service.request_report": ("Repair Registration Form", "报修登记表"),
            "after_sales_service.visit_report": ("Maintenance Service Record", "维护服务记录表"),
            "after_sales_service.visit_report_customer": ("Maintenance Service Record",
                                                          "维护服务记录表"),
            "after_sales_service.callback_report": ("Customer Service Callback Record",
                                                    "顾客服务回访记录单"),
            "after_sales_service.complaint_handling_report": ("Complaint Handling Form",
                                                              "客户投诉处理单"),
            "after_sales_service.complaint_reply_report": ("Reply to Customer Complaint",
                                                           "顾客投诉处理答复书"),
            "after_sales_service.parts_order_report": ("Outbound Order", "出库单"),
            "after_sales_service.return_ledger_report": ("Returns Ledger", "换货登记台账"),
            "after_sales_service.return_exchange_report": ("Exchange Form", "换货单"),
            "after_sales_service.visit_training_report": ("Customer Training Record",
                                                          "客户培训记录表"),
            "after_sales_service.staff_assessment_report": ("Staff Assessment Form",
                                                            "员工考核表"),
            "after_sales_service.recall_report": ("Recall Record", "召回记录"),
            "after_sales_service.station_settlement_report": (
                "Service Station Monthly Settlement Statement", "服务站月度结算对账单"),
        }
        if report_xmlid == "after_sales_service.fee_standard_report":
            return records.with_context(lang=lang).name
        if report_xmlid == "after_sales_service.statistics_pdf_report":
            return records.with_context(lang=lang)._report_title()
        if report_xmlid == "after_sales_service.complaint_reply_report":
            lang = records.partner_id.lang or lang
        if report_xmlid == "after_sales_service.complaint_list_report":
            titles[report_xmlid] = ("Complaints List", self.zh(
                "after_sales_service.report_complaint_list", "Complaints List", "顾客投诉处理一览表"))
        english, chinese = titles[report_xmlid]
        return chinese if lang == "zh_CN" else english

    # ------------------------------------------------------------------ every report

    def test_every_pdf_report_of_the_addon_is_a_form(self):
        reports = self.env["ir.actions.report"].search([("report_type", "=", "qweb-pdf")])
        xmlids = {xmlid for xmlid in reports.get_external_id().values()
                  if xmlid.startswith("after_sales_service.")}
        self.assertEqual(xmlids, set(self._records(self.user_en)))
        formats = self.env.ref("after_sales_service.paperformat_form") \
            | self.env.ref("after_sales_service.paperformat_form_landscape")
        for report in reports.filtered(lambda r: r.get_external_id()[r.id] in xmlids):
            # the forms print their company block themselves: no room kept for a header
            self.assertIn(report.paperformat_id, formats, report.report_name)
        self.assertEqual(set(formats.mapped("margin_top")), {10.0})

    def test_forms_boxed_in_the_users_language(self):
        for user in (self.user_zh, self.user_en):
            for xmlid, records in sorted(self._records(user).items()):
                html = self._html(user, xmlid, records)
                pages = self._pages(html)
                copies = 2 if xmlid == "after_sales_service.visit_report" else 1
                self.assertEqual(len(pages), copies, xmlid)
                title = self._title(xmlid, records, user.lang)
                for page in pages:
                    where = "%s (%s)" % (xmlid, user.lang)
                    # the shared style sheet, inside the page; the language for the glyphs
                    self.assertIn("Noto Sans CJK SC", page.xpath("string(./style)"), where)
                    lang = user.lang
                    if xmlid == "after_sales_service.complaint_reply_report":
                        lang = records.partner_id.lang or lang  # the customer's letter
                    self.assertEqual(page.get("lang"), lang.replace("_", "-"), where)
                    self.assertEqual(
                        page.xpath("normalize-space(.//div[%s])" % has_class("o_as_title")),
                        title, where)
                    self.assertIn(self.company.name, page.xpath(
                        "string(.//div[%s])" % has_class("o_as_company")), where)
                    self.assertTrue(page.xpath(".//table[%s]" % has_class("o_as_form")), where)
                    boxes = page.xpath(".//table[%s]//td[%s]" % (
                        has_class("o_as_signatures"), has_class("o_as_sign_box")))
                    self.assertGreaterEqual(len(boxes), 2, where)
                    if user.lang == "en_US":
                        # the form's own words in English: labels and column headers
                        labels = page.xpath(".//td[%s]|.//th" % has_class("o_as_label"))
                        self.assertTrue(labels, where)
                        for label in labels:
                            self.assertNotRegex(label.text_content(), "[\u4e00-\u9fff]",
                                                where)

    def test_pdf_fonts_are_noto_sans_cjk_sc(self):
        """wkhtmltopdf can't fetch the report assets here (no server at web.base.url): the
        fonts still come from the style sheet inside the form. CJK in the SC variant, Latin in
        the same sans family, nothing in serif or italic."""
        for user, xmlid, text in (
                (self.user_zh, "after_sales_service.visit_report", "维护服务记录表"),
                (self.user_en, "after_sales_service.request_report", "Repair Registration Form")):
            pdf = self._pdf(user, xmlid, self._records(user)[xmlid])
            fonts = self.pdf_fonts(pdf)
            self.assertTrue(fonts, xmlid)
            for font in fonts:
                self.assertRegex(font, r"^(?:[A-Z]{6}\+)?NotoSansCJKsc-(?:Regular|Bold)$",
                                 "%s embeds %s" % (xmlid, sorted(fonts)))
            self.assertIn(text, self.pdf_text(pdf))

    # ------------------------------------------------------------------ form details

    def test_service_record_signature_in_its_box(self):
        html = self._html(self.user_zh, "after_sales_service.visit_report", self.visit)
        for page in self._pages(html):
            boxes = page.xpath(".//td[%s]" % has_class("o_as_sign_box"))
            customer = boxes[0]
            self.assertEqual(customer.xpath("./img/@src"),
                             ["data:image/png;base64,%s" % SIGNATURE.decode()])
            self.assertEqual(customer.text_content().strip(), "王建国")
            self.assertEqual(boxes[1].text_content().strip(), self.user_technician.name)
            # the day of the visit under both boxes
            self.assertEqual(page.xpath("string(.//table[%s]/tr[3])" % has_class(
                "o_as_signatures")).count("2026-11-20"), 2)
            # the parts used: item, part, quantity, unit, amount (cost 80 + 20 % markup)
            parts = page.xpath(".//table[%s][.//td[%s]]" % (has_class("o_as_form"),
                                                           has_class("o_as_section")))
            rows = [row for table in parts for row in table.xpath("./tr")
                    if "温控器 TS-7" in row.text_content()]
            self.assertEqual(len(rows), 1)
            cells = [cell.text_content().strip() for cell in rows[0].xpath("./td")]
            self.assertEqual(cells[0], "1")
            self.assertEqual(cells[2], "1.0")
            self.assertIn("96.00", cells[4])

    def test_empty_fields_keep_their_cells(self):
        """A form printed before it is filled in keeps every cell, to be written by hand."""
        request = self._request(description=False)
        html = self._html(self.user_en, "after_sales_service.request_report", request)
        page = self._pages(html)[0]
        for label in ("Contact Person", "Phone", "Serial / Lot", "Warranty Card"):
            cells = page.xpath(".//td[%s][normalize-space(.)='%s']" % (has_class("o_as_label"),
                                                                       label))
            self.assertEqual(len(cells), 1, label)
            value = cells[0].getnext()
            self.assertEqual(value.tag, "td", label)
            self.assertEqual(value.text_content().strip(), "", label)
        areas = page.xpath(".//td[%s]" % has_class("o_as_area"))
        self.assertGreaterEqual(len(areas), 4)
        self.assertEqual(areas[0].text_content().strip(), "")  # no fault description yet
        # a visit without parts: lines to fill by hand
        visit = self.visit.copy({"part_ids": []})
        page = self._pages(self._html(self.user_en, "after_sales_service.visit_report",
                                      visit))[0]
        self.assertEqual(len(page.xpath(".//tr[%s]" % has_class("o_as_line"))), 3)
        boxes = page.xpath(".//td[%s]" % has_class("o_as_sign_box"))
        self.assertFalse(boxes[0].xpath("./img"))

    def test_statistics_heading_kept_with_its_table(self):
        statistics = self.env["after_sales.statistics"].sudo(self.user_en).create(
            {"date_from": "2026-11-01", "date_to": "2026-11-30"})
        tables = statistics._report_values()["tables"]
        html = self._html(self.user_en, "after_sales_service.statistics_pdf_report", statistics)
        page = self._pages(html)[0]
        blocks = page.xpath(".//div[%s]" % has_class("o_as_keep"))
        self.assertEqual([block.xpath("normalize-space(./div[%s])" % has_class("o_as_heading"))
                          for block in blocks], [table["title"] for table in tables])
        for block in blocks:
            children = [child for child in block if isinstance(child.tag, str)]
            self.assertEqual([child.tag for child in children[:2]], ["div", "table"])
            self.assertTrue(children[1].xpath("./thead/tr/th"))
        # no table of figures outside its block (the signature boxes close the page)
        loose = page.xpath(".//table[%s][not(ancestor::div[%s])][not(%s)]" % (
            has_class("o_as_form"), has_class("o_as_keep"), has_class("o_as_signatures")))
        self.assertFalse(loose)
        css = self.env["after_sales.report.forms"]._inline_css()

        def rule(selector):
            match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
            self.assertTrue(match, selector)
            return match.group(1)
        self.assertIn("page-break-inside: avoid", rule(".o_as_report .o_as_keep"))
        self.assertIn("page-break-after: avoid", rule(".o_as_report .o_as_heading"))
        self.assertIn("display: table-header-group", rule(
            ".o_as_report table.o_as_form thead"))

    def test_style_sheet_with_the_report_assets(self):
        """The same style sheet is in web.report_assets_common (HTML preview, and every PDF
        whose assets wkhtmltopdf fetches); its rules only apply inside the addon's forms."""
        assets = self.env.ref("after_sales_service.report_assets_common")
        self.assertEqual(assets.inherit_id, self.env.ref("web.report_assets_common"))
        self.assertIn("/after_sales_service/static/src/css/report_forms.css", assets.arch)
        css = re.sub(r"/\*.*?\*/", "", self.env["after_sales.report.forms"]._inline_css(),
                     flags=re.S)
        self.assertNotIn("italic", css)
        self.assertNotIn("serif", css.replace("sans-serif", ""))
        for selector in re.findall(r"(?:^|\})\s*([^{}@]+?)\s*\{", css):
            for part in selector.split(","):
                part = part.strip()
                self.assertTrue(part.startswith((".o_as_report", "body.container")), part)
