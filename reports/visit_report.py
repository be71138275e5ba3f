# -*- coding: utf-8 -*-
from odoo import _, api, models


class VisitReport(models.AbstractModel):
    """The service record (维护服务记录表) is printed in two copies: one for the customer,
    one returned to the department."""

    _name = "report.after_sales_service.visit_report_document"
    _description = "Service Record"

    @api.model
    def get_report_values(self, docids, data=None):
        visits = self.env["after_sales.visit"].browse(docids)
        return {
            "doc_ids": docids, "doc_model": "after_sales.visit", "docs": visits,
            "copy_customer": _("Customer's copy"), "copy_department": _("Department's copy"),
            "part_amounts": self._part_amounts(visits),
        }

    @api.model
    def _part_amounts(self, visits):
        """{part line id: amount} of the parts used out of warranty, at the fee standard's
        price (cost plus markup) as the visit's invoice charges them; in warranty, none."""
        amounts = {}
        Standard = self.env["after_sales.fee.standard"]
        for visit in visits.filtered(lambda v: not v.in_warranty):
            standard = Standard.for_company(visit.company_id)
            for line in visit.part_ids.filtered("qty_used"):
                amounts[line.id] = line.qty_used * standard.part_price(line.product_id)
        return amounts


class VisitCustomerReport(models.AbstractModel):
    """The customer's copy alone (the portal's download and the copy filed when the customer
    signs on a phone): the same values as the two-copy record."""

    _name = "report.after_sales_service.visit_report_customer_document"
    _inherit = "report.after_sales_service.visit_report_document"
    _description = "Service Record (Customer's Copy)"
