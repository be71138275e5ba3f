# -*- coding: utf-8 -*-
from odoo import fields, models


class Team(models.Model):
    """A service team (服务组): who answers the requests of an area or a product line."""

    _name = "after_sales.team"
    _description = "After-Sales Team"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    leader_id = fields.Many2one("res.users", "Team Leader",
                                help="Receives the escalations of the team's late requests.")
    member_ids = fields.Many2many("res.users", string="Members")
