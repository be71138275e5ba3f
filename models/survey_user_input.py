# -*- coding: utf-8 -*-
from odoo import api, models


class SurveyUserInput(models.Model):
    """A customer's answers to a survey: once completed (the survey's own pages write the
    state, online by the link or entered by staff), the after-sales invitation takes the
    score and opens the follow-up of a low one."""

    _inherit = "survey.user_input"

    @api.multi
    def write(self, vals):
        result = super(SurveyUserInput, self).write(vals)
        if vals.get("state") == "done":
            self.env["after_sales.survey.invitation"].sudo().search(
                [("user_input_id", "in", self.ids)])._on_answered()
        return result
