# -*- coding: utf-8 -*-
import io

from odoo import api, models
from odoo.modules.module import get_module_resource

_CSS = []  # the style sheet of the forms, read once per process


class ReportForms(models.AbstractModel):
    """What the printed forms share beyond their QWeb layout (reports/report_layout.xml)."""

    _name = "after_sales.report.forms"
    _description = "Printed Forms"

    @api.model
    def _inline_css(self):
        """The forms' style sheet (static/src/css/report_forms.css), put inside each form.

        wkhtmltopdf fetches the report assets over HTTP from report.url or web.base.url; where
        it can't reach that address (an Odoo shell, the tests, a proxy in between) it prints
        without any of them: serif, no rules, CJK in the fontconfig default (JP). Inlined, the
        forms keep their grid and fonts whatever the server's URL; the same file is also in
        web.report_assets_common for the HTML preview."""
        if not _CSS:
            path = get_module_resource("after_sales_service", "static", "src", "css",
                                       "report_forms.css")
            with io.open(path, encoding="utf-8") as css:
                _CSS.append(css.read())
        return _CSS[0]
