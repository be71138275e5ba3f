# -*- coding: utf-8 -*-
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.addons.resource.models.resource import float_to_time, to_tz
from odoo.exceptions import UserError

HOURS_PER_DAY = 8.0
WEEKDAYS = [("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"),
            ("4", "Friday"), ("5", "Saturday"), ("6", "Sunday")]
MAX_PLANNED_DAYS = 5300  # about 20 years of working days: time limits never plan further


def plan_working_time(wanted, intervals):
    """The moments each amount of working time of `wanted` (positive timedeltas) is reached
    on `intervals` (ordered (begin, end) pairs from the start on), walking them once: None for
    an amount they don't reach. A deadline reached exactly at the end of an interval is that
    end (see ResCompany.after_sales_plan_deadline)."""
    deadlines = [None] * len(wanted)
    pending = sorted((remaining, index) for index, remaining in enumerate(wanted))
    worked = timedelta(0)
    for begin, end in intervals:
        while pending and pending[0][0] - worked <= end - begin:
            remaining, index = pending.pop(0)
            deadlines[index] = begin + (remaining - worked)
        if not pending:
            break
        worked += end - begin
    return deadlines


class ResCompany(models.Model):
    """Every setting of the after-sales process kept per company, and the company's working
    time that the time limits are planned in."""

    _inherit = "res.company"

    # parts and warranty cost
    after_sales_warranty_account_id = fields.Many2one(
        "account.account", "Warranty Expense Account", domain=[("deprecated", "=", False)],
        help="Parts sent free in warranty are booked to this expense account when their "
             "transfer is validated.")
    after_sales_warranty_journal_id = fields.Many2one(
        "account.journal", "Warranty Cost Journal",
        help="Journal of the warranty cost entries; the first miscellaneous journal if empty.")
    # returns and compensation
    after_sales_compensation_limit = fields.Monetary(
        "Compensation Approval Limit", currency_field="currency_id", default=5000.0,
        help="Write-offs and compensation above this amount, and any compensation without "
             "returned goods, need the quality manager's review and the general manager's "
             "approval.")
    # visits and expenses
    after_sales_overtime_subsidy = fields.Monetary(
        "Overtime Subsidy per Day", default=60.0, currency_field="currency_id",
        help="Paid to a technician for each day of a visit worked after hours or on a holiday, "
             "once the signed service record is verified.")
    after_sales_expense_claim_days = fields.Integer(
        "Expense Claim Period (days)", default=7,
        help="Expenses are claimed weekly: older ones are refused.")
    # callbacks
    after_sales_callback_attempts = fields.Integer("Callback Attempts", default=3,
                                                   help="Unanswered calls before a callback is "
                                                        "recorded as unreachable.")
    after_sales_usage_callback_months = fields.Integer("Usage Callback After (months)",
                                                       default=6)
    # contracts
    after_sales_contract_expiry_days = fields.Integer(
        "Contract Expiry Notice (days)", default=30,
        help="Active contracts ending within this many days are flagged as expiring and their "
             "responsible gets a to-do to renew them.")
    after_sales_contract_lead_days = fields.Integer(
        "Contract Visit Lead Time (days)", default=14,
        help="Contract visits are planned this many days before they are due, so that the "
             "trip is approved and the appointment agreed in time.")
    # statistics exports made in the background (after_sales.statistics.export)
    after_sales_export_queue_days = fields.Integer(
        "Background Export Beyond (days)", default=92,
        help="The Excel workbook and the PDF of the service statistics of a longer period are "
             "made in the background and delivered as a file, with a message, instead of "
             "being downloaded at once (0: no limit by length).")
    after_sales_export_queue_rows = fields.Integer(
        "Background Export Beyond (requests)", default=20000,
        help="The same for a period holding more service requests than this (0: no limit "
             "by size).")

    # customer notifications (data/mail_template_data.xml): each mail on or off, and how long
    # the link to the online satisfaction questionnaire works
    after_sales_notify_registered = fields.Boolean(
        "Notify: Request Registered", default=True,
        help="Mail the customer the number and the deadline of each new service request.")
    after_sales_notify_visit = fields.Boolean(
        "Notify: Visit Scheduled", default=True,
        help="Mail the customer the time and the technicians of an approved visit.")
    after_sales_notify_shipped = fields.Boolean(
        "Notify: Parts Shipped", default=True,
        help="Mail the customer the tracking number of the parts shipped.")
    after_sales_notify_resolved = fields.Boolean(
        "Notify: Request Resolved", default=True,
        help="Mail the customer when the service request is resolved.")
    after_sales_notify_callback = fields.Boolean(
        "Notify: Online Callback", default=True,
        help="After a completed visit, mail the customer the link to the satisfaction "
             "questionnaire, answered online without logging in.")
    after_sales_callback_link_days = fields.Integer(
        "Callback Link Valid (days)", default=14,
        help="The link to the online questionnaire works this many days, and only once.")

    @api.model
    def create(self, vals):
        company = super(ResCompany, self).create(vals)
        company.sudo()._after_sales_init_company()
        return company

    @api.multi
    def _after_sales_init_company(self):
        """What the main company got at install, for a new company: its own copy of the main
        company's time limits (without them its requests would get no deadline) and a fee
        standard (the main company's amounts when both share a currency). Its warehouse gets
        its after-sales locations and parts operation type when it is created, and its sales,
        purchase and miscellaneous journals come with its chart of accounts."""
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        Rule = self.env["after_sales.sla.rule"].sudo()
        Standard = self.env["after_sales.fee.standard"].sudo()
        for company in self:
            source = main if main and main != company else self.browse()
            if not Rule.search_count([("company_id", "=", company.id)]):
                for rule in Rule.search([("company_id", "=", source.id)]):
                    rule.copy({"company_id": company.id})
            company._after_sales_copy_complaint_rules(source)
            if not Standard.search_count([("company_id", "=", company.id)]):
                model = Standard.search([("company_id", "=", source.id)], limit=1)
                if model and model.currency_id == company.currency_id:
                    model.copy({"company_id": company.id})
                else:
                    Standard.create({"company_id": company.id})
        return True

    @api.multi
    def _after_sales_calendar(self):
        """The working-time calendar of after-sales time limits, in the company's time zone."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            raise UserError(_("Set a working time calendar on company %s first.") % self.name)
        tz = self.partner_id.tz or self.env.user.tz or "UTC"
        return calendar.with_context(tz=tz)

    @api.multi
    def _after_sales_work_intervals(self, start, until=None):
        """The working intervals (naive UTC (begin, end) pairs, in order, leaves excluded) of
        the company calendar from `start` on, cut at `start` on its first day; up to the day
        of `until` when given, else without end (bounded to about 20 years of working days).
        The intervals are those of Odoo's _get_day_work_intervals (the calendar's attendances
        and its leaves, in its time zone), from the attendances read once and the leaves
        once per call (see _WorkingTime), instead of Odoo's reads and its leave search per
        day."""
        calendar = self._after_sales_calendar()
        working = _WorkingTime(calendar, start, until)
        local_start = working.to_local(start)
        last_day = working.to_local(until).date() if until else None
        day, start_time = local_start.date(), local_start.time()
        if not working.weekdays:
            return
        for _i in range(MAX_PLANNED_DAYS):
            if last_day and day > last_day:
                return
            for begin, end in sorted(working.day_intervals(day, start_time), key=lambda i: i[0]):
                begin = max(begin, start)
                if end > begin:
                    yield begin, end
            day, start_time = working.next_work_day(day), None

    @api.multi
    def after_sales_plan_deadline(self, start, amount, unit="hours"):
        """The moment `amount` working hours or working days after `start` (leaves excluded).

        A deadline reached exactly at the end of a working period is that end (Friday 17:00
        + 1 day is Monday 17:00), not the start of the next period: Odoo 11's plan_hours goes
        on to the next interval (or day) while the hours left are zero and answers its start.

        :param start: datetime or Odoo datetime string (UTC)
        :param unit: 'hours' or 'days' (working time), or 'clock_hours' (on the clock)
        :return: naive UTC datetime
        """
        return self.after_sales_plan_deadlines(start, [(amount, unit)])[0]

    @api.multi
    def after_sales_plan_deadlines(self, start, amounts):
        """after_sales_plan_deadline for several (amount, unit) at once, in one walk of the
        calendar (a request's response, resolution and at-risk moments): the deadlines in the
        order of `amounts`."""
        self.ensure_one()
        start = fields.Datetime.from_string(start) if isinstance(start, str) else start
        # a working day is 8 working hours (as in Odoo 11's leaves): 2 days after Monday 10:00
        # in a 8-12/13-17 week is Wednesday 10:00
        wanted = [timedelta(seconds=round((amount * HOURS_PER_DAY if unit == "days" else amount)
                                          * 3600.0)) for amount, unit in amounts]
        # a calendar without working time plans nothing: the deadline is the start
        deadlines = [start if remaining <= timedelta(0) else None for remaining in wanted]
        # clock hours (a 24 h commitment to the customer) run day and night, weekends and
        # holidays included: no calendar
        for index, (_amount, unit) in enumerate(amounts):
            if unit == "clock_hours" and deadlines[index] is None:
                deadlines[index] = start + wanted[index]
        pending = [index for index, deadline in enumerate(deadlines) if deadline is None]
        if pending:
            planned = plan_working_time([wanted[index] for index in pending],
                                        self._after_sales_work_intervals(start))
            for index, deadline in zip(pending, planned):
                deadlines[index] = deadline
        return [start if deadline is None else deadline for deadline in deadlines]

    @api.multi
    def after_sales_working_hours(self, start, end):
        """Working hours between two datetimes (UTC), leaves excluded: the measure of the
        intervals after_sales_plan_deadline plans in, so that the hours from a start to its
        deadline are the hours planned."""
        self.ensure_one()
        start = fields.Datetime.from_string(start) if isinstance(start, str) else start
        end = fields.Datetime.from_string(end) if isinstance(end, str) else end
        if not start or not end or end <= start:
            return 0.0
        worked = timedelta(0)
        for begin, finish in self._after_sales_work_intervals(start, until=end):
            if begin >= end:
                break
            worked += min(finish, end) - begin
        return worked.total_seconds() / 3600.0

    def _after_sales_warranty_journal(self):
        self.ensure_one()
        journal = self.after_sales_warranty_journal_id or self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.id)], limit=1)
        if not journal:
            raise UserError(_("Set the warranty cost journal of company %s.") % self.name)
        return journal

    @api.multi
    def after_sales_warranty_credit_account(self, product):
        """The account a part given in warranty leaves at its cost (outbound orders, depot
        repairs): the stock output (interim) account when Odoo values the product in real
        time (it already debited it against the stock valuation), otherwise the product's
        expense account where its purchase was booked."""
        self.ensure_one()
        accounts = product.product_tmpl_id.with_context(
            force_company=self.id).get_product_accounts()
        account = (accounts.get("stock_output") if product.valuation == "real_time"
                   else accounts.get("expense"))
        if not account:
            raise UserError(_("Set the expense and stock output accounts of product %s (or its "
                              "category).") % product.display_name)
        return account

    @api.multi
    def after_sales_visit_datetime(self, day, hour=9):
        """The moment (UTC string) `hour` o'clock on `day` in the company's time zone: when
        visits planned for a day start."""
        self.ensure_one()
        day = fields.Date.from_string(day) if isinstance(day, str) else day
        tz = pytz.timezone(self.partner_id.tz or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time(hour, 0)))
        return fields.Datetime.to_string(local.astimezone(pytz.UTC).replace(tzinfo=None))

    # complaints: the management representative (管理者代表) serious complaints are reported
    # to, and the company's own copy of the complaint time limits
    after_sales_management_rep_id = fields.Many2one(
        "res.users", "Management Representative",
        help="Serious complaints are reported to this user (a to-do activity) when quality "
             "assesses them (002-P §6.1).")

    @api.multi
    def _after_sales_copy_complaint_rules(self, source):
        """A company without complaint rules gets a copy of those of `source`."""
        Rule = self.env["after_sales.complaint.rule"].sudo().with_context(active_test=False)
        for company in self:
            if source and not Rule.search_count([("company_id", "=", company.id)]):
                for rule in Rule.search([("company_id", "=", source.id)]):
                    rule.copy({"company_id": company.id, "name": rule.name})
        return True

    # ------------------------------------------------------------------ trips and claims
    # (001-4 第三节-第五节)
    after_sales_trip_distance = fields.Float(
        "Trip Distance (km)", default=50.0,
        help="A visit at least this far away is a business trip (出差), as is one planned "
             "for a working day or more (0: only the duration counts).")
    after_sales_expense_claim_weekday = fields.Selection(
        WEEKDAYS, "Expense Claim Day", default="1", required=True,
        help="The weekday expense claims are handed to the manager (每周周二): a claim "
             "submitted on another day waits for the next claim day.")
    after_sales_expense_finance_weekday = fields.Selection(
        WEEKDAYS, "Finance Day", default="2", required=True,
        help="The weekday finance processes the claims registered on the claim day (周三).")

    @api.multi
    def after_sales_next_working_day_end(self, moment):
        """The end of the first working day after the local day of `moment` (naive UTC):
        planned from the next local midnight, one working day (after_sales_plan_deadlines)."""
        self.ensure_one()
        tz = pytz.timezone(self.partner_id.tz or self.env.user.tz or "UTC")
        local = pytz.utc.localize(moment).astimezone(tz)
        midnight = tz.localize(datetime.combine(local.date() + timedelta(days=1), time.min))
        start = midnight.astimezone(pytz.utc).replace(tzinfo=None)
        return self.after_sales_plan_deadlines(start, [(1, "days")])[0]

    @api.model
    def after_sales_next_weekday(self, day, weekday):
        """The first date on or after `day` (a date or string) falling on `weekday` ("0" is
        Monday)."""
        day = fields.Date.from_string(day) if isinstance(day, str) else day
        return day + timedelta(days=(int(weekday) - day.weekday()) % 7)

    # surveys and quality's audit (issue 19)
    after_sales_survey_low_score = fields.Float(
        "Low Survey Score", default=3.0,
        help="A survey answered with an average rating (1 to 5) below this opens its "
             "follow-up: a service request or a corrective action.")
    after_sales_survey_link_days = fields.Integer(
        "Survey Link Valid (days)", default=30,
        help="The customer's link to a satisfaction survey works this many days, and once.")
    after_sales_audit_share = fields.Float(
        "Audit Sample (%)", default=10.0,
        help="Quality's monthly audit checks this share of the visits completed and of the "
             "requests resolved in the month (at least one of each when there are any).")


class _WorkingTime(object):
    """A calendar's working time as Odoo 11's resource.calendar plans it (_get_weekdays,
    _get_next_work_day, _get_day_work_intervals with its leaves, in the time zone of the
    calendar's context), from its attendances read once and its leaves (the whole
    calendar's, not a resource's) read once from a few days before `start` (up to a few days
    after `until` when given): two queries for a whole plan instead of four reads and a
    leave search per day planned."""

    MARGIN = timedelta(days=3)  # wider than any time zone offset and Odoo's own day margin

    def __init__(self, calendar, start, until=None):
        self.calendar = calendar
        tz_name = calendar._context.get("tz") or calendar.env.user.tz
        self.tz = pytz.timezone(tz_name) if tz_name else pytz.UTC
        cr = calendar.env.cr
        cr.execute("""
            SELECT dayofweek, hour_from, hour_to, date_from, date_to
              FROM resource_calendar_attendance
             WHERE calendar_id = %s
             ORDER BY dayofweek, hour_from
        """, (calendar.id,))
        self.attendances = [
            (int(dayofweek), hour_from, hour_to,
             date_from and fields.Date.from_string(date_from),
             date_to and fields.Date.from_string(date_to))
            for dayofweek, hour_from, hour_to, date_from, date_to in cr.fetchall()]
        self.weekdays = sorted({attendance[0] for attendance in self.attendances})
        query = """
            SELECT date_from, date_to, tz FROM resource_calendar_leaves
             WHERE calendar_id = %s AND resource_id IS NULL AND date_to > %s"""
        params = [calendar.id, fields.Datetime.to_string(start - self.MARGIN)]
        if until:
            query += " AND date_from < %s"
            params.append(fields.Datetime.to_string(until + self.MARGIN))
        cr.execute(query, params)
        # each leave in its own time zone (Odoo's _get_leave_intervals)
        self.leaves = [(to_tz(fields.Datetime.from_string(date_from), tz),
                        to_tz(fields.Datetime.from_string(date_to), tz))
                       for date_from, date_to, tz in cr.fetchall()]

    def to_local(self, moment):
        return pytz.UTC.localize(moment.replace(tzinfo=None), is_dst=False).astimezone(
            self.tz).replace(tzinfo=None)

    def to_utc(self, moment):
        return self.tz.localize(moment.replace(tzinfo=None), is_dst=False).astimezone(
            pytz.UTC).replace(tzinfo=None)

    def next_work_day(self, day):
        """Odoo's _get_next_work_day."""
        weekday = next((item for item in self.weekdays if item > day.weekday()),
                       self.weekdays[0])
        days = weekday - day.weekday()
        return day + timedelta(days=days + 7 if days < 0 else days)

    def day_intervals(self, day, start_time=None):
        """Odoo's _get_day_work_intervals(day, start_time, compute_leaves=True): naive UTC
        (begin, end) pairs, in the order of the attendances."""
        start_time = start_time or time.min
        day_start, day_end = datetime.combine(day, start_time), datetime.combine(day, time.max)
        intervals = []
        for weekday, hour_from, hour_to, date_from, date_to in self.attendances:
            if weekday != day.weekday() or (date_from and date_from > day) \
                    or (date_to and date_to < day):
                continue
            if start_time and float_to_time(hour_to) < start_time:
                continue
            intervals.append((datetime.combine(day, max(float_to_time(hour_from), start_time)),
                              datetime.combine(day, min(float_to_time(hour_to), time.max))))
        leaves = [leave for leave in self.leaves
                  if leave[1] >= day_start and leave[0] <= day_end]
        if leaves:
            calendar = self.calendar
            leaves = [calendar._interval_new(begin, end) for begin, end in leaves]
            intervals = [part[:2] for interval in intervals
                         for part in calendar._interval_remove_leaves(
                             calendar._interval_new(*interval), leaves)]
        return [(self.to_utc(begin), self.to_utc(end)) for begin, end in intervals]
