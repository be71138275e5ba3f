# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .document_mixin import LINE_LENGTH, TEXT_LENGTH, document_action

GROUP_USER = "after_sales_service.group_user"
GROUP_STATION = "after_sales_service.group_service_station"
SESSION_STATES = [("planned", "Planned"), ("done", "Held"), ("cancel", "Cancelled")]
TOPIC_KINDS = [("category", "Product Category"), ("skill", "Skill")]
RESULTS = [("passed", "Passed"), ("failed", "Not Passed")]


class TrainingSession(models.Model):
    """One training session of a plan: a product category or a skill, a trainer, a date, the
    material, and the attendees with their results. A technician who passed a held session
    of a product category may serve its products (see Visit._technician_problems)."""

    _name = "after_sales.training.session"
    _description = "Training Session"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.training.session"
    _order = "date desc, id desc"
    _text_limits = {"topic": LINE_LENGTH, "skill": LINE_LENGTH, "location": LINE_LENGTH,
                    "content": TEXT_LENGTH}
    _non_negative_fields = ("duration",)
    _owned_fields = ("state",)

    plan_id = fields.Many2one("after_sales.training.plan", "Training Plan", index=True,
                              ondelete="restrict")
    topic = fields.Char(required=True)
    topic_kind = fields.Selection(TOPIC_KINDS, "Trains On", required=True, default="category")
    categ_id = fields.Many2one("product.category", "Product Category", index=True)
    skill = fields.Char()
    trainer_id = fields.Many2one("res.users", required=True,
                                 default=lambda self: self.env.user)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    duration = fields.Float("Duration (h)", default=2.0)
    location = fields.Char()
    content = fields.Text()
    material_ids = fields.Many2many("ir.attachment", "after_sales_training_material_rel",
                                    string="Training Material")
    attendee_ids = fields.One2many("after_sales.training.attendee", "session_id", "Attendees")
    state = fields.Selection(SESSION_STATES, default="planned", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")
    nbr_attendees = fields.Integer("Attendees", compute="_compute_results", store=True)
    nbr_passed = fields.Integer("Passed", compute="_compute_results", store=True)

    @api.depends("attendee_ids.result")
    def _compute_results(self):
        for session in self:
            session.nbr_attendees = len(session.attendee_ids)
            session.nbr_passed = len(session.attendee_ids.filtered(
                lambda a: a.result == "passed"))

    @api.constrains("topic_kind", "categ_id", "skill")
    def _check_topic(self):
        for session in self:
            if session.topic_kind == "category" and not session.categ_id:
                raise ValidationError(_("Product Category: give the category the session "
                                        "trains on."))
            if session.topic_kind == "skill" and not (session.skill or "").strip():
                raise ValidationError(_("Skill: give the skill the session trains."))

    @api.constrains("plan_id", "company_id")
    def _check_plan_company(self):
        for session in self.filtered("plan_id"):
            if session.plan_id.company_id != session.company_id:
                raise ValidationError(_("Training Plan: the plan belongs to another company."))

    @api.multi
    def name_get(self):
        return [(session.id, "%s %s" % (session.name, session.topic)) for session in self]

    @api.multi
    @document_action
    def action_done(self):
        """The session was held: every attendee's result is recorded, then it counts (and
        its lines are kept as they were)."""
        self._check_group(GROUP_USER, _("Only the after-sales department records training."))
        self._check_can_state("planned", _("Only planned sessions can be held: %s"))
        for session in self:
            if not session.attendee_ids:
                raise UserError(_("%s has no attendees.") % session.display_name)
            pending = session.attendee_ids.filtered(lambda a: not a.result)
            if pending:
                raise UserError(_("Record the result of every attendee of %(session)s: "
                                  "%(attendees)s") % {
                                      "session": session.display_name,
                                      "attendees": ", ".join(pending.mapped("user_id.name"))})
        self.write({"state": "done"})
        return True

    @api.multi
    @document_action
    def action_cancel(self):
        self._check_group(GROUP_USER, _("Only the after-sales department records training."))
        self._check_can_state("planned", _("Only planned sessions can be cancelled: %s"))
        self.write({"state": "cancel"})
        return True

    def _check_can_state(self, state, message):
        refused = self.filtered(lambda r: r.state != state)
        if refused:
            raise UserError(message % ", ".join(refused.mapped("display_name")))

    @api.multi
    def unlink(self):
        if any(session.state != "planned" for session in self):
            raise UserError(_("Held sessions are kept: only planned ones can be deleted."))
        return super(TrainingSession, self).unlink()


class TrainingAttendee(models.Model):
    """An attendee of a session (ours or a service station's technician) and his result."""

    _name = "after_sales.training.attendee"
    _description = "Training Attendee"
    _inherit = ["after_sales.document.line"]
    _header_field = "session_id"
    _editable_states = ("planned",)
    _order = "session_id, id"

    session_id = fields.Many2one("after_sales.training.session", required=True,
                                 ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", "Attendee", required=True, index=True)
    is_station = fields.Boolean("Service Station Technician", compute="_compute_is_station",
                                store=True)
    station_id = fields.Many2one("res.partner", "Service Station",
                                 compute="_compute_is_station", store=True)
    result = fields.Selection(RESULTS)
    note = fields.Char()
    # the session's, stored: who may serve what is looked up in one search
    session_state = fields.Selection(related="session_id.state", store=True, readonly=True)
    date = fields.Date(related="session_id.date", store=True, readonly=True)
    categ_id = fields.Many2one(related="session_id.categ_id", store=True, readonly=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True, readonly=True)

    _sql_constraints = [
        ("user_uniq", "unique (session_id, user_id)", "This person already attends the session."),
    ]

    @api.depends("user_id")
    def _compute_is_station(self):
        group = self.env.ref(GROUP_STATION)
        for attendee in self:
            user = attendee.user_id.sudo()
            station = group in user.groups_id
            attendee.is_station = station
            attendee.station_id = station and user.partner_id.commercial_partner_id
