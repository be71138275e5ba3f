# -*- coding: utf-8 -*-
from odoo import _, api, models
from odoo.exceptions import UserError


class ChargeMixin(models.AbstractModel):
    """Charges through accounting: draft customer invoices and vendor bills built from
    (product, quantity, unit price, description) lines, for any after-sales document."""

    _name = "after_sales.charge.mixin"
    _description = "After-Sales Charges"

    @api.model
    def _charge_journal(self, invoice_type, company):
        journal_type = "sale" if invoice_type in ("out_invoice", "out_refund") else "purchase"
        journal = self.env["account.journal"].search(
            [("type", "=", journal_type), ("company_id", "=", company.id)], limit=1)
        if not journal:
            raise UserError(_("Create a %s journal for company %s first.")
                            % (journal_type, company.name))
        return journal

    @api.model
    def _prepare_charge_line_vals(self, product, quantity, price_unit, name, invoice_type):
        account = self.env["account.invoice.line"].get_invoice_line_account(
            invoice_type, product, False, self.env.user.company_id)
        if not account:
            raise UserError(_("Set an income/expense account on product %s or its category.")
                            % product.display_name)
        taxes = product.taxes_id if invoice_type.startswith("out") else product.supplier_taxes_id
        return {
            "product_id": product.id, "name": name or product.display_name,
            "quantity": quantity, "price_unit": price_unit, "uom_id": product.uom_id.id,
            "account_id": account.id, "invoice_line_tax_ids": [(6, 0, taxes.ids)],
        }

    @api.model
    def _create_charge_invoice(self, partner, lines, origin, invoice_type="out_invoice",
                               company=None):
        """A draft invoice (or vendor bill) for `lines` of (product, qty, price, name).

        Lines of zero quantity are skipped; nothing is created without a line."""
        lines = [line for line in lines if line[1]]
        if not lines:
            return self.env["account.invoice"]
        # drafted on behalf of the after-sales process (whose users have no accounting
        # rights); finance reviews and validates them
        self = self.sudo()
        company = company or self.env.user.company_id
        partner = partner.commercial_partner_id
        account = (partner.property_account_receivable_id if invoice_type.startswith("out")
                   else partner.property_account_payable_id)
        return self.env["account.invoice"].create({
            "type": invoice_type, "partner_id": partner.id, "origin": origin,
            "account_id": account.id, "company_id": company.id,
            "journal_id": self._charge_journal(invoice_type, company).id,
            "invoice_line_ids": [(0, 0, self._prepare_charge_line_vals(
                product, qty, price, name, invoice_type)) for product, qty, price, name in lines],
        })
