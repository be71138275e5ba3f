# -*- coding: utf-8 -*-
from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError



class SignatureStep(models.Model):
    """Who signs the overtime subsidy (the attendance sheet), in which order, per company:
    department manager, deputy general manager, general manager by default."""

    _name = "after_sales.signature.step"
    _description = "Overtime Subsidy Signature Step"
    _order = "company_id, sequence, id"

    name = fields.Char("Signer", required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    group_id = fields.Many2one("res.groups", "Signing Group", required=True)
    group_xmlid = fields.Char(compute="_compute_group_xmlid")
    allow_same_signer = fields.Boolean(
        "May Be Signed by an Earlier Signer",
        help="Off: whoever signed an earlier step can't sign this one, so that different "
             "people sign (a general manager is also a manager and a deputy).")

    @api.depends("group_id")
    def _compute_group_xmlid(self):
        xmlids = self.mapped("group_id").sudo().get_external_id()
        for step in self:
            step.group_xmlid = xmlids.get(step.group_id.id) or False

    @api.constrains("group_id")
    def _check_group_id(self):
        for step in self:
            if not step.group_xmlid:
                raise ValidationError(_("%s: choose a group of the application (one with an "
                                        "external identifier).") % step.name)

    @api.model
    @tools.ormcache("company_id")
    def _step_ids_for(self, company_id):
        """The ids of a company's steps, in order (every visit's approval table reads them:
        cached until a step changes)."""
        return tuple(self.sudo().search([("company_id", "=", company_id)]).ids)

    @api.model
    def create(self, vals):
        self.clear_caches()
        return super(SignatureStep, self).create(vals)

    @api.multi
    def write(self, vals):
        self.clear_caches()
        return super(SignatureStep, self).write(vals)

    @api.multi
    def unlink(self):
        self.clear_caches()
        return super(SignatureStep, self).unlink()

    @api.model
    def _steps_for(self, company):
        """The company's steps in order; the three default signers when it has none (plain
        objects with the same attributes)."""
        steps = self.sudo().browse(self._step_ids_for(company.id))
        if steps:
            return list(steps)
        # the signatures of the attendance sheet when a company configured none (第五节(3))
        return [
            _DefaultStep("after_sales_service.group_manager", _("After-Sales Manager")),
            _DefaultStep("after_sales_service.group_deputy_general_manager",
                         _("Deputy General Manager")),
            _DefaultStep("after_sales_service.group_general_manager", _("General Manager")),
        ]


class _DefaultStep(object):
    """A default signature step (see SignatureStep._steps_for)."""

    allow_same_signer = False

    def __init__(self, group_xmlid, name):
        self.group_xmlid = group_xmlid
        self.name = name


class VisitSignature(models.Model):
    """One signature of a visit's overtime subsidy: the step, who signed, when. Created only
    by the signing action (action_sign_subsidy), never written."""

    _name = "after_sales.visit.signature"
    _description = "Overtime Subsidy Signature"
    _order = "visit_id, step"

    visit_id = fields.Many2one("after_sales.visit", required=True, index=True,
                               ondelete="cascade")
    company_id = fields.Many2one(related="visit_id.company_id", store=True, readonly=True)
    step = fields.Integer(required=True)
    name = fields.Char("Signature", required=True)
    user_id = fields.Many2one("res.users", "Signed By", required=True)
    date = fields.Datetime("Signed On", required=True, default=fields.Datetime.now)
