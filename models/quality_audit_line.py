# -*- coding: utf-8 -*-
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from .document_mixin import TEXT_LENGTH, document_action

RESULTS = [("ok", "OK"), ("not_ok", "Not OK")]
CORRECTIVE_DAYS = 30


class QualityAuditLine(models.Model):
    """One record of the audit sample (a completed visit or a resolved request): quality
    checks the record, calls the customer, notes the findings and gives the result through
    its buttons; a not-ok result may open a corrective action."""

    _name = "after_sales.quality.audit.line"
    _description = "Quality Audit Check"
    _inherit = ["after_sales.document.line", "after_sales.document.mixin"]
    _order = "audit_id, kind desc, id"
    _header_field = "audit_id"
    _editable_states = ("drawn",)
    _text_limits = {"findings": TEXT_LENGTH, "customer_opinion": TEXT_LENGTH}
    _owned_fields = ("result", "date_checked", "checked_by_id", "complaint_id", "action_id",
                     "kind", "visit_id", "request_id", "partner_id", "station_id",
                     "technician_ids", "audit_id")

    audit_id = fields.Many2one("after_sales.quality.audit", required=True, index=True,
                               ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="audit_id.company_id", store=True, readonly=True,
                                 index=True)
    month = fields.Date(related="audit_id.month", store=True, readonly=True)
    state = fields.Selection(related="audit_id.state", readonly=True)
    kind = fields.Selection([("visit", "Visit"), ("request", "Service Request")],
                            required=True, readonly=True)
    visit_id = fields.Many2one("after_sales.visit", readonly=True, index=True)
    request_id = fields.Many2one("after_sales.request", "Service Request", readonly=True,
                                 index=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True, index=True)
    phone = fields.Char(related="partner_id.phone", readonly=True)
    station_id = fields.Many2one("res.partner", "Service Station", readonly=True, index=True)
    technician_ids = fields.Many2many("res.users", "after_sales_audit_line_technician_rel",
                                      "line_id", "user_id", string="Technicians",
                                      readonly=True)
    customer_called = fields.Boolean()
    customer_opinion = fields.Text("What the Customer Said")
    findings = fields.Text("Audit Findings")
    result = fields.Selection(RESULTS, readonly=True, copy=False, index=True)
    date_checked = fields.Datetime("Checked On", readonly=True, copy=False)
    checked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    complaint_id = fields.Many2one("after_sales.complaint", "Corrective Action Of",
                                   readonly=True, copy=False)
    action_id = fields.Many2one("after_sales.complaint.action", "Corrective Action",
                                readonly=True, copy=False)

    @api.model
    def _prepare_sample_vals(self, audit, visit_ids, request_ids):
        """The lines of the drawn records (read in one pass per kind)."""
        vals = []
        for visit in self.env["after_sales.visit"].browse(visit_ids):
            vals.append({"kind": "visit", "visit_id": visit.id,
                         "request_id": visit.request_id.id,
                         "partner_id": visit.partner_id.id,
                         "station_id": visit.request_id.station_id.id,
                         "technician_ids": [(6, 0, visit.technician_ids.ids)]})
        for request in self.env["after_sales.request"].browse(request_ids):
            technicians = request.visit_ids.filtered(
                lambda v: v.state in ("done", "verified")).mapped("technician_ids")
            vals.append({"kind": "request", "request_id": request.id,
                         "partner_id": request.partner_id.id,
                         "station_id": request.station_id.id,
                         "technician_ids": [(6, 0, technicians.ids)]})
        return vals

    def _check_checkable(self):
        self._check_group("after_sales_service.group_quality",
                          _("Only quality records the audit's results."))
        for line in self:
            if line.audit_id.state != "drawn":
                raise UserError(_("The audit %s is not being checked.") % line.audit_id.name)

    @api.multi
    @document_action
    def action_ok(self):
        """Checked, the customer called: nothing to correct."""
        self._check_checkable()
        self.write({"result": "ok", "date_checked": fields.Datetime.now(),
                    "checked_by_id": self.env.uid})
        return True

    @api.multi
    @document_action
    def action_not_ok(self):
        """Checked: something is wrong; the findings say what."""
        self._check_checkable()
        missing = self.filtered(lambda l: not (l.findings or "").strip())
        if missing:
            raise UserError(_("Write the findings of a record that is not ok (%s).")
                            % ", ".join(missing.mapped("display_name")))
        self.write({"result": "not_ok", "date_checked": fields.Datetime.now(),
                    "checked_by_id": self.env.uid})
        return True

    @api.multi
    @document_action
    def action_corrective_action(self):
        """A not-ok check opens a corrective action (on a complaint recording the finding),
        once (see _owner)."""
        self._check_checkable()
        for line in self:
            if line.result != "not_ok":
                raise UserError(_("Only a record found not ok gets a corrective action."))
            if line.action_id:
                raise UserError(_("%s already has its corrective action.") % line.display_name)
            complaint = self.env["after_sales.complaint"].create(
                line._prepare_corrective_complaint_vals())
            action = self.env["after_sales.complaint.action"].create(
                line._prepare_corrective_action_vals(complaint))
            line.write({"complaint_id": complaint.id, "action_id": action.id})
        return True

    def _owner(self):
        """Who carries the action out: the request's responsible (a person, not the
        system), else the quality user who found it; quality may hand it to someone else."""
        responsible = self.request_id.user_id.filtered(lambda u: u.id != SUPERUSER_ID)
        return self._company_user(responsible) or self.env.user

    def _prepare_corrective_complaint_vals(self):
        return {
            "partner_id": self.partner_id.id, "company_id": self.company_id.id,
            "channel": "other", "complaint_class": "non_quality",
            "request_id": self.request_id.id,
            "content": _("Quality audit %(audit)s, %(record)s:\n%(findings)s") % {
                "audit": self.audit_id.name, "record": self.display_name,
                "findings": self.findings},
        }

    def _prepare_corrective_action_vals(self, complaint):
        deadline = fields.Date.from_string(fields.Date.context_today(self)) \
            + timedelta(days=CORRECTIVE_DAYS)
        return {
            "complaint_id": complaint.id, "action_type": "corrective", "term": "permanent",
            "description": _("Correct the finding of audit %s") % self.audit_id.name,
            "user_id": self._owner().id, "date_deadline": fields.Date.to_string(deadline),
        }

    @api.multi
    def name_get(self):
        return [(line.id, (line.visit_id if line.kind == "visit" else line.request_id)
                 .display_name or "") for line in self]
