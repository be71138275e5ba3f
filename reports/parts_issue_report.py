# -*- coding: utf-8 -*-
from odoo import fields, models


class PartsIssueReport(models.Model):
    """Parts issued per month (配件发放统计): quantity and value of the done stock moves of the
    outbound orders' transfers, charged or in warranty, per product and per customer. Returns of
    issued parts count negative."""

    _name = "after_sales.parts.issue.report"
    _inherit = ["after_sales.report.mixin"]
    _auto = False
    _description = "Parts Issued"
    _order = "date desc"

    date = fields.Date("Month", readonly=True)
    date_done = fields.Datetime("Issued On", readonly=True)
    order_id = fields.Many2one("after_sales.parts.order", "Outbound Order", readonly=True)
    request_id = fields.Many2one("after_sales.request", "Service Request", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", "Part", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    quantity = fields.Float(readonly=True)
    value = fields.Float("Value (Cost)", readonly=True)
    charged = fields.Boolean("Charged to Customer", readonly=True)

    def _select(self):
        return """
            sm.id AS id,
            date_trunc('month', sm.date)::date AS date,
            sm.date AS date_done,
            o.id AS order_id,
            o.request_id AS request_id,
            o.partner_id AS partner_id,
            sm.product_id AS product_id,
            pt.categ_id AS categ_id,
            o.warehouse_id AS warehouse_id,
            o.company_id AS company_id,
            CASE WHEN src.usage = 'internal' THEN 1 ELSE -1 END
                * sm.product_qty AS quantity,
            CASE WHEN COALESCE(sm.value, 0) <> 0 THEN -sm.value
                 ELSE CASE WHEN src.usage = 'internal' THEN 1 ELSE -1 END
                      * sm.product_qty * ABS(COALESCE(sm.price_unit, 0))
            END AS value,
            COALESCE(o.chargeable, FALSE) AS charged
        """

    def _from(self):
        return """
            stock_move sm
            JOIN stock_picking sp ON sp.id = sm.picking_id
            JOIN after_sales_parts_order o ON o.id = sp.after_sales_parts_order_id
            JOIN stock_location src ON src.id = sm.location_id
            JOIN stock_location dest ON dest.id = sm.location_dest_id
            JOIN product_product pp ON pp.id = sm.product_id
            JOIN product_template pt ON pt.id = pp.product_tmpl_id
        """

    def _where(self):
        return """
            sm.state = 'done'
            AND (src.usage = 'internal') <> (dest.usage = 'internal')
        """
