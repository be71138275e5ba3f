# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .request_selections import CATEGORIES, PRIORITIES

UNITS = [("hours", "Working Hours"), ("days", "Working Days")]


class SlaRule(models.Model):
    """A time limit (服务时限): response and resolution limits for a priority and, optionally, a
    category, counted in working time of the company calendar."""

    _name = "after_sales.sla.rule"
    _description = "Service Time Limit"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    priority = fields.Selection(PRIORITIES, required=True, default="0")
    category = fields.Selection(CATEGORIES, help="Leave empty for every category.")
    response_limit = fields.Float(required=True, default=24.0)
    response_unit = fields.Selection(UNITS, required=True, default="hours")
    resolution_limit = fields.Float(required=True, default=2.0)
    resolution_unit = fields.Selection(UNITS, required=True, default="days")
    risk_ratio = fields.Float(
        "At Risk From (%)", default=75.0,
        help="A request is flagged at risk once this share of its resolution time is used.")

    @api.constrains("response_limit", "resolution_limit", "risk_ratio")
    def _check_limits(self):
        for rule in self:
            if rule.response_limit <= 0 or rule.resolution_limit <= 0:
                raise ValidationError(_("Time limits must be positive."))
            if not 0 < rule.risk_ratio < 100:
                raise ValidationError(_("The at-risk share must be between 0 and 100%."))

    @api.model
    def _find(self, company, priority, category):
        """The most specific active rule: same category first, then the category-free one."""
        # the request's company decides, whichever company the user works in now
        rules = self.sudo().search([("company_id", "=", company.id), ("priority", "=", priority),
                                    ("category", "in", [category, False])])
        return rules.filtered(lambda r: r.category == category)[:1] or rules[:1]
