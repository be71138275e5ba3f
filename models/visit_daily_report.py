# -*- coding: utf-8 -*-
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .document_mixin import LINE_LENGTH, TEXT_LENGTH, is_action_write

GROUP_USER = "after_sales_service.group_user"


class VisitDailyReport(models.Model):
    """The technician's report of a day of a trip (外出时需每天向部门经理汇报一次工作情况,
    001-4 第三节7): where he was, what he did, what comes next; written from his phone."""

    _name = "after_sales.visit.daily.report"
    _inherit = ["after_sales.document.line"]
    _description = "Trip Daily Report"
    _header_field = "visit_id"
    _editable_states = ("approved", "in_progress", "done")
    _order = "date desc, id desc"

    visit_id = fields.Many2one("after_sales.visit", required=True, index=True,
                               ondelete="cascade")
    company_id = fields.Many2one(related="visit_id.company_id", store=True, readonly=True)
    user_id = fields.Many2one("res.users", "Technician", required=True, index=True,
                              default=lambda self: self.env.user)
    date = fields.Date(required=True, default=fields.Date.context_today)
    place = fields.Char(required=True)
    work_done = fields.Text(required=True)
    next_step = fields.Text()

    _sql_constraints = [
        ("day_uniq", "unique (visit_id, user_id, date)",
         "A technician reports once a day per trip: complete that day's report instead."),
    ]

    @api.model
    def create(self, vals):
        self._check_reporter(self.env["after_sales.visit"].browse(vals.get("visit_id")),
                             self.env["res.users"].browse(vals.get("user_id") or self.env.uid))
        return super(VisitDailyReport, self).create(vals)

    @api.multi
    def write(self, vals):
        for report in self:
            self._check_reporter(report.visit_id, report.user_id)
            if "user_id" in vals or "visit_id" in vals:
                self._check_reporter(
                    self.env["after_sales.visit"].browse(vals.get("visit_id"))
                    or report.visit_id,
                    self.env["res.users"].browse(vals.get("user_id")) or report.user_id)
        return super(VisitDailyReport, self).write(vals)

    @api.model
    def _check_reporter(self, visit, reporter):
        """A technician reports his own days on his visits; the department may record a
        report phoned in by one of the visit's technicians."""
        if is_action_write(self.env):
            return True
        if reporter not in visit.sudo().technician_ids:
            raise AccessError(_("%(user)s is not a technician of %(visit)s: only its "
                                "technicians report on it.")
                              % {"user": reporter.sudo().name, "visit": visit.sudo().name})
        if reporter != self.env.user and not self.env.user.has_group(GROUP_USER):
            raise AccessError(_("A technician writes only his own daily reports."))
        return True

    @api.constrains("date", "place", "work_done", "next_step")
    def _check_input(self):
        latest = fields.Date.to_string(fields.Date.from_string(
            fields.Date.context_today(self)) + timedelta(days=1))
        for report in self:
            if report.date > latest:
                raise ValidationError(_("The date of a daily report can't be in the future."))
            if not (report.place or "").strip() or not (report.work_done or "").strip():
                raise ValidationError(_("A daily report needs the place and the work done."))
            if len(report.place or "") > LINE_LENGTH or \
                    len(report.work_done or "") > TEXT_LENGTH or \
                    len(report.next_step or "") > TEXT_LENGTH:
                raise ValidationError(_("A daily report's place or texts are too long."))
