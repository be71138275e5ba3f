# -*- coding: utf-8 -*-
import logging

from odoo import api, models
from odoo.addons.mail.models.mail_template import mako_template_env

_logger = logging.getLogger(__name__)


class IrTranslation(models.Model):
    _inherit = "ir.translation"

    @api.model_cr_context
    def load_module_terms(self, modules, langs):
        res = super(IrTranslation, self).load_module_terms(modules, langs)
        self._after_sales_drop_broken_templates(langs)
        return res

    @api.model
    def _after_sales_drop_broken_templates(self, langs):
        """Translations of mail templates that are no template any more are dropped: the
        template is then rendered from its source. Odoo 11's zh_CN translation of mail's
        notification subject translates its Python operators (`or` -> 或): every notification
        mailed in Chinese failed to render its subject (a traceback in the log)."""
        terms = self.sudo().search([("type", "=", "model"), ("lang", "in", list(langs)),
                                    ("name", "=like", "mail.template,%"),
                                    ("value", "like", "${")])
        broken = terms.filtered(lambda t: _compiles(t.src) and not _compiles(t.value))
        for term in broken:
            _logger.info("dropped the %s translation of %s (%s): it does not compile",
                         term.lang, term.name, term.res_id)
        broken.unlink()
        return broken


def _compiles(text):
    try:
        mako_template_env.from_string(text or "")
    except Exception:  # any syntax error: not a template
        return False
    return True
