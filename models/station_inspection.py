# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .document_mixin import LINE_LENGTH, TEXT_LENGTH, document_action

GROUP_USER = "after_sales_service.group_user"
INSPECTION_STATES = [("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")]
CHECK_RESULTS = [("ok", "OK"), ("not_ok", "Not OK")]


class StationInspection(models.Model):
    """An inspection visit (巡查) of a service station: a checklist, the findings and a
    score (the share of items found OK), counted in the station's assessment of the period
    (004 二(二)14(3))."""

    _name = "after_sales.station.inspection"
    _description = "Station Inspection"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.station.inspection"
    _order = "date desc, id desc"
    _text_limits = {"findings": TEXT_LENGTH, "actions": TEXT_LENGTH}
    _owned_fields = ("state", "score")

    station_id = fields.Many2one("res.partner", "Service Station", required=True, index=True,
                                 domain=[("after_sales_is_station", "=", True)],
                                 readonly=True, states={"draft": [("readonly", False)]})
    date = fields.Date(required=True, default=fields.Date.context_today, index=True,
                       readonly=True, states={"draft": [("readonly", False)]})
    inspector_id = fields.Many2one("res.users", required=True,
                                   default=lambda self: self.env.user)
    line_ids = fields.One2many("after_sales.station.inspection.line", "inspection_id",
                               "Checklist", copy=True)
    findings = fields.Text("Inspection Findings")
    actions = fields.Text("Actions Required")
    score = fields.Float(readonly=True, copy=False, digits=(16, 1), group_operator="avg",
                         help="The share of checklist items found OK, in percent, when the "
                              "inspection is done.")
    state = fields.Selection(INSPECTION_STATES, default="draft", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")

    @api.constrains("station_id")
    def _check_station(self):
        if any(not inspection.station_id.after_sales_is_station for inspection in self):
            raise ValidationError(_("Service Station: the partner is not a service station."))

    @api.model
    def _default_checklist(self):
        """The items of a new checklist (the standard inspection of a station)."""
        return [_("Service sign and authorisation displayed"),
                _("Fee standard displayed to customers"),
                _("Spare parts stored and accounted for"),
                _("Tools and instruments complete and calibrated"),
                _("Service records complete and signed by the customers"),
                _("Technicians trained for the products they serve")]

    @api.model
    def default_get(self, fields_list):
        values = super(StationInspection, self).default_get(fields_list)
        if "line_ids" in fields_list and not values.get("line_ids"):
            values["line_ids"] = [(0, 0, {"name": item}) for item in self._default_checklist()]
        return values

    @api.multi
    @document_action
    def action_done(self):
        """Every item checked: the score is the share found OK."""
        self._check_group(GROUP_USER, _("Only the after-sales department inspects stations."))
        for inspection in self:
            if inspection.state != "draft":
                raise UserError(_("%s is not a draft.") % inspection.name)
            if not inspection.line_ids:
                raise UserError(_("Checklist: %s has no items.") % inspection.name)
            unchecked = inspection.line_ids.filtered(lambda l: not l.result)
            if unchecked:
                raise UserError(_("Checklist: give the result of %s")
                                % ", ".join(unchecked.mapped("name")))
            missing = inspection.line_ids.filtered(
                lambda l: l.result == "not_ok" and not (l.finding or "").strip())
            if missing:
                raise UserError(_("Checklist: write what was found for %s")
                                % ", ".join(missing.mapped("name")))
            ok = len(inspection.line_ids.filtered(lambda l: l.result == "ok"))
            inspection.write({"state": "done", "score": round(
                100.0 * ok / len(inspection.line_ids), 1)})
        return True

    @api.multi
    @document_action
    def action_cancel(self):
        self._check_group(GROUP_USER, _("Only the after-sales department inspects stations."))
        if any(inspection.state != "draft" for inspection in self):
            raise UserError(_("Only draft inspections can be cancelled."))
        self.write({"state": "cancel"})
        return True

    @api.multi
    def unlink(self):
        if any(inspection.state == "done" for inspection in self):
            raise UserError(_("Done inspections are kept."))
        return super(StationInspection, self).unlink()


class StationInspectionLine(models.Model):
    _name = "after_sales.station.inspection.line"
    _description = "Station Inspection Item"
    _inherit = ["after_sales.document.line"]
    _header_field = "inspection_id"
    _order = "sequence, id"

    inspection_id = fields.Many2one("after_sales.station.inspection", required=True,
                                    ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Check Item", required=True)
    result = fields.Selection(CHECK_RESULTS)
    finding = fields.Char()

    @api.constrains("name", "finding")
    def _check_lengths(self):
        for line in self:
            if len(line.name or "") > LINE_LENGTH or len(line.finding or "") > LINE_LENGTH:
                raise ValidationError(_("Check Item and Finding: at most %s characters.")
                                      % LINE_LENGTH)
