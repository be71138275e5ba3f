# -*- coding: utf-8 -*-
from datetime import timedelta

from dateutil.relativedelta import relativedelta

import base64
import io

from PIL import Image

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_split, html2plaintext, html_escape
from odoo.tools.mimetypes import guess_mimetype
from odoo.addons.queue_job.job import job

from .document_mixin import (LINE_LENGTH, NAME_LENGTH, PHONE_LENGTH, REFERENCE_LENGTH,
                             INSERTING_KEY, TEXT_LENGTH, document_action)
from .request_selections import (CATEGORIES, CHANNELS, COVERING_STATES, PRIORITIES,
                                 REQUEST_OPEN_STATES)

STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
OPEN_STATES = REQUEST_OPEN_STATES
# request channel -> complaint channel
CHANNEL_MAP = {"hotline": "hotline", "web": "web", "mail": "mail", "sales": "sales",
               "media": "media", "station": "other", "callback": "other"}
# the warranty decision (computed) and the manager's override of it (typed, by the manager only)
WARRANTY_FIELDS = ("warranty_card_id", "warranty_end", "in_warranty", "warranty_reason")
OVERRIDE_FIELDS = ("warranty_override", "warranty_override_reason")
# what a new request's values decide (computed before its INSERT, see Request._create)
# the site the department accepts when it dispatches a station's request: the station's
# visits must be in its agreement's areas (see Visit._check_station_visit)
STATION_SITE_FIELDS = ("partner_id", "site_state_id", "site_city", "site_address")
DECIDED_FIELDS = WARRANTY_FIELDS + ("sla_rule_id", "response_deadline", "resolve_deadline",
                                    "risk_date")
# the portal form (views/portal_templates.xml): the texts a customer types, the kinds of
# service a customer asks for, and the photos taken
PORTAL_TEXT_FIELDS = ("description", "contact_name", "phone", "site_address", "project_name",
                      "product_id", "lot_id")
PORTAL_CATEGORIES = ("repair", "installation", "training", "consultation", "parts",
                     "inspection")
PORTAL_PHOTO_COUNT = 6
PORTAL_PHOTO_BYTES = 5 * 1024 * 1024
PORTAL_PHOTO_TYPES = ("image/jpeg", "image/png", "image/gif")
WAITING_REASONS = [
    ("parts", "Parts Sent"),
    ("visit", "Visit Planned"),
    ("return", "Goods Returned"),
    ("customer", "Customer's Answer"),
    ("repair", "Depot Repair"),
]


class Request(models.Model):
    """A service request (服务请求 / 报修登记): from registration to closure, with its warranty
    decision and its time limits in working time."""

    _name = "after_sales.request"
    _description = "Service Request"
    _inherit = ["after_sales.numbered.document", "after_sales.job.mixin",
                "after_sales.portal.access", "after_sales.portal.token"]
    _sequence_code = "after_sales.request"
    _order = "priority desc, date_received desc, id desc"
    _reason_actions = ("cancel", "delay_reason")
    _text_limits = {
        "contact_name": NAME_LENGTH, "phone": PHONE_LENGTH, "site_address": LINE_LENGTH,
        "project_name": LINE_LENGTH, "description": TEXT_LENGTH, "guidance": TEXT_LENGTH,
        "fault_found": TEXT_LENGTH, "method_used": TEXT_LENGTH,
        "warranty_override_reason": TEXT_LENGTH, "cancel_reason": TEXT_LENGTH,
    }
    _past_datetimes = ("date_received",)
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "needs_dispatch", "date_dispatched", "dispatched_by_id",
                     "cancel_reason", "date_response", "date_resolved", "date_closed", "is_late",
                     "is_at_risk", "escalated", "response_on_time", "resolved_on_time",
                     "response_hours", "resolve_hours", "sla_rule_id", "response_deadline",
                     "resolve_deadline", "risk_date",
                     # indicators: the delay reason and the overdue answer flag
                     "delay_reason", "date_delay_reason", "answer_overdue")

    state = fields.Selection(STATES, default="new", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    channel = fields.Selection(CHANNELS, required=True, default="hotline",
                               track_visibility="onchange")
    category = fields.Selection(CATEGORIES, required=True, default="repair", index=True,
                                track_visibility="onchange")
    priority = fields.Selection(PRIORITIES, required=True, default="0", index=True,
                                track_visibility="onchange")
    date_received = fields.Datetime("Received", required=True, default=fields.Datetime.now,
                                    index=True)

    # customer and site
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 track_visibility="onchange")
    contact_name = fields.Char("Contact Person")
    phone = fields.Char()
    site_address = fields.Char()
    project_name = fields.Char("Project / Site Name")

    # product
    product_id = fields.Many2one("product.product", index=True)
    lot_id = fields.Many2one("stock.production.lot", "Serial / Lot",
                             domain="[('product_id', '=', product_id)]")
    date_delivered = fields.Date("Purchase / Delivery Date",
                                 help="Date of purchase or delivery, when no warranty card is "
                                      "known; taken from the delivery of the serial if empty.")
    attachment_ids = fields.Many2many("ir.attachment", string="Proof and Photos")
    description = fields.Text("Fault Description")

    # organisation
    team_id = fields.Many2one("after_sales.team", index=True, track_visibility="onchange")
    user_id = fields.Many2one("res.users", "Responsible", index=True,
                              track_visibility="onchange", default=lambda self: self.env.user)
    station_id = fields.Many2one("res.partner", "Service Station", index=True,
                                 domain="[('after_sales_is_station', '=', True)]",
                                 track_visibility="onchange")
    needs_dispatch = fields.Boolean(
        "Awaiting Dispatch", readonly=True, copy=False,
        help="Registered by a service station: the after-sales department accepts and "
             "dispatches it before anyone works on it.")
    date_dispatched = fields.Datetime("Dispatched On", readonly=True, copy=False)
    dispatched_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    # warranty (保修/三包): decided, not typed (see _compute_warranty)
    warranty_card_id = fields.Many2one("after_sales.warranty.card", compute="_compute_warranty",
                                       store=True)
    warranty_end = fields.Date(compute="_compute_warranty", store=True)
    in_warranty = fields.Boolean(compute="_compute_warranty", store=True,
                                 index=True)
    warranty_reason = fields.Char("Warranty Decision", compute="_compute_warranty", store=True)
    warranty_override = fields.Selection(
        [("in", "In Warranty"), ("out", "Out of Warranty")], copy=False,
        track_visibility="onchange",
        help="Set by the after-sales manager only (Override Warranty), with a reason.")
    warranty_override_reason = fields.Char("Override Reason", copy=False,
                                           track_visibility="onchange")

    # work
    guidance = fields.Text("Phone Guidance Given")
    waiting_reason = fields.Selection(WAITING_REASONS, "Waiting For",
                                      track_visibility="onchange", copy=False)
    fault_found = fields.Text(copy=False)
    method_used = fields.Text(copy=False)
    cancel_reason = fields.Char("Cancellation Reason", copy=False, readonly=True,
                                track_visibility="onchange")

    # time limits
    sla_rule_id = fields.Many2one("after_sales.sla.rule", "Time Limit Rule",
                                  compute="_compute_deadlines", store=True)
    response_deadline = fields.Datetime(compute="_compute_deadlines", store=True, index=True)
    resolve_deadline = fields.Datetime("Resolution Deadline", compute="_compute_deadlines",
                                       store=True, index=True)
    risk_date = fields.Datetime("At Risk From", compute="_compute_deadlines", store=True)
    date_response = fields.Datetime("Responded On", readonly=True, copy=False)
    date_resolved = fields.Datetime("Resolved On", readonly=True, copy=False, index=True)
    date_closed = fields.Datetime("Closed On", readonly=True, copy=False)
    is_late = fields.Boolean("Late", readonly=True, copy=False, index=True,
                             help="Open past its response or resolution deadline; kept "
                                  "current by a scheduled job.")
    is_at_risk = fields.Boolean("At Risk", readonly=True, copy=False, index=True)
    escalated = fields.Boolean(readonly=True, copy=False)
    response_on_time = fields.Boolean("Responded on Time", readonly=True, copy=False)
    resolved_on_time = fields.Boolean("Resolved on Time", readonly=True, copy=False)
    response_hours = fields.Float("Response Time (working h)", readonly=True, copy=False,
                                  group_operator="avg")
    resolve_hours = fields.Float("Resolution Time (working h)", readonly=True, copy=False,
                                 group_operator="avg")

    # ---- indicators: area of the site (area time limits), reason of a delay, promised
    # answer of a consultation, compensation of a late repair
    site_state_id = fields.Many2one(
        "res.country.state", "Site State / Province",
        help="Decides the area time limit (focus areas); the customer's when empty.")
    site_city = fields.Char(help="Decides the area time limit (focus areas); the customer's "
                                 "when empty.")
    delay_reason = fields.Char("Reason of the Delay", readonly=True, copy=False,
                               track_visibility="onchange",
                               help="Asked when a late request is escalated; required before "
                                    "an escalated request is resolved.")
    date_delay_reason = fields.Datetime("Delay Reason Given On", readonly=True, copy=False)
    promised_answer_date = fields.Datetime(
        "Promised Answer", copy=False, track_visibility="onchange",
        help="A consultation not answered at once: when the customer will have the answer "
             "(required once it is started without being answered on the spot).")
    answer_overdue = fields.Boolean(
        readonly=True, copy=False, index=True,
        help="An open consultation past its promised answer date; kept current by the time "
             "limits job.")
    compensation_ids = fields.One2many("after_sales.return.compensation", "request_id",
                                       "Delay Compensation",
                                       groups="after_sales_service.group_user")
    can_be_compensated = fields.Boolean(compute="_compute_can_be_compensated")

    # what the request led to: parts sent (§2), visits (§3), returns (§5), complaints, callbacks
    parts_order_ids = fields.One2many("after_sales.parts.order", "request_id", "Outbound Orders")
    parts_order_count = fields.Integer("Outbound Orders", compute="_compute_parts_order_count")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    amount_invoiced = fields.Monetary(
        compute="_compute_invoiced_paid",
        help="Total of the validated customer invoices of this request, credit notes deducted.")
    amount_paid = fields.Monetary(compute="_compute_invoiced_paid")
    visit_ids = fields.One2many("after_sales.visit", "request_id", "Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")
    return_count = fields.Integer("Returns", compute="_compute_return_count",
                                  groups="after_sales_service.group_user")
    complaint_ids = fields.One2many("after_sales.complaint", "request_id", "Complaints",
                                    groups="after_sales_service.group_user")
    complaint_count = fields.Integer(compute="_compute_complaint_count", groups="after_sales_service.group_user")
    callback_ids = fields.One2many("after_sales.callback", "request_id", "Callbacks",
                                   groups="after_sales_service.group_user")

    # buttons
    can_be_dispatched = fields.Boolean(compute="_compute_can_be")
    can_be_started = fields.Boolean(compute="_compute_can_be")
    can_be_set_waiting = fields.Boolean(compute="_compute_can_be")
    can_be_resolved = fields.Boolean(compute="_compute_can_be")
    can_be_closed = fields.Boolean(compute="_compute_can_be")
    can_be_cancelled = fields.Boolean(compute="_compute_can_be")
    can_send_parts = fields.Boolean(compute="_compute_can_send_parts")

    _sql_constraints = [
        ("name_company_uniq", "unique (name, company_id)", "The request number must be unique."),
    ]

    # ------------------------------------------------------------------ create / write

    @api.model
    def create(self, vals):
        self._check_direct_write(vals, creating=True)
        self._check_override_rights(vals)
        vals = self._check_computed_unchanged(vals, WARRANTY_FIELDS, self._computed_message())
        if self._is_station_user():
            # stations may register but not accept a request (spec §1): the dispatch fields
            # are the process's, set here whatever the station sent
            vals = dict(vals, needs_dispatch=True, channel="station",
                        station_id=self.env.user.partner_id.commercial_partner_id.id)
            request = super(Request, self._as_action()).create(vals)
        else:
            request = super(Request, self).create(vals)
        request._notify_customer("after_sales_service.mail_template_request_registered",
                                 "after_sales_notify_registered")
        return request

    @api.multi
    def write(self, vals):
        self._check_override_rights(vals)
        self._check_station_site_write(vals)
        vals = self._check_computed_unchanged(vals, WARRANTY_FIELDS, self._computed_message())
        return super(Request, self).write(vals)

    @api.model
    def _computed_message(self):
        return _("The warranty decision is computed from the warranty card, the delivery and "
                 "the contracts; only the after-sales manager overrides it.")

    @api.multi
    def unlink(self):
        if any(request.state != "new" or request.date_response for request in self):
            raise UserError(_("A request that has been worked on can't be deleted: cancel it."))
        return super(Request, self).unlink()

    # A request being inserted has no visits, outbound orders, compensations or activities
    # yet: Odoo 11 still searches, for every field it stores, the records depending on it
    # through their many2one and reads the activities to store the next activity deadline
    # (none); and it stores the warranty decision and the time limits by two UPDATEs after the
    # INSERT. While a request is inserted (Odoo's _create), its decision and time limits are
    # computed from its values (with their defaults) and inserted with it, and those searches
    # and recomputations are skipped (the document mixin's new-record triggers), unless its
    # values create records pointing to it (one2many commands).

    @api.model
    def _create(self, vals):
        if any(self._fields[name].type == "one2many" and value for name, value in vals.items()
               if name in self._fields and name != "message_follower_ids"):
            return super(Request, self)._create(vals)
        vals.update(self._prepare_decided_vals(vals))
        return super(Request, self.with_context(**{INSERTING_KEY: self._name}))._create(vals)

    @api.model
    def _prepare_decided_vals(self, vals):
        """The warranty decision and the time limits (DECIDED_FIELDS) of a request with
        these values, computed by their compute methods on a new record."""
        draft = self.new({name: value for name, value in vals.items()
                          if name in self._fields
                          and self._fields[name].type not in ("one2many", "many2many")})
        return draft._convert_to_write({name: draft[name] for name in DECIDED_FIELDS})

    def _new_record_trigger(self, target, path):
        """Also nothing to do on a request being inserted: a decided field (inserted
        computed, see _prepare_decided_vals) and a stored related field through a one2many
        (empty, stored empty)."""
        if path == "id":
            related = target.related or ()
            first = related and self._fields.get(related[0])
            return target.name in DECIDED_FIELDS or bool(
                target.store and first and first.type == "one2many")
        return super(Request, self)._new_record_trigger(target, path)

    @api.model
    def _is_station_user(self):
        user = self.env.user
        return (user.has_group("after_sales_service.group_service_station")
                and not user.has_group("after_sales_service.group_user"))

    def _check_station_site_write(self, vals):
        """A station changes the customer and the site of its request until the department
        dispatches it, not after (the form sends them unchanged: only a change counts)."""
        names = [name for name in STATION_SITE_FIELDS if name in vals]
        if not names or not self._is_station_user():
            return
        refused = sorted({name for request in self.filtered(lambda r: not r.needs_dispatch)
                          for name in names if request._differs(request, name, vals[name])})
        if refused:
            raise AccessError(_("%s of a dispatched request are the after-sales department's: "
                                "ask the department to change them.")
                              % ", ".join(self._field_label(name) for name in refused))

    def _check_override_rights(self, vals):
        """Only the after-sales manager changes the override. The web form sends every field
        (False for the empty ones): only an actual change counts, compared with each request's
        current values, or for a new request (an empty set) with no override, its defaults
        included."""
        if self:
            changed = any(_override_value(name, vals[name]) != _override_value(name, request[name])
                          for request in self for name in OVERRIDE_FIELDS if name in vals)
        else:
            missing = [name for name in OVERRIDE_FIELDS if name not in vals]
            given = self.default_get(missing) if missing else {}
            given.update(vals)
            changed = any(_override_value(name, given.get(name)) for name in OVERRIDE_FIELDS)
        if changed:
            self._check_group("after_sales_service.group_manager", _(
                "Only the after-sales manager can override the warranty decision."))

    @api.constrains("warranty_override", "warranty_override_reason")
    def _check_override_reason(self):
        for request in self:
            if request.warranty_override and not (request.warranty_override_reason or "").strip():
                raise ValidationError(_("Give the reason for overriding the warranty decision."))

    # ------------------------------------------------------------------ onchanges

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id
        if partner:
            self.update(partner._after_sales_contact_vals())
            self.update({"site_state_id": partner.state_id.id, "site_city": partner.city})
            if partner.child_ids[:1] and not self.contact_name:
                self.contact_name = partner.child_ids[:1].name

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    # ------------------------------------------------------------------ computes

    @api.depends("lot_id", "product_id", "partner_id", "company_id", "date_delivered",
                 "date_received", "warranty_override", "warranty_override_reason")
    def _compute_warranty(self):
        """One decision per request, with its reason: the warranty card of the serial, else
        the delivery date (typed, else the serial's last delivery from stock) plus the
        product's warranty months; out of warranty by them, a contract covering the product on
        that day (active then) puts it in warranty; the manager's override has the last word.
        In warranty through the warranty end date inclusive, on the date the request was
        received in the company's time zone. Cards and contracts are read as superuser: the
        decision doesn't depend on who looks. Cards and contracts refresh the open requests
        they concern (_recompute_warranty)."""
        cards = self.env["after_sales.warranty.card"].sudo().search(
            [("lot_id", "in", self.mapped("lot_id").ids)])
        card_by_lot = {card.lot_id.id: card for card in cards}
        from_stock = self.filtered(lambda r: not r.date_delivered and r.lot_id)
        deliveries = self._delivery_dates_by_lot(from_stock.mapped("lot_id"),
                                                 from_stock.mapped("company_id"))
        now = fields.Datetime.now()
        # the customers and the companies' partners (time zones, areas) in one read
        self.env["res.partner"].sudo().browse(set(self.mapped("partner_id").ids) | set(
            self.mapped("company_id").sudo().mapped("partner_id").ids)).mapped("tz")
        days = {request.id: self._local_date(request.date_received or now, request.company_id)
                for request in self}
        contracts = self._covering_contracts(days)
        for request in self:
            card = card_by_lot.get(request.lot_id.id)
            request.warranty_card_id = card
            end, reason = request._warranty_end_and_reason(card, deliveries)
            in_warranty = bool(end and days[request.id] <= end)
            contract = contracts.get(request.id)
            if not in_warranty and contract:
                in_warranty, end, reason = True, contract.date_end, contract._coverage_reason()
            if request.warranty_override:
                in_warranty = request.warranty_override == "in"
                reason = _("Overridden by the manager: %s") % request.warranty_override_reason
            request.warranty_end = end
            request.in_warranty = in_warranty
            request.warranty_reason = reason

    def _covering_contracts(self, days):
        """{request id: the contract covering its product (and serial) on its day}: one search
        of the contract lines of all the requests; active or expired since (it was in force
        then), the one ending last first."""
        todo = self.filtered(lambda r: r.partner_id and r.product_id)
        if not todo:
            return {}
        Contract = self.env["after_sales.contract"].sudo()
        wanted = [days[request.id] for request in todo]
        lines = Contract._covering_lines(todo.mapped("partner_id"), todo.mapped("product_id"),
                                         min(wanted), max(wanted), COVERING_STATES,
                                         todo.mapped("company_id"))
        result = {}
        for request in todo:
            found = Contract._covering_among(lines, request.partner_id, request.product_id,
                                             request.lot_id, days[request.id],
                                             request.company_id)
            if found:
                result[request.id] = found.sorted(lambda c: c.date_end, reverse=True)[0]
        return result

    @api.multi
    def _recompute_warranty(self):
        """Decide the warranty of these requests again, in one pass, when what decides it
        changed outside them (a warranty card, a contract): every stored field of the decision
        is recomputed together (not from stale cached values) and their visits follow."""
        if not self:
            return True
        computed = self._field_computed[self._fields["in_warranty"]]
        self.invalidate_cache([field.name for field in computed], self.ids)
        for field in computed:
            self.env.add_todo(field, self)
        self.recompute()
        return True

    def _warranty_end_and_reason(self, card, deliveries):
        if card:
            return card.warranty_end, _("Warranty card %(card)s: valid until %(end)s") % {
                "card": card.name, "end": card.warranty_end}
        delivered = self.date_delivered or deliveries.get((self.company_id.id, self.lot_id.id))
        if delivered and self.product_id:
            months = self.product_id.product_tmpl_id.after_sales_warranty_months
            end = fields.Date.to_string(fields.Date.from_string(delivered)
                                        + relativedelta(months=months) - timedelta(days=1))
            source = _("delivered") if self.date_delivered else _("delivered (stock)")
            return end, _("%(source)s on %(date)s + %(months)s months: until %(end)s") % {
                "source": source, "date": delivered, "months": months, "end": end}
        return False, _("No warranty card and no delivery date: out of warranty")

    @api.model
    def _delivery_dates_by_lot(self, lots, companies):
        """{(company id, lot id): the date each serial was last delivered to a customer by
        that company}, from the done move lines into customer locations (one query); the date
        in the company's time zone."""
        if not lots or not companies:
            return {}
        self.env.cr.execute("""
            SELECT move.company_id, line.lot_id, MAX(line.date)
              FROM stock_move_line line
              JOIN stock_move move ON move.id = line.move_id
              JOIN stock_location dest ON dest.id = line.location_dest_id
             WHERE line.lot_id IN %(lots)s AND move.company_id IN %(companies)s
               AND move.state = 'done' AND dest.usage = 'customer'
             GROUP BY move.company_id, line.lot_id
        """, {"lots": tuple(lots.ids), "companies": tuple(companies.ids)})
        Company = self.env["res.company"]
        return {(company_id, lot_id): self._local_date(date, Company.browse(company_id))
                for company_id, lot_id, date in self.env.cr.fetchall()}

    def _site_area(self):
        """(province, city) of the request's site: its own when given, else the customer's
        address; decides the area time limit and the service stations' areas."""
        partner = self.partner_id.sudo()
        return (self.site_state_id or partner.state_id,
                (self.site_city or partner.city or "").strip())

    @api.depends("priority", "category", "date_received", "company_id", "team_id",
                 "site_state_id", "site_city", "partner_id")
    def _compute_deadlines(self):
        Rule = self.env["after_sales.sla.rule"]
        for request in self:
            state, city = request._site_area()
            rule = Rule._find(request.company_id, request.priority, request.category,
                              team=request.team_id, state=state, city=city)
            request.sla_rule_id = rule
            if not rule or not request.date_received:
                request.response_deadline = request.resolve_deadline = request.risk_date = False
                continue
            (request.response_deadline, request.resolve_deadline,
             request.risk_date) = request.company_id.after_sales_plan_deadlines(
                request.date_received, [
                    (rule.response_limit, rule.response_unit),
                    (rule.resolution_limit, rule.resolution_unit),
                    (rule.resolution_limit * rule.risk_ratio / 100.0, rule.resolution_unit)])

    @api.depends("state", "needs_dispatch")
    def _compute_can_be(self):
        for request in self:
            state = request.state
            request.can_be_dispatched = request.needs_dispatch and state == "new"
            request.can_be_started = state == "new" and not request.needs_dispatch
            request.can_be_set_waiting = state == "in_progress"
            request.can_be_resolved = state in ("in_progress", "waiting")
            request.can_be_closed = state == "resolved"
            request.can_be_cancelled = state in OPEN_STATES

    # ------------------------------------------------------------------ actions


    def _check_department_user(self):
        if not self.env.user.has_group("after_sales_service.group_user"):
            raise AccessError(_("Only the after-sales department can do this."))

    @api.multi
    @document_action
    def action_dispatch(self):
        """Accept a request registered by a service station and hand it over (to its station
        or to a team of ours)."""
        self._check_department_user()
        self._check_can("can_be_dispatched", _("These requests are not awaiting dispatch: %s"))
        self.write({"needs_dispatch": False, "date_dispatched": fields.Datetime.now(),
                    "dispatched_by_id": self.env.user.id})
        return True

    @api.multi
    @document_action
    def action_start(self):
        """Start work: the first response, normally phone guidance (电话指导)."""
        self._check_can("can_be_started", _("These requests can't be started (not new, or a "
                                            "service station's request not yet dispatched): %s"))
        self._check_promised_answer()
        self._write_response()
        self.write({"state": "in_progress"})
        return True

    def _write_response(self):
        now = fields.Datetime.now()
        for request in self.filtered(lambda r: not r.date_response):
            hours = request.company_id.after_sales_working_hours(request.date_received, now)
            request.write({
                "date_response": now, "response_hours": hours,
                "response_on_time": bool(request.response_deadline
                                         and now <= request.response_deadline),
            })

    @api.multi
    @document_action
    def action_set_waiting(self, reason="parts"):
        self._check_can("can_be_set_waiting", _("Only requests in progress can wait: %s"))
        self.write({"state": "waiting", "waiting_reason": reason})
        return True

    @api.multi
    @document_action
    def action_resume(self):
        waiting = self.filtered(lambda r: r.state == "waiting")
        if waiting != self:
            raise UserError(_("Only waiting requests can be resumed."))
        self.write({"state": "in_progress", "waiting_reason": False})
        return True

    @api.multi
    @document_action
    def action_resolve(self):
        """Resolved: the fault found and the method used (故障及处理方法) are required; the
        on-time result is frozen now."""
        self._check_can("can_be_resolved", _("These requests can't be resolved now: %s"))
        self._check_resolution_record()
        now = fields.Datetime.now()
        for request in self:
            request.write(request._prepare_resolve_vals(now))
        self._write_response()
        self._notify_customer("after_sales_service.mail_template_request_resolved",
                              "after_sales_notify_resolved")
        return True

    def _check_resolution_record(self):
        missing = self.filtered(lambda r: not (r.fault_found or "").strip()
                                or not (r.method_used or "").strip())
        if missing:
            raise UserError(_("Record the fault found and the method used before resolving: %s")
                            % ", ".join(missing.mapped("name")))
        undelayed = self.filtered(lambda r: r.escalated and not r.delay_reason)
        if undelayed:
            raise UserError(_("Record the reason of the delay (Reason of the Delay) of the "
                              "escalated requests before resolving them: %s")
                            % ", ".join(undelayed.mapped("name")))

    def _prepare_resolve_vals(self, now):
        self.ensure_one()
        return {
            "state": "resolved", "date_resolved": now,
            "resolve_hours": self.company_id.after_sales_working_hours(self.date_received, now),
            "resolved_on_time": bool(self.resolve_deadline and now <= self.resolve_deadline),
            "is_late": False, "is_at_risk": False, "answer_overdue": False,
        }

    @api.multi
    @document_action
    def action_close(self):
        self._check_can("can_be_closed", _("Only resolved requests can be closed: %s"))
        self._check_close_conditions()
        self.write({"state": "closed", "date_closed": fields.Datetime.now()})
        return True

    def _check_close_conditions(self):
        """A request is closed after its callback: none may still be to do."""
        pending = self.env["after_sales.callback"].sudo().search(
            [("request_id", "in", self.ids), ("state", "=", "todo")])
        if pending:
            raise UserError(_("Close the request after its callback: %s is still to do.")
                            % ", ".join(pending.mapped("name")))
        return True

    @api.multi
    @document_action
    def action_cancel(self, reason=None):
        self._check_can("can_be_cancelled", _("These requests can't be cancelled: %s"))
        reason = self._check_reason(reason, "cancel")
        self.write({"state": "cancel", "cancel_reason": reason, "is_late": False,
                    "is_at_risk": False, "answer_overdue": False})
        return True

    @api.multi
    def action_cancel_wizard(self):
        return self._open_reason_wizard("cancel", _("Cancel Request"))

    @api.model
    def _override_decisions(self):
        """The manager's decisions and their labels: in or out of warranty, or back to the
        system's decision."""
        labels = dict(self._fields["warranty_override"]._description_selection(self.env))
        labels["auto"] = _("Back to the System's Decision")
        return labels

    @api.multi
    @document_action
    def action_override_warranty(self, decision, reason):
        """The after-sales manager decides ("in", "out") or gives the decision back to the
        system ("auto"), with a reason, logged in the chatter of each request (the Override
        Warranty dialog calls this)."""
        self._check_group("after_sales_service.group_manager", _(
            "Only the after-sales manager can override the warranty decision."))
        labels = self._override_decisions()
        if decision not in labels:
            raise UserError(_("Unknown warranty decision: %s") % decision)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for overriding the warranty decision."))
        override = decision if decision != "auto" else False
        self.write({"warranty_override": override,
                    "warranty_override_reason": override and reason})
        body = _("Warranty decision overridden: %(decision)s (%(reason)s)") % {
            "decision": html_escape(labels[decision]), "reason": html_escape(reason)}
        for request in self:
            request.message_post(body=body, subtype="mail.mt_note")
        return True

    @api.multi
    def action_override_warranty_wizard(self):
        return {
            "type": "ir.actions.act_window", "res_model": "after_sales.warranty.override.wizard",
            "view_mode": "form", "target": "new", "name": _("Override Warranty"),
            "context": {"default_request_id": self.id},
        }

    # ------------------------------------------------------------------ related documents

    def _compute_parts_order_count(self):
        counts = self._count_by("after_sales.parts.order", "request_id")
        for request in self:
            request.parts_order_count = counts.get(request.id, 0)

    def _compute_invoiced_paid(self):
        """From the linked invoices' total and residual (one query for all the requests)."""
        groups = self.env["account.invoice"].sudo().read_group(
            [("after_sales_request_id", "in", self.ids), ("state", "in", ("open", "paid"))],
            ["after_sales_request_id", "type", "amount_total", "residual"],
            ["after_sales_request_id", "type"], lazy=False)
        totals = {}
        for group in groups:
            sign = -1 if group["type"] in ("out_refund", "in_refund") else 1
            total = totals.setdefault(group["after_sales_request_id"][0], [0.0, 0.0])
            total[0] += sign * group["amount_total"]
            total[1] += sign * (group["amount_total"] - group["residual"])
        for request in self:
            request.amount_invoiced, request.amount_paid = totals.get(request.id, (0.0, 0.0))

    @api.depends("state")
    def _compute_can_send_parts(self):
        for request in self:
            request.can_send_parts = request.state in OPEN_STATES

    @api.multi
    def action_new_parts_order(self):
        """Button "Send Parts": a new outbound order for this request's customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "after_sales.parts.order",
            "view_mode": "form", "target": "current", "name": _("Outbound Order"),
            "context": {"default_request_id": self.id, "default_partner_id": self.partner_id.id,
                        "default_chargeable": not self.in_warranty},
        }

    @api.multi
    def action_view_parts_orders(self):
        return self._window_action(
            "after_sales_service.parts_order_action", [("request_id", "in", self.ids)],
            {"default_request_id": self[:1].id, "default_partner_id": self[:1].partner_id.id})

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        counts = self._count_by("after_sales.visit", "request_id")
        for request in self:
            request.visit_count = counts.get(request.id, 0)

    @api.multi
    def action_plan_visit(self):
        self.ensure_one()
        return self._window_action("after_sales_service.visit_action", new=True, context={
            "default_request_id": self.id, "default_partner_id": self.partner_id.id,
            "default_site_address": self.site_address,
            "default_product_ids": [(6, 0, self.product_id.ids)],
            "default_purpose": self.category if self.category in (
                "installation", "training", "repair", "inspection") else "repair",
        })

    @api.multi
    def action_view_visits(self):
        return self._window_action("after_sales_service.visit_action",
                                   [("request_id", "in", self.ids)],
                                   {"default_request_id": self[:1].id})

    def _compute_return_count(self):
        counts = {}
        if self.env["after_sales.return"].check_access_rights("read", raise_exception=False):
            counts = self._count_by("after_sales.return", "request_id")
        for request in self:
            request.return_count = counts.get(request.id, 0)

    @api.multi
    def action_view_returns(self):
        self.ensure_one()
        return self._window_action("after_sales_service.return_action",
                                   [("request_id", "=", self.id)], {
            "default_request_id": self.id, "default_partner_id": self.partner_id.id,
            "default_product_id": self.product_id.id, "default_lot_id": self.lot_id.id,
        })

    def _compute_complaint_count(self):
        counts = self._count_by("after_sales.complaint", "request_id")
        for request in self:
            request.complaint_count = counts.get(request.id, 0)

    def _prepare_complaint_vals(self):
        return {
            "request_id": self.id, "partner_id": self.partner_id.id,
            "complainant": self.contact_name or self.partner_id.name, "phone": self.phone,
            "channel": CHANNEL_MAP.get(self.channel, "other"),
            "product_id": self.product_id.id, "lot_id": self.lot_id.id,
            "date_received": self.date_received, "content": self.description or self.name,
            "severity": "urgent" if self.priority == "1" else "normal",
        }

    @api.multi
    def action_raise_complaint(self):
        self.ensure_one()
        complaint = self.env["after_sales.complaint"].create(self._prepare_complaint_vals())
        self.message_post(body=_("Complaint %s raised from this request.") % complaint.name)
        return {"type": "ir.actions.act_window", "res_model": "after_sales.complaint",
                "res_id": complaint.id, "view_mode": "form", "name": _("Complaint")}

    @api.multi
    def action_view_complaints(self):
        return self._window_action("after_sales_service.complaint_action",
                                   [("request_id", "in", self.ids)])

    # ------------------------------------------------------------------ time limits job

    @api.model
    def _cron_update_time_limits(self):
        """Scheduled job: refresh the late and at-risk flags of all open requests in one SQL
        pass each, then escalate those that became late, by chunk jobs (see
        after_sales.job.mixin)."""
        now = fields.Datetime.now()
        self.env.cr.execute("""
            UPDATE after_sales_request
               SET is_at_risk = (risk_date IS NOT NULL AND risk_date <= %(now)s
                                 AND resolve_deadline > %(now)s)
             WHERE state IN %(open)s
               AND is_at_risk IS DISTINCT FROM (risk_date IS NOT NULL AND risk_date <= %(now)s
                                                AND resolve_deadline > %(now)s)
        """, {"now": now, "open": OPEN_STATES})
        self.env.cr.execute("""
            UPDATE after_sales_request
               SET is_late = TRUE
             WHERE state IN %(open)s AND is_late IS NOT TRUE
               AND (resolve_deadline <= %(now)s
                    OR (date_response IS NULL AND response_deadline <= %(now)s))
        """, {"now": now, "open": OPEN_STATES})
        self.env.cr.execute("""
            UPDATE after_sales_request
               SET answer_overdue = (promised_answer_date IS NOT NULL
                                     AND promised_answer_date <= %(now)s)
             WHERE state IN %(open)s AND category = 'consultation'
               AND answer_overdue IS DISTINCT FROM (promised_answer_date IS NOT NULL
                                                    AND promised_answer_date <= %(now)s)
        """, {"now": now, "open": OPEN_STATES})
        self.invalidate_cache(["is_late", "is_at_risk", "answer_overdue"])
        self._after_sales_run_chunks("_job_escalate", self._escalation_candidates(),
                                     on_records=True)
        return True

    @api.model
    def _escalation_candidates(self, ids=None):
        """The open late requests not escalated yet (among `ids` if given): the flag is only
        raised by the pass above and escalation sets `escalated`, so these are the requests
        that became late and a retried chunk finds its requests escalated."""
        self.env.cr.execute("""
            SELECT id FROM after_sales_request
             WHERE state IN %(open)s AND is_late AND escalated IS NOT TRUE
               AND (%(all)s OR id IN %(ids)s)
          ORDER BY id
        """, {"open": OPEN_STATES, "all": ids is None, "ids": tuple(ids or [0])})
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    @job(default_channel="root.after_sales.escalation")
    def _job_escalate(self):
        """Escalation of late requests (a chunk)"""
        requests = self.browse(self._escalation_candidates(self.ids))
        requests._escalate()
        return requests

    def _escalate(self):
        """Activity for the manager and a note in the chatter of each newly late request: the
        team leader, else an after-sales manager, of the request's company; without one, the
        note says so (never a manager of another company). The manager is looked up once per
        team leader and company, the to-dos and notes are made in one batch each."""
        if not self:
            return
        managers, todo, notes = {}, [], {}
        for request in self.filtered(lambda r: not r.escalated):
            key = (request.team_id.leader_id.id, request.company_id.id)
            if key not in managers:
                managers[key] = request._company_user(request.team_id.leader_id,
                                                      "after_sales_service.group_manager")
            manager = managers[key]
            if not manager:
                notes[request.id] = _(
                    "Time limit passed (response %(response)s, resolution %(resolution)s): no "
                    "team leader or after-sales manager of %(company)s to escalate to.") % {
                        "response": request.response_deadline,
                        "resolution": request.resolve_deadline,
                        "company": request.company_id.name}
                continue
            todo.append((request, manager, _("Late request %s: record the reason of the "
                                             "delay") % request.name, None))
            notes[request.id] = _("Time limit passed (response %(response)s, resolution "
                                  "%(resolution)s): escalated to %(manager)s.") % {
                "response": request.response_deadline, "resolution": request.resolve_deadline,
                "manager": manager.name}
        self._schedule_activities("after_sales_service.mail_activity_type_escalation", todo)
        self._after_sales_log_notes(notes)
        self.write({"escalated": True})

    # ------------------------------------------------------------------ indicators: delays,
    # consultations, compensation of a late repair

    @api.multi
    @document_action
    def action_delay_reason(self, reason=None):
        """The reason of the delay of a late request (asked by its escalation), recorded with
        its date; an escalated request is not resolved without it."""
        self._check_department_user()
        reason = self._check_reason(reason, "delay_reason")
        not_late = self.filtered(lambda r: not (r.escalated or r.is_late
                                                or r._is_past_agreed_time()))
        if not_late:
            raise UserError(_("These requests are not late: %s")
                            % ", ".join(not_late.mapped("name")))
        self.write({"delay_reason": reason, "date_delay_reason": fields.Datetime.now()})
        return True

    @api.multi
    def action_delay_reason_wizard(self):
        return self._open_reason_wizard("delay_reason", _("Reason of the Delay"))

    def _check_promised_answer(self):
        """A consultation not answered on the spot gets a promised answer date."""
        missing = self.filtered(lambda r: r.category == "consultation"
                                and not r.promised_answer_date)
        if missing:
            raise UserError(_("Give the promised answer date (Promised Answer) of the "
                              "consultations not answered on the spot: %s")
                            % ", ".join(missing.mapped("name")))

    @api.constrains("promised_answer_date", "state", "category")
    def _check_promised_answer_date(self):
        for request in self:
            if request.category == "consultation" and request.state in ("in_progress",
                                                                        "waiting") \
                    and not request.promised_answer_date:
                raise ValidationError(_("An open consultation needs its promised answer date "
                                        "(Promised Answer): %s") % request.name)

    @api.multi
    @document_action
    def action_answer_now(self):
        """A consultation answered on the spot: started and resolved at once (the question in
        Fault Found, the answer in Method Used), no promised date needed."""
        self._check_can("can_be_started", _("These requests can't be started (not new, or a "
                                            "service station's request not yet dispatched): %s"))
        others = self.filtered(lambda r: r.category != "consultation")
        if others:
            raise UserError(_("Only consultations are answered on the spot: %s")
                            % ", ".join(others.mapped("name")))
        self._check_resolution_record()
        now = fields.Datetime.now()
        for request in self:
            vals = request._prepare_resolve_vals(now)
            vals.update({"date_response": now, "response_hours": vals["resolve_hours"],
                         "response_on_time": bool(request.response_deadline
                                                  and now <= request.response_deadline)})
            request.write(vals)
        self._notify_customer("after_sales_service.mail_template_request_resolved",
                              "after_sales_notify_resolved")
        return True

    def _is_past_agreed_time(self):
        """Not done in the agreed time: resolved after its resolution deadline, or still open
        past it."""
        self.ensure_one()
        deadline = self.resolve_deadline
        if not deadline or self.state == "cancel":
            return False
        done = self.date_resolved
        return (done or fields.Datetime.now()) > deadline

    @api.depends("state", "resolve_deadline", "date_resolved")
    def _compute_can_be_compensated(self):
        for request in self:
            request.can_be_compensated = request._is_past_agreed_time()

    @api.multi
    def action_compensate_delay(self):
        """A repair not done in the agreed time: a compensation proposal of this request, on
        the returns' compensation (same limit, quality review and general manager's
        approval)."""
        self.ensure_one()
        self._check_department_user()
        if not self._is_past_agreed_time():
            raise UserError(_("Request %s was done in the agreed time: no delay compensation.")
                            % self.name)
        return {
            "type": "ir.actions.act_window", "res_model": "after_sales.return.compensation",
            "view_mode": "form", "target": "current", "name": _("Delay Compensation"),
            "views": [(self.env.ref(
                "after_sales_service.return_compensation_view_form_request").id, "form")],
            "context": {"default_request_id": self.id, "default_compensation_type":
                        "compensation", "default_method": "payment"},
        }

    # ------------------------------------------------------------------ the customer's channels
    # The portal (/my/service-requests, controllers/portal.py) and the teams' mail aliases
    # (message_new): both register a request like the hotline does (same warranty decision
    # and deadlines), the channel says where it came from.

    customer_url = fields.Char(
        "Customer's Link", compute="_compute_customer_url",
        help="The request's page for its customer (no login needed), sent in the e-mails.")

    def _compute_portal_url(self):
        for request in self:
            request.portal_url = "/my/service-requests/%s" % request.id

    def _compute_customer_url(self):
        for request in self:
            request.customer_url = request.id and request._portal_link()

    def _portal_link(self):
        """The customer's link to the request's page (works without logging in)."""
        self.ensure_one()
        return self._portal_full_url("/my/service-requests/%s?access_token=%s" % (
            self.id, self.sudo().access_token))

    @api.multi
    def get_access_action(self, access_uid=None):
        """Customers (portal users) open the request's portal page, not the backend form."""
        self.ensure_one()
        user = self.env["res.users"].sudo().browse(access_uid) if access_uid else self.env.user
        if user.share:
            return {"type": "ir.actions.act_url", "url": self._portal_link(), "target": "self",
                    "res_id": self.id}
        return super(Request, self).get_access_action(access_uid)

    @api.multi
    def _notification_recipients(self, message, groups):
        """The request's customer (its contacts) gets the button to the request's page."""
        groups = super(Request, self)._notification_recipients(message, groups)
        if len(self) != 1:
            return groups
        customer = self.sudo().partner_id.commercial_partner_id
        return [("after_sales_customer",
                 lambda partner: partner.commercial_partner_id == customer
                 and not any(not user.share for user in partner.user_ids),
                 {"has_button_access": True, "has_button_follow": False,
                  "has_button_unfollow": False,
                  "button_access": {"url": self._portal_link(),
                                    "title": _("View Your Service Request")}})] + groups

    # portal form: the model's fields a customer fills in (everything else is the process's)
    @api.model
    def _portal_defaults(self, partner):
        """What the form proposes: the contact, the phone and the site of the customer."""
        commercial = partner.commercial_partner_id
        values = commercial._after_sales_contact_vals()
        values.update(contact_name=partner.name, phone=partner.phone or partner.mobile
                      or values.get("phone") or "")
        if partner != commercial and (partner.street or partner.city):
            values["site_address"] = partner._display_address(
                without_company=True).replace("\n", " ")
        return values

    @api.model
    def _portal_categories(self):
        return [(key, label) for key, label in self._fields["category"]._description_selection(
            self.env) if key in PORTAL_CATEGORIES]

    @api.model
    def _portal_check_values(self, partner, post):
        """The request a customer typed on the portal, checked: (vals, errors), errors as
        {form field: message in the customer's language}. Only the fault description is
        required; an installed product must be the customer's; a product or serial we don't
        recognise is kept in the description for the clerk."""
        commercial = partner.commercial_partner_id
        errors = {}
        text = {name: (post.get(name) or "").strip() for name in PORTAL_TEXT_FIELDS}
        if not text["description"]:
            errors["description"] = _("Describe the fault.")
        limits = dict(self._text_limits, product_id=NAME_LENGTH, lot_id=REFERENCE_LENGTH)
        for name in PORTAL_TEXT_FIELDS:
            limit = limits.get(name)
            if limit and len(text[name]) > limit:
                errors[name] = _("%(field)s is too long: %(length)s characters, at most "
                                 "%(limit)s.") % {"field": self._field_label(name),
                                                  "length": len(text[name]), "limit": limit}
        vals = {"channel": "web", "partner_id": commercial.id, "category": "repair"}
        vals.update((name, value) for name, value in text.items()
                    if value and name not in ("product_id", "lot_id"))
        category = post.get("category") or "repair"
        if category not in dict(self._portal_categories()):
            errors["category"] = _("Choose a kind of service from the list.")
        else:
            vals["category"] = category
        delivered = (post.get("date_delivered") or "").strip()
        if delivered:
            try:
                day = fields.Date.from_string(delivered)
            except ValueError:
                day = None
            if not day or fields.Date.to_string(day) > fields.Date.context_today(self):
                errors["date_delivered"] = _("Give the purchase date as year-month-day, not "
                                             "in the future.")
            else:
                vals["date_delivered"] = fields.Date.to_string(day)
        notes = self._portal_product_vals(commercial, post, text, vals, errors)
        if notes and "description" not in errors:
            vals["description"] = "%s\n\n%s" % (vals["description"], "\n".join(notes))
        return vals, errors

    def _portal_product_vals(self, commercial, post, text, vals, errors):
        """The product and serial of the portal form into `vals`: an installed product of the
        customer (warranty_card_id), else the product and serial typed (product_id, lot_id),
        recognised by their name or code. Returns the notes for what was not recognised. A
        serial registered to another customer is not linked (its warranty is theirs)."""
        card_id = post.get("warranty_card_id")
        if card_id:
            card = self.env["after_sales.warranty.card"].sudo().browse(
                int(card_id) if str(card_id).isdigit() else 0).exists()
            if not card or card.partner_id.commercial_partner_id != commercial:
                errors["warranty_card_id"] = _("Choose one of your installed products.")
                return []
            vals.update(product_id=card.product_id.id, lot_id=card.lot_id.id)
            return []
        notes = []
        product = self.env["product.product"]
        if text["product_id"]:
            product = product.sudo().search([
                "|", ("name", "=ilike", text["product_id"]),
                ("default_code", "=ilike", text["product_id"])], limit=1)
            if not product:
                notes.append(_("Product given by the customer: %s") % text["product_id"])
        if text["lot_id"]:
            domain = [("name", "=", text["lot_id"])]
            if product:
                domain.append(("product_id", "=", product.id))
            lot = self.env["stock.production.lot"].sudo().search(domain, limit=1)
            owner = self.env["after_sales.warranty.card"].sudo().search(
                [("lot_id", "=", lot.id)], limit=1).partner_id.commercial_partner_id
            if lot and (not owner or owner == commercial):
                product = product or lot.product_id
                vals["lot_id"] = lot.id
            else:
                notes.append(_("Serial number given by the customer: %s") % text["lot_id"])
        if product:
            vals["product_id"] = product.id
        return notes

    @api.model
    def _portal_check_photos(self, photos):
        """Photos of the portal form, [(file name, content)]: images only, at most
        PORTAL_PHOTO_COUNT of at most PORTAL_PHOTO_BYTES each. Returns the error message, or
        None."""
        if len(photos) > PORTAL_PHOTO_COUNT:
            return _("Attach at most %s photos.") % PORTAL_PHOTO_COUNT
        for name, content in photos:
            if len(content) > PORTAL_PHOTO_BYTES:
                return _("%(file)s is too large: at most %(size)s MB per photo.") % {
                    "file": name, "size": PORTAL_PHOTO_BYTES // (1024 * 1024)}
            if guess_mimetype(content) not in PORTAL_PHOTO_TYPES or not _is_image(content):
                return _("%s is not a photo: attach JPEG, PNG or GIF images.") % name
        return None

    @api.model
    def _portal_register(self, partner, vals, photos):
        """Register the request a customer sent from the portal (checked by
        _portal_check_values and _portal_check_photos), as the process: the team of the
        customer's company handles it, its leader is responsible and gets a to-do; the photos
        are the request's proof; the customer follows the request."""
        company = partner.sudo().company_id or self.env.user.company_id
        request = self.sudo().with_context(mail_create_nosubscribe=True).create(
            self._prepare_channel_vals(vals, company))
        attachments = self.env["ir.attachment"].sudo().browse()
        for name, content in photos:
            attachments |= attachments.create({
                "name": name, "datas_fname": name, "datas": base64.b64encode(content),
                "res_model": self._name, "res_id": request.id})
        if attachments:
            request.sudo()._as_action().write({"attachment_ids": [(6, 0, attachments.ids)]})
        request.sudo().message_subscribe(partner_ids=partner.ids)
        request.sudo().message_post(
            body=_("Registered on the customer portal by %s.") % html_escape(partner.name),
            author_id=partner.id, attachment_ids=attachments.ids, subtype="mail.mt_comment",
            message_type="comment")
        request.sudo()._schedule_channel_activity(
            _("Service request from the portal: %s") % request.name)
        return request

    @api.model
    def _prepare_channel_vals(self, vals, company):
        """A request coming in by itself (portal, e-mail): the company's first team, whose
        leader is responsible (none: the department picks it up)."""
        team = self.env["after_sales.team"].sudo().browse(vals.get("team_id")).exists() \
            or self.env["after_sales.team"].sudo().search(
                [("company_id", "=", company.id)], limit=1)
        return dict(vals, company_id=team.company_id.id or company.id, team_id=team.id,
                    user_id=team.leader_id.id)

    def _schedule_channel_activity(self, summary):
        """The to-do of whoever handles the channel's requests every day: the responsible,
        else an after-sales user of the request's company."""
        self.ensure_one()
        user = self._company_user(self.user_id, "after_sales_service.group_user")
        if user:
            self._schedule_activity("mail.mail_activity_data_todo", user, summary)
        return True

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a team's alias: a request from the e-mail channel. The customer is the
        sender's partner (its company); an unknown sender becomes a new contact that the clerk
        matches to the right customer (a to-do says so). The mail itself, with its
        attachments, is the first message of the request's chatter."""
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        unknown = not author
        if unknown:
            author = author.browse(author.sudo().name_create(
                msg_dict.get("email_from") or _("Unknown sender"))[0])
            msg_dict["author_id"] = author.id  # the mail is posted as the new contact's
        customer = author.commercial_partner_id
        subject = (msg_dict.get("subject") or "").strip()
        body = html2plaintext(msg_dict.get("body") or "").strip()
        vals = dict(custom_values or {})
        vals.update({
            "channel": "mail", "partner_id": customer.id,
            "contact_name": (author.name if author != customer else False),
            "phone": author.phone or author.mobile or customer.phone,
            "description": ("\n\n".join(part for part in (subject, body) if part)
                            or _("(empty e-mail)"))[:TEXT_LENGTH],
        })
        company = self.env["res.company"].browse(vals.get("company_id")).exists() \
            or self.env.user.company_id
        request = self.create(self._prepare_channel_vals(vals, company))
        request.message_subscribe(partner_ids=author.ids)
        if unknown:
            request._schedule_channel_activity(
                _("Match the customer of %(request)s: %(sender)s is not a known contact") % {
                    "request": request.name, "sender": msg_dict.get("email_from") or ""})
        else:
            request._schedule_channel_activity(_("Service request by e-mail: %s")
                                               % request.name)
        return request

    @api.model
    def _mail_is_loop(self, message, message_dict):
        """Whether an incoming mail is written by a machine (an auto-reply, a list, a mailer)
        or by one of our own addresses: it opens no request and lands in none (Odoo already
        drops delivery reports)."""
        auto = (message.get("Auto-Submitted") or "no").strip().lower()
        precedence = (message.get("Precedence") or "").strip().lower()
        if auto != "no" or precedence in ("bulk", "junk", "list", "auto_reply") \
                or message.get("X-Autoreply") or message.get("X-Autorespond") \
                or (message.get("Return-Path") or "").strip() == "<>":
            return True
        sender = (email_split(message_dict.get("email_from") or "") or [""])[0].lower()
        localpart, _at, domain = sender.partition("@")
        params = self.env["ir.config_parameter"].sudo()
        if not domain or domain != (params.get_param("mail.catchall.domain") or "").lower():
            return False
        own = {params.get_param("mail.catchall.alias"), params.get_param("mail.bounce.alias")}
        return localpart in own or bool(self.env["mail.alias"].sudo().search_count(
            [("alias_name", "=", localpart)]))


    # ------------------------------------------------------------------ depot repair (送修/返修)
    # The customer's unit comes in by a receipt into the warehouse's depot location, is
    # repaired by an Odoo repair order (mrp.repair) and goes back by a delivery with its
    # tracking number (002-G §3.2-4.2).

    repair_count = fields.Integer("Depot Repairs", compute="_compute_repair",
                                  groups="after_sales_service.group_user")
    repair_id = fields.Many2one("mrp.repair", "Depot Repair", compute="_compute_repair",
                                groups="after_sales_service.group_user",
                                help="The current repair order of the unit sent in.")
    repair_state = fields.Selection(related="repair_id.state", string="Repair Order Status",
                                    help="Where the repair order is.",
                                    groups="after_sales_service.group_user")
    repair_step = fields.Selection(
        [("to_receive", "Awaiting the Unit"), ("received", "Unit Received"),
         ("repairing", "In Repair"), ("to_invoice", "To Invoice"), ("repaired", "Repair Done"),
         ("shipping", "Shipping Back"), ("returned", "Returned to the Customer")],
        "Depot Repair Step", compute="_compute_repair", groups="after_sales_service.group_user")
    repair_receipt_id = fields.Many2one("stock.picking", "Unit Receipt",
                                        compute="_compute_repair",
                                        groups="after_sales_service.group_user")
    repair_receipt_state = fields.Selection(related="repair_receipt_id.state",
                                            string="Receipt Status",
                                            help="Where the receipt of the unit is.",
                                            groups="after_sales_service.group_user")
    repair_delivery_id = fields.Many2one("stock.picking", "Return Delivery",
                                         compute="_compute_repair",
                                         groups="after_sales_service.group_user")
    repair_delivery_state = fields.Selection(related="repair_delivery_id.state",
                                             string="Delivery Status",
                                             help="Where the delivery back to the customer is.",
                                             groups="after_sales_service.group_user")
    repair_tracking_ref = fields.Char("Return Tracking Number", compute="_compute_repair",
                                      groups="after_sales_service.group_user")
    repair_invoice_id = fields.Many2one("account.invoice",
                                        compute="_compute_repair",
                                        groups="after_sales_service.group_user")
    can_send_to_repair = fields.Boolean(compute="_compute_repair",
                                        groups="after_sales_service.group_user")
    can_ship_repaired = fields.Boolean(compute="_compute_repair",
                                       groups="after_sales_service.group_user")

    def _compute_repair(self):
        """The current repair order of each request and where its unit is, from the repair
        orders and their transfers (two searches for all the requests, as superuser: the
        warehouse's documents)."""
        repairs = self.env["mrp.repair"].sudo().search(
            [("after_sales_request_id", "in", self.ids)], order="id")
        pickings = self.env["stock.picking"].sudo().search(
            [("after_sales_repair_id", "in", repairs.ids), ("state", "!=", "cancel")],
            order="id")
        by_repair = {}
        for picking in pickings:
            by_repair.setdefault((picking.after_sales_repair_id.id,
                                  picking.after_sales_repair_role), picking)
        for request in self:
            mine = repairs.filtered(lambda r: r.after_sales_request_id == request)
            current = mine.filtered(lambda r: r.state != "cancel")[-1:]
            receipt = by_repair.get((current.id, "in"), self.env["stock.picking"])
            delivery = by_repair.get((current.id, "out"), self.env["stock.picking"])
            step = request._repair_step(current, receipt, delivery) if current else False
            request.repair_count = len(mine)
            request.repair_id = current.id
            request.repair_step = step or False
            request.repair_receipt_id = receipt.id
            request.repair_delivery_id = delivery.id
            request.repair_tracking_ref = delivery.carrier_tracking_ref
            request.repair_invoice_id = current.invoice_id.id
            request.can_send_to_repair = request.state in ("in_progress", "waiting") and (
                not current or step == "returned")
            request.can_ship_repaired = step == "repaired" and request.state in OPEN_STATES

    @staticmethod
    def _repair_step(repair, receipt, delivery):
        if delivery:
            return "returned" if delivery.state == "done" else "shipping"
        if repair.state == "done":
            return "repaired"
        if repair.state == "2binvoiced":
            return "to_invoice"
        if repair.state in ("confirmed", "ready", "under_repair"):
            return "repairing"
        return "received" if receipt.state == "done" else "to_receive"

    @api.multi
    @document_action
    def action_send_to_repair(self):
        """Send In for Repair: the repair order of the customer's unit (free in warranty,
        invoiced after the repair otherwise) and the receipt the warehouse validates when the
        unit arrives; the request waits for the repair."""
        self._check_department_user()
        self._check_can("can_send_to_repair", _(
            "These requests can't send a unit for repair (not in progress, or a unit already "
            "in repair): %s"))
        missing = self.filtered(lambda r: not r.product_id or (
            r.product_id.tracking != "none" and not r.lot_id))
        if missing:
            raise UserError(_("Give the product and its serial number before sending the unit "
                              "for repair: %s") % ", ".join(missing.mapped("name")))
        Repair = self.env["mrp.repair"]
        for request in self:
            warehouse = self._default_warehouse(request.company_id)
            location = warehouse._after_sales_depot_location()
            repair = Repair.create(request._prepare_repair_vals(location))
            self._create_reserved_picking(request._prepare_repair_picking_vals(
                repair, warehouse, "in"))
            request.message_post(body=_("Unit sent in for repair: %s") % repair.name,
                                 subtype="mail.mt_note")
        self.filtered(lambda r: r.state == "in_progress").write(
            {"state": "waiting", "waiting_reason": "repair"})
        return self.action_view_repairs()

    def _prepare_repair_vals(self, location):
        self.ensure_one()
        partner = self.partner_id
        return {
            "product_id": self.product_id.id, "product_qty": 1.0,
            "product_uom": self.product_id.uom_id.id, "lot_id": self.lot_id.id,
            "partner_id": partner.id, "partner_invoice_id": partner.id,
            "address_id": partner.id, "company_id": self.company_id.id,
            "location_id": location.id, "location_dest_id": location.id,
            "pricelist_id": partner.property_product_pricelist.id or self.env[
                "product.pricelist"].search([], limit=1).id,
            "invoice_method": "none" if self.in_warranty else "after_repair",
            "guarantee_limit": self.warranty_end,
            "after_sales_request_id": self.id, "after_sales_in_warranty": self.in_warranty,
            "internal_notes": self.description,
        }

    def _prepare_repair_picking_vals(self, repair, warehouse, role):
        """The unit's receipt from the customer (role "in") or its delivery back ("out")."""
        self.ensure_one()
        customer = self.partner_id.property_stock_customer or self.env.ref(
            "stock.stock_location_customers")
        depot = repair.location_id
        source, destination, picking_type = (
            (customer, depot, warehouse.in_type_id) if role == "in"
            else (depot, customer, warehouse.out_type_id))
        move = {
            "name": "%s: %s" % (repair.name, self.product_id.display_name),
            "product_id": self.product_id.id, "product_uom_qty": 1.0,
            "product_uom": self.product_id.uom_id.id, "location_id": source.id,
            "location_dest_id": destination.id, "partner_id": self.partner_id.id,
            "picking_type_id": picking_type.id, "warehouse_id": warehouse.id,
            "origin": self.name, "company_id": self.company_id.id,
            "after_sales_lot_id": self.lot_id.id,
        }
        return {
            "picking_type_id": picking_type.id, "partner_id": self.partner_id.id,
            "origin": "%s / %s" % (self.name, repair.name), "location_id": source.id,
            "location_dest_id": destination.id, "company_id": self.company_id.id,
            "after_sales_repair_id": repair.id, "after_sales_repair_role": role,
            "move_lines": [(0, 0, move)],
        }

    @api.multi
    @document_action
    def action_ship_repaired(self):
        """Ship the repaired unit back: the delivery from the depot location to the customer,
        which the warehouse validates with its tracking number."""
        self._check_department_user()
        self._check_can("can_ship_repaired", _(
            "These requests have no repaired unit to ship back (the repair is not done, or "
            "the unit is already shipped): %s"))
        Picking = self.env["stock.picking"]
        for request in self:
            repair = request.repair_id.sudo()
            warehouse = repair._after_sales_warehouse()
            Picking |= self._create_reserved_picking(
                request._prepare_repair_picking_vals(repair, warehouse, "out"))
        return self._window_action("stock.action_picking_tree_all", [("id", "in", Picking.ids)],
                                   record=Picking.with_env(self.env))

    @api.multi
    def action_view_repairs(self):
        repairs = self.env["mrp.repair"].search([("after_sales_request_id", "in", self.ids)])
        return self._window_action("mrp_repair.action_repair_order_tree",
                                   [("after_sales_request_id", "in", self.ids)],
                                   record=repairs)


def _is_image(content):
    """Whether `content` is an image Pillow reads (not a file renamed .jpg)."""
    try:
        Image.open(io.BytesIO(content)).verify()
    except Exception:  # pylint: disable=broad-except  # any decoding error: not an image
        return False
    return True


def _override_value(name, value):
    """An override field's value as compared: empty is False, the reason stripped."""
    if name == "warranty_override_reason":
        return (value or "").strip() or False
    return value or False
