# -*- coding: utf-8 -*-
from odoo import _, api, models


class ComplaintListReport(models.AbstractModel):
    """The complaints list (顾客投诉处理一览表, 002-P §6.1, §6.6, QR/083): the complaints
    printed from the list, or those received in a period (the wizard's), in the order they
    were received."""

    _name = "report.after_sales_service.report_complaint_list"
    _description = "Complaints List"

    @api.model
    def get_report_values(self, docids, data=None):
        data = data or {}
        Complaint = self.env["after_sales.complaint"]
        if data.get("date_from") or data.get("date_to"):
            docs = Complaint.search(self._period_domain(data), order="date_received, id")
        else:
            docs = Complaint.browse(docids).sorted(lambda c: (c.date_received, c.id))
        return {
            "doc_ids": docs.ids, "doc_model": Complaint._name, "docs": docs,
            "period": self._period_label(data),
            "summary": _("Total: %(count)s complaints, %(closed)s closed, %(late)s closed late") % {
                "count": len(docs),
                "closed": len(docs.filtered(lambda c: c.state == "closed")),
                "late": len(docs.filtered(lambda c: c.state == "closed" and c.is_close_late))},
        }

    @api.model
    def _period_domain(self, data):
        """Received in the period: local days of the user's company, as UTC bounds."""
        Wizard = self.env["after_sales.complaint.list.wizard"]
        domain = [("company_id", "=", self.env.user.company_id.id)]
        if data.get("date_from"):
            domain.append(("date_received", ">=", Wizard._utc_bound(data["date_from"])))
        if data.get("date_to"):
            domain.append(("date_received", "<", Wizard._utc_bound(data["date_to"], 1)))
        return domain

    @api.model
    def _period_label(self, data):
        if not (data.get("date_from") or data.get("date_to")):
            return False
        return _("Period: %(start)s to %(end)s") % {"start": data.get("date_from") or "…",
                                                    "end": data.get("date_to") or "…"}
