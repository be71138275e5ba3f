# -*- coding: utf-8 -*-
from odoo import fields, models


class SurveyResultReport(models.Model):
    """Survey results: one row per rated answer of a completed after-sales survey (the
    answers choosing a scored label of Odoo's survey module, rating 1 to 5). Grouped by
    customer and period (the campaign's), the average of `rating` is the customer's score
    for the period; by question, what customers rate low."""

    _name = "after_sales.survey.result.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Survey Results"
    _rec_name = "question_id"

    invitation_id = fields.Many2one("after_sales.survey.invitation", readonly=True)
    plan_line_id = fields.Many2one("after_sales.survey.plan.line", "Campaign", readonly=True)
    plan_id = fields.Many2one("after_sales.survey.plan", readonly=True)
    survey_id = fields.Many2one("survey.survey", readonly=True)
    question_id = fields.Many2one("survey.question", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Date("Survey Period", readonly=True)
    date_answered = fields.Datetime("Answered On", readonly=True)
    channel = fields.Selection([("online", "Online"), ("phone", "Phone")], readonly=True)
    answer_count = fields.Integer("Ratings", readonly=True)
    rating = fields.Float("Average Rating", readonly=True, group_operator="avg")
    low_count = fields.Integer("Rated 1-2", readonly=True)

    def _select(self):
        return """
            l.id AS id, i.id AS invitation_id, i.plan_line_id, pl.plan_id,
            i.survey_id, l.question_id, i.partner_id, i.company_id, i.date_start,
            i.date_answered, i.channel, 1 AS answer_count, l.quizz_mark AS rating,
            CASE WHEN l.quizz_mark <= 2 THEN 1 ELSE 0 END AS low_count
        """

    def _from(self):
        return """
            survey_user_input_line l
            JOIN survey_label lab ON lab.id = l.value_suggested
            JOIN after_sales_survey_invitation i ON i.user_input_id = l.user_input_id
            JOIN after_sales_survey_plan_line pl ON pl.id = i.plan_line_id
        """

    def _where(self):
        return ("i.state = 'answered' AND l.answer_type = 'suggestion' "
                "AND NOT COALESCE(l.skipped, FALSE) AND lab.quizz_mark > 0")
