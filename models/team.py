# -*- coding: utf-8 -*-
from odoo import api, fields, models
from odoo.tools.safe_eval import safe_eval


class Team(models.Model):
    """A service team (服务组): who answers the requests of an area or a product line. Its
    mail alias is the e-mail channel: a mail to it opens a request of the team."""

    _name = "after_sales.team"
    _description = "After-Sales Team"
    _inherit = ["mail.alias.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    leader_id = fields.Many2one("res.users", "Team Leader",
                                help="Receives the escalations of the team's late requests.")
    member_ids = fields.Many2many("res.users", string="Members")
    alias_id = fields.Many2one(
        "mail.alias", ondelete="restrict", required=True,
        help="The e-mail address of the team: a mail sent to it registers a service request "
             "of the team (channel e-mail); replies land in the request's messages.")

    # ------------------------------------------------------------------ mail alias

    def get_alias_model_name(self, vals):
        return "after_sales.request"

    def get_alias_values(self):
        """Requests opened by mail belong to the team and its company; anyone may write."""
        values = super(Team, self).get_alias_values()
        defaults = safe_eval(self.alias_defaults or "{}")
        defaults.update(team_id=self.id, company_id=self.company_id.id)
        values.update(alias_defaults=repr(defaults), alias_contact="everyone")
        return values

    @api.multi
    def write(self, vals):
        result = super(Team, self).write(vals)
        if "company_id" in vals:
            for team in self:
                team.alias_id.sudo().write(team.get_alias_values())
        return result
