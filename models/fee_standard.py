# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .request_selections import CATEGORIES, SHIPPING_METHODS


class FeeStandard(models.Model):
    """The company's fee standard (售后服务收费标准): the one schedule out-of-warranty charges
    are priced from and shown to customers; a charge that departs from it is flagged."""

    _name = "after_sales.fee.standard"
    _description = "After-Sales Fee Standard"
    _inherit = ["mail.thread"]

    name = fields.Char(required=True, translate=True,
                       default=lambda self: _("After-Sales Service Fee Standard"))
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    date_start = fields.Date("Valid From", default=fields.Date.context_today,
                             track_visibility="onchange")
    travel_flat = fields.Monetary("Travel Fee (flat)", track_visibility="onchange")
    travel_per_km = fields.Monetary("Travel Fee per km", track_visibility="onchange")
    parts_markup = fields.Float("Parts Markup (%)", default=20.0, track_visibility="onchange",
                                help="Parts are charged at their cost plus this markup.")
    labour_ids = fields.One2many("after_sales.fee.standard.labour", "standard_id",
                                 "Labour per Service Category", copy=True)
    postage_ids = fields.One2many("after_sales.fee.standard.postage", "standard_id",
                                  "Postage per Shipping Method", copy=True)
    note = fields.Html("Notes to Customers", translate=True)

    # the warranty cost accounts are set here by the after-sales manager (who may not edit
    # companies) and stored on the company
    warranty_account_id = fields.Many2one(
        "account.account", "Warranty Expense Account", compute="_compute_warranty_accounts",
        inverse="_inverse_warranty_accounts", domain=[("deprecated", "=", False)],
        help="Parts sent free in warranty are booked to this expense account when their "
             "transfer is validated.")
    warranty_journal_id = fields.Many2one(
        "account.journal", "Warranty Cost Journal", compute="_compute_warranty_accounts",
        inverse="_inverse_warranty_accounts",
        help="Journal of the warranty cost entries; the first miscellaneous journal if empty.")

    _sql_constraints = [
        ("company_uniq", "unique (company_id)", "A company has one fee standard."),
    ]

    @api.constrains("parts_markup", "travel_flat", "travel_per_km")
    def _check_amounts(self):
        for standard in self:
            if min(standard.parts_markup, standard.travel_flat, standard.travel_per_km) < 0:
                raise ValidationError(_("Fees and markup can't be negative."))

    @api.model
    def for_company(self, company=None):
        """The fee standard of the company (created empty on first use)."""
        company = company or self.env.user.company_id
        standard = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if not standard:
            standard = self.sudo().create({"company_id": company.id})
        return standard.sudo(self.env.uid)

    @api.multi
    def labour_price(self, category):
        self.ensure_one()
        return sum(self.labour_ids.filtered(lambda l: l.category == category).mapped("amount"))

    @api.multi
    def postage_price(self, method):
        self.ensure_one()
        return sum(self.postage_ids.filtered(lambda l: l.method == method).mapped("amount"))

    @api.multi
    def travel_price(self, distance_km=0.0):
        self.ensure_one()
        return self.travel_flat + self.travel_per_km * (distance_km or 0.0)

    @api.multi
    def part_price(self, product):
        """Price of a part to the customer: its cost in the standard's company plus the
        markup."""
        self.ensure_one()
        return self._part_cost(product) * (1.0 + self.parts_markup / 100.0)

    def _part_cost(self, product):
        return product.with_context(force_company=self.company_id.id).standard_price

    @api.multi
    def check_part_costs(self, products):
        """Parts are charged at their cost plus the markup: one without a cost in the
        standard's company would be invoiced at 0.00, so charging it is refused."""
        self.ensure_one()
        # the costs of all the parts read at once
        products = products.with_context(force_company=self.company_id.id)
        free = products.filtered(lambda p: p.type != "service"
                                 and self.currency_id.is_zero(self._part_cost(p)))
        if free:
            raise UserError(_("%(parts)s: no cost in %(company)s, the part would be charged "
                              "0.00. Set its cost in %(company)s first.") % {
                                  "parts": ", ".join(free.mapped("display_name")),
                                  "company": self.company_id.name})
        return True

    @api.multi
    def departs_from(self, expected, charged):
        """Whether a charged amount departs from the standard's (by more than a cent)."""
        self.ensure_one()
        return self.currency_id.compare_amounts(expected, charged) != 0

    @api.model
    def action_open(self):
        """Menu entry: the company's fee standard form."""
        standard = self.for_company()
        return {"type": "ir.actions.act_window", "res_model": self._name, "view_mode": "form",
                "res_id": standard.id, "name": _("Fee Standard"), "target": "current"}

    @api.depends("company_id.after_sales_warranty_account_id",
                 "company_id.after_sales_warranty_journal_id")
    def _compute_warranty_accounts(self):
        for standard in self:
            company = standard.company_id.sudo()
            standard.warranty_account_id = company.after_sales_warranty_account_id
            standard.warranty_journal_id = company.after_sales_warranty_journal_id

    def _inverse_warranty_accounts(self):
        # writing the fee standard is the manager's right (access rules): the company follows
        self.check_access_rights("write")
        self.check_access_rule("write")
        for standard in self:
            standard.company_id.sudo().write({
                "after_sales_warranty_account_id": standard.warranty_account_id.id,
                "after_sales_warranty_journal_id": standard.warranty_journal_id.id,
            })


class FeeStandardLabour(models.Model):
    _name = "after_sales.fee.standard.labour"
    _description = "Labour Fee per Service Category"
    _order = "category"

    standard_id = fields.Many2one("after_sales.fee.standard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="standard_id.currency_id", readonly=True)
    category = fields.Selection(CATEGORIES, required=True)
    amount = fields.Monetary("Labour Fee", required=True)
    unit = fields.Char("Per", default=lambda self: _("visit"), translate=True)

    _sql_constraints = [
        ("category_uniq", "unique (standard_id, category)",
         "One labour fee per service category."),
    ]


class FeeStandardPostage(models.Model):
    _name = "after_sales.fee.standard.postage"
    _description = "Postage per Shipping Method"
    _order = "method"

    standard_id = fields.Many2one("after_sales.fee.standard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="standard_id.currency_id", readonly=True)
    method = fields.Selection(SHIPPING_METHODS, "Shipping Method", required=True)
    amount = fields.Monetary("Postage", required=True)

    _sql_constraints = [
        ("method_uniq", "unique (standard_id, method)", "One postage per shipping method."),
    ]
