# -*- coding: utf-8 -*-
from odoo import _, api, models


class VisitReport(models.AbstractModel):
    """The service record (维护服务记录表) is printed in two copies: one for the customer,
    one returned to the department."""

    _name = "report.after_sales_service.visit_report_document"
    _description = "Service Record"

    @api.model
    def get_report_values(self, docids, data=None):
        return {
            "doc_ids": docids, "doc_model": "after_sales.visit",
            "docs": self.env["after_sales.visit"].browse(docids),
            "copy_customer": _("Customer's copy"), "copy_department": _("Department's copy"),
        }
