# -*- coding: utf-8 -*-
from odoo import fields, models

KINDS = [
    ("charge", "Service Charges Invoiced"),
    ("warranty", "Warranty Cost"),
    ("compensation", "Returns Compensation"),
    ("subsidy", "Overtime Subsidies"),
    ("expense", "Expense Claims"),
]
# money the after-sales service brings in; the other kinds are its costs
INCOME_KINDS = ("charge",)
ACCOUNTING_STATES = [("validated", "Validated"), ("draft", "Draft")]


class MoneyReport(models.Model):
    """After-sales money (售后服务费用统计), read from accounting only: one row per invoice or
    vendor bill of the after-sales documents, and per warranty cost journal item.

    - service charges: customer invoices and credit notes of requests, visits and outbound
      orders (untaxed, credit notes negative);
    - warranty cost: the warranty expense items of parts sent in warranty (debit - credit);
    - returns compensation: credit notes and bills of return cases (untaxed, as a cost);
    - overtime subsidies and expense claims: the technicians' vendor bills (untaxed).

    Amounts are in the company currency. "Validated" is an open or paid invoice / a posted
    entry, "Draft" one not validated yet; cancelled invoices are left out. The date is the
    invoice date (creation date while a draft has none) or the entry date."""

    _name = "after_sales.money.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "After-Sales Money Analysis"
    _order = "date desc, id desc"

    kind = fields.Selection(KINDS, readonly=True)
    is_income = fields.Boolean("Income", readonly=True)
    accounting_state = fields.Selection(ACCOUNTING_STATES, "Accounting Status", readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    invoice_id = fields.Many2one("account.invoice", "Invoice / Bill", readonly=True)
    move_id = fields.Many2one("account.move", "Journal Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    request_id = fields.Many2one("after_sales.request", "Service Request", readonly=True)
    team_id = fields.Many2one("after_sales.team", readonly=True)
    amount = fields.Float(readonly=True, digits=0)
    amount_validated = fields.Float("Validated Amount", readonly=True, digits=0)
    amount_draft = fields.Float("Draft Amount", readonly=True, digits=0)

    def _select(self):
        return """
            m.id, m.kind, m.kind = 'charge' AS is_income,
            m.accounting_state, m.date, m.company_id, m.invoice_id, m.move_id,
            m.partner_id, m.request_id, r.team_id, m.amount,
            CASE WHEN m.accounting_state = 'validated' THEN m.amount ELSE 0 END
                AS amount_validated,
            CASE WHEN m.accounting_state = 'draft' THEN m.amount ELSE 0 END
                AS amount_draft
        """

    def _from(self):
        return """
            (
              -- service charges: customer invoices of requests, outbound orders, visits
              SELECT i.id * 10 + 1 AS id, 'charge'::varchar AS kind, i.id AS invoice_id,
                     i.move_id, COALESCE(i.date_invoice, i.create_date::date) AS date,
                     i.company_id, i.partner_id,
                     COALESCE(i.after_sales_request_id, po.request_id, vi.request_id)
                         AS request_id,
                     CASE WHEN i.state IN ('open', 'paid') THEN 'validated'
                          ELSE 'draft' END::varchar AS accounting_state,
                     i.amount_untaxed_signed AS amount
                FROM account_invoice i
            LEFT JOIN after_sales_parts_order po ON po.id = i.after_sales_parts_order_id
            LEFT JOIN (SELECT rel.%(inv_invoice)s AS invoice_id,
                             MIN(v.request_id) AS request_id
                        FROM %(inv_rel)s rel
                        JOIN after_sales_visit v ON v.id = rel.%(inv_visit)s
                    GROUP BY rel.%(inv_invoice)s) vi ON vi.invoice_id = i.id
               WHERE i.type IN ('out_invoice', 'out_refund') AND i.state != 'cancel'
                 AND i.after_sales_return_id IS NULL
                 AND (i.after_sales_request_id IS NOT NULL
                      OR i.after_sales_parts_order_id IS NOT NULL
                      OR vi.invoice_id IS NOT NULL)
            UNION ALL
              -- warranty cost: expense items of the parts sent in warranty
              SELECT l.id * 10 + 2, 'warranty', NULL, l.move_id, l.date, l.company_id,
                     l.partner_id, po.request_id,
                     CASE WHEN am.state = 'posted' THEN 'validated' ELSE 'draft' END,
                     l.debit - l.credit
                FROM account_move_line l
                JOIN account_move am ON am.id = l.move_id
            LEFT JOIN after_sales_parts_order po ON po.id = am.after_sales_parts_order_id
               WHERE l.after_sales_warranty_cost
            UNION ALL
              -- compensation: credit notes (customer side) and bills to the customer
              SELECT i.id * 10 + 3, 'compensation', i.id, i.move_id,
                     COALESCE(i.date_invoice, i.create_date::date), i.company_id,
                     i.partner_id, rc.request_id,
                     CASE WHEN i.state IN ('open', 'paid') THEN 'validated' ELSE 'draft' END,
                     CASE WHEN i.type IN ('out_invoice', 'out_refund')
                          THEN -i.amount_untaxed_signed
                          ELSE i.amount_untaxed_signed END
                FROM account_invoice i
                JOIN after_sales_return rc ON rc.id = i.after_sales_return_id
               WHERE i.state != 'cancel'
            UNION ALL
              -- compensation of late requests (a repair not done in the agreed time)
              SELECT i.id * 10 + 6, 'compensation', i.id, i.move_id,
                     COALESCE(i.date_invoice, i.create_date::date), i.company_id,
                     i.partner_id, c.request_id,
                     CASE WHEN i.state IN ('open', 'paid') THEN 'validated' ELSE 'draft' END,
                     CASE WHEN i.type IN ('out_invoice', 'out_refund')
                          THEN -i.amount_untaxed_signed
                          ELSE i.amount_untaxed_signed END
                FROM after_sales_return_compensation c
                JOIN account_invoice i ON i.id = c.invoice_id
               WHERE c.request_id IS NOT NULL AND i.state != 'cancel'
            UNION ALL
              -- overtime subsidies: the technicians' bills of verified visits
              SELECT i.id * 10 + 4, 'subsidy', i.id, i.move_id,
                     COALESCE(i.date_invoice, i.create_date::date), i.company_id,
                     i.partner_id, sb.request_id,
                     CASE WHEN i.state IN ('open', 'paid') THEN 'validated' ELSE 'draft' END,
                     i.amount_untaxed_signed
                FROM account_invoice i
                JOIN (SELECT rel.%(sub_invoice)s AS invoice_id,
                             MIN(v.request_id) AS request_id
                        FROM %(sub_rel)s rel
                        JOIN after_sales_visit v ON v.id = rel.%(sub_visit)s
                    GROUP BY rel.%(sub_invoice)s) sb ON sb.invoice_id = i.id
               WHERE i.state != 'cancel'
            UNION ALL
              -- expense claims: the bill paying an approved claim
              SELECT i.id * 10 + 5, 'expense', i.id, i.move_id,
                     COALESCE(i.date_invoice, i.create_date::date), i.company_id,
                     i.partner_id,
                     (SELECT MIN(v.request_id) FROM %(claim_rel)s rel
                        JOIN after_sales_visit v ON v.id = rel.%(claim_visit)s
                       WHERE rel.%(claim_claim)s = ec.id),
                     CASE WHEN i.state IN ('open', 'paid') THEN 'validated' ELSE 'draft' END,
                     i.amount_untaxed_signed
                FROM after_sales_expense_claim ec
                JOIN account_invoice i ON i.id = ec.bill_id
               WHERE i.state != 'cancel'
            ) m
            LEFT JOIN after_sales_request r ON r.id = m.request_id
        """ % self._relation_columns()

    def _relation_columns(self):
        """The many2many tables linking visits to their invoices and subsidy bills, and
        expense claims to their visits."""
        Visit = self.env["after_sales.visit"]
        invoices, subsidies = Visit._fields["invoice_ids"], Visit._fields["subsidy_bill_ids"]
        claim_visits = self.env["after_sales.expense.claim"]._fields["visit_ids"]
        return {
            "inv_rel": invoices.relation, "inv_visit": invoices.column1,
            "inv_invoice": invoices.column2,
            "sub_rel": subsidies.relation, "sub_visit": subsidies.column1,
            "sub_invoice": subsidies.column2,
            "claim_rel": claim_visits.relation, "claim_claim": claim_visits.column1,
            "claim_visit": claim_visits.column2,
        }
