# -*- coding: utf-8 -*-
from odoo import _, api, models
from odoo.exceptions import UserError


class ChargeMixin(models.AbstractModel):
    """Charges through accounting: draft customer invoices and vendor bills built from
    (product, quantity, unit price, description[, unit[, extra line values]]) lines, for any
    after-sales document.
    They are drafted on behalf of the after-sales process, whose users have no accounting
    rights; finance reviews and validates them."""

    _name = "after_sales.charge.mixin"
    _description = "After-Sales Charges"

    @api.model
    def _charge_journal(self, invoice_type, company):
        journal = self.env["account.invoice"].with_context(
            type=invoice_type, company_id=company.id)._default_journal()
        if not journal:
            raise UserError(_("Define a sales or purchase journal for company %s.")
                            % company.name)
        return journal

    @api.model
    def _charge_fiscal_position(self, partner, delivery=None, company=None):
        # the partner's properties and the fiscal positions of the charge's company
        FiscalPosition = self.env["account.fiscal.position"].with_context(
            force_company=(company or self.env.user.company_id).id)
        return FiscalPosition.browse(FiscalPosition.get_fiscal_position(
            partner.id, delivery_id=(delivery or partner).id)).with_env(self.env)

    @api.model
    def _prepare_charge_line_vals(self, product, quantity, price_unit, name, invoice_type,
                                  company, fiscal_position, journal, uom=None):
        customer = invoice_type in ("out_invoice", "out_refund")
        account = self._charge_line_account(
            product.with_context(force_company=company.id), invoice_type, fiscal_position,
            company) or (journal.default_credit_account_id if customer
                         else journal.default_debit_account_id)
        if not account:
            raise UserError(_("Set an income/expense account on product %(product)s or its "
                              "category in company %(company)s.") % {
                                  "product": product.display_name, "company": company.name})
        taxes = (product.taxes_id if customer else product.supplier_taxes_id).filtered(
            lambda t: t.company_id == company)
        if fiscal_position:
            taxes = fiscal_position.map_tax(taxes, product)
        return {
            "product_id": product.id, "name": name or product.display_name,
            "quantity": quantity, "price_unit": price_unit, "uom_id": (uom or product.uom_id).id,
            "account_id": account.id, "invoice_line_tax_ids": [(6, 0, taxes.ids)],
        }

    @api.model
    def _charge_line_account(self, product, invoice_type, fiscal_position, company):
        """The account of an invoice line of `product`, Odoo's (get_invoice_line_account). A
        customer's line takes the product's income account (account's
        _get_product_accounts), read alone: Odoo's lookup also reads the stock accounts
        stock_account adds, a dozen property reads a customer invoice line never uses."""
        if invoice_type not in ("out_invoice", "out_refund"):
            return self.env["account.invoice.line"].get_invoice_line_account(
                invoice_type, product, fiscal_position, company)
        template = product.product_tmpl_id
        account = template.property_account_income_id \
            or template.categ_id.property_account_income_categ_id
        return fiscal_position.map_account(account) if account else account

    @api.model
    def _prepare_charge_invoice_vals(self, partner, lines, origin, invoice_type="out_invoice",
                                     company=None, delivery=None):
        company = company or self.env.user.company_id
        partner = partner.commercial_partner_id
        journal = self._charge_journal(invoice_type, company)
        fiscal_position = self._charge_fiscal_position(partner, delivery, company)
        accounts = partner.with_context(force_company=company.id)
        account = (accounts.property_account_receivable_id if invoice_type.startswith("out")
                   else accounts.property_account_payable_id)
        if not account:
            raise UserError(_("Set the receivable and payable accounts of %(partner)s in company "
                              "%(company)s.") % {"partner": partner.display_name,
                                                 "company": company.name})
        # the lines' products in one recordset of the company: their accounts and taxes (company
        # dependent) are read once for all of them, not once per line
        products = self.env["product.product"].with_context(force_company=company.id).browse(
            [line[0].id for line in lines])
        products.mapped("product_tmpl_id.categ_id")  # the templates prefetched together
        products = {product.id: product for product in products}
        # what Odoo's create would otherwise find by running the partner's and the journal's
        # onchanges on a draft copy of the invoice and its lines (account.invoice.create)
        payment_term = (accounts.property_payment_term_id if invoice_type.startswith("out")
                        else accounts.property_supplier_payment_term_id)
        bank = partner.bank_ids[:1] if invoice_type in ("in_invoice", "out_refund") \
            else partner.bank_ids.browse()
        return {
            "type": invoice_type, "partner_id": partner.id, "origin": origin,
            "account_id": account.id, "company_id": company.id, "journal_id": journal.id,
            "fiscal_position_id": fiscal_position.id, "payment_term_id": payment_term.id,
            "partner_bank_id": bank.id,
            "currency_id": (journal.currency_id or company.currency_id).id,
            "invoice_line_ids": [(0, 0, dict(self._prepare_charge_line_vals(
                products[line[0].id], line[1], line[2], line[3], invoice_type, company,
                fiscal_position, journal, uom=line[4] if len(line) > 4 else None),
                **(line[5] if len(line) > 5 else {}))) for line in lines],
        }

    @api.model
    def _create_charge_invoice(self, partner, lines, origin, invoice_type="out_invoice",
                               company=None, delivery=None, extra_vals=None):
        """A draft invoice (or vendor bill) for `lines`; lines of zero quantity are skipped and
        nothing is created without a line."""
        lines = [line for line in lines if line[1]]
        if not lines:
            return self.env["account.invoice"]
        self = self.sudo()
        vals = self._prepare_charge_invoice_vals(partner, lines, origin, invoice_type, company,
                                                 delivery)
        vals.update(extra_vals or {})
        # Odoo's create computes the taxes when a line has some; the creation is not tracked
        # field by field (the document that asked for the invoice says it in its chatter)
        invoice = self.env["account.invoice"].with_context(mail_notrack=True).create(vals)
        return invoice.with_env(self.env)
