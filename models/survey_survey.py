# -*- coding: utf-8 -*-
from odoo import fields, models


class SurveySurvey(models.Model):
    """Odoo's surveys used by the after-sales department: what a low score opens."""

    _inherit = "survey.survey"

    after_sales_followup = fields.Selection(
        [("request", "Follow-up Service Request"), ("action", "Corrective Action")],
        "After-Sales Follow-up",
        help="Surveys of the after-sales campaigns: what a customer's low average rating "
             "opens (see the company's Low Survey Score).")
