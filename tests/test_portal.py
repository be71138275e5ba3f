# -*- coding: utf-8 -*-
"""The customer's portal, driven over HTTP against the test server as a customer would: a
portal user of the customer (his own session), another customer's portal user, and a visitor
without login holding (or not) the links of the customer's e-mails."""
import base64
import io
import re
from datetime import datetime, timedelta
from xmlrpc import client as xmlrpclib

import requests
from PIL import Image, ImageDraw

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.service import security
from odoo.tests.common import HOST, PORT, HttpCase, get_db_name
from odoo.tools import mute_logger

BUNDLES = ("web.assets_common", "web.assets_frontend", "web.report_assets_common")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"|csrf_token: "([^"]+)"')


def csrf_of(html):
    """The CSRF token of a page: its forms', else the one Odoo's layout gives its scripts."""
    found = CSRF.search(html)
    return found.group(1) or found.group(2)


def png(color, size=(64, 48), stroke=False):
    """A PNG image (a photo, or a signature with a stroke drawn on white)."""
    image = Image.new("RGB", size, color)
    if stroke:
        ImageDraw.Draw(image).line([(10, 40), (60, 10), (120, 50)], fill="black", width=3)
    data = io.BytesIO()
    image.save(data, format="PNG")
    return data.getvalue()


class TestPortal(HttpCase):

    @classmethod
    def setUpClass(cls):
        super(TestPortal, cls).setUpClass()
        cls._compile_bundles()

    @classmethod
    def _compile_bundles(cls):
        """The asset bundles of the portal pages and of the printed forms, compiled once on a
        cursor of their own (a cache of the addons' static files, nothing the tests look at):
        each test's rollback would have lessc compile them again, some 10 s a test."""
        with odoo.registry(get_db_name()).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for xmlid in BUNDLES:
                env["ir.qweb"]._get_asset_nodes(xmlid, {})

    def setUp(self):
        super(TestPortal, self).setUp()
        # the server answers on the test cursor: the data is made there
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {
            "no_reset_password": True, "mail_create_nolog": True})
        env = self.env
        self.company = env.ref("base.main_company")
        self.company.write({"email": "service@heater.example.cn", "phone": "400-800-1234"})
        self.company.partner_id.tz = "UTC"
        group = lambda xmlid: env.ref(xmlid).id  # noqa: E731
        self.user_as = env["res.users"].create({
            "name": "李专员", "login": "p_as", "password": "p_as", "email": "as@x.cn",
            "groups_id": [(6, 0, [group("base.group_user"),
                                  group("after_sales_service.group_user")])]})
        self.user_gm = env["res.users"].create({
            "name": "总经理", "login": "p_gm", "password": "p_gm", "email": "gm@x.cn",
            "groups_id": [(6, 0, [group("base.group_user"),
                                  group("after_sales_service.group_general_manager")])]})
        self.technician = env["res.users"].create({
            "name": "张师傅", "login": "p_tech", "password": "p_tech", "email": "t@x.cn",
            "groups_id": [(6, 0, [group("base.group_user"),
                                  group("after_sales_service.group_technician")])]})
        self.team = env["after_sales.team"].search([("company_id", "=", self.company.id)],
                                                   limit=1)
        self.team.leader_id = self.user_as
        # two customers, each with a contact who has portal access
        self.customer_a = env["res.partner"].create({
            "name": "华东建设工程有限公司", "is_company": True, "email": "info@huadong.example.cn",
            "street": "浦东新区张江路 1 号", "city": "上海", "phone": "021-5555 0101"})
        self.customer_b = env["res.partner"].create({
            "name": "苏州精工机械", "is_company": True, "email": "info@jinggong.example.cn"})
        self.portal_a = self._portal_user("wang", "王工", self.customer_a)
        self.portal_b = self._portal_user("zhao", "赵工", self.customer_b)
        # a heater of each customer, with its warranty card
        self.product = env["product.product"].create({
            "name": "电热水器 EH-60P", "type": "product", "default_code": "EH-60P",
            "tracking": "serial"})
        self.card_a = self._card(self.customer_a, "SN-A-0001")
        self.card_b = self._card(self.customer_b, "SN-B-0001")
        self.registry.test_cr.commit()

    def _portal_user(self, login, name, company):
        contact = self.env["res.partner"].create({
            "name": name, "parent_id": company.id, "email": "%s@example.cn" % login})
        return self.env["res.users"].create({
            "login": login, "password": login, "partner_id": contact.id,
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})

    def _card(self, customer, serial):
        lot = self.env["stock.production.lot"].create({
            "name": serial, "product_id": self.product.id})
        return self.env["after_sales.warranty.card"].create({
            "partner_id": customer.id, "product_id": self.product.id, "lot_id": lot.id,
            "date_delivered": fields.Date.to_string(datetime.now() - timedelta(days=30)),
            "after_sales_warranty_months": 12, "company_id": self.company.id})

    # ------------------------------------------------------------------ HTTP helpers

    def browser(self, login=None):
        """A browser of its own (its own session): logged in as `login`, or anonymous."""
        session = odoo.http.root.session_store.new()
        session.db = get_db_name()
        if login:
            uid = self.registry["res.users"].authenticate(session.db, login, login, None)
            env = api.Environment(self.registry.test_cr, uid, {})
            session.uid, session.login = uid, login
            session.session_token = security.compute_session_token(session, env)
            session.context = dict(env["res.users"].context_get(), uid=uid)
        odoo.http.root.session_store.save(session)
        opener = requests.Session()
        opener.cookies["session_id"] = session.sid
        return opener

    def url(self, path):
        return "http://%s:%s%s" % (HOST, PORT, path)

    def get(self, browser, path, **kwargs):
        return browser.get(self.url(path), timeout=60, **kwargs)

    def post_form(self, browser, page, action, data, files=None):
        """Submit the form of `page` (GET first, as a browser does: the CSRF token)."""
        form = self.get(browser, page)
        self.assertEqual(form.status_code, 200, form.text[:500])
        token = csrf_of(form.text)
        return browser.post(self.url(action), data=dict(data, csrf_token=token),
                            files=files, timeout=60)

    def reload(self, record):
        record.invalidate_cache()
        return record.browse(record.id)

    def requests_of(self, customer):
        return self.env["after_sales.request"].search([("partner_id", "=", customer.id)])

    # ------------------------------------------------------------------ the whole journey

    def test_customer_submits_signs_and_answers_online(self):
        wang = self.browser("wang")
        home = self.get(wang, "/my")
        self.assertIn("/my/service-requests", home.text)
        self.assertIn("/my/installed-products", home.text)
        self.assertIn('name="viewport"', home.text)

        # 1. the request, with two photos, on an installed product
        form = self.get(wang, "/my/service-requests/new?warranty_card_id=%s" % self.card_a.id)
        for name in ("description", "warranty_card_id", "product_id", "lot_id",
                     "date_delivered", "contact_name", "phone", "site_address",
                     "attachment_ids"):
            self.assertIn('name="%s"' % name, form.text)
        self.assertIn('value="王工"', form.text)  # the contact, prefilled
        self.assertIn("浦东新区张江路 1 号", form.text)  # the site, prefilled
        photos = [("attachment_ids", ("display.png", png("red"), "image/png")),
                  ("attachment_ids", ("valve.png", png("blue"), "image/png"))]
        answer = self.post_form(wang, "/my/service-requests/new", "/my/service-requests/new", {
            "warranty_card_id": str(self.card_a.id), "description": "热水器不加热，显示 E3",
            "category": "repair", "contact_name": "王工", "phone": "139 0000 0001",
            "site_address": "浦东新区张江路 1 号 3 幢", "product_id": "", "lot_id": "",
            "date_delivered": "", "project_name": ""}, files=photos)
        self.assertEqual(answer.status_code, 200, answer.text[:500])
        request = self.requests_of(self.customer_a)
        self.assertEqual(len(request), 1)
        self.assertTrue(answer.url.endswith("/my/service-requests/%s?submitted=1" % request.id))
        self.assertIn(request.name, answer.text)
        self.assertEqual((request.channel, request.product_id, request.lot_id),
                         ("web", self.product, self.card_a.lot_id))
        self.assertEqual((request.warranty_card_id, request.in_warranty), (self.card_a, True))
        self.assertEqual((request.user_id, request.team_id), (self.user_as, self.team))
        self.assertEqual(request.activity_ids.user_id, self.user_as)
        hotline = self.env["after_sales.request"].create({
            "partner_id": self.customer_a.id, "lot_id": self.card_a.lot_id.id,
            "product_id": self.product.id, "description": "x",
            "date_received": request.date_received})
        self.assertEqual(
            (request.in_warranty, request.warranty_end, request.response_deadline,
             request.resolve_deadline),
            (hotline.in_warranty, hotline.warranty_end, hotline.response_deadline,
             hotline.resolve_deadline))
        hotline.unlink()
        self.assertEqual(sorted(request.attachment_ids.mapped("name")),
                         ["display.png", "valve.png"])
        self.assertEqual(set(request.attachment_ids.mapped("mimetype")), {"image/png"})
        self.assertIn(self.portal_a.partner_id, request.message_partner_ids)
        photo = request.attachment_ids.filtered(lambda a: a.name == "valve.png")
        shown = self.get(wang, "/my/service-requests/%s/photo/%s" % (request.id, photo.id))
        self.assertEqual((shown.status_code, shown.content), (200, png("blue")))
        self.assertIn("/my/service-requests/%s" % request.id,
                      self.get(wang, "/my/service-requests").text)

        # 2. the department plans the visit; the customer sees time and technician
        request.sudo(self.user_as).action_start()
        visit = self.env["after_sales.visit"].sudo(self.user_as).create({
            "request_id": request.id, "partner_id": self.customer_a.id, "purpose": "repair",
            "date_planned": "2026-11-20 09:00:00", "appointment_confirmed": True,
            "product_ids": [(6, 0, self.product.ids)],
            "technician_ids": [(6, 0, self.technician.ids)]})
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()
        scheduled = visit.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(scheduled), 1)
        self.assertIn("张师傅", scheduled.body)
        visit.sudo(self.technician).action_start()
        visit.sudo(self.technician).write({
            "date_arrival": "2026-11-20 09:00:00", "date_departure": "2026-11-20 11:00:00",
            "arrival_confirmed": True, "fault_found": "温控器损坏", "handling": "更换温控器"})
        self.registry.test_cr.commit()
        page = self.get(wang, "/my/service-requests/%s" % request.id)
        self.assertIn("张师傅", page.text)
        self.assertIn("In Warranty", page.text)
        visit = self.reload(visit)
        self.assertIn(visit.sign_url.replace("&", "&amp;"), page.text)

        # 3. the customer signs the record on his phone, from the link (no login)
        phone = self.browser()
        path = "/service-record/%s?access_token=%s" % (visit.id, visit.sudo().access_token)
        record_page = self.get(phone, path)
        self.assertEqual(record_page.status_code, 200)
        self.assertIn("温控器损坏", record_page.text)
        blank = self.post_form(phone, path, "/service-record/%s/sign" % visit.id, {
            "access_token": visit.sudo().access_token, "customer_signer": "王工",
            "signature": "data:image/png;base64," + base64.b64encode(png("white")).decode()})
        self.assertEqual(blank.status_code, 400)
        self.assertIn("Sign in the box", blank.text)
        signature = base64.b64encode(png("white", (200, 80), stroke=True)).decode()
        signed = self.post_form(phone, path, "/service-record/%s/sign" % visit.id, {
            "access_token": visit.sudo().access_token, "customer_signer": "王工",
            "customer_evaluation": "5", "customer_comment": "很及时",
            "signature": "data:image/png;base64," + signature})
        self.assertEqual(signed.status_code, 200, signed.text[:500])
        visit = self.reload(visit)
        self.assertEqual((visit.customer_signer, visit.customer_evaluation,
                          visit.customer_comment), ("王工", "5", "很及时"))
        self.assertEqual(visit.customer_signature.decode(), signature)
        filed = self.env["ir.attachment"].search([("res_model", "=", "after_sales.visit"),
                                                  ("res_id", "=", visit.id)])
        self.assertEqual(len(filed), 1)
        self.assertIn(visit.name, filed.name)
        self.assertFalse(visit.sign_url)  # signed: the link is done
        self.assertEqual(self.get(phone, path).status_code, 404)

        # 4. the visit moves on as with the pad: the technician completes it
        visit.sudo(self.technician).action_done()
        self.assertEqual((visit.state, request.state), ("done", "resolved"))
        callback = self.env["after_sales.callback"].search([("visit_id", "=", visit.id)])
        self.assertTrue(callback.portal_expiry)
        invitation = callback.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(invitation), 1)
        self.assertIn("access_token=%s" % callback.sudo().access_token, invitation.body)
        self.registry.test_cr.commit()

        # 5. the online callback: an unsatisfied answer opens the follow-up
        link = "/callback/%s?access_token=%s" % (callback.id, callback.sudo().access_token)
        questionnaire = self.get(phone, link)
        self.assertEqual(questionnaire.status_code, 200)
        answers = {}
        for answer in callback.answer_ids:
            value = {"yesno": "yes", "rating": "4", "text": "谢谢"}[answer.kind]
            answers["answer_%s" % answer.id] = value
        repaired = callback.answer_ids.filtered(
            lambda a: a.question_id == self.env.ref("after_sales_service.q_sat_repaired"))
        answers["answer_%s" % repaired.id] = "no"
        incomplete = dict(answers)
        incomplete.pop("answer_%s" % repaired.id)
        refused = self.post_form(phone, link, link, incomplete)
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(self.reload(callback).state, "todo")
        done = self.post_form(phone, link, link, answers)
        self.assertEqual(done.status_code, 200, done.text[:500])
        callback = self.reload(callback)
        self.assertEqual((callback.state, callback.channel, callback.satisfied),
                         ("done", "online", False))
        self.assertEqual(repaired.value_yesno, "no")
        self.assertTrue(callback.followup_request_id)
        self.assertEqual(callback.followup_request_id.channel, "callback")
        self.assertEqual(self.get(phone, link).status_code, 404)  # used once

        # 6. the printable forms and the messages of the request
        page = self.get(wang, "/my/service-requests/%s" % request.id)
        self.assertIn("/service-record/%s" % visit.id, page.text)
        copy = self.get(wang, "/my/service-requests/%s/service-record/%s" % (request.id,
                                                                               visit.id))
        self.assertEqual(copy.status_code, 200)
        self.assertIn(visit.name, copy.text)  # HTML under --test-enable, as Odoo renders
        form = self.get(wang, "/my/service-requests/%s/registration-form" % request.id)
        self.assertEqual(form.status_code, 200)
        self.assertIn(request.name, form.text)
        posted = wang.post(self.url("/mail/chatter_post"), data={
            "res_model": "after_sales.request", "res_id": str(request.id),
            "message": "明天下午有人在", "token": request.sudo().access_token,
            "csrf_token": csrf_of(page.text)},
            headers={"Referer": self.url("/my/service-requests/%s" % request.id)}, timeout=60)
        self.assertEqual(posted.status_code, 200)
        message = request.message_ids.filtered(lambda m: "明天下午有人在" in (m.body or ""))
        self.assertEqual(message.author_id, self.portal_a.partner_id)

    # ------------------------------------------------------------------ the form's checks

    def test_form_errors_in_the_customers_language(self):
        wang = self.browser("wang")
        missing = self.post_form(wang, "/my/service-requests/new", "/my/service-requests/new", {
            "description": "  ", "product_id": "", "lot_id": ""})
        self.assertEqual(missing.status_code, 400)
        self.assertIn("Describe the fault.", missing.text)
        # not an image, too many photos, an unknown product and serial kept for the clerk
        fake = [("attachment_ids", ("photo.jpg", b"MZ\x90\x00 not an image", "image/jpeg"))]
        refused = self.post_form(wang, "/my/service-requests/new", "/my/service-requests/new",
                                 {"description": "漏水"}, files=fake)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("photo.jpg is not a photo", refused.text)
        many = [("attachment_ids", ("p%s.png" % i, png("red"), "image/png")) for i in range(7)]
        refused = self.post_form(wang, "/my/service-requests/new", "/my/service-requests/new",
                                 {"description": "漏水"}, files=many)
        self.assertIn("Attach at most 6 photos.", refused.text)
        other_card = self.post_form(
            wang, "/my/service-requests/new", "/my/service-requests/new",
            {"description": "漏水", "warranty_card_id": str(self.card_b.id)})
        self.assertEqual(other_card.status_code, 400)
        self.assertFalse(self.requests_of(self.customer_a))
        typed = self.post_form(wang, "/my/service-requests/new", "/my/service-requests/new", {
            "description": "漏水", "product_id": "eh-60p", "lot_id": "SN-B-0001",
            "date_delivered": "2026-01-15"})
        self.assertEqual(typed.status_code, 200)
        request = self.requests_of(self.customer_a)
        # the product is recognised by its code; another customer's serial is not linked
        self.assertEqual((request.product_id, request.lot_id), (self.product, self.env[
            "stock.production.lot"]))
        self.assertIn("SN-B-0001", request.description)
        self.assertEqual(request.date_delivered, "2026-01-15")
        self.assertFalse(request.warranty_card_id)
        # without the CSRF token, nothing is registered
        with mute_logger("odoo.http"):
            forged = wang.post(self.url("/my/service-requests/new"),
                               data={"description": "伪造"}, timeout=60)
        self.assertEqual(forged.status_code, 400)
        self.assertEqual(len(self.requests_of(self.customer_a)), 1)
        # a customer reading Chinese gets the errors in Chinese
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].create({
            "type": "code", "name": "addons/after_sales_service/models/request.py",
            "lang": "zh_CN", "src": "Describe the fault.", "value": "请描述故障。",
            "state": "translated"})
        self.portal_a.lang = "zh_CN"
        self.registry.test_cr.commit()
        wang_zh = self.browser("wang")
        missing = self.post_form(wang_zh, "/my/service-requests/new",
                                 "/my/service-requests/new", {"description": ""})
        self.assertIn("请描述故障。", missing.text)

    # ------------------------------------------------------------------ refusals

    def test_nobody_else_sees_a_customers_request(self):
        request = self.env["after_sales.request"].create({
            "partner_id": self.customer_a.id, "description": "秘密故障", "channel": "hotline",
            "product_id": self.product.id, "lot_id": self.card_a.lot_id.id})
        photo = self.env["ir.attachment"].create({
            "name": "a.png", "datas_fname": "a.png", "datas": base64.b64encode(png("red")),
            "res_model": "after_sales.request", "res_id": request.id})
        request.attachment_ids = photo
        token = request.sudo().access_token
        self.registry.test_cr.commit()
        zhao = self.browser("zhao")
        base = "/my/service-requests/%s" % request.id
        for path in (base, base + "/registration-form", base + "/photo/%s" % photo.id):
            answer = self.get(zhao, path)
            self.assertEqual(answer.status_code, 404, path)
            self.assertNotIn("秘密故障", answer.text)
            self.assertNotIn(request.name, answer.text)
        self.assertNotIn(request.name, self.get(zhao, "/my/service-requests").text)
        products = self.get(zhao, "/my/installed-products").text
        self.assertIn("SN-B-0001", products)
        self.assertNotIn("SN-A-0001", products)
        # the owner's contact sees it; a visitor needs its token
        self.assertIn("秘密故障", self.get(self.browser("wang"), base).text)
        anonymous = self.browser()
        login = self.get(anonymous, base)
        self.assertIn("/web/login", login.url)
        self.assertNotIn("秘密故障", login.text)
        wrong = self.get(anonymous, base + "?access_token=%s" % ("0" * 36))
        self.assertEqual(wrong.status_code, 404)
        self.assertNotIn("秘密故障", wrong.text)
        self.assertEqual(self.get(anonymous, base + "/photo/%s?access_token=x" % photo.id)
                         .status_code, 404)
        right = self.get(anonymous, base + "?access_token=%s" % token)
        self.assertEqual(right.status_code, 200)
        self.assertIn("秘密故障", right.text)
        # another customer's token does not open the page either
        other = self.env["after_sales.request"].create({
            "partner_id": self.customer_b.id, "description": "乙方"})
        self.registry.test_cr.commit()
        crossed = self.get(anonymous, "/my/service-requests/%s?access_token=%s" % (
            other.id, token))
        self.assertEqual(crossed.status_code, 404)

    def test_links_need_their_own_token_and_expire(self):
        request = self.env["after_sales.request"].create({
            "partner_id": self.customer_a.id, "description": "x"})
        visit = self.env["after_sales.visit"].create({
            "request_id": request.id, "partner_id": self.customer_a.id, "purpose": "repair",
            "date_planned": "2026-11-20 09:00:00", "technician_ids": [(6, 0, self.technician.ids)],
            "appointment_confirmed": True})
        visit.action_submit()
        visit.sudo(self.user_gm).action_approve()
        visit.action_start()
        callback = self.env["after_sales.callback"].create({
            "type_id": self.env.ref("after_sales_service.callback_type_satisfaction").id,
            "partner_id": self.customer_a.id, "date_due": "2026-11-25 09:00:00",
            "request_id": request.id, "user_id": self.user_as.id})
        self.assertFalse(callback.online_url)  # no invitation yet: no link works
        callback.action_send_online_invitation()
        self.assertTrue(callback.online_url)
        self.registry.test_cr.commit()
        anonymous = self.browser()
        for path in ("/service-record/%s?access_token=%s" % (visit.id, request.access_token),
                     "/service-record/%s?access_token=%s" % (visit.id, callback.access_token),
                     "/service-record/%s" % visit.id,
                     "/callback/%s?access_token=%s" % (callback.id, visit.access_token),
                     "/callback/%s" % callback.id):
            answer = self.get(anonymous, path)
            self.assertEqual(answer.status_code, 404, path)
            self.assertNotIn(self.customer_a.name, answer.text)
        link = "/callback/%s?access_token=%s" % (callback.id, callback.access_token)
        self.assertEqual(self.get(anonymous, link).status_code, 200)
        # a new invitation replaces the link; a link past its expiry works no more
        old = link
        callback.action_send_online_invitation()
        link = "/callback/%s?access_token=%s" % (callback.id, callback.access_token)
        callback.sudo()._as_action().write({"portal_expiry": "2020-01-01 00:00:00"})
        self.registry.test_cr.commit()
        self.assertEqual(self.get(anonymous, old).status_code, 404)
        self.assertEqual(self.get(anonymous, link).status_code, 404)

    def test_portal_users_reach_no_backend_model(self):
        """Through RPC a portal user reads and writes nothing of the addon, not even his own
        requests (he reads those on his pages)."""
        self.env["after_sales.request"].create({
            "partner_id": self.customer_a.id, "description": "x"})
        self.registry.test_cr.commit()
        db, uid = get_db_name(), self.portal_a.id
        for model in ("after_sales.request", "after_sales.warranty.card", "after_sales.visit",
                      "after_sales.callback", "after_sales.team", "after_sales.fee.standard"):
            with self.assertRaises(xmlrpclib.Fault) as refused:
                self.xmlrpc_object.execute_kw(db, uid, "wang", model, "search_read", [[]],
                                              {"fields": ["display_name"]})
            self.assertEqual(refused.exception.faultCode, 4, model)
        with self.assertRaises(xmlrpclib.Fault) as refused:
            self.xmlrpc_object.execute_kw(db, uid, "wang", "after_sales.request", "create",
                                          [{"partner_id": self.customer_a.id,
                                            "description": "RPC"}])
        self.assertEqual(refused.exception.faultCode, 4)
        # nor through the web client's JSON routes, with his session
        answer = self.browser("wang").post(self.url("/web/dataset/call_kw"), json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": "after_sales.request", "method": "search_read", "args": [[]],
                "kwargs": {"fields": ["description"]}}}, timeout=60).json()
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")
        # every model of the addon, as the ORM checks it for him
        models = self.env["ir.model"].search([("model", "=like", "after_sales.%")])
        for model in models.mapped("model"):
            Model = self.env[model].sudo(self.portal_a)
            if Model._abstract or Model._transient:
                continue  # wizards: each user's own records (Odoo's rule)
            for operation in ("read", "write", "create", "unlink"):
                self.assertFalse(Model.check_access_rights(operation, raise_exception=False),
                                 "%s %s" % (model, operation))
        # the request's messages need the request's token
        with mute_logger("odoo.http"):
            answer = self.browser("zhao").post(self.url("/mail/chatter_init"), json={
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "res_model": "after_sales.request",
                    "res_id": self.requests_of(self.customer_a).id, "token": "wrong"}},
                timeout=60).json()
        self.assertIn("error", answer)

    # ------------------------------------------------------------------ mails in Chinese (ui)

    def test_broken_template_translations_dropped(self):
        """A translation of a mail template that no longer compiles (Odoo 11's zh_CN one of
        the notification subject translates `or` to 或) is dropped when terms load: the
        subject renders from its source; a translation that compiles is kept."""
        self.env["res.lang"].load_lang("zh_CN")
        template = self.env.ref("mail.mail_template_data_notification_email_default")
        Translation = self.env["ir.translation"]
        Translation.search([("name", "=like", "mail.template,%"),
                            ("res_id", "=", template.id), ("lang", "=", "zh_CN")]).unlink()
        broken = Translation.create({
            "type": "model", "name": "mail.template,subject", "res_id": template.id,
            "lang": "zh_CN", "src": template.subject, "state": "translated",
            "value": template.subject.replace(" or ", " 或 ")})
        kept = Translation.create({
            "type": "model", "name": "mail.template,body_html", "res_id": template.id,
            "lang": "zh_CN", "src": template.body_html, "state": "translated",
            "value": template.body_html.replace("<div", "<div lang=\"zh\"", 1)})
        zh = template.with_context(lang="zh_CN")
        self.assertIn(" 或 ", zh.subject)
        Translation.load_module_terms(["after_sales_service"], ["zh_CN"])
        self.assertFalse(broken.exists())
        self.assertTrue(kept.exists())
        zh.invalidate_cache()
        self.assertEqual(zh.subject, template.with_context(lang=None).subject)
        self.assertIn('lang="zh"', zh.body_html)
