# -*- coding: utf-8 -*-
"""Background jobs (OCA queue_job): the big statistics exports and the chunked scheduled passes.

Without a job runner in the server (the tests: queue_job is not a server-wide module here) the
work is done at once, as the other test files check; these tests ask for jobs with the context
key `after_sales_jobs="delay"` (or the system parameter), then run each job as the runner's
/queue_job/runjob does: loaded from its queue.job record, performed as its user."""
import base64
import io
import shutil
import tempfile
from datetime import datetime, timedelta

import openpyxl

from odoo import fields, tools
from odoo.exceptions import AccessError
from odoo.addons.queue_job.job import Job

from .common import AfterSalesCase
from .test_visit import SIGNATURE

CHUNK = 2  # records per job in these tests (system parameter)
MARCH = ("2019-03-01", "2019-03-31")
YEAR = ("2019-01-01", "2019-12-31")


class JobsCase(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(JobsCase, cls).setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("after_sales_service.job_chunk_size",
                                                        str(CHUNK))

    def _jobs(self, method_name):
        return self.env["queue.job"].search([("method_name", "=", method_name)], order="id")

    def _run(self, jobs):
        """Run the jobs as the job runner does: each loaded from its record and performed as
        the user who enqueued it, then marked done."""
        for record in jobs:
            job_ = Job.load(record.env, record.uuid)
            job_.set_started()
            job_.store()
            job_.perform()
            job_.set_done()
            job_.store()
        self.env["res.users"].invalidate_cache()  # every model's cache


class TestStatisticsExportJob(JobsCase):

    @classmethod
    def setUpClass(cls):
        super(TestStatisticsExportJob, cls).setUpClass()
        cls.company.write({"after_sales_export_queue_days": 92,
                           "after_sales_export_queue_rows": 2})
        cls.company_b = cls._create_second_company()
        cls.Export = cls.env["after_sales.statistics.export"]
        cls.requests = cls.env["after_sales.request"]
        for day in ("2019-03-04 09:00:00", "2019-03-11 09:00:00", "2019-03-18 09:00:00"):
            cls.requests |= cls.requests.sudo(cls.user_as).create({
                "partner_id": cls.customer.id, "channel": "hotline", "category": "repair",
                "product_id": cls.product.id, "description": "不加热", "date_received": day})

    def _wizard(self, period=MARCH, user=None, delay=True):
        wizards = self.env["after_sales.statistics"].sudo(user or self.user_as)
        return wizards.with_context(after_sales_jobs="delay" if delay else None).create({
            "date_from": period[0], "date_to": period[1], "company_id": self.company.id})

    def _queue(self, period=MARCH, report="action_export_xlsx", user=None, lang=None):
        """Ask for a big export: the export record and its job."""
        wizard = self._wizard(period, user)
        if lang:
            wizard = wizard.with_context(lang=lang)
        action = getattr(wizard, report)()
        self.assertEqual((action["type"], action["res_model"]),
                         ("ir.actions.act_window", "after_sales.statistics.export"))
        export = self.Export.browse(action["res_id"])
        return export, self.env["queue.job"].search([("uuid", "=", export.job_uuid)])

    def test_small_period_downloads_at_once(self):
        # three requests in March, limit 3: at once, as before
        self.company.after_sales_export_queue_rows = 3
        for method, report in (("action_export_xlsx", "after_sales_service.statistics_xlsx"),
                               ("action_print_pdf",
                                "after_sales_service.statistics_report_document")):
            action = getattr(self._wizard(), method)()
            self.assertEqual((action["type"], action["report_name"]),
                             ("ir.actions.report", report))
        self.assertFalse(self.Export.search([]))
        self.assertFalse(self._jobs("_job_render"))
        # more requests than the limit, or a period longer than 92 days: in the background
        self.company.after_sales_export_queue_rows = 2
        self.assertEqual(self._wizard().action_export_xlsx()["type"], "ir.actions.act_window")
        self.company.after_sales_export_queue_rows = 0  # no limit by size
        self.assertEqual(self._wizard().action_export_xlsx()["type"], "ir.actions.report")
        self.assertEqual(self._wizard(YEAR).action_export_xlsx()["type"],
                         "ir.actions.act_window")
        # without a job runner (tests, developer server) a big period downloads at once too
        inline = self._wizard(YEAR, delay=False)
        self.assertFalse(self.Export._after_sales_jobs_delayed())
        self.assertEqual(inline.action_export_xlsx()["type"], "ir.actions.report")
        self.assertEqual(len(self._jobs("_job_render")), 2)

    def test_big_workbook_is_a_job_delivered_as_a_file(self):
        export, job = self._queue()
        self.assertEqual((export.state, export.user_id, export.company_id, export.report_format,
                          export.date_from, export.date_to), (
            "queued", self.user_as, self.company, "xlsx", MARCH[0], MARCH[1]))
        self.assertFalse(export.attachment_id)
        self.assertEqual(len(job), 1)
        self.assertEqual(
            (job.model_name, job.method_name, job.record_ids, list(job.args), job.channel,
             job.user_id, job.company_id, job.state),
            ("after_sales.statistics.export", "_job_render", [export.id], [],
             "root.after_sales.exports", self.user_as, self.company, "pending"))
        # the job renders the workbook as the requester and keeps it on the export
        self._run(job)
        self.assertEqual(export.state, "done")
        attachment = export.attachment_id
        self.assertEqual((attachment.res_model, attachment.res_id), (export._name, export.id))
        self.assertEqual(attachment.datas_fname, export.name + ".xlsx")
        content = base64.b64decode(export.sudo(self.user_as).file)
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames[0], "By Category")
        self.assertEqual(book["By Category"]["A1"].value,
                         "After-Sales Service Department Repair Statistics - Requests by Category")
        detail = book["Requests (Detail)"]
        self.assertEqual(detail["A1"].value, "Number")
        self.assertEqual(sorted(detail.cell(row=row, column=1).value for row in range(2, 5)),
                         sorted(self.requests.mapped("name")))
        self.assertEqual(detail["A5"].value, "Total: 3 requests")
        # the requester is notified with the download link
        link = "/web/content/%d?download=true" % attachment.id
        messages = export.message_ids.filtered(lambda m: link in (m.body or ""))
        self.assertEqual(len(messages), 1)
        self.assertIn("is ready", messages.body)
        self.assertEqual(messages.partner_ids, self.user_as.partner_id)
        self.assertTrue(self.env["mail.notification"].search([
            ("mail_message_id", "=", messages.id),
            ("res_partner_id", "=", self.user_as.partner_id.id)]))
        # run again (a retried job): nothing made twice
        self._run(job)
        self.assertEqual(self.env["ir.attachment"].search_count([
            ("res_model", "=", export._name), ("res_id", "=", export.id)]), 1)
        self.assertEqual(len(export.message_ids.filtered(lambda m: link in (m.body or ""))), 1)

    def test_year_pdf_is_a_job(self):
        # Odoo renders HTML instead of PDF under --test-enable unless reports are kept in a
        # directory: keep them in one, so that wkhtmltopdf runs as in production
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        previous = tools.config["test_report_directory"]
        tools.config["test_report_directory"] = directory
        self.addCleanup(tools.config.__setitem__, "test_report_directory", previous)
        export, job = self._queue(YEAR, "action_print_pdf")
        self.assertEqual((export.report_format, job.channel),
                         ("pdf", "root.after_sales.exports"))
        self._run(job)
        self.assertEqual(export.state, "done")
        self.assertEqual(export.attachment_id.mimetype, "application/pdf")
        pdf = base64.b64decode(export.attachment_id.datas)
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:100])
        text = self.pdf_text(pdf)
        self.assertIn("2019-01-01", text)
        self.assertIn("Requests by Category", text)

    def test_job_in_the_requester_language(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        self.user_as.lang = "zh_CN"
        export, job = self._queue(lang="zh_CN")
        self.assertEqual(export.lang, "zh_CN")
        self.assertTrue(export.name.startswith("售后服务部维修统计表"))
        self._run(job.with_context(lang="en_US"))  # the runner's own language does not count
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.attachment_id.datas)))
        self.assertEqual(book.sheetnames[0], "按类别")
        self.assertEqual(book["服务请求明细"]["A1"].value, "编号")

    def test_export_is_the_requester_and_their_company(self):
        export, job = self._queue()
        self._run(job)
        attachment = export.attachment_id
        # another company's users, even its manager, and a colleague see neither the export
        # nor its file; the requester and their company's manager do
        for user in (self.b_as_user, self.b_manager, self.user_quality):
            self.assertFalse(self.Export.sudo(user).search([("id", "=", export.id)]))
            with self.assertRaises(AccessError):
                export.sudo(user).read(["name"])
            with self.assertRaises(AccessError):
                attachment.sudo(user).read(["datas"])
            self.assertFalse(self.env["ir.attachment"].sudo(user).search(
                [("id", "=", attachment.id)]))
        for user in (self.user_as, self.user_manager):
            self.assertEqual(export.sudo(user).read(["name"])[0]["name"], export.name)
            self.assertTrue(attachment.sudo(user).read(["datas"])[0]["datas"])
        # nobody creates or changes an export directly
        with self.assertRaises(AccessError):
            self.Export.sudo(self.user_as).create({
                "name": "x", "user_id": self.user_as.id, "company_id": self.company_b.id,
                "date_from": MARCH[0], "date_to": MARCH[1], "report_format": "xlsx",
                "wizard_values": "{}"})
        with self.assertRaises(AccessError):
            export.sudo(self.user_as).write({"state": "queued"})

    def test_job_runs_with_the_requester_rights(self):
        # the requester works for both companies; by the time the job runs, B is their
        # current company: A's statistics are not made (no superuser rights lent)
        self.user_as.write({"company_ids": [(4, self.company_b.id)]})
        export, job = self._queue()
        self.user_as.write({"company_id": self.company_b.id})
        self._run(job)
        self.assertEqual(export.state, "failed")
        self.assertFalse(export.attachment_id)
        self.assertIn("your companies", export.error)
        message = export.message_ids.filtered(lambda m: "could not be made" in (m.body or ""))
        self.assertEqual(message.partner_ids, self.user_as.partner_id)


class TestChunkedCrons(JobsCase):
    """Each pass enqueues ceil(n / K) jobs on its channel for n candidates; the jobs make what
    the pass made at once, and a job run twice makes nothing twice."""

    def _assert_chunks(self, jobs, channel, ids, records=False):
        self.assertEqual(len(jobs), -(-len(ids) // CHUNK))
        self.assertEqual(set(jobs.mapped("channel")), {channel})
        self.assertEqual(set(jobs.mapped("state")), {"pending"})
        chunks = [job.record_ids if records else job.args[0] for job in jobs]
        self.assertTrue(all(len(chunk) <= CHUNK for chunk in chunks))
        self.assertEqual(sorted(i for chunk in chunks for i in chunk), sorted(ids))

    # ------------------------------------------------------------------ callbacks

    def _done_visit(self):
        request = self.env["after_sales.request"].create({
            "partner_id": self.customer.id, "category": "repair", "description": "x",
            "user_id": self.user_as.id, "product_id": self.product.id,
            "date_delivered": fields.Date.context_today(self.customer)})
        request.action_start()
        visit = self.env["after_sales.visit"].create({
            "request_id": request.id, "partner_id": self.customer.id, "purpose": "repair",
            "date_planned": "2026-11-20 09:00:00", "appointment_confirmed": True,
            "product_ids": [(6, 0, self.product.ids)],
            "technician_ids": [(6, 0, self.user_technician.ids)]})
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()
        visit.action_start()
        visit.write({"date_arrival": "2026-11-20 09:00:00",
                     "date_departure": "2026-11-20 11:00:00", "arrival_confirmed": True,
                     "fault_found": "a", "handling": "b", "customer_signer": "王工",
                     "customer_signature": SIGNATURE})
        visit.action_done()
        return visit

    def test_callbacks_in_chunks(self):
        Callback = self.env["after_sales.callback"]
        Callback._cron_generate()  # at once: whatever the demo data left due
        visits = self._done_visit() | self._done_visit() | self._done_visit()
        made = Callback.search([("visit_id", "in", visits.ids)])
        expected = sorted((c.visit_id.id, c.type_id.id, c.date_due, c.user_id.id) for c in made)
        made.unlink()  # as if the visits had been completed without their callback
        key_customers = self.env["res.partner"]
        for index in range(5):
            key_customers |= self.env["res.partner"].create({
                "name": "重点客户 %d" % index, "after_sales_key_customer": True})
        Callback.with_context(after_sales_jobs="delay")._cron_generate()
        self.assertFalse(Callback.search(["|", ("visit_id", "in", visits.ids),
                                          ("partner_id", "in", key_customers.ids)]))
        visit_jobs = self._jobs("_job_visit_callbacks")
        key_jobs = self._jobs("_job_key_customer_callbacks")
        self._assert_chunks(visit_jobs, "root.after_sales.callbacks", visits.ids)
        self._assert_chunks(key_jobs, "root.after_sales.callbacks", key_customers.ids)
        year = fields.Date.context_today(Callback)[:4]
        self.assertEqual({job.args[1] for job in key_jobs}, {year})
        self.assertFalse(self._jobs("_job_usage_callbacks"))
        self.assertEqual(set((visit_jobs | key_jobs).mapped("user_id")), {self.env.user})
        # the jobs make the callbacks the pass made at once; twice, nothing twice
        for _run in range(2):
            self._run(visit_jobs | key_jobs)
            made = Callback.search([("visit_id", "in", visits.ids)])
            self.assertEqual(sorted((c.visit_id.id, c.type_id.id, c.date_due, c.user_id.id)
                                    for c in made), expected)
            keys = Callback.search([("partner_id", "in", key_customers.ids)])
            self.assertEqual(sorted(keys.mapped("trigger")), sorted(
                "key:%s:%s" % (partner.id, year) for partner in key_customers))
        # nothing left: the next pass enqueues nothing
        Callback.with_context(after_sales_jobs="delay")._cron_generate()
        self.assertEqual(len(self._jobs("_job_visit_callbacks")), len(visit_jobs))
        self.assertEqual(len(self._jobs("_job_key_customer_callbacks")), len(key_jobs))

    def test_pending_chunk_not_enqueued_twice(self):
        self.env["after_sales.callback"]._cron_generate()
        self.env["res.partner"].create({"name": "重点客户", "after_sales_key_customer": True})
        for _pass in range(2):
            self.env["after_sales.callback"].with_context(
                after_sales_jobs="delay")._cron_generate()
        self.assertEqual(len(self._jobs("_job_key_customer_callbacks")), 1)

    # ------------------------------------------------------------------ escalation

    def _late_request(self):
        return self.env["after_sales.request"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "channel": "hotline", "category": "repair",
            "product_id": self.product.id, "description": "不加热",
            "date_received": fields.Datetime.to_string(datetime.now() - timedelta(days=30))})

    def test_escalation_in_chunks(self):
        Request = self.env["after_sales.request"]
        Request._cron_update_time_limits()  # at once: the demo data's late requests
        late = self._late_request() | self._late_request() | self._late_request()
        # the system parameter asks for jobs as a job runner would
        self.env["ir.config_parameter"].sudo().set_param("after_sales_service.jobs", "delay")
        Request._cron_update_time_limits()
        self.assertEqual(late.mapped("is_late"), [True] * 3)  # the flags: in the pass itself
        self.assertFalse(any(late.mapped("escalated")))
        jobs = self._jobs("_job_escalate")
        self._assert_chunks(jobs, "root.after_sales.escalation", late.ids, records=True)
        # resolved before its job runs: the job checks again and leaves it
        resolved = late[2]
        resolved.write({"fault_found": "x", "method_used": "y"})
        resolved.action_start()
        resolved.action_resolve()
        activity_type = self.env.ref("after_sales_service.mail_activity_type_escalation")

        def escalations():
            return self.env["mail.activity"].search([
                ("res_model", "=", "after_sales.request"), ("res_id", "in", late.ids),
                ("activity_type_id", "=", activity_type.id)])
        for _run in range(2):
            self._run(jobs)
            self.assertEqual(late.mapped("escalated"), [True, True, False])
            self.assertEqual(sorted(escalations().mapped("res_id")), late[:2].ids)
            self.assertEqual(len(late[0].message_ids.filtered(
                lambda m: "escalated to" in (m.body or ""))), 1)
        Request._cron_update_time_limits()
        self.assertEqual(len(self._jobs("_job_escalate")), len(jobs))

    # ------------------------------------------------------------------ contracts

    def _contract(self, index):
        lot = self.env["stock.production.lot"].create({"name": "EH60-J-%d" % index,
                                                       "product_id": self.product.id})
        card = self.env["after_sales.warranty.card"].create({
            "partner_id": self.customer.id, "product_id": self.product.id, "lot_id": lot.id,
            "date_delivered": "2026-01-10", "after_sales_warranty_months": 24})
        contract = self.env["after_sales.contract"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "contract_type": "maintenance",
            "date_start": "2027-01-01", "date_end": "2027-12-31",
            "first_visit_date": "2027-01-15", "visit_frequency": "quarterly",
            "fee_amount": 4000.0, "invoicing_policy": "quarterly",
            "technician_ids": [(6, 0, self.user_technician.ids)],
            "line_ids": [(0, 0, {"warranty_card_id": card.id})]})
        contract.action_confirm()
        return contract

    def test_contract_visits_in_chunks(self):
        Contract = self.env["after_sales.contract"]
        Visit = self.env["after_sales.visit"]
        self.company.after_sales_contract_lead_days = 14
        Contract._cron_daily(today="2027-01-01")  # at once: the demo contracts
        contracts = self._contract(1) | self._contract(2) | self._contract(3)
        Contract.with_context(after_sales_jobs="delay")._cron_daily(today="2027-01-01")
        self.assertFalse(Visit.search([("contract_id", "in", contracts.ids)]))
        jobs = self._jobs("_job_schedule_visits")
        self._assert_chunks(jobs, "root.after_sales.contracts", contracts.ids, records=True)
        self.assertEqual({tuple(job.args) for job in jobs}, {("2027-01-01",)})
        for _run in range(2):
            self._run(jobs)
            visits = Visit.search([("contract_id", "in", contracts.ids)])
            self.assertEqual(sorted((v.contract_id.id, v.contract_visit_date, v.state)
                                    for v in visits),
                             [(c.id, "2027-01-15", "to_approve") for c in contracts])
            self.assertEqual(set(contracts.mapped("next_visit_date")), {"2027-04-15"})
        Contract.with_context(after_sales_jobs="delay")._cron_daily(today="2027-01-01")
        self.assertEqual(len(self._jobs("_job_schedule_visits")), len(jobs))
