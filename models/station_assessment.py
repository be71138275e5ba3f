# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .assessment_figures_mixin import FIGURES
from .document_mixin import TEXT_LENGTH, document_action

GROUP_MANAGER = "after_sales_service.group_manager"
STATION_STATES = [("draft", "Draft"), ("done", "Assessed"), ("cancel", "Cancelled")]
GRADES = [("a", "A - Excellent"), ("b", "B - Good"), ("c", "C - Acceptable"),
          ("d", "D - Unsatisfactory")]


class StationAssessment(models.Model):
    """The assessment (考核) of a service station over a period: its figures from the
    requests dispatched to it, the scores of its inspections in the period, the grade the
    after-sales manager gives and the actions decided."""

    _name = "after_sales.station.assessment"
    _description = "Station Assessment"
    _inherit = ["after_sales.numbered.document", "after_sales.assessment.figures.mixin"]
    _sequence_code = "after_sales.station.assessment"
    _order = "date_to desc, id desc"
    _text_limits = {"actions": TEXT_LENGTH, "comment": TEXT_LENGTH}
    _owned_fields = ("state", "nbr_inspections", "inspection_score", "assessed_by_id") + FIGURES

    station_id = fields.Many2one("res.partner", "Service Station", required=True, index=True,
                                 domain=[("after_sales_is_station", "=", True)],
                                 readonly=True, states={"draft": [("readonly", False)]})
    nbr_inspections = fields.Integer("Inspections", readonly=True, copy=False)
    inspection_score = fields.Float(readonly=True, copy=False,
                                    digits=(16, 1), group_operator="avg",
                                    help="The mean score of the station's inspections done "
                                         "in the period.")
    grade = fields.Selection(GRADES, readonly=True, states={"draft": [("readonly", False)]},
                             track_visibility="onchange")
    comment = fields.Text("Assessment", readonly=True,
                          states={"draft": [("readonly", False)]})
    actions = fields.Text(help="What the station has to improve, by when.")
    assessed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    state = fields.Selection(STATION_STATES, default="draft", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")

    @api.constrains("station_id")
    def _check_station(self):
        if any(not assessment.station_id.after_sales_is_station for assessment in self):
            raise ValidationError(_("Service Station: the partner is not a service station."))

    @api.model
    def create(self, vals):
        assessment = super(StationAssessment, self).create(vals)
        assessment._write_figures()
        return assessment

    def _figures_subject(self):
        return self.station_id.id

    @api.model
    def _figures_conditions(self):
        # the station's documents are those of the requests dispatched to it
        return {
            "visit": "EXISTS (SELECT 1 FROM after_sales_request r WHERE r.id = v.request_id "
                     "AND r.station_id = s.subject_id)",
            "callback": "EXISTS (SELECT 1 FROM after_sales_request r WHERE r.id = c.request_id "
                        "AND r.station_id = s.subject_id)",
            "complaint": "EXISTS (SELECT 1 FROM after_sales_request r WHERE r.id = k.request_id "
                         "AND r.station_id = s.subject_id)",
            "handled": None,
        }

    def _compute_figure_values(self):
        """The figures, and the inspections done in the period (one more query)."""
        values = super(StationAssessment, self)._compute_figure_values()
        inspections = self._figures_query("""
            SELECT s.rec_id, COUNT(i.id), AVG(i.score)
              FROM s JOIN after_sales_station_inspection i
                ON i.station_id = s.subject_id AND i.company_id = s.company_id
               AND i.state = 'done' AND i.date BETWEEN s.d_from AND s.d_to
             GROUP BY s.rec_id""")
        for record_id, vals in values.items():
            count, score = inspections.get(record_id, (0, None))
            vals.update(nbr_inspections=count, inspection_score=round(float(score or 0.0), 1))
        return values

    @api.multi
    @document_action
    def action_refresh_figures(self):
        self._check_group(GROUP_MANAGER, _("Only the after-sales manager assesses stations."))
        if any(assessment.state != "draft" for assessment in self):
            raise UserError(_("The figures of an assessment are kept once it is done."))
        return self._write_figures()

    @api.multi
    @document_action
    def action_done(self):
        """The manager's grade, on the figures of the day it is given."""
        self._check_group(GROUP_MANAGER, _("Only the after-sales manager assesses stations."))
        for assessment in self:
            if assessment.state != "draft":
                raise UserError(_("%s is not a draft.") % assessment.name)
            if not assessment.grade:
                raise UserError(_("Grade: give the grade of %s.") % assessment.station_id.name)
        self._write_figures()
        self.write({"state": "done", "assessed_by_id": self.env.uid})
        return True

    @api.multi
    @document_action
    def action_cancel(self):
        self._check_group(GROUP_MANAGER, _("Only the after-sales manager assesses stations."))
        if any(assessment.state != "draft" for assessment in self):
            raise UserError(_("Only draft assessments can be cancelled."))
        self.write({"state": "cancel"})
        return True

    @api.multi
    def unlink(self):
        if any(assessment.state == "done" for assessment in self):
            raise UserError(_("Done assessments are kept."))
        return super(StationAssessment, self).unlink()
