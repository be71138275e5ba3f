# -*- coding: utf-8 -*-
import subprocess
import tempfile
import unicodedata

from odoo import fields
from odoo.tests.common import SavepointCase


class AfterSalesCase(SavepointCase):
    """Shared data of the addon's tests: one user per role, a customer, products, and a company
    calendar of known shape (Monday-Friday 08:00-12:00 and 13:00-17:00, UTC)."""

    @classmethod
    def setUpClass(cls):
        super(AfterSalesCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False,
                                       mail_create_nolog=True, no_reset_password=True))
        cls.company = cls.env.ref("base.main_company")
        cls.company.partner_id.tz = "UTC"
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "After-sales test week",
            "attendance_ids": [
                (0, 0, {"name": "%s %s" % (day, half), "dayofweek": str(day),
                        "hour_from": start, "hour_to": end})
                for day in range(5) for half, start, end in (("am", 8, 12), ("pm", 13, 17))
            ],
        })
        cls.company.resource_calendar_id = cls.calendar

        cls.user_as = cls._create_user("as_user", ["after_sales_service.group_user"])
        cls.user_manager = cls._create_user("as_manager", ["after_sales_service.group_manager"])
        cls.user_technician = cls._create_user("as_technician",
                                               ["after_sales_service.group_technician"])
        cls.user_quality = cls._create_user("as_quality", ["after_sales_service.group_quality"])
        cls.user_gm = cls._create_user("as_gm", ["after_sales_service.group_general_manager"])
        cls.user_deputy_gm = cls._create_user(
            "as_deputy_gm", ["after_sales_service.group_deputy_general_manager"])
        cls.user_purchasing = cls._create_user("as_purchasing",
                                               ["after_sales_service.group_purchasing"])
        cls.user_station = cls._create_user("as_station",
                                            ["after_sales_service.group_service_station"])
        cls.user_stock = cls._create_user("as_stock", ["stock.group_stock_user"])
        cls.user_finance = cls._create_user("as_finance", ["account.group_account_invoice"])
        cls.user_nobody = cls._create_user("as_nobody", [])

        cls.customer = cls.env["res.partner"].create({
            "name": "华东建设工程有限公司", "customer": True, "phone": "021-5555 0101",
            "street": "浦东新区张江路 1 号", "city": "上海",
        })
        cls.product = cls.env["product.product"].create({
            "name": "电热水器 EH-60", "type": "product", "default_code": "EH-60",
            "tracking": "serial", "list_price": 2600.0, "standard_price": 1500.0,
        })

    def qty_at(self, product, location):
        """Quantity on hand of a product exactly in a location (reserved or not)."""
        quants = self.env["stock.quant"].sudo()._gather(product, location, strict=True)
        return sum(quants.mapped("quantity"))

    def render_pdf(self, report_xmlid, records, lang=None):
        """Render a report to PDF with wkhtmltopdf, as printing does; return (pdf, text).

        Odoo 11 answers HTML instead of PDF under --test-enable; the same steps as
        render_qweb_pdf are taken here so that the real converter runs."""
        report = self.env.ref(report_xmlid).with_context(debug=False, lang=lang)
        html = report.render_qweb_html(records.ids)[0].decode("utf-8")
        bodies, _ids, header, footer, args = report._prepare_html(html)
        pdf = report._run_wkhtmltopdf(bodies, header=header, footer=footer,
                                      specific_paperformat_args=args)
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf produced no PDF: %r" % pdf[:300])
        return pdf, self.pdf_text(pdf)

    @staticmethod
    def pdf_text(pdf):
        """The text of a PDF (poppler's pdftotext), to check what a reader sees."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            text = subprocess.check_output(["pdftotext", "-layout", f.name, "-"]).decode("utf-8")
        # CJK fonts map some characters to compatibility forms (⼯ for 工): compare the text
        return unicodedata.normalize("NFKC", text)

    def _approved_visit(self, request, user=None, technician=None,
                        date_planned="2026-11-20 09:00:00"):
        """A repair visit of the request (appointment agreed, the test technician), submitted
        by `user` (the test's user by default) and approved by the general manager."""
        visit = self.env["after_sales.visit"].sudo(user or self.env.user).create({
            "request_id": request.id, "partner_id": self.customer.id, "purpose": "repair",
            "date_planned": date_planned, "appointment_confirmed": True,
            "product_ids": [(6, 0, self.product.ids)],
            "technician_ids": [(6, 0, (technician or self.user_technician).ids)]})
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()
        return visit.with_env(self.env)

    def _visit_at_customer(self, departure, technician=None, date_planned="2026-11-20 09:00:00"):
        """An approved repair visit of a new in-warranty request, started, the work at the
        customer recorded and signed up to `departure`: what completing it needs."""
        from .test_visit import SIGNATURE
        request = self.env["after_sales.request"].create({
            "partner_id": self.customer.id, "category": "repair", "description": "x",
            "user_id": self.user_as.id, "product_id": self.product.id,
            "date_delivered": fields.Date.context_today(self.customer)})  # in warranty
        request.action_start()
        visit = self._approved_visit(request, technician=technician, date_planned=date_planned)
        visit.action_start()
        visit.write({"date_arrival": date_planned, "date_departure": departure,
                     "arrival_confirmed": True, "fault_found": "a", "handling": "b",
                     "customer_signer": "王工", "customer_signature": SIGNATURE})
        return visit

    @classmethod
    def _create_user(cls, login, groups, company=None):
        group_ids = [cls.env.ref(xmlid).id for xmlid in groups + ["base.group_user"]]
        vals = {
            "name": login.replace("_", " ").title(), "login": login, "email": login + "@example.com",
            "tz": "UTC", "groups_id": [(6, 0, group_ids)],
        }
        if company:
            vals.update(company_id=company.id, company_ids=[(6, 0, company.ids)])
        return cls.env["res.users"].create(vals)

    @classmethod
    def _create_second_company(cls, name="华南售后服务有限公司", prefix="b"):
        """A second company (same currency, the test week as calendar) and one user of it per
        role, as `cls.<prefix>_<role>`: as_user, manager, technician, quality, gm, deputy_gm,
        purchasing, station, stock, finance."""
        company = cls.env["res.company"].create({
            "name": name, "currency_id": cls.company.currency_id.id})
        company.partner_id.tz = "UTC"
        company.resource_calendar_id = cls.calendar
        roles = {
            "as_user": ["after_sales_service.group_user"],
            "manager": ["after_sales_service.group_manager"],
            "technician": ["after_sales_service.group_technician"],
            "quality": ["after_sales_service.group_quality"],
            "gm": ["after_sales_service.group_general_manager"],
            "deputy_gm": ["after_sales_service.group_deputy_general_manager"],
            "purchasing": ["after_sales_service.group_purchasing"],
            "station": ["after_sales_service.group_service_station"],
            "stock": ["stock.group_stock_user"],
            "finance": ["account.group_account_invoice"],
        }
        for role, groups in sorted(roles.items()):
            setattr(cls, "%s_%s" % (prefix, role),
                    cls._create_user("%s_%s" % (prefix, role), groups, company=company))
        return company
