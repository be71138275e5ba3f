# -*- coding: utf-8 -*-
import math
import random

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .document_mixin import TEXT_LENGTH, document_action

AUDIT_STATES = [("draft", "Draft"), ("drawn", "Checking"), ("done", "Done")]
QUALITY_GROUP = "after_sales_service.group_quality"


def _month_start(day):
    day = fields.Date.from_string(day) if isinstance(day, str) else day
    return day.replace(day=1)


class QualityAudit(models.Model):
    """Quality's monthly audit (质检部定期检查, 002-D §4.4; 总公司稽查, 001-1 二.4): a sample of
    the visits completed and the requests resolved in the month, each record checked and its
    customer called by quality directly; a finding, ok / not ok and, where needed, a
    corrective action.

    The sample is drawn once: of each kind, ceil(share × candidates) records (at least one
    when there are candidates), in the order of md5(seed, kind, id): pseudo-random, and the
    same again for the same seed, which is recorded."""

    _name = "after_sales.quality.audit"
    _description = "Quality Audit"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.quality.audit"
    _order = "month desc, id desc"
    _text_limits = {"note": TEXT_LENGTH}
    _owned_fields = ("state", "date_drawn", "visit_candidates", "request_candidates",
                     "sample_share")
    _frozen_fields = {"seed": ("draft",), "month": ("draft",), "share": ("draft",)}

    month = fields.Date(required=True, index=True,
                        default=lambda self: fields.Date.to_string(
                            _month_start(fields.Date.context_today(self))
                            - relativedelta(months=1)),
                        help="The month audited (its first day): visits completed and "
                             "requests resolved in it.")
    share = fields.Float("Sample (%)", default=lambda self: self.env.user.company_id
                         .after_sales_audit_share)
    seed = fields.Integer(default=lambda self: random.SystemRandom().randint(1, 999999),
                          help="Draws the sample: the same seed draws the same sample.")
    user_id = fields.Many2one("res.users", "Auditor", default=lambda self: self.env.user,
                              track_visibility="onchange")
    state = fields.Selection(AUDIT_STATES, default="draft", required=True, readonly=True,
                             copy=False, index=True, track_visibility="onchange")
    date_drawn = fields.Datetime("Drawn On", readonly=True, copy=False)
    sample_share = fields.Float("Share Drawn (%)", readonly=True, copy=False)
    visit_candidates = fields.Integer("Visits Completed", readonly=True, copy=False)
    request_candidates = fields.Integer("Requests Resolved", readonly=True, copy=False)
    line_ids = fields.One2many("after_sales.quality.audit.line", "audit_id", "Records Checked")
    line_count = fields.Integer("Sampled", compute="_compute_counts")
    ok_count = fields.Integer("OK", compute="_compute_counts")
    not_ok_count = fields.Integer("Not OK", compute="_compute_counts")
    note = fields.Text("Conclusion")

    _sql_constraints = [
        ("month_uniq", "unique (company_id, month)", "The month already has its audit."),
        ("share_check", "CHECK (share > 0 AND share <= 100)",
         "The sample is a share of the records between 0 and 100 %."),
    ]

    @api.model
    def create(self, vals):
        if vals.get("month"):
            vals = dict(vals, month=fields.Date.to_string(_month_start(vals["month"])))
        return super(QualityAudit, self).create(vals)

    def _compute_counts(self):
        groups = self.env["after_sales.quality.audit.line"].read_group(
            [("audit_id", "in", self.ids)], ["audit_id", "result"], ["audit_id", "result"],
            lazy=False)
        counts = {}
        for group in groups:
            audit_counts = counts.setdefault(group["audit_id"][0], {})
            audit_counts[group["result"]] = group["__count"]
        for audit in self:
            audit_counts = counts.get(audit.id, {})
            audit.line_count = sum(audit_counts.values())
            audit.ok_count = audit_counts.get("ok", 0)
            audit.not_ok_count = audit_counts.get("not_ok", 0)

    # ------------------------------------------------------------------ the sample

    def _period(self):
        start = _month_start(self.month)
        return fields.Date.to_string(start), fields.Date.to_string(
            start + relativedelta(months=1))

    def _candidates(self):
        """{kind: [ids]} of the month: the company's visits completed (departure in the
        month) and requests resolved in it, each list in the seed's order."""
        start, end = self._period()
        params = {"company": self.company_id.id, "start": start, "end": end,
                  "seed": str(self.seed)}
        self.env.cr.execute("""
            SELECT v.id FROM after_sales_visit v
             WHERE v.company_id = %(company)s AND v.state IN ('done', 'verified')
               AND v.date_departure >= %(start)s AND v.date_departure < %(end)s
          ORDER BY md5(%(seed)s || ':visit:' || v.id), v.id
        """, params)
        visits = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute("""
            SELECT r.id FROM after_sales_request r
             WHERE r.company_id = %(company)s AND r.state IN ('resolved', 'closed')
               AND r.date_resolved >= %(start)s AND r.date_resolved < %(end)s
          ORDER BY md5(%(seed)s || ':request:' || r.id), r.id
        """, params)
        requests = [row[0] for row in self.env.cr.fetchall()]
        return {"visit": visits, "request": requests}

    @staticmethod
    def _sample_size(share, count):
        """ceil(share % of count), at least one when there is anything to check."""
        if not count:
            return 0
        return max(1, min(count, int(math.ceil(round(share * count / 100.0, 6)))))

    @api.multi
    @document_action
    def action_draw(self):
        """Quality draws the month's sample: one line per record to check."""
        self._check_group(QUALITY_GROUP, _("Only quality draws the audit sample."))
        for audit in self:
            if audit.state != "draft":
                raise UserError(_("The sample of %s is already drawn.") % audit.name)
            candidates = audit._candidates()
            sample = {kind: ids[:self._sample_size(audit.share, len(ids))]
                      for kind, ids in candidates.items()}
            Line = self.env["after_sales.quality.audit.line"]
            line_vals = Line._prepare_sample_vals(audit, sample["visit"], sample["request"])
            audit.write({
                "state": "drawn", "date_drawn": fields.Datetime.now(),
                "sample_share": audit.share,
                "visit_candidates": len(candidates["visit"]),
                "request_candidates": len(candidates["request"]),
                "line_ids": [(0, 0, vals) for vals in line_vals],
            })
            if audit.user_id:
                audit._schedule_activity("mail.mail_activity_data_todo", audit.user_id,
                                         _("Check the audit sample %s") % audit.name)
        return True

    @api.multi
    @document_action
    def action_done(self):
        """Every sampled record is checked: the audit is closed."""
        self._check_group(QUALITY_GROUP, _("Only quality closes an audit."))
        for audit in self:
            if audit.state != "drawn":
                raise UserError(_("Only an audit being checked can be closed."))
            todo = audit.line_ids.filtered(lambda l: not l.result)
            if todo:
                raise UserError(_("%(audit)s can't be closed: %(count)s records are not "
                                  "checked yet.") % {"audit": audit.name, "count": len(todo)})
        self.write({"state": "done"})
        self.mapped("activity_ids").action_feedback(_("Audit closed."))
        return True

    @api.model
    def _cron_monthly_audit(self):
        """On the first days of a month: each company's audit of the previous month, drawn
        with a fresh seed (recorded), for its quality users to check."""
        month = fields.Date.to_string(_month_start(fields.Date.context_today(self))
                                      - relativedelta(months=1))
        # pylint: disable-next=no-search-all  # every company gets its audit; they are few
        companies = self.env["res.company"].search([])
        existing = set(self.search([("month", "=", month)]).mapped("company_id").ids)
        audits = self.browse()
        for company in companies.filtered(lambda c: c.id not in existing):
            user = self.with_context(force_company=company.id)._company_users_of(company)
            audit = self.create({"company_id": company.id, "month": month,
                                 "share": company.after_sales_audit_share or 10.0,
                                 "user_id": user.id})
            audit.action_draw()
            audits |= audit
        return audits

    @api.model
    def _company_users_of(self, company):
        members = self.env.ref(QUALITY_GROUP).sudo().users.filtered(
            lambda u: u.active and company in u.company_ids)
        return (members.filtered(lambda u: u.company_id == company) or members)[:1]
