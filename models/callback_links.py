# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class Visit(models.Model):
    _inherit = "after_sales.visit"

    def _on_visit_done(self):
        """Every completed visit is followed by a service satisfaction callback."""
        res = super(Visit, self)._on_visit_done()
        self.env["after_sales.callback"].sudo()._create_for_visits(self)
        return res


class Request(models.Model):
    _inherit = "after_sales.request"

    callback_ids = fields.One2many("after_sales.callback", "request_id", "Callbacks",
                                   groups="after_sales_service.group_user")

    def _check_close_conditions(self):
        """A request is closed after its callback: none may still be to do."""
        res = super(Request, self)._check_close_conditions()
        pending = self.env["after_sales.callback"].sudo().search(
            [("request_id", "in", self.ids), ("state", "=", "todo")])
        if pending:
            raise UserError(_("Close the request after its callback: %s is still to do.")
                            % ", ".join(pending.mapped("name")))
        return res


class Complaint(models.Model):
    _inherit = "after_sales.complaint"

    callback_id = fields.Many2one("after_sales.callback", "Callback", index=True, readonly=True,
                                  help="The callback the complaint was raised in.")

    @api.multi
    def action_close(self):
        """A closed complaint is followed by a complaint callback."""
        res = super(Complaint, self).action_close()
        callback_type = self.env.ref("after_sales_service.callback_type_complaint")
        Callback = self.env["after_sales.callback"].sudo()
        for complaint in self:
            if Callback.search_count([("trigger", "=", "complaint:%s" % complaint.id)]):
                continue
            Callback.create({
                "type_id": callback_type.id, "trigger": "complaint:%s" % complaint.id,
                "partner_id": complaint.partner_id.id, "complaint_id": complaint.id,
                "product_id": complaint.product_id.id, "company_id": complaint.company_id.id,
                "user_id": complaint.user_id.id or self.env.user.id,
                "date_due": fields.Datetime.to_string(complaint.company_id
                                                      .after_sales_plan_deadline(
                                                          fields.Datetime.now(), 3, "days")),
            })
        return res


class ProductTemplate(models.Model):
    _inherit = "product.template"

    needs_usage_callback = fields.Boolean(
        "Needs Usage Callback", help="Set by quality: customers are called about 6 months "
                                     "after they started using the product.")


class ResCompany(models.Model):
    _inherit = "res.company"

    after_sales_callback_attempts = fields.Integer("Callback Attempts", default=3,
                                                   help="Unanswered calls before a callback is "
                                                        "recorded as unreachable.")
    after_sales_usage_callback_months = fields.Integer("Usage Callback After (months)",
                                                       default=6)


class ResPartner(models.Model):
    _inherit = "res.partner"

    callback_count = fields.Integer(compute="_compute_after_sales_counts", groups="after_sales_service.group_user")

    def _after_sales_counted(self):
        return super(ResPartner, self)._after_sales_counted() + [
            ("callback_count", "after_sales.callback")]


class SatisfactionReport(models.Model):
    """Satisfaction per callback and technician (one row each), for rates per month,
    technician, service station and product: rate = satisfied / answered."""

    _name = "after_sales.satisfaction.report"
    _description = "Satisfaction Analysis"
    _auto = False
    _rec_name = "callback_id"

    callback_id = fields.Many2one("after_sales.callback", readonly=True)
    kind = fields.Selection(related="callback_id.kind", readonly=True)
    date_done = fields.Datetime("Called On", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    technician_id = fields.Many2one("res.users", "Technician", readonly=True)
    station_id = fields.Many2one("res.partner", "Service Station", readonly=True)
    product_id = fields.Many2one("product.product", "Product", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    team_id = fields.Many2one("after_sales.team", "Team", readonly=True)
    answered = fields.Integer("Answered", readonly=True)
    satisfied = fields.Integer("Satisfied", readonly=True)
    satisfaction_rate = fields.Float("Satisfaction Rate (%)", readonly=True,
                                     group_operator="avg")

    @api.model_cr
    def init(self):
        # a stable id made of the callback and the technician (no window function), so that
        # PostgreSQL filters the callbacks by date before joining; company and team are
        # columns, not paths: the statistics filter on them
        self.env.cr.execute("DROP VIEW IF EXISTS after_sales_satisfaction_report")
        self.env.cr.execute("""
            CREATE VIEW after_sales_satisfaction_report AS (
                SELECT c.id::bigint * 1000000 + COALESCE(t.user_id, 0) AS id,
                       c.id AS callback_id, c.date_done,
                       c.partner_id, t.user_id AS technician_id, c.station_id, c.product_id,
                       c.company_id, r.team_id,
                       1 AS answered, CASE WHEN c.satisfied THEN 1 ELSE 0 END AS satisfied,
                       CASE WHEN c.satisfied THEN 100.0 ELSE 0.0 END AS satisfaction_rate
                  FROM after_sales_callback c
             LEFT JOIN after_sales_callback_technician_rel t ON t.callback_id = c.id
             LEFT JOIN after_sales_request r ON r.id = c.request_id
                 WHERE c.state = 'done' AND c.answered
            )""")
