# -*- coding: utf-8 -*-

from dateutil.relativedelta import relativedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import AfterSalesCase


class TestCallback(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestCallback, cls).setUpClass()
        cls.Callback = cls.env["after_sales.callback"]
        cls.satisfaction = cls.env.ref("after_sales_service.callback_type_satisfaction")
        cls.usage = cls.env.ref("after_sales_service.callback_type_usage")
        cls.technician_2 = cls._create_user("as_technician_2",
                                            ["after_sales_service.group_technician"])

    def _done_visit(self, departure="2026-11-20 11:00:00", technician=None):
        """A completed visit; 2026-11-20 is a Friday."""
        visit = self._visit_at_customer(departure, technician=technician)
        visit.action_done()
        return visit

    def _answer(self, callback, **values):
        """Answer every question positively, except the ones given by question xmlid."""
        for answer in callback.answer_ids:
            xmlid = answer.question_id.get_external_id()[answer.question_id.id]
            value = values.get(xmlid.split(".")[1])
            if answer.kind == "yesno":
                default = "yes"
                answer.value_yesno = value or default
            elif answer.kind == "rating":
                answer.value_rating = value or "5"
            else:
                answer.value_text = value or "ok"

    def test_visit_on_friday_gets_one_callback_due_wednesday(self):
        visit = self._done_visit()
        callbacks = self.Callback.search([("visit_id", "=", visit.id)])
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(callbacks.type_id, self.satisfaction)
        # 3 working days after Friday 11:00 = Wednesday 11:00 (weekend skipped)
        self.assertEqual(callbacks.date_due, "2026-11-25 11:00:00")
        self.assertEqual(callbacks.user_id, self.user_as)
        self.assertEqual(callbacks.technician_ids, self.user_technician)
        self.assertEqual(len(callbacks.answer_ids), len(self.satisfaction.question_ids))
        activity = callbacks.activity_ids
        self.assertEqual((activity.user_id, activity.date_deadline), (self.user_as, "2026-11-25"))
        # the job adds none for the same visit, however often it runs
        self.Callback._cron_generate()
        self.Callback._cron_generate()
        self.assertEqual(self.Callback.search_count([("visit_id", "=", visit.id)]), 1)

    def test_job_creates_missing_visit_callbacks_once(self):
        visit = self._done_visit()
        self.Callback.search([("visit_id", "=", visit.id)]).unlink()
        self.Callback._cron_generate()
        self.Callback._cron_generate()
        self.assertEqual(self.Callback.search_count([("visit_id", "=", visit.id)]), 1)

    def test_usage_callback_exactly_when_due(self):
        self.product.after_sales_usage_callback = True
        # the cron's day, in its user's time zone (near midnight UTC it is not date.today())
        today = fields.Date.from_string(fields.Date.context_today(self.Callback))
        lot = self.env["stock.production.lot"].create({"name": "U-1", "product_id": self.product.id})
        card = self.env["after_sales.warranty.card"].create({
            "partner_id": self.customer.id, "product_id": self.product.id, "lot_id": lot.id,
            "date_delivered": fields.Date.to_string(today - relativedelta(months=6, days=-1)),
            "after_sales_warranty_months": 24})
        self.Callback._cron_generate()
        self.assertFalse(self.Callback.search([("warranty_card_id", "=", card.id)]))
        card.date_delivered = fields.Date.to_string(today - relativedelta(months=6))
        self.Callback._cron_generate()
        callback = self.Callback.search([("warranty_card_id", "=", card.id)])
        self.assertEqual(callback.type_id, self.usage)
        self.Callback._cron_generate()
        self.assertEqual(self.Callback.search_count([("warranty_card_id", "=", card.id)]), 1)
        # products quality did not flag get none
        self.product.after_sales_usage_callback = False
        lot2 = self.env["stock.production.lot"].create({"name": "U-2", "product_id": self.product.id})
        other = card.copy({"lot_id": lot2.id})
        self.Callback._cron_generate()
        self.assertFalse(self.Callback.search([("warranty_card_id", "=", other.id)]))

    def test_unsatisfied_answer_opens_followup(self):
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        self._answer(callback, q_sat_quality="2")
        callback.sudo(self.user_as).action_done()
        self.assertFalse(callback.satisfied)
        complaint = callback.followup_complaint_id
        self.assertTrue(complaint)
        self.assertEqual(complaint.callback_id, callback)
        self.assertIn("2", complaint.content)
        self.assertFalse(callback.followup_request_id)

    def test_not_repaired_opens_request(self):
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        self._answer(callback, q_sat_repaired="no")
        callback.action_done()
        request = callback.followup_request_id
        self.assertEqual((request.channel, request.partner_id), ("callback", self.customer))

    def test_charge_mismatch_opens_followup(self):
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        self._answer(callback, q_sat_amount_matches="no")
        self.assertEqual(callback.amount_invoiced, 0.0)  # in warranty: nothing invoiced
        callback.action_done()
        self.assertTrue(callback.followup_complaint_id)
        satisfied = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        self._answer(satisfied)
        satisfied.action_done()
        self.assertTrue(satisfied.satisfied)
        self.assertFalse(satisfied.followup_complaint_id)
        self.assertFalse(satisfied.followup_request_id)

    def test_unanswered_refused_and_unreachable_retries(self):
        self.company.after_sales_callback_attempts = 2
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        with self.assertRaisesRegex(UserError, "answer these questions first"):
            callback.action_done()
        callback.action_unreachable()
        self.assertEqual((callback.state, callback.attempts), ("todo", 1))
        callback.action_unreachable()
        self.assertEqual((callback.state, callback.attempts), ("unreachable", 2))

    def test_overdue_flag(self):
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        callback.date_due = "2020-01-01 00:00:00"
        self.Callback._cron_generate()
        self.assertTrue(callback.is_overdue)

    def test_satisfaction_rate_per_technician(self):
        # technician 1: 3 answered, 2 satisfied; technician 2: 1 answered, unsatisfied
        for rating in ("5", "4", "1"):
            callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
            self._answer(callback, q_sat_quality=rating)
            callback.action_done()
        other = self._done_visit(technician=self.technician_2)
        callback = self.Callback.search([("visit_id", "=", other.id)])
        self._answer(callback, q_sat_technical="2")
        callback.action_done()
        Report = self.env["after_sales.satisfaction.report"]
        groups = Report.read_group(
            [("technician_id", "in", (self.user_technician | self.technician_2).ids)],
            ["technician_id", "answered", "satisfied", "satisfaction_rate"], ["technician_id"])
        by_tech = {g["technician_id"][0]: g for g in groups}
        first = by_tech[self.user_technician.id]
        self.assertEqual((first["answered"], first["satisfied"]), (3, 2))
        self.assertAlmostEqual(first["satisfaction_rate"], 200.0 / 3)
        self.assertAlmostEqual(by_tech[self.technician_2.id]["satisfaction_rate"], 0.0)

    def test_callback_pdf(self):
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        self._answer(callback)
        callback.action_done()
        _pdf, text = self.render_pdf("after_sales_service.callback_report", callback)
        self.assertIn(callback.name, text)
        self.assertIn("Was the product repaired?", text)

    def test_complaint_callback_after_closing(self):
        complaint = self.env["after_sales.complaint"].create({
            "partner_id": self.customer.id, "content": "漏水", "channel": "phone"})
        callback_type = self.env.ref("after_sales_service.callback_type_complaint")
        self.assertFalse(self.Callback.search([("complaint_id", "=", complaint.id)]))
        # drive the complaint to closure the way its own tests do
        complaint.action_start_investigation()
        complaint.write({"complaint_class": "quality", "cause": "密封圈老化",
                         "responsibility": "supplier"})
        complaint.write({"answer_method": "phone", "answer_text": "已更换密封圈",
                         "answer_date": fields.Datetime.now()})
        complaint.action_answer()
        complaint.action_close()
        callback = self.Callback.search([("complaint_id", "=", complaint.id)])
        self.assertEqual(callback.type_id, callback_type)

    def test_request_closes_after_its_callback(self):
        visit = self._done_visit()
        request = visit.request_id
        self.assertEqual(request.state, "resolved")
        callback = self.Callback.search([("visit_id", "=", visit.id)])
        with self.assertRaisesRegex(UserError, callback.name):
            request.action_close()
        self._answer(callback)
        callback.action_done()
        request.action_close()
        self.assertEqual(request.state, "closed")

    def test_key_customer_annual_visit(self):
        self.customer.after_sales_key_customer = True
        self.Callback._cron_generate()
        self.Callback._cron_generate()
        callbacks = self.Callback.search([("partner_id", "=", self.customer.id),
                                          ("kind", "=", "key_customer")])
        self.assertEqual(len(callbacks), 1)
        self.assertTrue(callbacks.trigger.endswith(fields.Date.today()[:4]))

    def test_required_questions_named_before_recording(self):
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        required = callback.answer_ids.filtered("is_required")
        self.assertEqual(set(required.mapped("kind")), {"yesno", "rating"})
        self.assertFalse(callback.answer_ids.filtered(lambda a: a.kind == "text").is_required)
        names = required.mapped("question_id.name")
        self.assertEqual(callback.unanswered_questions, "\n".join(names))
        # half answered: the form lists, and the refusal names, exactly the others
        required[:2].write({"value_yesno": "yes", "value_rating": "5"})
        rest = names[2:]
        self.assertTrue(rest)
        self.assertEqual(callback.unanswered_questions, "\n".join(rest))
        with self.assertRaises(UserError) as refused:
            callback.sudo(self.user_as).action_done()
        self.assertEqual(refused.exception.name,
                         "%s can't be recorded: answer these questions first:\n%s"
                         % (callback.name, "\n".join(rest)))
        self.assertEqual(callback.state, "todo")
        # the text questions are optional
        self._answer(callback)
        callback.answer_ids.filtered(lambda a: a.kind == "text").write({"value_text": False})
        self.assertFalse(callback.unanswered_questions)
        callback.sudo(self.user_as).action_done()
        self.assertEqual(callback.state, "done")

    def test_unanswered_named_in_the_users_language(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        self.user_as.lang = "zh_CN"
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        question = self.env.ref("after_sales_service.q_sat_repaired")
        chinese = question.with_context(lang="zh_CN").name
        self.assertNotEqual(chinese, question.with_context(lang="en_US").name)
        with self.assertRaisesRegex(UserError, chinese):
            callback.sudo(self.user_as).action_done()

    def _web_client_answers(self, callback, values):
        """The callback form's save as the web client sends it: every editable field of the
        form (False for the empty ones), each answer line with every field of its list."""
        Callback = self.Callback.sudo(self.user_as)
        view = Callback.fields_view_get(view_type="form")
        vals = {}
        for name, desc in view["fields"].items():
            field = Callback._fields[name]
            if desc.get("readonly") or field.compute or field.related or name == "answer_ids" \
                    or not field.store:
                continue
            value = callback[name]
            if field.type == "many2many":
                vals[name] = [(6, 0, value.ids)]
            elif field.type == "many2one":
                vals[name] = value.id or False
            else:
                vals[name] = value or False
        line_fields = view["fields"]["answer_ids"]["views"]["tree"]["fields"]
        editable = [name for name, desc in line_fields.items()
                    if not desc.get("readonly") and name.startswith("value_")]
        vals["answer_ids"] = [
            (1, answer.id, dict({name: False for name in editable},
                                **values.get(answer.question_id.id, {})))
            for answer in callback.answer_ids]
        return vals

    def test_web_client_save_of_answers(self):
        callback = self.Callback.search([("visit_id", "=", self._done_visit().id)])
        values = {}
        for answer in callback.answer_ids:
            if answer.kind == "yesno":
                values[answer.question_id.id] = {"value_yesno": "yes"}
            elif answer.kind == "rating":
                values[answer.question_id.id] = {"value_rating": "4"}
        first_rating = callback.answer_ids.filtered(lambda a: a.kind == "rating")[0]
        values[first_rating.question_id.id] = {"value_rating": "0"}  # stars cleared: no answer
        vals = self._web_client_answers(callback, values)
        self.assertIn("note", vals)
        callback.sudo(self.user_as).write(vals)
        self.assertFalse(first_rating.value_rating)
        self.assertFalse(first_rating.is_answered)
        self.assertEqual(callback.unanswered_questions, first_rating.question_id.name)
        values[first_rating.question_id.id] = {"value_rating": "5"}
        callback.sudo(self.user_as).write(self._web_client_answers(callback, values))
        self.assertEqual(set(callback.answer_ids.filtered("is_required").mapped("is_answered")),
                         {True})
        self.assertFalse(callback.answer_ids.filtered(lambda a: a.kind == "text").value_text)
        callback.sudo(self.user_as).action_done()
        self.assertTrue(callback.satisfied)
        # once recorded, the answers are kept as given (the stars can't be clicked over RPC)
        with self.assertRaises(AccessError):
            first_rating.sudo(self.user_as).write({"value_rating": "1"})
        with self.assertRaises(AccessError):
            callback.sudo(self.user_as).write(self._web_client_answers(
                callback, {first_rating.question_id.id: {"value_rating": "1"}}))
        self.assertEqual(first_rating.value_rating, "5")

    def test_answer_list_shows_stars_and_required(self):
        view = self.env.ref("after_sales_service.callback_view_form")
        tree = etree.fromstring(view.arch).xpath("//field[@name='answer_ids']/tree")[0]
        rating = tree.xpath("field[@name='value_rating']")[0]
        self.assertEqual(rating.get("widget"), "priority")
        self.assertEqual(tree.get("editable"), "bottom")
        self.assertEqual(tree.get("decoration-bf"), "is_required")
        self.assertEqual(tree.get("decoration-warning"), "is_required and not is_answered")
        # five stars: the priority widget's first value is "no star"
        selection = self.env["after_sales.callback.answer"]._fields["value_rating"].selection
        self.assertEqual([key for key, _label in selection], ["0", "1", "2", "3", "4", "5"])
