# -*- coding: utf-8 -*-
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .document_mixin import document_action

LINE_STATES = [("draft", "To Launch"), ("running", "Running"), ("closed", "Closed")]
SCOPES = [
    ("key", "Main (Key) Customers"),
    ("delivered", "Customers Delivered in the Period"),
    ("chosen", "Chosen Customers"),
]


class SurveyPlanLine(models.Model):
    """One survey of the plan (a campaign): which survey (a survey.survey of Odoo's survey
    module), for which period, to which customers. Launching it invites each customer once:
    by mail with their token link, or by phone, staff then entering the answers in the same
    survey."""

    _name = "after_sales.survey.plan.line"
    _description = "Survey Campaign"
    _inherit = ["mail.thread", "after_sales.document.mixin"]
    _order = "date_start desc, id desc"
    _owned_fields = ("state", "date_launched")
    _datetime_order = (("date_start", "date_end"),)

    plan_id = fields.Many2one("after_sales.survey.plan", required=True, index=True,
                              ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, readonly=True,
                                 index=True)
    name = fields.Char("Campaign", required=True)
    survey_id = fields.Many2one("survey.survey", required=True,
                                domain=[("after_sales_followup", "!=", False)])
    date_start = fields.Date("Period From", required=True)
    date_end = fields.Date("Period To", required=True)
    scope = fields.Selection(SCOPES, "Surveyed Customers", required=True, default="key")
    partner_ids = fields.Many2many("res.partner", string="Chosen Customers",
                                   domain=[("customer", "=", True)])
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.user)
    state = fields.Selection(LINE_STATES, default="draft", required=True, readonly=True,
                             copy=False, track_visibility="onchange")
    date_launched = fields.Datetime("Launched On", readonly=True, copy=False)
    invitation_ids = fields.One2many("after_sales.survey.invitation", "plan_line_id",
                                     "Invitations")
    invited_count = fields.Integer("Invited", compute="_compute_figures")
    answered_count = fields.Integer("Answered", compute="_compute_figures")
    average_score = fields.Float("Average Rating", compute="_compute_figures",
                                 digits=(3, 2))

    @api.constrains("scope", "partner_ids")
    def _check_partners(self):
        for line in self:
            if line.scope == "chosen" and not line.partner_ids:
                raise ValidationError(_("Choose the customers of %s.") % line.name)

    def _compute_figures(self):
        """Invited / answered and the average rating of the answered, in one read_group."""
        groups = self.env["after_sales.survey.invitation"].read_group(
            [("plan_line_id", "in", self.ids)], ["plan_line_id", "state", "score_total",
                                                 "rated_count"],
            ["plan_line_id", "state"], lazy=False)
        figures = {}
        for group in groups:
            line_figures = figures.setdefault(group["plan_line_id"][0], [0, 0, 0.0, 0])
            line_figures[0] += group["__count"]
            if group["state"] == "answered":
                line_figures[1] += group["__count"]
                line_figures[2] += group["score_total"] or 0.0
                line_figures[3] += group["rated_count"] or 0
        for line in self:
            invited, answered, total, rated = figures.get(line.id, (0, 0, 0.0, 0))
            line.invited_count = invited
            line.answered_count = answered
            line.average_score = total / rated if rated else 0.0

    # ------------------------------------------------------------------ customers

    def _customers(self):
        """The customers this campaign goes to (commercial partners, each once)."""
        self.ensure_one()
        if self.scope == "chosen":
            return self.partner_ids.mapped("commercial_partner_id")
        if self.scope == "key":
            return self.env["res.partner"].search([
                ("after_sales_key_customer", "=", True), ("is_company", "=", True),
                "|", ("company_id", "=", False), ("company_id", "=", self.company_id.id)])
        # customers of the company's done deliveries in the period
        self.env.cr.execute("""
            SELECT DISTINCT COALESCE(rp.commercial_partner_id, rp.id)
              FROM stock_picking p
              JOIN stock_picking_type pt ON pt.id = p.picking_type_id
              JOIN stock_location dest ON dest.id = p.location_dest_id
              JOIN res_partner rp ON rp.id = p.partner_id
             WHERE p.state = 'done' AND pt.code = 'outgoing' AND dest.usage = 'customer'
               AND p.company_id = %s AND p.date_done >= %s AND p.date_done < %s
        """, (self.company_id.id, self.date_start,
              fields.Date.to_string(fields.Date.from_string(self.date_end)
                                    + timedelta(days=1))))
        return self.env["res.partner"].browse([row[0] for row in self.env.cr.fetchall()])

    # ------------------------------------------------------------------ actions

    @api.multi
    @document_action
    def action_launch(self):
        """Invite each customer once (a survey.user_input with its token per customer); mail
        the link to those with an e-mail address, in their language. The others are called:
        staff enter their answers from the invitation (Enter Answers)."""
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department launches surveys."))
        for line in self:
            if line.state != "draft" or line.plan_id.state != "confirmed":
                raise UserError(_("%s can't be launched: launch the surveys of a confirmed "
                                  "plan, once.") % line.name)
            customers = line._customers()
            if not customers:
                raise UserError(_("%s reaches no customer.") % line.name)
            invitations = self.env["after_sales.survey.invitation"]._create_for(
                line, customers)
            line.write({"state": "running", "date_launched": fields.Datetime.now()})
            invitations._send_invitation()
        return True

    @api.multi
    @document_action
    def action_close(self):
        """No more answers: the links stop working."""
        if any(line.state != "running" for line in self):
            raise UserError(_("Only running surveys can be closed."))
        open_invitations = self.mapped("invitation_ids").filtered(
            lambda i: i.state in ("new", "sent"))
        open_invitations._expire()
        self.write({"state": "closed"})
        return True

    @api.multi
    def action_view_results(self):
        return self._window_action("after_sales_service.survey_result_report_action",
                                   [("plan_line_id", "in", self.ids)])
