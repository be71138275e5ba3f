# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .sla_rule import UNITS

SEVERITIES = [("urgent", "Urgent"), ("normal", "Normal")]
CLASSES = [("quality", "Quality"),
           ("non_quality", "Non-Quality (Human Cause)"),
           ("other", "Other")]
# (limit field, unit field) of each step planned from the receipt, in the order
# after_sales_plan_deadlines answers them
STEP_LIMITS = (("investigation_limit", "investigation_unit"),
               ("answer_limit", "answer_unit"),
               ("close_limit", "close_unit"))


class ComplaintRule(models.Model):
    """The time limits of a complaint (投诉处理时限) for a severity and, optionally, a class:
    registration within clock hours of receipt, then quality's investigation (3 working days,
    001-5 四.2.2), the answer to the customer (48 working hours) and the closure (urgent 2
    days, normal 7 days, 002-K §5.2), each counted from the receipt in the company's time."""

    _name = "after_sales.complaint.rule"
    _description = "Complaint Time Limit"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    severity = fields.Selection(SEVERITIES, required=True, default="normal")
    complaint_class = fields.Selection(CLASSES, help="Leave empty for every class.")
    registration_limit = fields.Float(
        "Registration (clock hours)", required=True, default=24.0,
        help="A complaint registered later than this many hours (on the clock) after its "
             "receipt is flagged as registered late.")
    investigation_limit = fields.Float("Investigation", required=True, default=3.0)
    investigation_unit = fields.Selection(UNITS, required=True,
                                          default="days")
    answer_limit = fields.Float("Answer", required=True, default=48.0)
    answer_unit = fields.Selection(UNITS, required=True, default="hours")
    close_limit = fields.Float("Closure", required=True, default=7.0)
    close_unit = fields.Selection(UNITS, "Closure Unit", required=True, default="days")

    @api.constrains("registration_limit", "investigation_limit", "answer_limit", "close_limit")
    def _check_limits(self):
        names = ["registration_limit"] + [limit for limit, _unit in STEP_LIMITS]
        for rule in self:
            wrong = [name for name in names if rule[name] <= 0]
            if wrong:
                labels = self.fields_get(wrong, ["string"])
                raise ValidationError(_("Time limits must be positive: %s") % ", ".join(
                    labels[name]["string"] for name in wrong))

    @api.model
    def _find(self, company, severity, complaint_class):
        """The most specific active rule of the complaint's company: same class first, then
        the class-free one (whichever company the user works in now)."""
        rules = self.sudo().search([("company_id", "=", company.id), ("severity", "=", severity),
                                    ("complaint_class", "in", [complaint_class or False, False])])
        return (rules.filtered(lambda r: r.complaint_class == complaint_class)[:1]
                or rules.filtered(lambda r: not r.complaint_class)[:1]).with_env(self.env)

    @api.multi
    def _step_amounts(self):
        """[(amount, unit)] of the investigation, the answer and the closure."""
        self.ensure_one()
        return [(self[limit], self[unit]) for limit, unit in STEP_LIMITS]
