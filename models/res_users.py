# -*- coding: utf-8 -*-
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    after_sales_qualification_ids = fields.One2many(
        "after_sales.technician.qualification", "user_id", "Qualifications")

    def after_sales_missing_qualifications(self, purpose, day):
        """Qualification types this technician lacks (or has expired) for a visit purpose."""
        self.ensure_one()
        required = self.env["after_sales.qualification.type"].search(
            ["|", ("purpose", "=", purpose), ("purpose", "=", False),
             ("categ_ids", "=", False)])
        valid = self.sudo().after_sales_qualification_ids.filtered(
            lambda q: q.is_valid_on(day)).mapped("type_id")
        return required - valid
