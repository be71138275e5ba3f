# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
