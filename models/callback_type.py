# -*- coding: utf-8 -*-
from odoo import fields, models

CALLBACK_KINDS = [
    ("usage", "Product Usage Callback"),
    ("satisfaction", "Service Satisfaction Callback"),
    ("complaint", "Complaint Callback"),
    ("key_customer", "Key Customer Annual Visit"),
    ("contract", "Contract Visit"),
    ("delivery", "Post-Delivery Callback"),
]
QUESTION_KINDS = [("yesno", "Yes / No"), ("rating", "Rating 1-5"), ("text", "Text")]


class CallbackType(models.Model):
    """A kind of callback (回访) and its questionnaire."""

    _name = "after_sales.callback.type"
    _description = "Callback Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    form_name = fields.Char("Printed Form Title", translate=True,
                            help="Title of the printed record, e.g. 顾客服务回访记录单.")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(CALLBACK_KINDS, required=True)
    active = fields.Boolean(default=True)
    question_ids = fields.One2many("after_sales.callback.question", "type_id", "Questions",
                                   copy=True)


class CallbackQuestion(models.Model):
    _name = "after_sales.callback.question"
    _description = "Callback Question"
    _order = "sequence, id"

    type_id = fields.Many2one("after_sales.callback.type", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char("Question", required=True, translate=True)
    kind = fields.Selection(QUESTION_KINDS, required=True, default="rating")
    unsatisfied_answer = fields.Selection(
        [("yes", "Yes"), ("no", "No")], "Unsatisfied When",
        help="For yes/no questions: the answer that means the customer is not satisfied. "
             "Ratings of 2 or less always do.")
    followup = fields.Selection(
        [("request", "Follow-up Request"), ("complaint", "Complaint")], default="complaint",
        help="What an unsatisfied answer opens.")
    checks_charge = fields.Boolean(
        "About the Charge", help="The callback shows the amount invoiced next to this answer.")
