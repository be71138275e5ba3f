# -*- coding: utf-8 -*-
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .document_mixin import (LINE_LENGTH, NAME_LENGTH, PHONE_LENGTH, REFERENCE_LENGTH,
                             TEXT_LENGTH, document_action)
from .request_selections import VISIT_PURPOSES

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("planned", "Visit Planned"),
    ("refused", "Refused"),
]


class Demand(models.Model):
    """Customer service requirement form (客户服务需求申请表): sales or marketing relay a
    customer's need for installation, training, repair or inspection of a product delivered
    to them; the after-sales department plans the visit from it or refuses it."""

    _name = "after_sales.demand"
    _description = "Customer Service Requirement"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.demand"
    _order = "id desc"
    _reason_actions = ("refuse",)
    _text_limits = {
        "contact_name": NAME_LENGTH, "phone": PHONE_LENGTH, "site_address": LINE_LENGTH,
        "project_name": LINE_LENGTH, "serial": REFERENCE_LENGTH, "description": TEXT_LENGTH,
        "refuse_reason": TEXT_LENGTH,
    }
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "visit_id", "planned_by_id", "refuse_reason", "lot_id",
                     "warranty_card_id", "picking_id", "date_delivered", "in_warranty",
                     "contract_id")

    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    user_id = fields.Many2one("res.users", "Requested By", required=True, index=True,
                              default=lambda self: self.env.user, readonly=True,
                              states={"draft": [("readonly", False)]})
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 readonly=True, states={"draft": [("readonly", False)]},
                                 track_visibility="onchange")
    contact_name = fields.Char("Contact Person", readonly=True,
                               states={"draft": [("readonly", False)]})
    phone = fields.Char(readonly=True, states={"draft": [("readonly", False)]})
    site_address = fields.Char(readonly=True,
                               states={"draft": [("readonly", False)]})
    project_name = fields.Char("Project / Site Name", readonly=True,
                               states={"draft": [("readonly", False)]})
    product_id = fields.Many2one("product.product", "Delivered Product", required=True,
                                 index=True, readonly=True,
                                 states={"draft": [("readonly", False)]})
    serial = fields.Char("Serial Number", readonly=True, states={"draft": [("readonly", False)]},
                         help="As read on the product's nameplate or the delivery note.")
    purpose = fields.Selection(VISIT_PURPOSES, "Service Needed", required=True,
                               default="installation", readonly=True,
                               states={"draft": [("readonly", False)]},
                               track_visibility="onchange")
    date_desired = fields.Date("Desired Date", required=True, readonly=True,
                               states={"draft": [("readonly", False)]})
    description = fields.Text("Customer's Need", readonly=True,
                              states={"draft": [("readonly", False)]})

    # found on submission, from the installed base and the deliveries
    lot_id = fields.Many2one("stock.production.lot", "Serial / Lot", readonly=True, copy=False)
    warranty_card_id = fields.Many2one("after_sales.warranty.card", "Installed Product",
                                       readonly=True, copy=False)
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True, copy=False)
    date_delivered = fields.Date("Delivery Date", readonly=True, copy=False)
    in_warranty = fields.Boolean(readonly=True, copy=False)
    contract_id = fields.Many2one("after_sales.contract", "Covering Contract", readonly=True,
                                  copy=False)

    visit_id = fields.Many2one("after_sales.visit", readonly=True, copy=False,
                               index=True, track_visibility="onchange")
    planned_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    refuse_reason = fields.Text("Refusal Reason", readonly=True, copy=False,
                                track_visibility="onchange")

    can_be_submitted = fields.Boolean(compute="_compute_can_be")
    can_be_planned = fields.Boolean(compute="_compute_can_be")

    @api.multi
    def unlink(self):
        if any(demand.state != "draft" for demand in self):
            raise UserError(_("Only draft requirement forms can be deleted."))
        return super(Demand, self).unlink()

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id
        if partner:
            self.update(partner._after_sales_contact_vals())

    @api.depends("state")
    def _compute_can_be(self):
        for demand in self:
            demand.can_be_submitted = demand.state == "draft"
            demand.can_be_planned = demand.state == "submitted"

    # ------------------------------------------------------------------ delivery

    def _find_delivery(self):
        """The serial, installed product and delivery showing the product was delivered to
        this customer (read on behalf of sales, who have no stock rights); refused when
        there is none."""
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        lot = self.env["stock.production.lot"].sudo().browse()
        serial = (self.serial or "").strip()
        if serial:
            lot = lot.search([("name", "=", serial), ("product_id", "=", self.product_id.id)],
                             limit=1)
            if not lot:
                raise UserError(_("Serial number %(serial)s of %(product)s is unknown: check it on "
                                  "the product's nameplate.") % {
                    "serial": serial, "product": self.product_id.display_name})
        card_domain = [("partner_id", "child_of", commercial.id),
                       ("product_id", "=", self.product_id.id),
                       ("company_id", "=", self.company_id.id)]
        line_domain = [("product_id", "=", self.product_id.id), ("state", "=", "done"),
                       ("location_dest_id.usage", "=", "customer"),
                       ("picking_id.partner_id.commercial_partner_id", "=", commercial.id)]
        if lot:
            card_domain.append(("lot_id", "=", lot.id))
            line_domain.append(("lot_id", "=", lot.id))
        card = self.env["after_sales.warranty.card"].sudo().search(card_domain, limit=1)
        move_line = self.env["stock.move.line"].sudo().search(line_domain, order="date desc",
                                                              limit=1)
        picking = move_line.picking_id or card.picking_id
        if not card and not picking:
            raise UserError(_(
                "%(product)s%(serial)s was not delivered to %(customer)s: no delivery and no "
                "installed product of it are known for this customer. A visit is only planned "
                "for a product we delivered to the customer; check the customer, the product and "
                "the serial number.") % {
                    "product": self.product_id.display_name,
                    "serial": serial and " (%s)" % serial or "",
                    "customer": commercial.display_name})
        return lot, card, picking

    def _prepare_delivery_vals(self):
        lot, card, picking = self._find_delivery()
        delivered = card.date_delivered or (picking.date_done or "")[:10] or False
        today = fields.Date.context_today(self)
        if card:
            in_warranty = bool(card.warranty_end and card.warranty_end >= today)
        elif delivered:
            months = self.product_id.product_tmpl_id.after_sales_warranty_months
            end = fields.Date.from_string(delivered) + relativedelta(months=months) \
                - timedelta(days=1)
            in_warranty = fields.Date.to_string(end) >= today
        else:
            in_warranty = False
        contract = self.env["after_sales.contract"]._find_covering(
            self.partner_id, self.product_id, lot, self.date_desired or today,
            self.company_id)[:1]
        return {"lot_id": lot.id, "warranty_card_id": card.id, "picking_id": picking.id,
                "date_delivered": delivered, "contract_id": contract.id,
                "in_warranty": in_warranty or bool(contract)}

    # ------------------------------------------------------------------ workflow

    @api.multi
    @document_action
    def action_submit(self):
        """Sales hand the form to the after-sales department: the delivery is checked now."""
        self._check_can("can_be_submitted", _("Only draft requirement forms can be submitted: "
                                              "%s"))
        for demand in self:
            demand.write(dict(demand._prepare_delivery_vals(), state="submitted"))
        return True

    @api.multi
    @document_action
    def action_create_visit(self):
        """The after-sales department plans the visit, prefilled from the form."""
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department plans visits."))
        self._check_can("can_be_planned", _("Only submitted requirement forms can be planned: "
                                            "%s"))
        Visit = self.env["after_sales.visit"]
        visits = Visit.browse()
        for demand in self:
            demand.write(demand._prepare_delivery_vals())  # checked again: still delivered?
            visit = Visit.create(demand._prepare_visit_vals())
            demand.write({"state": "planned", "visit_id": visit.id,
                          "planned_by_id": self.env.uid})
            visits |= visit
        if len(visits) != 1:
            return True
        return self._window_action("after_sales_service.visit_action", record=visits)

    def _prepare_visit_vals(self):
        return {
            "demand_id": self.id, "partner_id": self.partner_id.id,
            "company_id": self.company_id.id, "site_address": self.site_address,
            "purpose": self.purpose, "product_ids": [(6, 0, self.product_id.ids)],
            "date_planned": self.company_id.after_sales_visit_datetime(self.date_desired),
            "contract_id": self.contract_id.id,  # the visit follows its warranty decision
        }

    @api.multi
    @document_action
    def action_refuse(self, reason=None):
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department refuses requirement forms."))
        self._check_can("can_be_planned", _("Only submitted requirement forms can be refused: "
                                            "%s"))
        reason = self._check_reason(reason, "refuse")
        self.write({"state": "refused", "refuse_reason": reason})
        return True

    @api.multi
    def action_refuse_wizard(self):
        return self._open_reason_wizard("refuse", _("Refuse Requirement"))

    @api.multi
    def action_view_visit(self):
        self.ensure_one()
        return self._window_action("after_sales_service.visit_action", record=self.visit_id)
