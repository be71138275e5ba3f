# -*- coding: utf-8 -*-
import uuid

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import consteq

PORTAL_KEY = "after_sales_portal"


class _PortalMark(object):
    """The context value of the addon's portal pages. A client's context arrives as JSON or
    XML-RPC values, so no client can send this object: only the portal controllers put it
    there (see PortalAccess.check_access_rights)."""

    __slots__ = ()

    def __repr__(self):
        return "<after-sales portal>"


PORTAL_MARK = _PortalMark()


def portal_env(env):
    """`env` of a portal page: the records the customer reads through the addon's pages."""
    return env(context=dict(env.context, **{PORTAL_KEY: PORTAL_MARK}))


class PortalAccess(models.AbstractModel):
    """Documents a customer reads on the portal (service requests, installed products).

    Portal users read them through the addon's pages only: their access rights and record
    rules (their commercial partner's records) apply there, and nowhere else. An RPC client
    (XML-RPC, /web/dataset) reaching the model as a portal user is refused: the pages mark
    their environment with an object no client can send."""

    _name = "after_sales.portal.access"
    _description = "After-Sales Document Read on the Portal"

    @api.model
    def check_access_rights(self, operation, raise_exception=True):
        if self.env.uid != SUPERUSER_ID and self.env.context.get(PORTAL_KEY) is not PORTAL_MARK \
                and self.env.user.share:
            if raise_exception:
                raise AccessError(_("Customers see their service documents on their portal "
                                    "pages only."))
            return False
        return super(PortalAccess, self).check_access_rights(
            operation, raise_exception=raise_exception)


class PortalToken(models.AbstractModel):
    """A document opened by a link with its own secret token (portal.mixin's access token):
    the service request's page, the service record to sign, the callback questionnaire."""

    _name = "after_sales.portal.token"
    _inherit = ["portal.mixin"]
    _description = "After-Sales Document with an Access Token"
    _mail_post_token_field = "access_token"

    access_token = fields.Char("Security Token", copy=False, default=lambda self: _new_token(),
                               groups="base.group_user")

    @api.model_cr_context
    def _init_column(self, column_name):
        """Existing documents each get their own token (not one default for all)."""
        if column_name != "access_token":
            return super(PortalToken, self)._init_column(column_name)
        self.env.cr.execute(
            'UPDATE "%s" SET access_token = md5(random()::text || id::text || '
            'clock_timestamp()::text)::uuid::text WHERE access_token IS NULL' % self._table)
        return True

    def _portal_token_valid(self, token):
        """Whether `token` opens this document (compared in constant time)."""
        self.ensure_one()
        current = self.sudo().access_token
        return bool(token and current and consteq(current, token))

    def _portal_new_token(self):
        """A fresh token: the links sent before stop working."""
        for record in self.sudo():
            record.access_token = _new_token()
        return True

    def _portal_full_url(self, path):
        """The absolute address of `path` on this server (for e-mails and phones)."""
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return base.rstrip("/") + path


def _new_token():
    return str(uuid.uuid4())
