# -*- coding: utf-8 -*-
from odoo import fields, models

from ..models.return_case import CAUSES, DEFECT_CLASSES, RESPONSIBILITIES, STATES


class ReturnReport(models.Model):
    """Monthly summary of returns and 三包 (repair / replace / refund): one row per case (not
    cancelled) with what was received, what was done with it, and the money executed. Group it
    by month, product category, product, cause or class."""

    _name = "after_sales.return.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Returns Analysis"
    _order = "month desc, return_id desc"
    _rec_name = "return_id"

    return_id = fields.Many2one("after_sales.return", "Return Case", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    user_id = fields.Many2one("res.users", "Handler", readonly=True)
    state = fields.Selection(STATES, "Status", readonly=True)
    cause = fields.Selection(CAUSES, readonly=True)
    defect_class = fields.Selection(DEFECT_CLASSES, "Class", readonly=True)
    responsibility = fields.Selection(RESPONSIBILITIES, readonly=True)
    has_goods = fields.Boolean("Goods Returned", readonly=True)
    date = fields.Datetime("Registered On", readonly=True)
    month = fields.Date(readonly=True)
    nbr_cases = fields.Integer("Cases", readonly=True)
    qty_received = fields.Float("Received Qty", readonly=True)
    qty_scrap = fields.Float("Scrapped", readonly=True)
    qty_repair = fields.Float("Repaired", readonly=True)
    qty_restock = fields.Float("Restocked", readonly=True)
    qty_supplier = fields.Float("Returned to Supplier", readonly=True)
    qty_exchange = fields.Float("Replaced", readonly=True)
    nbr_refund = fields.Integer("Refunds", readonly=True)
    amount_refund = fields.Float("Refund Amount", readonly=True)
    amount_compensation = fields.Float("Compensation Amount", readonly=True)

    def _select(self):
        return """
            r.id AS id,
            r.id AS return_id,
            r.company_id,
            r.partner_id,
            r.product_id,
            pt.categ_id,
            r.user_id,
            r.state,
            r.cause,
            r.defect_class,
            r.responsibility,
            r.has_goods,
            r.date,
            date_trunc('month', r.date)::date AS month,
            1 AS nbr_cases,
            COALESCE(received.qty, 0) AS qty_received,
            COALESCE(disposed.qty_scrap, 0) AS qty_scrap,
            COALESCE(disposed.qty_repair, 0) AS qty_repair,
            COALESCE(disposed.qty_restock, 0) AS qty_restock,
            COALESCE(disposed.qty_supplier, 0) AS qty_supplier,
            COALESCE(disposed.qty_exchange, 0) AS qty_exchange,
            COALESCE(money.nbr_refund, 0) AS nbr_refund,
            COALESCE(money.amount_refund, 0) AS amount_refund,
            COALESCE(money.amount_compensation, 0) AS amount_compensation
        """

    def _from(self):
        return """
            after_sales_return r
            LEFT JOIN product_product pp ON pp.id = r.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN (SELECT m.after_sales_return_id AS return_id, SUM(m.product_qty) AS qty
                         FROM stock_move m
                        WHERE m.state = 'done'
                          AND m.after_sales_return_id IS NOT NULL
                          AND m.after_sales_disposition_id IS NULL
                     GROUP BY m.after_sales_return_id) received ON received.return_id = r.id
            LEFT JOIN (SELECT d.return_id,
                              SUM(CASE WHEN d.disposition_type = 'scrap'
                                       THEN d.quantity ELSE 0 END) AS qty_scrap,
                              SUM(CASE WHEN d.disposition_type = 'repair'
                                       THEN d.quantity ELSE 0 END) AS qty_repair,
                              SUM(CASE WHEN d.disposition_type = 'restock'
                                       THEN d.quantity ELSE 0 END) AS qty_restock,
                              SUM(CASE WHEN d.disposition_type = 'supplier'
                                       THEN d.quantity ELSE 0 END) AS qty_supplier,
                              SUM(CASE WHEN d.disposition_type = 'exchange'
                                       THEN d.quantity ELSE 0 END) AS qty_exchange
                         FROM after_sales_return_disposition d
                        WHERE d.state = 'done'
                     GROUP BY d.return_id) disposed ON disposed.return_id = r.id
            LEFT JOIN (SELECT c.return_id,
                              SUM(CASE WHEN c.compensation_type = 'refund'
                                       THEN 1 ELSE 0 END) AS nbr_refund,
                              SUM(CASE WHEN c.compensation_type = 'refund'
                                       THEN ABS(inv.amount_total_company_signed)
                                       ELSE 0 END) AS amount_refund,
                              SUM(CASE WHEN c.compensation_type = 'compensation'
                                       THEN ABS(inv.amount_total_company_signed)
                                       ELSE 0 END) AS amount_compensation
                         FROM after_sales_return_compensation c
                         JOIN account_invoice inv ON inv.id = c.invoice_id
                        WHERE inv.state IN ('open', 'paid')
                     GROUP BY c.return_id) money ON money.return_id = r.id
        """

    def _where(self):
        return """
            r.state != 'cancel'
        """
