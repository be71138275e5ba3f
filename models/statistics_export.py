# -*- coding: utf-8 -*-
import base64
import json

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape
from odoo.addons.queue_job.job import job

FORMATS = [("xlsx", "Excel"), ("pdf", "PDF")]
REPORTS = {"xlsx": "after_sales_service.statistics_xlsx_report",
           "pdf": "after_sales_service.statistics_pdf_report"}
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "pdf": "application/pdf"}
STATES = [("queued", "Queued"), ("done", "Ready"), ("failed", "Failed")]


class StatisticsExport(models.Model):
    """A service statistics workbook or PDF made in the background (a queue_job job on the
    channel root.after_sales.exports) because its period is long or holds many requests.

    The statistics wizard records what was asked (its values, the requester, their language)
    and enqueues `_job_render`; the job runs as the requester (queue_job runs a job as the
    user who enqueued it), in their language, renders the report as the wizard would and
    keeps it as an attachment of this record, then notifies the requester with the download
    link. The export and its file are the requester's (after-sales managers see those of
    their company); users of another company see neither."""

    _name = "after_sales.statistics.export"
    _description = "Statistics Export"
    _inherit = ["mail.thread", "after_sales.job.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", "Requested By", required=True, readonly=True,
                              index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    team_id = fields.Many2one("after_sales.team", readonly=True)
    date_from = fields.Date("From", required=True, readonly=True)
    date_to = fields.Date("To", required=True, readonly=True)
    report_format = fields.Selection(FORMATS, "Format", required=True, readonly=True)
    lang = fields.Char("Language", readonly=True,
                       help="The requester's language when asked: the job writes in it.")
    wizard_values = fields.Text(readonly=True, help="The statistics asked for (JSON).")
    state = fields.Selection(STATES, "Status", default="queued", required=True, readonly=True,
                             index=True)
    job_uuid = fields.Char("Job", readonly=True, copy=False)
    attachment_id = fields.Many2one("ir.attachment", readonly=True, copy=False)
    file = fields.Binary(related="attachment_id.datas", readonly=True)
    file_name = fields.Char(related="attachment_id.datas_fname", readonly=True)
    date_done = fields.Datetime("Made On", readonly=True, copy=False)
    error = fields.Text(readonly=True, copy=False)

    # ------------------------------------------------------------------ request

    @api.model
    def _queue_for(self, wizard, report_format):
        """Record the export the statistics `wizard` asks for and enqueue its job as the
        current user; return the action showing the export."""
        wizard.ensure_one()
        wizard._check_access()
        export = self.sudo().with_context(mail_create_nolog=True,
                                          mail_create_nosubscribe=True).create(
            self._prepare_export_vals(wizard, report_format))
        job_ = export.with_env(self.env).with_delay()._job_render()
        export.job_uuid = job_.uuid
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": export.id,
            "view_mode": "form", "target": "current", "name": _("Statistics Export"),
        }

    @api.model
    def _prepare_export_vals(self, wizard, report_format):
        return {
            "name": "%s %s - %s" % (wizard._report_title(), wizard.date_from, wizard.date_to),
            "user_id": self.env.uid, "company_id": wizard.company_id.id,
            "team_id": wizard.team_id.id, "date_from": wizard.date_from,
            "date_to": wizard.date_to, "report_format": report_format,
            "lang": self.env.lang or self.env.user.lang,
            "wizard_values": json.dumps(wizard._export_wizard_values(), sort_keys=True),
        }

    # ------------------------------------------------------------------ job

    @api.multi
    @job(default_channel="root.after_sales.exports")
    def _job_render(self):
        """Service statistics export"""
        self.ensure_one()
        # the same job asked twice at once (the runner asks again when a worker is slow to
        # answer) renders once: the second one cannot lock the export, and the runner
        # retries it (a concurrency error), to find it made
        self.env.cr.execute("SELECT id FROM after_sales_statistics_export WHERE id = %s "
                            "FOR UPDATE NOWAIT", (self.id,))
        # the export's own bookkeeping as superuser (the requester may have lost sight of it,
        # e.g. in another current company); the statistics themselves as the requester
        export = self.sudo()
        if export.state != "queued":  # made already (a job run twice): nothing to do again
            return export.state
        context = {"lang": export.lang or export.user_id.lang, "tz": export.user_id.tz}
        export = export.with_context(**context)
        try:
            with self.env.cr.savepoint():
                content = self.with_context(**context)._render(
                    export.report_format, json.loads(export.wizard_values))
        except (AccessError, UserError, ValidationError) as error:
            # what the requester may not see or ask for: told, not retried
            export._fail(getattr(error, "name", None) or str(error))
            return "failed"
        export._deliver(content)
        return "done"

    @api.model
    def _render(self, report_format, wizard_values):
        """The report, rendered as the statistics wizard renders it, with the current user's
        rights (the wizard checks their group and their companies)."""
        wizard = self.env["after_sales.statistics"].create(wizard_values)
        report = self.env.ref(REPORTS[report_format])
        if report_format == "xlsx":
            content, _type = report.render_xlsx(wizard.ids, {})
        else:
            content, _type = report.render_qweb_pdf(wizard.ids)
        return content

    @api.multi
    def _deliver(self, content):
        self.ensure_one()
        file_name = "%s.%s" % (self.name, self.report_format)
        attachment = self.env["ir.attachment"].sudo().create({
            "name": file_name, "datas_fname": file_name,
            "datas": base64.b64encode(content), "mimetype": MIMETYPES[self.report_format],
            "res_model": self._name, "res_id": self.id,
        })
        self.sudo().write({"state": "done", "attachment_id": attachment.id,
                           "date_done": fields.Datetime.now()})
        self._notify_requester("<p>%s <a href=\"/web/content/%d?download=true\">%s</a></p>" % (
            html_escape(_("Your export %s is ready:") % self.name), attachment.id,
            html_escape(file_name)))

    @api.multi
    def _fail(self, message):
        self.ensure_one()
        self.sudo().write({"state": "failed", "error": message})
        self._notify_requester("<p>%s</p>" % html_escape(
            _("Your export %(name)s could not be made: %(error)s") % {
                "name": self.name, "error": message}))

    @api.multi
    def _notify_requester(self, body):
        """A message on the export for the requester (their inbox or e-mail, as they chose),
        written in their language by the job."""
        self.sudo().message_post(body=body, partner_ids=[self.user_id.partner_id.id],
                                 subtype="mail.mt_comment")
