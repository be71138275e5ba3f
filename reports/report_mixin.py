# -*- coding: utf-8 -*-
from psycopg2 import sql

from odoo import api, models, tools


class ReportMixin(models.AbstractModel):
    """An SQL analysis view (account.invoice.report's shape): each report gives its
    _select(), _from(), _where() and _group_by() parts; the view is (re)created here from
    them, its name quoted as an identifier. The parts are the reports' own SQL, built from
    table and column names only, never from user input. Each report sets `_auto = False` itself
    (a Model class defaults to a table whatever its mixins say)."""

    _name = "after_sales.report.mixin"
    _inherit = ["after_sales.group.names.mixin"]
    _description = "After-Sales Analysis View"

    def _select(self):
        raise NotImplementedError()

    def _from(self):
        raise NotImplementedError()

    def _where(self):
        return ""

    def _group_by(self):
        return ""

    def _query(self):
        query = "SELECT %s FROM %s" % (self._select(), self._from())
        if self._where():
            query += " WHERE %s" % self._where()
        if self._group_by():
            query += " GROUP BY %s" % self._group_by()
        return query

    @api.model_cr
    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(sql.SQL("CREATE OR REPLACE VIEW {} AS ({})").format(
            sql.Identifier(self._table), sql.SQL(self._query())))
