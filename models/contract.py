# -*- coding: utf-8 -*-
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang
from odoo.addons.queue_job.job import job

from .document_mixin import LINE_LENGTH, NAME_LENGTH, PHONE_LENGTH, TEXT_LENGTH, document_action
from .job_mixin import create_records
from .request_selections import COVERING_STATES, REQUEST_OPEN_STATES, VISIT_PURPOSES

STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("cancel", "Cancelled"),
]
CONTRACT_TYPES = [
    ("warranty", "Warranty Contract"),
    ("maintenance", "Maintenance Contract"),
]
VISIT_FREQUENCIES = [
    ("monthly", "Monthly Visit"),
    ("quarterly", "Quarterly Inspection"),
    ("half_yearly", "Half-Yearly Inspection"),
    ("yearly", "Yearly Inspection"),
    ("none", "No Scheduled Visits"),
]
INVOICING_POLICIES = [
    ("once", "Once, the Whole Fee"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("half_yearly", "Half-Yearly"),
    ("yearly", "Yearly"),
]
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def _date(value):
    return fields.Date.from_string(value) if isinstance(value, str) else value


def _str(value):
    return fields.Date.to_string(value) if value else False


def _with_parents(partner):
    """The partner and the companies above it (what child_of matches)."""
    found = partner.browse()
    while partner and partner not in found:
        found |= partner
        partner = partner.parent_id
    return found


class Contract(models.Model):
    """A maintenance or warranty contract (质保/维保合同) of a customer: the installed products it
    covers, its period, its fee invoiced per period, and the visits (monthly visits, quarterly
    inspections...) a daily job plans ahead of time."""

    _name = "after_sales.contract"
    _description = "Maintenance / Warranty Contract"
    _inherit = ["after_sales.numbered.document", "after_sales.charge.mixin",
                "after_sales.job.mixin"]
    _sequence_code = "after_sales.contract"
    _order = "date_end desc, id desc"
    _reason_actions = ("cancel",)
    _text_limits = {"contact_name": NAME_LENGTH, "phone": PHONE_LENGTH,
                    "site_address": LINE_LENGTH, "note": TEXT_LENGTH,
                    "cancel_reason": TEXT_LENGTH}
    # what only the document's actions change (see DocumentMixin._check_direct_write)
    _owned_fields = ("state", "is_expiring", "cancel_reason")

    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    contract_type = fields.Selection(CONTRACT_TYPES, required=True,
                                     default="maintenance", index=True,
                                     readonly=True, states={"draft": [("readonly", False)]},
                                     track_visibility="onchange")
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 readonly=True, states={"draft": [("readonly", False)]},
                                 track_visibility="onchange")
    contact_name = fields.Char("Contact Person")
    phone = fields.Char()
    site_address = fields.Char()
    user_id = fields.Many2one("res.users", "Responsible", index=True,
                              default=lambda self: self.env.user, track_visibility="onchange")
    date_signed = fields.Date("Signed On", readonly=True, states={"draft": [("readonly", False)]})
    date_start = fields.Date("Start Date", required=True, index=True,
                             readonly=True, states={"draft": [("readonly", False)]},
                             track_visibility="onchange")
    date_end = fields.Date("End Date", required=True, index=True,
                           readonly=True, states={"draft": [("readonly", False)]},
                           track_visibility="onchange")
    line_ids = fields.One2many("after_sales.contract.line", "contract_id", "Covered Products",
                               copy=True, readonly=True,
                               states={"draft": [("readonly", False)]})
    note = fields.Text("Terms")

    # fee and its invoicing
    fee_amount = fields.Monetary("Contract Fee", readonly=True,
                                 states={"draft": [("readonly", False)]},
                                 track_visibility="onchange",
                                 help="The fee of the whole contract period, without taxes.")
    invoicing_policy = fields.Selection(INVOICING_POLICIES, "Invoicing", required=True,
                                        default="once", readonly=True,
                                        states={"draft": [("readonly", False)]},
                                        help="The fee is invoiced once, or split evenly over "
                                             "the invoicing periods of the contract.")
    period_count = fields.Integer("Invoicing Periods", compute="_compute_period_count")
    invoice_ids = fields.One2many("account.invoice", "after_sales_contract_id", "Invoices",
                                  readonly=True, copy=False,
                                  groups="account.group_account_invoice")
    invoice_count = fields.Integer("Invoices", compute="_compute_invoiced")
    invoiced_period_count = fields.Integer("Periods Invoiced", compute="_compute_invoiced")
    amount_invoiced = fields.Monetary("Fees Invoiced", compute="_compute_invoiced",
                                      help="Total of the contract's invoices, drafts included.")
    amount_paid = fields.Monetary("Fees Paid", compute="_compute_invoiced")
    amount_to_invoice = fields.Monetary("Fees to Invoice", compute="_compute_invoiced")

    # visits
    visit_frequency = fields.Selection(VISIT_FREQUENCIES, required=True,
                                       default="quarterly", index=True,
                                       track_visibility="onchange")
    visit_purpose = fields.Selection(VISIT_PURPOSES, required=True,
                                     default="inspection")
    first_visit_date = fields.Date(
        "First Visit", readonly=True, states={"draft": [("readonly", False)]},
        help="The schedule of the visits starts on this date (the start date if empty); the "
             "next ones follow at the visit frequency.")
    next_visit_date = fields.Date("Next Visit", index=True, copy=False,
                                  track_visibility="onchange",
                                  help="Set on confirmation, then moved on by the scheduled job "
                                       "each time it plans a visit; empty when no visit is left "
                                       "before the end date.")
    technician_ids = fields.Many2many("res.users", "after_sales_contract_technician_rel",
                                      "contract_id", "user_id", string="Usual Technicians",
                                      help="Assigned to the visits the job plans.")
    visit_ids = fields.One2many("after_sales.visit", "contract_id", "Visits", readonly=True)
    visit_count = fields.Integer("Visits", compute="_compute_visit_count")
    callback_ids = fields.One2many("after_sales.callback", "contract_id", "Callbacks",
                                   readonly=True, groups="after_sales_service.group_user")

    # expiry
    is_expiring = fields.Boolean("Expiring Soon", readonly=True, copy=False, index=True,
                                 help="Active and ending within the company's notice period; "
                                      "kept current by the daily job.")
    cancel_reason = fields.Text("Cancellation Reason", readonly=True, copy=False,
                                track_visibility="onchange")

    can_be_confirmed = fields.Boolean(compute="_compute_can_be")
    can_be_cancelled = fields.Boolean(compute="_compute_can_be")
    can_be_invoiced = fields.Boolean(compute="_compute_invoiced")

    _sql_constraints = [
        ("name_company_uniq", "unique (name, company_id)", "The contract number must be unique."),
        ("fee_positive", "CHECK (fee_amount >= 0)", "The contract fee can't be negative."),
    ]

    # ------------------------------------------------------------------ ORM

    @api.multi
    def write(self, vals):
        result = super(Contract, self).write(vals)
        # coming into force, expiring, cancelled: the open requests it covers decide again
        if {"state", "date_start", "date_end", "partner_id"} & set(vals):
            self._refresh_open_requests()
        return result

    @api.multi
    def unlink(self):
        if any(contract.state != "draft" for contract in self):
            raise UserError(_("A confirmed contract is never deleted: cancel it instead."))
        return super(Contract, self).unlink()

    @api.constrains("date_start", "date_end", "first_visit_date")
    def _check_dates(self):
        for contract in self:
            if contract.date_end < contract.date_start:
                raise ValidationError(_("The contract can't end before it starts."))
            first = contract.first_visit_date
            if first and not contract.date_start <= first <= contract.date_end:
                raise ValidationError(_("The first visit must fall within the contract "
                                        "period."))

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id
        if partner:
            self.update(partner._after_sales_contact_vals())

    @api.onchange("date_start")
    def _onchange_date_start(self):
        if self.date_start and not self.date_end:
            self.date_end = _str(_date(self.date_start) + relativedelta(years=1)
                                 - timedelta(days=1))

    # ------------------------------------------------------------------ computes

    @api.depends("state")
    def _compute_can_be(self):
        for contract in self:
            contract.can_be_confirmed = contract.state == "draft"
            contract.can_be_cancelled = contract.state in ("draft", "active")

    @api.depends("invoicing_policy", "date_start", "date_end")
    def _compute_period_count(self):
        for contract in self:
            contract.period_count = len(contract._invoicing_periods())

    def _compute_invoiced(self):
        """Fees invoiced (drafts included) and paid, from the linked customer invoices (one
        query for all the contracts)."""
        groups = self.env["account.invoice"].sudo().read_group(
            [("after_sales_contract_id", "in", self.ids), ("type", "=", "out_invoice"),
             ("state", "!=", "cancel")],
            ["after_sales_contract_id", "state", "amount_total", "residual"],
            ["after_sales_contract_id", "state"], lazy=False)
        info = {}
        for group in groups:
            total = info.setdefault(group["after_sales_contract_id"][0], [0, 0.0, 0.0])
            total[0] += group["__count"]
            total[1] += group["amount_total"]
            if group["state"] in ("open", "paid"):
                total[2] += group["amount_total"] - group["residual"]
        for contract in self:
            count, invoiced, paid = info.get(contract.id, (0, 0.0, 0.0))
            contract.invoice_count = count
            contract.invoiced_period_count = count
            contract.amount_invoiced = invoiced
            contract.amount_paid = paid
            contract.amount_to_invoice = max(contract.fee_amount - invoiced, 0.0) \
                if count < contract.period_count else 0.0
            contract.can_be_invoiced = (contract.state in ("active", "expired")
                                        and contract.fee_amount > 0
                                        and count < contract.period_count)

    def _compute_visit_count(self):
        counts = self._count_by("after_sales.visit", "contract_id")
        for contract in self:
            contract.visit_count = counts.get(contract.id, 0)

    # ------------------------------------------------------------------ periods, schedule

    def _invoicing_periods(self):
        """(start, end) dates of each invoicing period, the last one cut at the end date."""
        if not self.date_start or not self.date_end or self.date_end < self.date_start:
            return []
        start, end = _date(self.date_start), _date(self.date_end)
        months = PERIOD_MONTHS.get(self.invoicing_policy)
        if not months:
            return [(start, end)]
        periods, index = [], 0
        while True:
            period_start = start + relativedelta(months=months * index)
            if period_start > end:
                break
            period_end = min(start + relativedelta(months=months * (index + 1))
                             - timedelta(days=1), end)
            periods.append((period_start, period_end))
            index += 1
        return periods

    def _period_amount(self, index):
        """The fee of one period: evenly split, the last period takes the rounding rest."""
        count = self.period_count
        share = self.currency_id.round(self.fee_amount / count)
        if index == count - 1:
            return self.currency_id.round(self.fee_amount - share * (count - 1))
        return share

    def _visit_dates_after(self, day):
        """The first scheduled visit date after `day` (anchored on the first visit, so that
        visits keep their day of the month)."""
        months = PERIOD_MONTHS.get(self.visit_frequency)
        if not months:
            return False
        anchor = _date(self.first_visit_date or self.date_start)
        day = _date(day)
        index = 0
        while anchor + relativedelta(months=months * index) <= day:
            index += 1
        return anchor + relativedelta(months=months * index)

    def _covered_products(self):
        return self.mapped("line_ids.product_id")

    @api.model
    def _find_covering(self, partner, products, lots, day, company=None, states=("active",)):
        """Contracts (active by default) of the customer in `company` (the user's by default)
        covering one of these products (and serials, when the contract names one) on that
        day."""
        if not partner or not products:
            return self.browse()
        company = company or self.env.user.company_id
        lines = self._covering_lines(partner, products, day, day, states, company)
        return self._covering_among(lines, partner, products, lots, day, company)

    @api.model
    def _covering_lines(self, partners, products, first_day, last_day, states=("active",),
                        companies=None):
        """The lines of the contracts in `states` of these customers in these companies (the
        user's by default) covering these products on some day between first_day and last_day
        (as superuser); choose among them with _covering_among. The contracts are searched
        first with one domain (a domain on the lines through `contract_id.` would run one
        query per condition), then their lines, only when some contract is found."""
        companies = companies or self.env.user.company_id
        contracts = self.sudo().search([
            ("state", "in", list(states)), ("company_id", "in", companies.ids),
            ("partner_id", "child_of", partners.mapped("commercial_partner_id").ids),
            ("date_start", "<=", last_day), ("date_end", ">=", first_day),
        ])
        Line = self.env["after_sales.contract.line"].sudo()
        if not contracts:
            return Line
        return Line.search([("contract_id", "in", contracts.ids),
                            ("product_id", "in", products.ids)])

    @api.model
    def _covering_among(self, lines, partner, products, lots, day, company=None):
        """The contracts of `lines` (of `company`, when given) covering one of these products
        (and serials, when the line names one) of the customer on that day."""
        commercial = partner.commercial_partner_id

        def covers(line):
            contract = line.contract_id
            return ((not company or contract.company_id == company)
                    and line.product_id in products
                    and contract.date_start <= day <= contract.date_end
                    and (not line.lot_id or not lots or line.lot_id in lots)
                    and commercial in _with_parents(contract.partner_id))
        return self.browse(lines.filtered(covers).mapped("contract_id").ids)

    def _covers_day(self, day):
        """In force on that day (active then, or expired since)."""
        self.ensure_one()
        return self.state in COVERING_STATES and self.date_start <= day <= self.date_end

    def _coverage_reason(self, day=None):
        """The warranty decision this contract gives (on `day`, when it is not known to cover
        it), as the request and the visit show it."""
        self.ensure_one()
        values = {"type": dict(self._fields["contract_type"]._description_selection(self.env))
                  .get(self.contract_type), "contract": self.name, "end": self.date_end,
                  "date": day}
        if day and not self._covers_day(day):
            return _("%(type)s %(contract)s does not cover %(date)s: out of warranty") % values
        return _("%(type)s %(contract)s covers it until %(end)s") % values

    def _refresh_open_requests(self):
        """The open requests of these contracts' customers on the products they cover decide
        their warranty again (one search, one recompute)."""
        contracts = self.sudo()
        products = contracts.mapped("line_ids.product_id")
        if not products:
            return
        partners = contracts.mapped("partner_id.commercial_partner_id")
        self.env["after_sales.request"].sudo().search([
            ("partner_id", "child_of", partners.ids), ("product_id", "in", products.ids),
            ("state", "in", REQUEST_OPEN_STATES)])._recompute_warranty()

    # ------------------------------------------------------------------ actions

    @api.multi
    @document_action
    def action_confirm(self):
        """The contract comes into force: its visits are scheduled from the first visit date."""
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department confirms contracts."))
        self._check_can("can_be_confirmed", _("Only draft contracts can be confirmed: %s"))
        empty = self.filtered(lambda c: not c.line_ids)
        if empty:
            raise UserError(_("Add the installed products the contract covers first: %s")
                            % ", ".join(empty.mapped("name")))
        today = fields.Date.context_today(self)
        groups = {}  # one write per distinct set of values
        for contract in self:
            first = contract.first_visit_date or contract.date_start
            key = (first if contract.visit_frequency != "none" else False,
                   contract.date_signed or today)
            groups.setdefault(key, self.browse())
            groups[key] |= contract
        for (next_visit, signed), contracts in groups.items():
            contracts.write({"state": "active", "next_visit_date": next_visit,
                             "date_signed": signed})
        return True

    @api.multi
    @document_action
    def action_cancel(self, reason=None):
        """Cancel the contract and its visits not started yet."""
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department cancels contracts."))
        self._check_can("can_be_cancelled", _("These contracts can't be cancelled: %s"))
        reason = self._check_reason(reason, "cancel")
        pending = self.mapped("visit_ids").filtered("can_be_cancelled")
        if pending:
            pending.action_cancel(reason=_("Contract cancelled: %s") % reason)
        self.write({"state": "cancel", "cancel_reason": reason, "next_visit_date": False,
                    "is_expiring": False})
        return True

    @api.multi
    def action_cancel_wizard(self):
        return self._open_reason_wizard("cancel", _("Cancel Contract"))

    @api.multi
    @document_action
    def action_add_installed_products(self):
        """Cover every installed product of the customer not covered yet."""
        self._check_can("can_be_confirmed", _("Only draft contracts can be changed: %s"))
        for contract in self:
            cards = self.env["after_sales.warranty.card"].search(
                [("partner_id", "child_of", contract.partner_id.commercial_partner_id.id)])
            cards -= contract.line_ids.mapped("warranty_card_id")
            contract.write({"line_ids": [(0, 0, {"warranty_card_id": card.id,
                                                 "product_id": card.product_id.id,
                                                 "lot_id": card.lot_id.id}) for card in cards]})
        return True

    @api.multi
    @document_action
    def action_create_invoice(self):
        """Button "Create Invoice": the next period's draft customer invoice."""
        self._create_period_invoices()
        return True

    def _create_period_invoices(self):
        """A draft customer invoice for the next invoicing period not invoiced yet (the whole
        fee when invoiced once), per contract; finance validates it."""
        self._check_group("after_sales_service.group_user",
                          _("Only the after-sales department invoices contract fees."))
        self._check_can("can_be_invoiced", _("Nothing left to invoice on: %s"))
        product = self.env.ref("after_sales_service.product_contract_fee")
        invoices = self.env["account.invoice"].sudo()  # drafted on behalf of the department
        for contract in self:
            index = contract.invoiced_period_count
            start, end = contract._invoicing_periods()[index]
            contract_type = dict(contract._fields["contract_type"]._description_selection(
                self.env))[contract.contract_type]
            name = _("%(type)s %(contract)s: %(start)s to %(end)s") % {
                "type": contract_type, "contract": contract.name, "start": _str(start),
                "end": _str(end)}
            invoice = contract._create_charge_invoice(
                contract.partner_id, [(product, 1.0, contract._period_amount(index), name)],
                contract.name, company=contract.company_id,
                extra_vals={"after_sales_contract_id": contract.id,
                            "user_id": contract.user_id.id or self.env.uid})
            contract.message_post(body=_("Draft customer invoice created for %(start)s to %(end)s "
                                         "(total %(total)s).") % {
                "start": _str(start), "end": _str(end),
                "total": formatLang(self.env, invoice.amount_total,
                                    currency_obj=invoice.currency_id)},
                                  subtype="mail.mt_note")
            invoices |= invoice
        return invoices

    @api.multi
    def action_view_visits(self):
        return self._window_action(
            "after_sales_service.visit_action", [("contract_id", "in", self.ids)],
            {"default_contract_id": self[:1].id, "default_partner_id": self[:1].partner_id.id,
             "default_purpose": self[:1].visit_purpose})

    @api.multi
    def action_view_invoices(self):
        return self._window_action("account.action_invoice_tree1",
                                   [("after_sales_contract_id", "in", self.ids)],
                                   {"create": False})

    # ------------------------------------------------------------------ scheduled job

    @api.model
    def _cron_daily(self, today=None):
        """Daily job: expired contracts, expiry flags, then the visits due ahead of time."""
        today = today or fields.Date.context_today(self)
        self._cron_expire(today)
        self._cron_flag_expiring(today)
        self._cron_schedule_visits(today)
        return True

    @api.model
    def _cron_expire(self, today=None):
        """Active contracts past their end date are expired (one write for all)."""
        today = today or fields.Date.context_today(self)
        self.env.cr.execute("SELECT id FROM after_sales_contract "
                            "WHERE state = 'active' AND date_end < %s", (today,))
        expired = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        if expired:
            expired.write({"state": "expired", "is_expiring": False, "next_visit_date": False})
        return expired

    @api.model
    def _cron_flag_expiring(self, today=None):
        """Flag the active contracts ending within the company's notice period (one UPDATE),
        and give the responsible of each newly flagged one a to-do to renew it."""
        today = today or fields.Date.context_today(self)
        self.env.cr.execute("""
            UPDATE after_sales_contract c
               SET is_expiring = flag.value
              FROM (SELECT c2.id, (c2.state = 'active' AND c2.date_end <= %(today)s::date
                                   + COALESCE(rc.after_sales_contract_expiry_days, 30)) AS value
                      FROM after_sales_contract c2
                      JOIN res_company rc ON rc.id = c2.company_id) flag
             WHERE flag.id = c.id AND c.is_expiring IS DISTINCT FROM flag.value
         RETURNING c.id, c.is_expiring
        """, {"today": today})
        rows = self.env.cr.fetchall()
        self.invalidate_cache(["is_expiring"], [row[0] for row in rows])
        flagged = self.sudo().browse([row[0] for row in rows if row[1]])
        flagged._schedule_expiry_activity()
        return flagged

    def _schedule_expiry_activity(self):
        """The renewal to-do: for the contract's responsible when they work for its company,
        else for an after-sales manager of that company (a note when there is none)."""
        for contract in self:
            summary = _("Contract %(contract)s ends on %(date)s: renew it with the customer") % {
                "contract": contract.name, "date": contract.date_end}
            user = contract._company_user(contract.user_id, "after_sales_service.group_manager")
            if not user:
                contract._note_no_activity(summary)
                continue
            contract._schedule_activity("mail.mail_activity_data_todo", user, summary,
                                        contract.date_end)

    @api.model
    def _cron_schedule_visits(self, today=None):
        """Plan the contract visits falling due within the company's lead time.

        One query selects the due contracts; chunk jobs (see after_sales.job.mixin) give each
        a visit per schedule date up to the horizon (never after its end date), submitted for
        the general manager's approval like every trip; `next_visit_date` then moves past them
        in the same transaction, and a unique (contract, due date) key on the visit makes a
        second run create none."""
        today = _str(_date(today or fields.Date.context_today(self)))
        return self._after_sales_run_chunks("_job_schedule_visits",
                                            self._visit_candidates(today), (today,),
                                            on_records=True,
                                            result=self.env["after_sales.visit"].sudo())

    @api.model
    def _visit_candidates(self, today, ids=None):
        """The active contracts with a visit due within their lead time from `today` (among
        `ids` if given)."""
        self.env.cr.execute("""
            SELECT c.id FROM after_sales_contract c
              JOIN res_company rc ON rc.id = c.company_id
             WHERE c.state = 'active' AND c.visit_frequency != 'none'
               AND c.next_visit_date IS NOT NULL
               AND c.next_visit_date <= LEAST(c.date_end, %(today)s::date
                                              + COALESCE(rc.after_sales_contract_lead_days, 14))
               AND (%(all)s OR c.id IN %(ids)s)
          ORDER BY c.id
        """, {"today": today, "all": ids is None, "ids": tuple(ids or [0])})
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    @job(default_channel="root.after_sales.contracts")
    def _job_schedule_visits(self, today):
        """Contract visits due (a chunk)"""
        contracts = self.sudo().browse(self._visit_candidates(today, self.ids))
        return contracts._plan_visits(_date(today))

    @api.multi
    def _plan_visits(self, today):
        """The visits of these due contracts up to their horizon, in one pass."""
        Visit = self.env["after_sales.visit"].sudo()
        if not self:
            return Visit
        existing = {(v["contract_id"][0], v["contract_visit_date"]) for v in Visit.search_read(
            [("contract_id", "in", self.ids), ("contract_visit_date", "!=", False)],
            ["contract_id", "contract_visit_date"])}
        vals_list, next_dates = [], {}
        for contract in self:
            end = _date(contract.date_end)
            horizon = min(end, today + timedelta(days=contract.company_id
                                                 .after_sales_contract_lead_days))
            day = _date(contract.next_visit_date)
            while day and day <= horizon:
                if (contract.id, _str(day)) not in existing:
                    vals_list.append(contract._prepare_visit_vals(day, today))
                day = contract._visit_dates_after(day)
            next_dates.setdefault(_str(day) if day and day <= end else False,
                                  []).append(contract.id)
        visits = self._create_planned_visits(vals_list)
        for day, ids in next_dates.items():
            self.sudo().with_context(mail_notrack=True).browse(ids).write(
                {"next_visit_date": day})
        return visits

    def _create_planned_visits(self, vals_list):
        """The planned visits `vals_list`, created and submitted for approval in one batch:
        numbered from their sequence, without Odoo's "created" note and tracking, submitted
        by one action (one write, the approvers' to-dos at once), each with one note saying
        what planned it; the contracts' next dates then move without a tracking message
        each (the visits planned are the record of it)."""
        Visit = self.env["after_sales.visit"].sudo()
        if not vals_list:
            return Visit
        numbers = Visit._next_numbers(len(vals_list))
        quiet = Visit.with_context(tracking_disable=True, mail_create_nolog=True)
        visits = create_records(quiet, [dict(vals, name=number) for vals, number
                                        in zip(vals_list, numbers)]).with_env(Visit.env)
        visits.with_context(tracking_disable=True).action_submit()
        names = {contract.id: contract.name for contract in self}
        visits._after_sales_log_notes({
            visit_id: _("Planned from contract %(contract)s (visit due %(date)s) and "
                        "submitted for approval.") % {
                "contract": names[vals["contract_id"]], "date": vals["contract_visit_date"]}
            for visit_id, vals in zip(visits.ids, vals_list)},
            names=dict(zip(visits.ids, numbers)))  # a visit is shown by its number
        return visits

    def _prepare_visit_vals(self, day, today):
        """A visit of the contract due on `day`, planned that day (today if it is past) at the
        company's morning start; in warranty, as the contract fee covers it (the visit follows
        its contract)."""
        planned = max(day, today)
        technicians = self.technician_ids.filtered(
            lambda t: not t.after_sales_missing_qualifications(self.visit_purpose, _str(planned)))
        return {
            "contract_id": self.id, "contract_visit_date": _str(day),
            "partner_id": self.partner_id.id, "company_id": self.company_id.id,
            "site_address": self.site_address, "purpose": self.visit_purpose,
            "product_ids": [(6, 0, self._covered_products().ids)],
            "technician_ids": [(6, 0, technicians.ids)],
            "date_planned": self.company_id.after_sales_visit_datetime(planned),
        }


class ContractLine(models.Model):
    """An installed product covered by a contract (its warranty card, or a product and serial)."""

    _name = "after_sales.contract.line"
    _description = "Contract Covered Product"
    _order = "contract_id, id"

    contract_id = fields.Many2one("after_sales.contract", required=True, ondelete="cascade",
                                  index=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", readonly=True)
    warranty_card_id = fields.Many2one("after_sales.warranty.card", "Installed Product",
                                       index=True)
    product_id = fields.Many2one("product.product", required=True, index=True)
    lot_id = fields.Many2one("stock.production.lot", "Serial Number", index=True,
                             domain="[('product_id', '=', product_id)]")
    warranty_end = fields.Date(related="warranty_card_id.warranty_end", readonly=True)
    note = fields.Char("Location / Notes")

    @api.onchange("warranty_card_id")
    def _onchange_warranty_card_id(self):
        card = self.warranty_card_id
        if card:
            self.product_id = card.product_id
            self.lot_id = card.lot_id

    @api.model
    def create(self, vals):
        if vals.get("warranty_card_id"):
            card = self.env["after_sales.warranty.card"].browse(vals["warranty_card_id"])
            vals = dict(vals, product_id=vals.get("product_id") or card.product_id.id,
                        lot_id=vals.get("lot_id") or card.lot_id.id)
        return super(ContractLine, self).create(vals)

    @api.constrains("warranty_card_id", "contract_id")
    def _check_customer(self):
        for line in self.filtered("warranty_card_id"):
            card_customer = line.warranty_card_id.partner_id.commercial_partner_id
            if card_customer != line.contract_id.partner_id.commercial_partner_id:
                raise ValidationError(_("Installed product %s belongs to another customer.")
                                      % line.warranty_card_id.display_name)
