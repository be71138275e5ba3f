# -*- coding: utf-8 -*-
from odoo import models


class GroupNamesMixin(models.AbstractModel):
    """read_group of the statistics and analyses names the products and users it groups by
    with one query each, instead of name_get on every product (which reads the product, its
    template, attributes and sellers): "[code] name" in the user's language for products, the
    partner's name for users (a variant's attribute values are not added: the after-sales
    parts and products are single-variant). Other many2one fields keep Odoo's name_get."""

    _name = "after_sales.group.names.mixin"
    _description = "After-Sales Group Names"

    def _read_group_resolve_many2one_fields(self, data, fields):
        by_sql = {"product.product": self._group_product_names,
                  "res.users": self._group_user_names}
        others = []
        for field in fields:
            name = field["field"]
            comodel = field["type"] == "many2one" and self._fields[name].comodel_name
            if comodel not in by_sql:
                others.append(field)
                continue
            ids = tuple({row[name] for row in data if row[name]})
            names = by_sql[comodel](ids) if ids else {}
            for row in data:
                row[name] = (row[name], names.get(row[name], "")) if row[name] else False
        return super(GroupNamesMixin, self)._read_group_resolve_many2one_fields(data, others)

    def _group_product_names(self, ids):
        lang = self.env.lang or "en_US"
        self.env.cr.execute("""
            SELECT pp.id, pp.default_code, COALESCE(NULLIF(tr.value, ''), pt.name)
              FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN ir_translation tr ON tr.res_id = pt.id AND tr.type = 'model'
                   AND tr.name = 'product.template,name' AND tr.lang = %s
             WHERE pp.id IN %s
        """, (lang, ids))
        return {product_id: "[%s] %s" % (code, name) if code else name
                for product_id, code, name in self.env.cr.fetchall()}

    def _group_user_names(self, ids):
        self.env.cr.execute("""
            SELECT u.id, p.name FROM res_users u JOIN res_partner p ON p.id = u.partner_id
             WHERE u.id IN %s
        """, (ids,))
        return dict(self.env.cr.fetchall())
