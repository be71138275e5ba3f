# -*- coding: utf-8 -*-
"""Satisfaction surveys on Odoo's survey module (the yearly plan, the half-yearly
《顾客满意度调查表》 and the 《征求用户意见表》), answered by the customer's token link or entered by
staff from a phone call; results per period and customer; a low score's one follow-up; and
the post-delivery callback."""
import re

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.service import security
from odoo.tests.common import HttpCase, get_db_name
from odoo.tools import mute_logger

from .common import AfterSalesCase

SATISFACTION = "after_sales_service.survey_customer_satisfaction"
OPINION = "after_sales_service.survey_user_opinion"


def answer_survey(env, invitation, marks, texts=None):
    """Answer the invitation's survey as its pages do (survey's controller: each page's
    answers saved by survey.user_input_line.save_lines, as superuser for a link's answers,
    then the state written): `marks` {question: rating 1-5} for the rated questions (a
    missing one is skipped), `texts` {question: text}."""
    user_input = invitation.sudo().user_input_id
    survey = user_input.survey_id
    Line = env["survey.user_input_line"].sudo(SUPERUSER_ID)
    for page in survey.page_ids:
        post = {}
        for question in page.question_ids:
            tag = "%s_%s_%s" % (survey.id, page.id, question.id)
            if question in marks:
                label = question.labels_ids.filtered(lambda l: l.quizz_mark == marks[question])
                post[tag] = str(label.id)
            elif texts and question in texts:
                post[tag] = texts[question]
            Line.save_lines(user_input.id, question, post, tag)
        user_input.sudo(SUPERUSER_ID).write({"last_displayed_page_id": page.id,
                                             "state": "skip"})
    user_input.sudo(SUPERUSER_ID).write({"state": "done"})
    invitation.invalidate_cache()
    return invitation


class SurveyCase(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(SurveyCase, cls).setUpClass()
        cls.company.write({"email": "service@example.cn", "after_sales_survey_low_score": 3.0})
        cls.satisfaction = cls.env.ref(SATISFACTION)
        cls.opinion = cls.env.ref(OPINION)
        cls.rated = cls.satisfaction.page_ids.mapped("question_ids").filtered(
            lambda q: q.type == "simple_choice")
        Partner = cls.env["res.partner"]
        cls.cust_a = Partner.create({"name": "上海浦江置业", "customer": True, "is_company": True,
                                     "email": "pujiang@example.cn", "lang": "zh_CN"})
        cls.cust_b = Partner.create({"name": "杭州西湖酒店", "customer": True, "is_company": True,
                                     "email": "xihu@example.cn", "lang": "en_US"})
        cls.cust_c = Partner.create({"name": "南京钟山宾馆", "customer": True, "is_company": True,
                                     "phone": "025-8888 0000"})
        cls.plan = cls.env["after_sales.survey.plan"].sudo(cls.user_as).create({
            "name": "2026年度顾客满意度调查计划", "year": 2026,
            "line_ids": [
                (0, 0, {"name": "2026上半年顾客满意度调查", "survey_id": cls.satisfaction.id,
                        "date_start": "2026-01-01", "date_end": "2026-06-30",
                        "scope": "chosen",
                        "partner_ids": [(6, 0, (cls.cust_a | cls.cust_b | cls.cust_c).ids)]}),
                (0, 0, {"name": "2026下半年顾客满意度调查", "survey_id": cls.satisfaction.id,
                        "date_start": "2026-07-01", "date_end": "2026-12-31",
                        "scope": "chosen",
                        "partner_ids": [(6, 0, (cls.cust_a | cls.cust_b).ids)]}),
                (0, 0, {"name": "2026征求用户意见", "survey_id": cls.opinion.id,
                        "date_start": "2026-01-01", "date_end": "2026-12-31",
                        "scope": "chosen", "partner_ids": [(6, 0, cls.cust_b.ids)]}),
            ]}).with_env(cls.env)
        cls.h1, cls.h2, cls.opinion_line = cls.plan.line_ids.sorted("id")

    def _launch(self, *lines):
        self.plan.sudo(self.user_manager).action_confirm()
        for line in lines:
            line.sudo(self.user_as).action_launch()
        return lines

    def _invitation(self, line, partner):
        return line.invitation_ids.filtered(lambda i: i.partner_id == partner)

    def _marks(self, default, **overrides):
        """{question: mark}: every rated question `default`, some by xml id suffix."""
        marks = {q: default for q in self.rated}
        for suffix, mark in overrides.items():
            marks[self.env.ref("after_sales_service.survey_satisfaction_q_" + suffix)] = mark
        return marks


class TestSurvey(SurveyCase):

    def test_plan_questionnaires_are_survey_data(self):
        """The two questionnaires are Odoo surveys: pages, questions, scored labels 1-5."""
        self.assertEqual(len(self.satisfaction.page_ids), 3)
        self.assertEqual(len(self.rated), 10)
        for question in self.rated:
            self.assertEqual(sorted(question.labels_ids.mapped("quizz_mark")),
                             [1.0, 2.0, 3.0, 4.0, 5.0])
        self.assertEqual(self.satisfaction.after_sales_followup, "action")
        self.assertEqual(self.opinion.after_sales_followup, "request")
        self.assertEqual(len(self.opinion.page_ids.mapped("question_ids")), 7)

    def test_launch_invites_each_customer_once_by_link(self):
        self._launch(self.h1)
        invitations = self.h1.invitation_ids
        self.assertEqual(invitations.mapped("partner_id"), self.cust_a | self.cust_b | self.cust_c)
        self.assertEqual(self.h1.state, "running")
        # a token link each, for the customer; mailed to those with an address
        for invitation in invitations:
            user_input = invitation.user_input_id
            self.assertEqual(user_input.type, "link")
            self.assertEqual(user_input.partner_id, invitation.partner_id)
            self.assertEqual(invitation.survey_url, "%s/%s" % (self.satisfaction.public_url,
                                                               user_input.token))
        self.assertEqual(self._invitation(self.h1, self.cust_a).state, "sent")
        self.assertEqual(self._invitation(self.h1, self.cust_c).state, "new")  # to call
        mail = self._invitation(self.h1, self.cust_a).message_ids.filtered(
            lambda m: m.message_type == "comment")
        self.assertEqual(len(mail), 1)
        self.assertIn(self._invitation(self.h1, self.cust_a).user_input_id.token, mail.body)
        self.assertIn(self.cust_a, mail.partner_ids)
        # in the customer's language
        template = self.env.ref("after_sales_service.mail_template_survey_invitation")
        invitation_a = self._invitation(self.h1, self.cust_a)
        self.assertEqual(template.render_template(template.lang, template.model,
                                                  invitation_a.ids)[invitation_a.id], "zh_CN")
        # launched once
        with self.assertRaises(UserError):
            self.h1.sudo(self.user_as).action_launch()
        self.assertEqual(len(self.h1.invitation_ids), 3)

    def test_results_per_customer_and_period(self):
        self._launch(self.h1, self.h2)
        # H1: A rates everything 5 but the price 3 and the delivery time 4 -> 47 / 10
        answer_survey(self.env, self._invitation(self.h1, self.cust_a),
                      self._marks(5, price=3, delivery=4),
                      {self.env.ref("after_sales_service.survey_satisfaction_q_opinions"):
                       "交货再快一点"})
        # H1: B rates 4 everywhere, skipping nothing -> 4.0; C does not answer
        answer_survey(self.env, self._invitation(self.h1, self.cust_b), self._marks(4))
        # H2: A rates 3 everywhere but the attitude 5 -> 32 / 10
        answer_survey(self.env, self._invitation(self.h2, self.cust_a),
                      self._marks(3, attitude=5))
        inv_a1 = self._invitation(self.h1, self.cust_a)
        self.assertEqual(inv_a1.state, "answered")
        self.assertEqual(inv_a1.rated_count, 10)
        self.assertAlmostEqual(inv_a1.score, 4.7)
        self.assertFalse(inv_a1.is_low)
        self.assertEqual(self._invitation(self.h1, self.cust_c).state, "new")
        # the results view, grouped by customer and period
        Report = self.env["after_sales.survey.result.report"].sudo(self.user_as)
        groups = Report.read_group(
            [("plan_id", "=", self.plan.id)], ["partner_id", "date_start", "rating",
                                               "answer_count", "low_count"],
            ["partner_id", "date_start:month"], lazy=False)
        got = {(g["partner_id"][0], g["date_start:month"]): (round(g["rating"], 4),
                                                               g["answer_count"], g["low_count"])
               for g in groups}
        months = sorted(set(key[1] for key in got))
        self.assertEqual(len(months), 2)
        self.assertEqual(got, {
            (self.cust_a.id, months[0]): (4.7, 10, 0),
            (self.cust_b.id, months[0]): (4.0, 10, 0),
            (self.cust_a.id, months[1]): (3.2, 10, 0),
        })
        # per campaign on its form
        self.h1.invalidate_cache()
        self.assertEqual((self.h1.invited_count, self.h1.answered_count), (3, 2))
        self.assertAlmostEqual(self.h1.average_score, 8.7 / 2)
        # the free texts are kept in the survey's answers, not scored
        opinion_lines = inv_a1.user_input_id.user_input_line_ids.filtered(
            lambda l: l.answer_type == "free_text")
        self.assertEqual(opinion_lines.mapped("value_free_text"), ["交货再快一点"])

    def test_low_score_opens_one_corrective_action(self):
        self._launch(self.h1)
        invitation = self._invitation(self.h1, self.cust_b)
        Action = self.env["after_sales.complaint.action"]
        before = Action.search_count([])
        # 2 everywhere but the overall 4: 22 / 10 = 2.2 < 3.0
        answer_survey(self.env, invitation, self._marks(2, overall=4))
        self.assertTrue(invitation.is_low)
        self.assertAlmostEqual(invitation.score, 2.2)
        self.assertEqual(Action.search_count([]), before + 1)
        action = invitation.followup_action_id
        self.assertEqual(action.complaint_id, invitation.followup_complaint_id)
        self.assertEqual(action.complaint_id.partner_id, self.cust_b)
        self.assertEqual(action.action_type, "corrective")
        self.assertIn("2.20", action.complaint_id.content)
        self.assertFalse(invitation.followup_request_id)
        # the survey completed again (a second submission of the last page): still one
        invitation.sudo().user_input_id.write({"state": "done"})
        invitation._on_answered()
        invitation._open_followup()
        self.assertEqual(Action.search_count([]), before + 1)
        # at the threshold exactly, no follow-up
        answer_survey(self.env, self._invitation(self.h1, self.cust_a), self._marks(3))
        self.assertFalse(self._invitation(self.h1, self.cust_a).is_low)
        self.assertEqual(Action.search_count([]), before + 1)

    def test_low_opinion_opens_one_followup_request(self):
        self._launch(self.opinion_line)
        invitation = self._invitation(self.opinion_line, self.cust_b)
        Request = self.env["after_sales.request"]
        before = Request.search_count([])
        rated = self.opinion.page_ids.mapped("question_ids").filtered(
            lambda q: q.type == "simple_choice")
        answer_survey(self.env, invitation, dict((q, 1) for q in rated))
        self.assertEqual(invitation.score, 1.0)
        self.assertEqual(Request.search_count([]), before + 1)
        request = invitation.followup_request_id
        self.assertEqual(request.partner_id, self.cust_b)
        self.assertEqual(request.channel, "callback")
        self.assertFalse(invitation.followup_action_id)
        invitation.sudo().user_input_id.write({"state": "done"})
        self.assertEqual(Request.search_count([]), before + 1)

    def test_staff_phone_entry(self):
        self._launch(self.h1)
        invitation = self._invitation(self.h1, self.cust_c)
        action = invitation.sudo(self.user_as).action_enter_answers()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], "/survey/fill/%s/%s" % (
            self.satisfaction.id, invitation.user_input_id.token))
        self.assertEqual((invitation.channel, invitation.entered_by_id),
                         ("phone", self.user_as))
        answer_survey(self.env, invitation, self._marks(5))
        self.assertEqual((invitation.state, invitation.channel, invitation.score),
                         ("answered", "phone", 5.0))
        # answered: no second entry
        with self.assertRaises(UserError):
            invitation.sudo(self.user_as).action_enter_answers()
        # a technician is not the department
        other = self._invitation(self.h1, self.cust_a)
        with self.assertRaises(AccessError):
            other.sudo(self.user_technician).action_enter_answers()

    def test_close_expires_the_links(self):
        self._launch(self.h1)
        self.h1.sudo(self.user_as).action_close()
        invitation = self._invitation(self.h1, self.cust_c)
        self.assertEqual(invitation.state, "expired")
        self.assertFalse(invitation.survey_url)
        self.assertTrue(invitation.user_input_id.deadline)

    @mute_logger("odoo.models", "odoo.addons.base.ir.ir_model")
    def test_roles(self):
        # only the manager confirms the plan
        with self.assertRaises(AccessError):
            self.plan.sudo(self.user_as).action_confirm()
        with self.assertRaises(AccessError):
            self.plan.sudo(self.user_quality).action_confirm()
        with self.assertRaises(UserError):  # not confirmed yet
            self.h1.sudo(self.user_as).action_launch()
        self.plan.sudo(self.user_manager).action_confirm()
        self.assertEqual(self.plan.state, "confirmed")
        # the technician can't even read the campaigns
        with self.assertRaises(AccessError):
            self.h1.sudo(self.user_technician).read(["name"])
        self.h1.sudo(self.user_quality).action_launch()
        invitation = self._invitation(self.h1, self.cust_a)
        # the fields the actions own are refused to a direct write (as a form or RPC would)
        request = self.env["after_sales.request"].create({"partner_id": self.cust_a.id})
        for user in (self.user_as, self.user_quality, self.user_manager):
            for vals in ({"state": "answered"}, {"score": 5.0}, {"is_low": True},
                         {"followup_request_id": request.id}):
                with self.assertRaises(AccessError):
                    invitation.sudo(user).write(vals)
            with self.assertRaises(AccessError):
                self.h1.sudo(user).write({"state": "closed"})
            with self.assertRaises(AccessError):
                self.plan.sudo(user).write({"state": "done"})
        self.assertEqual(invitation.state, "sent")
        # nobody deletes an invitation
        with self.assertRaises(AccessError):
            invitation.sudo(self.user_manager).unlink()
        # results: the department reads them, the technician does not
        self.env["after_sales.survey.result.report"].sudo(self.user_as).search([])
        with self.assertRaises(AccessError):
            self.env["after_sales.survey.result.report"].sudo(self.user_technician).search([])

    def test_second_company_sees_nothing(self):
        self._create_second_company()
        self._launch(self.h1)
        answer_survey(self.env, self._invitation(self.h1, self.cust_a), self._marks(4))
        for model in ("after_sales.survey.plan", "after_sales.survey.plan.line",
                      "after_sales.survey.invitation", "after_sales.survey.result.report"):
            self.assertFalse(self.env[model].sudo(self.b_as_user).search([]), model)
            self.assertFalse(self.env[model].sudo(self.b_gm).search([]), model)
        self.assertTrue(self.env["after_sales.survey.result.report"].sudo(self.user_as)
                        .search([]))
        with self.assertRaises(AccessError):
            self.h1.sudo(self.b_manager).write({"name": "x"})


class TestDeliveryCallback(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestDeliveryCallback, cls).setUpClass()
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.heater = cls.env["product.product"].create({
            "name": "壁挂炉 WG-24", "type": "consu", "after_sales_delivery_callback": True})
        cls.part = cls.env["product.product"].create({"name": "密封圈", "type": "consu"})
        cls.Callback = cls.env["after_sales.callback"]

    def _deliver(self, product, partner=None):
        stock = self.warehouse.lot_stock_id
        picking = self.env["stock.picking"].create({
            "partner_id": (partner or self.customer).id,
            "picking_type_id": self.warehouse.out_type_id.id,
            "location_id": stock.id, "location_dest_id": self.customers.id,
            "move_lines": [(0, 0, {
                "name": product.name, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": 2.0,
                "location_id": stock.id, "location_dest_id": self.customers.id})],
        })
        picking.action_confirm()
        picking.action_assign()
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def test_delivery_of_flagged_product_gets_one_callback(self):
        flagged = self._deliver(self.heater)
        plain = self._deliver(self.part)
        self.Callback._cron_generate()
        self.Callback._cron_generate()
        callbacks = self.Callback.search([("picking_id", "in", (flagged | plain).ids)])
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(callbacks.picking_id, flagged)
        self.assertEqual(callbacks.trigger, "delivery:%s" % flagged.id)
        self.assertEqual(callbacks.type_id,
                         self.env.ref("after_sales_service.callback_type_delivery"))
        self.assertEqual(callbacks.kind, "delivery")
        self.assertEqual((callbacks.partner_id, callbacks.product_id),
                         (self.customer, self.heater))
        # due 3 working days after the delivery
        due = self.company.after_sales_plan_deadline(flagged.date_done, 3, "days")
        self.assertEqual(callbacks.date_due, due.strftime("%Y-%m-%d %H:%M:%S"))
        # its questionnaire: in use, working, delivery time, look, price, packaging, reminders
        questions = callbacks.answer_ids.mapped("question_id")
        self.assertEqual(len(questions), 10)
        self.assertIn(self.env.ref("after_sales_service.q_delivery_card"), questions)
        # a second delivery of the product gets its own
        second = self._deliver(self.heater)
        self.Callback._cron_generate()
        self.assertEqual(self.Callback.search_count([("picking_id", "=", second.id)]), 1)
        self.assertEqual(self.Callback.search_count([("picking_id", "=", flagged.id)]), 1)

    def test_working_answer_no_opens_request(self):
        picking = self._deliver(self.heater)
        self.Callback._cron_generate()
        callback = self.Callback.search([("picking_id", "=", picking.id)])
        for answer in callback.answer_ids:
            if answer.kind == "yesno":
                answer.value_yesno = "no" if answer.question_id == self.env.ref(
                    "after_sales_service.q_delivery_working") else "yes"
            elif answer.kind == "rating":
                answer.value_rating = "4"
        callback.sudo(self.user_as).action_done()
        self.assertFalse(callback.satisfied)
        self.assertTrue(callback.followup_request_id)
        self.assertFalse(callback.followup_complaint_id)

    def test_picking_is_owned(self):
        picking = self._deliver(self.heater)
        self.Callback._cron_generate()
        callback = self.Callback.search([("picking_id", "=", picking.id)])
        with self.assertRaises(AccessError):
            callback.sudo(self.user_as).write({"picking_id": False})


class TestSurveyHttp(HttpCase):
    """The customer's token link and the staff's phone entry through survey's own pages
    (/survey/fill, /survey/submit) on the test server."""

    @classmethod
    def setUpClass(cls):
        super(TestSurveyHttp, cls).setUpClass()
        # the website's asset bundles compiled once on a cursor of their own (see test_portal)
        with odoo.registry(get_db_name()).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for xmlid in ("web.assets_common", "web.assets_frontend"):
                env["ir.qweb"]._get_asset_nodes(xmlid, {})

    def setUp(self):
        super(TestSurveyHttp, self).setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {
            "no_reset_password": True, "mail_create_nolog": True})
        env = self.env
        self.company = env.ref("base.main_company")
        self.company.write({"email": "service@example.cn", "after_sales_survey_low_score": 3.0})
        group = lambda xmlid: env.ref(xmlid).id  # noqa: E731
        self.staff = env["res.users"].create({
            "name": "王芳", "login": "s_as", "password": "s_as", "email": "s_as@x.cn",
            "groups_id": [(6, 0, [group("base.group_user"),
                                  group("after_sales_service.group_user")])]})
        self.customer = env["res.partner"].create({
            "name": "苏州精工机械", "customer": True, "is_company": True,
            "email": "jinggong@x.cn"})
        self.caller = env["res.partner"].create({
            "name": "无锡太湖饭店", "customer": True, "is_company": True})
        self.survey = env.ref(SATISFACTION)
        plan = env["after_sales.survey.plan"].create({
            "name": "2026 计划", "year": 2026, "line_ids": [(0, 0, {
                "name": "2026上半年", "survey_id": self.survey.id,
                "date_start": "2026-01-01", "date_end": "2026-06-30", "scope": "chosen",
                "partner_ids": [(6, 0, (self.customer | self.caller).ids)]})]})
        plan.action_confirm()
        plan.line_ids.action_launch()
        self.invitations = plan.line_ids.invitation_ids
        self.registry.test_cr.commit()

    def _login(self, login):
        """This test's browser logged in as `login` (a session of its own, as test_portal)."""
        session = odoo.http.root.session_store.new()
        session.db = get_db_name()
        uid = self.registry["res.users"].authenticate(session.db, login, login, None)
        env = api.Environment(self.registry.test_cr, uid, {})
        session.uid, session.login = uid, login
        session.session_token = security.compute_session_token(session, env)
        session.context = dict(env["res.users"].context_get(), uid=uid)
        odoo.http.root.session_store.save(session)
        self.opener.cookies["session_id"] = session.sid

    def _fill(self, invitation, mark):
        """Every page of the survey, as the browser sends it: the page, then its answers."""
        user_input = invitation.sudo().user_input_id
        url = "/survey/fill/%s/%s" % (self.survey.id, user_input.token)
        for page in self.survey.page_ids.sorted("sequence"):
            html = self.url_open(url, timeout=60).text
            self.assertIn('name="page_id" value="%s"' % page.id, html)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
            data = {"page_id": str(page.id), "token": user_input.token,
                    "button_submit": "next", "csrf_token": csrf}
            for question in page.question_ids:
                tag = "%s_%s_%s" % (self.survey.id, page.id, question.id)
                label = question.labels_ids.filtered(lambda l: l.quizz_mark == mark)
                data[tag] = str(label.id) if label else ""  # free texts left empty
            response = self.url_open("/survey/submit/%s" % self.survey.id, data=data,
                                     timeout=60)
            self.assertIn("redirect", response.json(), response.text[:300])
        invitation.invalidate_cache()
        user_input.invalidate_cache()

    def test_customer_answers_by_token_link(self):
        invitation = self.invitations.filtered(lambda i: i.partner_id == self.customer)
        self._fill(invitation, 2)
        self.assertEqual(invitation.user_input_id.state, "done")
        self.assertEqual((invitation.state, invitation.channel), ("answered", "online"))
        self.assertEqual(invitation.score, 2.0)
        self.assertEqual(invitation.rated_count, 10)
        self.assertTrue(invitation.followup_action_id)
        # the link is used: the page thanks, nothing more is asked
        html = self.url_open("/survey/fill/%s/%s" % (
            self.survey.id, invitation.user_input_id.token), timeout=60).text
        self.assertNotIn('name="page_id"', html)

    def test_staff_enters_the_phone_answers(self):
        invitation = self.invitations.filtered(lambda i: i.partner_id == self.caller)
        self._login("s_as")
        action = invitation.sudo(self.staff).action_enter_answers()
        self.registry.test_cr.commit()
        self.assertIn(invitation.user_input_id.token, action["url"])
        self._fill(invitation, 5)
        self.assertEqual((invitation.state, invitation.channel, invitation.entered_by_id),
                         ("answered", "phone", self.staff))
        self.assertEqual(invitation.score, 5.0)
        self.assertFalse(invitation.followup_action_id or invitation.followup_request_id)
