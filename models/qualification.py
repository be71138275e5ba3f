# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .request_selections import VISIT_PURPOSES


class QualificationType(models.Model):
    """A certificate or training a technician needs for some visits (e.g. 电热水器安装资格证)."""

    _name = "after_sales.qualification.type"
    _description = "Qualification Type"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    purpose = fields.Selection(VISIT_PURPOSES, "Required For",
                               help="Visits of this purpose need a technician holding a valid "
                                    "qualification of this type. Empty: needed for every visit.")
    active = fields.Boolean(default=True)


class TechnicianQualification(models.Model):
    """A technician's qualification, with its expiry."""

    _name = "after_sales.technician.qualification"
    _description = "Technician Qualification"
    _order = "date_expiry desc"

    user_id = fields.Many2one("res.users", "Technician", required=True, index=True,
                              ondelete="cascade")
    type_id = fields.Many2one("after_sales.qualification.type", "Qualification", required=True)
    number = fields.Char("Certificate Number")
    date_obtained = fields.Date("Obtained On")
    date_expiry = fields.Date("Expires On")

    @api.constrains("date_obtained", "date_expiry")
    def _check_dates(self):
        for qualification in self:
            if qualification.date_obtained and qualification.date_expiry \
                    and qualification.date_expiry < qualification.date_obtained:
                raise ValidationError(_("A qualification can't expire before it is obtained."))

    def is_valid_on(self, day):
        """Whether this qualification is valid on the given date (string)."""
        self.ensure_one()
        return not self.date_expiry or self.date_expiry >= day


class ResUsers(models.Model):
    _inherit = "res.users"

    after_sales_qualification_ids = fields.One2many(
        "after_sales.technician.qualification", "user_id", "Qualifications")

    def after_sales_missing_qualifications(self, purpose, day):
        """Qualification types this technician lacks (or has expired) for a visit purpose."""
        self.ensure_one()
        required = self.env["after_sales.qualification.type"].search(
            ["|", ("purpose", "=", purpose), ("purpose", "=", False)])
        valid = self.sudo().after_sales_qualification_ids.filtered(
            lambda q: q.is_valid_on(day)).mapped("type_id")
        return required - valid
